/* fuzz_portal_form.c - what the portal does with a form's fields
 * (src/portal/body.c, form.c): the body iterator body_field, as libmicrohttpd's
 * post processor calls it (a value in several pieces, with growing offsets,
 * not NUL-terminated), the per-field checks the request handler makes before
 * routing (form_check: one value per field, clean UTF-8 text without a NUL
 * byte, files of the types taken by their names and first bytes),
 * and pform_get/pform_file. libmicrohttpd's own parser (MHD_post_process)
 * needs a live connection and is not ours: it is not fuzzed here.
 *
 * Input: chunks separated by 0x1e; a chunk is FLAGS 0x1f KEY 0x1f FILENAME
 * 0x1f CONTENT-TYPE 0x1f DATA. FLAGS: '+' continues the previous value (the
 * offset grows by the bytes already given), 'f' a file upload (FILENAME
 * given; otherwise NULL), 'c' a content type given (otherwise NULL), 'n' no
 * key (NULL: libmicrohttpd passes that for a multipart part without a name,
 * which once crashed the server), 'z' no data (NULL with size 0), 'j' the
 * offset jumps (a first call for a key with a non-zero offset).
 * Everything libmicrohttpd can pass, then. */
#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "portal/body.h"
#include "portal/form.h"
#include "portal/request.h"

static char *field(char **p, char *end, int last)
{
	char *s = *p;
	char *sep = last ? end : memchr(s, 0x1f, (size_t)(end - s));
	if (!sep)
		sep = end;
	*sep = '\0';
	*p = sep < end ? sep + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct portal p;
	memset(&p, 0, sizeof p);
	p.attachment_max = 4096;
	preqx *x = calloc(1, sizeof *x);
	if (!x)
		abort();
	x->p = &p;
	x->r.p = &p;
	char *in = fuzz_str(data, size);
	char *end = in + size;
	uint64_t off = 0;
	char prev_key[256] = "";
	for (char *c = in; c < end;) {
		char *rs = memchr(c, 0x1e, (size_t)(end - c));
		char *cend = rs ? rs : end;
		char *q = c;
		char *flags = field(&q, cend, 0);
		char *key = q < cend ? field(&q, cend, 0) : (char *)"";
		char *fname = q < cend ? field(&q, cend, 0) : (char *)"";
		char *ctype = q < cend ? field(&q, cend, 0) : (char *)"";
		size_t dlen = q < cend ? (size_t)(cend - q) : 0;
		/* the value exactly as long as it is, so a read past it is caught */
		char *val = malloc(dlen ? dlen : 1);
		if (!val)
			abort();
		memcpy(val, q, dlen);
		int cont = strchr(flags, '+') && !strcmp(prev_key, key);
		if (!cont)
			off = 0;
		if (strchr(flags, 'j'))
			off += 7;
		const char *k = strchr(flags, 'n') ? NULL : key;
		const char *d = strchr(flags, 'z') ? NULL : val;
		enum MHD_Result r = body_field(x, MHD_POSTDATA_KIND, k, strchr(flags, 'f') ? fname : NULL,
					      strchr(flags, 'c') ? ctype : NULL, NULL, d, off, d ? dlen : 0);
		free(val);
		off += dlen;
		snprintf(prev_key, sizeof prev_key, "%s", key);
		if (r != MHD_YES)
			break;
		c = rs ? rs + 1 : end;
	}
	/* the handler's checks, in its order */
	pform *f = &x->r.form;
	if (f->n > PORTAL_MAX_FIELDS || f->files > PORTAL_MAX_FILES)
		abort();
	char msg[400];
	int status = f->overflow || x->too_big ? 0 : form_check(f, msg, sizeof msg);
	if (status != 0 && status != 400 && status != 415)
		abort();
	for (size_t i = 0; i < f->n && !f->overflow && !x->too_big; i++) {
		const pfield *fl = &f->v[i];
		/* a form that passes holds whole, clean text values (no NUL
		 * to cut one short) and files of the types taken */
		if (!status && !fl->filename &&
		    ((fl->value.len && memchr(fl->value.data, '\0', fl->value.len)) ||
		     !bt_text_clean(bt_buf_str(&fl->value), 1)))
			abort();
		if (!status && fl->filename && fl->value.len &&
		    bt_attachment_kind(fl->filename, fl->value.data, fl->value.len) != BT_FILE_OK)
			abort();
		if ((int64_t)fl->value.len > (fl->filename ? p.attachment_max : 64 * 1024))
			abort(); /* a value over its cap got in */
	}
	static const char *const names[] = { "csrf", "member", "code", "choice_Q.5051", "signatory",
					     "file_Q.5051", "scan", "" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		(void)pform_get(f, names[i]);
		const pfield *fl = pform_file(f, names[i]);
		if (fl && (!fl->filename || !fl->filename[0] || strchr(fl->filename, '/')))
			abort();
	}
	pform_release(f);
	free(x);
	free(in);
	return 0;
}
