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
	{ "mail_receipts", "0 (off) or 1 (on)", 0, 1 },
};

/* The setting a setting event changes. */
struct setting_change {
	const char *key;
	long long value;
};

static int setting_put(bt_db *db, db_write *w, bt_err *e)
{
	const struct setting_change *sc = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_SETTING_PUT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_text(st, 1, sc->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sc->value);
	int rc = db_exec_stmt(db, st, "saving a setting", e);
	if (!rc) {
		bt_json_kv_str(&w->payload, "key", sc->key, 1);
		bt_json_kv_int(&w->payload, "value", sc->value, 0);
	}
	return rc;
}

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
				"replies_per_hour, mail_receipts)", bt_text_clean(key, 0) && strlen(key) < 64 ? key : "(unprintable)");
	char *end;
	errno = 0;
	long long v = strtoll(value, &end, 10);
	if (!(*value >= '0' && *value <= '9') || *end || errno || v < def->min || v > def->max)
		return bt_failf(e, BT_R_INPUT, key, "'%s' is not %s between %lld and %lld",
				bt_text_clean(value, 0) && strlen(value) < 64 ? value : "(unprintable)", def->what,
				(long long)def->min, (long long)def->max);
	struct setting_change sc = { key, v };
	db_write w = { .kind = EVK_SETTING, .actor = actor, .now = now, .ctx = &sc };
	return db_write_run(db, &w, NULL, setting_put, e);
}
