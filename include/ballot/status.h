/* status.h - where each draft stands, for study group chairs. */
#ifndef BALLOT_STATUS_H
#define BALLOT_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/consultation.h"

typedef struct bt_status_row {
	char circular[BT_ID_MAX + 1];
	int group;
	char rec[BT_ID_MAX + 1];
	char *title;
	char state[24];     /* at as_of, as the tally decides it (bt_draft_state_at):
			       in-consultation, awaiting-close, ready-for-approval,
			       not-ready, more-time, approved, not-approved */
	bt_time deadline;
	char outcome[16];   /* "pending" until the deadline, then the final
			       "proceed" or "not-proceed" */
	char rule[16];
	bt_date meeting_start, meeting_end;
	bt_date more_time_until; /* BT_DATE_NONE unless state is more-time */
	int summary_missing; /* tap draft without the summary of §9.3.4 (added
				before it was required) */
} bt_status_row;

typedef struct bt_status_list {
	bt_status_row *v;
	size_t n;
} bt_status_list;

/* Every draft (of study group `group`, or all when group is 0), by
 * deadline, then circular, then draft order, with its state and outcome at as_of as
 * bt_tally_compute gives them (one tally per consultation). */
int bt_status_list_get(bt_db *db, int group, bt_time as_of, bt_status_list *out, bt_err *e);
void bt_status_list_free(bt_status_list *l);

/* The document of `ballot status --json` (bt_status_list_get, then
 * bt_status_json) into out, replacing its content: made once and kept on
 * db's connection, then given again as long as group and as_of are the same
 * and nothing was committed to the database since (by any connection): the
 * API's GET /api/v1/status, asked many times a second, reads every reply
 * once a second per connection at most. */
int bt_status_doc(bt_db *db, int group, bt_time as_of, bt_buf *out, bt_err *e);

/* How many documents bt_status_doc and bt_tally_doc made on db's
 * connection since it was opened (each one given again from what was kept
 * is not counted): tests and benches see the keeping work with it. */
uint64_t bt_docs_made(const bt_db *db);

#endif
