/* kb_msg.h: user-interface messages through gettext.
 *
 * Catalogs are i18n/po/LL.po compiled to share/locale/LL/LC_MESSAGES/kb.mo
 * and found relative to the running binary (../share/locale), so a copied or
 * installed tree works anywhere. */
#ifndef KB_MSG_H
#define KB_MSG_H

#include <libintl.h>

#define _(s) dgettext("kb", s)
#define N_(s) (s)
/* singular or plural by n, as the language counts: "1 file", "2 files" */
#define P_(singular, plural, n) dngettext("kb", singular, plural, (unsigned long)(n))

/* An English text that is not ours to mark with _() where it is made (an
 * N_() text of kb_walk's, an errno text of the C locale) in the UI
 * language: kb's catalog, else glibc's; as given if neither has it. */
const char *kb_msg_english(const char *message);

/* Binds the "kb" text domain next to argv0 and selects the UI language:
 * lang ("es", "ja"...) when non-NULL, else the environment. */
void kb_msg_init(const char *argv0, const char *lang);

/* Makes gettext translate anew after $LANGUAGE changed. kb_msg_init calls
 * it; a caller that changes $LANGUAGE itself (restoring it) must too. */
void kb_msg_changed(void);

#endif
