/* page_docs.c - documents to download (page_docs.h): receipts as PDF and
 * the drafts' texts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pdf/receipt_pdf.h"
#include "portal/answer.h"
#include "portal/circular.h"
#include "portal/error.h"
#include "portal/html.h"
#include "portal/page_docs.h"
#include "portal/receipt_block.h"

/* The event of the administration's own reply number id: 1 and *seq, 0 when
 * it has none such (in the consultations its code or certificate lets it
 * see), -1 with e when they cannot be read. */
static int own_reply(preq *r, int64_t id, int64_t *seq, char circular[64], bt_err *e)
{
	const bt_identity *who = &r->s.id;
	char circ[BT_ID_MAX + 1];
	int found = bt_history_locate(r->db, id, who->member, circ, seq, e);
	if (found == 1 && who->circular[0] && strcasecmp(who->circular, circ))
		found = 0; /* out of its code's consultation */
	if (found == 1)
		snprintf(circular, 64, "%s", circ);
	return found;
}

/* The PDF receipt of event seq in the page's language, named name. */
static int receipt_pdf(preq *r, int64_t seq, const char *json_name, const char *name)
{
	bt_err e;
	bt_buf_reset(&r->out);
	if (receipt_pdf_build(r->db, seq, r->p->sign_key, r->lang->code, json_name, &r->out, &e))
		return page_engine_error(r, &e);
	r->ctype = "application/pdf";
	snprintf(r->filename, sizeof r->filename, "%s", name);
	return 0;
}

/* name with ".json" replaced by suffix. */
static void renamed(char *out, size_t n, const char *name, const char *suffix)
{
	size_t l = strlen(name);
	if (l > 5 && !strcmp(name + l - 5, ".json"))
		l -= 5;
	snprintf(out, n, "%.*s%s", (int)l, name, suffix);
}

int page_member_receipt_pdf(preq *r, const char *id)
{
	char *end, circ[64], json[128], pdf[160], suffix[8];
	long long v = strtoll(id, &end, 10);
	int64_t seq = 0;
	bt_err e;
	if (*end || v <= 0)
		return page_field_error(r, BT_R_NOT_FOUND, "receipt", "'%.40s' is not a reply number", id);
	int found = own_reply(r, v, &seq, circ, &e);
	if (found < 0)
		return page_engine_error(r, &e);
	if (!found) /* another administration's, or none: the same answer */
		return page_error(r, 403, L(r, "err_scope"));
	if (portal_rows_check(r, circ))
		return 0;
	portal_receipt_name(json, sizeof json, circ, v, 0);
	snprintf(suffix, sizeof suffix, "-%s.pdf", r->lang->code);
	renamed(pdf, sizeof pdf, json, suffix);
	return receipt_pdf(r, seq, json, pdf);
}

int page_secretariat_receipt_pdf(preq *r, const char *seq)
{
	char *end, json[128], pdf[160], suffix[8];
	long long v = strtoll(seq, &end, 10);
	if (*end || v <= 0)
		return page_field_error(r, BT_R_NOT_FOUND, "event", "'%.40s' is not an event number", seq);
	bt_receipt info;
	if (portal_receipt_issue(r, v, &info)) /* 404 for no such event */
		return 0;
	if (portal_rows_check(r, info.circular))
		return 0;
	portal_receipt_name(json, sizeof json, info.circular, v, 1);
	snprintf(suffix, sizeof suffix, "-%s.pdf", r->lang->code);
	renamed(pdf, sizeof pdf, json, suffix);
	return receipt_pdf(r, v, json, pdf);
}

/* Splits "<circular>/draft/<rec>" (the circular may hold '/'). */
static int split_seg(const char *seg, char circ[128], const char **rec)
{
	const char *p = NULL;
	for (const char *q = strstr(seg, "/draft/"); q; q = strstr(q + 1, "/draft/"))
		p = q;
	if (!p || p == seg || !p[7])
		return -1;
	snprintf(circ, 128, "%.*s", (int)(p - seg), seg);
	*rec = p + 7;
	return 0;
}

/* The text of draft rec of c, as a download. */
static int draft_text(preq *r, const bt_consultation *c, const char *rec)
{
	bt_err e;
	char sha[65], suffix[160];
	bt_buf_reset(&r->out);
	if (portal_rows_check(r, c->circular))
		return 0;
	if (bt_draft_text_get(r->db, c->circular, rec, &r->out, sha, &e))
		return page_engine_error(r, &e);
	/* what it is: a PDF, plain UTF-8 text, or bytes */
	int is_pdf = r->out.len > 5 && !memcmp(r->out.data, "%PDF-", 5);
	int is_text = !is_pdf && r->out.len && !memchr(r->out.data, 0, r->out.len) && bt_text_clean(bt_buf_str(&r->out), 1);
	r->ctype = is_pdf ? "application/pdf" : is_text ? "text/plain; charset=utf-8" : "application/octet-stream";
	snprintf(suffix, sizeof suffix, "-%s-text.%s", rec, is_pdf ? "pdf" : is_text ? "txt" : "bin");
	portal_file_name(r->filename, sizeof r->filename, "", c->circular, suffix);
	return 0;
}

int page_member_draft_text(preq *r, const char *seg)
{
	char circ[128];
	const char *rec;
	bt_consultation c;
	bt_err e;
	int in = 0;
	if (split_seg(seg, circ, &rec))
		return page_error(r, 404, L(r, "err_not_found"));
	/* as the administration's consultation page: 403 for a circular out of
	 * its code's scope or electorate, and for one that does not exist */
	const bt_identity *who = &r->s.id;
	if ((who->circular[0] && strcasecmp(who->circular, circ)))
		return page_error(r, 403, L(r, "err_scope"));
	int rc = bt_consultation_get(r->db, circ, &c, &e);
	if (rc == BT_OK && (bt_electorate_has(r->db, c.circular, who->member, &in, &e) || !in))
		rc = BT_EINPUT;
	if (rc == BT_EINPUT)
		return page_error(r, 403, L(r, "err_scope"));
	if (rc)
		return page_engine_error(r, &e);
	return draft_text(r, &c, rec);
}

int page_secretariat_draft_text(preq *r, const char *seg)
{
	char circ[128];
	const char *rec;
	bt_consultation c;
	if (split_seg(seg, circ, &rec))
		return page_error(r, 404, L(r, "err_not_found"));
	if (portal_consultation(r, circ, &c))
		return 0;
	return draft_text(r, &c, rec);
}
