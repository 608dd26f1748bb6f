/* annex2.c - the Annex 2 reply form (tap-rules.md §5, seed 004). */
#include "pdf/annex2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot/formref.h"
#include "ballot/reply.h"
#include "pdf/acroform.h"
#include "pdf/pack.h"
#include "pdf/footer.h"
#include "pdf/lang.h"
#include "pdf/pdfread.h"

static const pdf_tmpl_key schema[] = {
	PDF_LANG_KEYS,
	{ "annex", "" },
	{ "subject_label", "" },
	{ "subject", "circular drafts" },
	{ "draft_new", "rec" },
	{ "draft_revised", "rec" },
	{ "list_sep", "" },
	{ "list_last", "" },
	{ "to_label", "" },
	{ "to_address", "" },
	{ "from_label", "" },
	{ "from_blank", "" },
	{ "from_member", "member" },
	{ "fax_label", "" },
	{ "email_label", "" },
	{ "tsb_fax", "" },
	{ "tsb_email", "" },
	{ "date_label", "" },
	{ "date_place", "" },
	{ "salutation", "" },
	{ "opening", "circular" },
	{ "col_draft", "" },
	{ "col_choice", "" },
	{ "row_new", "rec" },
	{ "row_revised", "rec" },
	{ "row_former", "former" },
	{ "authorizes", "sg" },
	{ "no_comments", "" },
	{ "comments", "" },
	{ "not_authorize", "sg" },
	{ "continued", "" },
	{ "closing", "" },
	{ "sign_blank", "" },
	{ "sign_member", "member" },
	{ "deadline", "date time" },
	{ "portal_code", "code" },
	{ "portal_address", "url" },
	{ "reference", "ref" },
	{ "page", "page pages" },
	{ "doc_title", "circular" },
	{ "doc_title_member", "circular member" },
	{ "doc_subject", "" },
	{ "doc_author", "" },
};

void annex2_lang_free(annex2_lang *l)
{
	pdf_words_free(l);
}

int annex2_lang_load(const char *forms_dir, const char *lang,
		     annex2_lang **out, bt_err *e)
{
	return pdf_words_load(forms_dir, "annex2", lang, schema,
			      sizeof schema / sizeof *schema, out, e);
}

const char *annex2_member_name(const annex2_lang *l, const bt_member *m)
{
	return pdf_words_name(l, m->code, m->name);
}

int annex2_reference(const bt_consultation *c, const char *digest,
		     const bt_member *m, const annex2_lang *l, bt_buf *out)
{
	char ref[BT_FORM_REF_MAX];
	bt_form_ref_make(c->circular, m ? m->code : NULL, l->code, digest, ref);
	return bt_buf_adds(out, ref);
}

/* ---- layout ---- */

#define MARGIN 50.0f
#define FOOT 64.0f   /* footer band without a QR code */
#define PAD 5.0f
/* Marks that survive a fax (issue 17 §3): tick boxes of 5 mm or more, and
 * a filled square in each corner of every page, where a scan is located
 * from (annex2_layout_get, src/pdf/scan.c). */
#define BOX 15.0f
#define REG_SIDE ANNEX2_REG_SIDE
#define REG_INSET ANNEX2_REG_INSET
#define QR_BOTTOM 10.0f /* the QR code's bottom from the page's bottom */

typedef struct form {
	pdf_doc *d;
	pdf_fonts *fonts;
	const pdf_tmpl *t;
	float w, h, cw;  /* page width, height, content width */
	float foot;      /* the footer band: FOOT, or more for the QR code */
	float y;         /* next free line */
	bt_buf tmp;
	bt_err *e;
	const char *lang; /* the form's language: the drafts' titles in it */
	pdf_fields *fields; /* where the boxes to fill in are (acroform.h) */
	annex2_layout *lay; /* annex2_layout_get: the boxes, no PDF */
	int rc;             /* the first failure to record one */
} form;

static const pdf_style body = { 10, 0, PDF_START, 0 };
static const pdf_style bold = { 10, 1, PDF_START, 0 };
static const pdf_style small = { 9, 0, PDF_START, 0 };
static const pdf_style small_bold = { 9, 1, PDF_START, 0 };

/* Records a field's box (logical coordinates) on the current page. */
static void field(form *f, pdf_field_kind kind, const char *name,
		  const char *on, int mark, const char *tip, const char *rec,
		  float x, float y, float w, float h)
{
	if (f->rc == BT_OK)
		f->rc = pdf_fields_add(f->fields, kind, name, on, mark, tip,
				       rec, pdf_page_count(f->d), x, y, w, h,
				       f->e);
}

/* A text field over each of the last n lines of a block of text at x, y
 * of height h: names[i] and tips[i], from the first of them. */
static void line_fields(form *f, float x, float y, float w, float h,
			int n, const char *const *names,
			const char *const *tips)
{
	float lh = body.size * 1.32f; /* doc.c's line height */
	for (int i = 0; i < n; i++)
		field(f, PDF_FIELD_TEXT, names[i], NULL, 0, tips[i], NULL, x,
		      y + h - (float)(n - i) * lh, w, lh);
}

/* The sender's fields over the From block's last lines ([Address] [Name]
 * [Official title]) at x, y, of height h. */
static void sender_fields(form *f, float x, float y, float w, float h)
{
	static const char *const names[] = { "sender.address", "sender.name",
		"sender.title" };
	static const char *const tips[] = { "tip_address", "tip_name",
		"tip_title" };
	line_fields(f, x, y, w, h, 3, names, tips);
}

/* The date and place fields over "[Date], [Place]", a half each. */
static void date_fields(form *f, float x, float y, float w, float h)
{
	field(f, PDF_FIELD_TEXT, "sender.date", NULL, 0, "tip_date", NULL, x,
	      y, w / 2, h);
	field(f, PDF_FIELD_TEXT, "sender.place", NULL, 0, "tip_place", NULL,
	      x + w / 2, y, w / 2, h);
}

/* A choice's mark of draft dr at x, y (a circle, or the box of "does not
 * authorize"), drawn when draw is 1 and recorded as the button of the field
 * draft.<REC>.choice that sets choice. */
static void choice_mark(form *f, int draw, const bt_draft *dr, bt_choice c,
			float x, float y)
{
	if (!draw)
		return;
	char name[BT_ID_MAX + 32];
	snprintf(name, sizeof name, "draft.%s.%s", dr->rec, PDF_FIELD_CHOICE);
	if (c == BT_NOT_AUTHORIZE)
		pdf_rect(f->d, x, y, BOX, BOX, 0.9f, -1);
	else
		pdf_circle(f->d, x + BOX / 2, y + BOX / 2, BOX / 2 - 0.3f,
			   0.8f);
	field(f, PDF_FIELD_RADIO, name, bt_choice_name(c), c ==
	      BT_NOT_AUTHORIZE ? PDF_MARK_CROSS : PDF_MARK_DOT, "tip_choice",
	      dr->rec, x, y, BOX, BOX);
}

/* Expands key into f->tmp (replacing it); NULL on overflow. */
static const char *word(form *f, const char *key, const char *const *vars)
{
	bt_buf_reset(&f->tmp);
	if (pdf_tmpl_expand(f->t, key, vars, &f->tmp) < 0)
		return NULL;
	return bt_buf_str(&f->tmp);
}

static int text(form *f, const char *s, float x, float y, float width,
		const pdf_style *st, int draw, float *h)
{
	if (!s)
		return bt_fail(f->e, BT_EFAIL, "form text too long");
	return pdf_text(f->d, s, x, y, width, st, draw, "form text", h, f->e);
}

/* Draws key's text at the current line over the content width. */
static int para(form *f, const char *key, const char *const *vars,
		const pdf_style *st, float after)
{
	float h;
	int rc = text(f, word(f, key, vars), MARGIN, f->y, f->cw, st, 1, &h);
	f->y += h + after;
	return rc;
}

/* The drafts list of the subject: "draft new Recommendation ITU-T Q.1,
 * Q.2 and ...": each draft in its own words. */
static int drafts_list(form *f, const bt_draft_list *dl, bt_buf *out)
{
	bt_buf one = BT_BUF_INIT;
	for (size_t i = 0; i < dl->n; i++) {
		if (i > 0 && bt_buf_adds(out, pdf_tmpl_raw(
				f->t, i + 1 == dl->n ? "list_last" :
				"list_sep")) < 0)
			break;
		const char *vars[] = { "rec", dl->v[i].rec, NULL };
		bt_buf_reset(&one);
		if (pdf_tmpl_expand(f->t, dl->v[i].revised ? "draft_revised" :
				    "draft_new", vars, &one) < 0 ||
		    bt_buf_adds(out, bt_buf_str(&one)) < 0)
			break;
	}
	bt_buf_release(&one);
	return out->failed ? bt_fail(f->e, BT_EFAIL, "subject too long") :
		BT_OK;
}

/* A label column and a value column: returns the height used. */
static int labelled(form *f, float x, float y, float lw, float vw,
		    const char *label, const char *value, const pdf_style *vs,
		    float *h)
{
	float h1 = 0, h2 = 0; /* h2 is not set when the label fails */
	int rc = pdf_text(f->d, label, x, y, lw, &bold, 1, "form text", &h1,
			  f->e);
	if (rc == BT_OK)
		rc = pdf_text(f->d, value, x + lw, y, vw, vs, 1, "form text",
			      &h2, f->e);
	*h = h1 > h2 ? h1 : h2;
	return rc;
}

static int max_label(form *f, const char *const *keys, float *w)
{
	*w = 0;
	for (size_t i = 0; keys[i]; i++) {
		float lw;
		int rc = pdf_text_width(f->d, pdf_tmpl_raw(f->t, keys[i]),
					&bold, "form text", &lw, f->e);
		if (rc)
			return rc;
		if (lw > *w)
			*w = lw;
	}
	*w += 6;
	return BT_OK;
}

/* The address block: TSB on the start side, the sender on the end side. */
static int addresses(form *f, const bt_member *m, const char *member_name)
{
	static const char *const labels[] = { "to_label", "from_label",
		"fax_label", "email_label", "date_label", NULL };
	float lw;
	int rc = max_label(f, labels, &lw);
	if (rc)
		return rc;
	float gap = 16, colw = (f->cw - gap) / 2, vw = colw - lw;
	float xl = MARGIN, xr = MARGIN + colw + gap, y0 = f->y, h;
	float yl = y0, yr = y0;
	char *from = NULL;
	if (m) {
		const char *vars[] = { "member", member_name, NULL };
		const char *s = word(f, "from_member", vars);
		from = s ? strdup(s) : NULL;
	} else {
		from = strdup(pdf_tmpl_raw(f->t, "from_blank"));
	}
	if (!from)
		return bt_fail(f->e, BT_EFAIL, "out of memory");
	rc = labelled(f, xl, yl, lw, vw, pdf_tmpl_raw(f->t, "to_label"),
		      pdf_tmpl_raw(f->t, "to_address"), &body, &h);
	yl += h + 6;
	if (rc == BT_OK)
		rc = labelled(f, xr, yr, lw, vw, pdf_tmpl_raw(f->t,
			      "from_label"), from, &body, &h);
	sender_fields(f, xr + lw, yr, vw, h);
	yr += h + 6;
	free(from);
	/* fax and e-mail: TSB's numbers, the sender's lines to fill in */
	float row = yl > yr ? yl : yr;
	static const char *const fe[2][2] = { { "fax_label", "tsb_fax" },
					      { "email_label", "tsb_email" } };
	for (int i = 0; i < 2 && rc == BT_OK; i++) {
		/* a number or an address: left to right in every language */
		bt_buf ltr = BT_BUF_INIT;
		bt_buf_addf(&ltr, "\xE2\x80\xAA%s\xE2\x80\xAC",
			    pdf_tmpl_raw(f->t, fe[i][1]));
		rc = labelled(f, xl, row, lw, vw, pdf_tmpl_raw(f->t, fe[i][0]),
			      bt_buf_str(&ltr), &body, &h);
		bt_buf_release(&ltr);
		if (rc == BT_OK)
			rc = labelled(f, xr, row, lw, vw, pdf_tmpl_raw(f->t,
				      fe[i][0]), " ", &body, &h);
		field(f, PDF_FIELD_TEXT, i ? "sender.email" : "sender.fax", NULL, 0,
		      i ? "tip_email" : "tip_fax", NULL, xr + lw, row, colw - lw, h - 2);
		pdf_line(f->d, xr + lw, row + h - 1, xr + colw, row + h - 1,
			 0.4f);
		row += h + 3;
	}
	row += 4;
	if (rc == BT_OK)
		rc = labelled(f, xr, row, lw, vw, pdf_tmpl_raw(f->t,
			      "date_label"), pdf_tmpl_raw(f->t, "date_place"),
			      &body, &h);
	date_fields(f, xr + lw, row, vw, h);
	f->y = row + h + 12;
	return rc;
}

/* Table geometry. */
typedef struct table {
	float x1, w1, x2, w2; /* the draft column and the choice column */
} table;

/* The header row: a TR of two TH in the structure; repeat 1 (the header
 * again on a later page): an artifact. */
static int table_header(form *f, const table *tb, int repeat)
{
	float h1, h2;
	int rc = text(f, pdf_tmpl_raw(f->t, "col_draft"), 0, 0, tb->w1 - 2 * PAD,
		      &small_bold, 0, &h1);
	if (rc == BT_OK)
		rc = text(f, pdf_tmpl_raw(f->t, "col_choice"), 0, 0,
			  tb->w2 - 2 * PAD, &small_bold, 0, &h2);
	if (rc)
		return rc;
	float h = (h1 > h2 ? h1 : h2) + 2 * PAD;
	pdf_rect(f->d, tb->x1, f->y, tb->w1 + tb->w2, h, 0.8f, 0.88f);
	pdf_line(f->d, tb->x2, f->y, tb->x2, f->y + h, 0.8f);
	const char *th = repeat ? PDF_TAG_ARTIFACT : "TH";
	rc = repeat ? BT_OK : pdf_tag_begin(f->d, "TR", f->e);
	pdf_tag_next(f->d, th);
	if (rc == BT_OK)
		rc = text(f, pdf_tmpl_raw(f->t, "col_draft"), tb->x1 + PAD,
			  f->y + PAD, tb->w1 - 2 * PAD, &small_bold, 1, &h1);
	pdf_tag_next(f->d, th);
	if (rc == BT_OK)
		rc = text(f, pdf_tmpl_raw(f->t, "col_choice"), tb->x2 + PAD,
			  f->y + PAD, tb->w2 - 2 * PAD, &small_bold, 1, &h2);
	if (!repeat)
		pdf_tag_end(f->d);
	f->y += h;
	return rc;
}

/* Opens (begin 1) or closes a structure element when the row is drawn. */
static int row_tag(form *f, int draw, int begin, const char *type)
{
	if (!draw)
		return BT_OK;
	if (begin)
		return pdf_tag_begin(f->d, type, f->e);
	pdf_tag_end(f->d);
	return BT_OK;
}

/* The draft's cell (a TD: its kind, former name and title) at y;
 * *hl receives its height. */
static int draft_cell(form *f, const table *tb, const bt_draft *dr,
		      const char *const *vars, float y, int draw, float *hl)
{
	float lx = tb->x1 + PAD, lw = tb->w1 - 2 * PAD, h = 0;
	*hl = 0;
	int rc = row_tag(f, draw, 1, "TD");
	if (rc == BT_OK)
		rc = text(f, word(f, dr->revised ? "row_revised" : "row_new",
				  vars), lx, y, lw, &small_bold, draw, &h);
	*hl += h;
	if (rc == BT_OK && dr->former) {
		rc = text(f, word(f, "row_former", vars), lx, y + *hl, lw,
			  &small, draw, &h);
		*hl += h;
	}
	if (rc == BT_OK) {
		/* stored: never refused (draft add checked it against the
		 * fonts of its day) */
		bt_buf title = BT_BUF_INIT;
		size_t bad;
		const char *in_lang = bt_draft_title_in(dr, f->lang);
		rc = pdf_text_fix(f->fonts, in_lang ? in_lang : dr->title, &title, &bad, f->e);
		if (rc == BT_OK)
			rc = pdf_text(f->d, bt_buf_str(&title), lx, y + *hl + 4,
				      lw, &small, draw, "draft title", &h, f->e);
		bt_buf_release(&title);
		*hl += h + 4;
	}
	row_tag(f, draw, 0, "TD");
	return rc;
}

/* One draft's row (a TR of two TD, each of paragraphs); draw 0 only
 * measures it into *h. */
static int table_row(form *f, const table *tb, const bt_draft *dr,
		     const char *sg, int draw, float *rowh)
{
	float y = f->y + PAD, h, hl = 0, hr = 0;
	const char *vars[] = { "rec", dr->rec, "former",
			       dr->former ? dr->former : "", "sg", sg, NULL };
	int rc = row_tag(f, draw, 1, "TR");
	if (rc == BT_OK)
		rc = draft_cell(f, tb, dr, vars, y, draw, &hl);
	/* the choices: box + text, two options, a rule, box + text */
	float cx = tb->x2 + PAD, cw = tb->w2 - 2 * PAD, ind = BOX + 8;
	if (rc == BT_OK)
		rc = row_tag(f, draw, 1, "TD");
	if (rc == BT_OK) {
		rc = text(f, word(f, "authorizes", vars), cx, y, cw, &small,
			  draw, &h);
		hr += h + 2;
	}
	static const char *const opts[] = { "no_comments", "comments" };
	for (int i = 0; i < 2 && rc == BT_OK; i++) {
		float ox = cx + ind, ty = y + hr + (BOX - small.size) / 2 - 1;
		choice_mark(f, draw, dr, i ? BT_AUTHORIZE_WITH_COMMENTS :
			    BT_AUTHORIZE, ox, y + hr);
		rc = text(f, pdf_tmpl_raw(f->t, opts[i]), ox + ind, ty,
			  cw - 2 * ind, &small, draw, &h);
		hr += (ty - y - hr) + h > BOX ? (ty - y - hr) + h + 2 : BOX + 2;
	}
	hr += PAD;
	float rule = y + hr;
	hr += PAD + 2;
	if (rc == BT_OK) {
		float ty = y + hr + (BOX - small.size) / 2 - 1;
		choice_mark(f, draw, dr, BT_NOT_AUTHORIZE, cx, y + hr);
		rc = text(f, word(f, "not_authorize", vars), cx + ind, ty,
			  cw - ind, &small, draw, &h);
		hr += (ty - y - hr) + h > BOX ? (ty - y - hr) + h : BOX;
	}
	row_tag(f, draw, 0, "TD");
	row_tag(f, draw, 0, "TR");
	float inner = hl > hr ? hl : hr;
	*rowh = inner + 2 * PAD;
	if (draw && rc == BT_OK) {
		pdf_rect(f->d, tb->x1, f->y, tb->w1 + tb->w2, *rowh, 0.8f, -1);
		pdf_line(f->d, tb->x2, f->y, tb->x2, f->y + *rowh, 0.8f);
		pdf_line(f->d, tb->x2, rule, tb->x2 + tb->w2, rule, 0.4f);
	}
	return rc;
}

static int new_page(form *f)
{
	int rc = pdf_page_add(f->d, f->e);
	f->y = MARGIN;
	return rc;
}

static int drafts_table(form *f, const bt_consultation *c,
			const bt_draft_list *dl)
{
	table tb;
	tb.x1 = MARGIN;
	tb.w1 = f->cw * 0.34f;
	tb.x2 = tb.x1 + tb.w1;
	tb.w2 = f->cw - tb.w1;
	char sg[16];
	snprintf(sg, sizeof sg, "%d", c->group);
	float bottom = f->h - MARGIN - f->foot;
	int rc = pdf_tag_begin(f->d, "Table", f->e);
	if (rc == BT_OK)
		rc = table_header(f, &tb, 0);
	for (size_t i = 0; i < dl->n && rc == BT_OK; i++) {
		float h;
		rc = table_row(f, &tb, &dl->v[i], sg, 0, &h);
		if (rc == BT_OK && f->y + h > bottom) {
			rc = new_page(f);
			pdf_tag_next(f->d, PDF_TAG_ARTIFACT); /* pagination */
			if (rc == BT_OK)
				rc = para(f, "continued", NULL, &small, 4);
			if (rc == BT_OK)
				rc = table_header(f, &tb, 1);
		}
		if (rc == BT_OK)
			rc = table_row(f, &tb, &dl->v[i], sg, 1, &h);
		f->y += h;
	}
	pdf_tag_end(f->d);
	f->y += 14;
	return rc;
}

static int signature(form *f, const bt_member *m, const char *member_name)
{
	const char *vars[] = { "member", member_name, NULL };
	float h1 = 0, h2 = 0;
	const char *sign = m ? word(f, "sign_member", vars) :
		pdf_tmpl_raw(f->t, "sign_blank");
	char *s = sign ? strdup(sign) : NULL;
	if (!s)
		return bt_fail(f->e, BT_EFAIL, "out of memory");
	int rc = text(f, pdf_tmpl_raw(f->t, "closing"), 0, 0, f->cw, &body, 0,
		      &h1);
	if (rc == BT_OK)
		rc = text(f, s, 0, 0, f->cw / 2, &body, 0, &h2);
	float need = h1 + 40 + h2;
	if (rc == BT_OK && f->y + need > f->h - MARGIN - f->foot)
		rc = new_page(f);
	if (rc == BT_OK)
		rc = para(f, "closing", NULL, &body, 30);
	float x = MARGIN + f->cw / 2;
	if (rc == BT_OK) {
		pdf_line(f->d, x, f->y, MARGIN + f->cw, f->y, 0.5f);
		rc = text(f, s, x, f->y + 4, f->cw / 2, &body, 1, &h2);
		/* the signature above the line; below it, on a blank form
		 * "[Member State] Administration", then [Official title] and
		 * [Name] */
		static const char *const names[] = { "sender.administration",
			"signatory.title", "signatory.name" };
		static const char *const tips[] = { "tip_administration",
			"tip_signatory_title", "tip_signatory_name" };
		field(f, PDF_FIELD_SIG, "signature", NULL, 0, "tip_signature",
		      NULL, x, f->y - 28, f->cw / 2, 27);
		line_fields(f, x, f->y + 4, f->cw / 2, h2, m ? 2 : 3,
			    m ? names + 1 : names, m ? tips + 1 : tips);
		f->y += h2 + 8;
	}
	free(s);
	return rc;
}

/* The member's reply code and the portal's address, in a framed box. */
static int portal_box(form *f, const annex2_portal *portal)
{
	const char *cv[] = { "code", portal->code, NULL };
	const char *uv[] = { "url", portal->url, NULL };
	char *code = NULL;
	const char *s = word(f, "portal_code", cv);
	if (s && !(code = strdup(s)))
		return bt_fail(f->e, BT_EFAIL, "out of memory");
	float h1 = 0, h2 = 0, w = f->cw - 2 * PAD;
	int rc = text(f, code, 0, 0, w, &bold, 0, &h1);
	if (rc == BT_OK)
		rc = text(f, word(f, "portal_address", uv), 0, 0, w, &small, 0, &h2);
	if (rc == BT_OK) {
		pdf_rect(f->d, MARGIN, f->y, f->cw, h1 + h2 + 3 * PAD, 0.8f, -1);
		rc = text(f, code, MARGIN + PAD, f->y + PAD, w, &bold, 1, &h1);
	}
	if (rc == BT_OK)
		rc = text(f, word(f, "portal_address", uv), MARGIN + PAD, f->y + 2 * PAD + h1, w,
			  &small, 1, &h2);
	f->y += h1 + h2 + 3 * PAD + 12;
	free(code);
	return rc;
}

/* The document's language, title (with the member's name on its form),
 * subject and author, in its language. */
static int form_info(form *f, const annex2_lang *l, const char *circular,
		     const char *member)
{
	const char *vars[] = { "circular", circular, "member", member, NULL };
	char *title = strdup(word(f, member ? "doc_title_member" : "doc_title",
				  vars) ? bt_buf_str(&f->tmp) : "");
	char *subject = strdup(word(f, "doc_subject", NULL) ?
			       bt_buf_str(&f->tmp) : "");
	const char *author = word(f, "doc_author", NULL);
	int rc = title && subject ?
		pdf_doc_info(f->d, l->code, title, subject, author ? author : "",
			     f->e) :
		bt_fail(f->e, BT_EFAIL, "out of memory");
	free(title);
	free(subject);
	return rc;
}

/* A filled square in each corner of every page. */
static int registration_marks(form *f)
{
	int n = pdf_page_count(f->d), rc = BT_OK;
	float x2 = f->w - REG_INSET - REG_SIDE, y2 = f->h - REG_INSET - REG_SIDE;
	for (int i = 1; i <= n && rc == BT_OK; i++) {
		rc = pdf_page_select(f->d, i, f->e);
		if (rc)
			break;
		pdf_rect(f->d, REG_INSET, REG_INSET, REG_SIDE, REG_SIDE, 0, 0);
		pdf_rect(f->d, x2, REG_INSET, REG_SIDE, REG_SIDE, 0, 0);
		pdf_rect(f->d, REG_INSET, y2, REG_SIDE, REG_SIDE, 0, 0);
		pdf_rect(f->d, x2, y2, REG_SIDE, REG_SIDE, 0, 0);
	}
	return rc;
}

/* The radio buttons recorded, into f->lay. */
static int layout_of(form *f)
{
	size_t n = 0, k = 0;
	const char *name, *on;
	int page;
	float b[4];
	pdf_fields_radio(f->fields, 0, &n, &name, &on, &page, b);
	annex2_layout *lay = f->lay;
	lay->w = f->w;
	lay->h = f->h;
	lay->pages = pdf_page_count(f->d);
	lay->v = calloc(n ? n : 1, sizeof *lay->v);
	if (!lay->v)
		return bt_fail(f->e, BT_EFAIL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (!pdf_fields_radio(f->fields, i, &n, &name, &on, &page, b))
			continue;
		annex2_box *x = &lay->v[k++];
		/* draft.<REC>.choice */
		const char *r = name + strlen("draft."), *end = strrchr(name, '.');
		size_t len = end > r ? (size_t)(end - r) : 0;
		if (len > BT_ID_MAX)
			len = BT_ID_MAX;
		memcpy(x->rec, r, len);
		x->rec[len] = 0;
		x->choice = bt_choice_parse(on);
		x->page = page;
		x->x = b[0];
		x->y = b[1];
		x->side = b[2];
	}
	lay->n = k;
	return BT_OK;
}

void annex2_layout_free(annex2_layout *lay)
{
	free(lay->v);
	lay->v = NULL;
	lay->n = 0;
}

/* Every page's footer (the QR code on a member's form) and registration
 * marks. */
static int footers(form *f, const annex2_lang *l, const char *ref, int qr)
{
	const char *rv[] = { "ref", ref, NULL };
	const char *w = word(f, "reference", rv);
	char *left = w ? strdup(w) : NULL;
	int rc = left ? pdf_footers(f->d, l, MARGIN, f->h - MARGIN - f->foot +
				    14, f->cw, left, qr ? ref : NULL, f->e)
		: bt_fail(f->e, BT_EFAIL, "out of memory");
	free(left);
	return rc == BT_OK ? registration_marks(f) : rc;
}

/* The finished PDF, with its fields and the hidden one of its reference
 * (pdfread.h), into out. */
static int form_bytes(form *f, const char *ref, bt_buf *out)
{
	int rc = f->rc; /* a field that could not be recorded */
	if (f->lay)
		return rc == BT_OK ? layout_of(f) : rc;
	if (rc == BT_OK)
		rc = pdf_fields_add_hidden(f->fields, PDF_FIELD_REFERENCE, ref,
					   f->e);
	if (rc == BT_OK)
		rc = pdf_fields_apply(f->fields, f->d, f->e);
	if (rc == BT_OK)
		rc = pdf_doc_bytes(f->d, out, f->e);
	if (rc == BT_OK)
		rc = pdf_pack(out, f->e); /* object streams */
	return rc;
}

/* The heading and the subject line (the circular and its drafts, listed),
 * from f->y. */
static int subject(form *f, const bt_consultation *c,
		   const bt_draft_list *drafts)
{
	bt_buf subj = BT_BUF_INIT, list = BT_BUF_INIT;
	pdf_style head = { 12, 1, PDF_CENTER, 0 };
	int rc = para(f, "annex", NULL, &head, 10);
	if (rc == BT_OK)
		rc = drafts_list(f, drafts, &list);
	if (rc == BT_OK) {
		const char *vars[] = { "circular", c->circular, "drafts",
				       bt_buf_str(&list), NULL };
		float lw = 0, h = 0;
		rc = pdf_text_width(f->d, pdf_tmpl_raw(f->t, "subject_label"),
				    &bold, "form text", &lw, f->e);
		if (rc == BT_OK && pdf_tmpl_expand(f->t, "subject", vars,
						   &subj) < 0)
			rc = bt_fail(f->e, BT_EFAIL, "subject too long");
		if (rc == BT_OK)
			rc = labelled(f, MARGIN, f->y, lw + 6, f->cw - lw - 6,
				      pdf_tmpl_raw(f->t, "subject_label"),
				      bt_buf_str(&subj), &bold, &h);
		f->y += h + 14;
	}
	bt_buf_release(&subj);
	bt_buf_release(&list);
	return rc;
}

/* The deadline (date and time in the form's language) in bold on a grey
 * band across the page, from f->y. */
static int deadline(form *f, const annex2_lang *l, const bt_consultation *c)
{
	bt_buf dl = BT_BUF_INIT;
	char hhmm[6];
	int rc = BT_OK;
	pdf_time_hhmm(c->deadline, hhmm);
	if (pdf_date_text(f->t, &l->l, c->deadline, &dl) < 0)
		rc = bt_fail(f->e, BT_EFAIL, "date too long");
	const char *vars[] = { "date", bt_buf_str(&dl), "time", hhmm, NULL };
	float h = 0;
	const char *s = word(f, "deadline", vars);
	/* measured first (not drawn), for the band's height */
	if (rc == BT_OK)
		rc = text(f, s, MARGIN + PAD, f->y + 4, f->cw - 2 * PAD, &bold,
			  0, &h);
	if (rc == BT_OK) {
		pdf_rect(f->d, MARGIN, f->y, f->cw, h + 8, 0, 0.92f);
		rc = text(f, s, MARGIN + PAD, f->y + 4, f->cw - 2 * PAD, &bold,
			  1, &h);
		f->y += h + 8 + 12;
	}
	bt_buf_release(&dl);
	return rc;
}

/* The form's pages from the first: heading, subject, addresses, deadline,
 * the portal box (a member's form with a reply code), the letter's
 * opening, the drafts' table and the signature block; name is the
 * member's (NULL: a blank form). */
static int pages(form *f, const annex2_lang *l, const bt_consultation *c,
		 const bt_draft_list *drafts, const bt_member *m,
		 const annex2_portal *portal, const char *name)
{
	int rc = new_page(f);
	if (rc == BT_OK)
		rc = subject(f, c, drafts);
	if (rc == BT_OK)
		rc = addresses(f, m, name);
	if (rc == BT_OK)
		rc = deadline(f, l, c);
	if (rc == BT_OK && m && portal)
		rc = portal_box(f, portal);
	if (rc == BT_OK)
		rc = para(f, "salutation", NULL, &body, 6);
	if (rc == BT_OK) {
		const char *vars[] = { "circular", c->circular, NULL };
		rc = para(f, "opening", vars, &body, 10);
	}
	if (rc == BT_OK)
		rc = drafts_table(f, c, drafts);
	if (rc == BT_OK)
		rc = signature(f, m, name);
	return rc;
}

/* The form of l for member m (NULL: blank) into out, or only its boxes'
 * layout into lay (out NULL). */
static int render(pdf_fonts *fonts, const annex2_lang *l,
		  const bt_consultation *c, const bt_draft_list *drafts,
		  const char *digest, const bt_member *m,
		  const annex2_portal *portal, pdf_paper paper, bt_buf *out,
		  annex2_layout *lay, bt_err *e)
{
	form f = { 0 };
	f.lay = lay;
	f.t = l->t;
	f.lang = l->code;
	f.e = e;
	bt_buf_init(&f.tmp, 0);
	bt_buf ref = BT_BUF_INIT, fixed = BT_BUF_INIT;
	f.fonts = fonts;
	const char *name = m ? annex2_member_name(l, m) : NULL;
	int rc = BT_OK;
	if (name && name == m->name) { /* the database's: never refused */
		size_t bad;
		rc = pdf_text_fix(fonts, name, &fixed, &bad, e);
		name = bt_buf_str(&fixed);
	}
	if (rc == BT_OK)
		rc = pdf_doc_new(fonts, paper, l->l.rtl, &f.d, e);
	if (rc) {
		bt_buf_release(&fixed);
		return rc;
	}
	f.w = pdf_page_width(f.d);
	f.h = pdf_page_height(f.d);
	f.cw = f.w - 2 * MARGIN;
	rc = pdf_fields_new(l->code, l->l.rtl, f.w, f.h, &f.fields, e);
	if (rc == BT_OK)
		rc = form_info(&f, l, c->circular, name);
	if (rc == BT_OK)
		rc = annex2_reference(c, digest, m, l, &ref) < 0 ?
			bt_fail(e, BT_EFAIL, "reference too long") : BT_OK;
	/* the footer band holds the QR code (member forms) above QR_BOTTOM */
	f.foot = m ? pdf_qr_side(bt_buf_str(&ref)) + QR_BOTTOM - MARGIN + 14 :
		FOOT;
	if (f.foot < FOOT)
		f.foot = FOOT;
	if (rc == BT_OK)
		rc = pages(&f, l, c, drafts, m, portal, name);
	if (rc == BT_OK)
		rc = footers(&f, l, bt_buf_str(&ref), m != NULL);
	if (rc == BT_OK)
		rc = form_bytes(&f, bt_buf_str(&ref), out);
	pdf_fields_free(f.fields);
	pdf_doc_free(f.d);
	bt_buf_release(&f.tmp);
	bt_buf_release(&ref);
	bt_buf_release(&fixed);
	return rc;
}

int annex2_render(pdf_fonts *fonts, const annex2_lang *l,
		  const bt_consultation *c, const bt_draft_list *drafts,
		  const char *digest, const bt_member *m,
		  const annex2_portal *portal, pdf_paper paper, bt_buf *out,
		  bt_err *e)
{
	return render(fonts, l, c, drafts, digest, m, portal, paper, out, NULL,
		      e);
}

int annex2_layout_get(pdf_fonts *fonts, const annex2_lang *l,
		      const bt_consultation *c, const bt_draft_list *drafts,
		      const char *digest, const bt_member *m,
		      const annex2_portal *portal, pdf_paper paper,
		      annex2_layout *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	return render(fonts, l, c, drafts, digest, m, portal, paper, NULL, out,
		      e);
}
