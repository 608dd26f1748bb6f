/* annex2.h - the Annex 2 reply form of a consultation, as PDF. */
#ifndef BALLOT_PDF_ANNEX2_H
#define BALLOT_PDF_ANNEX2_H
#include "ballot/buf.h"
#include "ballot/consultation.h"
#include "ballot/draft.h"
#include "ballot/err.h"
#include "ballot/member.h"
#include "ballot/reply.h"
#include "pdf/doc.h"
#include "pdf/lang.h"

typedef pdf_words annex2_lang;

/* The registration marks in the corners of every page: filled squares of
 * ANNEX2_REG_SIDE points, ANNEX2_REG_INSET points from both edges. */
#define ANNEX2_REG_SIDE 15.0f
#define ANNEX2_REG_INSET 20.0f

/* Loads the words (forms_dir/annex2/<lang>.txt) and the Member State names
 * of a language; BT_EINPUT with the template's file, line and key when the
 * template is wrong. */
int annex2_lang_load(const char *forms_dir, const char *lang,
		     annex2_lang **out, bt_err *e);
void annex2_lang_free(annex2_lang *l);

/* The name of member m in the language: a name override or iso-codes
 * translation (forms/, checked like the templates), else m->name itself,
 * the database's (never refused: drawn through pdf_text_fix). */
const char *annex2_member_name(const annex2_lang *l, const bt_member *m);

/* The form's reference: "ballot:<circular>:<CODE>:<lang>:<16 hex digits of
 * the draft-list digest>" (CODE "-" on a blank form). */
int annex2_reference(const bt_consultation *c, const char *digest,
		     const bt_member *m, const annex2_lang *l, bt_buf *out);

/* What a personalized form says about the portal: the member's reply code
 * and the portal's address. */
typedef struct annex2_portal {
	const char *code;
	const char *url;
} annex2_portal;

/* Renders the form of consultation c with its drafts for member m (NULL: the
 * blank form) into out (PDF bytes). digest: bt_drafts_digest of drafts.
 * portal (NULL: none; only on a member's form) adds the reply code box.
 * Stored text (draft titles, the database's member name) never stops it: a
 * character no font can print is drawn as the mark (pdf_text_fix). */
int annex2_render(pdf_fonts *fonts, const annex2_lang *l,
		  const bt_consultation *c, const bt_draft_list *drafts,
		  const char *digest, const bt_member *m,
		  const annex2_portal *portal, pdf_paper paper, bt_buf *out,
		  bt_err *e);

/* Where the tick boxes of a member's form are on paper: per box its page
 * (from 1), draft, choice and square (x, y of the top-left corner, side),
 * in points from the page's top-left corner, as the form draws them. */
typedef struct annex2_box {
	int page;
	char rec[BT_ID_MAX + 1];
	bt_choice choice;
	float x, y, side;
} annex2_box;

typedef struct annex2_layout {
	float w, h; /* the page's size, points */
	int pages;
	annex2_box *v;
	size_t n;
} annex2_layout;

/* The layout of the form annex2_render draws with the same arguments (the
 * positions it records for the form's fields, acroform.h). */
int annex2_layout_get(pdf_fonts *fonts, const annex2_lang *l,
		      const bt_consultation *c, const bt_draft_list *drafts,
		      const char *digest, const bt_member *m,
		      const annex2_portal *portal, pdf_paper paper,
		      annex2_layout *out, bt_err *e);
void annex2_layout_free(annex2_layout *lay);

#endif
