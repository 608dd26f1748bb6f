/* test_rowcheck.c - a consultation's replies checked against the events that
 * wrote them before a decision reads them (rowcheck.c): the quick pass, which
 * reads each reply event's body beside the row that claims it, vouches for a
 * sound consultation, and every row changed behind the engine's back (member,
 * draft, choice, time, event, a row gone or added, bytes that only look the
 * same) is still refused, named by its table, row and event, whichever way
 * the change slips past the quick pass. */
#include "dump.h"

/* One value of a query on the file behind the engine's back. */
static int64_t q1(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	if (sqlite3_open(path, &h) != SQLITE_OK || sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("q1: %s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("q1: no row for %s", sql);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* Runs sql on table with its append-only triggers dropped, then puts them
 * back, as someone with sqlite3 would. */
static void behind(fx *f, const char *table, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	bt_buf put = BT_BUF_INIT, run = BT_BUF_INIT;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
					    " AND tbl_name = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		bt_buf_addf(&run, "DROP TRIGGER %s;", (const char *)sqlite3_column_text(st, 0));
		bt_buf_addf(&put, "%s;", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	assert_true(run.len > 0);
	bt_buf_addf(&run, "%s;%s", sql, bt_buf_str(&put));
	assert_false(run.failed);
	db_exec(f->path, run.data);
	bt_buf_release(&put);
	bt_buf_release(&run);
}

static void add_draft(fx *f, const char *circular, const char *rec)
{
	bt_draft_spec d = { .circular = circular, .rec = rec, .title = "Another", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
}

/* A reply on draft rec, recorded when received by an actor whose name
 * needs escaping in JSON; with_attachment: a file of comments. */
static void reply_on(fx *f, const char *circular, const char *rec, const char *member, bt_choice c,
		     const char *received, int with_attachment)
{
	bt_attachment_in a = { "comments.txt", "some text", 9 };
	bt_reply_spec s = { .circular = circular, .member = member, .rec = rec, .choice = c, .has_received = 1,
			    .received = T(received), .channel = "fax" };
	if (with_attachment) {
		s.attachments = &a;
		s.n_attachments = 1;
	}
	if (bt_reply_record(f->db, &s, "tsb.o'brien \"fax\"", T(received), NULL, &f->e) != BT_OK)
		fail_msg("reply of %s on %s %s: %s", member, circular, rec, f->e.msg);
}

/* Circular 205 with drafts Q.5051 and Q.2, circular 300 with Q.5051: replies
 * on several days and at odd seconds, one with an attachment, a withdrawal. */
static void replies(fx *f)
{
	fx_circular(f, "205", NULL, NULL);
	add_draft(f, "205", "Q.2");
	fx_circular(f, "300", NULL, NULL);
	reply_on(f, "205", "Q.5051", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1);
	reply_on(f, "205", "Q.2", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:01Z", 0);
	reply_on(f, "205", "Q.5051", "DEU", BT_AUTHORIZE, "2020-02-03T23:59:59Z", 0);
	reply_on(f, "300", "Q.5051", "DEU", BT_AUTHORIZE, "2020-02-04T00:00:00Z", 0);
	reply_on(f, "205", "Q.5051", "FRA", BT_AUTHORIZE, "2020-02-05T08:07:06Z", 0);
	reply_on(f, "205", "Q.5051", "FRA", BT_WITHDRAW, "2020-02-06T12:00:00Z", 0);
	reply_on(f, "205", "Q.2", "GBR", BT_NOT_AUTHORIZE, "2020-02-21T23:58:00Z", 0);
}

static int64_t reply_id(fx *f, const char *where)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT id FROM replies WHERE %s", where);
	return q1(f->path, sql);
}

static int64_t event_of(fx *f, int64_t reply)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT event_seq FROM replies WHERE id = %lld", (long long)reply);
	return q1(f->path, sql);
}

/* The tally of circular (a read for a decision) is refused as damaged, with
 * want in the message (and the pointer to check). */
static void refused(fx *f, const char *circular, const char *want)
{
	bt_tally t;
	int rc = bt_tally_compute(f->db, circular, T("2020-03-01T00:00:00Z"), &t, &f->e);
	if (rc != BT_EFAIL || f->e.reason != BT_R_DAMAGED || !strstr(f->e.msg, want) || !strstr(f->e.msg, "{cmd:check}"))
		fail_msg("tally of %s gave %d '%s', not damaged with '%s'", circular, rc, f->e.msg, want);
}

/* refused, naming replies row `row` and event `seq`. */
static void refused_row(fx *f, const char *circular, int64_t row, int64_t seq)
{
	char want[160];
	snprintf(want, sizeof want, "circular %s: the replies row %lld differs from event %lld that wrote it", circular,
		 (long long)row, (long long)seq);
	refused(f, circular, want);
}

static void sound(fx *f, const char *circular)
{
	bt_tally t;
	if (bt_tally_compute(f->db, circular, T("2020-03-01T00:00:00Z"), &t, &f->e) != BT_OK)
		fail_msg("tally of %s: %s", circular, f->e.msg);
	bt_tally_free(&t);
}

static void sound_rows_pass(void **state)
{
	fx *f = *state;
	replies(f);
	sound(f, "205");
	sound(f, "300");
	sound(f, "205"); /* and again from the connection's cache */
	bt_status_list l;
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-03-01T00:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 3);
	bt_status_list_free(&l);
}

/* status checks every consultation's replies in one pass: a change made
 * after it found them sound is refused on the same connection, by a tally
 * and by status itself. */
static void status_after_a_change(void **state)
{
	fx *f = *state;
	replies(f);
	bt_status_list l;
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-03-01T00:00:00Z"), &l, &f->e), BT_OK);
	bt_status_list_free(&l);
	int64_t id = reply_id(f, "member = 'DEU' AND draft_id = 3");
	behind(f, "replies", "UPDATE replies SET choice = 'not-authorize' WHERE member = 'DEU' AND draft_id = 3");
	refused_row(f, "300", id, event_of(f, id));
	sound(f, "205");
	l.v = (bt_status_row *)1;
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-03-01T00:00:00Z"), &l, &f->e), BT_EFAIL);
	char want[160];
	snprintf(want, sizeof want, "circular 300: the replies row %lld differs from event %lld that wrote it",
		 (long long)id, (long long)event_of(f, id));
	if (!strstr(f->e.msg, want))
		fail_msg("status gave '%s', not '%s'", f->e.msg, want);
	assert_null(l.v);
}

/* status refuses a reply event whose row is gone (every row left is sound). */
static void status_row_gone(void **state)
{
	fx *f = *state;
	replies(f);
	int64_t seq = event_of(f, reply_id(f, "member = 'GBR'"));
	behind(f, "replies", "DELETE FROM replies WHERE member = 'GBR'");
	bt_status_list l;
	assert_int_equal(bt_status_list_get(f->db, 0, T("2020-03-01T00:00:00Z"), &l, &f->e), BT_EFAIL);
	char want[160];
	snprintf(want, sizeof want, "circular 205: the replies table differs from event %lld that wrote it", (long long)seq);
	if (!strstr(f->e.msg, want))
		fail_msg("status gave '%s', not '%s'", f->e.msg, want);
}

/* One reply row changed behind the engine's back: which row (where), the
 * change (set, an SQL SET list), the consultation that must refuse it. */
typedef struct {
	const char *where, *set, *circular;
} row_change;

static const row_change changes[] = {
	/* another member; the other consultation stays sound (checked below) */
	{ "member = 'DEU' AND draft_id = 1", "member = 'AUT'", "205" },
	/* a second, a day (another day's date printed), an hour, 30 years */
	{ "member = 'DEU' AND draft_id = 1", "received = received + 1", "205" },
	{ "member = 'DEU' AND draft_id = 1", "received = received - 86400", "205" },
	{ "member = 'DEU' AND draft_id = 1", "received = received + 3600", "205" },
	{ "member = 'DEU' AND draft_id = 1", "received = received + 946080000", "205" },
	/* another choice, another draft of the same consultation */
	{ "member = 'GBR'", "choice = 'authorize'", "205" },
	{ "member = 'GBR'", "draft_id = 1", "205" },
	/* bytes that look the same: a NUL after the code, a trailing space,
	 * a quote in the code, a newline in it */
	{ "member = 'DEU' AND draft_id = 1", "member = CAST(X'44455500' AS TEXT)", "205" },
	{ "member = 'DEU' AND draft_id = 1", "member = 'DEU ' ", "205" },
	{ "member = 'DEU' AND draft_id = 1", "member = 'DE\"U'", "205" },
	{ "member = 'DEU' AND draft_id = 1", "member = 'DE' || char(10) || 'U'", "205" },
};

/* Each change on a fresh database: refused, naming the row and its event. */
static void changed_rows(void **state)
{
	for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
		fx *f = *state;
		replies(f);
		int64_t id = reply_id(f, changes[i].where);
		char sql[256];
		snprintf(sql, sizeof sql, "UPDATE replies SET %s WHERE id = %lld", changes[i].set, (long long)id);
		behind(f, "replies", sql);
		refused_row(f, changes[i].circular, id, event_of(f, id));
		if (strcmp(changes[i].circular, "300") != 0)
			sound(f, "300");
		fx_teardown(state);
		assert_int_equal(fx_setup(state), 0);
	}
}

static void moved_to_another_consultation(void **state)
{
	fx *f = *state;
	replies(f);
	int64_t id = reply_id(f, "member = 'GBR'");
	int64_t seq = event_of(f, id);
	behind(f, "replies", "UPDATE replies SET draft_id = 3 WHERE member = 'GBR'");
	/* the consultation it now counts in refuses it, and the one it left */
	refused_row(f, "300", id, seq);
	char want[160];
	snprintf(want, sizeof want, "the replies table differs from event %lld that wrote it (the reply this event recorded is missing)",
		 (long long)seq);
	refused(f, "205", want);
}

/* The same draft's reply moved to the other consultation, and a row in its
 * place that claims no event: as many rows as reply events still. */
static void moved_and_replaced(void **state)
{
	fx *f = *state;
	replies(f);
	int64_t id = reply_id(f, "member = 'CHE' AND draft_id = 1");
	int64_t seq = event_of(f, id);
	char sql[512];
	snprintf(sql, sizeof sql,
		 "UPDATE replies SET draft_id = 3 WHERE id = %lld;"
		 "INSERT INTO replies(draft_id, member, choice, received, channel, recorded_at, recorded_by, event_seq)"
		 " VALUES (1, 'ITA', 'authorize', 1580551200, 'fax', 1580551200, 't', 999999)", (long long)id);
	behind(f, "replies", sql);
	char want[160];
	snprintf(want, sizeof want, "the replies table differs from event %lld that wrote it (the reply this event recorded is missing)",
		 (long long)seq);
	refused(f, "205", want);
}

static void events_swapped(void **state)
{
	fx *f = *state;
	replies(f);
	int64_t che = reply_id(f, "member = 'CHE' AND draft_id = 1"), deu = reply_id(f, "member = 'DEU' AND draft_id = 1");
	int64_t che_seq = event_of(f, che), deu_seq = event_of(f, deu);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE replies SET event_seq = -1 WHERE id = %lld; UPDATE replies SET event_seq = %lld WHERE id = %lld;"
		 "UPDATE replies SET event_seq = %lld WHERE id = %lld", (long long)che, (long long)che_seq,
		 (long long)deu, (long long)deu_seq, (long long)che);
	behind(f, "replies", sql);
	/* the row that names the first event in the log */
	refused_row(f, "205", che_seq < deu_seq ? deu : che, che_seq < deu_seq ? che_seq : deu_seq);
}

static void row_gone(void **state)
{
	fx *f = *state;
	replies(f);
	int64_t id = reply_id(f, "member = 'FRA' AND choice = 'withdraw'");
	int64_t seq = event_of(f, id);
	behind(f, "replies", "DELETE FROM replies WHERE member = 'FRA' AND choice = 'withdraw'");
	char want[160];
	snprintf(want, sizeof want, "the replies table differs from event %lld that wrote it (the reply this event recorded is missing)",
		 (long long)seq);
	refused(f, "205", want);
}

static void row_added(void **state)
{
	fx *f = *state;
	replies(f);
	/* a row that claims the consultation's own event, and one that claims none */
	int64_t cseq = q1(f->path, "SELECT event_seq FROM consultations WHERE circular = '205'");
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO replies(draft_id, member, choice, received, channel, recorded_at, recorded_by, event_seq)"
		 " VALUES (1, 'ITA', 'authorize', 1580551200, 'fax', 1580551200, 't', %lld)", (long long)cseq);
	behind(f, "replies", sql);
	int64_t id = reply_id(f, "member = 'ITA'");
	refused_row(f, "205", id, cseq);
	behind(f, "replies", "UPDATE replies SET event_seq = 999999 WHERE member = 'ITA'");
	refused_row(f, "205", id, 999999);
}

/* The status list of every consultation: BT_OK, or refused naming want. */
static void status_is(fx *f, const char *want)
{
	bt_status_list l;
	int rc = bt_status_list_get(f->db, 0, T("2020-03-01T00:00:00Z"), &l, &f->e);
	if (!want) {
		if (rc != BT_OK)
			fail_msg("status: %s", f->e.msg);
		bt_status_list_free(&l);
	} else if (rc != BT_EFAIL || !strstr(f->e.msg, want)) {
		fail_msg("status gave %d '%s', not '%s'", rc, f->e.msg, want);
	}
}

/* A reply row added behind the engine's back with no trigger touched (no
 * schema change: the connection's checks are incremental, reading only the
 * rows after the ones they found sound): id, member, the event it claims. */
static void row_appended(fx *f, const char *id, const char *member, int64_t seq)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO replies(id, draft_id, member, choice, received, channel, recorded_at, recorded_by, event_seq)"
		 " VALUES (%s, 1, '%s', 'authorize', 1580551200, 'fax', 1580551200, 't', %lld)", id, member,
		 (long long)seq);
	db_exec(f->path, sql);
}

/* After a sound check, the same connection checks only what was added:
 * replies the engine records are found sound (by the tally and by status),
 * and a row appended behind its back that its event does not vouch for is
 * refused, by the tally and by status. */
static void appended_rows_checked(void **state)
{
	fx *f = *state;
	replies(f);
	sound(f, "205");
	status_is(f, NULL);
	reply_on(f, "205", "Q.2", "ITA", BT_AUTHORIZE, "2020-02-10T10:00:00Z", 0);
	reply_on(f, "205", "Q.2", "ITA", BT_WITHDRAW, "2020-02-10T10:00:01Z", 0);
	sound(f, "205");
	status_is(f, NULL);
	sound(f, "300");
	reply_on(f, "300", "Q.5051", "ITA", BT_NOT_AUTHORIZE, "2020-02-11T10:00:00Z", 1);
	sound(f, "300");
	sound(f, "205");
	/* a row that claims no event, and one that claims the event of another
	 * consultation's reply */
	row_appended(f, "NULL", "ESP", 999999);
	int64_t id = reply_id(f, "member = 'ESP'");
	refused_row(f, "205", id, 999999);
	char want[160];
	snprintf(want, sizeof want, "circular 205: the replies row %lld differs from event 999999", (long long)id);
	status_is(f, want);
}

/* The same for a reply row given a number below the lowest (none can be
 * given between: the numbers have no gap) and for a reply event appended
 * with no row; and an old row changed (its trigger dropped, then put back:
 * the schema changed) is found by a check in full. */
static void appended_elsewhere(void **state)
{
	fx *f = *state;
	replies(f);
	sound(f, "205");
	row_appended(f, "-1", "ESP", 999999);
	refused_row(f, "205", -1, 999999);
	fx_teardown(state);
	assert_int_equal(fx_setup(state), 0);
	f = *state;
	replies(f);
	sound(f, "205");
	status_is(f, NULL);
	int64_t seq = q1(f->path, "SELECT max(seq) + 1 FROM events");
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO events(seq, at, actor, kind, circular, body, prev_hash, hash) SELECT %lld, at, actor, kind,"
		 " circular, replace(body, '\"seq\":' || seq, '\"seq\":%lld'), hash, hash FROM events"
		 " WHERE kind = 'reply' AND circular = '205' ORDER BY seq DESC LIMIT 1", (long long)seq, (long long)seq);
	db_exec(f->path, sql);
	char want[160];
	snprintf(want, sizeof want, "the replies table differs from event %lld that wrote it (the reply this event recorded is missing)",
		 (long long)seq);
	refused(f, "205", want);
	status_is(f, want);
	/* an old row changed with its trigger dropped and put back (the schema
	 * changed): checked in full again, on the same connection */
	fx_teardown(state);
	assert_int_equal(fx_setup(state), 0);
	f = *state;
	replies(f);
	sound(f, "205");
	status_is(f, NULL);
	int64_t id = reply_id(f, "member = 'GBR'");
	behind(f, "replies", "UPDATE replies SET choice = 'authorize' WHERE member = 'GBR'");
	refused_row(f, "205", id, event_of(f, id));
	snprintf(want, sizeof want, "circular 205: the replies row %lld differs from event %lld", (long long)id,
		 (long long)event_of(f, id));
	status_is(f, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sound_rows_pass, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(status_after_a_change, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(status_row_gone, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(changed_rows, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(moved_to_another_consultation, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(moved_and_replaced, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(events_swapped, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(row_gone, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(row_added, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(appended_rows_checked, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(appended_elsewhere, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
