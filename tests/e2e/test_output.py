"""Text output behaviour of kb-query, over every section of the bundled corpus.

For each section, `--show` in text mode at COLUMNS=40, 80 and 200 (stdout a
pipe, NO_COLOR=1) must print no raw HTML tag, no Markdown table row, no ESC
byte, and no line wider than the terminal unless the line is one unbreakable
token or a line of a code block. Also: --color rules, --toc order and
completeness, --full including subsections."""
import json
import os
import re
import sqlite3
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import kbtest
from kbtest import check, finish

WIDTHS = (40, 80, 200)
BASE_ENV = {"NO_COLOR": "1", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
HTML_TAG = re.compile(r"<(/?)(a|br|ul|ol|li|p|b|strong|i|em|code|table|tr|td|th|div|span|img)\b[^>]*>", re.I)
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
HEADING = re.compile(r"^#{1,3} ")
ANCHOR = re.compile(r'<a\s+name="([^"]+)"')
FENCE = re.compile(r"^\s*(```|~~~)")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")
# What may stand before the one token of an unbreakable line: a bullet, a number, a "Label:".
LEAD = re.compile(r"^(?:>\s*|[-*•→]\s+|\d+[.)]\s*|\[\d+\]\s+)*(?:[^\s:][^:]{0,40}:\s+)?")
REF = re.compile(r"^\(→ \S+\)\S*$")   # "(→ doc#anchor)" as rendered for an internal link
EXAMPLES = int(os.environ.get("KB_EXAMPLES", "3"))


def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in s)


def docs():
    """The documents kb indexes: every .md but the corpus's own README.md."""
    out = []
    for root, _, files in os.walk(kbtest.CORPUS):
        for f in sorted(files):
            if f.endswith(".md") and not (root == kbtest.CORPUS and f.lower() == "readme.md"):
                out.append(os.path.relpath(os.path.join(root, f), kbtest.CORPUS).replace(os.sep, "/"))
    return sorted(out)


def code_lines(markdown):
    """Stripped lines of the section's fenced and indented code blocks: the renderer must not wrap them."""
    lines, inFence, inIndent, prevBlank = set(), False, False, True
    for line in markdown.split("\n"):
        if FENCE.match(line):
            inFence = not inFence
            continue
        s = line.strip()
        if inFence:
            if s:
                lines.add(s)
            continue
        if not s:
            prevBlank = True
            continue
        inIndent = (prevBlank or inIndent) and line.startswith("    ") and not LIST_ITEM.match(line)
        if inIndent:
            lines.add(s)
        prevBlank = False
    return lines


def unbreakable(line, code):
    s = line.strip()
    if s in code:
        return True
    if REF.match(s):
        return True
    rest = LEAD.sub("", s, count=1)
    return " " not in rest or REF.match(rest) is not None


def sections_of(db, doc):
    rc, toc, _ = kbtest.query_json(db, "--toc", doc)
    if rc != 0 or not toc:
        return None
    return [s["anchor"] for s in toc.get("sections", [])]


def render(db, ref, lang, cols):
    env = dict(BASE_ENV, COLUMNS=str(cols))
    return kbtest.query(db, "--show", ref, "--lang", lang, env=env)


def check_section(db, ref, lang):
    """Returns {problem: [example, ...]} for one section, over all widths."""
    problems = {}

    def bad(kind, example):
        problems.setdefault(kind, []).append(example)

    rc, doc, _ = kbtest.query_json(db, "--show", ref, "--lang", lang, env=BASE_ENV)
    if rc != 0 or not doc or not doc.get("results"):
        bad("show --format json fails", ref)
        return problems
    code = code_lines(doc["results"][0]["markdown"])
    for cols in WIDTHS:
        rc, out, err = render(db, ref, lang, cols)
        if rc != 0 or not out:
            bad("show fails", "%s (rc %d: %s)" % (ref, rc, err.strip()))
            continue
        if "\x1b" in out:
            bad("ESC byte with NO_COLOR=1 on a pipe", ref)
        head = True  # the hit's header (heading, breadcrumb, title · locale · ref) ends at the first blank line
        for n, line in enumerate(out.split("\n"), 1):
            head = head and line != ""
            m = HTML_TAG.search(line)
            if m:
                bad("raw HTML tag", "%s line %d: %r" % (ref, n, m.group(0)))
            if PIPE_ROW.match(line):
                bad("Markdown table row", "%s line %d: %r" % (ref, n, line[:60]))
            w = width(line)
            if w > cols and not unbreakable(line, code):
                bad("%s line wider than COLUMNS=%d" % ("header" if head else "body", cols), "%s line %d (%d cols): %r" % (ref, n, w, line[:70]))
    return problems


def test_every_section(db):
    work = []
    for doc in docs():
        lang = doc.split("/")[0]
        anchors = sections_of(db, doc)
        if not check(anchors, "--toc %s --format json lists sections" % doc):
            continue
        work += [("%s#%s" % (doc, a), lang) for a in anchors]
    check(len(work) > 400, "the corpus has over 400 sections (%d)" % len(work))
    problems = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for p in pool.map(lambda w: check_section(db, *w), work):
            for kind, examples in p.items():
                problems.setdefault(kind, []).extend(examples)
    kinds = ["show --format json fails", "show fails", "ESC byte with NO_COLOR=1 on a pipe", "raw HTML tag",
             "Markdown table row"] + ["%s line wider than COLUMNS=%d" % (part, c)
                                             for part in ("header", "body") for c in WIDTHS]
    for kind in kinds:
        ex = problems.get(kind, [])
        sections = len({e.split(" ")[0] for e in ex})
        check(not ex, "%s: %d lines in %d sections, e.g.\n    %s" % (kind, len(ex), sections,
                                                                  "\n    ".join(ex[:EXAMPLES])))


def test_toc(db):
    for doc in docs():
        with open(os.path.join(kbtest.CORPUS, doc), encoding="utf-8") as f:
            lines = f.read().split("\n")
        # Headings outside the YAML front matter (its "# comments") and fenced code.
        if lines and lines[0].strip() == "---" and "---" in [x.strip() for x in lines[1:]]:
            lines = lines[[x.strip() for x in lines[1:]].index("---") + 2:]
        heads, inFence = [], False
        for line in lines:
            if FENCE.match(line):
                inFence = not inFence
            elif not inFence and HEADING.match(line):
                heads.append(line)
        anchors = sections_of(db, doc)
        if anchors is None:
            continue
        check(len(anchors) == len(heads), "--toc %s lists %d sections, the doc has %d H1-H3 headings"
              % (doc, len(anchors), len(heads)))
        explicit = [m.group(1) for m in (ANCHOR.search(h) for h in heads) if m]
        inToc = [a for a in anchors if a in set(explicit)]
        check(inToc == explicit, "--toc %s keeps the explicit anchors in document order" % doc)
        rc, out, _ = kbtest.query(db, "--toc", doc, env=BASE_ENV)
        refs = [line.split("\t")[0] for line in out.split("\n") if line]
        check(refs == ["%s#%s" % (doc, a) for a in anchors], "--toc %s as text: one DOC#ANCHOR per line, in order"
              % doc)
        # As Markdown: a list nested by heading level (## one deeper than #),
        # each entry a link to the section (once the text lines again).
        rc, out, _ = kbtest.query(db, "--toc", doc, "--format", "markdown", env=BASE_ENV)
        items = [re.match(r"^( *)- \[(.*)\]\((?:<([^<>]+)>|([^()\s<>]+))\)$", line) for line in out.split("\n") if line]
        check(items and all(items), "--toc %s as Markdown: one list item with a link per line" % doc)
        if items and all(items):
            check([m.group(3) or m.group(4) for m in items] == ["%s#%s" % (doc, a) for a in anchors],
                  "--toc %s as Markdown links every section, in order" % doc)
            levels = [len(HEADING.match(h).group(0).strip().split()[0]) if HEADING.match(h) else 0 for h in heads]
            check([len(m.group(1)) for m in items] == [2 * (lv - 1) for lv in levels],
                  "--toc %s as Markdown indents by heading level" % doc)


def test_full(db):
    ref = "es-es/backup-azure-mars-troubleshoot.md#troubleshoot-cache-problems"
    children = ["Prerrequisitos", "Aumento del almacenamiento de instantáneas",
                "Otro proceso o software antivirus bloquea el acceso a la carpeta de caché"]
    _, plain, _ = kbtest.query(db, "--show", ref, "--lang", "es-es", env=BASE_ENV)
    _, full, _ = kbtest.query(db, "--show", ref, "--lang", "es-es", "--full", env=BASE_ENV)
    plainLines = [line.strip() for line in plain.split("\n")]
    fullLines = [line.strip() for line in full.split("\n")]
    for h in children:
        check(h not in plainLines, "--show %s without --full leaves out the H3 %r" % (ref, h))
        check(h in fullLines, "--show %s --full includes the H3 heading %r" % (ref, h))


def test_color(db):
    ref = "es-es/backup-azure-mars-troubleshoot.md#backup-jobs-completed-with-warning"
    show = ["--show", ref, "--lang", "es-es"]
    bold = "\x1b[1m"
    noColor = {"NO_COLOR": "1"}
    color = {"NO_COLOR": "", "TERM": "xterm"}
    _, out, _ = kbtest.query(db, *show, env=dict(BASE_ENV, **color))
    check("\x1b" not in out, "no ESC on a pipe by default (auto)")
    _, out, _ = kbtest.query(db, *show, "--color=always", env=dict(BASE_ENV, **color))
    check(out.startswith("1. " + bold + "Trabajos de copia"), "--color=always: the heading is bold")
    # main.c S_color: an explicit --color=always wins over NO_COLOR.
    _, out, _ = kbtest.query(db, *show, "--color=always", env=BASE_ENV)
    check(bold in out, "--color=always wins over NO_COLOR=1")
    _, out, _ = kbtest.query(db, *show, "--color=never", env=dict(BASE_ENV, **color))
    check("\x1b" not in out, "--color=never: no ESC")
    _, out, _ = kbtest.query(db, *show, "--color=always", "--format", "json", env=BASE_ENV)
    check("\x1b" not in out and "\\u001b" not in out, "--color=always never colours JSON")
    _, out, _ = kbtest.query(db, "--color=always", "--limit", "1", "chkdsk", env=dict(BASE_ENV, **color))
    check(bold + "chkdsk" in out, "--color=always: a query match in the body is bold")
    # "--color WHEN", as --help writes it: WHEN is the option's, not a
    # query word (once "never" was searched too, and --color meant always).
    for when in ("never", "always"):
        want = kbtest.query(db, "--color=" + when, "--limit", "3", "chkdsk", env=dict(BASE_ENV, **color))[1]
        for argv in (["--color", when, "chkdsk"], ["chkdsk", "--color", when]):
            _, out, _ = kbtest.query(db, *argv, "--limit", "3", env=dict(BASE_ENV, **color))
            check(out == want, "%s: as --color=%s chkdsk" % (" ".join(argv), when))
    _, out, _ = kbtest.query(db, "--color", "--limit", "1", "chkdsk", env=BASE_ENV)
    check(bold + "chkdsk" in out, "a bare --color means always")
    # On a terminal: auto colours unless NO_COLOR is set (and non-empty).
    args = [kbtest.KB_QUERY, "--db", db, *show]
    out = kbtest.run_on_tty(args, env=dict(BASE_ENV, **color))[1]
    check(bold in out, "auto on a terminal: bold headings")
    out = kbtest.run_on_tty(args, env=BASE_ENV)[1]
    check("\x1b" not in out, "auto on a terminal with NO_COLOR=1: no ESC")
    out = kbtest.run_on_tty(args + ["--color=always"], env=BASE_ENV)[1]
    check(bold in out, "--color=always on a terminal with NO_COLOR=1: bold")
    out = kbtest.run_on_tty(args, env=dict(BASE_ENV, **dict(color, TERM="dumb")))[1]
    check("\x1b" not in out, "auto on a terminal with TERM=dumb: no ESC")
    out = kbtest.run_on_tty(args + ["--color=always"], env=dict(BASE_ENV, **dict(color, TERM="dumb")))[1]
    check(bold in out, "--color=always with TERM=dumb: bold")


REF_DOC = """# Guide

## Connect

| Problem | Resolution |
| --- | --- |
| Cannot connect | Use [SSMS][] or the [quick start][Start]. |

## Resources

- [SSMS][]

<!--Article references-->
[SSMS]: https://example.com/ssms
[start]: ./quick.md#start
"""


def test_reference_links():
    """Older docs define link targets once, at the end: every section that
    uses one shows a link, in each format, not "[SSMS][]"."""
    _, db = kbtest.docs_index({"guide.md": REF_DOC, "quick.md": "# Quick\n\n## Start\n\nGo.\n"},
                              "a doc with reference links")
    _, out, _ = kbtest.query(db, "--show", "guide.md#connect", env=BASE_ENV)
    check("[SSMS]" not in out and "[quick start]" not in out, "text: no reference left as brackets")
    check("SSMS [1]" in out and "[1] https://example.com/ssms" in out, "text: the external link is listed")
    check("(→ quick.md#start)" in out, "text: the internal link points at its section")
    _, out, _ = kbtest.query(db, "--show", "guide.md#connect", "--format", "markdown", env=BASE_ENV)
    check("[SSMS](https://example.com/ssms)" in out, "markdown: an inline link")
    _, doc, _ = kbtest.query_json(db, "--show", "guide.md#connect", env=BASE_ENV)
    links = doc["results"][0]["links"] if doc and doc.get("results") else []
    check({"text": "SSMS", "target": "https://example.com/ssms", "external": True} in links
          and any(l["target"] == "quick.md#start" for l in links), "json: both links, with targets")
    _, out, _ = kbtest.query(db, "--show", "guide.md#guide", "--full", env=BASE_ENV)
    check("[SSMS]" not in out and out.count("https://example.com/ssms") == 1, "--full: links resolved, listed once")


def test_every_ref_shows():
    """A result's ref is what --show takes, for a section under an empty
    heading (its ref ends in "#") and in a file whose name holds a "#"."""
    _, db = kbtest.docs_index({"empty.md": "### \n\nzzempty\n\n## Next\n\nMore.\n",
                               "c#sharp.md": "# C sharp\n\nzzsharp\n"}, "docs with odd refs")
    for word in ("zzempty", "zzsharp"):
        rc, doc, _ = kbtest.query_json(db, word, env=BASE_ENV)
        ref = doc["results"][0]["ref"] if doc and doc.get("results") else None
        rc, shown, err = kbtest.query_json(db, "--show", ref or "", env=BASE_ENV) if ref else (None, None, "")
        got = shown["results"][0]["ref"] if shown and shown.get("results") else None
        check(ref and got == ref, "--show %r shows that section (got %r: %s)" % (ref, got, err.strip()[:200]))


def test_heading_with_a_pipe():
    """A heading's '|' is no table boundary: "A | B testing" is one line in
    the result's header and in its text, not "A", then "B testing"."""
    _, db = kbtest.docs_index({"es-es/ab.md": "# Web\n\n## A | B testing\n\nzzsplit traffic.\n"}, "a pipe heading")
    rc, out, _ = kbtest.query(db, "zzsplit", env=BASE_ENV)
    check(rc == 0 and out.startswith("1. A | B testing\n   Web › A | B testing\n") and "\nA | B testing\n" in out,
          "the heading keeps its pipe: %r" % out[:120])


def test_link_targets_show(db):
    """A link's target is what --show takes: into a heading deeper than the
    sections cut (its section), written escaped as a browser reads it, or
    with its anchor in capitals. Every link of the bundled docs into an
    indexed document opens."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    docs = set(r[0] for r in con.execute("SELECT path FROM docs"))
    refs = [r[0] + "#" + r[1] for r in con.execute(
        "SELECT d.path, s.anchor FROM sections s JOIN docs d ON d.id = s.doc_id")]
    con.close()
    targets = set()
    for ref in refs:
        rc, shown, _ = kbtest.query_json(db, "--show", ref, env=BASE_ENV)
        for h in (shown or {}).get("results", []):
            targets.update(l["target"] for l in h.get("links", [])
                           if not l["external"] and "#" in l["target"] and l["target"].split("#")[0] in docs)
    bad = [t for t in sorted(targets) if kbtest.query(db, "--show", t, env=BASE_ENV)[0] != 0]
    check(len(targets) > 40 and not bad, "all %d links into indexed docs open: %s" % (len(targets), bad[:5]))
    deep = "es-es/backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout.md#clean-up-restore-point-collection-from-azure-portal"
    rc, shown, _ = kbtest.query_json(db, "--show", deep, env=BASE_ENV)
    got = [h["ref"] for h in (shown or {}).get("results", [])]
    check(got == ["es-es/backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout.md#clean-up-restore-point-collection"],
          "a #### heading's anchor opens its section: %r" % got)
    _, odd = kbtest.docs_index({"en-us/sub dir/page one.md": "# Page one\n\n## Top part\n\nzztop\n",
                                "en-us/links.md": "# Links\n\nSee [one](sub%20dir/page%20one.md#top-part).\n"},
                               "docs whose links are escaped")
    rc, shown, _ = kbtest.query_json(odd, "--show", "en-us/links.md#links", env=BASE_ENV)
    links = [l["target"] for h in (shown or {}).get("results", []) for l in h.get("links", [])]
    check(links == ["en-us/sub dir/page one.md#top-part"], "an escaped link's target is unescaped: %r" % links)
    for ref in ("en-us/sub%20dir/page%20one.md#top-part", "en-us/sub dir/page one.md#Top-Part"):
        rc, shown, _ = kbtest.query_json(odd, "--show", ref, env=BASE_ENV)
        got = [h["ref"] for h in (shown or {}).get("results", [])]
        check(got == ["en-us/sub dir/page one.md#top-part"], "--show %r opens the section: %r" % (ref, got))


# Control characters a terminal obeys: C0 but newline, DEL, and C1 (U+0080-U+009F).
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]")


def test_index_text_never_drives_the_terminal():
    """A document's headings, explicit anchors and file name are printed by
    --toc and by the header of a search result: their control characters
    would reach the terminal as escape sequences (ESC ] 0 ; ... BEL sets its
    title), so text and Markdown output drop them, as the section renderer
    does for the section. A heading is stored without them, for a bot that
    prints a JSON field; an anchor, which --show takes back, is escaped."""
    heading = "Title \x1b]0;pwned\x07 here"
    _, db = kbtest.docs_index({"en-us/esc.md": "# %s\n\nzzesc text\n\n## Anchored <a name=\"an\x1b[2Jchor\"></a>\n\n"
                                               "zzesc more\n\n## Other <a name=\"an\x9b31mother\"></a>\n\nzzesc too\n\n"
                                               "## Tab\there\n\nzzesc again\n" % heading,
                               "en-us/fi\x1b[31mle.md": "# File\n\nzzesc file\n",
                               # written as character references, which cmark decodes
                               "en-us/ent.md": "# Ent &#x9b;2J\n\nzzesc ent &#x9b;31m &#x9d;0;t&#7; "
                                               "[l&#x85;](http://e.com/&#x9b;x \"t&#127;\")\n"},
                              "docs with control characters")
    for doc in ("esc", "fi", "ent"):
        rc, out, _ = kbtest.query(db, "--toc", doc, env=BASE_ENV)
        lines = out.split("\n")[:-1]
        check(rc == 0 and lines and all(line.count("\t") == 1 and not CONTROL.search(line.replace("\t", ""))
                                        for line in lines),
              "--toc %s: one tab per line and no control character: %r" % (doc, out))
        rc, out, _ = kbtest.query(db, "--toc", doc, "--format", "markdown", env=BASE_ENV)
        check(rc == 0 and out and not CONTROL.search(out), "--toc %s --format markdown: no control character: %r"
              % (doc, out))
    rc, out, _ = kbtest.query(db, "--toc", "esc", env=BASE_ENV)
    check("Title ]0;pwned here\n" in out, "--toc keeps a heading's text: %r" % out)
    rc, toc, _ = kbtest.query_json(db, "--toc", "esc", env=BASE_ENV)
    check(toc and toc["sections"][0]["heading"] == "Title ]0;pwned here",
          "--toc --format json: the heading without its control characters: %r" % (toc and toc["sections"][0]["heading"]))
    # A "did you mean" on stderr names documents and anchors: escaped
    # ("\x1b"), where it had sent them to the terminal as they are.
    for what in (["--show", "esc#an"], ["--show", "fi\x1b[31mle.md#x"]):
        rc, _, err = kbtest.query(db, *what, env=BASE_ENV)
        check(rc == 1 and err and not CONTROL.search(err.replace("\n", "")) and "\\x" in err,
              "%s: the message on stderr shows its control characters escaped: %r" % (" ".join(what), err))
    for fmt in ("text", "markdown"):
        rc, out, _ = kbtest.query(db, "--format", fmt, "--limit", "10", "zzesc", env=dict(BASE_ENV, COLUMNS="60"))
        check(rc == 0 and out.count("esc.md#") >= 3 and not CONTROL.search(out),
              "a search as %s: no control character in any result: %r" % (fmt, CONTROL.findall(out)))


def test_echoed_query_never_drives_the_terminal(db):
    """A question pasted from a log may hold escape codes: "Showing results
    for" echoes the corrected question, and drops them as the other words
    kb echoes ("No document contains: ...") do. JSON keeps them, escaped."""
    question = "hradware backup\x1b]0;PWNED\x07"
    rc, out, _ = kbtest.query(db, "--", question, env=BASE_ENV)
    line = next((ln for ln in out.split("\n") if ln.startswith("Showing results for")), None)
    check(rc == 0 and line == "Showing results for hardware backup]0;PWNED" and not CONTROL.search(out),
          "the corrected question is shown without its control characters: %r" % (line,))
    rc, doc, _ = kbtest.query_json(db, "--", question, env=BASE_ENV)
    check(doc is not None and "\x1b" in doc.get("corrected", ""),
          "JSON keeps them: %r" % (doc and doc.get("corrected")))


def test_header_lines_fit_for_every_rank(db):
    """Every line of a result's header (heading, breadcrumb, title, ref)
    fits the terminal and starts under the heading: "10. " is a column
    wider than "9. ", "100. " two."""
    args = ("--all-locales", "--limit", "110", "backup agent")
    _, doc, _ = kbtest.query_json(db, *args, env=BASE_ENV)
    refs = [h["ref"] for h in doc["results"]] if doc else []
    check(len(refs) == 110, "110 results for %r" % (args,))
    for cols in (39, 40, 60):
        _, out, _ = kbtest.query(db, *args, env=dict(BASE_ENV, COLUMNS=str(cols)))
        lines = out.split("\n")
        wide, unaligned, missing, at = [], [], [], 0
        for rank, ref in enumerate(refs, 1):
            # A header runs from "N. heading" to "→ ref"; a numbered list
            # in a section's body may hold "N. " lines too.
            marker = "%d. " % rank
            end = next((j for j in range(at, len(lines)) if lines[j].strip() == "→ " + ref), None)
            start = next((j for j in range(end, at - 1, -1) if lines[j].startswith(marker)), None) if end else None
            if start is None:
                missing.append(rank)
                continue
            at = end + 1
            for j in range(start, end + 1):
                line = lines[j]
                if width(line) > cols and not unbreakable(line, set()):
                    wide.append(line)
                if j > start and (line[:len(marker)].strip() or line[len(marker):len(marker) + 1] == " "):
                    unaligned.append(line)
        check(not missing, "COLUMNS=%d: each result's header ends in its indented ref, ranks missing: %r"
              % (cols, missing[:5]))
        check(not wide, "COLUMNS=%d: no header line is wider, e.g. %r" % (cols, wide[:3]))
        check(not unaligned, "COLUMNS=%d: each header line starts under the heading, e.g. %r" % (cols, unaligned[:3]))
    # A later page numbers on from the one before: "--offset 100" had
    # numbered its results from 1 again, as if they were the best.
    _, out, _ = kbtest.query(db, "--offset", "100", *args, env=dict(BASE_ENV, COLUMNS="80"))
    lines = out.split("\n")
    for rank, ref in enumerate(refs[100:], 101):
        end = next((j for j, line in enumerate(lines) if line.strip() == "→ " + ref), None)
        start = next((j for j in range(end, -1, -1) if re.match(r"\d+\. ", lines[j])), None) if end else None
        check(start is not None and lines[start].startswith("%d. " % rank),
              "--offset 100: %s is numbered %d: %r" % (ref, rank, lines[start] if start is not None else None))

def test_title_falls_back_to_heading():
    """A document whose metadata names no title (an old <properties/>
    element) is titled by its first top-level heading, not " · en-us"."""
    _, db = kbtest.docs_index({"en-us/old.md": '<properties pageTitle="" description="Old page"/>\n\n'
                                               "# Troubleshoot slow backup\n\n## Cause\n\nzzslow disks.\n"},
                              "an old document with no title")
    rc, doc, _ = kbtest.query_json(db, "zzslow", env=BASE_ENV)
    title = doc["results"][0]["title"] if doc and doc.get("results") else None
    check(title == "Troubleshoot slow backup", "the title is the first heading: %r" % title)
    rc, out, _ = kbtest.query(db, "zzslow", env=BASE_ENV)
    check("Troubleshoot slow backup · en-us" in out, "text shows it beside the locale: %r" % out[:300])


def test_title_drops_the_site_name():
    """A page title ends with the site's name after a bar, which
    translations write without its spaces or full-width; a last part of
    more than three words is the page's own."""
    titles = {"Troubleshoot backup | Microsoft Azure": "Troubleshoot backup",
              "Azure 自動化錯誤處理 |Microsoft Azure": "Azure 自動化錯誤處理",
              "Azure 搜尋服務｜Azure": "Azure 搜尋服務",
              "Search | Servicio de nube hospedado de búsqueda": "Search | Servicio de nube hospedado de búsqueda",
              "|Microsoft Azure": "|Microsoft Azure",
              "Logical OR operator (||)": "Logical OR operator (||)", "Use a|b filters": "Use a|b filters"}
    docs = {"en-us/t%d.md" % i: '<properties pageTitle="%s"/>\n\n# H\n\n## Cause\n\nzztitle%d disks.\n' % (t, i)
            for i, t in enumerate(titles)}
    _, db = kbtest.docs_index(docs, "pages titled with a site name")
    for i, (t, want) in enumerate(titles.items()):
        rc, doc, _ = kbtest.query_json(db, "zztitle%d" % i, env=BASE_ENV)
        title = doc["results"][0]["title"] if doc and doc.get("results") else None
        check(title == want, "%r is titled %r: %r" % (t, want, title))


def test_blank_and_headless_documents():
    """A blank page is indexed with no section: --toc says so, not that it
    is missing. A page of text with no heading and no title is named by its
    file, not listed as a blank heading."""
    _, db = kbtest.docs_index({"es-es/empty.md": "\n\n", "es-es/nohead.md": "solo texto zznohead\n",
                               "es-es/other.md": "# Otra\n\ntexto\n"}, "a blank and a headless page")
    rc, toc, _ = kbtest.query_json(db, "--toc", "es-es/empty.md", env=BASE_ENV)
    note = (toc or {}).get("note", "")
    check(rc == 1 and "no section" in note and "no document" not in note, "--toc of a blank page: rc %d, %r" % (rc, note))
    rc, out, _ = kbtest.query_json(db, "zznohead", env=BASE_ENV)
    got = [(h["heading"], h["ref"]) for h in (out or {}).get("results", [])]
    check(got == [("nohead", "es-es/nohead.md#nohead")], "a headless page is named by its file: %r" % got)
    rc, toc, _ = kbtest.query_json(db, "--toc", "es-es/nohead.md", env=BASE_ENV)
    check([s_["heading"] for s_ in (toc or {}).get("sections", [])] == ["nohead"], "...in --toc too: %r" % toc)


def main():
    test_reference_links()
    test_every_ref_shows()
    test_heading_with_a_pipe()
    test_title_falls_back_to_heading()
    test_title_drops_the_site_name()
    test_blank_and_headless_documents()
    test_index_text_never_drives_the_terminal()
    db = kbtest.corpus_index()
    test_echoed_query_never_drives_the_terminal(db)
    test_header_lines_fit_for_every_rank(db)
    test_toc(db)
    test_link_targets_show(db)
    test_full(db)
    test_color(db)
    test_every_section(db)
    finish()


if __name__ == "__main__":
    main()
