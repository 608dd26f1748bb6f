/* embed.c - fonts read by HarfBuzz, subset per document by hb-subset and
 * embedded as Type0 / CIDFontType2 fonts with a valid ToUnicode CMap. */
#include "pdf/embed.h"
#include "pdf/sfnt.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>

#define MAX_TAGS 64
#define MAX_CIDS 65535 /* CIDs are two bytes (Identity-H); 0 is .notdef */

struct pdf_face {
	unsigned long id;   /* distinct for every face opened (the shape cache) */
	hb_face_t *face;
	hb_font_t *font;
	unsigned upem;
	char name[64];      /* PostScript name, letters digits and '-' only */
	int bbox[4];        /* head: xMin yMin xMax yMax, 1/1000 em */
	int ascent, descent, cap, stemv;
	hb_tag_t drop[MAX_TAGS]; /* the tables a PDF font does not need */
	unsigned ndrop;
};

/* The tables a TrueType font embedded in a PDF needs (ISO 32000-1, 9.9;
 * cvt, fpgm and prep go with the hinting, which hb-subset drops: the
 * documents are read on screens and printed at 600 dpi and more). */
static const char *const keep_tables[] = { "glyf", "loca", "head", "hhea",
					   "hmtx", "maxp" };

static int keep_table(hb_tag_t t)
{
	for (size_t i = 0; i < sizeof keep_tables / sizeof *keep_tables; i++)
		if (t == hb_tag_from_string(keep_tables[i], 4))
			return 1;
	return 0;
}

static int per_mille(const pdf_face *f, int v)
{
	return (int)((long)v * 1000 / (long)f->upem);
}

/* Name, bounding box, ascent, descent, cap height, stem of face f. */
static void face_metrics(pdf_face *f)
{
	char name[64];
	unsigned len = sizeof name;
	size_t n = 0;
	if (hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
				HB_LANGUAGE_INVALID, &len, name) == 0)
		name[0] = '\0';
	for (const char *p = name; *p && n < sizeof f->name - 1; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-')
			f->name[n++] = *p;
	if (!n)
		n = (size_t)snprintf(f->name, sizeof f->name, "Font");
	f->name[n] = '\0';
	hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h', 'e',
								  'a', 'd'));
	unsigned hl = 0;
	const unsigned char *h = (const unsigned char *)hb_blob_get_data(head,
									 &hl);
	for (int i = 0; i < 4 && hl >= 44; i++)
		f->bbox[i] = per_mille(f, (int16_t)(h[36 + 2 * i] << 8 |
						    h[37 + 2 * i]));
	hb_blob_destroy(head);
	hb_font_extents_t ext = { 0 };
	hb_font_get_h_extents(f->font, &ext);
	f->ascent = per_mille(f, ext.ascender);
	f->descent = per_mille(f, ext.descender);
	hb_position_t cap = 0;
	f->cap = hb_ot_metrics_get_position(f->font,
					    HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) ?
		per_mille(f, cap) : f->ascent;
	f->stemv = hb_style_get_value(f->font, HB_STYLE_TAG_WEIGHT) >= 600 ?
		140 : 80;
}

int pdf_face_open(const char *path, int index, pdf_face **out, bt_err *e)
{
	*out = NULL;
	pdf_face *f = calloc(1, sizeof *f);
	if (!f)
		return bt_fail(e, BT_EFAIL, "out of memory");
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
	if (!blob) {
		free(f);
		return bt_fail(e, BT_EINPUT, "font %s cannot be read", path);
	}
	f->face = hb_face_create(blob, (unsigned)index);
	hb_blob_destroy(blob);
	hb_blob_t *glyf = hb_face_reference_table(f->face, HB_TAG('g', 'l',
								  'y', 'f'));
	hb_blob_t *cff = hb_face_reference_table(f->face, HB_TAG('C', 'F',
								 'F', ' '));
	int outlines = hb_blob_get_length(glyf) > 0;
	int is_cff = hb_blob_get_length(cff) > 0;
	hb_blob_destroy(glyf);
	hb_blob_destroy(cff);
	if (!outlines || hb_face_get_glyph_count(f->face) == 0) {
		pdf_face_free(f);
		/* CFF outlines (OpenType/CFF, e.g. Noto CJK) would need a
		 * CIDFontType0 with FontFile3: not written yet */
		return bt_fail(e, BT_EINPUT, is_cff ? "font %s (face %d) has "
			       "CFF outlines (OpenType/CFF), which ballot does "
			       "not embed: name a TrueType font (glyf table) in "
			       "fonts.tsv" : "font %s (face %d) has no TrueType "
			       "outlines (glyf table)", path, index);
	}
	static atomic_ulong next_id = 1;
	f->id = atomic_fetch_add(&next_id, 1);
	f->font = hb_font_create(f->face);
	f->upem = hb_face_get_upem(f->face);
	hb_tag_t tags[MAX_TAGS];
	unsigned nt = MAX_TAGS;
	hb_face_get_table_tags(f->face, 0, &nt, tags);
	for (unsigned i = 0; i < nt; i++)
		if (!keep_table(tags[i]))
			f->drop[f->ndrop++] = tags[i];
	face_metrics(f);
	hb_font_make_immutable(f->font); /* shaped from several threads */
	*out = f;
	return BT_OK;
}

void pdf_face_free(pdf_face *f)
{
	if (!f)
		return;
	hb_font_destroy(f->font);
	hb_face_destroy(f->face);
	free(f);
}

unsigned pdf_face_glyph(const pdf_face *f, uint32_t c)
{
	hb_codepoint_t g = 0;
	return hb_font_get_nominal_glyph(f->font, c, &g) ? g : 0;
}

int pdf_face_width(const pdf_face *f, unsigned gid)
{
	/* truncated, as libharu did: the same widths, the same lines */
	return per_mille(f, hb_font_get_glyph_h_advance(f->font, gid));
}

/* ---- shaping ---- */

int pdf_complex(uint32_t c)
{
	if (c < 0x0590)
		return 0; /* Latin, Greek, Cyrillic, Armenian: the fast path */
	switch (hb_unicode_script(hb_unicode_funcs_get_default(), c)) {
	case HB_SCRIPT_COMMON: case HB_SCRIPT_INHERITED: case HB_SCRIPT_UNKNOWN:
	case HB_SCRIPT_LATIN: case HB_SCRIPT_GREEK: case HB_SCRIPT_CYRILLIC:
	case HB_SCRIPT_HAN: case HB_SCRIPT_HIRAGANA: case HB_SCRIPT_KATAKANA:
	case HB_SCRIPT_BOPOMOFO: case HB_SCRIPT_HANGUL:
		return 0;
	default:
		return 1;
	}
}

int pdf_mark(uint32_t c)
{
	return hb_unicode_general_category(hb_unicode_funcs_get_default(), c) ==
		HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK;
}

/* Shaped runs, per thread: a document's words come back again and again
 * (each text is measured and then drawn, and 193 forms share their words),
 * and shaping a word in Amiri costs some 100 000 instructions. Keyed by the
 * face, the direction, the run and the character on each side of it (the
 * context HarfBuzz joins with); at most SHAPE_MAX runs of up to SHAPE_LEN
 * characters, the table emptied when full. */
#define SHAPE_SLOTS 8192 /* a power of two, twice SHAPE_MAX */
#define SHAPE_MAX 4096
#define SHAPE_LEN 64

typedef struct shaped {
	unsigned long face;
	uint32_t hash, before, after;
	int rtl, n, ng;
	uint32_t *text;   /* n code points, then ng glyphs follow */
	pdf_glyph *g;
} shaped;

typedef struct shape_cache {
	shaped *slot[SHAPE_SLOTS];
	int count;
} shape_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static _Thread_local shape_cache *tls_cache;

static void cache_clear(shape_cache *c)
{
	for (size_t i = 0; i < SHAPE_SLOTS; i++) {
		free(c->slot[i]);
		c->slot[i] = NULL;
	}
	c->count = 0;
}

static void cache_free(void *p)
{
	if (p) {
		cache_clear(p);
		free(p);
	}
}

static void cache_init(void)
{
	pthread_key_create(&cache_key, cache_free);
}

/* This thread's cache; NULL when out of memory. */
static shape_cache *cache_get(void)
{
	if (tls_cache)
		return tls_cache;
	pthread_once(&cache_once, cache_init);
	tls_cache = calloc(1, sizeof *tls_cache);
	if (tls_cache)
		pthread_setspecific(cache_key, tls_cache); /* freed at thread exit */
	return tls_cache;
}

/* The cache's slot of a run: its entry, or the free slot it goes in. */
static shaped **cache_slot(shape_cache *c, const shaped *k)
{
	for (size_t i = k->hash & (SHAPE_SLOTS - 1);;
	     i = (i + 1) & (SHAPE_SLOTS - 1)) {
		const shaped *e = c->slot[i];
		if (!e || (e->hash == k->hash && e->face == k->face &&
			   e->rtl == k->rtl && e->n == k->n &&
			   e->before == k->before && e->after == k->after &&
			   memcmp(e->text, k->text, (size_t)k->n *
				  sizeof *k->text) == 0))
			return &c->slot[i];
	}
}

static int shape_hb(const pdf_face *f, const uint32_t *text, int len,
		    int start, int n, int rtl, pdf_glyph *out, int max)
{
	hb_buffer_t *b = hb_buffer_create();
	hb_buffer_add_codepoints(b, text, len, (unsigned)start, n);
	hb_buffer_set_direction(b, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
	hb_buffer_guess_segment_properties(b);
	hb_shape(f->font, b, NULL, 0);
	unsigned count = 0;
	const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(b, &count);
	const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(b,
								     NULL);
	int ok = hb_buffer_allocation_successful(b) && count <= (unsigned)max;
	float k = 1000.0f / (float)f->upem;
	for (unsigned i = 0; ok && i < count; i++)
		out[i] = (pdf_glyph){ gi[i].codepoint, (int)gi[i].cluster,
				      (float)gp[i].x_advance * k,
				      (float)gp[i].x_offset * k,
				      (float)gp[i].y_offset * k };
	hb_buffer_destroy(b);
	return ok ? (int)count : -1;
}

int pdf_face_shape(const pdf_face *f, const uint32_t *text, int len,
		   int start, int n, int rtl, pdf_glyph *out, int max)
{
	shape_cache *c = n <= SHAPE_LEN ? cache_get() : NULL;
	if (!c)
		return shape_hb(f, text, len, start, n, rtl, out, max);
	shaped k = { f->id, 0, start > 0 ? text[start - 1] : 0,
		     start + n < len ? text[start + n] : 0, rtl, n, 0,
		     (uint32_t *)text + start, NULL };
	uint32_t h = (2166136261u ^ (uint32_t)f->id) * 16777619u;
	h = (h ^ k.before ^ (uint32_t)rtl << 31) * 16777619u;
	h = (h ^ k.after) * 16777619u;
	for (int i = 0; i < n; i++)
		h = (h ^ k.text[i]) * 16777619u;
	k.hash = h;
	shaped **s = cache_slot(c, &k);
	if (*s) {
		if ((*s)->ng > max)
			return -1;
		for (int i = 0; i < (*s)->ng; i++) {
			out[i] = (*s)->g[i];
			out[i].cluster += start;
		}
		return (*s)->ng;
	}
	int ng = shape_hb(f, text, len, start, n, rtl, out, max);
	if (ng < 0)
		return ng;
	if (c->count >= SHAPE_MAX) {
		cache_clear(c);
		s = cache_slot(c, &k);
	}
	shaped *e = malloc(sizeof *e + (size_t)n * sizeof *e->text +
			   (size_t)ng * sizeof *e->g);
	if (!e)
		return ng; /* shaped all the same, not kept */
	*e = k;
	e->ng = ng;
	e->g = (pdf_glyph *)(e + 1);
	e->text = (uint32_t *)(e->g + ng);
	memcpy(e->text, text + start, (size_t)n * sizeof *text);
	for (int i = 0; i < ng; i++) {
		e->g[i] = out[i];
		e->g[i].cluster -= start;
	}
	*s = e;
	c->count++;
	return ng;
}

/* ---- one face in one document ---- */

typedef struct cid_ent {
	uint32_t c;       /* the code point drawn (its first, when shaped) */
	unsigned gid;     /* its glyph in the whole face */
	int width;        /* its advance (W), 1/1000 em */
	uint32_t text[PDF_TEXT_MAX]; /* what it reads back as */
	int n;
} cid_ent;

struct pdf_embed {
	const pdf_face *face;
	HPDF_Doc h;
	HPDF_Dict type0;
	uint16_t *cid;    /* per BMP code point: its CID, 0: none yet */
	cid_ent *ent;     /* ent[cid]; ent[0] unused */
	size_t n, cap;
	uint16_t *slot;   /* hash of (glyph, text): CIDs, 0 free */
	size_t nslot;     /* a power of two, at least twice n */
	int done;
};

pdf_embed *pdf_embed_new(HPDF_Doc h, const pdf_face *face)
{
	pdf_embed *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->face = face;
	m->h = h;
	m->type0 = HPDF_Dict_New(h->mmgr);
	if (!m->type0 || HPDF_Xref_Add(h->xref, m->type0) != HPDF_OK ||
	    HPDF_Dict_AddName(m->type0, "Type", "Font") != HPDF_OK) {
		free(m); /* the dictionary belongs to the document's xref */
		return NULL;
	}
	return m;
}

void pdf_embed_free(pdf_embed *m)
{
	if (!m)
		return;
	free(m->cid);
	free(m->ent);
	free(m->slot);
	free(m);
}

HPDF_Dict pdf_embed_dict(const pdf_embed *m)
{
	return m->type0;
}

static size_t key_hash(unsigned gid, int width, const uint32_t *text,
		       int n)
{
	uint32_t h = (2166136261u ^ gid) * 16777619u;
	h = (h ^ (uint32_t)width) * 16777619u;
	for (int i = 0; i < n; i++)
		h = (h ^ text[i]) * 16777619u;
	return h;
}

/* The hash slot of (gid, width, text): its CID's, or the free one it goes
 * in. */
static uint16_t *key_slot(const pdf_embed *m, unsigned gid, int width,
			  const uint32_t *text, int n)
{
	size_t i = key_hash(gid, width, text, n) & (m->nslot - 1);
	for (;; i = (i + 1) & (m->nslot - 1)) {
		const cid_ent *en = &m->ent[m->slot[i]];
		if (!m->slot[i] || (en->gid == gid && en->n == n &&
				    en->width == width &&
				    memcmp(en->text, text, (size_t)n *
					   sizeof *text) == 0))
			return &m->slot[i];
	}
}

/* Room for one more CID: the entries and the hash, grown by doubling. */
static int grow(pdf_embed *m)
{
	if (m->n + 1 >= m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 128;
		cid_ent *ent = realloc(m->ent, cap * sizeof *ent);
		if (!ent)
			return -1;
		m->ent = ent;
		m->cap = cap;
	}
	if (2 * (m->n + 1) < m->nslot)
		return 0;
	size_t ns = m->nslot ? m->nslot * 2 : 256;
	uint16_t *old = m->slot;
	size_t on = m->nslot;
	if (!(m->slot = calloc(ns, sizeof *m->slot))) {
		m->slot = old;
		return -1;
	}
	m->nslot = ns;
	for (size_t i = 0; i < on; i++)
		if (old[i]) {
			const cid_ent *en = &m->ent[old[i]];
			*key_slot(m, en->gid, en->width, en->text, en->n) =
				old[i];
		}
	free(old);
	return 0;
}

static unsigned glyph_cid(pdf_embed *m, uint32_t c, unsigned gid,
			  int width, const uint32_t *text, int n)
{
	if (n < 0 || n > PDF_TEXT_MAX || m->done || !gid ||
	    gid >= hb_face_get_glyph_count(m->face->face))
		return 0;
	if (width < 0)
		width = pdf_face_width(m->face, gid);
	if (m->nslot) {
		uint16_t *s = key_slot(m, gid, width, text, n);
		if (*s)
			return *s;
	}
	if (m->n + 1 > MAX_CIDS || grow(m) < 0)
		return 0;
	cid_ent *en = &m->ent[++m->n];
	en->c = c;
	en->gid = gid;
	en->width = width;
	en->n = n;
	memcpy(en->text, text, (size_t)n * sizeof *text);
	*key_slot(m, gid, width, text, n) = (uint16_t)m->n;
	return (unsigned)m->n;
}

unsigned pdf_embed_glyph(pdf_embed *m, unsigned gid, int width,
			 const uint32_t *text, int n)
{
	return glyph_cid(m, n > 0 ? text[0] : 0, gid, width, text, n);
}

unsigned pdf_embed_cid(pdf_embed *m, uint32_t c, const uint32_t *text,
		       int n)
{
	if (n < 1)
		return 0;
	if (c > 0xFFFF)
		return glyph_cid(m, c, pdf_face_glyph(m->face, c), -1, text, n);
	if (!m->cid && !(m->cid = calloc(65536, sizeof *m->cid)))
		return 0;
	if (!m->cid[c])
		m->cid[c] = (uint16_t)glyph_cid(m, c, pdf_face_glyph(m->face,
								     c), -1,
						text, n);
	return m->cid[c];
}

/* The six capital letters of the subset's tag (ISO 32000-1, 9.6.4): from
 * the glyphs it holds, so the same subset always has the same name. */
static void subset_tag(const pdf_embed *m, char tag[8])
{
	uint32_t hash = 2166136261u;
	for (size_t i = 1; i <= m->n; i++) {
		hash = (hash ^ m->ent[i].gid) * 16777619u;
		hash = (hash ^ m->ent[i].c) * 16777619u;
	}
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + hash % 26);
		hash /= 26;
	}
	tag[6] = '+';
	tag[7] = '\0';
}

/* hb-subset: exactly the glyphs used (composite glyphs bring their
 * components), no hinting, only the tables a PDF font needs. */
static hb_subset_plan_t *subset_plan(const pdf_embed *m)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (!in)
		return NULL;
	/* the characters drawn through the cmap as characters (HarfBuzz's fast
	 * path: with glyphs alone, hb-subset 6.0 walks the whole cmap, 22
	 * million instructions a form for AR PL UMing), the shaped glyphs as
	 * glyphs */
	hb_set_t *u = hb_subset_input_unicode_set(in);
	hb_set_t *g = hb_subset_input_glyph_set(in);
	for (size_t i = 1; i <= m->n; i++) {
		const cid_ent *en = &m->ent[i];
		if (en->c && pdf_face_glyph(m->face, en->c) == en->gid)
			hb_set_add(u, en->c);
		else
			hb_set_add(g, en->gid);
	}
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	hb_set_clear(drop);
	for (unsigned i = 0; i < m->face->ndrop; i++)
		hb_set_add(drop, m->face->drop[i]);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(m->face->face,
							       in);
	hb_subset_input_destroy(in);
	return plan;
}

/* A stream libharu writes as it is: pdf_pack compresses it (a window the
 * size of the data, not libharu's 32 KB one). */
static HPDF_Dict new_stream(HPDF_Doc h)
{
	return HPDF_DictStream_New(h->mmgr, h->xref);
}

/* The ToUnicode CMap: every CID to the text it stands for, in blocks of at
 * most 100 (the PostScript limit of a begin/endbfchar block). Only the code
 * space and the mappings, the parts every reader takes from it (poppler,
 * MuPDF, pdfium, pdf.js): the PostScript resource wrapper, /CIDSystemInfo,
 * /CMapName and /CMapType around them are read by none, and cost some 170
 * bytes a font after compression (a one-character font's CMap was 224
 * bytes, now 89). */
static HPDF_Dict to_unicode(const pdf_embed *m)
{
	HPDF_Dict s = new_stream(m->h);
	if (!s)
		return NULL;
	HPDF_Stream w = s->stream;
	HPDF_Stream_WriteStr(w, "1 begincodespacerange\n<0000> <FFFF>\n"
			     "endcodespacerange\n");
	for (size_t i = 1; i <= m->n; i += 100) {
		size_t end = i + 99 > m->n ? m->n : i + 99;
		char line[64 + 8 * PDF_TEXT_MAX];
		snprintf(line, sizeof line, "%zu beginbfchar\n", end - i + 1);
		HPDF_Stream_WriteStr(w, line);
		for (size_t k = i; k <= end; k++) {
			int len = snprintf(line, sizeof line, "<%04zX> <", k);
			for (int t = 0; t < m->ent[k].n; t++) {
				uint32_t c = m->ent[k].text[t];
				len += c > 0xFFFF ?
					snprintf(line + len, sizeof line - (size_t)len,
						 "%04X%04X", 0xD800 + ((c - 0x10000) >> 10),
						 0xDC00 + ((c - 0x10000) & 0x3FF)) :
					snprintf(line + len, sizeof line - (size_t)len,
						 "%04X", (unsigned)c);
			}
			snprintf(line + len, sizeof line - (size_t)len, ">\n");
			HPDF_Stream_WriteStr(w, line);
		}
		HPDF_Stream_WriteStr(w, "endbfchar\n");
	}
	return s;
}

/* The font descriptor, with the subset font file. */
static HPDF_Dict descriptor(const pdf_embed *m, const char *name,
			    const char *data, unsigned len)
{
	HPDF_MMgr mm = m->h->mmgr;
	const pdf_face *f = m->face;
	HPDF_Dict file = new_stream(m->h), fd = HPDF_Dict_New(mm);
	HPDF_Array bbox = HPDF_Array_New(mm);
	if (!file || !fd || !bbox || HPDF_Xref_Add(m->h->xref, fd) != HPDF_OK)
		return NULL;
	HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)data, len);
	HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
	HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
	HPDF_Dict_AddName(fd, "FontName", name);
	HPDF_Dict_AddNumber(fd, "Flags", 4); /* symbolic: beyond Latin */
	for (int i = 0; i < 4; i++)
		HPDF_Array_AddNumber(bbox, f->bbox[i]);
	HPDF_Dict_Add(fd, "FontBBox", bbox);
	HPDF_Dict_AddNumber(fd, "ItalicAngle", 0);
	HPDF_Dict_AddNumber(fd, "Ascent", f->ascent);
	HPDF_Dict_AddNumber(fd, "Descent", f->descent);
	HPDF_Dict_AddNumber(fd, "CapHeight", f->cap);
	HPDF_Dict_AddNumber(fd, "StemV", f->stemv);
	HPDF_Dict_Add(fd, "FontFile2", file);
	return fd;
}

/* The CIDFont: system info, widths of the CIDs, and CID to new glyph:
 * /Identity when the subset's glyphs come in the order of the CIDs
 * (in_cid_order: cid_order put them so; or a font of a few characters,
 * used in glyph order), else a stream of two bytes a
 * CID, not compressed (in no order deflate gains on, and a deflate costs
 * more to start than these bytes cost to keep). Every object is attached
 * to the font as soon as it is made: on a failure the document owns it. */
static HPDF_Dict cid_font(const pdf_embed *m, const char *name,
			  HPDF_Dict fd, const hb_map_t *old_to_new,
			  int in_cid_order)
{
	HPDF_MMgr mm = m->h->mmgr;
	HPDF_Dict cf = HPDF_Dict_New(mm);
	if (!cf || HPDF_Xref_Add(m->h->xref, cf) != HPDF_OK)
		return NULL;
	HPDF_Dict_AddName(cf, "Type", "Font");
	HPDF_Dict_AddName(cf, "Subtype", "CIDFontType2");
	HPDF_Dict_AddName(cf, "BaseFont", name);
	HPDF_Dict si = HPDF_Dict_New(mm);
	if (!si || HPDF_Dict_Add(cf, "CIDSystemInfo", si) != HPDF_OK)
		return NULL;
	HPDF_Dict_Add(si, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	HPDF_Dict_Add(si, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	HPDF_Dict_AddNumber(si, "Supplement", 0);
	HPDF_Dict_Add(cf, "FontDescriptor", fd);
	HPDF_Array w = HPDF_Array_New(mm), ws = HPDF_Array_New(mm);
	if (!w || HPDF_Dict_Add(cf, "W", w) != HPDF_OK || !ws ||
	    HPDF_Array_AddNumber(w, 1) != HPDF_OK || HPDF_Array_Add(w, ws) !=
	    HPDF_OK)
		return NULL;
	int identity = 1;
	for (size_t i = 1; i <= m->n; i++) {
		unsigned g = hb_map_get(old_to_new, m->ent[i].gid);
		if (g == HB_MAP_VALUE_INVALID || g > 0xFFFF)
			return NULL;
		identity &= in_cid_order || g == i;
		HPDF_Array_AddNumber(ws, m->ent[i].width);
	}
	if (identity)
		return HPDF_Dict_AddName(cf, "CIDToGIDMap", "Identity") ==
			HPDF_OK ? cf : NULL;
	HPDF_Dict map = HPDF_DictStream_New(mm, m->h->xref);
	if (!map || HPDF_Dict_Add(cf, "CIDToGIDMap", map) != HPDF_OK)
		return NULL;
	HPDF_BYTE zero[2] = { 0, 0 };
	HPDF_Stream_Write(map->stream, zero, 2);
	for (size_t i = 1; i <= m->n; i++) {
		unsigned g = hb_map_get(old_to_new, m->ent[i].gid);
		HPDF_BYTE be[2] = { (HPDF_BYTE)(g >> 8), (HPDF_BYTE)g };
		HPDF_Stream_Write(map->stream, be, 2);
	}
	return cf;
}

/* The subset font data[0, len) with glyph i the glyph of CID i (1..n),
 * the glyphs drawn only as parts of others after them, into *out (NULL
 * when the subset already has that order): the CIDToGIDMap is then
 * /Identity. 0 when the font is (now) in CID order; -1 when it cannot be:
 * two CIDs of one glyph (another width or text), or the font not as
 * hb-subset writes it, or out of memory; or should not be: a font larger
 * than CID_ORDER_MAX, where the glyph order (the face's, similar glyphs
 * near each other) matters to deflate (the zh form's 75 KB Chinese subset
 * in CID order: 548 bytes more, for a map of 234). */
#define CID_ORDER_MAX 32768
static int cid_order(const pdf_embed *m, hb_face_t *sub, const hb_map_t *map,
		     const unsigned char *data, size_t len, unsigned char **out,
		     size_t *olen)
{
	unsigned count = hb_face_get_glyph_count(sub);
	*out = NULL;
	if (!map || count <= m->n || len > CID_ORDER_MAX)
		return -1;
	unsigned *order = malloc(sizeof *order * count);
	unsigned char *used = calloc(count, 1);
	int rc = order && used ? 0 : -1, same = 1;
	if (order)
		order[0] = 0;
	for (size_t i = 1; rc == 0 && i <= m->n; i++) {
		unsigned g = hb_map_get(map, m->ent[i].gid);
		if (g == 0 || g >= count || used[g])
			rc = -1;
		else
			order[i] = g, used[g] = 1, same &= g == i;
	}
	for (unsigned g = 1, k = (unsigned)m->n + 1; rc == 0 && g < count; g++)
		if (!used[g])
			order[k++] = g, same &= g == k - 1;
	if (rc == 0 && !same)
		rc = pdf_sfnt_reorder(data, len, order, count, out, olen);
	free(order);
	free(used);
	return rc;
}

int pdf_embed_finish(pdf_embed *m, bt_err *e)
{
	if (m->done || m->n == 0) {
		m->done = 1;
		return BT_OK;
	}
	m->done = 1;
	char name[80], tag[8];
	subset_tag(m, tag);
	snprintf(name, sizeof name, "%s%s", tag, m->face->name);
	hb_subset_plan_t *plan = subset_plan(m);
	hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
	hb_blob_t *blob = sub ? hb_face_reference_blob(sub) : NULL;
	unsigned len = 0;
	const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
	const hb_map_t *map = plan ?
		hb_subset_plan_old_to_new_glyph_mapping(plan) : NULL;
	unsigned char *ordered = NULL;
	size_t olen = 0;
	int in_order = data && cid_order(m, sub, map, (const unsigned char *)
					 data, len, &ordered, &olen) == 0;
	if (ordered && olen <= UINT32_MAX) {
		data = (const char *)ordered;
		len = (unsigned)olen;
	}
	HPDF_Dict fd = len ? descriptor(m, name, data, len) : NULL;
	HPDF_Dict cf = fd ? cid_font(m, name, fd, map, in_order) : NULL;
	HPDF_Dict tu = cf ? to_unicode(m) : NULL;
	HPDF_Array desc = tu ? HPDF_Array_New(m->h->mmgr) : NULL;
	if (desc) {
		HPDF_Array_Add(desc, cf);
		HPDF_Dict_AddName(m->type0, "Subtype", "Type0");
		HPDF_Dict_AddName(m->type0, "BaseFont", name);
		HPDF_Dict_AddName(m->type0, "Encoding", "Identity-H");
		HPDF_Dict_Add(m->type0, "DescendantFonts", desc);
		HPDF_Dict_Add(m->type0, "ToUnicode", tu);
	}
	free(ordered);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	if (!desc)
		return bt_fail(e, BT_EFAIL, "font subset of %s (%zu glyphs) "
			       "failed", m->face->name, m->n);
	return BT_OK;
}
