/* cmd_close.c - `ballot close`: after the deadline, freeze each draft's
 * outcome (ready-for-approval or not-ready). */
#include "cli.h"

#include <string.h>

static const char USAGE[] =
	"usage: ballot close --circular ID\n"
	"\n"
	"Closes a consultation once its deadline has passed: freezes each draft's\n"
	"outcome and moves it to ready-for-approval (consideration of approval may\n"
	"proceed, §9.4.5) or not-ready (§9.4.6). Before the deadline it refuses and\n"
	"says when the deadline is.\n";

/* `ballot close --circular ID`. */
int cmd_close(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT_END };
	bt_draft_list dl = { NULL, 0 };
	bt_tally t;
	cli_table tab;
	char dls[BT_TIME_LEN];
	bt_time now;
	bt_db *db;
	int rc;

	memset(&t, 0, sizeof t);
	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = bt_consultation_close(db, opts[0].val, cli_actor(ctx), now, &t, e);
	/* the states the engine moved the drafts to */
	if (rc == BT_OK)
		rc = bt_drafts_list(db, opts[0].val, &dl, e);
	if (rc != BT_OK)
		goto out;
	bt_time_format(t.deadline, dls);
	printf("closed circular %s (deadline %s)\n", t.circular, dls);
	cli_table_init(&tab, 4);
	cli_table_add(&tab, (const char *const[]){ "REC", "SUPPORT", "OUTCOME",
						   "STATE" });
	for (size_t i = 0; i < dl.n; i++) {
		char sup[64] = "-";
		for (size_t j = 0; j < t.n; j++) {
			const bt_draft_tally *d = &t.drafts[j];
			if (d->draft_id != dl.v[i].id)
				continue;
			if (d->support_pct10 < 0)
				snprintf(sup, sizeof sup, "no replies");
			else
				snprintf(sup, sizeof sup, "%d/%d (%d.%d%%)",
					 d->support, d->replies,
					 d->support_pct10 / 10,
					 d->support_pct10 % 10);
		}
		cli_table_add(&tab, (const char *const[]){
			dl.v[i].rec, sup, dl.v[i].outcome, dl.v[i].state });
	}
	rc = cli_table_print(&tab, "llll", stdout, e);
	cli_table_release(&tab);
out:
	bt_tally_free(&t);
	bt_draft_list_free(&dl);
	return rc;
}
