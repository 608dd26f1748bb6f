/* scan.h - reading a returned Annex 2 form from a scan or a fax: its pages
 * as grey images (PNG, TIFF, JPEG; PDF pages rendered with poppler), the QR
 * code of each (libzbar), the registration marks in its corners, and the
 * tick boxes at the positions the form was drawn with (annex2_layout_get).
 * Nothing here prints: the CLI (src/cli/cmd_scan.c) does. */
#ifndef BALLOT_PDF_SCAN_H
#define BALLOT_PDF_SCAN_H
#include "ballot/buf.h"
#include "ballot/err.h"
#include "pdf/annex2.h"

/* One page: 8-bit grey, 0 black, row-major, w x h pixels; its resolution
 * across and down (dots per inch, or any unit alike: only their ratio is
 * used) as the file gives it, 0 when it gives none (square pixels). A fax
 * is 204 x 98: its pixels twice as tall as wide. */
typedef struct scan_image {
	int w, h;
	unsigned char *px;
	double xres, yres;
} scan_image;

/* The pixels of one page read at most: 600 dpi A3 and then some. */
#define SCAN_PAGE_PIXELS (12000L * 12000L)

/* The pages loaded; left: the pixels the pages still to come may hold,
 * over: the size of the first page refused for it (w x h, 0 when none). */
typedef struct scan_pages {
	scan_image *v;
	size_t n;
	long left;
	long over_w, over_h;
	long images_left;   /* a PDF's: the pixels its pages' images may hold */
	long over_images;   /* the images of the first page refused for them */
} scan_pages;

/* Loads every page of the file at path, name standing for it in messages
 * (PNG, TIFF with all its pages,
 * JPEG, PDF with all its pages rendered at 200 dpi), told apart by their
 * first bytes, with the resolution each gives (PNG pHYs, TIFF, JFIF), each
 * page at most SCAN_PAGE_PIXELS and all of them at most max_pixels (0: no
 * bound but the page's), checked before the page is decoded or rendered;
 * a PDF page's images (pdf_image_pixels: what rendering it decodes) at
 * most SCAN_PAGE_PIXELS and all of them at most max_pixels too.
 * BT_EINPUT naming field "file" when it is none of them, cannot be read
 * or has a page over those bounds (its size named, and kept in out's
 * over_w, over_h, or over_images); BT_EFAIL when out of memory. */
int scan_load(const char *path, const char *name, long max_pixels, scan_pages *out, bt_err *e);
void scan_pages_free(scan_pages *p);

/* libtiff's warnings and errors not printed (its handlers are the
 * process's: set once, from any thread). */
void scan_tiff_quiet(void);

/* The text of the page's QR code into text: 1 when one was found, 0 when
 * none (text untouched), -1 when out of memory. *turn: how far the page is
 * turned clockwise, in degrees (-180 to 180: 90 on its side, 180 upside
 * down), measured along the code's top edge in points (the image's
 * resolution per axis: on a fax an angle in pixels is about half the
 * page's); 0 when none was found. */
int scan_qr(const scan_image *im, bt_buf *text, double *turn);

/* Turns im by -turn degrees about its centre so the page stands upright:
 * quarter turns exactly (width and height swapped, and the resolutions),
 * the rest resampled within the same bounds, turned in points (a fax's
 * pixels are not square), white outside; a turn under SCAN_SKEW_KEPT
 * degrees is left as it is (scan_locate reads up to 3 degrees). 0, or -1
 * when out of memory (im unchanged). */
#define SCAN_SKEW_KEPT 1.5
int scan_upright(scan_image *im, double turn);

/* The skew (degrees off a quarter turn) up to which a page turned upright
 * is read (tests/e2e: 10 degrees read). */
#define SCAN_SKEW_READ 10

/* The page number a form's QR code text ends with (pdf/footer.h: ":p" and
 * the number), cut off text; 0 when it has none (a form made before 0.14:
 * text unchanged). */
int scan_qr_page(char *text);

/* Where a page of a form is in an image: the affine map from the page's
 * points (from its top-left corner) to the image's pixels. */
typedef struct scan_place {
	double a, b, c, d, tx, ty; /* x = a u + b v + tx, y = c u + d v + ty */
} scan_place;

/* Locates a page of w x h points in the image from its registration
 * marks (annex2.h: ANNEX2_REG_*), three corners at least: 1 when found. */
int scan_locate(const scan_image *im, float w, float h, scan_place *out);

/* How well the layout's boxes of page `page` line up with the image (the
 * share of their outlines found dark, 0 to 1; 0 when the page has none). */
double scan_fit(const scan_image *im, const scan_place *pl,
		const annex2_layout *lay, int page);

/* The share (0 to 1) of box b's inside that is marked. */
double scan_box_ink(const scan_image *im, const scan_place *pl,
		    const annex2_box *b);

/* The share (0 to 1) of the directions around box b in which a line is
 * drawn 2 to 6 points out of it: a box circled is near 1. */
double scan_box_ring(const scan_image *im, const scan_place *pl,
		     const annex2_box *b);

/* A draft's reading from the inks of its boxes (ink[i] inside and ring[i]
 * around the box of choice choices[i], n boxes): the choice ticked or
 * circled and a confidence (0 to 1), or BT_CHOICE_NONE with why (no box
 * ticked, several, another box has marks) when it cannot tell. */
bt_choice scan_decide(const double *ink, const double *ring,
		      const bt_choice *choices, size_t n, double *confidence,
		      const char **why);

#endif
