/* bundle_verify.c - verifying a results bundle with the public key alone:
 * the manifest's signature, every file's hash, the chain of events, the
 * tally counted again, and receipts (include/ballot/bundle.h; services
 * floor). */
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

/* What the verifier learns from the events. */
typedef struct vdraft {
	char rec[BT_ID_MAX + 1];
	char *title;
	char *titles[BT_DRAFT_LANGS]; /* the latest in each other language, or NULL */
	char decision[16];   /* the latest decision event's, or "" */
	count_row *rows;
	size_t n, cap;
} vdraft;

typedef struct verifier {
	const char *dir;
	bt_bundle_report *r;
	bt_jv *manifest;
	int have_consultation;
	int64_t last_reply;   /* reply numbers only grow */
	char rule[16];
	bt_time deadline;
	char deadline_forced[512];
	int closed;
	char (*electorate)[4];
	size_t n_electorate;
	vdraft *drafts;
	size_t n_drafts, cap_drafts;
	char (*att)[65];      /* SHA-256 of every attachment the events name */
	size_t n_att, cap_att;
	/* seq and hash of every disclosed event, for receipts */
	struct vevent { int64_t seq; char hash[65]; } *ev;
	size_t n_ev, cap_ev;
	bt_buf kept[3];       /* the bytes of kept_names as hashed: parsed from these */
	int have[3];          /* which of them the manifest listed */
	int format1;          /* a ballot-bundle/1: tally.json without titles */

} verifier;

/* The files the verifier reads after checking them against the manifest. */
static const char *const kept_names[3] = { "events.jsonl", "rule.json", "tally.json" };
enum { K_EVENTS, K_RULE, K_TALLY };

/* The checked bytes of kept file k; BT_EINPUT when the manifest lacks it. */
static int kept(verifier *v, int k, bt_buf **out, bt_err *e)
{
	*out = &v->kept[k];
	return v->have[k] ? BT_OK
			       : bt_failf(e, BT_R_INPUT, NULL,
					  "%s: not in the signed manifest: not a whole bundle", kept_names[k]);
}

static int read_in(const verifier *v, const char *name, size_t max, bt_buf *out, bt_err *e)
{
	bt_buf path = BT_BUF_INIT;
	bt_buf_addf(&path, "%s/%s", v->dir, name);
	if (path.failed)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	int rc = bt_file_read(path.data, name, max, out, e);
	bt_buf_release(&path);
	return rc;
}

static int check_manifest(verifier *v, const bt_pubkey *pub, bt_err *e)
{
	bt_buf text = BT_BUF_INIT, signed_part = BT_BUF_INIT;
	int rc = read_in(v, "manifest.json", BUNDLE_MANIFEST_MAX, &text, e);
	if (rc == BT_EINPUT && e->reason == BT_R_NOT_FOUND)
		rc = bt_failf(e, BT_R_INPUT, NULL,
			      "manifest.json: missing: '%s' is not a results bundle", v->dir);
	if (!rc)
		rc = bt_json_parse(text.data, text.len && text.data[text.len - 1] == '\n' ? text.len - 1 : text.len,
				   "manifest.json", &v->manifest, e);
	bt_buf_release(&text);
	if (rc)
		return rc;
	const bt_jv *m = v->manifest;
	const char *format = bt_jv_str(m, "format"), *circ = bt_jv_str(m, "circular"),
		   *pubd = bt_jv_str(m, "published"), *key = bt_jv_str(m, "key"), *sig = bt_jv_str(m, "signature");
	const bt_jv *head = bt_jv_get(m, "head"), *files = bt_jv_get(m, "files");
	bt_time t;
	bt_err ignore;
	if (m->type != BT_JOBJ || !format ||
	    (strcmp(format, BT_BUNDLE_FORMAT) && strcmp(format, BT_BUNDLE_FORMAT_1)))
		return bt_failf(e, BT_R_INPUT, NULL,
				"manifest.json: format: not %s", BT_BUNDLE_FORMAT);
	v->format1 = strcmp(format, BT_BUNDLE_FORMAT_1) == 0;
	if (!key || strcmp(key, pub->text))
		return bt_failf(e, BT_R_INPUT, NULL,
				"manifest.json: key: the bundle names %.80s, not the key given (%s)",
				key && bt_text_clean(key, 0) ? key : "(none)", pub->text);
	if (!sig)
		return bt_failf(e, BT_R_INPUT, NULL, "manifest.json: signature: missing");
	if (bundle_manifest_signed(m, &signed_part)) {
		bt_buf_release(&signed_part);
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	rc = bt_pubkey_verify(pub, signed_part.data, signed_part.len, sig, "manifest.json: signature", e);
	bt_buf_release(&signed_part);
	if (rc)
		return rc;
	/* signed: the rest is what the secretariat wrote, checked for shape */
	if (!circ || strlen(circ) > BT_ID_MAX || !pubd || bt_time_parse(pubd, "published", &t, &ignore) ||
	    !head || !bt_jv_int(head, "seq", &v->r->head_seq) || !bt_jv_str(head, "hash") ||
	    !files || files->type != BT_JARR)
		return bt_failf(e, BT_R_INPUT, NULL,
				"manifest.json: lacks the circular, published, head or files");
	snprintf(v->r->circular, sizeof v->r->circular, "%s", circ);
	snprintf(v->r->published, sizeof v->r->published, "%s", pubd);
	snprintf(v->r->head, sizeof v->r->head, "%s", bt_jv_str(head, "hash"));
	return BT_OK;
}

/* File i of the manifest's list is there, a regular file with its size and
 * SHA-256 (an attachment's content also hashing to its name); the files the
 * verifier reads later are kept. data is the caller's scratch buffer. */
static int check_listed(verifier *v, const bt_jv *files, size_t i, bt_buf *data, bt_err *e)
{
	const bt_jv *f = &files->items[i];
	const char *name = bt_jv_str(f, "name"), *sha = bt_jv_str(f, "sha256");
	int64_t size;
	if (!name || !sha || !bt_jv_int(f, "size", &size) || !bundle_safe_name(name))
		return bt_failf(e, BT_R_INPUT, NULL, "manifest.json: files[%zu] is not a file of a bundle", i);
	for (size_t j = 0; j < i; j++)
		if (strcmp(bt_jv_str(&files->items[j], "name"), name) == 0)
			return bt_failf(e, BT_R_INPUT, NULL, "manifest.json: %s is listed twice", name);
	char full[PATH_MAX], got[65];
	struct stat st;
	snprintf(full, sizeof full, "%s/%s", v->dir, name);
	if (lstat(full, &st) == 0 && !S_ISREG(st.st_mode))
		return bt_failf(e, BT_R_INPUT, NULL,
				"%s: not a regular file (a link or directory has no place in a bundle)", name);
	bt_buf_reset(data);
	int rc = read_in(v, name, BUNDLE_FILE_MAX, data, e);
	if (rc == BT_EINPUT && e->reason == BT_R_NOT_FOUND)
		return bt_failf(e, BT_R_INPUT, NULL, "%s: listed in the signed manifest but missing", name);
	if (rc)
		return rc;
	sha256_hex(data->data ? data->data : "", data->len, got);
	if ((int64_t)data->len != size || strcmp(got, sha))
		return bt_failf(e, BT_R_INPUT, NULL,
				"%s: its SHA-256 or size differs from the signed manifest (the file was changed)", name);
	if (strncmp(name, BUNDLE_ATT_DIR "/", sizeof BUNDLE_ATT_DIR) == 0) {
		if (strcmp(name + sizeof BUNDLE_ATT_DIR, got))
			return bt_failf(e, BT_R_INPUT, NULL, "%s: its content does not hash to its name", name);
		v->r->attachments++;
	}
	for (int k = 0; k < 3; k++)
		if (strcmp(name, kept_names[k]) == 0) {
			v->have[k] = 1;
			v->kept[k] = *data; /* moved, not copied */
			bt_buf_init(data, 0);
		}
	v->r->files++;
	return BT_OK;
}

/* Nothing in the bundle's directory (pass 0) or its attachments directory
 * (pass 1) that the manifest does not list. */
static int check_unlisted(verifier *v, const bt_jv *files, int pass, bt_err *e)
{
	bt_buf dpath = BT_BUF_INIT;
	bt_buf_addf(&dpath, pass ? "%s/" BUNDLE_ATT_DIR : "%s", v->dir);
	DIR *d = dpath.failed ? NULL : opendir(dpath.data);
	bt_buf_release(&dpath);
	if (!d)
		return BT_OK; /* no attachments directory */
	struct dirent *de;
	int rc = BT_OK;
	while (!rc && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    (!pass && strcmp(de->d_name, "manifest.json") == 0) ||
		    (!pass && strcmp(de->d_name, BUNDLE_ATT_DIR) == 0 && de->d_type == DT_DIR && v->r->attachments))
			continue;
		char name[300];
		snprintf(name, sizeof name, pass ? BUNDLE_ATT_DIR "/%s" : "%s", de->d_name);
		int listed = 0;
		for (size_t i = 0; !listed && i < files->n; i++)
			listed = strcmp(bt_jv_str(&files->items[i], "name"), name) == 0;
		if (!listed)
			rc = bt_failf(e, BT_R_INPUT, NULL, "%.200s: not in the signed manifest (a file was added)",
				      bt_text_clean(name, 0) ? name : "(unprintable name)");
	}
	closedir(d);
	return rc;
}

/* Every file listed is there with its size and SHA-256; no other file. */
static int check_files(verifier *v, bt_err *e)
{
	const bt_jv *files = bt_jv_get(v->manifest, "files");
	bt_buf data = BT_BUF_INIT;
	int rc = BT_OK;
	for (size_t i = 0; !rc && i < files->n; i++)
		rc = check_listed(v, files, i, &data, e);
	bt_buf_release(&data);
	for (int pass = 0; !rc && pass < 2; pass++)
		rc = check_unlisted(v, files, pass, e);
	return rc;
}

static vdraft *find_draft(verifier *v, const char *rec)
{
	for (size_t i = 0; i < v->n_drafts; i++)
		if (strcasecmp(v->drafts[i].rec, rec) == 0)
			return &v->drafts[i];
	return NULL;
}

static int in_electorate(const verifier *v, const char *m)
{
	for (size_t i = 0; i < v->n_electorate; i++)
		if (strcmp(v->electorate[i], m) == 0)
			return 1;
	return 0;
}

/* What the verifier takes in from each kind's payload (parsed by the kind's
 * parser, domain/kinds.c), after the checks that need what came before. */
typedef int take_fn(verifier *v, int64_t seq, const event_payload *p, bt_err *e);

static int take_consultation(verifier *v, int64_t seq, const event_payload *p, bt_err *e)
{
	(void)seq;
	const bt_jv *el = p->electorate;
	snprintf(v->rule, sizeof v->rule, "%s", p->rule);
	v->deadline = p->deadline;
	snprintf(v->deadline_forced, sizeof v->deadline_forced, "%s", p->deadline_forced ? p->deadline_forced : "");
	free(v->electorate);
	v->electorate = calloc(el->n ? el->n : 1, sizeof *v->electorate);
	if (!v->electorate)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	for (v->n_electorate = 0; v->n_electorate < el->n; v->n_electorate++)
		memcpy(v->electorate[v->n_electorate], el->items[v->n_electorate].str, 4);
	v->have_consultation = 1;
	return BT_OK;
}

/* The titles of a draft or draft-titles event (an object by language of
 * objects with a title, a summary or both) into d, each replacing the one
 * before. */
static int take_titles_of(vdraft *d, const bt_jv *titles, bt_err *e)
{
	if (titles->type != BT_JOBJ)
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: titles of %s: not an object", d->rec);
	for (size_t i = 0; i < titles->n; i++) {
		int k = bt_draft_lang_index(titles->keys[i]);
		const char *t = bt_jv_str(&titles->items[i], "title");
		if (k < 0 || !t)
			continue;
		char *s = strdup(t);
		if (!s)
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		free(d->titles[k]);
		d->titles[k] = s;
	}
	return BT_OK;
}

static int take_draft(verifier *v, int64_t seq, const event_payload *p, bt_err *e)
{
	if (find_draft(v, p->rec))
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: event %lld: a second draft %s", (long long)seq,
				p->rec);
	if (array_reserve(&v->drafts, &v->cap_drafts, v->n_drafts + 1, sizeof *v->drafts))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	vdraft *d = &v->drafts[v->n_drafts++];
	memset(d, 0, sizeof *d);
	snprintf(d->rec, sizeof d->rec, "%s", p->rec);
	d->title = strdup(p->title);
	if (!d->title)
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	return p->titles ? take_titles_of(d, p->titles, e) : BT_OK;
}

/* draft set: the titles it gives replace the ones before */
static int take_titles(verifier *v, int64_t seq, const event_payload *p, bt_err *e)
{
	vdraft *d = find_draft(v, p->draft);
	if (!d)
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: event %lld: titles of an unknown draft %.40s",
				(long long)seq, p->draft);
	return take_titles_of(d, p->titles, e);
}

static int take_deadline(verifier *v, int64_t seq, const event_payload *p, bt_err *e)
{
	(void)seq, (void)e;
	v->deadline = p->deadline;
	return BT_OK;
}

/* the latest decision on a draft makes its state (tally.json) */
static int take_decision(verifier *v, int64_t seq, const event_payload *p, bt_err *e)
{
	vdraft *d = find_draft(v, p->draft);
	if (!d)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: a decision without a known draft or decision",
				(long long)seq);
	snprintf(d->decision, sizeof d->decision, "%s", p->decision);
	return BT_OK;
}

static int take_close(verifier *v, int64_t seq, const event_payload *p, bt_err *e)
{
	(void)seq, (void)p, (void)e;
	v->closed = 1;
	return BT_OK;
}

/* A reply or a withdrawal: a row of its draft's count, and its attachments. */
static int take_reply(verifier *v, int64_t seq, const event_payload *p, bt_err *e)
{
	vdraft *d = find_draft(v, p->draft);
	if (!d)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: a %s without member, known draft, choice, received, reply number or attachments",
				(long long)seq, p->choice == BT_WITHDRAW ? EVK_WITHDRAWAL : EVK_REPLY);
	if (p->reply <= v->last_reply)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: reply number %lld after %lld (recorded twice or out of order)",
				(long long)seq, (long long)p->reply, (long long)v->last_reply);
	v->last_reply = p->reply;
	if (!in_electorate(v, p->member))
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: %.3s is not in the consultation's electorate",
				(long long)seq, p->member);
	for (size_t i = 0; i < p->attachments->n; i++) {
		if (array_reserve(&v->att, &v->cap_att, v->n_att + 1, sizeof *v->att))
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		memcpy(v->att[v->n_att++], bt_jv_str(&p->attachments->items[i], "sha256"), 65);
	}
	if (array_reserve(&d->rows, &d->cap, d->n + 1, sizeof *d->rows))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	count_row *row = &d->rows[d->n++];
	memset(row, 0, sizeof *row);
	row->id = p->reply;
	row->seq = seq;
	snprintf(row->member, sizeof row->member, "%s", p->member);
	row->choice = p->choice;
	row->received = p->received;
	row->has_attachment = p->has_reasons;
	v->r->replies++;
	return BT_OK;
}

/* The kinds whose payload changes what the verifier recomputes; the other
 * kinds of a bundle (codes, late entries) only chain. */
static const struct {
	const char *kind;
	take_fn *take;
} takers[] = {
	{ EVK_CONSULTATION, take_consultation }, { EVK_DRAFT, take_draft },
	{ EVK_DEADLINE, take_deadline },         { EVK_DECISION, take_decision },
	{ EVK_CLOSE, take_close },               { EVK_REPLY, take_reply },
	{ EVK_WITHDRAWAL, take_reply },         { EVK_DRAFT_TITLES, take_titles },
};

/* Takes in what one event of a kind that belongs in a bundle says: its
 * payload read by its kind's parser, then taken in. */
static int apply_event(verifier *v, int64_t seq, const bt_jv *body, bt_err *e)
{
	const char *kind = bt_jv_str(body, "kind");
	const event_kind *k = event_kind_find(kind);
	int first = strcmp(kind, EVK_CONSULTATION) == 0;
	if (first && v->have_consultation)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: a second consultation event", (long long)seq);
	if (!first && !v->have_consultation)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld comes before the consultation's", (long long)seq);
	event_payload p;
	memset(&p, 0, sizeof p);
	if (k && k->parse && k->parse(body, &p, e))
		return bt_err_wrap(e, "events.jsonl: event %lld: ", (long long)seq);
	for (size_t i = 0; i < sizeof takers / sizeof takers[0]; i++)
		if (strcmp(kind, takers[i].kind) == 0)
			return takers[i].take(v, seq, &p, e);
	return BT_OK;
}

/* Where the chain of events.jsonl stands: the last event read and its hash
 * ("" before the first). */
typedef struct chain_pos {
	int64_t last;
	char last_hash[65];
} chain_pos;

/* One line of events.jsonl (line, 0-based, at *at; *at moves past it) as
 * *ev: an event (seq, prev, hash, body) that follows c, whose body hashes to
 * its hash. *seq and *b are its number and body. */
static int read_event(const bt_buf *text, size_t *at, size_t line, const chain_pos *c, bt_jv **ev,
		      int64_t *seq, const bt_jv **b, bt_err *e)
{
	char field[64];
	const char *start = text->data + *at, *nl = memchr(start, '\n', text->len - *at);
	size_t len = nl ? (size_t)(nl - start) : text->len - *at;
	snprintf(field, sizeof field, "events.jsonl line %zu", line + 1);
	*at += len + 1;
	if (len > BUNDLE_LINE_MAX)
		return bt_failf(e, BT_R_INPUT, field, "too long");
	int rc = bt_json_parse(start, len, field, ev, e);
	if (rc)
		return rc;
	const char *prev = bt_jv_str(*ev, "prev"), *hash = bt_jv_str(*ev, "hash");
	*b = bt_jv_get(*ev, "body");
	if (!bt_jv_int(*ev, "seq", seq) || !prev || !hash || !*b || (*b)->type != BT_JSTR || strlen(prev) != 64 ||
	    strlen(hash) != 64)
		return bt_failf(e, BT_R_INPUT, field, "not an event (seq, prev, hash, body)");
	if (*seq <= c->last)
		return bt_failf(e, BT_R_INPUT, field, "event %lld after event %lld (out of order)", (long long)*seq,
				(long long)c->last);
	if (*seq == c->last + 1 && c->last && strcmp(prev, c->last_hash))
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: event %lld does not chain to event %lld (prev differs)",
				(long long)*seq, (long long)c->last);
	if (*seq == 1 && strspn(prev, "0") != 64)
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: event 1 does not start the chain");
	bt_buf chained = BT_BUF_INIT;
	char got[65];
	bt_buf_adds(&chained, prev);
	bt_buf_addc(&chained, '\n');
	bt_buf_add(&chained, (*b)->str, (*b)->len);
	if (!chained.failed)
		sha256_hex(chained.data, chained.len, got);
	if (chained.failed)
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	else if (strcmp(got, hash))
		rc = bt_failf(e, BT_R_INPUT, NULL,
			      "events.jsonl: event %lld: its body does not hash to its hash (the event was changed)",
			      (long long)*seq);
	bt_buf_release(&chained);
	return rc;
}

/* The body b of event seq as *body: the same seq, this bundle's circular, a
 * kind of a consultation's own chain (EK_CIRCULAR), linked to the event of
 * the circular before it. */
static int read_body(const verifier *v, int64_t seq, const bt_jv *b, const chain_pos *c, bt_jv **body,
		     bt_err *e)
{
	char field[64];
	int64_t bseq;
	snprintf(field, sizeof field, "events.jsonl: event %lld", (long long)seq);
	int rc = bt_json_parse(b->str, b->len, field, body, e);
	if (rc)
		return rc;
	const char *kind = bt_jv_str(*body, "kind"), *circ = bt_jv_str(*body, "circular");
	if (!bt_jv_int(*body, "seq", &bseq) || bseq != seq || !kind || !circ || strcmp(circ, v->r->circular))
		return bt_failf(e, BT_R_INPUT, field, "its body names another seq or circular");
	if (!event_kind_is(kind, EK_CIRCULAR))
		return bt_failf(e, BT_R_INPUT, field, "kind '%.20s' has no place in a bundle", kind);
	/* the consultation's own chain: every event names the hash of the
	 * circular's event before it, so none can be changed, dropped or
	 * inserted without breaking the next one (and every receipt after) */
	const char *cprev = bt_jv_str(*body, "cprev");
	if (!cprev || strcmp(cprev, c->last_hash[0] ? c->last_hash : ZERO_HASH))
		return bt_failf(e, BT_R_INPUT, field,
				"does not link to the consultation's previous event%s (an event was changed, removed or inserted)",
				c->last ? "" : " (it is not the first)");
	return BT_OK;
}

/* Event seq with hash, taken in: the chain moves on, receipts can find it. */
static int chain_on(verifier *v, chain_pos *c, int64_t seq, const char *hash, bt_err *e)
{
	v->r->withheld += seq - c->last - 1;
	c->last = seq;
	memcpy(c->last_hash, hash, 65);
	v->r->events++;
	if (array_reserve(&v->ev, &v->cap_ev, v->n_ev + 1, sizeof *v->ev))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	v->ev[v->n_ev].seq = seq;
	memcpy(v->ev[v->n_ev++].hash, hash, 65);
	return BT_OK;
}

/* The chain read ends where the manifest's head says, or before it (the
 * events after it withheld). */
static int check_head(verifier *v, const chain_pos *c, bt_err *e)
{
	if (!v->have_consultation)
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: no consultation event");
	if (c->last > v->r->head_seq)
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: event %lld is past the head %lld the manifest names",
				(long long)c->last, (long long)v->r->head_seq);
	if (c->last == v->r->head_seq && strcmp(c->last_hash, v->r->head))
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld is the head but its hash is not the manifest's",
				(long long)c->last);
	v->r->withheld += v->r->head_seq - c->last;
	return BT_OK;
}

static int check_events(verifier *v, bt_err *e)
{
	bt_buf *text;
	int rc = kept(v, K_EVENTS, &text, e);
	chain_pos c = { 0, "" };
	for (size_t at = 0, line = 0; !rc && at < text->len; line++) {
		bt_jv *ev = NULL, *body = NULL;
		const bt_jv *b = NULL;
		int64_t seq = 0;
		rc = read_event(text, &at, line, &c, &ev, &seq, &b, e);
		if (!rc)
			rc = read_body(v, seq, b, &c, &body, e);
		if (!rc)
			rc = apply_event(v, seq, body, e);
		if (!rc)
			rc = chain_on(v, &c, seq, bt_jv_str(ev, "hash"), e);
		bt_jv_free(body);
		bt_jv_free(ev);
	}
	return rc ? rc : check_head(v, &c, e);
}

/* Every attachment file is one an event names. */
static int check_attachments(verifier *v, bt_err *e)
{
	const bt_jv *files = bt_jv_get(v->manifest, "files");
	for (size_t i = 0; i < files->n; i++) {
		const char *name = bt_jv_str(&files->items[i], "name");
		if (strncmp(name, BUNDLE_ATT_DIR "/", sizeof BUNDLE_ATT_DIR))
			continue;
		int named = 0;
		for (size_t j = 0; !named && j < v->n_att; j++)
			named = strcmp(v->att[j], name + sizeof BUNDLE_ATT_DIR) == 0;
		if (!named)
			return bt_failf(e, BT_R_INPUT, NULL,
					"%s: no reply in events.jsonl has this attachment", name);
	}
	return BT_OK;
}

static int by_member(const void *a, const void *b)
{
	const count_row *x = a, *y = b;
	int c = strcmp(x->member, y->member);
	if (c)
		return c;
	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Recomputes the tally from the events and compares it with tally.json. */
/* The tally's own fields (t zeroed first), as the events give them. */
static void tally_head(const verifier *v, const bt_rule *rule, bt_tally *t)
{
	bt_err ignore;
	memset(t, 0, sizeof *t);
	snprintf(t->circular, sizeof t->circular, "%s", v->r->circular);
	snprintf(t->rule, sizeof t->rule, "%s", rule->name);
	t->clause = rule->clause;
	t->rule_edition = rule->edition;
	t->deadline = v->deadline;
	snprintf(t->deadline_forced, sizeof t->deadline_forced, "%s", v->deadline_forced);
	bt_time_parse(v->r->published, "published", &t->as_of, &ignore);
	t->final = t->as_of > t->deadline;
	t->closed = v->closed;
	t->electorate = (int)v->n_electorate;
	t->without_titles = v->format1;
}

static int check_tally(verifier *v, bt_err *e)
{
	bt_tally *t = &v->r->tally;
	const bt_rule *rule = bt_rule_find(v->rule);
	bt_buf want = BT_BUF_INIT;
	if (!rule)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: the consultation's rule '%.15s' is not one this ballot knows",
				v->rule);
	bundle_rule_json(rule, &want);
	bt_buf *got;
	int rc = kept(v, K_RULE, &got, e);
	if (!rc && (want.failed || got->len != want.len || memcmp(got->data, want.data, want.len)))
		rc = bt_failf(e, BT_R_INPUT, NULL,
			      "rule.json: not the rule '%s' as this ballot applies it (%s, %s)", rule->name,
			      rule->clause, rule->edition);
	if (rc)
		goto out;
	tally_head(v, rule, t);
	if (v->n_drafts && !(t->drafts = calloc(v->n_drafts, sizeof *t->drafts))) {
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < v->n_drafts; i++) {
		vdraft *d = &v->drafts[i];
		bt_draft_tally *dt = &t->drafts[t->n++];
		snprintf(dt->rec, sizeof dt->rec, "%s", d->rec);
		dt->title = d->title;
		d->title = NULL;
		memcpy(dt->titles, d->titles, sizeof dt->titles);
		memset(d->titles, 0, sizeof d->titles);
		snprintf(dt->decision, sizeof dt->decision, "%s", d->decision);
		if (d->n)
			qsort(d->rows, d->n, sizeof *d->rows, by_member);
		tally_rows(rule, d->rows, d->n, t, dt);
	}
	bt_buf_reset(&want);
	if ((rc = bt_tally_json(t, &want, e)) || (rc = kept(v, K_TALLY, &got, e)))
		goto out;
	if (got->len != want.len || memcmp(got->data, want.data, want.len)) {
		size_t k = 0;
		while (k < got->len && k < want.len && got->data[k] == want.data[k])
			k++;
		rc = bt_failf(e, BT_R_INPUT, NULL,
			      "tally.json: differs from the tally recomputed from events.jsonl, from byte %zu: '%.40s' where the events give '%.40s'",
			      k, k < got->len ? got->data + k : "", k < want.len ? want.data + k : "");
	}
out:
	bt_buf_release(&want);
	return rc;
}

static int check_receipt(verifier *v, const bt_pubkey *pub, const char *path, bt_err *e)
{
	bt_buf text = BT_BUF_INIT;
	bt_receipt rc_info;
	int rc = bt_file_read(path, "receipt", 1 << 20, &text, e);
	if (!rc) {
		rc = bt_receipt_verify(text.data, text.len, pub, &rc_info, e);
		if (rc)
			bt_err_wrap(e, "{receipt} %.200s: ", path);
	}
	bt_buf_release(&text);
	if (rc)
		return rc;
	if (strcmp(rc_info.circular, v->r->circular))
		return bt_failf(e, BT_R_INPUT, "receipt", " %.200s: the receipt is for circular %s, the bundle for %s", path,
				rc_info.circular, v->r->circular);
	for (size_t i = 0; i < v->n_ev; i++) {
		if (v->ev[i].seq != rc_info.event)
			continue;
		if (strcmp(v->ev[i].hash, rc_info.hash))
			return bt_failf(e, BT_R_CONFLICT, "receipt", " %.200s: event %lld in the bundle is not the one receipted (its chain hash differs): the record was changed after the receipt",
					path, (long long)rc_info.event);
		/* what became of it, by the recomputed count */
		const char *status = "recorded";
		vdraft *d = strcmp(rc_info.kind, "decision") ? find_draft(v, rc_info.draft) : NULL;
		for (size_t j = 0; d && j < d->n; j++)
			if (d->rows[j].seq == rc_info.event)
				status = !d->rows[j].status ? "not yet received as of publication"
					 : strcmp(d->rows[j].status, "withdrawn") == 0 ? "withdrawn later, not counted"
					 : strcmp(d->rows[j].status, "superseded") == 0 ? "superseded by a later reply, not counted"
					 : strcmp(d->rows[j].status, "late") == 0 ? "late, not counted"
					 : strcmp(d->rows[j].status, "withdrawal") == 0 ? "a withdrawal in force"
					 : d->rows[j].status;
		snprintf(v->r->receipt_status[v->r->receipts++], sizeof *v->r->receipt_status,
			 "%s %s on %s (event %lld): %s", rc_info.member[0] ? rc_info.member : "decision",
			 rc_info.member[0] ? rc_info.kind : rc_info.choice, rc_info.draft, (long long)rc_info.event,
			 status);
		return BT_OK;
	}
	return bt_failf(e, BT_R_INPUT, "receipt", " %.200s: event %lld (%s %s %s) is not in the bundle: it was left out", path,
			(long long)rc_info.event, rc_info.kind, rc_info.member, rc_info.draft);
}

int bt_bundle_verify(const char *dir, const bt_pubkey *pub, const char *const *receipts, size_t n_receipts,
		     bt_bundle_report *r, bt_err *e)
{
	memset(r, 0, sizeof *r);
	verifier v;
	memset(&v, 0, sizeof v);
	v.dir = dir;
	v.r = r;
	int rc = check_manifest(&v, pub, e);
	if (!rc)
		rc = check_files(&v, e);
	if (!rc)
		rc = check_events(&v, e);
	if (!rc)
		rc = check_attachments(&v, e);
	if (!rc)
		rc = check_tally(&v, e);
	if (!rc && n_receipts && !(r->receipt_status = calloc(n_receipts, sizeof *r->receipt_status)))
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	for (size_t i = 0; !rc && i < n_receipts; i++)
		rc = check_receipt(&v, pub, receipts[i], e);
	for (size_t i = 0; i < v.n_drafts; i++) {
		free(v.drafts[i].title);
		for (int k = 0; k < BT_DRAFT_LANGS; k++)
			free(v.drafts[i].titles[k]);
		free(v.drafts[i].rows);
	}
	free(v.drafts);
	free(v.electorate);
	free(v.att);
	free(v.ev);
	for (int k = 0; k < 3; k++)
		bt_buf_release(&v.kept[k]);
	bt_jv_free(v.manifest);
	return rc;
}

void bt_bundle_report_free(bt_bundle_report *r)
{
	bt_tally_free(&r->tally);
	free(r->receipt_status);
	r->receipt_status = NULL;
}
