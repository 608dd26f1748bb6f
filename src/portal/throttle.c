/* throttle.c - sign-in throttling (throttle.h).
 *
 * What it must do: slow guessing down, and never refuse someone who brings
 * the right secret from an address that is not itself guessing. So nothing
 * here refuses a name for everyone; three kinds of record are kept:
 *
 *   address (IPv4, or the /64 of IPv6)  FREE_ADDR failures for any names,
 *                                       then the wait doubles 1 s .. 15 min;
 *                                       its attempts in flight are not
 *                                       counted (64 delegates behind one
 *                                       NAT signing in at once all go ahead)
 *   (address, name)                     FREE_PAIR failures, counting its
 *                                       attempts in flight (what bounds
 *                                       parallel guessing of one name),
 *                                       then the same; a success clears it
 *   name                                counts failures from everywhere;
 *                                       NAME_BUDGET of them put the name
 *                                       "under attack": then an address that
 *                                       has failed at all must wait 15 s, then
 *                                       30 s, ... (15 min at most) between
 *                                       attempts for it, while an address
 *                                       that has not failed goes straight on
 *                                       (its attempts in flight are not
 *                                       failures)
 *
 * An attempt is counted before its PBKDF2 runs: throttle_begin reserves it
 * (pending) under the lock, so parallel attempts at one name from one
 * address see it; throttle_end turns it into a failure or gives it back.
 * An address's attempts in flight count only once it is past its free
 * failures (a meeting room behind one address signs in at once; an address
 * in back-off gets one attempt at a time): parallel guesses at many names
 * from one address are bounded by the connections an address may hold
 * (128), once an hour at most: their failures then count. Failures are forgotten an hour after
 * the last one.
 *
 * The table: SLOTS records, found by a SipHash-2-4 of the key under a random
 * per-process key (no one outside can choose keys that share slots), in a
 * window of WINDOW slots. A record that is throttling (at or over its free
 * failures, or with an attempt in flight) is never evicted; a new record
 * takes a free or forgotten slot of its window, else the one of its window
 * that failed longest ago among those not throttling. When the whole window
 * is throttling, the new key is not recorded: its attempt goes ahead (a fresh
 * address with the right secret is never refused) and is counted in
 * throttle_unrecorded, while every throttled key stays throttled. Filling a
 * window that way needs the table nearly full of throttling records, some
 * 5 failures each within their back-off: a million PBKDF2 evaluations within
 * the hour, some twenty times what two cores can run.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/auth.h"
#include "portal/addr.h"
#include "portal/siphash.h"
#include "portal/throttle.h"

#define SLOTS PORTAL_THROTTLE_SLOTS
#define WINDOW PORTAL_THROTTLE_WINDOW
#define FREE_ADDR 10
#define FREE_PAIR 5
#define NAME_BUDGET 20
#define STEP_MS 1000            /* the first wait after the free failures */
#define ATTACK_STEP_MS 15000    /* ... for an address that failed, once a name is under attack */
#define MAX_WAIT_MS 900000
#define FORGET_MS 3600000
#define FAILS_MAX 100000        /* a count kept from growing for ever */

enum { K_ADDR, K_PAIR, K_NAME };

typedef struct rec {
	uint64_t tag[2];        /* the key's two keyed hashes; 0, 0: free */
	int32_t fails, pending;
	int64_t last;           /* the last failure, ms */
	int kind;
} rec;

struct pthrottle {
	pthread_mutex_t lock;
	unsigned char key[2][16];
	rec *v;
	uint64_t unrecorded;
};

int throttle_new(pthrottle **out, const unsigned char *key, bt_err *e)
{
	pthrottle *t = calloc(1, sizeof *t);
	if (!t || !(t->v = calloc(SLOTS, sizeof *t->v))) {
		free(t);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	if (key)
		memcpy(t->key, key, sizeof t->key);
	else if (bt_random(t->key, sizeof t->key, e)) {
		free(t->v);
		free(t);
		return BT_EFAIL;
	}
	pthread_mutex_init(&t->lock, NULL);
	*out = t;
	return BT_OK;
}

void throttle_free(pthrottle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->v);
	free(t);
}

static void tag_of(const pthrottle *t, const char *s, uint64_t tag[2])
{
	tag[0] = portal_siphash(t->key[0], s, strlen(s));
	tag[1] = portal_siphash(t->key[1], s, strlen(s));
	if (!tag[0] && !tag[1])
		tag[1] = 1;
}

static int free_of(int kind)
{
	return kind == K_ADDR ? FREE_ADDR : kind == K_PAIR ? FREE_PAIR : NAME_BUDGET;
}

static int forgotten(const rec *r, int64_t now)
{
	return r->pending == 0 && (r->fails == 0 || now - r->last >= FORGET_MS);
}

/* Throttling now: never evicted. */
static int holding(const rec *r, int64_t now)
{
	return !forgotten(r, now) && (r->pending > 0 || r->fails >= free_of(r->kind));
}

/* The record of tag, or NULL; create: make one (NULL when its window has
 * no room: every slot throttling). The caller holds the lock. */
static rec *get(pthrottle *t, const uint64_t tag[2], int kind, int64_t now, int create)
{
	size_t h = (size_t)(tag[0] % SLOTS);
	for (size_t i = 0; i < WINDOW; i++) {
		rec *r = &t->v[(h + i) % SLOTS];
		if (r->tag[0] == tag[0] && r->tag[1] == tag[1]) {
			if (forgotten(r, now))
				r->fails = 0;
			return r;
		}
	}
	if (!create)
		return NULL;
	rec *victim = NULL;
	for (size_t i = 0; i < WINDOW; i++) {
		rec *r = &t->v[(h + i) % SLOTS];
		if ((!r->tag[0] && !r->tag[1]) || forgotten(r, now)) {
			victim = r;
			break;
		}
		if (!holding(r, now) && (!victim || r->last < victim->last))
			victim = r;
	}
	if (!victim)
		return NULL;
	memset(victim, 0, sizeof *victim);
	victim->tag[0] = tag[0];
	victim->tag[1] = tag[1];
	victim->kind = kind;
	return victim;
}

/* Milliseconds r still makes an attempt wait: none for its first free
 * failures (counting those in flight when in_flight), then step, doubling
 * with each further one, from the last failure (or from now while one is
 * in flight and counted). */
static int64_t backoff(const rec *r, int free, int64_t step, int in_flight, int64_t now)
{
	if (!r)
		return 0;
	int64_t pending = in_flight ? r->pending : 0;
	int64_t f = (int64_t)r->fails + pending;
	if (f == 0 || f < free)
		return 0;
	int64_t n = f - free;
	int64_t w = n >= 20 ? MAX_WAIT_MS : step << n;
	if (w > MAX_WAIT_MS)
		w = MAX_WAIT_MS;
	int64_t left = (pending ? now : r->last) + w - now;
	return left > 0 ? left : 0;
}

static void keys(const pthrottle *t, const char *ip, const char *name, uint64_t tag[3][2])
{
	char addr[64], k[200];
	portal_addr_print(ip, addr, sizeof addr);
	snprintf(k, sizeof k, "a|%s", addr);
	tag_of(t, k, tag[K_ADDR]);
	snprintf(k, sizeof k, "p|%s|%s", addr, name);
	tag_of(t, k, tag[K_PAIR]);
	snprintf(k, sizeof k, "n|%s", name);
	tag_of(t, k, tag[K_NAME]);
}

int throttle_begin(pthrottle *t, const char *ip, const char *name, int64_t now, throttle_ticket *tk)
{
	memset(tk, 0, sizeof *tk);
	keys(t, ip, name, tk->tag);
	pthread_mutex_lock(&t->lock);
	rec *a = get(t, tk->tag[K_ADDR], K_ADDR, now, 0);
	rec *p = get(t, tk->tag[K_PAIR], K_PAIR, now, 0);
	rec *n = get(t, tk->tag[K_NAME], K_NAME, now, 0);
	/* an address's attempts in flight count once it is past its free
	 * failures: one attempt at a time after each wait, whatever the names */
	int64_t wait = backoff(a, FREE_ADDR, STEP_MS, a && a->fails >= FREE_ADDR, now), w;
	if ((w = backoff(p, FREE_PAIR, STEP_MS, 1, now)) > wait)
		wait = w;
	/* a name under attack: every attempt from an address that has failed
	 * costs a wait; one that has not goes ahead, even beside attempts of
	 * its own in flight (those are bounded by the free failures above) */
	if (n && n->fails + n->pending >= NAME_BUDGET && a && a->fails > 0) {
		if ((w = backoff(a, 1, ATTACK_STEP_MS, 0, now)) > wait)
			wait = w;
	}
	if (wait > 0) {
		pthread_mutex_unlock(&t->lock);
		return (int)((wait + 999) / 1000);
	}
	for (int k = 0; k < 3; k++) {
		rec *r = get(t, tk->tag[k], k, now, 1);
		if (r) {
			r->pending++;
			tk->held[k] = 1;
		} else {
			t->unrecorded++;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return 0;
}

void throttle_end(pthrottle *t, const throttle_ticket *tk, int ok, int64_t now)
{
	pthread_mutex_lock(&t->lock);
	for (int k = 0; k < 3; k++) {
		if (!tk->held[k])
			continue;
		/* in flight, so never evicted: still there */
		rec *r = get(t, tk->tag[k], k, now, 0);
		if (!r || r->pending <= 0)
			continue;
		r->pending--;
		if (ok == 0) {
			if (r->fails < FAILS_MAX)
				r->fails++;
			r->last = now;
		} else if (ok > 0 && k == K_PAIR) {
			r->fails = 0;
		}
	}
	pthread_mutex_unlock(&t->lock);
}

uint64_t throttle_unrecorded(pthrottle *t)
{
	pthread_mutex_lock(&t->lock);
	uint64_t n = t->unrecorded;
	pthread_mutex_unlock(&t->lock);
	return n;
}
