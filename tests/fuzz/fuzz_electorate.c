/* fuzz_electorate.c - the electorate file of `ballot consultation create
 * --electorate FILE` (bt_consultation_create with spec.electorate). */
#include "fuzz.h"

static fuzz_db fdb;

FUZZ_DB_INITIALIZE(fdb, NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bt_err e;
	bt_consultation_spec s = fuzz_spec_205();
	s.electorate = (const char *)data;
	s.electorate_len = size;
	bt_consultation c;
	char warn[256];
	int rc = bt_consultation_create(fdb.db, &s, "fuzz", FUZZ_NOW, &c, warn, sizeof warn, &e);
	fuzz_note("electorate", rc, &e);
	if (rc == BT_OK) {
		if (c.electorate < 1 || c.electorate > 194 || !c.custom_electorate)
			abort();
		fuzz_db_reset(&fdb);
	} else if (rc != BT_EINPUT || !e.msg[0]) {
		fprintf(stderr, "consultation create: %d %s\n", rc, e.msg);
		abort();
	}
	return 0;
}
