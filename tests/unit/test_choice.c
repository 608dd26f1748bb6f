/* test_choice.c - the Annex 2 form's choices and the channels a reply
 * arrives by (domain/choice.c): names and parsing agree both ways, only the
 * exact names parse, only the two "authorizes" choices support a draft. */
#include "fixture.h"

static void names_and_parsing_agree(void **state)
{
	(void)state;
	for (int c = BT_AUTHORIZE; c <= BT_WITHDRAW; c++) {
		const char *name = bt_choice_name((bt_choice)c);
		assert_string_not_equal(name, "none");
		assert_int_equal(bt_choice_parse(name), c);
	}
	assert_string_equal(bt_choice_name(BT_AUTHORIZE), "authorize");
	assert_string_equal(bt_choice_name(BT_AUTHORIZE_WITH_COMMENTS), "authorize-with-comments");
	assert_string_equal(bt_choice_name(BT_NOT_AUTHORIZE), "not-authorize");
	assert_string_equal(bt_choice_name(BT_WITHDRAW), "withdraw");
	assert_string_equal(bt_choice_name(BT_CHOICE_NONE), "none");
	assert_string_equal(bt_choice_name((bt_choice)(BT_WITHDRAW + 1)), "none");
	assert_string_equal(bt_choice_name((bt_choice)-1), "none");
}

static void only_exact_names_parse(void **state)
{
	(void)state;
	const char *bad[] = { NULL, "", "none", "Authorize", "authorize ", " authorize", "authorise",
			      "authorize-with", "not_authorize", "withdrawn", "authorizes" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(bt_choice_parse(bad[i]), BT_CHOICE_NONE);
}

static void only_authorizing_choices_support(void **state)
{
	(void)state;
	assert_true(bt_choice_supports(BT_AUTHORIZE));
	assert_true(bt_choice_supports(BT_AUTHORIZE_WITH_COMMENTS));
	assert_false(bt_choice_supports(BT_NOT_AUTHORIZE));
	assert_false(bt_choice_supports(BT_WITHDRAW));
	assert_false(bt_choice_supports(BT_CHOICE_NONE));
}

static void channels_are_the_five_named(void **state)
{
	(void)state;
	const char *ok[] = { "email", "fax", "post", "portal", "other" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_true(bt_channel_valid(ok[i]));
	const char *bad[] = { NULL, "", "Email", "e-mail", "mail", "fax ", "courier" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(bt_channel_valid(bad[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_parsing_agree),
		cmocka_unit_test(only_exact_names_parse),
		cmocka_unit_test(only_authorizing_choices_support),
		cmocka_unit_test(channels_are_the_five_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
