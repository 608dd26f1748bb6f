/* member.c - the Member State list and its history (include/ballot/member.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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
	return bt_fail(e, BT_EFAIL, "out of memory");
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
	sqlite3_bind_text(st, 1, up, -1, SQLITE_TRANSIENT);
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
	return bt_fail(e, BT_EINPUT, "%s: '%s' is not an ITU Member State code", field,
		       code && bt_text_clean(code, 0) ? code : "(unprintable)");
}

static int all_upper(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return 1;
}

int members_import_txn(bt_db *db, const char *text, size_t len, const char *source,
		       bt_time now, bt_member_import_stats *stats, bt_err *e)
{
	memset(stats, 0, sizeof *stats);
	if (!bt_utf8_valid(text, len) || memchr(text, '\0', len))
		return bt_fail(e, BT_EINPUT, "%s: not valid UTF-8 text", source);
	char *copy = malloc(len + 1);
	if (!copy)
		return bt_fail(e, BT_EFAIL, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	tsv_reader t;
	tsv_init(&t, copy, len);
	char *f[8];
	int n, rc = BT_OK, header = 0;
	while ((n = tsv_next(&t, f, 8)) > 0) {
		if (!header) {
			if (n < 4 || strcmp(f[0], "alpha3") || strcmp(f[1], "alpha2") ||
			    strcmp(f[2], "name") || strcmp(f[3], "member_since")) {
				rc = bt_fail(e, BT_EINPUT,
					     "%s line %d: header must be alpha3, alpha2, name, member_since",
					     source, t.line);
				goto out;
			}
			header = 1;
			continue;
		}
		if (n != 4) {
			rc = bt_fail(e, BT_EINPUT, "%s line %d: %d columns, want 4 (alpha3, alpha2, name, member_since)",
				     source, t.line, n);
			goto out;
		}
		if (!all_upper(f[0], 3)) {
			rc = bt_fail(e, BT_EINPUT, "%s line %d: alpha3 '%s' is not three capital letters",
				     source, t.line, bt_text_clean(f[0], 0) ? f[0] : "?");
			goto out;
		}
		if (!all_upper(f[1], 2)) {
			rc = bt_fail(e, BT_EINPUT, "%s line %d: alpha2 '%s' is not two capital letters",
				     source, t.line, bt_text_clean(f[1], 0) ? f[1] : "?");
			goto out;
		}
		if (!*f[2] || strlen(f[2]) > 200 || !bt_text_clean(f[2], 0)) {
			rc = bt_fail(e, BT_EINPUT, "%s line %d: name of %s is empty, too long or has control characters",
				     source, t.line, f[0]);
			goto out;
		}
		bt_date since = BT_DATE_NONE;
		if (*f[3]) {
			char field[320];
			snprintf(field, sizeof field, "%s line %d: member_since", source, t.line);
			if ((rc = bt_date_parse(f[3], field, &since, e)))
				goto out;
		}
		/* Existing member? */
		sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_GET, e);
		if (!st) {
			rc = BT_EFAIL;
			goto out;
		}
		sqlite3_bind_text(st, 1, f[0], -1, SQLITE_TRANSIENT);
		int step = sqlite3_step(st);
		char *oldname = step == SQLITE_ROW ? db_col_strdup(st, 2) : NULL;
		bt_date oldsince = step == SQLITE_ROW && sqlite3_column_type(st, 3) != SQLITE_NULL
			? sqlite3_column_int(st, 3) : BT_DATE_NONE;
		sqlite3_reset(st);
		if (oldname) {
			/* A state's admission date is a fact: an empty column keeps
			 * it, a different one is refused rather than silently
			 * changing past and future electorates. */
			if (!*f[3]) {
				since = oldsince;
			} else if (since != oldsince) {
				char was[BT_DATE_LEN];
				if (oldsince != BT_DATE_NONE)
					bt_date_format(oldsince, was);
				free(oldname);
				rc = bt_fail(e, BT_EINPUT,
					     "%s line %d: member_since '%s' of %s differs from the recorded %s; an import does not change admission dates",
					     source, t.line, f[3], f[0],
					     oldsince == BT_DATE_NONE ? "(a member long before)" : was);
				goto out;
			}
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			rc = db_fail(db, e, "reading members");
			goto out;
		}
		if (oldname && strcmp(oldname, f[2]) != 0) {
			sqlite3_stmt *k = db_stmt(db, SQL_MEMBER_NAME_KEEP, e);
			if (!k) {
				free(oldname);
				rc = BT_EFAIL;
				goto out;
			}
			sqlite3_bind_text(k, 1, f[0], -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(k, 2, oldname, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(k, 3, now);
			sqlite3_bind_text(k, 4, source, -1, SQLITE_TRANSIENT);
			if ((rc = db_exec_stmt(db, k, "keeping a member's former name", e))) {
				free(oldname);
				goto out;
			}
			stats->renamed++;
		} else if (oldname) {
			stats->unchanged++;
		} else {
			stats->added++;
		}
		st = db_stmt(db, oldname ? SQL_MEMBER_UPDATE : SQL_MEMBER_INSERT, e);
		free(oldname);
		if (!st) {
			rc = BT_EFAIL;
			goto out;
		}
		sqlite3_bind_text(st, 1, f[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, f[1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, f[2], -1, SQLITE_TRANSIENT);
		if (since != BT_DATE_NONE)
			sqlite3_bind_int(st, 4, since);
		if (sqlite3_step(st) != SQLITE_DONE) {
			int ext = sqlite3_extended_errcode(db->h);
			sqlite3_reset(st);
			if (ext == SQLITE_CONSTRAINT_UNIQUE)
				rc = bt_fail(e, BT_EINPUT, "%s line %d: alpha2 '%s' is already used by another member",
					     source, t.line, f[1]);
			else
				rc = db_fail(db, e, "saving a member");
			goto out;
		}
		sqlite3_reset(st);
	}
	if (!rc && !header)
		rc = bt_fail(e, BT_EINPUT, "%s: no header line (alpha3, alpha2, name, member_since)", source);
	if (!rc && stats->added + stats->renamed + stats->unchanged == 0)
		rc = bt_fail(e, BT_EINPUT, "%s: the file lists no Member State", source);
out:
	free(copy);
	return rc;
}

int bt_members_import(bt_db *db, const char *text, size_t len, const char *source,
		      const char *actor, bt_time now, bt_member_import_stats *stats,
		      bt_err *e)
{
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	if ((rc = members_import_txn(db, text, len, source, now, stats, e)))
		goto fail;
	bt_buf p = BT_BUF_INIT;
	bt_json_kv_str(&p, "source", source, 1);
	bt_json_kv_int(&p, "added", stats->added, 0);
	bt_json_kv_int(&p, "renamed", stats->renamed, 0);
	bt_json_kv_int(&p, "unchanged", stats->unchanged, 0);
	rc = p.failed ? bt_fail(e, BT_EFAIL, "out of memory")
		      : event_append(db, "members-import", NULL, actor, now, bt_buf_str(&p), e);
	bt_buf_release(&p);
	if (rc || (rc = db_commit(db, e)))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
}
