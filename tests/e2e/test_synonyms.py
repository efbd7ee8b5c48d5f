"""A question in a user's words ("backup de VM", "la VM no arranca") finds
the section that says it in the docs' words ("copia de seguridad de la
máquina virtual", "no se puede iniciar"), in each language's own terms,
while a section that uses the typed words stays a candidate; --exact and a
quoted word keep the words as typed (i18n/synonyms.tsv). The alternatives a
user types ("a OR b") are one word too."""
from kbtest import check, docs_index, finish, query_json, top_refs

DOCS = {
    "es-es/vm-backup-troubleshoot.md": """# Solucionar problemas de copia de seguridad de máquinas virtuales

## La copia de seguridad de la máquina virtual falla por tiempo de espera

La instantánea no se completó a tiempo. Aumente el tiempo de espera del agente.

## No se puede iniciar la máquina virtual después de cambiar el tamaño

El clúster que la hospeda no admite el nuevo tamaño. Deténgala y vuelva a intentarlo.
""",
    "es-es/vm-cmdlets.md": """# Referencia de cmdlets

## Backup-AzureRmVM

`Backup-AzureRmVM -VM $vm` crea un backup de la VM desde PowerShell.

## Get-AzureRmBackupItem

`Get-AzureRmBackupItem -VM $vm` lista cada backup de la VM.

## Start-AzureRmVM

`Start-AzureRmVM -Name $vm` arranca la VM.

## Stop-AzureRmVM

`Stop-AzureRmVM -Name $vm` detiene la VM.

## Resize-AzureRmVM

`Resize-AzureRmVM` cambia el tamaño de una VM y la arranca de nuevo.

## New-AzureRmVirtualNetworkGateway

`New-AzureRmVirtualNetworkGateway -Name gw1` crea la gateway.
""",
    "es-es/network.md": """# Redes

## Crear una red virtual

Cree la red virtual antes que las subredes.

## Subredes

Cada subred tiene su propio intervalo de direcciones.

## Grupos de seguridad de red

Un grupo de seguridad de red filtra el tráfico de una subred.

## Puertas de enlace

La puerta de enlace conecta la red virtual con la red local.
""",
    "zh-tw/vm.md": """# 虛擬機器

## 使用 PowerShell 啟動 VM

執行 Start-AzureVM 即可啟動 VM。

## 停止 VM

執行 Stop-AzureVM 即可停止 VM。

## 調整 VM 大小

執行 Resize-AzureVM 即可調整 VM 的大小。

## 刪除 VM

執行 Remove-AzureVM 即可刪除 VM。

## 虛擬機器無法啟動

檢查虛擬機器的開機診斷。
""",
    "zh-tw/network.md": """# 網路

## 負載平衡器無法分散流量

確認負載平衡器的健康情況探查設定正確。

## Get-AzureLoadBalancer

執行 Get-AzureLoadBalancer 可列出 load balancer 的設定。

## 建立虛擬網路

先建立虛擬網路，再建立子網路。
""",
}


# Docs of an index of their own: the statistics of DOCS stay as they were.
FILES_DOCS = {
    "es-es/files.md": """## Error 115 de montaje en la VM Linux

La distribución no admite el cifrado de SMB 3.0: use SMB 2.1.

## Linux

Linux, Linux y Linux: los clientes Linux admitidos.

## Cargar archivos en un contenedor

Use AzCopy para cargar archivos en un contenedor de blobs.

## Renovar un certificado caducado

Un certificado caducado impide el montaje: cargue uno nuevo.
""",
    "es-es/vault.md": """# Administrar depósitos

## Eliminar un depósito de servicios de recuperación

Quite antes los elementos protegidos y los servidores registrados.

## Cmdlets

    Get-AzureRmRecoveryServicesVault -Name Recovery Services Vault
    # Recovery Services: el nombre del recurso
""",
}
# A timeout as Spanish error dialogs say it, "se agotó el tiempo de espera":
# the docs say "tiempo de espera" for it, and the one section that says
# "agotado" is about something else. Connecting to SQL is common, as in
# Azure's docs, so its words weigh little against the rare "agotado".
TIMEOUT_DOCS = {"es-es/sql.md": """# Conectividad de SQL Database

## Errores de conexión transitorios

Si la aplicación no puede conectar con SQL Database, aumente el tiempo de espera de la conexión a 30 segundos y vuelva a intentarlo.

## Conectar desde .NET

Use SqlConnection para conectar con SQL Database desde .NET.

## Conectar desde Java

Use JDBC para conectar con SQL Database desde Java.

## Conectar desde PHP

Use PDO para conectar con SQL Database desde PHP.

## Conectar desde Python

Use pyodbc para conectar con SQL Database desde Python.
""",
    "es-es/factory.md": """# Supervisar canalizaciones

## Estados de un segmento

Si la validación no termina a tiempo, el segmento queda en tiempo de espera agotado y se vuelve a intentar.

## Reintentos

Cada actividad se reintenta tres veces.
"""}
# A verb whose stem changes as it is conjugated: the dialog says "no se
# encontró", the heading "no se encuentra"; a step of another task says
# "encontró" in passing.
STEM_DOCS = {"es-es/almacen.md": """# Administrar almacenes

## Crear un almacén

Elija una región y un nombre para el almacén.

## Eliminar un almacén

Quite antes los elementos protegidos del almacén.

## El almacén no se encuentra en el portal

Compruebe que eligió la suscripción que contiene el almacén.

## Mover un almacén a otro grupo de recursos

El almacén conserva sus elementos protegidos.
""",
    "es-es/agente.md": """# Instalar el agente

## Requisitos previos

Si el instalador no encontró .NET Framework 4.5, instálelo antes.

## Registrar el servidor

Ejecute el asistente de registro. Si el asistente no encontró el archivo de credenciales, descárguelo de nuevo desde el almacén.
"""}
# A user's own alternatives, "conexión OR conectar": one word in two
# spellings, which the section that holds both must not win on; and the
# alternative kb-query adds to a verb the docs name as a noun.
OR_DOCS = {"es-es/red.md": """# Solucionar problemas de red

## Problemas de conexión con el almacén

Revise las reglas del firewall y la configuración del proxy.

## Registrar el servidor

Para conectar el servidor, abra la consola del agente y elija Registrar. Si la conexión se interrumpe, el almacén no aparece en la lista y hay que repetir el registro desde el principio.

## Cambiar el puerto

Elija otro puerto en la configuración.

## Renovar el certificado

Descargue un certificado nuevo desde el portal.

## Actualizar el agente

Instale la versión más reciente del agente.

## Eliminar una copia de seguridad

Detenga la protección y elimine los datos.

## Restaurar archivos

Elija un punto de recuperación y restaure los archivos.

## Cambiar la directiva

Edite la directiva de copia de seguridad.
"""}


def main():
    _, db = docs_index(DOCS, "the synonym corpus")

    timeout = "es-es/vm-backup-troubleshoot.md#la-copia-de-seguridad-de-la-máquina-virtual-falla-por-tiempo-de-espera"
    resize = "es-es/vm-backup-troubleshoot.md#no-se-puede-iniciar-la-máquina-virtual-después-de-cambiar-el-tamaño"
    says_backup = {"es-es/vm-cmdlets.md#backup-azurermvm", "es-es/vm-cmdlets.md#get-azurermbackupitem"}
    got = top_refs(db, "backup de VM falla", n=5)
    check(got[:1] == [timeout], "'backup de VM' finds the docs' 'copia de seguridad de la máquina virtual', got %s" % got)
    check(says_backup & set(got), "a section that says 'backup' and 'VM' stays a candidate, got %s" % got)
    rc, out, _ = query_json(db, "--limit", "1", "backup de VM falla")
    snippet = out["results"][0]["snippet"].lower() if rc == 0 and out and out["results"] else ""
    check("**copia**" in snippet and "**máquina**" in snippet,
          "the docs' words show as matches in the snippet: %r" % snippet)
    # Start-AzureRmVM "arranca la VM" in so many words; the answer says "iniciar".
    got = top_refs(db, "la VM no arranca")
    check(got[:1] == [resize], "'no arranca' finds the docs' 'no se puede iniciar', got %s" % got)
    # The docs say "cambiar el tamaño" (resize) where an engineer types
    # "redimensionar", in any of its forms.
    for question in ("la VM no arranca después de redimensionar", "redimensioné la VM y no arranca"):
        got = top_refs(db, question)
        check(got[:1] == [resize], "%r finds the docs' 'cambiar el tamaño', got %s" % (question, got))
    got = top_refs(db, "VM 無法啟動")
    check(got[:1] == ["zh-tw/vm.md#虛擬機器無法啟動"], "in Chinese 'VM' is the docs' '虛擬機器', got %s" % got)

    # Azure's English names, which the Spanish docs translate; also plural.
    # The cmdlet that says "VirtualNetworkGateway" came first for each.
    nsg = "es-es/network.md#grupos-de-seguridad-de-red"
    for question, want, what in (
            ("gateway de la red virtual", "es-es/network.md#puertas-de-enlace", "'gateway' is 'puerta de enlace'"),
            ("network security group de la subred", nsg, "'network security group' is 'grupo de seguridad de red'"),
            ("los network security groups", nsg, "an English plural is its singular")):
        got = top_refs(db, question)
        check(got[:1] == [want], "%s: %r, got %s" % (what, question, got))
    # Product names the translation renamed ("Traffic Manager" is the
    # "Administrador de tráfico"); a disk's degraded state shares the rest.
    _, tm_db = docs_index({
        "es-es/traffic.md": "# Administrador de tráfico\n\n## Estado degradado en el Administrador de tráfico\n\n"
                            "Un punto de conexión degradado no responde al sondeo de estado.\n",
        "es-es/disk.md": "# Discos\n\n## Estado degradado de un disco\n\n"
                         "Un disco en estado degradado se repara desde el portal.\n",
        # "traffic" is a word of the docs, so not read as a typo of "tráfico"
        "es-es/watcher.md": "# Network Watcher\n\n## Traffic Analytics\n\nAnaliza el tráfico de la red.\n"},
        "the renamed products corpus")
    got = top_refs(tm_db, "traffic manager estado degradado")
    check(got[:1] == ["es-es/traffic.md#estado-degradado-en-el-administrador-de-tráfico"],
          "'traffic manager' is 'administrador de tráfico', got %s" % got)
    got = top_refs(db, "load balancer 流量")
    check(got[:1] == ["zh-tw/network.md#負載平衡器無法分散流量"], "in Chinese 'load balancer' is '負載平衡器', got %s" % got)
    # A verb typed where the docs name the act: "montar" is their "montaje".
    _, files_db = docs_index(FILES_DOCS, "the mount corpus")
    _, out, _ = query_json(files_db, "montar en linux")
    got = [r["ref"] for r in out["results"]] if out else []
    check(got[:1] == ["es-es/files.md#error-115-de-montaje-en-la-vm-linux"] and "unknown_words" not in out,
          "'montar' is the docs' 'montaje', got %s, %s" % (got, out and out.get("unknown_words")))
    # Azure's English names, translated by the docs: "Recovery Services" is
    # "servicios de recuperación" 559 times in es-ES, 2 times as typed.
    got = top_refs(files_db, "eliminar recovery services")
    check(got[:1] == ["es-es/vault.md#eliminar-un-depósito-de-servicios-de-recuperación"],
          "'recovery services' is the docs' 'servicios de recuperación', got %s" % got)
    got = top_refs(db, "crear la gateway")
    check(got[:1] == ["es-es/vm-cmdlets.md#new-azurermvirtualnetworkgateway"],
          "the section that says 'gateway' still answers it, got %s" % got)

    # "a OR b" is one word of the question: the heading that says it once
    # comes before a long body that says it both ways (which came first).
    _, or_db = docs_index(OR_DOCS, "the OR corpus")
    got = top_refs(or_db, "conexión OR conectar almacén")
    check(got[:2] == ["es-es/red.md#problemas-de-conexión-con-el-almacén", "es-es/red.md#registrar-el-servidor"],
          "an OR's alternatives count as one word, got %s" % got)
    # A verb the docs name as a noun (which Snowball stems apart) is
    # searched as either: "conectar" finds the heading that says "conexión",
    # shown as a match, and the section that says "conectar" stays.
    _, out, _ = query_json(or_db, "no puedo conectar al almacén")
    got = [r["ref"] for r in out["results"]] if out else []
    check(got[:2] == ["es-es/red.md#problemas-de-conexión-con-el-almacén", "es-es/red.md#registrar-el-servidor"],
          "'conectar' is also the docs' 'conexión', got %s" % got)
    snippet = out["results"][0]["snippet"] if got else ""
    check("**conexión**" in snippet, "the noun shows as a match: %r" % snippet)

    # A timeout in the words of an error dialog, however it is worded.
    _, timeout_db = docs_index(TIMEOUT_DOCS, "the timeout corpus")
    transient = "es-es/sql.md#errores-de-conexión-transitorios"
    for question in ("se agotó el tiempo de espera al conectar con SQL",
                     "el tiempo de espera se agotó al conectar con SQL",
                     "tiempo de espera agotado al conectar con SQL"):
        got = top_refs(timeout_db, question)
        check(got[:1] == [transient], "%r is the docs' 'tiempo de espera', got %s" % (question, got))
    got = top_refs(timeout_db, "tiempo de espera agotado")
    check(got[:1] == ["es-es/factory.md#estados-de-un-segmento"],
          "the section that says 'tiempo de espera agotado' still answers it, got %s" % got)

    # Words the docs say otherwise: "subir" is their "cargar", "expirado"
    # their "caducado" (FILES_DOCS says neither "subir" nor "expirado").
    for question, want, what in (
            ("subir archivos al contenedor", "es-es/files.md#cargar-archivos-en-un-contenedor", "'subir' is 'cargar'"),
            ("certificado expirado", "es-es/files.md#renovar-un-certificado-caducado", "'expirado' is 'caducado'")):
        _, out, _ = query_json(files_db, question)
        got = [r["ref"] for r in out["results"]] if out else []
        check(got[:1] == [want] and "unknown_words" not in out,
              "%s: %r, got %s, %s" % (what, question, got, out and out.get("unknown_words")))

    # A stem-changing verb: "encontró" finds the heading that says "encuentra".
    _, stem_db = docs_index(STEM_DOCS, "the stem-changing verb corpus")
    got = top_refs(stem_db, "no se encontró el almacén")
    check(got[:1] == ["es-es/almacen.md#el-almacén-no-se-encuentra-en-el-portal"],
          "'encontró' is also the docs' 'encuentra', got %s" % got)

    # The words as typed, when asked for.
    got = top_refs(db, "backup de VM falla", "--exact")
    check(got[:1] and got[0] in says_backup, "--exact searches the words as typed, got %s" % got)
    got = top_refs(db, '"backup" de VM falla')
    check(got[:1] and got[0] in says_backup, "a quoted word stays as typed, got %s" % got)
    finish()


main()
