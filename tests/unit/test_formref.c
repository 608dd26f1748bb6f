/* test_formref.c - the reference on a personalized Annex 2 form
 * (formref.c): made, matched to its consultation and member, stale once the
 * draft list changes, and refused when malformed or issued for another. */
#include "fixture.h"

static void ref_of(fx *f, const char *member, char out[BT_FORM_REF_MAX])
{
	bt_draft_list l;
	char digest[65];
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	bt_drafts_digest(&l, digest);
	bt_draft_list_free(&l);
	bt_form_ref_make("205", member, "fr", digest, out);
}

static void made_and_matched(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	char ref[BT_FORM_REF_MAX], digest[65];
	bt_form_ref_make("205", "CHE", "en", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", ref);
	assert_string_equal(ref, "ballot:205:CHE:en:0123456789abcdef");
	bt_form_ref_make("205", NULL, "zh", "fedcba9876543210ffff", ref);
	assert_string_equal(ref, "ballot:205:-:zh:fedcba9876543210");

	ref_of(f, "CHE", ref);
	bt_draft_list l;
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	bt_drafts_digest(&l, digest);
	bt_draft_list_free(&l);
	char want[BT_FORM_REF_MAX];
	snprintf(want, sizeof want, "ballot:205:CHE:fr:%.16s", digest);
	assert_string_equal(ref, want);
	int stale = -1;
	assert_int_equal(bt_form_ref_check(f->db, ref, "205", "CHE", &stale, &f->e), BT_OK);
	assert_int_equal(stale, 0);
	/* the member in any spelling */
	assert_int_equal(bt_form_ref_check(f->db, ref, "205", "ch", &stale, &f->e), BT_OK);
	/* a blank form fits any member */
	ref_of(f, NULL, ref);
	assert_int_equal(bt_form_ref_check(f->db, ref, "205", "FRA", &stale, &f->e), BT_OK);
	assert_int_equal(stale, 0);
}

static void stale_after_a_draft_is_added(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	char ref[BT_FORM_REF_MAX];
	ref_of(f, "CHE", ref);
	bt_draft_spec d = { .circular = "205", .rec = "Q.2", .title = "t", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
	int stale = 0;
	assert_int_equal(bt_form_ref_check(f->db, ref, "205", "CHE", &stale, &f->e), BT_OK);
	assert_int_equal(stale, 1);
	ref_of(f, "CHE", ref);
	assert_int_equal(bt_form_ref_check(f->db, ref, "205", "CHE", &stale, &f->e), BT_OK);
	assert_int_equal(stale, 0);
}

static void refused_references(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	char ref[BT_FORM_REF_MAX];
	int stale;
	ref_of(f, "CHE", ref);
	char junk[BT_FORM_REF_MAX + 16];
	snprintf(junk, sizeof junk, "%s trailing", ref);
	assert_int_equal(bt_form_ref_check(f->db, junk, "205", "CHE", &stale, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is not a form reference"));
	assert_int_equal(bt_form_ref_check(f->db, ref, "205", "FRA", &stale, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "ref: the form was issued for member CHE, not FRA");
	assert_int_equal(bt_form_ref_check(f->db, ref, "205", "XXX", &stale, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "'XXX' is not an ITU Member State code"));
	assert_int_equal(bt_form_ref_check(f->db, ref, "999", "CHE", &stale, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '999'");
	bt_consultation_spec s = { .circular = "206", .group = 11, .date = D("2019-12-02"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13") };
	char warn[200];
	assert_int_equal(bt_consultation_create(f->db, &s, "t", T("2019-12-02T00:00:00Z"), NULL, warn, sizeof warn,
						&f->e), BT_OK);
	assert_int_equal(bt_form_ref_check(f->db, ref, "206", "CHE", &stale, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "ref: the form was issued for circular 205, not 206");

	static const char *bad[] = {
		"",
		"ballot:205:CHE:fr",
		"ballot:205:CHE:fr:0123456789abcde",   /* 15 digits */
		"ballot:205:CHE:fr:0123456789abcdef0", /* 17 */
		"ballot:205:CHE:fr:0123456789ABCDEF",  /* upper case */
		"ballot:205:CHE:fra:0123456789abcdef", /* three-letter language */
		"ballot:205:CHE:f:0123456789abcdef",
		"form:205:CHE:fr:0123456789abcdef",
		"ballot::CHE:fr:0123456789abcdef",
		"ballot:205:CHE:fr:0123456789abcdeg",
		"ballot:205:CHE:fr:0123456789abcdef:x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(bt_form_ref_check(f->db, bad[i], "205", "CHE", &stale, &f->e), BT_EINPUT);
		char want[200];
		snprintf(want, sizeof want, "ref: '%s' is not a form reference (ballot:CIRCULAR:CODE:LANG:16 hex digits)",
			 bad[i]);
		assert_string_equal(f->e.msg, want);
	}
	char longref[200];
	memset(longref, 'a', sizeof longref - 1);
	longref[sizeof longref - 1] = '\0';
	assert_int_equal(bt_form_ref_check(f->db, longref, "205", "CHE", &stale, &f->e), BT_EINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(made_and_matched, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(stale_after_a_draft_is_added, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refused_references, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
