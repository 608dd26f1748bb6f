/* consultation.c - registering consultations, reading them, moving their
 * deadline (include/ballot/consultation.h; closing is services/close.c).
 * Each write goes through the store's skeleton (db_write_run): this file
 * holds its check and insert steps. */
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

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

int valid_file_id(const char *s, const char *extra)
{
	return valid_id(s, extra) && !strchr(s, '/') && !strchr(s, '\\') && s[0] != '.' &&
	       !strstr(s, "..");
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
	return bt_failf(e, BT_R_NOT_FOUND, "circular", "no consultation '%s'",
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

/* Collects the rows of st (bound; the columns of SQL_CONSULTATIONS_LIST)
 * into out. */
static int consultations_collect(bt_db *db, sqlite3_stmt *st, bt_consultation_list *out, bt_err *e)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v)) {
			sqlite3_reset(st);
			bt_consultation_list_free(out);
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
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

int bt_consultations_list(bt_db *db, int group, bt_consultation_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATIONS_LIST, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int(st, 1, group);
	return consultations_collect(db, st, out, e);
}

int bt_consultations_of_member(bt_db *db, const char *member, bt_consultation_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	char code[4];
	int rc = bt_member_resolve(db, "member", member, code, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATIONS_OF_MEMBER, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, code);
	return consultations_collect(db, st, out, e);
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
	db_bind_text(st, 2, member);
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

/* What an electorate file's lines named so far: one line per member (ZAF
 * and ZA are one member). */
typedef struct electorate_seen {
	struct {
		char code[4];
		int line;
	} *v;
	size_t n, cap;
} electorate_seen;

/* Cuts line p down to its one member code (a '#' starts a comment; the
 * blanks around the code go): returns the code ("" for none) and sets
 * *rest to what follows it on the line. */
static char *electorate_token(char *p, char **rest)
{
	char *hash = strchr(p, '#');
	if (hash)
		*hash = '\0';
	while (isspace((unsigned char)*p))
		p++;
	size_t n = strcspn(p, " \t\r");
	char *r = p + n;
	while (*r == ' ' || *r == '\t' || *r == '\r')
		r++;
	p[n] = '\0';
	*rest = r;
	return p;
}

/* Resolves token, on line `line` (field names it), to a member on the
 * circular's date that no earlier line named: its code into code. */
static int electorate_member(bt_db *db, bt_date date, const char *field, const char *token, int line,
			     electorate_seen *seen, char code[4], bt_err *e)
{
	bt_date since;
	int rc = member_lookup(db, field, token, code, &since, e);
	if (rc)
		return rc;
	if (since != BT_DATE_NONE && since > date) {
		char d1[BT_DATE_LEN], d2[BT_DATE_LEN];
		bt_date_format(since, d1);
		bt_date_format(date, d2);
		return bt_failf(e, BT_R_INPUT, field,
				"%s became a Member State on %s, after the circular's date %s", code, d1, d2);
	}
	for (size_t i = 0; i < seen->n; i++)
		if (!strcmp(seen->v[i].code, code))
			return bt_failf(e, BT_R_INPUT, field, "'%s' is %s, already on line %d: one line per member",
					token, code, seen->v[i].line);
	if (array_reserve(&seen->v, &seen->cap, seen->n + 1, sizeof *seen->v))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	memcpy(seen->v[seen->n].code, code, sizeof seen->v[seen->n].code);
	seen->v[seen->n++].line = line;
	return BT_OK;
}

/* Adds member code to consultation id's electorate. */
static int electorate_insert(bt_db *db, int64_t id, const char *code, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ELECTORATE_ADD, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, code);
	return db_exec_stmt(db, st, "saving the electorate", e);
}

/* Adds the members listed in an electorate file to consultation id. */
static int add_electorate(bt_db *db, int64_t id, bt_date date, const char *text, size_t len, bt_err *e)
{
	if (!bt_utf8_valid(text, len) || memchr(text, '\0', len))
		return bt_failf(e, BT_R_INPUT, "electorate", "not valid UTF-8 text");
	char *copy = malloc(len + 1);
	if (!copy)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	electorate_seen seen = { NULL, 0, 0 };
	int rc = BT_OK, line = 0, count = 0;
	char *start = copy;
	if (len >= 3 && memcmp(copy, "\xef\xbb\xbf", 3) == 0)
		start += 3; /* a UTF-8 byte order mark */
	for (char *p = start, *next; !rc && p && *p; p = next) {
		char *nl = strchr(p, '\n'), *rest, code[4], field[48];
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		line++;
		char *token = electorate_token(p, &rest);
		if (!*token)
			continue;
		snprintf(field, sizeof field, "electorate line %d", line);
		if (*rest)
			rc = bt_failf(e, BT_R_INPUT, field, "one member code per line, found more after '%s'",
				      bt_text_clean(token, 0) ? token : "?");
		else if (!(rc = electorate_member(db, date, field, token, line, &seen, code, e)) &&
			 !(rc = electorate_insert(db, id, code, e)))
			count++;
	}
	free(seen.v);
	free(copy);
	if (!rc && count == 0)
		rc = bt_failf(e, BT_R_INPUT, "electorate", "the file lists no Member State");
	return rc;
}

/* Appends the "date\tname\n" lines of a skipped column as a JSON list of
 * {"date","name"}. */
static void skipped_json(bt_buf *b, const char *lines)
{
	bt_buf_addc(b, '[');
	for (const char *p = lines ? lines : ""; *p;) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		if (!tab || !nl || tab > nl)
			break;
		char date[BT_DATE_LEN], name[BT_CLOSED_NAME_MAX + 1];
		snprintf(date, sizeof date, "%.*s", (int)(tab - p), p);
		snprintf(name, sizeof name, "%.*s", (int)(nl - tab - 1), tab + 1);
		bt_buf_addf(b, "%s{", p == lines ? "" : ",");
		bt_json_kv_str(b, "date", date, 1);
		bt_json_kv_str(b, "name", name, 0);
		bt_buf_addc(b, '}');
		p = nl + 1;
	}
	bt_buf_addc(b, ']');
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
		return rc == SQLITE_DONE ? bt_failf(e, BT_R_DAMAGED, NULL,
						    "consultation %lld is missing", (long long)id)
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
	/* Since the calendar (§9.4.1): what the deadline was computed with. */
	if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
		bt_json_key(b, "skipped_closed_days", 0);
		skipped_json(b, (const char *)sqlite3_column_text(st, 11));
	}
	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		bt_json_kv_str(b, "deadline_forced", (const char *)sqlite3_column_text(st, 12), 0);
	if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
		bt_time_format(sqlite3_column_int64(st, 13), t);
		bt_json_kv_str(b, "default_deadline", t, 0);
	}
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
	return b->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* A consultation's creation, carried from its check to its insert. */
typedef struct create_ctx {
	const bt_consultation_spec *s;
	const bt_rule *rule;
	int tap;             /* the rule ties the deadline to the meeting (§9.4.1) */
	bt_calendar cal;     /* the calendar in force */
	bt_time deadline;    /* the one the consultation gets */
	bt_buf skipped;      /* the closed days a TAP deadline skipped */
	char *warning;       /* may be NULL */
	size_t warnlen;
	bt_consultation *out; /* may be NULL */
} create_ctx;

/* The spec's own checks, before the database: circular, group, rule (into
 * *rule), the dates' order, a forced deadline's reason. */
static int create_spec_check(const bt_consultation_spec *s, const bt_rule **rule, bt_err *e)
{
	char d1[BT_DATE_LEN], d2[BT_DATE_LEN];
	if (!s->circular || !valid_file_id(s->circular, "._-"))
		return bt_failf(e, BT_R_INPUT, "circular",
				"'%s' is not a circular ID (1-32 letters, digits, '.', '_', '-'; no '..',"
				" no leading '.': it names files)",
				s->circular && bt_text_clean(s->circular, 0) ? s->circular : "(unprintable)");
	if (s->group < 1 || s->group > 99)
		return bt_failf(e, BT_R_INPUT, "group", "'%d' is not a study group number (1-99)", s->group);
	if (!(*rule = bt_rule_find(s->rule ? s->rule : "tap")))
		return bt_failf(e, BT_R_INPUT, "rule", "'%s' is not a rule (tap, question, deletion)",
				bt_text_clean(s->rule, 0) ? s->rule : "(unprintable)");
	if (s->meeting_end < s->meeting_start) {
		bt_date_format(s->meeting_start, d1);
		bt_date_format(s->meeting_end, d2);
		return bt_failf(e, BT_R_INPUT, "meeting_end", "%s is before {meeting_start} %s", d2, d1);
	}
	if (s->date >= s->meeting_start) {
		bt_date_format(s->date, d1);
		bt_date_format(s->meeting_start, d2);
		return bt_failf(e, BT_R_INPUT, "date", "circular date %s is not before the meeting (%s)", d1, d2);
	}
	if (s->force_deadline && !s->has_deadline)
		return bt_failf(e, BT_R_INPUT, "force_deadline", "only with an explicit {deadline}");
	if (s->force_deadline && (!s->reason || !*s->reason))
		return bt_failf(e, BT_R_INPUT, "reason", "required with {force_deadline} (why the deadline breaks §9.4.1)");
	if (!s->force_deadline && s->reason)
		return bt_failf(e, BT_R_INPUT, "reason", "only with {force_deadline}");
	if (s->reason && (strlen(s->reason) > 500 || !bt_text_clean(s->reason, 0)))
		return bt_failf(e, BT_R_INPUT, "reason", "not 1-500 bytes of UTF-8 text without control characters");
	return BT_OK;
}

/* The deadline the consultation gets: the explicit one, else the end of
 * the rule's period from the circular's date, else (TAP) the calendar's
 * default before the meeting. */
static bt_time create_deadline(const create_ctx *x)
{
	const bt_consultation_spec *s = x->s;
	if (s->has_deadline)
		return s->deadline;
	if (!x->tap)
		return bt_date_time(bt_date_add_months(s->date, x->rule->period_months)) + 23 * 3600 + 59 * 60;
	return bt_default_deadline(&x->cal, s->meeting_start);
}

/* Why an explicit deadline is not one the secretariat can keep (§9.4.1),
 * into why (n bytes): "" when it is. */
static void deadline_fault(const create_ctx *x, bt_time now, char *why, size_t n)
{
	static const char *const wd[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					  "Friday", "Saturday", "Sunday" };
	bt_date day = bt_time_date(x->deadline);
	const bt_closed_day *closed = bt_calendar_find(&x->cal, day);
	int left = bt_working_days_left(&x->cal, x->deadline, x->s->meeting_start);
	why[0] = '\0';
	if (bt_date_weekday(day) >= 5)
		snprintf(why, n, "falls on a %s", wd[bt_date_weekday(day)]);
	else if (closed)
		snprintf(why, n, "falls on a day ITU is closed (%s)", closed->name);
	else if (x->tap && left < 7)
		snprintf(why, n, "leaves %d working day%s before the meeting; WTSA Res. 1 §9.4.1 asks for seven",
			 left, left == 1 ? "" : "s");
	else if (x->deadline < now)
		snprintf(why, n, "is already past");
}

/* Refuses a deadline before the circular's date or (TAP) not before the
 * meeting, an explicit one the secretariat cannot keep unless forced, and
 * a forced one that breaks no rule. */
static int create_deadline_check(const create_ctx *x, bt_time now, bt_err *e)
{
	const bt_consultation_spec *s = x->s;
	char d1[BT_DATE_LEN], t1[BT_TIME_LEN], why[256];
	bt_time_format(x->deadline, t1);
	if (x->deadline < bt_date_time(s->date)) {
		bt_date_format(s->date, d1);
		return bt_failf(e, BT_R_INPUT, "deadline", "%s is before the circular's date %s", t1, d1);
	}
	/* Only TAP ties the deadline to the meeting (§9.4.1); the other
	 * consultations run for a fixed period. */
	if (x->tap && x->deadline >= bt_date_time(s->meeting_start)) {
		bt_date_format(s->meeting_start, d1);
		return bt_failf(e, BT_R_INPUT, "deadline", "%s is not before the meeting's first day %s", t1, d1);
	}
	if (!s->has_deadline)
		return BT_OK;
	deadline_fault(x, now, why, sizeof why);
	if (why[0] && !s->force_deadline)
		return bt_failf(e, BT_R_INPUT, "deadline", "%s %s ({force_deadline} {reason} TEXT keeps it)", t1, why);
	if (!why[0] && s->force_deadline)
		return bt_failf(e, BT_R_INPUT, "force_deadline", "deadline %s breaks no rule of §9.4.1; nothing to force",
				t1);
	return BT_OK;
}

/* What is said of a consultation registered all the same, one warning a
 * line, into x->warning. */
static void create_warnings(const create_ctx *x, bt_time now)
{
	const bt_consultation_spec *s = x->s;
	char w1[200] = "", w2[200] = "", w3[200] = "", d1[BT_DATE_LEN], d2[BT_DATE_LEN], t1[BT_TIME_LEN];
	bt_time_format(x->deadline, t1);
	if (!x->tap && x->deadline >= bt_date_time(s->meeting_start))
		snprintf(w1, sizeof w1, "deadline %s falls on or after the meeting's first day", t1);
	if (x->tap && s->date > bt_date_add_months(s->meeting_start, -3)) {
		bt_date_format(s->date, d1);
		bt_date_format(s->meeting_start, d2);
		snprintf(w2, sizeof w2,
			 "circular date %s is less than three months before the meeting (%s); WTSA Res. 1 §9.3.3 asks for three",
			 d1, d2);
	}
	/* an explicit deadline already past was refused; the default one may
	 * be past for a consultation recorded late */
	if (!s->has_deadline && x->deadline < now)
		snprintf(w3, sizeof w3,
			 "deadline %s is already past: every reply recorded from now on is late "
			 "(a consultation of the past is recorded under its own clock, BALLOT_NOW)", t1);
	snprintf(x->warning, x->warnlen, "%s%s%s%s%s", w1, w1[0] && (w2[0] || w3[0]) ? "\n" : "", w2,
		 w2[0] && w3[0] ? "\n" : "", w3);
}

/* The check step of a creation: the circular is new; the deadline, from
 * the calendar in force, is one to keep; the warnings and skipped days. */
static int consultation_new(bt_db *db, db_write *w, bt_err *e)
{
	create_ctx *x = w->ctx;
	bt_consultation c;
	bt_err tmp;
	int rc;
	if (consultation_load(db, x->s->circular, &c, &tmp) == BT_OK)
		return bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' already exists", x->s->circular);
	if ((rc = bt_calendar_list(db, 0, &x->cal, e)))
		return rc;
	x->deadline = create_deadline(x);
	if ((rc = create_deadline_check(x, w->now, e)))
		return rc;
	if (x->warning)
		create_warnings(x, w->now);
	if (x->tap && calendar_skipped(&x->cal, x->deadline, x->s->meeting_start, &x->skipped))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	return BT_OK;
}

/* The consultation's row, recording event w->ev: its id into *id. */
static int consultation_insert(bt_db *db, const db_write *w, const create_ctx *x, int64_t *id, bt_err *e)
{
	const bt_consultation_spec *s = x->s;
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, s->circular);
	sqlite3_bind_int(st, 2, s->group);
	db_bind_text(st, 3, x->rule->name);
	db_bind_text(st, 4, x->rule->edition);
	sqlite3_bind_int(st, 5, s->date);
	sqlite3_bind_int(st, 6, s->meeting_start);
	sqlite3_bind_int(st, 7, s->meeting_end);
	sqlite3_bind_int64(st, 8, x->deadline);
	sqlite3_bind_int(st, 9, s->electorate != NULL);
	sqlite3_bind_int64(st, 10, w->now);
	sqlite3_bind_int64(st, 11, w->ev.seq);
	db_bind_text(st, 12, bt_buf_str(&x->skipped));
	db_bind_text(st, 13, s->force_deadline ? s->reason : NULL);
	if (x->tap)
		sqlite3_bind_int64(st, 14, bt_default_deadline(&x->cal, s->meeting_start));
	int rc = db_exec_stmt(db, st, "saving the consultation", e);
	if (!rc)
		*id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

/* Consultation id's electorate: the file's members, else every Member
 * State on the circular's date. */
static int electorate_save(bt_db *db, const bt_consultation_spec *s, int64_t id, bt_err *e)
{
	if (s->electorate)
		return add_electorate(db, id, s->date, s->electorate, s->electorate_len, e);
	sqlite3_stmt *st = db_stmt(db, SQL_ELECTORATE_DEFAULT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, s->date);
	int rc = db_exec_stmt(db, st, "saving the electorate", e);
	if (!rc && sqlite3_changes(db->h) == 0)
		rc = bt_failf(e, BT_R_INPUT, "date", "no Member State was a member on that date");
	return rc;
}

/* The insert step of a creation: the row, the electorate, the payload
 * rendered from them, and the stored consultation into x->out. */
static int consultation_rows(bt_db *db, db_write *w, bt_err *e)
{
	create_ctx *x = w->ctx;
	int64_t id = 0;
	int rc = consultation_insert(db, w, x, &id, e);
	if (!rc)
		rc = electorate_save(db, x->s, id, e);
	if (!rc)
		rc = consultation_payload(db, id, &w->payload, e);
	if (!rc && x->out)
		rc = consultation_load(db, x->s->circular, x->out, e);
	return rc;
}

int bt_consultation_create(bt_db *db, const bt_consultation_spec *s, const char *actor,
			   bt_time now, bt_consultation *out, char *warning,
			   size_t warnlen, bt_err *e)
{
	if (warning && warnlen)
		warning[0] = '\0';
	create_ctx x = { .s = s, .skipped = BT_BUF_INIT, .warning = warning, .warnlen = warnlen, .out = out };
	int rc = create_spec_check(s, &x.rule, e);
	if (rc)
		return rc;
	x.tap = x.rule->period_months == 0;
	db_write w = { .kind = EVK_CONSULTATION, .circular = s->circular, .actor = actor, .now = now, .ctx = &x };
	rc = db_write_run(db, &w, consultation_new, consultation_rows, e);
	bt_calendar_free(&x.cal);
	bt_buf_release(&x.skipped);
	return rc;
}

int deadline_payload(bt_db *db, int64_t seq, bt_buf *out, char circular[BT_ID_MAX + 1],
		     bt_time *when, char *by, size_t bylen, int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DEADLINE_CHANGE_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	bt_buf_reset(out);
	int step = sqlite3_step(st);
	*found = step == SQLITE_ROW;
	if (step == SQLITE_ROW) {
		char t[BT_TIME_LEN];
		bt_time_format(sqlite3_column_int64(st, 0), t);
		bt_json_kv_str(out, "old_deadline", t, 1);
		bt_time_format(sqlite3_column_int64(st, 1), t);
		bt_json_kv_str(out, "deadline", t, 0);
		bt_json_kv_str(out, "reason", (const char *)sqlite3_column_text(st, 2), 0);
		*when = sqlite3_column_int64(st, 3);
		db_col_copy(st, 4, by, bylen);
		db_col_copy(st, 5, circular, BT_ID_MAX + 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading a deadline change");
	return out->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* Replies recorded with a received time in (lo, hi]. */
static int replies_between(bt_db *db, int64_t id, bt_time lo, bt_time hi, int *n, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REPLIES_RECEIVED_BETWEEN, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
	int step = sqlite3_step(st);
	*n = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return step == SQLITE_ROW ? BT_OK : db_fail(db, e, "counting replies");
}

/* A deadline's move, carried from its check to its insert. */
typedef struct deadline_move {
	const char *circular;
	bt_time deadline;
	const char *reason;
	bt_consultation c;  /* loaded by the check */
	int recounted;      /* replies between the old and the new deadline */
} deadline_move;

/* Refuses moving consultation c's deadline to deadline at now: closed,
 * unchanged, past, before the circular's date, or (TAP) not before the
 * meeting. */
static int deadline_move_check(const bt_consultation *c, bt_time deadline, bt_time now, bt_err *e)
{
	char t1[BT_TIME_LEN], t2[BT_TIME_LEN], d1[BT_DATE_LEN];
	bt_time_format(deadline, t1);
	const bt_rule *rule = bt_rule_find(c->rule);
	if (c->closed) {
		bt_time_format(c->closed_at, t2);
		return bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' was closed at %s; its deadline can no longer move",
				c->circular, t2);
	}
	if (deadline == c->deadline)
		return bt_failf(e, BT_R_CONFLICT, "new_deadline", "%s is already the deadline", t1);
	if (deadline < now)
		return bt_failf(e, BT_R_CONFLICT, "new_deadline", "%s is already past; a deadline moved into the past would turn replies recorded since late",
				t1);
	if (deadline < bt_date_time(c->date)) {
		bt_date_format(c->date, d1);
		return bt_failf(e, BT_R_CONFLICT, "new_deadline", "%s is before the circular's date %s", t1, d1);
	}
	if ((!rule || rule->period_months == 0) && deadline >= bt_date_time(c->meeting_start)) {
		bt_date_format(c->meeting_start, d1);
		return bt_failf(e, BT_R_CONFLICT, "new_deadline", "%s is not before the meeting's first day %s", t1, d1);
	}
	return BT_OK;
}

/* The check step of a deadline's move: the consultation, the move allowed,
 * the replies whose count it changes. */
static int deadline_movable(bt_db *db, db_write *w, bt_err *e)
{
	deadline_move *m = w->ctx;
	int rc = consultation_load(db, m->circular, &m->c, e);
	if (rc || (rc = deadline_move_check(&m->c, m->deadline, w->now, e)))
		return rc;
	w->circular = m->c.circular;
	bt_time lo = m->deadline < m->c.deadline ? m->deadline : m->c.deadline;
	bt_time hi = m->deadline < m->c.deadline ? m->c.deadline : m->deadline;
	return replies_between(db, m->c.id, lo, hi, &m->recounted, e);
}

/* The insert step of a deadline's move: the change's row, the deadline in
 * force, the payload rendered from the row. */
static int deadline_move_rows(bt_db *db, db_write *w, bt_err *e)
{
	deadline_move *m = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_DEADLINE_CHANGE_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, m->c.id);
	sqlite3_bind_int64(st, 2, m->c.deadline);
	sqlite3_bind_int64(st, 3, m->deadline);
	db_bind_text(st, 4, m->reason);
	sqlite3_bind_int64(st, 5, w->now);
	db_bind_text(st, 6, w->actor);
	sqlite3_bind_int64(st, 7, w->ev.seq);
	int rc = db_exec_stmt(db, st, "recording the deadline change", e);
	if (rc)
		return rc;
	if (!(st = db_stmt(db, SQL_DEADLINE_SET, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, m->c.id);
	sqlite3_bind_int64(st, 2, m->deadline);
	if ((rc = db_exec_stmt(db, st, "moving the deadline", e)))
		return rc;
	char circ[BT_ID_MAX + 1], by[201];
	bt_time when;
	int found;
	return deadline_payload(db, w->ev.seq, &w->payload, circ, &when, by, sizeof by, &found, e);
}

int bt_consultation_set_deadline(bt_db *db, const char *circular, bt_time deadline,
				 const char *reason, const char *actor, bt_time now,
				 int *recounted, bt_err *e)
{
	if (!reason || !*reason)
		return bt_failf(e, BT_R_INPUT, "reason", "required (why the deadline moves)");
	if (strlen(reason) > 500 || !bt_text_clean(reason, 0))
		return bt_failf(e, BT_R_INPUT, "reason", "not 1-500 bytes of UTF-8 text without control characters");
	deadline_move m = { .circular = circular, .deadline = deadline, .reason = reason };
	db_write w = { .kind = EVK_DEADLINE, .actor = actor, .now = now, .ctx = &m };
	int rc = db_write_run(db, &w, deadline_movable, deadline_move_rows, e);
	if (!rc && recounted)
		*recounted = m.recounted;
	return rc;
}

void bt_deadline_info_free(bt_deadline_info *info)
{
	free(info->skipped);
	free(info->changes);
	memset(info, 0, sizeof *info);
}

/* Appends the "date\tname\n" lines of a skipped column to info->skipped. */
static int skipped_parse(const char *lines, bt_deadline_info *info, bt_err *e)
{
	size_t cap = 0;
	for (const char *p = lines ? lines : ""; *p;) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		if (!tab || !nl || tab > nl)
			break;
		if (array_reserve(&info->skipped, &cap, info->nskipped + 1, sizeof *info->skipped))
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		bt_closed_day *d = &info->skipped[info->nskipped++];
		memset(d, 0, sizeof *d);
		char ds[BT_DATE_LEN];
		snprintf(ds, sizeof ds, "%.*s", (int)(tab - p), p);
		bt_err ignore;
		if (bt_date_parse(ds, "skipped", &d->day, &ignore))
			d->day = 0;
		snprintf(d->name, sizeof d->name, "%.*s", (int)(nl - tab - 1), tab + 1);
		p = nl + 1;
	}
	return BT_OK;
}

/* From consultation id's row: its first and default deadlines, the reason
 * it was forced, the closed days it skipped. */
static int deadline_row_read(bt_db *db, int64_t id, bt_deadline_info *info, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CONSULTATION_ROW, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int rc = BT_OK;
	if (sqlite3_step(st) == SQLITE_ROW) {
		info->first_deadline = sqlite3_column_int64(st, 7);
		info->with_calendar = sqlite3_column_type(st, 11) != SQLITE_NULL;
		info->default_deadline = sqlite3_column_type(st, 13) != SQLITE_NULL
			? sqlite3_column_int64(st, 13) : info->first_deadline;
		db_col_copy(st, 12, info->forced_reason, sizeof info->forced_reason);
		rc = skipped_parse((const char *)sqlite3_column_text(st, 11), info, e);
	}
	sqlite3_reset(st);
	return rc;
}

/* Consultation id's deadline changes, oldest first, into info->changes. */
static int deadline_changes_read(bt_db *db, int64_t id, bt_deadline_info *info, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DEADLINE_CHANGES_OF, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	int rc = BT_OK, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&info->changes, &cap, info->nchanges + 1, sizeof *info->changes)) {
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
			break;
		}
		bt_deadline_change *x = &info->changes[info->nchanges++];
		x->old_deadline = sqlite3_column_int64(st, 0);
		x->deadline = sqlite3_column_int64(st, 1);
		db_col_copy(st, 2, x->reason, sizeof x->reason);
		x->at = sqlite3_column_int64(st, 3);
		db_col_copy(st, 4, x->by, sizeof x->by);
		x->seq = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading deadline changes");
	return rc;
}

/* Under TAP: the default deadline the calendar in force gives today. */
static int deadline_today(bt_db *db, const bt_consultation *c, bt_deadline_info *info, bt_err *e)
{
	const bt_rule *rule = bt_rule_find(c->rule);
	if (!rule || rule->period_months != 0)
		return BT_OK;
	bt_calendar cal;
	int rc = bt_calendar_list(db, 0, &cal, e);
	if (!rc) {
		info->has_today = 1;
		info->today_deadline = bt_default_deadline(&cal, c->meeting_start);
		bt_calendar_free(&cal);
	}
	return rc;
}

int bt_deadline_info_get(bt_db *db, const char *circular, bt_deadline_info *info, bt_err *e)
{
	memset(info, 0, sizeof *info);
	bt_consultation c;
	int snap = db_read_begin(db);
	int rc = consultation_load(db, circular, &c, e);
	if (!rc)
		rc = deadline_row_read(db, c.id, info, e);
	if (!rc)
		rc = deadline_changes_read(db, c.id, info, e);
	if (!rc)
		rc = deadline_today(db, &c, info, e);
	db_read_end(db, snap);
	if (rc)
		bt_deadline_info_free(info);
	return rc;
}
