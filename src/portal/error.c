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

int page_engine_error(preq *r, const bt_err *e)
{
	static const int status[] = {
		[BT_R_NONE] = 500,     [BT_R_INPUT] = 400,     [BT_R_NOT_FOUND] = 404,
		[BT_R_CONFLICT] = 409, [BT_R_FORBIDDEN] = 403, [BT_R_DAMAGED] = 503,
		[BT_R_IO] = 500,       [BT_R_NOMEM] = 500,
	};
	char buf[64], msg[sizeof e->msg + 128];
	bt_err_render(e, form_name_of, buf, msg, sizeof msg);
	return page_error(r, (unsigned)e->reason < sizeof status / sizeof status[0] ? status[e->reason] : 500,
			  msg);
}

int page_refused(preq *r, int rc, const bt_reply_result *res, const bt_err *e)
{
	if (rc == BT_EINPUT && res->quota == BT_QUOTA_RATE)
		r->retry_after = res->retry_after > 0 ? res->retry_after : 1;
	if (rc == BT_EINPUT && res->quota != BT_QUOTA_NONE) {
		char buf[64], msg[sizeof e->msg + 128];
		bt_err_render(e, form_name_of, buf, msg, sizeof msg);
		return page_error(r, res->quota == BT_QUOTA_BYTES ? 413 : 429, msg);
	}
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
