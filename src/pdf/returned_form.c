/* returned_form.c - a returned form read, as the engine checks it
 * (returned_form.h). */
#include <stdlib.h>
#include <string.h>
#include "pdf/returned_form.h"
#include "pdf/lang.h"
#include "pdf/names.h"

/* bt_returned_form's member_names: forms/names/<lang>.tsv, else the
 * iso-codes translation, in each of the six languages, and en_name. */
static int member_names(const char *code, const char *en_name, bt_buf *out, bt_err *e)
{
	static const char *const langs[] = { "en", "fr", "es", "ru", "zh", "ar" };
	int rc = bt_buf_addf(out, "%s\n", en_name) ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
	for (size_t i = 0; rc == BT_OK && i < sizeof langs / sizeof *langs; i++) {
		pdf_names *n = NULL;
		rc = pdf_names_load(pdf_forms_dir(), langs[i], &n, e);
		const char *name = rc ? NULL : pdf_names_get(n, code, en_name);
		if (name && bt_buf_addf(out, "%s\n", name))
			rc = bt_fail(e, BT_EFAIL, "out of memory");
		pdf_names_free(n);
	}
	return rc;
}

int pdf_returned_of(const void *pdf, size_t len, const pdf_form_values *v, pdf_returned *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	bt_returned_form *f = &out->f;
	f->reference = pdf_form_value(v, PDF_FIELD_REFERENCE);
	f->administration = pdf_form_value(v, "sender.administration");
	f->member_names = member_names;
	f->signatory_field = "signatory.name";
	f->title_field = "signatory.title";
	if (!(f->signatory = pdf_form_value(v, f->signatory_field)))
		f->signatory = pdf_form_value(v, f->signatory_field = "sender.name");
	if (!(f->title = pdf_form_value(v, f->title_field)))
		f->title = pdf_form_value(v, f->title_field = "sender.title");
	out->drafts = calloc(v->n_drafts + 1, sizeof *out->drafts);
	if (!out->drafts)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < v->n_drafts; i++) {
		bt_returned_draft *d = &out->drafts[i];
		memcpy(d->rec, v->drafts[i].rec, sizeof d->rec);
		d->choice = v->drafts[i].choice;
		d->ticked = v->drafts[i].ticked;
		memcpy(d->states, v->drafts[i].states, sizeof d->states);
		d->changed = v->drafts[i].overridden;
	}
	f->drafts = out->drafts;
	f->n_drafts = v->n_drafts;
	if (!v->signature && !f->reference) /* a scan's reading: its PDF's signature */
		return pdf_sig_scanned(pdf, len, f, out->drafts, &out->sig, e);
	if (!v->signature)
		return BT_OK;
	int rc = pdf_sig_check(pdf, len, v, &out->sig, e);
	f->is_signed = 1;
	f->sig_valid = out->sig.valid;
	f->sig_form_changed = out->sig.form_changed;
	f->sig_why = out->sig.why;
	f->certs = (const unsigned char *const *)out->sig.certs;
	f->cert_lens = out->sig.cert_len;
	f->n_certs = out->sig.n_certs;
	return rc;
}

void pdf_returned_free(pdf_returned *r)
{
	free(r->drafts);
	r->drafts = NULL;
	pdf_sig_verdict_free(&r->sig);
}
