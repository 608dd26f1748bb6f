/* receipt_pdf.h - the signed receipt of a reply, withdrawal or decision as
 * a PDF in one of the six languages (receipt_pdf.c): what the receipt says
 * (circular, member, the draft and the choice, received and recorded times
 * in ISO 8601 UTC, channel, signatory, attachments with their SHA-256, the
 * event and its chain hash, the key and the signature), how to verify it,
 * and a QR code of its verification data. Rendered from the receipt's JSON
 * alone: the same receipt gives the same bytes. */
#ifndef BALLOT_PDF_RECEIPT_PDF_H
#define BALLOT_PDF_RECEIPT_PDF_H
#include <stddef.h>
#include <stdint.h>
#include "ballot/ballot.h"
#include "pdf/doc.h"
#include "pdf/lang.h"

/* Loads the words of the receipt (forms_dir/receipt/<lang>.txt) and the
 * Member State names of lang; BT_EINPUT naming file, line and key when the
 * template is wrong, or the language when it is not one of the six. */
int receipt_pdf_lang_load(const char *forms_dir, const char *lang, pdf_words **out, bt_err *e);

/* What a receipt document is made from. */
typedef struct receipt_pdf_in {
	const char *json;        /* the signed receipt (bt_receipt_issue) */
	size_t len;
	const char *member_name; /* the member's English name, or NULL */
	const char *json_name;   /* the receipt's JSON file name, for the
				    command that verifies it */
} receipt_pdf_in;

/* Renders the receipt in in->json into out (PDF bytes, replacing out's
 * contents). BT_EINPUT when the JSON is not a receipt (jsonread.h). */
int receipt_pdf_render(pdf_fonts *fonts, const pdf_words *w, const receipt_pdf_in *in, pdf_paper paper,
		       bt_buf *out, bt_err *e);

/* The PDF receipt of event seq in lang (a code of pdf_langs): issues the
 * signed receipt with key (bt_receipt_issue), then renders it with the
 * member's name from db; json_name as in receipt_pdf_in. The errors of
 * bt_receipt_issue (not found: no such event, or not a reply, withdrawal
 * or decision), and BT_EINPUT naming "lang" for an unknown language. */
int receipt_pdf_build(bt_db *db, int64_t seq, const bt_key *key, const char *lang, const char *json_name,
		      bt_buf *out, bt_err *e);

#endif
