/* server.c - the HTTPS server: TLS set-up, client certificates, request
 * bodies with their caps, routing, security headers (portal.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "pdf/tmpl.h"
#include "pdf/annex2.h"
#include "pdf/lang.h"
#include "portal/portal.h"
#include "portal/internal.h"

/* Every thread's database connection, closed when the server stops. */
static _Thread_local bt_db *thread_db;

static int thread_db_get(struct portal *p, bt_db **out, bt_err *e)
{
	if (thread_db) {
		*out = thread_db;
		return BT_OK;
	}
	bt_db *db = NULL;
	int rc = bt_db_open(p->db_path, 0, &db, e);
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

/* ---- the body ---- */

/* The checks of a parsed form before any page sees it: one value per
 * field; text fields clean UTF-8 and without a NUL byte (pages read values
 * as C strings, so "code=X%00junk" would pass as "X"); files of a type the
 * engine knows whose first bytes are of that type (bt_attachment_kind: an
 * unknown extension is refused here, as is one its bytes belie). 0 when the
 * form passes, else the status to answer (400, 415) with
 * msg saying why, naming the field. */
static int form_check(const pform *f, char *msg, size_t n)
{
	for (size_t i = 0; i < f->n; i++) {
		const pfield *fl = &f->v[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->v[j].name, fl->name))
				return snprintf(msg, n, "%s: given more than once (one value or file per field)",
						fl->name), 400;
		if (!fl->filename && fl->value.len && memchr(fl->value.data, '\0', fl->value.len))
			return snprintf(msg, n, "%s: has a NUL byte", fl->name), 400;
		/* a name a reader tells apart by eye: no invisible or bidi
		 * control character (bt_name_clean); other text: no bidi
		 * control (bt_text_clean) */
		int is_name = fl->filename || !strcmp(fl->name, "signatory") || !strcmp(fl->name, "title");
		uint32_t hidden = bt_text_hidden(fl->filename ? fl->filename : bt_buf_str(&fl->value), is_name);
		if (hidden)
			return snprintf(msg, n, "%s: has U+%04X, an invisible or bidirectional control character"
					" that can disguise %s", fl->name, (unsigned)hidden,
					fl->filename ? "a file name" : "text"), 400;
		if (!fl->filename && !bt_text_clean(bt_buf_str(&fl->value), 1))
			return snprintf(msg, n, "%s: not valid UTF-8 or has control characters", fl->name), 400;
		bt_file_kind kind = fl->filename && fl->value.len
					    ? bt_attachment_kind(fl->filename, fl->value.data, fl->value.len)
					    : BT_FILE_OK;
		const char *name = fl->filename && bt_text_clean(fl->filename, 0) ? fl->filename : "(unprintable)";
		/* a mismatch has one of the known (ASCII) extensions */
		if (kind == BT_FILE_MISMATCH)
			return snprintf(msg, n, "%s: '%.80s' is not a %s file (its first bytes are of another kind)",
					fl->name, name, strrchr(fl->filename, '.')), 415;
		if (kind == BT_FILE_UNKNOWN)
			return snprintf(msg, n, "%s: '%.80s' is not an accepted file type (" BT_FILE_TYPES ")",
					fl->name, name), 415;
	}
	return 0;
}

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *filename, const char *content_type,
				 const char *transfer_encoding, const char *data, uint64_t off,
				 size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	preqx *x = cls;
	pform *f = &x->r.form;
	pfield *fl = f->n ? &f->v[f->n - 1] : NULL;
	/* libmicrohttpd passes a NULL key for a multipart part without a name
	 * (no name= in its Content-Disposition, or no Content-Disposition at
	 * all): such a body is no form of ours; stop reading it */
	if (!key) {
		x->nameless = 1;
		return MHD_NO;
	}
	if (size && !data) {
		x->bad_body = 1;
		return MHD_NO;
	}
	/* a continuation of the last value */
	if (!(fl && off > 0 && !strcmp(fl->name, key))) {
		if (f->n == PORTAL_MAX_FIELDS || strlen(key) >= sizeof fl->name) {
			f->overflow = 1;
			return MHD_YES;
		}
		if (filename && f->files == PORTAL_MAX_FILES) {
			f->overflow = 1;
			return MHD_YES;
		}
		fl = &f->v[f->n++];
		memset(fl, 0, sizeof *fl);
		snprintf(fl->name, sizeof fl->name, "%s", key);
		if (filename) {
			const char *base = strrchr(filename, '/');
			const char *bs = strrchr(filename, '\\');
			if (bs && (!base || bs > base))
				base = bs;
			fl->filename = strdup(base ? base + 1 : filename);
			if (!fl->filename) {
				f->overflow = 1;
				return MHD_NO;
			}
			f->files++;
			snprintf(fl->content_type, sizeof fl->content_type, "%s",
				 content_type ? content_type : "");
			bt_buf_init(&fl->value, (size_t)x->p->attachment_max);
		} else {
			bt_buf_init(&fl->value, 64 * 1024);
		}
	}
	if (fl->too_big)
		return MHD_YES;
	if (size && bt_buf_add(&fl->value, data, size)) {
		fl->too_big = 1;
		x->too_big = 1;
	}
	return MHD_YES;
}

void pform_release(pform *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].filename);
		bt_buf_release(&f->v[i].value);
	}
	f->n = 0;
}

const char *pform_get(const pform *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].filename && !strcmp(f->v[i].name, name))
			return bt_buf_str(&f->v[i].value);
	return "";
}

const pfield *pform_file(const pform *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].filename && !strcmp(f->v[i].name, name) && f->v[i].value.len > 0 &&
		    f->v[i].filename[0])
			return &f->v[i];
	return NULL;
}

/* ---- answering ---- */

static const char *status_text(int s)
{
	switch (s) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	default: return "Error";
	}
}

static void add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; style-src 'self'; img-src 'self'; "
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
}

/* s for the access log, as one field: bytes outside printable ASCII, space,
 * '"', '%' and '\\' as %XX (so it decodes back to s), "-" when empty, cut
 * short with "..." when it would not fit in n bytes. */
static void log_field(char *out, size_t n, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	if (!s || !*s) {
		snprintf(out, n, "-");
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = c > 0x20 && c < 0x7f && c != '"' && c != '%' && c != '\\';
		if (o + (plain ? 1 : 3) + 4 > n) { /* room for "..." and the NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

static enum MHD_Result send_answer(preqx *x)
{
	preq *r = &x->r;
	if (r->out.failed) {
		bt_buf_release(&r->out);
		bt_buf_adds(&r->out, "out of memory\n");
		r->status = 500;
		r->ctype = "text/plain; charset=utf-8";
	}
	size_t len = 0;
	char *body = bt_buf_detach(&r->out, &len);
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body ? body : (void *)"", body ? MHD_RESPMEM_MUST_FREE
										: MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	add_security_headers(resp);
	MHD_add_response_header(resp, "Cache-Control", r->status == 200 && r->ctype &&
				!strcmp(r->ctype, "text/css") ? "public, max-age=3600" : "no-store");
	MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	for (int i = 0; i < r->ncookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->retry_after > 0) {
		char s[16];
		snprintf(s, sizeof s, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", s);
	}
	if (r->filename[0]) {
		char cd[200];
		snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", r->filename);
		MHD_add_response_header(resp, "Content-Disposition", cd);
	}
	if (r->status >= 400 && r->status != 401 && r->status != 403 && r->status != 404)
		MHD_add_response_header(resp, "Connection", "close");
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	if (x->p->log) {
		/* Every field the client controls is percent-encoded, so a line
		 * is always six space-separated ASCII fields: time (added by the
		 * logger), address, method, path (never the query, which could
		 * carry anything), status, who. */
		char line[700], method[100], path[400], who[100] = "-";
		log_field(method, sizeof method, r->method);
		log_field(path, sizeof path, r->url);
		if (r->signed_in || r->cert_ok) {
			const bt_identity *id = r->signed_in ? &r->s.id : &r->cert_id;
			log_field(who, sizeof who, id->role == BT_ROLE_MEMBER ? id->member : id->user);
		}
		snprintf(line, sizeof line, "%s %s %s %d %s", r->ip, method, path, r->status, who);
		x->p->log(line);
	}
	return ok;
}

int page_error(preq *r, int status, const char *msg)
{
	bt_buf_reset(&r->out);
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	page_begin(r, status_text(status));
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
		[BT_R_NONE] = 500,     [BT_R_INPUT] = 400,   [BT_R_NOT_FOUND] = 404,
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

int page_redirect(preq *r, const char *path)
{
	r->status = 303;
	snprintf(r->location, sizeof r->location, "%s", path);
	bt_buf_reset(&r->out);
	return 0;
}

int portal_no_room(preq *r)
{
	r->retry_after = 60;
	return page_error(r, 503, "sessions: the portal holds as many open sessions as it can; try again in a minute");
}

void portal_actor(const preq *r, char *out, size_t n)
{
	const bt_identity *id = &r->s.id;
	snprintf(out, n, "portal:%s", id->role == BT_ROLE_MEMBER ? id->member : id->user);
}

/* ---- client certificates ---- */

/* Checks the certificate the client presented on this connection, if any:
 * verified against the client CA (status 0) for client authentication, no
 * CA's itself, and registered. Sets r->cert_ok; returns -1 when one was
 * presented and is not accepted. */
static int check_client_cert(preqx *x, char *why, size_t whylen)
{
	preq *r = &x->r;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return 0;
	gnutls_session_t s = (gnutls_session_t)ci->tls_session;
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || n == 0)
		return 0;
	if (!x->p->client_ca) {
		snprintf(why, whylen, "client certificate: this server accepts none");
		return -1;
	}
	/* verified for the purpose it is presented for: GnuTLS checks each
	 * certificate's extended key usage (when it has one) against it */
	unsigned status = 0;
	gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0 };
	if (gnutls_certificate_verify_peers(s, &purpose, 1, &status) < 0 || status != 0) {
		snprintf(why, whylen, "client certificate: not issued by this portal's CA, expired, invalid, or"
			 " not for client authentication");
		return -1;
	}
	if (!bt_cert_for_clients(certs[0].data, certs[0].size)) {
		snprintf(why, whylen, "client certificate: not for client authentication (a CA's, or without the"
			 " TLS WWW client purpose)");
		return -1;
	}
	unsigned char fp[32];
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, certs[0].data, certs[0].size, fp) < 0) {
		snprintf(why, whylen, "client certificate: cannot hash it");
		return -1;
	}
	for (int i = 0; i < 32; i++)
		snprintf(r->cert_fp + 2 * i, 3, "%02x", fp[i]);
	bt_err e;
	if (bt_cert_identity(r->db, r->cert_fp, r->now, &r->cert_id, &e)) {
		snprintf(why, whylen, "%.250s", e.msg);
		return -1;
	}
	r->cert_ok = 1;
	return 0;
}

/* ---- routing ---- */

/* Matches paths like "/member/c/ID/reply": 1 when url is prefix, then a
 * non-empty segment (copied to seg), then exactly rest. The segment may hold
 * '/' (circular IDs such as "A/1" do), so routes with a longer rest must be
 * tried before the one with rest "". */
static int match(const char *url, const char *prefix, char *seg, size_t seglen, const char *rest)
{
	size_t pl = strlen(prefix), rl = strlen(rest);
	if (strncmp(url, prefix, pl))
		return 0;
	const char *s = url + pl;
	size_t n = strlen(s);
	if (n <= rl || strcmp(s + n - rl, rest))
		return 0;
	n -= rl;
	if (n >= seglen)
		return 0;
	memcpy(seg, s, n);
	seg[n] = '\0';
	return 1;
}

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

/* The methods the page at url answers (the Allow header of a 405). */
static const char *allowed_methods(const char *url)
{
	char seg[128];
	if (!strcmp(url, "/signin"))
		return "GET, HEAD, POST";
	if (!strcmp(url, "/signout") || match(url, "/member/c/", seg, sizeof seg, "/reply") ||
	    match(url, "/secretariat/c/", seg, sizeof seg, "/reply") ||
	    match(url, "/secretariat/c/", seg, sizeof seg, "/close"))
		return "POST";
	return "GET, HEAD";
}

/* 405 with the Allow header RFC 9110 requires. */
static int not_allowed(preq *r)
{
	r->allow = allowed_methods(r->url);
	return page_errorf(r, 405, "method: %s is not allowed here (%s only)", r->method, r->allow);
}

static int route(preqx *x)
{
	preq *r = &x->r;
	const char *u = r->url;
	int get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
	int post = !strcmp(r->method, "POST");
	char seg[128];
	/* the methods the page takes, before anything else is looked at */
	const char *allow = allowed_methods(u);
	if (!(get && strstr(allow, "GET")) && !(post && strstr(allow, "POST")))
		return not_allowed(r);
	if (!strcmp(u, "/static/style.css")) {
		r->ctype = "text/css";
		bt_buf_adds(&r->out, portal_css);
		return 0;
	}
	if (!strcmp(u, "/favicon.ico"))
		return page_error(r, 404, "no such page");
	if (post && !(!strcmp(u, "/signin") && !r->signed_in)) {
		/* every change needs the session's CSRF token */
		if (!r->signed_in)
			return page_error(r, 403, L(r, "err_signed_out"));
		if (!csrf_ok(r, r->s.csrf))
			return page_error(r, 403, L(r, "err_csrf"));
	}
	if (!strcmp(u, "/")) {
		if (!get)
			return not_allowed(r);
		if (!r->signed_in)
			return page_redirect(r, "/signin");
		return page_redirect(r, portal_home(&r->s.id));
	}
	if (!strcmp(u, "/signin")) {
		if (post)
			return page_signin_post(r);
		return page_signin(r);
	}
	if (!strcmp(u, "/signout"))
		return post ? page_signout(r) : not_allowed(r);
	if (!strncmp(u, "/member", 7)) {
		if (need_role(r, BT_ROLE_MEMBER))
			return 0;
		if (!strcmp(u, "/member"))
			return get ? page_member_home(r) : not_allowed(r);
		if (!strcmp(u, "/member/history"))
			return get ? page_member_history(r) : not_allowed(r);
		if (match(u, "/member/c/", seg, sizeof seg, "/reply"))
			return post ? page_member_reply(r, seg) : not_allowed(r);
		if (match(u, "/member/c/", seg, sizeof seg, ""))
			return get ? page_member_form(r, seg) : not_allowed(r);
		if (match(u, "/member/receipt/", seg, sizeof seg, ".json"))
			return get ? page_member_receipt_json(r, seg) : not_allowed(r);
		if (match(u, "/member/receipt/", seg, sizeof seg, ""))
			return get ? page_member_receipt(r, seg) : not_allowed(r);
	} else if (!strncmp(u, "/secretariat", 12)) {
		if (need_role(r, BT_ROLE_SECRETARIAT))
			return 0;
		if (!strcmp(u, "/secretariat"))
			return get ? page_secretariat_home(r) : not_allowed(r);
		if (match(u, "/secretariat/receipt/", seg, sizeof seg, ".json"))
			return get ? page_secretariat_receipt(r, seg) : not_allowed(r);
		if (match(u, "/secretariat/c/", seg, sizeof seg, "/reply"))
			return post ? page_secretariat_reply(r, seg) : not_allowed(r);
		if (match(u, "/secretariat/c/", seg, sizeof seg, "/close"))
			return post ? page_secretariat_close(r, seg) : not_allowed(r);
		static const char *const dl[] = { "/report.pdf", "/replies.csv", "/replies.json", "/tally.json", NULL };
		for (size_t i = 0; dl[i]; i++)
			if (match(u, "/secretariat/c/", seg, sizeof seg, dl[i]))
				return get ? page_secretariat_download(r, seg, dl[i] + 1)
					   : not_allowed(r);
		if (match(u, "/secretariat/c/", seg, sizeof seg, ""))
			return get ? page_secretariat_c(r, seg) : not_allowed(r);
	} else if (!strcmp(u, "/chair")) {
		if (need_role(r, BT_ROLE_CHAIR))
			return 0;
		return get ? page_chair_home(r) : not_allowed(r);
	}
	return page_error(r, 404, L(r, "err_not_found"));
}

/* ---- the request life cycle ---- */

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

/* Everything about a request that does not need its body. */
static int start_request(preqx *x, bt_err *e)
{
	preq *r = &x->r;
	r->status = 200;
	bt_buf_init(&r->out, 0);
	client_ip(r);
	if (x->p->fixed_now)
		r->now = x->p->now;
	else if (bt_now(&r->now, e))
		return BT_EFAIL;
	int rc = thread_db_get(x->p, &r->db, e);
	if (rc)
		return rc;
	const char *lang = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (lang) {
		const plang *l = portal_lang(x->p, lang);
		if (l && !strcmp(l->code, lang)) {
			snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
				 "lang=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=31536000", l->code);
			r->lang = l;
		}
	}
	if (!r->lang) {
		const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "lang");
		const plang *l = c ? portal_lang(x->p, c) : NULL;
		if (l && !strcmp(l->code, c))
			r->lang = l;
	}
	if (!r->lang) {
		const char *al = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Language");
		char two[3] = "en";
		if (al && al[0] >= 'a' && al[0] <= 'z' && al[1] >= 'a' && al[1] <= 'z') {
			two[0] = al[0];
			two[1] = al[1];
		}
		r->lang = portal_lang(x->p, two);
	}
	char why[300];
	if (check_client_cert(x, why, sizeof why)) {
		x->refused = 1;
		snprintf(x->refusal, sizeof x->refusal, "%s", why);
		return BT_OK;
	}
	/* the session: the cookie, or a registered client certificate */
	int64_t mono = portal_mono_ms();
	const char *tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, PORTAL_COOKIE);
	if (tok && strlen(tok) == 64 && !session_find(x->p->sessions, tok, mono, &r->s)) {
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
		if (r->signed_in && r->s.id.code_id &&
		    bt_code_in_force(r->db, r->s.id.code_id, &in_force, e))
			return BT_EFAIL;
		if (r->signed_in && in_force && bt_user_in_force(r->db, &r->s.id, &in_force, e))
			return BT_EFAIL;
		if (r->signed_in && !in_force) {
			session_drop(x->p->sessions, tok, mono);
			r->signed_in = 0;
			r->session_token[0] = '\0';
			memset(&r->s, 0, sizeof r->s);
		}
	}
	if (!r->signed_in && r->cert_ok) {
		/* the certificate's own session (one per certificate), under a
		 * new token when the request did not bring its cookie */
		if (session_create(x->p->sessions, &r->cert_id, r->cert_fp, mono, r->session_token, &r->s)) {
			memset(&r->s, 0, sizeof r->s);
			x->no_room = 1;
			return BT_OK;
		}
		r->signed_in = 1;
		snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
			 PORTAL_COOKIE "=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%d",
			 r->session_token, PORTAL_SESSION_LIFE);
	}
	return BT_OK;
}

static void finish(void *cls, struct MHD_Connection *c, void **req_cls,
		   enum MHD_RequestTerminationCode toe)
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
	free(x);
	*req_cls = NULL;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **req_cls)
{
	(void)version;
	struct portal *p = cls;
	preqx *x = *req_cls;
	if (!x) {
		x = calloc(1, sizeof *x);
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
			x->r.status = 500;
			bt_buf_init(&x->r.out, 0);
			x->r.ctype = "text/plain; charset=utf-8";
			bt_buf_adds(&x->r.out, "the server cannot answer now\n");
			if (p->log) {
				char line[600];
				snprintf(line, sizeof line, "error: %s", e.msg);
				p->log(line);
			}
			return send_answer(x);
		}
		if (x->refused)
			return page_error(&x->r, 403, x->refusal), send_answer(x);
		if (x->no_room)
			return portal_no_room(&x->r), send_answer(x);
		/* the head is in: a signed-in request is answered without the
		 * connection deadline (conn.c); any other keeps it, body too */
		conns_request_begin(p->conns, c, x->r.signed_in);
		/* Before sign-in only the sign-in form is read, and it is small;
		 * any other POST is refused before its body is read. */
		x->body_max = x->r.signed_in ? p->body_max : PORTAL_SIGNIN_BODY_MAX;
		if (!strcmp(method, "POST")) {
			if (!x->r.signed_in && strcmp(url, "/signin")) {
				page_error(&x->r, 403, L(&x->r, "err_signed_out"));
				return send_answer(x);
			}
			const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
			if (cl && strtoull(cl, NULL, 10) > x->body_max) {
				page_errorf(&x->r, 413, "request: %s bytes, over the limit of %llu", cl,
					    (unsigned long long)x->body_max);
				return send_answer(x);
			}
			x->pp = MHD_create_post_processor(c, 64 * 1024, post_iter, x);
			if (!x->pp) {
				const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
				page_errorf(&x->r, 415, "Content-Type: '%s' is not a form (urlencoded or multipart)",
					    ct ? ct : "");
				return send_answer(x);
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		x->body_len += *upload_size;
		if (x->body_len > x->body_max) {
			x->too_big = 1;
			if (x->body_len > x->body_max + 16 * 1024 * 1024)
				return MHD_NO; /* a client that will not stop: hang up */
		} else if (x->pp && MHD_post_process(x->pp, upload, *upload_size) != MHD_YES) {
			x->bad_body = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (x->answered)
		return MHD_YES;
	x->answered = 1;
	preq *r = &x->r;
	if (x->too_big) {
		page_errorf(r, 413, "request: over the limit of %llu bytes (a file may be at most %lld bytes)",
			    (unsigned long long)x->body_max, (long long)p->attachment_max);
		return send_answer(x);
	}
	if (x->nameless)
		return page_error(r, 400, "request: a form part has no name (Content-Disposition: form-data; name=...)"),
		       send_answer(x);
	if (x->bad_body)
		return page_error(r, 400, "request: the form data cannot be parsed"), send_answer(x);
	if (r->form.overflow) {
		page_errorf(r, 413, "request: more than %d fields or %d files", PORTAL_MAX_FIELDS,
			    PORTAL_MAX_FILES);
		return send_answer(x);
	}
	char why[400];
	int status = form_check(&r->form, why, sizeof why);
	if (status)
		return page_error(r, status, why), send_answer(x);
	/* HEAD: the whole answer, whose body libmicrohttpd leaves out while
	 * its Content-Length stays that of the GET */
	route(x);
	return send_answer(x);
}

/* ---- start and stop ---- */

static int parse_listen(const char *s, struct sockaddr_storage *ss, int *v6, bt_err *e)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || strlen(s) >= sizeof host)
		return bt_fail(e, BT_EINPUT, "--listen: '%s' is not ADDR:PORT", s);
	long port = 0;
	char *end;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 || end == colon + 1)
		return bt_fail(e, BT_EINPUT, "--listen: '%s' has no port 1-65535", s);
	size_t hl = (size_t)(colon - s);
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof *ss);
	if (host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return bt_fail(e, BT_EINPUT, "--listen: '%s' is not an IPv6 address", host + 1);
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return BT_OK;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return bt_fail(e, BT_EINPUT, "--listen: '%s' is not an IPv4 address", host);
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	*v6 = 0;
	return BT_OK;
}

/* Checks that the certificate and key are PEM, belong together and load. */
static int check_keypair(const bt_buf *cert, const bt_buf *key, const portal_config *cfg, bt_err *e)
{
	gnutls_certificate_credentials_t cr;
	if (gnutls_certificate_allocate_credentials(&cr) < 0)
		return bt_fail(e, BT_EFAIL, "cannot allocate TLS credentials");
	gnutls_datum_t c = { (unsigned char *)cert->data, (unsigned)cert->len };
	gnutls_datum_t k = { (unsigned char *)key->data, (unsigned)key->len };
	int rc = gnutls_certificate_set_x509_key_mem(cr, &c, &k, GNUTLS_X509_FMT_PEM);
	gnutls_certificate_free_credentials(cr);
	if (rc < 0)
		return bt_fail(e, BT_EINPUT, "--cert/--key: '%s' and '%s' are not a PEM certificate and its key (%s)",
			       cfg->cert_path, cfg->key_path, gnutls_strerror(rc));
	return BT_OK;
}

static int check_ca(const bt_buf *ca, const char *path, bt_err *e)
{
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	gnutls_datum_t d = { (unsigned char *)ca->data, (unsigned)ca->len };
	int rc = gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0 || n == 0)
		return bt_fail(e, BT_EINPUT, "--client-ca: '%s' holds no PEM certificate", path);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return BT_OK;
}

int portal_serve(const portal_config *cfg, bt_err *e)
{
	struct portal *p = calloc(1, sizeof *p);
	if (!p)
		return bt_fail(e, BT_EFAIL, "out of memory");
	bt_buf cert = BT_BUF_INIT, key = BT_BUF_INIT, ca = BT_BUF_INIT;
	struct MHD_Daemon *d = NULL;
	struct sockaddr_storage ss;
	int v6 = 0, rc;
	pthread_mutex_init(&p->lock, NULL);
	p->db_path = cfg->db_path;
	p->fixed_now = cfg->fixed_now;
	p->now = cfg->now;
	p->log = cfg->log;
	const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:8443";
	if ((rc = parse_listen(listen, &ss, &v6, e)) ||
	    (rc = bt_file_read(cfg->cert_path, "--cert", 1024 * 1024, &cert, e)) ||
	    (rc = bt_file_read(cfg->key_path, "--key", 1024 * 1024, &key, e)) ||
	    (cfg->client_ca && (rc = bt_file_read(cfg->client_ca, "--client-ca", 4 * 1024 * 1024, &ca, e))) ||
	    (rc = check_keypair(&cert, &key, cfg, e)) ||
	    (cfg->client_ca && (rc = check_ca(&ca, cfg->client_ca, e))))
		goto out;
	p->client_ca = cfg->client_ca != NULL;
	if (!cfg->sign_key) {
		rc = bt_fail(e, BT_EINPUT, "--sign-key: the portal needs the signing key");
		goto out;
	}
	p->sign_key = cfg->sign_key;
	/* the database must open now, not at the first request */
	bt_db *db = NULL;
	if ((rc = bt_db_open(p->db_path, 0, &db, e)))
		goto out;
	p->attachment_max = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	bt_db_close(db);
	p->body_max = 2 * (uint64_t)p->attachment_max + 64 * 1024;
	if ((rc = portal_words_load(p, e)) || (rc = sessions_new(&p->sessions, e)) ||
	    (rc = throttle_new(&p->throttle, NULL, e)))
		goto out;
	unsigned threads = cfg->threads;
	if (!threads) {
		long nc = sysconf(_SC_NPROCESSORS_ONLN);
		threads = nc > 0 ? (unsigned)(2 * nc) : 2;
	}
	if (threads > 64)
		threads = 64;
	/* the connection guard (conn.c), with the open files it needs */
	pconn_limits lim = { PORTAL_CONN_SOFT, PORTAL_CONN_HARD, PORTAL_CONN_PER_ADDR,
			     PORTAL_CONN_DEADLINE * 1000 };
	char note[300];
	if (conns_fit_fd_limit(&lim, threads, note, sizeof note) && p->log)
		p->log(note);
	if ((rc = conns_new(&p->conns, &lim, p->log, e)))
		goto out;
	unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (v6)
		flags |= MHD_USE_IPv6;
	/* TLS 1.2 and 1.3 only; no plaintext port. AEAD ciphers only (no CBC
	 * with its SHA-1 MAC, which NORMAL still offers in TLS 1.2), and only
	 * key exchanges with forward secrecy (no static RSA). */
	const char *prio = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"
			   "-CIPHER-ALL:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-GCM:"
			   "-MAC-ALL:+AEAD:-RSA:%SERVER_PRECEDENCE";
	/* a client CA only when client certificates are taken */
	struct MHD_OptionItem trust[] = { { MHD_OPTION_HTTPS_MEM_TRUST, 0, ca.data },
					  { MHD_OPTION_END, 0, NULL } };
	if (!cfg->client_ca)
		trust[0].option = MHD_OPTION_END;
	d = MHD_start_daemon(flags, 0, NULL, NULL, handler, p,
			     MHD_OPTION_EXTERNAL_LOGGER, conns_log_mhd, p->conns,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_HTTPS_MEM_CERT, cert.data, MHD_OPTION_HTTPS_MEM_KEY, key.data,
			     MHD_OPTION_HTTPS_PRIORITIES, prio,
			     MHD_OPTION_THREAD_POOL_SIZE, threads,
			     /* above the guard's soft limit, so that a new
				connection gets in and the guard makes room */
			     MHD_OPTION_CONNECTION_LIMIT, lim.hard,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim.per_addr,
			     /* idle: a signed-in request's body or answer */
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
			     MHD_OPTION_NOTIFY_COMPLETED, finish, p,
			     MHD_OPTION_NOTIFY_CONNECTION, conns_notify, p->conns,
			     MHD_OPTION_ARRAY, trust, MHD_OPTION_END);
	if (!d) {
		rc = bt_fail(e, BT_EFAIL, "--listen: cannot listen on %s (in use, or not an address of this machine)",
			     listen);
		goto out;
	}
	if ((rc = conns_start(p->conns, e)))
		goto out;
	if (cfg->ready) {
		char url[160];
		snprintf(url, sizeof url, "https://%s/", listen);
		cfg->ready(url);
	}
	while (!*cfg->stop) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	rc = BT_OK;
out:
	conns_stop(p->conns);
	if (d)
		MHD_stop_daemon(d);
	conns_free(p->conns);
	for (size_t i = 0; i < p->ndbs; i++)
		bt_db_close(p->dbs[i]);
	portal_words_free(p);
	sessions_free(p->sessions);
	throttle_free(p->throttle);
	bt_buf_release(&cert);
	bt_buf_release(&key);
	bt_buf_release(&ca);
	pthread_mutex_destroy(&p->lock);
	free(p);
	return rc;
}
