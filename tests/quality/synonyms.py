#!/usr/bin/env python3
"""Questions in a user's words rather than the docs' (i18n/synonyms.tsv), on a
real Spanish docs set: what searching a question also in the docs' words
gains, and what it costs.

- gain: each heading that contains what the docs say on an es line of the
  synonyms file ("máquina virtual"; whole words, case and accents aside, each
  word also with "s" or "es": "Máquinas virtuales") is asked lower-cased with
  that phrase in the words a user may type ("vm"), whole and, if it has more
  than 6 words, cut after the replaced words and two more content words; the
  answer is that section (or a copy with the same heading). A phrase inside a
  longer one that also matches ("iniciar" in "iniciar sesión") is left alone.
- cost: each heading that already uses what a user may type, as a whole word
  ("Cambiar el tamaño de una VM"), asked lower-cased as written (cut the
  same way); the answer is that section (or a copy with the same heading).

Each set takes at most --per-pair questions per (docs say, user types) pair,
sampled with --seed, so that one pair does not swamp it. Compare builds, each
with an index it reads:

  tests/quality/synonyms.py --md DIR --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite

DIR is the directory that was indexed (its es-* folder is read). --by-pair
adds hit@1 of the gain set per pair. The samples depend only on DIR, the
synonyms file and the seed."""
import argparse
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from symptoms import STOP, markdown_files, rank, report, sections  # noqa: E402


def fold(s):
    """Lower case without accents, one character for each of s's."""
    return "".join(unicodedata.normalize("NFD", c.lower())[:1] or c for c in s)


def whole(words, plural=False, lang="es"):
    """A pattern for words as whole words, not part of a name such as
    Restart-AzVM or login.microsoftonline.com; each word optionally plural.
    In Chinese, which has no spaces, only Latin letters bound a word."""
    tail = "(?:e?s)?" if plural else ""
    body = r"\s*" if lang == "zh" else r"\s+"
    letter = r"[A-Za-z0-9]" if lang == "zh" else r"\w"
    return re.compile(r"(?<!%s|[./-])" % letter + body.join(re.escape(w) + tail for w in words.split()) +
                      r"(?!%s|[/-]|\.\w)" % letter, re.I)


def load_pairs(path, lang="es"):
    pairs = []
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if not line.startswith("#") and len(f) == 3 and f[0] == lang:
            pairs.append((f[1], f[2]))
    return pairs


def cut(q, upto):
    """q itself and, if it has more than 6 words, q cut after its first upto
    words and two more content words."""
    words = q.split()
    out, content = words[:upto], 0
    for w in words[upto:]:
        if content == 2:
            break
        out.append(w)
        content += re.sub(r"\W", "", w).lower() not in STOP | {""}
    return [q] + ([" ".join(out)] if len(words) > 6 and len(out) < len(words) else [])


def matches(text, pats):
    """(pair, match) for each pattern found in text, but not one found inside
    a longer match of another pattern."""
    found = [(pair, m) for pair, pat in pats for m in [pat.search(text)] if m]
    return [(pair, m) for pair, m in found
            if not any(m2.start() <= m.start() and m.end() <= m2.end() and m2.end() - m2.start() > m.end() - m.start()
                       for _, m2 in found)]


def questions(root, pairs, per_pair, seed, lang="es"):
    gain_pats = [((say, typ), whole(fold(say), plural=lang != "zh", lang=lang)) for say, typ in pairs]
    cost_pats = [((say, typ), whole(typ, lang=lang)) for say, typ in pairs]
    gain, cost = {p: {} for p in pairs}, {p: {} for p in pairs}
    for rel, path in markdown_files(root, lang):
        for anchor, heading, _, _ in sections(path):
            h = heading.rstrip(".").strip()
            for (say, typ), m in matches(fold(h), gain_pats):
                if lang == "zh":  # a Latin word among Han characters is typed apart
                    asked = " ".join((h[:m.start()] + " " + typ + " " + h[m.end():]).lower().split())
                    gain[say, typ].setdefault(asked, (asked, rel + "#" + anchor, h))
                    continue
                asked = (h[:m.start()] + typ + h[m.end():]).lower()
                for q in cut(asked, len((h[:m.start()] + typ).split())):
                    gain[say, typ].setdefault(q, (q, rel + "#" + anchor, h))
            for pair, m in matches(h, cost_pats):
                for q in [h.lower()] if lang == "zh" else cut(h.lower(), len(h[:m.end()].split())):
                    cost[pair].setdefault(q, (q, rel + "#" + anchor, h))
    rng = random.Random(seed)

    def sample(by_pair):
        out = []
        for pair in pairs:
            qs = list(by_pair[pair].values())
            rng.shuffle(qs)
            out += [(pair,) + x for x in qs[:per_pair]]
        return out
    return sample(gain), sample(cost)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--md", required=True, help="the directory that was indexed")
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("BIN", "DB"))
    ap.add_argument("--synonyms", default=os.path.join(HERE, "..", "..", "i18n", "synonyms.tsv"))
    ap.add_argument("--per-pair", type=int, default=12, help="questions per pair in each set")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--by-pair", action="store_true", help="hit@1 of the gain set per pair")
    ap.add_argument("--lang", default="es", choices=("es", "zh"), help="the pairs and docs of this language")
    a = ap.parse_args()
    pairs = load_pairs(a.synonyms, a.lang)
    gain, cost = questions(a.md, pairs, a.per_pair, a.seed, a.lang)
    for binary, db in a.run:
        print(binary)
        ranks = [rank(binary, db, q, want, h, a.lang) for _, q, want, h in gain]
        report("gain", ranks)
        report("cost", [rank(binary, db, q, want, h, a.lang) for _, q, want, h in cost])
        if a.by_pair:
            for pair in pairs:
                rs = [r for (p, _, _, _), r in zip(gain, ranks) if p == pair]
                if rs:
                    print("    %-44s n=%3d  hit@1 %.3f" % ("%s <- %s" % pair, len(rs), sum(r == 1 for r in rs) / len(rs)))


if __name__ == "__main__":
    main()
