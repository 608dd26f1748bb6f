/* err.c - the error convention (see include/ballot/err.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ballot/err.h"

int bt_reason_code(bt_reason r)
{
	switch (r) {
	case BT_R_NONE:
		return BT_OK;
	case BT_R_DAMAGED:
	case BT_R_IO:
	case BT_R_NOMEM:
		return BT_EFAIL;
	default:
		return BT_EINPUT;
	}
}

const char *bt_reason_name(bt_reason r)
{
	static const char *const names[] = {
		"none", "input", "not-found", "conflict", "forbidden", "damaged", "io", "nomem",
	};
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "unknown";
}

/* The end of the conversion that starts at fmt[i] == '%' (one past its
 * conversion letter), or i + 2 for "%%". */
static size_t directive_end(const char *fmt, size_t i)
{
	size_t j = i + 1;
	if (fmt[j] == '%')
		return j + 1;
	while (fmt[j] && !strchr("diouxXeEfFgGaAcspn", fmt[j]))
		j++;
	return fmt[j] ? j + 1 : j;
}

/* The length fmt cut to its first len bytes formats to with ap. */
static size_t prefix_len(const char *fmt, size_t len, va_list ap)
{
	char cut[512];
	if (len >= sizeof cut)
		return 0;
	memcpy(cut, fmt, len);
	cut[len] = '\0';
	va_list aq;
	va_copy(aq, ap);
	int k = vsnprintf(NULL, 0, cut, aq);
	va_end(aq);
	return k > 0 ? (size_t)k : 0;
}

/* Formats fmt with ap into out (n bytes), doubling every opening brace that
 * comes from a value ("{x}" in a member's name becomes "{{x}"), so that only
 * the braces the engine wrote in fmt name a field or a command
 * (bt_err_render reads "{{" back as one brace). Returns the length written. */
static size_t format_escaped(char *out, size_t n, const char *fmt, va_list ap)
{
	char full[1024];
	va_list aq;
	va_copy(aq, ap);
	vsnprintf(full, sizeof full, fmt, aq);
	va_end(aq);
	size_t from[16], to[16], k = 0;
	for (size_t i = 0; fmt[i] && k < 16; i++) {
		if (fmt[i] != '%')
			continue;
		size_t j = directive_end(fmt, i);
		if (j != i + 2 || fmt[i + 1] != '%') {
			from[k] = prefix_len(fmt, i, ap);
			to[k] = prefix_len(fmt, j, ap);
			k++;
		}
		i = j - 1;
	}
	size_t at = 0, v = 0;
	for (size_t i = 0; full[i] && at + 1 < n; i++) {
		while (v < k && i >= to[v])
			v++;
		int in_value = v < k && i >= from[v];
		if (in_value && full[i] == '{') {
			if (at + 2 >= n)
				break;
			out[at++] = full[i];
		}
		out[at++] = full[i];
	}
	out[at] = '\0';
	return at;
}

int bt_failf(bt_err *e, bt_reason reason, const char *field, const char *fmt, ...)
{
	int code = bt_reason_code(reason);
	if (!e)
		return code;
	e->code = code;
	e->reason = reason;
	if (!field)
		field = "";
	/* "electorate line 3": the field, then a place inside it */
	size_t f = strcspn(field, " ");
	if (strncmp(field + f, " line", 5) != 0)
		f = strlen(field);
	snprintf(e->field, sizeof e->field, "%.*s", (int)f, field);
	size_t at = 0;
	if (field[0]) {
		int k = snprintf(e->msg, sizeof e->msg, fmt[0] == ' ' ? "%s" : "%s: ", field);
		at = k > 0 && (size_t)k < sizeof e->msg ? (size_t)k : sizeof e->msg - 1;
	}
	va_list ap;
	va_start(ap, fmt);
	format_escaped(e->msg + at, sizeof e->msg - at, fmt, ap);
	va_end(ap);
	return code;
}

int bt_fail(bt_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
			e->code = code;
		e->reason = code == BT_OK ? BT_R_NONE : code == BT_EINPUT ? BT_R_INPUT : BT_R_IO;
		e->field[0] = '\0';
	}
	return code;
}

/* The length of e's leading field in its message, or 0. */
static size_t lead_len(const bt_err *e)
{
	size_t f = strlen(e->field);
	return f && !strncmp(e->msg, e->field, f) && (e->msg[f] == ':' || e->msg[f] == ' ') ? f : 0;
}

/* Appends s (len bytes) to out at *at, keeping room for the NUL. */
static void put(char *out, size_t n, size_t *at, const char *s, size_t len)
{
	while (len-- && *at + 1 < n)
		out[(*at)++] = *s++;
}

int bt_err_wrap(bt_err *e, const char *fmt, ...)
{
	if (!e)
		return BT_EFAIL;
	char old[sizeof e->msg];
	memcpy(old, e->msg, sizeof old);
	va_list ap;
	va_start(ap, fmt);
	size_t at = format_escaped(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	size_t f = strlen(e->field);
	const char *rest = old;
	if (f && !strncmp(old, e->field, f) && (old[f] == ':' || old[f] == ' ')) {
		put(e->msg, sizeof e->msg, &at, "{", 1);
		put(e->msg, sizeof e->msg, &at, e->field, f);
		put(e->msg, sizeof e->msg, &at, "}", 1);
		rest = old + f;
	}
	put(e->msg, sizeof e->msg, &at, rest, strlen(rest));
	e->msg[at] = '\0';
	return e->code;
}

/* The length of a {name} reference at s (braces included), or 0: a name is
 * [a-z0-9_]+, or cmd: and words of [a-z0-9 _-]. */
static size_t ref_len(const char *s)
{
	size_t i = 1;
	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')
		i++;
	if (i == 1)
		return 0;
	if (s[i] == ':' && i == 4 && !strncmp(s + 1, "cmd", 3)) {
		size_t j = ++i;
		while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		       s[i] == ' ' || s[i] == '-')
			i++;
		if (i == j)
			return 0;
	}
	return s[i] == '}' && i < 64 ? i + 1 : 0;
}

int bt_err_render(const bt_err *e, const char *(*name_of)(const char *field, void *ctx),
		  void *ctx, char *out, size_t n)
{
	if (!out || !n)
		return 0;
	size_t at = 0;
	out[0] = '\0';
	if (!e)
		return 0;
	const char *s = e->msg;
	size_t f = lead_len(e);
	if (f) {
		const char *name = name_of ? name_of(e->field, ctx) : NULL;
		if (!name)
			name = e->field;
		put(out, n, &at, name, strlen(name));
		s += f;
	}
	while (*s) {
		if (s[0] == '{' && s[1] == '{') {
			put(out, n, &at, s, 1); /* a value's brace, doubled by bt_failf */
			s += 2;
			continue;
		}
		size_t r = *s == '{' ? ref_len(s) : 0;
		if (r) {
			char ref[64];
			memcpy(ref, s + 1, r - 2);
			ref[r - 2] = '\0';
			const char *name = name_of ? name_of(ref, ctx) : NULL;
			if (name)
				put(out, n, &at, name, strlen(name));
			else
				put(out, n, &at, s, r);
			s += r;
		} else {
			put(out, n, &at, s++, 1);
		}
	}
	out[at] = '\0';
	return (int)at;
}

void bt_err_clear(bt_err *e)
{
	if (e) {
		e->code = BT_OK;
		e->reason = BT_R_NONE;
		e->field[0] = '\0';
		e->msg[0] = '\0';
	}
}
