/* api_reply.c - the write API (api.h): POST
 * /api/v1/consultations/{circular}/replies records one reply, as the
 * secretariat's entry form does, from a JSON body (attachments in base64)
 * or a multipart/form-data body (a part "reply" with that JSON object, and
 * its files raw in parts "attachments" and "scan", read by the forms' post
 * processor: body.h),
 * once per Idempotency-Key (bt_reply_record_once: the key is kept in the
 * database with the reply), and answers the signed receipt; GET
 * /api/v1/receipts/{event} gives it again. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>
#include "ballot/idem.h"
#include "portal/api.h"
#include "portal/body.h"
#include "portal/conn.h"

/* At most this many attachments in one reply. */
#define API_MAX_FILES 16

/* A reply's JSON body as read: the spec points into doc and files. */
typedef struct api_body {
	bt_jv *doc;
	bt_reply_spec spec;
	bt_attachment_in atts[API_MAX_FILES], scan;
	bt_buf files[API_MAX_FILES + 1];
	size_t nfiles;
	const char *ref;
} api_body;

static void api_body_free(api_body *b)
{
	for (size_t i = 0; i < b->nfiles; i++)
		bt_buf_release(&b->files[i]);
	bt_jv_free(b->doc);
}

/* The bytes of a request under /api/ a body may hold: the portal's cap of a
 * form with its files, plus base64's third, and never more than the JSON
 * reader takes (BT_JSON_MAX, 16 MiB: a body it would refuse is too large,
 * not malformed). */
static uint64_t api_body_max(const struct portal *p)
{
	uint64_t n = p->body_max + p->body_max / 3 + 4096;
	return n < BT_JSON_MAX ? n : BT_JSON_MAX;
}

int api_body_too_large(preq *r, const char *len, uint64_t max)
{
	char msg[200];
	const char *mib = max == BT_JSON_MAX ? " (16 MiB)" : "";
	if (len)
		snprintf(msg, sizeof msg, "body: %.24s bytes, over the limit of %llu bytes%s", len,
			 (unsigned long long)max, mib);
	else
		snprintf(msg, sizeof msg, "body: over the limit of %llu bytes%s", (unsigned long long)max, mib);
	return api_error(r, 413, "too-large", "body", msg);
}

/* 1 when the Content-Type header is multipart/form-data (its boundary
 * is the post processor's to read). */
static int multipart_type(const char *ct)
{
	return ct && !strncasecmp(ct, "multipart/form-data", 19) && (!ct[19] || ct[19] == ';' || ct[19] == ' ');
}

/* 1 when r's body is multipart (api_post_begin let only that or JSON in). */
static int multipart_of(preq *r)
{
	return multipart_type(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type"));
}

/* The bytes a body of r may hold: a multipart body carries its files raw,
 * within the portal's cap of a form with its files; JSON: api_body_max. */
static uint64_t body_max_of(preq *r)
{
	return multipart_of(r) ? r->p->body_max : api_body_max(r->p);
}

/* 1 when the Content-Type header is JSON (application/json, with at most
 * a charset parameter of UTF-8). */
static int json_type(const char *ct)
{
	if (!ct || strncasecmp(ct, "application/json", 16))
		return 0;
	ct += 16;
	while (*ct == ' ')
		ct++;
	if (!*ct)
		return 1;
	if (*ct++ != ';')
		return 0;
	while (*ct == ' ')
		ct++;
	return !strcasecmp(ct, "charset=utf-8") || !strcasecmp(ct, "charset=\"utf-8\"");
}

int api_post_begin(preqx *x)
{
	preq *r = &x->r;
	bt_identity id;
	if (api_auth_scope(r, BT_SCOPE_WRITE, &id))
		return 1;
	/* a valid write token is trusted as a session is: its body is read
	 * without the connection's deadline (conn.c) */
	conns_request_begin(x->p->conns, r->conn, 1);
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	if (!json_type(ct) && !multipart_type(ct)) {
		char msg[200];
		snprintf(msg, sizeof msg, "Content-Type: '%.80s' is not application/json or multipart/form-data",
			 ct ? ct : "");
		return api_error(r, 415, "media-type", "Content-Type", msg), 1;
	}
	x->body_max = body_max_of(r);
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > x->body_max) /* held till the body is in (answer_head) */
		return api_body_too_large(r, cl, x->body_max), 1;
	bt_buf_init(&r->body, x->body_max);
	r->raw_body = 1;
	return 0;
}

/* A 400 naming field: "field: " and the message. Returns -1. */
__attribute__((format(printf, 3, 4))) static int bad(preq *r, const char *field, const char *fmt, ...)
{
	char msg[400], text[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof msg, "%s: %s", field, text);
	return api_error(r, 400, "input", field, msg), -1;
}

/* The value of base64 digit c, or -1. */
static int b64(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
	       : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 (RFC 4648, padding optional, no white space) s into out,
 * within its cap: 0, else -1. */
static int base64_decode(const char *s, size_t n, bt_buf *out)
{
	while (n && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return -1;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64((unsigned char)s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (bt_buf_addc(out, (char)((acc >> bits) & 0xff)))
				return -1;
		}
	}
	return 0;
}

/* The string member key of o into *out (NULL when absent): 0, else -1
 * and the 400 (not a string, or text a reader could be misled by, as the
 * forms refuse it: form.c). names: a name (signatory, title, a file's). */
static int text_of(preq *r, const bt_jv *o, const char *key, const char *field, int names,
		   const char **out)
{
	const bt_jv *v = bt_jv_get(o, key);
	*out = NULL;
	if (!v || v->type == BT_JNULL)
		return 0;
	if (v->type != BT_JSTR)
		return bad(r, field, "a string is expected");
	uint32_t hidden = bt_text_hidden(v->str, names);
	if (hidden) {
		char u[16];
		snprintf(u, sizeof u, "U+%04X", (unsigned)hidden);
		return bad(r, field, "has %s, an invisible or bidirectional control character", u);
	}
	if (!bt_text_clean(v->str, !names))
		return bad(r, field, "has control characters");
	*out = v->str;
	return 0;
}

/* The file name of field (sub: "field.name") checked as the forms check a
 * file's name: 0, else -1 and the 400. */
static int name_ok(preq *r, const char *sub, const char *name)
{
	if (!name || !*name)
		return bad(r, sub, "a file name is required");
	uint32_t hidden = bt_text_hidden(name, 1);
	if (hidden)
		return bad(r, sub, "has U+%04X, an invisible or bidirectional control character", (unsigned)hidden);
	if (!bt_text_clean(name, 0))
		return bad(r, sub, "has control characters");
	if (strlen(name) > 255 || strchr(name, '/'))
		return bad(r, sub, "'%.80s' is longer than 255 bytes or has a '/'", name);
	return 0;
}

/* a: the file of field whose bytes are read; 0 when they are of the type
 * its name says, else -1 and the 400. */
static int kind_ok(preq *r, const char *field, const bt_attachment_in *a)
{
	if (bt_attachment_kind(a->name, a->data, a->len) != BT_FILE_OK)
		return bad(r, field, "'%.80s' is not an accepted file of its type (" BT_FILE_TYPES ")", a->name);
	return 0;
}

/* File f ({"name", "content_base64"}) of field (such as "attachments[0]")
 * into a and b->files: 0, else -1 and the answer. */
static int file_of(preq *r, api_body *b, const bt_jv *f, const char *field, bt_attachment_in *a)
{
	char sub[64];
	if (f->type != BT_JOBJ)
		return bad(r, field, "an object {\"name\", \"content_base64\"} is expected");
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->keys[i], "name") && strcmp(f->keys[i], "content_base64")) {
			snprintf(sub, sizeof sub, "%s.%.20s", field, f->keys[i]);
			return bad(r, sub, "is not a field of a file (name, content_base64)");
		}
	const char *name, *data;
	snprintf(sub, sizeof sub, "%s.name", field);
	if (text_of(r, f, "name", sub, 1, &name) || name_ok(r, sub, name))
		return -1;
	snprintf(sub, sizeof sub, "%s.content_base64", field);
	if (text_of(r, f, "content_base64", sub, 0, &data))
		return -1;
	if (!data)
		return bad(r, sub, "the file's bytes in base64 are required");
	bt_buf *buf = &b->files[b->nfiles++];
	bt_buf_init(buf, (size_t)r->p->attachment_max);
	if (base64_decode(data, strlen(data), buf)) {
		if (buf->failed && strlen(data) / 4 * 3 > (size_t)r->p->attachment_max) {
			char msg[200];
			snprintf(msg, sizeof msg, "%s: the file is over the limit of %lld bytes", sub,
				 (long long)r->p->attachment_max);
			return api_error(r, 413, "too-large", sub, msg), -1;
		}
		return bad(r, sub, "not base64 (A-Z a-z 0-9 + / and = padding, no white space)");
	}
	if (!buf->len)
		return bad(r, sub, "the file is empty");
	*a = (bt_attachment_in){ name, buf->data ? buf->data : "", buf->len };
	return kind_ok(r, field, a);
}

/* The member "attachments" (an array of files) and "scan" (a file). */
static int files_of(preq *r, api_body *b)
{
	const bt_jv *v = bt_jv_get(b->doc, "attachments");
	char field[48];
	if (v && v->type != BT_JNULL) {
		if (v->type != BT_JARR)
			return bad(r, "attachments", "an array of files is expected");
		if (v->n > API_MAX_FILES) {
			char msg[120];
			snprintf(msg, sizeof msg, "attachments: %zu files, more than %d", v->n, API_MAX_FILES);
			return api_error(r, 413, "too-large", "attachments", msg), -1;
		}
		for (size_t i = 0; i < v->n; i++) {
			snprintf(field, sizeof field, "attachments[%zu]", i);
			if (file_of(r, b, &v->items[i], field, &b->atts[i]))
				return -1;
		}
		b->spec.attachments = v->n ? b->atts : NULL;
		b->spec.n_attachments = v->n;
	}
	v = bt_jv_get(b->doc, "scan");
	if (v && v->type != BT_JNULL) {
		if (file_of(r, b, v, "scan", &b->scan))
			return -1;
		b->spec.scan = &b->scan;
	}
	return 0;
}

/* The members of the body a reply may have: those of `ballot reply`. */
static const char *const FIELDS[] = { "member", "draft", "choice", "received", "channel", "signatory", "title",
				      "late_entry_reason", "force", "ref", "attachments", "scan", NULL };

/* The scalar members into b->spec: 0, else -1 and the answer. */
static int scalars_of(preq *r, api_body *b)
{
	bt_reply_spec *s = &b->spec;
	const char *choice, *received, *channel;
	if (text_of(r, b->doc, "member", "member", 0, &s->member) ||
	    text_of(r, b->doc, "draft", "draft", 0, &s->rec) || text_of(r, b->doc, "choice", "choice", 0, &choice) ||
	    text_of(r, b->doc, "received", "received", 0, &received) ||
	    text_of(r, b->doc, "channel", "channel", 0, &channel) ||
	    text_of(r, b->doc, "signatory", "signatory", 1, &s->signatory) ||
	    text_of(r, b->doc, "title", "title", 1, &s->title) ||
	    text_of(r, b->doc, "late_entry_reason", "late_entry_reason", 0, &s->late_entry_reason) ||
	    text_of(r, b->doc, "ref", "ref", 0, &b->ref))
		return -1;
	if (!s->member || !*s->member)
		return bad(r, "member", "a Member State's code is required");
	s->choice = bt_choice_parse(choice ? choice : "");
	if (s->choice == BT_CHOICE_NONE)
		return bad(r, "choice", "'%.40s' is not authorize, authorize-with-comments, not-authorize or withdraw",
			   choice ? choice : "");
	if (received) {
		bt_err e;
		if (bt_time_parse(received, "received", &s->received, &e))
			return api_engine_error(r, &e), -1;
		s->has_received = 1;
	}
	if (channel && !bt_channel_valid(channel))
		return bad(r, "channel", "'%.40s' is not email, fax, post, portal or other", channel);
	s->channel = channel;
	const bt_jv *force = bt_jv_get(b->doc, "force");
	if (force && force->type != BT_JBOOL && force->type != BT_JNULL)
		return bad(r, "force", "true or false is expected");
	s->force = force && force->boolean;
	return 0;
}

/* name (a JSON member's or a part's) cut and made printable into field,
 * else "body". */
static void field_name(char field[64], const char *name)
{
	snprintf(field, 64, "%.60s", name);
	if (!bt_text_clean(field, 0))
		snprintf(field, 64, "body");
}

/* The JSON reply object in text (of field: "body", or the multipart part
 * "reply") into b->doc, its members known: 0, else -1 and the answer.
 * files: the files may be members (JSON), else they are parts. */
static int doc_of(preq *r, const char *text, size_t len, const char *field, int files, api_body *b)
{
	bt_err e;
	if (bt_json_parse(text ? text : "", len, field, &b->doc, &e))
		return api_engine_error(r, &e), -1;
	if (b->doc->type != BT_JOBJ)
		return bad(r, field, "a JSON object is expected");
	for (size_t i = 0; i < b->doc->n; i++) {
		const char *key = b->doc->keys[i];
		size_t k = 0;
		while (FIELDS[k] && strcmp(FIELDS[k], key))
			k++;
		char name[64];
		field_name(name, key);
		if (!FIELDS[k])
			return bad(r, name, "is not a field of a reply");
		if (!files && (!strcmp(key, "attachments") || !strcmp(key, "scan")))
			return bad(r, name, "in a multipart body the files are parts named attachments and scan, "
				   "not members of reply");
	}
	return 0;
}

/* Part fl (the n-th file of its name; field: "attachments[n]" or "scan")
 * into a: 0, else -1 and the answer. The bytes stay in r's form. */
static int part_file(preq *r, const pfield *fl, const char *field, bt_attachment_in *a)
{
	char sub[64];
	snprintf(sub, sizeof sub, "%s.name", field);
	if (!fl->filename || !fl->filename[0])
		return bad(r, sub, "a file name is required (filename= in the part's Content-Disposition)");
	if (name_ok(r, sub, fl->filename))
		return -1;
	if (fl->too_big) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s: the file is over the limit of %lld bytes", field,
			 (long long)r->p->attachment_max);
		return api_error(r, 413, "too-large", field, msg), -1;
	}
	if (!fl->value.len)
		return bad(r, field, "the file is empty");
	*a = (bt_attachment_in){ fl->filename, fl->value.data, fl->value.len };
	return kind_ok(r, field, a);
}

/* The parts of r's form into b: the one "reply", the files of
 * "attachments" (at most API_MAX_FILES) and at most one "scan"; *reply:
 * the reply part. 0, else -1 and the answer. */
static int parts_of(preq *r, api_body *b, const pfield **reply)
{
	const pform *f = &r->form;
	const pfield *scan = NULL;
	char field[64];
	size_t n = 0;
	*reply = NULL;
	for (size_t i = 0; i < f->n; i++) {
		const pfield *fl = &f->v[i];
		if (!strcmp(fl->name, "reply") || !strcmp(fl->name, "scan")) {
			const pfield **one = fl->name[0] == 'r' ? reply : &scan;
			if (*one)
				return bad(r, fl->name, "given more than once (one part of that name)");
			*one = fl;
		} else if (!strcmp(fl->name, "attachments")) {
			if (n == API_MAX_FILES) {
				snprintf(field, sizeof field, "attachments: more than %d files", API_MAX_FILES);
				return api_error(r, 413, "too-large", "attachments", field), -1;
			}
			snprintf(field, sizeof field, "attachments[%zu]", n);
			if (part_file(r, fl, field, &b->atts[n++]))
				return -1;
		} else {
			field_name(field, fl->name);
			return bad(r, field, "is not a part of a reply (reply, attachments, scan)");
		}
	}
	if (!*reply)
		return bad(r, "reply", "a part named reply holding the reply's JSON object is required");
	if (scan && part_file(r, scan, "scan", &b->scan))
		return -1;
	b->spec.attachments = n ? b->atts : NULL;
	b->spec.n_attachments = n;
	b->spec.scan = scan ? &b->scan : NULL;
	return 0;
}

/* Reads r's multipart body through the forms' post processor (body.h)
 * into r->form, then into b: 0, else -1 and the answer. */
static int multipart_body(preq *r, api_body *b)
{
	preqx *x = (preqx *)r; /* every request is the first member of its preqx (server.c) */
	struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 64 * 1024, body_field, x);
	if (!pp)
		return bad(r, "body", "a multipart body without its boundary"), -1;
	enum MHD_Result ok = MHD_post_process(pp, r->body.data ? r->body.data : "", r->body.len);
	if (MHD_destroy_post_processor(pp) != MHD_YES)
		ok = MHD_NO; /* it ended before the closing boundary */
	if (x->nameless)
		return bad(r, "body", "a part has no name (Content-Disposition: form-data; name=...)");
	if (ok != MHD_YES || x->bad_body)
		return bad(r, "body", "the multipart body cannot be read");
	if (r->form.overflow) {
		char msg[120];
		snprintf(msg, sizeof msg, "body: more than %d parts or %d files", PORTAL_MAX_FIELDS, PORTAL_MAX_FILES);
		return api_error(r, 413, "too-large", "body", msg), -1;
	}
	const pfield *reply;
	if (parts_of(r, b, &reply))
		return -1;
	if (reply->too_big) {
		char msg[120];
		snprintf(msg, sizeof msg, "reply: over the limit of %d bytes", 64 * 1024);
		return api_error(r, 413, "too-large", "reply", msg), -1;
	}
	return doc_of(r, reply->value.data, reply->value.len, "reply", 0, b) || scalars_of(r, b) ? -1 : 0;
}

/* Reads r's body into b (for consultation c): 0, else -1 and the answer. */
static int body_of(preq *r, const bt_consultation *c, api_body *b)
{
	if (r->body.failed)
		return api_body_too_large(r, NULL, body_max_of(r)), -1;
	b->spec.circular = c->circular;
	if (multipart_of(r))
		return multipart_body(r, b);
	if (doc_of(r, r->body.data, r->body.len, "body", 1, b))
		return -1;
	return scalars_of(r, b) || files_of(r, b) ? -1 : 0;
}

/* A refusal of the engine as the API's error: a quota's 413 or 429 (with
 * Retry-After), the Idempotency-Key's conflict 422, else by reason. */
static int refused(preq *r, int rc, const bt_reply_result *res, const bt_err *e)
{
	if (rc == BT_EINPUT && res->quota == BT_QUOTA_RATE) {
		r->retry_after = res->retry_after > 0 ? res->retry_after : 1;
		return api_error(r, 429, "quota", e->field, e->msg);
	}
	if (rc == BT_EINPUT && res->quota == BT_QUOTA_BYTES)
		return api_error(r, 413, "quota", e->field, e->msg);
	if (!strcmp(e->field, "idempotency_key"))
		return api_error(r, e->reason == BT_R_CONFLICT ? 422 : 400,
				 e->reason == BT_R_CONFLICT ? "idempotency-key-reused" : "input", "Idempotency-Key",
				 e->msg);
	if (e->reason == BT_R_FORBIDDEN && !strcmp(e->msg, "token: not valid"))
		return api_error(r, 401, "unauthorized", "token", e->msg);
	if (e->reason == BT_R_NOT_FOUND) /* a member or draft the body names: bad input */
		return api_error(r, 400, "input", e->field, e->msg);
	/* the engine's refusals of the files as a whole name the body's member */
	if (!e->field[0] && (!strncmp(e->msg, "attachment: ", 12) || !strncmp(e->msg, "scan: ", 6))) {
		bt_err named = *e;
		snprintf(named.field, sizeof named.field, "%s", e->msg[0] == 'a' ? "attachments" : "scan");
		return api_engine_error(r, &named);
	}
	return api_engine_error(r, e);
}

/* The warnings the command line prints after recording res (and about a
 * stale form reference) into r's Ballot-Warnings header: a JSON array of
 * strings, none when there is nothing to say. Only ASCII goes in a header:
 * the codes, draft numbers and times in them are. */
static void warnings_of(preq *r, const bt_reply_result *res, int stale, const char *circular)
{
	bt_buf b = BT_BUF_INIT;
	char rt[BT_TIME_LEN], dl[BT_TIME_LEN], said[5][300];
	size_t n = 0;
	bt_time_format(res->received, rt);
	bt_time_format(res->deadline, dl);
	r->warnings[0] = '\0';
	if (stale)
		snprintf(said[n++], sizeof said[0], "ref: the drafts of circular %s changed after this form "
			 "was issued; check that the reply covers the draft meant", circular);
	if (res->late)
		snprintf(said[n++], sizeof said[0], "late: received %s, after the deadline %s; recorded, "
			 "not counted", rt, dl);
	if (res->without_reasons)
		snprintf(said[n++], sizeof said[0], "%s does not authorize %s without reasons attached; "
			 "recorded and flagged", res->member, res->rec);
	if (res->supersedes)
		snprintf(said[n++], sizeof said[0], "supersedes the earlier reply of %s on %s", res->member,
			 res->rec);
	if (res->outdated)
		snprintf(said[n++], sizeof said[0], "%s already has a later-dated reply or withdrawal on %s; "
			 "this one is recorded but the later one stands", res->member, res->rec);
	for (size_t i = 0; i < n; i++) {
		bt_buf_adds(&b, i ? "," : "[");
		bt_json_str(&b, said[i]);
	}
	bt_buf_adds(&b, "]");
	if (n && !b.failed && b.len < sizeof r->warnings && bt_text_clean(bt_buf_str(&b), 0))
		memcpy(r->warnings, bt_buf_str(&b), b.len + 1);
	bt_buf_release(&b);
}

/* The signed receipt of event seq with status (201 new, 200 replayed) and
 * its Location. */
static int receipt_answer(preq *r, int64_t seq, int status)
{
	bt_err e;
	bt_buf_reset(&r->out);
	if (bt_receipt_issue(r->db, seq, r->p->sign_key, &r->out, NULL, &e))
		return api_engine_error(r, &e);
	r->status = status;
	r->ctype = "application/json";
	snprintf(r->location, sizeof r->location, "/api/v1/receipts/%lld", (long long)seq);
	return 0;
}

/* The Idempotency-Key header into k (NULL when none): 0, else -1 and the
 * 400 naming it. */
static int idem_of(preq *r, const char *token, bt_idem *k, const bt_idem **out)
{
	const char *key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
	bt_err e;
	*out = NULL;
	if (!key)
		return 0;
	if (bt_idem_key_check(key, &e))
		return api_error(r, 400, "input", "Idempotency-Key", e.msg), -1;
	*k = (bt_idem){ key, token, r->body.data, r->body.len };
	*out = k;
	return 0;
}

int api_reply(preq *r, const char *circular)
{
	bt_identity id;
	bt_consultation c;
	if (api_auth_scope(r, BT_SCOPE_WRITE, &id))
		return 0;
	if (id.role != BT_ROLE_SECRETARIAT)
		return api_error(r, 403, "forbidden", "token",
				 "token: only a secretariat account's token records replies");
	if (api_consultation(r, &id, circular, &c))
		return 0;
	bt_idem k;
	const bt_idem *key;
	api_body b;
	memset(&b, 0, sizeof b);
	if (idem_of(r, api_bearer(r), &k, &key) || body_of(r, &c, &b))
		return api_body_free(&b), 0;
	bt_err e;
	int stale = 0, replayed = 0;
	if (b.ref && bt_form_ref_check(r->db, b.ref, c.circular, b.spec.member, &stale, &e)) {
		api_body_free(&b);
		return api_engine_error(r, &e);
	}
	char actor[96];
	snprintf(actor, sizeof actor, "api:%s", id.user);
	bt_reply_result res;
	int rc = bt_reply_record_once(r->db, &b.spec, actor, r->now, key, &res, &replayed, &e);
	api_body_free(&b);
	if (rc)
		return refused(r, rc, &res, &e);
	rc = receipt_answer(r, res.event_seq, replayed ? 200 : 201);
	if (r->status == 201 || r->status == 200)
		warnings_of(r, &res, stale, c.circular);
	return rc;
}

int api_receipt(preq *r, const char *event)
{
	bt_identity id;
	if (api_auth_scope(r, BT_SCOPE_READ, &id))
		return 0;
	char *end;
	long long seq = strtoll(event, &end, 10);
	if (*end || seq <= 0 || event[0] < '0' || event[0] > '9') {
		char msg[120];
		snprintf(msg, sizeof msg, "event: '%.40s' is not an event number", event);
		return api_error(r, 404, "not-found", "event", msg);
	}
	bt_receipt info;
	bt_err e;
	bt_buf_reset(&r->out);
	if (bt_receipt_issue(r->db, seq, r->p->sign_key, &r->out, &info, &e))
		return api_engine_error(r, &e);
	bt_consultation c;
	if (api_consultation(r, &id, info.circular, &c))
		return 0;
	r->ctype = "application/json";
	return 0;
}
