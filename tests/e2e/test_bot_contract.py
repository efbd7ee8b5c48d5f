"""Bot contract: kb-query --format json as a chat bot consumes it.

Every document kb-query prints (results of all kinds, no results, typo'd
queries, error-ID lookups, decoded codes, --show, --toc, --version, usage and
database errors) is one line on stdout, parses, carries the documented exit
code, and validates against query/kb-query.schema.json with a real JSON
Schema validator (ajv, draft 2020-12). Paging and the filters bots rely on
(--limit/--offset, --lang, --locale-only, --doc-prefix) and --version's
index report are pinned too."""
import copy
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

from kbtest import build_index, check, docs_index, finish, load_dev_queries, run, tmpdir, KB_QUERY, SOURCE

sys.path.insert(0, os.path.join(SOURCE, "tests", "bot"))
import schema_check  # noqa: E402

work = tmpdir()
db = os.path.join(work, "kb.sqlite")
rc, out, err = build_index(db)
check(rc == 0, "kb-index builds the bundled corpus (got %d: %s)" % (rc, err))

try:
    schema_check.ensure_ajv()
    ok, msg = schema_check.compile_schema()
    check(ok, "kb-query.schema.json compiles under ajv strict mode (draft 2020-12): " + msg)
except schema_check.ValidatorUnavailable as e:
    # CI installs node and npm: without a validator this contract is unchecked, which is a failure.
    check(False, "JSON Schema validator available: %s" % e)
    finish()

# (label, document) of everything kb-query printed, validated in one ajv run at the end.
docs = []


def one_shot(label, args, expect_rc, db_path=db, error_code=None):
    """Runs kb-query --format json; checks the one-document-on-one-line contract."""
    rc, out, err = run([KB_QUERY, "--db", db_path, "--format", "json", *args])
    if expect_rc is None:
        check(rc in (0, 1), "%s: exit 0 or 1 (got %d; stderr %s)" % (label, rc, err.strip()))
    else:
        check(rc == expect_rc, "%s: exit %d (got %d; stderr %s)" % (label, expect_rc, rc, err.strip()))
    check(out.endswith("\n") and out.count("\n") == 1, "%s: stdout is exactly one line: %r" % (label, out[:200]))
    try:
        doc = json.loads(out)
    except ValueError:
        check(False, "%s: stdout parses as JSON: %r" % (label, out[:200]))
        return None, err
    check(isinstance(doc, dict), "%s: the document is an object" % label)
    docs.append((label, doc))
    if error_code:
        check(doc.get("error", {}).get("code") == error_code,
              "%s: error code %s (got %s)" % (label, error_code, doc.get("error")))
        check(err.strip() != "" and "\n" not in err.strip(), "%s: one human line on stderr: %r" % (label, err))
        check(doc["error"]["message"] in err, "%s: stderr carries the JSON message" % label)
    return doc, err


def refs(doc):
    return [h["ref"] for h in doc["results"]] if doc else []


# --- Results of every kind -------------------------------------------------------------------
for qid, cat, q, rel in load_dev_queries():
    rc, out, _ = run([KB_QUERY, "--db", db, "--format", "json", "--all-locales", "--limit", "10", q])
    try:
        d = json.loads(out)
        docs.append(("dev query %s %r" % (qid, q), d))
        check(rc == (0 if d["results"] or "decoded" in d else 1), "dev query %s: exit code matches results" % qid)
    except ValueError:
        check(False, "dev query %s %r: stdout parses as JSON: %r" % (qid, q, out[:200]))

d, _ = one_shot("ID lookup 0x80070005", ["0x80070005"], 0)
if d:
    check(d.get("decoded", "").startswith("0x80070005 = E_ACCESSDENIED"), "0x80070005 is decoded: %s" % d.get("decoded"))
    first = d["results"][0] if d["results"] else {}
    check(first.get("match") == "error_id" and first.get("error_id") == "0x80070005",
          "0x80070005's first result is an error-ID match naming the ID: %s" % {k: first.get(k) for k in ("match", "error_id")})
    check(first.get("ref") == first.get("doc", "") + "#" + first.get("anchor", ""), "ref is doc#anchor")
    check(any(h["remediation"] for h in d["results"]), "an error-ID result carries remediation records")
    rem = [r for h in d["results"] for r in h["remediation"] if "0x80070005" in r["error_ids"]]
    check(bool(rem) and rem[0]["actions"], "a remediation record lists 0x80070005 in error_ids, with actions: %s" % rem[:1])

d, _ = one_shot("decoded code no document mentions", ["0x8007000e"], 0)
if d:
    check("E_OUTOFMEMORY" in d.get("decoded", "") and d["results"] == [],
          "0x8007000e: decoded, no results (exit 0: the decoding is the answer)")

d, _ = one_shot("symbolic error ID", ["UserErrorSQLPODoesNotSupportBackupType"], 0)
if d:
    check(d["results"] and d["results"][0]["match"] == "error_id", "a symbolic code matches by error ID")

# A language tag as a browser's Accept-Language writes it, with a script
# (it had been a usage error): the language is the one before the script.
d, _ = one_shot("--lang es-Latn-ES", ["--lang", "es-Latn-ES", "--limit", "1", "0x80070005"], 0)
check(d is not None and d.get("results") and d["results"][0]["locale"] == "es-es",
      "--lang es-Latn-ES reads as Spanish: %r" % (d and [h["locale"] for h in d.get("results", [])]))

d, _ = one_shot("Spanish text query", ["--lang", "es", "credenciales de almacén no válidas"], 0)
if d:
    check(d["results"] and all(h["match"] == "text" and "error_id" not in h for h in d["results"]),
          "a text match has match=text and no error_id")
    check([h["rank"] for h in d["results"]] == list(range(1, len(d["results"]) + 1)), "ranks are 1..n")

# The last one finds nothing as typed, so it must be corrected; the others
# may find results as typed, and then nothing is corrected.
for q, must in (("credenciales de almacen no valdas", False), ("backuo agnet", False),
                ("no se descargn las credenciales del almacen", True)):
    d, _ = one_shot("misspelled query %r" % q, ["--lang", "es", q], None)
    if must:
        check(d and "corrected" in d, "typo correction reports the query it ran in \"corrected\" for %r" % q)
    if d and "corrected" in d:
        check(d["corrected"] != d["query"] and d["results"], "corrected %r differs from %r and finds results" % (d["corrected"], q))
# Words no section holds are named, in the documents the schema checks below.
d, _ = one_shot("words the docs lack", ["kubectl credentials"], 0)
check(d and d.get("unknown_words") == ["kubectl"] and d["results"], "\"unknown_words\" names them: %r" % (d or {}).get("unknown_words"))
d, _ = one_shot("words the docs lack, no result", ["kubectl aks"], 1)
check(d and d.get("unknown_words") == ["kubectl", "aks"] and d["results"] == [], "with no result too")
# A typed question with a typo is corrected; the same typo in a pasted
# message (more than five words besides stop words) is left alone: its
# unknown words are mostly names, and the rest of it carries the search.
# The same words typed as a sentence, all in lower case with no period,
# are a typed question, however long.
d, _ = one_shot("short query with a typo", ["--lang", "en", "download vault credentils file"], 0)
check(d and "corrected" in d, "a short query with an unknown word is corrected")
pasted = "The backup job failed because the vault credentils file could not be downloaded from the portal."
d, _ = one_shot("pasted message with a typo", ["--lang", "en", pasted], 0)
check(d and "corrected" not in d and d["results"], "a pasted message is searched as pasted, never corrected")
typed = "the backup job fails because the vault credentils file cannot be downloaded from the portal"
d, _ = one_shot("long typed question with a typo", ["--lang", "en", typed], 0)
check(d and "credentials" in d.get("corrected", "") and d["results"],
      "a long question typed in lower case is corrected: %r" % (d or {}).get("corrected"))
for typed in ("¿why does the backup job fail, the vault credentils file cannot be downloaded from the portal?",
              "the backup job can't download the vault credentils file from the portal, it fails every time"):
    d, _ = one_shot("long typed question with commas, question marks, apostrophes", ["--lang", "en", typed], 0)
    check(d and "credentials" in d.get("corrected", ""), "%r is typed, and corrected: %r" % (typed, (d or {}).get("corrected")))
# A pasted PowerShell line: its -Parameters are words of the line, not
# exclusions (which would drop the very section that quotes it).
ps = '$deployment = Get-AzureDeployment -ServiceName "ServiceName" -Slot "Production" Get-AzureDns -DnsSettings $deployment.DnsSettings'
d, _ = one_shot("pasted PowerShell line", ["--lang", "en", "--limit", "3", "--", ps], 0)
check(d and any(h["ref"] == "en-us/backup-azure-vms-troubleshoot.md#restore" for h in d["results"]),
      "a pasted command line finds the section that quotes it: %s" % ([h["ref"] for h in d["results"]] if d else None))
d, _ = one_shot("Japanese query", ["--lang", "ja", "ライセンス認証は正常に完了しませんでした"], 0)
d, _ = one_shot("many results with links", ["--all-locales", "--limit", "60", "backup"], 0)
if d:
    links = [lk for h in d["results"] for lk in h["links"]]
    check(any(lk["external"] for lk in links) and any(not lk["external"] for lk in links),
          "results carry both external and corpus links")

d, err = one_shot("no results", ["zzqqxxnotaword"], 1)
if d:
    check(d["results"] == [] and "decoded" not in d, "no results: an empty results array")
    check(err.strip() != "", "no results: a human line on stderr even in JSON mode: %r" % err)
one_shot("FTS5 syntax is text", ["--", '"unbalanced NEAR( AND'], None)

# --show and --toc
ref0 = "en-us/backup-azure-mars-troubleshoot.md#backup-jobs-completed-with-warning"
d, _ = one_shot("--show", ["--show", ref0], 0)
check(bool(d) and refs(d) == [ref0], "--show returns exactly that section: %s" % refs(d))
d, _ = one_shot("--show missing", ["--show", "en-us/nope.md#nothing"], 1)
check(bool(d) and d.get("results") == [], "--show of a missing section: empty results")
# What a person reads on stderr, a bot finds in "note".
d, _ = one_shot("--show ambiguous", ["--show", "backup-azure-mars-troubleshoot.md#sal"], 1)
check(bool(d) and d.get("results") == [] and "did you mean" in d.get("note", "")
      and "backup-azure-mars-troubleshoot.md#salbitmaperror" in d.get("note", ""),
      "--show of an ambiguous anchor: the candidates in \"note\": %r" % (d and d.get("note")))
d, _ = one_shot("--toc ambiguous", ["--toc", "backup-azure-m"], 1)
check(bool(d) and d.get("sections") == [] and d.get("doc") == "backup-azure-m"
      and "backup-azure-mars-troubleshoot.md" in d.get("note", ""),
      "--toc of an ambiguous name: the name asked and the candidates in \"note\": %r" % (d,))
d, _ = one_shot("--toc", ["--toc", "en-us/backup-azure-mars-troubleshoot.md"], 0)
if d:
    check(d["doc"] == "en-us/backup-azure-mars-troubleshoot.md" and len(d["sections"]) > 5,
          "--toc lists the document's sections")
    check("backup-jobs-completed-with-warning" in [s["anchor"] for s in d["sections"]], "--toc has the known anchor")
d, _ = one_shot("--toc missing", ["--toc", "en-us/nope.md"], 1)
check(bool(d) and d.get("sections") == [], "--toc of a missing document: no sections")

# --- Errors: still one JSON document on stdout ------------------------------------------------
one_shot("usage: no query", [], 2, error_code="usage")
one_shot("usage: --limit 0", ["--limit", "0", "backup"], 2, error_code="usage")
one_shot("usage: --offset x", ["--offset", "x", "backup"], 2, error_code="usage")
one_shot("usage: unknown option", ["--bogus", "backup"], 2, error_code="usage")
one_shot("usage: bad --lang", ["--lang", "not a language tag", "backup"], 2, error_code="usage")
one_shot("missing database", ["backup"], 3, db_path=os.path.join(work, "missing.sqlite"), error_code="database")
garbage = os.path.join(work, "garbage.sqlite")
with open(garbage, "wb") as f:
    f.write(os.urandom(8192))
one_shot("corrupt database", ["backup"], 3, db_path=garbage, error_code="database")
truncated = os.path.join(work, "truncated.sqlite")
with open(db, "rb") as src, open(truncated, "wb") as dst:
    dst.write(src.read()[: os.path.getsize(db) // 3])
one_shot("truncated database", ["backup"], 3, db_path=truncated, error_code="database")
# A query that is not UTF-8 (a bot forwarding raw bytes) must still yield one JSON document.
rc, out, err = run([KB_QUERY, "--db", db, "--format", "json", b"backup \xff\xfe agent"])
try:
    d = json.loads(out)
    docs.append(("invalid UTF-8 query", d))
    check(out.count("\n") == 1 and rc in (0, 1, 2), "invalid UTF-8 query: one document, exit 0/1/2 (got %d)" % rc)
except ValueError:
    check(False, "invalid UTF-8 query: stdout parses as JSON (got %r, exit %d)" % (out[:100], rc))

# --- Command lines that ask two things at once --------------------------------------------------
# Whichever way a command line goes wrong, --format json anywhere on it
# (or --serve) makes the usage error the JSON error object: a later
# --format that is not a format once left stdout empty.
mars = "en-us/backup-azure-mars-troubleshoot.md"


def usage_error(label, argv, says, json_out=True):
    """kb-query argv (no --format added) is a usage error: exit 2, one line
    on stderr saying `says`, and on stdout the JSON error object or nothing."""
    rc, out, err = run([KB_QUERY, "--db", db, *argv], input=b"")
    check(rc == 2, "%s: exit 2 (got %d; stderr %s)" % (label, rc, err.strip()))
    check(err == "kb-query: %s; see kb-query --help\n" % says, "%s: stderr says %r: %r" % (label, says, err))
    if not json_out:
        check(out == "", "%s: nothing on stdout: %r" % (label, out[:200]))
        return
    check(out.endswith("\n") and out.count("\n") == 1, "%s: stdout is exactly one line: %r" % (label, out[:200]))
    try:
        d = json.loads(out)
    except ValueError:
        check(False, "%s: stdout parses as JSON: %r" % (label, out[:200]))
        return
    docs.append((label, d))
    check(d.get("error", {}).get("code") == "usage" and says in d["error"].get("message", ""),
          "%s: the usage error object: %s" % (label, out[:200]))


bad_format = "invalid value 'xml' for --format"
usage_error("--format json, then --format xml", ["--format", "json", "--format", "xml", "backup"], bad_format)
usage_error("--format xml, then --format json", ["--format", "xml", "--format", "json", "backup"], bad_format)
usage_error("--format json, text, then xml", ["--format", "json", "--format", "text", "--format", "xml", "x"], bad_format)
usage_error("--format text, then xml", ["--format", "text", "--format", "xml", "backup"], bad_format, json_out=False)
both = "--show and --toc cannot be used together"
usage_error("--show with --toc", ["--format", "json", "--show", ref0, "--toc", mars], both)
usage_error("--toc with --show", ["--format", "json", "--toc", mars, "--show", ref0], both)
usage_error("--show with --toc, as text", ["--show", ref0, "--toc", mars], both, json_out=False)
usage_error("--serve with --show", ["--serve", "--show", ref0], "--show and --serve cannot be used together")
usage_error("--serve with --toc", ["--serve", "--toc", mars], "--toc and --serve cannot be used together")
# --show and --toc name what is asked; a query beside them was once
# echoed as "query" and otherwise ignored.
usage_error("--show with words", ["--format", "json", "--show", ref0, "extra"],
            "unexpected argument 'extra': --show takes no query")
usage_error("--toc with words", ["--format", "json", "--toc", mars, "two", "words"],
            "unexpected argument 'two': --toc takes no query")
usage_error("--show with words, as text", ["--show", ref0, "--", "-x"], "unexpected argument '-x': --show takes no query",
            json_out=False)
usage_error("--serve with words", ["--serve", "backup"], "unexpected argument 'backup': --serve takes no query")
# A word of the query that starts with '-' after its first word is the
# query's (an excluded word), and a negative number is one anywhere:
# getopt_long, which reads options anywhere, had called "-storage" an
# unknown option '-s' (a documentation audit). Options still go anywhere.
for argv, query_text, limit in ((["vault", "-storage"], "vault -storage", 5),
                                (["vault", "--limit", "2", "-storage"], "vault -storage", 2),
                                (["vault", "-n", "2", "-storage"], "vault -storage", 2),
                                (["-2147024891"], "-2147024891", 5),
                                (["error", "-2147024891", "--format", "json"], "error -2147024891", 5)):
    rc, out, err = run([KB_QUERY, "--db", db, "--format", "json", *argv], input=b"")
    try:
        d = json.loads(out)
    except ValueError:
        d = {}
    check(rc in (0, 1) and d.get("query") == query_text and len(d.get("results", [])) <= limit,
          "%s: the dashed word is the query's (rc %d, %r %s)" % (argv, rc, d.get("query"), err.strip()[:200]))
rc, out, err = run([KB_QUERY, "--db", db, "--format", "json", "vault", "-storage"], input=b"")
d = json.loads(out) if rc in (0, 1) else {}
check(all("storage" not in (r.get("heading", "") + r.get("text", "")).lower() for r in d.get("results", []))
      and d.get("results"), "vault -storage excludes storage: %r" % [r.get("heading") for r in d.get("results", [])])
# Excluded words do not make a question long enough to read as a pasted
# message (whose "-Path" is text): from its sixth word on, "vault -storage
# -aa -bb -cc -dd" had searched for the words it excluded. And a section
# is not shown by its copy in the reader's language when that copy has an
# excluded word ("vault -transient": the es-es copy matched, the en-us one
# was shown).
for q, word in (("vault -storage -aa -bb -cc -dd", "storage"), ("vault agent credentials file download -storage", "storage"),
                ("vault -transient", "transient"), ("vault -unregister", "unregister")):
    rc, out, err = run([KB_QUERY, "--db", db, "--format", "json", "--limit", "300", "--", *q.split()], input=b"")
    d = json.loads(out) if rc in (0, 1) else {}
    bad = [r["ref"] for r in d.get("results", []) if word in (r["heading"] + r["text"]).lower()]
    check(d.get("results") and not bad and "unknown_words" not in d, "%r excludes %s: %r" % (q, word, bad[:3]))
# --serve answers JSON lines only: --format text or markdown beside it had
# been taken silently, and the answers were JSON all the same.
for fmt in ("text", "markdown", "md"):
    usage_error("--serve --format " + fmt, ["--serve", "--format", fmt],
                "--serve answers in JSON lines, not --format " + fmt)
usage_error("--format text --serve", ["--format", "text", "--serve"], "--serve answers in JSON lines, not --format text")
rc, out, err = run([KB_QUERY, "--db", db, "--serve", "--format", "json"], input=b'{"q":"backup"}\n')
check(rc == 0 and json.loads(out.splitlines()[0]).get("results"), "--serve --format json is accepted (got %d: %s)" % (rc, err))
# The page a command line may ask for is the one a --serve request may
# (limit 1..1000, offset 0..100000; test_serve checks the requests): a
# --limit of a million once ran 32 s in 400 MB on a large index.
usage_error("--limit 1001", ["--format", "json", "--limit", "1001", "backup"],
            "invalid value '1001' for --limit: must be 1..1000")
usage_error("--limit 1000000", ["--format", "json", "--limit", "1000000", "backup"],
            "invalid value '1000000' for --limit: must be 1..1000")
usage_error("--limit 0, as text", ["--limit", "0", "backup"], "invalid value '0' for --limit: must be 1..1000",
            json_out=False)
usage_error("--offset 100001", ["--format", "json", "--offset", "100001", "backup"],
            "invalid value '100001' for --offset: must be 0..100000")
usage_error("--offset -1", ["--format", "json", "--offset", "-1", "backup"],
            "invalid value '-1' for --offset: must be 0..100000")
d, _ = one_shot("--limit 1000 --offset 100000: the largest page",
                ["--limit", "1000", "--offset", "100000", "backup"], 1)
check(d is not None and d.get("results") == [], "the largest page is a page: %s" % (d and list(d)))
# An empty value is no value: --db '' once read $KB_DB's index (or the
# default one), and --toc '' listed every document as "did you mean".
# It says the value is empty (it had said "needs a value", though one was given).
usage_error("--db ''", ["--format", "json", "--db", "", "backup"], "the value of '--db' is empty: it names nothing")
rc, out, err = run([KB_QUERY, "--db", "", "--format", "json", "backup"], env={"KB_DB": db})
check(rc == 2 and json.loads(out or "{}").get("error", {}).get("code") == "usage" and "--db" in err,
      "--db '' with $KB_DB set is a usage error, not $KB_DB's answer (got %d: %r)" % (rc, out[:100]))
usage_error("--toc ''", ["--format", "json", "--toc", ""], "the value of '--toc' is empty: it names nothing")
# One command line asks one thing: --version had answered, exit 0, and
# dropped the question or --serve beside it.
usage_error("--version with a query", ["--format", "json", "--version", "backup"],
            "unexpected argument 'backup': --version takes no query")
usage_error("--version --serve", ["--format", "json", "--serve", "--version"],
            "--version and --serve cannot be used together")
# A number is digits: " 3" and "+3" were taken where "3 " was refused.
for value in (" 3", "+3", "3 "):
    usage_error("--limit %r" % value, ["--format", "json", "--limit", value, "backup"],
                "invalid value '%s' for --limit: must be 1..1000" % value)
# A path longer than kb-query can hold was cut short, and the file the cut
# named answered ("././.../kb.sqlite.missing" cut after 4095 bytes: ./kb.sqlite).
base = os.path.basename(db)
long_path = "./" * ((4095 - len(base)) // 2) + "/" * ((4095 - len(base)) % 2) + base + ".missing"
for env in ({}, {"KB_DB": long_path}):
    argv = [] if env else ["--db", long_path]
    rc, out, err = run([KB_QUERY, *argv, "--format", "json", "backup"], env=env, cwd=os.path.dirname(db))
    check(rc == 3 and json.loads(out or "{}").get("error", {}).get("code") == "database" and "too long" in err,
          "a %s path over 4095 bytes: exit 3, the database error (got %d: %r %r)"
          % ("$KB_DB" if env else "--db", rc, out[:100], err[:200]))
usage_error("--toc '', as text", ["--toc", ""], "the value of '--toc' is empty: it names nothing", json_out=False)


def unwritable_stdout(label, argv, closed=False, input=None):
    """kb-query argv with stdout on /dev/full (or closed): the answer is
    lost, so the exit status is 4 (not 0 or 1) and stderr says why."""
    with open("/dev/full", "wb") as full:
        p = subprocess.run([KB_QUERY, *argv], stdout=full, stderr=subprocess.PIPE, input=input, timeout=60,
                           preexec_fn=(lambda: os.close(1)) if closed else None)
    err = p.stderr.decode("utf-8", "replace")
    check(p.returncode == 4 and "cannot write to standard output" in err,
          "%s: exit 4 and a message on stderr (got %d: %r)" % (label, p.returncode, err))


for closed in (False, True):
    how = "closed stdout" if closed else "stdout on /dev/full"
    unwritable_stdout("JSON answer, " + how, ["--db", db, "--format", "json", "backup"], closed)
    unwritable_stdout("no result, " + how, ["--db", db, "--format", "json", "zzqqxxnotaword"], closed)
    unwritable_stdout("text answer, " + how, ["--db", db, "backup"], closed)
    unwritable_stdout("--version, " + how, ["--db", db, "--version", "--format", "json"], closed)
    unwritable_stdout("--help, " + how, ["--help"], closed)
# A reader that hangs up before the answer is written: exit 4, quietly
# (the reader knows), with SIGPIPE at its default as Python's subprocess
# and shells leave it. kb-query had died of the signal (-13).
for argv in (["--format", "json", "--limit", "1000", "--full", "backup"], ["--limit", "1000", "--full", "backup"]):
    p = subprocess.Popen([KB_QUERY, "--db", db, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()
    rc = p.wait(60)
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    check(rc == 4 and err == "", "%s, reader gone: exit 4, nothing on stderr (got %d: %r)" % (" ".join(argv), rc, err))
# A usage error stays one: its message is on stderr whatever stdout is.
with open("/dev/full", "wb") as full:
    p = subprocess.run([KB_QUERY, "--db", db, "--bogus"], stdout=full, stderr=subprocess.PIPE, timeout=60)
check(p.returncode == 2, "a usage error with stdout on /dev/full: exit 2 (got %d)" % p.returncode)

# --help is for people: its text on stdout, exit 0, whatever --format says
# (README, "The contract").
rc, help_text, err = run([KB_QUERY, "--help"])
check(rc == 0 and help_text.startswith("Usage: kb-query") and err == "", "--help: the help on stdout (%d: %r)" % (rc, err))
for argv in (["--format", "json", "--help"], ["--help", "--format", "json"], ["--serve", "--help"],
             ["--format", "markdown", "--help"], ["--help", "--format", "yaml"], ["--limit", "0", "--help"]):
    rc, out, err = run([KB_QUERY, *argv], input=b"")
    check(rc == 0 and out == help_text and err == "", "%s: exit 0, the help on stdout, nothing on stderr (got %d, %r, %r)"
          % (" ".join(argv), rc, out[:60], err[:200]))

# An unknown option is no request for help, though its letters hold h.
for argv in (["-xh"], ["--help", "--bogus"]):
    rc, out, err = run([KB_QUERY, *argv], input=b"")
    check(rc == 2 and out == "" and "unknown option" in err, "%s: a usage error (got %d, %r, %r)"
          % (" ".join(argv), rc, out[:60], err[:200]))

# --- --version ------------------------------------------------------------------------------
d, _ = one_shot("--version with an index", ["--version"], 0)
if d:
    idx = d.get("index", {})
    check(d.get("program") == "kb-query" and d.get("schema") == 1 and d.get("version"), "--version: program, schema")
    check(idx.get("documents") == 24 and idx.get("locales") == ["en-us", "es-es", "ja-jp"],
          "--version: the index's document count and locales: %s" % idx)
    check(idx.get("path") == db and len(idx.get("built_at", "")) >= 20, "--version: path and build date: %s" % idx)
    check(idx.get("current") is True, "--version: this build's pipeline wrote the index: %s" % idx)
    rc, out, _ = run([KB_QUERY, "--db", db, "--version"])
    check(rc == 0 and d["version"] in out and "schema 1" in out and idx.get("built_at", "?") in out
          and "24 documents" in out and "en-us es-es ja-jp" in out,
          "--version text: version, schema, build date, documents and locales: %r" % out)
d, _ = one_shot("--version without an index", ["--version"], 0, db_path=os.path.join(work, "missing.sqlite"))
check(bool(d) and "index" not in d, "--version without an index has no index object")
# A readable index whose path is not UTF-8 is reported all the same, its
# path escaped as every name that is not UTF-8 ("x\xff.db"): JSON cannot
# carry the byte, and "index" was left out.
odd = os.path.join(work.encode(), b"x\xff.db")
shutil.copyfile(db, odd)
d, _ = one_shot("--version, a path that is not UTF-8", ["--version"], 0, db_path=odd)
idx = (d or {}).get("index", {})
check(idx.get("path") == os.path.join(work, "x\\xff.db") and idx.get("documents") == 24,
      "--version reports an index whose path is not UTF-8, the path escaped: %s" % d)
# An index that does not record when it was built: "built_at" is left out,
# not "" (which no date-time is).
bare = os.path.join(work, "no-meta.sqlite")
shutil.copyfile(db, bare)
con = sqlite3.connect(bare)
con.execute("DELETE FROM meta")
con.commit()
con.close()
d, _ = one_shot("--version, no build date", ["--version"], 0, db_path=bare)
idx = (d or {}).get("index", {})
check(idx and "built_at" not in idx and idx.get("documents") == 24,
      "--version leaves out a build date the index does not record: %s" % d)
rc, out, _ = run([KB_QUERY, "--db", bare, "--version"])
check(rc == 0 and "index: %s, 24 documents, locales: en-us es-es ja-jp\n" % bare in out and "built" not in out,
      "--version text without a build date: %r" % out)

# --- Paging and filters -----------------------------------------------------------------------
def rq(*args):
    rc, out, _ = run([KB_QUERY, "--db", db, "--format", "json", *args])
    try:
        return json.loads(out)
    except ValueError:
        return None


q = "backup agent"
p4, p1, p2 = rq("--limit", "4", q), rq("--offset", "0", "--limit", "2", q), rq("--offset", "2", "--limit", "2", q)
check(p4 and len(p4["results"]) == 4, "--limit 4 gives 4 results")
check(p4 and p1 and p2 and refs(p1) + refs(p2) == refs(p4),
      "offset 0 limit 2 + offset 2 limit 2 == limit 4: %s + %s vs %s" % (refs(p1), refs(p2), refs(p4)))
# A bot pages through a question with --offset: the pages, one process
# each, give the one long page, each section once. A section found in two
# languages once counted twice, so page 1 came out a result short, and the
# copy the offset skipped came back on page 2 ("Error 0x80070003": 47 of
# 300 bench questions repeated a section).
questions = [row[2] for row in load_dev_queries()] + [
    "SDC to MDC upgrade with a change in SID", "Error 0x80070003", "(ID: 403)", "the", "backup", "0x80070570",
    "VM Agent", "ampliar shadow storage con vssadmin resize", "bb", "SalBitmapError"]
bad = []
for q in questions:
    for extra in ([], ["--all-locales"]):
        whole = rq("--limit", "12", *extra, "--", q)
        pages = [rq("--offset", str(o), "--limit", "4", *extra, "--", q) for o in (0, 4, 8)]
        if not whole or not all(pages):
            bad.append((q, extra, "no JSON"))
            continue
        paged = [r for p in pages for r in refs(p)]
        keys = [r.split("/", 1)[1] for r in paged]
        if paged != refs(whole) or (not extra and len(set(keys)) != len(keys)):
            bad.append((q, extra, paged, refs(whole)))
check(not bad, "pages of 4 make up the page of 12, each section once, for %d questions (%d differ): %s"
      % (2 * len(questions), len(bad), bad[:2]))
# A question that is one OR group ranks its sections on each one's words
# at any depth: its OR pass ran only when the page was not full, and gave
# "backup OR vault" one first section at --limit 285 and another at 286.
whole = rq("--limit", "300", "--", "backup OR vault")
pages = [rq("--offset", str(o), "--limit", "100", "--", "backup OR vault") for o in (0, 100, 200)]
paged = [r for p in pages if p for r in refs(p)]
check(whole and len(refs(whole)) > 200 and paged == refs(whole),
      "pages of 100 of an OR make up the page of 300 (%d repeated)" % (len(paged) - len(set(paged))))
big = rq("--offset", "100000", q)
check(big is not None and big["results"] == [], "an offset past the end gives no results")
# The last page ends where the whole list does: an offset past every hit
# reads none of them, one short of the end still shows the last.
for q in ("backup", "SalBitmapError", "registro"):
    whole = refs(rq("--limit", "1000", "--", q) or {"results": []})
    last = rq("--offset", str(len(whole) - 1), "--", q)
    past = rq("--offset", str(len(whole)), "--", q)
    check(whole and last and refs(last) == whole[-1:] and past and past["results"] == [],
          "%r: --offset %d shows the last of %d results, one more none: %s, %s"
          % (q, len(whole) - 1, len(whole), last and refs(last), past and refs(past)))

for lang, loc in (("es", "es-es"), ("en", "en-us")):
    d = rq("--lang", lang, "--limit", "5", "0x80070005")
    check(d and d["results"] and d["results"][0]["locale"] == loc,
          "--lang %s puts %s first: %s" % (lang, loc, [h["locale"] for h in d["results"]] if d else None))
for lang, loc in (("es", "es-es"), ("en", "en-us"), ("ja", "ja-jp")):
    d = rq("--lang", lang, "--show", "backup-azure-mabs-troubleshoot.md#registration-and-agent-related-issues")
    check(d and [h["locale"] for h in d["results"]] == [loc], "--show without a locale folder, --lang %s: the %s copy" % (lang, loc))
# --locale-only and --doc-prefix choose the copy --show and --toc show, as
# they filter a search: the English copy had been shown for es-es.
for extra, loc in ((["--locale-only", "es-es"], "es-es"), (["--locale-only", "es"], "es-es"),
                   (["--doc-prefix", "es-es/"], "es-es"), (["--lang", "es", "--locale-only", "en-us"], "en-us")):
    d = rq(*extra, "--show", "backup-azure-mars-troubleshoot.md#salbitmaperror")
    t = rq(*extra, "--toc", "backup-azure-mars-troubleshoot.md")
    tocLocales = {h["locale"] for h in t["sections"]} if t and t.get("sections") else None
    check(d and [h["locale"] for h in d["results"]] == [loc] and tocLocales == {loc},
          "--show and --toc with %s: the %s copy: %s, %s" % (extra, loc, d and [h["locale"] for h in d["results"]],
                                                            tocLocales))
rc, out, _ = run([KB_QUERY, "--db", db, "--format", "json", "--locale-only", "fr-fr", "--show",
                  "backup-azure-mars-troubleshoot.md#salbitmaperror"])
d = json.loads(out) if out else {}
check(rc == 1 and d.get("results") == [] and "no copy in the locale" in d.get("note", ""),
      "--show of a section with no copy the filter keeps: exit 1 and a note (rc %d): %r" % (rc, d))
# An anchor can be given by its start, as a person types a long slug: one
# section that starts so is shown; several, or none, are a clear "not found".
mars = "backup-azure-mars-troubleshoot.md"
for lang, loc in (("en", "en-us"), ("es", "es-es")):
    d = rq("--lang", lang, "--show", mars + "#salbitmap")
    check(d and refs(d) == ["%s/%s#salbitmaperror" % (loc, mars)],
          "--show %s#salbitmap --lang %s: the SalBitmapError section in %s: %s" % (mars, lang, loc, d and refs(d)))
for ref_, rc_, words in ((mars + "#sal", 1, ["did you mean", mars + "#salbitmaperror", mars + "#sallowdiskspace"]),
                         (mars + "#zzz", 1, ["kb-query --toc " + mars]),
                         ("nothere.md#x", 1, ["no document nothere.md"]),
                         ("backup-azure-m#x", 1, ["did you mean", "backup-azure-mabs-troubleshoot.md,",
                                                   "backup-azure-mars-troubleshoot.md?"]),
                         (mars, 2, ["--toc"])):
    rc, out, err = run([KB_QUERY, "--db", db, "--show", ref_])
    check(rc == rc_ and all(w in err for w in words) and len(err.strip().splitlines()) == 1,
          "--show %s: exit %d and one line naming %s (got %d: %s)" % (ref_, rc_, words, rc, err.strip()))
# ...and so can a document's name, for --show and --toc alike.
for lang, loc in (("en", "en-us"), ("es", "es-es")):
    d = rq("--lang", lang, "--show", "backup-azure-mars#salbitmap")
    check(d and refs(d) == ["%s/%s#salbitmaperror" % (loc, mars)], "--show backup-azure-mars#salbitmap --lang %s: %s"
          % (lang, d and refs(d)))
d = rq("--toc", "es-es/backup-azure-mars")
check(d and d.get("doc") == "es-es/" + mars, "--toc es-es/backup-azure-mars lists that document: %s" % (d and d.get("doc")))
# A whole path without ".md" names its locale's copy (it had listed en-us's).
for loc in ("es-es", "ja-jp"):
    d = rq("--toc", loc + "/" + mars[:-3])
    check(d and d.get("doc") == loc + "/" + mars, "--toc %s/%s lists that copy: %s" % (loc, mars[:-3], d and d.get("doc")))
rc, out, err = run([KB_QUERY, "--db", db, "--toc", "backup-azure-m"])
check(rc == 1 and "did you mean" in err and mars in err, "--toc of an ambiguous start names the documents: %s" % err)
# A docs set as published keeps its pages in folders (es-ES/articles/backup/):
# the file's own name, or its start, names the page too.
_, deepDb = docs_index({
    "es-ES/articles/backup/backup-azure-vms-troubleshoot.md": "# Solucionar problemas\n\n## Trabajos\n\nEspere.\n",
    "es-ES/articles/backup/backup-azure-vms-automation.md": "# Automatizar\n\n## Directivas\n\nCree una.\n",
    "es-ES/articles/backup/backup-azure-vms-troubleshoot-classic.md": "# Clásico\n\n## Trabajos clásicos\n\nNo.\n",
}, "pages in folders")
# The README's own example: the whole file name wins over a longer one
# that starts so (it had been "no document ..., did you mean" both).
for named in ("backup-azure-vms-troubleshoot", "backup/backup-azure-vms-troubleshoot"):
    rc, out, err = run([KB_QUERY, "--db", deepDb, "--toc", named])
    check(rc == 0 and out.startswith("es-ES/articles/backup/backup-azure-vms-troubleshoot.md#"),
          "--toc %s beside ...-classic.md: that page: rc %d %r %r" % (named, rc, out[:80], err))
for named in ("backup-azure-vms-troubleshoot.md", "backup-azure-vms-troubleshoot"):
    rc, out, err = run([KB_QUERY, "--db", deepDb, "--toc", named])
    check(rc == 0 and out.startswith("es-ES/articles/backup/backup-azure-vms-troubleshoot.md#"),
          "--toc %s in folders: that page: rc %d %r %r" % (named, rc, out[:80], err))
rc, out, err = run([KB_QUERY, "--db", deepDb, "--show", "backup-azure-vms-troubleshoot#trabajos"])
check(rc == 0 and "Espere." in out, "--show by the file's name in folders: rc %d %r" % (rc, err))
rc, out, err = run([KB_QUERY, "--db", deepDb, "--toc", "backup-azure-vms"])
check(rc == 1 and "backup-azure-vms names several documents; did you mean" in err
      and "articles/backup/backup-azure-vms-automation.md" in err,
      "--toc of a start two pages share, in folders: both named: %r" % err)


def section_key(hit):
    return hit["doc"].split("/", 1)[1] + "#" + hit["anchor"]


for lang, loc in (("es", "es-es"), ("ja", "ja-jp")):
    q = "backup agent"
    every = rq("--all-locales", "--limit", "1000", q)
    copies = {}
    for h in every["results"] if every else []:
        copies.setdefault(section_key(h), set()).add(h["locale"])
    d = rq("--lang", lang, "--limit", "15", q)
    keys = [section_key(h) for h in d["results"]] if d else []
    check(d and d["results"] and len(keys) == len(set(keys)), "--lang %s: each section shown once: %s" % (lang, keys))
    wrong = [h["ref"] for h in (d["results"] if d else []) if loc in copies.get(section_key(h), ()) and h["locale"] != loc]
    check(d and not wrong, "--lang %s: a section with a %s copy is shown in %s: %s" % (lang, loc, loc, wrong))
for loc in ("en-us", "ja-jp"):
    d = rq("--locale-only", loc, "--limit", "20", "backup")
    check(d and d["results"] and all(h["locale"] == loc for h in d["results"]),
          "--locale-only %s keeps only %s: %s" % (loc, loc, sorted({h["locale"] for h in d["results"]}) if d else None))
d = rq("--locale-only", "ja-jp", "UserErrorSQLPODoesNotSupportBackupType")
check(d is not None and d["results"] == [], "--locale-only ja-jp: a section with no Japanese copy is not shown")
d = rq("--doc-prefix", "en-us/", "--all-locales", "--limit", "20", "backup")
check(d and d["results"] and all(h["doc"].startswith("en-us/") for h in d["results"]), "--doc-prefix en-us/ restricts")
# ...and keeps to it when the reader's language has a copy elsewhere: a
# Spanish question on en-us/ had been shown the es-es copies of what it found.
for q in ("backup", "no se puede conectar", "0x80070005"):
    d = rq("--doc-prefix", "en-us/", "--lang", "es", "--limit", "20", q)
    check(d and d["results"] and all(h["doc"].startswith("en-us/") for h in d["results"]),
          "--doc-prefix en-us/ --lang es %r: only en-us/ pages: %s" % (q, [h["ref"] for h in d["results"]][:3] if d else d))
d = rq("--doc-prefix", "es-es/troubleshoot-azure-files", "--all-locales", "--limit", "20", "error")
check(d and d["results"] and all(h["doc"] == "es-es/troubleshoot-azure-files.md" for h in d["results"]),
      "--doc-prefix to one document restricts to it")
d = rq("--doc-prefix", "xx-xx/", "backup")
check(d is not None and d["results"] == [], "--doc-prefix matching nothing gives no results")
# ...and says why, as --show does: a filter that keeps no document had
# answered as a question nothing matched, and the reader tried other words.
for opts in (["--doc-prefix", "xx-xx/"], ["--locale-only", "xx-yy"], ["--locale-only", "de"]):
    rc, out, err = run([KB_QUERY, "--db", db, "--format", "json", *opts, "backup"])
    d = json.loads(out) if out.strip() else {}
    check(rc == 1 and d.get("results") == [] and "kb-query --version" in d.get("note", "") and "--version" in err,
          "%s: exit 1 with a note naming kb-query --version (%d, %r)" % (opts, rc, d.get("note")))
rc, out, _ = run([KB_QUERY, "--db", db, "--format", "json", "--locale-only", "en-us", "zzzqqqxyzzy"])
check("note" not in (json.loads(out) if out.strip() else {}), "a filter that keeps documents adds no note")

# --- Snippets ----------------------------------------------------------------------------------
# A snippet is cut from the words that were searched: not from where links
# go ("(→ doc#anchor)") nor from the closing list of URLs, whose paths once
# made "…es/backup-azure-**troubleshoot**-vm-backup-fails…" a snippet.
for q in ("troubleshoot", "backup azure", "vm agent", "agent installed", "install agent offline"):
    d = rq("--all-locales", "--limit", "10", q)
    hits = d["results"] if d else []
    bad = [h["snippet"][:120] for h in hits if "(\u2192 " in h["snippet"] or re.search(r"\[\d+\] https?://", h["snippet"])]
    check(hits and not bad, "%r: snippets hold no link target or URL list: %s" % (q, bad))

# --- What the schema says of "score" -----------------------------------------------------------
# An error ID that three or more documents of one language give, typed with
# other words, ranks its sections below the text matches that hold every
# word: the schema once said error-ID matches score above every text match.
shared = {"es-es/%s.md" % name: "# %s\n\n## Error 503: servicio no disponible\n\nEl servicio de %s no responde.\n"
          % (name, name) for name in ("medios", "busqueda", "webhcat")}
shared["es-es/webapp.md"] = ("# Aplicaciones web\n\n## Síntoma\n\nMi aplicación web devuelve 503 al abrirla.\n\n"
                             "## Solución\n\nReinicie la aplicación web.\n")
_, shared_db = docs_index(shared, "documents sharing error 503")
rc, out, _ = run([KB_QUERY, "--db", shared_db, "--format", "json", "--limit", "6", "mi aplicación web devuelve 503"])
hits = json.loads(out).get("results", []) if rc == 0 else []
kinds = [h["match"] for h in hits]
check("text" in kinds and "error_id" in kinds[kinds.index("text"):],
      "a shared error ID typed with words ranks below a text match: %s" % [(h["match"], h["score"]) for h in hits])
with open(schema_check.SCHEMA, encoding="utf-8") as f:
    score_text = json.load(f)["$defs"]["result"]["properties"]["score"]["description"]
check("above every text match" not in score_text and "three or more documents" in score_text,
      "the schema's \"score\" says when an error-ID match ranks below text matches: %r" % score_text)

# --- Schema validation: every document printed above -----------------------------------------
verdicts = schema_check.validate([d for _, d in docs])
for (label, _), v in zip(docs, verdicts):
    check(v is None, "%s: validates against kb-query.schema.json: %s" % (label, v))
kinds = {("results" in d) and "results" or ("error" in d) and "error" or ("program" in d) and "version" or "toc"
         for _, d in docs}
check(kinds == {"results", "error", "version", "toc"}, "all four document kinds were validated: %s" % kinds)

# The schema is not vacuous: documents that break the contract are rejected.
good = next(d for _, d in docs if d.get("results") and d["results"][0]["match"] == "error_id")
bad = []
for mutate in (lambda d: d.update(schema=2), lambda d: d.pop("query"), lambda d: d.update(extra=1),
               lambda d: d["results"][0].pop("ref"), lambda d: d["results"][0].update(match="fuzzy"),
               lambda d: d["results"][0].pop("error_id"), lambda d: d["results"][0].update(score="1"),
               lambda d: d["results"][0].update(breadcrumb="a > b"),
               lambda d: d["results"][0]["links"].append({"text": "t", "target": "x"}),
               lambda d: d["results"][0]["remediation"].append({"error": "e", "causes": [], "actions": []})):
    b = copy.deepcopy(good)
    mutate(b)
    bad.append(b)
bad.append({"schema": 1, "error": {"code": "oops", "message": "m"}})
bad.append({"schema": 1, "error": {"code": "usage"}})
bad.append({"program": "kb-query", "version": "0.1.0", "schema": 1, "index_format": 1,
            "index": {"path": "x", "built_at": "yesterday", "documents": 1, "locales": []}})
bad.append({"schema": 1, "doc": "d", "sections": [{"anchor": "a"}]})
text_hit = next(d for _, d in docs if d.get("results") and d["results"][0]["match"] == "text")
b = copy.deepcopy(text_hit)
b["results"][0]["error_id"] = "0x1"
bad.append(b)
for i, v in enumerate(schema_check.validate(bad)):
    check(v is not None, "broken document #%d is rejected by the schema" % i)

finish()
