/* reply.c - recording replies and withdrawals (include/ballot/reply.h); the
 * import of a TSV of replies is reply_import.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/reply_txn.h"

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
	if (sqlite3_column_type(st, 13) != SQLITE_NULL) { /* a signed form's signer */
		bt_json_key(b, "signer", 0);
		bt_buf_addc(b, '{');
		bt_json_kv_str(b, "subject", (const char *)sqlite3_column_text(st, 12), 1);
		bt_json_kv_str(b, "cert_sha256", (const char *)sqlite3_column_text(st, 13), 0);
		bt_json_kv_bool(b, "verified", sqlite3_column_int(st, 14), 0);
		bt_buf_addc(b, '}');
	}
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

int bt_reply_name_check(const char *field, const char *s, bt_err *e)
{
	int rc = bt_name_check(field, s, 200, e);
	if (!rc && *s && bt_text_blank(s))
		rc = bt_failf(e, BT_R_INPUT, field, "only spaces; give the name, or none");
	return rc;
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
	if (s->signatory && (rc = bt_reply_name_check("signatory", s->signatory, e)))
		return rc;
	if (s->title && (rc = bt_reply_name_check("title", s->title, e)))
		return rc;
	if (s->signer_sha256 && (strlen(s->signer_sha256) != 64 ||
				 strspn(s->signer_sha256, "0123456789abcdef") != 64))
		return bt_failf(e, BT_R_INPUT, "signer", "the certificate's SHA-256 is not 64 hex digits");
	if (s->signer_subject && (strlen(s->signer_subject) > 255 || !bt_text_clean(s->signer_subject, 0)))
		return bt_failf(e, BT_R_INPUT, "signer", "the subject is longer than 255 bytes or unprintable");
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

void reply_txn_release(reply_txn *t)
{
	free(t->late);
	t->late = NULL;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].seen);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
	free(t->rcpt);
	t->rcpt = NULL;
	t->n_rcpt = t->cap_rcpt = 0;
}

/* The running sum of member in consultation cid (NULL: out of memory). */
static struct quota_sum *quota_sum_of(reply_txn *t, int64_t cid, const char *member)
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

/* Whether content a (its SHA-256) is new to the member's quota (sum): not
 * counted by this transaction (one sending: a form kept with each of its
 * drafts' replies counts once); from now on counted. */
static int quota_new(struct quota_sum *sum, const bt_attachment_in *a, int *is_new, bt_err *e)
{
	char sha[65];
	sha256_hex(a->data, a->len, sha);
	*is_new = 0;
	for (size_t i = 0; i < sum->n_seen; i++)
		if (!strcmp(sum->seen[i].sha256, sha))
			return BT_OK;
	if (array_reserve(&sum->seen, &sum->cap_seen, sum->n_seen + 1, sizeof *sum->seen))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	memcpy(sum->seen[sum->n_seen++].sha256, sha, sizeof sha);
	*is_new = 1;
	return BT_OK;
}

/* The bytes spec s brings to the member's quota (sum): its attachments and
 * kept form, each distinct content once in the transaction. */
static int spec_bytes(struct quota_sum *sum, const bt_reply_spec *s, int64_t *adds,
		      bt_err *e)
{
	*adds = 0;
	int rc = BT_OK, is_new;
	for (size_t i = 0; rc == BT_OK && i <= s->n_attachments; i++) {
		const bt_attachment_in *a = i < s->n_attachments ? &s->attachments[i]
				      : s->scan && s->choice != BT_WITHDRAW ? s->scan : NULL;
		if (a && a->len && (rc = quota_new(sum, a, &is_new, e)) == BT_OK && is_new)
			*adds += (int64_t)a->len;
	}
	return rc;
}

/* The member's quota of bytes in consultation c for adds more bytes, after
 * what the transaction recorded already (sum). */
static int quota_bytes_check(bt_db *db, const bt_consultation *c, const char *member, int64_t adds,
			     const struct quota_sum *sum, reply_txn *t, bt_err *e)
{
	int64_t held = 0;
	int found;
	int64_t cap = bt_setting_int(db, "quota_bytes", BT_QUOTA_BYTES_DEFAULT);
	int rc = quota_query(db, SQL_QUOTA_BYTES, c->id, member, 2, 0, 0, &held, &found, e);
	if (rc || held + adds <= cap)
		return rc;
	t->quota = BT_QUOTA_BYTES;
	return bt_failf(e, BT_R_FORBIDDEN, NULL,
			"quota_bytes: %s's replies in consultation %s hold %lld bytes of attachments; "
			"%lld more would pass the cap of %lld bytes",
			member, c->circular, (long long)(held - sum->bytes),
			(long long)(sum->bytes + adds), (long long)cap);
}

/* The member's quota of replies per hour in consultation c, for one more
 * at now after what the transaction recorded already (sum). */
static int quota_rate_check(bt_db *db, const bt_consultation *c, const char *member, bt_time now,
			    const struct quota_sum *sum, reply_txn *t, bt_err *e)
{
	int64_t n = 0, oldest = 0;
	int found, rc;
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
static int late_note(bt_db *db, reply_txn *t, const bt_consultation *c, int64_t draft_id,
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
	l->line = t->line;
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
static int late_check(bt_db *db, reply_txn *t, bt_time now, bt_err *e)
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
			t->late_line = l->line;
			return bt_failf(e, BT_R_INPUT, "late_entry_reason",
					"%s's reply on %s, received %s (on time), is entered after the deadline %s and changes the outcome shown since then from %s to %s; say why",
					l->member, l->rec, l->received, dl, l->before, after);
		}
	}
	return BT_OK;
}

/* One reply being recorded: the ctx of its db_write, filled by its check
 * step and used by its insert step, its late-entry event and its result. */
typedef struct reply_write {
	const bt_reply_spec *s;
	reply_txn *t;
	bt_consultation c;
	int64_t draft_id, reply_id, reply_seq;
	char member[4], rec[BT_ID_MAX + 1], received_s[BT_TIME_LEN];
	bt_time received;
	int late, late_entry;
	const char *before; /* with a late-entry reason: the outcome before it */
	count_place place;
} reply_write;

/* Check, first step: the spec itself, the consultation, the member (in its
 * electorate) and the draft. */
static int reply_target(bt_db *db, reply_write *r, bt_err *e)
{
	int64_t max = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	const bt_reply_spec *s = r->s;
	int rc;
	bt_draft d;
	if ((rc = check_spec(s, max, e)) || (rc = consultation_load(db, s->circular, &r->c, e)) ||
	    (rc = bt_member_resolve(db, "member", s->member, r->member, e)))
		return rc;
	int in = electorate_has(db, r->c.id, r->member, e);
	if (in < 0)
		return BT_EFAIL;
	if (!in)
		return bt_failf(e, BT_R_INPUT, "member", "%s is not in the electorate of consultation '%s'",
				r->member, r->c.circular);
	if ((rc = draft_find_in(db, &r->c, s->rec, &d, e)))
		return rc;
	r->draft_id = d.id;
	snprintf(r->rec, sizeof r->rec, "%s", d.rec);
	bt_draft_clear(&d);
	return BT_OK;
}

/* Check: when it was received (now when not given), against now, the
 * circular's date, the deadline and the close. */
static int reply_when(reply_write *r, bt_time now, bt_err *e)
{
	char t2[BT_TIME_LEN];
	r->received = r->s->has_received ? r->s->received : now;
	bt_time_format(r->received, r->received_s);
	if (r->received > now) {
		bt_time_format(now, t2);
		return bt_failf(e, BT_R_CONFLICT, "received", "%s is in the future (now %s)", r->received_s, t2);
	}
	if (r->received < bt_date_time(r->c.date)) {
		bt_date_format(r->c.date, t2);
		return bt_failf(e, BT_R_CONFLICT, "received", "%s is before the circular's date %s",
				r->received_s, t2);
	}
	r->late = r->received > r->c.deadline;
	if (r->c.closed && !r->late) {
		bt_time_format(r->c.closed_at, t2);
		return bt_failf(e, BT_R_CONFLICT, "received",
				"%s is on time but consultation '%s' was closed at %s; its outcome is frozen",
				r->received_s, r->c.circular, t2);
	}
	/* a paper form that arrived on time, entered after the deadline */
	r->late_entry = !r->late && now > r->c.deadline;
	return BT_OK;
}

/* Check: a late entry's reason (only for one), noted in the transaction;
 * with a reason, the outcome before it. */
static int reply_reason(bt_db *db, reply_write *r, bt_time now, bt_err *e)
{
	const char *reason = r->s->late_entry_reason;
	int rc;
	if (reason && !r->late_entry) {
		char dl[BT_TIME_LEN];
		bt_time_format(r->c.deadline, dl);
		return bt_failf(e, BT_R_INPUT, "late_entry_reason",
				"only for an on-time reply recorded after the deadline (%s)", dl);
	}
	if (reason && (!*reason || strlen(reason) > 2000 || !bt_text_clean(reason, 0)))
		return bt_failf(e, BT_R_INPUT, "late_entry_reason", "empty, unclean or longer than 2000 bytes");
	if (r->late_entry && (rc = late_note(db, r->t, &r->c, r->draft_id, r->rec, r->member, r->received_s,
					     reason != NULL, now, e)))
		return rc;
	return reason ? outcome_now(db, &r->c, r->draft_id, now, &r->before, e) : BT_OK;
}

/* Check: where the new row stands among the member's rows on the draft (a
 * withdrawal needs a reply in force), and the member's quotas, which then
 * count it. */
static int reply_place(bt_db *db, reply_write *r, bt_time now, bt_err *e)
{
	count_row *rows;
	size_t n;
	int rc = count_load_member(db, r->draft_id, r->member, &rows, &n, e);
	if (rc)
		return rc;
	count_place_new(rows, n, r->received, r->c.deadline, r->late, &r->place);
	free(rows);
	if (r->s->choice == BT_WITHDRAW && r->place.in_force < 0)
		return bt_failf(e, BT_R_NOT_FOUND, "member", "%s has no reply on draft %s to withdraw as of %s",
				r->member, r->rec, r->received_s);
	struct quota_sum *sum = quota_sum_of(r->t, r->c.id, r->member);
	if (!sum)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	int64_t adds = 0;
	if ((rc = spec_bytes(sum, r->s, &adds, e)))
		return rc;
	/* a member over the cap (lowered since) may still reply without files */
	if (!r->s->force && ((adds > 0 && (rc = quota_bytes_check(db, &r->c, r->member, adds, sum, r->t, e))) ||
			     (rc = quota_rate_check(db, &r->c, r->member, now, sum, r->t, e))))
		return rc;
	sum->bytes += adds;
	sum->rows++;
	return BT_OK;
}

/* The check step of a reply's db_write: loads and refuses, writes nothing. */
static int reply_check(bt_db *db, db_write *w, bt_err *e)
{
	reply_write *r = w->ctx;
	int rc;
	if ((rc = reply_target(db, r, e)) || (rc = reply_when(r, w->now, e)) ||
	    (rc = reply_reason(db, r, w->now, e)) || (rc = reply_place(db, r, w->now, e)))
		return rc;
	w->circular = r->c.circular;
	return BT_OK;
}

/* Insert: the reply's row, recording the reserved event. */
static int reply_row_insert(bt_db *db, const db_write *w, reply_write *r, bt_err *e)
{
	const bt_reply_spec *s = r->s;
	sqlite3_stmt *st = db_stmt(db, SQL_REPLY_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, r->draft_id);
	db_bind_text(st, 2, r->member);
	db_bind_text(st, 3, bt_choice_name(s->choice));
	sqlite3_bind_int64(st, 4, r->received);
	db_bind_text(st, 5, s->channel ? s->channel : "other");
	db_bind_text(st, 6, s->signatory && *s->signatory ? s->signatory : NULL);
	db_bind_text(st, 7, s->title && *s->title ? s->title : NULL);
	sqlite3_bind_int64(st, 8, w->now);
	db_bind_text(st, 9, w->actor);
	sqlite3_bind_int64(st, 10, w->ev.seq);
	if (s->signer_sha256) {
		db_bind_text(st, 11, s->signer_subject ? s->signer_subject : "");
		db_bind_text(st, 12, s->signer_sha256);
		sqlite3_bind_int(st, 13, s->signer_verified != 0);
	} else {
		for (int i = 11; i <= 13; i++)
			sqlite3_bind_null(st, i);
	}
	int rc = db_exec_stmt(db, st, "saving the reply", e);
	if (!rc)
		r->reply_id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

/* Insert: one attachment of the reply in role. */
static int attachment_insert(bt_db *db, int64_t reply_id, const char *role, const bt_attachment_in *a,
			     bt_err *e)
{
	char sha[65];
	sha256_hex(a->data, a->len, sha);
	sqlite3_stmt *st = db_stmt(db, SQL_ATTACHMENT_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, reply_id);
	db_bind_text(st, 2, role);
	db_bind_text(st, 3, a->name);
	db_bind_text(st, 4, sha);
	sqlite3_bind_int64(st, 5, (int64_t)a->len);
	int rc;
	if (sqlite3_bind_blob64(st, 6, a->data, a->len, SQLITE_STATIC) != SQLITE_OK)
		rc = bt_failf(e, BT_R_INPUT, NULL,
			      "attachment: '%s' (%zu bytes) is too large to store", a->name, a->len);
	else
		rc = db_exec_stmt(db, st, "saving an attachment", e);
	sqlite3_clear_bindings(st);
	return rc;
}

/* The insert step of a reply's db_write: its row, its attachments (the
 * scanned form last) and the event's payload rendered from them. */
static int reply_insert(bt_db *db, db_write *w, bt_err *e)
{
	reply_write *r = w->ctx;
	const bt_reply_spec *s = r->s;
	int rc = reply_row_insert(db, w, r, e);
	for (size_t i = 0; !rc && i < s->n_attachments; i++)
		rc = attachment_insert(db, r->reply_id, s->choice == BT_NOT_AUTHORIZE ? "reasons" : "comments",
				       &s->attachments[i], e);
	if (!rc && s->scan)
		rc = attachment_insert(db, r->reply_id, "form", s->scan, e);
	return rc ? rc : reply_payload(db, r->reply_id, &w->payload, e);
}

/* The insert step of a late-entry event (no row): its payload, the reason
 * and the outcome before and after the reply it is about. */
static int late_entry_payload(bt_db *db, db_write *w, bt_err *e)
{
	reply_write *r = w->ctx;
	const char *after = NULL;
	int rc = outcome_now(db, &r->c, r->draft_id, w->now, &after, e);
	if (rc)
		return rc;
	bt_buf *p = &w->payload;
	bt_json_kv_int(p, "reply", r->reply_id, 1);
	bt_json_kv_int(p, "reply_event", r->reply_seq, 0);
	bt_json_kv_str(p, "member", r->member, 0);
	bt_json_kv_str(p, "draft", r->rec, 0);
	bt_json_kv_str(p, "received", r->received_s, 0);
	bt_json_kv_str(p, "outcome_before", r->before, 0);
	bt_json_kv_str(p, "outcome_after", after, 0);
	bt_json_kv_str(p, "reason", r->s->late_entry_reason, 0);
	return BT_OK;
}

/* What was recorded, for the caller's acknowledgement. */
static void reply_result_fill(const reply_write *r, const db_write *w, const bt_buf *body,
			      int64_t late_seq, bt_reply_result *out)
{
	const bt_reply_spec *s = r->s;
	memset(out, 0, sizeof *out);
	out->reply_id = r->reply_id;
	out->event_seq = w->ev.seq;
	memcpy(out->event_hash, w->hash, 65);
	memcpy(out->member, r->member, 4);
	snprintf(out->rec, sizeof out->rec, "%s", r->rec);
	out->choice = s->choice;
	out->received = r->received;
	out->late = r->late;
	out->supersedes = !r->late && !r->place.outdated && s->choice != BT_WITHDRAW &&
			  r->place.ontime_in_force >= 0;
	out->without_reasons = s->choice == BT_NOT_AUTHORIZE && s->n_attachments == 0;
	out->outdated = r->place.outdated;
	out->late_entry = r->late_entry;
	out->late_entry_seq = late_seq;
	out->deadline = r->c.deadline;
	sha256_hex(bt_buf_str(body), body->len, out->sha256);
}

int reply_txn_record(bt_db *db, const bt_reply_spec *s, const char *actor, bt_time now,
		     bt_reply_result *out, reply_txn *t, bt_err *e)
{
	reply_write r = { .s = s, .t = t };
	bt_buf body = BT_BUF_INIT;
	db_write w = { .kind = s->choice == BT_WITHDRAW ? EVK_WITHDRAWAL : EVK_REPLY, .actor = actor,
		       .now = now, .ctx = &r, .body = &body };
	int rc = db_write_in(db, &w, reply_check, reply_insert, e);
	int64_t late_seq = 0;
	if (!rc)
		rc = receipt_queue(db, r.c.circular, r.member, w.ev.seq, now, t, e);
	if (!rc && s->late_entry_reason) {
		/* the reason, in the chain, right after the reply it is about */
		db_write lw = { .kind = EVK_LATE_ENTRY, .circular = r.c.circular, .actor = actor,
				.now = now, .ctx = &r };
		r.reply_seq = w.ev.seq;
		rc = db_write_in(db, &lw, NULL, late_entry_payload, e);
		late_seq = lw.ev.seq;
	}
	if (!rc && out)
		reply_result_fill(&r, &w, &body, late_seq, out);
	bt_buf_release(&body);
	return rc;
}

int reply_txn_begin(bt_db *db, bt_time *now, bt_err *e)
{
	int rc = db_begin(db, e);
	if (!rc && (rc = event_clock(db, now, e)))
		db_rollback(db);
	return rc;
}

int reply_txn_end(bt_db *db, reply_txn *t, bt_time now, int rc, bt_err *e)
{
	if (rc || (rc = late_check(db, t, now, e)) || (rc = db_commit(db, e)))
		db_rollback(db);
	return rc;
}

int reply_txn_end_dry(bt_db *db, reply_txn *t, bt_time now, int rc, bt_err *e)
{
	if (!rc)
		rc = late_check(db, t, now, e);
	db_rollback(db);
	return rc;
}

/* reply_txn_grouped's change: its body, then the late-entry check. */
typedef struct reply_group {
	bt_time now;
	reply_txn_body *body;
	void *ctx;
	reply_txn *t;
} reply_group;

static int reply_group_step(bt_db *db, void *ctx, bt_err *e)
{
	reply_group *g = ctx;
	bt_time now = g->now;
	int rc = event_clock(db, &now, e);
	if (!rc)
		rc = g->body(db, now, g->ctx, g->t, e);
	return rc ? rc : late_check(db, g->t, now, e);
}

int reply_txn_grouped(bt_db *db, bt_time now, reply_txn_body *body, void *ctx, reply_txn *t, bt_err *e)
{
	reply_group g = { .now = now, .body = body, .ctx = ctx, .t = t };
	return db_write_group(db, reply_group_step, &g, e);
}

/* What bt_reply_record and bt_reply_record_many record. */
typedef struct reply_args {
	const bt_reply_spec *specs;
	size_t n;
	int many;
	const char *actor;
	bt_reply_result *out;
} reply_args;

/* bt_reply_record_many's replies, inside its transaction. */
static int record_each(bt_db *db, const bt_reply_spec *specs, size_t n, const char *actor,
		       bt_time now, bt_reply_result *out, reply_txn *q, bt_err *e)
{
	for (size_t i = 0; i < n; i++) {
		int rc = reply_txn_record(db, &specs[i], actor, now, &out[i], q, e);
		if (rc) {
			bt_err_wrap(e, "%s: ", specs[i].rec ? specs[i].rec : "draft");
			return rc;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out[j].rec, out[i].rec) && !strcmp(out[j].member, out[i].member))
				return bt_failf(e, BT_R_INPUT, NULL, "draft: '%s' given twice", out[i].rec);
	}
	return BT_OK;
}

static int record_body(bt_db *db, bt_time now, void *ctx, reply_txn *q, bt_err *e)
{
	reply_args *a = ctx;
	if (!a->many)
		return reply_txn_record(db, a->specs, a->actor, now, a->out, q, e);
	return record_each(db, a->specs, a->n, a->actor, now, a->out, q, e);
}

int bt_reply_record(bt_db *db, const bt_reply_spec *spec, const char *actor, bt_time now,
		    bt_reply_result *out, bt_err *e)
{
	reply_txn q = REPLY_TXN_INIT;
	reply_args a = { .specs = spec, .n = 1, .actor = actor, .out = out };
	int rc = reply_txn_grouped(db, now, record_body, &a, &q, e);
	if (rc && out) {
		out->quota = q.quota;
		out->retry_after = q.retry_after;
	}
	reply_txn_release(&q);
	return rc;
}

/* bt_reply_record_many (a change of a group commit), or its dry run (dry:
 * its own transaction, rolled back whatever the checks say). */
static int record_many(bt_db *db, const bt_reply_spec *specs, size_t n, const char *actor,
		       bt_time now, bt_reply_result *out, int dry, bt_err *e)
{
	if (n == 0)
		return bt_failf(e, BT_R_INPUT, NULL, "choice: none given for any draft");
	reply_txn q = REPLY_TXN_INIT;
	int rc;
	if (dry) {
		if ((rc = reply_txn_begin(db, &now, e)))
			return rc;
		rc = reply_txn_end_dry(db, &q, now, record_each(db, specs, n, actor, now, out, &q, e), e);
	} else {
		reply_args a = { .specs = specs, .n = n, .many = 1, .actor = actor, .out = out };
		rc = reply_txn_grouped(db, now, record_body, &a, &q, e);
	}
	if (rc) {
		out[0].quota = q.quota;
		out[0].retry_after = q.retry_after;
	}
	reply_txn_release(&q);
	return rc;
}

int bt_reply_record_many(bt_db *db, const bt_reply_spec *specs, size_t n, const char *actor,
			 bt_time now, bt_reply_result *out, bt_err *e)
{
	return record_many(db, specs, n, actor, now, out, 0, e);
}

int bt_reply_record_many_check(bt_db *db, const bt_reply_spec *specs, size_t n, const char *actor,
			       bt_time now, bt_reply_result *out, bt_err *e)
{
	return record_many(db, specs, n, actor, now, out, 1, e);
}
