/* consultation.h - a Member State consultation (one circular) and its drafts. */
#ifndef BALLOT_CONSULTATION_H
#define BALLOT_CONSULTATION_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/db.h"
#include "ballot/member.h"

#define BT_ID_MAX 32 /* longest circular ID or Recommendation number */

typedef struct bt_consultation_spec {
	const char *circular;     /* 1-32 of [A-Za-z0-9./_-] */
	int group;                /* study group number, 1-99 */
	bt_date date;             /* the circular's date */
	bt_date meeting_start, meeting_end;
	int has_deadline;         /* 0: the default deadline */
	bt_time deadline;
	const char *rule;         /* "tap" (NULL), "question", "deletion" */
	const char *electorate;   /* NULL: all members at date; else the text of
				     an electorate file: one code per line */
	size_t electorate_len;
} bt_consultation_spec;

typedef struct bt_consultation {
	int64_t id;
	char circular[BT_ID_MAX + 1];
	int group;
	char rule[16];
	bt_date date, meeting_start, meeting_end;
	bt_time deadline;
	int closed;          /* 1 once bt_consultation_close ran */
	bt_time closed_at;
	int electorate;      /* number of members in the electorate */
	int custom_electorate; /* 1 when given by a file */
	int drafts;          /* number of drafts */
} bt_consultation;

/* The default deadline: 23:59:00 UTC of the working day (Mon-Fri) that leaves
 * exactly seven working days before meeting_start. */
bt_time bt_default_deadline(bt_date meeting_start);

/* Working days (Mon-Fri) strictly between the date of deadline and
 * meeting_start. */
int bt_working_days_left(bt_time deadline, bt_date meeting_start);

/* Registers a consultation. Refuses (BT_EINPUT) a duplicate circular, a bad
 * ID, group or rule, meeting dates out of order, a deadline not between the
 * circular's date and the meeting, unknown codes in the electorate. When an
 * explicit deadline leaves fewer than seven working days it is accepted and
 * warning (warnlen bytes) says so; otherwise warning is "". */
int bt_consultation_create(bt_db *db, const bt_consultation_spec *spec,
			   const char *actor, bt_time now,
			   bt_consultation *out, char *warning, size_t warnlen,
			   bt_err *e);

/* Looks a consultation up by circular ID; BT_EINPUT when unknown. */
int bt_consultation_get(bt_db *db, const char *circular,
			bt_consultation *out, bt_err *e);

typedef struct bt_consultation_list {
	bt_consultation *v;
	size_t n;
} bt_consultation_list;

/* Lists every consultation (of study group `group`, or all when 0), by
 * deadline and circular. */
int bt_consultations_list(bt_db *db, int group, bt_consultation_list *out, bt_err *e);
void bt_consultation_list_free(bt_consultation_list *l);

/* Lists the consultation's electorate, by code. */
/* Sets *in to 1 when member (alpha-3 or alpha-2) is in the electorate of
 * circular, else 0. BT_EINPUT for an unknown circular or member. One indexed
 * look-up (no list). */
int bt_electorate_has(bt_db *db, const char *circular, const char *member,
		      int *in, bt_err *e);

int bt_electorate_list(bt_db *db, const char *circular, bt_member_list *out,
		       bt_err *e);

struct bt_tally;

/* Closes the consultation after its deadline (now > deadline): freezes each
 * draft's outcome, moving it to ready-for-approval or not-ready. Before the
 * deadline, or when already closed, BT_EINPUT saying so (with the deadline).
 * frozen (may be NULL) receives the tally the outcomes were frozen from
 * (bt_tally_free it). */
int bt_consultation_close(bt_db *db, const char *circular, const char *actor,
			  bt_time now, struct bt_tally *frozen, bt_err *e);

#endif
