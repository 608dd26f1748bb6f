/* footer.c - page footers: rule, reference or note, QR code, page numbers. */
#include "pdf/footer.h"

#include <stdio.h>

#define QR_SIDE 52.0f
#define PAGENO_WIDTH 110.0f

int pdf_footers(pdf_doc *d, const pdf_words *w, float x, float top,
		float width, const char *left, const char *qr, bt_err *e)
{
	static const pdf_style foot = { 7.5f, 0, PDF_START, 0.25f };
	static const pdf_style end = { 7.5f, 0, PDF_END, 0.25f };
	int n = pdf_page_count(d), rc = BT_OK;
	char page[16], pages[16];
	bt_buf num = BT_BUF_INIT;
	float qs = qr ? QR_SIDE : 0, tx = x + (qr ? QR_SIDE + 6 : 0), h;
	snprintf(pages, sizeof pages, "%d", n);
	for (int i = 1; i <= n && rc == BT_OK; i++) {
		rc = pdf_page_select(d, i, e);
		if (rc)
			break;
		pdf_line(d, x, top - 6, x + width, top - 6, 0.4f);
		if (qr)
			rc = pdf_qr(d, qr, x, top, qs, e);
		if (rc == BT_OK)
			rc = pdf_text(d, left, tx, top + 4,
				      width - (tx - x) - PAGENO_WIDTH - 10, &foot,
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
