/* footer.c - page footers: rule, reference or note, QR code, page numbers. */
#include "pdf/footer.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

/* QR modules of at least 1 mm (2.835 pt), so the code survives a fax at
 * 204x98 dpi and a render at 100 dpi (issue 17 §3); a printed reference
 * in 9 pt for the same reason. */
#define QR_MODULE 2.9f
#define QR_QUIET 4
#define PAGENO_WIDTH 110.0f

/* text's character classes as libqrencode's splitter sees them with the
 * 8-bit hint: digit, other alphanumeric (A-Z, space, $%*+-./:), any other
 * byte. Two texts of the same classes split the same way, so they need the
 * same QR version: the same side. */
static void qr_shape(const char *text, char *out, size_t len)
{
	size_t i = 0;
	for (; text[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)text[i];
		out[i] = c >= '0' && c <= '9' ? 'n' :
			(c >= 'A' && c <= 'Z') || (c && strchr(" $%*+-./:", c)) ?
			'a' : 'b';
	}
	out[i] = '\0';
}

float pdf_qr_side(const char *qr)
{
	/* per thread, the last shape's side: a form asks twice (its layout,
	 * then its footers), and a circular's forms share their shape (the
	 * member's code aside); the encoding is the cost */
	static _Thread_local char last[256];
	static _Thread_local float side;
	char text[256], shape[256];
	snprintf(text, sizeof text, "%s" PDF_QR_PAGE, qr, 99);
	qr_shape(text, shape, sizeof shape);
	if (side > 0 && strcmp(shape, last) == 0)
		return side;
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int n = q ? q->width : 29; /* version 3: the usual reference */
	QRcode_free(q);
	snprintf(last, sizeof last, "%s", shape);
	side = (float)(n + 2 * QR_QUIET) * QR_MODULE;
	return side;
}

int pdf_footers(pdf_doc *d, const pdf_words *w, float x, float top,
		float width, const char *left, const char *qr, bt_err *e)
{
	static const pdf_style note = { 7.5f, 0, PDF_START, 0.25f };
	static const pdf_style ref = { 9, 0, PDF_START, 0.25f };
	const pdf_style *foot = qr ? &ref : &note;
	static const pdf_style end = { 7.5f, 0, PDF_END, 0.25f };
	int n = pdf_page_count(d), rc = BT_OK;
	char page[16], pages[16], code[256];
	bt_buf num = BT_BUF_INIT;
	float qs = qr ? pdf_qr_side(qr) : 0, tx = x + (qr ? qs + 6 : 0), h;
	snprintf(pages, sizeof pages, "%d", n);
	for (int i = 1; i <= n && rc == BT_OK; i++) {
		rc = pdf_page_select(d, i, e);
		if (rc)
			break;
		pdf_line(d, x, top - 6, x + width, top - 6, 0.4f);
		if (qr) {
			snprintf(code, sizeof code, "%s" PDF_QR_PAGE, qr, i);
			rc = pdf_qr(d, code, x, top, qs, NULL, e); /* pagination */
		}
		if (rc == BT_OK)
			rc = pdf_text(d, left, tx, top + 4,
				      width - (tx - x) - PAGENO_WIDTH - 10, foot,
				      1, "footer", &h, e);
		snprintf(page, sizeof page, "%d", i);
		const char *pv[] = { "page", page, "pages", pages, NULL };
		bt_buf_reset(&num);
		if (rc == BT_OK && pdf_tmpl_expand(w->t, "page", pv, &num) < 0)
			rc = bt_fail(e, BT_EFAIL, "page number too long");
		if (rc == BT_OK)
			rc = pdf_text(d, bt_buf_str(&num), x + width - PAGENO_WIDTH,
				      top + 4, PAGENO_WIDTH, &end, 1, "footer", &h,
				      e);
	}
	bt_buf_release(&num);
	return rc;
}
