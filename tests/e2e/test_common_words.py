"""A question no section holds whole is ranked on its common words too.

The OR pass selects the sections it ranks through a question's rarest
words, within a budget of sections (KB_ANY_BUDGET, 4,000), so on a docs set
larger than that a word in thousands of sections selects nothing. It must
still count in the ranking of the sections the rare words select, or the
section that holds every word of the question but its two rarest ranks
below sections that hold one of those alone.

Built here as 4,900 sections: the section that renames a Windows server
holds seven words of "cambie el nombre del servidor windows y la copia de
seguridad y el registro dejo de correr", each in a third of the sections;
"correr" and "dejo" are each in 40 sections of their own."""
from kbtest import check, docs_index, finish, query_json, ref

COMMON = ["servidor", "windows", "nombre", "copia", "seguridad", "registro"]
docs = {}
for d in range(60):
    lines = ["# Guía %d" % d, ""]
    for k in range(80):
        n = d * 80 + k
        words = " y ".join(COMMON[(n + i) % len(COMMON)] for i in (0, 3))
        change = " Un cambio del sistema." if n % 3 == 0 else ""
        lines += ["## Tema %d" % n, "", "El texto %d de la guía del sistema trata de %s.%s" % (n, words, change), ""]
    docs["es-es/guia-%02d.md" % d] = "\n".join(lines)
jobs = ["# Tareas programadas", ""]
for k in range(40):
    jobs += ["## Correr la tarea %d" % k, "", "Cómo correr la tarea programada %d." % k, ""]
    jobs += ["## Dejo la tarea %d" % k, "", "Dejo la tarea programada %d en pausa." % k, ""]
docs["es-es/tareas.md"] = "\n".join(jobs)
docs["es-es/renombrar.md"] = """# Renombrar servidores

## Si cambio el nombre de un servidor Windows, qué pasa con la copia de seguridad y el registro

Si cambia el nombre de un servidor Windows, la copia de seguridad se
detiene hasta que vuelve a registrar el servidor con el nombre nuevo.
"""
root, db = docs_index(docs, "4,900 sections of common words")

answer = ("es-es/renombrar.md#si-cambio-el-nombre-de-un-servidor-windows-qué-pasa-con-la-copia-de-seguridad-y-el-"
          "registro")
question = "cambie el nombre del servidor windows y la copia de seguridad y el registro dejo de correr"
rc, doc, err = query_json(db, "--limit", "3", "--", question)
hits = [ref(h) for h in doc["results"]] if rc == 0 and doc else []
check(hits[:1] == [answer], "the section with the question's common words comes first: %s %s" % (hits, err))
# A page of one holds that section too: the rows are ranked before the page is cut.
rc, doc, _ = query_json(db, "--limit", "1", "--", question)
check(rc == 0 and doc and [ref(h) for h in doc["results"]] == [answer], "--limit 1 shows it")
# --exact does not change which words rank: it only turns off corrections.
rc, doc, _ = query_json(db, "--exact", "--limit", "1", "--", question)
check(rc == 0 and doc and [ref(h) for h in doc["results"]] == [answer], "--exact shows it")
finish()
