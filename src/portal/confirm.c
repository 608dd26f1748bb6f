/* confirm.c - the confirmation pages' form (confirm.h). */
#include <stdio.h>
#include "portal/confirm.h"
#include "portal/html.h"
#include "portal/once.h"

/* A hidden field name=value. */
static void hidden(preq *r, const char *name, const char *value)
{
	bt_buf_addf(&r->out, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	html_text(&r->out, value);
	bt_buf_adds(&r->out, "\">\n");
}

void staff_once_name(char out[PORTAL_ONCE_FORM], const char *act, const char *circular)
{
	snprintf(out, PORTAL_ONCE_FORM, "%s:%s", act, circular);
}

void staff_confirm_open(preq *r, const char *action, const char *once_form, const char *const *hidden_fields)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<form method=\"post\" action=\"");
	html_text(b, action);
	bt_buf_adds(b, "\">\n");
	html_csrf(r, r->s.csrf);
	once_field(r, once_form);
	for (size_t i = 0; hidden_fields && hidden_fields[i]; i += 2)
		hidden(r, hidden_fields[i], hidden_fields[i + 1]);
}

void staff_confirm_form(preq *r, const char *action, const char *once_form, const char *const *hidden_fields,
			const char *key, const char *const *vars, const char *back)
{
	staff_confirm_open(r, action, once_form, hidden_fields);
	staff_confirm_close(r, key, vars, back);
}

void staff_confirm_close(preq *r, const char *key, const char *const *vars, const char *back)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<button type=\"submit\" class=\"danger\" id=\"confirm\">");
	Lf(r, b, key, vars);
	bt_buf_adds(b, "</button>\n</form>\n<p><a href=\"");
	html_text(b, back);
	bt_buf_adds(b, "\">");
	html_text(b, L(r, "cancel_back"));
	bt_buf_adds(b, "</a></p>\n");
}

