/* returned.h - the checks of a returned Annex 2 form, one set for every
 * front end that takes one (`reply --from-pdf/--from-scan`, `inbox accept`,
 * the portal's upload and its inbox): the front end reads the form (its
 * fields or a scan's proposal, and its signature's verdict) into a
 * bt_returned_form; bt_returned_check decides, against the database,
 * whether its replies may be recorded and says what to tell (the drafts
 * added since it was issued, an unverified signer) as data; and
 * bt_returned_specs makes the replies' specs. Refusals name the form's
 * field (form.reference, sender.administration, draft.<REC>.choice,
 * signature, signatory.name, ...).
 *
 * The stale rule: a form is read as issued. Its reference's digest names
 * the draft list it was issued for; drafts never change once added, so a
 * form issued before drafts were added matches a subset of the circular's
 * drafts and answers those (stale, with the drafts added since named: they
 * are left unanswered, not refused). A form whose digest matches no set of
 * the circular's drafts (another database's, or a forged reference) is
 * refused. */
#ifndef BALLOT_RETURNED_H
#define BALLOT_RETURNED_H

#include <stddef.h>
#include "ballot/buf.h"
#include "ballot/db.h"
#include "ballot/draft.h"
#include "ballot/err.h"
#include "ballot/reply.h"
#include "ballot/signcert.h"
#include "ballot/timeutil.h"

#define BT_RETURNED_ADDED_MAX 160 /* bytes of the drafts-added list */

/* One draft.<REC>.choice as read (a field, or a scan's row). */
typedef struct bt_returned_draft {
	char rec[BT_ID_MAX + 1];
	bt_choice choice;  /* the one ticked; BT_CHOICE_NONE: none */
	int ticked;        /* how many different choices are ticked */
	char states[128];  /* those choices, ", "-separated, as read */
	int changed;       /* a signed form: this choice is not the one its
			      signed field holds (a scan's reading or a
			      --choice differs): its reply is recorded
			      without the signer */
} bt_returned_draft;

/* What a returned form says, as its front end read it (pointers are the
 * caller's). Text fields are NULL when absent or empty. */
typedef struct bt_returned_form {
	const char *reference;       /* form.reference */
	const char *administration;  /* sender.administration */
	/* The member's names in the six languages, each followed by '\n',
	 * appended to out (its English short name en_name among them); NULL:
	 * en_name only. BT_EFAIL when they cannot be read. */
	int (*member_names)(const char *code, const char *en_name, bt_buf *out, bt_err *e);
	const char *signatory, *signatory_field; /* signatory.name, else
						    sender.name: its value
						    and which field */
	const char *title, *title_field;         /* likewise .title */
	const bt_returned_draft *drafts;
	size_t n_drafts;
	int rows_unread_ok;          /* a scan shown to be completed by hand: a
					row it could not read (no choice) is
					left to the sender, not refused */
	int is_signed;               /* its signature field holds one */
	int sig_valid;               /* it verifies over its byte ranges */
	int sig_form_changed;        /* an update after signing changes a field */
	const char *sig_why;         /* when not valid: what failed */
	const unsigned char *const *certs; /* when valid: the signer's first */
	const size_t *cert_lens;
	size_t n_certs;
} bt_returned_form;

/* What bt_returned_check found that a front end tells. */
typedef struct bt_returned_verdict {
	char member[4];     /* the member, canonical */
	int stale;          /* issued before drafts were added: read as issued */
	char added_since[BT_RETURNED_ADDED_MAX]; /* those drafts, "Q.1, Q.2" */
	bt_signer signer;   /* a signed form's signer (verified or why not) */
} bt_returned_verdict;

/* Checks form f returned for circular by member (any spelling
 * bt_member_resolve accepts: the reference's own, the signed-in
 * administration's, an inbox entry's), a signed form's signer at time at,
 * into out. BT_EINPUT naming the form's field when: form.reference is
 * missing, malformed, or issued for another circular or member (BT_R_INPUT),
 * or its digest matches no set of the circular's drafts (BT_R_CONFLICT); a
 * blank form's sender.administration names another member; the signature
 * does not verify or an update after signing changes the form (signature);
 * the form has no draft, a draft that is not the circular's (BT_R_NOT_FOUND),
 * no choice or several ticked (draft.<REC>.choice); the engine refuses the
 * signatory or title (their field). A signer not verified is a verdict
 * (out->signer), not a refusal. Nothing is written. */
int bt_returned_check(bt_db *db, const bt_returned_form *f, const char *circular, const char *member, bt_time at,
		      bt_returned_verdict *out, bt_err *e);

/* bt_returned_check's check of a reference alone (a form read from a
 * message before its administration is known to be the sender's): issued
 * for circular and member, and for the circular's drafts now or before
 * drafts were added (out->stale, out->added_since; the rest of out
 * untouched). The same refusals as bt_returned_check's form.reference. */
int bt_returned_reference(bt_db *db, const char *reference, const char *circular, const char *member,
			  bt_returned_verdict *out, bt_err *e);

/* The replies of a checked form into specs[0..f->n_drafts): circular,
 * out's member, each draft's choice, the signatory and title, the signer
 * (when signed, but not on a draft whose choice changed from the signed
 * form's: the signer did not sign it); the rest (received, channel, the form as scan,
 * attachments, force) is the caller's to set, the rest zeroed. */
void bt_returned_specs(const bt_returned_form *f, const bt_returned_verdict *v, const char *circular,
		       bt_reply_spec *specs);

/* Which of dl's drafts (in dl's order) a form whose reference carries
 * digest hex16 (16 hex digits) was issued for: 1 with *mask (bit i: dl's
 * draft i) when the whole list or a subset matches (every subset for up to
 * 12 drafts, else the first k), 0 when none does. */
int bt_returned_issued(const bt_draft_list *dl, const char *hex16, unsigned long long *mask);

/* 1 when draft i of the list bt_returned_issued read mask from is one the
 * form was issued for (past 63 drafts only the whole list matches). */
int bt_returned_issued_has(unsigned long long mask, size_t i);

#endif
