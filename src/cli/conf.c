/* conf.c - the configuration file (/etc/ballot/ballot.conf, --config FILE,
 * $BALLOT_CONFIG), the one place that decides where each setting of a run
 * comes from (flag, environment, file, default), and the suggestions given
 * for misspelt names. */
#include "cli/conf.h"
#include "cli/text.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf/doc.h"
#include "pdf/lang.h"

#ifndef BALLOT_CONFIG_FILE
#define BALLOT_CONFIG_FILE "/etc/ballot/ballot.conf"
#endif

#define CONF_MAX_BYTES (64 * 1024)

enum { V_PATH, V_LISTEN, V_THREADS, V_URL, V_SMTP, V_TEXT, V_ADDR, V_RATE };

/* The keys, in the order `config show` lists them. */
static const struct {
	const char *name;
	const char *env;   /* its environment variable, or NULL */
	int type;
} keys[CONF_NKEYS] = {
	[CONF_DATABASE] = { "database", "BALLOT_DB", V_PATH },
	[CONF_SIGN_KEY] = { "sign_key", "BALLOT_KEY", V_PATH },
	[CONF_FORMS_DIR] = { "forms_dir", "BALLOT_FORMS", V_PATH },
	[CONF_FONTS_DIR] = { "fonts_dir", "BALLOT_FONTS", V_PATH },
	[CONF_LISTEN] = { "listen", NULL, V_LISTEN },
	[CONF_TLS_CERT] = { "tls_cert", NULL, V_PATH },
	[CONF_TLS_KEY] = { "tls_key", NULL, V_PATH },
	[CONF_TLS_CLIENT_CA] = { "tls_client_ca", NULL, V_PATH },
	[CONF_THREADS] = { "threads", NULL, V_THREADS },
	[CONF_PORTAL_URL] = { "portal_url", NULL, V_URL },
	[CONF_MAIL_RELAY] = { "mail_relay", "BALLOT_MAIL_RELAY", V_SMTP },
	[CONF_MAIL_USER] = { "mail_user", NULL, V_TEXT },
	[CONF_MAIL_PASSWORD_FILE] = { "mail_password_file", NULL, V_PATH },
	[CONF_MAIL_FROM] = { "mail_from", NULL, V_ADDR },
	[CONF_MAIL_CA] = { "mail_ca", NULL, V_PATH },
	[CONF_MAIL_RATE] = { "mail_rate", NULL, V_RATE },
	[CONF_MAIL_MAILBOX] = { "mail_mailbox", "BALLOT_MAIL_MAILBOX", V_PATH },
	[CONF_MAIL_MAX_MESSAGE] = { "mail_max_message", NULL, V_TEXT },
};

typedef struct cli_conf {
	char path[4096];            /* "" when no file was read */
	char *text;                 /* the file's bytes, values point into it */
	const char *val[CONF_NKEYS];
	int line[CONF_NKEYS];
	char *env[CONF_NKEYS];      /* the environment as it was before the file */
	char default_key[4200];
} cli_conf;

const char *cli_conf_key_name(int k)
{
	return k >= 0 && k < CONF_NKEYS ? keys[k].name : "?";
}

const char *cli_conf_path(const cli_ctx *ctx)
{
	return ctx->conf ? ctx->conf->path : "";
}

static char fold_c(char c, int fold)
{
	return fold && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

size_t cli_edit_distance(const char *a, const char *b, int fold)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[65][65];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			char ca = fold_c(a[i - 1], fold), cb = fold_c(b[j - 1], fold);
			size_t v = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			/* two neighbours swapped: one edit (circluar) */
			if (i > 1 && j > 1 && ca == fold_c(b[j - 2], fold) &&
			    fold_c(a[i - 2], fold) == cb && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *cli_suggest(const char *s, const char *const *cands, size_t n,
			size_t max, int fold)
{
	const char *found = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i] || cli_edit_distance(s, cands[i], fold) > max)
			continue;
		if (found && strcmp(found, cands[i]) != 0)
			return NULL; /* two are close: say nothing */
		found = cands[i];
	}
	return found;
}

void cli_member_hint(bt_db *db, const char *code, int rc, bt_err *e)
{
	char out[4];
	bt_err e2;
	if (rc != BT_EINPUT || !db || !code || !*code || !strstr(e->msg, code) ||
	    bt_member_resolve(db, "member", code, out, &e2) != BT_EINPUT)
		return;
	bt_member_list l = { 0 };
	if (bt_members_list(db, BT_DATE_NONE, &l, &e2) != BT_OK)
		return;
	const char **cands = calloc(l.n ? l.n : 1, sizeof *cands);
	const char *near = NULL;
	if (cands) {
		/* a code one letter off or two swapped (CEH), or a member's
		 * name a letter or two off (Switzerland) */
		for (size_t i = 0; i < l.n; i++)
			cands[i] = l.v[i].code;
		near = cli_suggest(code, cands, l.n, 1, 1);
		for (size_t i = 0; !near && strlen(code) >= 5 && i < l.n; i++)
			if (l.v[i].name && cli_edit_distance(code, l.v[i].name, 1) <= 2)
				near = l.v[i].code;
	}
	size_t len = strlen(e->msg);
	if (near && len + 24 < sizeof e->msg)
		snprintf(e->msg + len, sizeof e->msg - len, " (did you mean %s?)", near);
	free(cands);
	bt_member_list_free(&l);
}

int cli_member_resolve(bt_db *db, const char *field, const char *code,
		       char out[4], bt_err *e)
{
	int rc = bt_member_resolve(db, field, code, out, e);
	cli_member_hint(db, code, rc, e);
	return rc;
}

int cli_check_url(const char *field, const char *url, bt_err *e)
{
	size_t n = strlen(url);
	int ok = n > 8 && n <= 200 && strncmp(url, "https://", 8) == 0;
	for (size_t i = 0; ok && i < n; i++)
		ok = url[i] > 0x20 && url[i] < 0x7f;
	if (!ok)
		return bt_fail(e, BT_EINPUT, "%s: '%s' is not an https:// address (printable ASCII, at most 200 bytes)",
			       field, url);
	return BT_OK;
}

/* "ADDR:PORT" or "[v6]:PORT", the port 1-65535. */
static int check_listen(const char *field, const char *v, bt_err *e)
{
	const char *colon = strrchr(v, ':');
	long long port = 0;
	bt_err pe;
	if (!colon || colon == v || (v[0] == '[' && colon[-1] != ']') ||
	    cli_parse_int(field, colon + 1, 1, 65535, &port, &pe) != BT_OK)
		return bt_fail(e, BT_EINPUT, "%s: '%s' is not ADDR:PORT (127.0.0.1:8443, [::1]:8443)", field, v);
	return BT_OK;
}

int cli_check_smtp_url(const char *field, const char *url, bt_err *e)
{
	size_t n = strlen(url);
	int ok = n <= 200 && ((n > 7 && strncmp(url, "smtp://", 7) == 0) || (n > 8 && strncmp(url, "smtps://", 8) == 0));
	for (size_t i = 0; ok && i < n; i++)
		ok = url[i] > 0x20 && url[i] < 0x7f;
	if (!ok)
		return bt_fail(e, BT_EINPUT, "%s: '%s' is not smtp://host[:port] or smtps://host[:port] (printable ASCII, "
			       "at most 200 bytes)", field, url);
	return BT_OK;
}

/* A value of key k, field "FILE:LINE: key". */
static int check_value(int k, const char *field, const char *v, bt_err *e)
{
	long long n;
	switch (keys[k].type) {
	case V_LISTEN:
		return check_listen(field, v, e);
	case V_THREADS:
		return cli_parse_int(field, v, 1, 64, &n, e);
	case V_URL:
		return cli_check_url(field, v, e);
	case V_SMTP:
		return cli_check_smtp_url(field, v, e);
	case V_RATE:
		return cli_parse_int(field, v, 1, 100000, &n, e);
	case V_ADDR:
		return bt_contact_address_check(field, v, e) ? bt_fail(e, BT_EINPUT, "%s: '%s' is not an address", field, v)
							     : BT_OK;
	case V_TEXT:
		if (strlen(v) > 200)
			return bt_fail(e, BT_EINPUT, "%s: longer than 200 bytes", field);
		return BT_OK;
	default:
		if (strlen(v) > CLI_OUT_PATH_MAX)
			return bt_fail(e, BT_EINPUT, "%s: the path is longer than %d bytes", field, CLI_OUT_PATH_MAX);
		return BT_OK;
	}
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Parses c->text (NUL-terminated, c->path set). */
static int parse(cli_conf *c, bt_err *e)
{
	static const char *names[CONF_NKEYS];
	for (int k = 0; k < CONF_NKEYS; k++)
		names[k] = keys[k].name;
	int lineno = 0;
	char *p = c->text;
	while (p) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		char *line = p;
		p = nl ? nl + 1 : NULL;
		lineno++;
		char *t = trim(line);
		if (!*t || *t == '#')
			continue;
		if (!bt_text_clean(t, 0))
			return bt_fail(e, BT_EINPUT, "%s:%d: not UTF-8 text, or holds control characters",
				       c->path, lineno);
		char *eq = strchr(t, '=');
		if (!eq)
			return bt_fail(e, BT_EINPUT, "%s:%d: '%s' is not key = value", c->path, lineno, t);
		*eq = '\0';
		char *key = trim(t), *val = trim(eq + 1);
		int k = 0;
		while (k < CONF_NKEYS && strcmp(keys[k].name, key) != 0)
			k++;
		if (k == CONF_NKEYS) {
			const char *near = cli_suggest(key, names, CONF_NKEYS, 2, 0);
			return bt_fail(e, BT_EINPUT, "%s:%d: unknown key '%s'%s%s%s", c->path, lineno, key,
				       near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
		}
		if (c->val[k])
			return bt_fail(e, BT_EINPUT, "%s:%d: %s: set twice (first on line %d)", c->path, lineno,
				       key, c->line[k]);
		char field[4200];
		snprintf(field, sizeof field, "%s:%d: %s", c->path, lineno, key);
		if (!*val)
			return bt_fail(e, BT_EINPUT, "%s: no value", field);
		int rc = check_value(k, field, val, e);
		if (rc != BT_OK)
			return rc;
		c->val[k] = val;
		c->line[k] = lineno;
	}
	return BT_OK;
}

/* Reads path into c->text, refusing a file others could have written. */
static int read_conf(cli_conf *c, const char *path, bt_err *e)
{
	char eb[128];
	struct stat st;
	snprintf(c->path, sizeof c->path, "%s", path);
	if (strcmp(path, "/dev/null") == 0) { /* no settings, on purpose */
		c->text = strdup("");
		return c->text ? BT_OK : bt_fail(e, BT_EFAIL, "out of memory");
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return bt_fail(e, errno == ENOENT || errno == EACCES ? BT_EINPUT : BT_EFAIL,
			       "configuration file '%s': %s", path, cli_strerror(errno, eb, sizeof eb));
	int rc = BT_OK;
	if (fstat(fd, &st) != 0)
		rc = bt_fail(e, BT_EFAIL, "configuration file '%s': %s", path, cli_strerror(errno, eb, sizeof eb));
	else if (!S_ISREG(st.st_mode))
		rc = bt_fail(e, BT_EINPUT, "configuration file '%s': not a regular file", path);
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		rc = bt_fail(e, BT_EINPUT, "configuration file '%s': others can write it (mode %04o); chmod go-w it",
			     path, (unsigned)(st.st_mode & 07777));
	else if (st.st_uid != 0 && st.st_uid != geteuid())
		rc = bt_fail(e, BT_EINPUT, "configuration file '%s': owned by uid %lu, neither root nor you (uid %lu)",
			     path, (unsigned long)st.st_uid, (unsigned long)geteuid());
	else if (st.st_size > CONF_MAX_BYTES)
		rc = bt_fail(e, BT_EINPUT, "configuration file '%s': larger than %d bytes", path, CONF_MAX_BYTES);
	if (rc == BT_OK) {
		c->text = calloc(1, (size_t)st.st_size + 1);
		ssize_t got = 0, r = 0;
		if (!c->text)
			rc = bt_fail(e, BT_EFAIL, "out of memory");
		while (rc == BT_OK && got < st.st_size &&
		       ((r = read(fd, c->text + got, (size_t)(st.st_size - got))) > 0 || (r < 0 && errno == EINTR)))
			got += r > 0 ? r : 0;
		if (rc == BT_OK && r < 0)
			rc = bt_fail(e, BT_EFAIL, "configuration file '%s': %s", path,
				     cli_strerror(errno, eb, sizeof eb));
		if (rc == BT_OK && memchr(c->text, '\0', (size_t)got))
			rc = bt_fail(e, BT_EINPUT, "configuration file '%s': holds a NUL byte", path);
	}
	close(fd);
	return rc;
}

void cli_conf_free(struct cli_conf *c)
{
	if (!c)
		return;
	free(c->text);
	for (int k = 0; k < CONF_NKEYS; k++)
		free(c->env[k]);
	free(c);
}

int cli_conf_load(cli_ctx *ctx, bt_err *e)
{
	if (ctx->conf)
		return BT_OK;
	cli_conf *c = calloc(1, sizeof *c);
	if (!c)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (int k = 0; k < CONF_NKEYS; k++) {
		const char *v = keys[k].env ? getenv(keys[k].env) : NULL;
		if (v && *v && !(c->env[k] = strdup(v))) {
			cli_conf_free(c);
			return bt_fail(e, BT_EFAIL, "out of memory");
		}
	}
	const char *env = getenv("BALLOT_CONFIG");
	const char *path = ctx->config_flag ? ctx->config_flag : env && *env ? env : NULL;
	struct stat st;
	int rc = BT_OK;
	if (ctx->config_flag && !*ctx->config_flag)
		rc = bt_fail(e, BT_EINPUT, "--config: no file named");
	else if (path)
		rc = read_conf(c, path, e);
	else if (stat(BALLOT_CONFIG_FILE, &st) == 0 || errno != ENOENT)
		rc = read_conf(c, BALLOT_CONFIG_FILE, e);
	if (rc == BT_OK && c->text)
		rc = parse(c, e);
	if (rc != BT_OK) {
		cli_conf_free(c);
		return rc;
	}
	/* the PDF and portal code read these directories from the
	 * environment: the file's word stands where the environment is
	 * silent */
	if (c->val[CONF_FORMS_DIR] && !c->env[CONF_FORMS_DIR])
		setenv("BALLOT_FORMS", c->val[CONF_FORMS_DIR], 1);
	if (c->val[CONF_FONTS_DIR] && !c->env[CONF_FONTS_DIR])
		setenv("BALLOT_FONTS", c->val[CONF_FONTS_DIR], 1);
	ctx->conf = c;
	return BT_OK;
}

void cli_conf_value(cli_ctx *ctx, int k, const cli_opt *o, cli_value *out)
{
	const cli_conf *c = ctx->conf;
	const char *env = keys[k].env ? getenv(keys[k].env) : NULL;

	if (c) /* forms_dir, fonts_dir: the environment may now hold the file's */
		env = c->env[k];
	out->value = NULL;
	out->where[0] = '\0';
	if (k == CONF_DATABASE && ctx->db_path) {
		out->value = ctx->db_path;
		out->kind = "flag";
		snprintf(out->source, sizeof out->source, "flag --db");
		snprintf(out->where, sizeof out->where, "--db");
	} else if (o && o->count) {
		out->value = o->val;
		out->kind = "flag";
		snprintf(out->source, sizeof out->source, "flag --%s", o->name);
		snprintf(out->where, sizeof out->where, "--%s", o->name);
	} else if (env && *env) {
		out->value = env;
		out->kind = "env";
		snprintf(out->source, sizeof out->source, "env %s", keys[k].env);
		snprintf(out->where, sizeof out->where, "%s", keys[k].env);
	} else if (c && c->val[k]) {
		out->value = c->val[k];
		out->kind = "file";
		snprintf(out->source, sizeof out->source, "%s:%d", c->path, c->line[k]);
		snprintf(out->where, sizeof out->where, "%s:%d", c->path, c->line[k]);
	} else {
		out->kind = "default";
		snprintf(out->source, sizeof out->source, "default");
		switch (k) {
		case CONF_DATABASE:
			out->value = "./ballot.db";
			break;
		case CONF_SIGN_KEY:
			snprintf(ctx->key_path, sizeof ctx->key_path, "%s.key", cli_db_path(ctx));
			out->value = ctx->key_path;
			snprintf(out->source, sizeof out->source, "default (the database + .key)");
			break;
		case CONF_FORMS_DIR:
			out->value = pdf_forms_dir();
			break;
		case CONF_FONTS_DIR:
			out->value = pdf_fonts_dir();
			break;
		case CONF_LISTEN:
			out->value = "127.0.0.1:8443";
			break;
		case CONF_THREADS:
			snprintf(out->source, sizeof out->source, "default (eight per core, at most 64)");
			break;
		default:
			snprintf(out->source, sizeof out->source, "not set");
			out->kind = "unset";
			break;
		}
	}
}

const char *cli_db_path(const cli_ctx *ctx)
{
	cli_value v;

	cli_conf_value((cli_ctx *)ctx, CONF_DATABASE, NULL, &v);
	return v.value;
}

const char *cli_key_path(cli_ctx *ctx, const cli_opt *o)
{
	cli_value v;

	cli_conf_value(ctx, CONF_SIGN_KEY, o, &v);
	return v.value;
}
