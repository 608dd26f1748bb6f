/* cmd_withdraw.c - `ballot withdraw`: a Member State withdraws its reply. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot withdraw --circular ID --member CODE [--draft REC]\n"
	"              [--received TIME] [--channel email|fax|post|portal|other]\n"
	"              [--receipt FILE | --print-receipt] [--key FILE] [--force]\n"
	"\n"
	"Records that a Member State withdraws its reply in force on a draft. A\n"
	"withdrawal received by the deadline removes the reply from the count; a\n"
	"later one is recorded but changes nothing. --received defaults to now.\n"
	"The signed receipt is saved to --receipt FILE or printed with --print-receipt\n"
	"(see reply).\n"
	"A withdrawal counts in the member's replies_per_hour; --force records it\n"
	"over that cap all the same.\n";

/* `ballot withdraw ...`. */
int cmd_withdraw(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_MEMBER, O_DRAFT, O_RECEIVED, O_CHANNEL, O_KEY, O_RECEIPT, O_FORCE, O_PRINT_RECEIPT };
	cli_opt opts[] = {
		CLI_OPT("circular", CLI_ARG), CLI_OPT("member", CLI_ARG),
		CLI_OPT("draft", CLI_ARG), CLI_OPT("received", CLI_ARG),
		CLI_OPT("channel", CLI_ARG), CLI_OPT("key", CLI_ARG),
		CLI_OPT("receipt", CLI_ARG), CLI_OPT("force", CLI_FLAG),
		CLI_OPT("print-receipt", CLI_FLAG), CLI_OPT_END
	};
	const bt_key *key;
	bt_reply_spec spec;
	bt_reply_result res;
	bt_time now;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK ||
	    (rc = cli_require(&opts[O_MEMBER], e)) != BT_OK)
		return rc;
	memset(&spec, 0, sizeof spec);
	memset(&res, 0, sizeof res);
	spec.circular = opts[O_CIRCULAR].val;
	spec.member = opts[O_MEMBER].val;
	spec.rec = opts[O_DRAFT].val;
	spec.choice = BT_WITHDRAW;
	rc = cli_opt_time(&opts[O_RECEIVED], &spec.has_received, &spec.received, e);
	if (rc != BT_OK)
		return rc;
	spec.channel = opts[O_CHANNEL].val;
	spec.force = opts[O_FORCE].count > 0;

	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = cli_receipt_prepare(ctx, &opts[O_KEY], &opts[O_RECEIPT], &key, e);
	if (rc == BT_OK) {
		rc = bt_reply_record(db, &spec, cli_actor(ctx), now, &res, e);
		cli_member_hint(ctx->db, spec.member, rc, e);
		cli_quota_hint(rc, res.quota, e);
	}
	if (rc == BT_OK) {
		cli_print_recorded(&res);
		rc = cli_receipt(ctx, key, res.event_seq, opts[O_RECEIPT].val,
				 opts[O_PRINT_RECEIPT].count > 0, e);
	}
	return rc;
}
