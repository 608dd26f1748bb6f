/* reply.c - recording replies and withdrawals (include/ballot/reply.h). */
#include <stdio.h>
#include <libgen.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

int reply_payload(bt_db *db, int64_t reply_id, bt_buf *b, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REPLY_ROW, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, reply_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? bt_failf(e, BT_R_DAMAGED, NULL,
						    "reply %lld is missing", (long long)reply_id)
					 : db_fail(db, e, "reading a reply");
	}
	char ts[BT_TIME_LEN];
	bt_time_format(sqlite3_column_int64(st, 4), ts);
	bt_json_kv_int(b, "reply", sqlite3_column_int64(st, 0), 1);
	bt_json_kv_str(b, "member", (const char *)sqlite3_column_text(st, 1), 0);
	bt_json_kv_str(b, "draft", (const char *)sqlite3_column_text(st, 2), 0);
	bt_json_kv_str(b, "choice", (const char *)sqlite3_column_text(st, 3), 0);
	bt_json_kv_str(b, "received", ts, 0);
	bt_json_kv_str(b, "channel", (const char *)sqlite3_column_text(st, 5), 0);
	bt_json_kv_str(b, "signatory", (const char *)sqlite3_column_text(st, 6), 0);
	bt_json_kv_str(b, "title", (const char *)sqlite3_column_text(st, 7), 0);
	sqlite3_reset(st);
	bt_json_key(b, "attachments", 0);
	bt_buf_addc(b, '[');
	if (!(st = db_stmt(db, SQL_ATTACHMENTS_OF, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, reply_id);
	int first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bt_buf_adds(b, first ? "{" : ",{");
		first = 0;
		bt_json_kv_str(b, "role", (const char *)sqlite3_column_text(st, 1), 1);
		bt_json_kv_str(b, "name", (const char *)sqlite3_column_text(st, 2), 0);
		bt_json_kv_str(b, "sha256", (const char *)sqlite3_column_text(st, 3), 0);
		bt_json_kv_int(b, "size", sqlite3_column_int64(st, 4), 0);
		bt_buf_addc(b, '}');
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, e, "reading attachments");
	bt_buf_addc(b, ']');
	return b->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* The extension of name, lowercased into ext (n bytes); "" when none fits. */
static void extension_of(const char *name, char *ext, size_t n)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	size_t len = dot ? strlen(dot + 1) : 0;
	ext[0] = '\0';
	if (!len || len >= n)
		return;
	for (size_t i = 0; i <= len; i++)
		ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] + 32 : dot[1 + i]);
}

static int starts(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && !memcmp(d, magic, n);
}

bt_file_kind bt_attachment_kind(const char *name, const void *data, size_t len)
{
	const unsigned char *d = data;
	char ext[8];
	int ok;
	extension_of(name, ext, sizeof ext);
	if (!strcmp(ext, "pdf"))
		ok = starts(d, len, "%PDF-", 5);
	else if (!strcmp(ext, "doc"))
		ok = starts(d, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	else if (!strcmp(ext, "docx") || !strcmp(ext, "odt"))
		ok = starts(d, len, "PK\x03\x04", 4);
	else if (!strcmp(ext, "rtf"))
		ok = starts(d, len, "{\\rtf", 5);
	else if (!strcmp(ext, "txt"))
		ok = bt_utf8_valid((const char *)d, len) && !memchr(d, '\0', len);
	else if (!strcmp(ext, "png"))
		ok = starts(d, len, "\x89PNG\r\n\x1a\n", 8);
	else if (!strcmp(ext, "jpg") || !strcmp(ext, "jpeg"))
		ok = starts(d, len, "\xff\xd8\xff", 3);
	else if (!strcmp(ext, "tif") || !strcmp(ext, "tiff"))
		ok = starts(d, len, "II*\0", 4) || starts(d, len, "MM\0*", 4) ||
		     starts(d, len, "II+\0", 4) || starts(d, len, "MM\0+", 4);
	else
		return BT_FILE_UNKNOWN;
	return ok ? BT_FILE_OK : BT_FILE_MISMATCH;
}

/* Checks everything about spec that needs no database. */
static int check_spec(const bt_reply_spec *s, int64_t max, bt_err *e)
{
	if (s->choice < BT_AUTHORIZE || s->choice > BT_WITHDRAW)
		return bt_failf(e, BT_R_INPUT, NULL,
				"choice: none given (authorize, authorize-with-comments or not-authorize)");
	const char *channel = s->channel ? s->channel : "other";
	if (!bt_channel_valid(channel))
		return bt_failf(e, BT_R_INPUT, "channel", "'%s' is not a channel (email, fax, post, portal, other)",
				bt_text_clean(channel, 0) ? channel : "(unprintable)");
	int rc;
	if (s->signatory && (rc = bt_name_check("signatory", s->signatory, 200, e)))
		return rc;
	if (s->title && (rc = bt_name_check("title", s->title, 200, e)))
		return rc;
	if (s->n_attachments && (s->choice == BT_AUTHORIZE || s->choice == BT_WITHDRAW))
		return bt_failf(e, BT_R_INPUT, NULL,
				"attachment: a '%s' takes no attachment", bt_choice_name(s->choice));
	if (s->choice == BT_AUTHORIZE_WITH_COMMENTS && s->n_attachments == 0)
		return bt_failf(e, BT_R_INPUT, NULL,
				"attachment: 'authorize-with-comments' needs the comments attached (or choose 'authorize')");
	if (s->n_attachments > 20)
		return bt_failf(e, BT_R_INPUT, NULL,
				"attachment: %zu files, at most 20 per reply", s->n_attachments);
	if (s->scan && s->choice == BT_WITHDRAW)
		return bt_failf(e, BT_R_INPUT, NULL, "scan: a withdrawal takes no scanned form");
	for (size_t i = 0; i <= s->n_attachments; i++) {
		const bt_attachment_in *a = i < s->n_attachments ? &s->attachments[i] : s->scan;
		if (!a)
			break;
		if (a->name && bt_text_hidden(a->name, 1))
			return bt_name_check("attachment: file name", a->name, 0, e);
		if (!a->name || !*a->name || strlen(a->name) > 255 || strchr(a->name, '/') ||
		    !bt_text_clean(a->name, 0))
			return bt_failf(e, BT_R_INPUT, NULL,
					"attachment: file name '%s' is empty, too long or unclean",
					a->name && bt_text_clean(a->name, 0) ? a->name : "(unprintable)");
		if (a->len == 0)
			return bt_failf(e, BT_R_INPUT, NULL, "attachment: '%s' is empty", a->name);
		if ((int64_t)a->len > max)
			return bt_failf(e, BT_R_INPUT, NULL,
					"attachment: '%s' is %zu bytes, over the limit of %lld",
					a->name, a->len, (long long)max);
		/* whoever opens it later goes by its name: it must not lie */
		if (bt_attachment_kind(a->name, a->data, a->len) == BT_FILE_MISMATCH)
			return bt_failf(e, BT_R_INPUT, NULL,
					"attachment: '%s' is not what its name says (its first bytes are"
					" not those of a .%s file); give it the name of its real type", a->name,
					strrchr(a->name, '.') + 1);
	}
	return BT_OK;
}

/* What one transaction has recorded so far per member and consultation
 * (its rows are not committed: a refusal names what was held before it),
 * and which quota refused a reply, for the caller (bt_reply_result.quota). */
typedef struct quota_txn {
	struct quota_sum {
		int64_t cid;
		char member[4];
		int64_t bytes, rows;
	} *v;
	size_t n, cap;
	int quota;
	int retry_after;
	/* drafts given on-time replies after their deadline in this
	 * transaction (late entries), with the outcome before the first */
	struct late_draft {
		int64_t draft_id;
		bt_consultation c;
		const char *before;
		int reasoned;
		char member[4], rec[BT_ID_MAX + 1], received[BT_TIME_LEN];
	} *late;
	size_t n_late, cap_late;
} quota_txn;

#define QUOTA_TXN_INIT { NULL, 0, 0, 0, 0, NULL, 0, 0 }

static void quota_txn_release(quota_txn *t)
{
	free(t->late);
	t->late = NULL;
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* The running sum of member in consultation cid (NULL: out of memory). */
static struct quota_sum *quota_sum_of(quota_txn *t, int64_t cid, const char *member)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].cid == cid && !strcmp(t->v[i].member, member))
			return &t->v[i];
	if (array_reserve(&t->v, &t->cap, t->n + 1, sizeof *t->v))
		return NULL;
	struct quota_sum *q = &t->v[t->n++];
	memset(q, 0, sizeof *q);
	q->cid = cid;
	memcpy(q->member, member, 4);
	return q;
}

/* One integer from sql bound to the consultation, the member and, when
 * nargs > 2, a and (nargs > 3) b; *found 0 when there is no row. */
static int quota_query(bt_db *db, const char *sql, int64_t cid, const char *member, int nargs,
		       int64_t a, int64_t b, int64_t *out, int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_text(st, 2, member, -1, SQLITE_STATIC);
	if (nargs > 2)
		sqlite3_bind_int64(st, 3, a);
	if (nargs > 3)
		sqlite3_bind_int64(st, 4, b);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*out = *found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading a member's quota");
}

/* The member's quotas in consultation c (bt_reply_record), for spec s about
 * to be recorded at now, after what t's transaction recorded already
 * (sum); inside the write transaction, so what it counts cannot change
 * before the reply is written. */
static int quota_check(bt_db *db, const bt_consultation *c, const char *member,
		       const bt_reply_spec *s, bt_time now, const struct quota_sum *sum,
		       quota_txn *t, bt_err *e)
{
	int64_t adds = 0, held = 0, n = 0, oldest = 0;
	int found, rc;
	if (s->force)
		return BT_OK;
	for (size_t i = 0; i < s->n_attachments; i++)
		adds += (int64_t)s->attachments[i].len;
	if (s->scan && s->choice != BT_WITHDRAW)
		adds += (int64_t)s->scan->len;
	/* a member over the cap (lowered since) may still reply without files */
	if (adds > 0) {
		int64_t cap = bt_setting_int(db, "quota_bytes", BT_QUOTA_BYTES_DEFAULT);
		if ((rc = quota_query(db, SQL_QUOTA_BYTES, c->id, member, 2, 0, 0, &held, &found, e)))
			return rc;
		if (held + adds > cap) {
			t->quota = BT_QUOTA_BYTES;
			return bt_failf(e, BT_R_FORBIDDEN, NULL,
					"quota_bytes: %s's replies in consultation %s hold %lld bytes of attachments; "
					"%lld more would pass the cap of %lld bytes",
					member, c->circular, (long long)(held - sum->bytes),
					(long long)(sum->bytes + adds), (long long)cap);
		}
	}
	int64_t cap = bt_setting_int(db, "replies_per_hour", BT_REPLIES_PER_HOUR_DEFAULT);
	if (cap < c->drafts)
		cap = c->drafts; /* one reply to every draft always fits */
	if ((rc = quota_query(db, SQL_QUOTA_REPLIES, c->id, member, 3, now - 3600, 0, &n, &found, e)))
		return rc;
	if (n + 1 <= cap)
		return BT_OK;
	/* it fits once the oldest n - cap + 1 of them are an hour old */
	if ((rc = quota_query(db, SQL_QUOTA_NTH, c->id, member, 4, now - 3600, n - cap, &oldest, &found, e)))
		return rc;
	int64_t wait = found ? oldest + 3600 - now : 3600;
	t->quota = BT_QUOTA_RATE;
	t->retry_after = wait < 1 ? 1 : wait > 86400 ? 86400 : (int)wait;
	return bt_failf(e, BT_R_FORBIDDEN, NULL,
			"replies_per_hour: %s recorded %lld replies in consultation %s in the last hour; "
			"%lld more would pass the cap of %lld (in %d s they fit)",
			member, (long long)(n - sum->rows), c->circular, (long long)(sum->rows + 1),
			(long long)cap, t->retry_after);
}

/* Records one reply inside the caller's transaction. */
/* The outcome of draft_id counted at now (after the deadline):
 * "proceed" or "not-proceed", from the rows recorded so far. */
static int outcome_now(bt_db *db, const bt_consultation *c, int64_t draft_id, bt_time now,
		       const char **out, bt_err *e)
{
	const bt_rule *rule = bt_rule_find(c->rule);
	if (!rule)
		return bt_failf(e, BT_R_DAMAGED, NULL,
				"consultation '%s' has unknown rule '%s'", c->circular, c->rule);
	bt_tally t;
	bt_draft_tally d;
	memset(&t, 0, sizeof t);
	memset(&d, 0, sizeof d);
	t.deadline = c->deadline;
	t.as_of = now;
	t.final = 1;
	t.electorate = c->electorate;
	count_row *rows;
	size_t n;
	int rc = count_load(db, draft_id, &rows, &n, e);
	if (rc)
		return rc;
	tally_rows(rule, rows, n, &t, &d);
	free(rows);
	*out = d.if_closed_now;
	return BT_OK;
}

/* Notes a late entry on draft_id in the transaction (its outcome before
 * the transaction's first one). */
static int late_note(bt_db *db, quota_txn *t, const bt_consultation *c, int64_t draft_id,
		     const char *rec, const char *member, const char *received, int reasoned,
		     bt_time now, bt_err *e)
{
	for (size_t i = 0; i < t->n_late; i++)
		if (t->late[i].draft_id == draft_id) {
			t->late[i].reasoned |= reasoned;
			return BT_OK;
		}
	if (array_reserve(&t->late, &t->cap_late, t->n_late + 1, sizeof *t->late))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	struct late_draft *l = &t->late[t->n_late];
	memset(l, 0, sizeof *l);
	l->draft_id = draft_id;
	l->c = *c;
	l->reasoned = reasoned;
	snprintf(l->member, sizeof l->member, "%s", member);
	snprintf(l->rec, sizeof l->rec, "%s", rec);
	snprintf(l->received, sizeof l->received, "%s", received);
	int rc = outcome_now(db, c, draft_id, now, &l->before, e);
	if (!rc)
		t->n_late++;
	return rc;
}

/* Before the commit: a late entry that changed a draft's outcome (as the
 * whole transaction leaves it) needs its reason. */
static int late_check(bt_db *db, const quota_txn *t, bt_time now, bt_err *e)
{
	for (size_t i = 0; i < t->n_late; i++) {
		const struct late_draft *l = &t->late[i];
		const char *after;
		int rc = outcome_now(db, &l->c, l->draft_id, now, &after, e);
		if (rc)
			return rc;
		if (strcmp(after, l->before) != 0 && !l->reasoned) {
			char dl[BT_TIME_LEN];
			bt_time_format(l->c.deadline, dl);
			return bt_failf(e, BT_R_INPUT, "late_entry_reason",
					"%s's reply on %s, received %s (on time), is entered after the deadline %s and changes the outcome shown since then from %s to %s; say why",
					l->member, l->rec, l->received, dl, l->before, after);
		}
	}
	return BT_OK;
}

static int record_txn(bt_db *db, const bt_reply_spec *s, const char *actor, bt_time now,
		      bt_reply_result *out, quota_txn *t, bt_err *e)
{
	int64_t max = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	int rc = check_spec(s, max, e);
	if (rc)
		return rc;
	bt_consultation c;
	bt_draft d;
	char member[4], t1[BT_TIME_LEN], t2[BT_TIME_LEN];
	if ((rc = consultation_load(db, s->circular, &c, e)) ||
	    (rc = bt_member_resolve(db, "member", s->member, member, e)))
		return rc;
	int in = electorate_has(db, c.id, member, e);
	if (in < 0)
		return BT_EFAIL;
	if (!in)
		return bt_failf(e, BT_R_INPUT, "member", "%s is not in the electorate of consultation '%s'",
				member, c.circular);
	if ((rc = draft_find_in(db, &c, s->rec, &d, e)))
		return rc;
	int64_t draft_id = d.id;
	char rec[BT_ID_MAX + 1];
	snprintf(rec, sizeof rec, "%s", d.rec);
	bt_draft_clear(&d);

	bt_time received = s->has_received ? s->received : now;
	bt_time_format(received, t1);
	if (received > now) {
		bt_time_format(now, t2);
		return bt_failf(e, BT_R_CONFLICT, "received", "%s is in the future (now %s)", t1, t2);
	}
	if (received < bt_date_time(c.date)) {
		bt_date_format(c.date, t2);
		return bt_failf(e, BT_R_CONFLICT, "received", "%s is before the circular's date %s", t1, t2);
	}
	int late = received > c.deadline;
	if (c.closed && !late) {
		bt_time_format(c.closed_at, t2);
		return bt_failf(e, BT_R_CONFLICT, "received",
				"%s is on time but consultation '%s' was closed at %s; its outcome is frozen",
				t1, c.circular, t2);
	}
	/* a paper form that arrived on time, entered after the deadline */
	int late_entry = !late && now > c.deadline;
	const char *reason = s->late_entry_reason;
	const char *before = NULL;
	if (reason && !late_entry) {
		bt_time_format(c.deadline, t2);
		return bt_failf(e, BT_R_INPUT, "late_entry_reason",
				"only for an on-time reply recorded after the deadline (%s)", t2);
	}
	if (reason && (!*reason || strlen(reason) > 2000 || !bt_text_clean(reason, 0)))
		return bt_failf(e, BT_R_INPUT, "late_entry_reason", "empty, unclean or longer than 2000 bytes");
	if (late_entry && (rc = late_note(db, t, &c, draft_id, rec, member, t1, reason != NULL, now, e)))
		return rc;
	if (reason && (rc = outcome_now(db, &c, draft_id, now, &before, e)))
		return rc;

	/* Where the new row stands among the member's rows on the draft. */
	count_row *rows;
	size_t n;
	if ((rc = count_load_member(db, draft_id, member, &rows, &n, e)))
		return rc;
	count_place place;
	count_place_new(rows, n, received, c.deadline, late, &place);
	free(rows);
	int in_force = place.in_force, outdated = place.outdated, ontime_in_force = place.ontime_in_force;
	if (s->choice == BT_WITHDRAW && in_force < 0)
		return bt_failf(e, BT_R_NOT_FOUND, "member", "%s has no reply on draft %s to withdraw as of %s",
				member, rec, t1);
	struct quota_sum *sum = quota_sum_of(t, c.id, member);
	if (!sum)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if ((rc = quota_check(db, &c, member, s, now, sum, t, e)))
		return rc;
	for (size_t i = 0; i < s->n_attachments; i++)
		sum->bytes += (int64_t)s->attachments[i].len;
	if (s->scan)
		sum->bytes += (int64_t)s->scan->len;
	sum->rows++;

	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_REPLY_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, draft_id);
	sqlite3_bind_text(st, 2, member, -1, SQLITE_TRANSIENT);
	db_bind_text(st, 3, bt_choice_name(s->choice));
	sqlite3_bind_int64(st, 4, received);
	db_bind_text(st, 5, s->channel ? s->channel : "other");
	db_bind_text(st, 6, s->signatory && *s->signatory ? s->signatory : NULL);
	db_bind_text(st, 7, s->title && *s->title ? s->title : NULL);
	sqlite3_bind_int64(st, 8, now);
	db_bind_text(st, 9, actor);
	sqlite3_bind_int64(st, 10, ev.seq);
	if ((rc = db_exec_stmt(db, st, "saving the reply", e)))
		return rc;
	int64_t reply_id = sqlite3_last_insert_rowid(db->h);
	for (size_t i = 0; i <= s->n_attachments; i++) {
		const bt_attachment_in *a = i < s->n_attachments ? &s->attachments[i] : s->scan;
		if (!a)
			break;
		const char *role = i == s->n_attachments ? "form"
				   : s->choice == BT_NOT_AUTHORIZE ? "reasons" : "comments";
		char sha[65];
		sha256_hex(a->data, a->len, sha);
		if (!(st = db_stmt(db, SQL_ATTACHMENT_INSERT, e)))
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, reply_id);
		db_bind_text(st, 2, role);
		db_bind_text(st, 3, a->name);
		db_bind_text(st, 4, sha);
		sqlite3_bind_int64(st, 5, (int64_t)a->len);
		if (sqlite3_bind_blob64(st, 6, a->data, a->len, SQLITE_STATIC) != SQLITE_OK)
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "attachment: '%s' (%zu bytes) is too large to store", a->name, a->len);
		else
			rc = db_exec_stmt(db, st, "saving an attachment", e);
		sqlite3_clear_bindings(st);
		if (rc)
			return rc;
	}
	const char *after = NULL;
	if (before && (rc = outcome_now(db, &c, draft_id, now, &after, e)))
		return rc;
	bt_buf p = BT_BUF_INIT;
	if ((rc = reply_payload(db, reply_id, &p, e))) {
		bt_buf_release(&p);
		return rc;
	}
	char hash[65];
	bt_buf body = BT_BUF_INIT;
	rc = event_write(db, &ev, s->choice == BT_WITHDRAW ? EVK_WITHDRAWAL : EVK_REPLY, c.circular,
			 now, bt_buf_str(&p), hash, &body, e);
	int64_t late_seq = 0;
	if (!rc && reason) {
		/* the reason, in the chain, right after the reply it is about */
		bt_buf lp = BT_BUF_INIT;
		char rt[BT_TIME_LEN];
		bt_time_format(received, rt);
		bt_json_kv_int(&lp, "reply", reply_id, 1);
		bt_json_kv_int(&lp, "reply_event", ev.seq, 0);
		bt_json_kv_str(&lp, "member", member, 0);
		bt_json_kv_str(&lp, "draft", rec, 0);
		bt_json_kv_str(&lp, "received", rt, 0);
		if (before) {
			bt_json_kv_str(&lp, "outcome_before", before, 0);
			bt_json_kv_str(&lp, "outcome_after", after, 0);
		}
		bt_json_kv_str(&lp, "reason", reason, 0);
		event_slot lev;
		if (lp.failed)
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		else if (!(rc = event_reserve(db, actor, &lev, e)))
			rc = event_write(db, &lev, EVK_LATE_ENTRY, c.circular, now, bt_buf_str(&lp), NULL, NULL, e);
		late_seq = rc ? 0 : lev.seq;
		bt_buf_release(&lp);
	}
	if (!rc && out) {
		memset(out, 0, sizeof *out);
		out->reply_id = reply_id;
		out->event_seq = ev.seq;
		memcpy(out->event_hash, hash, 65);
		memcpy(out->member, member, 4);
		snprintf(out->rec, sizeof out->rec, "%s", rec);
		out->choice = s->choice;
		out->received = received;
		out->late = late;
		out->supersedes = !late && !outdated && s->choice != BT_WITHDRAW && ontime_in_force >= 0;
		out->without_reasons = s->choice == BT_NOT_AUTHORIZE && s->n_attachments == 0;
		out->outdated = outdated;
		out->late_entry = late_entry;
		out->late_entry_seq = late_seq;
		out->deadline = c.deadline;
		sha256_hex(bt_buf_str(&body), body.len, out->sha256);
	}
	bt_buf_release(&body);
	bt_buf_release(&p);
	return rc;
}

int bt_reply_record(bt_db *db, const bt_reply_spec *spec, const char *actor, bt_time now,
		    bt_reply_result *out, bt_err *e)
{
	quota_txn q = QUOTA_TXN_INIT;
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	/* the clock went back: the reply is not dated before the last event */
	if ((rc = event_clock(db, &now, e)) || (rc = record_txn(db, spec, actor, now, out, &q, e)) || (rc = late_check(db, &q, now, e)) ||
	    (rc = db_commit(db, e))) {
		db_rollback(db);
		if (out) {
			out->quota = q.quota;
			out->retry_after = q.retry_after;
		}
	}
	quota_txn_release(&q);
	return rc;
}

int bt_reply_record_many(bt_db *db, const bt_reply_spec *specs, size_t n, const char *actor,
			 bt_time now, bt_reply_result *out, bt_err *e)
{
	if (n == 0)
		return bt_failf(e, BT_R_INPUT, NULL, "choice: none given for any draft");
	quota_txn q = QUOTA_TXN_INIT;
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = event_clock(db, &now, e);
	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = record_txn(db, &specs[i], actor, now, &out[i], &q, e))) {
			bt_err_wrap(e, "%s: ", specs[i].rec ? specs[i].rec : "draft");
			break;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out[j].rec, out[i].rec) && !strcmp(out[j].member, out[i].member)) {
				rc = bt_failf(e, BT_R_INPUT, NULL,
					      "draft: '%s' given twice", out[i].rec);
				break;
			}
	}
	if (rc || (rc = late_check(db, &q, now, e)) || (rc = db_commit(db, e))) {
		db_rollback(db);
		out[0].quota = q.quota;
		out[0].retry_after = q.retry_after;
	}
	quota_txn_release(&q);
	return rc;
}

/* Prefixes e's message with "FILE line N: ", as it is: a field in it is the
 * TSV's column ("received: ..."), not one of the engine's fields. */
static int at_line(bt_err *e, int rc, const char *path, int line)
{
	if (e) {
		char msg[sizeof e->msg + 4200];
		snprintf(msg, sizeof msg, "%s line %d: %s", path, line, e->msg);
		size_t n = strlen(msg);
		if (n >= sizeof e->msg)
			n = sizeof e->msg - 1;
		memcpy(e->msg, msg, n);
		e->msg[n] = '\0';
	}
	return rc;
}

/* Sets full to the file an import line's attachment rel names under root
 * (root_real: its real path, symbolic links resolved): rel must be relative,
 * have no ".." component, and not lead out of root by a symbolic link. */
static int attachment_path(const char *root, const char *root_real, const char *what,
			   const char *rel, bt_buf *full, bt_err *e)
{
	const char *shown = bt_text_clean(rel, 0) ? rel : "(unprintable)";
	if (rel[0] == '/')
		return bt_failf(e, BT_R_INPUT, NULL,
				"attachment: '%.200s' is an absolute path; attachment paths are"
				" relative to %s", shown, what);
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return bt_failf(e, BT_R_INPUT, NULL,
					"attachment: '%.200s' leaves %s ('..')", shown, what);
		p += n;
		p += *p == '/';
	}
	bt_buf_reset(full);
	if (bt_buf_addf(full, "%s/%s", root, rel) < 0)
		return bt_failf(e, BT_R_INPUT, NULL,
				"attachment: the path '%.100s...' is too long", shown);
	char *real = realpath(full->data, NULL);
	if (!real)
		return BT_OK; /* missing: bt_file_read says so */
	size_t rl = strlen(root_real);
	int inside = strncmp(real, root_real, rl) == 0 && (real[rl] == '/' || (rl == 1 && root_real[0] == '/'));
	int rc = BT_OK;
	if (!inside)
		rc = bt_failf(e, BT_R_INPUT, NULL,
			      "attachment: '%.200s' leads out of %s through a symbolic link", shown,
			      what);
	else {
		bt_buf_reset(full);
		if (bt_buf_adds(full, real) < 0)
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "attachment: the path '%.100s...' is too long", shown);
	}
	free(real);
	return rc;
}

int bt_reply_import(bt_db *db, const char *circular, const char *path, const char *actor,
		    bt_time now, int force, bt_import_stats *stats, bt_err *e)
{
	return bt_reply_import_from(db, circular, path, NULL, actor, now, force, stats, e);
}

int bt_reply_import_from(bt_db *db, const char *circular, const char *path, const char *from,
			 const char *actor, bt_time now, int force, bt_import_stats *stats, bt_err *e)
{
	static const char *const cols[] = { "member", "draft", "choice", "received", "channel", "attachment" };
	bt_buf text = BT_BUF_INIT, att = BT_BUF_INIT;
	int64_t max = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	int rc = bt_file_read(path, "import", 64 * 1024 * 1024, &text, e);
	memset(stats, 0, sizeof *stats);
	if (rc)
		return rc;
	if (!bt_utf8_valid(text.data ? text.data : "", text.len) ||
	    (text.len && memchr(text.data, '\0', text.len))) {
		bt_buf_release(&text);
		return bt_failf(e, BT_R_INPUT, NULL, "import: '%s' is not valid UTF-8 text", path);
	}
	char *dircopy = strdup(path);
	if (!dircopy) {
		bt_buf_release(&text);
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	const char *dir = from ? from : dirname(dircopy);
	char what[64];
	snprintf(what, sizeof what, "%s", from ? "{attachments_from}" : "the TSV's directory");
	char *dir_real = realpath(dir, NULL);
	struct stat dst;
	if (!dir_real || stat(dir_real, &dst) != 0 || !S_ISDIR(dst.st_mode)) {
		free(dir_real);
		free(dircopy);
		bt_buf_release(&text);
		return bt_failf(e, from ? BT_R_NOT_FOUND : BT_R_INPUT, from ? "attachments_from" : "import",
				"'%s' is not a directory", bt_text_clean(dir, 0) ? dir : "(unprintable)");
	}
	tsv_reader t;
	tsv_init(&t, text.data ? text.data : (char *)"", text.len);
	char *f[8];
	int n, header = 0;
	quota_txn q = QUOTA_TXN_INIT;
	if ((rc = db_begin(db, e)) || (rc = event_clock(db, &now, e)))
		goto out;
	uint64_t lines = 0; /* for progress only: the lines after the header */
	for (size_t i = 0; i < text.len; i++)
		lines += text.data[i] == '\n';
	lines = lines ? lines - 1 : 0;
	while ((n = tsv_next(&t, f, 8)) > 0) {
		if (lines >= 256 && stats->recorded % 128 == 0)
			bt_progress("replies", (uint64_t)stats->recorded, lines);
		if (!header) {
			for (int i = 0; i < 6; i++)
				if (n != 6 || strcmp(f[i], cols[i]) != 0) {
					rc = at_line(e, bt_failf(e, BT_R_INPUT, NULL,
						"header must be member, draft, choice, received, channel, attachment (tab-separated)"),
						path, t.line);
					goto fail;
				}
			header = 1;
			continue;
		}
		if (n != 6) {
			rc = at_line(e, bt_failf(e, BT_R_INPUT, NULL,
						 "%d columns, want 6 (member, draft, choice, received, channel, attachment)", n),
				     path, t.line);
			goto fail;
		}
		bt_reply_spec s;
		memset(&s, 0, sizeof s);
		s.circular = circular;
		s.member = f[0];
		s.rec = *f[1] ? f[1] : NULL;
		s.choice = bt_choice_parse(f[2]);
		if (s.choice == BT_CHOICE_NONE || s.choice == BT_WITHDRAW) {
			rc = at_line(e, bt_failf(e, BT_R_INPUT, NULL,
				"choice: '%s' is not authorize, authorize-with-comments or not-authorize",
				bt_text_clean(f[2], 0) ? f[2] : "(unprintable)"), path, t.line);
			goto fail;
		}
		if (*f[3]) {
			if ((rc = bt_time_parse(f[3], "received", &s.received, e)))
				goto fail_line;
			s.has_received = 1;
		}
		s.channel = *f[4] ? f[4] : NULL;
		s.force = force;
		bt_attachment_in a;
		if (*f[5]) {
			bt_buf full;
			bt_buf_init(&full, 4096);
			rc = attachment_path(dir, dir_real, what, f[5], &full, e);
			if (!rc)
				rc = bt_file_read(full.data, "attachment", (size_t)max, &att, e);
			bt_buf_release(&full);
			if (rc)
				goto fail_line;
			const char *base = strrchr(f[5], '/');
			a.name = base ? base + 1 : f[5];
			a.data = att.data ? att.data : "";
			a.len = att.len;
			s.attachments = &a;
			s.n_attachments = 1;
		}
		bt_reply_result res;
		rc = record_txn(db, &s, actor, now, &res, &q, e);
		if (rc) {
			/* the reply's own fields, as the engine names them ({member}) */
			bt_err_wrap(e, "%s line %d: ", path, t.line);
			goto fail;
		}
		stats->recorded++;
		if (!stats->first_event)
			stats->first_event = res.event_seq;
		stats->last_event = res.event_seq;
		stats->late += res.late;
		stats->without_reasons += res.without_reasons;
		stats->supersedes += res.supersedes;
	}
	if (!header) {
		rc = bt_failf(e, BT_R_INPUT, NULL, "import: '%s' has no header line", path);
		goto fail;
	}
	if ((rc = late_check(db, &q, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	goto out;
fail_line:
	at_line(e, rc, path, t.line);
fail:
	db_rollback(db);
	memset(stats, 0, sizeof *stats);
	stats->quota = q.quota;
out:
	quota_txn_release(&q);
	free(dir_real);
	free(dircopy);
	bt_buf_release(&text);
	bt_buf_release(&att);
	return rc;
}
