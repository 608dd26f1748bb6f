/* page_signin.h - signing in and out (page_signin.c). Each page fills
 * r's answer and returns 0. */
#ifndef BALLOT_PORTAL_PAGE_SIGNIN_H
#define BALLOT_PORTAL_PAGE_SIGNIN_H

#include "portal/request.h"

/* GET /signin: the forms (a reply code, a staff account; a pre-session
 * cookie and its CSRF token), or the home page when signed in. */
int page_signin(preq *r);
/* POST /signin: checks the code or password (throttled), makes the
 * session and redirects home; 401, 403 or 429 with the form again. */
int page_signin_post(preq *r);
/* POST /signout: ends the session, back to /signin. */
int page_signout(preq *r);

#endif
