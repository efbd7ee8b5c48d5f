/* kb_vocab.h: words that give text a role, in every locale we know.
 *
 * "Causa", "Cause", "Ursache", "原因" name a table's cause column; "Mensaje
 * de error", "Error message", "エラー メッセージ" introduce an error message;
 * "Código de error", "Error code", "Fehlercode" introduce an error code. The
 * vocabulary is data, i18n/vocab.tsv (kind, locale, phrase), compiled into
 * the binaries at build time. Matching folds case and diacritics and ignores
 * surrounding punctuation and markup, so "**Causa:**" is the cause label. */
#ifndef KB_VOCAB_H
#define KB_VOCAB_H

#include <stddef.h>

enum kb_vocab_kind {
    KB_VOCAB_COL_ERROR = 0,  /* table header of the error / error code / symptom column */
    KB_VOCAB_COL_CAUSE,      /* table header of the cause column */
    KB_VOCAB_COL_ACTION,     /* table header of the recommended action column */
    KB_VOCAB_LABEL_ERRMSG,   /* "Error message", "Mensaje de error" */
    KB_VOCAB_LABEL_ERRCODE,  /* "Error code", "Código de error" */
    KB_VOCAB_WORD_ERROR,     /* "Error", "Fehler", "Erreur", "エラー" before a number */
    KB_VOCAB_CONNECTOR,      /* "or", "o", "oder": a word between two list items, not an item */
    KB_VOCAB_SYMPTOM,        /* "no se puede", "cannot", "falla", "無法": something goes wrong */
    KB_VOCAB_PROBLEM,        /* "error", "problema", "troubleshooting": a heading names a problem */
    KB_VOCAB_OPTIONAL,       /* "después", "tras": a question's word its answer need not hold */
    KB_VOCAB_NOT_PROBLEM,    /* "migración tras error" (failover): a problem's word naming no problem */
    KB_VOCAB_CONTRACTION,    /* "isn't", "can't": a word typed without its apostrophe (kb_vocab_contraction) */
    KB_VOCAB_COL_MESSAGE,    /* "Message", "Mensaje": the error's message, as a column right after its code */
    KB_VOCAB_REPORT_FRAME,   /* "Msg", "Level", "State", "Line": what a tool prints around an error's number */
    KB_VOCAB_LABEL_SYSERROR, /* "System error", "Error de sistema": a Windows (Win32) error's number follows */
    KB_VOCAB_KIND_COUNT
};

/* The most words a phrase of the kind holds ("dominios de actualización y
 * errores": 5; "pós-falha": 2), so that a reader of words one by one tries
 * phrases as long as the vocabulary's. */
int kb_vocab_max_words(int kind);

/* 1 if the whole of z[0..n) is one of the kind's phrases (any locale). */
int kb_vocab_is(int kind, const char *z, size_t n);

/* 1 if z starts with one of the kind's phrases; *pEnd receives the byte
 * offset in z just past the phrase and any following ':' / '：' / spaces. */
int kb_vocab_starts(int kind, const char *z, size_t n, size_t *pEnd);

/* 1 if one of the kind's phrases occurs in z[0..n), starting where a word
 * starts (or at any CJK character) and ending where a word ends: "No se
 * puede iniciar" and "無法連線" hold a symptom, "Terrores" no problem.
 * A symptom or problem word inside a KB_VOCAB_NOT_PROBLEM phrase does not
 * count: "Ejecutar una migración tras error" names no problem. */
int kb_vocab_contains(int kind, const char *z, size_t n);

/* 1 if the word z[0..n) (ASCII case aside) is a word of a
 * KB_VOCAB_NOT_PROBLEM phrase that is, alone, a symptom or problem phrase
 * of the same locale: "error" of "migración tras error", "fail" of "fail
 * over". Asked of every word the tokenizer reads: most are rejected on
 * their first letter. */
int kb_vocab_is_not_problem_word(const char *z, size_t n);

/* The contraction the word z[0..n) is when typed without its apostrophe
 * (ASCII case aside): "isnt" and "ISNT" are "isn't"; NULL if none. */
const char *kb_vocab_contraction(const char *z, size_t n);

#endif
