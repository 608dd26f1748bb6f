/* cmd_comments.c - `ballot comments`: write the attachments received with
 * replies to a directory, with a manifest: the compilation TSB submits as a
 * TD to the next study group meeting (WTSA Res. 1 §9.4.7).
 *
 * Every file is written to a temporary file, fsync'ed and renamed, so a
 * crash never leaves a half-written file under its final name. The output
 * depends on the database only: running it again gives the same files. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_BYTES 200 /* leaves room under NAME_MAX for the temp name */

static const char USAGE[] =
	"usage: ballot comments --circular ID --out DIR\n"
	"\n"
	"Writes every attachment received with the consultation's replies\n"
	"(comments with authorizations, reasons with refusals; superseded and late\n"
	"ones included) to DIR as <seq>-<member>-<rec>-<role>-<name>, with\n"
	"DIR/manifest.tsv and DIR/README.txt: the compilation of comments TSB\n"
	"submits as a TD to the next study group meeting (§9.4.7). DIR is created\n"
	"when missing.\n";

/* Appends s with every byte outside [A-Za-z0-9._-] replaced by '_' (one
 * '_' per UTF-8 character). */
static void add_sanitized(bt_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		    ch == '-')
			bt_buf_addc(b, (char)ch);
		else if ((ch & 0xC0) != 0x80)
			bt_buf_addc(b, '_');
	}
}

/* Writes data to dir/name whole or not at all (bt_file_write). */
static int write_atomic(const char *dir, const char *name, const void *data,
			size_t len, bt_err *e)
{
	bt_buf path = BT_BUF_INIT;
	if (bt_buf_addf(&path, "%s/%s", dir, name) < 0)
		return bt_fail(e, BT_EFAIL, "out of memory");
	int rc = bt_file_write(path.data, "out", data, len, e);
	bt_buf_release(&path);
	return rc;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd); /* best effort: the files themselves are synced */
		close(fd);
	}
}

/* Sets out to "<seq>-<member>-<rec>-<role>-<name>", sanitized, at most
 * NAME_MAX_BYTES long (a long name loses its middle, keeping the extension);
 * k > 1 adds "-k" before the extension. */
static void build_name(bt_buf *out, const char *seq, const bt_history_item *it,
		       const bt_attachment *at, int k)
{
	bt_buf name = BT_BUF_INIT;
	const char *nm, *dot;
	size_t head, stem, ext, room;
	char num[16] = "";

	bt_buf_reset(out);
	bt_buf_adds(out, seq);
	bt_buf_addc(out, '-');
	add_sanitized(out, it->member);
	bt_buf_addc(out, '-');
	add_sanitized(out, it->rec);
	bt_buf_addc(out, '-');
	add_sanitized(out, at->role);
	bt_buf_addc(out, '-');
	add_sanitized(&name, at->name);
	head = out->len;
	nm = bt_buf_str(&name);
	dot = strrchr(nm, '.');
	if (!dot || dot == nm || strlen(dot) > 16)
		dot = nm + name.len;
	stem = (size_t)(dot - nm);
	ext = name.len - stem;
	if (k > 1)
		snprintf(num, sizeof num, "-%d", k);
	room = NAME_MAX_BYTES > head + ext + strlen(num) + 1
		       ? NAME_MAX_BYTES - head - ext - strlen(num)
		       : 1;
	bt_buf_add(out, nm, stem < room ? stem : room);
	bt_buf_adds(out, num);
	bt_buf_add(out, dot, ext);
	bt_buf_release(&name);
}

/* 1 when name is among the first n names of used. */
static int name_used(char **used, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(used[i], name))
			return 1;
	return 0;
}

static void add_readme(bt_buf *b, const bt_consultation *c, size_t nfiles)
{
	char dl[BT_TIME_LEN];

	bt_time_format(c->deadline, dl);
	bt_buf_addf(b,
		    "Compilation of comments: TSB Circular %s (Study Group %d)\n"
		    "\n"
		    "This directory is the compilation of the comments received with Member\n"
		    "State replies to the consultation of TSB Circular %s (deadline %s),\n"
		    "for the temporary document (TD) that TSB submits to the next meeting of\n"
		    "Study Group %d, per WTSA Resolution 1 section 9.4.7.\n"
		    "\n"
		    "It holds %zu file(s). Each is named <seq>-<member>-<rec>-<role>-<name>:\n"
		    "  seq     the number of the event that recorded the reply\n"
		    "  member  the Member State (ISO 3166-1 alpha-3 code)\n"
		    "  rec     the draft Recommendation\n"
		    "  role    \"comments\" (authorizes, with comments and proposed changes)\n"
		    "          or \"reasons\" (does not authorize: reasons and possible changes)\n"
		    "  name    the original file name, reduced to the characters A-Z a-z 0-9 . _ -\n"
		    "\n"
		    "manifest.tsv lists every file with the member, the original name, the draft,\n"
		    "the reply's choice, its status against the deadline (counted, superseded,\n"
		    "withdrawn, late), when it was received, and the file's SHA-256 and size.\n"
		    "Superseded and late replies are included and marked as such.\n",
		    c->circular, c->group, c->circular, dl, c->group, nfiles);
}

/* The files written so far, so that two attachments never share a name. */
typedef struct {
	char **v;
	size_t n;
} names_list;

/* Writes one attachment under a name not used yet, and its manifest line. */
static int write_one(bt_db *db, const char *dir, const bt_history_item *it,
		     const bt_attachment *at, names_list *used, bt_buf *fname,
		     bt_buf *content, bt_buf *manifest, bt_err *e)
{
	char prefix[48], rt[BT_TIME_LEN];
	int rc;

	bt_time_format(it->received, rt);
	snprintf(prefix, sizeof prefix, "%" PRId64, it->seq);
	/* two attachments with one name in one reply: number them */
	for (int k = 1;; k++) {
		build_name(fname, prefix, it, at, k);
		if (fname->failed || !fname->data ||
		    !name_used(used->v, used->n, fname->data))
			break;
	}
	if (fname->failed || !fname->data ||
	    !(used->v[used->n] = strdup(fname->data)))
		return bt_fail(e, BT_EFAIL, "out of memory");
	used->n++;
	rc = bt_attachment_content(db, at->id, content, e);
	if (rc == BT_OK)
		rc = write_atomic(dir, fname->data, bt_buf_str(content), content->len, e);
	bt_buf_addf(manifest, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%" PRId64 "\n",
		    fname->data, it->member, at->name, it->rec, it->what, it->status,
		    rt, at->sha256, at->size);
	return rc;
}

/* Writes every attachment of the history into dir, one manifest line each;
 * *replies counts the replies that had any. */
static int write_attachments(bt_db *db, const char *dir, const bt_history *h,
			     names_list *used, bt_buf *manifest, size_t *replies,
			     bt_err *e)
{
	bt_buf content = BT_BUF_INIT, fname = BT_BUF_INIT;
	size_t total = 0;
	int rc = BT_OK;

	for (size_t i = 0; i < h->n; i++)
		total += h->v[i].n_attachments;
	used->v = calloc(total + 1, sizeof *used->v);
	if (!used->v)
		return bt_fail(e, BT_EFAIL, "out of memory");
	bt_buf_init(&content, (size_t)INT64_C(4) * 1024 * 1024 * 1024);
	bt_buf_adds(manifest, "file\tmember\tname\trec\tchoice\tstatus\t"
			      "received\tsha256\tsize\n");
	for (size_t i = 0; i < h->n && rc == BT_OK; i++) {
		const bt_history_item *it = &h->v[i];

		if (it->n_attachments)
			(*replies)++;
		for (size_t a = 0; a < it->n_attachments && rc == BT_OK; a++)
			rc = write_one(db, dir, it, &it->attachments[a], used, &fname,
				       &content, manifest, e);
	}
	bt_buf_release(&content);
	bt_buf_release(&fname);
	return rc;
}

/* `ballot comments --circular ID --out DIR`. */
int cmd_comments(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_OUT };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("out", CLI_ARG),
			   CLI_OPT_END };
	bt_history h = { NULL, 0 };
	bt_consultation c;
	bt_buf manifest = BT_BUF_INIT, readme = BT_BUF_INIT;
	names_list used = { NULL, 0 };
	size_t replies = 0;
	const char *dir;
	bt_db *db;
	int rc;

	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK ||
	    (rc = cli_require(&opts[O_OUT], e)) != BT_OK)
		return rc;
	dir = opts[O_OUT].val;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = bt_consultation_get(db, opts[O_CIRCULAR].val, &c, e);
	if (rc == BT_OK)
		rc = bt_history_get(db, c.circular, NULL, &h, e);
	if (rc == BT_OK)
		rc = bt_dir_make(dir, "out", e);
	if (rc == BT_OK)
		rc = write_attachments(db, dir, &h, &used, &manifest, &replies, e);
	if (rc == BT_OK) {
		add_readme(&readme, &c, used.n);
		if (manifest.failed || !manifest.data || readme.failed || !readme.data)
			rc = bt_fail(e, BT_EFAIL, "out of memory");
	}
	if (rc == BT_OK)
		rc = write_atomic(dir, "manifest.tsv", manifest.data, manifest.len, e);
	if (rc == BT_OK)
		rc = write_atomic(dir, "README.txt", readme.data, readme.len, e);
	if (rc == BT_OK) {
		sync_dir(dir);
		printf("wrote %zu %s from %zu %s of circular %s to %s (with manifest.tsv and README.txt)\n",
		       used.n, used.n == 1 ? "attachment" : "attachments", replies,
		       replies == 1 ? "reply" : "replies", c.circular, dir);
	}
	for (size_t i = 0; i < used.n; i++)
		free(used.v[i]);
	free(used.v);
	bt_buf_release(&manifest);
	bt_buf_release(&readme);
	bt_history_free(&h);
	return rc;
}
