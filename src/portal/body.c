/* body.c - a request's form body, field by field, as libmicrohttpd's post
 * processor hands it over (body.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "portal/body.h"
#include "portal/request.h"

enum MHD_Result body_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			   const char *content_type, const char *transfer_encoding, const char *data,
			   uint64_t off, size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	preqx *x = cls;
	pform *f = &x->r.form;
	pfield *fl = f->n ? &f->v[f->n - 1] : NULL;
	/* libmicrohttpd passes a NULL key for a multipart part without a name
	 * (no name= in its Content-Disposition, or no Content-Disposition at
	 * all): such a body is no form of ours; stop reading it */
	if (!key) {
		x->nameless = 1;
		return MHD_NO;
	}
	if (size && !data) {
		x->bad_body = 1;
		return MHD_NO;
	}
	/* a continuation of the last value */
	if (!(fl && off > 0 && !strcmp(fl->name, key))) {
		if (f->n == PORTAL_MAX_FIELDS || strlen(key) >= sizeof fl->name) {
			f->overflow = 1;
			return MHD_YES;
		}
		if (filename && f->files == PORTAL_MAX_FILES) {
			f->overflow = 1;
			return MHD_YES;
		}
		fl = &f->v[f->n++];
		memset(fl, 0, sizeof *fl);
		snprintf(fl->name, sizeof fl->name, "%s", key);
		if (filename) {
			const char *base = strrchr(filename, '/');
			const char *bs = strrchr(filename, '\\');
			if (bs && (!base || bs > base))
				base = bs;
			fl->filename = strdup(base ? base + 1 : filename);
			if (!fl->filename) {
				f->overflow = 1;
				return MHD_NO;
			}
			f->files++;
			snprintf(fl->content_type, sizeof fl->content_type, "%s",
				 content_type ? content_type : "");
			bt_buf_init(&fl->value, (size_t)x->p->attachment_max);
		} else {
			bt_buf_init(&fl->value, 64 * 1024);
		}
	}
	if (fl->too_big)
		return MHD_YES;
	if (size && bt_buf_add(&fl->value, data, size)) {
		fl->too_big = 1;
		x->too_big = 1;
	}
	return MHD_YES;
}
