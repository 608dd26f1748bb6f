/* circular.h - the consultation a page is about (circular.c): looked up,
 * and its deadline line. */
#ifndef BALLOT_PORTAL_CIRCULAR_H
#define BALLOT_PORTAL_CIRCULAR_H

#include "ballot/consultation.h"
#include "portal/request.h"

/* Looks circular up: a 404 page when unknown, 500 when it cannot be read;
 * 0 when found. */
int portal_consultation(preq *r, const char *circular, bt_consultation *c);
/* Checks the rows of consultation circular (its deadline, drafts, replies,
 * decisions) against the events that wrote them (bt_audit_circular), before
 * a page shows or changes anything of it: 0 when they agree; else the error
 * page (503 naming the damaged row, when one differs) and -1. */
int portal_rows_check(preq *r, const char *circular);
/* Appends "Deadline (UTC): <time> — <open / deadline passed / closed
 * (time)>" to r->out. */
void html_consultation_line(preq *r, const bt_consultation *c);

#endif
