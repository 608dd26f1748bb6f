/* audit.c - verifying the hash-chained event log (include/ballot/audit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"

/* Each stored secret hash (a reply code's, an account's password) must have
 * the SHA-256 digest the event that stored it recorded (or, for a hash
 * stored before schema 6, the hash-baseline): a hash replaced by SQL is
 * named with its table and row. */
static int check_hashes(bt_db *db, bt_audit_report *r, bt_err *e)
{
	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->h, pass ? SQL_USER_HASHES_PINNED : SQL_CODE_HASHES_PINNED, -1, &st,
				       NULL) != SQLITE_OK)
			return db_fail(db, e, "reading stored hashes");
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(st, 0);
			int c = pass ? 2 : 1;
			const char *h = (const char *)sqlite3_column_text(st, c);
			const char *want = (const char *)sqlite3_column_text(st, c + 1);
			int64_t seq = sqlite3_column_int64(st, c + 2);
			char got[65], what[160];
			if (!h && !want)
				continue;
			if (h)
				sha256_hex(h, strlen(h), got);
			if (h && want && strcmp(got, want) == 0)
				continue;
			if (pass)
				snprintf(what, sizeof what, "account %.64s's stored password hash %s (users table)",
					 (const char *)sqlite3_column_text(st, 1),
					 !want ? "has no recorded digest" : !h ? "is missing"
					       : "differs from the digest its event recorded");
			else
				snprintf(what, sizeof what, "reply code %lld's stored hash %s (reply_codes table)",
					 (long long)id, !want ? "has no recorded digest"
							      : "differs from the digest its event recorded");
			audit_flag_row(r, seq ? seq : 1, what, pass ? "users" : "reply_codes", id);
		}
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			return db_fail(db, e, "reading stored hashes");
	}
	return BT_OK;
}

/* Each account's state must follow from its last recorded enable or
 * disable: disabled since that disable, or (after an enable) enabled unless
 * disabled by hand since, which only takes rights away. */
static int check_account_states(bt_db *db, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, SQL_ACCOUNT_STATES, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading accounts");
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int disabled = sqlite3_column_type(st, 1) != SQLITE_NULL;
		bt_time disabled_at = sqlite3_column_int64(st, 1);
		const char *change = (const char *)sqlite3_column_text(st, 2);
		bt_time at = sqlite3_column_int64(st, 3);
		char what[160];
		if (change && !strcmp(change, "disable") && (!disabled || disabled_at != at)) {
			snprintf(what, sizeof what, "account %.64s is %s, not as its last disable recorded",
				 name ? name : "?", disabled ? "disabled at another time" : "enabled");
			audit_flag(r, sqlite3_column_int64(st, 4), what);
		}
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading accounts");
}

/* Each member must be as its last recorded change left it, and every
 * recorded member must still be there. */
static int check_members(bt_db *db, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBERS_ASTRAY, e);
	if (!st)
		return BT_EFAIL;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char what[128];
		int recorded = sqlite3_column_type(st, 1) != SQLITE_NULL;
		snprintf(what, sizeof what, "member %.8s differs from its recorded changes (members table)",
			 (const char *)sqlite3_column_text(st, 0));
		/* a row no event recorded is flagged at the head of the log */
		audit_flag(r, recorded ? sqlite3_column_int64(st, 1) : (r->events ? r->events : 1), what);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading members");
}

/* Each consultation's deadline must be its last recorded change's. */
static int check_deadlines(bt_db *db, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DEADLINES_ASTRAY, e);
	if (!st)
		return BT_EFAIL;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char what[128];
		snprintf(what, sizeof what, "consultation %s's deadline differs from its recorded deadline changes",
			 (const char *)sqlite3_column_text(st, 0));
		audit_flag(r, sqlite3_column_int64(st, 1), what);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading deadlines");
}

/* Each setting must hold the value its last setting event recorded, and a
 * recorded setting must still be there. */
static int check_settings(bt_db *db, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SETTINGS_ASTRAY, e);
	if (!st)
		return BT_EFAIL;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char what[160];
		int recorded = sqlite3_column_type(st, 1) != SQLITE_NULL;
		snprintf(what, sizeof what, "setting %.64s differs from its last recorded setting event (settings table)",
			 (const char *)sqlite3_column_text(st, 0));
		audit_flag(r, recorded ? sqlite3_column_int64(st, 1) : (r->events ? r->events : 1), what);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading settings");
}

/* Appends every row of SQL_SCHEMA_ALL of h to out, one line each. */
static int schema_text(sqlite3 *h, bt_buf *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, SQL_SCHEMA_ALL, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++) {
			bt_buf_adds(out, (const char *)sqlite3_column_text(st, i));
			bt_buf_addc(out, i < 3 ? ' ' : '\n');
		}
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE && !out->failed ? 0 : -1;
}

/* The schema (tables, indexes, triggers, each object's SQL) must be the one
 * the migrations create for the database's schema version: a dropped or
 * edited trigger, index or table is named. */
static int check_schema(bt_db *db, bt_audit_report *r, bt_err *e)
{
	int version = bt_db_schema_version(db);
	sqlite3 *m = NULL;
	bt_buf want = BT_BUF_INIT, got = BT_BUF_INIT;
	int rc = BT_OK;
	if (version < 0 || version > SQL_SCHEMA_VERSION ||
	    sqlite3_open_v2(":memory:", &m, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
		int nomem = version >= 0 && version <= SQL_SCHEMA_VERSION && !m;
		rc = bt_failf(e, nomem ? BT_R_NOMEM : BT_R_IO, NULL,
			      "checking the schema: cannot open a scratch database%s", nomem ? ": out of memory" : "");
		goto done;
	}
	for (int v = 0; v < version; v++)
		if (sqlite3_exec(m, SQL_MIGRATIONS[v], NULL, NULL, NULL) != SQLITE_OK) {
			rc = bt_failf(e, BT_R_IO, NULL,
				      "checking the schema: %s", sqlite3_errmsg(m));
			goto done;
		}
	if (schema_text(m, &want) || schema_text(db->h, &got)) {
		rc = want.failed || got.failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory")
					       : db_fail(db, e, "reading the schema");
		goto done;
	}
	if (strcmp(bt_buf_str(&want), bt_buf_str(&got)) != 0) {
		/* name the first object that differs: a line of one not in the other */
		const char *a = bt_buf_str(&got), *b = bt_buf_str(&want), *bad = NULL, *extra = "";
		for (int pass = 0; pass < 2 && !bad; pass++) {
			const char *x = pass ? b : a, *y = pass ? a : b;
			for (const char *l = x; *l && !bad; l = strchr(l, '\n') + 1) {
				size_t len = (size_t)(strchr(l, '\n') - l) + 1;
				int seen = 0;
				for (const char *f = y; *f && !seen; f = strchr(f, '\n') + 1)
					seen = !strncmp(f, l, len);
				if (!seen) {
					bad = l;
					extra = pass ? "is missing (the schema version" : "differs from the schema version";
				}
			}
		}
		char what[256];
		if (bad) {
			size_t tl = strcspn(bad, " "), nl = strcspn(bad + tl + 1, " ");
			snprintf(what, sizeof what, "schema: %.*s %.*s %s %d %s", (int)tl, bad,
				 (int)(nl > 64 ? 64 : nl), bad + tl + 1, extra, version,
				 *extra == 'i' ? "has it)" : "(or is not in it)");
		} else {
			snprintf(what, sizeof what, "schema: it differs from the schema version %d creates", version);
		}
		audit_flag_row(r, r->events ? r->events : 1, what, "sqlite_schema", 0);
	}
done:
	sqlite3_close(m);
	bt_buf_release(&want);
	bt_buf_release(&got);
	return rc;
}

/* 1 when an event of kind may be the one a row of type points at: type is
 * the kind, or a space-separated list of kinds; a reply row may also be a
 * withdrawal's. */
static int kind_fits(const char *type, const char *kind)
{
	size_t len = strlen(kind);
	if (strcmp(type, "reply") == 0 && strcmp(kind, "withdrawal") == 0)
		return 1;
	for (const char *p = type; p; p = strchr(p, ' '), p = p ? p + 1 : NULL)
		if (strncmp(p, kind, len) == 0 && (p[len] == ' ' || p[len] == '\0'))
			return 1;
	return 0;
}

/* Every row of the event-backed tables (sql: type, event number) must point
 * at an event of its kind. */
static int check_rows_have_events(bt_db *db, const char *sql, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *rs;
	if (sqlite3_prepare_v2(db->h, sql, -1, &rs, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading the recorded rows");
	int rc = BT_OK, step;
	while ((step = sqlite3_step(rs)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(rs, 0);
		int64_t seq = sqlite3_column_int64(rs, 1);
		sqlite3_stmt *k = db_stmt(db, SQL_EVENT_KIND, e);
		if (!k) {
			rc = BT_EFAIL;
			break;
		}
		sqlite3_bind_int64(k, 1, seq);
		int ks = sqlite3_step(k);
		const char *kind = ks == SQLITE_ROW ? (const char *)sqlite3_column_text(k, 0) : NULL;
		int ok = kind && type && kind_fits(type, kind);
		if (!ok && ks != SQLITE_ROW && ks != SQLITE_DONE) {
			/* the event could not be read: an error, not a row astray */
			rc = db_fail(db, e, "reading the events of the recorded rows");
			sqlite3_reset(k);
			break;
		}
		sqlite3_reset(k);
		if (!ok) {
			char what[96];
			snprintf(what, sizeof what, "a %.*s row claims this event, which did not record it",
				 type ? (int)strcspn(type, " ") : 1, type ? type : "?");
			audit_flag(r, seq, what);
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading the recorded rows");
	sqlite3_finalize(rs);
	return rc;
}

/* The consultation whose tally at closing check_draft_states holds. */
typedef struct closing_tally {
	bt_tally t;
	char circular[BT_ID_MAX + 1];
} closing_tally;

/* The outcome of draft_id in circular's tally at closed_at ("proceed", ...),
 * in *want (NULL when the tally has no such draft); ct keeps the tally of
 * the last consultation asked for. */
static int outcome_at_closing(bt_db *db, closing_tally *ct, const char *circular, bt_time closed_at,
			      int64_t draft_id, const char **want, bt_err *e)
{
	*want = NULL;
	if (strcmp(ct->circular, circular) != 0) {
		bt_tally_free(&ct->t);
		ct->circular[0] = '\0';
		int rc = bt_tally_compute(db, circular, closed_at, &ct->t, e);
		if (rc)
			return rc;
		snprintf(ct->circular, sizeof ct->circular, "%s", circular);
	}
	for (size_t i = 0; i < ct->t.n; i++)
		if (ct->t.drafts[i].draft_id == draft_id)
			*want = ct->t.drafts[i].if_closed_now;
	return BT_OK;
}

/* Checks one row of SQL_DRAFT_STATES against the close and decision
 * events, flagging in r what does not follow. */
static int draft_state_row(bt_db *db, sqlite3_stmt *ds, closing_tally *ct, bt_audit_report *r, bt_err *e)
{
	int64_t draft_id = sqlite3_column_int64(ds, 0);
	const char *rec = (const char *)sqlite3_column_text(ds, 1);
	const char *state = (const char *)sqlite3_column_text(ds, 2);
	const char *outcome = (const char *)sqlite3_column_text(ds, 3);
	const char *circular = (const char *)sqlite3_column_text(ds, 4);
	int closed = sqlite3_column_type(ds, 5) != SQLITE_NULL;
	bt_time closed_at = sqlite3_column_int64(ds, 5);
	const char *decided = (const char *)sqlite3_column_text(ds, 7);
	int has_close = sqlite3_column_type(ds, 8) != SQLITE_NULL;
	int64_t at_seq = has_close ? sqlite3_column_int64(ds, 8) : sqlite3_column_int64(ds, 6);
	char what[160];
	if (!rec || !state || !circular)
		return BT_OK;
	if (closed != has_close || (closed && closed_at != sqlite3_column_int64(ds, 9))) {
		snprintf(what, sizeof what, "consultation %s's closing differs from its close event", circular);
		audit_flag(r, at_seq, what);
		return BT_OK;
	}
	const char *want_outcome = NULL;
	int rc = closed ? outcome_at_closing(db, ct, circular, closed_at, draft_id, &want_outcome, e) : BT_OK;
	if (rc)
		return rc;
	const char *want_state = decided ? decided
		: !closed ? BT_STATE_IN_CONSULTATION
		: want_outcome && strcmp(want_outcome, "proceed") == 0 ? BT_STATE_READY : BT_STATE_NOT_READY;
	if ((want_outcome == NULL) != (outcome == NULL) || (want_outcome && strcmp(want_outcome, outcome) != 0)) {
		snprintf(what, sizeof what, "draft %s's outcome '%s' is not what its replies give at closing",
			 rec, outcome ? outcome : "none");
		audit_flag(r, at_seq, what);
	} else if (strcmp(want_state, state) != 0) {
		snprintf(what, sizeof what, "draft %s's state '%s' does not follow from its events ('%s')",
			 rec, state, want_state);
		audit_flag(r, at_seq, what);
	}
	return BT_OK;
}

/* Each draft's state and outcome must follow from the close and decision
 * events: the outcome is the tally at closing, re-counted now. */
static int check_draft_states(bt_db *db, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *ds;
	if (sqlite3_prepare_v2(db->h, SQL_DRAFT_STATES, -1, &ds, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading draft states");
	int rc = BT_OK, step;
	closing_tally ct;
	memset(&ct, 0, sizeof ct);
	while (!rc && (step = sqlite3_step(ds)) == SQLITE_ROW)
		rc = draft_state_row(db, ds, &ct, r, e);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading draft states");
	bt_tally_free(&ct.t);
	sqlite3_finalize(ds);
	return rc;
}

/* The chain as check_event walks it: the hash before, the next number, and
 * two buffers reused from event to event. */
typedef struct chain_walk {
	char prev[65];
	int64_t expect;
	bt_buf chained, head;
} chain_walk;

/* Checks the event in ev's row against the chain so far (w) and its rows;
 * sets *stop when the chain breaks there (flagged in r) or on a failure
 * (returned). */
static int check_event(bt_db *db, sqlite3_stmt *ev, chain_walk *w, bt_audit_report *r, int *stop, bt_err *e)
{
	int64_t seq = sqlite3_column_int64(ev, 0);
	bt_time at = sqlite3_column_int64(ev, 1);
	const char *actor = (const char *)sqlite3_column_text(ev, 2);
	const char *kind = (const char *)sqlite3_column_text(ev, 3);
	const char *circular = (const char *)sqlite3_column_text(ev, 4);
	const char *body = (const char *)sqlite3_column_text(ev, 5);
	const char *prev_hash = (const char *)sqlite3_column_text(ev, 6);
	const char *hash = (const char *)sqlite3_column_text(ev, 7);
	char got[65], cprev[65] = { 0 };
	*stop = 1;
	if (!actor || !kind || !body || !prev_hash || !hash)
		return audit_flag(r, seq, "a field of the event is missing"), BT_OK;
	if (seq != w->expect)
		return audit_flag(r, seq < w->expect ? seq : w->expect, "events are missing before this one"), BT_OK;
	w->expect++;
	if (strcmp(prev_hash, w->prev) != 0)
		return audit_flag(r, seq, "its previous-hash does not match the event before it"), BT_OK;
	bt_buf_reset(&w->chained);
	bt_buf_adds(&w->chained, w->prev);
	bt_buf_addc(&w->chained, '\n');
	bt_buf_adds(&w->chained, body);
	if (w->chained.failed)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	sha256_hex(w->chained.data, w->chained.len, got);
	if (strcmp(got, hash) != 0)
		return audit_flag(r, seq, "its content does not match its hash"), BT_OK;
	/* The columns must say what the hashed body says, and the body must
	 * link to the previous event of its circular. */
	int rc = circular ? event_cprev(db, circular, seq, cprev, e) : BT_OK;
	if (rc)
		return rc;
	bt_buf_reset(&w->head);
	event_render(&w->head, seq, at, actor, kind, circular, cprev, NULL);
	if (w->head.failed)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if (w->head.len < 1 || strncmp(body, w->head.data, w->head.len - 1) != 0)
		return audit_flag(r, seq, "its time, actor, kind, circular or link to its circular's previous event "
				  "differs from its hashed content"), BT_OK;
	if ((rc = event_rows_check(db, seq, at, actor, kind, cprev, body, r, e)))
		return rc;
	memcpy(w->prev, hash, 65);
	*stop = 0;
	return BT_OK;
}

/* The chain itself, up to its first break: r->events and r->head. */
static int check_chain(bt_db *db, bt_audit_report *r, bt_err *e)
{
	/* Prepared apart from the cache, so the row checks can use the cache
	 * while this one is stepping. */
	sqlite3_stmt *ev;
	if (sqlite3_prepare_v2(db->h, SQL_EVENTS_ALL, -1, &ev, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading the event log");
	int64_t total = 0;
	bt_err pe; /* the total is for progress only */
	sqlite3_stmt *last = db_stmt(db, SQL_EVENT_LAST, &pe);
	if (last && sqlite3_step(last) == SQLITE_ROW)
		total = sqlite3_column_int64(last, 0);
	if (last)
		sqlite3_reset(last);
	chain_walk w = { .prev = ZERO_HASH, .expect = 1, .chained = BT_BUF_INIT, .head = BT_BUF_INIT };
	int rc = BT_OK, step, stop = 0;
	while (!stop && (step = sqlite3_step(ev)) == SQLITE_ROW) {
		if (++r->events % 512 == 0)
			bt_progress("events", (uint64_t)r->events, (uint64_t)(total > r->events ? total : r->events));
		rc = check_event(db, ev, &w, r, &stop, e);
	}
	if (!rc && !stop && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading the event log");
	sqlite3_finalize(ev);
	bt_buf_release(&w.chained);
	bt_buf_release(&w.head);
	if (!rc && r->events)
		memcpy(r->head, w.prev, 65);
	return rc;
}

/* Every attachment's content must match its recorded SHA-256 and size. */
static int check_attachments(bt_db *db, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *as;
	if (sqlite3_prepare_v2(db->h, SQL_ATTACHMENTS_ALL, -1, &as, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading attachments");
	uint64_t natt = 0;
	int step, rc = BT_OK;
	bt_progress("attachments", 0, 0);
	while ((step = sqlite3_step(as)) == SQLITE_ROW) {
		if (++natt % 64 == 0)
			bt_progress("attachments", natt, 0);
		int64_t seq = sqlite3_column_int64(as, 2);
		const char *sha = (const char *)sqlite3_column_text(as, 3);
		int64_t size = sqlite3_column_int64(as, 4);
		const void *blob = sqlite3_column_blob(as, 5);
		int n = sqlite3_column_bytes(as, 5);
		char got[65];
		sha256_hex(blob ? blob : "", (size_t)n, got);
		if (!sha || strcmp(got, sha) != 0 || size != n)
			audit_flag(r, seq, "an attachment's content differs from its recorded SHA-256");
	}
	if (step != SQLITE_DONE)
		rc = db_fail(db, e, "reading attachments");
	sqlite3_finalize(as);
	return rc;
}

/* Every stored draft text must hash to its draft's SHA-256. */
static int check_draft_texts(bt_db *db, bt_audit_report *r, bt_err *e)
{
	sqlite3_stmt *ts;
	if (sqlite3_prepare_v2(db->h, SQL_DRAFT_TEXTS_ALL, -1, &ts, NULL) != SQLITE_OK)
		return db_fail(db, e, "reading draft texts");
	int step, rc = BT_OK;
	while ((step = sqlite3_step(ts)) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(ts, 1);
		const void *blob = sqlite3_column_blob(ts, 2);
		char got[65];
		sha256_hex(blob ? blob : "", (size_t)sqlite3_column_bytes(ts, 2), got);
		if (!sha || strcmp(got, sha) != 0)
			audit_flag(r, sqlite3_column_int64(ts, 0), "a draft's text differs from its recorded SHA-256");
	}
	if (step != SQLITE_DONE)
		rc = db_fail(db, e, "reading draft texts");
	sqlite3_finalize(ts);
	return rc;
}

static int audit_verify(bt_db *db, bt_audit_report *r, bt_err *e)
{
	memset(r, 0, sizeof *r);
	int rc = check_chain(db, r, e);
	if (rc)
		return rc;
	bt_progress("events", (uint64_t)r->events, (uint64_t)r->events);
	bt_progress("rows", 0, 0);
	if ((rc = check_settings(db, r, e)) || (rc = check_rows_have_events(db, SQL_ROWS_WITH_EVENTS, r, e)) ||
	    (rc = check_rows_have_events(db, SQL_AUTH_ROWS_WITH_EVENTS, r, e)) ||
	    (rc = check_account_states(db, r, e)) || (rc = check_hashes(db, r, e)) ||
	    (rc = check_rows_have_events(db, SQL_CALENDAR_ROWS_WITH_EVENTS, r, e)) ||
	    (rc = check_deadlines(db, r, e)) ||
	    (rc = check_rows_have_events(db, SQL_MEMBER_ROWS_WITH_EVENTS, r, e)) ||
	    (rc = check_members(db, r, e)) || (rc = check_draft_states(db, r, e)) ||
	    (rc = check_attachments(db, r, e)) || (rc = check_draft_texts(db, r, e)) ||
	    (rc = check_rows_have_events(db, SQL_CONTACT_ROWS_WITH_EVENTS, r, e)))
		return rc;
	/* last, and only when nothing else was found: a row changed behind a
	 * dropped trigger is named rather than the trigger */
	return r->first_bad ? BT_OK : check_schema(db, r, e);
}

int bt_audit_verify(bt_db *db, bt_audit_report *r, bt_err *e)
{
	int snap = db_read_begin(db), was = db->auditing;
	db->auditing = 1;
	int rc = audit_verify(db, r, e);
	db->auditing = was;
	db_read_end(db, snap);
	return rc;
}

int bt_event_digest(bt_db *db, int64_t seq, bt_time *at, char sha256[65], char hash[65], bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_GET, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return bt_failf(e, BT_R_NOT_FOUND, NULL, "event: no event %lld", (long long)seq);
	if (rc != SQLITE_ROW)
		return db_fail(db, e, "reading an event");
	*at = sqlite3_column_int64(st, 0);
	sha256_hex(sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1), sha256);
	db_col_copy(st, 2, hash, 65);
	sqlite3_reset(st);
	return BT_OK;
}

void bt_sha256_hex(const void *data, size_t len, char out[65])
{
	sha256_hex(data, len, out);
}
