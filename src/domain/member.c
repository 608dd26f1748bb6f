/* member.c - the Member State list and its history (include/ballot/member.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

void bt_member_list_free(bt_member_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int members_collect(bt_db *db, sqlite3_stmt *st, bt_member_list *out, bt_err *e)
{
	size_t cap = 0;
	int rc;
	out->v = NULL;
	out->n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v))
			goto oom;
		bt_member *m = &out->v[out->n];
		db_col_copy(st, 0, m->code, sizeof m->code);
		db_col_copy(st, 1, m->alpha2, sizeof m->alpha2);
		if (!(m->name = db_col_strdup(st, 2)))
			goto oom;
		m->since = sqlite3_column_type(st, 3) == SQLITE_NULL ? BT_DATE_NONE
								   : sqlite3_column_int(st, 3);
		out->n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		bt_member_list_free(out);
		return db_fail(db, e, "reading members");
	}
	return BT_OK;
oom:
	sqlite3_reset(st);
	bt_member_list_free(out);
	return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
}

int bt_members_list(bt_db *db, bt_date as_of, bt_member_list *out, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBERS_AS_OF, e);
	if (!st)
		return BT_EFAIL;
	if (as_of != BT_DATE_NONE)
		sqlite3_bind_int(st, 1, as_of);
	return members_collect(db, st, out, e);
}

int bt_member_resolve(bt_db *db, const char *field, const char *code, char out[4],
		      bt_err *e)
{
	bt_date since;
	return member_lookup(db, field, code, out, &since, e);
}

int member_lookup(bt_db *db, const char *field, const char *code, char out[4],
		  bt_date *since, bt_err *e)
{
	char up[4];
	size_t n = code ? strlen(code) : 0;
	if (n < 2 || n > 3 || !bt_text_clean(code, 0))
		goto unknown;
	for (size_t i = 0; i <= n; i++)
		up[i] = (char)toupper((unsigned char)code[i]);
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_GET, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, up);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_col_copy(st, 0, out, 4);
		*since = sqlite3_column_type(st, 3) == SQLITE_NULL ? BT_DATE_NONE : sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return BT_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, e, "looking up a member");
unknown:
	return bt_failf(e, BT_R_NOT_FOUND, field, "'%s' is not an ITU Member State code",
			code && bt_text_clean(code, 0) ? code : "(unprintable)");
}

/* Appends "former":[...], the former names event seq kept; *k counts them. */
static int former_json(bt_db *db, int64_t seq, bt_buf *out, int *k, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_NAMES_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	int step;
	sqlite3_bind_int64(st, 1, seq);
	bt_json_key(out, "former", 1);
	bt_buf_addc(out, '[');
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((*k)++)
			bt_buf_addc(out, ',');
		bt_buf_addc(out, '{');
		bt_json_kv_str(out, "code", (const char *)sqlite3_column_text(st, 0), 1);
		bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 1), 0);
		bt_json_kv_time(out, "replaced_at", sqlite3_column_int64(st, 2), 0);
		bt_json_kv_str(out, "source", (const char *)sqlite3_column_text(st, 3), 0);
		bt_buf_addc(out, '}');
	}
	sqlite3_reset(st);
	bt_buf_addc(out, ']');
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading former member names");
}

/* One member_changes row (SQL_MEMBER_CHANGES_BY_EVENT) as a JSON object. */
static void change_json(sqlite3_stmt *st, bt_buf *out)
{
	bt_buf_addc(out, '{');
	bt_json_kv_str(out, "change", (const char *)sqlite3_column_text(st, 0), 1);
	bt_json_kv_str(out, "code", (const char *)sqlite3_column_text(st, 1), 0);
	bt_json_kv_str(out, "alpha2", (const char *)sqlite3_column_text(st, 2), 0);
	bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 3), 0);
	bt_json_key(out, "member_since", 0);
	if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
		bt_buf_adds(out, "null");
	} else {
		char ds[BT_DATE_LEN];
		bt_date_format(sqlite3_column_int(st, 4), ds);
		bt_json_str(out, ds);
	}
	if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
		bt_json_kv_str(out, "was_code", (const char *)sqlite3_column_text(st, 5), 0);
		bt_json_kv_str(out, "was_alpha2", (const char *)sqlite3_column_text(st, 6), 0);
		bt_json_kv_str(out, "was_name", (const char *)sqlite3_column_text(st, 7), 0);
	}
	bt_json_kv_time(out, "at", sqlite3_column_int64(st, 8), 0);
	bt_json_kv_str(out, "source", (const char *)sqlite3_column_text(st, 9), 0);
	bt_buf_addc(out, '}');
}

/* Appends ,"changes":[...], the member changes event seq made; *k counts
 * them. */
static int changes_json(bt_db *db, int64_t seq, bt_buf *out, int *k, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_CHANGES_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	int step;
	sqlite3_bind_int64(st, 1, seq);
	bt_json_key(out, "changes", 0);
	bt_buf_addc(out, '[');
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((*k)++)
			bt_buf_addc(out, ',');
		change_json(st, out);
	}
	sqlite3_reset(st);
	bt_buf_addc(out, ']');
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading member changes");
}

int member_payload(bt_db *db, int64_t seq, bt_buf *out, int *found, bt_err *e)
{
	int former = 0, changes = 0;
	int rc = former_json(db, seq, out, &former, e);
	if (!rc)
		rc = changes_json(db, seq, out, &changes, e);
	*found = former + changes;
	if (!rc && out->failed)
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	return rc;
}

/* The members-baseline's rows: the list as it stands and its former names,
 * recorded by the event, which they render. */
static int baseline_rows(bt_db *db, db_write *w, bt_err *e)
{
	int rc, found;
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_BASELINE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, w->now);
	sqlite3_bind_text(st, 2, "schema migration", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, w->ev.seq);
	if ((rc = db_exec_stmt(db, st, "recording the member list", e)))
		return rc;
	if (!(st = db_stmt(db, SQL_MEMBER_NAMES_ADOPT, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, w->ev.seq);
	if ((rc = db_exec_stmt(db, st, "recording former member names", e)))
		return rc;
	bt_json_kv_str(&w->payload, "source", "schema migration", 1);
	bt_buf_addc(&w->payload, ',');
	return member_payload(db, w->ev.seq, &w->payload, &found, e);
}

int members_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e)
{
	/* Only once: a database whose members were ever recorded keeps them. */
	db_write w = { .kind = EVK_MEMBERS_BASELINE, .actor = actor, .now = now };
	return db_write_once(db, SQL_MEMBER_CHANGES_COUNT, &w, 1, NULL, baseline_rows, e);
}

/* What a members-import event reads (its ctx). */
typedef struct members_file {
	const char *text;
	size_t len;
	const char *source;
	const char *const *recodes;
	size_t nrecodes;
	bt_member_import_stats *stats;
} members_file;

static int import_rows(bt_db *db, db_write *w, bt_err *e)
{
	members_file *m = w->ctx;
	bt_buf *p = &w->payload;
	int found, rc = members_import_txn(db, m->text, m->len, m->source, m->recodes, m->nrecodes,
					   w->ev.seq, w->now, m->stats, e);
	if (rc)
		return rc;
	bt_json_kv_str(p, "source", m->source, 1);
	bt_json_kv_int(p, "added", m->stats->added, 0);
	bt_json_kv_int(p, "renamed", m->stats->renamed, 0);
	bt_json_kv_int(p, "recoded", m->stats->recoded, 0);
	bt_json_kv_int(p, "unchanged", m->stats->unchanged, 0);
	bt_buf_addc(p, ',');
	return member_payload(db, w->ev.seq, p, &found, e);
}

int bt_members_import_recode(bt_db *db, const char *text, size_t len, const char *source,
			     const char *const *recodes, size_t nrecodes, const char *actor,
			     bt_time now, bt_member_import_stats *stats, bt_err *e)
{
	members_file m = { text, len, source, recodes, nrecodes, stats };
	db_write w = { .kind = EVK_MEMBERS_IMPORT, .actor = actor, .now = now, .ctx = &m };
	return db_write_run(db, &w, NULL, import_rows, e);
}

int bt_members_import(bt_db *db, const char *text, size_t len, const char *source,
		      const char *actor, bt_time now, bt_member_import_stats *stats,
		      bt_err *e)
{
	return bt_members_import_recode(db, text, len, source, NULL, 0, actor, now, stats, e);
}

int bt_members_named_at(bt_db *db, bt_time at, bt_member_list *out, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBERS_NAMED_AT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, at);
	return members_collect(db, st, out, e);
}
