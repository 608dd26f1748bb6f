/* form_sig.c - around a returned form, shared by `reply
 * --from-pdf/--from-scan`, `inbox accept` and `mail fetch` (form_sig.h):
 * the engine's check (bt_returned_check) told in the command line's words,
 * a scan's bytes read, --choice. */
#include "cli.h"
#include "cli/form_sig.h"
#include "pdf/lang.h"
#include "pdf/scan_read.h"

#include <stdlib.h>
#include <string.h>

/* The form's fields as they are, {member} as its option. */
static const char *form_name_of(const char *field, void *ctx)
{
	(void)ctx;
	return strcmp(field, "member") ? field : "--member";
}

int cli_returned_fail(const char *what, bt_err *e)
{
	if (!strchr(e->field, '.') && strcmp(e->field, "signature") != 0)
		return e->code;
	char line[sizeof e->msg + 64];
	bt_err_render(e, form_name_of, NULL, line, sizeof line);
	return bt_fail(e, e->code, "%s: field %s", what, line);
}

/* An inbox entry's form: names as the engine writes them. */
static const char *entry_name_of(const char *field, void *ctx)
{
	(void)ctx;
	return field;
}

void cli_returned_line(const bt_err *e, char *out, size_t n)
{
	bt_err_render(e, entry_name_of, NULL, out, n);
}

int cli_returned_fail_entry(const char *what, bt_err *e)
{
	if (!strchr(e->field, '.') && strcmp(e->field, "signature") != 0)
		return e->code;
	char line[sizeof e->msg + 64];
	cli_returned_line(e, line, sizeof line);
	return bt_fail(e, e->code, "%s: field %s", what, line);
}

void cli_returned_warn(const char *what, const char *circular, const bt_returned_form *f,
		       const bt_returned_verdict *v)
{
	if (v->stale)
		cli_warn("%s: the drafts of circular %s changed after this form was issued (%s added since): "
			 "it answers the drafts it was issued for, not %s", what, circular, v->added_since,
			 v->added_since);
	if (f->is_signed && !v->signer.verified)
		cli_warn("%s: signature not verified: %s", what, v->signer.why);
}

int cli_scan_bytes(cli_ctx *ctx, bt_db *db, int bounded, const char *name, const void *data, size_t len,
		   pdf_form_values *v, char ref[96], bt_err *e)
{
	cli_value url;
	cli_conf_value(ctx, CONF_PORTAL_URL, NULL, &url);
	scan_reader rd = { db, NULL, url.value, bounded ? SCAN_BOUNDED_PAGES : 0, bounded ? SCAN_BOUNDED_PIXELS : 0 };
	return scan_read_form(&rd, NULL, name, data, len, name, v, ref, e);
}

int cli_form_choices(pdf_form_values *v, const cli_opt *o, bt_err *e)
{
	for (size_t i = 0; i < o->n; i++) {
		const char *val = o->vals[i], *eq = strchr(val, '=');
		bt_choice c = eq ? bt_choice_parse(eq + 1) : BT_CHOICE_NONE;
		if (!eq || c == BT_CHOICE_NONE || c == BT_WITHDRAW)
			return bt_fail(e, BT_EINPUT, "--choice: '%s' is not "
				       "REC=authorize|authorize-with-comments|"
				       "not-authorize", val);
		size_t k = 0;
		while (k < v->n_drafts && (strlen(v->drafts[k].rec) != (size_t)(eq - val) ||
					   strncmp(v->drafts[k].rec, val, (size_t)(eq - val))))
			k++;
		if (k == v->n_drafts)
			return bt_fail(e, BT_EINPUT, "--choice: '%s': the form has "
				       "no draft %.*s", val, (int)(eq - val), val);
		for (size_t j = 0; j < i; j++)
			if (!strncmp(o->vals[j], val, (size_t)(eq - val) + 1))
				return bt_fail(e, BT_EINPUT, "--choice: draft %s given "
					       "twice ('%s', then '%s'): give one",
					       v->drafts[k].rec, o->vals[j], val);
		v->drafts[k].overridden |= v->drafts[k].ticked != 1 || v->drafts[k].choice != c;
		v->drafts[k].choice = c;
		v->drafts[k].ticked = 1;
		snprintf(v->drafts[k].states, sizeof v->drafts[k].states, "%s", bt_choice_name(c));
	}
	return BT_OK;
}
