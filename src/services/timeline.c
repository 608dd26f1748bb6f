/* timeline.c - the dates and checks of §9.3-§9.5 (include/ballot/timeline.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"

#define RES1 "WTSA Res. 1 "

void bt_timeline_free(bt_timeline *t)
{
	free(t->dates);
	free(t->checks);
	memset(t, 0, sizeof *t);
}

static int add_date(bt_timeline *t, size_t *cap, bt_time at, int date_only, const char *what,
		    const char *clause, const char *rec, const char *detail)
{
	if (array_reserve(&t->dates, cap, t->ndates + 1, sizeof *t->dates))
		return -1;
	bt_timeline_date *d = &t->dates[t->ndates++];
	memset(d, 0, sizeof *d);
	d->at = at;
	d->date_only = date_only;
	d->what = what;
	d->clause = clause;
	snprintf(d->rec, sizeof d->rec, "%s", rec ? rec : "");
	snprintf(d->detail, sizeof d->detail, "%s", detail ? detail : "");
	return 0;
}

static bt_timeline_check *add_check(bt_timeline *t, size_t *cap, const char *name, const char *clause,
				    const char *rec)
{
	if (array_reserve(&t->checks, cap, t->nchecks + 1, sizeof *t->checks))
		return NULL;
	bt_timeline_check *k = &t->checks[t->nchecks++];
	memset(k, 0, sizeof *k);
	k->name = name;
	k->clause = clause;
	k->holds = -1;
	snprintf(k->rec, sizeof k->rec, "%s", rec ? rec : "");
	return k;
}

/* Within one day: what opens it, then the decisions taken that day, then
 * what ends with it (the meeting's last day, the last of the four weeks). */
static int day_rank(const bt_timeline_date *d)
{
	return strcmp(d->what, "meeting-end") == 0 || strcmp(d->what, "more-time-ends") == 0 ? 2
		: strcmp(d->what, "decision") == 0 ? 1 : 0;
}

/* By time, then day_rank; keeps the order of insertion among equals. */
static int by_time(const void *a, const void *b)
{
	const bt_timeline_date *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (day_rank(x) != day_rank(y))
		return day_rank(x) < day_rank(y) ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* A decision's clause: what follows more time is §9.5.5's (the formal
 * opposition within the four weeks, or the approval after them). */
static const char *decision_clause(const bt_decision *x)
{
	if (x->kind == BT_DECISION_MORE_TIME || strcmp(x->from, BT_STATE_MORE_TIME) == 0)
		return RES1 "§9.5.5";
	return x->kind == BT_DECISION_NOT_APPROVED ? RES1 "§9.5.3" : RES1 "§9.5.3, §9.5.4";
}

/* The dates of c (its drafts dl) in order: the circular, the texts, the
 * deadline, the meeting, each decision on its effective date (decide
 * --date) and the end of the four weeks that more time gives. */
static int timeline_dates(bt_db *db, const bt_consultation *c, const bt_draft_list *dl, const bt_rule *rule,
			  bt_timeline *t, bt_err *e)
{
	size_t cap = 0;
	int oom = add_date(t, &cap, bt_date_time(c->date), 1, "circular",
			   t->applies ? RES1 "§9.3.3" : rule ? rule->clause : "", NULL, NULL);
	for (size_t i = 0; i < dl->n; i++)
		if (dl->v[i].texts_available != BT_DATE_NONE)
			oom |= add_date(t, &cap, bt_date_time(dl->v[i].texts_available), 1, "texts-available",
					RES1 "§9.3.5", dl->v[i].rec, NULL);
	oom |= add_date(t, &cap, c->deadline, 0, "deadline", t->applies ? RES1 "§9.4.1" : rule ? rule->clause : "",
			NULL, NULL);
	oom |= add_date(t, &cap, bt_date_time(c->meeting_start), 1, "meeting-start", RES1 "§9.5", NULL, NULL);
	oom |= add_date(t, &cap, bt_date_time(c->meeting_end), 1, "meeting-end", RES1 "§9.5", NULL, NULL);
	bt_decision_list decs;
	int rc = bt_decisions_get(db, c->circular, BT_INF_TIME, &decs, e);
	if (rc)
		return rc;
	for (size_t i = 0; i < decs.n; i++) {
		const bt_decision *x = &decs.v[i];
		const char *kind = bt_decision_kind_name(x->kind);
		oom |= add_date(t, &cap, bt_date_time(x->date), 1, "decision", decision_clause(x), x->rec,
				kind ? kind : "");
		if (x->kind == BT_DECISION_MORE_TIME)
			oom |= add_date(t, &cap, bt_date_time(bt_more_time_until(c->meeting_end)), 1,
					"more-time-ends", RES1 "§9.5.5", x->rec, NULL);
	}
	bt_decision_list_free(&decs);
	if (oom)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	qsort(t->dates, t->ndates, sizeof *t->dates, by_time);
	return BT_OK;
}

/* The checks of §9.3.3-§9.3.5 and §9.4.1 for c (its drafts dl; cal the
 * closed days): each with its date, what is due and whether it holds. */
static int timeline_checks(const bt_consultation *c, const bt_draft_list *dl, const bt_calendar *cal,
			   bt_timeline *t, bt_err *e)
{
	size_t cap = 0;
	bt_timeline_check *k = add_check(t, &cap, "announcement", RES1 "§9.3.3", NULL);
	if (k) {
		k->has_date = k->has_due = k->date_only = 1;
		k->date = bt_date_time(c->date);
		k->due = bt_date_add_months(c->meeting_start, -3);
		k->holds = c->date <= k->due;
	}
	for (size_t i = 0; k && i < dl->n; i++) {
		if ((k = add_check(t, &cap, "texts_available", RES1 "§9.3.5", dl->v[i].rec))) {
			k->has_due = k->date_only = 1;
			k->due = bt_date_add_months(c->meeting_start, -1);
			if (dl->v[i].texts_available != BT_DATE_NONE) {
				k->has_date = 1;
				k->date = bt_date_time(dl->v[i].texts_available);
				k->holds = dl->v[i].texts_available <= k->due;
			}
		}
		if (k && (k = add_check(t, &cap, "summary", RES1 "§9.3.4", dl->v[i].rec)))
			k->holds = dl->v[i].summary && dl->v[i].summary[0];
	}
	if (k && (k = add_check(t, &cap, "deadline", RES1 "§9.4.1", NULL))) {
		k->has_date = 1;
		k->date = c->deadline;
		k->working_days = bt_working_days_left(cal, c->deadline, c->meeting_start);
		k->holds = k->working_days >= 7;
	}
	return k ? BT_OK : bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
}

static int timeline_get(bt_db *db, const char *circular, bt_timeline *t, bt_err *e)
{
	bt_consultation c;
	bt_draft_list dl = { NULL, 0 };
	bt_calendar cal = { NULL, 0 };
	int rc = consultation_load(db, circular, &c, e);
	if (!rc && !(rc = drafts_of(db, &c, &dl, e)) && !(rc = bt_calendar_list(db, 0, &cal, e))) {
		snprintf(t->circular, sizeof t->circular, "%s", c.circular);
		const bt_rule *rule = bt_rule_find(c.rule);
		t->applies = rule && rule->period_months == 0;
		if (!(rc = timeline_dates(db, &c, &dl, rule, t, e)) && t->applies)
			rc = timeline_checks(&c, &dl, &cal, t, e);
	}
	bt_draft_list_free(&dl);
	bt_calendar_free(&cal);
	return rc;
}

int bt_timeline_get(bt_db *db, const char *circular, bt_timeline *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	int snap = db_read_begin(db);
	int rc = timeline_get(db, circular, out, e);
	db_read_end(db, snap);
	if (rc)
		bt_timeline_free(out);
	return rc;
}
