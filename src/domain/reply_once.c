/* reply_once.c - replies recorded once per idempotency key
 * (include/ballot/idem.h; domain floor): the key's row is written in the
 * reply's own write transaction (reply_txn.h), so a reply and the key that
 * asked for it are committed together or not at all. */
#include <string.h>
#include "ballot/idem.h"
#include "domain/reply_txn.h"

int bt_idem_key_check(const char *key, bt_err *e)
{
	static const char extra[] = "-_.:~+/=";
	size_t n = key ? strlen(key) : 0;
	if (n == 0)
		return bt_failf(e, BT_R_INPUT, "idempotency_key", "empty (1 to %d characters)", BT_IDEM_KEY_MAX);
	if (n > BT_IDEM_KEY_MAX)
		return bt_failf(e, BT_R_INPUT, "idempotency_key", "%zu characters, more than %d", n,
				BT_IDEM_KEY_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)key[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (c && strchr(extra, c))))
			return bt_failf(e, BT_R_INPUT, "idempotency_key",
					"'%s' holds a character other than A-Z a-z 0-9 and %s", text_shown(key),
					extra);
	}
	return BT_OK;
}

/* The id of the token of SHA-256 hash th, into *id; BT_R_FORBIDDEN when
 * none is recorded. */
static int idem_token(bt_db *db, const char *th, int64_t *id, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IDEM_TOKEN, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, th);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading an API token");
	if (step != SQLITE_ROW)
		return bt_failf(e, BT_R_FORBIDDEN, NULL, "token: not valid");
	return BT_OK;
}

/* The key kh of token id as recorded: *seq its reply's event (0 when the
 * key is new), *reply the reply's id, bh the SHA-256 of its body. */
static int idem_find(bt_db *db, int64_t id, const char *kh, char bh[65], int64_t *seq, int64_t *reply,
		     bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IDEM_FIND, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, kh);
	*seq = 0;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		db_col_copy(st, 0, bh, 65);
		*seq = sqlite3_column_int64(st, 1);
		*reply = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading an idempotency key");
	return BT_OK;
}

static int idem_insert(bt_db *db, int64_t id, const char *kh, const char *bh, int64_t seq, bt_time now,
		       bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_IDEM_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, kh);
	db_bind_text(st, 3, bh);
	sqlite3_bind_int64(st, 4, seq);
	sqlite3_bind_int64(st, 5, now);
	return db_exec_stmt(db, st, "saving an idempotency key", e);
}

/* Inside the open transaction: the first outcome of key kh (replayed, or
 * the conflict), else the reply recorded with its key. */
static int record_in(bt_db *db, const bt_reply_spec *spec, const char *actor, bt_time now,
		     const bt_idem *k, bt_reply_result *out, int *replayed, reply_txn *q, bt_err *e)
{
	char th[65], kh[65], bh[65], was[65] = "";
	int64_t token_id = 0, seq = 0, reply = 0;
	sha256_hex(k->token ? k->token : "", k->token ? strlen(k->token) : 0, th);
	sha256_hex(k->key, strlen(k->key), kh);
	sha256_hex(k->body ? k->body : "", k->body ? k->len : 0, bh);
	int rc = idem_token(db, th, &token_id, e);
	if (!rc)
		rc = idem_find(db, token_id, kh, was, &seq, &reply, e);
	if (rc)
		return rc;
	if (seq && strcmp(was, bh))
		return bt_failf(e, BT_R_CONFLICT, "idempotency_key",
				"'%s' was used for another request (event %lld); a new request needs a new key",
				text_shown(k->key), (long long)seq);
	if (seq) {
		*replayed = 1;
		out->event_seq = seq;
		out->reply_id = reply;
		return BT_OK;
	}
	rc = reply_txn_record(db, spec, actor, now, out, q, e);
	return rc ? rc : idem_insert(db, token_id, kh, bh, out->event_seq, now, e);
}

/* bt_reply_record_once's change (a reply_txn_grouped body). */
typedef struct once_args {
	const bt_reply_spec *spec;
	const char *actor;
	const bt_idem *k;
	bt_reply_result *out;
	int *replayed;
} once_args;

static int once_body(bt_db *db, bt_time now, void *ctx, reply_txn *q, bt_err *e)
{
	once_args *a = ctx;
	return record_in(db, a->spec, a->actor, now, a->k, a->out, a->replayed, q, e);
}

int bt_reply_record_once(bt_db *db, const bt_reply_spec *spec, const char *actor, bt_time now,
			 const bt_idem *k, bt_reply_result *out, int *replayed, bt_err *e)
{
	*replayed = 0;
	memset(out, 0, sizeof *out);
	if (!k)
		return bt_reply_record(db, spec, actor, now, out, e);
	int rc = bt_idem_key_check(k->key, e);
	if (rc)
		return rc;
	reply_txn q = REPLY_TXN_INIT;
	/* a replayed key writes nothing; it is answered once the transaction
	 * that may hold its first reply (the same group) has committed */
	once_args a = { .spec = spec, .actor = actor, .k = k, .out = out, .replayed = replayed };
	rc = reply_txn_grouped(db, now, once_body, &a, &q, e);
	if (rc && !*replayed) {
		out->quota = q.quota;
		out->retry_after = q.retry_after;
	}
	reply_txn_release(&q);
	return rc;
}
