/* page_docs.h - documents to download (page_docs.c): a receipt as PDF in
 * the page's language, a draft's text as `draft add --text` stored it. An
 * administration gets only its own (403 otherwise, as its other pages);
 * the secretariat any. Each fills r's answer and returns 0. */
#ifndef BALLOT_PORTAL_PAGE_DOCS_H
#define BALLOT_PORTAL_PAGE_DOCS_H

#include "portal/request.h"

/* /member/receipt/ID.pdf: the PDF receipt of the administration's reply
 * number id (the signed receipt's PDF, receipt_pdf.h). */
int page_member_receipt_pdf(preq *r, const char *id);
/* /secretariat/receipt/SEQ.pdf: the PDF receipt of event seq. */
int page_secretariat_receipt_pdf(preq *r, const char *seq);
/* /member/c/CIRCULAR/draft/REC/text: the draft's text, checked against its
 * SHA-256; 404 when none is kept. */
int page_member_draft_text(preq *r, const char *seg);
/* /secretariat/c/CIRCULAR/draft/REC/text: the same for the secretariat. */
int page_secretariat_draft_text(preq *r, const char *seg);

#endif
