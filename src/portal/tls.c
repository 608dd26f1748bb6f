/* tls.c - the server's certificate and key, the client CA, the
 * certificate a client presents, and the session tickets that let a
 * returning client resume (tls.h). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include "portal/tls.h"

int tls_check_keypair(const bt_buf *cert, const bt_buf *key, const char *cert_path, const char *key_path,
		      bt_err *e)
{
	gnutls_certificate_credentials_t cr;
	if (gnutls_certificate_allocate_credentials(&cr) < 0)
		return bt_fail(e, BT_EFAIL, "cannot allocate TLS credentials");
	gnutls_datum_t c = { (unsigned char *)cert->data, (unsigned)cert->len };
	gnutls_datum_t k = { (unsigned char *)key->data, (unsigned)key->len };
	int rc = gnutls_certificate_set_x509_key_mem(cr, &c, &k, GNUTLS_X509_FMT_PEM);
	gnutls_certificate_free_credentials(cr);
	if (rc < 0)
		return bt_fail(e, BT_EINPUT, "--cert/--key: '%s' and '%s' are not a PEM certificate and its key (%s)",
			       cert_path, key_path, gnutls_strerror(rc));
	return BT_OK;
}

int tls_check_ca(const bt_buf *ca, const char *path, bt_err *e)
{
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	gnutls_datum_t d = { (unsigned char *)ca->data, (unsigned)ca->len };
	int rc = gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0 || n == 0)
		return bt_fail(e, BT_EINPUT, "--client-ca: '%s' holds no PEM certificate", path);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return BT_OK;
}

int tls_client_cert(preq *r, char *why, size_t whylen)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return 0;
	gnutls_session_t s = (gnutls_session_t)ci->tls_session;
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || n == 0)
		return 0;
	if (!r->p->client_ca) {
		snprintf(why, whylen, "client certificate: this server accepts none");
		return -1;
	}
	/* verified for the purpose it is presented for: GnuTLS checks each
	 * certificate's extended key usage (when it has one) against it */
	unsigned status = 0;
	gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0 };
	if (gnutls_certificate_verify_peers(s, &purpose, 1, &status) < 0 || status != 0) {
		snprintf(why, whylen, "client certificate: not issued by this portal's CA, expired, invalid, or"
			 " not for client authentication");
		return -1;
	}
	if (!bt_cert_for_clients(certs[0].data, certs[0].size)) {
		snprintf(why, whylen, "client certificate: not for client authentication (a CA's, or without the"
			 " TLS WWW client purpose)");
		return -1;
	}
	unsigned char fp[32];
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, certs[0].data, certs[0].size, fp) < 0) {
		snprintf(why, whylen, "client certificate: cannot hash it");
		return -1;
	}
	for (int i = 0; i < 32; i++)
		snprintf(r->cert_fp + 2 * i, 3, "%02x", fp[i]);
	bt_err e;
	if (bt_cert_identity(r->db, r->cert_fp, r->now, &r->cert_id, &e)) {
		snprintf(why, whylen, "%.250s", e.msg);
		return -1;
	}
	r->cert_ok = 1;
	return 0;
}

/* ---- the server's certificate, reloadable ---- */

#define TLS_CHAIN_MAX 16

/* A certificate chain and its key as handshakes take them. Pairs replaced
 * by a reload stay (a handshake may still hold them) until the server
 * stops: one per reload. */
typedef struct tls_pair {
	gnutls_pcert_st pcerts[TLS_CHAIN_MAX];
	unsigned n;
	gnutls_privkey_t key;
	struct tls_pair *prev;
} tls_pair;

static pthread_mutex_t pair_lock = PTHREAD_MUTEX_INITIALIZER;
static tls_pair *current;

static void pair_free(tls_pair *t)
{
	for (unsigned i = 0; i < t->n; i++)
		gnutls_pcert_deinit(&t->pcerts[i]);
	if (t->key)
		gnutls_privkey_deinit(t->key);
	free(t);
}

int tls_server_load(const bt_buf *cert, const bt_buf *key, const char *cert_path, const char *key_path,
		    bt_err *e)
{
	int rc = tls_check_keypair(cert, key, cert_path, key_path, e);
	if (rc)
		return rc;
	tls_pair *t = calloc(1, sizeof *t);
	if (!t)
		return bt_fail(e, BT_EFAIL, "out of memory");
	gnutls_datum_t c = { (unsigned char *)cert->data, (unsigned)cert->len };
	gnutls_datum_t k = { (unsigned char *)key->data, (unsigned)key->len };
	t->n = TLS_CHAIN_MAX;
	int g = gnutls_pcert_list_import_x509_raw(t->pcerts, &t->n, &c, GNUTLS_X509_FMT_PEM, 0);
	if (g < 0) {
		t->n = 0;
	} else if ((g = gnutls_privkey_init(&t->key)) >= 0) {
		g = gnutls_privkey_import_x509_raw(t->key, &k, GNUTLS_X509_FMT_PEM, NULL, 0);
	}
	if (g < 0) {
		pair_free(t);
		return bt_fail(e, BT_EINPUT, "--cert/--key: '%s' and '%s' cannot be loaded (%s)", cert_path,
			       key_path, gnutls_strerror(g));
	}
	pthread_mutex_lock(&pair_lock);
	t->prev = current;
	current = t;
	pthread_mutex_unlock(&pair_lock);
	return BT_OK;
}

int tls_server_retrieve(gnutls_session_t s, const gnutls_datum_t *req_ca, int nreq,
			const gnutls_pk_algorithm_t *algos, int nalgos, gnutls_pcert_st **pcert,
			unsigned int *npcert, gnutls_privkey_t *key)
{
	(void)s;
	(void)req_ca;
	(void)nreq;
	(void)algos;
	(void)nalgos;
	pthread_mutex_lock(&pair_lock);
	tls_pair *t = current;
	pthread_mutex_unlock(&pair_lock);
	if (!t)
		return -1;
	*pcert = t->pcerts;
	*npcert = t->n;
	*key = t->key;
	return 0;
}

void tls_server_free(void)
{
	pthread_mutex_lock(&pair_lock);
	tls_pair *t = current;
	current = NULL;
	pthread_mutex_unlock(&pair_lock);
	while (t) {
		tls_pair *prev = t->prev;
		pair_free(t);
		t = prev;
	}
}

/* ---- session tickets ----
 *
 * A client that comes back (a browser opens a new connection every few
 * seconds: the server cuts idle ones after 10 s) resumes its TLS session
 * from a ticket instead of a full handshake (no certificate, no ECDSA
 * signature; the key exchange is still ephemeral ECDHE). The ticket is the
 * session's state encrypted under a key only this process holds: GnuTLS
 * derives the key that encrypts tickets from the master key below, anew
 * every three ticket lifetimes, and the master key itself is made at
 * start, replaced once it is TLS_TICKET_MASTER_S old (tls_tickets_age,
 * from the server's main loop) and by tls_tickets_renew (a certificate
 * reload), and never written anywhere: a restart, a reload or the
 * replacement ends every ticket. What a
 * resumed session may do is what the full one could: the priorities are
 * the daemon's (TLS 1.2 and 1.3), renegotiation stays refused, early data
 * (0-RTT, replayable) is not accepted (GnuTLS takes none unless told), and
 * the client certificate restored from the ticket is verified and looked
 * up on every request as before (tls_client_cert). */

#define TLS_TICKET_MASTER_S (24 * 3600)

static pthread_mutex_t ticket_lock = PTHREAD_MUTEX_INITIALIZER;
static gnutls_datum_t ticket_key;  /* the master key; data NULL: none */
static int64_t ticket_made;        /* when (monotonic ms) */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Replaces the master key (the lock held); the old one is wiped. */
static int ticket_key_new(void)
{
	gnutls_datum_t k = { NULL, 0 };
	int rc = gnutls_session_ticket_key_generate(&k);
	if (rc < 0)
		return rc;
	if (ticket_key.data) {
		gnutls_memset(ticket_key.data, 0, ticket_key.size);
		gnutls_free(ticket_key.data);
	}
	ticket_key = k;
	ticket_made = mono_ms();
	return 0;
}

int tls_tickets_renew(bt_err *e)
{
	pthread_mutex_lock(&ticket_lock);
	int rc = ticket_key_new();
	pthread_mutex_unlock(&ticket_lock);
	if (rc < 0)
		return bt_fail(e, BT_EFAIL, "cannot make a session ticket key (%s)", gnutls_strerror(rc));
	return BT_OK;
}

int tls_tickets_age(unsigned period_s, void (*log)(const char *line))
{
	int64_t period = (period_s ? (int64_t)period_s : TLS_TICKET_MASTER_S) * 1000;
	int rc = 0;
	char line[200];
	pthread_mutex_lock(&ticket_lock);
	if (!ticket_key.data || mono_ms() - ticket_made < period) {
		pthread_mutex_unlock(&ticket_lock);
		return 0;
	}
	if ((rc = ticket_key_new()) < 0) { /* the old key serves on */
		snprintf(line, sizeof line, "tls: the session tickets' key stays past its age: cannot make"
			 " one (%s)", gnutls_strerror(rc));
		ticket_made = mono_ms(); /* tried again a period later, not at once */
	} else {
		snprintf(line, sizeof line, "tls: the session tickets' key replaced after %lld s (sessions from"
			 " before resume no more)", (long long)(period / 1000));
	}
	/* said under the lock: a connection that takes the new key began
	 * after the line was written (96-tls-resume.t relies on it) */
	if (log)
		log(line);
	pthread_mutex_unlock(&ticket_lock);
	return rc < 0 ? -1 : 1;
}

int tls_tickets_enable(gnutls_session_t s)
{
	int rc = 0;
	gnutls_db_set_cache_expiration(s, TLS_TICKET_LIFETIME_S);
	pthread_mutex_lock(&ticket_lock);
	/* GnuTLS copies the key into the session */
	if (ticket_key.data)
		rc = gnutls_session_ticket_enable_server(s, &ticket_key);
	pthread_mutex_unlock(&ticket_lock);
	return rc < 0 ? -1 : 0;
}

void tls_tickets_free(void)
{
	pthread_mutex_lock(&ticket_lock);
	if (ticket_key.data) {
		gnutls_memset(ticket_key.data, 0, ticket_key.size);
		gnutls_free(ticket_key.data);
	}
	ticket_key.data = NULL;
	ticket_key.size = 0;
	pthread_mutex_unlock(&ticket_lock);
}
