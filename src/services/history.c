/* history.c - every reply, withdrawal, closure and decision recorded
 * (include/ballot/history.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"

static void item_clear(bt_history_item *it)
{
	free(it->signatory);
	free(it->signer);
	free(it->title);
	free(it->detail);
	free(it->recorded_by);
	free(it->late_entry);
	for (size_t i = 0; i < it->n_attachments; i++)
		free(it->attachments[i].name);
	free(it->attachments);
}

void bt_history_free(bt_history *h)
{
	for (size_t i = 0; i < h->n; i++)
		item_clear(&h->v[i]);
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

typedef struct id_status {
	int64_t id;
	const char *status;
	int without_reasons;
} id_status;

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const id_status *)a)->id, y = ((const id_status *)b)->id;
	return x < y ? -1 : x > y;
}

static int by_seq(const void *a, const void *b)
{
	int64_t x = ((const bt_history_item *)a)->seq, y = ((const bt_history_item *)b)->seq;
	return x < y ? -1 : x > y;
}

/* Judges every reply row of the consultation (of member only, when not
 * NULL: a member's statuses depend on its own replies alone) against its
 * deadline alone. */
static int judge_all(bt_db *db, const bt_consultation *c, const char *member, bt_time as_of,
		     id_status **out, size_t *nout, bt_err *e)
{
	bt_draft_list drafts;
	int rc = drafts_of(db, c, &drafts, e);
	*out = NULL;
	*nout = 0;
	if (rc)
		return rc;
	size_t cap = 0;
	for (size_t i = 0; i < drafts.n && !rc; i++) {
		count_row *rows;
		size_t n;
		if ((rc = member ? count_load_member(db, drafts.v[i].id, member, &rows, &n, e)
			    : count_load(db, drafts.v[i].id, &rows, &n, e)))
			break;
		for (size_t a = 0; a < n;) {
			size_t b = a;
			while (b < n && strcmp(rows[b].member, rows[a].member) == 0)
				b++;
			count_resolve(rows + a, b - a, c->deadline, as_of, NULL);
			a = b;
		}
		for (size_t k = 0; k < n; k++) {
			if (array_reserve(out, &cap, *nout + 1, sizeof **out)) {
				rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
				break;
			}
			(*out)[*nout].id = rows[k].id;
			(*out)[*nout].status = rows[k].status ? rows[k].status : "";
			(*out)[*nout].without_reasons = rows[k].choice == BT_NOT_AUTHORIZE && !rows[k].has_attachment;
			(*nout)++;
		}
		free(rows);
	}
	bt_draft_list_free(&drafts);
	if (rc) {
		free(*out);
		*out = NULL;
		*nout = 0;
	} else if (*nout) {
		qsort(*out, *nout, sizeof **out, by_id);
	}
	return rc;
}

static int load_attachments(bt_db *db, bt_history_item *it, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ATTACHMENTS_OF, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, it->reply_id);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&it->attachments, &cap, it->n_attachments + 1, sizeof *it->attachments)) {
			sqlite3_reset(st);
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		}
		bt_attachment *a = &it->attachments[it->n_attachments++];
		a->id = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, a->role, sizeof a->role);
		a->name = db_col_strdup(st, 2);
		db_col_copy(st, 3, a->sha256, sizeof a->sha256);
		a->size = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading attachments");
}

static bt_history_item *push(bt_history *h, size_t *cap)
{
	if (array_reserve(&h->v, cap, h->n + 1, sizeof *h->v))
		return NULL;
	bt_history_item *it = &h->v[h->n++];
	memset(it, 0, sizeof *it);
	return it;
}

/* Each reply's late-entry reason (the late-entry events recorded by
 * as_of). */
static int late_entries(bt_db *db, const char *circular, bt_time as_of, bt_history *h, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LATE_ENTRIES, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, circular);
	sqlite3_bind_int64(st, 2, as_of);
	int step, rc = BT_OK;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t reply = sqlite3_column_int64(st, 0);
		for (size_t i = 0; i < h->n; i++)
			if (h->v[i].reply_id == reply && !h->v[i].late_entry &&
			    !(h->v[i].late_entry = db_col_strdup(st, 1)))
				rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading late entries");
	return rc;
}

/* Fills it from a row of SQL_HISTORY_REPLIES(_OF_MEMBER), with its status
 * as judged (judged: nj items sorted by id). */
static void reply_item(sqlite3_stmt *st, bt_history_item *it, const id_status *judged, size_t nj)
{
	it->reply_id = sqlite3_column_int64(st, 0);
	it->seq = sqlite3_column_int64(st, 1);
	db_col_copy(st, 2, it->member, sizeof it->member);
	db_col_copy(st, 3, it->rec, sizeof it->rec);
	db_col_copy(st, 4, it->what, sizeof it->what);
	snprintf(it->kind, sizeof it->kind, "%s", strcmp(it->what, "withdraw") == 0 ? "withdrawal" : "reply");
	it->received = sqlite3_column_int64(st, 5);
	db_col_copy(st, 6, it->channel, sizeof it->channel);
	it->signatory = db_col_strdup(st, 7);
	it->title = db_col_strdup(st, 8);
	it->recorded_by = db_col_strdup(st, 9);
	it->recorded_at = sqlite3_column_int64(st, 10);
	it->signer = db_col_strdup(st, 12);
	db_col_copy(st, 13, it->signer_sha256, sizeof it->signer_sha256);
	it->signer_verified = sqlite3_column_int(st, 14);
	id_status key = { it->reply_id, NULL, 0 };
	const id_status *j = nj ? bsearch(&key, judged, nj, sizeof *judged, by_id) : NULL;
	snprintf(it->status, sizeof it->status, "%s", j ? j->status : "");
	it->without_reasons = j ? j->without_reasons : 0;
}

/* Fills it from a row of SQL_HISTORY_DECISIONS. */
static int decision_item(sqlite3_stmt *st, bt_history_item *it, bt_err *e)
{
	it->seq = sqlite3_column_int64(st, 0);
	snprintf(it->kind, sizeof it->kind, "decision");
	db_col_copy(st, 1, it->rec, sizeof it->rec);
	db_col_copy(st, 2, it->what, sizeof it->what);
	const char *frag = (const char *)sqlite3_column_text(st, 3);
	bt_buf obj = BT_BUF_INIT;
	bt_buf_addf(&obj, "{%s}", frag ? frag : "");
	if (!(it->detail = bt_buf_detach(&obj, NULL)))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	it->received = it->recorded_at = sqlite3_column_int64(st, 4);
	it->recorded_by = db_col_strdup(st, 5);
	return BT_OK;
}

/* Fills it from a row of SQL_HISTORY_CLOSES: closes, deadline moves
 * (set-deadline) and late entries. */
static int event_item(sqlite3_stmt *st, bt_history_item *it, bt_err *e)
{
	(void)e;
	it->seq = sqlite3_column_int64(st, 0);
	db_col_copy(st, 4, it->kind, sizeof it->kind);
	snprintf(it->what, sizeof it->what, "%s", it->kind);
	it->received = it->recorded_at = sqlite3_column_int64(st, 1);
	it->recorded_by = db_col_strdup(st, 2);
	it->detail = db_col_strdup(st, 3);
	db_col_copy(st, 5, it->member, sizeof it->member);
	db_col_copy(st, 6, it->rec, sizeof it->rec);
	return BT_OK;
}

/* What history_get reads rows into. */
typedef struct hist_read {
	bt_history *h;
	size_t cap;
	bt_time as_of;
	const id_status *judged;
	size_t nj;
} hist_read;

/* Appends an item per row of st (bound by the caller) recorded by
 * hr->as_of (column at_col), filled by fill (or as a reply when fill is
 * NULL); resets st. what names the rows in a read error. */
static int read_items(bt_db *db, sqlite3_stmt *st, int at_col, hist_read *hr,
		      int (*fill)(sqlite3_stmt *, bt_history_item *, bt_err *), const char *what, bt_err *e)
{
	int step, rc = BT_OK;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, at_col) > hr->as_of)
			continue; /* not on record yet */
		bt_history_item *it = push(hr->h, &hr->cap);
		if (!it)
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		else if (fill)
			rc = fill(st, it, e);
		else
			reply_item(st, it, hr->judged, hr->nj);
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, what);
	return rc;
}

/* The replies and withdrawals (of member, when not NULL: its code), with
 * their status, attachments and late-entry reasons. */
static int reply_items(bt_db *db, const bt_consultation *c, const char *member, hist_read *hr, bt_err *e)
{
	id_status *judged;
	size_t nj;
	int rc = judge_all(db, c, member, hr->as_of, &judged, &nj, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, member ? SQL_HISTORY_REPLIES_OF_MEMBER : SQL_HISTORY_REPLIES, e);
	if (!st)
		rc = BT_EFAIL;
	else {
		sqlite3_bind_int64(st, 1, c->id);
		db_bind_text(st, 2, member);
		hr->judged = judged;
		hr->nj = nj;
		rc = read_items(db, st, 10, hr, NULL, "reading the history", e);
		hr->judged = NULL;
	}
	free(judged);
	for (size_t i = 0; i < hr->h->n && !rc; i++)
		rc = load_attachments(db, &hr->h->v[i], e);
	return rc ? rc : late_entries(db, c->circular, hr->as_of, hr->h, e);
}

/* The decisions and the consultation's own events (closes, deadline
 * moves, late entries). */
static int other_items(bt_db *db, const bt_consultation *c, hist_read *hr, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_HISTORY_DECISIONS, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c->id);
	int rc = read_items(db, st, 6, hr, decision_item, "reading the decisions", e);
	if (rc)
		return rc;
	if (!(st = db_stmt(db, SQL_HISTORY_CLOSES, e)))
		return BT_EFAIL;
	db_bind_text(st, 1, c->circular);
	return read_items(db, st, 1, hr, event_item, "reading the consultation's events", e);
}

/* The history of circular (of member only, when not NULL) as recorded by
 * as_of, in event order. Decisions and the consultation's own events come
 * only without a member filter. */
static int history_get(bt_db *db, const char *circular, const char *member, bt_time as_of, bt_history *h,
		       bt_err *e)
{
	h->v = NULL;
	h->n = 0;
	bt_consultation c;
	char code[4];
	int rc = consultation_load(db, circular, &c, e);
	if (rc || (member && (rc = bt_member_resolve(db, "member", member, code, e))))
		return rc;
	hist_read hr = { .h = h, .as_of = as_of };
	rc = reply_items(db, &c, member ? code : NULL, &hr, e);
	if (!rc && !member)
		rc = other_items(db, &c, &hr, e);
	if (rc) {
		bt_history_free(h);
		return rc;
	}
	if (h->n)
		qsort(h->v, h->n, sizeof *h->v, by_seq);
	return BT_OK;
}

int bt_attachment_content(bt_db *db, int64_t id, bt_buf *out, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ATTACHMENT_CONTENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	bt_buf_reset(out);
	if (rc == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		rc = bt_buf_add(out, p ? p : "", (size_t)n) ? bt_failf(e, BT_R_NOMEM, NULL,
								       "out of memory") : BT_OK;
	} else {
		rc = rc == SQLITE_DONE ? bt_failf(e, BT_R_NOT_FOUND, NULL,
						  "attachment %lld does not exist", (long long)id)
				       : db_fail(db, e, "reading an attachment");
	}
	sqlite3_reset(st);
	return rc;
}

int bt_history_locate(bt_db *db, int64_t reply_id, const char *member, char circular[BT_ID_MAX + 1],
		      int64_t *seq, bt_err *e)
{
	char code[4];
	bt_err why;
	if (bt_member_resolve(db, "member", member, code, &why)) {
		if (why.reason == BT_R_INPUT || why.reason == BT_R_NOT_FOUND)
			return 0; /* no such member: none of its replies */
		if (e)
			*e = why;
		return -1;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_HISTORY_LOCATE, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, reply_id);
	db_bind_text(st, 2, code);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		db_col_copy(st, 0, circular, BT_ID_MAX + 1);
		*seq = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading a reply"), -1;
	return step == SQLITE_ROW;
}

int bt_history_get(bt_db *db, const char *circular, const char *member, bt_history *h, bt_err *e)
{
	return bt_history_as_of(db, circular, member, BT_INF_TIME, h, e);
}

int bt_history_as_of(bt_db *db, const char *circular, const char *member, bt_time as_of, bt_history *h,
		     bt_err *e)
{
	int snap = db_read_begin(db);
	int rc = history_get(db, circular, member, as_of, h, e);
	db_read_end(db, snap);
	return rc;
}

/* Fills it from a row of SQL_HISTORY_IN_FORCE: the member's latest row on
 * its draft, so nothing stands over it and its status follows from the row
 * alone, as count_resolve judges it at the end of time. */
static int in_force_item(sqlite3_stmt *st, bt_history_item *it, const bt_consultation *c, bt_err *e)
{
	reply_item(st, it, NULL, 0);
	int withdrawal = strcmp(it->kind, "withdrawal") == 0;
	snprintf(it->status, sizeof it->status, "%s",
		 it->received > c->deadline ? "late" : withdrawal ? "withdrawal" : "counted");
	it->without_reasons = strcmp(it->what, "not-authorize") == 0 && !sqlite3_column_int(st, 12);
	return (sqlite3_column_type(st, 7) != SQLITE_NULL && !it->signatory) ||
			       (sqlite3_column_type(st, 8) != SQLITE_NULL && !it->title) || !it->recorded_by
		       ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory")
		       : BT_OK;
}

static int in_force_get(bt_db *db, const char *circular, const char *member, bt_history *h, bt_err *e)
{
	bt_consultation c;
	char code[4];
	int rc = consultation_load(db, circular, &c, e);
	if (rc || (rc = bt_member_resolve(db, "member", member, code, e)))
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_HISTORY_IN_FORCE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c.id);
	db_bind_text(st, 2, code);
	size_t cap = 0;
	int step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bt_history_item *it = push(h, &cap);
		rc = it ? in_force_item(st, it, &c, e) : bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	sqlite3_reset(st);
	return rc || step == SQLITE_DONE ? rc : db_fail(db, e, "reading the replies in force");
}

int bt_history_in_force(bt_db *db, const char *circular, const char *member, bt_history *h, bt_err *e)
{
	h->v = NULL;
	h->n = 0;
	if (!member)
		return bt_failf(e, BT_R_INPUT, "member", "no member given");
	int snap = db_read_begin(db);
	int rc = in_force_get(db, circular, member, h, e);
	db_read_end(db, snap);
	if (rc)
		bt_history_free(h);
	return rc;
}
