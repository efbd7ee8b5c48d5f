/* test_tok.c: the text pipeline and the FTS5 tokenizer "kb". */
#include "kb_test.h"

#include "kb_tok.h"
#include "kb_util.h"
#include "kb_vocab_table.h"

#include <libstemmer.h>
#include <sqlite3.h>
#include <stdint.h>

/* ---- helpers ---- */

/* Token stream as text: "a b +c" (a '+' marks a colocated token). */
typedef struct {
    kb_buf b;
    int nText;
    int nCalls;
    int nStopAfter;
    int bBad; /* an offset or token out of bounds */
} tok_sink;

static int tok_collect(void *ctx, int flags, const char *z, int n, int iStart, int iEnd)
{
    tok_sink *s = ctx;
    s->nCalls++;
    if (n <= 0 || iStart < 0 || iEnd > s->nText || iStart >= iEnd || !kb_utf8_valid(z, (size_t)n, NULL)) s->bBad = 1;
    if (s->b.n) kb_buf_addc(&s->b, ' ');
    if (flags & KB_TOK_COLOCATED) kb_buf_addc(&s->b, '+');
    kb_buf_add(&s->b, z, (size_t)n);
    if (s->nStopAfter && s->nCalls >= s->nStopAfter) return 7;
    return 0;
}

/* The tokens of text, space-separated, '+' before a colocated one; with
 * the ASCII fast paths on (bFast) or off. */
static char *tokens_mode(const char *lang, int mode, const char *text, int bFast)
{
    static char out[4096];
    tok_sink s = {{0}, (int)strlen(text), 0, 0, 0};
    kb_tok *t = kb_tok_new(lang);
    kb_tok_set_fast_path(t, bFast);
    kb_tok_run(t, mode, text, (int)strlen(text), &s, tok_collect);
    snprintf(out, sizeof out, "%s", kb_buf_str(&s.b));
    kb_buf_free(&s.b);
    kb_tok_free(t);
    return out;
}

static char *tokens(const char *lang, int mode, const char *text)
{
    return tokens_mode(lang, mode, text, 1);
}

static char *fold(const char *z)
{
    static char out[256];
    kb_tok_fold(z, strlen(z), out, sizeof out);
    return out;
}

static sqlite3 *fts_open(const char *lang)
{
    sqlite3 *db = NULL;
    char *zSql = kb_xasprintf("CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='kb %s')", lang);
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK_INT(kb_tok_register_fts5(db), KB_OK);
    CHECK(sqlite3_exec(db, zSql, NULL, NULL, NULL) == SQLITE_OK);
    free(zSql);
    return db;
}

static void fts_add(sqlite3 *db, const char *body)
{
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO doc(body) VALUES(?1)", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, body, -1, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
}

/* highlight() of the first row matching q, or "" if none matches. */
static char *fts_hl(sqlite3 *db, const char *q)
{
    static char out[1024];
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    CHECK(sqlite3_prepare_v2(db, "SELECT highlight(doc, 0, '[', ']') FROM doc WHERE doc MATCH ?1 ORDER BY rowid",
                             -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    else CHECK(rc == SQLITE_DONE);
    sqlite3_finalize(st);
    return out;
}

/* The query string for a literal text: a quoted FTS5 string. */
static char *q(const char *text)
{
    static char out[512];
    snprintf(out, sizeof out, "\"%s\"", text);
    return out;
}

/* ---- folding ---- */

static void test_fold_applies_nfkc_casefold_and_strips_accents(void)
{
    CHECK_STR(fold("Configuración"), "configuracion");
    CHECK_STR(fold("Straße"), "strasse");
    CHECK_STR(fold("０ｘ８００７"), "0x8007");
    CHECK_STR(fold("ÉLÈVE Ñandú"), "eleve nandu");
    CHECK_STR(fold("ﬁle"), "file");
    CHECK_STR(fold("Άλφα"), "αλφα");
    CHECK_STR(fold("Ёлка"), "елка");
    CHECK_STR(fold("e\xCC\x81t\xC3\xA9"), "ete"); /* decomposed and composed accents alike */
}

static void test_fold_keeps_marks_that_are_letters(void)
{
    /* Dakuten distinguish kana and Devanagari vowel signs are vowels: not diacritics. */
    CHECK_STR(fold("ガイド"), "ガイド");
    CHECK_STR(fold("ｶﾞｲﾄﾞ"), "ガイド");
    CHECK_STR(fold("हिन्दी"), "हिन्दी");
}

static void test_fold_truncates_to_capacity_on_character_boundary(void)
{
    char out[6];
    size_t n = kb_tok_fold("ЁЁЁЁ", strlen("ЁЁЁЁ"), out, sizeof out);
    CHECK_INT(n, 4); /* two 2-byte characters, never half of one */
    CHECK_STR(out, "ее");
    char big[8];
    n = kb_tok_fold("ÉÉÉÉÉÉÉÉÉÉ", strlen("ÉÉÉÉÉÉÉÉÉÉ"), big, sizeof big);
    CHECK_INT(n, 7);
    CHECK_STR(big, "eeeeeee");
}

/* ---- stemming ---- */

static void test_stem_spanish_merges_inflections(void)
{
    CHECK_STR(tokens("es", KB_TOK_QUERY, "configuración configuraciones Configuración"), "configur configur configur");
    CHECK_STR(tokens("es", KB_TOK_QUERY, "canción canciones"), "cancion cancion");
    CHECK_STR(tokens("es", KB_TOK_QUERY, "sesión sesiones"), "sesion sesion");
}

static void test_stem_english_german_french_portuguese(void)
{
    CHECK_STR(tokens("en", KB_TOK_QUERY, "running services Service backups"), "run servic servic backup");
    CHECK_STR(tokens("de", KB_TOK_QUERY, "Straße Strasse Häuser"), "strass strass haus");
    CHECK_STR(tokens("fr", KB_TOK_QUERY, "éléments élément"), "element element");
    CHECK_STR(tokens("pt", KB_TOK_QUERY, "configurações configuração"), "configur configur");
    CHECK_STR(tokens("ru", KB_TOK_QUERY, "ошибки ошибка"), "ошибк ошибк");
}

static void test_no_stemming_without_known_language(void)
{
    CHECK_STR(tokens("", KB_TOK_QUERY, "Running Services"), "running services");
    CHECK_STR(tokens("xx", KB_TOK_QUERY, "Running Services"), "running services");
    kb_tok *t = kb_tok_new("es-ES");
    CHECK_STR(kb_tok_lang(t), "es");
    kb_tok_free(t);
    t = kb_tok_new("ko");
    CHECK_STR(kb_tok_lang(t), "");
    kb_tok_free(t);
}

/* Chinese and Japanese docs write English words among their own: those
 * are read as English, so a reader's plural finds the docs' singular. */
static void test_english_words_in_chinese_and_japanese_are_stemmed(void)
{
    CHECK_STR(tokens("zh", KB_TOK_QUERY, "执行 runbooks"), "执行 runbook");
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "Runbooks を実行"), "runbook を実 実行");
    CHECK_STR(tokens("ko", KB_TOK_QUERY, "runbooks"), "runbooks");
}

static void test_fold_strips_accents_after_stemming(void)
{
    /* kb's token is fold(stem(casefold(word))): the stemmer sees the accents. */
    struct sb_stemmer *st = sb_stemmer_new("spanish", "UTF_8");
    const char *w = "configuración", *w2 = "configuraciones";
    char stemFirst[64], stripFirst[64], stripFirst2[64];
    const sb_symbol *r = sb_stemmer_stem(st, (const sb_symbol *)w, (int)strlen(w));
    kb_tok_fold((const char *)r, (size_t)sb_stemmer_length(st), stemFirst, sizeof stemFirst);
    CHECK_STR(tokens("es", KB_TOK_QUERY, w), stemFirst);

    /* The other order would split the inflections: a swapped pipeline fails the
     * merge asserted in test_stem_spanish_merges_inflections. */
    const char *f = fold(w);
    r = sb_stemmer_stem(st, (const sb_symbol *)f, (int)strlen(f));
    snprintf(stripFirst, sizeof stripFirst, "%.*s", sb_stemmer_length(st), (const char *)r);
    f = fold(w2);
    r = sb_stemmer_stem(st, (const sb_symbol *)f, (int)strlen(f));
    snprintf(stripFirst2, sizeof stripFirst2, "%.*s", sb_stemmer_length(st), (const char *)r);
    CHECK(strcmp(stripFirst, stripFirst2) != 0);
    CHECK(strcmp(stripFirst, stemFirst) != 0);
    sb_stemmer_delete(st);
}

static void test_document_adds_unaccented_spelling_for_accented_words(void)
{
    CHECK_STR(tokens("es", KB_TOK_DOCUMENT, "podría"), "podr +podri");
    CHECK_STR(tokens("es", KB_TOK_DOCUMENT, "canción"), "cancion"); /* same either way: no extra token */
    CHECK_STR(tokens("es", KB_TOK_QUERY, "configuración"), "configur");
}

/* A suffix the Spanish stemmer finds only with its accent is found typed
 * without it: "configuracion" had stayed whole, and found "configuración"
 * (by its unaccented spelling, indexed beside it) but not
 * "configuraciones". The accented spelling adds no token of its own now. */
static void test_spanish_suffix_typed_without_its_accent_stems(void)
{
    for (int bFast = 0; bFast <= 1; bFast++) {
        CHECK_STR(tokens_mode("es", KB_TOK_QUERY, "configuracion CONFIGURACION", bFast), "configur configur");
        CHECK_STR(tokens_mode("es", KB_TOK_QUERY, "solucion tecnologia tecnologias", bFast),
                  "solucion tecnolog tecnolog");
        CHECK_STR(tokens_mode("es", KB_TOK_DOCUMENT, "configuraciones configuración", bFast), "configur configur");
        CHECK_STR(tokens_mode("en", KB_TOK_QUERY, "acion", bFast), "acion"); /* Spanish only */
    }
}

static void test_unaccented_query_finds_accented_document(void)
{
    sqlite3 *db = fts_open("es");
    fts_add(db, "Error de configuración del agente");
    CHECK_STR(fts_hl(db, q("configuracion")), "Error de [configuración] del agente");
    CHECK_STR(fts_hl(db, q("Configuraciones")), "Error de [configuración] del agente");
    CHECK_STR(fts_hl(db, q("CONFIGURACIÓN")), "Error de [configuración] del agente");
    CHECK_STR(fts_hl(db, q("configurar")), "Error de [configuración] del agente");
    sqlite3_close(db);
}

static void test_stop_words_are_kept(void)
{
    CHECK_STR(tokens("en", KB_TOK_QUERY, "the of a"), "the of a");
    CHECK_STR(tokens("es", KB_TOK_QUERY, "de la el"), "de la el");
}

/* ---- identifiers and numbers ---- */

static void test_identifiers_token_stream(void)
{
    CHECK_STR(tokens("en", KB_TOK_DOCUMENT, "MSOnlineBackup"), "msonlinebackup +ms +onlin +backup");
    CHECK_STR(tokens("en", KB_TOK_QUERY, "MSOnlineBackup"), "msonlinebackup");
    CHECK_STR(tokens("en", KB_TOK_DOCUMENT, "CBengine.exe"), "cbengin +bengin exe");
    CHECK_STR(tokens("en", KB_TOK_QUERY, "CBengine.exe"), "cbengin exe");
    CHECK_STR(tokens("en", KB_TOK_DOCUMENT, "0x80070570"), "0x80070570 +80070570");
    CHECK_STR(tokens("en", KB_TOK_QUERY, "0x80070570"), "0x80070570");
    CHECK_STR(tokens("en", KB_TOK_QUERY, "C:\\Windows\\Temp"), "c window temp");
    CHECK_STR(tokens("en", KB_TOK_DOCUMENT, "KB4012345"), "kb4012345 +kb +4012345");
}

static void test_words_with_digits_are_not_stemmed(void)
{
    CHECK_STR(tokens("en", KB_TOK_QUERY, "updates2 running 1000s"), "updates2 run 1000s");
    CHECK_STR(tokens("en", KB_TOK_QUERY, "０ｘ８００７"), "0x8007");
}

static void test_identifiers_are_found_whole_and_in_parts(void)
{
    sqlite3 *db = fts_open("en");
    fts_add(db, "Restart MSOnlineBackup now");
    fts_add(db, "The CBengine.exe process stopped");
    fts_add(db, "Delete OnlineBackup.KEK first");
    fts_add(db, "Go to C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Scratch please");
    fts_add(db, "Error 0x80070570 occurred");
    fts_add(db, "Load Microsoft.Azure.OnlineBackup.dll");

    CHECK_STR(fts_hl(db, q("MSOnlineBackup")), "Restart [MSOnlineBackup] now");
    CHECK_STR(fts_hl(db, q("msonlinebackup")), "Restart [MSOnlineBackup] now");
    CHECK_STR(fts_hl(db, q("Restart MSOnlineBackup now")), "[Restart MSOnlineBackup now]");
    /* FTS5 highlights a position with the offsets of its first token: the whole word */
    CHECK_STR(fts_hl(db, "online AND backup AND restart"), "[Restart] [MSOnlineBackup] now");
    CHECK_STR(fts_hl(db, q("online backup")), ""); /* parts share one position: not a phrase */
    CHECK_STR(fts_hl(db, q("CBengine.exe")), "The [CBengine.exe] process stopped");
    CHECK_STR(fts_hl(db, q("cbengine.exe")), "The [CBengine.exe] process stopped");
    CHECK_STR(fts_hl(db, q("The cbengine.exe process")), "[The CBengine.exe process] stopped");
    CHECK_STR(fts_hl(db, q("OnlineBackup.KEK")), "Delete [OnlineBackup.KEK] first");
    CHECK_STR(fts_hl(db, q("C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Scratch")),
              "Go to [C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Scratch] please");
    CHECK_STR(fts_hl(db, q("0x80070570")), "Error [0x80070570] occurred");
    CHECK_STR(fts_hl(db, q("80070570")), "Error [0x80070570] occurred");
    CHECK_STR(fts_hl(db, q("0")), "");                        /* the hex code is one token */
    CHECK_STR(fts_hl(db, q("x80070570")), "");
    CHECK_STR(fts_hl(db, q("azure.onlinebackup.dll")), "Load Microsoft.[Azure.OnlineBackup.dll]");
    sqlite3_close(db);
}

/* ---- CJK ---- */

static void test_cjk_runs_become_bigrams(void)
{
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "エラーメッセージ"), "エラ ラー ーメ メッ ッセ セー ージ");
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "エラー メッセージ"), "エラ ラー ーメ メッ ッセ セー ージ");
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "ｴﾗｰ"), "エラ ラー");
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "ガイド"), "ガイ イド");
    CHECK_STR(tokens("zh", KB_TOK_QUERY, "数据库"), "数据 据库");
    CHECK_STR(tokens("zh", KB_TOK_QUERY, "中"), "中");
    CHECK_STR(tokens("ko", KB_TOK_QUERY, "백업 오류"), "백업 업오 오류");
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "Windows更新プログラム2"), "window 更新 新プ プロ ログ グラ ラム 2");
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "設定・確認"), "設定 確認"); /* ・ is punctuation */
}

/* zh-TW docs are Traditional; a mainland engineer types Simplified. */
static void test_chinese_reads_either_script_as_simplified(void)
{
    CHECK_STR(tokens("zh", KB_TOK_QUERY, "虛擬機器無法啟動"), tokens("zh", KB_TOK_QUERY, "虚拟机器无法启动"));
    CHECK_STR(tokens("zh", KB_TOK_DOCUMENT, "數據庫"), "数据 据库");
    CHECK_STR(tokens("zh-TW", KB_TOK_QUERY, "帳戶"), "帐户");
    CHECK_STR(tokens("zh", KB_TOK_QUERY, "機"), "机");
    CHECK_STR(tokens("zh", KB_TOK_QUERY, "ｴﾗｰ 機"), "エラ ラー ー机"); /* NFKC first, then the script */
    /* only Chinese: a Japanese 機 is no desk (机) */
    CHECK_STR(tokens("ja", KB_TOK_QUERY, "機能"), "機能");
    CHECK_STR(tokens("", KB_TOK_QUERY, "機能"), "機能");
}

static void test_simplified_question_marks_traditional_text(void)
{
    sqlite3 *db = fts_open("zh");
    fts_add(db, "Azure 虛擬機器無法啟動時的疑難排解");
    fts_add(db, "機能");
    CHECK_STR(fts_hl(db, q("虚拟机器无法启动")), "Azure [虛擬機器無法啟動]時的疑難排解");
    CHECK_STR(fts_hl(db, q("疑难排解")), "Azure 虛擬機器無法啟動時的[疑難排解]");
    CHECK_STR(fts_hl(db, q("虛擬機器")), "Azure [虛擬機器]無法啟動時的疑難排解");
    sqlite3_close(db);
}

static void test_japanese_query_without_spaces_matches_as_phrase(void)
{
    sqlite3 *db = fts_open("ja");
    fts_add(db, "バックアップ中にエラー メッセージが表示されます");
    fts_add(db, "メッセージ エラー");
    CHECK_STR(fts_hl(db, q("エラーメッセージ")), "バックアップ中に[エラー メッセージ]が表示されます");
    CHECK_STR(fts_hl(db, "表示"), "バックアップ中にエラー メッセージが[表示]されます");
    CHECK_STR(fts_hl(db, q("バックアップ中")), "[バックアップ中]にエラー メッセージが表示されます");
    CHECK_STR(fts_hl(db, q("ガイド")), "");
    sqlite3_close(db);
}

/* ---- offsets ---- */

static void test_highlight_marks_original_characters(void)
{
    sqlite3 *db = fts_open("es");
    fts_add(db, "Código ０ｘ８００７ en «Straße» y ＭＳＯｎｌｉｎｅＢａｃｋｕｐ.");
    CHECK_STR(fts_hl(db, q("codigo")), "[Código] ０ｘ８００７ en «Straße» y ＭＳＯｎｌｉｎｅＢａｃｋｕｐ.");
    CHECK_STR(fts_hl(db, q("0x8007")), "Código [０ｘ８００７] en «Straße» y ＭＳＯｎｌｉｎｅＢａｃｋｕｐ.");
    CHECK_STR(fts_hl(db, q("strasse")), "Código ０ｘ８００７ en «[Straße]» y ＭＳＯｎｌｉｎｅＢａｃｋｕｐ.");
    CHECK_STR(fts_hl(db, q("msonlinebackup")), "Código ０ｘ８００７ en «Straße» y [ＭＳＯｎｌｉｎｅＢａｃｋｕｐ].");
    CHECK_STR(fts_hl(db, q("backup")), "Código ０ｘ８００７ en «Straße» y [ＭＳＯｎｌｉｎｅＢａｃｋｕｐ].");
    sqlite3_close(db);
}

static void test_offsets_skip_ignorables_and_long_words(void)
{
    CHECK_STR(tokens("", KB_TOK_QUERY, "soft\xC2\xADhyphen zero\xE2\x80\x8Bspace"), "softhyphen zero space");
    size_t n = 10000;
    char *z = kb_xmalloc(n);
    memset(z, 'a', n);
    tok_sink s = {{0}, (int)n, 0, 0, 0};
    kb_tok *t = kb_tok_new("en");
    CHECK_INT(kb_tok_run(t, KB_TOK_DOCUMENT, z, (int)n, &s, tok_collect), 0);
    CHECK_INT(s.nCalls, 1);
    CHECK_INT(s.b.n, 64); /* truncated to 64 code points, offsets cover the whole word */
    CHECK(!s.bBad);
    kb_tok_free(t);
    kb_buf_free(&s.b);
    free(z);
}

/* ---- robustness ---- */

static void test_callback_return_code_stops_tokenizing(void)
{
    const char *z = "alpha beta gamma エラーメッセージ";
    tok_sink s = {{0}, (int)strlen(z), 0, 2, 0};
    kb_tok *t = kb_tok_new("en");
    CHECK_INT(kb_tok_run(t, KB_TOK_DOCUMENT, z, (int)strlen(z), &s, tok_collect), 7);
    CHECK_INT(s.nCalls, 2);
    s.nCalls = 0;
    s.nStopAfter = 5;
    CHECK_INT(kb_tok_run(t, KB_TOK_DOCUMENT, z, (int)strlen(z), &s, tok_collect), 7);
    CHECK_INT(s.nCalls, 5); /* stops inside a CJK run too */
    kb_tok_free(t);
    kb_buf_free(&s.b);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static void test_invalid_utf8_is_replacement_and_never_overreads(void)
{
    CHECK_STR(tokens("", KB_TOK_QUERY, "ab\xFF" "cd\xC3" "ef\xE3\x82"), "ab cd ef");
    CHECK_STR(tokens("", KB_TOK_QUERY, "\xED\xA0\x80x\xC0\xAFy\xF4\x90\x80\x80z"), "x y z"); /* surrogate, overlong, >10FFFF */
    kb_tok *t = kb_tok_new("es");
    kb_tok *tj = kb_tok_new("ja");
    static const char *const aPiece[] = {"a", "Ñ", "é", "ｴ", "エ", "ー", "\xCC\x81", "0x", "9", " ", ".", "\xE3\x82",
                                         "\xC3", "\xFF", "中", "Z", "\xC2\xAD", "ß", "ﷺ", "\xF0\x9F\x98\x80", "\xE3\x82\x99", "ﾞ"};
    int bBad = 0;
    for (int iter = 0; iter < 4000; iter++) {
        int n = (int)(rnd() % 200);
        char *z = kb_xmalloc((size_t)n + 1); /* exact size: ASan sees any overread */
        if (iter % 2) {
            for (int i = 0; i < n; i++) z[i] = (char)(rnd() & 0xFF);
        } else {
            int k = 0;
            while (k < n) {
                const char *p = aPiece[rnd() % (sizeof aPiece / sizeof aPiece[0])];
                for (size_t j = 0; p[j] && k < n; j++) z[k++] = p[j];
            }
        }
        tok_sink s = {{0}, n, 0, 0, 0};
        kb_tok_run(iter % 3 ? t : tj, iter % 4 < 2 ? KB_TOK_DOCUMENT : KB_TOK_QUERY, z, n, &s, tok_collect);
        bBad |= s.bBad;
        kb_buf_free(&s.b);
        char out[64];
        size_t nf = kb_tok_fold(z, (size_t)n, out, sizeof out);
        if (nf >= sizeof out || !kb_utf8_valid(out, nf, NULL)) bBad = 1;
        free(z);
    }
    CHECK(!bBad);
    kb_tok_free(t);
    kb_tok_free(tj);
}

/* The ASCII and kana/Han fast paths must give exactly the Unicode path's tokens. */
static void test_fast_paths_match_unicode_path(void)
{
    kb_tok *fast = kb_tok_new("en"), *slow = kb_tok_new("en");
    kb_tok_set_fast_path(slow, 0);
    int nDiff = 0;
    char z[64];
    for (int iter = 0; iter < 3000 && nDiff < 5; iter++) {
        int n = 1 + (int)(rnd() % 40);
        for (int i = 0; i < n; i++) z[i] = (char)(0x20 + rnd() % 95);
        z[n] = '\0';
        for (int mode = 0; mode < 2; mode++) {
            tok_sink a = {{0}, n, 0, 0, 0}, b = {{0}, n, 0, 0, 0};
            kb_tok_run(fast, mode, z, n, &a, tok_collect);
            kb_tok_run(slow, mode, z, n, &b, tok_collect);
            if (strcmp(kb_buf_str(&a.b), kb_buf_str(&b.b)) != 0) {
                nDiff++;
                fprintf(stderr, "ascii %s: fast '%s' slow '%s'\n", z, kb_buf_str(&a.b), kb_buf_str(&b.b));
            }
            kb_buf_free(&a.b);
            kb_buf_free(&b.b);
        }
    }
    static const int32_t aRange[][2] = {{0x3041, 0x3096}, {0x30A1, 0x30F6}, {0x30FC, 0x30FC},
                                        {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}};
    for (size_t r = 0; r < sizeof aRange / sizeof aRange[0]; r++) {
        for (int32_t cp = aRange[r][0]; cp <= aRange[r][1] && nDiff < 10; cp++) {
            char zc[8];
            int n = 0;
            if (cp < 0x10000) {
                zc[n++] = (char)(0xE0 | (cp >> 12));
                zc[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                zc[n++] = (char)(0x80 | (cp & 0x3F));
            }
            tok_sink a = {{0}, n, 0, 0, 0}, b = {{0}, n, 0, 0, 0};
            kb_tok_run(fast, KB_TOK_QUERY, zc, n, &a, tok_collect);
            kb_tok_run(slow, KB_TOK_QUERY, zc, n, &b, tok_collect);
            if (strcmp(kb_buf_str(&a.b), kb_buf_str(&b.b)) != 0) {
                nDiff++;
                fprintf(stderr, "U+%04X: fast '%s' slow '%s'\n", (unsigned)cp, kb_buf_str(&a.b), kb_buf_str(&b.b));
            }
            kb_buf_free(&a.b);
            kb_buf_free(&b.b);
        }
    }
    CHECK_INT(nDiff, 0);
    kb_tok_free(fast);
    kb_tok_free(slow);
}

static void test_prefix_query_is_folded_not_stemmed(void)
{
    sqlite3 *db = fts_open("es");
    fts_add(db, "Configuración avanzada");
    CHECK_STR(fts_hl(db, "config*"), "[Configuración] avanzada");
    CHECK_STR(fts_hl(db, "avanz*"), "Configuración [avanzada]");
    sqlite3_close(db);
}

static void test_fts5_table_without_language_does_not_stem(void)
{
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK_INT(kb_tok_register_fts5(db), KB_OK);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='kb')", NULL, NULL, NULL) == SQLITE_OK);
    fts_add(db, "Running services");
    CHECK_STR(fts_hl(db, "running"), "[Running] services");
    CHECK_STR(fts_hl(db, "run"), "");
    sqlite3_close(db);
}

/* "offset:target " for each token that equals a target, as text; a token
 * flagged KB_TOK_UNMATCHED is not compared, as matchers skip it. */
typedef struct {
    kb_buf b;
    char **aTarget;
    int nTarget;
} target_sink;

static int target_collect(void *ctx, int flags, const char *z, int n, int iStart, int iEnd)
{
    (void)iEnd;
    target_sink *s = ctx;
    if (flags & KB_TOK_UNMATCHED) return 0;
    for (int i = 0; i < s->nTarget; i++)
        if ((int)strlen(s->aTarget[i]) == n && memcmp(s->aTarget[i], z, (size_t)n) == 0)
            kb_buf_addf(&s->b, "%d:%d ", iStart, i);
    return 0;
}

static int distinct_collect(void *ctx, int flags, const char *z, int n, int iStart, int iEnd)
{
    (void)flags; (void)iStart; (void)iEnd;
    target_sink *s = ctx;
    for (int i = 0; i < s->nTarget; i++)
        if ((int)strlen(s->aTarget[i]) == n && memcmp(s->aTarget[i], z, (size_t)n) == 0) return 0;
    if (s->nTarget < 4000) s->aTarget[s->nTarget++] = kb_xstrndup(z, (size_t)n);
    return 0;
}

/* The filter may only skip stemming words that could not have matched:
 * over real documents, with every stemmer whose filter compares letters,
 * each word matches the same targets with the filter as without (the words
 * it flags unmatched not even looked at), every token of the document being
 * a target in turn. */
static void test_targets_filter_never_changes_which_words_match(void)
{
    static const char *const aDoc[] = {"corpus/es-es/backup-azure-mars-troubleshoot.md",
                                       "corpus/en-us/backup-azure-vms-troubleshoot.md"};
    static const char *const aLang[] = {"es", "en", "de", "fr", "pt", "it", "nl", "ca", "da", "sv", "no",
                                        "fi", "ro", "eu", "hu", "tr", "lt", "sr", "ru", "id"};
    for (size_t d = 0; d < sizeof aDoc / sizeof aDoc[0]; d++) {
        char *text = NULL;
        size_t nText = 0;
        CHECK_INT(kb_file_read(kb_test_path(aDoc[d]), 1 << 22, &text, &nText), KB_OK);
        if (!text) continue;
        for (size_t l = 0; l < sizeof aLang / sizeof aLang[0]; l++) {
            kb_tok *plain = kb_tok_new(aLang[l]), *filtered = kb_tok_new(aLang[l]);
            target_sink all = {{0}, kb_xcalloc(4000, sizeof(char *)), 0};
            kb_tok_run(plain, KB_TOK_DOCUMENT, text, (int)nText, &all, distinct_collect);
            CHECK(all.nTarget > 500);
            int nDiff = 0;
            for (int first = 0; first < all.nTarget; first += 64) {
                int nTarget = all.nTarget - first < 64 ? all.nTarget - first : 64;
                char **aTarget = all.aTarget + first;
                kb_tok_set_targets(filtered, aTarget, nTarget);
                target_sink a = {{0}, aTarget, nTarget}, b = {{0}, aTarget, nTarget};
                kb_tok_run(plain, KB_TOK_DOCUMENT, text, (int)nText, &a, target_collect);
                kb_tok_run(filtered, KB_TOK_DOCUMENT, text, (int)nText, &b, target_collect);
                if (strcmp(kb_buf_str(&a.b), kb_buf_str(&b.b)) != 0 && nDiff++ == 0)
                    fprintf(stderr, "  %s, %s: the filter changes matches of targets %d..%d\n", aLang[l], aDoc[d],
                            first, first + nTarget - 1);
                CHECK(a.b.n > 0); /* targets do occur */
                kb_buf_free(&a.b);
                kb_buf_free(&b.b);
            }
            CHECK_INT(nDiff, 0);
            for (int i = 0; i < all.nTarget; i++) free(all.aTarget[i]);
            free(all.aTarget);
            kb_tok_free(plain);
            kb_tok_free(filtered);
        }
        free(text);
    }
    /* English's exceptional forms, accented words, a word with an ASCII start */
    static const char *const aCase[][3] = {{"en", "The dying and lying processes", "die"},
                                           {"en", "The dying and lying processes", "lie"},
                                           {"es", "La configuración del almacén falló", "almacen"},
                                           {"es", "La configuración del almacén falló", "configur"},
                                           {"es", "Las CONFIGURACIONES fallaron", "configur"},
                                           /* "encia" -> "ente": the 7th letter rewritten, past the 6 compared */
                                           {"es", "Una emergencia", "emergent"},
                                           {"es", "ÚLTIMO intento", "ultim"},
                                           {"es", "las instantáneas", "instantan"},
                                           {"en", "Happy users", "happi"},
                                           {"en", "Clear skies", "sky"},
                                           {"en", "Stop hopping", "hop"}};
    for (size_t k = 0; k < sizeof aCase / sizeof aCase[0]; k++) {
        char *aTarget[1] = {(char *)aCase[k][2]};
        kb_tok *plain = kb_tok_new(aCase[k][0]), *filtered = kb_tok_new(aCase[k][0]);
        kb_tok_set_targets(filtered, aTarget, 1);
        target_sink a = {{0}, aTarget, 1}, b = {{0}, aTarget, 1};
        int n = (int)strlen(aCase[k][1]);
        kb_tok_run(plain, KB_TOK_DOCUMENT, aCase[k][1], n, &a, target_collect);
        kb_tok_run(filtered, KB_TOK_DOCUMENT, aCase[k][1], n, &b, target_collect);
        CHECK(a.b.n > 0);
        CHECK_STR(kb_buf_str(&b.b), kb_buf_str(&a.b));
        kb_buf_free(&a.b);
        kb_buf_free(&b.b);
        kb_tok_free(plain);
        kb_tok_free(filtered);
    }
}

/* Words the filter rules out come flagged and as written (lower-cased);
 * the others, and every word without targets, are tokenized as usual. */
static int flags_collect(void *ctx, int flags, const char *z, int n, int iStart, int iEnd)
{
    (void)iStart; (void)iEnd;
    kb_buf_addf(ctx, "%s%.*s ", (flags & KB_TOK_UNMATCHED) ? "!" : "", n, z);
    return 0;
}

/* Spanish words are compared on six letters, accented ones included:
 * "instalación" cannot become "instantan", nor "cónyuge" "conect". */
static void test_spanish_targets_compare_six_letters_accents_folded(void)
{
    static const char text[] = "La instalación del cónyuge, las Instantáneas";
    char *aTarget[2] = {"instantan", "conect"};
    kb_tok *t = kb_tok_new("es");
    kb_buf b = {0};
    kb_tok_set_targets(t, aTarget, 2);
    kb_tok_run(t, KB_TOK_DOCUMENT, text, (int)strlen(text), &b, flags_collect);
    CHECK_STR(kb_buf_str(&b), "!la !instalación !del !cónyuge !las instantan ");
    kb_buf_free(&b);
    kb_tok_free(t);
}

static void test_targets_flag_the_words_they_rule_out(void)
{
    static const char text[] = "Las Configuraciones del Almacén";
    char *aTarget[1] = {"configur"};
    kb_tok *t = kb_tok_new("es");
    kb_buf b = {0};
    kb_tok_run(t, KB_TOK_DOCUMENT, text, (int)strlen(text), &b, flags_collect);
    CHECK_STR(kb_buf_str(&b), "las configur del almacen almac ");
    kb_tok_set_targets(t, aTarget, 1);
    b.n = 0;
    kb_tok_run(t, KB_TOK_DOCUMENT, text, (int)strlen(text), &b, flags_collect);
    CHECK_STR(kb_buf_str(&b), "!las configur !del !almacén ");
    kb_buf_free(&b);
    kb_tok_free(t);
}

/* "Ejecutar una migración tras error" is a failover and "dominio de error"
 * a fault domain: their "error" is marked, the disk's error is not. */
static void test_problem_word_of_a_phrase_naming_no_problem_is_marked(void)
{
    static const char text[] = "Una migración tras error de prueba. Dominio de error: 0. El error del disco";
    static const char want[] = "una migracion tras ~error de prueb domini de ~error 0 el error del disc";
    CHECK_STR(tokens("es", KB_TOK_QUERY, text), want);
    CHECK_STR(tokens("es", KB_TOK_DOCUMENT, "Migraciones tras error"), "migracion tras ~error");
    CHECK_STR(tokens("es", KB_TOK_QUERY, "error"), "error");
    CHECK_STR(tokens("es", KB_TOK_QUERY, "migración, error"), "migracion error"); /* not the phrase */
    CHECK_STR(tokens("es", KB_TOK_QUERY, "el error tras la migración"), "el error tras la migracion");
    CHECK_STR(tokens("en", KB_TOK_QUERY, "the service fails over; the backup fails"),
              "the servic ~fail over the backup fail");
    /* the phrase in a query finds itself, and "error" alone does not find it */
    sqlite3 *db = fts_open("es");
    fts_add(db, "Ejecute una migración tras error.");
    fts_add(db, "Un error del disco.");
    CHECK_STR(fts_hl(db, q("error")), "Un [error] del disco.");
    CHECK_STR(fts_hl(db, "\"migración tras error\""), "Ejecute una [migración tras error].");
    sqlite3_close(db);
}

/* Every phrase of i18n/vocab.tsv that names no problem marks its problem
 * word, at the start of a text and after other words: a phrase the
 * tokenizer cannot see whole ("dominios de actualización y errores") would
 * mark it for a section's problem flag only, and its "errores" would still
 * match a question's "error". */
static void test_every_phrase_naming_no_problem_marks_its_word(void)
{
    for (unsigned k = 0; k < kb_vocab_table_count; k++) {
        const struct kb_vocab_table_entry *e = &kb_vocab_table[k];
        if (strcmp(e->kind, "not-problem") != 0) continue;
        char text[256];
        for (int after = 0; after < 2; after++) {
            snprintf(text, sizeof text, "%s%s.", after ? "Se reparten entre los " : "", e->phrase);
            const char *z = tokens(e->locale, KB_TOK_DOCUMENT, text);
            int marked = strchr(z, KB_TOK_NOT_PROBLEM_MARK) != NULL;
            if (!marked) fprintf(stderr, "  %s \"%s\": %s\n", e->locale, text, z);
            CHECK(marked);
        }
    }
}

static uint64_t words_key(kb_tok *t, const char *z) { return kb_tok_words_key(t, z, (int)strlen(z)); }

/* A heading and a question that says it share a key: case, accents,
 * punctuation, spacing and endings aside, the same words in the same order. */
static void test_words_key_is_the_words_in_order(void)
{
    kb_tok *t = kb_tok_new("es");
    uint64_t k = words_key(t, "Crear un clúster de Service Fabric");
    CHECK(k != 0);
    CHECK(words_key(t, "crear un cluster de service fabric") == k);
    CHECK(words_key(t, "  ¿Crear un clúster de Service-Fabric?  ") == k);
    CHECK(words_key(t, "Crear unos clústeres de Service Fabric") != k); /* "un" and "unos" are two words */
    CHECK(words_key(t, "Crear un clúster de Service Fabric en Azure") != k);
    CHECK(words_key(t, "Crear clúster de Service Fabric") != k);
    CHECK(words_key(t, "Fabric Service de clúster un Crear") != k);
    CHECK(words_key(t, "Iniciar las máquinas virtuales") == words_key(t, "iniciar las maquina virtual")); /* endings */
    CHECK(words_key(t, "") == 0 && words_key(t, " -- ¿? ") == 0);
    kb_tok *zh = kb_tok_new("zh");
    CHECK(words_key(zh, "建立 SQL VM") == words_key(zh, "建立SQL VM"));
    CHECK(words_key(zh, "建立 SQL VM") != words_key(zh, "建立 VM"));
    kb_tok_free(zh);
    kb_tok_free(t);
}

/* The same words in two languages make two keys, stemmed or not, so that
 * a lookup of one language's key reads only that language's headings. */
static void test_words_key_is_of_one_language(void)
{
    kb_tok *zh = kb_tok_new("zh"), *ja = kb_tok_new("ja"), *ja2 = kb_tok_new("ja-JP");
    kb_tok *es = kb_tok_new("es"), *en = kb_tok_new("en"), *es2 = kb_tok_new("es-ES");
    CHECK(words_key(zh, "後續步驟") != 0);
    CHECK(words_key(zh, "後續步驟") != words_key(ja, "後續步驟"));
    CHECK(words_key(ja, "後續步驟") == words_key(ja2, "後續步驟"));
    CHECK(words_key(es, "Azure Backup") != words_key(en, "Azure Backup"));
    CHECK(words_key(es, "Azure Backup") == words_key(es2, "azure backup"));
    CHECK(words_key(zh, "") == 0 && words_key(en, "") == 0);
    kb_tok *aTok[] = {zh, ja, ja2, es, en, es2};
    for (size_t i = 0; i < sizeof aTok / sizeof aTok[0]; i++) kb_tok_free(aTok[i]);
}

/* A matcher given the marked token still finds the phrase's word. */
static void test_targets_find_the_marked_word(void)
{
    static const char text[] = "Una migración tras error, un error";
    char *aTarget[2] = {"migracion", "~error"};
    kb_tok *t = kb_tok_new("es");
    kb_buf b = {0};
    kb_tok_set_targets(t, aTarget, 2);
    kb_tok_run(t, KB_TOK_DOCUMENT, text, (int)strlen(text), &b, flags_collect);
    CHECK_STR(kb_buf_str(&b), "!una migracion !tras ~error !un error ");
    kb_buf_free(&b);
    kb_tok_free(t);
}

/* One word, one token, as a query reads it; anything else is no word to rewrite. */
static void test_one_token_of_a_word(void)
{
    kb_tok *t = kb_tok_new("es");
    char out[16];
    CHECK(kb_tok_one(t, "Almacén,", 8, out, sizeof out));
    CHECK_STR(out, "almacen"); /* no colocated spelling in a query */
    CHECK(!kb_tok_one(t, "Setup.exe", 9, out, sizeof out));
    CHECK(!kb_tok_one(t, "copia de", 8, out, sizeof out));
    CHECK(!kb_tok_one(t, "--", 2, out, sizeof out));
    CHECK(!kb_tok_one(t, "configuraciones", 15, out, 4)); /* "configur" does not fit */
    kb_tok_free(t);
}

KB_TEST_MAIN(test_one_token_of_a_word, test_problem_word_of_a_phrase_naming_no_problem_is_marked,
             test_every_phrase_naming_no_problem_marks_its_word, test_words_key_is_the_words_in_order,
             test_words_key_is_of_one_language, test_targets_find_the_marked_word,
             test_targets_filter_never_changes_which_words_match, test_targets_flag_the_words_they_rule_out,
             test_spanish_targets_compare_six_letters_accents_folded, test_fts5_table_without_language_does_not_stem,
             test_fold_applies_nfkc_casefold_and_strips_accents, test_fold_keeps_marks_that_are_letters,
             test_fold_truncates_to_capacity_on_character_boundary, test_stem_spanish_merges_inflections,
             test_stem_english_german_french_portuguese, test_no_stemming_without_known_language, test_english_words_in_chinese_and_japanese_are_stemmed,
             test_fold_strips_accents_after_stemming, test_document_adds_unaccented_spelling_for_accented_words,
             test_spanish_suffix_typed_without_its_accent_stems,
             test_unaccented_query_finds_accented_document, test_stop_words_are_kept, test_identifiers_token_stream,
             test_words_with_digits_are_not_stemmed, test_identifiers_are_found_whole_and_in_parts,
             test_cjk_runs_become_bigrams, test_chinese_reads_either_script_as_simplified,
             test_simplified_question_marks_traditional_text, test_japanese_query_without_spaces_matches_as_phrase,
             test_highlight_marks_original_characters, test_offsets_skip_ignorables_and_long_words,
             test_callback_return_code_stops_tokenizing, test_invalid_utf8_is_replacement_and_never_overreads,
             test_fast_paths_match_unicode_path, test_prefix_query_is_folded_not_stemmed)
