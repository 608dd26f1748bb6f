/* fuzz_key.h - the fixed Ed25519 key the receipt and bundle harnesses sign
 * and verify with, so the seed corpora (made with it) stay valid. A test
 * key, published here on purpose: never use it for anything else. */
#ifndef BALLOT_FUZZ_KEY_H
#define BALLOT_FUZZ_KEY_H

#include "fuzz.h"

static const char fuzz_key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIKI3V76B5VrMenqUPke2M1t54/iO1+0QtAXEufm/duCS\n"
	"-----END PRIVATE KEY-----\n";

static bt_key *fuzz_key;

static inline void fuzz_key_free(void)
{
	bt_key_free(fuzz_key);
	fuzz_key = NULL;
}

/* Writes the key under the scratch directory (mode 0600) and loads it, once
 * per process (freed at exit); pub (may be NULL) receives its public half. */
static inline bt_key *fuzz_key_load(bt_pubkey *pub)
{
	char path[256];
	bt_err e;
	bt_key *k = NULL;
	fuzz_write("key.pem", fuzz_key_pem, sizeof fuzz_key_pem - 1, path, sizeof path);
	if (chmod(path, 0600))
		fuzz_die("chmod", path);
	if (bt_key_load(path, "key", &k, &e))
		fuzz_die("key", e.msg);
	if (pub)
		*pub = *bt_key_public(k);
	fuzz_key = k;
	atexit(fuzz_key_free);
	return k;
}

#endif
