/* cmd_audit.c - `ballot audit verify`: check the event log's hash chain. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot audit verify [--json]\n"
	"\n"
	"Checks the event log: every event's hash is SHA-256 over the previous\n"
	"event's hash and the event's canonical content, and every reply and\n"
	"attachment still matches the event that recorded it. Exits 0 and prints\n"
	"the head hash when intact; otherwise names the first broken event and\n"
	"exits 1, and marks the database damaged: every change is refused until\n"
	"`ballot restore` (or an audit that finds it intact) clears the mark.\n"
	"Also exits 1 (and marks it) when the witness <db>.witness names events\n"
	"the database lacks (acknowledged but missing). --json: one object\n"
	"{\"result\" (intact, broken or incomplete), \"events\", \"head\" (null when\n"
	"none or broken), \"first_bad\" (null when intact), \"problem\" (null when\n"
	"intact)}.\n";

static int print_json(const char *result, const bt_audit_report *r, const char *problem, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '{');
	bt_json_kv_str(&b, "result", result, 1);
	bt_json_kv_int(&b, "events", r->events, 0);
	if (r->first_bad == 0 && r->head[0])
		bt_json_kv_str(&b, "head", r->head, 0);
	else
		bt_json_kv_null(&b, "head", 0);
	if (r->first_bad)
		bt_json_kv_int(&b, "first_bad", r->first_bad, 0);
	else
		bt_json_kv_null(&b, "first_bad", 0);
	if (problem)
		bt_json_kv_str(&b, "problem", problem, 0);
	else
		bt_json_kv_null(&b, "problem", 0);
	bt_buf_addc(&b, '}');
	int rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

static int audit_verify(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_audit_report r;
	bt_db *db;
	int rc;

	memset(&r, 0, sizeof r);
	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK) {
		cli_progress_engine("audit verify");
		rc = bt_audit_verify(db, &r, e);
		cli_progress_done();
	}
	if (rc != BT_OK)
		return rc;
	char what[320], wit[320];
	int incomplete = r.first_bad == 0 && !bt_db_witness(db, wit, sizeof wit);
	snprintf(what, sizeof what, "event %" PRId64 ": %s", r.first_bad, r.problem);
	if (bt_damage_note(cli_db_path(ctx), r.first_bad ? what : incomplete ? wit : NULL) &&
	    (r.first_bad || incomplete) && !cli_quiet())
		fprintf(stderr, "ballot: warning: could not leave the damage mark beside '%s'\n", cli_db_path(ctx));
	int json = opts[0].count > 0;
	if (json && (rc = print_json(incomplete ? "incomplete" : r.first_bad ? "broken" : "intact", &r,
				     incomplete ? wit : r.first_bad ? r.problem : NULL, e)))
		return rc;
	if (incomplete) {
		if (!json)
			printf("event log incomplete: %s\n", wit);
		bt_err_clear(e);
		return BT_EFAIL;
	}
	if (r.first_bad == 0) {
		if (!json)
			printf("event log intact: %" PRId64 " events, head %s\n", r.events,
		       r.head[0] ? r.head : "(none)");
		return BT_OK;
	}
	if (!json)
		printf("event log broken at event %" PRId64 ": %s\n", r.first_bad,
		       r.problem);
	bt_err_clear(e); /* the report is the message; exit 1 */
	return BT_EFAIL;
}

/* `ballot audit verify`. */
int cmd_audit(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "verify", audit_verify },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
