/* page_chair.c - the pages of a study group's chair (page_chair.h). A chair
 * reads where its study group's drafts stand and changes nothing.
 */
#include <stdio.h>
#include <string.h>
#include "portal/answer.h"
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

/* The live figures of a draft in consultation, in t (by rec), or NULL. */
static const bt_draft_tally *draft_in(const bt_tally *t, const char *rec)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->drafts[i].rec, rec))
			return &t->drafts[i];
	return NULL;
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
	bt_buf_adds(b, "<table class=\"status\">\n");
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
		char dt[BT_TIME_LEN];
		bt_time_format(s->deadline, dt);
		bt_buf_adds(b, "<tr class=\"draft\" data-rec=\"");
		html_text(b, s->rec);
		bt_buf_adds(b, "\" data-state=\"");
		html_text(b, s->state);
		bt_buf_adds(b, "\"><td>");
		html_text(b, s->circular);
		bt_buf_adds(b, "</td><td>");
		Lspan(r, b, "rec_name", "rec", s->rec, "draft");
		bt_buf_adds(b, " — ");
		html_text(b, s->title ? s->title : "");
		bt_buf_adds(b, "</td><td class=\"state\">");
		html_word(r, portal_state_words, s->state);
		if (s->more_time_until != BT_DATE_NONE) {
			char mt[BT_DATE_LEN];
			bt_date_format(s->more_time_until, mt);
			bt_buf_addf(b, " (<time dir=\"ltr\" datetime=\"%s\">%s</time>)", mt, mt);
		}
		bt_buf_addf(b, "</td><td><time dir=\"ltr\" datetime=\"%s\">%s</time></td><td>", dt, dt);
		if (d)
			tally_block(r, &t, d, 0);
		else if (s->outcome[0])
			html_word(r, portal_outcome_words, s->outcome);
		bt_buf_adds(b, "</td></tr>\n");
	}
	bt_tally_free(&t);
	bt_buf_adds(b, "</table>\n");
	bt_status_list_free(&sl);
	page_end(r);
	return 0;
}
