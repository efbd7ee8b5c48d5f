#!/usr/bin/env python3
"""English questions on docs that have no English copy: is the section
they come from found in the docs' own language?

Error dialogs are often in English while the docs a reader has are
translated: a Spanish guide quotes "la clave de instrumentación no puede
estar vacía" where the dialog said "Instrumentation key cannot be empty".
The bundled corpus holds each document in English (en-us) and Spanish
(es-es). Index the Spanish and Japanese documents alone, and ask, of every
English section that has a Spanish copy (same document, same anchor):

- message: each error message of its remediation records, as pasted;
- sentence: its first sentence of 6 to 25 words, as a reader quotes a page.

A hit is the Spanish copy; hit@1, hit@3 and MRR@10 per kind. Questions
run with LANG=es_ES.UTF-8, a Spanish reader's machine.

  kb-index --db ES.sqlite DIR        # DIR holding corpus/es-es and corpus/ja-jp only
  tests/quality/english_questions.py --english build/bin/kb-query BUNDLED.sqlite \\
      --run OLD/kb-query OLD_ES.sqlite --run NEW/kb-query NEW_ES.sqlite [--misses]

--english names an index of the whole corpus, which the English texts are
read from."""
import argparse
import json
import os
import re
import sqlite3
import subprocess


def kb_json(binary, db, *args):
    env = dict(os.environ, LANG="es_ES.UTF-8", LANGUAGE="")
    p = subprocess.run([binary, "--db", db, "--format", "json"] + list(args),
                       capture_output=True, text=True, env=env)
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {}


def spanish_copies(db):
    """(English doc#anchor, Spanish doc#anchor) of every section in both."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = con.execute(
        "SELECT de.path, e.anchor, ds.path FROM sections e JOIN docs de ON de.id = e.doc_id"
        " JOIN docs ds ON ds.dkey = de.dkey JOIN sections s ON s.doc_id = ds.id AND s.anchor = e.anchor"
        " WHERE e.lang = 'en' AND s.lang = 'es' ORDER BY de.path, e.ord").fetchall()
    con.close()
    return [("%s#%s" % (p, a), "%s#%s" % (sp, a)) for p, a, sp in rows]


def first_sentence(text):
    for line in text.split("\n")[1:]:  # the first line is the heading
        line = line.strip()
        if not line or "http" in line or "→" in line or line.endswith(":"):
            continue
        sentence = re.split(r"(?<=[.!?])\s", line)[0]
        words = sentence.split()
        if 6 <= len(words) <= 25:
            return sentence
    return None


def questions(binary, db):
    out = []
    for english, spanish in spanish_copies(db):
        r = kb_json(binary, db, "--lang", "en", "--show", english).get("results") or []
        if not r:
            continue
        seen = set()
        for rec in r[0].get("remediation") or []:
            msg = (rec.get("error") or "").strip()
            if 3 <= len(msg.split()) <= 40 and msg not in seen:
                seen.add(msg)
                out.append(("message", msg, spanish))
        s = first_sentence(r[0].get("text") or "")
        if s:
            out.append(("sentence", s, spanish))
    return out


def rank(binary, db, q, want):
    for i, r in enumerate(kb_json(binary, db, "--limit", "10", q).get("results") or []):
        if "%s#%s" % (r["doc"], r["anchor"]) == want:
            return i + 1
    return None


def report(label, ranks):
    print(label)
    kinds = sorted(set(k for k, _ in ranks)) + ["all"]
    for kind in kinds:
        rs = [r for k, r in ranks if kind in ("all", k)]
        n = len(rs)
        h1 = sum(1 for r in rs if r == 1) / n
        h3 = sum(1 for r in rs if r and r <= 3) / n
        mrr = sum(1 / r for r in rs if r) / n
        print("  %-9s n=%4d  hit@1 %.3f  hit@3 %.3f  MRR@10 %.3f" % (kind, n, h1, h3, mrr))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--english", nargs=2, metavar=("BIN", "DB"), required=True)
    ap.add_argument("--run", nargs=2, action="append", metavar=("BIN", "DB"), required=True)
    ap.add_argument("--misses", action="store_true", help="list the questions not answered first")
    args = ap.parse_args()
    qs = questions(*args.english)
    for binary, db in args.run:
        ranks = []
        for kind, q, want in qs:
            r = rank(binary, db, q, want)
            ranks.append((kind, r))
            if args.misses and r != 1:
                print("    %s\t%s\t%s" % (r or "-", kind, q))
        report(binary, ranks)


if __name__ == "__main__":
    main()
