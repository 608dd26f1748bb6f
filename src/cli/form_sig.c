/* form_sig.c - a returned form's checks and readings shared by `reply
 * --from-pdf/--from-scan`, `inbox accept` and `mail fetch` (form_sig.h). */
#include "cli.h"
#include "cli/form_sig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_form_sig_check(const char *what, const void *pdf, size_t len, const pdf_form_values *v,
		       pdf_sig_verdict *sig, bt_err *e)
{
	int rc = pdf_sig_check(pdf, len, v, sig, e);
	if (rc == BT_OK && !sig->valid)
		rc = bt_fail(e, BT_EINPUT, "%s: field signature: %s; the form "
			     "was changed after it was signed, or the signature "
			     "is damaged", what, sig->why);
	if (rc == BT_OK && sig->form_changed)
		rc = bt_fail(e, BT_EINPUT, "%s: field signature: an update added "
			     "after signing changes the form's fields", what);
	return rc;
}

int cli_form_signer(bt_db *db, const char *what, const char *member, bt_time at, const pdf_sig_verdict *sig,
		    bt_signer *signer, bt_err *e)
{
	int rc = bt_signer_check(db, member, at, (const unsigned char *const *)sig->certs, sig->cert_len,
				 sig->n_certs, signer, e);
	if (rc != BT_OK)
		return bt_fail(e, rc, "%s: field signature: %s", what, e->msg);
	if (!signer->verified)
		cli_warn("%s: signature not verified: %s", what, signer->why);
	return BT_OK;
}

int cli_scan_bytes(cli_ctx *ctx, bt_db *db, const char *name, const void *data, size_t len, pdf_form_values *v,
		   char ref[96], bt_err *e)
{
	const char *dir = getenv("TMPDIR");
	char path[4200];
	snprintf(path, sizeof path, "%s/ballot-scan.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return bt_fail(e, BT_EFAIL, "%s: a temporary file to read it as a scan: %s", name, strerror(errno));
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, (const char *)data + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	int rc = close(fd) == 0 && done == len ? cli_scan_form(ctx, db, path, name, v, ref, e)
					       : bt_fail(e, BT_EFAIL, "%s: writing a temporary file to read it as a "
							 "scan", name);
	unlink(path);
	return rc;
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
		v->drafts[k].choice = c;
		v->drafts[k].ticked = 1;
		snprintf(v->drafts[k].states, sizeof v->drafts[k].states, "%s", bt_choice_name(c));
	}
	return BT_OK;
}
