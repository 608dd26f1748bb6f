/* cmd_check.c - `ballot check`: is the database sound? */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot check [--json]\n"
	"\n"
	"Checks the database: SQLite's integrity_check (every page and index),\n"
	"foreign_key_check (no row refers to a missing one) and the event chain\n"
	"(as `ballot audit verify`), and the witness <db>.witness (the last\n"
	"acknowledged event, kept outside the database: events it names that the\n"
	"database lacks were acknowledged and are missing). Prints one line per\n"
	"check, 'ok' or the first problem, then the head hash of the chain. Exits 0\n"
	"when every check passes, 1 when the database is damaged, 2 when it is not\n"
	"a ballot database. A damaged database is marked (a file DB-damaged beside\n"
	"it): every change is refused until `ballot restore` (or a check that\n"
	"passes) clears it. --json: one object {\"integrity_check\",\n"
	"\"foreign_key_check\", \"event_chain\", \"events\", \"witness\", \"head\" (null\n"
	"when the chain does not verify), \"result\" (ok or damaged)}.\n";

/* Prints the report of bt_db_check, one line per check. */
static void print_report(const bt_check_report *r)
{
	printf("integrity_check: %s\n", r->integrity);
	printf("foreign_key_check: %s\n", r->foreign_keys);
	if (r->chain_ok)
		printf("event chain: ok (%" PRId64 " events)\n", r->audit.events);
	else
		printf("event chain: %s\n", r->chain);
	printf("witness: %s\n", r->witness);
	if (r->chain_ok)
		printf("head: %s\n", r->audit.head);
	else
		printf("head: none to trust (the chain does not verify)\n");
}

static int print_json(const bt_check_report *r, int passed, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '{');
	bt_json_kv_str(&b, "integrity_check", r->integrity, 1);
	bt_json_kv_str(&b, "foreign_key_check", r->foreign_keys, 0);
	bt_json_kv_str(&b, "event_chain", r->chain_ok ? "ok" : r->chain, 0);
	bt_json_kv_int(&b, "events", r->audit.events, 0);
	bt_json_kv_str(&b, "witness", r->witness, 0);
	if (r->chain_ok)
		bt_json_kv_str(&b, "head", r->audit.head, 0);
	else
		bt_json_kv_null(&b, "head", 0);
	bt_json_kv_str(&b, "result", passed ? "ok" : "damaged", 0);
	bt_buf_addc(&b, '}');
	int rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

int cmd_check(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_check_report r;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	cli_progress_engine("check");
	rc = bt_db_check_path(cli_db_path(ctx), &r, e);
	cli_progress_done();
	if (rc)
		return rc;
	int passed = bt_check_passed(&r);
	if (opts[0].count && (rc = print_json(&r, passed, e)))
		return rc;
	if (!opts[0].count)
		print_report(&r);
	if (passed) {
		bt_damage_note(cli_db_path(ctx), NULL);
		if (!opts[0].count)
			printf("result: ok\n");
		return BT_OK;
	}
	char what[300];
	bt_check_first_problem(&r, what, sizeof what);
	if (bt_damage_note(cli_db_path(ctx), what) && !cli_quiet())
		fprintf(stderr, "ballot: warning: could not leave the damage mark beside '%s'\n", cli_db_path(ctx));
	if (!opts[0].count)
		printf("result: damaged\n");
	bt_err_clear(e); /* the report is the message; exit 1 */
	return BT_EFAIL;
}
