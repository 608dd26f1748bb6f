/* answer.h - the HTTP answer (answer.c): status, headers (security,
 * caching, cookies, redirects, downloads), the access-log line, queued on
 * the connection. Knows no HTML. */
#ifndef BALLOT_PORTAL_ANSWER_H
#define BALLOT_PORTAL_ANSWER_H

#include <microhttpd.h>
#include <stddef.h>
#include "portal/request.h"

/* The reason phrase of status ("Error" for one the portal does not use
 * by name). */
const char *http_status_text(int status);

/* Queues r's answer (status, r->out as the body, its headers) on r->conn
 * and writes its access-log line: 500 "out of memory" when r->out failed.
 * MHD_NO when no answer could be made (the connection is then closed). */
enum MHD_Result answer_send(preq *r);

/* A 303 redirect to path (an empty body); returns 0. */
int page_redirect(preq *r, const char *path);

/* The name a download is given: prefix, the circular with anything but
 * letters, digits, '.', '-' and '_' replaced by '_', then suffix. */
void portal_file_name(char *out, size_t n, const char *prefix, const char *circular, const char *suffix);

#endif
