/* err.h - the one error convention of the ballot engine.
 *
 * Every engine function that can fail returns an int status and, when it
 * fails, fills a caller-provided bt_err with a one-line, lowercase message
 * that names the offending field and value. The status doubles as the exit
 * status of the command-line tool:
 *   BT_OK     0  success
 *   BT_EFAIL  1  a failure that is not the caller's fault (I/O, SQLite, ...)
 *   BT_EINPUT 2  bad input, or something the rules refuse; nothing was changed
 */
#ifndef BALLOT_ERR_H
#define BALLOT_ERR_H

enum { BT_OK = 0, BT_EFAIL = 1, BT_EINPUT = 2 };

typedef struct bt_err {
	int code;
	char msg[512];
} bt_err;

/* Sets e (when not NULL) to code and the formatted message; returns code. */
int bt_fail(bt_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clears e to BT_OK with an empty message. */
void bt_err_clear(bt_err *e);

#endif
