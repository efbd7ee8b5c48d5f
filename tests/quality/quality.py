#!/usr/bin/env python3
"""Search quality of kb on tests/dev-queries.tsv over corpus/, beside the
baselines: hit@1, hit@3, MRR@10 and recall@10 per category and overall, and
the misses with what came back.

  tests/quality/quality.py [--build DIR] [--baselines] [--misses] [--json FILE]

Baselines (--baselines) index the same sections kb extracted: a plain FTS5
table (unicode61, every term quoted, OR-ed, bm25) through the sqlite3 CLI,
and Xapian (python3-xapian, Snowball stemmer of each locale) queried with
the `quest` CLI. A section counts as found when its doc#anchor is one of
the query's relevant sections."""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "tests", "e2e"))
sys.path.insert(0, os.path.join(SOURCE, "tests", "bench"))
import kbtest  # noqa: E402  (tests/e2e: the dev-query reader the tests use)


def load_queries():
    return kbtest.load_dev_queries()


def kb_search(build, db):
    exe = os.path.join(build, "bin", "kb-query")

    def search(q, lang):
        p = subprocess.run([exe, "--db", db, "--format", "json", "--limit", "10", "--lang", lang,
                            "--", q], capture_output=True)
        try:
            return [h["doc"] + "#" + h["anchor"] for h in json.loads(p.stdout)["results"]]
        except (ValueError, KeyError):
            return []
    return search


def section_key(ref):
    """'es-es/doc.md#anchor' -> 'doc.md#anchor': the section in any locale."""
    doc, _, anchor = ref.partition("#")
    return doc.split("/", 1)[-1] + "#" + anchor


def score(rows, search):
    """Per category and overall: hit@1, hit@3, MRR@10, recall@10; misses."""
    per = collections.defaultdict(lambda: [0, 0, 0, 0.0, 0.0])
    misses = []
    for qid, cat, q, rel in rows:
        lang = cat.split("-")[1] if "-" in cat else "es"
        if cat == "id":
            lang = "es"
        got = search(q, lang)[:10]
        ranks = [i for i, g in enumerate(got) if g in rel]
        first = ranks[0] if ranks else None
        for key in (cat, "overall"):
            s = per[key]
            s[0] += 1
            s[1] += first == 0
            s[2] += first is not None and first < 3
            s[3] += 1.0 / (first + 1) if first is not None else 0.0
            # recall counts sections, not their locale copies: a system that
            # shows one copy per section (kb does) has found the section
            s[4] += len(set(section_key(g) for g in got if g in rel)) / len(set(section_key(r) for r in rel))
        if first is None or first > 0:
            misses.append((qid, cat, q, rel, got[:3], first))
    table = {k: {"n": v[0], "hit@1": v[1] / v[0], "hit@3": v[2] / v[0], "mrr@10": v[3] / v[0],
                 "recall@10": v[4] / v[0]} for k, v in per.items()}
    return table, misses


def print_tables(tables):
    names = list(tables)
    cats = sorted(set(c for t in tables.values() for c in t), key=lambda c: (c == "overall", c))
    print("%-12s %4s  " % ("category", "n") + "  ".join("%-27s" % n for n in names))
    print("%-12s %4s  " % ("", "") + "  ".join("%-27s" % "hit@1 hit@3 mrr@10 rec@10" for _ in names))
    for c in cats:
        line = "%-12s %4d  " % (c, next(t[c]["n"] for t in tables.values() if c in t))
        for n in names:
            m = tables[n].get(c)
            line += "%5.2f %5.2f %6.2f %6.2f     " % (m["hit@1"], m["hit@3"], m["mrr@10"], m["recall@10"]) if m else " " * 29
        print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(SOURCE, "build"))
    ap.add_argument("--baselines", action="store_true")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--json", help="write kb's figures here")
    a = ap.parse_args()
    rows = load_queries()
    work = tempfile.mkdtemp(prefix="kb-quality-")
    try:
        run_and_report(a, rows, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_and_report(a, rows, work):
    db = os.path.join(work, "kb.sqlite")
    subprocess.run([os.path.join(a.build, "bin", "kb-index"), "--quiet", "--db", db, os.path.join(SOURCE, "corpus")],
                   check=True)
    tables = {}
    tables["kb"], misses = score(rows, kb_search(a.build, db))
    if a.baselines:
        import baselines
        secs = baselines.export_sections(db)
        fts = baselines.PlainFts(secs, work)
        tables["plain-fts5"], _ = score(rows, lambda q, lang: fts.search(q, 10))
        xap = baselines.Xapian(secs, work)
        tables["xapian"], _ = score(rows, lambda q, lang: xap.search(q, 10, lang))
    print_tables(tables)
    if a.misses:
        print("\nmisses (first relevant rank, top 3 returned):")
        for qid, cat, q, rel, got, first in misses:
            print("  %s [%s] %r -> %s\n      want %s\n      got  %s" % (qid, cat, q, "none" if first is None else first + 1,
                                                                   rel[0], got))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(tables["kb"], f, indent=1)


if __name__ == "__main__":
    main()
