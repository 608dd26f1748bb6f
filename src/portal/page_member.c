/* page_member.c - the pages of an administration (page_member.h): its
 * consultations, the reply form (the Annex 2 form's choices, one row per
 * draft), the receipt, and its history. An administration sees and changes
 * only its own replies, and with a reply code only that code's consultation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include "ballot/audit.h"
#include "pdf/annex2.h"
#include "pdf/tmpl.h"
#include "portal/answer.h"
#include "portal/circular.h"
#include "portal/error.h"
#include "portal/form.h"
#include "portal/html.h"
#include "portal/identity.h"
#include "portal/returned.h"
#include "portal/once.h"
#include "portal/doc_links.h"
#include "portal/page_member.h"
#include "portal/receipt_block.h"

/* Annex 2 words of r's language, escaped. */
static void A(preq *r, bt_buf *out, const char *key, const char *const *vars)
{
	html_words(out, ((const annex2_lang *)r->lang->annex2)->t, key, vars);
}

/* 1 when the signed-in administration may see circular: its code's
 * consultation (or any, with a certificate) and it is in the electorate. */
static int may_see(preq *r, const char *circular)
{
	const bt_identity *id = &r->s.id;
	int in = 0;
	bt_err e;
	if (id->circular[0] && strcasecmp(id->circular, circular))
		return 0;
	return bt_electorate_has(r->db, circular, id->member, &in, &e) == BT_OK && in;
}

/* Loads circular for the signed-in administration; 0 when it may see it.
 * One answer, 403, for a circular that does not exist and for one outside
 * its scope or electorate, so that no administration learns which
 * circulars exist (a code's scope is checked before any look-up). */
int member_load_own(preq *r, const char *circular, bt_consultation *c)
{
	const bt_identity *id = &r->s.id;
	bt_err e;
	if (id->circular[0] && strcasecmp(id->circular, circular))
		return page_error(r, 403, L(r, "err_scope")), -1;
	int rc = bt_consultation_get(r->db, circular, c, &e);
	if (rc == BT_EINPUT || (rc == BT_OK && !may_see(r, c->circular)))
		return page_error(r, 403, L(r, "err_scope")), -1;
	if (rc)
		return page_engine_error(r, &e), -1;
	return 0;
}

/* The form name of c's reply form (its single-use tokens, once.h). */
static void reply_form_name(const bt_consultation *c, char out[PORTAL_ONCE_FORM])
{
	snprintf(out, PORTAL_ONCE_FORM, "m:%s", c->circular);
}

int member_is_open(const preq *r, const bt_consultation *c)
{
	return !c->closed && r->now <= c->deadline;
}

/* The single-use token field of c's reply form, when open (once.h). */
static void reply_once_field(preq *r, const bt_consultation *c, int open)
{
	char form[PORTAL_ONCE_FORM];
	reply_form_name(c, form);
	if (open)
		once_field(r, form);
}

/* The circular's date and, while open, the time left to the deadline
 * ("3 d 4 h left"), computed here: the page needs no script. */
static void facts(preq *r, const bt_consultation *c)
{
	bt_buf *b = &r->out;
	char cd[BT_DATE_LEN];
	bt_date_format(c->date, cd);
	bt_buf_adds(b, "<p class=\"facts\"><span class=\"circular-date\">");
	Lspan(r, b, "circular_date", "date", cd, "date");
	bt_buf_adds(b, "</span>");
	if (member_is_open(r, c)) {
		long long left = (long long)(c->deadline - r->now);
		char d[24], h[24], m[24];
		snprintf(d, sizeof d, "%lld", left / 86400);
		snprintf(h, sizeof h, "%lld", left % 86400 / 3600);
		snprintf(m, sizeof m, "%lld", left % 3600 / 60);
		const char *lv[] = { "days", d, "hours", h, NULL }, *sv[] = { "hours", h, "minutes", m, NULL };
		bt_buf_addf(b, " · <strong class=\"time-left\" data-seconds=\"%lld\">", left);
		Lf(r, b, left >= 86400 ? "time_left" : "time_left_short", left >= 86400 ? lv : sv);
		bt_buf_adds(b, "</strong>");
	}
	bt_buf_adds(b, "</p>\n");
}

/* A draft's title or summary (text, the one in the page's language: in)
 * as the reader's language has it; the English one, marked as English for
 * screen readers, where none was recorded in that language. */
static void text_in(bt_buf *b, const char *in, const char *english)
{
	if (in) {
		html_text(b, in);
		return;
	}
	bt_buf_adds(b, "<span lang=\"en\" dir=\"ltr\">");
	html_text(b, english);
	bt_buf_adds(b, "</span>");
}

/* The draft's title in the page's language. */
static void draft_title(preq *r, const bt_draft *dr)
{
	text_in(&r->out, bt_draft_title_in(dr, r->lang->code), dr->title);
}

/* A draft's summary and the SHA-256 of its text as the engine stored it
 * (draft add --text). The title and summary are the page language's
 * (draft add --title-fr, draft set), else the English ones. */
static void draft_facts(preq *r, const char *circular, const bt_draft *dr)
{
	bt_buf *b = &r->out;
	if (dr->summary && *dr->summary) {
		bt_buf_adds(b, "<p class=\"summary\"><strong>");
		html_text(b, L(r, "summary_label"));
		bt_buf_adds(b, "</strong> ");
		text_in(b, bt_draft_summary_in(dr, r->lang->code), dr->summary);
		bt_buf_adds(b, "</p>\n");
	}
	if (dr->text_sha256[0]) {
		bt_buf_adds(b, "<p class=\"text-hash\">");
		html_text(b, L(r, "text_sha256_label"));
		bt_buf_addf(b, " <code class=\"text-sha256\" dir=\"ltr\">%s</code></p>\n", dr->text_sha256);
		html_draft_text_link(r, "/member", circular, dr); /* when the text is kept */
	}
}

/* The member's last reply or withdrawal on rec in h (its whole history, or
 * bt_history_in_force's one per draft), or NULL. */
static const bt_history_item *on_record(const bt_history *h, const char *rec)
{
	const bt_history_item *last = NULL;
	for (size_t i = 0; i < h->n; i++) {
		const bt_history_item *it = &h->v[i];
		if ((!strcmp(it->kind, "reply") || !strcmp(it->kind, "withdrawal")) && !strcmp(it->rec, rec) &&
		    (!last || it->received >= last->received))
			last = it;
	}
	return last;
}

static void reply_cell(preq *r, const bt_history_item *it)
{
	bt_buf *b = &r->out;
	if (!it) {
		html_text(b, L(r, "no_reply"));
		return;
	}
	char t[BT_TIME_LEN];
	bt_time_format(it->received, t);
	html_word(r, portal_choice_words, it->what);
	bt_buf_addf(b, " <small>(<time dir=\"ltr\" datetime=\"%s\">%s</time>", t, t);
	if (it->status[0] && strcmp(it->status, "counted") && strcmp(it->status, "withdrawal")) {
		bt_buf_adds(b, ", ");
		html_word(r, portal_status_words, it->status);
	}
	bt_buf_addf(b, ", <a href=\"/member/receipt/%lld\" dir=\"ltr\">#%lld</a>)</small>", (long long)it->reply_id,
		    (long long)it->reply_id);
}

/* The section of consultation c on the administration's home page: its
 * drafts and the reply on record for each; in their place the banner when
 * its rows disagree with their events or cannot be read. */
static void home_section(preq *r, const bt_consultation *c)
{
	bt_buf *b = &r->out;
	bt_err e;
	bt_draft_list dl = { 0 };
	bt_history h = { 0 };
	bt_buf_addf(b, "<section class=\"consultation\" id=\"c-");
	html_text(b, c->circular);
	bt_buf_adds(b, "\">\n<h2>");
	Lspan(r, b, "circular_name", "circular", c->circular, "circular");
	bt_buf_addf(b, " — SG%d</h2>\n", c->group);
	if (bt_audit_circular(r->db, c->circular, &e) || bt_drafts_list(r->db, c->circular, &dl, &e) ||
	    bt_history_in_force(r->db, c->circular, r->s.id.member, &h, &e)) {
		html_engine_error(r, &e);
		bt_buf_adds(b, "</section>\n");
		bt_draft_list_free(&dl);
		return;
	}
	html_consultation_line(r, c);
	facts(r, c);
	bt_buf_adds(b, "<table class=\"stack\">\n<tr><th>");
	html_text(b, L(r, "col_draft"));
	bt_buf_adds(b, "</th><th>");
	html_text(b, L(r, "col_reply"));
	bt_buf_adds(b, "</th></tr>\n");
	for (size_t d = 0; d < dl.n; d++) {
		bt_buf_adds(b, "<tr><td data-label=\"");
		html_text(b, L(r, "col_draft"));
		bt_buf_adds(b, "\">");
		Lspan(r, b, "rec_name", "rec", dl.v[d].rec, "draft");
		bt_buf_adds(b, " — ");
		draft_title(r, &dl.v[d]);
		draft_facts(r, c->circular, &dl.v[d]);
		bt_buf_adds(b, "</td><td data-label=\"");
		html_text(b, L(r, "col_reply"));
		bt_buf_adds(b, "\">");
		reply_cell(r, on_record(&h, dl.v[d].rec));
		bt_buf_adds(b, "</td></tr>\n");
	}
	bt_buf_adds(b, "</table>\n<p><a class=\"action\" href=\"/member/c/");
	html_text(b, c->circular);
	bt_buf_adds(b, "\">");
	html_text(b, L(r, member_is_open(r, c) ? "reply_link" : "view_link"));
	bt_buf_adds(b, "</a></p>\n</section>\n");
	bt_draft_list_free(&dl);
	bt_history_free(&h);
}

int page_member_home(preq *r)
{
	bt_err e;
	bt_consultation_list cl = { 0 };
	/* one query for the member's consultations, whatever the others */
	if (bt_consultations_of_member(r->db, r->s.id.member, &cl, &e))
		return page_engine_error(r, &e);
	const char *vars[] = { "member", r->s.id.member, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "member_home", vars);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	int shown = 0;
	const char *scope = r->s.id.circular;
	for (size_t i = 0; i < cl.n; i++)
		if (!scope[0] || !strcasecmp(scope, cl.v[i].circular)) {
			home_section(r, &cl.v[i]);
			shown++;
		}
	bt_consultation_list_free(&cl);
	if (!shown) {
		bt_buf_adds(b, "<p>");
		html_text(b, L(r, "none"));
		bt_buf_adds(b, "</p>\n");
	}
	bt_buf_adds(b, "<p><a href=\"/member/history\">");
	html_text(b, L(r, "history_link"));
	bt_buf_adds(b, "</a></p>\n");
	page_end(r);
	return 0;
}

/* One choice of draft row n (of draft rec): checked when it is the one
 * posted (a refused form shown again), else the first ("keep"). */
static void radio(preq *r, size_t n, const char *rec, const char *value, int disabled, const char *key,
		  const char *const *vars, int annex)
{
	bt_buf *b = &r->out;
	char name[32], id[48];
	snprintf(name, sizeof name, "choice-%zu", n);
	snprintf(id, sizeof id, "choices-%zu", n);
	/* the two options of "authorizes" sit under it, as on the form */
	int sub = !strncmp(value, "authorize", 9);
	bt_buf_addf(b, "<label%s><input type=\"radio\" name=\"%s\" value=\"%s\"%s%s", sub ? " class=\"sub\"" : "",
		    name, value, !strcmp(form_echo(r, name), value) ? " checked" : "", disabled ? " disabled" : "");
	html_field_invalid(r, "choice", rec, id);
	bt_buf_adds(b, "> ");
	if (annex)
		A(r, b, key, vars);
	else
		html_text(b, L(r, key));
	bt_buf_adds(b, "</label>\n");
}

/* Links to the administration's consultations and its history. */
static void member_links(preq *r)
{
	bt_buf_adds(&r->out, "<p><a href=\"/member\">");
	html_text(&r->out, L(r, "consultations"));
	bt_buf_adds(&r->out, "</a> · <a href=\"/member/history\">");
	html_text(&r->out, L(r, "history_link"));
	bt_buf_adds(&r->out, "</a></p>\n");
}

/* A text field of the reply form (disabled unless open), with what was
 * typed when a refused form is shown again. */
static void text_field(preq *r, const char *name, const char *label_key, int open)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<label for=\"%s\">", name);
	html_text(b, L(r, label_key));
	bt_buf_addf(b, "</label>\n");
	html_field_error(r, name, NULL, name);
	bt_buf_addf(b, "<input type=\"text\" id=\"%s\" name=\"%s\" maxlength=\"200\" value=\"", name, name);
	html_text(b, form_echo(r, name));
	bt_buf_addf(b, "\"%s", open ? "" : " disabled");
	html_field_invalid(r, name, NULL, name);
	bt_buf_adds(b, ">\n");
}

/* The signatory's name and official title (disabled unless open). */
static void signatory_fieldset(preq *r, int open)
{
	bt_buf_adds(&r->out, "<fieldset>");
	text_field(r, "signatory", "signatory_label", open);
	text_field(r, "title", "official_title_label", open);
	bt_buf_adds(&r->out, "</fieldset>\n");
}

/* The fieldset of draft number d (from 0) on the reply form: its title,
 * summary and text hash, the reply on record (cur), the choices (disabled
 * unless open), a file. */
static void draft_fieldset(preq *r, size_t d, const bt_draft *dr, const bt_history_item *cur, int open,
			   const char *const *sgv, const char *circular)
{
	bt_buf *b = &r->out;
	int in_force = cur && strcmp(cur->what, "withdraw") && strcmp(cur->kind, "withdrawal");
	const char *rv[] = { "rec", dr->rec, NULL };
	bt_buf_addf(b, "<fieldset class=\"draft\" id=\"draft-%zu\"><legend>", d + 1);
	A(r, b, dr->revised ? "row_revised" : "row_new", rv);
	bt_buf_adds(b, "</legend>\n<p class=\"title\">");
	draft_title(r, dr);
	bt_buf_adds(b, "</p>\n");
	draft_facts(r, circular, dr);
	bt_buf_adds(b, "<p class=\"current\">");
	html_text(b, L(r, "col_reply"));
	bt_buf_adds(b, ": ");
	reply_cell(r, cur);
	bt_buf_addf(b, "</p>\n<div class=\"choices\" id=\"choices-%zu\">\n", d + 1);
	char id[32];
	snprintf(id, sizeof id, "choices-%zu", d + 1);
	html_field_error(r, "choice", dr->rec, id);
	radio(r, d + 1, dr->rec, "", !open, "choice_keep", NULL, 0);
	bt_buf_adds(b, "<p>");
	A(r, b, "authorizes", sgv);
	bt_buf_adds(b, "</p>\n");
	radio(r, d + 1, dr->rec, "authorize", !open, "no_comments", NULL, 1);
	radio(r, d + 1, dr->rec, "authorize-with-comments", !open, "comments", NULL, 1);
	radio(r, d + 1, dr->rec, "not-authorize", !open, "not_authorize", sgv, 1);
	if (in_force)
		radio(r, d + 1, dr->rec, "withdraw", !open, "choice_withdraw", NULL, 0);
	bt_buf_addf(b, "</div>\n<label for=\"file-%zu\">", d + 1);
	html_text(b, L(r, "file_label"));
	bt_buf_adds(b, "</label>\n");
	snprintf(id, sizeof id, "file-%zu", d + 1);
	html_field_error(r, "attachment", dr->rec, id);
	bt_buf_addf(b, "<input type=\"file\" id=\"%s\" name=\"%s\"%s accept=\"" PORTAL_UPLOAD_ACCEPT "\"", id, id,
		    open ? "" : " disabled");
	html_field_invalid(r, "attachment", dr->rec, id);
	bt_buf_adds(b, ">\n</fieldset>\n");
}

/* Where on the reply form the refusal shown goes: a choice or a file
 * names its draft's row (the first when the engine named none), anything
 * else its own field; the summary's link points there. */
static void refusal_place(preq *r, const bt_draft_list *dl)
{
	prefusal *x = r->refusal;
	if (!x || !dl->n)
		return;
	/* a field of the form's own ("file-2", "choice-1"): its draft's row */
	size_t n = 0;
	char kind[8];
	if (sscanf(x->field, "%7[a-z]-%zu", kind, &n) == 2 && n >= 1 && n <= dl->n &&
	    (!strcmp(kind, "file") || !strcmp(kind, "choice"))) {
		snprintf(x->field, sizeof x->field, "%s", kind[0] == 'f' ? "attachment" : "choice");
		snprintf(x->rec, sizeof x->rec, "%s", dl->v[n - 1].rec);
	}
	int row = !strcmp(x->field, "choice") || !strcmp(x->field, "attachment");
	size_t d = 0;
	while (row && d < dl->n && x->rec[0] && strcmp(dl->v[d].rec, x->rec))
		d++;
	if (d == dl->n)
		d = 0;
	if (row) {
		snprintf(x->rec, sizeof x->rec, "%s", dl->v[d].rec);
		snprintf(x->anchor, sizeof x->anchor, "%s-%zu", x->field[0] == 'c' ? "choices" : "file", d + 1);
	} else if (!strcmp(x->field, "signatory") || !strcmp(x->field, "title") || !strcmp(x->field, "pdf")) {
		snprintf(x->anchor, sizeof x->anchor, "%s", x->field);
	}
}

/* The upload of a returned Annex 2 form (PDF), which pre-fills the reply
 * form (page_member_pdf.c): its own small form, beside the reply form. */
static void upload_section(preq *r, const bt_consultation *c)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<section class=\"upload\" aria-labelledby=\"upload-title\">\n<h2 id=\"upload-title\">");
	html_text(b, L(r, "pdf_title"));
	bt_buf_adds(b, "</h2>\n<p>");
	html_text(b, L(r, "pdf_help"));
	bt_buf_adds(b, "</p>\n<form method=\"post\" enctype=\"multipart/form-data\" action=\"/member/c/");
	html_text(b, c->circular);
	bt_buf_adds(b, "/from-pdf\">\n");
	html_csrf(r, r->s.csrf);
	bt_buf_adds(b, "<label for=\"pdf\">");
	html_text(b, L(r, "pdf_label"));
	bt_buf_adds(b, "</label>\n");
	html_field_error(r, "pdf", NULL, "pdf");
	bt_buf_adds(b, "<input type=\"file\" id=\"pdf\" name=\"pdf\" accept=\".pdf,application/pdf,.png,image/png,.jpg,.jpeg,image/jpeg,.tif,.tiff,image/tiff\"");
	html_field_invalid(r, "pdf", NULL, "pdf");
	bt_buf_adds(b, ">\n<button type=\"submit\" class=\"secondary\">");
	html_text(b, L(r, "pdf_button"));
	bt_buf_adds(b, "</button>\n</form>\n</section>\n");
}

/* 1 when given (NULL: none) is what the signed form says (signed), or
 * the signed form leaves it empty: a name or title it does not hold (a
 * scan has no text fields) may be given without changing what was signed;
 * one it holds may not be changed. */
static int text_as_signed(const char *given, const char *signed_value)
{
	return !*signed_value || !strcmp(given ? given : "", signed_value);
}

/* 1 when a reply of draft rec with choice, signatory and title says what
 * the kept form k says (the same choice for rec, the same signatory and
 * title): only then was it signed by k's signer. */
static int as_signed(const preturned *k, const char *rec, bt_choice choice, const char *signatory,
		     const char *title)
{
	if (!text_as_signed(signatory, k->signatory) || !text_as_signed(title, k->title))
		return 0;
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->choices[i].rec, rec))
			return k->choices[i].choice == choice;
	return 0;
}

/* On a reply form filled in from a returned form: what was read, the file
 * each reply will keep (its name, bytes, signer) and its hidden id; nothing
 * when the form named (field "kept") is no longer kept. */
static void kept_block(preq *r, const preturned *k)
{
	if (!k)
		return;
	bt_buf *b = &r->out;
	char size[32];
	snprintf(size, sizeof size, "%zu", k->pdf.len);
	bt_buf_adds(b, "<div class=\"kept\" id=\"kept\" role=\"status\">\n<p>");
	html_text(b, L(r, "prefill_intro"));
	bt_buf_adds(b, "</p>\n<p>");
	Lspan(r, b, "prefill_kept", "name", k->name, "kept-name");
	bt_buf_adds(b, " <span class=\"kept-size\" dir=\"ltr\">");
	const char *sv[] = { "size", size, NULL };
	Lf(r, b, "prefill_size", sv);
	bt_buf_adds(b, "</span></p>\n");
	if (k->is_signed) {
		bt_buf_addf(b, "<p class=\"kept-signer\" data-verified=\"%d\">", k->signer.verified);
		Lspan(r, b, k->signer.verified ? "prefill_signed" : "prefill_signed_unverified", "subject",
		      k->signer.subject, "signer");
		bt_buf_adds(b, "</p>\n");
	}
	if (k->uncertain[0]) { /* a scan's rows it could not read: left unchosen */
		bt_buf_adds(b, "<p class=\"kept-uncertain\" id=\"kept-uncertain\">");
		Lspan(r, b, "prefill_uncertain", "drafts", k->uncertain, "kept-uncertain-drafts");
		bt_buf_adds(b, "</p>\n");
	}
	if (k->added_since[0]) { /* a form issued before drafts were added */
		bt_buf_adds(b, "<p class=\"kept-added\" id=\"kept-added\">");
		Lspan(r, b, "prefill_added", "drafts", k->added_since, "kept-added-drafts");
		bt_buf_adds(b, "</p>\n");
	}
	bt_buf_adds(b, "<input type=\"hidden\" name=\"kept\" value=\"");
	html_text(b, k->id);
	bt_buf_adds(b, "\">\n</div>\n");
}

/* The form named (field "kept") on the reply form, while kept: a copy
 * (returned_release), else NULL. */
static preturned *kept_of(preq *r, const bt_consultation *c)
{
	const char *id = form_echo(r, "kept");
	return *id ? returned_get(r->p->returned, r->session_token, c->circular, id, portal_mono_ms()) : NULL;
}

/* Next to row d (draft rec) of a reply form filled in from a signed form
 * k: the row as signed (a change drops the signer), or changed from it
 * (the choice shown is not the signed one): this reply will not be marked
 * signed. The signatory's row (rec NULL) likewise. */
static void kept_row_note(preq *r, const preturned *k, size_t d, const char *rec)
{
	if (!k || !k->is_signed)
		return;
	int same;
	if (rec) {
		char name[32];
		snprintf(name, sizeof name, "choice-%zu", d + 1);
		if (!*form_echo(r, name)) /* no reply for this draft */
			return;
		same = as_signed(k, rec, bt_choice_parse(form_echo(r, name)), k->signatory, k->title);
	} else {
		same = text_as_signed(form_echo(r, "signatory"), k->signatory) &&
		       text_as_signed(form_echo(r, "title"), k->title);
	}
	if (rec)
		bt_buf_addf(&r->out, "<p class=\"kept-row\" id=\"kept-row-%zu\" data-changed=\"%d\">", d + 1, !same);
	else
		bt_buf_addf(&r->out, "<p class=\"kept-row\" id=\"kept-row-signatory\" data-changed=\"%d\">", !same);
	html_text(&r->out, L(r, same ? "prefill_row_signed" : "prefill_row_changed"));
	bt_buf_adds(&r->out, "</p>\n");
}

/* The end of the reply form: the upload note and, while open, the button. */
static void form_end(preq *r, int open)
{
	bt_buf *b = &r->out;
	char max[32];
	snprintf(max, sizeof max, "%lld", (long long)r->p->attachment_max);
	bt_buf_adds(b, "<p><small>");
	const char *mv[] = { "max", max, NULL };
	Lf(r, b, "upload_help", mv);
	bt_buf_adds(b, "</small></p>\n");
	if (open) {
		bt_buf_adds(b, "<button type=\"submit\">");
		html_text(b, L(r, "submit"));
		bt_buf_adds(b, "</button>\n");
	}
	bt_buf_adds(b, "</form>\n");
}

int page_member_form(preq *r, const char *circular)
{
	bt_consultation c;
	if (member_load_own(r, circular, &c))
		return 0;
	/* the rows the page shows must agree with the events that wrote them */
	if (portal_rows_check(r, c.circular))
		return 0;
	bt_err e;
	bt_draft_list dl = { 0 };
	bt_history h = { 0 };
	if (bt_drafts_list(r->db, c.circular, &dl, &e) || bt_history_in_force(r->db, c.circular, r->s.id.member, &h, &e)) {
		bt_draft_list_free(&dl);
		return page_engine_error(r, &e);
	}
	int open = member_is_open(r, &c);
	refusal_place(r, &dl);
	const char *tv[] = { "circular", c.circular, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "form_title", tv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf *b = &r->out;
	char dt[BT_TIME_LEN], sg[8];
	bt_time_format(c.deadline, dt);
	snprintf(sg, sizeof sg, "%d", c.group);
	const char *dv[] = { "deadline", dt, NULL };
	bt_buf_adds(b, open ? "<p>" : "<p class=\"note\" role=\"status\">");
	Lf(r, b, open ? "form_intro" : "read_only", dv);
	bt_buf_adds(b, "</p>\n");
	html_refusal_summary(r);
	facts(r, &c);
	if (open)
		upload_section(r, &c);
	bt_buf_adds(b, "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/member/c/");
	html_text(b, c.circular);
	bt_buf_adds(b, "/reply\">\n");
	html_csrf(r, r->s.csrf);
	reply_once_field(r, &c, open);
	preturned *k = open ? kept_of(r, &c) : NULL;
	kept_block(r, k);
	const char *sgv[] = { "sg", sg, NULL };
	for (size_t d = 0; d < dl.n; d++) {
		draft_fieldset(r, d, &dl.v[d], on_record(&h, dl.v[d].rec), open, sgv, c.circular);
		kept_row_note(r, k, d, dl.v[d].rec);
	}
	signatory_fieldset(r, open);
	kept_row_note(r, k, 0, NULL);
	returned_release(k);
	form_end(r, open);
	member_links(r);
	bt_draft_list_free(&dl);
	bt_history_free(&h);
	page_end(r);
	return 0;
}

/* Collects the rows the administration chose: -1 with the refusal x (400)
 * on a bad choice. */
static int collect(preq *r, prefusal *x, const bt_consultation *c, const bt_draft_list *dl, bt_reply_spec *specs,
		   bt_attachment_in *files, size_t *n)
{
	const char *signatory = pform_get(&r->form, "signatory");
	const char *title = pform_get(&r->form, "title");
	*n = 0;
	for (size_t d = 0; d < dl->n; d++) {
		char key[32];
		snprintf(key, sizeof key, "choice-%zu", d + 1);
		const char *v = pform_get(&r->form, key);
		snprintf(key, sizeof key, "file-%zu", d + 1);
		const pfield *f = pform_file(&r->form, key);
		if (!*v) {
			if (f)
				return form_refusal_at(r, x, 400, BT_R_INPUT, "choice", dl->v[d].rec, "none made for %s "
						       "(%s), but a file was attached", dl->v[d].rec, key), -1;
			continue;
		}
		bt_choice ch = bt_choice_parse(v);
		if (ch == BT_CHOICE_NONE)
			return form_refusal_at(r, x, 400, BT_R_INPUT, "choice", dl->v[d].rec, "'%.40s' (choice-%zu) is "
					       "not authorize, authorize-with-comments, not-authorize or withdraw", v,
					       d + 1), -1;
		bt_reply_spec *s = &specs[*n];
		memset(s, 0, sizeof *s);
		s->circular = c->circular;
		s->member = r->s.id.member;
		s->rec = dl->v[d].rec;
		s->choice = ch;
		s->channel = "portal";
		s->signatory = *signatory ? signatory : NULL;
		s->title = *title ? title : NULL;
		if (f) {
			files[*n].name = f->filename;
			files[*n].data = f->value.data;
			files[*n].len = f->value.len;
			s->attachments = &files[*n];
			s->n_attachments = 1;
		}
		(*n)++;
	}
	return 0;
}

/* The returned form the posted reply form was filled in from (field
 * "kept"), attached to each of its replies (but a withdrawal) as the form
 * received, with its signer when the reply says what the signed form says
 * (as_signed; else without it: the signer did not sign that reply): 0, *k NULL when there is none; -1 with the
 * refusal x when it is no longer kept (upload it again). */
static int kept_attach(preq *r, prefusal *x, const bt_consultation *c, bt_reply_spec *specs, size_t n,
		       bt_attachment_in *scan, preturned **k)
{
	const char *id = pform_get(&r->form, "kept");
	*k = *id ? returned_get(r->p->returned, r->session_token, c->circular, id, portal_mono_ms()) : NULL;
	if (*id && !*k) {
		form_refusal_at(r, x, 409, BT_R_CONFLICT, "pdf", "", "the returned form this reply was filled in "
				"from is no longer kept (another form uploaded since, or 30 minutes passed): upload it "
				"again");
		x->key = "pdf_gone";
		return -1;
	}
	if (!*k)
		return 0;
	scan->name = (*k)->name;
	scan->data = (*k)->pdf.data;
	scan->len = (*k)->pdf.len;
	for (size_t i = 0; i < n; i++) {
		if (specs[i].choice == BT_WITHDRAW)
			continue;
		specs[i].scan = scan;
		if ((*k)->is_signed && as_signed(*k, specs[i].rec, specs[i].choice, specs[i].signatory,
						 specs[i].title)) {
			specs[i].signer_subject = (*k)->signer.subject;
			specs[i].signer_sha256 = (*k)->signer.sha256;
			specs[i].signer_verified = (*k)->signer.verified;
		}
	}
	return 0;
}

/* Records the replies of the form posted for c: 0 with the receipt page's
 * path in loc ("/member/sent/<id>,<id>..."); 1 when refused, x made r's
 * refusal (the form is to be shown again); else -1 and the error page. */
static int reply_record(preq *r, const bt_consultation *c, prefusal *x, char *loc, size_t locn)
{
	bt_err e;
	bt_draft_list dl = { 0 };
	if (bt_drafts_list(r->db, c->circular, &dl, &e))
		return page_engine_error(r, &e), -1;
	bt_reply_spec *specs = calloc(dl.n + 1, sizeof *specs);
	bt_attachment_in *files = calloc(dl.n + 1, sizeof *files);
	bt_reply_result *res = calloc(dl.n + 1, sizeof *res);
	size_t n = 0;
	int rc = 1;
	preturned *k = NULL;
	bt_attachment_in scan;
	if (!specs || !files || !res) {
		page_field_error(r, BT_R_NOMEM, NULL, "out of memory");
		rc = -1;
	} else if (collect(r, x, c, &dl, specs, files, &n)) {
		; /* refused */
	} else if (n == 0) {
		form_refusal_at(r, x, 400, BT_R_INPUT, "choice", NULL, "none made for any draft");
		x->key = "err_nothing";
	} else if (kept_attach(r, x, c, specs, n, &scan, &k)) {
		; /* refused */
	} else {
		char actor[96];
		portal_actor(r, actor, sizeof actor);
		rc = bt_reply_record_many(r->db, specs, n, actor, r->now, res, &e);
		if (rc)
			rc = form_refused_reply(r, x, rc, &res[0], &e);
	}
	if (!rc && k) /* recorded: the file is the replies' now */
		returned_drop(r->p->returned, r->session_token, c->circular, k->id);
	int k_signed = k && k->is_signed;
	returned_release(k);
	if (!rc) {
		size_t at = (size_t)snprintf(loc, locn, "/member/sent/");
		for (size_t i = 0; i < n && at < locn; i++)
			at += (size_t)snprintf(loc + at, locn - at, "%s%lld%s", i ? "," : "",
					       (long long)res[i].reply_id,
					       specs[i].scan && !specs[i].signer_subject && k_signed ? "u" : "");
	}
	free(specs);
	free(files);
	free(res);
	bt_draft_list_free(&dl);
	return rc;
}

int page_member_reply(preq *r, const char *circular)
{
	bt_consultation c;
	if (member_load_own(r, circular, &c))
		return 0;
	/* exactly once: a token already spent answers the first sending's
	 * receipt page (Post/Redirect/Get) */
	char form[PORTAL_ONCE_FORM], loc[PORTAL_ONCE_LOC];
	reply_form_name(&c, form);
	if (!member_is_open(r, &c))
		return once_spent(r, form) ? 0 : page_error(r, 403, L(r, "err_closed"));
	if (portal_rows_check(r, c.circular) || !once_begin(r, form))
		return 0;
	/* refused: the same form again, with what was typed and a new token */
	prefusal x;
	/* refused by the server's checks of the form (a file of a type not
	 * accepted, a control character): nothing to record */
	int rc = r->refusal ? 1 : reply_record(r, &c, &x, loc, sizeof loc);
	once_done(r, rc ? NULL : loc);
	if (rc > 0) {
		page_member_form(r, c.circular);
		r->refusal = NULL;
	}
	return 0;
}

/* Calls fn for each consultation the administration may see, with its
 * history; stops when fn returns non-zero. -1 with e when the
 * consultations or a history cannot be read, or fn failed (-1, e). */
typedef int each_fn(preq *r, const bt_consultation *c, const bt_history *h, void *arg, bt_err *e);
static int each_own(preq *r, each_fn *fn, void *arg, bt_err *e)
{
	bt_consultation_list cl = { 0 };
	if (bt_consultations_list(r->db, 0, &cl, e))
		return -1;
	int stop = 0;
	for (size_t i = 0; i < cl.n && !stop; i++) {
		const bt_identity *id = &r->s.id;
		if (id->circular[0] && strcasecmp(id->circular, cl.v[i].circular))
			continue;
		bt_history h = { 0 };
		if (bt_history_get(r->db, cl.v[i].circular, id->member, &h, e))
			stop = -1;
		else
			stop = fn(r, &cl.v[i], &h, arg, e);
		bt_history_free(&h);
	}
	bt_consultation_list_free(&cl);
	return stop;
}

/* each_own for the one consultation that holds reply id of the
 * administration (found by its number, not by reading every history):
 * 0 when it has no such reply in the consultations it may see. */
static int each_own_reply(preq *r, int64_t id, each_fn *fn, void *arg, bt_err *e)
{
	const bt_identity *who = &r->s.id;
	char circ[BT_ID_MAX + 1];
	int64_t seq;
	int found = bt_history_locate(r->db, id, who->member, circ, &seq, e);
	if (found != 1 || (who->circular[0] && strcasecmp(who->circular, circ)))
		return found < 0 ? -1 : 0;
	bt_consultation c;
	bt_history h = { 0 };
	if (bt_consultation_get(r->db, circ, &c, e) || bt_history_get(r->db, circ, who->member, &h, e))
		return -1;
	int stop = fn(r, &c, &h, arg, e);
	bt_history_free(&h);
	return stop;
}

typedef struct find_arg {
	int64_t id;
	int found;
	int json;  /* the signed receipt, not the page */
	int changed; /* sent from a signed form, changed: say it is not signed */
} find_arg;

static int show_receipt(preq *r, const bt_consultation *c, const bt_history *h, void *arg, bt_err *e)
{
	find_arg *fa = arg;
	for (size_t i = 0; i < h->n; i++) {
		const bt_history_item *it = &h->v[i];
		if (it->reply_id != fa->id)
			continue;
		fa->found = 1;
		/* the rows it shows must agree with the events that wrote them */
		if (bt_audit_circular(r->db, c->circular, e))
			return -1;
		if (fa->json) {
			if (!portal_receipt_issue(r, it->seq, NULL))
				portal_receipt_name(r->filename, sizeof r->filename, c->circular, it->reply_id, 0);
			return 1;
		}
		bt_reply_result res;
		memset(&res, 0, sizeof res);
		bt_time at;
		if (bt_event_digest(r->db, it->seq, &at, res.sha256, res.event_hash, e))
			return -1;
		res.reply_id = it->reply_id;
		res.event_seq = it->seq;
		snprintf(res.member, sizeof res.member, "%s", it->member);
		snprintf(res.rec, sizeof res.rec, "%s", it->rec);
		res.choice = !strcmp(it->kind, "withdrawal") ? BT_WITHDRAW : bt_choice_parse(it->what);
		res.received = it->received;
		res.late = !strcmp(it->status, "late");
		page_begin(r, L(r, "receipt_title"));
		html_receipt(r, &res, c->circular, NULL, it->signatory, it->title, it->recorded_at);
		if (it->n_attachments) {
			bt_buf_adds(&r->out, "<h2>");
			html_text(&r->out, L(r, "receipt_files"));
			bt_buf_adds(&r->out, "</h2>\n<ul>\n");
			for (size_t k = 0; k < it->n_attachments; k++) {
				bt_buf_adds(&r->out, "<li><bdi>");
				html_text(&r->out, it->attachments[k].name);
				bt_buf_addf(&r->out, "</bdi> <bdi dir=\"ltr\">(%s, %lld bytes)</bdi> "
					    "<code class=\"file-sha256\" dir=\"ltr\">%s</code></li>\n",
					    it->attachments[k].role, (long long)it->attachments[k].size,
					    it->attachments[k].sha256);
			}
			bt_buf_adds(&r->out, "</ul>\n");
		}
		page_end(r);
		return 1;
	}
	return 0;
}

static int receipt_of(preq *r, const char *id, int json)
{
	char *end;
	long long v = strtoll(id, &end, 10);
	if (*end || v <= 0)
		return page_field_error(r, BT_R_NOT_FOUND, "receipt", "'%.40s' is not a reply number", id);
	find_arg fa = { v, 0, json, 0 };
	bt_err e;
	if (each_own_reply(r, v, show_receipt, &fa, &e) < 0)
		return page_engine_error(r, &e);
	if (!fa.found)
		return page_error(r, 403, L(r, "err_scope"));
	return 0;
}

int page_member_receipt(preq *r, const char *id)
{
	return receipt_of(r, id, 0);
}

int page_member_receipt_json(preq *r, const char *id)
{
	return receipt_of(r, id, 1);
}

/* 1 when reply it keeps the returned form it was read from. */
static int has_form(const bt_history_item *it)
{
	for (size_t k = 0; k < it->n_attachments; k++)
		if (!strcmp(it->attachments[k].role, "form"))
			return 1;
	return 0;
}

/* each_own: the receipt section of reply fa->id, when in h; a reply sent
 * from a signed form but changed from it (its id marked "u" by
 * reply_record) says it is not marked signed. */
static int sent_one(preq *r, const bt_consultation *c, const bt_history *h, void *arg, bt_err *e)
{
	find_arg *fa = arg;
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].reply_id == fa->id &&
		    (!strcmp(h->v[i].kind, "reply") || !strcmp(h->v[i].kind, "withdrawal"))) {
			fa->found = 1;
			if (bt_audit_circular(r->db, c->circular, e) || html_receipt_item(r, c->circular, h, i, e))
				return -1;
			if (fa->changed && !h->v[i].signer && has_form(&h->v[i])) {
				bt_buf_adds(&r->out, "<p class=\"note not-signed\" role=\"status\">");
				html_text(&r->out, L(r, "receipt_not_signed"));
				bt_buf_adds(&r->out, "</p>\n");
			}
			return 1;
		}
	return 0;
}

int page_member_sent(preq *r, const char *ids)
{
	/* where a reply POST sends the browser (Post/Redirect/Get): the
	 * receipts of one sending, "<id>,<id>...", a page that a reload or
	 * Back only shows again */
	page_begin(r, L(r, "receipt_title"));
	bt_buf_adds(&r->out, "<p class=\"ok\" role=\"status\">");
	html_text(&r->out, L(r, "receipt_intro"));
	bt_buf_adds(&r->out, "</p>\n");
	for (const char *p = ids; *p;) {
		char *end;
		long long v = strtoll(p, &end, 10);
		int changed = *end == 'u';
		end += changed;
		if (end == p || v <= 0 || (*end && *end != ',') || (*end == ',' && !end[1]))
			return page_field_error(r, BT_R_NOT_FOUND, "receipt", "'%.40s' is not a list of reply "
						"numbers", ids);
		find_arg fa = { v, 0, 0, changed };
		bt_err e;
		if (each_own_reply(r, v, sent_one, &fa, &e) < 0)
			return page_engine_error(r, &e);
		if (!fa.found)
			return page_error(r, 403, L(r, "err_scope"));
		p = *end ? end + 1 : end;
	}
	bt_buf_adds(&r->out, "<p>");
	html_text(&r->out, L(r, "receipt_keep"));
	bt_buf_adds(&r->out, "</p>\n<p><a href=\"/member\">");
	html_text(&r->out, L(r, "consultations"));
	bt_buf_adds(&r->out, "</a> · <a href=\"/member/history\">");
	html_text(&r->out, L(r, "history_link"));
	bt_buf_adds(&r->out, "</a></p>\n");
	page_end(r);
	return 0;
}

/* <td data-label="LABEL">: a stacked row's cell shows its column's name. */
static void td(preq *r, const char *key)
{
	bt_buf_adds(&r->out, "<td data-label=\"");
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "\">");
}

static int history_rows(preq *r, const bt_consultation *c, const bt_history *h, void *arg, bt_err *e)
{
	size_t *rows = arg;
	bt_buf *b = &r->out;
	/* the administration's replies there: their rows must agree with
	 * their events */
	if (h->n && bt_audit_circular(r->db, c->circular, e))
		return -1;
	for (size_t i = 0; i < h->n; i++) {
		const bt_history_item *it = &h->v[i];
		if (strcmp(it->kind, "reply") && strcmp(it->kind, "withdrawal"))
			continue;
		char t[BT_TIME_LEN];
		bt_time_format(it->received, t);
		(*rows)++;
		bt_buf_adds(b, "<tr>");
		td(r, "col_event");
		bt_buf_addf(b, "%lld</td>", (long long)it->seq);
		td(r, "col_circular");
		html_text(b, c->circular);
		bt_buf_adds(b, "</td>");
		td(r, "col_draft");
		html_text(b, it->rec);
		bt_buf_adds(b, "</td>");
		td(r, "col_reply");
		html_word(r, portal_choice_words, it->what);
		bt_buf_adds(b, "</td>");
		td(r, "col_received");
		bt_buf_addf(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time></td>", t, t);
		td(r, "col_status");
		html_word(r, portal_status_words, it->status);
		bt_buf_adds(b, "</td>");
		td(r, "col_by");
		html_text(b, it->recorded_by ? it->recorded_by : "");
		bt_buf_adds(b, "</td>");
		td(r, "receipt_title");
		bt_buf_addf(b, "<a href=\"/member/receipt/%lld\">#%lld</a>", (long long)it->reply_id,
			    (long long)it->reply_id);
		html_receipt_pdf_link(r, "/member/receipt/", it->reply_id);
		bt_buf_adds(b, "</td></tr>\n");
	}
	return 0;
}

int page_member_history(preq *r)
{
	page_begin(r, L(r, "history_title"));
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<table class=\"history stack\">\n<tr>");
	static const char *const cols[] = { "col_event", "col_circular", "col_draft", "col_reply",
					    "col_received", "col_status", "col_by", "receipt_title" };
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		bt_buf_adds(b, "<th>");
		html_text(b, L(r, cols[i]));
		bt_buf_adds(b, "</th>");
	}
	bt_buf_adds(b, "</tr>\n");
	bt_err e;
	size_t rows = 0;
	if (each_own(r, history_rows, &rows, &e) < 0)
		return page_engine_error(r, &e);
	bt_buf_adds(b, "</table>\n");
	/* no reply yet is said, not an empty table (a blank page
	 * at 390 px, where the header row is hidden) */
	if (!rows) {
		bt_buf_adds(b, "<p class=\"none\" id=\"history-none\">");
		html_text(b, L(r, "none"));
		bt_buf_adds(b, "</p>\n");
	}
	member_links(r);
	page_end(r);
	return 0;
}
