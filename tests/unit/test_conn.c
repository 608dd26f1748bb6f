/* test_conn.c - the connection's helpers (src/store/conn.c): what an SQLite
 * result code means for the engine (db_reason, db_is_fault), and binding
 * text so that a failed copy neither stores a NULL nobody wrote nor makes a
 * look-up miss its row (SQLite's allocator is replaced by one that fails
 * on demand). */
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

/* SQLite's allocator, failing every allocation while sqlite_fail is set. */
static sqlite3_mem_methods sqlite_orig;
static int sqlite_fail;

static void *fail_malloc(int n)
{
	return sqlite_fail ? NULL : sqlite_orig.xMalloc(n);
}

static void *fail_realloc(void *p, int n)
{
	return sqlite_fail ? NULL : sqlite_orig.xRealloc(p, n);
}

static void install_failing_allocator(void)
{
	sqlite3_shutdown();
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_orig), SQLITE_OK);
	sqlite3_mem_methods mine = sqlite_orig;
	mine.xMalloc = fail_malloc;
	mine.xRealloc = fail_realloc;
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &mine), SQLITE_OK);
	assert_int_equal(sqlite3_initialize(), SQLITE_OK);
}

/* A text longer than any lookaside slot, so binding a copy of it needs the
 * allocator. */
static char *long_text(char c)
{
	char *t = malloc(4001);
	assert_non_null(t);
	memset(t, c, 4000);
	t[4000] = 0;
	return t;
}

/* db_bind_text: text, or NULL for NULL; and when SQLite cannot copy the
 * text, the text all the same: a look-up finds its row, an insert stores
 * what was bound (a NULL or an empty value there would be a row nobody
 * wrote). */
static void a_failed_copy_binds_the_text_itself(void **state)
{
	fx *f = *state;
	char *a = long_text('a'), *b = long_text('b');
	assert_int_equal(db_exec_sql(f->db, "CREATE TEMP TABLE t(a TEXT, b TEXT NOT NULL) STRICT", "test", &f->e),
			 BT_OK);
	sqlite3_stmt *ins, *look;
	assert_int_equal(sqlite3_prepare_v2(f->db->h, "INSERT INTO t VALUES (?1, ?2)", -1, &ins, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(f->db->h, "SELECT count(*) FROM t WHERE a = ?1", -1, &look, NULL),
			 SQLITE_OK);
	assert_int_equal(db_bind_text(ins, 1, NULL), SQLITE_OK);
	assert_int_equal(db_bind_text(ins, 2, "x"), SQLITE_OK);
	assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	/* an insert whose copies fail stores the texts */
	sqlite_fail = 1;
	int r1 = db_bind_text(ins, 1, a), r2 = db_bind_text(ins, 2, b);
	sqlite_fail = 0;
	assert_int_equal(r1, SQLITE_OK);
	assert_int_equal(r2, SQLITE_OK);
	assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
	sqlite3_finalize(ins);
	/* a look-up whose copy fails finds the row */
	sqlite_fail = 1;
	r1 = db_bind_text(look, 1, a);
	sqlite_fail = 0;
	assert_int_equal(r1, SQLITE_OK);
	assert_int_equal(sqlite3_step(look), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(look, 0), 1);
	sqlite3_finalize(look);
	int64_t n = 0;
	assert_int_equal(db_pragma_int64(f->db, "SELECT count(*) FROM t WHERE a IS NULL AND b = 'x'", &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_pragma_int64(f->db, "SELECT count(*) FROM t WHERE length(a) = 4000 AND "
					  "length(b) = 4000 AND substr(b, 1, 1) = 'b'", &n), 0);
	assert_int_equal(n, 1);
	free(a);
	free(b);
}

int main(void)
{
	install_failing_allocator();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reasons_follow_the_result_code),
		cmocka_unit_test(faults_of_the_run_are_not_damage),
		cmocka_unit_test_setup_teardown(a_failed_copy_binds_the_text_itself, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
