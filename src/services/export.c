/* export.c - the tally as JSON and the replies as CSV or JSON
 * (include/ballot/export.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"
#include "ballot/export.h"

/* The document in out, or BT_EFAIL naming what was being written. */
static int done(const bt_buf *out, const char *what, bt_err *e)
{
	if (out->failed || !out->data)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory writing %s", what);
	return BT_OK;
}

int bt_json_titles_of(bt_buf *b, const char *en, char *const titles[BT_DRAFT_LANGS])
{
	bt_buf_addc(b, '{');
	bt_json_kv_str(b, "en", en, 1);
	for (int i = 0; i < BT_DRAFT_LANGS; i++) {
		bt_json_key(b, bt_draft_langs[i], 0);
		bt_json_str_or_null(b, titles[i]);
	}
	return bt_buf_addc(b, '}');
}

int bt_json_titles(bt_buf *b, const bt_draft *d)
{
	return d ? bt_json_titles_of(b, d->title, d->titles) : bt_buf_adds(b, "null");
}

/* One draft's object of the tally's "drafts". */
static void tally_draft_json(bt_buf *b, const bt_tally *t, const bt_draft_tally *d)
{
	bt_buf_addc(b, '{');
	bt_json_kv_str(b, "rec", d->rec, 1);
	bt_json_kv_int(b, "replies", d->replies, 0);
	bt_json_kv_int(b, "support", d->support, 0);
	bt_json_kv_int(b, "authorize", d->authorize, 0);
	bt_json_kv_int(b, "authorize_with_comments", d->authorize_with_comments, 0);
	bt_json_kv_int(b, "not_authorize", d->not_authorize, 0);
	bt_json_kv_int(b, "not_authorize_without_reasons", d->not_authorize_without_reasons, 0);
	bt_json_kv_int(b, "late", d->late, 0);
	bt_json_kv_int(b, "withdrawn", d->withdrawn, 0);
	bt_json_kv_int(b, "outstanding", d->outstanding, 0);
	bt_json_kv_int(b, "outstanding_late", d->outstanding_late, 0);
	bt_json_kv_int(b, "outstanding_withdrawn", d->outstanding_withdrawn, 0);
	bt_json_kv_int(b, "did_not_reply", d->did_not_reply, 0);
	if (d->support_pct10 < 0) {
		bt_json_kv_null(b, "support_pct", 0);
	} else {
		bt_json_key(b, "support_pct", 0);
		bt_buf_addf(b, "%d.%d", d->support_pct10 / 10, d->support_pct10 % 10);
	}
	bt_json_kv_int(b, "threshold_pct", d->threshold_pct, 0);
	bt_json_kv_str(b, "outcome", d->outcome, 0);
	bt_json_kv_str(b, "if_closed_now", d->if_closed_now, 0);
	if (d->support_needed < 0)
		bt_json_kv_null(b, "support_needed", 0);
	else
		bt_json_kv_int(b, "support_needed", d->support_needed, 0);
	if (d->opposition_to_block < 0)
		bt_json_kv_null(b, "opposition_to_block", 0);
	else
		bt_json_kv_int(b, "opposition_to_block", d->opposition_to_block, 0);
	bt_json_kv_str(b, "state", d->state, 0);
	bt_json_kv_str(b, "title", d->title, 0);
	if (!t->without_titles) {
		bt_json_key(b, "titles", 0);
		bt_json_titles_of(b, d->title, d->titles);
	}
	bt_buf_addc(b, '}');
}

int bt_tally_json(const bt_tally *t, bt_buf *b, bt_err *e)
{
	bt_buf_addc(b, '{');
	bt_json_kv_str(b, "circular", t->circular, 1);
	bt_json_kv_str(b, "rule", t->rule, 0);
	bt_json_kv_time(b, "deadline", t->deadline, 0);
	if (t->deadline_forced[0])
		bt_json_kv_str(b, "deadline_forced", t->deadline_forced, 0);
	bt_json_kv_time(b, "as_of", t->as_of, 0);
	bt_json_kv_bool(b, "final", t->final, 0);
	bt_json_kv_int(b, "electorate", t->electorate, 0);
	bt_json_key(b, "drafts", 0);
	bt_buf_addc(b, '[');
	for (size_t i = 0; i < t->n; i++) {
		if (i)
			bt_buf_addc(b, ',');
		tally_draft_json(b, t, &t->drafts[i]);
	}
	bt_buf_addc(b, ']');
	bt_json_kv_str(b, "clause", t->clause, 0);
	bt_json_kv_str(b, "rule_edition", t->rule_edition, 0);
	bt_json_kv_bool(b, "closed", t->closed, 0);
	bt_buf_adds(b, "}\n");
	return done(b, "json", e);
}

int bt_json_attachments(bt_buf *b, const bt_history_item *it)
{
	bt_buf_addc(b, '[');
	for (size_t a = 0; a < it->n_attachments; a++) {
		const bt_attachment *at = &it->attachments[a];
		if (a)
			bt_buf_addc(b, ',');
		bt_buf_addc(b, '{');
		bt_json_kv_str(b, "name", at->name, 1);
		bt_json_kv_str(b, "sha256", at->sha256, 0);
		bt_json_kv_int(b, "size", at->size, 0);
		bt_json_kv_str(b, "role", at->role, 0);
		bt_buf_addc(b, '}');
	}
	return bt_buf_addc(b, ']');
}

int bt_history_item_json(bt_buf *b, const bt_history_item *it, const char *name)
{
	bt_buf_addc(b, '{');
	bt_json_kv_int(b, "seq", it->seq, 1);
	bt_json_kv_str(b, "kind", it->kind, 0);
	bt_json_key(b, "member", 0);
	bt_json_str_or_null(b, it->member);
	if (name)
		bt_json_kv_str(b, "name", name, 0);
	bt_json_key(b, "rec", 0);
	bt_json_str_or_null(b, it->rec);
	bt_json_kv_str(b, "what", it->what, 0);
	bt_json_kv_time(b, "received", it->received, 0);
	bt_json_key(b, "channel", 0);
	bt_json_str_or_null(b, it->channel);
	bt_json_key(b, "status", 0);
	bt_json_str_or_null(b, it->status);
	bt_json_kv_str(b, "recorded_by", it->recorded_by, 0);
	bt_json_kv_time(b, "recorded_at", it->recorded_at, 0);
	bt_json_key(b, "attachments", 0);
	bt_json_attachments(b, it);
	bt_json_kv_bool(b, "without_reasons", it->without_reasons, 0);
	if (it->late_entry)
		bt_json_kv_str(b, "late_entry_reason", it->late_entry, 0);
	bt_json_kv_str(b, "signatory", it->signatory, 0);
	if (it->signer) {
		bt_json_key(b, "signer", 0);
		bt_buf_addc(b, '{');
		bt_json_kv_str(b, "subject", it->signer, 1);
		bt_json_kv_str(b, "cert_sha256", it->signer_sha256, 0);
		bt_json_kv_bool(b, "verified", it->signer_verified, 0);
		bt_buf_addc(b, '}');
	}
	bt_json_kv_str(b, "title", it->title, 0);
	/* detail is a JSON object (history.h): embedded as one */
	bt_json_key(b, "detail", 0);
	if (it->detail && it->detail[0] == '{' && it->detail[strlen(it->detail) - 1] == '}' &&
	    bt_utf8_valid(it->detail, strlen(it->detail)))
		bt_buf_adds(b, it->detail);
	else
		bt_json_str(b, it->detail);
	return bt_buf_addc(b, '}');
}

/* What an export shows, read through the engine. */
typedef struct export_src {
	bt_consultation c;
	bt_member_list all;        /* every member, for names */
	bt_history h;
	bt_draft_list drafts;      /* JSON only */
	bt_member_list electorate; /* JSON only */
} export_src;

static void src_free(export_src *s)
{
	bt_history_free(&s->h);
	bt_draft_list_free(&s->drafts);
	bt_member_list_free(&s->electorate);
	bt_member_list_free(&s->all);
}

static int src_read(bt_db *db, const char *circular, int json, export_src *s, bt_err *e)
{
	memset(s, 0, sizeof *s);
	int rc = bt_consultation_get(db, circular, &s->c, e);
	if (rc == BT_OK)
		/* named as on the circular's date (the end of that day) */
		rc = bt_members_named_at(db, bt_date_time(s->c.date) + 86399, &s->all, e);
	if (rc == BT_OK)
		rc = bt_history_get(db, s->c.circular, NULL, &s->h, e);
	if (rc == BT_OK && json)
		rc = bt_drafts_list(db, s->c.circular, &s->drafts, e);
	if (rc == BT_OK && json)
		rc = bt_electorate_list(db, s->c.circular, &s->electorate, e);
	return rc;
}

static int cmp_member(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const bt_member *)elem)->code);
}

static const char *member_name(const bt_member_list *all, const char *code)
{
	const bt_member *m = bsearch(code, all->v, all->n, sizeof *all->v, cmp_member);
	return m ? m->name : NULL;
}

static int is_reply_row(const bt_history_item *it)
{
	return event_kind_is(it->kind, EK_REPLY);
}

/* Appends s as one CSV field, quoted per RFC 4180 when needed, and when it
 * holds a ';' (the field separator of spreadsheets in many locales, and the
 * one between attachments). A cell that begins with = + - @ tab or carriage
 * return would be a formula to a spreadsheet (attachment names come from
 * members, and any cell may): as OWASP recommends, it is prefixed with a
 * single quote and quoted, so that it reads as the text it is. */
static void csv_field(bt_buf *b, const char *s, int first)
{
	if (!first)
		bt_buf_addc(b, ',');
	if (!s)
		return;
	int formula = s[0] && strchr("=+-@\t\r", s[0]);
	if (!formula && !s[strcspn(s, ",;\"\r\n")]) {
		bt_buf_adds(b, s);
		return;
	}
	bt_buf_addc(b, '"');
	if (formula)
		bt_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			bt_buf_addc(b, '"');
		bt_buf_addc(b, *s);
	}
	bt_buf_addc(b, '"');
}

static void csv_rows(bt_buf *b, const export_src *s)
{
	bt_buf_adds(b, "seq,circular,rec,member,name,choice,received,channel,"
		       "status,without_reasons,attachments,recorded_by,recorded_at\n");
	for (size_t i = 0; i < s->h.n; i++) {
		const bt_history_item *it = &s->h.v[i];
		char seq[24], rt[BT_TIME_LEN], at[BT_TIME_LEN];
		bt_buf att = BT_BUF_INIT;

		if (!is_reply_row(it))
			continue;
		snprintf(seq, sizeof seq, "%" PRId64, it->seq);
		bt_time_format(it->received, rt);
		bt_time_format(it->recorded_at, at);
		for (size_t a = 0; a < it->n_attachments; a++)
			bt_buf_addf(&att, "%s%s:%s", a ? ";" : "", it->attachments[a].name,
				    it->attachments[a].sha256);
		csv_field(b, seq, 1);
		csv_field(b, s->c.circular, 0);
		csv_field(b, it->rec, 0);
		csv_field(b, it->member, 0);
		csv_field(b, member_name(&s->all, it->member), 0);
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

static void json_drafts(bt_buf *b, const bt_draft_list *dl)
{
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
		bt_json_str_or_null(b, d->former);
		bt_json_kv_bool(b, "revised", d->revised, 0);
		bt_json_key(b, "summary", 0);
		bt_json_str_or_null(b, d->summary);
		bt_json_key(b, "source", 0);
		bt_json_str_or_null(b, d->source);
		bt_json_key(b, "text_sha256", 0);
		bt_json_str_or_null(b, d->text_sha256);
		bt_json_kv_str(b, "state", d->state, 0);
		bt_json_key(b, "outcome", 0);
		bt_json_str_or_null(b, d->outcome);
		bt_buf_addc(b, '}');
	}
	bt_buf_addc(b, ']');
}

static void json_doc(bt_buf *b, const export_src *s)
{
	int first = 1;

	bt_buf_addc(b, '{');
	bt_json_kv_str(b, "circular", s->c.circular, 1);
	bt_json_kv_int(b, "group", s->c.group, 0);
	bt_json_kv_str(b, "rule", s->c.rule, 0);
	bt_json_kv_time(b, "deadline", s->c.deadline, 0);
	json_drafts(b, &s->drafts);
	bt_json_key(b, "electorate", 0);
	bt_buf_addc(b, '[');
	for (size_t i = 0; i < s->electorate.n; i++) {
		if (i)
			bt_buf_addc(b, ',');
		bt_json_str(b, s->electorate.v[i].code);
	}
	bt_buf_addc(b, ']');
	bt_json_key(b, "replies", 0);
	bt_buf_addc(b, '[');
	for (size_t i = 0; i < s->h.n; i++) {
		const bt_history_item *it = &s->h.v[i];
		if (!is_reply_row(it))
			continue;
		if (!first)
			bt_buf_addc(b, ',');
		first = 0;
		bt_history_item_json(b, it, member_name(&s->all, it->member));
	}
	bt_buf_adds(b, "]}\n");
}

int bt_export_csv(bt_db *db, const char *circular, bt_buf *out, bt_err *e)
{
	export_src s;
	int rc = src_read(db, circular, 0, &s, e);
	if (rc == BT_OK) {
		csv_rows(out, &s);
		rc = done(out, "csv", e);
	}
	src_free(&s);
	return rc;
}

int bt_export_json(bt_db *db, const char *circular, bt_buf *out, bt_err *e)
{
	export_src s;
	int rc = src_read(db, circular, 1, &s, e);
	if (rc == BT_OK) {
		json_doc(out, &s);
		rc = done(out, "json", e);
	}
	src_free(&s);
	return rc;
}
