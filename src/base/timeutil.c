/* timeutil.c - the one ISO 8601 parser and printer (include/ballot/timeutil.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ballot/timeutil.h"

/* Days from civil (Howard Hinnant's algorithm), proleptic Gregorian. */
bt_date bt_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (bt_date)(era * 146097 + (int)doe - 719468);
}

static void ymd_from_date(bt_date z0, int *y, int *m, int *d)
{
	int z = z0 + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Reads exactly n digits at *p; -1 when they are not digits. */
static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

/* Parses YYYY-MM-DD at *p, advancing it; 0 on success. */
static int parse_ymd(const char **p, int *y, int *m, int *d)
{
	if ((*y = digits(p, 4)) < 0 || **p != '-')
		return -1;
	(*p)++;
	if ((*m = digits(p, 2)) < 0 || **p != '-')
		return -1;
	(*p)++;
	if ((*d = digits(p, 2)) < 0)
		return -1;
	if (*y < 1900 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int bt_date_parse(const char *s, const char *field, bt_date *out, bt_err *e)
{
	const char *p = s;
	int y, m, d;
	if (!s || parse_ymd(&p, &y, &m, &d) || *p)
		return bt_failf(e, BT_R_INPUT, field,
				"'%s' is not a valid date (want YYYY-MM-DD)", s ? s : "");
	*out = bt_date_from_ymd(y, m, d);
	return BT_OK;
}

int bt_time_parse(const char *s, const char *field, bt_time *out, bt_err *e)
{
	const char *p = s;
	int y, mo, d, h, mi, sec = 0;
	if (!s || parse_ymd(&p, &y, &mo, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		goto bad;
	p++;
	if ((h = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
		goto bad;
	if (*p == ':') {
		p++;
		if ((sec = digits(&p, 2)) < 0)
			goto bad;
	}
	if (h > 23 || mi > 59 || sec > 59)
		goto bad;
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		int oh, om;
		if ((oh = digits(&p, 2)) < 0)
			goto bad;
		if (*p == ':')
			p++;
		if ((om = digits(&p, 2)) < 0 || oh > 18 || om > 59)
			goto bad;
		off = sign * (oh * 3600L + om * 60L);
	} else if (*p == '\0') {
		return bt_failf(e, BT_R_INPUT, field,
				"'%s' has no time zone (add Z for UTC, or an offset like +01:00)", s);
	} else {
		goto bad;
	}
	if (*p)
		goto bad;
	*out = (bt_time)bt_date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	if (*out < bt_date_time(bt_date_from_ymd(1900, 1, 1)) ||
	    *out >= bt_date_time(bt_date_from_ymd(10000, 1, 1)))
		goto bad;
	return BT_OK;
bad:
	return bt_failf(e, BT_R_INPUT, field,
			"'%s' is not a valid time (want YYYY-MM-DDTHH:MM[:SS]Z or an offset like +01:00)", s ? s : "");
}

static bt_time floordiv(bt_time a, bt_time b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bt_date bt_time_date(bt_time t)
{
	return (bt_date)floordiv(t, 86400);
}

bt_time bt_date_time(bt_date d)
{
	return (bt_time)d * 86400;
}

void bt_time_format(bt_time t, char out[BT_TIME_LEN])
{
	bt_date dd = bt_time_date(t);
	int secs = (int)(t - (bt_time)dd * 86400);
	int y, m, d;
	ymd_from_date(dd, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
		 secs / 3600, secs / 60 % 60, secs % 60);
	memcpy(out, tmp, BT_TIME_LEN - 1);
	out[BT_TIME_LEN - 1] = '\0';
}

void bt_date_format(bt_date dd, char out[BT_DATE_LEN])
{
	int y, m, d;
	ymd_from_date(dd, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, BT_DATE_LEN - 1);
	out[BT_DATE_LEN - 1] = '\0';
}

bt_date bt_date_add_months(bt_date d, int n)
{
	int y, m, day;
	ymd_from_date(d, &y, &m, &day);
	int months = y * 12 + (m - 1) + n;
	y = months / 12;
	m = months % 12 + 1;
	if (day > days_in_month(y, m))
		day = days_in_month(y, m);
	return bt_date_from_ymd(y, m, day);
}

int bt_date_weekday(bt_date d)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int w = (int)((d + 3) % 7);
	return w < 0 ? w + 7 : w;
}

int bt_now(bt_time *out, bt_err *e)
{
	const char *env = getenv("BALLOT_NOW");
	if (env && *env)
		return bt_time_parse(env, "now", out, e);
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts))
		return bt_failf(e, BT_R_IO, NULL, "cannot read the clock");
	*out = (bt_time)ts.tv_sec;
	return BT_OK;
}
