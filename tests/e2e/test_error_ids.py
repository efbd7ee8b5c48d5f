"""Error-ID lookup: every ID the indexer extracts from the bundled corpus,
typed as written, in upper and lower case, and (HRESULTs) in both decimal
spellings, returns its defining section at rank 1. Years, ports, dates and
IP addresses never become IDs. Windows error names and undocumented codes
are decoded."""
import collections
import os
import re
import sqlite3

from kbtest import CORPUS, build_index, check, docs_index, finish, query, query_json, ref, tmpdir

work = tmpdir()
db = os.path.join(work, "kb.sqlite")
rc, _, err = build_index(db)
check(rc == 0, "index builds: " + err)

con = sqlite3.connect(db)
rows = con.execute("SELECT e.key, e.raw, e.kind, e.defining, d.path || '#' || s.anchor FROM error_ids e"
                   " JOIN sections s ON s.id = e.section_id JOIN docs d ON d.id = s.doc_id").fetchall()
con.close()
check(len(rows) > 200, "the corpus yields error IDs (%d)" % len(rows))

defining = collections.defaultdict(set)
mentioned = collections.defaultdict(set)
raws = collections.defaultdict(set)
for key, raw, kind, is_def, where in rows:
    (defining if is_def else mentioned)[key].add(where)
    raws[key].add(raw)


def forms(key, raw, pasted=False):
    yield raw
    yield raw.upper()
    yield raw.lower()
    if pasted:  # as pasted from a sentence, or typed by a CJK input method
        yield raw + "."
        yield "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in raw)
    if re.fullmatch(r"0x[0-9a-f]{8}", key) and int(key, 16) >= 0x80000000:
        value = int(key, 16)
        yield str(value)              # unsigned decimal
        yield str(value - (1 << 32))  # signed decimal
        if raw.lower().startswith("0x"):
            yield raw + "L"           # as winerror.h writes it


failures = []
tried = 0
for n, key in enumerate(sorted(raws)):
    want = defining[key] or mentioned[key]
    for raw in sorted(raws[key]):
        # a quarter of the IDs pasted too: every form costs a process, slow under ASan
        for form in set(forms(key, raw, pasted=n % 4 == 0)):
            tried += 1
            rc, doc, _ = query_json(db, "--all-locales", "--limit", "1", "--", form)
            got = ref(doc["results"][0]) if doc and doc["results"] else None
            hit = doc["results"][0] if got else {}
            if got not in want or hit.get("match") != "error_id" or hit.get("error_id") != key:
                failures.append("%s typed %r -> %s (%s)" % (key, form, got, hit.get("error_id")))
check(not failures, "every ID form finds its defining section at rank 1 (%d of %d failed):\n  %s"
      % (len(failures), tried, "\n  ".join(failures[:20])))
print("%d ID forms tried" % tried)

# Words around an ID narrow the ID hits: the section that also matches them comes first.
rc, doc, _ = query_json(db, "--all-locales", "--limit", "3", "--", "0x80070005 antivirus")
check(rc == 0 and doc["results"][0]["match"] == "error_id", "an ID with words still ranks ID hits first")

# A query that is one error ID reads the full-text evidence kb-index stored
# for it (error_text); quoted, the same ID runs the full-text pass itself.
# Both must give the same results, scores included, whichever language is preferred.
def page(*args):
    rc, doc, _ = query_json(db, "--limit", "10", *args)
    return rc, [(r["ref"], r["match"], r["score"]) for r in doc["results"]] if doc else None


differ = []
for key in sorted(raws):
    raw = sorted(raws[key])[0]
    for lang in ("es", "ja"):
        stored, searched = page("--lang", lang, "--", raw.upper()), page("--lang", lang, "--", '"%s"' % raw)
        if stored != searched:
            differ.append("%s (--lang %s): %s != %s" % (raw, lang, stored, searched))
check(not differ, "an ID's stored full-text evidence gives what the full-text pass gives (%d of %d differ):\n  %s"
      % (len(differ), 2 * len(raws), "\n  ".join(differ[:5])))
con = sqlite3.connect(db)
stored = con.execute("SELECT count(DISTINCT key), count(*) FROM error_text WHERE section_id > 0").fetchone()
con.close()
check(stored[0] > 100 and stored[1] > stored[0], "error_text holds the evidence of most keys (%d keys, %d rows)" % stored)

# A symbolic code typed in lower case or as a 12+ character prefix.
for q, anchor in [("salchecksumstoreinitializationfailed", "salchecksumstoreinitializationfailed"),
                  ("SalChecksumStore", "salchecksumstoreinitializationfailed"),
                  ("usererrorvmprovisioningstatefailed", "usererrorvmprovisioningstatefailed")]:
    rc, doc, _ = query_json(db, "--limit", "1", "--", q)
    check(rc == 0 and doc["results"] and doc["results"][0]["anchor"].startswith(anchor),
          "%r finds #%s first" % (q, anchor))

# "ID: 120002" ends the message in an error cell ("Operation failed. ID:
# 120002"): it defines the code as "(ID: 100050)" does. It was text only,
# found by the number as a word.
for q in ("ID: 120002", "120002"):
    rc, doc, _ = query_json(db, "--lang", "en", "--limit", "1", "--", q)
    check(rc == 0 and doc["results"] and doc["results"][0]["match"] == "error_id"
          and doc["results"][0]["ref"] == "en-us/backup-azure-mabs-troubleshoot.md#change-passphrase",
          "%r is an error ID, defined by the passphrase row: %s" % (q, doc and [ref(h) for h in doc["results"]]))

# Windows error names and codes no document mentions are explained.
rc, doc, _ = query_json(db, "--limit", "1", "ERROR_FILE_CORRUPT")
check(rc == 0 and doc["results"] and doc["results"][0].get("error_id") == "0x80070570",
      "ERROR_FILE_CORRUPT finds the 0x80070570 section")
# A Win32 code typed as an error stands for its HRESULT, the form docs list.
for q in ("error 1392", "Error: 1392 during backup", "0x570", "1392", "código de error 1392"):
    rc, doc, _ = query_json(db, "--limit", "1", "--", q)
    check(rc == 0 and doc["results"] and doc["results"][0].get("error_id") == "0x80070570"
          and "ERROR_FILE_CORRUPT = 1392" in doc.get("decoded", ""),
          "%r finds and explains 0x80070570: %s" % (q, doc.get("decoded")))
# ... but only as a guess: an HTTP status is not explained as a Win32 code.
rc, doc, _ = query_json(db, "--", "error 500")
check("decoded" not in doc, "'error 500' is not explained as ERROR_USER_PROFILE_LOAD: %s" % doc.get("decoded"))
rc, doc, _ = query_json(db, "0x80070570")
check("HRESULT_FROM_WIN32(ERROR_FILE_CORRUPT = 1392)" in doc.get("decoded", ""), "0x80070570 is decoded")
rc, doc, _ = query_json(db, "0x8007000e")
check(rc == 0 and "ERROR_OUTOFMEMORY" in doc.get("decoded", "") and doc["results"] == [],
      "a code no document mentions is decoded, with exit 0 and no sections: %s" % doc.get("decoded"))

# False positives: years, ports, dates and IP addresses in the corpus are not IDs.
text = ""
for root, _, files in os.walk(CORPUS):
    for name in files:
        if name.endswith(".md"):
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text += f.read()
keys = set(raws)
years = set(re.findall(r"\b(?:19|20)\d\d\b", text))
ports = {"443", "80", "8080", "1433", "3389", "22"} & set(re.findall(r"\b\d+\b", text))
dates = set(re.findall(r"\b\d{1,2}/\d{1,2}/\d{4}\b", text))
ips = set(re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", text))
check(len(years) > 3 and len(dates) > 3, "the corpus has years and dates to test (%d, %d)" % (len(years), len(dates)))
# "Error ID: 2013" is a real message ID in the corpus: a number in ID form may look like a year.
id_form_years = {"2013"}
bad = sorted((years - id_form_years) & keys) + sorted(ports & keys) + sorted(dates & keys) + sorted(ips & keys)
check(not bad, "no year, port, date or IP address is an error ID: %s" % bad)
for part in ips:
    check(not any(k in keys for k in part.split(".") if len(k) >= 3 and k not in raws), "IP parts are not IDs")

# The command that failed is no error ID: "Invoke HcsSetupWizard: Invalid
# parameter (Exception from HRESULT: 0x80070057)" has one, the HRESULT.
tree = os.path.join(work, "caller")
os.makedirs(tree)
with open(os.path.join(tree, "setup.md"), "w", encoding="utf-8") as f:
    f.write("# Setup\n\n## <a name=\"proxy\"></a>Proxy errors\n\n"
            "| No. | Error message | Possible causes | Recommended action |\n|---|---|---|---|\n"
            "| 1 | Invoke HcsSetupWizard: Invalid parameter (Exception from HRESULT: 0x80070057) | Bad URI. | Fix it. |\n"
            "| 2 | 呼叫 HcsSetupWizard︰ RPC 伺服器無法使用 (從 HRESULT 的例外狀況︰ 0x800706ba) | Down. | Retry. |\n"
            "| 3 | UserErrorGuestAgentStatusUnavailable: VM agent unable to communicate (0x80070005) | Agent. | Start it. |\n")
cdb = os.path.join(work, "caller.sqlite")
rc, _, err = build_index(cdb, [tree])
con = sqlite3.connect(cdb)
ids = sorted(k for (k,) in con.execute("SELECT key FROM error_ids"))
con.close()
check(rc == 0 and ids == ["0x80070005", "0x80070057", "0x800706ba", "usererrorguestagentstatusunavailable"],
      "a command before a colon in an error cell with a code is no error ID: %s" % ids)
rc, doc, _ = query_json(cdb, "0x80070057")
check(rc == 0 and doc["results"] and doc["results"][0]["remediation"][0]["error_ids"] == ["0x80070057"],
      "the record's error_ids hold the HRESULT alone: %s" % (doc["results"][0]["remediation"] if doc["results"] else doc))
# An exit code quoted in decimal with its minus is that number, not an
# exclusion: "-106" had excluded the one section that lists it.
_, edb = docs_index({"es-es/diag.md": "# Diagnósticos\n\n## El diagnóstico no se inicia\n\n"
                     "| Código de salida | Descripción |\n|---|---|\n"
                     "| -106 | No puede leer el archivo de configuración de diagnósticos. |\n"
                     "| -111 | Otra instancia del agente ya se está ejecutando. |\n\n"
                     "## El diagnóstico no escribe datos\n\nEl código de salida del agente es 0 y no hay datos.\n"},
                    "a table of exit codes")


def hits_of(q):
    rc, doc, _ = query_json(edb, "--", q)
    return [ref(h) for h in doc["results"]] if rc == 0 and doc else []


hits = hits_of("diagnostico codigo de salida -106")
check(hits[:1] == ["es-es/diag.md#el-diagnóstico-no-se-inicia"], "a negative exit code finds its table: %s" % hits)
hits = hits_of("diagnostico codigo de salida -inicia")
check(hits == ["es-es/diag.md#el-diagnóstico-no-escribe-datos"], "a minus before a word still excludes it: %s" % hits)
# A negative HRESULT as .NET prints it, glued to its label by '=', or
# typeset with the minus sign U+2212, is the code.
# ...as is a Win32 code after a label of codes, not only after "error".
for q in ("error code 1392", "Error Code: 1392", "Fehlercode 1392"):
    rc, doc, _ = query_json(db, "--", q)
    check(rc == 0 and doc and (doc.get("decoded") or "").startswith("0x80070570 "),
          "%r is 0x80070570: %r" % (q, doc and doc.get("decoded")))
for q in ("HResult=-2147024891", "ErrorCode=-2147024891", "\u22122147024891"):
    rc, doc, _ = query_json(db, "--", q)
    check(rc == 0 and doc and (doc.get("decoded") or "").startswith("0x80070005 "),
          "%r is 0x80070005: %r" % (q, doc and doc.get("decoded")))
# A code in the frame a tool prints around it is the code: SQL Server's
# "Msg N, Level 16, State 1, Line 1", .NET's "Error Number:N,State:1,Class:17",
# a label glued to it. The frame's words had outweighed the code's sections
# (C# samples print "State"), or found nothing.
rc, doc, _ = query_json(db, "--", "100050")
want = [ref(h) for h in doc["results"] if h["match"] == "error_id"]
check(rc == 0 and want, "100050 alone finds its sections: %s" % want)
for q in ("Msg 100050, Level 16, State 1, Line 1", "Error Number:100050,State:1,Class:17", "Number:100050",
          "Msg:100050", "Mens. 100050, Nivel 16, Estado 1, Línea 1"):
    rc, doc, _ = query_json(db, "--", q)
    refs = [ref(h) for h in doc["results"]] if doc else []
    check(rc == 0 and refs[:len(want)] == want, "%r finds the code's sections first: %s" % (q, refs))
# A class named with its namespace, as a stack trace prints it, is the
# class the docs name; a code written in parts joined by '-' or '_', as
# URLs and log keys write it, is the code.
_, ndb = docs_index({"en-us/fabric.md": "# Cluster setup\n\n## Cluster connection fails\n\n"
                     "FabricConnectionDeniedException is thrown when the cluster refuses the client.\n\n"
                     "## Sync errors\n\n| Error | Cause |\n|---|---|\n"
                     "| InvalidSoftMatch | Two objects share a proxy address. |\n\n## Other\n\nNothing here.\n"},
                    "a class and a code")
for q, want in (("System.Fabric.FabricConnectionDeniedException", "en-us/fabric.md#cluster-connection-fails"),
                ("Invalid-Soft-Match", "en-us/fabric.md#sync-errors"),
                ("invalid_soft_match", "en-us/fabric.md#sync-errors")):
    rc, doc, _ = query_json(ndb, "--", q)
    refs = [ref(h) for h in doc["results"]] if doc else []
    check(rc == 0 and refs[:1] == [want], "%r finds %s: %s" % (q, want, refs))
# An excluded word filters the sections an error ID finds too: they had
# been shown whatever the question excluded (a hostile tester's).
for q, kept in (("0x80070570 -backup", False), ("0x80070570 -zebraword", True)):
    rc, doc, _ = query_json(db, "--lang", "en", "--", q)
    refs = [ref(h) for h in doc["results"]] if doc else []
    check(doc and any(r.endswith("#backup-jobs-completed-with-warning") for r in refs) == kept,
          "%s: the code's section is %s: %s" % (q, "kept" if kept else "left out", refs))
# An excluded error ID is not looked up: it had put first the very section
# the question asked away. No one writes a hex code negative.
for q, gone in (("checksum -SalChecksumStoreInitializationFailed", "#salchecksumstoreinitializationfailed"),
                ("completed warning -0x80070570", "#backup-jobs-completed-with-warning"),
                ('completed warning -"error 0x80070570"', "#backup-jobs-completed-with-warning")):
    rc, doc, _ = query_json(db, "--lang", "en", "--", q)
    refs = [ref(h) for h in doc["results"]] if doc else []
    check(rc in (0, 1) and doc and not doc.get("decoded") and not any(r.endswith(gone) for r in refs)
          and all(h["match"] != "error_id" for h in doc["results"]), "%s leaves out the ID's section: %s" % (q, refs))
# Windows prints a Win32 error as "System error 53 has occurred." (net use)
# or as its HRESULT (Explorer, PowerShell); the docs quote the first. A
# number that short had been no ID, and no form found the section.
_, wdb = docs_index({"es-es/files.md": "# Archivos de Azure\n\n## Error 53 al montar un recurso compartido\n\n"
                     "Aparece \"Error del sistema 53\" al ejecutar net use: el puerto 445 está bloqueado.\n\n"
                     "## Reintentos\n\nEl cliente registra system error: 5 retries, y vuelve a intentarlo.\n\n"
                     "## Puertos\n\nEl DNS usa el puerto 53.\n"}, "an error Windows names by its number")
for q in ("0x80070035", "ERROR_BAD_NETPATH", "System error 53 has occurred. The network path was not found.",
          "error 53 net use", "error del sistema 53", "-2147024843"):
    rc, doc, _ = query_json(wdb, "--", q)
    hits = doc["results"] if doc else []
    check(rc == 0 and [ref(h) for h in hits[:1]] == ["es-es/files.md#error-53-al-montar-un-recurso-compartido"]
          and hits[0]["match"] == "error_id" and "ERROR_BAD_NETPATH = 53" in doc.get("decoded", ""),
          "%r finds the section of system error 53 by its ID: %s" % (q, [(ref(h), h["match"]) for h in hits]))
# A code no document names is explained, and the reader told so in text as
# JSON tells a bot (unknown_words): the text had shown the explanation alone.
rc, out, err = query(wdb, "0x80070043", env={"LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": ""})
check(rc == 0 and "ERROR_BAD_NET_NAME = 67" in out and "No document contains: 0x80070043" in err,
      "an unlisted code is explained and named as in no document (rc %d): %r %r" % (rc, out, err))
# A count after the label is no error; nor is a port.
for q in ("0x80070005", "puerto 53"):
    rc, doc, _ = query_json(wdb, "--", q)
    check(doc and all(h["match"] != "error_id" for h in doc["results"]),
          "%r finds no error ID: %s" % (q, doc and [(ref(h), h["match"]) for h in doc["results"]]))
finish()
