/* doc_links.c - links to the documents a page offers (doc_links.h). */
#include <stdio.h>
#include "portal/doc_links.h"
#include "portal/html.h"

void html_receipt_pdf_link(preq *r, const char *prefix, int64_t id)
{
	bt_buf_addf(&r->out, " · <a class=\"receipt-pdf\" type=\"application/pdf\" href=\"%s%lld.pdf\">", prefix,
		    (long long)id);
	html_text(&r->out, L(r, "receipt_pdf"));
	bt_buf_adds(&r->out, "</a>");
}

void html_draft_text_link(preq *r, const char *area, const char *circular, const bt_draft *dr)
{
	int64_t size;
	bt_err e;
	if (bt_draft_text_size(r->db, dr, &size, &e) || size < 0)
		return;
	char n[24];
	snprintf(n, sizeof n, "%lld", (long long)size);
	const char *sv[] = { "size", n, NULL };
	bt_buf_addf(&r->out, "<p class=\"text-download\"><a class=\"draft-text\" href=\"%s/c/", area);
	html_text(&r->out, circular);
	bt_buf_adds(&r->out, "/draft/");
	html_text(&r->out, dr->rec);
	bt_buf_adds(&r->out, "/text\" download>");
	Lf(r, &r->out, "text_download", sv);
	bt_buf_adds(&r->out, "</a></p>\n");
}

void html_staff_import_publish_links(preq *r, const char *circular)
{
	static const char *const acts[][2] = { { "import", "import_title" }, { "publish", "publish_title" } };
	for (size_t i = 0; i < 2; i++) {
		bt_buf_addf(&r->out, "<li><a class=\"%s\" href=\"/secretariat/c/", acts[i][0]);
		html_text(&r->out, circular);
		bt_buf_addf(&r->out, "/%s\">", acts[i][0]);
		html_text(&r->out, L(r, acts[i][1]));
		bt_buf_adds(&r->out, "</a></li>\n");
	}
}
