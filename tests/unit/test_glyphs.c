/* test_glyphs.c - characters no font can print: stored text is made
 * printable with the mark (pdf_text_fix), entered text is refused
 * (pdf_text_check), and Arabic is shaped (HarfBuzz), in a font with
 * OpenType Arabic tables or without. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pdf/doc.h"

#ifndef BALLOT_FORMS_DIR
#define BALLOT_FORMS_DIR "forms"
#endif

#define MARK "\xE2\x96\xA1" /* U+25A1 WHITE SQUARE */
#define LRM "\xE2\x80\x8E"
#define RLM "\xE2\x80\x8F"
#define ML LRM MARK LRM /* the mark of a left-to-right letter */
#define MR RLM MARK RLM /* of a right-to-left one */

static pdf_fonts *shipped(void)
{
	pdf_fonts *f = NULL;
	bt_err e;
	if (pdf_fonts_load(BALLOT_FORMS_DIR, &f, &e))
		fail_msg("fonts: %s", e.msg);
	return f;
}

/* The font table lines given, in a scratch forms directory (dir receives
 * its path; remove it with rm_forms). */
static pdf_fonts *table(const char *lines, char dir[64])
{
	snprintf(dir, 64, "/tmp/ballot-glyphs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[96];
	snprintf(path, sizeof path, "%s/fonts.tsv", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(lines, fp);
	assert_int_equal(fclose(fp), 0);
	pdf_fonts *f = NULL;
	bt_err e;
	if (pdf_fonts_load(dir, &f, &e))
		fail_msg("fonts: %s", e.msg);
	return f;
}

static void rm_forms(const char *dir)
{
	char path[96];
	snprintf(path, sizeof path, "%s/fonts.tsv", dir);
	unlink(path);
	rmdir(dir);
}

/* fix(f, in) -> out with *n replaced; out freed by the next call. */
static const char *fix(pdf_fonts *f, const char *in, size_t *n)
{
	static bt_buf out = BT_BUF_INIT;
	bt_err e;
	bt_buf_reset(&out);
	if (pdf_text_fix(f, in, &out, n, &e))
		fail_msg("fix: %s", e.msg);
	return bt_buf_str(&out);
}

static void printable_text_is_kept(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	static const char *const ok[] = { "Brazil comments.pdf", "理由.txt",
		"أسباب.txt", "Ελλάδα, Tiếng Việt, Türkiye", "a\xE2\x80\x8D" "b",
		"", NULL };
	for (size_t i = 0; ok[i]; i++) {
		size_t n = 99;
		assert_string_equal(fix(f, ok[i], &n), ok[i]);
		assert_int_equal(n, 0);
	}
	pdf_fonts_free(f);
}

static void unprintable_characters_become_the_mark(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	size_t n;
	char mark[5];
	bt_err e;
	assert_int_equal(pdf_fonts_mark(f, mark, &e), BT_OK);
	assert_string_equal(mark, MARK);
	/* Ethiopic: no installed font */
	assert_string_equal(fix(f, "ሀሁሂ.pdf", &n), ML ML ML ".pdf");
	assert_int_equal(n, 3);
	/* beyond U+FFFF: one mark per character, not per surrogate or byte;
	 * a letter's keeps its direction, a symbol's (the emoji) has none */
	assert_string_equal(fix(f, "𝔘nicode 😀.txt", &n), ML "nicode " MARK ".txt");
	assert_int_equal(n, 2);
	/* mixed with Chinese and Arabic, which stay */
	assert_string_equal(fix(f, "理由 ሀ", &n), "理由 " ML);
	assert_int_equal(n, 1);
	assert_string_equal(fix(f, "أسباب ሀ", &n), "أسباب " ML);
	assert_int_equal(n, 1);
	/* Persian letters: Amiri has them (KacstBook, before, did not) */
	assert_string_equal(fix(f, "پیام", &n), "پیام");
	assert_int_equal(n, 0);
	/* a right-to-left letter no font has keeps its direction: Syriac */
	assert_string_equal(fix(f, "ܐ", &n), MR);
	assert_int_equal(n, 1);
	pdf_fonts_free(f);
}

static void damaged_bytes_become_the_mark(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	size_t n;
	/* not UTF-8: a mark per byte */
	assert_string_equal(fix(f, "a\xFF" "b", &n), "a" MARK "b");
	assert_int_equal(n, 1);
	assert_string_equal(fix(f, "a\xC3", &n), "a" MARK);      /* cut short */
	assert_string_equal(fix(f, "\xC0\xAF", &n), MARK MARK);  /* overlong */
	assert_int_equal(n, 2);
	assert_string_equal(fix(f, "\xED\xA0\x80", &n), MARK MARK MARK); /* surrogate */
	assert_string_equal(fix(f, "\xF4\x90\x80\x80", &n), MARK MARK MARK MARK);
	/* control characters, newlines and tabs too (one-line fields) */
	assert_string_equal(fix(f, "a\tb\nc\x7F\xC2\x85", &n),
			    "a" MARK "b" MARK "c" MARK MARK);
	assert_int_equal(n, 4);
	pdf_fonts_free(f);
}

static void overlong_text_is_cut(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	char *in = malloc(5001);
	assert_non_null(in);
	memset(in, 'a', 5000);
	in[5000] = '\0';
	size_t n;
	const char *out = fix(f, in, &n);
	assert_int_equal(strlen(out), 4000 + 3);
	assert_string_equal(out + 4000, "\xE2\x80\xA6");
	assert_int_equal(n, 0);
	/* appended after what the buffer held */
	bt_buf b = BT_BUF_INIT;
	bt_err e;
	bt_buf_adds(&b, "CODE ");
	assert_int_equal(pdf_text_fix(f, "ሀ", &b, &n, &e), BT_OK);
	assert_string_equal(bt_buf_str(&b), "CODE " ML);
	bt_buf_release(&b);
	free(in);
	pdf_fonts_free(f);
}

static void entered_text_is_checked(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	bt_err e;
	assert_int_equal(pdf_text_check(f, "Ελλάδα 龘齉 أسباب ™ ←", "--title", &e), BT_OK);
	assert_int_equal(pdf_text_check(f, "Amharic ሀሁሂ", "--title", &e), BT_EINPUT);
	assert_string_equal(e.msg, "--title: character U+1200 in 'Amharic ሀሁሂ' is not "
			    "covered by any installed font (forms/fonts.tsv)");
	assert_int_equal(pdf_text_check(f, "Fraktur 𝔘", "--title", &e), BT_EINPUT);
	assert_non_null(strstr(e.msg, "U+1D518"));
	assert_non_null(strstr(e.msg, "outside the Basic Multilingual Plane"));
	assert_int_equal(pdf_text_check(f, "a\xFF", "--title", &e), BT_EINPUT);
	assert_string_equal(e.msg, "--title: not valid UTF-8 (byte 2)");
	/* a long text is shown cut, never in the middle of a character */
	char longer[200] = "";
	for (int i = 0; i < 30; i++)
		strcat(longer, "é");
	strcat(longer, "ሀ");
	assert_int_equal(pdf_text_check(f, longer, "f", &e), BT_EINPUT);
	assert_non_null(strstr(e.msg, "ééé...'"));
	pdf_fonts_free(f);
}

#define LATIN "0000\t052F\tregular\t0\t{fonts}/truetype/liberation2/LiberationSans-Regular.ttf\t" \
	"fonts-liberation2\n"

static void the_mark_falls_back_to_a_question_mark(void **state)
{
	(void)state;
	char dir[64];
	pdf_fonts *f = table(LATIN, dir); /* no geometric shapes: no □ */
	char mark[5];
	bt_err e;
	size_t n;
	assert_int_equal(pdf_fonts_mark(f, mark, &e), BT_OK);
	assert_string_equal(mark, "?");
	assert_string_equal(fix(f, "ሀ→x", &n), LRM "?" LRM "?x");
	assert_int_equal(n, 2);
	pdf_fonts_free(f);
	rm_forms(dir);
}

/* Arabic is shaped by HarfBuzz from the letters as typed: lam-alef is one
 * glyph (narrower than lam and alef apart), and a font with Arabic letters
 * but no OpenType Arabic tables (KacstBook has its joined forms as
 * presentation forms) is shaped by HarfBuzz's fallback, never refused. */
static void arabic_is_shaped(void **state)
{
	(void)state;
	char dir[64];
	pdf_fonts *fonts[2] = { shipped(), table(LATIN "0600\t06FF\tregular\t0\t"
		"{fonts}/truetype/kacst/KacstBook.ttf\tfonts-kacst\n", dir) };
	for (int k = 0; k < 2; k++) {
		pdf_doc *d = NULL;
		bt_err e;
		float h = 0;
		const pdf_style st = { 10, 0, PDF_START, 0 };
		assert_int_equal(pdf_doc_new(fonts[k], PDF_A4, 1, &d, &e), BT_OK);
		assert_int_equal(pdf_page_add(d, &e), BT_OK);
		int rc = pdf_text(d, "سلام على الأعضاء", 50, 50, 400, &st, 1,
				  "text", &h, &e);
		if (rc)
			fail_msg("%s", e.msg);
		assert_true(h > 0);
		float w2, wl, wa;
		assert_int_equal(pdf_text_width(d, "لأ", &st, "t", &w2, &e), BT_OK);
		assert_int_equal(pdf_text_width(d, "ل", &st, "t", &wl, &e), BT_OK);
		assert_int_equal(pdf_text_width(d, "أ", &st, "t", &wa, &e), BT_OK);
		assert_true(wl > 0 && wa > 0 && w2 > 0);
		assert_true(w2 < wl + wa - 0.5f);
		bt_buf out = BT_BUF_INIT;
		assert_int_equal(pdf_doc_bytes(d, &out, &e), BT_OK);
		assert_true(out.len > 0);
		bt_buf_release(&out);
		pdf_doc_free(d);
		pdf_fonts_free(fonts[k]);
	}
	rm_forms(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(printable_text_is_kept),
		cmocka_unit_test(unprintable_characters_become_the_mark),
		cmocka_unit_test(damaged_bytes_become_the_mark),
		cmocka_unit_test(overlong_text_is_cut),
		cmocka_unit_test(entered_text_is_checked),
		cmocka_unit_test(the_mark_falls_back_to_a_question_mark),
		cmocka_unit_test(arabic_is_shaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
