/* export.h - a consultation's figures and replies as documents: the tally as
 * JSON, the replies as CSV or JSON. The command line prints them and the
 * portal serves them, so both give the same bytes.
 *
 * Each function appends one whole document, ending with a newline, to out
 * (the caller sets out's cap) and returns BT_EFAIL when out failed (out of
 * memory or over its cap).
 */
#ifndef BALLOT_EXPORT_H
#define BALLOT_EXPORT_H

#include "ballot/buf.h"
#include "ballot/draft.h"
#include "ballot/history.h"
#include "ballot/tally.h"
#include "ballot/status.h"
#include "ballot/timeline.h"

/* The tally as JSON (the shape README.md documents for `ballot tally
 * --json`). */
int bt_tally_json(const bt_tally *t, bt_buf *out, bt_err *e);
/* Appends a draft's title in each language as a JSON object, keys en, fr,
 * es, ru, zh, ar; null where none was recorded (never for en). d NULL:
 * null. Returns b's status. */
int bt_json_titles(bt_buf *b, const bt_draft *d);
/* The same object from an English title and the others in the order of
 * bt_draft_langs (NULL: null). Returns b's status. */
int bt_json_titles_of(bt_buf *b, const char *en, char *const titles[BT_DRAFT_LANGS]);

/* Every reply and withdrawal of circular in the order recorded, with its
 * status against the deadline, as CSV (RFC 4180, a header line; a cell that
 * a spreadsheet would take for a formula, one starting with = + - @ tab or
 * CR, is written quoted with a leading single quote, as OWASP recommends) or
 * as JSON (with the consultation, its drafts and its electorate). Depends on the
 * database only, not on the clock. BT_EINPUT for an unknown circular. */
int bt_export_csv(bt_db *db, const char *circular, bt_buf *out, bt_err *e);
int bt_export_json(bt_db *db, const char *circular, bt_buf *out, bt_err *e);

/* Appends the attachments of a history item as a JSON list of
 * {name, sha256, size, role}. */
int bt_json_attachments(bt_buf *b, const bt_history_item *it);

/* Appends one history item as a JSON object: the one rendering of engine
 * records that `ballot history --json`, `ballot export --format json` (its
 * "replies") and the portal's downloads share. Keys, in order: seq, kind,
 * member (null for none), name (the member's name, only when name is not
 * NULL), rec (null), what, received, channel (null), status (null),
 * recorded_by, recorded_at, attachments, without_reasons, late_entry_reason
 * (only when there is one), signatory, title, detail (an object, or a
 * string when the stored detail is not one). Returns b's status. */
int bt_history_item_json(bt_buf *b, const bt_history_item *it, const char *name);

/* The documents of `ballot status --json` (every row of l, each with its
 * consultation's timeline checks, read from db), `ballot history --json`
 * (every item of h, as bt_history_item_json renders it) and `ballot
 * pending --json` (a list of {code, name, drafts}); the command line prints
 * them and the portal's /api/v1 serves them. */
int bt_status_json(bt_db *db, const bt_status_list *l, bt_buf *out, bt_err *e);
int bt_history_json(const bt_history *h, bt_buf *out, bt_err *e);
int bt_pending_json(const bt_pending_list *p, bt_buf *out, bt_err *e);

/* Appends the §9.3/§9.4.1 checks of t as a JSON object (null when they do
 * not apply): announcement, texts_available, summary (per draft, only rec's
 * when rec is not NULL) and deadline, each with its clause, dates and
 * holds (true, false, or null when it cannot be told). Returns b's status. */
int bt_timeline_json(bt_buf *b, const bt_timeline *t, const char *rec);

#endif
