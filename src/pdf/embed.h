/* embed.h - the fonts of the PDF documents, read by HarfBuzz and embedded
 * per document: each document keeps the glyphs it draws, numbered in the
 * order of first use (its CIDs), and when it is saved hb-subset cuts the
 * font file down to exactly those glyphs, embedded as a Type0 font
 * (CIDFontType2, Identity-H) with its widths, a CIDToGIDMap and a ToUnicode
 * CMap that maps every CID back to the text it stands for.
 *
 * libharu 2.3.0 only carries the objects and the content streams: its own
 * TrueType loader (its cmap walk, its subsetter, its invalid ToUnicode
 * CMaps, its composite-glyph bugs) is never used.
 */
#ifndef BALLOT_PDF_EMBED_H
#define BALLOT_PDF_EMBED_H
#include <stddef.h>
#include <stdint.h>
#include <hpdf.h>
#include "ballot/err.h"

/* One font file (a face of a .ttc collection), shared read-only by every
 * document and thread once opened. */
typedef struct pdf_face pdf_face;

/* Opens face index of the TrueType file at path. BT_EINPUT naming the file
 * when it cannot be read or has no TrueType outlines (glyf). */
int pdf_face_open(const char *path, int index, pdf_face **out, bt_err *e);
void pdf_face_free(pdf_face *f);

/* The glyph of code point c in the face's cmap; 0 when it has none. */
unsigned pdf_face_glyph(const pdf_face *f, uint32_t c);

/* The advance width of glyph gid in 1/1000 em (the unit of the PDF's W
 * array and of the layout). */
int pdf_face_width(const pdf_face *f, unsigned gid);

/* One face used by one document. */
typedef struct pdf_embed pdf_embed;

/* A new, still empty font of document h (its Type0 dictionary is added to
 * the document at once, so pages can name it). NULL when out of memory. */
pdf_embed *pdf_embed_new(HPDF_Doc h, const pdf_face *face);
void pdf_embed_free(pdf_embed *m);

/* The Type0 font dictionary, for a page's /Font resources. */
HPDF_Dict pdf_embed_dict(const pdf_embed *m);

/* The CID (1..65535) that draws code point c, given a CID on first use;
 * text (n code points, 1 or 2: a ligature of two letters) is what the CID
 * reads back as (the ToUnicode CMap). 0 when c has no glyph in the face or
 * the document has used 65535 distinct characters of it. */
unsigned pdf_embed_cid(pdf_embed *m, uint32_t c, const uint32_t *text,
		       int n);

/* Subsets the face to the glyphs used and writes the font's objects into
 * the document (once; nothing when no CID was given). Same CIDs, same
 * bytes. BT_EFAIL when HarfBuzz or libharu fails. */
int pdf_embed_finish(pdf_embed *m, bt_err *e);

#endif
