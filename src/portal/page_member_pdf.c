/* page_member_pdf.c - a returned Annex 2 form uploaded to pre-fill the
 * reply form (page_member_pdf.h). The form is read with the reader and
 * checked with the engine calls of `ballot reply --from-pdf`
 * (src/cli/cmd_reply_pdf.c): a refusal there is a refusal here, shown next
 * to the upload field in the page's language. Nothing is recorded before
 * the administration confirms the filled-in form (page_member.c's reply,
 * which attaches the kept file). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ballot/formref.h"
#include "ballot/member.h"
#include "pdf/pdfread.h"
#include "pdf/pdfsig.h"
#include "portal/answer.h"
#include "portal/error.h"
#include "portal/html.h"
#include "portal/returned.h"
#include "portal/page_member.h"
#include "portal/page_member_pdf.h"

/* A refusal of the upload: the reply form page again, key's sentence next
 * to the upload field (field "pdf"), the English line for the secretariat. */
typedef struct upload {
	preq *r;
	prefusal x;
	const char *key;
	bt_err e;
	pdf_form_values v;
	pdf_sig_verdict sig;
} upload;

static int refuse(upload *u, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(upload *u, const char *key, const char *fmt, ...)
{
	char why[sizeof u->e.msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	form_refusal_at(u->r, &u->x, 400, BT_R_INPUT, "pdf", "", "%s", why);
	u->x.key = key;
	return -1;
}

/* 1 when hay holds needle, in any case (ASCII). */
static int contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; n && *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

/* A blank form (reference "...:-:...") that names its administration must
 * name the signed-in one (its code, either ISO code or its English name). */
static int blank_names_member(upload *u, const char *ref)
{
	const char *admin = pdf_form_value(&u->v, "sender.administration");
	if (!strstr(ref, ":-:") || !admin)
		return 0;
	bt_member_list ml = { NULL, 0 };
	if (bt_members_list(u->r->db, BT_DATE_NONE, &ml, &u->e))
		return refuse(u, "pdf_err_read", "%s", u->e.msg);
	int ok = 0;
	for (size_t i = 0; i < ml.n && !ok; i++)
		if (!strcmp(ml.v[i].code, u->r->s.id.member))
			ok = contains(admin, ml.v[i].name) || !strcasecmp(admin, ml.v[i].code) ||
			     !strcasecmp(admin, ml.v[i].alpha2);
	bt_member_list_free(&ml);
	return ok ? 0 : refuse(u, "pdf_err_member", "field sender.administration '%s' names another "
			       "administration", admin);
}

/* The reference: issued for this circular and administration, for the
 * drafts as they are now. */
static int check_ref(upload *u, const bt_consultation *c, const char **ref)
{
	*ref = pdf_form_value(&u->v, PDF_FIELD_REFERENCE);
	if (!*ref)
		return refuse(u, "pdf_err_read", "%s", "field " PDF_FIELD_REFERENCE " is missing or empty");
	int stale = 0;
	if (bt_form_ref_check(u->r->db, *ref, c->circular, u->r->s.id.member, &stale, &u->e))
		return refuse(u, "pdf_err_member", "field " PDF_FIELD_REFERENCE ": %s", u->e.msg);
	if (stale)
		return refuse(u, "pdf_err_stale", "field " PDF_FIELD_REFERENCE " '%s': the drafts changed after "
			      "this form was issued", *ref);
	return blank_names_member(u, *ref);
}

/* One choice ticked per draft, each a draft of the circular. */
static int check_choices(upload *u, const bt_consultation *c)
{
	if (!u->v.n_drafts || u->v.n_drafts > PORTAL_RETURNED_DRAFTS)
		return refuse(u, "pdf_err_read", "%s", "the form has no draft.<REC>.choice field");
	for (size_t i = 0; i < u->v.n_drafts; i++) {
		const pdf_form_choice *ch = &u->v.drafts[i];
		bt_draft d;
		memset(&d, 0, sizeof d);
		int rc = bt_draft_find(u->r->db, c->circular, ch->rec, &d, &u->e);
		bt_draft_clear(&d);
		if (rc)
			return refuse(u, "pdf_err_member", "field draft.%s.choice: %s", ch->rec, u->e.msg);
		if (ch->ticked == 0)
			return refuse(u, "pdf_err_choice", "field draft.%s.choice: no choice ticked", ch->rec);
		if (ch->ticked > 1)
			return refuse(u, "pdf_err_two", "field draft.%s.choice: %d choices ticked (%s); one is needed",
				      ch->rec, ch->ticked, ch->states);
	}
	return 0;
}

/* A signed form: valid, nothing changed after signing; its signer checked
 * against the administration's signing certificates (kept with the
 * reply, verified or not, as the CLI keeps it). */
static int check_signature(upload *u, const bt_consultation *c, const pfield *f, preturned *k)
{
	if (!u->v.signature)
		return 0;
	if (pdf_sig_check(f->value.data, f->value.len, &u->v, &u->sig, &u->e))
		return refuse(u, "pdf_err_read", "%s", u->e.msg);
	if (!u->sig.valid)
		return refuse(u, "pdf_err_signature", "field signature: %s", u->sig.why);
	if (u->sig.form_changed)
		return refuse(u, "pdf_err_signature", "%s", "field signature: an update added after signing "
			      "changes the form's fields");
	(void)c;
	if (bt_signer_check(u->r->db, u->r->s.id.member, u->r->now, (const unsigned char *const *)u->sig.certs,
			    u->sig.cert_len, u->sig.n_certs, &k->signer, &u->e))
		return refuse(u, "pdf_err_signature", "field signature: %s", u->e.msg);
	k->is_signed = 1;
	return 0;
}

/* What the form says, into k. */
static void fill(upload *u, preturned *k, const pfield *f, const bt_consultation *c)
{
	snprintf(k->session, sizeof k->session, "%s", u->r->session_token);
	snprintf(k->circular, sizeof k->circular, "%s", c->circular);
	snprintf(k->name, sizeof k->name, "%s", f->filename);
	const char *sig = pdf_form_value(&u->v, "signatory.name");
	const char *title = pdf_form_value(&u->v, "signatory.title");
	if (!sig)
		sig = pdf_form_value(&u->v, "sender.name");
	if (!title)
		title = pdf_form_value(&u->v, "sender.title");
	snprintf(k->signatory, sizeof k->signatory, "%s", sig ? sig : "");
	snprintf(k->title, sizeof k->title, "%s", title ? title : "");
	for (size_t i = 0; i < u->v.n_drafts; i++) {
		snprintf(k->choices[i].rec, sizeof k->choices[i].rec, "%s", u->v.drafts[i].rec);
		k->choices[i].choice = u->v.drafts[i].choice;
	}
	k->n = u->v.n_drafts;
}

/* Reads and checks the upload into k: 0, else -1 with u->x made r's
 * refusal. */
static int read_upload(upload *u, const bt_consultation *c, preturned *k)
{
	const pfield *f = pform_file(&u->r->form, "pdf");
	const char *ref;
	if (!f)
		return refuse(u, "pdf_err_none", "%s", "no file chosen");
	if (pdf_form_read(f->value.data, f->value.len, "pdf", &u->v, &u->e))
		return refuse(u, "pdf_err_read", "%s", u->e.msg);
	if (check_signature(u, c, f, k) || check_ref(u, c, &ref) || check_choices(u, c))
		return -1;
	fill(u, k, f, c);
	bt_buf_init(&k->pdf, f->value.len + 1);
	if (bt_buf_add(&k->pdf, f->value.data, f->value.len))
		return refuse(u, "pdf_err_read", "%s", "out of memory");
	return 0;
}

int page_member_pdf_upload(preq *r, const char *circular)
{
	bt_consultation c;
	if (member_load_own(r, circular, &c))
		return 0;
	if (!member_is_open(r, &c))
		return page_error(r, 403, L(r, "err_closed"));
	upload u;
	memset(&u, 0, sizeof u);
	u.r = r;
	preturned *k = r->refusal ? NULL : calloc(1, sizeof *k);
	int rc = r->refusal ? -1 : !k ? refuse(&u, "pdf_err_read", "%s", "out of memory") : read_upload(&u, &c, k);
	pdf_form_values_free(&u.v);
	pdf_sig_verdict_free(&u.sig);
	if (rc) {
		returned_release(k);
		/* refused: the consultation's page again, the sentence next
		 * to the upload field */
		page_member_form(r, c.circular);
		r->refusal = NULL;
		return 0;
	}
	bt_err e;
	if (returned_put(r->p->returned, k, portal_mono_ms(), &e))
		return page_engine_error(r, &e);
	char loc[256];
	snprintf(loc, sizeof loc, "/member/c/%s/from-pdf", c.circular);
	return page_redirect(r, loc);
}

/* The reply form's values from k: a choice per draft row, the signatory,
 * the title, the kept file's id. */
static void prefill(pform *f, const preturned *k, const bt_draft_list *dl)
{
	char name[32];
	for (size_t d = 0; d < dl->n && f->n < PORTAL_MAX_FIELDS - 3; d++)
		for (size_t i = 0; i < k->n; i++)
			if (!strcmp(dl->v[d].rec, k->choices[i].rec)) {
				snprintf(name, sizeof name, "choice-%zu", d + 1);
				snprintf(f->v[f->n].name, sizeof f->v[f->n].name, "%s", name);
				bt_buf_init(&f->v[f->n].value, 0);
				bt_buf_adds(&f->v[f->n++].value, bt_choice_name(k->choices[i].choice));
			}
	const char *const kv[][2] = { { "signatory", k->signatory }, { "title", k->title }, { "kept", k->id } };
	for (size_t i = 0; i < 3; i++) {
		snprintf(f->v[f->n].name, sizeof f->v[f->n].name, "%s", kv[i][0]);
		bt_buf_init(&f->v[f->n].value, 0);
		bt_buf_adds(&f->v[f->n++].value, kv[i][1]);
	}
}

int page_member_pdf_form(preq *r, const char *circular)
{
	bt_consultation c;
	if (member_load_own(r, circular, &c))
		return 0;
	preturned *k = returned_get(r->p->returned, r->session_token, c.circular, NULL, portal_mono_ms());
	if (!k || !member_is_open(r, &c)) {
		upload u;
		memset(&u, 0, sizeof u);
		u.r = r;
		refuse(&u, "pdf_gone", "%s", "no returned form is kept for this consultation (30 minutes, until "
		       "recorded)");
		u.x.status = 404;
		r->status = 404;
		page_member_form(r, c.circular);
		r->refusal = NULL;
		returned_release(k);
		return 0;
	}
	bt_err e;
	bt_draft_list dl = { 0 };
	if (bt_drafts_list(r->db, c.circular, &dl, &e)) {
		returned_release(k);
		return page_engine_error(r, &e);
	}
	pform *f = calloc(1, sizeof *f);
	if (f) {
		prefill(f, k, &dl);
		r->prefill = f;
	}
	page_member_form(r, c.circular);
	r->prefill = NULL;
	if (f) {
		pform_release(f);
		free(f);
	}
	bt_draft_list_free(&dl);
	returned_release(k);
	return 0;
}
