/* signcert.c - the certificates administrations sign returned forms with,
 * and the check of a form's signer against them (include/ballot/signcert.h;
 * domain floor). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "ballot/signcert.h"
#include "domain/domain.h"

/* A signing-cert-add (its db_write's ctx). */
typedef struct signing_new {
	const char *member;
	char code[4], sha[65], subject[256];
	int is_ca;
	bt_time not_before, not_after;
	const unsigned char *der;
	size_t len;
	char circular[BT_ID_MAX + 1];
} signing_new;

/* Imports der into *crt (to deinit); 0 when it is no X.509 certificate. */
static int crt_import(const unsigned char *der, size_t len, gnutls_x509_crt_t *crt)
{
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	*crt = NULL;
	if (!len || len > 0x7fffffff || gnutls_x509_crt_init(crt) < 0)
		return 0;
	if (gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
		return 0;
	}
	return 1;
}

/* The subject DN of crt into out (n bytes). */
static void crt_subject(gnutls_x509_crt_t crt, char *out, size_t n)
{
	gnutls_datum_t dn = { NULL, 0 };
	out[0] = '\0';
	if (gnutls_x509_crt_get_dn3(crt, &dn, 0) == 0) {
		snprintf(out, n, "%.*s", (int)dn.size, dn.data);
		gnutls_free(dn.data);
	}
}

/* The member exists and the certificate is new. */
static int signing_unknown(bt_db *db, db_write *w, bt_err *e)
{
	signing_new *c = w->ctx;
	int rc = bt_member_resolve(db, "member", c->member, c->code, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNING_GET, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, c->sha);
	int step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_fail(db, e, "reading signing certificates");
	}
	char whom[4] = "", revoked[BT_TIME_LEN] = "";
	if (step == SQLITE_ROW)
		db_col_copy(st, 0, whom, sizeof whom);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL)
		bt_time_format((bt_time)sqlite3_column_int64(st, 1), revoked);
	sqlite3_reset(st);
	if (step == SQLITE_ROW && revoked[0]) /* a revoked one is not registered again */
		return bt_failf(e, BT_R_CONFLICT, "certificate", "%s is registered already, for %s, and was revoked "
				"%s: a revoked certificate cannot be registered again", c->sha, whom, revoked);
	if (step == SQLITE_ROW)
		return bt_failf(e, BT_R_CONFLICT, "certificate", "%s is registered already, for %s", c->sha,
				whom);
	return BT_OK;
}

static int signing_insert(bt_db *db, db_write *w, bt_err *e)
{
	signing_new *c = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNING_INSERT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, c->sha);
	db_bind_text(st, 2, c->code);
	db_bind_text(st, 3, c->subject);
	sqlite3_bind_int(st, 4, c->is_ca);
	sqlite3_bind_int64(st, 5, c->not_before);
	sqlite3_bind_int64(st, 6, c->not_after);
	sqlite3_bind_blob64(st, 7, c->der, c->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, w->now);
	sqlite3_bind_int64(st, 9, w->ev.seq);
	int rc = db_exec_stmt(db, st, "registering a signing certificate", e);
	sqlite3_clear_bindings(st);
	return rc ? rc : auth_write_payload(db, w, c->circular, e);
}

/* The certificate data (PEM or DER) as DER into *der (gnutls_free it) and
 * its fields into c; 0 when it is no X.509 certificate. */
static int cert_read(const unsigned char *data, size_t len, gnutls_datum_t *der, signing_new *c)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = { (unsigned char *)data, (unsigned)len };
	der->data = NULL;
	if (!len || len > 0x7fffffff || gnutls_x509_crt_init(&crt) < 0)
		return 0;
	int ok = (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == 0 ||
		  gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) == 0) &&
		 gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, der) == 0;
	if (ok) {
		crt_subject(crt, c->subject, sizeof c->subject);
		c->is_ca = gnutls_x509_crt_get_ca_status(crt, NULL) > 0;
		c->not_before = (bt_time)gnutls_x509_crt_get_activation_time(crt);
		c->not_after = (bt_time)gnutls_x509_crt_get_expiration_time(crt);
	}
	gnutls_x509_crt_deinit(crt);
	return ok;
}

/* How many PEM certificates data holds (0 when it is no PEM). */
static unsigned pem_count(const void *data, size_t len)
{
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	gnutls_datum_t d = { (unsigned char *)data, (unsigned)len };
	if (!len || len > 0x7fffffff ||
	    gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0) < 0)
		return 0;
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return n;
}

int bt_signing_cert_add(bt_db *db, const char *member, const void *data, size_t len,
			const char *actor, bt_time now, char out_sha256[65], bt_err *e)
{
	signing_new c = { .member = member };
	gnutls_datum_t der;
	unsigned n = pem_count(data, len);
	if (n > 1)
		return bt_failf(e, BT_R_INPUT, "certificate", "the file holds %u certificates (PEM); "
				"register each from a file of its own", n);
	if (!cert_read(data, len, &der, &c)) {
		gnutls_free(der.data);
		return bt_failf(e, BT_R_INPUT, "certificate", "not an X.509 certificate (PEM or DER)");
	}
	c.der = der.data;
	c.len = der.size;
	sha256_hex(c.der, c.len, c.sha);
	int rc = BT_OK;
	if (!c.subject[0])
		rc = bt_failf(e, BT_R_INPUT, "certificate", "the certificate has no subject");
	db_write w = { .kind = EVK_SIGNING_ADD, .actor = actor, .now = now, .ctx = &c };
	if (!rc)
		rc = db_write_run(db, &w, signing_unknown, signing_insert, e);
	if (!rc && out_sha256)
		memcpy(out_sha256, c.sha, 65);
	gnutls_free(der.data);
	return rc;
}

int bt_signing_cert_known(bt_db *db, const char *fp)
{
	char f[65];
	bt_err ignore;
	sqlite3_stmt *st = cert_fp_canon(fp, f) ? db_stmt(db, SQL_SIGNING_GET, &ignore) : NULL;
	if (!st)
		return 0;
	db_bind_text(st, 1, f);
	int known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return known;
}

int bt_signing_cert_revoke(bt_db *db, const char *fp, const char *actor, bt_time now, bt_err *e)
{
	static const cert_revoke_kind signing = { SQL_SIGNING_GET, SQL_SIGNING_REVOKE, EVK_SIGNING_REVOKE,
						  "a signing certificate", 1 };
	return cert_revoke_run(db, &signing, fp, actor, now, e);
}

int signing_cert_payload(bt_db *db, int64_t seq, int revoke, bt_buf *out, bt_time *when,
			 int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, revoke ? SQL_SIGNING_BY_REVOCATION : SQL_SIGNING_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		char t[BT_TIME_LEN];
		*found = 1;
		bt_json_kv_str(out, "sha256", (const char *)sqlite3_column_text(st, 0), 1);
		if (revoke) {
			*when = sqlite3_column_int64(st, 1);
		} else {
			bt_json_kv_str(out, "member", (const char *)sqlite3_column_text(st, 1), 0);
			bt_json_kv_str(out, "subject", (const char *)sqlite3_column_text(st, 2), 0);
			bt_json_kv_bool(out, "ca", sqlite3_column_int(st, 3), 0);
			bt_time_format(sqlite3_column_int64(st, 4), t);
			bt_json_kv_str(out, "not_before", t, 0);
			bt_time_format(sqlite3_column_int64(st, 5), t);
			bt_json_kv_str(out, "not_after", t, 0);
			*when = sqlite3_column_int64(st, 6);
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK
		: db_fail(db, e, "reading a signing certificate");
}

void bt_signing_cert_list_free(bt_signing_cert_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_signing(sqlite3_stmt *st, void *elem)
{
	bt_signing_cert_info *c = elem;
	db_col_copy(st, 0, c->sha256, sizeof c->sha256);
	db_col_copy(st, 1, c->member, sizeof c->member);
	db_col_copy(st, 2, c->subject, sizeof c->subject);
	c->is_ca = sqlite3_column_int(st, 3);
	c->not_after = sqlite3_column_int64(st, 4);
	c->registered_at = sqlite3_column_int64(st, 5);
	c->revoked = sqlite3_column_type(st, 6) != SQLITE_NULL;
	c->revoked_at = sqlite3_column_int64(st, 6);
}

int bt_signing_certs_list(bt_db *db, bt_signing_cert_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNING_LIST, e);
	if (!st)
		return BT_EFAIL;
	int rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_signing,
			    "listing signing certificates", e);
	if (rc)
		bt_signing_cert_list_free(out);
	return rc;
}

/* 1 when crt is valid at time at. */
static int crt_valid_at(gnutls_x509_crt_t crt, bt_time at)
{
	return (bt_time)gnutls_x509_crt_get_activation_time(crt) <= at &&
	       at <= (bt_time)gnutls_x509_crt_get_expiration_time(crt);
}

/* Adds the unrevoked signing certificates of code valid at time at to tl
 * (which owns them then); *direct: one of them is the signer's own (sha). */
static int load_anchors(bt_db *db, const char *code, bt_time at, const char *sha,
			gnutls_x509_trust_list_t tl, int *direct, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SIGNING_ANCHORS, e);
	if (!st)
		return BT_EFAIL;
	db_bind_text(st, 1, code);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		gnutls_x509_crt_t crt;
		const unsigned char *der = sqlite3_column_blob(st, 1);
		if (!crt_import(der, (size_t)sqlite3_column_bytes(st, 1), &crt))
			continue;
		if (!crt_valid_at(crt, at)) {
			gnutls_x509_crt_deinit(crt);
			continue;
		}
		*direct |= strcmp((const char *)sqlite3_column_text(st, 0), sha) == 0;
		if (gnutls_x509_trust_list_add_cas(tl, &crt, 1, 0) != 1)
			gnutls_x509_crt_deinit(crt);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading signing certificates");
}

/* The time each certificate of a path being verified must be valid at,
 * and whether one was not (GnuTLS's trust list takes no time of its own:
 * its callback sees each link of the path it verifies; per thread, as the
 * portal verifies on several). */
static _Thread_local bt_time path_at;
static _Thread_local int path_expired;

static int path_link(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer,
		     gnutls_x509_crl_t crl, unsigned output)
{
	(void)crl;
	(void)output;
	if ((cert && !crt_valid_at(cert, path_at)) ||
	    (issuer && !crt_valid_at(issuer, path_at)))
		path_expired = 1;
	return 0;
}

/* Verifies chain[0..k) against tl, every certificate of the path (the
 * intermediates and the anchor too) valid at time at: 1 when it chains,
 * *expired 1 when it chains only outside their validity. */
static int chains_to(gnutls_x509_trust_list_t tl, gnutls_x509_crt_t *chain,
		     unsigned k, bt_time at, int *expired)
{
	unsigned status = 0;
	path_at = at;
	path_expired = 0;
	int rc = gnutls_x509_trust_list_verify_crt2(tl, chain, k, NULL, 0,
						    GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
						    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
						    &status, path_link);
	*expired = rc == 0 && status == 0 && path_expired;
	return rc == 0 && status == 0 && !path_expired;
}

/* The verdict on a signer whose certificate chain[0] (k in all) is valid at
 * at: against the anchors of code. */
static int signer_trust(bt_db *db, const char *code, bt_time at, gnutls_x509_crt_t *chain,
			unsigned k, bt_signer *out, bt_err *e)
{
	gnutls_x509_trust_list_t tl;
	int direct = 0, expired = 0;
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	int rc = load_anchors(db, code, at, out->sha256, tl, &direct, e);
	if (!rc)
		out->verified = direct || chains_to(tl, chain, k, at, &expired);
	gnutls_x509_trust_list_deinit(tl, 1);
	char t[BT_TIME_LEN];
	bt_time_format(at, t);
	if (!rc && !out->verified && expired)
		snprintf(out->why, sizeof out->why, "a certificate between the "
			 "signer's and the one registered for %s was not valid "
			 "at %s", code, t);
	else if (!rc && !out->verified)
		snprintf(out->why, sizeof out->why,
			 "the signer's certificate is not registered for %s", code);
	return rc;
}

int bt_signer_check(bt_db *db, const char *member, bt_time at,
		    const unsigned char *const *certs, const size_t *lens,
		    size_t n, bt_signer *out, bt_err *e)
{
	gnutls_x509_crt_t chain[16];
	unsigned k = 0;
	char code[4];
	memset(out, 0, sizeof *out);
	if (!n || !crt_import(certs[0], lens[0], &chain[0]))
		return bt_failf(e, BT_R_INPUT, "certificate",
				"the signer's certificate is not an X.509 certificate");
	k = 1;
	crt_subject(chain[0], out->subject, sizeof out->subject);
	sha256_hex(certs[0], lens[0], out->sha256);
	for (size_t i = 1; i < n && k < 16; i++)
		k += (unsigned)crt_import(certs[i], lens[i], &chain[k]);
	int rc = bt_member_resolve(db, "member", member, code, e);
	if (!rc && !crt_valid_at(chain[0], at)) {
		char t[BT_TIME_LEN];
		bt_time_format(at, t);
		snprintf(out->why, sizeof out->why,
			 "the signer's certificate was not valid at %s", t);
	} else if (!rc) {
		rc = signer_trust(db, code, at, chain, k, out, e);
	}
	for (unsigned i = 0; i < k; i++)
		gnutls_x509_crt_deinit(chain[i]);
	return rc;
}
