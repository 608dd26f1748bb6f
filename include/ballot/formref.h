/* formref.h - the reference printed on a personalized Annex 2 form.
 *
 * "ballot:<circular>:<CODE>:<lang>:<16 hex digits>", CODE "-" on a blank
 * form; the hex digits are the start of bt_drafts_digest of the draft list
 * the form was issued for. It is printed in the form's footer and as a QR
 * code, so a returned form is matched to its consultation and member.
 */
#ifndef BALLOT_FORMREF_H
#define BALLOT_FORMREF_H
#include "ballot/consultation.h"
#include "ballot/db.h"

#define BT_FORM_REF_MAX 96

/* Writes the reference (member NULL: a blank form). */
void bt_form_ref_make(const char *circular, const char *member,
		      const char *lang, const char *digest,
		      char out[BT_FORM_REF_MAX]);

/* A reference's parts. */
typedef struct bt_form_ref {
	char circular[BT_ID_MAX + 1];
	char member[8]; /* "-" on a blank form */
	char lang[8];
	char digest[17]; /* 16 hex digits */
} bt_form_ref;

/* Splits ref into its parts: BT_EINPUT naming the field "ref" when it is
 * malformed or its language is not one of en, fr, es, ru, zh, ar. */
int bt_form_ref_parse(const char *ref, bt_form_ref *out, bt_err *e);

/* Checks a form reference read back from a returned form against the reply
 * being recorded: BT_EINPUT naming the field "ref" when it is malformed, or issued for
 * another circular or another member (member: any spelling bt_member_resolve
 * accepts; a blank form's "-" matches any member). *stale is set to 1 when the consultation's draft list changed
 * since the form was issued (a draft added, or its wording changed), else 0. */
int bt_form_ref_check(bt_db *db, const char *ref, const char *circular,
		      const char *member, int *stale, bt_err *e);

#endif
