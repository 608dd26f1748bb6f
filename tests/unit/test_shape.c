/* test_shape.c - Arabic shaped by HarfBuzz (pdf_face_shape) and the CIDs
 * of a document keyed by glyph (pdf_embed_glyph): Amiri's lam and alef take
 * their contextual forms, KacstBook's (HarfBuzz's fallback shaping) make
 * one ligature glyph whose cluster holds both letters; a shadda is a glyph
 * of its own, with no advance, in the cluster of the letter it sits on; the
 * same glyph, width and text give the same CID, a different text or width
 * another; a character beyond U+FFFF gets a CID through its glyph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pdf/doc.h"
#include "pdf/embed.h"

#define AMIRI "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"
#define KACST "/usr/share/fonts/truetype/kacst/KacstBook.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf"

static pdf_face *open_face(const char *path)
{
	pdf_face *f = NULL;
	bt_err e;
	if (pdf_face_open(path, 0, &f, &e))
		fail_msg("%s", e.msg);
	return f;
}

static void complex_scripts(void **state)
{
	(void)state;
	assert_true(pdf_complex(0x0627));  /* ARABIC LETTER ALEF */
	assert_false(pdf_complex(0x0651)); /* SHADDA: inherited, goes with its letter */
	assert_true(pdf_complex(0x0710));  /* SYRIAC LETTER ALAPH */
	assert_false(pdf_complex('A'));
	assert_false(pdf_complex(0x0416)); /* CYRILLIC ZHE */
	assert_false(pdf_complex(0x4E2D)); /* 中 */
	assert_false(pdf_complex(0x060C)); /* ARABIC COMMA: common */
	assert_true(pdf_mark(0x0651));
	assert_false(pdf_mark(0x0633));
}

/* Amiri gives lam and alef contextual forms (two glyphs); KacstBook, a
 * font without OpenType Arabic tables, gets HarfBuzz's fallback shaping:
 * the lam-alef ligature, one glyph whose cluster holds both letters. */
static void lam_alef(void **state)
{
	(void)state;
	pdf_face *f = open_face(AMIRI);
	/* context before and after: "ب" + "لا" + "ب"; only [1, 3) shaped */
	const uint32_t text[] = { 0x0628, 0x0644, 0x0627, 0x0628 };
	pdf_glyph g[8];
	int n = pdf_face_shape(f, text, 4, 1, 2, 1, g, 8);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].cluster, 2); /* right to left: alef first */
	assert_int_equal(g[1].cluster, 1);
	assert_int_not_equal(g[1].gid, pdf_face_glyph(f, 0x0644));
	assert_int_not_equal(g[0].gid, pdf_face_glyph(f, 0x0627));
	/* too little room: -1, nothing overrun */
	assert_int_equal(pdf_face_shape(f, text, 4, 0, 4, 1, g, 1), -1);
	pdf_face_free(f);
	f = open_face(KACST);
	n = pdf_face_shape(f, text, 4, 1, 2, 1, g, 8);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].cluster, 1);
	assert_true(g[0].adv > 0);
	pdf_face_free(f);
}

static void shadda_sits_on_its_letter(void **state)
{
	(void)state;
	pdf_face *f = open_face(AMIRI);
	/* السّعوديّة: the shadda (U+0651) after the seen (index 2) and after
	 * the yeh (index 7) */
	const uint32_t text[] = { 0x0627, 0x0644, 0x0633, 0x0651, 0x0639,
				  0x0648, 0x062F, 0x064A, 0x0651, 0x0629 };
	pdf_glyph g[32];
	int n = pdf_face_shape(f, text, 10, 0, 10, 1, g, 32);
	assert_true(n >= 10);
	unsigned shadda = pdf_face_glyph(f, 0x0651);
	int seen = 0;
	for (int i = 0; i < n; i++) {
		if (g[i].gid != shadda)
			continue;
		/* in the cluster of its letter, no advance of its own */
		assert_true(g[i].cluster == 2 || g[i].cluster == 7);
		assert_true(g[i].adv == 0);
		seen |= g[i].cluster == 2 ? 1 : 2;
	}
	assert_int_equal(seen, 3);
	/* visual order, right to left: the last letter's cluster first */
	assert_int_equal(g[0].cluster, 9);
	assert_int_equal(g[n - 1].cluster, 0);
	pdf_face_free(f);
}

static void cids_keyed_by_glyph_width_and_text(void **state)
{
	(void)state;
	pdf_face *f = open_face(AMIRI);
	HPDF_Doc h = HPDF_New(NULL, NULL);
	assert_non_null(h);
	pdf_embed *m = pdf_embed_new(h, f);
	assert_non_null(m);
	const uint32_t la[] = { 0x0627, 0x0644 }, lam[] = { 0x0644 };
	unsigned g = pdf_face_glyph(f, 0x0644);
	unsigned a = pdf_embed_glyph(m, g, -1, lam, 1);
	assert_int_equal(a, 1);
	assert_int_equal(pdf_embed_glyph(m, g, -1, lam, 1), a);
	assert_int_equal(pdf_embed_glyph(m, g, pdf_face_width(f, g), lam, 1), a);
	assert_int_equal(pdf_embed_cid(m, 0x0644, lam, 1), a);
	assert_int_equal(pdf_embed_glyph(m, g, -1, la, 2), 2);  /* other text */
	assert_int_equal(pdf_embed_glyph(m, g, 900, lam, 1), 3); /* other width */
	assert_int_equal(pdf_embed_glyph(m, g, 0, lam, 0), 4);  /* reads as nothing */
	assert_int_equal(pdf_embed_glyph(m, 0, -1, lam, 1), 0); /* .notdef */
	assert_int_equal(pdf_embed_glyph(m, 1u << 20, -1, lam, 1), 0);
	uint32_t many[PDF_TEXT_MAX + 1] = { 0 };
	assert_int_equal(pdf_embed_glyph(m, g, -1, many, PDF_TEXT_MAX + 1), 0);
	/* many distinct glyphs: the hash grows, every CID stays found */
	unsigned cids[600], first = g + 1;
	for (unsigned i = 0; i < 600; i++)
		cids[i] = pdf_embed_glyph(m, first + i, -1, lam, 1);
	for (unsigned i = 0; i < 600; i++)
		assert_int_equal(pdf_embed_glyph(m, first + i, -1, lam, 1), cids[i]);
	assert_int_equal(cids[0], 5);
	assert_int_equal(cids[599], 604);
	bt_err e;
	assert_int_equal(pdf_embed_finish(m, &e), BT_OK);
	pdf_embed_free(m);
	HPDF_Free(h);
	pdf_face_free(f);
}

/* Beyond U+FFFF: a font that has the character (DejaVu Sans has the
 * mathematical letters) gives it a CID through its glyph; one that lacks it
 * gives none. */
static void beyond_the_bmp(void **state)
{
	(void)state;
	pdf_face *f = open_face(DEJAVU);
	HPDF_Doc h = HPDF_New(NULL, NULL);
	pdf_embed *m = pdf_embed_new(h, f);
	const uint32_t c = 0x1D400; /* MATHEMATICAL BOLD CAPITAL A */
	assert_int_not_equal(pdf_face_glyph(f, c), 0);
	assert_int_equal(pdf_embed_cid(m, c, &c, 1), 1);
	assert_int_equal(pdf_embed_cid(m, c, &c, 1), 1);
	const uint32_t none = 0x1F600;
	assert_int_equal(pdf_face_glyph(f, none), 0);
	assert_int_equal(pdf_embed_cid(m, none, &none, 1), 0);
	bt_err e;
	assert_int_equal(pdf_embed_finish(m, &e), BT_OK);
	pdf_embed_free(m);
	HPDF_Free(h);
	pdf_face_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(complex_scripts),
		cmocka_unit_test(lam_alef),
		cmocka_unit_test(shadda_sits_on_its_letter),
		cmocka_unit_test(cids_keyed_by_glyph_width_and_text),
		cmocka_unit_test(beyond_the_bmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
