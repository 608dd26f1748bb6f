/* test_draft_text.c - a draft's text kept with it (draft_text.c): given
 * back byte for byte, refused over the cap and when empty (nothing stored),
 * missing for a draft without one, refused when the stored bytes no longer
 * hash to the draft's SHA-256, and flagged by the audit then. */
#include "dump.h"

static bt_draft_spec spec(const char *rec, const void *text, size_t len)
{
	bt_draft_spec d = { 0 };
	d.circular = "205";
	d.rec = rec;
	d.title = "A title";
	d.summary = "A summary.";
	d.text = text;
	d.text_len = len;
	return d;
}

static int add(fx *f, const bt_draft_spec *d)
{
	return bt_draft_add(f->db, d, "test", T("2019-12-03T09:00:00Z"), NULL, &f->e);
}

static void text_given_back(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL); /* Q.5051, no text */
	static const char bytes[] = "line one\n\0binary\xff tail";
	bt_draft_spec s = spec("Q.5052", bytes, sizeof bytes);
	assert_int_equal(add(f, &s), BT_OK);
	bt_buf out = BT_BUF_INIT;
	char sha[65], want[65];
	assert_int_equal(bt_draft_text_get(f->db, "205", "Q.5052", &out, sha, &f->e), BT_OK);
	assert_int_equal(out.len, sizeof bytes);
	assert_memory_equal(out.data, bytes, sizeof bytes);
	bt_sha256_hex(bytes, sizeof bytes, want);
	assert_string_equal(sha, want);
	bt_draft d;
	int64_t size;
	assert_int_equal(bt_draft_find(f->db, "205", "Q.5052", &d, &f->e), BT_OK);
	assert_int_equal(bt_draft_text_size(f->db, &d, &size, &f->e), BT_OK);
	assert_int_equal(size, (int64_t)sizeof bytes);
	bt_draft_clear(&d);
	/* the draft without a text: not found, and no size */
	bt_buf_reset(&out);
	assert_int_equal(bt_draft_text_get(f->db, "205", "Q.5051", &out, NULL, &f->e), BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_NOT_FOUND);
	assert_string_equal(f->e.field, "draft");
	assert_int_equal(out.len, 0);
	assert_int_equal(bt_draft_find(f->db, "205", "Q.5051", &d, &f->e), BT_OK);
	assert_int_equal(bt_draft_text_size(f->db, &d, &size, &f->e), BT_OK);
	assert_int_equal(size, -1);
	bt_draft_clear(&d);
	/* an unknown draft */
	assert_int_equal(bt_draft_text_get(f->db, "205", "Q.9999", &out, NULL, &f->e), BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_NOT_FOUND);
	bt_buf_release(&out);
}

static void too_large_or_empty_is_refused(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	size_t n = BT_DRAFT_TEXT_MAX + 1;
	char *big = calloc(1, n);
	assert_non_null(big);
	char *before = dump_db(f->path);
	bt_draft_spec s = spec("Q.5052", big, n);
	assert_int_equal(add(f, &s), BT_EINPUT);
	assert_string_equal(f->e.field, "text");
	assert_non_null(strstr(f->e.msg, "16777217 bytes"));
	s.text_len = 0;
	assert_int_equal(add(f, &s), BT_EINPUT);
	assert_string_equal(f->e.field, "text");
	char *after = dump_db(f->path);
	assert_string_equal(before, after);
	/* the cap itself is accepted */
	s.text_len = BT_DRAFT_TEXT_MAX;
	assert_int_equal(add(f, &s), BT_OK);
	free(before);
	free(after);
	free(big);
}

static void changed_text_is_refused_and_audited(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_spec s = spec("Q.5052", "the text", 8);
	assert_int_equal(add(f, &s), BT_OK);
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
	/* behind the engine's back: the trigger dropped, the bytes changed */
	sqlite3 *h;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "DROP TRIGGER draft_texts_append_only_u;"
				      "UPDATE draft_texts SET content = CAST('the test' AS BLOB);", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(h);
	bt_buf out = BT_BUF_INIT;
	assert_int_equal(bt_draft_text_get(f->db, "205", "Q.5052", &out, NULL, &f->e), BT_EFAIL);
	assert_int_equal(f->e.reason, BT_R_DAMAGED);
	assert_int_equal(out.len, 0);
	bt_buf_release(&out);
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_true(r.first_bad > 0);
	assert_non_null(strstr(r.problem, "draft's text"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(text_given_back, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(too_large_or_empty_is_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(changed_text_is_refused_and_audited, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
