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
	if (m->type != BT_JOBJ || !format || strcmp(format, BT_BUNDLE_FORMAT))
		return bt_failf(e, BT_R_INPUT, NULL,
				"manifest.json: format: not %s", BT_BUNDLE_FORMAT);
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

/* Every file listed is there with its size and SHA-256; no other file. */
static int check_files(verifier *v, bt_err *e)
{
	const bt_jv *files = bt_jv_get(v->manifest, "files");
	bt_buf data = BT_BUF_INIT;
	int rc = BT_OK;
	for (size_t i = 0; !rc && i < files->n; i++) {
		const bt_jv *f = &files->items[i];
		const char *name = bt_jv_str(f, "name"), *sha = bt_jv_str(f, "sha256");
		int64_t size;
		if (!name || !sha || !bt_jv_int(f, "size", &size) || !bundle_safe_name(name)) {
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "manifest.json: files[%zu] is not a file of a bundle", i);
			break;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(bt_jv_str(&files->items[j], "name"), name) == 0)
				rc = bt_failf(e, BT_R_INPUT, NULL,
					      "manifest.json: %s is listed twice", name);
		bt_buf_reset(&data);
		char full[PATH_MAX];
		struct stat st;
		snprintf(full, sizeof full, "%s/%s", v->dir, name);
		if (!rc && lstat(full, &st) == 0 && !S_ISREG(st.st_mode))
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "%s: not a regular file (a link or directory has no place in a bundle)", name);
		if (!rc && (rc = read_in(v, name, BUNDLE_FILE_MAX, &data, e)) == BT_EINPUT && e->reason == BT_R_NOT_FOUND)
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "%s: listed in the signed manifest but missing", name);
		if (rc)
			break;
		char got[65];
		sha256_hex(data.data ? data.data : "", data.len, got);
		if ((int64_t)data.len != size || strcmp(got, sha))
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "%s: its SHA-256 or size differs from the signed manifest (the file was changed)",
				      name);
		if (!rc && strncmp(name, BUNDLE_ATT_DIR "/", sizeof BUNDLE_ATT_DIR) == 0) {
			if (strcmp(name + sizeof BUNDLE_ATT_DIR, got))
				rc = bt_failf(e, BT_R_INPUT, NULL,
					      "%s: its content does not hash to its name", name);
			v->r->attachments++;
		}
		for (int k = 0; !rc && k < 3; k++)
			if (strcmp(name, kept_names[k]) == 0) {
				v->have[k] = 1;
				v->kept[k] = data; /* moved, not copied */
				bt_buf_init(&data, 0);
			}
		v->r->files++;
	}
	bt_buf_release(&data);
	/* nothing in the directory that the manifest does not list */
	for (int pass = 0; !rc && pass < 2; pass++) {
		bt_buf dpath = BT_BUF_INIT;
		bt_buf_addf(&dpath, pass ? "%s/" BUNDLE_ATT_DIR : "%s", v->dir);
		DIR *d = dpath.failed ? NULL : opendir(dpath.data);
		bt_buf_release(&dpath);
		if (!d)
			continue; /* no attachments directory */
		struct dirent *de;
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
				rc = bt_failf(e, BT_R_INPUT, NULL,
					      "%.200s: not in the signed manifest (a file was added)",
					      bt_text_clean(name, 0) ? name : "(unprintable name)");
		}
		closedir(d);
	}
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

/* Takes in what one event says. */
static int apply_event(verifier *v, int64_t seq, const bt_jv *body, bt_err *e)
{
	const char *kind = bt_jv_str(body, "kind");
	bt_err ignore;
	if (strcmp(kind, "consultation") == 0) {
		if (v->have_consultation)
			return bt_failf(e, BT_R_INPUT, NULL,
					"events.jsonl: event %lld: a second consultation event", (long long)seq);
		const char *rule = bt_jv_str(body, "rule"), *dl = bt_jv_str(body, "deadline");
		const bt_jv *el = bt_jv_get(body, "electorate");
		if (!rule || !dl || bt_time_parse(dl, "deadline", &v->deadline, &ignore) || !el ||
		    el->type != BT_JARR)
			return bt_failf(e, BT_R_INPUT, NULL,
					"events.jsonl: event %lld: a consultation without rule, deadline or electorate",
					(long long)seq);
		snprintf(v->rule, sizeof v->rule, "%s", rule);
		const char *forced = bt_jv_str(body, "deadline_forced");
		snprintf(v->deadline_forced, sizeof v->deadline_forced, "%s", forced ? forced : "");
		free(v->electorate);
		v->electorate = calloc(el->n ? el->n : 1, sizeof *v->electorate);
		if (!v->electorate)
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		v->n_electorate = 0;
		for (size_t i = 0; i < el->n; i++) {
			if (el->items[i].type != BT_JSTR || el->items[i].len != 3)
				return bt_failf(e, BT_R_INPUT, NULL,
						"events.jsonl: event %lld: electorate[%zu] is not a code",
						(long long)seq, i);
			memcpy(v->electorate[v->n_electorate++], el->items[i].str, 4);
		}
		v->have_consultation = 1;
		return BT_OK;
	}
	if (!v->have_consultation)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld comes before the consultation's", (long long)seq);
	if (strcmp(kind, "draft") == 0) {
		const char *rec = bt_jv_str(body, "rec"), *title = bt_jv_str(body, "title");
		if (!rec || !title || strlen(rec) > BT_ID_MAX || find_draft(v, rec))
			return bt_failf(e, BT_R_INPUT, NULL,
					"events.jsonl: event %lld: a draft without rec or title, or twice",
					(long long)seq);
		if (array_reserve(&v->drafts, &v->cap_drafts, v->n_drafts + 1, sizeof *v->drafts))
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		vdraft *d = &v->drafts[v->n_drafts++];
		memset(d, 0, sizeof *d);
		snprintf(d->rec, sizeof d->rec, "%s", rec);
		d->title = strdup(title);
		return d->title ? BT_OK : bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	if (strcmp(kind, "close") == 0) {
		v->closed = 1;
		return BT_OK;
	}
	if (strcmp(kind, "deadline") == 0) {
		/* consultation set-deadline: the deadline in force from here */
		const char *dl = bt_jv_str(body, "deadline");
		if (!dl || bt_time_parse(dl, "deadline", &v->deadline, &ignore))
			return bt_failf(e, BT_R_INPUT, NULL,
					"events.jsonl: event %lld: a deadline change without a deadline",
					(long long)seq);
		return BT_OK;
	}
	if (strcmp(kind, "decision") == 0) {
		/* the latest decision on a draft makes its state (tally.json) */
		const char *rec = bt_jv_str(body, "draft"), *what = bt_jv_str(body, "decision");
		vdraft *d = rec ? find_draft(v, rec) : NULL;
		if (!d || !what || strlen(what) >= sizeof d->decision)
			return bt_failf(e, BT_R_INPUT, NULL,
					"events.jsonl: event %lld: a decision without a known draft or decision",
					(long long)seq);
		snprintf(d->decision, sizeof d->decision, "%s", what);
		return BT_OK;
	}
	if (strncmp(kind, "codes-", 6) == 0 || strcmp(kind, "late-entry") == 0)
		return BT_OK;
	/* a reply or a withdrawal */
	const char *member = bt_jv_str(body, "member"), *rec = bt_jv_str(body, "draft"),
		   *choice = bt_jv_str(body, "choice"), *received = bt_jv_str(body, "received");
	const bt_jv *atts = bt_jv_get(body, "attachments");
	int64_t id;
	bt_time rt;
	vdraft *d = rec ? find_draft(v, rec) : NULL;
	bt_choice ch = bt_choice_parse(choice);
	if (!member || !d || ch == BT_CHOICE_NONE || (ch == BT_WITHDRAW) != (strcmp(kind, "withdrawal") == 0) ||
	    !received || bt_time_parse(received, "received", &rt, &ignore) || !bt_jv_int(body, "reply", &id) ||
	    !atts || atts->type != BT_JARR)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: a %s without member, known draft, choice, received, reply number or attachments",
				(long long)seq, kind);
	if (id <= v->last_reply)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: reply number %lld after %lld (recorded twice or out of order)",
				(long long)seq, (long long)id, (long long)v->last_reply);
	v->last_reply = id;
	if (!in_electorate(v, member))
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld: %.3s is not in the consultation's electorate",
				(long long)seq, member);
	int has_reasons = 0;
	for (size_t i = 0; i < atts->n; i++) {
		const char *role = bt_jv_str(&atts->items[i], "role"), *sha = bt_jv_str(&atts->items[i], "sha256");
		if (!role || !sha || strlen(sha) != 64)
			return bt_failf(e, BT_R_INPUT, NULL,
					"events.jsonl: event %lld: attachment %zu has no role or SHA-256",
					(long long)seq, i + 1);
		has_reasons |= strcmp(role, "form") != 0;
		if (array_reserve(&v->att, &v->cap_att, v->n_att + 1, sizeof *v->att))
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		memcpy(v->att[v->n_att++], sha, 65);
	}
	if (array_reserve(&d->rows, &d->cap, d->n + 1, sizeof *d->rows))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	count_row *row = &d->rows[d->n++];
	memset(row, 0, sizeof *row);
	row->id = id;
	row->seq = seq;
	snprintf(row->member, sizeof row->member, "%s", member);
	row->choice = ch;
	row->received = rt;
	row->has_attachment = has_reasons;
	v->r->replies++;
	return BT_OK;
}

static int check_events(verifier *v, bt_err *e)
{
	bt_buf *text, chained = BT_BUF_INIT;
	int rc = kept(v, K_EVENTS, &text, e);
	int64_t last = 0;
	char last_hash[65] = "";
	size_t line = 0;
	for (size_t at = 0; !rc && at < text->len; line++) {
		const char *nl = memchr(text->data + at, '\n', text->len - at);
		size_t len = nl ? (size_t)(nl - (text->data + at)) : text->len - at;
		bt_jv *ev = NULL, *body = NULL;
		char field[64], got[65];
		int64_t seq;
		snprintf(field, sizeof field, "events.jsonl line %zu", line + 1);
		if (len > BUNDLE_LINE_MAX)
			rc = bt_failf(e, BT_R_INPUT, field, "too long");
		else
			rc = bt_json_parse(text->data + at, len, field, &ev, e);
		at += len + 1;
		if (rc)
			break;
		const char *prev = bt_jv_str(ev, "prev"), *hash = bt_jv_str(ev, "hash");
		const bt_jv *b = bt_jv_get(ev, "body");
		if (!bt_jv_int(ev, "seq", &seq) || !prev || !hash || !b || b->type != BT_JSTR ||
		    strlen(prev) != 64 || strlen(hash) != 64) {
			rc = bt_failf(e, BT_R_INPUT, field, "not an event (seq, prev, hash, body)");
		} else if (seq <= last) {
			rc = bt_failf(e, BT_R_INPUT, field,
				      "event %lld after event %lld (out of order)",
				      (long long)seq, (long long)last);
		} else if (seq == last + 1 && last && strcmp(prev, last_hash)) {
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "events.jsonl: event %lld does not chain to event %lld (prev differs)",
				      (long long)seq, (long long)last);
		} else if (seq == 1 && strspn(prev, "0") != 64) {
			rc = bt_failf(e, BT_R_INPUT, NULL,
				      "events.jsonl: event 1 does not start the chain");
		}
		if (!rc) {
			bt_buf_reset(&chained);
			bt_buf_adds(&chained, prev);
			bt_buf_addc(&chained, '\n');
			bt_buf_add(&chained, b->str, b->len);
			if (chained.failed)
				rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
			else {
				sha256_hex(chained.data, chained.len, got);
				if (strcmp(got, hash))
					rc = bt_failf(e, BT_R_INPUT, NULL,
						      "events.jsonl: event %lld: its body does not hash to its hash (the event was changed)",
						      (long long)seq);
			}
		}
		snprintf(field, sizeof field, "events.jsonl: event %lld", (long long)seq);
		if (!rc)
			rc = bt_json_parse(b->str, b->len, field, &body, e);
		int64_t bseq;
		const char *kind = rc ? NULL : bt_jv_str(body, "kind"), *circ = rc ? NULL : bt_jv_str(body, "circular");
		if (!rc && (!bt_jv_int(body, "seq", &bseq) || bseq != seq || !kind || !circ ||
			    strcmp(circ, v->r->circular)))
			rc = bt_failf(e, BT_R_INPUT, field,
				      "its body names another seq or circular");
		if (!rc && strcmp(kind, "consultation") && strcmp(kind, "draft") && strcmp(kind, "reply") &&
		    strcmp(kind, "withdrawal") && strcmp(kind, "decision") && strcmp(kind, "close") &&
		    strcmp(kind, "codes-issue") && strcmp(kind, "codes-revoke") && strcmp(kind, "deadline") &&
		    strcmp(kind, "late-entry"))
			rc = bt_failf(e, BT_R_INPUT, field,
				      "kind '%.20s' has no place in a bundle", kind);
		/* the consultation's own chain: every event names the hash of the
		 * circular's event before it, so none can be changed, dropped or
		 * inserted without breaking the next one (and every receipt after) */
		const char *cprev = rc ? NULL : bt_jv_str(body, "cprev");
		if (!rc && (!cprev || strcmp(cprev, last_hash[0] ? last_hash : ZERO_HASH)))
			rc = bt_failf(e, BT_R_INPUT, field,
				      "does not link to the consultation's previous event%s (an event was changed, removed or inserted)", last ? "" : " (it is not the first)");
		if (!rc)
			rc = apply_event(v, seq, body, e);
		if (!rc) {
			v->r->withheld += seq - last - 1;
			last = seq;
			memcpy(last_hash, hash, 65);
			v->r->events++;
			if (array_reserve(&v->ev, &v->cap_ev, v->n_ev + 1, sizeof *v->ev))
				rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
			else {
				v->ev[v->n_ev].seq = seq;
				memcpy(v->ev[v->n_ev++].hash, hash, 65);
			}
		}
		bt_jv_free(body);
		bt_jv_free(ev);
	}
	bt_buf_release(&chained);
	if (rc)
		return rc;
	if (!v->have_consultation)
		return bt_failf(e, BT_R_INPUT, NULL, "events.jsonl: no consultation event");
	if (last > v->r->head_seq)
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld is past the head %lld the manifest names",
				(long long)last, (long long)v->r->head_seq);
	if (last == v->r->head_seq && strcmp(last_hash, v->r->head))
		return bt_failf(e, BT_R_INPUT, NULL,
				"events.jsonl: event %lld is the head but its hash is not the manifest's",
				(long long)last);
	v->r->withheld += v->r->head_seq - last;
	return BT_OK;
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
static int check_tally(verifier *v, bt_err *e)
{
	bt_tally *t = &v->r->tally;
	const bt_rule *rule = bt_rule_find(v->rule);
	bt_buf want = BT_BUF_INIT;
	bt_err ignore;
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
