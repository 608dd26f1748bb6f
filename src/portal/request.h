/* request.h - the server's state and one request while it is answered:
 * the types every floor of the portal above the tables shares (no
 * functions). */
#ifndef BALLOT_PORTAL_REQUEST_H
#define BALLOT_PORTAL_REQUEST_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include "ballot/ballot.h"
#include "ballot/auth.h"
#include "portal/form.h"
#include "portal/session.h"

#define PORTAL_COOKIE "__Host-session"
#define PORTAL_PRE_COOKIE "__Host-pre"
/* Bytes of a request body before sign-in: only the sign-in form is taken
 * then (names of 64 bytes, passwords of 256), never an upload. */
#define PORTAL_SIGNIN_BODY_MAX (16 * 1024)
#define PORTAL_NLANGS 6

/* The words of the pages in one language (words.c loads them). */
typedef struct plang {
	char code[3];
	int rtl;
	void *tmpl;            /* pdf_tmpl of forms/portal/<code>.txt */
	void *annex2;          /* annex2_lang: the form's own words */
} plang;

/* The server: set up by portal_serve (serve.c), shared by every thread. */
struct portal {
	const char *db_path;
	int fixed_now;
	bt_time now;
	int client_ca;                 /* client certificates are checked */
	const bt_key *sign_key;        /* signs receipts */
	int64_t attachment_max;        /* bytes per file */
	uint64_t body_max;             /* bytes per request */
	void (*log)(const char *line);
	pthread_mutex_t lock;
	bt_db *dbs[128];               /* every thread's connection */
	size_t ndbs;
	bt_db *docs;                   /* the API documents' connection, one of dbs (api.c) */
	psessions *sessions;
	struct pthrottle *throttle;     /* throttle.h */
	struct pconns *conns;          /* conn.h */
	struct preturns *returned;     /* returned.h: returned forms uploaded */
	const char *portal_url;        /* portal_config's */
	plang langs[PORTAL_NLANGS];
	size_t nlangs;
};

/* One request while it is being answered. */
typedef struct preq {
	struct portal *p;
	struct MHD_Connection *conn;
	const char *method, *url;
	bt_db *db;             /* this thread's connection */
	bt_time now;
	char ip[64];
	const plang *lang;
	int signed_in;
	psession s;
	char session_token[65];/* the cookie's token when signed in */
	int cert_ok;           /* a registered client certificate was presented */
	bt_identity cert_id;
	char cert_fp[65];
	pform form;
	struct prefusal *refusal; /* a refused form shown again (error.h), or NULL */
	const pform *prefill;  /* values a form is shown with (a returned form
				  read, returned.h), when no refusal; or NULL */
	bt_buf body;           /* a POST under /api/: its bytes as they came */
	int raw_body;          /* the body is read into body (never into form) */
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
	const char *www_authenticate; /* the WWW-Authenticate header of a 401 */
	char warnings[1024];   /* the Ballot-Warnings header (a JSON array), or "" */
} preq;

/* A request and what the body reader needs (server.c, body.c). */
typedef struct preqx {
	preq r;
	struct portal *p;
	struct MHD_PostProcessor *pp;
	uint64_t body_len;
	uint64_t body_max;             /* this request's cap: p->body_max when
					  signed in, PORTAL_SIGNIN_BODY_MAX before */
	int too_big, bad_body, answered;
	int held;                      /* its answer, made from the head, waits
					  for the body to be read and dropped */
	int nameless;                  /* a multipart part without a name */
	int signin_form;               /* a POST of the sign-in form */
	int refused;                   /* a client certificate was not accepted */
	int no_room;                   /* no session could be made for it: 503 */
	struct prefusal *bad;          /* the form's own checks refused it, for the page to show again */
	char refusal[300];
} preqx;

/* The bytes past its cap a request's body is read (and dropped) before
 * the client is hung up on. */
#define PORTAL_DRAIN_MAX (16u * 1024 * 1024)

#endif
