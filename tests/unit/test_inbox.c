/* test_inbox.c - the mailroom's inbox (include/ballot/inbox.h): entries
 * stored once by SHA-256, read back byte for byte, decided once (accept
 * with its replies in one transaction while the sender is one of the
 * member's contacts, reject with a reason), each decision an event. */
#include "fixture.h"

static bt_inbox_entry entry(const char *body, const char *state)
{
	bt_inbox_entry en;
	memset(&en, 0, sizeof en);
	en.message = (const unsigned char *)body;
	en.message_len = strlen(body);
	bt_sha256_hex(body, strlen(body), en.sha256);
	en.size = (int64_t)strlen(body);
	en.kept = 1;
	en.received_at = T("2020-01-14T10:00:00Z");
	snprintf(en.received_by, sizeof en.received_by, "received");
	snprintf(en.state, sizeof en.state, "%s", state);
	snprintf(en.sender, sizeof en.sender, "a@b.ch");
	snprintf(en.message_id, sizeof en.message_id, "<%s@b.ch>", state);
	if (!strcmp(state, "matched")) {
		snprintf(en.circular, sizeof en.circular, "205");
		snprintf(en.member, sizeof en.member, "CHE");
	}
	return en;
}

static void store_once(void **state)
{
	fx *f = *state;
	bt_inbox_part p = { .name = "form.pdf", .type = "application/pdf", .data = (unsigned char *)"%PDF-1.7 x",
			    .len = 10 };
	bt_inbox_entry en = entry("From: a@b.ch\r\n\r\nhello\r\n", "unmatched");
	en.parts = &p;
	en.nparts = 1;
	int64_t id, again, by_sha, by_id;
	assert_int_equal(bt_inbox_add(f->db, &en, T("2020-01-15T00:00:00Z"), &id, &f->e), BT_OK);
	assert_int_equal(id, 1);
	assert_int_equal(bt_inbox_add(f->db, &en, T("2020-01-15T00:00:00Z"), &again, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "inbox");
	assert_int_equal(bt_inbox_seen(f->db, en.sha256, "<unmatched@b.ch>", &by_sha, &by_id, &f->e), BT_OK);
	assert_int_equal(by_sha, 1);
	assert_int_equal(by_id, 1);
	assert_int_equal(bt_inbox_seen(f->db, "00", "", &by_sha, &by_id, &f->e), BT_OK);
	assert_int_equal(by_sha + by_id, 0);
	bt_inbox_entry got;
	assert_int_equal(bt_inbox_get(f->db, 1, &got, &f->e), BT_OK);
	assert_int_equal(got.message_len, en.message_len);
	assert_memory_equal(got.message, en.message, en.message_len);
	assert_int_equal(got.nparts, 1);
	assert_memory_equal(got.parts[0].data, "%PDF-1.7 x", 10);
	char sha[65];
	bt_sha256_hex("%PDF-1.7 x", 10, sha);
	assert_string_equal(got.parts[0].sha256, sha);
	bt_inbox_entry_free(&got);
	assert_int_equal(bt_inbox_get(f->db, 2, &got, &f->e), BT_EINPUT);
}

static void decide_once(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_inbox_entry a = entry("one", "unmatched"), b = entry("two", "matched");
	int64_t ia, ib;
	assert_int_equal(bt_inbox_add(f->db, &a, T("2020-01-15T00:00:00Z"), &ia, &f->e), BT_OK);
	assert_int_equal(bt_inbox_add(f->db, &b, T("2020-01-15T00:00:00Z"), &ib, &f->e), BT_OK);
	/* a reason of one line of text */
	assert_int_equal(bt_inbox_reject(f->db, ia, "", "test", T("2020-01-16T00:00:00Z"), &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "reason");
	assert_int_equal(bt_inbox_reject(f->db, ia, "a\nb", "test", T("2020-01-16T00:00:00Z"), &f->e), BT_EINPUT);
	/* only a matched entry is accepted; what fails records nothing */
	bt_reply_spec s = { .circular = "205", .member = "CHE", .choice = BT_AUTHORIZE, .has_received = 1,
			    .received = b.received_at, .channel = "email" };
	bt_reply_result r[1];
	assert_int_equal(bt_inbox_accept(f->db, ia, &s, 1, "test", T("2020-01-16T00:00:00Z"), r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "only a matched entry"));
	bt_reply_spec bad = s;
	bad.rec = "Q.9999";
	assert_int_equal(bt_inbox_accept(f->db, ib, &bad, 1, "test", T("2020-01-16T00:00:00Z"), r, &f->e), BT_EINPUT);
	bt_inbox_entry got;
	assert_int_equal(bt_inbox_get(f->db, ib, &got, &f->e), BT_OK);
	assert_string_equal(got.state, "matched"); /* the refused reply left the entry as it was */
	bt_inbox_entry_free(&got);
	/* the sender must be one of the member's contacts when it is accepted */
	assert_int_equal(bt_inbox_accept(f->db, ib, &s, 1, "test", T("2020-01-16T00:00:00Z"), r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "its sender 'a@b.ch' is not a contact of CHE any more"));
	int changed;
	assert_int_equal(bt_contact_set(f->db, "CHE", "A@b.ch", "to", "fr", "", "test", T("2020-01-15T12:00:00Z"),
					&changed, &f->e), BT_OK);
	assert_int_equal(bt_inbox_accept(f->db, ib, &s, 1, "test", T("2020-01-16T00:00:00Z"), r, &f->e), BT_OK);
	assert_int_equal(r[0].received, T("2020-01-14T10:00:00Z"));
	assert_int_equal(bt_inbox_get(f->db, ib, &got, &f->e), BT_OK);
	assert_string_equal(got.state, "accepted");
	assert_int_equal(got.done_seq, r[0].event_seq + 1);
	bt_inbox_entry_free(&got);
	assert_int_equal(bt_inbox_accept(f->db, ib, &s, 1, "test", T("2020-01-16T00:00:00Z"), r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "accepted already"));
	assert_int_equal(bt_inbox_reject(f->db, ia, "not a reply", "test", T("2020-01-16T00:00:00Z"), &f->e), BT_OK);
	assert_int_equal(bt_inbox_reject(f->db, ia, "again", "test", T("2020-01-16T00:00:00Z"), &f->e), BT_EINPUT);
	bt_audit_report rep;
	assert_int_equal(bt_audit_verify(f->db, &rep, &f->e), BT_OK);
	assert_int_equal(rep.first_bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(store_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(decide_once, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
