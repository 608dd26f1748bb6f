/* acroform.c - the Annex 2 form's fields, added with libqpdf's C API
 * (acroform.h). libqpdf's C API builds every object the form needs
 * (dictionaries, arrays, strings, streams, indirect objects), so no C++ is
 * needed. */
#include "pdf/acroform.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qpdf/qpdf-c.h>

#include "pdf/lang.h"

typedef struct widget {
	pdf_field_kind kind;
	char *name, *on, *tip, *rec; /* PDF_FIELD_HIDDEN: on is the value */
	int mark, page;
	float r[4]; /* page coordinates: x1 y1 x2 y2 */
} widget;

struct pdf_fields {
	char lang[3];
	int rtl;
	float w, h;
	widget *v;
	size_t n, cap;
};

/* ---- the tooltips' words, loaded once per language and process ---- */

static const pdf_tmpl_key schema[] = {
	PDF_LANG_KEYS,
	{ "tip_choice", "rec" },
	{ "tip_administration", "" },
	{ "tip_address", "" },
	{ "tip_name", "" },
	{ "tip_title", "" },
	{ "tip_fax", "" },
	{ "tip_email", "" },
	{ "tip_date", "" },
	{ "tip_place", "" },
	{ "tip_signatory_name", "" },
	{ "tip_signatory_title", "" },
	{ "tip_signature", "" },
	{ "tip_reference", "" },
};

static pthread_mutex_t words_lock = PTHREAD_MUTEX_INITIALIZER;
static pdf_words *words[PDF_NLANGS];

static int words_get(const char *lang, const pdf_words **out, bt_err *e)
{
	int i = 0;
	while (i < PDF_NLANGS && strcmp(pdf_langs[i], lang) != 0)
		i++;
	if (i == PDF_NLANGS)
		return bt_fail(e, BT_EFAIL, "form fields: no language '%s'",
			       lang);
	int rc = BT_OK;
	pthread_mutex_lock(&words_lock);
	if (!words[i])
		rc = pdf_words_load(pdf_forms_dir(), "fields", lang, schema,
				    sizeof schema / sizeof *schema, &words[i],
				    e);
	*out = words[i];
	pthread_mutex_unlock(&words_lock);
	return rc;
}

/* ---- the list ---- */

int pdf_fields_new(const char *lang, int rtl, float w, float h,
		   pdf_fields **out, bt_err *e)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return bt_fail(e, BT_EFAIL, "out of memory");
	snprintf((*out)->lang, sizeof (*out)->lang, "%s", lang);
	(*out)->rtl = rtl;
	(*out)->w = w;
	(*out)->h = h;
	return BT_OK;
}

void pdf_fields_free(pdf_fields *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].on);
		free(f->v[i].tip);
		free(f->v[i].rec);
	}
	free(f->v);
	free(f);
}

static char *dup_or_null(const char *s, int *failed)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*failed = 1;
	return d;
}

int pdf_fields_add(pdf_fields *f, pdf_field_kind kind, const char *name,
		   const char *on, int mark, const char *tip, const char *rec,
		   int page, float x, float y, float bw, float bh, bt_err *e)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 32;
		widget *v = realloc(f->v, cap * sizeof *v);
		if (!v)
			return bt_fail(e, BT_EFAIL, "out of memory");
		f->v = v;
		f->cap = cap;
	}
	widget *w = &f->v[f->n];
	int failed = 0;
	memset(w, 0, sizeof *w);
	w->kind = kind;
	w->mark = mark;
	w->page = page;
	w->name = dup_or_null(name, &failed);
	w->on = dup_or_null(on, &failed);
	w->tip = dup_or_null(tip, &failed);
	w->rec = dup_or_null(rec, &failed);
	float px = f->rtl ? f->w - x - bw : x;
	w->r[0] = px;
	w->r[1] = f->h - y - bh;
	w->r[2] = px + bw;
	w->r[3] = f->h - y;
	f->n++;
	return failed ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}

int pdf_fields_radio(const pdf_fields *f, size_t i, size_t *n,
		     const char **name, const char **on, int *page, float box[4])
{
	*n = f->n;
	if (i >= f->n || f->v[i].kind != PDF_FIELD_RADIO)
		return 0;
	const widget *w = &f->v[i];
	*name = w->name;
	*on = w->on;
	*page = w->page;
	box[0] = w->r[0];
	box[1] = f->h - w->r[3];
	box[2] = w->r[2] - w->r[0];
	box[3] = w->r[3] - w->r[1];
	return 1;
}

int pdf_fields_add_hidden(pdf_fields *f, const char *name, const char *value,
			  bt_err *e)
{
	int rc = pdf_fields_add(f, PDF_FIELD_HIDDEN, name, value, 0,
				"tip_reference", NULL, 1, 0, 0, 0, 0, e);
	if (rc == BT_OK) /* no box at all */
		memset(f->v[f->n - 1].r, 0, sizeof f->v[f->n - 1].r);
	return rc;
}

/* ---- building the form with libqpdf ---- */

typedef struct build {
	qpdf_data q;
	int rtl;                 /* typed text aligned right (/Q 2) */
	const pdf_words *words;
	qpdf_oh fields;          /* the AcroForm's /Fields */
	qpdf_oh empty, dot, cross; /* the appearance streams */
	struct node {
		char *name;      /* a full name, or a prefix of one */
		qpdf_oh oh;
	} *nodes;
	size_t n, cap;
	bt_buf tmp;
	/* the structure tree libharu wrote (doc.c), when there is one: the
	 * Document element's kids, the parent tree's /Nums and its next key */
	qpdf_oh tag_doc, tag_kids, tag_nums;
	long long tag_next;
} build;

/* A number as PDF writes it, whatever the locale: two decimals. */
static void num(char *out, size_t len, float v)
{
	long c = (long)(v * 100 + (v < 0 ? -0.5f : 0.5f));
	snprintf(out, len, "%s%ld.%02ld", c < 0 ? "-" : "", labs(c) / 100,
		 labs(c) % 100);
}

static qpdf_oh rect(build *b, const float r[4])
{
	char s[128], n[4][24];
	for (int i = 0; i < 4; i++)
		num(n[i], sizeof n[i], r[i]);
	snprintf(s, sizeof s, "[%s %s %s %s]", n[0], n[1], n[2], n[3]);
	return qpdf_oh_parse(b->q, s);
}

/* A form XObject of size w x h drawing content (no /Type and no
 * /Resources: both optional, and content uses none; 30 bytes a stream that
 * object streams cannot hold). */
static qpdf_oh appearance(build *b, int w, int h, const char *content)
{
	char bbox[64];
	qpdf_oh s = qpdf_oh_new_stream(b->q);
	qpdf_oh_replace_stream_data(b->q, s, (const unsigned char *)content,
				    strlen(content), qpdf_oh_new_null(b->q),
				    qpdf_oh_new_null(b->q));
	qpdf_oh d = qpdf_oh_get_dict(b->q, s);
	snprintf(bbox, sizeof bbox, "[0 0 %d %d]", w, h);
	qpdf_oh_replace_key(b->q, d, "/Subtype", qpdf_oh_new_name(b->q, "/Form"));
	qpdf_oh_replace_key(b->q, d, "/BBox", qpdf_oh_parse(b->q, bbox));
	return s;
}

/* The field node of full name (created with its parents when new). */
static qpdf_oh node(build *b, const char *full, int *created)
{
	*created = 0;
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->nodes[i].name, full) == 0)
			return b->nodes[i].oh;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct node *v = realloc(b->nodes, cap * sizeof *v);
		if (!v)
			return 0;
		b->nodes = v;
		b->cap = cap;
	}
	char *name = strdup(full);
	if (!name)
		return 0;
	const char *dot = strrchr(full, '.');
	qpdf_oh parent = 0;
	if (dot) {
		int c;
		name[dot - full] = '\0';
		parent = node(b, name, &c);
		name[dot - full] = '.';
		if (!parent) {
			free(name);
			return 0;
		}
	}
	qpdf_oh oh = qpdf_make_indirect_object(b->q,
					       qpdf_oh_new_dictionary(b->q));
	qpdf_oh_replace_key(b->q, oh, "/T", qpdf_oh_new_unicode_string(
				    b->q, dot ? dot + 1 : full));
	if (parent) {
		qpdf_oh_replace_key(b->q, oh, "/Parent", parent);
		if (!qpdf_oh_has_key(b->q, parent, "/Kids"))
			qpdf_oh_replace_key(b->q, parent, "/Kids",
					    qpdf_oh_new_array(b->q));
		qpdf_oh_append_item(b->q, qpdf_oh_get_key(b->q, parent,
							  "/Kids"), oh);
	} else {
		qpdf_oh_append_item(b->q, b->fields, oh);
	}
	b->nodes[b->n].name = name;
	b->nodes[b->n].oh = oh;
	b->n++;
	*created = 1;
	return oh;
}

/* The structure tree's pieces into b (tag_doc 0 when the document has
 * none, or not as doc.c writes it). */
static void tag_find(build *b)
{
	qpdf_data q = b->q;
	qpdf_oh root = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
	qpdf_oh doc = qpdf_oh_get_key(q, root, "/K");
	qpdf_oh kids = qpdf_oh_get_key(q, doc, "/K");
	qpdf_oh nums = qpdf_oh_get_key(q, qpdf_oh_get_key(q, root,
							 "/ParentTree"), "/Nums");
	qpdf_oh next = qpdf_oh_get_key(q, root, "/ParentTreeNextKey");
	if (!qpdf_oh_is_dictionary(q, doc) || !qpdf_oh_is_array(q, kids) ||
	    !qpdf_oh_is_array(q, nums) || !qpdf_oh_is_integer(q, next))
		return;
	b->tag_doc = doc;
	b->tag_kids = kids;
	b->tag_nums = nums;
	b->tag_next = qpdf_oh_get_int_value(q, next);
}

/* Widget d on page in the structure (PDF/UA): a Form element of the
 * Document holding an object reference to it, the widget's
 * /StructParent its key in the parent tree; the page's tab order follows
 * the structure (/Tabs /S). */
static void tag_widget(build *b, qpdf_oh d, qpdf_oh page)
{
	qpdf_data q = b->q;
	if (!b->tag_doc)
		return;
	qpdf_oh objr = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, objr, "/Type", qpdf_oh_new_name(q, "/OBJR"));
	qpdf_oh_replace_key(q, objr, "/Obj", d); /* on the element's /Pg */
	qpdf_oh el = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
	qpdf_oh_replace_key(q, el, "/S", qpdf_oh_new_name(q, "/Form"));
	qpdf_oh_replace_key(q, el, "/P", b->tag_doc);
	qpdf_oh_replace_key(q, el, "/Pg", page);
	qpdf_oh_replace_key(q, el, "/K", objr);
	qpdf_oh_append_item(q, b->tag_kids, el);
	qpdf_oh_replace_key(q, d, "/StructParent",
			    qpdf_oh_new_integer(q, b->tag_next));
	qpdf_oh_append_item(q, b->tag_nums, qpdf_oh_new_integer(q, b->tag_next));
	qpdf_oh_append_item(q, b->tag_nums, el);
	b->tag_next++;
	qpdf_oh_replace_key(q, qpdf_oh_get_key(q, qpdf_get_root(q),
					       "/StructTreeRoot"),
			    "/ParentTreeNextKey",
			    qpdf_oh_new_integer(q, b->tag_next));
	qpdf_oh_replace_key(q, page, "/Tabs", qpdf_oh_new_name(q, "/S"));
}

/* Makes d a widget annotation of w on its page. */
static void widget_keys(build *b, qpdf_oh d, const widget *w)
{
	qpdf_data q = b->q;
	qpdf_oh page = qpdf_get_page_n(q, (size_t)(w->page - 1));
	qpdf_oh_replace_key(q, d, "/Type", qpdf_oh_new_name(q, "/Annot"));
	qpdf_oh_replace_key(q, d, "/Subtype", qpdf_oh_new_name(q, "/Widget"));
	qpdf_oh_replace_key(q, d, "/Rect", rect(b, w->r));
	qpdf_oh_replace_key(q, d, "/F", qpdf_oh_new_integer(q, 4)); /* print */
	qpdf_oh_replace_key(q, d, "/P", page);
	if (!qpdf_oh_has_key(q, page, "/Annots"))
		qpdf_oh_replace_key(q, page, "/Annots", qpdf_oh_new_array(q));
	qpdf_oh_append_item(q, qpdf_oh_get_key(q, page, "/Annots"), d);
	tag_widget(b, d, page);
}

/* A text or signature field's look: its own empty stream of its size (a
 * viewer, or qpdf --generate-appearances, rewrites it in place when the
 * field is filled: one shared with other fields would show on them all). */
static void own_look(build *b, qpdf_oh fd, const widget *w)
{
	qpdf_data q = b->q;
	int bw = (int)(w->r[2] - w->r[0] + 0.5f);
	int bh = (int)(w->r[3] - w->r[1] + 0.5f);
	qpdf_oh ap = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, ap, "/N", appearance(b, bw, bh, "q Q\n"));
	qpdf_oh_replace_key(q, fd, "/AP", ap);
}

/* The terminal field's own keys, set when the field is first made. */
static int field_keys(build *b, qpdf_oh fd, const widget *w, bt_err *e)
{
	qpdf_data q = b->q;
	const char *vars[] = { "rec", w->rec ? w->rec : "", NULL };
	bt_buf_reset(&b->tmp);
	if (w->tip && pdf_tmpl_expand(b->words->t, w->tip, vars, &b->tmp) < 0)
		return bt_fail(e, BT_EFAIL, "form fields: tooltip too long");
	if (w->tip)
		qpdf_oh_replace_key(q, fd, "/TU", qpdf_oh_new_unicode_string(
					    q, bt_buf_str(&b->tmp)));
	switch (w->kind) {
	case PDF_FIELD_RADIO:
		qpdf_oh_replace_key(q, fd, "/FT", qpdf_oh_new_name(q, "/Btn"));
		/* Radio (bit 16) and NoToggleToOff (bit 15) */
		qpdf_oh_replace_key(q, fd, "/Ff", qpdf_oh_new_integer(q, 49152));
		qpdf_oh_replace_key(q, fd, "/V", qpdf_oh_new_name(q, "/Off"));
		qpdf_oh_replace_key(q, fd, "/DA", qpdf_oh_new_string(
					    q, "/ZaDb 0 Tf 0 g"));
		qpdf_oh_replace_key(q, fd, "/Kids", qpdf_oh_new_array(q));
		break;
	case PDF_FIELD_TEXT:
		qpdf_oh_replace_key(q, fd, "/FT", qpdf_oh_new_name(q, "/Tx"));
		qpdf_oh_replace_key(q, fd, "/DA", qpdf_oh_new_string(
					    q, "/Helv 9 Tf 0 g"));
		qpdf_oh_replace_key(q, fd, "/MK", qpdf_oh_parse(
					    q, "<< /BG [ 1 ] >>"));
		if (b->rtl)
			qpdf_oh_replace_key(q, fd, "/Q", qpdf_oh_new_integer(q, 2));
		own_look(b, fd, w);
		widget_keys(b, fd, w);
		break;
	case PDF_FIELD_HIDDEN:
		qpdf_oh_replace_key(q, fd, "/FT", qpdf_oh_new_name(q, "/Tx"));
		qpdf_oh_replace_key(q, fd, "/Ff", qpdf_oh_new_integer(q, 1));
		qpdf_oh_replace_key(q, fd, "/V", qpdf_oh_new_unicode_string(
					    q, w->on));
		qpdf_oh_replace_key(q, fd, "/DA", qpdf_oh_new_string(
					    q, "/Helv 9 Tf 0 g"));
		own_look(b, fd, w);
		widget_keys(b, fd, w);
		qpdf_oh_replace_key(q, fd, "/F", qpdf_oh_new_integer(q, 2));
		break;
	case PDF_FIELD_SIG:
		qpdf_oh_replace_key(q, fd, "/FT", qpdf_oh_new_name(q, "/Sig"));
		own_look(b, fd, w);
		widget_keys(b, fd, w);
		break;
	}
	return BT_OK;
}

/* One radio button of field fd: a widget with its "on" and "Off" looks. */
static void radio_button(build *b, qpdf_oh fd, const widget *w)
{
	qpdf_data q = b->q;
	char on[96];
	snprintf(on, sizeof on, "/%s", w->on);
	qpdf_oh kid = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
	qpdf_oh_replace_key(q, kid, "/Parent", fd);
	widget_keys(b, kid, w);
	qpdf_oh n = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, n, on, w->mark == PDF_MARK_CROSS ? b->cross :
			    b->dot);
	qpdf_oh_replace_key(q, n, "/Off", b->empty);
	qpdf_oh ap = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, ap, "/N", n);
	qpdf_oh_replace_key(q, kid, "/AP", ap);
	qpdf_oh_replace_key(q, kid, "/AS", qpdf_oh_new_name(q, "/Off"));
	/* for a viewer that draws its own: ZapfDingbats' dot and cross */
	qpdf_oh_replace_key(q, kid, "/MK", qpdf_oh_parse(q,
		w->mark == PDF_MARK_CROSS ? "<< /CA (8) >>" : "<< /CA (l) >>"));
	qpdf_oh_append_item(q, qpdf_oh_get_key(q, fd, "/Kids"), kid);
}

static int add_fields(build *b, const pdf_fields *f, bt_err *e)
{
	qpdf_data q = b->q;
	/* the marks: a dot in a 10 pt circle, a cross in a 10 pt box */
	/* a radio button's "Off" (never empty: an empty stream compressed
	 * upsets MuPDF) */
	b->empty = appearance(b, 10, 10, "q Q\n");
	b->dot = appearance(b, 10, 10,
		"0 g 7.6 5 m 7.6 6.44 6.44 7.6 5 7.6 c 3.56 7.6 2.4 6.44 2.4 5 c "
		"2.4 3.56 3.56 2.4 5 2.4 c 6.44 2.4 7.6 3.56 7.6 5 c f\n");
	b->cross = appearance(b, 10, 10,
		"0 G 1.4 w 2 2 m 8 8 l S 2 8 m 8 2 l S\n");
	for (size_t i = 0; i < f->n; i++) {
		const widget *w = &f->v[i];
		int created;
		qpdf_oh fd = node(b, w->name, &created);
		if (!fd)
			return bt_fail(e, BT_EFAIL, "out of memory");
		int rc = created ? field_keys(b, fd, w, e) : BT_OK;
		if (rc)
			return rc;
		if (w->kind == PDF_FIELD_RADIO)
			radio_button(b, fd, w);
	}
	qpdf_oh form = qpdf_oh_parse(q,
		"<< /DA (/Helv 0 Tf 0 g) /DR << /Font << "
		"/Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
		"/Encoding /WinAnsiEncoding >> "
		"/ZaDb << /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >> "
		">> >> >>");
	qpdf_oh_replace_key(q, form, "/Fields", b->fields);
	qpdf_oh_replace_key(q, qpdf_get_root(q), "/AcroForm",
			    qpdf_make_indirect_object(q, form));
	return BT_OK;
}

static int qpdf_failed(qpdf_data q, const char *what, bt_err *e)
{
	qpdf_error err = qpdf_get_error(q);
	return bt_fail(e, BT_EFAIL, "libqpdf: %s: %s", what,
		       err ? qpdf_get_error_full_text(q, err) : "failed");
}

/* Writes the document deterministically into out. */
static int write_out(qpdf_data q, bt_buf *out, bt_err *e)
{
	if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		return qpdf_failed(q, "writing", e);
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	qpdf_set_decode_level(q, qpdf_dl_none); /* libharu's streams as they are */
	qpdf_set_object_stream_mode(q, qpdf_o_generate);
	qpdf_set_compress_streams(q, QPDF_FALSE);
	if (qpdf_write(q) & QPDF_ERRORS)
		return qpdf_failed(q, "writing", e);
	size_t n = qpdf_get_buffer_length(q);
	bt_buf_reset(out);
	if (bt_buf_add(out, qpdf_get_buffer(q), n) < 0)
		return bt_fail(e, BT_EFAIL, "PDF larger than %zu bytes",
			       out->max);
	return BT_OK;
}

int pdf_fields_apply(const pdf_fields *f, bt_buf *pdf, bt_err *e)
{
	build b = { 0 };
	int rc = words_get(f->lang, &b.words, e);
	if (rc)
		return rc;
	bt_buf_init(&b.tmp, 0);
	b.rtl = f->rtl;
	b.q = qpdf_init();
	if (!b.q)
		return bt_fail(e, BT_EFAIL, "libqpdf: cannot start");
	qpdf_silence_errors(b.q);
	qpdf_set_suppress_warnings(b.q, QPDF_TRUE);
	if (qpdf_read_memory(b.q, "form", (const char *)pdf->data, pdf->len,
			     NULL) & QPDF_ERRORS) {
		rc = qpdf_failed(b.q, "reading libharu's document", e);
	} else {
		b.fields = qpdf_oh_new_array(b.q);
		tag_find(&b);
		rc = add_fields(&b, f, e);
		if (rc == BT_OK && qpdf_has_error(b.q))
			rc = qpdf_failed(b.q, "adding the form fields", e);
		if (rc == BT_OK)
			rc = write_out(b.q, pdf, e);
	}
	for (size_t i = 0; i < b.n; i++)
		free(b.nodes[i].name);
	free(b.nodes);
	bt_buf_release(&b.tmp);
	qpdf_cleanup(&b.q);
	return rc;
}
