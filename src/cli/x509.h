/* x509.h - X.509 certificates for the portal, made with GnuTLS: a
 * development CA, the server's certificate and client certificates, all
 * ECDSA P-256 with random serials.
 *
 * Validity follows the real clock, not $BALLOT_NOW: a certificate must be
 * valid when a TLS peer checks it. */
#ifndef BALLOT_CLI_X509_H
#define BALLOT_CLI_X509_H

#include <gnutls/x509.h>
#include "ballot/ballot.h"

typedef enum x509_kind {
	X509_CA,     /* self-signed, CA:TRUE, keyCertSign, 5 years */
	X509_SERVER, /* SAN localhost, 127.0.0.1, ::1; TLS WWW server; 1 year */
	X509_CLIENT  /* CN the member code or user name; TLS WWW client; 1 year */
} x509_kind;

/* A certificate and its key, as PEM, with the SHA-256 fingerprint of the
 * DER certificate (64 lowercase hex digits) and its end of validity. */
typedef struct x509_out {
	bt_buf cert, key;
	char fp[65];
	bt_time not_after;
} x509_out;

/* A loaded (or just made) CA that signs. */
typedef struct x509_ca {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
} x509_ca;

/* Makes a key and a certificate for cn. X509_CA is self-signed and, when
 * keep is not NULL, kept there to sign others; the other kinds are signed by
 * issuer. */
int x509_make(x509_kind kind, const char *cn, const x509_ca *issuer,
	      x509_ca *keep, x509_out *out, bt_err *e);
void x509_out_free(x509_out *o);

/* Loads DIR/ca.pem and DIR/ca-key.pem (field names the option in
 * messages): BT_EINPUT when missing, not PEM, not a CA, or the key is not
 * the certificate's. */
int x509_ca_load(const char *dir, const char *field, x509_ca *ca, bt_err *e);
void x509_ca_free(x509_ca *ca);

/* Writes DIR/BASE.pem (mode 0666 & ~umask) and DIR/BASE-key.pem (0600,
 * never readable by others, not even while it is written). */
int x509_write(const char *dir, const char *base, const x509_out *o,
	       const char *field, bt_err *e);

/* Reads a client certificate file (PEM or DER): its fingerprint, end of
 * validity and common name (cn_len bytes, "" when none). BT_EINPUT for a
 * certificate the portal would refuse to sign in with: one without the TLS
 * WWW client purpose, or a CA's (bt_cert_for_clients). */
int x509_cert_file(const char *path, const char *field, char fp[65],
		   bt_time *not_after, char *cn, size_t cn_len, bt_err *e);

#endif
