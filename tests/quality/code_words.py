#!/usr/bin/env python3
"""A message pasted in one language, searched in docs of another, shares
little with them but its code ("AuthorizationFailed", "ArgumentNullException"):
how well kb finds the sections that quote the code.

Questions: each error code or exception name (CamelCase, 8+ characters,
as kb-query's S_code_word reads it, ending in Exception, Error, Failed,
NotFound...) in the prose of a zh-TW section whose es-ES copy of
the same document quotes it in 1-10 sections, asked as the zh-TW text
around it (30 characters each side, Markdown set aside, 5+ Han characters
among them) with --lang es
--locale-only es-es: a Chinese message against the Spanish docs, as an
English one would be; with --ask en, the en-us text (the bundled corpus).
A hit is an es-es result of that document whose text quotes the code. One question per
(document, code), at most --n, sampled with --seed. Compare builds, each
with an index it reads:

  tests/quality/code_words.py --md DIR --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite

DIR is the directory that was indexed (its es-* and zh-* folders are read)."""
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from symptoms import compare_parser, markdown_files, report  # noqa: E402

CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*(?![A-Za-z0-9])")
MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)|[*_`#>\[\]|]")


ERRORISH = re.compile(r"(Exception|Error|Failed|Failure|NotFound|Invalid|Denied|Unavailable|Exceeded|Conflict|"
                      r"Timeout|Unauthorized|Forbidden|NotSupported|Missing)$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def codes(text):
    """The error codes and exception names of a text, in order."""
    return sorted({m.group(0) for m in CODE.finditer(text) if len(m.group(0)) >= 8 and ERRORISH.search(m.group(0))})


def counterpart(rel, lang_dir):
    parts = rel.split(os.sep, 1)
    return os.path.join(lang_dir, parts[1]) if len(parts) == 2 else None


def chunks(path):
    """The text under each heading of a file (any level), Markdown set aside."""
    out = [[]]
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("#"):
            out.append([])
        out[-1].append(line)
    return [MARKUP.sub(" ", "".join(c)) for c in out]


def questions(root, n, seed, ask="zh"):
    tops = {t.lower()[:2]: t for t in os.listdir(root)}
    out = []
    for rel, path in markdown_files(root, ask):
        es_rel = counterpart(rel, tops.get("es", "es-ES"))
        es_path = es_rel and os.path.join(root, es_rel)
        if not es_path or not os.path.exists(es_path):
            continue
        es_chunks = chunks(es_path)
        by_code = {}
        for text in chunks(path):
            for code in codes(text):
                if code in by_code or not 1 <= sum(code in c for c in es_chunks) <= 10:
                    continue
                i = text.index(code)
                q = " ".join(text[max(0, i - 30):i + len(code) + 30].split())
                if ask != "zh" or len(CJK.findall(q)) >= 5:  # prose around it, not a code sample
                    by_code[code] = (q, es_rel.replace(os.sep, "/"), code)
        out += list(by_code.values())
    random.Random(seed).shuffle(out)
    return out[:n]


def rank(binary, db, q, doc, code):
    """The rank of the first es result of that document that quotes the code."""
    p = subprocess.run([binary, "--db", db, "--format", "json", "--limit", "10", "--lang", "es",
                        "--locale-only", "es-es", "--", q], capture_output=True, text=True)
    try:
        hits = json.loads(p.stdout).get("results") or []
    except ValueError:
        hits = []
    for hit in hits:
        if hit["doc"] == doc and code in hit["text"]:
            return hit["rank"]
    return 0


def main():
    ap = compare_parser(__doc__, 300, 7)
    ap.add_argument("--ask", default="zh", choices=("zh", "en"), help="the language the messages are pasted in")
    a = ap.parse_args()
    qs = questions(a.md, a.n, a.seed, a.ask)
    for binary, db in a.run:
        print(binary)
        report("pasted", [rank(binary, db, q, doc, code) for q, doc, code in qs])


if __name__ == "__main__":
    main()
