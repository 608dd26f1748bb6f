/* tsv.c - reading tab-separated text in place. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/base.h"

int array_reserve(void *v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		return -1;
	void **pv = v;
	void *p = realloc(*pv, n * elem);
	if (!p)
		return -1;
	*pv = p;
	*cap = n;
	return 0;
}

void tsv_init(tsv_reader *t, char *text, size_t len)
{
	t->text = t->p = text;
	t->end = text + len;
	t->line = 0;
	/* A UTF-8 byte order mark, as spreadsheet programs write, is not data. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		t->p += 3;
}

int tsv_next(tsv_reader *t, char **fields, int max)
{
	while (t->p < t->end) {
		char *line = t->p, *nl = memchr(line, '\n', (size_t)(t->end - line));
		char *eol = nl ? nl : t->end;
		t->p = nl ? nl + 1 : t->end;
		t->line++;
		if (eol > line && eol[-1] == '\r')
			eol--;
		*eol = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		int n = 0;
		char *f = line;
		for (;;) {
			char *tab = strchr(f, '\t');
			if (n < max)
				fields[n] = f;
			n++;
			if (!tab)
				break;
			*tab = '\0';
			f = tab + 1;
		}
		return n;
	}
	return 0;
}
