/* member.c - the Member State list and its history (include/ballot/member.h). */
#include <stdio.h>
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
	return bt_failf(e, BT_R_NOT_FOUND, field, "'%s' is not an ITU Member State code",
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

/* One --recode OLD=NEW: both alpha-3 or both alpha-2 codes. */
typedef struct recode {
	char old[4], new_[4];
	int used;
} recode;

static int parse_recodes(const char *const *v, size_t n, recode *out, bt_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(v[i], '=');
		size_t lo = eq ? (size_t)(eq - v[i]) : 0, ln = eq ? strlen(eq + 1) : 0;
		int ok = eq && lo == ln && (lo == 2 || lo == 3);
		if (ok) {
			memcpy(out[i].old, v[i], lo);
			out[i].old[lo] = '\0';
			memcpy(out[i].new_, eq + 1, ln);
			out[i].new_[ln] = '\0';
			out[i].used = 0;
			ok = all_upper(out[i].old, lo) && all_upper(out[i].new_, ln) &&
			     strcmp(out[i].old, out[i].new_) != 0;
		}
		if (!ok)
			return bt_failf(e, BT_R_INPUT, "recode", "'%s' is not OLD=NEW (two alpha-3 or two alpha-2"
					" codes, in capitals, that differ)",
					bt_text_clean(v[i], 0) && strlen(v[i]) < 40 ? v[i] : "(unprintable)");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out[j].old, out[i].old) || !strcmp(out[j].new_, out[i].new_))
				return bt_failf(e, BT_R_INPUT, "recode", "'%s' recodes %s again", v[i],
						strcmp(out[j].old, out[i].old) ? out[i].new_ : out[i].old);
	}
	return BT_OK;
}

/* 1 when --recode OLD=NEW was given (and marks it used). */
static int recode_named(recode *r, size_t n, const char *old, const char *new_)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].old, old) && !strcmp(r[i].new_, new_))
			return r[i].used = 1;
	return 0;
}

/* A line already read: its codes and line number, to refuse a second line
 * for one member. */
typedef struct seen_line {
	char a3[4], a2[3];
	int line;
} seen_line;

typedef struct member_row {
	int found;
	char code[4], alpha2[3];
	char *name;
	bt_date since;
} member_row;

/* Reads the member whose alpha-3 or alpha-2 code is key. */
static int member_row_get(bt_db *db, sqlite3_stmt *st, member_row *m, bt_err *e)
{
	int step = sqlite3_step(st);
	memset(m, 0, sizeof *m);
	if (step == SQLITE_ROW) {
		m->found = 1;
		db_col_copy(st, 0, m->code, sizeof m->code);
		db_col_copy(st, 1, m->alpha2, sizeof m->alpha2);
		m->name = db_col_strdup(st, 2);
		m->since = sqlite3_column_type(st, 3) == SQLITE_NULL ? BT_DATE_NONE : sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading members");
	if (m->found && !m->name)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	return BT_OK;
}

static int member_by(bt_db *db, const char *sql, const char *key, member_row *m, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sql == SQL_MEMBER_BY_NAME) {
		/* by name: code and alpha2 only */
		int step = sqlite3_step(st);
		memset(m, 0, sizeof *m);
		if (step == SQLITE_ROW) {
			m->found = 1;
			db_col_copy(st, 0, m->code, sizeof m->code);
			db_col_copy(st, 1, m->alpha2, sizeof m->alpha2);
		}
		sqlite3_reset(st);
		return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading members");
	}
	return member_row_get(db, st, m, e);
}

static int change_insert(bt_db *db, const char *change, const char *code, const char *alpha2,
			 const char *name, bt_date since, const member_row *was, bt_time now,
			 const char *source, int64_t seq, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_CHANGE_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, change);
	db_bind_text(st, 2, code);
	db_bind_text(st, 3, alpha2);
	db_bind_text(st, 4, name);
	if (since != BT_DATE_NONE)
		sqlite3_bind_int(st, 5, since);
	if (was) {
		db_bind_text(st, 6, was->code);
		db_bind_text(st, 7, was->alpha2);
		db_bind_text(st, 8, was->name);
	}
	sqlite3_bind_int64(st, 9, now);
	db_bind_text(st, 10, source);
	sqlite3_bind_int64(st, 11, seq);
	return db_exec_stmt(db, st, "recording a member change", e);
}

int members_import_txn(bt_db *db, const char *text, size_t len, const char *source,
		       const char *const *recodes, size_t nrecodes, int64_t seq, bt_time now,
		       bt_member_import_stats *stats, bt_err *e)
{
	memset(stats, 0, sizeof *stats);
	if (!bt_utf8_valid(text, len) || memchr(text, '\0', len))
		return bt_failf(e, BT_R_INPUT, NULL, "%s: not valid UTF-8 text", source);
	if (nrecodes > 64)
		return bt_failf(e, BT_R_INPUT, "recode", "%zu given, at most 64", nrecodes);
	recode rc_[64];
	int rc = parse_recodes(recodes, nrecodes, rc_, e);
	if (rc)
		return rc;
	char *copy = malloc(len + 1);
	if (!copy)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	tsv_reader t;
	tsv_init(&t, copy, len);
	seen_line *seen = NULL;
	size_t nseen = 0, capseen = 0;
	member_row old = { 0 }, other = { 0 };
	char *f[8];
	int n, header = 0;
	while ((n = tsv_next(&t, f, 8)) > 0) {
		free(old.name);
		free(other.name);
		old.name = other.name = NULL;
		if (!header) {
			if (n < 4 || strcmp(f[0], "alpha3") || strcmp(f[1], "alpha2") ||
			    strcmp(f[2], "name") || strcmp(f[3], "member_since")) {
				rc = bt_failf(e, BT_R_INPUT, NULL,
					      "%s line %d: header must be alpha3, alpha2, name, member_since",
					      source, t.line);
				goto out;
			}
			header = 1;
			continue;
		}
		if (n != 4) {
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "%s line %d: %d columns, want 4 (alpha3, alpha2, name, member_since)",
				      source, t.line, n);
			goto out;
		}
		if (!all_upper(f[0], 3)) {
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "%s line %d: alpha3 '%s' is not three capital letters",
				      source, t.line, bt_text_clean(f[0], 0) ? f[0] : "?");
			goto out;
		}
		if (!all_upper(f[1], 2)) {
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "%s line %d: alpha2 '%s' is not two capital letters",
				      source, t.line, bt_text_clean(f[1], 0) ? f[1] : "?");
			goto out;
		}
		if (!*f[2] || strlen(f[2]) > 200 || !bt_text_clean(f[2], 0)) {
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "%s line %d: name of %s is empty, too long or has control characters",
				      source, t.line, f[0]);
			goto out;
		}
		if (bt_text_hidden(f[2], 1)) {
			char field[320];
			snprintf(field, sizeof field, "%s line %d: name of %s", source, t.line, f[0]);
			rc = bt_name_check(field, f[2], 200, e);
			goto out;
		}
		/* one line per member: CHE and CH are one member */
		for (size_t i = 0; i < nseen; i++)
			if (!strcmp(seen[i].a3, f[0]) || !strcmp(seen[i].a2, f[1])) {
				rc = bt_failf(e, BT_R_INPUT, NULL,
					      "%s line %d: %s (%s) is the member of line %d (%s, %s): one line"
					      " per member", source, t.line, f[0], f[1], seen[i].line, seen[i].a3,
					      seen[i].a2);
				goto out;
			}
		if (array_reserve(&seen, &capseen, nseen + 1, sizeof *seen)) {
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
			goto out;
		}
		snprintf(seen[nseen].a3, sizeof seen[nseen].a3, "%s", f[0]);
		snprintf(seen[nseen].a2, sizeof seen[nseen].a2, "%s", f[1]);
		seen[nseen++].line = t.line;
		bt_date since = BT_DATE_NONE;
		if (*f[3]) {
			char field[320];
			snprintf(field, sizeof field, "%s line %d: member_since", source, t.line);
			if ((rc = bt_date_parse(f[3], field, &since, e)))
				goto out;
		}
		/* Who is this line? By alpha-3; else the member whose alpha-2
		 * or name it has (a recode); else a new member. */
		if ((rc = member_by(db, SQL_MEMBER_GET, f[0], &old, e)))
			goto out;
		if (old.found && strcmp(old.code, f[0]) != 0) {
			/* f[0] matched as somebody's alpha-2? impossible (3
			 * letters); keep the alpha-3 match only */
			free(old.name);
			memset(&old, 0, sizeof old);
		}
		if (!old.found) {
			if ((rc = member_by(db, SQL_MEMBER_GET, f[1], &old, e)))
				goto out;
			if (!old.found && (rc = member_by(db, SQL_MEMBER_BY_NAME, f[2], &old, e)))
				goto out;
			if (old.found && !old.name &&
			    (rc = member_by(db, SQL_MEMBER_GET, old.code, &old, e)))
				goto out;
			if (old.found && !recode_named(rc_, nrecodes, old.code, f[0])) {
				rc = bt_failf(e, BT_R_CONFLICT, NULL,
					      "%s line %d: alpha3 %s is new but %s '%s' is member %s's"
					      " (%s, %s); an import never changes a code silently: name the change"
					      " with {recode} %s=%s, or fix the line", source, t.line, f[0],
					      strcmp(old.alpha2, f[1]) ? "the name" : "alpha2",
					      strcmp(old.alpha2, f[1]) ? f[2] : f[1], old.code, old.code,
					      old.alpha2, old.code, f[0]);
				goto out;
			}
		}
		if (old.found && strcmp(old.alpha2, f[1]) != 0 &&
		    !recode_named(rc_, nrecodes, old.alpha2, f[1])) {
			rc = bt_failf(e, BT_R_CONFLICT, NULL,
				      "%s line %d: alpha2 of %s would change from %s to %s; an import"
				      " never changes a code silently: name the change with {recode} %s=%s, or"
				      " fix the line", source, t.line, old.code, old.alpha2, f[1], old.alpha2, f[1]);
			goto out;
		}
		/* the new alpha-2 must be nobody else's */
		if (!old.found || strcmp(old.alpha2, f[1]) != 0) {
			if ((rc = member_by(db, SQL_MEMBER_GET, f[1], &other, e)))
				goto out;
			if (other.found && (!old.found || strcmp(other.code, old.code) != 0)) {
				rc = bt_failf(e, BT_R_CONFLICT, NULL,
					      "%s line %d: alpha2 '%s' is already used by another member (%s)",
					      source, t.line, f[1], other.code);
				goto out;
			}
		}
		if (old.found) {
			/* A state's admission date is a fact: an empty column keeps
			 * it, a different one is refused rather than silently
			 * changing past and future electorates. */
			if (!*f[3]) {
				since = old.since;
			} else if (since != old.since) {
				char was[BT_DATE_LEN];
				if (old.since != BT_DATE_NONE)
					bt_date_format(old.since, was);
				rc = bt_failf(e, BT_R_CONFLICT, NULL,
					      "%s line %d: member_since '%s' of %s differs from the recorded %s; an import does not change admission dates",
					      source, t.line, f[3], f[0],
					      old.since == BT_DATE_NONE ? "(a member long before)" : was);
				goto out;
			}
		}
		int recoded = old.found && (strcmp(old.code, f[0]) || strcmp(old.alpha2, f[1]));
		int renamed = old.found && strcmp(old.name, f[2]) != 0;
		if (recoded && strcmp(old.code, f[0]) != 0) {
			/* a new alpha-3 rewrites no recorded row: one that names the
			 * old code (electorates, replies, codes, certificates) stays */
			sqlite3_stmt *q = db_stmt(db, SQL_MEMBER_REFERENCED, e);
			if (!q) {
				rc = BT_EFAIL;
				goto out;
			}
			sqlite3_bind_text(q, 1, old.code, -1, SQLITE_TRANSIENT);
			int64_t refs = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
			sqlite3_reset(q);
			if (refs < 0) {
				rc = db_fail(db, e, "reading members");
				goto out;
			}
			if (refs > 0) {
				rc = bt_failf(e, BT_R_CONFLICT, NULL,
					      "%s line %d: {recode} %s=%s: %s is named by %lld recorded rows"
					      " (electorates, replies, codes, certificates, former names), which keep"
					      " their code; an alpha-3 code in use cannot change", source, t.line,
					      old.code, f[0], old.code, (long long)refs);
				goto out;
			}
		}
		/* the former name, for the exports of older consultations (an
		 * alpha-3 recode is only of a member no row names yet) */
		if (renamed && strcmp(old.code, f[0]) == 0) {
			sqlite3_stmt *k = db_stmt(db, SQL_MEMBER_NAME_KEEP, e);
			if (!k) {
				rc = BT_EFAIL;
				goto out;
			}
			sqlite3_bind_text(k, 1, f[0], -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(k, 2, old.name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(k, 3, now);
			sqlite3_bind_text(k, 4, source, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(k, 5, seq);
			if ((rc = db_exec_stmt(db, k, "keeping a member's former name", e)))
				goto out;
		}
		if (recoded)
			stats->recoded++;
		else if (renamed)
			stats->renamed++;
		else if (old.found)
			stats->unchanged++;
		else
			stats->added++;
		if (old.found && !recoded && !renamed)
			continue;
		const char *sql = recoded ? SQL_MEMBER_RECODE : old.found ? SQL_MEMBER_UPDATE : SQL_MEMBER_INSERT;
		sqlite3_stmt *st = db_stmt(db, sql, e);
		if (!st) {
			rc = BT_EFAIL;
			goto out;
		}
		int i = 1;
		if (recoded)
			sqlite3_bind_text(st, i++, old.code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, i++, f[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, i++, f[1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, i++, f[2], -1, SQLITE_TRANSIENT);
		if (since != BT_DATE_NONE)
			sqlite3_bind_int(st, i, since);
		if ((rc = db_exec_stmt(db, st, "saving a member", e)))
			goto out;
		if ((rc = change_insert(db, recoded ? "recode" : renamed ? "rename" : "add", f[0], f[1], f[2],
					since, old.found ? &old : NULL, now, source, seq, e)))
			goto out;
	}
	if (!header) {
		rc = bt_failf(e, BT_R_INPUT, NULL,
			      "%s: no header line (alpha3, alpha2, name, member_since)", source);
		goto out;
	}
	if (stats->added + stats->renamed + stats->recoded + stats->unchanged == 0) {
		rc = bt_failf(e, BT_R_INPUT, NULL, "%s: the file lists no Member State", source);
		goto out;
	}
	for (size_t i = 0; i < nrecodes; i++)
		if (!rc_[i].used) {
			rc = bt_failf(e, BT_R_INPUT, "recode", " %s=%s: no line of %s makes that change", rc_[i].old,
				      rc_[i].new_, source);
			goto out;
		}
out:
	free(old.name);
	free(other.name);
	free(seen);
	free(copy);
	return rc;
}

int member_payload(bt_db *db, int64_t seq, bt_buf *out, int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_NAMES_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	int step, k = 0;
	*found = 0;
	sqlite3_bind_int64(st, 1, seq);
	bt_json_key(out, "former", 1);
	bt_buf_addc(out, '[');
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (k++)
			bt_buf_addc(out, ',');
		bt_buf_addc(out, '{');
		bt_json_kv_str(out, "code", (const char *)sqlite3_column_text(st, 0), 1);
		bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 1), 0);
		bt_json_kv_time(out, "replaced_at", sqlite3_column_int64(st, 2), 0);
		bt_json_kv_str(out, "source", (const char *)sqlite3_column_text(st, 3), 0);
		bt_buf_addc(out, '}');
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading former member names");
	*found += k;
	bt_buf_addc(out, ']');
	if (!(st = db_stmt(db, SQL_MEMBER_CHANGES_BY_EVENT, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	bt_json_key(out, "changes", 0);
	bt_buf_addc(out, '[');
	k = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (k++)
			bt_buf_addc(out, ',');
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
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading member changes");
	*found += k;
	bt_buf_addc(out, ']');
	return out->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

int members_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e)
{
	/* Only once: a database whose members were ever recorded keeps them. */
	sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_CHANGES_COUNT, e);
	if (!st)
		return BT_EFAIL;
	int step = sqlite3_step(st);
	int64_t count = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (count < 0)
		return db_fail(db, e, "reading member changes");
	if (count > 0)
		return BT_OK;
	event_slot slot;
	int rc = event_reserve(db, actor, &slot, e);
	if (rc)
		return rc;
	if (!(st = db_stmt(db, SQL_MEMBER_BASELINE, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, "schema migration", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, slot.seq);
	if ((rc = db_exec_stmt(db, st, "recording the member list", e)))
		return rc;
	if (!(st = db_stmt(db, SQL_MEMBER_NAMES_ADOPT, e)))
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, slot.seq);
	if ((rc = db_exec_stmt(db, st, "recording former member names", e)))
		return rc;
	bt_buf p = BT_BUF_INIT;
	int found;
	bt_json_kv_str(&p, "source", "schema migration", 1);
	bt_buf_addc(&p, ',');
	if (!(rc = member_payload(db, slot.seq, &p, &found, e)))
		rc = event_write(db, &slot, EVK_MEMBERS_BASELINE, NULL, now, bt_buf_str(&p), NULL, NULL, e);
	bt_buf_release(&p);
	return rc;
}

int bt_members_import_recode(bt_db *db, const char *text, size_t len, const char *source,
			     const char *const *recodes, size_t nrecodes, const char *actor,
			     bt_time now, bt_member_import_stats *stats, bt_err *e)
{
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	event_slot slot;
	if ((rc = event_reserve(db, actor, &slot, e)))
		goto fail;
	if ((rc = members_import_txn(db, text, len, source, recodes, nrecodes, slot.seq, now, stats, e)))
		goto fail;
	bt_buf p = BT_BUF_INIT;
	int found;
	bt_json_kv_str(&p, "source", source, 1);
	bt_json_kv_int(&p, "added", stats->added, 0);
	bt_json_kv_int(&p, "renamed", stats->renamed, 0);
	bt_json_kv_int(&p, "recoded", stats->recoded, 0);
	bt_json_kv_int(&p, "unchanged", stats->unchanged, 0);
	bt_buf_addc(&p, ',');
	if (!(rc = member_payload(db, slot.seq, &p, &found, e)))
		rc = event_write(db, &slot, EVK_MEMBERS_IMPORT, NULL, now, bt_buf_str(&p), NULL, NULL, e);
	bt_buf_release(&p);
	if (rc || (rc = db_commit(db, e)))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
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
