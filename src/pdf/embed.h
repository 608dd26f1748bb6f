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

/* 1 when code point c belongs to a script whose letters change shape
 * with their neighbours (Arabic, Syriac, Hebrew marks, the Indic scripts,
 * ...): text in such a script is shaped with HarfBuzz (pdf_face_shape)
 * rather than drawn character by character. */
int pdf_complex(uint32_t c);

/* 1 when c is a non-spacing mark (Unicode category Mn: Arabic vowel
 * signs, the shadda, ...). */
int pdf_mark(uint32_t c);

/* One glyph of shaped text: its glyph id in the face, the index (in the
 * text given to pdf_face_shape) of the first character of its cluster, its
 * advance and its offsets from the pen, in 1/1000 em. */
typedef struct pdf_glyph {
	unsigned gid;
	int cluster;
	float adv, xo, yo;
} pdf_glyph;

/* Shapes text[start, start + n) with HarfBuzz (hb_shape: the font's GSUB
 * and GPOS; the rest of text[0, len) is context for joining), right to left
 * when rtl. Writes the glyphs in visual order (left to right) to out and
 * returns their number; -1 when there are more than max, or out of memory.
 * Safe from several threads at once. */
int pdf_face_shape(const pdf_face *f, const uint32_t *text, int len,
		   int start, int n, int rtl, pdf_glyph *out, int max);

/* One face used by one document. */
typedef struct pdf_embed pdf_embed;

/* A new, still empty font of document h (its Type0 dictionary is added to
 * the document at once, so pages can name it). NULL when out of memory. */
pdf_embed *pdf_embed_new(HPDF_Doc h, const pdf_face *face);
void pdf_embed_free(pdf_embed *m);

/* The Type0 font dictionary, for a page's /Font resources. */
HPDF_Dict pdf_embed_dict(const pdf_embed *m);

/* The CID (1..65535) that draws code point c (through the face's cmap),
 * given a CID on first use; text (n code points, 1..PDF_TEXT_MAX) is what
 * the CID reads back as (the ToUnicode CMap). 0 when c has no glyph in the
 * face or the document has used 65535 CIDs of it. The same CID as
 * pdf_embed_glyph for the same glyph and text. */
unsigned pdf_embed_cid(pdf_embed *m, uint32_t c, const uint32_t *text,
		       int n);

/* The most code points one CID reads back as (a ligature and its marks). */
#define PDF_TEXT_MAX 16

/* The CID (1..65535) that draws glyph gid of the face with advance width
 * (1/1000 em, the font's W; -1: the glyph's own, pdf_face_width) and reads
 * back as
 * text (n code points, 0..PDF_TEXT_MAX; 0: reads as nothing, a mark whose
 * character another glyph of its cluster gives), given on first use of
 * that glyph with that width and text: CIDs are keyed by glyph (a shaped
 * glyph's width is the advance HarfBuzz gave it, so a reader's text boxes
 * match what is drawn), so shaped glyphs
 * (contextual forms, ligatures, marks) and characters beyond U+FFFF have
 * theirs. 0 when gid is not a glyph of the face, n is out of range, or the
 * document has used 65535 of them. */
unsigned pdf_embed_glyph(pdf_embed *m, unsigned gid, int width,
			 const uint32_t *text, int n);

/* Subsets the face to the glyphs used and writes the font's objects into
 * the document (once; nothing when no CID was given). Same CIDs, same
 * bytes. BT_EFAIL when HarfBuzz or libharu fails. */
int pdf_embed_finish(pdf_embed *m, bt_err *e);

#endif
