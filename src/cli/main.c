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

static int run(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return BT_OK;
		}
		if (!strcmp(a, "--version")) {
			printf("ballot %s\n", BALLOT_VERSION);
			return BT_OK;
		}
		if (!strcmp(a, "--db")) {
			if (i + 1 >= argc)
				return bt_fail(e, BT_EINPUT, "--db: missing value");
			ctx->db_path = argv[i + 1];
			i += 2;
			continue;
		}
		if (!strncmp(a, "--db=", 5)) {
			ctx->db_path = a + 5;
			i++;
			continue;
		}
		if (!strcmp(a, "--config")) {
			if (i + 1 >= argc)
				return bt_fail(e, BT_EINPUT, "--config: missing value");
			ctx->config_flag = argv[i + 1];
			i += 2;
			continue;
		}
		if (!strncmp(a, "--config=", 9)) {
			ctx->config_flag = a + 9;
			i++;
			continue;
		}
		if (!strcmp(a, "--quiet")) {
			ctx->quiet = 1;
			i++;
			continue;
		}
		static const char *const globals[] = { "db", "config", "quiet", "help", "version" };
		const char *near = a[1] == '-' ? cli_suggest(a + 2, globals, 5, 2, 0) : NULL;
		return bt_fail(e, BT_EINPUT, "unknown option '%.*s'%s%s%s",
			       (int)strcspn(a, "="), a, near ? " (did you mean --" : "",
			       near ? near : "", near ? "?)" : "");
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
	static char words[64][32];
	const char *names[64];
	size_t n = 0;
	for (const command *c = commands; c->name && n < 64; c++)
		if (c->fn) {
			snprintf(words[n], sizeof words[n], "%.*s", (int)strcspn(c->name, " "), c->name);
			names[n] = words[n];
			n++;
		}
	const char *near = cli_suggest(argv[i], names, n, 2, 0);
	if (near)
		return bt_fail(e, BT_EINPUT, "unknown command '%s' (did you mean %s?)", argv[i], near);
	return bt_fail(e, BT_EINPUT,
		       "unknown command '%s' (ballot --help lists them)", argv[i]);
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
