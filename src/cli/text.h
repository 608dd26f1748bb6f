/* text.h - small text helpers of the command line (text.c). */
#ifndef BALLOT_CLI_TEXT_H
#define BALLOT_CLI_TEXT_H

#include <stddef.h>
#include "ballot/ballot.h"

/* Parses a decimal integer in [min, max] given to option opt. */
int cli_parse_int(const char *opt, const char *s, long long min, long long max,
		  long long *out, bt_err *e);

/* Writes errno text in lowercase into buf ("no such file or directory"). */
const char *cli_strerror(int errnum, char *buf, size_t len);

#endif
