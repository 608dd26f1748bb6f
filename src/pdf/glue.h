/* glue.h - spaces a line must not break at: a unit that reads as one
 * ("ITU-T Q.5051", "23:59 UTC", "BHR Bahrain"). */
#ifndef BALLOT_PDF_GLUE_H
#define BALLOT_PDF_GLUE_H
#include <stdint.h>

/* 1 when the space u[i] (of the n code points of a paragraph, in logical
 * order) joins two parts of one unit and so must not end a line:
 * - after a word ending in "-T" (ITU-T, UIT-T, МСЭ-Т) and before a letter: the
 *   sector and its Recommendation's number;
 * - after a time "H:MM" or "HH:MM" and before "UTC";
 * - after a Member State's code (three capital letters, at the start of
 *   the text or after a space, '(', ',' or ';') and before a letter: the
 *   code and its name.
 * 0 for any other character or space. */
int pdf_glued_space(const uint32_t *u, int n, int i);

#endif
