/* cmd_config.c - `ballot config`: show the settings kept in the database;
 * `ballot config set KEY VALUE`: change one. */
#include "cli.h"

#include <inttypes.h>

static const char USAGE[] =
	"usage: ballot config\n"
	"       ballot config set KEY VALUE\n"
	"\n"
	"Shows the settings kept in the database, one \"key value\" per line, or\n"
	"changes one. Keys:\n"
	"  attachment_max   largest attachment accepted, in bytes (default\n"
	"                   20971520, 20 MiB)\n"
	"  quota_bytes      bytes of attachments one member's replies in one\n"
	"                   consultation may hold, superseded ones included\n"
	"                   (default 104857600, 100 MiB)\n"
	"  replies_per_hour replies (and withdrawals) one member may record in\n"
	"                   one consultation in an hour, never fewer than it has\n"
	"                   drafts (default 30)\n"
	"Over a quota the portal answers 413 or 429 and `ballot reply` exits 2;\n"
	"the secretariat records such a reply with `ballot reply --force`.\n";

static const char USAGE_SET[] =
	"usage: ballot config set KEY VALUE\n"
	"\n"
	"Changes a setting (an event in the log), e.g. ballot config set\n"
	"attachment_max 1048576; keys: attachment_max, quota_bytes,\n"
	"replies_per_hour (see ballot config --help).\n";

static int config_show(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc != BT_OK)
		return rc;
	printf("attachment_max %" PRId64 "\n",
	       bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT));
	printf("quota_bytes %" PRId64 "\n", bt_setting_int(db, "quota_bytes", BT_QUOTA_BYTES_DEFAULT));
	printf("replies_per_hour %" PRId64 "\n",
	       bt_setting_int(db, "replies_per_hour", BT_REPLIES_PER_HOUR_DEFAULT));
	return BT_OK;
}

static int config_set(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_time now;
	bt_db *db;
	int rc;

	ctx->posix_order = 1; /* a VALUE like -5 is a value, not an option */
	rc = cli_parse(ctx, argc, argv, USAGE_SET, opts, 2, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos < 2)
		return bt_fail(e, BT_EINPUT, "config set: KEY and VALUE are required");
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = bt_setting_set(db, ctx->pos[0], ctx->pos[1], cli_actor(ctx),
				    now, e);
	if (rc == BT_OK)
		printf("%s set to %s\n", ctx->pos[0], ctx->pos[1]);
	return rc;
}

/* `ballot config` and `ballot config set KEY VALUE`. */
int cmd_config(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "set", config_set }, { NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, config_show, e);
}
