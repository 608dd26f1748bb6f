/* circular.c - the consultation a page is about (circular.h). */
#include <string.h>
#include "ballot/audit.h"
#include "portal/circular.h"
#include "portal/error.h"
#include "portal/html.h"

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

int portal_rows_check(preq *r, const char *circular)
{
	bt_err e;
	if (bt_audit_circular(r->db, circular, &e))
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
