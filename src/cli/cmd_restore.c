/* cmd_restore.c - `ballot restore FILE`: replace the database with a backup. */
#include "cli.h"

#include <inttypes.h>

static const char USAGE[] =
	"usage: ballot restore FILE\n"
	"\n"
	"Replaces the database with the ballot database in FILE (a `ballot backup`).\n"
	"FILE is copied beside the database and checked first: a ballot database\n"
	"(application_id), a schema no newer than this ballot (an older one is\n"
	"migrated), integrity_check, foreign_key_check and the event chain. Only\n"
	"then is it copied into the database with SQLite's backup API, in one\n"
	"transaction; a missing database is created. A running `ballot serve`\n"
	"sees the old database or the restored one, never a mix; what it recorded\n"
	"after the backup was taken is gone (stop it first to avoid that).\n";

int cmd_restore(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_check_report r;
	bt_restore_info info;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "restore: FILE is required");
	const char *path = cli_db_path(ctx);
	cli_progress_engine("restore");
	rc = bt_restore(path, ctx->pos[0], "restore", &r, &info, e);
	cli_progress_done();
	if (rc)
		return rc;
	printf("restored %s into %s: %" PRId64 " events, head %s\n", ctx->pos[0], path,
	       r.audit.events, r.audit.head);
	if (info.created)
		printf("created %s (there was no database)\n", path);
	else
		printf("replaced %" PRId64 " events, head %s\n", info.old_events,
		       info.old_head[0] ? info.old_head : "(none)");
	return BT_OK;
}
