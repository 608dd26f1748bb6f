/* cmd_members.c - `ballot members`: list the Member States at a date, and
 * `ballot members import FILE`: add and rename members from a TSV. */
#include "cli.h"

#include <stdlib.h>

#define MEMBERS_FILE_MAX ((int64_t)16 * 1024 * 1024)

static const char USAGE[] =
	"usage: ballot members [--as-of DATE] [--json]\n"
	"       ballot members import FILE [--recode OLD=NEW]...\n"
	"\n"
	"Lists the ITU Member States admitted on or before DATE (default: today),\n"
	"with their ISO 3166 codes and admission dates; --json prints a list of\n"
	"{code, alpha2, name, member_since}.\n"
	"\n"
	"members import reads a TSV with the header alpha3, alpha2, name,\n"
	"member_since: it adds new members and replaces names, keeping the old\n"
	"ones in the history; it never removes a member. All or nothing.\n";

static const char USAGE_IMPORT[] =
	"usage: ballot members import FILE [--recode OLD=NEW]...\n"
	"\n"
	"Imports a Member State list: a TSV with the header alpha3, alpha2, name,\n"
	"member_since ('#' lines are comments; an empty member_since means a member\n"
	"long before any consultation). Adds new members, replaces names (the old\n"
	"name stays in the history), never removes one. Any bad line refuses the\n"
	"whole file, as does a second line for one member (CHE and CH).\n"
	"\n"
	"A code never changes silently: a line that gives a member another alpha-2\n"
	"code, or a new alpha-3 code with a recorded member's alpha-2 code or name,\n"
	"is refused unless --recode OLD=NEW names that change (two alpha-2 or two\n"
	"alpha-3 codes; repeatable; each must be used). An alpha-3 code already\n"
	"named by electorates, replies, codes or certificates cannot change.\n"
	"Additions, renames and recodes are listed in the members-import event.\n";

static int members_json(const bt_member_list *l, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	int rc;

	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < l->n; i++) {
		const bt_member *m = &l->v[i];
		if (i)
			bt_buf_addc(&b, ',');
		bt_buf_addc(&b, '{');
		bt_json_kv_str(&b, "code", m->code, 1);
		bt_json_kv_str(&b, "alpha2", m->alpha2, 0);
		bt_json_kv_str(&b, "name", m->name, 0);
		cli_json_kv_date(&b, "member_since", m->since, 0);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

static int members_text(const bt_member_list *l, bt_date as_of, bt_err *e)
{
	cli_table t;
	char since[BT_DATE_LEN], day[BT_DATE_LEN];
	int rc;

	cli_table_init(&t, 4);
	cli_table_add(&t, (const char *const[]){ "CODE", "A2", "NAME",
						 "MEMBER SINCE" });
	for (size_t i = 0; i < l->n; i++) {
		const bt_member *m = &l->v[i];
		if (m->since == BT_DATE_NONE)
			snprintf(since, sizeof since, "-");
		else
			bt_date_format(m->since, since);
		cli_table_add(&t, (const char *const[]){ m->code, m->alpha2,
							 m->name, since });
	}
	rc = cli_table_print(&t, "llll", stdout, e);
	cli_table_release(&t);
	bt_date_format(as_of, day);
	if (rc == BT_OK)
		printf("%zu Member States as of %s\n", l->n, day);
	return rc;
}

static int members_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_AS_OF, O_JSON };
	cli_opt opts[] = { CLI_OPT("as-of", CLI_ARG), CLI_OPT("json", CLI_FLAG),
			   CLI_OPT_END };
	bt_member_list l = { NULL, 0 };
	bt_date as_of;
	bt_time now;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (opts[O_AS_OF].count) {
		rc = bt_date_parse(opts[O_AS_OF].val, "as_of", &as_of, e);
	} else {
		rc = cli_now(ctx, &now, e);
		as_of = bt_time_date(now);
	}
	if (rc != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_members_list(db, as_of, &l, e);
	if (rc == BT_OK)
		rc = opts[O_JSON].count ? members_json(&l, e)
					: members_text(&l, as_of, e);
	bt_member_list_free(&l);
	return rc;
}

static int members_import(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("recode", CLI_MULTI), CLI_OPT_END };
	bt_member_import_stats st = { 0, 0, 0, 0 };
	bt_buf file = BT_BUF_INIT;
	bt_time now;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE_IMPORT, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos < 1)
		return bt_fail(e, BT_EINPUT, "members import: FILE is required");
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = cli_read_file("members import", ctx->pos[0],
				   MEMBERS_FILE_MAX, 0, &file, e);
	if (rc == BT_OK)
		rc = bt_members_import_recode(db, file.data, file.len, ctx->pos[0],
					      opts[0].vals, opts[0].n, cli_actor(ctx), now, &st, e);
	if (rc == BT_OK)
		printf("imported %s: %d added, %d renamed, %d recoded, %d unchanged\n",
		       ctx->pos[0], st.added, st.renamed, st.recoded, st.unchanged);
	bt_buf_release(&file);
	return rc;
}

/* `ballot members [--as-of DATE] [--json]` and `ballot members import FILE`. */
int cmd_members(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "import", members_import },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, members_list, e);
}
