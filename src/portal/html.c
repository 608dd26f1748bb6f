/* html.c - escaping, the page frame and the words of the pages (portal.h).
 *
 * Every value that reaches a page goes through html_text; the page frame
 * carries no script and no inline style (the Content-Security-Policy allows
 * neither), so the bars of the tally are classes of the stylesheet.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "pdf/annex2.h"
#include "pdf/lang.h"
#include "pdf/tmpl.h"
#include "portal/internal.h"

/* Every key of forms/portal/<lang>.txt and its placeholders. */
static const pdf_tmpl_key portal_schema[] = {
	{ "language", "" }, { "direction", "" },
	{ "site", "" }, { "signin_title", "" }, { "signin_member", "" }, { "signin_member_help", "" },
	{ "member_label", "" }, { "code_label", "" }, { "signin_staff", "" }, { "user_label", "" },
	{ "password_label", "" }, { "signin_button", "" }, { "signin_cert", "" },
	{ "signout_button", "" }, { "signed_in_as", "who" },
	{ "err_signin", "" }, { "err_throttled", "seconds" }, { "err_csrf", "" },
	{ "err_signed_out", "" }, { "err_role", "" }, { "err_not_found", "" }, { "err_scope", "" },
	{ "err_closed", "" }, { "err_nothing", "" },
	{ "member_home", "member" }, { "consultations", "" }, { "col_circular", "" },
	{ "col_group", "" }, { "col_deadline", "" }, { "col_state", "" }, { "col_draft", "" },
	{ "col_reply", "" }, { "col_received", "" }, { "state_open", "" }, { "state_past", "" },
	{ "state_closed", "" }, { "no_reply", "" }, { "reply_link", "" }, { "view_link", "" },
	{ "history_link", "" }, { "form_title", "circular" }, { "form_intro", "deadline" },
	{ "read_only", "deadline" }, { "choice_keep", "" }, { "choice_withdraw", "" },
	{ "file_label", "" }, { "signatory_label", "" }, { "official_title_label", "" },
	{ "submit", "" }, { "upload_help", "max" },
	{ "receipt_title", "" }, { "receipt_intro", "" }, { "receipt_reply", "" },
	{ "receipt_sha", "" }, { "receipt_time", "" }, { "receipt_event", "" },
	{ "receipt_draft", "" }, { "receipt_choice", "" }, { "receipt_files", "" },
	{ "receipt_keep", "" }, { "receipt_late", "" }, { "receipt_supersedes", "" },
	{ "history_title", "" }, { "col_event", "" }, { "col_status", "" }, { "col_by", "" },
	{ "choice_authorize", "" }, { "choice_authorize_with_comments", "" },
	{ "choice_not_authorize", "" }, { "choice_withdrawal", "" },
	{ "secretariat_home", "" }, { "chair_home", "group" }, { "tally_support", "n pct" },
	{ "tally_replies", "n electorate" }, { "tally_threshold", "pct" },
	{ "outcome_pending", "" }, { "outcome_proceed", "" }, { "outcome_not_proceed", "" },
	{ "if_closed_now", "outcome" }, { "pending_title", "" }, { "late_title", "" },
	{ "enter_title", "" }, { "channel_label", "" }, { "received_label", "" },
	{ "scan_label", "" }, { "close_title", "" }, { "close_button", "" }, { "downloads", "" },
	{ "none", "" }, { "receipt_no_reasons", "" }, { "status_counted", "" },
	{ "status_superseded", "" }, { "status_withdrawn", "" }, { "status_withdrawal", "" },
	{ "status_late", "" }, { "circular_name", "circular" }, { "rec_name", "rec" },
	{ "col_member", "" }, { "col_outcome", "" }, { "state_in_consultation", "" },
	{ "state_awaiting_close", "" },
	{ "state_ready_for_approval", "" }, { "state_not_ready", "" }, { "state_more_time", "" },
	{ "state_approved", "" }, { "state_not_approved", "" }, { "channel_email", "" },
	{ "channel_fax", "" }, { "channel_post", "" }, { "channel_other", "" },
	{ "receipt_download", "" }, { "receipt_signed", "" },
};

int portal_words_load(struct portal *p, bt_err *e)
{
	const char *dir = pdf_forms_dir();
	char path[4096];
	for (size_t i = 0; i < PDF_NLANGS; i++) {
		plang *l = &p->langs[p->nlangs];
		snprintf(l->code, sizeof l->code, "%s", pdf_langs[i]);
		snprintf(path, sizeof path, "%s/portal/%s.txt", dir, l->code);
		/* a language whose page texts do not exist (yet) is not offered;
		 * English must be there */
		if (i > 0 && access(path, F_OK) != 0 && errno == ENOENT)
			continue;
		pdf_tmpl *t = NULL;
		int rc = pdf_tmpl_load(path, portal_schema, sizeof portal_schema / sizeof portal_schema[0],
				       &t, e);
		if (rc)
			return rc;
		l->tmpl = t;
		l->rtl = !strcmp(pdf_tmpl_raw(t, "direction"), "rtl");
		/* a time or code inside Arabic text keeps its own order */
		pdf_tmpl_set_rtl(t, l->rtl);
		p->nlangs++;
		annex2_lang *a = NULL;
		if ((rc = annex2_lang_load(dir, l->code, &a, e)))
			return rc;
		l->annex2 = a;
	}
	return BT_OK;
}

void portal_words_free(struct portal *p)
{
	for (size_t i = 0; i < p->nlangs; i++) {
		pdf_tmpl_free(p->langs[i].tmpl);
		annex2_lang_free(p->langs[i].annex2);
	}
	p->nlangs = 0;
}

const plang *portal_lang(struct portal *p, const char *code)
{
	for (size_t i = 0; i < p->nlangs; i++)
		if (!strcmp(p->langs[i].code, code))
			return &p->langs[i];
	return &p->langs[0];
}

const char *L(preq *r, const char *key)
{
	return pdf_tmpl_raw(r->lang->tmpl, key);
}

void html_words(bt_buf *out, const void *tmpl, const char *key, const char *const *vars)
{
	bt_buf t = BT_BUF_INIT;
	pdf_tmpl_expand(tmpl, key, vars, &t);
	html_text(out, bt_buf_str(&t));
	bt_buf_release(&t);
}

void Lf(preq *r, bt_buf *out, const char *key, const char *const *vars)
{
	html_words(out, r->lang->tmpl, key, vars);
}

const word_key portal_choice_words[] = {
	{ "authorize", "choice_authorize" },
	{ "authorize-with-comments", "choice_authorize_with_comments" },
	{ "not-authorize", "choice_not_authorize" },
	{ "withdraw", "choice_withdrawal" },
	{ NULL, NULL },
};

const word_key portal_status_words[] = {
	{ "counted", "status_counted" },
	{ "superseded", "status_superseded" },
	{ "withdrawn", "status_withdrawn" },
	{ "withdrawal", "status_withdrawal" },
	{ "late", "status_late" },
	{ NULL, NULL },
};

const word_key portal_state_words[] = {
	{ BT_STATE_IN_CONSULTATION, "state_in_consultation" },
	{ BT_STATE_AWAITING_CLOSE, "state_awaiting_close" },
	{ BT_STATE_READY, "state_ready_for_approval" },
	{ BT_STATE_NOT_READY, "state_not_ready" },
	{ BT_STATE_MORE_TIME, "state_more_time" },
	{ BT_STATE_APPROVED, "state_approved" },
	{ BT_STATE_NOT_APPROVED, "state_not_approved" },
	{ NULL, NULL },
};

const word_key portal_outcome_words[] = {
	{ "proceed", "outcome_proceed" },
	{ "not-proceed", "outcome_not_proceed" },
	{ "pending", "outcome_pending" },
	{ NULL, NULL },
};

/* The channels the secretariat's entry form offers ("portal" is the
 * administrations'). */
const word_key portal_channel_words[] = {
	{ "email", "channel_email" },
	{ "fax", "channel_fax" },
	{ "post", "channel_post" },
	{ "other", "channel_other" },
	{ NULL, NULL },
};

void html_word(preq *r, const word_key *t, const char *word)
{
	for (; t->word; t++)
		if (!strcmp(t->word, word)) {
			html_text(&r->out, L(r, t->key));
			return;
		}
	html_text(&r->out, word);
}

int portal_consultation(preq *r, const char *circular, bt_consultation *c)
{
	bt_err e;
	int rc = bt_consultation_get(r->db, circular, c, &e);
	if (rc == BT_EINPUT)
		return page_error(r, 404, L(r, "err_not_found")), -1;
	if (rc)
		return page_engine_error(r, &e), -1;
	return 0;
}

void html_consultation_line(preq *r, const bt_consultation *c)
{
	bt_buf *b = &r->out;
	char dt[BT_TIME_LEN];
	bt_time_format(c->deadline, dt);
	bt_buf_adds(b, "<p>");
	html_text(b, L(r, "col_deadline"));
	bt_buf_addf(b, ": <time dir=\"ltr\" datetime=\"%s\">%s</time> — <strong class=\"state\">", dt, dt);
	html_text(b, L(r, c->closed ? "state_closed" : r->now <= c->deadline ? "state_open" : "state_past"));
	if (c->closed) {
		char ct[BT_TIME_LEN];
		bt_time_format(c->closed_at, ct);
		bt_buf_addf(b, " (<time dir=\"ltr\" datetime=\"%s\">%s</time>)", ct, ct);
	}
	bt_buf_adds(b, "</strong></p>\n");
}

void portal_file_name(char *out, size_t n, const char *prefix, const char *circular, const char *suffix)
{
	char base[BT_ID_MAX + 1];
	snprintf(base, sizeof base, "%s", circular);
	for (char *p = base; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *p))
			*p = '_';
	snprintf(out, n, "%s%s%s", prefix, base, suffix);
}

void Lplain(preq *r, bt_buf *out, const char *key, const char *const *vars)
{
	pdf_tmpl_expand(r->lang->tmpl, key, vars, out);
}

void Lspan(preq *r, bt_buf *out, const char *key, const char *name, const char *value, const char *cls)
{
	const char *vars[] = { name, "\x01", NULL };
	bt_buf t = BT_BUF_INIT;
	pdf_tmpl_expand(r->lang->tmpl, key, vars, &t);
	const char *all = bt_buf_str(&t);
	const char *mark = strchr(all, '\x01');
	if (!mark) {
		html_text(out, all);
	} else {
		bt_buf pre = BT_BUF_INIT;
		bt_buf_add(&pre, all, (size_t)(mark - all));
		html_text(out, bt_buf_str(&pre));
		bt_buf_addf(out, "<span class=\"%s\">", cls);
		html_text(out, value);
		bt_buf_adds(out, "</span>");
		html_text(out, mark + 1);
		bt_buf_release(&pre);
	}
	bt_buf_release(&t);
}

void html_text(bt_buf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		bt_buf_add(b, run, (size_t)(s - run));
		bt_buf_adds(b, rep);
		run = s + 1;
	}
	bt_buf_add(b, run, (size_t)(s - run));
}

void html_textf(bt_buf *b, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	html_text(b, tmp);
}

void html_csrf(preq *r, const char *token)
{
	bt_buf_adds(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_text(&r->out, token);
	bt_buf_adds(&r->out, "\">\n");
}

void page_begin(preq *r, const char *title)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
		    r->lang->code, r->lang->rtl ? "rtl" : "ltr");
	html_text(b, title);
	bt_buf_adds(b, " — ");
	html_text(b, L(r, "site"));
	bt_buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
		    "<header><a class=\"site\" href=\"/\">");
	html_text(b, L(r, "site"));
	bt_buf_adds(b, "</a>\n<nav class=\"langs\">");
	for (size_t i = 0; i < r->p->nlangs; i++) {
		const plang *l = &r->p->langs[i];
		if (l == r->lang)
			bt_buf_addf(b, " <strong lang=\"%s\">", l->code);
		else
			bt_buf_addf(b, " <a lang=\"%s\" href=\"?lang=%s\">", l->code, l->code);
		html_text(b, pdf_tmpl_raw(l->tmpl, "language"));
		bt_buf_adds(b, l == r->lang ? "</strong>" : "</a>");
	}
	bt_buf_adds(b, "</nav>\n");
	if (r->signed_in) {
		char who[128];
		const bt_identity *id = &r->s.id;
		if (id->role == BT_ROLE_MEMBER)
			snprintf(who, sizeof who, "%s", id->member);
		else
			snprintf(who, sizeof who, "%s (%s)", id->user, bt_role_name(id->role));
		const char *vars[] = { "who", who, NULL };
		bt_buf_adds(b, "<form class=\"signout\" method=\"post\" action=\"/signout\"><span>");
		Lf(r, b, "signed_in_as", vars);
		bt_buf_adds(b, "</span>\n");
		html_csrf(r, r->s.csrf);
		bt_buf_adds(b, "<button type=\"submit\">");
		html_text(b, L(r, "signout_button"));
		bt_buf_adds(b, "</button></form>\n");
	}
	bt_buf_adds(b, "</header>\n<main>\n<h1>");
	html_text(b, title);
	bt_buf_adds(b, "</h1>\n");
}

void page_end(preq *r)
{
	char t[BT_TIME_LEN];
	bt_time_format(r->now, t);
	bt_buf_addf(&r->out, "</main>\n<footer>ballot %s · <time dir=\"ltr\" datetime=\"%s\">%s</time> UTC</footer>\n"
		    "</body>\n</html>\n", BALLOT_VERSION, t, t);
}
