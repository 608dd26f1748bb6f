/* fuzz_utf8.c - bt_utf8_valid and bt_text_clean (json.h), the gate for
 * every name, title, signatory, file name and portal text field; checked
 * against a plain reference decoder (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF); and bt_name_clean, which refuses more: clean
 * text holds no bidirectional control (U+202A-U+202E, U+2066-U+2069), a
 * clean name no zero-width character either. */
#include "fuzz.h"

static int ref_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4, cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int valid = bt_utf8_valid((const char *)data, size);
	if (!!valid != ref_valid(data, size)) {
		fprintf(stderr, "bt_utf8_valid says %d\n", valid);
		abort();
	}
	char *s = fuzz_str(data, size);
	int clean = bt_text_clean(s, 0), clean_nl = bt_text_clean(s, 1);
	/* clean text is valid UTF-8 (up to its first NUL), and allowing line
	 * breaks never refuses more */
	if ((clean && !bt_utf8_valid(s, strlen(s))) || (clean && !clean_nl))
		abort();
	if (clean && (strchr(s, '\n') || strchr(s, '\t')))
		abort();
	int name = bt_name_clean(s);
	if (name && !clean)
		abort();
	for (const unsigned char *p = (const unsigned char *)s; clean && *p; p++) {
		if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
				     (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
			abort(); /* a bidirectional control passed as text */
		if (name && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x8b && p[2] <= 0x8f)
			abort(); /* a zero-width character passed as a name */
	}
	free(s);
	return 0;
}
