#!/usr/bin/env python3
"""Questions that say a heading no other section of the index has, word for
word: how often its section comes first. Sampled from the index, so it needs
no judgements; compare builds, each with an index of its own:

  tests/quality/headings.py --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite
      [--n 400] [--seed 7]

The sample depends on the first index and the seed."""
import argparse
import json
import random
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor


def sample(db, n, seed):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT d.dkey, s.anchor, s.heading, s.lang FROM sections s JOIN docs d ON d.id = s.doc_id"
                       " WHERE s.heading IN (SELECT heading FROM sections GROUP BY heading HAVING count(*) = 1)"
                       " ORDER BY s.id").fetchall()
    con.close()
    random.Random(seed).shuffle(rows)
    return rows[:n]


def rank(binary, db, row):
    dkey, anchor, heading, lang = row
    p = subprocess.run([binary, "--db", db, "--format", "json", "--limit", "10", "--lang", lang, "--", heading],
                       capture_output=True, text=True)
    try:
        hits = json.loads(p.stdout)["results"]
    except (ValueError, KeyError):
        return None
    keys = [(h["doc"].split("/", 1)[1], h["anchor"]) for h in hits]
    return keys.index((dkey, anchor)) + 1 if (dkey, anchor) in keys else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", nargs=2, action="append", metavar=("BIN", "DB"), required=True)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rows = sample(a.run[0][1], a.n, a.seed)
    for binary, db in a.run:
        with ThreadPoolExecutor(2) as ex:
            ranks = list(ex.map(lambda r: rank(binary, db, r), rows))
        n = len(ranks) or 1
        print(binary)
        print("  headings n=%4d  hit@1 %.3f  hit@3 %.3f  hit@10 %.3f  MRR@10 %.3f" % (
            len(ranks), sum(r == 1 for r in ranks) / n, sum(r is not None and r <= 3 for r in ranks) / n,
            sum(r is not None for r in ranks) / n, sum(1 / r for r in ranks if r) / n))


if __name__ == "__main__":
    main()
