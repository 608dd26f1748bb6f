/* addr.c - the address a client is counted under (addr.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "portal/addr.h"

/* The first 12 bytes of an IPv4-mapped IPv6 address. */
static const unsigned char V4MAPPED[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void portal_addr_group(unsigned char a[16])
{
	if (memcmp(a, V4MAPPED, 12) != 0)
		memset(a + 8, 0, 8); /* one /64: one site */
}

void portal_addr_print(const char *ip, char *out, size_t n)
{
	unsigned char a[16] = { 0 };
	if (inet_pton(AF_INET6, ip, a) != 1) {
		if (inet_pton(AF_INET, ip, a + 12) != 1) {
			snprintf(out, n, "%s", ip);
			return;
		}
		a[10] = a[11] = 0xff;
	}
	portal_addr_group(a);
	if (!memcmp(a, V4MAPPED, 12))
		snprintf(out, n, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
	else
		snprintf(out, n, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", a[0], a[1], a[2], a[3], a[4],
			 a[5], a[6], a[7]);
}
