/* lang.c - languages, dates in words, template files. */
#include "pdf/lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const pdf_langs[PDF_NLANGS] = { "en", "fr", "es", "ru", "zh",
					    "ar" };

int pdf_langs_parse(const char *arg, const char *out[PDF_NLANGS], int *n,
		    bt_err *e)
{
	*n = 0;
	if (strcmp(arg, "all") == 0) {
		for (int i = 0; i < PDF_NLANGS; i++)
			out[(*n)++] = pdf_langs[i];
		return BT_OK;
	}
	const char *p = arg;
	for (;;) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int i = 0; i < PDF_NLANGS; i++)
			if (len == 2 && strncmp(p, pdf_langs[i], 2) == 0)
				found = i;
		if (found < 0)
			return bt_fail(e, BT_EINPUT, "--lang: unknown language "
				       "'%.*s' (en, fr, es, ru, zh, ar or all)",
				       (int)(len > 40 ? 40 : len), p);
		for (int i = 0; i < *n; i++)
			if (out[i] == pdf_langs[found])
				return bt_fail(e, BT_EINPUT, "--lang: '%s' "
					       "given twice", pdf_langs[found]);
		out[(*n)++] = pdf_langs[found];
		if (!p[len])
			break;
		p += len + 1;
	}
	return BT_OK;
}

/* Direction and month names of t; BT_EINPUT when months does not hold 12
 * names or direction is not ltr/rtl. */
static int lang_init(const pdf_tmpl *t, pdf_lang *out, bt_err *e)
{
	const char *dir = pdf_tmpl_raw(t, "direction");
	if (strcmp(dir, "ltr") != 0 && strcmp(dir, "rtl") != 0)
		return bt_fail(e, BT_EINPUT, "%s: key 'direction': '%s' is not "
			       "ltr or rtl", pdf_tmpl_path(t), dir);
	out->rtl = strcmp(dir, "rtl") == 0;
	if (pdf_tmpl_split(t, "months", 12, &out->months[0][0],
			   sizeof out->months[0]) < 0)
		return bt_fail(e, BT_EINPUT, "%s: key 'months' must hold 12 "
			       "names separated by |", pdf_tmpl_path(t));
	return BT_OK;
}

int pdf_date_text(const pdf_tmpl *tp, const pdf_lang *l, bt_time t,
		  bt_buf *out)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char day[16], year[16];
	snprintf(day, sizeof day, "%d", tm.tm_mday);
	snprintf(year, sizeof year, "%d", tm.tm_year + 1900);
	const char *vars[] = { "day", day, "month", l->months[tm.tm_mon],
			       "year", year, NULL };
	return pdf_tmpl_expand(tp, "date", vars, out);
}

void pdf_time_hhmm(bt_time t, char out[6])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	snprintf(out, 6, "%02u:%02u", (unsigned)tm.tm_hour % 24u,
		 (unsigned)tm.tm_min % 60u);
}

void pdf_words_free(pdf_words *w)
{
	if (!w)
		return;
	pdf_tmpl_free(w->t);
	pdf_names_free(w->names);
	free(w);
}

int pdf_words_load(const char *forms_dir, const char *kind, const char *lang,
		   const pdf_tmpl_key *schema, size_t n, pdf_words **out,
		   bt_err *e)
{
	*out = NULL;
	pdf_words *w = calloc(1, sizeof *w);
	if (!w)
		return bt_fail(e, BT_EFAIL, "out of memory");
	snprintf(w->code, sizeof w->code, "%s", lang);
	char path[4096];
	int rc = BT_OK;
	if ((size_t)snprintf(path, sizeof path, "%s/%s/%s.txt", forms_dir, kind,
			     lang) >= sizeof path)
		rc = bt_fail(e, BT_EINPUT, "forms directory '%s' too long",
			     forms_dir);
	if (rc == BT_OK)
		rc = pdf_tmpl_load(path, schema, n, &w->t, e);
	if (rc == BT_OK)
		rc = lang_init(w->t, &w->l, e);
	if (rc == BT_OK) {
		pdf_tmpl_set_rtl(w->t, w->l.rtl);
		rc = pdf_names_load(forms_dir, lang, &w->names, e);
	}
	if (rc) {
		pdf_words_free(w);
		return rc;
	}
	*out = w;
	return BT_OK;
}

const char *pdf_words_name(const pdf_words *w, const char *code,
			   const char *en_name)
{
	const char *n = pdf_names_get(w->names, code, en_name);
	return n ? n : en_name;
}
