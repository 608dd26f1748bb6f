/* cmd_receipt.c - `ballot receipt show|verify`: signed receipts. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

#include "pdf/receipt_pdf.h"

#define RECEIPT_FILE_MAX (1 << 20)

static const char USAGE[] =
	"usage: ballot receipt show --event N [--receipt FILE] [--key FILE]\n"
	"                           [--pdf FILE [--lang L]]\n"
	"       ballot receipt verify FILE --key PUBKEY\n"
	"\n"
	"show issues again the signed receipt of a reply, withdrawal or decision\n"
	"(event N, as the acknowledgement and `ballot history` name it): the same\n"
	"bytes as the first time. With --pdf, the same receipt as a PDF in language\n"
	"L (en, fr, es, ru, zh, ar; default en) is written to FILE (-: to stdout,\n"
	"alone; the JSON only with --receipt): the same receipt and language give\n"
	"the same bytes. verify checks a receipt without any database:\n"
	"PUBKEY is the line `ballot keys show` prints (ed25519:...) or a file\n"
	"holding it. It checks the signature, the chain hash of the event the\n"
	"receipt carries and that every field says what that event says; exits 0\n"
	"and prints what the receipt proves, or 2 naming what is wrong.\n";

/* --pdf FILE [--lang L]: the receipt of event seq as a PDF. */
static int receipt_pdf(bt_db *db, int64_t seq, const bt_key *k, const cli_opt *o_pdf, const cli_opt *o_lang,
		       const cli_opt *o_receipt, bt_err *e)
{
	bt_buf pdf = BT_BUF_INIT;
	const char *lang = o_lang->count ? o_lang->val : "en";
	char json_name[64];
	snprintf(json_name, sizeof json_name, "receipt-event-%" PRId64 ".json", seq);
	int rc = receipt_pdf_build(db, seq, k, lang, o_receipt->count ? cli_basename(o_receipt->val) : json_name,
				   &pdf, e);
	if (rc == BT_OK && !strcmp(o_pdf->val, "-")) { /* the PDF alone on stdout */
		if (fwrite(pdf.data, 1, pdf.len, stdout) != pdf.len || fflush(stdout))
			rc = bt_fail(e, BT_EFAIL, "--pdf -: cannot write the PDF to stdout");
	} else if (rc == BT_OK && (rc = bt_file_write(o_pdf->val, "pdf", pdf.data, pdf.len, e)) == BT_OK) {
		printf("receipt PDF (%s) saved to %s\n", lang, o_pdf->val);
	}
	bt_buf_release(&pdf);
	return rc;
}

static int receipt_show(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_EVENT, O_RECEIPT, O_KEY, O_PDF, O_LANG };
	cli_opt opts[] = { CLI_OPT("event", CLI_ARG), CLI_OPT("receipt", CLI_ARG),
			   CLI_OPT("key", CLI_ARG), CLI_OPT("pdf", CLI_ARG), CLI_OPT("lang", CLI_ARG),
			   CLI_OPT_END };
	const bt_key *k;
	long long seq;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_EVENT], e)) ||
	    (rc = cli_parse_int("--event", opts[O_EVENT].val, 1, INT64_MAX, &seq, e)) ||
	    (rc = cli_open_db(ctx, 0, &db, e)) ||
	    (rc = cli_receipt_prepare(ctx, &opts[O_KEY], &opts[O_RECEIPT], &k, e)))
		return rc;
	if (opts[O_LANG].count && !opts[O_PDF].count)
		return bt_fail(e, BT_EINPUT, "--lang: only with --pdf");
	if (opts[O_PDF].count) {
		pdf_words *w = NULL; /* a bad --lang is refused before anything is written */
		if ((strcmp(opts[O_PDF].val, "-") && (rc = bt_file_writable(opts[O_PDF].val, "pdf", e))) ||
		    (rc = receipt_pdf_lang_load(pdf_forms_dir(), opts[O_LANG].count ? opts[O_LANG].val : "en", &w, e)))
			return rc;
		pdf_words_free(w);
		if ((rc = receipt_pdf(db, seq, k, &opts[O_PDF], &opts[O_LANG], &opts[O_RECEIPT], e)) ||
		    !opts[O_RECEIPT].count)
			return rc;
	}
	bt_buf r = BT_BUF_INIT;
	rc = bt_receipt_issue(db, seq, k, &r, NULL, e);
	if (rc == BT_OK && opts[O_RECEIPT].count) {
		if ((rc = bt_file_write(opts[O_RECEIPT].val, "receipt", r.data, r.len, e)) == BT_OK &&
		    !(opts[O_PDF].count && !strcmp(opts[O_PDF].val, "-"))) /* stdout has the PDF */
			printf("receipt saved to %s\n", opts[O_RECEIPT].val);
	} else if (rc == BT_OK) {
		fwrite(r.data, 1, r.len, stdout);
	}
	bt_buf_release(&r);
	return rc;
}

static int receipt_verify(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("key", CLI_ARG), CLI_OPT_END };
	bt_pubkey pub;
	bt_receipt r;
	bt_buf text = BT_BUF_INIT;
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos != 1)
		return bt_fail(e, BT_EINPUT, "receipt verify: the receipt FILE is required");
	if ((rc = cli_require(&opts[0], e)) ||
	    (rc = cli_read_pubkey("--key", opts[0].val, &pub, e)) ||
	    (rc = cli_read_file("receipt", ctx->pos[0], RECEIPT_FILE_MAX, 0, &text, e)))
		goto out;
	if ((rc = bt_receipt_verify(text.data, text.len, &pub, &r, e)))
		goto out;
	printf("receipt verified: signed by %s\n", pub.text);
	if (r.member[0])
		printf("%s %s of %s on %s in circular %s, received %s\n", r.kind, r.choice, r.member,
		       r.draft, r.circular, r.received);
	else
		printf("decision %s on %s in circular %s\n", r.choice, r.draft, r.circular);
	printf("recorded %s as event %" PRId64 ", chain hash %s\n", r.recorded, r.event, r.hash);
	if (r.attachments)
		printf("with %d attachment%s identified by SHA-256 (listed in the receipt)\n",
		       r.attachments, r.attachments == 1 ? "" : "s");
	if (r.signer[0])
		printf("form signed by %s (%s)\n", r.signer, r.signer_verified ? "verified" : "not verified");
out:
	bt_buf_release(&text);
	return rc;
}

/* `ballot receipt show|verify`. */
int cmd_receipt(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "show", receipt_show }, { "verify", receipt_verify },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
