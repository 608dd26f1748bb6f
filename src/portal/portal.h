/* portal.h - the HTTPS reply portal (libmicrohttpd over GnuTLS).
 *
 * A front end like the command line: every change goes through the engine
 * (bt_reply_record_many, bt_consultation_close, ...) with the signed-in
 * actor ("portal:CHN", "portal:<user>") and the same transaction rules.
 * This header is the portal's inside; cmd_serve.c uses only portal_serve.
 */
#ifndef BALLOT_PORTAL_H
#define BALLOT_PORTAL_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/ballot.h"
#include "ballot/auth.h"

/* ---- starting the server ---- */

typedef struct portal_config {
	const char *db_path;
	const char *listen;     /* "ADDR:PORT", "[v6]:PORT"; NULL: 127.0.0.1:8443 */
	const char *cert_path;  /* server certificate chain (PEM) */
	const char *key_path;   /* its private key (PEM) */
	const char *client_ca;  /* CA of client certificates (PEM) or NULL */
	const bt_key *sign_key; /* signs the receipts the pages offer (threads
				   share it: bt_key_sign locks) */
	unsigned threads;       /* request threads; 0: two per core */
	int fixed_now;          /* use now instead of the clock (BALLOT_NOW) */
	bt_time now;
	volatile int *stop;     /* set by a signal handler to stop */
	void (*ready)(const char *url); /* called once listening */
	void (*log)(const char *line);  /* one access-log line; no secrets */
} portal_config;

/* Runs the server until *cfg->stop is set. BT_EINPUT for a bad listen
 * address, unreadable or mismatched certificate/key, a database that cannot
 * be opened or a wrong page template; BT_EFAIL when the server cannot start
 * (port in use). */
int portal_serve(const portal_config *cfg, bt_err *e);

/* ---- inside: requests, pages, sessions ---- */

#define PORTAL_NLANGS 6
#define PORTAL_MAX_FIELDS 64
#define PORTAL_MAX_FILES 20

/* One field of a form body (urlencoded or multipart). */
typedef struct pfield {
	char name[64];
	char *filename;       /* multipart file: its (base) name; else NULL */
	char content_type[96];
	bt_buf value;
	int too_big;          /* a file over the attachment cap */
} pfield;

typedef struct pform {
	pfield v[PORTAL_MAX_FIELDS];
	size_t n;
	size_t files;
	int overflow;         /* too many fields or files */
} pform;

/* The value of field name ("" when absent); pform_file: the field when it
 * is a non-empty file upload, else NULL. */
const char *pform_get(const pform *f, const char *name);
const pfield *pform_file(const pform *f, const char *name);
void pform_release(pform *f);

struct portal;
struct plang;

/* A signed-in session (a copy; the table lives in session.c). */
typedef struct psession {
	char csrf[65];
	bt_identity id;
	char cert_fp[65];     /* bound to this client certificate, or "" */
} psession;

/* One request while it is being answered. */
typedef struct preq {
	struct portal *p;
	struct MHD_Connection *conn;
	const char *method, *url;
	bt_db *db;             /* this thread's connection */
	bt_time now;
	char ip[64];
	const struct plang *lang;
	int signed_in;
	psession s;
	char session_token[65];/* the cookie's token when signed in */
	int cert_ok;           /* a registered client certificate was presented */
	bt_identity cert_id;
	char cert_fp[65];
	pform form;
	/* the answer */
	int status;
	bt_buf out;
	const char *ctype;
	char location[256];
	char cookies[3][256];
	int ncookies;
	int retry_after;
	char filename[128];    /* Content-Disposition attachment; "" inline */
	const char *allow;     /* the Allow header of a 405 */
} preq;

/* The words of the pages in one language. */
typedef struct plang {
	char code[3];
	int rtl;
	void *tmpl;            /* pdf_tmpl of forms/portal/<code>.txt */
	void *annex2;          /* annex2_lang: the form's own words */
} plang;

/* The language of a request: ?lang=, else the "lang" cookie, else the
 * browser's Accept-Language, else English. */
const plang *portal_lang(struct portal *p, const char *code);

/* Text of key in r's language ("" when unknown), placeholders expanded
 * from vars (NULL-terminated name, value pairs): L gives the raw text
 * (escape it with html_text), Lf appends it escaped to out. */
const char *L(preq *r, const char *key);
void Lf(preq *r, bt_buf *out, const char *key, const char *const *vars);
/* Appends key's text escaped, with placeholder name's value (escaped) in a
 * <span class="cls"> so that pages and tests can find it. */
void Lspan(preq *r, bt_buf *out, const char *key, const char *name, const char *value, const char *cls);
/* The same, unescaped (for a message that html_text will escape). */
void Lplain(preq *r, bt_buf *out, const char *key, const char *const *vars);

/* ---- HTML ---- */

/* Appends s with & < > " ' escaped. */
void html_text(bt_buf *b, const char *s);
/* Appends printf output, escaped. */
void html_textf(bt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens a page (doctype, head, header with the user and the language menu)
 * titled title; closes it. */
void page_begin(preq *r, const char *title);
void page_end(preq *r);
/* The hidden CSRF field of the session (or of the pre-session cookie). */
void html_csrf(preq *r, const char *token);
/* A whole error page with status and a one-line message. */
int page_error(preq *r, int status, const char *msg);
int page_errorf(preq *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The error page of an engine failure: its status from e->reason (input
 * 400, not found 404, conflict 409, forbidden 403, damaged 503, I/O and
 * memory 500), its line rendered with the form fields' names. */
int page_engine_error(preq *r, const bt_err *e);
/* 503 with Retry-After: no room for a new session (session_create). */
int portal_no_room(preq *r);
/* The answer to a reply the engine refused (rc, e; res: its first
 * result): 413 over the member's quota of bytes, 429 with Retry-After over
 * its replies per hour, else as page_engine_error. */
int page_refused(preq *r, int rc, const bt_reply_result *res, const bt_err *e);
/* A 303 redirect to path. */
int page_redirect(preq *r, const char *path);

/* ---- sessions, CSRF, throttling (session.c, throttle.c) ---- */

#define PORTAL_SESSIONS_MAX 16384 /* live sessions at most */
#define PORTAL_SESSIONS_PER_ID 10 /* live sessions of one member or account */

/* The monotonic clock in milliseconds (sessions and throttling). */
int64_t portal_mono_ms(void);

typedef struct psessions psessions;
int sessions_new(psessions **out, bt_err *e);
void sessions_free(psessions *s);
/* A session for id at time now (portal_mono_ms); writes the cookie token
 * (64 hex) to token. With cert_fp (a client certificate's SHA-256, hex):
 * that certificate's live session when it has one (under a new token), else
 * a new one bound to it. A new session beyond PORTAL_SESSIONS_PER_ID ends
 * the identity's oldest; no other identity's session is ever ended: -1 when
 * all PORTAL_SESSIONS_MAX are live (answer 503), else 0. */
int session_create(psessions *s, const bt_identity *id, const char *cert_fp, int64_t now,
		   char token[65], psession *out);
/* Finds the live session of token (and touches it); 0 when found. */
int session_find(psessions *s, const char *token, int64_t now, psession *out);
void session_drop(psessions *s, const char *token, int64_t now);
/* The number of live sessions (for tests). */
size_t sessions_live(psessions *s, int64_t now);

/* SipHash-2-4 of data under key (siphash.c). */
uint64_t portal_siphash(const unsigned char key[16], const void *data, size_t len);

/* Sign-in throttling (throttle.c says how it counts): records at most, and
 * the slots where one key's record may be. */
#define PORTAL_THROTTLE_SLOTS (1u << 18)
#define PORTAL_THROTTLE_WINDOW 16
typedef struct pthrottle pthrottle;
/* key: 32 bytes for the table's hash (tests), NULL: random. */
int throttle_new(pthrottle **out, const unsigned char *key, bt_err *e);
void throttle_free(pthrottle *t);
/* An attempt reserved by throttle_begin. */
typedef struct throttle_ticket {
	uint64_t tag[3][2];
	unsigned char held[3];
} throttle_ticket;
/* Before an attempt to sign in as name ("member:CHN", "user:tsb") from
 * address ip, at now (ms): 0 and the attempt is counted (tk), or the seconds
 * to wait before another is allowed (nothing counted). */
int throttle_begin(pthrottle *t, const char *ip, const char *name, int64_t now, throttle_ticket *tk);
/* After it: ok 1 (signed in: the attempt is given back and this address's
 * failures for the name are cleared), 0 (a failure), -1 (not checked, say
 * the database was busy: given back). */
void throttle_end(pthrottle *t, const throttle_ticket *tk, int ok, int64_t now);
/* Attempts whose record found no room in the table (throttle.c). */
uint64_t throttle_unrecorded(pthrottle *t);
/* The address a client is counted under, by sign-in throttling and the
 * connection limits alike, in place on 16 bytes of IPv6 (IPv4 as
 * IPv4-mapped): an IPv4(-mapped) address whole, other IPv6 its /64 (the
 * rest zeroed). */
void portal_addr_group(unsigned char a[16]);
/* The same for a printed address, printed: IPv4 and IPv4-mapped IPv6 as
 * IPv4, other IPv6 its /64 ("2001:0db8:0000:0001::/64"). */
void throttle_addr(const char *ip, char *out, size_t n);

/* 1 when the request's csrf field matches token (constant time). */
int csrf_ok(preq *r, const char *token);
/* A fresh random token as 64 hex digits. */
void portal_token(char out[65]);

/* ---- pages ---- */
/* The home page of a signed-in identity ("/member", "/secretariat", "/chair"). */
const char *portal_home(const bt_identity *id);
int page_signin(preq *r);
int page_signin_post(preq *r);
int page_signout(preq *r);
int page_member_home(preq *r);
int page_member_form(preq *r, const char *circular);
int page_member_reply(preq *r, const char *circular);
int page_member_receipt(preq *r, const char *id);
/* The signed receipt (receipt.h) of the administration's reply id, as a
 * download: 403 and 404 as page_member_receipt. */
int page_member_receipt_json(preq *r, const char *id);
int page_member_history(preq *r);
int page_secretariat_home(preq *r);
int page_secretariat_c(preq *r, const char *circular);
int page_secretariat_reply(preq *r, const char *circular);
int page_secretariat_close(preq *r, const char *circular);
int page_secretariat_download(preq *r, const char *circular, const char *what);
/* The signed receipt of event seq (a reply, withdrawal or decision). */
int page_secretariat_receipt(preq *r, const char *seq);
int page_chair_home(preq *r);

/* The file types the upload fields offer (the server accepts the same
 * extensions, each checked by its first bytes: bt_attachment_kind in
 * src/reply.c). */
#define PORTAL_UPLOAD_ACCEPT ".pdf,.doc,.docx,.odt,.rtf,.txt,.png,.jpg,.jpeg,.tif,.tiff"

/* Engine words ("authorize", "late", "ready-for-approval") and the keys of
 * forms/portal/<lang>.txt that name them; tables end with a NULL word. */
typedef struct word_key {
	const char *word, *key;
} word_key;
extern const word_key portal_choice_words[], portal_status_words[], portal_state_words[],
	portal_outcome_words[], portal_channel_words[];
/* Appends the words for word (escaped), or word itself when no key names
 * it. */
void html_word(preq *r, const word_key *t, const char *word);

/* Looks circular up: a 404 page when unknown, 500 when it cannot be read;
 * 0 when found. */
int portal_consultation(preq *r, const char *circular, bt_consultation *c);
/* "Deadline (UTC): <time> — <open / deadline passed / closed (time)>". */
void html_consultation_line(preq *r, const bt_consultation *c);

/* Appends key of template tmpl (a pdf_tmpl) escaped, placeholders expanded
 * from vars. */
void html_words(bt_buf *out, const void *tmpl, const char *key, const char *const *vars);

/* The name a download is given: prefix, the circular with anything but
 * letters, digits, '.', '-' and '_' replaced by '_', then suffix. */
void portal_file_name(char *out, size_t n, const char *prefix, const char *circular, const char *suffix);

/* The signed receipt of event seq (receipt.h) as the answer: 0, and info
 * (may be NULL) says what it receipts; else an error page (404: no such
 * event, or not a reply, withdrawal or decision) and -1. */
int portal_receipt_issue(preq *r, int64_t seq, bt_receipt *info);
/* Its file name: "receipt-<circular>-<reply id>.json" (the administration's
 * download), by_event: "receipt-<circular>-event-<seq>.json" (the
 * secretariat's). */
void portal_receipt_name(char *out, size_t n, const char *circular, int64_t id, int by_event);

/* Receipt section of one recorded reply (shared by both reply pages), with
 * the link to its signed receipt (for r's role). */
void html_receipt(preq *r, const bt_reply_result *res, const char *circular,
		  const bt_reply_spec *spec, const char *signatory, const char *title,
		  bt_time recorded_at);

/* Actor for the engine: "portal:CHN" or "portal:<user>". */
void portal_actor(const preq *r, char *out, size_t n);

/* The stylesheet. */
extern const char portal_css[];

#endif
