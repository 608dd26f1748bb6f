/* cmd_contacts.c - `ballot contacts import|list|set|remove`: each Member
 * State's contact addresses for ITU-T consultations (the mailroom, issue
 * 18). Each change is an event in the hash chain. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define CONTACTS_FILE_MAX ((int64_t)4 * 1024 * 1024)

static const char USAGE[] =
	"usage: ballot contacts import FILE\n"
	"       ballot contacts list [--member CODE] [--json]\n"
	"       ballot contacts set --member CODE --address A [--role to|cc] [--lang L] [--name N]\n"
	"       ballot contacts remove --member CODE --address A\n"
	"\n"
	"Each Member State's addresses for ITU-T consultations: a role (to or cc),\n"
	"the language of the messages sent there (ar zh en fr ru es) and a name.\n"
	"`ballot mail send` writes to them.\n";

static const char USAGE_IMPORT[] =
	"usage: ballot contacts import FILE\n"
	"\n"
	"Sets the contacts of FILE: one member<TAB>role<TAB>address<TAB>lang[<TAB>name]\n"
	"per line; blank lines and lines starting with '#' are ignored. All or\n"
	"nothing: a bad line is named (line and field) and nothing changes.\n"
	"Contacts already as given are left alone (and counted).\n";

static const char USAGE_LIST[] =
	"usage: ballot contacts list [--member CODE] [--json]\n"
	"\n"
	"Lists the contacts in force (of member CODE): member, role, address,\n"
	"language, name and the event that set it.\n";

static const char USAGE_SET[] =
	"usage: ballot contacts set --member CODE --address A [--role to|cc] [--lang L] [--name N]\n"
	"\n"
	"Adds the contact A of member CODE (--lang required; --role defaults to\n"
	"to), or changes its role, language or name.\n";

static const char USAGE_REMOVE[] =
	"usage: ballot contacts remove --member CODE --address A\n"
	"\n"
	"Removes the contact A of member CODE (its row is kept, marked removed).\n";

static int contacts_import(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_buf text = BT_BUF_INIT;
	bt_time now;
	bt_db *db;
	int changed = 0, unchanged = 0;
	int rc = cli_parse(ctx, argc, argv, USAGE_IMPORT, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "FILE: the file to import is required");
	if (!(rc = cli_read_file("FILE", ctx->pos[0], CONTACTS_FILE_MAX, 0, &text, e)) &&
	    !(rc = cli_open_db(ctx, 1, &db, e)) && !(rc = cli_now(ctx, &now, e)))
		rc = bt_contacts_import(db, text.data, text.len, cli_actor(ctx), now, &changed, &unchanged, e);
	bt_buf_release(&text);
	if (rc && !strcmp(e->field, "contacts_file")) { /* "FILE line 2": the file's own name */
		char line[sizeof e->msg + 256];
		cli_err_render(e, line, sizeof line);
		if (!strncmp(line, "FILE", 4))
			rc = bt_fail(e, rc, "%s%s", ctx->pos[0], line + 4);
	}
	if (rc)
		return rc;
	printf("imported %d contact%s from %s", changed, changed == 1 ? "" : "s", cli_basename(ctx->pos[0]));
	if (unchanged)
		printf(" (%d already as given)", unchanged);
	printf("\n");
	return BT_OK;
}

static int print_json(const bt_contact_list *l, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < l->n; i++) {
		const bt_contact *c = &l->v[i];
		bt_buf_addf(&b, "%s{", i ? "," : "");
		bt_json_kv_str(&b, "member", c->member, 1);
		bt_json_kv_str(&b, "role", c->role, 0);
		bt_json_kv_str(&b, "address", c->address, 0);
		bt_json_kv_str(&b, "lang", c->lang, 0);
		bt_json_kv_str(&b, "name", c->name, 0);
		bt_json_kv_int(&b, "event", c->seq, 0);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	int rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

static int print_table(const bt_contact_list *l, bt_err *e)
{
	cli_table t;
	cli_table_init(&t, 6);
	cli_table_add(&t, (const char *const[]){ "MEMBER", "ROLE", "ADDRESS", "LANG", "NAME", "EVENT" });
	for (size_t i = 0; i < l->n; i++) {
		char ev[24];
		snprintf(ev, sizeof ev, "%lld", (long long)l->v[i].seq);
		cli_table_add(&t, (const char *const[]){ l->v[i].member, l->v[i].role, l->v[i].address,
							 l->v[i].lang, l->v[i].name, ev });
	}
	int rc = cli_table_print(&t, "llllll", stdout, e);
	cli_table_release(&t);
	return rc;
}

static int contacts_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_MEMBER, O_JSON };
	cli_opt opts[] = { CLI_OPT("member", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_contact_list l = { NULL, 0 };
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)))
		return rc;
	rc = bt_contacts_list(db, opts[O_MEMBER].count ? opts[O_MEMBER].val : NULL, &l, e);
	cli_member_hint(db, opts[O_MEMBER].val, rc, e);
	if (rc)
		return rc;
	if (opts[O_JSON].count)
		rc = print_json(&l, e);
	else if (l.n == 0)
		printf("no contacts\n");
	else
		rc = print_table(&l, e);
	bt_contact_list_free(&l);
	return rc;
}

static int contacts_set(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_MEMBER, O_ADDRESS, O_ROLE, O_LANG, O_NAME };
	cli_opt opts[] = { CLI_OPT("member", CLI_ARG), CLI_OPT("address", CLI_ARG), CLI_OPT("role", CLI_ARG),
			   CLI_OPT("lang", CLI_ARG),   CLI_OPT("name", CLI_ARG),    CLI_OPT_END };
	bt_time now;
	bt_db *db;
	int changed = 0;
	int rc = cli_parse(ctx, argc, argv, USAGE_SET, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_MEMBER], e)) || (rc = cli_require(&opts[O_ADDRESS], e)) ||
	    (rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)))
		return rc;
	rc = bt_contact_set(db, opts[O_MEMBER].val, opts[O_ADDRESS].val,
			    opts[O_ROLE].count ? opts[O_ROLE].val : NULL, opts[O_LANG].count ? opts[O_LANG].val : NULL,
			    opts[O_NAME].count ? opts[O_NAME].val : NULL, cli_actor(ctx), now, &changed, e);
	cli_member_hint(db, opts[O_MEMBER].val, rc, e);
	if (rc)
		return rc;
	printf("%s contact %s of %s\n", changed ? "set" : "unchanged:", opts[O_ADDRESS].val, opts[O_MEMBER].val);
	return BT_OK;
}

static int contacts_remove(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("member", CLI_ARG), CLI_OPT("address", CLI_ARG), CLI_OPT_END };
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_REMOVE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) || (rc = cli_require(&opts[1], e)) ||
	    (rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)))
		return rc;
	rc = bt_contact_remove(db, opts[0].val, opts[1].val, cli_actor(ctx), now, e);
	cli_member_hint(db, opts[0].val, rc, e);
	if (rc)
		return rc;
	printf("removed contact %s of %s\n", opts[1].val, opts[0].val);
	return BT_OK;
}

/* `ballot contacts import|list|set|remove ...`. */
int cmd_contacts(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "import", contacts_import },
					{ "list", contacts_list },
					{ "set", contacts_set },
					{ "remove", contacts_remove },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
