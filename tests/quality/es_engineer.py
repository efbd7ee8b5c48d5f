#!/usr/bin/env python3
"""A Spanish support engineer's questions on the es-ES Azure docs: 199
questions written by a tester who read about 40 troubleshooting documents
first and wrote down, before running kb, the sections that answer each
(es_engineer.tsv: query, category, relevant sections |-separated).

- code: error IDs, numbers and codes;
- paste: pieces of error messages, in Spanish or in English (the product's
  dialogs often are), quoted or cut as a dialog shows them;
- symptom: the problem in the engineer's own words, colloquial, without
  accents, Latin-American vocabulary and English loanwords ("el backup no
  anda", "la vm da timeout");
- typo: the same with typos and Spanglish ("deployar").

The relevant sections are paths of an index built from the es-ES and zh-TW
corpora together (`kb-index --db DB DIR/es-ES DIR/zh-TW`, so documents are
named es-ES/articles/...). Compare builds, each with an index it reads:

  tests/quality/es_engineer.py --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite

Questions run with LANG=es_ES.UTF-8, as the engineer's machine would;
hit@1, hit@3 and MRR over the first 5 results.

A relevant section is the section of kb's index that holds it: testers
name the heading that answers, and a heading deeper than level 3 (`#####
Desconectarse de la red para probar`), or an `<a name>` in a section's
body, is part of the section above it, which is kb's answer (`kb-query
--show` finds it)."""
import argparse
import collections
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("query\t") or not line.strip():
                continue
            q, cat, rel = line.rstrip("\n").split("\t")[:3]
            rows.append((q, cat, set(rel.split("|"))))
    return rows


def resolve(binary, db, refs):
    """refs, each as the ref of the section of db that holds it."""
    out = set()
    for ref in refs:
        p = subprocess.run([binary, "--db", db, "--format", "json", "--show", ref], capture_output=True, text=True)
        try:
            hits = json.loads(p.stdout).get("results") or []
        except ValueError:
            hits = []
        out.add(hits[0]["ref"] if hits else ref)
    return out


def first_rank(binary, db, q, relevant):
    env = dict(os.environ, LANG="es_ES.UTF-8", LC_ALL="")
    p = subprocess.run([binary, "--db", db, "--format", "json", "--limit", "5", "--", q], capture_output=True,
                       text=True, env=env)
    try:
        hits = json.loads(p.stdout).get("results") or []
    except ValueError:
        hits = []
    return next((i + 1 for i, h in enumerate(hits) if h["doc"] + "#" + h["anchor"] in relevant), 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("BIN", "DB"))
    ap.add_argument("--questions", default=os.path.join(HERE, "es_engineer.tsv"))
    ap.add_argument("--misses", action="store_true", help="list the questions not answered first")
    a = ap.parse_args()
    rows = load(a.questions)
    for binary, db in a.run:
        print(binary)
        ranks = collections.defaultdict(list)
        held = {}
        for q, cat, relevant in rows:
            key = frozenset(relevant)
            if key not in held:
                held[key] = resolve(binary, db, relevant)
            r = first_rank(binary, db, q, held[key])
            ranks[cat].append(r)
            ranks["all"].append(r)
            if a.misses and r != 1:
                print("    %s\t%s\t%s" % (r or "-", cat, q))
        for cat in sorted(ranks, key=lambda c: (c == "all", c)):
            rs = ranks[cat]
            n = len(rs)
            print("  %-8s n=%4d  hit@1 %.3f  hit@3 %.3f  MRR %.3f" % (
                cat, n, sum(r == 1 for r in rs) / n, sum(0 < r <= 3 for r in rs) / n, sum(1.0 / r for r in rs if r) / n))


if __name__ == "__main__":
    main()
