/* confirm.h - the confirmation pages' form (confirm.c), which the
 * secretariat's irreversible acts share (closing, deciding, revoking a code,
 * importing replies, publishing the bundle, accepting or rejecting a mail
 * inbox entry): a POST with the CSRF field and a single-use token (once.h),
 * its button naming the act, styled as dangerous, and the way back. */
#ifndef BALLOT_PORTAL_CONFIRM_H
#define BALLOT_PORTAL_CONFIRM_H

#include "portal/request.h"
#include "portal/session.h"

/* The single-use token form name (once.h) of act ("close", "decide",
 * "code", "revoke", "inbox-accept") on circular (or an entry's number). */
void staff_once_name(char out[PORTAL_ONCE_FORM], const char *act, const char *circular);
/* The end of a confirmation page: the form that POSTs to action (its CSRF
 * field, a single-use token for once_form, the hidden fields of hidden:
 * name, value pairs ending with NULL), its button naming the act (key with
 * vars, styled as dangerous, id "confirm") and the link back to back. */
void staff_confirm_form(preq *r, const char *action, const char *once_form, const char *const *hidden,
			const char *key, const char *const *vars, const char *back);
/* The same in two halves, for a confirmation with fields of its own
 * between them (a choice the act takes): the form's start (its CSRF field,
 * token and hidden fields), then its button and the link back. */
void staff_confirm_open(preq *r, const char *action, const char *once_form, const char *const *hidden);
void staff_confirm_close(preq *r, const char *key, const char *const *vars, const char *back);

#endif
