/* json.h - a small JSON writer into a bt_buf, and the text checks.
 *
 * Output is compact and deterministic: the caller chooses the key order.
 * Strings are escaped per RFC 8259 (control characters as \u00XX, '/' kept).
 */
#ifndef BALLOT_JSON_H
#define BALLOT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/timeutil.h"

/* Appends s as a JSON string literal (s must be valid UTF-8); NULL is null. */
int bt_json_str(bt_buf *b, const char *s);

/* Appends "key": (with a leading comma unless first). */
int bt_json_key(bt_buf *b, const char *key, int first);

/* Appends "key":"value" / "key":number / "key":true|false / "key":null. */
int bt_json_kv_str(bt_buf *b, const char *key, const char *val, int first);
int bt_json_kv_int(bt_buf *b, const char *key, int64_t val, int first);
int bt_json_kv_bool(bt_buf *b, const char *key, int val, int first);
int bt_json_kv_null(bt_buf *b, const char *key, int first);

/* Appends "key":"2020-02-21T23:59:00Z" (t printed by bt_time_format). */
int bt_json_kv_time(bt_buf *b, const char *key, bt_time t, int first);

/* Appends s as a JSON string, or null when s is NULL or empty. */
int bt_json_str_or_null(bt_buf *b, const char *s);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates), else 0. */
int bt_utf8_valid(const char *s, size_t n);

/* 1 when s is valid UTF-8 made of spaces only (U+0020, tab, and the Unicode
 * space separators: no-break, em, ideographic, ...), or empty; else 0. */
int bt_text_blank(const char *s);

/* 1 when s is valid UTF-8 with no control characters (C0, DEL, C1) and no
 * bidirectional embedding, override or isolate (U+202A-U+202E,
 * U+2066-U+2069); allow_newlines lets \n and \t through (for free text).
 * Arabic and Hebrew letters are text like any other. */
int bt_text_clean(const char *s, int allow_newlines);

/* bt_text_clean(s, 0), and also no invisible format character (U+200B-U+200F,
 * U+2060-U+2064, U+FEFF, U+00AD, U+061C, fillers, variation selectors,
 * tags...): for names that a reader tells apart by eye (attachment names,
 * titles, actor, signatory, member names). */
int bt_name_clean(const char *s);

/* The first bidirectional control (names: or invisible format character)
 * in s, or 0 when none (or when s is not valid UTF-8). For messages. */
uint32_t bt_text_hidden(const char *s, int names);

struct bt_err;
/* BT_OK when s passes bt_name_clean and is at most max bytes (0: any);
 * else BT_EINPUT naming field (the engine's name of the input, as err.h says) and the character at fault (U+XXXX). */
int bt_name_check(const char *field, const char *s, size_t max, struct bt_err *e);

#endif
