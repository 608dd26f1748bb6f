/* token.c - API tokens of staff accounts: creating, revoking, checking and
 * listing them, and the payload of their events (include/ballot/token.h;
 * domain floor). Only the SHA-256 of a token is stored. */
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

#define TOKEN_PREFIX "bt_"
#define TOKEN_BYTES 32

const char *bt_token_scope_name(bt_token_scope s)
{
	return s == BT_SCOPE_READ ? "read" : s == BT_SCOPE_WRITE ? "write" : NULL;
}

bt_token_scope bt_token_scope_parse(const char *s)
{
	return !s ? BT_SCOPE_NONE : strcmp(s, "read") == 0 ? BT_SCOPE_READ
		: strcmp(s, "write") == 0 ? BT_SCOPE_WRITE : BT_SCOPE_NONE;
}

/* A token-create event: what is written and what comes back. */
typedef struct token_new {
	const char *user;
	bt_token_scope scope;
	bt_time expires;
	char hash[65];
	int64_t id;
} token_new;

/* The account exists and is not disabled. */
static int token_user_usable(bt_db *db, db_write *w, bt_err *e)
{
	const token_new *t = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_TOKEN_USER, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, t->user);
	int step = sqlite3_step(st);
	int disabled = step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading an account");
	if (step != SQLITE_ROW)
		return bt_failf(e, BT_R_NOT_FOUND, "user", "no account '%s'", text_shown(t->user));
	if (disabled)
		return bt_failf(e, BT_R_CONFLICT, "user", "account '%s' is disabled", t->user);
	return BT_OK;
}

static int token_insert(bt_db *db, db_write *w, bt_err *e)
{
	token_new *t = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_TOKEN_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, t->user);
	db_bind_text(st, 2, bt_token_scope_name(t->scope));
	db_bind_text(st, 3, t->hash);
	sqlite3_bind_int64(st, 4, w->now);
	if (t->expires)
		sqlite3_bind_int64(st, 5, t->expires);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int64(st, 6, w->ev.seq);
	int rc = db_exec_stmt(db, st, "saving an API token", e);
	if (rc)
		return rc;
	t->id = sqlite3_last_insert_rowid(db->h);
	char circular[BT_ID_MAX + 1];
	return auth_write_payload(db, w, circular, e);
}

int bt_token_create(bt_db *db, const char *user, bt_token_scope scope, bt_time expires,
		    const char *actor, bt_time now, char token[BT_TOKEN_LEN + 1], int64_t *id,
		    bt_err *e)
{
	token[0] = '\0';
	if (!user || !*user || strlen(user) > BT_USER_MAX)
		return bt_failf(e, BT_R_INPUT, "user", "'%s' is not a user name", text_shown(user ? user : ""));
	if (!bt_token_scope_name(scope))
		return bt_failf(e, BT_R_INPUT, "scope", "a token's scope is read or write");
	if (expires && expires <= now) {
		char t[BT_TIME_LEN];
		bt_time_format(expires, t);
		return bt_failf(e, BT_R_INPUT, "expires", "'%s' is not in the future", t);
	}
	unsigned char raw[TOKEN_BYTES];
	int rc = bt_random(raw, sizeof raw, e);
	if (rc)
		return rc;
	char secret[BT_TOKEN_LEN + 1];
	memcpy(secret, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1);
	hex_encode(raw, sizeof raw, secret + sizeof TOKEN_PREFIX - 1);
	gnutls_memset(raw, 0, sizeof raw);
	token_new t = { .user = user, .scope = scope, .expires = expires };
	sha256_hex(secret, BT_TOKEN_LEN, t.hash);
	db_write w = { .kind = EVK_TOKEN_CREATE, .actor = actor, .now = now, .ctx = &t };
	rc = db_write_run(db, &w, token_user_usable, token_insert, e);
	if (!rc) {
		memcpy(token, secret, BT_TOKEN_LEN + 1);
		if (id)
			*id = t.id;
	}
	gnutls_memset(secret, 0, sizeof secret);
	return rc;
}

/* The token exists and is in force. */
static int token_revocable(bt_db *db, db_write *w, bt_err *e)
{
	const int64_t *id = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_TOKEN_GET, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, *id);
	int step = sqlite3_step(st);
	int revoked = step == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading an API token");
	if (step != SQLITE_ROW)
		return bt_failf(e, BT_R_NOT_FOUND, "token_id", "no API token %lld", (long long)*id);
	if (revoked)
		return bt_failf(e, BT_R_CONFLICT, "token_id", "API token %lld is revoked already", (long long)*id);
	return BT_OK;
}

static int token_revoke_row(bt_db *db, db_write *w, bt_err *e)
{
	const int64_t *id = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_TOKEN_REVOKE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, w->now);
	sqlite3_bind_int64(st, 3, w->ev.seq);
	int rc = db_exec_stmt(db, st, "revoking an API token", e);
	char circular[BT_ID_MAX + 1];
	return rc ? rc : auth_write_payload(db, w, circular, e);
}

int bt_token_revoke(bt_db *db, int64_t id, const char *actor, bt_time now, bt_err *e)
{
	if (id < 1)
		return bt_failf(e, BT_R_INPUT, "token_id", "'%lld' is not a token id", (long long)id);
	db_write w = { .kind = EVK_TOKEN_REVOKE, .actor = actor, .now = now, .ctx = &id };
	return db_write_run(db, &w, token_revocable, token_revoke_row, e);
}

int bt_token_check(bt_db *db, const char *token, bt_time now, bt_identity *id,
		   bt_token_scope *scope, bt_err *e)
{
	char hash[65], sc[8] = "", role[16] = "";
	int usable = 0;
	size_t len = token ? strlen(token) : 0;
	/* the same look-up whatever was given: an unknown hash finds no row */
	sha256_hex(token ? token : "", len, hash);
	sqlite3_stmt *st = db_stmt(db, SQL_TOKEN_CHECK, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, hash);
	sqlite3_bind_int64(st, 2, now);
	memset(id, 0, sizeof *id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		db_col_copy(st, 1, sc, sizeof sc);
		db_col_copy(st, 2, id->user, sizeof id->user);
		db_col_copy(st, 3, role, sizeof role);
		id->group = sqlite3_column_int(st, 4);
		usable = sqlite3_column_int(st, 5);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading an API token");
	id->role = bt_role_parse(role);
	if (id->role != BT_ROLE_CHAIR)
		id->group = 0;
	*scope = bt_token_scope_parse(sc);
	if (!usable || len != BT_TOKEN_LEN || id->role == BT_ROLE_NONE || *scope == BT_SCOPE_NONE) {
		memset(id, 0, sizeof *id);
		*scope = BT_SCOPE_NONE;
		return bt_failf(e, BT_R_FORBIDDEN, NULL, "token: not valid");
	}
	return BT_OK;
}

int token_payload(bt_db *db, int64_t seq, int revoke, bt_buf *out, bt_time *when, int *found,
		  bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, revoke ? SQL_TOKEN_BY_REVOCATION : SQL_TOKEN_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		bt_json_kv_int(out, "id", sqlite3_column_int64(st, 0), 1);
		bt_json_kv_str(out, "user", (const char *)sqlite3_column_text(st, 1), 0);
		if (revoke) {
			*when = sqlite3_column_int64(st, 2);
		} else {
			bt_json_kv_str(out, "scope", (const char *)sqlite3_column_text(st, 2), 0);
			/* the digest of the stored hash pins it, never the hash */
			const char *h = (const char *)sqlite3_column_text(st, 3);
			char d[65];
			sha256_hex(h ? h : "", h ? strlen(h) : 0, d);
			bt_json_kv_str(out, "hash_digest", d, 0);
			if (sqlite3_column_type(st, 4) == SQLITE_NULL)
				bt_json_kv_null(out, "expires", 0);
			else
				bt_json_kv_time(out, "expires", sqlite3_column_int64(st, 4), 0);
			*when = sqlite3_column_int64(st, 5);
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading an API token");
}

void bt_token_list_free(bt_token_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_token(sqlite3_stmt *st, void *elem)
{
	bt_token_info *t = elem;
	char sc[8];
	t->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, t->user, sizeof t->user);
	db_col_copy(st, 2, sc, sizeof sc);
	t->scope = bt_token_scope_parse(sc);
	t->created_at = sqlite3_column_int64(st, 3);
	t->expires_at = sqlite3_column_int64(st, 4);
	t->revoked = sqlite3_column_type(st, 5) != SQLITE_NULL;
	t->revoked_at = sqlite3_column_int64(st, 5);
}

int bt_tokens_list(bt_db *db, bt_token_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_TOKENS_LIST, e);
	if (!st)
		return BT_EFAIL;
	int rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_token, "listing API tokens", e);
	if (rc)
		bt_token_list_free(out);
	return rc;
}
