/* names.h - Member State names in the six ITU languages (en fr es ru zh ar).
 *
 * A name comes from, in order:
 *  1. forms/names/<lang>.tsv, the overrides TSB staff edit: lines
 *     `CODE<TAB>name` (ISO alpha-3 code as in forms/member-states.tsv),
 *     `#` comment lines and blank lines;
 *  2. the iso-codes translation of the member's English ISO short name
 *     (<localedir>/<locale>/LC_MESSAGES/iso_3166-1.mo, read by mo.c, not
 *     through gettext, so no locale needs to be generated);
 *  3. in English only, the English ISO short name itself.
 */
#ifndef BALLOT_PDF_NAMES_H
#define BALLOT_PDF_NAMES_H

#include "ballot/err.h"

typedef struct pdf_names pdf_names;

/* Largest override file accepted. */
#define PDF_NAMES_FILE_MAX ((size_t)1024 * 1024)

/* Loads the Member State names in lang ("en", "fr", "es", "ru", "zh", "ar"):
 * forms_dir/names/<lang>.tsv overrides first, then the iso-codes translation
 * (<localedir>/<locale>/LC_MESSAGES/iso_3166-1.mo with locale ar, es, fr, ru
 * or zh_CN; localedir is $BALLOT_LOCALEDIR when set and not empty, else
 * /usr/share/locale), looked up by the member's English ISO short name.
 * English: overrides, else the English ISO name itself (no catalog read).
 * A missing override file means no overrides.
 * BT_EINPUT for an unknown language, and for an override file that cannot be
 * read or has a bad line: a code that is not 3 uppercase letters, a
 * duplicate code, a missing or empty name, an extra field, a name with
 * control characters or surrounding spaces, invalid UTF-8 (the message
 * names the file, the line and the problem).
 * BT_EFAIL for a missing catalog (the message names the Debian package
 * iso-codes), an unreadable or corrupt one, or one with a translation that
 * is not clean UTF-8. *out is NULL on failure. */
int pdf_names_load(const char *forms_dir, const char *lang, pdf_names **out,
		   bt_err *e);

/* The name of member code (alpha-3) whose English ISO short name is
 * en_name: the override, else the translation, else (English) en_name
 * itself; NULL when the language has no name for it (or en_name is NULL or
 * empty and there is no override). The string lives as long as n, or as
 * en_name when that is what is returned. */
const char *pdf_names_get(const pdf_names *n, const char *code,
			  const char *en_name);

/* Frees the names (NULL is fine). */
void pdf_names_free(pdf_names *n);

#endif
