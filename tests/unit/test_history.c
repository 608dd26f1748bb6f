/* test_history.c - what was recorded, in event order, with each reply's
 * status (history.c): counted, superseded, withdrawn, late; as it stood at
 * an earlier time; one member's; the attachments' bytes. */
#include "dump.h"

static int64_t seq_of(fx *f, const char *member, bt_choice c, const char *received, int attach)
{
	bt_reply_spec s = { 0 };
	bt_attachment_in a = { "reasons.txt", "our reasons", 11 };
	s.circular = "205";
	s.member = member;
	s.choice = c;
	s.has_received = 1;
	s.received = T(received);
	s.channel = "email";
	s.signatory = "A. Signatory";
	if (attach) {
		s.attachments = &a;
		s.n_attachments = 1;
	}
	bt_reply_result r;
	assert_int_equal(bt_reply_record(f->db, &s, "clerk", T(received), &r, &f->e), BT_OK);
	return r.event_seq;
}

/* CHE not-authorize then authorize; FRA authorize; DEU authorize then
 * withdrawn; GBR late; closed; approved. */
static void story(fx *f)
{
	fx_circular(f, "205", NULL, NULL);
	seq_of(f, "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1);
	seq_of(f, "FRA", BT_AUTHORIZE, "2020-02-02T10:00:00Z", 0);
	seq_of(f, "DEU", BT_AUTHORIZE, "2020-02-03T10:00:00Z", 0);
	seq_of(f, "CHE", BT_AUTHORIZE, "2020-02-04T10:00:00Z", 0);
	seq_of(f, "DEU", BT_WITHDRAW, "2020-02-05T10:00:00Z", 0);
	seq_of(f, "GBR", BT_NOT_AUTHORIZE, "2020-02-22T10:00:00Z", 0);
	assert_int_equal(bt_consultation_close(f->db, "205", "secretariat", T("2020-02-23T08:00:00Z"), NULL, &f->e),
			 BT_OK);
	bt_decision_spec d = { .circular = "205", .kind = BT_DECISION_APPROVED };
	assert_int_equal(bt_decide(f->db, &d, "chair", T("2020-03-05T10:00:00Z"), NULL, &f->e), BT_OK);
}

static void every_item_in_event_order(void **state)
{
	fx *f = *state;
	story(f);
	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", NULL, &h, &f->e), BT_OK);
	assert_int_equal(h.n, 8);
	static const struct {
		const char *kind, *member, *what, *status;
	} want[] = {
		{ "reply", "CHE", "not-authorize", "superseded" },
		{ "reply", "FRA", "authorize", "counted" },
		{ "reply", "DEU", "authorize", "withdrawn" },
		{ "reply", "CHE", "authorize", "counted" },
		{ "withdrawal", "DEU", "withdraw", "withdrawal" },
		{ "reply", "GBR", "not-authorize", "late" },
		{ "close", "", "close", "" },
		{ "decision", "", "approved", "" },
	};
	for (size_t i = 0; i < h.n; i++) {
		assert_string_equal(h.v[i].kind, want[i].kind);
		assert_string_equal(h.v[i].member, want[i].member);
		assert_string_equal(h.v[i].what, want[i].what);
		assert_string_equal(h.v[i].status, want[i].status);
		if (i)
			assert_true(h.v[i].seq > h.v[i - 1].seq);
	}
	assert_int_equal(h.v[0].seq, 6);
	assert_string_equal(h.v[0].rec, "Q.5051");
	assert_int_equal(h.v[0].received, T("2020-02-01T10:00:00Z"));
	assert_string_equal(h.v[0].channel, "email");
	assert_string_equal(h.v[0].signatory, "A. Signatory");
	assert_null(h.v[0].title);
	assert_string_equal(h.v[0].recorded_by, "clerk");
	assert_true(h.v[0].reply_id > 0);
	assert_int_equal(h.v[0].without_reasons, 0);
	assert_int_equal(h.v[0].n_attachments, 1);
	assert_string_equal(h.v[0].attachments[0].role, "reasons");
	assert_string_equal(h.v[0].attachments[0].name, "reasons.txt");
	assert_int_equal(h.v[0].attachments[0].size, 11);
	char sha[65];
	bt_sha256_hex("our reasons", 11, sha);
	assert_string_equal(h.v[0].attachments[0].sha256, sha);
	/* GBR's not-authorize without reasons is flagged */
	assert_int_equal(h.v[5].without_reasons, 1);
	assert_int_equal(h.v[6].reply_id, 0);
	assert_string_equal(h.v[6].recorded_by, "secretariat");
	assert_int_equal(h.v[6].recorded_at, T("2020-02-23T08:00:00Z"));
	assert_non_null(h.v[7].detail);
	assert_non_null(strstr(h.v[7].detail, "\"decision\":\"approved\""));
	assert_string_equal(h.v[7].recorded_by, "chair");

	/* the attachment's bytes */
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_attachment_content(f->db, h.v[0].attachments[0].id, &b, &f->e), BT_OK);
	assert_int_equal(b.len, 11);
	assert_memory_equal(b.data, "our reasons", 11);
	assert_int_equal(bt_attachment_content(f->db, 999, &b, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "attachment 999 does not exist");
	bt_buf_release(&b);
	bt_history_free(&h);
}

static void as_it_stood(void **state)
{
	fx *f = *state;
	story(f);
	bt_history h;
	/* before CHE's second reply and DEU's withdrawal */
	assert_int_equal(bt_history_as_of(f->db, "205", NULL, T("2020-02-03T12:00:00Z"), &h, &f->e), BT_OK);
	assert_int_equal(h.n, 3);
	assert_string_equal(h.v[0].status, "counted");
	assert_string_equal(h.v[2].member, "DEU");
	assert_string_equal(h.v[2].status, "counted");
	bt_history_free(&h);
	/* at a reply's own time it is on record */
	assert_int_equal(bt_history_as_of(f->db, "205", NULL, T("2020-02-01T10:00:00Z"), &h, &f->e), BT_OK);
	assert_int_equal(h.n, 1);
	bt_history_free(&h);
	assert_int_equal(bt_history_as_of(f->db, "205", NULL, T("2020-02-01T09:59:59Z"), &h, &f->e), BT_OK);
	assert_int_equal(h.n, 0);
	bt_history_free(&h);
	/* before the close and the decision */
	assert_int_equal(bt_history_as_of(f->db, "205", NULL, T("2020-02-23T07:00:00Z"), &h, &f->e), BT_OK);
	assert_int_equal(h.n, 6);
	bt_history_free(&h);
}

static void one_members_history(void **state)
{
	fx *f = *state;
	story(f);
	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", "ch", &h, &f->e), BT_OK);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].member, "CHE");
	assert_string_equal(h.v[0].status, "superseded");
	assert_string_equal(h.v[1].member, "CHE");
	assert_string_equal(h.v[1].status, "counted");
	bt_history_free(&h);
	assert_int_equal(bt_history_get(f->db, "205", "ITA", &h, &f->e), BT_OK);
	assert_int_equal(h.n, 0);
	bt_history_free(&h);
	assert_int_equal(bt_history_get(f->db, "205", "XXX", &h, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "member: 'XXX' is not an ITU Member State code");
	assert_int_equal(bt_history_get(f->db, "999", NULL, &h, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '999'");
	assert_int_equal(h.n, 0);
}

static void deadline_moves_and_late_entries(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(bt_consultation_set_deadline(f->db, "205", T("2020-02-26T23:59:00Z"), "server down", "sec",
						      T("2020-02-10T00:00:00Z"), NULL, &f->e), BT_OK);
	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", NULL, &h, &f->e), BT_OK);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].kind, "deadline");
	assert_string_equal(h.v[0].recorded_by, "sec");
	assert_non_null(h.v[0].detail);
	assert_non_null(strstr(h.v[0].detail, "server down"));
	bt_history_free(&h);

	/* a paper form received in time, entered after the deadline, that
	 * turns the outcome: recorded with its reason */
	bt_reply_spec s = { .circular = "205", .member = "FRA", .choice = BT_NOT_AUTHORIZE, .has_received = 1,
			    .received = T("2020-02-25T10:00:00Z") };
	bt_reply_result r;
	REFUSED(f, bt_reply_record(f->db, &s, "clerk", T("2020-02-28T09:00:00Z"), &r, &f->e), "late_entry_reason: ");
	s.late_entry_reason = "the form came by post in time";
	assert_int_equal(bt_reply_record(f->db, &s, "clerk", T("2020-02-28T09:00:00Z"), &r, &f->e), BT_OK);
	assert_int_equal(r.late_entry, 1);
	assert_int_equal(bt_history_get(f->db, "205", NULL, &h, &f->e), BT_OK);
	assert_int_equal(h.n, 3);
	assert_string_equal(h.v[1].kind, "reply");
	assert_string_equal(h.v[1].status, "counted");
	assert_non_null(h.v[1].late_entry);
	assert_string_equal(h.v[1].late_entry, "the form came by post in time");
	assert_string_equal(h.v[2].kind, "late-entry");
	assert_int_equal(h.v[2].seq, r.late_entry_seq);
	bt_history_free(&h);
	/* before it was entered, it is not there */
	assert_int_equal(bt_history_as_of(f->db, "205", NULL, T("2020-02-28T08:59:59Z"), &h, &f->e), BT_OK);
	assert_int_equal(h.n, 1);
	bt_history_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_item_in_event_order, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(as_it_stood, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(one_members_history, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(deadline_moves_and_late_entries, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
