/* cmd_status.c - `ballot status`: every draft and where it stands. */
#include "cli.h"

#include <string.h>

static const char USAGE[] =
	"usage: ballot status [--group N] [--json]\n"
	"\n"
	"Lists every draft (of study group N) with its state now: in-consultation,\n"
	"awaiting-close (the deadline has passed, not closed yet),\n"
	"ready-for-approval, not-ready, more-time, approved or not-approved, its\n"
	"deadline and outcome (pending until the deadline, then the final proceed\n"
	"or not-proceed). The state is the tally's (ballot tally). --json prints a list of objects with circular, group, rec,\n"
	"title, state, deadline, outcome, rule, meeting_start, meeting_end and,\n"
	"for more-time drafts, more_time_until, then the timeline checks and the\n"
	"titles in each language (null where none was recorded).\n";

static int status_json(bt_db *db, const bt_status_list *l, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	int rc = bt_status_json(db, l, &b, e);
	if (!rc)
		fwrite(b.data, 1, b.len, stdout);
	bt_buf_release(&b);
	return rc;
}

static int status_text(const bt_status_list *l, bt_err *e)
{
	cli_table t;
	int rc;

	if (l->n == 0) {
		printf("no drafts\n");
		return BT_OK;
	}
	cli_table_init(&t, 8);
	cli_table_add(&t, (const char *const[]){ "CIRCULAR", "SG", "REC",
						 "STATE", "OUTCOME", "DEADLINE",
						 "MEETING", "TITLE" });
	for (size_t i = 0; i < l->n; i++) {
		const bt_status_row *r = &l->v[i];
		char sg[16], dl[BT_TIME_LEN], ms[BT_DATE_LEN], state[64];
		snprintf(sg, sizeof sg, "%d", r->group);
		bt_time_format(r->deadline, dl);
		bt_date_format(r->meeting_start, ms);
		if (r->more_time_until != BT_DATE_NONE) {
			char until[BT_DATE_LEN];
			bt_date_format(r->more_time_until, until);
			snprintf(state, sizeof state, "%s until %s", r->state,
				 until);
		} else {
			snprintf(state, sizeof state, "%s", r->state);
		}
		char title[1100];
		snprintf(title, sizeof title, "%s%s", r->title,
			 r->summary_missing ? " [no summary: WTSA Res. 1 §9.3.4]" : "");
		cli_table_add(&t, (const char *const[]){
			r->circular, sg, r->rec, state, r->outcome, dl, ms,
			title });
	}
	rc = cli_table_print(&t, "lrllllll", stdout, e);
	cli_table_release(&t);
	return rc;
}

/* `ballot status [--group N] [--json]`. */
int cmd_status(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_GROUP, O_JSON };
	cli_opt opts[] = { CLI_OPT("group", CLI_ARG), CLI_OPT("json", CLI_FLAG),
			   CLI_OPT_END };
	bt_status_list l = { NULL, 0 };
	long long group = 0;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (opts[O_GROUP].count) {
		rc = cli_parse_int("--group", opts[O_GROUP].val, 1, 99, &group, e);
		if (rc != BT_OK)
			return rc;
	}
	bt_time now;
	if ((rc = cli_now(ctx, &now, e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_status_list_get(db, (int)group, now, &l, e);
	if (rc == BT_OK)
		rc = opts[O_JSON].count ? status_json(db, &l, e) : status_text(&l, e);
	bt_status_list_free(&l);
	return rc;
}
