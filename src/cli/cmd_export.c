/* cmd_export.c - `ballot export`: a consultation's replies and withdrawals
 * as CSV or JSON. The output depends on the database only (no clock): the
 * statuses are judged against the deadline, so exports are reproducible. */
#include "cli.h"

#include <string.h>

#include "ballot/export.h"

#define EXPORT_MAX ((size_t)1024 * 1024 * 1024)

static const char USAGE[] =
	"usage: ballot export --circular ID --format csv|json\n"
	"\n"
	"Writes every reply and withdrawal of the consultation on stdout, in the\n"
	"order recorded, with its status against the deadline (counted,\n"
	"superseded, withdrawn, withdrawal, late). CSV columns: seq, circular, rec,\n"
	"member, name, choice, received, channel, status, without_reasons,\n"
	"attachments (name:sha256 joined by ';'), recorded_by, recorded_at. JSON\n"
	"adds the consultation, its drafts and its electorate.\n";

/* `ballot export --circular ID --format csv|json`. */
int cmd_export(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_FORMAT };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG),
			   CLI_OPT("format", CLI_ARG), CLI_OPT_END };
	bt_buf b;
	int json;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK ||
	    (rc = cli_require(&opts[O_FORMAT], e)) != BT_OK)
		return rc;
	if (!strcmp(opts[O_FORMAT].val, "json"))
		json = 1;
	else if (!strcmp(opts[O_FORMAT].val, "csv"))
		json = 0;
	else
		return bt_fail(e, BT_EINPUT, "--format: '%s' is not csv or json",
			       opts[O_FORMAT].val);
	bt_buf_init(&b, EXPORT_MAX);
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = (json ? bt_export_json : bt_export_csv)(db, opts[O_CIRCULAR].val, &b, e);
	if (rc == BT_OK)
		fwrite(b.data, 1, b.len, stdout);
	bt_buf_release(&b);
	return rc;
}
