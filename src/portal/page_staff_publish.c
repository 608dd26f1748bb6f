/* page_staff_publish.c - the secretariat publishes a consultation's results
 * bundle from the portal (page_staff_import.h): a page that says what
 * publishing does, its POST (once per single-use token) running the engine
 * call of `ballot publish`, the bundle kept as one tar file beside the
 * database (".bundles/NAME.tar"), and its page with its SHA-256 and its
 * download. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "portal/answer.h"
#include "portal/circular.h"
#include "portal/error.h"
#include "portal/confirm.h"
#include "portal/html.h"
#include "portal/once.h"
#include "portal/page_staff_import.h"

#define BUNDLE_MAX ((size_t)256 * 1024 * 1024) /* bytes of a bundle served */

/* "<db dir>/.bundles". */
static void bundles_dir(const preq *r, char *out, size_t n)
{
	const char *s = strrchr(r->p->db_path, '/');
	if (!s)
		snprintf(out, n, "./.bundles");
	else
		snprintf(out, n, "%.*s/.bundles", (int)(s == r->p->db_path ? 0 : s - r->p->db_path), r->p->db_path);
}

static void publish_form_name(const char *circular, char out[PORTAL_ONCE_FORM])
{
	snprintf(out, PORTAL_ONCE_FORM, "p:%s", circular);
}

int page_secretariat_publish(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	const char *cv[] = { "circular", c.circular, NULL };
	char form[PORTAL_ONCE_FORM];
	page_begin(r, L(r, "publish_title"));
	bt_buf *b = &r->out;
	html_consultation_line(r, &c);
	bt_buf_adds(b, "<p class=\"note\" id=\"what\">");
	html_text(b, L(r, "publish_what"));
	bt_buf_adds(b, "</p>\n");
	char action[200], back[200];
	snprintf(action, sizeof action, "/secretariat/c/%s/publish", c.circular);
	snprintf(back, sizeof back, "/secretariat/c/%s", c.circular);
	publish_form_name(c.circular, form);
	staff_confirm_open(r, action, form, NULL);
	bt_buf_adds(b, "<p><label><input type=\"checkbox\" name=\"attachments\" value=\"1\"> ");
	html_text(b, L(r, "publish_attachments_label"));
	bt_buf_adds(b, "</label></p>\n");
	staff_confirm_close(r, "publish_button", cv, back);
	page_end(r);
	return 0;
}

/* ---- the tar file (POSIX ustar), the same bytes for the same files ---- */

/* Appends the relative paths of the regular files under root/rel to *v. */
static int tree(const char *root, const char *rel, char ***v, size_t *n, size_t *cap)
{
	char dir[2200], sub[1024];
	snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(dir);
	struct dirent *x;
	struct stat st;
	int rc = d ? 0 : -1;
	while (rc == 0 && (x = readdir(d))) {
		if (!strcmp(x->d_name, ".") || !strcmp(x->d_name, ".."))
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", x->d_name);
		snprintf(dir, sizeof dir, "%s/%s", root, sub);
		if (lstat(dir, &st))
			rc = -1;
		else if (S_ISDIR(st.st_mode))
			rc = tree(root, sub, v, n, cap);
		else if (S_ISREG(st.st_mode)) {
			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 64;
				char **nv = realloc(*v, *cap * sizeof **v);
				if (!nv)
					rc = -1;
				else
					*v = nv;
			}
			if (rc == 0 && !((*v)[*n] = strdup(sub)))
				rc = -1;
			else if (rc == 0)
				(*n)++;
		}
	}
	if (d)
		closedir(d);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the ustar header of a file of size bytes named top/name. */
static int tar_header(bt_buf *t, const char *top, const char *name, size_t size, bt_time mtime)
{
	unsigned char h[512] = { 0 };
	char full[512];
	snprintf(full, sizeof full, "%s/%s", top, name);
	size_t len = strlen(full);
	const char *slash = len > 100 ? strchr(full + len - 100, '/') : NULL;
	if (len > 100 && (!slash || slash - full > 155))
		return -1;
	if (slash) { /* prefix/name */
		memcpy(h + 345, full, (size_t)(slash - full));
		memcpy(h, slash + 1, len - (size_t)(slash - full) - 1);
	} else {
		memcpy(h, full, len);
	}
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011llo", (unsigned long long)mtime);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (size_t i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	return bt_buf_add(t, h, 512);
}

/* The tar of the files under dir, each as top/<path>, dated mtime. */
static int tar_of(const char *dir, const char *top, bt_time mtime, bt_buf *t, bt_err *e)
{
	char **v = NULL, path[1024];
	size_t n = 0, cap = 0;
	static const char zero[1024];
	int rc = tree(dir, "", &v, &n, &cap) ? bt_failf(e, BT_R_IO, NULL, "bundle: cannot list %s", dir) : BT_OK;
	if (rc == BT_OK)
		qsort(v, n, sizeof *v, by_name);
	bt_buf f = BT_BUF_INIT;
	for (size_t i = 0; i < n && rc == BT_OK; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, v[i]);
		bt_buf_reset(&f);
		if ((rc = bt_file_read(path, "bundle", BUNDLE_MAX, &f, e)))
			break;
		if (tar_header(t, top, v[i], f.len, mtime) || bt_buf_add(t, f.data ? f.data : "", f.len) ||
		    bt_buf_add(t, zero, (512 - f.len % 512) % 512))
			rc = bt_failf(e, BT_R_NOMEM, NULL, "bundle: the tar of %s is too large", dir);
	}
	if (rc == BT_OK && bt_buf_add(t, zero, 1024))
		rc = bt_failf(e, BT_R_NOMEM, NULL, "bundle: the tar of %s is too large", dir);
	bt_buf_release(&f);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc;
}

/* Removes the tree at dir. */
static void tree_remove(const char *dir)
{
	char **v = NULL, path[1024];
	size_t n = 0, cap = 0;
	tree(dir, "", &v, &n, &cap);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, v[i]);
		unlink(path);
		char *s = strrchr(path, '/');
		for (*s = '\0'; strcmp(path, dir) && rmdir(path) == 0; *s = '\0')
			if (!(s = strrchr(path, '/')))
				break;
		free(v[i]);
	}
	free(v);
	rmdir(dir);
}

/* Publishes c into .bundles/<name>/, makes .bundles/<name>.tar of it. */
static int publish(preq *r, const bt_consultation *c, const char *name, bt_err *e)
{
	char root[600], dir[800], tar[800];
	bt_bundle_stats st;
	bundles_dir(r, root, sizeof root);
	snprintf(dir, sizeof dir, "%s/%s", root, name);
	snprintf(tar, sizeof tar, "%s/%s.tar", root, name);
	if (mkdir(root, 0700) && access(root, W_OK))
		return bt_failf(e, BT_R_IO, NULL, "bundle: cannot make the directory beside the database");
	tree_remove(dir); /* what a failed publication left */
	int rc = bt_bundle_publish(r->db, c->circular, r->p->sign_key, dir, *pform_get(&r->form, "attachments"),
				   r->now, &st, e);
	bt_buf t;
	bt_buf_init(&t, BUNDLE_MAX);
	if (rc == BT_OK)
		rc = tar_of(dir, name, r->now, &t, e);
	if (rc == BT_OK)
		rc = bt_file_write(tar, "bundle", t.data, t.len, e);
	bt_buf_release(&t);
	tree_remove(dir);
	return rc;
}

int page_secretariat_publish_post(preq *r, const char *circular)
{
	bt_consultation c;
	if (portal_consultation(r, circular, &c) || portal_rows_check(r, c.circular))
		return 0;
	char form[PORTAL_ONCE_FORM], name[128], ts[BT_TIME_LEN], loc[256];
	publish_form_name(c.circular, form);
	if (!once_begin(r, form))
		return 0;
	bt_time_format(r->now, ts); /* 2020-03-01T00:00:00Z: a name without ':' */
	for (char *p = ts; *p; p++)
		if (*p == ':' || *p == '-')
			memmove(p, p + 1, strlen(p));
	char suffix[48];
	snprintf(suffix, sizeof suffix, "-%s", ts);
	portal_file_name(name, sizeof name, "bundle-", c.circular, suffix);
	bt_err e;
	if (publish(r, &c, name, &e)) {
		once_done(r, NULL);
		return page_engine_error(r, &e);
	}
	snprintf(loc, sizeof loc, "/secretariat/bundle/%s", name);
	return once_done(r, loc);
}

int page_secretariat_bundle(preq *r, const char *seg)
{
	char root[600], path[800], name[128], sha[65];
	size_t len = strlen(seg);
	int file = len > 4 && !strcmp(seg + len - 4, ".tar");
	snprintf(name, sizeof name, "%.*s", (int)(file ? len - 4 : len), seg);
	if (strncmp(name, "bundle-", 7) || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
						    strlen(name) || strstr(name, ".."))
		return page_not_found(r);
	bundles_dir(r, root, sizeof root);
	snprintf(path, sizeof path, "%s/%s.tar", root, name);
	bt_buf t;
	bt_err e;
	bt_buf_init(&t, BUNDLE_MAX);
	if (bt_file_read(path, "bundle", BUNDLE_MAX, &t, &e)) {
		bt_buf_release(&t);
		return page_not_found(r);
	}
	if (file) {
		bt_buf_release(&r->out);
		r->out = t;
		r->ctype = "application/x-tar";
		snprintf(r->filename, sizeof r->filename, "%.120s.tar", name);
		return 0;
	}
	bt_sha256_hex(t.data ? t.data : "", t.len, sha);
	bt_buf_release(&t);
	page_begin(r, L(r, "publish_title"));
	bt_buf *b = &r->out;
	bt_buf_adds(b, "<p class=\"ok\" role=\"status\">");
	html_text(b, L(r, "publish_done_title"));
	bt_buf_addf(b, "</p>\n<p><a class=\"bundle\" href=\"/secretariat/bundle/%s.tar\" download>", name);
	html_text(b, L(r, "publish_download"));
	bt_buf_addf(b, "</a> <code class=\"bundle-name\" dir=\"ltr\">%s.tar</code></p>\n<p>", name);
	html_text(b, L(r, "publish_sha"));
	bt_buf_addf(b, " <code class=\"bundle-sha256\" dir=\"ltr\">%s</code></p>\n", sha);
	bt_buf_adds(b, "<p><a href=\"/secretariat\">");
	html_text(b, L(r, "secretariat_home"));
	bt_buf_adds(b, "</a></p>\n");
	page_end(r);
	return 0;
}
