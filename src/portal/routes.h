/* routes.h - every page the portal answers, declared once (routes.c): the
 * table the dispatcher (server.c) walks, and what it tells about a path. */
#ifndef BALLOT_PORTAL_ROUTES_H
#define BALLOT_PORTAL_ROUTES_H

#include <stddef.h>
#include "portal/request.h"

enum {
	PR_GET = 1,  /* GET and HEAD (libmicrohttpd leaves HEAD's body out) */
	PR_POST = 2,
};

/* How a route's path is matched against a URL. */
typedef enum proute_match {
	PR_EXACT,    /* the URL is path */
	PR_SEGMENT,  /* path, a non-empty segment (may hold '/': circulars
			such as "A/1" do), then exactly rest */
	PR_AREA,     /* the URL begins with path: what an area answers to any
			path of its own that no route before names */
} proute_match;

/* Who may ask: anyone, anyone with the sign-in form's own CSRF token while
 * signed out (then the page checks it), a program with a bearer token (the
 * API: no session, no CSRF field; the page checks the token and reads a
 * POST's body raw), or a signed-in identity of one role (else a redirect to
 * /signin, or 403). */
typedef enum proute_who {
	PR_ANYONE,
	PR_SIGNIN_FORM,
	PR_BEARER,
	PR_MEMBER,
	PR_SECRETARIAT,
	PR_CHAIR,
} proute_who;

/* One route. Exactly one of page (PR_EXACT, PR_AREA) and page_of
 * (PR_SEGMENT, given the segment) is set. */
typedef struct proute {
	unsigned methods;  /* PR_GET, PR_POST */
	proute_match match;
	const char *path;
	const char *rest;  /* PR_SEGMENT: what follows the segment ("": nothing) */
	proute_who who;
	int (*page)(preq *r);
	int (*page_of)(preq *r, const char *seg);
} proute;

/* The route of method on url: the first route of the table whose path
 * matches url decides the methods that the path takes (routes with the same
 * match, path and rest add theirs); returns the one of them that takes
 * method (GET, HEAD, POST), with its segment in seg, or NULL (then answer
 * 405). *allow is the Allow header of that path ("GET, HEAD", "POST",
 * "GET, HEAD, POST"). Every url matches some route (the last one, PR_AREA
 * of "", answers 404). seg must hold 128 bytes. */
const proute *route_find(const char *url, const char *method, char seg[128], const char **allow);

#endif
