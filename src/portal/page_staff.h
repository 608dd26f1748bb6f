/* page_staff.h - the pages of the secretariat and of a study group's chair
 * (page_staff.c). Each fills r's answer and returns 0. */
#ifndef BALLOT_PORTAL_PAGE_STAFF_H
#define BALLOT_PORTAL_PAGE_STAFF_H

#include "portal/request.h"

/* /secretariat: every consultation with its tally. */
int page_secretariat_home(preq *r);
/* /secretariat/c/CIRCULAR: tally, pending and late replies, the entry form
 * for replies by e-mail, fax or post, closing, downloads. */
int page_secretariat_c(preq *r, const char *circular);
/* POST /secretariat/c/CIRCULAR/reply: records a reply received otherwise. */
int page_secretariat_reply(preq *r, const char *circular);
/* POST /secretariat/c/CIRCULAR/codes/issue: staff_codes_issue
 * (page_staff_acts.h); refused, the consultation's page again with the
 * sentence next to the codes form's member field. */
int page_secretariat_codes_issue(preq *r, const char *circular);
/* /secretariat/sent/CIRCULAR/ID: the receipt of reply id that the entry
 * form recorded (where its POST sends the browser: Post/Redirect/Get). */
int page_secretariat_sent(preq *r, const char *seg);
/* POST /secretariat/c/CIRCULAR/close: closes the consultation. */
int page_secretariat_close(preq *r, const char *circular);
/* The downloads of /secretariat/c/CIRCULAR/: the tally report (PDF, in
 * ?lang= or the page's language, on ?paper=), the replies (CSV, JSON) and
 * the tally (JSON). */
int page_secretariat_report_pdf(preq *r, const char *circular);
int page_secretariat_replies_csv(preq *r, const char *circular);
int page_secretariat_replies_json(preq *r, const char *circular);
int page_secretariat_tally_json(preq *r, const char *circular);
/* /secretariat/receipt/SEQ.json: the signed receipt of event seq (a reply,
 * withdrawal or decision). */
int page_secretariat_receipt(preq *r, const char *seq);
/* One draft's live figures (support, replies, the bar against the
 * threshold, the outcome, the late replies) as a block with data-
 * attributes; heading: the level of the draft's heading (0: none). Shared
 * with the chair's pages (page_chair.c). */
void tally_block(preq *r, const bt_tally *t, const bt_draft_tally *d, int heading);

#endif
