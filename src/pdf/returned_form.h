/* returned_form.h - a returned Annex 2 PDF's fields (pdfread.h) and its
 * signature's verdict (pdfsig.h) as the engine's bt_returned_form
 * (ballot/returned.h), which checks them for every front end
 * (returned_form.c). */
#ifndef BALLOT_PDF_RETURNED_FORM_H
#define BALLOT_PDF_RETURNED_FORM_H
#include <stddef.h>
#include "ballot/err.h"
#include "ballot/returned.h"
#include "pdf/pdfread.h"
#include "pdf/pdfsig.h"

typedef struct pdf_returned {
	bt_returned_form f;        /* points into v, drafts and sig */
	bt_returned_draft *drafts;
	pdf_sig_verdict sig;       /* when v->signature */
} pdf_returned;

/* The form v read (a filled PDF's fields, or a scan's proposal) into out:
 * its reference field, sender.administration, the signatory and title
 * (signatory.*, else sender.*), its choices; when v holds a signature, the
 * signature of pdf[0..len) checked (pdf_sig_check) into its verdict. out
 * points into v: keep v until out is freed. BT_EFAIL when out of memory.
 * Free out with pdf_returned_free (also after a failure). */
int pdf_returned_of(const void *pdf, size_t len, const pdf_form_values *v, pdf_returned *out, bt_err *e);
void pdf_returned_free(pdf_returned *r);

#endif
