/* cmd_check.c - `ballot check`: is the database sound? */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot check\n"
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
	"passes) clears it.\n";

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

int cmd_check(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_check_report r;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = bt_db_check_path(cli_db_path(ctx), &r, e)))
		return rc;
	print_report(&r);
	if (bt_check_passed(&r)) {
		bt_damage_note(cli_db_path(ctx), NULL);
		printf("result: ok\n");
		return BT_OK;
	}
	char what[300];
	bt_check_first_problem(&r, what, sizeof what);
	if (bt_damage_note(cli_db_path(ctx), what))
		fprintf(stderr, "ballot: warning: could not leave the damage mark beside '%s'\n", cli_db_path(ctx));
	printf("result: damaged\n");
	bt_err_clear(e); /* the report is the message; exit 1 */
	return BT_EFAIL;
}
