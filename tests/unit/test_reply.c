/* test_reply.c - what the rules refuse writes nothing; close and decide. */
#include <sqlite3.h>
#include "fixture.h"

static void head(fx *f, bt_audit_report *r)
{
	assert_int_equal(bt_audit_verify(f->db, r, &f->e), BT_OK);
	assert_int_equal(r->first_bad, 0);
}

static int try_reply(fx *f, const char *member, const char *rec, bt_choice c, const char *received,
		     const char *signatory, size_t attach_len)
{
	bt_reply_spec s = { 0 };
	static char big[4096] = "%PDF-1.4 "; /* what its name says */
	bt_attachment_in a = { "r.pdf", big, attach_len };
	s.circular = "205";
	s.member = member;
	s.rec = rec;
	s.choice = c;
	s.has_received = received != NULL;
	if (received)
		s.received = T(received);
	s.signatory = signatory;
	if (attach_len != (size_t)-1) {
		s.attachments = &a;
		s.n_attachments = 1;
	}
	bt_reply_result r;
	return bt_reply_record(f->db, &s, "test", T("2020-02-10T00:00:00Z"), &r, &f->e);
}

static void bad_replies_change_nothing(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_audit_report before, after;
	head(f, &before);
	const size_t none = (size_t)-1;
	struct {
		const char *member, *rec;
		bt_choice c;
		const char *received, *signatory;
		size_t att;
		const char *needle;
	} cases[] = {
		{ "XXX", NULL, BT_AUTHORIZE, NULL, NULL, none, "XXX" },
		{ "PLW", NULL, BT_AUTHORIZE, NULL, NULL, none, "PLW" },         /* not a member in 2019 */
		{ "CHE", "Q.9999", BT_AUTHORIZE, NULL, NULL, none, "Q.9999" },
		{ "CHE", NULL, BT_CHOICE_NONE, NULL, NULL, none, "choice" },
		{ "CHE", NULL, BT_AUTHORIZE, "2020-03-01T00:00Z", NULL, none, "future" },
		{ "CHE", NULL, BT_AUTHORIZE, "2019-11-01T00:00Z", NULL, none, "before" },
		{ "CHE", NULL, BT_AUTHORIZE, NULL, "bad\x01name", none, "signatory" },
		{ "CHE", NULL, BT_AUTHORIZE, NULL, "\xff\xfe", none, "signatory" },
		{ "CHE", NULL, BT_NOT_AUTHORIZE, NULL, NULL, 0, "empty" },
		{ "CHE", NULL, BT_AUTHORIZE, NULL, NULL, 10, "no attachment" },
		{ "CHE", NULL, BT_NOT_AUTHORIZE, NULL, NULL, 2000, "over the limit" },
	};
	assert_int_equal(bt_setting_set(f->db, "attachment_max", "1000", "test", T("2020-01-01T00:00Z"), &f->e), BT_OK);
	head(f, &before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = try_reply(f, cases[i].member, cases[i].rec, cases[i].c, cases[i].received,
				   cases[i].signatory, cases[i].att);
		if (rc != BT_EINPUT || !strstr(f->e.msg, cases[i].needle))
			fail_msg("case %zu: rc %d, message '%s' lacks '%s'", i, rc, f->e.msg, cases[i].needle);
	}
	head(f, &after);
	assert_int_equal(before.events, after.events);
	assert_string_equal(before.head, after.head);
	assert_int_equal(try_reply(f, "ch", "Q.5051", BT_NOT_AUTHORIZE, NULL, "A. Person", 1000), BT_OK);
	head(f, &after);
	assert_int_equal(after.events, before.events + 1);
}

/* bt_reply_record_many: all rows or none; the scanned form is kept with
 * role "form" next to the comments, and the audit still verifies. */
static void many_all_or_nothing(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_audit_report before, after;
	head(f, &before);
	static const char scan_bytes[] = "%PDF-1.4 scanned form";
	static const char comments[] = "comments";
	bt_attachment_in scan = { "form.pdf", scan_bytes, sizeof scan_bytes - 1 };
	bt_attachment_in att = { "c.txt", comments, sizeof comments - 1 };
	bt_reply_spec s[2] = { { 0 }, { 0 } };
	bt_reply_result res[2];
	s[0].circular = s[1].circular = "205";
	s[0].member = s[1].member = "CHE";
	s[0].rec = s[1].rec = "Q.5051";
	s[0].choice = BT_AUTHORIZE;
	s[0].scan = &scan;
	s[1].choice = BT_AUTHORIZE_WITH_COMMENTS;
	s[1].attachments = &att;
	s[1].n_attachments = 1;
	/* the same draft twice: refused, nothing written */
	assert_int_equal(bt_reply_record_many(f->db, s, 2, "t", T("2020-02-10T00:00Z"), res, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "twice"));
	/* the second refused (no comments attached): the first is not kept */
	s[1].n_attachments = 0;
	s[1].member = "FRA";
	assert_int_equal(bt_reply_record_many(f->db, s, 2, "t", T("2020-02-10T00:00Z"), res, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "Q.5051: attachment"));
	head(f, &after);
	assert_int_equal(before.events, after.events);
	/* a withdrawal takes no scan */
	bt_reply_spec w = s[0];
	w.choice = BT_WITHDRAW;
	assert_int_equal(bt_reply_record_many(f->db, &w, 1, "t", T("2020-02-10T00:00Z"), res, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "scan"));
	assert_int_equal(bt_reply_record_many(f->db, s, 0, "t", T("2020-02-10T00:00Z"), res, &f->e), BT_EINPUT);
	/* both members at once */
	s[1].n_attachments = 1;
	assert_int_equal(bt_reply_record_many(f->db, s, 2, "t", T("2020-02-10T00:00Z"), res, &f->e), BT_OK);
	assert_true(res[0].reply_id > 0 && res[1].reply_id == res[0].reply_id + 1);
	assert_int_equal(res[1].event_seq, res[0].event_seq + 1);
	head(f, &after);
	assert_int_equal(after.events, before.events + 2);
	bt_history h = { 0 };
	assert_int_equal(bt_history_get(f->db, "205", "CHE", &h, &f->e), BT_OK);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.v[0].n_attachments, 1);
	assert_string_equal(h.v[0].attachments[0].role, "form");
	char sha[65];
	bt_sha256_hex(scan_bytes, sizeof scan_bytes - 1, sha);
	assert_string_equal(h.v[0].attachments[0].sha256, sha);
	/* the receipt digest can be found again from the event */
	bt_time at;
	char again[65], chain[65];
	assert_int_equal(bt_event_digest(f->db, res[0].event_seq, &at, again, chain, &f->e), BT_OK);
	assert_string_equal(again, res[0].sha256);
	assert_string_equal(chain, res[0].event_hash);
	assert_int_equal(bt_event_digest(f->db, 99999, &at, again, chain, &f->e), BT_EINPUT);
	bt_history_free(&h);
	/* a scanned form is not reasons: a not-authorize with only the scan is
	 * flagged without reasons in the acknowledgement and in the tally */
	bt_reply_spec na = { 0 };
	na.circular = "205";
	na.member = "DEU";
	na.choice = BT_NOT_AUTHORIZE;
	na.scan = &scan;
	assert_int_equal(bt_reply_record_many(f->db, &na, 1, "t", T("2020-02-10T00:00Z"), res, &f->e), BT_OK);
	assert_int_equal(res[0].without_reasons, 1);
	bt_tally t;
	assert_int_equal(bt_tally_compute(f->db, "205", T("2020-02-11T00:00Z"), &t, &f->e), BT_OK);
	assert_int_equal(t.drafts[0].not_authorize, 1);
	assert_int_equal(t.drafts[0].not_authorize_without_reasons, 1);
	bt_tally_free(&t);
}

/* bt_reply_record_many_check: the real run's checks and results, nothing
 * stored; a signatory of spaces refused (bt_reply_name_check, naming the
 * field it is given). */
static void many_check_stores_nothing(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_audit_report before, after;
	head(f, &before);
	bt_reply_spec s = { 0 };
	bt_reply_result res;
	s.circular = "205";
	s.member = "CHE";
	s.choice = BT_NOT_AUTHORIZE;
	s.signatory = "A. Person";
	assert_int_equal(bt_reply_record_many_check(f->db, &s, 1, "t", T("2020-02-10T00:00Z"), &res, &f->e), BT_OK);
	assert_int_equal(res.without_reasons, 1);
	assert_int_equal(res.event_seq, before.events + 1); /* the event it would take */
	head(f, &after);
	assert_int_equal(after.events, before.events);
	bt_history h = { 0 };
	assert_int_equal(bt_history_get(f->db, "205", "CHE", &h, &f->e), BT_OK);
	assert_int_equal(h.n, 0);
	bt_history_free(&h);
	/* refused as the real run refuses: the engine's checks, not the front end's */
	s.has_received = 1;
	s.received = T("2019-01-01T00:00Z");
	assert_int_equal(bt_reply_record_many_check(f->db, &s, 1, "t", T("2020-02-10T00:00Z"), &res, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "received");
	s.has_received = 0;
	s.signatory = " \u3000 ";
	assert_int_equal(bt_reply_record_many_check(f->db, &s, 1, "t", T("2020-02-10T00:00Z"), &res, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "signatory");
	assert_non_null(strstr(f->e.msg, "only spaces"));
	assert_int_equal(bt_reply_record_many(f->db, &s, 1, "t", T("2020-02-10T00:00Z"), &res, &f->e), BT_EINPUT);
	assert_int_equal(bt_reply_name_check("signatory.name", "A\u200bB", &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "signatory.name");
	assert_int_equal(strncmp(f->e.msg, "signatory.name: has U+200B", 26), 0);
	assert_int_equal(bt_reply_name_check("title", "", &f->e), BT_OK); /* none */
	assert_int_equal(bt_reply_name_check("title", "Director", &f->e), BT_OK);
	assert_int_equal(bt_text_blank(" \xc2\xa0"), 1);
	assert_int_equal(bt_text_blank(" a "), 0);
	head(f, &after);
	assert_int_equal(after.events, before.events);
}

/* The member's quotas: checked in the transaction, refused with the kind
 * and nothing written, lifted by force. */
static void quotas(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	static char bytes[600], other[600];
	memset(bytes, 'x', sizeof bytes); /* text, as its name says */
	memset(other, 'y', sizeof other); /* another content: quota_bytes counts each content once */
	bt_attachment_in a = { "c.txt", bytes, sizeof bytes }, b = { "d.txt", other, sizeof other };
	bt_reply_spec s = { 0 }, two[2];
	bt_reply_result res, r2[2];
	bt_audit_report before, after;
	const bt_time now = T("2020-02-10T12:00:00Z");
	assert_int_equal(bt_setting_set(f->db, "quota_bytes", "1000", "t", now, &f->e), BT_OK);
	assert_int_equal(bt_setting_set(f->db, "replies_per_hour", "3", "t", now, &f->e), BT_OK);
	assert_int_equal(bt_setting_set(f->db, "quota_bytes", "0", "t", now, &f->e), BT_EINPUT);
	assert_int_equal(bt_setting_set(f->db, "replies_per_hour", "1e3", "t", now, &f->e), BT_EINPUT);
	s.circular = "205";
	s.member = "CHE";
	s.choice = BT_AUTHORIZE_WITH_COMMENTS;
	s.attachments = &a;
	s.n_attachments = 1;
	assert_int_equal(bt_reply_record(f->db, &s, "t", now, &res, &f->e), BT_OK);
	assert_int_equal(res.quota, BT_QUOTA_NONE);
	head(f, &before);
	s.attachments = &b;
	assert_int_equal(bt_reply_record(f->db, &s, "t", now, &res, &f->e), BT_EINPUT);
	assert_int_equal(res.quota, BT_QUOTA_BYTES);
	assert_string_equal(f->e.msg, "quota_bytes: CHE's replies in consultation 205 hold 600 bytes of attachments; "
				      "600 more would pass the cap of 1000 bytes");
	/* two rows of one member in one transaction count together */
	two[0] = two[1] = s;
	two[0].choice = BT_AUTHORIZE;
	two[0].attachments = NULL;
	two[0].n_attachments = 0;
	two[1].member = "FRA";
	assert_int_equal(bt_reply_record_many(f->db, two, 2, "t", now, r2, &f->e), BT_OK);
	assert_int_equal(bt_reply_record(f->db, &two[0], "t", now, &res, &f->e), BT_OK);
	head(f, &before);
	assert_int_equal(bt_reply_record(f->db, &two[0], "t", now, &res, &f->e), BT_EINPUT);
	assert_int_equal(res.quota, BT_QUOTA_RATE);
	assert_int_equal(res.retry_after, 3600);
	assert_non_null(strstr(f->e.msg, "replies_per_hour: CHE recorded 3 replies in consultation 205 in the last hour; "
					 "1 more would pass the cap of 3"));
	head(f, &after);
	assert_string_equal(before.head, after.head);
	/* force lifts both; an hour later the rate allows again */
	s.force = 1;
	assert_int_equal(bt_reply_record(f->db, &s, "t", now, &res, &f->e), BT_OK);
	assert_int_equal(bt_reply_record(f->db, &two[0], "t", now + 3599, &res, &f->e), BT_EINPUT);
	assert_int_equal(res.retry_after, 1);
	assert_int_equal(bt_reply_record(f->db, &two[0], "t", now + 3600, &res, &f->e), BT_OK);
	/* record_many: which quota, in out[0] */
	two[0].member = two[1].member = "FRA";
	two[0].choice = BT_NOT_AUTHORIZE;
	two[1].rec = "Q.5051";
	two[1].attachments = &a; /* FRA holds b */
	two[0].rec = NULL;
	assert_int_equal(bt_reply_record_many(f->db, two, 2, "t", now, r2, &f->e), BT_EINPUT);
	assert_int_equal(r2[0].quota, BT_QUOTA_BYTES);
	assert_non_null(strstr(f->e.msg, "FRA's replies in consultation 205 hold 600 bytes of attachments; 600 more"));
	head(f, &after);
}

static void close_and_decide(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00Z", 0);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-21T23:59:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "2020-02-21T23:59:00Z"));
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T09:00:00Z"), NULL, &f->e), BT_EINPUT);
	bt_draft d;
	assert_int_equal(bt_draft_find(f->db, "205", NULL, &d, &f->e), BT_OK);
	assert_string_equal(d.state, BT_STATE_READY);
	assert_string_equal(d.outcome, "proceed");
	bt_draft_clear(&d);
	/* An on-time reply after close would change a frozen outcome. */
	bt_reply_spec s = { .circular = "205", .member = "FRA", .choice = BT_NOT_AUTHORIZE,
			    .has_received = 1, .received = T("2020-02-20T10:00Z") };
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-02-23T00:00Z"), NULL, &f->e), BT_EINPUT);
	s.received = T("2020-02-22T10:00Z"); /* late: recorded */
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-02-23T00:00Z"), NULL, &f->e), BT_OK);

	const char *codes[] = { "GBR" };
	bt_decision_spec dec = { .circular = "205", .kind = BT_DECISION_NOT_APPROVED };
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-05T10:00Z"), NULL, &f->e), BT_EINPUT);
	dec.kind = BT_DECISION_MORE_TIME;
	dec.codes = codes;
	dec.n_codes = 1;
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-05T10:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-05T10:00Z"), NULL, &f->e), BT_EINPUT);
	bt_status_list l;
	assert_int_equal(bt_status_list_get(f->db, 11, T("2020-03-05T10:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].state, "more-time");
	char until[BT_DATE_LEN];
	bt_date_format(l.v[0].more_time_until, until);
	assert_string_equal(until, "2020-04-10");
	bt_status_list_free(&l);
	const char *notes[] = { "editorial concerns" };
	dec.kind = BT_DECISION_APPROVED;
	dec.notes = notes;
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-04-11T10:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-04-11T10:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(l.v[0].state, "approved");
	bt_status_list_free(&l);
	/* the state at a time: before the approval was recorded, more time */
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-04-11T09:59Z"), &l, &f->e), BT_OK);
	assert_string_equal(l.v[0].state, "more-time");
	bt_status_list_free(&l);
	assert_int_equal(bt_status_list_get(f->db, 12, T("2020-04-11T10:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 0);
	bt_status_list_free(&l);
}

static void consultation_refusals(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_consultation_spec s = { .circular = "205", .group = 11, .date = D("2019-12-02"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13") };
	char warn[256];
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, NULL, warn, sizeof warn, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "already exists"));
	s.circular = "206";
	s.meeting_end = D("2020-03-01");
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, NULL, warn, sizeof warn, &f->e), BT_EINPUT);
	s.meeting_end = D("2020-03-13");
	s.rule = "aap";
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, NULL, warn, sizeof warn, &f->e), BT_EINPUT);
	s.rule = NULL;
	s.electorate = "CHE\nZZZ\n";
	s.electorate_len = 8;
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, NULL, warn, sizeof warn, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "line 2"));
	s.electorate = NULL;
	s.has_deadline = 1;
	s.deadline = T("2020-02-25T23:59Z");
	bt_consultation c;
	/* leaving five working days: refused unless forced, with a reason */
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, &c, warn, sizeof warn, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "5 working days"));
	s.force_deadline = 1;
	s.reason = "test";
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, &c, warn, sizeof warn, &f->e), BT_OK);
	/* Palau joins the electorate of a consultation dated after 2024-09-19. */
	assert_int_equal(c.electorate, 193);
	s.circular = "2025-1";
	s.has_deadline = 0;
	s.force_deadline = 0;
	s.reason = NULL;
	s.date = D("2025-01-10");
	s.meeting_start = D("2025-05-05");
	s.meeting_end = D("2025-05-09");
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, &c, warn, sizeof warn, &f->e), BT_OK);
	assert_int_equal(c.electorate, 194);
	bt_draft_spec d = { .circular = "205", .rec = "Q.5051", .title = "dup", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "t", 0, NULL, &f->e), BT_EINPUT);
}

static void members_import_keeps_history(void **state)
{
	fx *f = *state;
	const char tsv[] = "alpha3\talpha2\tname\tmember_since\n"
			   "KOR\tKR\tKorea (Rep. of)\t\n"
			   "XKX\tXK\tNewland\t2030-01-01\n";
	bt_member_import_stats st;
	assert_int_equal(bt_members_import(f->db, tsv, sizeof tsv - 1, "t.tsv", "t", 0, &st, &f->e), BT_OK);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.renamed, 1);
	bt_member_list l;
	assert_int_equal(bt_members_list(f->db, BT_DATE_NONE, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 195);
	bt_member_list_free(&l);
	assert_int_equal(bt_members_list(f->db, D("2020-01-01"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 193);
	bt_member_list_free(&l);
	const char bad[] = "alpha3\talpha2\tname\tmember_since\nFOO\tFO\tFoo\n";
	assert_int_equal(bt_members_import(f->db, bad, sizeof bad - 1, "b.tsv", "t", 0, &st, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "line 2"));
	assert_int_equal(bt_members_list(f->db, BT_DATE_NONE, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 195);
	bt_member_list_free(&l);
}

static void review_findings_stay_fixed(void **state)
{
	fx *f = *state;
	char warn[256];
	fx_circular(f, "205", NULL, NULL);
	/* A draft cannot join after the deadline (it would pass with no replies). */
	bt_draft_spec d = { .circular = "205", .rec = "Q.9999", .title = "late draft", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2020-02-22T00:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "deadline"));
	/* IDs are case-insensitive: q.5051 is Q.5051. */
	d.rec = "q.5051";
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2020-01-02T00:00Z"), NULL, &f->e), BT_EINPUT);
	/* An electorate file cannot name a state that was not yet a member,
	 * nor two codes on one line. */
	bt_consultation_spec s = { .circular = "206", .group = 11, .date = D("2020-01-15"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13"),
				   .electorate = "CHE\nPLW\n", .electorate_len = 8 };
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, NULL, warn, sizeof warn, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "PLW"));
	s.electorate = "CHE FRA\n";
	s.electorate_len = 8;
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, NULL, warn, sizeof warn, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "line 1"));
	/* Question and deletion periods are calendar months. */
	s.electorate = NULL;
	s.rule = "question";
	bt_consultation c;
	assert_int_equal(bt_consultation_create(f->db, &s, "t", 0, &c, warn, sizeof warn, &f->e), BT_OK);
	char t[BT_TIME_LEN];
	bt_time_format(c.deadline, t);
	assert_string_equal(t, "2020-03-15T23:59:00Z");
	/* authorize-with-comments needs the comments. */
	bt_reply_spec r = { .circular = "205", .member = "CHE", .choice = BT_AUTHORIZE_WITH_COMMENTS };
	assert_int_equal(bt_reply_record(f->db, &r, "t", T("2020-02-01T00:00Z"), NULL, &f->e), BT_EINPUT);
	/* An unclean actor is refused before anything is written. */
	r.choice = BT_AUTHORIZE;
	assert_int_equal(bt_reply_record(f->db, &r, "bad\x1b[31m", T("2020-02-01T00:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "actor"));
	bt_reply_result res;
	assert_int_equal(bt_reply_record(f->db, &r, "t", T("2020-02-01T00:00Z"), &res, &f->e), BT_OK);
	assert_int_equal(res.reply_id, 1);
	/* A time that leaves the year range after its offset is refused. */
	bt_time x;
	assert_int_equal(bt_time_parse("9999-12-31T23:30:00-02:00", "t", &x, &f->e), BT_EINPUT);
	/* Decisions: not before the meeting; after more time, only the members
	 * that asked may oppose, and only within four weeks (§9.5.5). */
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00Z"), NULL, &f->e), BT_OK);
	const char *che[] = { "CHE" }, *fra[] = { "FRA" };
	bt_decision_spec dec = { .circular = "205", .kind = BT_DECISION_MORE_TIME, .codes = che, .n_codes = 1 };
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-02-23T10:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "2020-03-04"));
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-10T10:00Z"), NULL, &f->e), BT_OK);
	dec.kind = BT_DECISION_NOT_APPROVED;
	dec.codes = fra;
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-20T10:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "FRA"));
	dec.codes = che;
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-04-11T10:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "2020-04-10"));
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-04-10T10:00Z"), NULL, &f->e), BT_OK);
}

/* §9.5 in the engine: each decision's effective date (has_date) in the
 * window of its step; a regional electorate's members only; decisions read
 * back with their date, members and no_reply marks. */
static void decision_sequence(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	fx_circular(f, "3-1", NULL, "CHE\nDEU\nFRA\n");
	fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00Z", 0);
	fx_reply(f, "3-1", "CHE", BT_AUTHORIZE, "2020-02-01T10:00Z", 0);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "3-1", "t", T("2020-02-22T08:00Z"), NULL, &f->e), BT_OK);
	const char *che[] = { "CHE" }, *ita[] = { "ITA" }, *che_fra[] = { "CHE", "FRA" };
	bt_decision_spec dec = { .circular = "205", .kind = BT_DECISION_MORE_TIME, .codes = che, .n_codes = 1,
				 .has_date = 1, .date = D("2020-03-14") };
	/* more time: at the meeting only */
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-20T10:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "date: 2020-03-14 is after the study group meeting"));
	dec.date = D("2020-03-21"); /* in the future */
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-20T10:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "in the future"));
	dec.date = D("2020-03-13"); /* recorded after the four weeks */
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-04-11T00:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "2020-04-10"));
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-20T10:00Z"), NULL, &f->e), BT_OK);
	/* then: approval only after the four weeks */
	dec.kind = BT_DECISION_APPROVED;
	dec.n_codes = 0;
	dec.date = D("2020-04-10");
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-04-12T10:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "can be approved from 2020-04-11"));
	dec.date = D("2020-04-11");
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-04-12T10:00Z"), NULL, &f->e), BT_OK);
	/* a regional electorate: ITA may not oppose; FRA, which did not reply, may */
	bt_decision_spec reg = { .circular = "3-1", .kind = BT_DECISION_NOT_APPROVED, .codes = ita, .n_codes = 1 };
	assert_int_equal(bt_decide(f->db, &reg, "t", T("2020-03-05T10:00Z"), NULL, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "opposed_by: ITA is not in the electorate of circular 3-1"));
	reg.codes = che_fra;
	reg.n_codes = 2;
	assert_int_equal(bt_decide(f->db, &reg, "t", T("2020-03-05T10:00Z"), NULL, &f->e), BT_OK);

	bt_decision_list l;
	assert_int_equal(bt_decisions_get(f->db, "205", T("2020-04-12T10:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].kind, BT_DECISION_MORE_TIME);
	assert_int_equal(l.v[0].date, D("2020-03-13"));
	assert_int_equal(l.v[0].recorded_at, T("2020-03-20T10:00Z"));
	assert_int_equal(l.v[0].oppose_by, D("2020-04-10"));
	assert_string_equal(l.v[0].members[0].code, "CHE");
	assert_int_equal(l.v[1].kind, BT_DECISION_APPROVED);
	assert_string_equal(l.v[1].from, BT_STATE_MORE_TIME);
	assert_int_equal(l.v[1].date, D("2020-04-11"));
	bt_decision_list_free(&l);
	/* as of a time before the approval was recorded: only more time */
	assert_int_equal(bt_decisions_get(f->db, "205", T("2020-04-12T09:59Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	bt_decision_list_free(&l);
	assert_int_equal(bt_decisions_get(f->db, "3-1", T("2020-03-05T10:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].n, 2);
	assert_int_equal(l.v[0].members[0].no_reply, 0);
	assert_string_equal(l.v[0].members[1].code, "FRA");
	assert_int_equal(l.v[0].members[1].no_reply, 1);
	assert_int_equal(l.v[0].date, D("2020-03-05"));
	bt_decision_list_free(&l);
	bt_audit_report ar;
	assert_int_equal(bt_audit_verify(f->db, &ar, &f->e), BT_OK);
	assert_int_equal(ar.first_bad, 0);
}

/* bt_attachment_kind: a known extension (any case) must begin with its
 * type's bytes; other names are unknown; a reply refuses a mismatch. */
static void attachment_kinds(void **state)
{
	fx *f = *state;
	static const struct {
		const char *name, *bytes;
		size_t len;
		bt_file_kind want;
	} cases[] = {
		{ "a.pdf", "%PDF-1.7", 8, BT_FILE_OK },
		{ "a.PDF", "%PDF-1.7", 8, BT_FILE_OK },
		{ "a.pdf", "%PDF", 4, BT_FILE_MISMATCH },
		{ "a.doc", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10, BT_FILE_OK },
		{ "a.doc", "\x7f" "ELF\x02\x01\x01\0", 8, BT_FILE_MISMATCH },
		{ "a.doc", "PK\x03\x04", 4, BT_FILE_MISMATCH },
		{ "a.docx", "PK\x03\x04", 4, BT_FILE_OK },
		{ "a.odt", "PK\x03\x04", 4, BT_FILE_OK },
		{ "a.rtf", "{\\rtf1 x}", 8, BT_FILE_OK },
		{ "a.rtf", "{\\RTF1", 6, BT_FILE_MISMATCH },
		{ "a.tif", "II*\0\x08\0", 6, BT_FILE_OK },
		{ "a.tiff", "MM\0*\0\0", 6, BT_FILE_OK },
		{ "a.TIF", "II+\0", 4, BT_FILE_OK },
		{ "a.tif", "GIF89a", 6, BT_FILE_MISMATCH },
		{ "a.tif", "II*", 3, BT_FILE_MISMATCH },
		{ "a.png", "\x89PNG\r\n\x1a\n", 8, BT_FILE_OK },
		{ "a.jpeg", "\xff\xd8\xff\xe0", 4, BT_FILE_OK },
		{ "a.jpg", "\xff\xd8", 2, BT_FILE_MISMATCH },
		{ "a.txt", "caf\xc3\xa9\n", 6, BT_FILE_OK },
		{ "a.txt", "caf\xe9\n", 5, BT_FILE_MISMATCH },
		{ "a.txt", "a\0b", 3, BT_FILE_MISMATCH },
		{ "a.bin", "\x7f" "ELF", 4, BT_FILE_UNKNOWN },
		{ "a.exe", "MZ", 2, BT_FILE_UNKNOWN },
		{ "noext", "%PDF-1.7", 8, BT_FILE_UNKNOWN },
		{ "a.", "%PDF-1.7", 8, BT_FILE_UNKNOWN },
		{ "a.pdf.exe", "%PDF-1.7", 8, BT_FILE_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (bt_attachment_kind(cases[i].name, cases[i].bytes, cases[i].len) != cases[i].want)
			fail_msg("case %zu (%s): kind %d, not %d", i, cases[i].name,
				 (int)bt_attachment_kind(cases[i].name, cases[i].bytes, cases[i].len), (int)cases[i].want);
	fx_circular(f, "205", NULL, NULL);
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0 a program";
	bt_attachment_in a = { "comments.doc", elf, sizeof elf - 1 };
	bt_reply_spec s = { 0 };
	bt_reply_result r;
	s.circular = "205";
	s.member = "CHE";
	s.choice = BT_AUTHORIZE_WITH_COMMENTS;
	s.attachments = &a;
	s.n_attachments = 1;
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-02-10T00:00Z"), &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "'comments.doc' is not what its name says"));
	a.name = "comments.bin"; /* a name that claims nothing */
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-02-10T00:00Z"), &r, &f->e), BT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bad_replies_change_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(many_all_or_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(many_check_stores_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(quotas, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(close_and_decide, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(consultation_refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(members_import_keeps_history, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(review_findings_stay_fixed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(attachment_kinds, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(decision_sequence, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
