/* test_backup.c - backup, restore and the checks (backup.c): a backup
 * restored gives the database back exactly; refused destinations and
 * sources change nothing; damage is named by its check. */
#include <sys/stat.h>
#include "dump.h"

static void history(fx *f)
{
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-01T11:00:00Z", 0), BT_OK);
}

static void in_dir(fx *f, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", f->dir, name);
}

static int exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

/* The number of entries in f->dir: no temporary file left behind. */
static int entries(fx *f)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "exit $(ls -A '%s' | wc -l)", f->dir);
	int st = system(cmd);
	return WEXITSTATUS(st);
}

static int64_t events(bt_db *db)
{
	bt_audit_report a;
	bt_err e;
	assert_int_equal(bt_audit_verify(db, &a, &e), BT_OK);
	assert_int_equal(a.first_bad, 0);
	return a.events;
}

static void backup_then_restore_gives_it_back(void **state)
{
	fx *f = *state;
	history(f);
	char dest[160];
	in_dir(f, "b.db", dest, sizeof dest);
	bt_check_report r;
	assert_int_equal(bt_backup(f->db, dest, 0, "FILE", &r, &f->e), BT_OK);
	assert_true(bt_check_passed(&r));
	assert_string_equal(r.integrity, "ok");
	assert_string_equal(r.foreign_keys, "ok");
	assert_string_equal(r.chain, "ok");
	assert_int_equal(r.audit.events, 7);
	struct stat st;
	assert_int_equal(stat(dest, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* one self-contained file: no -wal beside it */
	char side[180];
	snprintf(side, sizeof side, "%s-wal", dest);
	assert_false(exists(side));
	char *at_backup = dump_db(f->path);
	char *copy = dump_db(dest);
	assert_string_equal(copy, at_backup);
	bt_audit_report a;
	assert_int_equal(bt_audit_verify(f->db, &a, &f->e), BT_OK);
	char head_at_backup[65];
	snprintf(head_at_backup, sizeof head_at_backup, "%s", a.head);
	assert_string_equal(r.audit.head, head_at_backup);

	/* more happens after the backup */
	assert_int_equal(fx_reply(f, "205", "DEU", BT_AUTHORIZE, "2020-02-02T10:00:00Z", 0), BT_OK);
	assert_int_equal(events(f->db), 8);
	char *later = dump_db(f->path);
	assert_string_not_equal(later, at_backup);

	bt_restore_info info;
	assert_int_equal(bt_restore(f->path, dest, "FILE", &r, &info, &f->e), BT_OK);
	assert_true(bt_check_passed(&r));
	assert_int_equal(info.created, 0);
	assert_int_equal(info.old_events, 8);
	assert_int_not_equal(strcmp(info.old_head, head_at_backup), 0);
	assert_int_equal(info.from_version, bt_db_schema_version(f->db));
	char *restored = dump_db(f->path);
	assert_string_equal(restored, at_backup);
	/* the open connection sees the restored database */
	assert_int_equal(events(f->db), 7);
	/* the backup itself is untouched */
	char *copy_after = dump_db(dest);
	assert_string_equal(copy_after, copy);
	/* and the database takes changes again */
	assert_int_equal(fx_reply(f, "205", "DEU", BT_AUTHORIZE, "2020-02-02T10:00:00Z", 0), BT_OK);
	assert_int_equal(events(f->db), 8);
	free(at_backup);
	free(copy);
	free(later);
	free(restored);
	free(copy_after);
}

static void restore_into_a_new_path_links_the_copy(void **state)
{
	fx *f = *state;
	history(f);
	char dest[160], fresh[160];
	in_dir(f, "b.db", dest, sizeof dest);
	in_dir(f, "new.db", fresh, sizeof fresh);
	bt_check_report r;
	bt_restore_info info;
	assert_int_equal(bt_backup(f->db, dest, 0, "FILE", &r, &f->e), BT_OK);
	assert_int_equal(bt_restore(fresh, dest, "FILE", &r, &info, &f->e), BT_OK);
	assert_int_equal(info.created, 1);
	assert_int_equal(info.old_events, 0);
	assert_string_equal(info.old_head, "");
	struct stat st;
	assert_int_equal(stat(fresh, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *a = dump_db(f->path), *b = dump_db(fresh);
	assert_string_equal(b, a);
	free(a);
	free(b);
	bt_db *n;
	assert_int_equal(bt_db_open(fresh, 0, &n, &f->e), BT_OK);
	assert_int_equal(events(n), 7);
	char w[320];
	assert_int_equal(bt_db_witness(n, w, sizeof w), 1);
	bt_db_close(n);
}

static void backup_refuses_bad_destinations(void **state)
{
	fx *f = *state;
	history(f);
	char dest[160], side[180];
	bt_check_report r;
	in_dir(f, "b.db", dest, sizeof dest);
	int before = entries(f);
	char *db_before = dump_db(f->path);

	assert_int_equal(bt_backup(f->db, "", 0, "FILE", &r, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "FILE: empty file name");

	assert_int_equal(bt_backup(f->db, f->dir, 1, "FILE", &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "FILE: '"));
	assert_non_null(strstr(f->e.msg, "' is a directory"));

	assert_int_equal(bt_backup(f->db, f->path, 1, "FILE", &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is the database itself"));

	char missing[180];
	in_dir(f, "no/such/b.db", missing, sizeof missing);
	assert_int_equal(bt_backup(f->db, missing, 0, "FILE", &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "FILE: "));
	assert_non_null(strstr(f->e.msg, "cannot write in '"));
	assert_non_null(strstr(f->e.msg, "/no/such': no such file"));
	assert_int_equal(entries(f), before);

	/* an existing file: kept without force */
	FILE *fp = fopen(dest, "w");
	fputs("precious\n", fp);
	fclose(fp);
	assert_int_equal(bt_backup(f->db, dest, 0, "FILE", &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "exists ({force} replaces it)"));
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_file_read(dest, "x", 1024, &b, &f->e), BT_OK);
	assert_string_equal(bt_buf_str(&b), "precious\n");
	/* nor with force while a -wal or -journal is beside it */
	snprintf(side, sizeof side, "%s-journal", dest);
	fp = fopen(side, "w");
	fclose(fp);
	assert_int_equal(bt_backup(f->db, dest, 1, "FILE", &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "has a -wal or -journal file beside it"));
	assert_int_equal(bt_file_read(dest, "x", 1024, &b, &f->e), BT_OK);
	assert_string_equal(bt_buf_str(&b), "precious\n");
	unlink(side);
	before = entries(f);
	/* with force it is replaced by the backup */
	assert_int_equal(bt_backup(f->db, dest, 1, "FILE", &r, &f->e), BT_OK);
	char *copy = dump_db(dest);
	assert_string_equal(copy, db_before);
	assert_int_equal(entries(f), before);
	free(copy);
	/* a symbolic link is not followed */
	char link[160];
	in_dir(f, "l.db", link, sizeof link);
	assert_int_equal(symlink(dest, link), 0);
	assert_int_equal(bt_backup(f->db, link, 1, "FILE", &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is not a regular file"));

	char *db_after = dump_db(f->path);
	assert_string_equal(db_after, db_before);
	free(db_before);
	free(db_after);
	bt_buf_release(&b);
}

static void backup_of_a_damaged_database_is_refused(void **state)
{
	fx *f = *state;
	history(f);
	db_exec(f->path, "DROP TRIGGER replies_append_only_u;"
			 "UPDATE replies SET choice = 'authorize' WHERE member = 'CHE'");
	char dest[160];
	in_dir(f, "b.db", dest, sizeof dest);
	int before = entries(f);
	bt_check_report r;
	assert_int_equal(bt_backup(f->db, dest, 0, "FILE", &r, &f->e), BT_EFAIL);
	assert_non_null(strstr(f->e.msg, "FILE: the copy fails event chain: event 6: "));
	assert_false(r.chain_ok);
	assert_int_equal(r.audit.first_bad, 6);
	assert_false(exists(dest));
	assert_int_equal(entries(f), before);
}

/* Each refused source: BT_EINPUT naming the field and the file, and the
 * database at the path is exactly as it was. */
static void refused(fx *f, const char *src, const char *what)
{
	char *before = dump_db(f->path);
	int n = entries(f);
	bt_check_report r;
	bt_restore_info info;
	assert_int_equal(bt_restore(f->path, src, "FILE", &r, &info, &f->e), BT_EINPUT);
	if (!strstr(f->e.msg, "FILE: ") || !strstr(f->e.msg, what))
		fail_msg("restore of %s: '%s' lacks '%s'", src, f->e.msg, what);
	if (*src && !strstr(f->e.msg, src))
		fail_msg("restore: '%s' does not name %s", f->e.msg, src);
	char *after = dump_db(f->path);
	assert_string_equal(after, before);
	assert_int_equal(entries(f), n);
	free(before);
	free(after);
}

static void restore_refuses_bad_sources(void **state)
{
	fx *f = *state;
	history(f);
	char p[160], q[160];
	bt_check_report r;

	refused(f, "", "empty file name");
	in_dir(f, "missing.db", p, sizeof p);
	refused(f, p, "no such file");
	refused(f, f->dir, "is not a regular file");
	refused(f, f->path, "is the database itself");

	in_dir(f, "text.db", p, sizeof p);
	FILE *fp = fopen(p, "w");
	for (int i = 0; i < 200; i++)
		fputs("this is not a database at all\n", fp);
	fclose(fp);
	refused(f, p, "is not an SQLite database");

	in_dir(f, "other.db", p, sizeof p);
	db_exec(p, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
	refused(f, p, "is not a ballot database (application_id 0)");

	/* a backup from a newer ballot */
	in_dir(f, "newer.db", q, sizeof q);
	assert_int_equal(bt_backup(f->db, q, 0, "FILE", &r, &f->e), BT_OK);
	db_exec(q, "PRAGMA user_version = 999");
	refused(f, q, "has schema version 999, newer than this ballot");

	/* a backup whose reply was changed behind the engine's back */
	in_dir(f, "edited.db", q, sizeof q);
	assert_int_equal(bt_backup(f->db, q, 0, "FILE", &r, &f->e), BT_OK);
	db_exec(q, "DROP TRIGGER replies_append_only_u;"
		   "UPDATE replies SET choice = 'authorize' WHERE member = 'CHE'");
	refused(f, q, "fails event chain: event 6");

	/* an edited event */
	in_dir(f, "event.db", q, sizeof q);
	assert_int_equal(bt_backup(f->db, q, 0, "FILE", &r, &f->e), BT_OK);
	db_exec(q, "DROP TRIGGER events_append_only_u;"
		   "UPDATE events SET body = replace(body, '\"group\":11', '\"group\":12') WHERE seq = 4");
	refused(f, q, "fails event chain: event 4");

	/* cut short */
	in_dir(f, "cut.db", q, sizeof q);
	assert_int_equal(bt_backup(f->db, q, 0, "FILE", &r, &f->e), BT_OK);
	assert_int_equal(truncate(q, 8192), 0);
	refused(f, q, "fails integrity_check");
}

static void check_names_the_failed_check(void **state)
{
	fx *f = *state;
	history(f);
	bt_check_report r;
	char what[400];
	assert_int_equal(bt_db_check(f->db, &r, &f->e), BT_OK);
	assert_true(bt_check_passed(&r));
	bt_check_first_problem(&r, what, sizeof what);
	assert_string_equal(what, "");
	assert_int_equal(r.audit.events, 7);
	assert_int_equal(strlen(r.audit.head), 64);

	assert_int_equal(bt_db_check_path(f->path, &r, &f->e), BT_OK);
	assert_true(bt_check_passed(&r));

	/* a dangling reference */
	db_exec(f->path, "DROP TRIGGER replies_append_only_u;"
			 "UPDATE replies SET draft_id = 4242 WHERE member = 'FRA'");
	assert_int_equal(bt_db_check(f->db, &r, &f->e), BT_OK);
	assert_false(bt_check_passed(&r));
	assert_true(r.integrity_ok);
	assert_false(r.foreign_keys_ok);
	assert_non_null(strstr(r.foreign_keys, "replies row"));
	assert_non_null(strstr(r.foreign_keys, "refers to a missing drafts row"));
	bt_check_first_problem(&r, what, sizeof what);
	assert_int_equal(strncmp(what, "foreign_key_check: replies row", 30), 0);
}

static void check_of_a_broken_chain(void **state)
{
	fx *f = *state;
	history(f);
	db_exec(f->path, "DROP TRIGGER events_append_only_u;"
			 "UPDATE events SET body = replace(body, 'FRA', 'DEU') WHERE seq = 7");
	bt_check_report r;
	char what[400];
	assert_int_equal(bt_db_check(f->db, &r, &f->e), BT_OK);
	assert_true(r.integrity_ok);
	assert_true(r.foreign_keys_ok);
	assert_false(r.chain_ok);
	assert_int_equal(r.audit.first_bad, 7);
	bt_check_first_problem(&r, what, sizeof what);
	assert_int_equal(strncmp(what, "event chain: event 7: ", 22), 0);
}

static void check_path_refuses_what_is_not_a_database(void **state)
{
	fx *f = *state;
	bt_check_report r;
	char p[160];
	in_dir(f, "missing.db", p, sizeof p);
	assert_int_equal(bt_db_check_path(p, &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "db: no database at '"));
	assert_int_equal(bt_db_check_path("", &r, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "db: empty path");
	assert_int_equal(bt_db_check_path(f->dir, &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "is not a regular file"));
	in_dir(f, "other.db", p, sizeof p);
	db_exec(p, "CREATE TABLE t(x)");
	assert_int_equal(bt_db_check_path(p, &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "db: '"));
	assert_non_null(strstr(f->e.msg, "is not a ballot database"));

	/* a truncated ballot database is damage, reported, not refused */
	char dest[160];
	in_dir(f, "b.db", dest, sizeof dest);
	assert_int_equal(bt_backup(f->db, dest, 0, "FILE", &r, &f->e), BT_OK);
	assert_int_equal(truncate(dest, 4096), 0);
	assert_int_equal(bt_db_check_path(dest, &r, &f->e), BT_OK);
	assert_false(bt_check_passed(&r));
	assert_false(r.integrity_ok);
	char what[400];
	bt_check_first_problem(&r, what, sizeof what);
	assert_int_equal(strncmp(what, "integrity_check: ", 17), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(backup_then_restore_gives_it_back, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(restore_into_a_new_path_links_the_copy, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(backup_refuses_bad_destinations, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(backup_of_a_damaged_database_is_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(restore_refuses_bad_sources, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(check_names_the_failed_check, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(check_of_a_broken_chain, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(check_path_refuses_what_is_not_a_database, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
