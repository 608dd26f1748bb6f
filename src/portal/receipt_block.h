/* receipt_block.h - the receipt block of a recorded reply and its signed receipt
 * (receipt_block.c), shared by the administration's and the secretariat's pages. */
#ifndef BALLOT_PORTAL_RECEIPT_BLOCK_H
#define BALLOT_PORTAL_RECEIPT_BLOCK_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/history.h"
#include "ballot/receipt.h"
#include "ballot/reply.h"
#include "portal/request.h"

/* The signed receipt of event seq (ballot/receipt.h) as the answer: 0, and info
 * (may be NULL) says what it receipts; else an error page (404: no such
 * event, or not a reply, withdrawal or decision) and -1. */
int portal_receipt_issue(preq *r, int64_t seq, bt_receipt *info);
/* Its file name: "receipt-<circular>-<reply id>.json" (the administration's
 * download), by_event: "receipt-<circular>-event-<seq>.json" (the
 * secretariat's). */
void portal_receipt_name(char *out, size_t n, const char *circular, int64_t id, int by_event);

/* Receipt section of one recorded reply (shared by both reply pages), with
 * the link to its signed receipt (for r's role). */
void html_receipt(preq *r, const bt_reply_result *res, const char *circular,
		  const bt_reply_spec *spec, const char *signatory, const char *title,
		  bt_time recorded_at);

/* The receipt section of item i of h (a reply or withdrawal of circular;
 * h: the history of circular, of its member or everyone's), as
 * html_receipt shows it after the POST that recorded it (the notes: late,
 * replaces an earlier reply, no reasons, the late entry's reason), then its
 * files: -1 with e when its event cannot be read. */
int html_receipt_item(preq *r, const char *circular, const bt_history *h, size_t i, bt_err *e);

#endif
