/* fuzz_reply_import.c - the reply TSV of `ballot reply import`
 * (bt_reply_import, reply.h), against Circular 205 (one draft, Q.5051,
 * deadline 2020-02-21T23:59:00Z). The input is written to a file beside two
 * attachments (comments.txt, reasons.pdf) that lines may name. */
#include "fuzz.h"

static fuzz_db fdb;
/* the clock of the import: after the deadline, so late replies occur */
#define IMPORT_NOW ((bt_time)1582848000) /* 2020-02-28T00:00:00Z */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char path[256];
	fuzz_db_make(&fdb, fuzz_setup_205);
	fuzz_write("comments.txt", "We propose to reword clause 7.\n", 31, path, sizeof path);
	fuzz_write("reasons.pdf", "%PDF-1.4\n%%EOF\n", 15, path, sizeof path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	fuzz_write("replies.tsv", data, size, path, sizeof path);
	bt_err e;
	bt_import_stats st;
	int rc = bt_reply_import(fdb.db, "205", path, "fuzz", IMPORT_NOW, 0, &st, &e);
	fuzz_note("reply import", rc, &e);
	if (rc == BT_OK) {
		if (st.late > st.recorded || st.without_reasons > st.recorded || st.supersedes > st.recorded)
			abort();
		fuzz_db_reset(&fdb);
	} else if (rc != BT_EINPUT || !e.msg[0] || st.recorded != 0) {
		fprintf(stderr, "reply import: %d %s\n", rc, e.msg);
		abort();
	}
	return 0;
}
