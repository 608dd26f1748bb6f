/* consultation.c - registering, reading and closing consultations
 * (include/ballot/consultation.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int valid_id(const char *s, const char *extra)
{
	size_t n = strlen(s);
	if (n < 1 || n > BT_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
			return 0;
	return 1;
}

static int is_working_day(bt_date d)
{
	return bt_date_weekday(d) < 5;
}

bt_time bt_default_deadline(bt_date meeting_start)
{
	bt_date d = meeting_start;
	for (int left = 7; left > 0;)
		if (is_working_day(--d))
			left--;
	/* d is the seventh working day before the meeting; the deadline is the
	 * working day before it. */
	do
		d--;
	while (!is_working_day(d));
	return bt_date_time(d) + 23 * 3600 + 59 * 60;
}

int bt_working_days_left(bt_time deadline, bt_date meeting_start)
{
	int n = 0;
	for (bt_date d = bt_time_date(deadline) + 1; d < meeting_start; d++)
		n += is_working_day(d);
	return n;
}

static void load_row(sqlite3_stmt *st, bt_consultation *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, c->circular, sizeof c->circular);
	c->group = sqlite3_column_int(st, 2);
	db_col_copy(st, 3, c->rule, sizeof c->rule);
	c->date = sqlite3_column_int(st, 4);
	c->meeting_start = sqlite3_column_int(st, 5);
	c->meeting_end = sqlite3_column_int(st, 6);
	c->deadline = sqlite3_column_int64(st, 7);
	c->closed = sqlite3_column_type(st, 8) != SQLITE_NULL;
	c->closed_at = c->closed ? sqlite3_column_int64(st, 8) : 0;
	c->custom_electorate = sqlite3_column_int(st, 9);
	c->electorate = sqlite3_column_int(st, 10);
	c->drafts = sqlite3_column_int(st, 11);
}

int consultation_load(bt_db *db, const char *circular, bt_consultation *out, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_GET, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, circular ? circular : "");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		load_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return BT_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, e, "reading a consultation");
	return bt_fail(e, BT_EINPUT, "--circular: no consultation '%s'",
		       circular && bt_text_clean(circular, 0) ? circular : "(unprintable)");
}

int bt_consultation_get(bt_db *db, const char *circular, bt_consultation *out, bt_err *e)
{
	return consultation_load(db, circular, out, e);
}

void bt_consultation_list_free(bt_consultation_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int bt_consultations_list(bt_db *db, int group, bt_consultation_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATIONS_LIST, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int(st, 1, group);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v)) {
			sqlite3_reset(st);
			bt_consultation_list_free(out);
			return bt_fail(e, BT_EFAIL, "out of memory");
		}
		load_row(st, &out->v[out->n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		bt_consultation_list_free(out);
		return db_fail(db, e, "listing consultations");
	}
	return BT_OK;
}

int bt_electorate_list(bt_db *db, const char *circular, bt_member_list *out, bt_err *e)
{
	bt_consultation c;
	int rc = consultation_load(db, circular, &c, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_ELECTORATE_LIST, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c.id);
	return members_collect(db, st, out, e);
}

int electorate_has(bt_db *db, int64_t id, const char *member, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ELECTORATE_HAS, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, member, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, e, "reading the electorate"), -1;
	return rc == SQLITE_ROW;
}

int bt_electorate_has(bt_db *db, const char *circular, const char *member, int *in, bt_err *e)
{
	bt_consultation c;
	char code[4];
	int rc = consultation_load(db, circular, &c, e);
	if (rc || (rc = bt_member_resolve(db, "member", member, code, e)))
		return rc;
	int has = electorate_has(db, c.id, code, e);
	if (has < 0)
		return BT_EFAIL;
	*in = has;
	return BT_OK;
}

/* Adds the members listed in an electorate file to consultation id. */
static int add_electorate(bt_db *db, int64_t id, bt_date date, const char *text, size_t len,
			  int *count, bt_err *e)
{
	if (!bt_utf8_valid(text, len) || memchr(text, '\0', len))
		return bt_fail(e, BT_EINPUT, "--electorate: not valid UTF-8 text");
	char *copy = malloc(len + 1);
	if (!copy)
		return bt_fail(e, BT_EFAIL, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	int rc = BT_OK, line = 0;
	*count = 0;
	char *start = copy;
	if (len >= 3 && memcmp(copy, "\xef\xbb\xbf", 3) == 0)
		start += 3; /* a UTF-8 byte order mark */
	for (char *p = start, *next; p && *p; p = next) {
		char *nl = strchr(p, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		line++;
		char *hash = strchr(p, '#');
		if (hash)
			*hash = '\0';
		while (isspace((unsigned char)*p))
			p++;
		size_t n = strcspn(p, " \t\r");
		char *rest = p + n;
		while (*rest == ' ' || *rest == '\t' || *rest == '\r')
			rest++;
		p[n] = '\0';
		if (!*p)
			continue;
		char code[4], field[48];
		snprintf(field, sizeof field, "--electorate line %d", line);
		if (*rest) {
			rc = bt_fail(e, BT_EINPUT, "%s: one member code per line, found more after '%s'",
				     field, bt_text_clean(p, 0) ? p : "?");
			break;
		}
		bt_date since;
		if ((rc = member_lookup(db, field, p, code, &since, e)))
			break;
		if (since != BT_DATE_NONE && since > date) {
			char d1[BT_DATE_LEN], d2[BT_DATE_LEN];
			bt_date_format(since, d1);
			bt_date_format(date, d2);
			rc = bt_fail(e, BT_EINPUT, "%s: %s became a Member State on %s, after the circular's date %s",
				     field, code, d1, d2);
			break;
		}
		int dup = electorate_has(db, id, code, e);
		if (dup < 0) {
			rc = BT_EFAIL;
			break;
		}
		if (dup)
			continue;
		sqlite3_stmt *st = db_stmt(db, SQL_ELECTORATE_ADD, e);
		if (!st) {
			rc = BT_EFAIL;
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
		if ((rc = db_exec_stmt(db, st, "saving the electorate", e)))
			break;
		(*count)++;
	}
	free(copy);
	if (!rc && *count == 0)
		rc = bt_fail(e, BT_EINPUT, "--electorate: the file lists no Member State");
	return rc;
}

int consultation_payload(bt_db *db, int64_t id, bt_buf *b, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_ROW, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? bt_fail(e, BT_EFAIL, "consultation %lld is missing", (long long)id)
					 : db_fail(db, e, "reading a consultation");
	}
	char d[BT_DATE_LEN], t[BT_TIME_LEN];
	bt_json_kv_int(b, "group", sqlite3_column_int(st, 1), 1);
	bt_json_kv_str(b, "rule", (const char *)sqlite3_column_text(st, 2), 0);
	bt_json_kv_str(b, "rule_edition", (const char *)sqlite3_column_text(st, 3), 0);
	bt_date_format(sqlite3_column_int(st, 4), d);
	bt_json_kv_str(b, "date", d, 0);
	bt_date_format(sqlite3_column_int(st, 5), d);
	bt_json_kv_str(b, "meeting_start", d, 0);
	bt_date_format(sqlite3_column_int(st, 6), d);
	bt_json_kv_str(b, "meeting_end", d, 0);
	bt_time_format(sqlite3_column_int64(st, 7), t);
	bt_json_kv_str(b, "deadline", t, 0);
	bt_json_kv_bool(b, "custom_electorate", sqlite3_column_int(st, 8), 0);
	sqlite3_reset(st);
	bt_json_key(b, "electorate", 0);
	bt_buf_addc(b, '[');
	if (!(st = db_stmt(db, SQL_ELECTORATE_CODES, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	for (int i = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
		if (i)
			bt_buf_addc(b, ',');
		bt_json_str(b, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, e, "reading the electorate");
	bt_buf_addc(b, ']');
	return b->failed ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}

int bt_consultation_create(bt_db *db, const bt_consultation_spec *s, const char *actor,
			   bt_time now, bt_consultation *out, char *warning,
			   size_t warnlen, bt_err *e)
{
	char d1[BT_DATE_LEN], d2[BT_DATE_LEN], t1[BT_TIME_LEN];
	if (warning && warnlen)
		warning[0] = '\0';
	if (!s->circular || !valid_id(s->circular, "./_-"))
		return bt_fail(e, BT_EINPUT,
			       "--circular: '%s' is not a circular ID (1-32 letters, digits, '.', '/', '_', '-')",
			       s->circular && bt_text_clean(s->circular, 0) ? s->circular : "(unprintable)");
	if (s->group < 1 || s->group > 99)
		return bt_fail(e, BT_EINPUT, "--group: '%d' is not a study group number (1-99)", s->group);
	const bt_rule *rule = bt_rule_find(s->rule ? s->rule : "tap");
	if (!rule)
		return bt_fail(e, BT_EINPUT, "--rule: '%s' is not a rule (tap, question, deletion)",
			       bt_text_clean(s->rule, 0) ? s->rule : "(unprintable)");
	if (s->meeting_end < s->meeting_start) {
		bt_date_format(s->meeting_start, d1);
		bt_date_format(s->meeting_end, d2);
		return bt_fail(e, BT_EINPUT, "--meeting-end: %s is before --meeting-start %s", d2, d1);
	}
	if (s->date >= s->meeting_start) {
		bt_date_format(s->date, d1);
		bt_date_format(s->meeting_start, d2);
		return bt_fail(e, BT_EINPUT, "--date: circular date %s is not before the meeting (%s)", d1, d2);
	}
	bt_time deadline = s->has_deadline ? s->deadline
		: rule->period_months ? bt_date_time(bt_date_add_months(s->date, rule->period_months)) + 23 * 3600 + 59 * 60
				    : bt_default_deadline(s->meeting_start);
	bt_time_format(deadline, t1);
	if (deadline < bt_date_time(s->date)) {
		bt_date_format(s->date, d1);
		return bt_fail(e, BT_EINPUT, "--deadline: %s is before the circular's date %s", t1, d1);
	}
	/* Only TAP ties the deadline to the meeting (§9.4.1); the other
	 * consultations run for a fixed period. */
	if (rule->period_months == 0 && deadline >= bt_date_time(s->meeting_start)) {
		bt_date_format(s->meeting_start, d1);
		return bt_fail(e, BT_EINPUT, "--deadline: %s is not before the meeting's first day %s", t1, d1);
	}
	int left = bt_working_days_left(deadline, s->meeting_start);
	if (rule->period_months != 0 && deadline >= bt_date_time(s->meeting_start) && warning)
		snprintf(warning, warnlen, "deadline %s falls on or after the meeting's first day", t1);
	else if (rule->period_months == 0 && left < 7 && warning)
		snprintf(warning, warnlen,
			 "deadline %s leaves %d working day%s before the meeting; WTSA Res. 1 §9.4.1 asks for seven",
			 t1, left, left == 1 ? "" : "s");

	int rc = db_begin(db, e);
	if (rc)
		return rc;
	bt_consultation c;
	bt_err tmp;
	if (consultation_load(db, s->circular, &c, &tmp) == BT_OK) {
		rc = bt_fail(e, BT_EINPUT, "--circular: consultation '%s' already exists", s->circular);
		goto fail;
	}
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_INSERT, e);
	if (!st) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, s->circular);
	sqlite3_bind_int(st, 2, s->group);
	db_bind_text(st, 3, rule->name);
	db_bind_text(st, 4, rule->edition);
	sqlite3_bind_int(st, 5, s->date);
	sqlite3_bind_int(st, 6, s->meeting_start);
	sqlite3_bind_int(st, 7, s->meeting_end);
	sqlite3_bind_int64(st, 8, deadline);
	sqlite3_bind_int(st, 9, s->electorate != NULL);
	sqlite3_bind_int64(st, 10, now);
	sqlite3_bind_int64(st, 11, ev.seq);
	if ((rc = db_exec_stmt(db, st, "saving the consultation", e)))
		goto fail;
	int64_t id = sqlite3_last_insert_rowid(db->h);
	int count = 0;
	if (s->electorate) {
		rc = add_electorate(db, id, s->date, s->electorate, s->electorate_len, &count, e);
	} else if (!(st = db_stmt(db, SQL_ELECTORATE_DEFAULT, e))) {
		rc = BT_EFAIL;
	} else {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, s->date);
		if (!(rc = db_exec_stmt(db, st, "saving the electorate", e)) &&
		    (count = sqlite3_changes(db->h)) == 0)
			rc = bt_fail(e, BT_EINPUT, "--date: no Member State was a member on that date");
	}
	if (rc)
		goto fail;
	bt_buf p = BT_BUF_INIT;
	if (!(rc = consultation_payload(db, id, &p, e)))
		rc = event_write(db, &ev, "consultation", s->circular, now, bt_buf_str(&p), NULL, NULL, e);
	bt_buf_release(&p);
	if (rc)
		goto fail;
	if (out && (rc = consultation_load(db, s->circular, out, e)))
		goto fail;
	if ((rc = db_commit(db, e)))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
}

int bt_consultation_close(bt_db *db, const char *circular, const char *actor,
			  bt_time now, bt_tally *frozen, bt_err *e)
{
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	bt_consultation c;
	char t[BT_TIME_LEN];
	if ((rc = consultation_load(db, circular, &c, e)))
		goto fail;
	if (c.closed) {
		bt_time_format(c.closed_at, t);
		rc = bt_fail(e, BT_EINPUT, "--circular: consultation '%s' was already closed at %s", circular, t);
		goto fail;
	}
	bt_time_format(c.deadline, t);
	if (now <= c.deadline) {
		rc = bt_fail(e, BT_EINPUT,
			     "--circular: consultation '%s' cannot close before its deadline %s",
			     circular, t);
		goto fail;
	}
	bt_tally tally;
	if ((rc = bt_tally_compute(db, circular, now, &tally, e)))
		goto fail;
	if (tally.n == 0) {
		bt_tally_free(&tally);
		rc = bt_fail(e, BT_EINPUT, "--circular: consultation '%s' has no drafts to close", circular);
		goto fail;
	}
	bt_buf p = BT_BUF_INIT;
	bt_json_kv_str(&p, "deadline", t, 1);
	bt_json_kv_str(&p, "rule", tally.rule, 0);
	bt_json_key(&p, "drafts", 0);
	bt_buf_addc(&p, '[');
	for (size_t i = 0; i < tally.n && !rc; i++) {
		bt_draft_tally *d = &tally.drafts[i];
		int proceed = strcmp(d->if_closed_now, "proceed") == 0;
		sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_SET_STATE, e);
		if (!st) {
			rc = BT_EFAIL;
			break;
		}
		sqlite3_bind_int64(st, 1, d->draft_id);
		db_bind_text(st, 2, proceed ? BT_STATE_READY : BT_STATE_NOT_READY);
		db_bind_text(st, 3, d->if_closed_now);
		rc = db_exec_stmt(db, st, "freezing an outcome", e);
		bt_buf_addf(&p, "%s{", i ? "," : "");
		bt_json_kv_str(&p, "rec", d->rec, 1);
		bt_json_kv_str(&p, "outcome", d->if_closed_now, 0);
		bt_json_kv_int(&p, "replies", d->replies, 0);
		bt_json_kv_int(&p, "support", d->support, 0);
		bt_json_kv_int(&p, "not_authorize", d->not_authorize, 0);
		bt_json_kv_int(&p, "late", d->late, 0);
		bt_buf_addc(&p, '}');
	}
	bt_buf_addc(&p, ']');
	if (!rc) {
		sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_CLOSE, e);
		if (!st)
			rc = BT_EFAIL;
		else {
			sqlite3_bind_int64(st, 1, c.id);
			sqlite3_bind_int64(st, 2, now);
			rc = db_exec_stmt(db, st, "closing the consultation", e);
		}
	}
	if (!rc)
		rc = p.failed ? bt_fail(e, BT_EFAIL, "out of memory")
			      : event_append(db, "close", circular, actor, now, bt_buf_str(&p), e);
	bt_buf_release(&p);
	if (rc || (rc = db_commit(db, e))) {
		bt_tally_free(&tally);
		goto fail;
	}
	if (frozen)
		*frozen = tally;
	else
		bt_tally_free(&tally);
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
}
