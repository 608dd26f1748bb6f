/* test_rules.c - the rule table and its evaluation. */
#include "fixture.h"

static void tap_threshold_is_seventy_percent_inclusive(void **state)
{
	(void)state;
	const bt_rule *r = bt_rule_find("tap");
	assert_non_null(r);
	assert_true(bt_rule_passes(r, 0, 0));   /* no replies: proceed (§9.4.5) */
	assert_true(bt_rule_passes(r, 7, 10));  /* exactly 70 % */
	assert_false(bt_rule_passes(r, 16, 23)); /* 69.6 % */
	assert_true(bt_rule_passes(r, 10, 12));
	assert_false(bt_rule_passes(r, 0, 1));
	assert_true(bt_rule_passes(r, 1, 1));
}

static void question_needs_majority_and_ten_replies(void **state)
{
	(void)state;
	const bt_rule *r = bt_rule_find("question");
	assert_false(bt_rule_passes(r, 9, 9));
	assert_true(bt_rule_passes(r, 6, 10));
	assert_false(bt_rule_passes(r, 5, 10));
	assert_false(bt_rule_passes(r, 0, 0));
}

static void deletion_fails_on_any_objection(void **state)
{
	(void)state;
	const bt_rule *r = bt_rule_find("deletion");
	assert_true(bt_rule_passes(r, 0, 0));
	assert_true(bt_rule_passes(r, 40, 40));
	assert_false(bt_rule_passes(r, 39, 40));
}

/* bt_rule_verdict: why a count fails (what the decide page says), and
 * bt_rule_passes agrees with it on every count up to 30 replies. */
static void the_verdict_says_why(void **state)
{
	(void)state;
	const bt_rule *tap = bt_rule_find("tap"), *q = bt_rule_find("question"), *del = bt_rule_find("deletion");
	assert_int_equal(bt_rule_verdict(tap, 0, 0), BT_RULE_PASSES);
	assert_int_equal(bt_rule_verdict(tap, 16, 23), BT_RULE_BELOW);
	assert_int_equal(bt_rule_verdict(tap, 7, 10), BT_RULE_PASSES);
	assert_int_equal(bt_rule_verdict(q, 0, 0), BT_RULE_NO_REPLIES);
	assert_int_equal(bt_rule_verdict(q, 9, 9), BT_RULE_TOO_FEW);
	assert_int_equal(bt_rule_verdict(q, 5, 10), BT_RULE_NOT_ABOVE);
	assert_int_equal(bt_rule_verdict(q, 6, 10), BT_RULE_PASSES);
	assert_int_equal(bt_rule_verdict(del, 4, 5), BT_RULE_BELOW);
	for (const bt_rule *r = bt_rules_all(); r->name; r++)
		for (int n = 0; n <= 30; n++)
			for (int s = 0; s <= n; s++)
				assert_int_equal(bt_rule_passes(r, s, n), bt_rule_verdict(r, s, n) == BT_RULE_PASSES);
}

static void support_needed_and_opposition_to_block(void **state)
{
	(void)state;
	const bt_rule *r = bt_rule_find("tap");
	assert_int_equal(bt_rule_support_needed(r, 10, 12, 181), 0);
	assert_int_equal(bt_rule_opposition_to_block(r, 10, 12, 181), 3);
	assert_int_equal(bt_rule_support_needed(r, 2, 4, 100), 3);
	assert_int_equal(bt_rule_support_needed(r, 2, 4, 2), -1);
	assert_int_equal(bt_rule_opposition_to_block(r, 0, 0, 5), 1);
	assert_int_equal(bt_rule_opposition_to_block(r, 2, 4, 10), 0);
	assert_int_equal(bt_rule_opposition_to_block(r, 10, 10, 2), -1);
	assert_null(bt_rule_find("aap"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tap_threshold_is_seventy_percent_inclusive),
		cmocka_unit_test(question_needs_majority_and_ten_replies),
		cmocka_unit_test(deletion_fails_on_any_objection),
		cmocka_unit_test(support_needed_and_opposition_to_block),
		cmocka_unit_test(the_verdict_says_why),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
