/* rowcheck.c - the rows an event wrote, rendered again and compared with
 * the event: for every kind by the kinds table (domain/kinds.c), for the
 * whole log by the audit, and for one consultation before anything reads or
 * decides on it (include/ballot/audit.h; services floor). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"

/* Records the first problem found (the lowest event number wins). */
void audit_flag(bt_audit_report *r, int64_t seq, const char *what)
{
	if (r->first_bad == 0 || seq < r->first_bad) {
		r->first_bad = seq;
		snprintf(r->problem, sizeof r->problem, "%s", what);
	}
}

/* flag, naming the row (table, id) when it is the first problem. */
void audit_flag_row(bt_audit_report *r, int64_t seq, const char *what, const char *table, int64_t id)
{
	audit_flag(r, seq, what);
	if (r->first_bad == seq && !r->table[0]) {
		snprintf(r->table, sizeof r->table, "%s", table);
		r->row = id;
	}
}

static const char *table_of(const char *want)
{
	const event_kind *k = event_kind_find(want);
	return k && k->table ? k->table : "replies";
}

/* An event rendered again is compared with its body only when the rendering
 * is whole: an allocation that failed is an error, not a damaged row. */
static int render_whole(const bt_buf *p, const bt_buf *expect, int oom, bt_err *e)
{
	return p->failed || expect->failed || oom ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* db_col_strdup, noting in *oom a non-NULL column it could not copy. */
static char *col_dup(sqlite3_stmt *st, int i, int *oom)
{
	char *s = db_col_strdup(st, i);
	if (!s && sqlite3_column_type(st, i) != SQLITE_NULL)
		*oom = 1;
	return s;
}

/* The one row of kind want that event seq wrote: *found counts them. */
static int row_of_event(bt_db *db, int64_t seq, const char *want, int64_t *id, int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ROW_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step;
	*found = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		if (type && strcmp(type, want) == 0) {
			*id = sqlite3_column_int64(st, 1);
			(*found)++;
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the rows behind an event");
}

/* What a row gives again of its event: the payload, and the parts of the
 * event's head the row holds (when: the event's time unless the row has its
 * own; who: NULL for the event's actor). oom: a column could not be copied. */
typedef struct {
	bt_buf p;
	char *circular, *who;
	bt_time when;
	int oom;
} row_render;

/* st bound to a row's id and stepped once (step): a row found or missing
 * is for the comparison to judge; any other step is SQLite's error. */
static int row_read_end(bt_db *db, sqlite3_stmt *st, int step, bt_err *e)
{
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the row behind an event");
}

static int render_consultation(bt_db *db, int64_t id, row_render *x, bt_err *e)
{
	int rc = consultation_payload(db, id, &x->p, e);
	sqlite3_stmt *st = rc ? NULL : db_stmt(db, SQL_CONSULTATION_ROW, e);
	if (!st)
		return rc ? rc : BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		x->circular = col_dup(st, 0, &x->oom);
		x->when = sqlite3_column_int64(st, 9);
	}
	return row_read_end(db, st, step, e);
}

static int render_draft(bt_db *db, int64_t id, row_render *x, bt_err *e)
{
	int rc = draft_payload(db, id, &x->p, e);
	sqlite3_stmt *st = rc ? NULL : db_stmt(db, SQL_DRAFT_ROW, e);
	if (!st)
		return rc ? rc : BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		x->circular = col_dup(st, 7, &x->oom);
	return row_read_end(db, st, step, e);
}

/* A decision's payload is its stored detail; a kind that its detail does
 * not name is flagged at once. */
static int render_decision(bt_db *db, int64_t seq, int64_t id, row_render *x, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DECISION_ROW, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		bt_buf_adds(&x->p, (const char *)sqlite3_column_text(st, 0));
		x->when = sqlite3_column_int64(st, 1);
		x->who = col_dup(st, 2, &x->oom);
		x->circular = col_dup(st, 3, &x->oom);
		if (!sqlite3_column_int(st, 4))
			audit_flag_row(r, seq, "the stored decision's kind differs from what the event recorded",
				       "decisions", id);
	}
	return row_read_end(db, st, step, e);
}

/* A reply or withdrawal (kind): a stored choice of the other kind is
 * flagged at once. */
static int render_reply(bt_db *db, int64_t seq, const char *kind, int64_t id, row_render *x,
			bt_audit_report *r, bt_err *e)
{
	int rc = reply_payload(db, id, &x->p, e);
	sqlite3_stmt *st = rc ? NULL : db_stmt(db, SQL_REPLY_ROW, e);
	if (!st)
		return rc ? rc : BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *choice = (const char *)sqlite3_column_text(st, 3);
		if (choice && (strcmp(choice, "withdraw") == 0) != (strcmp(kind, "withdrawal") == 0))
			audit_flag_row(r, seq, "the stored reply's choice differs from what the event recorded",
				       "replies", id);
		x->when = sqlite3_column_int64(st, 9);
		x->who = col_dup(st, 10, &x->oom);
		x->circular = col_dup(st, 11, &x->oom);
	}
	return row_read_end(db, st, step, e);
}

/* The event rendered again from x compared with its body; a difference is
 * flagged on the row (want, id). */
static int compare_row(int64_t seq, const char *actor, const char *kind, const char *want, int64_t id,
		       const char *cprev, const char *body, row_render *x, bt_audit_report *r, bt_err *e)
{
	bt_buf expect = BT_BUF_INIT;
	event_render(&expect, seq, x->when, x->who ? x->who : actor, kind, x->circular, cprev, bt_buf_str(&x->p));
	int rc = render_whole(&x->p, &expect, x->oom, e);
	if (!rc && strcmp(bt_buf_str(&expect), body) != 0) {
		char what[128];
		snprintf(what, sizeof what, "the stored %s differs from what the event recorded%s", want,
			 strcmp(want, "reply") == 0 ? " (or its attachments, time, recorder or circular)" : "");
		audit_flag_row(r, seq, what, table_of(want), id);
	}
	bt_buf_release(&expect);
	return rc;
}

/* Renders what the body of event seq must be, from the row it recorded;
 * flags the event when the row is missing or differs. */
static int check_row(bt_db *db, int64_t seq, bt_time at, const char *actor, const char *kind,
		     const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	const char *want = strcmp(kind, "withdrawal") == 0 ? "reply" : kind;
	int64_t id = 0;
	int found = 0;
	int rc = row_of_event(db, seq, want, &id, &found, e);
	if (rc)
		return rc;
	if (found != 1) {
		char what[96];
		snprintf(what, sizeof what, "the %s this event recorded is missing", want);
		audit_flag_row(r, seq, what, table_of(want), 0);
		return BT_OK;
	}
	row_render x = { BT_BUF_INIT, NULL, NULL, at, 0 };
	if (strcmp(want, "consultation") == 0)
		rc = render_consultation(db, id, &x, e);
	else if (strcmp(want, "draft") == 0)
		rc = render_draft(db, id, &x, e);
	else if (strcmp(want, "decision") == 0)
		rc = render_decision(db, seq, id, &x, r, e);
	else
		rc = render_reply(db, seq, kind, id, &x, r, e);
	if (!rc)
		rc = compare_row(seq, actor, kind, want, id, cprev, body, &x, r, e);
	free(x.circular);
	free(x.who);
	bt_buf_release(&x.p);
	return rc;
}

/* An auth event (codes, accounts, certificates) rendered again from the rows
 * it recorded. */
static int check_auth(bt_db *db, int64_t seq, const char *actor, const char *kind,
		      const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT, expect = BT_BUF_INIT;
	char circular[BT_ID_MAX + 1];
	bt_time when = 0;
	int found = 0;
	int rc = auth_payload(db, seq, kind, &p, circular, &when, &found, e);
	/* the digests of the stored hashes close the body (events since
	 * schema 6); check_hashes compares them with the rows */
	const char *dig = strstr(body, strcmp(kind, "codes-issue") == 0 ? ",\"hash_digests\":{"
							      : ",\"password_digest\":\"");
	int token = strncmp(kind, "token-", 6) == 0;
	if (!rc && !found) {
		audit_flag(r, seq, token ? "the API token this event recorded is missing"
					 : "the reply codes, account or certificate this event recorded are missing");
	} else if (!rc) {
		event_render(&expect, seq, when, actor, kind, circular[0] ? circular : NULL, cprev,
			     bt_buf_str(&p));
		const char *x = bt_buf_str(&expect);
		size_t xl = strlen(x);
		rc = render_whole(&p, &expect, 0, e);
		if (!rc && (dig ? xl < 1 || (size_t)(dig - body) != xl - 1 || strncmp(x, body, xl - 1) != 0
			    : strcmp(x, body) != 0))
			audit_flag(r, seq, token ? "the stored API token differs from what the event recorded"
						 : "the stored reply codes, account or certificate differ from what the event recorded");
	}
	bt_buf_release(&p);
	bt_buf_release(&expect);
	return rc;
}

/* A calendar or deadline event rendered again from the rows it recorded. */
static int check_calendar(bt_db *db, int64_t seq, const char *actor, const char *kind,
			  const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT, expect = BT_BUF_INIT;
	char circular[BT_ID_MAX + 1] = "", by[201] = "";
	bt_time when = 0;
	int found = 0, deadline = strcmp(kind, "deadline") == 0;
	int rc = deadline ? deadline_payload(db, seq, &p, circular, &when, by, sizeof by, &found, e)
			  : calendar_payload(db, seq, kind, &p, &when, &found, e);
	if (!rc && !found) {
		audit_flag_row(r, seq, deadline ? "the deadline change this event recorded is missing"
					  : "the closed days this event recorded are missing",
			 deadline ? "deadline_changes" : "closed_days", 0);
	} else if (!rc) {
		event_render(&expect, seq, when, deadline ? by : actor, kind, circular[0] ? circular : NULL,
			     cprev, bt_buf_str(&p));
		rc = render_whole(&p, &expect, 0, e);
		if (!rc && strcmp(bt_buf_str(&expect), body) != 0)
			audit_flag_row(r, seq, deadline ? "the stored deadline change differs from what the event recorded"
						  : "the stored closed days differ from what the event recorded",
				 deadline ? "deadline_changes" : "closed_days", 0);
	}
	bt_buf_release(&p);
	bt_buf_release(&expect);
	return rc;
}

/* A draft-titles event rendered again from the rows it recorded. */
static int check_titles(bt_db *db, int64_t seq, bt_time at, const char *actor, const char *kind,
			const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT, expect = BT_BUF_INIT;
	char circular[BT_ID_MAX + 1] = "";
	int found = 0;
	int rc = draft_titles_event_payload(db, seq, &p, circular, &found, e);
	if (!rc && !found) {
		audit_flag_row(r, seq, "the draft titles this event recorded are missing", "draft_titles", 0);
	} else if (!rc) {
		event_render(&expect, seq, at, actor, kind, circular, cprev, bt_buf_str(&p));
		rc = render_whole(&p, &expect, 0, e);
		if (!rc && strcmp(bt_buf_str(&expect), body) != 0)
			audit_flag_row(r, seq, "the stored draft titles differ from what the event recorded",
				       "draft_titles", 0);
	}
	bt_buf_release(&p);
	bt_buf_release(&expect);
	return rc;
}

/* A member event (init, members-import, members-baseline) must end with the
 * former names and member changes it wrote, rendered again from their rows.
 * Events written before members were recorded (schema 5) list none and own
 * no row. */
static int check_member_event(bt_db *db, int64_t seq, const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT;
	int found = 0;
	int rc = member_payload(db, seq, &p, &found, e);
	if (rc) {
		bt_buf_release(&p);
		return rc;
	}
	if (!strstr(body, "\"changes\":[")) {
		if (found)
			audit_flag(r, seq, "member rows claim this event, which recorded none");
	} else {
		bt_buf_addc(&p, '}');
		size_t bl = strlen(body);
		if (p.failed)
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		else if (bl < p.len + 1 || body[bl - p.len - 1] != ',' ||
			 strcmp(body + bl - p.len, p.data) != 0)
			audit_flag(r, seq, "the stored members or former names differ from what the event recorded");
	}
	bt_buf_release(&p);
	return rc;
}

/* A contact event rendered again from the contacts it added and removed. */
static int check_contact(bt_db *db, int64_t seq, const char *actor, const char *kind, const char *cprev,
			 const char *body, bt_audit_report *r, bt_err *e)
{
	bt_buf p = BT_BUF_INIT, expect = BT_BUF_INIT;
	bt_time when = 0;
	int found = 0;
	int rc = contact_payload(db, seq, &p, &when, &found, e);
	if (!rc && !found) {
		audit_flag_row(r, seq, "the contacts this event recorded are missing", "contacts", 0);
	} else if (!rc) {
		event_render(&expect, seq, when, actor, kind, NULL, cprev, bt_buf_str(&p));
		rc = render_whole(&p, &expect, 0, e);
		if (!rc && strcmp(bt_buf_str(&expect), body) != 0)
			audit_flag_row(r, seq, "the stored contacts differ from what the event recorded", "contacts", 0);
	}
	bt_buf_release(&p);
	bt_buf_release(&expect);
	return rc;
}

int event_rows_check(bt_db *db, int64_t seq, bt_time at, const char *actor, const char *kind,
		     const char *cprev, const char *body, bt_audit_report *r, bt_err *e)
{
	const event_kind *k = event_kind_find(kind);
	switch (k ? k->rows : EK_ROWS_NONE) {
	case EK_ROWS_ROW:
		return check_row(db, seq, at, actor, kind, cprev, body, r, e);
	case EK_ROWS_AUTH:
		return check_auth(db, seq, actor, kind, cprev, body, r, e);
	case EK_ROWS_MEMBER:
		return check_member_event(db, seq, body, r, e);
	case EK_ROWS_CALENDAR:
	case EK_ROWS_DEADLINE:
		return check_calendar(db, seq, actor, kind, cprev, body, r, e);
	case EK_ROWS_TITLES:
		return check_titles(db, seq, at, actor, kind, cprev, body, r, e);
	case EK_ROWS_CONTACT:
		return check_contact(db, seq, actor, kind, cprev, body, r, e);
	case EK_ROWS_NONE:
		break;
	}
	return BT_OK;
}

/* The latest time strftime() prints as bt_time_format does:
 * 9999-12-31T23:59:59Z. */
#define REPLY_TIME_MAX ((bt_time)253402300799)

/* *s: column i of st, text with no NUL byte in it (its type is checked by
 * the query); else 0. */
static int col_text(sqlite3_stmt *st, int i, const char **s)
{
	*s = (const char *)sqlite3_column_text(st, i);
	return *s && strlen(*s) == (size_t)sqlite3_column_bytes(st, i);
}

/* The times received, printed by bt_time_format a day at a time: a
 * consultation's replies fall on a few dozen days, so each day's midnight
 * is printed once (cached by day) and the time of day written into its
 * "HH:MM:SS". */
typedef struct {
	bt_time day[64];
	char ts[64][BT_TIME_LEN];
} day_cache;

static void day_cache_init(day_cache *c)
{
	for (size_t i = 0; i < 64; i++)
		c->day[i] = -1;
}

/* t (0 <= t <= REPLY_TIME_MAX) as bt_time_format prints it. */
static void time_text(day_cache *c, bt_time t, char out[BT_TIME_LEN])
{
	bt_time day = t - t % 86400;
	size_t i = (size_t)(day / 86400) % 64;
	if (c->day[i] != day) {
		bt_time_format(day, c->ts[i]);
		c->day[i] = day;
	}
	memcpy(out, c->ts[i], BT_TIME_LEN);
	int s = (int)(t % 86400), hms[3] = { s / 3600, s / 60 % 60, s % 60 };
	for (int k = 0; k < 3; k++) {
		out[11 + 3 * k] = (char)('0' + hms[k] / 10);
		out[12 + 3 * k] = (char)('0' + hms[k] % 10);
	}
}

/* Reading a reply event's body as event_render and reply_payload write it,
 * a piece at a time: each step moves p past what it matched, or sets p to
 * NULL for good when the body reads otherwise. */
static const char *match_lit(const char *p, const char *lit)
{
	size_t n = strlen(lit);
	return p && strncmp(p, lit, n) == 0 ? p + n : NULL;
}

/* s as bt_json_str writes it. */
static const char *match_str(const char *p, const char *s)
{
	if (!p || *p++ != '"')
		return NULL;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c >= 0x20 && *c != 0x7f && *c != '"' && *c != '\\') {
			if (*p++ != (char)*c)
				return NULL;
			continue;
		}
		char esc[8];
		if (*c == '"' || *c == '\\')
			snprintf(esc, sizeof esc, "\\%c", *c);
		else if (*c == '\n' || *c == '\r' || *c == '\t')
			snprintf(esc, sizeof esc, "\\%c", *c == '\n' ? 'n' : *c == '\r' ? 'r' : 't');
		else
			snprintf(esc, sizeof esc, "\\u%04x", *c);
		if (!(p = match_lit(p, esc)))
			return NULL;
	}
	return *p == '"' ? p + 1 : NULL;
}

/* Any JSON string (the head's values, which the check does not compare):
 * to its closing quote; no control character inside. */
static const char *skip_str(const char *p)
{
	if (!(p = match_lit(p, "\"")))
		return NULL;
	for (; *p != '"'; p++)
		if ((unsigned char)*p < 0x20 || (*p == '\\' && !*++p))
			return NULL;
	return p + 1;
}

/* Any whole number (the event's seq): its digits. */
static const char *skip_digits(const char *p)
{
	const char *q = p;
	while (q && *q >= '0' && *q <= '9')
		q++;
	return q != p ? q : NULL;
}

/* v in decimal, as bt_json_kv_int writes it; a negative v (no row's id)
 * is not matched. */
static const char *match_id(const char *p, int64_t v)
{
	char num[24];
	int i = (int)sizeof num - 1;
	num[i] = '\0';
	if (v < 0)
		return NULL;
	do
		num[--i] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	return match_lit(p, num + i);
}

/* 1 when the event beside a reply row (a row of SQL_CIRCULAR_REPLY_EVENTS)
 * vouches for what a decision reads of the row: its kind and circular (the
 * event's columns), and its body read from the first byte as event_render
 * writes it: its head (seq, at, actor, kind, circular, a cprev of 64 hex
 * digits), then the reply's id, member, draft, choice and time received as
 * reply_payload writes them from the row. Those keys are then the first of
 * their names in the body, so json_extract finds these values there, and
 * the exact query (SQL_CIRCULAR_REPLIES_ASTRAY) would find the row sound
 * too. 0 says only "not vouched for": the exact query decides. */
static int reply_event_agrees(sqlite3_stmt *st, day_cache *days)
{
	const char *member, *rec, *choice, *p;
	if (!sqlite3_column_int(st, 0) || !col_text(st, 2, &member) || !col_text(st, 3, &rec) ||
	    !col_text(st, 4, &choice) || !col_text(st, 6, &p))
		return 0;
	bt_time received = sqlite3_column_int64(st, 5);
	if (received < 0 || received > REPLY_TIME_MAX)
		return 0;
	char ts[BT_TIME_LEN];
	time_text(days, received, ts);
	p = skip_digits(match_lit(p, "{\"seq\":"));
	p = skip_str(match_lit(p, ",\"at\":"));
	p = skip_str(match_lit(p, ",\"actor\":"));
	p = skip_str(match_lit(p, ",\"kind\":"));
	p = skip_str(match_lit(p, ",\"circular\":"));
	p = skip_str(match_lit(p, ",\"cprev\":"));
	p = match_id(match_lit(p, ",\"reply\":"), sqlite3_column_int64(st, 1));
	p = match_str(match_lit(p, ",\"member\":"), member);
	p = match_str(match_lit(p, ",\"draft\":"), rec);
	p = match_str(match_lit(p, ",\"choice\":"), choice);
	p = match_str(match_lit(p, ",\"received\":"), ts);
	return p != NULL;
}

/* The quick pass over circular's replies (the bulk of its rows): *sound is
 * 1 when every reply event of the circular is claimed by a reply of its
 * consultation that the event vouches for (reply_event_agrees), and the
 * consultation has as many replies as there are such events: a reply names
 * one event and an event is named by one reply (event_seq is unique), so
 * then every reply is vouched for by its own event and no reply event lacks
 * its row. */
static int replies_vouched(bt_db *db, const char *circular, int *sound, bt_err *e)
{
	*sound = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_CIRCULAR_REPLY_EVENTS, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, circular);
	day_cache days;
	day_cache_init(&days);
	int64_t n = 0;
	int step, agree = 1;
	while (agree && (step = sqlite3_step(st)) == SQLITE_ROW) {
		agree = reply_event_agrees(st, &days);
		n++;
	}
	sqlite3_reset(st);
	if (!agree)
		return BT_OK;
	if (step != SQLITE_DONE || !(st = db_stmt(db, SQL_CIRCULAR_REPLY_COUNT, e)))
		return step != SQLITE_DONE ? db_fail(db, e, "reading the consultation's replies") : BT_EFAIL;
	db_bind_text(st, 1, circular);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		*sound = sqlite3_column_int64(st, 0) == n;
	sqlite3_reset(st);
	return step == SQLITE_ROW ? BT_OK : db_fail(db, e, "reading the consultation's replies");
}

/* circular's replies and withdrawals, by what a decision reads of each
 * (member, draft, choice, time): the quick pass, and when it cannot vouch
 * for them all, the exact query, which names the first that differs. */
static int replies_check(bt_db *db, const char *circular, bt_audit_report *r, bt_err *e)
{
	int sound = 0;
	int rc = replies_vouched(db, circular, &sound, e);
	if (rc || sound)
		return rc;
	sqlite3_stmt *ev = db_stmt(db, SQL_CIRCULAR_REPLIES_ASTRAY, e);
	if (!ev)
		return BT_EFAIL;
	db_bind_text(ev, 1, circular);
	int step = sqlite3_step(ev);
	if (step == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(ev, 0);
		audit_flag_row(r, sqlite3_column_int64(ev, 1),
			 id ? "its member, draft, choice or time differs from what the event recorded"
			    : "the reply this event recorded is missing", "replies", id);
	}
	sqlite3_reset(ev);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading the consultation's replies");
	return BT_OK;
}

/* The events of circular that wrote rows (its consultation, drafts,
 * decisions, deadline changes), each rendered again from its row; its
 * replies and withdrawals (the bulk) by replies_check, unless replies_sound
 * (rowcheck_replies_all found all of them sound). Stops at the first that
 * differs. */
static int audit_circular(bt_db *db, const char *circular, int replies_sound, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *ev;
	int rc = replies_sound ? BT_OK : replies_check(db, circular, r, e);
	if (rc)
		return rc;
	/* (the cached statement: only this function steps it, and never
	 * twice at once: db->auditing) */
	if (!(ev = db_stmt(db, SQL_CIRCULAR_EVENTS, e)))
		return BT_EFAIL;
	db_bind_text(ev, 1, circular);
	int step = SQLITE_DONE;
	while (!r->first_bad && (step = sqlite3_step(ev)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(ev, 0);
		bt_time at = sqlite3_column_int64(ev, 1);
		const char *actor = (const char *)sqlite3_column_text(ev, 2);
		const char *kind = (const char *)sqlite3_column_text(ev, 3);
		const char *body = (const char *)sqlite3_column_text(ev, 4);
		const char *circ = (const char *)sqlite3_column_text(ev, 5);
		char cprev[65] = { 0 };
		if (!actor || !kind || !body || !circ) {
			audit_flag(r, seq, "a field of the event is missing");
			break;
		}
		r->events++;
		if ((rc = event_cprev(db, circ, seq, cprev, e)))
			break;
		if (event_kind_is(kind, EK_DECIDES))
			rc = event_rows_check(db, seq, at, actor, kind, cprev, body, r, e);
		if (rc)
			break;
	}
	if (!rc && !r->first_bad && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading the consultation's events");
	sqlite3_reset(ev);
	return rc;
}

/* The database's state: PRAGMA data_version (-1 when it cannot be read)
 * and this connection's own changes. Equal states: nothing changed. */
static void db_state(bt_db *db, int64_t *version, int64_t *changes)
{
	*version = -1;
	*changes = sqlite3_total_changes64(db->h);
	sqlite3_stmt *dv = db_stmt(db, SQL_DATA_VERSION, NULL);
	if (dv && sqlite3_step(dv) == SQLITE_ROW)
		*version = sqlite3_column_int64(dv, 0);
	if (dv)
		sqlite3_reset(dv);
}

/* 1 when rowcheck_replies_all found every reply sound in this state. */
static int replies_all_sound(const bt_db *db, int64_t version, int64_t changes)
{
	return db->checked.replies_sound && version >= 0 && version == db->checked.replies_version &&
	       changes == db->checked.replies_changes;
}

int rowcheck_replies_all(bt_db *db, bt_err *e)
{
	if (db->auditing)
		return BT_OK;
	int snap = db_read_begin(db);
	int64_t version, changes, n = 0;
	db_state(db, &version, &changes);
	sqlite3_stmt *st = db_stmt(db, SQL_ALL_REPLY_EVENTS, e);
	if (!st) {
		db_read_end(db, snap);
		return BT_EFAIL;
	}
	day_cache days;
	day_cache_init(&days);
	int step, agree = 1;
	while (agree && (step = sqlite3_step(st)) == SQLITE_ROW) {
		agree = reply_event_agrees(st, &days);
		n++;
	}
	sqlite3_reset(st);
	int rc = agree && step != SQLITE_DONE ? db_fail(db, e, "reading the replies") : BT_OK;
	if (!rc && agree && (st = db_stmt(db, SQL_ALL_REPLY_COUNTS, e))) {
		if ((step = sqlite3_step(st)) == SQLITE_ROW)
			agree = sqlite3_column_int64(st, 0) == n && sqlite3_column_int64(st, 1) == n;
		sqlite3_reset(st);
		rc = step == SQLITE_ROW ? BT_OK : db_fail(db, e, "reading the replies");
	} else if (!rc && agree) {
		rc = BT_EFAIL;
	}
	db_read_end(db, snap);
	db->checked.replies_sound = !rc && agree && version >= 0;
	db->checked.replies_version = version;
	db->checked.replies_changes = changes;
	return rc;
}

int bt_audit_circular(bt_db *db, const char *circular, bt_err *e)
{
	if (db->auditing || !circular)
		return BT_OK;
	bt_audit_report r;
	memset(&r, 0, sizeof r);
	int snap = db_read_begin(db);
	/* one command reads a consultation several times (tally, decisions,
	 * drafts): nothing changed since it was found sound, nothing to do */
	int64_t version, changes;
	db_state(db, &version, &changes);
	if (version >= 0 && version == db->checked.data_version && changes == db->checked.changes &&
	    strcmp(db->checked.circular, circular) == 0) {
		db_read_end(db, snap);
		return BT_OK;
	}
	db->auditing = 1;
	int rc = audit_circular(db, circular, replies_all_sound(db, version, changes), &r, e);
	db->auditing = 0;
	db_read_end(db, snap);
	if (!rc && !r.first_bad && version >= 0 && strlen(circular) < sizeof db->checked.circular) {
		snprintf(db->checked.circular, sizeof db->checked.circular, "%s", circular);
		db->checked.data_version = version;
		db->checked.changes = changes;
	}
	if (rc || !r.first_bad)
		return rc;
	char row[48] = " table";
	if (r.row)
		snprintf(row, sizeof row, " row %lld", (long long)r.row);
	return bt_failf(e, BT_R_DAMAGED, NULL,
			"circular %s: the %s%s differs from event %lld that wrote it (%s); the database is damaged: "
			"run `{cmd:check}`", circular, r.table[0] ? r.table : "events", row, (long long)r.first_bad,
			r.problem);
}
