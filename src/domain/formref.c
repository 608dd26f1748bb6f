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

int bt_form_ref_parse(const char *ref, bt_form_ref *out, bt_err *e)
{
	char hex[24];
	int used = -1;
	if (strlen(ref) >= BT_FORM_REF_MAX ||
	    sscanf(ref, "ballot:%32[^:]:%7[^:]:%7[^:]:%23s%n", out->circular,
		   out->member, out->lang, hex, &used) != 4 || used < 0 ||
	    (size_t)used != strlen(ref) || strlen(hex) != 16 ||
	    strspn(hex, "0123456789abcdef") != 16 || strlen(out->lang) != 2)
		return bt_failf(e, BT_R_INPUT, "ref", "'%s' is not a form reference "
				"(ballot:CIRCULAR:CODE:LANG:16 hex digits)", ref);
	static const char six[] = "en fr es ru zh ar";
	const char *at = strstr(six, out->lang);
	if (!at || (at - six) % 3 != 0)
		return bt_failf(e, BT_R_INPUT, "ref", "'%s' is not a form reference: "
				"language '%s' is not one of en, fr, es, ru, zh, ar", ref, out->lang);
	memcpy(out->digest, hex, 17);
	return BT_OK;
}

int bt_form_ref_check(bt_db *db, const char *ref, const char *circular,
		      const char *member, int *stale, bt_err *e)
{
	bt_form_ref r;
	char canon[4];
	const char *circ = r.circular, *code = r.member, *hex = r.digest;
	*stale = 0;
	int rc = bt_form_ref_parse(ref, &r, e);
	if (rc)
		return rc;
	bt_consultation c;
	rc = bt_consultation_get(db, circular, &c, e);
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
