/* cmd_draft_text.c - `ballot draft text`: the draft's text as `draft add
 * --text` stored it, checked against its SHA-256 before it is given out. */
#include "cli.h"

#include <stdio.h>

static const char USAGE_TEXT[] =
	"usage: ballot draft text --circular ID --draft REC [--out FILE]\n"
	"\n"
	"Gives back the text `ballot draft add` stored with the draft (from its\n"
	"text FILE), byte for byte, after checking it against the draft's SHA-256:\n"
	"on standard output, or into FILE with --out. A draft added without a\n"
	"text, or before ballot kept the texts (its SHA-256 alone), has none:\n"
	"exit 2.\n";

/* `ballot draft text ...`. */
int cmd_draft_text(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_DRAFT, O_OUT };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("draft", CLI_ARG), CLI_OPT("out", CLI_ARG),
			   CLI_OPT_END };
	bt_buf text = BT_BUF_INIT;
	char sha[65];
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_TEXT, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) || (rc = cli_require(&opts[O_DRAFT], e)))
		return rc;
	if (opts[O_OUT].count && (rc = bt_file_writable(opts[O_OUT].val, "out", e)))
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)) ||
	    (rc = bt_draft_text_get(db, opts[O_CIRCULAR].val, opts[O_DRAFT].val, &text, sha, e)))
		goto out;
	if (opts[O_OUT].count) {
		if ((rc = bt_file_write(opts[O_OUT].val, "out", text.data ? text.data : "", text.len, e)) == BT_OK)
			printf("draft text saved to %s (%zu bytes, sha256 %s)\n", opts[O_OUT].val, text.len, sha);
	} else {
		if (text.len && fwrite(text.data, 1, text.len, stdout) != text.len)
			rc = bt_fail(e, BT_EFAIL, "writing the draft text: %s", "short write");
		if (rc == BT_OK)
			rc = cli_flush_stdout(e);
	}
out:
	bt_buf_release(&text);
	return rc;
}
