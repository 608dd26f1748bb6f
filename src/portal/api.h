/* api.h - the JSON API for TSB's other systems under /api/v1 (api.c):
 * bearer tokens (ballot tokens create), the same documents the command
 * line prints with --json, errors as {"error": {"reason", "field",
 * "message"}}. The routes are in routes.c's table, described by
 * doc/openapi.yaml. */
#ifndef BALLOT_PORTAL_API_H
#define BALLOT_PORTAL_API_H

#include "ballot/err.h"
#include "portal/request.h"

/* 1 when url is under /api/ (its errors are JSON, never a page). */
int api_path(const char *url);

/* An API error: status and {"error": {"reason", "field" (null when none),
 * "message"}} in r->out (replacing what it held); returns 0. */
int api_error(preq *r, int status, const char *reason, const char *field, const char *msg);
/* An engine failure as an API error, its status from e->reason (input 400,
 * not found 404, conflict 409, forbidden 403, damaged 503, I/O and memory
 * 500); returns 0. */
int api_engine_error(preq *r, const bt_err *e);

/* 405 for a method a path under /api/ does not take (r->allow set by the
 * caller); returns 0. */
int api_method_error(preq *r);

/* GET /api/v1/status: `ballot status --json` (a chair's token: its study
 * group's drafts only). */
int api_status(preq *r);
/* GET /api/v1/consultations/{circular}/tally (?as_of=TIME), /history
 * (?member=CODE), /pending (?draft=REC): `ballot tally|history|pending
 * --circular ... --json`. */
int api_tally(preq *r, const char *circular);
int api_history(preq *r, const char *circular);
int api_pending(preq *r, const char *circular);
/* Any other path under /api/v1: 404 (after the token is checked). */
int api_not_found(preq *r);

#endif
