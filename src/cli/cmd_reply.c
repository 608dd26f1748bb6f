/* cmd_reply.c - `ballot reply`: record one Member State's reply on a draft,
 * with its attachments; `ballot reply import`: many replies from a TSV. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot reply --circular ID --member CODE [--draft REC]\n"
	"              (--authorize [--comments FILE]... |\n"
	"               --not-authorize [--reasons FILE]...)\n"
	"              [--received TIME] [--channel email|fax|post|portal|other]\n"
	"              [--signatory NAME] [--title TEXT] [--ref FORM-REFERENCE]\n"
	"              [--force] [--late-entry-reason TEXT]\n"
	"              [--receipt FILE | --print-receipt] [--key FILE]\n"
	"       ballot reply import --circular ID FILE [--receipts DIR] [--force]\n"
	"\n"
	"Records a Member State's reply (Annex 2 form) on one draft:\n"
	"  --authorize                 authorizes, no comments or proposed changes\n"
	"  --authorize --comments F    authorizes, comments and proposed changes\n"
	"                              attached (repeat for several files)\n"
	"  --not-authorize --reasons F does not authorize; reasons and possible\n"
	"                              changes attached (without them the reply is\n"
	"                              recorded and flagged)\n"
	"--member takes an ISO code (CHE or CH). --draft may be left out when the\n"
	"consultation has one draft. --received defaults to now; a reply received\n"
	"after the deadline is recorded but not counted. A later reply of the same\n"
	"member supersedes its earlier one. --ref gives the reference printed on the\n"
	"returned form (footer or QR code): a form issued for another circular or\n"
	"member is refused; one issued before the drafts changed is warned about.\n"
	"Every reply yields a receipt signed with the secretariat's key (--key,\n"
	"$BALLOT_KEY, else the database path + .key): saved to --receipt FILE, or\n"
	"with --print-receipt printed after the acknowledgement on a line starting\n"
	"'receipt: '; otherwise that line names the command that issues it\n"
	"(ballot receipt show --event N: the same bytes, whenever asked).\n"
	"A member's replies in a consultation may hold at most quota_bytes of\n"
	"attachments, and it may record at most replies_per_hour replies there in\n"
	"an hour (ballot config); --force records a reply over them all the same.\n"
	"A reply received on time (--received) but entered after the deadline that\n"
	"changes a draft's outcome needs --late-entry-reason TEXT (history and the\n"
	"report show it).\n";

static const char USAGE_IMPORT[] =
	"usage: ballot reply import --circular ID FILE [--receipts DIR] [--key FILE]\n"
	"                           [--force] [--attachments-from DIR]\n"
	"\n"
	"Records many replies at once, all or nothing. FILE is a TSV with the header\n"
	"member, draft, choice, received, channel, attachment; choice is authorize,\n"
	"authorize-with-comments or not-authorize; attachment is an optional path\n"
	"relative to FILE's directory, which it must not leave (no absolute path, no\n"
	"'..', no symbolic link leading out); --attachments-from DIR reads them under\n"
	"DIR instead, with the same rule. --receipts DIR writes each reply's signed receipt to\n"
	"DIR/receipt-<event>.json (DIR is created) and says so; without it,\n"
	"`ballot receipt show --event N` issues any of them. The members' quotas\n"
	"(quota_bytes, replies_per_hour) apply to each line unless --force. An\n"
	"optional last column late_entry_reason gives a line's reason for a late\n"
	"entry, as `ballot reply` takes one (empty: none).\n";

/* Reads the attachments given to option opt into bufs/atts from index *n. */
static int read_attachments(const cli_opt *o, const char *role, int64_t cap,
			    bt_buf *bufs, bt_attachment_in *atts, size_t *n,
			    bt_err *e)
{
	char opt[32];

	snprintf(opt, sizeof opt, "--%s", role);
	for (size_t i = 0; i < o->n; i++) {
		const char *path = o->vals[i];
		int rc = cli_read_file(opt, path, cap, 0, &bufs[*n], e);
		if (rc != BT_OK)
			return rc;
		atts[*n].name = cli_basename(path);
		atts[*n].data = bufs[*n].data;
		atts[*n].len = bufs[*n].len;
		(*n)++;
	}
	return BT_OK;
}

/* The options of `reply`, in their table's order. */
enum { R_CIRCULAR, R_MEMBER, R_DRAFT, R_AUTH, R_NOT_AUTH, R_COMMENTS,
       R_REASONS, R_RECEIVED, R_CHANNEL, R_SIGNATORY, R_TITLE, R_REF,
       R_KEY, R_RECEIPT, R_FORCE, R_LATE_ENTRY, R_PRINT_RECEIPT };

/* The files attached with --comments and --reasons, read with their cap. */
typedef struct {
	bt_buf *bufs;
	bt_attachment_in *atts;
	size_t n, want;
} reply_files;

static void files_free(reply_files *f)
{
	if (f->bufs)
		for (size_t i = 0; i < f->want; i++)
			bt_buf_release(&f->bufs[i]);
	free(f->bufs);
	free(f->atts);
}

/* Reads every --comments and --reasons file, at most attachment_max bytes
 * each. */
static int files_read(bt_db *db, const cli_opt *opts, reply_files *f, bt_err *e)
{
	int64_t cap = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	int rc;

	f->want = opts[R_COMMENTS].n + opts[R_REASONS].n;
	if (!f->want)
		return BT_OK;
	f->bufs = calloc(f->want, sizeof *f->bufs);
	f->atts = calloc(f->want, sizeof *f->atts);
	if (!f->bufs || !f->atts)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t i = 0; i < f->want; i++)
		bt_buf_init(&f->bufs[i], 0);
	rc = read_attachments(&opts[R_COMMENTS], "comments", cap, f->bufs, f->atts, &f->n, e);
	if (rc == BT_OK)
		rc = read_attachments(&opts[R_REASONS], "reasons", cap, f->bufs, f->atts, &f->n, e);
	return rc;
}

/* The reply as the options give it (its strings point into opts), the
 * options that go together checked first. */
static int record_spec(const cli_opt *opts, bt_reply_spec *spec, bt_err *e)
{
	int rc;

	if ((rc = cli_require(&opts[R_CIRCULAR], e)) != BT_OK ||
	    (rc = cli_require(&opts[R_MEMBER], e)) != BT_OK)
		return rc;
	if (opts[R_AUTH].count && opts[R_NOT_AUTH].count)
		return bt_fail(e, BT_EINPUT,
			       "--authorize and --not-authorize: give only one");
	if (!opts[R_AUTH].count && !opts[R_NOT_AUTH].count)
		return bt_fail(e, BT_EINPUT,
			       "one of --authorize or --not-authorize is required");
	if (opts[R_NOT_AUTH].count && opts[R_COMMENTS].count)
		return bt_fail(e, BT_EINPUT,
			       "--comments goes with --authorize; with --not-authorize attach --reasons");
	if (opts[R_AUTH].count && opts[R_REASONS].count)
		return bt_fail(e, BT_EINPUT,
			       "--reasons goes with --not-authorize; with --authorize attach --comments");
	memset(spec, 0, sizeof *spec);
	spec->circular = opts[R_CIRCULAR].val;
	spec->member = opts[R_MEMBER].val;
	spec->rec = opts[R_DRAFT].val;
	spec->choice = opts[R_NOT_AUTH].count ? BT_NOT_AUTHORIZE
		       : opts[R_COMMENTS].count ? BT_AUTHORIZE_WITH_COMMENTS
						: BT_AUTHORIZE;
	rc = cli_opt_time(&opts[R_RECEIVED], &spec->has_received, &spec->received, e);
	spec->channel = opts[R_CHANNEL].val;
	spec->signatory = opts[R_SIGNATORY].val;
	spec->title = opts[R_TITLE].val;
	spec->force = opts[R_FORCE].count > 0;
	spec->late_entry_reason = opts[R_LATE_ENTRY].val;
	return rc;
}

/* --ref: the form's reference names this circular and member; a warning
 * when the drafts changed after it was issued. */
static int ref_check(bt_db *db, const cli_opt *ref, const bt_reply_spec *spec, bt_err *e)
{
	int stale, rc;

	if (!ref->count)
		return BT_OK;
	rc = bt_form_ref_check(db, ref->val, spec->circular, spec->member, &stale, e);
	if (rc == BT_OK && stale)
		cli_warn("--ref: the drafts of circular %s changed after "
			 "this form was issued; check that the reply "
			 "covers the draft meant", spec->circular);
	return rc;
}

static int reply_record(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = {
		CLI_OPT("circular", CLI_ARG), CLI_OPT("member", CLI_ARG),
		CLI_OPT("draft", CLI_ARG), CLI_OPT("authorize", CLI_FLAG),
		CLI_OPT("not-authorize", CLI_FLAG),
		CLI_OPT("comments", CLI_MULTI), CLI_OPT("reasons", CLI_MULTI),
		CLI_OPT("received", CLI_ARG), CLI_OPT("channel", CLI_ARG),
		CLI_OPT("signatory", CLI_ARG), CLI_OPT("title", CLI_ARG),
		CLI_OPT("ref", CLI_ARG), CLI_OPT("key", CLI_ARG),
		CLI_OPT("receipt", CLI_ARG), CLI_OPT("force", CLI_FLAG),
		CLI_OPT("late-entry-reason", CLI_ARG), CLI_OPT("print-receipt", CLI_FLAG), CLI_OPT_END
	};
	const bt_key *key;
	bt_reply_spec spec;
	bt_reply_result res;
	reply_files files = { NULL, NULL, 0, 0 };
	bt_time now;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = record_spec(opts, &spec, e)) != BT_OK)
		return rc;
	memset(&res, 0, sizeof res);
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = cli_receipt_prepare(ctx, &opts[R_KEY], &opts[R_RECEIPT], &key, e);
	if (rc == BT_OK)
		rc = ref_check(db, &opts[R_REF], &spec, e);
	if (rc == BT_OK)
		rc = files_read(db, opts, &files, e);
	if (rc != BT_OK) {
		files_free(&files);
		return rc;
	}
	spec.attachments = files.atts;
	spec.n_attachments = files.n;
	rc = bt_reply_record(db, &spec, cli_actor(ctx), now, &res, e);
	cli_quota_hint(rc, res.quota, e);
	cli_member_hint(ctx->db, spec.member, rc, e);
	if (rc == BT_OK) {
		cli_print_recorded(&res);
		if (res.late_entry_seq)
			printf("late entry: received on time, entered after the deadline; the reason is event %lld\n",
			       (long long)res.late_entry_seq);
		rc = cli_receipt(ctx, key, res.event_seq, opts[R_RECEIPT].val,
				 opts[R_PRINT_RECEIPT].count > 0, e);
	}
	files_free(&files);
	return rc;
}

/* Whether event seq has a receipt: a reply's event, not the late-entry
 * event that follows a reply given a reason (no event, or one of another
 * kind, is refused as not found). */
static int has_receipt(bt_db *db, const bt_key *key, int64_t seq)
{
	bt_buf r = BT_BUF_INIT;
	bt_err e;
	int rc = bt_receipt_issue(db, seq, key, &r, NULL, &e);
	bt_buf_release(&r);
	return rc == BT_OK || e.reason != BT_R_NOT_FOUND;
}

static int reply_import(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_RECEIPTS, O_KEY, O_FORCE, O_FROM };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("receipts", CLI_ARG),
			   CLI_OPT("key", CLI_ARG), CLI_OPT("force", CLI_FLAG),
			   CLI_OPT("attachments-from", CLI_ARG), CLI_OPT_END };
	const bt_key *key;
	bt_import_stats stats;
	bt_time now;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE_IMPORT, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) != BT_OK)
		return rc;
	if (ctx->npos < 1)
		return bt_fail(e, BT_EINPUT, "reply import: FILE is required");
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK && opts[O_RECEIPTS].count) {
		if (strlen(opts[O_RECEIPTS].val) > CLI_OUT_PATH_MAX)
			return bt_fail(e, BT_EINPUT, "--receipts: the path is longer than %d bytes", CLI_OUT_PATH_MAX);
		if ((rc = cli_receipt_prepare(ctx, &opts[O_KEY], NULL, &key, e)) == BT_OK)
			rc = bt_dir_make(opts[O_RECEIPTS].val, "receipts", e);
	}
	if (rc == BT_OK) {
		cli_progress_engine("reply import");
		rc = bt_reply_import_from(db, opts[0].val, ctx->pos[0],
					  opts[O_FROM].count ? opts[O_FROM].val : NULL,
					  cli_actor(ctx), now, opts[O_FORCE].count > 0, &stats, e);
		cli_progress_done();
		cli_quota_hint(rc, stats.quota, e);
	}
	if (rc != BT_OK)
		return rc;
	printf("imported %zu %s into circular %s from %s\n", stats.recorded,
	       stats.recorded == 1 ? "reply" : "replies", opts[0].val, ctx->pos[0]);
	if (stats.late)
		cli_warn("%zu of them received after the deadline: recorded, not counted", stats.late);
	if (stats.without_reasons)
		cli_warn("%zu of them do not authorize without reasons attached: recorded and flagged",
			 stats.without_reasons);
	if (stats.supersedes)
		cli_warn("%zu of them supersede an earlier reply of the same member", stats.supersedes);
	for (int64_t seq = stats.first_event; opts[O_RECEIPTS].count && seq && seq <= stats.last_event && !rc; seq++) {
		if (stats.late_entries && !has_receipt(db, key, seq))
			continue; /* a late-entry event, after its reply's */
		char path[CLI_OUT_PATH_MAX + 64];
		snprintf(path, sizeof path, "%s/receipt-%lld.json", opts[O_RECEIPTS].val, (long long)seq);
		rc = cli_receipt(ctx, key, seq, path, 0, e);
	}
	return rc;
}

/* `ballot reply ...` and `ballot reply import --circular ID FILE`. */
int cmd_reply(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "import", reply_import },
					{ NULL, NULL } };
	for (int i = 1; i < argc; i++) /* a returned form's fields */
		if (!strcmp(argv[i], "--from-pdf") || !strncmp(argv[i], "--from-pdf=", 11) ||
		    !strcmp(argv[i], "--from-scan") || !strncmp(argv[i], "--from-scan=", 12))
			return cmd_reply_from_pdf(ctx, argc, argv, e);
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, reply_record, e);
}
