/* hex.c - hex spelling and SHA-256 digests (base floor). */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>
#include "base/base.h"

void hex_encode(const void *p, size_t n, char *out)
{
	gnutls_datum_t d = { (unsigned char *)(uintptr_t)p, (unsigned)n };
	size_t len = 2 * n + 1;
	if (gnutls_hex_encode(&d, out, &len) < 0)
		out[0] = '\0';
}

int hex_lower(const char *s, size_t n)
{
	return s && strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

int hex_decode(const char *s, size_t len, void *out, size_t n)
{
	gnutls_datum_t d = { (unsigned char *)(uintptr_t)s, (unsigned)len };
	size_t got = n;
	if (len != 2 * n || gnutls_hex_decode(&d, out, &got) < 0 || got != n)
		return -1;
	return 0;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[32];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, d);
	hex_encode(d, sizeof d, out);
}
