/* page_staff_inbox.h - the secretariat's view of the mail inbox
 * (page_staff_inbox.c): the messages `ballot mail fetch` took, as `ballot
 * inbox list/show` shows them, and accepting or rejecting one after a
 * confirmation page (staff_confirm_form), with the engine calls of `ballot
 * inbox accept/reject` (ballot/inbox.h). Each page fills r's answer and
 * returns 0; each act's POST carries a single-use token (once.h) and
 * answers 303 to the entry's page. */
#ifndef BALLOT_PORTAL_PAGE_STAFF_INBOX_H
#define BALLOT_PORTAL_PAGE_STAFF_INBOX_H

#include "portal/request.h"

/* GET /secretariat/inbox: every entry (matched, unmatched, refused, and
 * those decided), newest last. */
int page_secretariat_inbox(preq *r);
/* GET /secretariat/inbox/N: entry N (sender, subject, Message-ID, received
 * time and its source, size, SHA-256, the form and its proposed choices,
 * the attachments), with the ways to accept or reject it while undecided. */
int page_secretariat_inbox_entry(preq *r, const char *n);
/* GET /secretariat/inbox/N/accept: the confirmation of accepting matched
 * entry N; POST: records its form's replies (channel email, received at the
 * secretariat's receipt time, the form attached; the message's other
 * documents as the comments or reasons of a draft whose choice takes them)
 * and the inbox-accept event. */
int page_secretariat_inbox_accept_confirm(preq *r, const char *n);
int page_secretariat_inbox_accept(preq *r, const char *n);
/* GET /secretariat/inbox/N/reject?reason=TEXT: the confirmation (without
 * a reason: the reason's field again, said so next to it); POST: the
 * inbox-reject event with the reason. */
int page_secretariat_inbox_reject_confirm(preq *r, const char *n);
int page_secretariat_inbox_reject(preq *r, const char *n);

#endif
