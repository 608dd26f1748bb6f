/* decision.h - the study group plenary's decision on a draft (§9.5).
 *
 * The sequence of WTSA Res. 1 §9.5 (rules as data in decision.c):
 *   ready-for-approval --approved / --not-approved / --more-time-->  at the
 *       meeting (§9.5.3, §9.5.4, §9.5.5); a more-time decision is recorded
 *       no later than the end of the four weeks it opens;
 *   more-time --not-approved--> within the four weeks after the meeting,
 *       by members that asked for more time only (§9.5.5);
 *   more-time --approved-->     after the four weeks (§9.5.5).
 * Each decision carries its effective date, never in the future. With a
 * regional electorate (SG3, §9.2.1) only its members ask for more time,
 * oppose or enter a reservation.
 */
#ifndef BALLOT_DECISION_H
#define BALLOT_DECISION_H

#include <stddef.h>
#include "ballot/consultation.h"

typedef enum bt_decision_kind {
	BT_DECISION_APPROVED = 1,     /* unopposed; reservations noted (§9.5.3, §9.5.4) */
	BT_DECISION_MORE_TIME = 2,    /* delegations asked for more time (§9.5.5) */
	BT_DECISION_NOT_APPROVED = 3  /* opposed by at least one Member State */
} bt_decision_kind;

typedef struct bt_decision_spec {
	const char *circular;
	const char *rec;            /* NULL: the only draft */
	bt_decision_kind kind;
	const char *const *codes;   /* reservation / more-time / opposing members */
	const char *const *notes;   /* reservation texts (parallel to codes), or NULL */
	size_t n_codes;
	int has_date;               /* 0: the decision takes effect on now's date */
	bt_date date;               /* its effective date (when has_date) */
} bt_decision_spec;

/* Records the decision, in one transaction, with its effective date and,
 * for each opposing member with no reply counted by the deadline, a
 * "no_reply" mark (such an opposition is allowed). BT_EINPUT, naming the
 * option and value, for a draft in no state the decision can follow; a date
 * in the future or outside the window of the §9.5 step (the message names
 * the meeting or the end of the four weeks); a more-time decision recorded
 * after the four weeks; no member code for more-time or not-approved; a
 * reservation without text; a member that is not a Member State on the
 * effective date, named twice, outside a regional electorate, or (opposing
 * a more-time draft) that did not ask for more time.
 * event_seq (may be NULL) receives the number of the decision's event. */
int bt_decide(bt_db *db, const bt_decision_spec *spec, const char *actor,
	      bt_time now, int64_t *event_seq, bt_err *e);

/* The end of the four weeks after the meeting within which a member that
 * asked for more time may formally oppose (§9.5.5). */
bt_date bt_more_time_until(bt_date meeting_end);

/* One member named by a decision. */
typedef struct bt_decision_member {
	char code[4];
	char *note;                 /* a reservation's text, or NULL */
	int no_reply;               /* opposing without a reply counted by the
				       deadline */
} bt_decision_member;

/* A recorded decision, read back from its row. */
typedef struct bt_decision {
	int64_t seq;                /* its event */
	char rec[BT_ID_MAX + 1];
	bt_decision_kind kind;
	char from[24];              /* the draft's state it was taken from */
	bt_date date;               /* effective date (a decision recorded before
				       dates were: the date it was recorded) */
	bt_time recorded_at;
	bt_date oppose_by;          /* more-time: the end of the four weeks;
				       else BT_DATE_NONE */
	bt_decision_member *members;/* reservations, more time, or opposition */
	size_t n;
} bt_decision;

typedef struct bt_decision_list {
	bt_decision *v;
	size_t n;
} bt_decision_list;

/* The decisions of circular recorded at or before as_of, in event order.
 * BT_EINPUT for an unknown circular. Free with bt_decision_list_free (also
 * after a failure). */
int bt_decisions_get(bt_db *db, const char *circular, bt_time as_of,
		     bt_decision_list *out, bt_err *e);
void bt_decision_list_free(bt_decision_list *l);

/* "approved", "more-time", "not-approved", or NULL. */
const char *bt_decision_kind_name(bt_decision_kind k);

#endif
