/* fuzz_members.c - the member TSV of `ballot members import`
 * (bt_members_import, member.h) on a database holding the shipped list. An
 * import that fails must change nothing; one that succeeds leaves clean names
 * and a members table that audit verify finds as its events recorded, and is
 * undone before the next input. */
#include "fuzz.h"

static fuzz_db fdb;

FUZZ_DB_INITIALIZE(fdb, NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bt_err e;
	bt_member_import_stats st;
	int rc = bt_members_import(fdb.db, (const char *)data, size, "members.tsv", "fuzz", FUZZ_NOW, &st, &e);
	fuzz_note("members import", rc, &e);
	if (rc == BT_OK) {
		bt_member_list l;
		if (bt_members_list(fdb.db, BT_DATE_NONE, &l, &e) != BT_OK)
			fuzz_die("list", e.msg);
		for (size_t i = 0; i < l.n; i++)
			if (!bt_name_clean(l.v[i].name) || strlen(l.v[i].code) != 3)
				abort(); /* the import let a bad row in */
		bt_member_list_free(&l);
		bt_audit_report r;
		if (bt_audit_verify(fdb.db, &r, &e) != BT_OK)
			fuzz_die("audit", e.msg);
		if (r.first_bad) {
			fprintf(stderr, "audit after import: event %lld: %s\n", (long long)r.first_bad, r.problem);
			abort(); /* the members differ from what the events recorded */
		}
		fuzz_db_reset(&fdb);
	} else if (rc != BT_EINPUT || !e.msg[0]) {
		fprintf(stderr, "members import: %d %s\n", rc, e.msg);
		abort();
	}
	return 0;
}
