/* html.c - escaping, the page frame and the words of the pages appended
 * escaped (html.h).
 *
 * Every value that reaches a page goes through html_text; the page frame
 * carries no script and no inline style (the Content-Security-Policy allows
 * neither), so the bars of the tally are classes of the stylesheet.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "pdf/tmpl.h"
#include "portal/html.h"

void html_words(bt_buf *out, const void *tmpl, const char *key, const char *const *vars)
{
	bt_buf t = BT_BUF_INIT;
	pdf_tmpl_expand(tmpl, key, vars, &t);
	html_text(out, bt_buf_str(&t));
	bt_buf_release(&t);
}

void Lf(preq *r, bt_buf *out, const char *key, const char *const *vars)
{
	html_words(out, r->lang->tmpl, key, vars);
}

void html_word(preq *r, const word_key *t, const char *word)
{
	for (; t->word; t++)
		if (!strcmp(t->word, word)) {
			html_text(&r->out, L(r, t->key));
			return;
		}
	html_text(&r->out, word);
}

void Lspan(preq *r, bt_buf *out, const char *key, const char *name, const char *value, const char *cls)
{
	const char *vars[] = { name, "\x01", NULL };
	bt_buf t = BT_BUF_INIT;
	pdf_tmpl_expand(r->lang->tmpl, key, vars, &t);
	const char *all = bt_buf_str(&t);
	const char *mark = strchr(all, '\x01');
	if (!mark) {
		html_text(out, all);
	} else {
		bt_buf pre = BT_BUF_INIT;
		bt_buf_add(&pre, all, (size_t)(mark - all));
		html_text(out, bt_buf_str(&pre));
		bt_buf_addf(out, "<span class=\"%s\">", cls);
		html_text(out, value);
		bt_buf_adds(out, "</span>");
		html_text(out, mark + 1);
		bt_buf_release(&pre);
	}
	bt_buf_release(&t);
}

void html_text_refs(bt_buf *out, const char *text)
{
	const char *p = text, *ref;
	while ((ref = strstr(p, "(\xc2\xa7")) != NULL) { /* "(§" */
		const char *end = strchr(ref, ')');
		if (!end)
			break;
		bt_buf run = BT_BUF_INIT;
		bt_buf_add(&run, p, (size_t)(ref - p));
		html_text(out, bt_buf_str(&run));
		bt_buf_reset(&run);
		bt_buf_add(&run, ref, (size_t)(end + 1 - ref));
		bt_buf_adds(out, "<bdi dir=\"ltr\">");
		html_text(out, bt_buf_str(&run));
		bt_buf_adds(out, "</bdi>");
		bt_buf_release(&run);
		p = end + 1;
	}
	html_text(out, p);
}

void html_text(bt_buf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		bt_buf_add(b, run, (size_t)(s - run));
		bt_buf_adds(b, rep);
		run = s + 1;
	}
	bt_buf_add(b, run, (size_t)(s - run));
}

void html_textf(bt_buf *b, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	html_text(b, tmp);
}

void html_csrf(preq *r, const char *token)
{
	bt_buf_adds(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_text(&r->out, token);
	bt_buf_adds(&r->out, "\">\n");
}

void page_begin(preq *r, const char *title)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
		    r->lang->code, r->lang->rtl ? "rtl" : "ltr");
	html_text(b, title);
	bt_buf_adds(b, " — ");
	html_text(b, L(r, "site"));
	bt_buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
		    "<header><a class=\"site\" href=\"/\">");
	html_text(b, L(r, "site"));
	bt_buf_adds(b, "</a>\n<nav class=\"langs\">");
	for (size_t i = 0; i < r->p->nlangs; i++) {
		const plang *l = &r->p->langs[i];
		if (l == r->lang)
			bt_buf_addf(b, " <strong lang=\"%s\">", l->code);
		else
			bt_buf_addf(b, " <a lang=\"%s\" href=\"?lang=%s\">", l->code, l->code);
		html_text(b, pdf_tmpl_raw(l->tmpl, "language"));
		bt_buf_adds(b, l == r->lang ? "</strong>" : "</a>");
	}
	bt_buf_adds(b, "</nav>\n");
	if (r->signed_in) {
		char who[128];
		const bt_identity *id = &r->s.id;
		if (id->role == BT_ROLE_MEMBER)
			snprintf(who, sizeof who, "%s", id->member);
		else
			snprintf(who, sizeof who, "%s (%s)", id->user, bt_role_name(id->role));
		const char *vars[] = { "who", who, NULL };
		bt_buf_adds(b, "<form class=\"signout\" method=\"post\" action=\"/signout\"><span>");
		Lf(r, b, "signed_in_as", vars);
		bt_buf_adds(b, "</span>\n");
		html_csrf(r, r->s.csrf);
		bt_buf_adds(b, "<button type=\"submit\">");
		html_text(b, L(r, "signout_button"));
		bt_buf_adds(b, "</button></form>\n");
	}
	bt_buf_adds(b, "</header>\n<main>\n<h1>");
	html_text(b, title);
	bt_buf_adds(b, "</h1>\n");
}

void page_end(preq *r)
{
	char t[BT_TIME_LEN];
	bt_time_format(r->now, t);
	bt_buf_addf(&r->out, "</main>\n<footer>ballot %s · <time dir=\"ltr\" datetime=\"%s\">%s</time> UTC</footer>\n"
		    "</body>\n</html>\n", BALLOT_VERSION, t, t);
}
