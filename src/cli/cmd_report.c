/* cmd_report.c - `ballot report`: the tally report of a consultation as PDF,
 * in the six ITU languages. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "pdf/lang.h"
#include "pdf/report.h"

static const char USAGE[] =
	"usage: ballot report --circular ID [--lang LANGS] [--out FILE | --dir DIR]\n"
	"                     [--as-of TIME] [--paper a4|letter]\n"
	"\n"
	"Writes the tally report of the consultation as PDF: per draft the figures,\n"
	"a bar of the support share against the rule's threshold, the state and the\n"
	"latest decision, the outcome and the rule with its clause; the electorate\n"
	"in four lists that add up: members with a counted reply, with only a late\n"
	"reply (a late reply wins over a withdrawal), withdrawn, and that did not\n"
	"reply. --as-of TIME: the record as it stood then (only what was recorded\n"
	"by TIME), the cut-off printed; a TIME before the circular's date is refused.\n"
	"LANGS: en (the default), all, or a comma-separated list of en, fr, es, ru,\n"
	"zh, ar. The file is DIR/<circular>-<lang>.pdf (DIR: output/reports), or\n"
	"FILE for a single language. Figures are as of now (or --as-of); a report\n"
	"after the deadline without --as-of carries no clock, so the same database\n"
	"gives the same bytes.\n";

enum { O_CIRCULAR, O_LANG, O_OUT, O_DIR, O_AS_OF, O_PAPER };

/* What the report's options ask for, once checked. */
typedef struct report_ask {
	const char *langs[PDF_NLANGS];
	int nlangs;
	pdf_paper paper;
	int has_as_of;
	bt_time as_of;
	const char *out; /* --out FILE, or NULL */
	const char *dir; /* --dir DIR, or output/reports */
} report_ask;

/* The options checked into a: languages, paper, --as-of, --out or --dir
 * (one file for --out, a path within CLI_OUT_PATH_MAX). */
static int report_options(const cli_opt *opts, report_ask *a, bt_err *e)
{
	int rc = pdf_langs_parse(opts[O_LANG].count ? opts[O_LANG].val : "en", a->langs, &a->nlangs, e);
	if (rc == BT_OK && opts[O_PAPER].count)
		rc = pdf_paper_parse(opts[O_PAPER].val, &a->paper, e);
	if (rc == BT_OK)
		rc = cli_opt_time(&opts[O_AS_OF], &a->has_as_of, &a->as_of, e);
	if (rc == BT_OK && opts[O_OUT].count && opts[O_DIR].count)
		rc = bt_fail(e, BT_EINPUT, "--out and --dir exclude each other");
	if (rc == BT_OK && opts[O_OUT].count && a->nlangs > 1)
		rc = bt_fail(e, BT_EINPUT, "--out names one file: give one --lang, or --dir for several");
	for (int k = O_OUT; k <= O_DIR && rc == BT_OK; k++)
		if (opts[k].count && (!*opts[k].val || strlen(opts[k].val) > CLI_OUT_PATH_MAX))
			rc = bt_fail(e, BT_EINPUT, "--%s: '%.40s' is empty or longer than %d bytes", opts[k].name,
				     opts[k].val, CLI_OUT_PATH_MAX);
	a->out = opts[O_OUT].count ? opts[O_OUT].val : NULL;
	a->dir = opts[O_DIR].count ? opts[O_DIR].val : "output/reports";
	return rc;
}

/* Writes the n rendered reports pdf[] (language a->langs[i]): a->out, or
 * DIR/<circular>-<lang>.pdf, each said on stdout. */
static int report_write(const report_ask *a, const report_source *d, bt_buf *pdf, bt_err *e)
{
	/* the circular names the file: it must stay inside --dir */
	int rc = BT_OK;
	if (!a->out)
		rc = bt_file_name_check(d->c.circular, "circular", e);
	if (rc == BT_OK && !a->out)
		rc = bt_dir_make(a->dir, "dir", e);
	for (int i = 0; i < a->nlangs && rc == BT_OK; i++) {
		char path[4200];
		if (a->out)
			snprintf(path, sizeof path, "%s", a->out);
		else if ((rc = bt_file_name_check(d->c.circular, "circular", e)))
			break;
		else
			snprintf(path, sizeof path, "%s/%s-%s.pdf", a->dir, d->c.circular, a->langs[i]);
		rc = bt_file_write(path, a->out ? "out" : "dir", pdf[i].data, pdf[i].len, e);
		if (rc == BT_OK)
			printf("wrote %s\n", path);
	}
	return rc;
}

/* Renders the report in every language asked before writing any file. */
static int report_render_all(const report_ask *a, report_source *d, bt_err *e)
{
	pdf_fonts *fonts = NULL;
	report_lang *rl[PDF_NLANGS] = { NULL };
	bt_buf pdf[PDF_NLANGS];
	int rc = pdf_fonts_load(pdf_forms_dir(), &fonts, e);
	for (int i = 0; i < a->nlangs; i++)
		bt_buf_init(&pdf[i], 0);
	for (int i = 0; i < a->nlangs && rc == BT_OK; i++) {
		rc = report_lang_load(pdf_forms_dir(), a->langs[i], &rl[i], e);
		if (rc == BT_OK)
			rc = report_render(fonts, rl[i], &d->data, a->paper, &pdf[i], e);
	}
	if (rc == BT_OK)
		rc = report_write(a, d, pdf, e);
	for (int i = 0; i < a->nlangs; i++) {
		report_lang_free(rl[i]);
		bt_buf_release(&pdf[i]);
	}
	pdf_fonts_free(fonts);
	return rc;
}

/* `ballot report --circular ID [--lang L] [--out FILE] ...`. */
int cmd_report(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("lang", CLI_ARG),
			   CLI_OPT("out", CLI_ARG), CLI_OPT("dir", CLI_ARG),
			   CLI_OPT("as-of", CLI_ARG), CLI_OPT("paper", CLI_ARG),
			   CLI_OPT_END };
	report_ask a = { .paper = PDF_A4 };
	report_source d;
	bt_db *db;
	memset(&d, 0, sizeof d);
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK)
		return rc;
	rc = report_options(opts, &a, e);
	if (rc == BT_OK && !a.has_as_of)
		rc = cli_now(ctx, &a.as_of, e);
	if (rc == BT_OK)
		rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = report_gather(db, opts[O_CIRCULAR].val, a.as_of, &d, e);
	if (rc == BT_OK) {
		d.data.cut_off = a.has_as_of;
		rc = report_render_all(&a, &d, e);
	}
	report_source_free(&d);
	if (rc == BT_OK)
		rc = cli_flush_stdout(e);
	return rc;
}
