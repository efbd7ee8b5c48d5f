"""A pasted message whose code ("AuthorizationFailed") a Spanish section
quotes, but whose English words only code samples share, opens with that
section: when no section has every word, the sections that hold every code
word of the question come before the rest. A name many sections hold
("PowerShell") is not a code; filters (--locale-only) apply as ever."""
from kbtest import check, docs_index, finish, query_json, top_refs

SAMPLES = "\n".join(
    "## Ejemplo %d\n\n```csharp\n// the client does not have authorization to perform action %d\n"
    "var client = new Client(%d);\n```\n" % (i, i, i) for i in range(6))

POWERSHELL = "\n".join("## Tarea %d con PowerShell\n\nEjecute PowerShell para la tarea %d.\n" % (i, i)
                       for i in range(30))

DOCS = {
    "es-es/log-faq.md": """# Preguntas frecuentes

## Al asignar el rol, aparece una advertencia

*Advertencia de creación de la asignación de roles - AuthorizationFailed: el cliente no tiene
autorización para realizar la acción sobre el ámbito.*

Pida a un propietario de la suscripción que le asigne el rol.

## Otra pregunta

Nada que ver con roles.
""",
    "es-es/samples.md": "# Ejemplos de código\n\n" + SAMPLES,
    "es-es/rdp.md": """# Escritorio remoto

## Error de seguridad de Windows: las credenciales no funcionaron

Al conectarse por RDP a la máquina virtual, restablezca la contraseña de la cuenta local.
""",
    "es-es/powershell.md": "# Tareas\n\n" + POWERSHELL,
}

# Its own index: English words would change how the pasted message above reads.
VM_BACKUP = {
    "en-us/vm-backup.md": """# Troubleshoot VM backup

## UserErrorFsFreezeFailed - Failed to freeze one or more mount-points of the VM

Unmount the devices whose file system state was not cleaned.

## Freeze the file system

Stop the services that write to the disk.

## Backup failed

The backup failed: retry it.

## Restore failed

The restore failed: retry it.

## Extension in deletion state

Remove the extension's lock, then delete the extension again.

## The network stack

Reset the network stack of the VM.

## Stack traces

Send the stack trace to support.
""",
}

MESSAGE = "AuthorizationFailed: The client does not have authorization to perform action"
WANT = "es-es/log-faq.md#al-asignar-el-rol-aparece-una-advertencia"


def main():
    _, db = docs_index(DOCS, "the code-word corpus")
    got = top_refs(db, MESSAGE)
    check(got[:1] == [WANT], "the section that quotes the code opens a pasted message, got %s" % got)
    got = top_refs(db, MESSAGE, "--locale-only", "es-es")
    check(got[:1] == [WANT], "also with --locale-only, got %s" % got)
    rc, out, _ = query_json(db, "--doc-prefix", "samples", MESSAGE)
    check(rc == 0 and out and out["results"] and out["results"][0]["doc"] == "es-es/samples.md",
          "--doc-prefix still filters: %s" % ((out or {}).get("error") or [r["ref"] for r in (out or {}).get("results", [])][:2],))
    # Sections with more of the message's words come next.
    check(len(got) > 1 and got[1].startswith("es-es/samples.md#"), "then the samples with its words, got %s" % got)
    got = top_refs(db, "System.Security.AuthorizationFailed: The client does not have authorization to perform action")
    check(got[:1] == [WANT], "the last part of a dotted name is a code too, got %s" % got)
    # A message in the docs' own language finds its section by its words:
    # a code word an unrelated section holds does not put that one first.
    got = top_refs(db, "RDP máquina virtual AuthorizationFailed las credenciales no funcionaron")
    check(got[:1] == ["es-es/rdp.md#error-de-seguridad-de-windows-las-credenciales-no-funcionaron"],
          "a Spanish message opens with the section of its words, not of its code, got %s" % got)
    # "PowerShell" is in 30 sections: a name, not a code.
    got = top_refs(db, "PowerShell the client does not have authorization to perform action 3")
    check(got[:1] and got[0].startswith("es-es/samples.md#"), "a common name is not a code, got %s" % got)
    # A log names a code by its tail, which no section holds whole: it is
    # searched as its parts, which kb-index indexed with the whole code.
    _, db = docs_index(VM_BACKUP, "the VM backup guide")
    freeze = "en-us/vm-backup.md#usererrorfsfreezefailed---failed-to-freeze-one-or-more-mount-points-of-the-vm"
    for q, shown in (("FsFreezeFailed", "Fs Freeze Failed"), ("UserErrorFsFreezeFaild", None)):
        rc, out, _ = query_json(db, q)
        got = [r["ref"] for r in (out or {}).get("results", [])]
        check(got[:1] == [freeze] and (shown is None or out.get("corrected") == shown) and not out.get("unknown_words"),
              "%r opens with the code that ends so: %r" % (q, out and (out.get("corrected"), got[:2])))
    # A code of known parts that no ID of the docs holds is searched as its
    # parts too, and named as a word the docs lack: a bot is told so.
    rc, out, _ = query_json(db, "UserErrorFsFreezeNotFailed")
    check(out and out.get("results") and out.get("unknown_words") == ["UserErrorFsFreezeNotFailed"],
          "a code the docs do not name is listed unknown: %r" % ((out or {}).get("unknown_words"),))
    # A part that is a symptom's word is no typo: "Stuck" is not "stack".
    rc, out, _ = query_json(db, "ExtensionStuckInDeletionState")
    got = [r["ref"] for r in (out or {}).get("results", [])]
    check(got[:1] == ["en-us/vm-backup.md#extension-in-deletion-state"] and
          out.get("corrected") == "Extension Stuck In Deletion State",
          "a code's symptom word is kept as written: %r" % ((out and (out.get("corrected"), got[:2])),))
    rc, out, _ = query_json(db, "ZzqxFreezeBaz")
    check(rc == 1 and out and out.get("unknown_words") == ["ZzqxFreezeBaz"],
          "a code whose parts the docs do not know stays unknown: %r" % out)
    finish()


main()
