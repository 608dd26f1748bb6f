/* receipt_pdf.c - a signed receipt as a PDF in one of the six languages
 * (receipt_pdf.h): the receipt's fields in rows, how to verify it, and a QR
 * code of its verification data. Everything printed comes from the signed
 * JSON (and the member's name): no clock, no database read while drawing. */
#include "pdf/receipt_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/footer.h"
#include "pdf/pack.h"

static const pdf_tmpl_key schema[] = {
	PDF_LANG_KEYS,
	{ "title", "circular" },
	{ "heading_reply", "" },
	{ "heading_withdrawal", "" },
	{ "heading_decision", "" },
	{ "label_circular", "" },
	{ "label_member", "" },
	{ "label_draft", "" },
	{ "label_received", "" },
	{ "label_recorded", "" },
	{ "label_channel", "" },
	{ "label_signatory", "" },
	{ "label_form_signed", "" },
	{ "signer_verified", "" },
	{ "signer_not_verified", "" },
	{ "label_attachments", "" },
	{ "label_event", "" },
	{ "label_key", "" },
	{ "label_signature", "" },
	{ "choice_authorize", "" },
	{ "choice_authorize-with-comments", "" },
	{ "choice_not-authorize", "" },
	{ "choice_withdraw", "" },
	{ "decision_approved", "" },
	{ "decision_not-approved", "" },
	{ "decision_more-time", "" },
	{ "channel_portal", "" },
	{ "channel_email", "" },
	{ "channel_fax", "" },
	{ "channel_post", "" },
	{ "channel_other", "" },
	{ "role_comments", "" },
	{ "role_reasons", "" },
	{ "bytes", "n" },
	{ "none", "" },
	{ "event", "n" },
	{ "verify", "file" },
	{ "qr_note", "" },
	{ "unprintable", "mark" },
	{ "generated", "version" },
	{ "page", "page pages" },
	{ "doc_subject", "" },
	{ "doc_author", "" },
};

int receipt_pdf_lang_load(const char *forms_dir, const char *lang, pdf_words **out, bt_err *e)
{
	int known = 0;
	for (int i = 0; i < PDF_NLANGS; i++)
		known |= !strcmp(lang, pdf_langs[i]);
	if (!known)
		return bt_failf(e, BT_R_INPUT, "lang", "unknown language '%.40s' (en, fr, es, ru, zh or ar)",
				bt_text_clean(lang, 0) ? lang : "(unprintable)");
	return pdf_words_load(forms_dir, "receipt", lang, schema, sizeof schema / sizeof *schema, out, e);
}

#define MARGIN 50.0f
#define FOOT 34.0f
#define LABEL_W 120.0f
#define GAP 10.0f
#define QR_SIDE 118.0f

typedef struct rcp {
	pdf_doc *d;
	pdf_fonts *fonts;
	const pdf_words *w;
	const bt_jv *doc, *body;
	float h, cw, y;
	bt_buf val;     /* the value of the row being drawn */
	size_t fixed;   /* stored texts printed with the mark */
	bt_err *e;
} rcp;

static const pdf_style label_st = { 9, 1, PDF_START, 0.2f };
static const pdf_style value_st = { 9.5f, 0, PDF_START, 0 };
static const pdf_style body_st = { 9.5f, 0, PDF_START, 0 };

/* Appends key's words (with vars) to out. */
static void words(const rcp *p, const char *key, const char *const *vars, bt_buf *out)
{
	pdf_tmpl_expand(p->w->t, key, vars, out);
}

/* Appends s, a left-to-right value (a time, a hash, a code), so that it
 * keeps its order in a right-to-left page (U+202A ... U+202C). */
static void ltr(const rcp *p, const char *s, bt_buf *out)
{
	if (p->w->l.rtl)
		bt_buf_adds(out, "\xe2\x80\xaa");
	bt_buf_adds(out, s ? s : "");
	if (p->w->l.rtl)
		bt_buf_adds(out, "\xe2\x80\xac");
}

/* Appends s, text an administration sent, made printable. */
static int fixed(rcp *p, const char *s, bt_buf *out)
{
	size_t n = 0;
	int rc = pdf_text_fix(p->fonts, s ? s : "", out, &n, p->e);
	p->fixed += n != 0;
	return rc;
}

/* Draws text across the page, on a new page when it does not fit. */
static int para(rcp *p, const char *s, const pdf_style *st, float x, float width, float after)
{
	float hh;
	int rc = pdf_text(p->d, s, x, p->y, width, st, 0, "receipt text", &hh, p->e);
	if (rc == BT_OK && p->y + hh > p->h - MARGIN - FOOT) {
		rc = pdf_page_add(p->d, p->e);
		p->y = MARGIN;
	}
	if (rc == BT_OK)
		rc = pdf_text(p->d, s, x, p->y, width, st, 1, "receipt text", &hh, p->e);
	p->y += hh + after;
	return rc;
}

/* One row: the label of key, then p->val beside it. */
static int row(rcp *p, const char *key)
{
	float lh, vh, vx = MARGIN + LABEL_W + GAP, vw = p->cw - LABEL_W - GAP;
	const char *label = pdf_tmpl_raw(p->w->t, key);
	if (p->val.failed)
		return bt_failf(p->e, BT_R_NOMEM, NULL, "out of memory");
	const char *v = bt_buf_str(&p->val);
	int rc = pdf_text(p->d, label, MARGIN, p->y, LABEL_W, &label_st, 0, "receipt text", &lh, p->e);
	if (rc == BT_OK)
		rc = pdf_text(p->d, v, vx, p->y, vw, &value_st, 0, "receipt text", &vh, p->e);
	if (rc == BT_OK && p->y + (lh > vh ? lh : vh) > p->h - MARGIN - FOOT) {
		rc = pdf_page_add(p->d, p->e);
		p->y = MARGIN;
	}
	if (rc == BT_OK)
		rc = pdf_text(p->d, label, MARGIN, p->y, LABEL_W, &label_st, 1, "receipt text", &lh, p->e);
	if (rc == BT_OK)
		rc = pdf_text(p->d, v, vx, p->y, vw, &value_st, 1, "receipt text", &vh, p->e);
	p->y += (lh > vh ? lh : vh) + 7;
	bt_buf_reset(&p->val);
	return rc;
}

/* The words of a value of the receipt (prefix "choice_" + "authorize"),
 * or the value itself when the template has none. */
static void word_of(rcp *p, const char *prefix, const char *value, bt_buf *out)
{
	char key[64];
	snprintf(key, sizeof key, "%s%s", prefix, value ? value : "");
	const char *s = pdf_tmpl_raw(p->w->t, key);
	if (*s)
		bt_buf_adds(out, s);
	else
		ltr(p, value, out);
}

/* Member, draft and choice, received, recorded, channel, signatory. */
static int who_what(rcp *p, const char *member_name)
{
	const char *kind = bt_jv_str(p->doc, "kind"), *member = bt_jv_str(p->doc, "member");
	int decision = !strcmp(kind, "decision"), rc = BT_OK;
	ltr(p, bt_jv_str(p->doc, "circular"), &p->val);
	if ((rc = row(p, "label_circular")))
		return rc;
	if (!decision) {
		ltr(p, member, &p->val);
		const char *name = pdf_words_name(p->w, member, member_name);
		if (name && *name) {
			bt_buf_adds(&p->val, " — ");
			bt_buf_adds(&p->val, name);
		}
		if ((rc = row(p, "label_member")))
			return rc;
	}
	bt_buf_adds(&p->val, "ITU-T ");
	ltr(p, bt_jv_str(p->doc, "draft"), &p->val);
	bt_buf_adds(&p->val, ": ");
	word_of(p, decision ? "decision_" : "choice_", bt_jv_str(p->doc, "choice"), &p->val);
	if ((rc = row(p, "label_draft")))
		return rc;
	if (!decision) {
		ltr(p, bt_jv_str(p->doc, "received"), &p->val);
		if ((rc = row(p, "label_received")))
			return rc;
	}
	ltr(p, bt_jv_str(p->doc, "recorded"), &p->val);
	if ((rc = row(p, "label_recorded")) || decision)
		return rc;
	word_of(p, "channel_", bt_jv_str(p->body, "channel"), &p->val);
	if ((rc = row(p, "label_channel")))
		return rc;
	const char *sig = bt_jv_str(p->body, "signatory"), *title = bt_jv_str(p->body, "title");
	if ((!sig || !*sig) && (!title || !*title))
		return BT_OK;
	rc = fixed(p, sig, &p->val);
	if (rc == BT_OK && title && *title) {
		bt_buf_adds(&p->val, sig && *sig ? ", " : "");
		rc = fixed(p, title, &p->val);
	}
	return rc ? rc : row(p, "label_signatory");
}

/* A reply from a signed PDF form: its signer's subject, verified or not. */
static int signer_row(rcp *p)
{
	const bt_jv *g = bt_jv_get(p->body, "signer"), *v = g ? bt_jv_get(g, "verified") : NULL;
	const char *subject = g ? bt_jv_str(g, "subject") : NULL;
	if (!subject)
		return BT_OK;
	int rc = fixed(p, subject, &p->val);
	bt_buf_adds(&p->val, " (");
	bt_buf_adds(&p->val, pdf_tmpl_raw(p->w->t, v && v->type == BT_JBOOL && v->boolean ?
					  "signer_verified" : "signer_not_verified"));
	bt_buf_adds(&p->val, ")");
	return rc ? rc : row(p, "label_form_signed");
}

/* The attachments: role, name, size, and the SHA-256 under each. */
static int attachments(rcp *p)
{
	const bt_jv *a = bt_jv_get(p->doc, "attachments");
	if (!a || a->type != BT_JARR || !a->n) {
		words(p, "none", NULL, &p->val);
		return row(p, "label_attachments");
	}
	for (size_t i = 0; i < a->n; i++) {
		const bt_jv *x = &a->items[i];
		int64_t size = 0;
		char n[24];
		bt_jv_int(x, "size", &size);
		snprintf(n, sizeof n, "%lld", (long long)size);
		const char *nv[] = { "n", n, NULL };
		if (i)
			bt_buf_addc(&p->val, '\n');
		word_of(p, "role_", bt_jv_str(x, "role"), &p->val);
		bt_buf_adds(&p->val, ": ");
		int rc = fixed(p, bt_jv_str(x, "name"), &p->val);
		if (rc)
			return rc;
		bt_buf_adds(&p->val, " (");
		words(p, "bytes", nv, &p->val);
		bt_buf_adds(&p->val, ")\n");
		ltr(p, bt_jv_str(x, "sha256"), &p->val);
	}
	return row(p, "label_attachments");
}

/* Appends s in lines of at most 48 characters (a signature has no spaces
 * to break at). */
static void broken(rcp *p, const char *s, bt_buf *out)
{
	char part[64];
	for (size_t i = 0, n = strlen(s); i < n; i += 48) {
		snprintf(part, sizeof part, "%.48s", s + i);
		if (i)
			bt_buf_addc(out, '\n');
		ltr(p, part, out);
	}
}

/* The event, its chain hash, the key and the signature. */
static int proof(rcp *p)
{
	int64_t ev = 0;
	char n[24];
	bt_jv_int(p->doc, "event", &ev);
	snprintf(n, sizeof n, "%lld", (long long)ev);
	const char *nv[] = { "n", n, NULL };
	words(p, "event", nv, &p->val);
	bt_buf_addc(&p->val, '\n');
	ltr(p, bt_jv_str(p->doc, "hash"), &p->val);
	int rc = row(p, "label_event");
	if (rc == BT_OK) {
		broken(p, bt_jv_str(p->doc, "key") ? bt_jv_str(p->doc, "key") : "", &p->val);
		rc = row(p, "label_key");
	}
	if (rc == BT_OK) {
		broken(p, bt_jv_str(p->doc, "signature") ? bt_jv_str(p->doc, "signature") : "", &p->val);
		rc = row(p, "label_signature");
	}
	return rc;
}

/* How to verify it, and the QR code of its verification data: the
 * format, event, chain hash, key and signature. */
static int verify_block(rcp *p, const char *json_name)
{
	bt_buf s = BT_BUF_INIT;
	const char *fv[] = { "file", json_name, NULL };
	int64_t ev = 0;
	p->y += 8;
	words(p, "verify", fv, &s);
	int rc = para(p, bt_buf_str(&s), &body_st, MARGIN, p->cw, 3);
	bt_buf_reset(&s);
	bt_buf_addf(&s, "ballot receipt verify %s --key %s", json_name, bt_jv_str(p->doc, "key"));
	bt_buf_reset(&p->val);
	ltr(p, bt_buf_str(&s), &p->val);
	if (rc == BT_OK)
		rc = para(p, bt_buf_str(&p->val), &value_st, MARGIN, p->cw, 12);
	bt_buf_reset(&p->val);
	if (rc == BT_OK && p->y + QR_SIDE > p->h - MARGIN - FOOT) {
		rc = pdf_page_add(p->d, p->e);
		p->y = MARGIN;
	}
	bt_jv_int(p->doc, "event", &ev);
	bt_buf_reset(&s);
	bt_buf_addf(&s, "%s event=%lld hash=%s key=%s signature=%s", BT_RECEIPT_FORMAT, (long long)ev,
		    bt_jv_str(p->doc, "hash"), bt_jv_str(p->doc, "key"), bt_jv_str(p->doc, "signature"));
	if (rc == BT_OK)
		rc = s.failed ? bt_failf(p->e, BT_R_NOMEM, NULL, "out of memory")
			      : pdf_qr(p->d, bt_buf_str(&s), MARGIN, p->y, QR_SIDE,
				       pdf_tmpl_raw(p->w->t, "qr_note"), p->e);
	float y0 = p->y;
	if (rc == BT_OK)
		rc = para(p, pdf_tmpl_raw(p->w->t, "qr_note"), &body_st, MARGIN + QR_SIDE + 14,
			  p->cw - QR_SIDE - 14, 0);
	p->y = y0 + QR_SIDE + 10;
	bt_buf_release(&s);
	return rc;
}

/* Title, heading, the rows, the verification and, when some stored text
 * had to be printed with the mark, a line that says so. */
static int body(rcp *p, const receipt_pdf_in *in)
{
	const char *cv[] = { "circular", bt_jv_str(p->doc, "circular"), NULL };
	static const pdf_style title_st = { 15, 1, PDF_START, 0 };
	static const pdf_style head_st = { 11, 1, PDF_START, 0.15f };
	char hk[40];
	bt_buf t = BT_BUF_INIT;
	words(p, "title", cv, &t);
	int rc = para(p, bt_buf_str(&t), &title_st, MARGIN, p->cw, 4);
	bt_buf_release(&t);
	snprintf(hk, sizeof hk, "heading_%s", bt_jv_str(p->doc, "kind"));
	if (rc == BT_OK)
		rc = para(p, pdf_tmpl_raw(p->w->t, hk), &head_st, MARGIN, p->cw, 14);
	if (rc == BT_OK)
		rc = who_what(p, in->member_name);
	if (rc == BT_OK)
		rc = signer_row(p);
	if (rc == BT_OK)
		rc = attachments(p);
	if (rc == BT_OK)
		rc = proof(p);
	if (rc == BT_OK)
		rc = verify_block(p, in->json_name ? in->json_name : "receipt.json");
	char mark[5];
	if (rc == BT_OK && p->fixed && (rc = pdf_fonts_mark(p->fonts, mark, p->e)) == BT_OK) {
		const char *mv[] = { "mark", mark, NULL };
		words(p, "unprintable", mv, &p->val);
		rc = para(p, bt_buf_str(&p->val), &body_st, MARGIN, p->cw, 0);
		bt_buf_reset(&p->val);
	}
	return rc;
}

/* The document's language, title, subject and author. */
static int info(rcp *p)
{
	const char *cv[] = { "circular", bt_jv_str(p->doc, "circular"), NULL };
	bt_buf t = BT_BUF_INIT, s = BT_BUF_INIT, a = BT_BUF_INIT;
	words(p, "title", cv, &t);
	words(p, "doc_subject", NULL, &s);
	words(p, "doc_author", NULL, &a);
	int rc = t.failed || s.failed || a.failed
			 ? bt_failf(p->e, BT_R_NOMEM, NULL, "out of memory")
			 : pdf_doc_info(p->d, p->w->code, bt_buf_str(&t), bt_buf_str(&s), bt_buf_str(&a), p->e);
	bt_buf_release(&t);
	bt_buf_release(&s);
	bt_buf_release(&a);
	return rc;
}

/* Parses the receipt: an object with the fields drawn, and its body. */
static int parse(const receipt_pdf_in *in, bt_jv **doc, bt_jv **body, bt_err *e)
{
	int rc = bt_json_parse(in->json, in->len, "receipt", doc, e);
	if (rc)
		return rc;
	const bt_jv *b = bt_jv_get(*doc, "body");
	const char *kind = bt_jv_str(*doc, "kind");
	if (!kind || !bt_jv_str(*doc, "circular") || !bt_jv_str(*doc, "draft") || !bt_jv_str(*doc, "choice") ||
	    !bt_jv_str(*doc, "hash") || !bt_jv_str(*doc, "key") || !b || b->type != BT_JSTR ||
	    (strcmp(kind, "decision") && (!bt_jv_str(*doc, "member") || !bt_jv_str(*doc, "received"))))
		return bt_failf(e, BT_R_INPUT, "receipt", "not a signed receipt of a reply, withdrawal or decision");
	return bt_json_parse(b->str, b->len, "receipt", body, e);
}

int receipt_pdf_render(pdf_fonts *fonts, const pdf_words *w, const receipt_pdf_in *in, pdf_paper paper,
		       bt_buf *out, bt_err *e)
{
	rcp p = { .fonts = fonts, .w = w, .e = e };
	bt_jv *doc = NULL, *bodyv = NULL;
	bt_buf_init(&p.val, 0);
	int rc = parse(in, &doc, &bodyv, e);
	p.doc = doc;
	p.body = bodyv;
	if (rc == BT_OK)
		rc = pdf_doc_new(fonts, paper, w->l.rtl, &p.d, e);
	if (rc == BT_OK) {
		p.h = pdf_page_height(p.d);
		p.cw = pdf_page_width(p.d) - 2 * MARGIN;
		p.y = MARGIN;
		rc = info(&p);
	}
	if (rc == BT_OK)
		rc = pdf_page_add(p.d, e);
	if (rc == BT_OK)
		rc = body(&p, in);
	if (rc == BT_OK) {
		const char *gv[] = { "version", BALLOT_VERSION, NULL };
		bt_buf_reset(&p.val);
		words(&p, "generated", gv, &p.val);
		rc = pdf_footers(p.d, w, MARGIN, p.h - MARGIN - FOOT + 14, p.cw, bt_buf_str(&p.val), NULL, e);
	}
	if (rc == BT_OK)
		rc = pdf_doc_bytes(p.d, out, e);
	if (rc == BT_OK)
		rc = pdf_pack(out, e); /* object streams */
	pdf_doc_free(p.d);
	bt_jv_free(doc);
	bt_jv_free(bodyv);
	bt_buf_release(&p.val);
	return rc;
}

/* The English name of member code in db, or NULL (name: freed by the caller). */
static char *member_en_name(bt_db *db, const char *code)
{
	bt_member_list ml = { 0 };
	bt_err e;
	char *name = NULL;
	if (!code || bt_members_list(db, BT_DATE_NONE, &ml, &e))
		return NULL;
	for (size_t i = 0; i < ml.n && !name; i++)
		if (!strcmp(ml.v[i].code, code))
			name = strdup(ml.v[i].name);
	bt_member_list_free(&ml);
	return name;
}

int receipt_pdf_build(bt_db *db, int64_t seq, const bt_key *key, const char *lang, const char *json_name,
		      bt_buf *out, bt_err *e)
{
	bt_buf json = BT_BUF_INIT;
	bt_receipt info;
	pdf_fonts *fonts = NULL;
	pdf_words *w = NULL;
	char *name = NULL;
	int rc = receipt_pdf_lang_load(pdf_forms_dir(), lang, &w, e);
	if (rc == BT_OK)
		rc = bt_receipt_issue(db, seq, key, &json, &info, e);
	if (rc == BT_OK)
		rc = pdf_fonts_load(pdf_forms_dir(), &fonts, e);
	if (rc == BT_OK) {
		name = member_en_name(db, info.member);
		receipt_pdf_in in = { json.data, json.len, name, json_name };
		rc = receipt_pdf_render(fonts, w, &in, PDF_A4, out, e);
	}
	free(name);
	pdf_words_free(w);
	pdf_fonts_free(fonts);
	bt_buf_release(&json);
	return rc;
}
