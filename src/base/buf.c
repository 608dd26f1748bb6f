/* buf.c - growable byte buffer with a hard cap (see include/ballot/buf.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/buf.h"

void bt_buf_init(bt_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->max = max ? max : BT_BUF_DEFAULT_MAX;
	b->failed = 0;
}

static int buf_fail(bt_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->failed = 1;
	return -1;
}

static int buf_grow(bt_buf *b, size_t extra)
{
	if (b->failed || extra > b->max || b->len > b->max - extra)
		return buf_fail(b);
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	size_t n = b->alloc ? b->alloc : 64;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	char *p = realloc(b->data, n);
	if (!p)
		return buf_fail(b);
	b->data = p;
	b->alloc = n;
	return 0;
}

int bt_buf_add(bt_buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n))
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int bt_buf_adds(bt_buf *b, const char *s)
{
	return bt_buf_add(b, s, strlen(s));
}

int bt_buf_addc(bt_buf *b, char c)
{
	return bt_buf_add(b, &c, 1);
}

int bt_buf_vaddf(bt_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_grow(b, (size_t)n))
		return n < 0 ? buf_fail(b) : -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int bt_buf_addf(bt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = bt_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *bt_buf_str(const bt_buf *b)
{
	return b->data ? b->data : "";
}

void bt_buf_reset(bt_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = '\0';
}

void bt_buf_release(bt_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->failed = 0;
}

char *bt_buf_detach(bt_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = p ? b->len : 0;
	b->data = NULL;
	b->len = b->alloc = 0;
	b->failed = 0;
	return p;
}
