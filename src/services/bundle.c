/* bundle.c - the format of a results bundle, shared by publishing
 * (bundle_publish.c) and verifying (bundle_verify.c): the rule as JSON, an
 * event's line, the signed part of the manifest, the names a bundle may hold
 * (include/ballot/bundle.h; services floor). */
#include <stdio.h>
#include <string.h>
#include "services/services.h"
#include "ballot/jsonread.h"

/* rule.json: the rule as this ballot knows it. */
void bundle_rule_json(const bt_rule *r, bt_buf *b)
{
	bt_buf_addc(b, '{');
	bt_json_kv_str(b, "name", r->name, 1);
	bt_json_kv_str(b, "title", r->title, 0);
	bt_json_kv_str(b, "clause", r->clause, 0);
	bt_json_kv_str(b, "edition", r->edition, 0);
	bt_json_kv_int(b, "threshold_pct", r->threshold_pct, 0);
	bt_json_kv_bool(b, "strict", r->strict, 0);
	bt_json_kv_int(b, "min_replies", r->min_replies, 0);
	bt_json_kv_bool(b, "no_replies_proceeds", r->no_replies_proceeds, 0);
	bt_buf_adds(b, "}\n");
}

/* One line of events.jsonl. */
void bundle_event_line(bt_buf *b, int64_t seq, const char *prev, const char *hash, const char *body)
{
	bt_buf_addc(b, '{');
	bt_json_kv_int(b, "seq", seq, 1);
	bt_json_kv_str(b, "prev", prev, 0);
	bt_json_kv_str(b, "hash", hash, 0);
	bt_json_kv_str(b, "body", body, 0);
	bt_buf_adds(b, "}\n");
}

/* The manifest's signed part: every member but the signature, closed. */
int bundle_manifest_signed(const bt_jv *m, bt_buf *b)
{
	bt_buf_addc(b, '{');
	int first = 1;
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->keys[i], "signature") == 0)
			continue;
		bt_json_key(b, m->keys[i], first);
		bt_jv_write(b, &m->items[i]);
		first = 0;
	}
	return bt_buf_addc(b, '}');
}

/* A file name a manifest may list: events.jsonl and the like, or
 * attachments/<64 hex>. Nothing that climbs out of the directory. */
int bundle_safe_name(const char *n)
{
	if (strncmp(n, BUNDLE_ATT_DIR "/", sizeof BUNDLE_ATT_DIR) == 0)
		return hex_lower(n + sizeof BUNDLE_ATT_DIR, 64);
	if (!*n || *n == '.' || strlen(n) > 64)
		return 0;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return 0;
	return 1;
}
