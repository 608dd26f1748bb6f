/* decide.c - recording and reading the decisions of §9.5 on a consultation
 * whose rows were first checked against their events
 * (include/ballot/decision.h; services floor). */
#include "services/services.h"

int bt_decide(bt_db *db, const bt_decision_spec *s, const char *actor, bt_time now,
	      int64_t *event_seq, bt_err *e)
{
	int rc = decision_spec_check(s, e);
	if (!rc)
		rc = bt_audit_circular(db, s->circular, e);
	return rc ? rc : decision_record(db, s, actor, now, event_seq, e);
}

int bt_decisions_get(bt_db *db, const char *circular, bt_time as_of, bt_decision_list *out,
		     bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	int snap = db_read_begin(db);
	int rc = bt_audit_circular(db, circular, e);
	if (!rc)
		rc = decisions_read(db, circular, as_of, out, e);
	db_read_end(db, snap);
	return rc;
}
