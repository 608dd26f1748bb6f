/* cmd_users.c - `ballot users add|list|disable|enable|password`: the staff
 * accounts of the portal (secretariat, study group chairs). Passwords never
 * come from argv. */
#include "cli.h"

#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "x509.h"

static const char USAGE[] =
	"usage: ballot users add --name NAME --role secretariat|chair [--group N]\n"
	"                        [--password-file FILE | --cert FILE]\n"
	"       ballot users list [--json]\n"
	"       ballot users disable --name NAME\n"
	"       ballot users enable --name NAME\n"
	"       ballot users password --name NAME [--password-file FILE]\n"
	"       ballot users history [--name NAME]\n"
	"\n"
	"Staff accounts of the portal. The password comes from the first line of\n"
	"--password-file or, without it and --cert, of standard input; with --cert\n"
	"the account signs in only with that client certificate (registered now).\n"
	"Disabling, enabling and a new password are events in the log; the\n"
	"account's portal sessions end at their next request.\n";

static const char USAGE_DISABLE[] =
	"usage: ballot users disable --name NAME\n"
	"       ballot users enable --name NAME\n"
	"\n"
	"Disables an account: it no longer signs in, with its password or its\n"
	"client certificates, and its open portal sessions end at their next\n"
	"request. enable lets it sign in again. Each is an event in the log.\n";

static const char USAGE_PASSWORD[] =
	"usage: ballot users password --name NAME [--password-file FILE]\n"
	"\n"
	"Gives an account a new password (12 to 256 bytes), the first line of\n"
	"--password-file or of standard input. The sessions signed in with the\n"
	"old password end at their next request. An event in the log (without the\n"
	"password). A certificate-only account has no password to change.\n";

static const char USAGE_ADD[] =
	"usage: ballot users add --name NAME --role secretariat|chair [--group N]\n"
	"                        [--password-file FILE | --cert FILE]\n"
	"\n"
	"Adds a staff account. NAME: 1-64 of a-z 0-9 . _ -, starting with a letter.\n"
	"A chair needs --group (its study group, 1-99). The password (12 to 256\n"
	"bytes) is the first line of --password-file or of standard input; it is\n"
	"kept only as a PBKDF2-HMAC-SHA256 hash (600000 rounds). With --cert FILE\n"
	"(PEM or DER) the account has no password and signs in with that client\n"
	"certificate, registered by its SHA-256 fingerprint.\n";

static const char USAGE_LIST[] =
	"usage: ballot users list [--json]\n"
	"\n"
	"Lists the accounts: name, role, study group, how they sign in, created.\n"
	"--json: an array of {\"name\", \"role\", \"group\" (null but for a chair),\n"
	"\"sign_in\" (password, certificate or disabled), \"password\", \"created\",\n"
	"\"disabled\" (when, or null)}.\n";

/* The first line of text (without its line end) into pw (cap bytes). */
static int first_line(const char *text, size_t len, char *pw, size_t cap, const char *what,
		      bt_err *e)
{
	size_t n = 0;
	while (n < len && text[n] != '\n')
		n++;
	if (n && text[n - 1] == '\r')
		n--;
	if (n == 0)
		return bt_fail(e, BT_EINPUT, "%s: the first line is empty; it must hold the password",
			       what);
	if (n >= cap)
		return bt_fail(e, BT_EINPUT, "password: longer than %d bytes", BT_PASSWORD_MAX);
	memcpy(pw, text, n);
	pw[n] = '\0';
	return BT_OK;
}

/* The password from standard input; on a terminal, asked without echo. */
static int password_stdin(char *pw, size_t cap, bt_err *e)
{
	char buf[BT_PASSWORD_MAX + 4];
	size_t n = 0;
	struct termios old, quiet;
	int tty = isatty(0) && tcgetattr(0, &old) == 0;
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fputs("password: ", stderr);
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	while (n < sizeof buf) {
		ssize_t r = read(0, buf + n, 1);
		if (r <= 0 || buf[n] == '\n') {
			n += r > 0;
			break;
		}
		n++;
	}
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	int rc = first_line(buf, n, pw, cap, "standard input", e);
	memset(buf, 0, sizeof buf);
	return rc;
}

/* The password from the first line of --password-file (pwfile, when given)
 * or of standard input, into pw (cap bytes); the file's bytes are wiped. */
static int password_read(const cli_opt *pwfile, char *pw, size_t cap, bt_err *e)
{
	if (!pwfile->count)
		return password_stdin(pw, cap, e);
	bt_buf b = BT_BUF_INIT;
	int rc = cli_read_file("--password-file", pwfile->val, 64 * 1024, 0, &b, e);
	if (rc == BT_OK)
		rc = first_line(b.data, b.len, pw, cap, "--password-file", e);
	if (b.data)
		memset(b.data, 0, b.len);
	bt_buf_release(&b);
	return rc;
}

/* users add's --role (secretariat or chair) and --group (1-99; a chair
 * needs one). */
static int role_options(const cli_opt *o_role, const cli_opt *o_group, bt_role *role, long long *group, bt_err *e)
{
	*role = bt_role_parse(o_role->val);
	if (*role == BT_ROLE_NONE)
		return bt_fail(e, BT_EINPUT, "--role: '%s' is not secretariat or chair", o_role->val);
	int rc;
	if (o_group->count && (rc = cli_parse_int("--group", o_group->val, 1, 99, group, e)))
		return rc;
	if (*role == BT_ROLE_CHAIR && !o_group->count)
		return bt_fail(e, BT_EINPUT, "--group: a chair needs its study group (--group N)");
	return BT_OK;
}

/* The account added, on stdout: its role, a chair's group, and how it
 * signs in (cert_fp: its certificate's fingerprint, or NULL: a password). */
static void users_add_said(const char *name, bt_role role, long long group, const char *cert_fp)
{
	printf("added account %s (%s", name, bt_role_name(role));
	if (role == BT_ROLE_CHAIR)
		printf(", study group %lld", group);
	if (cert_fp)
		printf("; signs in with certificate %s)\n", cert_fp);
	else
		printf("; signs in with a password)\n");
}

/* The certificate file path of a new account (--cert): its SHA-256 into
 * fp[65] and its end of validity; refused when it has expired at now or is
 * registered already (naming for whom). Checked before the account is
 * added, so a refusal changes nothing. */
static int cert_new_check(bt_db *db, const char *path, bt_time now, char *fp, bt_time *not_after, bt_err *e)
{
	char cn[128];
	bt_cert_list certs;
	int rc = x509_cert_file(path, "--cert", fp, not_after, cn, sizeof cn, e);
	if (rc)
		return rc;
	if (*not_after <= now) {
		char t[BT_TIME_LEN];
		bt_time_format(*not_after, t);
		return bt_fail(e, BT_EINPUT, "--cert: '%s' expired on %s", path, t);
	}
	if ((rc = bt_certs_list(db, &certs, e)))
		return rc;
	for (size_t i = 0; i < certs.n && !rc; i++)
		if (strcmp(certs.v[i].fp, fp) == 0)
			rc = bt_fail(e, BT_EINPUT, "--cert: '%s' is registered already (%s), for %s%s%s%s", path, fp,
				     certs.v[i].user[0] ? "account '" : "member ", certs.v[i].user, certs.v[i].member,
				     certs.v[i].user[0] ? "'" : "");
	bt_cert_list_free(&certs);
	return rc;
}

static int users_add(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_NAME, O_ROLE, O_GROUP, O_PWFILE, O_CERT };
	cli_opt opts[] = { CLI_OPT("name", CLI_ARG), CLI_OPT("role", CLI_ARG),
			   CLI_OPT("group", CLI_ARG), CLI_OPT("password-file", CLI_ARG),
			   CLI_OPT("cert", CLI_ARG), CLI_OPT_END };
	char pw[BT_PASSWORD_MAX + 2] = "", fp[65] = "";
	bt_time not_after = 0, now;
	long long group = 0;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_ADD, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_NAME], e)) || (rc = cli_require(&opts[O_ROLE], e)))
		return rc;
	bt_role role;
	if ((rc = role_options(&opts[O_ROLE], &opts[O_GROUP], &role, &group, e)))
		return rc;
	if (opts[O_PWFILE].count && opts[O_CERT].count)
		return bt_fail(e, BT_EINPUT, "--password-file and --cert exclude each other");
	if ((rc = cli_open_db(ctx, 1, &db, e)) || (rc = cli_now(ctx, &now, e)))
		return rc;
	if (opts[O_CERT].count) {
		rc = cert_new_check(db, opts[O_CERT].val, now, fp, &not_after, e);
		if (rc)
			return rc;
	} else {
		rc = password_read(&opts[O_PWFILE], pw, sizeof pw, e);
	}
	if (rc == BT_OK)
		rc = bt_user_add(db, opts[O_NAME].val, role, (int)group, opts[O_CERT].count ? NULL : pw,
				 cli_actor(ctx), now, e);
	memset(pw, 0, sizeof pw);
	if (rc == BT_OK && opts[O_CERT].count)
		rc = bt_cert_register(db, fp, NULL, opts[O_NAME].val, not_after, cli_actor(ctx), now, e);
	if (rc == BT_OK)
		users_add_said(opts[O_NAME].val, role, group, opts[O_CERT].count ? fp : NULL);
	return rc;
}

static int users_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_user_list l = { NULL, 0 };
	cli_table t;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)) || (rc = bt_users_list(db, &l, e)))
		return rc;
	if (opts[0].count) {
		bt_buf b = BT_BUF_INIT;
		bt_buf_addc(&b, '[');
		for (size_t i = 0; i < l.n; i++) {
			const bt_user_info *u = &l.v[i];
			bt_buf_adds(&b, i ? ",{" : "{");
			bt_json_kv_str(&b, "name", u->name, 1);
			bt_json_kv_str(&b, "role", bt_role_name(u->role), 0);
			if (u->role == BT_ROLE_CHAIR)
				bt_json_kv_int(&b, "group", u->group, 0);
			else
				bt_json_kv_null(&b, "group", 0);
			bt_json_kv_str(&b, "sign_in", u->disabled ? "disabled" :
				       u->has_password ? "password" : "certificate", 0);
			bt_json_kv_bool(&b, "password", u->has_password, 0);
			cli_json_kv_time(&b, "created", u->created_at, 0);
			if (u->disabled)
				cli_json_kv_time(&b, "disabled", u->disabled_at, 0);
			else
				bt_json_kv_null(&b, "disabled", 0);
			bt_buf_addc(&b, '}');
		}
		bt_buf_addc(&b, ']');
		rc = cli_print_json(&b, e);
		bt_buf_release(&b);
		bt_user_list_free(&l);
		return rc;
	}
	cli_table_init(&t, 5);
	cli_table_add(&t, (const char *const[]){ "NAME", "ROLE", "GROUP", "SIGN-IN", "CREATED" });
	for (size_t i = 0; i < l.n; i++) {
		char g[16] = "", c[BT_TIME_LEN];
		if (l.v[i].role == BT_ROLE_CHAIR)
			snprintf(g, sizeof g, "%d", l.v[i].group);
		bt_time_format(l.v[i].created_at, c);
		cli_table_add(&t, (const char *const[]){ l.v[i].name, bt_role_name(l.v[i].role),
			      g[0] ? g : NULL, l.v[i].disabled ? "disabled" :
			      l.v[i].has_password ? "password" : "certificate", c });
	}
	rc = cli_table_print(&t, "llrll", stdout, e);
	cli_table_release(&t);
	bt_user_list_free(&l);
	return rc;
}

static const char USAGE_HISTORY[] =
	"usage: ballot users history [--name NAME]\n"
	"\n"
	"The events of the accounts (of NAME only with --name), oldest first: when\n"
	"each was added, disabled, enabled or given a new password, and by whom.\n";

static int users_history(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("name", CLI_ARG), CLI_OPT_END };
	bt_account_event_list l = { NULL, 0 };
	cli_table t;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_HISTORY, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)) || (rc = bt_account_events(db, opts[0].val, &l, e)))
		return rc;
	cli_table_init(&t, 5);
	cli_table_add(&t, (const char *const[]){ "EVENT", "TIME", "WHAT", "NAME", "BY" });
	for (size_t i = 0; i < l.n; i++) {
		char seq[24], at[BT_TIME_LEN];
		snprintf(seq, sizeof seq, "%lld", (long long)l.v[i].seq);
		bt_time_format(l.v[i].at, at);
		const char *what = l.v[i].kind + (strncmp(l.v[i].kind, "user-", 5) ? 0 : 5);
		cli_table_add(&t, (const char *const[]){ seq, at, what, l.v[i].name, l.v[i].actor });
	}
	rc = cli_table_print(&t, "rllll", stdout, e);
	cli_table_release(&t);
	bt_account_event_list_free(&l);
	return rc;
}

/* `ballot users disable|enable --name NAME`. */
static int users_toggle(cli_ctx *ctx, int argc, char **argv, int enable, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("name", CLI_ARG), CLI_OPT_END };
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_DISABLE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) || (rc = cli_open_db(ctx, 1, &db, e)) ||
	    (rc = cli_now(ctx, &now, e)))
		return rc;
	rc = enable ? bt_user_enable(db, opts[0].val, cli_actor(ctx), now, e)
		    : bt_user_disable(db, opts[0].val, cli_actor(ctx), now, e);
	if (rc == BT_OK)
		printf("%s account %s\n", enable ? "enabled" : "disabled", opts[0].val);
	return rc;
}

static int users_disable(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	return users_toggle(ctx, argc, argv, 0, e);
}

static int users_enable(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	return users_toggle(ctx, argc, argv, 1, e);
}

static int users_password(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_NAME, O_PWFILE };
	cli_opt opts[] = { CLI_OPT("name", CLI_ARG), CLI_OPT("password-file", CLI_ARG), CLI_OPT_END };
	char pw[BT_PASSWORD_MAX + 2] = "";
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_PASSWORD, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_NAME], e)) || (rc = cli_open_db(ctx, 1, &db, e)) ||
	    (rc = cli_now(ctx, &now, e)))
		return rc;
	rc = password_read(&opts[O_PWFILE], pw, sizeof pw, e);
	if (rc == BT_OK)
		rc = bt_user_password(db, opts[O_NAME].val, pw, cli_actor(ctx), now, e);
	memset(pw, 0, sizeof pw);
	if (rc == BT_OK)
		printf("new password for account %s; its sessions signed in with the old one end\n",
		       opts[O_NAME].val);
	return rc;
}

/* `ballot users add|list|disable|enable|password|history`. */
int cmd_users(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "add", users_add }, { "list", users_list },
					{ "disable", users_disable }, { "enable", users_enable },
					{ "password", users_password }, { "history", users_history },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
