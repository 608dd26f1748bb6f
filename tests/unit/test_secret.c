/* test_secret.c - the salted slow hash of reply codes and passwords, hex,
 * random bytes and constant-time comparison (secret.c). secret_hash,
 * secret_verify and hex_* are engine-internal: includes base/base.h. */
#include "fixture.h"
#include "base/base.h"

#define SALT "000102030405060708090a0b0c0d0e0f"
/* PBKDF2-HMAC-SHA256("correct horse", bytes 0..15, 1000), by Python's hashlib */
#define KNOWN "pbkdf2-sha256$1000$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864"

static void hash_format_and_verify(void **state)
{
	(void)state;
	char h1[SECRET_HASH_MAX], h2[SECRET_HASH_MAX];
	bt_err e;
	assert_int_equal(secret_hash("correct horse", 13, 1000, h1, &e), BT_OK);
	assert_int_equal(strncmp(h1, "pbkdf2-sha256$1000$", 19), 0);
	assert_int_equal(strlen(h1), 19 + 32 + 1 + 64);
	assert_int_equal(h1[19 + 32], '$');
	assert_true(hex_lower(h1 + 19 + 33, 64));
	/* a fresh salt each time */
	assert_int_equal(secret_hash("correct horse", 13, 1000, h2, &e), BT_OK);
	assert_string_not_equal(h1, h2);
	assert_int_equal(secret_verify(h1, "correct horse", 13, 1000), 1);
	assert_int_equal(secret_verify(h2, "correct horse", 13, 1000), 1);
	assert_int_equal(secret_verify(h1, "correct horsf", 13, 1000), 0);
	assert_int_equal(secret_verify(h1, "correct hors", 12, 1000), 0);
	/* the length counts, not a terminating NUL */
	char with_nul[SECRET_HASH_MAX];
	assert_int_equal(secret_hash("ab\0c", 4, 10, with_nul, &e), BT_OK);
	assert_int_equal(secret_verify(with_nul, "ab\0c", 4, 10), 1);
	assert_int_equal(secret_verify(with_nul, "ab", 2, 10), 0);
	assert_int_equal(secret_verify(with_nul, "ab\0d", 4, 10), 0);
	/* the empty secret is a secret like any other */
	assert_int_equal(secret_hash("", 0, 1, h2, &e), BT_OK);
	assert_int_equal(secret_verify(h2, "", 0, 1), 1);
	assert_int_equal(secret_verify(h2, "x", 1, 1), 0);
}

static void known_answer(void **state)
{
	(void)state;
	assert_int_equal(secret_verify(KNOWN, "correct horse", 13, 1), 1);
	assert_int_equal(secret_verify(KNOWN, "correct horse", 13, 1000), 1); /* the stored count rules */
	assert_int_equal(secret_verify(KNOWN, "Correct horse", 13, 1000), 0);
	assert_int_equal(secret_verify("pbkdf2-sha256$1$" SALT "$c6b7413bebb763bda962e5d94e24327e07d4daa9e97c14ea4126ba4b7ccb0d16",
				       "", 0, 1), 1);
	/* the count is part of it */
	assert_int_equal(secret_verify("pbkdf2-sha256$999$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
				       "correct horse", 13, 1), 0);
}

static void malformed_stored_hashes(void **state)
{
	(void)state;
	static const char *bad[] = {
		NULL,
		"",
		"pbkdf2-sha1$1000$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
		"pbkdf2-sha256$0$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
		"pbkdf2-sha256$10000001$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
		"pbkdf2-sha256$$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
		"pbkdf2-sha256$1000$0001$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
		"pbkdf2-sha256$1000$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae98",
		"pbkdf2-sha256$1000$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae986400",
		"pbkdf2-sha256$1000$" SALT "c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
		"pbkdf2-sha256$1000$" SALT "$z914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9864",
		/* one digit of the hash changed */
		"pbkdf2-sha256$1000$" SALT "$c914cc4f06cc6e8f46d157e3a1b5aa7abceebb17bb0444cd4c4ac16ca2ae9865",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (secret_verify(bad[i], "correct horse", 13, 1) != 0)
			fail_msg("case %zu verified", i);
}

static void hex_helpers(void **state)
{
	(void)state;
	char out[16];
	hex_encode("\x00\xff\x10\xab", 4, out);
	assert_string_equal(out, "00ff10ab");
	hex_encode("", 0, out);
	assert_string_equal(out, "");
	unsigned char raw[4];
	assert_int_equal(hex_decode("00ff10ab", 8, raw, 4), 0);
	assert_memory_equal(raw, "\x00\xff\x10\xab", 4);
	assert_int_equal(hex_decode("00ff10a", 7, raw, 4), -1);   /* odd */
	assert_int_equal(hex_decode("00ff10ab00", 10, raw, 4), -1); /* too long for n */
	assert_int_equal(hex_decode("00ff10", 6, raw, 4), -1);    /* too short */
	assert_int_equal(hex_decode("00fg10ab", 8, raw, 4), -1);  /* not hex */
	assert_true(hex_lower("00ff10ab", 8));
	assert_false(hex_lower("00FF10AB", 8));
	assert_false(hex_lower("00ff10a", 8));
	assert_false(hex_lower("00ff10ab0", 8));
	assert_false(hex_lower("00ff 0ab", 8));
	assert_false(hex_lower(NULL, 0));
	assert_true(hex_lower("", 0));
}

static void random_and_equal(void **state)
{
	(void)state;
	unsigned char a[32] = { 0 }, b[32] = { 0 }, z[32] = { 0 };
	bt_err e;
	assert_int_equal(bt_random(a, sizeof a, &e), BT_OK);
	assert_int_equal(bt_random(b, sizeof b, &e), BT_OK);
	assert_false(bt_secret_equal(a, b, sizeof a));
	assert_false(bt_secret_equal(a, z, sizeof a)); /* 2^-256 */
	assert_true(bt_secret_equal(a, a, sizeof a));
	memcpy(b, a, sizeof a);
	b[31] ^= 1;
	assert_false(bt_secret_equal(a, b, sizeof a));
	assert_true(bt_secret_equal(a, b, 31));
	assert_true(bt_secret_equal(a, b, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_format_and_verify),
		cmocka_unit_test(known_answer),
		cmocka_unit_test(malformed_stored_hashes),
		cmocka_unit_test(hex_helpers),
		cmocka_unit_test(random_and_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
