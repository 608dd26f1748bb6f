/* page_chair.c - the pages of a study group's chair (page_chair.h). A chair
 * reads where its study group's drafts stand and changes nothing: every
 * consultation of its group with each draft's state and figures, and per
 * consultation the decisions (§9.5), the timeline and the report PDF (the
 * secretariat's renderer). Another group's consultation is 403.
 *
 * Tables carry class "stack": on a narrow screen each row becomes a block
 * whose cells show their column's name (data-label), so no page scrolls
 * sideways.
 */
#include <stdio.h>
#include <string.h>
#include "pdf/lang.h"
#include "portal/answer.h"
#include "portal/circular.h"
#include "portal/error.h"
#include "portal/html.h"
#include "portal/page_chair.h"
#include "portal/page_staff.h"

static void none_para(preq *r)
{
	bt_buf_adds(&r->out, "<p>");
	html_text(&r->out, L(r, "none"));
	bt_buf_adds(&r->out, "</p>\n");
}

static void th_row(preq *r, const char *const *keys, size_t n)
{
	bt_buf_adds(&r->out, "<tr>");
	for (size_t i = 0; i < n; i++) {
		bt_buf_adds(&r->out, "<th>");
		html_text(&r->out, L(r, keys[i]));
		bt_buf_adds(&r->out, "</th>");
	}
	bt_buf_adds(&r->out, "</tr>\n");
}

/* <td data-label="LABEL">: the label a narrow screen shows before the
 * value when the table's rows are stacked. */
static void td(preq *r, const char *key)
{
	bt_buf_adds(&r->out, "<td data-label=\"");
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "\">");
}

/* The live figures of a draft in consultation, in t (by rec), or NULL. */
static const bt_draft_tally *draft_in(const bt_tally *t, const char *rec)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->drafts[i].rec, rec))
			return &t->drafts[i];
	return NULL;
}

/* One draft's row on the chair's home page: its circular (a link to the
 * consultation's page), the draft, its state, the deadline, and its live
 * figures (d, in t) or its outcome. */
static void status_row(preq *r, const bt_status_row *s, const bt_tally *t, const bt_draft_tally *d)
{
	bt_buf *b = &r->out;
	char dt[BT_TIME_LEN];
	bt_time_format(s->deadline, dt);
	bt_buf_adds(b, "<tr class=\"draft\" data-rec=\"");
	html_text(b, s->rec);
	bt_buf_adds(b, "\" data-state=\"");
	html_text(b, s->state);
	bt_buf_adds(b, "\">");
	td(r, "col_circular");
	bt_buf_adds(b, "<a href=\"/chair/c/");
	html_text(b, s->circular);
	bt_buf_adds(b, "\">");
	html_text(b, s->circular);
	bt_buf_adds(b, "</a></td>");
	td(r, "col_draft");
	Lspan(r, b, "rec_name", "rec", s->rec, "draft");
	bt_buf_adds(b, " — ");
	html_text(b, s->title ? s->title : "");
	bt_buf_adds(b, "</td>");
	td(r, "col_state");
	html_word(r, portal_state_words, s->state);
	if (s->more_time_until != BT_DATE_NONE) {
		char mt[BT_DATE_LEN];
		bt_date_format(s->more_time_until, mt);
		bt_buf_addf(b, " (<time dir=\"ltr\" datetime=\"%s\">%s</time>)", mt, mt);
	}
	bt_buf_adds(b, "</td>");
	td(r, "col_deadline");
	bt_buf_addf(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time></td>", dt, dt);
	td(r, "col_outcome");
	if (d)
		tally_block(r, t, d, 0);
	else if (s->outcome[0])
		html_word(r, portal_outcome_words, s->outcome);
	bt_buf_adds(b, "</td></tr>\n");
}

int page_chair_home(preq *r)
{
	int g = r->s.id.group;
	bt_err e;
	bt_status_list sl = { 0 };
	/* group 0 would list every group's drafts: a chair without a group
	 * sees none */
	if (g > 0 && bt_status_list_get(r->db, g, r->now, &sl, &e))
		return page_engine_error(r, &e);
	char gs[16];
	snprintf(gs, sizeof gs, "%d", g);
	const char *gv[] = { "group", gs, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "chair_home", gv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	if (!sl.n) {
		none_para(r);
		page_end(r);
		return 0;
	}
	static const char *const cols[] = { "col_circular", "col_draft", "col_state", "col_deadline",
					    "col_outcome" };
	bt_buf_adds(b, "<table class=\"status stack\">\n");
	th_row(r, cols, sizeof cols / sizeof cols[0]);
	bt_tally t;
	memset(&t, 0, sizeof t);
	for (size_t i = 0; i < sl.n; i++) {
		const bt_status_row *s = &sl.v[i];
		const bt_draft_tally *d = NULL;
		if (!strcmp(s->state, BT_STATE_IN_CONSULTATION)) {
			/* one tally per circular (the rows come by circular) */
			if (strcmp(t.circular, s->circular)) {
				bt_tally_free(&t);
				memset(&t, 0, sizeof t);
				if (bt_tally_compute(r->db, s->circular, r->now, &t, &e)) {
					bt_tally_free(&t);
					bt_status_list_free(&sl);
					return page_engine_error(r, &e);
				}
			}
			d = draft_in(&t, s->rec);
		}
		status_row(r, s, &t, d);
	}
	bt_tally_free(&t);
	bt_buf_adds(b, "</table>\n");
	bt_status_list_free(&sl);
	page_end(r);
	return 0;
}

/* Loads circular for the chair: 0 when it is its study group's; else the
 * page (404 for an unknown circular, 403 for another group's). */
static int load_group(preq *r, const char *circular, bt_consultation *c)
{
	if (portal_consultation(r, circular, c))
		return -1;
	if (r->s.id.group <= 0 || c->group != r->s.id.group)
		return page_error(r, 403, L(r, "err_scope")), -1;
	return 0;
}

/* The report PDF in each of the six languages. */
static void report_links(preq *r, const char *circular)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<section id=\"report\">\n<h2>");
	html_text(b, L(r, "reports_title"));
	bt_buf_adds(b, "</h2>\n<ul class=\"downloads\">\n");
	for (size_t i = 0; i < PDF_NLANGS; i++) {
		bt_buf_adds(b, "<li><a href=\"/chair/c/");
		html_text(b, circular);
		bt_buf_addf(b, "/report.pdf?lang=%s\" hreflang=\"%s\" dir=\"ltr\" type=\"application/pdf\">", pdf_langs[i],
			    pdf_langs[i]);
		html_text(b, circular);
		bt_buf_addf(b, "-%s.pdf</a></li>\n", pdf_langs[i]);
	}
	bt_buf_adds(b, "</ul>\n</section>\n");
}

/* The decisions of §9.5 recorded on the consultation's drafts. */
static int decisions_section(preq *r, const char *circular, bt_err *e)
{
	bt_buf *b = &r->out;
	bt_decision_list dl = { 0 };
	if (bt_decisions_get(r->db, circular, r->now, &dl, e)) {
		bt_decision_list_free(&dl);
		return -1;
	}
	bt_buf_adds(b, "<section id=\"decisions\">\n<h2>");
	html_text_refs(b, L(r, "decisions_title"));
	bt_buf_adds(b, "</h2>\n");
	if (!dl.n)
		none_para(r);
	else {
		static const char *const cols[] = { "col_date", "col_draft", "decisions_title", "col_member" };
		bt_buf_adds(b, "<table class=\"stack decisions\">\n");
		th_row(r, cols, sizeof cols / sizeof cols[0]);
	}
	for (size_t i = 0; i < dl.n; i++) {
		const bt_decision *d = &dl.v[i];
		char dt[BT_DATE_LEN];
		bt_date_format(d->date, dt);
		const char *kind = bt_decision_kind_name(d->kind);
		bt_buf_addf(b, "<tr class=\"decision\" data-kind=\"%s\">", kind ? kind : "");
		td(r, "col_date");
		bt_buf_addf(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time></td>", dt, dt);
		td(r, "col_draft");
		html_text(b, d->rec);
		bt_buf_adds(b, "</td>");
		td(r, "decisions_title");
		html_word(r, portal_state_words, kind ? kind : "");
		bt_buf_adds(b, "</td>");
		td(r, "col_member");
		for (size_t k = 0; k < d->n; k++)
			bt_buf_addf(b, "%s<span class=\"member\">%s</span>", k ? ", " : "", d->members[k].code);
		bt_buf_adds(b, "</td></tr>\n");
	}
	if (dl.n)
		bt_buf_adds(b, "</table>\n");
	bt_buf_adds(b, "</section>\n");
	bt_decision_list_free(&dl);
	return 0;
}

/* The consultation's dated steps (bt_timeline_get). */
static int timeline_section(preq *r, const char *circular, bt_err *e)
{
	bt_buf *b = &r->out;
	bt_timeline tl;
	memset(&tl, 0, sizeof tl);
	if (bt_timeline_get(r->db, circular, &tl, e))
		return -1;
	bt_buf_adds(b, "<section id=\"timeline\">\n<h2>");
	html_text(b, L(r, "timeline_title"));
	bt_buf_adds(b, "</h2>\n<table class=\"stack timeline\">\n");
	static const char *const cols[] = { "col_date", "col_step", "col_draft" };
	th_row(r, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < tl.ndates; i++) {
		const bt_timeline_date *s = &tl.dates[i];
		char at[BT_TIME_LEN], key[48];
		if (s->date_only)
			bt_date_format(bt_time_date(s->at), at);
		else
			bt_time_format(s->at, at);
		snprintf(key, sizeof key, "tl_%s", s->what);
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		bt_buf_addf(b, "<tr data-step=\"%s\">", s->what);
		td(r, "col_date");
		bt_buf_addf(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time></td>", at, at);
		td(r, "col_step");
		html_text(b, L(r, key));
		if (s->detail[0]) {
			bt_buf_adds(b, " (");
			html_word(r, portal_state_words, s->detail);
			bt_buf_adds(b, ")");
		}
		bt_buf_adds(b, "</td>");
		td(r, "col_draft");
		html_text(b, s->rec);
		bt_buf_adds(b, "</td></tr>\n");
	}
	bt_buf_adds(b, "</table>\n</section>\n");
	bt_timeline_free(&tl);
	return 0;
}

/* Each draft of the consultation: its state and, in consultation, its
 * live figures; after the deadline its outcome. */
static int drafts_section(preq *r, const bt_consultation *c, bt_err *e)
{
	bt_buf *b = &r->out;
	bt_status_list sl = { 0 };
	bt_tally t;
	memset(&t, 0, sizeof t);
	if (bt_status_list_get(r->db, c->group, r->now, &sl, e) ||
	    bt_tally_compute(r->db, c->circular, r->now, &t, e)) {
		bt_status_list_free(&sl);
		bt_tally_free(&t);
		return -1;
	}
	for (size_t i = 0; i < sl.n; i++) {
		const bt_status_row *s = &sl.v[i];
		if (strcmp(s->circular, c->circular))
			continue;
		bt_buf_adds(b, "<section class=\"draft\" data-rec=\"");
		html_text(b, s->rec);
		bt_buf_adds(b, "\" data-state=\"");
		html_text(b, s->state);
		bt_buf_adds(b, "\">\n<h2>");
		Lspan(r, b, "rec_name", "rec", s->rec, "draft");
		bt_buf_adds(b, " — ");
		html_text(b, s->title ? s->title : "");
		bt_buf_adds(b, "</h2>\n<p class=\"state\"><strong>");
		html_text(b, L(r, "col_state"));
		bt_buf_adds(b, ":</strong> ");
		html_word(r, portal_state_words, s->state);
		bt_buf_adds(b, "</p>\n");
		const bt_draft_tally *d = draft_in(&t, s->rec);
		if (d)
			tally_block(r, &t, d, 0);
		bt_buf_adds(b, "</section>\n");
	}
	bt_status_list_free(&sl);
	bt_tally_free(&t);
	return 0;
}

int page_chair_c(preq *r, const char *circular)
{
	bt_consultation c;
	if (load_group(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	const char *cv[] = { "circular", c.circular, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "circular_name", cv);
	bt_buf_addf(&title, " — SG%d", c.group);
	bt_err e;
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	html_consultation_line(r, &c);
	if (drafts_section(r, &c, &e) || decisions_section(r, c.circular, &e) ||
	    timeline_section(r, c.circular, &e))
		return page_engine_error(r, &e);
	report_links(r, c.circular);
	bt_buf_adds(&r->out, "<p><a href=\"/chair\">");
	html_text(&r->out, L(r, "consultations"));
	bt_buf_adds(&r->out, "</a></p>\n");
	page_end(r);
	return 0;
}

int page_chair_report_pdf(preq *r, const char *circular)
{
	bt_consultation c;
	if (load_group(r, circular, &c))
		return 0;
	return page_secretariat_report_pdf(r, circular);
}
