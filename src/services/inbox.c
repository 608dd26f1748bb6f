/* inbox.c - the mailroom's inbox (include/ballot/inbox.h): entries stored,
 * listed and read back. Deciding an entry (accept, reject) is in
 * domain/inbox_done.c, with the replies it records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"

void bt_inbox_entry_free(bt_inbox_entry *en)
{
	for (size_t i = 0; i < en->nparts; i++)
		free(en->parts[i].data);
	free(en->parts);
	free(en->owned);
	en->parts = NULL;
	en->nparts = 0;
	en->owned = NULL;
	en->message = NULL;
}

void bt_inbox_list_free(bt_inbox_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		bt_inbox_entry_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* *id: the first id step of st gives, 0 when none. */
static int one_id(bt_db *db, sqlite3_stmt *st, int64_t *id, bt_err *e)
{
	int step = sqlite3_step(st);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the inbox");
}

int bt_inbox_seen(bt_db *db, const char *sha256, const char *message_id, int64_t *by_sha, int64_t *by_msgid,
		  bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_INBOX_BY_SHA, e);
	if (!st)
		return BT_EFAIL;
	db_bind_kept(st, 1, sha256);
	int rc = one_id(db, st, by_sha, e);
	if (rc || !(st = db_stmt(db, SQL_INBOX_BY_MSGID, e)))
		return rc ? rc : BT_EFAIL;
	db_bind_kept(st, 1, message_id ? message_id : "");
	return one_id(db, st, by_msgid, e);
}

/* Binds the row's fields of en to SQL_INBOX_INSERT. */
static void bind_entry(sqlite3_stmt *st, const bt_inbox_entry *en, bt_time now)
{
	db_bind_kept(st, 1, en->message_id);
	db_bind_kept(st, 2, en->sha256);
	sqlite3_bind_int64(st, 3, en->size);
	db_bind_kept(st, 4, en->source);
	sqlite3_bind_int64(st, 5, en->received_at);
	db_bind_kept(st, 6, en->received_by);
	db_bind_kept(st, 7, en->sender);
	db_bind_kept(st, 8, en->subject);
	db_bind_kept(st, 9, en->state);
	db_bind_kept(st, 10, en->reason);
	db_bind_kept(st, 11, en->circular);
	db_bind_kept(st, 12, en->member);
	db_bind_kept(st, 13, en->reference);
	db_bind_kept(st, 14, en->choices);
	db_bind_kept(st, 15, en->form);
	sqlite3_bind_blob64(st, 16, en->message ? (const void *)en->message : "", en->message_len, SQLITE_STATIC);
	sqlite3_bind_int(st, 17, en->kept);
	sqlite3_bind_int64(st, 18, now);
}

/* The parts of entry id. */
static int add_parts(bt_db *db, const bt_inbox_entry *en, int64_t id, bt_err *e)
{
	int rc = BT_OK;
	for (size_t i = 0; !rc && i < en->nparts; i++) {
		const bt_inbox_part *p = &en->parts[i];
		char sha[65];
		sqlite3_stmt *st = db_stmt(db, SQL_INBOX_PART_INSERT, e);
		if (!st)
			return BT_EFAIL;
		sha256_hex(p->data ? (const void *)p->data : "", p->len, sha);
		sqlite3_bind_int64(st, 1, id);
		db_bind_kept(st, 2, p->name);
		db_bind_kept(st, 3, p->type);
		db_bind_kept(st, 4, sha);
		sqlite3_bind_int64(st, 5, (int64_t)p->len);
		sqlite3_bind_blob64(st, 6, p->data ? (const void *)p->data : "", p->len, SQLITE_STATIC);
		rc = db_exec_stmt(db, st, "storing an attachment of the inbox", e);
	}
	return rc;
}

int bt_inbox_add(bt_db *db, const bt_inbox_entry *en, bt_time now, int64_t *id, bt_err *e)
{
	int64_t have = 0, msgid = 0;
	*id = 0;
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = bt_inbox_seen(db, en->sha256, NULL, &have, &msgid, e);
	if (!rc && have)
		rc = bt_failf(e, BT_R_CONFLICT, "inbox", "the message of SHA-256 %s is entry %lld already", en->sha256,
			      (long long)have);
	sqlite3_stmt *st = rc ? NULL : db_stmt(db, SQL_INBOX_INSERT, e);
	if (!rc && !st)
		rc = BT_EFAIL;
	if (!rc) {
		bind_entry(st, en, now);
		rc = db_exec_stmt(db, st, "storing a message in the inbox", e);
	}
	if (!rc) {
		*id = sqlite3_last_insert_rowid(db->h);
		rc = add_parts(db, en, *id, e);
	}
	if (!rc)
		rc = db_commit(db, e);
	if (rc) {
		db_rollback(db);
		*id = 0;
	}
	return rc;
}

static void fill_entry(sqlite3_stmt *st, void *elem)
{
	bt_inbox_entry *en = elem;
	en->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, en->message_id, sizeof en->message_id);
	db_col_copy(st, 2, en->sha256, sizeof en->sha256);
	en->size = sqlite3_column_int64(st, 3);
	db_col_copy(st, 4, en->source, sizeof en->source);
	en->received_at = sqlite3_column_int64(st, 5);
	db_col_copy(st, 6, en->received_by, sizeof en->received_by);
	db_col_copy(st, 7, en->sender, sizeof en->sender);
	db_col_copy(st, 8, en->subject, sizeof en->subject);
	db_col_copy(st, 9, en->state, sizeof en->state);
	db_col_copy(st, 10, en->reason, sizeof en->reason);
	db_col_copy(st, 11, en->circular, sizeof en->circular);
	db_col_copy(st, 12, en->member, sizeof en->member);
	db_col_copy(st, 13, en->reference, sizeof en->reference);
	db_col_copy(st, 14, en->choices, sizeof en->choices);
	db_col_copy(st, 15, en->form, sizeof en->form);
	en->kept = sqlite3_column_int(st, 16);
	en->fetched_at = sqlite3_column_int64(st, 17);
	en->done_seq = sqlite3_column_int64(st, 18);
	en->done_at = sqlite3_column_int64(st, 19);
	db_col_copy(st, 20, en->done_reason, sizeof en->done_reason);
}

int bt_inbox_list_all(bt_db *db, bt_inbox_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_INBOX_ALL, e);
	if (!st)
		return BT_EFAIL;
	int rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_entry, "reading the inbox", e);
	if (rc)
		bt_inbox_list_free(out);
	return rc;
}

static void fill_part(sqlite3_stmt *st, void *elem)
{
	bt_inbox_part *p = elem;
	db_col_copy(st, 0, p->name, sizeof p->name);
	db_col_copy(st, 1, p->type, sizeof p->type);
	db_col_copy(st, 2, p->sha256, sizeof p->sha256);
	p->size = sqlite3_column_int64(st, 3);
	if (db_col_blobdup(st, 4, &p->data, &p->len) || !p->data)
		p->size = -1; /* out of memory: told below */
}

/* The message's bytes and parts of entry out->id. */
static int get_bytes(bt_db *db, sqlite3_stmt *st, bt_inbox_entry *out, bt_err *e)
{
	if (db_col_blobdup(st, 21, &out->owned, &out->message_len) || !out->owned)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	out->message = out->owned;
	sqlite3_stmt *ps = db_stmt(db, SQL_INBOX_PARTS, e);
	if (!ps)
		return BT_EFAIL;
	sqlite3_bind_int64(ps, 1, out->id);
	int rc = db_collect(db, ps, &out->parts, &out->nparts, sizeof *out->parts, fill_part, "reading the inbox", e);
	for (size_t i = 0; !rc && i < out->nparts; i++)
		if (out->parts[i].size < 0)
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	return rc;
}

int bt_inbox_get(bt_db *db, int64_t id, bt_inbox_entry *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_stmt(db, SQL_INBOX_GET, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st), rc = BT_OK;
	if (step == SQLITE_ROW) {
		fill_entry(st, out);
		rc = get_bytes(db, st, out, e);
	} else if (step == SQLITE_DONE) {
		rc = bt_failf(e, BT_R_NOT_FOUND, "inbox", "no entry %lld in the inbox", (long long)id);
	} else {
		rc = db_fail(db, e, "reading the inbox");
	}
	sqlite3_reset(st);
	if (rc)
		bt_inbox_entry_free(out);
	return rc;
}
