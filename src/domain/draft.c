/* draft.c - the draft Recommendations of a consultation (include/ballot/draft.h):
 * adding one, its event's payload, the digest of a draft list and the
 * states; reading them is draft_find.c. */
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

int draft_payload(bt_db *db, int64_t draft_id, bt_buf *b, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_ROW, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, draft_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? bt_failf(e, BT_R_DAMAGED, NULL,
						    "draft %lld is missing", (long long)draft_id)
					 : db_fail(db, e, "reading a draft");
	}
	bt_json_kv_str(b, "rec", (const char *)sqlite3_column_text(st, 0), 1);
	bt_json_kv_str(b, "title", (const char *)sqlite3_column_text(st, 1), 0);
	bt_json_kv_str(b, "former", (const char *)sqlite3_column_text(st, 2), 0);
	bt_json_kv_str(b, "summary", (const char *)sqlite3_column_text(st, 3), 0);
	bt_json_kv_str(b, "source", (const char *)sqlite3_column_text(st, 4), 0);
	bt_json_kv_bool(b, "revised", sqlite3_column_int(st, 5), 0);
	bt_json_kv_str(b, "text_sha256", (const char *)sqlite3_column_text(st, 6), 0);
	if (sqlite3_column_type(st, 9) != SQLITE_NULL) { /* §9.3.5, since the timeline */
		char d[BT_DATE_LEN];
		bt_date_format(sqlite3_column_int(st, 9), d);
		bt_json_kv_str(b, "texts_available", d, 0);
	}
	int64_t seq = sqlite3_column_int64(st, 8);
	sqlite3_reset(st);
	/* the titles in other languages given with the draft (schema 8) */
	bt_buf t = BT_BUF_INIT;
	char rec[BT_ID_MAX + 1], circular[BT_ID_MAX + 1];
	int found = 0;
	rc = draft_titles_payload(db, seq, &t, rec, circular, &found, e);
	if (!rc && found) {
		bt_buf_addc(b, ',');
		bt_buf_add(b, t.data, t.len);
	}
	bt_buf_release(&t);
	if (rc)
		return rc;
	return b->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* Checks an optional free-text field. */
static int check_text(const char *field, const char *s, size_t max, int newlines, bt_err *e)
{
	if (!s)
		return BT_OK;
	if (!bt_text_clean(s, newlines))
		return bt_failf(e, BT_R_INPUT, field, "not valid UTF-8 or has control characters");
	if (strlen(s) > max)
		return bt_failf(e, BT_R_INPUT, field, "longer than %zu bytes", max);
	return BT_OK;
}

/* A draft's addition, carried from its check to its insert. */
typedef struct draft_new {
	const bt_draft_spec *s;
	char sha[65];        /* the text's hash, "" without a text */
	bt_consultation c;   /* loaded by the check */
	bt_draft *out;       /* may be NULL */
	int loaded;          /* out holds the stored draft */
} draft_new;

/* The spec's own checks, before the database; the text's hash into sha. */
static int draft_spec_check(const bt_draft_spec *s, char sha[65], bt_err *e)
{
	int rc;
	if (!s->rec || !valid_file_id(s->rec, "._()-"))
		return bt_failf(e, BT_R_INPUT, "rec", "'%s' is not a Recommendation number (like Q.5051: letters,"
				" digits, '.', '_', '(', ')', '-'; no '/', no '..', no leading '.')",
				s->rec && bt_text_clean(s->rec, 0) ? s->rec : "(unprintable)");
	if (!s->title || !*s->title)
		return bt_failf(e, BT_R_INPUT, "title", "empty");
	if ((rc = bt_name_check("title", s->title, 1000, e)) ||
	    (rc = check_text("summary", s->summary, 20000, 1, e)) ||
	    (rc = check_text("source", s->source, 200, 0, e)))
		return rc;
	if ((rc = draft_titles_check(s->titles, s->summaries, e)))
		return rc;
	if (s->former && !valid_id(s->former, "./_()-"))
		return bt_failf(e, BT_R_INPUT, "former", "'%s' is not a draft name (like Q.FW_CSM)",
				bt_text_clean(s->former, 0) ? s->former : "(unprintable)");
	sha[0] = '\0';
	if (s->text) {
		if (s->text_len == 0)
			return bt_failf(e, BT_R_INPUT, "text", "the draft text is empty");
		if (s->text_len > BT_DRAFT_TEXT_MAX)
			return bt_failf(e, BT_R_INPUT, "text", "%zu bytes, more than the %zu a draft text may have",
					s->text_len, BT_DRAFT_TEXT_MAX);
		sha256_hex(s->text, s->text_len, sha);
	}
	return BT_OK;
}

/* The check step of a draft's addition: the consultation is open, a
 * summary under the tap rule (§9.3.4), the texts before the meeting, a rec
 * the consultation does not have yet. */
static int draft_joinable(bt_db *db, db_write *w, bt_err *e)
{
	draft_new *x = w->ctx;
	const bt_draft_spec *s = x->s;
	bt_consultation *c = &x->c;
	bt_draft d;
	bt_err tmp;
	int rc = consultation_load(db, s->circular, c, e);
	if (rc)
		return rc;
	w->circular = c->circular;
	if (c->closed || w->now > c->deadline) {
		char t[BT_TIME_LEN];
		bt_time_format(c->deadline, t);
		return bt_failf(e, BT_R_CONFLICT, "circular", "consultation '%s' %s (deadline %s); a draft cannot join it now",
				c->circular, c->closed ? "is closed" : "is past its deadline", t);
	}
	const bt_rule *rule = bt_rule_find(c->rule);
	if (rule && rule->period_months == 0 && (!s->summary || !*s->summary))
		return bt_failf(e, BT_R_INPUT, "summary",
				"required under the tap rule (WTSA Res. 1 §9.3.4: the draft is announced with a summary)");
	if (s->has_texts_available && s->texts_available >= c->meeting_start) {
		char d1[BT_DATE_LEN], d2[BT_DATE_LEN];
		bt_date_format(s->texts_available, d1);
		bt_date_format(c->meeting_start, d2);
		return bt_failf(e, BT_R_CONFLICT, "texts_available", "%s is not before the meeting (%s)", d1, d2);
	}
	if (draft_find_in(db, c, s->rec, &d, &tmp) == BT_OK) {
		bt_draft_clear(&d);
		return bt_failf(e, BT_R_CONFLICT, "rec", "consultation '%s' already has draft '%s'", c->circular, s->rec);
	}
	return BT_OK;
}

/* The insert step of a draft's addition: its row, the payload rendered
 * from it, and the stored draft into x->out. */
static int draft_insert(bt_db *db, db_write *w, bt_err *e)
{
	draft_new *x = w->ctx;
	const bt_draft_spec *s = x->s;
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, x->c.id);
	db_bind_text(st, 2, s->rec);
	db_bind_text(st, 3, s->title);
	db_bind_text(st, 4, s->former);
	db_bind_text(st, 5, s->summary);
	db_bind_text(st, 6, s->source);
	sqlite3_bind_int(st, 7, s->revised != 0);
	db_bind_text(st, 8, s->text ? x->sha : NULL);
	db_bind_text(st, 9, BT_STATE_IN_CONSULTATION);
	sqlite3_bind_int64(st, 10, w->ev.seq);
	if (s->has_texts_available)
		sqlite3_bind_int(st, 11, s->texts_available);
	int rc = db_exec_stmt(db, st, "saving the draft", e);
	int64_t id = sqlite3_last_insert_rowid(db->h);
	if (!rc && s->text) /* the text itself, beside its hash */
		rc = draft_text_insert(db, id, s->text, s->text_len, e);
	if (!rc)
		rc = draft_titles_insert(db, id, s->titles, s->summaries, w->ev.seq, e);
	if (!rc)
		rc = draft_payload(db, id, &w->payload, e);
	if (!rc && x->out && !(rc = draft_find_in(db, &x->c, s->rec, x->out, e)))
		x->loaded = 1;
	return rc;
}

int bt_draft_add(bt_db *db, const bt_draft_spec *s, const char *actor, bt_time now,
		 bt_draft *out, bt_err *e)
{
	draft_new x = { .s = s, .out = out };
	int rc = draft_spec_check(s, x.sha, e);
	if (rc)
		return rc;
	db_write w = { .kind = EVK_DRAFT, .actor = actor, .now = now, .ctx = &x };
	rc = db_write_run(db, &w, draft_joinable, draft_insert, e);
	if (rc && x.loaded) /* stored, then rolled back */
		bt_draft_clear(out);
	return rc;
}

void bt_drafts_digest(const bt_draft_list *l, char out[65])
{
	bt_buf b = BT_BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		const bt_draft *d = &l->v[i];
		bt_buf_addf(&b, "%s\t%s\t%s\t%s\t%s\n", d->rec,
			    d->former ? d->former : "", d->title,
			    d->revised ? "revised" : "new", d->text_sha256);
	}
	sha256_hex(b.data ? b.data : "", b.len, out);
	bt_buf_release(&b);
}

const char *bt_draft_state_at(int final, int closed, const char *outcome, const char *decision)
{
	if (decision && *decision)
		return strcmp(decision, "approved") == 0 ? BT_STATE_APPROVED
			: strcmp(decision, "more-time") == 0 ? BT_STATE_MORE_TIME : BT_STATE_NOT_APPROVED;
	if (closed)
		return outcome && strcmp(outcome, "proceed") == 0 ? BT_STATE_READY : BT_STATE_NOT_READY;
	return final ? BT_STATE_AWAITING_CLOSE : BT_STATE_IN_CONSULTATION;
}
