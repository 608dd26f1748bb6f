/* page_chair.h - the pages of a study group's chair (page_chair.c). Each
 * fills r's answer and returns 0. */
#ifndef BALLOT_PORTAL_PAGE_CHAIR_H
#define BALLOT_PORTAL_PAGE_CHAIR_H

#include "portal/request.h"

/* /chair: the consultations of the chair's study group. */
int page_chair_home(preq *r);

#endif
