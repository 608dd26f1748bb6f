/* pdfread.c - a returned Annex 2 form's fields (pdfread.h), read with
 * libqpdf's C API: the AcroForm's field tree walked from /Fields, full names
 * built from each level's /T. */
#include "pdf/pdfread.h"

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <qpdf/qpdf-c.h>

#define MAX_DEPTH 12     /* field tree levels: a loop in /Kids ends here */
#define MAX_FIELDS 4096  /* terminal fields of one form */
#define NAME_MAX_LEN 256

typedef struct reader {
	qpdf_data q;
	const char *field;
	pdf_form_values *out;
	size_t n_fields;
	char **names;    /* the terminal fields' full names so far */
	bt_err *e;
} reader;

void pdf_form_values_free(pdf_form_values *v)
{
	for (size_t i = 0; i < v->n_texts; i++) {
		free(v->texts[i].name);
		free(v->texts[i].value);
	}
	free(v->texts);
	free(v->drafts);
	free(v->sig_der);
	memset(v, 0, sizeof *v);
}

const char *pdf_form_value(const pdf_form_values *v, const char *name)
{
	for (size_t i = 0; i < v->n_texts; i++)
		if (strcmp(v->texts[i].name, name) == 0)
			return v->texts[i].value[0] ? v->texts[i].value : NULL;
	return NULL;
}

static int add_text(reader *r, const char *name, const char *value)
{
	pdf_form_values *v = r->out;
	pdf_form_text *t = realloc(v->texts, (v->n_texts + 1) * sizeof *t);
	if (!t)
		return bt_fail(r->e, BT_EFAIL, "out of memory");
	v->texts = t;
	t[v->n_texts].name = strdup(name);
	t[v->n_texts].value = strdup(value);
	if (!t[v->n_texts].name || !t[v->n_texts].value) {
		free(t[v->n_texts].name);
		free(t[v->n_texts].value);
		return bt_fail(r->e, BT_EFAIL, "out of memory");
	}
	v->n_texts++;
	return BT_OK;
}

/* Notes state (a name, with its '/') as ticked in c, once. */
static int tick(reader *r, const char *name, pdf_form_choice *c,
		const char *state)
{
	if (!state || strcmp(state, "/Off") == 0 || !state[0])
		return BT_OK;
	const char *s = state + 1;
	bt_choice ch = bt_choice_parse(s);
	if (ch == BT_CHOICE_NONE || ch == BT_WITHDRAW)
		return bt_fail(r->e, BT_EINPUT, "%s: field %s: '%s' is not a "
			       "choice of the form", r->field, name, s);
	if (c->choice == ch)
		return BT_OK;
	size_t used = strlen(c->states);
	snprintf(c->states + used, sizeof c->states - used, "%s%s",
		 used ? ", " : "", s);
	c->ticked++;
	c->choice = c->ticked == 1 ? ch : BT_CHOICE_NONE;
	return BT_OK;
}

/* A terminal draft.<REC>.choice field: its /V and its buttons' /AS. */
static int add_choice(reader *r, qpdf_oh fd, const char *name)
{
	qpdf_data q = r->q;
	size_t len = strlen(name) - strlen("draft.") - strlen(".choice");
	if (len == 0 || len > BT_ID_MAX)
		return bt_fail(r->e, BT_EINPUT, "%s: field %s names no draft",
			       r->field, name);
	pdf_form_values *v = r->out;
	pdf_form_choice *c = realloc(v->drafts, (v->n_drafts + 1) * sizeof *c);
	if (!c)
		return bt_fail(r->e, BT_EFAIL, "out of memory");
	v->drafts = c;
	c += v->n_drafts++;
	memset(c, 0, sizeof *c);
	memcpy(c->rec, name + strlen("draft."), len);
	int rc = BT_OK;
	if (qpdf_oh_has_key(q, fd, "/V")) {
		qpdf_oh val = qpdf_oh_get_key(q, fd, "/V");
		if (qpdf_oh_is_name(q, val))
			rc = tick(r, name, c, qpdf_oh_get_name(q, val));
	}
	qpdf_oh kids = qpdf_oh_get_key(q, fd, "/Kids");
	int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
	for (int i = 0; i < n && rc == BT_OK; i++) {
		qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
		qpdf_oh as = qpdf_oh_get_key(q, kid, "/AS");
		if (qpdf_oh_is_name(q, as))
			rc = tick(r, name, c, qpdf_oh_get_name(q, as));
	}
	return rc;
}

/* The first signature's /ByteRange and /Contents. */
static int signature(reader *r, qpdf_oh sig)
{
	qpdf_data q = r->q;
	pdf_form_values *v = r->out;
	v->signature = 1;
	qpdf_oh br = qpdf_oh_get_key(q, sig, "/ByteRange");
	if (qpdf_oh_is_array(q, br) && qpdf_oh_get_array_n_items(q, br) == 4)
		for (int i = 0; i < 4; i++) {
			qpdf_oh n = qpdf_oh_get_array_item(q, br, i);
			v->sig_range[i] = qpdf_oh_is_integer(q, n) ?
				qpdf_oh_get_int_value(q, n) : -1;
		}
	qpdf_oh c = qpdf_oh_get_key(q, sig, "/Contents");
	if (!qpdf_oh_is_string(q, c))
		return BT_OK;
	size_t len = 0;
	const char *der = qpdf_oh_get_binary_string_value(q, c, &len);
	if (!(v->sig_der = malloc(len + 1)))
		return bt_fail(r->e, BT_EFAIL, "out of memory");
	memcpy(v->sig_der, der, len);
	v->sig_der_len = len;
	return BT_OK;
}

/* A signature field whose value (object id) libqpdf cannot read (a
 * damaged /ByteRange, say): a signature, damaged, with libqpdf's warning
 * as what. */
static void damaged_signature(reader *r, int id)
{
	pdf_form_values *v = r->out;
	v->signature = 1;
	snprintf(v->sig_damaged, sizeof v->sig_damaged, "its value, object %d, cannot be read", id);
	while (qpdf_more_warnings(r->q)) {
		qpdf_error w = qpdf_next_warning(r->q);
		const char *d = w ? qpdf_get_error_message_detail(r->q, w) : NULL;
		if (d && *d)
			snprintf(v->sig_damaged, sizeof v->sig_damaged, "its value, object %d, cannot be read (%s)",
				 id, d);
	}
}

static int is_choice_name(const char *name)
{
	size_t n = strlen(name);
	return n > strlen("draft..choice") && !strncmp(name, "draft.", 6) &&
		!strcmp(name + n - strlen(".choice"), ".choice");
}

/* 1 when string s (its raw bytes raw[0..n), libqpdf's UTF-8 utf8) is
 * text: UTF-16BE (a byte-order mark) without an unpaired surrogate, UTF-8
 * (its mark), or PDFDocEncoding without an undefined byte (which libqpdf
 * turns into U+FFFD, a character no PDFDocEncoding byte stands for). */
static int is_text(const unsigned char *raw, size_t n, const char *utf8)
{
	if (n >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF)
		return 1;
	if (!(n >= 2 && raw[0] == 0xFE && raw[1] == 0xFF))
		return !strstr(utf8, "\xEF\xBF\xBD");
	if (n % 2)
		return 0;
	for (size_t i = 2; i + 1 < n; i += 2) {
		unsigned u = (unsigned)raw[i] << 8 | raw[i + 1];
		if (u >= 0xDC00 && u <= 0xDFFF)
			return 0;
		if (u >= 0xD800 && u <= 0xDBFF) {
			unsigned lo = i + 3 < n ? (unsigned)raw[i + 2] << 8 | raw[i + 3] : 0;
			if (lo < 0xDC00 || lo > 0xDFFF)
				return 0;
			i += 2;
		}
	}
	return 1;
}

/* Notes name as a terminal field's: refused when it was one already (a
 * second field of the same name, whichever a viewer shows). */
static int once(reader *r, const char *name)
{
	if (r->n_fields + 1 > MAX_FIELDS)
		return bt_fail(r->e, BT_EINPUT, "%s: more than %d form fields",
			       r->field, MAX_FIELDS);
	for (size_t i = 0; i < r->n_fields; i++)
		if (!strcmp(r->names[i], name))
			return bt_fail(r->e, BT_EINPUT, "%s: field %s: given twice", r->field, name);
	char **v = realloc(r->names, (r->n_fields + 1) * sizeof *v);
	if (v)
		r->names = v;
	if (!v || !(v[r->n_fields] = strdup(name)))
		return bt_fail(r->e, BT_EFAIL, "out of memory");
	r->n_fields++;
	return BT_OK;
}

/* A terminal field: what it holds, by its type. */
static int terminal(reader *r, qpdf_oh fd, const char *name, const char *ft)
{
	qpdf_data q = r->q;
	int rc = once(r, name);
	if (rc)
		return rc;
	if (ft && !strcmp(ft, "/Btn") && is_choice_name(name))
		return add_choice(r, fd, name);
	qpdf_oh val = qpdf_oh_get_key(q, fd, "/V");
	if (ft && !strcmp(ft, "/Sig")) {
		if (qpdf_oh_is_dictionary(q, val) && !r->out->signature)
			return signature(r, val);
		if (!qpdf_oh_is_dictionary(q, val) && qpdf_oh_get_object_id(q, val) && !r->out->signature)
			damaged_signature(r, qpdf_oh_get_object_id(q, val));
		return BT_OK;
	}
	if (!ft || strcmp(ft, "/Tx") || !qpdf_oh_is_string(q, val))
		return BT_OK;
	/* each call's string lives until libqpdf's next call: copied */
	char *utf8 = strdup(qpdf_oh_get_utf8_value(q, val));
	size_t n = 0;
	const unsigned char *raw = (const unsigned char *)qpdf_oh_get_binary_string_value(q, val, &n);
	if (!utf8)
		rc = bt_fail(r->e, BT_EFAIL, "out of memory");
	else if (!is_text(raw, n, utf8))
		rc = bt_fail(r->e, BT_EINPUT, "%s: field %s: '%s' is not valid text (an undefined PDFDocEncoding "
			     "byte, or an unpaired UTF-16 surrogate)", r->field, name, utf8);
	else
		rc = add_text(r, name, utf8);
	free(utf8);
	return rc;
}

/* Walks field fd whose parent's full name is prefix ("" at the top). */
static int walk(reader *r, qpdf_oh fd, const char *prefix, const char *ft,
		int depth)
{
	qpdf_data q = r->q;
	if (depth > MAX_DEPTH)
		return bt_fail(r->e, BT_EINPUT, "%s: form fields nested more "
			       "than %d deep", r->field, MAX_DEPTH);
	if (!qpdf_oh_is_dictionary(q, fd))
		return BT_OK;
	char name[NAME_MAX_LEN], own[16] = "";
	qpdf_oh t = qpdf_oh_get_key(q, fd, "/T");
	const char *part = qpdf_oh_is_string(q, t) ?
		qpdf_oh_get_utf8_value(q, t) : "";
	if (strlen(prefix) + strlen(part) + 2 > sizeof name)
		return bt_fail(r->e, BT_EINPUT, "%s: a form field's name is "
			       "longer than %d bytes", r->field, NAME_MAX_LEN);
	strcpy(name, prefix);
	if (*prefix && *part)
		strcat(name, ".");
	strcat(name, part);
	qpdf_oh ftoh = qpdf_oh_get_key(q, fd, "/FT");
	if (qpdf_oh_is_name(q, ftoh)) {
		snprintf(own, sizeof own, "%s", qpdf_oh_get_name(q, ftoh));
		ft = own;
	}
	/* kids with names are fields; kids without are its widgets */
	qpdf_oh kids = qpdf_oh_get_key(q, fd, "/Kids");
	int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
	int fields = 0;
	for (int i = 0; i < n; i++)
		fields += qpdf_oh_has_key(q, qpdf_oh_get_array_item(q, kids, i),
					  "/T");
	if (!fields)
		return terminal(r, fd, name, ft);
	int rc = BT_OK;
	for (int i = 0; i < n && rc == BT_OK; i++)
		rc = walk(r, qpdf_oh_get_array_item(q, kids, i), name, ft,
			  depth + 1);
	return rc;
}

static int read_fields(reader *r)
{
	qpdf_data q = r->q;
	qpdf_oh root = qpdf_get_root(q);
	qpdf_oh form = qpdf_oh_get_key(q, root, "/AcroForm");
	qpdf_oh fields = qpdf_oh_get_key(q, form, "/Fields");
	int n = qpdf_oh_is_array(q, fields) ?
		qpdf_oh_get_array_n_items(q, fields) : 0;
	int rc = BT_OK;
	for (int i = 0; i < n && rc == BT_OK; i++)
		rc = walk(r, qpdf_oh_get_array_item(q, fields, i), "", NULL, 0);
	if (rc == BT_OK && !r->out->n_drafts &&
	    !pdf_form_value(r->out, PDF_FIELD_REFERENCE) && (r->out->no_fields = 1))
		rc = bt_fail(r->e, BT_EINPUT, "%s: no Annex 2 form fields "
			     "(neither %s nor draft.<REC>.choice): not a form "
			     "made by ballot forms", r->field,
			     PDF_FIELD_REFERENCE);
	return rc;
}

int pdf_form_read(const void *data, size_t len, const char *field,
		  pdf_form_values *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	reader r = { .field = field, .out = out, .e = e };
	r.q = qpdf_init();
	if (!r.q)
		return bt_fail(e, BT_EFAIL, "libqpdf: cannot start");
	qpdf_silence_errors(r.q);
	qpdf_set_suppress_warnings(r.q, QPDF_TRUE);
	int rc;
	if (qpdf_read_memory(r.q, field, data, len, NULL) & QPDF_ERRORS) {
		qpdf_error err = qpdf_get_error(r.q);
		rc = bt_fail(e, BT_EINPUT, "%s: not a PDF that can be read (%s)",
			     field, err ? qpdf_get_error_message_detail(r.q, err)
				       : "libqpdf failed");
	} else {
		out->n_pages = qpdf_get_num_pages(r.q);
		rc = read_fields(&r);
		/* the error taken also after a refusal: libqpdf writes one
		 * not taken to stderr when cleaned up */
		qpdf_error err = qpdf_has_error(r.q) ? qpdf_get_error(r.q) : NULL;
		if (rc == BT_OK && err)
			rc = bt_fail(e, BT_EINPUT, "%s: the form's fields cannot "
				     "be read (%s)", field,
				     qpdf_get_error_message_detail(r.q, err));
	}
	qpdf_cleanup(&r.q);
	for (size_t i = 0; i < r.n_fields; i++)
		free(r.names[i]);
	free(r.names);
	return rc;
}

/* a + b, at most LONG_MAX */
static long sat_add(long a, long b)
{
	return b > LONG_MAX - a ? LONG_MAX : a + b;
}

/* The pixels of image stream dict d (its /Width x /Height, its /SMask's
 * too), at most LONG_MAX. */
static long image_pixels(qpdf_data q, qpdf_oh d, int depth)
{
	long long w = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, d, "/Width"));
	long long h = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, d, "/Height"));
	long px = w <= 0 || h <= 0 ? 0 : w > LONG_MAX / h ? LONG_MAX : (long)(w * h);
	qpdf_oh mask = qpdf_oh_get_key(q, d, "/SMask");
	if (depth < 2 && qpdf_oh_is_stream(q, mask))
		px = sat_add(px, image_pixels(q, qpdf_oh_get_dict(q, mask), depth + 1));
	return px;
}

/* The pixels of the images resources res names (its /XObject: images, and
 * forms' own resources, 8 deep at most), each time it names them. */
static long resource_images(qpdf_data q, qpdf_oh res, int depth)
{
	qpdf_oh xo = qpdf_oh_get_key(q, res, "/XObject");
	if (depth > 8 || !qpdf_oh_is_dictionary(q, xo))
		return 0;
	/* the keys first: the iteration is libqpdf's one, and forms nest */
	char **keys = NULL;
	size_t n = 0;
	qpdf_oh_begin_dict_key_iter(q, xo);
	while (qpdf_oh_dict_more_keys(q)) {
		const char *k = qpdf_oh_dict_next_key(q);
		char **v = realloc(keys, (n + 1) * sizeof *keys);
		if (!v || !(v[n] = strdup(k))) {
			keys = v ? v : keys;
			break;
		}
		keys = v;
		n++;
	}
	long px = 0;
	for (size_t i = 0; i < n; i++) {
		qpdf_oh x = qpdf_oh_get_key(q, xo, keys[i]);
		qpdf_oh d = qpdf_oh_is_stream(q, x) ? qpdf_oh_get_dict(q, x) : 0;
		const char *sub = d ? qpdf_oh_get_name(q, qpdf_oh_get_key(q, d, "/Subtype")) : "";
		if (!strcmp(sub, "/Image"))
			px = sat_add(px, image_pixels(q, d, 0));
		else if (!strcmp(sub, "/Form"))
			px = sat_add(px, resource_images(q, qpdf_oh_get_key(q, d, "/Resources"), depth + 1));
		free(keys[i]);
	}
	free(keys);
	return px;
}

int pdf_image_pixels(const char *path, long **px, int *n)
{
	*px = NULL;
	*n = 0;
	qpdf_data q = qpdf_init();
	if (!q)
		return -1;
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	int rc = -1;
	if (!(qpdf_read(q, path, NULL) & QPDF_ERRORS) &&
	    !(qpdf_push_inherited_attributes_to_page(q) & QPDF_ERRORS)) {
		int pages = qpdf_get_num_pages(q);
		*px = pages > 0 ? calloc((size_t)pages, sizeof **px) : NULL;
		for (int i = 0; *px && i < pages; i++)
			(*px)[i] = resource_images(q, qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/Resources"), 0);
		if (*px)
			*n = pages, rc = 0;
	}
	while (qpdf_has_error(q)) /* taken: libqpdf writes one not taken to stderr */
		qpdf_get_error(q);
	if (rc && *px)
		free(*px), *px = NULL, *n = 0;
	qpdf_cleanup(&q);
	return rc;
}
