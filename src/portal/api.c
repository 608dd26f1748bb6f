/* api.c - the JSON API under /api/v1 (api.h). Every request carries
 * "Authorization: Bearer TOKEN" (a token of `ballot tokens create`); the
 * token acts as its staff account: the secretariat reads everything, a
 * chair its study group's consultations. The documents are the engine's
 * renderers, the very bytes the command line prints. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>
#include "ballot/export.h"
#include "ballot/token.h"
#include "portal/api.h"

int api_path(const char *url)
{
	return url && !strncmp(url, "/api/", 5);
}

int api_error(preq *r, int status, const char *reason, const char *field, const char *msg)
{
	bt_buf_reset(&r->out);
	r->status = status;
	r->ctype = "application/json";
	r->filename[0] = '\0';
	bt_buf_adds(&r->out, "{\"error\":{");
	bt_json_kv_str(&r->out, "reason", reason, 1);
	if (field && *field)
		bt_json_kv_str(&r->out, "field", field, 0);
	else
		bt_json_kv_null(&r->out, "field", 0);
	bt_json_kv_str(&r->out, "message", msg, 0);
	bt_buf_adds(&r->out, "}}\n");
	return 0;
}

int api_engine_error(preq *r, const bt_err *e)
{
	static const int status[] = { [BT_R_NONE] = 500, [BT_R_INPUT] = 400, [BT_R_NOT_FOUND] = 404,
				      [BT_R_CONFLICT] = 409, [BT_R_FORBIDDEN] = 403, [BT_R_DAMAGED] = 503,
				      [BT_R_IO] = 500, [BT_R_NOMEM] = 500 };
	bt_reason why = e->reason <= BT_R_NOMEM ? e->reason : BT_R_NONE;
	char msg[sizeof e->msg + 64];
	bt_err_render(e, NULL, NULL, msg, sizeof msg);
	return api_error(r, status[why], why == BT_R_NONE ? "io" : bt_reason_name(why), e->field, msg);
}

const char *api_bearer(preq *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

int api_auth_scope(preq *r, bt_token_scope need, bt_identity *id)
{
	const char *h = api_bearer(r);
	bt_token_scope scope;
	bt_err e;
	r->www_authenticate = "Bearer realm=\"ballot\"";
	if (!h)
		return api_error(r, 401, "unauthorized", "token",
				 "token: the request needs the header Authorization: Bearer TOKEN"), -1;
	int rc = bt_token_check(r->db, h, r->now, id, &scope, &e);
	if (rc && e.reason == BT_R_FORBIDDEN)
		return api_error(r, 401, "unauthorized", "token", e.msg), -1;
	if (rc)
		return api_engine_error(r, &e), -1;
	r->www_authenticate = NULL;
	if (scope < need) {
		char msg[160];
		snprintf(msg, sizeof msg, "token: a %s token cannot do this (it needs scope %s)",
			 bt_token_scope_name(scope), bt_token_scope_name(need));
		return api_error(r, 403, "forbidden", "token", msg), -1;
	}
	return 0;
}

/* The identity of the request's bearer token (any scope: a read). */
static int api_auth(preq *r, bt_identity *id)
{
	return api_auth_scope(r, BT_SCOPE_READ, id);
}

/* A query parameter, or NULL. */
static const char *arg(preq *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int api_consultation(preq *r, const bt_identity *id, const char *circular, bt_consultation *c)
{
	bt_err e;
	if (bt_consultation_get(r->db, circular, c, &e))
		return api_engine_error(r, &e), -1;
	if (id->role == BT_ROLE_CHAIR && c->group != id->group) {
		char msg[BT_ID_MAX + 96];
		snprintf(msg, sizeof msg, "circular: %s is not of study group %d", c->circular, id->group);
		return api_error(r, 403, "forbidden", "circular", msg), -1;
	}
	if (bt_audit_circular(r->db, c->circular, &e))
		return api_engine_error(r, &e), -1;
	return 0;
}

/* The document rc made in r->out, or its error. */
static int api_answer(preq *r, int rc, const bt_err *e)
{
	if (rc)
		return api_engine_error(r, e);
	r->ctype = "application/json";
	return 0;
}

/* The status and tally documents are made on one connection the server's
 * threads share, under docs_lock, and kept on it while nothing is committed
 * (bt_status_doc, bt_tally_doc): a document is made once per change and
 * second for the whole server, not once per thread. The rule is the one
 * connection's: its PRAGMA data_version moves with every other
 * connection's commit, the request threads' included. */
static pthread_mutex_t docs_lock = PTHREAD_MUTEX_INITIALIZER;

/* The shared connection, opened on first use and closed with the threads'
 * when the server stops (serve.c); NULL with e set. Under docs_lock. */
static bt_db *docs_db(preq *r, bt_err *e)
{
	struct portal *p = r->p;
	if (p->docs)
		return p->docs;
	bt_db *db = NULL;
	if (bt_db_open(p->db_path, 0, &db, e))
		return NULL;
	pthread_mutex_lock(&p->lock);
	int full = p->ndbs == sizeof p->dbs / sizeof p->dbs[0];
	if (!full)
		p->dbs[p->ndbs++] = db;
	pthread_mutex_unlock(&p->lock);
	if (full) {
		bt_db_close(db);
		bt_failf(e, BT_R_IO, NULL, "too many database connections");
		return NULL;
	}
	return p->docs = db;
}

int api_status(preq *r)
{
	bt_identity id;
	bt_err e;
	if (api_auth(r, &id))
		return 0;
	bt_buf_reset(&r->out);
	pthread_mutex_lock(&docs_lock);
	bt_db *db = docs_db(r, &e);
	int rc = db ? bt_status_doc(db, id.role == BT_ROLE_CHAIR ? id.group : 0, r->now, &r->out, &e) : BT_EFAIL;
	pthread_mutex_unlock(&docs_lock);
	return api_answer(r, rc, &e);
}

int api_tally(preq *r, const char *circular)
{
	bt_identity id;
	bt_consultation c;
	bt_err e;
	bt_time as_of = r->now;
	const char *q = arg(r, "as_of");
	if (api_auth(r, &id) || api_consultation(r, &id, circular, &c))
		return 0;
	if (q && bt_time_parse(q, "as_of", &as_of, &e))
		return api_engine_error(r, &e);
	bt_buf_reset(&r->out);
	pthread_mutex_lock(&docs_lock);
	bt_db *db = docs_db(r, &e);
	int rc = db ? bt_tally_doc(db, c.circular, as_of, q != NULL, &r->out, &e) : BT_EFAIL;
	pthread_mutex_unlock(&docs_lock);
	return api_answer(r, rc, &e);
}

int api_history(preq *r, const char *circular)
{
	bt_identity id;
	bt_consultation c;
	bt_history h = { NULL, 0 };
	bt_err e;
	if (api_auth(r, &id) || api_consultation(r, &id, circular, &c))
		return 0;
	bt_buf_reset(&r->out);
	int rc = bt_history_get(r->db, c.circular, arg(r, "member"), &h, &e);
	if (!rc)
		rc = bt_history_json(&h, &r->out, &e);
	bt_history_free(&h);
	return api_answer(r, rc, &e);
}

int api_pending(preq *r, const char *circular)
{
	bt_identity id;
	bt_consultation c;
	bt_pending_list p = { NULL, 0 };
	bt_draft d;
	bt_err e;
	const char *rec = arg(r, "draft");
	memset(&d, 0, sizeof d);
	if (api_auth(r, &id) || api_consultation(r, &id, circular, &c))
		return 0;
	bt_buf_reset(&r->out);
	int rc = rec ? bt_draft_find(r->db, c.circular, rec, &d, &e) : BT_OK;
	if (!rc)
		rc = bt_pending_get(r->db, c.circular, rec ? d.rec : NULL, r->now, &p, &e);
	if (!rc)
		rc = bt_pending_json(&p, &r->out, &e);
	bt_pending_list_free(&p);
	bt_draft_clear(&d);
	return api_answer(r, rc, &e);
}

int api_not_found(preq *r)
{
	bt_identity id;
	if (api_auth(r, &id))
		return 0;
	char msg[300];
	snprintf(msg, sizeof msg, "path: %.200s is not part of the API (see doc/openapi.json)", r->url);
	return api_error(r, 404, "not-found", "path", msg);
}

int api_method_error(preq *r)
{
	char msg[160];
	snprintf(msg, sizeof msg, "method: %.16s is not allowed here (%s only)", r->method,
		 r->allow && *r->allow ? r->allow : "none");
	return api_error(r, 405, "method", "method", msg);
}
