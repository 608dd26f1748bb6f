/* acroform.c - the Annex 2 form's fields, made of libharu's own objects
 * (acroform.h) while the document is made, as doc.c builds the structure
 * tree: dictionaries, arrays, strings, streams, indirect objects. */
#include "pdf/acroform.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "pdf/doc.h"
#include "pdf/embed.h"
#include "pdf/lang.h"

typedef struct widget {
	pdf_field_kind kind;
	char *name, *on, *tip, *rec; /* PDF_FIELD_HIDDEN: on is the value */
	int mark, page;
	float r[4]; /* page coordinates: x1 y1 x2 y2 */
} widget;

struct pdf_fields {
	char lang[3];
	int rtl;
	float w, h;
	widget *v;
	size_t n, cap;
};

/* ---- the tooltips' words, loaded once per language and process ---- */

static const pdf_tmpl_key schema[] = {
	PDF_LANG_KEYS,
	{ "tip_choice", "rec" },
	{ "tip_administration", "" },
	{ "tip_address", "" },
	{ "tip_name", "" },
	{ "tip_title", "" },
	{ "tip_fax", "" },
	{ "tip_email", "" },
	{ "tip_date", "" },
	{ "tip_place", "" },
	{ "tip_signatory_name", "" },
	{ "tip_signatory_title", "" },
	{ "tip_signature", "" },
	{ "tip_reference", "" },
};

static pthread_mutex_t words_lock = PTHREAD_MUTEX_INITIALIZER;
static pdf_words *words[PDF_NLANGS];

static int words_get(const char *lang, const pdf_words **out, bt_err *e)
{
	int i = 0;
	while (i < PDF_NLANGS && strcmp(pdf_langs[i], lang) != 0)
		i++;
	if (i == PDF_NLANGS)
		return bt_fail(e, BT_EFAIL, "form fields: no language '%s'",
			       lang);
	int rc = BT_OK;
	pthread_mutex_lock(&words_lock);
	if (!words[i])
		rc = pdf_words_load(pdf_forms_dir(), "fields", lang, schema,
				    sizeof schema / sizeof *schema, &words[i],
				    e);
	*out = words[i];
	pthread_mutex_unlock(&words_lock);
	return rc;
}

/* ---- the list ---- */

int pdf_fields_new(const char *lang, int rtl, float w, float h,
		   pdf_fields **out, bt_err *e)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return bt_fail(e, BT_EFAIL, "out of memory");
	snprintf((*out)->lang, sizeof (*out)->lang, "%s", lang);
	(*out)->rtl = rtl;
	(*out)->w = w;
	(*out)->h = h;
	return BT_OK;
}

void pdf_fields_free(pdf_fields *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].on);
		free(f->v[i].tip);
		free(f->v[i].rec);
	}
	free(f->v);
	free(f);
}

static char *dup_or_null(const char *s, int *failed)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*failed = 1;
	return d;
}

int pdf_fields_add(pdf_fields *f, pdf_field_kind kind, const char *name,
		   const char *on, int mark, const char *tip, const char *rec,
		   int page, float x, float y, float bw, float bh, bt_err *e)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 32;
		widget *v = realloc(f->v, cap * sizeof *v);
		if (!v)
			return bt_fail(e, BT_EFAIL, "out of memory");
		f->v = v;
		f->cap = cap;
	}
	widget *w = &f->v[f->n];
	int failed = 0;
	memset(w, 0, sizeof *w);
	w->kind = kind;
	w->mark = mark;
	w->page = page;
	w->name = dup_or_null(name, &failed);
	w->on = dup_or_null(on, &failed);
	w->tip = dup_or_null(tip, &failed);
	w->rec = dup_or_null(rec, &failed);
	float px = f->rtl ? f->w - x - bw : x;
	w->r[0] = px;
	w->r[1] = f->h - y - bh;
	w->r[2] = px + bw;
	w->r[3] = f->h - y;
	f->n++;
	return failed ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}

int pdf_fields_radio(const pdf_fields *f, size_t i, size_t *n,
		     const char **name, const char **on, int *page, float box[4])
{
	*n = f->n;
	if (i >= f->n || f->v[i].kind != PDF_FIELD_RADIO)
		return 0;
	const widget *w = &f->v[i];
	*name = w->name;
	*on = w->on;
	*page = w->page;
	box[0] = w->r[0];
	box[1] = f->h - w->r[3];
	box[2] = w->r[2] - w->r[0];
	box[3] = w->r[3] - w->r[1];
	return 1;
}

int pdf_fields_add_hidden(pdf_fields *f, const char *name, const char *value,
			  bt_err *e)
{
	int rc = pdf_fields_add(f, PDF_FIELD_HIDDEN, name, value, 0,
				"tip_reference", NULL, 1, 0, 0, 0, 0, e);
	if (rc == BT_OK) /* no box at all */
		memset(f->v[f->n - 1].r, 0, sizeof f->v[f->n - 1].r);
	return rc;
}

/* ---- building the form with libharu's objects ---- */

typedef struct build {
	pdf_doc *d;
	HPDF_Doc h;
	HPDF_MMgr mm;
	int rtl;                 /* typed text aligned right (/Q 2) */
	const char *lang;
	const char *da;          /* a text field's /DA (uni_font) */
	const pdf_words *words;
	HPDF_Array fields;       /* the AcroForm's /Fields */
	HPDF_Dict empty, dot, cross; /* the appearance streams */
	struct node {
		char *name;      /* a full name, or a prefix of one */
		HPDF_Dict oh;
	} *nodes;
	size_t n, cap;
	bt_buf tmp;
} build;

/* The object written in PDF syntax at *s (dictionaries, arrays, names,
 * numbers, literal strings without escapes: the constant parts of the
 * form), *s moved past it; NULL when out of memory (or not one). */
static void *parse(build *b, const char **s)
{
	const char *p = *s + strspn(*s, " \n");
	void *o = NULL;
	if (p[0] == '<' && p[1] == '<') {
		HPDF_Dict d = HPDF_Dict_New(b->mm);
		p += 2;
		for (;;) {
			p += strspn(p, " \n");
			if (!d || *p != '/')
				break;
			char key[128];
			size_t n = strcspn(p + 1, " \n/<>[]()");
			snprintf(key, sizeof key, "%.*s", (int)n, p + 1);
			p += 1 + n;
			void *v = parse(b, &p);
			if (!v || HPDF_Dict_Add(d, key, v) != HPDF_OK)
				d = NULL;
		}
		if (d && p[0] == '>' && p[1] == '>')
			o = d, p += 2;
	} else if (*p == '[') {
		HPDF_Array a = HPDF_Array_New(b->mm);
		for (p++; a && *(p += strspn(p, " \n")) && *p != ']';) {
			void *v = parse(b, &p);
			if (!v || HPDF_Array_Add(a, v) != HPDF_OK)
				a = NULL;
		}
		if (a && *p == ']')
			o = a, p++;
	} else if (*p == '/' || *p == '(') {
		char v[128];
		size_t n = strcspn(p + 1, *p == '(' ? ")" : " \n/<>[]()");
		snprintf(v, sizeof v, "%.*s", (int)n, p + 1);
		o = *p == '/' ? (void *)HPDF_Name_New(b->mm, v) :
			(void *)HPDF_String_New(b->mm, v, NULL);
		p += 1 + n + (*p == '(');
	} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
		char *end;
		size_t n = strspn(p, "-.0123456789");
		o = memchr(p, '.', n) ? (void *)HPDF_Real_New(b->mm,
			(HPDF_REAL)strtod(p, &end)) : (void *)HPDF_Number_New(
			b->mm, (HPDF_INT32)strtol(p, &end, 10));
		p += n;
	}
	*s = p;
	return o;
}

static void *parse_str(build *b, const char *s)
{
	return parse(b, &s);
}

/* A number as PDF writes it, whatever the locale: two decimals. */
static void num(char *out, size_t len, float v)
{
	long c = (long)(v * 100 + (v < 0 ? -0.5f : 0.5f));
	snprintf(out, len, "%s%ld.%02ld", c < 0 ? "-" : "", labs(c) / 100,
		 labs(c) % 100);
}

static void *rect(build *b, const float r[4])
{
	char s[128], n[4][24];
	for (int i = 0; i < 4; i++)
		num(n[i], sizeof n[i], r[i]);
	snprintf(s, sizeof s, "[%s %s %s %s]", n[0], n[1], n[2], n[3]);
	return parse_str(b, s);
}

/* A form XObject of size w x h drawing content (no /Type and no
 * /Resources: both optional, and content uses none; not compressed). */
static HPDF_Dict appearance(build *b, int w, int h, const char *content)
{
	char bbox[64];
	HPDF_Dict s = HPDF_DictStream_New(b->mm, b->h->xref);
	if (!s)
		return NULL;
	snprintf(bbox, sizeof bbox, "[0 0 %d %d]", w, h);
	HPDF_Dict_AddName(s, "Subtype", "Form");
	HPDF_Dict_Add(s, "BBox", parse_str(b, bbox));
	HPDF_Stream_WriteStr(s->stream, content);
	return s;
}

/* The array under key in d, added when missing (NULL: out of memory). */
static HPDF_Array array_of(build *b, HPDF_Dict d, const char *key)
{
	HPDF_Array a = HPDF_Dict_GetItem(d, key, HPDF_OCLASS_ARRAY);
	if (a)
		return a;
	a = HPDF_Array_New(b->mm);
	return a && HPDF_Dict_Add(d, key, a) == HPDF_OK ? a : NULL;
}

/* The field node of full name (created with its parents when new). */
static HPDF_Dict node(build *b, const char *full, int *created)
{
	*created = 0;
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->nodes[i].name, full) == 0)
			return b->nodes[i].oh;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct node *v = realloc(b->nodes, cap * sizeof *v);
		if (!v)
			return NULL;
		b->nodes = v;
		b->cap = cap;
	}
	char *name = strdup(full);
	if (!name)
		return NULL;
	const char *dot = strrchr(full, '.');
	HPDF_Dict parent = NULL;
	if (dot) {
		int c;
		name[dot - full] = '\0';
		parent = node(b, name, &c);
		name[dot - full] = '.';
	}
	HPDF_Dict oh = HPDF_Dict_New(b->mm);
	void *t = pdf_text_string(b->d, dot ? dot + 1 : full);
	HPDF_Array kids = parent ? array_of(b, parent, "Kids") : b->fields;
	if ((dot && !parent) || !oh || !t || !kids ||
	    HPDF_Xref_Add(b->h->xref, oh) != HPDF_OK ||
	    HPDF_Dict_Add(oh, "T", t) != HPDF_OK ||
	    (parent && HPDF_Dict_Add(oh, "Parent", parent) != HPDF_OK) ||
	    HPDF_Array_Add(kids, oh) != HPDF_OK) {
		free(name);
		return NULL;
	}
	b->nodes[b->n].name = name;
	b->nodes[b->n].oh = oh;
	b->n++;
	*created = 1;
	return oh;
}

/* Makes d a widget annotation of w on its page, in the document's
 * structure unless hidden (PDF/UA tags the annotations a reader sees).
 * BT_EFAIL when out of memory. */
static int widget_keys(build *b, HPDF_Dict d, const widget *w, int hidden,
		       bt_err *e)
{
	HPDF_Page page = HPDF_GetPageByIndex(b->h, (HPDF_UINT)(w->page - 1));
	HPDF_Dict_AddName(d, "Type", "Annot");
	HPDF_Dict_AddName(d, "Subtype", "Widget");
	HPDF_Dict_Add(d, "Rect", rect(b, w->r));
	HPDF_Dict_AddNumber(d, "F", hidden ? 2 : 4); /* hidden, print */
	if (!page)
		return BT_OK;
	HPDF_Dict_Add(d, "P", page);
	HPDF_Array annots = array_of(b, page, "Annots");
	if (annots)
		HPDF_Array_Add(annots, d);
	return hidden ? BT_OK : pdf_tag_widget(b->d, d, page, e);
}

/* A text or signature field's look: its own empty stream of its size (a
 * viewer, or qpdf --generate-appearances, rewrites it in place when the
 * field is filled: one shared with other fields would show on them all). */
static void own_look(build *b, HPDF_Dict fd, const widget *w)
{
	int bw = (int)(w->r[2] - w->r[0] + 0.5f);
	int bh = (int)(w->r[3] - w->r[1] + 0.5f);
	HPDF_Dict ap = HPDF_Dict_New(b->mm);
	if (ap && HPDF_Dict_Add(fd, "AP", ap) == HPDF_OK)
		HPDF_Dict_Add(ap, "N", appearance(b, bw, bh, "q Q\n"));
}

/* The terminal field's own keys, set when the field is first made. */
static int field_keys(build *b, HPDF_Dict fd, const widget *w, bt_err *e)
{
	HPDF_MMgr mm = b->mm;
	const char *vars[] = { "rec", w->rec ? w->rec : "", NULL };
	bt_buf_reset(&b->tmp);
	if (w->tip && pdf_tmpl_expand(b->words->t, w->tip, vars, &b->tmp) < 0)
		return bt_fail(e, BT_EFAIL, "form fields: tooltip too long");
	if (w->tip)
		HPDF_Dict_Add(fd, "TU", pdf_text_string(b->d,
							bt_buf_str(&b->tmp)));
	switch (w->kind) {
	case PDF_FIELD_RADIO:
		HPDF_Dict_AddName(fd, "FT", "Btn");
		/* Radio (bit 16) and NoToggleToOff (bit 15) */
		HPDF_Dict_AddNumber(fd, "Ff", 49152);
		HPDF_Dict_AddName(fd, "V", "Off");
		HPDF_Dict_Add(fd, "DA", HPDF_String_New(mm, "/ZaDb 0 Tf 0 g",
							NULL));
		array_of(b, fd, "Kids");
		break;
	case PDF_FIELD_TEXT:
		HPDF_Dict_AddName(fd, "FT", "Tx");
		HPDF_Dict_Add(fd, "DA", HPDF_String_New(mm, b->da, NULL));
		HPDF_Dict_Add(fd, "MK", parse_str(b, "<< /BG [ 1 ] >>"));
		if (b->rtl)
			HPDF_Dict_AddNumber(fd, "Q", 2);
		own_look(b, fd, w);
		return widget_keys(b, fd, w, 0, e);
	case PDF_FIELD_HIDDEN:
		HPDF_Dict_AddName(fd, "FT", "Tx");
		HPDF_Dict_AddNumber(fd, "Ff", 1);
		HPDF_Dict_Add(fd, "V", pdf_text_string(b->d, w->on));
		HPDF_Dict_Add(fd, "DA", HPDF_String_New(mm, "/Helv 9 Tf 0 g",
							NULL));
		own_look(b, fd, w);
		return widget_keys(b, fd, w, 1, e);
	case PDF_FIELD_SIG:
		HPDF_Dict_AddName(fd, "FT", "Sig");
		own_look(b, fd, w);
		return widget_keys(b, fd, w, 0, e);
	}
	return BT_OK;
}

/* One radio button of field fd: a widget with its "on" and "Off" looks.
 * BT_EFAIL when out of memory (or libharu's error, seen by the caller). */
static int radio_button(build *b, HPDF_Dict fd, const widget *w, bt_err *e)
{
	HPDF_Dict kid = HPDF_Dict_New(b->mm), n = HPDF_Dict_New(b->mm),
		ap = HPDF_Dict_New(b->mm);
	HPDF_Array kids = array_of(b, fd, "Kids");
	if (!kid || !n || !ap || !kids ||
	    HPDF_Xref_Add(b->h->xref, kid) != HPDF_OK)
		return BT_OK; /* (libharu's error, seen by the caller) */
	HPDF_Dict_Add(kid, "Parent", fd);
	int rc = widget_keys(b, kid, w, 0, e);
	HPDF_Dict_Add(n, w->on, w->mark == PDF_MARK_CROSS ? b->cross : b->dot);
	HPDF_Dict_Add(n, "Off", b->empty);
	HPDF_Dict_Add(ap, "N", n);
	HPDF_Dict_Add(kid, "AP", ap);
	HPDF_Dict_AddName(kid, "AS", "Off");
	/* for a viewer that draws its own: ZapfDingbats' dot and cross */
	HPDF_Dict_Add(kid, "MK", parse_str(b, w->mark == PDF_MARK_CROSS ?
					   "<< /CA (8) >>" : "<< /CA (l) >>"));
	HPDF_Array_Add(kids, kid);
	return rc;
}

/* The font a text field's typed value is drawn in, named in its /DA and in
 * the form's /DR. Helvetica (WinAnsi) has no Cyrillic, Arabic or Chinese
 * letters: a viewer that draws a typed "Иван Петров" with /Helv shows
 * nothing. The en, fr and es forms keep /Helv (and the fallbacks poppler
 * draws other scripts with: fallbacks, below).
 * The zh form names STSong-Light, not embedded (Adobe-GB1: each viewer has
 * a Chinese font for it; an embedded one covering Chinese would cost
 * megabytes). The ru and ar forms embed theirs (uni_embedded).
 */
static const char *uni_font(const char *lang)
{
	static const char song[] = "/Uni << /Type /Font /Subtype /Type0 "
		"/BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [ "
		"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 "
		">> /DW 1000 /W [ 1 95 500 ] /FontDescriptor << /Type "
		"/FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [ -25 "
		"-254 1000 880 ] /ItalicAngle 0 /Ascent 880 /Descent -120 "
		"/CapHeight 880 /StemV 93 >> >> ] >> ";
	return strcmp(lang, "zh") == 0 ? song : "";
}

/* The characters the ru and ar forms' font carries, as pairs (first, last),
 * 0-terminated: Latin (ASCII, Latin-1) and the typographic marks, then the
 * form's language: Russian's Cyrillic block (U+0400-045F) and the numero
 * sign; Arabic's letters and vowel marks (U+0621-0655), its digits and
 * punctuation, and the four letters Arabic writes foreign sounds with
 * (pe, tcheh, veh, gaf). The script's first character names its font. */
static const uint32_t uni_latin[] = { 0x20, 0x7E, 0xA0, 0xFF, 0x2013, 0x2014,
				      0x2018, 0x201E, 0x2026, 0x2026, 0 };
static const uint32_t uni_ru[] = { 0x0400, 0x045F, 0x2116, 0x2116, 0 };
static const uint32_t uni_ar[] = { 0x0621, 0x0655, 0x060C, 0x060C, 0x061B,
				   0x061B, 0x061F, 0x061F, 0x0660, 0x066D,
				   0x0670, 0x0670, 0x067E, 0x067E, 0x0686,
				   0x0686, 0x06A4, 0x06A4, 0x06AF, 0x06AF, 0 };

/* The /DR name of the ru and ar forms' font. PDFium (Chromium's viewer)
 * builds a typed value's look with the /DA font only for the characters of
 * that font's "charset": ANSI for an embedded font, unless the font's name
 * in /DR is Wingdings, Wingdings2, Wingdings3 or Webdings (its
 * cpdf_bafontmap.cpp: then "symbol", which it uses for every character the
 * font has); for Cyrillic and Arabic it took a system font of its own
 * (Cyrillic in another face, Arabic not at all). The name is only a key:
 * poppler, MuPDF and the reader use the dictionary it names. */
#define UNI_NAME "Wingdings"

static int uni_add(pdf_embed *m, const pdf_face *face, const uint32_t *r)
{
	for (; r[0]; r += 2)
		for (uint32_t c = r[0]; c <= r[1]; c++)
			if (pdf_face_glyph(face, c) &&
			    pdf_embed_cid(m, c, &c, 1) == 0)
				return -1;
	return 0;
}

/* The ru and ar forms' font: the regular font of the form's script
 * (fonts.tsv: Liberation Sans for Cyrillic, Amiri for Arabic, both with
 * Latin letters) as a Type0 font embedded in b's document, cut down to the
 * characters of uni_latin and the language's (its subset written at once),
 * with a ToUnicode CMap through which a viewer finds the code of each
 * character typed (PDFium, poppler): every viewer draws the same glyphs. A
 * font not embedded (DejaVu Sans, Type0 Identity-H, before) left them to
 * each viewer's substitute: PDFium drew "Geneva" as "d£¬£´~". NULL, e set,
 * when it fails. */
static HPDF_Dict uni_embedded(build *b, bt_err *e)
{
	const uint32_t *script = strcmp(b->lang, "ru") == 0 ? uni_ru : uni_ar;
	bt_err_clear(e);
	const pdf_face *face = pdf_doc_face(b->d, script[0], e);
	if (!face) {
		if (e->code == BT_OK)
			bt_fail(e, BT_EINPUT, "no font has U+%04X (fonts.tsv)",
				(unsigned)script[0]);
		return NULL;
	}
	pdf_embed *m = pdf_embed_new(b->h, face);
	int rc = m && uni_add(m, face, uni_latin) == 0 &&
		uni_add(m, face, script) == 0 ? pdf_embed_finish(m, e) :
		bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_Dict font = rc == BT_OK ? pdf_embed_dict(m) : NULL;
	pdf_embed_free(m); /* its objects belong to the document */
	return font;
}

/* Adds the ru and ar forms' font to the /DR of form (the AcroForm). */
static int uni_add_dr(build *b, HPDF_Dict form, bt_err *e)
{
	HPDF_Dict font = uni_embedded(b, e);
	if (!font)
		return e->code;
	HPDF_Dict dr = HPDF_Dict_GetItem(form, "DR", HPDF_OCLASS_DICT);
	HPDF_Dict fonts = dr ? HPDF_Dict_GetItem(dr, "Font", HPDF_OCLASS_DICT) :
		NULL;
	if (!fonts || HPDF_Dict_Add(fonts, UNI_NAME, font) != HPDF_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	return BT_OK;
}

/* The fonts poppler draws a typed character with when the text field's
 * /DA font lacks it (the ru form's Arabic, the en form's Cyrillic). poppler
 * (22.12: Annot.cc HorizontalTextLayouter, Form.cc getFallbackFontForChar)
 * asks fontconfig for the first installed font, in the order it sorts
 * fonts for the /DA font, that has the character, then looks in /DR for a
 * font under a key beginning "popplerfont" whose /BaseFont is that font's
 * "family style"; it adds none while drawing (only a poppler viewer setting
 * a value through its API does: Form.cc ensureFontsForAllCharacters), so
 * without one the character is left out. These are not embedded (bytes:
 * the en form's 16 KB goal): poppler draws with the installed font of that
 * name, each character's code its Unicode value (Identity-H, and a
 * ToUnicode CMap mapping the code to itself: the characters it may route
 * there) or, for Chinese, an Adobe-GB1 CID (poppler-data's tables, as the
 * zh form's /Uni); one width for every character (/DW: spacing is
 * approximate). The names are what Debian 12's fontconfig picks (fonts-urw-
 * base35, fonts-dejavu-core, fonts-droid-fallback, tests/deps.sh): where
 * another font is picked poppler leaves the character out, as before.
 * Chromium's viewer and MuPDF take their own fonts (51-typed-table.t).
 * A space in a name is given as "#20" (pdf/pack.c writes it so). */
static const struct fallback {
	const char *key, *family, *langs;
} fallbacks[] = {
	/* Latin Extended, Greek, Cyrillic after Helvetica (/Helv) */
	{ "popplerfont", "Nimbus#20Sans#20Regular", "en fr es" },
	/* Arabic (and Cyrillic after Amiri) */
	{ "popplerfont0", "DejaVu#20Sans#20Book", "en fr es ru ar zh" },
	/* Chinese */
	{ "popplerfont1", "Droid#20Sans#20Fallback#20Regular", "en fr es ru ar" },
};

/* The identity ToUnicode CMap of the fallbacks: U+0100 to U+06FF, the
 * blocks from Latin Extended-A to Arabic (a character fontconfig picked the
 * font for: it has it); the mapping only (poppler takes the codes' length
 * from it, as from embed.c's). */
static HPDF_Dict fallback_cmap(build *b)
{
	HPDF_Dict s = HPDF_DictStream_New(b->mm, b->h->xref);
	if (s)
		HPDF_Stream_WriteStr(s->stream, "1 beginbfrange\n<0100> <06FF> "
				     "<0100>\nendbfrange\n");
	return s;
}

/* The CIDFont of the fallbacks: an Adobe-GB1 one (Chinese) or one whose
 * CIDs are Unicode values (Identity); an indirect object, as the embedded
 * fonts', named family. NULL: out of memory. */
static HPDF_Dict fallback_cid(build *b, int gb1, const char *family)
{
	HPDF_Dict cid = parse_str(b, gb1 ?
		"<< /Type /Font /Subtype /CIDFontType0 /CIDSystemInfo << "
		"/Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 "
		"/FontDescriptor << /Type /FontDescriptor /Flags 4 /FontBBox [ 0 "
		"-120 1000 880 ] /ItalicAngle 0 /Ascent 880 /Descent -120 "
		"/CapHeight 880 /StemV 93 >> >>" :
		"<< /Type /Font /Subtype /CIDFontType2 /CIDSystemInfo << "
		"/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 "
		"/CIDToGIDMap /Identity /FontDescriptor << /Type /FontDescriptor "
		"/Flags 32 /FontBBox [ 0 -240 1000 930 ] /ItalicAngle 0 /Ascent "
		"930 /Descent -240 /CapHeight 730 /StemV 80 >> >>");
	HPDF_Dict fd = cid ? HPDF_Dict_GetItem(cid, "FontDescriptor",
					       HPDF_OCLASS_DICT) : NULL;
	if (!fd || HPDF_Xref_Add(b->h->xref, cid) != HPDF_OK ||
	    HPDF_Dict_AddName(cid, "BaseFont", family) != HPDF_OK ||
	    HPDF_Dict_AddName(fd, "FontName", family) != HPDF_OK)
		return NULL;
	return cid;
}

/* One fallback font: family's under key in fonts (the /DR's /Font), cid
 * its CIDFont (shared: poppler finds the installed font by the Type0's
 * name), tu its ToUnicode CMap (none for GB1: poppler-data has its). */
static int fallback_font(build *b, HPDF_Dict fonts, const struct fallback *f,
			 HPDF_Dict cid, HPDF_Dict tu)
{
	HPDF_Dict font = parse_str(b, "<< /Type /Font /Subtype /Type0 "
				   "/Encoding /Identity-H >>");
	HPDF_Array kids = HPDF_Array_New(b->mm);
	if (!font || !kids || HPDF_Array_Add(kids, cid) != HPDF_OK ||
	    HPDF_Dict_Add(font, "DescendantFonts", kids) != HPDF_OK ||
	    HPDF_Dict_AddName(font, "BaseFont", f->family) != HPDF_OK ||
	    (tu && HPDF_Dict_Add(font, "ToUnicode", tu) != HPDF_OK) ||
	    HPDF_Dict_Add(fonts, f->key, font) != HPDF_OK)
		return -1;
	return 0;
}

/* Adds the fallbacks of b's language to the /DR of form. */
static int fallback_add_dr(build *b, HPDF_Dict form, bt_err *e)
{
	HPDF_Dict dr = HPDF_Dict_GetItem(form, "DR", HPDF_OCLASS_DICT);
	HPDF_Dict fonts = dr ? HPDF_Dict_GetItem(dr, "Font", HPDF_OCLASS_DICT) :
		NULL;
	HPDF_Dict tu = NULL, uni = NULL, gb = NULL;
	int rc = fonts ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < sizeof fallbacks / sizeof *fallbacks;
	     i++) {
		const struct fallback *f = &fallbacks[i];
		const char *at = strstr(f->langs, b->lang);
		if (!at || at[strlen(b->lang)] > ' ')
			continue;
		int gb1 = strstr(f->family, "Droid") != NULL;
		HPDF_Dict *cid = gb1 ? &gb : &uni;
		if (!*cid)
			*cid = fallback_cid(b, gb1, f->family);
		if (!gb1 && !tu)
			tu = fallback_cmap(b);
		rc = *cid && (gb1 || tu) ?
			fallback_font(b, fonts, f, *cid, gb1 ? NULL : tu) : -1;
	}
	return rc == 0 ? BT_OK : bt_fail(e, BT_EFAIL, "out of memory");
}

static int add_fields(build *b, const pdf_fields *f, bt_err *e)
{
	const char *uni = uni_font(b->lang);
	int embed = strcmp(b->lang, "ru") == 0 || strcmp(b->lang, "ar") == 0;
	b->da = embed ? "/" UNI_NAME " 9 Tf 0 g" :
		*uni ? "/Uni 9 Tf 0 g" : "/Helv 9 Tf 0 g";
	/* the marks: a dot in a 10 pt circle, a cross in a 10 pt box */
	/* a radio button's "Off" (never empty: an empty stream compressed
	 * upsets MuPDF) */
	b->empty = appearance(b, 10, 10, "q Q\n");
	b->dot = appearance(b, 10, 10,
		"0 g 7.6 5 m 7.6 6.44 6.44 7.6 5 7.6 c 3.56 7.6 2.4 6.44 2.4 5 c "
		"2.4 3.56 3.56 2.4 5 2.4 c 6.44 2.4 7.6 3.56 7.6 5 c f\n");
	b->cross = appearance(b, 10, 10,
		"0 G 1.4 w 2 2 m 8 8 l S 2 8 m 8 2 l S\n");
	for (size_t i = 0; i < f->n; i++) {
		const widget *w = &f->v[i];
		int created;
		HPDF_Dict fd = node(b, w->name, &created);
		if (!fd)
			return bt_fail(e, BT_EFAIL, "out of memory");
		int rc = created ? field_keys(b, fd, w, e) : BT_OK;
		if (rc)
			return rc;
		if (rc == BT_OK && w->kind == PDF_FIELD_RADIO)
			rc = radio_button(b, fd, w, e);
		if (rc)
			return rc;
	}
	bt_buf_reset(&b->tmp);
	if (bt_buf_addf(&b->tmp, "<< /DA (/Helv 0 Tf 0 g) /DR << /Font << "
		"/Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
		"/Encoding /WinAnsiEncoding >> %s"
		"/ZaDb << /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >> "
		">> >> >>", uni) < 0)
		return bt_fail(e, BT_EFAIL, "out of memory");
	HPDF_Dict form = parse_str(b, bt_buf_str(&b->tmp));
	if (form && embed && uni_add_dr(b, form, e) != BT_OK)
		return e->code;
	if (form && fallback_add_dr(b, form, e) != BT_OK)
		return e->code;
	if (!form || HPDF_Xref_Add(b->h->xref, form) != HPDF_OK ||
	    HPDF_Dict_Add(form, "Fields", b->fields) != HPDF_OK ||
	    HPDF_Dict_Add(b->h->catalog, "AcroForm", form) != HPDF_OK)
		return bt_fail(e, BT_EFAIL, "out of memory");
	return BT_OK;
}

int pdf_fields_apply(const pdf_fields *f, pdf_doc *d, bt_err *e)
{
	build b = { 0 };
	int rc = words_get(f->lang, &b.words, e);
	if (rc)
		return rc;
	bt_buf_init(&b.tmp, 0);
	b.d = d;
	b.h = pdf_doc_haru(d);
	b.mm = b.h->mmgr;
	b.rtl = f->rtl;
	b.lang = f->lang;
	b.fields = HPDF_Array_New(b.mm);
	rc = b.fields ? add_fields(&b, f, e) :
		bt_fail(e, BT_EFAIL, "out of memory");
	if (rc == BT_OK && HPDF_GetError(b.h) != HPDF_OK)
		rc = bt_fail(e, BT_EFAIL, "libharu: adding the form fields "
			     "failed (error %04X)", (unsigned)HPDF_GetError(b.h));
	for (size_t i = 0; i < b.n; i++)
		free(b.nodes[i].name);
	free(b.nodes);
	bt_buf_release(&b.tmp);
	return rc;
}
