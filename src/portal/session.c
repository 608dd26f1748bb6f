/* session.c - sessions, CSRF tokens and sign-in throttling (portal.h).
 *
 * Sessions live in memory (a restart signs everyone out). The table is keyed
 * by the SHA-256 of the cookie token, so the tokens themselves are not kept
 * and a lookup leaks nothing useful through its timing; the final comparison
 * is constant-time. A session ends after PORTAL_SESSION_IDLE seconds without
 * a request or PORTAL_SESSION_LIFE seconds after sign-in, by the monotonic
 * clock (a fixed BALLOT_NOW does not freeze them).
 */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "portal/internal.h"

#define NSESS 16384   /* sessions kept at most */
#define NTHROTTLE 4096
#define PROBE 64      /* slots looked at for one token */
#define FREE_TRIES 5  /* failures before the back-off starts */
#define MAX_WAIT 900  /* longest back-off, seconds */

typedef struct sess_slot {
	int used;
	unsigned char key[32];  /* SHA-256 of the token */
	psession s;
	int64_t born, seen;
} sess_slot;

typedef struct thr_slot {
	char key[96];
	int fails;
	int64_t until, seen;
} thr_slot;

struct psessions {
	pthread_mutex_t lock;
	sess_slot *v;          /* NSESS, open addressing */
	thr_slot *t;           /* NTHROTTLE */
};

static int64_t mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

int sessions_new(psessions **out, bt_err *e)
{
	psessions *s = calloc(1, sizeof *s);
	if (!s || !(s->v = calloc(NSESS, sizeof *s->v)) || !(s->t = calloc(NTHROTTLE, sizeof *s->t))) {
		if (s)
			free(s->v);
		free(s);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return BT_OK;
}

void sessions_free(psessions *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s->v);
	free(s->t);
	free(s);
}

void portal_token(char out[65])
{
	unsigned char b[32];
	bt_err e;
	if (bt_random(b, sizeof b, &e))
		abort(); /* no randomness: nothing safe can be done */
	for (int i = 0; i < 32; i++) {
		static const char hx[] = "0123456789abcdef";
		out[2 * i] = hx[b[i] >> 4];
		out[2 * i + 1] = hx[b[i] & 15];
	}
	out[64] = '\0';
}

static void token_key(const char *token, unsigned char key[32])
{
	gnutls_hash_fast(GNUTLS_DIG_SHA256, token, strlen(token), key);
}

static int live(const sess_slot *sl, int64_t now)
{
	return sl->used && now - sl->seen < PORTAL_SESSION_IDLE && now - sl->born < PORTAL_SESSION_LIFE;
}

int session_create(psessions *s, const bt_identity *id, const char *cert_fp,
		   char token[65], psession *out)
{
	portal_token(token);
	unsigned char key[32];
	token_key(token, key);
	int64_t now = mono();
	pthread_mutex_lock(&s->lock);
	size_t h, i, oldest = 0;
	memcpy(&h, key, sizeof h);
	oldest = h % NSESS;
	for (i = 0; i < PROBE; i++) {
		size_t k = (h + i) % NSESS;
		if (!live(&s->v[k], now))
			break;
		if (s->v[k].seen < s->v[oldest].seen)
			oldest = k;
	}
	/* its neighbourhood full of live sessions: the least recently used goes */
	size_t k = i < PROBE ? (h + i) % NSESS : oldest;
	sess_slot *sl = &s->v[k];
	memset(sl, 0, sizeof *sl);
	sl->used = 1;
	memcpy(sl->key, key, 32);
	sl->born = sl->seen = now;
	sl->s.id = *id;
	portal_token(sl->s.csrf);
	snprintf(sl->s.cert_fp, sizeof sl->s.cert_fp, "%s", cert_fp ? cert_fp : "");
	*out = sl->s;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/* The slot of token, or NULL; the caller holds the lock. */
static sess_slot *find(psessions *s, const char *token, int64_t now)
{
	unsigned char key[32];
	token_key(token, key);
	size_t h;
	memcpy(&h, key, sizeof h);
	/* Linear probing may have placed it past expired or reused slots. */
	for (size_t i = 0; i < PROBE; i++) {
		sess_slot *sl = &s->v[(h + i) % NSESS];
		if (!sl->used)
			return NULL;
		if (bt_secret_equal(sl->key, key, 32))
			return live(sl, now) ? sl : NULL;
	}
	return NULL;
}

int session_find(psessions *s, const char *token, psession *out)
{
	int64_t now = mono();
	pthread_mutex_lock(&s->lock);
	sess_slot *sl = find(s, token, now);
	if (sl) {
		sl->seen = now;
		*out = sl->s;
	}
	pthread_mutex_unlock(&s->lock);
	return sl ? 0 : -1;
}

void session_drop(psessions *s, const char *token)
{
	pthread_mutex_lock(&s->lock);
	sess_slot *sl = find(s, token, mono());
	if (sl) {
		/* keep the slot used (so probing goes on past it) but dead */
		sl->born = sl->seen = INT64_MIN / 2;
		memset(&sl->s, 0, sizeof sl->s);
	}
	pthread_mutex_unlock(&s->lock);
}

/* ---- throttling ---- */

static thr_slot *thr_find(psessions *s, const char *key, int create)
{
	size_t h = 5381;
	for (const char *c = key; *c; c++)
		h = h * 33 + (unsigned char)*c;
	thr_slot *victim = NULL;
	for (size_t i = 0; i < 16; i++) {
		thr_slot *t = &s->t[(h + i) % NTHROTTLE];
		if (t->key[0] && !strcmp(t->key, key))
			return t;
		if (!victim || !t->key[0] || (victim->key[0] && t->seen < victim->seen))
			victim = t;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof *victim);
	snprintf(victim->key, sizeof victim->key, "%s", key);
	return victim;
}

int throttle_wait(psessions *s, const char *key)
{
	int64_t now = mono();
	pthread_mutex_lock(&s->lock);
	thr_slot *t = thr_find(s, key, 0);
	int wait = t && t->until > now ? (int)(t->until - now) : 0;
	pthread_mutex_unlock(&s->lock);
	return wait;
}

void throttle_fail(psessions *s, const char *key)
{
	int64_t now = mono();
	pthread_mutex_lock(&s->lock);
	thr_slot *t = thr_find(s, key, 1);
	/* failures are forgotten after an hour of quiet */
	if (now - t->seen > 3600)
		t->fails = 0;
	t->fails++;
	t->seen = now;
	if (t->fails >= FREE_TRIES) {
		int n = t->fails - FREE_TRIES;
		int64_t wait = n >= 10 ? MAX_WAIT : (int64_t)1 << n;
		t->until = now + (wait > MAX_WAIT ? MAX_WAIT : wait);
	}
	pthread_mutex_unlock(&s->lock);
}

void throttle_ok(psessions *s, const char *key)
{
	pthread_mutex_lock(&s->lock);
	thr_slot *t = thr_find(s, key, 0);
	if (t)
		memset(t, 0, sizeof *t);
	pthread_mutex_unlock(&s->lock);
}

int csrf_ok(preq *r, const char *token)
{
	const char *got = pform_get(&r->form, "csrf");
	size_t n = strlen(token);
	return n == 64 && strlen(got) == n && bt_secret_equal(got, token, n);
}
