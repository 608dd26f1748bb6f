/* report.h - the tally report of a consultation, as PDF. */
#ifndef BALLOT_PDF_REPORT_H
#define BALLOT_PDF_REPORT_H
#include "ballot/ballot.h"
#include "pdf/doc.h"
#include "pdf/lang.h"

typedef pdf_words report_lang;

/* Loads the words (forms_dir/report/<lang>.txt) and the Member State names
 * of a language; BT_EINPUT naming file, line and key when the template is
 * wrong. */
int report_lang_load(const char *forms_dir, const char *lang,
		     report_lang **out, bt_err *e);
void report_lang_free(report_lang *l);

/* What the report shows, gathered through the engine by the caller. */
typedef struct report_data {
	const bt_consultation *c;
	const bt_tally *tally;      /* as of the report's time */
	const bt_history *history;  /* every reply and withdrawal */
	const bt_pending_list *pending; /* one list per draft, tally order */
	const bt_member_list *electorate; /* for names, by code */
} report_data;

/* Renders the report into out (PDF bytes): per draft the figures, a bar of
 * the support share against the rule's threshold, the outcome and the rule
 * with its clause; the replies counted (member, choice, received time,
 * attachments); late and withdrawn replies; the members with no reply. */
int report_render(pdf_fonts *fonts, const report_lang *l,
		  const report_data *r, pdf_paper paper, bt_buf *out,
		  bt_err *e);

#endif
