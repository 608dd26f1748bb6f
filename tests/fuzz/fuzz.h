/* fuzz.h - what the libFuzzer harnesses share: a scratch directory, files
 * written from fuzz input, and a ballot database reset to a pristine copy.
 *
 * Each harness defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize). It is linked either with -fsanitize=fuzzer
 * (make fuzz) or with tests/fuzz/replay.c (make check), which feeds it every
 * file of the seed corpus. Harnesses run from the repository root: they read
 * forms/member-states.tsv and the templates in forms/.
 */
#ifndef BALLOT_FUZZ_H
#define BALLOT_FUZZ_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ballot/ballot.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the process: set-up failures are harness bugs, not findings. */
static inline void fuzz_die(const char *what, const char *msg)
{
	fprintf(stderr, "fuzz set-up: %s: %s\n", what, msg);
	abort();
}

/* A private scratch directory (on /dev/shm when there is one: fsync is
 * cheap there), removed at exit. */
static char fuzz_dir_path[128];

static inline void fuzz_dir_cleanup(void)
{
	char cmd[200];
	if (fuzz_dir_path[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir_path);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: could not remove %s\n", fuzz_dir_path);
	}
}

static inline const char *fuzz_dir(void)
{
	if (!fuzz_dir_path[0]) {
		struct stat st;
		const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
		snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/ballot-fuzz-XXXXXX", base);
		if (!mkdtemp(fuzz_dir_path))
			fuzz_die("mkdtemp", fuzz_dir_path);
		atexit(fuzz_dir_cleanup);
	}
	return fuzz_dir_path;
}

/* Writes data to dir/name (replacing it); the path goes to out. */
static inline void fuzz_write(const char *name, const void *data, size_t size, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(out, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		fuzz_die("writing", out);
}

/* With FUZZ_VERBOSE set (replay), says what an input got: shows that the
 * seeds reach both the accepting and the refusing paths. */
static inline void fuzz_note(const char *what, int rc, const bt_err *e)
{
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "  %s: %s\n", what, rc == BT_OK ? "accepted" : e->msg);
}

/* NUL-terminated copy of the input (free it). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* ---- a database that every input sees in the same state ---- */

typedef struct fuzz_db {
	char path[160];
	char *pristine; /* the file's bytes after set-up */
	size_t len;
	bt_db *db;
} fuzz_db;

/* 2019-12-02T09:00:00Z: the clock of every harness. */
#define FUZZ_NOW ((bt_time)1575277200)

/* Creates the database (the shipped Member States) under the scratch
 * directory; setup (may be NULL) then adds what the harness needs. The
 * resulting file is kept in memory so fuzz_db_reset can restore it. */
static inline void fuzz_db_make(fuzz_db *f, void (*setup)(bt_db *db))
{
	bt_err e;
	bt_buf tsv = BT_BUF_INIT;
	int created;
	snprintf(f->path, sizeof f->path, "%s/fuzz.db", fuzz_dir());
	if (bt_file_read("forms/member-states.tsv", "members", 1 << 20, &tsv, &e) ||
	    bt_db_init(f->path, tsv.data, tsv.len, "forms/member-states.tsv", "fuzz", FUZZ_NOW, &created, &e))
		fuzz_die("init", e.msg);
	bt_buf_release(&tsv);
	if (setup) {
		if (bt_db_open(f->path, 0, &f->db, &e))
			fuzz_die("open", e.msg);
		setup(f->db);
		bt_db_close(f->db); /* the last connection: the WAL goes into the file */
	}
	bt_buf img = BT_BUF_INIT;
	if (bt_file_read(f->path, "db", 64 << 20, &img, &e))
		fuzz_die("reading the database", e.msg);
	f->pristine = img.data;
	f->len = img.len;
	if (bt_db_open(f->path, 0, &f->db, &e))
		fuzz_die("open", e.msg);
}

/* Puts the database back as fuzz_db_make left it (after an input that
 * changed it), so every input meets the same state and a finding replays. */
static inline void fuzz_db_reset(fuzz_db *f)
{
	char side[200];
	bt_err e;
	bt_db_close(f->db);
	f->db = NULL;
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
	/* the witness of the last acknowledged event and a damage mark belong
	 * to the file's history, which starts again here: without them the
	 * restored file would be an older copy whose acknowledged events are
	 * missing (and writers rightly refuse) */
	snprintf(side, sizeof side, "%s.witness", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-damaged", f->path);
	unlink(side);
	FILE *out = fopen(f->path, "wb");
	if (!out || fwrite(f->pristine, 1, f->len, out) != f->len || fclose(out) != 0)
		fuzz_die("restoring", f->path);
	if (bt_db_open(f->path, 0, &f->db, &e))
		fuzz_die("reopen", e.msg);
}

/* Defines LLVMFuzzerInitialize: the database fdb made once per process. */
#define FUZZ_DB_INITIALIZE(fdb, setup)                                       \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                    \
	{                                                                    \
		(void)argc;                                                  \
		(void)argv;                                                  \
		fuzz_db_make(&(fdb), (setup));                               \
		return 0;                                                    \
	}

/* Circular 205 as the demo has it: SG11, dated 2019-12-02, meeting
 * 2020-03-04..13 (deadline 2020-02-21T23:59:00Z), every Member State. */
static inline bt_consultation_spec fuzz_spec_205(void)
{
	bt_consultation_spec s = { 0 };
	s.circular = "205";
	s.group = 11;
	s.date = bt_date_from_ymd(2019, 12, 2);
	s.meeting_start = bt_date_from_ymd(2020, 3, 4);
	s.meeting_end = bt_date_from_ymd(2020, 3, 13);
	return s;
}

/* A fuzz_db_make set-up: Circular 205 with its one draft, Q.5051. */
static inline void fuzz_setup_205(bt_db *db)
{
	bt_err e;
	bt_consultation_spec s = fuzz_spec_205();
	char warn[256];
	if (bt_consultation_create(db, &s, "fuzz", FUZZ_NOW, NULL, warn, sizeof warn, &e))
		fuzz_die("consultation", e.msg);
	bt_draft_spec d = { 0 };
	d.circular = "205";
	d.rec = "Q.5051";
	d.title = "Framework for combating the use of stolen mobile devices";
	d.summary = "A framework against the theft of mobile devices.";
	if (bt_draft_add(db, &d, "fuzz", FUZZ_NOW, NULL, &e))
		fuzz_die("draft", e.msg);
}

#endif
