/* doc.c - PDF documents: fonts, text layout, shapes, QR codes, output. */
#include "pdf/doc.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fribidi.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <qrencode.h>

#include "pdf/embed.h"
#include "pdf/glue.h"
#include "pdf/lang.h"

#define MAX_FONTS 16      /* distinct font files in fonts.tsv */
#define MAX_ENTRIES 64    /* lines of fonts.tsv */
#define MAX_LANGS 8       /* languages named in its lang column */
#define MAX_PARA 8192     /* bytes of UTF-8 in one paragraph */
#define LINE_GAP 1.32f    /* line height, in font sizes */
#define PDF_FIX_MAX 4000  /* bytes pdf_text_fix keeps (the engine stores less) */

typedef struct font_entry {
	uint32_t first, last;
	int bold;
	int slot; /* index in files */
	uint32_t langs; /* the language classes it serves (bit k: class k) */
} font_entry;

/* A language class: 0 for every language the lang column names nowhere,
 * k (1..) for langs[k - 1]. Each class has its own choice of font per
 * character, cached per style, per BMP code point: slot + 1, 0 unknown
 * yet, -1 none; and the advance width in 1/1000 em. */
typedef struct glyph_cache {
	int8_t cover[2][65536];
	int16_t width[2][65536];
} glyph_cache;

typedef struct font_file {
	char *path, *package;
	int face; /* index in a .ttc collection */
	int bold; /* named on a bold line: a bold face, no faux bold */
	float scale; /* the size column: its text drawn at scale x the size */
	pdf_face *hb; /* opened on first use */
} font_file;

struct pdf_fonts {
	font_entry ent[MAX_ENTRIES];
	size_t nent;
	font_file files[MAX_FONTS];
	size_t nfiles;
	char langs[MAX_LANGS][8]; /* the languages the lang column names */
	size_t nlangs;
	glyph_cache *cache; /* per language class: nlangs + 1 */
	uint32_t mark;  /* drawn for a character no font has; 0: none */
	int mark_known;
	/* this table's number among the tables made by the process (from 1):
	 * the measure cache's key, where the address of a freed table could
	 * come back as another's */
	uint64_t gen;
};

struct pdf_doc {
	HPDF_Doc h;
	pdf_fonts *fonts;
	pdf_embed *font[MAX_FONTS]; /* the fonts it embeds, on first use */
	HPDF_Page *pages;
	int npages;
	HPDF_Page page;
	int pageno; /* the current page's index */
	float w, hgt;
	int rtl;
	int lang; /* its language class (pdf_doc_info; 0 until then) */
	HPDF_STATUS err, detail;
	/* the structure tree (tagged PDF): the Document element, its
	 * children's array, per page the elements of its MCIDs (the parent
	 * tree's arrays), the element of the pdf_text being drawn */
	HPDF_Dict tag_doc, tag_root;
	HPDF_Array tag_kids, tag_nums, *tag_page;
	int tag_npage; /* pages with a parent-tree array (the first ones) */
	int tag_nobj;  /* annotations in the parent tree (keys after the
			* pages') */
	HPDF_Dict tag_cur;
	/* the open groups (pdf_tag_begin: Table, TR, TD, ...), innermost
	 * last: new elements are children of the innermost, else of the
	 * Document element */
	struct { HPDF_Dict el; HPDF_Array kids; } tag_group[PDF_TAG_DEPTH];
	int tag_depth;
	const char *tag_type, *tag_next;
	int tag_marked; /* the text being drawn has opened its marked content */
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	pdf_doc *d = user;
	if (!d->err) {
		d->err = code;
		d->detail = detail;
	}
}

void pdf_fonts_free(pdf_fonts *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nfiles; i++) {
		pdf_face_free(f->files[i].hb);
		free(f->files[i].path);
		free(f->files[i].package);
	}
	free(f->cache);
	free(f);
}

static int font_slot(pdf_fonts *f, const char *path, int face,
		     const char *package, int bold, float scale)
{
	for (size_t i = 0; i < f->nfiles; i++)
		if (f->files[i].face == face &&
		    strcmp(f->files[i].path, path) == 0)
			return (int)i;
	if (f->nfiles == MAX_FONTS)
		return -1;
	font_file *ff = &f->files[f->nfiles];
	ff->path = strdup(path);
	ff->package = strdup(package);
	ff->face = face;
	ff->bold = bold;
	ff->scale = scale;
	if (!ff->path || !ff->package) {
		/* the slot is not counted: pdf_fonts_free would not see it */
		free(ff->path);
		free(ff->package);
		ff->path = ff->package = NULL;
		return -2;
	}
	return (int)f->nfiles++;
}

/* The optional seventh column of fonts.tsv: the size of the font's text
 * in percent of the style's size (50-200; an Arabic or Chinese font whose
 * letters look smaller or larger than Latin ones at the same size). */
static int parse_scale(const char *s, float *scale, const char *path,
		       int lineno, bt_err *e)
{
	char *end;
	long v = s ? strtol(s, &end, 10) : 100;
	if (s && (*end || end == s || v < 50 || v > 200))
		return bt_fail(e, BT_EINPUT, "%s:%d: bad size '%s' (a percentage, "
			       "50 to 200)", path, lineno, s);
	*scale = (float)v / 100.0f;
	return BT_OK;
}

/* The optional eighth column of fonts.tsv: the languages of the documents
 * the line serves, "*" (the default) every language, else codes separated
 * by commas ("zh", "en,fr"); *mask receives their classes' bits. */
static int parse_langs(pdf_fonts *f, const char *s, uint32_t *mask,
		       const char *path, int lineno, bt_err *e)
{
	*mask = 0;
	if (!s || strcmp(s, "*") == 0) {
		*mask = UINT32_MAX;
		return BT_OK;
	}
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, ",");
		int known = 0;
		for (int l = 0; l < PDF_NLANGS; l++)
			known |= strlen(pdf_langs[l]) == n && !strncmp(pdf_langs[l], p, n);
		if (!known || (p[n] == ',' && !p[n + 1]))
			return bt_fail(e, BT_EINPUT, "%s:%d: bad lang '%s' (*, or "
				       "document languages en, fr, es, ru, zh, ar separated by commas)",
				       path, lineno, s);
		size_t k = 0;
		while (k < f->nlangs && (strlen(f->langs[k]) != n ||
					 strncmp(f->langs[k], p, n) != 0))
			k++;
		if (k == MAX_LANGS)
			return bt_fail(e, BT_EINPUT, "%s:%d: more than %d "
				       "languages named", path, lineno, MAX_LANGS);
		if (k == f->nlangs)
			memcpy(f->langs[f->nlangs++], p, n); /* zeroed: ends */
		*mask |= 1u << (k + 1);
		p += n + (p[n] == ',');
	}
	return BT_OK;
}

/* Splits a data line of fonts.tsv into its 6 to 8 fields (fld[6] and
 * fld[7] NULL when absent). */
static int split_font_line(char *line, char *fld[8], const char *path,
			   int lineno, bt_err *e)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, "\t", &save); t && n < 8;
	     t = strtok_r(NULL, "\t", &save))
		fld[n++] = t;
	if (n < 6 || strtok_r(NULL, "\t", &save))
		return bt_fail(e, BT_EINPUT, "%s:%d: expected 6 to 8 tab-separated "
			       "fields", path, lineno);
	for (; n < 8; n++)
		fld[n] = NULL;
	return BT_OK;
}

/* Parses one data line of fonts.tsv into an entry. */
static int parse_font_line(pdf_fonts *f, char *line, const char *path,
			   int lineno, bt_err *e)
{
	char *fld[8];
	if (split_font_line(line, fld, path, lineno, e))
		return e->code;
	char *end1, *end2;
	unsigned long first = strtoul(fld[0], &end1, 16);
	unsigned long last = strtoul(fld[1], &end2, 16);
	if (*end1 || *end2 || end1 == fld[0] || end2 == fld[1] ||
	    first > last || last > 0x10FFFF)
		return bt_fail(e, BT_EINPUT, "%s:%d: bad range '%s'-'%s' (hex "
			       "code points up to 10FFFF)", path, lineno,
			       fld[0], fld[1]);
	float scale = 1;
	uint32_t langs;
	if (parse_scale(fld[6], &scale, path, lineno, e) ||
	    parse_langs(f, fld[7], &langs, path, lineno, e))
		return e->code;
	int bold = strcmp(fld[2], "bold") == 0;
	if (!bold && strcmp(fld[2], "regular") != 0)
		return bt_fail(e, BT_EINPUT, "%s:%d: style '%s' is not regular "
			       "or bold", path, lineno, fld[2]);
	char *end3;
	long face = strtol(fld[3], &end3, 10);
	if (*end3 || end3 == fld[3] || face < 0 || face > 255)
		return bt_fail(e, BT_EINPUT, "%s:%d: bad face '%s'", path,
			       lineno, fld[3]);
	char file[4096];
	const char *dir = strncmp(fld[4], "{fonts}/", 8) == 0 ?
		pdf_fonts_dir() : NULL;
	if ((size_t)snprintf(file, sizeof file, "%s%s", dir ? dir : "",
			     dir ? fld[4] + 7 : fld[4]) >= sizeof file)
		return bt_fail(e, BT_EINPUT, "%s:%d: font path too long", path,
			       lineno);
	struct stat st;
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
		return bt_fail(e, BT_EINPUT, "font %s is not installed (Debian "
			       "package %s; %s:%d)", file, fld[5], path,
			       lineno);
	if (f->nent == MAX_ENTRIES)
		return bt_fail(e, BT_EINPUT, "%s: more than %d font lines",
			       path, MAX_ENTRIES);
	int slot = font_slot(f, file, (int)face, fld[5], bold, scale);
	if (slot < 0)
		return bt_fail(e, slot == -1 ? BT_EINPUT : BT_EFAIL,
			       slot == -1 ? "%s: more than 16 font files" :
			       "%s: out of memory", path);
	f->ent[f->nent++] = (font_entry){ (uint32_t)first, (uint32_t)last,
					  bold, slot, langs };
	return BT_OK;
}

int pdf_fonts_load(const char *forms_dir, pdf_fonts **out, bt_err *e)
{
	*out = NULL;
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/fonts.tsv", forms_dir) >=
	    sizeof path)
		return bt_fail(e, BT_EINPUT, "forms directory '%s' too long",
			       forms_dir);
	bt_buf b = BT_BUF_INIT;
	int rc = bt_file_read(path, "font table", 64 * 1024, &b, e);
	if (rc)
		return rc;
	pdf_fonts *f = calloc(1, sizeof *f);
	if (!f) {
		bt_buf_release(&b);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	char *p = b.data ? b.data : (char *)"";
	int lineno = 0, header = 0;
	while (p && *p && rc == BT_OK) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *line = p;
		p = nl ? nl + 1 : NULL;
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (!*line || *line == '#')
			continue;
		if (!header && strncmp(line, "first\t", 6) == 0) {
			header = 1; /* the column names */
			continue;
		}
		rc = parse_font_line(f, line, path, lineno, e);
	}
	bt_buf_release(&b);
	if (rc == BT_OK && f->nent == 0)
		rc = bt_fail(e, BT_EINPUT, "%s: no fonts", path);
	if (rc == BT_OK &&
	    !(f->cache = calloc(f->nlangs + 1, sizeof *f->cache)))
		rc = bt_fail(e, BT_EFAIL, "out of memory");
	if (rc) {
		pdf_fonts_free(f);
		return rc;
	}
	static _Atomic uint64_t made;
	f->gen = ++made;
	*out = f;
	return BT_OK;
}

/* The first font slot of the table for code point c in style bold in the
 * documents of language class lang; -1 when no font has the glyph, -2 when
 * a font cannot be read (e set). */
static int glyph_find(pdf_fonts *f, int lang, uint32_t c, int bold,
		      bt_err *e)
{
	int found = -1;
	for (int pass = 0; pass < 2 && found < 0; pass++) {
		int want = pass == 0 ? bold : 0;
		if (pass == 1 && !bold)
			break;
		for (size_t i = 0; i < f->nent && found < 0; i++) {
			const font_entry *en = &f->ent[i];
			if (c < en->first || c > en->last || en->bold != want ||
			    !(en->langs >> lang & 1))
				continue;
			font_file *ff = &f->files[en->slot];
			bt_err fe;
			if (!ff->hb && pdf_face_open(ff->path, ff->face,
						     &ff->hb, &fe) != BT_OK) {
				if (fe.code == BT_EFAIL) /* out of memory */
					bt_fail(e, fe.code, "%s", fe.msg);
				else
					bt_fail(e, fe.code, "%s (Debian package "
						"%s)", fe.msg, ff->package);
				return -2;
			}
			/* a range with no glyph: try the next line */
			if (pdf_face_glyph(ff->hb, c) != 0)
				found = en->slot;
		}
	}
	return found;
}

/* The font slot for code point c in style bold in the documents of
 * language class lang, with its width (1/1000 em of the font, before its
 * size column); -1 when no font has the glyph. Cached for the BMP; beyond
 * it (a fonts.tsv line may name such a range; CIDs are keyed by glyph)
 * looked up each time. */
static int glyph(pdf_fonts *f, int lang, uint32_t c, int bold, int *width,
		 bt_err *e)
{
	if (c > 0xFFFF) {
		int found = glyph_find(f, lang, c, bold, e);
		*width = found < 0 ? 0 : pdf_face_width(f->files[found].hb,
			pdf_face_glyph(f->files[found].hb, c));
		return found;
	}
	glyph_cache *gc = &f->cache[lang];
	int8_t *cv = &gc->cover[bold][c];
	if (*cv) {
		*width = gc->width[bold][c];
		return *cv < 0 ? -1 : *cv - 1;
	}
	int found = glyph_find(f, lang, c, bold, e);
	if (found == -2)
		return -2;
	*cv = (int8_t)(found < 0 ? -1 : found + 1);
	gc->width[bold][c] = found < 0 ? 0 : (int16_t)pdf_face_width(
		f->files[found].hb, pdf_face_glyph(f->files[found].hb, c));
	*width = gc->width[bold][c];
	return found;
}

const pdf_face *pdf_doc_face(pdf_doc *d, uint32_t c, bt_err *e)
{
	int width;
	int slot = glyph(d->fonts, d->lang, c, 0, &width, e);
	return slot < 0 ? NULL : d->fonts->files[slot].hb;
}

int pdf_paper_parse(const char *s, pdf_paper *out, bt_err *e)
{
	if (strcmp(s, "a4") == 0 || strcmp(s, "A4") == 0)
		*out = PDF_A4;
	else if (strcmp(s, "letter") == 0)
		*out = PDF_LETTER;
	else
		return bt_fail(e, BT_EINPUT, "--paper: '%s' is not a4 or letter",
			       s);
	return BT_OK;
}

void pdf_doc_free(pdf_doc *d)
{
	if (!d)
		return;
	if (d->h)
		HPDF_Free(d->h);
	for (int i = 0; i < MAX_FONTS; i++)
		pdf_embed_free(d->font[i]);
	free(d->pages);
	free(d->tag_page);
	free(d);
}

static int hpdf_check(pdf_doc *d, const char *what, bt_err *e)
{
	if (!d->err)
		return BT_OK;
	int rc = bt_fail(e, BT_EFAIL, "libharu: %s failed (error %04X, %u)",
			 what, (unsigned)d->err, (unsigned)d->detail);
	d->err = 0;
	HPDF_ResetError(d->h);
	return rc;
}

int pdf_doc_new(const pdf_fonts *fonts, pdf_paper paper, int rtl,
		pdf_doc **out, bt_err *e)
{
	*out = NULL;
	pdf_doc *d = calloc(1, sizeof *d);
	if (!d)
		return bt_fail(e, BT_EFAIL, "out of memory");
	d->fonts = (pdf_fonts *)fonts;
	d->rtl = rtl;
	d->w = paper == PDF_LETTER ? 612 : 595.276f;
	d->hgt = paper == PDF_LETTER ? 792 : 841.89f;
	d->h = HPDF_New(on_error, d);
	if (!d->h) {
		free(d);
		return bt_fail(e, BT_EFAIL, "libharu: cannot start");
	}
	HPDF_SetCompressionMode(d->h, HPDF_COMP_NONE); /* pdf_pack compresses */
	HPDF_SetInfoAttr(d->h, HPDF_INFO_CREATOR, "ballot");
	int rc = hpdf_check(d, "document setup", e);
	if (rc) {
		pdf_doc_free(d);
		return rc;
	}
	*out = d;
	return BT_OK;
}

float pdf_page_width(const pdf_doc *d) { return d->w; }
float pdf_page_height(const pdf_doc *d) { return d->hgt; }
int pdf_page_count(const pdf_doc *d) { return d->npages; }

static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *c);

/* The PDFDocEncoding byte of c (ISO 32000-1, D.2), 0 when it has none
 * (or a control character). Latin-1 above 0xA0 is the same (bar the soft
 * hyphen); 0x80-0xA0 hold punctuation such as the dashes and quotes. */
static unsigned char pdfdoc_byte(uint32_t c)
{
	static const uint16_t high[] = { /* 0x80 .. 0xA0 */
		0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
		0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
		0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
		0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0,
		0x20AC };
	if ((c >= 0x20 && c < 0x7F) || (c >= 0xA1 && c <= 0xFF && c != 0xAD))
		return (unsigned char)c;
	for (unsigned i = 0; c && i < sizeof high / sizeof *high; i++)
		if (high[i] == c)
			return (unsigned char)(0x80 + i);
	return 0;
}

/* text in PDFDocEncoding as a literal string, or NULL when a character
 * has no byte there (or out of memory). */
static HPDF_String pdfdoc_string(pdf_doc *d, const char *text, size_t n)
{
	char *b = malloc(n + 1);
	size_t len = 0;
	for (size_t i = 0; b && i < n;) {
		uint32_t c = 0;
		size_t k = utf8_next((const unsigned char *)text + i, n - i, &c);
		unsigned char ch = k ? pdfdoc_byte(c) : 0;
		if (!ch) {
			free(b);
			return NULL;
		}
		b[len++] = (char)ch;
		i += k;
	}
	if (!b)
		return NULL;
	b[len] = '\0';
	HPDF_String s = HPDF_String_New(d->h->mmgr, b, NULL);
	free(b);
	return s;
}

/* text as a PDF text string (ISO 32000-1, 7.9.2.2): a literal string in
 * PDFDocEncoding when every character has a byte there (ASCII, Latin-1,
 * the dashes: a quarter of the bytes), else UTF-16BE after its byte order
 * mark, written as a hex string; bytes that are not UTF-8 become U+FFFD.
 * NULL when out of memory. */
void *pdf_text_string(pdf_doc *d, const char *text)
{
	size_t n = strlen(text), len = 2;
	HPDF_String lit = pdfdoc_string(d, text, n);
	if (lit)
		return lit;
	unsigned char *u = malloc(4 * n + 2);
	if (!u)
		return NULL;
	u[0] = 0xFE;
	u[1] = 0xFF;
	for (size_t i = 0; i < n;) {
		uint32_t c = 0xFFFD;
		size_t k = utf8_next((const unsigned char *)text + i, n - i, &c);
		i += k ? k : 1;
		if (c > 0xFFFF) {
			uint32_t v = c - 0x10000;
			u[len++] = (unsigned char)((0xD800 + (v >> 10)) >> 8);
			u[len++] = (unsigned char)(0xD800 + (v >> 10));
			c = 0xDC00 + (v & 0x3FF);
		}
		u[len++] = (unsigned char)(c >> 8);
		u[len++] = (unsigned char)c;
	}
	HPDF_Binary b = HPDF_Binary_New(d->h->mmgr, u, (HPDF_UINT)len);
	free(u);
	return b;
}

int pdf_doc_info(pdf_doc *d, const char *lang, const char *title,
		 const char *subject, const char *author, bt_err *e)
{
	static const char *const keys[] = { "Title", "Subject", "Author" };
	const char *vals[] = { title, subject, author };
	HPDF_MMgr mm = d->h->mmgr;
	/* (the Info dictionary: made by pdf_doc_new's creator) */
	for (int i = 0; i < 3 && d->h->info; i++) {
		void *s = pdf_text_string(d, vals[i]);
		if (!s)
			return bt_fail(e, BT_EFAIL, "out of memory");
		HPDF_Dict_Add(d->h->info, keys[i], s);
	}
	HPDF_Dict prefs = HPDF_Dict_New(mm);
	if (!prefs)
		return hpdf_check(d, "document info", e) ? BT_EFAIL :
			bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_Dict_Add(prefs, "DisplayDocTitle", HPDF_Boolean_New(mm, HPDF_TRUE));
	if (d->rtl)
		HPDF_Dict_AddName(prefs, "Direction", "R2L");
	HPDF_Dict_Add(d->h->catalog, "ViewerPreferences", prefs);
	/* its fonts: the lines of fonts.tsv that serve its language */
	d->lang = 0;
	for (size_t k = 0; k < d->fonts->nlangs; k++)
		if (strcmp(d->fonts->langs[k], lang) == 0)
			d->lang = (int)k + 1;
	/* Chinese as the ITU writes it: simplified, as in China */
	HPDF_Dict_Add(d->h->catalog, "Lang", HPDF_String_New(mm,
		strcmp(lang, "zh") == 0 ? "zh-CN" : lang, NULL));
	return hpdf_check(d, "document info", e);
}

int pdf_page_add(pdf_doc *d, bt_err *e)
{
	HPDF_Page *pg = realloc(d->pages, (size_t)(d->npages + 1) * sizeof *pg);
	if (!pg)
		return bt_fail(e, BT_EFAIL, "out of memory");
	d->pages = pg;
	HPDF_Array *tp = realloc(d->tag_page, (size_t)(d->npages + 1) *
				 sizeof *tp);
	if (!tp)
		return bt_fail(e, BT_EFAIL, "out of memory");
	d->tag_page = tp;
	tp[d->npages] = NULL;
	HPDF_Page p = HPDF_AddPage(d->h);
	if (!p)
		return hpdf_check(d, "new page", e) ? BT_EFAIL :
			bt_fail(e, BT_EFAIL, "libharu: new page failed");
	HPDF_Page_SetWidth(p, d->w);
	HPDF_Page_SetHeight(p, d->hgt);
	d->pageno = d->npages;
	d->pages[d->npages++] = p;
	d->page = p;
	return hpdf_check(d, "new page", e);
}

int pdf_page_select(pdf_doc *d, int n, bt_err *e)
{
	if (n < 1 || n > d->npages)
		return bt_fail(e, BT_EFAIL, "no page %d", n);
	d->page = d->pages[n - 1];
	d->pageno = n - 1;
	return BT_OK;
}

/* ---- text ---- */

static int is_cjk(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFF00 && c <= 0xFFEF);
}

/* Characters that must not start a line (closing punctuation). */
static int no_break_before(uint32_t c)
{
	static const uint32_t set[] = { 0x3001, 0x3002, 0xFF0C, 0xFF0E,
		0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF09, 0x300D, 0x300F, 0x3011,
		0x201D, 0x2019, ')', ',', '.', ':', ';', 0x300B, 0x3009 };
	for (size_t i = 0; i < sizeof set / sizeof *set; i++)
		if (set[i] == c)
			return 1;
	return 0;
}

/* Characters that must not end a line (opening punctuation). */
static int no_break_after(uint32_t c)
{
	return c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010 ||
	       c == 0x201C || c == 0x2018 || c == '(' || c == 0x300A ||
	       c == 0x3008;
}

/* Zero-width characters never drawn: bidi controls, the shaping filler. */
static int invisible(uint32_t c)
{
	return c == 0xFEFF || c == 0x200B || c == 0x200C || c == 0x200D ||
	       c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* Refuses character c of text s (len bytes) in field: no font prints it. */
static int refuse_char(bt_err *e, const char *field, uint32_t c,
		       const char *s, size_t len)
{
	char shown[96];
	const char *why = c > 0xFFFF ? "is outside the Basic Multilingual "
		"Plane and not covered by any installed font (forms/fonts.tsv)" :
		"is not covered by any installed font (forms/fonts.tsv)";
	size_t cut = len > 60 ? 60 : len;
	while (cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--; /* never half a character */
	snprintf(shown, sizeof shown, "%.*s%s", (int)cut, s,
		 cut < len ? "..." : "");
	return bt_fail(e, BT_EINPUT, "%s: character U+%04X in '%s' %s", field,
		       (unsigned)c, shown, why);
}

/* Decodes the UTF-8 character at s (n bytes left) into *c; its length, or 0
 * when the bytes there are not valid UTF-8 (overlong forms, surrogates and
 * code points above U+10FFFF included). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *c)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 :
		s[0] >= 0xE0 && s[0] <= 0xEF ? 3 :
		s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	uint32_t v = len == 1 ? s[0] : s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < least[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*c = v;
	return len;
}

/* 1 when c can be printed (in every style: bold falls back to regular;
 * in the documents of every language), 0 when not (a control character,
 * one no font has, one beyond U+FFFF), -2 when a font cannot be loaded
 * (e set). */
static int printable(pdf_fonts *f, uint32_t c, bt_err *e)
{
	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
		return 0;
	if (invisible(c))
		return 1; /* never drawn */
	/* class 0, the languages the table names nowhere, has the fewest
	 * lines (those of every language, *): what it prints, every language
	 * prints (a line of its own before them falls through when its font
	 * lacks the glyph) */
	int width;
	int slot = glyph(f, 0, c, 0, &width, e);
	return slot == -2 ? -2 : slot >= 0;
}

/* The mark drawn for a character no font can print: U+25A1 WHITE SQUARE,
 * else '?', else none (0), whichever the font table can print first. */
static int mark_get(pdf_fonts *f, uint32_t *out, bt_err *e)
{
	static const uint32_t want[] = { 0x25A1, '?' };
	for (size_t i = 0; !f->mark_known && i < 2; i++) {
		int ok = printable(f, want[i], e);
		if (ok == -2)
			return e->code; /* a font that cannot be read, or no memory */
		if (ok) {
			f->mark = want[i];
			f->mark_known = 1;
		}
	}
	f->mark_known = 1;
	*out = f->mark;
	return BT_OK;
}

static size_t utf8_put(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

int pdf_fonts_mark(pdf_fonts *f, char out[5], bt_err *e)
{
	uint32_t m = 0;
	int rc = mark_get(f, &m, e);
	out[m && rc == BT_OK ? utf8_put(m, out) : 0] = '\0';
	return rc;
}

int pdf_text_check(pdf_fonts *f, const char *text, const char *field,
		   bt_err *e)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t k = utf8_next(s + i, n - i, &c);
		if (!k)
			return bt_fail(e, BT_EINPUT, "%s: not valid UTF-8 (byte "
				       "%zu)", field, i + 1);
		int ok = printable(f, c, e);
		if (ok == -2)
			return e->code; /* a font that cannot be read, or no memory */
		if (!ok)
			return refuse_char(e, field, c, text, n);
		i += k;
	}
	return BT_OK;
}

int pdf_text_fix(pdf_fonts *f, const char *text, bt_buf *out,
		 size_t *replaced, bt_err *e)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), start = out->len;
	*replaced = 0;
	for (size_t i = 0; i < n && !out->failed;) {
		if (out->len - start >= PDF_FIX_MAX) {
			bt_buf_adds(out, "\u2026"); /* only a damaged database */
			break;
		}
		uint32_t c = 0, mark;
		size_t k = utf8_next(s + i, n - i, &c);
		int ok = k ? printable(f, c, e) : 0;
		if (ok == -2)
			return e->code; /* a font that cannot be read, or no memory */
		if (ok) {
			bt_buf_add(out, s + i, k);
		} else {
			(*replaced)++;
			if (mark_get(f, &mark, e))
				return e->code;
			/* the mark keeps the direction of a letter it replaces
			 * (an Ethiopic name stays left to right in Arabic) */
			FriBidiCharType t = k ? fribidi_get_bidi_type(c) : 0;
			const char *dir = !FRIBIDI_IS_LETTER(t) ? "" :
				FRIBIDI_IS_RTL(t) ? "\u200F" : "\u200E";
			char u[4];
			if (mark) {
				bt_buf_adds(out, dir);
				bt_buf_add(out, u, utf8_put(mark, u));
				bt_buf_adds(out, dir);
			}
		}
		i += k ? k : 1; /* a mark per byte that is not UTF-8 */
	}
	if (out->failed)
		return bt_fail(e, BT_EFAIL, "text too long for its buffer");
	return BT_OK;
}

typedef struct para {
	FriBidiChar u[MAX_PARA];
	FriBidiChar raw[MAX_PARA]; /* before shaping */
	FriBidiCharType types[MAX_PARA];
	FriBidiBracketType brackets[MAX_PARA];
	FriBidiLevel levels[MAX_PARA];
	FriBidiStrIndex map[MAX_PARA];
	int8_t slot[MAX_PARA];
	float w[MAX_PARA];
	/* shaped text (pdf_face_shape): a character that starts a cluster
	 * owns glyphs g[gfirst, gfirst + gcount) and the cluster's width;
	 * cont: one of the cluster's other characters (no glyph, no width, no
	 * line break before it) */
	uint8_t shaped[MAX_PARA], cont[MAX_PARA];
	int gfirst[MAX_PARA];
	int16_t gcount[MAX_PARA];
	pdf_glyph g[2 * MAX_PARA];
	int ng;
	int n;
	FriBidiParType base;
} para;

/* Shapes the run [a, b) of paragraph p (one font, one bidi level) with
 * HarfBuzz: each cluster's glyphs and width go to its first character. */
static int run_hb(pdf_doc *d, para *p, int a, int b, const pdf_style *st,
		  const char *field, bt_err *e)
{
	const font_file *ff = &d->fonts->files[p->slot[a]];
	int k = pdf_face_shape(ff->hb, p->raw, p->n, a, b - a,
			       p->levels[a] & 1, p->g + p->ng,
			       2 * MAX_PARA - p->ng);
	if (k < 0)
		return bt_fail(e, BT_EINPUT, "%s: paragraph too long to shape",
			       field);
	for (int i = a; i < b; i++) {
		p->shaped[i] = p->cont[i] = 1;
		p->gcount[i] = 0;
		p->w[i] = 0;
	}
	for (int j = p->ng; j < p->ng + k; j++) {
		int cl = p->g[j].cluster;
		if (cl < a || cl >= b)
			return bt_fail(e, BT_EFAIL, "%s: shaping failed", field);
		if (!p->gcount[cl])
			p->gfirst[cl] = j;
		p->gcount[cl]++;
		p->cont[cl] = 0;
		p->w[cl] += p->g[j].adv * st->size * ff->scale / 1000.0f;
	}
	p->ng += k;
	return BT_OK;
}

/* Shapes every run of a complex script (pdf_complex) in p: a run is one
 * font and one bidi level; the rest is drawn character by character. */
static int para_hb(pdf_doc *d, para *p, const pdf_style *st,
		   const char *field, bt_err *e)
{
	p->ng = 0;
	for (int a = 0, b; a < p->n; a = b) {
		b = a + 1;
		if (p->slot[a] < 0)
			continue;
		int complex = pdf_complex(p->raw[a]);
		while (b < p->n && p->slot[b] == p->slot[a] &&
		       p->levels[b] == p->levels[a])
			complex |= pdf_complex(p->raw[b++]);
		int rc = complex ? run_hb(d, p, a, b, st, field, e) : BT_OK;
		if (rc)
			return rc;
	}
	return BT_OK;
}

/* One paragraph at a time per thread (the portal renders reports on several
 * request threads at once). */
static _Thread_local para scratch;

/* 1 when paragraph p of a left-to-right document has nothing written
 * right to left, no Arabic number, no embedding or isolate: every level
 * is then 0 (all strong types are L, so numbers and neutrals resolve to
 * L), set here without the bidi algorithm, which costs a paragraph of an
 * English form more than the rest of its shaping. */
static int all_ltr(const pdf_doc *d, para *p)
{
	if (d->rtl)
		return 0;
	for (int i = 0; i < p->n; i++) {
		FriBidiCharType t = p->types[i];
		if (FRIBIDI_IS_RTL(t) || FRIBIDI_IS_ARABIC(t) ||
		    FRIBIDI_IS_EXPLICIT(t) || FRIBIDI_IS_ISOLATE(t))
			return 0;
	}
	memset(p->levels, 0, (size_t)p->n * sizeof *p->levels);
	return 1;
}

/* Shapes paragraph s (len bytes, no \n) into p, with fonts and widths. */
static int para_shape(pdf_doc *d, const char *s, size_t len,
		      const pdf_style *st, const char *field, para *p, bt_err *e)
{
	if (len > MAX_PARA)
		return bt_fail(e, BT_EINPUT, "%s: paragraph longer than %d "
			       "bytes", field, MAX_PARA);
	p->n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, s,
					  (FriBidiStrIndex)len, p->u);
	memcpy(p->raw, p->u, (size_t)p->n * sizeof *p->u);
	fribidi_get_bidi_types(p->u, p->n, p->types);
	fribidi_get_bracket_types(p->u, p->n, p->types, p->brackets);
	p->base = d->rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
	if (!all_ltr(d, p) &&
	    !fribidi_get_par_embedding_levels_ex(p->types, p->brackets, p->n,
						 &p->base, p->levels))
		return bt_fail(e, BT_EFAIL, "%s: bidi analysis failed", field);
	/* mirrored brackets only: Arabic and other complex scripts are shaped
	 * by HarfBuzz (para_hb), from the characters as typed */
	fribidi_shape(FRIBIDI_FLAGS_DEFAULT, p->levels, p->n, NULL, p->u);
	int bold = st->bold ? 1 : 0;
	for (int i = 0; i < p->n; i++) {
		uint32_t c = p->u[i];
		p->map[i] = i;
		p->shaped[i] = p->cont[i] = 0;
		if (invisible(c) || c == '\t') {
			p->slot[i] = -1;
			p->w[i] = 0;
			continue;
		}
		int width = 0;
		int slot = glyph(d->fonts, d->lang, c, bold, &width, e);
		if (slot == -2)
			return e->code; /* a font that cannot be read, or no memory */
		if (slot < 0)
			return refuse_char(e, field, c, s, len);
		p->slot[i] = (int8_t)slot;
		p->w[i] = (float)width * st->size *
			d->fonts->files[slot].scale / 1000.0f;
	}
	return para_hb(d, p, st, field, e);
}

static int can_break_before(const para *p, int i)
{
	uint32_t prev = p->u[i - 1], c = p->u[i];
	if (p->cont[i])
		return 0;
	if (prev == ' ') /* glue.c: never inside "ITU-T Q.5051", "23:59 UTC" */
		return c != ' ' && !pdf_glued_space(p->raw, p->n, i - 1);
	if (no_break_before(c) || no_break_after(prev))
		return 0;
	return is_cjk(prev) || is_cjk(c);
}

/* The document's font of slot, made on first use, and named /F<slot> in
 * the current page's resources; NULL when out of memory. */
static pdf_embed *doc_font(pdf_doc *d, int slot)
{
	if (!d->font[slot])
		d->font[slot] = pdf_embed_new(d->h, d->fonts->files[slot].hb);
	if (!d->font[slot])
		return NULL;
	char name[8];
	snprintf(name, sizeof name, "F%d", slot);
	HPDF_PageAttr attr = d->page->attr;
	HPDF_Dict res = HPDF_Dict_GetItem(d->page, "Resources",
					  HPDF_OCLASS_DICT);
	if (!res)
		return NULL;
	if (!attr->fonts) {
		attr->fonts = HPDF_Dict_New(d->h->mmgr);
		if (!attr->fonts || HPDF_Dict_Add(res, "Font", attr->fonts) !=
		    HPDF_OK)
			return NULL;
	}
	if (!HPDF_Dict_GetItem(attr->fonts, name, HPDF_OCLASS_DICT) &&
	    HPDF_Dict_Add(attr->fonts, name, pdf_embed_dict(d->font[slot])) !=
	    HPDF_OK)
		return NULL;
	return d->font[slot];
}

/* v with at most 3 decimals and no trailing zeros, whatever the locale
 * (digits by hand: snprintf, four times a run of text, was 7 % of a
 * form's instructions). */
static void num(float v, char out[24])
{
	long m = (long)(v * 1000 + (v < 0 ? -0.5f : 0.5f));
	unsigned long a = (unsigned long)labs(m), ip = a / 1000, fp = a % 1000;
	char digits[24];
	int n = 0, nd = 0;
	if (m < 0)
		out[n++] = '-';
	do
		digits[nd++] = (char)('0' + ip % 10);
	while ((ip /= 10) > 0);
	while (nd > 0)
		out[n++] = digits[--nd];
	if (fp) {
		out[n++] = '.';
		for (unsigned long div = 100; fp && div; div /= 10) {
			out[n++] = (char)('0' + fp / div);
			fp %= div;
		}
	}
	out[n] = '\0';
}

/* What the glyph of drawn character c reads back as: an Arabic
 * presentation form (fribidi's shaping) as the logical letter it was
 * shaped from, a lam-alef ligature as its two letters; anything else as
 * itself (a bracket mirrored in a right-to-left run reads as drawn).
 * Arabic is drawn in visual order, which readers (poppler, pdf.js) turn
 * back by reversing the characters of a right-to-left run, the letters
 * of a ligature included: so they are given in visual order too, alef
 * then lam, and read back as lam-alef. */
static int read_back(uint32_t c, uint32_t raw, uint32_t text[2])
{
	static const uint32_t alef[] = { 0x0622, 0x0623, 0x0625, 0x0627 };
	if (c >= 0xFEF5 && c <= 0xFEFC) {
		text[0] = alef[(c - 0xFEF5) / 2];
		text[1] = 0x0644;
		return 2;
	}
	int form = (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
	text[0] = form ? raw : c;
	return 1;
}

/* Text operators being written into the page's content stream, through a
 * buffer flushed when nearly full. */
typedef struct ops {
	pdf_doc *d;
	char buf[16384];
	int len;
	int str;     /* a literal string is open */
	float adj;   /* a TJ displacement not yet written, 1/1000 em */
	float rise;  /* the text rise (Ts) in force, points */
} ops;

static void ops_flush(ops *o)
{
	HPDF_PageAttr attr = o->d->page->attr;
	HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)o->buf,
			  (HPDF_UINT)o->len);
	o->len = 0;
}

static void ops_printf(ops *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ops_printf(ops *o, const char *fmt, ...)
{
	if (o->len > (int)sizeof o->buf - 256)
		ops_flush(o);
	va_list ap;
	va_start(ap, fmt);
	o->len += vsnprintf(o->buf + o->len, sizeof o->buf - (size_t)o->len,
			    fmt, ap);
	va_end(ap);
}

/* A CID into the open literal string: two bytes, half the bytes of hex
 * (only the parentheses, the backslash and line ends need an escape). */
static void ops_cid(ops *o, unsigned cid)
{
	if (o->len > (int)sizeof o->buf - 16)
		ops_flush(o);
	unsigned char by[2] = { (unsigned char)(cid >> 8), (unsigned char)cid };
	for (int k = 0; k < 2; k++) {
		if (by[k] == '(' || by[k] == ')' || by[k] == '\\' ||
		    by[k] == '\r' || by[k] == '\n')
			o->len += snprintf(o->buf + o->len, sizeof o->buf -
					   (size_t)o->len, "\\%03o", by[k]);
		else
			o->buf[o->len++] = (char)by[k];
	}
}

/* One glyph of a TJ array: moved right by pre and up by rise before it,
 * right by post after it (1/1000 em; rise in points). */
static void ops_glyph(ops *o, unsigned cid, float pre, float rise,
		      float post)
{
	char n[24];
	if (fabsf(rise - o->rise) > 0.001f) {
		ops_printf(o, "%s] TJ\n", o->str ? ")" : "");
		num(rise, n);
		ops_printf(o, "%s Ts\n[", n);
		o->rise = rise;
		o->str = 0;
	}
	/* a whole number of 1/1000 em, the rest carried to the next glyph:
	 * no glyph is ever more than half a unit (0.005 pt at 10 pt) off */
	o->adj -= pre;
	if (o->adj >= 0.5f || o->adj <= -0.5f) {
		long v = (long)(o->adj + (o->adj < 0 ? -0.5f : 0.5f));
		o->adj -= (float)v;
		if (o->len > (int)sizeof o->buf - 32)
			ops_flush(o);
		if (o->str)
			o->buf[o->len++] = ')';
		char digits[24];
		int nd = 0;
		unsigned long u = (unsigned long)(v < 0 ? -v : v);
		do
			digits[nd++] = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		if (v < 0)
			o->buf[o->len++] = '-';
		while (nd > 0)
			o->buf[o->len++] = digits[--nd];
		o->str = 0;
	}
	if (!o->str) {
		if (o->len > (int)sizeof o->buf - 16)
			ops_flush(o);
		o->buf[o->len++] = '(';
	}
	o->str = 1;
	ops_cid(o, cid);
	o->adj -= post;
}

/* One glyph of a shaped run, placed: x from the run's start (1/1000 em),
 * rise in points; it reads back as raw[t0, t0 + tn) (reversed when rtl),
 * or as t1 when tn is -1 (a character drawn unshaped). */
typedef struct placed {
	unsigned gid;
	float x, rise;
	int t0, tn, rtl;
	uint32_t t1;
} placed;

/* The glyphs of the cluster at i, placed from *cum on (advanced past it).
 * The cluster's characters go to its first glyph with an advance (a mark
 * has none), or to its first glyph: a ligature reads as its letters, a
 * letter with its shadda as both. */
static int place_cluster(const para *p, int i, float size, float *cum,
			 placed *out)
{
	int ng = p->gcount[i], owner = -1, nc = 1;
	while (i + nc < p->n && nc < PDF_TEXT_MAX && p->shaped[i + nc] &&
	       p->cont[i + nc])
		nc++;
	for (int j = 0; j < ng; j++) {
		const pdf_glyph *g = &p->g[p->gfirst[i] + j];
		int mark = g->adv < 0.001f && g->adv > -0.001f;
		out[j] = (placed){ g->gid, *cum + g->xo, g->yo * size / 1000.0f,
				   i, 0, p->levels[i] & 1, 0 };
		if (owner < 0 && !mark)
			owner = j;
		*cum += g->adv;
	}
	out[owner < 0 ? 0 : owner].tn = nc;
	return ng;
}

/* The glyphs of visual-order characters [a, b), with the positions
 * HarfBuzz gave them, as one TJ array. Each glyph that reads as text is
 * given a width (its CID's W) that reaches to the next such glyph's
 * origin, so a reader sees the letters of a word touch (poppler takes a gap
 * of a tenth of an em for a space); the other glyphs of a cluster (a mark,
 * the second piece of a letter) have none and read as nothing: the
 * cluster's first glyph with an advance reads as all its characters. */
static int draw_shaped(pdf_doc *d, ops *o, pdf_embed *m, const para *p,
		       int a, int b, float size, bt_err *e)
{
	const pdf_face *face = d->fonts->files[p->slot[p->map[a]]].hb;
	int cap = 0, np = 0;
	for (int j = a; j < b; j++)
		cap += p->shaped[p->map[j]] ? p->gcount[p->map[j]] : 1;
	placed *pl = malloc((size_t)(cap ? cap : 1) * sizeof *pl);
	if (!pl)
		return bt_fail(e, BT_EFAIL, "out of memory");
	float cum = 0, pen = 0;
	for (int j = a; j < b; j++) {
		int i = p->map[j];
		if (p->slot[i] < 0 || (p->shaped[i] && p->cont[i]))
			continue;
		if (p->shaped[i]) {
			np += place_cluster(p, i, size, &cum, pl + np);
			continue;
		}
		uint32_t text[2];
		read_back(p->u[j], p->raw[i], text);
		unsigned gid = pdf_face_glyph(face, p->u[j]);
		pl[np++] = (placed){ gid, cum, 0, i, -1, 0, text[0] };
		cum += (float)pdf_face_width(face, gid);
	}
	int rc = BT_OK;
	ops_printf(o, "[");
	for (int k = 0; k < np && rc == BT_OK; k++) {
		const placed *g = &pl[k];
		int next = k + 1;
		while (next < np && !pl[next].tn)
			next++;
		float w = !g->tn ? 0 : (next < np ? pl[next].x : cum) - g->x;
		int wi = g->tn < 0 ? -1 : (int)(w + (w < 0 ? -0.5f : 0.5f));
		uint32_t text[PDF_TEXT_MAX];
		int n = g->tn < 0 ? 1 : g->tn;
		for (int t = 0; t < n; t++)
			text[t] = g->tn < 0 ? g->t1 :
				p->raw[g->t0 + (g->rtl ? n - 1 - t : t)];
		unsigned cid = pdf_embed_glyph(m, g->gid, wi, text, n);
		if (!cid)
			rc = bt_fail(e, BT_EFAIL, "glyph %u: out of memory, or "
				     "too many", g->gid);
		else
			ops_glyph(o, cid, g->x - pen, g->rise, 0);
		pen = g->x + (wi < 0 ? (float)pdf_face_width(face, g->gid) :
			      (float)wi);
	}
	free(pl);
	ops_printf(o, "%s] TJ\n", o->str ? ")" : "");
	o->str = 0;
	if (o->rise != 0)
		ops_printf(o, "0 Ts\n");
	return rc;
}

/* The characters of visual-order run [a, b) as one string of CIDs. */
static int draw_chars(pdf_doc *d, ops *o, pdf_embed *m, const para *p,
		      int a, int b, int slot, bt_err *e)
{
	int any = 0;
	for (int j = a; j < b; j++) {
		if (p->slot[p->map[j]] < 0)
			continue;
		uint32_t text[2];
		int n = read_back(p->u[j], p->raw[p->map[j]], text);
		unsigned cid = pdf_embed_cid(m, p->u[j], text, n);
		if (!cid)
			return bt_fail(e, BT_EFAIL, "character U+%04X: no "
				       "glyph in %s, or out of memory",
				       (unsigned)p->u[j],
				       d->fonts->files[slot].path);
		if (!any)
			ops_printf(o, "(");
		ops_cid(o, cid);
		any = 1;
	}
	if (any)
		ops_printf(o, ") Tj\n");
	return BT_OK;
}

/* ---- structure (tagged PDF) ---- */

/* The structure type of text in style st (without pdf_tag_next): a
 * heading by its look (bold and 14 pt or more: H1; bold and 11.5 pt or
 * more: H2), gray text (the page's footer: its reference and page number)
 * an artifact (NULL), anything else a paragraph. */
static const char *tag_of(const pdf_style *st)
{
	if (st->gray > 0)
		return NULL;
	if (st->bold && st->size >= 14)
		return "H1";
	if (st->bold && st->size >= 11.5f)
		return "H2";
	return "P";
}

/* A new structure element of type s, child of parent (kids: the parent's
 * /K array); NULL when out of memory. */
static HPDF_Dict tag_elem(pdf_doc *d, const char *s, HPDF_Dict parent,
			  HPDF_Array kids)
{
	HPDF_MMgr mm = d->h->mmgr;
	HPDF_Dict el = HPDF_Dict_New(mm);
	if (!el || HPDF_Xref_Add(d->h->xref, el) != HPDF_OK)
		return NULL;
	HPDF_Dict_AddName(el, "S", s); /* (/Type /StructElem: optional) */
	if (parent)
		HPDF_Dict_Add(el, "P", parent);
	if (kids && HPDF_Array_Add(kids, el) != HPDF_OK)
		return NULL;
	return el;
}

/* The structure tree's root (its parent tree) and the Document element,
 * made with the first tagged text; every object is owned by the document
 * (its xref) from the moment it is made. */
static int tag_start(pdf_doc *d)
{
	HPDF_MMgr mm = d->h->mmgr;
	HPDF_Dict root = HPDF_Dict_New(mm), pt = HPDF_Dict_New(mm);
	if (!root || HPDF_Xref_Add(d->h->xref, root) != HPDF_OK || !pt ||
	    HPDF_Dict_Add(root, "ParentTree", pt) != HPDF_OK)
		return BT_EFAIL;
	d->tag_root = root;
	d->tag_nums = HPDF_Array_New(mm);
	if (!d->tag_nums || HPDF_Dict_Add(pt, "Nums", d->tag_nums) != HPDF_OK)
		return BT_EFAIL;
	HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
	d->tag_doc = tag_elem(d, "Document", root, NULL);
	d->tag_kids = HPDF_Array_New(mm);
	if (!d->tag_doc || HPDF_Dict_Add(root, "K", d->tag_doc) != HPDF_OK ||
	    !d->tag_kids || HPDF_Dict_Add(d->tag_doc, "K", d->tag_kids) !=
	    HPDF_OK)
		return BT_EFAIL;
	return BT_OK;
}

/* A new MCID of the current page (*mcid) for element el, whose /K array
 * is k: added to k and to the page's parent-tree array. The parent tree's
 * arrays: one per page up to this one, in the order of the pages (its keys
 * ascending), owned by the tree at once. BT_EFAIL when out of memory. */
static int tag_mcid(pdf_doc *d, HPDF_Dict el, HPDF_Array k, int *mcid)
{
	while (d->tag_npage <= d->pageno) {
		HPDF_Array a = HPDF_Array_New(d->h->mmgr);
		if (!a || HPDF_Array_AddNumber(d->tag_nums, d->tag_npage) !=
		    HPDF_OK || HPDF_Array_Add(d->tag_nums, a) != HPDF_OK)
			return BT_EFAIL;
		d->tag_page[d->tag_npage++] = a;
	}
	HPDF_Array pa = d->tag_page[d->pageno];
	*mcid = (int)HPDF_Array_Items(pa);
	if (HPDF_Array_Add(pa, el) != HPDF_OK ||
	    HPDF_Array_AddNumber(k, *mcid) != HPDF_OK)
		return BT_EFAIL;
	return BT_OK;
}

/* A new element of type s in the innermost open group (else in the
 * Document element); NULL when out of memory. */
static HPDF_Dict tag_new(pdf_doc *d, const char *s)
{
	if (d->tag_depth)
		return tag_elem(d, s, d->tag_group[d->tag_depth - 1].el,
				d->tag_group[d->tag_depth - 1].kids);
	return tag_elem(d, s, d->tag_doc, d->tag_kids);
}

int pdf_tag_begin(pdf_doc *d, const char *type, bt_err *e)
{
	if (d->tag_depth == PDF_TAG_DEPTH)
		return bt_fail(e, BT_EFAIL, "structure nested deeper than %d",
			       PDF_TAG_DEPTH);
	if (!d->tag_doc && tag_start(d) != BT_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_Dict el = tag_new(d, type);
	HPDF_Array kids = HPDF_Array_New(d->h->mmgr);
	if (!el || !kids || HPDF_Dict_Add(el, "K", kids) != HPDF_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	d->tag_group[d->tag_depth].el = el;
	d->tag_group[d->tag_depth].kids = kids;
	d->tag_depth++;
	return BT_OK;
}

void pdf_tag_end(pdf_doc *d)
{
	if (d->tag_depth)
		d->tag_depth--;
}

/* Opens the marked content of the text being drawn, before its first run
 * (pdf_text closes it after its last: one sequence, one MCID a text): a
 * new MCID of the current page in the text's element (a child of the
 * Document element), or an artifact. */
static int tag_open(pdf_doc *d, ops *o, bt_err *e)
{
	if (!d->tag_type) {
		ops_printf(o, "/Artifact BMC\n");
		return BT_OK;
	}
	HPDF_MMgr mm = d->h->mmgr;
	if (!d->tag_doc && tag_start(d) != BT_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_Array k = NULL;
	if (!d->tag_cur) {
		d->tag_cur = tag_new(d, d->tag_type);
		k = HPDF_Array_New(mm);
		if (!d->tag_cur || !k ||
		    HPDF_Dict_Add(d->tag_cur, "Pg", d->page) != HPDF_OK ||
		    HPDF_Dict_Add(d->tag_cur, "K", k) != HPDF_OK)
			return bt_fail(e, BT_EFAIL, "out of memory");
	}
	k = HPDF_Dict_GetItem(d->tag_cur, "K", HPDF_OCLASS_ARRAY);
	int mcid;
	if (!k || tag_mcid(d, d->tag_cur, k, &mcid) != BT_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	ops_printf(o, "/%s <</MCID %d>> BDC\n", d->tag_type, mcid);
	return BT_OK;
}

/* The structure tree, when the document has one: its root, the parent
 * tree (page i's MCIDs to their elements, the page's /StructParents i),
 * and the catalog's /MarkInfo and /StructTreeRoot (pdfinfo: "Tagged:
 * yes"). */
static int tag_finish(pdf_doc *d, bt_err *e)
{
	if (!d->tag_doc || HPDF_Dict_GetItem(d->h->catalog, "StructTreeRoot",
					     HPDF_OCLASS_DICT))
		return BT_OK;
	HPDF_MMgr mm = d->h->mmgr;
	HPDF_Dict mark = HPDF_Dict_New(mm);
	if (!mark || HPDF_Dict_Add(d->h->catalog, "MarkInfo", mark) != HPDF_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_Dict_Add(mark, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE));
	for (int i = 0; i < d->tag_npage; i++)
		HPDF_Dict_AddNumber(d->pages[i], "StructParents", i);
	HPDF_Dict_AddNumber(d->tag_root, "ParentTreeNextKey", d->tag_npage +
			    d->tag_nobj);
	HPDF_Dict_Add(d->h->catalog, "StructTreeRoot", d->tag_root);
	return hpdf_check(d, "the structure tree", e);
}

int pdf_tag_widget(pdf_doc *d, HPDF_Dict annot, HPDF_Page page, bt_err *e)
{
	if (!d->tag_doc)
		return BT_OK;
	HPDF_MMgr mm = d->h->mmgr;
	int key = d->tag_npage + d->tag_nobj;
	HPDF_Dict el = tag_elem(d, "Form", d->tag_doc, d->tag_kids);
	HPDF_Dict objr = HPDF_Dict_New(mm);
	if (!el || !objr || HPDF_Dict_Add(el, "Pg", page) != HPDF_OK ||
	    HPDF_Dict_Add(el, "K", objr) != HPDF_OK ||
	    HPDF_Array_AddNumber(d->tag_nums, key) != HPDF_OK ||
	    HPDF_Array_Add(d->tag_nums, el) != HPDF_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_Dict_AddName(objr, "Type", "OBJR");
	HPDF_Dict_Add(objr, "Obj", annot); /* on the element's /Pg */
	HPDF_Dict_AddNumber(annot, "StructParent", key);
	HPDF_Dict_AddName(page, "Tabs", "S");
	d->tag_nobj++;
	return hpdf_check(d, "a widget's structure element", e);
}

void pdf_tag_next(pdf_doc *d, const char *type)
{
	d->tag_next = type;
}

/* Graphics (boxes, lines, the QR code) are artifacts in a tagged page. */
static void artifact(pdf_doc *d, int open)
{
	const char *s = open ? "/Artifact BMC\n" : "EMC\n";
	HPDF_PageAttr attr = d->page->attr;
	HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)s,
			  (HPDF_UINT)strlen(s));
}

/* Draws the visual-order run [a, b) of line characters (one font) at
 * physical x, in the content stream of the page: shaped text as HarfBuzz
 * placed its glyphs, the rest as one string. Bold text in a font that has
 * no bold face (fonts.tsv names none) is stroked as well as filled, a
 * stroke of 3 % of the size (faux bold). */
static int draw_run(pdf_doc *d, const para *p, int a, int b, float x,
		    float baseline, const pdf_style *st, bt_err *e)
{
	int slot = p->slot[p->map[a]];
	int shaped = 0, any = 0;
	for (int j = a; j < b; j++) {
		shaped |= p->shaped[p->map[j]];
		any |= p->slot[p->map[j]] >= 0;
	}
	if (slot < 0 || !any)
		return BT_OK;
	pdf_embed *m = doc_font(d, slot);
	if (!m)
		return hpdf_check(d, "font", e) ? BT_EFAIL :
			bt_fail(e, BT_EFAIL, "out of memory");
	const font_file *ff = &d->fonts->files[slot];
	float size = st->size * ff->scale;
	int faux = st->bold && !ff->bold;
	static _Thread_local ops o; /* its buffer is not cleared: written first */
	o.d = d;
	o.len = o.str = 0;
	o.adj = o.rise = 0;
	char g[24], sz[24], px[24], py[24];
	num(st->gray, g);
	num(size, sz);
	num(x, px);
	num(baseline, py);
	int rc = d->tag_marked ? BT_OK : tag_open(d, &o, e);
	if (rc)
		return rc;
	d->tag_marked = 1; /* closed by pdf_text, after its last run */
	if (faux) {
		char lw[24];
		num(size * 0.03f, lw);
		ops_printf(&o, "q\n2 Tr\n%s w\n%s G\n", lw, g);
	}
	ops_printf(&o, "%s g\nBT\n/F%d %s Tf\n%s %s Td\n", g, slot, sz, px, py);
	rc = shaped ? draw_shaped(d, &o, m, p, a, b, size, e) :
		draw_chars(d, &o, m, p, a, b, slot, e);
	if (rc)
		return rc;
	ops_printf(&o, "ET\n%s", faux ? "Q\n" : "");
	ops_flush(&o);
	return hpdf_check(d, "drawing text", e);
}

/* Draws line [start, vis_end) of paragraph p (lw points wide), laid out
 * in the box at x, y of the given width: reordered (fribidi), then drawn
 * run by run of one font. */
static int draw_line(pdf_doc *d, para *p, int start, int vis_end, float x,
		     float y, float width, float lw, const pdf_style *st,
		     bt_err *e)
{
	if (!fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, p->types,
				  vis_end - start, start, p->base, p->levels,
				  p->u, p->map))
		return bt_fail(e, BT_EFAIL, "bidi reordering failed");
	float lx = x;
	if (st->align == PDF_CENTER)
		lx = x + (width - lw) / 2;
	else if (st->align == PDF_END)
		lx = x + width - lw;
	float px = d->rtl ? d->w - lx - lw : lx;
	float baseline = d->hgt - y - st->size * 0.92f;
	int a = start;
	for (int j = start; j <= vis_end; j++) {
		if (j < vis_end && p->slot[p->map[j]] < 0)
			continue;
		if (j < vis_end && (j == a ||
		    p->slot[p->map[j]] == p->slot[p->map[a]]))
			continue;
		float rw = 0;
		for (int k = a; k < j; k++)
			rw += p->w[p->map[k]];
		int rc = draw_run(d, p, a, j, px, baseline, st, e);
		if (rc)
			return rc;
		px += rw;
		a = j;
	}
	return BT_OK;
}

/* Lays out (and draws) one shaped paragraph; advances *y. */
static int para_lines(pdf_doc *d, para *p, float x, float *y, float width,
		      const pdf_style *st, int draw, float *maxw, bt_err *e)
{
	float lh = st->size * LINE_GAP;
	int start = 0;
	if (p->n == 0) {
		*y += lh;
		return BT_OK;
	}
	while (start < p->n) {
		float lw = 0, brk_w = 0;
		int brk = -1, i = start;
		for (; i < p->n; i++) {
			if (i > start && can_break_before(p, i)) {
				brk = i;
				brk_w = lw;
			}
			if (lw + p->w[i] > width && i > start &&
			    p->u[i] != ' ' && !p->cont[i])
				break;
			lw += p->w[i];
		}
		int end = i;
		if (i < p->n && brk > start) {
			end = brk;
			lw = brk_w;
		}
		int vis_end = end;
		while (vis_end > start && p->u[vis_end - 1] == ' ') {
			vis_end--;
			lw -= p->w[vis_end];
		}
		if (lw > *maxw)
			*maxw = lw;
		if (draw && vis_end > start) {
			int rc = draw_line(d, p, start, vis_end, x, *y, width,
					   lw, st, e);
			if (rc)
				return rc;
		}
		*y += lh;
		start = end;
		while (start < p->n && p->u[start] == ' ')
			start++;
	}
	return BT_OK;
}

static int layout(pdf_doc *d, const char *text, float x, float y,
		  float width, const pdf_style *st, int draw,
		  const char *field, float *height, float *maxw, bt_err *e)
{
	float cy = y;
	*maxw = 0;
	const char *s = text;
	for (;;) {
		size_t len = strcspn(s, "\n");
		int rc = para_shape(d, s, len, st, field, &scratch, e);
		if (rc == BT_OK)
			rc = para_lines(d, &scratch, x, &cy, width, st, draw,
					maxw, e);
		if (rc)
			return rc;
		if (!s[len])
			break;
		s += len + 1;
	}
	*height = cy - y;
	return BT_OK;
}

/* Measures (layout without drawing) kept per thread: a circular's forms
 * measure the same texts (templates, titles, labels) in the same boxes,
 * once for each member. A measure only reads the fonts and the text, so
 * its height and width are those of the first time; keyed by the font
 * table (its generation, not its address), the direction, the style's size
 * and weight, the box (y too: the height is a difference of sums from y)
 * and the text. Hashed by the text alone: one text measured in several
 * boxes or styles shares a probe chain, so every field of the key is
 * compared (tests/unit/test_measure.c). Texts of up to MEASURE_LEN bytes,
 * at most MEASURE_MAX entries, emptied when full. */
#define MEASURE_SLOTS 4096 /* a power of two, twice MEASURE_MAX */
#define MEASURE_MAX 2048
#define MEASURE_LEN 512

typedef struct measured {
	uint64_t fonts; /* pdf_fonts.gen */
	uint32_t hash;
	int lang, rtl, bold; /* lang: the document's language class */
	float size, y, width, height, maxw;
	size_t len;
	char text[]; /* len bytes */
} measured;

typedef struct measure_cache {
	measured *slot[MEASURE_SLOTS];
	int count;
} measure_cache;

static pthread_key_t measure_key;
static pthread_once_t measure_once = PTHREAD_ONCE_INIT;
static _Thread_local measure_cache *tls_measure;

static void measure_clear(measure_cache *c)
{
	for (size_t i = 0; i < MEASURE_SLOTS; i++) {
		free(c->slot[i]);
		c->slot[i] = NULL;
	}
	c->count = 0;
}

static void measure_free(void *p)
{
	if (p) {
		measure_clear(p);
		free(p);
	}
}

static void measure_init(void)
{
	pthread_key_create(&measure_key, measure_free);
}

/* This thread's cache; NULL when out of memory. */
static measure_cache *measure_get(void)
{
	if (tls_measure)
		return tls_measure;
	pthread_once(&measure_once, measure_init);
	tls_measure = calloc(1, sizeof *tls_measure);
	if (tls_measure) /* freed at thread exit */
		pthread_setspecific(measure_key, tls_measure);
	return tls_measure;
}

static int same_float(float a, float b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* The cache's slot of key k: its entry, or the free slot it goes in. */
static measured **measure_slot(measure_cache *c, const measured *k,
			       const char *text)
{
	for (size_t i = k->hash & (MEASURE_SLOTS - 1);;
	     i = (i + 1) & (MEASURE_SLOTS - 1)) {
		const measured *m = c->slot[i];
		if (!m || (m->hash == k->hash && m->fonts == k->fonts &&
			   m->lang == k->lang &&
			   m->rtl == k->rtl && m->bold == k->bold &&
			   same_float(m->size, k->size) &&
			   same_float(m->y, k->y) &&
			   same_float(m->width, k->width) &&
			   m->len == k->len &&
			   memcmp(m->text, text, k->len) == 0))
			return &c->slot[i];
	}
}

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* layout without drawing, from the cache when it has measured it before. */
static int measure(pdf_doc *d, const char *text, float y, float width,
		   const pdf_style *st, const char *field, float *height,
		   float *maxw, bt_err *e)
{
	size_t len = strlen(text);
	measure_cache *c = len <= MEASURE_LEN ? measure_get() : NULL;
	if (!c)
		return layout(d, text, 0, y, width, st, 0, field, height, maxw,
			      e);
	measured k = { d->fonts->gen, fnv(2166136261u, text, len), d->lang,
		       d->rtl, st->bold ? 1 : 0, st->size, y, width, 0, 0,
		       len };
	measured **s = measure_slot(c, &k, text);
	if (*s) {
		*height = (*s)->height;
		*maxw = (*s)->maxw;
		return BT_OK;
	}
	int rc = layout(d, text, 0, y, width, st, 0, field, height, maxw, e);
	if (rc)
		return rc; /* failures are not kept: each is reported */
	if (c->count >= MEASURE_MAX) {
		measure_clear(c);
		s = measure_slot(c, &k, text);
	}
	measured *m = malloc(sizeof *m + len);
	if (!m)
		return BT_OK; /* measured all the same, not kept */
	*m = k;
	m->height = *height;
	m->maxw = *maxw;
	memcpy(m->text, text, len);
	*s = m;
	c->count++;
	return BT_OK;
}

int pdf_text(pdf_doc *d, const char *text, float x, float y, float width,
	     const pdf_style *st, int draw, const char *field, float *height,
	     bt_err *e)
{
	float maxw;
	d->tag_type = d->tag_next ? d->tag_next : tag_of(st);
	if (d->tag_type && !*d->tag_type)
		d->tag_type = NULL; /* PDF_TAG_ARTIFACT */
	d->tag_cur = NULL; /* one element per text, made when first drawn */
	d->tag_marked = 0;
	int rc = draw ? layout(d, text, x, y, width, st, 1, field, height,
			       &maxw, e)
		      : measure(d, text, y, width, st, field, height, &maxw, e);
	if (d->tag_marked)
		artifact(d, 0); /* EMC: one marked-content sequence a text */
	d->tag_cur = NULL;
	if (draw) /* a measure first leaves it to the drawing */
		d->tag_next = NULL;
	d->tag_marked = 0;
	return rc;
}

int pdf_text_width(pdf_doc *d, const char *text, const pdf_style *st,
		   const char *field, float *width, bt_err *e)
{
	float h;
	return measure(d, text, 0, INFINITY, st, field, &h, width, e);
}

/* ---- shapes ---- */

void pdf_rect(pdf_doc *d, float x, float y, float w, float h, float line,
	      float fill)
{
	float px = d->rtl ? d->w - x - w : x;
	artifact(d, 1);
	HPDF_Page_SetLineWidth(d->page, line > 0 ? line : 0.1f);
	HPDF_Page_SetGrayStroke(d->page, 0);
	if (fill >= 0)
		HPDF_Page_SetGrayFill(d->page, fill);
	HPDF_Page_Rectangle(d->page, px, d->hgt - y - h, w, h);
	if (fill >= 0) {
		if (line > 0)
			HPDF_Page_FillStroke(d->page);
		else
			HPDF_Page_Fill(d->page);
	} else {
		HPDF_Page_Stroke(d->page);
	}
	artifact(d, 0);
}

void pdf_circle(pdf_doc *d, float cx, float cy, float r, float line)
{
	float px = d->rtl ? d->w - cx : cx;
	artifact(d, 1);
	HPDF_Page_SetLineWidth(d->page, line);
	HPDF_Page_SetGrayStroke(d->page, 0);
	HPDF_Page_Circle(d->page, px, d->hgt - cy, r);
	HPDF_Page_Stroke(d->page);
	artifact(d, 0);
}

void pdf_line(pdf_doc *d, float x1, float y1, float x2, float y2, float line)
{
	float p1 = d->rtl ? d->w - x1 : x1, p2 = d->rtl ? d->w - x2 : x2;
	HPDF_Page_SetLineWidth(d->page, line);
	HPDF_Page_SetGrayStroke(d->page, 0);
	artifact(d, 1);
	HPDF_Page_MoveTo(d->page, p1, d->hgt - y1);
	HPDF_Page_LineTo(d->page, p2, d->hgt - y2);
	HPDF_Page_Stroke(d->page);
	artifact(d, 0);
}

/* Opens the marked content of a figure with alternate text alt, one
 * element of the structure (else, alt NULL, an artifact). */
static int figure_open(pdf_doc *d, const char *alt, bt_err *e)
{
	if (!alt) {
		artifact(d, 1);
		return BT_OK;
	}
	if (!d->tag_doc && tag_start(d) != BT_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_MMgr mm = d->h->mmgr;
	HPDF_Dict fig = tag_new(d, "Figure");
	HPDF_Array k = HPDF_Array_New(mm);
	void *s = pdf_text_string(d, alt);
	if (!fig || !k || !s || HPDF_Dict_Add(fig, "Pg", d->page) != HPDF_OK ||
	    HPDF_Dict_Add(fig, "K", k) != HPDF_OK ||
	    HPDF_Dict_Add(fig, "Alt", s) != HPDF_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	int mcid;
	if (tag_mcid(d, fig, k, &mcid) != BT_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	char op[48];
	snprintf(op, sizeof op, "/Figure <</MCID %d>> BDC\n", mcid);
	HPDF_PageAttr attr = d->page->attr;
	HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)op,
			  (HPDF_UINT)strlen(op));
	return BT_OK;
}

/* v (> 0) in decimal at p; its end. */
static char *put_int(char *p, int v)
{
	char t[12];
	int k = 0;
	do
		t[k++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (k)
		*p++ = t[--k];
	return p;
}

/* The dark modules of q, a rectangle ("x y w 1 re") for each run of a row,
 * written straight into the page's content stream: the bytes
 * HPDF_Page_Rectangle writes for whole numbers (HPDF_FToA prints them
 * with no decimals), without its formatting of each float, which was a
 * tenth of a form's time. Leaves the page as the last HPDF_Page_Rectangle
 * would (a path under construction, its current point). */
static void qr_modules(pdf_doc *d, const QRcode *q, int quiet)
{
	HPDF_PageAttr attr = d->page->attr;
	char buf[4096];
	char *p = buf;
	int n = q->width, last_x = -1, last_y = 0;
	for (int r = 0; r < n; r++) {
		int c = 0;
		while (c < n) {
			if (!(q->data[r * n + c] & 1)) {
				c++;
				continue;
			}
			int c0 = c;
			while (c < n && (q->data[r * n + c] & 1))
				c++;
			if (p > buf + sizeof buf - 64) {
				HPDF_Stream_Write(attr->stream, (HPDF_BYTE *)buf,
						  (HPDF_UINT)(p - buf));
				p = buf;
			}
			last_x = c0 + quiet;
			last_y = r + quiet;
			p = put_int(p, last_x);
			*p++ = ' ';
			p = put_int(p, last_y);
			*p++ = ' ';
			p = put_int(p, c - c0);
			memcpy(p, " 1 re\n", 6);
			p += 6;
		}
	}
	if (p > buf)
		HPDF_Stream_Write(attr->stream, (HPDF_BYTE *)buf,
				  (HPDF_UINT)(p - buf));
	if (last_x < 0)
		return; /* no module: nothing drawn, as before */
	attr->cur_pos.x = (HPDF_REAL)last_x;
	attr->cur_pos.y = (HPDF_REAL)last_y;
	attr->str_pos = attr->cur_pos;
	attr->gmode = HPDF_GMODE_PATH_OBJECT;
}

int pdf_qr(pdf_doc *d, const char *text, float x, float y, float side,
	   const char *alt, bt_err *e)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return bt_fail(e, BT_EFAIL, "QR code of '%s': %s", text,
			       strerror(errno));
	int n = q->width, quiet = 4;
	float m = side / (float)(n + 2 * quiet);
	/* never mirrored: the code reads the same in every language */
	float left = d->rtl ? d->w - x - side : x;
	float top = d->hgt - y;
	/* in module units (one module a unit, rows downwards): whole numbers,
	 * a third of the bytes of page coordinates */
	int rc = figure_open(d, alt, e);
	if (rc) {
		QRcode_free(q);
		return rc;
	}
	HPDF_Page_GSave(d->page);
	HPDF_Page_Concat(d->page, m, 0, 0, -m, left, top);
	HPDF_Page_SetGrayFill(d->page, 0);
	qr_modules(d, q, quiet);
	HPDF_Page_Fill(d->page);
	HPDF_Page_GRestore(d->page);
	artifact(d, 0);
	QRcode_free(q);
	return hpdf_check(d, "QR code", e);
}

/* ---- output ---- */

HPDF_Doc pdf_doc_haru(pdf_doc *d) { return d->h; }

int pdf_doc_bytes(pdf_doc *d, bt_buf *out, bt_err *e)
{
	bt_buf_reset(out);
	int trc = tag_finish(d, e);
	if (trc)
		return trc;
	for (int i = 0; i < MAX_FONTS; i++) {
		int rc = d->font[i] ? pdf_embed_finish(d->font[i], e) : BT_OK;
		if (rc == BT_OK)
			rc = hpdf_check(d, "embedding a font", e);
		if (rc)
			return rc;
	}
	if (HPDF_SaveToStream(d->h) != HPDF_OK)
		return hpdf_check(d, "saving", e) ? BT_EFAIL :
			bt_fail(e, BT_EFAIL, "libharu: saving failed");
	HPDF_ResetStream(d->h);
	char chunk[65536];
	for (;;) {
		HPDF_UINT32 n = sizeof chunk;
		HPDF_STATUS st = HPDF_ReadFromStream(d->h, (HPDF_BYTE *)chunk,
						     &n);
		if (n && bt_buf_add(out, chunk, n) < 0)
			return bt_fail(e, BT_EFAIL, "PDF larger than %zu bytes",
				       out->max);
		if (st == HPDF_STREAM_EOF)
			break;
		if (st != HPDF_OK)
			return hpdf_check(d, "reading the document", e) ?
				BT_EFAIL : bt_fail(e, BT_EFAIL, "libharu: "
						   "reading failed");
	}
	d->err = 0;
	HPDF_ResetError(d->h);
	return BT_OK;
}
