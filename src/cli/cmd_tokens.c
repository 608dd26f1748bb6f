/* cmd_tokens.c - `ballot tokens create|list|revoke`: bearer tokens of staff
 * accounts for the portal's JSON API (/api/v1). A token is printed once. */
#include "cli.h"

#include <string.h>

static const char USAGE[] =
	"usage: ballot tokens create --user NAME [--scope read|write] [--expires DATE]\n"
	"       ballot tokens list [--json]\n"
	"       ballot tokens revoke ID\n"
	"\n"
	"Bearer tokens for the portal's JSON API (/api/v1), each acting as a\n"
	"staff account. The token is printed once; only its SHA-256 is kept.\n"
	"Creating and revoking are events in the log.\n";

static const char USAGE_CREATE[] =
	"usage: ballot tokens create --user NAME [--scope read|write] [--expires DATE]\n"
	"\n"
	"Creates an API token for account NAME (existing, not disabled) and prints\n"
	"it once on standard output (its id on standard error). --scope read (the\n"
	"default) may only read; write may also record replies. --expires DATE\n"
	"(YYYY-MM-DD: 00:00 UTC that day, or a time with its zone): the token stops\n"
	"working then; without it, it works until revoked. A token also stops\n"
	"working while its account is disabled. An event in the log (without the\n"
	"token).\n";

static const char USAGE_LIST[] =
	"usage: ballot tokens list [--json]\n"
	"\n"
	"Lists the API tokens created (no secrets): id, account, scope, created,\n"
	"expires, state. --json: an array of {\"id\", \"user\", \"scope\", \"created\",\n"
	"\"expires\" (or null), \"revoked\" (when, or null)}.\n";

static const char USAGE_REVOKE[] =
	"usage: ballot tokens revoke ID\n"
	"\n"
	"Revokes API token ID (see `ballot tokens list`): it stops working at once.\n"
	"An event in the log.\n";

/* --expires: a date (00:00 UTC that day) or a time with its zone. */
static int expires_parse(const char *s, bt_time *t, bt_err *e)
{
	bt_date d;
	if (strlen(s) == 10) {
		int rc = bt_date_parse(s, "--expires", &d, e);
		if (!rc)
			*t = bt_date_time(d);
		return rc;
	}
	return bt_time_parse(s, "--expires", t, e);
}

static int tokens_create(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_USER, O_SCOPE, O_EXPIRES };
	cli_opt opts[] = { CLI_OPT("user", CLI_ARG), CLI_OPT("scope", CLI_ARG),
			   CLI_OPT("expires", CLI_ARG), CLI_OPT_END };
	bt_time now, expires = 0;
	bt_db *db;
	char token[BT_TOKEN_LEN + 1];
	int64_t id = 0;
	int rc = cli_parse(ctx, argc, argv, USAGE_CREATE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_USER], e)))
		return rc;
	bt_token_scope scope = opts[O_SCOPE].count ? bt_token_scope_parse(opts[O_SCOPE].val) : BT_SCOPE_READ;
	if (scope == BT_SCOPE_NONE)
		return bt_fail(e, BT_EINPUT, "--scope: '%s' is not read or write", opts[O_SCOPE].val);
	if (opts[O_EXPIRES].count && (rc = expires_parse(opts[O_EXPIRES].val, &expires, e)))
		return rc;
	if ((rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)))
		return rc;
	if (opts[O_EXPIRES].count && expires <= now)
		return bt_fail(e, BT_EINPUT, "--expires: '%s' is not in the future", opts[O_EXPIRES].val);
	rc = bt_token_create(db, opts[O_USER].val, scope, expires, cli_actor(ctx), now, token, &id, e);
	if (rc)
		return rc;
	printf("%s\n", token);
	memset(token, 0, sizeof token);
	if (!cli_quiet())
		fprintf(stderr, "created API token %lld for account %s (%s); it is shown only now\n",
			(long long)id, opts[O_USER].val, bt_token_scope_name(scope));
	return cli_flush_stdout(e);
}

static int tokens_json(const bt_token_list *l, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < l->n; i++) {
		const bt_token_info *t = &l->v[i];
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_int(&b, "id", t->id, 1);
		bt_json_kv_str(&b, "user", t->user, 0);
		bt_json_kv_str(&b, "scope", bt_token_scope_name(t->scope), 0);
		cli_json_kv_time(&b, "created", t->created_at, 0);
		if (t->expires_at)
			cli_json_kv_time(&b, "expires", t->expires_at, 0);
		else
			bt_json_kv_null(&b, "expires", 0);
		if (t->revoked)
			cli_json_kv_time(&b, "revoked", t->revoked_at, 0);
		else
			bt_json_kv_null(&b, "revoked", 0);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	int rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

static int tokens_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_token_list l = { NULL, 0 };
	cli_table t;
	bt_db *db;
	bt_time now;
	int rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)) || (rc = cli_now(ctx, &now, e)) ||
	    (rc = bt_tokens_list(db, &l, e)))
		return rc;
	if (opts[0].count) {
		rc = tokens_json(&l, e);
		bt_token_list_free(&l);
		return rc;
	}
	cli_table_init(&t, 6);
	cli_table_add(&t, (const char *const[]){ "ID", "USER", "SCOPE", "CREATED", "EXPIRES", "STATE" });
	for (size_t i = 0; i < l.n; i++) {
		const bt_token_info *k = &l.v[i];
		char id[24], c[BT_TIME_LEN], x[BT_TIME_LEN] = "never";
		snprintf(id, sizeof id, "%lld", (long long)k->id);
		bt_time_format(k->created_at, c);
		if (k->expires_at)
			bt_time_format(k->expires_at, x);
		const char *state = k->revoked ? "revoked" : k->expires_at && k->expires_at <= now ? "expired"
			: "in force";
		cli_table_add(&t, (const char *const[]){ id, k->user, bt_token_scope_name(k->scope), c, x, state });
	}
	rc = cli_table_print(&t, "rlllll", stdout, e);
	cli_table_release(&t);
	bt_token_list_free(&l);
	return rc;
}

static int tokens_revoke(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	long long id = 0;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_REVOKE, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "tokens revoke: give one token id (see ballot tokens list)");
	if ((rc = cli_parse_int("ID", ctx->pos[0], 1, INT64_MAX, &id, e)) ||
	    (rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)))
		return rc;
	rc = bt_token_revoke(db, id, cli_actor(ctx), now, e);
	if (rc == BT_OK)
		printf("revoked API token %lld\n", id);
	return rc;
}

/* `ballot tokens create|list|revoke`. */
int cmd_tokens(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "create", tokens_create }, { "list", tokens_list },
					{ "revoke", tokens_revoke }, { NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
