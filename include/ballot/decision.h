/* decision.h - the study group plenary's decision on a draft (§9.5). */
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
} bt_decision_spec;

/* Records the decision. Only for a ready-for-approval draft, or a more-time
 * draft being approved or not approved; more-time and not-approved need at
 * least one member code, reservations need a text. BT_EINPUT otherwise.
 * event_seq (may be NULL) receives the number of the decision's event. */
int bt_decide(bt_db *db, const bt_decision_spec *spec, const char *actor,
	      bt_time now, int64_t *event_seq, bt_err *e);

/* The end of the four weeks after the meeting within which a member that
 * asked for more time may formally oppose (§9.5.5). */
bt_date bt_more_time_until(bt_date meeting_end);

#endif
