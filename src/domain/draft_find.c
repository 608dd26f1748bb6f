/* draft_find.c - reading drafts (include/ballot/draft.h): a draft's row
 * with its titles and summaries in the other languages, found by
 * consultation and Recommendation, and freeing it. Below draft.c (adding
 * drafts), draft_text.c and draft_titles.c (their texts and titles), which
 * all find the draft they write with draft_find_in. */
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

const char *const bt_draft_langs[BT_DRAFT_LANGS] = { "fr", "es", "ru", "zh", "ar" };

int bt_draft_lang_index(const char *lang)
{
	for (int i = 0; lang && i < BT_DRAFT_LANGS; i++)
		if (strcmp(lang, bt_draft_langs[i]) == 0)
			return i;
	return -1;
}

const char *bt_draft_title_in(const bt_draft *d, const char *lang)
{
	int i = bt_draft_lang_index(lang);
	return i >= 0 ? d->titles[i] : lang && strcmp(lang, "en") == 0 ? d->title : NULL;
}

const char *bt_draft_summary_in(const bt_draft *d, const char *lang)
{
	int i = bt_draft_lang_index(lang);
	return i >= 0 ? d->summaries[i] : lang && strcmp(lang, "en") == 0 ? d->summary : NULL;
}

void draft_titles_clear(bt_draft *d)
{
	for (int i = 0; i < BT_DRAFT_LANGS; i++) {
		free(d->titles[i]);
		free(d->summaries[i]);
		d->titles[i] = d->summaries[i] = NULL;
	}
}

/* *slot replaced by column i of st when it is not NULL; -1 when it could
 * not be copied. */
static int take_col(sqlite3_stmt *st, int i, char **slot)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	char *s = db_col_strdup(st, i);
	if (!s)
		return -1;
	free(*slot);
	*slot = s;
	return 0;
}

int draft_titles_load(bt_db *db, bt_draft *d, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_TITLES_OF, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, d->id);
	int step, oom = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int i = bt_draft_lang_index((const char *)sqlite3_column_text(st, 0));
		if (i >= 0 && (take_col(st, 1, &d->titles[i]) || take_col(st, 2, &d->summaries[i])))
			oom = 1;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading a draft's titles");
	return oom ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

int draft_titles_load_all(bt_db *db, const bt_consultation *c, bt_draft_list *l, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_TITLES_OF_CONSULTATION, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c->id);
	int step, oom = 0;
	size_t k = 0; /* the draft of the last row: rows of one draft often follow each other */
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (k >= l->n || l->v[k].id != id)
			for (k = 0; k < l->n && l->v[k].id != id; k++)
				;
		int i = bt_draft_lang_index((const char *)sqlite3_column_text(st, 1));
		if (k < l->n && i >= 0 &&
		    (take_col(st, 2, &l->v[k].titles[i]) || take_col(st, 3, &l->v[k].summaries[i])))
			oom = 1;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading the drafts' titles");
	return oom ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

void bt_draft_clear(bt_draft *d)
{
	free(d->title);
	free(d->former);
	free(d->summary);
	free(d->source);
	draft_titles_clear(d);
	memset(d, 0, sizeof *d);
}

void bt_draft_list_free(bt_draft_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		bt_draft_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int load_draft(sqlite3_stmt *st, bt_draft *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, d->rec, sizeof d->rec);
	d->title = db_col_strdup(st, 2);
	d->former = db_col_strdup(st, 3);
	d->summary = db_col_strdup(st, 4);
	d->source = db_col_strdup(st, 5);
	d->revised = sqlite3_column_int(st, 6);
	db_col_copy(st, 7, d->text_sha256, sizeof d->text_sha256);
	db_col_copy(st, 8, d->state, sizeof d->state);
	db_col_copy(st, 9, d->outcome, sizeof d->outcome);
	d->texts_available = sqlite3_column_type(st, 10) == SQLITE_NULL ? BT_DATE_NONE
		: sqlite3_column_int(st, 10);
	/* out of memory: a text column that is set but was not copied */
	if (!d->title || (!d->former && sqlite3_column_type(st, 3) != SQLITE_NULL) ||
	    (!d->summary && sqlite3_column_type(st, 4) != SQLITE_NULL) ||
	    (!d->source && sqlite3_column_type(st, 5) != SQLITE_NULL)) {
		bt_draft_clear(d);
		return -1;
	}
	return 0;
}

int bt_drafts_list(bt_db *db, const char *circular, bt_draft_list *out, bt_err *e)
{
	bt_consultation c;
	int rc = consultation_load(db, circular, &c, e);
	out->v = NULL;
	out->n = 0;
	return rc ? rc : drafts_of(db, &c, out, e);
}

int drafts_of(bt_db *db, const bt_consultation *c, bt_draft_list *out, bt_err *e)
{
	int rc;
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFTS_OF, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c->id);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(&out->v, &cap, out->n + 1, sizeof *out->v))
			goto oom;
		if (load_draft(st, &out->v[out->n++]))
			goto oom;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		bt_draft_list_free(out);
		return db_fail(db, e, "reading drafts");
	}
	if ((rc = draft_titles_load_all(db, c, out, e)))
		bt_draft_list_free(out);
	return rc;
oom:
	sqlite3_reset(st);
	bt_draft_list_free(out);
	return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
}

int draft_find_in(bt_db *db, const bt_consultation *c, const char *rec, bt_draft *out, bt_err *e)
{
	int rc;
	if (!rec) {
		bt_draft_list l;
		if ((rc = drafts_of(db, c, &l, e)))
			return rc;
		if (l.n != 1) {
			rc = l.n ? bt_failf(e, BT_R_INPUT, "draft", "consultation '%s' has %zu drafts; say which",
					    c->circular, l.n)
				 : bt_failf(e, BT_R_NOT_FOUND, "draft", "consultation '%s' has no drafts", c->circular);
		} else {
			*out = l.v[0];
			memset(&l.v[0], 0, sizeof l.v[0]);
		}
		bt_draft_list_free(&l);
		return rc;
	}
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_BY_REC, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, c->id);
	db_bind_text(st, 2, rec);
	rc = sqlite3_step(st);
	int bad = rc == SQLITE_ROW ? load_draft(st, out) : 0;
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) {
		if (bad)
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		int trc = draft_titles_load(db, out, e);
		if (trc)
			bt_draft_clear(out);
		return trc;
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, e, "reading a draft");
	return bt_failf(e, BT_R_NOT_FOUND, "draft", "consultation '%s' has no draft '%s'", c->circular,
			bt_text_clean(rec, 0) ? rec : "(unprintable)");
}

int bt_draft_find(bt_db *db, const char *circular, const char *rec, bt_draft *out, bt_err *e)
{
	bt_consultation c;
	int rc = consultation_load(db, circular, &c, e);
	return rc ? rc : draft_find_in(db, &c, rec, out, e);
}
