/* page_member_pdf.c - a returned Annex 2 form uploaded to pre-fill the
 * reply form (page_member_pdf.h). The form is read with the reader and
 * checked by the engine as `ballot reply --from-pdf` checks it
 * (bt_returned_check): a refusal there is a refusal here, shown next to
 * the upload field in the page's language. Nothing is recorded before
 * the administration confirms the filled-in form (page_member.c's reply,
 * which attaches the kept file). A scan of the printed form (a PNG, JPEG or
 * TIFF, or a PDF of page images without the form's fields) is read with
 * the scan reader (pdf/scan_read.h, as `ballot reply --from-scan`): the rows
 * it reads pre-fill the form, a row it cannot read is left unchosen. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ballot/returned.h"
#include "pdf/lang.h"
#include "pdf/pdfread.h"
#include "pdf/scan_read.h"
#include "pdf/returned_form.h"
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
	pdf_returned rf; /* v as the engine checks it */
	char ref[BT_FORM_REF_MAX]; /* a scan's reference, from its QR code */
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

static const char *as_is(const char *field, void *ctx)
{
	(void)ctx;
	return field;
}

/* A refusal of bt_returned_check: its sentence by the form's field it
 * names (and the reason), the engine's line for the secretariat. */
static int refuse_check(upload *u)
{
	const char *f = u->e.field, *key = "pdf_err_read";
	if (!strcmp(f, "form.reference"))
		key = u->e.reason == BT_R_CONFLICT ? "pdf_err_stale" : "pdf_err_member";
	else if (!strcmp(f, "sender.administration") || !strcmp(f, "member"))
		key = "pdf_err_member";
	else if (!strcmp(f, "signature"))
		key = "pdf_err_signature";
	else if (!strncmp(f, "draft.", 6) && u->e.reason == BT_R_NOT_FOUND)
		key = "pdf_err_member";
	for (size_t i = 0; !strncmp(f, "draft.", 6) && u->e.reason == BT_R_INPUT && i < u->rf.f.n_drafts; i++)
		if (!strncmp(f + 6, u->rf.f.drafts[i].rec, strlen(u->rf.f.drafts[i].rec)) &&
		    !strcmp(f + 6 + strlen(u->rf.f.drafts[i].rec), ".choice"))
			key = u->rf.f.drafts[i].ticked ? "pdf_err_two" : "pdf_err_choice";
	char line[sizeof u->e.msg];
	bt_err_render(&u->e, as_is, NULL, line, sizeof line);
	return refuse(u, key, "%s", line);
}

/* The form checked as `ballot reply --from-pdf` checks it
 * (bt_returned_check), for this circular and the signed-in administration,
 * the signer at the time of the upload: into ver. */
static int check_form(upload *u, const bt_consultation *c, bt_returned_verdict *ver)
{
	if (u->v.n_drafts > PORTAL_RETURNED_DRAFTS)
		return refuse(u, "pdf_err_read", "the form has more than %d drafts", PORTAL_RETURNED_DRAFTS);
	if (bt_returned_check(u->r->db, &u->rf.f, c->circular, u->r->s.id.member, u->r->now, ver, &u->e))
		return refuse_check(u);
	return 0;
}

/* What the form says, as checked (ver), into k. */
static void fill(upload *u, preturned *k, const pfield *f, const bt_consultation *c, const bt_returned_verdict *ver)
{
	snprintf(k->session, sizeof k->session, "%s", u->r->session_token);
	snprintf(k->circular, sizeof k->circular, "%s", c->circular);
	snprintf(k->name, sizeof k->name, "%s", f->filename);
	snprintf(k->signatory, sizeof k->signatory, "%s", u->rf.f.signatory ? u->rf.f.signatory : "");
	snprintf(k->title, sizeof k->title, "%s", u->rf.f.title ? u->rf.f.title : "");
	snprintf(k->added_since, sizeof k->added_since, "%s", ver->added_since);
	for (size_t i = 0; i < u->rf.f.n_drafts; i++) {
		snprintf(k->choices[i].rec, sizeof k->choices[i].rec, "%s", u->rf.f.drafts[i].rec);
		k->choices[i].choice = u->rf.f.drafts[i].choice;
	}
	k->n = u->rf.f.n_drafts;
	k->is_signed = u->rf.f.is_signed;
	k->signer = ver->signer;
}

/* 1 when the upload f is a scan (its first bytes an image's, or a PDF
 * without the form's fields), 0 when a filled PDF form (read into u->v),
 * -1 when neither (u->e says why). */
static int is_scan(upload *u, const pfield *f)
{
	const unsigned char *m = (const unsigned char *)f->value.data;
	size_t len = f->value.len;
	if (bt_attachment_kind(f->filename, m, len) == BT_FILE_MISMATCH)
		return bt_failf(&u->e, BT_R_INPUT, "pdf", "'%.100s' is not the kind of file its name says",
				f->filename), -1;
	if (len >= 4 && (!memcmp(m, "\x89PNG", 4) || (m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF) ||
			 !memcmp(m, "II*\0", 4) || !memcmp(m, "MM\0*", 4)))
		return 1;
	if (!pdf_form_read(m, len, "pdf", &u->v, &u->e))
		return 0;
	int pages = u->v.no_fields && u->v.n_pages > 0; /* any other refusal is the form's */
	if (pages) { /* pages only: read them as a scan */
		pdf_form_values_free(&u->v);
		memset(&u->v, 0, sizeof u->v);
	}
	return pages ? 1 : -1;
}

/* Why scan res holds no form for this consultation, its sentence's key:
 * no QR code of a form on any page, or one naming what this database does
 * not have (another administration's, another consultation's). */
static int refuse_unread(upload *u, const scan_result *res)
{
	const char *key = "pdf_err_scan_noqr";
	for (size_t i = 0; i < res->nunread; i++)
		if (!strncmp(res->unread[i].why, "its QR code names", 17))
			key = "pdf_err_member";
	return refuse(u, key, "no form read from the scan: page %zu: %s", res->nunread ? res->unread[0].page : 0,
		      res->nunread ? res->unread[0].why : "no page");
}

/* The one form of scan res checked for this consultation and the signed-in
 * administration (its reference, as bt_returned_check checks it) and its
 * rows into u->v and u->ref: 0, else -1 with the refusal. */
static int one_form(upload *u, const bt_consultation *c, const scan_result *res, bt_returned_verdict *ver)
{
	if (res->nforms == 0)
		return refuse_unread(u, res);
	if (res->nforms > 1)
		return refuse(u, "pdf_err_scan_several", "the scan holds %zu forms: upload one", res->nforms);
	const scan_form *f = &res->forms[0];
	if (strcmp(f->r.circular, c->circular))
		return refuse(u, "pdf_err_scan_circular", "the scan is of form %s, of circular %s", f->ref,
			      f->r.circular);
	if (bt_returned_reference(u->r->db, f->ref, c->circular, u->r->s.id.member, ver, &u->e)) {
		if (u->e.reason != BT_R_CONFLICT)
			return refuse(u, "pdf_err_scan_member", "the scan is of form %s, of member %s", f->ref,
				      f->r.member);
		return refuse_check(u);
	}
	if (scan_form_values(res, "pdf", &u->v, u->ref, &u->e))
		return refuse(u, "pdf_err_scan_boxes", "%s", u->e.msg);
	return 0;
}

/* The scan in f read (at most PORTAL_SCAN_PAGES pages) into u->v and
 * u->ref, its reference checked: 0, else -1 with the refusal. */
static int read_scan(upload *u, const bt_consultation *c, const pfield *f, bt_returned_verdict *ver)
{
	int pages = scan_count_pages(f->value.data, f->value.len);
	if (pages <= 0)
		return refuse(u, "pdf_err_read", "'%.100s' cannot be read as a PDF form or a scan (PNG, JPEG, TIFF, "
			      "PDF)", f->filename);
	if (pages > PORTAL_SCAN_PAGES)
		return refuse(u, "pdf_err_scan_pages", "a scan of %d pages: %d are read at most", pages,
			      PORTAL_SCAN_PAGES);
	scan_result res;
	memset(&res, 0, sizeof res);
	scan_reader rd = { u->r->db, NULL, u->r->p->portal_url, PORTAL_SCAN_PAGES, PORTAL_SCAN_PIXELS };
	int rc = pdf_fonts_load(pdf_forms_dir(), &rd.fonts, &u->e) ? refuse(u, "pdf_err_read", "%s", u->e.msg) : 0;
	if (!rc && returned_scan_begin(u->r->p->returned)) {
		form_refusal_at(u->r, &u->x, 503, BT_R_CONFLICT, "pdf", "", "other scans are being read: try again");
		u->x.key = "pdf_err_scan_busy";
		rc = -1;
	} else if (!rc) {
		if (scan_read_bytes(&rd, f->filename, f->value.data, f->value.len, &res, &u->e))
			rc = refuse(u, res.too_large ? "pdf_err_scan_size" : "pdf_err_read", "%s", u->e.msg);
		returned_scan_end(u->r->p->returned);
	}
	if (!rc)
		rc = one_form(u, c, &res, ver);
	scan_result_free(&res);
	pdf_fonts_free(rd.fonts);
	return rc;
}

/* A scan checked as bt_returned_check checks a form (its reference, its
 * signature when a signed PDF, the rows it read), a row it could not read
 * left to the administration, not refused. */
static int check_scan(upload *u, const bt_consultation *c, bt_returned_verdict *ver)
{
	if (u->rf.f.n_drafts > PORTAL_RETURNED_DRAFTS)
		return refuse(u, "pdf_err_read", "the form has more than %d drafts", PORTAL_RETURNED_DRAFTS);
	bt_returned_form g = u->rf.f;
	g.rows_unread_ok = 1;
	if (bt_returned_check(u->r->db, &g, c->circular, u->r->s.id.member, u->r->now, ver, &u->e))
		return refuse_check(u);
	return 0;
}

/* The drafts of the form a scan could not read, "Q.1, Q.2", into k. */
static void uncertain_rows(const upload *u, preturned *k)
{
	size_t at = 0;
	for (size_t i = 0; i < u->rf.f.n_drafts && at < sizeof k->uncertain; i++)
		if (u->rf.f.drafts[i].choice == BT_CHOICE_NONE)
			at += (size_t)snprintf(k->uncertain + at, sizeof k->uncertain - at, "%s%s", at ? ", " : "",
					       u->rf.f.drafts[i].rec);
}

/* Reads and checks the upload into k: 0, else -1 with u->x made r's
 * refusal. */
static int read_upload(upload *u, const bt_consultation *c, preturned *k)
{
	const pfield *f = pform_file(&u->r->form, "pdf");
	if (!f)
		return refuse(u, "pdf_err_none", "%s", "no file chosen");
	bt_returned_verdict ver;
	memset(&ver, 0, sizeof ver);
	int scan = is_scan(u, f);
	if (scan < 0)
		return refuse(u, "pdf_err_read", "%s", u->e.msg);
	if (scan && read_scan(u, c, f, &ver))
		return -1;
	if (pdf_returned_of(f->value.data, f->value.len, &u->v, &u->rf, &u->e))
		return refuse(u, "pdf_err_read", "%s", u->e.msg);
	if (scan)
		u->rf.f.reference = u->ref;
	if (scan ? check_scan(u, c, &ver) : check_form(u, c, &ver))
		return -1;
	fill(u, k, f, c, &ver);
	if (scan)
		uncertain_rows(u, k);
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
	pdf_returned_free(&u.rf);
	pdf_form_values_free(&u.v);
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
			if (!strcmp(dl->v[d].rec, k->choices[i].rec) && k->choices[i].choice != BT_CHOICE_NONE) {
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
