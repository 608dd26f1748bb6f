/* formref.c - Annex 2 form references: made and checked. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/domain.h"
#include "ballot/formref.h"

void bt_form_ref_make(const char *circular, const char *member,
		      const char *lang, const char *digest,
		      char out[BT_FORM_REF_MAX])
{
	snprintf(out, BT_FORM_REF_MAX, "ballot:%s:%s:%s:%.16s", circular,
		 member ? member : "-", lang, digest);
}

int bt_form_ref_check(bt_db *db, const char *ref, const char *circular,
		      const char *member, int *stale, bt_err *e)
{
	char circ[BT_ID_MAX + 1], code[8], lang[8], hex[24];
	char canon[4];
	int used = -1;
	*stale = 0;
	if (strlen(ref) >= BT_FORM_REF_MAX ||
	    sscanf(ref, "ballot:%32[^:]:%7[^:]:%7[^:]:%23s%n", circ, code, lang,
		   hex, &used) != 4 || used < 0 || (size_t)used != strlen(ref) || strlen(hex) != 16 ||
	    strspn(hex, "0123456789abcdef") != 16 || strlen(lang) != 2)
		return bt_failf(e, BT_R_INPUT, "ref", "'%s' is not a form reference "
				"(ballot:CIRCULAR:CODE:LANG:16 hex digits)", ref);
	bt_consultation c;
	int rc = bt_consultation_get(db, circular, &c, e);
	if (rc)
		return rc;
	if (strcasecmp(circ, c.circular) != 0)
		return bt_failf(e, BT_R_INPUT, "ref", "the form was issued for "
				"circular %s, not %s", circ, c.circular);
	rc = bt_member_resolve(db, "member", member, canon, e);
	if (rc)
		return rc;
	if (strcmp(code, "-") != 0 && strcmp(code, canon) != 0)
		return bt_failf(e, BT_R_INPUT, "ref", "the form was issued for "
				"member %s, not %s", code, canon);
	bt_draft_list dl = { NULL, 0 };
	rc = bt_drafts_list(db, c.circular, &dl, e);
	if (rc)
		return rc;
	char digest[65];
	bt_drafts_digest(&dl, digest);
	bt_draft_list_free(&dl);
	*stale = strncmp(digest, hex, 16) != 0;
	return BT_OK;
}
