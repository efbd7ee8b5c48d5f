"""Hostile documents: a tree mixing good docs with invalid UTF-8, a binary
file named .md, NUL bytes, a 50 MB file, 10,000-deep nested lists and
blockquotes, a 5,000-column table, a 1 MB line, lone-CR line endings,
symbolic-link loops, files
that cannot be read (root reads anything chmod 000, so: a symlink to
/proc/self/mem, which fails with EIO even for root, a dangling symlink, a
FIFO and a directory named x.md, both silently not documents), includes that escape the tree (.., an
absolute path, a symlink inside the tree pointing out) and include cycles.

kb-index must exit 0 within a bounded time and bounded memory (< 1 GB peak
RSS), name every skipped file in a warning, keep indexing (the good docs are
searchable), and never index /etc/passwd."""
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import time

from kbtest import CORPUS, KB_INDEX, SANITIZED, check, finish, query_json, tmpdir

INDEX_LIMIT = 600 if SANITIZED else 120

work = tmpdir()
root = os.path.join(work, "docs")
db = os.path.join(work, "kb.sqlite")
os.makedirs(os.path.join(root, "en-us", "includes"))
os.makedirs(os.path.join(root, "es-es"))


def put(rel, data):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p


def doc(title, body):
    return "---\ntitle: %s\nms.topic: troubleshooting\n---\n# %s\n\n%s\n" % (title, title, body)


# Good documents: real corpus files and one with a unique word per case.
for loc in ("en-us", "es-es"):
    shutil.copy(os.path.join(CORPUS, loc, "backup-azure-mars-troubleshoot.md"), os.path.join(root, loc))
put("en-us/good.md", doc("Good", "The zebracornword error 0x80070570 is fixed by running chkdsk."))
put("en-us/includes/snippet.md", "Included qwertyincluded text.\n")
put("en-us/with-include.md", doc("With include", "[!INCLUDE [s](./includes/snippet.md)]\n\nafter"))
# Control characters in a heading and a title: a bot prints JSON fields.
put("en-us/controls.md", "---\ntitle: \"Ti\\etle\\x9b2J\"\n---\n# T\n\n## Head \x1b[31m ctrlheadword\x07\n\nctrlbodyword\n")

# Files that must be skipped with a warning naming them.
skipped = {}
skipped["bad-utf8.md"] = put("en-us/bad-utf8.md", b"# Bad\n\nLatin-1 caf\xe9 \xff\xfe mojibakeword\n")
skipped["binary.md"] = put("en-us/binary.md", bytes(range(256)) * 64)
skipped["nul.md"] = put("en-us/nul.md", b"# Nul\n\nbefore\x00after nulbyteword\n")
big = os.path.join(root, "en-us", "huge.md")
with open(big, "wb") as f:
    line = b"Huge file line with hugefileword and some more words to fill the line.\n"
    for _ in range(50 * 1024 * 1024 // len(line) + 1):
        f.write(line)
skipped["huge.md"] = big
os.symlink("/proc/self/mem", os.path.join(root, "en-us", "unreadable.md"))    # EIO even for root
skipped["unreadable.md"] = os.path.join(root, "en-us", "unreadable.md")
os.symlink("does-not-exist.md", os.path.join(root, "en-us", "dangling.md"))
skipped["dangling.md"] = os.path.join(root, "en-us", "dangling.md")
os.symlink("loop-b.md", os.path.join(root, "en-us", "loop-a.md"))              # file symlink loop: ELOOP
os.symlink("loop-a.md", os.path.join(root, "en-us", "loop-b.md"))
skipped["loop-a.md"] = os.path.join(root, "en-us", "loop-a.md")
os.symlink("..", os.path.join(root, "en-us", "dirloop"))                         # directory loop
os.mkfifo(os.path.join(root, "en-us", "fifo.md"))                               # opening it would block
skipped["fifo.md"] = os.path.join(root, "en-us", "fifo.md")
os.makedirs(os.path.join(root, "en-us", "dir.md"))                              # a directory, not a file

# Pathological but valid Markdown: indexed.
pathological = {
    "deep-list.md": doc("Deep list", "- " * 10000 + "deeplistword"),
    "deep-quote.md": doc("Deep quote", "> " * 10000 + "deepquoteword"),
    "deep-indent.md": doc("Deep indent", "".join("  " * min(i, 200) + "- item\n" for i in range(10000)) +
                          "\ndeepindentword\n"),
    "wide-table.md": doc("Wide table", "|" + "".join(" c%d |" % i for i in range(5000)) + "\n|" + "---|" * 5000 +
                         "\n|" + " widetableword |" * 5000 + "\n"),
    "long-line.md": doc("Long line", "longlineword " + "abcdefghij " * (1024 * 1024 // 11)),
    "many-headings.md": "".join("## h%d\nmanyheadingsword\n" % i for i in range(20000)),
    "brackets.md": doc("Brackets", "[" * 50000 + "bracketword" + "](" * 20000),
    "emphasis.md": doc("Emphasis", "*a **b " * 20000 + "emphasisword"),
    # Old Mac line endings: CommonMark ends a line at a lone CR too (kb_md
    # once read past its line table here).
    "bare-cr.md": "# Bare CR\r## Second\r## Third\rbarecrword\r",
}
for name, text in pathological.items():
    put("en-us/" + name, text)

# DocFX ":::" directives directly above text: one paragraph to CommonMark,
# of which only the directive lines are markup.
put("en-us/docfx-zones.md", doc("Zones", '::: zone pivot="linux"\nTight zonetightword text.\n::: zone-end\n\n'
                                ':::image type="content" source="a.png" alt-text="Shot":::\n'
                                'Following imgfollowword text.\n'))

# Names that are not UTF-8 (a Latin-1 "ñ", a stray byte): no JSON, no
# terminal line can carry them, so they are skipped with a warning that
# names them escaped. A file with a bad name of another kind is no document.
broot = os.path.join(root.encode(), b"en-us")
os.makedirs(os.path.join(broot, b"dir\xf1o"))
with open(os.path.join(broot, b"bad\xffname.md"), "w") as f:
    f.write(doc("Bad name", "badnameword"))
with open(os.path.join(broot, b"dir\xf1o", b"inside.md"), "w") as f:
    f.write(doc("Inside", "baddirword"))
with open(os.path.join(broot, b"image\xff.png"), "wb") as f:
    f.write(b"\x89PNG")
bad_names = ["en-us/bad\\xffname.md", "en-us/dir\\xf1o"]  # as the warnings write them

# Includes that escape the tree, and include cycles.
put("en-us/escape.md", doc("Escape", "escapeword\n\n[!INCLUDE [x](../../../../../../../../etc/passwd)]\n\n"
                           "[!INCLUDE [y](/etc/passwd)]\n\n[AZURE.INCLUDE [z](../../../../../../etc/passwd)]\n\n"
                           "[!INCLUDE [l](./includes/passwd-link.md)]\n"))
os.symlink("/etc/passwd", os.path.join(root, "en-us", "includes", "passwd-link.md"))
put("en-us/cycle-a.md", doc("Cycle A", "cycleaword\n\n[!INCLUDE [b](./cycle-b.md)]\n"))
put("en-us/cycle-b.md", doc("Cycle B", "cyclebword\n\n[!INCLUDE [a](./cycle-a.md)]\n"))
put("en-us/self.md", doc("Self", "selfword\n\n[!INCLUDE [me](./self.md)]\n"))
put("en-us/includes/deep.md", "deeper\n\n[!INCLUDE [again](./deep.md)]\n")
put("en-us/deep-include.md", doc("Deep include", "deepincludeword\n\n[!INCLUDE [d](./includes/deep.md)]\n"))
put("en-us/two-missing.md", doc("Two missing", "twomissingword\n\n[!INCLUDE [a](./includes/nope-a.md)]\n\n"
                                "[!INCLUDE [b](./includes/nope-b.md)]\n"))

# kb-index, bounded in time; peak RSS from RUSAGE_CHILDREN (kb-index is the
# first child this process waits for, so the figure is its own).
env = dict(os.environ, LANG="C.UTF-8")
t0 = time.monotonic()
try:
    p = subprocess.run([KB_INDEX, "--db", db, root], capture_output=True, env=env, timeout=INDEX_LIMIT)
    rc, out, err = p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
except subprocess.TimeoutExpired:
    rc, out, err = -1, "", "timeout"
secs = time.monotonic() - t0
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print("kb-index: exit %d in %.1f s, peak RSS %.0f MB" % (rc, secs, peak_mb))
print(err)
check(rc == 0, "kb-index exits 0 on a hostile tree (got %d)" % rc)
check(secs < INDEX_LIMIT, "kb-index finishes within %d s (took %.1f s)" % (INDEX_LIMIT, secs))
check(peak_mb < 1024, "kb-index peak RSS below 1 GB (got %.0f MB)" % peak_mb)
check("AddressSanitizer" not in err and "runtime error" not in err, "no sanitizer report")

for name in skipped:
    lines = [l for l in err.splitlines() if name in l]
    check(lines, "a warning names skipped file %s" % name)
# ...and the summary counts each of them skipped, those the walk skips
# (a name not UTF-8, a broken link, a FIFO) as those kb-index reads.
skip_lines = [l for l in err.splitlines() if re.match(r"kb-index: warning: [^:]*\.md: .*skipped$", l)]
counts = re.search(r"\((\d+) added, .* (\d+) skipped\)", out)
check(len(skip_lines) == 8 and counts and int(counts.group(2)) == len(skip_lines),
      "the summary counts every document skipped with a warning: %d warnings, %s" % (len(skip_lines), out.splitlines()[-1:]))
check(any("loop" in l.lower() and "dirloop" in l for l in err.splitlines()),
      "the directory symlink loop is reported as a loop")
for name in ("escape.md", "cycle-a.md", "self.md", "deep-include.md"):
    check(any(name in l and "include" in l for l in err.splitlines()), "include warning names %s" % name)
# A document's warnings are printed together, each line a whole warning.
two = [l for l in err.splitlines() if "two-missing.md" in l]
check(len(two) == 2 and all(re.match(r"kb-index: warning: en-us/two-missing.md:\d+: include ", l) for l in two),
      "each of a document's two warnings is a prefixed line: %r" % two)


for name in bad_names:
    check(any(l.startswith("kb-index: warning: ") and l.endswith(name + ": name is not valid UTF-8, skipped")
              for l in err.splitlines()), "a warning names %s, escaped" % name)
check("image" not in err, "a file that is no document is not warned about, whatever its name")
try:
    p.stderr.decode("utf-8")
    check(True, "kb-index's warnings are UTF-8")
except UnicodeDecodeError:
    check(False, "kb-index's warnings are UTF-8")


def found(word, *extra):
    rc, doc_, qerr = query_json(db, "--all-locales", "--exact", *extra, word)
    if doc_ is None:
        check(False, "query %s: JSON parses (%s)" % (word, qerr))
        return []
    return [h["doc"] for h in doc_["results"]]


# Good docs stay searchable, includes inside the tree are expanded.
check("en-us/good.md" in found("zebracornword"), "the good doc is searchable")
check("en-us/with-include.md" in found("qwertyincluded"), "an include inside the tree is expanded")
check(found("0x80070570"), "the real corpus docs are searchable by error code")
# Skipped files are not in the index.
for word in ("mojibakeword", "nulbyteword", "hugefileword"):
    check(not found(word), "text of a skipped file is not indexed: " + word)
# Pathological docs are indexed (none of them is skipped with a warning).
for name, word in [("deep-list.md", "deeplistword"), ("deep-quote.md", "deepquoteword"),
                   ("deep-indent.md", "deepindentword"), ("wide-table.md", "widetableword"),
                   ("long-line.md", "longlineword"), ("many-headings.md", "manyheadingsword"),
                   ("brackets.md", "bracketword"), ("emphasis.md", "emphasisword"),
                   ("bare-cr.md", "barecrword")]:
    check(("en-us/" + name) in found(word), "%s is indexed" % name)
# A paragraph's DocFX directive lines are dropped, its text is kept.
check("en-us/docfx-zones.md" in found("zonetightword"), "text below a zone directive is indexed")
check("en-us/docfx-zones.md" in found("imgfollowword"), "text below an image directive is indexed")
_rc, zones, _ = query_json(db, "--exact", "zonetightword")
text = zones["results"][0]["text"] if zones and zones.get("results") else ""
check("Tight zonetightword text." in text and "Following imgfollowword text." in text and ":::" not in text,
      "the JSON text keeps the text of a paragraph with directives, not the directives: %r" % text)
_rc, ctrl, _ = query_json(db, "--exact", "ctrlheadword")
hit = ctrl["results"][0] if ctrl and ctrl.get("results") else {}
shown = [hit.get("heading", ""), hit.get("title", "")] + hit.get("breadcrumb", [])
check(hit and not any(re.search("[\x00-\x1f\x7f-\x9f]", f) for f in shown) and "ctrlheadword" in hit["heading"],
      "no control character in a heading, title or breadcrumb: %r" % shown)
_rc, toc, _ = query_json(db, "--toc", "en-us/controls.md")
check(toc and not any(re.search("[\x00-\x1f\x7f-\x9f]", e["heading"]) for e in toc.get("sections", [])),
      "...nor in --toc: %r" % (toc and toc.get("sections")))
# A name that is not UTF-8 is not in the index, and every answer is JSON.
check(not found("badnameword") and not found("baddirword"), "a document whose name is not UTF-8 is not indexed")
rc, every, qerr = query_json(db, "--all-locales", "--limit", "1000", "--exact", "word OR error OR Bad")
check(rc == 0 and every is not None and "error" not in every, "an answer over every doc is JSON (%d %s)" % (rc, qerr))
# An index that holds a name that is not UTF-8 all the same (a kb before
# the check wrote it): the answer is the database error, exit 3, never an
# error document with exit 0.
bad_db = os.path.join(work, "bad-name.sqlite")
shutil.copy(db, bad_db)
con = sqlite3.connect(bad_db)
con.execute("UPDATE docs SET path = CAST(X'656e2d75732f676f6f64ff2e6d64' AS TEXT) WHERE path = 'en-us/good.md'")
con.commit()
con.close()
rc, bad, qerr = query_json(bad_db, "--exact", "zebracornword")
check(rc == 3 and bad is not None and bad.get("error", {}).get("code") == "database",
      "a result that cannot be encoded: exit 3 and a database error (%d %r %s)" % (rc, bad, qerr))
rc, bad, qerr = query_json(bad_db, "--toc", "en-us/good")
check(rc == 3 and bad is not None and bad.get("error", {}).get("code") == "database",
      "a table of contents that cannot be encoded: exit 3 and a database error (%d %r %s)" % (rc, bad, qerr))

# Include cycles and escapes: the including doc is still indexed, the
# outside file never is.
for name, word in [("escape.md", "escapeword"), ("cycle-a.md", "cycleaword"), ("cycle-b.md", "cyclebword"),
                   ("self.md", "selfword"), ("deep-include.md", "deepincludeword")]:
    check(("en-us/" + name) in found(word), "%s is indexed despite its bad include" % name)
check(not found("root:x:0:0"), "/etc/passwd content is never indexed (root:x:0:0)")
check(not found("/usr/sbin/nologin") and not found("nologin"), "/etc/passwd content is never indexed (nologin)")

# A second run over the same tree (incremental) behaves the same.
p = subprocess.run([KB_INDEX, "--db", db, root], capture_output=True, env=env, timeout=INDEX_LIMIT)
check(p.returncode == 0, "an incremental re-run exits 0 (got %d)" % p.returncode)
check("en-us/good.md" in found("zebracornword"), "the good doc is still searchable after the re-run")

# Small files whose parse or rendering cost far more than their size: a
# line of 100,000 "> " (200 KB) took 25 s to render, 60,000 "- " 14 s, and
# 2,000 x 1,000 table cells (4 MB) 1.9 GB. Nesting is flattened past 32
# levels, its text indexed; a file of over 100,000 cells is skipped.
costly = os.path.join(work, "costly")
os.makedirs(os.path.join(costly, "en-us"))
for name, text in (("quotes.md", doc("Quotes", "> " * 100000 + "quotesdeepword")),
                   ("lists.md", doc("Lists", "- " * 60000 + "listsdeepword")),
                   # cmark numbers an ordered item by walking back over the
                   # items before it: 100,000 items took 41 s
                   ("ordered.md", doc("Ordered", "1. x\n" * 100000 + "\norderedword\n")),
                   # each included line took the include's whole container
                   # prefix: 10,000 "> " on 60,000 lines took 51 s and 3.6 GB
                   ("quoted-include.md", doc("Quoted include", "quotedincludeword\n\n" + "> " * 10000 +
                                             "[!INCLUDE [many](../includes/many.md)]\n")),
                   ("items.md", doc("Items", "- x\n" * 150000)),
                   ("headings.md", "# h\n" * 120000),  # a section each: 1,000,000 had taken 4 GB
                   # about 900 bytes of cmark nodes a line: 3 MB of them took 1.3 GB
                   ("paragraphs.md", doc("Paragraphs", "paragraphsword\n\n" * 210000)),
                   # 15 MB of links took 1.7 GB (and 212 s), of emphasis 4 GB
                   ("links.md", doc("Links", "[linksword](x.md) " * 210000)),
                   # Debian's cmark-gfm copies the rest of a paragraph at each
                   # e-mail address: 400,000 took 5.5 GB
                   ("emails.md", doc("E-mails", "emailsword a@b.co " * 25000)),
                   # a section's title, anchor and heading key: 15 MB took 1.1 GB
                   ("heading.md", doc("Heading", "## " + "headingword " * 6000)),
                   # fenced code counts too: an indented "```" taken for a
                   # fence had let 2 MB of list items through (745 MB)
                   ("fake-fence.md", doc("Fake fence", "    ```\n\n" + "- x\n" * 150000)),
                   # emphasis and links in one paragraph: 660 KB took 17 s
                   ("paragraph.md", doc("Paragraph", ("*a* [l](x) " * 50 + "\n") * 150)),
                   ("cells.md", doc("Cells", ("| c " * 400 + "|\n") + ("|---" * 400 + "|\n") +
                                    ("| cellsword " * 400 + "|\n") * 300))):
    with open(os.path.join(costly, "en-us", name), "w") as f:
        f.write(text)
os.makedirs(os.path.join(costly, "includes"))
with open(os.path.join(costly, "includes", "many.md"), "w") as f:
    f.write("a\n" * 60000)
costly_db = os.path.join(work, "costly.sqlite")
limit = 60 if SANITIZED else 10
t0 = time.monotonic()
try:
    p = subprocess.run([KB_INDEX, "--db", costly_db, costly], capture_output=True, env=env, timeout=limit * 10)
    rc, err = p.returncode, p.stderr.decode("utf-8", "replace")
except subprocess.TimeoutExpired:
    rc, err = -1, "timeout"
secs = time.monotonic() - t0
check(rc == 0 and secs < limit, "deep nesting and many cells index in under %d s (rc %d, %.1f s)" % (limit, rc, secs))
check("cells.md: more than 100000 table cells ('|'), skipped" in err, "the file of many cells is skipped: " + err)
check("items.md: more than 100000 list items, skipped" in err, "the file of many list items is skipped: " + err)
check("headings.md: more than 100000 headings, skipped" in err, "the file of many headings is skipped: " + err)
check("heading.md: a heading longer than 64 KB, skipped" in err, "the file of a long heading is skipped: " + err)
check("emails.md: more than 200000 inline marks" in err, "the file of many e-mail addresses is skipped: " + err)
check("fake-fence.md: more than 100000 list items, skipped" in err, "a fence cmark does not read skips nothing: " + err)
check("paragraph.md: a paragraph with over 100000000 pairs of emphasis marks and links, skipped" in err,
      "the file of one long paragraph of marks is skipped: " + err)
check("paragraphs.md: more than 200000 lines, skipped" in err, "the file of many lines is skipped: " + err)
check("links.md: more than 200000 inline marks (* _ ` [ < & \\ ~, links, e-mail addresses) and nested quotes or lists"
      in err,
      "the file of many links is skipped: " + err)
for name, word in (("quotes.md", "quotesdeepword"), ("lists.md", "listsdeepword"), ("ordered.md", "orderedword"),
                   ("quoted-include.md", "quotedincludeword")):
    rc, d, _ = query_json(costly_db, "--exact", word)
    check(d is not None and [h["doc"] for h in d["results"]] == ["en-us/" + name], "%s is indexed" % name)
# ...numbered as written, one list or several
rc, d, _ = query_json(costly_db, "--show", "en-us/ordered.md#ordered")
md = d["results"][0]["markdown"] if d and d.get("results") else ""
check(all(re.search(r"(?m)^%d\. +x$" % n, md) for n in (1, 500, 501, 100000)) and not re.search(r"(?m)^100001\.", md),
      "the long ordered list keeps its numbers: %r" % md[-200:])

shutil.rmtree(work, ignore_errors=True)
finish()
