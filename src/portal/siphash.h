/* siphash.h - SipHash-2-4 (siphash.c): the keyed hash of the session and
 * throttling tables. */
#ifndef BALLOT_PORTAL_SIPHASH_H
#define BALLOT_PORTAL_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of data under key. */
uint64_t portal_siphash(const unsigned char key[16], const void *data, size_t len);

#endif
