/* tls.h - the server's TLS material and client certificates (tls.c). */
#ifndef BALLOT_PORTAL_TLS_H
#define BALLOT_PORTAL_TLS_H

#include <stddef.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
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

/* The server's certificate chain and key as handshakes take them (through
 * tls_server_retrieve, libmicrohttpd's certificate callback): tls_server_load
 * checks cert and key (as tls_check_keypair) and makes them the pair every
 * new handshake gets; on failure the pair in use stays. The pairs a reload
 * replaced are kept until tls_server_free, which the server calls once
 * stopped (a handshake may still hold one). */
int tls_server_load(const bt_buf *cert, const bt_buf *key, const char *cert_path, const char *key_path,
		    bt_err *e);
int tls_server_retrieve(gnutls_session_t s, const gnutls_datum_t *req_ca, int nreq,
			const gnutls_pk_algorithm_t *algos, int nalgos, gnutls_pcert_st **pcert,
			unsigned int *npcert, gnutls_privkey_t *key);
void tls_server_free(void);

/* Session tickets (TLS 1.3 resumption, and RFC 5077 tickets in TLS 1.2),
 * each valid TLS_TICKET_LIFETIME_S after its session began. tls_tickets_renew
 * makes a new master key, in memory only (at start, and on a certificate
 * reload: tickets issued before no longer resume); BT_EFAIL when GnuTLS
 * cannot. tls_tickets_enable lets session s (a new connection, before its
 * handshake) issue and take tickets under the current key; -1 when GnuTLS
 * refuses (the connection then goes on with full handshakes only).
 * tls_tickets_age replaces the key once it is period_s old (0: a day) and
 * says so through log (may be NULL) before any connection takes the new
 * key: 1 when it did, 0 when the key is younger, -1 when GnuTLS cannot
 * make one (the old key serves on another period). tls_tickets_free wipes
 * the key (the server stopped). */
#define TLS_TICKET_LIFETIME_S 3600
int tls_tickets_renew(bt_err *e);
int tls_tickets_age(unsigned period_s, void (*log)(const char *line));
int tls_tickets_enable(gnutls_session_t s);
void tls_tickets_free(void);

#endif
