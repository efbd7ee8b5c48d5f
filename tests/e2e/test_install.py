"""What `cmake --install` gives an engineer: binaries that run from where
they are put, their messages, the JSON Schema, and man pages and bash
completions that say what --help says.

The build installs into a temporary prefix (the build directory is the
working directory ctest gives e2e tests). The installed binaries index the
bundled corpus and answer in Spanish from the catalogs installed beside
them, with no path of the build or source tree. Each man page documents
every option and exit status its binary's --help lists, and no option the
binary does not take; groff formats it without a warning."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kbtest  # noqa: E402
from kbtest import check  # noqa: E402

BUILD = os.getcwd()


def install(prefix):
    p = subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], capture_output=True, text=True)
    check(p.returncode == 0, "cmake --install exits 0: " + p.stderr[-500:])


def help_options(binary):
    """The long options and exit statuses --help lists."""
    text = subprocess.run([binary, "--help"], capture_output=True, text=True, env={"LANG": "C"}).stdout
    options = set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", text, re.M))
    options |= set(re.findall(r", (--[a-z][a-z-]*)", text))  # "--version, -h, --help"
    statuses = set(re.findall(r"(?:^|[:,] )(\d) ", text[text.index("Exit status"):], re.M))
    return options, statuses


def man_sections(path):
    """The man page's sections, by name, with roff's \\- read as -."""
    src = open(path, encoding="utf-8").read().replace("\\-", "-")
    parts = re.split(r"^\.SH (.+)$", src, flags=re.M)
    return {parts[i].strip('"'): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def check_man_page(binary, page):
    name = os.path.basename(binary)
    options, statuses = help_options(binary)
    check(len(options) >= 8 and len(statuses) >= 4, "%s --help lists options and statuses: %s %s"
          % (name, sorted(options), sorted(statuses)))
    sections = man_sections(page)
    for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "SEE ALSO"):
        check(s in sections, "%s has a %s section" % (page, s))
    documented = set(re.findall(r"^\.(?:B|BI|BR) (--[a-z][a-z-]*)", sections.get("OPTIONS", ""), re.M))
    documented |= set(re.findall(r'^\.BR -\w ", " (--[a-z][a-z-]*)', sections.get("OPTIONS", ""), re.M))
    for o in sorted(options - documented):
        check(False, "%s documents %s, which %s --help lists" % (page, o, name))
    for o in sorted(documented - options):
        check(False, "%s documents %s, which %s --help does not list" % (page, o, name))
    man_statuses = set(re.findall(r"^\.B (\d)$", sections.get("EXIT STATUS", ""), re.M))
    check(statuses <= man_statuses, "%s gives every exit status of --help %s: %s"
          % (page, sorted(statuses), sorted(man_statuses)))
    groff = shutil.which("groff")
    if check(groff is not None, "groff is installed (scripts/install-deps.sh --test)"):
        p = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", page], capture_output=True, text=True)
        check(p.returncode == 0 and p.stderr == "", "groff formats %s without a warning: %s" % (page, p.stderr))


def completions(prefix, name, words):
    """What the installed bash completion of name offers after words (the
    last one being completed)."""
    script = os.path.join(prefix, "share", "bash-completion", "completions", name)
    fn = "_" + name.replace("-", "_")
    quoted = " ".join("'%s'" % w for w in [name] + words)
    cmd = 'source "%s"; COMP_WORDS=(%s); COMP_CWORD=%d; %s; printf "%%s\\n" "${COMPREPLY[@]}"' % (
        script, quoted, len(words), fn)
    p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True)
    return set(p.stdout.split()) if p.returncode == 0 else None


def check_completions(prefix):
    for name in ("kb-index", "kb-query"):
        options, _ = help_options(os.path.join(prefix, "bin", name))
        offered = completions(prefix, name, ["--"])
        check(offered == options, "%s's completion offers the options of --help: %s, missing %s"
              % (name, sorted((offered or set()) - options), sorted(options - (offered or set()))))
    check(completions(prefix, "kb-query", ["--format", "j"]) == {"json"}, "kb-query --format j completes to json")
    check(completions(prefix, "kb-index", ["--format", ""]) == {"text", "json"}, "kb-index --format offers text, json")


def check_installed_binaries(prefix):
    work = kbtest.tmpdir()
    db = os.path.join(work, "kb.sqlite")
    env = {"LANG": "es_ES.UTF-8", "PATH": "/usr/bin:/bin", "HOME": work}
    kb_index = os.path.join(prefix, "bin", "kb-index")
    kb_query = os.path.join(prefix, "bin", "kb-query")
    p = subprocess.run([kb_index, "-q", "--db", db, kbtest.CORPUS], capture_output=True, text=True, env=env, cwd=work)
    check(p.returncode == 0, "the installed kb-index indexes the corpus: %s" % p.stderr[-300:])
    p = subprocess.run([kb_query, "--db", db, "--format", "json", "--limit", "1", "0x80070570"],
                       capture_output=True, text=True, env=env, cwd=work)
    check(p.returncode == 0 and '"match":"error_id"' in p.stdout.replace(" ", ""),
          "the installed kb-query finds an error code: exit %d %s" % (p.returncode, p.stdout[:200]))
    p = subprocess.run([kb_query, "--db", os.path.join(work, "none.sqlite"), "x"],
                       capture_output=True, text=True, env=env, cwd=work)
    check(p.returncode == 3 and "índice" in p.stderr,
          "the installed kb-query speaks Spanish from its installed catalog: %r" % p.stderr)
    # Debug information names the sources; what the program reads at run
    # time must not name the tree it was built in. A sanitizer build names
    # its sources in the reports it would print, by design.
    for binary in () if kbtest.SANITIZED else (kb_index, kb_query):
        stripped = os.path.join(work, os.path.basename(binary) + ".stripped")
        p = subprocess.run(["objcopy", "--strip-debug", binary, stripped], capture_output=True, text=True)
        if not check(p.returncode == 0, "objcopy --strip-debug %s: %s" % (binary, p.stderr)):
            continue
        blob = open(stripped, "rb").read()
        for tree in (BUILD, kbtest.SOURCE):
            tree = os.path.realpath(tree).encode()
            check(tree not in blob, "%s holds no path of the build or source tree (%s)" % (binary, tree.decode()))


def main():
    prefix = os.path.join(kbtest.tmpdir(), "prefix")
    install(prefix)
    for rel in ("bin/kb-index", "bin/kb-query", "share/kb/kb-query.schema.json",
                "share/man/man1/kb-index.1", "share/man/man1/kb-query.1",
                "share/bash-completion/completions/kb-index", "share/bash-completion/completions/kb-query",
                "share/locale/es/LC_MESSAGES/kb.mo"):
        check(os.path.exists(os.path.join(prefix, rel)), "cmake --install puts " + rel)
    for name, folder in (("kb-index", "indexer"), ("kb-query", "query")):
        check_man_page(os.path.join(prefix, "bin", name), os.path.join(prefix, "share", "man", "man1", name + ".1"))
    check_completions(prefix)
    check_installed_binaries(prefix)
    kbtest.finish()


if __name__ == "__main__":
    main()
