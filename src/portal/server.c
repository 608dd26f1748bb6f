/* server.c - one request's life (server.h): its set-up (this thread's
 * database connection, language, client certificate, session), its body
 * read within the caps, dispatched through the route table (routes.c),
 * answered and freed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "portal/answer.h"
#include "portal/api.h"
#include "portal/body.h"
#include "portal/conn.h"
#include "portal/error.h"
#include "portal/form.h"
#include "portal/page_member.h"
#include "portal/page_member_pdf.h"
#include "portal/page_staff.h"
#include "portal/request.h"
#include "portal/routes.h"
#include "portal/server.h"
#include "portal/session.h"
#include "portal/tls.h"
#include "portal/words.h"

/* Every thread's database connection, closed when the server stops. */
static _Thread_local bt_db *thread_db;

static int thread_db_get(struct portal *p, bt_db **out, bt_err *e)
{
	if (thread_db) {
		*out = thread_db;
		return BT_OK;
	}
	bt_db *db = NULL;
	/* unmapped: SQLite unmaps a connection's whole mapping when it begins
	 * a read after any write, and every reply writes (the munmap's TLB
	 * shootdowns across the threads were 19 % of the server's CPU) */
	int rc = bt_db_open(p->db_path, BT_DB_UNMAPPED, &db, e);
	if (rc)
		return rc;
	pthread_mutex_lock(&p->lock);
	if (p->ndbs == sizeof p->dbs / sizeof p->dbs[0]) {
		pthread_mutex_unlock(&p->lock);
		bt_db_close(db);
		return bt_fail(e, BT_EFAIL, "too many request threads");
	}
	p->dbs[p->ndbs++] = db;
	pthread_mutex_unlock(&p->lock);
	thread_db = db;
	*out = db;
	return BT_OK;
}

/* 0 when r may ask for a page of role; else -1 and the answer: a redirect
 * to the sign-in page, or 403. */
static int need_role(preq *r, bt_role role)
{
	if (!r->signed_in)
		return page_redirect(r, "/signin"), -1;
	if (r->s.id.role != role) {
		page_error(r, 403, L(r, "err_role"));
		return -1;
	}
	return 0;
}

/* Answers r from the route table (routes.c): 405 with the Allow header
 * RFC 9110 requires for a method the path does not take, before anything
 * else is looked at; then every change (POST) needs the session's CSRF
 * token, except the sign-in form's before sign-in (the page checks the
 * pre-session cookie's) and the API's (PR_BEARER: the page checks the
 * bearer token); then the role; then the page. */
static int route(preq *r)
{
	char seg[128];
	const char *allow;
	const proute *rt = route_find(r->url, r->method, seg, &allow);
	if (!rt) {
		r->allow = allow;
		if (api_path(r->url))
			return api_method_error(r);
		return page_status(r, 405, "err_method", "method: %s is not allowed here (%s only)", r->method, allow);
	}
	/* a POST of the API brings a bearer token, no session */
	if (!strcmp(r->method, "POST") && rt->who != PR_BEARER && !(rt->who == PR_SIGNIN_FORM && !r->signed_in)) {
		if (!r->signed_in)
			return page_error(r, 403, L(r, "err_signed_out"));
		if (!csrf_ok(&r->form, r->s.csrf))
			return page_error(r, 403, L(r, "err_csrf"));
	}
	static const bt_role roles[] = { [PR_MEMBER] = BT_ROLE_MEMBER, [PR_SECRETARIAT] = BT_ROLE_SECRETARIAT,
					 [PR_CHAIR] = BT_ROLE_CHAIR };
	if (rt->who >= PR_MEMBER && need_role(r, roles[rt->who]))
		return 0;
	return rt->page_of ? rt->page_of(r, seg) : rt->page(r);
}

static void client_ip(preq *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->ip, sizeof r->ip, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip, sizeof r->ip);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->ip, sizeof r->ip);
}

/* The session the request's cookie names, when it is still in force and
 * goes with the request's client certificate (or its absence): r signed
 * in; a session whose code or account is no longer in force dropped. */
static int session_from_cookie(preqx *x, int64_t mono, bt_err *e)
{
	preq *r = &x->r;
	const char *tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, PORTAL_COOKIE);
	if (!tok || strlen(tok) != 64 || session_find(x->p->sessions, tok, mono, &r->s))
		return BT_OK;
	/* a session made for a certificate stays with that certificate,
	 * and a registered certificate speaks for itself: a cookie made
	 * for someone else (or by a reply code) does not override it */
	if (r->cert_ok ? !strcmp(r->s.cert_fp, r->cert_fp) : !r->s.cert_fp[0]) {
		r->signed_in = 1;
		snprintf(r->session_token, sizeof r->session_token, "%s", tok);
	}
	/* a session made with a reply code ends when the code is revoked
	 * or replaced; a staff session when its account is disabled or
	 * (signed in with a password) given a new password */
	int in_force = 1;
	if (r->signed_in && r->s.id.code_id && bt_code_in_force(r->db, r->s.id.code_id, &in_force, e))
		return BT_EFAIL;
	if (r->signed_in && in_force && bt_user_in_force(r->db, &r->s.id, &in_force, e))
		return BT_EFAIL;
	if (r->signed_in && !in_force) {
		session_drop(x->p->sessions, tok, mono);
		r->signed_in = 0;
		r->session_token[0] = '\0';
		memset(&r->s, 0, sizeof r->s);
	}
	return BT_OK;
}

/* The registered client certificate's own session (one per certificate),
 * under a new token when the request did not bring its cookie: r signed
 * in and the cookie set, or x->no_room when the session table is full. */
static void session_from_cert(preqx *x, int64_t mono)
{
	preq *r = &x->r;
	if (session_create(x->p->sessions, &r->cert_id, r->cert_fp, mono, r->session_token, &r->s)) {
		memset(&r->s, 0, sizeof r->s);
		x->no_room = 1;
		return;
	}
	r->signed_in = 1;
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
		 PORTAL_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%d", r->session_token,
		 PORTAL_SESSION_LIFE);
}

/* Everything about a request that does not need its body. */
static int start_request(preqx *x, bt_err *e)
{
	preq *r = &x->r;
	r->status = 200;
	bt_buf_init(&r->out, 0);
	client_ip(r);
	r->lang = portal_request_lang(r);
	if (x->p->fixed_now)
		r->now = x->p->now;
	else if (bt_now(&r->now, e))
		return BT_EFAIL;
	int rc = thread_db_get(x->p, &r->db, e);
	if (rc)
		return rc;
	char why[300];
	if (tls_client_cert(r, why, sizeof why)) {
		x->refused = 1;
		snprintf(x->refusal, sizeof x->refusal, "%s", why);
		return BT_OK;
	}
	/* the session: the cookie, or a registered client certificate */
	int64_t mono = portal_mono_ms();
	if (session_from_cookie(x, mono, e))
		return BT_EFAIL;
	if (!r->signed_in && r->cert_ok)
		session_from_cert(x, mono);
	return BT_OK;
}

/* A form the checks refused (form_check: status, why "field: ...") that
 * its page shows again (the reply form, the entry form): 1 with x->bad
 * made r's refusal, for the page to take (it records nothing); else 0,
 * and the status page is the answer. */
static int refused_to_page(preqx *x, int status, const char *why)
{
	char seg[128];
	const char *allow;
	const proute *rt = route_find(x->r.url, x->r.method, seg, &allow);
	if (!rt || (rt->page_of != page_member_reply && rt->page_of != page_secretariat_reply &&
		    rt->page_of != page_member_pdf_upload) ||
	    !(x->bad = calloc(1, sizeof *x->bad)))
		return 0;
	size_t n = strcspn(why, ":");
	char field[64];
	snprintf(field, sizeof field, "%.*s", (int)(n < 63 ? n : 63), why);
	form_refusal_at(&x->r, x->bad, status, BT_R_INPUT, field, "", "%s", why[n] ? why + n + 1 + (why[n + 1] == ' ')
									     : why);
	x->bad->key = status == 415 ? "err_file_type" : "err_bad_text";
	return 1;
}

void portal_finish(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct portal *p = cls;
	(void)toe;
	/* the answer is out: the next request head's deadline starts now */
	conns_request_done(p->conns, c);
	preqx *x = *req_cls;
	if (!x)
		return;
	if (x->pp)
		MHD_destroy_post_processor(x->pp);
	pform_release(&x->r.form);
	bt_buf_release(&x->r.out);
	free(x->bad);
	bt_buf_release(&x->r.body);
	free(x);
	*req_cls = NULL;
}

/* An answer made from the head alone (a refusal): sent now when no body
 * follows, or the client waits for "100 Continue", or declares more than
 * PORTAL_DRAIN_MAX bytes; else held (x->held) and sent once the body is
 * read and dropped, for a client answered while it is still sending may
 * lose the answer to the reset of the hang-up. */
static enum MHD_Result answer_head(preqx *x)
{
	struct MHD_Connection *c = x->r.conn;
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
	const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
	unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
	if ((n || te) && !(expect && !strcasecmp(expect, "100-continue")) && n <= PORTAL_DRAIN_MAX) {
		x->held = 1;
		x->body_max = 0; /* every byte only counted (request_body) */
		return MHD_YES;
	}
	return answer_send(&x->r);
}

/* The head of a POST is in: refuses (the answer queued or held, MHD_YES/NO
 * from answer_send or answer_head) what is not to be read (a method the
 * API path does not take, a signed-out POST beside the sign-in form, a
 * Content-Length over the cap, a body that is no form), or starts the
 * API's or the form's reader; -1 when the body is to be read. */
static int post_begin(preqx *x, struct MHD_Connection *c, const char *url, const char *method)
{
	char seg[128];
	const char *allow;
	const proute *rt = route_find(url, method, seg, &allow);
	if (!rt && api_path(url)) {
		x->r.allow = allow;
		api_method_error(&x->r);
		return answer_head(x);
	}
	if (rt && rt->who == PR_BEARER) /* a bearer token and a JSON body */
		return api_post_begin(x) ? (int)answer_head(x) : -1;
	if (!x->r.signed_in && !(rt && rt->who == PR_SIGNIN_FORM)) {
		page_error(&x->r, 403, L(&x->r, "err_signed_out"));
		return answer_head(x);
	}
	x->signin_form = rt && rt->who == PR_SIGNIN_FORM;
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > x->body_max) {
		page_status(&x->r, 413, "err_too_large", "request: %.24s bytes, over the limit of %llu", cl,
			    (unsigned long long)x->body_max);
		return answer_head(x);
	}
	x->pp = MHD_create_post_processor(c, 64 * 1024, body_field, x);
	if (!x->pp) {
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		page_status(&x->r, 415, "err_bad_form", "Content-Type: '%s' is not a form (urlencoded or multipart)",
			    ct ? ct : "");
		return answer_head(x);
	}
	return -1;
}

/* A request's first call, its head in: x made (*req_cls), the request set
 * up (start_request) and, for a POST, its body's reader started; or the
 * answer when it ends here (a server error, a refused certificate, no room
 * for a session, a POST not to be read). */
static enum MHD_Result request_head(struct portal *p, struct MHD_Connection *c, const char *url,
				    const char *method, void **req_cls)
{
	preqx *x = calloc(1, sizeof *x);
	if (!x)
		return MHD_NO;
	*req_cls = x;
	x->p = p;
	x->r.p = p;
	x->r.conn = c;
	x->r.url = url;
	x->r.method = method;
	bt_err e;
	if (start_request(x, &e)) {
		/* the page in the reader's language, which needs no database */
		page_status(&x->r, 500, "err_server", NULL);
		if (p->log) {
			char line[600];
			snprintf(line, sizeof line, "error: %s", e.msg);
			p->log(line);
		}
		return answer_head(x);
	}
	if (x->refused)
		return page_status(&x->r, 403, "err_cert", "%s", x->refusal), answer_head(x);
	if (x->no_room)
		return portal_no_room(&x->r), answer_head(x);
	/* the head is in: a signed-in request is answered without the
	 * connection deadline (conn.c); any other keeps it, body too */
	conns_request_begin(p->conns, c, x->r.signed_in);
	/* Before sign-in only the sign-in form is read (the one route
	 * taken then: PR_SIGNIN_FORM), and it is small; any other POST
	 * is refused from its head, its body only dropped (answer_head). */
	x->body_max = x->r.signed_in ? p->body_max : PORTAL_SIGNIN_BODY_MAX;
	if (!strcmp(method, "POST")) {
		int rc = post_begin(x, c, url, method);
		if (rc >= 0)
			return (enum MHD_Result)rc;
	}
	return MHD_YES;
}

/* A piece of the body: kept (raw API body) or given to the form's reader
 * within the cap; past the cap only counted, and a client sending 16 MiB
 * beyond it is hung up on. */
static enum MHD_Result request_body(preqx *x, const char *upload, size_t *upload_size)
{
	x->body_len += *upload_size;
	if (x->body_len > x->body_max)
		x->too_big = 1;
	if (x->too_big) { /* refused already: only counted */
		if (x->body_len > x->body_max && x->body_len - x->body_max > PORTAL_DRAIN_MAX)
			return MHD_NO; /* a client that will not stop: hang up */
	} else if (x->r.raw_body) {
		bt_buf_add(&x->r.body, upload, *upload_size);
	} else if (x->pp && MHD_post_process(x->pp, upload, *upload_size) != MHD_YES) {
		x->bad_body = 1;
	}
	*upload_size = 0;
	return MHD_YES;
}

/* The whole request is in: the body's refusals (over the cap, a nameless
 * part, unparsable, too many fields, a field the checks refuse), else the
 * route's page; the answer queued. */
static enum MHD_Result request_answer(preqx *x)
{
	preq *r = &x->r;
	if (x->held) /* answered from the head (answer_head) */
		return answer_send(&x->r);
	if (x->too_big && x->r.raw_body) {
		api_body_too_large(r, NULL, x->body_max);
		return answer_send(&x->r);
	}
	if (x->too_big) {
		page_status(r, 413, "err_too_large", "request: over the limit of %llu bytes (a file may be at most %lld "
			    "bytes)", (unsigned long long)x->body_max, (long long)x->p->attachment_max);
		return answer_send(&x->r);
	}
	if (x->nameless)
		return page_status(r, 400, "err_bad_form", "request: a form part has no name (Content-Disposition: "
				   "form-data; name=...)"), answer_send(&x->r);
	if (x->bad_body)
		return page_status(r, 400, "err_bad_form", "request: the form data cannot be parsed"), answer_send(&x->r);
	if (r->form.overflow) {
		page_status(r, 413, "err_too_large", "request: more than %d fields or %d files", PORTAL_MAX_FIELDS,
			    PORTAL_MAX_FILES);
		return answer_send(&x->r);
	}
	char why[400];
	int status = form_check(&r->form, why, sizeof why);
	if (status && !refused_to_page(x, status, why))
		return page_status(r, status, status == 415 ? "err_file_type" : "err_bad_text", "%s", why),
		       answer_send(&x->r);
	/* a sign-in's small body is in: its PBKDF2 (queued behind others' when
	 * many sign in at once) is the server's to finish, not cut by the
	 * connection's deadline; its answer is small */
	if (x->signin_form)
		conns_request_begin(x->p->conns, r->conn, 1);
	/* HEAD: the whole answer, whose body libmicrohttpd leaves out while
	 * its Content-Length stays that of the GET */
	route(r);
	return answer_send(&x->r);
}

enum MHD_Result portal_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	(void)version;
	preqx *x = *req_cls;
	if (!x)
		return request_head(cls, c, url, method, req_cls);
	if (*upload_size)
		return request_body(x, upload, upload_size);
	if (x->answered)
		return MHD_YES;
	x->answered = 1;
	return request_answer(x);
}
