/* user.c - staff accounts: the secretariat and study group chairs, their
 * passwords, disabling and enabling (include/ballot/auth.h; domain floor). */
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

/* ---- staff accounts ---- */

static int valid_user_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > BT_USER_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      strchr("._-", s[i])))
			return 0;
	return 1;
}

/* The refusal of a name valid_user_name does not take. */
static int name_refused(const char *name, bt_err *e)
{
	return bt_failf(e, BT_R_INPUT, "name", "'%s' is not a user name (1-%d of a-z 0-9 . _ -, "
			"starting with a letter)", text_shown(name), BT_USER_MAX);
}

static int password_hash(const char *password, char hash[SECRET_HASH_MAX], bt_err *e);

/* An account a user-add event creates. */
typedef struct user_new {
	const char *name;
	bt_role role;
	int group;
	const char *hash;   /* NULL: certificate sign-in only */
	char circular[BT_ID_MAX + 1];
} user_new;

static int user_absent(bt_db *db, db_write *w, bt_err *e)
{
	const user_new *u = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_USER_GET, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, u->name);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading an account");
	if (step == SQLITE_ROW)
		return bt_failf(e, BT_R_CONFLICT, "name", "an account '%s' exists already", u->name);
	return BT_OK;
}

static int user_insert(bt_db *db, db_write *w, bt_err *e)
{
	user_new *u = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_USER_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, u->name);
	db_bind_text(st, 2, bt_role_name(u->role));
	if (u->role == BT_ROLE_CHAIR)
		sqlite3_bind_int(st, 3, u->group);
	db_bind_text(st, 4, u->hash);
	sqlite3_bind_int64(st, 5, w->now);
	sqlite3_bind_int64(st, 6, w->ev.seq);
	int rc = db_exec_stmt(db, st, "saving an account", e);
	return rc ? rc : auth_write_payload(db, w, u->circular, e);
}

int bt_user_add(bt_db *db, const char *name, bt_role role, int group, const char *password,
		const char *actor, bt_time now, bt_err *e)
{
	if (!valid_user_name(name))
		return name_refused(name, e);
	if (role != BT_ROLE_SECRETARIAT && role != BT_ROLE_CHAIR)
		return bt_failf(e, BT_R_INPUT, "role", "accounts are secretariat or chair");
	if (role == BT_ROLE_CHAIR && (group < 1 || group > 99))
		return bt_failf(e, BT_R_INPUT, "group", "a chair needs the study group (1-99), not %d", group);
	if (role == BT_ROLE_SECRETARIAT && group != 0)
		return bt_failf(e, BT_R_INPUT, "group", "the secretariat has no study group (%d given)", group);
	char hash[SECRET_HASH_MAX] = "";
	if (password) {
		int rc = password_hash(password, hash, e);
		if (rc)
			return rc;
	}
	user_new u = { name, role, group, password ? hash : NULL, "" };
	db_write w = { .kind = EVK_USER_ADD, .actor = actor, .now = now, .ctx = &u };
	return db_write_run(db, &w, user_absent, user_insert, e);
}

int bt_user_check(bt_db *db, const char *name, const char *password, bt_identity *id,
		  bt_err *e)
{
	char hash[SECRET_HASH_MAX] = "", role[16] = "";
	int group = 0, usable = 0;
	int64_t password_seq = 0;
	if (valid_user_name(name)) {
		sqlite3_stmt *st = db_stmt(db, SQL_USER_GET, e);
		if (!st)
			return BT_EFAIL;
		db_bind_text(st, 1, name);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW) {
			db_col_copy(st, 0, role, sizeof role);
			group = sqlite3_column_int(st, 1);
			db_col_copy(st, 2, hash, sizeof hash);
			usable = sqlite3_column_type(st, 2) != SQLITE_NULL &&
				 sqlite3_column_type(st, 3) == SQLITE_NULL;
			password_seq = sqlite3_column_int64(st, 4);
		}
		sqlite3_reset(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			return db_fail(db, e, "reading an account");
	}
	/* the same PBKDF2 whether or not the account exists; a password
	 * longer than any accepted is checked (and fails) at its cap */
	size_t len = password ? strlen(password) : 0;
	int long_pw = len > BT_PASSWORD_MAX;
	int ok = secret_verify(usable ? hash : NULL, password ? password : "",
			       long_pw ? BT_PASSWORD_MAX : len, PASSWORD_ITER);
	if (!(ok && usable && !long_pw))
		return bt_failf(e, BT_R_FORBIDDEN, NULL, "password: wrong user name or password");
	memset(id, 0, sizeof *id);
	id->role = bt_role_parse(role);
	snprintf(id->user, sizeof id->user, "%s", name);
	id->group = id->role == BT_ROLE_CHAIR ? group : 0;
	id->password_seq = password_seq;
	return BT_OK;
}

/* Shared by disable, enable and a new password: records change ("disable",
 * "enable", "password") of account name, with hash the new password's. */
/* What a user-disable, user-enable or user-password event changes. */
typedef struct account_edit {
	const char *name;
	const char *change; /* disable, enable, password */
	const char *hash;   /* the new password's (password) */
	char circular[BT_ID_MAX + 1];
} account_edit;

/* The account exists and the change applies to it. */
static int account_may_change(bt_db *db, db_write *w, bt_err *e)
{
	const account_edit *a = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_USER_GET, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, a->name);
	int step = sqlite3_step(st);
	int has_password = step == SQLITE_ROW && sqlite3_column_type(st, 2) != SQLITE_NULL;
	int disabled = step == SQLITE_ROW && sqlite3_column_type(st, 3) != SQLITE_NULL;
	bt_time disabled_at = step == SQLITE_ROW ? sqlite3_column_int64(st, 3) : 0;
	sqlite3_reset(st);
	char t[BT_TIME_LEN];
	bt_time_format(disabled_at, t);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading an account");
	if (step != SQLITE_ROW)
		return bt_failf(e, BT_R_NOT_FOUND, "name", "no account '%s'", a->name);
	if (!strcmp(a->change, "disable") && disabled)
		return bt_failf(e, BT_R_CONFLICT, "name", "account '%s' is disabled already (since %s)", a->name, t);
	if (!strcmp(a->change, "enable") && !disabled)
		return bt_failf(e, BT_R_CONFLICT, "name", "account '%s' is not disabled", a->name);
	if (!strcmp(a->change, "password") && !has_password)
		return bt_failf(e, BT_R_CONFLICT, "name", "account '%s' signs in with a client certificate only; "
				"it has no password to change", a->name);
	return BT_OK;
}

static int account_update(bt_db *db, db_write *w, bt_err *e)
{
	account_edit *a = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_ACCOUNT_CHANGE_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, a->name);
	db_bind_text(st, 2, a->change);
	sqlite3_bind_int64(st, 3, w->now);
	sqlite3_bind_int64(st, 4, w->ev.seq);
	int rc = db_exec_stmt(db, st, "recording an account change", e);
	/* the row just written is what lets the trigger take this change */
	int pw = !strcmp(a->change, "password");
	if (!rc && !(st = db_stmt(db, pw ? SQL_USER_SET_PASSWORD : SQL_USER_SET_DISABLED, e)))
		rc = BT_EFAIL;
	if (rc)
		return rc;
	db_bind_text(st, 1, a->name);
	if (pw)
		db_bind_text(st, 2, a->hash);
	else if (!strcmp(a->change, "disable"))
		sqlite3_bind_int64(st, 2, w->now);
	else
		sqlite3_bind_null(st, 2);
	rc = db_exec_stmt(db, st, "changing an account", e);
	return rc ? rc : auth_write_payload(db, w, a->circular, e);
}

static int account_change(bt_db *db, const char *name, const char *change, const char *hash,
			  const char *actor, bt_time now, bt_err *e)
{
	if (!valid_user_name(name))
		return name_refused(name, e);
	char kind[32];
	snprintf(kind, sizeof kind, "user-%s", change);
	account_edit a = { name, change, hash, "" };
	db_write w = { .kind = kind, .actor = actor, .now = now, .ctx = &a };
	return db_write_run(db, &w, account_may_change, account_update, e);
}

int bt_user_disable(bt_db *db, const char *name, const char *actor, bt_time now, bt_err *e)
{
	return account_change(db, name, "disable", NULL, actor, now, e);
}

int bt_user_enable(bt_db *db, const char *name, const char *actor, bt_time now, bt_err *e)
{
	return account_change(db, name, "enable", NULL, actor, now, e);
}

/* The password rules of bt_user_add; hash receives its PBKDF2 hash. */
static int password_hash(const char *password, char hash[SECRET_HASH_MAX], bt_err *e)
{
	size_t len = strlen(password);
	if (len < BT_PASSWORD_MIN || len > BT_PASSWORD_MAX)
		return bt_failf(e, BT_R_INPUT, NULL,
				"password: %zu bytes; it must have %d to %d", len,
				BT_PASSWORD_MIN, BT_PASSWORD_MAX);
	if (!bt_text_clean(password, 0))
		return bt_failf(e, BT_R_INPUT, NULL,
				"password: not UTF-8 or has control characters");
	return secret_hash(password, len, PASSWORD_ITER, hash, e);
}

int bt_user_password(bt_db *db, const char *name, const char *password, const char *actor,
		     bt_time now, bt_err *e)
{
	char hash[SECRET_HASH_MAX] = "";
	if (!valid_user_name(name))
		return name_refused(name, e);
	/* the slow hash before the write lock is taken */
	int rc = password_hash(password ? password : "", hash, e);
	if (!rc)
		rc = account_change(db, name, "password", hash, actor, now, e);
	gnutls_memset(hash, 0, sizeof hash);
	return rc;
}

int bt_user_in_force(bt_db *db, const bt_identity *id, int *in_force, bt_err *e)
{
	*in_force = 1;
	if (id->role != BT_ROLE_SECRETARIAT && id->role != BT_ROLE_CHAIR)
		return BT_OK;
	sqlite3_stmt *st = db_stmt(db, SQL_USER_IN_FORCE, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, id->user);
	int rc = sqlite3_step(st);
	*in_force = rc == SQLITE_ROW && sqlite3_column_int(st, 0) &&
		    (id->password_seq == 0 || sqlite3_column_int64(st, 1) == id->password_seq);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, e, "reading an account");
	return BT_OK;
}

void bt_account_event_list_free(bt_account_event_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_account_event(sqlite3_stmt *st, void *elem)
{
	bt_account_event *ev = elem;
	ev->seq = sqlite3_column_int64(st, 0);
	ev->at = sqlite3_column_int64(st, 1);
	db_col_copy(st, 2, ev->actor, sizeof ev->actor);
	db_col_copy(st, 3, ev->kind, sizeof ev->kind);
	db_col_copy(st, 4, ev->name, sizeof ev->name);
}

int bt_account_events(bt_db *db, const char *name, bt_account_event_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	if (name) {
		sqlite3_stmt *st = db_stmt(db, SQL_USER_GET, e);
		if (!st)
			return BT_EFAIL;
		db_bind_text(st, 1, name);
		int step = sqlite3_step(st);
		sqlite3_reset(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			return db_fail(db, e, "reading an account");
		if (step != SQLITE_ROW)
			return bt_failf(e, BT_R_NOT_FOUND, "name", "no account '%s'", text_shown(name));
	}
	sqlite3_stmt *st = db_stmt(db, SQL_ACCOUNT_EVENTS, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, name);
	int rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_account_event,
			 "reading the events of accounts", e);
	if (rc)
		bt_account_event_list_free(out);
	return rc;
}

void bt_user_list_free(bt_user_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_user(sqlite3_stmt *st, void *elem)
{
	bt_user_info *u = elem;
	char role[16];
	db_col_copy(st, 0, u->name, sizeof u->name);
	db_col_copy(st, 1, role, sizeof role);
	u->role = bt_role_parse(role);
	u->group = sqlite3_column_int(st, 2);
	u->has_password = sqlite3_column_int(st, 3);
	u->created_at = sqlite3_column_int64(st, 4);
	u->disabled = sqlite3_column_type(st, 5) != SQLITE_NULL;
	u->disabled_at = sqlite3_column_int64(st, 5);
}

int bt_users_list(bt_db *db, bt_user_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_USERS_LIST, e);
	if (!st)
		return BT_EFAIL;
	int rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_user, "listing accounts", e);
	if (rc)
		bt_user_list_free(out);
	return rc;
}
