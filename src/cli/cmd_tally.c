/* cmd_tally.c - `ballot tally`: count the replies of a consultation under
 * its rule, as of now or a given time. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

#include "ballot/export.h"

static const char USAGE[] =
	"usage: ballot tally --circular ID [--as-of TIME] [--json]\n"
	"\n"
	"Counts, for each draft, the replies in force at min(--as-of, deadline):\n"
	"each member's latest reply received by then, unless withdrawn. Later\n"
	"replies are shown as late and never counted. Before the deadline the\n"
	"outcome is pending and the tally says what it would be if closed now,\n"
	"how many more supporting replies it needs and how many opposing ones\n"
	"would block it. --as-of defaults to now; the tally as of a time sees\n"
	"only what was recorded by then, and a time before the circular's date\n"
	"is refused. Each draft's state is the one ballot status shows.\n";

static void line(const char *label, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "  label      value" with the labels aligned. */
static void line(const char *label, const char *fmt, ...)
{
	va_list ap;

	printf("  %-26s ", label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* "at least 70% of the replies", "more than 50% of the replies, at least 10
 * replies", "no reply objecting". */
static void describe_threshold(const bt_rule *r, int pct, char *out, size_t len)
{
	if (!r) {
		snprintf(out, len, "%d%% of the replies", pct);
		return;
	}
	if (r->threshold_pct >= 100 && !r->strict)
		snprintf(out, len, "100%% (no reply may object)");
	else if (r->min_replies > 0)
		snprintf(out, len, "%s %d%% of the replies, and at least %d replies",
			 r->strict ? "more than" : "at least", pct, r->min_replies);
	else
		snprintf(out, len, "%s %d%% of the replies%s",
			 r->strict ? "more than" : "at least", pct,
			 r->no_replies_proceeds ? ", or no replies at all" : "");
}

static void tally_draft_text(const bt_tally *t, const bt_draft_tally *d,
			     const char *title, const bt_rule *r)
{
	char thr[128];

	printf("\n%s  %s\n", d->rec, title ? title : "");
	line("state", "%s", d->state);
	line("counted replies", "%d of %d (%d outstanding)", d->replies,
	     t->electorate, d->outstanding);
	line("no counted reply", "%d late, %d withdrawn, %d did not reply",
	     d->outstanding_late, d->outstanding_withdrawn, d->did_not_reply);
	line("authorizes", "%d", d->authorize);
	line("authorizes, with comments", "%d", d->authorize_with_comments);
	if (d->not_authorize_without_reasons)
		line("does not authorize", "%d (%d without reasons)",
		     d->not_authorize, d->not_authorize_without_reasons);
	else
		line("does not authorize", "%d", d->not_authorize);
	line("late, not counted", "%d", d->late);
	line("withdrawn", "%d", d->withdrawn);
	describe_threshold(r, d->threshold_pct, thr, sizeof thr);
	if (d->support_pct10 < 0)
		line("support", "no counted replies; needs %s", thr);
	else
		line("support", "%d.%d%% (%d of %d); needs %s",
		     d->support_pct10 / 10, d->support_pct10 % 10, d->support,
		     d->replies, thr);
	if (t->final) {
		line("outcome", "%s", d->outcome);
		return;
	}
	line("outcome", "%s (if closed now: %s)", d->outcome, d->if_closed_now);
	if (d->support_needed == 0)
		line("to proceed", "would proceed as it stands");
	else if (d->support_needed > 0)
		line("to proceed", "%d more supporting %s needed",
		     d->support_needed,
		     d->support_needed == 1 ? "reply" : "replies");
	else
		line("to proceed", "not reachable with the %d outstanding members",
		     d->outstanding);
	if (d->opposition_to_block == 0)
		line("to block", "would not proceed as it stands");
	else if (d->opposition_to_block > 0)
		line("to block", "%d more \"does not authorize\" %s would block it",
		     d->opposition_to_block,
		     d->opposition_to_block == 1 ? "reply" : "replies");
	else
		line("to block", "cannot be blocked by the %d outstanding members",
		     d->outstanding);
}

static void tally_text(const bt_tally *t)
{
	const bt_rule *r = bt_rule_find(t->rule);
	char dl_s[BT_TIME_LEN], as_of[BT_TIME_LEN];

	bt_time_format(t->deadline, dl_s);
	bt_time_format(t->as_of, as_of);
	printf("circular %s: rule %s (%s), deadline %s\n", t->circular, t->rule,
	       t->clause, dl_s);
	printf("as of %s: %s; electorate %d Member States\n", as_of,
	       t->closed ? "after the deadline, final, closed"
	       : t->final ? "after the deadline, final, awaiting close"
			  : "before the deadline, open",
	       t->electorate);
	if (t->deadline_forced[0])
		printf("deadline forced outside WTSA Res. 1 §9.4.1: %s\n", t->deadline_forced);
	if (t->n == 0)
		printf("\nno drafts\n");
	for (size_t i = 0; i < t->n; i++)
		tally_draft_text(t, &t->drafts[i], t->drafts[i].title, r);
}

/* `ballot tally --circular ID [--as-of TIME] [--json]`. */
int cmd_tally(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_AS_OF, O_JSON };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG),
			   CLI_OPT("as-of", CLI_ARG), CLI_OPT("json", CLI_FLAG),
			   CLI_OPT_END };
	bt_tally t;
	bt_time as_of;
	bt_db *db;
	int rc;

	memset(&t, 0, sizeof t);
	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK)
		return rc;
	if (opts[O_AS_OF].count)
		rc = bt_time_parse(opts[O_AS_OF].val, "as_of", &as_of, e);
	else
		rc = cli_now(ctx, &as_of, e);
	if (rc != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = opts[O_AS_OF].count ? bt_tally_as_of(db, opts[O_CIRCULAR].val, as_of, &t, e)
					 : bt_tally_compute(db, opts[O_CIRCULAR].val, as_of, &t, e);
	if (rc == BT_OK) {
		if (opts[O_JSON].count) {
			bt_buf b = BT_BUF_INIT;
			rc = bt_tally_json(&t, &b, e);
			if (rc == BT_OK)
				fwrite(b.data, 1, b.len, stdout);
			bt_buf_release(&b);
		} else {
			tally_text(&t);
		}
	}
	bt_tally_free(&t);
	return rc;
}
