/* services.h - the services floor, private to the engine: what is computed
 * from the domain (tally, status, timeline, history, export, audit) and
 * what is made of it (backups, receipts, bundles). Front ends never include
 * this file. */
#ifndef BALLOT_SERVICES_H
#define BALLOT_SERVICES_H

#include "domain/domain.h"

/* Signs the JSON object in doc (its bytes, as they are) with key and adds
 * the signature as its last member, "signature", then a newline: how
 * receipts and bundle manifests are signed. */
int json_sign_close(const bt_key *key, bt_buf *doc, bt_err *e);

/* The rows behind events (rowcheck.c). audit_flag records the first problem
 * found in r (the lowest event number wins); audit_flag_row also names the
 * row (table, id). event_rows_check renders again, from the rows it wrote,
 * what the body of event seq (of kind, by actor, at, linked to cprev) must
 * be, and flags it in r when a row is missing or differs (kinds without rows
 * pass); BT_EFAIL only when it cannot read. */
void audit_flag(bt_audit_report *r, int64_t seq, const char *what);
void audit_flag_row(bt_audit_report *r, int64_t seq, const char *what, const char *table, int64_t id);
int event_rows_check(bt_db *db, int64_t seq, bt_time at, const char *actor, const char *kind,
		     const char *cprev, const char *body, bt_audit_report *r, bt_err *e);

#endif
