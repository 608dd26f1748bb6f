/* test_returned.c - the returned forms an administration uploaded, kept for
 * the reply they pre-fill (src/portal/returned.c), on a clock the test
 * moves: kept under a random id, found only by its session, circular and
 * id, copied out byte for byte; one per session and circular (a new upload
 * replaces the old); gone after PORTAL_RETURNED_LIFE_MS or once dropped;
 * at most PORTAL_RETURNED_MAX forms and the keeper's bytes, the one that
 * expires first making room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "portal/returned.h"

/* A keeper of 64 KiB (the server's holds PORTAL_RETURNED_BYTES_MAX). */
#define MAX_BYTES (64 * 1024)
static preturns *keeper(void)
{
	preturns *k = NULL;
	bt_err e;
	assert_int_equal(returned_new(&k, MAX_BYTES, &e), 0);
	return k;
}

/* A form of session s for circular c holding len bytes of value fill. */
static preturned *form(const char *s, const char *c, size_t len, int fill)
{
	preturned *x = calloc(1, sizeof *x);
	assert_non_null(x);
	snprintf(x->session, sizeof x->session, "%s", s);
	snprintf(x->circular, sizeof x->circular, "%s", c);
	snprintf(x->name, sizeof x->name, "form.pdf");
	bt_buf_init(&x->pdf, len + 1);
	char *b = malloc(len ? len : 1);
	assert_non_null(b);
	memset(b, fill, len);
	assert_int_equal(bt_buf_add(&x->pdf, b, len), 0);
	free(b);
	x->n = 1;
	snprintf(x->choices[0].rec, sizeof x->choices[0].rec, "Q.5051");
	x->choices[0].choice = BT_AUTHORIZE;
	return x;
}

static void put(preturns *k, preturned *x, int64_t now, char id[33])
{
	bt_err e;
	assert_int_equal(returned_put(k, x, now, &e), 0);
	assert_int_equal(strlen(x->id), 32);
	snprintf(id, 33, "%s", x->id);
}

static void kept_for_its_session(void **state)
{
	(void)state;
	preturns *k = keeper();
	char id[33];
	put(k, form("s1", "205", 1000, 'a'), 0, id);
	preturned *got = returned_get(k, "s1", "205", id, 1);
	assert_non_null(got);
	assert_int_equal(got->pdf.len, 1000);
	assert_int_equal(got->pdf.data[999], 'a');
	assert_string_equal(got->choices[0].rec, "Q.5051");
	assert_int_equal(got->choices[0].choice, BT_AUTHORIZE);
	returned_release(got);
	/* any id: the session's form for the circular */
	got = returned_get(k, "s1", "205", NULL, 1);
	assert_non_null(got);
	returned_release(got);
	/* another session, another circular, another id: nothing */
	assert_null(returned_get(k, "s2", "205", id, 1));
	assert_null(returned_get(k, "s1", "206", id, 1));
	assert_null(returned_get(k, "s1", "205", "0123456789abcdef0123456789abcdef", 1));
	returned_free(k);
}

static void replaced_expired_dropped(void **state)
{
	(void)state;
	preturns *k = keeper();
	char a[33], b[33];
	put(k, form("s1", "205", 10, 'a'), 0, a);
	put(k, form("s1", "205", 20, 'b'), 5, b);
	assert_string_not_equal(a, b);
	assert_null(returned_get(k, "s1", "205", a, 6)); /* replaced */
	preturned *got = returned_get(k, "s1", "205", b, 6);
	assert_non_null(got);
	assert_int_equal(got->pdf.len, 20);
	returned_release(got);
	/* expiry: PORTAL_RETURNED_LIFE_MS after it was kept */
	got = returned_get(k, "s1", "205", b, 5 + PORTAL_RETURNED_LIFE_MS - 1);
	assert_non_null(got);
	returned_release(got);
	assert_null(returned_get(k, "s1", "205", b, 5 + PORTAL_RETURNED_LIFE_MS));
	/* dropped once recorded */
	put(k, form("s2", "205", 10, 'c'), 0, a);
	returned_drop(k, "s2", "205", "not-its-id");
	got = returned_get(k, "s2", "205", a, 1);
	assert_non_null(got);
	returned_release(got);
	returned_drop(k, "s2", "205", a);
	assert_null(returned_get(k, "s2", "205", a, 1));
	returned_free(k);
}

static void bounded(void **state)
{
	(void)state;
	preturns *k = keeper();
	char first[33], id[33], s[16];
	/* one more form than the bound: the one that expires first goes */
	put(k, form("s0", "205", 1, 'x'), 0, first);
	for (int i = 1; i <= PORTAL_RETURNED_MAX; i++) {
		snprintf(s, sizeof s, "s%d", i);
		put(k, form(s, "205", 1, 'x'), i, id);
	}
	assert_null(returned_get(k, "s0", "205", first, PORTAL_RETURNED_MAX + 1));
	preturned *got = returned_get(k, "s1", "205", NULL, PORTAL_RETURNED_MAX + 1);
	assert_non_null(got);
	returned_release(got);
	returned_free(k);
	/* bytes: two forms of more than half the cap do not fit together */
	k = keeper();
	size_t big = MAX_BYTES / 2 + 1;
	put(k, form("a", "205", big, 'a'), 0, first);
	put(k, form("b", "205", big, 'b'), 1, id);
	assert_null(returned_get(k, "a", "205", first, 2));
	got = returned_get(k, "b", "205", id, 2);
	assert_non_null(got);
	assert_int_equal(got->pdf.len, big);
	returned_release(got);
	returned_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kept_for_its_session),
		cmocka_unit_test(replaced_expired_dropped),
		cmocka_unit_test(bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
