/* tmpl.c - loading, checking and expanding the text templates. */
#include "pdf/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fribidi.h>

#include "ballot/json.h"

#define TMPL_MAX ((size_t)256 * 1024) /* a template is a page of text */

struct pdf_tmpl {
	char *path;
	const pdf_tmpl_key *schema;
	size_t n;
	char **values; /* values[i] belongs to schema[i] */
	int rtl;       /* embed each placeholder value in its direction */
};

void pdf_tmpl_set_rtl(pdf_tmpl *t, int on)
{
	t->rtl = on;
}

void pdf_tmpl_free(pdf_tmpl *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->values[i]);
	free(t->values);
	free(t->path);
	free(t);
}

static int key_index(const pdf_tmpl *t, const char *key, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->schema[i].key) == len &&
		    memcmp(t->schema[i].key, key, len) == 0)
			return (int)i;
	return -1;
}

/* 1 when name (len bytes) is one of the space-separated words of list. */
static int in_list(const char *list, const char *name, size_t len)
{
	const char *p = list;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (w == len && memcmp(p, name, len) == 0)
			return 1;
		p += w;
	}
	return 0;
}

/* Checks value's placeholders against the schema entry k. */
static int check_placeholders(const pdf_tmpl *t, size_t k, const char *value,
			      int line, bt_err *e)
{
	const char *want = t->schema[k].placeholders;
	const char *key = t->schema[k].key;
	for (const char *p = value; *p; p++) {
		if (*p == '}')
			return bt_fail(e, BT_EINPUT,
				       "%s:%d: key '%s': stray '}'", t->path,
				       line, key);
		if (*p != '{')
			continue;
		const char *end = strchr(p + 1, '}');
		size_t len = end ? (size_t)(end - p - 1) : 0;
		if (!end || len == 0 || memchr(p + 1, '{', len) ||
		    memchr(p + 1, ' ', len))
			return bt_fail(e, BT_EINPUT,
				       "%s:%d: key '%s': unclosed or empty '{'",
				       t->path, line, key);
		if (!in_list(want, p + 1, len))
			return bt_fail(e, BT_EINPUT,
				       "%s:%d: key '%s': unknown placeholder "
				       "{%.*s} (allowed: %s)", t->path, line,
				       key, (int)len, p + 1,
				       *want ? want : "none");
		p = end;
	}
	const char *w = want;
	while (*w) {
		while (*w == ' ')
			w++;
		size_t len = strcspn(w, " ");
		if (!len)
			break;
		char probe[64];
		if (len + 3 > sizeof probe)
			return bt_fail(e, BT_EFAIL, "placeholder name too long");
		snprintf(probe, sizeof probe, "{%.*s}", (int)len, w);
		if (!strstr(value, probe))
			return bt_fail(e, BT_EINPUT,
				       "%s:%d: key '%s' lacks placeholder %s",
				       t->path, line, key, probe);
		w += len;
	}
	return BT_OK;
}

/* Resolves \n and \\ in place; 0, or -1 on another escape. */
static int unescape(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		if (r[1] == 'n')
			*w++ = '\n';
		else if (r[1] == '\\')
			*w++ = '\\';
		else
			return -1;
		r++;
	}
	*w = '\0';
	return 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* One line of the file that is neither blank nor a comment: `key = value`
 * (a value in quotes keeps its outer spaces), a known key given once
 * (lines[k]: where key k was given), a value with only \n and \\ escapes
 * and the schema's placeholders, kept in t->values. */
static int parse_line(pdf_tmpl *t, char *line, int lineno, int *lines, bt_err *e)
{
	if (!bt_text_clean(line, 0))
		return bt_fail(e, BT_EINPUT, "%s:%d: control character", t->path, lineno);
	char *eq = strchr(line, '=');
	if (!eq)
		return bt_fail(e, BT_EINPUT, "%s:%d: expected 'key = value'", t->path, lineno);
	*eq = '\0';
	char *key = trim(line), *value = trim(eq + 1);
	size_t vlen = strlen(value);
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		value[vlen - 1] = '\0'; /* quotes keep outer spaces */
		value++;
	}
	int k = key_index(t, key, strlen(key));
	if (k < 0)
		return bt_fail(e, BT_EINPUT, "%s:%d: unknown key '%s'", t->path, lineno, key);
	if (t->values[k])
		return bt_fail(e, BT_EINPUT, "%s:%d: key '%s' repeated (first on line %d)", t->path, lineno, key,
			       lines[k]);
	if (!*value || unescape(value) < 0)
		return bt_fail(e, BT_EINPUT, "%s:%d: key '%s': %s", t->path, lineno, key,
			       *value ? "unknown escape (only \\n and \\\\)" : "empty value");
	int rc = check_placeholders(t, (size_t)k, value, lineno, e);
	if (rc)
		return rc;
	t->values[k] = strdup(value);
	lines[k] = lineno;
	if (!t->values[k])
		return bt_fail(e, BT_EFAIL, "out of memory");
	return BT_OK;
}

static int parse(pdf_tmpl *t, char *text, bt_err *e)
{
	int *lines = calloc(t->n ? t->n : 1, sizeof *lines);
	if (!lines)
		return bt_fail(e, BT_EFAIL, "out of memory");
	int rc = BT_OK, lineno = 0;
	char *p = text;
	if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p && *p && rc == BT_OK) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *line = trim(p);
		p = nl ? nl + 1 : NULL;
		if (*line && *line != '#')
			rc = parse_line(t, line, lineno, lines, e);
	}
	for (size_t i = 0; rc == BT_OK && i < t->n; i++)
		if (!t->values[i])
			rc = bt_fail(e, BT_EINPUT, "%s: key '%s' is missing",
				     t->path, t->schema[i].key);
	free(lines);
	return rc;
}

int pdf_tmpl_load(const char *path, const pdf_tmpl_key *schema, size_t n,
		  pdf_tmpl **out, bt_err *e)
{
	*out = NULL;
	bt_buf b = BT_BUF_INIT;
	int rc = bt_file_read(path, "template", TMPL_MAX, &b, e);
	if (rc)
		return rc;
	if (!bt_utf8_valid(b.data ? b.data : "", b.len) ||
	    strlen(bt_buf_str(&b)) != b.len) {
		bt_buf_release(&b);
		return bt_fail(e, BT_EINPUT, "template %s: not valid UTF-8",
			       path);
	}
	pdf_tmpl *t = calloc(1, sizeof *t);
	if (t) {
		t->path = strdup(path);
		t->values = calloc(n ? n : 1, sizeof *t->values);
	}
	if (!t || !t->path || !t->values) {
		pdf_tmpl_free(t);
		bt_buf_release(&b);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	t->schema = schema;
	t->n = n;
	rc = parse(t, b.data ? b.data : (char *)"", e);
	bt_buf_release(&b);
	if (rc) {
		pdf_tmpl_free(t);
		return rc;
	}
	*out = t;
	return BT_OK;
}

const char *pdf_tmpl_raw(const pdf_tmpl *t, const char *key)
{
	int k = key_index(t, key, strlen(key));
	return k < 0 ? "" : t->values[k];
}

const char *pdf_tmpl_path(const pdf_tmpl *t)
{
	return t->path;
}

/* The direction of the first strong character of s: 1 right-to-left, 0
 * left-to-right, -1 none (digits, punctuation). */
static int strong_dir(const char *s)
{
	FriBidiChar u[256];
	size_t len = strlen(s);
	FriBidiStrIndex n = fribidi_charset_to_unicode(
		FRIBIDI_CHAR_SET_UTF8, s, (FriBidiStrIndex)(len > 256 ? 256 : len),
		u);
	for (FriBidiStrIndex i = 0; i < n; i++) {
		FriBidiCharType ty = fribidi_get_bidi_type(u[i]);
		if (FRIBIDI_IS_STRONG(ty) && !FRIBIDI_IS_EXPLICIT(ty))
			return FRIBIDI_IS_RTL(ty) ? 1 : 0;
	}
	return -1;
}

int pdf_tmpl_expand(const pdf_tmpl *t, const char *key,
		    const char *const *vars, bt_buf *out)
{
	const char *s = pdf_tmpl_raw(t, key);
	while (*s) {
		const char *open = strchr(s, '{');
		if (!open)
			return bt_buf_adds(out, s);
		if (bt_buf_add(out, s, (size_t)(open - s)) < 0)
			return -1;
		const char *close = strchr(open, '}');
		size_t len = (size_t)(close - open - 1);
		for (size_t i = 0; vars && vars[i]; i += 2)
			if (strlen(vars[i]) == len &&
			    memcmp(vars[i], open + 1, len) == 0) {
				int dir = t->rtl ? strong_dir(vars[i + 1]) : -1;
				if ((dir >= 0 && bt_buf_adds(out, dir ?
				     "\xE2\x80\xAB" : "\xE2\x80\xAA") < 0) ||
				    bt_buf_adds(out, vars[i + 1]) < 0 ||
				    (dir >= 0 &&
				     bt_buf_adds(out, "\xE2\x80\xAC") < 0))
					return -1;
				break;
			}
		s = close + 1;
	}
	return 0;
}

int pdf_tmpl_split(const pdf_tmpl *t, const char *key, size_t n, char *parts,
		   size_t partlen)
{
	const char *s = pdf_tmpl_raw(t, key);
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(s, "|");
		if (len + 1 > partlen || (s[len] == '\0') != (i + 1 == n))
			return -1;
		memcpy(parts + i * partlen, s, len);
		parts[i * partlen + len] = '\0';
		s += len + (s[len] ? 1 : 0);
	}
	return 0;
}
