/* backup.h - copies of the database: backup, restore, and the checks that
 * tell a sound database from a damaged one.
 *
 * Copies go through SQLite's online backup API, never a file copy of the
 * live database: a backup is one read transaction on the source (in WAL
 * mode writers carry on, and the copy is the database as of its start); a
 * restore is one write transaction on the destination, so other
 * connections (a running `ballot serve`) see either the old or the restored
 * database, never a mix.
 */
#ifndef BALLOT_BACKUP_H
#define BALLOT_BACKUP_H

#include <stdint.h>
#include "ballot/audit.h"
#include "ballot/db.h"
#include "ballot/err.h"

/* What bt_db_check found. Each *_ok is 1 when that check passed; the text
 * beside it is "ok" or the first problem (with how many more). */
typedef struct bt_check_report {
	int integrity_ok;       /* PRAGMA integrity_check */
	char integrity[256];
	int foreign_keys_ok;    /* PRAGMA foreign_key_check */
	char foreign_keys[256];
	int chain_ok;           /* bt_audit_verify: chain, rows, attachments */
	char chain[320];        /* "ok" or "event N: problem" / why it could not run */
	bt_audit_report audit;  /* events checked, first bad event, head hash */
	int witness_ok;         /* <db>.witness agrees: nothing acknowledged is missing */
	char witness[320];      /* "ok (...)", "none yet (...)" or "events N..M acknowledged but missing ..." */
} bt_check_report;

/* Runs the checks on db (integrity, foreign keys, chain, witness) in one
 * read transaction and fills r. Damage (a corrupt page, a dangling
 * reference, a broken chain, a schema that lacks what the engine's SQL
 * names) is reported in r, not as an error: returns BT_OK when r is filled.
 * A check that could not run for want of memory or because of an I/O error
 * (a page or the witness that cannot be read) says nothing about the file:
 * BT_EFAIL with reason BT_R_NOMEM or BT_R_IO, naming the check, and r is
 * not a verdict. */
int bt_db_check(bt_db *db, bt_check_report *r, bt_err *e);

/* bt_db_check of the database file at path, opened read-only. A file
 * SQLite recognises but whose schema it cannot read (truncated, overwritten)
 * is reported in r as failing integrity_check (BT_OK); a missing or
 * unreadable file, one that is not SQLite, not a ballot database or newer
 * is BT_EINPUT naming the field "db" and the path; out of memory and I/O
 * errors are BT_EFAIL (BT_R_NOMEM, BT_R_IO), as in bt_db_check. */
int bt_db_check_path(const char *path, bt_check_report *r, bt_err *e);

/* 1 when every check in r passed. */
int bt_check_passed(const bt_check_report *r);

/* One line for the first failed check of r ("integrity_check: ...",
 * "foreign_key_check: ...", "event chain: event N: ..."); "" when none. */
void bt_check_first_problem(const bt_check_report *r, char *out, size_t n);

/* Copies db into the file dest: a temporary file beside it
 * (".<name>.XXXXXX", mode 0600: the copy holds the secrets' hashes), in
 * rollback-journal mode so it is one self-contained file, checked with
 * bt_db_check (r), fsynced and renamed over dest, and the directory
 * fsynced. An existing dest is refused unless force (with force, still
 * refused when dest is the database itself, a directory, or has a -wal or
 * -journal file beside it). BT_EINPUT for dest problems (naming field (the engine's name of the input, as err.h says) and
 * the path), BT_EFAIL when the copy fails its checks (r says which; the
 * database is damaged) or on I/O errors. On failure dest is untouched and
 * no temporary file is left. */
int bt_backup(bt_db *db, const char *dest, int force, const char *field,
	      bt_check_report *r, bt_err *e);

/* What bt_restore replaced. */
typedef struct bt_restore_info {
	int created;           /* 1 when there was no database at the path */
	int64_t old_events;    /* the replaced database's events (0 when created) */
	char old_head[65];     /* its head hash ("" when none) */
	int from_version;      /* the schema version of src (migrated when older) */
} bt_restore_info;

/* Replaces the database at path with the ballot database in the file src.
 * src is copied (backup API) to a temporary file beside path, migrated to
 * the current schema, and checked there: application_id, a schema version
 * not newer than this ballot, integrity_check, foreign_key_check and the
 * event chain (r). Only then is it copied into path through the backup API
 * in one write transaction (or, when path does not exist, the checked copy
 * is linked into place). A src that is missing, not a regular file, not
 * SQLite, not ours, newer, damaged (r says which) or the database itself is
 * BT_EINPUT naming field and src; a database at path that is not ours or is
 * read-only is BT_EINPUT as in bt_db_open. This run's own failures (out of
 * memory, a full disk, an I/O error) are BT_EFAIL, never blamed on src.
 * Nothing at path is changed unless everything passed. */
int bt_restore(const char *path, const char *src, const char *field,
	       bt_check_report *r, bt_restore_info *info, bt_err *e);

#endif
