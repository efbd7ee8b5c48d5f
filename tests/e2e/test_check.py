"""kb-index --check: the documentation linter.

tests/data/check holds a small tree with one of each problem planted and
clean documents linking in every supported form; the linter must report
exactly the planted problems, at the right file:line with the right
severity, and nothing for the clean links."""
import json
import os
import shutil
import subprocess
import time

from kbtest import KB_INDEX, KB_QUERY, SANITIZED, SOURCE, check, finish, run, tmpdir

TREE = os.path.join(SOURCE, "tests", "data", "check")

# (file, line, severity, code, text the message must contain)
PLANTED = [
    ("bad-utf8.md", 3, "error", "utf8", "byte offset 16"),
    ("binary.md", 3, "error", "binary", "NUL byte at offset 12"),
    ("broken-links.md", 3, "error", "broken-anchor", '"no-such-anchor"'),
    ("broken-links.md", 5, "error", "broken-anchor", '"no-such-section" in guide.md'),
    ("broken-links.md", 7, "error", "missing-target", "missing-doc.md does not exist"),
    ("broken-links.md", 9, "error", "missing-target", "assets/missing.yml does not exist"),
    ("broken-links.md", 11, "warning", "link-outside", "leaves the documentation tree"),
    ("duplicate-anchor.md", 5, "warning", "duplicate-anchor", '"setup"'),
    ("front-matter.md", 2, "error", "front-matter", "an unclosed quote or bracket?"),  # where the quote opens
    ("include-problems.md", 3, "error", "include-missing", "includes/missing.md: not found"),
    ("include-problems.md", 5, "error", "include-outside", "outside the indexed tree"),
    ("include-problems.md", 9, "warning", "include-depth",
     "include includes/deep-1.md: nested deeper than 8 includes: include-problems.md \u2192 includes/deep-1.md"),
    ("includes/cycle.md", 3, "error", "include-cycle",
     "include cycle.md: include cycle: includes/cycle.md \u2192 includes/cycle.md"),
    ("references.md", 5, "error", "undefined-reference", '"[translated title][]" has no definition'),
    ("references.md", 9, "error", "undefined-reference", '"[the missing page][missing]"'),
    ("references.md", 11, "error", "undefined-reference", '"[Bold broken][]"'),
    ("references.md", 16, "error", "undefined-reference", "line 17 looks like one"),
    ("table.md", 6, "warning", "table-cells", "3 cells, header has 2"),
    # the heading after it is code: the link to it is broken too
    ("unclosed-fence.md", 3, "error", "broken-anchor", '"after-the-fence"'),
    ("unclosed-fence.md", 5, "warning", "code-fence", "never closed: the 5 lines after it, 1 of them headings"),
]
N_FILES = 23  # every *.md under the tree, include files too
CLEAN = ["guide.md", "sub", "assets", "media", "includes/note.md", "includes/nested.md"]


def env_without_db(home):
    # Any database kb-index might open would land here.
    return {"XDG_DATA_HOME": home, "KB_DB": os.path.join(home, "kb.sqlite")}


def test_text_reports_exactly_the_planted_problems():
    home = tmpdir()
    rc, out, err = run([KB_INDEX, "--check", TREE], env=env_without_db(home))
    check(rc == 1, "exit 1 when errors are found (got %d)" % rc)
    lines = out.splitlines()
    check(len(lines) == len(PLANTED), "one line per planted problem, got %d:\n%s" % (len(lines), out))
    for (f, line, sev, code, text), got in zip(PLANTED, lines):
        want = "%s:%d: %s: " % (f, line, sev)
        check(got.startswith(want) and text in got and got.endswith(" [%s]" % code),
              "want %r ... %r ... [%s], got %r" % (want, text, code, got))
    errors = sum(1 for p in PLANTED if p[2] == "error")
    warnings = len(PLANTED) - errors
    summary = "%d files checked: %d errors, %d warning%s" % (N_FILES, errors, warnings, "" if warnings == 1 else "s")
    check(err.strip().splitlines()[-1:] == [summary],
          "summary line on stderr: %r" % err)
    check(os.listdir(home) == [], "--check writes no database: %r" % os.listdir(home))


def test_json_matches_the_text_report():
    rc, out, _err = run([KB_INDEX, "--check", "--format", "json", TREE])
    check(rc == 1, "json mode: exit 1 (got %d)" % rc)
    try:
        doc = json.loads(out)
    except ValueError:
        check(False, "json mode prints one JSON document: %r" % out[:200])
        return
    check(doc.get("schema") == 1, "schema 1")
    got = [(p["file"], p["line"], p["severity"], p["code"]) for p in doc.get("problems", [])]
    want = [p[:4] for p in PLANTED]
    check(got == want, "json problems:\n%r\nwant\n%r" % (got, want))
    check(all(t in p["message"] for p, (_, _, _, _, t) in zip(doc.get("problems", []), PLANTED)),
          "json messages match")
    check(doc.get("files") == N_FILES, "files = %r" % doc.get("files"))
    check(doc.get("errors") == sum(1 for p in PLANTED if p[2] == "error"), "errors = %r" % doc.get("errors"))
    check(doc.get("warnings") == sum(1 for p in PLANTED if p[2] == "warning"), "warnings = %r" % doc.get("warnings"))


def test_clean_tree_exits_zero():
    # The clean documents alone: every link form that must resolve, an
    # include with a nested include, a link to a .yml and an image.
    root = tmpdir()
    for name in CLEAN:
        src, dst = os.path.join(TREE, name), os.path.join(root, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copy(src, dst)
    rc, out, err = run([KB_INDEX, "--check", root])
    check(rc == 0 and out == "", "clean tree: exit 0, no problem (rc %d):\n%s" % (rc, out))
    check("4 files checked: 0 errors, 0 warnings" in err, "clean summary: %r" % err)
    rc, out, _ = run([KB_INDEX, "--check", "--format", "json", root])
    check(rc == 0 and json.loads(out) == {"schema": 1, "problems": [], "files": 4, "errors": 0, "warnings": 0},
          "clean json: %r" % out)
    # Warnings alone do not fail the check.
    shutil.copy(os.path.join(TREE, "table.md"), root)
    rc, out, _ = run([KB_INDEX, "--check", root])
    check(rc == 0 and out.startswith("table.md:6: warning:"), "warnings only: exit 0 (rc %d) %r" % (rc, out))
    shutil.rmtree(root)


def test_names_not_utf8_are_errors_named_escaped():
    # A file or directory whose name is not UTF-8 is left out by kb-index:
    # an error of that file, named escaped so that text and JSON carry it.
    root = tmpdir().encode()
    with open(os.path.join(root, b"good.md"), "w") as f:
        f.write("# Good\n\n[x](#nope)\n")
    with open(os.path.join(root, b"bad\xffname.md"), "w") as f:
        f.write("# Bad\n\n[x](#nope)\n")
    os.makedirs(os.path.join(root, b"dir\xf1o"))
    with open(os.path.join(root, b"dir\xf1o", b"x.md"), "w") as f:
        f.write("# X\n")
    rc, out, _ = run([KB_INDEX, "--check", "--format", "json", root])
    try:
        doc = json.loads(out)
    except ValueError:
        check(False, "bad names: one JSON document: %r" % out[:200])
        return
    got = [(p.get("file"), p["line"], p["severity"], p["code"]) for p in doc["problems"]]
    want = [("bad\\xffname.md", 0, "error", "utf8"), ("dir\\xf1o", 0, "error", "utf8"),
            ("good.md", 3, "error", "broken-anchor")]
    check(rc == 1 and got == want, "bad names: each an error with its name escaped (rc %d):\n%r" % (rc, got))
    check(doc["files"] == 1 and doc["errors"] == 3, "bad names: counted %r" % doc)
    rc, out, _ = run([KB_INDEX, "--check", root])
    check("bad\\xffname.md: error: name is not valid UTF-8, skipped [utf8]\n" in out, "bad names, text: %r" % out)


def test_include_problems_name_the_line_s_include_and_the_chain():
    # A cycle between two include files is reported by each at the line
    # that includes the other, with the chain; the page that includes one
    # of them reports nothing (each file of the cycle does).
    root = tmpdir()
    os.makedirs(os.path.join(root, "includes"))
    files = {"doc.md": "# Doc\n\n[!INCLUDE [a](includes/a.md)]\n",
             "includes/a.md": "a1\n\n[!INCLUDE [b](b.md)]\n",
             "includes/b.md": "b1\nb2\nb3\n\n[!INCLUDE [a](a.md)]\n",
             "deep.md": "# Deep\n\n[!INCLUDE [d](includes/d1.md)]\n"}
    for i in range(1, 11):
        files["includes/d%d.md" % i] = "d%d\n\n[!INCLUDE [next](d%d.md)]\n" % (i, i + 1)
    files["includes/d11.md"] = "end\n"
    for name, text in files.items():
        with open(os.path.join(root, name), "w") as f:
            f.write(text)
    rc, out, _ = run([KB_INDEX, "--check", root])
    chain = " \u2192 ".join("includes/d%d.md" % i for i in range(1, 10))
    want = ["deep.md:3: warning: include includes/d1.md: nested deeper than 8 includes: deep.md \u2192 " + chain
            + " [include-depth]",
            "includes/a.md:3: error: include b.md: include cycle: "
            "includes/a.md \u2192 includes/b.md \u2192 includes/a.md [include-cycle]",
            "includes/b.md:5: error: include a.md: include cycle: "
            "includes/b.md \u2192 includes/a.md \u2192 includes/b.md [include-cycle]"]
    check(rc == 1 and out.splitlines() == want, "include problems (rc %d):\n%s\nwant\n%s" % (rc, out, "\n".join(want)))


def test_includes_that_multiply_are_bounded():
    # Ten includes of ten includes of ten includes of a 17 KB leaf make the
    # page 17 MB (one level more, 170). Both the linter and the indexer stop
    # at --max-file-size, with one message at the page's line.
    root = tmpdir()
    os.makedirs(os.path.join(root, "includes"))
    files = {"page.md": "# Page\n\n[!INCLUDE [l1](includes/l1.md)]\n",
             "includes/l4.md": "leafword " * 1900 + "\n"}
    for i in range(1, 4):
        files["includes/l%d.md" % i] = "".join("[!INCLUDE [x](l%d.md)]\n" % (i + 1) for _ in range(10))
    for name, text in files.items():
        with open(os.path.join(root, name), "w") as f:
            f.write(text)
    rc, out, _ = run([KB_INDEX, "--check", "--max-file-size", "2", root], timeout=60)
    check(rc == 1 and len(out.splitlines()) == 1 and
          out.startswith("page.md:3: error: include includes/l1.md: includes/l4.md would make the document "
                         "with its includes larger than 2 MB"),
          "the linter names the page's include once (rc %d):\n%s" % (rc, out[:600]))
    db = os.path.join(tmpdir(), "kb.sqlite")
    rc, _, err = run([KB_INDEX, "--db", db, "--max-file-size", "1", root], timeout=60)
    check(rc == 0 and err.count("larger than 1 MB") == 1, "the indexer warns once (rc %d): %s" % (rc, err[-600:]))
    rc, out, _ = run([KB_QUERY, "--db", db, "--format", "json", "leafword"])
    check(rc == 0 and '"page.md"' in out, "the page is indexed up to the bound (rc %d)" % rc)


def test_many_headings_and_table_cells():
    """A page of 100,000 headings is checked in time linear in its size
    (each slug was looked for in a list of the page's anchors: 13 s); a
    page of over 100,000 table cells is an error of its own, "too-costly"
    (kb-index skips it)."""
    root = tmpdir()
    with open(os.path.join(root, "headings.md"), "w") as f:
        f.write("# T\n\n" + "".join("## Heading %d\n\ntext\n\n" % i for i in range(99999)))  # 100,000 with "# T"
    with open(os.path.join(root, "cells.md"), "w") as f:
        f.write("# Cells\n\n" + "| c " * 400 + "|\n" + "|---" * 400 + "|\n" + ("| x " * 400 + "|\n") * 300)
    # a link into the page that was not parsed is not called broken
    with open(os.path.join(root, "link.md"), "w") as f:
        f.write("# Link\n\nSee [the cells](cells.md#cells).\n")
    limit = 60 if SANITIZED else 8
    t0 = time.monotonic()
    rc, out, _ = run([KB_INDEX, "--check", "--format", "json", root], timeout=600)
    secs = time.monotonic() - t0
    problems = json.loads(out)["problems"] if out.strip() else []
    check(rc == 1 and secs < limit and [(p["file"], p["code"], p["severity"]) for p in problems] ==
          [("cells.md", "too-costly", "error")],
          "100,000 headings in under %d s, and the page of cells too costly (rc %d, %.1f s): %s" % (limit, rc, secs, out[:300]))


def test_unreadable_root_is_a_usage_error():
    rc, _out, err = run([KB_INDEX, "--check", os.path.join(tmpdir(), "no-such-dir")])
    check(rc == 2, "missing DIR: exit 2 (got %d) %r" % (rc, err))


def test_names_with_control_characters_stay_on_one_line():
    # A newline in a file name once split its problem over two lines, and
    # an ESC sequence reached the terminal.
    root = tmpdir()
    for name in ("new\nline.md", "esc\x1b[31m.md"):
        with open(os.path.join(root, name), "w") as f:
            f.write("# T\n\n[x](#nope)\n")
    rc, out, _ = run([KB_INDEX, "--check", root])
    check(rc == 1 and "\x1b" not in out and sorted(out.splitlines()) ==
          ['esc\\x1b[31m.md:3: error: broken link "#nope": no anchor "nope" in this document [broken-anchor]',
           'new\\x0aline.md:3: error: broken link "#nope": no anchor "nope" in this document [broken-anchor]'],
          "one escaped line per problem (rc %d): %r" % (rc, out))
    db = os.path.join(tmpdir(), "kb.sqlite")
    rc, _, err = run([KB_INDEX, "--db", db, "--max-file-size", "0.00001", root])
    check(rc == 0 and "\x1b" not in err and "new\\x0aline.md: file larger" in err,
          "kb-index warnings name the files escaped (rc %d): %r" % (rc, err))


def test_several_dirs_name_their_folder():
    base = tmpdir()
    for tree in ("one", "two"):
        os.makedirs(os.path.join(base, tree, "en-us"))
        with open(os.path.join(base, tree, "en-us", "a.md"), "w") as f:
            f.write("# T\n\n[x](#nope)\n")
    rc, out, _ = run([KB_INDEX, "--check", os.path.join(base, "one"), os.path.join(base, "two")])
    check(rc == 1 and [l.split(":")[0] for l in out.splitlines()] == ["one/en-us/a.md", "two/en-us/a.md"],
          "each file named after its tree's folder (rc %d): %r" % (rc, out))


def test_missing_dir_in_json_mode_prints_a_json_error():
    rc, out, err = run([KB_INDEX, "--check", "--format", "json", os.path.join(tmpdir(), "no-such-dir")])
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    check(rc == 2 and doc is not None and doc.get("error") == "unreadable-dir" and "no-such-dir" in doc.get("message", ""),
          "a JSON error document (rc %d): %r" % (rc, out))


def test_utf16_and_broken_links_say_what_they_are():
    root = tmpdir()
    with open(os.path.join(root, "u16.md"), "wb") as f:
        f.write("# Title\n".encode("utf-16"))
    # UTF-32, whose little-endian mark starts as UTF-16's: it had been
    # called UTF-16 (and big-endian UTF-32 binary)
    for name, codec in (("u32le.md", "utf-32-le"), ("u32be.md", "utf-32-be")):
        with open(os.path.join(root, name), "wb") as f:
            f.write("\ufeff# Title\n".encode(codec))
    os.symlink("nowhere.md", os.path.join(root, "dangling.md"))
    rc, out, _ = run([KB_INDEX, "--check", root])
    u32 = "error: UTF-32 text (byte order mark): convert the file to UTF-8 [utf8]"
    check(rc == 1 and out.splitlines() == ["dangling.md: warning: broken symbolic link, skipped [walk]",
                                           "u16.md: error: UTF-16 text (byte order mark): convert the file to UTF-8"
                                           " [utf8]", "u32be.md: " + u32, "u32le.md: " + u32],
          "UTF-16, UTF-32 and a dangling link named as such (rc %d): %r" % (rc, out))
    db = os.path.join(tmpdir(), "kb.sqlite")
    rc, _, err = run([KB_INDEX, "--db", db, root])
    check(rc == 0 and "kb-index: warning: dangling.md: broken symbolic link, skipped" in err
          and "u16.md: UTF-16 text" in err and "u32le.md: UTF-32 text" in err and "u32be.md: UTF-32 text" in err
          and "binary" not in err, "kb-index says the same (rc %d): %r" % (rc, err))


def test_a_report_that_cannot_be_written_exits_4():
    """stdout on /dev/full: the report is lost, so exit 4 with a line on
    stderr, as kb-query does (it had exited 0, or 1, with nothing written)."""
    clean = tmpdir()
    with open(os.path.join(clean, "a.md"), "w") as f:
        f.write("# A\n\nText.\n")
    for label, root, fmt in (("json, clean tree", clean, "json"), ("text, planted problems", TREE, "text")):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([KB_INDEX, "--check", "--format", fmt, root], stdout=full,
                               stderr=subprocess.PIPE, timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        check(p.returncode == 4 and "cannot write to standard output" in err,
              "%s on /dev/full: exit 4 and a message (rc %d: %r)" % (label, p.returncode, err[-300:]))


def test_docfx_tabs_are_not_broken_links():
    # A tab is "# [Name](#tab/id)": no link to an anchor, but DocFX's
    # syntax. --check had called each one a broken link, failing a tree
    # that uses tabs.
    root = tmpdir()
    shutil.copy(os.path.join(SOURCE, "tests", "data", "md", "tabs.md"), root)
    rc, out, err = run([KB_INDEX, "--check", root])
    check(rc == 0 and out == "", "tabs: exit 0, no problem (rc %d):\n%s" % (rc, out))
    shutil.rmtree(root)


test_text_reports_exactly_the_planted_problems()
test_json_matches_the_text_report()
test_docfx_tabs_are_not_broken_links()
test_clean_tree_exits_zero()
test_names_not_utf8_are_errors_named_escaped()
test_include_problems_name_the_line_s_include_and_the_chain()
test_includes_that_multiply_are_bounded()
test_many_headings_and_table_cells()
test_unreadable_root_is_a_usage_error()
test_names_with_control_characters_stay_on_one_line()
test_several_dirs_name_their_folder()
test_missing_dir_in_json_mode_prints_a_json_error()
test_utf16_and_broken_links_say_what_they_are()
test_a_report_that_cannot_be_written_exits_4()
finish()
