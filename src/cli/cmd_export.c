/* cmd_export.c - `ballot export`: a consultation's replies and withdrawals
 * as CSV or JSON. The output depends on the database only (no clock): the
 * statuses are judged against the deadline, so exports are reproducible. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_MAX ((size_t)1024 * 1024 * 1024)

static const char USAGE[] =
	"usage: ballot export --circular ID --format csv|json\n"
	"\n"
	"Writes every reply and withdrawal of the consultation on stdout, in the\n"
	"order recorded, with its status against the deadline (counted,\n"
	"superseded, withdrawn, withdrawal, late). CSV columns: seq, circular, rec,\n"
	"member, name, choice, received, channel, status, without_reasons,\n"
	"attachments (name:sha256 joined by ';'), recorded_by, recorded_at. JSON\n"
	"adds the consultation, its drafts and its electorate.\n";

static int cmp_member(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const bt_member *)elem)->code);
}

static const char *member_name(const bt_member_list *all, const char *code)
{
	const bt_member *m = bsearch(code, all->v, all->n, sizeof *all->v,
				     cmp_member);
	return m ? m->name : NULL;
}

static int is_reply_row(const bt_history_item *it)
{
	return !strcmp(it->kind, "reply") || !strcmp(it->kind, "withdrawal");
}

/* Appends s as one CSV field, quoted per RFC 4180 when needed. */
static void csv_field(bt_buf *b, const char *s, int first)
{
	if (!first)
		bt_buf_addc(b, ',');
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		bt_buf_adds(b, s);
		return;
	}
	bt_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			bt_buf_addc(b, '"');
		bt_buf_addc(b, *s);
	}
	bt_buf_addc(b, '"');
}

static void export_csv(bt_buf *b, const bt_consultation *c,
		       const bt_history *h, const bt_member_list *all)
{
	bt_buf_adds(b, "seq,circular,rec,member,name,choice,received,channel,"
		       "status,without_reasons,attachments,recorded_by,"
		       "recorded_at\n");
	for (size_t i = 0; i < h->n; i++) {
		const bt_history_item *it = &h->v[i];
		char seq[24], rt[BT_TIME_LEN], at[BT_TIME_LEN];
		bt_buf att = BT_BUF_INIT;

		if (!is_reply_row(it))
			continue;
		snprintf(seq, sizeof seq, "%" PRId64, it->seq);
		bt_time_format(it->received, rt);
		bt_time_format(it->recorded_at, at);
		for (size_t a = 0; a < it->n_attachments; a++)
			bt_buf_addf(&att, "%s%s:%s", a ? ";" : "",
				    it->attachments[a].name,
				    it->attachments[a].sha256);
		csv_field(b, seq, 1);
		csv_field(b, c->circular, 0);
		csv_field(b, it->rec, 0);
		csv_field(b, it->member, 0);
		csv_field(b, member_name(all, it->member), 0);
		csv_field(b, it->what, 0);
		csv_field(b, rt, 0);
		csv_field(b, it->channel, 0);
		csv_field(b, it->status, 0);
		csv_field(b, it->without_reasons ? "1" : "0", 0);
		csv_field(b, bt_buf_str(&att), 0);
		csv_field(b, it->recorded_by, 0);
		csv_field(b, at, 0);
		bt_buf_addc(b, '\n');
		bt_buf_release(&att);
	}
}

static void export_json(bt_buf *b, const bt_consultation *c,
			const bt_draft_list *dl, const bt_member_list *el,
			const bt_history *h, const bt_member_list *all)
{
	int first = 1;

	bt_buf_addc(b, '{');
	bt_json_kv_str(b, "circular", c->circular, 1);
	bt_json_kv_int(b, "group", c->group, 0);
	bt_json_kv_str(b, "rule", c->rule, 0);
	cli_json_kv_time(b, "deadline", c->deadline, 0);
	bt_json_key(b, "drafts", 0);
	bt_buf_addc(b, '[');
	for (size_t i = 0; i < dl->n; i++) {
		const bt_draft *d = &dl->v[i];
		if (i)
			bt_buf_addc(b, ',');
		bt_buf_addc(b, '{');
		bt_json_kv_str(b, "rec", d->rec, 1);
		bt_json_kv_str(b, "title", d->title, 0);
		bt_json_key(b, "former", 0);
		cli_json_str_or_null(b, d->former);
		bt_json_kv_bool(b, "revised", d->revised, 0);
		bt_json_key(b, "summary", 0);
		cli_json_str_or_null(b, d->summary);
		bt_json_key(b, "source", 0);
		cli_json_str_or_null(b, d->source);
		bt_json_key(b, "text_sha256", 0);
		cli_json_str_or_null(b, d->text_sha256);
		bt_json_kv_str(b, "state", d->state, 0);
		bt_json_key(b, "outcome", 0);
		cli_json_str_or_null(b, d->outcome);
		bt_buf_addc(b, '}');
	}
	bt_buf_addc(b, ']');
	bt_json_key(b, "electorate", 0);
	bt_buf_addc(b, '[');
	for (size_t i = 0; i < el->n; i++) {
		if (i)
			bt_buf_addc(b, ',');
		bt_json_str(b, el->v[i].code);
	}
	bt_buf_addc(b, ']');
	bt_json_key(b, "replies", 0);
	bt_buf_addc(b, '[');
	for (size_t i = 0; i < h->n; i++) {
		const bt_history_item *it = &h->v[i];
		if (!is_reply_row(it))
			continue;
		if (!first)
			bt_buf_addc(b, ',');
		first = 0;
		bt_buf_addc(b, '{');
		bt_json_kv_int(b, "seq", it->seq, 1);
		bt_json_kv_str(b, "circular", c->circular, 0);
		bt_json_kv_str(b, "rec", it->rec, 0);
		bt_json_kv_str(b, "member", it->member, 0);
		bt_json_kv_str(b, "name", member_name(all, it->member), 0);
		bt_json_kv_str(b, "choice", it->what, 0);
		cli_json_kv_time(b, "received", it->received, 0);
		bt_json_key(b, "channel", 0);
		cli_json_str_or_null(b, it->channel);
		bt_json_kv_str(b, "status", it->status, 0);
		bt_json_kv_bool(b, "without_reasons", it->without_reasons, 0);
		bt_json_key(b, "attachments", 0);
		cli_json_attachments(b, it);
		bt_json_kv_str(b, "recorded_by", it->recorded_by, 0);
		cli_json_kv_time(b, "recorded_at", it->recorded_at, 0);
		bt_buf_addc(b, '}');
	}
	bt_buf_adds(b, "]}");
}

/* `ballot export --circular ID --format csv|json`. */
int cmd_export(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_FORMAT };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG),
			   CLI_OPT("format", CLI_ARG), CLI_OPT_END };
	bt_member_list all = { NULL, 0 }, el = { NULL, 0 };
	bt_draft_list dl = { NULL, 0 };
	bt_history h = { NULL, 0 };
	bt_consultation c;
	bt_buf b;
	int json;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK ||
	    (rc = cli_require(&opts[O_FORMAT], e)) != BT_OK)
		return rc;
	if (!strcmp(opts[O_FORMAT].val, "json"))
		json = 1;
	else if (!strcmp(opts[O_FORMAT].val, "csv"))
		json = 0;
	else
		return bt_fail(e, BT_EINPUT, "--format: '%s' is not csv or json",
			       opts[O_FORMAT].val);
	bt_buf_init(&b, EXPORT_MAX);
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_consultation_get(db, opts[O_CIRCULAR].val, &c, e);
	if (rc == BT_OK)
		rc = bt_members_list(db, BT_DATE_NONE, &all, e);
	if (rc == BT_OK)
		rc = bt_history_get(db, c.circular, NULL, &h, e);
	if (rc == BT_OK && json)
		rc = bt_drafts_list(db, c.circular, &dl, e);
	if (rc == BT_OK && json)
		rc = bt_electorate_list(db, c.circular, &el, e);
	if (rc != BT_OK)
		goto out;
	if (json) {
		export_json(&b, &c, &dl, &el, &h, &all);
		rc = cli_print_json(&b, e);
	} else {
		export_csv(&b, &c, &h, &all);
		if (b.failed || !b.data)
			rc = bt_fail(e, BT_EFAIL, "out of memory writing csv");
		else
			fwrite(b.data, 1, b.len, stdout);
	}
out:
	bt_buf_release(&b);
	bt_history_free(&h);
	bt_draft_list_free(&dl);
	bt_member_list_free(&el);
	bt_member_list_free(&all);
	return rc;
}
