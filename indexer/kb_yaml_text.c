/* kb_yaml_text.c: see kb_yaml_text.h. */
#include "kb_yaml_text.h"

#include <string.h>

#include "kb_msg.h"

/* Every problem and context libyaml 0.2.5's reader, scanner and parser set
 * (src/reader.c, scanner.c, parser.c), marked for xgettext. */
static const char *const S_yaml_messages[] = {
    /* TRANSLATORS: libyaml's YAML syntax errors, shown after "front matter: "
     * in kb-index's diagnostics. Quoted characters ('!', ':', '>') and names
     * in angle brackets (<document start>) are YAML syntax: keep them. */
    N_("block sequence entries are not allowed in this context"),
    N_("control characters are not allowed"),
    N_("could not find expected ':'"),
    N_("could not find expected directive name"),
    N_("did not find URI escaped octet"),
    N_("did not find expected '!'"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected <document start>"),
    N_("did not find expected <stream-start>"),
    N_("did not find expected alphabetic or numeric character"),
    N_("did not find expected comment or line break"),
    N_("did not find expected digit or '.' character"),
    N_("did not find expected hexdecimal number"),
    N_("did not find expected key"),
    N_("did not find expected node content"),
    N_("did not find expected tag URI"),
    N_("did not find expected version number"),
    N_("did not find expected whitespace"),
    N_("did not find expected whitespace or line break"),
    N_("did not find the expected '>'"),
    N_("expected low surrogate area"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found an incorrect leading UTF-8 octet"),
    N_("found an incorrect trailing UTF-8 octet"),
    N_("found an indentation indicator equal to 0"),
    N_("found character that cannot start any token"),
    N_("found duplicate %TAG directive"),
    N_("found duplicate %YAML directive"),
    N_("found extremely long version number"),
    N_("found incompatible YAML document"),
    N_("found invalid Unicode character escape code"),
    N_("found undefined tag handle"),
    N_("found unexpected ':'"),
    N_("found unexpected document indicator"),
    N_("found unexpected end of stream"),
    N_("found unexpected non-alphabetical character"),
    N_("found unknown directive name"),
    N_("found unknown escape character"),
    N_("incomplete UTF-16 character"),
    N_("incomplete UTF-16 surrogate pair"),
    N_("incomplete UTF-8 octet sequence"),
    N_("input error"),
    N_("input is too long"),
    N_("invalid Unicode character"),
    N_("invalid leading UTF-8 octet"),
    N_("invalid length of a UTF-8 sequence"),
    N_("invalid trailing UTF-8 octet"),
    N_("mapping keys are not allowed in this context"),
    N_("mapping values are not allowed in this context"),
    N_("unexpected low surrogate area"),
    /* TRANSLATORS: where libyaml met the error, shown in parentheses
     * after it ("... (while scanning a quoted scalar that starts on this
     * line ...)"). */
    N_("while parsing a %TAG directive"),
    N_("while parsing a block collection"),
    N_("while parsing a block mapping"),
    N_("while parsing a block node"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow node"),
    N_("while parsing a flow sequence"),
    N_("while parsing a node"),
    N_("while parsing a quoted scalar"),
    N_("while parsing a tag"),
    N_("while parsing a tag directive"),
    N_("while scanning a %TAG directive"),
    N_("while scanning a %YAML directive"),
    N_("while scanning a block scalar"),
    N_("while scanning a directive"),
    N_("while scanning a plain scalar"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a simple key"),
    N_("while scanning a tag"),
    N_("while scanning a tag directive"),
    N_("while scanning an alias"),
    N_("while scanning an anchor"),
    N_("while scanning for the next token"),
};

const char *kb_yaml_text(const char *zEnglish) {
    for (size_t i = 0; i < sizeof S_yaml_messages / sizeof S_yaml_messages[0]; i++)
        if (strcmp(zEnglish, S_yaml_messages[i]) == 0) return _(S_yaml_messages[i]);
    return zEnglish;
}
