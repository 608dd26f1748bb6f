/* html.h - HTML (html.c): escaping, the page frame, the words of the
 * pages appended escaped. Every value that reaches a page goes through
 * html_text. */
#ifndef BALLOT_PORTAL_HTML_H
#define BALLOT_PORTAL_HTML_H

#include "ballot/buf.h"
#include "portal/request.h"
#include "portal/words.h"

/* Appends s with & < > " ' escaped. */
void html_text(bt_buf *b, const char *s);
/* Appends text escaped (html_text), each section reference in it
 * ("(§9.5)") isolated left to right (<bdi dir="ltr">), so that it reads
 * the same on a right-to-left page. */
void html_text_refs(bt_buf *out, const char *text);
/* Appends printf output, escaped (cut at 2 KiB). */
void html_textf(bt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens a page (doctype, head, header with the user and the language menu)
 * titled title, on r->out; page_end closes it (footer with r->now). */
void page_begin(preq *r, const char *title);
void page_end(preq *r);
/* The hidden CSRF field of the session (or of the pre-session cookie). */
void html_csrf(preq *r, const char *token);

/* Appends key of template tmpl (a pdf_tmpl) escaped, placeholders expanded
 * from vars (NULL-terminated name, value pairs). */
void html_words(bt_buf *out, const void *tmpl, const char *key, const char *const *vars);
/* The same in r's language. */
void Lf(preq *r, bt_buf *out, const char *key, const char *const *vars);
/* Appends key's text escaped, with placeholder name's value (escaped) in a
 * <span class="cls"> so that pages and tests can find it. */
void Lspan(preq *r, bt_buf *out, const char *key, const char *name, const char *value, const char *cls);
/* Appends to r->out the words for word in table t (escaped), or word
 * itself when no key names it. */
void html_word(preq *r, const word_key *t, const char *word);

#endif
