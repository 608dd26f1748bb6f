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
	const bt_decision_list *decisions; /* recorded by the report's time */
	int cut_off;                /* 1: print the time the figures are as of
				       (--as-of given), even after the deadline */
	const bt_draft_list *drafts; /* the drafts with their titles in the other
					languages (NULL: the English titles) */
} report_data;

/* Renders the report into out (PDF bytes): per draft the figures, a bar of
 * the support share against the rule's threshold, the outcome and the rule
 * with its clause; the plenary's decisions (§9.5) with their dates, naming
 * the members and saying which opposing ones did not reply; the replies counted (member, choice, received time,
 * attachments); late and withdrawn replies; the members with no reply. */
int report_render(pdf_fonts *fonts, const report_lang *l,
		  const report_data *r, pdf_paper paper, bt_buf *out,
		  bt_err *e);

/* What the report of a consultation shows, read through the engine. */
typedef struct report_source {
	bt_consultation c;
	bt_tally t;
	bt_history h;
	bt_pending_list *pending; /* one list per draft */
	bt_member_list electorate;
	bt_decision_list decisions;
	bt_draft_list drafts;     /* for their titles in the report's language */
	report_data data;         /* points at the fields above */
} report_source;

/* Reads circular's figures as of as_of, its replies recorded by then, its
 * electorate and, per draft, the members with no counted reply: the decisions recorded by
 * then: all as the engine says the record stood at as_of (bt_tally_compute,
 * bt_history_as_of, bt_pending_get, bt_decisions_get), and the drafts with
 * their titles in the other languages as they stand now (bt_drafts_list).
 * BT_EINPUT for an unknown
 * circular or one with no drafts. Free with report_source_free (also after
 * a failure). */
int report_gather(bt_db *db, const char *circular, bt_time as_of,
		  report_source *s, bt_err *e);
void report_source_free(report_source *s);

/* The report of circular as of as_of in one language, as PDF bytes
 * appended to out: gathers, loads the fonts and words, renders. The same
 * bytes as `ballot report` for that language, time and paper. */
int report_build(bt_db *db, const char *circular, bt_time as_of,
		 const char *lang, pdf_paper paper, bt_buf *out, bt_err *e);

#endif
