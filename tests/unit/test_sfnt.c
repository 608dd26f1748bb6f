/* test_sfnt.c - pdf_sfnt_reorder: a subset of Amiri (composite glyphs,
 * whose components must follow their glyphs to their new numbers) and of
 * Liberation Sans put in a shuffled glyph order reads back, through
 * HarfBuzz, with glyph k drawing what the old glyph order[k] drew (the same
 * outline: the same extents and points, its advance and side bearing), its
 * checksums right; a font cut short, an order that is not a permutation or
 * a glyph count not the font's are refused; damaged fonts are never read
 * out of bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>

#include "pdf/sfnt.h"

#define AMIRI "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"
#define LIBERATION "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"

/* A subset of the font at path for the text (no hinting, the PDF's
 * tables only, as embed.c makes it): its bytes, in *blob. */
static hb_face_t *subset(const char *path, const char *text, hb_blob_t **blob)
{
	hb_blob_t *b = hb_blob_create_from_file_or_fail(path);
	assert_non_null(b);
	hb_face_t *face = hb_face_create(b, 0);
	hb_blob_destroy(b);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_set_t *u = hb_subset_input_unicode_set(in);
	for (const char *p = text; *p;) { /* UTF-8, two bytes at most here */
		unsigned c = (unsigned char)*p++;
		if (c >= 0xC0)
			c = (c & 0x1F) << 6 | ((unsigned char)*p++ & 0x3F);
		hb_set_add(u, c);
	}
	hb_set_t *keep = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	hb_set_clear(keep);
	hb_tag_t tags[64];
	unsigned nt = 64;
	hb_face_get_table_tags(face, 0, &nt, tags);
	for (unsigned i = 0; i < nt; i++)
		if (tags[i] != HB_TAG('g', 'l', 'y', 'f') && tags[i] != HB_TAG('l', 'o', 'c', 'a') &&
		    tags[i] != HB_TAG('h', 'e', 'a', 'd') && tags[i] != HB_TAG('h', 'h', 'e', 'a') &&
		    tags[i] != HB_TAG('h', 'm', 't', 'x') && tags[i] != HB_TAG('m', 'a', 'x', 'p'))
			hb_set_add(keep, tags[i]);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	hb_face_t *sub = hb_subset_or_fail(face, in);
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	assert_non_null(sub);
	*blob = hb_face_reference_blob(sub);
	return sub;
}

/* The outline of glyph g as text (its points and operators). */
typedef struct outline {
	char s[65536];
	size_t n;
} outline;

static void add(outline *o, const char *op, float x, float y)
{
	if (o->n < sizeof o->s - 64)
		o->n += (size_t)snprintf(o->s + o->n, sizeof o->s - o->n,
					 "%s%.0f,%.0f ", op, x, y);
}

static void move_to(hb_draw_funcs_t *d, void *o, hb_draw_state_t *st, float x,
		    float y, void *u)
{
	(void)d, (void)st, (void)u;
	add(o, "M", x, y);
}

static void line_to(hb_draw_funcs_t *d, void *o, hb_draw_state_t *st, float x,
		    float y, void *u)
{
	(void)d, (void)st, (void)u;
	add(o, "L", x, y);
}

static void quad_to(hb_draw_funcs_t *d, void *o, hb_draw_state_t *st, float cx,
		    float cy, float x, float y, void *u)
{
	(void)d, (void)st, (void)u;
	add(o, "Q", cx, cy);
	add(o, "", x, y);
}

static void draw(hb_font_t *f, unsigned g, outline *o)
{
	hb_draw_funcs_t *d = hb_draw_funcs_create();
	hb_draw_funcs_set_move_to_func(d, move_to, NULL, NULL);
	hb_draw_funcs_set_line_to_func(d, line_to, NULL, NULL);
	hb_draw_funcs_set_quadratic_to_func(d, quad_to, NULL, NULL);
	o->n = 0;
	o->s[0] = '\0';
	hb_font_get_glyph_shape(f, g, d, o);
	hb_draw_funcs_destroy(d);
}

static uint32_t sum32(const unsigned char *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < n; i += 4) {
		unsigned char w[4] = { 0 };
		memcpy(w, p + i, n - i < 4 ? n - i : 4);
		s += (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 | (uint32_t)w[2] << 8 | w[3];
	}
	return s;
}

/* Shuffles the subset of text in the font at path (glyph 0 stays) and
 * compares each new glyph with its old one. */
static void shuffled(const char *path, const char *text)
{
	hb_blob_t *blob;
	hb_face_t *sub = subset(path, text, &blob);
	unsigned count = hb_face_get_glyph_count(sub), len;
	const unsigned char *data = (const unsigned char *)hb_blob_get_data(blob, &len);
	assert_true(count > 8);
	unsigned *order = malloc(sizeof *order * count);
	order[0] = 0;
	for (unsigned k = 1; k < count; k++) /* reversed: every glyph moves */
		order[k] = count - k;
	unsigned char *out;
	size_t outlen;
	assert_int_equal(pdf_sfnt_reorder(data, len, order, count, &out, &outlen), 0);
	assert_int_equal(sum32(out, outlen), 0xB1B0AFBAu); /* head's adjustment */

	hb_blob_t *nb = hb_blob_create((const char *)out, (unsigned)outlen,
				       HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *nf = hb_face_create(nb, 0);
	hb_font_t *a = hb_font_create(sub), *b = hb_font_create(nf);
	assert_int_equal(hb_face_get_glyph_count(nf), count);
	static outline oa, ob;
	for (unsigned k = 0; k < count; k++) {
		unsigned g = order[k];
		hb_glyph_extents_t ea, eb;
		assert_true(hb_font_get_glyph_extents(a, g, &ea) == hb_font_get_glyph_extents(b, k, &eb));
		assert_memory_equal(&ea, &eb, sizeof ea);
		assert_int_equal(hb_font_get_glyph_h_advance(a, g), hb_font_get_glyph_h_advance(b, k));
		draw(a, g, &oa);
		draw(b, k, &ob);
		assert_string_equal(oa.s, ob.s);
	}
	/* refused: a font cut short, a glyph twice, a count not the font's */
	unsigned char *o2 = NULL;
	size_t l2 = 0;
	assert_int_equal(pdf_sfnt_reorder(data, 40, order, count, &o2, &l2), -1);
	assert_null(o2);
	order[2] = order[1];
	assert_int_equal(pdf_sfnt_reorder(data, len, order, count, &o2, &l2), -1);
	order[2] = count - 2;
	assert_int_equal(pdf_sfnt_reorder(data, len, order, count - 1, &o2, &l2), -1);
	assert_null(o2);

	hb_font_destroy(a);
	hb_font_destroy(b);
	hb_face_destroy(nf);
	hb_blob_destroy(nb);
	free(out);
	free(order);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
}

/* Amiri draws its Arabic letters' dots as components: renumbered, they
 * still land on their new glyph numbers. */
static void amiri_composites(void **state)
{
	(void)state;
	hb_blob_t *blob;
	hb_face_t *sub = subset(AMIRI, "بتثجخشضظغفقن", &blob);
	/* the subset has composite glyphs (numberOfContours < 0) */
	hb_blob_t *loca = hb_face_reference_table(sub, HB_TAG('l', 'o', 'c', 'a'));
	hb_blob_t *glyf = hb_face_reference_table(sub, HB_TAG('g', 'l', 'y', 'f'));
	unsigned ll, gl, count = hb_face_get_glyph_count(sub), comp = 0;
	const unsigned char *l = (const unsigned char *)hb_blob_get_data(loca, &ll);
	const unsigned char *g = (const unsigned char *)hb_blob_get_data(glyf, &gl);
	int longf = ll >= 4 * (count + 1);
	for (unsigned k = 0; k < count; k++) {
		size_t off = longf ? ((size_t)l[4 * k] << 24 | (size_t)l[4 * k + 1] << 16 |
				      (size_t)l[4 * k + 2] << 8 | l[4 * k + 3]) :
			2 * ((size_t)l[2 * k] << 8 | l[2 * k + 1]);
		comp += off + 2 <= gl && (g[off] & 0x80);
	}
	assert_true(comp > 3);
	hb_blob_destroy(loca);
	hb_blob_destroy(glyf);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	shuffled(AMIRI, "بتثجخشضظغفقن");
}

/* Damaged fonts (every length cut short; bytes changed at random, with a
 * fixed seed): refused or rewritten, never read out of bounds (each copy
 * is its own allocation of its exact size, which ASan watches). */
static void damaged(void **state)
{
	(void)state;
	hb_blob_t *blob;
	hb_face_t *sub = subset(AMIRI, "بتثجخشضظغفقن", &blob);
	unsigned count = hb_face_get_glyph_count(sub), len;
	const unsigned char *data = (const unsigned char *)hb_blob_get_data(blob, &len);
	unsigned *order = malloc(sizeof *order * count);
	order[0] = 0;
	for (unsigned k = 1; k < count; k++)
		order[k] = count - k;
	unsigned char *out;
	size_t outlen;
	for (unsigned n = 0; n < len; n += 1 + n / 64) {
		unsigned char *cut = malloc(n ? n : 1);
		memcpy(cut, data, n);
		int rc = pdf_sfnt_reorder(cut, n, order, count, &out, &outlen);
		assert_true(rc == -1 || rc == 0);
		free(out);
		free(cut);
	}
	unsigned seed = 16;
	for (int round = 0; round < 300; round++) {
		unsigned char *bad = malloc(len);
		memcpy(bad, data, len);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			bad[(seed >> 8) % len] = (unsigned char)(seed >> 20);
		}
		int rc = pdf_sfnt_reorder(bad, len, order, count, &out, &outlen);
		assert_true(rc == -1 || rc == 0);
		free(out);
		free(bad);
	}
	free(order);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
}

static void liberation(void **state)
{
	(void)state;
	shuffled(LIBERATION, "Framework for combating the use of stolen mobile devices");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amiri_composites),
		cmocka_unit_test(liberation),
		cmocka_unit_test(damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
