/* internal.h - the portal's server-wide state, private to src/portal. */
#ifndef BALLOT_PORTAL_INTERNAL_H
#define BALLOT_PORTAL_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include "portal/portal.h"

#define PORTAL_COOKIE "__Host-session"
#define PORTAL_PRE_COOKIE "__Host-pre"
#define PORTAL_SESSION_IDLE 1800      /* seconds without a request */
#define PORTAL_SESSION_LIFE (8 * 3600) /* seconds after sign-in */
/* Bytes of a request body before sign-in: only the sign-in form is taken
 * then (names of 64 bytes, passwords of 256), never an upload. */
#define PORTAL_SIGNIN_BODY_MAX (16 * 1024)

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
	psessions *sessions;
	pthrottle *throttle;
	plang langs[PORTAL_NLANGS];
	size_t nlangs;
};

/* A request and what the body parser needs. */
typedef struct preqx {
	preq r;
	struct portal *p;
	struct MHD_PostProcessor *pp;
	uint64_t body_len;
	uint64_t body_max;             /* this request's cap: p->body_max when
					  signed in, PORTAL_SIGNIN_BODY_MAX before */
	int too_big, bad_body, answered;
	int nameless;                  /* a multipart part without a name */
	int refused;                   /* a client certificate was not accepted */
	int no_room;                   /* no session could be made for it: 503 */
	char refusal[300];
} preqx;

/* Loads forms/portal/<lang>.txt and forms/annex2/<lang>.txt for the six
 * languages (BT_EINPUT naming file, line and key when one is wrong). */
int portal_words_load(struct portal *p, bt_err *e);
void portal_words_free(struct portal *p);

#endif
