#!/usr/bin/env python3
"""Questions that pair an error number many documents share (HTTP 403, 404,
503: an error ID in the sections of 3+ Spanish documents) with words of one
section, on a real docs set: whether the words decide.

- gain: each section whose text has a shared number, as a word, without the
  index listing it as that section's ID ("devuelve un error HTTP "503
  Servicio no disponible""), asked as up to three content words of its
  heading and the number, in a random order; the answer is that section.
- cost: each section the index lists the shared number for, asked the same
  way; the answer is that section.

Each set takes at most --per-id questions per number, sampled with --seed.
The sets come from DIR and from the error IDs of one index (--ids, an index
of DIR written by a kb-index that reads "HTTP 503" as an ID); compare builds,
each with an index it reads:

  tests/quality/shared_ids.py --md DIR --ids NEW.sqlite --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite"""
import argparse
import collections
import os
import random
import re
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from symptoms import STOP, markdown_files, rank, report, sections  # noqa: E402

NOT_CONTENT = STOP | {"error", "errores", "http", "cómo", "paso", "sobre", "este", "esta", "sus", "que", "más"}


def id_sections(db, shared_docs):
    """({shared key}, {(doc path, anchor): {keys}}) of the index's Spanish sections."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = con.execute("SELECT e.key, d.path, s.anchor FROM error_ids e JOIN sections s ON s.id = e.section_id"
                       " JOIN docs d ON d.id = s.doc_id WHERE s.lang = 'es'").fetchall()
    con.close()
    docs, keys = collections.defaultdict(set), collections.defaultdict(set)
    for key, path, anchor in rows:
        docs[key].add(path)
        keys[(path, anchor)].add(key)
    shared = {k for k, d in docs.items() if len(d) >= shared_docs and re.fullmatch(r"\d+|0x[0-9a-f]+", k)}
    return shared, keys


def questions(root, db, per_id, seed, shared_docs=3):
    shared, keys = id_sections(db, shared_docs)
    rnd = random.Random(seed)
    found = {"gain": collections.defaultdict(list), "cost": collections.defaultdict(list)}
    for rel, path in markdown_files(root):
        for anchor, heading, _, body in sections(path):
            words = [w for w in re.findall(r"[^\W\d_]{3,}", heading.lower()) if w not in NOT_CONTENT][:3]
            if len(words) < 2:
                continue
            for key in sorted(shared):
                if not re.search(r"(?<![\w.])%s(?![\w.])" % re.escape(key), heading + "\n" + body, re.I):
                    continue
                q = words + [key]
                rnd.shuffle(q)
                kind = "cost" if key in keys.get((rel, anchor), ()) else "gain"
                found[kind][key].append((" ".join(q), rel + "#" + anchor))
    out = {}
    for kind, by_key in found.items():
        out[kind] = []
        for key in sorted(by_key):
            items = sorted(by_key[key])
            rnd.shuffle(items)
            out[kind] += items[:per_id]
    return sorted(shared), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--md", required=True, help="the directory that was indexed")
    ap.add_argument("--ids", required=True, help="an index of it whose error IDs define the sets")
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("BIN", "DB"))
    ap.add_argument("--per-id", type=int, default=12, help="questions per shared number in each set")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--shared-docs", type=int, default=3,
                    help="documents that make an ID shared (KB_ERRID_SHARED_DOCS in query/kb_search_errid.c)")
    a = ap.parse_args()
    shared, sets = questions(a.md, a.ids, a.per_id, a.seed, a.shared_docs)
    print("shared numbers: %s" % " ".join(shared))
    for binary, db in a.run:
        print(binary)
        for kind in ("gain", "cost"):
            report(kind, [rank(binary, db, q, want, None) for q, want in sets[kind]])


if __name__ == "__main__":
    main()
