/* fuzz_tmpl.c - the text templates of the documents and the portal
 * (pdf_tmpl_load, src/pdf/tmpl.h): each input is loaded as a template file
 * against the Annex 2 schema and against the portal's, and a template that
 * loads is expanded (left to right and right to left) and split.
 *
 * The schemas are static in annex2.c and words.c, so this file includes
 * those two sources to reach them (their other symbols then come from here,
 * not from the libraries). */
#include "fuzz.h"
#include "../../src/pdf/annex2.c"
#include "../../src/portal/words.c"

static const char *const vars[] = {
	"circular", "205", "drafts", "ITU-T Q.5051", "rec", "Q.5051", "member", "Suisse",
	"former", "Q.FW_CSM", "sg", "11", "date", "21 février 2020", "time", "23:59 UTC",
	"code", "7KQ2M-0ZP4X", "url", "https://127.0.0.1:8443/", "ref", "ballot:205:CHE:fr:0123456789abcdef",
	"page", "1", "pages", "2", "who", "CHE", "seconds", "4", "deadline", "2020-02-21T23:59:00Z",
	"max", "20 MiB", "group", "11", "n", "9", "pct", "90.0", "electorate", "193", "outcome", "proceed",
	NULL
};

static void exercise(const char *path, const pdf_tmpl_key *sch, size_t n)
{
	pdf_tmpl *t = NULL;
	bt_err e;
	int rc = pdf_tmpl_load(path, sch, n, &t, &e);
	fuzz_note(sch == schema ? "annex2 template" : "portal template", rc, &e);
	if (rc != BT_OK) {
		if (e.code != BT_EINPUT || !e.msg[0])
			abort();
		return;
	}
	bt_buf out;
	bt_buf_init(&out, 1 << 20);
	for (int rtl = 0; rtl < 2; rtl++) {
		pdf_tmpl_set_rtl(t, rtl);
		for (size_t i = 0; i < n; i++) {
			bt_buf_reset(&out);
			(void)pdf_tmpl_expand(t, sch[i].key, vars, &out);
			(void)pdf_tmpl_raw(t, sch[i].key);
		}
	}
	char parts[12][64];
	(void)pdf_tmpl_split(t, "months", 12, &parts[0][0], sizeof parts[0]);
	(void)pdf_tmpl_split(t, "list_sep", 2, &parts[0][0], sizeof parts[0]);
	bt_buf_release(&out);
	pdf_tmpl_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	fuzz_write("template.txt", data, size, path, sizeof path);
	exercise(path, schema, sizeof schema / sizeof schema[0]);
	exercise(path, portal_schema, sizeof portal_schema / sizeof portal_schema[0]);
	return 0;
}
