/* once.c - exactly-once submission of a form (once.h). The tokens live in
 * memory with the sessions (session.c): a server restart ends both, so a
 * form sent after one is refused by the session check (err_signed_out)
 * before its token is looked at, and nothing is recorded twice. */
#include <stdio.h>
#include <string.h>
#include "portal/answer.h"
#include "portal/error.h"
#include "portal/html.h"
#include "portal/once.h"

void once_field(preq *r, const char *form)
{
	char tok[65];
	if (!r->signed_in ||
	    session_once_issue(r->p->sessions, r->session_token, form, portal_mono_ms(), tok))
		return;
	bt_buf_adds(&r->out, "<input type=\"hidden\" name=\"once\" value=\"");
	html_text(&r->out, tok);
	bt_buf_adds(&r->out, "\">\n");
}

int once_begin(preq *r, const char *form)
{
	char loc[PORTAL_ONCE_LOC];
	const char *once = pform_get(&r->form, "once");
	switch (session_once_claim(r->p->sessions, r->session_token, form, once, portal_mono_ms(), loc,
				   sizeof loc)) {
	case ONCE_NEW:
		return 1;
	case ONCE_DONE:
		page_redirect(r, loc);
		return 0;
	case ONCE_BUSY:
		page_error(r, 409, L(r, "err_once_busy"));
		return 0;
	case ONCE_UNKNOWN:
	default:
		page_error(r, 409, L(r, "err_once_unknown"));
		return 0;
	}
}

int once_spent(preq *r, const char *form)
{
	char loc[PORTAL_ONCE_LOC];
	if (!session_once_spent(r->p->sessions, r->session_token, form, pform_get(&r->form, "once"),
				portal_mono_ms(), loc, sizeof loc))
		return 0;
	page_redirect(r, loc);
	return 1;
}

int once_done(preq *r, const char *location)
{
	const char *once = pform_get(&r->form, "once");
	session_once_finish(r->p->sessions, r->session_token, once, location, portal_mono_ms());
	if (location)
		page_redirect(r, location);
	return 0;
}
