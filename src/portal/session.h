/* session.h - signed-in sessions (session.c): a fixed table of at most
 * PORTAL_SESSIONS_MAX, found by cookie token; the monotonic clock and the
 * random tokens they use. Knows nothing of requests. */
#ifndef BALLOT_PORTAL_SESSION_H
#define BALLOT_PORTAL_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/err.h"
#include "ballot/auth.h"

#define PORTAL_SESSION_IDLE 1800      /* seconds without a request */
#define PORTAL_SESSION_LIFE (8 * 3600) /* seconds after sign-in */

/* A signed-in session (a copy; the table lives in session.c). */
typedef struct psession {
	char csrf[65];
	bt_identity id;
	char cert_fp[65];     /* bound to this client certificate, or "" */
} psession;

#define PORTAL_SESSIONS_MAX 16384 /* live sessions at most */
#define PORTAL_SESSIONS_PER_ID 10 /* live sessions of one member or account */

/* The monotonic clock in milliseconds (sessions and throttling). */
int64_t portal_mono_ms(void);

typedef struct psessions psessions;
/* The table (BT_EFAIL when out of memory); sessions_free(NULL) does
 * nothing. */
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
/* Finds the live session of token (and touches it); 0 when found.
 * session_drop ends it (nothing when there is none). */
int session_find(psessions *s, const char *token, int64_t now, psession *out);
void session_drop(psessions *s, const char *token, int64_t now);
/* The number of live sessions (for tests). */
size_t sessions_live(psessions *s, int64_t now);

/* Single-use form tokens ("once" tokens): each form that changes state
 * carries one, bound to its session and to the form (a short name such as
 * "m:<circular>"); they live in the session's entry (at most
 * PORTAL_ONCE_PER_SESSION; a new one past that replaces the oldest not in
 * use) and end with it. */
#define PORTAL_ONCE_PER_SESSION 32
#define PORTAL_ONCE_FORM 160  /* bytes of a form name, with its NUL */
#define PORTAL_ONCE_LOC 256   /* bytes of an outcome (a path), with its NUL */
#define PORTAL_ONCE_WAIT_MS 15000 /* how long a second sending waits for the first */

typedef enum once_state {
	ONCE_NEW,     /* claimed: the caller does the work, then session_once_finish */
	ONCE_DONE,    /* already done: loc holds the first sending's outcome */
	ONCE_BUSY,    /* another sending still runs after PORTAL_ONCE_WAIT_MS */
	ONCE_UNKNOWN, /* no such token for this session and form (never issued,
			 replaced, or the session or the server ended) */
} once_state;

/* A new token (64 hex) for form in the live session of token; -1 when there
 * is no such session (or no memory), else 0. */
int session_once_issue(psessions *s, const char *token, const char *form, int64_t now, char out[65]);
/* Claims once (of form, in the session of token): ONCE_NEW marks it in use;
 * ONCE_DONE copies the first outcome to loc (n bytes); while another
 * request holds it, waits for that one (up to PORTAL_ONCE_WAIT_MS), then
 * answers as after it. */
once_state session_once_claim(psessions *s, const char *token, const char *form, const char *once,
			      int64_t now, char *loc, size_t n);
/* 1 when once (of form, in the session of token) was spent, with its
 * outcome in loc; else 0. Claims nothing. */
int session_once_spent(psessions *s, const char *token, const char *form, const char *once, int64_t now,
		       char *loc, size_t n);
/* Ends a claim: with loc (the outcome's path), the token is spent and every
 * later claim gets loc; with loc NULL (nothing was recorded), it can be
 * claimed again. Nothing when the session has ended meanwhile. */
void session_once_finish(psessions *s, const char *token, const char *once, const char *loc, int64_t now);

/* Secrets shown once (a new reply code, as `ballot codes issue` prints it
 * once): kept in the session's entry, beside its form tokens and under the
 * same lock, never in the database, until taken or for PORTAL_KEPT_MS; at
 * most PORTAL_KEPT_PER_SESSION (a new one past that replaces the oldest);
 * wiped when taken, replaced or when the session ends. */
#define PORTAL_KEPT_PER_SESSION 8
#define PORTAL_KEPT_VALUE 192    /* bytes of a value, with its NUL */
#define PORTAL_KEPT_MS (600 * 1000)

/* Keeps value (shorter than PORTAL_KEPT_VALUE) for the live session of
 * token under a new random handle (32 hex); -1 when there is no such
 * session (or no memory), else 0. */
int session_keep(psessions *s, const char *token, const char *value, int64_t now, char handle[33]);
/* Takes what was kept under handle for the session of token: copies it to
 * out (n bytes) and forgets it; 0, or -1 when there is none (taken
 * already, expired, another session's). */
int session_take(psessions *s, const char *token, const char *handle, int64_t now, char *out, size_t n);

/* A fresh random token as 64 hex digits. */
void portal_token(char out[65]);

#endif
