/* page_staff_acts.h - the secretariat's list of replies, the plenary's
 * decision (§9.5) and the reply codes of a consultation, with a
 * confirmation page before each irreversible act (page_staff_acts.c).
 * Each page fills r's answer and returns 0. */
#ifndef BALLOT_PORTAL_PAGE_STAFF_ACTS_H
#define BALLOT_PORTAL_PAGE_STAFF_ACTS_H

#include "ballot/ballot.h"
#include "portal/error.h"
#include "portal/request.h"

/* Appends the section "who replied what": every reply and withdrawal of h
 * (member and name from el, draft, choice, received, channel, status,
 * attachments to download, the signed receipt in JSON), in event order. */
void staff_replies_section(preq *r, const bt_history *h, const bt_member_list *el);
/* Appends the reply codes of c (issued, revoked) and the forms to issue,
 * reissue or revoke one member's code. */
void staff_codes_section(preq *r, const bt_consultation *c, const bt_member_list *el);
/* Appends, once c is closed, the link to the decision form. */
void staff_decide_link(preq *r, const bt_consultation *c, const bt_tally *t);

/* GET /secretariat/c/CIRCULAR/close: the confirmation page of closing
 * (page_staff.c). */
int page_secretariat_close_confirm(preq *r, const char *circular);
/* GET /secretariat/c/CIRCULAR/decide: without ?kind= a form per draft;
 * with it, the confirmation page showing the decision's text. */
int page_secretariat_decide(preq *r, const char *circular);
/* POST /secretariat/c/CIRCULAR/decide: records the decision (bt_decide);
 * 303 to the consultation's page. Each act's POST (close, decide, codes
 * issue and revoke) carries a single-use token: sent again, it acts never
 * twice and answers with the first outcome (once.h). */
int page_secretariat_decide_post(preq *r, const char *circular);
/* The POST of /secretariat/c/CIRCULAR/codes/issue (page_staff.c's
 * page_secretariat_codes_issue) for c: issues (or reissues) member's code,
 * keeps it in memory for this session (never in the database) and answers
 * 303 to .../codes/new?t=TOKEN, which shows it once and forgets it (404
 * afterwards, after ten minutes, or for another session): 0. Refused (the
 * reader's to mend): 1, x made r's refusal, on field "code-member" (the
 * codes form's), for the consultation's page to show again. */
int staff_codes_issue(preq *r, const bt_consultation *c, prefusal *x);
int page_secretariat_codes_new(preq *r, const char *circular);
/* GET /secretariat/c/CIRCULAR/codes/revoke?member=M: the confirmation page;
 * POST: revokes member's code, 303 to the consultation's page. */
int page_secretariat_codes_revoke_confirm(preq *r, const char *circular);
int page_secretariat_codes_revoke(preq *r, const char *circular);
/* GET /secretariat/attachment/ID: an attachment's bytes, as stored. */
int page_secretariat_attachment(preq *r, const char *id);

#endif
