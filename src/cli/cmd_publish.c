/* cmd_publish.c - `ballot publish` writes a consultation's signed results
 * bundle; `ballot verify-bundle` checks one without any database. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

static const char USAGE_PUBLISH[] =
	"usage: ballot publish --circular ID --out DIR [--attachments] [--key FILE]\n"
	"\n"
	"Writes the consultation's results bundle into DIR (new or empty): the\n"
	"events that make the result (the consultation with its electorate, the\n"
	"drafts with the SHA-256 of their texts, every reply and withdrawal with\n"
	"its attachments' SHA-256, the close and the decisions) with their chain\n"
	"hashes, the tally as of now, the rule, the replies as JSON and CSV, with\n"
	"--attachments the attachments themselves, and a manifest of all of it\n"
	"signed with the secretariat's key. Publish DIR with the key that\n"
	"`ballot keys show` prints; anyone checks it with `ballot verify-bundle`.\n";

static const char USAGE_VERIFY[] =
	"usage: ballot verify-bundle DIR --key PUBKEY [--receipt FILE]...\n"
	"\n"
	"Checks a results bundle without any database: the manifest's signature,\n"
	"every file against the manifest (none changed, missing or added), every\n"
	"event's chain hash and link, the attachments' SHA-256, the rule, and the\n"
	"tally recomputed from the events alone against the published one. Each\n"
	"--receipt FILE (a receipt an administration kept) must verify and its\n"
	"event must be in the bundle, unchanged. PUBKEY is the line `ballot keys\n"
	"show` prints (ed25519:...) or a file holding it. Exits 0 when everything\n"
	"holds, 2 naming the first file and what is wrong in it.\n";

/* `ballot publish ...`. */
int cmd_publish(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_OUT, O_ATTACHMENTS, O_KEY };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("out", CLI_ARG),
			   CLI_OPT("attachments", CLI_FLAG), CLI_OPT("key", CLI_ARG), CLI_OPT_END };
	const bt_key *k;
	bt_bundle_stats st;
	bt_time now;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_PUBLISH, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) || (rc = cli_require(&opts[O_OUT], e)))
		return rc;
	if (strlen(opts[O_OUT].val) > CLI_OUT_PATH_MAX)
		return bt_fail(e, BT_EINPUT, "--out: the path is longer than %d bytes", CLI_OUT_PATH_MAX);
	if ((rc = cli_open_db(ctx, 0, &db, e)) || (rc = cli_now(ctx, &now, e)) ||
	    (rc = cli_load_key(ctx, &opts[O_KEY], &k, e)))
		return rc;
	cli_progress_engine("publish");
	rc = bt_bundle_publish(db, opts[O_CIRCULAR].val, k, opts[O_OUT].val, opts[O_ATTACHMENTS].count > 0,
			       now, &st, e);
	cli_progress_done();
	if (rc)
		return rc;
	printf("published circular %s into %s: %" PRId64 " events (%" PRId64 " replies and withdrawals), "
	       "%" PRId64 " attachments, %zu files and a signed manifest\n",
	       opts[O_CIRCULAR].val, opts[O_OUT].val, st.events, st.replies, st.attachments, st.files);
	printf("chain head: event %" PRId64 " %s\n", st.head_seq, st.head);
	printf("signed by %s\n", bt_key_public(k)->text);
	return BT_OK;
}

/* `ballot verify-bundle DIR --key PUBKEY [--receipt FILE]...`. */
int cmd_verify_bundle(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_KEY, O_RECEIPT };
	cli_opt opts[] = { CLI_OPT("key", CLI_ARG), CLI_OPT("receipt", CLI_MULTI), CLI_OPT_END };
	bt_pubkey pub;
	bt_bundle_report r;
	int rc = cli_parse(ctx, argc, argv, USAGE_VERIFY, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "verify-bundle: the bundle DIR is required");
	if ((rc = cli_require(&opts[O_KEY], e)) || (rc = cli_read_pubkey("--key", opts[O_KEY].val, &pub, e)))
		return rc;
	rc = bt_bundle_verify(ctx->pos[0], &pub, opts[O_RECEIPT].vals, opts[O_RECEIPT].n, &r, e);
	if (rc == BT_OK) {
		printf("bundle verified: circular %s published %s, signed by %s\n", r.circular, r.published, pub.text);
		printf("files: %zu, each matching the signed manifest\n", r.files);
		printf("events: %" PRId64 " of the consultation, each hashed and linked to the one before (%" PRId64 " replies and withdrawals); "
		       "%" PRId64 " of the log's %" PRId64 " belong to others, withheld\n",
		       r.events, r.replies, r.withheld, r.head_seq);
		printf("attachments: %" PRId64 " checked against their SHA-256\n", r.attachments);
		printf("tally: recomputed from the events, equal to tally.json\n");
		for (size_t i = 0; i < r.tally.n; i++) {
			const bt_draft_tally *d = &r.tally.drafts[i];
			printf("  %s: %d replies, %d support, %d not authorize; %s\n", d->rec, d->replies, d->support,
			       d->not_authorize, d->outcome);
		}
		if (opts[O_RECEIPT].n)
			printf("receipts: %zu of %zu included, unchanged\n", r.receipts, opts[O_RECEIPT].n);
		for (size_t i = 0; i < r.receipts; i++)
			printf("  %s\n", r.receipt_status[i]);
		printf("replies.json, replies.csv: signed views of the same replies (their bytes are checked, their rows are not recomputed)\n");
	}
	bt_bundle_report_free(&r);
	return rc;
}
