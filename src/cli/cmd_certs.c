/* cmd_certs.c - `ballot certs issue|add|revoke|list`: client certificates
 * that sign in to the portal, registered by their SHA-256 fingerprint, and
 * the certificates administrations sign their returned forms with. */
#include "cli.h"

#include <string.h>
#include <unistd.h>

#include "x509.h"
#include "ballot/signcert.h"

static const char USAGE[] =
	"usage: ballot certs issue (--member CODE | --user NAME) --ca DIR [--out DIR]\n"
	"       ballot certs add --member CODE --signing FILE\n"
	"       ballot certs revoke --fingerprint HEX\n"
	"       ballot certs list [--json]\n"
	"\n"
	"Client certificates sign in to the portal: a member's for every\n"
	"consultation of that member, an account's as that account. Signing\n"
	"certificates (certs add --signing) verify who signed a returned PDF form.\n";

static const char USAGE_ADD[] =
	"usage: ballot certs add --member CODE --signing FILE\n"
	"\n"
	"Registers the X.509 certificate in FILE (PEM or DER; a CA's or the\n"
	"signer's own) as one the administration CODE signs its returned forms\n"
	"with: a reply read from a signed PDF form has its signer verified\n"
	"against the member's registered signing certificates (its chain, at the\n"
	"time the reply was received). Prints the certificate's SHA-256, for\n"
	"certs revoke.\n";

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
	"shows); it no longer signs in. A signing certificate revoked no longer\n"
	"verifies the signers of forms recorded from then on.\n";

static const char USAGE_LIST[] =
	"usage: ballot certs list [--json]\n"
	"\n"
	"Lists the registered certificates: fingerprint, who, valid until,\n"
	"registered, revoked, purpose (client: signs in to the portal; signing:\n"
	"verifies signed forms, with its subject). --json: an array of\n"
	"{\"fingerprint\", \"member\", \"user\" (one of them null), \"not_after\",\n"
	"\"registered\", \"revoked\" (when, or null), \"purpose\"}, signing ones\n"
	"also with \"subject\" and \"ca\".\n";

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

/* Whom certs issue makes a certificate for, into who: --member CODE (the
 * member resolved) or --user NAME (an account that exists). */
static int issue_who(bt_db *db, const cli_opt *o_member, const cli_opt *o_user, char *who, size_t cap, bt_err *e)
{
	if (o_member->count)
		return cli_member_resolve(db, "member", o_member->val, who, e);
	int yes, rc;
	if ((rc = user_exists(db, o_user->val, &yes, e)))
		return rc;
	if (!yes)
		return bt_fail(e, BT_EINPUT, "--user: no account '%s' (ballot users list)", o_user->val);
	snprintf(who, cap, "%s", o_user->val);
	return BT_OK;
}

/* who's client certificate made with ca, written into out as
 * client-<who>.pem and -key.pem, and registered for the member (member
 * set) or the account; the files taken back when it cannot be registered. */
static int issue_write(cli_ctx *ctx, bt_db *db, const x509_ca *ca, const char *out, const char *who, int member,
		       bt_time now, bt_err *e)
{
	char base[BT_USER_MAX + 16];
	x509_out o;
	snprintf(base, sizeof base, "client-%s", who);
	int rc = x509_make(X509_CLIENT, who, ca, NULL, &o, e);
	if (rc)
		return rc;
	rc = x509_write(out, base, &o, "--out", e);
	if (rc == BT_OK) {
		rc = bt_cert_register(db, o.fp, member ? who : NULL, member ? NULL : who, o.not_after, cli_actor(ctx),
				      now, e);
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
	return rc;
}

static int certs_issue(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_MEMBER, O_USER, O_CA, O_OUT };
	cli_opt opts[] = { CLI_OPT("member", CLI_ARG), CLI_OPT("user", CLI_ARG), CLI_OPT("ca", CLI_ARG),
			   CLI_OPT("out", CLI_ARG), CLI_OPT_END };
	char who[BT_USER_MAX + 1] = "";
	x509_ca ca = { NULL, NULL };
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
	if ((rc = issue_who(db, &opts[O_MEMBER], &opts[O_USER], who, sizeof who, e)))
		return rc;
	if ((rc = x509_ca_load(opts[O_CA].val, "--ca", &ca, e)) == BT_OK && (rc = bt_dir_make(out, "out", e)) == BT_OK)
		rc = issue_write(ctx, db, &ca, out, who, opts[O_MEMBER].count > 0, now, e);
	x509_ca_free(&ca);
	return rc;
}

static int certs_add(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_MEMBER, O_SIGNING };
	cli_opt opts[] = { CLI_OPT("member", CLI_ARG), CLI_OPT("signing", CLI_ARG), CLI_OPT_END };
	char code[4], sha[65];
	bt_buf der = BT_BUF_INIT;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_ADD, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_MEMBER], e)) || (rc = cli_require(&opts[O_SIGNING], e)) ||
	    (rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)) ||
	    (rc = cli_member_resolve(db, "member", opts[O_MEMBER].val, code, e)) ||
	    (rc = cli_read_file("--signing", opts[O_SIGNING].val, 1 << 20, 0, &der, e)))
		goto done;
	rc = bt_signing_cert_add(db, code, der.data, der.len, cli_actor(ctx), now, sha, e);
	if (rc == BT_EINPUT && !strcmp(e->field, "certificate")) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg + strlen("certificate: "));
		rc = bt_fail(e, rc, "--signing %s: %s", opts[O_SIGNING].val, msg);
	}
	if (rc == BT_OK)
		printf("registered signing certificate %s for %s\n", sha, code);
done:
	bt_buf_release(&der);
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
	    (rc = cli_now(ctx, &now, e)))
		return rc;
	int signing = bt_signing_cert_known(db, opts[0].val);
	rc = signing ? bt_signing_cert_revoke(db, opts[0].val, cli_actor(ctx), now, e) :
		bt_cert_revoke(db, opts[0].val, cli_actor(ctx), now, e);
	if (rc == BT_OK)
		printf("revoked %s certificate %s\n", signing ? "signing" : "client", opts[0].val);
	return rc;
}

/* The certificates as JSON: the client ones as before, then the signing
 * ones with their purpose, subject and whether a CA's. */
static int certs_json(const bt_cert_list *l, const bt_signing_cert_list *sl, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < l->n + sl->n; i++) {
		const bt_cert_info *c = i < l->n ? &l->v[i] : NULL;
		const bt_signing_cert_info *g = c ? NULL : &sl->v[i - l->n];
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_str(&b, "fingerprint", c ? c->fp : g->sha256, 1);
		bt_json_key(&b, "member", 0);
		cli_json_str_or_null(&b, c ? c->member : g->member);
		bt_json_key(&b, "user", 0);
		cli_json_str_or_null(&b, c ? c->user : "");
		cli_json_kv_time(&b, "not_after", c ? c->not_after : g->not_after, 0);
		cli_json_kv_time(&b, "registered", c ? c->registered_at : g->registered_at, 0);
		if (c ? c->revoked : g->revoked)
			cli_json_kv_time(&b, "revoked", c ? c->revoked_at : g->revoked_at, 0);
		else
			bt_json_kv_null(&b, "revoked", 0);
		if (g) {
			bt_json_kv_str(&b, "purpose", "signing", 0);
			bt_json_kv_str(&b, "subject", g->subject, 0);
			bt_json_kv_bool(&b, "ca", g->is_ca, 0);
		}
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	int rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

/* Adds one row: fingerprint, who, not after, registered, purpose, subject,
 * revoked. */
static void certs_row(cli_table *t, const char *fp, const char *who, bt_time not_after,
		      bt_time registered, const char *purpose, const char *subject, int revoked,
		      bt_time revoked_at)
{
	char na[BT_TIME_LEN], rg[BT_TIME_LEN], rv[BT_TIME_LEN];
	bt_time_format(not_after, na);
	bt_time_format(registered, rg);
	bt_time_format(revoked_at, rv);
	cli_table_add(t, (const char *const[]){ fp, who, na, rg, purpose, subject,
		      revoked ? rv : NULL });
}

static int certs_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_cert_list l = { NULL, 0 };
	bt_signing_cert_list sl = { NULL, 0 };
	cli_table t;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)) || (rc = bt_certs_list(db, &l, e)) ||
	    (rc = bt_signing_certs_list(db, &sl, e)) || opts[0].count) {
		rc = rc ? rc : certs_json(&l, &sl, e);
		goto done;
	}
	cli_table_init(&t, 7);
	cli_table_add(&t, (const char *const[]){ "FINGERPRINT", "FOR", "NOT-AFTER", "REGISTERED",
						 "PURPOSE", "SUBJECT", "REVOKED" });
	for (size_t i = 0; i < l.n; i++) {
		char who[BT_USER_MAX + 8];
		if (l.v[i].member[0])
			snprintf(who, sizeof who, "member:%s", l.v[i].member);
		else
			snprintf(who, sizeof who, "user:%s", l.v[i].user);
		certs_row(&t, l.v[i].fp, who, l.v[i].not_after, l.v[i].registered_at, "client", NULL,
			  l.v[i].revoked, l.v[i].revoked_at);
	}
	for (size_t i = 0; i < sl.n; i++) {
		char who[16];
		snprintf(who, sizeof who, "member:%s", sl.v[i].member);
		certs_row(&t, sl.v[i].sha256, who, sl.v[i].not_after, sl.v[i].registered_at,
			  sl.v[i].is_ca ? "signing-ca" : "signing", sl.v[i].subject, sl.v[i].revoked,
			  sl.v[i].revoked_at);
	}
	rc = cli_table_print(&t, "lllllll", stdout, e);
	cli_table_release(&t);
done:
	bt_cert_list_free(&l);
	bt_signing_cert_list_free(&sl);
	return rc;
}

/* `ballot certs issue|add|revoke|list`. */
int cmd_certs(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "issue", certs_issue }, { "add", certs_add },
					{ "revoke", certs_revoke },
					{ "list", certs_list }, { NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
