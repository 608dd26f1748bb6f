/* cmd_history.c - `ballot history`: every reply, withdrawal, closure and
 * decision recorded for a consultation, superseded and late ones included. */
#include "cli.h"
#include "ballot/export.h"

#include <inttypes.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot history --circular ID [--member CODE] [--json]\n"
	"\n"
	"Shows every reply, withdrawal, deadline move, closure and decision ever\n"
	"recorded for the consultation (of one member with --member), in the order\n"
	"recorded, with its status against the deadline (counted, superseded,\n"
	"withdrawn, withdrawal, late), who recorded it and when, and its\n"
	"attachments.\n";

static int history_json(const bt_history *h, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	int rc = bt_history_json(h, &b, e);
	if (!rc)
		fwrite(b.data, 1, b.len, stdout);
	bt_buf_release(&b);
	return rc;
}

/* An opposition by members with no reply counted by the deadline is
 * allowed (they may oppose at the meeting), but said: the decision's
 * detail marks them "no_reply". */
static void no_reply_note(const bt_history_item *it, bt_buf *note)
{
	bt_jv *o = NULL;
	bt_err ignore;
	if (!it->detail ||
	    bt_json_parse(it->detail, strlen(it->detail), "detail", &o, &ignore) != BT_OK)
		return;
	const bt_jv *list = bt_jv_get(o, "opposed_by");
	size_t n = 0;
	for (size_t i = 0; list && list->type == BT_JARR && i < list->n; i++) {
		const bt_jv *nr = bt_jv_get(&list->items[i], "no_reply");
		const char *code = bt_jv_str(&list->items[i], "member");
		if (code && nr && nr->type == BT_JBOOL && nr->boolean)
			bt_buf_addf(note, "%s%s", n++ ? ", " : note->len ? "; " : "",
				    code);
	}
	if (n)
		bt_buf_addf(note, " did not reply to the consultation (no reply counted by the deadline)");
	bt_jv_free(o);
}

/* The NOTE column: attachments, flags, signatory, decision detail. */
static void item_note(const bt_history_item *it, bt_buf *note)
{
	for (size_t a = 0; a < it->n_attachments; a++) {
		const bt_attachment *at = &it->attachments[a];
		bt_buf_addf(note, "%s%s: %s (%" PRId64 " bytes, sha256 %.12s)",
			    note->len ? "; " : "", at->role, at->name, at->size,
			    at->sha256);
	}
	if (it->without_reasons)
		bt_buf_addf(note, "%swithout reasons", note->len ? "; " : "");
	if (it->late_entry)
		bt_buf_addf(note, "%sentered after the deadline: %s", note->len ? "; " : "", it->late_entry);
	if (it->signatory)
		bt_buf_addf(note, "%ssigned by %s%s%s", note->len ? "; " : "",
			    it->signatory, it->title ? ", " : "",
			    it->title ? it->title : "");
	if (it->signer)
		bt_buf_addf(note, "%sform signed by %s (%s)", note->len ? "; " : "", it->signer,
			    it->signer_verified ? "verified" : "not verified");
	if (it->detail)
		bt_buf_addf(note, "%s%s", note->len ? "; " : "", it->detail);
	if (strcmp(it->kind, "decision") == 0)
		no_reply_note(it, note);
}

static int history_text(const char *circular, const bt_history *h, bt_err *e)
{
	cli_table t;
	int rc;

	if (h->n == 0) {
		printf("nothing recorded for circular %s\n", circular);
		return BT_OK;
	}
	cli_table_init(&t, 11);
	cli_table_add(&t, (const char *const[]){
		"SEQ", "KIND", "MEMBER", "REC", "WHAT", "RECEIVED", "CHANNEL",
		"STATUS", "RECORDED BY", "RECORDED AT", "NOTE" });
	for (size_t i = 0; i < h->n; i++) {
		const bt_history_item *it = &h->v[i];
		char seq[24], rt[BT_TIME_LEN], at[BT_TIME_LEN];
		bt_buf note = BT_BUF_INIT;

		snprintf(seq, sizeof seq, "%" PRId64, it->seq);
		bt_time_format(it->received, rt);
		bt_time_format(it->recorded_at, at);
		item_note(it, &note);
		cli_table_add(&t, (const char *const[]){
			seq, it->kind, it->member[0] ? it->member : "-",
			it->rec[0] ? it->rec : "-", it->what, rt,
			it->channel[0] ? it->channel : "-",
			it->status[0] ? it->status : "-", it->recorded_by, at,
			note.len ? bt_buf_str(&note) : "" });
		bt_buf_release(&note);
	}
	rc = cli_table_print(&t, "rllllllllll", stdout, e);
	cli_table_release(&t);
	return rc;
}

/* `ballot history --circular ID [--member CODE] [--json]`. */
int cmd_history(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_MEMBER, O_JSON };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG),
			   CLI_OPT("member", CLI_ARG), CLI_OPT("json", CLI_FLAG),
			   CLI_OPT_END };
	bt_history h = { NULL, 0 };
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_history_get(db, opts[O_CIRCULAR].val, opts[O_MEMBER].val, &h, e);
	if (rc != BT_OK)
		cli_member_hint(ctx->db, opts[O_MEMBER].val, rc, e);
	if (rc == BT_OK)
		rc = opts[O_JSON].count ? history_json(&h, e)
					: history_text(opts[O_CIRCULAR].val, &h, e);
	bt_history_free(&h);
	return rc;
}
