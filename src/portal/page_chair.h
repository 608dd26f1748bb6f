/* page_chair.h - the pages of a study group's chair (page_chair.c). Each
 * fills r's answer and returns 0. */
#ifndef BALLOT_PORTAL_PAGE_CHAIR_H
#define BALLOT_PORTAL_PAGE_CHAIR_H

#include "portal/request.h"

/* /chair: the consultations of the chair's study group. */
int page_chair_home(preq *r);
/* /chair/c/CIRCULAR: one consultation of the chair's group: each draft's
 * state and figures, the decisions, the timeline, the report PDF links.
 * 404 for an unknown circular, 403 for another group's. */
int page_chair_c(preq *r, const char *circular);
/* /chair/c/CIRCULAR/report.pdf: the tally report (as the secretariat's,
 * ?lang= and ?paper=), for a consultation of the chair's group. */
int page_chair_report_pdf(preq *r, const char *circular);

#endif
