/* glue.c - spaces a line must not break at (glue.h). The texts are the
 * documents' own (templates, names, titles), so the units are few and
 * known: rules by their shape, not a dictionary. */
#include "pdf/glue.h"

static int is_upper(uint32_t c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* A letter of any script: ASCII letters and whatever lies beyond ASCII and
 * the general punctuation and symbols a unit never starts a name with. */
static int is_letter(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= 0xC0 && c != 0xD7 && c != 0xF7 && !(c >= 0x2000 && c <= 0x2BFF) &&
		!(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFF00 && c <= 0xFF0F));
}

/* The word before the space at i: [*start, i). */
static int word_start(const uint32_t *u, int i)
{
	int s = i;
	while (s > 0 && u[s - 1] != ' ' && u[s - 1] != 0xA0 && u[s - 1] != '\n')
		s--;
	return s;
}

static int sector_number(const uint32_t *u, int n, int i, int s)
{
	return i - s >= 3 && u[i - 2] == '-' && (u[i - 1] == 'T' || u[i - 1] == 0x0422) &&
	       i + 1 < n && is_upper(u[i + 1]);
}

static int time_utc(const uint32_t *u, int n, int i, int s)
{
	int len = i - s;
	if (len < 4 || len > 5 || u[i - 3] != ':' || !is_digit(u[i - 1]) || !is_digit(u[i - 2]))
		return 0;
	for (int k = s; k < i - 3; k++)
		if (!is_digit(u[k]))
			return 0;
	return i + 3 < n && u[i + 1] == 'U' && u[i + 2] == 'T' && u[i + 3] == 'C';
}

static int code_name(const uint32_t *u, int n, int i, int s)
{
	if (s < i && (u[s] == '(' || u[s] == ',' || u[s] == ';'))
		s++;
	if (i - s != 3 || !is_upper(u[s]) || !is_upper(u[s + 1]) || !is_upper(u[s + 2]))
		return 0;
	/* "UTC", "ITU" are words of the texts, not codes followed by names */
	if ((u[s] == 'U' && u[s + 1] == 'T' && u[s + 2] == 'C') ||
	    (u[s] == 'I' && u[s + 1] == 'T' && u[s + 2] == 'U'))
		return 0;
	return i + 1 < n && is_letter(u[i + 1]);
}

int pdf_glued_space(const uint32_t *u, int n, int i)
{
	if (i <= 0 || i >= n || u[i] != ' ')
		return 0;
	int s = word_start(u, i);
	return sector_number(u, n, i, s) || time_utc(u, n, i, s) || code_name(u, n, i, s);
}
