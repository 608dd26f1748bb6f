/* mail_fetch.c - `ballot mail fetch`: the new messages of the secretariat's
 * mailbox (mail_mailbox = maildir:/path) parsed with GMime, each attached
 * PDF tried as a returned Annex 2 form (src/pdf/pdfread.h), and each
 * message stored in the inbox (ballot/inbox.h): matched, unmatched or
 * refused. A message is taken once (its SHA-256), then moved from new/ to
 * cur/. Received time: the top Received header (added by the secretariat's
 * own server when it delivered into this mailbox), else the file's
 * delivery time; never the sender's Date (§9.4.5 "received by the due
 * date" is the secretariat's receipt). */
#include "cli.h"
#include "cli/mail.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <gnutls/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf/pdfread.h"
#include "pdf/returned_form.h"
#include "cli/form_sig.h"

static const char USAGE_FETCH[] =
	"usage: ballot mail fetch [--mailbox maildir:PATH|imaps://HOST[:PORT]/BOX]\n"
	"\n"
	"Takes the new messages of the mailbox (mail_mailbox, $BALLOT_MAIL_MAILBOX;\n"
	"over IMAP: TLS checked with mail_ca, login mail_user, mail_password_file)\n"
	"into the inbox: each attached PDF is read as a returned Annex 2 form; a\n"
	"message is matched (a form's reference names a circular and a member, and\n"
	"the sender is one of the member's contacts), unmatched (no reference\n"
	"found) or refused (a form for a circular unknown here, a sender who is\n"
	"not a contact, over mail_max_message bytes (default 25 MiB), a MIME\n"
	"bomb, a Message-ID taken already). A message already taken is skipped.\n"
	"Then see `ballot inbox list`.\n";

#define FETCH_MAX_MULTIPARTS 32   /* nested or sibling multiparts: a bomb beyond */
#define FETCH_MAX_PARTS 500       /* parts in all */
#define FETCH_KEEP_OVERSIZED 65536 /* bytes kept of a message over the cap */
#define FETCH_SCAN_PAGES 8        /* a PDF of more pages is not tried as a scan */
#define FETCH_SCAN_MAX (16 << 20) /* nor an attachment of more bytes */

static void gmime_once(void)
{
	static int done;
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

/* One message being classified. */
typedef struct fetch_msg {
	cli_ctx *ctx;
	bt_db *db;
	bt_inbox_entry en;
	bt_inbox_part *parts;
	size_t nparts, cap;
	int count, bomb;
} fetch_msg;

static void fetch_msg_release(fetch_msg *m)
{
	for (size_t i = 0; i < m->nparts; i++)
		free(m->parts[i].data);
	free(m->parts);
	memset(m, 0, sizeof *m);
}

/* Text into out, as valid UTF-8 of one line ('?' for what is not). */
static void clean_copy(char *out, size_t n, const char *s)
{
	snprintf(out, n, "%s", s ? s : "");
	if (!bt_utf8_valid(out, strlen(out)))
		for (char *p = out; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

static void set_state(fetch_msg *m, const char *state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_state(fetch_msg *m, const char *state, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	snprintf(m->en.state, sizeof m->en.state, "%s", state);
	vsnprintf(m->en.reason, sizeof m->en.reason, fmt, ap);
	va_end(ap);
}

/* Keeps a leaf part's decoded bytes (an attachment, not the text body). */
static void each_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	fetch_msg *m = data;
	(void)parent;
	if (++m->count > FETCH_MAX_PARTS || !GMIME_IS_PART(part) || m->bomb)
		return;
	GMimePart *p = (GMimePart *)part;
	const char *name = g_mime_part_get_filename(p);
	if (!name && !g_mime_part_is_attachment(p))
		return;
	if (m->nparts == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 4;
		bt_inbox_part *v = realloc(m->parts, cap * sizeof *v);
		if (!v)
			return;
		m->parts = v;
		m->cap = cap;
	}
	bt_inbox_part *out = &m->parts[m->nparts];
	memset(out, 0, sizeof *out);
	clean_copy(out->name, sizeof out->name, name ? name : "attachment");
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	char *mt = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	clean_copy(out->type, sizeof out->type, mt ? mt : "application/octet-stream");
	g_free(mt);
	GMimeDataWrapper *w = g_mime_part_get_content(p);
	GMimeStream *mem = g_mime_stream_mem_new();
	if (w)
		g_mime_data_wrapper_write_to_stream(w, mem);
	GByteArray *ba = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
	out->len = ba ? ba->len : 0;
	out->data = malloc(out->len ? out->len : 1);
	if (out->data) {
		if (out->len)
			memcpy(out->data, ba->data, out->len);
		out->size = (int64_t)out->len;
		m->nparts++;
	}
	g_object_unref(mem);
}

/* The secretariat's receipt time: the top Received header's date. */
static int received_header(GMimeMessage *msg, bt_time *t)
{
	const char *r = g_mime_object_get_header((GMimeObject *)msg, "Received");
	const char *semi = r ? strrchr(r, ';') : NULL;
	GDateTime *d = semi ? g_mime_utils_header_decode_date(semi + 1) : NULL;
	if (!d)
		return 0;
	*t = (bt_time)g_date_time_to_unix(d);
	g_date_time_unref(d);
	return 1;
}

/* "ballot:<circular>:<CODE>:..." into circular and code. */
static int ref_split(const char *ref, char *circ, size_t nc, char *code, size_t nm)
{
	const char *a = strchr(ref, ':'), *b = a ? strchr(a + 1, ':') : NULL;
	const char *c = b ? strchr(b + 1, ':') : NULL;
	if (!c || (size_t)(b - a - 1) >= nc || (size_t)(c - b - 1) >= nm)
		return 0;
	snprintf(circ, nc, "%.*s", (int)(b - a - 1), a + 1);
	snprintf(code, nm, "%.*s", (int)(c - b - 1), b + 1);
	return 1;
}

/* The member whose contact address is the sender, into code ("" none);
 * want: the member the form names ("-": any). */
static int sender_member(bt_db *db, const char *sender, const char *want, char code[4], bt_err *e)
{
	bt_contact_list l = { NULL, 0 };
	code[0] = '\0';
	int rc = bt_contacts_list(db, strcmp(want, "-") ? want : NULL, &l, e);
	for (size_t i = 0; !rc && i < l.n && !code[0]; i++)
		if (!strcasecmp(l.v[i].address, sender))
			snprintf(code, 4, "%s", l.v[i].member);
	bt_contact_list_free(&l);
	return rc;
}

/* The proposed choices of v, "REC=choice, ...". */
static void choices_of(const pdf_form_values *v, char *out, size_t n)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < v->n_drafts && k < n; i++) {
		const pdf_form_choice *c = &v->drafts[i];
		int w = snprintf(out + k, n - k, "%s%s=%s", i ? ", " : "", c->rec,
				 c->ticked == 1 ? bt_choice_name(c->choice) : c->ticked ? "two-choices" : "none");
		k += w > 0 ? (size_t)w : 0;
	}
}

/* A form read from part p: matched, or refused with the field and value. */
static int classify_form(fetch_msg *m, const bt_inbox_part *p, const pdf_form_values *v, const char *ref,
			 bt_err *e)
{
	char circ[BT_ID_MAX + 1], code[8], who[4];
	bt_consultation c;
	bt_err e2;
	snprintf(m->en.reference, sizeof m->en.reference, "%s", ref);
	snprintf(m->en.form, sizeof m->en.form, "%s", p->name);
	choices_of(v, m->en.choices, sizeof m->en.choices);
	if (!ref_split(ref, circ, sizeof circ, code, sizeof code)) {
		set_state(m, "refused", "field form.reference '%s': not a form reference", ref);
		return BT_OK;
	}
	snprintf(m->en.circular, sizeof m->en.circular, "%s", circ);
	if (bt_consultation_get(m->db, circ, &c, &e2)) {
		set_state(m, "refused", "field form.reference '%s': a form for circular %s, not a consultation here",
			  ref, circ);
		return BT_OK;
	}
	int rc = sender_member(m->db, m->en.sender, code, who, e);
	if (rc)
		return rc;
	snprintf(m->en.member, sizeof m->en.member, "%.3s", strcmp(code, "-") ? code : who);
	if (!who[0]) {
		set_state(m, "refused", "field From '%s': not a contact of %s", m->en.sender,
			  strcmp(code, "-") ? code : "any member");
		return BT_OK;
	}
	/* the stale rule every returned form is read by (bt_returned_check) */
	bt_returned_verdict rv;
	memset(&rv, 0, sizeof rv);
	if (bt_returned_reference(m->db, ref, circ, m->en.member, &rv, &e2)) {
		if (e2.code == BT_EFAIL) {
			*e = e2;
			return BT_EFAIL;
		}
		set_state(m, "refused", "field %s", e2.msg);
		return BT_OK;
	}
	for (size_t i = 0; i < v->n_drafts; i++)
		if (v->drafts[i].ticked > 1) {
			set_state(m, "refused", "field draft.%s.choice: two choices ticked", v->drafts[i].rec);
			return BT_OK;
		}
	if (rv.stale)
		set_state(m, "matched", "issued before drafts were added (%s): it answers the drafts it was issued for",
			  rv.added_since);
	else
		set_state(m, "matched", "%s", "");
	return BT_OK;
}

/* A part a scan may be: a PDF (without form fields, of at most
 * FETCH_SCAN_PAGES pages: a letter or a report is not rendered page by
 * page), PNG, JPEG or TIFF, by its first bytes (as scan_load tells them
 * apart), of at most FETCH_SCAN_MAX bytes. */
static int scan_kind(const bt_inbox_part *p)
{
	if (p->len > FETCH_SCAN_MAX)
		return 0;
	if (p->len >= 4 && !memcmp(p->data, "%PDF", 4)) {
		pdf_form_values v;
		bt_err e2;
		pdf_form_read(p->data, p->len, p->name, &v, &e2);
		int pages = v.n_pages;
		pdf_form_values_free(&v);
		return pages >= 1 && pages <= FETCH_SCAN_PAGES;
	}
	static const struct {
		const char *magic;
		size_t n;
	} kinds[] = { { "\x89PNG", 4 }, { "\xff\xd8\xff", 3 }, { "II*\0", 4 }, { "MM\0*", 4 } };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (p->len >= kinds[i].n && !memcmp(p->data, kinds[i].magic, kinds[i].n))
			return 1;
	return 0;
}

/* Reads part p as a scanned form into v and ref: 1 when a form was read,
 * 0 when none (not a scan of one form), -1 on failure (e set). */
static int scan_part(fetch_msg *m, const bt_inbox_part *p, pdf_form_values *v, char ref[BT_FORM_REF_MAX],
		     bt_err *e)
{
	bt_err e2 = { 0 };
	int rc = cli_scan_bytes(m->ctx, m->db, 1, p->name, p->data, p->len, v, ref, &e2);
	if (rc == BT_EFAIL)
		bt_fail(e, BT_EFAIL, "mail fetch: %s", e2.msg);
	return rc == BT_EFAIL ? -1 : rc == BT_OK;
}

/* A scan's rows it could not read: the entry is uncertain (matched, but a
 * draft unread: the reason names the field; accept it with --choice). */
static void scan_uncertain(fetch_msg *m, const pdf_form_values *v)
{
	for (size_t i = 0; i < v->n_drafts && !strcmp(m->en.state, "matched"); i++)
		if (v->drafts[i].ticked == 0) {
			set_state(m, "uncertain", "field draft.%s.choice: %s (read from a scan: accept with "
				  "--choice %s=...)", v->drafts[i].rec, v->drafts[i].states, v->drafts[i].rec);
			return;
		}
	if (!strcmp(m->en.state, "matched") && !m->en.reason[0])
		set_state(m, "matched", "read from a scan");
}

/* 1 when part p is a PDF (its type or its name). */
static int is_pdf(const bt_inbox_part *p)
{
	size_t nl = strlen(p->name);
	return !strcasecmp(p->type, "application/pdf") || (nl >= 4 && !strcasecmp(p->name + nl - 4, ".pdf"));
}

/* Part p read as a filled PDF form into v (freed by the caller): its
 * reference, NULL when it is none; *bad (may be NULL) the reader's
 * refusal of one of the form's fields (given twice, not text, a state no
 * choice), "" when none. */
static const char *filled_form(const bt_inbox_part *p, pdf_form_values *v, char *bad, size_t n)
{
	bt_err e2;
	memset(v, 0, sizeof *v);
	if (bad)
		bad[0] = '\0';
	if (!is_pdf(p))
		return NULL;
	if (!pdf_form_read(p->data, p->len, p->name, v, &e2))
		return pdf_form_value(v, PDF_FIELD_REFERENCE);
	const char *f = strstr(e2.msg, ": field ");
	if (bad && e2.code == BT_EINPUT && f)
		snprintf(bad, n, "%s", f + 2);
	return NULL;
}

/* A matched filled form (part p, read into v): the check `inbox accept`
 * runs (bt_returned_check: the administration a blank form names, a
 * signature and what was changed after it, ...), at the received time, so
 * an entry that can never be accepted is refused now, with its reason. */
static int accept_check(fetch_msg *m, const bt_inbox_part *p, const pdf_form_values *v, bt_err *e)
{
	if (strcmp(m->en.state, "matched"))
		return BT_OK;
	pdf_returned rf;
	bt_returned_verdict ver;
	bt_err e2;
	bt_err_clear(&e2);
	int rc = pdf_returned_of(p->data, p->len, v, &rf, &e2);
	if (rc == BT_OK)
		rc = bt_returned_check(m->db, &rf.f, m->en.circular, m->en.member, m->en.received_at, &ver, &e2);
	pdf_returned_free(&rf);
	if (rc && e2.code == BT_EFAIL) {
		*e = e2;
		return BT_EFAIL;
	}
	if (rc) {
		char line[sizeof e2.msg + 64];
		cli_returned_line(&e2, line, sizeof line);
		set_state(m, "refused", "field %s", line);
	}
	return BT_OK;
}

/* Other filled forms of the message (after part first, whose choices are
 * v's) for the entry's circular and member: one that says otherwise
 * refuses the entry, naming both attachments; a copy that agrees is read
 * as the same form. */
static void other_forms(fetch_msg *m, size_t first, const pdf_form_values *v)
{
	char mine[sizeof m->en.choices], theirs[sizeof m->en.choices];
	choices_of(v, mine, sizeof mine);
	for (size_t i = first + 1; i < m->nparts && !strcmp(m->en.state, "matched"); i++) {
		pdf_form_values w;
		char circ[BT_ID_MAX + 1], code[8];
		const char *ref = filled_form(&m->parts[i], &w, NULL, 0);
		if (ref && ref_split(ref, circ, sizeof circ, code, sizeof code) && !strcasecmp(circ, m->en.circular) &&
		    (!strcmp(code, "-") || !strcasecmp(code, m->en.member))) {
			choices_of(&w, theirs, sizeof theirs);
			if (strcmp(mine, theirs))
				set_state(m, "refused", "field form: attachments '%s' and '%s' are two forms for %s, "
					  "circular %s, that disagree (%s; %s): ask the administration which one it sends",
					  m->parts[first].name, m->parts[i].name, m->en.member, m->en.circular, mine,
					  theirs);
		}
		pdf_form_values_free(&w);
	}
}

/* 1 when a draft both scans read (one box ticked in each) reads otherwise
 * in w than in v: the rows one of them could not read (another page of
 * the form, sent as its own image) are no disagreement. */
static int read_otherwise(const pdf_form_values *v, const pdf_form_values *w)
{
	for (size_t i = 0; i < v->n_drafts; i++)
		for (size_t k = 0; k < w->n_drafts; k++)
			if (!strcmp(v->drafts[i].rec, w->drafts[k].rec) && v->drafts[i].ticked == 1 &&
			    w->drafts[k].ticked == 1 && v->drafts[i].choice != w->drafts[k].choice)
				return 1;
	return 0;
}

/* Other scans of the message (after part first, whose reading is v's)
 * that read as a form of the entry's circular and member: one that reads a
 * draft otherwise (read_otherwise) refuses the entry, naming both attachments, as other_forms
 * does for filled forms; -1 on failure (e set). */
static int other_scans(fetch_msg *m, size_t first, const pdf_form_values *v, bt_err *e)
{
	char mine[sizeof m->en.choices], theirs[sizeof m->en.choices];
	choices_of(v, mine, sizeof mine);
	for (size_t i = first + 1; i < m->nparts && !strcmp(m->en.state, "matched"); i++) {
		if (!scan_kind(&m->parts[i]))
			continue;
		pdf_form_values w;
		char ref[BT_FORM_REF_MAX], circ[BT_ID_MAX + 1], code[8];
		memset(&w, 0, sizeof w);
		int got = scan_part(m, &m->parts[i], &w, ref, e);
		if (got > 0 && ref_split(ref, circ, sizeof circ, code, sizeof code) && !strcasecmp(circ, m->en.circular) &&
		    !strcasecmp(code, m->en.member)) {
			choices_of(&w, theirs, sizeof theirs);
			if (read_otherwise(v, &w))
				set_state(m, "refused", "field form: attachments '%s' and '%s' are two scans of forms for "
					  "%s, circular %s, that read otherwise (%s; %s): ask the administration which "
					  "one it sends", m->parts[first].name, m->parts[i].name, m->en.member,
					  m->en.circular, mine, theirs);
		}
		pdf_form_values_free(&w);
		if (got < 0)
			return -1;
	}
	return 0;
}

/* The first attached PDF that is a returned form decides the entry (other
 * forms for the same circular and member must agree with it); else the
 * first attachment read as a scanned form (its QR code and boxes). */
static int classify(fetch_msg *m, bt_err *e)
{
	int pdfs = 0;
	for (size_t i = 0; i < m->nparts; i++) {
		bt_inbox_part *p = &m->parts[i];
		if (!is_pdf(p))
			continue;
		pdfs++;
		pdf_form_values v;
		char bad[sizeof m->en.reason];
		const char *ref = filled_form(p, &v, bad, sizeof bad);
		if (bad[0]) { /* a form whose fields cannot be read as one */
			snprintf(m->en.form, sizeof m->en.form, "%s", p->name);
			set_state(m, "refused", "%s", bad);
			pdf_form_values_free(&v);
			return BT_OK;
		}
		int rc = ref ? classify_form(m, p, &v, ref, e) : BT_OK;
		if (rc == BT_OK && ref)
			rc = accept_check(m, p, &v, e);
		if (rc == BT_OK && ref)
			other_forms(m, i, &v);
		pdf_form_values_free(&v);
		if (rc || ref)
			return rc;
	}
	int scans = 0;
	for (size_t i = 0; i < m->nparts; i++) {
		if (!scan_kind(&m->parts[i]))
			continue;
		pdf_form_values v;
		char ref[BT_FORM_REF_MAX];
		memset(&v, 0, sizeof v);
		scans++;
		int got = scan_part(m, &m->parts[i], &v, ref, e);
		int rc = got > 0 ? classify_form(m, &m->parts[i], &v, ref, e) : got < 0 ? BT_EFAIL : BT_OK;
		if (!rc && got > 0 && other_scans(m, i, &v, e))
			rc = BT_EFAIL;
		if (!rc && got > 0)
			scan_uncertain(m, &v);
		pdf_form_values_free(&v);
		if (rc || got > 0)
			return rc;
	}
	set_state(m, "unmatched", "no returned form (field form.reference, or a scan's QR code) in %zu attachment%s "
		  "(%d PDF, %d tried as scans)", m->nparts, m->nparts == 1 ? "" : "s", pdfs, scans);
	return BT_OK;
}

/* 1 when the bytes hold more multipart headers than FETCH_MAX_MULTIPARTS. */
static int mime_bomb(const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i + 10 <= n; i++)
		if ((s[i] == 'm' || s[i] == 'M') && !strncasecmp(s + i, "multipart/", 10) && ++k > FETCH_MAX_MULTIPARTS)
			return 1;
	return 0;
}

/* The headers of msg into m: sender, subject, Message-ID, received time. */
static void message_headers(fetch_msg *m, GMimeMessage *msg)
{
	const char *id = g_mime_message_get_message_id(msg);
	if (id)
		snprintf(m->en.message_id, sizeof m->en.message_id, "<%.*s>", (int)sizeof m->en.message_id - 3, id);
	InternetAddressList *from = g_mime_message_get_from(msg);
	InternetAddress *a = from && internet_address_list_length(from) ? internet_address_list_get_address(from, 0)
									 : NULL;
	if (a && INTERNET_ADDRESS_IS_MAILBOX(a))
		clean_copy(m->en.sender, sizeof m->en.sender,
			   internet_address_mailbox_get_addr((InternetAddressMailbox *)a));
	clean_copy(m->en.subject, sizeof m->en.subject, g_mime_message_get_subject(msg));
	/* a Maildir's message: the top Received header (the secretariat's MX)
	 * before the file's time; an IMAP message keeps its INTERNALDATE */
	if (!strcmp(m->en.received_by, "file") && received_header(msg, &m->en.received_at))
		snprintf(m->en.received_by, sizeof m->en.received_by, "received");
}

/* The headers of a message over the cap, from the bytes kept of it (b's
 * first FETCH_KEEP_OVERSIZED): read when they end within them. */
static void oversized_headers(fetch_msg *m, const char *data, size_t len)
{
	size_t end = 0;
	for (size_t i = 0; i + 1 < len && !end; i++)
		if (data[i] == '\n' && (data[i + 1] == '\n' || (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')))
			end = i + 1;
	if (!end)
		return;
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, end);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	if (msg) {
		message_headers(m, msg);
		g_object_unref(msg);
	}
}

/* Parses the message's bytes into m (sender, subject, Message-ID,
 * received time, attachments, state). */
static int parse_message(fetch_msg *m, const char *data, size_t len, bt_err *e)
{
	if (mime_bomb(data, len)) {
		set_state(m, "refused", "field Content-Type: more than %d multipart parts (a MIME bomb)",
			  FETCH_MAX_MULTIPARTS);
		return BT_OK;
	}
	if (len == 0) {
		set_state(m, "refused", "field message: empty (0 bytes)");
		return BT_OK;
	}
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	if (!msg) {
		set_state(m, "refused", "field message: not a MIME message (%zu bytes)", len);
		return BT_OK;
	}
	message_headers(m, msg);
	g_mime_message_foreach(msg, each_part, m);
	g_object_unref(msg);
	if (m->count > FETCH_MAX_PARTS) {
		set_state(m, "refused", "field Content-Type: %d parts or more, over %d (a MIME bomb)", m->count,
			  FETCH_MAX_PARTS);
		return BT_OK;
	}
	return classify(m, e);
}

/* Reads file fd: its SHA-256 and size, and its bytes up to cap (beyond:
 * only the first FETCH_KEEP_OVERSIZED are kept, *over set). */
static int read_message(int fd, int64_t cap, bt_buf *out, char sha[65], int64_t *size, int *over, bt_err *e)
{
	gnutls_hash_hd_t h;
	unsigned char dig[32], chunk[65536];
	ssize_t n;
	*size = 0;
	*over = 0;
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return bt_fail(e, BT_EFAIL, "no SHA-256");
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		gnutls_hash(h, chunk, (size_t)n);
		*size += n;
		if (*size > cap)
			*over = 1;
		size_t room = *over ? (out->len < FETCH_KEEP_OVERSIZED ? FETCH_KEEP_OVERSIZED - out->len : 0) : (size_t)n;
		bt_buf_add(out, chunk, room < (size_t)n ? room : (size_t)n);
	}
	gnutls_hash_deinit(h, dig);
	for (int i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", dig[i]);
	if (n < 0)
		return bt_fail(e, BT_EINPUT, "mail_mailbox: reading a message: %s", strerror(errno));
	if (*over && out->len > FETCH_KEEP_OVERSIZED)
		out->len = FETCH_KEEP_OVERSIZED;
	return BT_OK;
}

/* What one fetch run counts. */
typedef struct fetch_run {
	cli_ctx *ctx;
	bt_db *db;
	int64_t cap;
	bt_time now;
	int json, taken, skipped;
	bt_buf out;
} fetch_run;

/* Stores the message m (its source, SHA-256, size and receipt time set)
 * of bytes b (cut at the cap when over): skipped when taken already. */
static int take(fetch_run *r, fetch_msg *m, bt_buf *b, int over, bt_err *e)
{
	int64_t have = 0, dup = 0, id = 0;
	int rc = bt_inbox_seen(r->db, m->en.sha256, NULL, &have, &dup, e);
	if (!rc && have) {
		r->skipped++;
		printf("%s: taken already (entry %lld)\n", m->en.source, (long long)have);
		return BT_OK;
	}
	if (!rc && over) {
		oversized_headers(m, (const char *)b->data, b->len);
		set_state(m, "refused", "field size: %lld bytes, over mail_max_message %lld", (long long)m->en.size,
			  (long long)r->cap);
	}
	else if (!rc)
		rc = parse_message(m, (const char *)b->data, b->len, e);
	if (!rc && m->en.message_id[0] && !(rc = bt_inbox_seen(r->db, "", m->en.message_id, &have, &dup, e)) && dup)
		set_state(m, "refused", "field Message-ID '%s': taken already as entry %lld", m->en.message_id,
			  (long long)dup);
	m->en.message = (const unsigned char *)b->data;
	m->en.message_len = b->len;
	m->en.kept = !over;
	m->en.parts = m->parts;
	m->en.nparts = over ? 0 : m->nparts;
	if (!rc)
		rc = bt_inbox_add(r->db, &m->en, r->now, &id, e);
	if (!rc) {
		int matched = !strcmp(m->en.state, "matched") || !strcmp(m->en.state, "uncertain");
		r->taken++;
		printf("entry %lld: %s%s%s%s%s\n", (long long)id, m->en.state, matched ? " " : "",
		       matched ? m->en.circular : "", m->en.reason[0] ? ": " : "", m->en.reason);
	}
	return rc;
}

/* Stores the message of Maildir file dir/new/name; moves it to cur/. */
static int fetch_file(fetch_run *r, const char *dir, const char *name, bt_err *e)
{
	char path[4200], cur[4300];
	snprintf(path, sizeof path, "%s/new/%s", dir, name);
	snprintf(cur, sizeof cur, "%s/cur/%s%s", dir, name, strchr(name, ':') ? "" : ":2,S");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		if (fd < 0 && errno == ENOENT)
			return BT_OK;
		/* a link, a directory, a device or an unreadable file is not
		 * a delivered message: left where it is, and the rest fetched */
		cli_warn("mail fetch: '%s' left in new/: not a readable regular file", path);
		return BT_OK;
	}
	fetch_msg m;
	memset(&m, 0, sizeof m);
	m.db = r->db;
	m.ctx = r->ctx;
	bt_buf b = BT_BUF_INIT;
	int over = 0;
	int rc = read_message(fd, r->cap, &b, m.en.sha256, &m.en.size, &over, e);
	close(fd);
	snprintf(m.en.source, sizeof m.en.source, "maildir %s", name);
	m.en.received_at = (bt_time)st.st_mtime;
	snprintf(m.en.received_by, sizeof m.en.received_by, "file");
	if (!rc)
		rc = take(r, &m, &b, over, e);
	if (!rc && rename(path, cur) != 0)
		rc = bt_failf(e, BT_R_IO, "mail_mailbox", "moving '%s' to cur/: %s", path, strerror(errno));
	bt_buf_release(&b);
	fetch_msg_release(&m);
	return rc;
}

/* One IMAP message: stored, then marked taken on the server. The receipt
 * time is the server's INTERNALDATE (a Received header is not read). */
static int fetch_uid(fetch_run *r, mail_imap *im, unsigned long uid, bt_err *e)
{
	fetch_msg m;
	memset(&m, 0, sizeof m);
	m.db = r->db;
	m.ctx = r->ctx;
	bt_buf b = BT_BUF_INIT;
	int over = 0;
	int rc = mail_imap_received(im, uid, &m.en.received_at, e);
	if (!rc)
		rc = mail_imap_fetch(im, uid, r->cap, FETCH_KEEP_OVERSIZED, &b, m.en.sha256, &m.en.size, &over, e);
	snprintf(m.en.source, sizeof m.en.source, "imap UID %lu", uid);
	snprintf(m.en.received_by, sizeof m.en.received_by, "internaldate");
	if (!rc)
		rc = take(r, &m, &b, over, e);
	if (!rc)
		rc = mail_imap_mark(im, uid, e);
	bt_buf_release(&b);
	fetch_msg_release(&m);
	return rc;
}

/* The new messages of the IMAP mailbox url, in UID order. */
static int fetch_imap(cli_ctx *ctx, fetch_run *r, const char *url, bt_err *e)
{
	cli_value user, pwf, ca;
	char *pw = NULL;
	mail_imap *im = NULL;
	unsigned long *uids = NULL;
	size_t n = 0;
	cli_conf_value(ctx, CONF_MAIL_USER, NULL, &user);
	cli_conf_value(ctx, CONF_MAIL_PASSWORD_FILE, NULL, &pwf);
	cli_conf_value(ctx, CONF_MAIL_CA, NULL, &ca);
	int rc = pwf.value ? mail_password_read(pwf.where, pwf.value, &pw, e) : BT_OK;
	if (!rc)
		rc = mail_imap_open(url, user.value, pw ? pw : "", ca.value, &im, e);
	if (!rc)
		rc = mail_imap_new(im, &uids, &n, e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fetch_uid(r, im, uids[i], e);
	if (pw) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	free(uids);
	mail_imap_close(im);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The new messages of Maildir dir, in name order. */
static int fetch_maildir(fetch_run *r, const char *dir, bt_err *e)
{
	char nd[4200];
	snprintf(nd, sizeof nd, "%s/new", dir);
	DIR *d = opendir(nd);
	if (!d)
		return bt_fail(e, BT_EINPUT, "mail_mailbox: 'maildir:%s': no new/ directory (%s)", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int rc = BT_OK;
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *v);
			if (!v)
				rc = bt_fail(e, BT_EFAIL, "out of memory");
			else
				names = v;
		}
		if (!rc && !(names[n++] = strdup(de->d_name)))
			rc = bt_fail(e, BT_EFAIL, "out of memory");
	}
	closedir(d);
	if (!rc && n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fetch_file(r, dir, names[i], e);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* mail_max_message: a size in bytes (1 KiB .. 1 GiB). */
static int max_message(cli_ctx *ctx, int64_t *cap, bt_err *e)
{
	cli_value v;
	cli_conf_value(ctx, CONF_MAIL_MAX_MESSAGE, NULL, &v);
	*cap = BT_INBOX_MAX_DEFAULT;
	if (!v.value)
		return BT_OK;
	char *end;
	errno = 0;
	long long n = strtoll(v.value, &end, 10);
	if (errno || end == v.value || *end || n < 1024 || n > 1073741824LL)
		return bt_fail(e, BT_EINPUT, "mail_max_message: '%s' is not a size in bytes (1024-1073741824)", v.value);
	*cap = n;
	return BT_OK;
}

int mail_fetch_cmd(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { CLI_OPT("mailbox", CLI_ARG), CLI_OPT_END };
	fetch_run r = { .ctx = ctx, .out = BT_BUF_INIT };
	cli_value v;
	int rc = cli_parse(ctx, argc, argv, USAGE_FETCH, o, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	cli_conf_value(ctx, CONF_MAIL_MAILBOX, &o[0], &v);
	if (!v.value)
		return bt_fail(e, BT_EINPUT, "mail_mailbox: not set (maildir:/path, in the configuration file or "
			       "$BALLOT_MAIL_MAILBOX)");
	int imap = !strncmp(v.value, "imaps://", 8) || !strncmp(v.value, "imap://", 7);
	if ((!imap && strncmp(v.value, "maildir:", 8) != 0) || strlen(v.value) < 9 || strlen(v.value) > 400)
		return bt_fail(e, BT_EINPUT, "mail_mailbox: '%s' is not maildir:/path or imaps://host/BOX", v.value);
	if ((rc = max_message(ctx, &r.cap, e)) || (rc = cli_open_db(ctx, 1, &r.db, e)) || (rc = cli_now(ctx, &r.now, e)))
		return rc;
	gmime_once();
	rc = imap ? fetch_imap(ctx, &r, v.value, e) : fetch_maildir(&r, v.value + 8, e);
	if (!rc)
		printf("fetched %d new message%s (%d taken already)\n", r.taken, r.taken == 1 ? "" : "s", r.skipped);
	bt_buf_release(&r.out);
	return rc;
}
