"""Indexing for maintainers: incremental re-runs, includes, atomic
replacement under kill -9, queries during rebuilds, concurrent kb-index."""
import fcntl
import glob
import json
import os
import random
import re
import shutil
import sqlite3
import stat
import signal
import subprocess
import threading
import time

from kbtest import (CORPUS, KB_INDEX, KB_QUERY, build_index, check, finish, index_statistics, query, query_json,
                    SANITIZED, run, run_on_tty, tmpdir)


def summary_counts(out):
    """'(1 added, 2 changed, ...)' -> dict."""
    inner = out[out.rindex("(") + 1:out.rindex(")")]
    return {kind: int(n) for n, kind in (part.split() for part in inner.split(", "))}


work = tmpdir()
tree = os.path.join(work, "docs")
shutil.copytree(CORPUS, tree)
db = os.path.join(work, "kb.sqlite")

rc, out, err = build_index(db, [tree])
check(rc == 0 and summary_counts(out)["added"] == 24, "first run adds every document: " + out)


def dicts(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return con.execute("SELECT lang, id FROM dicts ORDER BY lang").fetchall()
    finally:
        con.close()


def free_pages(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return con.execute("PRAGMA freelist_count").fetchone()[0]
    finally:
        con.close()


first_dicts = dicts(db)
check(free_pages(db) == 0, "a built index has no free pages (%d)" % free_pages(db))
check([lang for lang, _ in first_dicts] == ["en", "es", "ja"],
      "a full build trains one packing dictionary per language: %r" % first_dicts)

# A re-run with no change reads nothing and does not rewrite the index.
before = os.stat(db)
rc, out, err = build_index(db, [tree])
after = os.stat(db)
c = summary_counts(out)
check(rc == 0 and c["unchanged"] == 24 and c["added"] + c["changed"] + c["removed"] == 0, "no-change run: " + out)
check(before.st_ino == after.st_ino and before.st_mtime_ns == after.st_mtime_ns, "no-change run leaves the file alone")

# Touching a file without changing it re-reads it but re-parses nothing.
os.utime(os.path.join(tree, "es-es", "backup-azure-mars-troubleshoot.md"))
rc, out, err = build_index(db, [tree])
check(rc == 0 and summary_counts(out)["changed"] == 0, "a touched but unchanged file is not re-indexed: " + out)

# One changed, one added, one removed.
with open(os.path.join(tree, "en-us", "backup-azure-mars-troubleshoot.md"), "a", encoding="utf-8") as f:
    f.write("\n## Zanzibar quokka troubleshooting\n\nThe quokka daemon needs a restart.\n")
with open(os.path.join(tree, "en-us", "new-doc.md"), "w", encoding="utf-8") as f:
    f.write("# Platypus errors\n\nPlatypus error 0x8007FFFF means the platypus is tired.\n")
os.remove(os.path.join(tree, "en-us", "troubleshoot-azure-files.md"))
rc, out, err = build_index(db, [tree])
c = summary_counts(out)
check(rc == 0 and (c["added"], c["changed"], c["removed"]) == (1, 1, 1), "incremental counts: " + out)
rc, doc, _ = query_json(db, "--all-locales", "quokka daemon")
check(rc == 0 and doc["results"][0]["anchor"] == "zanzibar-quokka-troubleshooting", "changed text is searchable")
rc, doc, _ = query_json(db, "--all-locales", "platypus")
check(rc == 0 and doc["results"][0]["doc"] == "en-us/new-doc.md", "added document is searchable")
rc, doc, _ = query_json(db, "--all-locales", "--doc-prefix", "en-us/troubleshoot-azure-files", "backup")
check(rc == 1, "removed document is gone")
check(dicts(db) == first_dicts, "incremental runs keep the dictionaries the stored views were packed with")
check(free_pages(db) == 0, "an incrementally updated index has no free pages (%d)" % free_pages(db))
# The index after incremental runs answers like a full rebuild.
full = os.path.join(work, "full.sqlite")
build_index(full, [tree], ["--full"])
for q in ["credenciales de almacén", "0x80070570", "quokka", "VM agent", "snapshot"]:
    a = query_json(db, "--all-locales", "--limit", "5", q)[1]
    b = query_json(full, "--all-locales", "--limit", "5", q)[1]
    check([(h["doc"], h["anchor"]) for h in a["results"]] == [(h["doc"], h["anchor"]) for h in b["results"]],
          "incremental index answers %r like a full rebuild" % q)
# Only the languages a run changed are brought up to date (here en); the
# others must still hold what a full rebuild computes.
check(index_statistics(db) == index_statistics(full), "incremental run leaves langs and terms as a full rebuild would")
# A language that only loses a document is brought up to date too.
ja_before = dict((lang, n) for lang, n, _ in index_statistics(db)[0])["ja"]
os.remove(os.path.join(tree, "ja-jp", "backup-azure-vms-troubleshoot.md"))
rc, out, err = build_index(db, [tree])
check(rc == 0 and summary_counts(out)["removed"] == 1, "removal-only run: " + out)
build_index(full, [tree], ["--full"])
ja_after = dict((lang, n) for lang, n, _ in index_statistics(db)[0])["ja"]
check(index_statistics(db) == index_statistics(full) and ja_after < ja_before,
      "a removal-only run updates that language's langs and terms (ja sections %d -> %d)" % (ja_before, ja_after))


def names(path):
    """Every anchor and heading key by document and section, and how many
    rows of either name a section that is gone."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        by_section = " JOIN sections s ON s.id = x.section_id JOIN docs d ON d.id = s.doc_id ORDER BY 1, 2, 3"
        return (con.execute("SELECT d.path, s.ord, x.anchor FROM anchors x" + by_section).fetchall(),
                con.execute("SELECT d.path, s.ord, x.key FROM heading_keys x" + by_section).fetchall(),
                con.execute("SELECT (SELECT count(*) FROM anchors WHERE section_id NOT IN (SELECT id FROM sections)),"
                            " (SELECT count(*) FROM heading_keys WHERE section_id NOT IN (SELECT id FROM sections))")
                .fetchone())
    finally:
        con.close()


# A changed and a removed document whose headings carry further anchors
# (<a id="cause1">): kb-index forgets a section's anchors and heading key
# by their keys, so none may be left behind, and none missing.
with open(os.path.join(tree, "es-es", "backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout.md"), "a",
          encoding="utf-8") as f:
    f.write("\n## Otra causa posible\n\nEl agente no responde.\n")
os.remove(os.path.join(tree, "en-us", "backup-azure-troubleshoot-slow-backup-performance-issue.md"))
before = names(db)
rc, out, err = build_index(db, [tree])
build_index(full, [tree], ["--full"])
after = names(db)
check(rc == 0 and after[2] == (0, 0) and after == names(full) and len(after[0]) < len(before[0]),
      "anchors and heading keys of changed and removed documents are forgotten: %d -> %d anchors, orphans %r"
      % (len(before[0]), len(after[0]), after[2]))
check(any(anchor == "clean_up_restore_point_collection" for path, _, anchor in after[0]
          if path.startswith("es-es/backup-azure-troubleshoot-vm")), "a changed document's aliases are stored again")


def langs_from_sections(path):
    """langs as the sections table has it, whatever code computed langs."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return con.execute("SELECT s.lang, count(*), (SELECT max(n) FROM (SELECT count(DISTINCT x.doc_id) AS n"
                           " FROM sections x JOIN docs d ON d.id = x.doc_id WHERE x.lang = s.lang GROUP BY d.dkey))"
                           " FROM sections s GROUP BY s.lang ORDER BY s.lang").fetchall()
    finally:
        con.close()


check([row for row in index_statistics(db)[0] if row[1] > 0] == langs_from_sections(db),
      "langs holds each language's sections and copies as the sections table does: %r" % (index_statistics(db)[0],))

# Includes are expanded; changing an include re-indexes the documents using it.
os.makedirs(os.path.join(tree, "includes"))
with open(os.path.join(tree, "includes", "wombat.md"), "w", encoding="utf-8") as f:
    f.write("The wombat cache must be cleared.\n")
with open(os.path.join(tree, "en-us", "inc-doc.md"), "w", encoding="utf-8") as f:
    f.write("# Marsupial guide\n\n[!INCLUDE [wombat](../includes/wombat.md)]\n")
rc, out, err = build_index(db, [tree])
rc, doc, _ = query_json(db, "--all-locales", "wombat cache")
check(rc == 0 and doc["results"][0]["doc"] == "en-us/inc-doc.md", "included text is searchable in the including doc")
check(all(h["doc"] != "includes/wombat.md" for h in doc["results"]), "include files are not documents of their own")
time.sleep(0.01)
with open(os.path.join(tree, "includes", "wombat.md"), "w", encoding="utf-8") as f:
    f.write("The numbat cache must be cleared.\n")
rc, out, err = build_index(db, [tree])
check(summary_counts(out)["changed"] == 1, "changing an include re-indexes its includer: " + out)
check(query(db, "--all-locales", "numbat")[0] == 0 and query(db, "--all-locales", "wombat")[0] == 1,
      "the includer shows the new include text")

# A bigger tree so rebuilds take long enough to be interrupted and raced.
big = os.path.join(work, "big")
for i in range(16):
    shutil.copytree(CORPUS, os.path.join(big, "copy%02d" % i))
bigdb = os.path.join(work, "big.sqlite")
rc, out, err = build_index(bigdb, [big])
check(rc == 0, "big tree indexes")
_, reference, _ = query_json(bigdb, "--all-locales", "--limit", "5", "credenciales")

# kill -9 at random points of full rebuilds: the old index stays whole.
rng = random.Random(7)
for attempt in range(6):
    p = subprocess.Popen([KB_INDEX, "--quiet", "--full", "--db", bigdb, big], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.02, 0.35))
    p.send_signal(signal.SIGKILL)
    p.wait()
    rc, doc, err = query_json(bigdb, "--all-locales", "--limit", "5", "credenciales")
    check(rc == 0 and doc["results"] == reference["results"],
          "after kill -9 #%d the index answers as before (rc %d %s)" % (attempt, rc, err))
rc, out, err = build_index(bigdb, [big])
check(rc == 0, "the next run completes after kills: " + err)
check(not glob.glob(bigdb + ".kb-index-*"), "no temporary file is left behind")

# A run interrupted on purpose (SIGTERM, SIGINT, SIGHUP) removes its
# temporary file; one killed leaves it, and the next run removes it and
# says so (as large as the index, it had stayed until then unsaid).
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL):
    p = subprocess.Popen([KB_INDEX, "--quiet", "--full", "--db", bigdb, big], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not glob.glob(bigdb + ".kb-index-*") and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    p.send_signal(sig)
    p.wait()
    left = glob.glob(bigdb + ".kb-index-*")
    if sig != signal.SIGKILL:
        check(p.returncode == -sig and not left, "%s mid-run: its temporary file is removed (rc %d, %s)"
              % (signal.Signals(sig).name, p.returncode, left))
check(len(left) == 1, "kill -9 mid-run leaves its temporary file: %s" % left)
# ...but a file of the user's beside the index is theirs: a copy named
# "DB.tmp-backup" or "DB.tmp" had been removed as a run's leftover.
mine = [bigdb + ".tmp", bigdb + ".tmp-backup", bigdb + ".tmp-before", bigdb + ".kb-index-mine", bigdb + ".old"]
for path in mine:
    shutil.copyfile(bigdb, path)
rc, out, err = run([KB_INDEX, "--db", bigdb, big])
check(rc == 0 and not set(glob.glob(bigdb + ".kb-index-*")) - set(mine) and "removed %s" % left[0] in err and "did not finish" in err,
      "the next run removes it and says so (rc %d): %s" % (rc, err[-300:]))
check(all(os.path.exists(path) for path in mine) and err.count("removed") == 1,
      "...and no file of the user's: %s, %s" % ([p for p in mine if not os.path.exists(p)], err[-300:]))
for path in mine:
    os.remove(path)

# The lock file removed while a run holds it ("rm -f kb.sqlite*"): a second
# run then takes a lock of its own, and the two run at once. Each writes a
# file of its own, and the index is always one of them whole: they had
# shared DB.tmp, and the first renamed the second's half-written file into
# place (0 documents, exit 0).
for attempt in range(3):
    first = subprocess.Popen([KB_INDEX, "--quiet", "--full", "--db", bigdb, big], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not glob.glob(bigdb + ".kb-index-*") and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.remove(bigdb + ".lock")
    second = subprocess.Popen([KB_INDEX, "--quiet", "--full", "--db", bigdb, big], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    errs = [first.communicate(timeout=300)[1], second.communicate(timeout=300)[1]]
    rcs = [first.returncode, second.returncode]
    rc, doc, err = query_json(bigdb, "--all-locales", "--limit", "5", "credenciales")
    check(0 in rcs and set(rcs) <= {0, 3} and rc == 0 and doc["results"] == reference["results"],
          "two runs at once, the lock removed (#%d): the index is whole (rcs %s, %s)" % (attempt, rcs, errs))

# Queries in a loop during repeated rebuilds: zero errors, never empty.
errors = []
stop = threading.Event()


def hammer():
    n = 0
    while not stop.is_set():
        rc, out, err = run([KB_QUERY, "--db", bigdb, "--format", "json", "--limit", "3", "credenciales almacén"])
        n += 1
        if rc != 0 or '"results":[]' in out:
            errors.append((rc, err.strip()))
    errors.append(("count", n))


threads = [threading.Thread(target=hammer) for _ in range(2)]
for t in threads:
    t.start()
for i in range(4):
    build_index(bigdb, [big], ["--full", "--quiet"])
stop.set()
for t in threads:
    t.join()
counts = [n for kind, n in errors if kind == "count"]
real = [e for e in errors if e[0] != "count"]
check(sum(counts) > 10, "queries ran during rebuilds (%d)" % sum(counts))
check(not real, "no query failed during rebuilds: %s" % real[:3])

# Two kb-index at once on one database: the second waits, or refuses with --no-wait.
# The first holds the lock once its temporary copy exists: a fixed pause
# was too short on a loaded machine, and the second run took the lock first.
p = subprocess.Popen([KB_INDEX, "--quiet", "--full", "--db", bigdb, big], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
deadline = time.monotonic() + 120
while not glob.glob(bigdb + ".kb-index-*") and p.poll() is None and time.monotonic() < deadline:
    time.sleep(0.01)
check(p.poll() is None and glob.glob(bigdb + ".kb-index-*"), "the first run is building its copy")
rc, out, err = run([KB_INDEX, "--no-wait", "--full", "--db", bigdb, big])
check(rc == 6 and "another kb-index" in err, "a concurrent run with --no-wait refuses clearly (rc %d: %s)" % (rc, err))
rc, out, err = run([KB_INDEX, "--quiet", "--full", "--db", bigdb, big])
check(rc == 0, "a concurrent run without --no-wait waits and succeeds")
p.wait()
# The time a run reports is its own, not the other run's it waited for
# (it had said "in 2.03 s" of a run that changed nothing).
with open(bigdb + ".lock", "a") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    waiting = subprocess.Popen([KB_INDEX, "--db", bigdb, big], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    fcntl.flock(lock, fcntl.LOCK_UN)
out, err = waiting.communicate(timeout=120)
m = re.search(r" in ([0-9.]+) s ", out)
check(waiting.returncode == 0 and m and float(m.group(1)) < 1.5,
      "the run that waited 2 s reports its own time: %s %s" % (out[-200:], err[-200:]))
check(p.returncode == 0, "the first run also succeeded")
# A run waiting for the lock when the lock file is deleted and another run
# locks a new one (a maintainer took it for a stale one) waits for that
# run: it had woken on the deleted file's lock and written beside it.
with open(bigdb + ".lock", "a") as old_lock:
    fcntl.flock(old_lock, fcntl.LOCK_EX)
    waiting = subprocess.Popen([KB_INDEX, "--quiet", "--db", bigdb, big], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    os.remove(bigdb + ".lock")
    with open(bigdb + ".lock", "a") as new_lock:
        fcntl.flock(new_lock, fcntl.LOCK_EX)
        fcntl.flock(old_lock, fcntl.LOCK_UN)
        time.sleep(1.5)
        check(waiting.poll() is None, "the waiting run waits for the new lock's holder (rc %s)" % waiting.poll())
        fcntl.flock(new_lock, fcntl.LOCK_UN)
out, err = waiting.communicate(timeout=120)
check(waiting.returncode == 0, "...and then runs: %s" % err[-300:])
check(query(bigdb, "credenciales")[0] == 0, "the index is usable after concurrent runs")

# A tree given twice, or inside another given tree, is indexed once: its
# files were once indexed twice, under two paths, and found twice.
def doc_paths(path):
    con = sqlite3.connect(path)
    paths = sorted(r[0] for r in con.execute("SELECT path FROM docs"))
    con.close()
    return paths

once = os.path.join(work, "once.sqlite")
build_index(once, [tree])
for roots in ([tree, tree], [tree, os.path.join(tree, "es-es")], [os.path.join(tree, "es-es"), tree + "/"]):
    twice = os.path.join(work, "twice.sqlite")
    for f in (twice, twice + ".lock"):
        if os.path.exists(f):
            os.remove(f)
    rc, out, err = build_index(twice, roots)
    said = "indexed once" in err or "indexed from there" in err
    check(rc == 0 and doc_paths(twice) == doc_paths(once) and said,
          "%s: the documents of one tree, and a warning (rc %d: %s)" % (roots, rc, err.strip()[-160:]))

# A language whose documents are all removed is gone: the index updated so
# answers as one built without it. Its emptied table once still counted as
# an indexed language, so --lang ja read as asked, not as a C locale.
tree = os.path.join(work, "three-locales")
shutil.copytree(CORPUS, tree)
updated, fresh = os.path.join(work, "updated.sqlite"), os.path.join(work, "fresh.sqlite")
check(build_index(updated, (tree,))[0] == 0, "the es/en/ja tree indexes")
shutil.rmtree(os.path.join(tree, "ja-jp"))
check(build_index(updated, (tree,))[0] == 0 and build_index(fresh, (tree,))[0] == 0, "the tree without ja-jp indexes")
for q in ("backup", "error", "0x80070570", "VM Agent", "copia de seguridad"):
    pages = [[ref["ref"] for ref in query_json(path, "--lang", "ja", "--limit", "5", "--", q)[1]["results"]]
             for path in (updated, fresh)]
    check(pages[0] == pages[1], "--lang ja %r: the updated index answers as the fresh one: %s" % (q, pages))

# A file saved again within its timestamp's tick, at the same size, keeps
# its size and mtime; the run that read the first save must not trust them.
# The second save's mtime is put back by hand, as such a save leaves it.
tree = os.path.join(work, "racy")
shutil.copytree(CORPUS, tree)
racy_db = os.path.join(work, "racy.sqlite")
check(build_index(racy_db, (tree,))[0] == 0, "the tree for racy saves indexes")
doc = os.path.join(tree, "en-us", "gateway.md")
with open(doc, "w", encoding="utf-8") as f:
    f.write("# Wombat gateway\n\nThe wombat gateway drops packets.\n")
check(build_index(racy_db, (tree,))[0] == 0 and query(racy_db, "--all-locales", "wombat")[0] == 0,
      "a document saved just before a run is indexed")
saved = os.stat(doc).st_mtime_ns
with open(doc, "w", encoding="utf-8") as f:
    f.write("# Numbat gateway\n\nThe numbat gateway drops packets.\n")
os.utime(doc, ns=(saved, saved))
rc, out, err = build_index(racy_db, (tree,))
check(rc == 0 and query(racy_db, "--all-locales", "numbat")[0] == 0
      and query(racy_db, "--all-locales", "wombat")[0] == 1,
      "a second save with the same size and mtime is seen by the next run: " + out)
# A file dated in the future is read once, not on every run.
future = time.time_ns() + 86400 * 10**9
os.utime(doc, ns=(future, future))
build_index(racy_db, (tree,))
before = os.stat(racy_db)
rc, out, err = build_index(racy_db, (tree,))
after = os.stat(racy_db)
check(rc == 0 and before.st_ino == after.st_ino and before.st_mtime_ns == after.st_mtime_ns,
      "a file dated in the future is not read again on every run: " + out)


def write(path, text, mtime=None):
    """Writes text to path (making its folders); dated mtime (seconds) if given."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


OLD = 1704067200  # 2024-01-01: old enough that no run treats a file as racily clean


def unchanged_file(path, before):
    """The index file was not rewritten since os.stat gave before."""
    after = os.stat(path)
    return before.st_ino == after.st_ino and before.st_mtime_ns == after.st_mtime_ns


def test_failed_include_is_retried():
    """An include that could not be read (missing, over --max-file-size) is
    recorded: once it can be read, its includer is re-parsed."""
    root = os.path.join(work, "late-include")
    idx = os.path.join(work, "late-include.sqlite")
    write(os.path.join(root, "articles", "a.md"), "# Doc\n\nintro\n\n[!INCLUDE [x](../includes/later.md)]\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and "not found" in err, "a missing include is reported: " + err)
    before = os.stat(idx)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and unchanged_file(idx, before), "a still missing include rewrites nothing: " + out)
    write(os.path.join(root, "includes", "later.md"), "gammaword is now here\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["changed"] == 1, "an include that appeared re-parses its includer: " + out)
    check(query(idx, "gammaword")[0] == 0, "the include that appeared is searchable")
    # Over the size limit, then under it: the limit changed, not the file.
    write(os.path.join(root, "includes", "big.md"), "zetaword\n" + "padding words here\n" * 180000, OLD)
    write(os.path.join(root, "articles", "b.md"), "# Big\n\n[!INCLUDE [b](../includes/big.md)]\n", OLD)
    rc, out, err = build_index(idx, [root], ["--max-file-size", "1"])
    check(rc == 0 and query(idx, "zetaword")[0] == 1, "an include over --max-file-size is left out: " + err)
    before = os.stat(idx)
    rc, out, err = build_index(idx, [root], ["--max-file-size", "1"])
    check(rc == 0 and unchanged_file(idx, before), "a still too large include rewrites nothing: " + out)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["changed"] == 1 and query(idx, "zetaword")[0] == 0,
          "under a larger --max-file-size the include is read: " + out)


def test_touched_include_leaves_its_page_unchanged():
    """An include saved again as it was, or one too recently dated to trust
    when it was read (a fresh copy of a tree), is read again with its page,
    which is unchanged: it had been counted changed."""
    root = os.path.join(work, "touched-include")
    idx = os.path.join(work, "touched-include.sqlite")
    write(os.path.join(root, "articles", "a.md"), "# Doc\n\nintro\n\n[!INCLUDE [x](../includes/x.md)]\n", OLD)
    write(os.path.join(root, "articles", "b.md"), "# Other\n\nbetaword\n", OLD)
    write(os.path.join(root, "includes", "x.md"), "iotaword here\n", OLD)
    check(build_index(idx, [root])[0] == 0, "a page and its include index")
    write(os.path.join(root, "includes", "x.md"), "iotaword here\n", OLD + 60)
    rc, out, err = build_index(idx, [root])
    c = summary_counts(out)
    check(rc == 0 and c["changed"] == 0 and c["unchanged"] == 2 and query(idx, "iotaword")[0] == 0,
          "an include saved again as it was: its page unchanged: " + out)
    before = os.stat(idx)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and unchanged_file(idx, before), "...and the include's new date recorded: " + out)
    # Dated now, the page and its include are read again on the next run.
    fresh = os.path.join(work, "touched-include-copy")
    shutil.copytree(root, fresh, copy_function=shutil.copy)  # dated now
    fresh_idx = os.path.join(work, "touched-include-copy.sqlite")
    check(build_index(fresh_idx, [fresh])[0] == 0, "a fresh copy indexes")
    rc, out, err = build_index(fresh_idx, [fresh])
    c = summary_counts(out)
    check(rc == 0 and c["changed"] == 0 and c["unchanged"] == 2, "a fresh copy's second run: nothing changed: " + out)
    write(os.path.join(root, "includes", "x.md"), "kappaword now\n", OLD + 120)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["changed"] == 1 and query(idx, "kappaword")[0] == 0
          and query(idx, "iotaword")[0] == 1, "a changed include still re-parses its page: " + out)
    # The limit decides which includes are kept: one read, then left out
    # with the rest as too much, is back under a larger limit once touched
    # (it had been counted unchanged, its text left out).
    write(os.path.join(root, "includes", "y.md"), "muword " + "filler " * 45 + "\n", OLD)
    write(os.path.join(root, "includes", "z.md"), "lambdaword " + "filler " * 45 + "\n", OLD)
    write(os.path.join(root, "articles", "c.md"),
          "# C\n\n[!INCLUDE [y](../includes/y.md)]\n\n[!INCLUDE [z](../includes/z.md)]\n", OLD)
    rc, out, err = build_index(idx, [root], ["--max-file-size", "0.0005"])
    check(rc == 0 and query(idx, "muword")[0] == 0 and query(idx, "lambdaword")[0] == 1,
          "each under the limit, together over it: the second include is left out: " + err)
    write(os.path.join(root, "includes", "z.md"), "lambdaword " + "filler " * 45 + "\n", OLD + 60)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and query(idx, "lambdaword")[0] == 0, "under the default limit it is read again: " + out)


def test_include_outside_the_walk_is_not_reread():
    """Includes kb_walk does not list (a .txt snippet, a file under a hidden
    folder, a tree's top-level README.md) are checked where they are: no
    change, no write; a change re-parses the includer."""
    root = os.path.join(work, "odd-includes")
    idx = os.path.join(work, "odd-includes.sqlite")
    write(os.path.join(root, "README.md"), "rhoword in the readme\n", OLD)
    write(os.path.join(root, "articles", "snippet.txt"), "epsilonword\n", OLD)
    write(os.path.join(root, ".shared", "x.md"), "sigmaword\n", OLD)
    write(os.path.join(root, "articles", "b.md"),
          "# Doc B\n\n[!INCLUDE [y](snippet.txt)]\n\n[!INCLUDE [z](../.shared/x.md)]\n\n"
          "[!INCLUDE [r](~/README.md)]\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and all(query(idx, w)[0] == 0 for w in ("epsilonword", "sigmaword", "rhoword")),
          "a .txt, a hidden folder's file and the README are included: " + err)
    for i in range(2):
        before = os.stat(idx)
        rc, out, err = build_index(idx, [root])
        check(rc == 0 and summary_counts(out)["changed"] == 0 and unchanged_file(idx, before),
              "run %d with no change writes nothing: %s" % (i, out))
    write(os.path.join(root, "articles", "snippet.txt"), "omegaword\n", OLD + 60)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["changed"] == 1 and query(idx, "omegaword")[0] == 0,
          "a changed .txt include re-parses its includer: " + out)


def test_bad_new_file_does_not_rewrite_the_index():
    """A bad file the index does not hold is skipped with a warning on every
    run, and a run with nothing else to do writes nothing."""
    root = os.path.join(work, "bad-file")
    idx = os.path.join(work, "bad-file.sqlite")
    write(os.path.join(root, "good.md"), "# Good\n\ntext\n", OLD)
    with open(os.path.join(root, "bin.md"), "wb") as f:
        f.write(b"a\0b")
    with open(os.path.join(root, "latin1.md"), "wb") as f:
        f.write(b"# Caf\xe9\n")
    for name in ("bin.md", "latin1.md"):
        os.utime(os.path.join(root, name), (OLD, OLD))
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["skipped"] == 2, "bad files are skipped: " + out)
    for i in range(2):
        before = os.stat(idx)
        rc, out, err = build_index(idx, [root])
        check(rc == 0 and "bin.md" in err and "latin1.md" in err and summary_counts(out)["skipped"] == 2,
              "run %d still warns about the bad files: %s" % (i, err))
        check(unchanged_file(idx, before), "run %d skipping the same bad files writes nothing: %s" % (i, out))
    # A new good file next to the bad ones is indexed, the bad ones still skipped.
    write(os.path.join(root, "more.md"), "# More\n\nkappaword\n", OLD)
    rc, out, err = build_index(idx, [root])
    c = summary_counts(out)
    check(rc == 0 and (c["added"], c["skipped"]) == (1, 2) and err.count("bin.md") == 1
          and query(idx, "kappaword")[0] == 0, "a good file among bad ones is added: %s %s" % (out, err))


def locales(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return dict(con.execute("SELECT path, locale FROM docs"))
    finally:
        con.close()


def test_default_locale_change_reparses():
    """The locale a document gets from --default-locale, or from its root's
    name, is part of change detection."""
    root = os.path.join(work, "loc", "docs")
    idx = os.path.join(work, "loc.sqlite")
    write(os.path.join(root, "articles", "a.md"),
          "---\ntitle: Hola\n---\n# Configuración del almacén\n\nNo se puede conectar al almacén.\n", OLD)
    write(os.path.join(root, "articles", "named.md"),
          "---\nms.contentlocale: ja-jp\n---\n# Named\n\ntext\n", OLD)
    write(os.path.join(root, "fr-fr", "c.md"), "# Bonjour\n\ntexte\n", OLD)
    check(build_index(idx, [root], ["--quiet"])[0] == 0, "the locale tree indexes")
    rc, out, err = build_index(idx, [root], ["--default-locale", "es-es"])
    check(rc == 0 and summary_counts(out)["changed"] == 1, "only the document taking the default changes: " + out)
    check(locales(idx) == {"articles/a.md": "es-es", "articles/named.md": "ja-jp", "fr-fr/c.md": "fr-fr"},
          "a new --default-locale applies to unchanged documents: %r" % locales(idx))
    con = sqlite3.connect("file:%s?mode=ro" % idx, uri=True)
    langs = con.execute("SELECT DISTINCT s.lang FROM sections s JOIN docs d ON d.id = s.doc_id"
                        " WHERE d.path = 'articles/a.md'").fetchall()
    con.close()
    check(langs == [("es",)], "the document's sections are in its new language: %r" % langs)
    before = os.stat(idx)
    rc, out, err = build_index(idx, [root], ["--default-locale", "es-es"])
    check(rc == 0 and unchanged_file(idx, before), "the same --default-locale again writes nothing: " + out)
    # The same tree under a folder named like a locale.
    renamed = os.path.join(work, "loc", "pt-br")
    os.rename(root, renamed)
    rc, out, err = build_index(idx, [renamed], ["--default-locale", "es-es"])
    check(rc == 0 and locales(idx)["articles/a.md"] == "pt-br", "a root renamed to a locale re-localizes: " + out)
    before = os.stat(idx)
    rc, out, err = build_index(idx, [renamed])
    check(rc == 0 and unchanged_file(idx, before),
          "a root named like a locale ignores --default-locale: nothing to write: " + out)


def test_damaged_index_is_reported():
    """An index with damaged pages: kb-index says so and how to rebuild it,
    exits 3, and leaves the file as it was; --full rebuilds it."""
    root = os.path.join(work, "damaged")
    idx = os.path.join(work, "damaged.sqlite")
    shutil.copytree(CORPUS, root)
    for dirpath, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(dirpath, name), (OLD, OLD))
    check(build_index(idx, [root], ["--quiet"])[0] == 0, "the tree to damage indexes")
    con = sqlite3.connect(idx)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    rng = random.Random(1)
    with open(idx, "r+b") as f:
        f.seek(20 * page)
        f.write(bytes(rng.randrange(256) for _ in range(41 * page)))
    damaged = open(idx, "rb").read()
    rc, out, err = build_index(idx, [root])
    check(rc == 3 and "damaged" in err and "--full" in err and "disk full" not in err,
          "a run with no change reports the damage (rc %d: %s)" % (rc, err.strip()[-300:]))
    doc = os.path.join(root, "en-us", "backup-azure-mars-troubleshoot.md")
    with open(doc, "a", encoding="utf-8") as f:
        f.write("\n## Quoll\n\nquoll\n")
    os.utime(doc, (OLD + 60, OLD + 60))
    rc, out, err = build_index(idx, [root])
    check(rc == 3 and "damaged" in err and "--full" in err and "disk full" not in err and idx + ".kb-index-" not in err
          and ("--db %s " % idx) in err,
          "a run with a change reports the damage of the index, not of its copy (rc %d: %s)"
          % (rc, err.strip()[-300:]))
    check(open(idx, "rb").read() == damaged, "a failed run leaves the damaged index as it was")
    rc, out, err = build_index(idx, [root], ["--full"])
    check(rc == 0 and query(idx, "--all-locales", "quoll")[0] == 0, "--full rebuilds a damaged index: " + err[-200:])
    # Damage found while the copy is written (a language's FTS table, which
    # the change updates): once reported as the copy's, "--db DB.tmp", with a
    # guess at the disk.
    con = sqlite3.connect(idx)
    root_page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'fts_es_data'").fetchone()[0]
    con.close()
    with open(idx, "r+b") as f:
        f.seek((root_page - 1) * page)
        f.write(b"\x55" * page)
    doc = os.path.join(root, "es-es", "backup-azure-mars-troubleshoot.md")
    with open(doc, "a", encoding="utf-8") as f:
        f.write("\n## Quokka\n\nquokka\n")
    os.utime(doc, (OLD + 120, OLD + 120))
    rc, out, err = build_index(idx, [root])
    check(rc == 3 and "damaged" in err and ("--full --db %s DIR" % idx) in err and ".kb-index-" not in err
          and "disk" not in err, "damage met in an FTS table names --db (rc %d): %s" % (rc, err.strip()[-300:]))


PROXY_DOC = """---
title: Proxy
ms.contentlocale: es-es
---
# Proxy

## <a name="web-proxy"></a>Errores de proxy web

| No. | Mensaje de error | Causa | Acción recomendada |
|---|---|---|---|
| 1 | Parámetro no válido | La URI no es válida. | Utilice el formato: \
http://*<IP address or FQDN of the web proxy server>*:*<TCP port number>* |

Ejecútelo en <your-resource-group>.<br>Después <b>reinicie</b>.
"""


def test_placeholders_are_text():
    """A placeholder in angle brackets, which CommonMark reads as an HTML
    tag, is shown in the text, the JSON and the Markdown, and searchable."""
    root = os.path.join(work, "placeholders")
    idx = os.path.join(work, "placeholders.sqlite")
    write(os.path.join(root, "proxy.md"), PROXY_DOC, OLD)
    check(build_index(idx, [root], ["--quiet"])[0] == 0, "the placeholder doc indexes")
    rc, doc, err = query_json(idx, "--show", "proxy.md#web-proxy")
    res = doc["results"][0] if rc == 0 and doc and doc.get("results") else {}
    want = "http://<IP address or FQDN of the web proxy server>:<TCP port number>"
    actions = [a for r in res.get("remediation", []) for a in r.get("actions", [])]
    check(any(want in a for a in actions), "the remediation action keeps the placeholders: %r" % actions)
    check(want in res.get("text", "") and "<your-resource-group>." in res.get("text", "")
          and "<b>" not in res.get("text", ""), "the text keeps the placeholders, not the tags: %r" % res.get("text"))
    rc, out, err = query(idx, "--format", "markdown", "--show", "proxy.md#web-proxy")
    check("http://*\\<IP address or FQDN of the web proxy server\\>*:*\\<TCP port number\\>*" in out
          and "<b>reinicie</b>" in out, "the Markdown escapes the placeholders and keeps the tags: " + out)
    for words in ("FQDN", "TCP port number", "your-resource-group"):
        rc, doc, err = query_json(idx, words)
        refs = [r["doc"] + "#" + r["anchor"] for r in (doc or {}).get("results", [])]
        check(rc == 0 and "proxy.md#web-proxy" in refs, "the placeholder's words are indexed: %r finds %r" % (words, refs))


def test_language_over_the_limit_is_skipped():
    """An index holds 64 languages: a document that would add a 65th is
    skipped with a warning naming it, the run goes on and exits 0."""
    root = os.path.join(work, "langs")
    idx = os.path.join(work, "langs.sqlite")
    codes = [a + b for a in "bcdfg" for b in "aeiouyhjklmnp"][:65]
    for c in codes:
        write(os.path.join(root, c + ".md"), "---\nms.contentlocale: %s-%s\n---\n# H\n\ntext %sword\n" % (c, c, c), OLD)
    rc, out, err = build_index(idx, [root])
    last = max(codes)  # files are written in path order: the last one is the 65th language
    check(rc == 0 and summary_counts(out)["added"] == 64 and summary_counts(out)["skipped"] == 1,
          "65 languages: 64 added, one skipped, exit 0 (rc %d): %s %s" % (rc, out, err[-300:]))
    check(("kb-index: warning: %s.md: locale %s-%s:" % (last, last, last)) in err and "64" in err,
          "the warning names the document, its locale and the limit: " + err)
    if not check(os.path.exists(idx), "the index is written"):
        return
    con = sqlite3.connect("file:%s?mode=ro" % idx, uri=True)
    n = con.execute("SELECT count(*) FROM langs WHERE nsection > 0").fetchone()[0]
    con.close()
    check(n == 64, "the index holds 64 languages (%d)" % n)
    check(query(idx, "--all-locales", codes[0] + "word")[0] == 0, "the other documents are searchable")
    # A later run: the same document is skipped again, and one more too.
    write(os.path.join(root, "zz.md"), "---\nms.contentlocale: zz-zz\n---\n# H\n\ntext\n", OLD)
    write(os.path.join(root, "ba2.md"), "---\nms.contentlocale: ba-ba\n---\n# H\n\nmore text\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and (summary_counts(out)["added"], summary_counts(out)["skipped"]) == (1, 2)
          and last + ".md" in err and "zz.md" in err,
          "an incremental run skips both, adds a document of a held language: %s %s" % (out, err[-300:]))


def test_warnings_do_not_continue_the_progress_line():
    """On a terminal, a warning wipes the progress line first: it is not
    glued to "ETA 0s", and the progress is drawn again after it."""
    root = os.path.join(work, "progress")
    idx = os.path.join(work, "progress.sqlite")
    for i in range(40):
        write(os.path.join(root, "d%02d.md" % i), "# Doc %d\n\ntext\n" % i, OLD)
        if i % 10 == 1:
            with open(os.path.join(root, "d%02d-bad.md" % i), "wb") as f:
                f.write(b"# Bad\n\ncaf\xe9\n")
    rc, tty = run_on_tty([KB_INDEX, "--jobs", "1", "--db", idx, root], stream="stderr")
    n = tty.count("kb-index: warning: ")
    glued = [tty[max(0, i - 40):i + 30] for i in range(len(tty)) if tty.startswith("kb-index: warning: ", i)
             and not (i == 0 or tty[i - 1] == "\n" or tty[:i].endswith("\r\033[K"))]
    check(rc == 0 and n == 4, "kb-index warns about the 4 bad files on a terminal (%d): %r" % (n, tty[-500:]))
    check("ETA" in tty and not glued, "no warning continues the progress line: %r" % glued)
    after = tty[tty.rindex("kb-index: warning: "):]
    check("\r\033[Kkb-index: " in after and " files " in after, "the progress line is drawn again after a warning")


def as_nobody(args):
    """args run as user nobody (root alone can switch), so that chmod 000 bites."""
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *args]


def nobody_tree(name, files):
    """A tree of files (dated OLD) and an index path, both owned by nobody."""
    base = tmpdir()
    os.chmod(base, 0o755)
    root = os.path.join(base, name)
    for rel, text in files.items():
        write(os.path.join(root, rel), text, OLD)
    for dirpath, dirnames, filenames in os.walk(base):
        for n in dirnames + filenames:
            os.chown(os.path.join(dirpath, n), 65534, 65534)
    os.chown(base, 65534, 65534)
    return root, os.path.join(base, "kb.sqlite")


def test_unreadable_dir_leaves_the_index_alone():
    """A DIR that cannot be read fails the run (exit 4) and leaves the index
    as it was; --check exits 2. It had read as an empty tree, and every
    document was removed with exit 0."""
    if os.geteuid() != 0:
        print("skipped: needs root to run as nobody")
        return
    root, idx = nobody_tree("unreadable-root", {"en-us/a.md": "# A\n\nalphaword\n", "b.md": "# B\n\nbetaword\n"})
    rc, out, err = run(as_nobody([KB_INDEX, "--db", idx, root]))
    check(rc == 0, "the tree indexes as nobody (rc %d): %s" % (rc, err))
    kept = open(idx, "rb").read()
    os.chmod(root, 0)
    rc, out, err = run(as_nobody([KB_INDEX, "--db", idx, root]))
    check(rc == 4 and "Permission denied" in err and "removed" not in out,
          "an unreadable DIR: exit 4, nothing removed (rc %d): %s %s" % (rc, out, err))
    check(open(idx, "rb").read() == kept, "an unreadable DIR leaves the index as it was")
    rc, out, err = run(as_nobody([KB_INDEX, "--check", root]))
    check(rc == 2 and "Permission denied" in err, "--check of an unreadable DIR: exit 2 (rc %d): %s" % (rc, err))
    os.chmod(root, 0o755)


def test_read_only_index_is_updated_and_stays_read_only():
    """An index its owner made read-only (0444) is updated and keeps that
    mode: the run's copy took the mode from the start, and each run failed
    with "attempt to write a readonly database" (a hostile tester's)."""
    if os.geteuid() != 0:
        print("skipped: needs root to run as nobody")
        return
    root, idx = nobody_tree("read-only-index", {"en-us/a.md": "# A\n\nalphaword\n"})
    check(run(as_nobody([KB_INDEX, "--db", idx, root]))[0] == 0, "the tree indexes as nobody")
    os.chmod(idx, 0o444)
    write(os.path.join(root, "en-us", "b.md"), "# B\n\nbetaword\n", OLD)
    os.chown(os.path.join(root, "en-us", "b.md"), 65534, 65534)
    for args in ([], ["--full"]):
        rc, out, err = run(as_nobody([KB_INDEX, *args, "--db", idx, root]))
        check(rc == 0 and stat.S_IMODE(os.stat(idx).st_mode) == 0o444,
              "a 0444 index is updated %s and stays 0444 (rc %d, mode %o): %s"
              % (args, rc, stat.S_IMODE(os.stat(idx).st_mode), err))
    rc, doc, _ = query_json(idx, "betaword")
    check(rc == 0 and doc and doc["results"], "...with the new page in it")


def test_unreadable_files_keep_their_indexed_version():
    """A document that cannot be read now, or lies in a folder that cannot
    be read, keeps its indexed version, with a warning that says why, and
    is counted skipped; nothing is removed, and the next run writes nothing."""
    if os.geteuid() != 0:
        print("skipped: needs root to run as nobody")
        return
    root, idx = nobody_tree("unreadable-files", {"en-us/a.md": "# A\n\nalphaword\n",
                                                 "en-us/secret.md": "# Secret\n\nsecretword\n",
                                                 "en-us/sub/s.md": "# Sub\n\nsubword\n"})
    check(run(as_nobody([KB_INDEX, "--db", idx, root]))[0] == 0, "the tree indexes as nobody")
    # changed since, so that the run must read it
    write(os.path.join(root, "en-us", "secret.md"), "# Secret\n\nsecretword, changed\n", OLD + 60)
    os.chmod(os.path.join(root, "en-us", "secret.md"), 0)
    os.chmod(os.path.join(root, "en-us", "sub"), 0)
    rc, out, err = run(as_nobody([KB_INDEX, "--db", idx, root]))
    c = summary_counts(out) if "(" in out else {}
    check(rc == 0 and c.get("removed") == 0 and c.get("skipped") == 2 and out.splitlines()[1].split()[:2] == ["en-us", "3"],
          "unreadable documents are kept and counted skipped (rc %d): %s %s" % (rc, out, err))
    check("secret.md: cannot read the file (Permission denied); the version indexed before is kept" in err
          and "en-us/sub: cannot be read" in err, "the warnings give the reason: " + err)
    check(query(idx, "secretword")[0] == 0 and query(idx, "subword")[0] == 0, "the kept documents are still found")
    rc, out, err = run(as_nobody([KB_INDEX, "--check", root]))
    check("en-us/secret.md: error: Permission denied [unreadable]" in out and root not in out,
          "--check names an unreadable file once, as under DIR: " + out)
    before = os.stat(idx)
    rc, out, err = run(as_nobody([KB_INDEX, "--db", idx, root]))
    check(rc == 0 and unchanged_file(idx, before), "still unreadable: the next run writes nothing: " + out)
    # A full rebuild would drop them (it had, and counted one of the two
    # skipped): it is refused, and the index is left as it was.
    rc, out, err = run(as_nobody([KB_INDEX, "--full", "--db", idx, root]))
    check(rc == 4 and unchanged_file(idx, before) and "2 files or folders cannot be read" in err
          and not glob.glob(idx + ".kb-index-*"), "--full with unreadable documents: exit 4, index kept (rc %d): %s"
          % (rc, err[-300:]))
    check(query(idx, "secretword")[0] == 0 and query(idx, "subword")[0] == 0, "...and they are still found")
    # So is the rebuild an index of another text pipeline asks for, which
    # had dropped them with exit 0: that index still answers.
    with sqlite3.connect(idx) as c:
        c.execute("UPDATE meta SET value = 'another' WHERE key = 'pipeline'")
    before = os.stat(idx)
    rc, out, err = run(as_nobody([KB_INDEX, "--db", idx, root]))
    check(rc == 4 and unchanged_file(idx, before) and "rebuilding it from scratch" in err
          and "2 files or folders cannot be read" in err and not glob.glob(idx + ".kb-index-*"),
          "a rebuild of another pipeline's index with unreadable documents: exit 4, index kept (rc %d): %s"
          % (rc, err[-300:]))
    check(query(idx, "secretword")[0] == 0 and query(idx, "subword")[0] == 0, "...and they are still found")
    # A file the index never held is no loss: --full goes on without it.
    os.chmod(os.path.join(root, "en-us", "secret.md"), 0o644)
    os.chmod(os.path.join(root, "en-us", "sub"), 0o755)
    write(os.path.join(root, "en-us", "new.md"), "# New\n\nnewword\n", OLD)
    os.chown(os.path.join(root, "en-us", "new.md"), 65534, 65534)
    os.chmod(os.path.join(root, "en-us", "new.md"), 0)
    rc, out, err = run(as_nobody([KB_INDEX, "--full", "--db", idx, root]))
    check(rc == 0 and query(idx, "secretword")[0] == 0 and "new.md: cannot read the file" in err,
          "--full with an unreadable file the index never held: done (rc %d): %s" % (rc, err[-300:]))


def test_unreadable_include_keeps_its_page():
    """A page whose include cannot be read now keeps its indexed version, as
    an unreadable page does: parsed without it, the include's text was lost
    with exit 0, and --full replaced the index without it."""
    if os.geteuid() != 0:
        print("skipped: needs root to run as nobody")
        return
    root, idx = nobody_tree("unreadable-include", {
        "en-us/a.md": "# A\n\nalphaword\n\n[!INCLUDE [i](../includes/inc.md)]\n",
        "en-us/c.md": "# C\n\ngammaword\n\n[!INCLUDE [s](../includes/sub/s.md)]\n",
        "includes/inc.md": "Included incword.\n", "includes/sub/s.md": "Included subincword.\n"})
    check(run(as_nobody([KB_INDEX, "--db", idx, root]))[0] == 0 and query(idx, "incword")[0] == 0,
          "the page and its include index as nobody")
    write(os.path.join(root, "en-us", "a.md"), "# A\n\nalphaword, changed\n\n[!INCLUDE [i](../includes/inc.md)]\n",
          OLD + 60)
    write(os.path.join(root, "en-us", "c.md"), "# C\n\ngammaword, changed\n\n[!INCLUDE [s](../includes/sub/s.md)]\n",
          OLD + 60)
    inc = os.path.join(root, "includes", "inc.md")
    os.chmod(inc, 0)
    # a folder on the way that cannot be searched had read as "not found"
    os.chmod(os.path.join(root, "includes", "sub"), 0)
    rc, out, err = run(as_nobody([KB_INDEX, "--db", idx, root]))
    c = summary_counts(out) if "(" in out else {}
    check(rc == 0 and c.get("changed") == 0 and c.get("skipped") == 2 and query(idx, "incword")[0] == 0
          and query(idx, "subincword")[0] == 0,
          "unreadable includes: their pages are kept and counted skipped (rc %d): %s %s" % (rc, out, err))
    check("a.md:5: include ../includes/inc.md: Permission denied" in err
          and "a.md: an include cannot be read; the version indexed before is kept" in err and root not in err,
          "the warnings give the reason, with paths as written: " + err)
    before = os.stat(idx)
    rc, out, err = run(as_nobody([KB_INDEX, "--full", "--db", idx, root]))
    check(rc == 4 and unchanged_file(idx, before) and "2 files or folders cannot be read, and a full rebuild" in err
          and query(idx, "incword")[0] == 0, "--full with unreadable includes: exit 4, index kept (rc %d): %s"
          % (rc, err[-300:]))
    os.chmod(inc, 0o644)
    os.chmod(os.path.join(root, "includes", "sub"), 0o755)
    rc, out, err = run(as_nobody([KB_INDEX, "--db", idx, root]))
    check(rc == 0 and query(idx, "incword")[0] == 0 and query(idx, "changed")[0] == 0,
          "readable again: the page is indexed with its include (rc %d): %s" % (rc, err))


def test_file_over_a_lowered_size_limit_is_removed_and_counted():
    """A document over a lowered --max-file-size is left out, as a full
    build leaves it: removed, counted removed, and the warning says so."""
    root = os.path.join(work, "size-limit")
    idx = os.path.join(work, "size-limit.sqlite")
    write(os.path.join(root, "a.md"), "# A\n\nalphaword\n", OLD)
    write(os.path.join(root, "big.md"), "# Big\n\nbigword\n" + "padding words here\n" * 80000, OLD)
    check(build_index(idx, [root], ["--max-file-size", "3"])[0] == 0, "the tree indexes under 3 MB")
    rc, out, err = build_index(idx, [root], ["--max-file-size", "1"])
    c = summary_counts(out)
    check(rc == 0 and (c["removed"], c["skipped"], c["unchanged"]) == (1, 0, 1) and out.splitlines()[1].split()[:2] == ["en-us", "1"]
          and "big.md: the version indexed before is removed" in err,
          "the file over the new limit is removed and counted so: %s %s" % (out, err))
    check(query(idx, "bigword")[0] == 1, "the removed document is not found")
    rc, out, err = build_index(idx, [root], ["--max-file-size", "1"])
    check(rc == 0 and summary_counts(out)["skipped"] == 1 and "removed" not in err,
          "the next run skips it, a file the index does not hold: %s %s" % (out, err))


def test_symlinked_db_updates_its_target():
    """A --db that is a symbolic link names the index it points to: that
    file is updated, the link stays a link, one lock serves both names."""
    base = tmpdir()
    root = os.path.join(base, "docs")
    write(os.path.join(root, "a.md"), "# A\n\nalphaword\n", OLD)
    os.makedirs(os.path.join(base, "real"))
    target, link = os.path.join(base, "real", "kb.sqlite"), os.path.join(base, "link.db")
    os.symlink("real/kb.sqlite", link)
    check(build_index(link, [root])[0] == 0, "an index builds through a link")
    write(os.path.join(root, "b.md"), "# B\n\nbetaword\n", OLD)
    rc, out, err = build_index(link, [root])
    check(rc == 0 and os.path.islink(link) and os.path.isfile(target), "the link is kept: %s" % err)
    check(query(target, "betaword")[0] == 0, "the target is updated")
    check(not os.path.exists(link + ".lock") and os.path.exists(target + ".lock"), "the lock is the target's")
    # Links that make a loop name no file: an error (exit 3), the links
    # left as they are (the new index had been renamed over one of them).
    one, two = os.path.join(base, "one.db"), os.path.join(base, "two.db")
    os.symlink("two.db", one)
    os.symlink("one.db", two)
    rc, out, err = run([KB_INDEX, "--db", one, root])
    check(rc == 3 and "symbolic links" in err and os.path.islink(one) and os.path.islink(two),
          "a --db link loop: exit 3, the links kept (rc %d): %s" % (rc, err))


def test_index_made_during_the_wait_is_the_old_one():
    """The index another kb-index made while this run waited for the lock
    is this run's old index: --full refuses to lose a page it can no longer
    read. It had been looked for before the wait, taken for none, and the
    page was dropped (exit 0)."""
    base = tmpdir()
    root = os.path.join(base, "docs")
    write(os.path.join(root, "en-us", "a.md"), "# A\n\nalphaword\n", OLD)
    write(os.path.join(root, "en-us", "b.md"), "# B\n\nbetaword\n", OLD)
    made = os.path.join(base, "made.db")
    check(build_index(made, [root])[0] == 0, "the other run's index builds")
    os.remove(os.path.join(root, "en-us", "b.md"))
    os.symlink("/proc/self/mem", os.path.join(root, "en-us", "b.md"))  # EIO, even for root
    idx = os.path.join(base, "kb.db")
    with open(idx + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.Popen([KB_INDEX, "--full", "--db", idx, root], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        waiting = p.stderr.readline()
        shutil.copy(made, idx)
        fcntl.flock(lock, fcntl.LOCK_UN)
    out, err = p.communicate(timeout=120)
    check("waiting" in waiting and p.returncode == 4 and "cannot be read" in err,
          "--full after the wait: refused, exit 4 (rc %d): %s %s" % (p.returncode, waiting, err[-300:]))
    check(query(idx, "betaword")[0] == 0, "...and the page it cannot read is still found")


def test_usage_errors():
    """An empty --db, a bad option whose letters hold h, and --format without
    --check (which had built the default index) are usage errors."""
    base = tmpdir()
    for args in (["--db", "", CORPUS], ["--db", os.path.join(base, "x.db"), "-xh", CORPUS], ["-dashdir"],
                 ["--format", "json", CORPUS]):
        rc, out, err = run([KB_INDEX, *args], env={"XDG_DATA_HOME": base, "KB_DB": ""})
        check(rc == 2 and "Usage" not in out and ("is empty" in err or "unknown option" in err
                                                  or "applies to --check only" in err),
              "%r: exit 2 with a usage error (rc %d): %s" % (args, rc, err))
    check(os.listdir(base) == [], "no index is written: %r" % os.listdir(base))


def test_index_file_problems_exit_3_and_say_what_happened():
    """Every problem with the index file exits 3 (4 is a DIR that cannot be
    read); messages name --db's file and say "disk full" only when it is."""
    base = tmpdir()
    root = os.path.join(base, "docs")
    write(os.path.join(root, "a.md"), "# A\n\nalphaword\n", OLD)
    # A folder of --db that cannot be made is named, not the lock file that
    # then could not be created in it.
    rc, out, err = run([KB_INDEX, "--db", "/proc/no-such/x.db", root])
    check(rc == 3 and "cannot create the folder /proc/no-such for the index" in err,
          "a folder that cannot be created: exit 3 (rc %d): %s" % (rc, err))
    write(os.path.join(base, "a-file"), "x")
    rc, out, err = run([KB_INDEX, "--db", os.path.join(base, "a-file", "sub", "x.db"), root])
    check(rc == 3 and "a-file/sub for the index: " in err, "a file where a folder goes: exit 3 (rc %d): %s" % (rc, err))
    os.makedirs(os.path.join(base, "locked.db.lock"))
    rc, out, err = run([KB_INDEX, "--db", os.path.join(base, "locked.db"), root])
    check(rc == 3 and "lock file" in err, "a lock file that cannot be created: exit 3 (rc %d): %s" % (rc, err))
    idx = os.path.join(base, "kb.sqlite")
    check(build_index(idx, [root])[0] == 0, "the tree indexes")
    # The index's folder takes no new file (the index and its lock still
    # may be written): the temporary file cannot be made.
    shut = os.path.join(base, "shut")
    os.makedirs(shut)
    shutIdx = os.path.join(shut, "kb.sqlite")
    shutil.copy(idx, shutIdx)
    open(shutIdx + ".lock", "w").close()
    command = [KB_INDEX, "--db", shutIdx, root]
    if os.geteuid() == 0:
        os.chmod(os.path.join(base), 0o755)
        for path in (root, os.path.join(root, "a.md"), shutIdx, shutIdx + ".lock"):
            os.chown(path, 65534, 65534)
        command = as_nobody(command)
    else:
        os.chmod(shut, 0o555)
    write(os.path.join(root, "b.md"), "# B\n\nbetaword\n", OLD)
    before = open(shutIdx, "rb").read()
    rc, out, err = run(command)
    check(rc == 3 and "disk" not in err and "previous index is unchanged" in err and "Permission denied" in err
          and open(shutIdx, "rb").read() == before,
          "a temp file that cannot be made: exit 3, no guess at the disk (rc %d): %s" % (rc, err))
    os.chmod(shut, 0o755)
    # A truncated index cannot be opened: it is damaged, left as it is, and
    # the message says to rebuild it with --full (it had been rebuilt, exit
    # 0, with "rebuild it with: kb-index --db" and "rebuilding it" both said).
    trunc = os.path.join(base, "truncated.sqlite")
    shutil.copy(idx, trunc)
    os.truncate(trunc, os.path.getsize(trunc) // 2)
    before = open(trunc, "rb").read()
    rc, out, err = run([KB_INDEX, "--db", trunc, root])
    check(rc == 3 and ("--full --db %s DIR" % trunc) in err and "rebuilding" not in err
          and open(trunc, "rb").read() == before,
          "a truncated index: exit 3, left as it is, --full advised (rc %d): %s" % (rc, err))
    rc, out, err = run([KB_INDEX, "--full", "--db", trunc, root])
    check(rc == 0 and query(trunc, "betaword")[0] == 0, "--full rebuilds it (rc %d): %s" % (rc, err))
    # An empty file holds no index: a new one is written, without a word
    # (it had been called "an SQLite database but not a kb index").
    empty = os.path.join(base, "empty.sqlite")
    open(empty, "w").close()
    rc, out, err = run([KB_INDEX, "--db", empty, root])
    check(rc == 0 and err == "" and query(empty, "betaword")[0] == 0,
          "an empty --db file gets a new index, quietly (rc %d): %r" % (rc, err))
    if os.geteuid() != 0:
        return
    full = os.path.join(base, "full")
    os.mkdir(full)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", full], capture_output=True).returncode:
        print("skipped: no tmpfs to fill")
        return
    try:
        rc, out, err = run([KB_INDEX, "--db", os.path.join(full, "kb.sqlite"), CORPUS])
        check(rc == 3 and "disk full" in err and "previous index" not in err,
              "a first build on a full disk: exit 3, no previous index claimed (rc %d): %s" % (rc, err[-300:]))
        shutil.copy(idx, os.path.join(full, "kb.sqlite"))
        write(os.path.join(root, "c.md"), "# C\n\n" + "gammaword filler text\n" * 20000, OLD)
        rc, out, err = run([KB_INDEX, "--db", os.path.join(full, "kb.sqlite"), root])
        check(rc == 3 and "disk full" in err and "previous index is unchanged" in err,
              "an update on a full disk: exit 3 (rc %d): %s" % (rc, err[-300:]))
    finally:
        subprocess.run(["umount", full])


def test_languages_moved_do_not_count_against_the_limit():
    """Languages whose documents all moved to other locales hold nothing:
    they neither count against the 64 nor stay as empty tables. An
    incremental run once skipped 16 of 40 documents a full build keeps."""
    root = os.path.join(work, "moving-langs")
    idx = os.path.join(work, "moving-langs.sqlite")
    letters = "bcdfghjklmnpqrstvwxz"
    old_codes = [a + b for a in "bc" for b in letters]   # 40 languages
    new_codes = [a + b for a in "dg" for b in letters]   # 40 others
    for i, c in enumerate(old_codes):
        write(os.path.join(root, "d%02d.md" % i), "---\nms.contentlocale: %s-%s\n---\n# H\n\ntext\n" % (c, c), OLD)
    check(build_index(idx, [root], ["--quiet"])[0] == 0, "40 languages index")
    for i, c in enumerate(new_codes):
        write(os.path.join(root, "d%02d.md" % i), "---\nms.contentlocale: %s-%s\n---\n# H\n\ntext\n" % (c, c), OLD + 60)
    rc, out, err = build_index(idx, [root])
    c = summary_counts(out) if "(" in out else {}
    check(rc == 0 and c.get("changed") == 40 and c.get("skipped") == 0,
          "every document moved to a new language is indexed (rc %d): %s %s" % (rc, out[-300:], err[-300:]))
    con = sqlite3.connect("file:%s?mode=ro" % idx, uri=True)
    langs = [r[0] for r in con.execute("SELECT lang FROM langs ORDER BY lang")]
    tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 'fts_*'"
                         " AND name NOT GLOB 'fts_*_*'").fetchone()[0]
    con.close()
    check(langs == sorted(new_codes) and tables == 40,
          "the languages left empty are dropped (%d langs rows, %d FTS tables)" % (len(langs), tables))


def test_unchanged_broken_documents_are_told_again():
    """A maintainer runs kb-index again to see what is still broken: the
    documents it does not parse again (unchanged) are not silent about
    their problems, and a fixed one is no longer counted."""
    root = os.path.join(work, "still-broken")
    idx = os.path.join(work, "still-broken.sqlite")
    write(os.path.join(root, "a.md"), "# A\n\n[!INCLUDE [x](includes/gone.md)]\n", OLD)
    write(os.path.join(root, "b.md"), "---\ntitle: ok bad: x\n---\n# B\n\ntext\n", OLD)
    write(os.path.join(root, "c.md"), "# C\n\nfine\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and "a.md:3: include includes/gone.md" in err and "b.md:2: front matter:" in err
          and "unchanged" not in err, "the first run shows each problem at file:line: %s" % err)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["unchanged"] == 3 and "a.md" not in err
          and "2 unchanged documents still have the problems shown when they were indexed" in err,
          "a run with no change counts the documents still broken: %s" % err)
    write(os.path.join(root, "b.md"), "---\ntitle: ok\n---\n# B\n\ntext\n", OLD + 60)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and "1 unchanged document still has the problems" in err,
          "the fixed document is not counted, the other still is: %s" % err)
    # saved again with the same text: read, not parsed, and still counted
    write(os.path.join(root, "a.md"), "# A\n\n[!INCLUDE [x](includes/gone.md)]\n", OLD + 120)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and "a.md:3" not in err and "1 unchanged document still has the problems" in err,
          "a document saved again unchanged is still counted: %s" % err)
    rc, out, err = build_index(idx, [root], ["--full"])
    check(rc == 0 and "a.md:3: include" in err and "unchanged" not in err,
          "--full parses it again and shows its problem itself: %s" % err)


def test_walk_skips_are_counted_once():
    """A document the walk passes by (a FIFO, a broken link) is counted
    skipped; one the index held is counted removed, not both; an include
    the walk passes by is no document."""
    root = os.path.join(work, "walk-skips")
    idx = os.path.join(work, "walk-skips.sqlite")
    write(os.path.join(root, "a.md"), "# A\n\nalphaword\n", OLD)
    write(os.path.join(root, "b.md"), "# B\n\nbetaword\n", OLD)
    check(build_index(idx, [root])[0] == 0, "the tree indexes")
    os.remove(os.path.join(root, "b.md"))
    os.mkfifo(os.path.join(root, "b.md"))
    os.makedirs(os.path.join(root, "includes"))
    os.symlink("nowhere.md", os.path.join(root, "includes", "snip.md"))
    os.symlink("nowhere.md", os.path.join(root, "c.md"))
    rc, out, err = build_index(idx, [root])
    c = summary_counts(out) if "(" in out else {}
    check(rc == 0 and (c.get("removed"), c.get("skipped"), c.get("unchanged")) == (1, 1, 1),
          "the FIFO that was b.md is removed, the broken c.md skipped, the include not counted: %s %s" % (out, err))
    # A folder nested too deep to walk is passed by too: it had been "0
    # skipped", its documents silently left out.
    deep = os.path.join(root, "en-us", *["d%d" % i for i in range(70)])
    write(os.path.join(deep, "deep.md"), "# Deep\n\ndeepword\n", OLD)
    rc, out, err = build_index(idx, [root])
    c = summary_counts(out) if "(" in out else {}
    check(rc == 0 and c.get("skipped") == 3 and "deeper than 64 levels" in err,  # b.md, c.md, the folder
          "a folder too deep is counted skipped: %s %s" % (out, err[-300:]))


def test_summary_counts_in_the_singular():
    """One of a thing is not "1 locales"; the per-locale table's numbers
    stand under its columns' titles."""
    root = os.path.join(work, "singular")
    idx = os.path.join(work, "singular.sqlite")
    write(os.path.join(root, "a.md"), "# A\n\none section\n", OLD)
    rc, out, err = build_index(idx, [root])
    lines = out.splitlines()
    check(rc == 0 and len(lines) == 3 and lines[0].split() == ["locale", "documents", "sections", "error", "IDs", "words"]
          and lines[1].split() == ["en-us", "1", "1", "0", "3"]
          and lines[2].startswith("kb-index: 1 document, 1 section, 0 error IDs, 1 locale in ")
          and "(1 added, 0 changed, 0 removed, 0 unchanged, 0 skipped)" in lines[2],
          "the summary in the singular: %r" % out)
    # each number ends where its column's title does
    ends = [m.end() for m in re.finditer(r"\S+", lines[0])]
    ends = ends[:3] + ends[4:]
    check([m.end() for m in re.finditer(r"\S+", lines[1])][1:] == ends[1:],
          "numbers right-aligned under their titles: %r" % lines[:2])
    # An ID is counted once, however many sections and locales name it.
    table = "| Error code | Cause |\n|---|---|\n| 0x80070570 | The file is corrupt. |\n"
    for loc in ("en-us", "es-es"):
        write(os.path.join(root, loc, "b.md"), "# B\n\n## One\n\n" + table + "\n## Two\n\n" + table, OLD)
    rc, out, err = build_index(idx, [root])
    lines = out.splitlines()
    check(rc == 0 and "1 error ID," in lines[-1] and lines[2].split()[:4] == ["es-es", "1", "3", "1"],
          "an ID named by four sections in two locales is one error ID: %r" % out)


def test_front_matter_that_does_not_parse_is_reported():
    """kb-index warns about front matter --check reports as an error, and
    keeps no fragment of a value the error cut ("title: ok bad: x")."""
    root = os.path.join(work, "bad-yaml")
    idx = os.path.join(work, "bad-yaml.sqlite")
    write(os.path.join(root, "a.md"), "---\ndescription: fine\ntitle: ok bad: x\n---\n# Heading\n\ntext\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and "a.md:3: front matter:" in err, "the YAML error is a warning (rc %d): %s" % (rc, err))
    con = sqlite3.connect("file:%s?mode=ro" % idx, uri=True)
    row = con.execute("SELECT title, description FROM docs").fetchone()
    con.close()
    check(row is not None and row[0] != "ok bad" and row[1] == "fine", "no half-parsed title: %r" % (row,))


def test_include_through_a_link_follows_the_link():
    """An include written through a symbolic link (a file's, or a
    folder's) is the link's: pointing it elsewhere re-parses the page. The
    target had been recorded, which had not changed, and the page kept the
    old text until --full. A path whose ".." comes after a folder link is
    recorded where it leads, so that a run with no change writes nothing."""
    root = os.path.join(work, "linked-include")
    idx = os.path.join(work, "linked-include.sqlite")
    write(os.path.join(root, "en-us", "includes", "v1.md"), "platypusword\n", OLD)
    write(os.path.join(root, "en-us", "includes", "v2.md"), "echidnaword is longer\n", OLD)
    write(os.path.join(root, "en-us", "shared1", "s.md"), "geckoword\n", OLD)
    write(os.path.join(root, "en-us", "shared2", "s.md"), "skinkword is longer\n", OLD)
    write(os.path.join(root, "common", "c.md"), "# Common\n\n[!INCLUDE [x](../includes/x.md)]\n", OLD)
    write(os.path.join(root, "includes", "x.md"), "commonword\n", OLD)
    os.symlink("v1.md", os.path.join(root, "en-us", "includes", "cur.md"))
    os.symlink("shared1", os.path.join(root, "en-us", "cur"))
    os.symlink("../common", os.path.join(root, "en-us", "linked"))
    write(os.path.join(root, "en-us", "file.md"), "# File\n\n[!INCLUDE [c](includes/cur.md)]\n", OLD)
    write(os.path.join(root, "en-us", "folder.md"), "# Folder\n\n[!INCLUDE [s](./cur/../cur/s.md)]\n", OLD)
    check(build_index(idx, [root])[0] == 0, "pages with linked includes index")
    show = lambda ref: query(idx, "--show", ref)[1]  # noqa: E731
    check("platypusword" in show("en-us/file.md#file") and "geckoword" in show("en-us/folder.md#folder")
          and "commonword" in show("common/c.md#common"), "the links' targets are included")
    # A folder is indexed once, by its own path: en-us/linked is another
    # name for common/, whose page had been a document twice.
    rc, doc, _ = query_json(idx, "--limit", "10", "commonword")
    docs = [r["doc"] for r in doc["results"]] if rc == 0 and doc else []
    check(docs == ["common/c.md"], "a folder linked into the tree is indexed once, by its own path: %r" % docs)
    for link, target in (("includes/cur.md", "v2.md"), ("cur", "shared2")):
        os.remove(os.path.join(root, "en-us", link))
        os.symlink(target, os.path.join(root, "en-us", link))
    rc, out, _ = build_index(idx, [root])
    check(rc == 0 and "echidnaword" in show("en-us/file.md#file") and "platypusword" not in show("en-us/file.md#file"),
          "a file link pointed elsewhere: the page includes its new target: " + out)
    check("skinkword" in show("en-us/folder.md#folder") and "geckoword" not in show("en-us/folder.md#folder"),
          "a folder link pointed elsewhere: the page includes its new target: " + out)
    before = os.stat(idx)
    rc, out, _ = build_index(idx, [root])
    check(rc == 0 and unchanged_file(idx, before), "...and a run with no change writes nothing: " + out)


def test_missing_include_under_a_linked_folder_is_watched_where_it_would_be():
    """An include missing from a page in a linked folder ("en-us" ->
    ".real/en") is watched where the link leads, where a full build finds
    it once created: watched by the path as written, it was never read
    (a hostile tester's)."""
    root = os.path.join(work, "linked-locale-include")
    idx = os.path.join(work, "linked-locale-include.sqlite")
    write(os.path.join(root, ".real", "en", "doc.md"), "# Doc\n\nintro\n\n[!INCLUDE [x](../includes/x.md)]\n", OLD)
    os.symlink(".real/en", os.path.join(root, "en-us"))
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and "not found" in err, "the missing include is reported: " + err)
    write(os.path.join(root, ".real", "includes", "x.md"), "zuluword now included\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["changed"] == 1 and query(idx, "zuluword")[0] == 0,
          "the include created where the link leads re-parses its page: %s %s" % (out, err))


def test_a_new_size_limit_reads_pages_with_includes_again():
    """A page and its includes are read up to --max-file-size. Each file
    alone within both limits, a page whose include the old limit left out
    kept it out under a larger one, and kept it under a smaller one, where
    a full build and --check drop it (a hostile tester's)."""
    root = os.path.join(work, "size-limit-includes")
    idx = os.path.join(work, "size-limit-includes.sqlite")
    write(os.path.join(root, "en-us", "page.md"),
          "# Page\n\npagebody " + "filler text here. " * 3300 + "\n\n[!INCLUDE [bi](includes/bi.md)]\n", OLD)
    write(os.path.join(root, "en-us", "includes", "bi.md"), "incword " + "more filler words. " * 2800 + "\n", OLD)
    found = []
    for limit in ("0.1", "0.2", "0.1"):
        rc, out, err = run([KB_INDEX, "--db", idx, "--max-file-size", limit, root])
        rcq, doc, _ = query_json(idx, "incword")
        found.append(bool(rc == 0 and doc and doc["results"]))
    check(found == [False, True, False], "the include follows the limit, run after run: %s" % found)


def test_ties_rank_alike_after_an_update():
    """Sections of equal score come in the order of their documents, as a
    full build numbers them: a page indexed again gets new ids, and an index
    updated in place had ranked three identical pages b, c, a."""
    root = os.path.join(work, "ties")
    idx, whole = os.path.join(work, "ties.sqlite"), os.path.join(work, "ties-whole.sqlite")
    for name in ("a", "b", "c"):
        write(os.path.join(root, "en-us", name + ".md"), "# Same heading\n\nkoala bear text\n", OLD)
    build_index(idx, [root])
    write(os.path.join(root, "en-us", "a.md"), "# Same heading\n\nkoala bear text!\n", OLD + 60)
    build_index(idx, [root])
    write(os.path.join(root, "en-us", "a.md"), "# Same heading\n\nkoala bear text\n", OLD + 120)
    build_index(idx, [root])
    build_index(whole, [root])
    pages = []
    for path in (idx, whole):
        rc, doc, _ = query_json(path, "koala")
        pages.append([r["doc"] for r in doc["results"]] if doc else [])
    check(pages[0] == pages[1] == ["en-us/a.md", "en-us/b.md", "en-us/c.md"],
          "ties rank alike in an updated and a whole index: %s, %s" % tuple(pages))
    # More ties than a page holds: SQLite's LIMIT kept the tied rows of
    # lowest id, so the pages updated in place began at d04, and a page of
    # 5 disagreed with one of 100 (found by a hostile tester).
    root = os.path.join(work, "ties-many")
    idx, whole = os.path.join(work, "ties-many.sqlite"), os.path.join(work, "ties-many-whole.sqlite")
    for i in range(1, 61):
        write(os.path.join(root, "en-us", "d%02d.md" % i),
              "# Doc %d\n\nSome text about thing%d.\n\n## Koala tie\n\nkoalaword here\n" % (i, i), OLD)
    build_index(idx, [root])
    for i in (1, 2, 3):
        with open(os.path.join(root, "en-us", "d%02d.md" % i), "a") as f:
            f.write("\n## Other\n\nmore\n")
        os.utime(os.path.join(root, "en-us", "d%02d.md" % i), (OLD + 60, OLD + 60))
    build_index(idx, [root])
    build_index(whole, [root])
    # Three languages, each section tied in all three: the page skips a
    # section's other copies, and ties past two copies' worth had kept id
    # order; the error ID's stored pass cut its rows by id (a hostile
    # tester's).
    root3 = os.path.join(work, "ties-three")
    idx3, whole3 = os.path.join(work, "ties-three.sqlite"), os.path.join(work, "ties-three-whole.sqlite")
    words = {"en-us": "failure", "es-es": "fallo", "fr-fr": "erreur"}

    def write_three(changed, mtime):
        for loc, word in words.items():
            for d in range(40):
                text = "---\nms.contentlocale: %s\n---\n# Doc\n\nintro text\n\n" % loc
                text += "## Error 0x8007000E zebra %s\n\nzebra %s 0x8007000E happens.\n\n" % (word, word) * 3
                write(os.path.join(root3, loc, "d%04d.md" % d), text + ("\n\n" if d in changed else ""), mtime)
    write_three((), OLD)
    build_index(idx3, [root3])
    write_three((0, 1, 2, 5), OLD + 60)
    build_index(idx3, [root3])
    build_index(whole3, [root3])
    differ = []
    for q in ("doc", "0x8007000E", "zebra"):
        for limit, offset in ((5, 0), (41, 0), (52, 0), (10, 7)):
            pages = [query_json(p3, "--limit", str(limit), "--offset", str(offset), q)[1] for p3 in (idx3, whole3)]
            refs = [[r["ref"] for r in d["results"]] if d else None for d in pages]
            if refs[0] != refs[1] or not refs[0]:
                differ.append((q, limit, offset))
    check(not differ, "three languages of ties: an updated index pages as a whole one: %s" % differ)

    # A question that says a heading word for word puts the sections with
    # that heading first, which it had ordered by id (a hostile tester's:
    # "Basic troubleshooting" after one page was edited).
    rootH = os.path.join(work, "ties-heading")
    idxH, wholeH = os.path.join(work, "ties-heading.sqlite"), os.path.join(work, "ties-heading-whole.sqlite")
    for name, body in (("a", "wombat"), ("b", "wombat wombat"), ("c", "other")):
        write(os.path.join(rootH, "en-us", name + ".md"), "# Page %s\n\n## Basic checks\n\n%s text\n" % (name, body), OLD)
    build_index(idxH, [rootH])
    write(os.path.join(rootH, "en-us", "a.md"), "# Page a\n\n## Basic checks\n\nwombat text!\n", OLD + 60)
    build_index(idxH, [rootH])
    build_index(wholeH, [rootH])
    pages = [query_json(p, "Basic checks")[1] for p in (idxH, wholeH)]
    refs = [[r["ref"] for r in d["results"]] if d else None for d in pages]
    check(refs[0] == refs[1] and refs[0] and refs[0][:3] == ["en-us/%s.md#basic-checks" % n for n in "abc"],
          "sections an exact heading names: an updated index orders them as a whole one: %s" % refs)

    first = ["en-us/d%02d.md" % i for i in range(1, 6)]
    for path, limit, offset in ((idx, 5, 0), (whole, 5, 0), (idx, 100, 0), (idx, 2, 3)):
        rc, doc, _ = query_json(path, "--limit", str(limit), "--offset", str(offset), "koalaword")
        got = [r["doc"] for r in doc["results"]][:5] if doc else []
        check(got == first[offset:offset + len(got)] and got,
              "tied sections in their documents' order (limit %d offset %d, %s): %s"
              % (limit, offset, os.path.basename(path), got))


def test_files_deleted_during_a_run_are_gone():
    """A file deleted after the walk listed it (a git pull during the run)
    is gone, not unreadable: --full had refused to replace the index (exit
    4, "make them readable") and printed a line per file. The run is
    stopped once it writes its new index, the files deleted, and resumed."""
    root = os.path.join(work, "vanish")
    idx = os.path.join(work, "vanish.sqlite")
    for i in range(1500):
        write(os.path.join(root, "en-us", "p%04d.md" % i), "# Page %d\n\nvanishword%d text\n" % (i, i), OLD)
    check(build_index(idx, [root])[0] == 0, "the tree indexes")
    p = subprocess.Popen([KB_INDEX, "--full", "--jobs", "1", "--db", idx, root], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    stopped = False
    deadline = time.time() + 30
    while p.poll() is None and time.time() < deadline and not stopped:
        if glob.glob(idx + ".kb-index-*"):
            p.send_signal(signal.SIGSTOP)
            stopped = True
    for i in range(0, 1500, 2):
        os.remove(os.path.join(root, "en-us", "p%04d.md" % i))
    if stopped:
        p.send_signal(signal.SIGCONT)
    out, err = p.communicate(timeout=120)
    check(stopped, "the run was caught writing its index")
    check(p.returncode == 0 and "cannot read" not in err and "make them readable" not in err,
          "files deleted during --full: exit 0, no file called unreadable (rc %d): %s" % (p.returncode, err[-300:]))
    rc, doc, _ = query_json(idx, "vanishword1")
    check(rc == 0 and doc and doc["results"] and doc["results"][0]["doc"] == "en-us/p0001.md",
          "the pages left are indexed: %r" % (doc and [r["doc"] for r in doc["results"]],))


def test_a_reader_that_hangs_up_loses_no_run():
    """kb-index 2>&1 | head: the reader gone, SIGPIPE killed the run before
    it installed its index (exit -13), its temporary file left behind. The
    warnings are lost, the index is not."""
    root = os.path.join(work, "hangup")
    idx = os.path.join(work, "hangup.sqlite")
    for i in range(30):
        write(os.path.join(root, "en-us", "p%d.md" % i), "# P%d\n\n[!INCLUDE [x](nothere%d.md)]\npipeword\n" % (i, i), OLD)
    r, w = os.pipe()
    os.close(r)
    p = subprocess.run([KB_INDEX, "--db", idx, root], stdout=w, stderr=w)
    os.close(w)
    rc, doc, _ = query_json(idx, "pipeword")
    check(p.returncode == 0 and rc == 0 and not glob.glob(idx + ".kb-index-*"),
          "a closed output pipe: exit 0, the index installed, no file left (rc %d, query %d)" % (p.returncode, rc))


def test_edits_dated_back_are_seen():
    """An edit that keeps a file's size and whose mtime is set back (touch
    -d, cp -p, a restore) is still an edit, in a document or an include;
    and DIRs given in another order put other files at the same paths."""
    root = os.path.join(work, "dated-back")
    idx = os.path.join(work, "dated-back.sqlite")
    doc, inc = os.path.join(root, "es-es", "a.md"), os.path.join(root, "includes", "x.md")
    write(doc, "# Acceso\n\nel código 0x80070005 falla\n\n[!INCLUDE [x](../includes/x.md)]\n", OLD)
    write(inc, "la palabra wombat\n", OLD)
    check(build_index(idx, [root])[0] == 0, "the tree to date back indexes")
    write(doc, "# Acceso\n\nel código 0x80070057 falla\n\n[!INCLUDE [x](../includes/x.md)]\n", OLD)
    write(inc, "la palabra numbat\n", OLD)
    rc, out, err = build_index(idx, [root])
    check(rc == 0 and summary_counts(out)["changed"] == 1, "the edits dated back are seen: " + out)
    for q, found in (("0x80070057", True), ("0x80070005", False), ("numbat", True), ("wombat", False)):
        refs = [h["ref"] for h in (query_json(idx, "--exact", q)[1] or {}).get("results", [])]
        check(any(r.startswith("es-es/a.md#") for r in refs) == found,
              "after the edit dated back, %r %s es-es/a.md: %s" % (q, "finds" if found else "no longer finds", refs))

    # Two DIRs of the same folder name: their documents are docs/x.md and
    # docs-2/x.md in the order given. Same size, same mtime.
    a, b = os.path.join(work, "twin-a", "docs"), os.path.join(work, "twin-b", "docs")
    write(os.path.join(a, "x.md"), "# Uno zza\n\nzza\n", OLD)
    write(os.path.join(b, "x.md"), "# Dos zzb\n\nzzb\n", OLD)
    twin = os.path.join(work, "twin.sqlite")
    check(build_index(twin, [a, b])[0] == 0, "two DIRs of one folder name index")
    rc, out, err = build_index(twin, [b, a])
    rc, toc, _ = query_json(twin, "--toc", "docs/x.md")
    headings = [s_["heading"] for s_ in (toc or {}).get("sections", [])]
    check(headings == ["Dos zzb"], "given in the other order, docs/x.md is the first DIR's file: %r %s" % (headings, out))


# pthread_create, failing from its nth call on: EAGAIN, as under a
# container's process limit.
REFUSE_THREADS_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg) {
    static int n;
    int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) = dlsym(RTLD_NEXT, "pthread_create");
    if (++n >= atoi(getenv("KB_TEST_REFUSE_FROM"))) return EAGAIN;
    return real(t, a, f, arg);
}
"""


def test_refused_threads_are_said_and_lose_nothing():
    """Threads the system refuses: kb-index parses with those it got; with
    none it says so and leaves the index as it was. It had waited forever
    for a parser, or joined a thread never started (SIGSEGV)."""
    cc = shutil.which("cc")
    if not cc or SANITIZED:  # ASan must be the first library loaded
        return
    work = tmpdir()
    with open(os.path.join(work, "refuse.c"), "w") as f:
        f.write(REFUSE_THREADS_C)
    lib = os.path.join(work, "refuse.so")
    if subprocess.run([cc, "-shared", "-fPIC", "-o", lib, os.path.join(work, "refuse.c"), "-ldl"]).returncode:
        check(False, "the pthread_create shim builds")
        return
    db = os.path.join(work, "kb.sqlite")
    check(build_index(db)[0] == 0, "the bundled corpus indexes")
    before = os.stat(db)
    for refuse_from, want_rc in (("2", 0), ("1", None)):
        env = {"LD_PRELOAD": lib, "KB_TEST_REFUSE_FROM": refuse_from}
        rc, out, err = run([KB_INDEX, "--db", db, "--full", "--jobs", "2", CORPUS], env=env, timeout=60)
        if want_rc == 0:
            check(rc == 0, "one of two threads refused: the other parses it all: rc %d %s" % (rc, err[-200:]))
            before = os.stat(db)
        else:
            check(rc not in (0, -11) and "cannot start a thread" in err, "no thread: said, rc %d %r" % (rc, err[-200:]))
            check(os.stat(db).st_mtime_ns == before.st_mtime_ns and not glob.glob(db + ".kb-index-*"),
                  "no thread: the index is left as it was, no .tmp")


def test_closed_stderr_writes_into_no_file():
    """kb-index run with stderr closed ("2>&-"): its lock file had taken
    the number 2, and the warnings were written into it."""
    root = os.path.join(work, "closed-stderr")
    idx = os.path.join(work, "closed-stderr.sqlite")
    write(os.path.join(root, "a.md"), "# A\n\nalphaword\n\n[!INCLUDE [x](../nowhere/x.md)]\n", OLD)
    p = subprocess.run([KB_INDEX, "--db", idx, root], stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(2))
    check(p.returncode == 0 and os.path.getsize(idx + ".lock") == 0 and query(idx, "alphaword")[0] == 0,
          "stderr closed: indexed, and nothing written into the lock file (rc %d, %d bytes)"
          % (p.returncode, os.path.getsize(idx + ".lock")))


def test_an_empty_dir_does_not_empty_the_index():
    """A DIR with no file at all (a folder not mounted, a checkout gone)
    where the index holds documents from it: refused, exit 4, the index as
    it was. It had removed every document with exit 0."""
    base = tmpdir()
    docs, mnt, idx = os.path.join(base, "docs"), os.path.join(base, "mnt"), os.path.join(base, "kb.sqlite")
    write(os.path.join(docs, "a.md"), "# A\n\nalphaword\n", OLD)
    os.makedirs(mnt)
    check(build_index(idx, [docs])[0] == 0, "the docs index")
    before = os.stat(idx)
    rc, out, err = run([KB_INDEX, "--db", idx, mnt])
    check(rc == 4 and unchanged_file(idx, before) and "holds no file" in err and query(idx, "alphaword")[0] == 0,
          "an empty DIR: exit 4, the index kept (rc %d): %s" % (rc, err[-300:]))
    rc, out, err = run([KB_INDEX, "--full", "--db", idx, mnt])
    check(rc == 4 and unchanged_file(idx, before), "...with --full too (rc %d): %s" % (rc, err[-300:]))
    # a new index is still made from nothing
    check(build_index(os.path.join(base, "new.sqlite"), [mnt])[0] == 0, "an empty DIR makes a new empty index")


def test_no_thread_is_exit_3():
    """A system that starts no thread for kb-index (a container's process
    limit): exit 3, the index cannot be written; exit 4 says a DIR cannot
    be read, and had been given."""
    if os.geteuid() != 0 or SANITIZED:
        print("skipped: needs root to run as nobody, and threads for the sanitizers")
        return
    import resource
    root, idx = nobody_tree("no-thread", {"a.md": "# A\n\nalphaword\n"})
    p = subprocess.run(as_nobody([KB_INDEX, "--db", idx, root]), capture_output=True, text=True,
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NPROC, (1, 1)))
    check(p.returncode == 3 and "cannot start a thread" in p.stderr and not os.path.exists(idx),
          "no thread: exit 3, no index (rc %d): %s" % (p.returncode, p.stderr[-200:]))


def test_db_names_sqlite_reads_specially_are_files():
    """--db file:x.sqlite and --db :memory: name files, as any other path:
    SQLite read the first as a URI and the second as no file, and kb-index
    renamed an empty file over the index it had written elsewhere."""
    d = os.path.join(work, "special-names")
    os.makedirs(d, exist_ok=True)
    for name in ("file:x.sqlite", ":memory:"):
        for extra in ([], ["--full"], []):
            rc, out, err = run([KB_INDEX, "--quiet", "--db", name, *extra, CORPUS], cwd=d)
            size = os.path.getsize(os.path.join(d, name)) if os.path.exists(os.path.join(d, name)) else 0
            check(rc == 0 and size > 100000, "kb-index --db %s %s: the index is the file (rc %d, %d bytes, %s)"
                  % (name, " ".join(extra), rc, size, err.strip()[-200:]))
        rc, out, _ = run([KB_QUERY, "--db", name, "--format", "json", "0x80070570"], cwd=d)
        check(rc == 0 and json.loads(out)["results"], "kb-query --db %s reads it (rc %d)" % (name, rc))
    left = sorted(f for f in os.listdir(d) if ".kb-index-" in f)
    check(not left, "no temporary file left: %s" % left)

def test_a_flood_of_one_problem_is_summed_up():
    """A tree whose includes folder is missing made kb-index print a line per
    include (2,238 on es-ES + zh-TW): the first few of a kind are shown, the
    rest counted in one line that names the --check code, and a warning of
    another kind (a binary file) is still shown. --check lists every one."""
    root = os.path.join(work, "flood")
    idx = os.path.join(work, "flood.sqlite")
    for i in range(25):
        write(os.path.join(root, "p%02d.md" % i), "# Page %d\n\n[!INCLUDE [x](includes/gone%d.md)]\n" % (i, i), OLD)
    with open(os.path.join(root, "zz.md"), "wb") as f:
        f.write(b"# bin\x00ary\n")
    rc, out, err = build_index(idx, [root])
    lines = err.splitlines()
    shown = [l for l in lines if "includes/gone" in l]
    check(rc == 0 and len(shown) == 20, "20 include warnings of 25 shown: %d" % len(shown))
    check(any('5 more "include-missing" warnings not shown' in l and "--check" in l for l in lines),
          "the other 5 are counted, with the code --check lists them under: %r" % lines[-3:])
    check(any("zz.md" in l and "binary" in l for l in lines), "a warning of another kind is shown: %r" % lines[-3:])
    p = subprocess.run([KB_INDEX, "--check", root], capture_output=True, text=True)
    check(p.stdout.count("includes/gone") == 25,
          "--check lists all 25: %d" % p.stdout.count("includes/gone"))
    # The walk's warnings too: a link to /proc had printed 178,774 lines.
    for i in range(30):
        os.symlink("nowhere%d" % i, os.path.join(root, "broken%02d.md" % i))
    rc, out, err = build_index(idx, [root])
    lines = err.splitlines()
    check(rc == 0 and len([l for l in lines if "broken symbolic link" in l]) == 21
          and any('10 more "broken symbolic link, skipped" warnings not shown' in l for l in lines),
          "20 of 30 broken-link warnings shown, the rest counted: %r" % lines[-3:])


test_refused_threads_are_said_and_lose_nothing()
test_a_flood_of_one_problem_is_summed_up()
test_failed_include_is_retried()
test_edits_dated_back_are_seen()
test_files_deleted_during_a_run_are_gone()
test_a_reader_that_hangs_up_loses_no_run()
test_include_through_a_link_follows_the_link()
test_ties_rank_alike_after_an_update()
test_a_new_size_limit_reads_pages_with_includes_again()
test_missing_include_under_a_linked_folder_is_watched_where_it_would_be()
test_include_outside_the_walk_is_not_reread()
test_touched_include_leaves_its_page_unchanged()
test_bad_new_file_does_not_rewrite_the_index()
test_default_locale_change_reparses()
test_damaged_index_is_reported()
test_placeholders_are_text()
test_language_over_the_limit_is_skipped()
test_warnings_do_not_continue_the_progress_line()
test_unreadable_dir_leaves_the_index_alone()
test_read_only_index_is_updated_and_stays_read_only()
test_unreadable_files_keep_their_indexed_version()
test_unreadable_include_keeps_its_page()
test_file_over_a_lowered_size_limit_is_removed_and_counted()
test_symlinked_db_updates_its_target()
test_index_made_during_the_wait_is_the_old_one()
test_usage_errors()
test_index_file_problems_exit_3_and_say_what_happened()
test_languages_moved_do_not_count_against_the_limit()
test_front_matter_that_does_not_parse_is_reported()
test_unchanged_broken_documents_are_told_again()
test_summary_counts_in_the_singular()
test_walk_skips_are_counted_once()
test_db_names_sqlite_reads_specially_are_files()
test_closed_stderr_writes_into_no_file()
test_an_empty_dir_does_not_empty_the_index()
test_no_thread_is_exit_3()
finish()
