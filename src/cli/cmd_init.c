/* cmd_init.c - `ballot init`: create the database and load the Member States. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define MEMBERS_FILE_MAX ((int64_t)16 * 1024 * 1024)

static const char USAGE[] =
	"usage: ballot init [--members FILE] [--key FILE]\n"
	"\n"
	"Creates the database (--db FILE, $BALLOT_DB or ./ballot.db) and loads the\n"
	"194 ITU Member States shipped with ballot, or those of FILE (a TSV with the\n"
	"header alpha3, alpha2, name, member_since). On an existing ballot database\n"
	"it changes nothing and says so. It also creates the secretariat's signing\n"
	"key (--key, $BALLOT_KEY, else the database path + .key) unless it exists;\n"
	"see ballot keys.\n";

/* Creates the signing key unless its file exists (then checks it loads);
 * *made when this run created it, its public half in *pub (the line that
 * says so waits for the database: a failed init removes the key). */
static int ensure_key(cli_ctx *ctx, const cli_opt *o, int *made, bt_pubkey *pub, bt_err *e)
{
	const char *path = cli_key_path(ctx, o);
	const bt_key *k;
	*made = 0;
	if (access(path, F_OK) == 0) {
		int rc = cli_load_key(ctx, o, &k, e);
		if (rc == BT_OK)
			printf("signing key %s kept (%s)\n", path, bt_key_public(k)->text);
		return rc;
	}
	int rc = bt_key_create(path, "key", pub, e);
	if (rc == BT_OK)
		*made = 1;
	else if (rc == BT_EINPUT && access(path, F_OK) == 0 && cli_load_key(ctx, o, &k, e) == BT_OK)
		rc = BT_OK; /* another init made it meanwhile: use that one */
	return rc;
}

/* The signing key, then the database: a refused key leaves no database
 * behind, and a database that cannot be made leaves no key (bt_db_init
 * removes what it made, this the key it made). */
static int init_key_and_db(cli_ctx *ctx, cli_opt *opts, const char *text, size_t len, bt_time now,
			   int *created, bt_err *e)
{
	const char *path = cli_db_path(ctx);
	int made;
	bt_pubkey pub;
	int rc = ensure_key(ctx, &opts[1], &made, &pub, e);
	if (rc != BT_OK)
		return rc;
	/* a damage mark left by a database that is gone is not this one's */
	if (access(path, F_OK) != 0 && errno == ENOENT)
		bt_damage_note(path, NULL);
	rc = bt_db_init(path, text, len, opts[0].count ? opts[0].val : "default list",
			cli_actor(ctx), now, created, e);
	if (rc != BT_OK && made)
		unlink(cli_key_path(ctx, &opts[1]));
	else if (made)
		printf("signing key %s created (%s; publish it with: ballot keys show)\n",
		       cli_key_path(ctx, &opts[1]), pub.text);
	return rc;
}

/* `ballot init [--members FILE] [--key FILE]`. */
int cmd_init(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("members", CLI_ARG), CLI_OPT("key", CLI_ARG), CLI_OPT_END };
	bt_buf file = BT_BUF_INIT;
	bt_member_list members = { NULL, 0 };
	const char *path = cli_db_path(ctx);
	const char *text = bt_member_states_tsv;
	size_t len = (size_t)(bt_member_states_tsv_end - bt_member_states_tsv);
	bt_time now;
	bt_db *db;
	int created = 0;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	path = cli_db_path(ctx); /* --db may follow the command */
	rc = cli_now(ctx, &now, e);
	if (rc != BT_OK)
		goto out;
	if (opts[0].count) {
		rc = cli_read_file("--members", opts[0].val, MEMBERS_FILE_MAX, 0,
				   &file, e);
		if (rc != BT_OK)
			goto out;
		text = file.data;
		len = file.len;
	}
	rc = init_key_and_db(ctx, opts, text, len, now, &created, e);
	if (rc != BT_OK)
		goto out;
	if (!created) {
		printf("%s is already a ballot database; nothing changed\n", path);
	} else {
		/* the database is made: a failure to count its members for this
		 * line does not undo that, and is said as a warning */
		bt_err ce;
		if (cli_open_db(ctx, 0, &db, &ce) == BT_OK && bt_members_list(db, BT_DATE_NONE, &members, &ce) == BT_OK) {
			printf("created %s with %zu Member States\n", path, members.n);
		} else {
			printf("created %s\n", path);
			char shown[sizeof ce.msg + 64];
			cli_err_render(&ce, shown, sizeof shown);
			fprintf(stderr, "warning: could not count its Member States: %s\n", shown);
		}
	}
out:
	bt_member_list_free(&members);
	bt_buf_release(&file);
	return rc;
}
