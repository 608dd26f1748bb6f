/* receipt.c - signed receipts (include/ballot/receipt.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"
#include "ballot/jsonread.h"

#define RECEIPT_MAX (1 << 20)

/* The fields of a receipt in their order; "signature" follows them. */
enum { F_FORMAT, F_KIND, F_CIRCULAR, F_MEMBER, F_DRAFT, F_CHOICE, F_ATTACHMENTS, F_RECEIVED,
       F_RECORDED, F_EVENT, F_PREV, F_HASH, F_BODY, F_KEY, F_COUNT };
static const char *const field_names[F_COUNT] = {
	"format", "kind", "circular", "member", "draft", "choice", "attachments", "received",
	"recorded", "event", "prev", "hash", "body", "key",
};

/* A failure about a field of the receipt document ("signature: ...",
 * "receipt: byte 100: ..."): its name is part of the message, not one of the
 * engine's input fields (no front end renames it). Returns rc. */
static int doc_field(int rc, bt_err *e)
{
	if (rc && e)
		e->field[0] = '\0';
	return rc;
}

/* What a receipt is made of: the event (its body parsed) and the key. */
typedef struct receipt_src {
	const bt_jv *body;     /* the event's JSON */
	const char *body_text; /* exactly as chained (NUL-terminated, no NUL inside) */
	const char *prev, *hash, *key;
} receipt_src;

/* Checks that the event can be receipted: its kind and the fields used. */
static int src_check(const receipt_src *s, bt_err *e)
{
	const char *kind = bt_jv_str(s->body, "kind");
	int64_t seq;
	if (!event_kind_is(kind, EK_RECEIPT))
		return bt_failf(e, BT_R_INPUT, NULL,
				"kind: a receipt is for a reply, withdrawal or decision, not '%s'",
				kind && bt_text_clean(kind, 0) ? kind : "(none)");
	int decision = strcmp(kind, EVK_DECISION) == 0;
	if (!bt_jv_int(s->body, "seq", &seq) || !bt_jv_str(s->body, "circular") ||
	    !bt_jv_str(s->body, "draft") || !bt_jv_str(s->body, "at") ||
	    !bt_jv_str(s->body, decision ? "decision" : "choice") ||
	    (!decision && (!bt_jv_str(s->body, "member") || !bt_jv_str(s->body, "received"))))
		return bt_failf(e, BT_R_INPUT, NULL,
				"body: the event lacks the fields of a %s", kind);
	const bt_jv *a = bt_jv_get(s->body, "attachments");
	if (a && a->type != BT_JARR)
		return bt_failf(e, BT_R_INPUT, NULL,
				"body: the event's attachments are not a list");
	return BT_OK;
}

/* Appends the JSON value of field f. */
static int field_value(const receipt_src *s, int f, bt_buf *b)
{
	int decision = strcmp(bt_jv_str(s->body, "kind"), EVK_DECISION) == 0;
	int64_t seq = 0;
	const bt_jv *a;
	switch (f) {
	case F_FORMAT: return bt_json_str(b, BT_RECEIPT_FORMAT);
	case F_KIND: return bt_json_str(b, bt_jv_str(s->body, "kind"));
	case F_CIRCULAR: return bt_json_str(b, bt_jv_str(s->body, "circular"));
	case F_MEMBER: return bt_json_str(b, decision ? NULL : bt_jv_str(s->body, "member"));
	case F_DRAFT: return bt_json_str(b, bt_jv_str(s->body, "draft"));
	case F_CHOICE: return bt_json_str(b, bt_jv_str(s->body, decision ? "decision" : "choice"));
	case F_ATTACHMENTS:
		a = bt_jv_get(s->body, "attachments");
		return a ? bt_jv_write(b, a) : bt_buf_adds(b, "[]");
	case F_RECEIVED: return bt_json_str(b, decision ? NULL : bt_jv_str(s->body, "received"));
	case F_RECORDED: return bt_json_str(b, bt_jv_str(s->body, "at"));
	case F_EVENT:
		bt_jv_int(s->body, "seq", &seq);
		return bt_buf_addf(b, "%lld", (long long)seq);
	case F_PREV: return bt_json_str(b, s->prev);
	case F_HASH: return bt_json_str(b, s->hash);
	case F_BODY: return bt_json_str(b, s->body_text);
	default: return bt_json_str(b, s->key);
	}
}

static void fill(const receipt_src *s, bt_receipt *out);

/* The signed part: '{' every field '}' . */
static int render_signed(const receipt_src *s, bt_buf *b)
{
	bt_buf_addc(b, '{');
	for (int f = 0; f < F_COUNT; f++) {
		bt_json_key(b, field_names[f], f == 0);
		field_value(s, f, b);
	}
	return bt_buf_addc(b, '}');
}

int bt_receipt_issue(bt_db *db, int64_t seq, const bt_key *key, bt_buf *out, bt_receipt *info,
		     bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_FOR_RECEIPT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int rc = sqlite3_step(st);
	const char *kind = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 3) : NULL;
	if (rc == SQLITE_ROW && !event_kind_is(kind, EK_RECEIPT)) /* it has no receipt */
		rc = bt_failf(e, BT_R_NOT_FOUND, "event", "event %lld is not a reply, withdrawal or decision", (long long)seq);
	else if (rc == SQLITE_DONE)
		rc = bt_failf(e, BT_R_NOT_FOUND, "event", "there is no event %lld", (long long)seq);
	else if (rc != SQLITE_ROW)
		rc = db_fail(db, e, "reading an event");
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc;
	}
	char prev[65], hash[65];
	char *text = db_col_strdup(st, 0);
	db_col_copy(st, 1, prev, sizeof prev);
	db_col_copy(st, 2, hash, sizeof hash);
	sqlite3_reset(st);
	if (!text)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	bt_jv *body = NULL;
	receipt_src s = { NULL, text, prev, hash, bt_key_public(key)->text };
	bt_buf doc = BT_BUF_INIT;
	if (!(rc = doc_field(bt_json_parse(text, strlen(text), "event", &body, e), e))) {
		s.body = body;
		rc = src_check(&s, e);
	}
	if (!rc && render_signed(&s, &doc))
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if (!rc && !(rc = json_sign_close(key, &doc, e))) {
		if (bt_buf_add(out, doc.data, doc.len))
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		else if (info)
			fill(&s, info);
	}
	bt_buf_release(&doc);
	bt_jv_free(body);
	free(text);
	return rc;
}

/* Fills out from a receipt that verified. */
static void fill(const receipt_src *s, bt_receipt *out)
{
	const char *kind = bt_jv_str(s->body, "kind");
	int decision = strcmp(kind, EVK_DECISION) == 0;
	const bt_jv *a = bt_jv_get(s->body, "attachments");
	memset(out, 0, sizeof *out);
	snprintf(out->kind, sizeof out->kind, "%s", kind);
	snprintf(out->circular, sizeof out->circular, "%s", bt_jv_str(s->body, "circular"));
	snprintf(out->draft, sizeof out->draft, "%s", bt_jv_str(s->body, "draft"));
	snprintf(out->choice, sizeof out->choice, "%s", bt_jv_str(s->body, decision ? "decision" : "choice"));
	snprintf(out->recorded, sizeof out->recorded, "%s", bt_jv_str(s->body, "at"));
	if (!decision) {
		snprintf(out->member, sizeof out->member, "%s", bt_jv_str(s->body, "member"));
		snprintf(out->received, sizeof out->received, "%s", bt_jv_str(s->body, "received"));
	}
	bt_jv_int(s->body, "seq", &out->event);
	snprintf(out->hash, sizeof out->hash, "%s", s->hash);
	out->attachments = a ? (int)a->n : 0;
	const bt_jv *g = bt_jv_get(s->body, "signer"), *v = g ? bt_jv_get(g, "verified") : NULL;
	const char *subject = g ? bt_jv_str(g, "subject") : NULL;
	if (subject) {
		snprintf(out->signer, sizeof out->signer, "%s", subject);
		out->signer_verified = v && v->type == BT_JBOOL && v->boolean;
	}
}

/* A value of the receipt for a message: its JSON, cut short. */
static const char *shown(const bt_jv *v, bt_buf *tmp)
{
	bt_buf_reset(tmp);
	if (!v)
		return "(missing)";
	bt_jv_write(tmp, v);
	if (tmp->len > 80) {
		tmp->len = 77;
		bt_buf_adds(tmp, "...");
	}
	return bt_buf_str(tmp);
}

/* Checks the receipt document's outside: only known fields, its format,
 * the key given, two chain hashes and a body string; fills s's prev, hash
 * and key, and *b. got is scratch for messages. */
static int doc_check(const bt_jv *doc, const bt_pubkey *pub, receipt_src *s, const bt_jv **b, bt_buf *got,
		     bt_err *e)
{
	if (doc->type != BT_JOBJ)
		return bt_failf(e, BT_R_INPUT, NULL, "receipt: not a JSON object");
	for (size_t i = 0; i < doc->n; i++) {
		int known = strcmp(doc->keys[i], "signature") == 0;
		for (int f = 0; !known && f < F_COUNT; f++)
			known = strcmp(doc->keys[i], field_names[f]) == 0;
		if (!known)
			return bt_failf(e, BT_R_INPUT, NULL, "receipt: unknown field '%.40s'",
					bt_text_clean(doc->keys[i], 0) ? doc->keys[i] : "(unprintable)");
	}
	const char *format = bt_jv_str(doc, "format");
	if (!format || strcmp(format, BT_RECEIPT_FORMAT))
		return bt_failf(e, BT_R_INPUT, NULL, "format: %s is not %s", shown(bt_jv_get(doc, "format"), got),
				BT_RECEIPT_FORMAT);
	*s = (receipt_src){ NULL, NULL, bt_jv_str(doc, "prev"), bt_jv_str(doc, "hash"), bt_jv_str(doc, "key") };
	if (!s->key || strcmp(s->key, pub->text))
		return bt_failf(e, BT_R_INPUT, NULL, "key: the receipt names %s, not the key given (%s)",
				shown(bt_jv_get(doc, "key"), got), pub->text);
	if (!hex_lower(s->prev, 64) || !hex_lower(s->hash, 64))
		return bt_failf(e, BT_R_INPUT, NULL, "%s: not a chain hash (64 lowercase hex digits)",
				hex_lower(s->prev, 64) ? "hash" : "prev");
	*b = bt_jv_get(doc, "body");
	if (!*b || (*b)->type != BT_JSTR)
		return bt_failf(e, BT_R_INPUT, NULL, "body: missing or not a string");
	s->body_text = (*b)->str;
	return BT_OK;
}

/* Checks that prev + "\n" + body hashes to s->hash. */
static int hash_check(const receipt_src *s, const bt_jv *b, bt_buf *got, bt_err *e)
{
	char h[65];
	bt_buf_reset(got);
	bt_buf_adds(got, s->prev);
	bt_buf_addc(got, '\n');
	bt_buf_add(got, b->str, b->len);
	if (got->failed)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	sha256_hex(got->data, got->len, h);
	if (strcmp(h, s->hash))
		return bt_failf(e, BT_R_INPUT, NULL,
				"hash: the event's body does not hash to %.16s... (the body or prev was changed)", s->hash);
	return BT_OK;
}

/* Checks that each field of doc says what the event (s->body) says, then
 * the signature over them. want, got and tmp are scratch. */
static int fields_check(const bt_jv *doc, const receipt_src *s, const bt_pubkey *pub, bt_buf *want, bt_buf *got,
			bt_buf *tmp, bt_err *e)
{
	for (int f = 0; f < F_COUNT; f++) {
		bt_buf_reset(want);
		field_value(s, f, want);
		const bt_jv *v = bt_jv_get(doc, field_names[f]);
		bt_buf_reset(got);
		if (v)
			bt_jv_write(got, v);
		if (want->failed || got->failed)
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		if (!v || want->len != got->len || memcmp(want->data, got->data, want->len))
			return bt_failf(e, BT_R_INPUT, NULL, "%s: the receipt says %s but its event says %.80s",
					field_names[f], shown(v, tmp), bt_buf_str(want));
	}
	const char *signature = bt_jv_str(doc, "signature");
	bt_buf_reset(want);
	if (render_signed(s, want))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if (!signature)
		return bt_failf(e, BT_R_INPUT, NULL, "signature: missing");
	return doc_field(bt_pubkey_verify(pub, want->data, want->len, signature, "signature", e), e);
}

int bt_receipt_verify(const char *text, size_t len, const bt_pubkey *pub, bt_receipt *out, bt_err *e)
{
	bt_jv *doc = NULL, *body = NULL;
	bt_buf want = BT_BUF_INIT, got = BT_BUF_INIT, tmp = BT_BUF_INIT;
	int rc;
	if (len > RECEIPT_MAX)
		return bt_failf(e, BT_R_INPUT, NULL,
				"receipt: %zu bytes, more than a receipt can be", len);
	/* as `ballot reply` prints it: "receipt: " before, a line end after */
	if (len > 9 && memcmp(text, "receipt: ", 9) == 0) {
		text += 9;
		len -= 9;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if ((rc = doc_field(bt_json_parse(text, len, "receipt", &doc, e), e)))
		return rc;
	receipt_src s;
	const bt_jv *b = NULL;
	if (!(rc = doc_check(doc, pub, &s, &b, &got, e)) && !(rc = hash_check(&s, b, &got, e)) &&
	    !(rc = doc_field(bt_json_parse(b->str, b->len, "body", &body, e), e))) {
		s.body = body;
		if (!(rc = src_check(&s, e)) && !(rc = fields_check(doc, &s, pub, &want, &got, &tmp, e)) && out)
			fill(&s, out);
	}
	bt_buf_release(&want);
	bt_buf_release(&got);
	bt_buf_release(&tmp);
	bt_jv_free(body);
	bt_jv_free(doc);
	return rc;
}
