/* test_names.c - Member State names per language, and the .mo reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "ballot/ballot.h"
#include "ballot/json.h"
#include "pdf/mo.h"
#include "pdf/names.h"

#ifndef BALLOT_FORMS_DIR
#define BALLOT_FORMS_DIR "forms" /* tests run from the repository root */
#endif

static const char *const LANGS[] = { "en", "fr", "es", "ru", "zh", "ar" };
#define N_LANGS (sizeof LANGS / sizeof LANGS[0])

/* A scratch directory per test, removed afterwards. */
typedef struct tdir {
	char path[64];
} tdir;

static int setup(void **state)
{
	tdir *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	snprintf(t->path, sizeof t->path, "/tmp/ballot-names-XXXXXX");
	if (!mkdtemp(t->path))
		return -1;
	/* The default locale directory unless a test says otherwise. */
	unsetenv("BALLOT_LOCALEDIR");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tdir *t = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->path);
	int rc = system(cmd);
	free(t);
	unsetenv("BALLOT_LOCALEDIR");
	return rc == 0 ? 0 : -1;
}

/* Creates dir/rel (and its parent directories) holding len bytes of data. */
static void put_file(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void put_text(const char *dir, const char *rel, const char *text)
{
	put_file(dir, rel, text, strlen(text));
}

static void put_word(unsigned char *p, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Builds a .mo catalog of n (original, translation) pairs (originals sorted)
 * in out: header, originals table, translations table, then the strings. */
static size_t build_mo(const char *const (*pairs)[2], size_t n, int big, unsigned char *out,
		       size_t cap)
{
	size_t at = 28 + 16 * n;
	assert_true(at <= cap);
	memset(out, 0, at);
	put_word(out, 0x950412de, big);
	put_word(out + 8, (uint32_t)n, big);
	put_word(out + 12, 28, big);
	put_word(out + 16, (uint32_t)(28 + 8 * n), big);
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(pairs[i][k]);
			assert_true(at + len + 1 <= cap);
			unsigned char *ent = out + 28 + 8 * (n * (size_t)k + i);
			put_word(ent, (uint32_t)len, big);
			put_word(ent + 4, (uint32_t)at, big);
			memcpy(out + at, pairs[i][k], len + 1);
			at += len + 1;
		}
	return at;
}

static const char *const SMALL[][2] = {
	{ "", "Content-Type: text/plain; charset=UTF-8\n" },
	{ "France", "France" },
	{ "Germany", "Allemagne" },
	{ "Russian Federation", "Fédération de Russie" },
};
#define N_SMALL (sizeof SMALL / sizeof SMALL[0])

static void member_catalogs_have_known_names(void **state)
{
	tdir *t = *state; /* an empty forms directory: no overrides */
	static const struct {
		const char *lang, *code, *en, *want;
	} cases[] = {
		{ "fr", "FRA", "France", "France" },
		{ "fr", "DEU", "Germany", "Allemagne" },
		{ "es", "DEU", "Germany", "Alemania" },
		{ "ru", "RUS", "Russian Federation", "Российская Федерация" },
		{ "zh", "DEU", "Germany", "德国" },
		{ "zh", "CHN", "China", "中国" },
		{ "ar", "FRA", "France", "فرنسا" },
		{ "fr", "CIV", "Côte d'Ivoire", "Côte d'Ivoire" },
	};
	bt_err e;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pdf_names *n;
		assert_int_equal(pdf_names_load(t->path, cases[i].lang, &n, &e), BT_OK);
		const char *got = pdf_names_get(n, cases[i].code, cases[i].en);
		assert_non_null(got);
		assert_string_equal(got, cases[i].want);
		/* Not a name of the catalog; and "" must not give the header. */
		assert_null(pdf_names_get(n, "XXX", "Atlantis"));
		assert_null(pdf_names_get(n, "XXX", ""));
		assert_null(pdf_names_get(n, "XXX", NULL));
		pdf_names_free(n);
	}
}

static void english_is_the_iso_name_unless_overridden(void **state)
{
	tdir *t = *state;
	bt_err e;
	pdf_names *n;
	const char *belgium = "Belgium";
	assert_int_equal(pdf_names_load(t->path, "en", &n, &e), BT_OK);
	assert_ptr_equal(pdf_names_get(n, "BEL", belgium), belgium);
	assert_string_equal(pdf_names_get(n, "KOR", "Korea, Republic of"), "Korea, Republic of");
	assert_null(pdf_names_get(n, "BEL", NULL));
	pdf_names_free(n);

	/* The shipped overrides give ITU's designations. */
	assert_int_equal(pdf_names_load(BALLOT_FORMS_DIR, "en", &n, &e), BT_OK);
	assert_string_equal(pdf_names_get(n, "KOR", "Korea, Republic of"), "Korea (Rep. of)");
	assert_string_equal(pdf_names_get(n, "IRN", "Iran, Islamic Republic of"),
			    "Iran (Islamic Republic of)");
	assert_string_equal(pdf_names_get(n, "BEL", belgium), "Belgium");
	pdf_names_free(n);

	/* English needs no catalog at all. */
	setenv("BALLOT_LOCALEDIR", t->path, 1);
	assert_int_equal(pdf_names_load(t->path, "en", &n, &e), BT_OK);
	pdf_names_free(n);
}

static void overrides_come_before_the_catalog(void **state)
{
	tdir *t = *state;
	put_text(t->path, "names/fr.tsv",
		 "\xef\xbb\xbf# a comment, then a blank line\n"
		 "\n"
		 "FRA\tRépublique française\r\n"
		 "#DEU\tcommented out\n"
		 "ATA\tAntarctique (pas membre)"); /* no final newline */
	bt_err e;
	pdf_names *n;
	assert_int_equal(pdf_names_load(t->path, "fr", &n, &e), BT_OK);
	assert_string_equal(pdf_names_get(n, "FRA", "France"), "République française");
	/* By code: the English name given does not matter to an override. */
	assert_string_equal(pdf_names_get(n, "FRA", NULL), "République française");
	assert_string_equal(pdf_names_get(n, "DEU", "Germany"), "Allemagne");
	assert_string_equal(pdf_names_get(n, "ATA", "Nowhere"), "Antarctique (pas membre)");
	pdf_names_free(n);

	/* Another language does not see fr.tsv. */
	assert_int_equal(pdf_names_load(t->path, "es", &n, &e), BT_OK);
	assert_string_equal(pdf_names_get(n, "FRA", "France"), "Francia");
	pdf_names_free(n);

	/* The shipped French file fills the gap iso-codes leaves for Türkiye. */
	assert_int_equal(pdf_names_load(BALLOT_FORMS_DIR, "fr", &n, &e), BT_OK);
	assert_string_equal(pdf_names_get(n, "TUR", "Türkiye"), "Türkiye");
	assert_string_equal(pdf_names_get(n, "KOR", "Korea, Republic of"), "République de Corée");
	pdf_names_free(n);
}

static void unknown_languages_are_refused(void **state)
{
	tdir *t = *state;
	const char *bad[] = { "de", "EN", "", "zh_CN", "fr\n", "english", NULL };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bt_err e;
		pdf_names *n = (pdf_names *)1;
		assert_int_equal(pdf_names_load(t->path, bad[i], &n, &e), BT_EINPUT);
		assert_int_equal(e.code, BT_EINPUT);
		assert_null(n);
		assert_non_null(strstr(e.msg, "not one of en fr es ru zh ar"));
		assert_true(bt_text_clean(e.msg, 0));
	}
}

static void bad_override_lines_are_refused_with_their_line(void **state)
{
	tdir *t = *state;
	static const struct {
		const char *line, *problem;
		size_t len; /* 0: strlen */
	} cases[] = {
		{ "kor\tKorea", "not 3 uppercase letters", 0 },
		{ "KO\tKorea", "not 3 uppercase letters", 0 },
		{ "KORE\tKorea", "not 3 uppercase letters", 0 },
		{ "K1R\tKorea", "not 3 uppercase letters", 0 },
		{ "\tKorea", "not 3 uppercase letters", 0 },
		{ "KOR Korea", "expected CODE<TAB>name", 0 },
		{ "KOR", "expected CODE<TAB>name", 0 },
		{ "KOR\t", "empty name", 0 },
		{ "KOR\tKorea\tRep. of", "more than two fields", 0 },
		{ "FRA\tFrance again", "duplicate code (first on line 1)", 0 },
		{ "KOR\tKo\x01rea", "control characters", 0 },
		{ "KOR\tKo\x7frea", "control characters", 0 },
		{ "KOR\tKo\xc2\x85rea", "control characters", 0 }, /* C1 NEL */
		{ "KOR\tKo\rrea", "control characters", 0 },
		{ "KOR\t\xff\xfe", "not valid UTF-8", 0 },
		{ "KOR\tKor\xc3", "not valid UTF-8", 0 },      /* cut sequence */
		{ "KOR\t\xc0\xaf", "not valid UTF-8", 0 },     /* overlong */
		{ "KOR\t\xed\xa0\x80", "not valid UTF-8", 0 }, /* surrogate */
		{ "KOR\t Korea", "leading or trailing spaces", 0 },
		{ "KOR\tKorea ", "leading or trailing spaces", 0 },
		{ "KOR\tKo\0rea", "NUL byte", 9 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[128];
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].line);
		size_t head = (size_t)snprintf(text, sizeof text, "FRA\tFrance\n# comment\n");
		memcpy(text + head, cases[i].line, len);
		memcpy(text + head + len, "\nDEU\tAllemagne\n", 15);
		put_file(t->path, "names/fr.tsv", text, head + len + 15);
		bt_err e;
		pdf_names *n = (pdf_names *)1;
		int rc = pdf_names_load(t->path, "fr", &n, &e);
		if (rc != BT_EINPUT || !strstr(e.msg, "fr.tsv' line 3:") ||
		    !strstr(e.msg, cases[i].problem))
			fail_msg("case %zu: rc %d, message '%s'", i, rc, rc ? e.msg : "");
		assert_null(n);
		assert_true(bt_text_clean(e.msg, 0)); /* the bad bytes are not echoed */
	}

	/* Something that is not a file is refused too. */
	char path[128];
	snprintf(path, sizeof path, "%s/names/fr.tsv", t->path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	bt_err e;
	pdf_names *n;
	assert_int_equal(pdf_names_load(t->path, "fr", &n, &e), BT_EINPUT);
	assert_non_null(strstr(e.msg, "fr.tsv"));
}

static void a_missing_catalog_names_iso_codes(void **state)
{
	tdir *t = *state;
	setenv("BALLOT_LOCALEDIR", t->path, 1);
	bt_err e;
	pdf_names *n = (pdf_names *)1;
	assert_int_equal(pdf_names_load(t->path, "zh", &n, &e), BT_EFAIL);
	assert_null(n);
	assert_non_null(strstr(e.msg, "iso-codes"));
	assert_non_null(strstr(e.msg, "/zh_CN/LC_MESSAGES/iso_3166-1.mo"));

	/* $BALLOT_LOCALEDIR is where the catalogs are looked for. */
	unsigned char mo[512];
	size_t len = build_mo(SMALL, N_SMALL, 0, mo, sizeof mo);
	put_file(t->path, "zh_CN/LC_MESSAGES/iso_3166-1.mo", mo, len);
	assert_int_equal(pdf_names_load(t->path, "zh", &n, &e), BT_OK);
	assert_string_equal(pdf_names_get(n, "DEU", "Germany"), "Allemagne");
	pdf_names_free(n);
}

/* Loads t's French catalog (written by the caller) and expects BT_EFAIL
 * with want in the message. */
static void expect_bad_catalog(tdir *t, const void *mo, size_t len, const char *want)
{
	put_file(t->path, "fr/LC_MESSAGES/iso_3166-1.mo", mo, len);
	bt_err e;
	pdf_names *n = (pdf_names *)1;
	int rc = pdf_names_load(t->path, "fr", &n, &e);
	if (rc != BT_EFAIL || !strstr(e.msg, want))
		fail_msg("%zu-byte catalog: rc %d, message '%s', wanted '%s'", len, rc,
			 rc ? e.msg : "", want);
	assert_null(n);
	assert_non_null(strstr(e.msg, "iso_3166-1.mo"));
}

static void corrupt_catalog_files_are_errors(void **state)
{
	tdir *t = *state;
	setenv("BALLOT_LOCALEDIR", t->path, 1);
	unsigned char mo[512];
	size_t len = build_mo(SMALL, N_SMALL, 0, mo, sizeof mo);

	expect_bad_catalog(t, mo, 0, "shorter than the header");
	expect_bad_catalog(t, mo, 27, "shorter than the header");
	expect_bad_catalog(t, mo, len - 1, "outside the file or unterminated");
	expect_bad_catalog(t, "\xde\x12\x04\x94 not a catalog, just some text", 33,
			   "bad magic number");

	/* A truncated copy of the real French catalog. */
	bt_buf real = BT_BUF_INIT;
	bt_err e;
	assert_int_equal(bt_file_read("/usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo", "test",
				      PDF_MO_MAX, &real, &e), BT_OK);
	expect_bad_catalog(t, real.data, real.len / 2, "corrupt .mo file");
	expect_bad_catalog(t, real.data, real.len - 1, "corrupt .mo file");
	bt_buf_release(&real);

	/* A well-formed catalog whose translations are not clean text. */
	const char *const ctl[][2] = { { "France", "Fr\nance" } };
	len = build_mo(ctl, 1, 0, mo, sizeof mo);
	expect_bad_catalog(t, mo, len, "not clean UTF-8");
	const char *const latin1[][2] = { { "France", "R\xe9publique" } };
	len = build_mo(latin1, 1, 1, mo, sizeof mo);
	expect_bad_catalog(t, mo, len, "not clean UTF-8");

	/* A directory where the file should be. */
	char path[128];
	snprintf(path, sizeof path, "%s/fr/LC_MESSAGES/iso_3166-1.mo", t->path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	pdf_names *n;
	assert_int_equal(pdf_names_load(t->path, "fr", &n, &e), BT_EFAIL);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

/* Parses len bytes and expects BT_EFAIL with want in the message. */
static void expect_bad_mo(const unsigned char *mo, size_t len, const char *want)
{
	bt_err e;
	pdf_mo *m = (pdf_mo *)1;
	int rc = pdf_mo_parse(mo, len, "t.mo", &m, &e);
	if (rc != BT_EFAIL || !strstr(e.msg, want))
		fail_msg("rc %d, message '%s', wanted '%s'", rc, rc ? e.msg : "", want);
	assert_null(m);
}

static void mo_reader_checks_every_offset(void **state)
{
	(void)state;
	unsigned char good[512], mo[512];
	for (int big = 0; big <= 1; big++) {
		size_t len = build_mo(SMALL, N_SMALL, big, good, sizeof good);
		bt_err e;
		pdf_mo *m;
		assert_int_equal(pdf_mo_parse(good, len, "t.mo", &m, &e), BT_OK);
		assert_int_equal(pdf_mo_count(m), N_SMALL);
		for (size_t i = 0; i < N_SMALL; i++)
			assert_string_equal(pdf_mo_get(m, SMALL[i][0]), SMALL[i][1]);
		assert_null(pdf_mo_get(m, "Atlantis"));
		assert_null(pdf_mo_get(m, "Franc"));
		assert_null(pdf_mo_get(m, "Francee"));
		pdf_mo_free(m);

		/* Every truncation loses at least the last string's NUL. */
		for (size_t cut = 0; cut < len; cut++)
			expect_bad_mo(good, cut, cut < 28 ? "shorter than the header" : "corrupt");

		uint32_t n = N_SMALL, ttab = 28 + 8 * N_SMALL;
		memcpy(mo, good, len);
		mo[big ? 3 : 0] ^= 0xff;
		expect_bad_mo(mo, len, "bad magic number");
		memcpy(mo, good, len);
		put_word(mo + 4, 2u << 16, big);
		expect_bad_mo(mo, len, "unsupported .mo revision 2.0");
		memcpy(mo, good, len);
		put_word(mo + 8, 0xffffffffu, big); /* N */
		expect_bad_mo(mo, len, "end past the file");
		memcpy(mo, good, len);
		put_word(mo + 12, (uint32_t)len - 8, big); /* originals table */
		expect_bad_mo(mo, len, "end past the file");
		memcpy(mo, good, len);
		put_word(mo + 16, 0xfffffff8u, big); /* translations table */
		expect_bad_mo(mo, len, "end past the file");
		memcpy(mo, good, len);
		put_word(mo + 28 + 4, 0xfffffff0u, big); /* offset of original 0 */
		expect_bad_mo(mo, len, "string 0 is outside the file");
		memcpy(mo, good, len);
		put_word(mo + ttab + 8 * (n - 1), 0xffffffffu, big); /* length of last translation */
		expect_bad_mo(mo, len, "string 3 is outside the file");
		memcpy(mo, good, len);
		put_word(mo + ttab + 8 + 4, (uint32_t)len, big); /* translation 1 past the end */
		expect_bad_mo(mo, len, "string 1 is outside the file");
		memcpy(mo, good, len);
		mo[len - 1] = 'x'; /* the last translation loses its NUL */
		expect_bad_mo(mo, len, "string 3 is outside the file or unterminated");
		memcpy(mo, good, len);
		/* Originals 1 and 2 swapped: a binary search could miss them. */
		memcpy(mo + 28 + 8, good + 28 + 16, 8);
		memcpy(mo + 28 + 16, good + 28 + 8, 8);
		expect_bad_mo(mo, len, "out of order at entry 2");

		/* An empty catalog is valid and finds nothing. */
		len = build_mo(SMALL, 0, big, mo, sizeof mo);
		assert_int_equal(pdf_mo_parse(mo, len, "t.mo", &m, &e), BT_OK);
		assert_null(pdf_mo_get(m, ""));
		pdf_mo_free(m);
	}
}

/* Any single damaged byte gives an error or a catalog that is safe to use
 * (under AddressSanitizer this would catch a read outside the file). */
static void mo_reader_survives_damaged_bytes(void **state)
{
	(void)state;
	unsigned char good[512], mo[512];
	const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	for (int big = 0; big <= 1; big++) {
		size_t len = build_mo(SMALL, N_SMALL, big, good, sizeof good);
		for (size_t at = 0; at < len; at++)
			for (size_t v = 0; v < sizeof vals + 1; v++) {
				memcpy(mo, good, len);
				mo[at] = v < sizeof vals ? vals[v] : (unsigned char)(good[at] ^ 0x10);
				bt_err e;
				pdf_mo *m;
				if (pdf_mo_parse(mo, len, "t.mo", &m, &e) != BT_OK) {
					assert_null(m);
					continue;
				}
				for (size_t i = 0; i < N_SMALL; i++) {
					const char *s = pdf_mo_get(m, SMALL[i][0]);
					if (s)
						assert_true(strlen(s) < len);
				}
				for (size_t i = 0; i < pdf_mo_count(m); i++) {
					const char *o, *tr;
					size_t ol, tl;
					pdf_mo_entry(m, i, &o, &ol, &tr, &tl);
					assert_ptr_equal(pdf_mo_get(m, o), tr);
					assert_true(strlen(tr) <= tl);
				}
				pdf_mo_free(m);
			}
	}
}

/* The real French catalog, rewritten big-endian, reads the same. */
static void mo_reader_reads_both_byte_orders(void **state)
{
	(void)state;
	bt_err e;
	pdf_mo *le, *be;
	assert_int_equal(pdf_mo_open("/usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo", &le, &e),
			 BT_OK);
	size_t n = pdf_mo_count(le);
	assert_true(n > 200);
	const char *(*pairs)[2] = calloc(n, sizeof *pairs);
	assert_non_null(pairs);
	for (size_t i = 0; i < n; i++) {
		size_t ol, tl;
		pdf_mo_entry(le, i, &pairs[i][0], &ol, &pairs[i][1], &tl);
	}
	size_t cap = 1024 * 1024;
	unsigned char *buf = malloc(cap);
	assert_non_null(buf);
	size_t len = build_mo((const char *const (*)[2])pairs, n, 1, buf, cap);
	assert_int_equal(pdf_mo_parse(buf, len, "be.mo", &be, &e), BT_OK);
	assert_int_equal(pdf_mo_count(be), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(pdf_mo_get(be, pairs[i][0]), pdf_mo_get(le, pairs[i][0]));
	assert_string_equal(pdf_mo_get(be, "Germany"), "Allemagne");
	pdf_mo_free(be);
	pdf_mo_free(le);
	free(buf);
	free(pairs);
}

/* Every Member State of forms/member-states.tsv has a name in every
 * language, from the shipped overrides or the installed iso-codes. */
static void every_member_has_a_name_in_every_language(void **state)
{
	(void)state;
	bt_buf tsv = BT_BUF_INIT;
	bt_err e;
	assert_int_equal(bt_file_read(BALLOT_FORMS_DIR "/member-states.tsv", "test", 1 << 20, &tsv,
				      &e), BT_OK);
	pdf_names *names[N_LANGS];
	for (size_t l = 0; l < N_LANGS; l++)
		if (pdf_names_load(BALLOT_FORMS_DIR, LANGS[l], &names[l], &e) != BT_OK)
			fail_msg("%s: %s", LANGS[l], e.msg);
	int members = 0, header = 0;
	for (char *line = tsv.data, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		char *f[4] = { line, NULL, NULL, NULL };
		for (int i = 1; i < 4; i++) {
			char *tab = strchr(f[i - 1], '\t');
			assert_non_null(tab);
			*tab = '\0';
			f[i] = tab + 1;
		}
		if (!header) { /* alpha3 alpha2 name member_since */
			assert_string_equal(f[2], "name");
			header = 1;
			continue;
		}
		members++;
		for (size_t l = 0; l < N_LANGS; l++) {
			const char *s = pdf_names_get(names[l], f[0], f[2]);
			if (!s || !*s || !bt_text_clean(s, 0))
				fail_msg("%s %s (%s) has no name", LANGS[l], f[0], f[2]);
		}
	}
	assert_int_equal(members, 194);
	for (size_t l = 0; l < N_LANGS; l++)
		pdf_names_free(names[l]);
	bt_buf_release(&tsv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(member_catalogs_have_known_names, setup, teardown),
		cmocka_unit_test_setup_teardown(english_is_the_iso_name_unless_overridden, setup, teardown),
		cmocka_unit_test_setup_teardown(overrides_come_before_the_catalog, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_languages_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_override_lines_are_refused_with_their_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_missing_catalog_names_iso_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(corrupt_catalog_files_are_errors, setup, teardown),
		cmocka_unit_test(mo_reader_checks_every_offset),
		cmocka_unit_test(mo_reader_survives_damaged_bytes),
		cmocka_unit_test(mo_reader_reads_both_byte_orders),
		cmocka_unit_test_setup_teardown(every_member_has_a_name_in_every_language, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
