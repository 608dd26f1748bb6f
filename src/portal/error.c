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
	/* the engine names fields as the command line spells them (--member) */
	html_text(&r->out, !strncmp(msg, "--", 2) ? msg + 2 : msg);
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

int page_refused(preq *r, int rc, const bt_reply_result *res, const char *msg)
{
	if (rc == BT_EINPUT && res->quota == BT_QUOTA_RATE)
		r->retry_after = res->retry_after > 0 ? res->retry_after : 1;
	return page_error(r, rc != BT_EINPUT ? 500 : res->quota == BT_QUOTA_BYTES ? 413
			  : res->quota == BT_QUOTA_RATE ? 429 : 400, msg);
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
