/* acroform.h - the interactive form (AcroForm) of the Annex 2 PDF.
 *
 * libharu 2.3 has no widget API, so the renderer records where it draws each
 * box and line to fill in (pdf_fields_add, in the renderer's own logical
 * coordinates), and pdf_fields_apply adds the fields to the document before
 * its bytes are taken, made of libharu's own objects (no second pass over
 * the PDF): radio buttons, text fields and an unsigned signature field,
 * each with its tooltip (/TU) in the form's language (forms/fields/<lang>.txt)
 * and appearance streams (a choice's "on" mark; empty "off" and text
 * appearances, so the printed page is the one libharu drew). The output is
 * byte-reproducible: no dates, an /ID from the bytes (pack.h).
 *
 * Field names are fully qualified names (ISO 32000-1, 12.7.3.2): a name with
 * periods becomes a hierarchy of fields ("draft.Q.5051.choice": draft, Q,
 * 5051, then the terminal field choice), as every form tool reads them.
 */
#ifndef BALLOT_PDF_ACROFORM_H
#define BALLOT_PDF_ACROFORM_H
#include "ballot/buf.h"
#include "ballot/err.h"
#include "pdf/doc.h"

typedef enum pdf_field_kind {
	PDF_FIELD_TEXT,  /* a one-line text field */
	PDF_FIELD_RADIO, /* one button of a radio group (same name) */
	PDF_FIELD_SIG,   /* an unsigned signature field */
	PDF_FIELD_HIDDEN /* a hidden, read-only text field with a value */
} pdf_field_kind;

/* The look of a radio button's "on" state. */
enum { PDF_MARK_DOT = 0, PDF_MARK_CROSS = 1 };

typedef struct pdf_fields pdf_fields;

/* A new empty field list for a document in language lang (en fr es ru zh
 * ar) whose pages are w x h points; rtl: logical x runs from the right edge
 * (as doc.h's coordinates). BT_EFAIL when out of memory. */
int pdf_fields_new(const char *lang, int rtl, float w, float h,
		   pdf_fields **out, bt_err *e);
void pdf_fields_free(pdf_fields *f);

/* Records a widget on page (from 1) whose box has its top-left (logical)
 * corner at x, y (points from the page's top-left, as doc.h) and size
 * bw x bh. name: the field's full name; tip: the key of its tooltip in
 * forms/fields/<lang>.txt, expanded with rec (the placeholder {rec}; may be
 * NULL). For PDF_FIELD_RADIO, on is the state the button sets (a PDF name)
 * and mark its look; every button of a group shares name and tip. BT_EFAIL
 * when out of memory. */
int pdf_fields_add(pdf_fields *f, pdf_field_kind kind, const char *name,
		   const char *on, int mark, const char *tip, const char *rec,
		   int page, float x, float y, float bw, float bh, bt_err *e);

/* Records the hidden, read-only text field name holding value (on page 1,
 * no box: the form's reference for the tool that reads it back; pdfread.h;
 * tooltip tip_reference).
 * BT_EFAIL when out of memory. */
int pdf_fields_add_hidden(pdf_fields *f, const char *name, const char *value,
			  bt_err *e);

/* Adds the recorded fields (with the form's /AcroForm, its /DR fonts and
 * the widgets' appearance streams) to document d, whose pages are all
 * drawn, before pdf_doc_bytes. BT_EINPUT naming the template when the
 * tooltips' words cannot be loaded (read once per language and process),
 * BT_EFAIL when libharu fails or memory runs out. */
int pdf_fields_apply(const pdf_fields *f, pdf_doc *d, bt_err *e);

/* Field i (from 0, in the order recorded; count: *n) when it is a radio
 * button: 1 with its name, "on" state, page and box (x, y of its top-left
 * corner and size, in points from the page's top-left, not mirrored: where
 * it is on paper); 0 for another kind of field or i out of range. */
int pdf_fields_radio(const pdf_fields *f, size_t i, size_t *n,
		     const char **name, const char **on, int *page, float box[4]);

/* The state names of a draft's choice field (its radio buttons' "on"
 * states): the engine's choice names (bt_choice_name). */
#define PDF_FIELD_CHOICE "choice"

#endif
