/* test_json.c - the JSON writer and the UTF-8 and text checks (json.c):
 * what is written parses back to the same values; malformed UTF-8,
 * controls and characters that disguise names are told apart. */
#include "fixture.h"

/* s written as a JSON string and read back with the strict reader. */
static void round_trip(const char *s)
{
	bt_buf b = BT_BUF_INIT;
	bt_err e;
	assert_int_equal(bt_json_str(&b, s), 0);
	bt_jv *v;
	if (bt_json_parse(b.data, b.len, "t", &v, &e))
		fail_msg("%s does not parse: %s", b.data, e.msg);
	assert_int_equal(v->type, BT_JSTR);
	assert_string_equal(v->str, s);
	bt_jv_free(v);
	bt_buf_release(&b);
}

static void strings_escaped_and_read_back(void **state)
{
	(void)state;
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_json_str(&b, "a\"b\\c\nd\re\tf\x01g\x7fh/é"), 0);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh/é\"");
	bt_buf_reset(&b);
	assert_int_equal(bt_json_str(&b, NULL), 0);
	assert_string_equal(b.data, "null");
	bt_buf_reset(&b);
	assert_int_equal(bt_json_str_or_null(&b, ""), 0);
	assert_int_equal(bt_json_str_or_null(&b, NULL), 0);
	assert_int_equal(bt_json_str_or_null(&b, "x"), 0);
	assert_string_equal(b.data, "nullnull\"x\"");
	bt_buf_release(&b);
	/* every byte below 0x80 */
	char all[128];
	for (int i = 1; i < 128; i++)
		all[i - 1] = (char)i;
	all[127] = '\0';
	round_trip(all);
	round_trip("");
	round_trip("中文 العربية Ελληνικά 😀");
}

static void objects_from_the_helpers(void **state)
{
	(void)state;
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '{');
	assert_int_equal(bt_json_kv_str(&b, "s", "v", 1), 0);
	assert_int_equal(bt_json_kv_int(&b, "i", INT64_MIN, 0), 0);
	assert_int_equal(bt_json_kv_int(&b, "j", INT64_MAX, 0), 0);
	assert_int_equal(bt_json_kv_bool(&b, "t", 7, 0), 0);
	assert_int_equal(bt_json_kv_bool(&b, "f", 0, 0), 0);
	assert_int_equal(bt_json_kv_null(&b, "n", 0), 0);
	assert_int_equal(bt_json_kv_time(&b, "at", T("2020-02-29T23:59:59Z"), 0), 0);
	assert_int_equal(bt_json_key(&b, "k\"ey", 0), 0);
	bt_buf_adds(&b, "[]}");
	assert_string_equal(b.data, "{\"s\":\"v\",\"i\":-9223372036854775808,\"j\":9223372036854775807,"
				    "\"t\":true,\"f\":false,\"n\":null,\"at\":\"2020-02-29T23:59:59Z\",\"k\\\"ey\":[]}");
	bt_jv *v;
	bt_err e;
	assert_int_equal(bt_json_parse(b.data, b.len, "t", &v, &e), BT_OK);
	int64_t n;
	assert_true(bt_jv_int(v, "i", &n));
	assert_true(n == INT64_MIN);
	assert_true(bt_jv_int(v, "j", &n));
	assert_true(n == INT64_MAX);
	assert_int_equal(bt_jv_get(v, "t")->boolean, 1);
	assert_int_equal(bt_jv_get(v, "n")->type, BT_JNULL);
	assert_non_null(bt_jv_get(v, "k\"ey"));
	bt_jv_free(v);
	/* a full buffer makes every helper fail */
	bt_buf small;
	bt_buf_init(&small, 4);
	assert_int_equal(bt_json_kv_str(&small, "key", "v", 1), -1);
	assert_int_equal(bt_json_kv_int(&small, "k", 1, 0), -1);
	assert_int_equal(small.failed, 1);
	bt_buf_release(&small);
	bt_buf_release(&b);
}

static void utf8_validity(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{ "", 1 },
		{ "plain ascii", 1 },
		{ "\xc2\x80", 1 },             /* U+0080 */
		{ "\xdf\xbf", 1 },             /* U+07FF */
		{ "\xe0\xa0\x80", 1 },         /* U+0800 */
		{ "\xef\xbf\xbf", 1 },         /* U+FFFF */
		{ "\xf0\x90\x80\x80", 1 },     /* U+10000 */
		{ "\xf4\x8f\xbf\xbf", 1 },     /* U+10FFFF */
		{ "\xc0\x80", 0 },             /* overlong NUL */
		{ "\xc1\xbf", 0 },             /* overlong */
		{ "\xe0\x80\x80", 0 },         /* overlong */
		{ "\xe0\x9f\xbf", 0 },         /* overlong U+07FF */
		{ "\xf0\x80\x80\x80", 0 },     /* overlong */
		{ "\xf0\x8f\xbf\xbf", 0 },     /* overlong U+FFFF */
		{ "\xed\xa0\x80", 0 },         /* U+D800, a surrogate */
		{ "\xed\xbf\xbf", 0 },         /* U+DFFF */
		{ "\xf4\x90\x80\x80", 0 },     /* past U+10FFFF */
		{ "\xf5\x80\x80\x80", 0 },
		{ "\xff", 0 },
		{ "\x80", 0 },                 /* a lone continuation byte */
		{ "\xc3", 0 },                 /* cut short */
		{ "\xe2\x82", 0 },
		{ "a\xc3(b", 0 },              /* a non-continuation byte */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (bt_utf8_valid(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("case %zu: bt_utf8_valid gave %d", i, !cases[i].ok);
	/* the length is honoured: a NUL inside is a byte like others, and a
	 * sequence cut by n is invalid */
	assert_int_equal(bt_utf8_valid("a\0b", 3), 1);
	assert_int_equal(bt_utf8_valid("\xc3\xa9", 1), 0);
	assert_int_equal(bt_utf8_valid("\xc3\xa9", 2), 1);
}

static void clean_text_and_names(void **state)
{
	(void)state;
	assert_int_equal(bt_text_clean("Crème brûlée – ok", 0), 1);
	assert_int_equal(bt_text_clean("two\nlines\tand tab", 0), 0);
	assert_int_equal(bt_text_clean("two\nlines\tand tab", 1), 1);
	assert_int_equal(bt_text_clean("cr\r\nlf", 1), 0);
	assert_int_equal(bt_text_clean("bell\a", 1), 0);
	assert_int_equal(bt_text_clean("del\x7f", 0), 0);
	assert_int_equal(bt_text_clean("c1 \xc2\x85 nel", 1), 0);
	assert_int_equal(bt_text_clean("c1 \xc2\x9f", 0), 0);
	assert_int_equal(bt_text_clean("\xc2\xa0 nbsp", 0), 1);
	assert_int_equal(bt_text_clean("bad \xff", 0), 0);
	/* bidirectional controls are never clean; other invisible characters
	 * only matter in names */
	assert_int_equal(bt_text_clean("a\xe2\x80\xae" "b", 0), 0);  /* U+202E */
	assert_int_equal(bt_text_clean("a\xe2\x81\xa6" "b", 0), 0);  /* U+2066 */
	assert_int_equal(bt_text_clean("a\xe2\x80\x8b" "b", 0), 1);  /* U+200B in text */
	assert_int_equal(bt_name_clean("a\xe2\x80\x8b" "b"), 0);     /* but not in a name */
	assert_int_equal(bt_name_clean("Côte d'Ivoire"), 1);
	assert_int_equal(bt_name_clean("شركة"), 1);                  /* Arabic letters are text */
	assert_int_equal(bt_text_hidden("plain", 1), 0);
	assert_int_equal(bt_text_hidden("x\xc2\xad" "y", 1), 0xad);  /* soft hyphen */
	assert_int_equal(bt_text_hidden("x\xc2\xad" "y", 0), 0);
	assert_int_equal(bt_text_hidden("\xef\xbb\xbfx", 1), 0xfeff);
	assert_int_equal(bt_text_hidden("x\xf3\xa0\x80\x81", 1), 0xe0001); /* a tag */
	assert_int_equal(bt_text_hidden("\xd8\x9c", 1), 0x61c);      /* Arabic letter mark */
	assert_int_equal(bt_text_hidden("\xff\xe2\x80\xae", 1), 0);  /* not UTF-8: not judged here */

	bt_err e;
	assert_int_equal(bt_name_check("signatory", "A. Signatory", 200, &e), BT_OK);
	assert_int_equal(bt_name_check("signatory", "evil\xe2\x80\xae" "gpj.exe", 200, &e), BT_EINPUT);
	assert_string_equal(e.msg, "signatory: has U+202E, an invisible or bidirectional control character that can disguise a name");
	assert_int_equal(bt_name_check("title", "x\xe2\x80\x8dy", 200, &e), BT_EINPUT);
	assert_string_equal(e.msg, "title: has U+200D, an invisible or bidirectional control character that can disguise a name");
	assert_int_equal(bt_name_check("signatory", "a\nb", 200, &e), BT_EINPUT);
	assert_string_equal(e.msg, "signatory: not valid UTF-8 or has control characters");
	assert_int_equal(bt_name_check("signatory", "abcd", 3, &e), BT_EINPUT);
	assert_string_equal(e.msg, "signatory: longer than 3 bytes");
	assert_int_equal(bt_name_check("signatory", "abc", 3, &e), BT_OK);
	assert_int_equal(bt_name_check("signatory", "abcd", 0, &e), BT_OK); /* 0: no limit */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_escaped_and_read_back),
		cmocka_unit_test(objects_from_the_helpers),
		cmocka_unit_test(utf8_validity),
		cmocka_unit_test(clean_text_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
