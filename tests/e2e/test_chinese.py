"""Chinese in either script: the zh-TW docs are Traditional, and an engineer
on the mainland types Simplified characters (i18n/kb_han.h) and the
mainland's words for what Taiwan's docs say otherwise (i18n/kb_zh_words.h).
Japanese keeps its kanji as written."""
from kbtest import check, docs_index, finish, query_json

DOCS = {
    "zh-tw/virtual-machines-troubleshoot.md": """# 疑難排解 Azure 虛擬機器

## 虛擬機器無法啟動

當您嘗試啟動已停止的虛擬機器時，可能會收到配置失敗的錯誤。請重新部署虛擬機器。

## 無法連線到虛擬機器

請檢查網路安全性群組是否允許遠端桌面連線。

## 調整虛擬機器的大小

虛擬機器的大小決定虛擬機器的效能：選擇較大的虛擬機器。
""",
    "zh-tw/storage-account.md": """# 儲存帳戶

## 建立儲存帳戶

在 Azure 入口網站中選取 **新增**，然後選取 **儲存帳戶**。

## 刪除儲存帳戶

刪除儲存帳戶會刪除其中的所有資料。
""",
    "zh-tw/cloud-services-certificates.md": """# 雲端服務的憑證

## 憑證過期時更新憑證

在入口網站上傳新的憑證，然後更新雲端服務的組態。
""",
    "zh-tw/sql-database.md": """# SQL 資料庫的連線

## 無法連線到資料庫伺服器

確認防火牆規則允許您的用戶端 IP 位址連線到伺服器。
""",
    "zh-tw/redis-cache.md": """# Azure Redis 快取的疑難排解

## 用戶端記憶體壓力

選擇較大的快取大小，或減少快取中的資料。
""",
    "zh-tw/iot-led.md": """# 疑難排解 Raspberry Pi 套件

## LED 閃爍的速度

變更程式碼中的間隔，可讓 LED 閃爍得更快。
""",
    "en-us/storage-account.md": """# Storage accounts

## Create a storage account

In the Azure portal, select **New**, then **Storage account**.
""",
    "ja-jp/vm-troubleshoot.md": """# 仮想マシンのトラブルシューティング

## 仮想マシンが起動しない

仮想マシンの機能を確認してください。
""",
}
root, db = docs_index(DOCS, "Chinese and Japanese docs")


def headings(q, *opts):
    rc, doc, err = query_json(db, "--limit", "3", *opts, "--", q)
    check(rc in (0, 1) and doc is not None, "%r: kb-query answers (rc %d): %s" % (q, rc, err))
    return [h["heading"] for h in doc["results"]] if doc else []


# The same question in either script finds the same sections.
for trad, simp in (("虛擬機器無法啟動", "虚拟机器无法启动"), ("刪除儲存帳戶", "删除储存帐户")):
    want = headings(trad)
    got = headings(simp)
    check(want and got == want, "%r finds what %r does: %s against %s" % (simp, trad, got, want))
check(headings("虚拟机器无法启动")[:1] == ["虛擬機器無法啟動"], "a Simplified question's section comes first")

# The mainland's words: 存储 is Taiwan's 儲存, 虚拟机 its 虛擬機器, 数据库
# 资料库 and 服务器 伺服器. Read in the environment's language (English
# here), which knows none of them, the question is still Chinese.
for q, want in (("存储帐户", "儲存帳戶"), ("创建存储帐户", "建立儲存帳戶"), ("创建存储账户", "建立儲存帳戶"), ("虚拟机无法启动", "虛擬機器無法啟動"),
                ("无法连接到数据库服务器", "無法連線到資料庫伺服器"),
                # words OpenCC lacks (i18n/zh_words.tsv)
                ("证书过期", "憑證過期時更新憑證"), ("云服务的证书过期", "憑證過期時更新憑證")):
    got = headings(q)
    check(got[:1] == [want], "%r finds %r first: %s" % (q, want, got))

# A mainland word the docs say in Taiwan's words is no word they lack: the
# question's words are named unknown only if no rewording holds them.
rc, doc, _ = query_json(db, "--", "证书魔法咒语")
check(doc and doc.get("unknown_words") == ["魔法咒语"], "only 魔法咒语 is unknown: %r" % (doc and doc.get("unknown_words")))

# "壓力大" (the pressure is high): the docs hold 壓力 and bigrams that start
# with 大, but not the pair 力大. They lack no word of it; 大 had been named.
rc, doc, _ = query_json(db, "--", "記憶體壓力大")
check(doc and not doc.get("unknown_words"), "no word of 記憶體壓力大 is unknown: %r" % (doc and doc.get("unknown_words")))
check(headings("記憶體壓力大")[:1] == ["用戶端記憶體壓力"], "記憶體壓力大 finds the memory pressure section")

# In a C locale (a bot's usual), a Chinese question shows Chinese copies:
# a Spanish copy whose docs know only its English word ("Azure") had been
# taken for a section matching it whole.
SPANISH = {"es-es/storage-account.md": """# Cuentas de almacenamiento

## <a name="create"></a>Crear una cuenta de almacenamiento

En Azure portal, seleccione **Nuevo** y **Cuenta de almacenamiento**.

## <a name="delete"></a>Eliminar una cuenta de almacenamiento

Eliminar la cuenta de Azure elimina sus datos.
""", "zh-tw/storage-account.md": """# 儲存帳戶

## <a name="create"></a>建立儲存帳戶

在 Azure 入口網站中選取 **新增**，然後選取 **儲存帳戶**。

## <a name="delete"></a>刪除儲存帳戶

刪除 Azure 儲存帳戶會刪除其中的所有資料。
"""}
_, es_zh_db = docs_index(SPANISH, "a storage guide in Spanish and Chinese")
# Chinese knows every word, yet no section holds them all; Spanish knows "Azure".
rc, doc, _ = query_json(es_zh_db, "--", "Azure 建立 刪除", env={"LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": ""})
got = [(h["locale"], h["heading"]) for h in doc["results"]] if doc else []
check(got and all(loc == "zh-tw" for loc, _ in got), "a Chinese question shows Chinese copies: %s" % got)

# "不能", "不會" and "沒有" say "cannot" as "無法" does: a symptom, which the
# section need not hold ("虛擬機器 不能啟動" had required "不能啟動").
for q in ("虛擬機器 不能啟動", "虛擬機器 不會啟動", "虚拟机器 没有启动", "虛擬機器無法啟動"):
    check(headings(q)[:1] == ["虛擬機器無法啟動"], "%r finds the section that cannot start: %s" % (q, headings(q)))
# "不" goes before any verb: a three- or four-character word the docs lack
# is searched as its bigrams they hold ("不閃爍" as "閃爍"), not dropped.
rc, doc, _ = query_json(db, "--limit", "3", "--", "LED 不閃爍")
got = [h["heading"] for h in doc["results"]] if doc else []
check(got[:1] == ["LED 閃爍的速度"] and doc.get("corrected") == "LED 閃爍",
      "'LED 不閃爍' is searched as 'LED 閃爍': %s %r" % (got, doc and doc.get("corrected")))

# A four-character run two words make, where no section has every word of
# the question, is searched as those words: the docs write them apart
# ("超過配置的配額"), and the run, searched whole, had found nothing
# ("啟動配置" of "VM無法啟動配置失敗", its symptoms left out, likewise).
_, quota_db = docs_index({"zh-tw/quota.md": "# 自動化疑難排解\n\n## 作業配額已用完\n\n"
                          "Runbook 作業已超過配置的配額，請等到下個月。\n\n## 儲存體\n\n"
                          "儲存體超過配額時，寫入會失敗。\n\n## 其他\n\n超過時間限制。\n"}, "a quota section")
for q in ("runbook 超過配額", "Runbook超過配額"):
    rc, doc, _ = query_json(quota_db, "--lang", "zh-tw", "--", q)
    refs = [r["ref"] for r in doc["results"]] if doc else []
    check(rc == 0 and refs[:1] == ["zh-tw/quota.md#作業配額已用完"] and doc.get("corrected", "").endswith("超過 配額"),
          "%r finds the quota section, searched as two words: %s %r" % (q, refs, doc and doc.get("corrected")))

# The question shown as searched writes a longer run as typed: its
# bigrams ("作業 業已 已超 超過 過配 配置") are no words to show a reader.
rc, doc, _ = query_json(quota_db, "--lang", "zh-tw", "--", "超過配額 作業已超過配置")
check(doc and doc.get("corrected") == "超過 配額 作業已超過配置",
      "a run of bigrams is shown as typed: %r" % (doc and doc.get("corrected")))

# Taiwan's engineers type a few words the docs' translation says otherwise
# (超時 for 逾時, 連不上 for 無法連線): the question is searched in the docs'
# words, as a mainland question is, though typed in Traditional characters.
_, tw_db = docs_index({"zh-tw/redis.md": "# Redis 快取的疑難排解\n\n## 用戶端逾時\n\n"
                       "StackExchange.Redis 逾時例外狀況：增加用戶端的逾時值。\n\n## 伺服器負載\n\n"
                       "Redis 快取的伺服器負載過高。\n",
                       "zh-tw/ssh.md": "# SSH 疑難排解\n\n## 無法連線到 Linux VM\n\n"
                       "重設 SSH 設定。\n\n## 重設密碼\n\n重設 Linux VM 的密碼。\n"}, "Taiwan's words")
for q, want in (("Redis 快取 超時", "用戶端逾時"), ("SSH 連不上 Linux VM", "無法連線到 Linux VM")):
    rc, doc, _ = query_json(tw_db, "--lang", "zh-tw", "--", q)
    got = [h["heading"] for h in doc["results"]] if doc else []
    check(rc == 0 and got[:1] == [want] and not doc.get("unknown_words"),
          "%r finds %r first, no word unknown: %s %r" % (q, want, got, doc and doc.get("unknown_words")))

# Japanese is not Chinese (its kanji are not folded: test_tok), and its
# question finds its section.
check(headings("仮想マシンの機能")[:1] == ["仮想マシンが起動しない"], "a Japanese question finds its section")

finish()
