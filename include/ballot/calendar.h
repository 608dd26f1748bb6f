/* calendar.h - the days ITU headquarters is closed, and the working days
 * that WTSA Res. 1 §9.4.1 counts ("seven working days before the first day of
 * the SG meeting").
 *
 * The calendar is data kept in the database: each closed day is a row added
 * by an event (calendar-add, calendar-import) and removed by one
 * (calendar-remove), so the audit covers it. A working day is a Monday to
 * Friday that is not a closed day in force.
 */
#ifndef BALLOT_CALENDAR_H
#define BALLOT_CALENDAR_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/db.h"
#include "ballot/timeutil.h"

#define BT_CLOSED_NAME_MAX 100   /* bytes of a closed day's name */
#define BT_CALENDAR_FIRST_YEAR 2000 /* the rule-based default covers these */
#define BT_CALENDAR_LAST_YEAR 2100

typedef struct bt_closed_day {
	bt_date day;
	char name[BT_CLOSED_NAME_MAX + 1];
	char source[64];  /* "rules", a file name, "cli" */
	int64_t seq;      /* the event that added it */
} bt_closed_day;

typedef struct bt_calendar {
	bt_closed_day *v; /* by date */
	size_t n;
} bt_calendar;

/* Easter Sunday of a Gregorian year (1583-9999), by the Gregorian computus
 * (the "anonymous Gregorian" algorithm of Nature, 1876). */
bt_date bt_easter(int year);

/* The closed days of ITU headquarters that follow from rules, for one year:
 * 1 January, Good Friday, Easter Monday, Ascension, Whit Monday, Jeûne
 * genevois (the Thursday after the first Sunday of September), 25 December.
 * Fills out[0..6] by date; returns 7. */
int bt_calendar_rule_days(int year, bt_closed_day out[7]);

/* The closed days in force, by date (year 0: every year). BT_EFAIL on a
 * database error. */
int bt_calendar_list(bt_db *db, int year, bt_calendar *out, bt_err *e);
void bt_calendar_free(bt_calendar *c);

/* The entry for day d, or NULL when d is not a closed day. cal may be NULL
 * (no closed days). */
const bt_closed_day *bt_calendar_find(const bt_calendar *cal, bt_date d);

/* 1 when d is a Monday-Friday that cal does not close. */
int bt_working_day(const bt_calendar *cal, bt_date d);

/* The default TAP deadline (§9.4.1): 23:59:00 UTC of the working day before
 * the seven working days before meeting_start. */
bt_time bt_default_deadline(const bt_calendar *cal, bt_date meeting_start);

/* Working days strictly between the date of deadline and meeting_start. */
int bt_working_days_left(const bt_calendar *cal, bt_time deadline, bt_date meeting_start);

/* Adds one closed day (name: 1-100 bytes of clean UTF-8, no tab). BT_EINPUT
 * naming the field when the date is already closed or the name is bad. One
 * calendar-add event. */
int bt_calendar_add(bt_db *db, bt_date day, const char *name, const char *actor,
		    bt_time now, bt_err *e);

/* Removes the closed day in force on day; BT_EINPUT when there is none. One
 * calendar-remove event. */
int bt_calendar_remove(bt_db *db, bt_date day, const char *actor, bt_time now,
		       bt_err *e);

/* Imports closed days from TSV text (date<TAB>name per line; blank lines and
 * lines starting with '#' ignored). All or nothing: a malformed line, a
 * date given twice in the file (both lines named) is BT_EINPUT and nothing
 * is added. Days already closed are skipped (*skipped counts them). source
 * (the file's base name) is recorded with each day. One calendar-import
 * event when at least one day is added. */
int bt_calendar_import(bt_db *db, const char *text, size_t len, const char *source,
		       const char *actor, bt_time now, int *added, int *skipped,
		       bt_err *e);

#endif
