/* page_signin.c - signing in and out (page_signin.h).
 *
 * Before sign-in there is no session, so the forms are protected by a
 * double-submitted token: a random value in the __Host-pre cookie that the
 * form must echo. Attempts are throttled (throttle.c) per client address and
 * per address and member or user name, counted before the secret is checked;
 * a name that many addresses guess only slows down the addresses that have
 * failed, never one that brings the right secret afresh. Every refusal looks
 * the same, whatever was wrong.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include "portal/answer.h"
#include "portal/error.h"
#include "portal/form.h"
#include "portal/html.h"
#include "portal/identity.h"
#include "portal/page_signin.h"
#include "portal/session.h"
#include "portal/throttle.h"

static const char *pre_token(preq *r)
{
	const char *t = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, PORTAL_PRE_COOKIE);
	if (!t || strlen(t) != 64 || strspn(t, "0123456789abcdef") != 64)
		return NULL;
	return t;
}

static void field(preq *r, const char *name, const char *label_key, const char *type,
		  const char *autocomplete)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<label for=\"%s\">", name);
	html_text(b, L(r, label_key));
	bt_buf_addf(b, "</label>\n<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" required>\n",
		    name, name, type, autocomplete);
}

/* One sign-in form: kind "member" (member + code) or "user" (user +
 * password), with the pre-session token tok. */
static void signin_form(preq *r, const char *tok, const char *kind, const char *legend_key,
			const char *help_key, const char *who, const char *secret)
{
	bt_buf *b = &r->out;
	char key[32];
	bt_buf_adds(b, "<form method=\"post\" action=\"/signin\">\n<fieldset><legend>");
	html_text(b, L(r, legend_key));
	bt_buf_adds(b, "</legend>\n");
	if (help_key) {
		bt_buf_adds(b, "<p>");
		html_text(b, L(r, help_key));
		bt_buf_adds(b, "</p>\n");
	}
	bt_buf_addf(b, "<input type=\"hidden\" name=\"kind\" value=\"%s\">\n", kind);
	html_csrf(r, tok);
	snprintf(key, sizeof key, "%s_label", who);
	field(r, who, key, "text", "username");
	snprintf(key, sizeof key, "%s_label", secret);
	field(r, secret, key, "password", "current-password");
	bt_buf_adds(b, "<button type=\"submit\">");
	html_text(b, L(r, "signin_button"));
	bt_buf_adds(b, "</button>\n</fieldset>\n</form>\n");
}

/* The sign-in page with both forms; msg (may be NULL) is shown on top.
 * Nothing the user typed is echoed: every refusal looks the same. */
static int signin_page(preq *r, int status, const char *msg)
{
	char fresh[65];
	const char *tok = pre_token(r);
	if (!tok) {
		portal_token(fresh);
		tok = fresh;
		snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
			 PORTAL_PRE_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600", tok);
	}
	bt_buf_reset(&r->out);
	r->status = status;
	page_begin(r, L(r, "signin_title"));
	if (msg) {
		bt_buf_adds(&r->out, "<p class=\"error\" role=\"alert\">");
		html_text(&r->out, msg);
		bt_buf_adds(&r->out, "</p>\n");
	}
	signin_form(r, tok, "member", "signin_member", "signin_member_help", "member", "code");
	signin_form(r, tok, "user", "signin_staff", NULL, "user", "password");
	page_end(r);
	return 0;
}

int page_signin(preq *r)
{
	if (r->signed_in)
		return page_redirect(r, portal_home(&r->s.id));
	return signin_page(r, 200, NULL);
}

int page_signin_post(preq *r)
{
	const char *tok = pre_token(r);
	if (!tok || !csrf_ok(&r->form, tok))
		return page_error(r, 403, L(r, "err_csrf"));
	const char *kind = pform_get(&r->form, "kind");
	int member = !strcmp(kind, "member");
	if (!member && strcmp(kind, "user"))
		return page_errorf(r, 400, "kind: '%.40s' is not member or user", kind);
	const char *who = pform_get(&r->form, member ? "member" : "user");
	const char *secret = pform_get(&r->form, member ? "code" : "password");
	if (strlen(who) > 64)
		return page_error(r, 400, member ? "member: longer than 64 bytes" : "user: longer than 64 bytes");
	char kwho[96];
	/* one key per member however it is spelt (CN, chn, CHN) */
	char canon[4];
	bt_err ce;
	if (member && bt_member_resolve(r->db, "member", who, canon, &ce) == BT_OK)
		who = canon;
	snprintf(kwho, sizeof kwho, "%s:%s", member ? "member" : "user", who);
	for (char *c = kwho; *c; c++)
		if (*c >= 'a' && *c <= 'z' && member)
			*c = (char)(*c - 32);
	/* the attempt is counted before its PBKDF2 runs, so that parallel
	 * attempts cannot pass the count together */
	throttle_ticket tk;
	int wait = throttle_begin(r->p->throttle, r->ip, kwho, portal_mono_ms(), &tk);
	if (!wait && !(tk.held[0] && tk.held[1] && tk.held[2]) && r->p->log) {
		/* only when the table is full of throttling records (throttle.c);
		 * said at the 1st, 2nd, 4th, 8th ... time */
		uint64_t n = throttle_unrecorded(r->p->throttle);
		if (!(n & (n - 1))) {
			char line[160];
			snprintf(line, sizeof line, "sign-in throttling: no room to record an attempt (%llu so far)",
				 (unsigned long long)n);
			r->p->log(line);
		}
	}
	if (wait > 0) {
		char s[16];
		snprintf(s, sizeof s, "%d", wait);
		const char *vars[] = { "seconds", s, NULL };
		bt_buf msg = BT_BUF_INIT;
		Lplain(r, &msg, "err_throttled", vars);
		r->retry_after = wait;
		signin_page(r, 429, bt_buf_str(&msg));
		bt_buf_release(&msg);
		return 0;
	}
	bt_identity id;
	bt_err e;
	int rc = member ? bt_code_check(r->db, who, secret, &id, &e) : bt_user_check(r->db, who, secret, &id, &e);
	/* not checked (BT_EFAIL): the attempt is given back */
	throttle_end(r->p->throttle, &tk, rc == BT_OK ? 1 : rc == BT_EINPUT ? 0 : -1, portal_mono_ms());
	if (rc == BT_EFAIL)
		return page_error(r, 500, "the sign-in could not be checked now");
	if (rc)
		/* the same page whatever was wrong (nothing echoed back) */
		return signin_page(r, 401, L(r, "err_signin"));
	/* id.code_id names the code the session stands on: revoking or
	 * replacing it ends the session (server.c) */
	if (session_create(r->p->sessions, &id, NULL, portal_mono_ms(), r->session_token, &r->s)) {
		memset(&r->s, 0, sizeof r->s);
		return portal_no_room(r);
	}
	r->signed_in = 1;
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 PORTAL_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%d", r->session_token,
		 PORTAL_SESSION_LIFE);
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 PORTAL_PRE_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	return page_redirect(r, portal_home(&id));
}

int page_signout(preq *r)
{
	session_drop(r->p->sessions, r->session_token, portal_mono_ms());
	r->signed_in = 0;
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 PORTAL_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	return page_redirect(r, "/signin");
}
