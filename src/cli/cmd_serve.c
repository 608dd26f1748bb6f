/* cmd_serve.c - `ballot serve`: the HTTPS reply portal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "portal/portal.h"

static volatile int stop_flag, reload_flag;

/* SIGINT, SIGTERM: stop; SIGHUP: read the certificate and key again. */
static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_flag = 1;
	else
		stop_flag = 1;
}

static void ready(const char *url)
{
	fprintf(stderr, "ballot: serving %s (Ctrl-C stops)\n", url);
	fflush(stderr);
}

/* One access-log line on stderr: time, address, method, path (no query),
 * status, who. */
static void log_line(const char *line)
{
	char t[BT_TIME_LEN];
	bt_time now = 0;
	bt_now(&now, NULL);
	bt_time_format(now, t);
	fprintf(stderr, "%s %s\n", t, line);
}

int cmd_serve(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("listen", CLI_ARG), CLI_OPT("cert", CLI_ARG), CLI_OPT("key", CLI_ARG),
			   CLI_OPT("client-ca", CLI_ARG), CLI_OPT("threads", CLI_ARG),
			   CLI_OPT("quiet", CLI_FLAG), CLI_OPT("sign-key", CLI_ARG), CLI_OPT_END };
	int rc = cli_parse(ctx, argc, argv,
			   "ballot serve [--listen ADDR:PORT] --cert FILE --key FILE [--client-ca FILE]\n"
			   "             [--sign-key FILE] [--threads N] [--quiet]\n"
			   "  HTTPS reply portal (TLS 1.2 and 1.3 only). Default listen address 127.0.0.1:8443.\n"
			   "  --cert, --key: the server's TLS certificate and its private key.\n"
			   "  --client-ca: accept client certificates issued by this CA (registered ones only).\n"
			   "  --sign-key: the secretariat's signing key, which signs the receipts the portal\n"
			   "  offers ($BALLOT_KEY, else the database path + .key; see ballot keys).\n"
			   "  --quiet: no access log on stderr.",
			   opts, 0, e);
	if (rc || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[1], e)) || (rc = cli_require(&opts[2], e)))
		return rc;
	portal_config cfg;
	memset(&cfg, 0, sizeof cfg);
	long long threads = 0;
	if (opts[4].val && (rc = cli_parse_int("--threads", opts[4].val, 1, 64, &threads, e)))
		return rc;
	/* the database must exist and be writable before the port opens */
	bt_db *db;
	if ((rc = cli_open_db(ctx, 1, &db, e)))
		return rc;
	/* it holds password hashes and every attachment: never serve one that
	 * others on this machine can read (as for the signing key) */
	if ((rc = bt_db_require_private(cli_db_path(ctx), e)))
		return rc;
	/* and so must the signing key: every receipt the portal offers is
	 * signed (--key is the TLS key here, so the option is --sign-key) */
	if ((rc = cli_load_key(ctx, &opts[6], &cfg.sign_key, e)))
		return rc;
	cfg.db_path = cli_db_path(ctx);
	cfg.listen = opts[0].val;
	cfg.cert_path = opts[1].val;
	cfg.key_path = opts[2].val;
	cfg.client_ca = opts[3].val;
	cfg.threads = (unsigned)threads;
	const char *fixed = getenv("BALLOT_NOW");
	if (fixed && *fixed) {
		cfg.fixed_now = 1;
		if ((rc = cli_now(ctx, &cfg.now, e)))
			return rc;
	}
	cfg.stop = &stop_flag;
	cfg.reload = &reload_flag;
	cfg.ready = ready;
	cfg.log = opts[5].count ? NULL : log_line;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = portal_serve(&cfg, e);
	if (!rc)
		fprintf(stderr, "ballot: stopped\n");
	return rc;
}
