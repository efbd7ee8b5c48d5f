#!/usr/bin/env python3
"""Chinese typed in the other script, and in the mainland's words, on a
Traditional (zh-TW) docs set: each sampled Chinese heading is asked as
written, in Simplified characters (OpenCC's t2s: the characters only) and
as the mainland would say it (OpenCC's tw2sp: Simplified characters and the
mainland's words, 儲存體 -> 存储, 伺服器 -> 服务器); the answer is the section
the heading came from, or any with the same heading (same document path
without its locale folder and anchor, or the same heading text).
Needs the `opencc` command (Debian's opencc package). Compare builds, each
with an index it reads:

  tests/quality/chinese_scripts.py --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite [--n 300]

The sample depends only on the first index and the seed."""
import argparse
import random
import sqlite3
import subprocess

from known_items import kb


def opencc(config, lines):
    p = subprocess.run(["opencc", "-c", config], input="\n".join(lines) + "\n", capture_output=True, text=True,
                       check=True)
    out = p.stdout.split("\n")
    return out[:len(lines)]


def sample(db, n, seed):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = con.execute("SELECT d.dkey, s.anchor, s.heading FROM sections s JOIN docs d ON d.id = s.doc_id "
                       "WHERE s.lang = 'zh' ORDER BY s.id").fetchall()
    con.close()
    rows = [r for r in rows if sum("\u4e00" <= c <= "\u9fff" for c in r[2]) >= 4]
    random.Random(seed).shuffle(rows)
    return rows[:n]


def score(binary, db, queries):
    n, h1, h10, rr = 0, 0, 0, 0.0
    for q, want, heading in queries:
        rank = 0
        for hit in kb(binary, db, "--limit", "10", "--", q).get("results") or []:
            doc = hit["doc"].split("/", 1)[1] if "/" in hit["doc"] else hit["doc"]
            if doc + "#" + hit["anchor"] == want or hit["heading"] == heading:
                rank = hit["rank"]
                break
        n += 1
        h1 += rank == 1
        h10 += rank > 0
        rr += 1.0 / rank if rank else 0.0
    return n, h1, h10, rr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("BIN", "DB"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    rows = sample(a.run[0][1], a.n, a.seed)
    headings = [r[2] for r in rows]
    t2s, tw2sp = opencc("t2s.json", headings), opencc("tw2sp.json", headings)
    words = [i for i in range(len(rows)) if tw2sp[i] != t2s[i]]
    variants = {"as written": (headings, rows), "t2s": (t2s, rows), "tw2sp": (tw2sp, rows),
                "tw2sp, the mainland's words only": ([tw2sp[i] for i in words], [rows[i] for i in words])}
    print("%d Chinese headings; in %d of them the mainland says some word otherwise" % (len(rows), len(words)))
    for binary, db in a.run:
        print(binary)
        for name, (qs, rs) in variants.items():
            queries = [(q, r[0] + "#" + r[1], r[2]) for q, r in zip(qs, rs)]
            n, h1, h10, rr = score(binary, db, queries)
            print("  %-34s n=%4d  hit@1 %.3f  hit@10 %.3f  MRR@10 %.3f" % (name, n, h1 / n, h10 / n, rr / n))


if __name__ == "__main__":
    main()
