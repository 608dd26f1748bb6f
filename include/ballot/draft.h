/* draft.h - the draft Recommendations of a consultation. */
#ifndef BALLOT_DRAFT_H
#define BALLOT_DRAFT_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/consultation.h"

/* Draft states. */
#define BT_STATE_IN_CONSULTATION "in-consultation"
#define BT_STATE_AWAITING_CLOSE "awaiting-close" /* deadline passed, not closed yet
						    (never stored: bt_draft_state_at) */
#define BT_STATE_READY "ready-for-approval"
#define BT_STATE_NOT_READY "not-ready"
#define BT_STATE_MORE_TIME "more-time"
#define BT_STATE_APPROVED "approved"
#define BT_STATE_NOT_APPROVED "not-approved"

/* The official languages a draft's title and summary are given in besides
 * English (the draft's own --title and --summary), in the order documents
 * are produced (ITU Constitution Art. 29). */
#define BT_DRAFT_LANGS 5
extern const char *const bt_draft_langs[BT_DRAFT_LANGS]; /* fr es ru zh ar */

/* The index of lang ("fr") in bt_draft_langs, or -1 (English, unknown). */
int bt_draft_lang_index(const char *lang);

typedef struct bt_draft_spec {
	const char *circular;
	const char *rec;      /* e.g. "Q.5051": 1-32 of [A-Za-z0-9./_()-] */
	const char *title;    /* required, clean UTF-8, at most 1000 bytes */
	const char *former;   /* e.g. "Q.FW_CSM", or NULL */
	const char *summary;  /* or NULL; newlines allowed */
	const char *source;   /* e.g. "SG11-R25", or NULL */
	int revised;          /* 1: draft revised Recommendation */
	const void *text;     /* the exact draft text, or NULL */
	size_t text_len;
	int has_texts_available; /* §9.3.5: the date the text was out in the
				    official languages (before the meeting) */
	bt_date texts_available;
	/* the title and summary in the other languages, by bt_draft_langs'
	 * index; NULL where not given (the same limits as title, summary) */
	const char *titles[BT_DRAFT_LANGS];
	const char *summaries[BT_DRAFT_LANGS];
} bt_draft_spec;

typedef struct bt_draft {
	int64_t id;
	char rec[BT_ID_MAX + 1];
	char *title, *former, *summary, *source; /* former..source may be NULL */
	int revised;
	char text_sha256[65]; /* "" when no text was given */
	char state[24];
	char outcome[16];     /* "" until closed, then "proceed"/"not-proceed" */
	bt_date texts_available; /* §9.3.5, or BT_DATE_NONE */
	/* the latest title and summary recorded in each other language (by
	 * bt_draft_langs' index), NULL where none was */
	char *titles[BT_DRAFT_LANGS], *summaries[BT_DRAFT_LANGS];
} bt_draft;

typedef struct bt_draft_list {
	bt_draft *v;
	size_t n;
} bt_draft_list;

/* Free what a bt_draft or a bt_draft_list holds and leave it empty. */
void bt_draft_clear(bt_draft *d);
void bt_draft_list_free(bt_draft_list *l);

/* Adds a draft to an open consultation. BT_EINPUT for an unknown or closed
 * circular, a duplicate or malformed rec, an empty or unclean title, no
 * summary under the tap rule (§9.3.4), a texts-available date not before
 * the meeting.
 * out (may be NULL) receives the stored draft, text hash included. */
int bt_draft_add(bt_db *db, const bt_draft_spec *spec, const char *actor,
		 bt_time now, bt_draft *out, bt_err *e);

/* Lists the drafts of a consultation in the order they were added. */
int bt_drafts_list(bt_db *db, const char *circular, bt_draft_list *out,
		   bt_err *e);

/* Finds a draft by rec; rec NULL picks the only draft (BT_EINPUT when there
 * are several or none). */
int bt_draft_find(bt_db *db, const char *circular, const char *rec,
		  bt_draft *out, bt_err *e);

/* The digest of a draft list, as 64 hex digits: SHA-256 of, per draft in
 * order, rec, former, title, "new"/"revised" and the text's hash, each
 * followed by a tab (the last by a newline). It changes whenever a draft is
 * added or its wording changes, so a form that carries it can be matched to
 * the list it was issued for. */
void bt_drafts_digest(const bt_draft_list *l, char out[65]);

/* The draft's title in lang ("en", "fr", ...): its own for English, the
 * one recorded in lang, or NULL when lang has none (the caller falls back
 * to d->title and says so). */
const char *bt_draft_title_in(const bt_draft *d, const char *lang);
/* The same for the summary; NULL also for an English summary not given. */
const char *bt_draft_summary_in(const bt_draft *d, const char *lang);

/* What `draft set` changes: a draft's titles and summaries in the other
 * languages (NULL: left as it is). */
typedef struct bt_draft_titles_spec {
	const char *circular;
	const char *rec;
	const char *titles[BT_DRAFT_LANGS];
	const char *summaries[BT_DRAFT_LANGS];
} bt_draft_titles_spec;

/* Records the titles and summaries s gives that differ from the ones in
 * force, as one draft-titles event. Until the deadline any may be added or
 * corrected; after it (and once closed) a language's title or summary may
 * still be added where none was recorded (the report is made then), but no
 * longer changed: the members replied to what they were sent.
 * BT_EINPUT for an empty, unclean or over-long text (the field named:
 * "title_fr", "summary_ar"), none given, an unknown circular or draft
 * (reason BT_R_NOT_FOUND) or a change after the deadline (BT_R_CONFLICT).
 * *changed (may be NULL): how many fields were recorded (0: all as they
 * were; no event then). */
int bt_draft_set_titles(bt_db *db, const bt_draft_titles_spec *s, const char *actor,
			bt_time now, int *changed, bt_err *e);

/* The most bytes a draft's text may have (bt_draft_add refuses more, naming
 * field "text" and the size). */
#define BT_DRAFT_TEXT_MAX ((size_t)16 * 1024 * 1024)

/* Appends the text stored with draft rec of circular (bt_draft_spec.text)
 * to out, after checking it against the draft's SHA-256; sha (may be NULL)
 * receives that hash. BT_EINPUT (not found) for an unknown circular or draft,
 * or a draft with no text stored (none given, or added before texts were
 * kept: the draft then has its hash alone); BT_EFAIL (damaged) when the
 * stored bytes do not hash to the draft's SHA-256. */
int bt_draft_text_get(bt_db *db, const char *circular, const char *rec, bt_buf *out,
		      char sha[65], bt_err *e);

/* *size receives the size in bytes of the text stored with draft d (as
 * bt_drafts_list or bt_draft_find gave it), -1 when it has none; nothing is
 * checked (bt_draft_text_get checks). BT_EFAIL when it cannot be read. */
int bt_draft_text_size(bt_db *db, const bt_draft *d, int64_t *size, bt_err *e);

#endif
