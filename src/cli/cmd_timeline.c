/* cmd_timeline.c - `ballot timeline`: every date of a consultation in order,
 * each with its clause of WTSA Res. 1, and the checks of §9.3 and §9.4.1. */
#include "cli.h"

#include <string.h>

static const char USAGE[] =
	"usage: ballot timeline --circular ID [--json]\n"
	"\n"
	"Lists the dates of the consultation in order, each with its clause: the\n"
	"circular (§9.3.3), texts available in the official languages (§9.3.5,\n"
	"draft add --texts-available), the deadline (§9.4.1), the meeting (§9.5),\n"
	"the end of the four weeks of §9.5.5 where more time was asked, and the\n"
	"decisions. Then the checks: the circular at least three months before\n"
	"the meeting (§9.3.3), the texts at least one month before (§9.3.5), a\n"
	"summary with each draft (§9.3.4), seven working days after the deadline\n"
	"(§9.4.1); each holds, fails, or is unknown (a date not recorded).\n";

static const char *holds_word(int holds)
{
	return holds < 0 ? "unknown" : holds ? "holds" : "FAILS";
}

static void when(const bt_timeline_date *d, char out[BT_TIME_LEN])
{
	if (d->date_only)
		bt_date_format(bt_time_date(d->at), out);
	else
		bt_time_format(d->at, out);
}

static int timeline_json(const bt_timeline *t, const char *rule, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '{');
	bt_json_kv_str(&b, "circular", t->circular, 1);
	bt_json_kv_str(&b, "rule", rule, 0);
	bt_json_key(&b, "dates", 0);
	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < t->ndates; i++) {
		const bt_timeline_date *d = &t->dates[i];
		char w[BT_TIME_LEN];
		when(d, w);
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_str(&b, "date", w, 1);
		bt_json_kv_str(&b, "what", d->what, 0);
		bt_json_kv_str(&b, "clause", d->clause, 0);
		bt_json_key(&b, "rec", 0);
		cli_json_str_or_null(&b, d->rec);
		if (d->detail[0])
			bt_json_kv_str(&b, "decision", d->detail, 0);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	bt_json_key(&b, "timeline", 0);
	bt_timeline_json(&b, t, NULL);
	bt_buf_addc(&b, '}');
	int rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

static int timeline_text(const bt_timeline *t, const char *rule, bt_err *e)
{
	cli_table tb;
	int rc;
	printf("timeline of circular %s (rule %s)\n", t->circular, rule);
	cli_table_init(&tb, 4);
	cli_table_add(&tb, (const char *const[]){ "DATE", "WHAT", "DRAFT", "CLAUSE" });
	for (size_t i = 0; i < t->ndates; i++) {
		const bt_timeline_date *d = &t->dates[i];
		char w[BT_TIME_LEN], what[64];
		when(d, w);
		snprintf(what, sizeof what, "%s%s%s", d->what, d->detail[0] ? " " : "", d->detail);
		cli_table_add(&tb, (const char *const[]){ w, what, d->rec[0] ? d->rec : "-", d->clause });
	}
	rc = cli_table_print(&tb, "llll", stdout, e);
	cli_table_release(&tb);
	if (rc || !t->applies)
		return rc;
	printf("\nchecks\n");
	cli_table_init(&tb, 5);
	cli_table_add(&tb, (const char *const[]){ "CHECK", "DRAFT", "DATE", "DUE", "RESULT" });
	for (size_t i = 0; i < t->nchecks; i++) {
		const bt_timeline_check *k = &t->checks[i];
		char date[BT_TIME_LEN] = "-", due[48] = "-", name[64];
		if (k->has_date && k->date_only)
			bt_date_format(bt_time_date(k->date), date);
		else if (k->has_date)
			bt_time_format(k->date, date);
		if (k->has_due) {
			char d[BT_DATE_LEN];
			bt_date_format(k->due, d);
			snprintf(due, sizeof due, "by %s", d);
		} else if (strcmp(k->name, "deadline") == 0) {
			snprintf(due, sizeof due, "%d working days left", k->working_days);
		}
		snprintf(name, sizeof name, "%s (%s)", k->name, k->clause + strlen("WTSA Res. 1 "));
		cli_table_add(&tb, (const char *const[]){ name, k->rec[0] ? k->rec : "-", date, due,
							   holds_word(k->holds) });
	}
	rc = cli_table_print(&tb, "lllll", stdout, e);
	cli_table_release(&tb);
	return rc;
}

/* `ballot timeline --circular ID [--json]`. */
int cmd_timeline(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_JSON };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_consultation c;
	bt_timeline t;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) || (rc = cli_open_db(ctx, 0, &db, e)) ||
	    (rc = bt_consultation_get(db, opts[O_CIRCULAR].val, &c, e)) ||
	    (rc = bt_timeline_get(db, opts[O_CIRCULAR].val, &t, e)))
		return rc;
	rc = opts[O_JSON].count ? timeline_json(&t, c.rule, e) : timeline_text(&t, c.rule, e);
	bt_timeline_free(&t);
	return rc;
}
