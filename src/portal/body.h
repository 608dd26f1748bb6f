/* body.h - reading a request's form body (body.c) into its pform, within
 * the caps of the server. */
#ifndef BALLOT_PORTAL_BODY_H
#define BALLOT_PORTAL_BODY_H

#include <microhttpd.h>
#include <stdint.h>

/* The iterator of libmicrohttpd's post processor (cls: the preqx). Called
 * several times per value with growing offsets, data not NUL-terminated;
 * appends to x->r.form: at most PORTAL_MAX_FIELDS fields and
 * PORTAL_MAX_FILES files (else form.overflow), text values up to 64 KiB and
 * files up to the attachment cap (else x->too_big), file names cut to
 * their base name. MHD_NO (stop reading) for a part without a name
 * (x->nameless) or data without a pointer (x->bad_body). */
enum MHD_Result body_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			   const char *content_type, const char *transfer_encoding, const char *data,
			   uint64_t off, size_t size);

#endif
