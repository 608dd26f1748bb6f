/* test_import_check.c - the dry run of a reply import (reply_import.c,
 * bt_reply_import_check): it says what the import would record and records
 * nothing; it refuses what the import refuses, naming the line; the import
 * of the same file then records what the dry run said. */
#include "dump.h"

static void write_tsv(fx *f, const char *name, const char *text, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", f->dir, name);
	bt_err e;
	assert_int_equal(bt_file_write(path, "test", text, strlen(text), &e), BT_OK);
}

static void dry_run_records_nothing(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	char path[256];
	write_tsv(f, "ok.tsv",
		  "member\tdraft\tchoice\treceived\tchannel\tattachment\n"
		  "AUS\tQ.5051\tauthorize\t2020-01-15T09:12:00Z\temail\t\n"
		  "BRA\tQ.5051\tnot-authorize\t2020-01-20T14:30:00Z\tfax\t\n"
		  "AUS\tQ.5051\tauthorize\t2020-01-16T09:12:00Z\temail\t\n",
		  path, sizeof path);
	char *before = dump_db(f->path);
	bt_import_stats dry, real;
	assert_int_equal(bt_reply_import_check(f->db, "205", path, NULL, "test", T("2020-02-01T00:00:00Z"), 0, &dry,
					       &f->e), BT_OK);
	char *after = dump_db(f->path);
	assert_string_equal(before, after);
	assert_int_equal(dry.recorded, 3);
	assert_int_equal(dry.without_reasons, 1);
	assert_int_equal(dry.supersedes, 1);
	/* twice: the same answer (nothing was kept of the first) */
	bt_import_stats again;
	assert_int_equal(bt_reply_import_check(f->db, "205", path, NULL, "test", T("2020-02-01T00:00:00Z"), 0, &again,
					       &f->e), BT_OK);
	assert_int_equal(again.first_event, dry.first_event);
	assert_int_equal(bt_reply_import_from(f->db, "205", path, NULL, "test", T("2020-02-01T00:00:00Z"), 0, &real,
					      &f->e), BT_OK);
	assert_int_equal(real.recorded, dry.recorded);
	assert_int_equal(real.first_event, dry.first_event);
	assert_int_equal(real.last_event, dry.last_event);
	free(before);
	free(after);
}

static void dry_run_refuses_as_the_import(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	char path[256];
	write_tsv(f, "bad.tsv",
		  "member\tdraft\tchoice\treceived\tchannel\tattachment\n"
		  "AUS\tQ.5051\tauthorize\t2020-01-15T09:12:00Z\temail\t\n"
		  "BRA\tQ.5051\tauthorize\t2020-01-20T14:30:00Z\tpigeon\t\n",
		  path, sizeof path);
	char *before = dump_db(f->path);
	bt_import_stats st;
	assert_int_equal(bt_reply_import_check(f->db, "205", path, NULL, "test", T("2020-02-01T00:00:00Z"), 0, &st,
					       &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "import");
	assert_non_null(strstr(f->e.msg, "import line 3: channel"));
	assert_int_equal(st.recorded, 0);
	char *after = dump_db(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dry_run_records_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(dry_run_refuses_as_the_import, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
