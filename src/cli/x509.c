/* x509.c - the portal's X.509 certificates with GnuTLS (see x509.h). */
#include "x509.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DAY 86400
#define CERT_FILE_MAX (64 * 1024)

static int tls_fail(bt_err *e, const char *what, int r)
{
	return bt_fail(e, BT_EFAIL, "%s: %s", what, gnutls_strerror(r));
}

/* The fingerprint and end of validity of crt. */
static int describe(gnutls_x509_crt_t crt, char fp[65], bt_time *not_after, bt_err *e)
{
	unsigned char d[32];
	size_t n = sizeof d;
	int r = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, d, &n);
	gnutls_datum_t raw = { d, (unsigned)n };
	size_t hn = 65;
	if (r >= 0 && n != sizeof d)
		r = GNUTLS_E_INTERNAL_ERROR;
	if (r < 0 || (r = gnutls_hex_encode(&raw, fp, &hn)) < 0)
		return tls_fail(e, "certificate fingerprint", r);
	*not_after = (bt_time)gnutls_x509_crt_get_expiration_time(crt);
	return BT_OK;
}

static int add_datum(bt_buf *b, gnutls_datum_t *d, bt_err *e)
{
	int r = bt_buf_add(b, d->data, d->size);
	gnutls_memset(d->data, 0, d->size);
	gnutls_free(d->data);
	d->data = NULL;
	return r < 0 ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}

/* The extensions of each kind. */
static int extensions(gnutls_x509_crt_t crt, x509_kind kind)
{
	static const unsigned char v4[4] = { 127, 0, 0, 1 };
	static const unsigned char v6[16] = { [15] = 1 };
	int r;
	if (kind == X509_CA) {
		if ((r = gnutls_x509_crt_set_basic_constraints(crt, 1, 0)) < 0)
			return r;
		return gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN |
						     GNUTLS_KEY_CRL_SIGN | GNUTLS_KEY_DIGITAL_SIGNATURE);
	}
	if ((r = gnutls_x509_crt_set_basic_constraints(crt, 0, -1)) < 0 ||
	    (r = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
	    (r = gnutls_x509_crt_set_key_purpose_oid(crt, kind == X509_SERVER ?
						     GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT, 0)) < 0)
		return r;
	if (kind != X509_SERVER)
		return 0;
	if ((r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
						      GNUTLS_FSAN_APPEND)) < 0 ||
	    (r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, v4, sizeof v4,
						      GNUTLS_FSAN_APPEND)) < 0)
		return r;
	return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, v6, sizeof v6,
						    GNUTLS_FSAN_APPEND);
}

/* Key ids: the subject's, and the issuer's as the authority's. */
static int key_ids(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	unsigned char id[64];
	size_t n = sizeof id;
	int r = gnutls_x509_crt_get_key_id(crt, 0, id, &n);
	if (r < 0 || (r = gnutls_x509_crt_set_subject_key_id(crt, id, n)) < 0)
		return r;
	n = sizeof id;
	if ((r = gnutls_x509_crt_get_subject_key_id(issuer, id, &n, NULL)) < 0)
		return r;
	return gnutls_x509_crt_set_authority_key_id(crt, id, n);
}

static int sign(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, gnutls_x509_privkey_t key)
{
	gnutls_privkey_t pk;
	int r = gnutls_privkey_init(&pk);
	if (r < 0)
		return r;
	if ((r = gnutls_privkey_import_x509(pk, key, 0)) >= 0)
		r = gnutls_x509_crt_privkey_sign(crt, issuer, pk, GNUTLS_DIG_SHA256, 0);
	gnutls_privkey_deinit(pk);
	return r;
}

int x509_make(x509_kind kind, const char *cn, const x509_ca *issuer, x509_ca *keep,
	      x509_out *out, bt_err *e)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = { NULL, 0 };
	unsigned char serial[16];
	const char *step = "key generation";
	int rc = BT_OK;
	bt_buf_init(&out->cert, 0);
	bt_buf_init(&out->key, 0);
	if (kind != X509_CA && !issuer)
		return bt_fail(e, BT_EFAIL, "x509: a CA is needed to sign");
	if ((rc = bt_random(serial, sizeof serial, e)))
		return rc;
	serial[0] = (unsigned char)((serial[0] & 0x7f) | 0x40); /* positive, 16 bytes */
	/* the real clock: the certificate must be valid when TLS checks it */
	time_t now = time(NULL);
	int r = gnutls_x509_privkey_init(&key);
	if (r >= 0)
		r = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
						 GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (r >= 0 && (step = "certificate", r = gnutls_x509_crt_init(&crt)) >= 0 &&
	    (r = gnutls_x509_crt_set_version(crt, 3)) >= 0 &&
	    (r = gnutls_x509_crt_set_key(crt, key)) >= 0 &&
	    (r = gnutls_x509_crt_set_serial(crt, serial, sizeof serial)) >= 0 &&
	    (r = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
					      (unsigned)strlen(cn))) >= 0 &&
	    (r = gnutls_x509_crt_set_activation_time(crt, now - 3600)) >= 0 &&
	    (r = gnutls_x509_crt_set_expiration_time(crt, now + (kind == X509_CA ? 5 * 365 + 1 : 365) *
						     (time_t)DAY)) >= 0 &&
	    (step = "certificate extensions", r = extensions(crt, kind)) >= 0 &&
	    (r = key_ids(crt, kind == X509_CA ? crt : issuer->crt)) >= 0 &&
	    (step = "signing", r = sign(crt, kind == X509_CA ? crt : issuer->crt,
					kind == X509_CA ? key : issuer->key)) >= 0 &&
	    (step = "export", r = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d)) >= 0 &&
	    (rc = add_datum(&out->cert, &d, e)) == BT_OK &&
	    (r = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
						   &d)) >= 0 &&
	    (rc = add_datum(&out->key, &d, e)) == BT_OK)
		rc = describe(crt, out->fp, &out->not_after, e);
	if (r < 0 && rc == BT_OK)
		rc = tls_fail(e, step, r);
	if (rc == BT_OK && kind == X509_CA && keep) {
		keep->crt = crt;
		keep->key = key;
		crt = NULL;
		key = NULL;
	}
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	if (rc)
		x509_out_free(out);
	return rc;
}

void x509_out_free(x509_out *o)
{
	if (o->key.data)
		gnutls_memset(o->key.data, 0, o->key.len);
	bt_buf_release(&o->cert);
	bt_buf_release(&o->key);
}

void x509_ca_free(x509_ca *ca)
{
	if (ca->crt)
		gnutls_x509_crt_deinit(ca->crt);
	if (ca->key)
		gnutls_x509_privkey_deinit(ca->key);
	ca->crt = NULL;
	ca->key = NULL;
}

/* Imports a certificate in PEM, else DER. */
static int crt_import(const bt_buf *b, gnutls_x509_crt_t *crt)
{
	gnutls_datum_t d = { (unsigned char *)b->data, (unsigned)b->len };
	int r = gnutls_x509_crt_init(crt);
	if (r < 0)
		return r;
	if ((r = gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_PEM)) < 0)
		r = gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
	}
	return r;
}

int x509_ca_load(const char *dir, const char *field, x509_ca *ca, bt_err *e)
{
	char path[4200];
	bt_buf b = BT_BUF_INIT;
	ca->crt = NULL;
	ca->key = NULL;
	snprintf(path, sizeof path, "%s/ca.pem", dir);
	int rc = bt_file_read(path, field, CERT_FILE_MAX, &b, e);
	if (rc)
		return rc;
	if (crt_import(&b, &ca->crt) < 0)
		rc = bt_fail(e, BT_EINPUT, "%s: '%s' is not an X.509 certificate", field, path);
	else if (gnutls_x509_crt_get_ca_status(ca->crt, NULL) <= 0)
		rc = bt_fail(e, BT_EINPUT, "%s: '%s' is not a CA certificate", field, path);
	bt_buf_release(&b);
	snprintf(path, sizeof path, "%s/ca-key.pem", dir);
	if (!rc)
		rc = bt_file_read(path, field, CERT_FILE_MAX, &b, e);
	if (!rc) {
		gnutls_datum_t d = { (unsigned char *)b.data, (unsigned)b.len };
		unsigned char a[64], k[64];
		size_t an = sizeof a, kn = sizeof k;
		if (gnutls_x509_privkey_init(&ca->key) < 0 ||
		    gnutls_x509_privkey_import2(ca->key, &d, GNUTLS_X509_FMT_PEM, NULL,
						GNUTLS_PKCS_PLAIN) < 0)
			rc = bt_fail(e, BT_EINPUT, "%s: '%s' is not an unencrypted private key", field, path);
		else if (gnutls_x509_crt_get_key_id(ca->crt, 0, a, &an) < 0 ||
			 gnutls_x509_privkey_get_key_id(ca->key, 0, k, &kn) < 0 || an != kn ||
			 memcmp(a, k, an) != 0)
			rc = bt_fail(e, BT_EINPUT, "%s: '%s' is not the key of %s/ca.pem", field, path, dir);
		gnutls_memset(b.data, 0, b.len);
	}
	bt_buf_release(&b);
	if (rc)
		x509_ca_free(ca);
	return rc;
}

int x509_write(const char *dir, const char *base, const x509_out *o, const char *field,
	       bt_err *e)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.pem", dir, base);
	int rc = bt_file_write(path, field, o->cert.data, o->cert.len, e);
	if (rc)
		return rc;
	/* bt_file_write makes its temporary file 0600 and then gives it
	 * 0666 & ~umask: with umask 077 the key is never readable by others */
	snprintf(path, sizeof path, "%s/%s-key.pem", dir, base);
	mode_t old = umask(077);
	rc = bt_file_write(path, field, o->key.data, o->key.len, e);
	umask(old);
	if (rc) {
		snprintf(path, sizeof path, "%s/%s.pem", dir, base);
		unlink(path);
	}
	return rc;
}

int x509_cert_file(const char *path, const char *field, char fp[65], bt_time *not_after,
		   char *cn, size_t cn_len, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	gnutls_x509_crt_t crt;
	int rc = bt_file_read(path, field, CERT_FILE_MAX, &b, e);
	if (rc)
		return rc;
	if (crt_import(&b, &crt) < 0) {
		bt_buf_release(&b);
		return bt_fail(e, BT_EINPUT, "%s: '%s' is not an X.509 certificate (PEM or DER)",
			       field, path);
	}
	bt_buf_release(&b);
	gnutls_datum_t der = { NULL, 0 };
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		rc = bt_fail(e, BT_EFAIL, "%s: cannot read '%s' again", field, path);
	else if (!bt_cert_for_clients(der.data, der.size))
		rc = bt_fail(e, BT_EINPUT, "%s: '%s' is not a client certificate (it lacks the TLS WWW client"
			     " purpose, or is a CA's): the portal would refuse it", field, path);
	gnutls_free(der.data);
	if (!rc)
		rc = describe(crt, fp, not_after, e);
	size_t n = cn_len;
	if (cn_len && gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &n) < 0)
		cn[0] = '\0';
	gnutls_x509_crt_deinit(crt);
	return rc;
}
