"""Foundation: kb-index then kb-query on the bundled corpus, end to end:
ranked results, the JSON contract, every exit code, hostile queries."""
import os
import stat
import subprocess

from kbtest import (build_index, check, finish, load_dev_queries, query, query_json, ref, run, tmpdir, KB_INDEX,
                    KB_QUERY, CORPUS)

work = tmpdir()
db = os.path.join(work, "kb.sqlite")

rc, out, err = build_index(db)
check(rc == 0, "kb-index corpus exits 0 (got %d: %s)" % (rc, err))
check("24 documents" in out and "3 locales" in out, "summary names documents and locales: " + out)

# The remediation sections of the development queries come back in the top 3.
rows = load_dev_queries()
top3 = 0
for qid, cat, q, rel in rows:
    rc, doc, _ = query_json(db, "--limit", "3", "--all-locales", q)
    got = [ref(h) for h in doc["results"]] if doc else []
    if any(g in rel for g in got):
        top3 += 1
check(top3 >= 10, "at least 10 dev queries find their section in the top 3 (got %d of %d)" % (top3, len(rows)))

# JSON: the documented fields, with their types.
rc, doc, _ = query_json(db, "--lang", "es", "credenciales de almacén no válidas")
check(rc == 0 and doc is not None, "JSON query exits 0 and parses")
check(doc["schema"] == 1 and doc["query"] == "credenciales de almacén no válidas", "schema and query echoed")
hit = doc["results"][0]
for field, kind in [("rank", int), ("doc", str), ("anchor", str), ("locale", str), ("title", str),
                    ("heading", str), ("breadcrumb", list), ("score", float), ("match", str), ("snippet", str),
                    ("markdown", str), ("text", str)]:
    check(isinstance(hit.get(field), kind), "result field %s is %s" % (field, kind.__name__))
check(hit["rank"] == 1 and hit["match"] == "text", "first result has rank 1, match text")
check(hit["locale"] == "es-es" and hit["anchor"] == "invalid-vault-credentials-provided",
      "Spanish query finds the Spanish section: " + ref(hit))
scores = [h["score"] for h in doc["results"]]
check(scores == sorted(scores, reverse=True), "scores decrease with rank")
check("<" not in hit["text"] and "|" not in hit["text"].replace("||", ""), "text is plain, not Markdown/HTML")


# A word said twice searches once: a pasted message that repeats itself
# ranks exactly like the message without its repeats.
def ranked(q):
    _, d, _ = query_json(db, "--lang", "es", q)
    return [(ref(h), round(h["score"], 6)) for h in d["results"]] if d else None


once = ranked("credenciales de almacén no válidas")
check(once and ranked("credenciales de almacén, no válidas: credenciales. almacén") == once,
      "repeated words change neither the results nor their scores")
# Exit codes: 0 found, 1 none, 2 usage, 3 database, 4 stdout not written.
check(query(db, "0x80070570")[0] == 0, "exit 0 when found")
check(query(db, "zzqqxxnotaword")[0] == 1, "exit 1 when nothing matches")
# A bad command line: exit 2 and one line that names what is wrong.
for binary, args, says in [
        (KB_QUERY, [], "no query"),
        (KB_QUERY, ["--limit", "x", "a"], "invalid value 'x' for --limit: must be 1..1000"),
        (KB_QUERY, ["--limit", "0", "a"], "invalid value '0' for --limit: must be 1..1000"),
        (KB_QUERY, ["--offset", "100001", "a"], "invalid value '100001' for --offset: must be 0..100000"),
        (KB_QUERY, ["--format", "xml", "a"], "invalid value 'xml' for --format"),
        (KB_QUERY, ["--color=sometimes", "a"], "invalid value 'sometimes' for --color"),
        (KB_QUERY, ["--bogus", "a"], "unknown option '--bogus'"),
        (KB_QUERY, ["a", "-z"], "unknown option '-z'"),
        (KB_QUERY, ["a", "--limit"], "option '--limit' needs a value"),
        (KB_INDEX, [CORPUS, "--jobs", "many"], "invalid value 'many' for --jobs"),
        (KB_INDEX, ["--max-file-size", "0", CORPUS], "invalid value '0' for --max-file-size"),
        (KB_INDEX, ["--default-locale", "not a locale", CORPUS], "invalid value 'not a locale' for --default-locale"),
        (KB_INDEX, ["--format", "yaml", "--check", CORPUS], "invalid value 'yaml' for --format"),
        (KB_INDEX, ["--fulll", CORPUS], "unknown option '--fulll'"),
        (KB_INDEX, [], "no directory to index")]:
    bad_db = os.path.join(work, "never-written.sqlite")
    rc, out, err = run([binary, "--db", bad_db if binary == KB_INDEX else db, *args])
    name = os.path.basename(binary)
    check(rc == 2 and err == "%s: %s; see %s --help\n" % (name, says, name),
          "%s %s: exit 2 and %r (got %d: %r)" % (name, " ".join(args), says, rc, err))
    check(not os.path.exists(bad_db), "%s %s writes no index" % (name, " ".join(args)))
# --help names the short options getopt takes and every exit status.
for binary, shorts, statuses in ((KB_QUERY, ("-n, --limit", "-f, --format", "-l, --lang", "-h, --help"),
                                  ("0 results", "1 no result", "2 usage", "3 index", "4 the answer")),
                                 (KB_INDEX, ("-q, --quiet", "-h, --help"),
                                  ("0 done", "2 usage", "3 the index", "4 a DIR", "6 another", "With --check"))):
    rc, out, _ = run([binary, "--help"], env={"LANGUAGE": "", "LC_ALL": "C.UTF-8"})
    missing = [w for w in shorts + statuses if w not in out]
    check(rc == 0 and not missing, "%s --help lists %r" % (os.path.basename(binary), missing))
rc, out, err = run([KB_QUERY, "--db", os.path.join(work, "missing.sqlite"), "backup"])
check(rc == 3 and "kb-index" in err, "exit 3 and a hint when the index is missing: " + err)
garbage = os.path.join(work, "garbage.sqlite")
with open(garbage, "wb") as f:
    f.write(os.urandom(8192))
rc, out, err = run([KB_QUERY, "--db", garbage, "backup"])
check(rc == 3 and err.count("\n") == 1, "exit 3 with one line for a corrupt index: " + err)
rc, out, err = run([KB_QUERY, "--db", db, "backup"], env={"KB_DB": "/nonexistent"})
check(rc == 0, "--db wins over KB_DB")
rc, out, err = run([KB_QUERY, "backup"], env={"KB_DB": db})
check(rc == 0, "KB_DB is used when --db is absent")
xdg = tmpdir()
os.makedirs(os.path.join(xdg, "kb"))
os.link(db, os.path.join(xdg, "kb", "kb.sqlite"))
rc, out, err = run([KB_QUERY, "backup"], env={"KB_DB": "", "XDG_DATA_HOME": xdg})
check(rc == 0, "XDG_DATA_HOME/kb/kb.sqlite is the default")
# A relative XDG_DATA_HOME is ignored (the XDG spec), for HOME's default;
# with no absolute HOME either, the index must be named: unset HOME had put
# it in ./.local/share/kb wherever kb ran.
home = tmpdir()
os.makedirs(os.path.join(home, ".local", "share", "kb"))
os.link(db, os.path.join(home, ".local", "share", "kb", "kb.sqlite"))
rc, out, err = run([KB_QUERY, "backup"], env={"KB_DB": "", "XDG_DATA_HOME": "relative", "HOME": home})
check(rc == 0, "a relative XDG_DATA_HOME gives way to HOME (rc %d: %s)" % (rc, err.strip()))
for prog in (KB_QUERY, KB_INDEX):
    bare = {k: v for k, v in os.environ.items() if k not in ("KB_DB", "XDG_DATA_HOME", "HOME")}
    p = subprocess.run([prog, "backup"] if prog == KB_QUERY else [prog, CORPUS], capture_output=True, env=bare,
                       cwd=home)
    err = p.stderr.decode()
    check(p.returncode == 2 and "--db" in err and not os.path.exists(os.path.join(home, ".local", "share", "kb", "kb.sqlite.lock")),
          "%s with no HOME: exit 2, name the index (got %d: %r)" % (os.path.basename(prog), p.returncode, err.strip()))

# Hostile queries return normally and never show an FTS5/SQL error.
for q in ['Id.: 34513', 'C:\\Windows\\Temp', 'POL-358', '"unbalanced', 'NEAR(', 'AND OR', 'NOT', '*', '^', ':',
          'body:backup', '(((', "'; DROP TABLE sections; --", '""', '-', '- -x', 'OR OR OR', 'a NEAR/3 b']:
    rc, out, err = query(db, "--", q)  # "--": a query may start with '-'; options end there
    check(rc in (0, 1), "hostile query %r exits 0 or 1 (got %d)" % (q, rc))
    check("fts5" not in (out + err).lower() and "sql" not in err.lower() and "syntax" not in err.lower(),
          "hostile query %r shows no database error: %s" % (q, err))

# kb-query never writes: it works on a read-only index in a read-only directory.
ro = tmpdir()
rodb = os.path.join(ro, "kb.sqlite")
with open(db, "rb") as src, open(rodb, "wb") as dst:
    dst.write(src.read())
os.chmod(rodb, stat.S_IRUSR)
os.chmod(ro, stat.S_IRUSR | stat.S_IXUSR)
rc, out, err = query(rodb, "backup")
check(rc == 0 and sorted(os.listdir(ro)) == ["kb.sqlite"], "a read-only index is queried without writing anything")
os.chmod(ro, stat.S_IRWXU)
finish()
