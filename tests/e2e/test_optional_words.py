"""Words a question's answer need not hold ("después", "tras"; kind optional
of i18n/vocab.tsv): "...tras cambiar el tamaño" finds the section that says
"después de cambiar el tamaño", while a section that says the word as typed
still ranks above one that does not."""
from kbtest import check, docs_index, finish, first_ref

DOCS = {
    "es-es/vm-start.md": """# Solucionar problemas de inicio de máquinas virtuales

## No se puede iniciar la máquina virtual después de cambiar el tamaño

El clúster que hospeda la máquina virtual no admite el nuevo tamaño. Detenga la máquina virtual y
vuelva a intentarlo.
""",
    "es-es/site-recovery.md": """# Conmutación por error

## Conmutación por error a la región secundaria

Tras cambiar el tamaño del disco, inicie la máquina virtual en la región secundaria.
""",
    "es-es/cloud-service.md": """# Diagnósticos de servicios en la nube

## Configurar el diagnóstico durante la implementación

Active el diagnóstico en el archivo de configuración del servicio.

## Configurar el diagnóstico después de la implementación

Active el diagnóstico desde el portal, sin volver a implementar el servicio.
""",
    "es-es/web-app.md": """# Rendimiento de aplicaciones web

## Aplicación web lenta

Compruebe las métricas de la aplicación web y escale el plan de App Service.

## Escalar el plan

El plan se escala desde el portal.
""",
    "es-es/ssh.md": """# Conexiones SSH

## No se puede conectar por SSH a una máquina virtual Linux

Restablezca la configuración de SSH desde el portal.
""",
    "es-es/snapshot.md": """# Instantáneas de copia de seguridad

## Se agotó el tiempo de espera de la instantánea

El agente de la máquina virtual no respondió a tiempo. Reinicie el agente y vuelva a intentarlo.

## Valores predeterminados

El valor predeterminado da a cada instantánea un tiempo de espera de 30 minutos.
""",
    "es-es/hello.md": """# Introducción a Node.js

## Hola a todos

Su primera aplicación escribe "Hola a todos" en la consola de la máquina virtual Linux.
""",
}

root, db = docs_index(DOCS, "the optional-words corpus")

WEB = "es-es/web-app.md#aplicación-web-lenta"
SSH = "es-es/ssh.md#no-se-puede-conectar-por-ssh-a-una-máquina-virtual-linux"


RESIZE = "es-es/vm-start.md#no-se-puede-iniciar-la-máquina-virtual-después-de-cambiar-el-tamaño"
CHECKS = [
    ("no se puede iniciar la máquina virtual tras cambiar el tamaño", RESIZE,
     "'tras' is not required: the section that says 'después de' comes first"),
    ("la máquina virtual no se inicia despues de cambiar el tamaño", RESIZE,
     "'despues' typed without its accent, as the answer says it"),
    # What must not change: the word still counts where a section has it.
    ("configurar el diagnóstico después de la implementación",
     "es-es/cloud-service.md#configurar-el-diagnóstico-después-de-la-implementación",
     "a section that says 'después' ranks above one that does not"),
    ("configurar el diagnóstico durante la implementación",
     "es-es/cloud-service.md#configurar-el-diagnóstico-durante-la-implementación", "...and the other way round"),
    # Quoted, the word is required as typed again.
    ('iniciar la máquina virtual "tras" cambiar el tamaño',
     "es-es/site-recovery.md#conmutación-por-error-a-la-región-secundaria", "a quoted 'tras' is required"),
    # "va" (it goes) is no word of the answer: "va lenta" is "lenta". These
    # two pin the behaviour on a small corpus, where the search before
    # found the sections too; on the real docs, where it did not, they are
    # asked in test_scale_corpora.
    ("la aplicación web va muy lenta", WEB, "'va' is not required"),
    # A chat's greeting is no word of the answer either, also in text that
    # reads as pasted (more than five words): "Hola" found "Hola a todos".
    ("Hola, no puedo conectar por SSH a mi máquina virtual Linux desde ayer", SSH, "a greeting is not searched"),
    # How a question says an error ("da", "anda"): not a word of the answer.
    # "da" required, only the section that says it in passing had every word.
    ("la instantánea da tiempo de espera", "es-es/snapshot.md#se-agotó-el-tiempo-de-espera-de-la-instantánea",
     "'da' is not required"),
    ("la aplicación web anda lenta", WEB, "'anda' is not required"),
]
for question, want, what in CHECKS:
    got = first_ref(db, question)
    check(got == want, "%s: %r -> %s" % (what, question, got))

# A stop word the docs rarely write weighs as a common word: the Spanish
# docs address the reader as "usted", so "me" is in few of their sections,
# and where no section held every word of "node me error iniciar web",
# the one that shows "/trigger/me/feed" came first for its "me".
STOP_DOCS = {
    "es-es/connectors.md": "# Conectores\n\n## Obtener mi perfil\n\n"
                           "GET /trigger/me/feed devuelve un error al iniciar la sesión.\n",
    "es-es/node.md": "# Aplicaciones\n\n## La aplicación no arranca\n\n"
                     "Si la aplicación Node devuelve un error al iniciar, revise el registro de iisnode.\n",
}
for n in range(200):
    STOP_DOCS["es-es/storage%03d.md" % n] = "# Tema %d\n\n## Almacenamiento %d\n\nCree una cuenta%s para la web.\n" % (
        n, n, " y una aplicación Node" if n % 50 == 0 else "")
_, stop_db = docs_index(STOP_DOCS, "with few sections that say 'me'")
got = first_ref(stop_db, "node me error iniciar web")
check(got == "es-es/node.md#la-aplicación-no-arranca", "a rare stop word does not decide: %s" % got)

finish()
