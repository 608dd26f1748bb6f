/* test_err.c - the one error convention (err.c): a status code, a reason,
 * the engine's field and a one-line message; their rendering by a front end
 * (include/ballot/err.h). */
#include "fixture.h"

/* A front end's names: engine fields as options, {cmd:X} as "tool X";
 * NULL (left as written) for "secret". */
static const char *opt_name(const char *field, void *ctx)
{
	char *buf = ctx;
	if (!strcmp(field, "secret"))
		return NULL;
	if (!strncmp(field, "cmd:", 4))
		snprintf(buf, 64, "tool %s", field + 4);
	else
		snprintf(buf, 64, "--%s", field);
	return buf;
}

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

static void failf_sets_code_reason_and_field(void **state)
{
	(void)state;
	static const struct {
		bt_reason r;
		int code;
	} t[] = {
		{ BT_R_INPUT, BT_EINPUT },   { BT_R_NOT_FOUND, BT_EINPUT }, { BT_R_CONFLICT, BT_EINPUT },
		{ BT_R_FORBIDDEN, BT_EINPUT }, { BT_R_DAMAGED, BT_EFAIL },  { BT_R_IO, BT_EFAIL },
		{ BT_R_NOMEM, BT_EFAIL },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		bt_err e;
		bt_err_clear(&e);
		assert_int_equal(bt_failf(&e, t[i].r, "circular", "no consultation '%s'", "X"), t[i].code);
		assert_int_equal(e.code, t[i].code);
		assert_int_equal(e.reason, t[i].r);
		assert_string_equal(e.field, "circular");
		assert_string_equal(e.msg, "circular: no consultation 'X'");
	}
	bt_err e;
	assert_int_equal(bt_failf(&e, BT_R_IO, NULL, "cannot read the clock"), BT_EFAIL);
	assert_string_equal(e.field, "");
	assert_string_equal(e.msg, "cannot read the clock");
	/* a format that starts with a space places something inside the field */
	bt_failf(&e, BT_R_INPUT, "members", " line %d: bad", 3);
	assert_string_equal(e.msg, "members line 3: bad");
	/* ... or a field given with its place */
	bt_failf(&e, BT_R_INPUT, "electorate line 3", "'%s' is no code", "XX");
	assert_string_equal(e.field, "electorate");
	assert_string_equal(e.msg, "electorate line 3: 'XX' is no code");
	/* a label with a space is kept whole */
	bt_failf(&e, BT_R_NOT_FOUND, "font table", "'%s': missing", "f.tsv");
	assert_string_equal(e.field, "font table");
	assert_string_equal(e.msg, "font table: 'f.tsv': missing");
	/* bt_fail: no field, the reason follows from the code */
	bt_failf(&e, BT_R_CONFLICT, "x", "y");
	assert_int_equal(bt_fail(&e, BT_EINPUT, "--x: %s", "bad"), BT_EINPUT);
	assert_int_equal(e.reason, BT_R_INPUT);
	assert_string_equal(e.field, "");
	assert_int_equal(bt_fail(&e, BT_EFAIL, "oops"), BT_EFAIL);
	assert_int_equal(e.reason, BT_R_IO);
	/* no bt_err to fill: only the code */
	assert_int_equal(bt_failf(NULL, BT_R_NOMEM, "f", "out of memory"), BT_EFAIL);
	bt_err_clear(&e);
	assert_int_equal(e.code, BT_OK);
	assert_int_equal(e.reason, BT_R_NONE);
	assert_string_equal(e.field, "");
	assert_string_equal(e.msg, "");
	assert_string_equal(bt_reason_name(BT_R_NOT_FOUND), "not-found");
}

static void long_messages_and_fields_are_cut_to_one_line(void **state)
{
	(void)state;
	char big[2000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	bt_err e;
	bt_failf(&e, BT_R_INPUT, "a_field_name_much_longer_than_thirty_one_bytes", "'%s'", big);
	assert_int_equal(strlen(e.field), sizeof e.field - 1);
	assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
	assert_null(strchr(e.msg, '\n'));
	assert_int_equal(strncmp(e.msg, e.field, strlen(e.field)), 0);
	/* a rendered line is cut to the room given, terminated, one line */
	char buf[64], out[40];
	bt_failf(&e, BT_R_INPUT, "received", "'%s' ({force} replaces it)", big);
	int n = bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_int_equal(n, (int)sizeof out - 1);
	assert_int_equal(strlen(out), sizeof out - 1);
	assert_int_equal(strncmp(out, "--received: 'aaa", 16), 0);
	assert_null(strchr(out, '\n'));
}

static void render_maps_the_field_and_its_references(void **state)
{
	(void)state;
	char buf[64], out[512];
	bt_err e;
	bt_failf(&e, BT_R_CONFLICT, "backup", "'%s' exists ({force} replaces it)", "b.db");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "--backup: 'b.db' exists (--force replaces it)");
	bt_failf(&e, BT_R_NOT_FOUND, "db", "no database at '%s'; make one with {cmd:init}", "x.db");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "--db: no database at 'x.db'; make one with tool init");
	bt_failf(&e, BT_R_INPUT, "deadline", "%s ({force_deadline} {reason} TEXT keeps it)", "T");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "--deadline: T (--force_deadline --reason TEXT keeps it)");
	/* a place after the field stays */
	bt_failf(&e, BT_R_INPUT, "electorate line 3", "bad");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "--electorate line 3: bad");
	/* the field is renamed only where the message starts with it */
	bt_failf(&e, BT_R_INPUT, "day", "x");
	snprintf(e.msg, sizeof e.msg, "%s", "another day: x");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "another day: x");
	/* without a mapper, the message as the engine wrote it */
	bt_failf(&e, BT_R_CONFLICT, "backup", "'%s' exists ({force} replaces it)", "b.db");
	bt_err_render(&e, NULL, NULL, out, sizeof out);
	assert_string_equal(out, e.msg);
}

static void unknown_references_stay_readable(void **state)
{
	(void)state;
	char buf[64], out[512];
	bt_err e;
	/* the mapper knows no name for "secret": it stays as written */
	bt_failf(&e, BT_R_INPUT, "secret", "see {secret} and {member}");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "secret: see {secret} and --member");
	/* braces that are no reference are text */
	bt_failf(&e, BT_R_INPUT, NULL, "{} {Upper} {a b} {unclosed '{x'");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "{} {Upper} {a b} {unclosed '{x'");
}

static void braces_from_values_are_no_references(void **state)
{
	(void)state;
	char buf[64], out[512];
	bt_err e;
	/* a title or a circular the user wrote with braces is shown as written */
	bt_failf(&e, BT_R_CONFLICT, "circular", "'%s' exists ({force} replaces it)", "{force}");
	assert_string_equal(e.msg, "circular: '{{force}' exists ({force} replaces it)");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "--circular: '{force}' exists (--force replaces it)");
	/* width and precision arguments, %% and numbers around the value */
	bt_failf(&e, BT_R_INPUT, "title", "%d%% of %.*s: {cmd:init} %s}", 70, 3, "{a}bc", "{{");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "--title: 70% of {a}: tool init {{}");
	/* wrap's own values too, and a value's braces survive a wrap */
	bt_failf(&e, BT_R_NOT_FOUND, "member", "%s is not in the electorate", "{x}");
	bt_err_wrap(&e, "%s: ", "{member}");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "{member}: --member: {x} is not in the electorate");
}

static void wrap_keeps_reason_and_field(void **state)
{
	(void)state;
	char buf[64], out[512];
	bt_err e;
	bt_failf(&e, BT_R_NOT_FOUND, "member", "%s is not in the electorate", "FRA");
	assert_int_equal(bt_err_wrap(&e, "%s: ", "Q.5051"), BT_EINPUT);
	assert_int_equal(e.reason, BT_R_NOT_FOUND);
	assert_string_equal(e.field, "member");
	assert_string_equal(e.msg, "Q.5051: {member}: FRA is not in the electorate");
	bt_err_render(&e, opt_name, buf, out, sizeof out);
	assert_string_equal(out, "Q.5051: --member: FRA is not in the electorate");
	bt_failf(&e, BT_R_IO, NULL, "disk full");
	bt_err_wrap(&e, "%s: ", "f.pdf");
	assert_string_equal(e.msg, "f.pdf: disk full");
	assert_int_equal(e.code, BT_EFAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fail_records_and_returns),
		cmocka_unit_test(long_messages_are_cut_not_overflowed),
		cmocka_unit_test(failf_sets_code_reason_and_field),
		cmocka_unit_test(long_messages_and_fields_are_cut_to_one_line),
		cmocka_unit_test(render_maps_the_field_and_its_references),
		cmocka_unit_test(unknown_references_stay_readable),
		cmocka_unit_test(wrap_keeps_reason_and_field),
		cmocka_unit_test(braces_from_values_are_no_references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
