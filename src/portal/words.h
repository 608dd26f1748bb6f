/* words.h - the languages of the pages (words.c): forms/portal/<lang>.txt
 * and the Annex 2 words per language, a request's language, and the raw
 * (unescaped) text of a key. html.h appends them escaped. */
#ifndef BALLOT_PORTAL_WORDS_H
#define BALLOT_PORTAL_WORDS_H

#include "ballot/buf.h"
#include "ballot/err.h"
#include "portal/request.h"

/* Loads forms/portal/<lang>.txt and forms/annex2/<lang>.txt for the six
 * languages (BT_EINPUT naming file, line and key when one is wrong; a
 * language without its portal file is not offered, English must be there);
 * portal_words_free frees them. */
int portal_words_load(struct portal *p, bt_err *e);
void portal_words_free(struct portal *p);

/* The language of code, English when it is not offered. */
const plang *portal_lang(struct portal *p, const char *code);

/* The language of a request: ?lang= (then remembered in a "lang" cookie
 * the answer sets), else the "lang" cookie, else the browser's
 * Accept-Language, else English. */
const plang *portal_request_lang(preq *r);

/* Text of key in r's language ("" when unknown), raw: escape it with
 * html_text. Lplain appends it with placeholders expanded from vars
 * (NULL-terminated name, value pairs), unescaped (for a message that
 * html_text will escape). */
const char *L(preq *r, const char *key);
void Lplain(preq *r, bt_buf *out, const char *key, const char *const *vars);

/* Engine words ("authorize", "late", "ready-for-approval") and the keys of
 * forms/portal/<lang>.txt that name them; tables end with a NULL word. */
typedef struct word_key {
	const char *word, *key;
} word_key;
extern const word_key portal_choice_words[], portal_status_words[], portal_state_words[],
	portal_outcome_words[], portal_channel_words[];
/* The engine's field names ("late_entry_reason") and the keys of the
 * labels of the form fields that carry them ("late_entry_label"). */
extern const word_key portal_field_words[];

#endif
