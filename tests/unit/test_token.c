/* test_token.c - API tokens: created once and found by their hash, scopes,
 * expiry, revocation, a disabled account, and the audit of their rows. */
#include <sqlite3.h>
#include "fixture.h"

#define NOW "2020-01-10T10:00:00Z"

static void add_user(fx *f, const char *name)
{
	assert_int_equal(bt_user_add(f->db, name, BT_ROLE_SECRETARIAT, 0, "correct horse battery", "test",
				     T(NOW), &f->e), BT_OK);
}

/* Runs sql (NULL: nothing) on the test database from a second connection,
 * as a tamperer would: the trigger that keeps tokens append-only dropped
 * for it and made again, the same, so that the schema stays as it was. */
static void tamper(fx *f, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_schema WHERE name = 'api_tokens_revoke_only'",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *trig = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(h, "DROP TRIGGER api_tokens_revoke_only", NULL, NULL, NULL), SQLITE_OK);
	if (sql)
		assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, trig, NULL, NULL, NULL), SQLITE_OK);
	free(trig);
	sqlite3_close(h);
}

static void create_and_check(void **state)
{
	fx *f = *state;
	char tok[BT_TOKEN_LEN + 1], tok2[BT_TOKEN_LEN + 1];
	int64_t id = 0, id2 = 0;
	bt_identity who;
	bt_token_scope sc;
	add_user(f, "tsb");
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_WRITE, 0, "test", T(NOW), tok, &id, &f->e), BT_OK);
	assert_int_equal(strlen(tok), BT_TOKEN_LEN);
	assert_memory_equal(tok, "bt_", 3);
	for (int i = 3; i < BT_TOKEN_LEN; i++)
		assert_non_null(strchr("0123456789abcdef", tok[i]));
	assert_int_equal(id, 1);
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_READ, 0, "test", T(NOW), tok2, &id2, &f->e), BT_OK);
	assert_int_equal(id2, 2);
	assert_string_not_equal(tok, tok2);

	assert_int_equal(bt_token_check(f->db, tok, T(NOW), &who, &sc, &f->e), BT_OK);
	assert_int_equal(who.role, BT_ROLE_SECRETARIAT);
	assert_string_equal(who.user, "tsb");
	assert_int_equal(sc, BT_SCOPE_WRITE);
	assert_int_equal(bt_token_check(f->db, tok2, T(NOW), &who, &sc, &f->e), BT_OK);
	assert_int_equal(sc, BT_SCOPE_READ);

	/* only the hash is stored: the token itself is nowhere in the file */
	for (int k = 0; k < 2; k++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", f->path, k ? "-wal" : "");
		bt_buf file = BT_BUF_INIT;
		if (bt_file_read(p, "db", 64 << 20, &file, &f->e) == BT_OK)
			for (size_t j = 0; j + 64 <= file.len; j++)
				assert_false(memcmp(file.data + j, tok + 3, 64) == 0);
		else
			assert_int_equal(k, 1);
		bt_buf_release(&file);
	}

	/* a changed character, a prefix, nothing: the same refusal */
	char bad[BT_TOKEN_LEN + 1];
	memcpy(bad, tok, sizeof bad);
	bad[10] = bad[10] == 'a' ? 'b' : 'a';
	const char *wrong[] = { bad, "bt_", "", "bt_0000" };
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		assert_int_equal(bt_token_check(f->db, wrong[i], T(NOW), &who, &sc, &f->e), BT_EINPUT);
		assert_int_equal(f->e.reason, BT_R_FORBIDDEN);
		assert_string_equal(f->e.msg, "token: not valid");
		assert_int_equal(who.role, BT_ROLE_NONE);
		assert_int_equal(sc, BT_SCOPE_NONE);
	}
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
}

static void refusals(void **state)
{
	fx *f = *state;
	char tok[BT_TOKEN_LEN + 1];
	add_user(f, "tsb");
	assert_int_equal(bt_token_create(f->db, "nobody", BT_SCOPE_READ, 0, "test", T(NOW), tok, NULL, &f->e),
			 BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_NOT_FOUND);
	assert_string_equal(f->e.field, "user");
	assert_string_equal(tok, "");
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_NONE, 0, "test", T(NOW), tok, NULL, &f->e),
			 BT_EINPUT);
	assert_string_equal(f->e.field, "scope");
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_READ, T(NOW), "test", T(NOW), tok, NULL, &f->e),
			 BT_EINPUT);
	assert_string_equal(f->e.field, "expires");
	assert_int_equal(bt_user_disable(f->db, "tsb", "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_READ, 0, "test", T(NOW), tok, NULL, &f->e),
			 BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_CONFLICT);
	/* nothing was recorded */
	bt_token_list l;
	assert_int_equal(bt_tokens_list(f->db, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 0);
	bt_token_list_free(&l);
	assert_int_equal(bt_token_revoke(f->db, 7, "test", T(NOW), &f->e), BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_NOT_FOUND);
	assert_string_equal(f->e.field, "token_id");
}

static void stops_working(void **state)
{
	fx *f = *state;
	char tok[BT_TOKEN_LEN + 1], tok2[BT_TOKEN_LEN + 1];
	int64_t id;
	bt_identity who;
	bt_token_scope sc;
	add_user(f, "tsb");
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_READ, T("2020-02-01T00:00:00Z"), "test", T(NOW),
					 tok, &id, &f->e), BT_OK);
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_READ, 0, "test", T(NOW), tok2, NULL, &f->e), BT_OK);
	/* expiry */
	assert_int_equal(bt_token_check(f->db, tok, T("2020-01-31T23:59:59Z"), &who, &sc, &f->e), BT_OK);
	assert_int_equal(bt_token_check(f->db, tok, T("2020-02-01T00:00:00Z"), &who, &sc, &f->e), BT_EINPUT);
	/* a disabled account: every token stops, and works again when enabled */
	assert_int_equal(bt_user_disable(f->db, "tsb", "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_token_check(f->db, tok2, T(NOW), &who, &sc, &f->e), BT_EINPUT);
	assert_int_equal(bt_user_enable(f->db, "tsb", "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_token_check(f->db, tok2, T(NOW), &who, &sc, &f->e), BT_OK);
	/* revoked: once */
	assert_int_equal(bt_token_revoke(f->db, 2, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(bt_token_check(f->db, tok2, T(NOW), &who, &sc, &f->e), BT_EINPUT);
	assert_int_equal(bt_token_revoke(f->db, 2, "test", T(NOW), &f->e), BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_CONFLICT);
	bt_token_list l;
	assert_int_equal(bt_tokens_list(f->db, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].expires_at, T("2020-02-01T00:00:00Z"));
	assert_false(l.v[0].revoked);
	assert_true(l.v[1].revoked);
	assert_int_equal(l.v[1].scope, BT_SCOPE_READ);
	bt_token_list_free(&l);
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
}

/* The audit renders each token event again from its row: a scope, a hash
 * or a revocation changed behind the log's back is found. */
static void audited(void **state)
{
	(void)state;
	static const char *const edits[] = {
		NULL, /* the control: no edit, nothing found */
		"UPDATE api_tokens SET scope = 'write' WHERE id = 1",
		"UPDATE api_tokens SET hash = replace(hash, substr(hash, 1, 1), 'x') WHERE id = 1",
		"UPDATE api_tokens SET expires_at = NULL WHERE id = 1",
		"UPDATE api_tokens SET revoked_at = revoked_at + 1 WHERE id = 2",
		"INSERT INTO api_tokens(user_name, scope, hash, created_at, event_seq) VALUES('tsb', 'write',"
		" '0000000000000000000000000000000000000000000000000000000000000000', 0, 1)",
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		fx *f = NULL;
		void *s = NULL;
		assert_int_equal(fx_setup(&s), 0);
		f = s;
		char tok[BT_TOKEN_LEN + 1];
		add_user(f, "tsb");
		assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_READ, T("2021-01-01T00:00:00Z"), "test",
						 T(NOW), tok, NULL, &f->e), BT_OK);
		assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_READ, 0, "test", T(NOW), tok, NULL, &f->e),
				 BT_OK);
		assert_int_equal(bt_token_revoke(f->db, 2, "test", T(NOW), &f->e), BT_OK);
		tamper(f, edits[i]);
		bt_audit_report r;
		assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
		if (!edits[i] && r.first_bad)
			fail_msg("no edit, yet: %s", r.problem);
		if (edits[i] && r.first_bad == 0)
			fail_msg("edit %zu not found: %s", i, edits[i]);
		if (edits[i] && !strstr(r.problem, "API token") && !strstr(r.problem, "token-create"))
			fail_msg("edit %zu: %s", i, r.problem);
		assert_int_equal(fx_teardown(&s), 0);
	}
}

static void scope_names(void **state)
{
	(void)state;
	assert_string_equal(bt_token_scope_name(BT_SCOPE_READ), "read");
	assert_string_equal(bt_token_scope_name(BT_SCOPE_WRITE), "write");
	assert_null(bt_token_scope_name(BT_SCOPE_NONE));
	assert_int_equal(bt_token_scope_parse("write"), BT_SCOPE_WRITE);
	assert_int_equal(bt_token_scope_parse("admin"), BT_SCOPE_NONE);
	assert_int_equal(bt_token_scope_parse(NULL), BT_SCOPE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_and_check, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(stops_working, fx_setup, fx_teardown),
		cmocka_unit_test(audited),
		cmocka_unit_test(scope_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
