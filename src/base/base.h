/* base.h - the engine's ground floor, private to the engine: growable
 * arrays, a TSV reader, hex and SHA-256, salted secret hashes. Knows no
 * database and no domain concept. Front ends never include this file. */
#ifndef BALLOT_BASE_H
#define BALLOT_BASE_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/ballot.h"

/* Makes room for at least need elements of elem bytes in *v (capacity in
 * *cap, doubled as needed). 0 on success, -1 when out of memory (then *v is
 * unchanged and still owned by the caller). */
int array_reserve(void *v, size_t *cap, size_t need, size_t elem);

/* SHA-256 of data as 64 lowercase hex digits. */
void sha256_hex(const void *data, size_t len, char out[65]);

/* The previous hash of the first event, and of a circular's first event. */
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Lowercase hex of n bytes into out (2n + 1 bytes). */
void hex_encode(const void *p, size_t n, char *out);

/* Decodes exactly n bytes from the len hex digits at s; -1 otherwise. */
int hex_decode(const char *s, size_t len, void *out, size_t n);

/* 1 when s is exactly n lowercase hex digits (the one spelling of hashes,
 * keys and signatures), else 0. */
int hex_lower(const char *s, size_t n);

/* A TSV reader over an in-memory text: fields are split in place. */
typedef struct tsv_reader {
	char *text, *p, *end;
	int line;
} tsv_reader;
void tsv_init(tsv_reader *t, char *text, size_t len);
/* Reads the next non-blank, non-comment line into up to max fields; returns
 * the number of fields, 0 at the end. */
int tsv_next(tsv_reader *t, char **fields, int max);

/* Secrets (secret.c): "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX" with a fresh
 * 16-byte salt, and its constant-time check. */
#define SECRET_HASH_MAX 128
int secret_hash(const char *secret, size_t len, unsigned iter,
		char out[SECRET_HASH_MAX], bt_err *e);
/* 1 when secret matches stored. stored NULL or malformed: the same work
 * (dummy_iter rounds of PBKDF2), then 0. */
int secret_verify(const char *stored, const char *secret, size_t len,
		  unsigned dummy_iter);

/* What a message may show of a value the caller gave: s when it is at most
 * 64 bytes of clean text, else "(unprintable)". */
const char *text_shown(const char *s);

/* A time later than every time (an open-ended as-of). */
#define BT_INF_TIME INT64_MAX

#endif
