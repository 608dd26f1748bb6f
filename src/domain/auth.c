/* auth.c - reply codes, staff accounts and client certificates
 * (include/ballot/auth.h). Secrets are hashed in secret.c; every change is
 * an event whose payload is rendered from the rows (auth_payload), so the
 * audit can render it again. */
#include <stdio.h>
#include <ctype.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

/* Reply codes carry 125 random bits: no stretching is needed against
 * guessing; the rounds only slow down an attacker holding a copy of the
 * database, and 194 of them must be issued in about two seconds. */
#define CODE_ITER 100000u
/* Passwords are chosen by people: OWASP's figure for PBKDF2-HMAC-SHA256. */
#define PASSWORD_ITER 600000u
#ifdef BALLOT_FUZZING
/* make fuzz only (build-fuzz/, never installed): the same code paths with a
 * thousandth of the work, so the portal's request harness reaches sign-in
 * at fuzzing speed */
#undef CODE_ITER
#undef PASSWORD_ITER
#define CODE_ITER 100u
#define PASSWORD_ITER 600u
#endif
#define CODE_CHARS 25

static const char CROCKFORD[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const char *bt_role_name(bt_role r)
{
	return r == BT_ROLE_MEMBER ? "member" : r == BT_ROLE_SECRETARIAT ? "secretariat"
		: r == BT_ROLE_CHAIR ? "chair" : NULL;
}

bt_role bt_role_parse(const char *s)
{
	return !s ? BT_ROLE_NONE : strcmp(s, "secretariat") == 0 ? BT_ROLE_SECRETARIAT
		: strcmp(s, "chair") == 0 ? BT_ROLE_CHAIR : BT_ROLE_NONE;
}

/* Fills one element from the current row of a statement. */
typedef void row_fill(sqlite3_stmt *st, void *elem);

/* Steps st to its end, appending one zeroed element of elem bytes per row
 * to the array *v (of *n elements), filled by fill. */
static int collect(bt_db *db, sqlite3_stmt *st, void *v, size_t *n, size_t elem,
		   row_fill *fill, const char *what, bt_err *e)
{
	size_t cap = *n;
	int rc = BT_OK, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(v, &cap, *n + 1, elem)) {
			rc = bt_fail(e, BT_EFAIL, "out of memory");
			break;
		}
		char *at = *(char **)v + *n * elem;
		memset(at, 0, elem);
		fill(st, at);
		(*n)++;
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, what);
	return rc;
}

static void fill_member(sqlite3_stmt *st, void *elem)
{
	db_col_copy(st, 0, ((bt_code_issued *)elem)->member, 4);
}

/* ---- event payloads ---- */

/* Appends "key":[members of the rows of sql for seq]; the rows' time and
 * circular must all agree (else *when becomes -1, which no event has). */
static int member_array(bt_db *db, const char *sql, int64_t seq, const char *key,
			bt_buf *out, char circular[BT_ID_MAX + 1], bt_time *when,
			size_t *n, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, sql, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	bt_json_key(out, key, out->len == 0);
	bt_buf_addc(out, '[');
	int step;
	size_t k = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char c[BT_ID_MAX + 1];
		bt_time t = sqlite3_column_int64(st, 1);
		db_col_copy(st, 2, c, sizeof c);
		if (*n == 0 && k == 0) {
			*when = t;
			snprintf(circular, BT_ID_MAX + 1, "%s", c);
		} else if (t != *when || strcmp(c, circular) != 0) {
			*when = -1;
		}
		if (k++)
			bt_buf_addc(out, ',');
		bt_json_str(out, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	bt_buf_addc(out, ']');
	*n += k;
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading reply codes");
}

static int user_payload(bt_db *db, int64_t seq, bt_buf *out, bt_time *when, int *found,
			bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_USER_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 0), 1);
		bt_json_kv_str(out, "role", (const char *)sqlite3_column_text(st, 1), 0);
		if (sqlite3_column_type(st, 2) == SQLITE_NULL)
			bt_json_kv_null(out, "group", 0);
		else
			bt_json_kv_int(out, "group", sqlite3_column_int64(st, 2), 0);
		bt_json_kv_bool(out, "password", sqlite3_column_int(st, 3), 0);
		*when = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading an account");
}

/* A user-disable, user-enable or user-password event: the account named. */
static int account_change_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out,
				  bt_time *when, int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_ACCOUNT_CHANGE_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		bt_json_kv_str(out, "name", (const char *)sqlite3_column_text(st, 0), 1);
		*when = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading an account change");
}

static int cert_payload(bt_db *db, int64_t seq, int revoke, bt_buf *out, bt_time *when,
			int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, revoke ? SQL_CERT_BY_REVOCATION : SQL_CERT_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		bt_json_kv_str(out, "fingerprint", (const char *)sqlite3_column_text(st, 0), 1);
		if (revoke) {
			*when = sqlite3_column_int64(st, 1);
		} else {
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				bt_json_kv_str(out, "member", (const char *)sqlite3_column_text(st, 1), 0);
			else
				bt_json_kv_str(out, "user", (const char *)sqlite3_column_text(st, 2), 0);
			char t[BT_TIME_LEN];
			bt_time_format(sqlite3_column_int64(st, 3), t);
			bt_json_kv_str(out, "not_after", t, 0);
			*when = sqlite3_column_int64(st, 4);
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK
		: db_fail(db, e, "reading a client certificate");
}

int auth_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out,
		 char circular[BT_ID_MAX + 1], bt_time *when, int *found, bt_err *e)
{
	int rc;
	size_t n = 0;
	bt_buf_reset(out);
	circular[0] = '\0';
	*found = 0;
	if (strcmp(kind, "codes-issue") == 0) {
		/* the codes issued, then those they replaced (same time) */
		rc = member_array(db, SQL_CODES_BY_EVENT, seq, "members", out, circular, when, &n, e);
		size_t issued = n;
		if (!rc)
			rc = member_array(db, SQL_CODES_BY_REVOCATION, seq, "replaced", out, circular,
					  when, &n, e);
		*found = issued > 0;
	} else if (strcmp(kind, "codes-revoke") == 0) {
		rc = member_array(db, SQL_CODES_BY_REVOCATION, seq, "members", out, circular, when, &n, e);
		*found = n > 0;
	} else if (strcmp(kind, "user-add") == 0) {
		rc = user_payload(db, seq, out, when, found, e);
	} else if (strncmp(kind, "user-", 5) == 0) {
		rc = account_change_payload(db, seq, kind, out, when, found, e);
	} else {
		rc = cert_payload(db, seq, strcmp(kind, "cert-revoke") == 0, out, when, found, e);
	}
	if (!rc && out->failed)
		rc = bt_fail(e, BT_EFAIL, "out of memory");
	return rc;
}

/* Appends to out the digests that pin the hashes event seq of kind stored
 * (codes-issue: "hash_digests", each member's; user-add with a password and
 * user-password: "password_digest"): SHA-256 of the stored hash string,
 * never the hash. The audit compares them with the rows (check_hashes). */
static int auth_digests(bt_db *db, int64_t seq, const char *kind, bt_buf *out, bt_err *e)
{
	int codes = strcmp(kind, "codes-issue") == 0;
	if (!codes && strcmp(kind, "user-add") != 0 && strcmp(kind, "user-password") != 0)
		return BT_OK;
	sqlite3_stmt *st = db_stmt(db, codes ? SQL_CODE_HASHES_BY_EVENT : SQL_USER_HASH_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step, k = 0;
	char d[65];
	if (codes) {
		bt_json_key(out, "hash_digests", out->len == 0);
		bt_buf_addc(out, '{');
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, codes ? 1 : 0);
		if (!h)
			continue;
		sha256_hex(h, strlen(h), d);
		if (codes)
			bt_json_kv_str(out, (const char *)sqlite3_column_text(st, 0), d, k++ == 0);
		else
			bt_json_kv_str(out, "password_digest", d, out->len == 0);
	}
	sqlite3_reset(st);
	if (codes)
		bt_buf_addc(out, '}');
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading stored hashes");
	return out->failed ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}

/* Writes the reserved event of kind from the rows just written. */
static int auth_event(bt_db *db, const event_slot *ev, const char *kind, bt_time now,
		      bt_err *e)
{
	bt_buf p = BT_BUF_INIT;
	char circular[BT_ID_MAX + 1];
	bt_time when = now;
	int found = 0;
	int rc = auth_payload(db, ev->seq, kind, &p, circular, &when, &found, e);
	if (!rc)
		rc = auth_digests(db, ev->seq, kind, &p, e);
	if (!rc)
		rc = event_write(db, ev, kind, circular[0] ? circular : NULL, now, bt_buf_str(&p),
				 NULL, NULL, e);
	bt_buf_release(&p);
	return rc;
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
		rc = collect(db, st, &out->v, &out->n, sizeof *out->v, fill_member,
			     "reading the electorate", e);
		if (!rc && out->n == 0)
			rc = bt_fail(e, BT_EINPUT, "--circular: %s has no electorate", c->circular);
		return rc;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		char code[4];
		if ((rc = bt_member_resolve(db, "--member", members[i], code, e)))
			break;
		int in = electorate_has(db, c->id, code, e);
		if (in < 0)
			return BT_EFAIL;
		if (!in) {
			rc = bt_fail(e, BT_EINPUT, "--member: %s is not in the electorate of circular %s",
				     code, c->circular);
			break;
		}
		for (size_t k = 0; k < out->n; k++)
			if (strcmp(out->v[k].member, code) == 0)
				rc = bt_fail(e, BT_EINPUT, "--member: %s is named twice", code);
		if (!rc && array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v))
			rc = bt_fail(e, BT_EFAIL, "out of memory");
		if (!rc) {
			memset(&out->v[out->n], 0, sizeof *out->v);
			memcpy(out->v[out->n++].member, code, 4);
		}
	}
	return rc;
}

static int refuse_closed(const bt_consultation *c, bt_err *e)
{
	return bt_fail(e, BT_EINPUT, "--circular: consultation %s is closed; no reply codes are issued for it",
		       c->circular);
}

static int by_member(const void *a, const void *b)
{
	return strcmp(((const bt_code_issued *)a)->member, ((const bt_code_issued *)b)->member);
}

int bt_codes_issue_for(bt_db *db, const char *circular, const char *const *members, size_t n,
		       const char *actor, bt_time now, bt_code_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	bt_consultation c;
	char **hash = NULL;
	int rc = consultation_load(db, circular, &c, e);
	if (!rc && c.closed)
		rc = refuse_closed(&c, e);
	if (!rc)
		rc = codes_members(db, &c, members, n, out, e);
	if (!rc) {
		qsort(out->v, out->n, sizeof *out->v, by_member);
		hash = calloc(out->n, sizeof *hash);
		if (!hash)
			rc = bt_fail(e, BT_EFAIL, "out of memory");
	}
	/* the slow part, before the write lock is taken */
	for (size_t i = 0; !rc && i < out->n; i++) {
		char digits[CODE_CHARS + 1];
		if (!(hash[i] = malloc(SECRET_HASH_MAX)))
			rc = bt_fail(e, BT_EFAIL, "out of memory");
		if (!rc)
			rc = code_make(out->v[i].code, e);
		code_digits(out->v[i].code, digits);
		if (!rc)
			rc = secret_hash(digits, CODE_CHARS, CODE_ITER, hash[i], e);
		gnutls_memset(digits, 0, sizeof digits);
	}
	if (!rc)
		rc = db_begin(db, e);
	if (rc)
		goto out;
	/* closed since we looked? */
	if ((rc = consultation_load(db, circular, &c, e)) || (c.closed && (rc = refuse_closed(&c, e))))
		goto fail;
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	for (size_t i = 0; i < out->n; i++) {
		sqlite3_stmt *st = db_stmt(db, SQL_CODE_REVOKE, e);
		if (!st) {
			rc = BT_EFAIL;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, c.id);
		db_bind_text(st, 2, out->v[i].member);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_int64(st, 4, ev.seq);
		if ((rc = db_exec_stmt(db, st, "revoking a reply code", e)))
			goto fail;
		if (!(st = db_stmt(db, SQL_CODE_INSERT, e))) {
			rc = BT_EFAIL;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, c.id);
		db_bind_text(st, 2, out->v[i].member);
		db_bind_text(st, 3, hash[i]);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_int64(st, 5, ev.seq);
		if ((rc = db_exec_stmt(db, st, "saving a reply code", e)))
			goto fail;
	}
	if ((rc = auth_event(db, &ev, EVK_CODES_ISSUE, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	goto out;
fail:
	db_rollback(db);
out:
	for (size_t i = 0; hash && i < out->n; i++)
		free(hash[i]);
	free(hash);
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

int bt_codes_revoke(bt_db *db, const char *circular, const char *member, const char *actor,
		    bt_time now, bt_err *e)
{
	char code[4] = "";
	bt_consultation c;
	bt_code_list in_force = { NULL, 0 };
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	if ((rc = consultation_load(db, circular, &c, e)) ||
	    (member && (rc = bt_member_resolve(db, "--member", member, code, e))))
		goto fail;
	sqlite3_stmt *st = db_stmt(db, SQL_CODES_IN_FORCE_OF, e);
	if (!st) {
		rc = BT_EFAIL;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, c.id);
	db_bind_text(st, 2, member ? code : NULL);
	rc = collect(db, st, &in_force.v, &in_force.n, sizeof *in_force.v, fill_member,
		     "reading reply codes", e);
	if (!rc && in_force.n == 0)
		rc = member ? bt_fail(e, BT_EINPUT, "--member: %s has no reply code in force for circular %s",
				      code, c.circular)
			    : bt_fail(e, BT_EINPUT, "--circular: %s has no reply code in force", c.circular);
	if (rc)
		goto fail;
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	for (size_t i = 0; i < in_force.n; i++) {
		if (!(st = db_stmt(db, SQL_CODE_REVOKE, e))) {
			rc = BT_EFAIL;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, c.id);
		db_bind_text(st, 2, in_force.v[i].member);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_int64(st, 4, ev.seq);
		if ((rc = db_exec_stmt(db, st, "revoking a reply code", e)))
			goto fail;
	}
	if ((rc = auth_event(db, &ev, EVK_CODES_REVOKE, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	free(in_force.v);
	return BT_OK;
fail:
	db_rollback(db);
	free(in_force.v);
	return rc;
}

/* What a message may show of a value the caller gave. */
static const char *shown(const char *s)
{
	return s && strlen(s) <= 64 && bt_text_clean(s, 0) ? s : "(unprintable)";
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
		rc = collect(db, st, &v, &n, sizeof *v, fill_held, "reading reply codes", e);
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
		return bt_fail(e, BT_EINPUT, "code: not valid for %s", shown(member));
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
	rc = collect(db, st, &out->v, &out->n, sizeof *out->v, fill_code_info,
		     "listing reply codes", e);
	if (rc)
		bt_code_info_list_free(out);
	return rc;
}

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
	return bt_fail(e, BT_EINPUT, "--name: '%s' is not a user name (1-%d of a-z 0-9 . _ -, "
		       "starting with a letter)", shown(name), BT_USER_MAX);
}

static int password_hash(const char *password, char hash[SECRET_HASH_MAX], bt_err *e);

int bt_user_add(bt_db *db, const char *name, bt_role role, int group, const char *password,
		const char *actor, bt_time now, bt_err *e)
{
	if (!valid_user_name(name))
		return name_refused(name, e);
	if (role != BT_ROLE_SECRETARIAT && role != BT_ROLE_CHAIR)
		return bt_fail(e, BT_EINPUT, "--role: accounts are secretariat or chair");
	if (role == BT_ROLE_CHAIR && (group < 1 || group > 99))
		return bt_fail(e, BT_EINPUT, "--group: a chair needs the study group (1-99), not %d", group);
	if (role == BT_ROLE_SECRETARIAT && group != 0)
		return bt_fail(e, BT_EINPUT, "--group: the secretariat has no study group (%d given)", group);
	char hash[SECRET_HASH_MAX] = "";
	if (password) {
		int rc = password_hash(password, hash, e);
		if (rc)
			return rc;
	}
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_USER_GET, e);
	if (!st) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, name);
	int exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (exists) {
		rc = bt_fail(e, BT_EINPUT, "--name: an account '%s' exists already", name);
		goto fail;
	}
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	if (!(st = db_stmt(db, SQL_USER_INSERT, e))) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, bt_role_name(role));
	if (role == BT_ROLE_CHAIR)
		sqlite3_bind_int(st, 3, group);
	db_bind_text(st, 4, password ? hash : NULL);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, ev.seq);
	if ((rc = db_exec_stmt(db, st, "saving an account", e)) ||
	    (rc = auth_event(db, &ev, EVK_USER_ADD, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
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
		return bt_fail(e, BT_EINPUT, "password: wrong user name or password");
	memset(id, 0, sizeof *id);
	id->role = bt_role_parse(role);
	snprintf(id->user, sizeof id->user, "%s", name);
	id->group = id->role == BT_ROLE_CHAIR ? group : 0;
	id->password_seq = password_seq;
	return BT_OK;
}

/* Shared by disable, enable and a new password: records change ("disable",
 * "enable", "password") of account name, with hash the new password's. */
static int account_change(bt_db *db, const char *name, const char *change, const char *hash,
			  const char *actor, bt_time now, bt_err *e)
{
	if (!valid_user_name(name))
		return name_refused(name, e);
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_USER_GET, e);
	if (!st) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, name);
	int step = sqlite3_step(st);
	int has_password = step == SQLITE_ROW && sqlite3_column_type(st, 2) != SQLITE_NULL;
	int disabled = step == SQLITE_ROW && sqlite3_column_type(st, 3) != SQLITE_NULL;
	bt_time disabled_at = step == SQLITE_ROW ? sqlite3_column_int64(st, 3) : 0;
	sqlite3_reset(st);
	char t[BT_TIME_LEN];
	bt_time_format(disabled_at, t);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading an account");
	else if (step != SQLITE_ROW)
		rc = bt_fail(e, BT_EINPUT, "--name: no account '%s'", name);
	else if (!strcmp(change, "disable") && disabled)
		rc = bt_fail(e, BT_EINPUT, "--name: account '%s' is disabled already (since %s)", name, t);
	else if (!strcmp(change, "enable") && !disabled)
		rc = bt_fail(e, BT_EINPUT, "--name: account '%s' is not disabled", name);
	else if (!strcmp(change, "password") && !has_password)
		rc = bt_fail(e, BT_EINPUT, "--name: account '%s' signs in with a client certificate only; "
			     "it has no password to change", name);
	if (rc)
		goto fail;
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	if (!(st = db_stmt(db, SQL_ACCOUNT_CHANGE_INSERT, e))) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, change);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, ev.seq);
	if ((rc = db_exec_stmt(db, st, "recording an account change", e)))
		goto fail;
	/* the row just written is what lets the trigger take this change */
	int pw = !strcmp(change, "password");
	if (!(st = db_stmt(db, pw ? SQL_USER_SET_PASSWORD : SQL_USER_SET_DISABLED, e))) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, name);
	if (pw)
		db_bind_text(st, 2, hash);
	else if (!strcmp(change, "disable"))
		sqlite3_bind_int64(st, 2, now);
	else
		sqlite3_bind_null(st, 2);
	char kind[32];
	snprintf(kind, sizeof kind, "user-%s", change);
	if ((rc = db_exec_stmt(db, st, "changing an account", e)) ||
	    (rc = auth_event(db, &ev, kind, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
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
		return bt_fail(e, BT_EINPUT, "password: %zu bytes; it must have %d to %d", len,
			       BT_PASSWORD_MIN, BT_PASSWORD_MAX);
	if (!bt_text_clean(password, 0))
		return bt_fail(e, BT_EINPUT, "password: not UTF-8 or has control characters");
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
			return bt_fail(e, BT_EINPUT, "--name: no account '%s'", shown(name));
	}
	sqlite3_stmt *st = db_stmt(db, SQL_ACCOUNT_EVENTS, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, name);
	int rc = collect(db, st, &out->v, &out->n, sizeof *out->v, fill_account_event,
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
	int rc = collect(db, st, &out->v, &out->n, sizeof *out->v, fill_user, "listing accounts", e);
	if (rc)
		bt_user_list_free(out);
	return rc;
}

/* ---- client certificates ---- */

/* 64 hex digits, any case, to lowercase; 0 when fp is anything else. */
static int fp_canon(const char *fp, char out[65])
{
	if (!fp || strlen(fp) != 64)
		return 0;
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)fp[i]))
			return 0;
		out[i] = (char)tolower((unsigned char)fp[i]);
	}
	out[64] = '\0';
	return 1;
}

int bt_cert_register(bt_db *db, const char *fp, const char *member, const char *user,
		     bt_time not_after, const char *actor, bt_time now, bt_err *e)
{
	char f[65], code[4] = "";
	if (!fp_canon(fp, f))
		return bt_fail(e, BT_EINPUT, "--fingerprint: '%s' is not 64 hex digits (SHA-256)",
			       shown(fp));
	if (!member == !user)
		return bt_fail(e, BT_EINPUT, "certificate: give a member or a user, not %s",
			       member ? "both" : "neither");
	if (not_after <= now) {
		char t[BT_TIME_LEN];
		bt_time_format(not_after, t);
		return bt_fail(e, BT_EINPUT, "certificate: it expired on %s", t);
	}
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	if (member && (rc = bt_member_resolve(db, "--member", member, code, e)))
		goto fail;
	sqlite3_stmt *st;
	if (user) {
		if (!(st = db_stmt(db, SQL_USER_GET, e))) {
			rc = BT_EFAIL;
			goto fail;
		}
		db_bind_text(st, 1, user);
		int exists = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (!exists) {
			rc = bt_fail(e, BT_EINPUT, "--user: no account '%s'", shown(user));
			goto fail;
		}
	}
	if (!(st = db_stmt(db, SQL_CERT_GET, e))) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, f);
	int known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (known) {
		rc = bt_fail(e, BT_EINPUT, "certificate: %s is registered already", f);
		goto fail;
	}
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	if (!(st = db_stmt(db, SQL_CERT_INSERT, e))) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, f);
	db_bind_text(st, 2, member ? code : NULL);
	db_bind_text(st, 3, user);
	sqlite3_bind_int64(st, 4, not_after);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, ev.seq);
	if ((rc = db_exec_stmt(db, st, "registering a certificate", e)) ||
	    (rc = auth_event(db, &ev, EVK_CERT_REGISTER, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
}

int bt_cert_revoke(bt_db *db, const char *fp, const char *actor, bt_time now, bt_err *e)
{
	char f[65];
	if (!fp_canon(fp, f))
		return bt_fail(e, BT_EINPUT, "--fingerprint: '%s' is not 64 hex digits (SHA-256)",
			       shown(fp));
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_CERT_GET, e);
	if (!st) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, f);
	int step = sqlite3_step(st);
	int in_force = step == SQLITE_ROW && sqlite3_column_type(st, 3) == SQLITE_NULL;
	sqlite3_reset(st);
	if (!in_force) {
		rc = bt_fail(e, BT_EINPUT, "--fingerprint: %s is %s", f,
			     step == SQLITE_ROW ? "revoked already" : "not registered");
		goto fail;
	}
	event_slot ev;
	if ((rc = event_reserve(db, actor, &ev, e)))
		goto fail;
	if (!(st = db_stmt(db, SQL_CERT_REVOKE, e))) {
		rc = BT_EFAIL;
		goto fail;
	}
	db_bind_text(st, 1, f);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, ev.seq);
	if ((rc = db_exec_stmt(db, st, "revoking a certificate", e)) ||
	    (rc = auth_event(db, &ev, EVK_CERT_REVOKE, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return rc;
}

int bt_cert_for_clients(const unsigned char *der, size_t len)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	int ok = 0;
	if (len > 0x7fffffff || gnutls_x509_crt_init(&crt) < 0)
		return 0;
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
	    gnutls_x509_crt_get_ca_status(crt, NULL) <= 0) {
		for (unsigned i = 0; !ok; i++) {
			char oid[128];
			size_t n = sizeof oid;
			if (gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &n, NULL) < 0)
				break;
			ok = !strcmp(oid, GNUTLS_KP_TLS_WWW_CLIENT);
		}
	}
	gnutls_x509_crt_deinit(crt);
	return ok;
}

int bt_cert_identity(bt_db *db, const char *fp, bt_time now, bt_identity *id, bt_err *e)
{
	char f[65];
	int ok = 0;
	bt_identity got;
	memset(&got, 0, sizeof got);
	if (fp_canon(fp, f)) {
		sqlite3_stmt *st = db_stmt(db, SQL_CERT_GET, e);
		if (!st)
			return BT_EFAIL;
		db_bind_text(st, 1, f);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW && sqlite3_column_type(st, 3) == SQLITE_NULL &&
		    sqlite3_column_int64(st, 2) > now) {
			if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
				got.role = BT_ROLE_MEMBER;
				db_col_copy(st, 0, got.member, sizeof got.member);
				ok = 1;
			} else if (sqlite3_column_type(st, 6) == SQLITE_NULL) {
				char role[16];
				db_col_copy(st, 4, role, sizeof role);
				got.role = bt_role_parse(role);
				db_col_copy(st, 1, got.user, sizeof got.user);
				got.group = got.role == BT_ROLE_CHAIR ? sqlite3_column_int(st, 5) : 0;
				ok = got.role != BT_ROLE_NONE;
			}
		}
		sqlite3_reset(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			return db_fail(db, e, "reading client certificates");
	}
	if (!ok)
		return bt_fail(e, BT_EINPUT, "client certificate: not registered or revoked");
	*id = got;
	return BT_OK;
}

void bt_cert_list_free(bt_cert_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_cert(sqlite3_stmt *st, void *elem)
{
	bt_cert_info *c = elem;
	db_col_copy(st, 0, c->fp, sizeof c->fp);
	db_col_copy(st, 1, c->member, sizeof c->member);
	db_col_copy(st, 2, c->user, sizeof c->user);
	c->not_after = sqlite3_column_int64(st, 3);
	c->registered_at = sqlite3_column_int64(st, 4);
	c->revoked = sqlite3_column_type(st, 5) != SQLITE_NULL;
	c->revoked_at = sqlite3_column_int64(st, 5);
}

int bt_certs_list(bt_db *db, bt_cert_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_CERTS_LIST, e);
	if (!st)
		return BT_EFAIL;
	int rc = collect(db, st, &out->v, &out->n, sizeof *out->v, fill_cert,
			 "listing client certificates", e);
	if (rc)
		bt_cert_list_free(out);
	return rc;
}

int hashes_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e)
{
	/* Only once, and only when there is a hash to pin. */
	sqlite3_stmt *st = db_stmt(db, SQL_HASH_BASELINE_COUNT, e);
	if (!st)
		return BT_EFAIL;
	int step = sqlite3_step(st);
	int64_t count = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (count < 0)
		return db_fail(db, e, "reading the event log");
	if (count > 0)
		return BT_OK;
	bt_buf p = BT_BUF_INIT;
	int rc = BT_OK, n = 0;
	char d[65];
	for (int pass = 0; pass < 2 && !rc; pass++) {
		if (!(st = db_stmt(db, pass ? SQL_CODE_HASHES_ALL : SQL_USER_HASHES_ALL, e))) {
			rc = BT_EFAIL;
			break;
		}
		bt_json_key(&p, pass ? "codes" : "users", pass == 0);
		bt_buf_addc(&p, '{');
		int k = 0;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *h = (const char *)sqlite3_column_text(st, 1);
			char key[32];
			const char *name = (const char *)sqlite3_column_text(st, 0);
			if (pass) {
				snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(st, 0));
				name = key;
			}
			sha256_hex(h ? h : "", h ? strlen(h) : 0, d);
			bt_json_kv_str(&p, name, d, k++ == 0);
			n++;
		}
		sqlite3_reset(st);
		bt_buf_addc(&p, '}');
		if (step != SQLITE_DONE)
			rc = db_fail(db, e, "reading stored hashes");
	}
	if (!rc && p.failed)
		rc = bt_fail(e, BT_EFAIL, "out of memory");
	event_slot slot;
	if (!rc && n > 0 && !(rc = event_reserve(db, actor, &slot, e)))
		rc = event_write(db, &slot, EVK_HASH_BASELINE, NULL, now, bt_buf_str(&p), NULL, NULL, e);
	bt_buf_release(&p);
	return rc;
}
