#!/usr/bin/env python3
"""Known-item search quality on any kb index: for sections sampled from the
index, queries are cut from their own words (their text view less where its
links go, as kb indexes it) — the heading, a span of 2-6
words and a span of 20-40 words (in CJK text a "word" is two characters,
spaces dropped, as the benchmark cuts its queries; Latin words inside CJK
text then run together, which no search can match) —
and each query is scored by the rank of the section it was cut from (same
document path without its locale folder, same anchor, any locale): hit@1,
hit@10 and MRR@10 per language and kind. Needs no relevance judgements, so
it measures ranking changes on the large corpora the dev queries do not
cover; compare two kb-query binaries on the same sample:

  tests/quality/known_items.py --db INDEX --bin OLD/kb-query --bin NEW/kb-query
      [--per-lang 120] [--seed 11]

The sample depends only on the index and the seed."""
import argparse
import json
import random
import re
import sqlite3
import subprocess

CJK = ("zh", "ja", "ko")


def kb(binary, db, *args):
    p = subprocess.run([binary, "--db", db, "--format", "json"] + list(args), capture_output=True, text=True)
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {}


def words_of(text):
    """The text view less where its links go, as kb indexes it (and as a
    reader copies it from a page): no "(→ doc#anchor)", no "[n]" of an
    external link, no closing list of URLs."""
    cut = text.find("\n\nLinks:\n[1] ")
    if cut >= 0:
        text = text[:cut]
    text = re.sub(r" ?\(\u2192 [^)\n]*\)", "", text)
    return re.sub(r" \[\d+\]", "", text)


def sample_queries(binary, db, per_lang, seed):
    rng = random.Random(seed)
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = con.execute("SELECT d.path, s.anchor, s.lang, s.heading, d.dkey FROM sections s "
                       "JOIN docs d ON d.id = s.doc_id ORDER BY s.id").fetchall()
    con.close()
    queries = []
    for lang in sorted(set(r[2] for r in rows)):
        pool = [r for r in rows if r[2] == lang]
        rng.shuffle(pool)
        taken = 0
        for path, anchor, _, heading, dkey in pool:
            if taken >= per_lang:
                break
            hits = kb(binary, db, "--show", path + "#" + anchor).get("results") or []
            if not hits:
                continue
            text = words_of(hits[0]["text"])
            cjk = lang in CJK
            words = [c for c in text if not c.isspace()] if cjk else text.split()
            if len(words) < 90:  # long enough for a 40-word span anywhere
                continue
            taken += 1
            want = dkey + "#" + anchor
            queries.append({"q": heading, "kind": lang + "-heading", "want": want})
            for kind, lo, hi in (("span", 2, 6), ("long", 20, 40)):
                k = rng.randint(lo, hi) * (2 if cjk else 1)
                i = rng.randrange(0, len(words) - k)
                queries.append({"q": ("" if cjk else " ").join(words[i:i + k]), "kind": lang + "-" + kind,
                                "want": want})
    return queries, {r[0]: r[4] for r in rows}


def score(binary, db, queries, dkeys):
    stats = {}
    for q in queries:
        rank = 0
        for hit in kb(binary, db, "--limit", "10", "--", q["q"]).get("results") or []:
            if dkeys.get(hit["doc"], "") + "#" + hit["anchor"] == q["want"]:
                rank = hit["rank"]
                break
        for kind in (q["kind"], "ALL"):
            st = stats.setdefault(kind, [0, 0, 0, 0.0])
            st[0] += 1
            st[1] += rank == 1
            st[2] += rank > 0
            st[3] += 1.0 / rank if rank else 0.0
    return stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--bin", action="append", required=True, help="a kb-query binary (repeat to compare)")
    ap.add_argument("--per-lang", type=int, default=120, help="sections sampled per language")
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    queries, dkeys = sample_queries(a.bin[0], a.db, a.per_lang, a.seed)
    for binary in a.bin:
        print(binary)
        stats = score(binary, a.db, queries, dkeys)
        for kind in sorted(stats, key=lambda k: (k == "ALL", k)):
            n, h1, h10, rr = stats[kind]
            print("  %-14s n=%4d  hit@1 %.3f  hit@10 %.3f  MRR@10 %.3f" % (kind, n, h1 / n, h10 / n, rr / n))


if __name__ == "__main__":
    main()
