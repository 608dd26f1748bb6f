/* test_err.c - the one error convention (err.c): a status code and a
 * one-line message, returned and recorded together. */
#include "fixture.h"

static void fail_records_and_returns(void **state)
{
	(void)state;
	bt_err e;
	bt_err_clear(&e);
	assert_int_equal(e.code, BT_OK);
	assert_string_equal(e.msg, "");
	assert_int_equal(bt_fail(&e, BT_EINPUT, "--member: '%s' is not %d", "XXX", 3), BT_EINPUT);
	assert_int_equal(e.code, BT_EINPUT);
	assert_string_equal(e.msg, "--member: 'XXX' is not 3");
	assert_int_equal(bt_fail(&e, BT_EFAIL, "disk full"), BT_EFAIL);
	assert_int_equal(e.code, BT_EFAIL);
	assert_string_equal(e.msg, "disk full");
	bt_err_clear(&e);
	assert_int_equal(e.code, BT_OK);
	assert_string_equal(e.msg, "");
	/* no place to record it: the code all the same */
	assert_int_equal(bt_fail(NULL, BT_EINPUT, "x %s", "y"), BT_EINPUT);
	bt_err_clear(NULL);
}

static void long_messages_are_cut_not_overflowed(void **state)
{
	(void)state;
	bt_err e;
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memset(e.msg, 0, sizeof e.msg);
	assert_int_equal(bt_fail(&e, BT_EINPUT, "field: %s", big), BT_EINPUT);
	assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
	assert_int_equal(strncmp(e.msg, "field: xxx", 10), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fail_records_and_returns),
		cmocka_unit_test(long_messages_are_cut_not_overflowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
