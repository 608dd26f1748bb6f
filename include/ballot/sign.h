/* sign.h - the secretariat's Ed25519 signing key (GnuTLS).
 *
 * The private key lives in a file of its own (PKCS#8 PEM, mode 0600), never
 * in the database. The public key is published as text:
 *   ed25519:<64 lowercase hex digits>   (the 32 raw bytes)
 * and its fingerprint is the SHA-256 of those 32 bytes. Signatures are the
 * 64 bytes of Ed25519 as 128 lowercase hex digits; Ed25519 is deterministic,
 * so signing the same bytes again gives the same signature.
 */
#ifndef BALLOT_SIGN_H
#define BALLOT_SIGN_H

#include <stddef.h>
#include "ballot/err.h"

#define BT_PUBKEY_LEN 73    /* "ed25519:" + 64 hex + NUL */
#define BT_SIG_LEN 129      /* 128 hex + NUL */

typedef struct bt_key bt_key;   /* a private key loaded for signing */

typedef struct bt_pubkey {
	unsigned char raw[32];
	char text[BT_PUBKEY_LEN];  /* "ed25519:<hex>" */
	char fingerprint[65];      /* SHA-256 of raw, hex */
} bt_pubkey;

/* Creates a new key and writes it to path (created, never replaced: an
 * existing file is BT_EINPUT naming field (the engine's name of the input, as err.h says) and the path), mode 0600, synced.
 * pub (may be NULL) receives its public half. On any failure no new file is
 * left at path. */
int bt_key_create(const char *path, const char *field, bt_pubkey *pub, bt_err *e);

/* Loads the private key at path. BT_EINPUT naming field when the file is
 * missing (with a hint to create it), readable by group or others, or not an
 * Ed25519 key. *out is freed with bt_key_free. */
int bt_key_load(const char *path, const char *field, bt_key **out, bt_err *e);

/* Frees a key from bt_key_load, its secret with it; NULL is accepted. */
void bt_key_free(bt_key *k);

/* The public half of k. */
const bt_pubkey *bt_key_public(const bt_key *k);

/* Signs len bytes at data: sig receives 128 hex digits. Threads may share k. */
int bt_key_sign(const bt_key *k, const void *data, size_t len, char sig[BT_SIG_LEN],
		bt_err *e);

/* Reads a public key from text: either the line "ed25519:<hex>" itself or
 * the output of `ballot keys show` (its first line starting "ed25519:").
 * BT_EINPUT naming field otherwise. */
int bt_pubkey_parse(const char *text, size_t len, const char *field, bt_pubkey *out,
		    bt_err *e);

/* BT_OK when sig (128 hex digits) is pub's signature of data; BT_EINPUT
 * "<field>: the signature does not match the key ..." otherwise. */
int bt_pubkey_verify(const bt_pubkey *pub, const void *data, size_t len, const char *sig,
		     const char *field, bt_err *e);

/* The fingerprint in groups of four hex digits ("1a2b 3c4d ..."). */
void bt_pubkey_fingerprint_spaced(const bt_pubkey *pub, char out[80]);

#endif
