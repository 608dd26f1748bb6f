/* lang.h - the six ITU languages of the documents, and dates in them. */
#ifndef BALLOT_PDF_LANG_H
#define BALLOT_PDF_LANG_H
#include "ballot/buf.h"
#include "ballot/err.h"
#include "ballot/timeutil.h"
#include "pdf/names.h"
#include "pdf/tmpl.h"

#define PDF_NLANGS 6
/* The ITU's official languages (Constitution Art. 29), in the order
 * documents are produced: en fr es ru zh ar. */
extern const char *const pdf_langs[PDF_NLANGS];

/* Parses a --lang value: "all", or a comma-separated list of codes (each
 * once). out receives the codes in the order given. BT_EINPUT naming the
 * unknown or repeated code. */
int pdf_langs_parse(const char *arg, const char *out[PDF_NLANGS], int *n,
		    bt_err *e);

/* The schema keys every document template has: language, direction, date,
 * months. */
#define PDF_LANG_KEYS \
	{ "language", "" }, { "direction", "" }, \
	{ "date", "day month year" }, { "months", "" }

/* Month names and direction of a loaded template. */
typedef struct pdf_lang {
	int rtl;
	char months[12][64];
} pdf_lang;

/* Appends the UTC date of t in the template's words ("21 February 2020",
 * "2020年2月21日"); -1 when out's cap is exceeded. */
int pdf_date_text(const pdf_tmpl *tp, const pdf_lang *l, bt_time t,
		  bt_buf *out);
/* "HH:MM" of t in UTC. */
void pdf_time_hhmm(bt_time t, char out[6]);

/* The words of one document kind in one language: its template (checked
 * against the kind's schema), direction and month names, and the Member
 * State names of the language. */
typedef struct pdf_words {
	char code[3];
	pdf_tmpl *t;
	pdf_lang l;
	pdf_names *names;
} pdf_words;

/* Loads forms_dir/<kind>/<lang>.txt against schema and the names of lang;
 * BT_EINPUT naming file, line and key when the template is wrong. */
int pdf_words_load(const char *forms_dir, const char *kind, const char *lang,
		   const pdf_tmpl_key *schema, size_t n, pdf_words **out,
		   bt_err *e);
void pdf_words_free(pdf_words *w);

/* The name of member code in the language; en_name when it has none. */
const char *pdf_words_name(const pdf_words *w, const char *code,
			   const char *en_name);

/* The forms directory: $BALLOT_FORMS, else the one built in. */
const char *pdf_forms_dir(void);

#endif
