/* cmd_certs.c - `ballot certs issue|revoke|list`: client certificates that
 * sign in to the portal, registered by their SHA-256 fingerprint. */
#include "cli.h"

#include <string.h>
#include <unistd.h>

#include "x509.h"

static const char USAGE[] =
	"usage: ballot certs issue (--member CODE | --user NAME) --ca DIR [--out DIR]\n"
	"       ballot certs revoke --fingerprint HEX\n"
	"       ballot certs list [--json]\n"
	"\n"
	"Client certificates sign in to the portal: a member's for every\n"
	"consultation of that member, an account's as that account.\n";

static const char USAGE_ISSUE[] =
	"usage: ballot certs issue (--member CODE | --user NAME) --ca DIR [--out DIR]\n"
	"\n"
	"Makes an ECDSA P-256 key and a client certificate (CN the member's alpha-3\n"
	"code or the user name, one year from now by the real clock) signed by\n"
	"DIR/ca.pem with DIR/ca-key.pem, writes client-NAME.pem and\n"
	"client-NAME-key.pem (mode 0600) in --out (default: the CA's directory) and\n"
	"registers the certificate's SHA-256 fingerprint.\n";

static const char USAGE_REVOKE[] =
	"usage: ballot certs revoke --fingerprint HEX\n"
	"\n"
	"Revokes a registered client certificate (64 hex digits, as certs list\n"
	"shows); it no longer signs in.\n";

static const char USAGE_LIST[] =
	"usage: ballot certs list [--json]\n"
	"\n"
	"Lists the registered client certificates: fingerprint, who, valid until,\n"
	"registered, revoked. --json: an array of {\"fingerprint\", \"member\",\n"
	"\"user\" (one of them null), \"not_after\", \"registered\", \"revoked\" (when,\n"
	"or null)}.\n";

/* 1 when name is an account of db. */
static int user_exists(bt_db *db, const char *name, int *yes, bt_err *e)
{
	bt_user_list l;
	int rc = bt_users_list(db, &l, e);
	*yes = 0;
	for (size_t i = 0; rc == BT_OK && i < l.n; i++)
		*yes |= strcmp(l.v[i].name, name) == 0;
	bt_user_list_free(&l);
	return rc;
}

static int certs_issue(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_MEMBER, O_USER, O_CA, O_OUT };
	cli_opt opts[] = { CLI_OPT("member", CLI_ARG), CLI_OPT("user", CLI_ARG), CLI_OPT("ca", CLI_ARG),
			   CLI_OPT("out", CLI_ARG), CLI_OPT_END };
	char who[BT_USER_MAX + 1] = "", base[BT_USER_MAX + 16];
	x509_ca ca = { NULL, NULL };
	x509_out o;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_ISSUE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (!opts[O_MEMBER].count == !opts[O_USER].count)
		return bt_fail(e, BT_EINPUT, "certs issue: give --member CODE or --user NAME (one of them)");
	if ((rc = cli_require(&opts[O_CA], e)))
		return rc;
	const char *out = opts[O_OUT].count ? opts[O_OUT].val : opts[O_CA].val;
	if (!*out || strlen(out) > CLI_OUT_PATH_MAX)
		return bt_fail(e, BT_EINPUT, "--out: the directory name is empty or longer than %d bytes",
			       CLI_OUT_PATH_MAX);
	if ((rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)))
		return rc;
	if (opts[O_MEMBER].count) {
		if ((rc = cli_member_resolve(db, "member", opts[O_MEMBER].val, who, e)))
			return rc;
	} else {
		int yes;
		if ((rc = user_exists(db, opts[O_USER].val, &yes, e)))
			return rc;
		if (!yes)
			return bt_fail(e, BT_EINPUT, "--user: no account '%s' (ballot users list)",
				       opts[O_USER].val);
		snprintf(who, sizeof who, "%s", opts[O_USER].val);
	}
	if ((rc = x509_ca_load(opts[O_CA].val, "--ca", &ca, e)) || (rc = bt_dir_make(out, "out", e)))
		goto done;
	snprintf(base, sizeof base, "client-%s", who);
	if ((rc = x509_make(X509_CLIENT, who, &ca, NULL, &o, e)))
		goto done;
	rc = x509_write(out, base, &o, "--out", e);
	if (rc == BT_OK) {
		rc = bt_cert_register(db, o.fp, opts[O_MEMBER].count ? who : NULL,
				      opts[O_USER].count ? who : NULL, o.not_after, cli_actor(ctx), now, e);
		if (rc) { /* not registered: no files either */
			char path[4200];
			snprintf(path, sizeof path, "%s/%s.pem", out, base);
			unlink(path);
			snprintf(path, sizeof path, "%s/%s-key.pem", out, base);
			unlink(path);
		}
	}
	if (rc == BT_OK) {
		char t[BT_TIME_LEN];
		bt_time_format(o.not_after, t);
		printf("issued client certificate %s for %s, valid until %s: %s/%s.pem, %s/%s-key.pem\n",
		       o.fp, who, t, out, base, out, base);
	}
	x509_out_free(&o);
done:
	x509_ca_free(&ca);
	return rc;
}

static int certs_revoke(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("fingerprint", CLI_ARG), CLI_OPT_END };
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_REVOKE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) || (rc = cli_open_db(ctx, 1, &db, e)) ||
	    (rc = cli_now(ctx, &now, e)) ||
	    (rc = bt_cert_revoke(db, opts[0].val, cli_actor(ctx), now, e)))
		return rc;
	printf("revoked client certificate %s\n", opts[0].val);
	return BT_OK;
}

static int certs_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_cert_list l = { NULL, 0 };
	cli_table t;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)) || (rc = bt_certs_list(db, &l, e)))
		return rc;
	if (opts[0].count) {
		bt_buf b = BT_BUF_INIT;
		bt_buf_addc(&b, '[');
		for (size_t i = 0; i < l.n; i++) {
			const bt_cert_info *c = &l.v[i];
			bt_buf_adds(&b, i ? ",{" : "{");
			bt_json_kv_str(&b, "fingerprint", c->fp, 1);
			bt_json_key(&b, "member", 0);
			cli_json_str_or_null(&b, c->member);
			bt_json_key(&b, "user", 0);
			cli_json_str_or_null(&b, c->user);
			cli_json_kv_time(&b, "not_after", c->not_after, 0);
			cli_json_kv_time(&b, "registered", c->registered_at, 0);
			if (c->revoked)
				cli_json_kv_time(&b, "revoked", c->revoked_at, 0);
			else
				bt_json_kv_null(&b, "revoked", 0);
			bt_buf_addc(&b, '}');
		}
		bt_buf_addc(&b, ']');
		rc = cli_print_json(&b, e);
		bt_buf_release(&b);
		bt_cert_list_free(&l);
		return rc;
	}
	cli_table_init(&t, 5);
	cli_table_add(&t, (const char *const[]){ "FINGERPRINT", "FOR", "NOT-AFTER", "REGISTERED",
						 "REVOKED" });
	for (size_t i = 0; i < l.n; i++) {
		char na[BT_TIME_LEN], rg[BT_TIME_LEN], rv[BT_TIME_LEN], who[BT_USER_MAX + 8];
		bt_time_format(l.v[i].not_after, na);
		bt_time_format(l.v[i].registered_at, rg);
		bt_time_format(l.v[i].revoked_at, rv);
		if (l.v[i].member[0])
			snprintf(who, sizeof who, "member:%s", l.v[i].member);
		else
			snprintf(who, sizeof who, "user:%s", l.v[i].user);
		cli_table_add(&t, (const char *const[]){ l.v[i].fp, who, na, rg,
			      l.v[i].revoked ? rv : NULL });
	}
	rc = cli_table_print(&t, "lllll", stdout, e);
	cli_table_release(&t);
	bt_cert_list_free(&l);
	return rc;
}

/* `ballot certs issue|revoke|list`. */
int cmd_certs(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "issue", certs_issue }, { "revoke", certs_revoke },
					{ "list", certs_list }, { NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
