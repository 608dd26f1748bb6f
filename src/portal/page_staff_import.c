/* page_staff_import.c - the secretariat imports a reply TSV in the portal
 * (page_staff_import.h): the form, the dry run that shows what would be
 * recorded, the confirmation that records it. The file and the files its
 * lines name are kept in a private directory beside the database
 * (".import-XXXXXX", mode 0700) from the check to the confirmation, for
 * at most STAGE_TTL seconds. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "portal/answer.h"
#include "portal/circular.h"
#include "portal/error.h"
#include "portal/confirm.h"
#include "portal/html.h"
#include "portal/identity.h"
#include "portal/once.h"
#include "portal/page_staff_import.h"

#define STAGE_TTL 1800
#define STAGE_TSV "replies.tsv"
#define PREVIEW_LINES 500

/* The directory of the database. */
static void db_dir(const preq *r, char *out, size_t n)
{
	const char *s = strrchr(r->p->db_path, '/');
	if (!s)
		snprintf(out, n, ".");
	else
		snprintf(out, n, "%.*s", (int)(s == r->p->db_path ? 1 : s - r->p->db_path), r->p->db_path);
}

/* Removes a stage directory and its files (it holds no directory). */
static void stage_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *x;
	char p[1024];
	while (d && (x = readdir(d)))
		if (strcmp(x->d_name, ".") && strcmp(x->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, x->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Removes the stages older than STAGE_TTL (checks never confirmed). */
static void stage_sweep(const preq *r)
{
	char dir[512], p[1024];
	struct stat st;
	db_dir(r, dir, sizeof dir);
	DIR *d = opendir(dir);
	struct dirent *x;
	time_t now = time(NULL);
	while (d && (x = readdir(d)))
		if (!strncmp(x->d_name, ".import-", 8)) {
			snprintf(p, sizeof p, "%s/%s", dir, x->d_name);
			if (!lstat(p, &st) && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
			    now - st.st_mtime > STAGE_TTL)
				stage_remove(p);
		}
	if (d)
		closedir(d);
}

/* The directory of stage id (6 letters or digits): 0, or -1 when id is
 * not one or it is gone. */
static int stage_dir(const preq *r, const char *id, char *out, size_t n)
{
	struct stat st;
	char dir[512];
	if (strlen(id) != 6 || strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != 6)
		return -1;
	db_dir(r, dir, sizeof dir);
	snprintf(out, n, "%s/.import-%s", dir, id);
	return !lstat(out, &st) && S_ISDIR(st.st_mode) && st.st_uid == getuid() ? 0 : -1;
}

/* The form name of circular's import of stage id (its single-use token). */
static void import_form(const char *circular, const char *id, char out[PORTAL_ONCE_FORM])
{
	snprintf(out, PORTAL_ONCE_FORM, "i:%s:%s", circular, id);
}

static void file_row(preq *r, const char *key, const char *name, const char *accept)
{
	bt_buf *b = &r->out;
	bt_buf_addf(b, "<p><label for=\"%s\">", name);
	html_text(b, L(r, key));
	bt_buf_addf(b, "</label><br>\n<input type=\"file\" id=\"%s\" name=\"%s\" accept=\"%s\"></p>\n", name, name,
		    accept);
}

/* The upload form: the TSV, then up to eight files its lines name. */
static void import_form_html(preq *r, const char *circular)
{
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p class=\"note\">");
	html_text(b, L(r, "import_help"));
	bt_buf_adds(b, "</p>\n<form method=\"post\" enctype=\"multipart/form-data\" action=\"/secretariat/c/");
	html_text(b, circular);
	bt_buf_adds(b, "/import/check\">\n");
	html_csrf(r, r->s.csrf);
	file_row(r, "import_file_label", "tsv", ".tsv,.txt,text/tab-separated-values");
	bt_buf_adds(b, "<fieldset><legend>");
	html_text(b, L(r, "import_files_label"));
	bt_buf_adds(b, "</legend>\n");
	for (int i = 1; i <= 8; i++)
		bt_buf_addf(b, "<input type=\"file\" name=\"file-%d\" aria-label=\"%d\" accept=\"%s\"><br>\n", i, i,
			    PORTAL_UPLOAD_ACCEPT);
	bt_buf_adds(b, "</fieldset>\n<button type=\"submit\">");
	html_text(b, L(r, "import_preview_button"));
	bt_buf_adds(b, "</button>\n</form>\n");
}

int page_secretariat_import(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	page_begin(r, L(r, "import_title"));
	html_consultation_line(r, &c);
	import_form_html(r, c.circular);
	bt_buf_adds(&r->out, "<p><a href=\"/secretariat/c/");
	html_text(&r->out, c.circular);
	bt_buf_adds(&r->out, "\">");
	html_text(&r->out, L(r, "cancel_back"));
	bt_buf_adds(&r->out, "</a></p>\n");
	page_end(r);
	return 0;
}

/* Keeps the files of the form in a new stage: its id, or -1 with e. */
static int stage_keep(preq *r, char id[8], char *dir, size_t n, bt_err *e)
{
	char base[512];
	db_dir(r, base, sizeof base);
	snprintf(dir, n, "%s/.import-XXXXXX", base);
	if (!mkdtemp(dir))
		return bt_failf(e, BT_R_IO, NULL, "import: cannot make a directory beside the database"), -1;
	snprintf(id, 8, "%s", dir + strlen(dir) - 6);
	int rc = BT_OK;
	char p[1024];
	for (size_t i = 0; i < r->form.n && rc == BT_OK; i++) {
		const pfield *f = &r->form.v[i];
		if (!f->filename || !f->value.len || !f->filename[0])
			continue;
		int tsv = !strcmp(f->name, "tsv");
		if (!tsv && strncmp(f->name, "file-", 5))
			continue;
		if (!tsv && (rc = bt_file_name_check(f->filename, f->name, e)))
			break;
		if (!tsv && !strcmp(f->filename, STAGE_TSV))
			rc = bt_failf(e, BT_R_INPUT, f->name, "'%s' is the name of the import file itself", f->filename);
		snprintf(p, sizeof p, "%s/%s", dir, tsv ? STAGE_TSV : f->filename);
		if (rc == BT_OK)
			rc = bt_file_write(p, f->name, f->value.data, f->value.len, e);
	}
	if (rc == BT_OK && !pform_file(&r->form, "tsv"))
		rc = bt_failf(e, BT_R_INPUT, "import", "no file chosen");
	if (rc) {
		stage_remove(dir);
		return -1;
	}
	return 0;
}

/* The lines of the TSV, as a table (at most PREVIEW_LINES). */
static void tsv_table(preq *r, const char *path)
{
	bt_buf text = BT_BUF_INIT, *b = &r->out;
	bt_err e;
	if (bt_file_read(path, "import", 16 << 20, &text, &e))
		return;
	bt_buf_adds(b, "<div class=\"wide\"><table class=\"import-lines\">\n");
	const char *s = bt_buf_str(&text);
	for (int line = 1; *s && line <= PREVIEW_LINES; line++) {
		size_t len = strcspn(s, "\n");
		bt_buf_addf(b, "<tr><td class=\"lineno\">%d</td>", line);
		for (const char *c = s; c <= s + len;) {
			size_t cl = strcspn(c, "\t\n");
			if (c + cl > s + len)
				cl = (size_t)(s + len - c);
			bt_buf_adds(b, line == 1 ? "<th>" : "<td>");
			html_textf(b, "%.*s", (int)cl, c);
			bt_buf_adds(b, line == 1 ? "</th>" : "</td>");
			c += cl + 1;
		}
		bt_buf_adds(b, "</tr>\n");
		s += len + (s[len] == '\n');
	}
	bt_buf_adds(b, "</table></div>\n");
	bt_buf_release(&text);
}

/* The preview: nothing recorded yet, what would be, the lines, the
 * confirmation whose button names the count. */
static void preview(preq *r, const bt_consultation *c, const char *id, const char *dir, const bt_import_stats *st)
{
	bt_buf *b = &r->out;
	char n[24], late[24], wr[24], sup[24], form[PORTAL_ONCE_FORM], path[1024];
	snprintf(n, sizeof n, "%zu", st->recorded);
	snprintf(late, sizeof late, "%zu", st->late);
	snprintf(wr, sizeof wr, "%zu", st->without_reasons);
	snprintf(sup, sizeof sup, "%zu", st->supersedes);
	const char *cv[] = { "circular", c->circular, NULL };
	const char *sv[] = { "n", n, "late", late, "without_reasons", wr, "supersedes", sup, NULL };
	bt_buf title = BT_BUF_INIT;
	Lplain(r, &title, "import_preview_title", cv);
	page_begin(r, bt_buf_str(&title));
	bt_buf_release(&title);
	bt_buf_adds(b, "<p class=\"note\" role=\"status\">");
	html_text(b, L(r, "import_nothing_yet"));
	bt_buf_addf(b, "</p>\n<p class=\"import-counts\" data-n=\"%zu\">", st->recorded);
	Lf(r, b, "import_counts", sv);
	bt_buf_adds(b, "</p>\n");
	snprintf(path, sizeof path, "%s/%s", dir, STAGE_TSV);
	tsv_table(r, path);
	char action[200], back[200];
	snprintf(action, sizeof action, "/secretariat/c/%s/import", c->circular);
	snprintf(back, sizeof back, "/secretariat/c/%s/import", c->circular);
	import_form(c->circular, id, form);
	const char *const hidden[] = { "stage", id, NULL };
	staff_confirm_form(r, action, form, hidden, "import_confirm_button", (const char *const[]){ "n", n, NULL },
			   back);
	page_end(r);
}

int page_secretariat_import_check(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	stage_sweep(r);
	char id[8], dir[600], path[700], actor[96];
	bt_import_stats st;
	bt_err e;
	if (stage_keep(r, id, dir, sizeof dir, &e))
		return page_engine_error(r, &e);
	snprintf(path, sizeof path, "%s/%s", dir, STAGE_TSV);
	portal_actor(r, actor, sizeof actor);
	if (bt_reply_import_check(r->db, c.circular, path, dir, actor, r->now, 0, &st, &e)) {
		stage_remove(dir);
		return page_engine_error(r, &e);
	}
	preview(r, &c, id, dir, &st);
	return 0;
}

int page_secretariat_import_post(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	const char *id = pform_get(&r->form, "stage");
	char form[PORTAL_ONCE_FORM], dir[600], path[700], actor[96], loc[200];
	import_form(c.circular, id, form);
	if (!once_begin(r, form)) /* a resent confirmation: the first outcome */
		return 0;
	if (stage_dir(r, id, dir, sizeof dir)) {
		once_done(r, NULL);
		return page_error(r, 409, L(r, "import_stale"));
	}
	bt_import_stats st;
	bt_err e;
	snprintf(path, sizeof path, "%s/%s", dir, STAGE_TSV);
	portal_actor(r, actor, sizeof actor);
	int rc = bt_reply_import_from(r->db, c.circular, path, dir, actor, r->now, 0, &st, &e);
	if (rc) { /* nothing recorded: the stage stays for another try */
		once_done(r, NULL);
		return page_engine_error(r, &e);
	}
	stage_remove(dir);
	snprintf(loc, sizeof loc, "/secretariat/c/%s#replies", c.circular);
	return once_done(r, loc);
}
