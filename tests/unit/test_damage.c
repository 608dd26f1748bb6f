/* test_damage.c - what is known of damage without a full audit
 * (damage.c): the damage mark beside the file and a broken last event
 * refuse every change and let reads go on; clearing the mark lifts it. */
#include <sys/stat.h>
#include "dump.h"

static void mark_path(fx *f, char *out, size_t n)
{
	snprintf(out, n, "%s-damaged", f->path);
}

/* A write must be refused with BT_EFAIL naming the damage and change nothing. */
/* bt_db_damaged, with its message copied to out when it says damaged
 * (then its reason must be "damaged"). */
static int damaged(bt_db *db, char *out, size_t n)
{
	bt_err why;
	int d = bt_db_damaged(db, &why);
	if (d) {
		assert_int_equal(why.reason, BT_R_DAMAGED);
		assert_int_equal(why.code, BT_EFAIL);
		snprintf(out, n, "%s", why.msg);
	}
	return d;
}

static void writes_refused(fx *f, const char *what)
{
	char *before = dump_db(f->path);
	int rc = fx_reply(f, "205", "DEU", BT_AUTHORIZE, "2020-02-05T10:00:00Z", 0);
	if (rc != BT_EFAIL || !strstr(f->e.msg, "the database is damaged (") || !strstr(f->e.msg, what) ||
	    !strstr(f->e.msg, "); every change is refused until it is restored from a backup (`{cmd:restore}`)"))
		fail_msg("reply gave %d '%s'", rc, f->e.msg);
	assert_int_equal(bt_setting_set(f->db, "quota_bytes", "1000", "t", T("2020-02-05T10:00:00Z"), &f->e), BT_EFAIL);
	char *after = dump_db(f->path);
	assert_string_equal(after, before);
	free(before);
	free(after);
	/* reads go on */
	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", NULL, &h, &f->e), BT_OK);
	assert_int_equal(h.n, 1);
	bt_history_free(&h);
}

static void sound_database(void **state)
{
	fx *f = *state;
	char out[600] = "untouched";
	assert_int_equal(damaged(f->db, out, sizeof out), 0);
	assert_string_equal(out, "untouched");
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(damaged(f->db, out, sizeof out), 0);
	/* clearing a mark that is not there is fine */
	assert_int_equal(bt_damage_note(f->path, NULL), 0);
}

static void the_mark_refuses_changes_until_cleared(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	assert_int_equal(bt_damage_note(f->path, "event chain: event 6: its content does not match its hash"), 0);
	char mark[200], out[600];
	mark_path(f, mark, sizeof mark);
	struct stat st;
	assert_int_equal(stat(mark, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_file_read(mark, "mark", 4096, &b, &f->e), BT_OK);
	assert_string_equal(bt_buf_str(&b), "event chain: event 6: its content does not match its hash\n");
	bt_buf_release(&b);
	assert_int_equal(damaged(f->db, out, sizeof out), 1);
	assert_string_equal(out, "marked by `{cmd:check}` or `{cmd:audit verify}`: event chain: event 6: its content does not match its hash");
	writes_refused(f, "marked by `{cmd:check}` or `{cmd:audit verify}`: event chain: event 6");
	/* a new note replaces the old one */
	assert_int_equal(bt_damage_note(f->path, "integrity_check: page 3"), 0);
	assert_int_equal(damaged(f->db, out, sizeof out), 1);
	assert_non_null(strstr(out, ": integrity_check: page 3"));
	assert_null(strstr(out, "event 6"));
	/* an empty mark still says damaged */
	FILE *fp = fopen(mark, "w");
	fclose(fp);
	assert_int_equal(damaged(f->db, out, sizeof out), 1);
	assert_string_equal(out, "marked by `{cmd:check}` or `{cmd:audit verify}`: damaged");
	/* cleared: changes go through again */
	assert_int_equal(bt_damage_note(f->path, NULL), 0);
	assert_int_not_equal(stat(mark, &st), 0);
	assert_int_equal(damaged(f->db, out, sizeof out), 0);
	assert_int_equal(fx_reply(f, "205", "DEU", BT_AUTHORIZE, "2020-02-05T10:00:00Z", 0), BT_OK);
	/* a mark that cannot be written */
	assert_int_equal(bt_damage_note("/nonexistent-dir/x.db", "y"), -1);
}

static void an_edited_last_event(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	db_exec(f->path, "DROP TRIGGER events_append_only_u;"
			 "UPDATE events SET body = replace(body, 'CHE', 'FRA') WHERE seq = 6");
	char out[600];
	assert_int_equal(damaged(f->db, out, sizeof out), 1);
	assert_string_equal(out, "event 6: its content does not match its hash");
	writes_refused(f, "event 6: its content does not match its hash");
}

static void a_relinked_last_event(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	/* event 6 made to hash right, but on another chain */
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT body FROM events WHERE seq = 6", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	bt_buf b = BT_BUF_INIT;
	bt_buf_addf(&b, "%064d\n%s", 0, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	char hash[65], sql[400];
	bt_sha256_hex(b.data, b.len, hash);
	bt_buf_release(&b);
	snprintf(sql, sizeof sql,
		 "DROP TRIGGER events_append_only_u;"
		 "UPDATE events SET prev_hash = '%064d', hash = '%s' WHERE seq = 6", 0, hash);
	db_exec(f->path, sql);
	char out[600];
	assert_int_equal(damaged(f->db, out, sizeof out), 1);
	assert_string_equal(out, "event 6: it does not link to the event before it");
	writes_refused(f, "event 6: it does not link to the event before it");
}

static void a_deleted_last_event(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-01T11:00:00Z", 0), BT_OK);
	/* event 6 gone: 7 no longer follows the one before it */
	db_exec(f->path, "DROP TRIGGER events_append_only_d; DELETE FROM events WHERE seq = 6");
	char out[600];
	assert_int_equal(damaged(f->db, out, sizeof out), 1);
	assert_string_equal(out, "event 7: it does not link to the event before it");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sound_database, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_mark_refuses_changes_until_cleared, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(an_edited_last_event, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_relinked_last_event, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_deleted_last_event, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
