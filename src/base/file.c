/* file.c - reading and writing whole files, and making directories, with
 * one-line errors naming the field (include/ballot/buf.h; base floor). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/base.h"

/* The directories bt_dir_make created, for bt_dir_undo. */
static char *dirs_made[64];
static size_t n_dirs_made;

/* strerror in lowercase, as every other message is. */
static const char *lower_error(int err, char *buf, size_t len)
{
	if (err == ENOENT || err == ENOTDIR)
		return "no such file";
	snprintf(buf, len, "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

int bt_file_read(const char *path, const char *field, size_t max, bt_buf *out, bt_err *e)
{
	char eb[128];
	/* The buffer takes the cap of this read, whatever it had before. */
	bt_buf_release(out);
	bt_buf_init(out, max ? max : 1);
	struct stat pre;
	if (stat(path, &pre) != 0)
		return bt_failf(e, errno == ENOENT ? BT_R_NOT_FOUND : BT_R_INPUT, field,
				"'%s': %s", path,
				lower_error(errno, eb, sizeof eb));
	if (!S_ISREG(pre.st_mode)) /* a FIFO would block the open */
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not a regular file", path);
	FILE *f = fopen(path, "rb");
	if (!f)
		return bt_failf(e, BT_R_INPUT, field, "cannot read '%s': %s", path,
				lower_error(errno, eb, sizeof eb));
	struct stat sb;
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not a regular file", path);
	}
	if ((uint64_t)sb.st_size > max) {
		fclose(f);
		return bt_failf(e, BT_R_INPUT, field,
				"'%s' is %lld bytes, over the limit of %zu bytes",
				path, (long long)sb.st_size, max);
	}
	char chunk[65536];
	size_t n;
	int rc = BT_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > max) { /* it grew since fstat */
			rc = bt_failf(e, BT_R_INPUT, field,
				      "'%s' is over the limit of %zu bytes", path, max);
			break;
		}
		if (bt_buf_add(out, chunk, n)) {
			rc = bt_failf(e, BT_R_NOMEM, field, "out of memory reading '%s'", path);
			break;
		}
	}
	if (!rc && ferror(f))
		rc = bt_failf(e, BT_R_IO, field, "error reading '%s': %s", path,
			      lower_error(errno, eb, sizeof eb));
	fclose(f);
	if (rc)
		bt_buf_release(out);
	return rc;
}

/* Who is at fault when a file cannot be made: the user for a path that
 * names nothing or cannot be used, the system otherwise (disk full, I/O
 * error). */
static bt_reason path_error_reason(int err)
{
	return err == ENOENT || err == ENOTDIR ? BT_R_NOT_FOUND
	     : err == EACCES || err == EPERM || err == EROFS || err == EISDIR || err == EEXIST ||
	       err == ENAMETOOLONG || err == ELOOP ? BT_R_INPUT : BT_R_IO;
}

int bt_file_write(const char *path, const char *field, const void *data,
		  size_t len, bt_err *e)
{
	char eb[128];
	/* the directory part: "." for a bare name, "/" for "/name" */
	const char *slash = strrchr(path, '/');
	const char *dir = slash ? path : ".";
	int dirlen = slash ? (slash == path ? 1 : (int)(slash - path)) : 1;
	const char *name = slash ? slash + 1 : path;
	bt_buf tmp = BT_BUF_INIT;
	bt_buf_addf(&tmp, "%.*s/.%s.XXXXXX", dirlen, dir, name);
	if (tmp.failed || !tmp.data)
		return bt_failf(e, BT_R_NOMEM, field, "out of memory");
	int fd = mkstemp(tmp.data);
	if (fd < 0) {
		int err = errno;
		bt_buf_release(&tmp);
		return bt_failf(e, path_error_reason(err), field,
				"cannot write in '%.*s': %s", dirlen, dir, lower_error(err, eb, sizeof eb));
	}
	const char *p = data;
	size_t left = len;
	int rc = BT_OK, err = 0;
	while (left && !err) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			err = w < 0 ? errno : EIO;
		else {
			p += w;
			left -= (size_t)w;
		}
	}
	mode_t mask = umask(0);
	umask(mask);
	if (!err && (fchmod(fd, 0666 & ~mask) != 0 || fsync(fd) != 0))
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (err)
		rc = bt_failf(e, BT_R_IO, field, "writing '%s': %s", path,
			      lower_error(err, eb, sizeof eb));
	else if (rename(tmp.data, path) != 0)
		rc = bt_failf(e, path_error_reason(errno), field,
			      "cannot write '%s': %s", path, lower_error(errno, eb, sizeof eb));
	if (rc)
		unlink(tmp.data);
	bt_buf_release(&tmp);
	return rc;
}

int bt_file_writable(const char *path, const char *field, bt_err *e)
{
	char eb[128];
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (slash == path ? 1 : (int)(slash - path)) : 1;
	bt_buf dir = BT_BUF_INIT;
	struct stat st;
	int rc = BT_OK;
	if (!*path || (slash && !slash[1]))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not a file name", path);
	bt_buf_addf(&dir, "%.*s", dirlen, slash ? path : ".");
	if (dir.failed)
		return bt_failf(e, BT_R_NOMEM, field, "out of memory");
	if (stat(dir.data, &st) != 0 || !S_ISDIR(st.st_mode))
		rc = bt_failf(e, BT_R_INPUT, field, "'%s' is not a directory", dir.data);
	else if (access(dir.data, W_OK | X_OK) != 0)
		rc = bt_failf(e, path_error_reason(errno), field,
			      "cannot write in '%s': %s", dir.data,
			      lower_error(errno, eb, sizeof eb));
	else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		rc = bt_failf(e, BT_R_INPUT, field, "'%s' exists and is not a regular file", path);
	bt_buf_release(&dir);
	return rc;
}

int bt_file_name_check(const char *name, const char *field, bt_err *e)
{
	int clean = name && bt_text_clean(name, 0);
	if (!clean || !*name || strchr(name, '/') || strchr(name, '\\') || name[0] == '.' ||
	    strstr(name, ".."))
		return bt_failf(e, BT_R_INPUT, field,
				"'%s' cannot name a file inside the output directory"
				" (empty, or has '/', '\\', '..', a leading '.' or a control character)", clean ? name : "(unprintable)");
	return BT_OK;
}

void bt_dir_undo(void)
{
	while (n_dirs_made) {
		char *d = dirs_made[--n_dirs_made];
		rmdir(d); /* only when empty */
		free(d);
	}
}

int bt_dir_make(const char *dir, const char *field, bt_err *e)
{
	char eb[128];
	if (!*dir)
		return bt_failf(e, BT_R_INPUT, field, "'' is not a directory");
	bt_buf p = BT_BUF_INIT;
	if (bt_buf_adds(&p, dir) < 0)
		return bt_failf(e, BT_R_NOMEM, field, "out of memory");
	int rc = BT_OK;
	for (char *s = p.data + 1; rc == BT_OK; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char keep = *s;
		*s = '\0';
		struct stat st;
		int made = mkdir(p.data, 0777) == 0;
		if (!made && errno != EEXIST)
			rc = bt_failf(e, path_error_reason(errno), field,
				      "cannot create '%s': %s", p.data, lower_error(errno, eb, sizeof eb));
		else if (stat(p.data, &st) != 0 || !S_ISDIR(st.st_mode))
			rc = bt_failf(e, BT_R_INPUT, field, "'%s' is not a directory", p.data);
		if (made && n_dirs_made < sizeof dirs_made / sizeof dirs_made[0] &&
		    (dirs_made[n_dirs_made] = strdup(p.data)))
			n_dirs_made++;
		*s = keep;
		if (!keep)
			break;
	}
	if (rc == BT_OK && access(dir, W_OK | X_OK) != 0)
		rc = bt_failf(e, path_error_reason(errno), field, "cannot write in '%s': %s",
			      dir, lower_error(errno, eb, sizeof eb));
	bt_buf_release(&p);
	return rc;
}
