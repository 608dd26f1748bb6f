/* bench.c - `make bench`: figures for the engine, printed, never asserted.
 *   1. recording 10 000 replies, each its own durable transaction;
 *   2. tallying one consultation in a database of 1 000 consultations x
 *      193 members x 3 drafts (579 000 replies). Goal: under 5 ms.
 * The large database is kept in output/bench/ and reused when present. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "ballot/ballot.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const bt_err *e)
{
	fprintf(stderr, "bench: %s\n", e->msg);
	exit(1);
}

static bt_time T(const char *s)
{
	bt_time t;
	bt_err e;
	if (bt_time_parse(s, "t", &t, &e))
		die(&e);
	return t;
}

static bt_db *fresh(const char *path)
{
	bt_err e;
	bt_buf tsv = BT_BUF_INIT;
	int created;
	bt_db *db;
	char side[300];
	remove(path);
	snprintf(side, sizeof side, "%s-wal", path);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", path);
	remove(side);
	if (bt_file_read("forms/member-states.tsv", "members", 1 << 20, &tsv, &e) ||
	    bt_db_init(path, tsv.data, tsv.len, "forms/member-states.tsv", "bench", T("2019-01-01T00:00Z"), &created, &e) ||
	    bt_db_open(path, 0, &db, &e))
		die(&e);
	bt_buf_release(&tsv);
	return db;
}

static void consultation(bt_db *db, const char *circular, int drafts)
{
	bt_err e;
	bt_consultation_spec s = { 0 };
	s.circular = circular;
	s.group = 11;
	bt_date_parse("2019-12-02", "d", &s.date, &e);
	bt_date_parse("2020-03-04", "d", &s.meeting_start, &e);
	bt_date_parse("2020-03-13", "d", &s.meeting_end, &e);
	char w[256];
	if (bt_consultation_create(db, &s, "bench", T("2019-12-02T00:00Z"), NULL, w, sizeof w, &e))
		die(&e);
	for (int i = 0; i < drafts; i++) {
		char rec[16];
		snprintf(rec, sizeof rec, "Q.%d", 5051 + i);
		bt_draft_spec d = { .circular = circular, .rec = rec, .title = "Benchmark draft",
				   .summary = "A draft to measure with." };
		if (bt_draft_add(db, &d, "bench", T("2019-12-02T00:00Z"), NULL, &e))
			die(&e);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	bt_err e;
	mkdir("output", 0755);
	mkdir("output/bench", 0755);
	bt_member_list members;

	/* 1. 10 000 replies, one durable transaction each. */
	bt_db *db = fresh("output/bench/record.db");
	if (bt_members_list(db, 0, &members, &e))
		die(&e);
	const int N = 10000;
	int made = 0;
	double t0 = now_s();
	for (int c = 0; made < N; c++) {
		char circ[16];
		snprintf(circ, sizeof circ, "R%d", c);
		consultation(db, circ, 3);
		for (size_t m = 0; m < members.n && made < N; m++)
			for (int d = 0; d < 3 && made < N; d++, made++) {
				char rec[16];
				snprintf(rec, sizeof rec, "Q.%d", 5051 + d);
				bt_reply_spec s = { .circular = circ, .member = members.v[m].code, .rec = rec,
						    .choice = (m % 4) ? BT_AUTHORIZE : BT_NOT_AUTHORIZE,
						    .channel = "email" };
				if (bt_reply_record(db, &s, "bench", T("2020-02-01T00:00Z"), NULL, &e))
					die(&e);
			}
	}
	double dt = now_s() - t0;
	printf("record: %d replies in %.2f s: %.0f replies/s, %.3f ms each (WAL, synchronous=FULL, one transaction each)\n",
	       N, dt, N / dt, dt * 1000 / N);
	bt_db_close(db);

	/* 2. Tally in a database of 1 000 consultations x 193 x 3. */
	const char *big = "output/bench/tally.db";
	struct stat sb;
	int reuse = stat(big, &sb) == 0 && getenv("BENCH_REBUILD") == NULL;
	if (!reuse) {
		db = fresh(big);
		t0 = now_s();
		FILE *f = fopen("output/bench/replies.tsv", "w");
		if (!f)
			return 1;
		fprintf(f, "member\tdraft\tchoice\treceived\tchannel\tattachment\n");
		size_t n193 = 0;
		for (size_t m = 0; m < members.n; m++) {
			if (strcmp(members.v[m].code, "PLW") == 0)
				continue;
			n193++;
			for (int d = 0; d < 3; d++)
				fprintf(f, "%s\tQ.%d\t%s\t2020-02-%02zuT10:00:00Z\temail\t\n", members.v[m].code,
					5051 + d, (m + (size_t)d) % 5 ? "authorize" : "not-authorize", 1 + m % 20);
		}
		fclose(f);
		for (int c = 0; c < 1000; c++) {
			char circ[16];
			bt_import_stats count;
			snprintf(circ, sizeof circ, "C%04d", c);
			consultation(db, circ, 3);
			if (bt_reply_import(db, circ, "output/bench/replies.tsv", "bench", T("2020-02-21T00:00Z"), 0,
					    &count, &e))
				die(&e);
			if (c % 100 == 99)
				fprintf(stderr, "bench: built %d consultations (%.0f s)\n", c + 1, now_s() - t0);
		}
		printf("build: 1000 consultations x %zu members x 3 drafts imported in %.1f s\n", n193, now_s() - t0);
		bt_db_close(db);
	}
	bt_member_list_free(&members);
	if (bt_db_open(big, 0, &db, &e))
		die(&e);
	enum { RUNS = 200 };
	double ms[RUNS];
	bt_tally t;
	for (int i = 0; i < RUNS; i++) {
		t0 = now_s();
		if (bt_tally_compute(db, "C0500", T("2020-02-25T00:00Z"), &t, &e))
			die(&e);
		ms[i] = (now_s() - t0) * 1000;
		if (i == 0)
			printf("tally: C0500 has %d replies on %s (%s); electorate %d\n", t.drafts[0].replies,
			       t.drafts[0].rec, t.drafts[0].outcome, t.electorate);
		bt_tally_free(&t);
	}
	qsort(ms, RUNS, sizeof ms[0], cmp_double);
	printf("tally: one consultation of 1000 (579 000 replies in the database): median %.3f ms, p99 %.3f ms, max %.3f ms over %d runs (goal < 5 ms)\n",
	       ms[RUNS / 2], ms[RUNS * 99 / 100], ms[RUNS - 1], RUNS);
	bt_db_close(db);
	return 0;
}
