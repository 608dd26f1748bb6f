/* returned.c - the checks of a returned Annex 2 form (ballot/returned.h),
 * the same for the command line and the portal: reference, stale rule,
 * administration, signature, choices, signatory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "services/services.h"
#include "ballot/returned.h"

/* The next subset of n drafts to try, as scan reads a form "as issued":
 * every subset, largest first by value, for up to 12 drafts; else the
 * first k (drafts are listed in the order added). 0 when none is left. */
static int next_subset(size_t n, unsigned long long *mask)
{
	if (n > 12)
		*mask >>= 1;
	else
		(*mask)--;
	return *mask != 0;
}

int bt_returned_issued_has(unsigned long long mask, size_t i)
{
	return i >= 64 || (mask >> i & 1);
}

int bt_returned_issued(const bt_draft_list *dl, const char *hex16, unsigned long long *mask)
{
	char d[65];
	bt_drafts_digest(dl, d);
	*mask = dl->n < 64 ? (1ULL << dl->n) - 1 : ~0ULL;
	if (!strncmp(d, hex16, 16))
		return 1;
	if (dl->n < 2 || dl->n > 63)
		return 0;
	bt_draft *v = malloc(dl->n * sizeof *v);
	if (!v)
		return 0;
	int found = 0;
	while (!found && next_subset(dl->n, mask)) {
		bt_draft_list sub = { v, 0 };
		for (size_t i = 0; i < dl->n; i++)
			if (*mask >> i & 1)
				v[sub.n++] = dl->v[i];
		bt_drafts_digest(&sub, d);
		found = !strncmp(d, hex16, 16);
	}
	free(v); /* its drafts are dl's */
	return found;
}

/* s[0..n) with its whitespace runs made one space, none at either end,
 * and ASCII letters made small (other characters as they are), into out. */
static void fold(const char *s, size_t n, bt_buf *out)
{
	bt_buf_reset(out);
	int space = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = out->len > 0;
			continue;
		}
		if (space)
			bt_buf_addc(out, ' ');
		space = 0;
		bt_buf_addc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
	}
	bt_buf_addc(out, '\0');
}

/* 1 when value names member m: the whole value (fold) is its ISO code
 * (alpha-3 or alpha-2), its English short name, or one of its names in
 * the six languages (f->member_names); *rc set on failure. */
static int names_member(const bt_returned_form *f, const char *value, const bt_member *m, int *rc, bt_err *e)
{
	bt_buf want = BT_BUF_INIT, names = BT_BUF_INIT, one = BT_BUF_INIT;
	fold(value, strlen(value), &want);
	int ok = !want.failed && (!strcasecmp(want.data, m->code) || !strcasecmp(want.data, m->alpha2));
	if (!ok && f->member_names)
		*rc = f->member_names(m->code, m->name, &names, e);
	else if (!ok && bt_buf_addf(&names, "%s\n", m->name))
		*rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	for (const char *p = names.data; !ok && *rc == BT_OK && p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		fold(p, len, &one);
		ok = !want.failed && !one.failed && !strcmp(want.data, one.data);
		p += len + (nl != NULL);
	}
	if (*rc == BT_OK && (want.failed || one.failed || names.failed))
		*rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	bt_buf_release(&want);
	bt_buf_release(&names);
	bt_buf_release(&one);
	return ok;
}

/* A blank form (reference "...:-:...") whose sender.administration is
 * filled in must name member: the whole value, as names_member reads it. */
static int check_administration(bt_db *db, const bt_returned_form *f, const char *member, bt_err *e)
{
	if (!strstr(f->reference, ":-:") || !f->administration)
		return BT_OK;
	bt_member_list ml = { NULL, 0 };
	int rc = bt_members_list(db, BT_DATE_NONE, &ml, e), ok = 0;
	for (size_t i = 0; rc == BT_OK && i < ml.n && !ok; i++)
		if (!strcmp(ml.v[i].code, member))
			ok = names_member(f, f->administration, &ml.v[i], &rc, e);
	bt_member_list_free(&ml);
	if (rc == BT_OK && !ok)
		rc = bt_failf(e, BT_R_INPUT, "sender.administration", " '%s' does not name {member} %s (its code, or "
			      "its whole name in one of the six languages)", f->administration, member);
	return rc;
}

/* The drafts of dl not in mask, "Q.1, Q.2", into out. */
static void added_names(const bt_draft_list *dl, unsigned long long mask, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < dl->n && i < 64 && used < size; i++)
		if (!(mask >> i & 1))
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "", dl->v[i].rec);
}

/* The reference: issued for circular and member (bt_form_ref_check), and
 * for the circular's drafts now or before drafts were added (stale). */
static int check_reference(bt_db *db, const bt_returned_form *f, const char *circular, const char *member,
			   bt_returned_verdict *out, bt_err *e);

int bt_returned_reference(bt_db *db, const char *reference, const char *circular, const char *member,
			  bt_returned_verdict *out, bt_err *e)
{
	bt_returned_form one = { 0 };
	one.reference = reference;
	return check_reference(db, &one, circular, member, out, e);
}

static int check_reference(bt_db *db, const bt_returned_form *f, const char *circular, const char *member,
			   bt_returned_verdict *out, bt_err *e)
{
	int stale = 0;
	int rc = bt_form_ref_check(db, f->reference, circular, member, &stale, e);
	if (rc != BT_OK && !strcmp(e->field, "ref")) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg + (strncmp(e->msg, "ref: ", 5) ? 0 : 5));
		return bt_failf(e, e->reason, "form.reference", " '%s': %s", f->reference, msg);
	}
	if (rc != BT_OK || !stale)
		return rc;
	bt_form_ref r;
	bt_draft_list dl = { NULL, 0 };
	unsigned long long mask = 0;
	rc = bt_form_ref_parse(f->reference, &r, e);
	if (rc == BT_OK)
		rc = bt_drafts_list(db, circular, &dl, e);
	if (rc == BT_OK && !bt_returned_issued(&dl, r.digest, &mask))
		rc = bt_failf(e, BT_R_CONFLICT, "form.reference", " '%s': the form was issued for drafts that circular "
			      "%s does not have (another database's form, or a changed reference)", f->reference,
			      r.circular);
	if (rc == BT_OK) {
		out->stale = 1;
		added_names(&dl, mask, out->added_since, sizeof out->added_since);
	}
	bt_draft_list_free(&dl);
	return rc;
}

/* A signed form: its signature verifies and no update after it changes a
 * field. */
static int check_signature(const bt_returned_form *f, bt_err *e)
{
	if (!f->is_signed)
		return BT_OK;
	if (!f->sig_valid)
		return bt_failf(e, BT_R_INPUT, "signature", "%s; the form was changed after it was signed, or the "
				"signature is damaged", f->sig_why ? f->sig_why : "it does not verify");
	if (f->sig_form_changed)
		return bt_failf(e, BT_R_INPUT, "signature", "an update added after signing changes the form's fields");
	return BT_OK;
}

/* e's refusal said of the form's field: "field: " + e's message. */
static int refield(bt_err *e, const char *field)
{
	char msg[sizeof e->msg];
	snprintf(msg, sizeof msg, "%s", e->msg);
	return bt_failf(e, e->reason, field, "%s", msg);
}

/* Each draft the circular's, one choice ticked (or none read, when the
 * rows unread are left to the sender). */
static int check_choices(bt_db *db, const bt_returned_form *f, const char *circular, bt_err *e)
{
	if (!f->n_drafts)
		return bt_failf(e, BT_R_INPUT, "draft.<REC>.choice", "the form has no such field");
	for (size_t i = 0; i < f->n_drafts; i++) {
		const bt_returned_draft *c = &f->drafts[i];
		char field[BT_ID_MAX + 16];
		snprintf(field, sizeof field, "draft.%s.choice", c->rec);
		bt_draft d;
		memset(&d, 0, sizeof d);
		int rc = bt_draft_find(db, circular, c->rec, &d, e);
		bt_draft_clear(&d);
		if (rc != BT_OK)
			return refield(e, field);
		if (f->rows_unread_ok && c->choice == BT_CHOICE_NONE)
			continue;
		if (c->ticked == 0)
			return bt_failf(e, BT_R_INPUT, field, "no choice ticked%s%s%s", c->states[0] ? " (" : "",
					c->states, c->states[0] ? ")" : "");
		if (c->ticked > 1)
			return bt_failf(e, BT_R_INPUT, field, "%d choices ticked (%s); one is needed", c->ticked,
					c->states);
	}
	return BT_OK;
}

int bt_returned_check(bt_db *db, const bt_returned_form *f, const char *circular, const char *member, bt_time at,
		      bt_returned_verdict *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	if (!f->reference)
		return bt_failf(e, BT_R_INPUT, "form.reference", " is missing or empty");
	int rc = check_signature(f, e);
	if (rc == BT_OK)
		rc = bt_member_resolve(db, "member", member, out->member, e);
	if (rc == BT_OK)
		rc = check_administration(db, f, out->member, e);
	if (rc == BT_OK)
		rc = check_reference(db, f, circular, out->member, out, e);
	if (rc == BT_OK)
		rc = check_choices(db, f, circular, e);
	if (rc == BT_OK && f->signatory)
		rc = bt_reply_name_check(f->signatory_field, f->signatory, e);
	if (rc == BT_OK && f->title)
		rc = bt_reply_name_check(f->title_field, f->title, e);
	if (rc == BT_OK && f->is_signed)
		rc = bt_signer_check(db, out->member, at, f->certs, f->cert_lens, f->n_certs, &out->signer, e);
	if (rc != BT_OK && f->is_signed && !strcmp(e->field, "certificate"))
		rc = refield(e, "signature");
	return rc;
}

void bt_returned_specs(const bt_returned_form *f, const bt_returned_verdict *v, const char *circular,
		       bt_reply_spec *specs)
{
	for (size_t i = 0; i < f->n_drafts; i++) {
		specs[i] = (bt_reply_spec){ .circular = circular, .member = v->member, .rec = f->drafts[i].rec,
					    .choice = f->drafts[i].choice, .signatory = f->signatory, .title = f->title };
		if (f->is_signed && !f->drafts[i].changed) {
			specs[i].signer_subject = v->signer.subject;
			specs[i].signer_sha256 = v->signer.sha256;
			specs[i].signer_verified = v->signer.verified;
		}
	}
}
