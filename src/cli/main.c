/* main.c - the `ballot` command: global options and the command table.
 *
 * Each command lives in its own cmd_*.c file and returns an engine status;
 * main() prints the error as "ballot: <message>" and exits with the status
 * (0 ok, 1 failure, 2 bad input or refused by the rules).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
	const char *name;    /* as listed in `ballot --help` */
	const char *summary;
	cli_cmd_fn fn;       /* NULL: a subcommand line, listed only */
} command;

static const command commands[] = {
	{ "init", "create the database and load the Member State list", cmd_init },
	{ "members", "list the Member States (as of a date)", cmd_members },
	{ "members import", "import a Member State list (TSV)", NULL },
	{ "consultation create", "register a consultation (one circular)", cmd_consultation },
	{ "consultation list", "list the consultations", NULL },
	{ "consultation show", "show a consultation and its drafts", NULL },
	{ "consultation set-deadline", "move a deadline, with a reason (an event)", NULL },
	{ "timeline", "a consultation's dates in order, with the §9.3 checks", cmd_timeline },
	{ "calendar list", "list ITU's closed days (not working days, §9.4.1)", cmd_calendar },
	{ "calendar add", "add a closed day", NULL },
	{ "calendar remove", "remove a closed day", NULL },
	{ "calendar import", "add closed days from a TSV file", NULL },
	{ "draft add", "add a draft Recommendation to a consultation", cmd_draft },
	{ "draft set", "add or correct a draft's title and summary in another language", NULL },
	{ "draft list", "list the drafts of a consultation", NULL },
	{ "draft text", "give back the text kept with a draft", NULL },
	{ "reply", "record a Member State's reply on a draft", cmd_reply },
	{ "reply import", "record many replies from a TSV file, all or nothing", NULL },
	{ "withdraw", "withdraw a Member State's reply", cmd_withdraw },
	{ "tally", "count the replies under the consultation's rule", cmd_tally },
	{ "close", "close a consultation after its deadline, freezing outcomes", cmd_close },
	{ "decide", "record the study group's decision on a draft (§9.5)", cmd_decide },
	{ "status", "show every draft and its state", cmd_status },
	{ "pending", "list electorate members with no counted reply", cmd_pending },
	{ "history", "show every reply, withdrawal and decision recorded", cmd_history },
	{ "export", "export a consultation's replies as CSV or JSON", cmd_export },
	{ "comments", "write the comments received, with a manifest (§9.4.7)", cmd_comments },
	{ "forms", "write the Annex 2 reply forms as PDF (six languages)", cmd_forms },
	{ "scan", "read returned forms from scans and faxes (a proposal)", cmd_scan },
	{ "report", "write the tally report as PDF (six languages)", cmd_report },
	{ "audit verify", "check the hash chain of the event log", cmd_audit },
	{ "config", "show the settings; config set KEY VALUE changes one", cmd_config },
	{ "config show", "every setting of a run and where it came from", NULL },
	{ "codes issue", "issue reply codes for the portal (shown once)", cmd_codes },
	{ "codes revoke", "revoke reply codes", NULL },
	{ "codes list", "list the reply codes issued (no secrets)", NULL },
	{ "users add", "add a staff account (secretariat or chair)", cmd_users },
	{ "users list", "list the staff accounts", NULL },
	{ "tokens create", "create an API token for a staff account (shown once)", cmd_tokens },
	{ "tokens list", "list the API tokens (no secrets)", NULL },
	{ "tokens revoke", "revoke an API token", NULL },
	{ "certs issue", "make and register a client certificate", cmd_certs },
	{ "certs add", "register a certificate a member signs its forms with", NULL },
	{ "certs revoke", "revoke a client or signing certificate", NULL },
	{ "certs list", "list the registered certificates and their purpose", NULL },
	{ "tls dev-certs", "write a development CA, server and client certificates", cmd_tls },
	{ "serve", "run the HTTPS reply portal", cmd_serve },
	{ "backup", "copy the database into a file, checked (online: writers carry on)", cmd_backup },
	{ "restore", "replace the database with a checked backup", cmd_restore },
	{ "check", "integrity_check, foreign_key_check and the event chain", cmd_check },
	{ "keys create", "create the secretariat's signing key (Ed25519)", cmd_keys },
	{ "keys show", "print the public key and its fingerprint, to publish", NULL },
	{ "receipt show", "issue again the signed receipt of an event", cmd_receipt },
	{ "receipt verify", "check a receipt offline against the public key", NULL },
	{ "publish", "write a consultation's signed results bundle", cmd_publish },
	{ "verify-bundle", "check a results bundle without any database", cmd_verify_bundle },
	{ "contacts import", "set Member States' contact addresses from a TSV file", cmd_contacts },
	{ "contacts list", "list the contact addresses", NULL },
	{ "contacts set", "add or change a contact address", NULL },
	{ "contacts remove", "remove a contact address", NULL },
	{ "mail send", "send the circular, codes, reminders or receipts by e-mail", cmd_mail },
	{ "mail outbox", "list the messages queued, sent and failed", NULL },
	{ "mail schedule", "set the days before the deadline when reminders go out", NULL },
	{ "mail run", "send the scheduled reminders due and the queued messages", NULL },
	{ "mail fetch", "take the new messages of the mailbox into the inbox", NULL },
	{ "inbox list", "list the messages received (mail fetch)", cmd_inbox },
	{ "inbox show", "show a message received and its attachments", NULL },
	{ "inbox accept", "record the replies of a matched message", NULL },
	{ "inbox reject", "set a message received aside, with a reason", NULL },
	{ NULL, NULL, NULL }
};

static void usage(FILE *f)
{
	fputs("usage: ballot [--db FILE] COMMAND [OPTIONS]\n"
	      "\n"
	      "Runs ITU-T Member State consultations (WTSA Resolution 1, section 9)\n"
	      "on one SQLite database.\n"
	      "\n"
	      "Global options:\n"
	      "  --db FILE      the database (default: $BALLOT_DB, else the configuration\n"
	      "                 file's database, else ./ballot.db)\n"
	      "  --config FILE  the configuration file (default: $BALLOT_CONFIG, else\n"
	      "                 /etc/ballot/ballot.conf when it exists); ballot config show\n"
	      "  --quiet        errors only on stderr: no warnings, no progress\n"
	      "  --help         this list; `ballot COMMAND --help` shows a command's usage\n"
	      "  --version      print the version\n"
	      "These are taken after the command too. Long options are never abbreviated.\n"
	      "\n"
	      "Commands:\n", f);
	for (const command *c = commands; c->name; c++)
		fprintf(f, "  %-21s %s\n", c->name, c->summary);
	fputs("\n"
	      "Environment: BALLOT_DB (the database), BALLOT_KEY (the signing key),\n"
	      "BALLOT_CONFIG (the configuration file), BALLOT_FORMS, BALLOT_FONTS (the\n"
	      "forms and fonts directories): each beats the configuration file and loses\n"
	      "to a flag. BALLOT_NOW (a time that stands in\n"
	      "for the clock), BALLOT_ACTOR (who is recorded as making changes; default\n"
	      "cli:<user name>). Times are UTC, written 2020-02-21T23:59:00Z.\n"
	      "Exit status: 0 ok, 1 failure, 2 bad input or refused by the rules.\n", f);
}

/* "--NAME V" or "--NAME=V" at argv[*i]: the value in *slot and *i moved past
 * it (1), not this option (0), or the value missing (-1, e set). */
static int value_option(const char *name, int argc, char **argv, int *i,
			const char **slot, bt_err *e)
{
	const char *a = argv[*i];
	size_t len = strlen(name);

	if (strncmp(a, "--", 2) || strncmp(a + 2, name, len))
		return 0;
	if (a[2 + len] == '=') {
		*slot = a + 3 + len;
		(*i)++;
		return 1;
	}
	if (a[2 + len] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		bt_fail(e, BT_EINPUT, "--%s: missing value", name);
		return -1;
	}
	*slot = argv[*i + 1];
	*i += 2;
	return 1;
}

/* One global option before the command at argv[*i] (--db, --config,
 * --quiet): taken and *i moved past it (0); --help or --version printed
 * (1); refused (-1, e set). */
static int global_option(cli_ctx *ctx, int argc, char **argv, int *i, bt_err *e)
{
	static const char *const globals[] = { "db", "config", "quiet", "help", "version" };
	const char *a = argv[*i];
	const char *near;
	int r;

	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		usage(stdout);
		return 1;
	}
	if (!strcmp(a, "--version")) {
		printf("ballot %s\n", BALLOT_VERSION);
		return 1;
	}
	if (!strcmp(a, "--quiet")) {
		ctx->quiet = 1;
		(*i)++;
		return 0;
	}
	if ((r = value_option("db", argc, argv, i, &ctx->db_path, e)) != 0 ||
	    (r = value_option("config", argc, argv, i, &ctx->config_flag, e)) != 0)
		return r < 0 ? -1 : 0;
	near = a[1] == '-' ? cli_suggest(a + 2, globals, 5, 2, 0) : NULL;
	bt_fail(e, BT_EINPUT, "unknown option '%.*s'%s%s%s", (int)strcspn(a, "="), a,
		near ? " (did you mean --" : "", near ? near : "", near ? "?)" : "");
	return -1;
}

/* The refusal of a word that is no command, with the nearest one. */
static int unknown_command(const char *word, bt_err *e)
{
	static char words[64][32];
	const char *names[64];
	const char *near;
	size_t n = 0;

	for (const command *c = commands; c->name && n < 64; c++)
		if (c->fn) {
			snprintf(words[n], sizeof words[n], "%.*s", (int)strcspn(c->name, " "), c->name);
			names[n] = words[n];
			n++;
		}
	near = cli_suggest(word, names, n, 2, 0);
	if (near)
		return bt_fail(e, BT_EINPUT, "unknown command '%s' (did you mean %s?)", word, near);
	return bt_fail(e, BT_EINPUT, "unknown command '%s' (ballot --help lists them)", word);
}

static int run(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		int r;
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		r = global_option(ctx, argc, argv, &i, e);
		if (r)
			return r > 0 ? BT_OK : e->code;
	}
	if (i >= argc)
		return bt_fail(e, BT_EINPUT,
			       "a command is required (ballot --help lists them)");
	for (const command *c = commands; c->name; c++) {
		if (c->fn && !strncmp(c->name, argv[i], strcspn(c->name, " ")) &&
		    argv[i][strcspn(c->name, " ")] == '\0') {
			snprintf(ctx->cmd, sizeof ctx->cmd, "%s", argv[i]);
			return c->fn(ctx, argc - i, argv + i, e);
		}
	}
	return unknown_command(argv[i], e);
}

int main(int argc, char **argv)
{
	cli_ctx ctx;
	bt_err e;
	int rc;

	bt_err_clear(&e);
	cli_ctx_init(&ctx);
	rc = run(&ctx, argc, argv, &e);
	if (rc == BT_OK)
		rc = cli_flush_stdout(&e);
	cli_ctx_release(&ctx);
	if (rc != BT_OK) {
		bt_dir_undo(); /* no empty output directory left by a failure */
		fflush(stdout);
		cli_report_error(&e);
		if (rc != BT_EINPUT)
			rc = BT_EFAIL;
	}
	return rc;
}
