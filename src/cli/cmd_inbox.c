/* cmd_inbox.c - `ballot inbox list|show|accept|reject`: the messages
 * `ballot mail fetch` took (ballot/inbox.h). Accepting records the form's
 * replies as `ballot reply --from-pdf` does, received at the secretariat's
 * receipt time (§9.4.5), the form attached. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdfread.h"
#include "pdf/returned_form.h"
#include "cli/form_sig.h"

static const char USAGE[] =
	"usage: ballot inbox list|show|accept|reject ...\n"
	"\n"
	"The messages `ballot mail fetch` took: matched (a returned form naming a\n"
	"circular and a member, from the member's contact), uncertain (matched, but\n"
	"a scan with a draft it could not read: accept it with --choice REC=CHOICE),\n"
	"unmatched, refused.\n";

static const char USAGE_LIST[] =
	"usage: ballot inbox list [--json]\n"
	"\n"
	"Lists the inbox: each entry's number, state, received time, sender,\n"
	"circular, member, and its reason or proposed choices.\n";

static const char USAGE_SHOW[] =
	"usage: ballot inbox show N\n"
	"\n"
	"Shows entry N: sender, subject, Message-ID, received time and how it was\n"
	"found, size and SHA-256, the form and its choices, each attachment.\n";

static const char USAGE_ACCEPT[] =
	"usage: ballot inbox accept N [--received TIME] [--force]\n"
	"                          [--late-entry-reason TEXT] [--choice REC=CHOICE]...\n"
	"\n"
	"Records a matched entry's replies as `ballot reply` records a returned\n"
	"form, channel email, received at the secretariat's server's receipt\n"
	"time unless --received is given, with the form attached; one\n"
	"inbox-accept event with them. A signed form's signature is checked as\n"
	"`ballot reply` checks a returned PDF's; the sender must still be one of\n"
	"the member's contacts. A form read from a scan: --choice gives a\n"
	"draft's choice the scan could not read.\n";

static const char USAGE_REJECT[] =
	"usage: ballot inbox reject N --reason TEXT\n"
	"\n"
	"Sets entry N aside with a reason: an inbox-reject event.\n";

/* N: an entry number. */
static int entry_arg(cli_ctx *ctx, int64_t *id, bt_err *e)
{
	char *end;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "inbox: give one entry number N");
	long long n = strtoll(ctx->pos[0], &end, 10);
	if (*end || end == ctx->pos[0] || n < 1)
		return bt_fail(e, BT_EINPUT, "inbox: '%s' is not an entry number", ctx->pos[0]);
	*id = n;
	return BT_OK;
}

static void entry_json(bt_buf *b, const bt_inbox_entry *x)
{
	char t[BT_TIME_LEN];
	bt_json_kv_int(b, "entry", x->id, 1);
	bt_json_kv_str(b, "state", x->state, 0);
	bt_json_kv_str(b, "reason", x->reason, 0);
	bt_json_kv_str(b, "message_id", x->message_id, 0);
	bt_json_kv_str(b, "sha256", x->sha256, 0);
	bt_json_kv_int(b, "size", x->size, 0);
	bt_json_kv_str(b, "from", x->sender, 0);
	bt_json_kv_str(b, "subject", x->subject, 0);
	bt_time_format(x->received_at, t);
	bt_json_kv_str(b, "received", t, 0);
	bt_json_kv_str(b, "received_by", x->received_by, 0);
	bt_json_kv_str(b, "circular", x->circular, 0);
	bt_json_kv_str(b, "member", x->member, 0);
	bt_json_kv_str(b, "reference", x->reference, 0);
	bt_json_kv_str(b, "choices", x->choices, 0);
	bt_json_kv_str(b, "form", x->form, 0);
	bt_json_kv_int(b, "event", x->done_seq, 0);
}

static int inbox_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_inbox_list l = { NULL, 0 };
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_LIST, o, 0, e);
	if (rc || ctx->help || (rc = cli_open_db(ctx, 0, &db, e)) || (rc = bt_inbox_list_all(db, &l, e)))
		return rc;
	bt_buf b = BT_BUF_INIT;
	bt_buf_adds(&b, "[");
	for (size_t i = 0; i < l.n; i++) {
		const bt_inbox_entry *x = &l.v[i];
		char t[BT_TIME_LEN];
		bt_time_format(x->received_at, t);
		if (o[0].count) {
			bt_buf_adds(&b, i ? ",{" : "{");
			entry_json(&b, x);
			bt_buf_adds(&b, "}");
		} else {
			printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\n", x->id, x->state, t, x->sender,
			       x->circular[0] ? x->circular : "-", x->member[0] ? x->member : "-",
			       x->reason[0] ? x->reason : x->choices);
		}
	}
	bt_buf_adds(&b, "]");
	if (o[0].count)
		rc = cli_print_json(&b, e);
	else if (!l.n)
		printf("the inbox is empty\n");
	bt_buf_release(&b);
	bt_inbox_list_free(&l);
	return rc;
}

static int inbox_show(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { CLI_OPT_END };
	bt_inbox_entry x;
	int64_t id;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_SHOW, o, 1, e);
	if (rc || ctx->help || (rc = entry_arg(ctx, &id, e)) || (rc = cli_open_db(ctx, 0, &db, e)) ||
	    (rc = bt_inbox_get(db, id, &x, e)))
		return rc;
	char t[BT_TIME_LEN];
	bt_time_format(x.received_at, t);
	printf("entry %" PRId64 ": %s%s%s\n", x.id, x.state, x.reason[0] ? ": " : "", x.reason);
	printf("  from: %s\n  subject: %s\n  message-id: %s\n", x.sender, x.subject, x.message_id);
	printf("  received: %s (by %s)\n  size: %" PRId64 " bytes, SHA-256 %s%s\n", t, x.received_by, x.size,
	       x.sha256, x.kept ? "" : " (only its first bytes kept)");
	if (x.reference[0])
		printf("  form: %s, reference %s\n  circular %s, member %s: %s\n", x.form, x.reference, x.circular,
		       x.member, x.choices);
	for (size_t i = 0; i < x.nparts; i++)
		printf("  attachment: %s (%s, %" PRId64 " bytes, SHA-256 %s)\n", x.parts[i].name, x.parts[i].type,
		       x.parts[i].size, x.parts[i].sha256);
	if (x.done_seq)
		printf("  decided: event %" PRId64 "%s%s\n", x.done_seq, x.done_reason[0] ? ": " : "", x.done_reason);
	bt_inbox_entry_free(&x);
	return BT_OK;
}

static int inbox_reject(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { CLI_OPT("reason", CLI_ARG), CLI_OPT_END };
	int64_t id;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_REJECT, o, 1, e);
	if (rc || ctx->help || (rc = entry_arg(ctx, &id, e)) || (rc = cli_require(&o[0], e)) ||
	    (rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)) ||
	    (rc = bt_inbox_reject(db, id, o[0].val, cli_actor(ctx), now, e)))
		return rc;
	printf("entry %" PRId64 " rejected\n", id);
	return BT_OK;
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

/* The replies of the entry's form (rf, checked already, ver) into s,
 * received at its receipt time (or --received), channel email, the form
 * attached; a draft authorized with comments or not authorized carries the
 * message's other documents. */
static void accept_specs(const bt_inbox_entry *x, const pdf_returned *rf, const bt_returned_verdict *ver,
			 const bt_attachment_in *scan, const bt_attachment_in *docs, size_t ndocs, const cli_opt *o,
			 bt_time received, bt_reply_spec *s)
{
	bt_returned_specs(&rf->f, ver, x->circular, s);
	for (size_t i = 0; i < rf->f.n_drafts; i++) {
		s[i].has_received = 1;
		s[i].received = received;
		s[i].channel = "email";
		s[i].scan = scan;
		s[i].force = o[1].count > 0;
		s[i].late_entry_reason = o[2].val;
		if (s[i].choice == BT_AUTHORIZE_WITH_COMMENTS || s[i].choice == BT_NOT_AUTHORIZE) {
			s[i].attachments = ndocs ? docs : NULL;
			s[i].n_attachments = ndocs;
		}
	}
}

/* The entry's form read again into v: a filled PDF's fields, else (a scan)
 * the scan reader's proposal with the --choice overrides; its reference
 * into ref (a scan's from its QR code). */
static int entry_form(cli_ctx *ctx, bt_db *db, const bt_inbox_part *form, const cli_opt *choice,
		      pdf_form_values *v, char ref[BT_FORM_REF_MAX], bt_err *e)
{
	bt_err e2;
	const char *field;
	if (!pdf_form_read(form->data, form->len, form->name, v, &e2) &&
	    (field = pdf_form_value(v, PDF_FIELD_REFERENCE))) {
		snprintf(ref, BT_FORM_REF_MAX, "%s", field);
		return choice->count ? bt_fail(e, BT_EINPUT, "--choice: only for a form read from a scan; %s is a "
					       "filled PDF form", form->name)
				     : BT_OK;
	}
	pdf_form_values_free(v);
	memset(v, 0, sizeof *v);
	int rc = cli_scan_bytes(ctx, db, 0, form->name, form->data, form->len, v, ref, e);
	return rc ? rc : cli_form_choices(v, choice, e);
}

/* The entry's form read and checked as `reply --from-pdf` checks a
 * returned form (bt_returned_check: the reference, the choices, a signed
 * form's signature and its signer at the received time), into rf and ver;
 * refusals name the entry, the form and its field. */
static int accept_check(cli_ctx *ctx, bt_db *db, const bt_inbox_entry *x, const bt_inbox_part *form,
			const cli_opt *o, pdf_form_values *v, pdf_returned *rf, bt_returned_verdict *ver,
			bt_time *received, bt_err *e)
{
	char what[160], ref[BT_FORM_REF_MAX] = "";
	int has = 1;
	*received = x->received_at;
	snprintf(what, sizeof what, "inbox: entry %" PRId64 ", form %s", x->id, form->name);
	int rc = entry_form(ctx, db, form, &o[3], v, ref, e);
	if (!rc)
		rc = pdf_returned_of(form->data, form->len, v, rf, e);
	if (!rc && o[0].count)
		rc = cli_opt_time(&o[0], &has, received, e);
	rf->f.reference = ref;
	if (!rc && (rc = bt_returned_check(db, &rf->f, x->circular, x->member, *received, ver, e)))
		rc = cli_returned_fail_entry(what, e);
	if (!rc)
		cli_returned_warn(what, x->circular, &rf->f, ver);
	return rc;
}

static int accept_entry(cli_ctx *ctx, bt_db *db, const bt_inbox_entry *x, const cli_opt *o, bt_time now, bt_err *e)
{
	const bt_inbox_part *form = NULL;
	for (size_t i = 0; i < x->nparts && !form; i++)
		if (!strcmp(x->parts[i].name, x->form))
			form = &x->parts[i];
	if (!form)
		return bt_fail(e, BT_EINPUT, "inbox: entry %" PRId64 " is %s, with no form to record", x->id, x->state);
	pdf_form_values v;
	pdf_returned rf;
	bt_returned_verdict ver;
	bt_time received;
	memset(&v, 0, sizeof v);
	memset(&rf, 0, sizeof rf);
	bt_attachment_in scan = { form->name, form->data, form->len };
	int rc = accept_check(ctx, db, x, form, o, &v, &rf, &ver, &received, e);
	bt_reply_spec *s = rc ? NULL : calloc(v.n_drafts + 1, sizeof *s);
	bt_reply_result *res = rc ? NULL : calloc(v.n_drafts + 1, sizeof *res);
	bt_attachment_in *docs = calloc(x->nparts + 1, sizeof *docs);
	if (!rc && (!s || !res || !docs))
		rc = bt_fail(e, BT_EFAIL, "out of memory");
	if (!rc)
		accept_specs(x, &rf, &ver, &scan, docs, other_documents(x, form, docs), o, received, s);
	if (!rc)
		rc = bt_inbox_accept(db, x->id, s, v.n_drafts, cli_actor(ctx), now, res, e);
	if (res)
		cli_quota_hint(rc, res[0].quota, e);
	for (size_t i = 0; !rc && i < v.n_drafts; i++)
		cli_print_recorded(&res[i]);
	if (!rc)
		printf("entry %" PRId64 " accepted: form %s attached\n", x->id, form->name);
	free(s);
	free(res);
	free(docs);
	pdf_returned_free(&rf);
	pdf_form_values_free(&v);
	return rc;
}

static int inbox_accept(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { CLI_OPT("received", CLI_ARG), CLI_OPT("force", CLI_FLAG),
			CLI_OPT("late-entry-reason", CLI_ARG), CLI_OPT("choice", CLI_MULTI), CLI_OPT_END };
	bt_inbox_entry x;
	int64_t id;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_ACCEPT, o, 1, e);
	if (rc || ctx->help || (rc = entry_arg(ctx, &id, e)) || (rc = cli_open_db(ctx, 1, &db, e)) ||
	    (rc = cli_now(ctx, &now, e)) || (rc = bt_inbox_get(db, id, &x, e)))
		return rc;
	rc = strcmp(x.state, "matched") && strcmp(x.state, "uncertain") ? bt_fail(e, BT_EINPUT, "inbox: entry %" PRId64 " is %s: only a matched "
						 "entry is accepted", id, x.state)
					: accept_entry(ctx, db, &x, o, now, e);
	bt_inbox_entry_free(&x);
	return rc;
}

int cmd_inbox(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "list", inbox_list }, { "show", inbox_show },	{ "accept", inbox_accept },
					{ "reject", inbox_reject }, { NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
