/* test_portal_tables.c - the portal's in-memory tables: SipHash-2-4 against
 * the reference vectors, sign-in throttling (throttle.c) and sessions
 * (session.c), on a clock the test moves. */
#include <setjmp.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "portal/session.h"
#include "portal_fixture.h"
#include "portal/siphash.h"
#include "portal/addr.h"
#include "portal/throttle.h"
#include "portal/returned.h"

/* The 64 tags of SipHash-2-4 in the reference implementation's vectors.h
 * (vectors_sip64: key 00 01 .. 0f, message 00 01 .. of each length 0-63),
 * byte by byte as printed there (the tag least significant byte first). */
static const unsigned char sip_vectors[64][8] = {
	{ 0x31, 0x0e, 0x0e, 0xdd, 0x47, 0xdb, 0x6f, 0x72 },
	{ 0xfd, 0x67, 0xdc, 0x93, 0xc5, 0x39, 0xf8, 0x74 },
	{ 0x5a, 0x4f, 0xa9, 0xd9, 0x09, 0x80, 0x6c, 0x0d },
	{ 0x2d, 0x7e, 0xfb, 0xd7, 0x96, 0x66, 0x67, 0x85 },
	{ 0xb7, 0x87, 0x71, 0x27, 0xe0, 0x94, 0x27, 0xcf },
	{ 0x8d, 0xa6, 0x99, 0xcd, 0x64, 0x55, 0x76, 0x18 },
	{ 0xce, 0xe3, 0xfe, 0x58, 0x6e, 0x46, 0xc9, 0xcb },
	{ 0x37, 0xd1, 0x01, 0x8b, 0xf5, 0x00, 0x02, 0xab },
	{ 0x62, 0x24, 0x93, 0x9a, 0x79, 0xf5, 0xf5, 0x93 },
	{ 0xb0, 0xe4, 0xa9, 0x0b, 0xdf, 0x82, 0x00, 0x9e },
	{ 0xf3, 0xb9, 0xdd, 0x94, 0xc5, 0xbb, 0x5d, 0x7a },
	{ 0xa7, 0xad, 0x6b, 0x22, 0x46, 0x2f, 0xb3, 0xf4 },
	{ 0xfb, 0xe5, 0x0e, 0x86, 0xbc, 0x8f, 0x1e, 0x75 },
	{ 0x90, 0x3d, 0x84, 0xc0, 0x27, 0x56, 0xea, 0x14 },
	{ 0xee, 0xf2, 0x7a, 0x8e, 0x90, 0xca, 0x23, 0xf7 },
	{ 0xe5, 0x45, 0xbe, 0x49, 0x61, 0xca, 0x29, 0xa1 },
	{ 0xdb, 0x9b, 0xc2, 0x57, 0x7f, 0xcc, 0x2a, 0x3f },
	{ 0x94, 0x47, 0xbe, 0x2c, 0xf5, 0xe9, 0x9a, 0x69 },
	{ 0x9c, 0xd3, 0x8d, 0x96, 0xf0, 0xb3, 0xc1, 0x4b },
	{ 0xbd, 0x61, 0x79, 0xa7, 0x1d, 0xc9, 0x6d, 0xbb },
	{ 0x98, 0xee, 0xa2, 0x1a, 0xf2, 0x5c, 0xd6, 0xbe },
	{ 0xc7, 0x67, 0x3b, 0x2e, 0xb0, 0xcb, 0xf2, 0xd0 },
	{ 0x88, 0x3e, 0xa3, 0xe3, 0x95, 0x67, 0x53, 0x93 },
	{ 0xc8, 0xce, 0x5c, 0xcd, 0x8c, 0x03, 0x0c, 0xa8 },
	{ 0x94, 0xaf, 0x49, 0xf6, 0xc6, 0x50, 0xad, 0xb8 },
	{ 0xea, 0xb8, 0x85, 0x8a, 0xde, 0x92, 0xe1, 0xbc },
	{ 0xf3, 0x15, 0xbb, 0x5b, 0xb8, 0x35, 0xd8, 0x17 },
	{ 0xad, 0xcf, 0x6b, 0x07, 0x63, 0x61, 0x2e, 0x2f },
	{ 0xa5, 0xc9, 0x1d, 0xa7, 0xac, 0xaa, 0x4d, 0xde },
	{ 0x71, 0x65, 0x95, 0x87, 0x66, 0x50, 0xa2, 0xa6 },
	{ 0x28, 0xef, 0x49, 0x5c, 0x53, 0xa3, 0x87, 0xad },
	{ 0x42, 0xc3, 0x41, 0xd8, 0xfa, 0x92, 0xd8, 0x32 },
	{ 0xce, 0x7c, 0xf2, 0x72, 0x2f, 0x51, 0x27, 0x71 },
	{ 0xe3, 0x78, 0x59, 0xf9, 0x46, 0x23, 0xf3, 0xa7 },
	{ 0x38, 0x12, 0x05, 0xbb, 0x1a, 0xb0, 0xe0, 0x12 },
	{ 0xae, 0x97, 0xa1, 0x0f, 0xd4, 0x34, 0xe0, 0x15 },
	{ 0xb4, 0xa3, 0x15, 0x08, 0xbe, 0xff, 0x4d, 0x31 },
	{ 0x81, 0x39, 0x62, 0x29, 0xf0, 0x90, 0x79, 0x02 },
	{ 0x4d, 0x0c, 0xf4, 0x9e, 0xe5, 0xd4, 0xdc, 0xca },
	{ 0x5c, 0x73, 0x33, 0x6a, 0x76, 0xd8, 0xbf, 0x9a },
	{ 0xd0, 0xa7, 0x04, 0x53, 0x6b, 0xa9, 0x3e, 0x0e },
	{ 0x92, 0x59, 0x58, 0xfc, 0xd6, 0x42, 0x0c, 0xad },
	{ 0xa9, 0x15, 0xc2, 0x9b, 0xc8, 0x06, 0x73, 0x18 },
	{ 0x95, 0x2b, 0x79, 0xf3, 0xbc, 0x0a, 0xa6, 0xd4 },
	{ 0xf2, 0x1d, 0xf2, 0xe4, 0x1d, 0x45, 0x35, 0xf9 },
	{ 0x87, 0x57, 0x75, 0x19, 0x04, 0x8f, 0x53, 0xa9 },
	{ 0x10, 0xa5, 0x6c, 0xf5, 0xdf, 0xcd, 0x9a, 0xdb },
	{ 0xeb, 0x75, 0x09, 0x5c, 0xcd, 0x98, 0x6c, 0xd0 },
	{ 0x51, 0xa9, 0xcb, 0x9e, 0xcb, 0xa3, 0x12, 0xe6 },
	{ 0x96, 0xaf, 0xad, 0xfc, 0x2c, 0xe6, 0x66, 0xc7 },
	{ 0x72, 0xfe, 0x52, 0x97, 0x5a, 0x43, 0x64, 0xee },
	{ 0x5a, 0x16, 0x45, 0xb2, 0x76, 0xd5, 0x92, 0xa1 },
	{ 0xb2, 0x74, 0xcb, 0x8e, 0xbf, 0x87, 0x87, 0x0a },
	{ 0x6f, 0x9b, 0xb4, 0x20, 0x3d, 0xe7, 0xb3, 0x81 },
	{ 0xea, 0xec, 0xb2, 0xa3, 0x0b, 0x22, 0xa8, 0x7f },
	{ 0x99, 0x24, 0xa4, 0x3c, 0xc1, 0x31, 0x57, 0x24 },
	{ 0xbd, 0x83, 0x8d, 0x3a, 0xaf, 0xbf, 0x8d, 0xb7 },
	{ 0x0b, 0x1a, 0x2a, 0x32, 0x65, 0xd5, 0x1a, 0xea },
	{ 0x13, 0x50, 0x79, 0xa3, 0x23, 0x1c, 0xe6, 0x60 },
	{ 0x93, 0x2b, 0x28, 0x46, 0xe4, 0xd7, 0x06, 0x66 },
	{ 0xe1, 0x91, 0x5f, 0x5c, 0xb1, 0xec, 0xa4, 0x6c },
	{ 0xf3, 0x25, 0x96, 0x5c, 0xa1, 0x6d, 0x62, 0x9f },
	{ 0x57, 0x5f, 0xf2, 0x8e, 0x60, 0x38, 0x1b, 0xe5 },
	{ 0x72, 0x45, 0x06, 0xeb, 0x4c, 0x32, 0x8a, 0x95 },
};

static void siphash_reference_vectors(void **state)
{
	(void)state;
	unsigned char key[16], msg[64];
	for (int i = 0; i < 16; i++)
		key[i] = (unsigned char)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	for (size_t n = 0; n < 64; n++) {
		uint64_t got = portal_siphash(key, msg, n), want = 0;
		for (int i = 7; i >= 0; i--)
			want = want << 8 | sip_vectors[n][i];
		if (got != want)
			fail_msg("siphash of %zu bytes: %016llx, not %016llx", n, (unsigned long long)got,
				 (unsigned long long)want);
	}
	/* the paper's own example (Appendix A): 15 bytes */
	assert_true(portal_siphash(key, msg, 15) == 0xa129ca6149be45e5ULL);
	/* another key gives another tag */
	key[0] ^= 1;
	assert_true(portal_siphash(key, msg, 15) != 0xa129ca6149be45e5ULL);
}

/* ---- throttling ---- */

static const unsigned char TKEY[32] = "0123456789abcdef0123456789ABCDEF";

static pthrottle *thr(void)
{
	pthrottle *t;
	bt_err e;
	assert_int_equal(throttle_new(&t, TKEY, &e), BT_OK);
	return t;
}

/* One attempt: the wait throttle_begin gives, the attempt ended as ok. */
static int try_at(pthrottle *t, const char *ip, const char *name, int64_t now, int ok)
{
	throttle_ticket tk;
	int w = throttle_begin(t, ip, name, now, &tk);
	if (!w)
		throttle_end(t, &tk, ok, now);
	return w;
}

static void throttle_addresses(void **state)
{
	(void)state;
	char a[64];
	portal_addr_print("192.0.2.7", a, sizeof a);
	assert_string_equal(a, "192.0.2.7");
	portal_addr_print("::ffff:192.0.2.7", a, sizeof a);
	assert_string_equal(a, "192.0.2.7");
	portal_addr_print("2001:db8:0:1:aaaa::1", a, sizeof a);
	assert_string_equal(a, "2001:0db8:0000:0001::/64");
	/* the same rule on bytes, as the connection limits count */
	unsigned char b[16], want[16];
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:0:1:aaaa::1", b), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:0:1::", want), 1);
	portal_addr_group(b);
	assert_memory_equal(b, want, 16);
	assert_int_equal(inet_pton(AF_INET6, "::ffff:192.0.2.7", b), 1);
	memcpy(want, b, 16);
	portal_addr_group(b);
	assert_memory_equal(b, want, 16);
	/* one /64 is one address: its failures add up */
	pthrottle *t = thr();
	for (int i = 0; i < 5; i++)
		assert_int_equal(try_at(t, i % 2 ? "2001:db8:0:1::1" : "2001:db8:0:1:ffff::9", "member:CHN", 1000, 0), 0);
	assert_true(try_at(t, "2001:db8:0:1::77", "member:CHN", 1000, 1) > 0);
	assert_int_equal(try_at(t, "2001:db8:0:2::1", "member:CHN", 1000, 1), 0);
	throttle_free(t);
}

static void throttle_per_address_and_name(void **state)
{
	(void)state;
	pthrottle *t = thr();
	int64_t now = 1000000;
	for (int i = 0; i < 5; i++)
		assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 0), 0);
	/* the guessing address waits, even with the right code */
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 1), 1);
	/* the real USA from another address goes straight in */
	assert_int_equal(try_at(t, "127.0.0.3", "member:USA", now, 1), 0);
	/* the wait doubles: 1 s, 2 s, 4 s ... */
	now += 1000;
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 0), 0);
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 0), 2);
	now += 2000;
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 0), 0);
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 0), 4);
	/* ... up to 15 minutes */
	for (int i = 0; i < 20; i++) {
		int w = try_at(t, "127.0.0.2", "member:USA", now, 0);
		now += (int64_t)w * 1000;
		assert_true(w <= 900);
	}
	now += 900 * 1000;
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 0), 0);
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now, 0), 900);
	/* forgotten an hour after the last failure */
	assert_int_equal(try_at(t, "127.0.0.2", "member:USA", now + 3600 * 1000, 0), 0);
	throttle_free(t);
}

static void throttle_address_budget(void **state)
{
	(void)state;
	pthrottle *t = thr();
	char name[32];
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "user:n%d", i);
		assert_int_equal(try_at(t, "127.0.0.4", name, 5000, 0), 0);
	}
	/* ten failures for ten names: the address waits for any name */
	assert_int_equal(try_at(t, "127.0.0.4", "user:other", 5000, 1), 1);
	assert_int_equal(try_at(t, "127.0.0.5", "user:other", 5000, 1), 0);
	throttle_free(t);
}

static void throttle_counts_before_checking(void **state)
{
	(void)state;
	pthrottle *t = thr();
	throttle_ticket tk[40];
	int evaluated = 0;
	/* 40 attempts at once: only 5 are let through to PBKDF2 */
	for (int i = 0; i < 40; i++)
		evaluated += throttle_begin(t, "127.0.0.6", "user:tsb", 7000, &tk[i]) == 0;
	assert_int_equal(evaluated, 5);
	for (int i = 0; i < 5; i++)
		throttle_end(t, &tk[i], 0, 7100);
	assert_true(try_at(t, "127.0.0.6", "user:tsb", 7100, 0) > 0);
	/* an attempt that could not be checked (the database busy) is given
	 * back, and clears nothing */
	for (int i = 0; i < 4; i++)
		assert_int_equal(try_at(t, "127.0.0.8", "user:tsb", 7000, 0), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(try_at(t, "127.0.0.8", "user:tsb", 7000, -1), 0);
	assert_int_equal(try_at(t, "127.0.0.8", "user:tsb", 7000, 0), 0);
	assert_int_equal(try_at(t, "127.0.0.8", "user:tsb", 7000, 0), 1);
	/* a success gives its attempt back: signing in often is never throttled */
	for (int i = 0; i < 50; i++)
		assert_int_equal(try_at(t, "127.0.0.7", "user:tsb", 8000, 1), 0);
	throttle_free(t);
}

/* Sign-ins in flight count per (address, name) only: 64 delegates behind
 * one address (a meeting room behind NAT) signing in at once all go ahead,
 * while parallel guesses at one name from it are still bounded by the
 * pair's free failures, and the address's failures still add up. */
static void throttle_in_flight_per_pair(void **state)
{
	(void)state;
	pthrottle *t = thr();
	throttle_ticket tk[64];
	char name[32];
	for (int i = 0; i < 64; i++) {
		snprintf(name, sizeof name, "member:M%02d", i);
		assert_int_equal(throttle_begin(t, "198.51.100.9", name, 20000, &tk[i]), 0);
	}
	/* six of them had mistyped their code: the address has failed six times */
	for (int i = 0; i < 64; i++)
		throttle_end(t, &tk[i], i < 6 ? 0 : 1, 20100);
	for (int i = 0; i < 64; i++) {
		snprintf(name, sizeof name, "member:M%02d", i);
		assert_int_equal(throttle_begin(t, "198.51.100.9", name, 20200, &tk[i]), 0);
	}
	for (int i = 0; i < 64; i++)
		throttle_end(t, &tk[i], 1, 20300);
	/* in flight at one name from that address: five, as before */
	int evaluated = 0;
	for (int i = 0; i < 40; i++)
		evaluated += throttle_begin(t, "198.51.100.9", "user:tsb", 20400, &tk[i]) == 0;
	assert_int_equal(evaluated, 5);
	for (int i = 0; i < 5; i++)
		throttle_end(t, &tk[i], 0, 20500);
	/* 6 + 5 failures from the address: over its 10, it waits for any name */
	assert_true(try_at(t, "198.51.100.9", "member:M07", 20500, 1) > 0);
	assert_int_equal(try_at(t, "198.51.100.10", "member:M07", 20500, 1), 0);
	/* once its wait is over, an address past its free failures gets one
	 * attempt at a time, whatever names it tries (not a burst of them) */
	evaluated = 0;
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "member:N%02d", i);
		evaluated += throttle_begin(t, "198.51.100.9", name, 30000, &tk[i]) == 0;
	}
	assert_int_equal(evaluated, 1);
	throttle_end(t, &tk[0], 0, 30100);
	throttle_free(t);
}

static void throttle_name_under_attack(void **state)
{
	(void)state;
	pthrottle *t = thr();
	char ip[32];
	int64_t now = 9000;
	/* 200 addresses guess USA's code, 4 each */
	for (int a = 0; a < 200; a++) {
		snprintf(ip, sizeof ip, "10.0.%d.%d", a / 250, a % 250 + 1);
		for (int i = 0; i < 4; i++) {
			int w = try_at(t, ip, "member:USA", now, 0);
			if (a >= 20 && i == 0)
				assert_int_equal(w, 0); /* a fresh address is never refused */
			if (a >= 20 && i == 1)
				assert_int_equal(w, 15); /* one that failed waits */
		}
	}
	/* the real USA from an address of its own: straight in */
	assert_int_equal(try_at(t, "192.0.2.1", "member:USA", now, 1), 0);
	/* a guessing address after its wait: one more try, then 30 s */
	assert_int_equal(try_at(t, "10.0.0.99", "member:USA", now + 15000, 0), 0);
	assert_int_equal(try_at(t, "10.0.0.99", "member:USA", now + 15000, 0), 30);
	/* other names are not affected */
	assert_int_equal(try_at(t, "10.0.0.99", "member:FRA", now + 15000, 1), 0);
	throttle_free(t);
}

/* An address that has not failed is never refused, even with attempts of
 * its own in flight (two delegates behind one address, a form sent twice):
 * while a name is under attack only failures make an address wait; its
 * attempts at once for one name are bounded by the free failures of the
 * pair, which counts those in flight. */
static void throttle_under_attack_in_flight(void **state)
{
	(void)state;
	pthrottle *t = thr();
	char ip[32];
	int64_t now = 50000;
	for (int a = 0; a < 10; a++) {
		snprintf(ip, sizeof ip, "10.4.0.%d", a + 1);
		for (int i = 0; i < 2; i++)
			try_at(t, ip, "member:USA", now, 0);
	}
	throttle_ticket tk[8];
	assert_int_equal(throttle_begin(t, "192.0.2.1", "member:USA", now, &tk[0]), 0);
	assert_int_equal(throttle_begin(t, "192.0.2.1", "member:USA", now, &tk[1]), 0);
	throttle_end(t, &tk[0], 1, now + 100);
	throttle_end(t, &tk[1], 1, now + 100);
	/* parallel guesses from a fresh address: five, as without an attack */
	int evaluated = 0;
	for (int i = 0; i < 8; i++)
		evaluated += throttle_begin(t, "192.0.2.2", "member:USA", now, &tk[i]) == 0;
	assert_int_equal(evaluated, 5);
	for (int i = 0; i < 5; i++)
		throttle_end(t, &tk[i], 0, now + 100);
	/* and once they have failed, the address waits */
	assert_true(try_at(t, "192.0.2.2", "member:USA", now + 200, 1) >= 15);
	throttle_free(t);
}

/* Names "user:<prefix><n>" whose name record ("n|...") lands on slot h
 * exactly (any: on a slot whose window holds h): found by trying (the test
 * knows the table's key). */
static int name_at(size_t h, int any, const char *prefix, int from, char *out, size_t n)
{
	char k[80];
	for (int i = from;; i++) {
		snprintf(out, n, "user:%s%d", prefix, i);
		snprintf(k, sizeof k, "n|%s", out);
		size_t at = portal_siphash(TKEY, k, strlen(k)) % PORTAL_THROTTLE_SLOTS;
		if (at == h || (any && (h - at) % PORTAL_THROTTLE_SLOTS < PORTAL_THROTTLE_WINDOW))
			return i;
	}
}

static void throttle_cannot_be_flushed(void **state)
{
	(void)state;
	pthrottle *t = thr();
	int64_t now = 100000;
	/* a throttled pair */
	for (int i = 0; i < 5; i++)
		try_at(t, "127.0.0.2", "user:tsb", now, 0);
	assert_true(try_at(t, "127.0.0.2", "user:tsb", now, 0) > 0);
	/* 64 failures from fresh addresses with names whose records land on
	 * the pair's own slots */
	char k[80], name[64], ip[32];
	snprintf(k, sizeof k, "p|127.0.0.2|user:tsb");
	size_t h = portal_siphash(TKEY, k, strlen(k)) % PORTAL_THROTTLE_SLOTS;
	int from = 0;
	for (int i = 0; i < 64; i++) {
		from = name_at(h, 1, "f", from, name, sizeof name) + 1;
		snprintf(ip, sizeof ip, "10.1.%d.%d", i / 200, i % 200 + 1);
		assert_int_equal(try_at(t, ip, name, now, 0), 0);
	}
	assert_true(try_at(t, "127.0.0.2", "user:tsb", now, 0) > 0);
	throttle_free(t);
}

static void throttle_full_window(void **state)
{
	(void)state;
	pthrottle *t = thr();
	int64_t now = 200000;
	char k[80], name[64], ip[32];
	snprintf(k, sizeof k, "n|user:target");
	size_t h = portal_siphash(TKEY, k, strlen(k)) % PORTAL_THROTTLE_SLOTS;
	/* fill the window of user:target's name record with names under
	 * attack (20 failures each, from fresh addresses) */
	char names[PORTAL_THROTTLE_WINDOW][64];
	int from = 0, a = 0;
	for (int i = 0; i < PORTAL_THROTTLE_WINDOW; i++) {
		from = name_at(h, 0, "w", from, names[i], sizeof names[i]) + 1;
		for (int j = 0; j < 20; j++, a++) {
			snprintf(ip, sizeof ip, "10.2.%d.%d", a / 200, a % 200 + 1);
			assert_int_equal(try_at(t, ip, names[i], now, 0), 0);
		}
	}
	uint64_t before = throttle_unrecorded(t);
	/* no room for user:target's name record: a fresh address still gets
	 * its attempt (the right password signs in) */
	assert_int_equal(try_at(t, "192.0.2.9", "user:target", now, 1), 0);
	assert_true(throttle_unrecorded(t) > before);
	/* and every name of the window is still under attack */
	for (int i = 0; i < PORTAL_THROTTLE_WINDOW; i++) {
		snprintf(name, sizeof name, "%s", names[i]);
		snprintf(ip, sizeof ip, "10.3.0.%d", i + 1);
		assert_int_equal(try_at(t, ip, "user:else", now, 0), 0); /* the address fails once */
		assert_int_equal(try_at(t, ip, name, now, 0), 15);
	}
	throttle_free(t);
}

/* ---- sessions ---- */

static void sessions_basic(void **state)
{
	(void)state;
	psessions *s = sess();
	bt_identity chn = member("CHN");
	char tok[65];
	psession p, q;
	assert_int_equal(session_create(s, &chn, NULL, 1000, tok, &p), 0);
	assert_int_equal(session_find(s, tok, 2000, &q), 0);
	assert_string_equal(q.id.member, "CHN");
	assert_string_equal(q.csrf, p.csrf);
	/* idle for 30 minutes: ended */
	assert_int_equal(session_find(s, tok, 2000 + PORTAL_SESSION_IDLE * 1000LL, &q), -1);
	assert_int_equal(session_create(s, &chn, NULL, 1000, tok, &p), 0);
	session_drop(s, tok, 1500);
	assert_int_equal(session_find(s, tok, 1600, &q), -1);
	assert_int_equal(sessions_live(s, 1600), 0);
	sessions_free(s);
}

static void sessions_one_per_certificate(void **state)
{
	(void)state;
	psessions *s = sess();
	bt_identity fra = member("FRA");
	const char *fp = "aa00000000000000000000000000000000000000000000000000000000000001";
	char t1[65], t2[65];
	psession p1, p2, q;
	assert_int_equal(session_create(s, &fra, fp, 1000, t1, &p1), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(session_create(s, &fra, fp, 1000 + i, t2, &p2), 0);
	assert_int_equal(sessions_live(s, 3000), 1);
	assert_string_equal(p2.csrf, p1.csrf);
	assert_string_equal(p2.cert_fp, fp);
	/* the latest token works, the first one no longer */
	assert_int_equal(session_find(s, t2, 3000, &q), 0);
	assert_int_equal(session_find(s, t1, 3000, &q), -1);
	/* another certificate of the same member: its own session */
	assert_int_equal(session_create(s, &fra, "bb", 3000, t1, &p1), 0);
	assert_int_equal(sessions_live(s, 3000), 2);
	sessions_free(s);
}

static void sessions_cap_per_identity(void **state)
{
	(void)state;
	psessions *s = sess();
	bt_identity chn = member("CHN"), deu = member("DEU"), tsb = user("tsb");
	char toks[PORTAL_SESSIONS_PER_ID + 1][65], d[65], u[65];
	psession p;
	assert_int_equal(session_create(s, &deu, NULL, 500, d, &p), 0);
	assert_int_equal(session_create(s, &tsb, NULL, 500, u, &p), 0);
	for (int i = 0; i <= PORTAL_SESSIONS_PER_ID; i++)
		assert_int_equal(session_create(s, &chn, NULL, 1000 + i, toks[i], &p), 0);
	/* the cap: CHN's oldest ended, the rest live, others untouched */
	assert_int_equal(session_find(s, toks[0], 2000, &p), -1);
	for (int i = 1; i <= PORTAL_SESSIONS_PER_ID; i++)
		assert_int_equal(session_find(s, toks[i], 2000, &p), 0);
	assert_int_equal(session_find(s, d, 2000, &p), 0);
	assert_int_equal(session_find(s, u, 2000, &p), 0);
	assert_int_equal(sessions_live(s, 2000), PORTAL_SESSIONS_PER_ID + 2);
	sessions_free(s);
}

static void sessions_never_evict_another(void **state)
{
	(void)state;
	psessions *s = sess();
	char tok[65], first[65], last[65], name[32];
	psession p;
	bt_identity tsb = user("tsb");
	assert_int_equal(session_create(s, &tsb, NULL, 1000, first, &p), 0);
	for (int i = 1; i < PORTAL_SESSIONS_MAX; i++) {
		snprintf(name, sizeof name, "u%05d", i);
		bt_identity id = user(name);
		assert_int_equal(session_create(s, &id, NULL, 1000, i == PORTAL_SESSIONS_MAX - 1 ? last : tok, &p), 0);
	}
	/* full: a new identity is refused, nobody is signed out */
	bt_identity usa = member("USA");
	assert_int_equal(session_create(s, &usa, "cc", 2000, tok, &p), -1);
	assert_int_equal(session_find(s, first, 2000, &p), 0);
	assert_int_equal(session_find(s, last, 2000, &p), 0);
	assert_int_equal(sessions_live(s, 2000), PORTAL_SESSIONS_MAX);
	/* a certificate with a session finds it again even now */
	sessions_free(s);
	/* once sessions end, room again */
	s = sess();
	for (int i = 0; i < PORTAL_SESSIONS_MAX; i++) {
		snprintf(name, sizeof name, "u%05d", i);
		bt_identity id = user(name);
		assert_int_equal(session_create(s, &id, NULL, 1000, tok, &p), 0);
	}
	assert_int_equal(session_create(s, &usa, NULL, 2000, tok, &p), -1);
	assert_int_equal(session_create(s, &usa, NULL, 1000 + PORTAL_SESSION_IDLE * 1000LL, tok, &p), 0);
	sessions_free(s);
}

/* Scans are read PORTAL_SCANS_AT_ONCE at a time: one more is told so at
 * once; a turn given back is taken. */
static void scans_at_once(void **state)
{
	(void)state;
	preturns *k = NULL;
	bt_err e = { 0 };
	assert_int_equal(returned_new(&k, 1024, &e), BT_OK);
	for (int i = 0; i < PORTAL_SCANS_AT_ONCE; i++)
		assert_int_equal(returned_scan_begin(k), 0);
	assert_int_equal(returned_scan_begin(k), -1);
	returned_scan_end(k);
	assert_int_equal(returned_scan_begin(k), 0);
	assert_int_equal(returned_scan_begin(k), -1);
	for (int i = 0; i < PORTAL_SCANS_AT_ONCE; i++)
		returned_scan_end(k);
	returned_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(siphash_reference_vectors),
		cmocka_unit_test(scans_at_once),
		cmocka_unit_test(throttle_addresses),
		cmocka_unit_test(throttle_per_address_and_name),
		cmocka_unit_test(throttle_address_budget),
		cmocka_unit_test(throttle_counts_before_checking),
		cmocka_unit_test(throttle_in_flight_per_pair),
		cmocka_unit_test(throttle_name_under_attack),
		cmocka_unit_test(throttle_under_attack_in_flight),
		cmocka_unit_test(throttle_cannot_be_flushed),
		cmocka_unit_test(throttle_full_window),
		cmocka_unit_test(sessions_basic),
		cmocka_unit_test(sessions_one_per_certificate),
		cmocka_unit_test(sessions_cap_per_identity),
		cmocka_unit_test(sessions_never_evict_another),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
