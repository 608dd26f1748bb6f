/* fuzz_json.c - bt_json_parse and bt_jv_write (jsonread.h): the reader of
 * signed receipts and results bundles, which come from outside. A document
 * that parses must write, parse again and write the same bytes; each key of
 * an object must find its own member; a refusal must be BT_EINPUT with a
 * one-line message naming the input. */
#include "fuzz.h"

/* Every member of every object is found by its key (keys are unique). */
static void check_keys(const bt_jv *v)
{
	if (v->type != BT_JARR && v->type != BT_JOBJ)
		return;
	for (size_t i = 0; i < v->n; i++) {
		if (v->type == BT_JOBJ && bt_jv_get(v, v->keys[i]) != &v->items[i]) {
			fprintf(stderr, "key %zu of an object does not find its member\n", i);
			abort();
		}
		check_keys(&v->items[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bt_err e;
	bt_jv *v;
	int rc = bt_json_parse((const char *)data, size, "fuzz", &v, &e);
	fuzz_note("parse", rc, &e);
	if (rc != BT_OK) {
		if (rc != BT_EINPUT || e.code != BT_EINPUT || strncmp(e.msg, "fuzz: byte ", 11) != 0 ||
		    strchr(e.msg, '\n') || v != NULL)
			abort();
		return 0;
	}
	check_keys(v);
	bt_buf once = BT_BUF_INIT, twice = BT_BUF_INIT;
	if (bt_jv_write(&once, v))
		fuzz_die("writing", "out of memory");
	bt_jv *again;
	if (bt_json_parse(bt_buf_str(&once), once.len, "again", &again, &e) != BT_OK) {
		fprintf(stderr, "the re-rendered document does not parse: %s\n", e.msg);
		abort();
	}
	if (bt_jv_write(&twice, again))
		fuzz_die("writing", "out of memory");
	if (once.len != twice.len || memcmp(bt_buf_str(&once), bt_buf_str(&twice), once.len) != 0) {
		fprintf(stderr, "re-rendered differently:\n%s\n%s\n", bt_buf_str(&once), bt_buf_str(&twice));
		abort();
	}
	/* Without white space, escapes, DEL (written \u007f) or "-0" (written
	 * 0), a document is already what the writer makes: it comes back byte
	 * for byte. */
	int canonical = 1;
	for (size_t i = 0; i < size && canonical; i++)
		canonical = !strchr(" \t\r\n\\\x7f", data[i]) && !(data[i] == '-' && i + 1 < size && data[i + 1] == '0');
	if (canonical && (once.len != size || memcmp(once.data, data, size) != 0)) {
		fprintf(stderr, "a canonical document changed: %s\n", bt_buf_str(&once));
		abort();
	}
	bt_buf_release(&once);
	bt_buf_release(&twice);
	bt_jv_free(again);
	bt_jv_free(v);
	return 0;
}
