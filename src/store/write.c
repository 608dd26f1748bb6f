/* write.c - one change to the store: the skeleton every write command
 * shares (store floor). The command's file holds only what differs: its
 * check (load and refuse, nothing written) and its insert (the rows,
 * recording the reserved event, and the event's payload rendered from
 * them); this file begins, reserves the event, writes it, and commits or
 * rolls back. */
#include <string.h>
#include "store/store.h"

int db_write_in(bt_db *db, db_write *w, db_write_step *check, db_write_step *insert, bt_err *e)
{
	w->payload = (bt_buf)BT_BUF_INIT;
	/* the actor first: a write whose check finds nothing to record refuses
	 * a bad actor all the same */
	int rc = event_actor_check(w->actor, e);
	if (!rc && check)
		rc = check(db, w, e);
	if (!rc && !w->kind)
		goto out; /* the check found nothing to record */
	if (!rc)
		rc = db_in_transaction(db, e);
	if (!rc)
		rc = event_reserve(db, w->actor, &w->ev, e);
	if (!rc && insert)
		rc = insert(db, w, e);
	if (!rc && w->payload.failed)
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if (!rc)
		rc = event_write(db, &w->ev, w->kind, w->circular, w->now, bt_buf_str(&w->payload), w->hash,
				 w->body, e);
out:
	bt_buf_release(&w->payload);
	return rc;
}

int db_write_run(bt_db *db, db_write *w, db_write_step *check, db_write_step *insert, bt_err *e)
{
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	if ((rc = db_write_in(db, w, check, insert, e)) || (rc = db_commit(db, e)))
		db_rollback(db);
	return rc;
}
