/* code.c - reply codes: issued per Member State and consultation, checked
 * at sign-in, revoked (include/ballot/auth.h; domain floor). Secrets are
 * hashed in base/secret.c. */
#include <stdio.h>
#include <ctype.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

#define CODE_CHARS 25

static const char CROCKFORD[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void fill_member(sqlite3_stmt *st, void *elem)
{
	db_col_copy(st, 0, ((bt_code_issued *)elem)->member, 4);
}

/* ---- reply codes ---- */

void bt_code_list_free(bt_code_list *l)
{
	if (l->v)
		gnutls_memset(l->v, 0, l->n * sizeof *l->v);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* A fresh code: 125 random bits as 25 Crockford digits in groups of 5. */
static int code_make(char out[BT_CODE_LEN + 1], bt_err *e)
{
	unsigned char r[16];
	int rc = bt_random(r, sizeof r, e);
	if (rc)
		return rc;
	char *p = out;
	for (int i = 0; i < CODE_CHARS; i++) {
		int bit = 5 * i, v = 0;
		for (int b = 0; b < 5; b++, bit++)
			v = v << 1 | (r[bit / 8] >> (7 - bit % 8) & 1);
		if (i && i % 5 == 0)
			*p++ = '-';
		*p++ = CROCKFORD[v];
	}
	*p = '\0';
	gnutls_memset(r, 0, sizeof r);
	return BT_OK;
}

/* The 25 digits of a code as typed: case, spaces and dashes ignored, O read
 * as 0 and I, L as 1 (Crockford). 0 when it is not a code. */
static int code_canon(const char *in, char out[CODE_CHARS + 1])
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		char c = (char)toupper((unsigned char)*p);
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(CROCKFORD, c) || n == CODE_CHARS) {
			out[0] = '\0';
			return 0;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return n == CODE_CHARS;
}

/* The canonical digits of a code we made. */
static void code_digits(const char *code, char out[CODE_CHARS + 1])
{
	size_t n = 0;
	for (; *code; code++)
		if (*code != '-')
			out[n++] = *code;
	out[n] = '\0';
}

/* The members to issue codes for: the ones named (resolved, in the
 * electorate, once each) or the whole electorate. */
static int codes_members(bt_db *db, const bt_consultation *c, const char *const *members,
			 size_t n, bt_code_list *out, bt_err *e)
{
	size_t cap = 0;
	int rc = BT_OK;
	if (n == 0) {
		sqlite3_stmt *st = db_stmt(db, SQL_ELECTORATE_CODES, e);
		if (!st)
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, c->id);
		rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_member,
			     "reading the electorate", e);
		if (!rc && out->n == 0)
			rc = bt_failf(e, BT_R_INPUT, "circular", "%s has no electorate", c->circular);
		return rc;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		char code[4];
		if ((rc = bt_member_resolve(db, "member", members[i], code, e)))
			break;
		int in = electorate_has(db, c->id, code, e);
		if (in < 0)
			return BT_EFAIL;
		if (!in) {
			rc = bt_failf(e, BT_R_INPUT, "member", "%s is not in the electorate of circular %s",
				      code, c->circular);
			break;
		}
		for (size_t k = 0; k < out->n; k++)
			if (strcmp(out->v[k].member, code) == 0)
				rc = bt_failf(e, BT_R_INPUT, "member", "%s is named twice", code);
		if (!rc && array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v))
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		if (!rc) {
			memset(&out->v[out->n], 0, sizeof *out->v);
			memcpy(out->v[out->n++].member, code, 4);
		}
	}
	return rc;
}

static int refuse_closed(const bt_consultation *c, bt_err *e)
{
	return bt_failf(e, BT_R_CONFLICT, "circular", "consultation %s is closed; no reply codes are issued for it",
			c->circular);
}

static int by_member(const void *a, const void *b)
{
	return strcmp(((const bt_code_issued *)a)->member, ((const bt_code_issued *)b)->member);
}

/* A codes-issue (its db_write's ctx): the codes made for the members, and
 * their hashes. */
typedef struct codes_issue {
	const char *circular;
	bt_consultation c;
	bt_code_list *out;
	char **hash;
	char circ[BT_ID_MAX + 1];
} codes_issue;

/* The members and their fresh codes, hashed: the slow part, before the
 * write lock is taken. */
static int codes_make(bt_db *db, codes_issue *is, const char *const *members, size_t n, bt_err *e)
{
	bt_code_list *out = is->out;
	int rc = consultation_load(db, is->circular, &is->c, e);
	if (!rc && is->c.closed)
		rc = refuse_closed(&is->c, e);
	if (!rc)
		rc = codes_members(db, &is->c, members, n, out, e);
	if (rc)
		return rc;
	qsort(out->v, out->n, sizeof *out->v, by_member);
	if (!(is->hash = calloc(out->n, sizeof *is->hash)))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	for (size_t i = 0; !rc && i < out->n; i++) {
		char digits[CODE_CHARS + 1];
		if (!(is->hash[i] = malloc(SECRET_HASH_MAX)))
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		if (!rc)
			rc = code_make(out->v[i].code, e);
		code_digits(out->v[i].code, digits);
		if (!rc)
			rc = secret_hash(digits, CODE_CHARS, CODE_ITER, is->hash[i], e);
		gnutls_memset(digits, 0, sizeof digits);
	}
	return rc;
}

/* Closed since we looked? */
static int codes_still_open(bt_db *db, db_write *w, bt_err *e)
{
	codes_issue *is = w->ctx;
	int rc = consultation_load(db, is->circular, &is->c, e);
	return rc ? rc : is->c.closed ? refuse_closed(&is->c, e) : BT_OK;
}

/* Each member's code in force is revoked, and the new one saved. */
static int codes_issue_rows(bt_db *db, db_write *w, bt_err *e)
{
	codes_issue *is = w->ctx;
	for (size_t i = 0; i < is->out->n; i++) {
		sqlite3_stmt *st = db_stmt(db, SQL_CODE_REVOKE, e);
		int rc;
		if (!st)
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, is->c.id);
		db_bind_text(st, 2, is->out->v[i].member);
		sqlite3_bind_int64(st, 3, w->now);
		sqlite3_bind_int64(st, 4, w->ev.seq);
		if ((rc = db_exec_stmt(db, st, "revoking a reply code", e)))
			return rc;
		if (!(st = db_stmt(db, SQL_CODE_INSERT, e)))
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, is->c.id);
		db_bind_text(st, 2, is->out->v[i].member);
		db_bind_text(st, 3, is->hash[i]);
		sqlite3_bind_int64(st, 4, w->now);
		sqlite3_bind_int64(st, 5, w->ev.seq);
		if ((rc = db_exec_stmt(db, st, "saving a reply code", e)))
			return rc;
	}
	return auth_write_payload(db, w, is->circ, e);
}

int bt_codes_issue_for(bt_db *db, const char *circular, const char *const *members, size_t n,
		       const char *actor, bt_time now, bt_code_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	codes_issue is = { .circular = circular, .out = out };
	db_write w = { .kind = EVK_CODES_ISSUE, .actor = actor, .now = now, .ctx = &is };
	int rc = codes_make(db, &is, members, n, e);
	if (!rc)
		rc = db_write_run(db, &w, codes_still_open, codes_issue_rows, e);
	for (size_t i = 0; is.hash && i < out->n; i++)
		free(is.hash[i]);
	free(is.hash);
	if (rc)
		bt_code_list_free(out);
	return rc;
}

int bt_codes_issue(bt_db *db, const char *circular, const char *member, const char *actor,
		   bt_time now, bt_code_list *out, bt_err *e)
{
	return bt_codes_issue_for(db, circular, member ? &member : NULL, member ? 1 : 0, actor,
				  now, out, e);
}

/* What a codes-revoke event revokes: the codes in force of one member (or
 * of all) in a consultation. */
typedef struct codes_revoke {
	const char *circular, *member;
	bt_consultation c;
	char code[4];
	bt_code_list in_force;
	char circ[BT_ID_MAX + 1];
} codes_revoke;

static int codes_in_force(bt_db *db, db_write *w, bt_err *e)
{
	codes_revoke *r = w->ctx;
	int rc;
	if ((rc = consultation_load(db, r->circular, &r->c, e)) ||
	    (r->member && (rc = bt_member_resolve(db, "member", r->member, r->code, e))))
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CODES_IN_FORCE_OF, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, r->c.id);
	db_bind_text(st, 2, r->member ? r->code : NULL);
	rc = db_collect(db, st, &r->in_force.v, &r->in_force.n, sizeof *r->in_force.v, fill_member,
			"reading reply codes", e);
	if (!rc && r->in_force.n == 0)
		rc = r->member ? bt_failf(e, BT_R_NOT_FOUND, "member", "%s has no reply code in force for circular %s",
					  r->code, r->c.circular)
			       : bt_failf(e, BT_R_NOT_FOUND, "circular", "%s has no reply code in force",
					  r->c.circular);
	return rc;
}

static int codes_revoke_rows(bt_db *db, db_write *w, bt_err *e)
{
	codes_revoke *r = w->ctx;
	for (size_t i = 0; i < r->in_force.n; i++) {
		sqlite3_stmt *st = db_stmt(db, SQL_CODE_REVOKE, e);
		if (!st)
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, r->c.id);
		db_bind_text(st, 2, r->in_force.v[i].member);
		sqlite3_bind_int64(st, 3, w->now);
		sqlite3_bind_int64(st, 4, w->ev.seq);
		int rc = db_exec_stmt(db, st, "revoking a reply code", e);
		if (rc)
			return rc;
	}
	return auth_write_payload(db, w, r->circ, e);
}

int bt_codes_revoke(bt_db *db, const char *circular, const char *member, const char *actor,
		    bt_time now, bt_err *e)
{
	codes_revoke r = { .circular = circular, .member = member };
	db_write w = { .kind = EVK_CODES_REVOKE, .actor = actor, .now = now, .ctx = &r };
	int rc = db_write_run(db, &w, codes_in_force, codes_revoke_rows, e);
	free(r.in_force.v);
	return rc;
}


/* A code in force as bt_code_check reads it. */
typedef struct held {
	char hash[SECRET_HASH_MAX];
	char circular[BT_ID_MAX + 1];
	int64_t id;
} held;

static void fill_held(sqlite3_stmt *st, void *elem)
{
	held *h = elem;
	db_col_copy(st, 0, h->hash, sizeof h->hash);
	db_col_copy(st, 1, h->circular, sizeof h->circular);
	h->id = sqlite3_column_int64(st, 2);
}

int bt_code_check(bt_db *db, const char *member, const char *code, bt_identity *id,
		  bt_err *e)
{
	char m[4] = "", digits[CODE_CHARS + 1];
	bt_err ignore;
	held *v = NULL;
	size_t n = 0;
	int rc = BT_OK;
	int well_formed = code_canon(code, digits);
	int known = member && bt_member_resolve(db, "member", member, m, &ignore) == BT_OK;
	if (known) {
		sqlite3_stmt *st = db_stmt(db, SQL_CODES_OF_MEMBER, e);
		if (!st)
			return BT_EFAIL;
		sqlite3_bind_text(st, 1, m, -1, SQLITE_STATIC);
		rc = db_collect(db, st, &v, &n, sizeof *v, fill_held, "reading reply codes", e);
	}
	if (rc) {
		free(v);
		return rc;
	}
	/* One PBKDF2 per code in force, and one against nothing when there is
	 * none: the time does not tell whether the member has a code. Every
	 * code is checked, even after a match. */
	size_t match = n;
	const char *secret = well_formed ? digits : "";
	size_t len = well_formed ? CODE_CHARS : 0;
	if (n == 0)
		secret_verify(NULL, secret, len, CODE_ITER);
	for (size_t i = 0; i < n; i++)
		if (secret_verify(v[i].hash, secret, len, CODE_ITER) && well_formed)
			match = i;
	gnutls_memset(digits, 0, sizeof digits);
	if (match == n) {
		free(v);
		return bt_failf(e, BT_R_FORBIDDEN, NULL,
				"code: not valid for %s", text_shown(member));
	}
	memset(id, 0, sizeof *id);
	id->role = BT_ROLE_MEMBER;
	memcpy(id->member, m, 4);
	snprintf(id->circular, sizeof id->circular, "%s", v[match].circular);
	id->code_id = v[match].id;
	free(v);
	return BT_OK;
}

int bt_code_in_force(bt_db *db, int64_t code_id, int *in_force, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CODE_IN_FORCE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, code_id);
	int rc = sqlite3_step(st);
	*in_force = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, e, "reading a reply code");
	return BT_OK;
}

void bt_code_info_list_free(bt_code_info_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_code_info(sqlite3_stmt *st, void *elem)
{
	bt_code_info *ci = elem;
	db_col_copy(st, 0, ci->member, sizeof ci->member);
	ci->issued_at = sqlite3_column_int64(st, 1);
	ci->revoked = sqlite3_column_type(st, 2) != SQLITE_NULL;
	ci->revoked_at = sqlite3_column_int64(st, 2);
}

int bt_codes_list(bt_db *db, const char *circular, bt_code_info_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	bt_consultation c;
	int rc = consultation_load(db, circular, &c, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CODES_LIST, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c.id);
	rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_code_info,
		     "listing reply codes", e);
	if (rc)
		bt_code_info_list_free(out);
	return rc;
}

