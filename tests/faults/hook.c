/* hook.c - fault injection for the `ballot` fault binary (build-faults/ballot).
 *
 * Linked with the ASan + UBSan objects of the command (build-asan/) and
 * -Wl,--wrap=malloc,--wrap=calloc,... (GNUmakefile), so every allocation made
 * by ballot's own code (engine, CLI, PDF, portal; not the shared libraries')
 * passes through the __wrap_ functions below. SQLite's own allocations pass
 * through its allocator, replaced here by sqlite3_config(SQLITE_CONFIG_MALLOC)
 * with one that wraps the default; SQLite's file I/O passes through a shim VFS
 * over the default (unix) VFS, registered as the default. Nothing is injected
 * unless the environment asks for it (the binary then behaves as build-asan/):
 *
 *   BALLOT_FAULT_ALLOC=N         the Nth allocation by ballot's code fails
 *                                (malloc, calloc, realloc, strdup, strndup,
 *                                realpath(..., NULL)): NULL, errno ENOMEM
 *   BALLOT_FAULT_SQLITE_ALLOC=N  the Nth allocation by SQLite fails
 *                                (xMalloc or xRealloc returns NULL)
 *   BALLOT_FAULT_IO=KIND:N       the Nth xRead, xWrite or xSync (KIND read,
 *                                write, sync) on any SQLite file fails with
 *                                SQLITE_IOERR_READ, _WRITE or _FSYNC
 *   BALLOT_FAULT_LOG=FILE        at exit, append one line to FILE:
 *                                "alloc A sqlite-alloc S read R write W sync Y
 *                                injected I" (the counts of the run; I is 1
 *                                when the fault named above was injected)
 *
 * Each fault is injected once (the Nth operation fails, the next succeed), as
 * SQLite's own tests do in their "transient" mode. Counting is per process;
 * the CLI's write commands do not fork.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
char *__real_realpath(const char *path, char *resolved);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
char *__wrap_realpath(const char *path, char *resolved);

enum { IO_READ, IO_WRITE, IO_SYNC, IO_KINDS };
static const char *const io_names[IO_KINDS] = { "read", "write", "sync" };

static long alloc_at, alloc_count;        /* BALLOT_FAULT_ALLOC */
static long sqlalloc_at, sqlalloc_count;  /* BALLOT_FAULT_SQLITE_ALLOC */
static int io_kind = -1;                  /* BALLOT_FAULT_IO */
static long io_at, io_count[IO_KINDS];
static int injected;
static const char *log_path;

static long env_long(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 1) {
		fprintf(stderr, "fault hook: bad %s=%s\n", name, v);
		_exit(99);
	}
	return n;
}

/* 1 when this allocation by ballot's code is the one to fail. */
static int alloc_fails(void)
{
	if (++alloc_count == alloc_at) {
		injected = 1;
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *__wrap_malloc(size_t n)
{
	return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return alloc_fails() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return alloc_fails() ? NULL : __real_strndup(s, n);
}

char *__wrap_realpath(const char *path, char *resolved)
{
	if (!resolved && alloc_fails())
		return NULL;
	return __real_realpath(path, resolved);
}

/* --- SQLite's allocator ---------------------------------------------------- */

static sqlite3_mem_methods sql_orig, sql_mine;

static int sqlalloc_fails(void)
{
	if (++sqlalloc_count == sqlalloc_at) {
		injected = 1;
		return 1;
	}
	return 0;
}

static void *sql_malloc(int n)
{
	return sqlalloc_fails() ? NULL : sql_orig.xMalloc(n);
}

static void *sql_realloc(void *p, int n)
{
	return sqlalloc_fails() ? NULL : sql_orig.xRealloc(p, n);
}

/* --- the I/O shim VFS ------------------------------------------------------ */

typedef struct shim_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
} shim_file;

static sqlite3_vfs shim_vfs, *real_vfs;
static sqlite3_io_methods shim_io[3]; /* by the real file's iVersion 1..3 */

#define REAL(f) (((shim_file *)(f))->real)

static int io_fails(int kind)
{
	if (++io_count[kind] == io_at && io_kind == kind) {
		injected = 1;
		return 1;
	}
	return 0;
}

static int shim_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods->xClose(REAL(f));
	f->pMethods = NULL;
	return rc;
}
static int shim_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (io_fails(IO_READ))
		return SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int shim_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (io_fails(IO_WRITE))
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int shim_sync(sqlite3_file *f, int flags)
{
	if (io_fails(IO_SYNC))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int shim_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}
static int shim_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}
static int shim_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int shim_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int shim_device_characteristics(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int shim_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void shim_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}
static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	shim_file *s = (shim_file *)f;
	int rc, v;

	(void)vfs;
	s->real = (sqlite3_file *)(s + 1);
	s->real->pMethods = NULL;
	rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
	if (!s->real->pMethods) {
		f->pMethods = NULL;
		return rc;
	}
	v = s->real->pMethods->iVersion;
	f->pMethods = &shim_io[(v < 1 ? 1 : v > 3 ? 3 : v) - 1];
	return rc;
}

static void shim_setup(void)
{
	for (int v = 1; v <= 3; v++) {
		sqlite3_io_methods *m = &shim_io[v - 1];
		m->iVersion = v;
		m->xClose = shim_close;
		m->xRead = shim_read;
		m->xWrite = shim_write;
		m->xTruncate = shim_truncate;
		m->xSync = shim_sync;
		m->xFileSize = shim_file_size;
		m->xLock = shim_lock;
		m->xUnlock = shim_unlock;
		m->xCheckReservedLock = shim_check_reserved;
		m->xFileControl = shim_file_control;
		m->xSectorSize = shim_sector_size;
		m->xDeviceCharacteristics = shim_device_characteristics;
		if (v >= 2) {
			m->xShmMap = shim_shm_map;
			m->xShmLock = shim_shm_lock;
			m->xShmBarrier = shim_shm_barrier;
			m->xShmUnmap = shim_shm_unmap;
		}
		if (v >= 3) {
			m->xFetch = shim_fetch;
			m->xUnfetch = shim_unfetch;
		}
	}
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs) {
		fprintf(stderr, "fault hook: no default SQLite VFS\n");
		_exit(99);
	}
	/* Everything but opening goes straight to the default VFS, which only
	 * reads its own fields (pAppData, mxPathname) from the copy. */
	shim_vfs = *real_vfs;
	shim_vfs.zName = "ballot-faults";
	shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
	shim_vfs.xOpen = shim_open;
	shim_vfs.pNext = NULL;
	if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK) {
		fprintf(stderr, "fault hook: cannot register the VFS\n");
		_exit(99);
	}
}

/* --- set-up and the log ------------------------------------------------- */

static void write_log(void)
{
	char line[256];
	int fd, n;

	if (!log_path)
		return;
	n = snprintf(line, sizeof line, "alloc %ld sqlite-alloc %ld read %ld write %ld sync %ld injected %d\n",
		     alloc_count, sqlalloc_count, io_count[IO_READ], io_count[IO_WRITE],
		     io_count[IO_SYNC], injected);
	fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) != n)
			n = -1;
		close(fd);
	}
}

__attribute__((constructor)) static void fault_hook_init(void)
{
	const char *io = getenv("BALLOT_FAULT_IO");

	log_path = getenv("BALLOT_FAULT_LOG");
	if (log_path && !*log_path)
		log_path = NULL;
	if (io && *io) {
		const char *colon = strchr(io, ':');
		char *end;
		for (int k = 0; k < IO_KINDS && colon; k++)
			if ((size_t)(colon - io) == strlen(io_names[k]) &&
			    !strncmp(io, io_names[k], (size_t)(colon - io)))
				io_kind = k;
		if (io_kind >= 0) {
			errno = 0;
			io_at = strtol(colon + 1, &end, 10);
		}
		if (io_kind < 0 || errno || *end || io_at < 1) {
			fprintf(stderr, "fault hook: bad BALLOT_FAULT_IO=%s (read|write|sync:N)\n", io);
			_exit(99);
		}
	}
	if (log_path || getenv("BALLOT_FAULT_SQLITE_ALLOC")) {
		/* before anything initializes SQLite */
		if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sql_orig) != SQLITE_OK) {
			fprintf(stderr, "fault hook: SQLite is already initialized\n");
			_exit(99);
		}
		sql_mine = sql_orig;
		sql_mine.xMalloc = sql_malloc;
		sql_mine.xRealloc = sql_realloc;
		sqlite3_config(SQLITE_CONFIG_MALLOC, &sql_mine);
	}
	if (log_path || io_kind >= 0)
		shim_setup();
	if (log_path)
		atexit(write_log);
	/* last: the counts start at main (SQLite's initialization by the VFS
	 * set-up above allocates, and may not fail here) */
	sqlalloc_at = env_long("BALLOT_FAULT_SQLITE_ALLOC");
	sqlalloc_count = 0;
	alloc_at = env_long("BALLOT_FAULT_ALLOC");
	alloc_count = 0;
}
