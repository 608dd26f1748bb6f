/* test_jsonread.c - the strict JSON reader (jsonread.h): every type, every
 * refusal with its message, the round trip through the engine's writer. */
#include "fixture.h"

/* Parses s (its strlen) as "receipt"; fails the test when refused. */
static bt_jv *ok(const char *s)
{
	bt_jv *v;
	bt_err e;
	if (bt_json_parse(s, strlen(s), "receipt", &v, &e) != BT_OK)
		fail_msg("refused %s: %s", s, e.msg);
	return v;
}

/* Parses n bytes at s; checks the refusal and its whole message. */
static void refused_n(const char *s, size_t n, const char *msg)
{
	bt_jv *v = (bt_jv *)1;
	bt_err e;
	int rc = bt_json_parse(s, n, "receipt", &v, &e);
	if (rc != BT_EINPUT)
		fail_msg("accepted %.*s", (int)n, s);
	assert_null(v);
	assert_int_equal(e.code, BT_EINPUT);
	assert_string_equal(e.msg, msg);
}

static void refused(const char *s, const char *msg)
{
	refused_n(s, strlen(s), msg);
}

/* write(parse(s)) */
static char *rewrite(const char *s)
{
	bt_jv *v = ok(s);
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_jv_write(&b, v), 0);
	bt_jv_free(v);
	char *out = bt_buf_detach(&b, NULL);
	assert_non_null(out);
	return out;
}

static void parses_every_type(void **state)
{
	(void)state;
	bt_jv *v = ok("null");
	assert_int_equal(v->type, BT_JNULL);
	bt_jv_free(v);
	v = ok(" true ");
	assert_int_equal(v->type, BT_JBOOL);
	assert_int_equal(v->boolean, 1);
	bt_jv_free(v);
	v = ok("false");
	assert_int_equal(v->type, BT_JBOOL);
	assert_int_equal(v->boolean, 0);
	bt_jv_free(v);
	v = ok("-42");
	assert_int_equal(v->type, BT_JINT);
	assert_true(v->num == -42);
	bt_jv_free(v);
	v = ok("0");
	assert_true(v->type == BT_JINT && v->num == 0);
	bt_jv_free(v);
	v = ok("-0");
	assert_true(v->type == BT_JINT && v->num == 0);
	bt_jv_free(v);
	v = ok("\"Q.5051\"");
	assert_int_equal(v->type, BT_JSTR);
	assert_string_equal(v->str, "Q.5051");
	assert_int_equal(v->len, 6);
	bt_jv_free(v);
	v = ok("\"\"");
	assert_int_equal(v->type, BT_JSTR);
	assert_string_equal(v->str, "");
	assert_int_equal(v->len, 0);
	bt_jv_free(v);
	v = ok("[]");
	assert_true(v->type == BT_JARR && v->n == 0 && v->items == NULL);
	bt_jv_free(v);
	v = ok("{}");
	assert_true(v->type == BT_JOBJ && v->n == 0 && v->items == NULL && v->keys == NULL);
	bt_jv_free(v);

	v = ok("\t{ \"circular\" : \"205\",\r\n \"event\":17, \"member\":null, \"ok\":true,\n"
	       "  \"attachments\":[{\"role\":\"comments\",\"size\":1024},[],{}, [1, [2, [3]]]] }\n");
	assert_int_equal(v->type, BT_JOBJ);
	assert_int_equal(v->n, 5);
	assert_string_equal(v->keys[0], "circular");
	assert_string_equal(v->keys[4], "attachments");
	assert_string_equal(bt_jv_str(v, "circular"), "205");
	int64_t n = 0;
	assert_int_equal(bt_jv_int(v, "event", &n), 1);
	assert_true(n == 17);
	assert_int_equal(bt_jv_int(v, "circular", &n), 0);
	assert_true(n == 17);
	assert_int_equal(bt_jv_int(v, "absent", &n), 0);
	assert_null(bt_jv_str(v, "event"));
	assert_null(bt_jv_str(v, "member"));
	assert_int_equal(bt_jv_get(v, "member")->type, BT_JNULL);
	assert_int_equal(bt_jv_get(v, "ok")->boolean, 1);
	assert_null(bt_jv_get(v, "absent"));
	const bt_jv *a = bt_jv_get(v, "attachments");
	assert_true(a->type == BT_JARR && a->n == 4);
	assert_null(bt_jv_get(a, "role")); /* not an object */
	assert_string_equal(bt_jv_str(&a->items[0], "role"), "comments");
	assert_true(bt_jv_int(&a->items[0], "size", &n) && n == 1024);
	assert_true(a->items[1].type == BT_JARR && a->items[1].n == 0);
	assert_true(a->items[2].type == BT_JOBJ && a->items[2].n == 0);
	const bt_jv *deep = &a->items[3].items[1].items[1];
	assert_true(deep->type == BT_JARR && deep->n == 1 && deep->items[0].num == 3);
	assert_null(bt_jv_get(NULL, "x"));
	assert_null(bt_jv_str(NULL, "x"));
	bt_jv_free(v);
	bt_jv_free(NULL);
}

static void unescapes_strings(void **state)
{
	(void)state;
	bt_jv *v = ok("\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t\"");
	assert_string_equal(v->str, "q\"b\\s/b\bf\fn\nr\rt\t");
	assert_int_equal(v->len, 16);
	bt_jv_free(v);
	v = ok("\"\\u00e9\\u00C9 \\u20ac \\u2028 \\u0001\"");
	assert_string_equal(v->str, "\xc3\xa9\xc3\x89 \xe2\x82\xac \xe2\x80\xa8 \x01");
	bt_jv_free(v);
	/* a surrogate pair joins into one 4-byte character; raw UTF-8 stays */
	v = ok("\"\\ud83d\\uDE00 = \xf0\x9f\x98\x80, Gen\xc3\xa8ve, \xe4\xb8\xad\"");
	assert_string_equal(v->str, "\xf0\x9f\x98\x80 = \xf0\x9f\x98\x80, Gen\xc3\xa8ve, \xe4\xb8\xad");
	assert_int_equal(v->len, strlen(v->str));
	bt_jv_free(v);
	v = ok("\"\\udbff\\udfff\"");
	assert_string_equal(v->str, "\xf4\x8f\xbf\xbf");
	bt_jv_free(v);
	/* raw DEL and C1 are not control characters to RFC 8259 */
	v = ok("\"\x7f\xc2\x85\"");
	assert_int_equal(v->len, 3);
	bt_jv_free(v);
	v = ok("{\"cl\\u00e9\":\"v\"}");
	assert_string_equal(v->keys[0], "cl\xc3\xa9");
	assert_string_equal(bt_jv_str(v, "cl\xc3\xa9"), "v");
	bt_jv_free(v);
}

static void refuses_bad_grammar(void **state)
{
	(void)state;
	refused("", "receipt: byte 0: expected a value");
	refused("   ", "receipt: byte 3: expected a value");
	refused("{\"format\":\"x\" \"kind\":1}", "receipt: byte 14: expected ',' or '}'");
	refused("{\"a\":1,}", "receipt: byte 7: expected a string key");
	refused("{,}", "receipt: byte 1: expected a string key or '}'");
	refused("{a:1}", "receipt: byte 1: expected a string key or '}'");
	refused("{\"a\" 1}", "receipt: byte 5: expected ':'");
	refused("{\"a\":}", "receipt: byte 5: expected a value");
	refused("{\"a\":1", "receipt: byte 6: expected ',' or '}'");
	refused("[1,]", "receipt: byte 3: expected a value");
	refused("[", "receipt: byte 1: expected a value or ']'");
	refused("[1 2]", "receipt: byte 3: expected ',' or ']'");
	refused("[1}", "receipt: byte 2: expected ',' or ']'");
	refused("tru", "receipt: byte 0: expected 'true'");
	refused("[nul]", "receipt: byte 1: expected 'null'");
	refused("fals", "receipt: byte 0: expected 'false'");
	refused("True", "receipt: byte 0: expected a value");
	refused("'a'", "receipt: byte 0: expected a value");
	refused("+1", "receipt: byte 0: expected a value");
	refused("-", "receipt: byte 1: expected a digit");
	refused("-a", "receipt: byte 1: expected a digit");
	refused("1 2", "receipt: byte 2: expected the end of the input");
	refused("{}}", "receipt: byte 2: expected the end of the input");
	refused("nullx", "receipt: byte 4: expected the end of the input");
	/* white space: only space, tab, CR, LF */
	refused("\f1", "receipt: byte 0: expected a value");
	refused("[1,\v2]", "receipt: byte 3: expected a value");
	refused("\xef\xbb\xbf{}", "receipt: byte 0: expected a value"); /* BOM */
	refused("[\xc2\xa0]", "receipt: byte 1: expected a value or ']'"); /* NBSP */
	refused_n("[1]\0", 4, "receipt: byte 3: expected the end of the input");
	/* the field names the input; NULL says json */
	bt_jv *v;
	bt_err e;
	assert_int_equal(bt_json_parse("[", 1, "events.json", &v, &e), BT_EINPUT);
	assert_string_equal(e.msg, "events.json: byte 1: expected a value or ']'");
	assert_int_equal(bt_json_parse("[", 1, NULL, &v, &e), BT_EINPUT);
	assert_string_equal(e.msg, "json: byte 1: expected a value or ']'");
}

static void refuses_bad_strings(void **state)
{
	(void)state;
	refused("\"abc", "receipt: byte 4: expected '\"' to end the string");
	refused("{\"abc", "receipt: byte 5: expected '\"' to end the string");
	refused("\"a\nb\"", "receipt: byte 2: expected an escape for control character U+000A in a string");
	refused("\"a\tb\"", "receipt: byte 2: expected an escape for control character U+0009 in a string");
	refused_n("\"a\0b\"", 5, "receipt: byte 2: expected an escape for control character U+0000 in a string");
	refused_n("[\0]", 3, "receipt: byte 1: expected a value or ']'");
	refused("\"\\x41\"",
		"receipt: byte 1: expected an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
	refused("\"\\'\"", "receipt: byte 1: expected an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
	refused("\"ab\\", "receipt: byte 3: expected an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
	refused("\"\\u12g4\"", "receipt: byte 1: expected four hex digits after \\u");
	refused("\"\\u12\"", "receipt: byte 1: expected four hex digits after \\u");
	refused("\"\\u12", "receipt: byte 1: expected four hex digits after \\u");
	refused("\"x\\u0000\"", "receipt: byte 2: \\u0000 is refused in a string");
	static const char *lone_high[] = {
		"\"x\\ud800\"", "\"x\\ud800x\"", "\"x\\udbff\\u0041\"", "\"x\\ud800\\ud800\"", "\"x\\ud83d\\n\"",
		"\"x\\ud83d",
	};
	for (size_t i = 0; i < sizeof lone_high / sizeof lone_high[0]; i++)
		refused(lone_high[i], "receipt: byte 2: lone surrogate: expected \\uDC00-\\uDFFF after \\uD800-\\uDBFF");
	refused("\"x\\udc00\"", "receipt: byte 2: lone surrogate: expected \\uD800-\\uDBFF before \\uDC00-\\uDFFF");
	refused("\"x\\uDFFF\\ud800\"", "receipt: byte 2: lone surrogate: expected \\uD800-\\uDBFF before \\uDC00-\\uDFFF");
}

static void refuses_bad_utf8(void **state)
{
	(void)state;
	refused("\"ab\xff\"", "receipt: byte 3: expected valid UTF-8");
	refused("[\"\xc3\xa9\", \"\xc0\xaf\"]", "receipt: byte 8: expected valid UTF-8"); /* overlong */
	refused("\"\xed\xa0\x80\"", "receipt: byte 1: expected valid UTF-8");            /* a surrogate */
	refused("\"\xf4\x90\x80\x80\"", "receipt: byte 1: expected valid UTF-8");        /* > U+10FFFF */
	refused("\"\xe2\x82", "receipt: byte 1: expected valid UTF-8");                  /* cut short */
	refused("\"\x80\"", "receipt: byte 1: expected valid UTF-8");
	/* even where the grammar would fail first */
	refused("x\xff", "receipt: byte 1: expected valid UTF-8");
}

static void integers_only_within_int64(void **state)
{
	(void)state;
	bt_jv *v = ok("[9223372036854775807,-9223372036854775808,-1,1000000]");
	assert_true(v->items[0].num == INT64_MAX);
	assert_true(v->items[1].num == INT64_MIN);
	assert_true(v->items[2].num == -1);
	assert_true(v->items[3].num == 1000000);
	bt_jv_free(v);
	refused("9223372036854775808",
		"receipt: byte 0: expected an integer from -9223372036854775808 to 9223372036854775807");
	refused("[-9223372036854775809]",
		"receipt: byte 1: expected an integer from -9223372036854775808 to 9223372036854775807");
	refused("[1,99999999999999999999999999]",
		"receipt: byte 3: expected an integer from -9223372036854775808 to 9223372036854775807");
	refused("1.5", "receipt: byte 1: expected an integer (integers only: no fraction or exponent)");
	refused("{\"n\":10e3}", "receipt: byte 7: expected an integer (integers only: no fraction or exponent)");
	refused("1E3", "receipt: byte 1: expected an integer (integers only: no fraction or exponent)");
	refused("-0.0", "receipt: byte 2: expected an integer (integers only: no fraction or exponent)");
	refused("[01]", "receipt: byte 1: expected an integer without leading zeros");
	refused("-00", "receipt: byte 1: expected an integer without leading zeros");
	refused("1.", "receipt: byte 1: expected an integer (integers only: no fraction or exponent)");
}

static void refuses_duplicate_keys(void **state)
{
	(void)state;
	refused("{\"a\":1,\"b\":2,\"a\":3}", "receipt: byte 13: duplicate key \"a\"");
	/* compared unescaped; named unescaped */
	refused("{\"kind\":1,\"\\u006bind\":2}", "receipt: byte 10: duplicate key \"kind\"");
	/* the first repeat in document order is the one named */
	refused("{\"b\":1,\"a\":1,\"a\":2,\"b\":2}", "receipt: byte 13: duplicate key \"a\"");
	/* a key that would not print on one line is not shown */
	refused("{\"a\\nb\":1,\"a\\nb\":2}", "receipt: byte 10: duplicate key");
	/* the same key in different objects, and prefixes, are fine */
	bt_jv *v = ok("{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}],\"ab\":0,\"\":1,\"a\\u0001b\\\\\":2}");
	bt_jv_free(v);
}

static void refuses_more_than_the_cap(void **state)
{
	(void)state;
	size_t n = BT_JSON_MAX + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '0';
	bt_jv *v;
	bt_err e;
	assert_int_equal(bt_json_parse(big, n, "events.json", &v, &e), BT_EINPUT);
	assert_string_equal(e.msg, "events.json: byte 16777216: expected at most 16777216 bytes");
	assert_null(v);
	/* at the cap itself it parses */
	assert_int_equal(bt_json_parse(big, n - 1, "events.json", &v, &e), BT_OK);
	assert_true(v->type == BT_JINT && v->num == 0);
	bt_jv_free(v);
	free(big);
}

/* n arrays nested, "[[[...]]]", or n objects, {"k":{"k":...1}} */
static char *nested(int n, char open, char close)
{
	char *s = malloc(6 * (size_t)n + 16);
	assert_non_null(s);
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		s[k++] = open;
		if (open == '{') {
			memcpy(s + k, "\"k\":", 4);
			k += 4;
		}
	}
	if (open == '{') {
		memcpy(s + k, "1", 1);
		k++;
	}
	for (int i = 0; i < n; i++)
		s[k++] = close;
	s[k] = '\0';
	return s;
}

/* 64 levels of open..close parse, 65 are refused at byte at; returns the
 * 64-level document (bt_jv_free it). */
static bt_jv *depth_limit(char open, char close, const char *msg65)
{
	char *s = nested(65, open, close);
	refused(s, msg65);
	free(s);
	s = nested(64, open, close);
	bt_jv *v = ok(s);
	free(s);
	return v;
}

static void nesting_stops_at_64(void **state)
{
	(void)state;
	bt_jv *v = depth_limit('[', ']', "receipt: byte 64: expected at most 64 levels of nesting");
	const bt_jv *in = v;
	for (int i = 1; i < 64; i++)
		in = &in->items[0];
	assert_true(in->type == BT_JARR && in->n == 0);
	bt_jv_free(v);
	v = depth_limit('{', '}', "receipt: byte 320: expected at most 64 levels of nesting");
	in = v;
	for (int i = 0; i < 64; i++)
		in = bt_jv_get(in, "k");
	assert_true(in->type == BT_JINT && in->num == 1);
	bt_jv_free(v);
	/* a deep one far past the limit stops there too (no deep recursion) */
	char *s = nested(100000, '[', ']');
	refused(s, "receipt: byte 64: expected at most 64 levels of nesting");
	free(s);
}

/* The engine's writer makes a document; the reader gives back the same bytes. */
static void round_trips_the_writer(void **state)
{
	(void)state;
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_buf_addc(&b, '{'), 0);
	bt_json_kv_str(&b, "format", "ballot-receipt/1", 1);
	bt_json_kv_str(&b, "kind", "reply", 0);
	bt_json_kv_str(&b, "circular", "205", 0);
	bt_json_kv_str(&b, "member", "CHE", 0);
	bt_json_kv_null(&b, "draft", 0);
	bt_json_kv_str(&b, "choice", "authorize", 0);
	bt_json_key(&b, "attachments", 0);
	bt_buf_adds(&b, "[{");
	bt_json_kv_str(&b, "role", "comments", 1);
	bt_json_kv_str(&b, "name", "comments \"fr\"\\ \xc3\xa9t\xc3\xa9\t\n\r\x01\x1f\x7f/\xf0\x9f\x98\x80.pdf", 0);
	bt_json_kv_int(&b, "size", 1024, 0);
	bt_buf_adds(&b, "},[],{}]");
	bt_json_kv_time(&b, "received", T("2020-02-03T15:20:00Z"), 0);
	bt_json_kv_int(&b, "event", 17, 0);
	bt_json_kv_int(&b, "min", INT64_MIN, 0);
	bt_json_kv_int(&b, "max", INT64_MAX, 0);
	bt_json_kv_bool(&b, "late", 0, 0);
	bt_json_kv_bool(&b, "ok", 1, 0);
	bt_json_kv_str(&b, "", "", 0);
	/* a body: canonical JSON as a string */
	bt_json_kv_str(&b, "body", "{\"seq\":17,\"text\":\"a\\\"b\\n\"}", 0);
	bt_buf_addc(&b, '}');
	assert_int_equal(b.failed, 0);
	char *back = rewrite(b.data);
	assert_string_equal(back, b.data);
	free(back);

	static const char *same[] = {
		"null", "true", "false", "0", "-1", "\"\"", "[]", "{}", "[[]]", "[{}]", "{\"a\":[1,2,{\"b\":null}]}",
		"\"\\u0001\\u007f\"",
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		back = rewrite(same[i]);
		assert_string_equal(back, same[i]);
		free(back);
	}
	/* other spellings come back canonical */
	static const char *canon[][2] = {
		{ " [ 1 , -0 ,\t{ \"a\" : \"\\/\\u0041\\ud83d\\ude00\\b\\f\" } ]\r\n",
		  "[1,0,{\"a\":\"/A\xf0\x9f\x98\x80\\u0008\\u000c\"}]" },
		{ "\"\x7f\\u007F\"", "\"\\u007f\\u007f\"" },
		{ "\"\\u00E9\"", "\"\xc3\xa9\"" },
	};
	for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
		back = rewrite(canon[i][0]);
		assert_string_equal(back, canon[i][1]);
		char *again = rewrite(back);
		assert_string_equal(again, back);
		free(again);
		free(back);
	}
	bt_buf_release(&b);

	/* a buffer that fills up: -1 and released, at any depth */
	bt_jv *v = ok("{\"a\":[1,{\"b\":\"long enough\"}]}");
	for (size_t max = 1; max < 30; max++) {
		bt_buf small;
		bt_buf_init(&small, max);
		int rc = bt_jv_write(&small, v);
		assert_int_equal(rc, max < 29 ? -1 : 0); /* it is 29 bytes */
		if (rc)
			assert_int_equal(small.len, 0);
		bt_buf_release(&small);
	}
	bt_jv_free(v);
}

/* Large flat inputs and many keys stay linear (this test takes well under a
 * second; a quadratic duplicate check would not). */
static void large_inputs_are_linear(void **state)
{
	(void)state;
	size_t n = 200000;
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '{');
	for (size_t i = 0; i < n; i++)
		bt_buf_addf(&b, "%s\"key%zu\":%zu", i ? "," : "", i, i);
	bt_buf_addc(&b, '}');
	bt_jv *v = ok(b.data);
	assert_int_equal(v->n, n);
	int64_t x;
	assert_true(bt_jv_int(v, "key199999", &x) && x == 199999);
	bt_jv_free(v);
	/* the same with one repeat at the end */
	b.data[b.len - 1] = '\0';
	b.len--;
	size_t at = b.len + 1;
	bt_buf_adds(&b, ",\"key5\":1}");
	bt_jv *w;
	bt_err e;
	assert_int_equal(bt_json_parse(b.data, b.len, "receipt", &w, &e), BT_EINPUT);
	char want[80];
	snprintf(want, sizeof want, "receipt: byte %zu: duplicate key \"key5\"", at);
	assert_string_equal(e.msg, want);
	bt_buf_reset(&b);
	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < 1000000; i++)
		bt_buf_adds(&b, i ? ",[]" : "[]");
	bt_buf_addc(&b, ']');
	v = ok(b.data);
	assert_int_equal(v->n, 1000000);
	bt_jv_free(v);
	bt_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_type),
		cmocka_unit_test(unescapes_strings),
		cmocka_unit_test(refuses_bad_grammar),
		cmocka_unit_test(refuses_bad_strings),
		cmocka_unit_test(refuses_bad_utf8),
		cmocka_unit_test(integers_only_within_int64),
		cmocka_unit_test(refuses_duplicate_keys),
		cmocka_unit_test(refuses_more_than_the_cap),
		cmocka_unit_test(nesting_stops_at_64),
		cmocka_unit_test(round_trips_the_writer),
		cmocka_unit_test(large_inputs_are_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
