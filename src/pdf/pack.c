/* pack.c - a finished PDF rewritten with object streams (pdf/pack.h). */
#include "pdf/pack.h"

#include <qpdf/qpdf-c.h>

static int pack_failed(qpdf_data q, const char *what, bt_err *e)
{
	qpdf_error err = qpdf_get_error(q);
	return bt_fail(e, BT_EFAIL, "libqpdf: %s: %s", what,
		       err ? qpdf_get_error_full_text(q, err) : "failed");
}

int pdf_pack(bt_buf *pdf, bt_err *e)
{
	qpdf_data q = qpdf_init();
	if (!q)
		return bt_fail(e, BT_EFAIL, "libqpdf: cannot start");
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	int rc = BT_OK;
	if (qpdf_read_memory(q, "document", (const char *)pdf->data, pdf->len,
			     NULL) & QPDF_ERRORS)
		rc = pack_failed(q, "reading libharu's document", e);
	else if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		rc = pack_failed(q, "writing", e);
	if (rc == BT_OK) {
		qpdf_set_deterministic_ID(q, QPDF_TRUE);
		qpdf_set_decode_level(q, qpdf_dl_none); /* streams as they are */
		qpdf_set_object_stream_mode(q, qpdf_o_generate);
		qpdf_set_compress_streams(q, QPDF_FALSE);
		if (qpdf_write(q) & QPDF_ERRORS)
			rc = pack_failed(q, "writing", e);
	}
	if (rc == BT_OK) {
		size_t n = qpdf_get_buffer_length(q);
		bt_buf_reset(pdf);
		if (bt_buf_add(pdf, qpdf_get_buffer(q), n) < 0)
			rc = bt_fail(e, BT_EFAIL, "PDF larger than %zu bytes, "
				     "or out of memory", pdf->max);
	}
	qpdf_cleanup(&q);
	return rc;
}
