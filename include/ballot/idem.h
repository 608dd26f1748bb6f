/* idem.h - replies recorded once per idempotency key (the API's
 * Idempotency-Key header): a request sent again with the same key and the
 * same bytes gets the first one's outcome, never a second record, also
 * after a restart (the key is kept in the database, written in the reply's
 * own transaction).
 */
#ifndef BALLOT_IDEM_H
#define BALLOT_IDEM_H

#include <stddef.h>
#include "ballot/reply.h"

/* An idempotency key is 1 .. BT_IDEM_KEY_MAX characters of A-Z a-z 0-9
 * and - _ . : ~ + / = (a UUID, a base64 or hex digest, a ticket number). */
#define BT_IDEM_KEY_MAX 128

/* A request that carries an idempotency key. */
typedef struct bt_idem {
	const char *key;    /* the client's key (only its SHA-256 is kept) */
	const char *token;  /* the bearer token that sent it: keys are per token
			       (only the token's id is kept) */
	const void *body;   /* the request's bytes (only their SHA-256 is kept) */
	size_t len;
} bt_idem;

/* BT_OK when key is a valid idempotency key (above); else BT_EINPUT naming
 * the field idempotency_key and the value. */
int bt_idem_key_check(const char *key, bt_err *e);

/* bt_reply_record (the same checks, quotas and events) once per key: in
 * one write transaction, looks up (token, key); when found with the same
 * body's SHA-256, records nothing, sets *replayed to 1 and fills
 * out->event_seq and out->reply_id with the first request's (the rest of
 * *out is zero); found with another body: BT_EINPUT (reason conflict),
 * field idempotency_key, nothing recorded. Else records the reply and, in
 * the same transaction, the key (*replayed 0). k NULL: bt_reply_record.
 * A token that is not recorded (revoked ones are) is BT_R_FORBIDDEN. out
 * must not be NULL. */
int bt_reply_record_once(bt_db *db, const bt_reply_spec *spec, const char *actor, bt_time now,
			 const bt_idem *k, bt_reply_result *out, int *replayed, bt_err *e);

#endif
