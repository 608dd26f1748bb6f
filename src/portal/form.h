/* form.h - the fields of a request's form (form.c): looking them up, the
 * checks every form passes before a page sees it, the CSRF field. Filled
 * by the body reader (body.h). */
#ifndef BALLOT_PORTAL_FORM_H
#define BALLOT_PORTAL_FORM_H

#include <stddef.h>
#include "ballot/buf.h"

#define PORTAL_MAX_FIELDS 64
#define PORTAL_MAX_FILES 20

/* One field of a form body (urlencoded or multipart). */
typedef struct pfield {
	char name[64];
	char *filename;       /* multipart file: its (base) name; else NULL */
	char content_type[96];
	bt_buf value;
	int too_big;          /* a file over the attachment cap */
} pfield;

typedef struct pform {
	pfield v[PORTAL_MAX_FIELDS];
	size_t n;
	size_t files;
	int overflow;         /* too many fields or files */
} pform;

/* The file types the upload fields offer (the server accepts the same
 * extensions, each checked by its first bytes: bt_attachment_kind in
 * src/reply.c, form_check). */
#define PORTAL_UPLOAD_ACCEPT ".pdf,.doc,.docx,.odt,.rtf,.txt,.png,.jpg,.jpeg,.tif,.tiff"

/* The value of field name ("" when absent); pform_file: the field when it
 * is a non-empty file upload, else NULL. */
const char *pform_get(const pform *f, const char *name);
const pfield *pform_file(const pform *f, const char *name);
/* Frees every field's value and file name; the form is then empty. */
void pform_release(pform *f);

/* The checks of a parsed form before any page sees it: one value per
 * field; text fields clean UTF-8 and without a NUL byte (pages read values
 * as C strings, so "code=X%00junk" would pass as "X"); no invisible or
 * bidirectional control character; files of a type the engine knows whose
 * first bytes are of that type (bt_attachment_kind). 0 when the form
 * passes, else the status to answer (400, 415) with msg saying why, naming
 * the field. */
int form_check(const pform *f, char *msg, size_t n);

/* 1 when the form's csrf field matches token (64 hex; constant time). */
int csrf_ok(const pform *f, const char *token);

#endif
