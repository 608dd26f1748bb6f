/* scan_read.h - the scan reader (scan_read.c): every page of a scanned or
 * faxed file (scan.h) read into the returned Annex 2 forms it holds - each
 * page's QR code names the form, the layout that fits it best gives its
 * tick boxes, and each draft gets a proposal (a choice with a confidence,
 * or uncertain with why). One reader for every front end: `ballot scan`,
 * `reply --from-scan`, `inbox accept` and mail fetch, the portal's upload
 * and its inbox. Nothing here prints; nothing is recorded. */
#ifndef BALLOT_PDF_SCAN_READ_H
#define BALLOT_PDF_SCAN_READ_H
#include <stddef.h>
#include "ballot/db.h"
#include "ballot/err.h"
#include "ballot/formref.h"
#include "pdf/doc.h"
#include "pdf/pdfread.h"

/* A draft of a form read: its choice (BT_CHOICE_NONE: uncertain, why
 * says why), the confidence (percent), found 0 when its boxes were on no
 * page read. why points to a static string. */
typedef struct scan_reading {
	char rec[BT_ID_MAX + 1];
	bt_choice choice;
	int confidence;
	const char *why;
	int found;
} scan_reading;

/* The bounds of a scan read unattended from anyone (the portal's uploads,
 * mail fetch): its pages, and their pixels in all, one byte each (8 pages
 * of A4 or letter at 300 dpi); the command line reads any scan the
 * secretariat gives it (SCAN_PAGE_PIXELS a page). */
#define SCAN_BOUNDED_PAGES 8
#define SCAN_BOUNDED_PIXELS 72000000L

/* why a draft whose page was read twice, with different ticks, is
 * uncertain */
#define SCAN_READ_TWICE "its page was read twice, ticked differently"

#define SCAN_FORM_PAGES 8 /* the pages of a form told (scan_form.pages) */

/* A form read: its reference (r parsed), the paper its layout fit ("A4",
 * "letter"; NULL when its boxes were not found), stale when issued for
 * another draft list, as_issued when that list was found (read with it:
 * added names the drafts added since, "Q.5053, Q.5054"), its drafts, and
 * its pages read (page 0: its boxes not found; turn in degrees). */
typedef struct scan_form {
	char ref[BT_FORM_REF_MAX];
	bt_form_ref r;
	const char *paper;
	int stale, as_issued;
	char added[160];
	scan_reading *v;
	size_t n;
	struct { int page; double turn; } pages[SCAN_FORM_PAGES];
	size_t npages;
} scan_form;

/* A page not read: the file's name as given, its number, why. */
typedef struct scan_unread {
	char *file;
	size_t page;
	char why[160];
} scan_unread;

/* What the files read hold, in the order read. */
typedef struct scan_result {
	scan_form *forms;
	size_t nforms;
	scan_unread *unread;
	size_t nunread;
	int too_large;       /* a file was refused for its pages' pixels */
} scan_result;

/* How to read: the database the QR codes' circulars, members and drafts
 * are looked up in, the fonts forms are laid out with (pdf_fonts_load),
 * the portal's URL when forms carry its reply-code box (NULL: none), the
 * most pages a file may have (0: any number) and the most pixels its pages
 * may hold in all (0: SCAN_PAGE_PIXELS a page, no bound in all). */
typedef struct scan_reader {
	bt_db *db;
	pdf_fonts *fonts;
	const char *portal_url;
	int max_pages;
	long max_pixels;
} scan_reader;

/* Reads every page of the file at path (PNG, TIFF, JPEG, PDF: scan_load),
 * name standing for it in res's unread pages, adding its forms (a form
 * whose pages are in several files is one) and the pages not read to res
 * (zeroed before the first file; scan_result_free frees it, also after a
 * failure). BT_EINPUT naming field "file" when the file is none of those
 * kinds or cannot be read, or has more than max_pages pages or pixels
 * over max_pixels (scan_load); BT_EFAIL when
 * out of memory. */
int scan_read_file(const scan_reader *rd, const char *path, const char *name, scan_result *res, bt_err *e);

/* As scan_read_file, the file's bytes (data, len) through a private
 * temporary file (in $TMPDIR, else /tmp), removed after. */
int scan_read_bytes(const scan_reader *rd, const char *name, const void *data, size_t len, scan_result *res,
		    bt_err *e);

/* Frees what res holds and zeroes it (read again after). */
void scan_result_free(scan_result *res);

/* The pages of the scan in data (a PDF's, a TIFF's; 1 for a PNG or a
 * JPEG), 0 when it is none of those kinds or cannot be read: a bound to
 * check before reading (rendering pages costs). */
int scan_count_pages(const void *data, size_t len);

/* The one form res holds as the fields of a filled PDF form (pdfread.h:
 * per draft the choice proposed, ticked 1; an uncertain row ticked 0 or,
 * several boxes ticked, 2, its states "uncertain: why") into v (freed by
 * pdf_form_values_free) and its reference into ref. BT_EINPUT naming what
 * when res holds no form or several, the form was issued for drafts its
 * circular never had together, or its boxes were not found; BT_EFAIL when
 * out of memory. */
int scan_form_values(const scan_result *res, const char *what, pdf_form_values *v, char ref[BT_FORM_REF_MAX],
		     bt_err *e);

/* The one form of a scan (the file at path, or when path is NULL the bytes
 * data, len; name standing for it in its pages' reasons) as
 * scan_form_values gives it (what naming it in its refusals): rd's fonts
 * loaded here (rd->fonts unused), the whole reading freed. The refusals of
 * scan_read_file and scan_form_values. */
int scan_read_form(const scan_reader *rd, const char *path, const char *name, const void *data, size_t len,
		   const char *what, pdf_form_values *v, char ref[BT_FORM_REF_MAX], bt_err *e);

#endif
