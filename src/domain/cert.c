/* cert.c - client certificates registered for a Member State or an
 * account (include/ballot/auth.h; domain floor). */
#include <ctype.h>
#include <stdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

/* ---- client certificates ---- */

int cert_fp_canon(const char *fp, char out[65])
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

/* A cert-register (its db_write's ctx). */
typedef struct cert_new {
	char fp[65], code[4];
	const char *member, *user;
	bt_time not_after;
	char circular[BT_ID_MAX + 1];
} cert_new;

/* The certificate's own fields: a fingerprint, a member or a user, and a
 * time to come. */
static int cert_fields(cert_new *c, const char *fp, bt_time now, bt_err *e)
{
	if (!cert_fp_canon(fp, c->fp))
		return bt_failf(e, BT_R_INPUT, "fingerprint", "'%s' is not 64 hex digits (SHA-256)",
				text_shown(fp));
	if (!c->member == !c->user)
		return bt_failf(e, BT_R_INPUT, NULL, "certificate: give a member or a user, not %s",
				c->member ? "both" : "neither");
	if (c->not_after <= now) {
		char t[BT_TIME_LEN];
		bt_time_format(c->not_after, t);
		return bt_failf(e, BT_R_INPUT, NULL, "certificate: it expired on %s", t);
	}
	return BT_OK;
}

/* The member or account exists, and the certificate is new. */
static int cert_unknown(bt_db *db, db_write *w, bt_err *e)
{
	cert_new *c = w->ctx;
	int rc;
	sqlite3_stmt *st;
	if (c->member && (rc = bt_member_resolve(db, "member", c->member, c->code, e)))
		return rc;
	if (c->user) {
		if (!(st = db_stmt(db, SQL_USER_GET, e)))
			return BT_EFAIL;
		db_bind_text(st, 1, c->user);
		int exists = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (!exists)
			return bt_failf(e, BT_R_NOT_FOUND, "user", "no account '%s'", text_shown(c->user));
	}
	if (!(st = db_stmt(db, SQL_CERT_GET, e)))
		return BT_EFAIL;
	db_bind_text(st, 1, c->fp);
	char whom[80] = "";
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(whom, sizeof whom, "member %s", (const char *)sqlite3_column_text(st, 0));
	else if (step == SQLITE_ROW)
		snprintf(whom, sizeof whom, "account '%.64s'", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading a certificate");
	if (step == SQLITE_ROW)
		return bt_failf(e, BT_R_CONFLICT, NULL, "certificate: %s is registered already, for %s",
				c->fp, whom);
	return BT_OK;
}

static int cert_insert(bt_db *db, db_write *w, bt_err *e)
{
	cert_new *c = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_CERT_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, c->fp);
	db_bind_text(st, 2, c->member ? c->code : NULL);
	db_bind_text(st, 3, c->user);
	sqlite3_bind_int64(st, 4, c->not_after);
	sqlite3_bind_int64(st, 5, w->now);
	sqlite3_bind_int64(st, 6, w->ev.seq);
	int rc = db_exec_stmt(db, st, "registering a certificate", e);
	return rc ? rc : auth_write_payload(db, w, c->circular, e);
}

int bt_cert_register(bt_db *db, const char *fp, const char *member, const char *user,
		     bt_time not_after, const char *actor, bt_time now, bt_err *e)
{
	cert_new c = { .member = member, .user = user, .not_after = not_after };
	int rc = cert_fields(&c, fp, now, e);
	if (rc)
		return rc;
	db_write w = { .kind = EVK_CERT_REGISTER, .actor = actor, .now = now, .ctx = &c };
	return db_write_run(db, &w, cert_unknown, cert_insert, e);
}

/* A revocation (its db_write's ctx). */
typedef struct cert_change {
	const cert_revoke_kind *k;
	char fp[65];
	char circular[BT_ID_MAX + 1];
} cert_change;

/* Check: the certificate is registered and not revoked. */
static int cert_in_force(bt_db *db, db_write *w, bt_err *e)
{
	cert_change *c = w->ctx;
	sqlite3_stmt *st = db_stmt(db, c->k->get_sql, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, c->fp);
	int step = sqlite3_step(st);
	int in_force = step == SQLITE_ROW && sqlite3_column_type(st, c->k->revoked_col) == SQLITE_NULL;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading a certificate");
	if (!in_force)
		return bt_failf(e, BT_R_INPUT, "fingerprint", "%s is %s", c->fp,
				step == SQLITE_ROW ? "revoked already" : "not registered");
	return BT_OK;
}

/* Insert: the row's revocation, and the event's payload. */
static int cert_revoke_rows(bt_db *db, db_write *w, bt_err *e)
{
	cert_change *c = w->ctx;
	sqlite3_stmt *st = db_stmt(db, c->k->revoke_sql, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, c->fp);
	sqlite3_bind_int64(st, 2, w->now);
	sqlite3_bind_int64(st, 3, w->ev.seq);
	char doing[64];
	snprintf(doing, sizeof doing, "revoking %s", c->k->what);
	int rc = db_exec_stmt(db, st, doing, e);
	return rc ? rc : auth_write_payload(db, w, c->circular, e);
}

int cert_revoke_run(bt_db *db, const cert_revoke_kind *k, const char *fp, const char *actor,
		    bt_time now, bt_err *e)
{
	cert_change c = { .k = k };
	if (!cert_fp_canon(fp, c.fp))
		return bt_failf(e, BT_R_INPUT, "fingerprint", "'%s' is not 64 hex digits (SHA-256)",
				text_shown(fp));
	db_write w = { .kind = k->event_kind, .actor = actor, .now = now, .ctx = &c };
	return db_write_run(db, &w, cert_in_force, cert_revoke_rows, e);
}

int bt_cert_revoke(bt_db *db, const char *fp, const char *actor, bt_time now, bt_err *e)
{
	static const cert_revoke_kind client = { SQL_CERT_GET, SQL_CERT_REVOKE, EVK_CERT_REVOKE,
						 "a certificate", 3 };
	return cert_revoke_run(db, &client, fp, actor, now, e);
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
	if (cert_fp_canon(fp, f)) {
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
		return bt_failf(e, BT_R_FORBIDDEN, NULL,
				"client certificate: not registered or revoked");
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
	int rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_cert,
			 "listing client certificates", e);
	if (rc)
		bt_cert_list_free(out);
	return rc;
}
