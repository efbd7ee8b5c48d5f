"""Search-quality regression guard: kb's figures on tests/dev-queries.tsv
must stay at or above the level reached (measured with
tests/quality/quality.py; see tests/quality/RESULTS.md). The thresholds are
set a little under the measured figures so that a ranking change that
loses a query or two shows up here, and are never met by special-casing
queries: the same code serves every query."""
import os
import sys

from kbtest import SOURCE, build_index, check, finish, tmpdir

sys.path.insert(0, os.path.join(SOURCE, "tests", "quality"))
import quality  # noqa: E402

work = tmpdir()
db = os.path.join(work, "kb.sqlite")
rc, _, err = build_index(db)
check(rc == 0, "index builds: " + err)
build = os.path.dirname(os.path.dirname(os.environ.get("KB_QUERY", os.path.join(SOURCE, "build", "bin", "kb-query"))))
table, misses = quality.score(quality.load_queries(), quality.kb_search(build, db))
overall = table["overall"]
print("overall: hit@1 %.2f hit@3 %.2f mrr@10 %.2f" % (overall["hit@1"], overall["hit@3"], overall["mrr@10"]))
check(overall["hit@3"] >= 0.95, "overall hit@3 >= 0.95 (got %.2f)" % overall["hit@3"])
check(overall["mrr@10"] >= 0.90, "overall MRR@10 >= 0.90 (got %.2f)" % overall["mrr@10"])
check(overall["hit@1"] >= 0.85, "overall hit@1 >= 0.85 (got %.2f)" % overall["hit@1"])
for cat, m in sorted(table.items()):
    check(m["hit@3"] >= 0.80, "category %s hit@3 >= 0.80 (got %.2f)" % (cat, m["hit@3"]))
check(table["id"]["hit@1"] == 1.0, "every error-ID query finds its section first")
for qid, cat, q, rel, got, first in misses:
    print("  miss %s [%s] first relevant at %s" % (qid, cat, "none" if first is None else first + 1))
finish()
