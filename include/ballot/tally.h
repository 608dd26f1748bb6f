/* tally.h - counting the replies of a consultation under its rule, and where
 * each draft stands: the one truth every front end shows.
 *
 * Counted, per electorate member and draft: the member's latest reply
 * received at or before min(as_of, deadline), unless a later withdrawal (also
 * by then) removed it. Later replies are recorded and shown, never counted.
 * A tally as of T sees only what was recorded by T: replies, withdrawals,
 * the closing and decisions recorded later do not exist for it. `status`,
 * `tally`, `report`, the portal's pages and `publish` all take their figures
 * and each draft's state from bt_tally_compute.
 */
#ifndef BALLOT_TALLY_H
#define BALLOT_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/consultation.h"
#include "ballot/decision.h"
#include "ballot/draft.h"

/* bt_decision_member: a Member State named by a decision (decision.h). */

typedef struct bt_draft_tally {
	int64_t draft_id;
	char rec[BT_ID_MAX + 1];
	char *title;                 /* the draft's title (owned; bt_tally_free frees it) */
	char *titles[BT_DRAFT_LANGS]; /* its title in fr es ru zh ar (bt_draft_langs)
					as it stands now, NULL where none was
					recorded (owned) */
	int replies;                 /* counted replies */
	int support;                 /* authorize + authorize_with_comments */
	int authorize, authorize_with_comments, not_authorize;
	int not_authorize_without_reasons;
	int late;                    /* replies received after the deadline (by as_of) */
	int withdrawn;               /* members whose reply in force was withdrawn */
	int outstanding;             /* electorate members with no counted reply:
					outstanding_late + outstanding_withdrawn
					+ did_not_reply */
	int outstanding_late;        /* of those, members with a late reply (a
					late reply wins over a withdrawal) */
	int outstanding_withdrawn;   /* of those, members whose reply was
					withdrawn, with no late reply */
	int did_not_reply;           /* of those, the rest: nothing in force */
	int support_pct10;           /* support share in tenths of a percent, rounded; -1 with no replies */
	int threshold_pct;
	const char *outcome;         /* "pending" before the deadline, then "proceed"/"not-proceed" */
	const char *if_closed_now;   /* "proceed"/"not-proceed" */
	int support_needed;          /* -1: null */
	int opposition_to_block;     /* -1: null */
	/* where the draft stands at as_of (bt_draft_state_at) */
	char state[24];
	char decision[16];           /* the latest decision recorded by as_of:
					"approved", "more-time", "not-approved",
					or "" */
	char *decision_detail;       /* its JSON object (members, notes), owned;
					NULL without a decision */
	bt_time decided_at;          /* when that decision was recorded */
	bt_decision_member *decision_members; /* whom it names, in its order */
	size_t n_decision_members;
	bt_date more_time_until;     /* state more-time: the end of the four
					weeks of §9.5.5; else BT_DATE_NONE */
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
	int closed;                  /* closed by as_of */
	bt_time closed_at;           /* when, if closed by as_of; else 0 */
	int electorate;
	bt_draft_tally *drafts;
	size_t n;
	int without_titles;          /* bt_tally_json leaves out each draft's
					"titles" (a bundle of format
					ballot-bundle/1 had none) */
} bt_tally;

/* A member of the electorate with no counted reply on some drafts. */
typedef struct bt_pending_item {
	char code[4];
	char *name;
	char (*recs)[BT_ID_MAX + 1]; /* the drafts it has no counted reply on */
	const char **why;            /* per draft in recs, the list it is in:
					"late" (a late reply; wins over a
					withdrawal), "withdrawn", or "none" */
	size_t n_recs;
	int contacts;                /* its contact addresses in force (ballot
					contacts): 0, no message reaches it */
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

/* The state of a draft, from what was on record at a time: the one rule
 * behind status, tally, report, the portal and publish. final: the
 * deadline had passed; closed: the consultation was closed; outcome:
 * "proceed" or "not-proceed" as counted; decision: the latest decision
 * recorded ("approved", "more-time", "not-approved"; NULL or "" for none).
 * In order: the decision; else ready-for-approval / not-ready once closed;
 * else awaiting-close after the deadline; else in-consultation. */
const char *bt_draft_state_at(int final, int closed, const char *outcome,
			      const char *decision);

/* Computes the tally of every draft of circular as of as_of, with each
 * draft's state and latest decision then, from what was recorded by as_of:
 * the one function status, tally, report, the portal and publish read. */
int bt_tally_compute(bt_db *db, const char *circular, bt_time as_of,
		     bt_tally *out, bt_err *e);

/* bt_tally_compute for a time the user chose (--as-of): BT_EINPUT, naming
 * the field as_of, when as_of is before the circular's date (nothing was on record:
 * the consultation was not announced yet). */
int bt_tally_as_of(bt_db *db, const char *circular, bt_time as_of,
		   bt_tally *out, bt_err *e);

/* The document of `ballot tally --json` (bt_tally_compute, or with
 * user_as_of bt_tally_as_of, then bt_tally_json) into out, replacing its
 * content: made once and kept on db's connection (as bt_status_doc keeps
 * the status), then given again as long as circular, as_of and user_as_of
 * are the same and nothing was committed to the database since (by any
 * connection): the API's GET /api/v1/consultations/{circular}/tally. */
int bt_tally_doc(bt_db *db, const char *circular, bt_time as_of, int user_as_of,
		 bt_buf *out, bt_err *e);

/* Frees what a tally holds (also after a failure) and leaves it empty. */
void bt_tally_free(bt_tally *t);

#endif
