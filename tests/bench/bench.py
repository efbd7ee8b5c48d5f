#!/usr/bin/env python3
"""kb's performance beside what an engineer would otherwise use.

  tests/bench/bench.py --bin BUILD/bin [--quick] [--corpora bundled,es-ES,es-ES+zh-TW]
                       [--queries N] [--rounds N] [--results FILE | --no-results] [--keep]

Corpora: the bundled corpus/; es-ES alone and es-ES + zh-TW together, both
unpacked from $KB_SOURCE_DIR/../shared/corpora/*.tar.xz into a temporary
directory (--quick: the bundled corpus only).

Queries: every query of tests/dev-queries.tsv, N generated from the corpus
(headings, 2-6 word spans, 20-40 word pasted spans; random.Random(42)) and
every error ID of kb's error_ids table.

Every figure is wall time around ONE PROCESS PER QUERY, median and p95 over
the queries of each query's median over --rounds passes (default 3):
kb-query, (a) `rg -i -l -F` over the Markdown, (b) the sqlite3 CLI on a
plain FTS5 table, (c) Xapian's `quest`; `kb-query --version` is the floor
of process start-up. Plus --serve throughput, index build/re-run times,
sizes, peak RSS, the error-ID lookup benchmark and PASS/MISS per target.
A full run writes tests/bench/RESULTS.md."""
import argparse
import datetime
import math
import os
import platform
import random
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.environ.get("KB_SOURCE_DIR") or os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SOURCE, "tests", "e2e"))
import baselines  # noqa: E402
import kbtest  # noqa: E402  (the dev-query reader the tests use)

CORPORA = ("bundled", "es-ES", "es-ES+zh-TW")
CJK = ("zh", "ja", "ko")
FLOOR_RUNS = 50
# Queries between two readings of every tool's files (warm_files).
WARM_EVERY = 50


# ---------------------------------------------------------------- helpers

class Out:
    """Everything printed also goes to RESULTS.md."""

    def __init__(self):
        self.lines = []

    def __call__(self, s=""):
        print(s, flush=True)
        self.lines.append(s)


out = Out()


def p95(xs):
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)] if s else float("nan")


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def run_timed(cmd, stdin=None):
    """Wall milliseconds around one process, and the process."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return (time.perf_counter() - t0) * 1000.0, p


def run_rss(cmd):
    """Wall seconds and peak RSS (kB) of one process under /usr/bin/time -v."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    m = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return wall, int(m.group(1)) if m else 0, p


def md_files(root):
    found = []
    for d, _, files in os.walk(root, followlinks=True):
        found += [os.path.join(d, f) for f in files if f.endswith(".md")]
    return sorted(found)


def mb(n):
    return n / 1e6


# ---------------------------------------------------------------- corpora

def shared_dir():
    return os.path.abspath(os.environ.get("KB_SHARED_DIR") or os.path.join(SOURCE, "..", "shared"))


def unpack(name, dest):
    """shared/corpora/azure-docs-2017-<name>.tar.xz into dest (holds <name>/)."""
    tar = os.path.join(shared_dir(), "corpora", "azure-docs-2017-%s.tar.xz" % name)
    if not os.path.isdir(os.path.join(dest, name)):
        subprocess.run(["tar", "-xJf", tar, "-C", dest], check=True)
    return os.path.join(dest, name)


def corpus_root(name, tmp):
    """The directory kb-index is given for a corpus (copied or unpacked, as
    the one-file-changed run appends to a file)."""
    if name == "bundled":
        root = os.path.join(tmp, "bundled", "corpus")
        if not os.path.isdir(root):
            shutil.copytree(os.path.join(SOURCE, "corpus"), root)
        return root
    both = os.path.join(tmp, "azure")
    os.makedirs(both, exist_ok=True)
    es = unpack("es-ES", both)
    if name == "es-ES":
        return es
    unpack("zh-TW", both)
    # One root holding es-ES/ and zh-TW/: passing the two trees as two roots
    # makes their relative paths collide (see two_roots_check).
    return both


def two_roots_check(kb_index, root, tmp, one_root_docs):
    """kb-index DIR1 DIR2 with two trees of the same layout: does every
    document survive? (Paths are relative to their root, so
    es-ES/articles/x.md and zh-TW/articles/x.md are both articles/x.md.)"""
    db = os.path.join(tmp, "two-roots.sqlite")
    wall, _, _ = run_rss([kb_index, "--quiet", "--db", db, os.path.join(root, "es-ES"), os.path.join(root, "zh-TW")])
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM docs").fetchone()[0]
    con.close()
    os.unlink(db)
    return n, wall


# ---------------------------------------------------------------- queries

def dev_queries():
    qs = []
    for _, cat, q, _ in kbtest.load_dev_queries():
        lang = cat.split("-")[1] if "-" in cat else "es"
        qs.append({"q": q, "lang": lang, "kind": "long" if cat.startswith("long") else "dev-" + cat.split("-")[0]})
    return qs


def _words(s):
    """A section's text as units a user would paste: words, or single
    characters in CJK text (which has no spaces)."""
    if s["lang"] in CJK:
        return [c for c in s["text"] if not c.isspace()], ""
    return s["text"].split(), " "


def generated_queries(sections, db, n, rng):
    """n queries cut from the corpus, plus every error ID. In CJK text a
    'word' is 2 characters."""
    secs = sorted(sections, key=lambda s: (s["doc"], s["anchor"]))
    n_head, n_span = n * 3 // 10, n * 4 // 10
    n_long = n - n_head - n_span
    qs = []
    heads = [s for s in secs if s["heading"].strip()]
    for s in rng.sample(heads, min(n_head, len(heads))):
        qs.append({"q": s["heading"], "lang": s["lang"], "kind": "heading"})

    def spans(count, lo, hi, kind):
        pool = [s for s in secs if len(_words(s)[0]) >= 2 * hi + 4]
        for _ in range(count):
            s = rng.choice(pool)
            words, sep = _words(s)
            k = rng.randint(lo, hi) * (2 if sep == "" else 1)
            i = rng.randrange(0, len(words) - k)
            qs.append({"q": sep.join(words[i:i + k]), "lang": s["lang"], "kind": kind})
    spans(n_span, 2, 6, "span")
    spans(n_long, 20, 40, "long")
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    ids = con.execute("SELECT e.key, min(e.raw), min(s.lang) FROM error_ids e JOIN sections s ON s.id = e.section_id "
                      "GROUP BY e.key ORDER BY e.key").fetchall()
    con.close()
    for key, raw, lang in ids:
        qs.append({"q": raw or key, "lang": lang, "kind": "errid"})
    return qs


# ---------------------------------------------------------------- measuring

class Tools:
    def __init__(self, bindir, db, root, fts, xap):
        self.kb_query = os.path.join(bindir, "kb-query")
        self.db, self.root, self.fts, self.xap = db, root, fts, xap
        self.rg = shutil.which("rg")

    def commands(self, q):
        cmds = {"kb": [self.kb_query, "--db", self.db, "--format", "json", "--limit", "10", "--", q["q"]]}
        if self.rg:
            cmds["rg"] = [self.rg, "-i", "-l", "-F", "--", q["q"], self.root]
        c = self.fts.command(q["q"], 10)
        if c:
            cmds["fts5"] = c
        cmds["quest"] = self.xap.command(q["q"], 10, q["lang"])
        return cmds

    def files(self):
        """What the tools read: the indexes, and the Markdown for rg."""
        return [self.db, self.fts.path, self.xap.path, self.root]


def warm_files(paths):
    """Reads every file under paths, so that the page cache holds them."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += [os.path.join(d, n) for d, _, names in os.walk(path) for n in names]
        else:
            files.append(path)
    buf = bytearray(1 << 20)
    for f in files:
        try:
            with open(f, "rb", buffering=0) as fh:
                while fh.readinto(buf):
                    pass
        except OSError:
            pass


TOOL_NAMES = {"kb": "kb-query", "rg": "(a) rg -i -l -F", "fts5": "(b) sqlite3 plain FTS5", "quest": "(c) xapian quest"}


def floor_ms(kb_query):
    for _ in range(5):
        run_timed([kb_query, "--version"])
    return [run_timed([kb_query, "--version"])[0] for _ in range(FLOOR_RUNS)]


def measure_queries(tools, queries, rounds):
    """Per tool: list of (ms, query kind, exit code), ms the median of the
    query's runs over `rounds` passes through the whole query list.

    This VM's speed drifts by the second (the same kb-query binary's median
    over all es+zh queries went 3.55 -> 4.10 -> 4.33 ms in three passes
    right after one another), so a single pass gives one query's p95 to
    whichever tool ran it during a slow spell. Passes, unlike repeats in a
    row, put each query's runs seconds apart; the median keeps its typical
    cost. Every tool is measured alike.

    Tools alternate per query so that cache state and machine noise hit them
    alike, and the order rotates from one query and one pass to the next: a
    process runs slower after one that evicted its caches (after rg,
    kb-query took 0.86 ms more on ID lookups, quest 1.12 ms), so no tool may
    always follow the same one.

    The targets assume a warm page cache, and this VM's host takes file
    pages back once they sit unused for a while (idle, 2.5 MB/s of a 141 MB
    index left the page cache): a query would then read some of its pages
    from disk, 50 us each instead of 2. So every tool's files are read
    through before each pass and again every WARM_EVERY queries, outside the
    timed runs."""
    runs = {t: [[] for _ in queries] for t in TOOL_NAMES}
    codes = {t: [None] * len(queries) for t in TOOL_NAMES}
    for q in queries[:5]:  # warm-up: binaries
        for cmd in tools.commands(q).values():
            run_timed(cmd)
    for r in range(rounds):
        for i, q in enumerate(queries):
            if i % WARM_EVERY == 0:
                warm_files(tools.files())
            cmds = list(tools.commands(q).items())
            k = (i + r) % len(cmds)
            for t, cmd in cmds[k:] + cmds[:k]:
                ms, p = run_timed(cmd)
                runs[t][i].append(ms)
                # A query's exit code is its worst: an error in any pass shows.
                if codes[t][i] is None or p.returncode not in (0, 1):
                    codes[t][i] = p.returncode
    return {t: [(med(runs[t][i]), q["kind"], codes[t][i]) for i, q in enumerate(queries) if runs[t][i]]
            for t in TOOL_NAMES}


def measure_back_to_back(tools, queries, rounds, names=("kb", "quest")):
    """Per tool of `names`: each query's median ms over `rounds` passes in
    which the tool answers every query in a row, no other tool in between:
    what a chat bot asking question after question sees. measure_queries
    interleaves the tools, which is fair between them but makes each run
    follow another tool's (rg reads all the Markdown): this shows what that
    costs. The tool order alternates from one pass to the next."""
    runs = {t: [[] for _ in queries] for t in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for t in order:
            for i, q in enumerate(queries):
                if i % WARM_EVERY == 0:
                    warm_files(tools.files())
                cmd = tools.commands(q).get(t)
                if cmd:
                    runs[t][i].append(run_timed(cmd)[0])
    return {t: [med(x) for x in runs[t] if x] for t in names}


def serve_throughput(kb_query, db, queries, passes=3):
    """Queries per second of one `kb-query --serve` over all queries (best
    of `passes`), and whether every request got its response line."""
    import json
    payload = "".join(json.dumps({"q": q["q"], "limit": 10}) + "\n" for q in queries).encode("utf-8")
    best, ok = 0.0, True
    for _ in range(passes):
        t0 = time.perf_counter()
        p = subprocess.Popen([kb_query, "--db", db, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

        def feed():
            p.stdin.write(payload)
            p.stdin.close()
        w = threading.Thread(target=feed)
        w.start()
        n = 0
        for line in p.stdout:
            n += 1
        w.join()
        p.wait()
        dt = time.perf_counter() - t0
        ok = ok and n == len(queries) and p.returncode == 0
        best = max(best, len(queries) / dt)
    return best, ok


def kb_query_peak_rss(kb_query, db, queries):
    peak, worst = 0, ""
    for q in queries:
        _, rss, _ = run_rss([kb_query, "--db", db, "--format", "json", "--limit", "10", "--", q["q"]])
        if rss > peak:
            peak, worst = rss, q["q"]
    return peak, worst


def index_figures(bindir, root, work, rng, reps):
    kb_index = os.path.join(bindir, "kb-index")
    db = os.path.join(work, "kb.sqlite")
    full, rss = [], 0
    for _ in range(reps):
        if os.path.exists(db):
            os.unlink(db)
        wall, r, p = run_rss([kb_index, "--quiet", "--db", db, root])
        if p.returncode != 0:
            sys.exit("kb-index failed: %s" % p.stderr.decode(errors="replace")[-2000:])
        full.append(wall)
        rss = max(rss, r)
    nochange = [run_rss([kb_index, "--quiet", "--db", db, root])[0] for _ in range(3)]
    return {"db": db, "full": med(full), "full_runs": full, "index_rss": rss, "nochange": med(nochange),
            "db_bytes": os.path.getsize(db)}


def one_file_changed(bindir, root, db, rng, runs=3):
    kb_index = os.path.join(bindir, "kb-index")
    files = md_files(root)
    times = []
    for _ in range(runs):
        f = rng.choice(files)
        with open(f, "a", encoding="utf-8") as fh:
            fh.write("\nkb bench: one more line %d.\n" % rng.randrange(10 ** 6))
        times.append(run_rss([kb_index, "--quiet", "--db", db, root])[0])
    return med(times)


# ---------------------------------------------------------------- one corpus

def bench_corpus(name, args, tmp, floor):
    bindir = args.bin
    rng = random.Random(42)
    root = corpus_root(name, tmp)
    work = os.path.join(tmp, "work-" + name.replace("+", "_"))
    os.makedirs(work, exist_ok=True)
    files = md_files(root)
    md_bytes = sum(os.path.getsize(f) for f in files)
    # A single full build of es-ES took 5.5 s in one run and 6.7 s in the
    # next, same binary: three give a median worth comparing (~35 s more).
    reps = 5 if md_bytes < 5e6 else 3
    out("\n== %s: %s (%d .md files, %.1f MB Markdown)" % (name, root, len(files), mb(md_bytes)))

    ix = index_figures(bindir, root, work, rng, reps)
    con = sqlite3.connect("file:%s?mode=ro" % ix["db"], uri=True)
    ndocs = con.execute("SELECT count(*) FROM docs").fetchone()[0]
    con.close()

    t0 = time.perf_counter()
    sections = baselines.export_sections(ix["db"])
    export_s = time.perf_counter() - t0
    fts = baselines.PlainFts(sections, work)
    xap = baselines.Xapian(sections, work)

    queries = dev_queries() + generated_queries(sections, ix["db"], args.queries, rng)
    kinds = {}
    for q in queries:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    out("   %d docs, %d sections; %d queries: %s" % (ndocs, len(sections), len(queries),
                                                     ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items()))))

    tools = Tools(bindir, ix["db"], root, fts, xap)
    t0 = time.perf_counter()
    res = measure_queries(tools, queries, args.rounds)
    qtime = time.perf_counter() - t0
    fl_med, fl_p95 = med(floor), p95(floor)
    out("\n   latency per process, ms (%d queries, median of %d passes, %.0f s)"
        % (len(queries), args.rounds, qtime))
    out("   %-44s  median     p95   over floor (med)   no result  errors" % "")
    out("   %-44s %7.2f %7.2f" % ("kb-query --version (start-up floor)", fl_med, fl_p95))
    fig = {"name": name, "md_bytes": md_bytes, "ndocs": ndocs, "nsections": len(sections)}
    for t, label in TOOL_NAMES.items():
        ms = [r[0] for r in res[t]]
        if not ms:
            out("   %-44s   (not available)" % label)
            continue
        none = sum(1 for r in res[t] if r[2] == 1) / len(ms)
        errs = sum(1 for r in res[t] if r[2] not in (0, 1))
        fig[t] = (med(ms), p95(ms))
        out("   %-44s %7.2f %7.2f   %+6.2f ms (%4.1fx)   %6.1f%%  %6d"
            % (label, med(ms), p95(ms), med(ms) - fl_med, med(ms) / fl_med, 100 * none, errs))
    for t in ("rg", "fts5", "quest"):
        if t in fig:
            out("   kb / %-6s  median %5.2fx   p95 %5.2fx" % (t, fig["kb"][0] / fig[t][0], fig["kb"][1] / fig[t][1]))
    text = [r for r in res["kb"] if r[1] != "errid"]
    out("   without the error-ID queries (n=%d), median/p95 ms: %s" % (len(text), "   ".join(
        "%s %.2f/%.2f" % (t, med([r[0] for r in res[t] if r[1] != "errid"]), p95([r[0] for r in res[t] if r[1] != "errid"]))
        for t in TOOL_NAMES if res[t])))
    out("   long pasted queries (20-40 words, n=%d), p95 ms: %s" % (
        sum(1 for r in res["kb"] if r[1] == "long"),
        "   ".join("%s %.2f" % (t, p95([r[0] for r in res[t] if r[1] == "long"])) for t in TOOL_NAMES if res[t])))
    fig["long_p95"] = p95([r[0] for r in res["kb"] if r[1] == "long"])
    alone = measure_back_to_back(tools, queries, args.rounds)
    fig["kb_alone"] = (med(alone["kb"]), p95(alone["kb"]))
    fig["quest_alone"] = (med(alone["quest"]), p95(alone["quest"]))
    out("   back to back (each tool's queries in a row, no other tool between), median/p95 ms: kb-query %.2f/%.2f"
        "   quest %.2f/%.2f   kb / quest %.2fx/%.2fx" % (fig["kb_alone"] + fig["quest_alone"] + (
            fig["kb_alone"][0] / fig["quest_alone"][0], fig["kb_alone"][1] / fig["quest_alone"][1])))
    by_kind = "   ".join("%s %.2f/%.2f" % (k, med([r[0] for r in res["kb"] if r[1] == k]),
                                           p95([r[0] for r in res["kb"] if r[1] == k])) for k in sorted(kinds))
    out("   kb-query by kind, median/p95 ms: " + by_kind)

    qps, ok = serve_throughput(tools.kb_query, ix["db"], queries)
    fig["qps"] = qps
    out("\n   kb-query --serve: %.0f queries/s (one process, %d JSON lines, best of 3)%s"
        % (qps, len(queries), "" if ok else "  ANOMALY: responses missing or non-zero exit"))

    rss, worst = kb_query_peak_rss(tools.kb_query, ix["db"], queries)
    fig["query_rss"] = rss
    out("   kb-query peak RSS: %.1f MB (max over all %d queries; worst: %r)" % (rss / 1024, len(queries), worst[:60]))

    fig.update(ix)
    fig["xapian_index"] = xap.index_seconds
    fig["onechange"] = one_file_changed(bindir, root, ix["db"], rng)
    out("\n   index                                   time s     MB/s")
    out("   %-38s %7.2f  %7.1f   (median of %d; peak RSS %.1f MB; --jobs = %d cores)"
        % ("kb-index full", ix["full"], mb(md_bytes) / ix["full"], reps, ix["index_rss"] / 1024, os.cpu_count()))
    out("   %-38s %7.2f  %7.1f   (python3-xapian, same sections, export excluded: %.2f s)"
        % ("Xapian indexer", xap.index_seconds, mb(md_bytes) / xap.index_seconds, export_s))
    out("   %-38s %7.2f  %7.1f" % ("plain FTS5 (python sqlite3)", fts.index_seconds, mb(md_bytes) / fts.index_seconds))
    out("   kb-index vs Xapian indexer: %.2fx faster" % (xap.index_seconds / ix["full"]))
    out("   %-38s %7.3f" % ("kb-index no-change re-run", ix["nochange"]))
    out("   %-38s %7.3f   (median of 3, a line appended each time)" % ("kb-index one-file-changed re-run",
                                                                          fig["onechange"]))
    out("   database %.1f MB = %.2fx the Markdown (plain FTS5 %.2fx, Xapian %.2fx)"
        % (mb(ix["db_bytes"]), ix["db_bytes"] / md_bytes, os.path.getsize(fts.path) / md_bytes,
           dir_size(xap.path) / md_bytes))
    if name == "es-ES+zh-TW":
        n2, wall2 = two_roots_check(os.path.join(bindir, "kb-index"), root, tmp, ndocs)
        fig["two_roots_docs"] = n2
        out("   two roots check: `kb-index es-ES zh-TW` keeps %d docs (one root holding both: %d)%s"
            % (n2, ndocs, "" if n2 == ndocs else "  ANOMALY: relative paths of the two roots collide"))
    if name == "bundled":
        fig["errid"] = errid_bench(tools, root, ix["db"], args.rounds)
    return fig


def dir_size(d):
    return sum(os.path.getsize(os.path.join(p, f)) for p, _, fs in os.walk(d) for f in fs)


def errid_bench(tools, root, db, rounds):
    """The error-ID issue's benchmark: `kb-query <ID>` per process over every
    ID of the bundled corpus, beside `rg -l` for the same string; an ID's
    time is its median over `rounds` passes, as in measure_queries."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    ids = [r[0] for r in con.execute("SELECT min(raw) FROM error_ids GROUP BY key ORDER BY key")]
    con.close()
    kb_runs, rg_runs = [[] for _ in ids], [[] for _ in ids]
    kb_found, rg_found = [False] * len(ids), [False] * len(ids)
    for _ in range(rounds):
        for n, i in enumerate(ids):
            ms, p = run_timed([tools.kb_query, "--db", db, "--", i])
            kb_runs[n].append(ms)
            kb_found[n] = p.returncode == 0
            if tools.rg:
                ms, p = run_timed([tools.rg, "-l", "-i", "-F", "--", i, root])
                rg_runs[n].append(ms)
                rg_found[n] = p.returncode == 0
    kb = [med(x) for x in kb_runs]
    rg = [med(x) for x in rg_runs if x]
    kb_found, rg_found = sum(kb_found), sum(rg_found)
    out("\n   error-ID lookups (%d IDs of the bundled corpus)    median     p95   found" % len(ids))
    out("   %-44s %7.2f %7.2f   %d/%d" % ("kb-query <ID>", med(kb), p95(kb), kb_found, len(ids)))
    if rg:
        out("   %-44s %7.2f %7.2f   %d/%d" % ("rg -l -i -F <ID> corpus/", med(rg), p95(rg), rg_found, len(ids)))
    return {"kb": (med(kb), p95(kb)), "rg": (med(rg), p95(rg)) if rg else None}


# ---------------------------------------------------------------- targets

def targets(figs):
    """(target, measured, PASS/MISS/n/a) per target of the performance issue."""
    rows = []

    def add(label, corpus, value_fn, ok_fn, fmt):
        f = figs.get(corpus)
        if f is None:
            rows.append((label, "corpus not run", "n/a"))
            return
        try:
            v = value_fn(f)
        except (KeyError, TypeError, ZeroDivisionError):
            rows.append((label, "not measured", "n/a"))
            return
        rows.append((label, fmt % v, "PASS" if ok_fn(v) else "MISS"))
    big = "es-ES+zh-TW"
    # Judged on the interleaved figures; back to back (no other tool between) shown beside.
    add("es-ES+zh-TW kb-query median <= 3 ms", big, lambda f: (f["kb"][0], f["kb_alone"][0]), lambda v: v[0] <= 3,
        "%.2f ms (back to back %.2f)")
    add("es-ES+zh-TW kb-query p95 <= 8 ms", big, lambda f: (f["kb"][1], f["kb_alone"][1]), lambda v: v[0] <= 8,
        "%.2f ms (back to back %.2f)")
    add("es-ES+zh-TW median <= 0.75x quest median", big, lambda f: f["kb"][0] / f["quest"][0], lambda v: v <= 0.75, "%.2fx")
    add("es-ES+zh-TW p95 <= 0.5x quest p95", big, lambda f: f["kb"][1] / f["quest"][1], lambda v: v <= 0.5, "%.2fx")
    add("bundled kb-query median <= 2 ms", "bundled", lambda f: (f["kb"][0], f["kb_alone"][0]), lambda v: v[0] <= 2,
        "%.2f ms (back to back %.2f)")
    for c in CORPORA:
        add("%s long queries p95 <= 20 ms" % c, c, lambda f: f["long_p95"], lambda v: v <= 20, "%.2f ms")
    for c in CORPORA[1:]:
        add("%s kb-index >= 8 MB/s" % c, c, lambda f: mb(f["md_bytes"]) / f["full"], lambda v: v >= 8, "%.1f MB/s")
        add("%s kb-index >= 3x Xapian indexer" % c, c, lambda f: f["xapian_index"] / f["full"], lambda v: v >= 3, "%.2fx")
    for c in CORPORA:
        add("%s no-change re-run <= 0.5 s" % c, c, lambda f: f["nochange"], lambda v: v <= 0.5, "%.3f s")
        add("%s db <= 1.5x Markdown" % c, c, lambda f: f["db_bytes"] / f["md_bytes"], lambda v: v <= 1.5, "%.2fx")
        add("%s kb-query peak RSS <= 16 MB" % c, c, lambda f: f["query_rss"] / 1024, lambda v: v <= 16, "%.1f MB")
    return rows


# ---------------------------------------------------------------- main

def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = "?"
    try:
        with open("/proc/meminfo") as f:
            ram = "%.1f GB" % (int(f.readline().split()[1]) / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    commit = subprocess.run(["git", "-C", SOURCE, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", SOURCE, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
    return {"nproc": os.cpu_count(), "cpu": model, "ram": ram, "os": platform.platform(),
            "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "commit": (commit.stdout.strip() or "?") + (" (+ uncommitted changes)" if dirty.stdout.strip() else "")}


def load():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def versions(bindir):
    def first(cmd):
        try:
            p = subprocess.run(cmd, capture_output=True, text=True)
            return (p.stdout or p.stderr).splitlines()[0].strip()
        except (OSError, IndexError):
            return "absent"
    return {"kb-query": first([os.path.join(bindir, "kb-query"), "--version"]), "rg": first(["rg", "--version"]),
            "sqlite3": first(["sqlite3", "--version"])[:40], "quest": first(["quest", "--version"])}


# What the peers need, with the Debian package that holds each.
PEERS = {"rg": "ripgrep", "sqlite3": "sqlite3", "quest": "xapian-tools", "/usr/bin/time": "time"}
PEER_MODULES = {"xapian": "python3-xapian", "zstandard": "python3-zstandard"}


def missing_peers():
    """The Debian packages the benchmark needs that this machine lacks."""
    missing = [pkg for exe, pkg in PEERS.items() if not shutil.which(exe)]
    for mod, pkg in PEER_MODULES.items():
        try:
            baselines._import_debian(mod)
        except ImportError:
            missing.append(pkg)
    return missing


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(SOURCE, "build", "bin"), help="directory of kb-index and kb-query")
    ap.add_argument("--quick", action="store_true", help="the bundled corpus only")
    ap.add_argument("--corpora", help="comma-separated among: " + ", ".join(CORPORA))
    ap.add_argument("--queries", type=int, default=200, help="generated queries per corpus (default 200), "
                    "on top of the dev queries and every error ID")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the queries; a query's time is the "
                    "median of its passes (default 3)")
    ap.add_argument("--results", help="write RESULTS.md here (default: tests/bench/RESULTS.md on a full run)")
    ap.add_argument("--no-results", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    if a.rounds < 1:
        ap.error("--rounds must be at least 1")
    a.bin = os.path.abspath(a.bin)
    corpora = ["bundled"] if a.quick else list(CORPORA)
    if a.corpora:
        corpora = [c.strip() for c in a.corpora.split(",") if c.strip()]
        bad = [c for c in corpora if c not in CORPORA]
        if bad:
            ap.error("unknown corpus %s (known: %s)" % (", ".join(bad), ", ".join(CORPORA)))
    for exe in ("kb-index", "kb-query"):
        if not os.access(os.path.join(a.bin, exe), os.X_OK):
            ap.error("no %s in %s (build it, or pass --bin)" % (exe, a.bin))
    missing = missing_peers()
    if missing:
        ap.error("the peers need Debian packages this machine lacks: %s\n"
                 "install them with: sh scripts/install-deps.sh --test" % " ".join(missing))

    m = machine()
    v = versions(a.bin)
    cmd = " ".join(shlex.quote(x) for x in [os.path.relpath(sys.argv[0], SOURCE)] + sys.argv[1:])
    out("kb benchmark  %s  commit %s" % (m["date"], m["commit"]))
    out("machine: %d cores (nproc), %s, %s RAM, %s" % (m["nproc"], m["cpu"], m["ram"], m["os"]))
    out("tools: %s" % "; ".join("%s" % x for x in v.values()))
    out("command: %s" % cmd)
    out("load average at start: %s (other processes on the machine add noise, mostly to p95)" % load())

    tmp = tempfile.mkdtemp(prefix="kb-bench-")
    figs = {}
    try:
        floor = floor_ms(os.path.join(a.bin, "kb-query"))
        for c in corpora:
            figs[c] = bench_corpus(c, a, tmp, floor)
    finally:
        if a.keep:
            out("\n(kept %s)" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    out("\nload average at end: %s" % load())
    out("\n== targets (performance issue)")
    rows = targets(figs)
    for label, val, verdict in rows:
        if val != "corpus not run":
            out("   %-4s  %-46s %s" % (verdict, label, val))
    out("   %d PASS, %d MISS, %d n/a (corpus not run or figure missing)" % tuple(sum(1 for r in rows if r[2] == k) for k in ("PASS", "MISS", "n/a")))

    path = a.results or (os.path.join(HERE, "RESULTS.md") if set(corpora) == set(CORPORA) else None)
    if path and not a.no_results:
        with open(path, "w", encoding="utf-8") as f:
            f.write("# kb benchmark results\n\n")
            f.write("Generated by `tests/bench/bench.py` (`cmake --build build --target bench`); "
                    "do not edit by hand.\n\n")
            f.write("- machine: %d cores (`nproc`), %s, %s RAM, %s\n" % (m["nproc"], m["cpu"], m["ram"], m["os"]))
            f.write("- date: %s\n- git commit: %s\n- command: `%s`\n" % (m["date"], m["commit"], cmd))
            f.write("- tools: %s\n\n" % "; ".join(v.values()))
            f.write("Every latency is wall time around one process per query (spawned from Python: the "
                    "`kb-query --version` floor shows what start-up alone costs); a query's time is the "
                    "median of its %d passes through the query list, the tools rotated (\"back to back\": each "
                    "tool's queries in a row instead, no other tool between). p95 is nearest-rank. "
                    "Every tool's index files and the Markdown are read into the page cache before the "
                    "first query and again every %d queries, outside the timed runs.\n\n" % (a.rounds, WARM_EVERY))
            f.write("```\n" + "\n".join(out.lines) + "\n```\n")
        print("\nwrote %s" % path)


if __name__ == "__main__":
    main()
