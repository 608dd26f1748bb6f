/* status.c - where every draft stands (include/ballot/status.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/export.h"
#include "services/services.h"

void bt_status_list_free(bt_status_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].title);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The state and outcome of each row from its consultation's tally at as_of
 * (rows come by circular: one tally each). */
static int states_at(bt_db *db, bt_time as_of, bt_status_list *l, bt_err *e)
{
	bt_tally t;
	memset(&t, 0, sizeof t);
	int rc = BT_OK;
	for (size_t i = 0; i < l->n && !rc; i++) {
		bt_status_row *r = &l->v[i];
		if (strcmp(t.circular, r->circular) != 0) {
			bt_tally_free(&t);
			if ((rc = bt_tally_compute(db, r->circular, as_of, &t, e)))
				break;
		}
		const bt_draft_tally *d = NULL;
		for (size_t k = 0; k < t.n && !d; k++)
			if (strcmp(t.drafts[k].rec, r->rec) == 0)
				d = &t.drafts[k];
		if (!d) {
			rc = bt_failf(e, BT_R_DAMAGED, NULL,
				      "draft %s of circular %s is missing from its tally", r->rec,
				      r->circular);
			break;
		}
		snprintf(r->state, sizeof r->state, "%s", d->state);
		snprintf(r->outcome, sizeof r->outcome, "%s", d->outcome);
		r->more_time_until = d->more_time_until;
	}
	bt_tally_free(&t);
	return rc;
}

static int status_list_get(bt_db *db, int group, bt_time as_of, bt_status_list *out, bt_err *e)
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
		r->more_time_until = BT_DATE_NONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		bt_status_list_free(out);
		return db_fail(db, e, "reading the status");
	}
	/* every consultation: their replies checked in one pass, not one each */
	if ((!group && (rc = rowcheck_replies_all(db, e))) || (rc = states_at(db, as_of, out, e)))
		bt_status_list_free(out);
	return rc;
oom:
	sqlite3_reset(st);
	bt_status_list_free(out);
	return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
}

int bt_status_list_get(bt_db *db, int group, bt_time as_of, bt_status_list *out, bt_err *e)
{
	int snap = db_read_begin(db);
	int rc = status_list_get(db, group, as_of, out, e);
	db_read_end(db, snap);
	return rc;
}

int bt_status_doc(bt_db *db, int group, bt_time as_of, bt_buf *out, bt_err *e)
{
	char key[64];
	snprintf(key, sizeof key, "status %d %lld", group, (long long)as_of);
	if (db_doc_get(db, key, out))
		return BT_OK;
	bt_buf_reset(out);
	bt_status_list l = { NULL, 0 };
	int snap = db_read_begin(db); /* the document and the state it is kept under: one snapshot */
	int rc = status_list_get(db, group, as_of, &l, e);
	if (!rc)
		rc = bt_status_json(db, &l, out, e);
	if (!rc)
		db_doc_put(db, key, out);
	db_read_end(db, snap);
	bt_status_list_free(&l);
	return rc;
}

uint64_t bt_docs_made(const bt_db *db)
{
	return db_doc_made(db);
}
