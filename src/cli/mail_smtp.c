/* mail_smtp.c - SMTP submission with libcurl (mail.h): smtp:// with
 * STARTTLS required, or smtps:// (implicit TLS), AUTH when a user is
 * configured, the relay's certificate checked (mail_ca, else the system's
 * CAs). One easy handle per run, so the connection is reused. */
#include "cli/mail.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mail_smtp {
	CURL *h;
	const mail_relay *r;
	char last[300];  /* the relay's last reply line */
	char err[300];   /* its first refusal (4xx, 5xx) of the transfer */
	const unsigned char *msg;
	size_t len, off;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	mail_smtp *s = arg;
	size_t room = size * nitems, left = s->len - s->off;
	size_t n = left < room ? left : room;
	memcpy(buf, s->msg + s->off, n);
	s->off += n;
	return n;
}

/* Keeps the relay's last reply line (CURLINFO_HEADER_IN: its answers). */
static int debug_cb(CURL *h, curl_infotype t, char *data, size_t n, void *arg)
{
	(void)h;
	mail_smtp *s = arg;
	if (t != CURLINFO_HEADER_IN)
		return 0;
	while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	if (n >= sizeof s->last)
		n = sizeof s->last - 1;
	memcpy(s->last, data, n);
	s->last[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s->last[i] < 0x20 || (unsigned char)s->last[i] == 0x7f)
			s->last[i] = ' ';
	if (!s->err[0] && (s->last[0] == '4' || s->last[0] == '5'))
		memcpy(s->err, s->last, sizeof s->err);
	return 0;
}

int mail_smtp_open(const mail_relay *r, mail_smtp **out, bt_err *e)
{
	static int global;
	if (!global) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return bt_fail(e, BT_EFAIL, "libcurl could not start");
		global = 1;
	}
	mail_smtp *s = calloc(1, sizeof *s);
	if (!s || !(s->h = curl_easy_init())) {
		free(s);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	s->r = r;
	CURL *h = s->h;
	curl_easy_setopt(h, CURLOPT_URL, r->url);
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (r->ca)
		curl_easy_setopt(h, CURLOPT_CAINFO, r->ca);
	if (r->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, r->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, r->password ? r->password : "");
	}
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, s);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, s);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	*out = s;
	return BT_OK;
}

void mail_smtp_close(mail_smtp *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->h);
	free(s);
}

/* The recipients, comma-separated, as "<addr>" entries. */
static struct curl_slist *rcpt_list(const char *recipients)
{
	struct curl_slist *l = NULL, *t;
	const char *p = recipients;
	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		char one[300];
		snprintf(one, sizeof one, "<%.*s>", (int)n, p);
		if (!(t = curl_slist_append(l, one))) {
			curl_slist_free_all(l);
			return NULL;
		}
		l = t;
		p = c ? c + 1 : NULL;
	}
	return l;
}

static mail_result classify(CURLcode c, long code)
{
	if (c == CURLE_OK)
		return MAIL_SENT;
	if (c == CURLE_LOGIN_DENIED)
		return MAIL_AUTH;
	if (code >= 500 && code < 600 && (c == CURLE_SEND_ERROR || c == CURLE_RECV_ERROR ||
					  c == CURLE_UPLOAD_FAILED || c == CURLE_WEIRD_SERVER_REPLY))
		return MAIL_PERMANENT;
	if (code >= 400 && code < 500)
		return MAIL_TRANSIENT;
	return MAIL_NO_RELAY;
}

mail_result mail_smtp_send(mail_smtp *s, const char *sender, const char *recipients, const void *msg,
			   size_t len, char *answer, size_t n)
{
	char from[300];
	struct curl_slist *rcpt = rcpt_list(recipients);
	if (!rcpt) {
		snprintf(answer, n, "no recipients");
		return MAIL_PERMANENT;
	}
	snprintf(from, sizeof from, "<%s>", sender);
	s->msg = msg;
	s->len = len;
	s->off = 0;
	s->last[0] = s->err[0] = '\0';
	curl_easy_setopt(s->h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(s->h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(s->h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	CURLcode c = curl_easy_perform(s->h);
	long code = 0;
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(s->h, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(rcpt);
	mail_result r = classify(c, code);
	const char *said = s->err[0] ? s->err : s->last;
	if (r == MAIL_SENT || (said[0] && r != MAIL_NO_RELAY))
		snprintf(answer, n, "%s", r == MAIL_SENT ? (s->last[0] ? s->last : "accepted") : said);
	else
		snprintf(answer, n, "%s%s%s", curl_easy_strerror(c), said[0] ? ": " : "", said);
	return r;
}

mail_result mail_smtp_probe(mail_smtp *s, char *answer, size_t n)
{
	s->last[0] = s->err[0] = '\0';
	curl_easy_setopt(s->h, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, "NOOP");
	curl_easy_setopt(s->h, CURLOPT_NOBODY, 1L);
	CURLcode c = curl_easy_perform(s->h);
	long code = 0;
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(s->h, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(s->h, CURLOPT_UPLOAD, 1L);
	mail_result r = c == CURLE_OK ? MAIL_SENT : classify(c, code);
	if (r == MAIL_PERMANENT || r == MAIL_TRANSIENT)
		r = MAIL_NO_RELAY;
	snprintf(answer, n, "%s%s%s", c == CURLE_OK ? "" : curl_easy_strerror(c), c == CURLE_OK || !s->last[0] ? "" : ": ",
		 s->last);
	return r;
}
