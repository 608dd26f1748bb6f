/* rowcheck.c - figures for a member's pages and the per-request row check
 * on a large consultation (tests/bench/rowcheck.sh seeds it), printed in CPU
 * time per call (the machine is shared: wall time would measure the others),
 * never asserted:
 *   1. what a member's home page reads of a consultation for a member with
 *      hundreds of replies: its whole history (bt_history_get) against the
 *      reply in force per draft (bt_history_in_force);
 *   2. the row check a read makes on a long-lived connection (the portal's):
 *      the first tally (the whole check), a tally with nothing changed, and a
 *      tally and a status list after each new reply (since issue 15: only
 *      the rows added since are checked; before, all of them again).
 * Usage: bench_rowcheck DB CIRCULAR MEMBER */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ballot/ballot.h"

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const bt_err *e)
{
	fprintf(stderr, "bench_rowcheck: %s\n", e->msg);
	exit(1);
}

static void tally(bt_db *db, const char *circular)
{
	bt_err e;
	bt_tally t;
	if (bt_tally_compute(db, circular, (bt_time)time(NULL), &t, &e))
		die(&e);
	bt_tally_free(&t);
}

static void status(bt_db *db)
{
	bt_err e;
	bt_status_list l;
	if (bt_status_list_get(db, 0, (bt_time)time(NULL), &l, &e))
		die(&e);
	bt_status_list_free(&l);
}

static void reply(bt_db *db, const char *circular, const char *member, int i)
{
	bt_err e;
	bt_time now = (bt_time)time(NULL);
	bt_reply_spec s = { .circular = circular, .member = member, .choice = i % 2 ? BT_AUTHORIZE : BT_WITHDRAW,
			    .has_received = 1, .received = now, .channel = "email" };
	if (bt_reply_record(db, &s, "bench:secretariat", now, NULL, &e))
		die(&e);
}

static void pages(bt_db *db, const char *circular, const char *member)
{
	bt_err e;
	enum { K = 20 };
	size_t n = 0, m = 0;
	double t0 = cpu_ms();
	for (int i = 0; i < K; i++) {
		bt_history h;
		if (bt_history_get(db, circular, member, &h, &e))
			die(&e);
		n = h.n;
		bt_history_free(&h);
	}
	double t1 = cpu_ms();
#ifndef BENCH_BEFORE_IN_FORCE
	for (int i = 0; i < K; i++) {
		bt_history h;
		if (bt_history_in_force(db, circular, member, &h, &e))
			die(&e);
		m = h.n;
		bt_history_free(&h);
	}
#endif
	double t2 = cpu_ms();
#ifdef BENCH_BEFORE_IN_FORCE /* built on an engine without it, for a figure before */
	t2 = t1;
#endif
	printf("rowcheck: %s's whole history (%zu items): %.3f ms CPU a call; its reply in force per draft"
	       " (%zu): %.3f ms CPU a call\n", member, n, (t1 - t0) / K, m, (t2 - t1) / K);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_rowcheck DB CIRCULAR MEMBER\n");
		return 2;
	}
	const char *circular = argv[2], *member = argv[3];
	bt_err e;
	bt_db *db;
	if (bt_db_open(argv[1], 0, &db, &e))
		die(&e);
	double t0 = cpu_ms();
	tally(db, circular);
	double t1 = cpu_ms();
	tally(db, circular);
	double t2 = cpu_ms();
	status(db);
	double t3 = cpu_ms();
	printf("rowcheck: first tally (the whole row check) %.1f ms CPU; again, nothing changed %.3f ms;"
	       " first status list %.1f ms\n", t1 - t0, t2 - t1, t3 - t2);
	pages(db, circular, member);
	enum { W = 10 };
	double tt = 0, ts = 0, tw = 0;
	for (int i = 0; i < W; i++) {
		double a = cpu_ms();
		reply(db, circular, member, i);
		double b = cpu_ms();
		tally(db, circular);
		double c = cpu_ms();
		status(db);
		double d = cpu_ms();
		tw += b - a;
		tt += c - b;
		ts += d - c;
	}
	printf("rowcheck: after each of %d new replies: the reply %.2f ms CPU, then a tally %.3f ms,"
	       " a status list %.3f ms (CPU a call)\n", W, tw / W, tt / W, ts / W);
	bt_db_close(db);
	return 0;
}
