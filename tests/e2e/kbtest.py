"""kbtest: helpers for kb's end-to-end tests, which run the real binaries.

Paths come from the environment ctest sets (KB_INDEX, KB_QUERY,
KB_SOURCE_DIR); each test builds its own index in a temporary directory.
Failures are collected, not raised, so one run reports every broken
expectation; `finish()` prints the tally and exits non-zero on failure."""
import atexit
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

SOURCE = os.environ.get("KB_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
KB_INDEX = os.environ.get("KB_INDEX", os.path.join(SOURCE, "build", "bin", "kb-index"))
KB_QUERY = os.environ.get("KB_QUERY", os.path.join(SOURCE, "build", "bin", "kb-query"))
CORPUS = os.path.join(SOURCE, "corpus")

_failures = []
_checks = 0


def check(cond, what):
    global _checks
    _checks += 1
    if not cond:
        _failures.append(what)
        print("FAIL: " + what, flush=True)
    return cond


def finish():
    print("%d passed, %d failed" % (_checks - len(_failures), len(_failures)))
    sys.exit(1 if _failures else 0)


_tmpdirs = []


def _remove_tmpdirs():
    # A scale test's index is 250 MB: left behind, a few suite runs fill /tmp.
    # KB_TEST_KEEP=1 keeps them for a post-mortem.
    if os.environ.get("KB_TEST_KEEP"):
        if _tmpdirs:
            print("kept: " + " ".join(_tmpdirs))
        return
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_remove_tmpdirs)


def tmpdir():
    """A temporary directory, removed when the test exits (even on sys.exit)."""
    d = tempfile.mkdtemp(prefix="kb-test-")
    _tmpdirs.append(d)
    return d


def _sanitized():
    # ASan is linked dynamically: its name is in libasan.so, and only the
    # symbols the build calls (__asan_init) are in the binary.
    with open(KB_INDEX, "rb") as f:
        return b"__asan_init" in f.read()


SANITIZED = _sanitized()  # the binaries are an ASan+UBSan build: time limits are wider


def run(args, input=None, env=None, timeout=120, cwd=None):
    e = dict(os.environ)
    e.setdefault("LANG", "C.UTF-8")
    if env:
        e.update(env)
    p = subprocess.run(args, input=input, capture_output=True, env=e, timeout=timeout, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def build_index(db, dirs=(CORPUS,), extra=()):
    rc, out, err = run([KB_INDEX, "--db", db, *extra, *dirs], timeout=1800)
    if rc != 0:
        print(out, err)
    return rc, out, err


def index_statistics(path):
    """What kb-index recomputes per language once its documents are
    written: langs (lang, nsection, ncopy) and terms (lang, term, df)."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return (con.execute("SELECT lang, nsection, ncopy FROM langs ORDER BY lang").fetchall(),
                con.execute("SELECT lang, term, df FROM terms ORDER BY lang, term").fetchall())
    finally:
        con.close()


def write_docs(docs):
    """A directory holding docs ({relative path: Markdown}); returns its path."""
    root = tmpdir()
    for path, text in docs.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w", encoding="utf-8") as f:
            f.write(text)
    return root


def docs_index(docs, what):
    """(directory, index) of docs written out and indexed; ends the test if kb-index fails."""
    root = write_docs(docs)
    db = os.path.join(tmpdir(), "kb.sqlite")
    rc, _, _ = build_index(db, dirs=(root,))
    if not check(rc == 0, "kb-index builds " + what):
        finish()
    return root, db


def corpus_index():
    """An index of corpus/ in a temporary directory; ends the test if it fails."""
    db = os.path.join(tmpdir(), "kb.sqlite")
    rc, _, _ = build_index(db)
    if not check(rc == 0, "kb-index builds the corpus index"):
        finish()
    return db


def run_on_tty(args, stream="stdout", env=None, timeout=120):
    """Runs args with its stdout (or stderr) on a pseudo-terminal, the other
    stream discarded; returns (exit status, what it wrote there)."""
    master, slave = os.openpty()
    out = {"stdout": slave, "stderr": subprocess.DEVNULL}
    if stream == "stderr":
        out = {"stdout": subprocess.DEVNULL, "stderr": slave}
    p = subprocess.Popen(args, env=dict(os.environ, **(env or {})), **out)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=timeout)
    os.close(master)
    return p.returncode, b"".join(chunks).decode("utf-8", "replace")


def query(db, *args, env=None):
    return run([KB_QUERY, "--db", db, *args], env=env)


def query_json(db, *args, env=None):
    rc, out, err = query(db, "--format", "json", *args, env=env)
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, None, err


def load_dev_queries():
    rows = []
    with open(os.path.join(SOURCE, "tests", "dev-queries.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("id\t") or not line.strip():
                continue
            qid, cat, q, rel = line.rstrip("\n").split("\t")
            rows.append((qid, cat, q, rel.split("|")))
    return rows


def ref(hit):
    return hit["doc"] + "#" + hit["anchor"]


def top_refs(db, query, *args, n=3):
    """doc#anchor of a question's first n results ([] if kb-query failed)."""
    rc, out, _ = query_json(db, "--limit", str(n), *args, "--", query)
    return [ref(h) for h in out["results"]] if rc == 0 and out else []


def first_ref(db, query, *args):
    """doc#anchor of a question's first result, or None."""
    hits = top_refs(db, query, *args, n=1)
    return hits[0] if hits else None
