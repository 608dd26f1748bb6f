/* cmd_scan.c - `ballot scan FILE... [--json]`: the proposal a scanned or
 * faxed Annex 2 form makes, read from its QR code and its tick boxes
 * (src/pdf/scan.h), to be confirmed before anything is recorded. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot/formref.h"
#include "ballot/json.h"
#include "pdf/annex2.h"
#include "pdf/pdfread.h"
#include "pdf/scan_read.h"

static const char USAGE[] =
	"usage: ballot scan FILE... [--json]\n"
	"\n"
	"Reads returned Annex 2 forms from scans or faxes (PNG, TIFF, JPEG, PDF;\n"
	"every page): each page's QR code names the circular, member, language\n"
	"and draft list; the registration marks in its corners locate it; the\n"
	"tick boxes are read where the form drew them. Prints a proposal per\n"
	"form: per draft the choice with a confidence (0-100), or \"uncertain\"\n"
	"with why (no box ticked, several, marks in another box, the boxes not\n"
	"found). A page without a QR code is named. Records nothing.\n";

typedef struct job {
	scan_result res;
	bt_buf out;          /* the report, text or JSON */
} job;

int cli_scan_form(cli_ctx *ctx, bt_db *db, const char *file,
		  const char *what, pdf_form_values *v,
		  char ref[BT_FORM_REF_MAX], bt_err *e)
{
	cli_value url;
	cli_conf_value(ctx, CONF_PORTAL_URL, NULL, &url);
	scan_reader rd = { db, NULL, url.value, 0, 0 };
	return scan_read_form(&rd, file, file, NULL, 0, what, v, ref, e);
}

/* The pages not read, as text lines or JSON objects. */
static void unread_out(bt_buf *o, const scan_result *res, int json)
{
	for (size_t i = 0; i < res->nunread; i++) {
		const scan_unread *u = &res->unread[i];
		if (!json) {
			bt_buf_addf(o, "%s page %zu: not read: %s\n", u->file, u->page, u->why);
			continue;
		}
		bt_buf_adds(o, i ? ",{" : "{");
		bt_json_kv_str(o, "file", u->file, 1);
		bt_json_kv_int(o, "page", (int64_t)u->page, 0);
		bt_json_kv_str(o, "reason", u->why, 0);
		bt_buf_adds(o, "}");
	}
}

static void print_text(job *j)
{
	bt_buf *o = &j->out;
	for (size_t i = 0; i < j->res.nforms; i++) {
		const scan_form *f = &j->res.forms[i];
		bt_buf_addf(o, "form %s: circular %s, member %s, language %s%s%s\n",
			    f->ref, f->r.circular, f->r.member, f->r.lang,
			    f->paper ? ", " : "", f->paper ? f->paper : "");
		if (f->stale && f->as_issued)
			bt_buf_addf(o, "  issued before %s %s added: read as issued\n",
				    f->added, strchr(f->added, ',') ? "were" : "was");
		else if (f->stale)
			bt_buf_adds(o, "  issued for drafts this circular never had "
				    "together: its boxes are not read\n");
		for (size_t k = 0; k < f->n; k++) {
			const scan_reading *r = &f->v[k];
			if (r->found && r->choice != BT_CHOICE_NONE)
				bt_buf_addf(o, "  %s: %s (confidence %d)\n", r->rec,
					    bt_choice_name(r->choice), r->confidence);
			else
				bt_buf_addf(o, "  %s: uncertain (%s)\n", r->rec,
					    r->why);
		}
	}
	unread_out(o, &j->res, 0);
}

/* "pages": each page of form f read: its number (0: its boxes not found)
 * and the turn measured (degrees clockwise, in points). */
static void pages_json(bt_buf *o, const scan_form *f)
{
	bt_json_key(o, "pages", 0);
	bt_buf_adds(o, "[");
	for (size_t k = 0; k < f->npages; k++) {
		bt_buf_adds(o, k ? ",{" : "{");
		bt_json_kv_int(o, "page", f->pages[k].page, 1);
		bt_json_key(o, "turn", 0);
		bt_buf_addf(o, "%.1f}", f->pages[k].turn);
	}
	bt_buf_adds(o, "]");
}

static void print_json(job *j)
{
	bt_buf *o = &j->out;
	bt_buf_adds(o, "{\"forms\":[");
	for (size_t i = 0; i < j->res.nforms; i++) {
		const scan_form *f = &j->res.forms[i];
		bt_buf_adds(o, i ? ",{" : "{");
		bt_json_kv_str(o, "ref", f->ref, 1);
		bt_json_kv_str(o, "circular", f->r.circular, 0);
		bt_json_kv_str(o, "member", f->r.member, 0);
		bt_json_kv_str(o, "lang", f->r.lang, 0);
		bt_json_key(o, "paper", 0);
		bt_json_str_or_null(o, f->paper);
		bt_json_kv_bool(o, "stale", f->stale, 0);
		bt_json_key(o, "added_since", 0);
		bt_json_str_or_null(o, f->as_issued ? f->added : NULL);
		pages_json(o, f);
		bt_json_key(o, "drafts", 0);
		bt_buf_adds(o, "[");
		for (size_t k = 0; k < f->n; k++) {
			const scan_reading *r = &f->v[k];
			int ok = r->found && r->choice != BT_CHOICE_NONE;
			bt_buf_adds(o, k ? ",{" : "{");
			bt_json_kv_str(o, "rec", r->rec, 1);
			bt_json_key(o, "choice", 0);
			bt_json_str_or_null(o, ok ? bt_choice_name(r->choice) : NULL);
			bt_json_kv_int(o, "confidence", ok ? r->confidence : 0, 0);
			bt_json_key(o, "uncertain", 0);
			bt_json_str_or_null(o, ok ? NULL : r->why);
			bt_buf_adds(o, "}");
		}
		bt_buf_adds(o, "]}");
	}
	bt_buf_adds(o, "],\"unread\":[");
	unread_out(o, &j->res, 1);
	bt_buf_adds(o, "]}\n");
}

/* `ballot scan FILE... [--json]`. */
int cmd_scan(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	job j;
	memset(&j, 0, sizeof j);
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, -1, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (ctx->npos == 0)
		return bt_fail(e, BT_EINPUT, "FILE: give one scan at least");
	bt_buf_init(&j.out, 0);
	cli_value url;
	cli_conf_value(ctx, CONF_PORTAL_URL, NULL, &url);
	scan_reader rd = { NULL, NULL, url.value, 0, 0 };
	rc = cli_open_db(ctx, 0, &rd.db, e);
	if (rc == BT_OK)
		rc = pdf_fonts_load(pdf_forms_dir(), &rd.fonts, e);
	for (int i = 0; rc == BT_OK && i < ctx->npos; i++)
		rc = scan_read_file(&rd, ctx->pos[i], ctx->pos[i], &j.res, e);
	if (rc == BT_OK) {
		if (opts[0].count > 0)
			print_json(&j);
		else
			print_text(&j);
		rc = j.out.failed ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
	}
	if (rc == BT_OK) {
		fputs(bt_buf_str(&j.out), stdout);
		rc = cli_flush_stdout(e);
	}
	scan_result_free(&j.res);
	pdf_fonts_free(rd.fonts);
	bt_buf_release(&j.out);
	return rc;
}
