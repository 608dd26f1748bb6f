/* test_db.c - the store (db.c): init (mode 0600, once, all or nothing),
 * open and its refusals, read-only and private checks, the settings and
 * their bounds. */
#include <sys/stat.h>
#include "dump.h"
#include "store/store.h"

static void in_dir(fx *f, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", f->dir, name);
}

static int exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static int init_at(fx *f, const char *path, const char *tsv, int *created)
{
	return bt_db_init(path, tsv, strlen(tsv), "m.tsv", "test", T("2019-12-01T00:00:00Z"), created, &f->e);
}

static void init_once_and_private(void **state)
{
	fx *f = *state;
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char wal[200];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	if (exists(wal)) {
		assert_int_equal(stat(wal, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	assert_int_equal(bt_db_require_private(f->path, &f->e), BT_OK);
	assert_true(bt_db_schema_version(f->db) >= 6);
	assert_int_equal(bt_db_readonly(f->db), 0);
	assert_int_equal(bt_db_require_writable(f->db, &f->e), BT_OK);
	/* init again: there already, nothing changed */
	char *before = dump_db(f->path);
	bt_buf tsv = BT_BUF_INIT;
	assert_int_equal(bt_file_read("forms/member-states.tsv", "m", 1 << 20, &tsv, &f->e), BT_OK);
	int created = -1;
	assert_int_equal(init_at(f, f->path, tsv.data, &created), BT_OK);
	assert_int_equal(created, 0);
	char *after = dump_db(f->path);
	assert_string_equal(after, before);
	free(before);
	free(after);
	bt_buf_release(&tsv);
}

static void a_failed_init_leaves_nothing(void **state)
{
	fx *f = *state;
	char p[200], side[220];
	int created = -1;
	in_dir(f, "new.db", p, sizeof p);
	assert_int_equal(init_at(f, p, "alpha3\talpha2\tname\tmember_since\nche\tCH\tSwitzerland\t\n", &created),
			 BT_EINPUT);
	assert_string_equal(f->e.msg, "m.tsv line 2: alpha3 'che' is not three capital letters");
	assert_int_equal(created, 0);
	assert_false(exists(p));
	snprintf(side, sizeof side, "%s-wal", p);
	assert_false(exists(side));
	snprintf(side, sizeof side, "%s.witness", p);
	assert_false(exists(side));
	/* a small list is a database */
	assert_int_equal(init_at(f, p, "alpha3\talpha2\tname\tmember_since\nCHE\tCH\tSwitzerland\t\n", &created), BT_OK);
	assert_int_equal(created, 1);
	bt_db *db;
	assert_int_equal(bt_db_open(p, 0, &db, &f->e), BT_OK);
	bt_member_list l;
	assert_int_equal(bt_members_list(db, BT_DATE_NONE, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	bt_member_list_free(&l);
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.events, 3); /* init and the default calendar */
	bt_db_close(db);
	/* over a file that is not ours: refused, the file untouched */
	in_dir(f, "notes.txt", p, sizeof p);
	FILE *fp = fopen(p, "w");
	for (int i = 0; i < 100; i++)
		fputs("my notes, not a database\n", fp);
	fclose(fp);
	assert_int_equal(init_at(f, p, "alpha3\talpha2\tname\tmember_since\nCHE\tCH\tSwitzerland\t\n", &created),
			 BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is not a ballot database"));
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_file_read(p, "x", 1 << 16, &b, &f->e), BT_OK);
	assert_int_equal(b.len, 2500);
	assert_int_equal(strncmp(b.data, "my notes", 8), 0);
	bt_buf_release(&b);
}

static void open_refusals(void **state)
{
	fx *f = *state;
	bt_db *db = (bt_db *)1;
	char p[200], want[400];
	assert_int_equal(bt_db_open("", 0, &db, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "db: empty path");
	assert_null(db);
	in_dir(f, "missing.db", p, sizeof p);
	assert_int_equal(bt_db_open(p, 0, &db, &f->e), BT_EINPUT);
	snprintf(want, sizeof want, "db: no database at '%s'; run {cmd:init}", p);
	assert_string_equal(f->e.msg, want);
	assert_false(exists(p));
	assert_int_equal(bt_db_open(f->dir, 0, &db, &f->e), BT_EINPUT);
	snprintf(want, sizeof want, "db: '%s' is not a regular file", f->dir);
	assert_string_equal(f->e.msg, want);
	in_dir(f, "text.db", p, sizeof p);
	FILE *fp = fopen(p, "w");
	for (int i = 0; i < 100; i++)
		fputs("not sqlite at all\n", fp);
	fclose(fp);
	assert_int_equal(bt_db_open(p, 0, &db, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is not a ballot database"));
	in_dir(f, "other.db", p, sizeof p);
	db_exec(p, "CREATE TABLE t(x)");
	assert_int_equal(bt_db_open(p, 0, &db, &f->e), BT_EINPUT);
	snprintf(want, sizeof want, "db: '%s' is not a ballot database", p);
	assert_string_equal(f->e.msg, want);
	/* a newer schema */
	bt_check_report r;
	in_dir(f, "newer.db", p, sizeof p);
	assert_int_equal(bt_backup(f->db, p, 0, "FILE", &r, &f->e), BT_OK);
	db_exec(p, "PRAGMA user_version = 999");
	assert_int_equal(bt_db_open(p, 0, &db, &f->e), BT_EINPUT);
	snprintf(want, sizeof want, "db: '%s' has schema version 999, newer than this ballot (%d)", p,
		 bt_db_schema_version(f->db));
	assert_string_equal(f->e.msg, want);
	bt_db_close(NULL); /* accepted */
}

/* PRAGMA mmap_size of a connection: what SQLite will map of the file. */
static long long mapped_max(bt_db *db)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(db->h, "PRAGMA mmap_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* BT_DB_UNMAPPED (the portal's request threads): reads through pread, the
 * file not mapped; without it up to BT_MMAP_SIZE of it is. */
static void unmapped_reads(void **state)
{
	fx *f = *state;
	bt_db *mapped, *unmapped;
	assert_int_equal(bt_db_open(f->path, 0, &mapped, &f->e), BT_OK);
	assert_int_equal(bt_db_open(f->path, BT_DB_UNMAPPED, &unmapped, &f->e), BT_OK);
	assert_int_equal(mapped_max(mapped), atoll(BT_MMAP_SIZE));
	assert_int_equal(mapped_max(unmapped), 0);
	bt_member_list l;
	assert_int_equal(bt_members_list(unmapped, BT_DATE_NONE, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 194);
	bt_member_list_free(&l);
	bt_db_close(unmapped);
	bt_db_close(mapped);
}

static void read_only_and_private(void **state)
{
	fx *f = *state;
	bt_db *ro;
	assert_int_equal(bt_db_open(f->path, BT_DB_READONLY, &ro, &f->e), BT_OK);
	assert_int_equal(bt_db_readonly(ro), 1);
	char want[300];
	assert_int_equal(bt_db_require_writable(ro, &f->e), BT_EINPUT);
	snprintf(want, sizeof want, "db: '%s' is read-only", f->path);
	assert_string_equal(f->e.msg, want);
	bt_member_list l;
	assert_int_equal(bt_members_list(ro, BT_DATE_NONE, &l, &f->e), BT_OK); /* reads work */
	assert_int_equal(l.n, 194);
	bt_member_list_free(&l);
	bt_db_close(ro);

	assert_int_equal(chmod(f->path, 0640), 0);
	assert_int_equal(bt_db_require_private(f->path, &f->e), BT_EINPUT);
	snprintf(want, sizeof want, "db: '%s' can be read by others (mode 0640); chmod 600 it", f->path);
	assert_string_equal(f->e.msg, want);
	assert_int_equal(chmod(f->path, 0600), 0);
	char wal[200];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	FILE *fp = fopen(wal, "a");
	fclose(fp);
	assert_int_equal(chmod(wal, 0604), 0);
	assert_int_equal(bt_db_require_private(f->path, &f->e), BT_EINPUT);
	snprintf(want, sizeof want, "db: '%s' can be read by others (mode 0604); chmod 600 it", wal);
	assert_string_equal(f->e.msg, want);
	assert_int_equal(chmod(wal, 0600), 0);
	assert_int_equal(bt_db_require_private(f->path, &f->e), BT_OK);
	char missing[200];
	in_dir(f, "missing.db", missing, sizeof missing);
	assert_int_equal(bt_db_require_private(missing, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "db: cannot use '"));
}

static void settings_and_their_bounds(void **state)
{
	fx *f = *state;
	bt_time now = T("2020-01-01T00:00:00Z");
	assert_int_equal(bt_setting_int(f->db, "quota_bytes", 42), 42); /* unset: the default given */
	assert_int_equal(bt_setting_set(f->db, "quota_bytes", "1000", "admin", now, &f->e), BT_OK);
	assert_int_equal(bt_setting_int(f->db, "quota_bytes", 42), 1000);
	assert_int_equal(bt_setting_set(f->db, "attachment_max", "268435456", "admin", now, &f->e), BT_OK);
	assert_int_equal(bt_setting_int(f->db, "attachment_max", 0), BT_ATTACHMENT_MAX_LIMIT);
	assert_int_equal(bt_setting_set(f->db, "replies_per_hour", "1", "admin", now, &f->e), BT_OK);
	assert_int_equal(bt_setting_int(f->db, "replies_per_hour", 0), 1);
	/* each is an event, and the audit checks the value against it */
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.events, 6);
	sqlite3_stmt *st;
	sqlite3 *h;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT kind, actor, body FROM events WHERE seq = 4", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "setting");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "admin");
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 2), "\"key\":\"quota_bytes\",\"value\":1000"));
	sqlite3_finalize(st);
	sqlite3_close(h);

	REFUSED(f, bt_setting_set(f->db, "colour", "1", "admin", now, &f->e),
		"setting: unknown key 'colour' (known: attachment_max, quota_bytes, replies_per_hour, mail_receipts)");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "0", "admin", now, &f->e),
		"quota_bytes: '0' is not a size in bytes between 1 and 1099511627776");
	REFUSED(f, bt_setting_set(f->db, "replies_per_hour", "12x", "admin", now, &f->e),
		"replies_per_hour: '12x' is not a number of replies between 1 and 1000000");
	REFUSED(f, bt_setting_set(f->db, "replies_per_hour", "1000001", "admin", now, &f->e),
		"replies_per_hour: '1000001' is not a number of replies");
	REFUSED(f, bt_setting_set(f->db, "attachment_max", "268435457", "admin", now, &f->e),
		"attachment_max: '268435457' is not a size in bytes between 1 and 268435456");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "", "admin", now, &f->e), "quota_bytes: '' is not");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "-5", "admin", now, &f->e), "quota_bytes: '-5' is not");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", " 12", "admin", now, &f->e), "quota_bytes: ' 12' is not");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "+13", "admin", now, &f->e), "quota_bytes: '+13' is not");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "99999999999999999999", "admin", now, &f->e),
		"quota_bytes: '99999999999999999999' is not");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "1.5", "admin", now, &f->e), "quota_bytes: '1.5' is not");
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "\x01", "admin", now, &f->e),
		"quota_bytes: '(unprintable)' is not");
	assert_int_equal(bt_setting_int(f->db, "quota_bytes", 42), 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(init_once_and_private, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_failed_init_leaves_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(open_refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(unmapped_reads, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(read_only_and_private, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(settings_and_their_bounds, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
