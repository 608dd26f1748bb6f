/* test_scan.c - a scan's page made upright (scan_upright: quarter turns
 * exact, skew resampled in points, small skew left alone) and the page number a form's
 * QR code ends with (scan_qr_page: ":p2"; none on forms made before). */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pdf/scan.h"

/* A w x h image whose pixel (x, y) is 10 * y + x (w, h under 10). */
static scan_image numbered(int w, int h)
{
	scan_image im = { w, h, malloc((size_t)(w * h)), 0, 0 };
	assert_non_null(im.px);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			im.px[y * w + x] = (unsigned char)(10 * y + x);
	return im;
}

static unsigned char at(const scan_image *im, int x, int y)
{
	return im->px[y * im->w + x];
}

static void quarter_turns(void **state)
{
	(void)state;
	/* a page turned 90 degrees clockwise is turned back counterclockwise:
	 * its top-left corner was at the image's top-right */
	scan_image im = numbered(3, 2);
	assert_int_equal(scan_upright(&im, 90), 0);
	assert_int_equal(im.w, 2);
	assert_int_equal(im.h, 3);
	assert_int_equal(at(&im, 0, 0), 2);  /* (2, 0) */
	assert_int_equal(at(&im, 1, 0), 12); /* (2, 1) */
	assert_int_equal(at(&im, 0, 2), 0);  /* (0, 0) */
	free(im.px);
	im = numbered(3, 2);
	assert_int_equal(scan_upright(&im, -90.4), 0); /* counterclockwise */
	assert_int_equal(im.w, 2);
	assert_int_equal(at(&im, 0, 0), 10); /* (0, 1) */
	assert_int_equal(at(&im, 1, 2), 2);  /* (2, 0) */
	free(im.px);
	im = numbered(3, 2);
	assert_int_equal(scan_upright(&im, 179.2), 0); /* upside down */
	assert_int_equal(im.w, 3);
	assert_int_equal(at(&im, 0, 0), 12);
	assert_int_equal(at(&im, 2, 1), 0);
	free(im.px);
	im = numbered(3, 2);
	assert_int_equal(scan_upright(&im, SCAN_SKEW_KEPT - 0.1), 0);
	for (int k = 0; k < 6; k++) /* a small skew: left as it is */
		assert_int_equal(im.px[k], 10 * (k / 3) + k % 3);
	free(im.px);
}

static void skew(void **state)
{
	(void)state;
	/* a dark dot 20 pixels right of the centre of a page turned 10
	 * degrees clockwise is found back on the centre's row */
	scan_image im = { 101, 101, malloc(101 * 101), 0, 0 };
	assert_non_null(im.px);
	memset(im.px, 255, 101 * 101);
	double t = 10 * 3.14159265358979 / 180;
	int dx = (int)(20 * cos(t) + 0.5), dy = (int)(20 * sin(t) + 0.5);
	for (int y = -1; y <= 1; y++)
		for (int x = -1; x <= 1; x++)
			im.px[(50 + dy + y) * 101 + 50 + dx + x] = 0;
	assert_int_equal(scan_upright(&im, 10), 0);
	assert_int_equal(im.w, 101);
	assert_true(at(&im, 70, 50) < 128);
	assert_true(at(&im, 50 + dx, 50 + dy) > 128);
	free(im.px);
}

/* A fax's pixels are twice as tall as wide (xres 2, yres 1 here): the
 * page is turned in points, and a quarter turn swaps the resolutions. */
static void skew_fax(void **state)
{
	(void)state;
	scan_image im = { 201, 101, malloc(201 * 101), 204, 102 };
	assert_non_null(im.px);
	memset(im.px, 255, 201 * 101);
	/* a dot 80 points right of the centre, the page turned 10 degrees:
	 * 14 points down, 7 pixels (square pixels would put it 14 down) */
	double t = 10 * 3.14159265358979 / 180;
	int dx = (int)(80 * cos(t) + 0.5), dy = (int)(80 * sin(t) / 2 + 0.5);
	for (int y = -1; y <= 1; y++)
		for (int x = -1; x <= 1; x++)
			im.px[(50 + dy + y) * 201 + 100 + dx + x] = 0;
	assert_int_equal(scan_upright(&im, 10), 0);
	assert_true(at(&im, 180, 50) < 128);
	assert_true(at(&im, 100 + dx, 50 + dy) > 128);
	free(im.px);
	im = numbered(3, 2);
	im.xres = 204, im.yres = 98;
	assert_int_equal(scan_upright(&im, 90), 0);
	assert_true(im.xres == 98 && im.yres == 204);
	assert_int_equal(scan_upright(&im, 180), 0);
	assert_true(im.xres == 98 && im.yres == 204);
	free(im.px);
}

static void page_numbers(void **state)
{
	(void)state;
	char a[] = "ballot:205:FRA:en:0123456789abcdef:p2";
	assert_int_equal(scan_qr_page(a), 2);
	assert_string_equal(a, "ballot:205:FRA:en:0123456789abcdef");
	char b[] = "ballot:205:FRA:en:0123456789abcdef:p13";
	assert_int_equal(scan_qr_page(b), 13);
	assert_string_equal(b, "ballot:205:FRA:en:0123456789abcdef");
	/* a form made before page numbers: unchanged, found by best fit */
	char c[] = "ballot:205:FRA:en:0123456789abcdef";
	assert_int_equal(scan_qr_page(c), 0);
	assert_string_equal(c, "ballot:205:FRA:en:0123456789abcdef");
	static const char *const bad[] = { "x:p", "x:p0", "x:p2a", "x:q2",
					   "x:p12345", "x" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char t[32];
		strcpy(t, bad[i]);
		assert_int_equal(scan_qr_page(t), 0);
		assert_string_equal(t, bad[i]);
	}
}

/* scan_decide on a row of three boxes: the shares of ink inside each. */
static bt_choice decide3(double a, double b, double c, const char **why)
{
	const double ink[3] = { a, b, c }, ring[3] = { 0, 0, 0 };
	const bt_choice ch[3] = { BT_AUTHORIZE, BT_AUTHORIZE_WITH_COMMENTS, BT_NOT_AUTHORIZE };
	double conf;
	*why = NULL;
	return scan_decide(ink, ring, ch, 3, &conf, why);
}

/* The other boxes' ink is judged over the cleanest one's (speckle of a fax
 * reaches all boxes), up to a floor of 0.02: a faint mark in one other box,
 * or in both, still makes the row uncertain. */
static void noise_floor(void **state)
{
	(void)state;
	const char *why;
	/* a fax's speckle: 0.028 and 0.044 beside a filled box (seen in CI) */
	assert_int_equal(decide3(0.028, 0.044, 0.983, &why), BT_NOT_AUTHORIZE);
	assert_null(why);
	/* clean paper: 0.044 in another box is a mark */
	assert_int_equal(decide3(0.0, 0.044, 0.983, &why), BT_CHOICE_NONE);
	assert_string_equal(why, "another box has marks");
	/* both others faintly marked: the floor counts 0.02 at most */
	assert_int_equal(decide3(0.065, 0.065, 0.9, &why), BT_CHOICE_NONE);
	assert_string_equal(why, "another box has marks");
	assert_int_equal(decide3(0.01, 0.2, 0.9, &why), BT_CHOICE_NONE);
	assert_string_equal(why, "several boxes ticked");
	assert_int_equal(decide3(0.01, 0.02, 0.05, &why), BT_CHOICE_NONE);
	assert_string_equal(why, "no box ticked");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quarter_turns),
		cmocka_unit_test(skew),
		cmocka_unit_test(skew_fax),
		cmocka_unit_test(page_numbers),
		cmocka_unit_test(noise_floor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
