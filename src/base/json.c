/* json.c - deterministic JSON writing and UTF-8 checks (include/ballot/json.h). */
#include <stdio.h>
#include <string.h>
#include "ballot/err.h"
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

