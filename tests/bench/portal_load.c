/* portal_load.c - `make bench`: a bounded load test of the HTTPS portal
 * (tests/bench/portal.sh starts the server and checks the database).
 *
 *   0. signs every client in once (GET /signin for the __Host-pre cookie,
 *      POST /signin with member and code, GET /member/c/ID for the session's
 *      CSRF token): PBKDF2 is slow on purpose, so this is not timed;
 *   1. status pages: each client GETs a page over one keep-alive connection;
 *   2. submissions: each client GETs the reply form (its single-use token)
 *      and POSTs its reply to /member/c/ID/reply over a
 *      new TLS connection each time (full handshake, no resumption) and
 *      keeps the reply numbers of every 303 (in the receipt page's path);
 *      with --resume the same again, each client now offering on each new
 *      connection the TLS session of its last one (as a returning browser
 *      does: the server resumes it from its session ticket, no certificate
 *      and no signature), the connections resumed counted.
 * Each phase runs first as fast as it goes (throughput), then paced at the
 * goal's rate (latency at that load). Then the status page once more, now
 * that the consultation holds thousands of replies (not judged); last, with
 * --token (a write token), the JSON API over keep-alive connections: GET
 * /api/v1/status, GET .../tally, POST .../replies with a new
 * Idempotency-Key each (the receipts' events to --api-ids).
 *
 * Prints requests, requests/s, latency p50/p99/max and errors per phase and
 * whether the goals are met; writes the acknowledged reply numbers to
 * --ids. Exit status: 0 when it ran (whatever the speed), 1 when it could
 * not (bad arguments, sign-in failed), 2 when acknowledgements disagree
 * (the same reply number twice).
 *
 * The HTTP/1.1 here is the least a test needs: one request at a time,
 * responses with Content-Length (or, on a closing connection, up to EOF).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define RESP_MAX (4 * 1024 * 1024) /* a larger response is an error */
#define IO_TIMEOUT_S 10
#define LATE_MAX_S 5 /* a paced phase ends this long after its time at most */

/* ---- settings and shared state ---- */

static struct {
	int port;
	const char *ca, *codes, *circular, *ids, *status_path;
	int clients, drafts, verify;
	double submit_s, submit_paced_s, submit_rate; /* as fast as it goes; then paced at the rate */
	double status_s, status_paced_s, status_rate;
	double after_s; /* the status page again, after the submissions */
	long server_pid;
	double status_goal, submit_goal; /* throughput goals (default: the paced rates) */
	const char *token, *api_ids; /* the API phases: a write token; the events acknowledged */
	double api_s;
	int until_refused; /* a refused connection (the server is gone) ends every phase */
	int resume; /* the submissions again, resuming each client's last TLS session;
		       2: only resuming */
} opt = { .api_s = 5, .clients = 64, .drafts = 1, .verify = 1, .submit_s = 10, .submit_paced_s = 15, .submit_rate = 300,
	  .status_s = 8, .status_paced_s = 10, .status_rate = 2000, .after_s = 5,
	  .status_path = "/member" };

static gnutls_certificate_credentials_t cred;
static _Atomic int refused; /* --until-refused, and a connection was refused */
static struct sockaddr_in server;
static char tls_desc[128]; /* the protocol and cipher suite, from one connection */
static char tls_desc_resumed[128]; /* the same, from one resumed connection */
static pthread_mutex_t desc_lock = PTHREAD_MUTEX_INITIALIZER;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("portal_load: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* ---- growable buffers ---- */

typedef struct buf {
	char *d;
	size_t len, cap;
} buf;

static int buf_reserve(buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 16384;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *d = realloc(b->d, cap);
	if (!d)
		return -1;
	b->d = d;
	b->cap = cap;
	return 0;
}

typedef struct dvec {
	double *v;
	size_t n, cap;
} dvec;

static void dvec_add(dvec *a, double x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 1024;
		double *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			die("out of memory");
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
}

typedef struct ivec {
	long long *v;
	size_t n, cap;
} ivec;

static void ivec_add(ivec *a, long long x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 1024;
		long long *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			die("out of memory");
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
}

/* ---- TLS connections ---- */

typedef struct conn {
	int fd;
	gnutls_session_t s;
	int open;
} conn;

static void conn_close(conn *c)
{
	if (!c->open)
		return;
	gnutls_deinit(c->s);
	close(c->fd);
	c->open = 0;
}

/* The description of c's session into desc (once: the first caller's). */
static void conn_describe(conn *c, char *desc, size_t len)
{
	if (desc[0])
		return;
	char *d = gnutls_session_get_desc(c->s);
	pthread_mutex_lock(&desc_lock);
	if (!desc[0] && d)
		snprintf(desc, len, "%s", d);
	pthread_mutex_unlock(&desc_lock);
	gnutls_free(d);
}

/* Connects and completes a handshake: a full one, or with resume (session
 * data saved from an earlier connection, size 0: none) the server may
 * resume that session instead. 0 or -1 with a message in err. */
static int conn_open(conn *c, const gnutls_datum_t *resume, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	struct timeval tv = { IO_TIMEOUT_S, 0 };
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(c->fd, (struct sockaddr *)&server, sizeof server)) {
		if (errno == ECONNREFUSED && opt.until_refused)
			refused = 1; /* the server is gone: every phase ends */
		snprintf(err, errlen, "connect: %s", strerror(errno));
		close(c->fd);
		return -1;
	}
	int rc;
	if ((rc = gnutls_init(&c->s, GNUTLS_CLIENT)) < 0) {
		snprintf(err, errlen, "gnutls_init: %s", gnutls_strerror(rc));
		close(c->fd);
		return -1;
	}
	c->open = 1;
	if ((rc = gnutls_set_default_priority(c->s)) < 0 ||
	    (rc = gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE, cred)) < 0 ||
	    (rc = gnutls_server_name_set(c->s, GNUTLS_NAME_DNS, "localhost", 9)) < 0) {
		snprintf(err, errlen, "TLS set-up: %s", gnutls_strerror(rc));
		conn_close(c);
		return -1;
	}
	if (opt.verify)
		gnutls_session_set_verify_cert(c->s, "localhost", 0);
	if (resume && resume->size && (rc = gnutls_session_set_data(c->s, resume->data, resume->size)) < 0) {
		snprintf(err, errlen, "TLS session data: %s", gnutls_strerror(rc));
		conn_close(c);
		return -1;
	}
	gnutls_transport_set_int(c->s, c->fd);
	do
		rc = gnutls_handshake(c->s);
	while (rc == GNUTLS_E_INTERRUPTED || (rc < 0 && !gnutls_error_is_fatal(rc) && rc != GNUTLS_E_AGAIN));
	if (rc < 0) {
		snprintf(err, errlen, "handshake: %s", rc == GNUTLS_E_AGAIN ? "timed out" : gnutls_strerror(rc));
		conn_close(c);
		return -1;
	}
	if (gnutls_session_is_resumed(c->s))
		conn_describe(c, tls_desc_resumed, sizeof tls_desc_resumed);
	else
		conn_describe(c, tls_desc, sizeof tls_desc);
	return 0;
}

/* ---- HTTP/1.1, one exchange at a time ---- */

typedef struct resp {
	int status;
	int closing;       /* the server closes the connection after it */
	const char *head;  /* status line and headers, NUL-terminated */
	const char *body;  /* NUL-terminated */
	size_t body_len;
} resp;

/* The value of header name in head (after "\r\n"), copied to out; n-th
 * occurrence (0 first). 0 when found. */
static int header(const char *head, const char *name, int nth, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
		const char *h = p + 2;
		if (strncasecmp(h, name, nl) || h[nl] != ':')
			continue;
		if (nth-- > 0)
			continue;
		h += nl + 1;
		while (*h == ' ' || *h == '\t')
			h++;
		size_t n = strcspn(h, "\r\n");
		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, h, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* Sends req and reads one response into b. 0, or -1 with a message. */
static int exchange(conn *c, const char *req, size_t reqlen, buf *b, resp *r, char *err, size_t errlen)
{
	for (size_t off = 0; off < reqlen;) {
		ssize_t n = gnutls_record_send(c->s, req + off, reqlen - off);
		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "send: %s", gnutls_strerror((int)n));
			return -1;
		}
		off += (size_t)n;
	}
	b->len = 0;
	double t0 = now_s();
	size_t head_end = 0, want = 0;
	int have_len = 0;
	memset(r, 0, sizeof *r);
	for (;;) {
		if (head_end && have_len && b->len >= want)
			break;
		if (buf_reserve(b, 16384)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		ssize_t n = gnutls_record_recv(c->s, b->d + b->len, b->cap - b->len - 1);
		/* E_AGAIN also after a TLS 1.3 session ticket (GnuTLS); the
		 * socket's own time-out is IO_TIMEOUT_S */
		if (n == GNUTLS_E_INTERRUPTED || (n == GNUTLS_E_AGAIN && now_s() - t0 < IO_TIMEOUT_S - 0.5))
			continue;
		int eof = n == 0 || n == GNUTLS_E_PREMATURE_TERMINATION;
		if (n < 0 && !eof) {
			snprintf(err, errlen, "receive: %s",
				 n == GNUTLS_E_AGAIN ? "timed out" : gnutls_strerror((int)n));
			return -1;
		}
		if (eof) {
			if (head_end && !have_len && r->closing)
				break; /* a body up to EOF */
			snprintf(err, errlen, "receive: connection closed after %zu bytes", b->len);
			return -1;
		}
		b->len += (size_t)n;
		b->d[b->len] = '\0';
		if (b->len > RESP_MAX) {
			snprintf(err, errlen, "receive: response over %d bytes", RESP_MAX);
			return -1;
		}
		if (head_end)
			continue;
		char *e = strstr(b->d, "\r\n\r\n");
		if (!e)
			continue;
		head_end = (size_t)(e - b->d) + 4;
		if (strncmp(b->d, "HTTP/1.1 ", 9) || sscanf(b->d + 9, "%3d", &r->status) != 1) {
			snprintf(err, errlen, "receive: not an HTTP/1.1 status line");
			return -1;
		}
		/* headers searched while the blank line is cut off */
		char save = b->d[head_end - 2];
		b->d[head_end - 2] = '\0';
		char v[64];
		if (!header(b->d, "Connection", 0, v, sizeof v) && !strcasecmp(v, "close"))
			r->closing = 1;
		if (!header(b->d, "Transfer-Encoding", 0, v, sizeof v)) {
			snprintf(err, errlen, "receive: Transfer-Encoding %s is not supported here", v);
			return -1;
		}
		if (!header(b->d, "Content-Length", 0, v, sizeof v)) {
			char *end;
			unsigned long long cl = strtoull(v, &end, 10);
			if (*end || end == v || cl > RESP_MAX) {
				snprintf(err, errlen, "receive: Content-Length '%s'", v);
				return -1;
			}
			have_len = 1;
			want = head_end + (size_t)cl;
		} else if (!r->closing) {
			snprintf(err, errlen, "receive: no Content-Length on a kept-alive connection");
			return -1;
		}
		b->d[head_end - 2] = save;
	}
	if (have_len && b->len != want) {
		snprintf(err, errlen, "receive: %zu bytes after the response", b->len - want);
		return -1;
	}
	/* split: head NUL-terminated in place of the blank line's first CR */
	b->d[head_end - 2] = '\0';
	r->head = b->d;
	r->body = b->d + head_end;
	r->body_len = b->len - head_end;
	return 0;
}

/* ---- clients ---- */

typedef struct client {
	char member[16];
	char code[80];
	char session[80];   /* __Host-session cookie value */
	char csrf[80];      /* the session's token */
	/* results */
	dvec lat;
	ivec ids;
	ivec api_events;    /* the events of the receipts the API gave */
	unsigned long api_n;/* the API requests made (a new Idempotency-Key each) */
	long long ok, errors, reconnects, notsent;
	long long resumed;  /* connections the server resumed */
	gnutls_datum_t tls_session; /* its last TLS session (--resume) */
	char first_error[200];
	double signin_s;
	buf b;
} client;

static client cl[MAX_CLIENTS];

static void client_error(client *c, const char *what)
{
	c->errors++;
	if (!c->first_error[0])
		snprintf(c->first_error, sizeof c->first_error, "%s", what);
}

/* The value of cookie name among the Set-Cookie headers of head. */
static int set_cookie(const char *head, const char *name, char *out, size_t outlen)
{
	char v[512];
	size_t nl = strlen(name);
	for (int i = 0; !header(head, "Set-Cookie", i, v, sizeof v); i++) {
		if (strncmp(v, name, nl) || v[nl] != '=')
			continue;
		size_t n = strcspn(v + nl + 1, ";");
		if (n == 0 || n >= outlen)
			return -1;
		memcpy(out, v + nl + 1, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* One request on a kept-alive connection, opened when needed and closed when
 * the server says so. */
static int request_ka(conn *k, client *c, const char *req, resp *r, char *err, size_t errlen)
{
	if (!k->open && conn_open(k, NULL, err, errlen))
		return -1;
	int rc = exchange(k, req, strlen(req), &c->b, r, err, errlen);
	if (rc || r->closing)
		conn_close(k);
	return rc;
}

static void *signin_thread(void *arg)
{
	client *c = arg;
	conn k = { 0 };
	resp r;
	char req[2048], err[200], pre[80];
	double t0 = now_s();
	snprintf(req, sizeof req, "GET /signin HTTP/1.1\r\nHost: localhost\r\n\r\n");
	if (request_ka(&k, c, req, &r, err, sizeof err))
		goto fail;
	if (r.status != 200 || set_cookie(r.head, "__Host-pre", pre, sizeof pre)) {
		snprintf(err, sizeof err, "GET /signin: status %d, no __Host-pre cookie", r.status);
		goto fail;
	}
	char body[300];
	int bl = snprintf(body, sizeof body, "csrf=%s&kind=member&member=%s&code=%s", pre, c->member, c->code);
	snprintf(req, sizeof req,
		 "POST /signin HTTP/1.1\r\nHost: localhost\r\nCookie: __Host-pre=%s\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		 pre, bl, body);
	if (request_ka(&k, c, req, &r, err, sizeof err))
		goto fail;
	if (r.status != 303 || set_cookie(r.head, "__Host-session", c->session, sizeof c->session)) {
		snprintf(err, sizeof err, "POST /signin as %s: status %d, no session cookie", c->member, r.status);
		goto fail;
	}
	snprintf(req, sizeof req, "GET /member/c/%s HTTP/1.1\r\nHost: localhost\r\nCookie: __Host-session=%s\r\n\r\n",
		 opt.circular, c->session);
	if (request_ka(&k, c, req, &r, err, sizeof err))
		goto fail;
	const char *f = r.status == 200 ? strstr(r.body, "name=\"csrf\" value=\"") : NULL;
	size_t n = f ? strspn(f + 19, "0123456789abcdef") : 0;
	if (!f || n != 64) {
		snprintf(err, sizeof err, "GET /member/c/%s as %s: status %d, no csrf field", opt.circular,
			 c->member, r.status);
		goto fail;
	}
	memcpy(c->csrf, f + 19, n);
	c->csrf[n] = '\0';
	conn_close(&k);
	c->signin_s = now_s() - t0;
	return NULL;
fail:
	conn_close(&k);
	client_error(c, err);
	return NULL;
}

static double deadline;
static double phase_start, phase_rate; /* phase_rate 0: each client as fast as it can */
static int phase_resume; /* each new connection offers the client's last TLS session */

/* Keeps the TLS session of c's connection k for its next one (after an
 * exchange: in TLS 1.3 the server's ticket comes after the handshake). */
static void keep_session(client *c, conn *k)
{
	gnutls_datum_t d = { NULL, 0 };
	if (gnutls_session_get_data2(k->s, &d) < 0)
		return;
	gnutls_free(c->tls_session.data);
	c->tls_session = d;
}

/* The time client c's request may start: with a rate, the clients take
 * turns on a fixed schedule, and a request that starts late counts its
 * lateness as latency (no coordinated omission); else now. Sleeps until
 * then. */
static double next_start(client *c, unsigned long k);

/* Phase 1: a reply per request, each over its own new TLS connection. */
static void *submit_thread(void *arg)
{
	client *c = arg;
	char req[2048], body[1024], err[200];
	for (unsigned long k = 0, i = (unsigned long)(c - cl);; k++, i++) {
		double t0 = next_start(c, k);
		if (t0 >= deadline || refused)
			break;
		conn cn;
		resp r;
		if (conn_open(&cn, phase_resume ? &c->tls_session : NULL, err, sizeof err)) {
			client_error(c, err);
			continue;
		}
		c->reconnects++;
		c->resumed += gnutls_session_is_resumed(cn.s) != 0;
		/* as a browser: the form (its single-use token), then the POST
		 * on the same connection, answered 303 to the receipt page */
		char once[65];
		int rl = snprintf(req, sizeof req, "GET /member/c/%s HTTP/1.1\r\nHost: localhost\r\n"
				  "Cookie: __Host-session=%s\r\n\r\n", opt.circular, c->session);
		int rc = exchange(&cn, req, (size_t)rl, &c->b, &r, err, sizeof err);
		const char *f = !rc && r.status == 200 ? strstr(r.body, "name=\"once\" value=\"") : NULL;
		if (rc || !f || strspn(f + 19, "0123456789abcdef") != 64) {
			conn_close(&cn);
			if (!rc)
				snprintf(err, sizeof err, "GET form: status %d, no once field", r.status);
			client_error(c, err);
			continue;
		}
		snprintf(once, sizeof once, "%.64s", f + 19);
		if (phase_resume)
			keep_session(c, &cn);
		int bl = snprintf(body, sizeof body, "csrf=%s&once=%s", c->csrf, once);
		for (int d = 1; d <= opt.drafts; d++)
			bl += snprintf(body + bl, sizeof body - (size_t)bl, "&choice-%d=%s", d,
				       (i + (unsigned)d) % 2 ? "authorize" : "not-authorize");
		rl = snprintf(req, sizeof req,
			      "POST /member/c/%s/reply HTTP/1.1\r\nHost: localhost\r\n"
			      "Cookie: __Host-session=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
			      "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
			      opt.circular, c->session, bl, body);
		rc = exchange(&cn, req, (size_t)rl, &c->b, &r, err, sizeof err);
		conn_close(&cn);
		double t1 = now_s();
		if (rc) {
			client_error(c, err);
			continue;
		}
		const char *loc = r.status == 303 ? strstr(c->b.d, "\r\nLocation: /member/sent/") : NULL;
		if (!loc) {
			const char *m = strstr(r.body, "<p class=\"error\">");
			snprintf(err, sizeof err, "status %d: %.120s", r.status, m ? m + 17 : "");
			client_error(c, err);
			continue;
		}
		/* every reply's number, in the receipt page's path */
		int got = 0;
		const char *p = loc + strlen("\r\nLocation: /member/sent/");
		for (; *p >= '0' && *p <= '9'; p += strspn(p, "0123456789"), p += *p == ',') {
			long long id = strtoll(p, NULL, 10);
			if (id > 0) {
				ivec_add(&c->ids, id);
				got++;
			}
		}
		if (got != opt.drafts) {
			snprintf(err, sizeof err, "status 303 with %d reply numbers, not %d", got, opt.drafts);
			client_error(c, err);
			continue;
		}
		c->ok++;
		dvec_add(&c->lat, t1 - t0);
	}
	return NULL;
}

/* Phase 2: the status page, over one kept-alive connection per client. */
static void *status_thread(void *arg)
{
	client *c = arg;
	char req[512], err[200];
	snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\nCookie: __Host-session=%s\r\n\r\n",
		 opt.status_path, c->session);
	conn k = { 0 };
	for (unsigned long n = 0;; n++) {
		resp r;
		double t0 = next_start(c, n);
		if (t0 >= deadline || refused)
			break;
		if (!k.open)
			c->reconnects++;
		if (request_ka(&k, c, req, &r, err, sizeof err)) {
			client_error(c, err);
			continue;
		}
		double t1 = now_s();
		if (r.status != 200) {
			snprintf(err, sizeof err, "GET %s: status %d", opt.status_path, r.status);
			client_error(c, err);
			continue;
		}
		c->ok++;
		dvec_add(&c->lat, t1 - t0);
	}
	conn_close(&k);
	return NULL;
}

/* The API phases (--token): GETs of status or tally, or POSTs of
 * replies each with a new Idempotency-Key, over one kept-alive connection
 * per client. */
static enum { API_STATUS, API_TALLY, API_POST } api_mode;

static int api_request(client *c, unsigned long n, char *req, size_t len)
{
	if (api_mode == API_STATUS)
		return snprintf(req, len, "GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\n"
			       "Authorization: Bearer %s\r\n\r\n", opt.token);
	if (api_mode == API_TALLY)
		return snprintf(req, len, "GET /api/v1/consultations/%s/tally HTTP/1.1\r\nHost: localhost\r\n"
			       "Authorization: Bearer %s\r\n\r\n", opt.circular, opt.token);
	char body[256];
	int bl = snprintf(body, sizeof body, "{\"member\":\"%s\",\"choice\":\"%s\",\"channel\":\"email\"}",
			  c->member, n % 2 ? "authorize" : "not-authorize");
	return snprintf(req, len, "POST /api/v1/consultations/%s/replies HTTP/1.1\r\nHost: localhost\r\n"
			"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
			"Idempotency-Key: bench-%ld-%s-%lu\r\nContent-Length: %d\r\n\r\n%s",
			opt.circular, opt.token, (long)getpid(), c->member, n, bl, body);
}

static void *api_thread(void *arg)
{
	client *c = arg;
	char req[1024], err[200];
	conn k = { 0 };
	for (unsigned long n = 0;; n++) {
		resp r;
		double t0 = next_start(c, n);
		if (t0 >= deadline || refused)
			break;
		if (!k.open)
			c->reconnects++;
		api_request(c, c->api_n++, req, sizeof req);
		if (request_ka(&k, c, req, &r, err, sizeof err)) {
			client_error(c, err);
			continue;
		}
		double t1 = now_s();
		const char *ev = api_mode == API_POST && r.status == 201 ? strstr(r.body, "\"event\":") : NULL;
		if (r.status != (api_mode == API_POST ? 201 : 200) || (api_mode == API_POST && !ev)) {
			snprintf(err, sizeof err, "API %s: status %d: %.120s", api_mode == API_POST ? "POST" : "GET",
				 r.status, r.body);
			client_error(c, err);
			continue;
		}
		if (ev)
			ivec_add(&c->api_events, strtoll(ev + 8, NULL, 10));
		c->ok++;
		dvec_add(&c->lat, t1 - t0);
	}
	conn_close(&k);
	return NULL;
}

static double next_start(client *c, unsigned long k)
{
	double t = now_s();
	if (phase_rate <= 0)
		return t;
	double interval = (double)opt.clients / phase_rate;
	double at = phase_start + interval * ((double)(c - cl) / (double)opt.clients + (double)k);
	if (at >= deadline)
		return at;
	if (t > deadline + LATE_MAX_S) {
		/* too far behind: what is left is never sent */
		c->notsent += (long long)((deadline - at) / interval) + 1;
		return deadline;
	}
	if (at > t) {
		struct timespec ts = { (time_t)at, (long)((at - (double)(time_t)at) * 1e9) };
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	return at;
}

/* ---- running a phase and its figures ---- */

static double cpu_self(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

/* The machine's busy and total CPU time from /proc/stat (jiffies), or -1. */
static double cpu_machine(double *total)
{
	FILE *f = fopen("/proc/stat", "r");
	unsigned long long v[8] = { 0 };
	int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
			   &v[5], &v[6], &v[7]) : 0;
	if (f)
		fclose(f);
	if (n < 5)
		return -1;
	double all = 0;
	for (int i = 0; i < 8; i++)
		all += (double)v[i];
	*total = all;
	return all - (double)v[3] - (double)v[4]; /* less idle and iowait */
}

/* The server's CPU seconds (user + system) from /proc, or -1. */
static double cpu_server(void)
{
	if (opt.server_pid <= 0)
		return -1;
	char path[64], line[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", opt.server_pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = '\0';
	const char *p = strrchr(line, ')'); /* the name may hold spaces */
	unsigned long long ut, st;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

typedef struct figures {
	long long ok, errors, reconnects, notsent, resumed;
	double secs, rate, p50, p99, max;
} figures;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v. */
static double pct(const double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t k = (size_t)(p * (double)n + 0.999999);
	return v[k ? k - 1 : 0];
}

static figures run_phase(const char *name, void *(*fn)(void *), double seconds, double rate)
{
	figures f = { 0 };
	if (seconds <= 0)
		return f;
	pthread_t th[MAX_CLIENTS];
	for (int i = 0; i < opt.clients; i++) {
		cl[i].lat.n = 0;
		cl[i].ok = cl[i].errors = cl[i].reconnects = cl[i].notsent = cl[i].resumed = 0;
		cl[i].first_error[0] = '\0';
	}
	double m0t = 0, m1t = 0, m0 = cpu_machine(&m0t);
	double c0 = cpu_self(), s0 = cpu_server(), t0 = now_s();
	phase_start = t0;
	phase_rate = rate;
	deadline = t0 + seconds;
	for (int i = 0; i < opt.clients; i++)
		if (pthread_create(&th[i], NULL, fn, &cl[i]))
			die("cannot start thread %d", i);
	for (int i = 0; i < opt.clients; i++)
		pthread_join(th[i], NULL);
	double t1 = now_s(), c1 = cpu_self(), s1 = cpu_server(), m1 = cpu_machine(&m1t);
	dvec all = { 0 };
	const char *first = NULL;
	for (int i = 0; i < opt.clients; i++) {
		f.ok += cl[i].ok;
		f.errors += cl[i].errors;
		f.reconnects += cl[i].reconnects;
		f.notsent += cl[i].notsent;
		f.resumed += cl[i].resumed;
		for (size_t k = 0; k < cl[i].lat.n; k++)
			dvec_add(&all, cl[i].lat.v[k]);
		if (!first && cl[i].first_error[0])
			first = cl[i].first_error;
	}
	qsort(all.v, all.n, sizeof *all.v, cmp_double);
	f.secs = t1 - t0;
	f.rate = (double)f.ok / f.secs;
	f.p50 = pct(all.v, all.n, 0.50) * 1e3;
	f.p99 = pct(all.v, all.n, 0.99) * 1e3;
	f.max = all.n ? all.v[all.n - 1] * 1e3 : 0;
	free(all.v);
	printf("  %-34s %8lld %9.1f %8.2f %8.2f %8.2f %7lld\n", name, f.ok, f.rate, f.p50, f.p99, f.max, f.errors);
	if (first)
		printf("      first error: %s\n", first);
	printf("      %.1f s; CPU: load generator %.1f s", f.secs, c1 - c0);
	if (s0 >= 0 && s1 >= 0)
		printf(", server %.1f s (%.2f of %ld cores busy; %.2f ms a request)", s1 - s0, (s1 - s0) / f.secs,
		       sysconf(_SC_NPROCESSORS_ONLN), f.ok ? (s1 - s0) * 1e3 / (double)f.ok : 0.0);
	if (m0 >= 0 && m1 >= 0 && m1t > m0t)
		printf("; the machine %.0f %% busy", 100 * (m1 - m0) / (m1t - m0t));
	if (f.reconnects)
		printf("; %lld connections", f.reconnects);
	if (f.reconnects && fn == submit_thread)
		printf(" (%lld resumed)", f.resumed);
	if (f.notsent)
		printf("; %lld paced requests not sent (more than %d s behind)", f.notsent, LATE_MAX_S);
	printf("\n");
	fflush(stdout);
	return f;
}

static void goal(int met, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("  %-11s ", met ? "goal met" : "goal missed");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fputs("usage: portal_load --port N --ca FILE --codes FILE --circular ID [--clients N] [--drafts N]\n"
	      "                   [--status-seconds S] [--status-paced-seconds S] [--status-rate R]\n"
	      "                   [--submit-seconds S] [--submit-paced-seconds S] [--submit-rate R]\n"
	      "                   [--status-after-seconds S] [--status-path PATH] [--ids FILE]\n"
	      "                   [--server-pid PID] [--no-verify] [--status-goal R] [--submit-goal R]\n"
	      "                   [--token TOKEN [--api-seconds S] [--api-ids FILE]] [--until-refused]\n"
	      "                   [--resume | --resume-only]\n"
	      "  Each phase runs as fast as it goes for --*-seconds, then paced at --*-rate for\n"
	      "  --*-paced-seconds (defaults 8 + 10 s at 2000/s, 10 + 15 s at 300/s); then the status\n"
	      "  page again for --status-after-seconds (5). 0 s skips a phase. --until-refused: once\n"
	      "  the server refuses a connection (it was killed), every phase ends.\n"
	      "  --codes: `ballot codes issue` output (member<TAB>code); the first N members are the clients.\n"
	      "  --ids: the acknowledged reply numbers, one a line.\n"
	      "  --*-goal: the throughput goals (default the paced rates).\n"
	      "  --resume: the submissions again (as fast as they go, then paced), each client resuming on\n"
	      "  each new connection the TLS session of its last one; both figures are printed.\n"
	      "  --resume-only: only those (the first connection of each client a full handshake).\n"
	      "  --token: a write token of a secretariat account: then the API for --api-seconds (5) each,\n"
	      "  keep-alive: GET /api/v1/status, GET .../tally, POST .../replies (a new Idempotency-Key\n"
	      "  each; --api-ids: the events of the receipts, one a line).\n",
	      stderr);
	exit(1);
}

/* The figures of every phase (main runs them; print_goals judges them). */
static struct {
	figures st, stp, sub, subp, subr, subrp, after, api[3];
} fig;
static const char *const api_names[] = { "API GET /api/v1/status", "API GET .../tally", "API POST .../replies" };

/* The goals, judged on the phases' figures. */
static void print_goals(void)
{
	/* A throughput goal is judged as fast as it goes, a latency goal at
	 * the goal's rate (at saturation latency is only queueing: with 64
	 * clients, 64 / rate on average). */
	printf("portal: goals (%ld CPUs, %d clients, load generator on the same machine)\n",
	       sysconf(_SC_NPROCESSORS_ONLN), opt.clients);
	if (fig.st.ok)
		goal(fig.st.rate >= opt.status_goal, "status pages with keep-alive >= %.0f/s (%.1f/s)", opt.status_goal,
		     fig.st.rate);
	if (fig.after.ok)
		printf("  %-11s status pages with keep-alive after the replies: %.1f/s, p99 %.1f ms\n", "(figure)",
		       fig.after.rate, fig.after.p99);
	if (fig.stp.ok)
		goal(fig.stp.p99 < 100 && fig.stp.rate >= 0.95 * opt.status_rate,
		     "status page p99 < 100 ms at %.0f/s (%.1f ms at %.1f/s)", opt.status_rate, fig.stp.p99, fig.stp.rate);
	if (fig.sub.ok)
		goal(fig.sub.rate >= opt.submit_goal, "submissions with a new TLS session each >= %.0f/s (%.1f/s%s)",
		     opt.submit_goal, fig.sub.rate, opt.resume ? ", full handshakes" : "");
	if (fig.subr.ok)
		goal(fig.subr.rate >= opt.submit_goal,
		     "submissions with a new TLS session each >= %.0f/s (%.1f/s, resumed: %lld of %lld connections)",
		     opt.submit_goal, fig.subr.rate, fig.subr.resumed, fig.subr.reconnects);
	for (int m = 0; m < 3; m++)
		if (fig.api[m].ok || fig.api[m].errors)
			printf("  %-11s %s: %.1f/s, p99 %.1f ms, %lld errors\n", "(figure)", api_names[m], fig.api[m].rate,
			       fig.api[m].p99, fig.api[m].errors);
	if (fig.subp.ok)
		goal(fig.subp.p99 < 100 && fig.subp.rate >= 0.95 * opt.submit_rate,
		     "submission p99 < 100 ms at %.0f/s (%.1f ms at %.1f/s%s)", opt.submit_rate, fig.subp.p99, fig.subp.rate,
		     opt.resume ? ", full handshakes" : "");
	if (fig.subrp.ok)
		goal(fig.subrp.p99 < 100 && fig.subrp.rate >= 0.95 * opt.submit_rate,
		     "submission p99 < 100 ms at %.0f/s (%.1f ms at %.1f/s, resumed: %lld of %lld connections)",
		     opt.submit_rate, fig.subrp.p99, fig.subrp.rate, fig.subrp.resumed, fig.subrp.reconnects);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line as it comes, through a pipe too */
	signal(SIGPIPE, SIG_IGN); /* a connection the server closed is an error, not the end */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--no-verify")) {
			opt.verify = 0;
			continue;
		}
		if (!strcmp(a, "--until-refused")) {
			opt.until_refused = 1;
			continue;
		}
		if (!strcmp(a, "--resume") || !strcmp(a, "--resume-only")) {
			opt.resume = a[8] ? 2 : 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		if (!strcmp(a, "--port"))
			opt.port = atoi(v);
		else if (!strcmp(a, "--ca"))
			opt.ca = v;
		else if (!strcmp(a, "--codes"))
			opt.codes = v;
		else if (!strcmp(a, "--circular"))
			opt.circular = v;
		else if (!strcmp(a, "--clients"))
			opt.clients = atoi(v);
		else if (!strcmp(a, "--drafts"))
			opt.drafts = atoi(v);
		else if (!strcmp(a, "--submit-seconds"))
			opt.submit_s = atof(v);
		else if (!strcmp(a, "--submit-paced-seconds"))
			opt.submit_paced_s = atof(v);
		else if (!strcmp(a, "--submit-rate"))
			opt.submit_rate = atof(v);
		else if (!strcmp(a, "--status-seconds"))
			opt.status_s = atof(v);
		else if (!strcmp(a, "--status-paced-seconds"))
			opt.status_paced_s = atof(v);
		else if (!strcmp(a, "--status-rate"))
			opt.status_rate = atof(v);
		else if (!strcmp(a, "--status-after-seconds"))
			opt.after_s = atof(v);
		else if (!strcmp(a, "--status-path"))
			opt.status_path = v;
		else if (!strcmp(a, "--ids"))
			opt.ids = v;
		else if (!strcmp(a, "--server-pid"))
			opt.server_pid = atol(v);
		else if (!strcmp(a, "--status-goal"))
			opt.status_goal = atof(v);
		else if (!strcmp(a, "--submit-goal"))
			opt.submit_goal = atof(v);
		else if (!strcmp(a, "--token"))
			opt.token = v;
		else if (!strcmp(a, "--api-ids"))
			opt.api_ids = v;
		else if (!strcmp(a, "--api-seconds"))
			opt.api_s = atof(v);
		else
			usage();
	}
	if (opt.port < 1 || opt.port > 65535 || !opt.ca || !opt.codes || !opt.circular || opt.clients < 1 ||
	    opt.clients > MAX_CLIENTS || opt.drafts < 1 || opt.drafts > 20 || opt.submit_s < 0 || opt.status_s < 0 ||
	    opt.submit_paced_s < 0 || opt.status_paced_s < 0 || opt.submit_rate <= 0 || opt.status_rate <= 0 || opt.after_s < 0 ||
	    strspn(opt.circular, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.") !=
		    strlen(opt.circular) || opt.status_path[0] != '/' || strpbrk(opt.status_path, " \r\n"))
		usage();
	if (opt.token && strspn(opt.token, "bt_0123456789abcdef") != strlen(opt.token))
		usage();
	if (opt.status_goal <= 0)
		opt.status_goal = opt.status_rate;
	if (opt.submit_goal <= 0)
		opt.submit_goal = opt.submit_rate;
	/* the clients: member<TAB>code lines after the header */
	FILE *f = fopen(opt.codes, "r");
	if (!f)
		die("--codes: cannot open '%s': %s", opt.codes, strerror(errno));
	char line[256];
	int n = 0;
	while (n < opt.clients && fgets(line, sizeof line, f)) {
		char m[16], code[80];
		if (sscanf(line, "%15[^\t]\t%79s", m, code) != 2 || !strcmp(m, "member"))
			continue;
		if (strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(m) ||
		    strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-") != strlen(code))
			die("--codes: '%s' line '%.40s' is not member<TAB>code", opt.codes, line);
		snprintf(cl[n].member, sizeof cl[n].member, "%s", m);
		snprintf(cl[n].code, sizeof cl[n].code, "%s", code);
		n++;
	}
	fclose(f);
	if (n < opt.clients)
		die("--codes: '%s' has %d members, not %d", opt.codes, n, opt.clients);

	int rc;
	if ((rc = gnutls_certificate_allocate_credentials(&cred)) < 0 ||
	    (rc = gnutls_certificate_set_x509_trust_file(cred, opt.ca, GNUTLS_X509_FMT_PEM)) < 0)
		die("--ca: '%s': %s", opt.ca, rc < 0 ? gnutls_strerror(rc) : "no certificate");
	server.sin_family = AF_INET;
	server.sin_port = htons((unsigned short)opt.port);
	server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	/* 0. sign-in, all clients at once */
	double t0 = now_s();
	pthread_t th[MAX_CLIENTS];
	for (int i = 0; i < opt.clients; i++)
		if (pthread_create(&th[i], NULL, signin_thread, &cl[i]))
			die("cannot start thread %d", i);
	for (int i = 0; i < opt.clients; i++)
		pthread_join(th[i], NULL);
	double slowest = 0;
	for (int i = 0; i < opt.clients; i++) {
		if (cl[i].errors)
			die("sign-in of %s failed: %s", cl[i].member, cl[i].first_error);
		if (cl[i].signin_s > slowest)
			slowest = cl[i].signin_s;
	}
	printf("portal: %d clients signed in (member + reply code, PBKDF2) in %.2f s, slowest %.2f s\n", opt.clients,
	       now_s() - t0, slowest);
	printf("  %-34s %8s %9s %8s %8s %8s %7s\n", "phase", "requests", "req/s", "p50 ms", "p99 ms", "max ms",
	       "errors");

	/* 1. status pages, then 2. submissions: a status page costs more as
	 * the consultation's replies grow, and a consultation has a few hundred,
	 * not the thousands phase 2 leaves */
	char name[64], paced[64];
	snprintf(name, sizeof name, "GET %.20s, keep-alive", opt.status_path);
	snprintf(paced, sizeof paced, "  the same, paced at %.0f/s", opt.status_rate);
	fig.st = run_phase(name, status_thread, opt.status_s, 0);
	fig.stp = run_phase(paced, status_thread, opt.status_paced_s, opt.status_rate);
	snprintf(name, sizeof name, "replies, new TLS session each");
	snprintf(paced, sizeof paced, "  the same, paced at %.0f/s", opt.submit_rate);
	if (opt.resume != 2) {
		fig.sub = run_phase(name, submit_thread, opt.submit_s, 0);
		fig.subp = run_phase(paced, submit_thread, opt.submit_paced_s, opt.submit_rate);
	}
	if (opt.resume) {
		phase_resume = 1;
		snprintf(name, sizeof name, "replies, resumed TLS session each");
		fig.subr = run_phase(name, submit_thread, opt.submit_s, 0);
		fig.subrp = run_phase(paced, submit_thread, opt.submit_paced_s, opt.submit_rate);
		phase_resume = 0;
	}
	snprintf(name, sizeof name, "GET %.20s, after the replies", opt.status_path);
	fig.after = run_phase(name, status_thread, opt.after_s, 0);
	/* 3. the API (--token), keep-alive, as fast as it goes */
	for (int m = 0; opt.token && m < 3; m++) {
		api_mode = m;
		snprintf(name, sizeof name, "%s, keep-alive", api_names[m]);
		fig.api[m] = run_phase(name, api_thread, opt.api_s, 0);
	}
	printf("  TLS: %s%s\n", tls_desc[0] ? tls_desc : "(none)", opt.verify ? "" : " (certificate not verified)");
	if (opt.resume)
		printf("  TLS resumed: %s\n", tls_desc_resumed[0] ? tls_desc_resumed : "(none: no session was resumed)");
	ivec ids = { 0 };
	for (int i = 0; i < opt.clients; i++)
		for (size_t k = 0; k < cl[i].ids.n; k++)
			ivec_add(&ids, cl[i].ids.v[k]);
	qsort(ids.v, ids.n, sizeof *ids.v, cmp_ll);
	size_t dups = 0;
	for (size_t k = 1; k < ids.n; k++)
		dups += ids.v[k] == ids.v[k - 1];
	if (opt.ids) {
		FILE *o = fopen(opt.ids, "w");
		if (!o)
			die("--ids: cannot write '%s': %s", opt.ids, strerror(errno));
		for (size_t k = 0; k < ids.n; k++)
			fprintf(o, "%lld\n", ids.v[k]);
		if (fclose(o))
			die("--ids: cannot write '%s'", opt.ids);
	}

	print_goals();
	printf("portal: %zu replies acknowledged in %lld receipts, %lld failed submissions\n", ids.n,
	       fig.sub.ok + fig.subp.ok + fig.subr.ok + fig.subrp.ok,
	       fig.sub.errors + fig.subp.errors + fig.subr.errors + fig.subrp.errors);
	if (opt.api_ids) {
		FILE *o = fopen(opt.api_ids, "w");
		if (!o)
			die("--api-ids: cannot write '%s': %s", opt.api_ids, strerror(errno));
		for (int i = 0; i < opt.clients; i++)
			for (size_t k = 0; k < cl[i].api_events.n; k++)
				fprintf(o, "%lld\n", cl[i].api_events.v[k]);
		if (fclose(o))
			die("--api-ids: cannot write '%s'", opt.api_ids);
	}
	if (dups) {
		printf("portal: FAIL %zu reply numbers acknowledged twice\n", dups);
		return 2;
	}
	for (int i = 0; i < opt.clients; i++) {
		free(cl[i].lat.v);
		free(cl[i].ids.v);
		free(cl[i].api_events.v);
		free(cl[i].b.d);
		gnutls_free(cl[i].tls_session.data);
	}
	free(ids.v);
	gnutls_certificate_free_credentials(cred);
	return 0;
}
