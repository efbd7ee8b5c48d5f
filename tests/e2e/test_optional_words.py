"""Words a question's answer need not hold ("después", "tras"; kind optional
of i18n/vocab.tsv): "...tras cambiar el tamaño" finds the section that says
"después de cambiar el tamaño", while a section that says the word as typed
still ranks above one that does not."""
from kbtest import check, docs_index, finish, query_json, ref

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
}

root, db = docs_index(DOCS, "the optional-words corpus")


def first(query, *args):
    rc, doc, _ = query_json(db, "--limit", "5", *args, "--", query)
    return ref(doc["results"][0]) if rc == 0 and doc["results"] else None


got = first("no se puede iniciar la máquina virtual tras cambiar el tamaño")
check(got == "es-es/vm-start.md#no-se-puede-iniciar-la-máquina-virtual-después-de-cambiar-el-tamaño",
      "'tras' is not required: the section that says 'después de' comes first: %s" % got)
got = first("la máquina virtual no se inicia despues de cambiar el tamaño")
check(got == "es-es/vm-start.md#no-se-puede-iniciar-la-máquina-virtual-después-de-cambiar-el-tamaño",
      "'despues' typed without its accent, as typed in the answer: %s" % got)

# What must not change: the word still counts where a section has it.
got = first("configurar el diagnóstico después de la implementación")
check(got == "es-es/cloud-service.md#configurar-el-diagnóstico-después-de-la-implementación",
      "a section that says 'después' ranks above one that does not: %s" % got)
got = first("configurar el diagnóstico durante la implementación")
check(got == "es-es/cloud-service.md#configurar-el-diagnóstico-durante-la-implementación",
      "...and the other way round: %s" % got)
# Quoted, the word is required as typed again.
got = first('iniciar la máquina virtual "tras" cambiar el tamaño')
check(got == "es-es/site-recovery.md#conmutación-por-error-a-la-región-secundaria", "a quoted 'tras' is required: %s" % got)
finish()
