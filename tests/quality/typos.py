#!/usr/bin/env python3
"""Questions with a typo, on a real Spanish docs set: how typo correction
and the completion of a last word still being typed serve them.

- last: each heading of 3-8 words whose last word has 6 or more letters,
  asked lower-cased with two adjacent letters of that word swapped
  ("Nodos no registrados" as "nodos no registardos"): a last word is either
  still being typed (completed as a prefix) or mistyped (corrected);
- inner: the same headings with the typo in their longest other word, which
  is only ever corrected;
- cut: the same headings with the last word cut to its first 4 letters
  ("nodos no regi"), a word still being typed.

The answer is that section (or a copy with the same heading). At most
--n questions per set, sampled with --seed. Compare builds, each with an
index it reads:

  tests/quality/typos.py --md DIR --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite

DIR is the directory that was indexed (its es-* folder is read)."""
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from symptoms import compare_parser, markdown_files, rank, report, sections  # noqa: E402

WORD = re.compile(r"^[a-záéíóúñü]+$")


def swap(word, rnd):
    """The word with two adjacent letters swapped, neither of them the first."""
    i = rnd.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def questions(root, n, seed):
    rnd = random.Random(seed)
    heads = []
    for rel, path in markdown_files(root):
        for anchor, heading, _, _ in sections(path):
            words = heading.lower().split()
            if 3 <= len(words) <= 8 and WORD.match(words[-1]) and len(words[-1]) >= 6:
                heads.append((rel + "#" + anchor, heading, words))
    rnd.shuffle(heads)
    heads = heads[:n]
    last, inner, cut = [], [], []
    for want, heading, words in heads:
        w = list(words)
        w[-1] = swap(w[-1], rnd)
        if w[-1] != words[-1]:
            last.append((" ".join(w), want, heading))
        others = [i for i in range(len(words) - 1) if WORD.match(words[i]) and len(words[i]) >= 6]
        if others:
            i = max(others, key=lambda k: len(words[k]))
            w = list(words)
            w[i] = swap(w[i], rnd)
            if w[i] != words[i]:
                inner.append((" ".join(w), want, heading))
        cut.append((" ".join(words[:-1] + [words[-1][:4]]), want, heading))
    return {"last": last, "inner": inner, "cut": cut}


def main():
    a = compare_parser(__doc__, 300, 7).parse_args()
    sets = questions(a.md, a.n, a.seed)
    for binary, db in a.run:
        print(binary)
        for label, qs in sets.items():
            report(label, [rank(binary, db, q, want, heading) for q, want, heading in qs])


if __name__ == "__main__":
    main()
