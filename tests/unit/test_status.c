/* test_status.c - where every draft stands (status.c): its state and
 * outcome at a time, as the tally gives them, filtered by study group; a
 * consultation whose rows differ from their events is refused. */
#include "dump.h"
#include "ballot/export.h"
#include "store/store.h"

static const bt_status_row *row(const bt_status_list *l, const char *circular, const char *rec)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].circular, circular) && !strcmp(l->v[i].rec, rec))
			return &l->v[i];
	fail_msg("no status row for %s %s", circular, rec);
	return NULL;
}

static void add_draft(fx *f, const char *circular, const char *rec)
{
	bt_draft_spec d = { .circular = circular, .rec = rec, .title = "Another", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
}

static void states_through_the_sequence(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	add_draft(f, "205", "Q.2");
	bt_reply_spec s = { .circular = "205", .member = "CHE", .rec = "Q.2", .choice = BT_NOT_AUTHORIZE,
			    .has_received = 1, .received = T("2020-02-01T10:00:00Z") };
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-02-01T10:00:00Z"), NULL, &f->e), BT_OK);
	s.rec = "Q.5051";
	s.choice = BT_AUTHORIZE;
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-02-01T10:00:00Z"), NULL, &f->e), BT_OK);
	bt_status_list l;
	/* during the consultation */
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-02-10T00:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].rec, "Q.5051"); /* draft order */
	assert_string_equal(l.v[1].rec, "Q.2");
	assert_string_equal(l.v[0].state, BT_STATE_IN_CONSULTATION);
	assert_string_equal(l.v[0].outcome, "pending");
	assert_string_equal(l.v[0].circular, "205");
	assert_int_equal(l.v[0].group, 11);
	assert_string_equal(l.v[0].title, "Framework for combating the use of stolen mobile devices");
	assert_string_equal(l.v[0].rule, "tap");
	assert_int_equal(l.v[0].deadline, T("2020-02-21T23:59:00Z"));
	assert_int_equal(l.v[0].meeting_start, D("2020-03-04"));
	assert_int_equal(l.v[0].meeting_end, D("2020-03-13"));
	assert_int_equal(l.v[0].more_time_until, BT_DATE_NONE);
	assert_int_equal(l.v[0].summary_missing, 0);
	bt_status_list_free(&l);
	/* after the deadline, before closing */
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-02-22T01:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(row(&l, "205", "Q.5051")->state, BT_STATE_AWAITING_CLOSE);
	assert_string_equal(row(&l, "205", "Q.5051")->outcome, "proceed");
	assert_string_equal(row(&l, "205", "Q.2")->outcome, "not-proceed");
	bt_status_list_free(&l);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-02-22T08:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(row(&l, "205", "Q.5051")->state, BT_STATE_READY);
	assert_string_equal(row(&l, "205", "Q.2")->state, BT_STATE_NOT_READY);
	bt_status_list_free(&l);
	/* an earlier time still shows what was then */
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-02-10T00:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(row(&l, "205", "Q.5051")->state, BT_STATE_IN_CONSULTATION);
	assert_string_equal(row(&l, "205", "Q.5051")->outcome, "pending");
	bt_status_list_free(&l);

	const char *asked[] = { "CHE" };
	bt_decision_spec d = { .circular = "205", .rec = "Q.5051", .kind = BT_DECISION_MORE_TIME, .codes = asked,
			       .n_codes = 1 };
	assert_int_equal(bt_decide(f->db, &d, "t", T("2020-03-05T10:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_status_list_get(f->db, 11, T("2020-03-05T10:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(row(&l, "205", "Q.5051")->state, BT_STATE_MORE_TIME);
	assert_int_equal(row(&l, "205", "Q.5051")->more_time_until, D("2020-04-10"));
	assert_int_equal(row(&l, "205", "Q.2")->more_time_until, BT_DATE_NONE);
	bt_status_list_free(&l);
	d.kind = BT_DECISION_APPROVED;
	d.n_codes = 0;
	assert_int_equal(bt_decide(f->db, &d, "t", T("2020-04-11T10:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_status_list_get(f->db, 11, T("2020-04-11T10:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(row(&l, "205", "Q.5051")->state, BT_STATE_APPROVED);
	assert_int_equal(row(&l, "205", "Q.5051")->more_time_until, BT_DATE_NONE);
	bt_status_list_free(&l);
}

static void by_study_group(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_consultation_spec s = { .circular = "300", .group = 12, .date = D("2019-12-02"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13"),
				   .rule = "question" };
	char warn[200];
	assert_int_equal(bt_consultation_create(f->db, &s, "t", T("2019-12-02T00:00:00Z"), NULL, warn, sizeof warn,
						&f->e), BT_OK);
	bt_draft_spec d = { .circular = "300", .rec = "Q.9/12", .title = "New Question" };
	REFUSED(f, bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), "rec: 'Q.9/12'");
	d.rec = "Q.9-12";
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
	bt_status_list l;
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-01-01T00:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	/* by deadline (the question's is two months after its date), then
	 * circular: not by circular as include/ballot/status.h says */
	assert_string_equal(l.v[0].circular, "300");
	assert_string_equal(l.v[1].circular, "205");
	assert_string_equal(l.v[0].rule, "question");
	assert_int_equal(l.v[0].summary_missing, 0); /* only a tap draft needs one */
	bt_status_list_free(&l);
	assert_int_equal(bt_status_list_get(f->db, 12, T("2020-01-01T00:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].circular, "300");
	assert_int_equal(l.v[0].group, 12);
	bt_status_list_free(&l);
	assert_int_equal(bt_status_list_get(f->db, 13, T("2020-01-01T00:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 0);
	bt_status_list_free(&l);
	/* the question's deadline passed: its outcome is final */
	assert_int_equal(bt_status_list_get(f->db, 12, T("2020-02-03T00:00:00Z"), &l, &f->e), BT_OK);
	assert_string_equal(l.v[0].state, BT_STATE_AWAITING_CLOSE);
	assert_string_equal(l.v[0].outcome, "not-proceed"); /* fewer than ten replies */
	bt_status_list_free(&l);
}

static void a_changed_row_is_refused(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1), BT_OK);
	db_exec(f->path, "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'authorize'");
	bt_status_list l = { (bt_status_row *)1, 7 };
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-02-10T00:00:00Z"), &l, &f->e), BT_EFAIL);
	assert_non_null(strstr(f->e.msg, "circular 205: the replies row 1 differs from event 6 that wrote it"));
	assert_non_null(strstr(f->e.msg, "{cmd:check}"));
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

/* The status document as `status --json` makes it. */
static void status_json(fx *f, int group, bt_time as_of, bt_buf *out)
{
	bt_status_list l;
	assert_int_equal(bt_status_list_get(f->db, group, as_of, &l, &f->e), BT_OK);
	bt_buf_reset(out);
	assert_int_equal(bt_status_json(f->db, &l, out, &f->e), BT_OK);
	bt_status_list_free(&l);
}

/* bt_status_doc: the bytes of status --json; kept while nothing changes
 * (the same time and group), made again after a commit on another
 * connection, at another time or for another group. bt_docs_made counts
 * the documents made: one given again from what was kept is not. */
static void the_document_kept_until_a_change(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_time at = T("2020-02-01T10:00:00Z");
	bt_buf doc = BT_BUF_INIT, want = BT_BUF_INIT;
	assert_int_equal(bt_docs_made(f->db), 0);
	assert_int_equal(bt_status_doc(f->db, 0, at, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 1);
	status_json(f, 0, at, &want);
	assert_string_equal(bt_buf_str(&doc), bt_buf_str(&want));
	/* asked again: the same bytes, not made again */
	bt_buf_reset(&doc);
	for (int i = 0; i < 3; i++)
		assert_int_equal(bt_status_doc(f->db, 0, at, &doc, &f->e), BT_OK);
	assert_string_equal(bt_buf_str(&doc), bt_buf_str(&want));
	assert_int_equal(bt_docs_made(f->db), 1);
	/* kept under its group and time */
	assert_int_equal(db_doc_get(f->db, "status 0 1580551200", &doc), 1);
	assert_int_equal(db_doc_get(f->db, "status 11 1580551200", &doc), 0);
	assert_int_equal(db_doc_get(f->db, "status 0 1580551201", &doc), 0);
	/* another connection adds a draft: the next document has it */
	bt_db *other;
	assert_int_equal(bt_db_open(f->path, 0, &other, &f->e), BT_OK);
	bt_draft_spec d = { .circular = "205", .rec = "Q.2", .title = "Another", .summary = "s" };
	assert_int_equal(bt_draft_add(other, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
	bt_db_close(other);
	assert_int_equal(db_doc_get(f->db, "status 0 1580551200", &doc), 0);
	assert_int_equal(bt_status_doc(f->db, 0, at, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 2);
	assert_non_null(strstr(bt_buf_str(&doc), "\"rec\":\"Q.2\""));
	status_json(f, 0, at, &want);
	assert_string_equal(bt_buf_str(&doc), bt_buf_str(&want));
	/* this connection's own change too */
	d.rec = "Q.3";
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_status_doc(f->db, 0, at, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 3);
	assert_non_null(strstr(bt_buf_str(&doc), "\"rec\":\"Q.3\""));
	/* another time, another group: their own documents */
	assert_int_equal(bt_status_doc(f->db, 12, at, &doc, &f->e), BT_OK);
	assert_string_equal(bt_buf_str(&doc), "[]\n");
	assert_int_equal(bt_status_doc(f->db, 0, at + 1, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 5);
	/* ... kept side by side: each given again */
	assert_int_equal(bt_status_doc(f->db, 12, at, &doc, &f->e), BT_OK);
	assert_int_equal(bt_status_doc(f->db, 0, at, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 5);
	bt_buf_release(&doc);
	bt_buf_release(&want);
}

/* The document of tally --json as bt_tally_json makes it. */
static void tally_json(fx *f, const char *circular, bt_time as_of, int user_as_of, bt_buf *out)
{
	bt_tally t;
	assert_int_equal(user_as_of ? bt_tally_as_of(f->db, circular, as_of, &t, &f->e)
				    : bt_tally_compute(f->db, circular, as_of, &t, &f->e), BT_OK);
	bt_buf_reset(out);
	assert_int_equal(bt_tally_json(&t, out, &f->e), BT_OK);
	bt_tally_free(&t);
}

/* bt_tally_doc: the bytes of tally --json, kept per circular, time and
 * kind (--as-of or now) beside the status documents while nothing
 * changes; a reply recorded on another connection makes it again. */
static void the_tally_kept_until_a_change(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	fx_circular(f, "206", NULL, NULL);
	bt_time at = T("2020-02-01T10:00:00Z");
	bt_buf doc = BT_BUF_INIT, want = BT_BUF_INIT;
	assert_int_equal(bt_tally_doc(f->db, "205", at, 0, &doc, &f->e), BT_OK);
	tally_json(f, "205", at, 0, &want);
	assert_string_equal(bt_buf_str(&doc), bt_buf_str(&want));
	assert_int_equal(bt_tally_doc(f->db, "206", at, 0, &doc, &f->e), BT_OK);
	assert_int_equal(bt_tally_doc(f->db, "205", at, 1, &doc, &f->e), BT_OK);
	tally_json(f, "205", at, 1, &want);
	assert_string_equal(bt_buf_str(&doc), bt_buf_str(&want));
	assert_int_equal(bt_status_doc(f->db, 0, at, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 4);
	/* all four kept: given again, not made */
	assert_int_equal(bt_tally_doc(f->db, "206", at, 0, &doc, &f->e), BT_OK);
	assert_int_equal(bt_tally_doc(f->db, "205", at, 1, &doc, &f->e), BT_OK);
	assert_int_equal(bt_status_doc(f->db, 0, at, &doc, &f->e), BT_OK);
	assert_int_equal(bt_tally_doc(f->db, "205", at, 0, &doc, &f->e), BT_OK);
	tally_json(f, "205", at, 0, &want);
	assert_string_equal(bt_buf_str(&doc), bt_buf_str(&want));
	assert_int_equal(bt_docs_made(f->db), 4);
	assert_non_null(strstr(bt_buf_str(&doc), "\"replies\":0"));
	/* a reply on another connection: the tally counts it */
	bt_db *other;
	assert_int_equal(bt_db_open(f->path, 0, &other, &f->e), BT_OK);
	bt_reply_spec s = { .circular = "205", .member = "CHE", .rec = "Q.5051", .choice = BT_AUTHORIZE,
			    .has_received = 1, .received = T("2020-02-01T09:00:00Z") };
	assert_int_equal(bt_reply_record(other, &s, "t", T("2020-02-01T09:00:00Z"), NULL, &f->e), BT_OK);
	bt_db_close(other);
	assert_int_equal(bt_tally_doc(f->db, "205", at, 0, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 5);
	assert_non_null(strstr(bt_buf_str(&doc), "\"replies\":1"));
	tally_json(f, "205", at, 0, &want);
	assert_string_equal(bt_buf_str(&doc), bt_buf_str(&want));
	/* an unknown circular: the engine's error, nothing kept */
	assert_int_not_equal(bt_tally_doc(f->db, "999", at, 0, &doc, &f->e), BT_OK);
	assert_int_equal(f->e.reason, BT_R_NOT_FOUND);
	assert_int_equal(bt_docs_made(f->db), 5);
	/* more keys than slots: the oldest go, the newest stay */
	for (int i = 0; i < BT_DOC_SLOTS + 2; i++)
		assert_int_equal(bt_status_doc(f->db, 0, at + 10 + i, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 5 + BT_DOC_SLOTS + 2);
	assert_int_equal(bt_status_doc(f->db, 0, at + 10 + BT_DOC_SLOTS + 1, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 5 + BT_DOC_SLOTS + 2);
	assert_int_equal(bt_status_doc(f->db, 0, at + 10, &doc, &f->e), BT_OK);
	assert_int_equal(bt_docs_made(f->db), 5 + BT_DOC_SLOTS + 3);
	bt_buf_release(&doc);
	bt_buf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(states_through_the_sequence, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(by_study_group, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_changed_row_is_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_document_kept_until_a_change, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_tally_kept_until_a_change, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
