/* draft_titles.c - a draft's title and summary in the other official
 * languages (include/ballot/draft.h): given at `draft add` (rows of the
 * draft's own event) or later by `draft set` (a draft-titles event); each
 * change a row per language, append-only, the latest value standing.
 * Reading them with the draft (draft_titles_load) is draft_find.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/domain.h"

int draft_titles_check(const char *const titles[BT_DRAFT_LANGS], const char *const summaries[BT_DRAFT_LANGS],
		       bt_err *e)
{
	for (int i = 0; i < BT_DRAFT_LANGS; i++) {
		char tf[16], sf[16];
		snprintf(tf, sizeof tf, "title_%s", bt_draft_langs[i]);
		snprintf(sf, sizeof sf, "summary_%s", bt_draft_langs[i]);
		const char *t = titles[i], *s = summaries[i];
		if (t && !*t)
			return bt_failf(e, BT_R_INPUT, tf, "empty");
		if (t && bt_name_check(tf, t, 1000, e))
			return BT_EINPUT;
		if (s && !*s)
			return bt_failf(e, BT_R_INPUT, sf, "empty");
		if (s && !bt_text_clean(s, 1))
			return bt_failf(e, BT_R_INPUT, sf, "not valid UTF-8 or has control characters");
		if (s && strlen(s) > 20000)
			return bt_failf(e, BT_R_INPUT, sf, "longer than 20000 bytes");
	}
	return BT_OK;
}

int draft_titles_insert(bt_db *db, int64_t draft_id, const char *const titles[BT_DRAFT_LANGS],
			const char *const summaries[BT_DRAFT_LANGS], int64_t seq, bt_err *e)
{
	int rc = BT_OK;
	for (int i = 0; i < BT_DRAFT_LANGS && !rc; i++) {
		if (!titles[i] && !summaries[i])
			continue;
		sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_TITLE_INSERT, e);
		if (!st)
			return BT_EFAIL;
		sqlite3_bind_int64(st, 1, draft_id);
		db_bind_text(st, 2, bt_draft_langs[i]);
		db_bind_text(st, 3, titles[i]);
		db_bind_text(st, 4, summaries[i]);
		sqlite3_bind_int64(st, 5, seq);
		rc = db_exec_stmt(db, st, "saving a draft's titles", e);
	}
	return rc;
}

int draft_titles_payload(bt_db *db, int64_t seq, bt_buf *out, char rec[BT_ID_MAX + 1],
			 char circular[BT_ID_MAX + 1], int *found, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_DRAFT_TITLES_BY_EVENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, seq);
	int step;
	*found = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(*found)++) {
			db_col_copy(st, 3, rec, BT_ID_MAX + 1);
			db_col_copy(st, 4, circular, BT_ID_MAX + 1);
			bt_json_key(out, "titles", 1);
			bt_buf_addc(out, '{');
		}
		bt_json_key(out, (const char *)sqlite3_column_text(st, 0), *found == 1);
		bt_buf_addc(out, '{');
		int first = 1;
		for (int c = 1; c <= 2; c++)
			if (sqlite3_column_type(st, c) != SQLITE_NULL) {
				bt_json_kv_str(out, c == 1 ? "title" : "summary",
					       (const char *)sqlite3_column_text(st, c), first);
				first = 0;
			}
		bt_buf_addc(out, '}');
	}
	sqlite3_reset(st);
	if (*found)
		bt_buf_addc(out, '}');
	if (step != SQLITE_DONE)
		return db_fail(db, e, "reading a draft's titles");
	return out->failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}

int draft_titles_event_payload(bt_db *db, int64_t seq, bt_buf *out, char circular[BT_ID_MAX + 1], int *found,
			       bt_err *e)
{
	bt_buf t = BT_BUF_INIT;
	char rec[BT_ID_MAX + 1] = "";
	int rc = draft_titles_payload(db, seq, &t, rec, circular, found, e);
	if (!rc && *found) {
		bt_json_kv_str(out, "draft", rec, 1);
		bt_buf_addc(out, ',');
		bt_buf_add(out, t.data, t.len);
		if (out->failed)
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	bt_buf_release(&t);
	return rc;
}

/* A draft-titles change, carried from its check to its insert. */
typedef struct titles_set {
	const bt_draft_titles_spec *s;
	const char *titles[BT_DRAFT_LANGS], *summaries[BT_DRAFT_LANGS]; /* what changes */
	bt_consultation c;
	bt_draft d;
	int changed;
} titles_set;

/* One field of the change: dropped when it says what is in force; after
 * the deadline refused when it would change (not add) a text. */
static int field_settable(titles_set *x, db_write *w, const char *kind, int i, const char **want,
			  const char *now_in_force, bt_err *e)
{
	if (!*want)
		return BT_OK;
	if (now_in_force && strcmp(now_in_force, *want) == 0) {
		*want = NULL;
		return BT_OK;
	}
	if (now_in_force && (x->c.closed || w->now > x->c.deadline)) {
		char t[BT_TIME_LEN], field[16];
		bt_time_format(x->c.deadline, t);
		snprintf(field, sizeof field, "%s_%s", kind, bt_draft_langs[i]);
		return bt_failf(e, BT_R_CONFLICT, field,
				"consultation '%s' is past its deadline (%s): the %s of draft %s in '%s' can be added"
				" where none was recorded, but no longer changed (the members replied to the one they"
				" were sent)", x->c.circular, t, kind, x->d.rec, bt_draft_langs[i]);
	}
	x->changed++;
	return BT_OK;
}

/* The check step of a draft-titles change: the draft, what differs from
 * the texts in force, the deadline's rule. Nothing to record: no kind. */
static int titles_settable(bt_db *db, db_write *w, bt_err *e)
{
	titles_set *x = w->ctx;
	int rc = consultation_load(db, x->s->circular, &x->c, e);
	if (!rc)
		rc = draft_find_in(db, &x->c, x->s->rec, &x->d, e);
	if (rc)
		return rc;
	w->circular = x->c.circular;
	for (int i = 0; i < BT_DRAFT_LANGS && !rc; i++) {
		x->titles[i] = x->s->titles[i];
		x->summaries[i] = x->s->summaries[i];
		rc = field_settable(x, w, "title", i, &x->titles[i], x->d.titles[i], e);
		if (!rc)
			rc = field_settable(x, w, "summary", i, &x->summaries[i], x->d.summaries[i], e);
	}
	if (!rc && !x->changed)
		w->kind = NULL;
	return rc;
}

static int titles_insert(bt_db *db, db_write *w, bt_err *e)
{
	titles_set *x = w->ctx;
	char circular[BT_ID_MAX + 1];
	int found = 0;
	int rc = draft_titles_insert(db, x->d.id, x->titles, x->summaries, w->ev.seq, e);
	if (!rc)
		rc = draft_titles_event_payload(db, w->ev.seq, &w->payload, circular, &found, e);
	return rc;
}

int bt_draft_set_titles(bt_db *db, const bt_draft_titles_spec *s, const char *actor, bt_time now, int *changed,
			bt_err *e)
{
	int given = 0;
	for (int i = 0; i < BT_DRAFT_LANGS; i++)
		given += (s->titles[i] != NULL) + (s->summaries[i] != NULL);
	if (!given)
		return bt_failf(e, BT_R_INPUT, NULL, "nothing to set: no title or summary in any language given");
	int rc = draft_titles_check(s->titles, s->summaries, e);
	if (rc)
		return rc;
	titles_set x = { .s = s };
	db_write w = { .kind = EVK_DRAFT_TITLES, .actor = actor, .now = now, .ctx = &x };
	rc = db_write_run(db, &w, titles_settable, titles_insert, e);
	bt_draft_clear(&x.d);
	if (changed)
		*changed = rc ? 0 : x.changed;
	return rc;
}
