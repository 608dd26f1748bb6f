/* pack.h - a finished PDF rewritten with object streams. */
#ifndef BALLOT_PDF_PACK_H
#define BALLOT_PDF_PACK_H
#include "ballot/buf.h"
#include "ballot/err.h"

/* Rewrites the PDF in pdf (libharu's output, read by its cross-reference
 * table: no general PDF parser) as PDF 1.5: every object other than a
 * stream tightened into one compressed object stream, every stream with a
 * direct /Length, those libharu left unfiltered compressed (zlib) when that
 * saves bytes (the compressed bytes of recent large streams are reused:
 * a circular's forms embed the same font subsets), and a compressed
 * cross-reference stream whose /ID is a SHA-256 of the objects, so the same
 * input gives the same bytes. BT_EFAIL when pdf is not laid out as libharu
 * writes (pdf keeps its bytes then), or when the result exceeds pdf's size
 * cap or memory runs out (pdf released, as bt_buf_add does). Thread-safe. */
int pdf_pack(bt_buf *pdf, bt_err *e);

#endif
