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

/* A reply of member on draft rec of 205 (with a file of reasons when
 * attach), recorded at received. */
static void reply_rec(fx *f, const char *member, const char *rec, bt_choice c, const char *received, int attach)
{
	bt_attachment_in a = { "reasons.txt", "our reasons", 11 };
	bt_reply_spec s = { .circular = "205", .member = member, .rec = rec, .choice = c, .has_received = 1,
			    .received = T(received), .channel = "email", .signatory = "A. Signatory" };
	if (attach) {
		s.attachments = &a;
		s.n_attachments = 1;
	}
	assert_int_equal(bt_reply_record(f->db, &s, "clerk", T(received), NULL, &f->e), BT_OK);
}

/* The member's latest reply on rec in its whole history (by received,
 * then as recorded), as the pages read it before bt_history_in_force. */
static const bt_history_item *latest(const bt_history *h, const char *rec)
{
	const bt_history_item *last = NULL;
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->v[i].rec, rec) && (!last || h->v[i].received >= last->received))
			last = &h->v[i];
	return last;
}

/* An unknown member or consultation: refused, nothing given. */
static void in_force_refused(fx *f)
{
	bt_history h;
	assert_int_equal(bt_history_in_force(f->db, "205", "XXX", &h, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "member: 'XXX' is not an ITU Member State code");
	assert_int_equal(bt_history_in_force(f->db, "999", "CHE", &h, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '999'");
	assert_int_equal(h.n, 0);
}

/* bt_history_in_force gives, per draft, the item of the member's whole
 * history that stands last, with the same status: superseded, withdrawn,
 * late after an on-time reply, two replies received the same second, a
 * not-authorize without reasons, a draft not answered. */
static void in_force_per_draft(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_spec d = { .circular = "205", .rec = "Q.2", .title = "Another", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2020-01-03T00:00:00Z"), NULL, &f->e), BT_OK);
	reply_rec(f, "CHE", "Q.5051", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1);
	reply_rec(f, "CHE", "Q.5051", BT_AUTHORIZE, "2020-02-04T10:00:00Z", 0);
	reply_rec(f, "CHE", "Q.2", BT_NOT_AUTHORIZE, "2020-02-02T10:00:00Z", 0);
	reply_rec(f, "CHE", "Q.2", BT_NOT_AUTHORIZE, "2020-02-22T10:00:00Z", 1); /* late */
	reply_rec(f, "DEU", "Q.5051", BT_AUTHORIZE, "2020-02-03T10:00:00Z", 0);
	reply_rec(f, "DEU", "Q.5051", BT_WITHDRAW, "2020-02-05T10:00:00Z", 0);
	reply_rec(f, "DEU", "Q.2", BT_AUTHORIZE, "2020-02-06T10:00:00Z", 0);
	reply_rec(f, "DEU", "Q.2", BT_NOT_AUTHORIZE, "2020-02-06T10:00:00Z", 0); /* same second: stands */
	reply_rec(f, "FRA", "Q.2", BT_NOT_AUTHORIZE, "2020-02-07T10:00:00Z", 0);
	static const struct {
		const char *member, *rec, *what, *status;
		int without_reasons;
	} want[] = {
		{ "CHE", "Q.5051", "authorize", "counted", 0 },
		{ "CHE", "Q.2", "not-authorize", "late", 0 },
		{ "DEU", "Q.5051", "withdraw", "withdrawal", 0 },
		{ "DEU", "Q.2", "not-authorize", "counted", 1 },
		{ "FRA", "Q.2", "not-authorize", "counted", 1 },
	};
	const char *members[] = { "CHE", "DEU", "FRA", "ITA" };
	size_t w = 0;
	for (size_t m = 0; m < 4; m++) {
		bt_history all, in;
		assert_int_equal(bt_history_get(f->db, "205", members[m], &all, &f->e), BT_OK);
		assert_int_equal(bt_history_in_force(f->db, "205", members[m], &in, &f->e), BT_OK);
		size_t k = 0;
		for (const char *rec = "Q.5051"; rec; rec = strcmp(rec, "Q.5051") ? NULL : "Q.2") {
			const bt_history_item *x = latest(&all, rec);
			if (!x)
				continue;
			assert_true(k < in.n);
			const bt_history_item *y = &in.v[k++];
			assert_string_equal(y->member, want[w].member);
			assert_string_equal(y->rec, want[w].rec);
			assert_string_equal(y->what, want[w].what);
			assert_string_equal(y->status, want[w].status);
			assert_int_equal(y->without_reasons, want[w++].without_reasons);
			assert_int_equal(y->reply_id, x->reply_id);
			assert_int_equal(y->seq, x->seq);
			assert_int_equal(y->received, x->received);
			assert_string_equal(y->kind, x->kind);
			assert_string_equal(y->status, x->status);
			assert_int_equal(y->without_reasons, x->without_reasons);
			assert_string_equal(y->signatory, x->signatory);
			assert_string_equal(y->recorded_by, x->recorded_by);
			assert_int_equal(y->n_attachments, 0);
		}
		assert_int_equal(in.n, k);
		bt_history_free(&all);
		bt_history_free(&in);
	}
	assert_int_equal(w, sizeof want / sizeof *want);
	in_force_refused(f);
}

/* A reply found by its number: its consultation and event, for its own
 * member only (alpha-2 too), and for no other member or number. */
static void locate_by_reply_number(void **state)
{
	fx *f = *state;
	story(f);
	fx_circular(f, "206", NULL, NULL);
	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", "DEU", &h, &f->e), BT_OK);
	assert_int_equal(h.n, 2); /* its reply, then its withdrawal */
	char circ[BT_ID_MAX + 1] = "";
	int64_t seq = 0;
	for (size_t i = 0; i < h.n; i++) {
		assert_int_equal(bt_history_locate(f->db, h.v[i].reply_id, "DEU", circ, &seq, &f->e), 1);
		assert_string_equal(circ, "205");
		assert_int_equal(seq, h.v[i].seq);
		seq = 0;
		assert_int_equal(bt_history_locate(f->db, h.v[i].reply_id, "de", circ, &seq, &f->e), 1);
		assert_int_equal(seq, h.v[i].seq);
		/* another member's: not found, whoever asks */
		assert_int_equal(bt_history_locate(f->db, h.v[i].reply_id, "FRA", circ, &seq, &f->e), 0);
	}
	int64_t last = h.v[h.n - 1].reply_id;
	bt_history_free(&h);
	assert_int_equal(bt_history_locate(f->db, last + 100, "DEU", circ, &seq, &f->e), 0);
	assert_int_equal(bt_history_locate(f->db, last, "XYZ", circ, &seq, &f->e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_item_in_event_order, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(as_it_stood, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(one_members_history, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(deadline_moves_and_late_entries, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(in_force_per_draft, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(locate_by_reply_number, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
