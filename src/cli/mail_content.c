/* mail_content.c - what each kind of message says and carries (mail.h):
 * the subject and text from forms/mail/<lang>/<what>.txt with its
 * placeholders filled in, and the attachments: the Annex 2 forms rendered by
 * the same calls as `ballot forms` (circular), the signed receipt of the
 * member's last reply (receipt). */
#include "cli/mail.h"
#include "cli/cli.h"
#include "pdf/receipt_pdf.h"

#include <stdlib.h>
#include <string.h>

#define TMPL_MAX (64 * 1024)

static int lang_index(const char *lang)
{
	for (int i = 0; i < PDF_NLANGS; i++)
		if (strcmp(pdf_langs[i], lang) == 0)
			return i;
	return 0;
}

void mail_content_release(mail_content *c)
{
	bt_buf_release(&c->subject);
	bt_buf_release(&c->body);
	for (size_t i = 0; i < c->nparts; i++)
		bt_buf_release(&c->parts[i].data);
	free(c->parts);
	c->parts = NULL;
	c->nparts = 0;
}

void mail_run_release(mail_run *x)
{
	for (int i = 0; i < PDF_NLANGS; i++) {
		annex2_lang_free(x->lang[i]);
		bt_buf_release(&x->blank[i]);
		free(x->tmpl[i]);
	}
	pdf_fonts_free(x->fonts);
	bt_outbox_list_free(&x->queued);
	bt_pending_list_free(&x->pending);
	bt_member_list_free(&x->electorate);
	bt_draft_list_free(&x->drafts);
}

const bt_pending_item *mail_pending_of(const mail_run *x, const char *code)
{
	for (size_t i = 0; i < x->pending.n; i++)
		if (strcmp(x->pending.v[i].code, code) == 0)
			return &x->pending.v[i];
	return NULL;
}

/* The language's words (names, dates) and, for a circular, its blank form;
 * loaded once. */
static int lang_load(mail_run *x, int li, bt_err *e)
{
	const char *forms = pdf_forms_dir();
	int rc = BT_OK;
	if (!x->lang[li] && (rc = annex2_lang_load(forms, pdf_langs[li], &x->lang[li], e)))
		return rc;
	if (!x->tmpl[li]) {
		char path[4200];
		bt_buf t = BT_BUF_INIT;
		snprintf(path, sizeof path, "%s/mail/%s/%s.txt", forms, pdf_langs[li], x->what);
		if ((rc = bt_file_read(path, "template", TMPL_MAX, &t, e)))
			return rc;
		x->tmpl[li] = t.data; /* NUL-terminated by bt_buf */
		if (!x->tmpl[li] || !bt_utf8_valid(t.data, t.len))
			return bt_fail(e, BT_EINPUT, "%s: not UTF-8 text", path);
	}
	if (strcmp(x->what, "circular") == 0 && !x->blank[li].len) {
		if (!x->fonts && (rc = pdf_fonts_load(forms, &x->fonts, e)))
			return rc;
		rc = annex2_render(x->fonts, x->lang[li], &x->c, &x->drafts, x->digest, NULL, NULL, PDF_A4,
				   &x->blank[li], e);
	}
	return rc;
}

/* The placeholders of a template and their values for one message. */
typedef struct slot {
	const char *key;
	const char *val;
} slot;

/* Appends tmpl line text with every {key} replaced; BT_EINPUT naming
 * where (file line) for an unknown key. */
static int fill(const char *text, size_t n, const slot *s, size_t ns, const char *where, bt_buf *out,
		bt_err *e)
{
	for (size_t i = 0; i < n; i++) {
		if (text[i] != '{') {
			bt_buf_addc(out, text[i]);
			continue;
		}
		const char *close = memchr(text + i, '}', n - i);
		size_t k = 0, len = close ? (size_t)(close - text - i - 1) : 0;
		while (k < ns && !(close && strlen(s[k].key) == len && !strncmp(s[k].key, text + i + 1, len)))
			k++;
		if (k == ns)
			return bt_fail(e, BT_EINPUT, "%s: unknown placeholder '%.*s' (known: circular, member, "
				       "member_name, contact, group, deadline, drafts, pending, days_left, hours_left, "
				       "code, portal, reply, replies)", where, close ? (int)len + 2 : 1, text + i);
		bt_buf_adds(out, s[k].val ? s[k].val : "");
		i += len + 1;
	}
	return BT_OK;
}

/* Splits the template: '#' comment lines first, "Subject: ..." then a
 * blank line, then the body. */
static int render(const char *tmpl, const char *path, const slot *s, size_t ns, mail_content *out,
		  bt_err *e)
{
	const char *p = tmpl;
	int line = 1;
	char where[4300];
	while (*p == '#') {
		const char *next = strchr(p, '\n');
		p = next ? next + 1 : p + strlen(p);
		line++;
	}
	const char *nl = strchr(p, '\n');
	snprintf(where, sizeof where, "%s line %d", path, line);
	if (strncmp(p, "Subject: ", 9) != 0 || !nl || nl[1] != '\n')
		return bt_fail(e, BT_EINPUT, "%s: want 'Subject: ...' then a blank line", where);
	int rc = fill(p + 9, (size_t)(nl - p - 9), s, ns, where, &out->subject, e);
	for (const char *b = nl + 2; !rc && *b; line++) {
		const char *end = strchr(b, '\n');
		size_t n = end ? (size_t)(end - b + 1) : strlen(b);
		snprintf(where, sizeof where, "%s line %d", path, line + 2);
		rc = fill(b, n, s, ns, where, &out->body, e);
		b += n;
	}
	if (!rc && (out->subject.failed || out->body.failed))
		rc = bt_fail(e, BT_EFAIL, "out of memory");
	return rc;
}

static void drafts_text(const mail_run *x, const bt_pending_item *pend, bt_buf *out)
{
	for (size_t i = 0; i < x->drafts.n; i++) {
		int want = !pend;
		for (size_t k = 0; pend && k < pend->n_recs; k++)
			want |= strcmp(pend->recs[k], x->drafts.v[i].rec) == 0;
		if (want)
			bt_buf_addf(out, "  %s  %s\n", x->drafts.v[i].rec, x->drafts.v[i].title);
	}
	if (out->len && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
}

/* A receipt's events ("12, 13, 14") and the drafts they answer, one a
 * line as {drafts} lists them. */
static void replies_text(const mail_run *x, const mail_replies *r, bt_buf *events, bt_buf *out)
{
	for (size_t i = 0; r && i < r->n; i++) {
		const char *title = "";
		for (size_t k = 0; k < x->drafts.n; k++)
			if (strcmp(x->drafts.v[k].rec, r->rec[i]) == 0)
				title = x->drafts.v[k].title;
		bt_buf_addf(events, "%s%lld", i ? ", " : "", (long long)r->seq[i]);
		bt_buf_addf(out, "%s  %s  %s", i ? "\n" : "", r->rec[i], title);
	}
}

/* n attachments in out, empty. */
static int parts_alloc(mail_content *out, size_t n, bt_err *e)
{
	if (!(out->parts = calloc(n ? n : 1, sizeof *out->parts)))
		return bt_fail(e, BT_EFAIL, "out of memory");
	out->nparts = n;
	for (size_t i = 0; i < n; i++)
		bt_buf_init(&out->parts[i].data, 0);
	return BT_OK;
}

/* The signed receipt of event seq as JSON and as a PDF in language li
 * into p[0] and p[1]. */
static int attach_receipt(mail_run *x, int li, const bt_member *m, int64_t seq, mail_part *p, bt_err *e)
{
	mail_part *pdf = &p[1];
	snprintf(p->name, sizeof p->name, "receipt-%s-%s-%lld.json", x->c.circular, m->code, (long long)seq);
	snprintf(p->type, sizeof p->type, "application/json");
	snprintf(pdf->name, sizeof pdf->name, "receipt-%s-%s-%lld-%s.pdf", x->c.circular, m->code, (long long)seq,
		 pdf_langs[li]);
	snprintf(pdf->type, sizeof pdf->type, "application/pdf");
	int rc = bt_receipt_issue(x->db, seq, x->key, &p->data, NULL, e);
	/* the same receipt as a PDF in the member's language, as `ballot
	 * receipt show --pdf F --lang L` writes it */
	if (!rc)
		rc = receipt_pdf_build(x->db, seq, x->key, pdf_langs[li], p->name, &pdf->data, e);
	return rc;
}

/* The attachments of the message (circular: the member's form and the
 * blank one; receipt: each reply's signed receipt, JSON and PDF). */
static int attach(mail_run *x, int li, const bt_member *m, const mail_replies *r, mail_content *out,
		  bt_err *e)
{
	int rc = BT_OK;
	if (strcmp(x->what, "circular") == 0 && !(rc = parts_alloc(out, 2, e))) {
		mail_part *p = &out->parts[0], *b = &out->parts[1];
		snprintf(p->name, sizeof p->name, "%s-%s-%s.pdf", x->c.circular, m->code, pdf_langs[li]);
		snprintf(b->name, sizeof b->name, "%s-blank-%s.pdf", x->c.circular, pdf_langs[li]);
		snprintf(p->type, sizeof p->type, "application/pdf");
		snprintf(b->type, sizeof b->type, "application/pdf");
		rc = annex2_render(x->fonts, x->lang[li], &x->c, &x->drafts, x->digest, m, NULL, PDF_A4, &p->data,
				   e);
		if (!rc && bt_buf_add(&b->data, x->blank[li].data, x->blank[li].len))
			rc = bt_fail(e, BT_EFAIL, "out of memory");
	} else if (strcmp(x->what, "receipt") == 0 && r && !(rc = parts_alloc(out, 2 * r->n, e))) {
		for (size_t i = 0; !rc && i < r->n; i++)
			rc = attach_receipt(x, li, m, r->seq[i], &out->parts[2 * i], e);
	}
	return rc;
}

/* The deadline in the language's words, "21 February 2020, 23:59 UTC". */
static void deadline_text(const mail_run *x, int li, bt_buf *out)
{
	char hm[6];
	pdf_date_text(x->lang[li]->t, &x->lang[li]->l, x->c.deadline, out);
	pdf_time_hhmm(x->c.deadline, hm);
	bt_buf_addf(out, ", %s UTC", hm);
}

int mail_content_make(mail_run *x, const bt_member *m, const bt_contact *first, const char *code,
		      const mail_replies *r, mail_content *out, bt_err *e)
{
	int li = lang_index(first->lang);
	memset(out, 0, sizeof *out);
	bt_buf_init(&out->subject, 0);
	bt_buf_init(&out->body, 0);
	int rc = lang_load(x, li, e);
	if (rc)
		return rc;
	bt_buf dl = BT_BUF_INIT, drafts = BT_BUF_INIT, pend = BT_BUF_INIT, reply = BT_BUF_INIT, replies = BT_BUF_INIT;
	char group[16], days[24], hours[8], path[4200];
	bt_time left = x->c.deadline > x->now ? x->c.deadline - x->now : 0;
	snprintf(group, sizeof group, "%d", x->c.group);
	snprintf(days, sizeof days, "%lld", (long long)(left / 86400));
	snprintf(hours, sizeof hours, "%d", (int)(left % 86400 / 3600));
	replies_text(x, r, &reply, &replies);
	deadline_text(x, li, &dl);
	drafts_text(x, NULL, &drafts);
	drafts_text(x, mail_pending_of(x, m->code), &pend);
	const char *name = annex2_member_name(x->lang[li], m);
	const slot s[] = {
		{ "circular", x->c.circular }, { "member", m->code }, { "member_name", name },
		{ "contact", first->name[0] ? first->name : name }, { "group", group },
		{ "deadline", bt_buf_str(&dl) }, { "drafts", bt_buf_str(&drafts) }, { "pending", bt_buf_str(&pend) },
		{ "days_left", days }, { "hours_left", hours }, { "code", code ? code : "" },
		{ "portal", x->portal_url ? x->portal_url : "" }, { "reply", bt_buf_str(&reply) },
		{ "replies", bt_buf_str(&replies) },
	};
	snprintf(path, sizeof path, "%s/mail/%s/%s.txt", pdf_forms_dir(), pdf_langs[li], x->what);
	rc = render(x->tmpl[li], path, s, sizeof s / sizeof s[0], out, e);
	if (!rc)
		rc = attach(x, li, m, r, out, e);
	bt_buf_release(&dl);
	bt_buf_release(&reply);
	bt_buf_release(&replies);
	bt_buf_release(&drafts);
	bt_buf_release(&pend);
	return rc;
}
