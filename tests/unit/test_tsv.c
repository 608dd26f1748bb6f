/* test_tsv.c - the in-place TSV reader and array growth (tsv.c). Both are
 * engine-internal: includes base/base.h. */
#include "fixture.h"
#include "base/base.h"

/* The lines of text as "line N: f1|f2|...", one per line read. */
static void read_all(const char *text, size_t len, int max, char *out, size_t n)
{
	char *copy = malloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	tsv_reader t;
	tsv_init(&t, copy, len);
	char *f[8];
	int k;
	size_t o = 0;
	out[0] = '\0';
	while ((k = tsv_next(&t, f, max)) > 0) {
		o += (size_t)snprintf(out + o, n - o, "line %d: %d:", t.line, k);
		for (int i = 0; i < k && i < max; i++)
			o += (size_t)snprintf(out + o, n - o, "%s%s", i ? "|" : "", f[i]);
		o += (size_t)snprintf(out + o, n - o, "\n");
	}
	free(copy);
}

static void lines_and_fields(void **state)
{
	(void)state;
	char got[1024];
	const char *text = "# comment\n"
			   "a\tb\tc\n"
			   "\n"
			   "one\r\n"
			   "\t\t\n"
			   "x\ty";
	read_all(text, strlen(text), 8, got, sizeof got);
	/* comments and blank lines skipped but counted; CRLF taken; empty
	 * fields kept; the last line needs no newline */
	assert_string_equal(got, "line 2: 3:a|b|c\n"
				 "line 4: 1:one\n"
				 "line 5: 3:||\n"
				 "line 6: 2:x|y\n");
	/* a byte order mark is not data */
	const char *bom = "\xef\xbb\xbf" "alpha3\talpha2\n";
	read_all(bom, strlen(bom), 8, got, sizeof got);
	assert_string_equal(got, "line 1: 2:alpha3|alpha2\n");
	/* more fields than room: counted, not stored past max */
	const char *wide = "1\t2\t3\t4\t5\n";
	read_all(wide, strlen(wide), 3, got, sizeof got);
	assert_string_equal(got, "line 1: 5:1|2|3\n");
	/* only len bytes are read */
	read_all("a\tb\nc\td\n", 4, 8, got, sizeof got);
	assert_string_equal(got, "line 1: 2:a|b\n");
	read_all("", 0, 8, got, sizeof got);
	assert_string_equal(got, "");
	read_all("# only\n\n", 8, 8, got, sizeof got);
	assert_string_equal(got, "");
	/* a '#' later in a line is data */
	read_all("a#b\tc\n", 6, 8, got, sizeof got);
	assert_string_equal(got, "line 1: 2:a#b|c\n");
}

static void arrays_grow(void **state)
{
	(void)state;
	int *v = NULL;
	size_t cap = 0;
	assert_int_equal(array_reserve(&v, &cap, 1, sizeof *v), 0);
	assert_int_equal(cap, 16);
	assert_non_null(v);
	for (int i = 0; i < 16; i++)
		v[i] = i;
	assert_int_equal(array_reserve(&v, &cap, 16, sizeof *v), 0);
	assert_int_equal(cap, 16); /* enough room: unchanged */
	assert_int_equal(array_reserve(&v, &cap, 17, sizeof *v), 0);
	assert_int_equal(cap, 32);
	assert_int_equal(v[15], 15); /* kept */
	assert_int_equal(array_reserve(&v, &cap, 100, sizeof *v), 0);
	assert_int_equal(cap, 128);
	/* an impossible size: refused, the array left as it was */
	int *before = v;
	assert_int_equal(array_reserve(&v, &cap, SIZE_MAX / 2, sizeof *v), -1);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 128);
	assert_int_equal(v[15], 15);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_and_fields),
		cmocka_unit_test(arrays_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
