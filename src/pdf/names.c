/* names.c - Member State names per language: overrides, then iso-codes. */
#include "pdf/names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ballot/buf.h"
#include "ballot/json.h"
#include "pdf/mo.h"

#define DEFAULT_LOCALEDIR "/usr/share/locale"
#define PATH_CAP 4096

typedef struct name_ov {
	char code[4];
	int line;
	const char *name; /* points into text */
} name_ov;

struct pdf_names {
	int english;
	char *text; /* the override file, split in place */
	name_ov *ov;
	size_t n_ov;
	pdf_mo *mo; /* NULL for English */
};

/* The iso-codes locale of each language; NULL: English, no catalog. */
static const struct {
	const char *lang, *locale;
} LANGS[] = {
	{ "en", NULL }, { "fr", "fr" }, { "es", "es" },
	{ "ru", "ru" }, { "zh", "zh_CN" }, { "ar", "ar" },
};

void pdf_names_free(pdf_names *n)
{
	if (!n)
		return;
	free(n->text);
	free(n->ov);
	pdf_mo_free(n->mo);
	free(n);
}

static int upper3(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[3] == '\0';
}

/* Checks one `CODE<TAB>name` line (NUL-terminated, no newline) and adds it. */
static int add_line(pdf_names *n, const char *path, int lineno, char *line, bt_err *e)
{
	char *tab = strchr(line, '\t');
	if (!tab)
		return bt_fail(e, BT_EINPUT, "names override '%s' line %d: expected CODE<TAB>name", path,
			       lineno);
	*tab = '\0';
	char *name = tab + 1;
	if (!upper3(line))
		return bt_fail(e, BT_EINPUT,
			       "names override '%s' line %d: code '%.16s' is not 3 uppercase letters", path,
			       lineno, bt_text_clean(line, 0) ? line : "?");
	if (strchr(name, '\t'))
		return bt_fail(e, BT_EINPUT, "names override '%s' line %d: %s: more than two fields", path,
			       lineno, line);
	if (*name == '\0')
		return bt_fail(e, BT_EINPUT, "names override '%s' line %d: %s: empty name", path, lineno,
			       line);
	if (!bt_utf8_valid(name, strlen(name)))
		return bt_fail(e, BT_EINPUT, "names override '%s' line %d: %s: name is not valid UTF-8",
			       path, lineno, line);
	if (!bt_text_clean(name, 0))
		return bt_fail(e, BT_EINPUT, "names override '%s' line %d: %s: name has control characters",
			       path, lineno, line);
	size_t len = strlen(name);
	if (name[0] == ' ' || name[len - 1] == ' ')
		return bt_fail(e, BT_EINPUT,
			       "names override '%s' line %d: %s: name has leading or trailing spaces", path,
			       lineno, line);
	for (size_t i = 0; i < n->n_ov; i++)
		if (strcmp(n->ov[i].code, line) == 0)
			return bt_fail(e, BT_EINPUT,
				       "names override '%s' line %d: %s: duplicate code (first on line %d)",
				       path, lineno, line, n->ov[i].line);
	memcpy(n->ov[n->n_ov].code, line, 4);
	n->ov[n->n_ov].line = lineno;
	n->ov[n->n_ov].name = name;
	n->n_ov++;
	return BT_OK;
}

/* The override file's text (n->text, len bytes, read from path) into n's
 * entries: no NUL byte; a line at a time, a byte order mark, a final \r,
 * blank lines and comments (#) passed over. */
static int overrides_parse(pdf_names *n, const char *path, size_t len, bt_err *e)
{
	char *nul = memchr(n->text, '\0', len);
	if (nul) {
		int at = 1;
		for (char *q = n->text; q < nul; q++)
			at += *q == '\n';
		return bt_fail(e, BT_EINPUT, "names override '%s' line %d: NUL byte", path, at);
	}
	char *p = n->text;
	int lineno = 0;
	/* A byte order mark, as some editors write, is not data. */
	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (*p) {
		char *nl = strchr(p, '\n');
		char *next = nl ? nl + 1 : p + strlen(p);
		if (nl)
			*nl = '\0';
		lineno++;
		size_t ll = strlen(p);
		if (ll && p[ll - 1] == '\r')
			p[--ll] = '\0';
		if (ll && p[0] != '#') {
			int rc = add_line(n, path, lineno, p, e);
			if (rc != BT_OK)
				return rc;
		}
		p = next;
	}
	return BT_OK;
}

/* Reads forms_dir/names/<lang>.tsv into n; no file, no overrides. */
static int load_overrides(pdf_names *n, const char *forms_dir, const char *lang, bt_err *e)
{
	bt_buf path = BT_BUF_INIT, file = BT_BUF_INIT;
	int rc = BT_OK;
	bt_buf_init(&path, PATH_CAP);
	if (bt_buf_addf(&path, "%s/names/%s.tsv", forms_dir, lang)) {
		rc = bt_fail(e, BT_EINPUT, "names override: forms directory path too long");
		goto out;
	}
	struct stat st;
	if (stat(path.data, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
		goto out;
	rc = bt_file_read(path.data, "names override", PDF_NAMES_FILE_MAX, &file, e);
	if (rc != BT_OK)
		goto out;
	size_t lines = 1;
	for (size_t i = 0; i < file.len; i++)
		lines += file.data[i] == '\n';
	n->ov = calloc(lines, sizeof *n->ov);
	if (!n->ov) {
		rc = bt_fail(e, BT_EFAIL, "names override '%s': out of memory", path.data);
		goto out;
	}
	size_t len;
	n->text = bt_buf_detach(&file, &len);
	if (!n->text) {
		rc = bt_fail(e, BT_EFAIL, "names override '%s': out of memory", path.data);
		goto out;
	}
	rc = overrides_parse(n, path.data, len, e);
out:
	bt_buf_release(&path);
	bt_buf_release(&file);
	return rc;
}

/* Opens the iso-codes catalog of locale into n->mo and checks that every
 * translation is text we can print. */
static int load_catalog(pdf_names *n, const char *locale, bt_err *e)
{
	const char *dir = getenv("BALLOT_LOCALEDIR");
	if (!dir || !*dir)
		dir = DEFAULT_LOCALEDIR;
	bt_buf path = BT_BUF_INIT;
	int rc = BT_OK;
	bt_buf_init(&path, PATH_CAP);
	if (bt_buf_addf(&path, "%s/%s/LC_MESSAGES/iso_3166-1.mo", dir, locale)) {
		rc = bt_fail(e, BT_EFAIL, "iso-codes translation: locale directory path too long");
		goto out;
	}
	struct stat st;
	if (stat(path.data, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
		rc = bt_fail(e, BT_EFAIL,
			     "iso-codes translation '%s' not found (install the Debian package "
			     "iso-codes, or set BALLOT_LOCALEDIR)", path.data);
		goto out;
	}
	rc = pdf_mo_open(path.data, &n->mo, e);
	if (rc != BT_OK)
		goto out;
	for (size_t i = 0; i < pdf_mo_count(n->mo); i++) {
		const char *orig, *trans;
		size_t olen, tlen;
		pdf_mo_entry(n->mo, i, &orig, &olen, &trans, &tlen);
		/* Entry "" is the catalog's header, several lines long. */
		if (*orig == '\0')
			continue;
		if (!bt_utf8_valid(trans, tlen) || !bt_text_clean(trans, 0)) {
			rc = bt_fail(e, BT_EFAIL, "'%s': corrupt .mo file: translation %zu is not clean UTF-8",
				     path.data, i);
			goto out;
		}
	}
out:
	bt_buf_release(&path);
	return rc;
}

int pdf_names_load(const char *forms_dir, const char *lang, pdf_names **out, bt_err *e)
{
	*out = NULL;
	size_t li = sizeof LANGS / sizeof LANGS[0];
	for (size_t i = 0; lang && i < sizeof LANGS / sizeof LANGS[0]; i++)
		if (strcmp(lang, LANGS[i].lang) == 0)
			li = i;
	if (li == sizeof LANGS / sizeof LANGS[0])
		return bt_fail(e, BT_EINPUT, "language '%.16s' is not one of en fr es ru zh ar",
			       lang && bt_text_clean(lang, 0) ? lang : "?");
	pdf_names *n = calloc(1, sizeof *n);
	if (!n)
		return bt_fail(e, BT_EFAIL, "names: out of memory");
	n->english = LANGS[li].locale == NULL;
	int rc = load_overrides(n, forms_dir, lang, e);
	if (rc == BT_OK && !n->english)
		rc = load_catalog(n, LANGS[li].locale, e);
	if (rc != BT_OK) {
		pdf_names_free(n);
		return rc;
	}
	*out = n;
	return BT_OK;
}

const char *pdf_names_get(const pdf_names *n, const char *code, const char *en_name)
{
	if (!n)
		return NULL;
	for (size_t i = 0; code && i < n->n_ov; i++)
		if (strcmp(n->ov[i].code, code) == 0)
			return n->ov[i].name;
	/* The empty msgid is the catalog header, never a name. */
	if (!en_name || !*en_name)
		return NULL;
	if (n->english)
		return en_name;
	const char *t = pdf_mo_get(n->mo, en_name);
	return t && *t ? t : NULL;
}
