#!/usr/bin/env python3
"""Questions with a word their answer need not hold ("después", "tras":
kind optional of i18n/vocab.tsv), on a real Spanish docs set: what leaving
it out of the words a section must hold gains, and what it costs.

- gain: each heading with "después de" asked lower-cased with "tras"
  instead, and each with "tras" asked with "después de"; the answer is that
  section (or a copy with the same heading).
- cost: the same headings asked lower-cased as written.

Compare builds, each with an index it reads:

  tests/quality/optional_words.py --md DIR --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite

DIR is the directory that was indexed (its es-* folder is read)."""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from symptoms import markdown_files, rank, report, sections  # noqa: E402

SWAPS = [(re.compile(r"\bdespués de\b", re.I), "tras"), (re.compile(r"\btras\b", re.I), "después de")]


def questions(root):
    gain, cost = [], []
    for rel, path in markdown_files(root):
        for anchor, heading, _, _ in sections(path):
            h = heading.rstrip(".").strip()
            for pattern, other in SWAPS:
                if pattern.search(h):
                    gain.append((pattern.sub(other, h).lower(), rel + "#" + anchor, h))
                    cost.append((h.lower(), rel + "#" + anchor, h))
                    break
    return gain, cost


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--md", required=True, help="the directory that was indexed")
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("BIN", "DB"))
    a = ap.parse_args()
    gain, cost = questions(a.md)
    for binary, db in a.run:
        print(binary)
        report("gain", [rank(binary, db, q, want, h) for q, want, h in gain])
        report("cost", [rank(binary, db, q, want, h) for q, want, h in cost])


if __name__ == "__main__":
    main()
