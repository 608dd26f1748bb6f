/* conn.h - the connection guard (conn.c): deadlines for the TLS handshake
 * and request heads, a soft limit that drops the longest-waiting idle
 * connection, a limit per address, and libmicrohttpd's log lines. */
#ifndef BALLOT_PORTAL_CONN_H
#define BALLOT_PORTAL_CONN_H

#include <microhttpd.h>
#include <stdarg.h>
#include <stddef.h>
#include "ballot/err.h"

/* Every connection must finish its TLS handshake and request head within
 * PORTAL_CONN_DEADLINE seconds of opening; between requests, the next head
 * within as long after the last answer was sent. Only a signed-in request
 * that is being read or answered has no such deadline (libmicrohttpd's idle
 * timeout still applies). Past it the connection is shut down.
 * 10 s: a TLS handshake and a request head are two or three round trips
 * and a few hundred bytes, under a second on any working link and 2-3 s
 * with a satellite hop or a lost packet (TCP's first retransmission waits
 * 1 s), so a real client is never cut; while 1 024 slots held 10 s at most
 * make an attacker reopen 100 connections a second to keep them all.
 * At most PORTAL_CONN_SOFT connections stay open: each one beyond makes
 * the guard drop the one that has waited longest for a request head (its
 * first, or kept alive its next), never a signed-in request being
 * answered; so a new client always gets in. PORTAL_CONN_PER_ADDR per
 * address (IPv6: per /64), refused beyond. */
#define PORTAL_CONN_SOFT 1024
#define PORTAL_CONN_HARD (PORTAL_CONN_SOFT + 256) /* libmicrohttpd's limit */
#define PORTAL_CONN_PER_ADDR 128
#define PORTAL_CONN_DEADLINE 10
/* libmicrohttpd's memory per connection: the request head (request line
 * and headers: about 16 KiB fit, more is answered 431), the answer's
 * headers and the read buffer a body streams through. At most 32 KiB it
 * comes from malloc (libmicrohttpd maps a larger one and unmaps it with
 * each connection: page faults on first touch and TLB shootdowns across
 * the request threads, about a fifth of the server's CPU per reply). */
#define PORTAL_CONN_MEMORY (32 * 1024)

typedef struct pconn_limits {
	unsigned soft, hard, per_addr;
	unsigned deadline_ms;
} pconn_limits;

typedef struct pconns pconns;

/* Raises the open-file limit to what lim->hard connections need, or, when
 * the hard limit does not allow it, lowers lim to fit and writes a line
 * for the log to note (else note is ""); -1 then, 0 when it fits. */
int conns_fit_fd_limit(pconn_limits *lim, unsigned threads, char *note, size_t notelen);
/* The table (BT_EFAIL out of memory); log (may be NULL) takes the guard's
 * lines and libmicrohttpd's. conns_start starts the watchdog thread;
 * conns_stop stops and joins it; conns_free (after MHD_stop_daemon) logs
 * what is still suppressed and frees. */
int conns_new(pconns **out, const pconn_limits *lim, void (*log)(const char *line), bt_err *e);
int conns_start(pconns *g, bt_err *e);
void conns_stop(pconns *g);
void conns_free(pconns *g);
/* MHD_OPTION_NOTIFY_CONNECTION (cls: the pconns). */
void conns_notify(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_ConnectionNotificationCode toe);
/* A request's head is in (signed_in: it is answered without a deadline);
 * its answer is sent (the next head's deadline starts). Nothing when g is
 * NULL or the connection is not in the table (a daemon without the guard,
 * as the request fuzz harness runs it). */
void conns_request_begin(pconns *g, struct MHD_Connection *c, int signed_in);
void conns_request_done(pconns *g, struct MHD_Connection *c);
/* MHD_OPTION_EXTERNAL_LOGGER (cls: the pconns): "libmicrohttpd: ..." lines,
 * at most 20 at once and then 2 a second; the rest counted and reported in
 * one line at most every 10 s. */
void conns_log_mhd(void *cls, const char *fmt, va_list ap);

#endif
