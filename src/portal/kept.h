/* kept.h - returned Annex 2 forms (PDF) that an administration uploaded to
 * pre-fill its reply form (kept.c): kept in memory for the session that
 * sent them, one per session and circular, for PORTAL_KEPT_LIFE_MS, until
 * the reply that keeps the file is recorded. Bounded in number and bytes;
 * a server restart forgets them (the sessions end too). */
#ifndef BALLOT_PORTAL_KEPT_H
#define BALLOT_PORTAL_KEPT_H

#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/consultation.h"
#include "ballot/err.h"
#include "ballot/reply.h"
#include "ballot/signcert.h"

#define PORTAL_KEPT_LIFE_MS (30 * 60 * 1000)
#define PORTAL_KEPT_MAX 128                          /* forms kept at once */
#define PORTAL_KEPT_BYTES_MAX (256LL * 1024 * 1024)  /* their bytes at most */
#define PORTAL_KEPT_DRAFTS 64                        /* drafts per form */

/* What the form said, as read and checked when it was uploaded. */
typedef struct pkept_choice {
	char rec[BT_ID_MAX + 1];
	bt_choice choice;
} pkept_choice;

typedef struct pkept {
	char id[33];               /* random, hex: the confirmation names it */
	char session[65];          /* the session's token */
	char circular[BT_ID_MAX + 1];
	char name[256];            /* the file's name, as uploaded */
	bt_buf pdf;
	pkept_choice choices[PORTAL_KEPT_DRAFTS];
	size_t n;
	char signatory[512], title[512]; /* "" when the form has none */
	int is_signed;             /* the form carries a valid signature */
	bt_signer signer;          /* its signer, when is_signed */
	int64_t expires;           /* monotonic ms */
} pkept;

typedef struct pkeeper pkeeper;

/* A keeper (empty); BT_EFAIL when out of memory. kept_free frees it with
 * every form it keeps. */
int kept_new(pkeeper **out, bt_err *e);
void kept_free(pkeeper *k);
/* Keeps x (a pkept from malloc, filled but for id and expires; the keeper
 * owns it afterwards, also on failure), in place of the form its session
 * kept for its circular; forms expired, then the oldest, make room. Its
 * new id is in x->id. BT_EFAIL when no randomness or memory. */
int kept_put(pkeeper *k, pkept *x, int64_t mono, bt_err *e);
/* A copy of the form kept for session and circular (with id, when id is
 * not NULL or ""), NULL when there is none (never kept, expired, replaced,
 * or out of memory). kept_release frees a copy. */
pkept *kept_get(pkeeper *k, const char *session, const char *circular, const char *id, int64_t mono);
void kept_release(pkept *x);
/* Forgets the form kept for session and circular with id (once its reply
 * is recorded). */
void kept_drop(pkeeper *k, const char *session, const char *circular, const char *id);

#endif
