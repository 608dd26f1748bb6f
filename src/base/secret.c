/* secret.c - key-grade random bytes, constant-time comparison and the slow
 * salted hash of reply codes and passwords (GnuTLS). */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/base.h"

#define PREFIX "pbkdf2-sha256$"
#define SALT_LEN 16
#define HASH_LEN 32
#define ITER_MAX 10000000u /* a stored count above this is not ours */

int bt_random(void *buf, size_t n, bt_err *e)
{
	int r = gnutls_rnd(GNUTLS_RND_KEY, buf, n);
	if (r < 0)
		return bt_failf(e, BT_R_IO, NULL, "random generator: %s", gnutls_strerror(r));
	return BT_OK;
}

int bt_secret_equal(const void *a, const void *b, size_t n)
{
	return gnutls_memcmp(a, b, n) == 0;
}

static int pbkdf2(const char *secret, size_t len, const unsigned char *salt,
		  unsigned iter, unsigned char out[HASH_LEN])
{
	gnutls_datum_t key = { (unsigned char *)(uintptr_t)secret, (unsigned)len };
	gnutls_datum_t s = { (unsigned char *)(uintptr_t)salt, SALT_LEN };
	/* an empty key is fine for PBKDF2; GnuTLS wants a pointer anyway */
	if (!key.data)
		key.data = (unsigned char *)"";
	return gnutls_pbkdf2(GNUTLS_MAC_SHA256, &key, &s, iter, out, HASH_LEN);
}

int secret_hash(const char *secret, size_t len, unsigned iter,
		char out[SECRET_HASH_MAX], bt_err *e)
{
	unsigned char salt[SALT_LEN], h[HASH_LEN];
	char salt_hex[2 * SALT_LEN + 1], h_hex[2 * HASH_LEN + 1];
	int rc = bt_random(salt, sizeof salt, e);
	if (rc)
		return rc;
	int r = pbkdf2(secret, len, salt, iter, h);
	if (r < 0)
		return bt_failf(e, BT_R_IO, NULL, "pbkdf2: %s", gnutls_strerror(r));
	hex_encode(salt, sizeof salt, salt_hex);
	hex_encode(h, sizeof h, h_hex);
	snprintf(out, SECRET_HASH_MAX, PREFIX "%u$%s$%s", iter, salt_hex, h_hex);
	gnutls_memset(h, 0, sizeof h);
	return BT_OK;
}

/* Splits a stored hash; -1 when it is not "pbkdf2-sha256$ITER$SALT$HASH". */
static int parse(const char *stored, unsigned *iter, unsigned char salt[SALT_LEN],
		 unsigned char h[HASH_LEN])
{
	if (!stored || strncmp(stored, PREFIX, strlen(PREFIX)) != 0)
		return -1;
	const char *p = stored + strlen(PREFIX);
	char *end;
	unsigned long it = strtoul(p, &end, 10);
	if (end == p || *end != '$' || it < 1 || it > ITER_MAX)
		return -1;
	const char *s = end + 1, *d = strchr(s, '$');
	if (!d || hex_decode(s, (size_t)(d - s), salt, SALT_LEN) ||
	    hex_decode(d + 1, strlen(d + 1), h, HASH_LEN))
		return -1;
	*iter = (unsigned)it;
	return 0;
}

int secret_verify(const char *stored, const char *secret, size_t len,
		  unsigned dummy_iter)
{
	unsigned char salt[SALT_LEN] = { 0 }, want[HASH_LEN] = { 0 }, got[HASH_LEN];
	unsigned iter = dummy_iter;
	int real = parse(stored, &iter, salt, want) == 0;
	if (!real)
		iter = dummy_iter;
	/* the same work whether or not there was a hash to check against */
	int ok = pbkdf2(secret, len, salt, iter, got) >= 0 &&
		 bt_secret_equal(got, want, HASH_LEN) && real;
	gnutls_memset(got, 0, sizeof got);
	return ok;
}
