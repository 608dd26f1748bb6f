/* cmd_backup.c - `ballot backup FILE`: a checked copy of the database. */
#include "cli.h"

#include <inttypes.h>

static const char USAGE[] =
	"usage: ballot backup FILE [--force]\n"
	"\n"
	"Copies the database into FILE with SQLite's online backup API: the copy\n"
	"is the database as of the moment the backup starts, while `ballot serve`\n"
	"and other writers carry on. It is written to a temporary file beside\n"
	"FILE (mode 0600: it holds the hashes of reply codes and passwords),\n"
	"checked as `ballot check` does, fsynced and renamed to FILE. An existing\n"
	"FILE is refused unless --force.\n";

int cmd_backup(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("force", CLI_FLAG), CLI_OPT_END };
	bt_check_report r;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "backup: FILE is required");
	if ((rc = cli_open_db(ctx, 0, &db, e)))
		return rc;
	cli_progress_engine("backup");
	rc = bt_backup(db, ctx->pos[0], opts[0].count > 0, "backup", &r, e);
	cli_progress_done();
	if (rc)
		return rc;
	printf("backed up to %s: %" PRId64 " events, head %s (integrity_check ok, foreign_key_check ok,"
	       " event chain ok)\n", ctx->pos[0], r.audit.events, r.audit.head);
	return BT_OK;
}
