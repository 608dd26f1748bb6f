/* draft_text.c - the text of a draft Recommendation, stored with it by
 * draft add and read back only when it still hashes to the draft's
 * SHA-256 (include/ballot/draft.h). */
#include <string.h>
#include "domain/domain.h"

int draft_text_insert(bt_db *db, int64_t draft_id, const void *text, size_t len, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_TEXT_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, draft_id);
	sqlite3_bind_blob64(st, 2, text, len, SQLITE_STATIC);
	return db_exec_stmt(db, st, "saving the draft text", e);
}

/* Appends the stored text of draft d of c to out, checked against its hash. */
static int text_of(bt_db *db, const bt_consultation *c, const bt_draft *d, bt_buf *out, bt_err *e)
{
	if (!d->text_sha256[0])
		return bt_failf(e, BT_R_NOT_FOUND, "draft", "draft '%s' of consultation '%s' has no text",
				d->rec, c->circular);
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_TEXT_GET, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, d->id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return bt_failf(e, BT_R_NOT_FOUND, "draft",
				"draft '%s' of consultation '%s' has only the SHA-256 of its text (%s): it was added "
				"before texts were kept", d->rec, c->circular, d->text_sha256);
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, e, "reading a draft text");
	}
	const void *blob = sqlite3_column_blob(st, 0);
	size_t n = (size_t)sqlite3_column_bytes(st, 0);
	char got[65];
	sha256_hex(blob ? blob : "", n, got);
	if (strcmp(got, d->text_sha256)) {
		sqlite3_reset(st);
		return bt_failf(e, BT_R_DAMAGED, "draft",
				"the stored text of draft '%s' of consultation '%s' does not hash to its SHA-256 %s",
				d->rec, c->circular, d->text_sha256);
	}
	rc = bt_buf_add(out, blob ? blob : "", n) ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
	sqlite3_reset(st);
	return rc;
}

int bt_draft_text_get(bt_db *db, const char *circular, const char *rec, bt_buf *out, char sha[65],
		      bt_err *e)
{
	bt_consultation c;
	bt_draft d;
	memset(&d, 0, sizeof d);
	int snap = db_read_begin(db);
	int rc = consultation_load(db, circular, &c, e);
	if (!rc)
		rc = draft_find_in(db, &c, rec, &d, e);
	if (!rc)
		rc = text_of(db, &c, &d, out, e);
	if (!rc && sha)
		memcpy(sha, d.text_sha256, 65);
	db_read_end(db, snap);
	bt_draft_clear(&d);
	return rc;
}

int bt_draft_text_size(bt_db *db, const bt_draft *d, int64_t *size, bt_err *e)
{
	*size = -1;
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_TEXT_SIZE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, d->id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*size = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading a draft text");
}
