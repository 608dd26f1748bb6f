/* cmd_scan.c - `ballot scan FILE... [--json]`: the proposal a scanned or
 * faxed Annex 2 form makes, read from its QR code and its tick boxes
 * (src/pdf/scan.h), to be confirmed before anything is recorded. */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot/formref.h"
#include "ballot/json.h"
#include "pdf/annex2.h"
#include "pdf/pdfread.h"
#include "pdf/scan.h"

static const char USAGE[] =
	"usage: ballot scan FILE... [--json]\n"
	"\n"
	"Reads returned Annex 2 forms from scans or faxes (PNG, TIFF, JPEG, PDF;\n"
	"every page): each page's QR code names the circular, member, language\n"
	"and draft list; the registration marks in its corners locate it; the\n"
	"tick boxes are read where the form drew them. Prints a proposal per\n"
	"form: per draft the choice with a confidence (0-100), or \"uncertain\"\n"
	"with why (no box ticked, several, marks in another box, the boxes not\n"
	"found). A page without a QR code is named. Records nothing.\n";

/* A form read: its reference and, per draft, what its boxes say. */
typedef struct reading {
	char rec[BT_ID_MAX + 1];
	bt_choice choice;     /* BT_CHOICE_NONE: uncertain */
	int confidence;       /* percent */
	const char *why;      /* when uncertain */
	int found;            /* its boxes were on a page read */
} reading;

typedef struct form {
	char ref[BT_FORM_REF_MAX];
	bt_form_ref r;
	const char *paper;
	int stale;            /* issued for another draft list ... */
	int as_issued;        /* ... found: read with it (drafts added) */
	char added[160];      /* the drafts added since, when as_issued */
	reading *v;
	size_t n;
	struct { int page; double turn; } pages[8]; /* its pages read (JSON) */
	size_t npages;
} form;

typedef struct job {
	bt_db *db;
	pdf_fonts *fonts;
	form *forms;
	size_t nforms;
	bt_buf out;          /* the report, text or JSON */
	bt_buf unread;       /* JSON: the pages not read */
	const char *portal_url; /* printed on forms with a reply code */
	int json, nunread;
} job;

/* The form of reference ref, added when new (its drafts from the
 * database): NULL when out of memory. */
static form *form_of(job *j, const char *ref, const bt_form_ref *r,
		     const bt_draft_list *dl, int stale, int as_issued)
{
	for (size_t i = 0; i < j->nforms; i++)
		if (!strcmp(j->forms[i].ref, ref))
			return &j->forms[i];
	form *v = realloc(j->forms, (j->nforms + 1) * sizeof *v);
	if (!v)
		return NULL;
	j->forms = v;
	form *f = &v[j->nforms];
	memset(f, 0, sizeof *f);
	snprintf(f->ref, sizeof f->ref, "%s", ref);
	f->r = *r;
	f->stale = stale;
	f->as_issued = as_issued;
	f->v = calloc(dl->n ? dl->n : 1, sizeof *f->v);
	if (!f->v)
		return NULL;
	for (size_t i = 0; i < dl->n; i++) {
		snprintf(f->v[i].rec, sizeof f->v[i].rec, "%s", dl->v[i].rec);
		f->v[i].why = stale && !as_issued ? "the form was issued for "
			"another draft list" : "its boxes are on no page read";
	}
	f->n = dl->n;
	j->nforms++;
	return f;
}

/* A page not read, and why. */
static void unread(job *j, const char *file, size_t page, const char *why)
{
	if (j->json) {
		bt_buf_adds(&j->unread, j->nunread ? "," : "");
		bt_buf_adds(&j->unread, "{");
		bt_json_kv_str(&j->unread, "file", file, 1);
		bt_json_kv_int(&j->unread, "page", (int64_t)page, 0);
		bt_json_kv_str(&j->unread, "reason", why, 0);
		bt_buf_adds(&j->unread, "}");
	} else {
		bt_buf_addf(&j->unread, "%s page %zu: not read: %s\n", file,
			    page, why);
	}
	j->nunread++;
}

/* Reads the boxes of the page of layout lay (page pg) into f. */
static void read_boxes(form *f, const scan_image *im, const scan_place *pl,
		       const annex2_layout *lay, int pg)
{
	for (size_t k = 0; k < f->n; k++) {
		double ink[4], ring[4];
		bt_choice ch[4];
		size_t n = 0;
		for (size_t i = 0; i < lay->n && n < 4; i++)
			if (lay->v[i].page == pg && !strcmp(lay->v[i].rec, f->v[k].rec)) {
				ink[n] = scan_box_ink(im, pl, &lay->v[i]);
				ring[n] = scan_box_ring(im, pl, &lay->v[i]);
				ch[n++] = lay->v[i].choice;
			}
		if (n == 0 || (f->stale && !f->as_issued))
			continue;
		double conf;
		reading *r = &f->v[k];
		r->choice = scan_decide(ink, ring, ch, n, &conf, &r->why);
		r->confidence = (int)(conf * 100 + 0.5);
		r->found = 1;
	}
}

/* The layout, place and page of the form that fit the image best, over
 * both papers, without and with the portal's reply-code box (its height
 * only matters: a code of the same length), only page *page when it is not
 * 0 (the QR code's): 1 when found, 0 when its boxes are not, -1 on
 * failure. */
static int best_fit(job *j, const annex2_lang *l, const bt_consultation *c,
		    const bt_draft_list *dl, const char *digest,
		    const bt_member *m, const scan_image *im, annex2_layout *lay,
		    scan_place *pl, int *page, const char **paper, bt_err *e)
{
	double best = 0;
	int bp = -1, want = *page;
	static const pdf_paper papers[] = { PDF_A4, PDF_LETTER };
	static const char *const names[] = { "A4", "letter" };
	annex2_portal box = { "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX", j->portal_url };
	for (int p = 0; p < (j->portal_url ? 4 : 2); p++) {
		annex2_layout t;
		scan_place sp;
		if (annex2_layout_get(j->fonts, l, c, dl, digest, m, p > 1 ?
				      &box : NULL, papers[p % 2], &t, e))
			return -1;
		int located = scan_locate(im, t.w, t.h, &sp);
		for (int k = 1; located && k <= t.pages; k++) {
			if (want && k != want)
				continue;
			double fit = scan_fit(im, &sp, &t, k);
			if (fit > best) {
				best = fit;
				bp = p;
				*pl = sp;
				*page = k;
			}
		}
		annex2_layout_free(&t);
	}
	if (bp < 0 || best < 0.6)
		return 0;
	*paper = names[bp % 2];
	return annex2_layout_get(j->fonts, l, c, dl, digest, m, bp > 1 ? &box :
				 NULL, papers[bp % 2], lay, e) ? -1 : 1;
}

/* A form issued before drafts were added: the list it was issued for
 * (bt_returned_issued, the stale rule every returned form is read by),
 * dl's drafts in dl's order whose digest starts with hex16, into sub (its
 * drafts dl's own: free sub->v only), its digest into digest and the
 * drafts added since into added ("Q.5053, Q.5054"). sub->n 0 when none is
 * (a form of another database); -1 when out of memory. */
static int as_issued(const bt_draft_list *dl, const char *hex16,
		     bt_draft_list *sub, char digest[65], char *added,
		     size_t size)
{
	unsigned long long mask = 0;
	sub->n = 0;
	if (!bt_returned_issued(dl, hex16, &mask))
		return 0;
	sub->v = malloc((dl->n + 1) * sizeof *sub->v);
	if (!sub->v)
		return -1;
	size_t used = 0;
	for (size_t i = 0; i < dl->n; i++)
		if (i >= 64 || mask >> i & 1)
			sub->v[sub->n++] = dl->v[i];
		else if (used < size)
			used += (size_t)snprintf(added + used, size - used, "%s%s",
						 used ? ", " : "", dl->v[i].rec);
	bt_drafts_digest(sub, digest);
	return 0;
}

/* The member of code (the database's). */
static int member_of(job *j, const char *code, bt_member_list *ml,
		     const bt_member **m, bt_err *e)
{
	int rc = bt_members_list(j->db, BT_DATE_NONE, ml, e);
	*m = NULL;
	for (size_t i = 0; rc == BT_OK && i < ml->n; i++)
		if (!strcmp(ml->v[i].code, code))
			*m = &ml->v[i];
	return rc;
}

/* Why a located page's boxes were not found: its turn (scan_qr) named
 * when it is more than the registration marks are found at. */
static void not_found(job *j, const char *file, size_t pn, double turn)
{
	double rest = fabs(turn - 90.0 * lround(turn / 90));
	char why[160];
	if (rest > SCAN_SKEW_READ)
		snprintf(why, sizeof why, "no tick boxes found: the page is "
			 "skewed by %.1f degrees (up to %d are read)", rest,
			 SCAN_SKEW_READ);
	else
		snprintf(why, sizeof why, "no tick boxes found (a page without "
			 "drafts, or its registration marks not found)");
	unread(j, file, pn, why);
}

/* A page with a form's QR code: where it is and how it lies. */
typedef struct page_in {
	const char *file;
	size_t pn;           /* its number in the file */
	const scan_image *im;
	int want;            /* the form's page its QR code names, or 0 */
	double turn;         /* scan_qr's */
} page_in;

/* The boxes of form ref (r; the consultation's drafts dl) on the page
 * read into its form, against the draft list it was issued for. */
static int form_page(job *j, const page_in *pg, const char *ref,
		     const bt_form_ref *r, const bt_consultation *c,
		     const bt_draft_list *dl, const bt_member *m,
		     const annex2_lang *l, bt_err *e)
{
	annex2_layout lay = { 0 };
	scan_place pl;
	char digest[65], added[160] = "";
	const char *paper = NULL;
	int page = pg->want;
	bt_drafts_digest(dl, digest);
	int stale = strncmp(digest, r->digest, 16) != 0;
	bt_draft_list sub = { NULL, 0 };
	if (stale && as_issued(dl, r->digest, &sub, digest, added,
			       sizeof added) < 0)
		return bt_fail(e, BT_EFAIL, "out of memory");
	const bt_draft_list *use = stale && sub.n ? &sub : dl;
	int issued = !stale || sub.n > 0;
	form *f = form_of(j, ref, r, use, stale, issued);
	int found = !f ? -1 : !issued ? 0 : best_fit(j, l, c, use, digest, m,
						     pg->im, &lay, &pl, &page,
						     &paper, e);
	free(sub.v); /* its drafts are dl's */
	if (!f)
		return bt_fail(e, BT_EFAIL, "out of memory");
	snprintf(f->added, sizeof f->added, "%s", added);
	if (f->npages < sizeof f->pages / sizeof *f->pages) {
		f->pages[f->npages].page = found > 0 ? page : pg->want;
		f->pages[f->npages++].turn = pg->turn;
	}
	if (found == 0 && issued)
		not_found(j, pg->file, pg->pn, pg->turn);
	if (found > 0) {
		f->paper = paper;
		read_boxes(f, pg->im, &pl, &lay, page);
	}
	annex2_layout_free(&lay);
	return found < 0 ? e->code : BT_OK;
}

/* One page with the QR code text qr (a form's reference, then ":p" and
 * the page's number on forms since 0.14; without it the page is found by
 * best fit): its form's boxes read. */
static int read_page(job *j, page_in *pg, const char *qr, bt_err *e)
{
	char ref[BT_FORM_REF_MAX];
	size_t len = strlen(qr);
	ref[0] = 0; /* too long: no reference */
	if (len < sizeof ref)
		memcpy(ref, qr, len + 1);
	pg->want = scan_qr_page(ref);
	bt_form_ref r;
	bt_consultation c;
	bt_draft_list dl = { NULL, 0 };
	bt_member_list ml = { NULL, 0 };
	const bt_member *m = NULL;
	annex2_lang *l = NULL;
	bt_err ignore = { 0 };
	int rc = BT_OK;
	if (bt_form_ref_parse(ref, &r, &ignore) || !strcmp(r.member, "-")) {
		unread(j, pg->file, pg->pn, "its QR code is not a member's form "
		       "reference");
		return BT_OK;
	}
	if (bt_consultation_get(j->db, r.circular, &c, &ignore) ||
	    bt_drafts_list(j->db, c.circular, &dl, &ignore) ||
	    member_of(j, r.member, &ml, &m, &ignore) || !m ||
	    annex2_lang_load(pdf_forms_dir(), r.lang, &l, &ignore))
		unread(j, pg->file, pg->pn, "its QR code names a circular, "
		       "member or language this database does not have");
	else
		rc = form_page(j, pg, ref, &r, &c, &dl, m, l, e);
	annex2_lang_free(l);
	bt_member_list_free(&ml);
	bt_draft_list_free(&dl);
	return rc;
}

/* Every page of file. */
static int read_file(job *j, const char *file, bt_err *e)
{
	scan_pages pages;
	bt_buf ref = BT_BUF_INIT;
	int rc = scan_load(file, &pages, e);
	for (size_t i = 0; rc == BT_OK && i < pages.n; i++) {
		double turn;
		int q = scan_qr(&pages.v[i], &ref, &turn);
		if (q > 0 && scan_upright(&pages.v[i], turn) < 0)
			q = -1;
		if (q < 0)
			rc = bt_fail(e, BT_EFAIL, "out of memory");
		else if (q == 0)
			unread(j, file, i + 1, "no QR code found");
		else
		{
			page_in pg = { file, i + 1, &pages.v[i], 0, turn };
			rc = read_page(j, &pg, bt_buf_str(&ref), e);
		}
	}
	bt_buf_release(&ref);
	scan_pages_free(&pages);
	return rc;
}

/* The one form of the scan file into v (its drafts: the choice proposed,
 * ticked 1; an uncertain row ticked 0 or, several boxes ticked, 2 with why
 * in states) and ref. */
static int scan_values(job *j, const char *what, pdf_form_values *v,
		       char ref[BT_FORM_REF_MAX], bt_err *e)
{
	if (j->nforms != 1)
		return bt_fail(e, BT_EINPUT, "%s: %zu forms found (%s); one is "
			       "needed", what, j->nforms, j->nunread ?
			       "pages not read: ballot scan says why" :
			       "one form a scan");
	const form *f = &j->forms[0];
	if (f->stale && !f->as_issued)
		return bt_fail(e, BT_EINPUT, "%s: form %s was issued for drafts "
			       "circular %s never had together (another "
			       "database's form?): its boxes are not read",
			       what, f->ref, f->r.circular);
	if (!f->paper)
		return bt_fail(e, BT_EINPUT, "%s: the tick boxes of form %s were "
			       "not found", what, f->ref);
	v->drafts = calloc(f->n ? f->n : 1, sizeof *v->drafts);
	if (!v->drafts)
		return bt_fail(e, BT_EFAIL, "out of memory");
	v->n_drafts = f->n;
	for (size_t i = 0; i < f->n; i++) {
		pdf_form_choice *c = &v->drafts[i];
		const reading *r = &f->v[i];
		snprintf(c->rec, sizeof c->rec, "%s", r->rec);
		c->choice = r->found ? r->choice : BT_CHOICE_NONE;
		c->ticked = c->choice != BT_CHOICE_NONE ? 1 :
			r->why && !strcmp(r->why, "several boxes ticked") ? 2 : 0;
		snprintf(c->states, sizeof c->states, "%s", c->choice ?
			 bt_choice_name(c->choice) : "uncertain: " );
		if (!c->choice && r->why)
			snprintf(c->states, sizeof c->states, "uncertain: %s",
				 r->why);
	}
	snprintf(ref, BT_FORM_REF_MAX, "%s", f->ref);
	return BT_OK;
}

int cli_scan_form(cli_ctx *ctx, bt_db *db, const char *file,
		  const char *what, pdf_form_values *v,
		  char ref[BT_FORM_REF_MAX], bt_err *e)
{
	job j;
	memset(&j, 0, sizeof j);
	j.db = db;
	bt_buf_init(&j.unread, 0);
	cli_value url;
	cli_conf_value(ctx, CONF_PORTAL_URL, NULL, &url);
	j.portal_url = url.value;
	int rc = pdf_fonts_load(pdf_forms_dir(), &j.fonts, e);
	if (rc == BT_OK)
		rc = read_file(&j, file, e);
	if (rc == BT_OK)
		rc = scan_values(&j, what, v, ref, e);
	for (size_t i = 0; i < j.nforms; i++)
		free(j.forms[i].v);
	free(j.forms);
	pdf_fonts_free(j.fonts);
	bt_buf_release(&j.unread);
	return rc;
}

static void print_text(job *j)
{
	bt_buf *o = &j->out;
	for (size_t i = 0; i < j->nforms; i++) {
		const form *f = &j->forms[i];
		bt_buf_addf(o, "form %s: circular %s, member %s, language %s%s%s\n",
			    f->ref, f->r.circular, f->r.member, f->r.lang,
			    f->paper ? ", " : "", f->paper ? f->paper : "");
		if (f->stale && f->as_issued)
			bt_buf_addf(o, "  issued before %s %s added: read as issued\n",
				    f->added, strchr(f->added, ',') ? "were" : "was");
		else if (f->stale)
			bt_buf_adds(o, "  issued for drafts this circular never had "
				    "together: its boxes are not read\n");
		for (size_t k = 0; k < f->n; k++) {
			const reading *r = &f->v[k];
			if (r->found && r->choice != BT_CHOICE_NONE)
				bt_buf_addf(o, "  %s: %s (confidence %d)\n", r->rec,
					    bt_choice_name(r->choice), r->confidence);
			else
				bt_buf_addf(o, "  %s: uncertain (%s)\n", r->rec,
					    r->why);
		}
	}
	bt_buf_adds(o, bt_buf_str(&j->unread));
}

/* "pages": each page of form f read: its number (0: its boxes not found)
 * and the turn measured (degrees clockwise, in points). */
static void pages_json(bt_buf *o, const form *f)
{
	bt_json_key(o, "pages", 0);
	bt_buf_adds(o, "[");
	for (size_t k = 0; k < f->npages; k++) {
		bt_buf_adds(o, k ? ",{" : "{");
		bt_json_kv_int(o, "page", f->pages[k].page, 1);
		bt_json_key(o, "turn", 0);
		bt_buf_addf(o, "%.1f}", f->pages[k].turn);
	}
	bt_buf_adds(o, "]");
}

static void print_json(job *j)
{
	bt_buf *o = &j->out;
	bt_buf_adds(o, "{\"forms\":[");
	for (size_t i = 0; i < j->nforms; i++) {
		const form *f = &j->forms[i];
		bt_buf_adds(o, i ? ",{" : "{");
		bt_json_kv_str(o, "ref", f->ref, 1);
		bt_json_kv_str(o, "circular", f->r.circular, 0);
		bt_json_kv_str(o, "member", f->r.member, 0);
		bt_json_kv_str(o, "lang", f->r.lang, 0);
		bt_json_key(o, "paper", 0);
		bt_json_str_or_null(o, f->paper);
		bt_json_kv_bool(o, "stale", f->stale, 0);
		bt_json_key(o, "added_since", 0);
		bt_json_str_or_null(o, f->as_issued ? f->added : NULL);
		pages_json(o, f);
		bt_json_key(o, "drafts", 0);
		bt_buf_adds(o, "[");
		for (size_t k = 0; k < f->n; k++) {
			const reading *r = &f->v[k];
			int ok = r->found && r->choice != BT_CHOICE_NONE;
			bt_buf_adds(o, k ? ",{" : "{");
			bt_json_kv_str(o, "rec", r->rec, 1);
			bt_json_key(o, "choice", 0);
			bt_json_str_or_null(o, ok ? bt_choice_name(r->choice) : NULL);
			bt_json_kv_int(o, "confidence", ok ? r->confidence : 0, 0);
			bt_json_key(o, "uncertain", 0);
			bt_json_str_or_null(o, ok ? NULL : r->why);
			bt_buf_adds(o, "}");
		}
		bt_buf_adds(o, "]}");
	}
	bt_buf_adds(o, "],\"unread\":[");
	bt_buf_adds(o, bt_buf_str(&j->unread));
	bt_buf_adds(o, "]}\n");
}

/* `ballot scan FILE... [--json]`. */
int cmd_scan(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	job j;
	memset(&j, 0, sizeof j);
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, -1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos == 0)
		return bt_fail(e, BT_EINPUT, "FILE: give one scan at least");
	j.json = opts[0].count > 0;
	bt_buf_init(&j.out, 0);
	bt_buf_init(&j.unread, 0);
	cli_value url;
	cli_conf_value(ctx, CONF_PORTAL_URL, NULL, &url);
	j.portal_url = url.value;
	rc = cli_open_db(ctx, 0, &j.db, e);
	if (rc == BT_OK)
		rc = pdf_fonts_load(pdf_forms_dir(), &j.fonts, e);
	for (int i = 0; rc == BT_OK && i < ctx->npos; i++)
		rc = read_file(&j, ctx->pos[i], e);
	if (rc == BT_OK) {
		if (j.json)
			print_json(&j);
		else
			print_text(&j);
		rc = j.out.failed || j.unread.failed ?
			bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
	}
	if (rc == BT_OK) {
		fputs(bt_buf_str(&j.out), stdout);
		rc = cli_flush_stdout(e);
	}
	for (size_t i = 0; i < j.nforms; i++)
		free(j.forms[i].v);
	free(j.forms);
	pdf_fonts_free(j.fonts);
	bt_buf_release(&j.out);
	bt_buf_release(&j.unread);
	return rc;
}
