/* style.h - the portal's stylesheet (style.c), served as /static/style.css. */
#ifndef BALLOT_PORTAL_STYLE_H
#define BALLOT_PORTAL_STYLE_H

/* The stylesheet (NUL-terminated CSS). */
extern const char portal_css[];

#endif
