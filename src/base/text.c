/* text.c - what text the engine accepts: valid UTF-8, no control, bidi or
 * invisible characters where a reader could be misled (include/ballot/json.h;
 * base floor). */
#include <stdint.h>
#include <string.h>
#include "base/base.h"

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

/* The code point at p (valid UTF-8), its length in *len. */
static uint32_t utf8_at(const unsigned char *p, int *len)
{
	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if (p[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if (p[0] < 0xf0) {
		*len = 3;
		return (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
	       (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
}

static int bidi_control(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Characters that print as nothing (or as a blank) and so can make one name
 * look like another: format characters (Unicode Cf), fillers, variation
 * selectors and tags. */
static int invisible(uint32_t c)
{
	return bidi_control(c) || c == 0x00ad || c == 0x034f || c == 0x061c || c == 0x115f ||
	       c == 0x1160 || c == 0x17b4 || c == 0x17b5 || (c >= 0x180b && c <= 0x180f) ||
	       (c >= 0x200b && c <= 0x200f) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x2060 && c <= 0x2064) || (c >= 0x206a && c <= 0x206f) || c == 0x3164 ||
	       (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff || c == 0xffa0 ||
	       (c >= 0xfff9 && c <= 0xfffb) || (c >= 0x1bca0 && c <= 0x1bca3) ||
	       (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe0fff);
}

uint32_t bt_text_hidden(const char *s, int names)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	if (!bt_utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n;) {
		int len;
		uint32_t c = utf8_at(p + i, &len);
		if (names ? invisible(c) : bidi_control(c))
			return c;
		i += (size_t)len;
	}
	return 0;
}

int bt_text_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	if (!bt_utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n;) {
		int len;
		uint32_t c = utf8_at(p + i, &len);
		if (c != ' ' && c != '\t' && c != 0xa0 && c != 0x1680 && !(c >= 0x2000 && c <= 0x200a) &&
		    c != 0x202f && c != 0x205f && c != 0x3000)
			return 0;
		i += (size_t)len;
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
	return bt_text_hidden(s, 0) == 0;
}

int bt_name_clean(const char *s)
{
	return bt_text_clean(s, 0) && bt_text_hidden(s, 1) == 0;
}

int bt_name_check(const char *field, const char *s, size_t max, bt_err *e)
{
	uint32_t c = bt_text_hidden(s, 1);
	if (c)
		return bt_failf(e, BT_R_INPUT, field,
				"has U+%04X, an invisible or bidirectional control character"
				" that can disguise a name", (unsigned)c);
	if (!bt_text_clean(s, 0))
		return bt_failf(e, BT_R_INPUT, field, "not valid UTF-8 or has control characters");
	if (max && strlen(s) > max)
		return bt_failf(e, BT_R_INPUT, field, "longer than %zu bytes", max);
	return BT_OK;
}

const char *text_shown(const char *s)
{
	return s && strlen(s) <= 64 && bt_text_clean(s, 0) ? s : "(unprintable)";
}
