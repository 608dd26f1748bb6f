/* doc_links.h - the links to the documents a page offers for download
 * (doc_links.c): a receipt as PDF, a draft's text. Shared by the pages. */
#ifndef BALLOT_PORTAL_DOC_LINKS_H
#define BALLOT_PORTAL_DOC_LINKS_H

#include <stdint.h>
#include "ballot/draft.h"
#include "portal/request.h"

/* Appends " · <a class="receipt-pdf" href="PREFIX<id>.pdf">Receipt (PDF)</a>"
 * (prefix: "/member/receipt/" with a reply number, "/secretariat/receipt/"
 * with an event number). */
void html_receipt_pdf_link(preq *r, const char *prefix, int64_t id);

/* When the text of draft dr of circular is kept, appends the paragraph of
 * its download link (AREA/c/<circular>/draft/<rec>/text, area "/member"
 * or "/secretariat") with its size; nothing for a draft with its SHA-256
 * alone (no text, or added before texts were kept). */
void html_draft_text_link(preq *r, const char *area, const char *circular, const bt_draft *dr);

/* Appends the list items of the secretariat's import (TSV) and publish
 * pages of circular. */
void html_staff_import_publish_links(preq *r, const char *circular);

#endif
