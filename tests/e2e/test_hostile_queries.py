"""Hostile queries: whatever a user (or a bot) passes on the command line,
kb-query answers within a bounded time with exit 0 (results) or 1 (none),
never shows a database, SQL or FTS5 error, and in --format json always
prints one parseable JSON document. Covers: empty and blank queries,
punctuation, FTS5 syntax (quotes, *, ^, :, NEAR(, AND/OR/NOT, column
filters, parentheses), SQL-looking text, 100 KB of text, invalid UTF-8 and
control characters in argv, a 10,000-term query (as one argument and as
10,000 arguments), a query shaped like the placeholders JSON output splices. Invalid UTF-8 is the one exception to exit 0/1: kb-query
refuses it as a usage error (exit 2, one line, JSON error object)."""
import json
import os
import re
import shutil
import subprocess
import time

from kbtest import CORPUS, KB_QUERY, SANITIZED, build_index, check, finish, tmpdir

# Sanitizer builds run several times slower: the bound is about hangs and
# blow-ups, not about speed.
LIMIT = 20.0 if SANITIZED else 5.0

# Messages that must never reach the user from a query. stderr is checked
# whole; stdout only for engine messages, since the docs themselves talk
# about SQL Server databases.
ERR_STDERR = re.compile(r"sqlite|fts5|syntax error|SQL logic|malformed|no such (column|table)|unrecognized token|"
                        r"database|AddressSanitizer|runtime error", re.I)
# What a terminal would obey: C0 controls but tab and newline (code blocks keep tabs), and DEL.
TERMINAL_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
ERR_STDOUT = re.compile(r"fts5:|SQL logic error|syntax error near|no such column|unrecognized token|"
                        r"unterminated string|AddressSanitizer|runtime error")

work = tmpdir()
db = os.path.join(work, "kb.sqlite")
docs = os.path.join(work, "docs")
os.makedirs(docs)
for loc in ("en-us", "es-es", "ja-jp"):
    os.makedirs(os.path.join(docs, loc))
    for name in ("backup-azure-mars-troubleshoot.md", "backup-azure-vms-troubleshoot.md"):
        src = os.path.join(CORPUS, loc, name)
        shutil.copy(src, os.path.join(docs, loc, name))
rc, out, err = build_index(db, dirs=(docs,))
check(rc == 0, "index of a few corpus docs builds (rc %d: %s)" % (rc, err))


def kbq(args, label):
    """Runs kb-query with bytes or str args; returns (rc, stdout bytes, stderr str, seconds)."""
    env = dict(os.environ, LANG="C.UTF-8")
    argv = [os.fsencode(KB_QUERY), b"--db", os.fsencode(db), b"--color=never"] + [
        a if isinstance(a, bytes) else a.encode() for a in args]
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, capture_output=True, env=env, timeout=LIMIT * 3)
    except subprocess.TimeoutExpired:
        check(False, "%s: kb-query did not finish within %.0f s" % (label, LIMIT * 3))
        return None
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"), time.monotonic() - t0


def hostile(label, words, rejected=False):
    """words: the query arguments (str or bytes). Checks text and JSON modes.
    rejected: kb-query refuses the query as a usage error (exit 2) with a
    message on stderr and, in JSON mode, a JSON error object."""
    for fmt in ("text", "json"):
        # "--": a query word such as "-backup" is a word, not an option.
        r = kbq(["--format", fmt, "--"] + list(words), "%s [%s]" % (label, fmt))
        if r is None:
            continue
        rc, out, err, secs = r
        what = "%s [%s]" % (label, fmt)
        if rejected:
            check(rc == 2 and "UTF-8" in err and err.count("\n") == 1,
                  "%s: refused with exit 2 and one line naming UTF-8 (got %d: %s)" % (what, rc, err[:200]))
            check(secs < LIMIT and not ERR_STDERR.search(err), "%s: quick, no engine error" % what)
            if fmt == "json":
                try:
                    e = json.loads(out).get("error", {})
                    ok = e.get("code") == "usage" and "UTF-8" in e.get("message", "")
                except (ValueError, AttributeError):
                    ok = False
                check(ok, "%s: stdout is a JSON usage error: %r" % (what, out[:200]))
            continue
        check(rc in (0, 1), "%s: exit 0 or 1 (got %d; stderr: %s)" % (what, rc, err[:300]))
        if fmt == "text":
            # What kb echoes of a query ("No document contains: ...") must
            # not drive the terminal it is shown on.
            bad = TERMINAL_CONTROL.findall(out) + TERMINAL_CONTROL.findall(err.encode())
            check(not bad, "%s: no control character on stdout or stderr: %r" % (what, bad[:5]))
        check(secs < LIMIT, "%s: answered in %.1f s (limit %.0f s)" % (what, secs, LIMIT))
        check(not ERR_STDERR.search(err), "%s: no engine error on stderr: %s" % (what, err[:300]))
        text = out.decode("utf-8", "replace")
        m = ERR_STDOUT.search(text)
        check(not m, "%s: no engine error on stdout: %s" % (what, m.group(0) if m else ""))
        if fmt == "json":
            try:
                doc = json.loads(out)
                ok = isinstance(doc, dict) and doc.get("schema") == 1 and isinstance(doc.get("results"), list)
            except ValueError as e:
                ok, doc = False, str(e)
            check(ok, "%s: stdout is one JSON result document: %r" % (what, out[:200]))
            if ok:
                check((rc == 0) == (len(doc["results"]) > 0), "%s: exit %d agrees with %d results" %
                      (what, rc, len(doc["results"])))


CASES = [
    ("empty string", [""]),
    ("whitespace", ["   \t  \n "]),
    ("only punctuation", ["!@#$%^&*()_+-=[]{}|;':\",./<>?`~"]),
    ("lone double quote", ['"']),
    ("unbalanced quote", ['"backup failed']),
    ("doubled quotes", ['""""']),
    ("star", ["*"]),
    ("prefix star", ["back*"]),
    ("caret", ["^backup"]),
    ("colon", [":"]),
    ("column filter", ["heading:backup"]),
    ("column set filter", ["{heading body}:backup"]),
    ("minus column filter", ["-heading:backup"]),
    ("NEAR(", ["NEAR("]),
    ("NEAR group", ["NEAR(backup agent, 2)"]),
    ("bare operators", ["AND", "OR", "NOT"]),
    ("operators around words", ["backup AND OR NOT agent"]),
    ("leading OR", ["OR backup"]),
    ("trailing OR", ["backup OR"]),
    ("OR groups side by side", ["a OR b c OR d -e \"g h\" OR i"]),
    ("only negations", ["-backup -agent"]),
    ("lone minus", ["-"]),
    ("unbalanced open paren", ["(backup agent"]),
    ("unbalanced close paren", ["backup) agent)"]),
    ("nested parens", ["((((backup))))"]),
    ("plus", ["backup + agent"]),
    ("SQL injection", ["'; DROP TABLE sections; --"]),
    ("SQL select", ["SELECT * FROM sqlite_master WHERE 1=1 UNION SELECT sql FROM sqlite_master"]),
    ("percent and underscore", ["%_% 0x8007%"]),
    ("backslashes", ["C:\\Windows\\System32\\ \\\\server\\share"]),
    ("hex and words", ["0x80070570", "OR", "ERROR_FILE_CORRUPT"]),
    ("signed decimal", ["-2147024891"]),
    ("huge number", ["9" * 400]),
    ("long hex", ["0x" + "f" * 300]),
    ("control characters", ["\x01\x02\x07\x1b[31mred\x1b[0m\x7f"]),
    ("control characters beside a word", ["backup \x1b]0;pwned\x07zz agent"]),
    ("CJK without spaces", ["バックアップエージェントのエラー"]),
    ("combining marks", ["e\u0301" * 200]),
    ("emoji", ["😀 backup 🏳️‍🌈"]),
    ("option-looking word", ["--", "--limit"]),
    ("100 KB of text", ["backup agent error " * (100 * 1024 // 19)]),
    ("100 KB one word", ["x" * (100 * 1024)]),
    ("10,000 terms in one argument", [" ".join("term%d" % i for i in range(10000))]),
    ("10,000 arguments", ["w%d" % i for i in range(10000)]),
    ("10,000 quoted phrases and negations", [" ".join('"a%d b" -c%d OR' % (i, i) for i in range(3000))]),
]

for label, words in CASES:
    hostile(label, words)

# kb-query splices each result's stored remediation and links arrays into
# its JSON in place of placeholder strings: a query shaped like one is only
# text, echoed as typed.
spoof = "\x01kb-stored-0000000000000000:r0"
r = kbq(["--format", "json", "--", spoof], "placeholder-shaped query")
if r:
    try:
        doc = json.loads(r[1])
    except ValueError:
        doc = {}
    check(doc.get("query") == spoof and all(isinstance(h.get("remediation"), list) for h in doc.get("results", [])),
          "a placeholder-shaped query is echoed as a string: %r" % r[1][:200])

# Invalid UTF-8 in argv is refused up front (exit 2, "not valid UTF-8"):
# never passed to the tokenizer or SQLite.
hostile("invalid UTF-8", [b"\xff\xfe\xc3\x28 backup \xe2\x82 \xf0\x9f\x98"], rejected=True)
hostile("overlong UTF-8 and surrogates", [b"\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80"], rejected=True)
hostile("Latin-1 word", [b"caf\xe9"], rejected=True)

# ...and so is a --show or --toc name that is not UTF-8, named as such: it
# had been called "the query".
for opt, what in (("--show", "--show"), ("--toc", "--toc")):
    p = subprocess.run([KB_QUERY, "--db", db, opt, b"\xff#x" if opt == "--show" else b"\xff.md"], capture_output=True)
    err = p.stderr.decode("utf-8", "replace")
    check(p.returncode == 2 and what in err and "the query" not in err, "%s not UTF-8: exit 2, named (%r)" % (opt, err.strip()))
# A --doc-prefix that is not UTF-8 names no document kb-index keeps: a
# usage error, not an answer of no result (exit 1).
p = subprocess.run([KB_QUERY, "--db", db, "--format", "json", "--doc-prefix", b"es\xff", "backup"], capture_output=True)
check(p.returncode == 2 and b'"usage"' in p.stdout and b"--doc-prefix" in p.stderr,
      "--doc-prefix not UTF-8: exit 2, named (%d %r)" % (p.returncode, p.stderr.strip()))

# --show and --toc take a document path from the user too.
for label, args in [("--show traversal", ["--show", "../../../etc/passwd#x"]),
                    ("--show no anchor", ["--show", "#"]),
                    ("--toc SQL", ["--toc", "' OR 1=1 --"])]:
    r = kbq(["--format", "json"] + args, label)
    if r:
        rc, out, err, secs = r
        check(rc in (0, 1, 2), "%s: exit 0, 1 or 2, not 3: the index is fine (got %d)" % (label, rc))
        check(not ERR_STDERR.search(err), "%s: no engine error: %s" % (label, err[:200]))
        try:
            json.loads(out)
            ok = True
        except ValueError:
            ok = False
        check(ok, "%s: stdout parses as JSON: %r" % (label, out[:200]))
        check(b"root:x:0:0" not in out, "%s: never shows /etc/passwd" % label)

shutil.rmtree(work, ignore_errors=True)
finish()
