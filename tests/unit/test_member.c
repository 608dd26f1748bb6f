/* test_member.c - the Member State list (member.c): listing by admission
 * date, resolving codes, importing additions, renames and named recodes;
 * every refused import leaves the database as it was. */
#include "dump.h"

#define HEAD "alpha3\talpha2\tname\tmember_since\n"

static int import(fx *f, const char *text, const char *const *recodes, size_t n, bt_member_import_stats *st)
{
	memset(st, 0x5a, sizeof *st);
	return bt_members_import_recode(f->db, text, strlen(text), "m.tsv", recodes, n, "test",
					T("2020-06-01T00:00:00Z"), st, &f->e);
}

static const char *name_of(bt_member_list *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].code, code))
			return l->v[i].name;
	return NULL;
}

static void audit_ok(fx *f)
{
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	if (r.first_bad)
		fail_msg("audit: event %lld: %s", (long long)r.first_bad, r.problem);
}

static void list_and_resolve(void **state)
{
	fx *f = *state;
	bt_member_list l;
	assert_int_equal(bt_members_list(f->db, BT_DATE_NONE, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 194);
	for (size_t i = 1; i < l.n; i++)
		assert_true(strcmp(l.v[i - 1].code, l.v[i].code) < 0); /* by code */
	assert_string_equal(name_of(&l, "CHE"), "Switzerland");
	bt_member_list_free(&l);
	assert_int_equal(bt_members_list(f->db, D("2024-09-18"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 193);
	assert_null(name_of(&l, "PLW"));
	bt_member_list_free(&l);
	assert_int_equal(bt_members_list(f->db, D("2024-09-19"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 194);
	assert_int_equal(l.v[0].since, BT_DATE_NONE);
	bt_member_list_free(&l);

	char code[4];
	static const char *good[] = { "CHE", "che", "CH", "ch", "cHe" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		memset(code, 0, sizeof code);
		assert_int_equal(bt_member_resolve(f->db, "member", good[i], code, &f->e), BT_OK);
		assert_string_equal(code, "CHE");
	}
	static const char *bad[] = { "XX", "XXX", "", "C", "CHEE", "C\x01" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(bt_member_resolve(f->db, "member", bad[i], code, &f->e), BT_EINPUT);
		assert_int_equal(strncmp(f->e.msg, "member: '", 9), 0);
		assert_non_null(strstr(f->e.msg, "' is not an ITU Member State code"));
	}
	assert_int_equal(bt_member_resolve(f->db, "member", "XXX", code, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "member: 'XXX' is not an ITU Member State code");
	assert_int_equal(bt_member_resolve(f->db, "member", NULL, code, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "member: '(unprintable)' is not an ITU Member State code");
}

static void import_adds_and_renames(void **state)
{
	fx *f = *state;
	bt_member_import_stats st;
	const char *text = "# a comment\n" HEAD
			   "CHE\tCH\tSwiss Confederation\t\n"
			   "FRA\tFR\tFrance\t\n"
			   "XKX\tXK\tKosovo\t2030-01-01\n";
	assert_int_equal(import(f, text, NULL, 0, &st), BT_OK);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.renamed, 1);
	assert_int_equal(st.unchanged, 1);
	assert_int_equal(st.recoded, 0);
	bt_member_list l;
	assert_int_equal(bt_members_list(f->db, BT_DATE_NONE, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 195); /* nobody removed */
	assert_string_equal(name_of(&l, "CHE"), "Swiss Confederation");
	assert_string_equal(name_of(&l, "XKX"), "Kosovo");
	bt_member_list_free(&l);
	assert_int_equal(bt_members_list(f->db, D("2029-12-31"), &l, &f->e), BT_OK);
	assert_null(name_of(&l, "XKX"));
	bt_member_list_free(&l);
	/* the former name stays for older times */
	assert_int_equal(bt_members_named_at(f->db, T("2020-05-31T00:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(name_of(&l, "CHE"), "Switzerland");
	bt_member_list_free(&l);
	assert_int_equal(bt_members_named_at(f->db, T("2020-06-01T00:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(name_of(&l, "CHE"), "Swiss Confederation");
	bt_member_list_free(&l);
	audit_ok(f);
	/* the same file again changes nothing */
	assert_int_equal(import(f, text, NULL, 0, &st), BT_OK);
	assert_int_equal(st.unchanged, 3);
	assert_int_equal(st.added + st.renamed + st.recoded, 0);
	audit_ok(f);
}

static void recodes_must_be_named(void **state)
{
	fx *f = *state;
	bt_member_import_stats st;
	assert_int_equal(import(f, HEAD "XKX\tXK\tKosovo\t2030-01-01\n", NULL, 0, &st), BT_OK);
	const char *a2 = HEAD "XKX\tXY\tKosovo\t\n";
	REFUSED(f, import(f, a2, NULL, 0, &st),
		"m.tsv line 2: alpha2 of XKX would change from XK to XY; an import never changes a code silently: name the change with {recode} XK=XY");
	const char *r1[] = { "XK=XY" };
	assert_int_equal(import(f, a2, r1, 1, &st), BT_OK);
	assert_int_equal(st.recoded, 1);
	char code[4];
	assert_int_equal(bt_member_resolve(f->db, "member", "XY", code, &f->e), BT_OK);
	assert_string_equal(code, "XKX");
	assert_int_equal(bt_member_resolve(f->db, "member", "XK", code, &f->e), BT_EINPUT);
	/* a new alpha-3 for a recorded alpha-2 */
	const char *a3 = HEAD "KOS\tXY\tKosovo\t\n";
	REFUSED(f, import(f, a3, NULL, 0, &st), "m.tsv line 2: alpha3 KOS is new but alpha2 'XY' is member XKX's");
	REFUSED(f, import(f, a3, NULL, 0, &st), "{recode} XKX=KOS");
	const char *r2[] = { "XKX=KOS" };
	assert_int_equal(import(f, a3, r2, 1, &st), BT_OK);
	assert_int_equal(st.recoded, 1);
	assert_int_equal(bt_member_resolve(f->db, "member", "XY", code, &f->e), BT_OK);
	assert_string_equal(code, "KOS");
	audit_ok(f);

	/* an alpha-3 named by recorded rows never changes */
	fx_circular(f, "205", NULL, NULL);
	const char *che = HEAD "CHX\tCH\tSwitzerland\t\n";
	const char *r3[] = { "CHE=CHX" };
	REFUSED(f, import(f, che, r3, 1, &st), "m.tsv line 2: {recode} CHE=CHX: CHE is named by ");
	REFUSED(f, import(f, che, r3, 1, &st), "an alpha-3 code in use cannot change");
	/* a recode no line uses, and malformed ones */
	const char *unused[] = { "FR=FX" };
	REFUSED(f, import(f, HEAD "FRA\tFR\tFrance\t\n", unused, 1, &st), "recode FR=FX: no line of m.tsv makes that change");
	static const char *bad[] = { "FR", "FR=fx", "FR=FRA", "FR=FR", "=", "FRA=FR" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *one[] = { bad[i] };
		REFUSED(f, import(f, HEAD "FRA\tFR\tFrance\t\n", one, 1, &st), "recode: '");
		assert_non_null(strstr(f->e.msg, "is not OLD=NEW"));
	}
	const char *twice[] = { "FR=FX", "FR=FY" };
	REFUSED(f, import(f, HEAD "FRA\tFX\tFrance\t\n", twice, 2, &st), "recode: 'FR=FY' recodes FR again");
}

static void bad_files_are_refused(void **state)
{
	fx *f = *state;
	bt_member_import_stats st;
	struct {
		const char *text, *want;
	} bad[] = {
		{ "", "m.tsv: no header line (alpha3, alpha2, name, member_since)" },
		{ "# only a comment\n", "m.tsv: no header line" },
		{ "code\talpha2\tname\tmember_since\nCHE\tCH\tSwitzerland\t\n", "m.tsv line 1: header must be alpha3, alpha2, name, member_since" },
		{ HEAD, "m.tsv: the file lists no Member State" },
		{ HEAD "CHE\tCH\tSwitzerland\n", "m.tsv line 2: 3 columns, want 4 (alpha3, alpha2, name, member_since)" },
		{ HEAD "che\tCH\tSwitzerland\t\n", "m.tsv line 2: alpha3 'che' is not three capital letters" },
		{ HEAD "CHE\tC\tSwitzerland\t\n", "m.tsv line 2: alpha2 'C' is not two capital letters" },
		{ HEAD "CHE\tCH\t\t\n", "m.tsv line 2: name of CHE is empty, too long or has control characters" },
		{ HEAD "CHE\tCH\tSwitz\x01rland\t\n", "m.tsv line 2: name of CHE is empty" },
		{ HEAD "CHE\tCH\tSwitz\xe2\x80\x8b" "erland\t\n", "m.tsv line 2: name of CHE" },
		{ HEAD "CHE\tCH\tSwitzerland\t\nCHE\tCH\tSwitzerland\t\n", "m.tsv line 3: CHE (CH) is the member of line 2 (CHE, CH): one line per member" },
		{ HEAD "XKX\tCH\tKosovo\t\n", "m.tsv line 2: alpha3 XKX is new but alpha2 'CH' is member CHE's" },
		{ HEAD "XKX\tXK\tKosovo\t2030-02-30\n", "m.tsv line 2: member_since" },
		{ HEAD "PLW\tPW\tPalau\t2024-09-20\n", "m.tsv line 2: member_since '2024-09-20' of PLW differs from the recorded 2024-09-19" },
		{ HEAD "CHE\tCH\tSwitzerland\t1990-01-01\n", "member_since '1990-01-01' of CHE differs from the recorded (a member long before)" },
		{ HEAD "CHE\tCH\t\xff\t\n", "m.tsv: not valid UTF-8 text" },
		{ HEAD "XKX\tXK\tKosovo\t\nCHE\tCH\tSwitzerland\t\nABC\tA\tBad\t\n", "m.tsv line 4: alpha2 'A'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		REFUSED(f, import(f, bad[i].text, NULL, 0, &st), bad[i].want);
	bt_member_list l;
	assert_int_equal(bt_members_list(f->db, BT_DATE_NONE, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 194);
	assert_null(name_of(&l, "XKX")); /* the last file's good lines were not kept */
	bt_member_list_free(&l);
	/* the plain import is the recode import without recodes */
	const char *one = HEAD "XKX\tXK\tKosovo\t\n";
	assert_int_equal(bt_members_import(f->db, one, strlen(one), "m.tsv", "t",
					   T("2020-06-01T00:00:00Z"), &st, &f->e), BT_OK);
	assert_int_equal(st.added, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_and_resolve, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(import_adds_and_renames, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(recodes_must_be_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(bad_files_are_refused, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
