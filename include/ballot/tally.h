/* tally.h - counting the replies of a consultation under its rule.
 *
 * Counted, per electorate member and draft: the member's latest reply
 * received at or before min(as_of, deadline), unless a later withdrawal (also
 * by then) removed it. Later replies are recorded and shown, never counted.
 */
#ifndef BALLOT_TALLY_H
#define BALLOT_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/consultation.h"

typedef struct bt_draft_tally {
	int64_t draft_id;
	char rec[BT_ID_MAX + 1];
	char *title;                 /* the draft's title (owned; bt_tally_free frees it) */
	int replies;                 /* counted replies */
	int support;                 /* authorize + authorize_with_comments */
	int authorize, authorize_with_comments, not_authorize;
	int not_authorize_without_reasons;
	int late;                    /* replies received after the deadline (by as_of) */
	int withdrawn;               /* members whose reply in force was withdrawn */
	int outstanding;             /* electorate members with no counted reply */
	int support_pct10;           /* support share in tenths of a percent, rounded; -1 with no replies */
	int threshold_pct;
	const char *outcome;         /* "pending" before the deadline, then "proceed"/"not-proceed" */
	const char *if_closed_now;   /* "proceed"/"not-proceed" */
	int support_needed;          /* -1: null */
	int opposition_to_block;     /* -1: null */
} bt_draft_tally;

typedef struct bt_tally {
	char circular[BT_ID_MAX + 1];
	char rule[16];
	const char *clause;          /* the rule's clause, e.g. "WTSA Res. 1 §9.4.5" */
	const char *rule_edition;    /* the rule set and edition the result is computed under */
	bt_time deadline;
	char deadline_forced[512];   /* why an explicit deadline breaks §9.4.1
					(consultation create --force-deadline);
					"" when it does not */
	bt_time as_of;
	int final;                   /* as_of is past the deadline */
	int closed;
	int electorate;
	bt_draft_tally *drafts;
	size_t n;
} bt_tally;

/* A member of the electorate with no counted reply on some drafts. */
typedef struct bt_pending_item {
	char code[4];
	char *name;
	char (*recs)[BT_ID_MAX + 1]; /* the drafts it has no counted reply on */
	size_t n_recs;
} bt_pending_item;

typedef struct bt_pending_list {
	bt_pending_item *v;
	size_t n;
} bt_pending_list;

/* The electorate members lacking a counted reply as of as_of, on draft rec
 * (NULL: on any draft), by code. The same counting rule as the tally, so
 * pending.n equals the tally's outstanding for a single draft. */
int bt_pending_get(bt_db *db, const char *circular, const char *rec, bt_time as_of,
		   bt_pending_list *out, bt_err *e);
void bt_pending_list_free(bt_pending_list *l);

/* Computes the tally of every draft of circular as of as_of. */
int bt_tally_compute(bt_db *db, const char *circular, bt_time as_of,
		     bt_tally *out, bt_err *e);

void bt_tally_free(bt_tally *t);

#endif
