/* docjson.c - the JSON documents that the command line prints and the
 * portal's /api/v1 serves, so both give the same bytes: status, a
 * consultation's timeline checks, history and pending
 * (include/ballot/export.h). */
#include <stdio.h>
#include <string.h>
#include "services/services.h"
#include "ballot/export.h"

/* "key":"YYYY-MM-DD", or null for BT_DATE_NONE. */
static int kv_date(bt_buf *b, const char *key, bt_date d, int first)
{
	char ds[BT_DATE_LEN];
	if (d == BT_DATE_NONE)
		return bt_json_kv_null(b, key, first);
	bt_date_format(d, ds);
	return bt_json_kv_str(b, key, ds, first);
}

/* The document in out with its newline, or BT_EFAIL. */
static int doc_done(bt_buf *out, const char *what, bt_err *e)
{
	bt_buf_addc(out, '\n');
	return out->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory writing %s", what) : BT_OK;
}

/* "holds": true, false or null. */
static void json_holds(bt_buf *b, int holds)
{
	if (holds < 0)
		bt_json_kv_null(b, "holds", 0);
	else
		bt_json_kv_bool(b, "holds", holds, 0);
}

static void json_when(bt_buf *b, const char *key, int has, bt_time t, int date_only)
{
	if (!has)
		bt_json_kv_null(b, key, 0);
	else if (date_only)
		kv_date(b, key, bt_time_date(t), 0);
	else
		bt_json_kv_time(b, key, t, 0);
}

int bt_timeline_json(bt_buf *b, const bt_timeline *t, const char *rec)
{
	if (!t->applies)
		return bt_buf_adds(b, "null");
	static const char *const groups[] = { "announcement", "texts_available", "summary", "deadline" };
	bt_buf_addc(b, '{');
	for (int g = 0; g < 4; g++) {
		int per_draft = g == 1 || g == 2, n = 0;
		bt_json_key(b, groups[g], g == 0);
		bt_buf_addc(b, '{');
		for (size_t i = 0; i < t->nchecks; i++) {
			const bt_timeline_check *k = &t->checks[i];
			if (strcmp(k->name, groups[g]) != 0 || (per_draft && rec && strcmp(k->rec, rec) != 0))
				continue;
			if (n == 0) {
				bt_json_kv_str(b, "clause", k->clause, 1);
				if (k->has_due)
					kv_date(b, "due", k->due, 0);
				if (per_draft) {
					bt_json_key(b, "drafts", 0);
					bt_buf_addc(b, '[');
				}
			}
			if (per_draft) {
				bt_buf_adds(b, n ? ",{" : "{");
				bt_json_kv_str(b, "rec", k->rec, 1);
				if (g == 1)
					json_when(b, "date", k->has_date, k->date, 1);
				json_holds(b, k->holds);
				bt_buf_addc(b, '}');
			} else {
				json_when(b, "date", k->has_date, k->date, k->date_only);
				if (g == 3)
					bt_json_kv_int(b, "working_days_before_meeting", k->working_days, 0);
				json_holds(b, k->holds);
			}
			n++;
		}
		if (per_draft && n)
			bt_buf_addc(b, ']');
		if (per_draft && n == 0) {
			bt_json_kv_str(b, "clause", g == 1 ? "WTSA Res. 1 §9.3.5" : "WTSA Res. 1 §9.3.4", 1);
			bt_json_key(b, "drafts", 0);
			bt_buf_adds(b, "[]");
		}
		bt_buf_addc(b, '}');
	}
	return bt_buf_addc(b, '}');
}

int bt_status_json(bt_db *db, const bt_status_list *l, bt_buf *out, bt_err *e)
{
	bt_timeline t = { 0 };
	bt_draft_list dl = { NULL, 0 };
	int rc = BT_OK;
	bt_buf_addc(out, '[');
	for (size_t i = 0; i < l->n; i++) {
		const bt_status_row *r = &l->v[i];
		bt_buf_adds(out, i ? ",{" : "{");
		bt_json_kv_str(out, "circular", r->circular, 1);
		bt_json_kv_int(out, "group", r->group, 0);
		bt_json_kv_str(out, "rec", r->rec, 0);
		bt_json_kv_str(out, "title", r->title, 0);
		bt_json_kv_str(out, "state", r->state, 0);
		bt_json_kv_time(out, "deadline", r->deadline, 0);
		bt_json_kv_str(out, "outcome", r->outcome, 0);
		bt_json_kv_str(out, "rule", r->rule, 0);
		kv_date(out, "meeting_start", r->meeting_start, 0);
		kv_date(out, "meeting_end", r->meeting_end, 0);
		if (r->more_time_until != BT_DATE_NONE)
			kv_date(out, "more_time_until", r->more_time_until, 0);
		bt_json_kv_bool(out, "summary_missing", r->summary_missing, 0);
		/* the rows come by circular: one timeline per consultation */
		if (strcmp(t.circular, r->circular) != 0) {
			bt_timeline_free(&t);
			bt_draft_list_free(&dl);
			if ((rc = bt_timeline_get(db, r->circular, &t, e)) ||
			    (rc = bt_drafts_list(db, r->circular, &dl, e)))
				break;
		}
		bt_json_key(out, "timeline", 0);
		bt_timeline_json(out, &t, r->rec);
		const bt_draft *d = NULL; /* the titles per language, last */
		for (size_t k = 0; k < dl.n && !d; k++)
			if (strcmp(dl.v[k].rec, r->rec) == 0)
				d = &dl.v[k];
		bt_json_key(out, "titles", 0);
		bt_json_titles(out, d);
		bt_buf_addc(out, '}');
	}
	bt_buf_addc(out, ']');
	bt_timeline_free(&t);
	bt_draft_list_free(&dl);
	return rc ? rc : doc_done(out, "the status", e);
}

int bt_history_json(const bt_history *h, bt_buf *out, bt_err *e)
{
	bt_buf_addc(out, '[');
	for (size_t i = 0; i < h->n; i++) {
		if (i)
			bt_buf_addc(out, ',');
		bt_history_item_json(out, &h->v[i], NULL);
	}
	bt_buf_addc(out, ']');
	return doc_done(out, "the history", e);
}

int bt_pending_json(const bt_pending_list *p, bt_buf *out, bt_err *e)
{
	bt_buf_addc(out, '[');
	for (size_t i = 0; i < p->n; i++) {
		const bt_pending_item *it = &p->v[i];
		bt_buf_adds(out, i ? ",{" : "{");
		bt_json_kv_str(out, "code", it->code, 1);
		bt_json_kv_str(out, "name", it->name, 0);
		bt_json_key(out, "drafts", 0);
		bt_buf_addc(out, '[');
		for (size_t d = 0; d < it->n_recs; d++) {
			if (d)
				bt_buf_addc(out, ',');
			bt_json_str(out, it->recs[d]);
		}
		bt_buf_addc(out, ']');
		bt_json_kv_int(out, "contacts", it->contacts, 0);
		bt_buf_addc(out, '}');
	}
	bt_buf_addc(out, ']');
	return doc_done(out, "the pending members", e);
}
