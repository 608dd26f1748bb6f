/* doc.h - PDF documents with libharu: fonts by Unicode range, text laid out
 * in lines (Latin by words, Chinese by character, Arabic shaped and ordered
 * right to left with fribidi), boxes, QR codes, and byte-identical output.
 *
 * Coordinates are in points from the top-left corner of the page, in the
 * logical direction of the document: in a right-to-left document x runs from
 * the right edge, so one layout gives the mirrored page.
 */
#ifndef BALLOT_PDF_DOC_H
#define BALLOT_PDF_DOC_H
#include <stddef.h>
#include <stdint.h>
#include <hpdf.h>
#include "ballot/buf.h"
#include "ballot/err.h"

typedef struct pdf_fonts pdf_fonts;

/* Reads the font table forms_dir/fonts.tsv and checks that every font file
 * exists (BT_EINPUT naming the file and its Debian package otherwise). */
int pdf_fonts_load(const char *forms_dir, pdf_fonts **out, bt_err *e);
void pdf_fonts_free(pdf_fonts *f);

/* The directory of the subset fonts made by `make` ({fonts}/ in
 * fonts.tsv): $BALLOT_FONTS, else the one built in. */
const char *pdf_fonts_dir(void);

typedef enum { PDF_A4, PDF_LETTER } pdf_paper;

/* Parses "a4" or "letter"; BT_EINPUT naming --paper otherwise. */
int pdf_paper_parse(const char *s, pdf_paper *out, bt_err *e);

typedef struct pdf_doc pdf_doc;

/* A new empty document. rtl: right-to-left (Arabic). */
int pdf_doc_new(const pdf_fonts *fonts, pdf_paper paper, int rtl,
		pdf_doc **out, bt_err *e);
void pdf_doc_free(pdf_doc *d);
float pdf_page_width(const pdf_doc *d);
float pdf_page_height(const pdf_doc *d);

/* Sets the document's title and subject (Info dictionary); no dates. */
int pdf_doc_info(pdf_doc *d, const char *title, const char *subject,
		 bt_err *e);

/* Starts a new page; pages are numbered from 1. */
int pdf_page_add(pdf_doc *d, bt_err *e);
/* Number of pages so far; pdf_page_select(d, n) makes page n current. */
int pdf_page_count(const pdf_doc *d);
int pdf_page_select(pdf_doc *d, int n, bt_err *e);

enum { PDF_START = 0, PDF_CENTER = 1, PDF_END = 2 };
typedef struct pdf_style {
	float size;  /* points */
	int bold;
	int align;   /* PDF_START, PDF_CENTER, PDF_END (of the box) */
	float gray;  /* 0 black .. 1 white */
} pdf_style;

/* Lays out text (paragraphs separated by \n) in the box of the given width
 * whose top-left (logical) corner is x, y, and draws it when draw is 1.
 * *height receives the height used. BT_EINPUT when a character has no font
 * or no glyph in its font: the message names field, the text and the code
 * point (field may be e.g. "member name 'XYZ'"). */
int pdf_text(pdf_doc *d, const char *text, float x, float y, float width,
	     const pdf_style *st, int draw, const char *field, float *height,
	     bt_err *e);

/* Width of text on one line (no wrapping), in points. */
int pdf_text_width(pdf_doc *d, const char *text, const pdf_style *st,
		   const char *field, float *width, bt_err *e);

/* Strokes a rectangle (logical x, y top-left, w, h); fill: gray level of
 * the fill, or -1 for none. */
void pdf_rect(pdf_doc *d, float x, float y, float w, float h, float line,
	      float fill);
/* Strokes a circle centred at (logical) cx, cy. */
void pdf_circle(pdf_doc *d, float cx, float cy, float r, float line);
/* Draws a line. */
void pdf_line(pdf_doc *d, float x1, float y1, float x2, float y2, float line);

/* Draws text as a QR code (libqrencode, level M) of side `side` points with
 * its top-left (logical) corner at x, y. */
int pdf_qr(pdf_doc *d, const char *text, float x, float y, float side,
	   bt_err *e);

/* The finished PDF bytes (replacing out's contents). */
int pdf_doc_bytes(pdf_doc *d, bt_buf *out, bt_err *e);

#endif
