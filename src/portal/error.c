/* error.c - error pages: a status and one line in the page frame
 * (error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "portal/answer.h"
#include "portal/error.h"
#include "portal/html.h"

/* The title of status in r's language ("status_404"), or the title of
 * 400 or 500 for a status the pages do not name. */
static const char *status_title(preq *r, int status)
{
	char key[16];
	snprintf(key, sizeof key, "status_%d", status);
	const char *t = L(r, key);
	return t && *t ? t : L(r, status >= 500 ? "status_500" : "status_400");
}

/* The link to the home page (of the signed-in, else the sign-in page). */
static void home_link(preq *r)
{
	bt_buf_adds(&r->out, "<p class=\"home\"><a href=\"/\">");
	html_text(&r->out, L(r, "home_link"));
	bt_buf_adds(&r->out, "</a></p>\n");
}

/* The engine's (or the server's) English line, for the secretariat. */
static void details(preq *r, const char *line)
{
	if (!line || !*line)
		return;
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<details class=\"engine\"><summary>");
	html_text(b, L(r, "fail_details"));
	bt_buf_adds(b, "</summary>\n<p lang=\"en\" dir=\"ltr\"><code class=\"engine-line\">");
	html_text(b, line);
	bt_buf_adds(b, "</code></p></details>\n");
}

/* A status page: its title in r's language, msg (in r's language), the
 * English line (may be NULL), the link home. */
static int status_page(preq *r, int status, const char *msg, const char *line)
{
	bt_buf_reset(&r->out);
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	r->filename[0] = '\0';
	page_begin(r, status_title(r, status));
	bt_buf_addf(&r->out, "<p class=\"error\" role=\"alert\" data-status=\"%d\">", status);
	html_text(&r->out, msg);
	bt_buf_adds(&r->out, "</p>\n");
	details(r, line);
	home_link(r);
	page_end(r);
	return 0;
}

int page_error(preq *r, int status, const char *msg)
{
	return status_page(r, status, msg, NULL);
}

int page_status(preq *r, int status, const char *key, const char *fmt, ...)
{
	char line[700] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(line, sizeof line, fmt, ap);
		va_end(ap);
	}
	return status_page(r, status, L(r, key), line);
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
static void reason_sentence(preq *r, const bt_err *e, const char *field, bt_buf *out)
{
	const char *key = reason_key(e->reason);
	int with_field = e->reason >= BT_R_INPUT && e->reason <= BT_R_FORBIDDEN;
	const char *label = with_field ? label_key(field) : NULL;
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
	html_text(b, r->refusal && r->refusal->field[0] ? r->refusal->field : e->field);
	bt_buf_adds(b, "\">");
	bt_buf sentence = BT_BUF_INIT;
	reason_sentence(r, e, r->refusal && r->refusal->field[0] ? r->refusal->field : e->field, &sentence);
	html_text(b, bt_buf_str(&sentence));
	bt_buf_release(&sentence);
	bt_buf_adds(b, "</p>\n");
	char buf[64], msg[sizeof e->msg + 128];
	bt_err_render(e, form_name_of, buf, msg, sizeof msg);
	details(r, msg);
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
	home_link(r);
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

int form_refused_reply(preq *r, prefusal *x, int rc, const bt_reply_result *res, const bt_err *e)
{
	if (!form_refused(e)) {
		page_engine_error(r, e);
		return -1;
	}
	int status = 0;
	if (rc == BT_EINPUT && res->quota == BT_QUOTA_RATE)
		r->retry_after = res->retry_after > 0 ? res->retry_after : 1;
	if (rc == BT_EINPUT && res->quota != BT_QUOTA_NONE)
		status = res->quota == BT_QUOTA_BYTES ? 413 : 429;
	form_refusal(r, x, status, e);
	return 1;
}

int page_not_found(preq *r)
{
	return page_error(r, 404, L(r, "err_not_found"));
}

int portal_no_room(preq *r)
{
	r->retry_after = 60;
	return page_status(r, 503, "err_no_room",
			   "sessions: the portal holds as many open sessions as it can; try again in a minute");
}

/* ---- a refused form shown again ---- */

/* 1 when word names a field a form of the portal asks for. */
static int known_field(const char *word, size_t n)
{
	for (const word_key *k = portal_field_words; k->word; k++)
		if (strlen(k->word) == n && !strncmp(k->word, word, n))
			return 1;
	return 0;
}

/* The field and the draft e concerns: e->field, or for a message the
 * engine wrote without one ("attachment: ...") the word it starts with;
 * a draft's context before it ("Q.5051: attachment: ...", bt_err_wrap) is
 * the draft. The one place where the engine's lines are read. */
static void field_of(const bt_err *e, char field[32], char rec[64])
{
	const char *m = e->msg;
	size_t n = strcspn(m, ":");
	snprintf(field, 32, "%s", e->field);
	rec[0] = '\0';
	if (m[n] != ':')
		return;
	if (!e->field[0] && known_field(m, n)) {
		snprintf(field, 32, "%.*s", (int)n, m);
		return;
	}
	if ((e->field[0] && !strncmp(m, e->field, n) && !e->field[n]) || !strncmp(m, "{field}", n))
		return;
	/* "REC: rest": the draft's context */
	const char *rest = m + n + strspn(m + n, ": ");
	size_t k = strcspn(rest, ":");
	if (!e->field[0] && rest[k] == ':' && known_field(rest, k))
		snprintf(field, 32, "%.*s", (int)k, rest);
	if (field[0] && n < 64 && !memchr(m, ' ', n))
		snprintf(rec, 64, "%.*s", (int)n, m);
}

int form_refused(const bt_err *e)
{
	return e->reason >= BT_R_INPUT && e->reason <= BT_R_FORBIDDEN;
}

void form_refusal(preq *r, prefusal *x, int status, const bt_err *e)
{
	memset(x, 0, sizeof *x);
	x->e = *e;
	x->status = status ? status : status_of(e->reason);
	field_of(e, x->field, x->rec);
	r->refusal = x;
	r->status = x->status;
	r->ctype = "text/html; charset=utf-8";
	bt_buf_reset(&r->out);
}

void form_refusal_at(preq *r, prefusal *x, int status, bt_reason reason, const char *field, const char *rec,
		     const char *fmt, ...)
{
	bt_err e;
	char msg[sizeof e.msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	bt_failf(&e, reason, field, "%s", msg);
	form_refusal(r, x, status, &e);
	if (rec)
		snprintf(x->rec, sizeof x->rec, "%s", rec);
}

const char *form_echo(preq *r, const char *name)
{
	return r->refusal ? pform_get(&r->form, name) : r->prefill ? pform_get(r->prefill, name) : "";
}

/* 1 when the refusal shown concerns field (of draft rec: NULL any). */
static int names(const preq *r, const char *field, const char *rec)
{
	const prefusal *x = r->refusal;
	return x && x->field[0] && !strcmp(x->field, field) && (!rec || !x->rec[0] || !strcmp(x->rec, rec));
}

void html_refusal_summary(preq *r)
{
	const prefusal *x = r->refusal;
	if (!x)
		return;
	bt_buf *b = &r->out;
	char title[32];
	snprintf(title, sizeof title, "fail_title_%s", reason_key(x->e.reason) + 5);
	bt_buf_adds(b, "<div class=\"error-summary\" id=\"error-summary\" tabindex=\"-1\" "
		       "aria-labelledby=\"error-summary-title\">\n<h2 id=\"error-summary-title\">");
	html_text(b, L(r, title));
	bt_buf_adds(b, "</h2>\n");
	if (x->key) {
		bt_buf_addf(b, "<p class=\"error\" role=\"alert\" data-reason=\"%s\" data-field=\"%s\">",
			    bt_reason_name(x->e.reason), x->field);
		html_text(b, L(r, x->key));
		bt_buf_adds(b, "</p>\n");
		char buf[64], msg[sizeof x->e.msg + 128];
		bt_err_render(&x->e, form_name_of, buf, msg, sizeof msg);
		details(r, msg);
	} else {
		html_engine_error(r, &x->e);
	}
	if (x->anchor[0]) {
		bt_buf_addf(b, "<p><a class=\"to-field\" href=\"#%s\">", x->anchor);
		html_text(b, L(r, "err_go_field"));
		bt_buf_adds(b, "</a></p>\n");
	}
	if (r->form.files) {
		bt_buf_adds(b, "<p class=\"files-again\">");
		html_text(b, L(r, "err_files_again"));
		bt_buf_adds(b, "</p>\n");
	}
	bt_buf_adds(b, "</div>\n");
}

void html_field_invalid(preq *r, const char *field, const char *rec, const char *id)
{
	if (!names(r, field, rec))
		return;
	bt_buf_addf(&r->out, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", id);
	if (!r->refusal->focused) {
		/* the first field in error takes the focus, script or not */
		r->refusal->focused = 1;
		bt_buf_adds(&r->out, " autofocus");
	}
}

void html_field_error(preq *r, const char *field, const char *rec, const char *id)
{
	if (!names(r, field, rec))
		return;
	const prefusal *x = r->refusal;
	bt_buf sentence = BT_BUF_INIT;
	if (x->key)
		bt_buf_adds(&sentence, L(r, x->key));
	else
		reason_sentence(r, &x->e, x->field, &sentence);
	bt_buf_addf(&r->out, "<p class=\"field-error\" id=\"err-%s\">", id);
	html_text(&r->out, bt_buf_str(&sentence));
	bt_buf_adds(&r->out, "</p>\n");
	bt_buf_release(&sentence);
}
