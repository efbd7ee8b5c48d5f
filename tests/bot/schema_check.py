"""schema_check: validates kb-query's JSON documents against
query/kb-query.schema.json with a real JSON Schema validator (ajv-cli,
draft 2020-12, formats from ajv-formats), pinned in tests/bot/package.json.

The first use installs it with `npm ci` (quick, and skipped when
node_modules is already there). A missing npm or a failed install raises:
CI installs node and npm (scripts/install-deps.sh --test), so a test that
cannot validate must fail, not skip."""
import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "query", "kb-query.schema.json")
AJV = os.path.join(HERE, "node_modules", ".bin", "ajv")


class ValidatorUnavailable(Exception):
    pass


def ensure_ajv():
    """Installs ajv-cli into tests/bot/node_modules unless it is there."""
    if os.path.exists(AJV):
        return AJV
    npm = shutil.which("npm")
    if not npm:
        raise ValidatorUnavailable("npm not found: run scripts/install-deps.sh --test")
    # Two tests may install at once under ctest -j: serialize on package.json.
    with open(os.path.join(HERE, "package.json")) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(AJV):
            p = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE,
                               capture_output=True, timeout=600)
            if p.returncode != 0 or not os.path.exists(AJV):
                raise ValidatorUnavailable("npm ci in tests/bot failed: " +
                                           (p.stdout + p.stderr).decode("utf-8", "replace")[-2000:])
    return AJV


def _ajv(args):
    p = subprocess.run([ensure_ajv(), *args, "--spec=draft2020", "-c", "ajv-formats", "-s", SCHEMA],
                       cwd=HERE, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def compile_schema():
    """(ok, output): the schema itself is valid draft 2020-12 under ajv's strict mode."""
    rc, out, err = _ajv(["compile"])
    return rc == 0, out + err


def validate(docs):
    """Validates a list of parsed JSON documents in one ajv run.

    Returns a list, in order, of None (valid) or the validator's error text."""
    work = tempfile.mkdtemp(prefix="kb-schema-")
    try:
        for i, d in enumerate(docs):
            with open(os.path.join(work, "%05d.json" % i), "w", encoding="utf-8") as f:
                json.dump(d, f, ensure_ascii=False)
        rc, out, err = _ajv(["validate", "--errors=line", "-d", os.path.join(work, "*.json")])
        verdict = {}
        # ajv prints "FILE valid" on stdout, "FILE invalid" then the errors on stderr.
        for line in out.splitlines():
            m = re.match(r"^.*?(\d{5})\.json valid$", line)
            if m:
                verdict[int(m.group(1))] = None
        lines = err.splitlines()
        for k, line in enumerate(lines):
            m = re.match(r"^.*?(\d{5})\.json invalid$", line)
            if m:
                verdict[int(m.group(1))] = lines[k + 1] if k + 1 < len(lines) else "invalid"
        if not docs:
            return []
        if len(verdict) != len(docs):
            raise ValidatorUnavailable("ajv did not judge every document (rc %d): %s %s" % (rc, out, err))
        return [verdict[i] for i in range(len(docs))]
    finally:
        shutil.rmtree(work, ignore_errors=True)
