"""Golden-file tests: `kb-query --show` output, byte for byte, for chosen sections.

Each section below is rendered in text, Markdown and JSON (COLUMNS=80,
NO_COLOR=1, LANG=C.UTF-8, stdout a pipe) and compared with
tests/golden/<name>.<txt|md|json>. The sections were picked for the shapes
that break renderers: remediation tables with <ul><li> and <br> in cells,
nested lists, alerts inside lists, code blocks, CJK wrapping, external links.

JSON is compared as a parsed document without volatile fields (score), and
stored pretty-printed (indent=1, sorted keys, UTF-8) so a diff reads well.

To accept new output after an intended rendering change:
    KB_UPDATE_GOLDEN=1 ctest -R e2e.test_golden   (or run this script)
then review `git diff tests/golden/` before committing."""
import difflib
import json
import os

import kbtest
from kbtest import check, finish

GOLDEN = os.path.join(kbtest.SOURCE, "tests", "golden")
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"
ENV = {"COLUMNS": "80", "NO_COLOR": "1", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

# name -> (DOC#ANCHOR, lang); the comment says what the section exercises.
SECTIONS = {
    # remediation table (Cause | Recommended actions), <ul><li> and <br/> in cells, "Mensaje de error" paragraph
    "es-es-mars-invalid-vault-credentials":
        ("es-es/backup-azure-mars-troubleshoot.md#invalid-vault-credentials-provided", "es-es"),
    # nested list, an error-code table inside a list item, image
    "es-es-mars-backup-jobs-warning":
        ("es-es/backup-azure-mars-troubleshoot.md#backup-jobs-completed-with-warning", "es-es"),
    # <ul> nested in <ul> inside a table cell (Error | Recommended actions)
    "es-es-mars-unable-to-download-vault-credential":
        ("es-es/backup-azure-mars-troubleshoot.md#unable-to-download-vault-credential-file", "es-es"),
    # [!WARNING] and [!NOTE] alerts nested in list items, inline code
    "es-es-system-state-validate-wsb":
        ("es-es/backup-azure-system-state-troubleshoot.md#validate-windows-server-backup-status", "es-es"),
    # remediation table (操作 | エラーの詳細 | 対処法), "エラー メッセージ", <ol><li> in cells, external links
    "ja-jp-mabs-backup":
        ("ja-jp/backup-azure-mabs-troubleshoot.md#backup", "ja-jp"),
    # raw <li> list with inline-code paragraphs, [!TIP] alert, CJK wrapping
    "ja-jp-mars-backups-schedule":
        ("ja-jp/backup-azure-mars-troubleshoot.md#backups-do-not-run-as-per-schedule", "ja-jp"),
    # large remediation table, bare URLs, `\|` inside a cell, many links
    "ja-jp-vms-disk-config":
        ("ja-jp/backup-azure-vms-troubleshoot.md#error-the-specified-disk-configuration-is-not-supported", "ja-jp"),
    # several "Error code:/Error message:" paragraphs, nested bullet list
    "en-us-vms-com-error":
        ("en-us/backup-azure-vms-troubleshoot.md#extensionsnapshotfailedcom--extensioninstallationfailedcom--"
         "extensioninstallationfailedmdtc---extension-installationoperation-failed-due-to-a-com-error", "en-us"),
    # "Error message:" paragraph, fenced code blocks, stray </ol>
    "en-us-vms-fsfreeze":
        ("en-us/backup-azure-vms-troubleshoot.md#usererrorfsfreezefailed---failed-to-freeze-one-or-more-"
         "mount-points-of-the-vm-to-take-a-file-system-consistent-snapshot", "en-us"),
    # "Error Message:" paragraph, [!NOTE] alert
    "en-us-files-afsmaxsnapshot":
        ("en-us/troubleshoot-azure-files.md#afsmaxsnapshotreached--you-have-reached-the-max-limit-of-snapshots-"
         "for-this-file-share-youll-be-able-to-take-more-once-the-older-ones-expire", "en-us"),
}
FORMATS = (("text", "txt"), ("markdown", "md"), ("json", "json"))
DIFF_LINES = 40


def normalize_json(doc):
    """Drops what may change without the rendering changing."""
    for hit in doc.get("results", []):
        hit.pop("score", None)
    return doc


def pretty(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def show_diff(expected, actual, path):
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden/" + os.path.basename(path),
                                     "kb-query", lineterm="", n=2))
    print("\n".join(diff[:DIFF_LINES]))
    if len(diff) > DIFF_LINES:
        print("... (%d more diff lines)" % (len(diff) - DIFF_LINES))


def main():
    db = kbtest.corpus_index()
    if UPDATE:
        os.makedirs(GOLDEN, exist_ok=True)
        print("KB_UPDATE_GOLDEN=1: rewriting golden files in %s instead of comparing" % GOLDEN)
    for name, (ref, lang) in SECTIONS.items():
        for fmt, ext in FORMATS:
            what = "%s --format %s" % (ref, fmt)
            rc, out, err = kbtest.query(db, "--show", ref, "--lang", lang, "--format", fmt, env=ENV)
            if not check(rc == 0 and out, "%s exits 0 with output (rc %d, %s)" % (what, rc, err.strip())):
                continue
            if fmt == "json":
                try:
                    doc = json.loads(out)
                except ValueError:
                    check(False, "%s prints valid JSON" % what)
                    continue
                check(doc.get("query") == "", "%s: query is the empty string for --show" % what)
                actual = pretty(normalize_json(doc))
            else:
                actual = out
            path = os.path.join(GOLDEN, "%s.%s" % (name, ext))
            if UPDATE:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(actual)
                print("wrote %s" % os.path.relpath(path, kbtest.SOURCE))
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    expected = f.read()
            except OSError:
                check(False, "%s: golden file %s exists (run with KB_UPDATE_GOLDEN=1)" % (what, path))
                continue
            if fmt == "json":
                same = normalize_json(json.loads(expected)) == json.loads(actual)
            else:
                same = expected == actual
            if not check(same, "%s matches %s" % (what, os.path.relpath(path, kbtest.SOURCE))):
                show_diff(expected, actual, path)
    finish()


if __name__ == "__main__":
    main()
