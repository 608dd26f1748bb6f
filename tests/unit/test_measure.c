/* test_measure.c - the measure cache of pdf_text (draw 0) and
 * pdf_text_width keeps apart what its key tells apart: one text measured
 * with two font tables, two directions (an English and an Arabic
 * document), two weights, two sizes, two box widths and two tops gives
 * each time what a fresh measure (a new thread: an empty cache) gives.
 * The cache hashes the text alone, so each pair shares a probe chain and
 * dropping any field from the key's comparison returns the other's
 * figure. A font table freed and another made (often at the same
 * address) are not confused either: the key is the table's generation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <cmocka.h>

#include "pdf/doc.h"

#ifndef BALLOT_FORMS_DIR
#define BALLOT_FORMS_DIR "forms"
#endif

#define SERIF "/usr/share/fonts/truetype/liberation2/LiberationSerif-"
#define AMIRI "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"
/* Liberation Serif for Latin: narrower than the shipped Liberation Sans */
#define SERIF_TABLE \
	"0000\t052F\tregular\t0\t" SERIF "Regular.ttf\tfonts-liberation2\n" \
	"0000\t052F\tbold\t0\t" SERIF "Bold.ttf\tfonts-liberation2\n" \
	"0600\t06FF\tregular\t0\t" AMIRI "\tfonts-hosny-amiri\t125\n"
#define SANS "/usr/share/fonts/truetype/liberation2/LiberationSans-"
/* the shipped table's Latin fonts, as long a table as SERIF_TABLE */
#define SANS_TABLE \
	"0000\t052F\tregular\t0\t" SANS "Regular.ttf\tfonts-liberation2\n" \
	"0000\t052F\tbold\t0\t" SANS "Bold.ttf\tfonts-liberation2\n" \
	"0600\t06FF\tregular\t0\t" AMIRI "\tfonts-hosny-amiri\t125\n"
/* a closing parenthesis in Liberation Mono, the opening one in Sans: a
 * parenthesis mirrored in a right-to-left run (fribidi) changes width. With
 * the shipped table no text measures differently in the two directions
 * (mirrored pairs are as wide as each other). */
#define MIRROR_TABLE \
	"0029\t0029\tregular\t0\t/usr/share/fonts/truetype/liberation2/" \
	"LiberationMono-Regular.ttf\tfonts-liberation2\n" \
	"0000\t052F\tregular\t0\t" SANS "Regular.ttf\tfonts-liberation2\n"

static pdf_fonts *shipped(void)
{
	pdf_fonts *f = NULL;
	bt_err e;
	if (pdf_fonts_load(BALLOT_FORMS_DIR, &f, &e))
		fail_msg("fonts: %s", e.msg);
	return f;
}

/* A scratch forms directory (dir) with the font table lines given. */
static void forms_dir(const char *lines, char dir[64])
{
	snprintf(dir, 64, "/tmp/ballot-measure-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[96];
	snprintf(path, sizeof path, "%s/fonts.tsv", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(lines, fp);
	assert_int_equal(fclose(fp), 0);
}

static void forms_rm(const char *dir)
{
	char path[96];
	snprintf(path, sizeof path, "%s/fonts.tsv", dir);
	unlink(path);
	rmdir(dir);
}

static pdf_fonts *load(const char *dir)
{
	pdf_fonts *f = NULL;
	bt_err e;
	if (pdf_fonts_load(dir, &f, &e))
		fail_msg("fonts: %s", e.msg);
	return f;
}

/* The font table lines given (its scratch directory removed). */
static pdf_fonts *table(const char *lines)
{
	char dir[64];
	forms_dir(lines, dir);
	pdf_fonts *f = load(dir);
	forms_rm(dir);
	return f;
}

/* One measure: the text's height in the box (pdf_text, draw 0) and its
 * width on one line (pdf_text_width). */
typedef struct probe {
	pdf_fonts *fonts;
	int rtl;
	pdf_style st;
	float y, width;
	const char *text;
	float height, line; /* the results */
} probe;

static void measure_in(pdf_doc *d, probe *p)
{
	bt_err e;
	if (pdf_text(d, p->text, 10, p->y, p->width, &p->st, 0, "test",
		     &p->height, &e) ||
	    pdf_text_width(d, p->text, &p->st, "test", &p->line, &e))
		fail_msg("measure '%s': %s", p->text, e.msg);
}

/* Measured on this thread (its cache) with a new document. */
static void measure_here(probe *p)
{
	pdf_doc *d = NULL;
	bt_err e;
	if (pdf_doc_new(p->fonts, PDF_A4, p->rtl, &d, &e))
		fail_msg("doc: %s", e.msg);
	measure_in(d, p);
	pdf_doc_free(d);
}

static void *fresh_thread(void *arg)
{
	measure_here(arg);
	return NULL;
}

/* What a fresh measure gives: on a new thread, whose cache is empty. */
static probe fresh(probe p)
{
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, fresh_thread, &p), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	return p;
}

static int same(float a, float b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* a and b differ in one field of the key and measure differently; each
 * measured here after the other (a, b, a again) gives its fresh figures. */
static void apart(probe a, probe b, const char *what)
{
	probe fa = fresh(a), fb = fresh(b);
	if (same(fa.height, fb.height) && same(fa.line, fb.line))
		fail_msg("%s: the pair measures the same (%g, %g): no test",
			 what, (double)fa.height, (double)fa.line);
	probe ha = a, hb = b, ha2 = a;
	measure_here(&ha);
	measure_here(&hb);
	measure_here(&ha2);
	const probe *got[] = { &ha, &hb, &ha2 }, *want[] = { &fa, &fb, &fa };
	for (int k = 0; k < 3; k++)
		if (!same(got[k]->height, want[k]->height) ||
		    !same(got[k]->line, want[k]->line))
			fail_msg("%s, measure %d: height %.9g width %.9g, a fresh "
				 "measure %.9g and %.9g", what, k + 1,
				 (double)got[k]->height, (double)got[k]->line,
				 (double)want[k]->height,
				 (double)want[k]->line);
}

#define LATIN "Consultation of the Member States on draft Q.5051"

static probe base(pdf_fonts *f, const char *text)
{
	return (probe){ f, 0, { 10, 0, PDF_START, 0 }, 100, 120, text, 0, 0 };
}

static void fonts_apart(void **state)
{
	(void)state;
	pdf_fonts *sans = shipped(), *serif = table(SERIF_TABLE);
	probe a = base(sans, LATIN), b = base(serif, LATIN);
	apart(a, b, "two font tables");
	pdf_fonts_free(serif);
	pdf_fonts_free(sans);
}

static void direction_apart(void **state)
{
	(void)state;
	pdf_fonts *f = table(MIRROR_TABLE);
	/* the last "(" is left to right in the English document, right to
	 * left (drawn as ")") in the Arabic one */
	probe a = base(f, "Draft Q.5051 ("), b = a;
	b.rtl = 1;
	apart(a, b, "English and Arabic documents");
	pdf_fonts_free(f);
}

static void weight_apart(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	probe a = base(f, LATIN), b = a;
	b.st.bold = 1;
	apart(a, b, "regular and bold");
	pdf_fonts_free(f);
}

static void size_apart(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	probe a = base(f, LATIN), b = a;
	b.st.size = 11;
	apart(a, b, "10 and 11 pt");
	pdf_fonts_free(f);
}

static void width_apart(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	probe a = base(f, LATIN), b = a;
	b.width = 400; /* one line where 120 points take three */
	apart(a, b, "two box widths");
	pdf_fonts_free(f);
}

static void top_apart(void **state)
{
	(void)state;
	pdf_fonts *f = shipped();
	/* the height is a difference of float sums from the top: three lines
	 * from 0 and from far down the page round apart */
	probe a = base(f, LATIN), b = a;
	a.y = 0;
	b.y = 700.3f;
	apart(a, b, "two tops");
	pdf_fonts_free(f);
}

/* A font table freed, another made: the allocator often gives the new
 * one the old one's address (tried until it does, up to 8 times; never
 * under ASan, whose freed memory waits in quarantine); its measures are
 * its own. */
static void table_remade(void **state)
{
	(void)state;
	char serif_dir[64], sans_dir[64];
	forms_dir(SERIF_TABLE, serif_dir);
	forms_dir(SANS_TABLE, sans_dir);
	int reused = 0;
	for (int k = 0; k < 8 && !reused; k++) {
		pdf_fonts *serif = load(serif_dir);
		probe a = base(serif, LATIN);
		measure_here(&a);
		const void *was = serif;
		pdf_fonts_free(serif);
		pdf_fonts *sans = load(sans_dir);
		reused = (const void *)sans == was;
		probe b = base(sans, LATIN), fb = fresh(b);
		measure_here(&b);
		assert_false(same(a.line, fb.line));
		assert_true(same(b.line, fb.line));
		assert_true(same(b.height, fb.height));
		pdf_fonts_free(sans);
	}
	forms_rm(serif_dir);
	forms_rm(sans_dir);
	print_message("# a new table %s a freed one's address\n",
		      reused ? "got" : "never got");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fonts_apart),
		cmocka_unit_test(direction_apart),
		cmocka_unit_test(weight_apart),
		cmocka_unit_test(size_apart),
		cmocka_unit_test(width_apart),
		cmocka_unit_test(top_apart),
		cmocka_unit_test(table_remade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
