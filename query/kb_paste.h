/* kb_paste.h: what in pasted text is not the message.
 *
 * An error pasted from a log, a console or an HTTP response comes with its
 * surroundings: timestamps, GUIDs and request IDs, stack frames,
 * PowerShell's error record ("At line:1 char:1", "+ CategoryInfo : ..."),
 * Azure resource paths. No document holds those values, so as words of the
 * question they made the section that explains the message a partial match,
 * ranked below sections that happen to quote an error record; and, rarer
 * than the message's words, they were the ones a long question's search
 * kept. They are blanked out before the question is parsed again. */
#ifndef KB_PASTE_H
#define KB_PASTE_H

/* The message of pasted text: a copy (malloc'd) with its log noise
 * replaced by spaces, byte for byte, so that the rest keeps its offsets;
 * NULL if there is none. The caller decides that text was pasted: a GUID
 * typed alone is what the user looks for (built-in role IDs are in the
 * docs). Quotes stay: the message a log quotes is often the docs' own,
 * which finds its section as a phrase. */
char *kb_paste_message(const char *text);

#endif
