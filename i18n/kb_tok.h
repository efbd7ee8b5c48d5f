/* kb_tok.h: the text pipeline shared by the indexer and the query path.
 *
 * Text is segmented on Unicode properties (utf8proc), folded (NFKC, case
 * fold, diacritics removed) and stemmed with Snowball in the language of the
 * row. The Spanish stemmer needs the accents, so the order is: case-fold,
 * stem, then strip marks. CJK runs (Han, Hiragana, Katakana, Hangul, decided
 * by code-point ranges) become overlapping bigrams; Chinese ones of Han
 * characters in their Simplified form (kb_han.h), so either script finds
 * both. Numbers, hex codes and
 * identifiers are never stemmed; identifiers such as `CBengine.exe` or
 * `MSOnlineBackup` are findable whole and by their parts.
 *
 * A problem's word inside a phrase that names no problem ("error" in
 * "migración tras error", a failover, or "dominio de error", a fault
 * domain; kb_vocab.h) is marked: its token is "~error", in both modes.
 * Errors are what users search for; one Spanish "error" in eight is a
 * failover. A question that says "error" does not find those, and one
 * that names the failover (the whole phrase) does.
 *
 * Offsets passed to the callback are byte offsets into the ORIGINAL text, so
 * FTS5's highlight() and snippet() mark the right characters. Invalid UTF-8
 * is read as U+FFFD and never read past the end.
 *
 * A kb_tok is not thread-safe (the Snowball stemmer it owns is not): use one
 * per thread. */
#ifndef KB_TOK_H
#define KB_TOK_H

#include <stddef.h>
#include <stdint.h>

typedef struct kb_tok kb_tok;

enum kb_tok_mode {
    KB_TOK_DOCUMENT = 0, /* indexing: may emit colocated variants (identifier parts) */
    KB_TOK_QUERY = 1     /* query terms: exactly what a document token would be */
};

/* Flags passed to the callback, same meaning as FTS5_TOKEN_COLOCATED. */
#define KB_TOK_COLOCATED 0x0001
/* Only with targets (kb_tok_set_targets): the word cannot become any of
 * them, so the token is the word lower-cased, neither folded nor stemmed. */
#define KB_TOK_UNMATCHED 0x0100

/* Leads the token of a problem's word in a phrase that names no problem.
 * No word makes it: '~' is never part of a word. */
#define KB_TOK_NOT_PROBLEM_MARK '~'

/* Called once per token; a non-zero return stops tokenizing and is returned. */
typedef int (*kb_tok_fn)(void *ctx, int flags, const char *token, int nToken, int iStart, int iEnd);

/* lang: an ISO 639-1 code ("es", "en", "ja", ...) or NULL/"" for no stemming.
 * A language libstemmer does not know tokenizes without stemming. */
kb_tok *kb_tok_new(const char *lang);
void kb_tok_free(kb_tok *t);
const char *kb_tok_lang(const kb_tok *t); /* "" when not stemming */

int kb_tok_run(kb_tok *t, int mode, const char *text, int nText, void *ctx, kb_tok_fn fn);

/* The token of a word as a query reads it, into out (cap bytes,
 * NUL-terminated): 1 if z[0..n) makes exactly one and it fits, else 0
 * ("Setup.exe" makes two). For typo correction, which rewrites words. */
int kb_tok_one(kb_tok *t, const char *z, int n, char *out, size_t cap);

/* A key of z[0..n)'s words as a question reads them, in order, in t's
 * language: texts that differ only in case, accents, punctuation, spacing
 * and word endings share it ("Crear un clúster:" and "crear un cluster");
 * the same words in two languages do not. 0 when z has no word.
 * kb-index stores each heading's, so that kb-query finds the sections whose
 * heading a question says word for word. */
uint64_t kb_tok_words_key(kb_tok *t, const char *z, int n);

/* Folds one word the way kb_tok_run would (without stemming) into out
 * (NUL-terminated, truncated to cap). Used for comparisons of words such as
 * vocabulary and stop words. Returns the length written. */
size_t kb_tok_fold(const char *z, size_t n, char *out, size_t cap);

/* Turns the ASCII fast paths off (0) or on (1, the default). For tests: the
 * results must be identical either way. */
void kb_tok_set_fast_path(kb_tok *t, int bOn);

/* For matchers (snippets, highlighting), which only ask whether a word
 * becomes one of a few query tokens. Once the tokens are given, a word
 * whose leading letters (accents aside) start no token is emitted
 * lower-cased but neither folded nor stemmed: Snowball stemmers rewrite a
 * word's ending, so its stem could not have matched either; its token is
 * flagged KB_TOK_UNMATCHED. How many letters are compared depends on the
 * language's stemmer (none for those that strip prefixes). Stemming is
 * most of the cost of reading a section this way; the words that pass are
 * stemmed once each. nToken < 0 turns the filter off. */
void kb_tok_set_targets(kb_tok *t, char *const *aToken, int nToken);

/* 1 if the code point is Han, kana or Hangul: such text is written without
 * spaces and indexed as bigrams. */
int kb_tok_is_cjk(int32_t cp);

/* Tokens computed ahead of time, so that the indexer tokenizes on its
 * worker threads although SQLite calls the FTS5 tokenizer on the thread
 * that writes. kb_tok_record stores the DOCUMENT-mode tokens of a text;
 * kb_tok_replay_next arms the calling thread so that the next FTS5
 * document tokenization of that same text (same bytes) replays them
 * instead of tokenizing again. Up to KB_TOK_REPLAY_MAX texts may be armed
 * at once (one per FTS column of a row). */
#define KB_TOK_REPLAY_MAX 8

typedef struct kb_tok_stream {
    char *z;        /* records: int32 flags, iStart, iEnd, nToken, then the token bytes */
    size_t n, cap;
} kb_tok_stream;

void kb_tok_record(kb_tok *t, const char *text, int nText, kb_tok_stream *out);
void kb_tok_stream_free(kb_tok_stream *s);
void kb_tok_replay_next(const char *text, int nText, const kb_tok_stream *s);
void kb_tok_replay_clear(void);

/* Shows fn every token the calling thread's FTS5 document tokenizations
 * hand to FTS5, replayed or not: exactly the terms a row adds to its table
 * when inserted, or takes away when deleted. For the indexer, which keeps
 * each term's count of sections up to date by hand on an incremental run
 * rather than recount every term of the table. NULL stops. */
typedef void (*kb_tok_observer)(void *ctx, const char *token, int nToken);
void kb_tok_observe(kb_tok_observer fn, void *ctx);

/* Registers the FTS5 tokenizer "kb" on db: `tokenize = 'kb es'`. */
struct sqlite3;
int kb_tok_register_fts5(struct sqlite3 *db);

/* db's FTS5 API (version 2 or later), through which the tokenizer and
 * kb-query's ranking function are registered; NULL without FTS5. */
struct fts5_api;
struct fts5_api *kb_tok_fts5_api(struct sqlite3 *db);

#endif
