/* returned.c - returned forms kept for the reply they pre-fill (returned.h): a
 * short array under one mutex; a form is looked up by its session, its
 * circular and its id, and copied out so that no lock is held while a page
 * uses it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/auth.h"
#include "portal/returned.h"

struct preturns {
	pthread_mutex_t lock;
	preturned *v[PORTAL_RETURNED_MAX];
	size_t n;
	long long bytes, max_bytes;
	int scans;                 /* scans being read */
};

int returned_new(preturns **out, long long max_bytes, bt_err *e)
{
	preturns *k = calloc(1, sizeof *k);
	if (!k)
		return bt_fail(e, BT_EFAIL, "out of memory");
	k->max_bytes = max_bytes;
	pthread_mutex_init(&k->lock, NULL);
	*out = k;
	return BT_OK;
}

void returned_release(preturned *x)
{
	if (!x)
		return;
	bt_buf_release(&x->pdf);
	free(x);
}

void returned_free(preturns *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		returned_release(k->v[i]);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

int returned_scan_begin(preturns *k)
{
	pthread_mutex_lock(&k->lock);
	int got = k->scans < PORTAL_SCANS_AT_ONCE;
	if (got)
		k->scans++;
	pthread_mutex_unlock(&k->lock);
	return got ? 0 : -1;
}

void returned_scan_end(preturns *k)
{
	pthread_mutex_lock(&k->lock);
	k->scans--;
	pthread_mutex_unlock(&k->lock);
}

/* Forgets entry i (the lock held). */
static void forget(preturns *k, size_t i)
{
	k->bytes -= (long long)k->v[i]->pdf.len;
	returned_release(k->v[i]);
	k->v[i] = k->v[--k->n];
}

static int same(const preturned *x, const char *session, const char *circular)
{
	return !strcmp(x->session, session) && !strcmp(x->circular, circular);
}

/* Room for one more form of len bytes (the lock held): the expired ones
 * go, then the one that expires first, until it fits. */
static void make_room(preturns *k, size_t len, int64_t mono)
{
	for (size_t i = k->n; i-- > 0;)
		if (k->v[i]->expires <= mono)
			forget(k, i);
	while (k->n && (k->n == PORTAL_RETURNED_MAX || k->bytes + (long long)len > k->max_bytes)) {
		size_t old = 0;
		for (size_t i = 1; i < k->n; i++)
			if (k->v[i]->expires < k->v[old]->expires)
				old = i;
		forget(k, old);
	}
}

int returned_put(preturns *k, preturned *x, int64_t mono, bt_err *e)
{
	unsigned char rnd[16];
	if (bt_random(rnd, sizeof rnd, e)) {
		returned_release(x);
		return BT_EFAIL;
	}
	for (size_t i = 0; i < sizeof rnd; i++) {
		x->id[2 * i] = "0123456789abcdef"[rnd[i] >> 4];
		x->id[2 * i + 1] = "0123456789abcdef"[rnd[i] & 15];
	}
	x->id[32] = '\0';
	x->expires = mono + PORTAL_RETURNED_LIFE_MS;
	pthread_mutex_lock(&k->lock);
	for (size_t i = k->n; i-- > 0;)
		if (same(k->v[i], x->session, x->circular))
			forget(k, i);
	make_room(k, x->pdf.len, mono);
	k->v[k->n++] = x;
	k->bytes += (long long)x->pdf.len;
	pthread_mutex_unlock(&k->lock);
	return BT_OK;
}

preturned *returned_get(preturns *k, const char *session, const char *circular, const char *id, int64_t mono)
{
	preturned *copy = NULL;
	pthread_mutex_lock(&k->lock);
	for (size_t i = 0; i < k->n; i++) {
		const preturned *x = k->v[i];
		if (!same(x, session, circular) || x->expires <= mono || (id && *id && strcmp(x->id, id)))
			continue;
		copy = malloc(sizeof *copy);
		if (copy) {
			*copy = *x;
			bt_buf_init(&copy->pdf, x->pdf.len + 1);
			if (bt_buf_add(&copy->pdf, x->pdf.data, x->pdf.len)) { /* out of memory */
				returned_release(copy);
				copy = NULL;
			}
		}
		break;
	}
	pthread_mutex_unlock(&k->lock);
	return copy;
}

void returned_drop(preturns *k, const char *session, const char *circular, const char *id)
{
	pthread_mutex_lock(&k->lock);
	for (size_t i = k->n; i-- > 0;)
		if (same(k->v[i], session, circular) && !strcmp(k->v[i]->id, id))
			forget(k, i);
	pthread_mutex_unlock(&k->lock);
}
