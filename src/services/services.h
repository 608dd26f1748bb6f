/* services.h - the services floor, private to the engine: what is computed
 * from the domain (tally, status, timeline, history, export, audit) and
 * what is made of it (backups, receipts, bundles). Front ends never include
 * this file. */
#ifndef BALLOT_SERVICES_H
#define BALLOT_SERVICES_H

#include "domain/domain.h"
#include "ballot/jsonread.h"

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

/* Checks the replies of every consultation at once, in one pass over the
 * replies table (rowcheck.c), for a read that checks most consultations
 * (status): when every one is vouched for by its event, bt_audit_circular
 * checks only the other rows of each consultation until the database
 * changes. Otherwise nothing is noted, and each consultation's own check
 * finds and names what differs. BT_EFAIL only when it cannot read. */
int rowcheck_replies_all(bt_db *db, bt_err *e);

/* The results bundle's format (bundle.c). The limits and the attachments'
 * directory; bundle_rule_json: rule.json, the rule as this ballot applies
 * it; bundle_event_line: one line of events.jsonl; bundle_manifest_signed:
 * the bytes of manifest m that its signature covers, into b (-1 when m is
 * not a manifest); bundle_safe_name: 1 when n may name a file of a bundle. */
#define BUNDLE_FILE_MAX ((size_t)1 << 30)   /* any one file of a bundle */
#define BUNDLE_MANIFEST_MAX ((size_t)16 << 20)
#define BUNDLE_LINE_MAX ((size_t)16 << 20)
#define BUNDLE_ATT_DIR "attachments"
void bundle_rule_json(const bt_rule *r, bt_buf *b);
void bundle_event_line(bt_buf *b, int64_t seq, const char *prev, const char *hash, const char *body);
int bundle_manifest_signed(const bt_jv *m, bt_buf *b);
int bundle_safe_name(const char *n);

#endif
