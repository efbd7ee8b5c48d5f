"""A message pasted with its surroundings finds the section that explains it:
log noise (timestamps, GUIDs, request IDs, stack frames, PowerShell's error
record) is no word of the question, and an error ID that several documents
share, an HTTP status among them, is one word of a paste, not its answer.
Typed alone, the same values are searched as they are."""
import re

from kbtest import check, corpus_index, docs_index, finish, query_json, ref, top_refs

VSS = "en-us/backup-azure-vms-troubleshoot.md#extensionfailedvsswriterinbadstate---snapshot-operation-failed-because-vss-writers-were-in-a-bad-state"
NOISE = re.compile(r"^[0-9a-f]{8}-|^\d{4}-\d\d-\d\d|^\d\d:\d\d|categoryinfo|requestid|timestamp|line:", re.I)

db = corpus_index()

# A portal's error dialog, copied whole: the message, then the request's values.
pasted = ("Status: Failed\nError: Snapshot operation failed because VSS writers were in a bad state.\n"
          "RequestId: 9f63f689-cd9d-1b32-463f-38157a5bb770\nTimestamp: 2024-03-01T09:27:33.997Z")
got = top_refs(db, pasted, "--lang", "en")
check(got[:1] == [VSS], "a portal dialog pasted whole opens with its section: %s" % got)

# The same message in a one-line chat paste, with a .NET stack frame and
# PowerShell's error record around it.
record = ("PS C:\\> Backup-AzVM -Name vm1 Snapshot operation failed because VSS writers were in a bad state. "
          "at Microsoft.Azure.Commands.Backup.Execute() in C:\\src\\Backup.cs:line 214 At line:1 char:1 "
          "+ CategoryInfo : NotSpecified: (:) [], Exception + FullyQualifiedErrorId : "
          "d7881003-bf2e-d5a5-a269-091283d833a9")
rc, doc, _ = query_json(db, "--lang", "en", "--limit", "3", "--", record)
got = [ref(h) for h in doc["results"]] if doc else []
check(rc == 0 and got[:1] == [VSS], "a stack frame and an error record around the message leave it first: %s" % got)
noise = [w for w in (doc or {}).get("unknown_words", []) if NOISE.search(w)]
check(not noise, "log noise is not listed as words the docs lack: %s" % noise)

# A console's lines: the prompt's echo of the command, then the message.
console = ("PS C:\\Users\\ana> Start-AzBackup -Item $item -VaultId $vault.ID\n"
           "Snapshot operation failed because VSS writers were in a bad state.")
got = top_refs(db, console, "--lang", "en")
check(got[:1] == [VSS], "the command a prompt echoes above the message is not a word of it: %s" % got)

# An exception and its code in one word: the code is looked up, not blanked
# as a frame's method would be.
rc, doc, _ = query_json(db, "--lang", "en", "--limit", "1", "--",
                        "System.IO.IOException(0x80070570): The file or directory is corrupted and unreadable "
                        "while the backup copied the volume")
check(rc == 0 and doc and doc["results"] and doc["results"][0]["match"] == "error_id",
      "an exception's code glued to it is looked up: %s" % (doc and [ref(h) for h in doc["results"]]))

# A Python traceback's line numbers are no error IDs, and an ARM JSON body's
# keys no words: the message inside decides.
FILES = "es-es/troubleshoot-azure-files.md#"
traceback = ("Traceback (most recent call last):\n  File \"/home/ana/app.py\", line 12, in <module>\n    poller.result()\n"
             "  File \"/usr/lib/python3/site-packages/azure/core/polling/base_polling.py\", line 517, in run\n"
             "    raise HttpResponseError(response=self._pipeline_response.http_response)\n"
             "azure.core.exceptions.HttpResponseError: (OperationFailed) Recovery failed because number of failed "
             "files are more than the threshold.")
got = top_refs(db, traceback, "--lang", "es", n=1)
check(got and got[0].startswith(FILES + "datatransferservicecoflimitreached"),
      "a Python traceback opens with the section of its message: %s" % got)
body = ('{"status":"Failed","error":{"code":"OperationFailed","message":"Source or Target storage account is not '
        'accessible from the Azure Files restore service.","details":[]},"id":"/subscriptions/3f2a9c1e-8b7d-4e21-'
        '9a0c-5d6e7f8a9b0c/resourceGroups/rg1/providers/Microsoft.Resources/deployments/dep1",'
        '"startTime":"2024-12-06T08:00:00.1234567Z"}')
rc, doc, _ = query_json(db, "--lang", "es", "--limit", "1", "--", body)
noise = [w for w in (doc or {}).get("unknown_words", []) if "/" in w or NOISE.search(w)]
check(rc == 0 and doc["results"] and "/troubleshoot-azure-files.md#usererrorsourceortargetaccountnotaccessible" in
      ref(doc["results"][0])
      and not noise, "an ARM error body opens with the section of its message: %s %s" %
      (doc and [ref(h) for h in doc["results"]], noise))

# Typed alone, a GUID is what the user looks for (the docs hold built-in role IDs).
rc, doc, _ = query_json(db, "--", "9f63f689-cd9d-1b32-463f-38157a5bb770")
check(rc == 1 and doc and doc.get("unknown_words") == ["9f63f689-cd9d-1b32-463f-38157a5bb770"],
      "a GUID typed alone is searched as typed: %s" % (doc and doc.get("unknown_words")))

# An exception two documents head sections with, pasted with the words of
# the service whose section explains the message.
SHARED = {
    "es-es/event-hubs.md": "# Excepciones de Event Hubs\n\n## TimeoutException\n\n"
                           "El servidor no respondió a la operación de Event Hubs a tiempo.\n",
    "es-es/relay.md": "# Excepciones de Relay\n\n## TimeoutException\n\n"
                      "El servidor no respondió a la operación de Relay a tiempo.\n",
    "es-es/redis.md": "# Solución de problemas de Azure Redis Cache\n\n## Ráfaga de tráfico\n\n"
                      "Con StackExchange.Redis, una ráfaga de tráfico produce errores como este:\n\n"
                      "System.TimeoutException: Timeout performing EVAL, inst: 8, mgr: Inactive, queue: 0\n\n"
                      "Configure el mínimo de subprocesos de ThreadPool.\n",
}
for i in range(3):
    SHARED["es-es/service%d.md" % i] = ("# Servicio %d\n\n## Error HTTP 500\n\nEl servicio %d devuelve "
                                        "HTTP 500 cuando falla.\n" % (i, i))
SHARED["es-es/rdp.md"] = ("# Escritorio remoto\n\n## Este equipo no puede conectarse al equipo remoto\n\n"
                          "Reinicie el servicio de Escritorio remoto de la máquina virtual.\n")
SHARED["es-es/login.md"] = ("# Inicio de sesión\n\n## Mensaje de error \"No se han encontrado suscripciones\"\n\n"
                            "La cuenta no tiene acceso a ninguna suscripción. Pida acceso al propietario.\n\n"
                            "## Se ha producido un error de autenticación\n\n"
                            "La autoridad de seguridad local no responde: reinicie la máquina virtual.\n")
SHARED["es-es/jobs.md"] = ("# Trabajos\n\n## Ejecutar un trabajo\n\nEjecute Invoke-Job -Name con el nombre del trabajo "
                           "en cada una de sus suscripciones.\n\n## Registrar los errores\n\n```csharp\n"
                           "log.Write(\"Se ha producido un error at \" + time + \" in \" + file);\n```\n")
_, shared_db = docs_index(SHARED, "sections that share error IDs")

# In Spanish, "at" and "in" are words: a frame's left them in the question.
got = top_refs(shared_db, "Se ha producido un error de autenticación\n   at Contoso.Client.Login() in "
               "C:\\src\\Client.cs:line 12", "--lang", "es")
check(got[:1] == ["es-es/login.md#se-ha-producido-un-error-de-autenticación"],
      "a stack frame under a Spanish message leaves no word of it: %s" % got)
rc, doc, _ = query_json(shared_db, "--lang", "es", "--limit", "3", "--",
                        "PS C:\\> Invoke-Job -Name job83\nNo se han encontrado suscripciones")
got = [ref(h) for h in doc["results"]] if doc else []
check(got[:1] == ["es-es/login.md#mensaje-de-error-no-se-han-encontrado-suscripciones"] and
      "unknown_words" not in doc, "the command a prompt echoes is no word of the message below it: %s %s" %
      (got, doc and doc.get("unknown_words")))

got = top_refs(shared_db, "System.TimeoutException: Timeout performing EVAL, inst: 8, mgr: Inactive, queue: 0, "
               "in: 64221 StackExchange.Redis", "--lang", "es")
check(got[:1] == ["es-es/redis.md#ráfaga-de-tráfico"],
      "an exception two documents share comes second to the section the pasted words explain: %s" % got)

got = top_refs(shared_db, "Status: Failed\nError: Este equipo no puede conectarse al equipo remoto.\n"
               "HTTP/1.1 500 Internal Server Error", "--lang", "es")
check(got[:1] == ["es-es/rdp.md#este-equipo-no-puede-conectarse-al-equipo-remoto"],
      "the HTTP status under a pasted message does not put the sections of that status first: %s" % got)

# Typed, the same status with a word or two still finds the sections of that status.
got = top_refs(shared_db, "error HTTP 500 servicio 1", "--lang", "es", n=1)
check(got == ["es-es/service1.md#error-http-500"], "a typed status and words find its section: %s" % got)

finish()
