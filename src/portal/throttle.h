/* throttle.h - sign-in throttling (throttle.c says how it counts). */
#ifndef BALLOT_PORTAL_THROTTLE_H
#define BALLOT_PORTAL_THROTTLE_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/err.h"

/* Sign-in throttling (throttle.c says how it counts): records at most, and
 * the slots where one key's record may be. */
#define PORTAL_THROTTLE_SLOTS (1u << 18)
#define PORTAL_THROTTLE_WINDOW 16
typedef struct pthrottle pthrottle;
/* key: 32 bytes for the table's hash (tests), NULL: random. */
/* BT_EFAIL when out of memory; throttle_free(NULL) does nothing. */
int throttle_new(pthrottle **out, const unsigned char *key, bt_err *e);
void throttle_free(pthrottle *t);
/* An attempt reserved by throttle_begin. */
typedef struct throttle_ticket {
	uint64_t tag[3][2];
	unsigned char held[3];
} throttle_ticket;
/* Before an attempt to sign in as name ("member:CHN", "user:tsb") from
 * address ip, at now (ms): 0 and the attempt is counted (tk), or the seconds
 * to wait before another is allowed (nothing counted). */
int throttle_begin(pthrottle *t, const char *ip, const char *name, int64_t now, throttle_ticket *tk);
/* After it: ok 1 (signed in: the attempt is given back and this address's
 * failures for the name are cleared), 0 (a failure), -1 (not checked, say
 * the database was busy: given back). */
void throttle_end(pthrottle *t, const throttle_ticket *tk, int ok, int64_t now);
/* Attempts whose record found no room in the table (throttle.c). */
uint64_t throttle_unrecorded(pthrottle *t);
#endif
