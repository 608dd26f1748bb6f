/* consultation.h - a Member State consultation (one circular) and its drafts. */
#ifndef BALLOT_CONSULTATION_H
#define BALLOT_CONSULTATION_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/db.h"
#include "ballot/member.h"
#include "ballot/calendar.h"

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
	int force_deadline;       /* accept an explicit deadline that breaks
				     §9.4.1 (closed day, weekend, fewer than
				     seven working days, already past) */
	const char *reason;       /* required with force_deadline */
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

/* Registers a consultation. The default TAP deadline is computed with the
 * calendar in force (bt_default_deadline) and the closed days it skipped are
 * recorded. Refuses (BT_EINPUT) a duplicate circular, a bad ID, group or
 * rule, meeting dates out of order, a deadline not between the circular's
 * date and the meeting, unknown codes in the electorate, and, unless
 * spec->force_deadline with a reason, an explicit deadline on a weekend or
 * closed day, leaving fewer than seven working days (TAP), or already past
 * at now. warning (warnlen bytes) is set when the circular's date is less
 * than three months before the meeting (§9.3.3), else "". */
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

/* Lists the consultations whose electorate holds member (alpha-3 or
 * alpha-2), by deadline and circular, in one query. BT_EINPUT for an
 * unknown member. Free with bt_consultation_list_free (also after a
 * failure). */
int bt_consultations_of_member(bt_db *db, const char *member, bt_consultation_list *out, bt_err *e);

/* Lists the consultation's electorate, by code. */
/* Sets *in to 1 when member (alpha-3 or alpha-2) is in the electorate of
 * circular, else 0. BT_EINPUT for an unknown circular or member. One indexed
 * look-up (no list). */
int bt_electorate_has(bt_db *db, const char *circular, const char *member,
		      int *in, bt_err *e);

/* The electorate of circular, by code; BT_EINPUT for an unknown circular.
 * Free with bt_member_list_free (also after a failure). */
int bt_electorate_list(bt_db *db, const char *circular, bt_member_list *out,
		       bt_err *e);

/* How a consultation's deadline came about. */
typedef struct bt_deadline_change {
	bt_time old_deadline, deadline, at;
	char reason[512];
	char by[201];
	int64_t seq;
} bt_deadline_change;

typedef struct bt_deadline_info {
	int with_calendar;        /* 0: created before the calendar existed */
	bt_closed_day *skipped;   /* the closed days create skipped, by date */
	size_t nskipped;
	char forced_reason[512];  /* "" unless the deadline was forced */
	bt_time first_deadline;   /* as created */
	bt_time default_deadline; /* what the calendar gave at creation (TAP;
				     the first deadline before the calendar) */
	bt_deadline_change *changes; /* set-deadline moves, in order */
	size_t nchanges;
	int has_today;            /* 1 for TAP: */
	bt_time today_deadline;   /* what today's calendar gives; when it is
				     not default_deadline, the calendar moved
				     since (the deadline did not) */
} bt_deadline_info;

/* Fills info for circular (bt_deadline_info_free it). */
int bt_deadline_info_get(bt_db *db, const char *circular, bt_deadline_info *info,
			 bt_err *e);
void bt_deadline_info_free(bt_deadline_info *info);

/* Moves an open consultation's deadline to deadline, with a reason (1-500
 * bytes): one "deadline" event. Refused (BT_EINPUT) once closed, when the
 * time is already past at now (replies recorded since would turn late), not
 * after the circular's date, not before the meeting (TAP), or equal to the
 * deadline in force. *recounted (may be NULL) is the number of replies
 * recorded between the old and the new deadline, whose count changes (late
 * to on time when the deadline moves later). */
int bt_consultation_set_deadline(bt_db *db, const char *circular, bt_time deadline,
				 const char *reason, const char *actor, bt_time now,
				 int *recounted, bt_err *e);

struct bt_tally;

/* Closes the consultation after its deadline (now > deadline): freezes each
 * draft's outcome, moving it to ready-for-approval or not-ready. Before the
 * deadline, or when already closed, BT_EINPUT saying so (with the deadline).
 * frozen (may be NULL) receives the tally the outcomes were frozen from
 * (bt_tally_free it). */
int bt_consultation_close(bt_db *db, const char *circular, const char *actor,
			  bt_time now, struct bt_tally *frozen, bt_err *e);

#endif
