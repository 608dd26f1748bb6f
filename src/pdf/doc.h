/* doc.h - PDF documents with libharu: fonts by Unicode range (embedded per
 * document, embed.h), text laid out
 * in lines (Latin by words, Chinese by character, Arabic shaped with
 * HarfBuzz and ordered right to left with fribidi), boxes, QR codes, a
 * tagged structure (headings, paragraphs; graphics as artifacts), and
 * byte-identical output.
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

/* The directory of the font files ({fonts}/ in fonts.tsv): $BALLOT_FONTS,
 * else /usr/share/fonts. */
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

/* Sets the document's language (lang: en fr es ru zh ar; the catalog's
 * /Lang as a BCP 47 tag), its title, subject and author (Info, UTF-16),
 * and the viewer preferences DisplayDocTitle (and Direction R2L for a
 * right-to-left document); no dates. */
int pdf_doc_info(pdf_doc *d, const char *lang, const char *title,
		 const char *subject, const char *author, bt_err *e);

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

/* The structure type (tagged PDF: "H1", "P", "TH", "TD", ...; a static
 * string) of the text the next pdf_text draws (calls that only measure
 * leave it); without it, the type
 * follows the style: bold 14 pt and more H1, bold 11.5 pt and more H2, gray
 * text (the footer) an artifact, anything else P. */
void pdf_tag_next(pdf_doc *d, const char *type);
/* pdf_tag_next's type for text that is an artifact (a repeated table
 * header, a "continued" line: pagination). */
#define PDF_TAG_ARTIFACT ""

/* Opens a structure element of type (a static string: "Table", "TR",
 * "TD", ...) as a child of the innermost open one (else of the Document
 * element): the elements made until the matching pdf_tag_end are its
 * children. At most PDF_TAG_DEPTH open at once (BT_EFAIL beyond, or when
 * out of memory). */
#define PDF_TAG_DEPTH 8
int pdf_tag_begin(pdf_doc *d, const char *type, bt_err *e);
/* Closes the innermost element pdf_tag_begin opened. */
void pdf_tag_end(pdf_doc *d);

/* Widget annotation annot (an indirect object) of page in the structure
 * (PDF/UA): a Form element of the Document element holding an object
 * reference to it, the widget's /StructParent its key in the parent tree
 * (after the pages'); the page's tab order follows the structure (/Tabs
 * /S). Call once every page is drawn. Nothing when the document has no
 * structure tree; BT_EFAIL when out of memory. */
int pdf_tag_widget(pdf_doc *d, HPDF_Dict annot, HPDF_Page page, bt_err *e);

/* Lays out text (paragraphs separated by \n) in the box of the given width
 * whose top-left (logical) corner is x, y, and draws it when draw is 1:
 * drawn text is one structure element of the document's tagged structure
 * (its type: pdf_tag_next, else by the style) with one marked-content
 * sequence.
 * *height receives the height used. BT_EINPUT when a character has no font
 * or no glyph in its font: the message names field, the text and the code
 * point (field may be e.g. "member name 'XYZ'"); stored text goes through
 * pdf_text_fix first (below). An Arabic letter whose joined form the fonts
 * lack is drawn unjoined. */
int pdf_text(pdf_doc *d, const char *text, float x, float y, float width,
	     const pdf_style *st, int draw, const char *field, float *height,
	     bt_err *e);

/* Whose text is printed, and what happens to a character no font can
 * print (one no installed font covers, one beyond U+FFFF, which the font
 * table cannot name, a control character):
 * - the program's own words (templates, name overrides): pdf_text refuses
 *   it, as above;
 * - text the secretariat enters (a draft's title): pdf_text_check refuses it
 *   when it is entered, before anything is stored;
 * - text already stored (what an administration sent: attachment names,
 *   signatories; titles and names stored under another font table): it is
 *   never refused; pdf_text_fix replaces the character by the mark, and the
 *   document says so. */

/* BT_EINPUT naming field, the code point and the text when a character of
 * text cannot be printed in every style (or text is not UTF-8). */
int pdf_text_check(pdf_fonts *f, const char *text, const char *field,
		   bt_err *e);

/* Appends text to out with every character that cannot be printed (and
 * every byte that is not UTF-8, every control character, newlines too)
 * replaced by the mark (pdf_fonts_mark), between two U+200E LEFT-TO-RIGHT
 * MARKs (U+200F for a right-to-left letter) when it replaces a letter, so the
 * text keeps its direction; *replaced counts them (0: text appended as it
 * is). More than PDF_FIX_MAX (4000) bytes end in U+2026 (the
 * engine stores less). BT_EINPUT when a font cannot be loaded, BT_EFAIL when
 * out is full. */
int pdf_text_fix(pdf_fonts *f, const char *text, bt_buf *out,
		 size_t *replaced, bt_err *e);

/* The mark as UTF-8: U+25A1 WHITE SQUARE when a font has it (Liberation
 * Sans), else '?', else "". */
int pdf_fonts_mark(pdf_fonts *f, char out[5], bt_err *e);

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
 * its top-left (logical) corner at x, y: a Figure of the structure whose
 * alternate text (/Alt) is alt, or, alt NULL, an artifact. */
int pdf_qr(pdf_doc *d, const char *text, float x, float y, float side,
	   const char *alt, bt_err *e);

/* The finished PDF bytes (replacing out's contents). */
int pdf_doc_bytes(pdf_doc *d, bt_buf *out, bt_err *e);

/* d's libharu document, for objects doc.c does not make (the form's fields,
 * acroform.h); its errors reach d's error handler. */
HPDF_Doc pdf_doc_haru(pdf_doc *d);

/* The face of d's fonts (fonts.tsv) that draws code point c in the regular
 * style, for a font doc.c does not embed itself (the form's /DR font,
 * acroform.c); NULL when no font has c, or (e set) one cannot be read. */
const struct pdf_face *pdf_doc_face(pdf_doc *d, uint32_t c, bt_err *e);

/* text as a PDF text string object of d's (ISO 32000-1, 7.9.2.2): a literal
 * string in PDFDocEncoding when every character has a byte there, else
 * UTF-16BE after its byte order mark as a hex string. NULL when out of
 * memory. */
void *pdf_text_string(pdf_doc *d, const char *text);

#endif
