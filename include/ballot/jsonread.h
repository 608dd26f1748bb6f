/* jsonread.h - a small, strict JSON reader for input from outside (signed
 * receipts, results bundles), and the re-render that gives canonical bytes.
 *
 * The reader takes RFC 8259 and nothing more, minus what the engine never
 * writes: numbers are integers (int64) only, and a string never holds NUL.
 * A parsed document is one block of memory: bt_jv_free on the value that
 * bt_json_parse returned frees all of it (never free an inner value).
 * Work is linear in the input (duplicate keys are found by sorting, so
 * O(n log n) per object); the peak memory is at most about 30 times the
 * input (an array of one-digit integers, 56 bytes a value), plus a few
 * bytes a container and a key while parsing. Callers bound the input to
 * what they expect; the reader itself refuses more than BT_JSON_MAX bytes.
 */
#ifndef BALLOT_JSONREAD_H
#define BALLOT_JSONREAD_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/err.h"

#define BT_JSON_MAX ((size_t)16 * 1024 * 1024) /* bytes of input at most */
#define BT_JSON_MAX_DEPTH 64 /* arrays and objects nested at most */

typedef enum bt_jtype { BT_JNULL, BT_JBOOL, BT_JINT, BT_JSTR, BT_JARR, BT_JOBJ } bt_jtype;

/* One value; the members a type does not use are zero (items and keys are
 * NULL when n is 0). */
typedef struct bt_jv {
	bt_jtype type;
	int boolean;          /* BT_JBOOL: 0 or 1 */
	int64_t num;          /* BT_JINT */
	char *str; size_t len;/* BT_JSTR: NUL-terminated UTF-8 (no NUL inside), len bytes */
	struct bt_jv *items;  /* BT_JARR / BT_JOBJ: n values */
	char **keys;          /* BT_JOBJ: n keys (NUL-terminated, no NUL inside, all
	                         different), in document order; keys[i] names items[i] */
	size_t n;
} bt_jv;

/* Parses text[0..len) as one JSON value into *out (bt_jv_free it). field
 * names the input in messages ("receipt", "events.json").
 * Strict: RFC 8259 grammar only (any value at the top, scalars too);
 * whitespace only space, tab, CR and LF (no BOM); the whole input must be
 * valid UTF-8 (bt_utf8_valid); strings: escapes \" \\ \/ \b \f \n \r \t and
 * \uXXXX with surrogate pairs joined, a lone surrogate or \u0000 refused; raw
 * control characters (below 0x20) refused; numbers: integers only (optional
 * '-', no leading zeros, fits int64; -0 reads as 0); fractions and exponents
 * refused with a message saying integers only; duplicate keys in one object
 * (compared after unescaping) refused; arrays and objects nested at most
 * BT_JSON_MAX_DEPTH deep; trailing content after the value refused; more than
 * BT_JSON_MAX bytes refused.
 * On error *out is NULL and the status BT_EINPUT, with a one-line message
 * naming field (the engine's name of the input, as err.h says), the byte offset (from 0) and what was expected, e.g.
 * "receipt: byte 17: expected ',' or '}'". BT_EFAIL only when out of memory. */
int bt_json_parse(const char *text, size_t len, const char *field, bt_jv **out, bt_err *e);

/* Frees a document that bt_json_parse returned (NULL is fine). */
void bt_jv_free(bt_jv *v);

/* The member key of object o, or NULL (also when o is NULL or not an
 * object). Linear in o's members. */
const bt_jv *bt_jv_get(const bt_jv *o, const char *key);

/* The string member key, or NULL when absent or not a string. */
const char *bt_jv_str(const bt_jv *o, const char *key);

/* 1 and *out when member key is an integer, else 0 (*out untouched). */
int bt_jv_int(const bt_jv *o, const char *key, int64_t *out);

/* Appends v as compact JSON: no white space, keys in document order, strings
 * escaped by bt_json_str, integers in decimal. So parsing what the engine's
 * writer (json.h) produced and writing it back gives the same bytes, and
 * writing is a fixed point: parse(write(v)) writes as write(v) does.
 * 0 on success, -1 when b is over its cap or out of memory (b released). */
int bt_jv_write(bt_buf *b, const bt_jv *v);

#endif
