/* page_member_pdf.h - an administration's returned Annex 2 form (PDF)
 * uploaded to pre-fill its reply form (page_member_pdf.c): read and
 * checked as `ballot reply --from-pdf` reads and checks it, kept
 * server-side (returned.h), and shown as the reply form filled in, which the
 * administration confirms with the form's own button (once.h). */
#ifndef BALLOT_PORTAL_PAGE_MEMBER_PDF_H
#define BALLOT_PORTAL_PAGE_MEMBER_PDF_H

#include "portal/request.h"

/* POST /member/c/CIRCULAR/from-pdf (field "pdf"): the form read, checked
 * (its reference names this circular and the administration, issued for
 * the drafts as they are; one choice ticked per draft, each a draft of
 * the circular; a signature, when there is one, valid and nothing changed
 * after it) and kept, then 303 to the GET page. Refused: the reply form
 * page again, the sentence next to the upload field; nothing kept. */
int page_member_pdf_upload(preq *r, const char *circular);
/* GET /member/c/CIRCULAR/from-pdf: the reply form filled in from the form
 * kept for this session (choices, signatory, title; the PDF named as the
 * file each reply keeps); without one (never uploaded, 30 minutes passed,
 * already recorded) the reply form with that said next to the upload
 * field. */
int page_member_pdf_form(preq *r, const char *circular);

#endif
