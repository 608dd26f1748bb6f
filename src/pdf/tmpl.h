/* tmpl.h - the editable text templates of the PDF documents.
 *
 * A template is a UTF-8 file of `key = value` lines (forms/annex2/<lang>.txt,
 * forms/report/<lang>.txt). `#` starts a comment line; `\n` in a value is a
 * line break and `\\` a backslash; a value in double quotes keeps its
 * leading and trailing spaces (list_sep = ", "). A value may name placeholders as {name}.
 * A schema lists every key the program needs and the placeholders each must
 * use: a missing or unknown key, a duplicate, or a placeholder missing from
 * or foreign to its key is refused, naming the file, line and key, so TSB
 * staff can correct a translation without recompiling and without risk of a
 * form that silently lacks the circular number.
 */
#ifndef BALLOT_PDF_TMPL_H
#define BALLOT_PDF_TMPL_H
#include <stddef.h>
#include "ballot/buf.h"
#include "ballot/err.h"

/* One key of a schema: its name and its placeholders, space-separated
 * ("circular drafts"), or "" for none. */
typedef struct pdf_tmpl_key {
	const char *key;
	const char *placeholders;
} pdf_tmpl_key;

typedef struct pdf_tmpl pdf_tmpl;

/* Loads and checks the template at path against schema (n keys). On
 * BT_EINPUT the message names the file, the line when there is one, and the
 * key or placeholder at fault. */
int pdf_tmpl_load(const char *path, const pdf_tmpl_key *schema, size_t n,
		  pdf_tmpl **out, bt_err *e);
void pdf_tmpl_free(pdf_tmpl *t);

/* The raw value of key (escapes resolved, placeholders untouched); "" for a
 * key not in the schema. */
const char *pdf_tmpl_raw(const pdf_tmpl *t, const char *key);

/* The path the template was loaded from. */
const char *pdf_tmpl_path(const pdf_tmpl *t);

/* Appends key's value to out with each {name} replaced by the value that
 * follows name in vars (a NULL-terminated list of name, value pairs).
 * Returns 0, or -1 when out's cap is exceeded. A placeholder without a value
 * in vars expands to nothing (the schema check makes that a program bug). */
int pdf_tmpl_expand(const pdf_tmpl *t, const char *key,
		    const char *const *vars, bt_buf *out);

/* With on set (a right-to-left template), a placeholder value with a
 * strong character is expanded as an embedding in the direction of its
 * first one (U+202A LRE or U+202B RLE, then U+202C PDF), so a time such as
 * 2020-02-21T23:59:00Z keeps its order inside Arabic text while "ITU-T
 * {rec}" still reads as one left-to-right run; a value without one (a
 * number) is left to the bidi algorithm, which keeps "{n} ({pct}%)" in
 * order. */
void pdf_tmpl_set_rtl(pdf_tmpl *t, int on);

/* Splits key's raw value on '|' into exactly n parts copied into parts
 * (each at most partlen bytes). -1 when the count differs or a part is too
 * long. */
int pdf_tmpl_split(const pdf_tmpl *t, const char *key, size_t n, char *parts,
		   size_t partlen);

#endif
