/* cmd_calendar.c - `ballot calendar list|add|remove|import`: the days ITU
 * headquarters is closed, which the §9.4.1 deadline does not count as
 * working days. Each change is an event in the hash chain. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define CALENDAR_FILE_MAX ((int64_t)1024 * 1024)

static const char USAGE[] =
	"usage: ballot calendar list [--year Y] [--json]\n"
	"       ballot calendar add DATE --name TEXT\n"
	"       ballot calendar remove DATE\n"
	"       ballot calendar import FILE\n"
	"\n"
	"The days ITU headquarters is closed. The default deadline (§9.4.1) counts\n"
	"Monday-Friday except these days. A change never moves the deadline of an\n"
	"existing consultation (see consultation set-deadline).\n";

static const char USAGE_LIST[] =
	"usage: ballot calendar list [--year Y] [--json]\n"
	"\n"
	"Lists the closed days in force (of year Y), by date: date, weekday, name,\n"
	"where it came from (rules, a file, cli) and the event that added it.\n";

static const char USAGE_ADD[] =
	"usage: ballot calendar add DATE --name TEXT\n"
	"\n"
	"Adds DATE (YYYY-MM-DD) as a closed day named TEXT (1-100 bytes).\n";

static const char USAGE_REMOVE[] =
	"usage: ballot calendar remove DATE\n"
	"\n"
	"Removes the closed day DATE (its row is kept, marked removed).\n";

static const char USAGE_IMPORT[] =
	"usage: ballot calendar import FILE\n"
	"\n"
	"Adds the closed days of FILE: one date<TAB>name per line; blank lines and\n"
	"lines starting with '#' are ignored. All or nothing; days already closed\n"
	"are skipped (and counted).\n";

static const char *const WEEKDAYS[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static int calendar_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_YEAR, O_JSON };
	cli_opt opts[] = { CLI_OPT("year", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_calendar cal = { NULL, 0 };
	long long year = 0;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (opts[O_YEAR].count &&
	    (rc = cli_parse_int("--year", opts[O_YEAR].val, 1900, 9999, &year, e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_calendar_list(db, (int)year, &cal, e);
	if (rc != BT_OK)
		return rc;
	if (opts[O_JSON].count) {
		bt_buf b = BT_BUF_INIT;
		bt_buf_addc(&b, '[');
		for (size_t i = 0; i < cal.n; i++) {
			char d[BT_DATE_LEN];
			bt_date_format(cal.v[i].day, d);
			bt_buf_addf(&b, "%s{", i ? "," : "");
			bt_json_kv_str(&b, "date", d, 1);
			bt_json_kv_str(&b, "weekday", WEEKDAYS[bt_date_weekday(cal.v[i].day)], 0);
			bt_json_kv_str(&b, "name", cal.v[i].name, 0);
			bt_json_kv_str(&b, "source", cal.v[i].source, 0);
			bt_json_kv_int(&b, "event", cal.v[i].seq, 0);
			bt_buf_addc(&b, '}');
		}
		bt_buf_addc(&b, ']');
		rc = cli_print_json(&b, e);
		bt_buf_release(&b);
	} else if (cal.n == 0) {
		printf("no closed days%s\n", year ? " that year" : "");
	} else {
		cli_table t;
		cli_table_init(&t, 5);
		cli_table_add(&t, (const char *const[]){ "DATE", "DAY", "NAME", "SOURCE", "EVENT" });
		for (size_t i = 0; i < cal.n; i++) {
			char d[BT_DATE_LEN], ev[24];
			bt_date_format(cal.v[i].day, d);
			snprintf(ev, sizeof ev, "%lld", (long long)cal.v[i].seq);
			cli_table_add(&t, (const char *const[]){
				d, WEEKDAYS[bt_date_weekday(cal.v[i].day)], cal.v[i].name,
				cal.v[i].source, ev });
		}
		rc = cli_table_print(&t, "lllll", stdout, e);
		cli_table_release(&t);
	}
	bt_calendar_free(&cal);
	return rc;
}

/* The DATE positional argument. */
static int date_arg(cli_ctx *ctx, bt_date *d, bt_err *e)
{
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "DATE: one date (YYYY-MM-DD) is required");
	return bt_date_parse(ctx->pos[0], "day", d, e);
}

static int calendar_add(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("name", CLI_ARG), CLI_OPT_END };
	bt_date d;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_ADD, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = date_arg(ctx, &d, e)) || (rc = cli_require(&opts[0], e)) ||
	    (rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)) ||
	    (rc = bt_calendar_add(db, d, opts[0].val, cli_actor(ctx), now, e)))
		return rc;
	printf("added closed day %s (%s): %s\n", ctx->pos[0], WEEKDAYS[bt_date_weekday(d)], opts[0].val);
	if (bt_date_weekday(d) >= 5)
		cli_warn("%s is a weekend day; it changes no deadline", ctx->pos[0]);
	return BT_OK;
}

static int calendar_remove(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_date d;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_REMOVE, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = date_arg(ctx, &d, e)) || (rc = cli_open_db(ctx, 1, &db, e)) ||
	    (rc = cli_now(ctx, &now, e)) || (rc = bt_calendar_remove(db, d, cli_actor(ctx), now, e)))
		return rc;
	printf("removed closed day %s\n", ctx->pos[0]);
	return BT_OK;
}

static int calendar_import(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_buf text = BT_BUF_INIT;
	bt_time now;
	bt_db *db;
	int added = 0, skipped = 0;
	int rc = cli_parse(ctx, argc, argv, USAGE_IMPORT, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "FILE: the file to import is required");
	if (!(rc = cli_read_file("FILE", ctx->pos[0], CALENDAR_FILE_MAX, 0, &text, e)) &&
	    !(rc = cli_open_db(ctx, 1, &db, e)) && !(rc = cli_now(ctx, &now, e)))
		rc = bt_calendar_import(db, text.data, text.len, cli_basename(ctx->pos[0]), cli_actor(ctx),
					now, &added, &skipped, e);
	bt_buf_release(&text);
	if (rc)
		return rc;
	printf("imported %d closed day%s from %s", added, added == 1 ? "" : "s", cli_basename(ctx->pos[0]));
	if (skipped)
		printf(" (%d already closed, skipped)", skipped);
	printf("\n");
	return BT_OK;
}

/* `ballot calendar list|add|remove|import ...`. */
int cmd_calendar(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "list", calendar_list },
					{ "add", calendar_add },
					{ "remove", calendar_remove },
					{ "import", calendar_import },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
