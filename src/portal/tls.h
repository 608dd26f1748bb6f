/* tls.h - the server's TLS material and client certificates (tls.c). */
#ifndef BALLOT_PORTAL_TLS_H
#define BALLOT_PORTAL_TLS_H

#include <stddef.h>
#include "ballot/buf.h"
#include "ballot/err.h"
#include "portal/request.h"

/* Checks that cert and key (read from cert_path, key_path) are PEM, belong
 * together and load: BT_EINPUT naming both files otherwise. */
int tls_check_keypair(const bt_buf *cert, const bt_buf *key, const char *cert_path, const char *key_path,
		      bt_err *e);
/* Checks that ca (read from path) holds at least one PEM certificate:
 * BT_EINPUT otherwise. */
int tls_check_ca(const bt_buf *ca, const char *path, bt_err *e);

/* Checks the certificate the client presented on r's connection, if any:
 * verified against the client CA (status 0) for client authentication, no
 * CA's itself, and registered (bt_cert_identity). Sets r->cert_ok,
 * r->cert_fp and r->cert_id when it is; 0 when none was presented or it is
 * accepted, -1 (why says why, one line) when one was presented and is not. */
int tls_client_cert(preq *r, char *why, size_t whylen);

#endif
