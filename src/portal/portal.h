/* portal.h - the HTTPS reply portal (libmicrohttpd over GnuTLS).
 *
 * A front end like the command line: every change goes through the engine
 * (bt_reply_record_many, bt_consultation_close, ...) with the signed-in
 * actor ("portal:CHN", "portal:<user>") and the same transaction rules.
 * This header is all the command line sees (its serve command); the portal's
 * inside is drawn in floors in README.md, "Layout", one header per file.
 */
#ifndef BALLOT_PORTAL_H
#define BALLOT_PORTAL_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/ballot.h"

/* ---- starting the server ---- */

/* Request threads per core when portal_config.threads is 0 (the default). */
#define PORTAL_THREADS_PER_CORE 8

typedef struct portal_config {
	const char *db_path;
	const char *listen;     /* "ADDR:PORT", "[v6]:PORT"; NULL: 127.0.0.1:8443 */
	const char *cert_path;  /* server certificate chain (PEM) */
	const char *key_path;   /* its private key (PEM) */
	const char *client_ca;  /* CA of client certificates (PEM) or NULL */
	const bt_key *sign_key; /* signs the receipts the pages offer (threads
				   share it: bt_key_sign locks) */
	unsigned threads;       /* request threads; 0: PORTAL_THREADS_PER_CORE
				   per core, at most 64 */
	unsigned ticket_key_s;  /* the session tickets' key replaced this
				   often (s); 0: a day (tests shorten it) */
	int fixed_now;          /* use now instead of the clock (BALLOT_NOW) */
	bt_time now;
	volatile int *stop;     /* set by a signal handler to stop */
	volatile int *reload;   /* set by a signal handler (SIGHUP) to read the
				   certificate and key again; may be NULL */
	void (*ready)(const char *url); /* called once listening */
	void (*log)(const char *line);  /* one access-log line; no secrets */
	const char *portal_url; /* its public address (forms carry it in their
				   reply-code box: the scan reader lays them out so); NULL */
} portal_config;

/* Runs the server until *cfg->stop is set; each time *cfg->reload is set,
 * reads cert_path and key_path again for the handshakes that follow. BT_EINPUT for a bad listen
 * address, unreadable or mismatched certificate/key, a database that cannot
 * be opened or a wrong page template; BT_EFAIL when the server cannot start
 * (port in use). */
int portal_serve(const portal_config *cfg, bt_err *e);

#endif
