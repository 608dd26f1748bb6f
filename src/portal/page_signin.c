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

/* A field of a sign-in form; a name (not a secret) keeps what was typed
 * when a refused form is shown again. */
static void field(preq *r, const char *name, const char *label_key, const char *type,
		  const char *autocomplete)
{
	bt_buf *b = &r->out;
	int secret = !strcmp(type, "password");
	bt_buf_addf(b, "<label for=\"%s\">", name);
	html_text(b, L(r, label_key));
	bt_buf_adds(b, "</label>\n");
	html_field_error(r, name, NULL, name);
	bt_buf_addf(b, "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" required", name, name, type,
		    autocomplete);
	if (!secret && *form_echo(r, name)) {
		bt_buf_adds(b, " value=\"");
		html_text(b, form_echo(r, name));
		bt_buf_adds(b, "\"");
	}
	html_field_invalid(r, name, NULL, name);
	bt_buf_adds(b, ">\n");
}

/* One sign-in form: kind "member" (member + code) or "user" (user +
 * password), with the pre-session token tok. */
static void signin_form(preq *r, const char *tok, const char *kind, const char *legend_key,
			const char *help_key, const char *who, const char *secret)
{
	bt_buf *b = &r->out;
	char key[32];
	bt_buf_addf(b, "<form method=\"post\" action=\"/signin\" id=\"signin-%s\">\n<fieldset><legend>", kind);
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
 * Refused (r->refusal), the form sent is shown again with its name kept
 * (never its secret) and the sentence next to its secret: every refusal
 * of the secret looks the same. */
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

/* The sign-in page again after a refusal of a form:
 * status, the sentence of key (or msg) on top and key next to field. */
static int signin_refused(preq *r, int status, const char *key, const char *field, const char *msg)
{
	prefusal x;
	form_refusal_at(r, &x, status, BT_R_INPUT, field, NULL, "sign-in refused");
	x.key = key;
	signin_page(r, status, msg ? msg : L(r, key));
	r->refusal = NULL;
	return 0;
}

int page_signin(preq *r)
{
	if (r->signed_in)
		return page_redirect(r, portal_home(&r->s.id));
	return signin_page(r, 200, NULL);
}

/* Logs an attempt the throttle had no room to record: only when its
 * table is full of throttling records (throttle.c); said at the 1st, 2nd,
 * 4th, 8th ... time. */
static void log_unrecorded(preq *r, const throttle_ticket *tk)
{
	if ((tk->held[0] && tk->held[1] && tk->held[2]) || !r->p->log)
		return;
	uint64_t n = throttle_unrecorded(r->p->throttle);
	if (!(n & (n - 1))) {
		char line[160];
		snprintf(line, sizeof line, "sign-in throttling: no room to record an attempt (%llu so far)",
			 (unsigned long long)n);
		r->p->log(line);
	}
}

/* The session of id after its sign-in: its cookie, the pre-session
 * cookie dropped, 303 to its home page (503 when no room). */
static int start_session(preq *r, const bt_identity *id)
{
	/* id.code_id names the code the session stands on: revoking or
	 * replacing it ends the session (server.c) */
	if (session_create(r->p->sessions, id, NULL, portal_mono_ms(), r->session_token, &r->s)) {
		memset(&r->s, 0, sizeof r->s);
		return portal_no_room(r);
	}
	r->signed_in = 1;
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 PORTAL_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%d", r->session_token,
		 PORTAL_SESSION_LIFE);
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 PORTAL_PRE_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	return page_redirect(r, portal_home(id));
}

int page_signin_post(preq *r)
{
	const char *tok = pre_token(r);
	const char *kind = pform_get(&r->form, "kind");
	int member = !strcmp(kind, "member");
	if (!member && strcmp(kind, "user"))
		return page_status(r, 400, "err_bad_form", "kind: '%.40s' is not member or user", kind);
	const char *wk = member ? "member" : "user", *sk = member ? "code" : "password";
	/* a form older than the pre-session cookie: the page again, with a
	 * new one */
	if (!tok || !csrf_ok(&r->form, tok))
		return signin_refused(r, 403, "err_csrf", sk, NULL);
	const char *who = pform_get(&r->form, wk);
	const char *secret = pform_get(&r->form, sk);
	if (strlen(who) > 64)
		return signin_refused(r, 400, "err_signin", wk, NULL);
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
	if (!wait)
		log_unrecorded(r, &tk);
	if (wait > 0) {
		char s[16];
		snprintf(s, sizeof s, "%d", wait);
		const char *vars[] = { "seconds", s, NULL };
		bt_buf msg = BT_BUF_INIT;
		Lplain(r, &msg, "err_throttled", vars);
		r->retry_after = wait;
		signin_refused(r, 429, "err_signin_wait", sk, bt_buf_str(&msg));
		bt_buf_release(&msg);
		return 0;
	}
	bt_identity id;
	bt_err e;
	int rc = member ? bt_code_check(r->db, who, secret, &id, &e) : bt_user_check(r->db, who, secret, &id, &e);
	/* not checked (BT_EFAIL): the attempt is given back */
	throttle_end(r->p->throttle, &tk, rc == BT_OK ? 1 : rc == BT_EINPUT ? 0 : -1, portal_mono_ms());
	if (rc == BT_EFAIL)
		return page_status(r, 500, "err_signin_unchecked", "%s", e.msg);
	if (rc)
		/* the same page whatever was wrong (only the name echoed back) */
		return signin_refused(r, 401, "err_signin", sk, NULL);
	return start_session(r, &id);
}

int page_signout(preq *r)
{
	session_drop(r->p->sessions, r->session_token, portal_mono_ms());
	r->signed_in = 0;
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 PORTAL_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	return page_redirect(r, "/signin");
}
