/* fuzz_receipt.c - bt_receipt_verify (receipt.h): a receipt file handed to
 * `ballot receipt verify` or `verify-bundle --receipt` comes from outside.
 * Every input must be refused with BT_EINPUT and a message, or verify; one
 * that verifies was signed by the harness's key (fuzz_key.h; the seeds
 * were) and names an event, its hash, kind and draft. */
#include "fuzz.h"
#include "fuzz_key.h"

static bt_pubkey pub;
static bt_key *key; /* fuzz_key.h frees it at exit */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	key = fuzz_key_load(&pub);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bt_err e;
	bt_receipt r;
	int rc = bt_receipt_verify((const char *)data, size, &pub, &r, &e);
	fuzz_note("receipt", rc, &e);
	if (rc == BT_OK) {
		if (r.event < 1 || strlen(r.hash) != 64 || !r.kind[0] || !r.draft[0])
			abort();
	} else if (rc != BT_EINPUT || !e.msg[0]) {
		fprintf(stderr, "refused without BT_EINPUT or message: %d '%s'\n", rc, e.msg);
		abort();
	}
	return 0;
}
