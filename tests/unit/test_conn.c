/* test_conn.c - the connection's helpers (src/store/conn.c): what an SQLite
 * result code means for the engine (db_reason, db_is_fault), and binding
 * text so that a failed copy can never store a NULL nobody wrote. */
#include "fixture.h"
#include "store/store.h"

static void reasons_follow_the_result_code(void **state)
{
	(void)state;
	assert_int_equal(db_reason(SQLITE_NOMEM), BT_R_NOMEM);
	assert_int_equal(db_reason(SQLITE_CORRUPT), BT_R_DAMAGED);
	assert_int_equal(db_reason(SQLITE_CORRUPT_INDEX), BT_R_DAMAGED); /* extended codes too */
	assert_int_equal(db_reason(SQLITE_NOTADB), BT_R_DAMAGED);
	assert_int_equal(db_reason(SQLITE_ERROR), BT_R_DAMAGED);
	assert_int_equal(db_reason(SQLITE_IOERR_READ), BT_R_IO);
	assert_int_equal(db_reason(SQLITE_FULL), BT_R_IO);
	assert_int_equal(db_reason(SQLITE_BUSY), BT_R_IO);
	assert_int_equal(db_reason(SQLITE_READONLY), BT_R_IO);
}

static void faults_of_the_run_are_not_damage(void **state)
{
	(void)state;
	const int fault[] = { SQLITE_NOMEM, SQLITE_IOERR, SQLITE_IOERR_FSYNC, SQLITE_FULL, SQLITE_BUSY,
			      SQLITE_LOCKED, SQLITE_INTERRUPT };
	for (size_t i = 0; i < sizeof fault / sizeof fault[0]; i++)
		assert_true(db_is_fault(fault[i]));
	const int not_fault[] = { SQLITE_OK, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_ERROR, SQLITE_CONSTRAINT };
	for (size_t i = 0; i < sizeof not_fault / sizeof not_fault[0]; i++)
		assert_false(db_is_fault(not_fault[i]));
}

/* What db_bind_text binds when its copy fails (an empty blob) is refused
 * by a STRICT table's TEXT column, nullable or not: the insert fails. */
static void an_empty_blob_never_goes_into_text(void **state)
{
	fx *f = *state;
	assert_int_equal(db_exec_sql(f->db, "CREATE TEMP TABLE t(a TEXT, b TEXT NOT NULL) STRICT", "test", &f->e),
			 BT_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db->h, "INSERT INTO t VALUES (?1, ?2)", -1, &st, NULL), SQLITE_OK);
	/* as db_bind_text binds: text, or NULL for NULL */
	assert_int_equal(db_bind_text(st, 1, NULL), SQLITE_OK);
	assert_int_equal(db_bind_text(st, 2, "x"), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_reset(st);
	/* as it binds after a failed copy */
	assert_int_equal(sqlite3_bind_zeroblob(st, 1, 0), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_CONSTRAINT_DATATYPE);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	assert_int_equal(db_bind_kept(st, 1, "kept"), SQLITE_OK);
	assert_int_equal(db_bind_text(st, 2, "y"), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	int64_t n = 0;
	assert_int_equal(db_pragma_int64(f->db, "SELECT count(*) FROM t WHERE a IS NULL OR a = 'kept'", &n), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reasons_follow_the_result_code),
		cmocka_unit_test(faults_of_the_run_are_not_damage),
		cmocka_unit_test_setup_teardown(an_empty_blob_never_goes_into_text, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
