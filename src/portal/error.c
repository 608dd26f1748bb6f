/* error.c - error pages: a status and one line in the page frame
 * (error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "portal/answer.h"
#include "portal/error.h"
#include "portal/html.h"

int page_error(preq *r, int status, const char *msg)
{
	bt_buf_reset(&r->out);
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	page_begin(r, http_status_text(status));
	bt_buf_adds(&r->out, "<p class=\"error\">");
	html_text(&r->out, msg);
	bt_buf_adds(&r->out, "</p>\n");
	if (status == 401 || status == 403)
		bt_buf_adds(&r->out, "<p><a href=\"/\">Home</a></p>\n");
	page_end(r);
	return 0;
}

int page_errorf(preq *r, int status, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return page_error(r, status, msg);
}

/* The engine's fields are the forms' field names (member, draft, received,
 * ...); a command it points to is the secretariat's ballot command. */
static const char *form_name_of(const char *field, void *buf)
{
	if (strncmp(field, "cmd:", 4) != 0)
		return field;
	snprintf(buf, 64, "ballot %s", field + 4);
	return buf;
}

/* The key of the label of the form field that carries the engine's field,
 * or NULL when no form of the portal asks for it. */
static const char *label_key(const char *field)
{
	for (const word_key *k = portal_field_words; field[0] && k->word; k++)
		if (!strcmp(k->word, field))
			return k->key;
	return NULL;
}

/* The key of reason's sentence ("fail_input"); its title is "fail_title_"
 * and the rest of it. */
static const char *reason_key(bt_reason reason)
{
	static const char *const keys[] = {
		[BT_R_NONE] = "fail_io",
		[BT_R_INPUT] = "fail_input",
		[BT_R_NOT_FOUND] = "fail_not_found",
		[BT_R_CONFLICT] = "fail_conflict",
		[BT_R_FORBIDDEN] = "fail_forbidden",
		[BT_R_DAMAGED] = "fail_damaged",
		[BT_R_IO] = "fail_io",
		[BT_R_NOMEM] = "fail_nomem",
	};
	return (unsigned)reason < sizeof keys / sizeof keys[0] ? keys[reason] : "fail_io";
}

/* Appends the sentence of e's reason in r's language to out, naming the
 * label of e's field when a form of the portal asks for it ("fail_input"
 * with {field}), else without one ("fail_input_any"). */
static void reason_sentence(preq *r, const bt_err *e, bt_buf *out)
{
	const char *key = reason_key(e->reason);
	int with_field = e->reason >= BT_R_INPUT && e->reason <= BT_R_FORBIDDEN;
	const char *label = with_field ? label_key(e->field) : NULL;
	if (!label) {
		if (with_field) {
			char any[32];
			snprintf(any, sizeof any, "%s_any", key);
			Lplain(r, out, any, NULL);
		} else {
			Lplain(r, out, key, NULL);
		}
		return;
	}
	const char *vars[] = { "field", L(r, label), NULL };
	Lplain(r, out, key, vars);
}

void html_engine_error(preq *r, const bt_err *e)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<p class=\"error\" role=\"alert\" data-reason=\"%s\" data-field=\"",
		    bt_reason_name(e->reason));
	html_text(b, e->field);
	bt_buf_adds(b, "\">");
	bt_buf sentence = BT_BUF_INIT;
	reason_sentence(r, e, &sentence);
	html_text(b, bt_buf_str(&sentence));
	bt_buf_release(&sentence);
	bt_buf_adds(b, "</p>\n");
	char buf[64], msg[sizeof e->msg + 128];
	bt_err_render(e, form_name_of, buf, msg, sizeof msg);
	if (msg[0]) {
		bt_buf_adds(b, "<details class=\"engine\"><summary>");
		html_text(b, L(r, "fail_details"));
		bt_buf_adds(b, "</summary>\n<p lang=\"en\" dir=\"ltr\"><code class=\"engine-line\">");
		html_text(b, msg);
		bt_buf_adds(b, "</code></p></details>\n");
	}
}

/* The error page of e with status: html_engine_error in the page frame,
 * titled with its reason's title in the page's language. */
static int reason_page(preq *r, int status, const bt_err *e)
{
	bt_buf_reset(&r->out);
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	char title[32]; /* "fail_title_" + the reason's */
	snprintf(title, sizeof title, "fail_title_%s", reason_key(e->reason) + 5);
	page_begin(r, L(r, title));
	html_engine_error(r, e);
	if (status == 401 || status == 403)
		bt_buf_adds(&r->out, "<p><a href=\"/\">Home</a></p>\n");
	page_end(r);
	return 0;
}

static int status_of(bt_reason reason)
{
	static const int status[] = {
		[BT_R_NONE] = 500,     [BT_R_INPUT] = 400,     [BT_R_NOT_FOUND] = 404,
		[BT_R_CONFLICT] = 409, [BT_R_FORBIDDEN] = 403, [BT_R_DAMAGED] = 503,
		[BT_R_IO] = 500,       [BT_R_NOMEM] = 500,
	};
	return (unsigned)reason < sizeof status / sizeof status[0] ? status[reason] : 500;
}

int page_engine_error(preq *r, const bt_err *e)
{
	return reason_page(r, status_of(e->reason), e);
}

int page_field_error(preq *r, bt_reason reason, const char *field, const char *fmt, ...)
{
	bt_err e;
	char msg[sizeof e.msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	bt_failf(&e, reason, field, "%s", msg);
	return reason_page(r, status_of(reason), &e);
}

int page_refused(preq *r, int rc, const bt_reply_result *res, const bt_err *e)
{
	if (rc == BT_EINPUT && res->quota == BT_QUOTA_RATE)
		r->retry_after = res->retry_after > 0 ? res->retry_after : 1;
	if (rc == BT_EINPUT && res->quota != BT_QUOTA_NONE)
		return reason_page(r, res->quota == BT_QUOTA_BYTES ? 413 : 429, e);
	return page_engine_error(r, e);
}

int page_not_found(preq *r)
{
	return page_error(r, 404, L(r, "err_not_found"));
}

int portal_no_room(preq *r)
{
	r->retry_after = 60;
	return page_error(r, 503, "sessions: the portal holds as many open sessions as it can; try again in a minute");
}
