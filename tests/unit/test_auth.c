/* test_auth.c - reply codes, staff accounts, client certificates, secrets. */
#include <ctype.h>
#include <sqlite3.h>
#include "fixture.h"

#define NOW "2020-01-10T10:00:00Z"

static void audit_ok(fx *f)
{
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
}

/* The count of rows of sql (one ?1 text parameter) in the test database. */
static int count_rows(fx *f, const char *sql, const char *arg)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(f->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static int check(fx *f, const char *member, const char *code, bt_identity *id)
{
	return bt_code_check(f->db, member, code, id, &f->e);
}

static void reply_codes(void **state)
{
	fx *f = *state;
	bt_identity id;
	bt_code_list l;
	fx_circular(f, "205", NULL, "CHE\nFRA\nCHN\n");
	assert_int_equal(bt_codes_issue(f->db, "205", "ch", "test", T(NOW), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].member, "CHE");
	char code[BT_CODE_LEN + 1];
	memcpy(code, l.v[0].code, sizeof code);
	bt_code_list_free(&l);
	assert_int_equal(strlen(code), BT_CODE_LEN);
	for (int i = 0; i < BT_CODE_LEN; i++)
		assert_true(i % 6 == 5 ? code[i] == '-' : strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", code[i]) != NULL);

	/* right, in any spelling of the member and the code */
	assert_int_equal(check(f, "CHE", code, &id), BT_OK);
	assert_int_equal(id.role, BT_ROLE_MEMBER);
	assert_string_equal(id.member, "CHE");
	assert_string_equal(id.circular, "205");
	assert_int_equal(check(f, "ch", code, &id), BT_OK);
	char loose[64];
	size_t n = 0;
	for (const char *p = code; *p; p++)
		if (*p != '-') {
			loose[n++] = (char)tolower((unsigned char)*p);
			if (n % 7 == 3)
				loose[n++] = ' ';
		}
	loose[n] = '\0';
	assert_int_equal(check(f, "che", loose, &id), BT_OK);
	for (char *p = loose; *p; p++) /* Crockford: O reads as 0, I and L as 1 */
		*p = *p == '0' ? 'o' : *p == '1' ? 'L' : *p;
	assert_int_equal(check(f, "CHE", loose, &id), BT_OK);

	/* wrong: every way gives the same message */
	char wrong[BT_CODE_LEN + 1];
	memcpy(wrong, code, sizeof wrong);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	const char *cases[][2] = { { "CHE", wrong }, { "FRA", code }, { "CHN", code }, { "XXX", code },
				   { "DEU", code }, { "CHE", "" }, { "CHE", "short" }, { "CHE", NULL } };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(check(f, cases[i][0], cases[i][1], &id), BT_EINPUT);
		char want[64];
		snprintf(want, sizeof want, "code: not valid for %s", cases[i][0]);
		assert_string_equal(f->e.msg, want);
	}

	/* reissued: the old code is gone, the new one works; a session that
	 * stands on the old code (its code_id) sees it out of force */
	assert_int_equal(check(f, "CHE", code, &id), BT_OK);
	int64_t old_id = id.code_id;
	int in_force = -1;
	assert_true(old_id > 0);
	assert_int_equal(bt_code_in_force(f->db, old_id, &in_force, &f->e), BT_OK);
	assert_int_equal(in_force, 1);
	assert_int_equal(bt_codes_issue(f->db, "205", "CHE", "test", T(NOW), &l, &f->e), BT_OK);
	assert_int_equal(check(f, "CHE", code, &id), BT_EINPUT);
	assert_int_equal(check(f, "CHE", l.v[0].code, &id), BT_OK);
	assert_int_equal(bt_code_in_force(f->db, old_id, &in_force, &f->e), BT_OK);
	assert_int_equal(in_force, 0);
	assert_true(id.code_id > old_id);
	assert_int_equal(bt_code_in_force(f->db, id.code_id, &in_force, &f->e), BT_OK);
	assert_int_equal(in_force, 1);
	assert_int_equal(bt_code_in_force(f->db, 999999, &in_force, &f->e), BT_OK);
	assert_int_equal(in_force, 0);
	/* the electorate look-up the portal uses */
	assert_int_equal(bt_electorate_has(f->db, "205", "fr", &in_force, &f->e), BT_OK);
	assert_int_equal(in_force, 1);
	assert_int_equal(bt_electorate_has(f->db, "205", "DEU", &in_force, &f->e), BT_OK);
	assert_int_equal(in_force, 0);
	assert_int_equal(bt_electorate_has(f->db, "999", "DEU", &in_force, &f->e), BT_EINPUT);
	assert_int_equal(bt_electorate_has(f->db, "205", "XXX", &in_force, &f->e), BT_EINPUT);
	memcpy(code, l.v[0].code, sizeof code);
	bt_code_list_free(&l);

	/* the whole electorate, by member; a member outside it is refused */
	assert_int_equal(bt_codes_issue(f->db, "205", NULL, "test", T(NOW), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].member, "CHE");
	assert_string_equal(l.v[1].member, "CHN");
	assert_string_equal(l.v[2].member, "FRA");
	assert_int_equal(check(f, "CHE", code, &id), BT_EINPUT);
	memcpy(code, l.v[2].code, sizeof code); /* FRA's */
	bt_code_list_free(&l);
	assert_int_equal(bt_codes_issue(f->db, "205", "DEU", "test", T(NOW), &l, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "DEU"));
	assert_int_equal(bt_codes_issue(f->db, "999", NULL, "test", T(NOW), &l, &f->e), BT_EINPUT);
	const char *twice[] = { "CHE", "ch" };
	assert_int_equal(bt_codes_issue_for(f->db, "205", twice, 2, "test", T(NOW), &l, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "twice"));

	/* only hashes are stored, and no event holds a secret */
	assert_int_equal(count_rows(f, "SELECT count(*) FROM reply_codes WHERE instr(hash, ?1)", code), 0);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM events WHERE instr(body, ?1)", "pbkdf2"), 0);

	/* after the deadline and once closed, a code still signs in (read-only
	 * pages); no new code is issued for a closed consultation */
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(check(f, "FRA", code, &id), BT_OK);
	assert_int_equal(bt_codes_issue(f->db, "205", "FRA", "test", T("2020-02-23T08:00Z"), &l, &f->e),
			 BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "closed"));

	/* revoked: never again */
	assert_int_equal(bt_codes_revoke(f->db, "205", "FR", "test", T("2020-02-23T08:00Z"), &f->e), BT_OK);
	assert_int_equal(check(f, "FRA", code, &id), BT_EINPUT);
	assert_int_equal(bt_codes_revoke(f->db, "205", "FRA", "test", T("2020-02-23T08:00Z"), &f->e), BT_EINPUT);
	assert_int_equal(bt_codes_revoke(f->db, "205", NULL, "test", T("2020-02-23T08:00Z"), &f->e), BT_OK);
	assert_int_equal(bt_codes_revoke(f->db, "205", NULL, "test", T("2020-02-23T08:00Z"), &f->e), BT_EINPUT);

	bt_code_info_list info;
	assert_int_equal(bt_codes_list(f->db, "205", &info, &f->e), BT_OK);
	assert_int_equal(info.n, 5);
	for (size_t i = 0; i < info.n; i++)
		assert_true(info.v[i].revoked);
	bt_code_info_list_free(&info);
	audit_ok(f);
}

static void accounts(void **state)
{
	fx *f = *state;
	bt_identity id;
	const char *pw = "correct horse battery";
	assert_int_equal(bt_user_add(f->db, "tsb.anna", BT_ROLE_SECRETARIAT, 0, pw, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_user_add(f->db, "chair11", BT_ROLE_CHAIR, 11, "another long one", "test", T(NOW),
				     &f->e), BT_OK);
	assert_int_equal(bt_user_add(f->db, "certonly", BT_ROLE_SECRETARIAT, 0, NULL, "test", T(NOW), &f->e),
			 BT_OK);
	assert_int_equal(bt_user_check(f->db, "tsb.anna", pw, &id, &f->e), BT_OK);
	assert_int_equal(id.role, BT_ROLE_SECRETARIAT);
	assert_string_equal(id.user, "tsb.anna");
	assert_int_equal(bt_user_check(f->db, "chair11", "another long one", &id, &f->e), BT_OK);
	assert_int_equal(id.role, BT_ROLE_CHAIR);
	assert_int_equal(id.group, 11);
	const char *bad[][2] = { { "tsb.anna", "correct horse battery!" }, { "tsb.anna", "" },
				 { "nobody", pw }, { "certonly", "" }, { "certonly", pw },
				 { "TSB.ANNA", pw }, { NULL, pw }, { "tsb.anna", NULL } };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(bt_user_check(f->db, bad[i][0], bad[i][1], &id, &f->e), BT_EINPUT);
		assert_string_equal(f->e.msg, "password: wrong user name or password");
	}
	/* refusals */
	assert_int_equal(bt_user_add(f->db, "tsb.anna", BT_ROLE_SECRETARIAT, 0, pw, "t", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "exists"));
	assert_int_equal(bt_user_add(f->db, "Anna", BT_ROLE_SECRETARIAT, 0, pw, "t", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "name"));
	assert_int_equal(bt_user_add(f->db, "c2", BT_ROLE_CHAIR, 0, pw, "t", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "group"));
	assert_int_equal(bt_user_add(f->db, "s2", BT_ROLE_SECRETARIAT, 3, pw, "t", T(NOW), &f->e), BT_EINPUT);
	assert_int_equal(bt_user_add(f->db, "s2", BT_ROLE_SECRETARIAT, 0, "short", "t", T(NOW), &f->e), BT_EINPUT);
	assert_null(strstr(f->e.msg, "short"));
	assert_int_equal(bt_user_add(f->db, "s2", BT_ROLE_SECRETARIAT, 0, "twelve bytes\x01", "t", T(NOW), &f->e),
			 BT_EINPUT);
	assert_int_equal(bt_user_add(f->db, "s2", BT_ROLE_MEMBER, 0, pw, "t", T(NOW), &f->e), BT_EINPUT);
	bt_user_list l;
	assert_int_equal(bt_users_list(f->db, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "certonly");
	assert_false(l.v[0].has_password);
	assert_int_equal(l.v[1].group, 11);
	bt_user_list_free(&l);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM events WHERE instr(body, ?1)", "pbkdf2"), 0);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM users WHERE instr(password, ?1)", pw), 0);
	audit_ok(f);
}

/* Disabling, enabling and a new password: events the audit renders again;
 * bt_user_in_force says when a session must end. */
static void account_changes(void **state)
{
	fx *f = *state;
	bt_identity id, cert_id;
	const char *pw = "correct horse battery", *pw2 = "a newer pass phrase";
	const char *fp = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	int in_force;
	assert_int_equal(bt_user_add(f->db, "anna", BT_ROLE_SECRETARIAT, 0, pw, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_user_add(f->db, "certonly", BT_ROLE_CHAIR, 11, NULL, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_cert_register(f->db, fp, NULL, "certonly", T("2030-01-01T00:00Z"), "test", T(NOW), &f->e),
			 BT_OK);
	assert_int_equal(bt_user_check(f->db, "anna", pw, &id, &f->e), BT_OK);
	assert_true(id.password_seq > 0);
	assert_int_equal(bt_user_in_force(f->db, &id, &in_force, &f->e), BT_OK);
	assert_true(in_force);
	assert_int_equal(bt_cert_identity(f->db, fp, T(NOW), &cert_id, &f->e), BT_OK);
	assert_int_equal(cert_id.password_seq, 0);

	/* refusals change nothing */
	int events = count_rows(f, "SELECT count(*) FROM events WHERE ?1 IS NOT NULL", "");
	assert_int_equal(bt_user_disable(f->db, "nobody", "t", T(NOW), &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "name: no account 'nobody'");
	assert_int_equal(bt_user_enable(f->db, "anna", "t", T(NOW), &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "name: account 'anna' is not disabled");
	assert_int_equal(bt_user_disable(f->db, "Anna", "t", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is not a user name"));
	assert_int_equal(bt_user_password(f->db, "anna", "short", "t", T(NOW), &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "password: 5 bytes; it must have 12 to 256");
	assert_int_equal(bt_user_password(f->db, "certonly", pw2, "t", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "client certificate only"));
	assert_int_equal(count_rows(f, "SELECT count(*) FROM events WHERE ?1 IS NOT NULL", ""), events);

	/* disabled: no sign-in, the session ends, the certificate too */
	assert_int_equal(bt_user_disable(f->db, "anna", "t", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_user_disable(f->db, "anna", "t", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "disabled already (since 2020-01-10T10:00:00Z)"));
	assert_int_equal(bt_user_in_force(f->db, &id, &in_force, &f->e), BT_OK);
	assert_false(in_force);
	assert_int_equal(bt_user_check(f->db, "anna", pw, &id, &f->e), BT_EINPUT);
	assert_int_equal(bt_user_disable(f->db, "certonly", "t", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_cert_identity(f->db, fp, T(NOW), &cert_id, &f->e), BT_EINPUT);
	assert_int_equal(bt_user_in_force(f->db, &cert_id, &in_force, &f->e), BT_OK);
	assert_false(in_force);
	assert_int_equal(bt_user_enable(f->db, "certonly", "t", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_cert_identity(f->db, fp, T(NOW), &cert_id, &f->e), BT_OK);
	assert_int_equal(bt_user_in_force(f->db, &cert_id, &in_force, &f->e), BT_OK);
	assert_true(in_force);

	/* enabled, then a new password: the old session ends, the old password fails */
	assert_int_equal(bt_user_enable(f->db, "anna", "t", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_user_check(f->db, "anna", pw, &id, &f->e), BT_OK);
	assert_int_equal(bt_user_password(f->db, "anna", pw2, "t", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_user_in_force(f->db, &id, &in_force, &f->e), BT_OK);
	assert_false(in_force);
	assert_int_equal(bt_user_check(f->db, "anna", pw, &id, &f->e), BT_EINPUT);
	assert_int_equal(bt_user_check(f->db, "anna", pw2, &id, &f->e), BT_OK);
	assert_int_equal(bt_user_in_force(f->db, &id, &in_force, &f->e), BT_OK);
	assert_true(in_force);
	/* a member's identity is no account */
	bt_identity member = { .role = BT_ROLE_MEMBER, .member = "CHE" };
	assert_int_equal(bt_user_in_force(f->db, &member, &in_force, &f->e), BT_OK);
	assert_true(in_force);

	assert_int_equal(count_rows(f, "SELECT count(*) FROM events WHERE kind LIKE ?1", "user-%"), 7);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM events WHERE instr(body, ?1)", "pbkdf2"), 0);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM account_changes WHERE user_name = ?1", "anna"), 3);
	audit_ok(f);
}

static void certificates(void **state)
{
	fx *f = *state;
	bt_identity id;
	const char *fp = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	const char *fp2 = "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210";
	bt_time until = T("2021-01-01T00:00:00Z");
	assert_int_equal(bt_user_add(f->db, "chair11", BT_ROLE_CHAIR, 11, NULL, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_cert_register(f->db, fp, "ch", NULL, until, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_cert_register(f->db, fp2, NULL, "chair11", until, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_cert_identity(f->db, fp, T(NOW), &id, &f->e), BT_OK);
	assert_int_equal(id.role, BT_ROLE_MEMBER);
	assert_string_equal(id.member, "CHE");
	assert_string_equal(id.circular, "");
	assert_int_equal(bt_cert_identity(f->db, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
					  T(NOW), &id, &f->e), BT_OK);
	assert_int_equal(id.role, BT_ROLE_CHAIR);
	assert_string_equal(id.user, "chair11");
	assert_int_equal(id.group, 11);
	/* expired, unknown, malformed */
	assert_int_equal(bt_cert_identity(f->db, fp, until, &id, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "client certificate: not registered or revoked");
	assert_int_equal(bt_cert_identity(f->db, "00", T(NOW), &id, &f->e), BT_EINPUT);
	assert_int_equal(bt_cert_identity(f->db, NULL, T(NOW), &id, &f->e), BT_EINPUT);
	/* refusals */
	assert_int_equal(bt_cert_register(f->db, fp, "FR", NULL, until, "t", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "registered already"));
	assert_int_equal(bt_cert_register(f->db, "xyz", "FR", NULL, until, "t", T(NOW), &f->e), BT_EINPUT);
	assert_int_equal(bt_cert_register(f->db, fp, NULL, NULL, until, "t", T(NOW), &f->e), BT_EINPUT);
	assert_int_equal(bt_cert_register(f->db, fp, "FR", "chair11", until, "t", T(NOW), &f->e), BT_EINPUT);
	assert_int_equal(bt_cert_register(f->db, fp, NULL, "nobody", until, "t", T(NOW), &f->e), BT_EINPUT);
	assert_int_equal(bt_cert_register(f->db, fp, "FR", NULL, T("2019-01-01T00:00Z"), "t", T(NOW), &f->e),
			 BT_EINPUT);
	/* revoked: never again */
	assert_int_equal(bt_cert_revoke(f->db, fp, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_cert_identity(f->db, fp, T(NOW), &id, &f->e), BT_EINPUT);
	assert_int_equal(bt_cert_revoke(f->db, fp, "test", T(NOW), &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "revoked already"));
	bt_cert_list l;
	assert_int_equal(bt_certs_list(f->db, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_true(l.v[0].revoked);
	assert_string_equal(l.v[1].user, "chair11");
	bt_cert_list_free(&l);
	audit_ok(f);
}

static void secrets(void **state)
{
	(void)state;
	unsigned char a[32], b[32];
	bt_err e;
	assert_int_equal(bt_random(a, sizeof a, &e), BT_OK);
	memcpy(b, a, sizeof b);
	assert_true(bt_secret_equal(a, b, sizeof a));
	b[31] ^= 1;
	assert_false(bt_secret_equal(a, b, sizeof a));
	b[31] ^= 1;
	b[0] ^= 0x80;
	assert_false(bt_secret_equal(a, b, sizeof a));
	assert_true(bt_secret_equal(a, b, 0));
	assert_int_equal(bt_random(b, sizeof b, &e), BT_OK);
	assert_false(bt_secret_equal(a, b, sizeof a)); /* 2^-256 */
	assert_string_equal(bt_role_name(BT_ROLE_CHAIR), "chair");
	assert_null(bt_role_name(BT_ROLE_NONE));
	assert_int_equal(bt_role_parse("member"), BT_ROLE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reply_codes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(accounts, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(account_changes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(certificates, fx_setup, fx_teardown),
		cmocka_unit_test(secrets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
