/* mo.c - reading GNU gettext .mo catalogs without gettext (see mo.h). */
#include "pdf/mo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballot/buf.h"

#define MO_MAGIC 0x950412deu
#define MO_HEADER 28 /* seven 32-bit words */

typedef struct mo_ent {
	const char *orig, *trans;
	size_t olen, tlen;
} mo_ent;

struct pdf_mo {
	char *data; /* the whole file; the entries point into it */
	size_t len;
	mo_ent *ent;
	size_t n;
};

void pdf_mo_free(pdf_mo *m)
{
	if (!m)
		return;
	free(m->data);
	free(m->ent);
	free(m);
}

static uint32_t word(const unsigned char *p, int big)
{
	if (big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Checks the string described by the (length, offset) pair at table + 8 i
 * and stores it; 0, or -1 when it leaves the file or lacks its NUL. */
static int mo_string(const pdf_mo *m, uint32_t table, size_t i, int big,
		     const char **s, size_t *slen)
{
	const unsigned char *d = (const unsigned char *)m->data;
	uint64_t at = (uint64_t)table + 8 * (uint64_t)i;
	uint32_t len = word(d + at, big), off = word(d + at + 4, big);
	/* The NUL after the string must be inside the file too. */
	if ((uint64_t)off + len >= m->len || d[(size_t)off + len] != '\0')
		return -1;
	*s = m->data + off;
	*slen = len;
	return 0;
}

/* Takes ownership of data (len bytes, malloc'd; freed on failure). */
/* The header of m: its byte order (*big), revision (0 or 1), and n
 * entries whose tables (at *otab, *ttab) end within the file. */
static int mo_header(const pdf_mo *m, const char *name, int *big, uint32_t *n, uint32_t *otab, uint32_t *ttab,
		     bt_err *e)
{
	const unsigned char *d = (const unsigned char *)m->data;
	size_t len = m->len;
	if (len < MO_HEADER)
		return bt_fail(e, BT_EFAIL, "'%s': corrupt .mo file: %zu bytes, shorter than the header", name, len);
	if (word(d, 0) == MO_MAGIC)
		*big = 0;
	else if (word(d, 1) == MO_MAGIC)
		*big = 1;
	else
		return bt_fail(e, BT_EFAIL, "'%s': not a .mo file (bad magic number)", name);
	uint32_t rev = word(d + 4, *big);
	*n = word(d + 8, *big);
	*otab = word(d + 12, *big);
	*ttab = word(d + 16, *big);
	if (rev >> 16 > 1)
		return bt_fail(e, BT_EFAIL, "'%s': unsupported .mo revision %u.%u", name, (unsigned)(rev >> 16),
			       (unsigned)(rev & 0xffff));
	if ((uint64_t)*otab + 8 * (uint64_t)*n > len || (uint64_t)*ttab + 8 * (uint64_t)*n > len)
		return bt_fail(e, BT_EFAIL,
			       "'%s': corrupt .mo file: the tables of %u entries end past the file's %zu bytes", name,
			       (unsigned)*n, len);
	return BT_OK;
}

/* m's n entries read from the tables at otab and ttab: each string within
 * the file and terminated, the originals strictly increasing (the binary
 * search needs them so). */
static int mo_entries(pdf_mo *m, const char *name, int big, uint32_t n, uint32_t otab, uint32_t ttab, bt_err *e)
{
	/* n <= len / 8 now, so this allocation is bounded by the file size. */
	m->ent = n ? calloc(n, sizeof *m->ent) : NULL;
	if (n && !m->ent)
		return bt_fail(e, BT_EFAIL, "'%s': out of memory", name);
	m->n = n;
	for (size_t i = 0; i < n; i++) {
		mo_ent *t = &m->ent[i];
		if (mo_string(m, otab, i, big, &t->orig, &t->olen) ||
		    mo_string(m, ttab, i, big, &t->trans, &t->tlen))
			return bt_fail(e, BT_EFAIL,
				       "'%s': corrupt .mo file: string %zu is outside the file or unterminated", name, i);
		/* The binary search needs strictly increasing originals. */
		if (i > 0 && strcmp(m->ent[i - 1].orig, t->orig) >= 0)
			return bt_fail(e, BT_EFAIL, "'%s': corrupt .mo file: original strings out of order at entry %zu",
				       name, i);
	}
	return BT_OK;
}

static int mo_build(char *data, size_t len, const char *name, pdf_mo **out, bt_err *e)
{
	*out = NULL;
	pdf_mo *m = calloc(1, sizeof *m);
	if (!m) {
		free(data);
		return bt_fail(e, BT_EFAIL, "'%s': out of memory", name);
	}
	m->data = data;
	m->len = len;
	int big = 0;
	uint32_t n = 0, otab = 0, ttab = 0;
	int rc = mo_header(m, name, &big, &n, &otab, &ttab, e);
	if (rc == BT_OK)
		rc = mo_entries(m, name, big, n, otab, ttab, e);
	if (rc) {
		pdf_mo_free(m);
		return rc;
	}
	*out = m;
	return BT_OK;
}

int pdf_mo_parse(const void *data, size_t len, const char *name, pdf_mo **out, bt_err *e)
{
	*out = NULL;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return bt_fail(e, BT_EFAIL, "'%s': out of memory", name);
	if (len)
		memcpy(copy, data, len);
	return mo_build(copy, len, name, out, e);
}

int pdf_mo_open(const char *path, pdf_mo **out, bt_err *e)
{
	*out = NULL;
	bt_buf b = BT_BUF_INIT;
	/* bt_file_read calls a missing file the caller's fault; a catalog
	 * belongs to the installation, so any failure here is BT_EFAIL. */
	if (bt_file_read(path, "translations", PDF_MO_MAX, &b, e) != BT_OK) {
		if (e)
			e->code = BT_EFAIL;
		return BT_EFAIL;
	}
	size_t len;
	char *data = bt_buf_detach(&b, &len);
	if (!data)
		return bt_fail(e, BT_EFAIL, "'%s': out of memory", path);
	return mo_build(data, len, path, out, e);
}

static int ent_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const mo_ent *)elem)->orig);
}

const char *pdf_mo_get(const pdf_mo *m, const char *msgid)
{
	if (!m || !msgid || m->n == 0)
		return NULL;
	const mo_ent *t = bsearch(msgid, m->ent, m->n, sizeof *m->ent, ent_cmp);
	return t ? t->trans : NULL;
}

size_t pdf_mo_count(const pdf_mo *m)
{
	return m ? m->n : 0;
}

void pdf_mo_entry(const pdf_mo *m, size_t i, const char **orig, size_t *olen,
		  const char **trans, size_t *tlen)
{
	const mo_ent *t = &m->ent[i];
	*orig = t->orig;
	*olen = t->olen;
	*trans = t->trans;
	*tlen = t->tlen;
}
