/* receipt_block.c - the receipt block of a recorded reply and its signed receipt
 * (receipt_block.h). */
#include <stdio.h>
#include <string.h>
#include "ballot/audit.h"
#include "ballot/sign.h"
#include "portal/answer.h"
#include "portal/doc_links.h"
#include "portal/error.h"
#include "portal/html.h"
#include "portal/receipt_block.h"

void portal_receipt_name(char *out, size_t n, const char *circular, int64_t id, int by_event)
{
	char suffix[48];
	if (by_event)
		snprintf(suffix, sizeof suffix, "-event-%lld.json", (long long)id);
	else
		snprintf(suffix, sizeof suffix, "-%lld.json", (long long)id);
	portal_file_name(out, n, "receipt-", circular, suffix);
}

int portal_receipt_issue(preq *r, int64_t seq, bt_receipt *info)
{
	bt_err e;
	bt_buf_reset(&r->out);
	int rc = bt_receipt_issue(r->db, seq, r->p->sign_key, &r->out, info, &e);
	if (rc)
		return page_engine_error(r, &e), -1;
	r->ctype = "application/json; charset=utf-8";
	return 0;
}

/* The notes under a receipt: late, replaces an earlier one, no reasons
 * attached, an on-time form entered late and why. */
static void receipt_notes(preq *r, const bt_reply_result *res, const bt_reply_spec *spec)
{
	bt_buf *b = &r->out;
	const char *notes[] = { res->late ? "receipt_late" : NULL, res->supersedes ? "receipt_supersedes" : NULL,
				res->without_reasons && !res->outdated ? "receipt_no_reasons" : NULL };
	for (size_t i = 0; i < 3; i++)
		if (notes[i]) {
			bt_buf_adds(b, "<p class=\"note\">");
			html_text(b, L(r, notes[i]));
			bt_buf_adds(b, "</p>\n");
		}
	/* an on-time paper form entered after the deadline, and why */
	if (res->late_entry_seq && spec && spec->late_entry_reason) {
		const char *lv[] = { "reason", spec->late_entry_reason, NULL };
		bt_buf_addf(b, "<p class=\"note late-entry\" data-event=\"%lld\">", (long long)res->late_entry_seq);
		Lf(r, b, "receipt_late_entry", lv);
		bt_buf_adds(b, "</p>\n");
	}
}

/* The files of a receipt: those of spec (as sent), else those of it (as
 * stored), name, size and SHA-256. */
static void receipt_files(preq *r, const bt_reply_spec *spec, const bt_history_item *it)
{
	bt_buf *b = &r->out;
	size_t n = spec && (spec->n_attachments || spec->scan) ? spec->n_attachments + !!spec->scan
								 : it ? it->n_attachments : 0;
	if (!n)
		return;
	bt_buf_adds(b, "<dt>");
	html_text(b, L(r, "receipt_files"));
	bt_buf_adds(b, "</dt><dd><ul>\n");
	for (size_t i = 0; i < n; i++) {
		char hex[65];
		const char *name;
		long long len;
		if (spec && (spec->n_attachments || spec->scan)) {
			const bt_attachment_in *a = i < spec->n_attachments ? &spec->attachments[i] : spec->scan;
			bt_sha256_hex(a->data, a->len, hex);
			name = a->name;
			len = (long long)a->len;
		} else {
			snprintf(hex, sizeof hex, "%s", it->attachments[i].sha256);
			name = it->attachments[i].name;
			len = (long long)it->attachments[i].size;
		}
		bt_buf_adds(b, "<li>");
		html_text(b, name);
		bt_buf_addf(b, " (%lld bytes) <code class=\"file-sha256\">%s</code></li>\n", len, hex);
	}
	bt_buf_adds(b, "</ul></dd>\n");
}

/* The link to a receipt's signed file and the command that checks it: an
 * administration asks by reply number, the secretariat by event. */
static void receipt_link(preq *r, const bt_reply_result *res, const char *circular)
{
	bt_buf *b = &r->out;
	char file[sizeof r->filename];
	int member = r->s.id.role == BT_ROLE_MEMBER;
	portal_receipt_name(file, sizeof file, circular, member ? res->reply_id : res->event_seq, !member);
	bt_buf_addf(b, "<p class=\"receipt-file\"><a class=\"receipt-json\" type=\"application/json\" "
		    "href=\"/%s/receipt/%lld.json\">", member ? "member" : "secretariat",
		    (long long)(member ? res->reply_id : res->event_seq));
	html_text(b, L(r, "receipt_download"));
	bt_buf_adds(b, "</a>");
	html_receipt_pdf_link(r, member ? "/member/receipt/" : "/secretariat/receipt/",
			      member ? res->reply_id : res->event_seq);
	bt_buf_adds(b, "<br>\n<small>");
	html_text(b, L(r, "receipt_signed"));
	bt_buf_adds(b, "</small><br>\n<code class=\"verify\" dir=\"ltr\">ballot receipt verify ");
	html_text(b, file);
	bt_buf_adds(b, " --key ");
	html_text(b, bt_key_public(r->p->sign_key)->text);
	bt_buf_adds(b, "</code></p>\n");
}


/* html_receipt, with the files of it when spec has none. */
static void receipt_section(preq *r, const bt_reply_result *res, const char *circular, const bt_reply_spec *spec,
			    const bt_history_item *it, const char *signatory, const char *title, bt_time recorded_at)
{
	bt_buf *b = &r->out;
	char t[BT_TIME_LEN], rt[BT_TIME_LEN];
	bt_time_format(res->received, t);
	bt_time_format(recorded_at, rt);
	bt_buf_addf(b, "<section class=\"receipt\" id=\"receipt-%lld\">\n<dl>\n<dt>", (long long)res->reply_id);
	html_text(b, L(r, "receipt_reply"));
	bt_buf_addf(b, "</dt><dd><span class=\"reply-id\">%lld</span> — ", (long long)res->reply_id);
	Lspan(r, b, "circular_name", "circular", circular, "circular");
	bt_buf_adds(b, ", ");
	html_text(b, res->member);
	bt_buf_adds(b, "</dd>\n<dt>");
	html_text(b, L(r, "receipt_draft"));
	bt_buf_adds(b, "</dt><dd>");
	Lspan(r, b, "rec_name", "rec", res->rec, "draft");
	bt_buf_adds(b, "</dd>\n<dt>");
	html_text(b, L(r, "receipt_choice"));
	bt_buf_addf(b, "</dt><dd><span class=\"choice\">%s</span> — ", bt_choice_name(res->choice));
	html_word(r, portal_choice_words, bt_choice_name(res->choice));
	bt_buf_adds(b, "</dd>\n<dt>");
	/* when it was received (for a fax, the time on it) and when the
	 * server recorded it; the same for a reply through the portal */
	html_text(b, L(r, "col_received"));
	bt_buf_addf(b, "</dt><dd><time class=\"received\" datetime=\"%s\" dir=\"ltr\">%s</time></dd>\n<dt>", t, t);
	html_text(b, L(r, "receipt_time"));
	bt_buf_addf(b, "</dt><dd><time class=\"recorded\" datetime=\"%s\" dir=\"ltr\">%s</time></dd>\n<dt>", rt, rt);
	html_text(b, L(r, "receipt_sha"));
	bt_buf_addf(b, "</dt><dd><code class=\"sha256\">%s</code></dd>\n<dt>", res->sha256);
	if ((signatory && *signatory) || (title && *title)) {
		html_text(b, L(r, "signatory_label"));
		bt_buf_adds(b, "</dt><dd><span class=\"signatory\">");
		html_text(b, signatory ? signatory : "");
		bt_buf_adds(b, "</span>");
		if (title && *title) {
			bt_buf_adds(b, ", <span class=\"official-title\">");
			html_text(b, title);
			bt_buf_adds(b, "</span>");
		}
		bt_buf_adds(b, "</dd>\n<dt>");
	}
	html_text(b, L(r, "receipt_event"));
	bt_buf_addf(b, "</dt><dd><span class=\"event\">%lld</span> <code class=\"chain\">%s</code></dd>\n",
		    (long long)res->event_seq, res->event_hash);
	receipt_files(r, spec, it);
	bt_buf_adds(b, "</dl>\n");
	receipt_notes(r, res, spec);
	receipt_link(r, res, circular);
	bt_buf_adds(b, "</section>\n");
}

void html_receipt(preq *r, const bt_reply_result *res, const char *circular, const bt_reply_spec *spec,
		  const char *signatory, const char *title, bt_time recorded_at)
{
	receipt_section(r, res, circular, spec, NULL, signatory, title, recorded_at);
}

/* 1 when item i of h replaces an earlier on-time reply or withdrawal of
 * its member on its draft. */
static int replaces(const bt_history *h, size_t i)
{
	const bt_history_item *it = &h->v[i];
	for (size_t k = 0; k < i; k++) {
		const bt_history_item *o = &h->v[k];
		if ((!strcmp(o->kind, "reply") || !strcmp(o->kind, "withdrawal")) && strcmp(o->status, "late") &&
		    !strcmp(o->member, it->member) && !strcmp(o->rec, it->rec))
			return 1;
	}
	return 0;
}

/* The late-entry event that gives item i's reason, or 0. */
static int64_t late_entry_of(const bt_history *h, size_t i)
{
	const bt_history_item *it = &h->v[i];
	for (size_t k = i + 1; it->late_entry && k < h->n; k++)
		if (!strcmp(h->v[k].kind, "late-entry") && !strcmp(h->v[k].member, it->member) &&
		    !strcmp(h->v[k].rec, it->rec))
			return h->v[k].seq;
	return 0;
}

int html_receipt_item(preq *r, const char *circular, const bt_history *h, size_t i, bt_err *e)
{
	const bt_history_item *it = &h->v[i];
	bt_reply_result res;
	memset(&res, 0, sizeof res);
	bt_time at;
	if (bt_event_digest(r->db, it->seq, &at, res.sha256, res.event_hash, e))
		return -1;
	res.reply_id = it->reply_id;
	res.event_seq = it->seq;
	snprintf(res.member, sizeof res.member, "%s", it->member);
	snprintf(res.rec, sizeof res.rec, "%s", it->rec);
	res.choice = !strcmp(it->kind, "withdrawal") ? BT_WITHDRAW : bt_choice_parse(it->what);
	res.received = it->received;
	res.late = !strcmp(it->status, "late");
	res.supersedes = !res.late && replaces(h, i);
	res.without_reasons = it->without_reasons;
	res.late_entry_seq = late_entry_of(h, i);
	bt_reply_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.late_entry_reason = it->late_entry;
	receipt_section(r, &res, circular, &spec, it, it->signatory, it->title, it->recorded_at);
	return 0;
}
