"""Messages: the UI language comes from --lang, else the environment, and every
catalog is complete and well-formed.

Each run gets a clean environment (no inherited LANG, LC_*, LANGUAGE), so the
result does not depend on the machine's or the CI runner's locale. Locales
are usually NOT installed here (Debian minimal: C, C.UTF-8, POSIX only);
kb must translate anyway. Where localedef and the locale sources exist, the
test also compiles de_DE.UTF-8 and fr_FR.UTF-8 into a temporary LOCPATH to
exercise the installed-locale path, where a stray setlocale(LC_ALL, "")
would really turn decimal points into commas."""
import glob
import json
import os
import re
import shutil
import subprocess

from kbtest import CORPUS, KB_INDEX, KB_QUERY, SOURCE, check, finish, tmpdir

PO_DIR = os.path.join(SOURCE, "i18n", "po")
REQUIRED = ["en", "es", "de", "fr", "pt", "ja", "zh"]
# language -> (--lang value, LANG value, words its --help must contain)
LANGS = {
    "es": ("es", "es_ES.UTF-8", ["Uso: kb-query", "OPCIÓN", "CONSULTA"]),
    "de": ("de", "de_DE.UTF-8", ["Aufruf: kb-query", "ANFRAGE"]),
    "fr": ("fr", "fr_FR.UTF-8", ["Utilisation : kb-query", "REQUÊTE"]),
    "pt": ("pt", "pt_BR.UTF-8", ["Uso: kb-query", "OPÇÃO"]),
    "ja": ("ja", "ja_JP.UTF-8", ["使い方: kb-query", "オプション"]),
    "zh": ("zh", "zh_CN.UTF-8", ["用法：kb-query", "选项"]),
    "zh_TW": ("zh-TW", "zh_TW.UTF-8", ["用法：kb-query", "選項"]),
}
REMEDY_REF = "es-es/backup-azure-mars-troubleshoot.md#invalid-vault-credentials-provided"


def run(args, **env):
    """Runs with only PATH from the outside world plus the given variables."""
    e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    e.update({k: v for k, v in env.items() if v is not None})
    p = subprocess.run(args, capture_output=True, env=e, timeout=600)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def parse_po(path):
    """[(msgid, msgstr, fuzzy)] of the live entries (no header, no #~). Of a
    plural entry, msgstr is its first form, or "" if any form is empty."""
    entries, cur, field, fuzzy = [], None, None, False

    def unq(s):
        out, i = [], 0
        while i < len(s):
            if s[i] == "\\":
                out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(s[i + 1], s[i + 1]))
                i += 2
            else:
                out.append(s[i])
                i += 1
        return "".join(out)

    def flush():
        nonlocal cur
        if cur is not None and cur["msgid"]:
            forms = cur.get("forms")
            msgstr = (forms[0] if all(forms) else "") if forms else cur.get("msgstr", "")
            entries.append((cur["msgid"], msgstr, cur["fuzzy"]))
        cur = None

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#,"):
                fuzzy = "fuzzy" in line
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith("msgid "):
                flush()
                cur = {"msgid": unq(line[7:-1]), "fuzzy": fuzzy}
                field, fuzzy = "msgid", False
            elif line.startswith("msgid_plural "):
                field = "plural"
                cur["plural"] = unq(line[14:-1])
            elif line.startswith("msgstr "):
                field = "msgstr"
                cur["msgstr"] = unq(line[8:-1])
            elif line.startswith("msgstr["):
                field = "form"
                cur.setdefault("forms", []).append(unq(line[line.index('"') + 1:-1]))
            elif line.startswith('"') and cur is not None:
                if field == "form":
                    cur["forms"][-1] += unq(line[1:-1])
                else:
                    cur[field] += unq(line[1:-1])
    flush()
    return entries


def compile_locales(where):
    """Compiles de_DE.UTF-8 and fr_FR.UTF-8 under where; None if impossible."""
    if not shutil.which("localedef"):
        return None
    os.makedirs(where, exist_ok=True)
    for name in ("de_DE", "fr_FR"):
        if not os.path.exists("/usr/share/i18n/locales/" + name):
            return None
        p = subprocess.run(["localedef", "-i", name, "-f", "UTF-8", os.path.join(where, name + ".UTF-8")],
                           capture_output=True)
        if not os.path.isdir(os.path.join(where, name + ".UTF-8")):
            print("localedef %s failed: %s" % (name, p.stderr.decode()))
            return None
    return where


def test_catalogs():
    pot = os.path.join(PO_DIR, "kb.pot")
    check(os.path.exists(pot), "i18n/po/kb.pot exists")
    msgids = [m for m, _, _ in parse_po(pot)]
    check(len(msgids) > 20, "kb.pot holds the UI messages (%d)" % len(msgids))
    for must in ("Cause", "Recommended actions", "No results.", "Showing results for"):
        check(must in msgids, "kb.pot has %r" % must)
    for lang in REQUIRED:
        check(os.path.exists(os.path.join(PO_DIR, lang + ".po")), "catalog %s.po exists" % lang)
    for po in sorted(glob.glob(os.path.join(PO_DIR, "*.po"))):
        name = os.path.basename(po)
        p = subprocess.run(["msgfmt", "--check", "-o", os.devnull, po], capture_output=True)
        check(p.returncode == 0, "msgfmt --check %s: %s" % (name, p.stderr.decode().strip()))
        have = {m: (s, fz) for m, s, fz in parse_po(po)}
        untranslated = [m for m in msgids if m not in have or not have[m][0]]
        fuzzy = [m for m in msgids if m in have and have[m][1]]
        check(not untranslated, "%s translates every msgid of kb.pot; missing: %r" % (name, untranslated[:3]))
        check(not fuzzy, "%s has no fuzzy entries: %r" % (name, fuzzy[:3]))


def test_pot_is_current():
    """kb.pot holds every message the sources mark (_() and N_()): one
    missing is shown in English to every reader, and no catalog check above
    can see it (the catalogs translate what kb.pot lists). Ten such messages
    had gone unnoticed. scripts/update-po.sh regenerates it."""
    if not shutil.which("xgettext"):
        print("SKIP: no xgettext to read the sources with")
        return
    fresh = os.path.join(tmpdir(), "fresh.pot")
    files = sorted(glob.glob(os.path.join(SOURCE, d, "*.[ch]")) for d in ("common", "i18n", "indexer", "query"))
    p = subprocess.run(["xgettext", "--language=C", "--from-code=UTF-8", "--keyword=_", "--keyword=N_",
                        "--keyword=P_:1,2", "-o", fresh]
                       + [f for group in files for f in group], capture_output=True)
    if not check(p.returncode == 0, "xgettext reads the sources: %s" % p.stderr.decode()[-300:]):
        return
    have = {m for m, _, _ in parse_po(os.path.join(PO_DIR, "kb.pot"))}
    missing = [m for m, _, _ in parse_po(fresh) if m not in have]
    check(not missing, "kb.pot has every message of the sources (run scripts/update-po.sh); missing: %r" % missing[:3])


def test_help_follows_lang_option(english):
    for lang, (opt, _, words) in LANGS.items():
        rc, out, err = run([KB_QUERY, "--lang", opt, "--help"])
        check(rc == 0, "--lang %s --help exits 0 (%d: %s)" % (opt, rc, err))
        check(out != english, "--lang %s --help differs from the English help" % opt)
        for w in words:
            check(w in out, "--lang %s --help says %r; got %r" % (opt, w, out[:60]))
    # regional and Traditional-Chinese tags reach the right catalog
    for opt, word in (("es-ES", "OPCIÓN"), ("pt_BR.UTF-8", "OPÇÃO"), ("zh-HK", "選項"), ("zh-Hant", "選項"),
                      ("zh-CN", "选项")):
        rc, out, _ = run([KB_QUERY, "--lang", opt, "--help"])
        check(word in out, "--lang %s --help says %r; got %r" % (opt, word, out[:60]))
    rc, out, _ = run([KB_QUERY, "--lang", "en", "--help"], LANG="de_DE.UTF-8")
    check(out == english, "--lang en beats LANG=de_DE.UTF-8")
    rc, out, _ = run([KB_QUERY, "--lang", "es", "--help"], LANG="de_DE.UTF-8", LANGUAGE="fr")
    check("OPCIÓN" in out, "--lang es beats LANG and LANGUAGE; got %r" % out[:60])
    rc, out, _ = run([KB_QUERY, "--lang", "it", "--help"])
    check(out == english, "a language with no catalog falls back to English")
    # every spelling getopt accepts, not only "--lang es" (--lang=es once
    # gave Spanish results with English messages and labels)
    spanish = run([KB_QUERY, "--lang", "es", "--help"])[1]
    for argv in (["--lang=es"], ["--lan", "es"], ["-l", "es"], ["--help", "--lang=es"]):
        rc, out, _ = run([KB_QUERY, *argv, "--help"])
        check(out == spanish, "%s --help is the Spanish help; got %r" % (" ".join(argv), out[:60]))


def test_help_follows_environment(english):
    for lang, (_, env_lang, words) in LANGS.items():
        rc, out, _ = run([KB_QUERY, "--help"], LANG=env_lang)
        check(words[0] in out and words[1] in out,
              "LANG=%s (not installed) --help says %r; got %r" % (env_lang, words[1], out[:60]))
    rc, out, _ = run([KB_QUERY, "--help"], LANG="de_DE.UTF-8", LC_ALL="fr_FR.UTF-8")
    check("REQUÊTE" in out, "LC_ALL beats LANG; got %r" % out[:60])
    rc, out, _ = run([KB_QUERY, "--help"], LANG="de_DE.UTF-8", LC_MESSAGES="ja_JP.UTF-8")
    check("オプション" in out, "LC_MESSAGES beats LANG; got %r" % out[:60])
    rc, out, _ = run([KB_QUERY, "--help"], LANG="ja_JP.UTF-8", LANGUAGE="pt:es")
    check("OPÇÃO" in out, "LANGUAGE beats LANG, as in GNU gettext; got %r" % out[:60])
    rc, out, _ = run([KB_QUERY, "--help"], LANG="C.UTF-8", LANGUAGE="es")
    check("OPCIÓN" in out, "LANGUAGE applies under C.UTF-8; got %r" % out[:60])
    for env in ({}, {"LANG": "C"}, {"LANG": "C.UTF-8"}, {"LC_ALL": "C", "LANG": "de_DE.UTF-8"},
                {"LANG": "POSIX", "LANGUAGE": "de"}):
        rc, out, _ = run([KB_QUERY, "--help"], **env)
        check(out == english, "%r gives the English help" % env)
    rc, out, _ = run([KB_INDEX, "--help"], LANG="de_DE.UTF-8")
    check("Aufruf: kb-index" in out, "kb-index follows LANG too; got %r" % out[:60])
    rc, _, err = run([KB_QUERY, "--no-such-option"], LANG="fr_FR.UTF-8")
    check(rc == 2 and "option inconnue" in err and "--no-such-option" in err,
          "usage errors are translated and name the option (rc %d): %r" % (rc, err[-80:]))


def test_installed_locales(locpath, db):
    """The same choices when the locale exists: gettext's native path."""
    rc, out, _ = run([KB_QUERY, "--help"], LOCPATH=locpath, LANG="de_DE.UTF-8")
    check("ANFRAGE" in out, "installed de_DE.UTF-8: German help; got %r" % out[:60])
    rc, out, _ = run([KB_QUERY, "--lang", "ja", "--help"], LOCPATH=locpath, LANG="de_DE.UTF-8")
    check("オプション" in out, "installed de_DE.UTF-8: --lang ja still wins; got %r" % out[:60])
    for env in ({"LANG": "de_DE.UTF-8"}, {"LC_ALL": "fr_FR.UTF-8"}):
        check_json_numbers(db, dict(env, LOCPATH=locpath), "installed %r" % env)
        # jansson writes "." whatever LC_NUMERIC says; printf does not
        out_db = os.path.join(os.path.dirname(db), "numeric.sqlite")
        rc, out, err = run([KB_INDEX, "--db", out_db, CORPUS], LOCPATH=locpath, **env)
        seconds = re.findall(r"(\d+[.,]\d\d) s", out)
        check(rc == 0 and seconds and all("." in x for x in seconds),
              "installed %r: kb-index's summary keeps '.' in numbers: %r" % (env, out.splitlines()[-1:]))
        os.remove(out_db)


def check_json_numbers(db, env, what):
    rc, out, err = run([KB_QUERY, "--db", db, "--format", "json", "--limit", "3", "0x80070570"], **env)
    scores = re.findall(r'"score":\s*([^,}\]]*)', out)
    check(rc == 0 and scores, "%s: JSON results (%d: %s)" % (what, rc, err[-80:]))
    check(all(re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", s) for s in scores),
          "%s: scores use '.' as the decimal point: %r" % (what, scores))
    try:
        doc = json.loads(out)
        check(all(isinstance(r["score"], float) for r in doc["results"]), "%s: scores parse as numbers" % what)
    except ValueError:
        check(False, "%s: output is valid JSON" % what)


def test_remediation_labels(db):
    rc, out, err = run([KB_QUERY, "--db", db, "--lang", "es", "--show", REMEDY_REF])
    check(rc == 0, "--show %s exits 0 (%d: %s)" % (REMEDY_REF, rc, err))
    check("Causa:" in out and "Acciones recomendadas:" in out,
          "--lang es labels the remediation 'Causa:' / 'Acciones recomendadas:'")
    check("Cause:" not in out and "Recommended actions:" not in out, "--lang es shows no English labels")
    for opt in (["--lang=es"], ["--format", "json", "--lang=es"]):
        rc, out2, _ = run([KB_QUERY, "--db", db, *opt, "--show", REMEDY_REF])
        check("Acciones recomendadas:" in out2 and "Recommended actions:" not in out2,
              "%s labels the remediation in Spanish too" % " ".join(opt))
    rc, out, _ = run([KB_QUERY, "--db", db, "--show", REMEDY_REF], LANG="ja_JP.UTF-8")
    check("原因:" in out and "推奨される操作:" in out, "LANG=ja_JP.UTF-8 labels the remediation in Japanese")
    rc, out, _ = run([KB_QUERY, "--db", db, "--show", REMEDY_REF])
    check("Cause:" in out and "Recommended actions:" in out, "no locale: English labels")
    rc, _, err = run([KB_QUERY, "--db", db, "--lang", "fr", "zzqqxxwvvk"])
    check(rc == 1 and "Aucun résultat." in err, "'No results.' is translated (rc %d): %r" % (rc, err))


def test_index_text_ignores_ui_language(d):
    """Labels rendered into the indexed text must not follow kb-index's UI
    language: a German "Hinweis" would become a word of English documents, and
    a contentless FTS5 row is deleted by re-rendering its text, so an update
    run under another language would present different text than was indexed."""
    db = os.path.join(d, "de.sqlite")
    rc, _, err = run([KB_INDEX, "--quiet", "--db", db, CORPUS], LANG="de_DE.UTF-8")
    check(rc == 0, "kb-index under LANG=de_DE.UTF-8 (%d: %s)" % (rc, err[-200:]))
    rc, out, _ = run([KB_QUERY, "--db", db, "--format", "json", "--exact", "--locale-only", "en-us", "Hinweis"])
    hits = [r["ref"] for r in json.loads(out).get("results", [])] if out.strip() else []
    check(not hits, "an index built under LANG=de_DE.UTF-8 has no German labels in English documents: %r"
          % hits[:3])


def test_index_diagnostics_follow_ui_language(d):
    """A maintainer reads kb-index's diagnostics about broken docs in the UI
    language, not English under a translated "advertencia:"; --check's codes,
    which tools key on, stay the same in every language."""
    tree = os.path.join(d, "broken")
    os.makedirs(tree, exist_ok=True)
    with open(os.path.join(tree, "a.md"), "w", encoding="utf-8") as f:
        f.write("# Uno\n\n[!INCLUDE [x](includes/missing.md)]\n\n<a name=\"x\"></a>\n## A\n\n"
                "<a name=\"x\"></a>\n## B\n\n[back](#nope)\n")
    db = os.path.join(d, "broken.sqlite")
    rc, _, err = run([KB_INDEX, "--quiet", "--db", db, tree], LANG="es_ES.UTF-8")
    check(rc == 0, "kb-index of a tree with a missing include (%d: %s)" % (rc, err[-200:]))
    check("include includes/missing.md: no se encuentra" in err and "not found" not in err,
          "kb-index's include warning in Spanish; got %r" % err[-300:])
    # past the first 20 of a kind, one line counts the rest, in Spanish too
    for i in range(22):
        with open(os.path.join(tree, "p%02d.md" % i), "w", encoding="utf-8") as f:
            f.write("# P\n\n[!INCLUDE [x](includes/gone.md)]\n")
    rc, _, err = run([KB_INDEX, "--quiet", "--full", "--db", db, tree], LANG="es_ES.UTF-8")
    check(rc == 0 and "3 advertencias más «include-missing» no se muestran" in err and " more " not in err,
          "the count of warnings not shown is in Spanish; got %r" % err.splitlines()[-1:])
    # a run that parses none of them again still counts them, in Spanish
    rc, _, err = run([KB_INDEX, "--quiet", "--db", db, tree], LANG="es_ES.UTF-8")
    check(rc == 0 and "23 documentos sin cambios siguen teniendo los problemas" in err and "unchanged" not in err,
          "the count of unchanged broken documents is in Spanish; got %r" % err.splitlines()[-1:])
    # the summary's counts each in their plural: one locale, many documents
    rc, out, _ = run([KB_INDEX, "--db", db, tree], LANG="es_ES.UTF-8")
    check(rc == 0 and "kb-index: 23 documentos, 25 secciones, 0 ID de error, 1 configuración regional en " in out
          and "(0 añadidos, 0 modificados, 0 eliminados, 23 sin cambios, 0 omitidos)" in out
          and out.split()[:2] == ["config.", "regional"],
          "kb-index's summary in Spanish plurals; got %r" % out)
    # --check's summary counts in the language's plural: one warning, many errors
    rc, _, err = run([KB_INDEX, "--check", tree], LANG="es_ES.UTF-8")
    check(err.strip().endswith("23 archivos revisados: 24 errores, 1 advertencia"),
          "--check's summary in Spanish plurals; got %r" % err.strip().splitlines()[-1:])
    # Two problems on one line, whose messages sort one way in English
    # ("broken anchor" < "include") and the other in Spanish ("include" <
    # "vínculo roto"): the list is in the same order in every language.
    with open(os.path.join(tree, "b.md"), "w", encoding="utf-8") as f:
        f.write("# B\n\n[!INCLUDE [x](includes/missing.md)] [back](#nope)\n")
    codes = {}
    for env in ({}, {"LANG": "es_ES.UTF-8"}, {"LANG": "ja_JP.UTF-8"}):
        rc, out, err = run([KB_INDEX, "--check", "--format", "json", tree], **env)
        problems = json.loads(out)["problems"] if out.strip() else []
        codes[repr(env)] = [(p["file"], p["line"], p["code"]) for p in problems]
        messages = " ".join(p["message"] for p in problems)
        if env.get("LANG", "").startswith("es"):
            check("ancla duplicada" in messages and "no se encuentra" in messages and "vínculo roto" in messages,
                  "--check's messages follow LANG=es; got %r" % messages[:200])
    check(len(set(map(str, codes.values()))) == 1 and ("a.md", 3, "include-missing") in codes["{}"]
          and ("a.md", 9, "duplicate-anchor") in codes["{}"] and ("a.md", 11, "broken-anchor") in codes["{}"]
          and [c for f, l, c in codes["{}"] if f == "b.md"] == ["broken-anchor", "include-missing"],
          "--check's codes are the same, in the same order, in every language: %r" % codes)


def test_yaml_errors_follow_ui_language(d):
    """libyaml's own words for a front-matter error (it has no catalog) are
    in the UI language too, in kb-index's warning and in --check's JSON."""
    tree = os.path.join(d, "bad-yaml")
    os.makedirs(tree, exist_ok=True)
    with open(os.path.join(tree, "a.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: ok bad: x\n---\n# A\n\ntext\n")
    with open(os.path.join(tree, "b.md"), "w", encoding="utf-8") as f:
        f.write('---\ntitle: "never closed\ndescription: x\n---\n# B\n\ntext\n')
    problem, context = "mapping values are not allowed in this context", "while scanning a quoted scalar"
    for lang, env in (("es", "es_ES.UTF-8"), ("ja", "ja_JP.UTF-8"), ("de", "de_DE.UTF-8")):
        po = dict((i, s) for i, s, fuzzy in parse_po(os.path.join(PO_DIR, lang + ".po")) if not fuzzy)
        want = [po.get(problem), po.get(context)]
        check(all(want), "%s.po translates libyaml's %r and %r" % (lang, problem, context))
        rc, _, err = run([KB_INDEX, "--quiet", "--db", os.path.join(d, "bad-yaml-%s.sqlite" % lang), tree], LANG=env)
        check(rc == 0 and all(w and w in err for w in want) and problem not in err and context not in err,
              "kb-index's front-matter warnings in %s; got %r" % (lang, err))
        rc, out, _ = run([KB_INDEX, "--check", "--format", "json", tree], LANG=env)
        messages = " ".join(p["message"] for p in json.loads(out)["problems"]) if out.strip() else ""
        check(rc == 1 and all(w and w in messages for w in want), "--check's front-matter errors in %s; got %r"
              % (lang, messages))
    rc, out, _ = run([KB_INDEX, "--check", tree])
    check(problem in out and context in out, "in English, libyaml's own words; got %r" % out)


def main():
    d = tmpdir()
    rc, english, _ = run([KB_QUERY, "--help"])
    check(rc == 0 and english.startswith("Usage: kb-query"), "English help with no locale set")
    test_catalogs()
    test_pot_is_current()
    test_help_follows_lang_option(english)
    test_help_follows_environment(english)
    db = os.path.join(d, "kb.sqlite")
    rc, _, err = run([KB_INDEX, "--quiet", "--db", db, CORPUS])
    check(rc == 0, "kb-index of the corpus (%d: %s)" % (rc, err[-200:]))
    test_remediation_labels(db)
    for env in ({"LANG": "de_DE.UTF-8"}, {"LC_ALL": "fr_FR.UTF-8"}):
        check_json_numbers(db, env, repr(env))
    locpath = compile_locales(os.path.join(d, "locales"))
    if locpath:
        test_installed_locales(locpath, db)
    else:
        print("note: localedef or locale sources missing; installed-locale checks skipped")
    test_index_text_ignores_ui_language(d)
    test_index_diagnostics_follow_ui_language(d)
    test_yaml_errors_follow_ui_language(d)
    shutil.rmtree(d, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
