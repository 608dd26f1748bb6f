/* cmd_config.c - `ballot config`: show the settings kept in the database;
 * `ballot config set KEY VALUE`: change one. */
#include "cli.h"

#include <inttypes.h>
#include <sys/stat.h>

static const char USAGE[] =
	"usage: ballot config\n"
	"       ballot config set KEY VALUE\n"
	"       ballot config show [--json]\n"
	"\n"
	"Shows the settings kept in the database, one \"key value\" per line, or\n"
	"changes one (config show: every setting of a run, see below). Keys:\n"
	"  attachment_max   largest attachment accepted, in bytes (default\n"
	"                   20971520, 20 MiB)\n"
	"  quota_bytes      bytes of attachments one member's replies in one\n"
	"                   consultation may hold, superseded ones included\n"
	"                   (default 104857600, 100 MiB)\n"
	"  replies_per_hour replies (and withdrawals) one member may record in\n"
	"                   one consultation in an hour, never fewer than it has\n"
	"                   drafts (default 30)\n"
	"  mail_receipts    1: each reply or withdrawal of a member with a\n"
	"                   contact queues its signed receipt in the outbox, in\n"
	"                   the reply's transaction (one per submission);\n"
	"                   `ballot serve` (with a relay) or `ballot mail run`\n"
	"                   sends it (default 0: off)\n"
	"Over a quota the portal answers 413 or 429 and `ballot reply` exits 2;\n"
	"the secretariat records such a reply with `ballot reply --force`.\n";

static const char USAGE_SET[] =
	"usage: ballot config set KEY VALUE\n"
	"\n"
	"Changes a setting (an event in the log), e.g. ballot config set\n"
	"attachment_max 1048576; keys: attachment_max, quota_bytes,\n"
	"replies_per_hour, mail_receipts (see ballot config --help).\n";

static const char USAGE_SHOW[] =
	"usage: ballot config show [--json]\n"
	"\n"
	"Prints every effective setting of this machine's runs and where it came\n"
	"from: a flag (--db), the environment (BALLOT_DB, BALLOT_KEY, BALLOT_FORMS,\n"
	"BALLOT_FONTS), the configuration file (FILE:LINE) or the default. The file\n"
	"is --config FILE, else $BALLOT_CONFIG, else /etc/ballot/ballot.conf when\n"
	"it exists; its keys: database, sign_key, forms_dir, fonts_dir, listen,\n"
	"tls_cert, tls_key, tls_client_ca, threads, portal_url. A flag beats the\n"
	"environment, which beats the file, which beats the default. Then,\n"
	"separately, the settings kept in the database itself (config set), which\n"
	"belong to the data: database or default. --json: {\"file\", \"values\":\n"
	"[{\"key\", \"value\", \"source\", \"where\"}], \"database\",\n"
	"\"database_settings\": [{\"key\", \"value\", \"source\"}] or null when there is\n"
	"no database yet}.\n";

static const struct {
	const char *key;
	int64_t dflt;
} db_settings[] = {
	{ "attachment_max", BT_ATTACHMENT_MAX_DEFAULT },
	{ "quota_bytes", BT_QUOTA_BYTES_DEFAULT },
	{ "replies_per_hour", BT_REPLIES_PER_HOUR_DEFAULT },
	{ "mail_receipts", 0 },
};
#define NDB_SETTINGS (sizeof db_settings / sizeof db_settings[0])

/* `ballot config show [--json]`: the run's settings and the database's. */
/* `config show --json`: the file, each key's value and source, the database
 * and its settings (null without a database). */
static int config_show_json(cli_ctx *ctx, bt_db *db, const char *dbp, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	int rc;

	bt_buf_addc(&b, '{');
	bt_json_key(&b, "file", 1);
	cli_json_str_or_null(&b, cli_conf_path(ctx));
	bt_json_key(&b, "values", 0);
	bt_buf_addc(&b, '[');
	for (int k = 0; k < CONF_NKEYS; k++) {
		cli_value v;
		cli_conf_value(ctx, k, NULL, &v);
		bt_buf_adds(&b, k ? ",{" : "{");
		bt_json_kv_str(&b, "key", cli_conf_key_name(k), 1);
		bt_json_key(&b, "value", 0);
		cli_json_str_or_null(&b, v.value);
		bt_json_kv_str(&b, "source", v.kind, 0);
		bt_json_key(&b, "where", 0);
		cli_json_str_or_null(&b, v.where);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	bt_json_kv_str(&b, "database", dbp, 0);
	bt_json_key(&b, "database_settings", 0);
	bt_buf_adds(&b, db ? "[" : "null");
	for (size_t i = 0; db && i < NDB_SETTINGS; i++) {
		int set = bt_setting_int(db, db_settings[i].key, -1) != -1;
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_str(&b, "key", db_settings[i].key, 1);
		bt_json_kv_int(&b, "value",
			       bt_setting_int(db, db_settings[i].key, db_settings[i].dflt), 0);
		bt_json_kv_str(&b, "source", set ? "database" : "default", 0);
		bt_buf_addc(&b, '}');
	}
	if (db)
		bt_buf_addc(&b, ']');
	bt_buf_addc(&b, '}');
	rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

/* `config show`: the file, a table of the keys, then the database's
 * settings. */
static int config_show_text(cli_ctx *ctx, bt_db *db, const char *dbp, bt_err *e)
{
	const char *file = cli_conf_path(ctx);
	cli_table t;
	int rc;

	printf("configuration file: %s\n", *file ? file : "none");
	cli_table_init(&t, 3);
	for (int k = 0; k < CONF_NKEYS; k++) {
		cli_value v;
		cli_conf_value(ctx, k, NULL, &v);
		cli_table_add(&t, (const char *const[]){ cli_conf_key_name(k), v.value, v.source });
	}
	rc = cli_table_print(&t, "lll", stdout, e);
	cli_table_release(&t);
	if (!db)
		printf("\nsettings kept in the database: none, there is no database at %s yet\n", dbp);
	else
		printf("\nsettings kept in the database %s (ballot config set; they belong to the data):\n", dbp);
	cli_table_init(&t, 3);
	for (size_t i = 0; db && i < NDB_SETTINGS; i++) {
		int set = bt_setting_int(db, db_settings[i].key, -1) != -1;
		int64_t v = bt_setting_int(db, db_settings[i].key, db_settings[i].dflt);
		char num[32];
		snprintf(num, sizeof num, "%" PRId64, v);
		cli_table_add(&t, (const char *const[]){ db_settings[i].key, num,
			      set ? "database" : "default" });
	}
	if (db && rc == BT_OK)
		rc = cli_table_print(&t, "lrl", stdout, e);
	cli_table_release(&t);
	return rc;
}

static int config_show_all(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	int rc = cli_parse(ctx, argc, argv, USAGE_SHOW, opts, 0, e);
	const char *dbp;
	struct stat st;
	bt_db *db = NULL;

	if (rc != BT_OK || ctx->help)
		return rc;
	dbp = cli_db_path(ctx);
	if (stat(dbp, &st) == 0 && (rc = cli_open_db(ctx, 0, &db, e)))
		return rc;
	if (opts[0].count > 0)
		return config_show_json(ctx, db, dbp, e);
	return config_show_text(ctx, db, dbp, e);
}

static int config_show(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc != BT_OK)
		return rc;
	printf("attachment_max %" PRId64 "\n",
	       bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT));
	printf("quota_bytes %" PRId64 "\n", bt_setting_int(db, "quota_bytes", BT_QUOTA_BYTES_DEFAULT));
	printf("replies_per_hour %" PRId64 "\n",
	       bt_setting_int(db, "replies_per_hour", BT_REPLIES_PER_HOUR_DEFAULT));
	printf("mail_receipts %" PRId64 "\n", bt_setting_int(db, "mail_receipts", 0));
	return BT_OK;
}

static int config_set(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT_END };
	bt_time now;
	bt_db *db;
	int rc;

	ctx->posix_order = 1; /* a VALUE like -5 is a value, not an option */
	rc = cli_parse(ctx, argc, argv, USAGE_SET, opts, 2, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos < 2)
		return bt_fail(e, BT_EINPUT, "config set: KEY and VALUE are required");
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = bt_setting_set(db, ctx->pos[0], ctx->pos[1], cli_actor(ctx),
				    now, e);
	if (rc == BT_OK)
		printf("%s set to %s\n", ctx->pos[0], ctx->pos[1]);
	return rc;
}

/* `ballot config` (the database's settings, as before), `ballot config set
 * KEY VALUE` and `ballot config show [--json]`. */
int cmd_config(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "set", config_set }, { "show", config_show_all },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, config_show, e);
}
