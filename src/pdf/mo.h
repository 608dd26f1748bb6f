/* mo.h - a reader for GNU gettext message catalogs (.mo files).
 *
 * gettext's own API picks catalogs through setlocale, which fails on a
 * machine where the locale (fr_FR.UTF-8, ...) was never generated; the
 * Member State names only need a lookup in one known file, so we read the
 * file ourselves. Format: a header of 32-bit words in either byte order
 * (magic 0x950412de, revision, N, offset of the originals table, offset of
 * the translations table, hash size, hash offset), then each table holds N
 * (length, offset) pairs pointing at NUL-terminated strings; originals are
 * sorted by strcmp, so a binary search finds them. The hash table is not
 * used.
 *
 * Every offset and length is checked against the file size when the
 * catalog is loaded, so a lookup never reads outside the file: a truncated
 * or corrupt catalog is an error, never a crash.
 */
#ifndef BALLOT_PDF_MO_H
#define BALLOT_PDF_MO_H

#include <stddef.h>
#include "ballot/err.h"

typedef struct pdf_mo pdf_mo;

/* Largest catalog accepted (iso_3166-1.mo is about 30 KB). */
#define PDF_MO_MAX ((size_t)16 * 1024 * 1024)

/* Reads and checks the catalog at path. BT_EFAIL, naming the path, for a
 * missing or unreadable file, one over PDF_MO_MAX, and a corrupt one (short
 * header, bad magic number, unknown major revision, a table or string
 * outside the file, a string without its terminating NUL, originals out of
 * order). *out is NULL on failure. */
int pdf_mo_open(const char *path, pdf_mo **out, bt_err *e);

/* The same checks on len bytes at data (copied); name is used in messages. */
int pdf_mo_parse(const void *data, size_t len, const char *name, pdf_mo **out,
		 bt_err *e);

/* The translation of msgid (its first string, for a plural entry), or NULL
 * when the catalog has no entry for it. The string lives as long as m. */
const char *pdf_mo_get(const pdf_mo *m, const char *msgid);

/* The number of entries, and entry i (i < count): its original and its
 * translation with their lengths (which count any embedded NULs of plural
 * entries, not the final NUL). */
size_t pdf_mo_count(const pdf_mo *m);
void pdf_mo_entry(const pdf_mo *m, size_t i, const char **orig, size_t *olen,
		  const char **trans, size_t *tlen);

/* Frees the catalog (NULL is fine). */
void pdf_mo_free(pdf_mo *m);

#endif
