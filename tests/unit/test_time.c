/* test_time.c - the ISO 8601 parser and printer, and the default deadline. */
#include "fixture.h"

static void parses_utc_and_offsets(void **state)
{
	(void)state;
	char out[BT_TIME_LEN];
	bt_time_format(T("2020-02-21T23:59:00Z"), out);
	assert_string_equal(out, "2020-02-21T23:59:00Z");
	bt_time_format(T("2020-02-21T23:59Z"), out);
	assert_string_equal(out, "2020-02-21T23:59:00Z");
	bt_time_format(T("2020-02-22T00:59:00+01:00"), out);
	assert_string_equal(out, "2020-02-21T23:59:00Z");
	bt_time_format(T("2020-02-21T18:59:00-05:00"), out);
	assert_string_equal(out, "2020-02-21T23:59:00Z");
	bt_time_format(T("1999-12-31T23:59:59Z"), out);
	assert_string_equal(out, "1999-12-31T23:59:59Z");
}

static void refuses_bad_times(void **state)
{
	(void)state;
	static const char *bad[] = {
		"2020-02-21T23:59:00", "2020-02-30T10:00Z", "2020-13-01T00:00Z", "2020-02-21",
		"2020-02-21T24:00Z", "2020-02-21T23:60Z", "20-02-21T23:59Z", "2020-02-21T23:59:00Zjunk",
		"", "2019-02-29T00:00Z", "2020-02-21T23:59+25:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bt_time t;
		bt_err e;
		assert_int_equal(bt_time_parse(bad[i], "received", &t, &e), BT_EINPUT);
		assert_non_null(strstr(e.msg, "received"));
	}
	bt_time t;
	bt_err e;
	bt_time_parse("2020-02-21T23:59:00", "--deadline", &t, &e);
	assert_non_null(strstr(e.msg, "no time zone"));
}

static void dates_are_calendar_checked(void **state)
{
	(void)state;
	bt_date d;
	bt_err e;
	assert_int_equal(bt_date_parse("2020-02-29", "x", &d, &e), BT_OK);
	assert_int_equal(bt_date_parse("2020-02-30", "date", &d, &e), BT_EINPUT);
	assert_non_null(strstr(e.msg, "2020-02-30"));
	assert_int_equal(bt_date_parse("2100-02-29", "x", &d, &e), BT_EINPUT);
	assert_int_equal(bt_date_weekday(D("2020-03-04")), 2); /* Wednesday */
}

static void default_deadline_leaves_seven_working_days(void **state)
{
	(void)state;
	char out[BT_TIME_LEN];
	bt_time_format(bt_default_deadline(NULL, D("2020-03-04")), out);
	assert_string_equal(out, "2020-02-21T23:59:00Z");
	assert_int_equal(bt_working_days_left(NULL, T("2020-02-21T23:59:00Z"), D("2020-03-04")), 7);
	assert_int_equal(bt_working_days_left(NULL, T("2020-02-24T23:59:00Z"), D("2020-03-04")), 6);
	/* A Monday meeting: seven working days are the two weeks before, less one. */
	bt_time_format(bt_default_deadline(NULL, D("2020-03-02")), out);
	assert_string_equal(out, "2020-02-19T23:59:00Z");
}

static void now_comes_from_the_environment(void **state)
{
	(void)state;
	bt_time t;
	bt_err e;
	setenv("BALLOT_NOW", "2020-02-10T12:00:00Z", 1);
	assert_int_equal(bt_now(&t, &e), BT_OK);
	assert_true(t == T("2020-02-10T12:00:00Z"));
	setenv("BALLOT_NOW", "yesterday", 1);
	assert_int_equal(bt_now(&t, &e), BT_EINPUT);
	unsetenv("BALLOT_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_utc_and_offsets),
		cmocka_unit_test(refuses_bad_times),
		cmocka_unit_test(dates_are_calendar_checked),
		cmocka_unit_test(default_deadline_leaves_seven_working_days),
		cmocka_unit_test(now_comes_from_the_environment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
