/* auth.c - the events of reply codes, staff accounts and client
 * certificates: role names, the payload of each auth event rendered from the
 * rows it wrote (so the audit can render it again), the payload writer
 * the three share, and the hash baseline (include/ballot/auth.h; domain floor;
 * the commands are in code.c, user.c and cert.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

const char *bt_role_name(bt_role r)
{
	return r == BT_ROLE_MEMBER ? "member" : r == BT_ROLE_SECRETARIAT ? "secretariat"
		: r == BT_ROLE_CHAIR ? "chair" : NULL;
}

bt_role bt_role_parse(const char *s)
{
	return !s ? BT_ROLE_NONE : strcmp(s, "secretariat") == 0 ? BT_ROLE_SECRETARIAT
		: strcmp(s, "chair") == 0 ? BT_ROLE_CHAIR : BT_ROLE_NONE;
}

/* ---- event payloads ---- */

/* Appends "key":[members of the rows of sql for seq]; the rows' time and
 * circular must all agree (else *when becomes -1, which no event has). */
static int member_array(bt_db *db, const char *sql, int64_t seq, const char *key,
			bt_buf *out, char circular[BT_ID_MAX + 1], bt_time *when,
			size_t *n, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	bt_json_key(out, key, out->len == 0);
	bt_buf_addc(out, '[');
	int step;
	size_t k = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char c[BT_ID_MAX + 1];
		bt_time t = sqlite3_column_int64(st, 1);
		db_col_copy(st, 2, c, sizeof c);
		if (*n == 0 && k == 0) {
			*when = t;
			snprintf(circular, BT_ID_MAX + 1, "%s", c);
		} else if (t != *when || strcmp(c, circular) != 0) {
			*when = -1;
		}
		if (k++)
			bt_buf_addc(out, ',');
		bt_json_str(out, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	bt_buf_addc(out, ']');
	*n += k;
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading reply codes");
}

static int user_payload(bt_db *db, int64_t seq, bt_buf *out, bt_time *when, int *found,
			bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_USER_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 0), 1);
		bt_json_kv_str(out, "role", (const char *)sqlite3_column_text(st, 1), 0);
		if (sqlite3_column_type(st, 2) == SQLITE_NULL)
			bt_json_kv_null(out, "group", 0);
		else
			bt_json_kv_int(out, "group", sqlite3_column_int64(st, 2), 0);
		bt_json_kv_bool(out, "password", sqlite3_column_int(st, 3), 0);
		*when = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading an account");
}

/* A user-disable, user-enable or user-password event: the account named. */
static int account_change_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out,
				  bt_time *when, int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ACCOUNT_CHANGE_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 0), 1);
		*when = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading an account change");
}

static int cert_payload(bt_db *db, int64_t seq, int revoke, bt_buf *out, bt_time *when,
			int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, revoke ? SQL_CERT_BY_REVOCATION : SQL_CERT_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		bt_json_kv_str(out, "fingerprint", (const char *)sqlite3_column_text(st, 0), 1);
		if (revoke) {
			*when = sqlite3_column_int64(st, 1);
		} else {
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				bt_json_kv_str(out, "member", (const char *)sqlite3_column_text(st, 1), 0);
			else
				bt_json_kv_str(out, "user", (const char *)sqlite3_column_text(st, 2), 0);
			char t[BT_TIME_LEN];
			bt_time_format(sqlite3_column_int64(st, 3), t);
			bt_json_kv_str(out, "not_after", t, 0);
			*when = sqlite3_column_int64(st, 4);
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK
		: db_fail(db, e, "reading a client certificate");
}

int auth_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out,
		 char circular[BT_ID_MAX + 1], bt_time *when, int *found, bt_err *e)
{
	int rc;
	size_t n = 0;
	bt_buf_reset(out);
	circular[0] = '\0';
	*found = 0;
	if (strcmp(kind, "codes-issue") == 0) {
		/* the codes issued, then those they replaced (same time) */
		rc = member_array(db, SQL_CODES_BY_EVENT, seq, "members", out, circular, when, &n, e);
		size_t issued = n;
		if (!rc)
			rc = member_array(db, SQL_CODES_BY_REVOCATION, seq, "replaced", out, circular,
					  when, &n, e);
		*found = issued > 0;
	} else if (strcmp(kind, "codes-revoke") == 0) {
		rc = member_array(db, SQL_CODES_BY_REVOCATION, seq, "members", out, circular, when, &n, e);
		*found = n > 0;
	} else if (strcmp(kind, "user-add") == 0) {
		rc = user_payload(db, seq, out, when, found, e);
	} else if (strncmp(kind, "user-", 5) == 0) {
		rc = account_change_payload(db, seq, kind, out, when, found, e);
	} else if (strncmp(kind, "token-", 6) == 0) {
		rc = token_payload(db, seq, strcmp(kind, EVK_TOKEN_REVOKE) == 0, out, when, found, e);
	} else if (strncmp(kind, "signing-cert-", 13) == 0) {
		rc = signing_cert_payload(db, seq, strcmp(kind, EVK_SIGNING_REVOKE) == 0, out, when,
					  found, e);
	} else {
		rc = cert_payload(db, seq, strcmp(kind, "cert-revoke") == 0, out, when, found, e);
	}
	if (!rc && out->failed)
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	return rc;
}

/* Appends to out the digests that pin the hashes event seq of kind stored
 * (codes-issue: "hash_digests", each member's; user-add with a password and
 * user-password: "password_digest"): SHA-256 of the stored hash string,
 * never the hash. The audit compares them with the rows (check_hashes). */
static int auth_digests(bt_db *db, int64_t seq, const char *kind, bt_buf *out, bt_err *e)
{
	int codes = strcmp(kind, "codes-issue") == 0;
	if (!codes && strcmp(kind, "user-add") != 0 && strcmp(kind, "user-password") != 0)
		return BT_OK;
	sqlite3_stmt *st = db_stmt(db, codes ? SQL_CODE_HASHES_BY_EVENT : SQL_USER_HASH_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step, k = 0;
	char d[65];
	if (codes) {
		bt_json_key(out, "hash_digests", out->len == 0);
		bt_buf_addc(out, '{');
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, codes ? 1 : 0);
		if (!h)
			continue;
		sha256_hex(h, strlen(h), d);
		if (codes)
			bt_json_kv_str(out, (const char *)sqlite3_column_text(st, 0), d, k++ == 0);
		else
			bt_json_kv_str(out, "password_digest", d, out->len == 0);
	}
	sqlite3_reset(st);
	if (codes)
		bt_buf_addc(out, '}');
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading stored hashes");
	return out->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

/* Writes the reserved event of kind from the rows just written. */
int auth_write_payload(bt_db *db, db_write *w, char circular[BT_ID_MAX + 1], bt_err *e)
{
	bt_time when = w->now;
	int found = 0;
	int rc = auth_payload(db, w->ev.seq, w->kind, &w->payload, circular, &when, &found, e);
	if (!rc)
		rc = auth_digests(db, w->ev.seq, w->kind, &w->payload, e);
	if (!rc)
		w->circular = circular[0] ? circular : NULL;
	return rc;
}

/* Appends "users":{name:digest...} (pass 0) or "codes":{id:digest...}
 * (pass 1), the digest of each stored hash; *n counts them. */
static int hash_digests(bt_db *db, int pass, bt_buf *p, int *n, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, pass ? SQL_CODE_HASHES_ALL : SQL_USER_HASHES_ALL, e);
	if (!st)
		return BT_EFAIL;
	bt_json_key(p, pass ? "codes" : "users", pass == 0);
	bt_buf_addc(p, '{');
	int step, k = 0;
	char d[65];
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 1);
		char key[32];
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (pass) {
			snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(st, 0));
			name = key;
		}
		sha256_hex(h ? h : "", h ? strlen(h) : 0, d);
		bt_json_kv_str(p, name, d, k++ == 0);
		(*n)++;
	}
	sqlite3_reset(st);
	bt_buf_addc(p, '}');
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading stored hashes");
}

/* The check of the hash baseline: its payload, rendered from the hashes
 * stored; nothing to record when there is none. */
static int hashes_to_pin(bt_db *db, db_write *w, bt_err *e)
{
	int n = 0;
	int rc = hash_digests(db, 0, &w->payload, &n, e);
	if (!rc)
		rc = hash_digests(db, 1, &w->payload, &n, e);
	if (!rc && n == 0)
		w->kind = NULL;
	return rc;
}

int hashes_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e)
{
	/* Only once, and only when there is a hash to pin. */
	db_write w = { .kind = EVK_HASH_BASELINE, .actor = actor, .now = now };
	return db_write_once(db, SQL_HASH_BASELINE_COUNT, &w, 1, hashes_to_pin, NULL, e);
}
