#!/usr/bin/env python3
"""Questions that name a symptom, on a real docs set (Spanish, and Chinese
where it has some): what favouring sections about a problem gains, and
what it costs.

- gain: each heading of the form "No se puede X", "No puede X", "Error al X"
  (after an optional "Problema: ") becomes the question a user would type,
  "no puedo X" (and "falla al X" for "Error al X"), whole and cut after its
  third content word; the answer is that section (or a copy with the same
  heading: Linux and Windows variants of a guide).
- gain-zh: each Chinese heading with 無法 ("cannot") or 失敗 ("fails")
  asked with the other one ("Azure 診斷無法啟動" as "Azure 診斷啟動 失敗").
- cost: 5-word spans around "no se puede", "no puede(n)" or "falla(n)" in
  sections that are not about a problem (no symptom or problem word in their
  heading path, not in a troubleshooting guide); the answer is the section
  the span was cut from.

Compare builds, each with an index it reads (the index format may differ):

  tests/quality/symptoms.py --md DIR --run OLD/kb-query OLD.sqlite --run NEW/kb-query NEW.sqlite

DIR is the directory that was indexed (its es-* folder is read). The
samples depend only on DIR and the seed."""
import argparse
import json
import os
import random
import re
import subprocess

HEADING = re.compile(r'^(#{2,4}) (?:<a name="([^"]*)"></a>)?(.*)$')
FORMS = [(re.compile(r"^(?:Problema: )?No se pueden? (.*)$", re.I), ["no puedo {}"]),
         (re.compile(r"^(?:Problema: )?No puede (.*)$", re.I), ["no puedo {}"]),
         (re.compile(r"^(?:Problema: )?Error al (.*)$", re.I), ["no puedo {}", "falla al {}"])]
STOP = {"el", "la", "los", "las", "de", "del", "en", "un", "una", "al", "a", "y", "o", "para", "con", "por", "desde"}
PROBLEM_WORDS = re.compile(r"\b(error|errores|problema|problemas|solucionar|soluci[oó]n de problemas|no se puede|"
                           r"no puede|no pueden|falla|fallan|fall[oó]|no funciona)\b", re.I)
SYMPTOM_SPAN = re.compile(r"\b(no se pueden?|no puede|no pueden|falla|fallan)\b", re.I)


def markdown_files(root, lang="es"):
    for top in sorted(os.listdir(root)):
        if not top.lower().startswith(lang):
            continue
        for dirpath, _, names in sorted(os.walk(os.path.join(root, top))):
            for name in sorted(names):
                if name.endswith(".md"):
                    path = os.path.join(dirpath, name)
                    yield os.path.relpath(path, root), path


def sections(path):
    """(anchor, heading, heading path, body text) of each anchored section."""
    out, crumb, cur = [], {}, None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = HEADING.match(line.rstrip())
        if m:
            level, anchor, heading = len(m.group(1)), m.group(2), m.group(3).strip()
            crumb = {k: v for k, v in crumb.items() if k < level}
            crumb[level] = heading
            cur = [anchor, heading, " / ".join(crumb[k] for k in sorted(crumb)), []] if anchor else None
            if cur:
                out.append(cur)
        elif cur is not None:
            cur[3].append(line)
    return [(a, h, c, "".join(b)) for a, h, c, b in out]


def gain_questions(root):
    qs = []
    for rel, path in markdown_files(root):
        for anchor, heading, _, _ in sections(path):
            h = heading.rstrip(".").strip()
            for pat, forms in FORMS:
                m = pat.match(h)
                if not m:
                    continue
                rest = m.group(1).split()
                for form in forms:
                    qs.append((form.format(" ".join(rest)), rel + "#" + anchor, h))
                    content, cut = 0, []
                    for w in rest:
                        cut.append(w)
                        content += w.lower() not in STOP
                        if content == 3:
                            break
                    if len(cut) < len(rest):
                        qs.append((form.format(" ".join(cut)), rel + "#" + anchor, h))
                break
    return qs


def gain_questions_zh(root):
    qs = []
    for rel, path in markdown_files(root, "zh"):
        for anchor, heading, _, _ in sections(path):
            if "無法" in heading:
                before, after = heading.split("無法", 1)
                q = (before + after).strip() + " 失敗"
            elif "失敗" in heading:
                before, after = heading.split("失敗", 1)
                q = "無法 " + (before + after).strip()
            else:
                continue
            qs.append((q, rel + "#" + anchor, heading))
    return qs


def cost_questions(root, n, seed):
    pool = []
    for rel, path in markdown_files(root):
        if "troubleshoot" in rel:
            continue
        for anchor, _, crumb, body in sections(path):
            if PROBLEM_WORDS.search(crumb):
                continue
            text = re.sub(r"<[^>]+>|\[([^\]]*)\]\([^)]*\)|[*_`#>|]", lambda m: m.group(1) or " ", body)
            m = SYMPTOM_SPAN.search(text)
            if not m:
                continue
            before = text[:m.start()].split()[-2:]
            after = text[m.end():].split()[:2]
            words = before + m.group(0).split() + after
            q = " ".join(re.sub(r"[^\w.\-]", "", w) for w in words).strip()
            if len(q.split()) >= 4:
                pool.append((q, rel + "#" + anchor, None))
    random.Random(seed).shuffle(pool)
    return pool[:n]


def rank(binary, db, q, want, heading, lang="es"):
    p = subprocess.run([binary, "--db", db, "--format", "json", "--limit", "10", "--lang", lang, "--", q],
                       capture_output=True, text=True)
    try:
        hits = json.loads(p.stdout).get("results") or []
    except ValueError:
        hits = []
    for hit in hits:
        same = hit["doc"] + "#" + hit["anchor"] == want
        if same or (heading and hit["heading"].rstrip(".").strip() == heading):
            return hit["rank"]
    return 0


def compare_parser(doc, n, seed):
    """The command line of a measure that samples at most n questions from a
    docs set and compares builds: --md DIR, --run BIN DB (repeated), --n,
    --seed."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--md", required=True, help="the directory that was indexed")
    ap.add_argument("--run", nargs=2, action="append", metavar=("BIN", "DB"), required=True)
    ap.add_argument("--n", type=int, default=n, help="questions per set, at most")
    ap.add_argument("--seed", type=int, default=seed)
    return ap


def report(label, ranks):
    n = len(ranks) or 1
    print("  %-7s n=%4d  hit@1 %.3f  hit@3 %.3f  hit@10 %.3f  MRR@10 %.3f" % (
        label, len(ranks), sum(r == 1 for r in ranks) / n, sum(0 < r <= 3 for r in ranks) / n,
        sum(r > 0 for r in ranks) / n, sum(1.0 / r for r in ranks if r) / n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--md", required=True, help="the directory that was indexed")
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("BIN", "DB"))
    ap.add_argument("--cost", type=int, default=150, help="questions in the cost sample")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    gain = gain_questions(a.md)
    gain_zh = gain_questions_zh(a.md)
    cost = cost_questions(a.md, a.cost, a.seed)
    for binary, db in a.run:
        print(binary)
        report("gain", [rank(binary, db, q, want, h) for q, want, h in gain])
        if gain_zh:
            report("gain-zh", [rank(binary, db, q, want, h, "zh") for q, want, h in gain_zh])
        report("cost", [rank(binary, db, q, want, h) for q, want, h in cost])


if __name__ == "__main__":
    main()
