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

enum { O_CIRCULAR, O_DRAFT, O_APPROVED, O_RESERVATION, O_MORE_TIME,
       O_NOT_APPROVED, O_OPPOSED_BY, O_KEY, O_RECEIPT, O_DATE, O_PRINT_RECEIPT };

/* The Member States a decision names: as given, the option each came with,
 * the resolved alpha-3 code, and (for reservations) the note. */
typedef struct {
	size_t n;
	const char **raw;
	const char **opt_of;
	char (*codes)[4];
	const char **code_ptrs;
	char **notes;
} decide_codes;

static void codes_free(decide_codes *k)
{
	if (k->notes)
		for (size_t i = 0; i < k->n; i++)
			free(k->notes[i]);
	free(k->notes);
	free(k->code_ptrs);
	free(k->codes);
	free(k->opt_of);
	free(k->raw);
}

/* The options that go together, checked before anything is opened. */
static int decide_check_options(const cli_ctx *ctx, const cli_opt *opts, bt_err *e)
{
	int kinds = (opts[O_APPROVED].count > 0) + (opts[O_MORE_TIME].count > 0) +
		    (opts[O_NOT_APPROVED].count > 0);
	int rc = cli_require(&opts[O_CIRCULAR], e);

	if (rc != BT_OK)
		return rc;
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
	return BT_OK;
}

/* Appends one code as given with the option it came with. */
static void codes_add(decide_codes *k, const char *raw, const char *opt)
{
	k->raw[k->n] = raw;
	k->opt_of[k->n++] = opt;
}

/* The kind of decision and the codes as given; for reservations the code
 * part of CODE:TEXT (the text is taken once the code resolved). */
static int decide_collect(const cli_ctx *ctx, const cli_opt *opts,
			  bt_decision_spec *spec, decide_codes *k, bt_err *e)
{
	size_t max = opts[O_RESERVATION].n + opts[O_MORE_TIME].n + opts[O_OPPOSED_BY].n +
		     (size_t)ctx->npos;
	const cli_opt *list = &opts[O_OPPOSED_BY];
	const char *opt = "opposed_by";

	k->raw = calloc(max + 1, sizeof *k->raw);
	k->opt_of = calloc(max + 1, sizeof *k->opt_of);
	k->codes = calloc(max + 1, sizeof *k->codes);
	k->code_ptrs = calloc(max + 1, sizeof *k->code_ptrs);
	k->notes = calloc(max + 1, sizeof *k->notes);
	if (!k->raw || !k->opt_of || !k->codes || !k->code_ptrs || !k->notes)
		return bt_fail(e, BT_EFAIL, "out of memory");
	if (opts[O_APPROVED].count) {
		spec->kind = BT_DECISION_APPROVED;
		for (size_t i = 0; i < opts[O_RESERVATION].n; i++) {
			const char *r = opts[O_RESERVATION].vals[i];
			const char *colon = strchr(r, ':');
			if (!colon || colon == r || !colon[strspn(colon + 1, " ") + 1])
				return bt_fail(e, BT_EINPUT,
					       "--reservation: '%s' is not CODE:TEXT", r);
			k->notes[k->n] = strndup(r, (size_t)(colon - r));
			if (!k->notes[k->n])
				return bt_fail(e, BT_EFAIL, "out of memory");
			codes_add(k, k->notes[k->n], "reservation");
		}
		return BT_OK;
	}
	spec->kind = BT_DECISION_NOT_APPROVED;
	if (opts[O_MORE_TIME].count) {
		spec->kind = BT_DECISION_MORE_TIME;
		list = &opts[O_MORE_TIME];
		opt = "more_time";
	}
	for (size_t i = 0; i < list->n; i++)
		codes_add(k, list->vals[i], opt);
	for (int p = 0; p < ctx->npos; p++)
		codes_add(k, ctx->pos[p], opt);
	return BT_OK;
}

/* Resolves every code; for reservations the note becomes the text after
 * CODE:. */
static int decide_resolve(bt_db *db, const cli_opt *opts, bt_decision_spec *spec,
			  decide_codes *k, bt_err *e)
{
	int rc = BT_OK;

	for (size_t i = 0; rc == BT_OK && i < k->n; i++) {
		rc = cli_member_resolve(db, k->opt_of[i], k->raw[i], k->codes[i], e);
		k->code_ptrs[i] = k->codes[i];
	}
	if (rc != BT_OK)
		return rc;
	if (spec->kind == BT_DECISION_APPROVED) {
		for (size_t i = 0; i < k->n; i++) {
			const char *text = strchr(opts[O_RESERVATION].vals[i], ':') + 1;
			free(k->notes[i]);
			k->notes[i] = strdup(text + strspn(text, " "));
			if (!k->notes[i])
				return bt_fail(e, BT_EFAIL, "out of memory");
		}
		spec->notes = (const char *const *)k->notes;
	}
	spec->codes = k->code_ptrs;
	spec->n_codes = k->n;
	return BT_OK;
}

/* Prints the decision as recorded: its date, the codes, the draft's state
 * and who did not reply. */
static void decide_print(const bt_consultation *c, const bt_draft *d,
			 const bt_decision_spec *spec, const decide_codes *k,
			 const bt_decision *x)
{
	char day[BT_DATE_LEN];

	bt_date_format(x->date, day);
	printf("decided circular %s %s on %s: ", c->circular, d->rec, day);
	if (spec->kind == BT_DECISION_APPROVED)
		printf("approved%s", k->n ? " with reservations by " : "");
	else if (spec->kind == BT_DECISION_MORE_TIME)
		printf("more time asked by ");
	else
		printf("not approved, opposed by ");
	for (size_t i = 0; i < k->n; i++)
		printf("%s%s", i ? ", " : "", k->codes[i]);
	printf("; state now %s", d->state);
	if (spec->kind == BT_DECISION_MORE_TIME) {
		char until[BT_DATE_LEN];
		bt_date_format(bt_more_time_until(c->meeting_end), until);
		printf(" (formal opposition possible until %s, §9.5.5)", until);
	}
	printf("\n");
	if (spec->kind == BT_DECISION_APPROVED)
		for (size_t i = 0; i < k->n; i++)
			printf("  reservation %s: %s\n", k->codes[i], k->notes[i]);
	for (size_t i = 0; i < x->n; i++)
		if (x->members[i].no_reply)
			printf("  %s did not reply to the consultation (no reply counted by the deadline)\n",
			       x->members[i].code);
}

/* Records the decision and prints it as read back. */
static int decide_record(cli_ctx *ctx, const cli_opt *opts, bt_decision_spec *spec,
			 decide_codes *k, int64_t *seq, const bt_key **key, bt_err *e)
{
	bt_decision_list dl = { NULL, 0 };
	const bt_decision *x = NULL;
	bt_consultation c;
	bt_draft d;
	bt_time now;
	bt_db *db;
	int rc;

	memset(&d, 0, sizeof d);
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = cli_receipt_prepare(ctx, &opts[O_KEY], &opts[O_RECEIPT], key, e);
	if (rc == BT_OK)
		rc = bt_consultation_get(db, spec->circular, &c, e);
	if (rc == BT_OK)
		rc = decide_resolve(db, opts, spec, k, e);
	if (rc == BT_OK)
		rc = bt_decide(db, spec, cli_actor(ctx), now, seq, e);
	if (rc == BT_OK)
		rc = bt_draft_find(db, spec->circular, spec->rec, &d, e);
	if (rc == BT_OK)
		rc = bt_decisions_get(db, spec->circular, INT64_MAX, &dl, e);
	for (size_t i = 0; rc == BT_OK && i < dl.n; i++)
		if (dl.v[i].seq == *seq)
			x = &dl.v[i];
	if (rc == BT_OK && !x)
		rc = bt_fail(e, BT_EFAIL, "the decision just recorded cannot be read back");
	if (rc == BT_OK)
		decide_print(&c, &d, spec, k, x);
	bt_decision_list_free(&dl);
	bt_draft_clear(&d);
	return rc;
}

/* `ballot decide ...`. */
int cmd_decide(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = {
		CLI_OPT("circular", CLI_ARG), CLI_OPT("draft", CLI_ARG),
		CLI_OPT("approved", CLI_FLAG), CLI_OPT("reservation", CLI_MULTI),
		CLI_OPT("more-time", CLI_MULTI), CLI_OPT("not-approved", CLI_FLAG),
		CLI_OPT("opposed-by", CLI_MULTI), CLI_OPT("key", CLI_ARG),
		CLI_OPT("receipt", CLI_ARG), CLI_OPT("date", CLI_ARG),
		CLI_OPT("print-receipt", CLI_FLAG), CLI_OPT_END
	};
	const bt_key *key = NULL;
	int64_t seq = 0;
	bt_decision_spec spec;
	decide_codes k;
	int rc;

	memset(&k, 0, sizeof k);
	rc = cli_parse(ctx, argc, argv, USAGE, opts, -1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = decide_check_options(ctx, opts, e)) != BT_OK)
		return rc;
	memset(&spec, 0, sizeof spec);
	spec.circular = opts[O_CIRCULAR].val;
	spec.rec = opts[O_DRAFT].val;
	if (opts[O_DATE].val) {
		if ((rc = bt_date_parse(opts[O_DATE].val, "date", &spec.date, e)) != BT_OK)
			return rc;
		spec.has_date = 1;
	}
	rc = decide_collect(ctx, opts, &spec, &k, e);
	if (rc == BT_OK)
		rc = decide_record(ctx, opts, &spec, &k, &seq, &key, e);
	if (rc == BT_OK)
		rc = cli_receipt(ctx, key, seq, opts[O_RECEIPT].val,
				 opts[O_PRINT_RECEIPT].count > 0, e);
	codes_free(&k);
	return rc;
}
