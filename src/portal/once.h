/* once.h - exactly-once submission of a form (once.c): the single-use
 * token a state-changing form carries, bound to the session and the form
 * (session_once_*), and what a POST that brings it back is answered. */
#ifndef BALLOT_PORTAL_ONCE_H
#define BALLOT_PORTAL_ONCE_H

#include "portal/request.h"

/* Appends the hidden "once" field of a new token for form (a short name,
 * such as "m:<circular>") to r->out; nothing when r has no session. */
void once_field(preq *r, const char *form);
/* Claims the token the POST brought for form: 1 when the page is to do the
 * work and then call once_done. Else 0 and the answer is made: a 303 to the
 * first sending's outcome when the token was spent (a reload, Back and
 * send, a double click: never a second record), or a refusal in the page's
 * language when the token is unknown (err_once_unknown: never issued,
 * replaced, or the session or server ended) or another sending of it is
 * still running (err_once_busy). */
int once_begin(preq *r, const char *form);
/* 1 when the token the POST brought for form was spent: the answer is
 * then a 303 to the first sending's outcome. Else 0 and nothing is made
 * (for a page that refuses anything new, such as a closed consultation's
 * reply, but still answers a resent form as the first time). */
int once_spent(preq *r, const char *form);
/* Ends the claim: location (a GET path) is the outcome; the answer is a
 * 303 to it, and every later sending of the token gets the same. With
 * location NULL (the page answered an error; nothing was recorded) the
 * token can be sent again. Returns 0. */
int once_done(preq *r, const char *location);

#endif
