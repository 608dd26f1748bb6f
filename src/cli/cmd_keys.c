/* cmd_keys.c - `ballot keys create|show`: the secretariat's signing key. */
#include "cli.h"

static const char USAGE[] =
	"usage: ballot keys create [--key FILE]\n"
	"       ballot keys show [--key FILE]\n"
	"\n"
	"The secretariat's Ed25519 signing key, which signs receipts and published\n"
	"results. It lives in its own file (--key, $BALLOT_KEY, else the database\n"
	"path + .key), readable only by its owner, never in the database; `ballot\n"
	"init` creates it. `create` never replaces an existing key. `show` prints\n"
	"the public key and its fingerprint, to publish: anyone verifies receipts\n"
	"and results with that line (ballot receipt verify, ballot verify-bundle).\n";

/* Prints the public key as `keys show` does. */
static void print_public(const bt_pubkey *pub)
{
	char fp[80];
	bt_pubkey_fingerprint_spaced(pub, fp);
	printf("%s\nfingerprint: %s\n", pub->text, fp);
}

static int keys_create(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("key", CLI_ARG), CLI_OPT_END };
	bt_pubkey pub;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	const char *path = cli_key_path(ctx, &opts[0]);
	if ((rc = bt_key_create(path, "key", &pub, e)))
		return rc;
	printf("created signing key %s (mode 0600; keep a copy somewhere safe)\n", path);
	print_public(&pub);
	return BT_OK;
}

static int keys_show(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("key", CLI_ARG), CLI_OPT_END };
	const bt_key *k;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_load_key(ctx, &opts[0], &k, e)))
		return rc;
	print_public(bt_key_public(k));
	return BT_OK;
}

/* `ballot keys create|show`. */
int cmd_keys(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "create", keys_create }, { "show", keys_show },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
