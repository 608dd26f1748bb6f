/* reply_import.c - importing a TSV file of replies, all or nothing
 * (bt_reply_import, include/ballot/reply.h): each line is recorded as
 * bt_reply_record records one, inside the import's one transaction. */
#include <stdio.h>
#include <libgen.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "domain/reply_txn.h"

/* The columns of the header, in this order; the last one is optional. */
static const char *const cols[] = { "member",  "draft",	     "choice",		 "received",
				    "channel", "attachment", "late_entry_reason" };
#define COLS_MIN 6
#define COLS_MAX 7

/* An import's file, its attachments' root and what it has read so far. */
typedef struct import_src {
	const char *path;
	bt_buf text;       /* the file */
	char *dircopy;     /* the path, for dirname */
	const char *dir;   /* the attachments' root */
	char *dir_real;    /* its real path */
	int from;          /* the root is {attachments_from} */
	int64_t max;       /* the setting attachment_max */
	int ncols;         /* the header's columns (0: no header read yet) */
	bt_buf att;        /* the attachment of the current line */
	bt_attachment_in a;
} import_src;

/* Puts e, a failure of line `line` of the TSV, inside the import's field:
 * e->field becomes "import" and the message "import line N: " + the
 * message as it was, whose leading field ("received: ...") is then the
 * TSV's column of that name (the columns are named as the engine's
 * fields). The code and reason stay, and so does the rest of the message
 * as bt_failf wrote it (its {references}, its values' braces doubled: not
 * formatted again). Returns rc. */
static int at_line(bt_err *e, int rc, int line)
{
	if (e) {
		char msg[sizeof e->msg];
		int k = snprintf(msg, sizeof msg, "import line %d: ", line);
		size_t at = k > 0 && (size_t)k < sizeof msg ? (size_t)k : 0;
		size_t n = strlen(e->msg);
		if (n > sizeof msg - 1 - at)
			n = sizeof msg - 1 - at;
		memcpy(msg + at, e->msg, n);
		msg[at + n] = '\0';
		memcpy(e->msg, msg, sizeof msg);
		snprintf(e->field, sizeof e->field, "import");
	}
	return rc;
}

/* A refusal of an attachment path naming its root in the format itself
 * (a reference to a field is never a value: bt_failf would escape it). */
#define ROOT_REFUSED(e, from, before, after, ...)                                              \
	((from) ? bt_failf(e, BT_R_INPUT, NULL, before "{attachments_from}" after, __VA_ARGS__) \
		: bt_failf(e, BT_R_INPUT, NULL, before "the TSV's directory" after, __VA_ARGS__))

/* Sets full to the file an import line's attachment rel names under root
 * (root_real: its real path, symbolic links resolved; from: the root is
 * {attachments_from}, not the TSV's directory): rel must be relative, have
 * no ".." component, and not lead out of root by a symbolic link. */
static int attachment_path(const char *root, const char *root_real, int from, const char *rel,
			   bt_buf *full, bt_err *e)
{
	const char *shown = bt_text_clean(rel, 0) ? rel : "(unprintable)";
	if (rel[0] == '/')
		return ROOT_REFUSED(e, from, "attachment: '%.200s' is an absolute path; attachment paths are relative to ",
				    "", shown);
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return ROOT_REFUSED(e, from, "attachment: '%.200s' leaves ", " ('..')", shown);
		p += n;
		p += *p == '/';
	}
	bt_buf_reset(full);
	if (bt_buf_addf(full, "%s/%s", root, rel) < 0)
		return bt_failf(e, BT_R_INPUT, NULL,
				"attachment: the path '%.100s...' is too long", shown);
	char *real = realpath(full->data, NULL);
	if (!real)
		return BT_OK; /* missing: bt_file_read says so */
	size_t rl = strlen(root_real);
	int inside = strncmp(real, root_real, rl) == 0 && (real[rl] == '/' || (rl == 1 && root_real[0] == '/'));
	int rc = BT_OK;
	if (!inside)
		rc = ROOT_REFUSED(e, from, "attachment: '%.200s' leads out of ", " through a symbolic link", shown);
	else {
		bt_buf_reset(full);
		if (bt_buf_adds(full, real) < 0)
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "attachment: the path '%.100s...' is too long", shown);
	}
	free(real);
	return rc;
}

/* Releases what import_open and the lines read into src. */
static void import_close(import_src *src)
{
	free(src->dir_real);
	free(src->dircopy);
	bt_buf_release(&src->text);
	bt_buf_release(&src->att);
}

/* Reads the TSV at path (UTF-8 text) and finds the attachments' root: from,
 * or the TSV's directory. src is released either way by import_close. */
static int import_open(bt_db *db, import_src *src, const char *path, const char *from, bt_err *e)
{
	src->path = path;
	src->max = bt_setting_int(db, "attachment_max", BT_ATTACHMENT_MAX_DEFAULT);
	int rc = bt_file_read(path, "import", 64 * 1024 * 1024, &src->text, e);
	if (rc)
		return rc;
	if (!bt_utf8_valid(src->text.data ? src->text.data : "", src->text.len) ||
	    (src->text.len && memchr(src->text.data, '\0', src->text.len)))
		return bt_failf(e, BT_R_INPUT, NULL, "import: '%s' is not valid UTF-8 text", path);
	if (!(src->dircopy = strdup(path)))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	src->dir = from ? from : dirname(src->dircopy);
	src->from = from != NULL;
	src->dir_real = realpath(src->dir, NULL);
	struct stat dst;
	if (!src->dir_real || stat(src->dir_real, &dst) != 0 || !S_ISDIR(dst.st_mode))
		return bt_failf(e, from ? BT_R_NOT_FOUND : BT_R_INPUT, from ? "attachments_from" : "import",
				"'%s' is not a directory",
				bt_text_clean(src->dir, 0) ? src->dir : "(unprintable)");
	return BT_OK;
}

/* The header line: the six columns, optionally late_entry_reason. */
static int import_header(import_src *src, char **f, int n, int line, bt_err *e)
{
	int ok = n >= COLS_MIN && n <= COLS_MAX;
	for (int i = 0; ok && i < n; i++)
		ok = !strcmp(f[i], cols[i]);
	if (!ok)
		return bt_failf(e, BT_R_INPUT, "import",
				" line %d: header must be member, draft, choice, received, channel, attachment"
				" and, optionally, late_entry_reason (tab-separated)", line);
	src->ncols = n;
	return BT_OK;
}

/* Reads the line's attachment (column attachment, not empty) into src. */
static int import_attachment(import_src *src, const char *rel, bt_reply_spec *s, bt_err *e)
{
	bt_buf full;
	bt_buf_init(&full, 4096);
	int rc = attachment_path(src->dir, src->dir_real, src->from, rel, &full, e);
	if (!rc)
		rc = bt_file_read(full.data, "attachment", (size_t)src->max, &src->att, e);
	bt_buf_release(&full);
	if (rc)
		return rc;
	const char *base = strrchr(rel, '/');
	src->a.name = base ? base + 1 : rel;
	src->a.data = src->att.data ? src->att.data : "";
	src->a.len = src->att.len;
	s->attachments = &src->a;
	s->n_attachments = 1;
	return BT_OK;
}

/* The reply a line of n fields f gives (the fields are the TSV's columns,
 * as the engine names them; the line's place is added by the caller). */
static int import_spec(import_src *src, char **f, int n, bt_reply_spec *s, bt_err *e)
{
	if (n != src->ncols)
		return bt_failf(e, BT_R_INPUT, NULL, "%d columns, want %d (member, draft, choice, received, "
				"channel, attachment%s)", n, src->ncols,
				src->ncols == COLS_MAX ? ", late_entry_reason" : "");
	s->member = f[0];
	s->rec = *f[1] ? f[1] : NULL;
	s->choice = bt_choice_parse(f[2]);
	if (s->choice == BT_CHOICE_NONE || s->choice == BT_WITHDRAW)
		return bt_failf(e, BT_R_INPUT, NULL,
				"choice: '%s' is not authorize, authorize-with-comments or not-authorize",
				bt_text_clean(f[2], 0) ? f[2] : "(unprintable)");
	int rc;
	if (*f[3] && (rc = bt_time_parse(f[3], "received", &s->received, e)))
		return rc;
	s->has_received = *f[3] != '\0';
	s->channel = *f[4] ? f[4] : NULL;
	if (n == COLS_MAX && *f[6])
		s->late_entry_reason = f[6];
	return *f[5] ? import_attachment(src, f[5], s, e) : BT_OK;
}

/* Counts what line's reply res was in stats. */
static void import_count(bt_import_stats *stats, const bt_reply_result *res)
{
	stats->recorded++;
	if (!stats->first_event)
		stats->first_event = res->event_seq;
	stats->last_event = res->late_entry_seq ? res->late_entry_seq : res->event_seq;
	stats->late += res->late;
	stats->without_reasons += res->without_reasons;
	stats->supersedes += res->supersedes;
	stats->late_entries += res->late_entry_seq != 0;
}

/* The header and every line of src, each reply recorded in the open
 * transaction q. */
static int import_lines(bt_db *db, import_src *src, const char *circular, const char *actor,
			bt_time now, int force, reply_txn *q, bt_import_stats *stats, bt_err *e)
{
	tsv_reader t;
	tsv_init(&t, src->text.data ? src->text.data : (char *)"", src->text.len);
	uint64_t lines = 0; /* for progress only: the lines after the header */
	for (size_t i = 0; i < src->text.len; i++)
		lines += src->text.data[i] == '\n';
	lines = lines ? lines - 1 : 0;
	char *f[COLS_MAX + 1];
	int n, rc;
	while ((n = tsv_next(&t, f, COLS_MAX + 1)) > 0) {
		if (lines >= 256 && stats->recorded % 128 == 0)
			bt_progress("replies", (uint64_t)stats->recorded, lines);
		if (!src->ncols) {
			if ((rc = import_header(src, f, n, t.line, e)))
				return rc;
			continue;
		}
		bt_reply_spec s = { .circular = circular, .force = force };
		bt_reply_result res;
		q->line = t.line;
		if ((rc = import_spec(src, f, n, &s, e)) ||
		    (rc = reply_txn_record(db, &s, actor, now, &res, q, e)))
			return at_line(e, rc, t.line);
		import_count(stats, &res);
	}
	if (!src->ncols)
		return bt_failf(e, BT_R_INPUT, NULL, "import: '%s' has no header line", src->path);
	return BT_OK;
}

int bt_reply_import(bt_db *db, const char *circular, const char *path, const char *actor,
		    bt_time now, int force, bt_import_stats *stats, bt_err *e)
{
	return bt_reply_import_from(db, circular, path, NULL, actor, now, force, stats, e);
}

/* The import, or with dry its dry run (every line checked and recorded in
 * the transaction, which is then rolled back). */
static int import_run(bt_db *db, const char *circular, const char *path, const char *from, const char *actor,
		      bt_time now, int force, int dry, bt_import_stats *stats, bt_err *e)
{
	import_src src = { .text = BT_BUF_INIT, .att = BT_BUF_INIT };
	reply_txn q = REPLY_TXN_INIT;
	memset(stats, 0, sizeof *stats);
	int rc = import_open(db, &src, path, from, e);
	if (!rc && !(rc = reply_txn_begin(db, &now, e))) {
		rc = import_lines(db, &src, circular, actor, now, force, &q, stats, e);
		rc = dry ? reply_txn_end_dry(db, &q, now, rc, e) : reply_txn_end(db, &q, now, rc, e);
		if (rc && q.late_line && e && !strcmp(e->field, "late_entry_reason"))
			at_line(e, rc, q.late_line);
		if (rc) {
			memset(stats, 0, sizeof *stats);
			stats->quota = q.quota;
		}
	}
	reply_txn_release(&q);
	import_close(&src);
	return rc;
}

int bt_reply_import_from(bt_db *db, const char *circular, const char *path, const char *from,
			 const char *actor, bt_time now, int force, bt_import_stats *stats, bt_err *e)
{
	return import_run(db, circular, path, from, actor, now, force, 0, stats, e);
}

int bt_reply_import_check(bt_db *db, const char *circular, const char *path, const char *from,
			  const char *actor, bt_time now, int force, bt_import_stats *stats, bt_err *e)
{
	return import_run(db, circular, path, from, actor, now, force, 1, stats, e);
}
