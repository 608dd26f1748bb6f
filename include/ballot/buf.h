/* buf.h - the growable byte buffer with a hard size cap.
 *
 * A bt_buf always holds a NUL-terminated string after a successful append
 * (data may contain NUL bytes; len counts the bytes before the terminator).
 * When an append would exceed max, or memory runs out, the buffer is released
 * (emptied and freed) and -1 is returned, so no caller can go on with a
 * truncated value by accident.
 */
#ifndef BALLOT_BUF_H
#define BALLOT_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct bt_buf {
	char *data;   /* NULL until the first append */
	size_t len;   /* bytes in use, not counting the terminating NUL */
	size_t alloc; /* bytes allocated */
	size_t max;   /* largest len allowed */
	int failed;   /* set once an append failed; later appends fail too */
} bt_buf;

#define BT_BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)
#define BT_BUF_INIT { NULL, 0, 0, BT_BUF_DEFAULT_MAX, 0 }

/* Initializes an empty buffer that may grow to max bytes (0: the default). */
void bt_buf_init(bt_buf *b, size_t max);

/* Appends n bytes; 0 on success, -1 (buffer released) when over max/OOM. */
int bt_buf_add(bt_buf *b, const void *p, size_t n);
int bt_buf_adds(bt_buf *b, const char *s);
int bt_buf_addc(bt_buf *b, char c);
int bt_buf_addf(bt_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int bt_buf_vaddf(bt_buf *b, const char *fmt, va_list ap);

/* Returns the contents as a C string ("" when empty); never NULL. */
const char *bt_buf_str(const bt_buf *b);

/* Empties the buffer, keeping its memory and cap; clears the failed flag. */
void bt_buf_reset(bt_buf *b);

/* Frees the memory; the buffer is empty and reusable afterwards. */
void bt_buf_release(bt_buf *b);

/* Hands the memory to the caller (free() it); the buffer becomes empty.
 * Returns an empty heap string for an empty buffer, NULL only on OOM. */
char *bt_buf_detach(bt_buf *b, size_t *len);

/* Reads the whole file at path into out (replacing its contents; out's cap
 * becomes max). Refuses with BT_EINPUT naming field (the engine's name of the input, as err.h says) and path a missing or
 * unreadable file, anything but a regular file (a FIFO is never opened), and
 * a file larger than max bytes (checked before reading). A read error is
 * BT_EFAIL. */
struct bt_err;
int bt_file_read(const char *path, const char *field, size_t max, bt_buf *out,
		 struct bt_err *e);

/* Writes len bytes of data to path whole or not at all: a temporary file
 * beside it (".<name>.XXXXXX"), written, given mode 0666 & ~umask, fsynced,
 * then renamed over path (the directory itself is not synced: callers that
 * write many files sync it once). A path that cannot be used (no access,
 * missing or non-directory parent, read-only file system) is BT_EINPUT
 * naming field and the directory; a write error (disk full) BT_EFAIL. On
 * failure no file is left behind. */
int bt_file_write(const char *path, const char *field, const void *data,
		  size_t len, struct bt_err *e);

/* BT_OK when bt_file_write(path) can be expected to succeed: its directory
 * exists and can be written in, and path is not something other than a
 * regular file. BT_EINPUT naming field otherwise. Writes nothing. */
int bt_file_writable(const char *path, const char *field, struct bt_err *e);

/* BT_OK when name can be one component of a path inside an output
 * directory: not empty, no '/', '\\', "..", no leading '.', no control
 * character. Else BT_EINPUT naming field and value: a circular ID or a
 * Recommendation number from an old or edited database can never make a
 * writer leave its directory. Checked by every writer that builds a file
 * name from recorded IDs (forms, report). */
int bt_file_name_check(const char *name, const char *field, struct bt_err *e);

/* Creates dir and its missing parents (mode 0777 & ~umask) and checks it can
 * be written in. BT_EINPUT naming field and the component at fault when one
 * is not a directory or cannot be created; "" is refused. */
int bt_dir_make(const char *dir, const char *field, struct bt_err *e);

/* Removes the directories bt_dir_make created in this process that are
 * still empty (deepest first), and forgets them: a command that failed (a
 * full disk) leaves no empty directory behind. Not thread-safe; for the
 * command line. */
void bt_dir_undo(void);

#endif
