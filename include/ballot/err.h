/* err.h - the one error convention of the ballot engine.
 *
 * Every engine function that can fail returns an int status and, when it
 * fails, fills a caller-provided bt_err. The status doubles as the exit
 * status of the command-line tool:
 *   BT_OK     0  success
 *   BT_EFAIL  1  a failure that is not the caller's fault (I/O, SQLite, ...)
 *   BT_EINPUT 2  bad input, or something the rules refuse; nothing was changed
 *
 * A failure also carries why it failed (reason), which of the engine's fields
 * it concerns (field) and a one-line, lowercase English message (msg):
 *
 * - field is the ENGINE's name for the input ("circular", "member",
 *   "received", "late_entry_reason", "db"), never a front end's ("--db");
 *   "" when the failure concerns no one field. A function that takes a
 *   `const char *field` parameter puts it there as given.
 * - msg starts with the field: "field: ...", or "field line 3: ..." for a
 *   place inside it (given as the field "electorate line 3", or as a format
 *   that starts with a space: " line %d: ..."), so a reader
 *   of msg alone gets a readable line. A word between braces names another
 *   field ("'%s' exists ({force} replaces it)") or, as {cmd:X}, a command
 *   ("make one with {cmd:init}"); bt_err_render gives a front end's names
 *   for both. No engine message spells a front end's option or command.
 *   Only the braces written in the format are references: a brace that comes
 *   from a value (a title "{force}") is doubled in msg ("{{force}") by
 *   bt_failf and bt_err_wrap, and bt_err_render prints it back single.
 * - The engine reports every failure with bt_failf, whose code follows the
 *   reason: BT_R_DAMAGED, BT_R_IO and BT_R_NOMEM are BT_EFAIL, the others
 *   BT_EINPUT. bt_fail (code, no field) is for the front ends' own messages.
 */
#ifndef BALLOT_ERR_H
#define BALLOT_ERR_H

#include <stddef.h>

enum { BT_OK = 0, BT_EFAIL = 1, BT_EINPUT = 2 };

typedef enum bt_reason {
	BT_R_NONE = 0,  /* success, or not said */
	BT_R_INPUT,     /* malformed or out of range */
	BT_R_NOT_FOUND, /* names nothing that exists */
	BT_R_CONFLICT,  /* clashes with the state: exists already, closed, too late or early */
	BT_R_FORBIDDEN, /* not allowed for this actor, its rights or its quota */
	BT_R_DAMAGED,   /* the store is damaged */
	BT_R_IO,        /* a file or the database cannot be read or written */
	BT_R_NOMEM      /* out of memory */
} bt_reason;

typedef struct bt_err {
	int code;          /* BT_OK, BT_EFAIL or BT_EINPUT */
	bt_reason reason;
	char field[32];    /* the engine's field name, or "" */
	char msg[512];     /* one line; starts with field when there is one */
} bt_err;

/* Sets e (when not NULL) to reason, field (NULL or "" for none; the part
 * before " line" when it names a place, cut to 31 bytes) and the message
 * field + ": " + the
 * formatted text (no ": " when fmt
 * starts with a space), cut to fit; the code follows from reason. Values
 * put in a message are cleaned first (bt_text_clean), so it stays one line;
 * front ends escape what is left. Returns the code. */
int bt_failf(bt_err *e, bt_reason reason, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Sets e (when not NULL) to code and the formatted message, with no field
 * and the reason that follows from code (BT_R_INPUT or BT_R_IO); returns
 * code. For the front ends' own messages; the engine uses bt_failf. */
int bt_fail(bt_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Puts a context before e's message ("Q.5051: " + message), keeping its
 * code, reason and field; the field in the message becomes {field}, so a
 * front end still renders its name for it. Returns e's code. */
int bt_err_wrap(bt_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The BT_EFAIL or BT_EINPUT that reason r stands for (BT_OK for NONE). */
int bt_reason_code(bt_reason r);

/* A short lowercase name of r ("input", "not-found", ...). */
const char *bt_reason_name(bt_reason r);

/* Writes e's message into out (n bytes, always terminated, one line) with a
 * front end's names: the leading field and every {name} become
 * name_of(name, ctx) ("{cmd:init}" asks for "cmd:init"); where name_of is
 * NULL or returns NULL the name stays as written, braces included. out is
 * cut to fit. Returns the length of the line written. */
int bt_err_render(const bt_err *e, const char *(*name_of)(const char *field, void *ctx),
		  void *ctx, char *out, size_t n);

/* Clears e to BT_OK with no reason, field or message. */
void bt_err_clear(bt_err *e);

#endif
