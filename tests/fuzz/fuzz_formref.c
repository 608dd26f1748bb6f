/* fuzz_formref.c - the form reference read back from a returned form
 * (`reply --ref`, bt_form_ref_check, formref.h), against Circular 205 with
 * one draft. The input's first line is the reference; a second line, when
 * there is one, the member the reply is for (default CHE). */
#include "fuzz.h"

static fuzz_db fdb;

FUZZ_DB_INITIALIZE(fdb, fuzz_setup_205)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	const char *member = "CHE";
	char *nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		member = nl + 1;
	}
	bt_err e;
	int stale = -1;
	int rc = bt_form_ref_check(fdb.db, s, "205", member, &stale, &e);
	fuzz_note("form ref", rc, &e);
	if (rc == BT_OK ? (stale != 0 && stale != 1) : (rc != BT_EINPUT || !e.msg[0])) {
		fprintf(stderr, "form ref: %d %d %s\n", rc, stale, e.msg);
		abort();
	}
	free(s);
	return 0;
}
