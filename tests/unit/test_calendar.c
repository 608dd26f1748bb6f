/* test_calendar.c - the Gregorian computus, ITU's rule-based closed days and
 * the working-day deadline of §9.4.1 (include/ballot/calendar.h). */
#include "fixture.h"

/* Easter by another algorithm than the engine's: Knuth's (TAOCP vol. 1,
 * §1.3.2, exercise 14, after Lilius and Clavius), working with the epact. */
static bt_date easter_knuth(int y)
{
	int g = y % 19 + 1, c = y / 100 + 1;
	int x = 3 * c / 4 - 12, z = (8 * c + 5) / 25 - 5;
	int d = 5 * y / 4 - x - 10;
	int e = (11 * g + 20 + z - x) % 30;
	if (e < 0)
		e += 30;
	if ((e == 25 && g > 11) || e == 24)
		e++;
	int n = 44 - e;
	if (n < 21)
		n += 30;
	n = n + 7 - (d + n) % 7;
	return n > 31 ? bt_date_from_ymd(y, 4, n - 31) : bt_date_from_ymd(y, 3, n);
}

static void easter_2000_to_2100_agrees_with_knuth(void **state)
{
	(void)state;
	for (int y = 2000; y <= 2100; y++) {
		char got[BT_DATE_LEN], want[BT_DATE_LEN];
		bt_date_format(bt_easter(y), got);
		bt_date_format(easter_knuth(y), want);
		assert_string_equal(got, want);
		assert_int_equal(bt_date_weekday(bt_easter(y)), 6); /* a Sunday */
	}
}

/* Published dates (e.g. the tables of the Astronomical Society of South
 * Australia and almanacs). */
static void easter_known_dates(void **state)
{
	(void)state;
	static const char *const known[] = {
		"2000-04-23", "2001-04-15", "2002-03-31", "2003-04-20", "2004-04-11",
		"2005-03-27", "2006-04-16", "2007-04-08", "2008-03-23", "2009-04-12",
		"2010-04-04", "2011-04-24", "2012-04-08", "2013-03-31", "2014-04-20",
		"2015-04-05", "2016-03-27", "2017-04-16", "2018-04-01", "2019-04-21",
		"2020-04-12", "2021-04-04", "2022-04-17", "2023-04-09", "2024-03-31",
		"2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01",
		"2030-04-21", "2038-04-25", NULL
	};
	for (int i = 0; known[i]; i++) {
		char got[BT_DATE_LEN];
		bt_date_format(bt_easter(atoi(known[i])), got);
		assert_string_equal(got, known[i]);
	}
}

static void rule_days_of_2024_and_2025(void **state)
{
	(void)state;
	static const char *const want[2][7] = {
		{ "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-09", "2024-05-20", "2024-09-05", "2024-12-25" },
		{ "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-29", "2025-06-09", "2025-09-11", "2025-12-25" },
	};
	for (int k = 0; k < 2; k++) {
		bt_closed_day days[7];
		assert_int_equal(bt_calendar_rule_days(2024 + k, days), 7);
		for (int i = 0; i < 7; i++) {
			char got[BT_DATE_LEN];
			bt_date_format(days[i].day, got);
			assert_string_equal(got, want[k][i]);
		}
		assert_string_equal(days[5].name, "Jeûne genevois");
		assert_int_equal(bt_date_weekday(days[5].day), 3); /* a Thursday */
	}
}

static bt_closed_day day_of(const char *d)
{
	bt_closed_day c;
	memset(&c, 0, sizeof c);
	c.day = D(d);
	snprintf(c.name, sizeof c.name, "closed");
	return c;
}

static void deadline(const bt_calendar *cal, const char *meeting, const char *want)
{
	char got[BT_TIME_LEN];
	bt_time_format(bt_default_deadline(cal, D(meeting)), got);
	assert_string_equal(got, want);
	assert_int_equal(bt_working_days_left(cal, T(want), D(meeting)), 7);
}

/* The examples, with a calendar closing 1 January, Good Friday,
 * Easter Monday and 25 December. */
static void deadline_skips_closed_days(void **state)
{
	(void)state;
	bt_closed_day v[] = { day_of("2020-04-10"), day_of("2020-04-13"), day_of("2020-12-25"),
			      day_of("2021-01-01"), day_of("2023-12-25"), day_of("2024-01-01"),
			      day_of("2025-01-01"), day_of("2025-04-18"), day_of("2025-04-21") };
	bt_calendar cal = { v, sizeof v / sizeof v[0] };
	deadline(&cal, "2021-01-11", "2020-12-29T23:59:00Z");
	deadline(&cal, "2024-01-08", "2023-12-26T23:59:00Z");
	deadline(&cal, "2025-04-22", "2025-04-08T23:59:00Z");
	/* Monday to Friday only, they would be a day or two later. */
	deadline(NULL, "2021-01-11", "2020-12-30T23:59:00Z");
	deadline(NULL, "2024-01-08", "2023-12-27T23:59:00Z");
	deadline(NULL, "2025-04-22", "2025-04-10T23:59:00Z");
	/* Circular 205 (no closed day near): 2020-02-21 either way. */
	deadline(&cal, "2020-03-04", "2020-02-21T23:59:00Z");
	assert_non_null(bt_calendar_find(&cal, D("2025-04-18")));
	assert_null(bt_calendar_find(&cal, D("2025-04-19")));
	assert_int_equal(bt_working_day(&cal, D("2025-04-18")), 0);
	assert_int_equal(bt_working_day(&cal, D("2025-04-17")), 1);
	assert_int_equal(bt_working_day(&cal, D("2025-04-19")), 0); /* Saturday */
}

/* The default calendar init installs gives the same three deadlines, and
 * consultation create records the closed days it skipped. */
static void default_calendar_in_a_database(void **state)
{
	fx *f = *state;
	bt_calendar cal;
	assert_int_equal(bt_calendar_list(f->db, 0, &cal, &f->e), BT_OK);
	assert_true(cal.n >= 7 * 101);
	for (int y = 2000; y <= 2100; y++) {
		bt_closed_day days[7];
		bt_calendar_rule_days(y, days);
		for (int i = 0; i < 7; i++) {
			const bt_closed_day *c = bt_calendar_find(&cal, days[i].day);
			assert_non_null(c);
			assert_string_equal(c->name, days[i].name);
		}
	}
	deadline(&cal, "2021-01-11", "2020-12-29T23:59:00Z");
	deadline(&cal, "2024-01-08", "2023-12-26T23:59:00Z");
	deadline(&cal, "2025-04-22", "2025-04-08T23:59:00Z");
	deadline(&cal, "2020-03-04", "2020-02-21T23:59:00Z");
	bt_calendar_free(&cal);

	bt_consultation_spec s = { 0 };
	s.circular = "E2025";
	s.group = 11;
	s.date = D("2025-01-10");
	s.meeting_start = D("2025-04-22");
	s.meeting_end = D("2025-04-30");
	char warn[512];
	bt_consultation c;
	assert_int_equal(bt_consultation_create(f->db, &s, "test", T("2025-01-10T09:00:00Z"), &c, warn,
						sizeof warn, &f->e), BT_OK);
	char dl[BT_TIME_LEN];
	bt_time_format(c.deadline, dl);
	assert_string_equal(dl, "2025-04-08T23:59:00Z");
	assert_string_equal(warn, ""); /* more than three months (§9.3.3) */
	bt_deadline_info info;
	assert_int_equal(bt_deadline_info_get(f->db, "E2025", &info, &f->e), BT_OK);
	assert_int_equal(info.with_calendar, 1);
	assert_int_equal(info.nskipped, 2);
	assert_string_equal(info.skipped[0].name, "Good Friday");
	assert_string_equal(info.skipped[1].name, "Easter Monday");
	assert_int_equal(info.today_deadline, c.deadline);
	bt_deadline_info_free(&info);

	/* A later change to the calendar does not move it. */
	assert_int_equal(bt_calendar_remove(f->db, D("2025-04-18"), "test", T("2025-01-11T00:00:00Z"), &f->e),
			 BT_OK);
	assert_int_equal(bt_consultation_get(f->db, "E2025", &c, &f->e), BT_OK);
	assert_int_equal(c.deadline, T("2025-04-08T23:59:00Z"));
	assert_int_equal(bt_deadline_info_get(f->db, "E2025", &info, &f->e), BT_OK);
	assert_int_equal(info.today_deadline, T("2025-04-09T23:59:00Z"));
	bt_deadline_info_free(&info);
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
}

static int64_t events_now(fx *f)
{
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
	return r.events;
}

/* An import records one event for the days it adds, none when every day is
 * closed already; a file refused records nothing. */
static void import_records_only_new_days(void **state)
{
	fx *f = *state;
	const char *eid = "2026-03-20\tEid al-Fitr\n2026-05-27\tEid al-Adha\n";
	const char *more = "2026-05-27\tEid al-Adha\n2026-06-01\tA closed Monday\n";
	const char *twice = "2026-07-01\tOne\n2026-07-01\tTwo\n";
	int added = -1, skipped = -1;
	int64_t n = events_now(f);
	assert_int_equal(bt_calendar_import(f->db, eid, strlen(eid), "eid", "test", T("2025-01-10T09:00:00Z"), &added,
					    &skipped, &f->e), BT_OK);
	assert_int_equal(added, 2);
	assert_int_equal(skipped, 0);
	assert_int_equal(events_now(f), n + 1);
	assert_int_equal(bt_calendar_import(f->db, eid, strlen(eid), "eid", "test", T("2025-01-10T09:00:00Z"), &added,
					    &skipped, &f->e), BT_OK);
	assert_int_equal(added, 0);
	assert_int_equal(skipped, 2);
	assert_int_equal(events_now(f), n + 1);
	assert_int_equal(bt_calendar_import(f->db, more, strlen(more), "more", "test", T("2025-01-10T09:00:00Z"), &added,
					    &skipped, &f->e), BT_OK);
	assert_int_equal(added, 1);
	assert_int_equal(skipped, 1);
	assert_int_equal(events_now(f), n + 2);
	assert_int_equal(bt_calendar_import(f->db, twice, strlen(twice), "twice", "test", T("2025-01-10T09:00:00Z"),
					    &added, &skipped, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is given twice"));
	assert_int_equal(events_now(f), n + 2);
	bt_calendar cal;
	assert_int_equal(bt_calendar_list(f->db, 2026, &cal, &f->e), BT_OK);
	const bt_closed_day *d = bt_calendar_find(&cal, D("2026-06-01"));
	assert_non_null(d);
	assert_string_equal(d->source, "more");
	assert_null(bt_calendar_find(&cal, D("2026-07-01")));
	bt_calendar_free(&cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(easter_2000_to_2100_agrees_with_knuth),
		cmocka_unit_test(easter_known_dates),
		cmocka_unit_test(rule_days_of_2024_and_2025),
		cmocka_unit_test(deadline_skips_closed_days),
		cmocka_unit_test_setup_teardown(default_calendar_in_a_database, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(import_records_only_new_days, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
