/* status.c - where every draft stands (include/ballot/status.h). */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void bt_status_list_free(bt_status_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].title);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int bt_status_list_get(bt_db *db, int group, bt_status_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_STATUS, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int(st, 1, group);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v))
			goto oom;
		bt_status_row *r = &out->v[out->n];
		memset(r, 0, sizeof *r);
		db_col_copy(st, 0, r->circular, sizeof r->circular);
		r->group = sqlite3_column_int(st, 1);
		db_col_copy(st, 2, r->rec, sizeof r->rec);
		if (!(r->title = db_col_strdup(st, 3)))
			goto oom;
		out->n++;
		db_col_copy(st, 4, r->state, sizeof r->state);
		r->deadline = sqlite3_column_int64(st, 5);
		db_col_copy(st, 6, r->outcome, sizeof r->outcome);
		if (!r->outcome[0])
			snprintf(r->outcome, sizeof r->outcome, "pending");
		db_col_copy(st, 7, r->rule, sizeof r->rule);
		r->meeting_start = sqlite3_column_int(st, 8);
		r->meeting_end = sqlite3_column_int(st, 9);
		r->summary_missing = sqlite3_column_int(st, 10);
		r->more_time_until = strcmp(r->state, BT_STATE_MORE_TIME) == 0
			? bt_more_time_until(r->meeting_end) : BT_DATE_NONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		bt_status_list_free(out);
		return db_fail(db, e, "reading the status");
	}
	return BT_OK;
oom:
	sqlite3_reset(st);
	bt_status_list_free(out);
	return bt_fail(e, BT_EFAIL, "out of memory");
}
