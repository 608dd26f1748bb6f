/* witness.c - the witness of the last acknowledged event, kept outside the
 * database in <db>.witness (see internal.h and README "Store and integrity").
 *
 * The file is one fixed-size record, "ballot-witness 1 <seq> <hash>\n" with
 * seq padded to 20 digits, overwritten in place (pwrite at offset 0, then
 * fdatasync): its size never changes once written, so it needs no new disk
 * block, and a record is one write of under a sector.
 *
 * Order: a commit that appends events first commits (SQLite's COMMIT, durable
 * with synchronous=FULL), then raises the witness to its last event and syncs
 * it, and only then returns to the caller, which acknowledges. A crash
 * between the two leaves the witness behind the database (the event is
 * committed but was never acknowledged), which is harmless. The witness is
 * never written ahead of a commit, so it can be ahead of the database only
 * when committed events were lost afterwards (a damaged -wal, a file copied
 * back): whatever the witness names that the database lacks was acknowledged
 * and is missing. Writers of other processes are ordered by flock on the
 * witness file; it only ever moves forward (except witness_reset: init and
 * restore). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store/store.h"

#define WITNESS_LEN 104 /* "ballot-witness 1 " 17 + 20 + 1 + 64 + "\n" + pad */

void witness_name(const char *db_path, char *out, size_t n)
{
	snprintf(out, n, "%s.witness", db_path);
}

/* Opens the witness of db (creating it, mode 0600, when create). -1 with
 * errno when it cannot (ENOENT: none yet and !create). */
static int witness_fd(bt_db *db, int create)
{
	if (db->wit_fd >= 0)
		return db->wit_fd;
	char name[4200];
	witness_name(db->path, name, sizeof name);
	int fd = open(name, (create ? O_RDWR | O_CREAT : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && !create && errno == EACCES)
		fd = open(name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && create)
		db->wit_fd = fd;
	return fd;
}

static void witness_close_tmp(bt_db *db, int fd)
{
	if (fd >= 0 && fd != db->wit_fd)
		close(fd);
}

/* Parses the record in fd: 0 with *seq, hash; 1 when the file is empty
 * (seq 0); -1 when it is not a witness record. */
static int witness_parse(int fd, int64_t *seq, char hash[65])
{
	char b[WITNESS_LEN + 1];
	ssize_t n = pread(fd, b, WITNESS_LEN, 0);
	*seq = 0;
	memcpy(hash, ZERO_HASH, 65);
	if (n == 0)
		return 1;
	if (n != WITNESS_LEN)
		return -1;
	b[n] = '\0';
	long long s;
	char h[65];
	if (sscanf(b, "ballot-witness 1 %20lld %64[0-9a-f]", &s, h) != 2 || strlen(h) != 64 || s < 0)
		return -1;
	*seq = s;
	memcpy(hash, h, 65);
	return 0;
}

int witness_read(bt_db *db, int64_t *seq, char hash[65], bt_err *e)
{
	char name[4200];
	int fd = witness_fd(db, 0);
	*seq = 0;
	memcpy(hash, ZERO_HASH, 65);
	if (fd < 0) {
		if (errno == ENOENT)
			return BT_OK; /* nothing acknowledged recorded yet (or a database from before) */
		witness_name(db->path, name, sizeof name);
		return bt_failf(e, BT_R_IO, NULL,
				"cannot read the witness '%s': %s", name, strerror(errno));
	}
	flock(fd, LOCK_SH);
	int p = witness_parse(fd, seq, hash);
	flock(fd, LOCK_UN);
	witness_close_tmp(db, fd);
	if (p < 0) {
		witness_name(db->path, name, sizeof name);
		return bt_failf(e, BT_R_DAMAGED, NULL,
				"the witness '%s' is not a witness record", name);
	}
	return BT_OK;
}

/* Writes the record (seq, hash) into fd and syncs it. */
static int witness_put(int fd, int64_t seq, const char hash[65])
{
	char b[WITNESS_LEN + 1];
	int n = snprintf(b, sizeof b, "ballot-witness 1 %020" PRId64 " %s", seq, hash);
	memset(b + n, ' ', WITNESS_LEN - 1 - (size_t)n);
	b[WITNESS_LEN - 1] = '\n';
	if (pwrite(fd, b, WITNESS_LEN, 0) != WITNESS_LEN)
		return -1;
	return fdatasync(fd);
}

int witness_advance(bt_db *db, int64_t seq, const char hash[65], bt_err *e)
{
	char name[4200];
	int fd = witness_fd(db, 1);
	witness_name(db->path, name, sizeof name);
	if (fd < 0)
		return bt_failf(e, BT_R_IO, NULL,
				"committed, but the witness '%s' cannot be opened: %s; "
				"not acknowledged", name, strerror(errno));
	flock(fd, LOCK_EX);
	int64_t cur;
	char ch[65];
	int rc = BT_OK;
	if (witness_parse(fd, &cur, ch) < 0 || cur < seq) {
		if (witness_put(fd, seq, hash) != 0)
			rc = bt_failf(e, BT_R_IO, NULL,
				      "committed, but the witness '%s' cannot be written: %s; "
				      "not acknowledged", name, strerror(errno));
	}
	flock(fd, LOCK_UN);
	return rc;
}

int witness_reset(const char *db_path, int64_t seq, const char hash[65], bt_err *e)
{
	char name[4200];
	witness_name(db_path, name, sizeof name);
	int fd = open(name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return bt_failf(e, BT_R_IO, NULL,
				"cannot write the witness '%s': %s", name, strerror(errno));
	flock(fd, LOCK_EX);
	int rc = witness_put(fd, seq, hash) == 0 ? BT_OK
		 : bt_failf(e, BT_R_IO, NULL,
			    "cannot write the witness '%s': %s", name, strerror(errno));
	flock(fd, LOCK_UN);
	close(fd);
	return rc;
}

void witness_remove(const char *db_path)
{
	char name[4200];
	witness_name(db_path, name, sizeof name);
	unlink(name);
}

int witness_guard(bt_db *db, int64_t last, const char last_hash[65], bt_err *e)
{
	int64_t w;
	char wh[65], name[4200];
	if (witness_read(db, &w, wh, e))
		return BT_EFAIL;
	witness_name(db->path, name, sizeof name);
	if (w > last)
		return bt_failf(e, BT_R_DAMAGED, NULL,
				"events %" PRId64 "..%" PRId64 " were acknowledged but are missing "
				"from the database (witness '%s'); nothing written: restore from a backup "
				"({cmd:check})", last + 1, w, name);
	if (w == last && w > 0 && strcmp(wh, last_hash) != 0)
		return bt_failf(e, BT_R_DAMAGED, NULL,
				"event %" PRId64 " is not the one acknowledged (witness '%s' "
				"names another hash); nothing written: restore from a backup ({cmd:check})",
				w, name);
	return BT_OK;
}

