/* error.h - error pages (error.c): a status and one line in the page
 * frame. Each returns 0, so that a page can end with return page_error(...). */
#ifndef BALLOT_PORTAL_ERROR_H
#define BALLOT_PORTAL_ERROR_H

#include "ballot/reply.h"
#include "portal/request.h"

/* A whole error page with status and a one-line message (replaces what
 * r->out held). */
int page_error(preq *r, int status, const char *msg);
int page_errorf(preq *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 404 with the page language's "not found". */
int page_not_found(preq *r);
/* 503 with Retry-After: no room for a new session (session_create). */
int portal_no_room(preq *r);
/* The error page of an engine failure: its status from e->reason (input
 * 400, not found 404, conflict 409, forbidden 403, damaged 503, I/O and
 * memory 500); a sentence of that reason in the page's language
 * (forms/portal/<lang>.txt fail_*), naming the label of the form field
 * e->field when a form asks for it, then the engine's English line (in a
 * <details>, for the secretariat). */
int page_engine_error(preq *r, const bt_err *e);
/* Appends to r->out what page_engine_error shows of e (the sentence in
 * a <p class="error" data-reason data-field>, the English line in a
 * <details>), for a page that shows it in place of one part. */
void html_engine_error(preq *r, const bt_err *e);
/* The same page for a failure the portal finds itself in a form's field (an
 * engine field name, "" for none): the English line field + ": " + fmt. */
int page_field_error(preq *r, bt_reason reason, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The answer to a reply the engine refused (rc, e; res: its first
 * result): 413 over the member's quota of bytes, 429 with Retry-After over
 * its replies per hour, else as page_engine_error. */
int page_refused(preq *r, int rc, const bt_reply_result *res, const bt_err *e);

#endif
