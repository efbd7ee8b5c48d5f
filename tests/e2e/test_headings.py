"""A question that says a section's heading word for word (typed, or pasted
from the docs) opens with that section, though its subsections hold the same
words in their breadcrumbs and more of them in their bodies; case, accents,
punctuation and word endings aside. A heading that many sections share names
none of them, and pages of any size agree. On the bundled corpus, where 38 of
its 480 headings did not open their own question before."""
import os
import sqlite3

from kbtest import build_index, check, corpus_index, docs_index, finish, first_ref, query_json, ref, top_refs

db = corpus_index()

# A document's title heading, whose subsections say its words again: the
# first opened with one of them, the second was not in the first ten.
MABS = "en-us/backup-azure-mabs-troubleshoot.md#troubleshoot-azure-backup-server"
check(first_ref(db, "Troubleshoot Azure Backup Server") == MABS,
      "a title heading opens its question: %s" % top_refs(db, "Troubleshoot Azure Backup Server"))
VMS_TITLE = "Solución de errores de copia de seguridad en las máquinas virtuales de Azure"
VMS = "es-es/backup-azure-vms-troubleshoot.md#troubleshooting-backup-failures-on-azure-virtual-machines"
for q in (VMS_TITLE,                                                                   # pasted
          "solucion de errores de copia de seguridad en las maquinas virtuales de azure",  # case and accents
          "Solución de errores de copia de seguridad en las máquinas virtuales de Azure:",  # punctuation
          "Soluciones de errores de copias de seguridad en las máquinas virtuales de Azure"):  # word endings
    got = top_refs(db, q, "--lang", "es")
    check(got and got[0] == VMS, "%r opens with the section it names, got %s" % (q, got))

# A question that leaves words out is ranked as usual.
got = first_ref(db, "errores de copia de seguridad en las máquinas virtuales", "--lang", "es")
check(got != VMS, "a question that leaves words out does not name the section, got %s" % got)

# "Next steps" heads five sections: it names none of them, and they come in
# the order their scores give, not in the index's.
got = top_refs(db, "Next steps", "--lang", "en", n=5)
check(len(got) == 5 and got[0] == "en-us/backup-azure-system-state-troubleshoot.md#next-steps",
      "a heading five sections share is ranked as usual, got %s" % got)

# The section is found by its heading, not among the rows a page ranks, so
# pages of one agree with a page of five.
whole = top_refs(db, VMS_TITLE, "--lang", "es", n=5)
paged = []
for offset in range(5):
    rc, doc, _ = query_json(db, "--lang", "es", "--limit", "1", "--offset", str(offset), "--", VMS_TITLE)
    paged += [ref(h) for h in (doc or {}).get("results", [])]
check(len(whole) == 5 and paged == whole, "pages of one make up the page of five: %s against %s" % (paged, whole))

# A filter applies to it as to every result.
got = top_refs(db, VMS_TITLE, "--lang", "es", "--doc-prefix", "backup-azure-mars", n=10)
check(got and VMS not in got, "--doc-prefix keeps other documents' headings out: %s" % got)

# An incremental run keeps the keys in step with the headings: a renamed
# heading is found by its new words, no longer by its old ones.
DOC = "es-es/vm.md"
root, small = docs_index({DOC: "# Máquinas virtuales\n\n## Iniciar una máquina virtual detenida\n\nUse el portal.\n",
                          "es-es/disk.md": "# Discos\n\n## Iniciar el disco\n\nUse el portal y la máquina virtual.\n"},
                         "the renamed-heading corpus")
with open(os.path.join(root, DOC), "w") as f:
    f.write("# Máquinas virtuales\n\n## Arrancar una máquina virtual parada\n\nUse el portal.\n")
rc, _, _ = build_index(small, dirs=(root,))
con = sqlite3.connect(small)
keys = con.execute("SELECT count(*), count(DISTINCT section_id) FROM heading_keys").fetchone()
sections = con.execute("SELECT count(*) FROM sections WHERE heading <> ''").fetchone()[0]
con.close()
check(rc == 0 and keys == (sections, sections), "one heading key per section after an update: %s of %d" % (keys, sections))
check(first_ref(small, "Arrancar una máquina virtual parada") == "es-es/vm.md#arrancar-una-máquina-virtual-parada",
      "a renamed heading is found by its new words")

# A heading holding U+001F, which separates the stored breadcrumb's parts,
# is one part: "Top\x1fLevel" had read as two levels.
_, us_db = docs_index({"en-us/us.md": "# Top\x1fLevel\n\n## Sub quebecword\n\nText.\n"}, "a heading with U+001F")
rc, doc, _ = query_json(us_db, "quebecword")
got = doc["results"][0]["breadcrumb"] if doc and doc["results"] else None
check(got == ["Top Level", "Sub quebecword"], "the breadcrumb has one part per level: %r" % (got,))

# An explicit anchor may start with '#' (<a name="#offlinesync">), and a
# file name may hold one: every ref a result prints opens with --show.
_, hashes = docs_index({"es-es/mobile.md": "# Móvil\n\n## <a name=\"#offlinesync\"></a>Trabajar sin conexión\n\nSincronice.\n",
                        "es-es/c#sharp.md": "# C#\n\n## Sincronizar con C#\n\nSincronice desde C#.\n"},
                       "anchors and names with '#'")
rc, doc, _ = query_json(hashes, "--all-locales", "--limit", "5", "sincronice")
refs = sorted(ref(h) for h in doc["results"]) if doc else []
check(refs == ["es-es/c#sharp.md#sincronizar-con-c", "es-es/mobile.md##offlinesync"], "the refs: %s" % refs)
for r in refs:
    rc, doc, _ = query_json(hashes, "--show", r)
    check(rc == 0 and doc and [ref(h) for h in doc["results"]] == [r], "--show %s opens it (rc %d): %s" % (
        r, rc, doc and doc.get("note")))

finish()
