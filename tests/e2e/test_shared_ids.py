"""An error number that many documents share ("HTTP 503": every service has
one) is weak evidence next to the words typed with it: "mi aplicación web
devuelve 503" wants the web app's section that says so, not each service's
503 section. A code few documents name keeps ranking its sections first,
words or not, and so does a shared number typed alone. "HTTP 409" is an
error ID as "Error 409" is."""
from kbtest import check, docs_index, finish, first_ref, query_json, ref

DOCS = {
    "es-es/media-errors.md": """# Códigos de error de Servicios multimedia

## Error 403: prohibido

La cuenta no tiene permiso para la operación solicitada.

## Error 503: servicio no disponible

El servidor está ocupado; vuelva a intentarlo más tarde.
""",
    "es-es/search-api.md": """# API REST de búsqueda

## HTTP 503 Servicio no disponible

El servicio de búsqueda está sobrecargado. Reduzca las solicitudes por segundo.
""",
    "es-es/hdinsight-errors.md": """# Errores de WebHCat

## Error 503: el servidor no está disponible

El nodo principal no responde. Reinicie el servicio WebHCat.
""",
    "es-es/webapp-502-503.md": """# Solucionar errores 502 y 503 en aplicaciones web

## Síntoma

Al abrir la aplicación web, devuelve un error HTTP "503 Servicio no disponible".

## Solución

Escale verticalmente el plan de App Service o reinicie la aplicación web.
""",
    "es-es/webapp-php.md": """# PHP en aplicaciones web

## La aplicación web muestra el error HTTP 403

Los permisos del directorio impiden ejecutar el script.
""",
    "es-es/storage-troubleshoot.md": """# Supervisar y solucionar problemas de Storage

## El cliente recibe mensajes HTTP 403 (prohibido)

La firma de acceso compartido caducó: no se puede acceder al blob.

## El cliente recibe mensajes HTTP 409 (conflicto)

Otro cliente creó el contenedor con el mismo nombre.

## El cliente recibe mensajes HTTP 404 (no encontrado)

El contenedor se eliminó antes de crear el blob: al crear el contenedor de nuevo se
obtiene un conflicto (409) mientras dura la eliminación.
""",
    "es-es/backup-errors.md": """# Errores de copia de seguridad

## 0x80070570: el archivo o directorio está dañado

Ejecute chkdsk en el volumen de origen.

## Restaurar archivos

Si la restauración falla con 0x80070570, el archivo de origen está dañado.
""",
}

root, db = docs_index(DOCS, "the shared-ID corpus")


WEBAPP_503 = "es-es/webapp-502-503.md#síntoma"
CHECKS = [
    ("mi aplicación web devuelve 503", WEBAPP_503,
     "a shared 503 with words: the web app section that says them comes first"),
    ("la aplicación web devuelve error 503", WEBAPP_503, "...also typed as 'error 503'"),
    ("error 403 al acceder al blob", "es-es/storage-troubleshoot.md#el-cliente-recibe-mensajes-http-403-prohibido",
     "a shared 403 with words: the storage 403 section comes first"),
    # "HTTP 409" defines 409 in a heading: that section comes first, not the
    # one whose text has every word and a mention of (409).
    ("HTTP 409 conflicto al crear el contenedor",
     "es-es/storage-troubleshoot.md#el-cliente-recibe-mensajes-http-409-conflicto",
     "'HTTP 409' in a heading defines 409"),
    # What must not change: a code two sections of one document share stays
    # ID evidence, words or not.
    ("0x80070570 al restaurar archivos", "es-es/backup-errors.md#0x80070570-el-archivo-o-directorio-está-dañado",
     "an unshared code with words keeps its defining section first"),
]
for question, want, what in CHECKS:
    got = first_ref(db, question)
    check(got == want, "%s: %r -> %s" % (what, question, got))

# ...and a shared number alone finds its defining sections.
rc, doc, _ = query_json(db, "--limit", "5", "--", "error 503")
check(rc == 0 and len(doc["results"]) >= 3 and all(r["match"] == "error_id" for r in doc["results"][:3]),
      "'error 503' alone opens with its ID sections: %s" % [ref(r) for r in doc["results"]])
finish()
