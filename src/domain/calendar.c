/* calendar.c - ITU's closed days and the working days of §9.4.1
 * (include/ballot/calendar.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

/* The days set each year (forms/calendar/itu-closed-days.tsv), embedded by
 * src/calendar_days.S so a migration needs no files. */
extern const char bt_calendar_days_tsv[];
extern const char bt_calendar_days_tsv_end[];

#define DEFAULT_FILE "forms/calendar/itu-closed-days.tsv"

bt_date bt_easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
	return bt_date_from_ymd(y, month, day);
}

static void rule_day(bt_closed_day *o, bt_date d, const char *name)
{
	memset(o, 0, sizeof *o);
	o->day = d;
	snprintf(o->name, sizeof o->name, "%s", name);
	snprintf(o->source, sizeof o->source, "rules");
}

int bt_calendar_rule_days(int year, bt_closed_day out[7])
{
	bt_date easter = bt_easter(year);
	/* The first Sunday of September, then the Thursday after it. */
	bt_date sep1 = bt_date_from_ymd(year, 9, 1);
	bt_date sunday = sep1 + (6 - bt_date_weekday(sep1));
	rule_day(&out[0], bt_date_from_ymd(year, 1, 1), "New Year's Day");
	rule_day(&out[1], easter - 2, "Good Friday");
	rule_day(&out[2], easter + 1, "Easter Monday");
	rule_day(&out[3], easter + 39, "Ascension Day");
	rule_day(&out[4], easter + 50, "Whit Monday");
	rule_day(&out[5], sunday + 4, "Jeûne genevois");
	rule_day(&out[6], bt_date_from_ymd(year, 12, 25), "Christmas Day");
	return 7;
}

void bt_calendar_free(bt_calendar *c)
{
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

int bt_calendar_list(bt_db *db, int year, bt_calendar *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_CLOSED_DAYS_IN_FORCE, e);
	if (!st)
		return BT_EFAIL;
	if (year) {
		sqlite3_bind_int(st, 1, bt_date_from_ymd(year, 1, 1));
		sqlite3_bind_int(st, 2, bt_date_from_ymd(year, 12, 31));
	}
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v)) {
			sqlite3_reset(st);
			bt_calendar_free(out);
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		}
		bt_closed_day *d = &out->v[out->n++];
		d->day = sqlite3_column_int(st, 0);
		db_col_copy(st, 1, d->name, sizeof d->name);
		db_col_copy(st, 2, d->source, sizeof d->source);
		d->seq = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		bt_calendar_free(out);
		return db_fail(db, e, "reading the calendar");
	}
	return BT_OK;
}

const bt_closed_day *bt_calendar_find(const bt_calendar *cal, bt_date d)
{
	if (!cal)
		return NULL;
	size_t lo = 0, hi = cal->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->v[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cal->n && cal->v[lo].day == d ? &cal->v[lo] : NULL;
}

int bt_working_day(const bt_calendar *cal, bt_date d)
{
	return bt_date_weekday(d) < 5 && !bt_calendar_find(cal, d);
}

bt_time bt_default_deadline(const bt_calendar *cal, bt_date meeting_start)
{
	bt_date d = meeting_start;
	for (int left = 7; left > 0;)
		if (bt_working_day(cal, --d))
			left--;
	/* d is the seventh working day before the meeting; the deadline is the
	 * working day before it. */
	do
		d--;
	while (!bt_working_day(cal, d));
	return bt_date_time(d) + 23 * 3600 + 59 * 60;
}

int bt_working_days_left(const bt_calendar *cal, bt_time deadline, bt_date meeting_start)
{
	int n = 0;
	for (bt_date d = bt_time_date(deadline) + 1; d < meeting_start; d++)
		n += bt_working_day(cal, d);
	return n;
}

int calendar_skipped(const bt_calendar *cal, bt_time deadline, bt_date meeting_start,
		     bt_buf *out)
{
	bt_buf_reset(out);
	for (bt_date d = bt_time_date(deadline) + 1; d < meeting_start; d++) {
		const bt_closed_day *c = bt_calendar_find(cal, d);
		if (c && bt_date_weekday(d) < 5) {
			char ds[BT_DATE_LEN];
			bt_date_format(d, ds);
			bt_buf_addf(out, "%s\t%s\n", ds, c->name);
		}
	}
	return out->failed ? -1 : 0;
}

/* ---- events ---- */

int calendar_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out, bt_time *when,
		     int *found, bt_err *e)
{
	int removal = strcmp(kind, "calendar-remove") == 0;
	sqlite3_stmt *st = db_stmt(db, removal ? SQL_CLOSED_DAYS_BY_REMOVAL : SQL_CLOSED_DAYS_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	bt_buf_reset(out);
	bt_buf days = BT_BUF_INIT;
	char source[64] = "";
	int step;
	*found = 0;
	bt_buf_addc(&days, '[');
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char ds[BT_DATE_LEN], src[64];
		bt_time t = sqlite3_column_int64(st, 3);
		db_col_copy(st, 2, src, sizeof src);
		if (*found == 0) {
			*when = t;
			snprintf(source, sizeof source, "%s", src);
		} else if (t != *when || strcmp(src, source) != 0) {
			*when = -1; /* rows of one event share its time and source */
		}
		bt_date_format(sqlite3_column_int(st, 0), ds);
		bt_buf_addf(&days, "%s{", (*found)++ ? "," : "");
		bt_json_kv_str(&days, "date", ds, 1);
		bt_json_kv_str(&days, "name", (const char *)sqlite3_column_text(st, 1), 0);
		bt_buf_addc(&days, '}');
	}
	sqlite3_reset(st);
	bt_buf_addc(&days, ']');
	if (!removal)
		bt_json_kv_str(out, "source", source, 1);
	bt_json_key(out, "days", removal);
	bt_buf_add(out, days.data, days.len);
	int failed = days.failed || out->failed;
	bt_buf_release(&days);
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading the calendar");
	return failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* The row in force on day: *id 0 when none. */
static int closed_day_get(bt_db *db, bt_date day, int64_t *id, char name[BT_CLOSED_NAME_MAX + 1],
			  bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CLOSED_DAY_GET, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int(st, 1, day);
	int step = sqlite3_step(st);
	*id = 0;
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (name)
			db_col_copy(st, 1, name, BT_CLOSED_NAME_MAX + 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the calendar");
}

static int closed_day_insert(bt_db *db, bt_date day, const char *name, const char *source,
			     bt_time now, int64_t seq, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CLOSED_DAY_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int(st, 1, day);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, source);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, seq);
	return db_exec_stmt(db, st, "saving a closed day", e);
}

/* BT_EINPUT unless name is a closed day's name. */
static int check_name(const char *field, const char *name, bt_err *e)
{
	if (!name || !*name)
		return bt_failf(e, BT_R_INPUT, field, "the name is empty");
	if (strlen(name) > BT_CLOSED_NAME_MAX)
		return bt_failf(e, BT_R_INPUT, field,
				"the name is longer than %d bytes", BT_CLOSED_NAME_MAX);
	if (!bt_text_clean(name, 0))
		return bt_failf(e, BT_R_INPUT, field,
				"the name is not UTF-8 text without control characters");
	return BT_OK;
}

static int check_year(const char *field, bt_date day, bt_err *e)
{
	char ds[BT_DATE_LEN];
	bt_date_format(day, ds);
	int y = atoi(ds);
	if (y < 1900 || y > 9999)
		return bt_failf(e, BT_R_INPUT, field, "'%s' is outside the years 1900-9999", ds);
	return BT_OK;
}

/* The day a calendar-add or calendar-remove changes, and its row. */
typedef struct day_change {
	bt_date day;
	const char *name;
	int64_t id;
} day_change;

/* The event's payload, from the rows it wrote. */
static int day_payload(bt_db *db, db_write *w, bt_err *e)
{
	bt_time when = w->now;
	int found = 0;
	return calendar_payload(db, w->ev.seq, w->kind, &w->payload, &when, &found, e);
}

static int day_absent(bt_db *db, db_write *w, bt_err *e)
{
	day_change *d = w->ctx;
	char old[BT_CLOSED_NAME_MAX + 1], ds[BT_DATE_LEN];
	int rc = closed_day_get(db, d->day, &d->id, old, e);
	if (!rc && d->id) {
		bt_date_format(d->day, ds);
		rc = bt_failf(e, BT_R_CONFLICT, "day", "%s is already a closed day (%s)", ds, old);
	}
	return rc;
}

static int day_insert(bt_db *db, db_write *w, bt_err *e)
{
	day_change *d = w->ctx;
	int rc = closed_day_insert(db, d->day, d->name, "cli", w->now, w->ev.seq, e);
	return rc ? rc : day_payload(db, w, e);
}

int bt_calendar_add(bt_db *db, bt_date day, const char *name, const char *actor, bt_time now,
		    bt_err *e)
{
	int rc;
	if ((rc = check_name("name", name, e)) || (rc = check_year("day", day, e)))
		return rc;
	day_change d = { .day = day, .name = name };
	db_write w = { .kind = EVK_CALENDAR_ADD, .actor = actor, .now = now, .ctx = &d };
	return db_write_run(db, &w, day_absent, day_insert, e);
}

static int day_present(bt_db *db, db_write *w, bt_err *e)
{
	day_change *d = w->ctx;
	char ds[BT_DATE_LEN];
	int rc = closed_day_get(db, d->day, &d->id, NULL, e);
	if (!rc && !d->id) {
		bt_date_format(d->day, ds);
		rc = bt_failf(e, BT_R_NOT_FOUND, "day", "%s is not a closed day", ds);
	}
	return rc;
}

static int day_remove(bt_db *db, db_write *w, bt_err *e)
{
	day_change *d = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_CLOSED_DAY_REMOVE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, d->id);
	sqlite3_bind_int64(st, 2, w->now);
	sqlite3_bind_int64(st, 3, w->ev.seq);
	int rc = db_exec_stmt(db, st, "removing a closed day", e);
	return rc ? rc : day_payload(db, w, e);
}

int bt_calendar_remove(bt_db *db, bt_date day, const char *actor, bt_time now, bt_err *e)
{
	day_change d = { .day = day };
	db_write w = { .kind = EVK_CALENDAR_REMOVE, .actor = actor, .now = now, .ctx = &d };
	return db_write_run(db, &w, day_present, day_remove, e);
}


/* One parsed line of an import. */
typedef struct import_day {
	bt_date day;
	const char *name;
	int line;
} import_day;

static int by_day(const void *a, const void *b)
{
	const import_day *x = a, *y = b;
	return x->day != y->day ? (x->day < y->day ? -1 : 1) : x->line - y->line;
}

/* A calendar import (its db_write's ctx): the file, named field in
 * messages ("calendar_file") and source in its rows; its days, sorted, and
 * once checked only those not closed already. */
typedef struct day_import {
	const char *text;
	size_t len;
	const char *field, *source;
	char *copy;
	import_day *v;
	size_t n;
	int added, skipped;
} day_import;

static void day_import_free(day_import *im)
{
	free(im->v);
	free(im->copy);
}

/* Reads the file's lines (date<TAB>name) into im->v, each checked. */
static int import_read(day_import *im, bt_err *e)
{
	if (!bt_utf8_valid(im->text, im->len) || memchr(im->text, '\0', im->len))
		return bt_failf(e, BT_R_INPUT, im->field, "not valid UTF-8 text");
	if (!(im->copy = malloc(im->len + 1)))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	memcpy(im->copy, im->text, im->len);
	im->copy[im->len] = '\0';
	tsv_reader t;
	tsv_init(&t, im->copy, im->len);
	size_t cap = 0;
	int rc = BT_OK, nf;
	char *f[3], where[96];
	while (!rc && (nf = tsv_next(&t, f, 3)) > 0) {
		snprintf(where, sizeof where, "%s line %d", im->field, t.line);
		if (nf != 2)
			return bt_failf(e, BT_R_INPUT, where, "%d fields, want 2 (date<TAB>name)", nf);
		if (array_reserve(&im->v, &cap, im->n + 1, sizeof *im->v))
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		import_day *d = &im->v[im->n];
		if ((rc = bt_date_parse(f[0], where, &d->day, e)) || (rc = check_name(where, f[1], e)) ||
		    (rc = check_year(where, d->day, e)))
			break;
		d->name = f[1];
		d->line = t.line;
		im->n++;
	}
	if (!rc && im->n == 0)
		rc = bt_failf(e, BT_R_INPUT, im->field, "no closed day in the file");
	return rc;
}

/* Sorts the days; refuses a day given twice. */
static int import_sort(day_import *im, bt_err *e)
{
	qsort(im->v, im->n, sizeof *im->v, by_day);
	for (size_t i = 1; i < im->n; i++)
		if (im->v[i].day == im->v[i - 1].day) {
			char ds[BT_DATE_LEN];
			bt_date_format(im->v[i].day, ds);
			return bt_failf(e, BT_R_INPUT, im->field, " lines %d and %d: %s is given twice",
					im->v[i - 1].line, im->v[i].line, ds);
		}
	return BT_OK;
}

/* The check of an import: the file read, and the days closed already left
 * out (skipped); nothing to record when no day is new. */
static int import_check(bt_db *db, db_write *w, bt_err *e)
{
	day_import *im = w->ctx;
	int rc;
	if ((rc = import_read(im, e)) || (rc = import_sort(im, e)))
		return rc;
	size_t n = 0;
	for (size_t i = 0; i < im->n; i++) {
		int64_t id;
		if ((rc = closed_day_get(db, im->v[i].day, &id, NULL, e)))
			return rc;
		if (id)
			im->skipped++;
		else
			im->v[n++] = im->v[i];
	}
	im->n = n;
	if (n == 0)
		w->kind = NULL;
	return BT_OK;
}

static int import_insert(bt_db *db, db_write *w, bt_err *e)
{
	day_import *im = w->ctx;
	for (size_t i = 0; i < im->n; i++) {
		int rc = closed_day_insert(db, im->v[i].day, im->v[i].name, im->source, w->now, w->ev.seq, e);
		if (rc)
			return rc;
		im->added++;
	}
	return day_payload(db, w, e);
}

int bt_calendar_import(bt_db *db, const char *text, size_t len, const char *source,
		       const char *actor, bt_time now, int *added, int *skipped, bt_err *e)
{
	char src[64];
	snprintf(src, sizeof src, "%s", source && *source ? source : "import");
	if (!bt_text_clean(src, 0) || strchr(src, '\t'))
		snprintf(src, sizeof src, "import");
	day_import im = { .text = text, .len = len, .field = "calendar_file", .source = src };
	db_write w = { .kind = EVK_CALENDAR_IMPORT, .actor = actor, .now = now, .ctx = &im };
	int rc = db_write_run(db, &w, import_check, import_insert, e);
	*added = im.added;
	*skipped = im.skipped;
	day_import_free(&im);
	return rc;
}

/* The rule-based closed days of the calendar's years as an import file. */
static int rule_days_tsv(bt_buf *tsv, bt_err *e)
{
	bt_buf_adds(tsv, "# the rule-based closed days of ITU headquarters\n");
	for (int y = BT_CALENDAR_FIRST_YEAR; y <= BT_CALENDAR_LAST_YEAR; y++) {
		bt_closed_day days[7];
		bt_calendar_rule_days(y, days);
		for (int i = 0; i < 7; i++) {
			char ds[BT_DATE_LEN];
			bt_date_format(days[i].day, ds);
			bt_buf_addf(tsv, "%s\t%s\n", ds, days[i].name);
		}
	}
	return tsv->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

int calendar_install_default(bt_db *db, const char *actor, bt_time now, bt_err *e)
{
	bt_buf tsv = BT_BUF_INIT;
	day_import im[2] = {
		{ .field = "rules", .source = "rules" },
		{ .text = bt_calendar_days_tsv, .len = (size_t)(bt_calendar_days_tsv_end - bt_calendar_days_tsv),
		  .field = DEFAULT_FILE, .source = DEFAULT_FILE },
	};
	db_write w[2] = {
		{ .kind = EVK_CALENDAR_IMPORT, .actor = actor, .now = now, .ctx = &im[0] },
		{ .kind = EVK_CALENDAR_IMPORT, .actor = actor, .now = now, .ctx = &im[1] },
	};
	int rc = rule_days_tsv(&tsv, e);
	im[0].text = tsv.data;
	im[0].len = tsv.len;
	/* Only once: a database that has ever had a calendar event keeps what
	 * its secretariat made of it. */
	if (!rc)
		rc = db_write_once(db, SQL_CALENDAR_EVENTS_COUNT, w, 2, import_check, import_insert, e);
	day_import_free(&im[0]);
	day_import_free(&im[1]);
	bt_buf_release(&tsv);
	return rc;
}
