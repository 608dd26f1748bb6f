/* test_witness.c - the witness of the last acknowledged event
 * (witness.c): raised by every commit, compared with the database, and
 * stopping every writer while it names events the database lacks.
 * Reaches the engine-internal witness_* and event_last: includes
 * store/store.h. */
#include <sys/stat.h>
#include "dump.h"
#include "store/store.h"

static void wpath(fx *f, char *out, size_t n)
{
	snprintf(out, n, "%s.witness", f->path);
}

static void last(fx *f, int64_t *seq, char hash[65])
{
	assert_int_equal(event_last(f->db, seq, hash, &f->e), BT_OK);
}

static void raised_by_every_commit(void **state)
{
	fx *f = *state;
	char w[200], out[400], hash[65];
	int64_t seq;
	wpath(f, w, sizeof w);
	/* init set it to its own last event */
	last(f, &seq, hash);
	assert_int_equal(seq, 3);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 1);
	assert_string_equal(out, "ok (event 3 acknowledged, 3 in the database)");
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	last(f, &seq, hash);
	assert_int_equal(seq, 6);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 1);
	assert_string_equal(out, "ok (event 6 acknowledged, 6 in the database)");
	struct stat st;
	assert_int_equal(stat(w, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 104); /* one fixed-size record */
	bt_buf b = BT_BUF_INIT;
	char want[200];
	snprintf(want, sizeof want, "ballot-witness 1 00000000000000000006 %s", hash);
	assert_int_equal(bt_file_read(w, "w", 1024, &b, &f->e), BT_OK);
	assert_int_equal(strncmp(b.data, want, strlen(want)), 0);
	assert_int_equal(b.data[103], '\n');
	bt_buf_release(&b);
	int64_t ws;
	char wh[65];
	assert_int_equal(witness_read(f->db, &ws, wh, &f->e), BT_OK);
	assert_int_equal(ws, 6);
	assert_string_equal(wh, hash);
	/* it only moves forward */
	assert_int_equal(witness_advance(f->db, 4, ZERO_HASH, &f->e), BT_OK);
	assert_int_equal(witness_read(f->db, &ws, wh, &f->e), BT_OK);
	assert_int_equal(ws, 6);
	assert_string_equal(wh, hash);
}

/* Each writer refuses, naming what is missing, and writes nothing. */
static void writers_refuse(fx *f, const char *want)
{
	char *before = dump_db(f->path);
	int rc = fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-02T10:00:00Z", 0);
	if (rc != BT_EFAIL || !strstr(f->e.msg, want) || !strstr(f->e.msg, "nothing written"))
		fail_msg("reply gave %d '%s', not '%s'", rc, f->e.msg, want);
	assert_int_equal(bt_setting_set(f->db, "quota_bytes", "1000", "t", T("2020-02-05T10:00:00Z"), &f->e), BT_EFAIL);
	assert_non_null(strstr(f->e.msg, want));
	char *after = dump_db(f->path);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

static void ahead_of_the_database(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	char out[400];
	/* events 7 and 8 acknowledged, then lost */
	assert_int_equal(witness_reset(f->path, 8, "1111111111111111111111111111111111111111111111111111111111111111", &f->e), BT_OK);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 0);
	assert_string_equal(out, "events 7..8 acknowledged but missing (the database ends at event 6)");
	writers_refuse(f, "events 7..8 were acknowledged but are missing from the database (witness '");
	bt_check_report r;
	assert_int_equal(bt_db_check(f->db, &r, &f->e), BT_OK);
	assert_false(r.witness_ok);
	assert_false(bt_check_passed(&r));
	assert_true(r.chain_ok);
	char what[400];
	bt_check_first_problem(&r, what, sizeof what);
	assert_string_equal(what, "witness: events 7..8 acknowledged but missing (the database ends at event 6)");
}

static void another_hash_for_the_last_event(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	assert_int_equal(witness_reset(f->path, 6, ZERO_HASH, &f->e), BT_OK);
	char out[400];
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 0);
	assert_string_equal(out, "event 6 is not the one acknowledged (its hash differs from the witness)");
	writers_refuse(f, "event 6 is not the one acknowledged (witness '");
	/* guard directly */
	char hash[65];
	int64_t seq;
	last(f, &seq, hash);
	assert_int_equal(witness_guard(f->db, 6, hash, &f->e), BT_EFAIL);
	assert_int_equal(witness_guard(f->db, 6, ZERO_HASH, &f->e), BT_OK);
	assert_int_equal(witness_guard(f->db, 7, hash, &f->e), BT_OK); /* behind: harmless */
	assert_int_equal(witness_guard(f->db, 5, hash, &f->e), BT_EFAIL);
	assert_non_null(strstr(f->e.msg, "events 6..6 were acknowledged but are missing"));
}

static void behind_missing_or_garbage(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	char w[200], out[400], hash[65];
	int64_t seq;
	wpath(f, w, sizeof w);
	/* behind (a crash between commit and witness): fine, and raised */
	last(f, &seq, hash);
	assert_int_equal(seq, 5);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db->h, "SELECT hash FROM events WHERE seq = 3", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char h3[65];
	snprintf(h3, sizeof h3, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(witness_reset(f->path, 3, h3, &f->e), BT_OK);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 1);
	assert_string_equal(out, "ok (event 3 acknowledged, 5 in the database)");
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 1);
	assert_string_equal(out, "ok (event 6 acknowledged, 6 in the database)");

	/* missing: nothing to compare, and made again by the next commit */
	bt_db_close(f->db);
	witness_remove(f->path);
	assert_int_equal(bt_db_open(f->path, 0, &f->db, &f->e), BT_OK);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 1);
	char want[300];
	snprintf(want, sizeof want, "none yet (no '%s')", w);
	assert_string_equal(out, want);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-02T10:00:00Z", 0), BT_OK);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 1);
	assert_string_equal(out, "ok (event 7 acknowledged, 7 in the database)");

	/* garbage */
	bt_db_close(f->db);
	FILE *fp = fopen(w, "w");
	fputs("not a witness\n", fp);
	fclose(fp);
	assert_int_equal(bt_db_open(f->path, 0, &f->db, &f->e), BT_OK);
	snprintf(want, sizeof want, "the witness '%s' is not a witness record", w);
	assert_int_equal(bt_db_witness(f->db, out, sizeof out), 0);
	assert_string_equal(out, want);
	int64_t ws;
	char wh[65];
	assert_int_equal(witness_read(f->db, &ws, wh, &f->e), BT_EFAIL);
	assert_string_equal(f->e.msg, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(raised_by_every_commit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(ahead_of_the_database, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(another_hash_for_the_last_event, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(behind_missing_or_garbage, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
