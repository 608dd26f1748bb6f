/* page_staff_inbox.c - the mail inbox in the secretariat's pages
 * (page_staff_inbox.h). The list and the entry show what `ballot inbox
 * list/show` print; accepting checks the entry's form and builds its
 * replies with the engine's calls that `ballot inbox accept` makes
 * (bt_returned_check, bt_returned_specs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ballot/formref.h"
#include "ballot/returned.h"
#include "pdf/pdfread.h"
#include "pdf/lang.h"
#include "pdf/returned_form.h"
#include "pdf/scan_read.h"
#include "portal/answer.h"
#include "portal/error.h"
#include "portal/html.h"
#include "portal/identity.h"
#include "portal/once.h"
#include "portal/confirm.h"
#include "portal/page_staff_inbox.h"
#include "portal/returned.h"

/* Entry number n: 0 with *id, else -1 and the 404 page. */
static int entry_id(preq *r, const char *n, int64_t *id)
{
	char *end;
	long long v = strtoll(n, &end, 10);
	if (*end || end == n || v < 1)
		return page_field_error(r, BT_R_NOT_FOUND, "inbox", "'%.40s' is not an entry number", n), -1;
	*id = v;
	return 0;
}

/* Entry n with its bytes and parts into x: 0, else -1 and the error page. */
static int entry_load(preq *r, const char *n, bt_inbox_entry *x)
{
	int64_t id;
	bt_err e;
	memset(x, 0, sizeof *x);
	if (entry_id(r, n, &id))
		return -1;
	if (bt_inbox_get(r->db, id, x, &e))
		return page_engine_error(r, &e), -1;
	return 0;
}

#define SCAN_ROWS 48 /* the drafts of a scanned entry's form (fields in one POST) */

/* Entry x's form part, NULL when it has none. */
static const bt_inbox_part *form_part(const bt_inbox_entry *x)
{
	for (size_t i = 0; i < x->nparts; i++)
		if (x->form[0] && !strcmp(x->parts[i].name, x->form))
			return &x->parts[i];
	return NULL;
}

/* 1 when entry x's form was read from a scan (an image, or a PDF without
 * the form's fields), as `ballot inbox accept` tells them apart: mail fetch
 * kept what the scan's rows proposed (x->choices). */
static int from_scan(const bt_inbox_entry *x)
{
	const bt_inbox_part *p = form_part(x);
	pdf_form_values v;
	bt_err e;
	if (!p)
		return 0;
	int filled = !pdf_form_read(p->data, p->len, p->name, &v, &e) && pdf_form_value(&v, PDF_FIELD_REFERENCE);
	pdf_form_values_free(&v);
	return !filled;
}

enum { ASK_NONE, ASK_GET, ASK_POST }; /* where the secretariat's choices are read */

/* The choice of draft rec the request gives (field draft.<REC>.choice: a
 * GET argument, or the POST's field), NULL when none. */
static const char *asked_choice(preq *r, const char *rec, int ask)
{
	char name[BT_ID_MAX + 16];
	snprintf(name, sizeof name, "draft.%s.choice", rec);
	const char *v = ask == ASK_POST ? pform_get(&r->form, name) :
		ask == ASK_GET ? MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
	return v && *v ? v : NULL;
}

/* The rows of scanned entry x read again from its form part with the scan
 * reader (pdf/scan_read.h: not the proposal mail fetch stored, a bounded
 * column that cuts a long draft list) into d, at most SCAN_ROWS: their
 * number, -1 with e when the scan cannot be read. */
static int scan_reread(preq *r, const bt_inbox_entry *x, bt_returned_draft *d, bt_err *e)
{
	const bt_inbox_part *p = form_part(x);
	scan_result res;
	pdf_form_values v;
	char ref[BT_FORM_REF_MAX];
	memset(&res, 0, sizeof res);
	memset(&v, 0, sizeof v);
	scan_reader rd = { r->db, NULL, r->p->portal_url, PORTAL_SCAN_PAGES, PORTAL_SCAN_PIXELS };
	int rc = p ? pdf_fonts_load(pdf_forms_dir(), &rd.fonts, e) : bt_failf(e, BT_R_NOT_FOUND, "form", "no form");
	if (!rc && returned_scan_begin(r->p->returned))
		rc = bt_failf(e, BT_R_CONFLICT, "form", "other scans are being read just now: reload the page in a "
			      "moment");
	else if (!rc) {
		rc = scan_read_bytes(&rd, p->name, p->data, p->len, &res, e);
		returned_scan_end(r->p->returned);
	}
	if (!rc)
		rc = scan_form_values(&res, p->name, &v, ref, e);
	if (!rc && (v.n_drafts > SCAN_ROWS || strcmp(ref, x->reference)))
		rc = bt_failf(e, BT_R_INPUT, "form", "the scan reads as form %s of %zu drafts", ref, v.n_drafts);
	int n = 0;
	for (size_t i = 0; !rc && i < v.n_drafts; i++, n++) {
		memset(&d[n], 0, sizeof d[n]);
		snprintf(d[n].rec, sizeof d[n].rec, "%s", v.drafts[i].rec);
		d[n].choice = v.drafts[i].choice;
		d[n].ticked = v.drafts[i].ticked;
		snprintf(d[n].states, sizeof d[n].states, "%s", v.drafts[i].states);
	}
	pdf_form_values_free(&v);
	scan_result_free(&res);
	pdf_fonts_free(rd.fonts);
	return rc ? -1 : n;
}

/* The drafts of circular x's form was issued for: the circular's drafts
 * into dl (freed by the caller, also on failure) and *mask
 * (bt_returned_issued's); BT_R_CONFLICT naming "form" when its reference
 * names none of them. */
static int issued_of(preq *r, const bt_inbox_entry *x, bt_draft_list *dl, unsigned long long *mask, bt_err *e)
{
	bt_form_ref fr;
	int rc = bt_form_ref_parse(x->reference, &fr, e);
	if (!rc)
		rc = bt_drafts_list(r->db, x->circular, dl, e);
	if (!rc && !bt_returned_issued(dl, fr.digest, mask))
		rc = bt_failf(e, BT_R_CONFLICT, "form", "form %s names none of the drafts of %s", x->reference,
			      x->circular);
	return rc;
}

/* The rows of scanned entry x when its scan cannot be read: every draft
 * its form was issued for (its reference's digest), none chosen; -1 with e
 * when the reference names none. */
static int issued_rows(preq *r, const bt_inbox_entry *x, bt_returned_draft *d, bt_err *e)
{
	bt_draft_list dl = { NULL, 0 };
	unsigned long long mask = 0;
	int rc = issued_of(r, x, &dl, &mask, e), n = 0;
	for (size_t i = 0; !rc && i < dl.n && n < SCAN_ROWS; i++)
		if (bt_returned_issued_has(mask, i)) {
			memset(&d[n], 0, sizeof d[n]);
			snprintf(d[n].rec, sizeof d[n].rec, "%s", dl.v[i].rec);
			snprintf(d[n].states, sizeof d[n].states, "%s", "uncertain");
			n++;
		}
	bt_draft_list_free(&dl);
	return rc ? -1 : n;
}

/* The proposal of scanned entry x into d: its scan read again, else (*unread
 * set: the scan itself cannot be read) its form's drafts, none chosen. The
 * number of rows, -1 with e: also when the reading failed for a passing
 * cause (other scans being read, a temporary file, memory), never then
 * taken for an unreadable scan. */
static int proposal(preq *r, const bt_inbox_entry *x, bt_returned_draft *d, int *unread, bt_err *e)
{
	int n = scan_reread(r, x, d, e);
	*unread = n < 0 && (e->reason == BT_R_INPUT || e->reason == BT_R_NOT_FOUND);
	if (n < 0 && !*unread)
		return -1;
	return n >= 0 ? n : issued_rows(r, x, d, e);
}

/* Each of rows d[0..n) overridden by the choice the request gives for it
 * (the secretariat's reading, as `inbox accept --choice`; ask: where, if
 * at all); a row still unread has no choice (bt_returned_check refuses it,
 * naming its field). 0; -1 with e when a choice given is none of the
 * three. */
static int asked_rows(preq *r, int ask, bt_returned_draft *d, int n, bt_err *e)
{
	for (int i = 0; i < n; i++) {
		bt_returned_draft *w = &d[i];
		const char *a = asked_choice(r, w->rec, ask);
		bt_choice c = a ? bt_choice_parse(a) : BT_CHOICE_NONE;
		if (a && (c == BT_CHOICE_NONE || c == BT_WITHDRAW))
			return bt_failf(e, BT_R_INPUT, "choice", "draft.%s.choice: '%.40s' is not authorize, "
					"authorize-with-comments or not-authorize", w->rec, a), -1;
		if (a) {
			w->changed |= w->ticked != 1 || w->choice != c; /* a signed scan's row: not the signer's */
			w->choice = c;
			w->ticked = 1;
			snprintf(w->states, sizeof w->states, "%s", bt_choice_name(c));
		}
	}
	return 0;
}

/* The rows of scanned entry x into d (at most SCAN_ROWS): its proposal
 * (proposal()) with the request's choices (asked_rows). The number of
 * rows; -1 with e. */
static int scan_rows(preq *r, const bt_inbox_entry *x, int ask, bt_returned_draft *d, bt_err *e)
{
	int unread, n = proposal(r, x, d, &unread, e);
	return n < 0 || asked_rows(r, ask, d, n, e) ? -1 : n;
}

/* The rows of scanned entry x (n, d) are every draft its form was issued
 * for, in their order (mail fetch keeps the proposal in a bounded column:
 * one cut short would answer fewer drafts than the form shows): BT_OK, else
 * a refusal saying to accept it with the command line. */
static int rows_complete(preq *r, const bt_inbox_entry *x, const bt_returned_draft *d, int n, bt_err *e)
{
	bt_draft_list dl = { NULL, 0 };
	unsigned long long mask = 0;
	int rc = issued_of(r, x, &dl, &mask, e), k = 0, same = rc == BT_OK;
	if (rc && e->reason == BT_R_CONFLICT)
		rc = BT_OK; /* a reference naming none: not the rows of its form */
	for (size_t i = 0; same && i < dl.n; i++)
		if (bt_returned_issued_has(mask, i))
			same = k < n && !strcmp(d[k++].rec, dl.v[i].rec);
	bt_draft_list_free(&dl);
	if (!rc && (!same || k != n))
		rc = bt_failf(e, BT_R_CONFLICT, "inbox", "entry %lld: the scan's proposal does not list every draft "
			      "of its form: accept it with ballot inbox accept --choice", (long long)x->id);
	return rc;
}

/* The state of an entry in the page's language, in a span of its class. */
static void state_span(preq *r, const char *state)
{
	char key[40];
	snprintf(key, sizeof key, "inbox_state_%s", state);
	bt_buf_addf(&r->out, "<span class=\"inbox-state %s\">", strcmp(state, "matched") && strcmp(state, "refused") &&
										 strcmp(state, "uncertain") ? "other" : state);
	html_text(&r->out, *L(r, key) ? L(r, key) : state);
	bt_buf_adds(&r->out, "</span>");
}

/* <td data-label="LABEL">text</td>, text escaped ("-" when empty). */
static void cell(preq *r, const char *key, const char *text, const char *dir)
{
	bt_buf_adds(&r->out, "<td data-label=\"");
	html_text(&r->out, L(r, key));
	bt_buf_addf(&r->out, "\"%s%s%s>", dir ? " dir=\"" : "", dir ? dir : "", dir ? "\"" : "");
	html_text(&r->out, *text ? text : "-");
	bt_buf_adds(&r->out, "</td>");
}

static void list_row(preq *r, const bt_inbox_entry *x)
{
	bt_buf *b = &r->out;
	char t[BT_TIME_LEN];
	bt_time_format(x->received_at, t);
	bt_buf_addf(b, "<tr id=\"entry-%lld\"><td data-label=\"", (long long)x->id);
	html_text(b, L(r, "inbox_col_entry"));
	bt_buf_addf(b, "\"><a href=\"/secretariat/inbox/%lld\">%lld</a></td><td data-label=\"", (long long)x->id,
		    (long long)x->id);
	html_text(b, L(r, "col_state"));
	bt_buf_adds(b, "\">");
	state_span(r, x->state);
	bt_buf_adds(b, "</td>");
	cell(r, "col_received", t, "ltr");
	cell(r, "inbox_col_from", x->sender, "ltr");
	cell(r, "col_circular", x->circular, "ltr");
	cell(r, "col_member", x->member, NULL);
	cell(r, "inbox_col_detail", x->reason[0] ? x->reason : x->choices, NULL);
	bt_buf_adds(b, "</tr>\n");
}

int page_secretariat_inbox(preq *r)
{
	bt_inbox_list l = { NULL, 0 };
	bt_err e;
	if (bt_inbox_list_all(r->db, &l, &e))
		return page_engine_error(r, &e);
	page_begin(r, L(r, "inbox_title"));
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p>");
	html_text(b, L(r, "inbox_help"));
	bt_buf_adds(b, "</p>\n");
	if (!l.n) {
		bt_buf_adds(b, "<p class=\"note\" id=\"inbox-empty\">");
		html_text(b, L(r, "inbox_empty"));
		bt_buf_adds(b, "</p>\n");
	} else {
		static const char *const cols[] = { "inbox_col_entry", "col_state", "col_received", "inbox_col_from",
						    "col_circular", "col_member", "inbox_col_detail" };
		bt_buf_adds(b, "<table class=\"stack inbox\"><thead><tr>");
		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
			bt_buf_adds(b, "<th>");
			html_text(b, L(r, cols[i]));
			bt_buf_adds(b, "</th>");
		}
		bt_buf_adds(b, "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < l.n; i++)
			list_row(r, &l.v[i]);
		bt_buf_adds(b, "</tbody></table>\n");
	}
	bt_buf_adds(b, "<p><a href=\"/secretariat\">");
	html_text(b, L(r, "secretariat_home"));
	bt_buf_adds(b, "</a></p>\n");
	bt_inbox_list_free(&l);
	page_end(r);
	return 0;
}

/* <dt>label</dt><dd>value</dd>, value escaped (left to right when dir). */
static void item(preq *r, const char *key, const char *value, int ltr)
{
	if (!*value)
		return;
	bt_buf_adds(&r->out, "<dt>");
	html_text(&r->out, L(r, key));
	bt_buf_addf(&r->out, "</dt><dd%s>", ltr ? " dir=\"ltr\"" : "");
	html_text(&r->out, value);
	bt_buf_adds(&r->out, "</dd>\n");
}

/* How the received time was found (the engine's word: received,
 * internaldate, file) in the page's language; another word as it is. */
static const char *received_by(preq *r, const char *word)
{
	char key[40];
	snprintf(key, sizeof key, "inbox_by_%s", word);
	return strlen(word) < 20 && *L(r, key) ? L(r, key) : word;
}

/* The facts of entry x, as `ballot inbox show` prints them. */
static void entry_facts(preq *r, const bt_inbox_entry *x)
{
	bt_buf *b = &r->out;
	char t[BT_TIME_LEN], size[32];
	bt_time_format(x->received_at, t);
	snprintf(size, sizeof size, "%lld", (long long)x->size);
	bt_buf_adds(b, "<p>");
	state_span(r, x->state);
	if (x->reason[0]) {
		bt_buf_adds(b, ": <span class=\"inbox-reason\">");
		html_text(b, x->reason);
		bt_buf_adds(b, "</span>");
	}
	bt_buf_adds(b, "</p>\n<dl class=\"receipt inbox-entry\">\n");
	item(r, "inbox_col_from", x->sender, 1);
	item(r, "inbox_subject", x->subject, 0);
	item(r, "inbox_message_id", x->message_id, 1);
	item(r, "col_received", t, 1);
	item(r, "inbox_received_by", received_by(r, x->received_by), 0);
	item(r, "inbox_size", size, 1);
	item(r, "receipt_sha", x->sha256, 1);
	item(r, "inbox_form", x->form, 1);
	item(r, "inbox_reference", x->reference, 1);
	item(r, "col_circular", x->circular, 1);
	item(r, "col_member", x->member, 0);
	item(r, "inbox_col_detail", x->choices, 1);
	bt_buf_adds(b, "</dl>\n");
	if (!x->kept) {
		bt_buf_adds(b, "<p class=\"note\">");
		html_text(b, L(r, "inbox_cut"));
		bt_buf_adds(b, "</p>\n");
	}
}

static void entry_parts(preq *r, const bt_inbox_entry *x)
{
	bt_buf *b = &r->out;
	if (!x->nparts)
		return;
	bt_buf_adds(b, "<h2>");
	html_text(b, L(r, "col_attachments"));
	bt_buf_adds(b, "</h2>\n<ul class=\"inbox-parts\">\n");
	for (size_t i = 0; i < x->nparts; i++) {
		const bt_inbox_part *p = &x->parts[i];
		bt_buf_adds(b, "<li><span class=\"part-name\">");
		html_text(b, p->name);
		bt_buf_adds(b, "</span> <span dir=\"ltr\">(");
		html_text(b, p->type);
		bt_buf_addf(b, ", %lld) <code>", (long long)p->size);
		html_text(b, p->sha256);
		bt_buf_adds(b, "</code></span></li>\n");
	}
	bt_buf_adds(b, "</ul>\n");
}

/* One choice of scanned row w as a radio button, checked when it is w's. */
static void scan_radio(preq *r, const bt_returned_draft *w, bt_choice c, const char *key)
{
	char id[128];
	const char *name = bt_choice_name(c);
	snprintf(id, sizeof id, "choice-%.32s-%.40s", w->rec, name);
	bt_buf_adds(&r->out, "<label><input type=\"radio\" id=\"");
	html_text(&r->out, id);
	bt_buf_adds(&r->out, "\" name=\"draft.");
	html_text(&r->out, w->rec);
	bt_buf_addf(&r->out, ".choice\" value=\"%s\"%s", name, w->choice == c ? " checked" : "");
	html_field_invalid(r, "choice", w->rec, id);
	bt_buf_adds(&r->out, "> ");
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "</label>\n");
}

/* A scanned entry's accept form (GET: nothing changes before the
 * confirmation's POST): per draft the three choices, the scan's proposal
 * checked where it read the row (or the choice given, when shown again),
 * the rows it could not read marked uncertain. */
static void scan_choices(preq *r, const bt_inbox_entry *x)
{
	static const struct { bt_choice c; const char *key; } cs[] = {
		{ BT_AUTHORIZE, "choice_authorize" },
		{ BT_AUTHORIZE_WITH_COMMENTS, "choice_authorize_with_comments" },
		{ BT_NOT_AUTHORIZE, "choice_not_authorize" } };
	bt_returned_draft read[SCAN_ROWS], d[SCAN_ROWS];
	bt_err e;
	int unread, n = proposal(r, x, read, &unread, &e);
	memcpy(d, read, sizeof d);
	if (n > 0 && asked_rows(r, ASK_GET, d, n, &e))
		memcpy(d, read, sizeof d); /* a choice given that is none: the proposal */
	bt_buf *b = &r->out;
	if (n < 0 && !unread) { /* a passing cause: said, nothing offered */
		bt_buf_adds(b, "<p class=\"inbox-state uncertain\" id=\"scan-busy\">");
		html_text(b, e.msg);
		bt_buf_adds(b, "</p>\n");
	}
	if (unread) {
		bt_buf_adds(b, "<p class=\"inbox-state uncertain\" id=\"scan-unread\">");
		html_text(b, L(r, "inbox_scan_unread"));
		bt_buf_adds(b, "</p>\n");
	}
	if (n <= 0)
		return;
	bt_buf_addf(b, "<form method=\"get\" action=\"/secretariat/inbox/%lld/accept\" id=\"accept-form\">\n<p>",
		    (long long)x->id);
	html_text(b, L(r, "inbox_choices_help"));
	bt_buf_adds(b, "</p>\n");
	for (int i = 0; i < n; i++) {
		char id[128];
		snprintf(id, sizeof id, "choice-%.32s-authorize", d[i].rec);
		bt_buf_adds(b, "<fieldset class=\"inbox-choice\"><legend dir=\"ltr\">");
		html_text(b, d[i].rec);
		bt_buf_adds(b, "</legend>\n");
		if (read[i].ticked != 1) {
			bt_buf_adds(b, "<p class=\"inbox-state uncertain\">");
			html_text(b, L(r, "inbox_choice_unread"));
			bt_buf_adds(b, "</p>\n");
		}
		html_field_error(r, "choice", d[i].rec, id);
		for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++)
			scan_radio(r, &d[i], cs[k].c, cs[k].key);
		bt_buf_adds(b, "</fieldset>\n");
	}
	bt_buf_adds(b, "<p><button type=\"submit\" id=\"accept\">");
	html_text(b, L(r, "inbox_accept_next"));
	bt_buf_adds(b, "</button></p></form>\n");
}

/* While undecided: "Accept..." (a matched entry) and the reason to reject
 * with, each leading to its confirmation page (GET forms: nothing changes
 * before the confirmation's POST). */
static void entry_acts(preq *r, const bt_inbox_entry *x)
{
	bt_buf *b = &r->out;
	if (x->done_seq) {
		char ev[32];
		snprintf(ev, sizeof ev, "%lld", (long long)x->done_seq);
		const char *v[] = { "event", ev, NULL };
		bt_buf_adds(b, "<p class=\"ok\" id=\"decided\">");
		Lf(r, b, "inbox_decided", v);
		if (x->done_reason[0]) {
			bt_buf_adds(b, " ");
			html_text(b, x->done_reason);
		}
		bt_buf_adds(b, "</p>\n");
		return;
	}
	if ((!strcmp(x->state, "matched") || !strcmp(x->state, "uncertain")) && from_scan(x)) {
		scan_choices(r, x);
	} else if (!strcmp(x->state, "matched") || !strcmp(x->state, "uncertain")) {
		bt_buf_addf(b, "<p><a id=\"accept\" href=\"/secretariat/inbox/%lld/accept\">", (long long)x->id);
		html_text(b, L(r, "inbox_accept_next"));
		bt_buf_adds(b, "</a></p>\n");
	}
	bt_buf_addf(b, "<form method=\"get\" action=\"/secretariat/inbox/%lld/reject\" class=\"danger-zone\">\n"
		    "<label for=\"reason\">", (long long)x->id);
	html_text(b, L(r, "inbox_reason_label"));
	bt_buf_adds(b, "</label>\n");
	html_field_error(r, "reason", NULL, "reason");
	bt_buf_adds(b, "<input type=\"text\" id=\"reason\" name=\"reason\" maxlength=\"300\"");
	html_field_invalid(r, "reason", NULL, "reason");
	bt_buf_adds(b, ">\n<p><button type=\"submit\" class=\"danger\" id=\"reject\">");
	html_text(b, L(r, "inbox_reject_next"));
	bt_buf_adds(b, "</button></p></form>\n");
}

static void inbox_links(preq *r)
{
	bt_buf_adds(&r->out, "<p><a href=\"/secretariat/inbox\">");
	html_text(&r->out, L(r, "inbox_title"));
	bt_buf_adds(&r->out, "</a> · <a href=\"/secretariat\">");
	html_text(&r->out, L(r, "secretariat_home"));
	bt_buf_adds(&r->out, "</a></p>\n");
}

/* The page of entry x (titled key: the entry's, or a confirmation's). */
static void entry_begin(preq *r, const bt_inbox_entry *x, const char *key)
{
	char n[32];
	snprintf(n, sizeof n, "%lld", (long long)x->id);
	const char *v[] = { "n", n, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, key, v);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
}

static int entry_page(preq *r, const bt_inbox_entry *x)
{
	entry_begin(r, x, "inbox_entry_title");
	html_refusal_summary(r);
	entry_facts(r, x);
	entry_parts(r, x);
	entry_acts(r, x);
	inbox_links(r);
	page_end(r);
	return 0;
}

int page_secretariat_inbox_entry(preq *r, const char *n)
{
	bt_inbox_entry x;
	if (entry_load(r, n, &x))
		return 0;
	entry_page(r, &x);
	bt_inbox_entry_free(&x);
	return 0;
}

/* The confirmation page of act ("accept", "reject") on entry x: what will
 * happen (a reason given: quoted; a scan's rows: each draft's choice), the
 * form whose button names the act (hidden: its fields, name and value
 * pairs). */
static void confirm_page(preq *r, const bt_inbox_entry *x, const char *act, const char *const *hidden,
			 const char *quote, const bt_returned_draft *d, int n)
{
	char id[32], key[40], action[80], back[80], form[PORTAL_ONCE_FORM];
	snprintf(id, sizeof id, "%lld", (long long)x->id);
	const char *v[] = { "n", id, NULL };
	snprintf(key, sizeof key, "inbox_%s_title", act);
	entry_begin(r, x, key);
	bt_buf_adds(&r->out, "<p class=\"note\">");
	snprintf(key, sizeof key, "inbox_%s_what", act);
	html_text(&r->out, L(r, key));
	bt_buf_adds(&r->out, "</p>\n");
	if (quote) {
		bt_buf_adds(&r->out, "<p class=\"decision-text\" id=\"reason-quoted\">");
		html_text(&r->out, quote);
		bt_buf_adds(&r->out, "</p>\n");
	}
	if (n > 0)
		bt_buf_adds(&r->out, "<dl class=\"receipt\" id=\"choices-confirmed\">\n");
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "choice_%s", bt_choice_name(d[i].choice));
		for (char *k = key; *k; k++)
			*k = *k == '-' ? '_' : *k;
		bt_buf_adds(&r->out, "<dt dir=\"ltr\">");
		html_text(&r->out, d[i].rec);
		bt_buf_adds(&r->out, "</dt><dd>");
		html_text(&r->out, L(r, key));
		bt_buf_adds(&r->out, "</dd>\n");
	}
	if (n > 0)
		bt_buf_adds(&r->out, "</dl>\n");
	entry_facts(r, x);
	snprintf(action, sizeof action, "/secretariat/inbox/%s/%s", id, act);
	snprintf(back, sizeof back, "/secretariat/inbox/%s", id);
	snprintf(key, sizeof key, "inbox-%s", act);
	staff_once_name(form, key, id);
	snprintf(key, sizeof key, "inbox_%s_button", act);
	staff_confirm_form(r, action, form, hidden, key, v, back);
	page_end(r);
}

/* The confirmation of scanned entry x's accept: every row chosen (the
 * request's choices over the proposal), carried as hidden fields; else its
 * page again, the refusal next to the row. */
static void scan_confirm(preq *r, const bt_inbox_entry *x)
{
	bt_returned_draft d[SCAN_ROWS];
	char names[SCAN_ROWS][BT_ID_MAX + 16];
	const char *hidden[2 * SCAN_ROWS + 1];
	bt_err e;
	prefusal pr;
	int n = scan_rows(r, x, ASK_GET, d, &e), k = 0;
	for (int i = 0; n > 0 && i < n && k >= 0; i++) {
		if (d[i].choice == BT_CHOICE_NONE) {
			form_refusal_at(r, &pr, 400, BT_R_INPUT, "choice", d[i].rec, "draft.%s.choice: the scan "
					"could not read it: choose its reply", d[i].rec);
			pr.key = "inbox_choice_missing";
			k = -1;
			break;
		}
		snprintf(names[i], sizeof names[i], "draft.%.32s.choice", d[i].rec);
		hidden[k++] = names[i];
		hidden[k++] = bt_choice_name(d[i].choice);
	}
	if (n < 0)
		form_refusal(r, &pr, 400, &e);
	if (n < 0 || k < 0) {
		entry_page(r, x);
		r->refusal = NULL;
		return;
	}
	hidden[k] = NULL;
	confirm_page(r, x, "accept", k ? hidden : NULL, NULL, d, n);
}

int page_secretariat_inbox_accept_confirm(preq *r, const char *n)
{
	bt_inbox_entry x;
	if (entry_load(r, n, &x))
		return 0;
	if (x.done_seq || (strcmp(x.state, "matched") && strcmp(x.state, "uncertain")))
		page_field_error(r, BT_R_CONFLICT, "inbox", "entry %lld is %s: only a matched entry is accepted",
				 (long long)x.id, x.state);
	else if (from_scan(&x))
		scan_confirm(r, &x);
	else
		confirm_page(r, &x, "accept", NULL, NULL, NULL, 0);
	bt_inbox_entry_free(&x);
	return 0;
}

int page_secretariat_inbox_reject_confirm(preq *r, const char *n)
{
	bt_inbox_entry x;
	if (entry_load(r, n, &x))
		return 0;
	const char *reason = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "reason");
	if (!reason || !*reason) {
		/* no reason: the entry's page again, said so next to the field */
		prefusal pr;
		form_refusal_at(r, &pr, 400, BT_R_INPUT, "reason", NULL, "reason: give the reason for rejecting");
		pr.key = "inbox_reason_missing";
		entry_page(r, &x);
		r->refusal = NULL;
	} else {
		const char *hidden[] = { "reason", reason, NULL };
		confirm_page(r, &x, "reject", hidden, reason, NULL, 0);
	}
	bt_inbox_entry_free(&x);
	return 0;
}

/* The message's other attachments of a document type (bt_attachment_kind)
 * into atts: a draft's comments or reasons when its choice takes them. */
static size_t other_documents(const bt_inbox_entry *x, const bt_inbox_part *form, bt_attachment_in *atts)
{
	size_t n = 0;
	for (size_t i = 0; i < x->nparts; i++) {
		const bt_inbox_part *p = &x->parts[i];
		if (p != form && p->len && bt_attachment_kind(p->name, p->data, p->len) == BT_FILE_OK)
			atts[n++] = (bt_attachment_in){ p->name, p->data, p->len };
	}
	return n;
}

/* The replies of entry x's form (f, checked: ver), received at its
 * receipt time, channel email, the form attached (scan); a draft authorized
 * with comments or not authorized carries the message's other documents. */
static void accept_specs(const bt_inbox_entry *x, const bt_returned_form *f, const bt_returned_verdict *ver,
			 const bt_attachment_in *scan, const bt_attachment_in *docs, size_t ndocs, bt_reply_spec *s)
{
	bt_returned_specs(f, ver, x->circular, s);
	for (size_t i = 0; i < f->n_drafts; i++) {
		s[i].has_received = 1;
		s[i].received = x->received_at;
		s[i].channel = "email";
		s[i].scan = scan;
		if (s[i].choice == BT_AUTHORIZE_WITH_COMMENTS || s[i].choice == BT_NOT_AUTHORIZE) {
			s[i].attachments = ndocs ? docs : NULL;
			s[i].n_attachments = ndocs;
		}
	}
}

/* Entry x's form (part form) read and checked as `ballot inbox accept`
 * checks it (bt_returned_check: reference, choices, a signed form's
 * signature and signer at the received time), into v, rf and ver. */
static int accept_check(preq *r, const bt_inbox_entry *x, const bt_inbox_part *form, pdf_form_values *v,
			pdf_returned *rf, bt_returned_verdict *ver, bt_err *e)
{
	int rc = pdf_form_read(form->data, form->len, form->name, v, e);
	if (!rc)
		rc = pdf_returned_of(form->data, form->len, v, rf, e);
	if (!rc)
		rc = bt_returned_check(r->db, &rf->f, x->circular, x->member, x->received_at, ver, e);
	return rc;
}

/* Records the replies of entry x's form f (checked: ver) and the
 * inbox-accept event. */
static int accept_record(preq *r, const bt_inbox_entry *x, const bt_inbox_part *form, const bt_returned_form *f,
			 const bt_returned_verdict *ver, bt_err *e)
{
	bt_attachment_in scan = { form->name, form->data, form->len };
	bt_reply_spec *s = calloc(f->n_drafts + 1, sizeof *s);
	bt_reply_result *res = calloc(f->n_drafts + 1, sizeof *res);
	bt_attachment_in *docs = calloc(x->nparts + 1, sizeof *docs);
	int rc = s && res && docs ? BT_OK : bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	char actor[96];
	portal_actor(r, actor, sizeof actor);
	if (!rc) {
		accept_specs(x, f, ver, &scan, docs, other_documents(x, form, docs), s);
		rc = bt_inbox_accept(r->db, x->id, s, f->n_drafts, actor, r->now, res, e);
	}
	free(s);
	free(res);
	free(docs);
	return rc;
}

/* Scanned entry x: the proposal with the secretariat's choices (the
 * POST's), checked by bt_returned_check as every returned form is (a row
 * without a choice refused, naming draft.<REC>.choice; a PDF's own
 * signature, pdf_sig_scanned, as `inbox accept` checks it), recorded. */
static int accept_scan(preq *r, const bt_inbox_entry *x, const bt_inbox_part *form, bt_err *e)
{
	bt_returned_draft d[SCAN_ROWS];
	bt_returned_form f;
	bt_returned_verdict ver;
	int n = scan_rows(r, x, ASK_POST, d, e);
	if (n < 0)
		return e->code;
	int rc = rows_complete(r, x, d, n, e);
	memset(&f, 0, sizeof f);
	f.reference = x->reference;
	f.drafts = d;
	f.n_drafts = (size_t)n;
	pdf_sig_verdict sig;
	memset(&sig, 0, sizeof sig);
	if (!rc)
		rc = pdf_sig_scanned(form->data, form->len, &f, d, &sig, e);
	if (!rc)
		rc = bt_returned_check(r->db, &f, x->circular, x->member, x->received_at, &ver, e);
	if (!rc)
		rc = accept_record(r, x, form, &f, &ver, e);
	pdf_sig_verdict_free(&sig);
	return rc;
}

/* Records matched entry x's replies and the inbox-accept event. */
static int accept_entry(preq *r, const bt_inbox_entry *x, bt_err *e)
{
	const bt_inbox_part *form = form_part(x);
	if (!form || (strcmp(x->state, "matched") && strcmp(x->state, "uncertain")) || x->done_seq)
		return bt_failf(e, BT_R_CONFLICT, "inbox", "entry %lld is %s: only a matched entry is accepted",
				(long long)x->id, x->done_seq ? "decided already" : x->state);
	if (from_scan(x))
		return accept_scan(r, x, form, e);
	pdf_form_values v;
	pdf_returned rf;
	bt_returned_verdict ver;
	memset(&v, 0, sizeof v);
	memset(&rf, 0, sizeof rf);
	int rc = accept_check(r, x, form, &v, &rf, &ver, e);
	if (!rc)
		rc = accept_record(r, x, form, &rf.f, &ver, e);
	pdf_returned_free(&rf);
	pdf_form_values_free(&v);
	return rc;
}

/* The POST of act on entry n: once (a resent form gets the first outcome),
 * then 303 to the entry's page; refused: the error page. */
static int act_post(preq *r, const char *n, const char *act)
{
	bt_inbox_entry x;
	char form[PORTAL_ONCE_FORM], key[40], loc[80];
	int64_t id;
	if (entry_id(r, n, &id))
		return 0;
	snprintf(key, sizeof key, "inbox-%s", act);
	staff_once_name(form, key, n);
	if (!once_begin(r, form))
		return 0;
	bt_err e;
	memset(&x, 0, sizeof x);
	int rc = bt_inbox_get(r->db, id, &x, &e);
	if (!rc && act[0] == 'a')
		rc = accept_entry(r, &x, &e);
	char actor[96];
	portal_actor(r, actor, sizeof actor);
	if (!rc && act[0] != 'a')
		rc = bt_inbox_reject(r->db, id, pform_get(&r->form, "reason"), actor, r->now, &e);
	bt_inbox_entry_free(&x);
	snprintf(loc, sizeof loc, "/secretariat/inbox/%lld", (long long)id);
	once_done(r, rc ? NULL : loc);
	return rc ? page_engine_error(r, &e) : 0;
}

int page_secretariat_inbox_accept(preq *r, const char *n)
{
	return act_post(r, n, "accept");
}

int page_secretariat_inbox_reject(preq *r, const char *n)
{
	return act_post(r, n, "reject");
}
