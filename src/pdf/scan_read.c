/* scan_read.c - the scan reader (scan_read.h): each page's QR code names
 * its form (a form's reference, then ":p" and the page's number), the
 * form's drafts come from the database, the layout that fits the page best
 * (both papers, with and without the portal's reply-code box) places its
 * tick boxes, and scan_decide reads each draft's boxes. */
#include "pdf/scan_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poppler.h>
#include <tiffio.h>

#include "ballot/consultation.h"
#include "ballot/draft.h"
#include "ballot/member.h"
#include "ballot/returned.h"
#include "pdf/annex2.h"
#include "pdf/lang.h"
#include "pdf/scan.h"

/* One reading: how, into what. */
typedef struct job {
	const scan_reader *rd;
	scan_result *res;
} job;

/* The form of reference ref, added when new (its drafts from the
 * database): NULL when out of memory. */
static scan_form *form_of(job *j, const char *ref, const bt_form_ref *r,
		     const bt_draft_list *dl, int stale, int as_issued)
{
	for (size_t i = 0; i < j->res->nforms; i++)
		if (!strcmp(j->res->forms[i].ref, ref))
			return &j->res->forms[i];
	scan_form *v = realloc(j->res->forms, (j->res->nforms + 1) * sizeof *v);
	if (!v)
		return NULL;
	j->res->forms = v;
	scan_form *f = &v[j->res->nforms];
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
	j->res->nforms++;
	return f;
}

/* A page not read, and why: 0, -1 when out of memory. */
static int unread(job *j, const char *file, size_t page, const char *why)
{
	scan_result *res = j->res;
	scan_unread *v = realloc(res->unread, (res->nunread + 1) * sizeof *v);
	if (!v)
		return -1;
	res->unread = v;
	scan_unread *u = &v[res->nunread];
	if (!(u->file = strdup(file)))
		return -1;
	u->page = page;
	snprintf(u->why, sizeof u->why, "%s", why);
	res->nunread++;
	return 0;
}

/* Reads the boxes of the page of layout lay (page pg) into f. A page read
 * again (the same page twice in the files) keeps a draft's choice only
 * when it reads the same; otherwise the draft is uncertain
 * (SCAN_READ_TWICE). */
static void read_boxes(scan_form *f, const scan_image *im, const scan_place *pl,
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
		const char *why = NULL;
		scan_reading *r = &f->v[k];
		bt_choice now = scan_decide(ink, ring, ch, n, &conf, &why);
		int pct = (int)(conf * 100 + 0.5);
		if (r->found && (r->choice != now || now == BT_CHOICE_NONE)) {
			/* its page again (a fax sent twice), read otherwise:
			 * which is meant is not for the reader to guess */
			if (r->choice != now)
				r->why = SCAN_READ_TWICE;
			else if (!r->why)
				r->why = why;
			r->choice = BT_CHOICE_NONE;
			r->confidence = 0;
			continue;
		}
		if (r->found) { /* read the same again: the lower confidence */
			r->confidence = pct < r->confidence ? pct : r->confidence;
			continue;
		}
		r->choice = now;
		r->why = why;
		r->confidence = pct;
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
	annex2_portal box = { "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX", j->rd->portal_url };
	for (int p = 0; p < (j->rd->portal_url ? 4 : 2); p++) {
		annex2_layout t;
		scan_place sp;
		if (annex2_layout_get(j->rd->fonts, l, c, dl, digest, m, p > 1 ?
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
	return annex2_layout_get(j->rd->fonts, l, c, dl, digest, m, bp > 1 ? &box :
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
		if (bt_returned_issued_has(mask, i))
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
	int rc = bt_members_list(j->rd->db, BT_DATE_NONE, ml, e);
	*m = NULL;
	for (size_t i = 0; rc == BT_OK && i < ml->n; i++)
		if (!strcmp(ml->v[i].code, code))
			*m = &ml->v[i];
	return rc;
}

/* Why a located page's boxes were not found: its turn (scan_qr) named
 * when it is more than the registration marks are found at. */
static int not_found(job *j, const char *file, size_t pn, double turn)
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
	return unread(j, file, pn, why);
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
	scan_form *f = form_of(j, ref, r, use, stale, issued);
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
	if (found == 0 && issued && not_found(j, pg->file, pg->pn, pg->turn))
		found = -1, bt_fail(e, BT_EFAIL, "out of memory");
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
	if (bt_form_ref_parse(ref, &r, &ignore) || !strcmp(r.member, "-"))
		return unread(j, pg->file, pg->pn, "its QR code is not a member's form reference") ?
			bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
	if (bt_consultation_get(j->rd->db, r.circular, &c, &ignore) ||
	    bt_drafts_list(j->rd->db, c.circular, &dl, &ignore) ||
	    member_of(j, r.member, &ml, &m, &ignore) || !m ||
	    annex2_lang_load(pdf_forms_dir(), r.lang, &l, &ignore))
		rc = unread(j, pg->file, pg->pn, "its QR code names a circular, member or language this "
			    "database does not have") ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
	else
		rc = form_page(j, pg, ref, &r, &c, &dl, m, l, e);
	annex2_lang_free(l);
	bt_member_list_free(&ml);
	bt_draft_list_free(&dl);
	return rc;
}

/* Every page of the file at path (name: what unread pages name). */
static int read_file(job *j, const char *path, const char *name, bt_err *e)
{
	scan_pages pages;
	bt_buf ref = BT_BUF_INIT;
	int rc = scan_load(path, name, j->rd->max_pixels, &pages, e);
	if (rc && (pages.over_w || pages.over_images))
		j->res->too_large = 1;
	if (rc == BT_OK && j->rd->max_pages > 0 && pages.n > (size_t)j->rd->max_pages)
		rc = bt_failf(e, BT_R_INPUT, "file", "'%s' has %zu pages: %d are read at most", name, pages.n,
			      j->rd->max_pages);
	for (size_t i = 0; rc == BT_OK && i < pages.n; i++) {
		double turn;
		int q = scan_qr(&pages.v[i], &ref, &turn);
		if (q > 0 && scan_upright(&pages.v[i], turn) < 0)
			q = -1;
		if (q == 0 && unread(j, name, i + 1, "no QR code found"))
			q = -1;
		if (q < 0)
			rc = bt_fail(e, BT_EFAIL, "out of memory");
		else if (q > 0) {
			page_in pg = { name, i + 1, &pages.v[i], 0, turn };
			rc = read_page(j, &pg, bt_buf_str(&ref), e);
		}
	}
	bt_buf_release(&ref);
	scan_pages_free(&pages);
	return rc;
}

int scan_read_file(const scan_reader *rd, const char *path, const char *name, scan_result *res, bt_err *e)
{
	job j = { rd, res };
	return read_file(&j, path, name, e);
}

int scan_read_bytes(const scan_reader *rd, const char *name, const void *data, size_t len, scan_result *res,
		    bt_err *e)
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
	int rc = close(fd) == 0 && done == len ? scan_read_file(rd, path, name, res, e)
					       : bt_fail(e, BT_EFAIL, "%s: writing a temporary file to read it as a "
							 "scan", name);
	unlink(path);
	return rc;
}

void scan_result_free(scan_result *res)
{
	for (size_t i = 0; i < res->nforms; i++)
		free(res->forms[i].v);
	free(res->forms);
	for (size_t i = 0; i < res->nunread; i++)
		free(res->unread[i].file);
	free(res->unread);
	memset(res, 0, sizeof *res);
}

/* The pages of the PDF in data (poppler), 0 when it cannot be read. */
static int pdf_pages(const void *data, size_t len)
{
	GBytes *b = g_bytes_new_static(data, len);
	PopplerDocument *doc = poppler_document_new_from_bytes(b, NULL, NULL);
	int n = doc ? poppler_document_get_n_pages(doc) : 0;
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(b);
	return n;
}

/* libtiff over bytes in memory (read only). */
typedef struct mem { const unsigned char *p; size_t len, at; } mem;
static tsize_t mem_read(thandle_t h, tdata_t buf, tsize_t n)
{
	mem *m = h;
	size_t k = m->at < m->len ? m->len - m->at : 0;
	if ((size_t)n < k)
		k = (size_t)n;
	memcpy(buf, m->p + m->at, k);
	m->at += k;
	return (tsize_t)k;
}
static tsize_t mem_write(thandle_t h, tdata_t buf, tsize_t n)
{
	(void)h, (void)buf, (void)n;
	return -1;
}
static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
	mem *m = h;
	size_t base = whence == SEEK_CUR ? m->at : whence == SEEK_END ? m->len : 0;
	m->at = base + (size_t)off;
	return (toff_t)m->at;
}
static int mem_close(thandle_t h)
{
	(void)h;
	return 0;
}
static toff_t mem_size(thandle_t h)
{
	return (toff_t)((mem *)h)->len;
}
/* The pages (directories) of the TIFF in data, 0 when it cannot be read. */
static int tiff_pages(const void *data, size_t len)
{
	mem m = { data, len, 0 };
	scan_tiff_quiet();
	TIFF *t = TIFFClientOpen("scan", "rm", &m, mem_read, mem_write, mem_seek, mem_close, mem_size, NULL, NULL);
	int n = t ? TIFFNumberOfDirectories(t) : 0;
	if (t)
		TIFFClose(t);
	return n;
}

int scan_count_pages(const void *data, size_t len)
{
	const unsigned char *m = data;
	if (len >= 8 && !memcmp(m, "\x89PNG", 4))
		return 1;
	if (len >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF)
		return 1;
	if (len >= 4 && (!memcmp(m, "II*\0", 4) || !memcmp(m, "MM\0*", 4)))
		return tiff_pages(data, len);
	if (len >= 5 && !memcmp(m, "%PDF-", 5))
		return pdf_pages(data, len);
	return 0;
}

int scan_form_values(const scan_result *res, const char *what, pdf_form_values *v, char ref[BT_FORM_REF_MAX],
		     bt_err *e)
{
	if (res->nforms != 1)
		return bt_fail(e, BT_EINPUT, "%s: %zu forms found (%s); one is "
			       "needed", what, res->nforms, res->nunread ?
			       "pages not read: ballot scan says why" :
			       "one form a scan");
	const scan_form *f = &res->forms[0];
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
		const scan_reading *r = &f->v[i];
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

int scan_read_form(const scan_reader *rd, const char *path, const char *name, const void *data, size_t len,
		   const char *what, pdf_form_values *v, char ref[BT_FORM_REF_MAX], bt_err *e)
{
	scan_result res;
	memset(&res, 0, sizeof res);
	scan_reader r = *rd;
	int rc = pdf_fonts_load(pdf_forms_dir(), &r.fonts, e);
	if (rc == BT_OK)
		rc = path ? scan_read_file(&r, path, name, &res, e) : scan_read_bytes(&r, name, data, len, &res, e);
	if (rc == BT_OK)
		rc = scan_form_values(&res, what, v, ref, e);
	scan_result_free(&res);
	pdf_fonts_free(r.fonts);
	return rc;
}
