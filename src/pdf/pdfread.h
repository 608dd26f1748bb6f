/* pdfread.h - the fields of a returned Annex 2 form (acroform.h), read with
 * libqpdf: the form's reference, the choice ticked per draft, the sender's
 * and the signatory's lines. What is read is checked against the
 * consultation by the caller (ballot reply --from-pdf). */
#ifndef BALLOT_PDF_PDFREAD_H
#define BALLOT_PDF_PDFREAD_H
#include <stddef.h>
#include "ballot/consultation.h"
#include "ballot/err.h"
#include "ballot/reply.h"

/* The hidden, read-only field that holds the form's reference
 * (bt_form_ref_make), the one the footer prints and the QR code encodes. */
#define PDF_FIELD_REFERENCE "form.reference"

/* One draft.<REC>.choice field as found. */
typedef struct pdf_form_choice {
	char rec[BT_ID_MAX + 1];
	bt_choice choice;   /* the one state ticked; BT_CHOICE_NONE: none */
	int ticked;         /* how many different states are ticked (2+: two
			       choices, choice then NONE) */
	char states[128];   /* the states ticked, ", "-separated, as found */
	int overridden;     /* set by --choice to another choice than read */
} pdf_form_choice;

/* A text field's full name and value (UTF-8). */
typedef struct pdf_form_text {
	char *name;
	char *value;
} pdf_form_text;

typedef struct pdf_form_values {
	pdf_form_choice *drafts; /* in the form's order */
	size_t n_drafts;
	pdf_form_text *texts;    /* every text field with a value */
	size_t n_texts;
	int signature;           /* 1: the signature field holds a signature */
	long long sig_range[4];  /* its /ByteRange: offset, length, offset,
				    length (all 0 when absent or malformed) */
	unsigned char *sig_der;  /* its /Contents (the PKCS#7 DER, padded) */
	size_t sig_der_len;
	char sig_damaged[160];   /* the signature field's value cannot be
				    read (signature set): what libqpdf said */
	int n_pages;             /* the document's pages, set once libqpdf
				    read it (also when it has no fields) */
	int no_fields;           /* read whole, it has no Annex 2 field (a
				    PDF of page images, a scan's): the one
				    refusal a scan's PDF is read past */
} pdf_form_values;

/* Reads the fields of the PDF in data. BT_EINPUT naming field (the caller's
 * name for the file) when it is not a PDF libqpdf can read, or has no
 * Annex 2 fields (no PDF_FIELD_REFERENCE and no draft.<REC>.choice field),
 * or a choice field has a state that is no choice (naming the field and the
 * state); BT_EFAIL when out of memory. out is freed by pdf_form_values_free
 * (also after a failure). */
int pdf_form_read(const void *data, size_t len, const char *field,
		  pdf_form_values *out, bt_err *e);
void pdf_form_values_free(pdf_form_values *v);

/* The value of text field name, or NULL when it is absent or empty. */
const char *pdf_form_value(const pdf_form_values *v, const char *name);

/* The pixels of the images each page of the PDF at path draws (its
 * resources' image XObjects, with their soft masks, and those of the forms
 * it draws, each time named), into px[0..n) (free it): what rendering the
 * page decodes, known before it is rendered. 0; -1 when libqpdf cannot
 * read it or out of memory. Inline images are not counted. */
int pdf_image_pixels(const char *path, long **px, int *n);

#endif
