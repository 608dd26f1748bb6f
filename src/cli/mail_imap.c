/* mail_imap.c - the secretariat's mailbox over IMAP with TLS (libcurl's
 * IMAP client; mail.h). A message is marked taken with the keyword
 * MAIL_IMAP_TAKEN only after the inbox stored it, so a run killed between
 * the two fetches it again (and the inbox skips it by its SHA-256): never
 * lost, never taken twice. \Seen is left to the people reading the box. */
#include "cli/mail.h"

#include <curl/curl.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAIL_IMAP_TAKEN "BallotTaken"

struct mail_imap {
	CURL *h;
	char base[512];   /* the URL of the mailbox, without a trailing '/' */
	char err[CURL_ERROR_SIZE];
};

/* What a transfer writes: the response text, or a message hashed and
 * kept up to keep bytes. */
typedef struct sink {
	bt_buf *b;
	gnutls_hash_hd_t hash;
	int64_t total, keep;
	int failed;
} sink;

static size_t on_data(char *p, size_t sz, size_t n, void *data)
{
	sink *s = data;
	size_t len = sz * n, room;
	if (s->hash)
		gnutls_hash(s->hash, p, len);
	s->total += (int64_t)len;
	room = s->b->len < (size_t)s->keep ? (size_t)s->keep - s->b->len : 0;
	if (room && bt_buf_add(s->b, p, len < room ? len : room))
		s->failed = 1;
	return len;
}

int mail_imap_open(const char *url, const char *user, const char *password, const char *ca, mail_imap **out,
		   bt_err *e)
{
	static int inited;
	if (!inited && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return bt_fail(e, BT_EFAIL, "libcurl did not start");
	inited = 1;
	mail_imap *m = calloc(1, sizeof *m);
	if (!m || !(m->h = curl_easy_init())) {
		free(m);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	snprintf(m->base, sizeof m->base, "%s", url);
	size_t n = strlen(m->base);
	while (n && m->base[n - 1] == '/')
		m->base[--n] = '\0';
	curl_easy_setopt(m->h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(m->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(m->h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca)
		curl_easy_setopt(m->h, CURLOPT_CAINFO, ca);
	if (user) {
		curl_easy_setopt(m->h, CURLOPT_USERNAME, user);
		curl_easy_setopt(m->h, CURLOPT_PASSWORD, password ? password : "");
	}
	curl_easy_setopt(m->h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(m->h, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(m->h, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(m->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(m->h, CURLOPT_ERRORBUFFER, m->err);
	curl_easy_setopt(m->h, CURLOPT_WRITEFUNCTION, on_data);
	*out = m;
	return BT_OK;
}

void mail_imap_close(mail_imap *m)
{
	if (!m)
		return;
	curl_easy_cleanup(m->h);
	free(m);
}

/* One transfer: url (suffix after the mailbox), a custom command or NULL. */
static int perform(mail_imap *m, const char *suffix, const char *cmd, sink *s, bt_err *e)
{
	char url[700];
	snprintf(url, sizeof url, "%s%s", m->base, suffix);
	m->err[0] = '\0';
	curl_easy_setopt(m->h, CURLOPT_URL, url);
	curl_easy_setopt(m->h, CURLOPT_CUSTOMREQUEST, cmd);
	curl_easy_setopt(m->h, CURLOPT_WRITEDATA, s);
	CURLcode c = curl_easy_perform(m->h);
	if (c != CURLE_OK)
		return bt_failf(e, c == CURLE_LOGIN_DENIED ? BT_R_FORBIDDEN : BT_R_IO, "mail_mailbox", "'%s': %s",
				m->base, m->err[0] ? m->err : curl_easy_strerror(c));
	if (s->failed)
		return bt_fail(e, BT_EFAIL, "out of memory");
	return BT_OK;
}

int mail_imap_new(mail_imap *m, unsigned long **uids, size_t *n, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	sink s = { .b = &b, .keep = 16 * 1024 * 1024 };
	*uids = NULL;
	*n = 0;
	int rc = perform(m, "", "UID SEARCH UNKEYWORD " MAIL_IMAP_TAKEN, &s, e);
	bt_buf_addc(&b, '\0');
	const char *p = rc ? NULL : strstr((const char *)b.data, "* SEARCH");
	size_t cap = 0;
	for (p = p ? p + 8 : NULL; p && !rc && *p && *p != '\r' && *p != '\n';) {
		char *end;
		unsigned long u = strtoul(p, &end, 10);
		if (end == p) {
			p++;
			continue;
		}
		p = end;
		if (*n == cap) {
			unsigned long *v = realloc(*uids, (cap = cap ? 2 * cap : 64) * sizeof *v);
			if (!v)
				rc = bt_fail(e, BT_EFAIL, "out of memory");
			else
				*uids = v;
		}
		if (!rc)
			(*uids)[(*n)++] = u;
	}
	bt_buf_release(&b);
	return rc;
}

/* "14-Jan-2020 10:00:00 +0000" as a time. */
static int internaldate(const char *s, bt_time *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4];
	int d, y, hh, mm, ss, z;
	if (sscanf(s, "%2d-%3s-%4d %2d:%2d:%2d %5d", &d, mon, &y, &hh, &mm, &ss, &z) != 7)
		return 0;
	const char *f = strstr(months, mon);
	if (!f || (f - months) % 3)
		return 0;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = (int)(f - months) / 3, .tm_mday = d, .tm_hour = hh,
			 .tm_min = mm, .tm_sec = ss };
	int off = (z / 100) * 3600 + (z % 100) * 60;
	*t = (bt_time)timegm(&tm) - off;
	return 1;
}

int mail_imap_received(mail_imap *m, unsigned long uid, bt_time *t, bt_err *e)
{
	char cmd[80];
	bt_buf b = BT_BUF_INIT;
	sink s = { .b = &b, .keep = 65536 };
	snprintf(cmd, sizeof cmd, "UID FETCH %lu (INTERNALDATE)", uid);
	int rc = perform(m, "", cmd, &s, e);
	bt_buf_addc(&b, '\0');
	const char *p = rc ? NULL : strstr((const char *)b.data, "INTERNALDATE \"");
	if (!rc && (!p || !internaldate(p + 14, t)))
		rc = bt_failf(e, BT_R_IO, "mail_mailbox", "'%s': no INTERNALDATE for UID %lu", m->base, uid);
	bt_buf_release(&b);
	return rc;
}

int mail_imap_fetch(mail_imap *m, unsigned long uid, int64_t cap, size_t keep_over, bt_buf *out, char sha[65],
		    int64_t *size, int *over, bt_err *e)
{
	char suffix[64];
	unsigned char dig[32];
	sink s = { .b = out, .keep = cap };
	if (gnutls_hash_init(&s.hash, GNUTLS_DIG_SHA256) < 0)
		return bt_fail(e, BT_EFAIL, "no SHA-256");
	snprintf(suffix, sizeof suffix, "/;UID=%lu", uid);
	int rc = perform(m, suffix, NULL, &s, e);
	gnutls_hash_deinit(s.hash, dig);
	for (int i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", dig[i]);
	*size = s.total;
	*over = s.total > cap;
	if (*over && out->len > keep_over)
		out->len = keep_over;
	return rc;
}

int mail_imap_mark(mail_imap *m, unsigned long uid, bt_err *e)
{
	char cmd[80];
	bt_buf b = BT_BUF_INIT;
	sink s = { .b = &b, .keep = 4096 };
	snprintf(cmd, sizeof cmd, "UID STORE %lu +FLAGS (" MAIL_IMAP_TAKEN ")", uid);
	int rc = perform(m, "", cmd, &s, e);
	bt_buf_release(&b);
	return rc;
}
