/* count.c - which reply counts: the one place the counting rule lives.
 *
 * Per member and draft, the latest row received at or before
 * min(as_of, deadline) counts, unless it is a withdrawal. A row recorded
 * after as_of was not on record then: as of as_of it does not exist. Rows received after
 * the deadline are late: recorded, shown, never counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

int count_resolve(count_row *rows, size_t n, bt_time deadline, bt_time as_of,
		  int *withdrawn)
{
	bt_time cutoff = as_of < deadline ? as_of : deadline;
	int current = -1, last_ontime_withdrawal = 0;
	for (size_t i = 0; i < n; i++) {
		count_row *r = &rows[i];
		if (r->received > as_of || r->recorded > as_of) {
			r->status = NULL;
		} else if (r->received > deadline) {
			r->status = "late";
		} else if (r->received > cutoff) {
			r->status = NULL;
		} else if (r->choice == BT_WITHDRAW) {
			if (current >= 0)
				rows[current].status = "withdrawn";
			r->status = "withdrawal";
			current = -1;
			last_ontime_withdrawal = 1;
		} else {
			if (current >= 0)
				rows[current].status = "superseded";
			r->status = "counted";
			current = (int)i;
			last_ontime_withdrawal = 0;
		}
	}
	if (withdrawn)
		*withdrawn = last_ontime_withdrawal;
	return current;
}

static int load_rows(bt_db *db, sqlite3_stmt *st, count_row **rows, size_t *n, bt_err *e)
{
	size_t cap = 0;
	int rc;
	*rows = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(rows, &cap, *n + 1, sizeof **rows)) {
			free(*rows);
			*rows = NULL;
			sqlite3_reset(st);
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		}
		count_row *r = &(*rows)[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->seq = 0;
		db_col_copy(st, 1, r->member, sizeof r->member);
		r->choice = bt_choice_parse((const char *)sqlite3_column_text(st, 2));
		r->received = sqlite3_column_int64(st, 3);
		r->has_attachment = sqlite3_column_int(st, 4);
		r->recorded = sqlite3_column_int64(st, 5);
		r->status = NULL;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(*rows);
		*rows = NULL;
		return db_fail(db, e, "reading replies");
	}
	return BT_OK;
}

int count_load(bt_db *db, int64_t draft_id, count_row **rows, size_t *n, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REPLIES_OF_DRAFT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, draft_id);
	return load_rows(db, st, rows, n, e);
}

int count_load_member(bt_db *db, int64_t draft_id, const char *member,
		      count_row **rows, size_t *n, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REPLIES_OF_MEMBER, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, draft_id);
	db_bind_text(st, 2, member);
	return load_rows(db, st, rows, n, e);
}

void tally_rows(const bt_rule *rule, count_row *rows, size_t n, const bt_tally *t,
		bt_draft_tally *d)
{
	int no_reply_late = 0, no_reply_withdrawn = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(rows[j].member, rows[i].member) == 0)
			j++;
		int withdrawn = 0;
		int k = count_resolve(rows + i, j - i, t->deadline, t->as_of, &withdrawn);
		int late = 0;
		for (size_t r = i; r < j; r++)
			if (rows[r].status && strcmp(rows[r].status, "late") == 0 &&
			    rows[r].choice != BT_WITHDRAW)
				late++;
		d->late += late;
		/* a member with no counted reply is in one list only: late
		 * (its latest word) wins over withdrawn */
		if (k < 0 && late)
			no_reply_late++;
		else if (k < 0 && withdrawn)
			no_reply_withdrawn++;
		if (k >= 0) {
			const count_row *c = &rows[i + (size_t)k];
			d->replies++;
			if (c->choice == BT_AUTHORIZE)
				d->authorize++;
			else if (c->choice == BT_AUTHORIZE_WITH_COMMENTS)
				d->authorize_with_comments++;
			else if (c->choice == BT_NOT_AUTHORIZE) {
				d->not_authorize++;
				d->not_authorize_without_reasons += !c->has_attachment;
			}
		} else if (withdrawn) {
			d->withdrawn++;
		}
		i = j;
	}
	d->support = d->authorize + d->authorize_with_comments;
	d->outstanding = t->electorate - d->replies;
	d->outstanding_late = no_reply_late;
	d->outstanding_withdrawn = no_reply_withdrawn;
	d->did_not_reply = d->outstanding - no_reply_late - no_reply_withdrawn;
	d->support_pct10 = d->replies ? (int)((2000LL * d->support + d->replies) / (2LL * d->replies)) : -1;
	d->threshold_pct = rule->threshold_pct;
	int pass = bt_rule_passes(rule, d->support, d->replies);
	d->if_closed_now = pass ? "proceed" : "not-proceed";
	d->outcome = t->final ? d->if_closed_now : "pending";
	d->support_needed = bt_rule_support_needed(rule, d->support, d->replies, d->outstanding);
	d->opposition_to_block = bt_rule_opposition_to_block(rule, d->support, d->replies, d->outstanding);
	if (t->final) {
		/* after the deadline nothing more can arrive that counts */
		d->support_needed = -1;
		d->opposition_to_block = -1;
	}
	snprintf(d->state, sizeof d->state, "%s",
		 bt_draft_state_at(t->final, t->closed, d->if_closed_now, d->decision));
}

void count_place_new(const count_row *rows, size_t n, bt_time received, bt_time deadline, int late,
		     count_place *out)
{
	out->in_force = out->ontime_in_force = -1;
	out->outdated = 0;
	for (size_t i = 0; i < n && rows[i].received <= received; i++)
		out->in_force = rows[i].choice == BT_WITHDRAW ? -1 : (int)i;
	for (size_t i = 0; i < n; i++)
		if (rows[i].received > received && (late || rows[i].received <= deadline))
			out->outdated = 1;
	for (size_t i = 0; i < n && rows[i].received <= deadline && rows[i].received <= received; i++)
		out->ontime_in_force = rows[i].choice == BT_WITHDRAW ? -1 : (int)i;
}
