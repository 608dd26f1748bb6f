/* siphash.c - SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed hash of
 * the portal's in-memory tables (siphash.h): with a key drawn per process, no
 * one outside can choose names or addresses that land on the same slots.
 * Checked against the 64 test vectors of the reference implementation
 * (tests/unit/test_portal_tables.c).
 */
#include <stdint.h>
#include <string.h>
#include "portal/siphash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#define SIPROUND                                                                                    \
	do {                                                                                        \
		v0 += v1;                                                                           \
		v1 = ROTL(v1, 13);                                                                  \
		v1 ^= v0;                                                                           \
		v0 = ROTL(v0, 32);                                                                  \
		v2 += v3;                                                                           \
		v3 = ROTL(v3, 16);                                                                  \
		v3 ^= v2;                                                                           \
		v0 += v3;                                                                           \
		v3 = ROTL(v3, 21);                                                                  \
		v3 ^= v0;                                                                           \
		v2 += v1;                                                                           \
		v1 = ROTL(v1, 17);                                                                  \
		v1 ^= v2;                                                                           \
		v2 = ROTL(v2, 32);                                                                  \
	} while (0)

uint64_t portal_siphash(const unsigned char key[16], const void *data, size_t len)
{
	const unsigned char *in = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	size_t whole = len - len % 8;
	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	unsigned char last[8] = { 0 };
	if (len % 8)
		memcpy(last, in + whole, len % 8);
	uint64_t b = (uint64_t)len << 56 | le64(last);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}
