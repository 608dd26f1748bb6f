/* test_buf.c - the capped buffer and the file helpers (buf.c): the cap is
 * exact, a failed append releases the buffer and sticks; files are read
 * whole or refused by name, written whole or not at all; output names
 * cannot leave their directory. */
#include <sys/stat.h>
#include "fixture.h"

typedef struct tdir {
	char dir[64];
	bt_err e;
} tdir;

static int td_setup(void **state)
{
	tdir *t = calloc(1, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/ballot-unit-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	*state = t;
	return 0;
}

static int td_teardown(void **state)
{
	tdir *t = *state;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	int rc = system(cmd);
	free(t);
	return rc ? -1 : 0;
}

static int entries(const char *dir)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "exit $(ls -A '%s' | wc -l)", dir);
	int st = system(cmd);
	return WEXITSTATUS(st);
}

static void buffer_cap_is_exact(void **state)
{
	(void)state;
	bt_buf b;
	bt_buf_init(&b, 8);
	assert_string_equal(bt_buf_str(&b), "");
	assert_null(b.data);
	assert_int_equal(bt_buf_adds(&b, "abcd"), 0);
	assert_int_equal(bt_buf_addf(&b, "%d%c", 12, 'x'), 0);
	assert_int_equal(bt_buf_addc(&b, 'y'), 0);
	assert_int_equal(b.len, 8); /* at the cap: fine */
	assert_string_equal(bt_buf_str(&b), "abcd12xy");
	/* one byte more: released, failed, and it stays failed */
	assert_int_equal(bt_buf_addc(&b, 'z'), -1);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.failed, 1);
	assert_string_equal(bt_buf_str(&b), "");
	assert_int_equal(bt_buf_add(&b, "", 0), -1);
	assert_int_equal(bt_buf_adds(&b, "a"), -1);
	assert_int_equal(bt_buf_addf(&b, "%s", ""), -1);
	/* reset: usable again, same cap */
	bt_buf_reset(&b);
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.max, 8);
	assert_int_equal(bt_buf_adds(&b, "12345678"), 0);
	assert_int_equal(bt_buf_adds(&b, "9"), -1);
	bt_buf_reset(&b);
	assert_int_equal(bt_buf_addf(&b, "%s", "123456789"), -1);
	assert_int_equal(b.len, 0);
	bt_buf_release(&b);
	/* a huge add does not wrap around */
	bt_buf_init(&b, 0);
	assert_int_equal(b.max, BT_BUF_DEFAULT_MAX);
	assert_int_equal(bt_buf_adds(&b, "x"), 0);
	assert_int_equal(bt_buf_add(&b, "", (size_t)-1), -1);
	assert_int_equal(b.failed, 1);
	bt_buf_release(&b);
	assert_int_equal(b.failed, 0);
}

static void buffer_bytes_and_ownership(void **state)
{
	(void)state;
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4); /* NUL-terminated after the bytes */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(bt_buf_addf(&b, "%04d", i), 0);
	assert_int_equal(b.len, 4003);
	assert_memory_equal(b.data + 3, "00000001", 8);
	assert_string_equal(b.data + 3 + 4 * 999, "0999");
	size_t len = 0;
	char *p = bt_buf_detach(&b, &len);
	assert_int_equal(len, 4003);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(p + 4000, "999");
	free(p);
	/* an empty buffer detaches as an empty heap string */
	p = bt_buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	assert_int_equal(bt_buf_adds(&b, "again"), 0);
	bt_buf_reset(&b);
	assert_non_null(b.data);
	assert_string_equal(bt_buf_str(&b), "");
	bt_buf_release(&b);
}

static void write_then_read(void **state)
{
	tdir *t = *state;
	char p[200];
	snprintf(p, sizeof p, "%s/out.bin", t->dir);
	static const char data[] = "line\n\0binary\xff";
	assert_int_equal(bt_file_write(p, "out", data, sizeof data, &t->e), BT_OK);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, sizeof data);
	mode_t mask = umask(0);
	umask(mask);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_file_read(p, "FILE", 1024, &b, &t->e), BT_OK);
	assert_int_equal(b.len, sizeof data);
	assert_memory_equal(b.data, data, sizeof data);
	assert_int_equal(b.max, 1024);
	/* replaced whole */
	assert_int_equal(bt_file_write(p, "out", "new", 3, &t->e), BT_OK);
	assert_int_equal(bt_file_read(p, "FILE", 3, &b, &t->e), BT_OK); /* exactly at the limit */
	assert_string_equal(bt_buf_str(&b), "new");
	assert_int_equal(entries(t->dir), 1); /* no temporary file left */
	/* an empty file */
	assert_int_equal(bt_file_write(p, "out", "", 0, &t->e), BT_OK);
	assert_int_equal(bt_file_read(p, "FILE", 10, &b, &t->e), BT_OK);
	assert_int_equal(b.len, 0);
	bt_buf_release(&b);
}

static void read_refusals(void **state)
{
	tdir *t = *state;
	char p[200], want[400];
	bt_buf b = BT_BUF_INIT;
	bt_buf_adds(&b, "old");
	snprintf(p, sizeof p, "%s/missing", t->dir);
	assert_int_equal(bt_file_read(p, "attach", 100, &b, &t->e), BT_EINPUT);
	snprintf(want, sizeof want, "attach: '%s': no such file", p);
	assert_string_equal(t->e.msg, want);
	assert_int_equal(b.len, 0); /* the old contents are gone */
	snprintf(p, sizeof p, "%s/missing/below", t->dir);
	assert_int_equal(bt_file_read(p, "attach", 100, &b, &t->e), BT_EINPUT);
	assert_non_null(strstr(t->e.msg, "no such file"));
	assert_int_equal(bt_file_read(t->dir, "attach", 100, &b, &t->e), BT_EINPUT);
	snprintf(want, sizeof want, "attach: '%s' is not a regular file", t->dir);
	assert_string_equal(t->e.msg, want);
	/* a FIFO is refused, never opened (the open would block) */
	snprintf(p, sizeof p, "%s/fifo", t->dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(bt_file_read(p, "attach", 100, &b, &t->e), BT_EINPUT);
	assert_non_null(strstr(t->e.msg, "' is not a regular file"));
	/* over the limit, checked before reading */
	snprintf(p, sizeof p, "%s/big", t->dir);
	assert_int_equal(bt_file_write(p, "x", "0123456789", 10, &t->e), BT_OK);
	assert_int_equal(bt_file_read(p, "attach", 9, &b, &t->e), BT_EINPUT);
	snprintf(want, sizeof want, "attach: '%s' is 10 bytes, over the limit of 9 bytes", p);
	assert_string_equal(t->e.msg, want);
	assert_int_equal(b.len, 0);
	assert_int_equal(bt_file_read(p, "attach", 0, &b, &t->e), BT_EINPUT);
	bt_buf_release(&b);
}

static void write_refusals(void **state)
{
	tdir *t = *state;
	char p[200], want[400];
	snprintf(p, sizeof p, "%s/no/such/out.txt", t->dir);
	assert_int_equal(bt_file_write(p, "out", "x", 1, &t->e), BT_EINPUT);
	snprintf(want, sizeof want, "out: cannot write in '%s/no/such': no such file", t->dir);
	assert_string_equal(t->e.msg, want);
	/* a directory in the way */
	snprintf(p, sizeof p, "%s/sub", t->dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(bt_file_write(p, "out", "x", 1, &t->e), BT_EINPUT);
	assert_non_null(strstr(t->e.msg, "out: cannot write '"));
	assert_int_equal(entries(p), 0);
	assert_int_equal(entries(t->dir), 1); /* the temporary file is gone */

	assert_int_equal(bt_file_writable(p, "out", &t->e), BT_EINPUT);
	snprintf(want, sizeof want, "out: '%s' exists and is not a regular file", p);
	assert_string_equal(t->e.msg, want);
	snprintf(p, sizeof p, "%s/new.txt", t->dir);
	assert_int_equal(bt_file_writable(p, "out", &t->e), BT_OK);
	assert_int_equal(entries(t->dir), 1); /* writes nothing */
	snprintf(p, sizeof p, "%s/none/new.txt", t->dir);
	assert_int_equal(bt_file_writable(p, "out", &t->e), BT_EINPUT);
	snprintf(want, sizeof want, "out: '%s/none' is not a directory", t->dir);
	assert_string_equal(t->e.msg, want);
	assert_int_equal(bt_file_writable("", "out", &t->e), BT_EINPUT);
	assert_string_equal(t->e.msg, "out: '' is not a file name");
	snprintf(p, sizeof p, "%s/", t->dir);
	assert_int_equal(bt_file_writable(p, "out", &t->e), BT_EINPUT);
	assert_non_null(strstr(t->e.msg, "is not a file name"));
}

static void names_inside_a_directory(void **state)
{
	tdir *t = *state;
	static const char *good[] = { "205", "Q.5051", "x-y_z", "annex2-205-CHE.pdf" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(bt_file_name_check(good[i], "circular", &t->e), BT_OK);
	static const char *bad[] = { "", "a/b", "a\\b", "..", "a..b", ".hidden", "/abs", "a\nb", "a\tb" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(bt_file_name_check(bad[i], "circular", &t->e), BT_EINPUT);
		assert_int_equal(strncmp(t->e.msg, "circular: '", 11), 0);
		assert_non_null(strstr(t->e.msg, "' cannot name a file inside the output directory"));
	}
	assert_int_equal(bt_file_name_check("a\nb", "circular", &t->e), BT_EINPUT);
	assert_non_null(strstr(t->e.msg, "'(unprintable)'"));
	assert_int_equal(bt_file_name_check(NULL, "rec", &t->e), BT_EINPUT);
}

static void directories_made_and_undone(void **state)
{
	tdir *t = *state;
	char p[200], q[200], want[400];
	snprintf(p, sizeof p, "%s/a/b/c", t->dir);
	assert_int_equal(bt_dir_make(p, "out", &t->e), BT_OK);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(bt_dir_make(p, "out", &t->e), BT_OK); /* already there */
	/* a file written in b keeps b (and a) when undone */
	snprintf(q, sizeof q, "%s/a/b/keep.txt", t->dir);
	assert_int_equal(bt_file_write(q, "x", "k", 1, &t->e), BT_OK);
	bt_dir_undo();
	assert_int_not_equal(stat(p, &st), 0); /* c was empty: removed */
	assert_int_equal(stat(q, &st), 0);
	/* undo forgets: a second undo removes nothing more */
	assert_int_equal(unlink(q), 0);
	bt_dir_undo();
	snprintf(q, sizeof q, "%s/a/b", t->dir);
	assert_int_equal(stat(q, &st), 0);

	assert_int_equal(bt_dir_make("", "out", &t->e), BT_EINPUT);
	assert_string_equal(t->e.msg, "out: '' is not a directory");
	/* through a file */
	snprintf(q, sizeof q, "%s/file", t->dir);
	assert_int_equal(bt_file_write(q, "x", "f", 1, &t->e), BT_OK);
	snprintf(p, sizeof p, "%s/file/sub", t->dir);
	assert_int_equal(bt_dir_make(p, "out", &t->e), BT_EINPUT);
	snprintf(want, sizeof want, "out: '%s/file' is not a directory", t->dir);
	if (strcmp(t->e.msg, want) && !strstr(t->e.msg, "out: cannot create '"))
		fail_msg("%s", t->e.msg);
	assert_non_null(strstr(t->e.msg, "/file"));
	bt_dir_undo();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buffer_cap_is_exact),
		cmocka_unit_test(buffer_bytes_and_ownership),
		cmocka_unit_test_setup_teardown(write_then_read, td_setup, td_teardown),
		cmocka_unit_test_setup_teardown(read_refusals, td_setup, td_teardown),
		cmocka_unit_test_setup_teardown(write_refusals, td_setup, td_teardown),
		cmocka_unit_test_setup_teardown(names_inside_a_directory, td_setup, td_teardown),
		cmocka_unit_test_setup_teardown(directories_made_and_undone, td_setup, td_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
