/* page_member.h - the pages of an administration (page_member.c). Each
 * fills r's answer and returns 0; an administration sees only its own
 * replies (403 for anything else, the same for a circular that does not
 * exist). */
#ifndef BALLOT_PORTAL_PAGE_MEMBER_H
#define BALLOT_PORTAL_PAGE_MEMBER_H

#include "portal/request.h"

/* Loads circular for the signed-in administration into c: 0 when it may
 * see it; else -1 and the answer made (403, the same for a circular that
 * does not exist, or an engine error page). */
int member_load_own(preq *r, const char *circular, bt_consultation *c);
/* 1 while c takes replies (not closed, the deadline not passed). */
int member_is_open(const preq *r, const bt_consultation *c);

/* /member: its consultations and replies. */
int page_member_home(preq *r);
/* /member/c/CIRCULAR: the reply form (read-only once closed or late). */
int page_member_form(preq *r, const char *circular);
/* POST /member/c/CIRCULAR/reply: records the replies once per form token
 * (once.h), then 303 to /member/sent/ID,ID... (a spent token: to the first
 * sending's). */
int page_member_reply(preq *r, const char *circular);
/* /member/sent/ID,ID...: the receipts of one sending of the reply form. */
int page_member_sent(preq *r, const char *ids);
/* /member/receipt/ID: the receipt of its reply number id. */
int page_member_receipt(preq *r, const char *id);
/* The signed receipt (ballot/receipt.h) of the administration's reply id, as a
 * download: 403 and 404 as page_member_receipt. */
int page_member_receipt_json(preq *r, const char *id);
/* /member/history: every reply and withdrawal it made. */
int page_member_history(preq *r);

#endif
