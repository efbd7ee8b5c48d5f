#!/usr/bin/env python3
"""Prints, as a Markdown table, the headline figures of every benchmark run
recorded in tests/bench/RESULTS.md, read from the file's git history: one
row per commit that changed it, oldest first. tests/bench/HISTORY.md holds
its output and notes on particular runs.

  python3 tests/bench/history.py"""
import os
import re
import subprocess
import sys

RESULTS = "tests/bench/RESULTS.md"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def git(*args):
    return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True, check=True).stdout


def corpus_blocks(text):
    """{corpus name: its block of the report} ("bundled", "es-ES", "es-ES+zh-TW")."""
    return {block.split(":")[0]: block for block in re.split(r"^== ", text, flags=re.M)}


def pair(pattern, text, fmt="%s / %s"):
    m = re.search(pattern, text, re.M)
    return fmt % m.groups() if m else "—"


def row(commit):
    text = git("show", "%s:%s" % (commit, RESULTS))
    blocks = corpus_blocks(text)
    both, bundled = blocks.get("es-ES+zh-TW", ""), blocks.get("bundled", "")
    return [
        pair(r"^- date: (\S+)", text, "%s"),
        pair(r"^- git commit: (\S+)", text, "%s"),
        pair(r"--version \(start-up floor\)\s+([\d.]+)", both or bundled, "%s"),
        pair(r"^\s+kb-query\s+([\d.]+)\s+([\d.]+)", both),
        pair(r"xapian quest\s+([\d.]+)\s+([\d.]+)", both),
        pair(r"kb / quest\s+median\s+([\d.]+)x\s+p95\s+([\d.]+)x", both, "%sx / %sx"),
        pair(r"^\s+kb-query\s+([\d.]+)\s+", bundled, "%s"),
        pair(r"kb-index full\s+([\d.]+)\s+.*\n\s+Xapian indexer\s+([\d.]+)", both, "%s / %s"),
        pair(r"(\d+ PASS, \d+ MISS)", text, "%s"),
    ]


def main():
    commits = git("log", "--reverse", "--format=%h", "--", RESULTS).split()
    out = sys.stdout
    out.write("| date | kb commit | floor ms | kb median / p95 ms | quest median / p95 ms | kb / quest"
              " | bundled kb median ms | index kb / Xapian s | targets |\n")
    out.write("|---" * 9 + "|\n")
    for commit in commits:
        out.write("| " + " | ".join(row(commit)) + " |\n")


if __name__ == "__main__":
    main()
