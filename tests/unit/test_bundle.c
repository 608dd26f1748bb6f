/* test_bundle.c - results bundles (bundle.c): publish then verify, the same
 * bytes again, and every changed, added or removed file, another key, a
 * re-signed bundle whose tally does not follow from its events and a
 * receipt left out refused by name. */
#include <sys/stat.h>
#include "dump.h"

typedef struct bx {
	fx f;              /* first: fx_teardown frees it */
	bt_key *key;
	char out[160];     /* the bundle */
	int64_t che_seq;   /* CHE's reply (not authorize, with reasons) */
} bx;

static int bx_setup(void **state)
{
	if (fx_setup(state))
		return -1;
	fx *base = *state;
	bx *x = calloc(1, sizeof *x);
	x->f = *base;
	free(base);
	*state = x;
	char key[160];
	snprintf(key, sizeof key, "%s/t.key", x->f.dir);
	snprintf(x->out, sizeof x->out, "%s/results-205", x->f.dir);
	if (bt_key_create(key, "--key", NULL, &x->f.e) || bt_key_load(key, "--key", &x->key, &x->f.e))
		return -1;
	return 0;
}

static int bx_teardown(void **state)
{
	bx *x = *state;
	bt_key_free(x->key);
	return fx_teardown(state);
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

/* Circular 205 with three replies (one with reasons) and circular 206 with
 * one, whose events the bundle of 205 withholds; then 205's bundle. */
static void publish(bx *x, bt_bundle_stats *st)
{
	fx *f = &x->f;
	fx_circular(f, "205", NULL, NULL);
	bt_reply_spec s = { 0 };
	bt_attachment_in a = { "reasons.txt", "our reasons", 11 };
	s.circular = "205";
	s.member = "CHE";
	s.choice = BT_NOT_AUTHORIZE;
	s.has_received = 1;
	s.received = T("2020-02-01T10:00:00Z");
	s.attachments = &a;
	s.n_attachments = 1;
	bt_reply_result r;
	assert_int_equal(bt_reply_record(f->db, &s, "test", T("2020-02-01T10:00:00Z"), &r, &f->e), BT_OK);
	x->che_seq = r.event_seq;
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-02T10:00:00Z", 0), BT_OK);
	fx_circular(f, "206", NULL, NULL);
	assert_int_equal(fx_reply(f, "206", "ITA", BT_AUTHORIZE, "2020-02-03T10:00:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", "DEU", BT_AUTHORIZE, "2020-02-04T10:00:00Z", 0), BT_OK);
	assert_int_equal(bt_bundle_publish(f->db, "205", x->key, x->out, 1, T("2020-02-10T12:00:00Z"), st, &f->e),
			 BT_OK);
}

/* A copy of the bundle to spoil. */
static void copy_bundle(bx *x, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", x->f.dir, name);
	sh("cp -r '%s' '%s'", x->out, out);
}

/* Flips one bit of the byte at offset of file path. */
static void flip(const char *path, long offset)
{
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, offset, SEEK_SET), 0);
	int c = fgetc(fp);
	assert_true(c != EOF);
	assert_int_equal(fseek(fp, offset, SEEK_SET), 0);
	fputc(c ^ 1, fp);
	assert_int_equal(fclose(fp), 0);
}

static void refused(bx *x, const char *dir, const char *const *receipts, size_t n, const char *prefix)
{
	bt_bundle_report r;
	int rc = bt_bundle_verify(dir, bt_key_public(x->key), receipts, n, &r, &x->f.e);
	if (rc != BT_EINPUT || strncmp(x->f.e.msg, prefix, strlen(prefix)))
		fail_msg("verify gave %d '%s', not '%s...'", rc, x->f.e.msg, prefix);
	bt_bundle_report_free(&r);
}

static void write_receipt(bx *x, int64_t seq, const char *path)
{
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_receipt_issue(x->f.db, seq, x->key, &b, NULL, &x->f.e), BT_OK);
	assert_int_equal(bt_file_write(path, "receipt", b.data, b.len, &x->f.e), BT_OK);
	bt_buf_release(&b);
}

static void publish_then_verify(void **state)
{
	bx *x = *state;
	bt_bundle_stats st;
	publish(x, &st);
	/* 205's consultation, draft, three replies */
	assert_int_equal(st.events, 5);
	assert_int_equal(st.replies, 3);
	assert_int_equal(st.attachments, 1);
	assert_int_equal(st.head_seq, 11);
	assert_int_equal(strlen(st.head), 64);
	/* events, tally, rule, replies.json, replies.csv, one attachment */
	assert_int_equal(st.files, 6);
	char sha[65], p[300];
	bt_sha256_hex("our reasons", 11, sha);
	snprintf(p, sizeof p, "%s/attachments/%s", x->out, sha);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_size, 11);

	char receipt[200];
	snprintf(receipt, sizeof receipt, "%s/che.receipt", x->f.dir);
	write_receipt(x, x->che_seq, receipt);
	const char *receipts[] = { receipt };
	bt_bundle_report r;
	assert_int_equal(bt_bundle_verify(x->out, bt_key_public(x->key), receipts, 1, &r, &x->f.e), BT_OK);
	assert_string_equal(r.circular, "205");
	assert_string_equal(r.published, "2020-02-10T12:00:00Z");
	assert_int_equal(r.head_seq, st.head_seq);
	assert_string_equal(r.head, st.head);
	assert_int_equal(r.events, 5);
	assert_int_equal(r.replies, 3);
	/* init, the calendar (2), 206's consultation, draft and reply */
	assert_int_equal(r.withheld, 6);
	assert_int_equal(r.attachments, 1);
	assert_int_equal(r.files, st.files);
	assert_int_equal(r.receipts, 1);
	char want[160];
	snprintf(want, sizeof want, "CHE reply on Q.5051 (event %lld): counted", (long long)x->che_seq);
	assert_string_equal(r.receipt_status[0], want);
	/* the tally recomputed from the events alone */
	assert_int_equal(r.tally.n, 1);
	assert_int_equal(r.tally.drafts[0].replies, 3);
	assert_int_equal(r.tally.drafts[0].support, 2);
	assert_int_equal(r.tally.drafts[0].not_authorize, 1);
	bt_tally t;
	assert_int_equal(bt_tally_compute(x->f.db, "205", T("2020-02-10T12:00:00Z"), &t, &x->f.e), BT_OK);
	assert_int_equal(r.tally.electorate, t.electorate);
	assert_int_equal(r.tally.drafts[0].outstanding, t.drafts[0].outstanding);
	assert_int_equal(r.tally.drafts[0].outstanding, t.electorate - 3);
	assert_string_equal(r.tally.drafts[0].if_closed_now, t.drafts[0].if_closed_now);
	bt_tally_free(&t);
	bt_bundle_report_free(&r);
	/* and without receipts */
	assert_int_equal(bt_bundle_verify(x->out, bt_key_public(x->key), NULL, 0, &r, &x->f.e), BT_OK);
	assert_int_equal(r.receipts, 0);
	bt_bundle_report_free(&r);
}

static void publishing_again_gives_the_same_bytes(void **state)
{
	bx *x = *state;
	bt_bundle_stats st, st2;
	publish(x, &st);
	char again[200];
	snprintf(again, sizeof again, "%s/again", x->f.dir);
	assert_int_equal(bt_bundle_publish(x->f.db, "205", x->key, again, 1, T("2020-02-10T12:00:00Z"), &st2, &x->f.e),
			 BT_OK);
	sh("diff -r '%s' '%s' >/dev/null", x->out, again);
	assert_memory_equal(&st, &st2, sizeof st);
	/* without attachments: the manifest lists no attachment */
	char bare[200];
	snprintf(bare, sizeof bare, "%s/bare", x->f.dir);
	assert_int_equal(bt_bundle_publish(x->f.db, "205", x->key, bare, 0, T("2020-02-10T12:00:00Z"), &st2, &x->f.e),
			 BT_OK);
	assert_int_equal(st2.attachments, 0);
	assert_int_equal(st2.files, 5);
	sh("test ! -e '%s/attachments'", bare);
	bt_bundle_report r;
	assert_int_equal(bt_bundle_verify(bare, bt_key_public(x->key), NULL, 0, &r, &x->f.e), BT_OK);
	assert_int_equal(r.attachments, 0);
	bt_bundle_report_free(&r);
}

static void changed_added_and_removed_files_are_named(void **state)
{
	bx *x = *state;
	bt_bundle_stats st;
	publish(x, &st);
	char d[200], sha[65];
	bt_sha256_hex("our reasons", 11, sha);

	char p[300];
	copy_bundle(x, "b1", d, sizeof d);
	snprintf(p, sizeof p, "%s/events.jsonl", d);
	flip(p, 100);
	refused(x, d, NULL, 0, "events.jsonl: its SHA-256 or size differs from the signed manifest");

	copy_bundle(x, "b2", d, sizeof d);
	snprintf(p, sizeof p, "%s/tally.json", d);
	flip(p, 20);
	refused(x, d, NULL, 0, "tally.json: its SHA-256 or size differs from the signed manifest");

	copy_bundle(x, "b3", d, sizeof d);
	snprintf(p, sizeof p, "%s/attachments/%s", d, sha);
	flip(p, 0);
	refused(x, d, NULL, 0, "attachments/");
	assert_non_null(strstr(x->f.e.msg, "its SHA-256 or size differs from the signed manifest"));

	copy_bundle(x, "b4", d, sizeof d);
	sh("echo hello > '%s/note.txt'", d);
	refused(x, d, NULL, 0, "note.txt: not in the signed manifest");

	copy_bundle(x, "b5", d, sizeof d);
	sh("rm '%s/replies.csv'", d);
	refused(x, d, NULL, 0, "replies.csv: listed in the signed manifest but missing");

	copy_bundle(x, "b6", d, sizeof d);
	sh("rm '%s/manifest.json'", d);
	refused(x, d, NULL, 0, "manifest.json: missing");

	/* one digit of the manifest's signature */
	copy_bundle(x, "b7", d, sizeof d);
	snprintf(p, sizeof p, "%s/manifest.json", d);
	bt_buf m = BT_BUF_INIT;
	assert_int_equal(bt_file_read(p, "m", 1 << 20, &m, &x->f.e), BT_OK);
	char *sig = strstr(m.data, "\"signature\":\"");
	assert_non_null(sig);
	flip(p, (long)(sig - m.data) + 13 + 7);
	refused(x, d, NULL, 0, "manifest.json: signature: ");
	bt_buf_release(&m);

	/* the original still verifies: nothing above touched it */
	bt_bundle_report r;
	assert_int_equal(bt_bundle_verify(x->out, bt_key_public(x->key), NULL, 0, &r, &x->f.e), BT_OK);
	bt_bundle_report_free(&r);
}

static void another_key_is_refused(void **state)
{
	bx *x = *state;
	bt_bundle_stats st;
	publish(x, &st);
	char other[200];
	bt_pubkey pub2;
	snprintf(other, sizeof other, "%s/other.key", x->f.dir);
	assert_int_equal(bt_key_create(other, "key", &pub2, &x->f.e), BT_OK);
	bt_bundle_report r;
	assert_int_equal(bt_bundle_verify(x->out, &pub2, NULL, 0, &r, &x->f.e), BT_EINPUT);
	assert_non_null(strstr(x->f.e.msg, "manifest.json: key: the bundle names"));
	assert_non_null(strstr(x->f.e.msg, pub2.text));
	bt_bundle_report_free(&r);
}

/* Re-signs the manifest of dir after file name changed: its SHA-256 and
 * size put in, the signature made again with the real key (the forger holds
 * it). */
static void resign(bx *x, const char *dir, const char *name)
{
	char mp[300], fp[300];
	snprintf(mp, sizeof mp, "%s/manifest.json", dir);
	snprintf(fp, sizeof fp, "%s/%s", dir, name);
	bt_buf m = BT_BUF_INIT, file = BT_BUF_INIT, doc = BT_BUF_INIT;
	assert_int_equal(bt_file_read(mp, "m", 1 << 20, &m, &x->f.e), BT_OK);
	assert_int_equal(bt_file_read(fp, "f", 1 << 20, &file, &x->f.e), BT_OK);
	bt_jv *man;
	assert_int_equal(bt_json_parse(m.data, m.len - 1, "m", &man, &x->f.e), BT_OK);
	const bt_jv *files = bt_jv_get(man, "files");
	assert_non_null(files);
	char sha[65];
	bt_sha256_hex(file.data, file.len, sha);
	/* the manifest with name's entry replaced */
	const char *entry = NULL;
	char old[200], new[200];
	for (size_t i = 0; i < files->n; i++) {
		const bt_jv *fe = &files->items[i];
		if (strcmp(bt_jv_str(fe, "name"), name) == 0) {
			int64_t size;
			bt_jv_int(fe, "size", &size);
			snprintf(old, sizeof old, "\"sha256\":\"%s\",\"size\":%lld", bt_jv_str(fe, "sha256"), (long long)size);
			snprintf(new, sizeof new, "\"sha256\":\"%s\",\"size\":%zu", sha, file.len);
			entry = strstr(m.data, old);
		}
	}
	assert_non_null(entry);
	bt_buf_add(&doc, m.data, (size_t)(entry - m.data));
	bt_buf_adds(&doc, new);
	const char *rest = entry + strlen(old);
	const char *sigat = strstr(rest, ",\"signature\":");
	assert_non_null(sigat);
	bt_buf_add(&doc, rest, (size_t)(sigat - rest));
	bt_buf_addc(&doc, '}');
	char sig[BT_SIG_LEN];
	assert_int_equal(bt_key_sign(x->key, doc.data, doc.len, sig, &x->f.e), BT_OK);
	doc.len--;
	bt_buf_addf(&doc, ",\"signature\":\"%s\"}\n", sig);
	assert_int_equal(bt_file_write(mp, "m", doc.data, doc.len, &x->f.e), BT_OK);
	bt_jv_free(man);
	bt_buf_release(&m);
	bt_buf_release(&file);
	bt_buf_release(&doc);
}

static void resigned_forgeries_are_named(void **state)
{
	bx *x = *state;
	bt_bundle_stats st;
	publish(x, &st);
	char d[200], p[300];
	/* the re-signing itself is sound: a re-signed untouched file verifies */
	copy_bundle(x, "ok", d, sizeof d);
	resign(x, d, "tally.json");
	bt_bundle_report r;
	assert_int_equal(bt_bundle_verify(d, bt_key_public(x->key), NULL, 0, &r, &x->f.e), BT_OK);
	bt_bundle_report_free(&r);

	/* a tally that does not follow from the events */
	copy_bundle(x, "t", d, sizeof d);
	snprintf(p, sizeof p, "%s/tally.json", d);
	sh("sed -i 's/\"not_authorize\":1/\"not_authorize\":0/' '%s'", p);
	resign(x, d, "tally.json");
	refused(x, d, NULL, 0, "tally.json: differs from the tally recomputed from events.jsonl");

	/* a reply's choice rewritten in the event without its hash */
	copy_bundle(x, "e", d, sizeof d);
	snprintf(p, sizeof p, "%s/events.jsonl", d);
	sh("sed -i 's/not-authorize/authorize/' '%s'", p);
	resign(x, d, "events.jsonl");
	refused(x, d, NULL, 0, "events.jsonl: event ");
	assert_non_null(strstr(x->f.e.msg, "its body does not hash to its hash"));

	/* a reply left out (its line removed) */
	copy_bundle(x, "l", d, sizeof d);
	snprintf(p, sizeof p, "%s/events.jsonl", d);
	sh("sed -i '/member[^,]*FRA/d' '%s'", p);
	sh("test $(wc -l < '%s') -eq 4", p);
	resign(x, d, "events.jsonl");
	refused(x, d, NULL, 0, "events.jsonl: event ");
	assert_non_null(strstr(x->f.e.msg, "does not link to the consultation's previous event"));
}

/* A forger with the key rewrites the last event of dir's events.jsonl: from
 * replaced by to in its body, its chain hash made again, the manifest
 * re-signed. Only the payload is then wrong (the manifest's head is checked
 * after the events are taken in). */
static void rewrite_last_event(bx *x, const char *dir, const char *from, const char *to)
{
	char p[300];
	snprintf(p, sizeof p, "%s/events.jsonl", dir);
	bt_buf t = BT_BUF_INIT, out = BT_BUF_INIT, chained = BT_BUF_INIT, body = BT_BUF_INIT;
	assert_int_equal(bt_file_read(p, "events", 1 << 20, &t, &x->f.e), BT_OK);
	assert_true(t.len > 1);
	size_t last = t.len - 1;
	while (last > 0 && t.data[last - 1] != '\n')
		last--;
	bt_jv *ev;
	assert_int_equal(bt_json_parse(t.data + last, t.len - 1 - last, "line", &ev, &x->f.e), BT_OK);
	const char *b = bt_jv_str(ev, "body"), *at = strstr(b, from);
	int64_t seq;
	assert_non_null(at);
	assert_true(bt_jv_int(ev, "seq", &seq));
	bt_buf_add(&body, b, (size_t)(at - b));
	bt_buf_adds(&body, to);
	bt_buf_adds(&body, at + strlen(from));
	char hash[65];
	bt_buf_addf(&chained, "%s\n%s", bt_jv_str(ev, "prev"), body.data);
	bt_sha256_hex(chained.data, chained.len, hash);
	bt_buf_add(&out, t.data, last);
	bt_buf_addf(&out, "{\"seq\":%lld", (long long)seq);
	bt_json_kv_str(&out, "prev", bt_jv_str(ev, "prev"), 0);
	bt_json_kv_str(&out, "hash", hash, 0);
	bt_json_kv_str(&out, "body", body.data, 0);
	bt_buf_adds(&out, "}\n");
	assert_false(out.failed);
	assert_int_equal(bt_file_write(p, "events", out.data, out.len, &x->f.e), BT_OK);
	resign(x, dir, "events.jsonl");
	bt_jv_free(ev);
	bt_buf_release(&t);
	bt_buf_release(&out);
	bt_buf_release(&chained);
	bt_buf_release(&body);
}

/* Events whose chain holds but whose payload does not make sense are named
 * by the kind's parser (domain/kinds.c) or by what the verifier knows. */
static void rewritten_payloads_are_named(void **state)
{
	bx *x = *state;
	bt_bundle_stats st;
	publish(x, &st);
	char d[200];
	/* the untouched rewrite verifies up to the head the manifest names */
	copy_bundle(x, "same", d, sizeof d);
	rewrite_last_event(x, d, "\"DEU\"", "\"DEU\"");
	bt_bundle_report r;
	assert_int_equal(bt_bundle_verify(d, bt_key_public(x->key), NULL, 0, &r, &x->f.e), BT_OK);
	bt_bundle_report_free(&r);

	const char *nr = "events.jsonl: event 11: a reply without member, known draft, choice, received, reply number or attachments";
	copy_bundle(x, "choice", d, sizeof d);
	rewrite_last_event(x, d, "\"choice\":\"authorize\"", "\"choice\":\"maybe\"");
	refused(x, d, NULL, 0, nr);
	assert_string_equal(x->f.e.msg, nr);

	copy_bundle(x, "withdraw", d, sizeof d);
	rewrite_last_event(x, d, "\"choice\":\"authorize\"", "\"choice\":\"withdraw\"");
	refused(x, d, NULL, 0, nr);

	copy_bundle(x, "draft", d, sizeof d); /* parsed, but no such draft */
	rewrite_last_event(x, d, "\"draft\":\"Q.5051\"", "\"draft\":\"Q.9999\"");
	refused(x, d, NULL, 0, nr);

	copy_bundle(x, "member", d, sizeof d);
	rewrite_last_event(x, d, "\"member\":\"DEU\"", "\"member\":\"XXX\"");
	refused(x, d, NULL, 0, "events.jsonl: event 11: XXX is not in the consultation's electorate");

	copy_bundle(x, "number", d, sizeof d);
	rewrite_last_event(x, d, "\"reply\":", "\"reply\":-");
	refused(x, d, NULL, 0, "events.jsonl: event 11: reply number -");
}

static void receipts_say_what_became_of_the_reply(void **state)
{
	bx *x = *state;
	fx *f = &x->f;
	bt_bundle_stats st;
	publish(x, &st);
	char early[200], later[200];
	snprintf(early, sizeof early, "%s/che1.receipt", f->dir);
	write_receipt(x, x->che_seq, early);
	/* a reply recorded after publication is not in the bundle */
	bt_reply_result rr;
	bt_reply_spec s = { .circular = "205", .member = "CHE", .choice = BT_AUTHORIZE, .has_received = 1,
			    .received = T("2020-02-11T10:00:00Z") };
	assert_int_equal(bt_reply_record(f->db, &s, "t", T("2020-02-11T10:00:00Z"), &rr, &f->e), BT_OK);
	snprintf(later, sizeof later, "%s/che2.receipt", f->dir);
	write_receipt(x, rr.event_seq, later);
	const char *both[] = { early, later };
	char want[300];
	snprintf(want, sizeof want, "receipt %s: event %lld (reply CHE Q.5051) is not in the bundle: it was left out",
		 later, (long long)rr.event_seq);
	refused(x, x->out, both, 2, want);

	/* published again, the first reply is superseded */
	char again[200];
	snprintf(again, sizeof again, "%s/again", f->dir);
	assert_int_equal(bt_bundle_publish(f->db, "205", x->key, again, 0, T("2020-02-12T00:00:00Z"), &st, &f->e), BT_OK);
	bt_bundle_report r;
	assert_int_equal(bt_bundle_verify(again, bt_key_public(x->key), both, 2, &r, &f->e), BT_OK);
	assert_int_equal(r.receipts, 2);
	assert_non_null(strstr(r.receipt_status[0], "superseded by a later reply, not counted"));
	assert_non_null(strstr(r.receipt_status[1], ": counted"));
	bt_bundle_report_free(&r);

	/* a receipt that is not one */
	char bad[200];
	snprintf(bad, sizeof bad, "%s/bad.receipt", f->dir);
	sh("sed 's/\"CHE\"/\"CHF\"/' '%s' > '%s'", early, bad);
	const char *one[] = { bad };
	snprintf(want, sizeof want, "{receipt} %s: member: ", bad);
	refused(x, again, one, 1, want);
}

static void publish_refuses_and_writes_nothing(void **state)
{
	bx *x = *state;
	fx *f = &x->f;
	fx_circular(f, "205", NULL, NULL);
	bt_bundle_stats st;
	assert_int_equal(bt_bundle_publish(f->db, "999", x->key, x->out, 0, T("2020-02-10T12:00:00Z"), &st, &f->e),
			 BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '999'");
	struct stat sb;
	assert_int_not_equal(stat(x->out, &sb), 0); /* not even the directory */

	sh("mkdir '%s' && echo keep > '%s/mine.txt'", x->out, x->out);
	assert_int_equal(bt_bundle_publish(f->db, "205", x->key, x->out, 0, T("2020-02-10T12:00:00Z"), &st, &f->e),
			 BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "out: '"));
	assert_non_null(strstr(f->e.msg, "' is not empty"));
	sh("test \"$(ls -A '%s')\" = mine.txt", x->out);
	/* an empty directory is fine */
	sh("rm '%s/mine.txt'", x->out);
	assert_int_equal(bt_bundle_publish(f->db, "205", x->key, x->out, 0, T("2020-02-10T12:00:00Z"), &st, &f->e),
			 BT_OK);
	/* a directory that is not a bundle */
	char empty[200];
	snprintf(empty, sizeof empty, "%s/empty", f->dir);
	sh("mkdir '%s'", empty);
	refused(x, empty, NULL, 0, "manifest.json: missing");
}

/* A consultation whose rows differ from their events is not published:
 * refused before anything is written. */
static void damaged_rows_are_not_published(void **state)
{
	bx *x = *state;
	fx *f = &x->f;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1), BT_OK);
	db_exec(f->path, "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'authorize'");
	bt_bundle_stats st;
	assert_int_equal(bt_bundle_publish(f->db, "205", x->key, x->out, 1, T("2020-02-10T12:00:00Z"), &st, &f->e),
			 BT_EFAIL);
	assert_non_null(strstr(f->e.msg, "circular 205: the replies row 1 differs from event 6 that wrote it"));
	struct stat sb;
	assert_int_not_equal(stat(x->out, &sb), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(publish_then_verify, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(publishing_again_gives_the_same_bytes, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(changed_added_and_removed_files_are_named, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(another_key_is_refused, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(resigned_forgeries_are_named, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(rewritten_payloads_are_named, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(receipts_say_what_became_of_the_reply, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(publish_refuses_and_writes_nothing, bx_setup, bx_teardown),
		cmocka_unit_test_setup_teardown(damaged_rows_are_not_published, bx_setup, bx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
