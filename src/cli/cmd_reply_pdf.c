/* cmd_reply_pdf.c - `ballot reply --from-pdf FILE`: the replies of a
 * returned Annex 2 form filled in on screen (its fields: src/pdf/pdfread.h),
 * recorded with the file attached, as `ballot reply` records them. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ballot/formref.h"
#include "ballot/signcert.h"
#include "pdf/pdfread.h"
#include "pdf/pdfsig.h"
#include "pdf/returned_form.h"
#include "cli/form_sig.h"

static const char USAGE[] =
	"usage: ballot reply --from-pdf FILE --circular ID [--member CODE]\n"
	"       ballot reply --from-scan FILE --circular ID [--choice REC=CHOICE]...\n"
	"              [--comments [REC=]FILE]... [--reasons [REC=]FILE]...\n"
	"              [--received TIME] [--channel email|fax|post|portal|other]\n"
	"              [--signatory NAME] [--title TEXT]\n"
	"              [--force] [--late-entry-reason TEXT]\n"
	"              [--print-receipt] [--key FILE] [--dry-run] [--json]\n"
	"\n"
	"Records the replies of a returned Annex 2 form filled in on screen: its\n"
	"reference (field form.reference, the one the footer prints and the QR\n"
	"code encodes), the choice ticked per draft (draft.<REC>.choice), the\n"
	"signatory and title (signatory.name, signatory.title; else sender.name,\n"
	"sender.title), with FILE attached to each reply as the form received.\n"
	"All of the form's replies are recorded, or none. A blank form names its\n"
	"administration in sender.administration: give it as --member. A form\n"
	"issued for another circular or member, a draft with no choice or two,\n"
	"\"comments attached\" without --comments are refused; a form issued\n"
	"before drafts were added is read as issued (its drafts recorded, a\n"
	"warning names the drafts added since), one issued for drafts the\n"
	"circular does not have is refused. --comments and\n"
	"--reasons take REC=FILE (REC may be left out on a form of one draft).\n"
	"--channel defaults to email. --dry-run prints what would be recorded\n"
	"(--json: as JSON) and records nothing, after the checks of the real run.\n"
	"--from-scan FILE records the proposal of a scanned or faxed form (ballot\n"
	"scan: its QR code and tick boxes) with FILE attached; an uncertain draft\n"
	"is refused unless --choice REC=CHOICE gives the secretariat's reading.\n"
	"--signatory and --title give who signed (a scan's handwriting, or a PDF\n"
	"whose signatory fields are empty; one that differs is refused).\n"
	"--draft, --authorize, --not-authorize, --ref and --receipt do not combine\n"
	"with --from-pdf or --from-scan (the form answers them).\n";

enum { O_FROM, O_CIRCULAR, O_MEMBER, O_COMMENTS, O_REASONS, O_RECEIVED,
       O_CHANNEL, O_FORCE, O_LATE, O_PRINT, O_KEY, O_DRY, O_JSON, O_SCAN,
       O_CHOICE, O_SIGNATORY, O_TITLE, O_DRAFT, O_AUTH, O_NOT_AUTH, O_REF,
       O_RECEIPT, O_N };

/* What the form says and what will be recorded. */
typedef struct plan {
	const char *file, *ref;
	char what[128];          /* "--from-pdf FILE", for messages */
	char member[8];
	bt_buf pdf;
	pdf_form_values v;
	pdf_returned rf;         /* v as the engine checks it (the signature's
				    verdict in rf.sig) */
	bt_returned_verdict ver; /* what the check found: stale, the signer */
	int has_received;
	bt_time received;        /* --received */
	bt_reply_spec *specs;
	bt_buf *bufs;            /* attachments' bytes */
	bt_attachment_in *atts;  /* per spec, in draft order */
	size_t natt;
	bt_attachment_in scan;
	bt_time now;
	char scanref[BT_FORM_REF_MAX]; /* --from-scan: the QR code's */
} plan;

static void plan_release(plan *p)
{
	for (size_t i = 0; i < p->natt; i++)
		bt_buf_release(&p->bufs[i]);
	free(p->bufs);
	free(p->atts);
	free(p->specs);
	bt_buf_release(&p->pdf);
	pdf_returned_free(&p->rf);
	pdf_form_values_free(&p->v);
}

/* The member: the personalized form's own (or --member, which must agree:
 * bt_returned_check); on a blank form --member, confirmed by the
 * administration the form names (bt_returned_check). */
static int form_member(bt_db *db, plan *p, const cli_opt *o_member, bt_err *e)
{
	char code[8], canon[4];
	bt_form_ref r;
	if (bt_form_ref_parse(p->ref, &r, e) != BT_OK) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg + (strncmp(e->msg, "ref: ", 5) ? 0 : 5));
		return bt_fail(e, BT_EINPUT, "%s: field %s %s", p->what, PDF_FIELD_REFERENCE, msg);
	}
	snprintf(code, sizeof code, "%s", r.member);
	/* a member the reference names: refused as the reference's */
	int rc = !o_member->count && *code && strcmp(code, "-") != 0 ?
		bt_member_resolve(db, PDF_FIELD_REFERENCE, code, canon, e) : BT_OK;
	if (rc == BT_EINPUT)
		return bt_fail(e, rc, "%s: field %s '%s': member '%s' is not an "
			       "ITU Member State code", p->what, PDF_FIELD_REFERENCE,
			       p->ref, code);
	if (rc != BT_OK)
		return rc;
	if (strcmp(code, "-") != 0) {
		snprintf(p->member, sizeof p->member, "%s",
			 o_member->count ? o_member->val : code);
		return BT_OK;
	}
	const char *admin = pdf_form_value(&p->v, "sender.administration");
	if (!o_member->count)
		return bt_fail(e, BT_EINPUT, "%s: a blank form: give its "
			       "administration as --member CODE (field "
			       "sender.administration says '%s')", p->what,
			       admin ? admin : "");
	if (!admin)
		return bt_fail(e, BT_EINPUT, "%s: a blank form whose field "
			       "sender.administration is empty: --member %s is "
			       "not confirmed by the form", p->what, o_member->val);
	snprintf(p->member, sizeof p->member, "%s", o_member->val);
	return BT_OK;
}

/* The draft an attachment argument "REC=FILE" (or "FILE" on a form of one
 * draft) is for: its index, *path the file. */
static int attachment_draft(const plan *p, const char *opt, const char *arg,
			    size_t *idx, const char **path, bt_err *e)
{
	const char *eq = strchr(arg, '=');
	for (size_t i = 0; eq && i < p->v.n_drafts; i++) {
		const char *rec = p->v.drafts[i].rec;
		if (strlen(rec) == (size_t)(eq - arg) && !strncmp(arg, rec, strlen(rec))) {
			*idx = i;
			*path = eq + 1;
			return BT_OK;
		}
	}
	if (p->v.n_drafts == 1) {
		*idx = 0;
		*path = arg;
		return BT_OK;
	}
	return bt_fail(e, BT_EINPUT, "%s: '%s' names no draft of the form: "
		       "give REC=FILE", opt, arg);
}

/* Reads one --comments or --reasons argument k (REC=FILE) into
 * p->bufs[k], checking the draft's choice takes it; *d: its draft. */
static int attachment_read(bt_db *db, plan *p, const char *opt,
			   const char *arg, bt_choice need, size_t k, size_t *d,
			   const char **path, bt_err *e)
{
	int64_t cap = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	int rc = attachment_draft(p, opt, arg, d, path, e);
	const pdf_form_choice *c = rc == BT_OK ? &p->v.drafts[*d] : NULL;
	if (c && c->choice != need)
		rc = bt_fail(e, BT_EINPUT, "%s %s: field draft.%s.choice is %s; "
			     "%s go with %s", opt, arg, c->rec,
			     bt_choice_name(c->choice), opt + 2, bt_choice_name(need));
	if (rc == BT_OK)
		rc = cli_read_file(opt, *path, cap, 0, &p->bufs[k], e);
	p->natt = k + 1;
	return rc;
}

/* Reads the --comments and --reasons files into p->atts, grouped by
 * draft, and checks each draft's choice has the attachments it needs. */
static int attachments(bt_db *db, plan *p, const cli_opt *com,
		       const cli_opt *rea, bt_err *e)
{
	size_t want = com->n + rea->n, nd = p->v.n_drafts, n = 0;
	size_t *of = calloc(want + 1, sizeof *of);
	const char **path = calloc(want + 1, sizeof *path);
	p->bufs = calloc(want + 1, sizeof *p->bufs);
	p->atts = calloc(want + 1, sizeof *p->atts);
	int rc = of && path && p->bufs && p->atts ? BT_OK :
		bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t k = 0; k < want && rc == BT_OK; k++)
		rc = k < com->n ?
			attachment_read(db, p, "--comments", com->vals[k],
					BT_AUTHORIZE_WITH_COMMENTS, k, &of[k], &path[k], e) :
			attachment_read(db, p, "--reasons", rea->vals[k - com->n],
					BT_NOT_AUTHORIZE, k, &of[k], &path[k], e);
	/* a draft given the same file (by name) twice */
	for (size_t k = 0; k < want && rc == BT_OK; k++)
		for (size_t j = 0; j < k && rc == BT_OK; j++)
			if (of[j] == of[k] && !strcmp(cli_basename(path[j]), cli_basename(path[k])))
				rc = bt_fail(e, BT_EINPUT, "%s %s: draft %s is given a "
					     "file named '%s' twice", k < com->n ?
					     "--comments" : "--reasons", k < com->n ?
					     com->vals[k] : rea->vals[k - com->n],
					     p->v.drafts[of[k]].rec, cli_basename(path[k]));
	/* in draft order, so each spec's attachments are adjacent */
	for (size_t d = 0; d < nd && rc == BT_OK; d++) {
		size_t first = n;
		for (size_t k = 0; k < want; k++) {
			if (of[k] != d)
				continue;
			p->atts[n].name = cli_basename(path[k]);
			p->atts[n].data = p->bufs[k].data;
			p->atts[n++].len = p->bufs[k].len;
		}
		p->specs[d].attachments = n > first ? &p->atts[first] : NULL;
		p->specs[d].n_attachments = n - first;
		if (p->v.drafts[d].choice == BT_AUTHORIZE_WITH_COMMENTS && n == first)
			rc = bt_fail(e, BT_EINPUT, "%s: field draft.%s.choice is "
				     "authorize-with-comments but no comments are "
				     "attached (--comments %s=FILE)", p->what,
				     p->v.drafts[d].rec, p->v.drafts[d].rec);
	}
	free(of);
	free(path);
	return rc;
}

/* The signature line of the acknowledgement and of the dry run. */
static void print_signature(const plan *p)
{
	if (!p->rf.f.is_signed) {
		printf("  signature: none (unsigned form)\n");
		return;
	}
	const char *covers = p->rf.sig.whole ? "covering the whole file" :
		"later updates change no field";
	if (p->ver.signer.verified)
		printf("  signature: signed by %s (verified; certificate SHA-256 %s): "
		       "valid, %s\n", p->rf.sig.subject, p->rf.sig.cert_sha256, covers);
	else
		printf("  signature: signed by %s (certificate SHA-256 %s): valid, %s; "
		       "the signer is not verified: %s\n", p->rf.sig.subject,
		       p->rf.sig.cert_sha256, covers, p->ver.signer.why);
	for (size_t i = 0; p->specs && i < p->v.n_drafts; i++)
		if (!p->specs[i].signer_subject)
			printf("  %s: changed from the signed form: recorded without the signer\n", p->specs[i].rec);
}

/* What the form's replies would record, as text or JSON (events: the
 * results once recorded, else NULL). */
static void print_plan_text(const plan *p, const bt_reply_spec *s,
			    const bt_reply_result *res)
{
	printf("form %s: reference %s, member %s%s\n", p->file, p->ref, p->member,
	       p->ver.stale ? " (issued before drafts were added: read as issued)" : "");
	for (size_t i = 0; i < p->v.n_drafts; i++) {
		printf("  %s: %s", s[i].rec, bt_choice_name(s[i].choice));
		for (size_t k = 0; k < s[i].n_attachments; k++)
			printf("%s%s", k ? ", " : ", attached: ", s[i].attachments[k].name);
		printf("\n");
	}
	printf("  signatory: %s%s%s%s\n", s[0].signatory ? s[0].signatory : "(none)",
	       s[0].title ? " (" : "", s[0].title ? s[0].title : "", s[0].title ? ")" : "");
	print_signature(p);
	if (!res)
		printf("nothing recorded (--dry-run)\n");
}

static int print_plan(const plan *p, const bt_reply_spec *s, int json,
		      const bt_reply_result *res, bt_err *e)
{
	if (!json) {
		print_plan_text(p, s, res);
		return BT_OK;
	}
	bt_buf b = BT_BUF_INIT;
	bt_buf_adds(&b, "{");
	bt_json_kv_bool(&b, "dry_run", res == NULL, 1);
	bt_json_kv_str(&b, "file", p->file, 0);
	bt_json_kv_str(&b, "reference", p->ref, 0);
	bt_json_kv_str(&b, "circular", s[0].circular, 0);
	bt_json_kv_str(&b, "member", p->member, 0);
	bt_json_kv_bool(&b, "stale", p->ver.stale, 0);
	bt_json_kv_str(&b, "added_since", p->ver.added_since, 0);
	bt_json_key(&b, "signatory", 0);
	bt_json_str_or_null(&b, s[0].signatory);
	bt_json_key(&b, "title", 0);
	bt_json_str_or_null(&b, s[0].title);
	bt_json_kv_bool(&b, "signed", p->rf.f.is_signed, 0);
	if (p->rf.f.is_signed) {
		bt_json_key(&b, "signature", 0);
		bt_buf_adds(&b, "{");
		bt_json_kv_bool(&b, "valid", p->rf.sig.valid, 1);
		bt_json_kv_bool(&b, "whole_file", p->rf.sig.whole, 0);
		bt_json_kv_str(&b, "subject", p->rf.sig.subject, 0);
		bt_json_kv_str(&b, "cert_sha256", p->rf.sig.cert_sha256, 0);
		bt_json_kv_bool(&b, "signer_verified", p->ver.signer.verified, 0);
		bt_json_key(&b, "signer_not_verified", 0);
		bt_json_str_or_null(&b, p->ver.signer.verified ? NULL : p->ver.signer.why);
		bt_buf_adds(&b, "}");
	}
	bt_json_key(&b, "replies", 0);
	bt_buf_adds(&b, "[");
	for (size_t i = 0; i < p->v.n_drafts; i++) {
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_str(&b, "draft", s[i].rec, 1);
		bt_json_kv_str(&b, "choice", bt_choice_name(s[i].choice), 0);
		bt_json_kv_bool(&b, "signed", s[i].signer_subject != NULL, 0);
		bt_json_key(&b, "attachments", 0);
		bt_buf_adds(&b, "[");
		for (size_t k = 0; k < s[i].n_attachments; k++) {
			bt_buf_adds(&b, k ? "," : "");
			bt_json_str(&b, s[i].attachments[k].name);
		}
		bt_buf_adds(&b, "]");
		if (res)
			bt_json_kv_int(&b, "event", res[i].event_seq, 0);
		bt_buf_adds(&b, "}");
	}
	bt_buf_adds(&b, "]}");
	int rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

/* --signatory and --title (ballot reply's options): who signed a scan, or
 * a PDF whose fields leave it empty; one that differs from the form's is
 * refused. Into *sig and *title. */
static int given_signatory(const cli_opt *o, const char **sig,
			   const char **title, bt_err *e)
{
	const char *const given[2] = { o[O_SIGNATORY].val, o[O_TITLE].val };
	const char **form[2] = { sig, title };
	static const char *const opt[2] = { "signatory", "title" };
	for (int k = 0; k < 2; k++) {
		if (given[k] && *form[k] && strcmp(*form[k], given[k]) != 0)
			return bt_fail(e, BT_EINPUT, "--%s: '%s' differs from the "
				       "form's '%s'", opt[k], given[k], *form[k]);
		if (given[k])
			*form[k] = given[k];
	}
	return BT_OK;
}

/* The specs of the form's replies (attachments come after). */
static int make_specs(plan *p, const cli_opt *o, bt_err *e)
{
	const char *sig = p->rf.f.signatory, *title = p->rf.f.title;
	int rc = given_signatory(o, &sig, &title, e);
	if (rc != BT_OK)
		return rc;
	p->specs = calloc(p->v.n_drafts, sizeof *p->specs);
	if (!p->specs)
		return bt_fail(e, BT_EFAIL, "out of memory");
	bt_returned_specs(&p->rf.f, &p->ver, o[O_CIRCULAR].val, p->specs);
	/* (a signatory or title the form holds cannot be changed here,
	 * given_signatory refuses it; one it leaves empty, a scan's, may be
	 * given without changing what a signer signed) */
	p->scan.name = cli_basename(p->file);
	p->scan.data = p->pdf.data;
	p->scan.len = p->pdf.len;
	for (size_t i = 0; i < p->v.n_drafts; i++) {
		bt_reply_spec *s = &p->specs[i];
		s->member = p->member;
		s->has_received = p->has_received;
		s->received = p->received;
		s->channel = o[O_CHANNEL].count ? o[O_CHANNEL].val : "email";
		s->signatory = sig;
		s->title = title;
		s->scan = &p->scan;
		s->force = o[O_FORCE].count > 0;
		s->late_entry_reason = o[O_LATE].val;
	}
	return BT_OK;
}

/* The engine's checks of the returned form (ballot/returned.h), at the
 * time received: refusals name the form's field; a form issued before
 * drafts were added and a signer not verified are warned about. */
static int check_form(bt_db *db, plan *p, const char *circular, bt_err *e)
{
	bt_time at = p->has_received ? p->received : p->now;
	int rc = bt_returned_check(db, &p->rf.f, circular, p->member, at, &p->ver, e);
	if (rc != BT_OK)
		return cli_returned_fail(p->what, e);
	snprintf(p->member, sizeof p->member, "%s", p->ver.member);
	cli_returned_warn(p->what, circular, &p->rf.f, &p->ver);
	return BT_OK;
}

/* --choice REC=CHOICE...: the secretariat's reading of a scanned form's
 * drafts, over the proposal (an uncertain row's choice). */
static int choice_overrides(plan *p, const cli_opt *o, bt_err *e)
{
	return cli_form_choices(&p->v, o, e);
}

/* The form's values: a filled PDF's fields, or a scan's proposal. */
static int form_values(cli_ctx *ctx, bt_db *db, cli_opt *o, plan *p,
		       bt_err *e)
{
	int scan = o[O_SCAN].count > 0;
	const char *opt = scan ? "--from-scan" : "--from-pdf";
	p->file = scan ? o[O_SCAN].val : o[O_FROM].val;
	snprintf(p->what, sizeof p->what, "%s %s", opt, cli_basename(p->file));
	int64_t cap = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	int rc = cli_read_file(opt, p->file, cap, 0, &p->pdf, e);
	if (rc == BT_OK && !scan)
		return pdf_form_read(p->pdf.data, p->pdf.len, p->what, &p->v, e);
	if (rc == BT_OK)
		rc = cli_scan_form(ctx, db, p->file, p->what, &p->v, p->scanref, e);
	if (rc == BT_OK)
		rc = choice_overrides(p, &o[O_CHOICE], e);
	p->ref = p->scanref;
	return rc;
}

/* Reads and checks the form into p: everything up to recording. */
static int plan_make(cli_ctx *ctx, bt_db *db, cli_opt *o, plan *p, bt_err *e)
{
	int rc = form_values(ctx, db, o, p, e);
	if (rc == BT_OK)
		rc = pdf_returned_of(p->pdf.data, p->pdf.len, &p->v, &p->rf, e);
	if (rc == BT_OK && p->ref)
		p->rf.f.reference = p->ref; /* a scan's, from its QR code */
	if (rc == BT_OK && !(p->ref = p->rf.f.reference))
		rc = bt_fail(e, BT_EINPUT, "%s: field %s is missing or empty",
			     p->what, PDF_FIELD_REFERENCE);
	if (rc == BT_OK)
		rc = form_member(db, p, &o[O_MEMBER], e);
	if (rc == BT_OK)
		rc = cli_opt_time(&o[O_RECEIVED], &p->has_received, &p->received, e);
	if (rc == BT_OK)
		rc = check_form(db, p, o[O_CIRCULAR].val, e);
	if (rc == BT_OK)
		rc = make_specs(p, o, e);
	if (rc == BT_OK)
		rc = attachments(db, p, &o[O_COMMENTS], &o[O_REASONS], e);
	return rc;
}

/* One source (--from-pdf or --from-scan), --choice only with a scan, none
 * of ballot reply's options that the form answers itself, and --circular. */
static int check_options(cli_opt *o, bt_err *e)
{
	/* choosing: a draft or a choice, which a filled form's fields give */
	static const struct { int o; const char *name, *why; int choosing; } not_here[] = {
		{ O_DRAFT, "draft", "the form gives its drafts; --choice "
		  "REC=CHOICE reads a scan's row", 1 },
		{ O_AUTH, "authorize", "the form gives the choices; --choice "
		  "REC=CHOICE reads a scan's row", 1 },
		{ O_NOT_AUTH, "not-authorize", "the form gives the choices; "
		  "--choice REC=CHOICE reads a scan's row", 1 },
		{ O_REF, "ref", "the form's own reference is read", 0 },
		{ O_RECEIPT, "receipt", "a form records one reply per draft: "
		  "--print-receipt, or ballot receipt show --event N", 0 },
	};
	const char *src = o[O_SCAN].count ? "--from-scan" : "--from-pdf";
	for (size_t i = 0; i < sizeof not_here / sizeof *not_here; i++)
		if (o[not_here[i].o].count && not_here[i].choosing && !o[O_SCAN].count)
			return bt_fail(e, BT_EINPUT, "--%s: not with --from-pdf (the filled form's fields give "
				       "the drafts and choices: tick the choice on the form, or record it "
				       "without the form: ballot reply --circular ID --member CODE --draft REC "
				       "--authorize|--not-authorize)", not_here[i].name);
		else if (o[not_here[i].o].count)
			return bt_fail(e, BT_EINPUT, "--%s: not with %s (%s)",
				       not_here[i].name, src, not_here[i].why);
	if (o[O_FROM].count + o[O_SCAN].count != 1)
		return bt_fail(e, BT_EINPUT, "--from-pdf or --from-scan: give "
			       "one of them");
	if (o[O_CHOICE].count && !o[O_SCAN].count)
		return bt_fail(e, BT_EINPUT, "--choice: only with --from-scan");
	return cli_require(&o[O_CIRCULAR], e);
}

/* Records the form's replies (dry: checks them as the engine records them,
 * in a transaction rolled back) and prints the acknowledgement or plan. */
static int record(cli_ctx *ctx, bt_db *db, cli_opt *o, plan *p, const bt_key *key,
		  int dry, bt_err *e)
{
	int json = o[O_JSON].count > 0;
	bt_reply_result *res = calloc(p->v.n_drafts, sizeof *res);
	if (!res)
		return bt_fail(e, BT_EFAIL, "out of memory");
	int rc = (dry ? bt_reply_record_many_check : bt_reply_record_many)(
		db, p->specs, p->v.n_drafts, cli_actor(ctx), p->now, res, e);
	cli_quota_hint(rc, res[0].quota, e);
	cli_member_hint(db, p->member, rc, e);
	if (rc == BT_OK && (dry || json))
		rc = print_plan(p, p->specs, json, dry ? NULL : res, e);
	for (size_t i = 0; rc == BT_OK && !dry && !json && i < p->v.n_drafts; i++)
		cli_print_recorded(&res[i]);
	if (rc == BT_OK && !dry && !json) {
		printf("form %s attached\n", cli_basename(p->file));
		print_signature(p);
	}
	for (size_t i = 0; rc == BT_OK && !dry && !json && i < p->v.n_drafts; i++)
		rc = cli_receipt(ctx, key, res[i].event_seq, NULL,
				 o[O_PRINT].count > 0, e);
	free(res);
	return rc;
}

int cmd_reply_from_pdf(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = {
		CLI_OPT("from-pdf", CLI_ARG), CLI_OPT("circular", CLI_ARG),
		CLI_OPT("member", CLI_ARG), CLI_OPT("comments", CLI_MULTI),
		CLI_OPT("reasons", CLI_MULTI), CLI_OPT("received", CLI_ARG),
		CLI_OPT("channel", CLI_ARG), CLI_OPT("force", CLI_FLAG),
		CLI_OPT("late-entry-reason", CLI_ARG),
		CLI_OPT("print-receipt", CLI_FLAG), CLI_OPT("key", CLI_ARG),
		CLI_OPT("dry-run", CLI_FLAG), CLI_OPT("json", CLI_FLAG),
		CLI_OPT("from-scan", CLI_ARG), CLI_OPT("choice", CLI_MULTI),
		CLI_OPT("signatory", CLI_ARG), CLI_OPT("title", CLI_ARG),
		/* ballot reply's, refused here by name (check_options) */
		CLI_OPT("draft", CLI_ARG), CLI_OPT("authorize", CLI_FLAG),
		CLI_OPT("not-authorize", CLI_FLAG), CLI_OPT("ref", CLI_ARG),
		CLI_OPT("receipt", CLI_ARG), CLI_OPT_END
	};
	plan p;
	memset(&p, 0, sizeof p);
	bt_buf_init(&p.pdf, 0);
	const bt_key *key = NULL;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE, o, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	int dry = o[O_DRY].count > 0;
	if ((rc = check_options(o, e)) != BT_OK)
		return rc;
	/* the dry run too: the engine checks inside a transaction it rolls back */
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &p.now, e);
	if (rc == BT_OK && !dry)
		rc = cli_receipt_prepare(ctx, &o[O_KEY], NULL, &key, e);
	if (rc == BT_OK)
		rc = plan_make(ctx, db, o, &p, e);
	if (rc == BT_OK)
		rc = record(ctx, db, o, &p, key, dry, e);
	plan_release(&p);
	return rc;
}
