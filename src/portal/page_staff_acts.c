/* page_staff_acts.c - the secretariat's list of replies, the plenary's
 * decision (§9.5) and the reply codes (page_staff_acts.h).
 *
 * Every irreversible act has a confirmation page (a GET, changing nothing)
 * that says what will happen, with a button naming the act; only its POST
 * changes anything, through the engine calls the command line uses
 * (bt_decide as `ballot decide`, bt_codes_issue / bt_codes_revoke as
 * `ballot codes`), with the actor "portal:<user>", and answers 303 to the
 * consultation's page; its single-use token (once.h) makes the same POST
 * sent twice act once and answer the first outcome. A new reply code is
 * shown once, as `ballot codes issue` prints it once: its POST keeps it in
 * the session (session_keep: never in the database) under a random handle,
 * and answers 303 to the page that shows it and forgets it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "ballot/rules.h"
#include "portal/answer.h"
#include "portal/circular.h"
#include "portal/error.h"
#include "portal/form.h"
#include "portal/html.h"
#include "portal/identity.h"
#include "portal/once.h"
#include "portal/confirm.h"
#include "portal/page_staff_acts.h"

#define DEC_MAX 64 /* members named by one decision from the portal */
/* Each member named in a decision's text (code and reservation, in any
 * script) is a bidirectional isolate: on a right-to-left page its
 * parentheses stay with it. */
#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"

/* A form or query value: POST fields for a POST, else the query; "" when
 * absent. */
static const char *arg(preq *r, int post, const char *name)
{
	const char *v = post ? pform_get(&r->form, name)
			     : MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	return v ? v : "";
}

/* <td data-label="LABEL"> (the label shows when the table is stacked). */
static void td_open(preq *r, const char *key)
{
	bt_buf_adds(&r->out, "<td data-label=\"");
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "\">");
}

static void heads(preq *r, const char *const *keys, size_t n)
{
	bt_buf_adds(&r->out, "<thead><tr>");
	for (size_t i = 0; i < n; i++) {
		bt_buf_adds(&r->out, "<th scope=\"col\">");
		html_text(&r->out, L(r, keys[i]));
		bt_buf_adds(&r->out, "</th>");
	}
	bt_buf_adds(&r->out, "</tr></thead>\n<tbody>\n");
}

static const char *member_name(const bt_member_list *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].code, code))
			return l->v[i].name ? l->v[i].name : "";
	return "";
}

/* The attachments of a reply, each a download link with its size. */
static void attachment_links(preq *r, const bt_history_item *it)
{
	bt_buf *b = &r->out;
	for (size_t k = 0; k < it->n_attachments; k++) {
		const bt_attachment *a = &it->attachments[k];
		bt_buf_addf(b, "%s<a class=\"attachment\" data-role=\"%s\" href=\"/secretariat/attachment/%lld\" "
			    "download=\"", k ? "<br>" : "", a->role, (long long)a->id);
		html_text(b, a->name ? a->name : "");
		bt_buf_adds(b, "\">");
		bt_buf_adds(b, "<bdi>");
		html_text(b, a->name ? a->name : "");
		bt_buf_addf(b, "</bdi></a> <small dir=\"ltr\">(%lld B)</small>", (long long)a->size);
	}
}

/* One row of the replies table. */
static void reply_row(preq *r, const bt_history_item *it, const bt_member_list *el)
{
	bt_buf *b = &r->out;
	char t[BT_TIME_LEN];
	bt_time_format(it->received, t);
	bt_buf_addf(b, "<tr class=\"reply status-%s\" data-seq=\"%lld\" data-member=\"%s\" data-status=\"%s\">",
		    it->status, (long long)it->seq, it->member, it->status);
	td_open(r, "col_member");
	bt_buf_adds(b, "<span class=\"member\">");
	html_text(b, it->member);
	bt_buf_adds(b, "</span> ");
	html_text(b, member_name(el, it->member));
	bt_buf_adds(b, "</td>");
	td_open(r, "col_draft");
	html_text(b, it->rec);
	bt_buf_adds(b, "</td>");
	td_open(r, "receipt_choice");
	html_word(r, portal_choice_words, it->what);
	bt_buf_adds(b, "</td>");
	td_open(r, "col_received");
	bt_buf_addf(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time></td>", t, t);
	td_open(r, "channel_label");
	html_word(r, portal_channel_words, it->channel);
	bt_buf_adds(b, "</td>");
	td_open(r, "col_status");
	bt_buf_addf(b, "<span class=\"status %s\">", it->status);
	html_word(r, portal_status_words, it->status);
	bt_buf_adds(b, "</span>");
	if (it->late_entry) {
		bt_buf_adds(b, " <small class=\"late-entry\">");
		html_text(b, it->late_entry);
		bt_buf_adds(b, "</small>");
	}
	bt_buf_adds(b, "</td>");
	td_open(r, "col_attachments");
	attachment_links(r, it);
	bt_buf_adds(b, "</td>");
	td_open(r, "receipt_title");
	bt_buf_addf(b, "<a class=\"receipt-json\" type=\"application/json\" href=\"/secretariat/receipt/%lld.json\">"
		       "JSON</a></td></tr>\n", (long long)it->seq);
}

void staff_replies_section(preq *r, const bt_history *h, const bt_member_list *el)
{
	bt_buf *b = &r->out;
	size_t n = 0;
	for (size_t i = 0; i < h->n; i++)
		n += !strcmp(h->v[i].kind, "reply") || !strcmp(h->v[i].kind, "withdrawal");
	bt_buf_adds(b, "<section id=\"replies\">\n<h2>");
	html_text(b, L(r, "replies_title"));
	bt_buf_addf(b, " (<span class=\"count\">%zu</span>)</h2>\n", n);
	if (!n) {
		bt_buf_adds(b, "<p>");
		html_text(b, L(r, "none"));
		bt_buf_adds(b, "</p>\n</section>\n");
		return;
	}
	static const char *const cols[] = { "col_member",    "col_draft",  "receipt_choice",	"col_received",
					    "channel_label", "col_status", "col_attachments", "receipt_title" };
	bt_buf_adds(b, "<table class=\"replies stack\">\n");
	heads(r, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->v[i].kind, "reply") || !strcmp(h->v[i].kind, "withdrawal"))
			reply_row(r, &h->v[i], el);
	bt_buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

/* The codes table: per member, when its last code was issued, revoked. */
static void codes_table(preq *r, const char *circular, const bt_code_info_list *cl, const bt_member_list *el)
{
	bt_buf *b = &r->out;
	static const char *const cols[] = { "col_member", "codes_issued", "col_status" };
	bt_buf_adds(b, "<table class=\"codes stack\">\n");
	heads(r, cols, 3);
	for (size_t i = 0; i < cl->n; i++) {
		const bt_code_info *ci = &cl->v[i];
		if (i + 1 < cl->n && !strcmp(cl->v[i + 1].member, ci->member))
			continue; /* the member's last code only */
		char t[BT_TIME_LEN];
		bt_time_format(ci->issued_at, t);
		bt_buf_addf(b, "<tr data-member=\"%s\" data-revoked=\"%d\">", ci->member, ci->revoked);
		td_open(r, "col_member");
		bt_buf_adds(b, "<span class=\"member\">");
		html_text(b, ci->member);
		bt_buf_adds(b, "</span> ");
		html_text(b, member_name(el, ci->member));
		bt_buf_adds(b, "</td>");
		td_open(r, "codes_issued");
		bt_buf_addf(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time></td>", t, t);
		td_open(r, "col_status");
		html_text(b, L(r, ci->revoked ? "codes_revoked" : "codes_in_force"));
		if (!ci->revoked) {
			bt_buf_adds(b, " · <a class=\"revoke\" href=\"/secretariat/c/");
			html_text(b, circular);
			bt_buf_addf(b, "/codes/revoke?member=%s\">", ci->member);
			html_text(b, L(r, "codes_revoke"));
			bt_buf_adds(b, "</a>");
		}
		bt_buf_adds(b, "</td></tr>\n");
	}
	bt_buf_adds(b, "</tbody>\n</table>\n");
}

void staff_codes_section(preq *r, const bt_consultation *c, const bt_member_list *el)
{
	bt_buf *b = &r->out;
	bt_code_info_list cl = { 0 };
	bt_err e;
	bt_buf_adds(b, "<section id=\"codes\">\n<h2>");
	html_text(b, L(r, "codes_title"));
	bt_buf_adds(b, "</h2>\n");
	if (bt_codes_list(r->db, c->circular, &cl, &e))
		html_engine_error(r, &e);
	else if (cl.n)
		codes_table(r, c->circular, &cl, el);
	int none = !cl.n;
	bt_code_info_list_free(&cl);
	if (c->closed || !el->n) {
		/* a heading with nothing under it said "none" */
		if (none) {
			bt_buf_adds(b, "<p class=\"none\">");
			html_text(b, L(r, "none"));
			bt_buf_adds(b, "</p>\n");
		}
		bt_buf_adds(b, "</section>\n");
		return;
	}
	bt_buf_adds(b, "<form method=\"post\" class=\"issue\" action=\"/secretariat/c/");
	html_text(b, c->circular);
	bt_buf_adds(b, "/codes/issue\">\n");
	html_csrf(r, r->s.csrf);
	char form[PORTAL_ONCE_FORM];
	staff_once_name(form, "code", c->circular);
	once_field(r, form);
	bt_buf_adds(b, "<label for=\"code-member\">");
	html_text(b, L(r, "col_member"));
	bt_buf_adds(b, "</label>\n");
	html_field_error(r, "code-member", NULL, "code-member");
	bt_buf_adds(b, "<select id=\"code-member\" name=\"member\" required");
	html_field_invalid(r, "code-member", NULL, "code-member");
	bt_buf_adds(b, ">\n<option value=\"\"></option>\n");
	int refused = r->refusal && !strcmp(r->refusal->field, "code-member");
	for (size_t i = 0; i < el->n; i++) {
		bt_buf_adds(b, "<option value=\"");
		html_text(b, el->v[i].code);
		bt_buf_addf(b, "\"%s>", refused && !strcmp(form_echo(r, "member"), el->v[i].code) ? " selected" : "");
		html_text(b, el->v[i].code);
		bt_buf_adds(b, " — ");
		html_text(b, el->v[i].name ? el->v[i].name : "");
		bt_buf_adds(b, "</option>\n");
	}
	bt_buf_adds(b, "</select>\n<p><small>");
	html_text(b, L(r, "codes_issue_help"));
	bt_buf_adds(b, "</small></p>\n<button type=\"submit\">");
	html_text(b, L(r, "codes_issue"));
	bt_buf_adds(b, "</button>\n</form>\n</section>\n");
}

/* One recorded decision in words, with its date and signed receipt. */
static void decision_item(preq *r, const bt_decision *x)
{
	bt_buf *b = &r->out;
	bt_buf who = BT_BUF_INIT;
	for (size_t i = 0; i < x->n; i++) {
		bt_buf_addf(&who, "%s" FSI "%s", i ? ", " : "", x->members[i].code);
		if (x->kind == BT_DECISION_APPROVED && x->members[i].note)
			bt_buf_addf(&who, " (%s)", x->members[i].note);
		bt_buf_adds(&who, PDI);
	}
	const char *key = x->kind == BT_DECISION_MORE_TIME	 ? "decide_text_more_time"
			  : x->kind == BT_DECISION_NOT_APPROVED ? "decide_text_not_approved"
			  : x->n			       ? "decide_text_reservations"
							       : "decide_text_approved";
	const char *vars[] = { "rec", x->rec, "members", bt_buf_str(&who), NULL };
	char day[BT_DATE_LEN];
	bt_date_format(x->date, day);
	bt_buf_addf(b, "<li data-seq=\"%lld\" data-rec=\"", (long long)x->seq);
	html_text(b, x->rec);
	bt_buf_addf(b, "\" data-kind=\"%s\">", bt_decision_kind_name(x->kind));
	bt_buf text = BT_BUF_INIT;
	Lplain(r, &text, key, vars);
	html_text_refs(b, bt_buf_str(&text));
	bt_buf_release(&text);
	bt_buf_addf(b, " — <time dir=\"ltr\" datetime=\"%s\">%s</time> · <a class=\"receipt-json\" "
		       "type=\"application/json\" href=\"/secretariat/receipt/%lld.json\">JSON</a></li>\n",
		    day, day, (long long)x->seq);
	bt_buf_release(&who);
}

void staff_decide_link(preq *r, const bt_consultation *c, const bt_tally *t)
{
	bt_buf *b = &r->out;
	if (!c->closed || !t->n)
		return;
	bt_buf_adds(b, "<section id=\"decision\">\n<h2>");
	html_text_refs(b, L(r, "decide_title"));
	bt_buf_adds(b, "</h2>\n");
	bt_decision_list dl = { 0 };
	bt_err e;
	if (bt_decisions_get(r->db, c->circular, r->now, &dl, &e))
		html_engine_error(r, &e);
	else if (dl.n) {
		bt_buf_adds(b, "<ul class=\"decisions\">\n");
		for (size_t i = 0; i < dl.n; i++)
			decision_item(r, &dl.v[i]);
		bt_buf_adds(b, "</ul>\n");
	}
	bt_decision_list_free(&dl);
	bt_buf_adds(b, "<p><a class=\"decide\" href=\"/secretariat/c/");
	html_text(b, c->circular);
	bt_buf_adds(b, "/decide\">");
	html_text(b, L(r, "decide_link"));
	bt_buf_adds(b, "</a></p>\n</section>\n");
}

/* ---- the decision (§9.5) ---- */

/* A decision read from a form: the spec and the storage it points into. */
typedef struct dec_in {
	bt_decision_spec s;
	char codes[DEC_MAX][4];
	const char *cp[DEC_MAX];
	char *notes[DEC_MAX];
	const char *np[DEC_MAX];
	size_t n;
} dec_in;

static void dec_free(dec_in *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->notes[i]);
	d->n = 0;
}

/* Adds member code (alpha-3 or alpha-2, resolved by the engine) with its
 * note (may be NULL; copied). */
static int dec_add(preq *r, dec_in *d, const char *field, const char *code, size_t len, const char *note,
		   bt_err *e)
{
	char raw[8];
	if (d->n == DEC_MAX)
		return bt_failf(e, BT_R_INPUT, field, "more than %d members", DEC_MAX);
	if (!len || len >= sizeof raw)
		return bt_failf(e, BT_R_INPUT, field, "'%.*s' is not a member code", (int)(len > 20 ? 20 : len), code);
	memcpy(raw, code, len);
	raw[len] = '\0';
	int rc = bt_member_resolve(r->db, field, raw, d->codes[d->n], e);
	if (rc)
		return rc;
	d->notes[d->n] = note ? strdup(note) : NULL;
	if (note && !d->notes[d->n])
		return bt_failf(e, BT_R_NOMEM, field, "out of memory");
	d->cp[d->n] = d->codes[d->n];
	d->np[d->n] = d->notes[d->n] ? d->notes[d->n] : "";
	d->n++;
	return 0;
}

/* "CHE FRA, DEU": each code. */
static int dec_codes(preq *r, dec_in *d, const char *field, const char *v, bt_err *e)
{
	while (*v) {
		size_t sp = strspn(v, " ,;\t\r\n");
		v += sp;
		size_t n = strcspn(v, " ,;\t\r\n");
		if (n && dec_add(r, d, field, v, n, NULL, e))
			return -1;
		v += n;
	}
	return 0;
}

/* One "CODE: text" per line. */
static int dec_reservations(preq *r, dec_in *d, const char *v, bt_err *e)
{
	char line[2100];
	while (*v) {
		size_t n = strcspn(v, "\r\n");
		if (n >= sizeof line)
			return bt_failf(e, BT_R_INPUT, "reservation", "a line over %zu bytes", sizeof line - 1);
		memcpy(line, v, n);
		line[n] = '\0';
		v += n + strspn(v + n, "\r\n");
		char *s = line + strspn(line, " \t");
		if (!*s)
			continue;
		char *colon = strchr(s, ':');
		const char *text = colon ? colon + 1 + strspn(colon + 1, " \t") : "";
		if (!colon || colon == s || !*text)
			return bt_failf(e, BT_R_INPUT, "reservation", "'%.40s' is not CODE: text", s);
		size_t cl = (size_t)(colon - s);
		while (cl && s[cl - 1] == ' ')
			cl--;
		if (dec_add(r, d, "reservation", s, cl, text, e))
			return -1;
	}
	return 0;
}

/* Reads the decision fields (draft, kind, members, reservations, date) of
 * the query (post 0) or the POST form into d, for circular. */
static int dec_read(preq *r, int post, const char *circular, dec_in *d, bt_err *e)
{
	memset(d, 0, sizeof *d);
	const char *rec = arg(r, post, "draft"), *kind = arg(r, post, "kind"), *date = arg(r, post, "date");
	d->s.circular = circular;
	d->s.rec = *rec ? rec : NULL;
	if (!strcmp(kind, "approved"))
		d->s.kind = BT_DECISION_APPROVED;
	else if (!strcmp(kind, "more-time"))
		d->s.kind = BT_DECISION_MORE_TIME;
	else if (!strcmp(kind, "not-approved"))
		d->s.kind = BT_DECISION_NOT_APPROVED;
	else
		return bt_failf(e, BT_R_INPUT, "kind", "'%.40s' is not approved, more-time or not-approved", kind);
	if (*date) {
		if (bt_date_parse(date, "date", &d->s.date, e))
			return -1;
		d->s.has_date = 1;
	}
	int rc = d->s.kind == BT_DECISION_APPROVED
			 ? dec_reservations(r, d, arg(r, post, "reservations"), e)
			 : dec_codes(r, d, d->s.kind == BT_DECISION_MORE_TIME ? "more_time" : "opposed_by",
				     arg(r, post, "members"), e);
	if (rc)
		return -1;
	d->s.codes = d->cp;
	d->s.notes = d->s.kind == BT_DECISION_APPROVED ? d->np : NULL;
	d->s.n_codes = d->n;
	return 0;
}

/* The decision's text in r's language: "Q.5051: approved, with
 * reservations by CHE (text)" and so on. */
static void dec_text(preq *r, bt_buf *b, const dec_in *d)
{
	bt_buf who = BT_BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		bt_buf_addf(&who, "%s" FSI "%s", i ? ", " : "", d->codes[i]);
		if (d->s.kind == BT_DECISION_APPROVED && d->notes[i])
			bt_buf_addf(&who, " (%s)", d->notes[i]);
		bt_buf_adds(&who, PDI);
	}
	const char *key = d->s.kind == BT_DECISION_MORE_TIME	 ? "decide_text_more_time"
			  : d->s.kind == BT_DECISION_NOT_APPROVED ? "decide_text_not_approved"
			  : d->n				 ? "decide_text_reservations"
								 : "decide_text_approved";
	const char *vars[] = { "rec", d->s.rec ? d->s.rec : "", "members", bt_buf_str(&who), NULL };
	bt_buf text = BT_BUF_INIT;
	Lplain(r, &text, key, vars);
	html_text_refs(b, bt_buf_str(&text));
	bt_buf_release(&text);
	bt_buf_release(&who);
}

static void radio(preq *r, const char *id, const char *value, const char *key, int checked, const char *rec)
{
	bt_buf_addf(&r->out, "<label for=\"%s\"><input type=\"radio\" id=\"%s\" name=\"kind\" value=\"%s\"%s", id, id,
		    value, checked ? " checked" : "");
	html_field_invalid(r, "kind", rec, id);
	bt_buf_adds(&r->out, "> ");
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "</label>\n");
}

/* The value of name the refused decision form of draft rec was sent with
 * (the query of the confirmation page, or the POST), else "". */
static const char *dec_echo(preq *r, const char *rec, const char *name)
{
	int post = !strcmp(r->method, "POST");
	if (!r->refusal || strcmp(arg(r, post, "draft"), rec))
		return "";
	return arg(r, post, name);
}

/* A labelled field of the decision form of draft d: its sentence when
 * the refusal shown concerns field (or field2), what was typed. */
static void dec_field(preq *r, const bt_draft *d, const char *id, const char *key, const char *field,
		      const char *field2)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<label for=\"%s\">", id);
	html_text(b, L(r, key));
	bt_buf_adds(b, "</label>\n");
	html_field_error(r, field, d->rec, id);
	if (field2)
		html_field_error(r, field2, d->rec, id);
	int area = !strcmp(field, "reservation");
	const char *name = area ? "reservations" : field2 ? "members" : field;
	bt_buf_addf(b, area ? "<textarea id=\"%s\" name=\"%s\" rows=\"2\" maxlength=\"4000\" placeholder=\"CHE: …\""
			    : "<input type=\"text\" id=\"%s\" name=\"%s\"", id, name);
	html_field_invalid(r, field, d->rec, id);
	if (field2)
		html_field_invalid(r, field2, d->rec, id);
	if (area) {
		bt_buf_adds(b, ">");
		html_text(b, dec_echo(r, d->rec, name));
		bt_buf_adds(b, "</textarea>\n");
		return;
	}
	bt_buf_addf(b, " maxlength=\"%d\" placeholder=\"%s\" dir=\"ltr\" value=\"", field2 ? 400 : 10,
		    field2 ? "CHE, FRA" : "YYYY-MM-DD");
	html_text(b, dec_echo(r, d->rec, name));
	bt_buf_adds(b, "\">\n");
}

/* The form of one draft's decision: a GET to the confirmation page. */
static void dec_form(preq *r, const char *circular, const bt_draft *d, size_t i)
{
	bt_buf *b = &r->out;
	char id[48];
	bt_buf_adds(b, "<form method=\"get\" class=\"decide\" data-rec=\"");
	html_text(b, d->rec);
	bt_buf_adds(b, "\" action=\"/secretariat/c/");
	html_text(b, circular);
	bt_buf_adds(b, "/decide\">\n<input type=\"hidden\" name=\"draft\" value=\"");
	html_text(b, d->rec);
	bt_buf_adds(b, "\">\n<fieldset class=\"choices\">\n<legend>");
	html_text(b, L(r, "decide_kind_label"));
	bt_buf_adds(b, "</legend>\n");
	snprintf(id, sizeof id, "kind-%zu-0", i);
	html_field_error(r, "kind", d->rec, id);
	static const char *const kinds[][2] = { { "approved", "decide_approved" },
						{ "more-time", "decide_more_time" },
						{ "not-approved", "decide_not_approved" } };
	const char *was = dec_echo(r, d->rec, "kind");
	for (size_t k = 0; k < 3; k++) {
		snprintf(id, sizeof id, "kind-%zu-%zu", i, k);
		radio(r, id, kinds[k][0], kinds[k][1], *was ? !strcmp(was, kinds[k][0]) : k == 0, d->rec);
	}
	bt_buf_adds(b, "</fieldset>\n");
	snprintf(id, sizeof id, "res-%zu", i);
	dec_field(r, d, id, "decide_reservations_label", "reservation", NULL);
	snprintf(id, sizeof id, "mem-%zu", i);
	dec_field(r, d, id, "decide_members_label", "opposed_by", "more_time");
	snprintf(id, sizeof id, "date-%zu", i);
	dec_field(r, d, id, "decide_date_label", "date", NULL);
	bt_buf_adds(b, "<p><button type=\"submit\">");
	html_text(b, L(r, "decide_next"));
	bt_buf_adds(b, "</button></p>\n</form>\n");
}

/* Where the refusal shown goes on the decision forms: the form of the
 * draft it was sent for (draft index i), the field it names. */
static void dec_place(preq *r, const bt_draft_list *dl)
{
	prefusal *x = r->refusal;
	if (!x)
		return;
	const char *rec = arg(r, !strcmp(r->method, "POST"), "draft");
	snprintf(x->rec, sizeof x->rec, "%s", rec);
	for (size_t i = 0; i < dl->n; i++) {
		if (strcmp(dl->v[i].rec, rec))
			continue;
		const char *f = x->field;
		if (!strcmp(f, "kind"))
			snprintf(x->anchor, sizeof x->anchor, "kind-%zu-0", i);
		else if (!strcmp(f, "reservation"))
			snprintf(x->anchor, sizeof x->anchor, "res-%zu", i);
		else if (!strcmp(f, "opposed_by") || !strcmp(f, "more_time"))
			snprintf(x->anchor, sizeof x->anchor, "mem-%zu", i);
		else if (!strcmp(f, "date"))
			snprintf(x->anchor, sizeof x->anchor, "date-%zu", i);
	}
}

/* Why draft rec is not ready for approval, in the page's language: the
 * rule's own verdict on its count in t (bt_rule_verdict: no replies, too
 * few, support below or not above the threshold). Nothing unless t has the
 * draft not ready by a count that fails. */
static void dec_why_not_ready(preq *r, const bt_tally *t, const char *rec)
{
	static const char *const keys[] = { [BT_RULE_NO_REPLIES] = "decide_why_no_replies",
					    [BT_RULE_TOO_FEW] = "decide_why_too_few",
					    [BT_RULE_BELOW] = "decide_why_below",
					    [BT_RULE_NOT_ABOVE] = "decide_why_not_above" };
	static const char *const words[] = { [BT_RULE_NO_REPLIES] = "no-replies", [BT_RULE_TOO_FEW] = "too-few",
					     [BT_RULE_BELOW] = "below", [BT_RULE_NOT_ABOVE] = "not-above" };
	const bt_rule *rule = bt_rule_find(t->rule);
	const bt_draft_tally *d = NULL;
	for (size_t k = 0; rule && k < t->n && !d; k++)
		if (!strcmp(t->drafts[k].rec, rec) && !strcmp(t->drafts[k].state, BT_STATE_NOT_READY))
			d = &t->drafts[k];
	bt_rule_why why = d ? bt_rule_verdict(rule, d->support, d->replies) : BT_RULE_PASSES;
	if (why == BT_RULE_PASSES || (size_t)why >= sizeof keys / sizeof *keys)
		return;
	char pct[16], replies[16], min[16], thr[16];
	snprintf(pct, sizeof pct, "%d.%d", d->support_pct10 < 0 ? 0 : d->support_pct10 / 10,
		 d->support_pct10 < 0 ? 0 : d->support_pct10 % 10);
	snprintf(replies, sizeof replies, "%d", d->replies);
	snprintf(min, sizeof min, "%d", rule->min_replies);
	snprintf(thr, sizeof thr, "%d", rule->threshold_pct);
	const char *v[] = { "pct", pct, "replies", replies, "min", min, "threshold", thr,
			    "clause", rule->clause, NULL };
	bt_buf_addf(&r->out, "<p class=\"why\" data-why=\"%s\">", words[why]);
	Lf(r, &r->out, keys[why], v);
	bt_buf_adds(&r->out, "</p>\n");
}

/* GET .../decide without a kind: a form per draft awaiting its decision;
 * a draft not ready says why. */
static int dec_forms_page(preq *r, const bt_consultation *c)
{
	bt_err e;
	bt_draft_list dl = { 0 };
	bt_tally t;
	memset(&t, 0, sizeof t);
	if (bt_drafts_list(r->db, c->circular, &dl, &e) || bt_tally_compute(r->db, c->circular, r->now, &t, &e)) {
		bt_draft_list_free(&dl);
		bt_tally_free(&t);
		return page_engine_error(r, &e);
	}
	dec_place(r, &dl);
	const char *cv[] = { "circular", c->circular, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "decide_page_title", cv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	html_refusal_summary(r);
	for (size_t i = 0; i < dl.n; i++) {
		const bt_draft *d = &dl.v[i];
		bt_buf_addf(b, "<section class=\"draft\" data-rec=\"%s\" data-state=\"%s\">\n<h2>", d->rec, d->state);
		Lspan(r, b, "rec_name", "rec", d->rec, "draft");
		bt_buf_adds(b, " — ");
		html_text(b, d->title ? d->title : "");
		bt_buf_adds(b, "</h2>\n<p>");
		html_text(b, L(r, "col_state"));
		bt_buf_adds(b, ": <strong class=\"state\">");
		html_word(r, portal_state_words, d->state);
		bt_buf_adds(b, "</strong></p>\n");
		dec_why_not_ready(r, &t, d->rec);
		if (!strcmp(d->state, BT_STATE_READY) || !strcmp(d->state, BT_STATE_MORE_TIME))
			dec_form(r, c->circular, d, i);
		bt_buf_adds(b, "</section>\n");
	}
	bt_buf_adds(b, "<p><a href=\"/secretariat/c/");
	html_text(b, c->circular);
	bt_buf_adds(b, "\">");
	html_text(b, L(r, "cancel_back"));
	bt_buf_adds(b, "</a></p>\n");
	page_end(r);
	bt_draft_list_free(&dl);
	bt_tally_free(&t);
	return 0;
}

/* The confirmation: the decision's text, the fields again (hidden), the
 * button naming the act. */
static int dec_confirm_page(preq *r, const bt_consultation *c, const dec_in *d)
{
	const char *cv[] = { "circular", c->circular, "rec", d->s.rec ? d->s.rec : "", NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "decide_page_title", cv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p class=\"note\">");
	html_text(b, L(r, "decide_confirm_what"));
	bt_buf_adds(b, "</p>\n<blockquote class=\"decision-text\">");
	dec_text(r, b, d);
	if (d->s.has_date) {
		char day[BT_DATE_LEN];
		bt_date_format(d->s.date, day);
		bt_buf_addf(b, " — <time dir=\"ltr\" datetime=\"%s\">%s</time>", day, day);
	}
	bt_buf_adds(b, "</blockquote>\n");
	static const char *const names[] = { "draft", "kind", "members", "reservations", "date" };
	const char *fields[11];
	for (size_t i = 0; i < 5; i++) {
		fields[2 * i] = names[i];
		fields[2 * i + 1] = arg(r, 0, names[i]);
	}
	fields[10] = NULL;
	char action[200], form[PORTAL_ONCE_FORM];
	snprintf(action, sizeof action, "/secretariat/c/%s/decide", c->circular);
	staff_once_name(form, "decide", c->circular);
	staff_confirm_form(r, action, form, fields, "decide_confirm_button", cv, action);
	page_end(r);
	return 0;
}

/* A refused decision: the decision forms again, what was sent kept in
 * the draft's form, the sentence next to the field; else the error page. */
static int dec_refused(preq *r, const bt_consultation *c, const bt_err *e)
{
	if (!form_refused(e))
		return page_engine_error(r, e);
	prefusal x;
	form_refusal(r, &x, 0, e);
	dec_forms_page(r, c);
	r->refusal = NULL;
	return 0;
}

int page_secretariat_decide(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	if (!*arg(r, 0, "kind"))
		return dec_forms_page(r, &c);
	dec_in d;
	bt_err e;
	int rc = dec_read(r, 0, c.circular, &d, &e);
	if (!rc && !d.s.rec)
		rc = bt_failf(&e, BT_R_INPUT, "draft", "no draft chosen");
	if (rc)
		dec_refused(r, &c, &e);
	else
		dec_confirm_page(r, &c, &d);
	dec_free(&d);
	return 0;
}

int page_secretariat_decide_post(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	char actor[96], path[160], form[PORTAL_ONCE_FORM];
	staff_once_name(form, "decide", c.circular);
	if (!once_begin(r, form))
		return 0;
	dec_in d;
	bt_err e;
	int rc = dec_read(r, 1, c.circular, &d, &e);
	if (!rc && !d.s.rec)
		rc = bt_failf(&e, BT_R_INPUT, "draft", "no draft chosen");
	if (!rc) {
		portal_actor(r, actor, sizeof actor);
		rc = bt_decide(r->db, &d.s, actor, r->now, NULL, &e);
	}
	dec_free(&d);
	snprintf(path, sizeof path, "/secretariat/c/%s#decision", c.circular);
	once_done(r, rc ? NULL : path);
	return rc ? dec_refused(r, &c, &e) : 0;
}

/* ---- reply codes ---- */

/* Keeps new code c of circular for r's session (session_keep), its
 * handle in handle. */
static int new_code_keep(preq *r, const char *circular, const bt_code_issued *c, char handle[33], bt_err *e)
{
	char v[PORTAL_KEPT_VALUE];
	snprintf(v, sizeof v, "%s\n%s\n%s", circular, c->member, c->code);
	int rc = session_keep(r->p->sessions, r->session_token, v, portal_mono_ms(), handle);
	explicit_bzero(v, sizeof v);
	return rc ? bt_failf(e, BT_R_NOMEM, NULL, "no room to keep the new code for this session") : 0;
}

/* Takes (and forgets) the code kept under handle for r's session and
 * circular: 0, or -1 when there is none (shown already, expired, another
 * session's or circular's). */
static int new_code_take(preq *r, const char *circular, const char *handle, bt_code_issued *out)
{
	char v[PORTAL_KEPT_VALUE];
	if (session_take(r->p->sessions, r->session_token, handle, portal_mono_ms(), v, sizeof v))
		return -1;
	char *m = strchr(v, '\n'), *k = m ? strchr(m + 1, '\n') : NULL;
	int rc = -1;
	if (k && (size_t)(m - v) == strlen(circular) && !strncmp(v, circular, (size_t)(m - v))) {
		snprintf(out->member, sizeof out->member, "%.*s", (int)(k - m - 1), m + 1);
		snprintf(out->code, sizeof out->code, "%s", k + 1);
		rc = 0;
	}
	explicit_bzero(v, sizeof v);
	return rc;
}

int staff_codes_issue(preq *r, const bt_consultation *cp, prefusal *x)
{
	bt_consultation c = *cp;
	char actor[96], token[33] = "", path[200], form[PORTAL_ONCE_FORM];
	staff_once_name(form, "code", c.circular);
	if (!once_begin(r, form))
		return 0;
	const char *member = pform_get(&r->form, "member");
	portal_actor(r, actor, sizeof actor);
	bt_code_list l = { 0 };
	bt_err e;
	int rc = *member ? bt_codes_issue(r->db, c.circular, member, actor, r->now, &l, &e)
			 : bt_failf(&e, BT_R_INPUT, "member", "no Member State chosen");
	if (!rc && l.n != 1)
		rc = bt_failf(&e, BT_R_IO, "member", "%zu codes issued for one member", l.n);
	if (!rc)
		rc = new_code_keep(r, c.circular, &l.v[0], token, &e);
	if (l.n)
		explicit_bzero(l.v, l.n * sizeof *l.v);
	bt_code_list_free(&l);
	snprintf(path, sizeof path, "/secretariat/c/%s/codes/new?t=%s", c.circular, token);
	once_done(r, rc ? NULL : path);
	if (rc && form_refused(&e)) {
		/* the codes form's own field: not the entry form's "member" */
		form_refusal(r, x, 0, &e);
		snprintf(x->field, sizeof x->field, "code-member");
		snprintf(x->anchor, sizeof x->anchor, "code-member");
		return 1;
	}
	return rc ? page_engine_error(r, &e) : 0;
}

int page_secretariat_codes_new(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c))
		return 0;
	bt_code_issued nc;
	if (new_code_take(r, c.circular, arg(r, 0, "t"), &nc))
		return page_error(r, 404, L(r, "codes_gone"));
	const char *cv[] = { "circular", c.circular, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "codes_new_title", cv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p class=\"note\">");
	html_text(b, L(r, "codes_once"));
	bt_buf_adds(b, "</p>\n<dl class=\"receipt\">\n<dt>");
	html_text(b, nc.member);
	bt_buf_adds(b, "</dt><dd><code class=\"reply-code\" dir=\"ltr\">");
	html_text(b, nc.code);
	bt_buf_adds(b, "</code></dd>\n</dl>\n<p><a href=\"/secretariat/c/");
	explicit_bzero(&nc, sizeof nc);
	html_text(b, c.circular);
	bt_buf_adds(b, "#codes\">");
	Lspan(r, b, "circular_name", "circular", c.circular, "circular");
	bt_buf_adds(b, "</a></p>\n");
	page_end(r);
	return 0;
}

int page_secretariat_codes_revoke_confirm(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	char code[4];
	bt_err e;
	if (bt_member_resolve(r->db, "member", arg(r, 0, "member"), code, &e))
		return page_engine_error(r, &e);
	const char *cv[] = { "circular", c.circular, "member", code, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "codes_revoke_title", cv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p class=\"note\">");
	Lf(r, b, "codes_revoke_what", cv);
	bt_buf_adds(b, "</p>\n");
	char action[200], back[200], form[PORTAL_ONCE_FORM];
	snprintf(action, sizeof action, "/secretariat/c/%s/codes/revoke", c.circular);
	snprintf(back, sizeof back, "/secretariat/c/%s#codes", c.circular);
	staff_once_name(form, "revoke", c.circular);
	const char *fields[] = { "member", code, NULL };
	staff_confirm_form(r, action, form, fields, "codes_revoke_button", cv, back);
	page_end(r);
	return 0;
}

int page_secretariat_codes_revoke(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	char actor[96], path[160], form[PORTAL_ONCE_FORM];
	staff_once_name(form, "revoke", c.circular);
	if (!once_begin(r, form))
		return 0;
	const char *member = pform_get(&r->form, "member");
	portal_actor(r, actor, sizeof actor);
	bt_err e;
	int rc = *member ? bt_codes_revoke(r->db, c.circular, member, actor, r->now, &e)
			 : bt_failf(&e, BT_R_INPUT, "member", "no Member State chosen");
	snprintf(path, sizeof path, "/secretariat/c/%s#codes", c.circular);
	once_done(r, rc ? NULL : path);
	return rc ? page_engine_error(r, &e) : 0;
}

int page_secretariat_attachment(preq *r, const char *id)
{
	char *end;
	long long v = strtoll(id, &end, 10);
	if (*end || v <= 0)
		return page_field_error(r, BT_R_NOT_FOUND, "attachment", "'%.40s' is not an attachment number", id);
	bt_err e;
	bt_buf_reset(&r->out);
	if (bt_attachment_content(r->db, v, &r->out, &e)) {
		bt_buf_reset(&r->out);
		return page_engine_error(r, &e);
	}
	r->ctype = "application/octet-stream";
	snprintf(r->filename, sizeof r->filename, "attachment-%lld", v);
	return 0;
}
