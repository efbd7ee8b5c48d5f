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
  ("nodos no regi"), a word still being typed;
- sound: the same headings with one letter of their longest word (5
  letters or more) written as another that sounds the same in Spanish
  ("certificado" as "sertificado", "virtual" as "birtual", "habilitar" as
  "abilitar").

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


def sound_alike(word, rnd):
    """The word with one letter written as another that sounds the same:
    s, z and c before e or i; b and v; ll and y; j and g before e or i; a
    silent h at the start. None if it has no such letter."""
    front = "eiéí"
    edits = []
    for i, c in enumerate(word):
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c == "s" or c == "z" or (c == "c" and nxt and nxt in front):
            edits += [(i, 1, r) for r in "szc" if r != c and (r != "c" or (nxt and nxt in front))]
        elif c in "bv":
            edits.append((i, 1, "v" if c == "b" else "b"))
        elif c == "l" and nxt == "l":
            edits.append((i, 2, "y"))
        elif c == "y" and i > 0:
            edits.append((i, 1, "ll"))
        elif c in "jg" and nxt and nxt in front:
            edits.append((i, 1, "g" if c == "j" else "j"))
    if word[0] == "h":
        edits.append((0, 1, ""))
    if not edits:
        return None
    i, n, r = rnd.choice(edits)
    return word[:i] + r + word[i + n:]


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
    last, inner, cut, sound = [], [], [], []
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
        longest = [i for i in range(len(words)) if WORD.match(words[i]) and len(words[i]) >= 5]
        if longest:
            i = max(longest, key=lambda k: len(words[k]))
            w = list(words)
            w[i] = sound_alike(words[i], rnd)
            if w[i]:
                sound.append((" ".join(w), want, heading))
    return {"last": last, "inner": inner, "cut": cut, "sound": sound}


def main():
    a = compare_parser(__doc__, 300, 7).parse_args()
    sets = questions(a.md, a.n, a.seed)
    for binary, db in a.run:
        print(binary)
        for label, qs in sets.items():
            report(label, [rank(binary, db, q, want, heading) for q, want, heading in qs])


if __name__ == "__main__":
    main()
