"""Baselines kb is measured against, built from the very sections kb indexed.

Both get the same input: every section of a kb index (tables sections + docs)
with its Markdown unpacked and stripped to plain text by one cheap function,
so neither baseline sees a different corpus than kb did.

  export_sections(db_path) -> [{doc, anchor, locale, lang, heading, text}]
  PlainFts(sections, workdir).search(query, k) -> ["doc#anchor", ...]
      the "(b)" baseline: one FTS5 table, tokenize unicode61 remove_diacritics 2,
      queried by one `sqlite3` CLI process per query, every term quoted,
      OR-ed, ORDER BY bm25.
  Xapian(sections, workdir).search(query, k, lang) -> ["doc#anchor", ...]
      python3-xapian TermGenerator with the Snowball stemmer of each section's
      language (CJK n-grams for zh/ja, which have no stemmer), queried by one
      `quest` process per query with the stemmer of the query's language.

Python 3 stdlib only, plus python3-zstandard (Debian) to read the index and
python3-xapian (Debian) for building Xapian."""
import os
import re
import importlib
import shutil
import sqlite3
import subprocess
import sys
import time

STEMMERS = {"es": "spanish", "en": "english", "fr": "french", "de": "german", "it": "italian",
            "pt": "portuguese", "nl": "dutch", "ru": "russian", "sv": "swedish"}
CJK = ("zh", "ja", "ko")


def _import_debian(name):
    """python3-xapian and python3-zstandard live in Debian's dist-packages; a
    python3 from pyenv or a venv of the same minor version can load them
    from there."""
    try:
        return importlib.import_module(name)
    except ImportError:
        pass
    for d in ("/usr/lib/python3/dist-packages", "/usr/lib/python3/site-packages"):
        if os.path.isdir(os.path.join(d, name)) and d not in sys.path:
            sys.path.append(d)
    return importlib.import_module(name)


# Markdown -> plain text, cheaply: enough that neither baseline indexes URLs,
# image paths, markup characters or HTML tags. Code and table cell text stay:
# error messages often live there.
_RE_FENCE = re.compile(r"^\s*(```|~~~).*$", re.M)
_RE_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_RE_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_RE_REFLINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_RE_HTML = re.compile(r"<[^>\n]{1,200}>")
_RE_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_RE_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
_RE_QUOTE = re.compile(r"^\s*>+\s?(?:\[!\w+\])?", re.M)
_RE_TABLE_RULE = re.compile(r"^[\s|:-]+$", re.M)
_RE_MARKS = re.compile(r"[*_`|]+")
_RE_SPACE = re.compile(r"[ \t]+")


def markdown_to_text(md):
    t = _RE_FENCE.sub("", md)
    t = _RE_IMAGE.sub(r"\1", t)
    t = _RE_LINK.sub(r"\1", t)
    t = _RE_REFLINK.sub(r"\1", t)
    t = _RE_HTML.sub(" ", t)
    t = _RE_HEADING.sub("", t)
    t = _RE_LIST.sub("", t)
    t = _RE_QUOTE.sub("", t)
    t = _RE_TABLE_RULE.sub("", t)
    t = _RE_MARKS.sub(" ", t)
    t = _RE_SPACE.sub(" ", t)
    return "\n".join(line.strip() for line in t.splitlines() if line.strip())


def export_sections(db_path):
    """Every section of a kb index, in index order. A section's view is a zstd
    frame (packed with its language's dictionary, named in the frame) of
    NUL-separated fields, the first being the section's Markdown
    (common/kb_view.h)."""
    zstd = _import_debian("zstandard")
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    try:
        dicts = con.execute("SELECT id, dict FROM dicts").fetchall()
        rows = con.execute("SELECT d.path, s.anchor, s.locale, s.lang, s.heading, v.view "
                           "FROM sections s JOIN docs d ON d.id = s.doc_id JOIN section_view v ON v.id = s.id "
                           "ORDER BY s.id").fetchall()
    finally:
        con.close()
    dctx = {i: zstd.ZstdDecompressor(dict_data=zstd.ZstdCompressionDict(d)) for i, d in dicts}
    dctx[0] = zstd.ZstdDecompressor()

    def source(view):
        if not view:
            return ""
        text = dctx[zstd.get_frame_parameters(view).dict_id].decompress(view)
        return text.split(b"\0", 1)[0].decode("utf-8", "replace")

    return [{"doc": doc, "anchor": anchor, "locale": locale, "lang": lang, "heading": heading,
             "text": markdown_to_text(source(view))} for doc, anchor, locale, lang, heading, view in rows]


def _ref(s):
    return s["doc"] + "#" + s["anchor"]


class PlainFts:
    """What anyone gets from SQLite alone: FTS5 with its stock tokenizer."""

    def __init__(self, sections, workdir):
        self.path = os.path.join(workdir, "plain-fts5.sqlite")
        if os.path.exists(self.path):
            os.unlink(self.path)
        t0 = time.perf_counter()
        con = sqlite3.connect(self.path)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("CREATE VIRTUAL TABLE s USING fts5(ref UNINDEXED, heading, body, "
                    "tokenize='unicode61 remove_diacritics 2')")
        con.executemany("INSERT INTO s(ref, heading, body) VALUES(?,?,?)",
                        ((_ref(s), s["heading"], s["text"]) for s in sections))
        con.commit()
        con.close()
        self.index_seconds = time.perf_counter() - t0
        self.sqlite3 = shutil.which("sqlite3") or "sqlite3"

    @staticmethod
    def match_expr(query):
        """Every whitespace-separated term quoted (FTS5 string, '"' doubled),
        OR-ed."""
        terms = [t for t in query.split() if t.strip()]
        return " OR ".join('"%s"' % t.replace('"', '""') for t in terms)

    def command(self, query, k):
        expr = self.match_expr(query)
        if not expr:
            return None
        sql = "SELECT ref FROM s WHERE s MATCH '%s' ORDER BY bm25(s) LIMIT %d;" % (expr.replace("'", "''"), k)
        return [self.sqlite3, "-readonly", "-batch", "-noheader", "-list", self.path, sql]

    def search(self, query, k):
        cmd = self.command(query, k)
        if cmd is None:
            return []
        p = subprocess.run(cmd, capture_output=True)
        return [line for line in p.stdout.decode("utf-8", "replace").splitlines() if line]


class Xapian:
    """Xapian 1.4 with Snowball stemming, the classic open-source choice."""

    def __init__(self, sections, workdir):
        xapian = _import_debian("xapian")
        self.path = os.path.join(workdir, "xapian.db")
        shutil.rmtree(self.path, ignore_errors=True)
        t0 = time.perf_counter()
        db = xapian.WritableDatabase(self.path, xapian.DB_CREATE_OR_OVERWRITE)
        gens = {}
        for s in sections:
            lang = s["lang"]
            tg = gens.get(lang)
            if tg is None:
                tg = xapian.TermGenerator()
                if lang in STEMMERS:
                    tg.set_stemmer(xapian.Stem(STEMMERS[lang]))
                if lang in CJK:
                    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
                gens[lang] = tg
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(s["heading"])
            tg.increase_termpos()
            tg.index_text(s["text"])
            doc.set_data(_ref(s))
            db.add_document(doc)
        db.commit()
        db.close()
        self.index_seconds = time.perf_counter() - t0
        self.quest = shutil.which("quest") or "quest"

    def command(self, query, k, lang):
        cmd = [self.quest, "-d", self.path, "-m", str(k), "-s", STEMMERS.get(lang, "none")]
        if lang in CJK:
            cmd += ["-f", "default,cjk_ngram"]
        return cmd + ["--", query]

    @staticmethod
    def parse(out):
        """quest prints 'MSet:' then, per match, 'RANK: [WEIGHT]' and the
        document data on the next line."""
        refs = []
        lines = out.splitlines()
        try:
            i = lines.index("MSet:") + 1
        except ValueError:
            return refs
        while i + 1 < len(lines):
            if re.match(r"^\d+: \[", lines[i]):
                refs.append(lines[i + 1])
                i += 2
            else:
                i += 1
        return refs

    def search(self, query, k, lang):
        p = subprocess.run(self.command(query, k, lang), capture_output=True)
        return self.parse(p.stdout.decode("utf-8", "replace"))
