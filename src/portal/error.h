/* error.h - error pages (error.c): a status and one line in the page
 * frame. Each returns 0, so that a page can end with return page_error(...). */
#ifndef BALLOT_PORTAL_ERROR_H
#define BALLOT_PORTAL_ERROR_H

#include "ballot/reply.h"
#include "portal/request.h"

/* A whole error page with status and a one-line message (replaces what
 * r->out held). */
int page_error(preq *r, int status, const char *msg);
/* The status page of status (400, 403, 404, 405, 413, 415, 429, 500, 503):
 * its title and the sentence of key (forms/portal/<lang>.txt) in r's
 * language, the link home, and the English line fmt (NULL: none) in a
 * <details> for the secretariat. */
int page_status(preq *r, int status, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
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

/* A refused form shown again: the page that made the form renders it once
 * more, with status (400, 403, 404, 409, 413, 429), every value typed
 * (form_echo), a summary on top (html_refusal_summary) and the sentence next
 * to the field it names (html_field_invalid, html_field_error). */
typedef struct prefusal {
	int status;
	bt_err e;
	char field[32];   /* the engine's field it concerns, "" for none */
	char rec[64];     /* the draft (row) it concerns, "" for any */
	char anchor[80];  /* the id of the field on the page, for the summary's link */
	int focused;      /* the first field in error was given autofocus */
	const char *key;  /* a sentence of the page's own (NULL: the reason's) */
} prefusal;

/* 1 when e is the reader's to mend (input, not found, conflict,
 * forbidden): the form is shown again; else an error page. */
int form_refused(const bt_err *e);
/* Makes x the refusal of r (r->refusal): e, its field and draft (from
 * e->field, or the engine's line for one written without it), the status
 * (0: e's reason's). Empties r->out for the page. */
void form_refusal(preq *r, prefusal *x, int status, const bt_err *e);
/* The same for a refusal the page finds itself: field (an engine field),
 * rec (NULL: from the line), the English line fmt. */
void form_refusal_at(preq *r, prefusal *x, int status, bt_reason reason, const char *field, const char *rec,
		     const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* The value of field name as posted, while a refused form is shown again;
 * else its value in r->prefill (a returned form read); else "". */
const char *form_echo(preq *r, const char *name);
/* The summary on top of a refused form: the reason's title, its sentence
 * (data-reason, data-field), a link to the field, "choose files again"
 * when files were sent, the English line. Nothing without a refusal. */
void html_refusal_summary(preq *r);
/* Inside an input's tag: aria-invalid, aria-describedby="err-ID" and (the
 * first time) autofocus, when the refusal concerns field (of draft rec,
 * NULL any). html_field_error: the sentence, <p id="err-ID">, next to it. */
void html_field_invalid(preq *r, const char *field, const char *rec, const char *id);
void html_field_error(preq *r, const char *field, const char *rec, const char *id);
/* A reply the engine refused (rc, e; res: its first result): the form is
 * shown again (1, x made r's refusal) when e is the reader's to mend, with
 * 413 over the member's quota of bytes, 429 and Retry-After over its
 * replies per hour; else -1 and the error page. */
int form_refused_reply(preq *r, prefusal *x, int rc, const bt_reply_result *res, const bt_err *e);

#endif
