/* answer.c - the HTTP answer: status, headers, the access-log line
 * (answer.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "portal/answer.h"

const char *http_status_text(int s)
{
	switch (s) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 409: return "Conflict";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

static void add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; style-src 'self'; img-src 'self'; "
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
}

/* s for the access log, as one field: bytes outside printable ASCII, space,
 * '"', '%' and '\\' as %XX (so it decodes back to s), "-" when empty, cut
 * short with "..." when it would not fit in n bytes. */
static void log_field(char *out, size_t n, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	if (!s || !*s) {
		snprintf(out, n, "-");
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = c > 0x20 && c < 0x7f && c != '"' && c != '%' && c != '\\';
		if (o + (plain ? 1 : 3) + 4 > n) { /* room for "..." and the NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* resp's headers: the security headers, caching, the type, and what r
 * asks for (Location, cookies, Allow, warnings, WWW-Authenticate with a
 * 401, Retry-After, an attachment's file name); an error other than 401,
 * 403 and 404 closes the connection. */
static void answer_headers(const preq *r, struct MHD_Response *resp)
{
	add_security_headers(resp);
	MHD_add_response_header(resp, "Cache-Control", r->status == 200 && r->ctype &&
				!strcmp(r->ctype, "text/css") ? "public, max-age=3600" : "no-store");
	MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	for (int i = 0; i < r->ncookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->warnings[0])
		MHD_add_response_header(resp, "Ballot-Warnings", r->warnings);
	if (r->www_authenticate && r->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", r->www_authenticate);
	if (r->retry_after > 0) {
		char s[16];
		snprintf(s, sizeof s, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", s);
	}
	if (r->filename[0]) {
		char cd[200];
		snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", r->filename);
		MHD_add_response_header(resp, "Content-Disposition", cd);
	}
	if (r->status >= 400 && r->status != 401 && r->status != 403 && r->status != 404)
		MHD_add_response_header(resp, "Connection", "close");
}

/* The request's access-log line. */
static void answer_log(const preq *r)
{
	/* Every field the client controls is percent-encoded, so a line
	 * is always six space-separated ASCII fields: time (added by the
	 * logger), address, method, path (never the query, which could
	 * carry anything), status, who. */
	char line[700], method[100], path[400], who[100] = "-";
	log_field(method, sizeof method, r->method);
	log_field(path, sizeof path, r->url);
	if (r->signed_in || r->cert_ok) {
		const bt_identity *id = r->signed_in ? &r->s.id : &r->cert_id;
		log_field(who, sizeof who, id->role == BT_ROLE_MEMBER ? id->member : id->user);
	}
	snprintf(line, sizeof line, "%s %s %s %d %s", r->ip, method, path, r->status, who);
	r->p->log(line);
}

enum MHD_Result answer_send(preq *r)
{
	if (r->out.failed) {
		bt_buf_release(&r->out);
		bt_buf_adds(&r->out, "out of memory\n");
		r->status = 500;
		r->ctype = "text/plain; charset=utf-8";
	}
	size_t len = 0;
	char *body = bt_buf_detach(&r->out, &len);
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body ? body : (void *)"", body ? MHD_RESPMEM_MUST_FREE
										: MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	answer_headers(r, resp);
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	if (r->p->log)
		answer_log(r);
	return ok;
}

int page_redirect(preq *r, const char *path)
{
	r->status = 303;
	snprintf(r->location, sizeof r->location, "%s", path);
	bt_buf_reset(&r->out);
	return 0;
}

void portal_file_name(char *out, size_t n, const char *prefix, const char *circular, const char *suffix)
{
	char base[BT_ID_MAX + 1];
	snprintf(base, sizeof base, "%s", circular);
	for (char *p = base; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *p))
			*p = '_';
	snprintf(out, n, "%s%s%s", prefix, base, suffix);
}
