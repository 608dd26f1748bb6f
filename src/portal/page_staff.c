/* page_staff.c - the pages of the TSB secretariat (page_staff.h).
 *
 * The secretariat sees every consultation's live tally, and per
 * consultation who has not replied, the late replies, the entry form for a
 * reply received by e-mail, fax or post, the close button and the downloads
 * (the same bytes as the command line: the renderers are shared). It changes
 * things only through the engine (bt_reply_record_many,
 * bt_consultation_close) with the actor "portal:<user>". The chair's pages
 * are in page_chair.c.
 *
 * The figures are also in data- attributes of each tally block, so that
 * tests and scripts need not read the words of a language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "ballot/export.h"
#include "pdf/lang.h"
#include "pdf/report.h"
#include "pdf/tmpl.h"
#include "portal/answer.h"
#include "portal/circular.h"
#include "portal/doc_links.h"
#include "portal/confirm.h"
#include "portal/error.h"
#include "portal/form.h"
#include "portal/html.h"
#include "portal/identity.h"
#include "portal/once.h"
#include "portal/page_staff.h"
#include "portal/page_staff_acts.h"
#include "portal/receipt_block.h"

/* The support share as text: "83.3", or "" with no counted reply. */
static void pct_text(const bt_draft_tally *d, char out[16])
{
	if (d->support_pct10 < 0)
		out[0] = '\0';
	else
		snprintf(out, 16, "%d.%d", d->support_pct10 / 10, d->support_pct10 % 10);
}

/* The bar: filled to the support share, a line at the threshold, red
 * (.low) under it. Classes only: the Content-Security-Policy allows no
 * inline style. Both the fill and the line (.tNN: inset-inline-start) run
 * from the start of the line, so the bar mirrors on right-to-left pages. */
static void tally_bar(preq *r, const bt_tally *t, const bt_draft_tally *d, const char *label)
{
	bt_buf *b = &r->out;
	const bt_rule *rule = bt_rule_find(t->rule);
	int thr = d->threshold_pct < 0 ? 0 : d->threshold_pct > 100 ? 100 : d->threshold_pct;
	int w = d->support_pct10 < 0 ? 0 : (d->support_pct10 + 5) / 10;
	if (w > 100)
		w = 100;
	int low = d->support_pct10 >= 0 && (d->support_pct10 < thr * 10 ||
					     (rule && rule->strict && d->support_pct10 == thr * 10));
	bt_buf_adds(b, "<div class=\"bar\" role=\"img\" aria-label=\"");
	html_text(b, label);
	bt_buf_addf(b, "\"><div class=\"fill w%d%s\"></div><div class=\"line t%d\"></div></div>\n", w,
		    low ? " low" : "", thr);
}

/* The opening of a draft's tally block: its figures as data- attributes
 * (pct: the support share as shown), and its heading at level heading
 * (0: none). */
static void tally_open(preq *r, const bt_tally *t, const bt_draft_tally *d, const char *pct, int heading)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<div class=\"tally\" data-rec=\"");
	html_text(b, d->rec);
	bt_buf_addf(b, "\" data-replies=\"%d\" data-support=\"%d\" data-pct=\"%s\" data-electorate=\"%d\" "
		    "data-threshold=\"%d\" data-late=\"%d\" data-outcome=\"%s\" data-if-closed-now=\"%s\">\n",
		    d->replies, d->support, pct, t->electorate, d->threshold_pct,
		    d->late, d->outcome, d->if_closed_now);
	if (heading) {
		bt_buf_addf(b, "<h%d>", heading);
		Lspan(r, b, "rec_name", "rec", d->rec, "draft");
		bt_buf_adds(b, " — ");
		html_text(b, d->title ? d->title : "");
		bt_buf_addf(b, "</h%d>\n", heading);
	}
}

/* A draft's outcome paragraph, in the reader's words; before the deadline
 * with what it would be if closed now. */
static void tally_outcome(preq *r, const bt_tally *t, const bt_draft_tally *d)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p class=\"outcome\"><strong>");
	html_word(r, portal_outcome_words, d->outcome);
	bt_buf_adds(b, "</strong>");
	if (!t->final) {
		bt_buf tmp = BT_BUF_INIT;
		for (const word_key *k = portal_outcome_words; k->word; k++)
			if (!strcmp(k->word, d->if_closed_now))
				bt_buf_adds(&tmp, L(r, k->key));
		const char *ov[] = { "outcome", bt_buf_str(&tmp), NULL };
		bt_buf_adds(b, " — ");
		Lf(r, b, "if_closed_now", ov);
		bt_buf_release(&tmp);
	}
	bt_buf_adds(b, "</p>\n");
}

/* One draft's live figures: support, counted replies of the electorate,
 * the bar against the threshold, the outcome (and, before the deadline,
 * what it would be if closed now), the late replies. heading: the level of
 * the draft's heading (0: none). */
void tally_block(preq *r, const bt_tally *t, const bt_draft_tally *d, int heading)
{
	bt_buf *b = &r->out;
	char pct[16], n[16], el[16], thr[16], late[16];
	pct_text(d, pct);
	snprintf(n, sizeof n, "%d", d->support);
	snprintf(el, sizeof el, "%d", t->electorate);
	snprintf(thr, sizeof thr, "%d", d->threshold_pct);
	snprintf(late, sizeof late, "%d", d->late);
	tally_open(r, t, d, pct, heading);
	const char *sv[] = { "n", n, "pct", pct, NULL };
	const char *tv[] = { "pct", thr, NULL };
	char rn[16];
	snprintf(rn, sizeof rn, "%d", d->replies);
	const char *rv[] = { "n", rn, "electorate", el, NULL };
	bt_buf label = BT_BUF_INIT;
	Lplain(r, &label, d->support_pct10 >= 0 ? "tally_support" : "tally_replies",
	       d->support_pct10 >= 0 ? sv : rv);
	bt_buf_adds(&label, "; ");
	Lplain(r, &label, "tally_threshold", tv);
	bt_buf_adds(b, "<p class=\"figures\">");
	if (d->support_pct10 >= 0) { /* no share of no replies */
		bt_buf_adds(b, "<span class=\"support\">");
		Lf(r, b, "tally_support", sv);
		bt_buf_adds(b, "</span> · ");
	}
	bt_buf_adds(b, "<span class=\"replies\">");
	Lf(r, b, "tally_replies", rv);
	bt_buf_adds(b, "</span> · <span class=\"threshold\">");
	Lf(r, b, "tally_threshold", tv);
	bt_buf_adds(b, "</span></p>\n");
	tally_bar(r, t, d, bt_buf_str(&label));
	bt_buf_release(&label);
	tally_outcome(r, t, d);
	bt_buf_adds(b, "<p class=\"late\">");
	html_text(b, L(r, "late_title"));
	bt_buf_addf(b, ": %s</p>\n</div>\n", late);
}

static void none_para(preq *r)
{
	bt_buf_adds(&r->out, "<p>");
	html_text(&r->out, L(r, "none"));
	bt_buf_adds(&r->out, "</p>\n");
}

int page_secretariat_home(preq *r)
{
	bt_err e;
	bt_consultation_list cl = { 0 };
	if (bt_consultations_list(r->db, 0, &cl, &e))
		return page_engine_error(r, &e);
	page_begin(r, L(r, "secretariat_home"));
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p><a href=\"/secretariat/inbox\" id=\"inbox-link\">");
	html_text(b, L(r, "inbox_link"));
	bt_buf_adds(b, "</a></p>\n");
	for (size_t i = 0; i < cl.n; i++) {
		const bt_consultation *c = &cl.v[i];
		bt_tally t;
		memset(&t, 0, sizeof t);
		if (bt_tally_compute(r->db, c->circular, r->now, &t, &e)) {
			bt_tally_free(&t);
			bt_consultation_list_free(&cl);
			return page_engine_error(r, &e);
		}
		bt_buf_adds(b, "<section class=\"consultation\" id=\"c-");
		html_text(b, c->circular);
		bt_buf_adds(b, "\">\n<h2><a href=\"/secretariat/c/");
		html_text(b, c->circular);
		bt_buf_adds(b, "\">");
		Lspan(r, b, "circular_name", "circular", c->circular, "circular");
		bt_buf_addf(b, "</a> — SG%d</h2>\n", c->group);
		html_consultation_line(r, c);
		for (size_t d = 0; d < t.n; d++)
			tally_block(r, &t, &t.drafts[d], 3);
		if (!t.n)
			none_para(r);
		bt_buf_adds(b, "</section>\n");
		bt_tally_free(&t);
	}
	if (!cl.n)
		none_para(r);
	bt_consultation_list_free(&cl);
	page_end(r);
	return 0;
}

/* The name of member code in the list (by code), or "". */
static const char *name_in(const bt_member_list *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].code, code))
			return l->v[i].name ? l->v[i].name : "";
	return "";
}

/* <td data-label="LABEL">: the label a stacked row shows (style.c). */
static void td_l(preq *r, const char *key)
{
	bt_buf_adds(&r->out, "<td data-label=\"");
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "\">");
}

static void th_row(preq *r, const char *const *keys, size_t n)
{
	bt_buf_adds(&r->out, "<thead><tr>");
	for (size_t i = 0; i < n; i++) {
		bt_buf_adds(&r->out, "<th>");
		html_text(&r->out, L(r, keys[i]));
		bt_buf_adds(&r->out, "</th>");
	}
	bt_buf_adds(&r->out, "</tr></thead>\n");
}

/* Who has not replied: member, name, the drafts it has no counted reply
 * on. */
static void pending_section(preq *r, const bt_pending_list *pl)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<section id=\"pending\">\n<h2>");
	html_text(b, L(r, "pending_title"));
	bt_buf_addf(b, " (<span class=\"count\">%zu</span>)</h2>\n", pl->n);
	if (!pl->n) {
		none_para(r);
		bt_buf_adds(b, "</section>\n");
		return;
	}
	static const char *const cols[] = { "col_member", "col_draft" };
	bt_buf_adds(b, "<details><summary>");
	html_text(b, L(r, "pending_title"));
	bt_buf_adds(b, "</summary>\n<table class=\"pending stack\">\n");
	th_row(r, cols, 2);
	for (size_t i = 0; i < pl->n; i++) {
		const bt_pending_item *it = &pl->v[i];
		bt_buf_adds(b, "<tr>");
		td_l(r, "col_member");
		bt_buf_adds(b, "<span class=\"member\">");
		html_text(b, it->code);
		bt_buf_adds(b, "</span> ");
		html_text(b, it->name ? it->name : "");
		bt_buf_adds(b, "</td><td>");
		for (size_t k = 0; k < it->n_recs; k++) {
			if (k)
				bt_buf_adds(b, ", ");
			html_text(b, it->recs[k]);
			/* the report's lists: late or withdrawn, not "did not reply" */
			if (it->why && strcmp(it->why[k], "none") != 0) {
				bt_buf_addf(b, " <span class=\"list\" data-list=\"%s\">(", it->why[k]);
				html_text(b, L(r, strcmp(it->why[k], "late") == 0 ? "status_late" : "status_withdrawn"));
				bt_buf_adds(b, ")</span>");
			}
		}
		bt_buf_adds(b, "</td></tr>\n");
	}
	bt_buf_adds(b, "</table>\n</details>\n</section>\n");
}

/* The late replies: recorded after the deadline, never counted. */
static void late_section(preq *r, const bt_history *h, const bt_member_list *el)
{
	bt_buf *b = &r->out;
	size_t n = 0;
	bt_buf_adds(b, "<section id=\"late\">\n<h2>");
	html_text(b, L(r, "late_title"));
	bt_buf_adds(b, "</h2>\n");
	for (size_t i = 0; i < h->n; i++) {
		const bt_history_item *it = &h->v[i];
		if (strcmp(it->status, "late"))
			continue;
		if (!n++) {
			static const char *const cols[] = { "col_member", "col_draft", "receipt_choice",
							    "col_received", "channel_label", "col_by",
							    "receipt_title" };
			bt_buf_adds(b, "<table class=\"late stack\">\n");
			th_row(r, cols, sizeof cols / sizeof cols[0]);
		}
		char t[BT_TIME_LEN];
		bt_time_format(it->received, t);
		bt_buf_adds(b, "<tr>");
		td_l(r, "col_member");
		bt_buf_adds(b, "<span class=\"member\">");
		html_text(b, it->member);
		bt_buf_adds(b, "</span> ");
		html_text(b, name_in(el, it->member));
		bt_buf_adds(b, "</td><td class=\"draft\">");
		html_text(b, it->rec);
		bt_buf_adds(b, "</td>");
		td_l(r, "receipt_choice");
		html_word(r, portal_choice_words, it->what);
		bt_buf_adds(b, "</td>");
		td_l(r, "col_received");
		bt_buf_addf(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time></td>", t, t);
		td_l(r, "channel_label");
		html_word(r, portal_channel_words, it->channel);
		bt_buf_adds(b, "</td>");
		td_l(r, "col_by");
		html_text(b, it->recorded_by ? it->recorded_by : "");
		bt_buf_addf(b, "</td><td><a class=\"receipt-json\" type=\"application/json\" "
			    "href=\"/secretariat/receipt/%lld.json\">JSON</a></td></tr>\n", (long long)it->seq);
	}
	if (n)
		bt_buf_adds(b, "</table>\n");
	else
		none_para(r);
	bt_buf_adds(b, "</section>\n");
}

/* The label of field id, and the sentence of the refusal shown when it
 * concerns that field (the entry form's ids are the engine's field names). */
static void label_for(preq *r, const char *id, const char *key)
{
	bt_buf_addf(&r->out, "<label for=\"%s\">", id);
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "</label>\n");
	html_field_error(r, id, NULL, id);
}

/* Opens the tag of field id ("<select", "<input type=...") with its name,
 * and what makes it invalid when the refusal shown concerns it. */
static void field_open(preq *r, const char *tag, const char *id, const char *more)
{
	bt_buf_addf(&r->out, "%s id=\"%s\" name=\"%s\"%s", tag, id, id, more);
	html_field_invalid(r, id, NULL, id);
}

/* <option value="VALUE">NAME — TEXT</option>, selected when it is what
 * was posted for field (a refused form shown again). */
static void option(preq *r, const char *field, const char *value, const char *name, const char *text)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<option value=\"");
	html_text(b, value);
	bt_buf_addf(b, "\"%s>", !strcmp(form_echo(r, field), value) ? " selected" : "");
	html_text(b, name);
	bt_buf_adds(b, " — ");
	html_text(b, text ? text : "");
	bt_buf_adds(b, "</option>\n");
}

/* One option per word of t, labelled in r's language. */
static void word_options(preq *r, const char *field, const word_key *t)
{
	for (; t->word; t++) {
		bt_buf_addf(&r->out, "<option value=\"%s\"%s>", t->word,
			    !strcmp(form_echo(r, field), t->word) ? " selected" : "");
		html_text(&r->out, L(r, t->key));
		bt_buf_adds(&r->out, "</option>\n");
	}
}

/* A text input of the entry form, with what was typed. */
static void text_input(preq *r, const char *id, const char *key, const char *more)
{
	label_for(r, id, key);
	field_open(r, "<input type=\"text\"", id, more);
	bt_buf_adds(&r->out, " value=\"");
	html_text(&r->out, form_echo(r, id));
	bt_buf_adds(&r->out, "\">\n");
}

/* After the deadline (until the close), a paper form that arrived on
 * time and changes an outcome shown since then needs the reason for its
 * late entry (history and the report say it). */
static void late_entry_field(preq *r, const bt_consultation *c)
{
	if (r->now <= c->deadline || c->closed)
		return;
	label_for(r, "late_entry_reason", "late_entry_label");
	field_open(r, "<textarea", "late_entry_reason", " rows=\"2\" maxlength=\"2000\"");
	bt_buf_adds(&r->out, ">");
	html_text(&r->out, form_echo(r, "late_entry_reason"));
	bt_buf_adds(&r->out, "</textarea>\n");
}

/* The form name of the entry form of c (its single-use tokens, once.h). */
static void entry_form_name(const bt_consultation *c, char out[PORTAL_ONCE_FORM])
{
	snprintf(out, PORTAL_ONCE_FORM, "s:%s", c->circular);
}

/* The entry form's member, draft and choice. */
static void entry_fields(preq *r, const bt_draft_list *dl, const bt_member_list *el)
{
	bt_buf *b = &r->out;
	label_for(r, "member", "col_member");
	field_open(r, "<select", "member", " required");
	bt_buf_adds(b, ">\n<option value=\"\"></option>\n");
	for (size_t i = 0; i < el->n; i++)
		option(r, "member", el->v[i].code, el->v[i].code, el->v[i].name);
	bt_buf_adds(b, "</select>\n");
	label_for(r, "draft", "col_draft");
	field_open(r, "<select", "draft", "");
	bt_buf_adds(b, ">\n");
	for (size_t i = 0; i < dl->n; i++) {
		const char *rv[] = { "rec", dl->v[i].rec, NULL };
		bt_buf name = BT_BUF_INIT;
		Lplain(r, &name, "rec_name", rv);
		option(r, "draft", dl->v[i].rec, bt_buf_str(&name), dl->v[i].title);
		bt_buf_release(&name);
	}
	bt_buf_adds(b, "</select>\n");
	label_for(r, "choice", "receipt_choice");
	field_open(r, "<select", "choice", " required");
	bt_buf_adds(b, ">\n");
	word_options(r, "choice", portal_choice_words);
	bt_buf_adds(b, "</select>\n");
}

/* The entry form for a reply received by e-mail, fax or post. */
static void entry_form(preq *r, const bt_consultation *c, const bt_draft_list *dl, const bt_member_list *el)
{
	bt_buf *b = &r->out;
	char now[BT_TIME_LEN], max[32], more[96];
	bt_time_format(r->now, now);
	snprintf(max, sizeof max, "%lld", (long long)r->p->attachment_max);
	bt_buf_adds(b, "<section id=\"enter\">\n<h2>");
	html_text(b, L(r, "enter_title"));
	bt_buf_adds(b, "</h2>\n<form method=\"post\" enctype=\"multipart/form-data\" action=\"/secretariat/c/");
	html_text(b, c->circular);
	bt_buf_adds(b, "/reply\">\n");
	html_csrf(r, r->s.csrf);
	char form[PORTAL_ONCE_FORM];
	entry_form_name(c, form);
	once_field(r, form);
	bt_buf_adds(b, "<fieldset>\n");
	entry_fields(r, dl, el);
	snprintf(more, sizeof more, " placeholder=\"%s\" maxlength=\"40\" dir=\"ltr\"", now);
	text_input(r, "received", "received_label", more);
	label_for(r, "channel", "channel_label");
	field_open(r, "<select", "channel", "");
	bt_buf_adds(b, ">\n");
	word_options(r, "channel", portal_channel_words);
	bt_buf_adds(b, "</select>\n");
	late_entry_field(r, c);
	text_input(r, "signatory", "signatory_label", " maxlength=\"200\"");
	text_input(r, "title", "official_title_label", " maxlength=\"200\"");
	label_for(r, "attachment", "file_label");
	field_open(r, "<input type=\"file\"", "attachment", " accept=\"" PORTAL_UPLOAD_ACCEPT "\"");
	bt_buf_adds(b, ">\n");
	label_for(r, "scan", "scan_label");
	field_open(r, "<input type=\"file\"", "scan", " accept=\"" PORTAL_UPLOAD_ACCEPT "\"");
	bt_buf_adds(b, ">\n</fieldset>\n<p><small>");
	const char *mv[] = { "max", max, NULL };
	Lf(r, b, "upload_help", mv);
	bt_buf_adds(b, "</small></p>\n<button type=\"submit\">");
	html_text(b, L(r, "submit"));
	bt_buf_adds(b, "</button>\n</form>\n</section>\n");
}

/* After the deadline, until closed: a link (a GET form) to the
 * confirmation page, styled as dangerous, after every other section so that
 * it is far from the entry form's button. */
static void close_section(preq *r, const bt_consultation *c)
{
	bt_buf *b = &r->out;
	if (c->closed || r->now <= c->deadline)
		return;
	bt_buf_adds(b, "<section id=\"close\" class=\"danger-zone\">\n<h2>");
	html_text(b, L(r, "close_title"));
	bt_buf_adds(b, "</h2>\n<p>");
	html_text(b, L(r, "close_warning"));
	bt_buf_adds(b, "</p>\n<form method=\"get\" action=\"/secretariat/c/");
	html_text(b, c->circular);
	bt_buf_adds(b, "/close\">\n<button type=\"submit\" class=\"danger\">");
	html_text(b, L(r, "close_button"));
	bt_buf_adds(b, "</button>\n</form>\n</section>\n");
}

static void downloads(preq *r, const bt_consultation *c)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<section id=\"downloads\">\n<h2>");
	html_text(b, L(r, "downloads"));
	bt_buf_adds(b, "</h2>\n<ul class=\"downloads\">\n<li>");
	for (size_t i = 0; i < PDF_NLANGS; i++) {
		if (i)
			bt_buf_adds(b, " · ");
		bt_buf_adds(b, "<a href=\"/secretariat/c/");
		html_text(b, c->circular);
		bt_buf_addf(b, "/report.pdf?lang=%s\" hreflang=\"%s\" type=\"application/pdf\"><bdi dir=\"ltr\">",
			    pdf_langs[i], pdf_langs[i]);
		html_text(b, c->circular);
		bt_buf_addf(b, "-%s.pdf</bdi></a>", pdf_langs[i]);
	}
	bt_buf_adds(b, "</li>\n");
	static const char *const files[] = { "replies.csv", "replies.json", "tally.json" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		bt_buf_adds(b, "<li><a href=\"/secretariat/c/");
		html_text(b, c->circular);
		bt_buf_addf(b, "/%s\"><bdi dir=\"ltr\">", files[i]);
		html_text(b, c->circular);
		bt_buf_addf(b, "-%s</bdi></a></li>\n", files[i]);
	}
	html_staff_import_publish_links(r, c->circular);
	bt_buf_adds(b, "</ul>\n</section>\n");
}

int page_secretariat_c(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c))
		return 0;
	bt_err e;
	bt_tally t;
	bt_pending_list pl = { 0 };
	bt_history h = { 0 };
	bt_draft_list dl = { 0 };
	bt_member_list el = { 0 };
	memset(&t, 0, sizeof t);
	if (bt_tally_compute(r->db, c.circular, r->now, &t, &e) ||
	    bt_pending_get(r->db, c.circular, NULL, r->now, &pl, &e) ||
	    bt_history_get(r->db, c.circular, NULL, &h, &e) || bt_drafts_list(r->db, c.circular, &dl, &e) ||
	    bt_electorate_list(r->db, c.circular, &el, &e)) {
		page_engine_error(r, &e);
		goto out;
	}
	const char *cv[] = { "circular", c.circular, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "circular_name", cv);
	bt_buf_addf(&title, " — SG%d", c.group);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	html_refusal_summary(r);
	html_consultation_line(r, &c);
	for (size_t d = 0; d < t.n; d++)
		tally_block(r, &t, &t.drafts[d], 2);
	if (!t.n)
		none_para(r);
	staff_replies_section(r, &h, &el);
	pending_section(r, &pl);
	late_section(r, &h, &el);
	if (dl.n)
		entry_form(r, &c, &dl, &el);
	staff_codes_section(r, &c, &el);
	staff_decide_link(r, &c, &t);
	downloads(r, &c);
	close_section(r, &c);
	bt_buf_adds(b, "<p><a href=\"/secretariat\">");
	html_text(b, L(r, "consultations"));
	bt_buf_adds(b, "</a></p>\n");
	page_end(r);
out:
	bt_tally_free(&t);
	bt_pending_list_free(&pl);
	bt_history_free(&h);
	bt_draft_list_free(&dl);
	bt_member_list_free(&el);
	return 0;
}

/* Reads the entry form into spec: -1 with the refusal x (400) on a field
 * the engine would not name as well (member, choice, received, channel). */
static int entry_spec(preq *r, prefusal *x, const bt_consultation *c, bt_reply_spec *s, bt_attachment_in *att,
		      bt_attachment_in *scan)
{
	const pform *f = &r->form;
	const char *member = pform_get(f, "member"), *rec = pform_get(f, "draft");
	const char *choice = pform_get(f, "choice"), *received = pform_get(f, "received");
	const char *channel = pform_get(f, "channel");
	const char *signatory = pform_get(f, "signatory"), *title = pform_get(f, "title");
	const char *late_reason = pform_get(f, "late_entry_reason");
	memset(s, 0, sizeof *s);
	s->circular = c->circular;
	if (!*member)
		return form_refusal_at(r, x, 400, BT_R_INPUT, "member", "", "no Member State chosen"), -1;
	s->member = member;
	s->rec = *rec ? rec : NULL;
	s->choice = bt_choice_parse(choice);
	if (s->choice == BT_CHOICE_NONE)
		return form_refusal_at(r, x, 400, BT_R_INPUT, "choice", "", "'%.40s' is not authorize, "
				       "authorize-with-comments, not-authorize or withdraw", choice), -1;
	if (*received) {
		bt_err e;
		if (bt_time_parse(received, "received", &s->received, &e))
			return form_refusal(r, x, 0, &e), -1;
		s->has_received = 1;
	}
	int known = 0;
	for (const word_key *k = portal_channel_words; k->word; k++)
		known |= !strcmp(k->word, channel);
	if (!known)
		return form_refusal_at(r, x, 400, BT_R_INPUT, "channel", "", "'%.40s' is not email, fax, post or other",
				       channel), -1;
	s->channel = channel;
	s->signatory = *signatory ? signatory : NULL;
	s->title = *title ? title : NULL;
	s->late_entry_reason = *late_reason ? late_reason : NULL;
	const pfield *a = pform_file(f, "attachment"), *sc = pform_file(f, "scan");
	if (a) {
		*att = (bt_attachment_in){ a->filename, a->value.data, a->value.len };
		s->attachments = att;
		s->n_attachments = 1;
	}
	if (sc) {
		*scan = (bt_attachment_in){ sc->filename, sc->value.data, sc->value.len };
		s->scan = scan;
	}
	return 0;
}

/* Records the reply of the entry form posted for c: 0 with the receipt
 * page's path in loc ("/secretariat/sent/<circular>/<id>"); 1 when
 * refused, x made r's refusal (the form is to be shown again); else -1 and
 * the error page. */
static int entry_record(preq *r, const bt_consultation *c, prefusal *x, char *loc, size_t n)
{
	bt_reply_spec spec;
	bt_attachment_in att, scan;
	if (entry_spec(r, x, c, &spec, &att, &scan))
		return 1;
	char actor[96];
	portal_actor(r, actor, sizeof actor);
	bt_reply_result res;
	bt_err e;
	int rc = bt_reply_record_many(r->db, &spec, 1, actor, r->now, &res, &e);
	if (rc)
		return form_refused_reply(r, x, rc, &res, &e);
	snprintf(loc, n, "/secretariat/sent/%s/%lld", c->circular, (long long)res.reply_id);
	return 0;
}

int page_secretariat_codes_issue(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	prefusal x;
	if (staff_codes_issue(r, &c, &x) == 1) {
		page_secretariat_c(r, c.circular);
		r->refusal = NULL;
	}
	return 0;
}

int page_secretariat_reply(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	/* exactly once: a token already spent answers the first sending's
	 * receipt page (Post/Redirect/Get) */
	char form[PORTAL_ONCE_FORM], loc[PORTAL_ONCE_LOC];
	entry_form_name(&c, form);
	if (!once_begin(r, form))
		return 0;
	/* refused: the consultation's page again, the entry form with what
	 * was typed, the sentence next to its field and a new token */
	prefusal x, *xp = &x;
	/* refused by the server's checks of the form (a file of a type not
	 * accepted, a control character): nothing to record */
	int rc = r->refusal ? 1 : entry_record(r, &c, &x, loc, sizeof loc);
	once_done(r, rc ? NULL : loc);
	if (rc > 0) {
		xp = r->refusal;
		/* the entry form's fields have the engine's names as ids */
		static const char *const ids[] = { "member", "draft", "choice", "received", "channel",
						   "late_entry_reason", "signatory", "title", "attachment", "scan" };
		for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
			if (!strcmp(xp->field, ids[i]))
				snprintf(xp->anchor, sizeof xp->anchor, "%s", ids[i]);
		page_secretariat_c(r, c.circular);
		r->refusal = NULL;
	}
	return 0;
}

/* The receipt of reply id of circular c, found in h: 1 when shown, 0 when
 * h has no such reply, -1 with e. */
static int sent_receipt(preq *r, const bt_consultation *c, const bt_history *h, int64_t id, bt_err *e)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].reply_id == id && (!strcmp(h->v[i].kind, "reply") || !strcmp(h->v[i].kind, "withdrawal")))
			return html_receipt_item(r, c->circular, h, i, e) ? -1 : 1;
	return 0;
}

int page_secretariat_sent(preq *r, const char *seg)
{
	/* "<circular>/<reply id>": a circular may hold '/' */
	const char *slash = strrchr(seg, '/');
	char *end = NULL;
	long long id = slash ? strtoll(slash + 1, &end, 10) : 0;
	if (!slash || !end || *end || id <= 0 || end == slash + 1)
		return page_field_error(r, BT_R_NOT_FOUND, "receipt", "'%.60s' is not a circular and a reply number",
					seg);
	char circular[128];
	snprintf(circular, sizeof circular, "%.*s", (int)(slash - seg), seg);
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	bt_err e;
	bt_history h = { 0 };
	if (bt_history_get(r->db, c.circular, NULL, &h, &e))
		return page_engine_error(r, &e);
	page_begin(r, L(r, "receipt_title"));
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p class=\"ok\" role=\"status\">");
	html_text(b, L(r, "receipt_intro"));
	bt_buf_adds(b, "</p>\n");
	int rc = sent_receipt(r, &c, &h, id, &e);
	bt_history_free(&h);
	if (rc < 0)
		return page_engine_error(r, &e);
	if (rc == 0)
		return page_field_error(r, BT_R_NOT_FOUND, "receipt", "no reply %lld in circular %s", id, c.circular);
	bt_buf_adds(b, "<p><a href=\"/secretariat/c/");
	html_text(b, c.circular);
	bt_buf_adds(b, "\">");
	Lspan(r, b, "circular_name", "circular", c.circular, "circular");
	bt_buf_adds(b, "</a> · <a href=\"/secretariat\">");
	html_text(b, L(r, "consultations"));
	bt_buf_adds(b, "</a></p>\n");
	page_end(r);
	return 0;
}

int page_secretariat_close(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c))
		return 0;
	char actor[96], path[128], form[PORTAL_ONCE_FORM];
	staff_once_name(form, "close", c.circular);
	if (!once_begin(r, form))
		return 0;
	portal_actor(r, actor, sizeof actor);
	bt_err e;
	int rc = bt_consultation_close(r->db, c.circular, actor, r->now, NULL, &e);
	snprintf(path, sizeof path, "/secretariat/c/%s", c.circular);
	once_done(r, rc ? NULL : path);
	return rc ? page_engine_error(r, &e) : 0;
}

/* GET /secretariat/c/CIRCULAR/close: what closing will do (the tally of
 * each draft that will be frozen) and a button that names the act, whose
 * POST closes. */
int page_secretariat_close_confirm(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	if (c.closed)
		return page_field_error(r, BT_R_CONFLICT, "circular", "%s is closed already", c.circular);
	bt_err e;
	bt_tally t;
	memset(&t, 0, sizeof t);
	if (bt_tally_compute(r->db, c.circular, r->now, &t, &e)) {
		bt_tally_free(&t);
		return page_engine_error(r, &e);
	}
	const char *cv[] = { "circular", c.circular, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "close_confirm_title", cv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	html_consultation_line(r, &c);
	bt_buf_adds(b, "<p class=\"note\" id=\"what\">");
	html_text(b, L(r, "close_confirm_what"));
	bt_buf_adds(b, "</p>\n<div class=\"frozen\">\n");
	for (size_t d = 0; d < t.n; d++)
		tally_block(r, &t, &t.drafts[d], 2);
	if (!t.n)
		none_para(r);
	bt_buf_adds(b, "</div>\n");
	char action[160], back[160], form[PORTAL_ONCE_FORM];
	snprintf(action, sizeof action, "/secretariat/c/%s/close", c.circular);
	snprintf(back, sizeof back, "/secretariat/c/%s", c.circular);
	staff_once_name(form, "close", c.circular);
	staff_confirm_form(r, action, form, NULL, "close_confirm_button", cv, back);
	page_end(r);
	bt_tally_free(&t);
	return 0;
}

/* A download does not change the language of the pages: drops the "lang"
 * cookie that ?lang= (here the report's language) set. */
static void keep_page_lang(preq *r)
{
	int k = 0;
	for (int i = 0; i < r->ncookies; i++)
		if (strncmp(r->cookies[i], "lang=", 5))
			memmove(r->cookies[k++], r->cookies[i], sizeof r->cookies[0]);
	r->ncookies = k;
}

/* The report's language: ?lang= (any of the six), else the page's. */
static int report_lang_of(preq *r, const char **out)
{
	const char *q = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (!q || !*q) {
		*out = r->lang->code;
		return 0;
	}
	for (size_t i = 0; i < PDF_NLANGS; i++)
		if (!strcmp(q, pdf_langs[i])) {
			*out = pdf_langs[i];
			return 0;
		}
	page_field_error(r, BT_R_INPUT, "lang", "'%.20s' is not en, fr, es, ru, zh or ar", q);
	return -1;
}

static int download(preq *r, const char *circular, const char *what)
{
	bt_consultation c;
	keep_page_lang(r);
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	bt_err e;
	int rc;
	bt_buf_reset(&r->out);
	if (!strcmp(what, "report.pdf")) {
		const char *lang;
		pdf_paper paper = PDF_A4;
		const char *pq = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "paper");
		if (report_lang_of(r, &lang))
			return 0;
		if (pq && pdf_paper_parse(pq, &paper, &e))
			return page_engine_error(r, &e);
		if (!c.drafts)
			return page_field_error(r, BT_R_INPUT, "circular", "%s has no drafts yet", c.circular);
		rc = report_build(r->db, c.circular, r->now, lang, paper, &r->out, &e);
		r->ctype = "application/pdf";
		char suffix[16];
		snprintf(suffix, sizeof suffix, "-%s.pdf", lang);
		portal_file_name(r->filename, sizeof r->filename, "", c.circular, suffix);
	} else if (!strcmp(what, "tally.json")) {
		bt_tally t;
		memset(&t, 0, sizeof t);
		rc = bt_tally_compute(r->db, c.circular, r->now, &t, &e);
		if (rc == BT_OK)
			rc = bt_tally_json(&t, &r->out, &e);
		bt_tally_free(&t);
		r->ctype = "application/json";
		portal_file_name(r->filename, sizeof r->filename, "", c.circular, "-tally.json");
	} else if (!strcmp(what, "replies.json")) {
		rc = bt_export_json(r->db, c.circular, &r->out, &e);
		r->ctype = "application/json";
		portal_file_name(r->filename, sizeof r->filename, "", c.circular, "-replies.json");
	} else if (!strcmp(what, "replies.csv")) {
		rc = bt_export_csv(r->db, c.circular, &r->out, &e);
		r->ctype = "text/csv; charset=utf-8";
		portal_file_name(r->filename, sizeof r->filename, "", c.circular, "-replies.csv");
	} else {
		return page_error(r, 404, L(r, "err_not_found"));
	}
	if (rc) {
		r->filename[0] = '\0';
		return page_engine_error(r, &e);
	}
	return 0;
}

int page_secretariat_report_pdf(preq *r, const char *circular)
{
	return download(r, circular, "report.pdf");
}

int page_secretariat_replies_csv(preq *r, const char *circular)
{
	return download(r, circular, "replies.csv");
}

int page_secretariat_replies_json(preq *r, const char *circular)
{
	return download(r, circular, "replies.json");
}

int page_secretariat_tally_json(preq *r, const char *circular)
{
	return download(r, circular, "tally.json");
}

int page_secretariat_receipt(preq *r, const char *seq)
{
	char *end;
	long long v = strtoll(seq, &end, 10);
	if (*end || v <= 0)
		return page_field_error(r, BT_R_NOT_FOUND, "event", "'%.40s' is not an event number", seq);
	bt_receipt info;
	if (portal_receipt_issue(r, v, &info))
		return 0;
	/* the rows of its consultation must agree with their events */
	if (portal_rows_check(r, info.circular))
		return 0;
	portal_receipt_name(r->filename, sizeof r->filename, info.circular, v, 1); /* named after its circular */
	return 0;
}
