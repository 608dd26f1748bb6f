/* conn.c - the connection guard (conn.h): libmicrohttpd's connections
 * kept in a table of our own, each under an absolute deadline for its TLS
 * handshake and request head, the one waiting longest dropped when the
 * server is full so that a new client always gets in, and libmicrohttpd's
 * own error lines throttled.
 *
 * How it rides on libmicrohttpd 0.9.75 (checked in its daemon.c):
 * - MHD_OPTION_NOTIFY_CONNECTION calls conns_notify with STARTED once a
 *   connection is accepted (after the per-address check) and with CLOSED
 *   before the socket is closed (MHD_cleanup_connections, and the failure
 *   path of new_connection_process_ alike), so while a slot is in the table
 *   its descriptor is open and is this connection's: shutdown() under the
 *   table's lock never reaches a reused descriptor.
 * - shutdown(fd, SHUT_RDWR) wakes the connection's worker (its poll
 *   reports the hang-up); the next read gives 0 and libmicrohttpd closes the
 *   connection itself, as MHD_stop_daemon does.
 * - With a thread pool libmicrohttpd splits MHD_OPTION_CONNECTION_LIMIT
 *   between its workers; a worker at its share stops taking connections
 *   from the listening socket while the others go on. So its limit is the
 *   guard's "hard" one, above the soft limit kept here: while fewer than
 *   "hard" connections are open some worker accepts, and each connection
 *   over "soft" makes the guard drop one.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include "portal/conn.h"
#include "portal/addr.h"

#define TICK_MS 250             /* how often the watchdog looks */
#define SUMMARY_MS 10000        /* at most one summary line per 10 s */
#define MHD_LINES_BURST 20      /* libmicrohttpd lines logged at once */
#define MHD_LINES_PER_S 2       /* and then each second */

typedef struct pconn {
	struct pconn *next_free;
	int used;
	int fd;
	int cut;               /* shut down here; libmicrohttpd closes it */
	int busy;              /* a signed-in request is being answered */
	int64_t since;         /* ms: opened, or its last answer sent */
	unsigned char addr[16];/* its address (IPv4 as ::ffff:a.b.c.d, IPv6
				  only its /64) */
} pconn;

struct pconns {
	pconn_limits lim;
	void (*log)(const char *line);
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int running, stopping;
	pconn *slots, *free;
	unsigned open;         /* in the table and not cut */
	/* since the last summary line */
	unsigned long n_deadline, n_dropped, n_addr, n_full;
	int64_t summary_at;
	/* libmicrohttpd's lines: a token bucket */
	pthread_mutex_t log_lock;
	double tokens;
	int64_t tokens_at;
	unsigned long suppressed;
	int64_t suppressed_since;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The address a connection is counted under (portal_addr_group, the rule
 * sign-in throttling counts by too). */
static void addr_key(const struct sockaddr *sa, unsigned char key[16])
{
	memset(key, 0, 16);
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		memcpy(key, ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr, 16);
		portal_addr_group(key);
	}
}

/* Shuts a connection down (the lock held). */
static void cut(pconns *g, pconn *s)
{
	shutdown(s->fd, SHUT_RDWR);
	s->cut = 1;
	g->open--;
}

/* The connection to drop for a new one (the lock held): of those not
 * answering a signed-in request, the one that has waited longest for a
 * request, its first or (kept alive) its next. Not "first those that never
 * completed one": a client that completes a cheap request now and then on
 * each of its connections would then have every reconnection of its own
 * drop the newcomer still in its TLS handshake. */
static pconn *victim(pconns *g, const pconn *except)
{
	pconn *best = NULL;
	for (unsigned i = 0; i < g->lim.hard; i++) {
		pconn *s = &g->slots[i];
		if (!s->used || s->cut || s->busy || s == except)
			continue;
		if (!best || s->since < best->since)
			best = s;
	}
	return best;
}

void conns_notify(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_ConnectionNotificationCode toe)
{
	pconns *g = cls;
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		pconn *s = *ctx;
		if (!s)
			return;
		pthread_mutex_lock(&g->lock);
		if (!s->cut)
			g->open--;
		s->used = 0;
		s->next_free = g->free;
		g->free = s;
		pthread_mutex_unlock(&g->lock);
		*ctx = NULL;
		return;
	}
	if (toe != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	const union MHD_ConnectionInfo *fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ai = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	*ctx = NULL;
	if (!fi)
		return;
	pthread_mutex_lock(&g->lock);
	pconn *s = g->free;
	if (!s) {
		/* more than libmicrohttpd's own limit: cannot happen */
		shutdown(fi->connect_fd, SHUT_RDWR);
		g->n_full++;
		pthread_mutex_unlock(&g->lock);
		return;
	}
	g->free = s->next_free;
	memset(s, 0, sizeof *s);
	s->used = 1;
	s->fd = fi->connect_fd;
	s->since = mono_ms();
	addr_key(ai ? ai->client_addr : NULL, s->addr);
	g->open++;
	*ctx = s;
	unsigned same = 0;
	for (unsigned i = 0; i < g->lim.hard; i++)
		same += g->slots[i].used && !g->slots[i].cut && !memcmp(g->slots[i].addr, s->addr, 16);
	if (same > g->lim.per_addr) {
		cut(g, s);
		g->n_addr++;
	} else if (g->open > g->lim.soft) {
		pconn *v = victim(g, s);
		if (v) {
			cut(g, v);
			g->n_dropped++;
		} else {
			cut(g, s);  /* every other one is answering a signed-in request */
			g->n_full++;
		}
	}
	pthread_mutex_unlock(&g->lock);
}

static pconn *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

void conns_request_begin(pconns *g, struct MHD_Connection *c, int signed_in)
{
	pconn *s = g ? slot_of(c) : NULL;
	if (!s || !signed_in)
		return;
	pthread_mutex_lock(&g->lock);
	s->busy = 1;
	pthread_mutex_unlock(&g->lock);
}

void conns_request_done(pconns *g, struct MHD_Connection *c)
{
	pconn *s = g ? slot_of(c) : NULL;
	if (!s)
		return;
	pthread_mutex_lock(&g->lock);
	s->busy = 0;
	s->since = mono_ms();
	pthread_mutex_unlock(&g->lock);
}

/* ---- libmicrohttpd's lines ---- */

void conns_log_mhd(void *cls, const char *fmt, va_list ap)
{
	pconns *g = cls;
	char line[512];
	int n = snprintf(line, sizeof line, "libmicrohttpd: ");
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	for (char *q = line; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
	int64_t now = mono_ms();
	pthread_mutex_lock(&g->log_lock);
	g->tokens += (double)(now - g->tokens_at) * MHD_LINES_PER_S / 1000.0;
	if (g->tokens > MHD_LINES_BURST)
		g->tokens = MHD_LINES_BURST;
	g->tokens_at = now;
	int show = g->tokens >= 1.0;
	if (show) {
		g->tokens -= 1.0;
	} else {
		if (!g->suppressed)
			g->suppressed_since = now;
		g->suppressed++;
	}
	pthread_mutex_unlock(&g->log_lock);
	if (show && g->log)
		g->log(line);
}

/* Logs how many lines were suppressed, once SUMMARY_MS after the first
 * (or now, when final). */
static void log_suppressed(pconns *g, int final)
{
	int64_t now = mono_ms();
	char line[200] = "";
	pthread_mutex_lock(&g->log_lock);
	if (g->suppressed && (final || now - g->suppressed_since >= SUMMARY_MS)) {
		snprintf(line, sizeof line,
			 "libmicrohttpd: %lu more lines suppressed in the last %.0f s (at most %d at once, then %d a second)",
			 g->suppressed, (double)(now - g->suppressed_since) / 1000.0, MHD_LINES_BURST,
			 MHD_LINES_PER_S);
		g->suppressed = 0;
	}
	pthread_mutex_unlock(&g->log_lock);
	if (line[0] && g->log)
		g->log(line);
}

/* ---- the watchdog ---- */

/* Logs what the guard did since the last such line, at most once per
 * SUMMARY_MS (or now, when final); nothing when it did nothing. */
static void log_summary(pconns *g, int final)
{
	char line[300] = "";
	int64_t now = mono_ms();
	pthread_mutex_lock(&g->lock);
	if (final || now - g->summary_at >= SUMMARY_MS) {
		if (g->n_deadline || g->n_dropped || g->n_addr || g->n_full)
			snprintf(line, sizeof line,
				 "connections: %u open; in the last %.0f s %lu cut at the %u s deadline, "
				 "%lu dropped to make room (over %u), %lu over the per-address cap of %u, "
				 "%lu refused (all busy)",
				 g->open, (double)(now - g->summary_at) / 1000.0, g->n_deadline,
				 g->lim.deadline_ms / 1000, g->n_dropped, g->lim.soft, g->n_addr,
				 g->lim.per_addr, g->n_full);
		g->n_deadline = g->n_dropped = g->n_addr = g->n_full = 0;
		g->summary_at = now;
	}
	pthread_mutex_unlock(&g->lock);
	if (line[0] && g->log)
		g->log(line);
}

static void *watchdog(void *arg)
{
	pconns *g = arg;
	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		int64_t now = mono_ms();
		for (unsigned i = 0; i < g->lim.hard; i++) {
			pconn *s = &g->slots[i];
			if (s->used && !s->cut && !s->busy && now - s->since >= (int64_t)g->lim.deadline_ms) {
				cut(g, s);
				g->n_deadline++;
			}
		}
		pthread_mutex_unlock(&g->lock);
		log_summary(g, 0);
		log_suppressed(g, 0);
		pthread_mutex_lock(&g->lock);
		if (g->stopping)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &ts);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* ---- life cycle ---- */

int conns_fit_fd_limit(pconn_limits *lim, unsigned threads, char *note, size_t notelen)
{
	/* besides connections: the listening socket and a wake-up pipe
	 * per worker, SQLite's database, journal and shared
	 * memory per request thread, standard streams, key files */
	rlim_t reserve = 64 + 8 * (rlim_t)threads;
	rlim_t need = lim->hard + reserve;
	struct rlimit rl;
	note[0] = '\0';
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		struct rlimit up = rl;
		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
		if (!setrlimit(RLIMIT_NOFILE, &up))
			rl = up;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		unsigned hard = rl.rlim_cur > reserve + 20 ? (unsigned)(rl.rlim_cur - reserve) : 20;
		lim->soft = hard * 4 / 5;
		lim->hard = hard;
		if (lim->per_addr > lim->soft)
			lim->per_addr = lim->soft;
		snprintf(note, notelen,
			 "connections: the open-file limit (%llu) leaves room for %u connections, not %u; "
			 "raise it (ulimit -n, LimitNOFILE=) to at least %llu",
			 (unsigned long long)rl.rlim_cur, lim->soft, PORTAL_CONN_SOFT,
			 (unsigned long long)need);
		return -1;
	}
	return 0;
}

int conns_new(pconns **out, const pconn_limits *lim, void (*log)(const char *line), bt_err *e)
{
	*out = NULL;
	pconns *g = calloc(1, sizeof *g);
	if (!g)
		return bt_fail(e, BT_EFAIL, "out of memory");
	g->slots = calloc(lim->hard, sizeof *g->slots);
	if (!g->slots) {
		free(g);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	g->lim = *lim;
	g->log = log;
	for (unsigned i = lim->hard; i-- > 0;) {
		g->slots[i].next_free = g->free;
		g->free = &g->slots[i];
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_mutex_init(&g->log_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &ca);
	pthread_condattr_destroy(&ca);
	g->tokens = MHD_LINES_BURST;
	g->tokens_at = g->summary_at = mono_ms();
	*out = g;
	return BT_OK;
}

int conns_start(pconns *g, bt_err *e)
{
	int rc = pthread_create(&g->thread, NULL, watchdog, g);
	if (rc)
		return bt_fail(e, BT_EFAIL, "cannot start the connection watchdog (%s)", strerror(rc));
	g->running = 1;
	return BT_OK;
}

void conns_stop(pconns *g)
{
	if (!g || !g->running)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = 1;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	g->running = 0;
}

void conns_free(pconns *g)
{
	if (!g)
		return;
	conns_stop(g);
	log_summary(g, 1);
	log_suppressed(g, 1);
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->log_lock);
	pthread_mutex_destroy(&g->lock);
	free(g->slots);
	free(g);
}
