/* sfnt.h - a TrueType font file (as hb-subset writes it) with its glyphs
 * put in another order: embed.c gives each CID the glyph of the same
 * number, so the CIDFont's /CIDToGIDMap is /Identity and no map stream is
 * written (two bytes a CID and a stream object, some 120 bytes a font once
 * compressed). */
#ifndef BALLOT_PDF_SFNT_H
#define BALLOT_PDF_SFNT_H
#include <stddef.h>

/* A copy of the TrueType font data[0, len) whose glyph k is the font's
 * glyph order[k] (order: a permutation of 0 .. count - 1, count the font's
 * number of glyphs, maxp), into *out (malloc'ed, *outlen bytes): glyf
 * and loca rewritten in the new order (composite glyphs' components
 * renumbered; loca short when the glyphs fit, head's indexToLocFormat to
 * match), hmtx in the new order (hhea's numberOfHMetrics to match), the
 * other tables as they are, every checksum and head's checkSumAdjustment
 * computed again. -1 (nothing written) when data is not such a font (a
 * table missing or out of bounds, a glyph or component out of range), order
 * is not a permutation, or out of memory. */
int pdf_sfnt_reorder(const unsigned char *data, size_t len,
		     const unsigned *order, unsigned count,
		     unsigned char **out, size_t *outlen);

#endif
