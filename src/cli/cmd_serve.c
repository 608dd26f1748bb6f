/* cmd_serve.c - `ballot serve`: the HTTPS reply portal. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/conf.h"
#include "cli/mail.h"
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

/* The portal's public address, printed once it listens (the portal itself
 * makes no absolute link: its redirects are relative, its cookies always
 * Secure, HSTS always sent). */
static const char *public_url;

static void ready_public(const char *url)
{
	ready(url);
	if (public_url)
		fprintf(stderr, "ballot: public address %s\n", public_url);
	fflush(stderr);
}

/* The options of `serve`, in their table's order. */
enum { O_LISTEN, O_CERT, O_KEY, O_CLIENT_CA, O_THREADS, O_SIGN_KEY, O_PORTAL };

/* The portal's configuration from the options and the configuration file;
 * the database opened (and private) and the signing key loaded first. */
static int serve_config(cli_ctx *ctx, cli_opt *opts, portal_config *cfg, bt_err *e)
{
	cli_value listen, cert, key, ca, thr, url;
	int rc;

	cli_conf_value(ctx, CONF_LISTEN, &opts[O_LISTEN], &listen);
	cli_conf_value(ctx, CONF_TLS_CERT, &opts[O_CERT], &cert);
	cli_conf_value(ctx, CONF_TLS_KEY, &opts[O_KEY], &key);
	cli_conf_value(ctx, CONF_TLS_CLIENT_CA, &opts[O_CLIENT_CA], &ca);
	cli_conf_value(ctx, CONF_THREADS, &opts[O_THREADS], &thr);
	cli_conf_value(ctx, CONF_PORTAL_URL, &opts[O_PORTAL], &url);
	if (!cert.value)
		return bt_fail(e, BT_EINPUT, "--cert is required (or tls_cert in the configuration file)");
	if (!key.value)
		return bt_fail(e, BT_EINPUT, "--key is required (or tls_key in the configuration file)");
	if (url.value && opts[O_PORTAL].count && (rc = cli_check_url("--portal", url.value, e)))
		return rc;
	public_url = url.value;
	memset(cfg, 0, sizeof *cfg);
	long long threads = 0;
	if (thr.value && (rc = cli_parse_int("--threads", thr.value, 1, 64, &threads, e)))
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
	if ((rc = cli_load_key(ctx, &opts[O_SIGN_KEY], &cfg->sign_key, e)))
		return rc;
	cfg->db_path = cli_db_path(ctx);
	cfg->listen = listen.value;
	cfg->portal_url = public_url;
	cfg->cert_path = cert.value;
	cfg->key_path = key.value;
	cfg->client_ca = ca.value;
	cfg->threads = (unsigned)threads;
	/* a test hook, not documented for users: the session tickets' key
	 * replaced every N s instead of every day (tests/e2e/96-tls-resume.t) */
	const char *tk = getenv("BALLOT_TEST_TICKET_KEY_S");
	long long tks = 0;
	if (tk && *tk && (rc = cli_parse_int("$BALLOT_TEST_TICKET_KEY_S", tk, 1, 24 * 3600, &tks, e)))
		return rc;
	cfg->ticket_key_s = (unsigned)tks;
	const char *fixed = getenv("BALLOT_NOW");
	if (fixed && *fixed) {
		cfg->fixed_now = 1;
		if ((rc = cli_now(ctx, &cfg->now, e)))
			return rc;
	}
	return BT_OK;
}

int cmd_serve(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("listen", CLI_ARG), CLI_OPT("cert", CLI_ARG), CLI_OPT("key", CLI_ARG),
			   CLI_OPT("client-ca", CLI_ARG), CLI_OPT("threads", CLI_ARG),
			   CLI_OPT("sign-key", CLI_ARG), CLI_OPT("portal", CLI_ARG), CLI_OPT_END };
	int rc = cli_parse(ctx, argc, argv,
			   "ballot serve [--listen ADDR:PORT] --cert FILE --key FILE [--client-ca FILE]\n"
			   "             [--sign-key FILE] [--threads N] [--portal URL] [--quiet]\n"
			   "  HTTPS reply portal (TLS 1.2 and 1.3 only). Default listen address 127.0.0.1:8443.\n"
			   "  --cert, --key: the server's TLS certificate and its private key.\n"
			   "  --client-ca: accept client certificates issued by this CA (registered ones only).\n"
			   "  --sign-key: the secretariat's signing key, which signs the receipts the portal\n"
			   "  offers ($BALLOT_KEY, else the database path + .key; see ballot keys).\n"
			   "  --portal: the address administrations use (https://...), printed at start.\n"
			   "  Each option may come from the configuration file instead (listen, tls_cert,\n"
			   "  tls_key, tls_client_ca, sign_key, threads, portal_url; ballot config show).\n"
			   "  --quiet: no access log on stderr.",
			   opts, 0, e);
	if (rc || ctx->help)
		return rc;
	portal_config cfg;
	if ((rc = serve_config(ctx, opts, &cfg, e)))
		return rc;
	/* freed memory stays with the request threads' arenas: glibc gave it
	 * back to the system above 128 KiB at the top of a heap (a madvise
	 * after SQLite's temporary b-trees, 6 % of the server's CPU per reply)
	 * and maps blocks from 128 KiB each time (an munmap each); up to
	 * 1 MiB free per arena is kept, blocks under 4 MiB come from it. Fixed
	 * thresholds: glibc's own grow with the largest block freed, and after
	 * 64 uploads of 10 MB at once the server kept 285-613 MiB more than at
	 * its start; 16 MiB kept 103-175 MiB, 1 MiB 31-42 MiB at the same CPU
	 * per reply (README, "Measured": tests/bench/memory.sh) */
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	cfg.stop = &stop_flag;
	cfg.reload = &reload_flag;
	cfg.ready = ready_public;
	cfg.log = ctx->quiet ? NULL : log_line;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	mail_sender *ms = NULL;
	if ((rc = mail_sender_start(ctx, cli_key_path(ctx, &opts[O_SIGN_KEY]), &ms, e)))
		return rc;
	rc = portal_serve(&cfg, e);
	mail_sender_stop(ms);
	if (!rc && !ctx->quiet)
		fprintf(stderr, "ballot: stopped\n");
	return rc;
}
