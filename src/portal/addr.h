/* addr.h - the address a client is counted under (addr.c), one rule for
 * the connection limits (conn.c) and sign-in throttling (throttle.c). */
#ifndef BALLOT_PORTAL_ADDR_H
#define BALLOT_PORTAL_ADDR_H

#include <stddef.h>

/* In place on 16 bytes of IPv6 (IPv4 as IPv4-mapped): an IPv4(-mapped)
 * address whole, other IPv6 its /64 (the rest zeroed). */
void portal_addr_group(unsigned char a[16]);
/* The same for a printed address, printed to out: IPv4 and IPv4-mapped
 * IPv6 as IPv4, other IPv6 its /64 ("2001:0db8:0000:0001::/64"); an
 * address that does not parse as it is. */
void portal_addr_print(const char *ip, char *out, size_t n);

#endif
