/* sfnt.c - a TrueType font's glyphs in a new order (sfnt.h). Reads the
 * table directory, rewrites glyf, loca, hmtx and the fields of head and
 * hhea that depend on them, copies the other tables. */
#include "pdf/sfnt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 64
#define TAG(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			 (uint32_t)(c) << 8 | (uint32_t)(d))

typedef struct table {
	uint32_t tag;
	const unsigned char *src; /* the input's bytes */
	unsigned char *own;       /* or bytes made here */
	size_t len;
} table;

typedef struct font {
	table t[MAX_TABLES];
	unsigned n;
	unsigned count;           /* glyphs */
	const unsigned *order;    /* new glyph k: old glyph order[k] */
	unsigned *inv;            /* old glyph g: new glyph inv[g] */
} font;

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xFFFF);
}

static table *find(font *f, uint32_t tag)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->t[i].tag == tag)
			return &f->t[i];
	return NULL;
}

static const unsigned char *bytes(const table *t)
{
	return t->own ? t->own : t->src;
}

/* The table directory of data[0, len) into f; -1 when a table lies
 * outside the data. */
static int read_dir(font *f, const unsigned char *data, size_t len)
{
	if (len < 12)
		return -1;
	f->n = get16(data + 4);
	if (f->n == 0 || f->n > MAX_TABLES || 12 + 16 * (size_t)f->n > len)
		return -1;
	for (unsigned i = 0; i < f->n; i++) {
		const unsigned char *e = data + 12 + 16 * i;
		size_t off = get32(e + 8), n = get32(e + 12);
		if (off > len || n > len - off)
			return -1;
		f->t[i] = (table){ get32(e), data + off, NULL, n };
	}
	return 0;
}

/* Renumbers the components of composite glyph g[0, n) in place through
 * f->inv; -1 when a component is out of range or the glyph is cut short. */
static int renumber(const font *f, unsigned char *g, size_t n)
{
	if (n < 10 || get16(g) < 0x8000)
		return 0; /* empty, or a simple glyph */
	for (size_t p = 10;;) {
		if (p + 4 > n)
			return -1;
		unsigned flags = get16(g + p), gid = get16(g + p + 2);
		if (gid >= f->count)
			return -1;
		put16(g + p + 2, f->inv[gid]);
		p += 4 + ((flags & 0x0001) ? 4 : 2); /* ARG_1_AND_2_ARE_WORDS */
		if (flags & 0x0008)                  /* WE_HAVE_A_SCALE */
			p += 2;
		else if (flags & 0x0040)             /* an X and Y scale */
			p += 4;
		else if (flags & 0x0080)             /* a two by two */
			p += 8;
		if (!(flags & 0x0020))               /* MORE_COMPONENTS */
			return p <= n ? 0 : -1;
	}
}

/* Where old glyph g lies in glyf (loca of format lf); -1 when outside. */
static int glyph_at(const table *loca, const table *glyf, int lf,
		    unsigned g, size_t *off, size_t *n)
{
	const unsigned char *l = bytes(loca);
	size_t a, b;
	if (lf) {
		if (4 * ((size_t)g + 2) > loca->len)
			return -1;
		a = get32(l + 4 * g), b = get32(l + 4 * g + 4);
	} else {
		if (2 * ((size_t)g + 2) > loca->len)
			return -1;
		a = 2 * (size_t)get16(l + 2 * g), b = 2 * (size_t)get16(l + 2 * g + 2);
	}
	if (a > b || b > glyf->len)
		return -1;
	*off = a;
	*n = b - a;
	return 0;
}

/* glyf and loca in the new order (each glyph padded to an even length;
 * loca short when it can be), head's indexToLocFormat to match. */
static int new_glyf(font *f, table *glyf, table *loca, table *head)
{
	int lf = (int16_t)get16(bytes(head) + 50);
	size_t total = 0, off, n;
	for (unsigned k = 0; k < f->count; k++) {
		if (glyph_at(loca, glyf, lf, f->order[k], &off, &n) < 0)
			return -1;
		total += n + (n & 1);
	}
	int nlf = total > 0x1FFFE;
	unsigned char *g = malloc(total ? total : 1), *l = malloc(
		((size_t)f->count + 1) * (nlf ? 4 : 2));
	if (!g || !l) {
		free(g);
		free(l);
		return -1;
	}
	size_t at = 0;
	for (unsigned k = 0; k <= f->count; k++) {
		if (nlf)
			put32(l + 4 * k, (uint32_t)at);
		else
			put16(l + 2 * k, (unsigned)(at / 2));
		if (k == f->count)
			break;
		glyph_at(loca, glyf, lf, f->order[k], &off, &n);
		memcpy(g + at, bytes(glyf) + off, n);
		if (n & 1)
			g[at + n++] = 0;
		if (renumber(f, g + at, n) < 0) {
			free(g);
			free(l);
			return -1;
		}
		at += n;
	}
	glyf->own = g, glyf->len = total;
	loca->own = l, loca->len = ((size_t)f->count + 1) * (nlf ? 4 : 2);
	put16(head->own + 50, (unsigned)nlf);
	return 0;
}

/* hmtx in the new order (the last advances, when equal, given once: the
 * table's compact form), hhea's numberOfHMetrics to match. */
static int new_hmtx(font *f, table *hmtx, table *hhea)
{
	const unsigned char *h = bytes(hmtx);
	unsigned nh = get16(hhea->own + 34), c = f->count;
	if (nh == 0 || nh > c || hmtx->len < 4 * (size_t)nh + 2 * (size_t)(c - nh))
		return -1;
	unsigned *adv = malloc(2 * sizeof *adv * c);
	unsigned char *out = malloc(4 * (size_t)c);
	if (!adv || !out) {
		free(adv);
		free(out);
		return -1;
	}
	unsigned *lsb = adv + c;
	for (unsigned k = 0; k < c; k++) {
		unsigned g = f->order[k];
		adv[k] = get16(h + 4 * (g < nh ? g : nh - 1));
		lsb[k] = g < nh ? get16(h + 4 * g + 2) :
			get16(h + 4 * (size_t)nh + 2 * (g - nh));
	}
	unsigned n = c;
	while (n > 1 && adv[n - 1] == adv[n - 2])
		n--;
	for (unsigned k = 0; k < c; k++) {
		if (k < n) {
			put16(out + 4 * k, adv[k]);
			put16(out + 4 * k + 2, lsb[k]);
		} else {
			put16(out + 4 * (size_t)n + 2 * (k - n), lsb[k]);
		}
	}
	free(adv);
	hmtx->own = out;
	hmtx->len = 4 * (size_t)n + 2 * (size_t)(c - n);
	put16(hhea->own + 34, n);
	return 0;
}

/* The sum of p[0, n) as big-endian 32-bit words, the last one padded
 * with zeros. */
static uint32_t checksum(const unsigned char *p, size_t n)
{
	uint32_t s = 0;
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		s += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
			(uint32_t)p[i + 2] << 8 | p[i + 3];
	for (unsigned k = 0; i < n; i++, k++)
		s += (uint32_t)p[i] << (24 - 8 * k);
	return s;
}

/* The font file of f's tables (in the directory's order, each at a
 * multiple of four), with its checksums and head's adjustment. */
static int assemble(const font *f, const unsigned char *version,
		    unsigned char **out, size_t *outlen)
{
	size_t len = 12 + 16 * (size_t)f->n;
	for (unsigned i = 0; i < f->n; i++)
		len += (f->t[i].len + 3) & ~(size_t)3;
	unsigned char *o = calloc(1, len);
	if (!o)
		return -1;
	unsigned sr = 1, es = 0;
	while (2 * sr <= f->n)
		sr *= 2, es++;
	memcpy(o, version, 4);
	put16(o + 4, f->n);
	put16(o + 6, 16 * sr);
	put16(o + 8, es);
	put16(o + 10, 16 * (f->n - sr));
	size_t at = 12 + 16 * (size_t)f->n, head = 0;
	for (unsigned i = 0; i < f->n; i++) {
		const table *t = &f->t[i];
		unsigned char *e = o + 12 + 16 * i;
		memcpy(o + at, bytes(t), t->len);
		if (t->tag == TAG('h', 'e', 'a', 'd'))
			put32(o + at + 8, 0), head = at;
		put32(e, t->tag);
		put32(e + 4, checksum(o + at, t->len));
		put32(e + 8, (uint32_t)at);
		put32(e + 12, (uint32_t)t->len);
		at += (t->len + 3) & ~(size_t)3;
	}
	put32(o + head + 8, 0xB1B0AFBAu - checksum(o, len));
	*out = o;
	*outlen = len;
	return 0;
}

/* head and hhea copied (they change), inv the inverse of order. */
static int prepare(font *f, table *head, table *hhea)
{
	if (head->len < 54 || hhea->len < 36 || !(head->own = malloc(
		    head->len)) || !(hhea->own = malloc(hhea->len)) ||
	    !(f->inv = malloc(sizeof *f->inv * f->count)))
		return -1;
	memcpy(head->own, head->src, head->len);
	memcpy(hhea->own, hhea->src, hhea->len);
	for (unsigned g = 0; g < f->count; g++)
		f->inv[g] = f->count;
	for (unsigned k = 0; k < f->count; k++) {
		if (f->order[k] >= f->count || f->inv[f->order[k]] != f->count)
			return -1;
		f->inv[f->order[k]] = k;
	}
	return 0;
}

int pdf_sfnt_reorder(const unsigned char *data, size_t len,
		     const unsigned *order, unsigned count,
		     unsigned char **out, size_t *outlen)
{
	font f = { .count = count, .order = order };
	*out = NULL;
	*outlen = 0;
	if (read_dir(&f, data, len) < 0)
		return -1;
	table *glyf = find(&f, TAG('g', 'l', 'y', 'f')),
	      *loca = find(&f, TAG('l', 'o', 'c', 'a')),
	      *head = find(&f, TAG('h', 'e', 'a', 'd')),
	      *hhea = find(&f, TAG('h', 'h', 'e', 'a')),
	      *hmtx = find(&f, TAG('h', 'm', 't', 'x')),
	      *maxp = find(&f, TAG('m', 'a', 'x', 'p'));
	int rc = -1;
	if (glyf && loca && head && hhea && hmtx && maxp && maxp->len >= 6 &&
	    count && get16(maxp->src + 4) == count &&
	    prepare(&f, head, hhea) == 0 && new_glyf(&f, glyf, loca, head) == 0 &&
	    new_hmtx(&f, hmtx, hhea) == 0)
		rc = assemble(&f, data, out, outlen);
	for (unsigned i = 0; i < f.n; i++)
		free(f.t[i].own);
	free(f.inv);
	return rc;
}
