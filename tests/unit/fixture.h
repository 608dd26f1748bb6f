/* fixture.h - a fresh database per test, with the shipped Member State list.
 * Unit tests run from the repository root (make check does). */
#ifndef BALLOT_TEST_FIXTURE_H
#define BALLOT_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "ballot/ballot.h"

typedef struct fx {
	char dir[64];
	char path[128];
	bt_db *db;
	bt_err e;
} fx;

static inline bt_time T(const char *s)
{
	bt_time t;
	bt_err e;
	if (bt_time_parse(s, "test", &t, &e))
		fail_msg("bad test time %s: %s", s, e.msg);
	return t;
}

static inline bt_date D(const char *s)
{
	bt_date d;
	bt_err e;
	if (bt_date_parse(s, "test", &d, &e))
		fail_msg("bad test date %s: %s", s, e.msg);
	return d;
}

static inline int fx_setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/ballot-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	bt_buf tsv = BT_BUF_INIT;
	int created;
	if (bt_file_read("forms/member-states.tsv", "members", 1 << 20, &tsv, &f->e) ||
	    bt_db_init(f->path, tsv.data, tsv.len, "forms/member-states.tsv", "test", T("2019-12-01T00:00:00Z"), &created, &f->e) ||
	    bt_db_open(f->path, 0, &f->db, &f->e)) {
		fprintf(stderr, "fixture: %s\n", f->e.msg);
		return -1;
	}
	bt_buf_release(&tsv);
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	fx *f = *state;
	char cmd[160];
	bt_db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Circular 205: SG11, meeting 2020-03-04..13, default deadline, one draft. */
static inline void fx_circular(fx *f, const char *circular, const char *rule,
			       const char *electorate)
{
	bt_consultation_spec s = { 0 };
	s.circular = circular;
	s.group = 11;
	s.date = D("2019-12-02");
	s.meeting_start = D("2020-03-04");
	s.meeting_end = D("2020-03-13");
	s.rule = rule;
	s.electorate = electorate;
	s.electorate_len = electorate ? strlen(electorate) : 0;
	char warn[256];
	assert_int_equal(bt_consultation_create(f->db, &s, "test", T("2019-12-02T09:00:00Z"), NULL,
						warn, sizeof warn, &f->e), BT_OK);
	bt_draft_spec d = { 0 };
	d.circular = circular;
	d.rec = "Q.5051";
	d.former = "Q.FW_CSM";
	d.title = "Framework for combating the use of stolen mobile devices";
	d.summary = "A framework against the theft of mobile devices.";
	assert_int_equal(bt_draft_add(f->db, &d, "test", T("2019-12-02T09:00:00Z"), NULL, &f->e), BT_OK);
}

/* Records a reply when it is received (as the secretariat would: a tally as
 * of a time sees only what was recorded by then), or on 2020-03-01 without
 * a received time; returns the engine status. */
static inline int fx_reply(fx *f, const char *circular, const char *member, bt_choice c,
			   const char *received, int with_attachment)
{
	bt_reply_spec s = { 0 };
	bt_attachment_in a = { "comments.txt", "some text", 9 };
	s.circular = circular;
	s.member = member;
	s.choice = c;
	s.has_received = received != NULL;
	if (received)
		s.received = T(received);
	s.channel = "email";
	if (with_attachment) {
		s.attachments = &a;
		s.n_attachments = 1;
	}
	bt_reply_result r;
	return bt_reply_record(f->db, &s, "test", T(received ? received : "2020-03-01T00:00:00Z"), &r, &f->e);
}

#endif
