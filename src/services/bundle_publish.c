/* bundle_publish.c - publishing a consultation's results bundle: its
 * events, attachments, tally and rule, and a signed manifest
 * (include/ballot/bundle.h; services floor). */
#include <stdio.h>
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "services/services.h"
#include "ballot/bundle.h"
#include "ballot/export.h"
#include "ballot/jsonread.h"
#include "ballot/receipt.h"

typedef struct out_file {
	char name[80];
	char sha256[65];
	int64_t size;
} out_file;

typedef struct publisher {
	const char *dir;
	out_file *files;
	size_t n, cap;
} publisher;

static int put_file(publisher *p, const char *name, const void *data, size_t len, bt_err *e)
{
	bt_buf path = BT_BUF_INIT;
	bt_buf_addf(&path, "%s/%s", p->dir, name);
	if (path.failed || array_reserve(&p->files, &p->cap, p->n + 1, sizeof *p->files)) {
		bt_buf_release(&path);
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	int rc = bt_file_write(path.data, "out", data, len, e);
	bt_buf_release(&path);
	if (rc)
		return rc;
	out_file *f = &p->files[p->n++];
	snprintf(f->name, sizeof f->name, "%s", name);
	sha256_hex(data, len, f->sha256);
	f->size = (int64_t)len;
	return BT_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const out_file *)a)->name, ((const out_file *)b)->name);
}

/* dir must be new or empty; it is created. */
static int out_dir_ready(const char *dir, bt_err *e)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		int empty = 1;
		while (empty && (de = readdir(d)))
			empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
		closedir(d);
		if (!empty)
			return bt_failf(e, BT_R_INPUT, "out", "'%s' is not empty (a bundle goes into a new or empty directory)",
					dir);
	}
	return bt_dir_make(dir, "out", e);
}

static int write_events(bt_db *db, const bt_consultation *c, publisher *p, bt_bundle_stats *st,
			bt_err *e)
{
	sqlite3_stmt *q = db_stmt(db, SQL_BUNDLE_EVENTS, e);
	if (!q)
		return BT_EFAIL;
	bt_buf b = BT_BUF_INIT;
	sqlite3_bind_text(q, 1, c->circular, -1, SQLITE_STATIC);
	int rc;
	bt_progress("events", 0, 0);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 4);
		bundle_event_line(&b, sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 2),
			   (const char *)sqlite3_column_text(q, 3), (const char *)sqlite3_column_text(q, 1));
		st->events++;
		st->replies += event_kind_is(kind, EK_REPLY);
		if (st->events % 512 == 0)
			bt_progress("events", (uint64_t)st->events, 0);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		rc = db_fail(db, e, "reading the events");
	else
		rc = b.failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory")
			      : put_file(p, "events.jsonl", b.data ? b.data : "", b.len, e);
	bt_buf_release(&b);
	return rc;
}

static int write_attachments(bt_db *db, const bt_consultation *c, publisher *p, bt_bundle_stats *st,
			     bt_err *e)
{
	sqlite3_stmt *q = db_stmt(db, SQL_BUNDLE_ATTACHMENTS, e);
	if (!q)
		return BT_EFAIL;
	sqlite3_bind_int64(q, 1, c->id);
	int rc = BT_OK, step;
	char name[80];
	while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (st->attachments == 0) {
			bt_buf d = BT_BUF_INIT;
			bt_buf_addf(&d, "%s/" BUNDLE_ATT_DIR, p->dir);
			rc = d.failed ? bt_failf(e, BT_R_NOMEM, NULL,
						 "out of memory") : bt_dir_make(d.data, "out", e);
			bt_buf_release(&d);
			if (rc)
				break;
		}
		snprintf(name, sizeof name, BUNDLE_ATT_DIR "/%s", (const char *)sqlite3_column_text(q, 0));
		const void *blob = sqlite3_column_blob(q, 1);
		rc = put_file(p, name, blob ? blob : "", (size_t)sqlite3_column_bytes(q, 1), e);
		st->attachments++;
		if (st->attachments % 16 == 0)
			bt_progress("attachments", (uint64_t)st->attachments, 0);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, "reading the attachments");
	sqlite3_reset(q);
	return rc;
}

static int write_manifest(const bt_consultation *c, const bt_key *key, publisher *p, bt_time now,
			  const bt_bundle_stats *st, bt_err *e)
{
	qsort(p->files, p->n, sizeof *p->files, by_name);
	bt_buf b = BT_BUF_INIT;
	char ts[BT_TIME_LEN];
	bt_time_format(now, ts);
	bt_buf_addc(&b, '{');
	bt_json_kv_str(&b, "format", BT_BUNDLE_FORMAT, 1);
	bt_json_kv_str(&b, "circular", c->circular, 0);
	bt_json_kv_str(&b, "published", ts, 0);
	bt_json_key(&b, "head", 0);
	bt_buf_addc(&b, '{');
	bt_json_kv_int(&b, "seq", st->head_seq, 1);
	bt_json_kv_str(&b, "hash", st->head, 0);
	bt_buf_addc(&b, '}');
	bt_json_kv_int(&b, "events", st->events, 0);
	bt_json_key(&b, "files", 0);
	bt_buf_addc(&b, '[');
	for (size_t i = 0; i < p->n; i++) {
		bt_buf_adds(&b, i ? ",{" : "{");
		bt_json_kv_str(&b, "name", p->files[i].name, 1);
		bt_json_kv_str(&b, "sha256", p->files[i].sha256, 0);
		bt_json_kv_int(&b, "size", p->files[i].size, 0);
		bt_buf_addc(&b, '}');
	}
	bt_buf_addc(&b, ']');
	bt_json_kv_str(&b, "key", bt_key_public(key)->text, 0);
	bt_buf_addc(&b, '}');
	int rc = json_sign_close(key, &b, e);
	if (!rc) {
		bt_buf path = BT_BUF_INIT;
		bt_buf_addf(&path, "%s/manifest.json", p->dir);
		rc = b.failed || path.failed ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory")
					     : bt_file_write(path.data, "out", b.data, b.len, e);
		bt_buf_release(&path);
	}
	bt_buf_release(&b);
	return rc;
}

int bt_bundle_publish(bt_db *db, const char *circular, const bt_key *key, const char *dir,
		      int with_attachments, bt_time now, bt_bundle_stats *st, bt_err *e)
{
	memset(st, 0, sizeof *st);
	bt_consultation c;
	publisher p = { dir, NULL, 0, 0 };
	bt_tally t;
	bt_buf b = BT_BUF_INIT;
	int started = db_read_begin(db);
	int rc = consultation_load(db, circular, &c, e);
	const bt_rule *rule = rc ? NULL : bt_rule_find(c.rule);
	if (!rc && !rule)
		rc = bt_failf(e, BT_R_DAMAGED, NULL,
			      "consultation '%s' has unknown rule '%s'", c.circular, c.rule);
	if (!rc) /* before anything is written */
		rc = bt_audit_circular(db, c.circular, e);
	if (!rc)
		rc = out_dir_ready(dir, e);
	if (!rc)
		rc = event_last(db, &st->head_seq, st->head, e);
	if (!rc)
		rc = write_events(db, &c, &p, st, e);
	if (!rc && !(rc = bt_tally_compute(db, c.circular, now, &t, e))) {
		rc = bt_tally_json(&t, &b, e);
		bt_tally_free(&t);
		if (!rc)
			rc = put_file(&p, "tally.json", b.data, b.len, e);
	}
	if (!rc) {
		bt_buf_reset(&b);
		bundle_rule_json(rule, &b);
		rc = b.failed ? bt_failf(e, BT_R_NOMEM, NULL,
					 "out of memory") : put_file(&p, "rule.json", b.data, b.len, e);
	}
	if (!rc) {
		bt_buf_reset(&b);
		if (!(rc = bt_export_json(db, c.circular, &b, e)))
			rc = put_file(&p, "replies.json", b.data, b.len, e);
	}
	if (!rc) {
		bt_buf_reset(&b);
		if (!(rc = bt_export_csv(db, c.circular, &b, e)))
			rc = put_file(&p, "replies.csv", b.data, b.len, e);
	}
	if (!rc && with_attachments)
		rc = write_attachments(db, &c, &p, st, e);
	db_read_end(db, started);
	if (!rc)
		rc = write_manifest(&c, key, &p, now, st, e);
	st->files = p.n;
	free(p.files);
	bt_buf_release(&b);
	return rc;
}
