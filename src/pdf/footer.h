/* footer.h - the footer every page of a document carries. */
#ifndef BALLOT_PDF_FOOTER_H
#define BALLOT_PDF_FOOTER_H
#include "pdf/doc.h"
#include "pdf/lang.h"

/* Draws, on every page of d, a rule above the band whose top is `top`
 * (points from the page's top) between x and x + width; the QR code of qr
 * followed by the page's number (PDF_QR_PAGE: "ballot:...:p2", so a scan
 * of the page knows it) (when not NULL) at the start, then left (already
 * in words); "page X of Y" (the template's key `page`) at the end. Called
 * once all pages exist. */
#define PDF_QR_PAGE ":p%d"
int pdf_footers(pdf_doc *d, const pdf_words *w, float x, float top,
		float width, const char *left, const char *qr, bt_err *e);

/* The side (points) of the QR code pdf_footers draws for qr (with a
 * page number up to 99): modules of 1 mm or more, with doc.c's quiet zone of 4 modules. */
float pdf_qr_side(const char *qr);

#endif
