#!/usr/bin/env python3
"""make_seeds.py: (re)generates tests/fuzz/corpus/<target>/ from the real
docs in corpus/ (split into sections), tests/dev-queries.tsv and a list of
hostile cases. Run from anywhere; deterministic. The seeds are committed,
so this only needs running when the input formats of the targets change."""
import hashlib
import os
import random
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
random.seed(7)

LANGS = ["ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de", "el", "hi", "hu", "id", "ga", "it",
         "lt", "ne", "no", "pt", "ro", "ru", "sr", "es", "sv", "ta", "tr", "yi", "ja", "zh", "ko", ""]
SEP = b"\n%%%%\n"


def docs():
    out = []
    for dirpath, _, files in sorted(os.walk(os.path.join(ROOT, "corpus"))):
        for f in sorted(files):
            if f.endswith(".md"):
                p = os.path.join(dirpath, f)
                out.append((os.path.relpath(p, os.path.join(ROOT, "corpus")), open(p, "rb").read()))
    return out


def sections(md):
    parts = re.split(rb"(?m)^(?=#{1,3}[^#])", md)
    return [p for p in parts if p.strip()]


def write(target, items):
    d = os.path.join(HERE, "corpus", target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    seen = set()
    for data in items:
        h = hashlib.sha1(data).hexdigest()[:16]
        if h in seen:
            continue
        seen.add(h)
        with open(os.path.join(d, h), "wb") as f:
            f.write(data)
    print(target, len(seen))


DOCS = docs()
SECTIONS = [(path, s) for path, md in DOCS for s in sections(md)]


def lang_of(path):
    return path.split("/")[0].split("-")[0]


# ---- md ----------------------------------------------------------------
md = [m for _, m in DOCS]
md += [s for _, s in random.sample(SECTIONS, 60)]
for f in sorted(os.listdir(os.path.join(ROOT, "tests/data/md"))):
    md.append(open(os.path.join(ROOT, "tests/data/md", f), "rb").read())
md += [
    b"# T\n\n[!INCLUDE [a](../../includes/a.md)]\n\n## B\n" + SEP + b"includes/a.md\n## From include\n\ntext 0x80070570\n",
    b"# T\n[!INCLUDE [a](a.md)]\n" + SEP + b"docs/topic/a.md\n[!INCLUDE [b](b.md)]\n" + SEP + b"docs/topic/b.md\n[!INCLUDE [a](a.md)]\n",
    b"# T\n[!INCLUDE [x](../../../etc/passwd)]\n[!INCLUDE [y](/etc/passwd)]\n[AZURE.INCLUDE [z](../../../../x.md)]\n",
    b"# T\n> [!INCLUDE [a](./a.md)]\n- [!INCLUDE [a](a.md)]\n" + SEP + b"docs/topic/a.md\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    b"# T\n[!INCLUDE [self](doc.md)]\n",
    b"---\ntitle: x\ndescription: [unclosed\n---\n# H\n",
    b"---\ntitle: 'a'\nms.topic: troubleshooting\nms.date: 01/01/2017\nms.contentlocale: es-ES\n---\n# H\ntext\n",
    b"<properties pageTitle=\"T\" description=\"d\" />\n<tags ms.topic=\"article\" ms.date=\"x\"/>\n\n##<a name=\"x\"></a>Heading\n",
    b"<a id=\"cause1\"></a>\n<a name=\"c2\"></a>\n## Cause\n## Cause\n## Cause\n",
    b"```\n# not a heading\n```\n# Real\n",
    b"| Error | Cause | Recommended action |\n|---|---|---|\n| 0x1 | c | a |\n| only one |\n| 1 | 2 | 3 | 4 | 5 |\n",
    b"**Error message**: The file is corrupt (0x80070570)\n",
    b"> [!NOTE]\n> note\n\n> [AZURE.SELECTOR]\n- [a](a.md)\n",
    b"-" * 3 + b"\n" + b"a: b\n" * 50 + b"---\n",
    b"- " * 500 + b"x\n",
    b"> " * 500 + b"x\n",
    b"|" + b" a |" * 300 + b"\n|" + b"---|" * 300 + b"\n",
    b"[" * 1000 + b"](" * 100,
    b"#" * 7 + b" seven\n# \n#\n##\n###   \n",
    "# Título con acentos ñ\n## エラー\n### 错误 0x800706BA\n".encode(),
    b"\r\n# CRLF\r\ntext\r\n",
    b"# T\n\nUse [SSMS][] and [x][LBL], not [gone][].\n\n## B\n\n[ssms]: https://e.x\n[lbl]:\n  ./a.md\n  \"t\"\n",
    b"## S\n[a] [b][a]\n" * 50 + b"[a]: /" + b"x" * 3000 + b"\n[" + b"b" * 1200 + b"]: y\n",
    b"",
]
write("md", md)

# ---- tok ---------------------------------------------------------------
tok = []
for i, (path, s) in enumerate(random.sample(SECTIONS, 120)):
    li = LANGS.index(lang_of(path)) if lang_of(path) in LANGS else LANGS.index("")
    for mode in (0, 0x80):
        tok.append(bytes([li | mode]) + s[:4096])
for li in range(len(LANGS)):
    path, s = random.choice(SECTIONS)
    tok.append(bytes([li | (0x80 if li % 2 else 0)]) + s[:2048])
hostile_text = [
    b"\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc\xed\xa0\x80",
    b"CBengine.exe MSOnlineBackup OBRecoveryServicesManagementAgent 0x80070570 -2147024891",
    "ｆｕｌｌｗｉｄｔｈ Ⅻ ﬁ ß İ ǅ e\u0301 a\u0308\u0308\u0308 ".encode(),
    "バックアップの失敗 备份失败 백업 실패 ｶﾀｶﾅ".encode(),
    "Recuperación de máquinas virtuales niño acción".encode(),
    "Резервное копирование Ελληνικά العربية हिन्दी தமிழ் ייִדיש".encode(),
    b"a" * 3000,
    ("\u0301" * 500).encode(),
    b"\x00\x01\x02\t\n\r\x1b[1m",
    b"foo_bar-baz.qux/quux\\corge:grault@garply#waldo",
    "😀🏳️‍🌈 emoji👍🏽".encode(),
]
for li, t in enumerate(hostile_text):
    tok.append(bytes([(li * 5) % len(LANGS)]) + t)
    tok.append(bytes([0x80 | ((li * 7) % len(LANGS))]) + t)
write("tok", tok)

# ---- qparse ------------------------------------------------------------
queries = []
for line in open(os.path.join(ROOT, "tests/dev-queries.tsv"), encoding="utf-8"):
    if line.startswith("#") or line.startswith("id\t"):
        continue
    cols = line.rstrip("\n").split("\t")
    if len(cols) >= 3:
        queries.append(cols[2].encode())
queries += [
    b"", b"   ", b"\"", b"\"\"", b"\"a", b"a\"b\"c", b"*", b"^", b":", b"NEAR(", b"NEAR(a b, 3)",
    b"AND OR NOT", b"a OR", b"OR a", b"a OR OR b", b"-a", b"- a", b"-", b"--a", b"-\"a b\"",
    b"heading:x", b"{heading body}: x", b"(a", b"a)", b"((a) OR (b", b"a*", b"^a", b"a + b",
    b"'; DROP TABLE sections; --", b"SELECT * FROM fts_en WHERE 1=1",
    b"\xff\xfe", b"\x01\x02\x1b[31m", "エラー 0x80070570 が発生".encode(), "备份 失败".encode(),
    b"a OR b c OR d -e -f \"g h\" OR i", b"x " * 60, b"0x80070570 OR ERROR_FILE_CORRUPT -2147024891",
    b"\"NEAR(\" \"AND\" \"*\"", b"\"\"\"\"", b"-\"\"", b"a -b OR c",
    # symptoms: left out of what a section must hold, CJK ones blanked
    "no puedo iniciar la máquina virtual".encode(), "無法連接到虛擬機器".encode(), "失敗".encode(),
    "\"無法\" 備份失敗 無法".encode(), b"no se puede", b"falla -falla \"no puedo\" OR falla no se pudo",
]
write("qparse", queries)

# ---- errid -------------------------------------------------------------
errid = []
pat = re.compile(rb"(0x[0-9A-Fa-f]{4,8}|-?\d{5,10}|[A-Z][A-Za-z]{10,}|ERROR_[A-Z_]+)")
lines = [l for _, md in DOCS for l in md.splitlines() if pat.search(l)]
for i, l in enumerate(random.sample(lines, min(150, len(lines)))):
    errid.append(bytes([(i * 37) & 0xff]) + l[:1024])
errid += [
    bytes([2]) + b"Error code\n0x80070570",
    bytes([2]) + "Código de error\nUserErrorVmNotFound".encode(),
    bytes([0]) + b"Error 0x0001FC07: SalChecksumStoreInitializationFailed",
    bytes([1]) + b"HRESULT 2147942405 or -2147024891 or 0X00000000 or 0x",
    bytes([3]) + b"ERROR_FILE_CORRUPT ERROR_SUCCESS E_FAIL 0xFFFFFFFF 0x100000000 0x" + b"f" * 200,
    bytes([1]) + b"-" + b"9" * 40 + b" " + b"1" * 30,
    bytes([0xff]) + b"\xff\xfe0x8007\xc3",
    bytes([0x41]) + b"A" * 200,
    bytes([0x42]) + "エラー コード 0x80070570 错误 34513".encode(),
]
write("errid", errid)

# ---- render ------------------------------------------------------------
render = []
for i, (path, s) in enumerate(random.sample(SECTIONS, 150)):
    render.append(bytes([[0, 80, 40, 1, 120, 7][i % 6], i & 15]) + s)
for f in sorted(os.listdir(os.path.join(ROOT, "tests/data/render"))):
    render.append(bytes([72, 3]) + open(os.path.join(ROOT, "tests/data/render", f), "rb").read())
for m in md[-22:]:
    try:
        m.decode("utf-8")
    except UnicodeDecodeError:
        continue
    if b"\x00" not in m:
        render.append(bytes([20, 7]) + m)
render += [
    bytes([1, 1]) + "ａａａａ 漢字漢字漢字 e\u0301e\u0301e\u0301 😀😀".encode(),
    bytes([3, 3]) + b"[link](../other.md#anchor) [ext](https://x.y) [rel](./a/b/../c.md) ![img](i.png)",
    bytes([5, 2]) + b"`code` **bold** *it* ~~strike~~ <b>html</b> &amp; &#0; &#xD800;",
    bytes([0, 0]) + b"| a |\n|---|\n" + b"| x |\n" * 200,
]
write("render", render)

# ---- search ------------------------------------------------------------
# Byte 0 the options, byte 1 limit and offset (fuzz_search.c); the queries
# of qparse that kb-query would accept (UTF-8, no NUL).
search = []
for i, q in enumerate(queries):
    try:
        q.decode("utf-8")
    except UnicodeDecodeError:
        continue
    if b"\x00" not in q:
        search.append(bytes([(i * 37) & 0xff, 0x09 if i % 3 else 0x34]) + q)
write("search", search)
