/* store.h - the store floor, private to the engine: the connection and its
 * statements, transactions, the event log and its witness, damage marks,
 * settings. Knows no domain concept (the SQL text it runs for the floors
 * above lives in sql.c). Front ends never include this file. */
#ifndef BALLOT_STORE_H
#define BALLOT_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "ballot/ballot.h"
#include "base/base.h"
#include "store/sql.h"

#define BT_APPLICATION_ID 0x42414c54 /* "BALT" */
#define BT_STMT_CACHE 256
/* Documents kept per connection (doc.c): the status of every group asked
 * for and the tallies of the consultations asked for, in the same second. */
#define BT_DOC_SLOTS 16
/* Per connection (db_configure, unless BT_DB_UNMAPPED): up to 256 MiB of
 * the file read mapped. */
#define BT_MMAP_SIZE "268435456"

/* What a row check found sound (rowcheck.c, SQL_ROWCHECK_MARK): ok when
 * the replies and events had no gap between their lowest and highest
 * number and their append-only triggers were as created; then the schema
 * cookie, those numbers and a digest of the checked tables' triggers. While
 * all hold, a row at or below the highest numbers is one the check saw. */
typedef struct db_mark {
	int ok;
	int64_t schema, min_reply, hi_reply, min_event, hi_event;
	uint64_t triggers;
} db_mark;

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
		/* every consultation's replies found sound at once
		 * (rowcheck_replies_all), and the database's state then */
		int replies_sound;
		int64_t replies_version, replies_changes;
		/* what each found sound, to check only the rows after it */
		db_mark mark, replies_mark;
	} checked;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[BT_STMT_CACHE];
	struct {            /* documents kept while nothing changes (doc.c) */
		struct db_doc {
			char key[96];
			int64_t data_version, changes;
			uint64_t used; /* when it was last given or kept (tick) */
			bt_buf doc;
		} v[BT_DOC_SLOTS];
		uint64_t tick;
		uint64_t made; /* documents made (db_doc_put), not given again */
	} doc;
};

/* Returns a reset, cleared prepared statement for sql (one of the SQL_*
 * constants of sql.h; statements are cached by address). NULL on failure
 * with e set. Do not finalize it. */
sqlite3_stmt *db_stmt(bt_db *db, const char *sql, bt_err *e);

/* Documents the floors above keep on the connection while the database
 * does not change (doc.c), up to BT_DOC_SLOTS under different keys (the
 * least recently used goes first). db_doc_get: 1 with the document kept
 * under key copied into out (replacing its content) when nothing was
 * committed to the database since it was kept, by this connection or any
 * other; 0 otherwise (out untouched; also without memory for the copy).
 * db_doc_put: counts one document made (db_doc_made) and keeps doc under
 * key (replacing the one kept under it, or the least recently used), with
 * the database's state read now: call it inside the read transaction that
 * made doc, so that a commit between the reads and the keeping cannot be
 * missed. A key longer than 95 bytes is not kept. db_doc_made: how many
 * documents were put on db's connection since it was opened. */
int db_doc_get(bt_db *db, const char *key, bt_buf *out);
void db_doc_put(bt_db *db, const char *key, const bt_buf *doc);
uint64_t db_doc_made(const bt_db *db);

/* BT_EFAIL with SQLite's message and what was being done; the reason
 * follows from SQLite's result code (db_reason). */
int db_fail(bt_db *db, bt_err *e, const char *what);

/* What an SQLite result code (primary or extended) says went wrong:
 * BT_R_NOMEM for out of memory; BT_R_DAMAGED for a file or schema that is
 * not as the engine wrote it (corrupt, not a database, a table or column its
 * own SQL names missing); BT_R_IO otherwise (an I/O error, a full disk, a
 * lock, a refused write). */
bt_reason db_reason(int rc);

/* 1 when an SQLite result code is a failure of this run, not of the file it
 * read: out of memory, an I/O error, a full disk, a lock held too long, an
 * interrupt. Such a failure says nothing about the file's content (nor
 * about the caller's input). */
int db_is_fault(int rc);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. db_rollback never fails loudly. */
int db_begin(bt_db *db, bt_err *e);
int db_commit(bt_db *db, bt_err *e);
void db_rollback(bt_db *db);
/* BT_OK inside a transaction; else BT_EFAIL (reason io): SQLite rolls a
 * transaction back by itself on some failures (out of memory, I/O), and a
 * read that tolerated its failure would let a write go on statement by
 * statement, each committing alone. Run before a write's rows and its
 * event. */
int db_in_transaction(bt_db *db, bt_err *e);

/* Starts a read transaction when none is open, so that a multi-statement
 * read sees one snapshot; returns 1 when it started one (pass that to
 * db_read_end). */
int db_read_begin(bt_db *db);
void db_read_end(bt_db *db, int started);

/* Runs a statement with no result rows (after binding); BT_OK or BT_EFAIL. */
int db_exec_stmt(bt_db *db, sqlite3_stmt *st, const char *what, bt_err *e);

/* Binds a copy of text s, or NULL when s is NULL; returns SQLite's result.
 * s must stay valid until the statement has been stepped: when SQLite has
 * no memory for the copy, s itself is bound (no allocation), so a look-up
 * under an allocation failure still finds its row, and an insert stores
 * what was bound, never a NULL nobody wrote. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Binds text s without copying it (s must stay valid until the statement
 * is reset), or NULL when s is NULL; no allocation, so it cannot fail for
 * lack of memory. Returns SQLite's result. */
int db_bind_kept(sqlite3_stmt *st, int i, const char *s);
/* Column text or NULL, duplicated on the heap (NULL stays NULL). */
char *db_col_strdup(sqlite3_stmt *st, int i);
/* Copies column text into out (size n), "" for NULL. */
void db_col_copy(sqlite3_stmt *st, int i, char *out, size_t n);
/* Column bytes duplicated on the heap into *out, *len (an empty value: a
 * 1-byte allocation, *len 0); SQL NULL: *out NULL. BT_EFAIL when out of
 * memory (*out NULL). */
int db_col_blobdup(sqlite3_stmt *st, int i, unsigned char **out, size_t *len);

/* Fills one element from the current row of a statement. */
typedef void db_row_fill(sqlite3_stmt *st, void *elem);
/* Steps st to its end, appending one zeroed element of elem bytes per row
 * to the array *v (of *n elements), filled by fill; what names the reading
 * in an error. The array stays the caller's on failure too. */
int db_collect(bt_db *db, sqlite3_stmt *st, void *v, size_t *n, size_t elem,
	       db_row_fill *fill, const char *what, bt_err *e);

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
 * witness_check (event.c, which knows the log): compares (w, wh), read from it BEFORE the caller's read
 * snapshot began (it names only events committed before it was written),
 * with the database, into out; 1 when they agree, 0 when they do not, -1
 * (e set, out saying so) when the database could not be read. */
int witness_read(bt_db *db, int64_t *seq, char hash[65], bt_err *e);
int witness_advance(bt_db *db, int64_t seq, const char hash[65], bt_err *e);
int witness_reset(const char *db_path, int64_t seq, const char hash[65], bt_err *e);
void witness_remove(const char *db_path);
int witness_guard(bt_db *db, int64_t last, const char last_hash[65], bt_err *e);
int witness_check(bt_db *db, int64_t w, const char wh[65], char *out, size_t n, bt_err *e);
/* The witness file of the database at db_path: "<db_path>.witness". */
void witness_name(const char *db_path, char *out, size_t n);

/* The store's own event kind: a setting changed (settings.c). The kinds of
 * the floors above are in domain.h's table. */
#define EVK_SETTING "setting"

/* BT_EINPUT (field actor) when the actor name is empty, too long, unclean
 * or hides characters; else BT_OK. */
int event_actor_check(const char *actor, bt_err *e);

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



/* The last event's number and hash (0 and ZERO_HASH when there is none). */
int event_last(bt_db *db, int64_t *seq, char hash[65], bt_err *e);

/* BT_EFAIL (with the one-line reason) when db is known to be damaged: a
 * damage mark or a broken last event (damage.c, bt_db_damaged); run by
 * db_begin inside its transaction, so every change refuses. */
int db_damage_guard(bt_db *db, bt_err *e);

/* The hash of the last event of circular before seq, or 64 zeros. */
int event_cprev(bt_db *db, const char *circular, int64_t seq, char out[65], bt_err *e);

/* Opening (open.c). db_open: checks path, opens, checks the file is a
 * ballot database of a schema this ballot reads, configures the connection;
 * the schema is not migrated (bt_db_open in services/init.c does that).
 * db_open_raw: just the SQLite connection. db_check_ours: fails unless db is
 * a ballot database (or, when allow_empty, an empty file: *empty says so).
 * db_configure: the per-connection settings of stack-notes.md (flags as
 * bt_db_open's: WAL unless BT_DB_READONLY, the file mapped unless
 * BT_DB_UNMAPPED). db_wal_on: switches the file to WAL. db_create_private: creates
 * path as an empty 0600 file (*existed when it was there already). */
int db_open(const char *path, int flags, bt_db **out, bt_err *e);
int db_open_raw(const char *path, int flags, bt_db **out, bt_err *e);
int db_check_ours(bt_db *db, int allow_empty, int *empty, bt_err *e);
int db_configure(bt_db *db, int flags, bt_err *e);
int db_wal_on(bt_db *db, bt_err *e);
int db_create_private(const char *path, int *existed, bt_err *e);
/* The failure of sqlite3_open_v2(path) that returned rc with the handle h
 * (NULL when SQLite had no memory for one), naming field: a path SQLite
 * cannot open (missing, unreadable, a directory) is BT_R_INPUT; out of
 * memory BT_R_NOMEM; anything else (an I/O error) BT_R_IO. */
int db_open_fail(sqlite3 *h, int rc, const char *field, const char *path, bt_err *e);

/* The one integer a pragma or a one-row query gives in *out (0 without a
 * row); -1 when it fails. */
int db_pragma_int64(bt_db *db, const char *sql, int64_t *out);

/* Runs sql (no rows) on db; BT_EFAIL naming what was being done. */
int db_exec_sql(bt_db *db, const char *sql, const char *what, bt_err *e);

/* Brings the schema to SQL_SCHEMA_VERSION inside the caller's write
 * transaction (migrate.c). */
int db_apply_migrations(bt_db *db, bt_err *e);

/* One change to the store (write.c): a write command fills a db_write with
 * its event's kind, circular (NULL for none), actor, time and its own ctx,
 * and gives two steps. check loads what the command needs and refuses
 * (writes nothing; it may still set kind and circular, and render into
 * w->payload an event that records no row); insert writes the rows,
 * recording w->ev.seq, and renders the event's payload into w->payload
 * from them. db_write_run: BEGIN IMMEDIATE, check, reserve the
 * event for w->actor, insert, write the event (its hash into w->hash, and
 * its canonical body into *w->body when body is not NULL), COMMIT; any
 * failure rolls all of it back and returns its status (BT_OK only when
 * committed, then the witness has followed). db_write_in: the same steps
 * inside the caller's open write transaction (batches), without BEGIN and
 * COMMIT. Either step may be NULL. w->payload starts empty (the caller
 * need not set it) and is released either way. A check that finds nothing
 * to record sets w->kind to NULL: then no event is reserved or written,
 * insert does not run, and the status is BT_OK. */
typedef struct db_write {
	const char *kind;
	const char *circular;
	const char *actor;
	bt_time now;
	void *ctx;
	event_slot ev;
	bt_buf payload;
	char hash[65];
	bt_buf *body;
} db_write;
typedef int db_write_step(bt_db *db, db_write *w, bt_err *e);
int db_write_run(bt_db *db, db_write *w, db_write_step *check, db_write_step *insert, bt_err *e);
int db_write_in(bt_db *db, db_write *w, db_write_step *check, db_write_step *insert, bt_err *e);

/* Group commit (group.c): runs step(db, ctx, e) inside a write transaction
 * that may be shared with the changes other threads of this process ask for
 * at the same time on the same database, each inside its own SAVEPOINT: a
 * step that fails has its changes (and its events) rolled back alone, as if
 * it had been its own transaction; the steps run one after another, each
 * seeing those before it. The step may run on another thread's connection
 * (db's is not used then), so it must touch no state of db's but the
 * database. Returns only once the COMMIT that holds the change (and the
 * witness after it) is done: BT_OK then; else the step's own failure, or
 * the failure of the begin or commit of the shared transaction (set in *e).
 * Not inside an open transaction. */
typedef int db_group_step(bt_db *db, void *ctx, bt_err *e);
int db_write_group(bt_db *db, db_group_step *step, void *ctx, bt_err *e);
/* How many changes wait in the queue, a batch running aside (tests). */
size_t db_group_queued(void);

/* A migration's record in the event log, made once per database (migrate.c):
 * when done_sql (one count) counts no row, the n writes w[0..n-1] in turn,
 * each with db_write_in and the same two steps, inside the caller's write
 * transaction; when it counts any, nothing (BT_OK). */
int db_write_once(bt_db *db, const char *done_sql, db_write *w, size_t n, db_write_step *check,
		  db_write_step *insert, bt_err *e);

#endif
