/* session.c - sessions and their random tokens (session.h).
 *
 * Sessions live in memory (a restart signs everyone out). An entry is found
 * by the SHA-256 of its cookie token, so the tokens themselves are not kept
 * and a lookup leaks nothing useful through its timing; the final comparison
 * is constant-time. A session ends after PORTAL_SESSION_IDLE seconds without
 * a request or PORTAL_SESSION_LIFE seconds after sign-in, by the monotonic
 * clock (a fixed BALLOT_NOW does not freeze them).
 *
 * No one can sign anyone else out by opening sessions: a client certificate
 * has one session (found again by its fingerprint, with a new cookie token,
 * when a request comes without the cookie); an identity (a member, a staff
 * account) has at most PORTAL_SESSIONS_PER_ID, and one more ends its own
 * oldest; and a session is never evicted for another identity's: when all
 * PORTAL_SESSIONS_MAX are live, a new one is refused (503) until some end.
 * Entries are chained twice: by token and by identity (a SipHash-2-4 of it
 * under a per-process key, so no one can choose identities that share a
 * chain).
 */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "portal/session.h"
#include "portal/siphash.h"

#define NBUCKET 16384   /* chains of each kind; a power of two */

/* A form token of a session (session_once_*). */
typedef struct once_slot {
	int state;                 /* 0 free, 1 issued, 2 in use, 3 spent */
	char tok[65];
	char form[PORTAL_ONCE_FORM];
	char loc[PORTAL_ONCE_LOC]; /* spent: the first outcome */
	int64_t at;                /* issued or spent, ms */
} once_slot;

/* A secret shown once (session_keep). */
typedef struct kept_slot {
	char handle[33];           /* "" when free */
	char value[PORTAL_KEPT_VALUE];
	int64_t at;                /* kept, ms */
} kept_slot;

typedef struct sess_slot {
	int32_t next_tok, next_id; /* the chains; -1 ends them */
	int used;
	unsigned char key[32];     /* SHA-256 of the token */
	char ident[80];            /* "m:CHN" or "u:name" */
	uint32_t idb;              /* its identity chain */
	psession s;
	int64_t born, seen;        /* ms, monotonic */
	once_slot *once;           /* PORTAL_ONCE_PER_SESSION, made on first use */
	kept_slot *kept;           /* PORTAL_KEPT_PER_SESSION, made on first use */
} sess_slot;

struct psessions {
	pthread_mutex_t lock;
	pthread_cond_t once_cv;    /* a form token left use */
	unsigned char hkey[16];
	sess_slot *v;              /* PORTAL_SESSIONS_MAX */
	int32_t *tok, *ids;        /* NBUCKET chain heads each */
	int32_t free_head;         /* unused slots, chained by next_tok */
};

int64_t portal_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sessions_new(psessions **out, bt_err *e)
{
	psessions *s = calloc(1, sizeof *s);
	if (!s || !(s->v = calloc(PORTAL_SESSIONS_MAX, sizeof *s->v)) ||
	    !(s->tok = malloc(NBUCKET * sizeof *s->tok)) || !(s->ids = malloc(NBUCKET * sizeof *s->ids))) {
		if (s) {
			free(s->v);
			free(s->tok);
		}
		free(s);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->once_cv, NULL);
	if (bt_random(s->hkey, sizeof s->hkey, e)) {
		sessions_free(s);
		return BT_EFAIL;
	}
	for (int32_t i = 0; i < NBUCKET; i++)
		s->tok[i] = s->ids[i] = -1;
	for (int32_t i = 0; i < PORTAL_SESSIONS_MAX; i++)
		s->v[i].next_tok = i + 1 < PORTAL_SESSIONS_MAX ? i + 1 : -1;
	s->free_head = 0;
	*out = s;
	return BT_OK;
}

void sessions_free(psessions *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->once_cv);
	for (int32_t i = 0; s->v && i < PORTAL_SESSIONS_MAX; i++) {
		free(s->v[i].once);
		if (s->v[i].kept)
			explicit_bzero(s->v[i].kept, PORTAL_KEPT_PER_SESSION * sizeof *s->v[i].kept);
		free(s->v[i].kept);
	}
	free(s->v);
	free(s->tok);
	free(s->ids);
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

static uint32_t tok_bucket(const unsigned char key[32])
{
	return ((uint32_t)key[0] | (uint32_t)key[1] << 8 | (uint32_t)key[2] << 16) % NBUCKET;
}

static void ident_of(const bt_identity *id, char out[80])
{
	snprintf(out, 80, "%s:%s", id->role == BT_ROLE_MEMBER ? "m" : "u",
		 id->role == BT_ROLE_MEMBER ? id->member : id->user);
}

static int live(const sess_slot *sl, int64_t now)
{
	return sl->used && now - sl->seen < PORTAL_SESSION_IDLE * 1000LL &&
	       now - sl->born < PORTAL_SESSION_LIFE * 1000LL;
}

/* Removes slot i from the chain starting at *head linked through field
 * next_tok (tok) or next_id. */
static void unchain(psessions *s, int32_t *head, int32_t i, int tok)
{
	for (int32_t *p = head; *p >= 0; p = tok ? &s->v[*p].next_tok : &s->v[*p].next_id)
		if (*p == i) {
			*p = tok ? s->v[i].next_tok : s->v[i].next_id;
			return;
		}
}

static void tok_link(psessions *s, int32_t i)
{
	uint32_t b = tok_bucket(s->v[i].key);
	s->v[i].next_tok = s->tok[b];
	s->tok[b] = i;
}

/* Ends session i: out of both chains, onto the free list. */
static void release(psessions *s, int32_t i)
{
	sess_slot *sl = &s->v[i];
	unchain(s, &s->tok[tok_bucket(sl->key)], i, 1);
	unchain(s, &s->ids[sl->idb], i, 0);
	free(sl->once);
	if (sl->kept)
		explicit_bzero(sl->kept, PORTAL_KEPT_PER_SESSION * sizeof *sl->kept);
	free(sl->kept);
	memset(sl, 0, sizeof *sl);
	sl->next_id = -1;
	sl->next_tok = s->free_head;
	s->free_head = i;
}

/* Frees every session that has ended. */
static void sweep(psessions *s, int64_t now)
{
	for (int32_t i = 0; i < PORTAL_SESSIONS_MAX; i++)
		if (s->v[i].used && !live(&s->v[i], now))
			release(s, i);
}

/* The live sessions of identity ident (in bucket idb; ended ones freed on
 * the way): the slot of the session made for certificate cert_fp (NULL:
 * none), or -1 having counted the others into *n and found the oldest
 * (*oldest, or -1). The caller holds the lock. */
static int32_t ident_sessions(psessions *s, uint32_t idb, const char *ident, const char *cert_fp, int64_t now,
			      int32_t *oldest, int32_t *n)
{
	*oldest = -1;
	*n = 0;
	for (int32_t i = s->ids[idb], next; i >= 0; i = next) {
		sess_slot *sl = &s->v[i];
		next = sl->next_id;
		if (!live(sl, now)) {
			release(s, i);
			continue;
		}
		if (strcmp(sl->ident, ident))
			continue;
		if (cert_fp && !strcmp(sl->s.cert_fp, cert_fp))
			return i;
		(*n)++;
		if (*oldest < 0 || sl->born < s->v[*oldest].born)
			*oldest = i;
	}
	return -1;
}

/* A free slot made the session of id (ident, bucket idb; cert_fp or "")
 * under token, with a fresh CSRF token: its index, or -1 when every slot
 * is taken by a live session. The caller holds the lock. */
static int32_t slot_take(psessions *s, uint32_t idb, const char *ident, const bt_identity *id, const char *cert_fp,
			 int64_t now, const char token[65])
{
	if (s->free_head < 0)
		sweep(s, now);
	if (s->free_head < 0)
		return -1;
	int32_t i = s->free_head;
	sess_slot *sl = &s->v[i];
	s->free_head = sl->next_tok;
	memset(sl, 0, sizeof *sl); /* its form tokens were freed by release */
	sl->used = 1;
	token_key(token, sl->key);
	memcpy(sl->ident, ident, sizeof sl->ident);
	sl->idb = idb;
	sl->born = sl->seen = now;
	sl->s.id = *id;
	portal_token(sl->s.csrf);
	snprintf(sl->s.cert_fp, sizeof sl->s.cert_fp, "%s", cert_fp);
	tok_link(s, i);
	sl->next_id = s->ids[idb];
	s->ids[idb] = i;
	return i;
}

int session_create(psessions *s, const bt_identity *id, const char *cert_fp, int64_t now,
		   char token[65], psession *out)
{
	char ident[80];
	ident_of(id, ident);
	uint32_t idb = (uint32_t)(portal_siphash(s->hkey, ident, strlen(ident)) % NBUCKET);
	int cert = cert_fp && cert_fp[0];
	portal_token(token);
	pthread_mutex_lock(&s->lock);
	/* the identity's sessions: the certificate's own, how many, the oldest */
	int32_t oldest, n;
	int32_t i = ident_sessions(s, idb, ident, cert ? cert_fp : NULL, now, &oldest, &n);
	if (i >= 0) {
		/* one session per certificate: the same one, under a new
		 * token (the old cookie is not known here) */
		sess_slot *sl = &s->v[i];
		unchain(s, &s->tok[tok_bucket(sl->key)], i, 1);
		token_key(token, sl->key);
		tok_link(s, i);
		sl->seen = now;
		*out = sl->s;
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	if (n >= PORTAL_SESSIONS_PER_ID)
		release(s, oldest);
	i = slot_take(s, idb, ident, id, cert ? cert_fp : "", now, token);
	if (i >= 0)
		*out = s->v[i].s;
	pthread_mutex_unlock(&s->lock);
	return i >= 0 ? 0 : -1;
}

/* The slot of token (live), or -1, freeing it when it has ended; the caller
 * holds the lock. */
static int32_t find(psessions *s, const char *token, int64_t now)
{
	unsigned char key[32];
	token_key(token, key);
	for (int32_t i = s->tok[tok_bucket(key)]; i >= 0; i = s->v[i].next_tok)
		if (bt_secret_equal(s->v[i].key, key, 32)) {
			if (live(&s->v[i], now))
				return i;
			release(s, i);
			return -1;
		}
	return -1;
}

int session_find(psessions *s, const char *token, int64_t now, psession *out)
{
	pthread_mutex_lock(&s->lock);
	int32_t i = find(s, token, now);
	if (i >= 0) {
		s->v[i].seen = now;
		*out = s->v[i].s;
	}
	pthread_mutex_unlock(&s->lock);
	return i >= 0 ? 0 : -1;
}

void session_drop(psessions *s, const char *token, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	int32_t i = find(s, token, now);
	if (i >= 0)
		release(s, i);
	pthread_mutex_unlock(&s->lock);
}

size_t sessions_live(psessions *s, int64_t now)
{
	size_t n = 0;
	pthread_mutex_lock(&s->lock);
	for (int32_t i = 0; i < PORTAL_SESSIONS_MAX; i++)
		n += live(&s->v[i], now);
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* The form token once of session slot i, or NULL; the caller holds the
 * lock. */
static once_slot *once_find(sess_slot *sl, const char *once)
{
	if (!sl->once || strlen(once) != 64)
		return NULL;
	for (int k = 0; k < PORTAL_ONCE_PER_SESSION; k++)
		if (sl->once[k].state && bt_secret_equal(sl->once[k].tok, once, 64))
			return &sl->once[k];
	return NULL;
}

int session_once_issue(psessions *s, const char *token, const char *form, int64_t now, char out[65])
{
	portal_token(out);
	pthread_mutex_lock(&s->lock);
	int32_t i = find(s, token, now);
	sess_slot *sl = i >= 0 ? &s->v[i] : NULL;
	if (sl && !sl->once)
		sl->once = calloc(PORTAL_ONCE_PER_SESSION, sizeof *sl->once);
	if (!sl || !sl->once) {
		pthread_mutex_unlock(&s->lock);
		return -1;
	}
	/* a free entry, else the oldest issued one, else the oldest spent
	 * one; one in use is never replaced */
	once_slot *pick = NULL;
	for (int k = 0; k < PORTAL_ONCE_PER_SESSION; k++) {
		once_slot *o = &sl->once[k];
		if (!o->state) {
			pick = o;
			break;
		}
		if (o->state == 2)
			continue;
		if (!pick || (o->state == 1) > (pick->state == 1) ||
		    ((o->state == 1) == (pick->state == 1) && o->at < pick->at))
			pick = o;
	}
	if (pick) {
		memset(pick, 0, sizeof *pick);
		pick->state = 1;
		memcpy(pick->tok, out, 65);
		snprintf(pick->form, sizeof pick->form, "%s", form);
		pick->at = now;
	}
	pthread_mutex_unlock(&s->lock);
	return pick ? 0 : -1;
}

/* Adds ms to an absolute CLOCK_REALTIME time. */
static struct timespec deadline_in(int64_t ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

once_state session_once_claim(psessions *s, const char *token, const char *form, const char *once,
			      int64_t now, char *loc, size_t n)
{
	struct timespec until = deadline_in(PORTAL_ONCE_WAIT_MS);
	once_state st = ONCE_UNKNOWN;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		/* found again after each wait: the session may have ended */
		int32_t i = find(s, token, now);
		once_slot *o = i >= 0 ? once_find(&s->v[i], once) : NULL;
		if (!o || strcmp(o->form, form))
			break;
		if (o->state == 1) {
			o->state = 2;
			st = ONCE_NEW;
			break;
		}
		if (o->state == 3) {
			snprintf(loc, n, "%s", o->loc);
			st = ONCE_DONE;
			break;
		}
		if (pthread_cond_timedwait(&s->once_cv, &s->lock, &until)) {
			st = ONCE_BUSY;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return st;
}

int session_once_spent(psessions *s, const char *token, const char *form, const char *once, int64_t now,
		       char *loc, size_t n)
{
	pthread_mutex_lock(&s->lock);
	int32_t i = find(s, token, now);
	once_slot *o = i >= 0 ? once_find(&s->v[i], once) : NULL;
	int spent = o && o->state == 3 && !strcmp(o->form, form);
	if (spent)
		snprintf(loc, n, "%s", o->loc);
	pthread_mutex_unlock(&s->lock);
	return spent;
}

void session_once_finish(psessions *s, const char *token, const char *once, const char *loc, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	int32_t i = find(s, token, now);
	once_slot *o = i >= 0 ? once_find(&s->v[i], once) : NULL;
	if (o && o->state == 2) {
		o->state = loc ? 3 : 1;
		if (loc)
			snprintf(o->loc, sizeof o->loc, "%s", loc);
		o->at = now;
	}
	pthread_cond_broadcast(&s->once_cv);
	pthread_mutex_unlock(&s->lock);
}

int session_keep(psessions *s, const char *token, const char *value, int64_t now, char handle[33])
{
	char t[65];
	portal_token(t);
	snprintf(handle, 33, "%.32s", t);
	explicit_bzero(t, sizeof t);
	pthread_mutex_lock(&s->lock);
	int32_t i = find(s, token, now);
	sess_slot *sl = i >= 0 ? &s->v[i] : NULL;
	if (sl && !sl->kept)
		sl->kept = calloc(PORTAL_KEPT_PER_SESSION, sizeof *sl->kept);
	if (!sl || !sl->kept || strlen(value) >= PORTAL_KEPT_VALUE) {
		pthread_mutex_unlock(&s->lock);
		return -1;
	}
	/* a free or expired entry, else the oldest */
	kept_slot *pick = &sl->kept[0];
	for (int k = 0; k < PORTAL_KEPT_PER_SESSION; k++) {
		kept_slot *o = &sl->kept[k];
		if (!o->handle[0] || now - o->at > PORTAL_KEPT_MS) {
			pick = o;
			break;
		}
		if (o->at < pick->at)
			pick = o;
	}
	explicit_bzero(pick, sizeof *pick);
	memcpy(pick->handle, handle, 33);
	snprintf(pick->value, sizeof pick->value, "%s", value);
	pick->at = now;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int session_take(psessions *s, const char *token, const char *handle, int64_t now, char *out, size_t n)
{
	int rc = -1;
	if (strlen(handle) != 32)
		return -1;
	pthread_mutex_lock(&s->lock);
	int32_t i = find(s, token, now);
	sess_slot *sl = i >= 0 ? &s->v[i] : NULL;
	for (int k = 0; sl && sl->kept && k < PORTAL_KEPT_PER_SESSION; k++) {
		kept_slot *o = &sl->kept[k];
		if (!o->handle[0] || !bt_secret_equal(o->handle, handle, 32))
			continue;
		if (now - o->at <= PORTAL_KEPT_MS) {
			snprintf(out, n, "%s", o->value);
			rc = 0;
		}
		explicit_bzero(o, sizeof *o);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}
