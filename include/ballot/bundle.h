/* bundle.h - a consultation's results bundle: publish it, verify it.
 *
 * A bundle is a directory (format "ballot-bundle/2"; the verifier also
 * takes "ballot-bundle/1", whose tally.json has no "titles"):
 *   events.jsonl   the events that make the result, one per line, in order:
 *                  {"seq","prev","hash","body"} for the consultation, its
 *                  drafts (with the SHA-256 of their texts), every reply and
 *                  withdrawal (with its attachments' SHA-256), the close and
 *                  the decisions. Events of other consultations and of
 *                  members, codes and users are withheld: gaps in seq.
 *   tally.json     the tally as of publication (as `ballot tally --json`)
 *   rule.json      the rule and its edition
 *   replies.json, replies.csv   every reply with its status (as `ballot export`)
 *   attachments/<sha256>        the attachments themselves (optional)
 *   manifest.json  the circular, the publication time, the chain head, the
 *                  SHA-256 and size of every other file, the public key and
 *                  the signature over all of it.
 * The verifier reads the directory only, never a database.
 */
#ifndef BALLOT_BUNDLE_H
#define BALLOT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/db.h"
#include "ballot/sign.h"
#include "ballot/tally.h"

#define BT_BUNDLE_FORMAT "ballot-bundle/2"
#define BT_BUNDLE_FORMAT_1 "ballot-bundle/1" /* before tally.json's titles */

typedef struct bt_bundle_stats {
	int64_t events;       /* events disclosed */
	int64_t replies;      /* of which replies and withdrawals */
	int64_t attachments;  /* attachment files written */
	int64_t head_seq;     /* the chain head when published */
	char head[65];
	size_t files;         /* files listed in the manifest */
} bt_bundle_stats;

/* Writes the bundle of circular as of now into dir, which must not exist or
 * be empty (BT_EINPUT naming the field "out" otherwise); with_attachments adds the
 * attachments' bytes. Everything is read in one snapshot, so writers may
 * carry on meanwhile. The same database and now give the same bytes. */
int bt_bundle_publish(bt_db *db, const char *circular, const bt_key *key, const char *dir,
		      int with_attachments, bt_time now, bt_bundle_stats *stats, bt_err *e);

typedef struct bt_bundle_report {
	char circular[33];
	char published[32];
	int64_t head_seq;
	char head[65];
	int64_t events;       /* disclosed events checked */
	int64_t replies;      /* reply and withdrawal events */
	int64_t withheld;     /* events of the chain up to the head not disclosed */
	int64_t attachments;  /* attachment files checked against their SHA-256 */
	size_t files;         /* files checked against the manifest */
	size_t receipts;      /* receipts found in the bundle */
	char (*receipt_status)[160]; /* per receipt: "CHE reply on Q.5051 (event 4): counted" */
	bt_tally tally;       /* recomputed from events.jsonl (bt_bundle_report_free) */
} bt_bundle_report;

/* Verifies the bundle in dir against pub, reading nothing else: the
 * manifest's signature and key, each file's size and SHA-256 (no file
 * missing, none added), each event's hash and its link to the one before,
 * the attachments' SHA-256, the rule, the tally recomputed from the events
 * alone against tally.json, and that each receipt file (receipts[0..n))
 * verifies and its event is in the bundle with the same chain hash.
 * BT_EINPUT naming the first file and what is wrong in it; r is filled as
 * far as the check went. */
int bt_bundle_verify(const char *dir, const bt_pubkey *pub, const char *const *receipts,
		     size_t n_receipts, bt_bundle_report *r, bt_err *e);

/* Frees what bt_bundle_verify put in r (also after a failure). */
void bt_bundle_report_free(bt_bundle_report *r);

#endif
