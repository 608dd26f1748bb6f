/* internal.h - engine-private helpers shared by the engine modules in src.
 * Front ends never include this file. */
#ifndef BALLOT_INTERNAL_H
#define BALLOT_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "ballot/ballot.h"
#include "sql.h"

#define BT_APPLICATION_ID 0x42414c54 /* "BALT" */
#define BT_STMT_CACHE 160

struct bt_db {
	sqlite3 *h;
	char *path;
	int write_locked;   /* holds the process's write lock (db.c) */
	int wit_fd;         /* the witness file, -1 until written (witness.c) */
	int64_t wit_seq;    /* last event appended by the open transaction, 0 if none */
	char wit_hash[65];  /* and its hash: the witness after the commit */
	int auditing;       /* a full audit runs: bt_audit_circular is not needed */
	struct {            /* the last circular bt_audit_circular found sound, */
		char circular[64]; /* and the database's state then (audit.c) */
		int64_t data_version, changes;
	} checked;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[BT_STMT_CACHE];
};

/* Returns a reset, cleared prepared statement for sql (one of the SQL_*
 * constants of sql.h; statements are cached by address). NULL on failure
 * with e set. Do not finalize it. */
sqlite3_stmt *db_stmt(bt_db *db, const char *sql, bt_err *e);

/* BT_EFAIL with SQLite's message and what was being done. */
int db_fail(bt_db *db, bt_err *e, const char *what);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. db_rollback never fails loudly. */
int db_begin(bt_db *db, bt_err *e);
int db_commit(bt_db *db, bt_err *e);
void db_rollback(bt_db *db);

/* Starts a read transaction when none is open, so that a multi-statement
 * read sees one snapshot; returns 1 when it started one (pass that to
 * db_read_end). */
int db_read_begin(bt_db *db);
void db_read_end(bt_db *db, int started);

/* Runs a statement with no result rows (after binding); BT_OK or BT_EFAIL. */
int db_exec_stmt(bt_db *db, sqlite3_stmt *st, const char *what, bt_err *e);

/* Binds text or NULL. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Column text or NULL, duplicated on the heap (NULL stays NULL). */
char *db_col_strdup(sqlite3_stmt *st, int i);
/* Copies column text into out (size n), "" for NULL. */
void db_col_copy(sqlite3_stmt *st, int i, char *out, size_t n);

/* Makes room for at least need elements of elem bytes in *v (capacity in
 * *cap, doubled as needed). 0 on success, -1 when out of memory (then *v is
 * unchanged and still owned by the caller). */
int array_reserve(void *v, size_t *cap, size_t need, size_t elem);

/* SHA-256 of data as 64 lowercase hex digits. */
void sha256_hex(const void *data, size_t len, char out[65]);

/* The previous hash of the first event, and of a circular's first event. */
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Lowercase hex of n bytes into out (2n + 1 bytes). */
void hex_encode(const void *p, size_t n, char *out);

/* Decodes exactly n bytes from the len hex digits at s; -1 otherwise. */
int hex_decode(const char *s, size_t len, void *out, size_t n);

/* 1 when s is exactly n lowercase hex digits (the one spelling of hashes,
 * keys and signatures), else 0. */
int hex_lower(const char *s, size_t n);

/* The next event, reserved inside the caller's write transaction: its
 * number (for the rows that record it) and the hash it chains to. */
typedef struct event_slot {
	int64_t seq;
	char prev[65];
	const char *actor;
} event_slot;

/* Raises *now to the time of the last event, so that times the server
 * assigns never go back when its clock does. */
int event_clock(bt_db *db, bt_time *now, bt_err *e);

/* The witness of the last acknowledged event, <db>.witness (witness.c).
 * witness_read: its event number and hash (0 and ZERO_HASH when none).
 * witness_advance: after a commit, raises it to (seq, hash) and syncs it.
 * witness_reset: sets it to (seq, hash) whatever it was (init, restore).
 * witness_remove: removes it (a failed init).
 * witness_guard: BT_EFAIL when it names events past last (acknowledged but
 * missing) or another hash for last; writers call it before appending.
 * witness_check: compares (w, wh), read from it BEFORE the caller's read
 * snapshot began (it names only events committed before it was written),
 * with the database, into out; 1 when they agree. */
int witness_read(bt_db *db, int64_t *seq, char hash[65], bt_err *e);
int witness_advance(bt_db *db, int64_t seq, const char hash[65], bt_err *e);
int witness_reset(const char *db_path, int64_t seq, const char hash[65], bt_err *e);
void witness_remove(const char *db_path);
int witness_guard(bt_db *db, int64_t last, const char last_hash[65], bt_err *e);
int witness_check(bt_db *db, int64_t w, const char wh[65], char *out, size_t n);

/* Reserves the next event for actor; BT_EINPUT when the actor name is
 * empty, too long or unclean (before anything is written). */
int event_reserve(bt_db *db, const char *actor, event_slot *slot, bt_err *e);

/* Writes the reserved event. payload is the inner part of a JSON object
 * (key:value pairs, no braces; may be ""). Fills hash and body (the
 * canonical content) when not NULL. */
int event_write(bt_db *db, const event_slot *slot, const char *kind,
		const char *circular, bt_time at, const char *payload,
		char hash[65], bt_buf *body, bt_err *e);

/* event_reserve and event_write, for events that no row refers to. */
int event_append(bt_db *db, const char *kind, const char *circular,
		 const char *actor, bt_time at, const char *payload, bt_err *e);

/* Renders the canonical body of an event into b. cprev (an event with a
 * circular) is the hash of the previous event of the same circular (64
 * zeros for its first): each consultation's events form a chain of their
 * own, which a published bundle can verify without the other events. */
int event_render(bt_buf *b, int64_t seq, bt_time at, const char *actor,
		 const char *kind, const char *circular, const char *cprev,
		 const char *payload);

/* Signs the JSON object in doc (its bytes, as they are) with key and adds
 * the signature as its last member, "signature", then a newline: how
 * receipts and bundle manifests are signed. */
int json_sign_close(const bt_key *key, bt_buf *doc, bt_err *e);

/* The last event's number and hash (0 and ZERO_HASH when there is none). */
int event_last(bt_db *db, int64_t *seq, char hash[65], bt_err *e);

/* BT_EFAIL (with the one-line reason) when db is known to be damaged: a
 * damage mark or a broken last event (damage.c, bt_db_damaged); run by
 * db_begin inside its transaction, so every change refuses. */
int db_damage_guard(bt_db *db, bt_err *e);

/* The hash of the last event of circular before seq, or 64 zeros. */
int event_cprev(bt_db *db, const char *circular, int64_t seq, char out[65], bt_err *e);

/* Validation helpers: 1 when s is a valid identifier (circular, rec). */
int valid_id(const char *s, const char *extra);
/* valid_id, and also safe as a file name: no '/', '\\', "..", leading '.' */
int valid_file_id(const char *s, const char *extra);

/* Members import within an open transaction (see bt_members_import). */
int members_import_txn(bt_db *db, const char *text, size_t len,
		       const char *source, const char *const *recodes, size_t nrecodes,
		       int64_t seq, bt_time now, bt_member_import_stats *stats, bt_err *e);

/* The "former":[...],"changes":[...] part of the member event seq, from
 * the member_names and member_changes rows it wrote; *found counts them. */
int member_payload(bt_db *db, int64_t seq, bt_buf *out, int *found, bt_err *e);

/* 1 for the events that record members (init, members-import,
 * members-baseline). */
int member_event_kind(const char *kind);

/* Records the member list (and its former names) as it stands, once, in a
 * members-baseline event, for a database whose members were never recorded
 * (one made before schema 5). Inside the caller's transaction. */
int members_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e);
/* Records, once and only when any is stored, a hash-baseline event pinning
 * every stored password and reply-code hash by the SHA-256 digest of its
 * string (the schema 6 migration, for hashes stored by events without one). */
int hashes_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e);

/* bt_member_resolve that also gives the admission date (BT_DATE_NONE). */
int member_lookup(bt_db *db, const char *field, const char *code, char out[4],
		  bt_date *since, bt_err *e);

/* Reads member rows from st (code, alpha2, name, since) into out. */
int members_collect(bt_db *db, sqlite3_stmt *st, bt_member_list *out, bt_err *e);

/* A TSV reader over an in-memory text: fields are split in place. */
typedef struct tsv_reader {
	char *text, *p, *end;
	int line;
} tsv_reader;
void tsv_init(tsv_reader *t, char *text, size_t len);
/* Reads the next non-blank, non-comment line into up to max fields; returns
 * the number of fields, 0 at the end. */
int tsv_next(tsv_reader *t, char **fields, int max);

/* Consultation row by circular, inside or outside a transaction. */
int consultation_load(bt_db *db, const char *circular, bt_consultation *out,
		      bt_err *e);

/* 1 when member (alpha-3) is in the electorate of consultation id, 0 when
 * not, -1 (e set) when it cannot be read. */
int electorate_has(bt_db *db, int64_t id, const char *member, bt_err *e);

/* The drafts of consultation c, in the order added (bt_drafts_list without
 * looking the consultation up again). */
int drafts_of(bt_db *db, const bt_consultation *c, bt_draft_list *out, bt_err *e);

/* Finds a draft of consultation c (rec NULL: the only one). */
int draft_find_in(bt_db *db, const bt_consultation *c, const char *rec,
		  bt_draft *out, bt_err *e);

/* A reply row as the counting code sees it. */
typedef struct count_row {
	int64_t id;
	int64_t seq;        /* the event that recorded it (bundles; 0 otherwise) */
	char member[4];
	bt_choice choice;
	bt_time received;
	bt_time recorded;   /* when it was recorded (0: known at any time) */
	int has_attachment;
	const char *status; /* set by count_resolve */
} count_row;

/* Judges the rows of one member on one draft (sorted by received, then id)
 * as of as_of against deadline: sets each row's status to "counted",
 * "superseded", "withdrawn", "withdrawal", "late" or NULL (received or
 * recorded after as_of: not yet on record at as_of).
 * Returns the index of the counted row, or -1; *withdrawn is 1 when the
 * member's latest on-time row is a withdrawal. */
int count_resolve(count_row *rows, size_t n, bt_time deadline, bt_time as_of,
		  int *withdrawn);

/* Tallies one draft's rows (sorted by member, received, id) under rule into
 * d, using t's deadline, as_of, final and electorate: the one counting the
 * tally and the bundle verifier share. */
void tally_rows(const bt_rule *rule, count_row *rows, size_t n, const bt_tally *t,
		bt_draft_tally *d);

/* Loads a draft's reply rows ordered by member, received, id. */
int count_load(bt_db *db, int64_t draft_id, count_row **rows, size_t *n,
	       bt_err *e);

/* Loads one member's rows on one draft, ordered by received, id. */
int count_load_member(bt_db *db, int64_t draft_id, const char *member,
		      count_row **rows, size_t *n, bt_err *e);

/* The canonical payloads of consultation and draft events, rendered from
 * the stored rows (so the audit can render them again and compare). */
int consultation_payload(bt_db *db, int64_t id, bt_buf *out, bt_err *e);
int draft_payload(bt_db *db, int64_t draft_id, bt_buf *out, bt_err *e);

/* The canonical payload of a reply event, rendered from the stored row. */
int reply_payload(bt_db *db, int64_t reply_id, bt_buf *out, bt_err *e);

/* Secrets (secret.c): "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX" with a fresh
 * 16-byte salt, and its constant-time check. */
#define SECRET_HASH_MAX 128
int secret_hash(const char *secret, size_t len, unsigned iter,
		char out[SECRET_HASH_MAX], bt_err *e);
/* 1 when secret matches stored. stored NULL or malformed: the same work
 * (dummy_iter rounds of PBKDF2), then 0. */
int secret_verify(const char *stored, const char *secret, size_t len,
		  unsigned dummy_iter);

/* The auth event kinds (codes-issue, codes-revoke, user-add, cert-register,
 * cert-revoke): 1 when kind is one. */
int auth_event_kind(const char *kind);
/* The canonical payload of auth event seq, rendered from the rows it
 * recorded, with its circular ("" for none) and time; *found 0 when no row
 * refers to the event. */
int auth_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out,
		 char circular[BT_ID_MAX + 1], bt_time *when, int *found,
		 bt_err *e);

/* The calendar (calendar.c). calendar_install_default loads the rule-based
 * days 2000-2100 and forms/calendar/itu-closed-days.tsv as two
 * calendar-import events, inside the caller's transaction, unless the
 * database ever had a calendar event. */
int calendar_install_default(bt_db *db, const char *actor, bt_time now, bt_err *e);
/* 1 for calendar-add, calendar-import, calendar-remove. */
int calendar_event_kind(const char *kind);
/* The canonical payload of calendar event seq from its rows; *when their
 * time (-1 when they disagree), *found how many. */
int calendar_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out, bt_time *when,
		     int *found, bt_err *e);
/* The closed weekdays strictly between deadline's date and meeting_start as
 * "date\tname\n" lines; -1 when out of memory. */
int calendar_skipped(const bt_calendar *cal, bt_time deadline, bt_date meeting_start,
		     bt_buf *out);
/* The canonical payload of a deadline event from its row (consultation.c). */
int deadline_payload(bt_db *db, int64_t seq, bt_buf *out, char circular[BT_ID_MAX + 1],
		     bt_time *when, char *by, size_t bylen, int *found, bt_err *e);

#define BT_INF_TIME INT64_MAX

#endif
