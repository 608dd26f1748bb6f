/* commit-window.c - a fault for 87-group-commit-kill.t, loaded into
 * `ballot serve` with LD_PRELOAD (the test compiles it): the power is lost
 * while the log holds a commit that was never synced.
 *
 * SQLite's COMMIT in WAL mode writes the transaction's frames to the -wal
 * file (pwrite64: each frame a 24-byte header, whose second word is nonzero
 * in the commit's last frame, then the page), syncs it (fdatasync,
 * synchronous=FULL), and only then makes the transaction visible. Here every
 * sync of a -wal file first waits COMMIT_WINDOW_MS milliseconds (the
 * window, widened: whoever answers before the COMMIT returns has that long
 * to do it). Once the file COMMIT_WINDOW_ARM exists the power is cut
 * (below) at whichever comes first:
 * - the COMMIT_WINDOW_LOSE_AT-th sync of the log since, in its window: the
 *   COMMIT being synced is lost (what a server that syncs every COMMIT
 *   before answering meets);
 * - from the COMMIT_WINDOW_LOSE_AT-th commit since on, a commit's last frame
 *   written while the log holds an earlier commit not synced since (a
 *   COMMIT that returned without syncing: synchronous=NORMAL or OFF): the
 *   window's wait first, so that its answers go out, then the cut, which
 *   loses every commit since the last sync. (A COMMIT that syncs writes its
 *   last frame once: SQLite pads the log with copies of it only on a file
 *   system without powersafe overwrite, which its Unix build assumes.)
 * The cut: every write to the log since its last sync is overwritten with
 * zeros (never on the disk, as after a power cut; zeros, not a truncation,
 * because a log restarted after a checkpoint is rewritten from its start:
 * SQLite's recovery drops the frames, their checksums fail), the file
 * COMMIT_WINDOW_MARK says where it happened, and the process dies by
 * SIGKILL. SIGUSR1 cuts the power the same way at once. A reply
 * acknowledged before its COMMIT returned, or by a COMMIT that does not
 * sync, is then lost; one acknowledged after its sync is on the disk.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RANGES 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int fd;
	off_t off;
	size_t n;
} ranges[RANGES]; /* written to a -wal file since its last sync */
static size_t nranges;
static long syncs;   /* since armed */
static long commits; /* commit frames written since armed */
static int unsynced_commit; /* a commit frame written since the last sync */

/* 1 when fd is open on a file whose name ends in -wal. */
static int is_wal(int fd)
{
	char link[64], path[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	return n > 4 && memcmp(path + n - 4, "-wal", 4) == 0;
}

static long env_long(const char *name)
{
	const char *v = getenv(name);
	return v ? atol(v) : 0;
}

static void power_cut(const char *where);
static int armed(void);
static void window_wait(void);

/* A frame header (24 bytes, after the log's 32-byte header) whose second
 * word, the database's size after the commit, is not zero. */
static int is_commit_frame(const void *buf, size_t n, off_t off)
{
	const unsigned char *b = buf;
	return n == 24 && off >= 32 && (b[4] | b[5] | b[6] | b[7]);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	if (!real)
		real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	if (is_wal(fd)) {
		int commit = is_commit_frame(buf, n, off), cut = 0;
		if (commit && armed()) {
			pthread_mutex_lock(&lock);
			cut = ++commits >= env_long("COMMIT_WINDOW_LOSE_AT") && unsynced_commit;
			pthread_mutex_unlock(&lock);
		}
		if (cut)
			window_wait(); /* the answers of the commits before go out */
		pthread_mutex_lock(&lock);
		if (cut)
			power_cut("at a commit, an earlier one never synced");
		if (nranges == RANGES)
			abort(); /* more than a test writes between two syncs */
		ranges[nranges].fd = fd;
		ranges[nranges].off = off;
		ranges[nranges].n = n;
		nranges++;
		unsynced_commit |= commit;
		pthread_mutex_unlock(&lock);
	}
	return real(fd, buf, n, off);
}

/* The power cut: the frames written to the log since its last sync never
 * reach the disk (zeros where they were), the mark says where it happened,
 * and the process dies. Only async-signal-safe calls (the signal's cut). */
static void power_cut(const char *where)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	static char zero[65536];
	for (size_t i = 0; i < nranges; i++)
		for (size_t done = 0; done < ranges[i].n;) {
			size_t k = ranges[i].n - done < sizeof zero ? ranges[i].n - done : sizeof zero;
			if (real(ranges[i].fd, zero, k, ranges[i].off + (off_t)done) != (ssize_t)k)
				abort();
			done += k;
		}
	const char *mark = getenv("COMMIT_WINDOW_MARK");
	int m = mark ? open(mark, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
	if (m >= 0) {
		dprintf(m, "%zu writes lost %s\n", nranges, where);
		close(m);
	}
	raise(SIGKILL);
}

/* SIGUSR1: the power cut now, wherever the server is (a COMMIT that
 * returned before its sync loses what it acknowledged). */
static void on_usr1(int sig)
{
	(void)sig;
	power_cut("on the signal");
}

__attribute__((constructor)) static void commit_window_init(void)
{
	if (getenv("COMMIT_WINDOW_MARK"))
		signal(SIGUSR1, on_usr1);
}

static int armed(void)
{
	const char *arm = getenv("COMMIT_WINDOW_ARM");
	return !arm || access(arm, F_OK) == 0;
}

static void window_wait(void)
{
	long ms = env_long("COMMIT_WINDOW_MS");
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* The window of a -wal file's sync: the wait, then the power cut or the
 * sync goes on; nothing for another file's. */
static void window(int fd)
{
	if (!is_wal(fd))
		return;
	window_wait();
	int on = armed();
	pthread_mutex_lock(&lock);
	if (on && ++syncs == env_long("COMMIT_WINDOW_LOSE_AT"))
		power_cut("at a sync of the log");
	/* what was written so far is synced now (a sync of one -wal file
	 * syncs what was written to it; the test's server has one) */
	nranges = 0;
	unsynced_commit = 0;
	pthread_mutex_unlock(&lock);
}

int fdatasync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	window(fd);
	return real(fd);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	window(fd);
	return real(fd);
}
