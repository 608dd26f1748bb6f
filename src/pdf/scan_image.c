/* scan_image.c - a scan's pages as grey images: PNG (libpng), JPEG
 * (libjpeg), TIFF (libtiff, every page: one-bit fax G3/G4 too), PDF
 * (poppler-glib over cairo, every page at 200 dpi). scan.h. */
#include "pdf/scan.h"
#include "pdf/pdfread.h"

#include <stdio.h> /* before jpeglib.h, which needs FILE */
#include <jpeglib.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <pthread.h>
#include <poppler.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#define PDF_DPI 200.0

void scan_pages_free(scan_pages *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].px);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* 1 when a page of w x h pixels fits what p may still hold; else 0, the
 * size kept in p (the first refused) when it is over the bounds. */
static int page_fits(scan_pages *p, long w, long h)
{
	if (w <= 0 || h <= 0)
		return 0;
	if (w <= SCAN_PAGE_PIXELS / h && w * h <= p->left)
		return 1;
	if (!p->over_w)
		p->over_w = w, p->over_h = h;
	return 0;
}

/* A new page of w x h pixels at the end of p: NULL when out of memory or
 * over the bounds (page_fits). */
static scan_image *page_add(scan_pages *p, long w, long h)
{
	if (!page_fits(p, w, h))
		return NULL;
	scan_image *v = realloc(p->v, (p->n + 1) * sizeof *v);
	if (!v)
		return NULL;
	p->v = v;
	scan_image *im = &v[p->n];
	im->px = malloc((size_t)(w * h));
	if (!im->px)
		return NULL;
	im->w = (int)w;
	im->h = (int)h;
	im->xres = im->yres = 0;
	p->n++;
	p->left -= w * h;
	return im;
}

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		(uint32_t)b[2] << 8 | b[3];
}

/* The resolution a PNG file's pHYs chunk gives (pixels per unit across and
 * down) into im, when it has one before its image data (libpng's simple
 * API does not say). */
static void png_res(const char *path, scan_image *im)
{
	FILE *f = fopen(path, "rb");
	unsigned char c[8 + 9];
	if (!f || fseek(f, 8, SEEK_SET)) {
		if (f)
			fclose(f);
		return;
	}
	while (fread(c, 1, 8, f) == 8 && memcmp(c + 4, "IDAT", 4)) {
		uint32_t len = be32(c);
		if (!memcmp(c + 4, "pHYs", 4) && len == 9 &&
		    fread(c + 8, 1, 9, f) == 9) {
			im->xres = be32(c + 8);
			im->yres = be32(c + 12);
			break;
		}
		if (len > 0x7fffffff || fseek(f, (long)len + 4, SEEK_CUR))
			break;
	}
	fclose(f);
}

static int load_png(const char *path, scan_pages *out)
{
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, path))
		return -1;
	pi.format = PNG_FORMAT_GRAY;
	scan_image *im = page_add(out, pi.width, pi.height);
	if (!im || !png_image_finish_read(&pi, NULL, im->px, 0, NULL)) {
		png_image_free(&pi);
		return -1;
	}
	png_res(path, im);
	return 0;
}

struct jerr {
	struct jpeg_error_mgr mgr;
	jmp_buf jb;
};

static void jpeg_fail(j_common_ptr c)
{
	longjmp(((struct jerr *)c->err)->jb, 1);
}

/* libjpeg's warnings ("Corrupt JPEG data: ...") are not printed: the
 * reader's one line says what came of the file. */
static void jpeg_quiet(j_common_ptr c)
{
	(void)c;
}

static int load_jpeg(const char *path, scan_pages *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct jpeg_decompress_struct c;
	struct jerr je;
	c.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jpeg_fail;
	je.mgr.output_message = jpeg_quiet;
	if (setjmp(je.jb)) {
		jpeg_destroy_decompress(&c);
		fclose(f);
		return -1;
	}
	jpeg_create_decompress(&c);
	jpeg_stdio_src(&c, f);
	jpeg_read_header(&c, TRUE);
	c.out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(&c);
	scan_image *im = page_add(out, c.output_width, c.output_height);
	if (!im)
		longjmp(je.jb, 1);
	im->xres = c.X_density; /* JFIF's, an aspect ratio when unit 0 */
	im->yres = c.Y_density;
	while (c.output_scanline < c.output_height) {
		JSAMPROW row = im->px + (size_t)c.output_scanline * (size_t)im->w;
		jpeg_read_scanlines(&c, &row, 1);
	}
	jpeg_finish_decompress(&c);
	jpeg_destroy_decompress(&c);
	fclose(f);
	return 0;
}

static void tiff_quiet(const char *m, const char *fmt, va_list ap)
{
	(void)m, (void)fmt, (void)ap;
}

static pthread_once_t tiff_once = PTHREAD_ONCE_INIT;

static void tiff_hush(void)
{
	TIFFSetWarningHandler(tiff_quiet);
	TIFFSetErrorHandler(tiff_quiet);
}

void scan_tiff_quiet(void)
{
	pthread_once(&tiff_once, tiff_hush);
}

/* The grey of one RGBA pixel. */
static unsigned char grey(uint32_t p)
{
	return (unsigned char)((TIFFGetR(p) * 30 + TIFFGetG(p) * 59 +
				TIFFGetB(p) * 11) / 100);
}

/* rgba (w x h, the rows as stored) as the page it shows into im (h x w)
 * for the TIFF orientations whose rows are the page's columns (5-8:
 * LEFTTOP, RIGHTTOP, RIGHTBOT, LEFTBOT: stored row r is the page's column
 * r from the left, or from the right for 6 and 7; stored column c is the
 * page's row c from the top, or from the bottom for 7 and 8). */
static void transposed(const uint32_t *rgba, uint32_t w, uint32_t h,
		       uint16_t orient, scan_image *im)
{
	int right = orient == ORIENTATION_RIGHTTOP ||
		orient == ORIENTATION_RIGHTBOT;
	int bottom = orient == ORIENTATION_RIGHTBOT ||
		orient == ORIENTATION_LEFTBOT;
	for (size_t r = 0; r < h; r++)
		for (size_t c = 0; c < w; c++) {
			size_t x = right ? h - 1 - r : r;
			size_t y = bottom ? w - 1 - c : c;
			im->px[y * h + x] = grey(rgba[r * w + c]);
		}
}

/* One TIFF directory's image into out, upright: libtiff turns the
 * orientations 1-4 (flips) itself; 5-8 it reads as 1-4, so those are read
 * as stored and turned here (the resolutions swapped with the axes). */
static int tiff_page(TIFF *t, scan_pages *out)
{
	uint32_t w = 0, h = 0;
	uint16_t orient = ORIENTATION_TOPLEFT;
	float xres = 0, yres = 0;
	TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetField(t, TIFFTAG_XRESOLUTION, &xres);
	TIFFGetField(t, TIFFTAG_YRESOLUTION, &yres);
	TIFFGetFieldDefaulted(t, TIFFTAG_ORIENTATION, &orient);
	int turn = orient >= ORIENTATION_LEFTTOP && orient <= ORIENTATION_LEFTBOT;
	uint32_t *rgba = page_fits(out, (long)w, (long)h) ? malloc((size_t)w * h * 4) : NULL;
	scan_image *im = rgba ? (turn ? page_add(out, h, w) :
				 page_add(out, w, h)) : NULL;
	int rc = 0;
	if (!im || !TIFFReadRGBAImageOriented(t, w, h, rgba, turn ? orient :
					      ORIENTATION_TOPLEFT, 0))
		rc = -1;
	if (rc == 0 && turn) {
		transposed(rgba, w, h, orient, im);
		im->xres = yres, im->yres = xres;
	} else if (rc == 0) {
		for (size_t i = 0; i < (size_t)w * h; i++)
			im->px[i] = grey(rgba[i]);
		im->xres = xres, im->yres = yres;
	}
	free(rgba);
	return rc;
}

static int load_tiff(const char *path, scan_pages *out)
{
	scan_tiff_quiet();
	TIFF *t = TIFFOpen(path, "r");
	if (!t)
		return -1;
	int rc = 0;
	do
		rc = tiff_page(t, out);
	while (rc == 0 && TIFFReadDirectory(t));
	TIFFClose(t);
	return rc;
}

/* One PDF page rendered on white at PDF_DPI. */
static int pdf_page(PopplerPage *pg, scan_pages *out)
{
	double pw, ph, k = PDF_DPI / 72.0;
	poppler_page_get_size(pg, &pw, &ph);
	if (!(pw > 0 && ph > 0 && pw * k < 1e6 && ph * k < 1e6) || !page_fits(out, lround(pw * k), lround(ph * k)))
		return -1; /* before the surface: a page of 200 x 200 inches is 1.6 GB */
	int w = (int)(pw * k + 0.5), h = (int)(ph * k + 0.5);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		return -1;
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, k, k);
	poppler_page_render_for_printing(pg, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	scan_image *im = page_add(out, w, h);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; im && y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *p = d + (size_t)y * (size_t)stride + (size_t)x * 4;
			im->px[(size_t)y * (size_t)w + (size_t)x] =
				(unsigned char)((p[2] * 30 + p[1] * 59 + p[0] * 11) / 100);
		}
	cairo_surface_destroy(s);
	return im ? 0 : -1;
}

static int load_pdf(const char *path, scan_pages *out)
{
	char *uri = g_filename_to_uri(path, NULL, NULL);
	char *abs = NULL;
	if (!uri && path[0] != '/') { /* relative: make it absolute */
		char *cwd = g_get_current_dir();
		abs = g_build_filename(cwd, path, NULL);
		g_free(cwd);
		uri = g_filename_to_uri(abs, NULL, NULL);
	}
	g_free(abs);
	if (!uri)
		return -1;
	PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
	g_free(uri);
	if (!doc)
		return -1;
	long *img = NULL;
	int nimg = 0, rc = pdf_image_pixels(path, &img, &nimg), n = poppler_document_get_n_pages(doc);
	for (int i = 0; i < n && rc == 0; i++) {
		/* what its images decode to, before it is rendered */
		long px = i < nimg ? img[i] : LONG_MAX;
		if (px > SCAN_PAGE_PIXELS || px > out->images_left) {
			out->over_images = px, rc = -1;
			break;
		}
		out->images_left -= px;
		PopplerPage *pg = poppler_document_get_page(doc, i);
		rc = pg ? pdf_page(pg, out) : -1;
		if (pg)
			g_object_unref(pg);
	}
	free(img);
	g_object_unref(doc);
	return rc;
}

int scan_load(const char *path, const char *name, long max_pixels, scan_pages *out, bt_err *e)
{
	unsigned char m[8] = { 0 };
	memset(out, 0, sizeof *out);
	out->left = out->images_left = max_pixels > 0 ? max_pixels : LONG_MAX;
	FILE *f = fopen(path, "rb");
	if (!f)
		return bt_failf(e, BT_R_INPUT, "file", "cannot open '%s'", name);
	size_t n = fread(m, 1, sizeof m, f);
	fclose(f);
	int rc;
	const char *kind;
	if (n >= 8 && !memcmp(m, "\x89PNG", 4))
		kind = "PNG", rc = load_png(path, out);
	else if (n >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF)
		kind = "JPEG", rc = load_jpeg(path, out);
	else if (n >= 4 && (!memcmp(m, "II*\0", 4) || !memcmp(m, "MM\0*", 4)))
		kind = "TIFF", rc = load_tiff(path, out);
	else if (n >= 5 && !memcmp(m, "%PDF-", 5))
		kind = "PDF", rc = load_pdf(path, out);
	else
		return bt_failf(e, BT_R_INPUT, "file", "'%s' is not a PNG, TIFF, "
				"JPEG or PDF file", name);
	if (rc == 0 && out->n == 0)
		rc = -1;
	if (rc && out->over_images) {
		size_t page = out->n + 1;
		scan_pages_free(out);
		char all[48] = "";
		if (max_pixels > 0)
			snprintf(all, sizeof all, ", %ld million in all", max_pixels / 1000000);
		return bt_failf(e, BT_R_INPUT, "file", "'%s': page %zu draws images of %ld million pixels: at most %ld "
				"million a page are read%s", name, page, out->over_images / 1000000,
				SCAN_PAGE_PIXELS / 1000000, all);
	}
	if (rc && out->over_w) {
		size_t page = out->n + 1;
		scan_pages_free(out); /* (over_w, over_h kept) */
		char all[48] = "";
		if (max_pixels > 0)
			snprintf(all, sizeof all, ", %ld million in all", max_pixels / 1000000);
		return bt_failf(e, BT_R_INPUT, "file", "'%s': page %zu is %ld x %ld pixels: pages of at most %ld "
				"million pixels are read%s", name, page, out->over_w, out->over_h,
				SCAN_PAGE_PIXELS / 1000000, all);
	}
	if (rc) {
		scan_pages_free(out);
		return bt_failf(e, BT_R_INPUT, "file", "'%s': a damaged or "
				"unreadable %s file", name, kind);
	}
	return BT_OK;
}
