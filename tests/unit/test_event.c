/* test_event.c - the event log's writer (event.c): the canonical body,
 * the chain hash and the consultation's own chain (cprev), the actor check
 * before anything is written, and the clock that never goes back. The
 * functions are engine-internal: includes store/store.h. */
#include "dump.h"
#include "store/store.h"

typedef struct ev_row {
	int64_t seq;
	char kind[32], circular[40], prev[65], hash[65];
	char body[2048];
} ev_row;

static ev_row read_event(fx *f, int64_t seq)
{
	ev_row r;
	memset(&r, 0, sizeof r);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db->h,
					    "SELECT seq, kind, circular, prev_hash, hash, body FROM events WHERE seq = ?",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	r.seq = sqlite3_column_int64(st, 0);
	snprintf(r.kind, sizeof r.kind, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(r.circular, sizeof r.circular, "%s",
		 sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
	snprintf(r.prev, sizeof r.prev, "%s", (const char *)sqlite3_column_text(st, 3));
	snprintf(r.hash, sizeof r.hash, "%s", (const char *)sqlite3_column_text(st, 4));
	snprintf(r.body, sizeof r.body, "%s", (const char *)sqlite3_column_text(st, 5));
	sqlite3_finalize(st);
	return r;
}

static void chain_hash(const char *prev, const char *body, char out[65])
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addf(&b, "%s\n%s", prev, body);
	bt_sha256_hex(b.data, b.len, out);
	bt_buf_release(&b);
}

static void canonical_bodies(void **state)
{
	(void)state;
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(event_render(&b, 7, T("2020-02-01T10:00:00Z"), "clerk", "reply", "205", ZERO_HASH,
				      "\"member\":\"CHE\""), 0);
	assert_string_equal(b.data, "{\"seq\":7,\"at\":\"2020-02-01T10:00:00Z\",\"actor\":\"clerk\",\"kind\":\"reply\","
				    "\"circular\":\"205\",\"cprev\":\"" ZERO_HASH "\",\"member\":\"CHE\"}");
	bt_buf_reset(&b);
	/* no circular: null, and no cprev; no payload */
	assert_int_equal(event_render(&b, 1, 0, "a\"b", "init", NULL, ZERO_HASH, ""), 0);
	assert_string_equal(b.data, "{\"seq\":1,\"at\":\"1970-01-01T00:00:00Z\",\"actor\":\"a\\\"b\",\"kind\":\"init\","
				    "\"circular\":null}");
	bt_buf_reset(&b);
	assert_int_equal(event_render(&b, 2, 0, "x", "k", "205", NULL, NULL), 0);
	assert_string_equal(b.data, "{\"seq\":2,\"at\":\"1970-01-01T00:00:00Z\",\"actor\":\"x\",\"kind\":\"k\",\"circular\":\"205\"}");
	bt_buf_release(&b);
}

static void appended_events_chain(void **state)
{
	fx *f = *state;
	int64_t last;
	char last_hash[65];
	assert_int_equal(event_last(f->db, &last, last_hash, &f->e), BT_OK);
	assert_int_equal(last, 3);
	assert_int_equal(db_begin(f->db, &f->e), BT_OK);
	assert_int_equal(event_append(f->db, "test-a", "205", "clerk", T("2020-01-01T00:00:00Z"), "\"n\":1", &f->e),
			 BT_OK);
	assert_int_equal(event_append(f->db, "test-b", NULL, "clerk", T("2020-01-02T00:00:00Z"), "", &f->e), BT_OK);
	event_slot slot;
	assert_int_equal(event_reserve(f->db, "chair", &slot, &f->e), BT_OK);
	assert_int_equal(slot.seq, 6);
	char h6[65];
	bt_buf body = BT_BUF_INIT;
	assert_int_equal(event_write(f->db, &slot, "test-c", "205", T("2020-01-03T00:00:00Z"), "\"n\":3", h6, &body,
				     &f->e), BT_OK);

	ev_row a = read_event(f, 4), b = read_event(f, 5), c = read_event(f, 6);
	/* each links to the one before and hashes its body */
	assert_string_equal(a.prev, last_hash);
	assert_string_equal(b.prev, a.hash);
	assert_string_equal(c.prev, b.hash);
	char h[65];
	chain_hash(a.prev, a.body, h);
	assert_string_equal(a.hash, h);
	chain_hash(c.prev, c.body, h);
	assert_string_equal(c.hash, h);
	assert_string_equal(h6, c.hash);
	assert_string_equal(bt_buf_str(&body), c.body);
	/* the consultation's own chain: its first event names 64 zeros, the
	 * next names the previous event of the same circular, not event 5 */
	bt_buf want = BT_BUF_INIT;
	event_render(&want, 4, T("2020-01-01T00:00:00Z"), "clerk", "test-a", "205", ZERO_HASH, "\"n\":1");
	assert_string_equal(a.body, want.data);
	bt_buf_reset(&want);
	event_render(&want, 6, T("2020-01-03T00:00:00Z"), "chair", "test-c", "205", a.hash, "\"n\":3");
	assert_string_equal(c.body, want.data);
	assert_string_equal(b.circular, "");
	assert_null(strstr(b.body, "cprev"));
	char cp[65];
	assert_int_equal(event_cprev(f->db, "205", 6, cp, &f->e), BT_OK);
	assert_string_equal(cp, a.hash);
	assert_int_equal(event_cprev(f->db, "205", 4, cp, &f->e), BT_OK);
	assert_string_equal(cp, ZERO_HASH);
	assert_int_equal(event_cprev(f->db, "999", 7, cp, &f->e), BT_OK);
	assert_string_equal(cp, ZERO_HASH);
	assert_int_equal(event_last(f->db, &last, h, &f->e), BT_OK);
	assert_int_equal(last, 6);
	assert_string_equal(h, c.hash);
	/* rolled back: gone */
	db_rollback(f->db);
	assert_int_equal(event_last(f->db, &last, h, &f->e), BT_OK);
	assert_int_equal(last, 3);
	assert_string_equal(h, last_hash);
	bt_buf_release(&want);
	bt_buf_release(&body);
}

static void actors_are_checked_first(void **state)
{
	fx *f = *state;
	event_slot slot;
	char longname[202];
	memset(longname, 'a', 201);
	longname[201] = '\0';
	static const char *bad[] = { "", "tab\there", "nl\n", "\xff" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(event_reserve(f->db, bad[i], &slot, &f->e), BT_EINPUT);
		assert_string_equal(f->e.msg, "actor: the actor name is empty, too long, not UTF-8 or has control characters");
	}
	assert_int_equal(event_reserve(f->db, NULL, &slot, &f->e), BT_EINPUT);
	assert_int_equal(event_reserve(f->db, longname, &slot, &f->e), BT_EINPUT);
	longname[200] = '\0';
	assert_int_equal(event_reserve(f->db, longname, &slot, &f->e), BT_OK);
	assert_int_equal(event_reserve(f->db, "a\xe2\x80\x8b" "b", &slot, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "actor: has U+200B, an invisible or bidirectional control character that can disguise a name");
	/* through the public API: refused, nothing written */
	fx_circular(f, "205", NULL, NULL);
	REFUSED(f, bt_setting_set(f->db, "quota_bytes", "1000", "", T("2020-01-01T00:00:00Z"), &f->e), "actor: ");
	bt_reply_spec s = { .circular = "205", .member = "CHE", .choice = BT_AUTHORIZE, .has_received = 1,
			    .received = T("2020-02-01T00:00:00Z") };
	REFUSED(f, bt_reply_record(f->db, &s, "x\x01", T("2020-02-01T00:00:00Z"), NULL, &f->e), "actor: ");
}

static void the_clock_never_goes_back(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL); /* last event at 2019-12-02T09:00:00Z */
	bt_time now = T("2019-11-01T00:00:00Z");
	assert_int_equal(event_clock(f->db, &now, &f->e), BT_OK);
	assert_int_equal(now, T("2019-12-02T09:00:00Z"));
	now = T("2020-01-01T00:00:00Z");
	assert_int_equal(event_clock(f->db, &now, &f->e), BT_OK);
	assert_int_equal(now, T("2020-01-01T00:00:00Z"));
	/* a reply recorded with a clock set back takes the last event's time */
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	bt_reply_spec s = { .circular = "205", .member = "FRA", .choice = BT_AUTHORIZE };
	bt_reply_result r;
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-01-15T00:00:00Z"), &r, &f->e), BT_OK);
	assert_int_equal(r.received, T("2020-02-01T10:00:00Z"));
	ev_row e = read_event(f, r.event_seq);
	assert_non_null(strstr(e.body, "\"at\":\"2020-02-01T10:00:00Z\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_bodies),
		cmocka_unit_test_setup_teardown(appended_events_chain, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(actors_are_checked_first, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_clock_never_goes_back, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
