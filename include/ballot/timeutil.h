/* timeutil.h - the one time parser and printer.
 *
 * Inside, a time is an int64 count of seconds since 1970-01-01T00:00:00Z and a
 * date an int32 count of days since 1970-01-01. Outside, both are ISO 8601:
 * times as 2020-02-21T23:59:00Z, dates as 2020-02-21.
 */
#ifndef BALLOT_TIMEUTIL_H
#define BALLOT_TIMEUTIL_H

#include <stdint.h>
#include "ballot/err.h"

typedef int64_t bt_time; /* seconds since the epoch, UTC */
typedef int32_t bt_date; /* days since the epoch */

#define BT_TIME_LEN 21 /* "2020-02-21T23:59:00Z" plus NUL */
#define BT_DATE_LEN 11 /* "2020-02-21" plus NUL */

/* Parses an ISO 8601 time with a zone: YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)
 * (a space may stand for T; Z may be lowercase). Converts it to UTC.
 * A time without a zone, an impossible date (2020-02-30) or a year outside
 * 1900-9999 is refused: BT_EINPUT with a message naming field (the engine's name of the input, as err.h says) and value. */
int bt_time_parse(const char *s, const char *field, bt_time *out, bt_err *e);

/* Parses a date YYYY-MM-DD (calendar-checked); BT_EINPUT when malformed. */
int bt_date_parse(const char *s, const char *field, bt_date *out, bt_err *e);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into out (BT_TIME_LEN bytes). */
void bt_time_format(bt_time t, char out[BT_TIME_LEN]);

/* Writes d as "YYYY-MM-DD" into out (BT_DATE_LEN bytes). */
void bt_date_format(bt_date d, char out[BT_DATE_LEN]);

/* The date of time t, and the time of 00:00:00Z on date d. */
bt_date bt_time_date(bt_time t);
bt_time bt_date_time(bt_date d);

/* The date n calendar months after d; the day is clamped to the month's
 * length (2020-01-31 plus one month is 2020-02-29). */
bt_date bt_date_add_months(bt_date d, int n);

/* Day of the week of d: 0 = Monday ... 6 = Sunday. */
int bt_date_weekday(bt_date d);

/* Days from the civil date; no range check (use bt_date_parse for input). */
bt_date bt_date_from_ymd(int y, int m, int d);

/* The current time: $BALLOT_NOW when set (parsed as above; BT_EINPUT if
 * malformed), else the system clock. */
int bt_now(bt_time *out, bt_err *e);

#endif
