/* cmd_consultation.c - `ballot consultation create|list|show`: register a
 * consultation (one TSB circular), list them, show one with its drafts. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define ELECTORATE_FILE_MAX ((int64_t)1024 * 1024)

static const char USAGE[] =
	"usage: ballot consultation create --circular ID --group N\n"
	"              --meeting-start DATE --meeting-end DATE [--date DATE]\n"
	"              [--deadline TIME] [--rule tap|question|deletion]\n"
	"              [--electorate FILE] [--force-deadline --reason TEXT]\n"
	"       ballot consultation list [--group N] [--json]\n"
	"       ballot consultation show --circular ID [--json]\n"
	"       ballot consultation set-deadline --circular ID TIME --reason TEXT\n";

static const char USAGE_CREATE[] =
	"usage: ballot consultation create --circular ID --group N\n"
	"              --meeting-start DATE --meeting-end DATE [--date DATE]\n"
	"              [--deadline TIME] [--rule tap|question|deletion]\n"
	"              [--electorate FILE] [--force-deadline --reason TEXT]\n"
	"\n"
	"Registers the consultation announced by TSB circular ID for study group N.\n"
	"  --date DATE        the circular's date (default: today); a date less than\n"
	"                     three months before the meeting is accepted with a\n"
	"                     warning (§9.3.3)\n"
	"  --deadline TIME    default: 23:59:00 UTC of the working day that leaves\n"
	"                     seven working days before the meeting (§9.4.1), with\n"
	"                     ITU's closed days (ballot calendar list) not counted;\n"
	"                     the closed days skipped are recorded. An explicit one\n"
	"                     on a weekend or closed day, leaving fewer than seven\n"
	"                     working days, or already past is refused unless\n"
	"  --force-deadline   is given with --reason TEXT (recorded and shown)\n"
	"  --rule NAME        tap (default, §9.4.5), question (§7.2.3) or deletion\n"
	"                     (§9.8.2.1)\n"
	"  --electorate FILE  the Member States consulted, one code per line ('#'\n"
	"                     comments); default: every Member State at --date\n";

static const char USAGE_LIST[] =
	"usage: ballot consultation list [--group N] [--json]\n"
	"\n"
	"Lists the consultations (of study group N) by deadline: rule, dates,\n"
	"state (open or closed), electorate size and number of drafts. --json: an\n"
	"array of {\"circular\", \"group\", \"rule\", \"date\", \"deadline\",\n"
	"\"meeting_start\", \"meeting_end\", \"state\", \"closed_at\", \"electorate\",\n"
	"\"custom_electorate\", \"drafts\"} ([] when there are none).\n";

static const char USAGE_SHOW[] =
	"usage: ballot consultation show --circular ID [--json]\n"
	"\n"
	"Shows a consultation: its rule, dates, deadline (the closed days skipped,\n"
	"a forced deadline's reason, every move), electorate and drafts. Warns when\n"
	"today's calendar would give another default deadline (the deadline does\n"
	"not move by itself: see set-deadline). --json: the keys of consultation\n"
	"list --json (the drafts as an array of {\"rec\", \"state\", \"outcome\",\n"
	"\"title\"}), then \"rule_title\", \"clause\", \"working_days_before_meeting\",\n"
	"\"closed_days_skipped\" (null for a consultation made before the calendar),\n"
	"\"forced_reason\", \"deadline_changes\", \"checks\" (as status --json's\n"
	"timeline).\n";

/* The keys consultation list and show share, without the braces; the
 * drafts (a count for list) are the caller's. */
static void consultation_json(bt_buf *b, const bt_consultation *c)
{
	bt_json_kv_str(b, "circular", c->circular, 1);
	bt_json_kv_int(b, "group", c->group, 0);
	bt_json_kv_str(b, "rule", c->rule, 0);
	cli_json_kv_date(b, "date", c->date, 0);
	cli_json_kv_time(b, "deadline", c->deadline, 0);
	cli_json_kv_date(b, "meeting_start", c->meeting_start, 0);
	cli_json_kv_date(b, "meeting_end", c->meeting_end, 0);
	bt_json_kv_str(b, "state", c->closed ? "closed" : "open", 0);
	if (c->closed)
		cli_json_kv_time(b, "closed_at", c->closed_at, 0);
	else
		bt_json_kv_null(b, "closed_at", 0);
	bt_json_kv_int(b, "electorate", c->electorate, 0);
	bt_json_kv_bool(b, "custom_electorate", c->custom_electorate, 0);
}

/* The deadline's story in `consultation show --json`: the closed days
 * skipped (null without a calendar), why it was forced, and its changes. */
static void deadline_json(bt_buf *bp, const bt_deadline_info *ip)
{
	bt_json_key(bp, "closed_days_skipped", 0);
	if (!ip->with_calendar) {
		bt_buf_adds(bp, "null");
	} else {
		bt_buf_addc(bp, '[');
		for (size_t i = 0; i < ip->nskipped; i++) {
			bt_buf_adds(bp, i ? ",{" : "{");
			cli_json_kv_date(bp, "date", ip->skipped[i].day, 1);
			bt_json_kv_str(bp, "name", ip->skipped[i].name, 0);
			bt_buf_addc(bp, '}');
		}
		bt_buf_addc(bp, ']');
	}
	if (ip->forced_reason[0])
		bt_json_kv_str(bp, "forced_reason", ip->forced_reason, 0);
	else
		bt_json_kv_null(bp, "forced_reason", 0);
	bt_json_key(bp, "deadline_changes", 0);
	bt_buf_addc(bp, '[');
	for (size_t i = 0; i < ip->nchanges; i++) {
		const bt_deadline_change *x = &ip->changes[i];
		bt_buf_adds(bp, i ? ",{" : "{");
		cli_json_kv_time(bp, "old_deadline", x->old_deadline, 1);
		cli_json_kv_time(bp, "deadline", x->deadline, 0);
		cli_json_kv_time(bp, "at", x->at, 0);
		bt_json_kv_str(bp, "by", x->by, 0);
		bt_json_kv_int(bp, "event", x->seq, 0);
		bt_json_kv_str(bp, "reason", x->reason, 0);
		bt_buf_addc(bp, '}');
	}
	bt_buf_addc(bp, ']');
}

/* consultation show --json. */
static int show_json(bt_db *db, const bt_consultation *c, const bt_draft_list *dl, bt_err *e)
{
	bt_calendar cal;
	bt_deadline_info info;
	bt_timeline t;
	int rc = bt_calendar_list(db, 0, &cal, e);
	if (rc)
		return rc;
	if ((rc = bt_deadline_info_get(db, c->circular, &info, e))) {
		bt_calendar_free(&cal);
		return rc;
	}
	if ((rc = bt_timeline_get(db, c->circular, &t, e))) {
		bt_deadline_info_free(&info);
		bt_calendar_free(&cal);
		return rc;
	}
	const bt_rule *r = bt_rule_find(c->rule);
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '{');
	consultation_json(&b, c);
	bt_json_key(&b, "drafts", 0);
	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < dl->n; i++) {
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_str(&b, "rec", dl->v[i].rec, 1);
		bt_json_kv_str(&b, "state", dl->v[i].state, 0);
		bt_json_kv_str(&b, "outcome", dl->v[i].outcome[0] ? dl->v[i].outcome : "pending", 0);
		bt_json_kv_str(&b, "title", dl->v[i].title, 0);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	bt_json_kv_str(&b, "rule_title", r ? r->title : c->rule, 0);
	if (r)
		bt_json_kv_str(&b, "clause", r->clause, 0);
	else
		bt_json_kv_null(&b, "clause", 0);
	bt_json_kv_int(&b, "working_days_before_meeting",
		       bt_working_days_left(&cal, c->deadline, c->meeting_start), 0);
	deadline_json(&b, &info);
	bt_json_key(&b, "checks", 0);
	bt_timeline_json(&b, &t, NULL);
	bt_buf_addc(&b, '}');
	rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	bt_timeline_free(&t);
	bt_deadline_info_free(&info);
	bt_calendar_free(&cal);
	return rc;
}

static const char USAGE_SET_DEADLINE[] =
	"usage: ballot consultation set-deadline --circular ID TIME --reason TEXT\n"
	"\n"
	"Moves the deadline of an open consultation to TIME, recording why (an\n"
	"event in the chain). Replies keep their received times: those between\n"
	"the old and the new deadline change from late to counted (or back), and\n"
	"the command says how many. Refused once the consultation is closed, or\n"
	"for a TIME already past.\n";

/* Prints the details of c as aligned "label value" lines, with how its
 * deadline came about when info is not NULL. */
static void print_consultation(const bt_consultation *c, const bt_calendar *cal,
			       const bt_deadline_info *info)
{
	const bt_rule *r = bt_rule_find(c->rule);
	char date[BT_DATE_LEN], ms[BT_DATE_LEN], me[BT_DATE_LEN];
	char dl[BT_TIME_LEN];

	bt_date_format(c->date, date);
	bt_date_format(c->meeting_start, ms);
	bt_date_format(c->meeting_end, me);
	bt_time_format(c->deadline, dl);
	printf("  %-14s %d\n", "study group", c->group);
	if (r)
		printf("  %-14s %s: %s (%s)\n", "rule", c->rule, r->title,
		       r->clause);
	else
		printf("  %-14s %s\n", "rule", c->rule);
	printf("  %-14s %s\n", "circular date", date);
	printf("  %-14s %s to %s\n", "meeting", ms, me);
	printf("  %-14s %s (%d working days before the meeting)\n", "deadline",
	       dl, bt_working_days_left(cal, c->deadline, c->meeting_start));
	if (info && info->with_calendar) {
		printf("  %-14s ", "closed days");
		if (info->nskipped == 0)
			printf("none skipped\n");
		for (size_t i = 0; i < info->nskipped; i++) {
			char d[BT_DATE_LEN];
			bt_date_format(info->skipped[i].day, d);
			printf("%s%s %s", i ? ", " : "skipped ", d, info->skipped[i].name);
		}
		if (info->nskipped)
			printf("\n");
	} else if (info) {
		printf("  %-14s created before the calendar of closed days\n", "closed days");
	}
	if (info && info->forced_reason[0])
		printf("  %-14s forced: %s\n", "deadline", info->forced_reason);
	for (size_t i = 0; info && i < info->nchanges; i++) {
		const bt_deadline_change *x = &info->changes[i];
		char o[BT_TIME_LEN], n[BT_TIME_LEN], at[BT_TIME_LEN];
		bt_time_format(x->old_deadline, o);
		bt_time_format(x->deadline, n);
		bt_time_format(x->at, at);
		printf("  %-14s %s -> %s at %s by %s (event %lld): %s\n", "deadline moved", o, n, at,
		       x->by, (long long)x->seq, x->reason);
	}
	if (c->custom_electorate)
		printf("  %-14s %d Member States (from an electorate file)\n",
		       "electorate", c->electorate);
	else
		printf("  %-14s %d Member States (all on %s)\n", "electorate",
		       c->electorate, date);
}

/* Prints c with its deadline's story. */
static int show_consultation(bt_db *db, const bt_consultation *c, bt_err *e)
{
	bt_calendar cal;
	bt_deadline_info info;
	int rc = bt_calendar_list(db, 0, &cal, e);
	if (rc)
		return rc;
	if ((rc = bt_deadline_info_get(db, c->circular, &info, e))) {
		bt_calendar_free(&cal);
		return rc;
	}
	print_consultation(c, &cal, &info);
	if (info.has_today && info.today_deadline != info.default_deadline && !c->closed) {
		char now[BT_TIME_LEN], then[BT_TIME_LEN], dl[BT_TIME_LEN];
		bt_time_format(info.today_deadline, now);
		bt_time_format(info.default_deadline, then);
		bt_time_format(c->deadline, dl);
		cli_warn("today's calendar gives the default deadline %s, not %s as when this consultation "
			 "was created; the deadline stays %s unless moved with consultation set-deadline",
			 now, then, dl);
	}
	bt_deadline_info_free(&info);
	bt_calendar_free(&cal);
	bt_timeline t;
	if ((rc = bt_timeline_get(db, c->circular, &t, e)))
		return rc;
	for (size_t i = 0; i < t.nchecks; i++) {
		const bt_timeline_check *k = &t.checks[i];
		char date[BT_TIME_LEN] = "not recorded", due[48] = "", label[64];
		if (k->has_date && k->date_only)
			bt_date_format(bt_time_date(k->date), date);
		else if (k->has_date)
			bt_time_format(k->date, date);
		if (k->has_due) {
			char d[BT_DATE_LEN];
			bt_date_format(k->due, d);
			snprintf(due, sizeof due, ", due by %s", d);
		} else if (strcmp(k->name, "deadline") == 0) {
			snprintf(due, sizeof due, ", %d working days before the meeting", k->working_days);
		}
		snprintf(label, sizeof label, "%s%s%s", k->name, k->rec[0] ? " " : "", k->rec);
		if (strcmp(k->name, "summary") == 0)
			printf("  %-14s %s (%s): %s\n", i ? "" : "timeline", label, k->clause,
			       k->holds ? "given" : "MISSING");
		else
			printf("  %-14s %s (%s): %s%s: %s\n", i ? "" : "timeline", label, k->clause, date, due,
			       k->holds < 0 ? "unknown" : k->holds ? "holds" : "FAILS");
	}
	bt_timeline_free(&t);
	return BT_OK;
}

/* The options of `consultation create`, in their table's order. */
enum { CO_CIRCULAR, CO_GROUP, CO_MSTART, CO_MEND, CO_DATE, CO_DEADLINE,
       CO_RULE, CO_ELECTORATE, CO_FORCE, CO_REASON };

/* The consultation as the options give it (spec's strings point into
 * opts); *now is the time of the act. */
static int create_spec(cli_ctx *ctx, const cli_opt *opts, bt_consultation_spec *sp,
		       bt_time *now, bt_err *e)
{
	long long group = 0;
	int rc;

	for (int i = CO_CIRCULAR; i <= CO_MEND; i++)
		if ((rc = cli_require(&opts[i], e)) != BT_OK)
			return rc;
	sp->circular = opts[CO_CIRCULAR].val;
	rc = cli_parse_int("--group", opts[CO_GROUP].val, 1, 99, &group, e);
	if (rc != BT_OK)
		return rc;
	sp->group = (int)group;
	rc = bt_date_parse(opts[CO_MSTART].val, "meeting_start",
			   &sp->meeting_start, e);
	if (rc == BT_OK)
		rc = bt_date_parse(opts[CO_MEND].val, "meeting_end",
				   &sp->meeting_end, e);
	if (rc == BT_OK && opts[CO_DEADLINE].count) {
		sp->has_deadline = 1;
		rc = bt_time_parse(opts[CO_DEADLINE].val, "deadline",
				   &sp->deadline, e);
	}
	if (rc != BT_OK)
		return rc;
	sp->rule = opts[CO_RULE].val;
	sp->force_deadline = opts[CO_FORCE].count > 0;
	sp->reason = opts[CO_REASON].val;
	rc = cli_now(ctx, now, e);
	if (rc != BT_OK)
		return rc;
	if (opts[CO_DATE].count)
		rc = bt_date_parse(opts[CO_DATE].val, "date", &sp->date, e);
	else
		sp->date = bt_time_date(*now);
	if (rc != BT_OK)
		return rc;
	return BT_OK;
}

static int consultation_create(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = {
		CLI_OPT("circular", CLI_ARG), CLI_OPT("group", CLI_ARG),
		CLI_OPT("meeting-start", CLI_ARG), CLI_OPT("meeting-end", CLI_ARG),
		CLI_OPT("date", CLI_ARG), CLI_OPT("deadline", CLI_ARG),
		CLI_OPT("rule", CLI_ARG), CLI_OPT("electorate", CLI_ARG),
		CLI_OPT("force-deadline", CLI_FLAG), CLI_OPT("reason", CLI_ARG),
		CLI_OPT_END
	};
	bt_consultation_spec spec;
	bt_consultation c;
	bt_buf elec = BT_BUF_INIT;
	char warning[512] = "";
	bt_time now;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE_CREATE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	memset(&spec, 0, sizeof spec);
	memset(&c, 0, sizeof c);
	rc = create_spec(ctx, opts, &spec, &now, e);
	if (rc != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK && opts[CO_ELECTORATE].count) {
		rc = cli_read_file("--electorate", opts[CO_ELECTORATE].val,
				   ELECTORATE_FILE_MAX, 0, &elec, e);
		spec.electorate = elec.data;
		spec.electorate_len = elec.len;
	}
	if (rc == BT_OK)
		rc = bt_consultation_create(db, &spec, cli_actor(ctx), now, &c,
					    warning, sizeof warning, e);
	if (rc == BT_OK) {
		printf("created consultation %s\n", c.circular);
		rc = show_consultation(db, &c, e);
		for (char *w = warning, *nl; *w; w = nl ? nl + 1 : w + strlen(w)) {
			nl = strchr(w, '\n');
			if (nl)
				*nl = '\0';
			cli_warn("%s", w);
		}
	}
	bt_buf_release(&elec);
	return rc;
}

/* `consultation list --json`. */
static int consultations_json(const bt_consultation_list *cl, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	int rc;

	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < cl->n; i++) {
		bt_buf_adds(&b, i ? ",{" : "{");
		consultation_json(&b, &cl->v[i]);
		bt_json_kv_int(&b, "drafts", cl->v[i].drafts, 0);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

/* `consultation list`: a table, a consultation a row. */
static int consultations_table(const bt_consultation_list *cl, bt_err *e)
{
	cli_table t;
	int rc;

	cli_table_init(&t, 9);
	cli_table_add(&t, (const char *const[]){ "CIRCULAR", "SG", "RULE", "DATE",
						 "DEADLINE", "MEETING", "STATE",
						 "ELECTORATE", "DRAFTS" });
	for (size_t i = 0; i < cl->n; i++) {
		const bt_consultation *c = &cl->v[i];
		char sg[16], date[BT_DATE_LEN], dls[BT_TIME_LEN], el[16];
		char ms[BT_DATE_LEN], me[BT_DATE_LEN], meeting[32], nd[24];

		snprintf(sg, sizeof sg, "%d", c->group);
		bt_date_format(c->date, date);
		bt_time_format(c->deadline, dls);
		bt_date_format(c->meeting_start, ms);
		bt_date_format(c->meeting_end, me);
		snprintf(meeting, sizeof meeting, "%s..%s", ms, me);
		snprintf(el, sizeof el, "%d", c->electorate);
		snprintf(nd, sizeof nd, "%d", c->drafts);
		cli_table_add(&t, (const char *const[]){
			c->circular, sg, c->rule, date, dls, meeting,
			c->closed ? "closed" : "open", el, nd });
	}
	rc = cli_table_print(&t, "lrlllllrr", stdout, e);
	cli_table_release(&t);
	return rc;
}

static int consultation_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("group", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_consultation_list cl = { NULL, 0 };
	long long group = 0;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (opts[0].count) {
		rc = cli_parse_int("--group", opts[0].val, 1, 99, &group, e);
		if (rc != BT_OK)
			return rc;
	}
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_consultations_list(db, (int)group, &cl, e);
	if (rc != BT_OK)
		return rc;
	if (opts[1].count)
		rc = consultations_json(&cl, e);
	else if (cl.n == 0)
		printf("no consultations\n");
	else
		rc = consultations_table(&cl, e);
	bt_consultation_list_free(&cl);
	return rc;
}

static int consultation_show(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_draft_list dl = { NULL, 0 };
	bt_consultation c;
	cli_table t;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE_SHOW, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_consultation_get(db, opts[0].val, &c, e);
	if (rc == BT_OK)
		rc = bt_drafts_list(db, opts[0].val, &dl, e);
	if (rc == BT_OK)
		rc = cli_drafts_now(ctx, db, opts[0].val, &dl, e);
	if (rc != BT_OK)
		goto out;
	if (opts[1].count) {
		rc = show_json(db, &c, &dl, e);
		goto out;
	}
	printf("consultation %s\n", c.circular);
	if ((rc = show_consultation(db, &c, e)) != BT_OK)
		goto out;
	if (c.closed) {
		char at[BT_TIME_LEN];
		bt_time_format(c.closed_at, at);
		printf("  %-14s closed at %s\n", "state", at);
	} else {
		printf("  %-14s open\n", "state");
	}
	if (dl.n == 0) {
		printf("\nno drafts yet\n");
		goto out;
	}
	printf("\n");
	cli_table_init(&t, 4);
	cli_table_add(&t, (const char *const[]){ "REC", "STATE", "OUTCOME",
						 "TITLE" });
	for (size_t i = 0; i < dl.n; i++)
		cli_table_add(&t, (const char *const[]){
			dl.v[i].rec, dl.v[i].state,
			dl.v[i].outcome[0] ? dl.v[i].outcome : "pending",
			dl.v[i].title });
	rc = cli_table_print(&t, "llll", stdout, e);
	cli_table_release(&t);
out:
	bt_draft_list_free(&dl);
	return rc;
}

static int consultation_set_deadline(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_REASON };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("reason", CLI_ARG), CLI_OPT_END };
	bt_time now, deadline;
	bt_db *db;
	int rc, n = 0;

	rc = cli_parse(ctx, argc, argv, USAGE_SET_DEADLINE, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK ||
	    (rc = cli_require(&opts[O_REASON], e)) != BT_OK)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "TIME: the new deadline is required");
	if ((rc = bt_time_parse(ctx->pos[0], "new_deadline", &deadline, e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = bt_consultation_set_deadline(db, opts[O_CIRCULAR].val, deadline,
						  opts[O_REASON].val, cli_actor(ctx), now, &n, e);
	if (rc == BT_OK) {
		char t[BT_TIME_LEN];
		bt_time_format(deadline, t);
		printf("deadline of %s moved to %s\n", opts[O_CIRCULAR].val, t);
		if (n)
			cli_warn("%d repl%s recorded between the old and the new deadline now count%s differently "
				 "(receipts already given keep their received times)",
				 n, n == 1 ? "y" : "ies", n == 1 ? "s" : "");
	}
	return rc;
}

/* `ballot consultation create|list|show|set-deadline ...`. */
int cmd_consultation(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "create", consultation_create },
					{ "list", consultation_list },
					{ "show", consultation_show },
					{ "set-deadline", consultation_set_deadline },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
