/* tally.c - counting a consultation under its rule (include/ballot/tally.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/export.h"
#include "services/services.h"

void bt_tally_free(bt_tally *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->drafts[i].title);
		for (int k = 0; k < BT_DRAFT_LANGS; k++)
			free(t->drafts[i].titles[k]);
		free(t->drafts[i].decision_detail);
		for (size_t k = 0; k < t->drafts[i].n_decision_members; k++)
			free(t->drafts[i].decision_members[k].note);
		free(t->drafts[i].decision_members);
	}
	free(t->drafts);
	t->drafts = NULL;
	t->n = 0;
}

/* The latest decision on draft d recorded by as_of (by its event's time). */
static int decision_as_of(bt_db *db, bt_draft_tally *d, bt_time as_of, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DECISION_AS_OF, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, d->draft_id);
	sqlite3_bind_int64(st, 2, as_of);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_col_copy(st, 0, d->decision, sizeof d->decision);
		d->n_decision_members = 0;
		const char *frag = (const char *)sqlite3_column_text(st, 1);
		bt_buf obj = BT_BUF_INIT;
		bt_buf_addf(&obj, "{%s}", frag ? frag : "");
		d->decision_detail = bt_buf_detach(&obj, NULL);
		bt_buf_release(&obj);
		d->decided_at = sqlite3_column_int64(st, 2);
		if (!d->decision_detail) {
			sqlite3_reset(st);
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		}
	}
	int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 3) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, e, "reading decisions");
	if (!seq)
		return BT_OK;
	/* whom it names: reservations, more_time or opposed_by */
	const char *path = strcmp(d->decision, "approved") == 0 ? "$.reservations"
		: strcmp(d->decision, "more-time") == 0 ? "$.more_time" : "$.opposed_by";
	if (!(st = db_stmt(db, SQL_DECISION_MEMBERS, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	db_bind_text(st, 2, path);
	size_t cap = 0;
	rc = BT_OK;
	int step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&d->decision_members, &cap, d->n_decision_members + 1,
				  sizeof *d->decision_members)) {
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
			break;
		}
		bt_decision_member *m = &d->decision_members[d->n_decision_members++];
		db_col_copy(st, 0, m->code, sizeof m->code);
		m->note = db_col_strdup(st, 1);
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading a decision's members");
	return rc;
}

/* Bad input when as_of is before the date of circular c: nothing was on
 * record then. */
static int as_of_on_record(const bt_consultation *c, bt_time as_of, bt_err *e)
{
	if (as_of >= bt_date_time(c->date))
		return BT_OK;
	char ts[BT_TIME_LEN], ds[BT_DATE_LEN];
	bt_time_format(as_of, ts);
	bt_date_format(c->date, ds);
	return bt_failf(e, BT_R_INPUT, "as_of", "%s is before the date of circular %s (%s): nothing was on record",
			ts, c->circular, ds);
}

/* The consultation's part of t (circular, rule, deadline as of as_of,
 * state) from its row c, counted under rule. */
static int tally_head(bt_db *db, bt_consultation *c, const bt_rule *rule, bt_time as_of, bt_tally *t,
		      bt_err *e)
{
	snprintf(t->circular, sizeof t->circular, "%s", c->circular);
	snprintf(t->rule, sizeof t->rule, "%s", c->rule);
	t->clause = rule->clause;
	t->rule_edition = rule->edition;
	/* as of a time before the deadline was moved, the deadline then */
	sqlite3_stmt *x = db_stmt(db, SQL_DEADLINE_AS_OF, e);
	if (!x)
		return BT_EFAIL;
	sqlite3_bind_int64(x, 1, c->id);
	sqlite3_bind_int64(x, 2, as_of);
	if (sqlite3_step(x) == SQLITE_ROW)
		c->deadline = sqlite3_column_int64(x, 0);
	sqlite3_reset(x);
	t->deadline = c->deadline;
	if (!(x = db_stmt(db, SQL_CONSULTATION_EXTRA, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(x, 1, c->id);
	if (sqlite3_step(x) == SQLITE_ROW)
		db_col_copy(x, 1, t->deadline_forced, sizeof t->deadline_forced);
	sqlite3_reset(x);
	t->as_of = as_of;
	t->final = as_of > c->deadline;
	t->closed = c->closed && c->closed_at <= as_of;
	t->closed_at = t->closed ? c->closed_at : 0;
	t->electorate = c->electorate;
	return BT_OK;
}

/* Each draft of c counted under rule as of as_of into t->drafts. */
static int tally_drafts(bt_db *db, const bt_consultation *c, const bt_rule *rule, bt_time as_of, bt_tally *t,
			bt_err *e)
{
	bt_draft_list drafts;
	int rc = drafts_of(db, c, &drafts, e);
	if (rc)
		return rc;
	if (drafts.n && !(t->drafts = calloc(drafts.n, sizeof *t->drafts))) {
		bt_draft_list_free(&drafts);
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	for (size_t i = 0; i < drafts.n; i++) {
		bt_draft_tally *d = &t->drafts[t->n++];
		d->draft_id = drafts.v[i].id;
		snprintf(d->rec, sizeof d->rec, "%s", drafts.v[i].rec);
		d->title = drafts.v[i].title;
		drafts.v[i].title = NULL;
		for (int k = 0; k < BT_DRAFT_LANGS; k++) {
			d->titles[k] = drafts.v[i].titles[k];
			drafts.v[i].titles[k] = NULL;
		}
		d->more_time_until = BT_DATE_NONE;
		count_row *rows;
		size_t n;
		if ((rc = decision_as_of(db, d, as_of, e)) || (rc = count_load(db, d->draft_id, &rows, &n, e)))
			break;
		tally_rows(rule, rows, n, t, d);
		if (strcmp(d->state, BT_STATE_MORE_TIME) == 0)
			d->more_time_until = bt_more_time_until(c->meeting_end);
		free(rows);
	}
	bt_draft_list_free(&drafts);
	return rc;
}

static int tally_compute(bt_db *db, const char *circular, bt_time as_of, int strict, bt_tally *t,
			 bt_err *e)
{
	memset(t, 0, sizeof *t);
	bt_consultation c;
	const bt_rule *rule = NULL;
	int rc = consultation_load(db, circular, &c, e);
	if (!rc && strict)
		rc = as_of_on_record(&c, as_of, e);
	if (!rc && !(rule = bt_rule_find(c.rule)))
		rc = bt_failf(e, BT_R_DAMAGED, NULL, "consultation '%s' has unknown rule '%s'", circular, c.rule);
	if (!rc)
		rc = tally_head(db, &c, rule, as_of, t, e);
	if (!rc && (rc = tally_drafts(db, &c, rule, as_of, t, e)))
		bt_tally_free(t);
	return rc;
}

void bt_pending_list_free(bt_pending_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].recs);
		free(l->v[i].why);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* One item per electorate member in out (names taken from el), each with
 * room for ndrafts drafts. */
static int pending_items(bt_member_list *el, size_t ndrafts, bt_pending_list *out, bt_err *e)
{
	if (el->n && !(out->v = calloc(el->n, sizeof *out->v)))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	for (size_t m = 0; m < el->n; m++) {
		memcpy(out->v[m].code, el->v[m].code, 4);
		out->v[m].name = el->v[m].name;
		el->v[m].name = NULL;
		if (ndrafts && (!(out->v[m].recs = calloc(ndrafts, sizeof *out->v[m].recs)) ||
				!(out->v[m].why = calloc(ndrafts, sizeof *out->v[m].why)))) {
			out->n = m + 1;
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		}
	}
	out->n = el->n;
	return BT_OK;
}

/* Adds draft d to each member of out with no counted reply on it as of
 * as_of (deadline: c's), with the list it is in. Members are sorted by code
 * in both lists, so one merge. */
static int pending_draft(bt_db *db, const bt_consultation *c, const bt_draft *d, bt_time as_of,
			 bt_pending_list *out, bt_err *e)
{
	count_row *rows;
	size_t n, r = 0;
	int rc = count_load(db, d->id, &rows, &n, e);
	if (rc)
		return rc;
	for (size_t m = 0; m < out->n; m++) {
		while (r < n && strcmp(rows[r].member, out->v[m].code) < 0)
			r++;
		size_t s = r;
		while (r < n && strcmp(rows[r].member, out->v[m].code) == 0)
			r++;
		/* no rows at all: rows is NULL, and NULL + 0 is undefined */
		int withdrawn = 0, late = 0;
		if (count_resolve(rows ? rows + s : NULL, r - s, c->deadline, as_of, &withdrawn) >= 0)
			continue;
		for (size_t k = s; k < r; k++)
			late |= rows[k].status && strcmp(rows[k].status, "late") == 0 && rows[k].choice != BT_WITHDRAW;
		/* the same lists as tally_rows: late wins over withdrawn */
		out->v[m].why[out->v[m].n_recs] = late ? "late" : withdrawn ? "withdrawn" : "none";
		memcpy(out->v[m].recs[out->v[m].n_recs++], d->rec, BT_ID_MAX + 1);
	}
	free(rows);
	return BT_OK;
}

/* Keeps only the members of out that lack a reply somewhere. */
static void pending_keep_lacking(bt_pending_list *out)
{
	size_t k = 0;
	for (size_t m = 0; m < out->n; m++) {
		if (out->v[m].n_recs) {
			out->v[k++] = out->v[m];
		} else {
			free(out->v[m].name);
			free(out->v[m].recs);
			free(out->v[m].why);
		}
	}
	out->n = k;
}

/* Each pending member's number of contact addresses in force. */
static int pending_contacts(bt_db *db, bt_pending_list *out, bt_err *e)
{
	bt_contact_list l = { NULL, 0 };
	int rc = bt_contacts_list(db, NULL, &l, e);
	for (size_t i = 0; !rc && i < out->n; i++)
		for (size_t k = 0; k < l.n; k++)
			out->v[i].contacts += strcmp(l.v[k].member, out->v[i].code) == 0;
	bt_contact_list_free(&l);
	return rc;
}

static int pending_get(bt_db *db, const char *circular, const char *rec, bt_time as_of,
		       bt_pending_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	bt_consultation c;
	bt_member_list el = { NULL, 0 };
	bt_draft_list drafts = { NULL, 0 };
	int rc = consultation_load(db, circular, &c, e);
	if (rc)
		return rc;
	if (rec) {
		bt_draft d;
		if ((rc = draft_find_in(db, &c, rec, &d, e)))
			return rc;
		bt_draft_clear(&d);
	}
	if (!(rc = bt_electorate_list(db, circular, &el, e)) && !(rc = drafts_of(db, &c, &drafts, e)))
		rc = pending_items(&el, drafts.n, out, e);
	for (size_t i = 0; i < drafts.n && !rc; i++)
		if (!rec || strcmp(rec, drafts.v[i].rec) == 0)
			rc = pending_draft(db, &c, &drafts.v[i], as_of, out, e);
	if (!rc)
		pending_keep_lacking(out);
	if (!rc)
		rc = pending_contacts(db, out, e);
	bt_member_list_free(&el);
	bt_draft_list_free(&drafts);
	if (rc)
		bt_pending_list_free(out);
	return rc;
}

int bt_tally_as_of(bt_db *db, const char *circular, bt_time as_of, bt_tally *t, bt_err *e)
{
	int snap = db_read_begin(db);
	int rc = bt_audit_circular(db, circular, e);
	if (!rc)
		rc = tally_compute(db, circular, as_of, 1, t, e);
	db_read_end(db, snap);
	return rc;
}

int bt_tally_compute(bt_db *db, const char *circular, bt_time as_of, bt_tally *t, bt_err *e)
{
	int snap = db_read_begin(db);
	int rc = bt_audit_circular(db, circular, e);
	if (!rc)
		rc = tally_compute(db, circular, as_of, 0, t, e);
	db_read_end(db, snap);
	return rc;
}

int bt_tally_doc(bt_db *db, const char *circular, bt_time as_of, int user_as_of,
		 bt_buf *out, bt_err *e)
{
	char key[96];
	int n = snprintf(key, sizeof key, "tally %d %lld %s", user_as_of ? 1 : 0, (long long)as_of,
			 circular ? circular : "");
	int keep = circular && n > 0 && (size_t)n < sizeof key; /* else never kept */
	if (keep && db_doc_get(db, key, out))
		return BT_OK;
	bt_buf_reset(out);
	bt_tally t;
	memset(&t, 0, sizeof t);
	int snap = db_read_begin(db); /* the document and the state it is kept under: one snapshot */
	int rc = user_as_of ? bt_tally_as_of(db, circular, as_of, &t, e)
			    : bt_tally_compute(db, circular, as_of, &t, e);
	if (!rc)
		rc = bt_tally_json(&t, out, e);
	if (!rc && keep)
		db_doc_put(db, key, out);
	db_read_end(db, snap);
	bt_tally_free(&t);
	return rc;
}

int bt_pending_get(bt_db *db, const char *circular, const char *rec, bt_time as_of,
		   bt_pending_list *out, bt_err *e)
{
	int snap = db_read_begin(db);
	int rc = pending_get(db, circular, rec, as_of, out, e);
	db_read_end(db, snap);
	return rc;
}
