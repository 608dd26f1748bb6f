/* member_import.c - reading a Member State list into the members table
 * (bt_members_import and the init event's members): each line checked
 * against the list as it stands, then written with the change it makes, one
 * step a function (include/ballot/member.h; domain floor). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

static int all_upper(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return 1;
}

/* One recode OLD=NEW: both alpha-3 or both alpha-2 codes. */
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

/* 1 when the recode OLD=NEW was given (and marks it used). */
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

/* Steps st once into m (zeroed first): found, and the member's codes. */
static int row_step(sqlite3_stmt *st, member_row *m)
{
	int step = sqlite3_step(st);
	memset(m, 0, sizeof *m);
	if (step == SQLITE_ROW) {
		m->found = 1;
		db_col_copy(st, 0, m->code, sizeof m->code);
		db_col_copy(st, 1, m->alpha2, sizeof m->alpha2);
	}
	return step;
}

/* The member of sql (SQL_MEMBER_GET: by alpha-3 or alpha-2 code;
 * SQL_MEMBER_BY_NAME: by name, its codes only) for key, into m. */
static int member_by(bt_db *db, const char *sql, const char *key, member_row *m, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, key);
	int step = row_step(st, m);
	if (m->found && sql != SQL_MEMBER_BY_NAME) {
		m->name = db_col_strdup(st, 2);
		m->since = sqlite3_column_type(st, 3) == SQLITE_NULL ? BT_DATE_NONE : sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading members");
	if (m->found && sql != SQL_MEMBER_BY_NAME && !m->name)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	return BT_OK;
}

/* One import: its input, what it has read so far, and the line at hand
 * (f: alpha3, alpha2, name, member_since; old: the member the line is, when
 * it is one already; other: the member holding its alpha-2). */
typedef struct import {
	bt_db *db;
	const char *source;
	recode rc[64];
	size_t nrecodes;
	seen_line *seen;
	size_t nseen, capseen;
	int64_t seq;
	bt_time now;
	bt_member_import_stats *stats;
	int line;
	char **f;
	bt_date since;
	member_row old, other;
} import;

static int line_header(const import *im, char **f, int n, bt_err *e)
{
	if (n < 4 || strcmp(f[0], "alpha3") || strcmp(f[1], "alpha2") || strcmp(f[2], "name") ||
	    strcmp(f[3], "member_since"))
		return bt_failf(e, BT_R_INPUT, NULL, "%s line %d: header must be alpha3, alpha2, name, member_since",
				im->source, im->line);
	return BT_OK;
}

/* The line's own fields: four, each well formed. */
static int line_fields(const import *im, int n, bt_err *e)
{
	char **f = im->f;
	if (n != 4)
		return bt_failf(e, BT_R_INPUT, NULL,
				"%s line %d: %d columns, want 4 (alpha3, alpha2, name, member_since)",
				im->source, im->line, n);
	if (!all_upper(f[0], 3))
		return bt_failf(e, BT_R_INPUT, NULL, "%s line %d: alpha3 '%s' is not three capital letters",
				im->source, im->line, bt_text_clean(f[0], 0) ? f[0] : "?");
	if (!all_upper(f[1], 2))
		return bt_failf(e, BT_R_INPUT, NULL, "%s line %d: alpha2 '%s' is not two capital letters",
				im->source, im->line, bt_text_clean(f[1], 0) ? f[1] : "?");
	if (!*f[2] || strlen(f[2]) > 200 || !bt_text_clean(f[2], 0))
		return bt_failf(e, BT_R_INPUT, NULL,
				"%s line %d: name of %s is empty, too long or has control characters",
				im->source, im->line, f[0]);
	if (bt_text_hidden(f[2], 1)) {
		char field[320];
		snprintf(field, sizeof field, "%s line %d: name of %s", im->source, im->line, f[0]);
		return bt_name_check(field, f[2], 200, e);
	}
	return BT_OK;
}

/* One line per member (CHE and CH are one member); remembers this line. */
static int line_once(import *im, bt_err *e)
{
	char **f = im->f;
	for (size_t i = 0; i < im->nseen; i++)
		if (!strcmp(im->seen[i].a3, f[0]) || !strcmp(im->seen[i].a2, f[1]))
			return bt_failf(e, BT_R_INPUT, NULL,
					"%s line %d: %s (%s) is the member of line %d (%s, %s): one line"
					" per member", im->source, im->line, f[0], f[1], im->seen[i].line,
					im->seen[i].a3, im->seen[i].a2);
	if (array_reserve(&im->seen, &im->capseen, im->nseen + 1, sizeof *im->seen))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	seen_line *s = &im->seen[im->nseen++];
	snprintf(s->a3, sizeof s->a3, "%s", f[0]);
	snprintf(s->a2, sizeof s->a2, "%s", f[1]);
	s->line = im->line;
	return BT_OK;
}

static int line_date(import *im, bt_err *e)
{
	char field[320];
	im->since = BT_DATE_NONE;
	if (!*im->f[3])
		return BT_OK;
	snprintf(field, sizeof field, "%s line %d: member_since", im->source, im->line);
	return bt_date_parse(im->f[3], field, &im->since, e);
}

/* Who is this line? By alpha-3; else the member whose alpha-2 or name it
 * has (a recode, which must be named); else a new member. */
static int line_member(import *im, bt_err *e)
{
	char **f = im->f;
	member_row *old = &im->old;
	int rc = member_by(im->db, SQL_MEMBER_GET, f[0], old, e);
	if (rc)
		return rc;
	if (old->found && strcmp(old->code, f[0]) != 0) {
		/* f[0] matched as somebody's alpha-2? impossible (3 letters);
		 * keep the alpha-3 match only */
		free(old->name);
		memset(old, 0, sizeof *old);
	}
	if (!old->found) {
		if ((rc = member_by(im->db, SQL_MEMBER_GET, f[1], old, e)) ||
		    (!old->found && (rc = member_by(im->db, SQL_MEMBER_BY_NAME, f[2], old, e))) ||
		    (old->found && !old->name && (rc = member_by(im->db, SQL_MEMBER_GET, old->code, old, e))))
			return rc;
		if (old->found && !recode_named(im->rc, im->nrecodes, old->code, f[0]))
			return bt_failf(e, BT_R_CONFLICT, NULL,
					"%s line %d: alpha3 %s is new but %s '%s' is member %s's"
					" (%s, %s); an import never changes a code silently: name the change"
					" with {recode} %s=%s, or fix the line", im->source, im->line, f[0],
					strcmp(old->alpha2, f[1]) ? "the name" : "alpha2",
					strcmp(old->alpha2, f[1]) ? f[2] : f[1], old->code, old->code,
					old->alpha2, old->code, f[0]);
	}
	if (old->found && strcmp(old->alpha2, f[1]) != 0 &&
	    !recode_named(im->rc, im->nrecodes, old->alpha2, f[1]))
		return bt_failf(e, BT_R_CONFLICT, NULL,
				"%s line %d: alpha2 of %s would change from %s to %s; an import"
				" never changes a code silently: name the change with {recode} %s=%s, or"
				" fix the line", im->source, im->line, old->code, old->alpha2, f[1],
				old->alpha2, f[1]);
	return BT_OK;
}

/* The line's alpha-2, when new to its member, must be nobody else's. */
static int line_alpha2_free(import *im, bt_err *e)
{
	const member_row *old = &im->old, *other = &im->other;
	if (old->found && strcmp(old->alpha2, im->f[1]) == 0)
		return BT_OK;
	int rc = member_by(im->db, SQL_MEMBER_GET, im->f[1], &im->other, e);
	if (!rc && other->found && (!old->found || strcmp(other->code, old->code) != 0))
		rc = bt_failf(e, BT_R_CONFLICT, NULL, "%s line %d: alpha2 '%s' is already used by another member (%s)",
			      im->source, im->line, im->f[1], other->code);
	return rc;
}

/* A state's admission date is a fact: an empty column keeps the recorded
 * one, a different one is refused rather than silently changing past and
 * future electorates. */
static int line_since_kept(import *im, bt_err *e)
{
	const member_row *old = &im->old;
	if (!old->found)
		return BT_OK;
	if (!*im->f[3]) {
		im->since = old->since;
		return BT_OK;
	}
	if (im->since == old->since)
		return BT_OK;
	char was[BT_DATE_LEN];
	if (old->since != BT_DATE_NONE)
		bt_date_format(old->since, was);
	return bt_failf(e, BT_R_CONFLICT, NULL,
			"%s line %d: member_since '%s' of %s differs from the recorded %s; an import does not change admission dates",
			im->source, im->line, im->f[3], im->f[0],
			old->since == BT_DATE_NONE ? "(a member long before)" : was);
}

/* A new alpha-3 rewrites no recorded row: one that names the old code
 * (electorates, replies, codes, certificates, contacts, the outbox and
 * inbox) stays, so only a member no row names can take one. */
static int line_recode_unused(import *im, bt_err *e)
{
	const member_row *old = &im->old;
	sqlite3_stmt *q = db_stmt(im->db, SQL_MEMBER_REFERENCED, e);
	if (!q)
		return BT_EFAIL;
	db_bind_text(q, 1, old->code);
	int64_t refs = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_reset(q);
	if (refs < 0)
		return db_fail(im->db, e, "reading members");
	if (refs > 0)
		return bt_failf(e, BT_R_CONFLICT, NULL,
				"%s line %d: {recode} %s=%s: %s is named by %lld recorded rows"
				" (electorates, replies, codes, certificates, former names, contacts,"
				" mail), which keep"
				" their code; an alpha-3 code in use cannot change", im->source, im->line,
				old->code, im->f[0], old->code, (long long)refs);
	return BT_OK;
}

/* The former name of a renamed member, for the exports of older
 * consultations. */
static int line_keep_name(import *im, bt_err *e)
{
	sqlite3_stmt *k = db_stmt(im->db, SQL_MEMBER_NAME_KEEP, e);
	if (!k)
		return BT_EFAIL;
	db_bind_text(k, 1, im->f[0]);
	db_bind_text(k, 2, im->old.name);
	sqlite3_bind_int64(k, 3, im->now);
	db_bind_text(k, 4, im->source);
	sqlite3_bind_int64(k, 5, im->seq);
	return db_exec_stmt(im->db, k, "keeping a member's former name", e);
}

/* The member_changes row of the line: what changed and what it was. */
static int change_insert(import *im, const char *change, bt_err *e)
{
	const member_row *was = im->old.found ? &im->old : NULL;
	sqlite3_stmt *st = db_stmt(im->db, SQL_MEMBER_CHANGE_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, change);
	db_bind_text(st, 2, im->f[0]);
	db_bind_text(st, 3, im->f[1]);
	db_bind_text(st, 4, im->f[2]);
	if (im->since != BT_DATE_NONE)
		sqlite3_bind_int(st, 5, im->since);
	if (was) {
		db_bind_text(st, 6, was->code);
		db_bind_text(st, 7, was->alpha2);
		db_bind_text(st, 8, was->name);
	}
	sqlite3_bind_int64(st, 9, im->now);
	db_bind_text(st, 10, im->source);
	sqlite3_bind_int64(st, 11, im->seq);
	return db_exec_stmt(im->db, st, "recording a member change", e);
}

/* Writes the line's member (added, renamed or recoded) and its change. */
static int line_save(import *im, int recoded, int renamed, bt_err *e)
{
	const char *sql = recoded ? SQL_MEMBER_RECODE : im->old.found ? SQL_MEMBER_UPDATE : SQL_MEMBER_INSERT;
	sqlite3_stmt *st = db_stmt(im->db, sql, e);
	if (!st)
		return BT_EFAIL;
	int i = 1, rc;
	if (recoded)
		db_bind_text(st, i++, im->old.code);
	db_bind_text(st, i++, im->f[0]);
	db_bind_text(st, i++, im->f[1]);
	db_bind_text(st, i++, im->f[2]);
	if (im->since != BT_DATE_NONE)
		sqlite3_bind_int(st, i, im->since);
	if ((rc = db_exec_stmt(im->db, st, "saving a member", e)))
		return rc;
	return change_insert(im, recoded ? "recode" : renamed ? "rename" : "add", e);
}

/* One line after the header: checked, counted, and written when it changes
 * anything. */
static int import_line(import *im, char **f, int n, bt_err *e)
{
	const member_row *old = &im->old;
	int rc;
	free(im->old.name);
	free(im->other.name);
	memset(&im->old, 0, sizeof im->old);
	memset(&im->other, 0, sizeof im->other);
	im->f = f;
	if ((rc = line_fields(im, n, e)) || (rc = line_once(im, e)) || (rc = line_date(im, e)) ||
	    (rc = line_member(im, e)) || (rc = line_alpha2_free(im, e)) || (rc = line_since_kept(im, e)))
		return rc;
	int recoded = old->found && (strcmp(old->code, f[0]) || strcmp(old->alpha2, f[1]));
	int renamed = old->found && strcmp(old->name, f[2]) != 0;
	if (recoded && strcmp(old->code, f[0]) != 0 && (rc = line_recode_unused(im, e)))
		return rc;
	if (renamed && strcmp(old->code, f[0]) == 0 && (rc = line_keep_name(im, e)))
		return rc;
	bt_member_import_stats *s = im->stats;
	int *count = recoded ? &s->recoded : renamed ? &s->renamed : old->found ? &s->unchanged : &s->added;
	(*count)++;
	return old->found && !recoded && !renamed ? BT_OK : line_save(im, recoded, renamed, e);
}

/* After the last line: there was a header and a member, and every recode
 * given was used. */
static int import_end(const import *im, int header, bt_err *e)
{
	const bt_member_import_stats *s = im->stats;
	if (!header)
		return bt_failf(e, BT_R_INPUT, NULL, "%s: no header line (alpha3, alpha2, name, member_since)",
				im->source);
	if (s->added + s->renamed + s->recoded + s->unchanged == 0)
		return bt_failf(e, BT_R_INPUT, NULL, "%s: the file lists no Member State", im->source);
	for (size_t i = 0; i < im->nrecodes; i++)
		if (!im->rc[i].used)
			return bt_failf(e, BT_R_INPUT, "recode", " %s=%s: no line of %s makes that change",
					im->rc[i].old, im->rc[i].new_, im->source);
	return BT_OK;
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
	import im = { .db = db, .source = source, .nrecodes = nrecodes, .seq = seq, .now = now, .stats = stats };
	int rc = parse_recodes(recodes, nrecodes, im.rc, e);
	if (rc)
		return rc;
	char *copy = malloc(len + 1);
	if (!copy)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	tsv_reader t;
	tsv_init(&t, copy, len);
	char *f[8];
	int n, header = 0;
	while (!rc && (n = tsv_next(&t, f, 8)) > 0) {
		im.line = t.line;
		rc = header ? import_line(&im, f, n, e) : line_header(&im, f, n, e);
		header = 1;
	}
	if (!rc)
		rc = import_end(&im, header, e);
	free(im.old.name);
	free(im.other.name);
	free(im.seen);
	free(copy);
	return rc;
}
