/* report.c - the tally report: figures, a bar against the threshold, the
 * outcome and its rule, and every reply, late, withdrawn or missing. */
#include "pdf/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/footer.h"
#include "pdf/lang.h"
#include "pdf/names.h"
#include "pdf/pack.h"

static const pdf_tmpl_key schema[] = {
	PDF_LANG_KEYS,
	{ "title", "circular" },
	{ "subtitle", "group rule clause" },
	{ "rule_tap", "" },
	{ "rule_question", "" },
	{ "rule_deletion", "" },
	{ "as_of", "time" },
	{ "status_final", "" },
	{ "status_pending", "deadline" },
	{ "status_closed", "time" },
	{ "deadline", "time" },
	{ "deadline_forced", "reason" },
	{ "electorate", "n" },
	{ "unprintable_attachments", "n mark" },
	{ "unprintable_members", "n mark" },
	{ "unprintable_titles", "n mark" },
	{ "unprintable_other", "n mark" },
	{ "draft_heading", "rec title" },
	{ "fig_replies", "n" },
	{ "fig_support", "n pct" },
	{ "fig_authorize", "n" },
	{ "fig_comments", "n" },
	{ "fig_oppose", "n" },
	{ "fig_no_reasons", "n" },
	{ "fig_outstanding", "n" },
	{ "fig_late", "n" },
	{ "fig_withdrawn", "n" },
	{ "threshold", "pct" },
	{ "no_replies", "" },
	{ "outcome_proceed", "" },
	{ "outcome_not_proceed", "" },
	{ "outcome_pending", "" },
	{ "replies_heading", "n" },
	{ "partition", "electorate counted late withdrawn none" },
	{ "state", "state" },
	{ "state_in_consultation", "" },
	{ "state_awaiting_close", "" },
	{ "state_ready_for_approval", "" },
	{ "state_not_ready", "" },
	{ "state_more_time", "" },
	{ "state_approved", "" },
	{ "state_not_approved", "" },
	{ "note_withdrawn", "" },
	{ "note_late_entry", "reason" },
	{ "col_member", "" },
	{ "col_choice", "" },
	{ "col_received", "" },
	{ "col_attachments", "" },
	{ "col_note", "" },
	{ "choice_authorize", "" },
	{ "choice_comments", "" },
	{ "choice_not_authorize", "" },
	{ "choice_withdrawn", "" },
	{ "note_late", "" },
	{ "note_superseded", "" },
	{ "note_no_reasons", "" },
	{ "late_heading", "n" },
	{ "withdrawn_heading", "n" },
	{ "pending_heading", "n" },
	{ "none", "" },
	{ "decisions_heading", "" },
	{ "decision_approved", "date" },
	{ "decision_approved_reservations", "date members" },
	{ "decision_reservation", "member text" },
	{ "decision_more_time", "date members until" },
	{ "decision_not_approved", "date members" },
	{ "decision_no_reply", "member" },
	{ "generated", "version" },
	{ "page", "page pages" },
	{ "doc_subject", "" },
	{ "doc_author", "" },
	/* the summary on page 1, a table named again on its next page, the
	 * members with no reply listed once, the clauses in the language */
	{ "summary_heading", "" },
	{ "sum_col_draft", "" },
	{ "sum_col_figures", "" },
	{ "sum_col_outcome", "" },
	{ "sum_col_state", "" },
	{ "sum_col_clause", "" },
	{ "sum_figures", "n support pct" },
	{ "sum_figures_none", "" },
	{ "continued", "heading" },
	{ "nonreply_see", "" },
	{ "nonreply_note", "" },
	{ "nonreply_drafts", "member drafts" },
	{ "clause", "section" },
	{ "edition", "" },
	{ "separator", "" },
	{ "joiner", "" },
	{ "datetime", "date time" },
	{ "datetime_cell", "date time" },
};

void report_lang_free(report_lang *l)
{
	pdf_words_free(l);
}

int report_lang_load(const char *forms_dir, const char *lang,
		     report_lang **out, bt_err *e)
{
	return pdf_words_load(forms_dir, "report", lang, schema,
			      sizeof schema / sizeof *schema, out, e);
}

#define MARGIN 50.0f
#define FOOT 34.0f
#define PAD 3.0f

/* The kinds of stored text the report prints, each made printable first
 * (pdf_text_fix): a report never fails on what an administration sent. */
enum { FIX_ATTACHMENTS, FIX_MEMBERS, FIX_TITLES, FIX_OTHER, FIX_KINDS };
static const char *const fix_key[FIX_KINDS] = { "unprintable_attachments",
	"unprintable_members", "unprintable_titles", "unprintable_other" };

typedef struct rep rep;
struct rep {
	pdf_doc *d;
	pdf_fonts *fonts;
	const report_lang *lang;
	const pdf_tmpl *t;
	const report_data *r;
	float w, h, cw, y;
	bt_buf tmp;
	bt_err *e;
	/* printable copies of the stored texts */
	char *circular;
	char **members; /* per electorate member: "CODE name" */
	char **atts;    /* per history item: its attachment names, a line each */
	char **recs, **titles; /* per draft */
	char ***notes;  /* per decision, per member: its reservation text or NULL */
	size_t fixed[FIX_KINDS]; /* texts with characters shown as the mark */
	const float *shares; /* the columns of the table being drawn */
	int (*head)(rep *p); /* its header row */
	char cont[2048];     /* its heading, said again on its next page */
	int repeat;          /* drawing them again there: artifacts (pagination) */
};

static const pdf_style body = { 9.5f, 0, PDF_START, 0 };
static const pdf_style cell = { 8, 0, PDF_START, 0 };
static const pdf_style cell_bold = { 8, 1, PDF_START, 0 };
static const pdf_style heading = { 12, 1, PDF_START, 0 };
static const pdf_style subheading = { 10, 1, PDF_START, 0 };

static const char *word(rep *p, const char *key, const char *const *vars)
{
	bt_buf_reset(&p->tmp);
	if (pdf_tmpl_expand(p->t, key, vars, &p->tmp) < 0)
		return "";
	return bt_buf_str(&p->tmp);
}

/* Time t in the report's words (key "datetime": "21 February 2020, 23:59
 * UTC", "2020年2月21日 23:59（协调世界时）"; "datetime_cell" in the table,
 * whose column header says UTC) into out (replacing it). */
static const char *when(rep *p, bt_time t, const char *key, bt_buf *out)
{
	char hhmm[6];
	bt_buf date = BT_BUF_INIT;
	pdf_time_hhmm(t, hhmm);
	pdf_date_text(p->t, &p->lang->l, t, &date);
	const char *v[] = { "date", bt_buf_str(&date), "time", hhmm, NULL };
	bt_buf_reset(out);
	pdf_tmpl_expand(p->t, key, v, out);
	bt_buf_release(&date);
	return bt_buf_str(out);
}

/* Date d in the report's words ("21 February 2020") into out. */
static const char *day_text(rep *p, bt_date d, bt_buf *out)
{
	bt_buf_reset(out);
	pdf_date_text(p->t, &p->lang->l, bt_date_time(d), out);
	return bt_buf_str(out);
}

static float bottom(const rep *p)
{
	return p->h - MARGIN - FOOT;
}

static int new_page(rep *p)
{
	int rc = pdf_page_add(p->d, p->e);
	p->y = MARGIN;
	return rc;
}

/* Draws text over the content width, on a new page when it does not fit. */
static int para(rep *p, const char *s, const pdf_style *st, float after)
{
	float h;
	int rc = pdf_text(p->d, s, MARGIN, p->y, p->cw, st, 0, "report text",
			  &h, p->e);
	if (rc == BT_OK && p->y + h > bottom(p))
		rc = new_page(p);
	if (rc == BT_OK)
		rc = pdf_text(p->d, s, MARGIN, p->y, p->cw, st, 1,
			      "report text", &h, p->e);
	p->y += h + after;
	return rc;
}

/* Keep-with-next: a new page unless heading s and need points after it
 * fit on this one (a heading never stands alone at the foot of a page). */
static int keep(rep *p, const char *s, const pdf_style *st, float need)
{
	float h;
	int rc = pdf_text(p->d, s, MARGIN, p->y, p->cw, st, 0, "report text",
			  &h, p->e);
	if (rc == BT_OK && p->y + h + need > bottom(p) && p->y > MARGIN)
		rc = new_page(p);
	return rc;
}

/* The height of s drawn over the content width; 0 when it cannot be
 * measured (para then reports why). */
static float text_height(rep *p, const char *s, const pdf_style *st)
{
	float h = 0;
	bt_err ignore;
	if (pdf_text(p->d, s, MARGIN, p->y, p->cw, st, 0, "report text", &h, &ignore))
		return 0;
	return h;
}

/* What keep asks to follow a heading: the block under it, or as much of a
 * page as a block taller than a page can have. */
static float keep_need(rep *p, float block)
{
	float page = bottom(p) - MARGIN - 60;
	return block < page ? block : page;
}

/* A clause of the rules ("WTSA Res. 1 §9.4.5", the engine's English) in
 * the report's language; any other text as it is. */
static const char *clause_text(rep *p, const char *clause)
{
	static const char res1[] = "WTSA Res. 1 §";
	static const char edition[] = "WTSA Res. 1 (Rev. Hammamet, 2016)";
	if (strcmp(clause, edition) == 0)
		return pdf_tmpl_raw(p->t, "edition");
	if (strncmp(clause, res1, sizeof res1 - 1) != 0)
		return clause;
	const char *v[] = { "section", clause + sizeof res1 - 1, NULL };
	return word(p, "clause", v);
}

static int num_word(rep *p, const char *key, int n, const pdf_style *st,
		    float x, float y, float w, float *h)
{
	char ns[16];
	snprintf(ns, sizeof ns, "%d", n);
	const char *vars[] = { "n", ns, NULL };
	return pdf_text(p->d, word(p, key, vars), x, y, w, st, 1,
			"report text", h, p->e);
}

/* "CODE name" of member code, printable. */
static const char *member_label(rep *p, const char *code)
{
	const bt_member_list *el = p->r->electorate;
	for (size_t i = 0; i < el->n; i++)
		if (strcmp(el->v[i].code, code) == 0)
			return p->members[i];
	return "";
}

/* member_label, or the code alone for a member outside the electorate (a
 * state admitted after the circular's date may still speak at the meeting). */
static const char *member_or_code(rep *p, const char *code)
{
	const char *l = member_label(p, code);
	return l[0] ? l : code;
}

/* Appends s made printable to out; one more text of kind when it needed
 * the mark. */
static int fix_add(rep *p, const char *s, int kind, bt_buf *out)
{
	size_t n = 0;
	int rc = pdf_text_fix(p->fonts, s ? s : "", out, &n, p->e);
	if (rc == BT_OK && n)
		p->fixed[kind]++;
	return rc;
}

/* *out = s made printable (free() it). */
static int fix_dup(rep *p, const char *s, int kind, char **out)
{
	bt_buf b = BT_BUF_INIT;
	int rc = fix_add(p, s, kind, &b);
	if (rc == BT_OK && !(*out = bt_buf_detach(&b, NULL)))
		rc = bt_fail(p->e, BT_EFAIL, "out of memory");
	bt_buf_release(&b);
	return rc;
}

static char **strs_new(rep *p, size_t n)
{
	char **v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		bt_fail(p->e, BT_EFAIL, "out of memory");
	return v;
}

static void strs_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* Every stored text the report prints, made printable and counted. */

/* The title of the tally's draft d in lang: the one recorded in lang,
 * else the English one (the report's note on stderr is forms' to give). */
static const char *title_in(const report_data *r, size_t d, const char *lang)
{
	const char *rec = r->tally->drafts[d].rec;
	for (size_t i = 0; r->drafts && i < r->drafts->n; i++)
		if (strcmp(r->drafts->v[i].rec, rec) == 0) {
			const char *t = bt_draft_title_in(&r->drafts->v[i], lang);
			return t ? t : r->tally->drafts[d].title;
		}
	return r->tally->drafts[d].title;
}
static int fix_texts(rep *p)
{
	const report_data *r = p->r;
	const bt_member_list *el = r->electorate;
	const bt_history *hi = r->history;
	int rc = fix_dup(p, r->c->circular, FIX_OTHER, &p->circular);
	if (rc == BT_OK && (!(p->members = strs_new(p, el->n)) ||
			    !(p->atts = strs_new(p, hi->n)) ||
			    !(p->recs = strs_new(p, r->tally->n)) ||
			    !(p->titles = strs_new(p, r->tally->n))))
		rc = BT_EFAIL;
	for (size_t i = 0; i < el->n && rc == BT_OK; i++) {
		bt_buf b = BT_BUF_INIT;
		size_t before = p->fixed[FIX_MEMBERS];
		rc = fix_add(p, el->v[i].code, FIX_MEMBERS, &b);
		if (rc == BT_OK && bt_buf_addc(&b, ' ') < 0)
			rc = bt_fail(p->e, BT_EFAIL, "out of memory");
		if (rc == BT_OK)
			rc = fix_add(p, pdf_words_name(p->lang, el->v[i].code,
						       el->v[i].name),
				     FIX_MEMBERS, &b);
		p->fixed[FIX_MEMBERS] = before + (p->fixed[FIX_MEMBERS] > before);
		if (rc == BT_OK && !(p->members[i] = bt_buf_detach(&b, NULL)))
			rc = bt_fail(p->e, BT_EFAIL, "out of memory");
		bt_buf_release(&b);
	}
	for (size_t i = 0; i < hi->n && rc == BT_OK; i++) {
		bt_buf b = BT_BUF_INIT;
		for (size_t a = 0; a < hi->v[i].n_attachments && rc == BT_OK;
		     a++) {
			if (a && bt_buf_addc(&b, '\n') < 0)
				rc = bt_fail(p->e, BT_EFAIL, "out of memory");
			if (rc == BT_OK)
				rc = fix_add(p, hi->v[i].attachments[a].name,
					     FIX_ATTACHMENTS, &b);
		}
		if (rc == BT_OK && !(p->atts[i] = bt_buf_detach(&b, NULL)))
			rc = bt_fail(p->e, BT_EFAIL, "out of memory");
		bt_buf_release(&b);
	}
	const bt_decision_list *dl = r->decisions;
	if (rc == BT_OK && dl->n &&
	    !(p->notes = calloc(dl->n, sizeof *p->notes)))
		rc = bt_fail(p->e, BT_EFAIL, "out of memory");
	for (size_t i = 0; i < dl->n && rc == BT_OK; i++) {
		if (!(p->notes[i] = strs_new(p, dl->v[i].n)))
			rc = BT_EFAIL;
		for (size_t m = 0; m < dl->v[i].n && rc == BT_OK; m++)
			if (dl->v[i].members[m].note)
				rc = fix_dup(p, dl->v[i].members[m].note, FIX_OTHER,
					     &p->notes[i][m]);
	}
	for (size_t d = 0; d < r->tally->n && rc == BT_OK; d++) {
		rc = fix_dup(p, r->tally->drafts[d].rec, FIX_OTHER, &p->recs[d]);
		if (rc == BT_OK)
			rc = fix_dup(p, title_in(r, d, p->lang->code), FIX_TITLES,
				     &p->titles[d]);
	}
	return rc;
}

/* ---- tables ---- */

#define NCOLS 5
static const float col_share[NCOLS] = { 0.27f, 0.22f, 0.19f, 0.19f, 0.13f };
static const float sum_share[NCOLS] = { 0.32f, 0.19f, 0.23f, 0.13f, 0.13f };

static int row_draw(rep *p, const char *const cells[NCOLS],
		    const pdf_style *st, float fill, int draw, float *rowh)
{
	float x = MARGIN, hmax = 0;
	for (int c = 0; c < NCOLS; c++) {
		float w = p->cw * p->shares[c], h;
		int rc = pdf_text(p->d, cells[c] ? cells[c] : "", x + PAD,
				  p->y + PAD, w - 2 * PAD, st, 0, "report text",
				  &h, p->e);
		if (rc)
			return rc;
		if (h > hmax)
			hmax = h;
		x += w;
	}
	*rowh = hmax + 2 * PAD;
	if (!draw)
		return BT_OK;
	if (fill >= 0)
		pdf_rect(p->d, MARGIN, p->y, p->cw, *rowh, 0, fill);
	pdf_line(p->d, MARGIN, p->y + *rowh, MARGIN + p->cw, p->y + *rowh,
		 0.3f);
	/* a TR of TH (the header, in bold) or TD; a header drawn again on a
	 * later page is an artifact */
	int rc = p->repeat ? BT_OK : pdf_tag_begin(p->d, "TR", p->e);
	x = MARGIN;
	for (int c = 0; c < NCOLS && rc == BT_OK; c++) {
		float w = p->cw * p->shares[c], h;
		pdf_tag_next(p->d, p->repeat ? PDF_TAG_ARTIFACT :
			     st->bold ? "TH" : "TD");
		rc = pdf_text(p->d, cells[c] ? cells[c] : "", x + PAD,
			      p->y + PAD, w - 2 * PAD, st, 1, "report text",
			      &h, p->e);
		x += w;
	}
	if (!p->repeat)
		pdf_tag_end(p->d);
	return rc;
}

static int table_header(rep *p)
{
	const char *cells[NCOLS] = {
		pdf_tmpl_raw(p->t, "col_member"), pdf_tmpl_raw(p->t, "col_choice"),
		pdf_tmpl_raw(p->t, "col_received"),
		pdf_tmpl_raw(p->t, "col_attachments"),
		pdf_tmpl_raw(p->t, "col_note") };
	float h;
	int rc = row_draw(p, cells, &cell_bold, 0.88f, 1, &h);
	p->y += h;
	return rc;
}

/* Adds a row, breaking the page (and repeating the header) when needed. */
static int table_row(rep *p, const char *const cells[NCOLS])
{
	float h;
	int rc = row_draw(p, cells, &cell, -1, 0, &h);
	if (rc == BT_OK && p->y + h > bottom(p)) {
		rc = new_page(p);
		const char *v[] = { "heading", p->cont, NULL };
		p->repeat = 1;
		pdf_tag_next(p->d, PDF_TAG_ARTIFACT);
		if (rc == BT_OK && p->cont[0])
			rc = para(p, word(p, "continued", v), &subheading, 3);
		if (rc == BT_OK)
			rc = p->head(p);
		p->repeat = 0;
	}
	if (rc == BT_OK)
		rc = row_draw(p, cells, &cell, -1, 1, &h);
	p->y += h;
	return rc;
}

static const char *choice_key(const bt_history_item *it)
{
	if (strcmp(it->kind, "withdrawal") == 0)
		return "choice_withdrawn";
	if (strcmp(it->what, "authorize") == 0)
		return "choice_authorize";
	if (strcmp(it->what, "authorize-with-comments") == 0)
		return "choice_comments";
	return "choice_not_authorize";
}

static int reply_row(rep *p, size_t item)
{
	const bt_history_item *it = &p->r->history->v[item];
	bt_buf note = BT_BUF_INIT, at = BT_BUF_INIT;
	when(p, it->received, "datetime_cell", &at);
	if (strcmp(it->status, "superseded") == 0)
		bt_buf_adds(&note, pdf_tmpl_raw(p->t, "note_superseded"));
	if (strcmp(it->status, "late") == 0)
		bt_buf_addf(&note, "%s%s", note.len ? "\n" : "", pdf_tmpl_raw(p->t, "note_late"));
	if (strcmp(it->status, "withdrawn") == 0)
		bt_buf_addf(&note, "%s%s", note.len ? "\n" : "", pdf_tmpl_raw(p->t, "note_withdrawn"));
	if (it->late_entry) {
		bt_buf fixed = BT_BUF_INIT;
		int frc = fix_add(p, it->late_entry, FIX_OTHER, &fixed);
		const char *v[] = { "reason", bt_buf_str(&fixed), NULL };
		if (frc == BT_OK)
			bt_buf_addf(&note, "%s%s", note.len ? "\n" : "", word(p, "note_late_entry", v));
		bt_buf_release(&fixed);
		if (frc) {
			bt_buf_release(&note);
			bt_buf_release(&at);
			return frc;
		}
	}
	if (it->without_reasons)
		bt_buf_addf(&note, "%s%s", note.len ? "\n" : "",
			    pdf_tmpl_raw(p->t, "note_no_reasons"));
	char *choice = strdup(pdf_tmpl_raw(p->t, choice_key(it)));
	const char *cells[NCOLS] = { member_label(p, it->member), choice,
				     bt_buf_str(&at), p->atts[item],
				     bt_buf_str(&note) };
	int rc = choice ? table_row(p, cells) :
		bt_fail(p->e, BT_EFAIL, "out of memory");
	free(choice);
	bt_buf_release(&note);
	bt_buf_release(&at);
	return rc;
}

/* The list a member is in on draft d (the engine's partition of the
 * electorate): "counted", or its pending item's "late", "withdrawn",
 * "none". */
static const char *member_list(rep *p, size_t d, const char *code)
{
	const bt_pending_list *pl = &p->r->pending[d];
	for (size_t i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].code, code) == 0)
			return pl->v[i].n_recs ? pl->v[i].why[0] : "none";
	return "counted";
}

/* The replies and withdrawals of draft d (rec) by the members in list
 * (every one of their rows), under a heading with the number of members. */
static int reply_table(rep *p, size_t d, const char *rec, const char *list, int members,
		       const char *title_key)
{
	const bt_history *hi = p->r->history;
	size_t n = 0;
	for (size_t i = 0; i < hi->n; i++)
		n += hi->v[i].reply_id && strcmp(hi->v[i].rec, rec) == 0 && hi->v[i].status[0] &&
			strcmp(member_list(p, d, hi->v[i].member), list) == 0;
	char ns[16];
	snprintf(ns, sizeof ns, "%d", members);
	const char *hv[] = { "n", ns, NULL };
	int rc = keep(p, word(p, title_key, hv), &subheading, n ? 40 : 14);
	if (rc == BT_OK)
		rc = para(p, word(p, title_key, hv), &subheading, 3);
	if (rc == BT_OK && n == 0)
		return para(p, pdf_tmpl_raw(p->t, "none"), &body, 8);
	if (rc == BT_OK && p->y + 40 > bottom(p))
		rc = new_page(p);
	/* said again, with the draft, at the top of the table's next page */
	char *table = strdup(word(p, title_key, hv));
	const char *cv[] = { "rec", p->recs[d], "title", table ? table : "", NULL };
	snprintf(p->cont, sizeof p->cont, "%s", word(p, "draft_heading", cv));
	free(table);
	if (rc == BT_OK)
		rc = pdf_tag_begin(p->d, "Table", p->e);
	if (rc == BT_OK)
		rc = table_header(p);
	for (size_t i = 0; i < hi->n && rc == BT_OK; i++)
		if (hi->v[i].reply_id && strcmp(hi->v[i].rec, rec) == 0 && hi->v[i].status[0] &&
		    strcmp(member_list(p, d, hi->v[i].member), list) == 0)
			rc = reply_row(p, i);
	pdf_tag_end(p->d);
	p->cont[0] = '\0';
	p->y += 8;
	return rc;
}

/* ---- per draft ---- */

static int figures(rep *p, const bt_draft_tally *dt)
{
	struct { const char *key; int n; } f[] = {
		{ "fig_replies", dt->replies }, { "fig_authorize", dt->authorize },
		{ "fig_comments", dt->authorize_with_comments },
		{ "fig_oppose", dt->not_authorize },
		{ "fig_no_reasons", dt->not_authorize_without_reasons },
		{ "fig_outstanding", dt->outstanding }, { "fig_late", dt->late },
		{ "fig_withdrawn", dt->withdrawn } };
	size_t n = sizeof f / sizeof *f, half = (n + 1) / 2;
	float colw = p->cw / 2, y0 = p->y, yl = y0, yr = y0, h;
	int rc = BT_OK;
	for (size_t i = 0; i < n && rc == BT_OK; i++) {
		int left = i < half;
		rc = num_word(p, f[i].key, f[i].n, &body,
			      MARGIN + (left ? 0 : colw), left ? yl : yr,
			      colw - 6, &h);
		if (left)
			yl += h;
		else
			yr += h;
	}
	p->y = (yl > yr ? yl : yr) + 6;
	return rc;
}

/* The bar: the support share filled, the threshold marked. */
static int bar(rep *p, const bt_draft_tally *dt)
{
	float bh = 16, w = p->cw, x = MARGIN, y = p->y;
	int rc = BT_OK;
	char pct[16], npct[16], sup[16];
	pdf_rect(p->d, x, y, w, bh, 0.6f, 0.95f);
	if (dt->support_pct10 >= 0) {
		float share = (float)dt->support_pct10 / 1000.0f;
		if (share > 0)
			pdf_rect(p->d, x, y, w * share, bh, 0,
				 strcmp(dt->if_closed_now, "proceed") == 0 ?
				 0.35f : 0.65f);
	}
	float tx = x + w * (float)dt->threshold_pct / 100.0f;
	pdf_line(p->d, tx, y - 4, tx, y + bh + 4, 1.4f);
	snprintf(npct, sizeof npct, "%d", dt->threshold_pct);
	const char *tv[] = { "pct", npct, NULL };
	pdf_style small = { 7.5f, 0, PDF_START, 0 };
	float h = 0, lw = 0;
	const char *label = word(p, "threshold", tv);
	rc = pdf_text_width(p->d, label, &small, "report text", &lw, p->e);
	/* after the mark, or before it when the line is near the end */
	if (rc == BT_OK)
		rc = pdf_text(p->d, label, tx + 3 + lw > x + w ? tx - 3 - lw :
			      tx + 3, y + bh + 2, lw + 1, &small, 1,
			      "report text", &h, p->e);
	p->y = y + bh + 2 + h + 4;
	if (rc == BT_OK) {
		if (dt->support_pct10 < 0) {
			rc = para(p, pdf_tmpl_raw(p->t, "no_replies"), &body, 2);
		} else {
			snprintf(pct, sizeof pct, "%d.%d",
				 dt->support_pct10 / 10, dt->support_pct10 % 10);
			snprintf(sup, sizeof sup, "%d", dt->support);
			const char *sv[] = { "n", sup, "pct", pct, NULL };
			rc = para(p, word(p, "fig_support", sv), &subheading, 2);
		}
	}
	return rc;
}

static int outcome(rep *p, const bt_draft_tally *dt)
{
	const char *key = strcmp(dt->outcome, "proceed") == 0 ?
		"outcome_proceed" : strcmp(dt->outcome, "not-proceed") == 0 ?
		"outcome_not_proceed" : "outcome_pending";
	char sk[40];
	snprintf(sk, sizeof sk, "state_%s", dt->state);
	for (char *c = sk; *c; c++)
		if (*c == '-')
			*c = '_';
	char *state = strdup(pdf_tmpl_raw(p->t, sk));
	const char *sv[] = { "state", state ? state : "", NULL };
	int rc = state ? para(p, word(p, "state", sv), &subheading, 2)
		       : bt_fail(p->e, BT_EFAIL, "out of memory");
	free(state);
	if (rc == BT_OK)
		rc = para(p, pdf_tmpl_raw(p->t, key), &subheading, 2);
	const bt_rule *r = bt_rule_find(p->r->tally->rule);
	if (rc == BT_OK && r) {
		char rk[32];
		snprintf(rk, sizeof rk, "rule_%s", r->name);
		bt_buf s = BT_BUF_INIT;
		char *clause = strdup(clause_text(p, r->clause));
		bt_buf_addf(&s, "%s (%s; %s)", pdf_tmpl_raw(p->t, rk),
			    clause ? clause : r->clause, clause_text(p, r->edition));
		free(clause);
		rc = para(p, bt_buf_str(&s), &body, 8);
		bt_buf_release(&s);
	}
	return rc;
}

/* The members with nothing in force: not late, not withdrawn (those are
 * in their own lists). */
static int pending_list(rep *p, size_t d)
{
	const bt_pending_list *pl = &p->r->pending[d];
	const bt_draft_tally *dt = &p->r->tally->drafts[d];
	int once = p->r->tally->n > 1; /* nonreply_list, at the end */
	bt_buf s = BT_BUF_INIT;
	size_t k = 0;
	const char *sep = pdf_tmpl_raw(p->t, "separator");
	for (size_t i = 0; !once && i < pl->n; i++)
		if (strcmp(member_list(p, d, pl->v[i].code), "none") == 0)
			bt_buf_addf(&s, "%s%s", k++ ? sep : "",
				    member_label(p, pl->v[i].code));
	pdf_style st = cell;
	char ns[16];
	snprintf(ns, sizeof ns, "%d", dt->did_not_reply);
	const char *vars[] = { "n", ns, NULL };
	int rc = s.failed ? bt_fail(p->e, BT_EFAIL, "pending list too long") : BT_OK;
	if (rc == BT_OK)
		rc = keep(p, word(p, "pending_heading", vars), &subheading,
			  keep_need(p, k ? text_height(p, bt_buf_str(&s), &st) : 20));
	if (rc == BT_OK)
		rc = para(p, word(p, "pending_heading", vars), &subheading, 3);
	if (rc == BT_OK && (dt->did_not_reply == 0 || once))
		rc = para(p, pdf_tmpl_raw(p->t, once && dt->did_not_reply ? "nonreply_see" : "none"), &body, 10);
	else if (rc == BT_OK)
		rc = para(p, bt_buf_str(&s), &st, 12);
	bt_buf_release(&s);
	return rc;
}

/* The plenary's decisions on draft rec (§9.5), each on its effective date;
 * nothing when none was recorded. */
static int decisions(rep *p, const char *rec)
{
	const bt_decision_list *dl = p->r->decisions;
	int rc = BT_OK, any = 0;
	bt_buf date = BT_BUF_INIT, until = BT_BUF_INIT;
	for (size_t i = 0; i < dl->n && rc == BT_OK; i++) {
		const bt_decision *x = &dl->v[i];
		if (strcmp(x->rec, rec) != 0)
			continue;
		if (!any++)
			rc = para(p, pdf_tmpl_raw(p->t, "decisions_heading"),
				  &subheading, 3);
		day_text(p, x->date, &date);
		day_text(p, x->oppose_by != BT_DATE_NONE ? x->oppose_by
			 : bt_more_time_until(p->r->c->meeting_end), &until);
		bt_buf names = BT_BUF_INIT;
		for (size_t m = 0; m < x->n; m++)
			bt_buf_addf(&names, "%s%s", m ? pdf_tmpl_raw(p->t, "joiner") : "",
				    member_or_code(p, x->members[m].code));
		char *members = bt_buf_detach(&names, NULL);
		if (!members) {
			rc = bt_fail(p->e, BT_EFAIL, "out of memory");
			break;
		}
		const char *key = x->kind == BT_DECISION_MORE_TIME ? "decision_more_time"
			: x->kind == BT_DECISION_NOT_APPROVED ? "decision_not_approved"
			: x->n ? "decision_approved_reservations" : "decision_approved";
		const char *vars[] = { "date", bt_buf_str(&date), "members",
				       members, "until", bt_buf_str(&until), NULL };
		if (rc == BT_OK)
			rc = para(p, word(p, key, vars), &body, 2);
		free(members);
		for (size_t m = 0; m < x->n && rc == BT_OK; m++) {
			const bt_decision_member *dm = &x->members[m];
			const char *label = member_or_code(p, dm->code);
			if (x->kind == BT_DECISION_APPROVED && p->notes[i][m]) {
				const char *rv[] = { "member", label, "text",
						     p->notes[i][m], NULL };
				rc = para(p, word(p, "decision_reservation", rv),
					  &cell, 2);
			}
			/* allowed (§9.5.3: it may oppose at the meeting), but said */
			if (rc == BT_OK && dm->no_reply) {
				const char *nv[] = { "member", label, NULL };
				rc = para(p, word(p, "decision_no_reply", nv),
					  &cell, 2);
			}
		}
	}
	if (any)
		p->y += 8;
	bt_buf_release(&date);
	bt_buf_release(&until);
	return rc;
}

/* electorate = counted + late + withdrawn + did not reply, on the page */
static int partition(rep *p, const bt_draft_tally *dt)
{
	char el[16], c[16], l[16], w[16], n[16];
	snprintf(el, sizeof el, "%d", p->r->tally->electorate);
	snprintf(c, sizeof c, "%d", dt->replies);
	snprintf(l, sizeof l, "%d", dt->outstanding_late);
	snprintf(w, sizeof w, "%d", dt->outstanding_withdrawn);
	snprintf(n, sizeof n, "%d", dt->did_not_reply);
	const char *v[] = { "electorate", el, "counted", c, "late", l, "withdrawn", w, "none", n, NULL };
	return para(p, word(p, "partition", v), &body, 8);
}

/* The members with no reply to some draft (none in force: not late, not
 * withdrawn), listed once for the whole consultation, each with the drafts
 * it did not answer when it answered others. Only with several drafts
 * (pending_list gives the list of a lone draft). */
static int nonreply_list(rep *p)
{
	const bt_tally *t = p->r->tally;
	const bt_member_list *el = p->r->electorate;
	const char *sep = pdf_tmpl_raw(p->t, "separator");
	const char *join = pdf_tmpl_raw(p->t, "joiner");
	bt_buf s = BT_BUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < el->n; i++) {
		size_t missed = 0;
		for (size_t d = 0; d < t->n; d++)
			missed += strcmp(member_list(p, d, el->v[i].code), "none") == 0;
		if (!missed)
			continue;
		bt_buf_adds(&s, k++ ? sep : "");
		if (missed == t->n) {
			bt_buf_adds(&s, p->members[i]);
			continue;
		}
		bt_buf recs = BT_BUF_INIT;
		for (size_t d = 0; d < t->n; d++)
			if (strcmp(member_list(p, d, el->v[i].code), "none") == 0)
				bt_buf_addf(&recs, "%s%s", recs.len ? join : "", p->recs[d]);
		char *list = bt_buf_detach(&recs, NULL);
		const char *v[] = { "member", p->members[i], "drafts", list ? list : "", NULL };
		bt_buf_adds(&s, word(p, "nonreply_drafts", v));
		free(list);
	}
	char ns[16];
	snprintf(ns, sizeof ns, "%zu", k);
	const char *vars[] = { "n", ns, NULL };
	int rc = s.failed ? bt_fail(p->e, BT_EFAIL, "no-reply list too long") : BT_OK;
	pdf_style st = cell;
	if (rc == BT_OK)
		rc = keep(p, word(p, "pending_heading", vars), &subheading,
			  keep_need(p, 30 + text_height(p, bt_buf_str(&s), &st)));
	if (rc == BT_OK)
		rc = para(p, word(p, "pending_heading", vars), &subheading, 3);
	if (rc == BT_OK)
		rc = para(p, k ? pdf_tmpl_raw(p->t, "nonreply_note") : pdf_tmpl_raw(p->t, "none"), &body, 4);
	if (rc == BT_OK && k)
		rc = para(p, bt_buf_str(&s), &st, 12);
	bt_buf_release(&s);
	return rc;
}

/* The summary row's header. */
static int summary_header(rep *p)
{
	const char *cells[NCOLS] = {
		pdf_tmpl_raw(p->t, "sum_col_draft"), pdf_tmpl_raw(p->t, "sum_col_figures"),
		pdf_tmpl_raw(p->t, "sum_col_outcome"), pdf_tmpl_raw(p->t, "sum_col_state"),
		pdf_tmpl_raw(p->t, "sum_col_clause") };
	float h;
	int rc = row_draw(p, cells, &cell_bold, 0.88f, 1, &h);
	p->y += h;
	return rc;
}

/* Draft d's row of the summary: the draft, its figures, outcome, state and
 * the clause of its rule. */
static int summary_row(rep *p, size_t d)
{
	const bt_draft_tally *dt = &p->r->tally->drafts[d];
	const bt_rule *r = bt_rule_find(p->r->tally->rule);
	char n[16], sup[16], pct[16], sk[40];
	snprintf(n, sizeof n, "%d", dt->replies);
	snprintf(sup, sizeof sup, "%d", dt->support);
	snprintf(pct, sizeof pct, "%d.%d", dt->support_pct10 / 10, dt->support_pct10 % 10);
	snprintf(sk, sizeof sk, "state_%s", dt->state);
	for (char *c = sk; *c; c++)
		if (*c == '-')
			*c = '_';
	const char *hv[] = { "rec", p->recs[d], "title", p->titles[d], NULL };
	const char *fv[] = { "n", n, "support", sup, "pct", pct, NULL };
	char *cells[NCOLS] = {
		strdup(word(p, "draft_heading", hv)),
		strdup(dt->support_pct10 < 0 ? pdf_tmpl_raw(p->t, "sum_figures_none")
					      : word(p, "sum_figures", fv)),
		strdup(pdf_tmpl_raw(p->t, strcmp(dt->outcome, "proceed") == 0 ? "outcome_proceed"
				    : strcmp(dt->outcome, "not-proceed") == 0 ? "outcome_not_proceed"
				    : "outcome_pending")),
		strdup(pdf_tmpl_raw(p->t, sk)),
		strdup(r ? clause_text(p, r->clause) : "") };
	int rc = BT_OK;
	for (int c = 0; c < NCOLS; c++)
		if (!cells[c])
			rc = bt_fail(p->e, BT_EFAIL, "out of memory");
	if (rc == BT_OK)
		rc = table_row(p, (const char *const *)cells);
	for (int c = 0; c < NCOLS; c++)
		free(cells[c]);
	return rc;
}

/* Page 1's summary: a row per draft; the drafts follow from page 2 when
 * there are several. */
static int summary(rep *p)
{
	const char *h = pdf_tmpl_raw(p->t, "summary_heading");
	int rc = keep(p, h, &subheading, 40);
	if (rc == BT_OK)
		rc = para(p, h, &subheading, 3);
	p->shares = sum_share;
	p->head = summary_header;
	snprintf(p->cont, sizeof p->cont, "%s", h);
	if (rc == BT_OK)
		rc = pdf_tag_begin(p->d, "Table", p->e);
	if (rc == BT_OK)
		rc = summary_header(p);
	for (size_t d = 0; d < p->r->tally->n && rc == BT_OK; d++)
		rc = summary_row(p, d);
	pdf_tag_end(p->d);
	p->shares = col_share;
	p->head = table_header;
	p->cont[0] = '\0';
	p->y += 14;
	if (rc == BT_OK && p->r->tally->n > 1)
		rc = new_page(p);
	return rc;
}

static int draft_section(rep *p, size_t d)
{
	const bt_draft_tally *dt = &p->r->tally->drafts[d];
	const char *vars[] = { "rec", p->recs[d], "title", p->titles[d], NULL };
	if (p->y + 160 > bottom(p)) {
		int rc = new_page(p);
		if (rc)
			return rc;
	}
	int rc = para(p, word(p, "draft_heading", vars), &heading, 6);
	if (rc == BT_OK)
		rc = figures(p, dt);
	if (rc == BT_OK)
		rc = bar(p, dt);
	if (rc == BT_OK)
		rc = outcome(p, dt);
	if (rc == BT_OK)
		rc = partition(p, dt);
	if (rc == BT_OK)
		rc = decisions(p, dt->rec);
	if (rc == BT_OK)
		rc = reply_table(p, d, dt->rec, "counted", dt->replies,
				 "replies_heading");
	if (rc == BT_OK)
		rc = reply_table(p, d, dt->rec, "late", dt->outstanding_late,
				 "late_heading");
	if (rc == BT_OK)
		rc = reply_table(p, d, dt->rec, "withdrawn", dt->outstanding_withdrawn,
				 "withdrawn_heading");
	if (rc == BT_OK)
		rc = pending_list(p, d);
	return rc;
}

/* Where the consultation stands (closed, final or provisional, with the
 * deadline dl in words) and the cut-off of its figures. */
static int status_lines(rep *p, const char *dl)
{
	const bt_tally *t = p->r->tally;
	bt_buf tsb = BT_BUF_INIT;
	const char *ts;
	int rc;
	/* closed as of the report's time only (t->closed) */
	if (t->closed) {
		ts = when(p, t->closed_at, "datetime", &tsb);
		const char *v[] = { "time", ts, NULL };
		rc = para(p, word(p, "status_closed", v), &subheading, 2);
	} else if (t->final) {
		rc = para(p, pdf_tmpl_raw(p->t, "status_final"), &subheading, 2);
	} else {
		const char *v[] = { "deadline", dl, NULL };
		rc = para(p, word(p, "status_pending", v), &subheading, 2);
	}
	/* the cut-off: what was recorded later is not in the report */
	ts = when(p, t->as_of, "datetime", &tsb);
	const char *a[] = { "time", ts, NULL };
	if (rc == BT_OK && (!t->final || p->r->cut_off))
		rc = para(p, word(p, "as_of", a), &body, 2);
	bt_buf_release(&tsb);
	return rc;
}

static int header(rep *p)
{
	const bt_consultation *c = p->r->c;
	const bt_tally *t = p->r->tally;
	const bt_rule *r = bt_rule_find(t->rule);
	char group[16], rk[32], n[16];
	snprintf(group, sizeof group, "%d", c->group);
	snprintf(rk, sizeof rk, "rule_%s", r ? r->name : "tap");
	snprintf(n, sizeof n, "%d", t->electorate);
	bt_buf dlb = BT_BUF_INIT;
	const char *dl = when(p, c->deadline, "datetime", &dlb);
	const char *tv[] = { "circular", p->circular, NULL };
	pdf_style title = { 15, 1, PDF_START, 0 };
	int rc = para(p, word(p, "title", tv), &title, 4);
	char *clause = strdup(r ? clause_text(p, r->clause) : "");
	const char *sv[] = { "group", group, "rule",
			     pdf_tmpl_raw(p->t, rk), "clause",
			     clause ? clause : "", NULL };
	if (rc == BT_OK)
		rc = para(p, word(p, "subtitle", sv), &body, 8);
	free(clause);
	if (rc == BT_OK)
		rc = status_lines(p, dl);
	const char *dv[] = { "time", dl, NULL };
	if (rc == BT_OK)
		rc = para(p, word(p, "deadline", dv), &body, 2);
	const char *fv[] = { "reason", t->deadline_forced, NULL };
	if (rc == BT_OK && t->deadline_forced[0])
		rc = para(p, word(p, "deadline_forced", fv), &body, 2);
	const char *ev[] = { "n", n, NULL };
	if (rc == BT_OK)
		rc = para(p, word(p, "electorate", ev), &body, 14);
	/* what could not be printed, by kind of text */
	char mark[5];
	float gap = 0;
	for (int k = 0; k < FIX_KINDS && rc == BT_OK; k++) {
		if (!p->fixed[k])
			continue;
		rc = pdf_fonts_mark(p->fonts, mark, p->e);
		if (rc)
			break;
		char ns[24];
		snprintf(ns, sizeof ns, "%zu", p->fixed[k]);
		const char *v[] = { "n", ns, "mark", mark, NULL };
		rc = para(p, word(p, fix_key[k], v), &body, 2);
		gap = 12;
	}
	p->y += gap;
	bt_buf_release(&dlb);
	return rc;
}

/* The document's language, title, subject and author, in its language. */
static int report_info(rep *p)
{
	const char *vars[] = { "circular", p->circular, NULL };
	char *title = strdup(word(p, "title", vars));
	char *subject = strdup(word(p, "doc_subject", NULL));
	int rc = title && subject ?
		pdf_doc_info(p->d, p->lang->code, title, subject,
			     word(p, "doc_author", NULL), p->e) :
		bt_fail(p->e, BT_EFAIL, "out of memory");
	free(title);
	free(subject);
	return rc;
}

int report_render(pdf_fonts *fonts, const report_lang *l,
		  const report_data *r, pdf_paper paper, bt_buf *out,
		  bt_err *e)
{
	rep p = { 0 };
	p.fonts = fonts;
	p.lang = l;
	p.t = l->t;
	p.r = r;
	p.e = e;
	bt_buf_init(&p.tmp, 0);
	int rc = fix_texts(&p);
	if (rc == BT_OK)
		rc = pdf_doc_new(fonts, paper, l->l.rtl, &p.d, e);
	if (rc)
		goto out;
	p.w = pdf_page_width(p.d);
	p.h = pdf_page_height(p.d);
	p.cw = p.w - 2 * MARGIN;
	rc = report_info(&p);
	if (rc == BT_OK)
		rc = new_page(&p);
	p.shares = col_share;
	p.head = table_header;
	if (rc == BT_OK)
		rc = header(&p);
	if (rc == BT_OK)
		rc = summary(&p);
	for (size_t d = 0; d < r->tally->n && rc == BT_OK; d++)
		rc = draft_section(&p, d);
	if (rc == BT_OK && r->tally->n > 1)
		rc = nonreply_list(&p);
	if (rc == BT_OK) {
		const char *gv[] = { "version", BALLOT_VERSION, NULL };
		char *left = strdup(word(&p, "generated", gv));
		rc = left ? pdf_footers(p.d, l, MARGIN, p.h - MARGIN - FOOT + 14,
					p.cw, left, NULL, e)
			  : bt_fail(e, BT_EFAIL, "out of memory");
		free(left);
	}
	if (rc == BT_OK)
		rc = pdf_doc_bytes(p.d, out, e);
	if (rc == BT_OK)
		rc = pdf_pack(out, e); /* object streams */
	pdf_doc_free(p.d);
out:
	bt_buf_release(&p.tmp);
	free(p.circular);
	strs_free(p.members, r->electorate->n);
	strs_free(p.atts, r->history->n);
	strs_free(p.recs, r->tally->n);
	strs_free(p.titles, r->tally->n);
	for (size_t i = 0; p.notes && i < r->decisions->n; i++)
		strs_free(p.notes[i], r->decisions->v[i].n);
	free(p.notes);
	return rc;
}

void report_source_free(report_source *s)
{
	if (s->pending)
		for (size_t i = 0; i < s->t.n; i++)
			bt_pending_list_free(&s->pending[i]);
	free(s->pending);
	s->pending = NULL;
	bt_tally_free(&s->t);
	bt_history_free(&s->h);
	bt_member_list_free(&s->electorate);
	bt_decision_list_free(&s->decisions);
	bt_draft_list_free(&s->drafts);
}

int report_gather(bt_db *db, const char *circular, bt_time as_of,
		  report_source *s, bt_err *e)
{
	memset(s, 0, sizeof *s);
	int rc = bt_consultation_get(db, circular, &s->c, e);
	if (rc == BT_OK)
		rc = bt_tally_as_of(db, s->c.circular, as_of, &s->t, e);
	if (rc == BT_OK)
		rc = bt_history_as_of(db, s->c.circular, NULL, as_of, &s->h, e);
	if (rc == BT_OK)
		rc = bt_electorate_list(db, s->c.circular, &s->electorate, e);
	if (rc == BT_OK)
		rc = bt_decisions_get(db, s->c.circular, as_of, &s->decisions, e);
	if (rc == BT_OK && s->t.n == 0)
		rc = bt_fail(e, BT_EINPUT, "--circular: %s has no drafts yet",
			     s->c.circular);
	if (rc == BT_OK) {
		s->pending = calloc(s->t.n, sizeof *s->pending);
		if (!s->pending)
			rc = bt_fail(e, BT_EFAIL, "out of memory");
	}
	for (size_t i = 0; rc == BT_OK && i < s->t.n; i++)
		rc = bt_pending_get(db, s->c.circular, s->t.drafts[i].rec, as_of,
				    &s->pending[i], e);
	if (rc == BT_OK)
		rc = bt_drafts_list(db, s->c.circular, &s->drafts, e);
	s->data = (report_data){ &s->c, &s->t, &s->h, s->pending, &s->electorate,
				 &s->decisions, 0, &s->drafts };
	return rc;
}

int report_build(bt_db *db, const char *circular, bt_time as_of,
		 const char *lang, pdf_paper paper, bt_buf *out, bt_err *e)
{
	report_source s;
	pdf_fonts *fonts = NULL;
	report_lang *l = NULL;
	int rc = report_gather(db, circular, as_of, &s, e);
	if (rc == BT_OK)
		rc = pdf_fonts_load(pdf_forms_dir(), &fonts, e);
	if (rc == BT_OK)
		rc = report_lang_load(pdf_forms_dir(), lang, &l, e);
	if (rc == BT_OK)
		rc = report_render(fonts, l, &s.data, paper, out, e);
	report_lang_free(l);
	pdf_fonts_free(fonts);
	report_source_free(&s);
	return rc;
}
