/* serve.c - the server's start and stop (portal.h): the listening address,
 * TLS material, the tables, libmicrohttpd's daemon with its thread pool,
 * and the wait for the stop signal. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "portal/conn.h"
#include "portal/returned.h"
#include "portal/portal.h"
#include "portal/request.h"
#include "portal/server.h"
#include "portal/session.h"
#include "portal/throttle.h"
#include "portal/tls.h"
#include "portal/words.h"

static int parse_listen(const char *s, struct sockaddr_storage *ss, int *v6, bt_err *e)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || strlen(s) >= sizeof host)
		return bt_fail(e, BT_EINPUT, "--listen: '%s' is not ADDR:PORT", s);
	long port = 0;
	char *end;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 || end == colon + 1)
		return bt_fail(e, BT_EINPUT, "--listen: '%s' has no port 1-65535", s);
	size_t hl = (size_t)(colon - s);
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof *ss);
	if (host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return bt_fail(e, BT_EINPUT, "--listen: '%s' is not an IPv6 address", host + 1);
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return BT_OK;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return bt_fail(e, BT_EINPUT, "--listen: '%s' is not an IPv4 address", host);
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	*v6 = 0;
	return BT_OK;
}

/* Reads the certificate and key again (SIGHUP) and gives them to new
 * handshakes, with a new session ticket key (no session begun under the
 * old certificate resumes); connections open keep theirs, the database and
 * portal sessions are not touched. A file that cannot be read or a pair
 * that does not match leaves the pair and tickets in use. Says which in
 * the log. */
static void reload_certificates(const portal_config *cfg)
{
	bt_buf cert = BT_BUF_INIT, key = BT_BUF_INIT;
	bt_err e;
	char line[700];
	if (bt_file_read(cfg->cert_path, "--cert", 1024 * 1024, &cert, &e) ||
	    bt_file_read(cfg->key_path, "--key", 1024 * 1024, &key, &e) ||
	    tls_server_load(&cert, &key, cfg->cert_path, cfg->key_path, &e))
		snprintf(line, sizeof line, "tls: reload refused, the certificate in use stays: %s", e.msg);
	else if (tls_tickets_renew(&e))
		snprintf(line, sizeof line, "tls: certificate reloaded from %s; the session tickets' key stays: %s",
			 cfg->cert_path, e.msg);
	else
		snprintf(line, sizeof line, "tls: certificate reloaded from %s (sessions resume no more: a new"
			 " ticket key)", cfg->cert_path);
	if (cfg->log)
		cfg->log(line);
	bt_buf_release(&cert);
	bt_buf_release(&key);
}

/* The files the portal serves with: the listen address, the TLS
 * certificate and key, the client CA (checked), the signing key, the
 * database's caps, the words, and the session, returned-form and throttle
 * tables. */
static int portal_prepare(struct portal *p, const portal_config *cfg, struct sockaddr_storage *ss,
			  int *v6, bt_buf *ca, bt_err *e)
{
	bt_buf cert = BT_BUF_INIT, key = BT_BUF_INIT;
	const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:8443";
	bt_db *db = NULL;
	int rc;

	pthread_mutex_init(&p->lock, NULL);
	p->db_path = cfg->db_path;
	p->fixed_now = cfg->fixed_now;
	p->now = cfg->now;
	p->log = cfg->log;
	p->portal_url = cfg->portal_url;
	if ((rc = parse_listen(listen, ss, v6, e)) ||
	    (rc = bt_file_read(cfg->cert_path, "--cert", 1024 * 1024, &cert, e)) ||
	    (rc = bt_file_read(cfg->key_path, "--key", 1024 * 1024, &key, e)) ||
	    (cfg->client_ca && (rc = bt_file_read(cfg->client_ca, "--client-ca", 4 * 1024 * 1024, ca, e))) ||
	    (rc = tls_server_load(&cert, &key, cfg->cert_path, cfg->key_path, e)) ||
	    (rc = tls_tickets_renew(e)) ||
	    (cfg->client_ca && (rc = tls_check_ca(ca, cfg->client_ca, e))))
		goto out;
	p->client_ca = cfg->client_ca != NULL;
	if (!cfg->sign_key) {
		rc = bt_fail(e, BT_EINPUT, "--sign-key: the portal needs the signing key");
		goto out;
	}
	p->sign_key = cfg->sign_key;
	/* the database must open now, not at the first request */
	if ((rc = bt_db_open(p->db_path, 0, &db, e)))
		goto out;
	p->attachment_max = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	bt_db_close(db);
	p->body_max = 2 * (uint64_t)p->attachment_max + 64 * 1024;
	if ((rc = portal_words_load(p, e)) || (rc = sessions_new(&p->sessions, e)) ||
	    (rc = returned_new(&p->returned, PORTAL_RETURNED_BYTES_MAX, e)) ||
	    (rc = throttle_new(&p->throttle, NULL, e)))
		goto out;
out:
	bt_buf_release(&cert);
	bt_buf_release(&key);
	return rc;
}

/* A connection accepted (before its TLS handshake: libmicrohttpd 0.9.75
 * calls this once its GnuTLS session is set up) or closed: the session may
 * resume from, and is given, a session ticket; the connection guard counts
 * it. */
static void portal_notify(void *cls, struct MHD_Connection *c, void **ctx,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct portal *p = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		if (ci && ci->tls_session)
			tls_tickets_enable((gnutls_session_t)ci->tls_session);
	}
	conns_notify(p->conns, c, ctx, toe);
}

/* libmicrohttpd's daemon over GnuTLS on ss with the portal's handler, the
 * connection guard's limits and, when client certificates are taken, the
 * client CA; NULL when it cannot listen. */
static struct MHD_Daemon *portal_daemon(struct portal *p, const portal_config *cfg,
					struct sockaddr_storage *ss, int v6,
					const bt_buf *ca, unsigned threads,
					const pconn_limits *lim)
{
	/* poll, not epoll: libmicrohttpd 0.9.75's epoll loop keeps a connection
	 * whose TLS handshake read nothing (EAGAIN inside GnuTLS) marked ready
	 * and spins on it until the client's next flight arrives (with 16
	 * threads ~100 recv and 75 epoll_wait a reply, 0.83 ms of CPU a reply
	 * against 0.64 with poll) */
	unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
	if (v6)
		flags |= MHD_USE_IPv6;
	/* TLS 1.2 and 1.3 only; no plaintext port. AEAD ciphers only (no CBC
	 * with its SHA-1 MAC, which NORMAL still offers in TLS 1.2), and only
	 * key exchanges with forward secrecy (no static RSA). X25519 first:
	 * what browsers send a key share for (NORMAL's P-256 first made the
	 * server ask again, a HelloRetryRequest, a round trip and a second
	 * ClientHello), and cheaper to compute; AES-128-GCM first (TLS 1.3's
	 * mandatory suite, its key schedule SHA-256 instead of SHA-384). */
	const char *prio = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"
			   "-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
			   "-MAC-ALL:+AEAD:-RSA:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:"
			   "+GROUP-SECP384R1:+GROUP-SECP521R1:+GROUP-X448:+GROUP-FFDHE2048:"
			   "+GROUP-FFDHE3072:+GROUP-FFDHE4096:+GROUP-FFDHE6144:+GROUP-FFDHE8192:"
			   "%SERVER_PRECEDENCE";
	/* a client CA only when client certificates are taken */
	struct MHD_OptionItem trust[] = { { MHD_OPTION_HTTPS_MEM_TRUST, 0, ca->data },
					  { MHD_OPTION_END, 0, NULL } };
	if (!cfg->client_ca)
		trust[0].option = MHD_OPTION_END;
	return MHD_start_daemon(flags, 0, NULL, NULL, portal_handler, p,
				MHD_OPTION_EXTERNAL_LOGGER, conns_log_mhd, p->conns,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
				/* the certificate from tls.c, so that SIGHUP can
				   replace it (reload_certificates) */
				MHD_OPTION_HTTPS_CERT_CALLBACK, tls_server_retrieve,
				MHD_OPTION_HTTPS_PRIORITIES, prio,
				MHD_OPTION_THREAD_POOL_SIZE, threads,
				/* above the guard's soft limit, so that a new
				   connection gets in and the guard makes room */
				MHD_OPTION_CONNECTION_LIMIT, lim->hard,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->per_addr,
				/* idle: a signed-in request's body or answer */
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)PORTAL_CONN_MEMORY,
				MHD_OPTION_NOTIFY_COMPLETED, portal_finish, p,
				MHD_OPTION_NOTIFY_CONNECTION, portal_notify, p,
				MHD_OPTION_ARRAY, trust, MHD_OPTION_END);
}

/* Serves until *cfg->stop, reloading the certificates on *cfg->reload and
 * replacing the tickets' key when it is due. */
static void portal_wait(const portal_config *cfg)
{
	while (!*cfg->stop) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		if (cfg->reload && *cfg->reload) {
			*cfg->reload = 0;
			reload_certificates(cfg);
		}
		tls_tickets_age(cfg->ticket_key_s, cfg->log);
	}
}

/* PORTAL_THREADS_PER_CORE request threads per core, at most 64: most of
 * a reply's time is its commit's fdatasync, and more threads share one
 * (store/group.c: at most one reply per request thread). Sixteen on two
 * cores made 4.3 replies per commit against 1.2 with four (resumed
 * replies, a loaded disk), at the same CPU per reply. (Sign-ins in flight
 * no longer count against an address: throttle.c.) */
static unsigned default_threads(void)
{
	long nc = sysconf(_SC_NPROCESSORS_ONLN);
	if (nc < 1)
		nc = 1;
	return nc < 64 / PORTAL_THREADS_PER_CORE ? (unsigned)(PORTAL_THREADS_PER_CORE * nc) : 64;
}

int portal_serve(const portal_config *cfg, bt_err *e)
{
	struct portal *p = calloc(1, sizeof *p);
	const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:8443";
	bt_buf ca = BT_BUF_INIT;
	struct MHD_Daemon *d = NULL;
	struct sockaddr_storage ss;
	unsigned threads = cfg->threads;
	int v6 = 0, rc;

	if (!p)
		return bt_fail(e, BT_EFAIL, "out of memory");
	if ((rc = portal_prepare(p, cfg, &ss, &v6, &ca, e)))
		goto out;
	if (!threads)
		threads = default_threads();
	if (threads > 64)
		threads = 64;
	/* the connection guard (conn.c), with the open files it needs */
	pconn_limits lim = { PORTAL_CONN_SOFT, PORTAL_CONN_HARD, PORTAL_CONN_PER_ADDR,
			     PORTAL_CONN_DEADLINE * 1000 };
	char note[300];
	if (conns_fit_fd_limit(&lim, threads, note, sizeof note) && p->log)
		p->log(note);
	if ((rc = conns_new(&p->conns, &lim, p->log, e)))
		goto out;
	d = portal_daemon(p, cfg, &ss, v6, &ca, threads, &lim);
	if (!d) {
		rc = bt_fail(e, BT_EFAIL, "--listen: cannot listen on %s (in use, or not an address of this machine)",
			     listen);
		goto out;
	}
	if ((rc = conns_start(p->conns, e)))
		goto out;
	if (cfg->ready) {
		char url[160];
		snprintf(url, sizeof url, "https://%s/", listen);
		cfg->ready(url);
	}
	portal_wait(cfg);
	rc = BT_OK;
out:
	conns_stop(p->conns);
	if (d)
		MHD_stop_daemon(d);
	conns_free(p->conns);
	tls_server_free();
	tls_tickets_free();
	for (size_t i = 0; i < p->ndbs; i++)
		bt_db_close(p->dbs[i]);
	portal_words_free(p);
	sessions_free(p->sessions);
	returned_free(p->returned);
	throttle_free(p->throttle);
	bt_buf_release(&ca);
	pthread_mutex_destroy(&p->lock);
	free(p);
	return rc;
}
