/* test_bidi.c - a paragraph of an English (left-to-right) document that
 * holds anything written right to left takes the bidi algorithm, not the
 * shortcut for all-left-to-right paragraphs (doc.c all_ltr): Latin text
 * with a RIGHT-TO-LEFT MARK, an embedding, an override, an isolate, or
 * Arabic-Indic digits is drawn in the visual order fribidi gives (brackets
 * mirrored, runs reversed), read back from the PDF by poppler and put in
 * the order of the glyphs' x positions. Each text's visual order differs
 * from its logical order, which the shortcut would draw. (An LRE or LRI
 * alone in a left-to-right paragraph changes nothing visible: the
 * shortcut leaves it to fribidi all the same.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fribidi.h>
#include <poppler.h>

#include "pdf/doc.h"

#ifndef BALLOT_FORMS_DIR
#define BALLOT_FORMS_DIR "forms"
#endif

#define RLM "\xE2\x80\x8F"
#define RLE "\xE2\x80\xAB"
#define PDF "\xE2\x80\xAC"
#define RLO "\xE2\x80\xAE"
#define RLI "\xE2\x81\xA7"
#define PDI "\xE2\x81\xA9"
#define AR1 "\xD9\xA1" /* ARABIC-INDIC DIGIT ONE */
#define AR2 "\xD9\xA2"

#define MAXC 128

/* The characters of s that are drawn (not a space, a mark, an embedding,
 * an override or an isolate), as UTF-8. */
static void drawn_only(const FriBidiChar *u, int n, char *out)
{
	char *o = out;
	for (int i = 0; i < n; i++) {
		FriBidiCharType t = fribidi_get_bidi_type(u[i]);
		if (u[i] == ' ' || FRIBIDI_IS_EXPLICIT_OR_BN(t) ||
		    FRIBIDI_IS_ISOLATE(t) || u[i] == 0x200E || u[i] == 0x200F)
			continue;
		o += fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8,
						&u[i], 1, o);
	}
	*o = '\0';
}

/* The logical order (what the shortcut draws) and fribidi's visual order
 * of text in a left-to-right paragraph, drawn characters only. */
static void orders(const char *text, char *logical, char *visual)
{
	FriBidiChar u[MAXC], v[MAXC];
	int n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, text,
					   (FriBidiStrIndex)strlen(text), u);
	assert_true(n > 0 && n < MAXC);
	FriBidiParType base = FRIBIDI_PAR_LTR;
	assert_true(fribidi_log2vis(u, n, &base, v, NULL, NULL, NULL));
	drawn_only(u, n, logical);
	drawn_only(v, n, visual);
}

typedef struct glyph_at {
	double x;
	gunichar c;
} glyph_at;

static int by_x(const void *a, const void *b)
{
	double d = ((const glyph_at *)a)->x - ((const glyph_at *)b)->x;
	return (d > 0) - (d < 0);
}

/* text drawn on one line of an English document, read back by poppler:
 * its characters (no spaces) in the order of their x on the page. */
static void drawn(const char *text, char *out)
{
	pdf_fonts *f = NULL;
	pdf_doc *d = NULL;
	bt_err e;
	pdf_style st = { 12, 0, PDF_START, 0 };
	float h;
	bt_buf pdf = BT_BUF_INIT;
	if (pdf_fonts_load(BALLOT_FORMS_DIR, &f, &e) ||
	    pdf_doc_new(f, PDF_A4, 0, &d, &e) || pdf_page_add(d, &e) ||
	    pdf_text(d, text, 50, 50, 400, &st, 1, "test", &h, &e) ||
	    pdf_doc_bytes(d, &pdf, &e))
		fail_msg("'%s': %s", text, e.msg);
	pdf_doc_free(d);
	pdf_fonts_free(f);
	GBytes *bytes = g_bytes_new(pdf.data, pdf.len);
	GError *err = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL,
							       &err);
	if (!doc)
		fail_msg("poppler: %s", err->message);
	PopplerPage *page = poppler_document_get_page(doc, 0);
	char *got = poppler_page_get_text(page);
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	assert_true(poppler_page_get_text_layout(page, &rects, &nrects));
	glyph_at at[MAXC];
	size_t n = 0;
	const char *s = got;
	for (guint i = 0; i < nrects && *s; i++, s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);
		if (g_unichar_isspace(c))
			continue;
		assert_true(n < MAXC);
		at[n++] = (glyph_at){ (rects[i].x1 + rects[i].x2) / 2, c };
	}
	qsort(at, n, sizeof *at, by_x);
	char *o = out;
	for (size_t i = 0; i < n; i++)
		o += g_unichar_to_utf8(at[i].c, o);
	*o = '\0';
	g_free(rects);
	g_free(got);
	g_object_unref(page);
	g_object_unref(doc);
	g_bytes_unref(bytes);
	bt_buf_release(&pdf);
}

/* text's visual order differs from its logical one, and it is drawn in
 * the visual order. */
static void check(const char *what, const char *text)
{
	char logical[4 * MAXC], visual[4 * MAXC], got[4 * MAXC];
	orders(text, logical, visual);
	if (strcmp(logical, visual) == 0)
		fail_msg("%s: '%s' reads the same both ways: no test", what,
			 logical);
	drawn(text, got);
	if (strcmp(got, visual) != 0)
		fail_msg("%s: drawn '%s', the visual order is '%s' (the "
			 "logical '%s')", what, got, visual, logical);
}

/* an opening parenthesis between two RLMs resolves right to left: mirrored */
static void rlm(void **state)
{
	(void)state;
	check("RLM", "Annex " RLM "(" RLM " A");
}

static void embedding(void **state)
{
	(void)state;
	check("RLE", "Annex " RLE "A (" PDF " B");
}

static void override(void **state)
{
	(void)state;
	check("RLO", "Annex " RLO "ABC" PDF " D");
}

static void isolate(void **state)
{
	(void)state;
	check("RLI", "Annex " RLI "A (" PDI " B");
}

/* two Arabic-Indic digits around a hyphen: the hyphen resolves right to
 * left between two Arabic numbers, so the digits read from right to left */
static void arabic_digits(void **state)
{
	(void)state;
	check("Arabic-Indic digits", "Annex " AR1 "-" AR2 " B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rlm),
		cmocka_unit_test(embedding),
		cmocka_unit_test(override),
		cmocka_unit_test(isolate),
		cmocka_unit_test(arabic_digits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
