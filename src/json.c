/* json.c - deterministic JSON writing and UTF-8 checks (include/ballot/json.h). */
#include <stdio.h>
#include <string.h>
#include "ballot/json.h"

int bt_json_str(bt_buf *b, const char *s)
{
	if (!s)
		return bt_buf_adds(b, "null");
	int rc = bt_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		switch (*p) {
		case '"': rc = bt_buf_adds(b, "\\\""); break;
		case '\\': rc = bt_buf_adds(b, "\\\\"); break;
		case '\n': rc = bt_buf_adds(b, "\\n"); break;
		case '\r': rc = bt_buf_adds(b, "\\r"); break;
		case '\t': rc = bt_buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rc = bt_buf_addf(b, "\\u%04x", *p);
			else
				rc = bt_buf_addc(b, (char)*p);
		}
	}
	return rc ? rc : bt_buf_addc(b, '"');
}

int bt_json_key(bt_buf *b, const char *key, int first)
{
	if (!first && bt_buf_addc(b, ','))
		return -1;
	if (bt_json_str(b, key))
		return -1;
	return bt_buf_addc(b, ':');
}

int bt_json_kv_str(bt_buf *b, const char *key, const char *val, int first)
{
	return bt_json_key(b, key, first) ? -1 : bt_json_str(b, val);
}

int bt_json_kv_int(bt_buf *b, const char *key, int64_t val, int first)
{
	return bt_json_key(b, key, first) ? -1 : bt_buf_addf(b, "%lld", (long long)val);
}

int bt_json_kv_bool(bt_buf *b, const char *key, int val, int first)
{
	return bt_json_key(b, key, first) ? -1 : bt_buf_adds(b, val ? "true" : "false");
}

int bt_json_kv_null(bt_buf *b, const char *key, int first)
{
	return bt_json_key(b, key, first) ? -1 : bt_buf_adds(b, "null");
}

int bt_json_kv_time(bt_buf *b, const char *key, bt_time t, int first)
{
	char ts[BT_TIME_LEN];
	bt_time_format(t, ts);
	return bt_json_kv_str(b, key, ts, first);
}

int bt_json_str_or_null(bt_buf *b, const char *s)
{
	return s && *s ? bt_json_str(b, s) : bt_buf_adds(b, "null");
}

int bt_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		int len;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (end - p < len)
			return 0;
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += len;
	}
	return 1;
}

int bt_text_clean(const char *s, int allow_newlines)
{
	size_t n = strlen(s);
	if (!bt_utf8_valid(s, n))
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (allow_newlines && (p[i] == '\n' || p[i] == '\t'))
				continue;
			return 0;
		}
		/* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F. */
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}
