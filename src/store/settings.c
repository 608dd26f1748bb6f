/* settings.c - the settings a database keeps, each change an event
 * (include/ballot/db.h; store floor). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"

int64_t bt_setting_int(bt_db *db, const char *key, int64_t dflt)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SETTING_GET, NULL);
	if (!st)
		return dflt;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int64_t v = dflt;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		char *end;
		long long x = s ? strtoll(s, &end, 10) : 0;
		if (s && *s && !*end)
			v = x;
	}
	sqlite3_reset(st);
	return v;
}

/* The settings a database keeps, with what each may be. */
static const struct setting_def {
	const char *key, *what;
	int64_t min, max;
} settings[] = {
	{ "attachment_max", "a size in bytes", 1, BT_ATTACHMENT_MAX_LIMIT },
	{ "quota_bytes", "a size in bytes", 1, BT_QUOTA_BYTES_LIMIT },
	{ "replies_per_hour", "a number of replies", 1, BT_REPLIES_PER_HOUR_LIMIT },
};

int bt_setting_set(bt_db *db, const char *key, const char *value,
		   const char *actor, bt_time now, bt_err *e)
{
	const struct setting_def *def = NULL;
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (strcmp(key, settings[i].key) == 0)
			def = &settings[i];
	if (!def)
		return bt_failf(e, BT_R_NOT_FOUND, NULL,
				"setting: unknown key '%s' (known: attachment_max, quota_bytes, "
				"replies_per_hour)", bt_text_clean(key, 0) && strlen(key) < 64 ? key : "(unprintable)");
	char *end;
	errno = 0;
	long long v = strtoll(value, &end, 10);
	if (!*value || *end || errno || v < def->min || v > def->max)
		return bt_failf(e, BT_R_INPUT, key, "'%s' is not %s between %lld and %lld",
				bt_text_clean(value, 0) && strlen(value) < 64 ? value : "(unprintable)", def->what,
				(long long)def->min, (long long)def->max);
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_SETTING_PUT, e);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	if (db_exec_stmt(db, st, "saving a setting", e))
		goto fail;
	bt_buf p = BT_BUF_INIT;
	bt_json_kv_str(&p, "key", key, 1);
	bt_json_kv_int(&p, "value", v, 0);
	rc = p.failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory")
		      : event_append(db, EVK_SETTING, NULL, actor, now, bt_buf_str(&p), e);
	bt_buf_release(&p);
	if (rc || db_commit(db, e))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return e && e->code ? e->code : BT_EFAIL;
}
