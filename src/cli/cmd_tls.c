/* cmd_tls.c - `ballot tls dev-certs`: a development CA, the portal's server
 * certificate and client certificates, for trying the portal locally. */
#include "cli.h"

#include <string.h>
#include <sys/stat.h>

#include "x509.h"

static const char USAGE[] =
	"usage: ballot tls dev-certs --out DIR [--client NAME]...\n"
	"\n"
	"Writes a development CA (ca.pem, ca-key.pem; 5 years), the server's\n"
	"certificate for localhost, 127.0.0.1 and ::1 (server.pem, server-key.pem;\n"
	"1 year) and, per --client, a client certificate with CN NAME\n"
	"(client-NAME.pem, client-NAME-key.pem; 1 year), all ECDSA P-256, valid\n"
	"from the real clock. Keys are written mode 0600. An existing DIR/ca-key.pem\n"
	"is never overwritten. Client certificates are not registered: use\n"
	"`ballot certs issue` or `ballot users add --cert`. No database is used.\n";

#define MAX_CLIENTS 64

static int valid_client(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > BT_USER_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("._-", s[i])))
			return 0;
	return s[0] != '.' && s[0] != '-';
}

/* `ballot tls dev-certs --out DIR [--client NAME]...`. */
/* The --client names: at most MAX_CLIENTS, each a user name, none twice. */
static int clients_check(const cli_opt *o, bt_err *e)
{
	if (o->n > MAX_CLIENTS)
		return bt_fail(e, BT_EINPUT, "--client: at most %d", MAX_CLIENTS);
	for (size_t i = 0; i < o->n; i++) {
		if (!valid_client(o->vals[i]))
			return bt_fail(e, BT_EINPUT, "--client: '%s' is not a name (1-%d of A-Z a-z 0-9 . _ -)",
				       o->vals[i], BT_USER_MAX);
		for (size_t k = 0; k < i; k++)
			if (strcmp(o->vals[k], o->vals[i]) == 0)
				return bt_fail(e, BT_EINPUT, "--client: '%s' given twice", o->vals[i]);
	}
	return BT_OK;
}

/* The CA, the server's and each client's certificate and key, all made in
 * memory first, then written into dir, each said on stdout. */
static int certs_make_write(const char *dir, const cli_opt *clients, bt_err *e)
{
	x509_ca ca = { NULL, NULL };
	size_t n = 2 + clients->n, made = 0;
	x509_out out[MAX_CLIENTS + 2];
	int rc = x509_make(X509_CA, "ballot development CA", NULL, &ca, &out[0], e);
	made += rc == BT_OK;
	if (rc == BT_OK)
		rc = x509_make(X509_SERVER, "localhost", &ca, NULL, &out[1], e);
	made += rc == BT_OK;
	for (size_t i = 0; rc == BT_OK && i < clients->n; i++) {
		rc = x509_make(X509_CLIENT, clients->vals[i], &ca, NULL, &out[2 + i], e);
		made += rc == BT_OK;
	}
	for (size_t i = 0; rc == BT_OK && i < n; i++) {
		char base[BT_USER_MAX + 16];
		if (i < 2)
			snprintf(base, sizeof base, "%s", i == 0 ? "ca" : "server");
		else
			snprintf(base, sizeof base, "client-%s", clients->vals[i - 2]);
		rc = x509_write(dir, base, &out[i], "--out", e);
		if (rc == BT_OK)
			printf("wrote %s/%s.pem and %s/%s-key.pem (SHA-256 %s)\n", dir, base, dir, base,
			       out[i].fp);
	}
	for (size_t i = 0; i < made; i++)
		x509_out_free(&out[i]);
	x509_ca_free(&ca);
	return rc;
}

int cmd_tls(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("out", CLI_ARG), CLI_OPT("client", CLI_MULTI), CLI_OPT_END };
	if (argc < 2 || strcmp(argv[1], "dev-certs") != 0) {
		if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			fputs(USAGE, stdout);
			return BT_OK;
		}
		if (argc > 1)
			return bt_fail(e, BT_EINPUT, "tls: unknown subcommand '%s' (one of dev-certs)", argv[1]);
		return bt_fail(e, BT_EINPUT, "tls: a subcommand is required (one of dev-certs)");
	}
	snprintf(ctx->cmd, sizeof ctx->cmd, "tls dev-certs");
	int rc = cli_parse(ctx, argc - 1, argv + 1, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)))
		return rc;
	const char *dir = opts[0].val;
	if (!*dir || strlen(dir) > CLI_OUT_PATH_MAX)
		return bt_fail(e, BT_EINPUT, "--out: the directory name is empty or longer than %d bytes",
			       CLI_OUT_PATH_MAX);
	if ((rc = clients_check(&opts[1], e)))
		return rc;
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/ca-key.pem", dir);
	if (lstat(path, &st) == 0)
		return bt_fail(e, BT_EINPUT, "--out: '%s' exists; a CA key is never overwritten", path);
	if ((rc = bt_dir_make(dir, "out", e)))
		return rc;
	return certs_make_write(dir, &opts[1], e);
}
