/* text.c - small text helpers of the command line (text.h): a whole number
 * given to an option, a system error in lowercase. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/text.h"

const char *cli_strerror(int errnum, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(errnum));
	if (buf[0])
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

int cli_parse_int(const char *opt, const char *s, long long min, long long max,
		  long long *out, bt_err *e)
{
	char *end = NULL;
	long long v;

	errno = 0;
	if (!s || !*s || isspace((unsigned char)*s))
		goto bad;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		goto bad;
	if (v < min || v > max)
		return bt_fail(e, BT_EINPUT,
			       "%s: '%s' is out of range (%lld to %lld)", opt, s,
			       min, max);
	*out = v;
	return BT_OK;
bad:
	return bt_fail(e, BT_EINPUT, "%s: '%s' is not a whole number", opt,
		       s ? s : "");
}
