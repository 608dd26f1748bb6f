/* pack.h - a finished PDF rewritten with object streams (libqpdf). */
#ifndef BALLOT_PDF_PACK_H
#define BALLOT_PDF_PACK_H
#include "ballot/buf.h"
#include "ballot/err.h"

/* Rewrites the PDF in pdf (libharu's output) with its objects other than
 * streams gathered into compressed object streams and a cross-reference
 * stream (PDF 1.5), as pdf_fields_apply writes the Annex 2: libharu writes
 * each object on its own, uncompressed (the structure tree, the fonts'
 * dictionaries, the widths). The streams are kept as they are; the /ID is
 * qpdf's deterministic one, so the same input gives the same bytes.
 * BT_EFAIL naming libqpdf's error when it cannot be read or written (pdf
 * keeps its bytes then), or when the result exceeds pdf's size cap or
 * memory runs out (pdf released, as bt_buf_add does). */
int pdf_pack(bt_buf *pdf, bt_err *e);

#endif
