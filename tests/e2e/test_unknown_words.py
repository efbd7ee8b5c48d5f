"""A question with a word no section holds ("kubectl no conecta con el
clúster") gets the sections with the other words, and says which word the
docs lack: "unknown_words" in JSON, a line above the results in text, a line
after "No results." on stderr. A question some section answers whole, an
error code, a corrected typo, an excluded word and stop words list none; a
last word is completed as a prefix only if it starts an indexed word, else
corrected."""
from kbtest import check, corpus_index, docs_index, finish, query, query_json

DOCS = {
    "es-es/cluster.md": """# Clústeres

## No se puede conectar con el clúster

Compruebe que el certificado del clúster no haya expirado y vuelva a conectar.

## Crear un clúster

Cree el clúster desde el portal.

## Error 0x80070005 al crear el clúster

Acceso denegado: la cuenta no tiene permisos.
""",
    "es-es/storage.md": """# Almacenamiento

## Crear una cuenta de almacenamiento

Cree la cuenta desde el portal.

## Eliminar una cuenta de almacenamiento

Elimine antes los contenedores.

## Cambiar la redundancia

Elija otra redundancia en la configuración.
""",
    "zh-tw/cluster.md": """# 疑難排解

## 無法連線到叢集

檢查叢集的網路設定。

## 建立虛擬網路

先建立虛擬網路，再建立子網路。

## 刪除儲存體帳戶

先刪除容器。
""",
    "en-us/cluster.md": """# Clusters

## Cannot connect to the cluster

Check that the cluster certificate has not expired, then connect again.
""",
}


# Short words and acronyms: "as" and "api" are in two sections each.
NAMES_DOCS = {
    "es-es/sql.md": """# SQL

## Consultar el clúster

`SELECT nombre AS n FROM clúster`, o la api.

## Alias de columnas

`SELECT id AS clave FROM tabla`, o la api.

## Crear una cuenta

Cree la cuenta desde el portal.

## Cuenta de servicio

La cuenta del servicio.
""",
}


# "vir" is a word of one section, and starts "virtual", which many hold.
VM_DOCS = {
    "es-es/vm.md": "\n".join(
        ["# Máquinas virtuales\n",
         "## Reiniciar la máquina virtual\n\nReinicie la máquina virtual desde el portal.\n",
         "## Nombres de host\n\nLa máquina del servidor se llama vir.\n"] +
        ["## Tamaño %d\n\nLa máquina virtual usa el tamaño %d. Reinicie después de cambiarlo.\n" % (n, n)
         for n in range(1, 13)]),
}


def unknown(db, *args):
    rc, out, _ = query_json(db, *args)
    return rc, (out or {}).get("unknown_words"), len((out or {}).get("results", []))


def main():
    _, db = docs_index(DOCS, "the unknown-words corpus")

    rc, words, n = unknown(db, "kubectl no conecta con el clúster")
    check(rc == 0 and n > 0, "the other words still find sections, rc %d, %d results" % (rc, n))
    check(words == ["kubectl"], "'kubectl' is the word no section holds, got %s" % words)
    rc, words, _ = unknown(db, "kubectl AKS clúster kubectl")
    check(words == ["kubectl", "AKS"], "each unknown word once, as typed, got %s" % words)
    rc, words, _ = unknown(db, "'kubectl' (AKS): clúster, kubectl?")
    check(words == ["kubectl", "AKS"], "without the punctuation around them, got %s" % words)
    rc, words, n = unknown(db, "kubectl aks")
    check(rc == 1 and n == 0 and words == ["kubectl", "aks"],
          "no result: the JSON still lists them, rc %d, %s" % (rc, words))

    # Pasted text (six words or more) whose one known word is in so many
    # sections that the OR pass does not search it alone: the sections
    # with that word, not nothing (the known-words pass had not run).
    _, backup_db = docs_index({"en-us/backup.md": "# Backup\n\n## Backup fails\n\nThe backup fails.\n\n"
                                                  "## Backup is slow\n\nThe backup is slow.\n\n"
                                                  "## Restore\n\nRestore a file.\n"}, "a backup guide")
    q = "kubectl helm terraform pulumi ansible backup"
    rc, words, n = unknown(backup_db, q)
    check(rc == 0 and n > 0 and words == ["kubectl", "helm", "terraform", "pulumi", "ansible"],
          "%r finds the sections of its one known word (rc %d, %d results, %s)" % (q, rc, n, words))

    # A CJK word of three or four characters is one term, a phrase of its
    # bigrams: the docs lacking it, the sections of the other words are
    # shown, as for "kubectl" (the phrase had stayed required, and nothing
    # was found).
    _, ja_db = docs_index({"ja-jp/backup.md": "# バックアップ\n\n## バックアップが失敗する\n\nバックアップを再試行します。\n\n"
                                              "## 復元\n\nファイルを復元します。\n"}, "a Japanese backup guide")
    for q in ("バックアップ ほげほげ", "バックアップ 魑魅魍魎"):
        rc, words, n = unknown(ja_db, "--lang", "ja", "--", q)
        check(rc == 0 and n > 0 and words == [q.split()[1]],
              "%r shows the backup sections and lists its unknown word (rc %d, %d results, %s)" % (q, rc, n, words))

    # What is not listed.
    for args, want, what in ((("no se puede conectar con el clúster",), None, "a section has every word"),
                             (("0x80070005 kubectl",), None, "an error code answers it"),
                             (("cuenat crear",), None, "a corrected typo"),
                             (("crear cuenat",), None, "a last word that completes nothing is corrected"),
                             (("clúster aks -kubectl",), ["aks"], "an excluded word"),
                             (("el clúster de aks",), ["aks"], "stop words"),
                             (("clúster kubectl", "--exact"), ["kubectl"], "--exact lists them too"),
                             # "叢集" (cluster) is in the docs, "魔法咒語" (magic spell) is not:
                             # named as typed, not as the bigrams Chinese text is cut into
                             (("叢集魔法咒語 kubectl",), ["魔法咒語", "kubectl"], "Chinese text as typed")):
        rc, words, n = unknown(db, *args)
        check(words == want and n > 0, "%s: %r lists %s, got %s (%d results)" % (what, args[0], want, words, n))

    # A last word that starts no indexed word is not one still being typed.
    rc, out, _ = query_json(db, "crear cuenat")
    check(out and out.get("corrected") == "crear cuenta" and out["results"][0]["ref"].startswith("es-es/storage.md#crear"),
          "'crear cuenat' is corrected, not completed: %r" % ((out or {}).get("corrected"),))
    # Two letters swapped in a word's ending, which its stem hides
    # ("almacenamietno" stems six letters from "almacen").
    rc, out, _ = query_json(db, "eliminar cuenta de almacenamietno")
    check(out and out.get("corrected") == "eliminar cuenta de almacenamiento"
          and out["results"][0]["ref"].startswith("es-es/storage.md#eliminar"),
          "a swap the stem hides is corrected: %r" % ((out or {}).get("corrected"),))
    # A symptom's words are how a person asks, not a pasted message's:
    # with them the question has six words besides stop words, and is
    # still corrected.
    rc, out, _ = query_json(db, "no se puede conectar al clustr del portal con certificado expirado")
    check(out and "clúster" in out.get("corrected", "") and "unknown_words" not in out,
          "a long typed question with a symptom is corrected: %r" % ((out or {}).get("corrected"),))
    rc, out, _ = query_json(db, "crear cuen")
    check(out and "corrected" not in out and out["results"][0]["ref"].startswith("es-es/storage.md#crear"),
          "'crear cuen' is completed: %r" % ((out or {}).get("corrected"),))

    # A real word the docs lack is no typo: it is listed, not "corrected"
    # into the docs' nearest word ("really" had become "relies", "forgot"
    # "format"). A British spelling is read in the American one the docs
    # use; a real word one common typo from a word of the docs is read as
    # that word ("cuneta", a ditch, for "cuenta").
    corpus_db = corpus_index()
    for q, word, doc in (("backup is really slow", "really", "en-us/backup-azure-troubleshoot-slow-backup-performance"),
                         ("I forgot my encryption passphrase", "forgot", "en-us/backup-azure-scdpm-troubleshooting.md")):
        rc, out, _ = query_json(corpus_db, q)
        got = [h["ref"] for h in (out or {}).get("results", [])]
        check(out and "corrected" not in out and out.get("unknown_words") == [word] and got[0].startswith(doc),
              "%r keeps %r as typed and opens with %s: corrected %r, unknown %r, %r"
              % (q, word, doc, (out or {}).get("corrected"), (out or {}).get("unknown_words"), got[:2]))
    for d, q, want in ((corpus_db, "initialise vhd scratch", "initialize vhd scratch"),
                       (db, "crear una cuneta de almacenamiento", "crear una cuenta de almacenamiento")):
        rc, out, _ = query_json(d, q)
        check(out and out.get("corrected") == want, "%r is read as %r: %r" % (q, want, (out or {}).get("corrected")))
    # ...also where the docs hold the real word once or twice, as a typo of
    # theirs would be: a ditch in one section, accounts in sixty.
    accounts = "".join("## Cuenta %d\n\nCree la cuenta de almacenamiento %d.\n\n" % (k, k) for k in range(60))
    _, ditch_db = docs_index({"es-es/cuentas.md": "# Cuentas\n\n" + accounts,
                              "es-es/camino.md": "# Camino\n\n## Cuneta\n\nLa cuneta del camino.\n"}, "the ditch corpus")
    rc, out, _ = query_json(ditch_db, "crear una cuneta de almacenamiento")
    check(out and out.get("corrected") == "crear una cuenta de almacenamiento",
          "a real word the docs hold once is read as the word sixty hold: %r" % ((out or {}).get("corrected"),))
    # ...but never with a letter put in, which can make a stem of no word:
    # "eternidad" with an x, "externidad", stems as "externa" does.
    _, ext_db = docs_index({"es-es/red.md": "# Red\n\n## Red externa\n\nLa red externa.\n\n"
                                            "## Copia de seguridad\n\nLa copia de seguridad tarda.\n\n"
                                            "## Carga externa\n\nUna carga externa.\n"}, "the external corpus")
    rc, out, _ = query_json(ext_db, "la copia de seguridad tarda una eternidad")
    check(out and "corrected" not in out and out.get("unknown_words") == ["eternidad"]
          and out["results"][0]["ref"] == "es-es/red.md#copia-de-seguridad",
          "'eternidad' is a word the docs lack, not 'externa': %r" % (((out or {}).get("corrected"), (out or {}).get("unknown_words")),))

    # A word a few sections hold, and that starts a word far more hold, is
    # still being typed when no section has every word of the question.
    _, vm_db = docs_index(VM_DOCS, "the still-being-typed corpus")
    rc, out, _ = query_json(vm_db, "reiniciar la máquina vir")
    check(out and out["results"] and out["results"][0]["heading"] == "Reiniciar la máquina virtual"
          and "corrected" not in out,
          "'vir' is completed to 'virtual', not searched alone: %r" % [h["heading"] for h in (out or {}).get("results", [])])
    # ...and when a section does have every word: the one that says "vir"
    # stays first, and the sections the word was being typed for join it.
    rc, out, _ = query_json(vm_db, "máquina vir")
    got = [h["heading"] for h in (out or {}).get("results", [])]
    check(got[:1] == ["Nombres de host"] and "Reiniciar la máquina virtual" in got,
          "'máquina vir' finds 'vir' and 'virtual': %r" % got)
    snippets = [h["snippet"] for h in (out or {}).get("results", []) if h["heading"] == "Reiniciar la máquina virtual"]
    check(snippets and "**virtual**" in snippets[0], "the completion shows as a match: %r" % snippets)
    # Shown beside a corrected word, a completed one is written as the docs
    # write it, not as its stem ("cuent").
    rc, out, _ = query_json(db, "craer una cuen")
    check(out and out.get("corrected") == "crear una cuenta",
          "a completion is shown as a word: %r" % (out or {}).get("corrected"))
    rc, out, _ = query_json(db, "kubectl cuen")
    check(out and out.get("unknown_words") == ["kubectl", "cuen"],
          "a completed word no section holds is listed as typed: %r" % (out or {}).get("unknown_words"))
    # On the bundled docs: "recov" is in a few Spanish sections, as part of
    # "DataTransferServiceAllFilesFailedToRecover".
    rc, out, _ = query_json(corpus_db, "--lang", "es", "agente de recov")
    first = out["results"][0]["heading"] if out and out["results"] else ""
    check("gente de Microsoft Azure Recovery Service" in first,
          "'agente de recov' opens with the Recovery Services agent: %r" % [h["heading"] for h in (out or {}).get("results", [])][:2])

    # An acronym the docs lack is named, not rewritten into a short word
    # (the Azure docs of 2017 turned AKS into "as", ARO into "área").
    _, names_db = docs_index(NAMES_DOCS, "the short-words corpus")
    for question, want in (("clúster AKS", ["AKS"]), ("clúster aks", ["aks"]), ("clúster ACI", ["ACI"])):
        rc, out, _ = query_json(names_db, question)
        check(out and "corrected" not in out and out.get("unknown_words") == want,
              "%r: not corrected, %s unknown; got %r, %r" % (question, want, (out or {}).get("corrected"),
                                                            (out or {}).get("unknown_words")))
    rc, out, _ = query_json(names_db, "CREAR CUENAT")
    check(out and out.get("corrected", "").lower() == "crear cuenta",
          "a longer word in capitals is still corrected: %r" % ((out or {}).get("corrected"),))
    # With caps lock on, a short word in capitals is a typo like any other.
    rc, out, _ = query_json(corpus_db, "COPAI DE SEGURIDAD")
    check(out and out.get("corrected", "").lower() == "copia de seguridad",
          "a question in capitals has its short words corrected too: %r" % ((out or {}).get("corrected"),))

    # A typo alone says nothing of its language: in a C locale, on Spanish,
    # English and Japanese docs, it is corrected in the first language that
    # has a word near it ("almacenamietno" had found nothing without --lang es).
    rc, out, _ = query_json(corpus_db, "almacenamietno")
    check(rc == 0 and out.get("corrected") == "almacenamiento" and out["results"][0]["locale"] == "es-es",
          "a lone typo is corrected in Spanish: %r" % ((out or {}).get("corrected"),))
    # The stem nearest "almasen" is "almac", which only the unaccented
    # spelling of "almacén" makes: the question is shown as the docs write it.
    rc, out, _ = query_json(corpus_db, "--lang", "es", "almasen de recuperacion")
    check(rc == 0 and out.get("corrected") == "almacén de recuperacion",
          "a correction is shown as the word the docs write: %r" % ((out or {}).get("corrected"),))
    # Of the written words that share the corrected stem, the one nearest
    # the word as typed ("restauración" and "restaurar" stem alike), in
    # lower case as typed, and the same on every page.
    rc, out, _ = query_json(corpus_db, "no puedo restaurr la vm")
    check(rc == 0 and out.get("corrected") == "no puedo restaurar la vm",
          "'restaurr' is shown as 'restaurar': %r" % ((out or {}).get("corrected"),))
    pages = []
    for offset in ("0", "3", "6", "9"):
        rc, out, _ = query_json(corpus_db, "--limit", "3", "--offset", offset, "error al instalr el agente")
        pages.append((out or {}).get("corrected"))
    check(pages == ["error al instalar el agente"] * 4, "one correction on every page: %r" % pages)
    shown = [(query_json(corpus_db, "--limit", n, "contraseña incorreta")[1] or {}).get("corrected")
             for n in ("1", "5", "10", "50")]
    check(len(set(shown)) == 1 and shown[0], "one correction for any --limit: %r" % shown)
    # A letter left out or doubled, which the stem hides ("segridad" stems
    # three letters from "segur"); a correction that is a whole word is
    # shown as the docs write its token ("databes" reads as "database").
    for typed, want in (("copia de segridad", "copia de seguridad"), ("restaurarr la vm", "restaurar la vm"),
                        ("conectar a Azure SQL Databse", "conectar a Azure SQL database"),
                        # a letter written as another that sounds the same in Spanish
                        ("credenciales del almasen", "credenciales del almacén"),
                        ("sertificado caducado", "certificado caducado"),
                        ("no se puede abilitar el cifrado", "no se puede habilitar el cifrado")):
        rc, out, _ = query_json(corpus_db, typed)
        check(rc == 0 and out.get("corrected") == want, "%r is corrected to %r: %r" % (typed, want, (out or {}).get("corrected")))
    # At most 8 unknown words of a question are searched for a correction,
    # each some 20M instructions: 48 made-up words had cost 1,230M.
    for typed, want in (("zzqa zzqb zzqc segridad copia", "zzqa zzqb zzqc seguridad copia"),
                        ("zzqa zzqb zzqc zzqd zzqe zzqf zzqg zzqh segridad copia", None)):
        rc, out, _ = query_json(corpus_db, typed)
        check(out is not None and out.get("corrected") == want,
              "%r: corrected %r: %r" % (typed, want, out and out.get("corrected")))
    # One known word and one unknown: the known word's sections, the other named.
    rc, out, _ = query_json(corpus_db, "kubectl backup")
    check(rc == 0 and out["results"] and out.get("unknown_words") == ["kubectl"],
          "'kubectl backup' shows the backup sections: rc %d, %r" % (rc, (out or {}).get("unknown_words")))

    # Text for people, in their language.
    rc, out, err = query(db, "--color", "never", "kubectl no conecta con el clúster")
    check(rc == 0 and out.startswith("No document contains: kubectl\n"), "text names it above the results: %r" % out[:80])
    rc, out, err = query(db, "--lang", "es", "kubectl no conecta con el clúster")
    check(out.startswith("Ningún documento contiene: kubectl\n"), "in Spanish with --lang es: %r" % out[:80])
    # Markdown says both above the sections too, the user's words escaped.
    rc, out, err = query(db, "--format", "markdown", "kubectl_x no conecta con el clúster")
    check(rc == 0 and out.startswith("No document contains: kubectl\\_x\n\n<!-- kb: "),
          "Markdown names it above the sections: %r" % out[:80])
    rc, out, err = query(db, "--format", "markdown", "crear cuenat")
    check(rc == 0 and out.startswith("*Showing results for* **crear cuenta**\n\n<!-- kb: "),
          "Markdown shows the question searched: %r" % out[:80])
    # A code no document names is searched as its parts: said in that order,
    # which the other ("Showing results for User Error Vm Not Found", then
    # "No document contains: UserErrorVmNotFound") seemed to contradict.
    rc, out, err = query(corpus_db, "--color", "never", "UserErrorVmNotFound")
    check(rc == 0 and out.startswith("No document contains: UserErrorVmNotFound\n\n"
                                     "Showing results for User Error Vm Not Found\n"),
          "text: what no document holds, then what was searched: %r" % out[:100])
    rc, out, err = query(corpus_db, "--format", "markdown", "UserErrorVmNotFound")
    check(rc == 0 and out.startswith("No document contains: UserErrorVmNotFound\n\n"
                                     "*Showing results for* **User Error Vm Not Found**\n"),
          "Markdown: the same order: %r" % out[:100])
    rc, out, err = query(db, "kubectl aks")
    check(rc == 1 and out == "" and "No results.\nNo document contains: kubectl, aks\n" in err,
          "no result: stderr says which words, rc %d, %r" % (rc, err))
    # A question of stop words alone names nothing to look for: it is not
    # searched (it used to rank sections that only shared "de" and "la",
    # walking most of the index), and says so; a quoted phrase is searched.
    rc, doc, _ = query_json(corpus_db, "--", "de la el en de")
    check(rc == 1 and doc and doc.get("common_words") == ["de", "la", "el", "en"] and doc["results"] == [],
          "stop words alone: no results, common_words, rc 1: %r" %
          ((rc, doc and doc.get("common_words"), doc and len(doc["results"])),))
    rc, out, err = query(corpus_db, "--", "the")
    check(rc == 1 and out == "" and "No results.\nOnly common words: the. Add a word" in err,
          "...and text says so on stderr: rc %d, %r" % (rc, err))
    rc, doc, _ = query_json(corpus_db, "--", "de OR la OR el")
    check(rc == 1 and doc and doc.get("common_words") == ["de", "la", "el"], "an OR of stop words: %r" %
          ((rc, doc and doc.get("common_words")),))
    # ...as is one of stop words and words no document has: the OR pass
    # had answered "kubectl the" with sections sharing "the", exit 0
    for q, common in (("kubectl the", ["the"]), ("the zzqqx a", ["the", "a"])):
        rc, doc, _ = query_json(corpus_db, "--", q)
        check(rc == 1 and doc and doc.get("common_words") == common and doc.get("unknown_words")
              and doc["results"] == [], "%r: stop words and unknown words: %r" %
              (q, (rc, doc and doc.get("common_words"), doc and doc.get("unknown_words"), doc and len(doc["results"]))))
    for q in ('"the"', "the backup", "de la copia", "zzqqx backup"):
        rc, doc, _ = query_json(corpus_db, "--", q)
        check(rc == 0 and doc and "common_words" not in doc and doc["results"],
              "%r is searched: %r" % (q, doc and doc.get("common_words")))
    finish()


main()
