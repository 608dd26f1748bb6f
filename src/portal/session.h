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

/* A fresh random token as 64 hex digits. */
void portal_token(char out[65]);

#endif
