/* jsonread.c - the strict JSON reader (include/ballot/jsonread.h).
 *
 * Two passes over the same grammar code. The first checks everything and
 * measures: how many values, object keys and string bytes, and how many
 * children each array and object has (in the order they open). Then one
 * block is allocated, exactly that size, and the second pass fills it: the
 * root value first, then every array of children, the key arrays, and the
 * string bytes. So the tree is one free(), an error leaves nothing behind,
 * and nothing is ever copied or grown but the two scratch lists of the first
 * pass. Recursion follows the nesting, at most BT_JSON_MAX_DEPTH deep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/json.h"
#include "ballot/jsonread.h"

/* A key of an open object, seen in the first pass: the raw bytes between its
 * quotes (stop is just past the closing quote). */
typedef struct keyrec {
	const unsigned char *start, *stop;
} keyrec;

typedef struct parser {
	const unsigned char *s;
	size_t len, pos;
	const char *field;
	bt_err *e;
	int build; /* 0: first pass (check, measure); 1: second pass (fill) */
	/* first pass: totals, children per container, keys of open objects */
	size_t nvalues, nkeys, nbytes;
	size_t *counts, ncounts, capcounts;
	keyrec *keys;
	size_t nkeyrecs, capkeyrecs;
	/* second pass: the next free place of each kind in the block */
	size_t ci;
	bt_jv *nodes;
	char **keyslots;
	char *bytes;
} parser;

static int fail_at(parser *p, size_t at, const char *what)
{
	return bt_failf(p->e, BT_R_INPUT, p->field, "byte %zu: %s", at, what);
}

static int expected(parser *p, const char *what)
{
	return bt_failf(p->e, BT_R_INPUT, p->field, "byte %zu: expected %s", p->pos, what);
}

static int oom(parser *p)
{
	return bt_failf(p->e, BT_R_NOMEM, p->field, "out of memory");
}

/* Makes room for element n of size sz in arr (doubling): the array, moved
 * or not, or NULL when out of memory (arr is then left as it was). */
static void *grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / sz)
		return NULL;
	void *na = realloc(arr, ncap * sz);
	if (na)
		*cap = ncap;
	return na;
}

static void skip_ws(parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

/* ---- strings ---- */

enum { CP_OK, CP_END, CP_EOF, CP_CTRL, CP_ESC, CP_HEX, CP_NUL, CP_HIGH, CP_LOW };

static int hex4(const unsigned char *q, const unsigned char *end, uint32_t *v)
{
	if (end - q < 4)
		return -1;
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = q[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* Reads the next code point of a string body at *pp (input already known to
 * be valid UTF-8): CP_OK with *cp, CP_END past the closing quote, or the
 * error, *pp left where it is. */
static int cp_next(const unsigned char **pp, const unsigned char *end, uint32_t *cp)
{
	const unsigned char *q = *pp;
	if (q >= end)
		return CP_EOF;
	unsigned c = *q;
	if (c == '"') {
		*pp = q + 1;
		return CP_END;
	}
	if (c < 0x20)
		return CP_CTRL;
	if (c != '\\') {
		int n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		uint32_t v = n == 1 ? c : c & (0x3fu >> (n - 1));
		for (int i = 1; i < n; i++)
			v = v << 6 | (q[i] & 0x3f);
		*cp = v;
		*pp = q + n;
		return CP_OK;
	}
	if (end - q < 2)
		return CP_ESC;
	static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	for (const char *m = simple; *m; m += 2) {
		if (q[1] == (unsigned char)m[0]) {
			*cp = (unsigned char)m[1];
			*pp = q + 2;
			return CP_OK;
		}
	}
	if (q[1] != 'u')
		return CP_ESC;
	uint32_t hi, lo;
	if (hex4(q + 2, end, &hi))
		return CP_HEX;
	if (hi == 0)
		return CP_NUL;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return CP_LOW;
	if (hi < 0xd800 || hi > 0xdbff) {
		*cp = hi;
		*pp = q + 6;
		return CP_OK;
	}
	if (end - q < 8 || q[6] != '\\' || q[7] != 'u' || hex4(q + 8, end, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return CP_HIGH;
	*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	*pp = q + 12;
	return CP_OK;
}

/* Writes cp as UTF-8 at d (when not NULL); returns its length. */
static size_t utf8_put(char *d, uint32_t cp)
{
	unsigned char *u = (unsigned char *)d;
	if (cp < 0x80) {
		if (u)
			u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		if (u) {
			u[0] = (unsigned char)(0xc0 | cp >> 6);
			u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		}
		return 2;
	}
	if (cp < 0x10000) {
		if (u) {
			u[0] = (unsigned char)(0xe0 | cp >> 12);
			u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		}
		return 3;
	}
	if (u) {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	}
	return 4;
}

static int string_error(parser *p, int r, size_t at)
{
	char what[96];
	switch (r) {
	case CP_EOF:
		return fail_at(p, at, "expected '\"' to end the string");
	case CP_CTRL:
		snprintf(what, sizeof what, "expected an escape for control character U+%04X in a string",
			 (unsigned)p->s[at]);
		return fail_at(p, at, what);
	case CP_ESC:
		return fail_at(p, at, "expected an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
	case CP_HEX:
		return fail_at(p, at, "expected four hex digits after \\u");
	case CP_NUL:
		return fail_at(p, at, "\\u0000 is refused in a string");
	case CP_HIGH:
		return fail_at(p, at, "lone surrogate: expected \\uDC00-\\uDFFF after \\uD800-\\uDBFF");
	default:
		return fail_at(p, at, "lone surrogate: expected \\uD800-\\uDBFF before \\uDC00-\\uDFFF");
	}
}

/* The string at p->pos (its opening quote). First pass: measures (*n, the
 * bytes decoded); second: decodes into p->bytes, NUL-terminated, and points
 * *dst at it. */
static int parse_string(parser *p, char **dst, size_t *n)
{
	const unsigned char *q = p->s + p->pos + 1, *end = p->s + p->len;
	char *d = p->build ? p->bytes : NULL;
	size_t k = 0;
	for (;;) {
		uint32_t cp;
		const unsigned char *at = q;
		int r = cp_next(&q, end, &cp);
		if (r == CP_END)
			break;
		if (r != CP_OK)
			return string_error(p, r, (size_t)(at - p->s));
		k += utf8_put(d ? d + k : NULL, cp);
	}
	if (d) {
		d[k] = '\0';
		*dst = d;
		p->bytes += k + 1;
	} else {
		p->nbytes += k + 1;
	}
	*n = k;
	p->pos = (size_t)(q - p->s);
	return BT_OK;
}

/* Orders two keys by their unescaped code points; equal ones by position. */
static int key_order(const keyrec *a, const keyrec *b, int tie)
{
	const unsigned char *x = a->start, *y = b->start;
	for (;;) {
		uint32_t cx = 0, cy = 0;
		int rx = cp_next(&x, a->stop, &cx), ry = cp_next(&y, b->stop, &cy);
		if (rx != CP_OK || ry != CP_OK) {
			if (rx == ry)
				break;
			return rx == CP_OK ? 1 : -1; /* the one that ended is less */
		}
		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	if (!tie)
		return 0;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int key_cmp(const void *a, const void *b)
{
	return key_order(a, b, 1);
}

/* First pass, at the close of an object: its n keys are the last n records.
 * Refuses the first key (in document order) that repeats an earlier one. */
static int check_duplicates(parser *p, size_t n)
{
	p->nkeyrecs -= n;
	if (n < 2)
		return BT_OK; /* also keeps p->keys (NULL for {}) out of arithmetic */
	keyrec *k = p->keys + p->nkeyrecs;
	qsort(k, n, sizeof *k, key_cmp);
	const keyrec *dup = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (key_order(&k[i], &k[i + 1], 0) == 0 && (!dup || k[i + 1].start < dup->start))
			dup = &k[i + 1];
	if (!dup)
		return BT_OK;
	size_t at = (size_t)(dup->start - p->s) - 1;
	/* Name the key (unescaped) when it is short and printable ASCII: the
	 * message stays one line. */
	char key[48];
	size_t kl = 0;
	const unsigned char *q = dup->start;
	uint32_t cp;
	while (cp_next(&q, dup->stop, &cp) == CP_OK && kl + 1 < sizeof key && cp >= 0x20 && cp < 0x7f)
		key[kl++] = (char)cp;
	key[kl] = '\0';
	if (q != dup->stop)
		return fail_at(p, at, "duplicate key");
	return bt_failf(p->e, BT_R_INPUT, p->field, "byte %zu: duplicate key \"%s\"", at, key);
}

/* ---- numbers and literals ---- */

static int parse_number(parser *p, bt_jv *out)
{
	size_t start = p->pos;
	int neg = p->s[p->pos] == '-';
	if (neg)
		p->pos++;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
		return expected(p, "a digit");
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
	int over = 0;
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			return fail_at(p, p->pos - 1, "expected an integer without leading zeros");
	} else {
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
			unsigned d = p->s[p->pos++] - '0';
			if (v > (limit - d) / 10)
				over = 1;
			else
				v = v * 10 + d;
		}
	}
	if (p->pos < p->len && (p->s[p->pos] == '.' || p->s[p->pos] == 'e' || p->s[p->pos] == 'E'))
		return expected(p, "an integer (integers only: no fraction or exponent)");
	if (over)
		return fail_at(p, start,
			       "expected an integer from -9223372036854775808 to 9223372036854775807");
	if (out) {
		out->type = BT_JINT;
		out->num = neg ? (v ? (int64_t)-(v - 1) - 1 : 0) : (int64_t)v;
	}
	return BT_OK;
}

static int parse_literal(parser *p, bt_jv *out)
{
	static const struct { const char *word, *quoted; bt_jtype type; int b; } lit[] = {
		{ "true", "'true'", BT_JBOOL, 1 },
		{ "false", "'false'", BT_JBOOL, 0 },
		{ "null", "'null'", BT_JNULL, 0 },
	};
	for (size_t i = 0; i < sizeof lit / sizeof lit[0]; i++) {
		if (p->s[p->pos] != (unsigned char)lit[i].word[0])
			continue;
		size_t n = strlen(lit[i].word);
		if (p->len - p->pos < n || memcmp(p->s + p->pos, lit[i].word, n) != 0)
			return expected(p, lit[i].quoted);
		p->pos += n;
		if (out) {
			out->type = lit[i].type;
			out->boolean = lit[i].b;
		}
		return BT_OK;
	}
	return expected(p, "a value");
}

/* ---- arrays and objects ---- */

static int parse_value(parser *p, int depth, bt_jv *out, const char *what);

/* Opens the container at p->pos: checks the depth, then either reserves its
 * count (first pass) or takes its n children (and keys) from the block. */
static int open_container(parser *p, int depth, size_t *slot, bt_jv *out, int object)
{
	if (depth > BT_JSON_MAX_DEPTH)
		return fail_at(p, p->pos, "expected at most 64 levels of nesting");
	p->pos++;
	if (!p->build) {
		size_t *c = grow(p->counts, &p->capcounts, p->ncounts, sizeof *c);
		if (!c)
			return oom(p);
		p->counts = c;
		*slot = p->ncounts++;
		return BT_OK;
	}
	size_t n = p->counts[p->ci++];
	out->type = object ? BT_JOBJ : BT_JARR;
	out->n = n;
	if (n) {
		out->items = p->nodes;
		p->nodes += n;
		if (object) {
			out->keys = p->keyslots;
			p->keyslots += n;
		}
	}
	return BT_OK;
}

static int parse_array(parser *p, int depth, bt_jv *out)
{
	size_t slot = 0, n = 0;
	int rc = open_container(p, depth, &slot, out, 0);
	if (rc)
		return rc;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
	} else {
		for (;;) {
			rc = parse_value(p, depth, out ? &out->items[n] : NULL,
					 n ? "a value" : "a value or ']'");
			if (rc)
				return rc;
			n++;
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
			} else if (p->pos < p->len && p->s[p->pos] == ']') {
				p->pos++;
				break;
			} else {
				return expected(p, "',' or ']'");
			}
		}
	}
	if (!p->build)
		p->counts[slot] = n;
	return BT_OK;
}

static int parse_object(parser *p, int depth, bt_jv *out)
{
	size_t slot = 0, n = 0;
	int rc = open_container(p, depth, &slot, out, 1);
	if (rc)
		return rc;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
	} else {
		for (;;) {
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return expected(p, n ? "a string key" : "a string key or '}'");
			size_t kstart = p->pos, klen;
			char *kdst = NULL;
			if ((rc = parse_string(p, &kdst, &klen)))
				return rc;
			if (out) {
				out->keys[n] = kdst;
			} else {
				keyrec *k = grow(p->keys, &p->capkeyrecs, p->nkeyrecs, sizeof *k);
				if (!k)
					return oom(p);
				p->keys = k;
				p->keys[p->nkeyrecs].start = p->s + kstart + 1;
				p->keys[p->nkeyrecs++].stop = p->s + p->pos;
				p->nkeys++;
			}
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return expected(p, "':'");
			p->pos++;
			if ((rc = parse_value(p, depth, out ? &out->items[n] : NULL, "a value")))
				return rc;
			n++;
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
			} else if (p->pos < p->len && p->s[p->pos] == '}') {
				p->pos++;
				break;
			} else {
				return expected(p, "',' or '}'");
			}
		}
	}
	if (!p->build) {
		p->counts[slot] = n;
		return check_duplicates(p, n);
	}
	return BT_OK;
}

/* One value at p->pos (after white space); depth counts the containers
 * around it; out is NULL in the first pass; what is said when no value
 * starts here. */
static int parse_value(parser *p, int depth, bt_jv *out, const char *what)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return expected(p, what);
	if (!p->build)
		p->nvalues++;
	unsigned char c = p->s[p->pos];
	switch (c) {
	case '[':
		return parse_array(p, depth + 1, out);
	case '{':
		return parse_object(p, depth + 1, out);
	case '"': {
		char *str = NULL;
		size_t n;
		int rc = parse_string(p, &str, &n);
		if (!rc && out) {
			out->type = BT_JSTR;
			out->str = str;
			out->len = n;
		}
		return rc;
	}
	case 't':
	case 'f':
	case 'n':
		return parse_literal(p, out);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(p, out);
		return expected(p, what);
	}
}

/* The offset of the first byte that is not part of valid UTF-8 (the input is
 * known to be invalid): each sequence checked by bt_utf8_valid itself. */
static size_t utf8_bad_offset(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
			   c >= 0xf0 && c <= 0xf4 ? 4 : 1;
		if (n > len - i || !bt_utf8_valid((const char *)s + i, n))
			return i;
		i += n;
	}
	return len;
}

/* One pass over the whole input: a value, then nothing but white space. */
static int parse_all(parser *p, bt_jv *root)
{
	p->pos = 0;
	int rc = parse_value(p, 0, root, "a value");
	if (rc)
		return rc;
	skip_ws(p);
	return p->pos < p->len ? expected(p, "the end of the input") : BT_OK;
}

int bt_json_parse(const char *text, size_t len, const char *field, bt_jv **out, bt_err *e)
{
	*out = NULL;
	parser p = { 0 };
	p.s = (const unsigned char *)(text ? text : "");
	p.len = text ? len : 0;
	p.field = field ? field : "json";
	p.e = e;
	if (p.len > BT_JSON_MAX)
		return bt_failf(e, BT_R_INPUT, p.field, "byte %zu: expected at most %zu bytes",
				BT_JSON_MAX, BT_JSON_MAX);
	if (!bt_utf8_valid((const char *)p.s, p.len))
		return fail_at(&p, utf8_bad_offset(p.s, p.len), "expected valid UTF-8");
	int rc = parse_all(&p, NULL);
	free(p.keys);
	if (rc) {
		free(p.counts);
		return rc;
	}
	/* One block: the values (the root first), the key pointers, the bytes.
	 * Each count is at most len (< 2^24), so the sum cannot overflow. */
	size_t nodes = p.nvalues * sizeof(bt_jv), keys = p.nkeys * sizeof(char *);
	_Static_assert(sizeof(bt_jv) % _Alignof(char *) == 0, "key pointers follow the values");
	bt_jv *block = calloc(1, nodes + keys + p.nbytes);
	if (!block) {
		free(p.counts);
		return oom(&p);
	}
	p.build = 1;
	p.nodes = block + 1;
	p.keyslots = (char **)(void *)((char *)block + nodes);
	p.bytes = (char *)block + nodes + keys;
	rc = parse_all(&p, block);
	free(p.counts);
	if (rc) { /* cannot happen: the first pass accepted the same bytes */
		free(block);
		return rc;
	}
	*out = block;
	bt_err_clear(e);
	return BT_OK;
}

void bt_jv_free(bt_jv *v)
{
	free(v);
}

const bt_jv *bt_jv_get(const bt_jv *o, const char *key)
{
	if (!o || o->type != BT_JOBJ || !key)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->items[i];
	return NULL;
}

const char *bt_jv_str(const bt_jv *o, const char *key)
{
	const bt_jv *v = bt_jv_get(o, key);
	return v && v->type == BT_JSTR ? v->str : NULL;
}

int bt_jv_int(const bt_jv *o, const char *key, int64_t *out)
{
	const bt_jv *v = bt_jv_get(o, key);
	if (!v || v->type != BT_JINT)
		return 0;
	*out = v->num;
	return 1;
}

int bt_jv_write(bt_buf *b, const bt_jv *v)
{
	switch (v->type) {
	case BT_JNULL:
		return bt_buf_adds(b, "null");
	case BT_JBOOL:
		return bt_buf_adds(b, v->boolean ? "true" : "false");
	case BT_JINT:
		return bt_buf_addf(b, "%lld", (long long)v->num);
	case BT_JSTR:
		return bt_json_str(b, v->str ? v->str : "");
	case BT_JARR:
	case BT_JOBJ: {
		int obj = v->type == BT_JOBJ;
		if (bt_buf_addc(b, obj ? '{' : '['))
			return -1;
		for (size_t i = 0; i < v->n; i++) {
			if (obj ? bt_json_key(b, v->keys[i], i == 0) : i && bt_buf_addc(b, ','))
				return -1;
			if (bt_jv_write(b, &v->items[i]))
				return -1;
		}
		return bt_buf_addc(b, obj ? '}' : ']');
	}
	}
	bt_buf_release(b);
	return -1;
}
