"""kb-query --serve driven the way a chat bot drives it: one long-lived
process, one JSON request per line on stdin, one JSON response line per
request on stdout.

Requests go one at a time and each response is read before the next request
is written, so a response that is not flushed shows up as a timeout here.
Bad lines (malformed, wrong field type, unknown field, over 64 KB) and blank
lines sit in the middle of a valid stream: each bad line gets one error
response, blank lines none, and the stream goes on. Ids are echoed, order is
kept, every response validates against the schema, serve answers equal
one-shot answers, the index is opened once, and EOF exits 0."""
import json
import os
import shutil
import select
import signal
import subprocess
import sys
import time

from kbtest import build_index, check, finish, run, tmpdir, KB_QUERY, SOURCE

sys.path.insert(0, os.path.join(SOURCE, "tests", "bot"))
import schema_check  # noqa: E402

TIMEOUT = 30  # seconds to wait for one response line
ENV = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
ENV.pop("LANGUAGE", None)

work = tmpdir()
db = os.path.join(work, "kb.sqlite")
rc, out, err = build_index(db)
check(rc == 0, "kb-index builds the bundled corpus (got %d: %s)" % (rc, err))


class Server:
    """A kb-query --serve child with a line reader that never blocks forever."""

    def __init__(self, *args, db_path=db, env=ENV):
        self.p = subprocess.Popen([KB_QUERY, "--db", db_path, "--serve", *args], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.buf = b""

    def send(self, line):
        data = line if isinstance(line, bytes) else line.encode("utf-8")
        try:
            self.p.stdin.write(data + b"\n")
            self.p.stdin.flush()
            return True
        except BrokenPipeError:  # the server died: every later response is missing
            return False

    def readline(self, timeout=TIMEOUT):
        """The next stdout line (bytes, without newline), or None on timeout or EOF."""
        deadline = time.monotonic() + timeout
        fd = self.p.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def ask(self, request):
        """Sends one request line and reads its one response; returns (raw line, parsed or None)."""
        if not self.send(request if isinstance(request, (str, bytes)) else json.dumps(request, ensure_ascii=False)):
            return None, None
        line = self.readline()
        if line is None:
            return None, None
        try:
            return line, json.loads(line)
        except ValueError:
            return line, None

    def close(self, timeout=60):
        """Closes stdin (EOF) and returns (exit code, remaining stdout, stderr)."""
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        rest = self.buf + self.p.stdout.read()
        err = self.p.stderr.read().decode("utf-8", "replace")
        self.p.stdout.close()
        self.p.stderr.close()
        return rc, rest, err


def one_shot(*args):
    p = subprocess.run([KB_QUERY, "--db", db, "--format", "json", *args], capture_output=True, env=ENV, timeout=120)
    return json.loads(p.stdout)


responses = []  # every parsed response, validated against the schema at the end
srv = Server()

# The same fd stays open for the whole session: no socket, ever.
fds = os.listdir("/proc/%d/fd" % srv.p.pid)
links = [os.readlink("/proc/%d/fd/%s" % (srv.p.pid, fd)) for fd in fds if os.path.exists("/proc/%d/fd/%s" % (srv.p.pid, fd))]
check(not any(lk.startswith("socket:") for lk in links), "serve mode opens no socket: %s" % links)

# (request line, expected id or "-" for no id, expected kind: "results" or "error")
script = [
    ({"q": "0x80070005", "limit": 2, "id": 1}, 1, "results"),
    ("{not json", "-", "error"),
    ({"q": "backup", "limit": "5", "id": "wrong-type"}, "wrong-type", "error"),
    ({"q": "backup agent", "lang": "es", "id": "es-1"}, "es-1", "results"),
    ("", None, None),  # blank line: no response at all
    ("   \t", None, None),
    ({"q": "backup", "limt": 2, "id": 2}, 2, "error"),
    ('{"q": "backup", "id": 3.5, "limit": 1}', 3.5, "results"),
    ('["q", "backup"]', "-", "error"),
    ({"q": "backup", "limit": 0, "id": "zero"}, "zero", "error"),
    ({"q": "backup", "limit": 1.5, "id": "real"}, "real", "error"),
    ({"q": "backup", "format": "text", "id": "fmt"}, "fmt", "error"),
    ({"q": "backup", "lang": 7, "id": "lang-type"}, "lang-type", "error"),
    ({"id": "neither"}, "neither", "error"),
    ({"q": "backup", "show": "x.md#y", "id": "both"}, "both", "error"),
    ({"limit": 3, "id": "no-q"}, "no-q", "error"),
    ('{"q": "a", "q": "b", "id": "dup"}', "-", "error"),
    ('{"q": "backup", "id": "oversize", "pad": "' + "x" * (70 * 1024) + '"}', "-", "error"),
    ({"q": "zzqqxxnotaword", "id": {"conversation": 9, "turn": [1, 2]}}, {"conversation": 9, "turn": [1, 2]}, "results"),
    ({"q": "0x8007000e", "id": None}, None, "results"),
    ({"show": "en-us/backup-azure-mars-troubleshoot.md#backup-jobs-completed-with-warning", "id": "show"}, "show", "results"),
    ({"show": "no-anchor.md", "id": "show-bad"}, "show-bad", "error"),  # once code "database"
    ({"q": "credenciales de almacén no válidas", "lang": "es", "limit": 3, "locale_only": "es-es",
      "doc_prefix": "es-es/", "all_locales": False, "exact": False, "full": True, "format": "json", "id": 4}, 4, "results"),
]
for request, want_id, kind in script:
    label = request if isinstance(request, str) else json.dumps(request, ensure_ascii=False)
    label = label[:80]
    if kind is None:
        srv.send(request)
        continue  # the next request's response must be the next line: checked by its id
    raw, resp = srv.ask(request)
    if not check(raw is not None, "response to %s arrives (flushed) within %d s" % (label, TIMEOUT)):
        break
    check(resp is not None and isinstance(resp, dict), "response to %s is one JSON object: %r" % (label, raw[:200]))
    if not resp:
        continue
    responses.append((label, resp))
    if want_id == "-":
        check("id" not in resp, "no id when the request gave none or did not parse: %s" % label)
    else:
        check("id" in resp and resp["id"] == want_id and type(resp["id"]) is type(want_id),
              "id %r echoed for %s (got %r)" % (want_id, label, resp.get("id", "<none>")))
    check(kind in resp, "%s gets a %s response: %s" % (label, kind, raw[:200]))
    if kind == "error":
        check(resp["error"]["code"] == "bad_request", "%s: error code bad_request" % label)

# Named fields: the bot developer sees which field is wrong.
by_id = {json.dumps(r.get("id")): r for _, r in responses if "id" in r}
check("limit" in by_id.get('"wrong-type"', {}).get("error", {}).get("message", ""), "a wrong-type error names the field")
check("limt" in by_id.get("2", {}).get("error", {}).get("message", ""), "an unknown-field error names the field")
check(any("64 KB" in r["error"]["message"] for _, r in responses if "error" in r), "the oversize line is named as such")
messages = {label: r["error"]["message"] for label, r in responses if "error" in r}
check("duplicate" in messages.get('{"q": "a", "q": "b", "id": "dup"}', ""),
      "a line that is not valid JSON says why (a duplicate key): %r" % messages.get('{"q": "a", "q": "b", "id": "dup"}'))
# A request with neither q nor show had been told "not both".
neither = by_id.get('"neither"', {}).get("error", {}).get("message", "")
check('"q"' in neither and "not both" not in neither, "a request with neither q nor show says so: %r" % neither)
check("not both" in by_id.get('"both"', {}).get("error", {}).get("message", ""), "one with both says not both")
check("DOC#ANCHOR" in by_id.get('"show-bad"', {}).get("error", {}).get("message", ""),
      "a \"show\" without an anchor says what it expects")
r4 = by_id.get("4", {})
check(r4.get("results") and all(h["locale"] == "es-es" for h in r4["results"]) and len(r4["results"]) <= 3,
      "limit, locale_only and doc_prefix apply in serve mode")
check(by_id.get("null", {}).get("decoded", "").startswith("0x8007000E".lower()) or
      "E_OUTOFMEMORY" in by_id.get("null", {}).get("decoded", ""), "decoded codes in serve mode")

# A line of exactly 64 KB is still a request; one byte more is not.
base = '{"q": "backup", "limit": 1, "id": "edge"}'
exact = base[:-1] + " " * (64 * 1024 - len(base)) + "}"
raw, resp = srv.ask(exact)
check(resp is not None and resp.get("id") == "edge" and "results" in resp, "a 64 KB line is answered normally")
raw, resp = srv.ask(exact[:-1] + " }")
check(resp is not None and resp.get("error", {}).get("code") == "bad_request" and "id" not in resp,
      "a 64 KB + 1 line is refused as oversize")
if resp:
    responses.append(("64 KB + 1", resp))
# A line ending in CRLF (a bot on Windows) is as long as its request: the
# CR does not count. More after the CR does.
raw, resp = srv.ask(exact + "\r")
check(resp is not None and resp.get("id") == "edge" and "results" in resp,
      "a 64 KB line ending in CRLF is answered normally: %r" % (raw and raw[:100]))
for tail, what in (("\r\r", "two CRs"), ("\rx", "a CR and a byte")):
    raw, resp = srv.ask(exact + tail)
    check(resp is not None and resp.get("error", {}).get("code") == "bad_request"
          and "64 KB" in resp["error"]["message"],
          "a 64 KB line with %s more is refused as oversize: %r" % (what, raw and raw[:100]))
# NUL in a request is refused in our words, not by jansson's flag.
raw, resp = srv.ask('{"q": "\\u0000x", "id": "nul"}')
message = (resp or {}).get("error", {}).get("message", "")
check(resp is not None and resp["error"]["code"] == "bad_request" and "NUL" in message
      and "JSON_ALLOW_NUL" not in message, "a NUL in a request is named as such: %r" % message)
if resp:
    responses.append(("NUL in q", resp))
# ...and so is a raw NUL byte, which had ended the text for jansson ("end of
# file expected near end of file").
raw, resp = srv.ask(b'{"q": "backup"}\x00')
message = (resp or {}).get("error", {}).get("message", "")
check(resp is not None and resp["error"]["code"] == "bad_request" and "NUL" in message and "column 16" in message,
      "a raw NUL byte in a request is named as such, where it is: %r" % message)
# A number beyond what jansson holds is valid JSON: the message says so,
# and what to do, not that the request is not JSON.
for big in ("18446744073709551616", "1e400"):
    raw, resp = srv.ask('{"q": "backup", "id": %s}' % big)
    message = (resp or {}).get("error", {}).get("message", "")
    check(resp is not None and resp["error"]["code"] == "bad_request" and "too large" in message
          and "not valid JSON" not in message, "id %s: a number too large, as a string: %r" % (big, message))
# A real id comes back as the bot wrote it, not as jansson's 17 digits.
for id_text, want in (("0.1", b"0.1"), ("3.5", b"3.5"), ("1E-7", b"1e-7"), ("5e-324", b"5e-324"),
                      ("[0.1, {\"a\": 0.2}]", b'[0.1,{"a":0.2}]')):
    raw, resp = srv.ask('{"q": "backup", "limit": 1, "id": %s}' % id_text)
    check(raw is not None and raw.endswith(b',"id":' + want + b"}"),
          "id %s is echoed as %s: %r" % (id_text, want, raw and raw[-60:]))
raw, resp = srv.ask('{"q": "nothing", "show": "x", "id": 0.1}')
check(raw is not None and raw.endswith(b',"id":0.1}'), "an error response echoes a real id too: %r" % raw)
# The page a request may ask for is the command line's (test_bot_contract):
# limit 1..1000, offset 0..100000.
for field, bad, good, says in (("limit", 1001, 1000, "1..1000"), ("limit", 0, 1, "1..1000"),
                               ("offset", 100001, 100000, "0..100000"), ("offset", -1, 0, "0..100000")):
    raw, resp = srv.ask({"q": "backup", field: bad, "id": "bad-" + field})
    check(resp is not None and resp.get("error", {}).get("code") == "bad_request"
          and resp["error"]["message"] == 'field "%s" must be %s' % (field, says),
          "%s %d is out of range, as on the command line: %r" % (field, bad, raw))
    raw, resp = srv.ask({"q": "backup", field: good, "id": "good-" + field})
    check(resp is not None and "results" in resp, "%s %d is in range: %r" % (field, good, raw and raw[:100]))
raw, resp = srv.ask(b'{"q": "backup \xff", "id": "utf8"}')
check(resp is not None and resp.get("error", {}).get("code") == "bad_request", "a line that is not UTF-8 is a bad request")

# The index is opened once: removing the file does not stop a running
# server, which says so on stderr, once (a one-shot kb-query would exit 3).
os.rename(db, db + ".moved")
raw, resp = srv.ask({"q": "0x80070570", "id": "after-move"})
check(resp is not None and resp.get("id") == "after-move" and resp.get("results"),
      "the server keeps answering from the index it opened at start")
raw, resp = srv.ask({"q": "0x80070570", "id": "after-move-2"})
os.rename(db + ".moved", db)

# Pipelined: many requests written at once come back complete and in order.
n = 40
queries = ["0x80070005", "backup agent", "salbitmaperror", "zzqqxxnotaword", "contraseña", "VM エージェント"]
srv.send(b"\n".join(json.dumps({"q": queries[i % len(queries)], "id": i, "limit": 2}).encode() for i in range(n)))
got = []
for i in range(n):
    line = srv.readline()
    if line is None:
        break
    got.append(json.loads(line))
check([g.get("id") for g in got] == list(range(n)), "pipelined responses come back in order: %s" % [g.get("id") for g in got])
responses.extend(("pipelined %d" % g.get("id"), g) for g in got)

rc, rest, err = srv.close()
check(rc == 0, "EOF ends serve mode with exit 0 (got %d)" % rc)
check(rest == b"", "no response without a request: %r" % rest[:200])
check(err.count("\n") == 1 and "cannot be used now" in err and "answering from the index opened before" in err,
      "stderr says once that the index was gone, and nothing else: %r" % err[:300])

# Serve answers equal one-shot answers (same defaults, same environment).
srv = Server()
for args, req in ((["0x80070005"], {"q": "0x80070005"}),
                  (["--lang", "es", "--limit", "3", "backup agent"], {"q": "backup agent", "lang": "es", "limit": 3}),
                  (["--offset", "2", "--limit", "2", "--all-locales", "backup"],
                   {"q": "backup", "offset": 2, "limit": 2, "all_locales": True}),
                  (["--locale-only", "ja-jp", "エージェント"], {"q": "エージェント", "locale_only": "ja-jp"}),
                  (["--doc-prefix", "en-us/", "vault credentials"], {"q": "vault credentials", "doc_prefix": "en-us/"}),
                  (["--show", "en-us/backup-azure-mars-troubleshoot.md#salbitmaperror"],
                   {"show": "en-us/backup-azure-mars-troubleshoot.md#salbitmaperror"}),
                  (["zzqqxxnotaword"], {"q": "zzqqxxnotaword"})):
    raw, served = srv.ask(dict(req, id="cmp"))
    if served:
        served.pop("id", None)
    expect = one_shot(*args)
    check(served == expect and served is not None, "serve %s equals one-shot %s" % (json.dumps(req, ensure_ascii=False), args))


def served_text(srv, lang=None):
    """The text of a served answer whose sections have links, labelled in
    the request's lang ("backup agent" now finds others, by the English
    words of their anchors)."""
    req = {"q": "agente de copia de seguridad", "locale_only": "es-es", "limit": 5}
    if lang:
        req["lang"] = lang
    resp = srv.ask(req)[1]
    return " ".join(h["text"] for h in resp["results"]) if resp else ""


# A request's lang also picks the labels rendered into "text", for that request only.
es_text, en_text = served_text(srv, "es"), served_text(srv)
check("Enlaces:" in es_text and "Links:" not in es_text, "lang es: Spanish labels in text")
check("Links:" in en_text and "Enlaces:" not in en_text, "the next request without lang is back to the default language")
rc, rest, err = srv.close()
check(rc == 0 and rest == b"", "second session ends cleanly")

# The same from a server whose own language is a translated one, in a
# locale the machine may not have (then gettext runs in C.UTF-8 for every
# language): a request's lang had got the translations of the one before.
srv = Server(env=dict(os.environ, LANG="es_ES.UTF-8", LC_ALL=""))
notes = []
for lang in ("ja", None, "de", "en", None):
    req = {"show": "nosuchdoc#x"}
    if lang:
        req["lang"] = lang
    notes.append((srv.ask(req)[1] or {}).get("note", ""))
check(notes[0].startswith("インデックス") and "no hay" in notes[1] and notes[2].startswith("kein Dokument")
      and notes[3].startswith("no document") and "no hay" in notes[4],
      "a Spanish server answers each request's lang, then its own: %s" % notes)
en_text, es_text = served_text(srv, "en"), served_text(srv)
check("Links:" in en_text and "Enlaces:" not in en_text, "a Spanish server: lang en gives English labels")
check("Enlaces:" in es_text and "Links:" not in es_text, "a Spanish server: then its own Spanish labels again")
check(srv.close()[0] == 0, "the Spanish server's session ends cleanly")

# Command-line options are the defaults of every request.
srv = Server("--lang", "es", "--limit", "1")
raw, resp = srv.ask({"q": "0x80070005"})
check(resp and len(resp["results"]) == 1 and resp["results"][0]["locale"] == "es-es",
      "--lang and --limit given to --serve are request defaults")
check(srv.close()[0] == 0, "third session ends cleanly")

# Empty input: nothing to answer, exit 0.
p = subprocess.run([KB_QUERY, "--db", db, "--serve"], input=b"", capture_output=True, env=ENV, timeout=60)
check(p.returncode == 0 and p.stdout == b"", "serve on empty stdin prints nothing and exits 0")
# A last request without a trailing newline is still answered before EOF.
p = subprocess.run([KB_QUERY, "--db", db, "--serve"], input=b'{"q": "backup", "id": "last"}', capture_output=True,
                   env=ENV, timeout=60)
check(p.returncode == 0 and json.loads(p.stdout.splitlines()[0]).get("id") == "last" if p.stdout else False,
      "a final line without newline is answered")
# A rebuild while a bot keeps its server: the next request answers from the
# new index (kb-index renames a new file over the old one, which the server
# once kept reading, stale, until it was restarted).
docs = os.path.join(work, "live-docs", "en-us")
os.makedirs(docs)
for name in ("backup-azure-mars-troubleshoot.md", "backup-azure-vms-troubleshoot.md"):
    with open(os.path.join(SOURCE, "corpus", "en-us", name), "rb") as f, open(os.path.join(docs, name), "wb") as g:
        g.write(f.read())
live = os.path.join(work, "live.sqlite")
check(build_index(live, dirs=(os.path.dirname(docs),))[0] == 0, "the live index builds")
srv = Server("--format", "json", db_path=live)
_, before = srv.ask({"q": "quokkaquest", "id": 1})
with open(os.path.join(docs, "new-page.md"), "w") as f:
    f.write("# Quokka quest\n\nThe quokkaquest error means the vault is gone.\n")
rc, _, err = build_index(live, dirs=(os.path.dirname(docs),))
_, after = srv.ask({"q": "quokkaquest", "id": 2})
_, again = srv.ask({"q": "SalBitmapError", "id": 3})
shutil.copyfile(live, live + ".with-page")
os.remove(os.path.join(docs, "new-page.md"))
rc2, _, _ = build_index(live, dirs=(os.path.dirname(docs),))
_, gone = srv.ask({"q": "quokkaquest", "id": 4})
# An index copied over the open one keeps its inode: the server had read
# it as damaged on every later request (a hostile tester's).
inode = os.stat(live).st_ino
shutil.copyfile(live + ".with-page", live)
_, copied = srv.ask({"q": "quokkaquest", "id": 41})
check(os.stat(live).st_ino == inode and copied and "error" not in copied
      and [h["doc"] for h in copied["results"]] == ["en-us/new-page.md"],
      "an index copied over the open one in place answers: %s" % copied)
# A file no kb-query can use renamed over the index (another kb's index,
# random bytes): the server answers from the index it has, and says so once.
with open(live + ".junk", "wb") as f:
    f.write(b"not an index" * 100)
os.rename(live + ".junk", live)
_, junk1 = srv.ask({"q": "SalBitmapError", "id": 5})
_, junk2 = srv.ask({"q": "SalBitmapError", "id": 6})
check(junk1 and junk1["results"] and junk2 and junk2["results"], "over a file it cannot use, the old index answers")
rc3, rest, serr = srv.close()
check(serr.count("cannot be used now") == 1, "...and stderr says so once: %r" % serr[:300])
serr = serr.replace(serr[serr.find("kb-query: warning"):serr.find("\n", serr.find("kb-query: warning")) + 1], "")
check(before is not None and before["results"] == [], "before the rebuild the new word finds nothing: %s" % before)
check(rc == 0 and after is not None and [h["doc"] for h in after["results"]] == ["en-us/new-page.md"],
      "after a rebuild the server answers from the new index: %s" % after)
check(again is not None and again["results"] and again["id"] == 3, "the old documents still answer: %s" % again)
check(rc2 == 0 and gone is not None and gone["results"] == [], "a removed document is gone from the answers: %s" % gone)
check(rc3 == 0 and not serr.strip(), "the server ends cleanly (rc %d: %s)" % (rc3, serr.strip()))

# A response that cannot be written ends the session: the bot gets no later
# one either. With stdout on /dev/full the server once answered into the
# void until EOF and exited 0. stdin stays open here: the server must stop
# on its own.
with open("/dev/full", "wb") as full:
    p = subprocess.Popen([KB_QUERY, "--db", db, "--serve"], stdin=subprocess.PIPE, stdout=full,
                         stderr=subprocess.PIPE, env=ENV)
    p.stdin.write(b'{"q": "backup"}\n')
    p.stdin.flush()
    try:
        rc = p.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    p.stdin.close()
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
check(rc == 4 and err.count("cannot write to standard output") == 1,
      "serve with stdout on /dev/full stops at the first response: exit 4, one message (got %s: %r)" % (rc, err))


def bot_hangs_up(ignore_sigpipe):
    """A server whose bot closed its end of stdout: (exit status, stderr)."""
    preexec = (lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN)) if ignore_sigpipe else None
    p = subprocess.Popen([KB_QUERY, "--db", db, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV, preexec_fn=preexec)
    p.stdout.close()
    try:
        p.stdin.write(b'{"q": "backup"}\n')
        p.stdin.flush()
        rc = p.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    except BrokenPipeError:
        rc = p.wait(TIMEOUT)
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    return rc, err


# A bot that hangs up ends the session quietly, with exit 4 whether or not
# it left SIGPIPE at its default (the server had died of it: -13).
rc, err = bot_hangs_up(False)
check(rc == 4 and err == "", "a bot that hangs up ends the server with exit 4, quietly (%s: %r)" % (rc, err))
rc, err = bot_hangs_up(True)
check(rc == 4 and err == "", "...and so with SIGPIPE ignored (%s: %r)" % (rc, err))

# Input that cannot be read is no end of input: exit 4 and a message (a
# directory on stdin had ended the session with exit 0, as EOF does).
directory = os.open(work, os.O_RDONLY)
try:
    p = subprocess.run([KB_QUERY, "--db", db, "--serve"], stdin=directory, capture_output=True, env=ENV, timeout=60)
finally:
    os.close(directory)
err = p.stderr.decode("utf-8", "replace")
check(p.returncode == 4 and "cannot read standard input" in err and p.stdout == b"",
      "serve with unreadable stdin: exit 4 and a message (got %d: %r)" % (p.returncode, err))
# ...and so is a closed one (SQLite had put /dev/null in its place: exit 0).
p = subprocess.run([KB_QUERY, "--db", db, "--serve"], preexec_fn=lambda: os.close(0), capture_output=True, env=ENV,
                   timeout=60)
err = p.stderr.decode("utf-8", "replace")
check(p.returncode == 4 and "cannot read standard input" in err and p.stdout == b"",
      "serve with stdin closed: exit 4 and a message (got %d: %r)" % (p.returncode, err))

# An index of no documents (kb-index of an empty folder) answers every
# question with none. Each had leaked the tokenizer of a language it does
# not have (20 KB a request; the sanitizer build reports the leak at exit).
empty_docs = os.path.join(work, "no-docs")
os.makedirs(empty_docs)
empty_db = os.path.join(work, "no-docs.sqlite")
check(build_index(empty_db, dirs=(empty_docs,))[0] == 0, "an index of an empty folder builds")
srv = Server("--format", "json", db_path=empty_db)
for q in ("restaurarr zzqq", "0x80070005", "虚拟机 器", "kubectl backup agent failed with zz"):
    _, resp = srv.ask({"q": q})
    check(resp is not None and resp.get("results") == [], "an index of no documents: %r has no result: %r" % (q, resp))
check(srv.close()[0] == 0, "...and the session ends cleanly")

# A missing index: exit 3 before reading anything, with the JSON error when JSON is asked for.
rc, out, err = run([KB_QUERY, "--db", os.path.join(work, "missing.sqlite"), "--serve", "--format", "json"], input=b"{}\n")
check(rc == 3 and err.strip(), "serve with a missing index exits 3 with a message")
try:
    responses.append(("serve, missing index", json.loads(out)))
    check(json.loads(out)["error"]["code"] == "database", "serve with a missing index: JSON database error")
except ValueError:
    check(False, "serve --format json with a missing index prints a JSON error: %r" % out)

# U+2028 and U+2029 are escaped: valid in a JSON string, they end a line
# for Python's str.splitlines() and older JavaScript, and one response had
# read as four lines.
seps = os.path.join(work, "seps", "en-us")
os.makedirs(seps, exist_ok=True)
with open(os.path.join(seps, "l.md"), "w", encoding="utf-8") as f:
    f.write("# T\n\n## W\u2028wallaby\n\nline\u2028sep wallaby\u2029x\n")  # in a heading too, for --toc
seps_db = os.path.join(work, "seps.sqlite")
check(build_index(seps_db, dirs=(os.path.dirname(seps),))[0] == 0, "an index of a page with U+2028 builds")
p = subprocess.run([KB_QUERY, "--db", seps_db, "--serve"], input=b'{"q":"wallaby"}\n{"q":"wallaby\u2028"}\n',
                   capture_output=True, env=ENV, timeout=60)
text = p.stdout.decode("utf-8")
check(len(text.splitlines()) == 2 and "\u2028" not in text and "\u2029" not in text,
      "serve: U+2028/U+2029 escaped, one line per response: %r" % text[:300])
check("\u2028sep wallaby\u2029" in json.loads(text.splitlines()[0])["results"][0]["text"],
      "...and the text still holds them")
for args in (["wallaby"], ["--toc", "l.md"]):
    rc, out, _ = run([KB_QUERY, "--db", seps_db, "--format", "json", *args])
    check(rc == 0 and len(out.splitlines()) == 1 and "\\u2028" in out, "%s: one JSON line: %r" % (args, out[:200]))

# Every response validates against the schema.
try:
    verdicts = schema_check.validate([r for _, r in responses])
    for (label, _), v in zip(responses, verdicts):
        check(v is None, "serve response to %s validates: %s" % (label, v))
    check(len(responses) >= 50, "validated %d serve responses" % len(responses))
except schema_check.ValidatorUnavailable as e:
    check(False, "JSON Schema validator available: %s" % e)

finish()
