/* api.h - the JSON API for TSB's other systems under /api/v1 (api.c):
 * bearer tokens (ballot tokens create), the same documents the command
 * line prints with --json, errors as {"error": {"reason", "field",
 * "message"}}. The routes are in routes.c's table, described by
 * doc/openapi.json. */
#ifndef BALLOT_PORTAL_API_H
#define BALLOT_PORTAL_API_H

#include "ballot/err.h"
#include "ballot/token.h"
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

/* The bearer token of r's Authorization header, or NULL. */
const char *api_bearer(preq *r);
/* 0 when r's bearer token is valid (into id) and of scope need at least
 * (write includes read); else -1 and the answer: 401 for no token or one
 * not valid (malformed, unknown, revoked, expired, account disabled), 403
 * for a read token where write is needed. */
int api_auth_scope(preq *r, bt_token_scope need, bt_identity *id);

/* The consultation circular, readable by id (a chair: its study group's
 * only) and its rows in agreement with the log, into c; else the error and
 * -1. */
int api_consultation(preq *r, const bt_identity *id, const char *circular, bt_consultation *c);

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
/* POST /api/v1/consultations/{circular}/replies (api_reply.c):
 * records a reply, as the secretariat's entry form does, for a write
 * token's secretariat account, from a JSON body (files in base64) or a
 * multipart/form-data one (a part "reply" with that JSON, files raw in
 * parts "attachments" and "scan"; r must be the first member of its
 * preqx, as the server makes every request); 201 with the signed receipt and Location
 * /api/v1/receipts/{event}; an Idempotency-Key sent again with the same
 * body answers the first receipt with 200 and records nothing. */
int api_reply(preq *r, const char *circular);
/* GET /api/v1/receipts/{event}: the signed receipt of a reply event (a
 * chair's token: its study group's only). */
int api_receipt(preq *r, const char *event);
/* The head of a POST under /api/ is in (x->r's route found): checks the
 * token (write scope), the Content-Type (JSON or multipart/form-data,
 * else 415) and the Content-Length (else 413: multipart within the
 * portal's body_max, JSON within its base64 allowance), and sets x up to
 * read the body as it is into x->r.body. 1 when the answer is made (send it), 0 to read the body. */
int api_post_begin(preqx *x);

/* The 413 of a POST body over max bytes, the API's limit (len: its
 * Content-Length, or NULL when it came chunked), naming the limit. Returns
 * 0 (the answer is set). */
int api_body_too_large(preq *r, const char *len, uint64_t max);

/* Any other path under /api/v1: 404 (after the token is checked). */
int api_not_found(preq *r);

#endif
