"""English messages on docs that have no English copy: the Spanish docs
quote the dialog translated ("No se pudo conectar con el sistema HANA"),
and kb-index learns from the docs' own English anchors which Spanish words
say an English one (the lexicon). The bundled corpus less its English
documents stands for a Spanish-only install."""
import os
import shutil
import sqlite3

from kbtest import CORPUS, build_index, check, finish, query_json, ref, run, KB_INDEX, tmpdir

root = os.path.join(tmpdir(), "corpus")
for locale in ("es-es", "ja-jp"):
    shutil.copytree(os.path.join(CORPUS, locale), os.path.join(root, locale))
db = os.path.join(tmpdir(), "kb.sqlite")
rc, _, err = build_index(db, dirs=(root,))
if not check(rc == 0, "kb-index builds the Spanish and Japanese documents: " + err):
    finish()


def lexicon(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return con.execute("SELECT lang, word, docs_word FROM lexicon ORDER BY 1, 2, 3").fetchall()
    except sqlite3.OperationalError:  # an index without one
        return []
    finally:
        con.close()


# Learned from the Spanish headings and their English anchors.
learned = lexicon(db)
for row in [("es", "backup", "copia"), ("es", "backup", "seguridad"), ("es", "snapshot", "instantánea")]:
    check(row in learned, "the lexicon holds %r: %d rows" % (row, len(learned)))
check(not any(lang == "en" for lang, _, _ in learned), "English docs need no lexicon")


def top(q, *opts, n=3):
    rc, doc, _ = query_json(db, "--limit", str(n), *opts, "--", q)
    return doc["results"] if rc == 0 and doc else []


# Messages the Spanish docs quote translated are found in Spanish, their
# translated words shown as matches.
hana = "es-es/backup-azure-sap-hana-database-troubleshoot.md#usererrorinopeninghanaodbcconnection"
hits = top("Failed to connect to HANA system")
check(hits and ref(hits[0]) == hana, "an English message finds its Spanish section: %s" % [ref(h) for h in hits])
check(hits and "**sistema**" in hits[0]["snippet"], "the Spanish word for 'system' is a match: %r"
      % (hits and hits[0]["snippet"][:120]))
limit = "es-es/backup-sql-server-azure-troubleshoot.md#clouddosabsolutelimitreached"
hits = top("Operation is blocked as you have reached the limit on number of operations permitted in 24 hours.")
check(hits and ref(hits[0]) == limit, "a longer English message finds its Spanish section: %s"
      % [ref(h) for h in hits])

# --exact searches the words as typed, untranslated.
hits = top("Failed to connect to HANA system", "--exact")
check(not hits or ref(hits[0]) != hana, "--exact does not translate: %s" % [ref(h) for h in hits])

# A Spanish question is not translated, and still finds its section.
hits = top("no se pudo conectar con el sistema HANA")
check(hits and ref(hits[0]) == hana, "a Spanish question finds the section: %s" % [ref(h) for h in hits])

# Where the English docs are indexed, the English question finds them.
full = os.path.join(tmpdir(), "full.sqlite")
rc, _, err = build_index(full)
check(rc == 0, "kb-index builds the whole corpus: " + err)
rc, doc, _ = query_json(full, "--limit", "1", "--", "Failed to connect to HANA system")
check(doc and doc["results"] and ref(doc["results"][0]) == hana.replace("es-es/", "en-us/"),
      "with English docs, the English section: %s" % (doc and [ref(h) for h in doc["results"]]))

# An incremental run keeps the lexicon a full build learned.
page = os.path.join(root, "es-es", "backup-azure-mars-troubleshoot.md")
with open(page, "a", encoding="utf-8") as f:
    f.write("\n## Otra sección\n\nTexto nuevo.\n")
rc, _, err = run([KB_INDEX, "--db", db, root])
check(rc == 0 and lexicon(db) == learned, "an incremental run keeps the lexicon: %s" % err)

finish()
