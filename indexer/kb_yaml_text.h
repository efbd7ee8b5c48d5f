/* kb_yaml_text.h: libyaml's error messages in the reader's language.
 *
 * libyaml names a syntax error with an English problem ("mapping values
 * are not allowed in this context") and context ("while scanning a quoted
 * scalar"), and has no message catalog of its own: kb's catalog carries
 * the messages of libyaml 0.2.5, so that a maintainer reading kb-index's
 * diagnostics in Spanish reads the whole line in Spanish. Used by
 * kb_frontmatter.c. */
#ifndef KB_YAML_TEXT_H
#define KB_YAML_TEXT_H

/* zEnglish, one of libyaml's problems or contexts, in the UI language;
 * zEnglish itself when kb does not know it (another libyaml version's). */
const char *kb_yaml_text(const char *zEnglish);

#endif
