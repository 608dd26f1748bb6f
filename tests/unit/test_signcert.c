/* test_signcert.c - signing certificates: registered (PEM or DER, a CA's or
 * the signer's own), refused when no certificate, for an unknown member or
 * twice; a signer checked against them (chain, member, time received,
 * revocation); their events in the audit. Certificates are made here with
 * GnuTLS. */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "fixture.h"

#define NOW "2020-01-10T10:00:00Z"

/* A certificate and its key. */
typedef struct cert {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
	gnutls_datum_t der, pem;
} cert;

/* A certificate for dn valid [from, to], a CA's when ca, signed by issuer
 * (NULL: by itself). */
static void make(cert *c, const char *dn, int ca, const char *from, const char *to, const cert *issuer)
{
	static unsigned char serial = 1;
	assert_int_equal(gnutls_x509_privkey_init(&c->key), 0);
	assert_int_equal(gnutls_x509_privkey_generate(c->key, GNUTLS_PK_ECDSA,
						      GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
	assert_int_equal(gnutls_x509_crt_init(&c->crt), 0);
	gnutls_x509_crt_set_version(c->crt, 3);
	serial++;
	gnutls_x509_crt_set_serial(c->crt, &serial, 1);
	assert_int_equal(gnutls_x509_crt_set_dn(c->crt, dn, NULL), 0);
	gnutls_x509_crt_set_activation_time(c->crt, (time_t)T(from));
	gnutls_x509_crt_set_expiration_time(c->crt, (time_t)T(to));
	gnutls_x509_crt_set_key(c->crt, c->key);
	gnutls_x509_crt_set_basic_constraints(c->crt, ca, -1);
	gnutls_x509_crt_set_key_usage(c->crt, ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN :
				      GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION);
	if (issuer)
		assert_int_equal(gnutls_x509_crt_sign2(c->crt, issuer->crt, issuer->key, GNUTLS_DIG_SHA256, 0), 0);
	else
		assert_int_equal(gnutls_x509_crt_sign2(c->crt, c->crt, c->key, GNUTLS_DIG_SHA256, 0), 0);
	assert_int_equal(gnutls_x509_crt_export2(c->crt, GNUTLS_X509_FMT_DER, &c->der), 0);
	assert_int_equal(gnutls_x509_crt_export2(c->crt, GNUTLS_X509_FMT_PEM, &c->pem), 0);
}

static void drop(cert *c)
{
	gnutls_free(c->der.data);
	gnutls_free(c->pem.data);
	gnutls_x509_crt_deinit(c->crt);
	gnutls_x509_privkey_deinit(c->key);
}

/* bt_signer_check of signer (with the others of chain) for member at t. */
static int check(fx *f, const char *member, const char *t, const cert *signer, const cert *other,
		 bt_signer *out)
{
	const unsigned char *certs[2] = { signer->der.data, other ? other->der.data : NULL };
	size_t lens[2] = { signer->der.size, other ? other->der.size : 0 };
	return bt_signer_check(f->db, member, T(t), certs, lens, other ? 2 : 1, out, &f->e);
}

static void verified_or_not(void **state)
{
	fx *f = *state;
	cert ca, clerk, jane, stranger;
	char sha[65];
	bt_signer s;
	make(&ca, "CN=OFCOM CA,O=OFCOM,C=CH", 1, "2019-01-01T00:00:00Z", "2029-01-01T00:00:00Z", NULL);
	make(&clerk, "CN=Max Muster,O=OFCOM,C=CH", 0, "2019-06-01T00:00:00Z", "2021-01-01T00:00:00Z", &ca);
	make(&jane, "CN=Jane Doe,O=OFCOM,C=CH", 0, "2019-01-01T00:00:00Z", "2029-01-01T00:00:00Z", NULL);
	make(&stranger, "CN=Stranger,C=XX", 0, "2019-01-01T00:00:00Z", "2029-01-01T00:00:00Z", NULL);

	/* nothing registered: not verified, and why */
	assert_int_equal(check(f, "CHE", NOW, &clerk, &ca, &s), BT_OK);
	assert_false(s.verified);
	assert_string_equal(s.subject, "CN=Max Muster,O=OFCOM,C=CH");
	assert_string_equal(s.why, "the signer's certificate is not registered for CHE");

	/* the CA (PEM) for CHE: the clerk it issued is verified, for CHE only,
	 * and only while the clerk's certificate is valid */
	assert_int_equal(bt_signing_cert_add(f->db, "CH", ca.pem.data, ca.pem.size, "test", T(NOW), sha, &f->e),
			 BT_OK);
	assert_int_equal(check(f, "CHE", NOW, &clerk, &ca, &s), BT_OK);
	assert_true(s.verified);
	assert_string_equal(s.why, "");
	assert_int_equal(check(f, "CHE", NOW, &clerk, NULL, &s), BT_OK);
	assert_true(s.verified); /* the chain is the CA itself: nothing else needed */
	assert_int_equal(check(f, "FRA", NOW, &clerk, &ca, &s), BT_OK);
	assert_false(s.verified);
	assert_string_equal(s.why, "the signer's certificate is not registered for FRA");
	assert_int_equal(check(f, "CHE", "2021-02-01T00:00:00Z", &clerk, &ca, &s), BT_OK);
	assert_false(s.verified);
	assert_string_equal(s.why, "the signer's certificate was not valid at 2021-02-01T00:00:00Z");
	assert_int_equal(check(f, "CHE", "2019-05-31T00:00:00Z", &clerk, &ca, &s), BT_OK);
	assert_false(s.verified);
	/* a self-signed stranger, and one that names the CA as its only other */
	assert_int_equal(check(f, "CHE", NOW, &stranger, &ca, &s), BT_OK);
	assert_false(s.verified);

	/* an end-entity certificate registered itself (DER) */
	assert_int_equal(check(f, "CHE", NOW, &jane, NULL, &s), BT_OK);
	assert_false(s.verified);
	assert_int_equal(bt_signing_cert_add(f->db, "CHE", jane.der.data, jane.der.size, "test", T(NOW), NULL,
					     &f->e), BT_OK);
	assert_int_equal(check(f, "CHE", NOW, &jane, NULL, &s), BT_OK);
	assert_true(s.verified);

	/* the CA revoked: its clerk is no longer verified; Jane still is */
	assert_int_equal(bt_signing_cert_revoke(f->db, sha, "test", T(NOW), &f->e), BT_OK);
	assert_int_equal(check(f, "CHE", NOW, &clerk, &ca, &s), BT_OK);
	assert_false(s.verified);
	assert_int_equal(check(f, "CHE", NOW, &jane, NULL, &s), BT_OK);
	assert_true(s.verified);
	assert_int_equal(bt_signing_cert_revoke(f->db, sha, "test", T(NOW), &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "fingerprint");
	assert_true(bt_signing_cert_known(f->db, sha));

	bt_signing_cert_list l;
	assert_int_equal(bt_signing_certs_list(f->db, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].sha256, sha);
	assert_true(l.v[0].is_ca);
	assert_true(l.v[0].revoked);
	assert_string_equal(l.v[1].subject, "CN=Jane Doe,O=OFCOM,C=CH");
	assert_false(l.v[1].is_ca);
	assert_false(l.v[1].revoked);
	bt_signing_cert_list_free(&l);

	/* the events render again from the rows */
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
	drop(&ca);
	drop(&clerk);
	drop(&jane);
	drop(&stranger);
}

static void refusals(void **state)
{
	fx *f = *state;
	cert ca;
	bt_signer s;
	make(&ca, "CN=CA,C=CH", 1, "2019-01-01T00:00:00Z", "2029-01-01T00:00:00Z", NULL);
	assert_int_equal(bt_signing_cert_add(f->db, "CHE", "junk", 4, "test", T(NOW), NULL, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "certificate");
	assert_int_equal(bt_signing_cert_add(f->db, "ZZZ", ca.der.data, ca.der.size, "test", T(NOW), NULL, &f->e),
			 BT_EINPUT);
	assert_string_equal(f->e.field, "member");
	assert_int_equal(bt_signing_cert_add(f->db, "CHE", ca.der.data, ca.der.size, "test", T(NOW), NULL, &f->e),
			 BT_OK);
	assert_int_equal(bt_signing_cert_add(f->db, "CHE", ca.pem.data, ca.pem.size, "test", T(NOW), NULL, &f->e),
			 BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_CONFLICT);
	assert_int_equal(bt_signing_cert_revoke(f->db, "00ff", "test", T(NOW), &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "fingerprint");
	const unsigned char *junk[1] = { (const unsigned char *)"junk" };
	size_t len[1] = { 4 };
	assert_int_equal(bt_signer_check(f->db, "CHE", T(NOW), junk, len, 1, &s, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "certificate");
	assert_false(bt_signing_cert_known(f->db, "xyz"));
	drop(&ca);
}

/* A reply keeps its signer: in the row, the event's payload (so the
 * receipt), the history; the audit renders it again; a bad SHA-256 is
 * refused. Replies without one are as before. */
static void reply_keeps_signer(void **state)
{
	fx *f = *state;
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	fx_circular(f, "205", NULL, NULL);
	bt_reply_spec s = { .circular = "205", .member = "CHE", .choice = BT_AUTHORIZE, .channel = "email",
			    .signer_subject = "CN=Jane Doe,O=OFCOM,C=CH", .signer_sha256 = sha,
			    .signer_verified = 1 };
	bt_reply_result r;
	assert_int_equal(bt_reply_record(f->db, &s, "test", T(NOW), &r, &f->e), BT_OK);
	int64_t first = r.event_seq;
	s.member = "FRA";
	s.signer_verified = 0;
	assert_int_equal(bt_reply_record(f->db, &s, "test", T(NOW), &r, &f->e), BT_OK);
	s.member = "DEU";
	s.signer_subject = s.signer_sha256 = NULL;
	assert_int_equal(bt_reply_record(f->db, &s, "test", T(NOW), &r, &f->e), BT_OK);
	s.signer_sha256 = "ABC";
	assert_int_equal(bt_reply_record(f->db, &s, "test", T(NOW), &r, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "signer");

	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", NULL, &h, &f->e), BT_OK);
	assert_int_equal(h.n, 3);
	assert_string_equal(h.v[0].signer, "CN=Jane Doe,O=OFCOM,C=CH");
	assert_string_equal(h.v[0].signer_sha256, sha);
	assert_int_equal(h.v[0].signer_verified, 1);
	assert_int_equal(h.v[1].signer_verified, 0);
	assert_null(h.v[2].signer);
	bt_history_free(&h);

	/* the receipt signs the signer, and says it when verified */
	char path[160];
	bt_key *key;
	bt_buf b = BT_BUF_INIT;
	bt_receipt info;
	snprintf(path, sizeof path, "%s/t.key", f->dir);
	assert_int_equal(bt_key_create(path, "--key", NULL, &f->e), BT_OK);
	assert_int_equal(bt_key_load(path, "--key", &key, &f->e), BT_OK);
	assert_int_equal(bt_receipt_issue(f->db, first, key, &b, NULL, &f->e), BT_OK);
	assert_non_null(strstr(bt_buf_str(&b), "\\\"signer\\\":{\\\"subject\\\":\\\"CN=Jane Doe,O=OFCOM,C=CH\\\""));
	assert_int_equal(bt_receipt_verify(b.data, b.len, bt_key_public(key), &info, &f->e), BT_OK);
	assert_string_equal(info.signer, "CN=Jane Doe,O=OFCOM,C=CH");
	assert_int_equal(info.signer_verified, 1);
	bt_buf_reset(&b);
	assert_int_equal(bt_receipt_issue(f->db, first + 2, key, &b, NULL, &f->e), BT_OK);
	assert_int_equal(bt_receipt_verify(b.data, b.len, bt_key_public(key), &info, &f->e), BT_OK);
	assert_string_equal(info.signer, "");
	bt_buf_release(&b);
	bt_key_free(key);
	bt_audit_report a;
	assert_int_equal(bt_audit_verify(f->db, &a, &f->e), BT_OK);
	assert_int_equal(a.first_bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reply_keeps_signer, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(verified_or_not, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refusals, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
