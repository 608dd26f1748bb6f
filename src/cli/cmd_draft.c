/* cmd_draft.c - `ballot draft add|set|list`: the draft Recommendations of a
 * consultation. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "pdf/doc.h"
#include "pdf/lang.h"

static const char USAGE[] =
	"usage: ballot draft add --circular ID --rec REC --title TEXT\n"
	"              [--former NAME] [--revised] [--summary TEXT] [--text FILE]\n"
	"              [--source DOC] [--texts-available DATE]\n"
	"              [--title-fr TEXT] [--title-es TEXT] [--title-ru TEXT]\n"
	"              [--title-zh TEXT] [--title-ar TEXT] [--summary-fr TEXT]\n"
	"              [--summary-es TEXT] [--summary-ru TEXT] [--summary-zh TEXT]\n"
	"              [--summary-ar TEXT]\n"
	"       ballot draft set --circular ID --draft REC\n"
	"              [--title-fr TEXT] [--title-es TEXT] [--title-ru TEXT]\n"
	"              [--title-zh TEXT] [--title-ar TEXT] [--summary-fr TEXT]\n"
	"              [--summary-es TEXT] [--summary-ru TEXT] [--summary-zh TEXT]\n"
	"              [--summary-ar TEXT]\n"
	"       ballot draft list --circular ID [--json]\n"
	"       ballot draft text --circular ID --draft REC [--out FILE]\n";

static const char USAGE_ADD[] =
	"usage: ballot draft add --circular ID --rec REC --title TEXT\n"
	"              [--former NAME] [--revised] [--summary TEXT] [--text FILE]\n"
	"              [--source DOC] [--texts-available DATE]\n"
	"              [--title-fr TEXT] [--title-es TEXT] [--title-ru TEXT]\n"
	"              [--title-zh TEXT] [--title-ar TEXT] [--summary-fr TEXT]\n"
	"              [--summary-es TEXT] [--summary-ru TEXT] [--summary-zh TEXT]\n"
	"              [--summary-ar TEXT]\n"
	"\n"
	"Adds a draft Recommendation (e.g. --rec Q.5051 --former Q.FW_CSM) to an\n"
	"open consultation. --revised marks a draft revised Recommendation; --source\n"
	"names the document it comes from (e.g. SG11-R25). With --text, the SHA-256\n"
	"of the exact draft text in FILE is stored and shown, and the text itself\n"
	"is kept (at most 16 MiB; `ballot draft text` gives it back). Under the tap rule\n"
	"--summary is required (WTSA Res. 1 §9.3.4). --texts-available records the\n"
	"date the text was out in the official languages (§9.3.5: at least one\n"
	"month before the meeting; a later date is accepted with a warning). A\n"
	"title with a character no installed font can print (forms/fonts.tsv) is\n"
	"refused: it goes on every form and report. --title-fr, --title-es,\n"
	"--title-ru, --title-zh, --title-ar and --summary-fr, --summary-es,\n"
	"--summary-ru, --summary-zh, --summary-ar give the title and summary in\n"
	"the other official languages, as the circular gives them:\n"
	"the forms, reports and portal pages in that language show them (English\n"
	"where none is given, with a warning from ballot forms).\n";

static const char USAGE_SET[] =
	"usage: ballot draft set --circular ID --draft REC\n"
	"              [--title-fr TEXT] [--title-es TEXT] [--title-ru TEXT]\n"
	"              [--title-zh TEXT] [--title-ar TEXT] [--summary-fr TEXT]\n"
	"              [--summary-es TEXT] [--summary-ru TEXT] [--summary-zh TEXT]\n"
	"              [--summary-ar TEXT]\n"
	"\n"
	"Adds or corrects a draft's title and summary in the other official\n"
	"languages: French, Spanish, Russian, Chinese and Arabic (a draft-titles\n"
	"event; the English title and summary never change). Until the deadline any may be added or corrected; after it, and\n"
	"once closed, a language's title or summary can still be added where none\n"
	"was recorded (for the report), but no longer changed: the members replied\n"
	"to what they were sent. A text equal to the one in force is not recorded.\n";

/* The options --title-fr... and --summary-fr..., in bt_draft_langs' order: a
 * title's index i, its summary's BT_DRAFT_LANGS + i. */
#define LANG_OPTS                                                                      \
	CLI_OPT("title-fr", CLI_ARG), CLI_OPT("title-es", CLI_ARG),                   \
	CLI_OPT("title-ru", CLI_ARG), CLI_OPT("title-zh", CLI_ARG),                   \
	CLI_OPT("title-ar", CLI_ARG), CLI_OPT("summary-fr", CLI_ARG),                 \
	CLI_OPT("summary-es", CLI_ARG), CLI_OPT("summary-ru", CLI_ARG),               \
	CLI_OPT("summary-zh", CLI_ARG), CLI_OPT("summary-ar", CLI_ARG)

static const char USAGE_LIST[] =
	"usage: ballot draft list --circular ID [--json]\n"
	"\n"
	"Lists the drafts of a consultation with their state and outcome. --json:\n"
	"an array of {\"rec\", \"former\", \"revised\", \"state\", \"outcome\",\n"
	"\"text_sha256\", \"texts_available\", \"source\", \"title\", \"summary\"}\n"
	"(null where not recorded).\n";

/* The title goes on every form and report: one the fonts cannot print is
 * refused now, while the secretariat can still choose another wording
 * (once stored, it is printed with the mark instead). */
static int title_printable(const char *title, bt_err *e)
{
	pdf_fonts *fonts = NULL;
	int rc = pdf_fonts_load(pdf_forms_dir(), &fonts, e);
	if (rc == BT_OK)
		rc = pdf_text_check(fonts, title, "--title", e);
	pdf_fonts_free(fonts);
	return rc;
}

/* The titles given in other languages (o: the LANG_OPTS entries), each
 * printable as title_printable asks; the clean ones only (the engine says
 * what is wrong with the others). */
static int lang_titles(const cli_opt *o, const char *titles[BT_DRAFT_LANGS],
		       const char *summaries[BT_DRAFT_LANGS], bt_err *e)
{
	pdf_fonts *fonts = NULL;
	int rc = BT_OK;
	for (int i = 0; i < BT_DRAFT_LANGS; i++) {
		titles[i] = o[i].count ? o[i].val : NULL;
		summaries[i] = o[BT_DRAFT_LANGS + i].count ? o[BT_DRAFT_LANGS + i].val : NULL;
		if (rc == BT_OK && titles[i] && bt_text_clean(titles[i], 0)) {
			char opt[16];
			snprintf(opt, sizeof opt, "--title-%s", bt_draft_langs[i]);
			if (!fonts)
				rc = pdf_fonts_load(pdf_forms_dir(), &fonts, e);
			if (rc == BT_OK)
				rc = pdf_text_check(fonts, titles[i], opt, e);
		}
	}
	pdf_fonts_free(fonts);
	return rc;
}

/* Warns when the texts of a draft became available later than §9.3.5
 * asks (one month before the meeting), as the timeline checks it. */
static void texts_late_warning(bt_db *db, const char *circular, const char *rec,
			       const char *given, bt_err *e)
{
	bt_timeline t;

	if (bt_timeline_get(db, circular, &t, e) != BT_OK)
		return;
	for (size_t i = 0; i < t.nchecks; i++)
		if (!strcmp(t.checks[i].name, "texts_available") &&
		    !strcmp(t.checks[i].rec, rec) && t.checks[i].holds == 0) {
			char due[BT_DATE_LEN];
			bt_date_format(t.checks[i].due, due);
			cli_warn("texts available on %s, after %s: WTSA Res. 1 §9.3.5 asks for "
				 "one month before the meeting", given, due);
		}
	bt_timeline_free(&t);
}

/* `draft list --json`: every draft with its state and texts. */
static int drafts_json(const bt_draft_list *dl, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	int rc;

	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < dl->n; i++) {
		const bt_draft *d = &dl->v[i];
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_str(&b, "rec", d->rec, 1);
		bt_json_key(&b, "former", 0);
		cli_json_str_or_null(&b, d->former);
		bt_json_kv_bool(&b, "revised", d->revised, 0);
		bt_json_kv_str(&b, "state", d->state, 0);
		bt_json_kv_str(&b, "outcome", d->outcome[0] ? d->outcome : "pending", 0);
		bt_json_key(&b, "text_sha256", 0);
		cli_json_str_or_null(&b, d->text_sha256);
		cli_json_kv_date(&b, "texts_available", d->texts_available, 0);
		bt_json_key(&b, "source", 0);
		cli_json_str_or_null(&b, d->source);
		bt_json_key(&b, "title", 0);
		cli_json_str_or_null(&b, d->title);
		bt_json_key(&b, "summary", 0);
		cli_json_str_or_null(&b, d->summary);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	rc = cli_print_json(&b, e);
	bt_buf_release(&b);
	return rc;
}

/* The options of `draft add`, in their table's order. */
enum { A_CIRCULAR, A_REC, A_TITLE, A_FORMER, A_REVISED, A_SUMMARY,
       A_TEXT, A_SOURCE, A_TEXTS_AVAILABLE, A_LANGS };

/* The draft as the options give it (its strings point into opts). */
static int add_spec(const cli_opt *opts, bt_draft_spec *sp, bt_err *e)
{
	int rc;

	for (int i = A_CIRCULAR; i <= A_TITLE; i++)
		if ((rc = cli_require(&opts[i], e)) != BT_OK)
			return rc;
	memset(sp, 0, sizeof *sp);
	sp->circular = opts[A_CIRCULAR].val;
	sp->rec = opts[A_REC].val;
	sp->title = opts[A_TITLE].val;
	sp->former = opts[A_FORMER].val;
	sp->summary = opts[A_SUMMARY].val;
	sp->source = opts[A_SOURCE].val;
	sp->revised = opts[A_REVISED].count > 0;
	if (opts[A_TEXTS_AVAILABLE].count) {
		sp->has_texts_available = 1;
		rc = bt_date_parse(opts[A_TEXTS_AVAILABLE].val, "texts_available",
				   &sp->texts_available, e);
		if (rc != BT_OK)
			return rc;
	}

	return BT_OK;
}

static int draft_add(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = {
		CLI_OPT("circular", CLI_ARG), CLI_OPT("rec", CLI_ARG),
		CLI_OPT("title", CLI_ARG), CLI_OPT("former", CLI_ARG),
		CLI_OPT("revised", CLI_FLAG), CLI_OPT("summary", CLI_ARG),
		CLI_OPT("text", CLI_ARG), CLI_OPT("source", CLI_ARG),
		CLI_OPT("texts-available", CLI_ARG), LANG_OPTS,
		CLI_OPT_END
	};
	bt_draft_spec spec;
	bt_draft d;
	bt_buf text = BT_BUF_INIT;
	bt_time now;
	bt_db *db;
	int rc;

	memset(&d, 0, sizeof d);
	rc = cli_parse(ctx, argc, argv, USAGE_ADD, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = add_spec(opts, &spec, e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK && opts[A_TEXT].count) {
		rc = cli_read_file("--text", opts[A_TEXT].val,
				   (int64_t)BT_BUF_DEFAULT_MAX, 0, &text, e);
		spec.text = text.data;
		spec.text_len = text.len;
	}
	/* unclean text: the engine says so */
	if (rc == BT_OK && bt_text_clean(spec.title, 0))
		rc = title_printable(spec.title, e);
	if (rc == BT_OK)
		rc = lang_titles(&opts[A_LANGS], spec.titles, spec.summaries, e);
	if (rc == BT_OK)
		rc = bt_draft_add(db, &spec, cli_actor(ctx), now, &d, e);
	if (rc == BT_OK) {
		printf("added draft %s to circular %s: %s\n", d.rec,
		       spec.circular, d.title ? d.title : spec.title);
		if (d.text_sha256[0])
			printf("text sha256 %s (%zu bytes, %s)\n", d.text_sha256,
			       text.len, cli_basename(opts[A_TEXT].val));
		if (spec.has_texts_available)
			texts_late_warning(db, spec.circular, d.rec,
					   opts[A_TEXTS_AVAILABLE].val, e);
	}
	bt_draft_clear(&d);
	bt_buf_release(&text);
	return rc;
}

static int draft_set(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("draft", CLI_ARG), LANG_OPTS, CLI_OPT_END };
	bt_draft_titles_spec spec;
	bt_time now;
	bt_db *db;
	int changed = 0, rc = cli_parse(ctx, argc, argv, USAGE_SET, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) || (rc = cli_require(&opts[1], e)))
		return rc;
	memset(&spec, 0, sizeof spec);
	spec.circular = opts[0].val;
	spec.rec = opts[1].val;
	if ((rc = lang_titles(&opts[2], spec.titles, spec.summaries, e)))
		return rc;
	rc = cli_open_db(ctx, 1, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = bt_draft_set_titles(db, &spec, cli_actor(ctx), now, &changed, e);
	if (rc == BT_OK && changed)
		printf("draft %s of circular %s: %d title%s or summar%s recorded\n", spec.rec, spec.circular,
		       changed, changed == 1 ? "" : "s", changed == 1 ? "y" : "ies");
	else if (rc == BT_OK)
		printf("draft %s of circular %s: unchanged (the texts given are the ones in force)\n", spec.rec,
		       spec.circular);
	return rc;
}

/* The languages draft d has no title in, as "fr, zh" into out (cap n). */
static void missing_langs(const bt_draft *d, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < BT_DRAFT_LANGS && len + 5 < n; i++)
		if (!d->titles[i])
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", bt_draft_langs[i]);
}

/* A warning per draft of l with no title in some language. */
static void missing_warnings(const bt_draft_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		char miss[64];
		missing_langs(&l->v[i], miss, sizeof miss);
		if (miss[0])
			cli_warn("draft %s has no title in %s: the forms and reports in %s use the English one",
				 l->v[i].rec, miss, strchr(miss, ',') ? "those languages" : "it");
	}
}

static int draft_list(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_draft_list dl = { NULL, 0 };
	cli_table t;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE_LIST, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[0], e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_drafts_list(db, opts[0].val, &dl, e);
	if (rc == BT_OK)
		rc = cli_drafts_now(ctx, db, opts[0].val, &dl, e);
	if (rc != BT_OK)
		goto out;
	if (opts[1].count) {
		rc = drafts_json(&dl, e);
		goto out;
	}
	if (dl.n == 0) {
		printf("circular %s has no drafts\n", opts[0].val);
		goto out;
	}
	cli_table_init(&t, 6);
	cli_table_add(&t, (const char *const[]){ "REC", "FORMER", "STATE",
						 "OUTCOME", "TEXT SHA-256",
						 "TITLE" });
	for (size_t i = 0; i < dl.n; i++) {
		const bt_draft *d = &dl.v[i];
		char sha[20] = "-";
		if (d->text_sha256[0])
			snprintf(sha, sizeof sha, "%.12s", d->text_sha256);
		cli_table_add(&t, (const char *const[]){
			d->rec, d->former ? d->former : "-", d->state,
			d->outcome[0] ? d->outcome : "pending", sha,
			d->title ? d->title : "-" });
	}
	rc = cli_table_print(&t, "llllll", stdout, e);
	cli_table_release(&t);
	if (rc == BT_OK)
		missing_warnings(&dl);
out:
	bt_draft_list_free(&dl);
	return rc;
}

/* `ballot draft add|set|list ...`. */
int cmd_draft(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "add", draft_add },
					{ "set", draft_set },
					{ "list", draft_list },
					{ "text", cmd_draft_text },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
