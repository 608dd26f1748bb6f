/* token.h - API tokens: bearer tokens of staff accounts for TSB's other
 * systems (the portal's /api/v1).
 *
 * A token is printed once when created; only its SHA-256 is stored (it is
 * 256 random bits, so a fast hash is enough). Creating and revoking are
 * events in the hash-chained log (without the token). A token acts as its
 * account: it stops working when revoked, expired, or its account disabled.
 */
#ifndef BALLOT_TOKEN_H
#define BALLOT_TOKEN_H

#include <stdint.h>
#include "ballot/auth.h"

/* "bt_" and 64 hex digits (256 random bits). */
#define BT_TOKEN_LEN 67

typedef enum bt_token_scope {
	BT_SCOPE_NONE = 0,
	BT_SCOPE_READ = 1,  /* GET only */
	BT_SCOPE_WRITE = 2  /* also records replies */
} bt_token_scope;

/* "read", "write"; NULL for NONE. */
const char *bt_token_scope_name(bt_token_scope s);
/* Parses "read" or "write"; NONE otherwise. */
bt_token_scope bt_token_scope_parse(const char *s);

/* Creates a token for account user (existing, not disabled) with scope,
 * expiring at expires (0: never; else later than now). The token is written
 * once into token, its id into *id. BT_EINPUT for an unknown or disabled
 * account, a bad scope or a past expiry. One event (token-create). */
int bt_token_create(bt_db *db, const char *user, bt_token_scope scope, bt_time expires,
		    const char *actor, bt_time now, char token[BT_TOKEN_LEN + 1], int64_t *id,
		    bt_err *e);

/* Revokes token id (one event, token-revoke). BT_EINPUT when there is no
 * such token or it is revoked already. */
int bt_token_revoke(bt_db *db, int64_t id, const char *actor, bt_time now, bt_err *e);

/* Checks a bearer token given at now. On success fills id (the account's
 * role, user and group) and *scope. Any mismatch (malformed, unknown,
 * revoked, expired, account disabled) is the same BT_R_FORBIDDEN "token:
 * not valid", so a caller learns nothing about which part was wrong. */
int bt_token_check(bt_db *db, const char *token, bt_time now, bt_identity *id,
		   bt_token_scope *scope, bt_err *e);

/* A token as recorded (no secret). */
typedef struct bt_token_info {
	int64_t id;
	char user[BT_USER_MAX + 1];
	bt_token_scope scope;
	bt_time created_at;
	bt_time expires_at; /* 0: never */
	int revoked;
	bt_time revoked_at;
} bt_token_info;

typedef struct bt_token_list {
	bt_token_info *v;
	size_t n;
} bt_token_list;

/* Every token created, in force or not, oldest first. bt_token_list_free
 * frees the list (also after a failure). */
int bt_tokens_list(bt_db *db, bt_token_list *out, bt_err *e);
void bt_token_list_free(bt_token_list *l);

#endif
