/* identity.h - who a signed-in request speaks for (identity.c): its name
 * for the engine and its home page. */
#ifndef BALLOT_PORTAL_IDENTITY_H
#define BALLOT_PORTAL_IDENTITY_H

#include <stddef.h>
#include "ballot/auth.h"
#include "portal/request.h"

/* Actor for the engine: "portal:CHN" or "portal:<user>". */
void portal_actor(const preq *r, char *out, size_t n);
/* The home page of a signed-in identity ("/member", "/secretariat", "/chair"). */
const char *portal_home(const bt_identity *id);

#endif
