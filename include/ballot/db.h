/* db.h - the SQLite store: opening, creating, transactions, settings.
 *
 * One database file holds everything. It is opened in WAL mode with
 * synchronous=FULL, foreign keys on, defensive mode, and a busy timeout; every
 * change runs in one BEGIN IMMEDIATE transaction. The schema is versioned
 * (PRAGMA user_version) and migrated forward on open. A file that is not a
 * ballot database (wrong application_id, or not SQLite) is refused. A new
 * database file is created mode 0600, and so are its -wal and -shm files
 * (SQLite gives them the database file's mode).
 */
#ifndef BALLOT_DB_H
#define BALLOT_DB_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/err.h"
#include "ballot/timeutil.h"

typedef struct bt_db bt_db;

enum {
	BT_DB_CREATE = 1,   /* (bt_db_init's own: bt_db_open ignores it) */
	BT_DB_READONLY = 2, /* open for reading only */
	BT_DB_UNMAPPED = 4  /* reads through pread, not a mapping of the file:
			       for a connection among several that write
			       often (SQLite unmaps the whole mapping at each
			       read after anyone's write: the portal) */
};

/* Opens the database at path; never creates one (bt_db_init does, private
 * to its owner): a missing file is BT_EINPUT ("no database at ..."). A
 * foreign file is BT_EINPUT. On success *out must be closed with
 * bt_db_close. */
int bt_db_open(const char *path, int flags, bt_db **out, bt_err *e);

/* Closes the connection; NULL is accepted. */
void bt_db_close(bt_db *db);

/* Creates the database at path if it does not exist, applies the schema and
 * loads the Member State list from members_tsv (the TSV text, len bytes;
 * source names it in messages). *created is 1 when it did so, 0 when a
 * ballot database was already there (then nothing is changed). One
 * transaction: a failed init leaves no database behind. */
int bt_db_init(const char *path, const char *members_tsv, size_t len,
	       const char *source, const char *actor, bt_time now, int *created,
	       bt_err *e);

/* Fails with BT_EINPUT, naming the file and its mode, when the database at
 * path, or the -wal or -shm file beside it, can be read or written by anyone
 * but its owner (any of the mode bits 077). A missing -wal or -shm is fine.
 * The files are looked at (stat), never opened. */
int bt_db_require_private(const char *path, bt_err *e);

/* 1 when the connection cannot write (read-only file or directory). */
int bt_db_readonly(bt_db *db);

/* Fails with BT_EINPUT naming the file when the database is read-only. */
int bt_db_require_writable(bt_db *db, bt_err *e);

/* Compares the witness <path>.witness (the last event acknowledged, kept
 * outside the database) with the database; writes "ok (...)", "none yet"
 * or what is missing into out. 1 when nothing acknowledged is missing. */
int bt_db_witness(bt_db *db, char *out, size_t n);

/* The schema version the database is at. */
int bt_db_schema_version(bt_db *db);

/* Settings kept in the database. Known keys: "attachment_max" (bytes per
 * file, default 20 MiB); "quota_bytes" (bytes a member's replies in one
 * consultation may hold in attachments, default 100 MiB) and
 * "replies_per_hour" (replies a member may record in one consultation in
 * an hour, default 30): see bt_reply_record; "mail_receipts" (1: each reply
 * or withdrawal of a member with a contact queues its receipt in the
 * outbox, in the reply's transaction; default 0). bt_setting_set validates the
 * key and value (BT_EINPUT) and records the change as an event. */
int64_t bt_setting_int(bt_db *db, const char *key, int64_t dflt);
int bt_setting_set(bt_db *db, const char *key, const char *value,
		   const char *actor, bt_time now, bt_err *e);

#define BT_ATTACHMENT_MAX_DEFAULT ((int64_t)20 * 1024 * 1024)
#define BT_ATTACHMENT_MAX_LIMIT ((int64_t)256 * 1024 * 1024) /* largest allowed setting */
#define BT_QUOTA_BYTES_DEFAULT ((int64_t)100 * 1024 * 1024)
#define BT_QUOTA_BYTES_LIMIT ((int64_t)1024 * 1024 * 1024 * 1024) /* 1 TiB */
/* 30: a reply is one row per draft; a TAP circular has a few drafts, so an
 * administration may send its whole reply and correct it several times an
 * hour, while rows with no attachment (which quota_bytes does not bound)
 * stay under a thousand a day per member and consultation. */
#define BT_REPLIES_PER_HOUR_DEFAULT 30
#define BT_REPLIES_PER_HOUR_LIMIT 1000000

#endif
