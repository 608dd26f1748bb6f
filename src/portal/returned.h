/* returned.h - returned Annex 2 forms (PDF) that an administration uploaded to
 * pre-fill its reply form (returned.c): kept in memory for the session that
 * sent them, one per session and circular, for PORTAL_RETURNED_LIFE_MS, until
 * the reply that keeps the file is recorded. Bounded in number and bytes;
 * a server restart forgets them (the sessions end too). A scan (an image,
 * or a PDF of page images) is kept likewise, read by the scan reader. */
#ifndef BALLOT_PORTAL_RETURNED_H
#define BALLOT_PORTAL_RETURNED_H

#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/consultation.h"
#include "ballot/err.h"
#include "ballot/reply.h"
#include "ballot/signcert.h"
#include "pdf/scan_read.h"

#define PORTAL_RETURNED_LIFE_MS (30 * 60 * 1000)
#define PORTAL_RETURNED_MAX 128                          /* forms kept at once */
#define PORTAL_RETURNED_BYTES_MAX (256LL * 1024 * 1024)  /* their bytes at most */
#define PORTAL_RETURNED_DRAFTS 64                        /* drafts per form */
#define PORTAL_SCAN_PAGES SCAN_BOUNDED_PAGES   /* pages of a scan read at most */
#define PORTAL_SCAN_PIXELS SCAN_BOUNDED_PIXELS /* their pixels (pdf/scan_read.h) */
#define PORTAL_SCANS_AT_ONCE 4   /* scans read at once; one more: 503 at once */

/* What the form said, as read and checked when it was uploaded. */
typedef struct preturned_choice {
	char rec[BT_ID_MAX + 1];
	bt_choice choice;
} preturned_choice;

typedef struct preturned {
	char id[33];               /* random, hex: the confirmation names it */
	char session[65];          /* the session's token */
	char circular[BT_ID_MAX + 1];
	char name[256];            /* the file's name, as uploaded */
	bt_buf pdf;
	preturned_choice choices[PORTAL_RETURNED_DRAFTS];
	size_t n;
	char signatory[512], title[512]; /* "" when the form has none */
	char added_since[160];     /* drafts added since the form was issued
				      (it answers the others), "" */
	char uncertain[160];       /* a scan's drafts it could not read (left
				      unchosen), "Q.1, Q.2", "" */
	int is_signed;             /* the form carries a valid signature */
	bt_signer signer;          /* its signer, when is_signed */
	int64_t expires;           /* monotonic ms */
} preturned;

typedef struct preturns preturns;

/* A keeper (empty) of forms of at most max_bytes bytes together (the
 * server's: PORTAL_RETURNED_BYTES_MAX); BT_EFAIL when out of memory.
 * returned_free frees it with every form it keeps. */
int returned_new(preturns **out, long long max_bytes, bt_err *e);
void returned_free(preturns *k);
/* Keeps x (a preturned from malloc, filled but for id and expires; the keeper
 * owns it afterwards, also on failure), in place of the form its session
 * kept for its circular; forms expired, then the oldest, make room. Its
 * new id is in x->id. BT_EFAIL when no randomness or memory. */
int returned_put(preturns *k, preturned *x, int64_t mono, bt_err *e);
/* A copy of the form kept for session and circular (with id, when id is
 * not NULL or ""), NULL when there is none (never kept, expired, replaced,
 * or out of memory). returned_release frees a copy. */
preturned *returned_get(preturns *k, const char *session, const char *circular, const char *id, int64_t mono);
void returned_release(preturned *x);

/* A turn to read a scan (at most PORTAL_SCANS_AT_ONCE at once: each holds
 * up to PORTAL_SCAN_PIXELS bytes of pages), never waited for (a request
 * thread that waits holds up the connections it serves): 0 when taken
 * (returned_scan_end gives it back), -1 when all are taken. */
int returned_scan_begin(preturns *k);
void returned_scan_end(preturns *k);
/* Forgets the form kept for session and circular with id (once its reply
 * is recorded). */
void returned_drop(preturns *k, const char *session, const char *circular, const char *id);

#endif
