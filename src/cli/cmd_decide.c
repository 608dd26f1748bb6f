/* cmd_decide.c - `ballot decide`: the study group plenary's decision on a
 * ready-for-approval draft (WTSA Res. 1 §9.5). */
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot decide --circular ID [--draft REC]\n"
	"              (--approved [--reservation CODE:TEXT]... |\n"
	"               --more-time CODE... |\n"
	"               --not-approved --opposed-by CODE...)\n"
	"              [--date DATE] [--receipt FILE | --print-receipt] [--key FILE]\n"
	"\n"
	"Records the plenary's decision on a draft, in the order of WTSA Res. 1 §9.5:\n"
	"  --approved                 approved unopposed (§9.5.3); each\n"
	"                             --reservation notes a member's reservation\n"
	"                             (§9.5.4), e.g. --reservation CHE:\"text\"\n"
	"  --more-time CODE...        delegations asked for more time (§9.5.5); the\n"
	"                             draft stays more-time: within the four weeks\n"
	"                             after the meeting only those members may\n"
	"                             oppose (--not-approved --opposed-by); after\n"
	"                             them it is approved (--approved)\n"
	"  --not-approved --opposed-by CODE...\n"
	"                             opposed by the Member States named (one that\n"
	"                             did not reply to the consultation may; the\n"
	"                             record says so)\n"
	"  --date DATE                the day the decision took effect (default\n"
	"                             today; never in the future): at the meeting\n"
	"                             for a ready-for-approval draft, within the\n"
	"                             four weeks for an opposition, after them for\n"
	"                             the approval of a more-time draft\n"
	"--more-time and --opposed-by take one or more codes (repeat the option or\n"
	"list them). With a regional electorate (SG3, §9.2.1) only its members may\n"
	"ask for more time, oppose or enter a reservation.\n"
	"--draft may be left out when the consultation has one draft.\n"
	"The signed receipt is saved to --receipt FILE or printed with --print-receipt\n"
	"(see reply).\n";

/* `ballot decide ...`. */
int cmd_decide(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_DRAFT, O_APPROVED, O_RESERVATION, O_MORE_TIME,
	       O_NOT_APPROVED, O_OPPOSED_BY, O_KEY, O_RECEIPT, O_DATE, O_PRINT_RECEIPT };
	cli_opt opts[] = {
		CLI_OPT("circular", CLI_ARG), CLI_OPT("draft", CLI_ARG),
		CLI_OPT("approved", CLI_FLAG), CLI_OPT("reservation", CLI_MULTI),
		CLI_OPT("more-time", CLI_MULTI), CLI_OPT("not-approved", CLI_FLAG),
		CLI_OPT("opposed-by", CLI_MULTI), CLI_OPT("key", CLI_ARG),
		CLI_OPT("receipt", CLI_ARG), CLI_OPT("date", CLI_ARG),
		CLI_OPT("print-receipt", CLI_FLAG), CLI_OPT_END
	};
	const bt_key *key;
	int64_t seq = 0;
	bt_decision_spec spec;
	bt_decision_list dl = { NULL, 0 };
	bt_consultation c;
	bt_draft d;
	const char **raw = NULL;        /* codes as given */
	const char **opt_of = NULL;     /* the option each came with */
	char (*codes)[4] = NULL;        /* resolved alpha-3 codes */
	const char **code_ptrs = NULL;
	char **notes = NULL;
	size_t n = 0, i;
	int kinds;
	bt_time now;
	bt_db *db;
	int rc;

	memset(&d, 0, sizeof d);
	rc = cli_parse(ctx, argc, argv, USAGE, opts, -1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK)
		return rc;
	kinds = (opts[O_APPROVED].count > 0) + (opts[O_MORE_TIME].count > 0) +
		(opts[O_NOT_APPROVED].count > 0);
	if (kinds == 0)
		return bt_fail(e, BT_EINPUT,
			       "one of --approved, --more-time or --not-approved is required");
	if (kinds > 1)
		return bt_fail(e, BT_EINPUT,
			       "--approved, --more-time and --not-approved: give only one");
	if (opts[O_RESERVATION].count && !opts[O_APPROVED].count)
		return bt_fail(e, BT_EINPUT, "--reservation goes with --approved");
	if (opts[O_OPPOSED_BY].count && !opts[O_NOT_APPROVED].count)
		return bt_fail(e, BT_EINPUT, "--opposed-by goes with --not-approved");
	if (ctx->npos > 0 && !opts[O_MORE_TIME].count && !opts[O_OPPOSED_BY].count)
		return bt_fail(e, BT_EINPUT, "decide: unexpected argument '%s'",
			       ctx->pos[0]);
	if (opts[O_NOT_APPROVED].count && !opts[O_OPPOSED_BY].count)
		return bt_fail(e, BT_EINPUT,
			       "--not-approved needs --opposed-by CODE (the opposing Member States)");

	memset(&spec, 0, sizeof spec);
	spec.circular = opts[O_CIRCULAR].val;
	spec.rec = opts[O_DRAFT].val;
	if (opts[O_DATE].val) {
		if ((rc = bt_date_parse(opts[O_DATE].val, "date", &spec.date, e)) != BT_OK)
			return rc;
		spec.has_date = 1;
	}
	n = opts[O_RESERVATION].n + opts[O_MORE_TIME].n + opts[O_OPPOSED_BY].n +
	    (size_t)ctx->npos;
	raw = calloc(n + 1, sizeof *raw);
	opt_of = calloc(n + 1, sizeof *opt_of);
	codes = calloc(n + 1, sizeof *codes);
	code_ptrs = calloc(n + 1, sizeof *code_ptrs);
	notes = calloc(n + 1, sizeof *notes);
	if (!raw || !opt_of || !codes || !code_ptrs || !notes) {
		rc = bt_fail(e, BT_EFAIL, "out of memory");
		goto out;
	}
	n = 0;
	if (opts[O_APPROVED].count) {
		spec.kind = BT_DECISION_APPROVED;
		for (i = 0; i < opts[O_RESERVATION].n; i++) {
			const char *r = opts[O_RESERVATION].vals[i];
			const char *colon = strchr(r, ':');
			if (!colon || colon == r ||
			    !colon[strspn(colon + 1, " ") + 1]) {
				rc = bt_fail(e, BT_EINPUT,
					     "--reservation: '%s' is not CODE:TEXT",
					     r);
				goto out;
			}
			notes[n] = strndup(r, (size_t)(colon - r));
			if (!notes[n]) {
				rc = bt_fail(e, BT_EFAIL, "out of memory");
				goto out;
			}
			raw[n] = notes[n]; /* the code part; text follows below */
			opt_of[n++] = "reservation";
		}
	} else if (opts[O_MORE_TIME].count) {
		spec.kind = BT_DECISION_MORE_TIME;
		for (i = 0; i < opts[O_MORE_TIME].n; i++) {
			raw[n] = opts[O_MORE_TIME].vals[i];
			opt_of[n++] = "more_time";
		}
		for (int p = 0; p < ctx->npos; p++) {
			raw[n] = ctx->pos[p];
			opt_of[n++] = "more_time";
		}
	} else {
		spec.kind = BT_DECISION_NOT_APPROVED;
		for (i = 0; i < opts[O_OPPOSED_BY].n; i++) {
			raw[n] = opts[O_OPPOSED_BY].vals[i];
			opt_of[n++] = "opposed_by";
		}
		for (int p = 0; p < ctx->npos; p++) {
			raw[n] = ctx->pos[p];
			opt_of[n++] = "opposed_by";
		}
	}

	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = cli_receipt_prepare(ctx, &opts[O_KEY], &opts[O_RECEIPT], &key, e);
	if (rc == BT_OK)
		rc = bt_consultation_get(db, spec.circular, &c, e);
	for (i = 0; rc == BT_OK && i < n; i++) {
		rc = cli_member_resolve(db, opt_of[i], raw[i], codes[i], e);
		code_ptrs[i] = codes[i];
	}
	if (rc != BT_OK)
		goto out;
	/* notes[i] held the code part of each reservation; now the text */
	if (spec.kind == BT_DECISION_APPROVED) {
		for (i = 0; i < n; i++) {
			const char *r = opts[O_RESERVATION].vals[i];
			const char *text = strchr(r, ':') + 1;
			free(notes[i]);
			notes[i] = strdup(text + strspn(text, " "));
			if (!notes[i]) {
				rc = bt_fail(e, BT_EFAIL, "out of memory");
				goto out;
			}
		}
		spec.notes = (const char *const *)notes;
	}
	spec.codes = code_ptrs;
	spec.n_codes = n;
	rc = bt_decide(db, &spec, cli_actor(ctx), now, &seq, e);
	if (rc == BT_OK)
		rc = bt_draft_find(db, spec.circular, spec.rec, &d, e);
	if (rc != BT_OK)
		goto out;

	/* the decision as recorded: its date and who did not reply */
	rc = bt_decisions_get(db, spec.circular, INT64_MAX, &dl, e);
	if (rc != BT_OK)
		goto out;
	const bt_decision *x = NULL;
	for (i = 0; i < dl.n; i++)
		if (dl.v[i].seq == seq)
			x = &dl.v[i];
	if (!x) {
		rc = bt_fail(e, BT_EFAIL, "the decision just recorded cannot be read back");
		goto out;
	}
	char day[BT_DATE_LEN];
	bt_date_format(x->date, day);
	printf("decided circular %s %s on %s: ", c.circular, d.rec, day);
	if (spec.kind == BT_DECISION_APPROVED)
		printf("approved%s", n ? " with reservations by " : "");
	else if (spec.kind == BT_DECISION_MORE_TIME)
		printf("more time asked by ");
	else
		printf("not approved, opposed by ");
	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", codes[i]);
	printf("; state now %s", d.state);
	if (spec.kind == BT_DECISION_MORE_TIME) {
		char until[BT_DATE_LEN];
		bt_date_format(bt_more_time_until(c.meeting_end), until);
		printf(" (formal opposition possible until %s, §9.5.5)", until);
	}
	printf("\n");
	if (spec.kind == BT_DECISION_APPROVED)
		for (i = 0; i < n; i++)
			printf("  reservation %s: %s\n", codes[i], notes[i]);
	for (i = 0; i < x->n; i++)
		if (x->members[i].no_reply)
			printf("  %s did not reply to the consultation (no reply counted by the deadline)\n",
			       x->members[i].code);
	rc = cli_receipt(ctx, key, seq, opts[O_RECEIPT].val, opts[O_PRINT_RECEIPT].count > 0, e);
out:
	bt_decision_list_free(&dl);
	if (notes)
		for (i = 0; i < n; i++)
			free(notes[i]);
	free(notes);
	free(code_ptrs);
	free(codes);
	free(opt_of);
	free(raw);
	bt_draft_clear(&d);
	return rc;
}
