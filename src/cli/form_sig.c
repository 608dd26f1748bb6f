/* form_sig.c - a signed returned form's checks, shared by `reply
 * --from-pdf` and `inbox accept` (form_sig.h). */
#include "cli.h"
#include "cli/form_sig.h"

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
