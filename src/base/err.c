/* err.c - the error convention (see include/ballot/err.h). */
#include <stdarg.h>
#include <stdio.h>
#include "ballot/err.h"

int bt_fail(bt_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return code;
}

void bt_err_clear(bt_err *e)
{
	if (e) {
		e->code = BT_OK;
		e->msg[0] = '\0';
	}
}
