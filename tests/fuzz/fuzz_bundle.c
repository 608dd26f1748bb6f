/* fuzz_bundle.c - bt_bundle_verify (bundle.h) on a bundle whose events.jsonl
 * (and tally.json, after a line "--tally--") come from the input. The
 * harness writes rule.json and a manifest signed with the fixed key, so the
 * input reaches the event parser, the chain checks and the recomputed tally
 * instead of stopping at the signature. Every input must verify or be
 * refused with BT_EINPUT and a message naming a file. */
#include "fuzz.h"
#include "fuzz_key.h"

static bt_pubkey pub;
static bt_key *key; /* fuzz_key.h frees it at exit */
static char bundle_dir[200]; /* beside the key, so the key is not in it */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	key = fuzz_key_load(&pub);
	snprintf(bundle_dir, sizeof bundle_dir, "%s/b", fuzz_dir());
	if (mkdir(bundle_dir, 0700))
		fuzz_die("mkdir", bundle_dir);
	return 0;
}

static const char rule_json[] =
	"{\"name\":\"tap\",\"title\":\"Traditional Approval Process authorization\","
	"\"clause\":\"WTSA Res. 1 \xc2\xa7" "9.4.5\",\"edition\":\"WTSA Res. 1 (Rev. Hammamet, 2016)\","
	"\"threshold_pct\":70,\"strict\":false,\"min_replies\":0,\"no_replies_proceeds\":true}\n";

static void add_file(bt_buf *m, const char *name, const void *data, size_t len, int first)
{
	char path[256], sha[65], in_dir[64];
	snprintf(in_dir, sizeof in_dir, "b/%s", name);
	fuzz_write(in_dir, data, len, path, sizeof path);
	bt_sha256_hex(data, len, sha);
	bt_buf_adds(m, first ? "{" : ",{");
	bt_json_kv_str(m, "name", name, 1);
	bt_json_kv_str(m, "sha256", sha, 0);
	bt_json_kv_int(m, "size", (int64_t)len, 0);
	bt_buf_addc(m, '}');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n--tally--\n";
	const char *text = (const char *)data, *tally = "", *cut = NULL;
	size_t elen = size, tlen = 0;
	for (size_t i = 0; i + sizeof sep - 1 <= size && !cut; i++)
		if (memcmp(text + i, sep, sizeof sep - 1) == 0)
			cut = text + i;
	if (cut) {
		elen = (size_t)(cut - text) + 1; /* keeps the line end */
		tally = cut + sizeof sep - 1;
		tlen = size - (size_t)(tally - text);
	}
	bt_buf m = BT_BUF_INIT;
	bt_err e;
	char sig[BT_SIG_LEN], path[256];
	bt_buf_adds(&m, "{\"format\":\"ballot-bundle/1\",\"circular\":\"205\",\"published\":\"2020-04-02T09:00:00Z\","
			"\"head\":{\"seq\":100000,\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"},"
			"\"events\":");
	size_t lines = 0; /* what the verifier counts: one event a line */
	for (size_t i = 0; i < elen; i++)
		lines += text[i] == '\n' || i + 1 == elen;
	bt_buf_addf(&m, "%zu,\"files\":[", lines);
	add_file(&m, "events.jsonl", text, elen, 1);
	add_file(&m, "rule.json", rule_json, sizeof rule_json - 1, 0);
	add_file(&m, "tally.json", tally, tlen, 0);
	bt_buf_adds(&m, "],");
	bt_json_kv_str(&m, "key", pub.text, 1);
	bt_buf_addc(&m, '}');
	if (m.failed || bt_key_sign(key, m.data, m.len, sig, &e))
		fuzz_die("manifest", m.failed ? "out of memory" : e.msg);
	m.len--;
	bt_json_kv_str(&m, "signature", sig, 0);
	bt_buf_adds(&m, "}\n");
	fuzz_write("b/manifest.json", m.data, m.len, path, sizeof path);
	bt_buf_release(&m);

	bt_bundle_report r;
	int rc = bt_bundle_verify(bundle_dir, &pub, NULL, 0, &r, &e);
	fuzz_note("bundle", rc, &e);
	if (rc != BT_OK && (rc != BT_EINPUT || !e.msg[0])) {
		fprintf(stderr, "refused without BT_EINPUT or message: %d '%s'\n", rc, e.msg);
		abort();
	}
	bt_bundle_report_free(&r);
	return 0;
}
