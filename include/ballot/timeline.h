/* timeline.h - the dates of a consultation in the order WTSA Res. 1 §9.3-§9.5
 * sets them, and the checks of §9.3 (announcement three months before the
 * meeting, texts one month before, a summary with each draft) and §9.4.1
 * (seven working days after the deadline). */
#ifndef BALLOT_TIMELINE_H
#define BALLOT_TIMELINE_H

#include <stddef.h>
#include "ballot/consultation.h"

/* One dated step. */
typedef struct bt_timeline_date {
	bt_time at;             /* date-only steps: 00:00:00Z of the day */
	int date_only;
	const char *what;       /* "circular", "texts-available", "deadline",
				   "meeting-start", "meeting-end",
				   "more-time-ends", "decision" */
	const char *clause;     /* e.g. "WTSA Res. 1 §9.3.3" */
	char rec[BT_ID_MAX + 1]; /* the draft, "" for the consultation */
	char detail[32];        /* a decision's kind */
} bt_timeline_date;

/* One check: holds is 1, 0, or -1 when it cannot be told (a date not
 * recorded). */
typedef struct bt_timeline_check {
	const char *name;       /* "announcement", "texts_available", "summary",
				   "deadline" */
	const char *clause;
	char rec[BT_ID_MAX + 1]; /* per-draft checks: the draft */
	int has_date;
	bt_time date;           /* what happened (a date or the deadline) */
	int date_only;
	int has_due;
	bt_date due;            /* the latest date that holds */
	int working_days;       /* deadline: working days left before the meeting */
	int holds;
} bt_timeline_check;

typedef struct bt_timeline {
	char circular[BT_ID_MAX + 1];
	int applies;            /* 1 under the tap rule; the checks are §9.3's */
	bt_timeline_date *dates; /* by time */
	size_t ndates;
	bt_timeline_check *checks; /* announcement, per draft texts_available
				      and summary, deadline */
	size_t nchecks;
} bt_timeline;

/* The timeline of circular. BT_EINPUT for an unknown circular. Working days
 * are counted with today's calendar. */
int bt_timeline_get(bt_db *db, const char *circular, bt_timeline *out, bt_err *e);
void bt_timeline_free(bt_timeline *t);

#endif
