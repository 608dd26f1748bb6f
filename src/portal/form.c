/* form.c - the fields of a request's form: look-ups, the checks before
 * any page sees them, the CSRF field (form.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/ballot.h"
#include "portal/form.h"

void pform_release(pform *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].filename);
		bt_buf_release(&f->v[i].value);
	}
	f->n = 0;
}

const char *pform_get(const pform *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].filename && !strcmp(f->v[i].name, name))
			return bt_buf_str(&f->v[i].value);
	return "";
}

const pfield *pform_file(const pform *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].filename && !strcmp(f->v[i].name, name) && f->v[i].value.len > 0 &&
		    f->v[i].filename[0])
			return &f->v[i];
	return NULL;
}

int form_check(const pform *f, char *msg, size_t n)
{
	for (size_t i = 0; i < f->n; i++) {
		const pfield *fl = &f->v[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->v[j].name, fl->name))
				return snprintf(msg, n, "%s: given more than once (one value or file per field)",
						fl->name), 400;
		if (!fl->filename && fl->value.len && memchr(fl->value.data, '\0', fl->value.len))
			return snprintf(msg, n, "%s: has a NUL byte", fl->name), 400;
		/* a name a reader tells apart by eye: no invisible or bidi
		 * control character (bt_name_clean); other text: no bidi
		 * control (bt_text_clean) */
		int is_name = fl->filename || !strcmp(fl->name, "signatory") || !strcmp(fl->name, "title");
		uint32_t hidden = bt_text_hidden(fl->filename ? fl->filename : bt_buf_str(&fl->value), is_name);
		if (hidden)
			return snprintf(msg, n, "%s: has U+%04X, an invisible or bidirectional control character"
					" that can disguise %s", fl->name, (unsigned)hidden,
					fl->filename ? "a file name" : "text"), 400;
		if (!fl->filename && !bt_text_clean(bt_buf_str(&fl->value), 1))
			return snprintf(msg, n, "%s: not valid UTF-8 or has control characters", fl->name), 400;
		bt_file_kind kind = fl->filename && fl->value.len
					    ? bt_attachment_kind(fl->filename, fl->value.data, fl->value.len)
					    : BT_FILE_OK;
		/* the secretariat's reply TSV (field "tsv", a .tsv or
		 * .txt name): its lines are the engine's to check */
		const char *dot = fl->filename ? strrchr(fl->filename, '.') : NULL;
		if (dot && !strcmp(fl->name, "tsv") && (!strcmp(dot, ".tsv") || !strcmp(dot, ".txt")))
			kind = BT_FILE_OK;
		const char *name = fl->filename && bt_text_clean(fl->filename, 0) ? fl->filename : "(unprintable)";
		/* a mismatch has one of the known (ASCII) extensions */
		if (kind == BT_FILE_MISMATCH)
			return snprintf(msg, n, "%s: '%.80s' is not a %s file (its first bytes are of another kind)",
					fl->name, name, strrchr(fl->filename, '.')), 415;
		if (kind == BT_FILE_UNKNOWN)
			return snprintf(msg, n, "%s: '%.80s' is not an accepted file type (" BT_FILE_TYPES ")",
					fl->name, name), 415;
	}
	return 0;
}

int csrf_ok(const pform *f, const char *token)
{
	const char *got = pform_get(f, "csrf");
	size_t n = strlen(token);
	return n == 64 && strlen(got) == n && bt_secret_equal(got, token, n);
}
