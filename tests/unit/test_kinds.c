/* test_kinds.c - the one table of event kinds (domain/kinds.c): every kind a
 * database holds is in it, a consultation's own chain is the kinds flagged
 * EK_CIRCULAR, and each payload parser reads back what its writer recorded
 * and refuses a body that lacks or spoils what it needs, by name. */
#include "fixture.h"
#include "domain/domain.h"

/* 205: a moved deadline, CHE's comments (an attachment), FRA's reply then
 * its withdrawal, closed, approved. 206: a late entry (a "late-entry"
 * event) that turns the outcome. */
static void history(fx *f)
{
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(bt_consultation_set_deadline(f->db, "205", T("2020-02-20T23:59:00Z"), "moved", "sec",
						      T("2020-01-10T00:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE_WITH_COMMENTS, "2020-02-01T10:00:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-02T10:00:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_WITHDRAW, "2020-02-03T10:00:00Z", 0), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	bt_decision_spec d = { .circular = "205", .kind = BT_DECISION_APPROVED, .has_date = 1,
			       .date = D("2020-03-05") };
	assert_int_equal(bt_decide(f->db, &d, "chair", T("2020-03-05T10:00:00Z"), NULL, &f->e), BT_OK);

	fx_circular(f, "206", NULL, NULL);
	bt_reply_spec s = { .circular = "206", .member = "FRA", .choice = BT_NOT_AUTHORIZE, .has_received = 1,
			    .received = T("2020-02-20T10:00:00Z"), .late_entry_reason = "came by post in time" };
	bt_reply_result r;
	assert_int_equal(bt_reply_record(f->db, &s, "clerk", T("2020-02-24T09:00:00Z"), &r, &f->e), BT_OK);
	assert_true(r.late_entry_seq > 0);
}

/* Parses body (JSON text) with kind's parser: its status; e says why. p
 * points into the tree, kept until the next call (parse(NULL, ...) frees
 * it). */
static int parse(const char *kind, const char *body, event_payload *p, bt_err *e)
{
	static bt_jv *v;
	bt_jv_free(v);
	v = NULL;
	if (!kind)
		return BT_OK;
	const event_kind *k = event_kind_find(kind);
	assert_non_null(k);
	assert_non_null(k->parse);
	assert_int_equal(bt_json_parse(body, strlen(body), "body", &v, e), BT_OK);
	return k->parse(v, p, e);
}

static void every_kind_written_is_in_the_table(void **state)
{
	fx *f = *state;
	history(f);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db->h, "SELECT kind, circular FROM events ORDER BY seq", -1, &st, NULL),
			 SQLITE_OK);
	int n = 0, late = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		int circular = sqlite3_column_type(st, 1) != SQLITE_NULL;
		if (!event_kind_find(kind))
			fail_msg("kind %s is written but not in the table", kind);
		/* a consultation's own chain (what a bundle holds) is EK_CIRCULAR */
		if (event_kind_is(kind, EK_CIRCULAR) != circular)
			fail_msg("kind %s: EK_CIRCULAR is %d, its event %s a circular", kind,
				 event_kind_is(kind, EK_CIRCULAR), circular ? "has" : "has no");
		late += strcmp(kind, EVK_LATE_ENTRY) == 0;
		n++;
	}
	sqlite3_finalize(st);
	assert_true(n > 10);
	assert_int_equal(late, 1);
	assert_null(event_kind_find("no-such-kind"));
	assert_null(event_kind_find(NULL));
}

static void parsers_are_where_payloads_are_read(void **state)
{
	(void)state;
	static const char *const with[] = { EVK_CONSULTATION, EVK_DRAFT, EVK_DEADLINE,
					    EVK_DECISION, EVK_REPLY, EVK_WITHDRAWAL };
	static const char *const without[] = { EVK_INIT, EVK_CLOSE, EVK_LATE_ENTRY, EVK_CODES_ISSUE,
					       EVK_USER_ADD, EVK_SETTING };
	for (size_t i = 0; i < sizeof with / sizeof with[0]; i++) {
		assert_non_null(event_kind_find(with[i]));
		assert_non_null(event_kind_find(with[i])->parse);
	}
	for (size_t i = 0; i < sizeof without / sizeof without[0]; i++) {
		assert_non_null(event_kind_find(without[i]));
		assert_null(event_kind_find(without[i])->parse);
	}
}

/* Every parsed event of 205 says what was recorded. */
static void check_parsed(fx *f, int64_t seq, const char *kind, const event_payload *p, int *seen)
{
	if (!strcmp(kind, EVK_CONSULTATION)) {
		assert_string_equal(p->rule, "tap");
		assert_int_equal(p->deadline, T("2020-02-21T23:59:00Z")); /* the default, as created */
		assert_null(p->deadline_forced);
		assert_int_equal(p->electorate->n, 193);
		seen[0]++;
	} else if (!strcmp(kind, EVK_DRAFT)) {
		assert_string_equal(p->rec, "Q.5051");
		assert_string_equal(p->title, "Framework for combating the use of stolen mobile devices");
		seen[1]++;
	} else if (!strcmp(kind, EVK_DEADLINE)) {
		assert_int_equal(p->deadline, T("2020-02-20T23:59:00Z"));
		seen[2]++;
	} else if (!strcmp(kind, EVK_DECISION)) {
		assert_string_equal(p->draft, "Q.5051");
		assert_string_equal(p->decision, "approved");
		seen[3]++;
	} else {
		/* the reply's number is its row's */
		int64_t id = -1;
		char q[96];
		snprintf(q, sizeof q, "SELECT id FROM replies WHERE event_seq = %lld", (long long)seq);
		assert_int_equal(db_pragma_int64(f->db, q, &id), 0);
		assert_int_equal(p->reply, id);
		assert_string_equal(p->draft, "Q.5051");
		int che = !strcmp(p->member, "CHE");
		assert_true(che || !strcmp(p->member, "FRA"));
		assert_int_equal(p->choice, che ? BT_AUTHORIZE_WITH_COMMENTS
					    : !strcmp(kind, EVK_WITHDRAWAL) ? BT_WITHDRAW : BT_AUTHORIZE);
		assert_int_equal(p->received, T(che ? "2020-02-01T10:00:00Z"
						: p->choice == BT_WITHDRAW ? "2020-02-03T10:00:00Z"
									   : "2020-02-02T10:00:00Z"));
		assert_int_equal(p->attachments->n, che);
		assert_int_equal(p->has_reasons, che); /* comments are not the form */
		seen[!strcmp(kind, EVK_WITHDRAWAL) ? 5 : 4]++;
	}
}

static void parsers_read_back_what_was_recorded(void **state)
{
	fx *f = *state;
	history(f);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db->h,
					    "SELECT seq, kind, body FROM events WHERE circular = '205' ORDER BY seq",
					    -1, &st, NULL), SQLITE_OK);
	int seen[6] = { 0 };
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *body = (const char *)sqlite3_column_text(st, 2);
		const event_kind *k = event_kind_find(kind);
		assert_non_null(k);
		if (!k->parse)
			continue;
		event_payload p;
		if (parse(kind, body, &p, &f->e) != BT_OK)
			fail_msg("event %lld (%s): %s", (long long)seq, kind, f->e.msg);
		check_parsed(f, seq, kind, &p, seen);
	}
	sqlite3_finalize(st);
	parse(NULL, NULL, NULL, NULL);
	/* consultation, draft, deadline, decision, two replies, a withdrawal */
	static const int want[6] = { 1, 1, 1, 1, 2, 1 };
	for (int i = 0; i < 6; i++)
		if (seen[i] != want[i])
			fail_msg("parsed %d events of kind #%d, not %d", seen[i], i, want[i]);
}

/* kind's parser refuses body as bad input with the message want. */
static void refused(const char *kind, const char *body, const char *want)
{
	event_payload p;
	bt_err e;
	int rc = parse(kind, body, &p, &e);
	if (rc != BT_EINPUT || e.reason != BT_R_INPUT || strcmp(e.msg, want))
		fail_msg("%s %s: gave %d '%s', not '%s'", kind, body, rc, rc ? e.msg : "", want);
}

/* A reply's body with choice and attachments (the inside of the array). */
static const char *reply_body(char *out, size_t n, const char *choice, const char *atts)
{
	snprintf(out, n,
		 "{\"reply\":7,\"member\":\"CHE\",\"draft\":\"Q.5051\",\"choice\":\"%s\","
		 "\"received\":\"2020-02-01T10:00:00Z\",\"attachments\":[%s]}", choice, atts);
	return out;
}

static void parsers_refuse_what_is_missing_or_spoilt(void **state)
{
	(void)state;
	const char *nc = "a consultation without rule, deadline or electorate";
	refused(EVK_CONSULTATION, "{\"deadline\":\"2020-02-21T23:59:00Z\",\"electorate\":[]}", nc);
	refused(EVK_CONSULTATION, "{\"rule\":\"tap\",\"deadline\":\"2020-02-30T23:59:00Z\",\"electorate\":[]}", nc);
	refused(EVK_CONSULTATION, "{\"rule\":\"tap\",\"deadline\":\"2020-02-21T23:59:00Z\",\"electorate\":\"CHE\"}", nc);
	refused(EVK_CONSULTATION, "{\"rule\":\"tap\",\"deadline\":\"2020-02-21T23:59:00Z\",\"electorate\":[\"CHE\",\"CH\"]}",
		"electorate[1] is not a code");
	event_payload p;
	bt_err e;
	assert_int_equal(parse(EVK_CONSULTATION, "{\"rule\":\"tap\",\"deadline\":\"2020-02-21T23:59:00Z\","
				 "\"deadline_forced\":\"why\",\"electorate\":[\"CHE\"]}", &p, &e), BT_OK);
	assert_string_equal(p.deadline_forced, "why");

	refused(EVK_DRAFT, "{\"rec\":\"Q.5051\"}", "a draft without rec or title");
	refused(EVK_DRAFT, "{\"rec\":\"Q.1234567890123456789012345678901\",\"title\":\"x\"}",
		"a draft without rec or title");
	assert_int_equal(parse(EVK_DRAFT, "{\"rec\":\"Q.123456789012345678901234567890\",\"title\":\"x\"}", &p, &e),
			 BT_OK); /* BT_ID_MAX exactly */

	refused(EVK_DEADLINE, "{\"reason\":\"moved\"}", "a deadline change without a deadline");
	refused(EVK_DEADLINE, "{\"deadline\":\"tomorrow\"}", "a deadline change without a deadline");

	const char *nd = "a decision without a known draft or decision";
	refused(EVK_DECISION, "{\"draft\":\"Q.5051\"}", nd);
	refused(EVK_DECISION, "{\"draft\":\"Q.5051\",\"decision\":\"approved-at-length\"}", nd);

	char body[512];
	const char *nr = "a reply without member, known draft, choice, received, reply number or attachments";
	refused(EVK_REPLY, reply_body(body, sizeof body, "withdraw", ""), nr); /* a withdrawal's choice */
	assert_int_equal(parse(EVK_WITHDRAWAL, body, &p, &e), BT_OK);
	assert_int_equal(p.choice, BT_WITHDRAW);
	refused(EVK_WITHDRAWAL, reply_body(body, sizeof body, "authorize", ""),
		"a withdrawal without member, known draft, choice, received, reply number or attachments");
	refused(EVK_REPLY, reply_body(body, sizeof body, "maybe", ""), nr);
	refused(EVK_REPLY, "{\"member\":\"CHE\",\"draft\":\"Q.5051\",\"choice\":\"authorize\","
			   "\"received\":\"2020-02-01T10:00:00Z\",\"attachments\":[]}", nr); /* no number */
	refused(EVK_REPLY, reply_body(body, sizeof body, "not-authorize", "{\"role\":\"reasons\",\"sha256\":\"abc\"}"),
		"attachment 1 has no role or SHA-256");
	char sha[65];
	bt_sha256_hex("x", 1, sha);
	char atts[300];
	snprintf(atts, sizeof atts, "{\"role\":\"form\",\"sha256\":\"%s\"},{\"sha256\":\"%s\"}", sha, sha);
	refused(EVK_REPLY, reply_body(body, sizeof body, "not-authorize", atts), "attachment 2 has no role or SHA-256");
	/* the form alone is no reasons */
	snprintf(atts, sizeof atts, "{\"role\":\"form\",\"sha256\":\"%s\"}", sha);
	assert_int_equal(parse(EVK_REPLY, reply_body(body, sizeof body, "not-authorize", atts), &p, &e), BT_OK);
	assert_int_equal(p.has_reasons, 0);
	assert_int_equal(p.reply, 7);
	assert_int_equal(p.choice, BT_NOT_AUTHORIZE);
	parse(NULL, NULL, NULL, NULL);
}

/* A reply from a signed form names its signer; one without "signer" has
 * none; a signer without its subject, SHA-256 or verdict is refused. */
static void reply_signer(void **state)
{
	(void)state;
	char body[700];
	event_payload p;
	bt_err e;
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	assert_int_equal(parse(EVK_REPLY, reply_body(body, sizeof body, "authorize", ""), &p, &e), BT_OK);
	assert_null(p.signer);
	snprintf(body, sizeof body, "{\"reply\":7,\"member\":\"CHE\",\"draft\":\"Q.5051\",\"choice\":\"authorize\","
		 "\"received\":\"2020-02-01T10:00:00Z\",\"attachments\":[],\"signer\":{\"subject\":\"CN=J\","
		 "\"cert_sha256\":\"%s\",\"verified\":true}}", sha);
	assert_int_equal(parse(EVK_REPLY, body, &p, &e), BT_OK);
	assert_string_equal(p.signer, "CN=J");
	assert_string_equal(p.signer_sha256, sha);
	assert_int_equal(p.signer_verified, 1);
	const char *bad = "a reply whose signer has no subject, SHA-256 or verdict";
	snprintf(body, sizeof body, "{\"reply\":7,\"member\":\"CHE\",\"draft\":\"Q.5051\",\"choice\":\"authorize\","
		 "\"received\":\"2020-02-01T10:00:00Z\",\"attachments\":[],\"signer\":{\"subject\":\"CN=J\","
		 "\"cert_sha256\":\"%s\"}}", sha);
	refused(EVK_REPLY, body, bad);
	snprintf(body, sizeof body, "{\"reply\":7,\"member\":\"CHE\",\"draft\":\"Q.5051\",\"choice\":\"authorize\","
		 "\"received\":\"2020-02-01T10:00:00Z\",\"attachments\":[],\"signer\":{\"subject\":\"CN=J\","
		 "\"cert_sha256\":\"abc\",\"verified\":false}}");
	refused(EVK_REPLY, body, bad);
	parse(NULL, NULL, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reply_signer),
		cmocka_unit_test_setup_teardown(every_kind_written_is_in_the_table, fx_setup, fx_teardown),
		cmocka_unit_test(parsers_are_where_payloads_are_read),
		cmocka_unit_test_setup_teardown(parsers_read_back_what_was_recorded, fx_setup, fx_teardown),
		cmocka_unit_test(parsers_refuse_what_is_missing_or_spoilt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
