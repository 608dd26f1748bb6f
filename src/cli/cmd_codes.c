/* cmd_codes.c - `ballot codes issue|revoke|list`: the reply codes with which
 * administrations sign in to the portal. */
#include "cli.h"

static const char USAGE[] =
	"usage: ballot codes issue --circular ID [--member CODE]\n"
	"       ballot codes revoke --circular ID [--member CODE]\n"
	"       ballot codes list --circular ID [--json]\n"
	"\n"
	"Reply codes let an administration sign in to the portal for one\n"
	"consultation. `issue` makes a fresh code for the member (every member of\n"
	"the electorate without --member), replacing the one it had, and prints\n"
	"them once as TSV (member, code): only a slow hash is kept. `revoke` ends\n"
	"the member's code (every code without --member). `list` shows what was\n"
	"issued and revoked, without secrets.\n";

static const char USAGE_ISSUE[] =
	"usage: ballot codes issue --circular ID [--member CODE]\n"
	"\n"
	"Issues a fresh reply code (5 groups of 5 characters, 125 random bits) for\n"
	"the member, or every member of the electorate, revoking the code it had.\n"
	"Prints TSV with the header member<TAB>code on stdout: the codes are shown\n"
	"this once and cannot be shown again (issue again to replace one).\n";

static const char USAGE_REVOKE[] =
	"usage: ballot codes revoke --circular ID [--member CODE]\n"
	"\n"
	"Revokes the member's reply code for the consultation, or every code in\n"
	"force without --member.\n";

static const char USAGE_LIST[] =
	"usage: ballot codes list --circular ID [--json]\n"
	"\n"
	"Lists the reply codes issued for the consultation: member, state, when\n"
	"issued and when revoked. No code is shown. --json: an array of\n"
	"{\"member\",\"state\",\"issued\",\"revoked\"} (revoked null when in force).\n";

/* Parses --circular (required) and --member, opens the database for a
 * change and reads the clock. */
static int change_begin(cli_ctx *ctx, int argc, char **argv, const char *usage, cli_opt *opts,
			bt_db **db, bt_time *now, bt_err *e)
{
	int rc = cli_parse(ctx, argc, argv, usage, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) || (rc = cli_open_db(ctx, 1, db, e)))
		return rc;
	return cli_now(ctx, now, e);
}

static int codes_issue(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("member", CLI_ARG), CLI_OPT_END };
	bt_code_list l = { NULL, 0 };
	bt_time now;
	bt_db *db;
	int rc = change_begin(ctx, argc, argv, USAGE_ISSUE, opts, &db, &now, e);
	if (rc == BT_OK && !ctx->help)
		rc = bt_codes_issue(db, opts[0].val, opts[1].val, cli_actor(ctx), now, &l, e);
	if (rc != BT_OK && !ctx->help)
		cli_member_hint(ctx->db, opts[1].val, rc, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	printf("member\tcode\n");
	for (size_t i = 0; i < l.n; i++)
		printf("%s\t%s\n", l.v[i].member, l.v[i].code);
	fflush(stdout);
	if (!cli_quiet())
		fprintf(stderr, "codes: %zu reply code%s issued for circular %s; shown this once (only a hash is "
		"kept); any earlier code of %s no longer works\n", l.n, l.n == 1 ? "" : "s",
		opts[0].val, l.n == 1 ? "this member" : "these members");
	bt_code_list_free(&l);
	return BT_OK;
}

static int codes_revoke(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("member", CLI_ARG), CLI_OPT_END };
	bt_time now;
	bt_db *db;
	int rc = change_begin(ctx, argc, argv, USAGE_REVOKE, opts, &db, &now, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	rc = bt_codes_revoke(db, opts[0].val, opts[1].val, cli_actor(ctx), now, e);
	cli_member_hint(ctx->db, opts[1].val, rc, e);
	if (rc == BT_OK)
		printf("revoked the reply code%s of %s for circular %s\n", opts[1].val ? "" : "s",
		       opts[1].val ? opts[1].val : "every member", opts[0].val);
	return rc;
}

static int codes_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_code_info_list l = { NULL, 0 };
	cli_table t;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_codes_list(db, opts[0].val, &l, e);
	if (rc != BT_OK)
		return rc;
	if (opts[1].count) {
		bt_buf b = BT_BUF_INIT;
		bt_buf_addc(&b, '[');
		for (size_t i = 0; i < l.n; i++) {
			bt_buf_adds(&b, i ? ",{" : "{");
			bt_json_kv_str(&b, "member", l.v[i].member, 1);
			bt_json_kv_str(&b, "state", l.v[i].revoked ? "revoked" : "in-force", 0);
			cli_json_kv_time(&b, "issued", l.v[i].issued_at, 0);
			if (l.v[i].revoked)
				cli_json_kv_time(&b, "revoked", l.v[i].revoked_at, 0);
			else
				bt_json_kv_null(&b, "revoked", 0);
			bt_buf_addc(&b, '}');
		}
		bt_buf_addc(&b, ']');
		rc = cli_print_json(&b, e);
		bt_buf_release(&b);
		bt_code_info_list_free(&l);
		return rc;
	}
	cli_table_init(&t, 4);
	cli_table_add(&t, (const char *const[]){ "MEMBER", "STATE", "ISSUED", "REVOKED" });
	for (size_t i = 0; i < l.n; i++) {
		char is[BT_TIME_LEN], rv[BT_TIME_LEN];
		bt_time_format(l.v[i].issued_at, is);
		bt_time_format(l.v[i].revoked_at, rv);
		cli_table_add(&t, (const char *const[]){ l.v[i].member,
			      l.v[i].revoked ? "revoked" : "in-force", is,
			      l.v[i].revoked ? rv : NULL });
	}
	rc = cli_table_print(&t, "llll", stdout, e);
	cli_table_release(&t);
	bt_code_info_list_free(&l);
	return rc;
}

/* `ballot codes issue|revoke|list`. */
int cmd_codes(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "issue", codes_issue }, { "revoke", codes_revoke },
					{ "list", codes_list }, { NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
