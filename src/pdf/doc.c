/* doc.c - PDF documents: fonts, text layout, shapes, QR codes, output. */
#include "pdf/doc.h"

#include <errno.h>
#include <math.h>
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

#define MAX_FONTS 16      /* distinct font files in fonts.tsv */
#define MAX_ENTRIES 64    /* lines of fonts.tsv */
#define MAX_PARA 8192     /* bytes of UTF-8 in one paragraph */
#define LINE_GAP 1.32f    /* line height, in font sizes */
#define PDF_FIX_MAX 4000  /* bytes pdf_text_fix keeps (the engine stores less) */

typedef struct font_entry {
	uint32_t first, last;
	int bold;
	int slot; /* index in files */
} font_entry;

typedef struct font_file {
	char *path, *package;
	int face; /* index in a .ttc collection */
	pdf_face *hb; /* opened on first use */
} font_file;

struct pdf_fonts {
	font_entry ent[MAX_ENTRIES];
	size_t nent;
	font_file files[MAX_FONTS];
	size_t nfiles;
	/* per style, per BMP code point: slot + 1, 0 unknown yet, -1 none;
	 * and the advance width in 1/1000 em */
	int8_t cover[2][65536];
	int16_t width[2][65536];
	uint32_t mark;  /* drawn for a character no font has; 0: none */
	int mark_known;
};

struct pdf_doc {
	HPDF_Doc h;
	pdf_fonts *fonts;
	pdf_embed *font[MAX_FONTS]; /* the fonts it embeds, on first use */
	HPDF_Page *pages;
	int npages;
	HPDF_Page page;
	float w, hgt;
	int rtl;
	HPDF_STATUS err, detail;
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
	free(f);
}

static int font_slot(pdf_fonts *f, const char *path, int face,
		     const char *package)
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
	if (!ff->path || !ff->package) {
		/* the slot is not counted: pdf_fonts_free would not see it */
		free(ff->path);
		free(ff->package);
		ff->path = ff->package = NULL;
		return -2;
	}
	return (int)f->nfiles++;
}

/* Parses one data line of fonts.tsv into an entry. */
static int parse_font_line(pdf_fonts *f, char *line, const char *path,
			   int lineno, bt_err *e)
{
	char *fld[6];
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, "\t", &save); t && n < 6;
	     t = strtok_r(NULL, "\t", &save))
		fld[n++] = t;
	if (n != 6 || strtok_r(NULL, "\t", &save))
		return bt_fail(e, BT_EINPUT, "%s:%d: expected 6 tab-separated "
			       "fields", path, lineno);
	char *end1, *end2;
	unsigned long first = strtoul(fld[0], &end1, 16);
	unsigned long last = strtoul(fld[1], &end2, 16);
	if (*end1 || *end2 || end1 == fld[0] || end2 == fld[1] ||
	    first > last || last > 0xFFFF)
		return bt_fail(e, BT_EINPUT, "%s:%d: bad range '%s'-'%s' (hex "
			       "code points up to FFFF)", path, lineno,
			       fld[0], fld[1]);
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
	int slot = font_slot(f, file, (int)face, fld[5]);
	if (slot < 0)
		return bt_fail(e, slot == -1 ? BT_EINPUT : BT_EFAIL,
			       slot == -1 ? "%s: more than 16 font files" :
			       "%s: out of memory", path);
	f->ent[f->nent++] = (font_entry){ (uint32_t)first, (uint32_t)last,
					  bold, slot };
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
	if (rc) {
		pdf_fonts_free(f);
		return rc;
	}
	*out = f;
	return BT_OK;
}

/* The font slot for code point c in style bold, with its width; -1 when no
 * font has the glyph. */
static int glyph(pdf_fonts *f, uint32_t c, int bold, int *width, bt_err *e)
{
	if (c > 0xFFFF)
		return -1; /* fonts.tsv names BMP ranges only (and a
			    * document's CIDs are keyed by BMP code point) */
	int8_t *cv = &f->cover[bold][c];
	if (*cv) {
		*width = f->width[bold][c];
		return *cv < 0 ? -1 : *cv - 1;
	}
	int found = -1;
	for (int pass = 0; pass < 2 && found < 0; pass++) {
		int want = pass == 0 ? bold : 0;
		if (pass == 1 && !bold)
			break;
		for (size_t i = 0; i < f->nent && found < 0; i++) {
			const font_entry *en = &f->ent[i];
			if (c < en->first || c > en->last || en->bold != want)
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
	*cv = (int8_t)(found < 0 ? -1 : found + 1);
	f->width[bold][c] = found < 0 ? 0 : (int16_t)pdf_face_width(
		f->files[found].hb, pdf_face_glyph(f->files[found].hb, c));
	*width = f->width[bold][c];
	return found;
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
	HPDF_SetCompressionMode(d->h, HPDF_COMP_ALL);
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

/* text as a PDF text string: UTF-16BE after its byte order mark, written
 * as a hex string (ISO 32000-1, 7.9.2.2); bytes that are not UTF-8 become
 * U+FFFD. NULL when out of memory. */
static HPDF_Binary text_string(pdf_doc *d, const char *text)
{
	size_t n = strlen(text), len = 2;
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
		HPDF_Binary s = text_string(d, vals[i]);
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
	HPDF_Page p = HPDF_AddPage(d->h);
	if (!p)
		return hpdf_check(d, "new page", e) ? BT_EFAIL :
			bt_fail(e, BT_EFAIL, "libharu: new page failed");
	HPDF_Page_SetWidth(p, d->w);
	HPDF_Page_SetHeight(p, d->hgt);
	d->pages[d->npages++] = p;
	d->page = p;
	return hpdf_check(d, "new page", e);
}

int pdf_page_select(pdf_doc *d, int n, bt_err *e)
{
	if (n < 1 || n > d->npages)
		return bt_fail(e, BT_EFAIL, "no page %d", n);
	d->page = d->pages[n - 1];
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
		"Plane, which the font table (forms/fonts.tsv) cannot name" :
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

/* 1 when c can be printed (in every style: bold falls back to regular),
 * 0 when not (a control character, one no font has, one beyond U+FFFF),
 * -2 when a font cannot be loaded (e set). */
static int printable(pdf_fonts *f, uint32_t c, bt_err *e)
{
	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
		return 0;
	if (invisible(c))
		return 1; /* never drawn */
	int width;
	int slot = glyph(f, c, 0, &width, e);
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
	FriBidiArabicProp ar[MAX_PARA];
	FriBidiStrIndex map[MAX_PARA];
	int8_t slot[MAX_PARA];
	float w[MAX_PARA];
	int n;
	FriBidiParType base;
} para;

/* One paragraph at a time per thread (the portal renders reports on several
 * request threads at once). */
static _Thread_local para scratch;

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
	if (!fribidi_get_par_embedding_levels_ex(p->types, p->brackets, p->n,
						 &p->base, p->levels))
		return bt_fail(e, BT_EFAIL, "%s: bidi analysis failed", field);
	fribidi_get_joining_types(p->u, p->n, p->ar);
	fribidi_join_arabic(p->types, p->n, p->levels, p->ar);
	fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, p->levels,
		      p->n, p->ar, p->u);
	int bold = st->bold ? 1 : 0;
	/* A shaped form (or ligature) the fonts lack: the letters as they
	 * are, unjoined, rather than refusing a text they can print. */
	for (int i = 0; i < p->n; i++) {
		int width;
		if (p->u[i] == p->raw[i] || p->u[i] == 0xFEFF)
			continue;
		int slot = glyph(d->fonts, p->u[i], bold, &width, e);
		if (slot == -2)
			return e->code; /* a font that cannot be read, or no memory */
		if (slot >= 0)
			continue;
		p->u[i] = p->raw[i];
		for (int j = i - 1; j <= i + 1; j += 2) /* a ligature's filler */
			if (j >= 0 && j < p->n && p->u[j] == 0xFEFF &&
			    p->raw[j] != 0xFEFF)
				p->u[j] = p->raw[j];
	}
	for (int i = 0; i < p->n; i++) {
		uint32_t c = p->u[i];
		p->map[i] = i;
		if (invisible(c) || c == '\t') {
			p->slot[i] = -1;
			p->w[i] = 0;
			continue;
		}
		int width = 0;
		int slot = glyph(d->fonts, c, bold, &width, e);
		if (slot == -2)
			return e->code; /* a font that cannot be read, or no memory */
		if (slot < 0)
			return refuse_char(e, field, c, s, len);
		p->slot[i] = (int8_t)slot;
		p->w[i] = (float)width * st->size / 1000.0f;
	}
	return BT_OK;
}

static int can_break_before(const para *p, int i)
{
	uint32_t prev = p->u[i - 1], c = p->u[i];
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

/* v with at most 3 decimals and no trailing zeros, whatever the locale. */
static void num(float v, char out[24])
{
	long m = (long)(v * 1000 + (v < 0 ? -0.5f : 0.5f));
	const char *sign = m < 0 ? "-" : "";
	m = labs(m);
	int n = snprintf(out, 24, "%s%ld.%03ld", sign, m / 1000, m % 1000);
	while (out[n - 1] == '0')
		out[--n] = '\0';
	if (out[n - 1] == '.')
		out[--n] = '\0';
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

/* Draws the visual-order run [a, b) of line characters at physical x:
 * its CIDs as one string, in the content stream of the page. */
static int draw_run(pdf_doc *d, const para *p, int a, int b, float x,
		    float baseline, const pdf_style *st, bt_err *e)
{
	int slot = p->slot[p->map[a]];
	if (slot < 0)
		return BT_OK;
	pdf_embed *m = doc_font(d, slot);
	if (!m)
		return hpdf_check(d, "font", e) ? BT_EFAIL :
			bt_fail(e, BT_EFAIL, "out of memory");
	static _Thread_local char buf[MAX_PARA * 8 + 128];
	char g[24], sz[24], px[24], py[24];
	num(st->gray, g);
	num(st->size, sz);
	num(x, px);
	num(baseline, py);
	int len = snprintf(buf, sizeof buf, "%s g\nBT\n/F%d %s Tf\n%s %s Td\n(",
			   g, slot, sz, px, py);
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
		/* a literal string of two bytes a CID: half the bytes of hex
		 * (only the parentheses, the backslash and line ends need an
		 * escape) */
		unsigned char by[2] = { (unsigned char)(cid >> 8),
					(unsigned char)cid };
		for (int k = 0; k < 2; k++) {
			if (by[k] == '(' || by[k] == ')' || by[k] == '\\' ||
			    by[k] == '\r' || by[k] == '\n')
				len += snprintf(buf + len, sizeof buf - (size_t)len,
						"\\%03o", by[k]);
			else
				buf[len++] = (char)by[k];
		}
		any = 1;
	}
	if (!any)
		return BT_OK;
	len += snprintf(buf + len, sizeof buf - (size_t)len, ") Tj\nET\n");
	HPDF_PageAttr attr = d->page->attr;
	HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)len);
	return hpdf_check(d, "drawing text", e);
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
			    p->u[i] != ' ')
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
			if (!fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT,
						  p->types, vis_end - start,
						  start, p->base, p->levels,
						  p->u, p->map))
				return bt_fail(e, BT_EFAIL, "bidi reordering "
					       "failed");
			float lx = x;
			if (st->align == PDF_CENTER)
				lx = x + (width - lw) / 2;
			else if (st->align == PDF_END)
				lx = x + width - lw;
			float px = d->rtl ? d->w - lx - lw : lx;
			float baseline = d->hgt - *y - st->size * 0.92f;
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
				int rc = draw_run(d, p, a, j, px, baseline, st,
						  e);
				if (rc)
					return rc;
				px += rw;
				a = j;
			}
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

int pdf_text(pdf_doc *d, const char *text, float x, float y, float width,
	     const pdf_style *st, int draw, const char *field, float *height,
	     bt_err *e)
{
	float maxw;
	return layout(d, text, x, y, width, st, draw, field, height, &maxw, e);
}

int pdf_text_width(pdf_doc *d, const char *text, const pdf_style *st,
		   const char *field, float *width, bt_err *e)
{
	float h;
	return layout(d, text, 0, 0, INFINITY, st, 0, field, &h, width, e);
}

/* ---- shapes ---- */

void pdf_rect(pdf_doc *d, float x, float y, float w, float h, float line,
	      float fill)
{
	float px = d->rtl ? d->w - x - w : x;
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
}

void pdf_circle(pdf_doc *d, float cx, float cy, float r, float line)
{
	float px = d->rtl ? d->w - cx : cx;
	HPDF_Page_SetLineWidth(d->page, line);
	HPDF_Page_SetGrayStroke(d->page, 0);
	HPDF_Page_Circle(d->page, px, d->hgt - cy, r);
	HPDF_Page_Stroke(d->page);
}

void pdf_line(pdf_doc *d, float x1, float y1, float x2, float y2, float line)
{
	float p1 = d->rtl ? d->w - x1 : x1, p2 = d->rtl ? d->w - x2 : x2;
	HPDF_Page_SetLineWidth(d->page, line);
	HPDF_Page_SetGrayStroke(d->page, 0);
	HPDF_Page_MoveTo(d->page, p1, d->hgt - y1);
	HPDF_Page_LineTo(d->page, p2, d->hgt - y2);
	HPDF_Page_Stroke(d->page);
}

int pdf_qr(pdf_doc *d, const char *text, float x, float y, float side,
	   bt_err *e)
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
	HPDF_Page_GSave(d->page);
	HPDF_Page_Concat(d->page, m, 0, 0, -m, left, top);
	HPDF_Page_SetGrayFill(d->page, 0);
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
			HPDF_Page_Rectangle(d->page, (float)(c0 + quiet),
					    (float)(r + quiet), (float)(c - c0), 1);
		}
	}
	HPDF_Page_Fill(d->page);
	HPDF_Page_GRestore(d->page);
	QRcode_free(q);
	return hpdf_check(d, "QR code", e);
}

/* ---- output ---- */

int pdf_doc_bytes(pdf_doc *d, bt_buf *out, bt_err *e)
{
	bt_buf_reset(out);
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
