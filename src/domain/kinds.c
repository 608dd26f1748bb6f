/* kinds.c - the one table of event kinds: every kind the engine writes, how
 * the rows it wrote are found again, how its payload is read back, and what
 * the services do with it (domain floor; the audit, bundles, receipts,
 * history and export consult it instead of spelling kinds themselves). */
#include <string.h>
#include "domain/domain.h"

/* The parsers of the payloads (event_parse): each reads the keys its kind's
 * writer puts in the body (consultation.c, draft.c, decision.c, reply.c). */

static int parse_consultation(const bt_jv *body, event_payload *p, bt_err *e)
{
	bt_err ignore;
	memset(p, 0, sizeof *p);
	const char *dl = bt_jv_str(body, "deadline");
	p->rule = bt_jv_str(body, "rule");
	p->deadline_forced = bt_jv_str(body, "deadline_forced");
	p->electorate = bt_jv_get(body, "electorate");
	if (!p->rule || !dl || bt_time_parse(dl, "deadline", &p->deadline, &ignore) || !p->electorate ||
	    p->electorate->type != BT_JARR)
		return bt_failf(e, BT_R_INPUT, NULL, "a consultation without rule, deadline or electorate");
	for (size_t i = 0; i < p->electorate->n; i++)
		if (p->electorate->items[i].type != BT_JSTR || p->electorate->items[i].len != 3)
			return bt_failf(e, BT_R_INPUT, NULL, "electorate[%zu] is not a code", i);
	return BT_OK;
}

static int parse_draft(const bt_jv *body, event_payload *p, bt_err *e)
{
	memset(p, 0, sizeof *p);
	p->rec = bt_jv_str(body, "rec");
	p->title = bt_jv_str(body, "title");
	p->titles = bt_jv_get(body, "titles"); /* in other languages, if any */
	if (!p->rec || !p->title || strlen(p->rec) > BT_ID_MAX)
		return bt_failf(e, BT_R_INPUT, NULL, "a draft without rec or title");
	return BT_OK;
}

/* draft set: a draft's titles in other languages, an object by language
 * of objects with a title, a summary or both */
static int parse_draft_titles(const bt_jv *body, event_payload *p, bt_err *e)
{
	memset(p, 0, sizeof *p);
	p->draft = bt_jv_str(body, "draft");
	p->titles = bt_jv_get(body, "titles");
	if (!p->draft || !p->titles || p->titles->type != BT_JOBJ || p->titles->n == 0)
		return bt_failf(e, BT_R_INPUT, NULL, "a draft-titles event without draft or titles");
	for (size_t i = 0; i < p->titles->n; i++) {
		const bt_jv *t = &p->titles->items[i];
		if (t->type != BT_JOBJ || (!bt_jv_str(t, "title") && !bt_jv_str(t, "summary")))
			return bt_failf(e, BT_R_INPUT, NULL, "titles[%zu] has neither title nor summary", i);
	}
	return BT_OK;
}

/* consultation set-deadline: the deadline in force from this event */
static int parse_deadline(const bt_jv *body, event_payload *p, bt_err *e)
{
	bt_err ignore;
	memset(p, 0, sizeof *p);
	const char *dl = bt_jv_str(body, "deadline");
	if (!dl || bt_time_parse(dl, "deadline", &p->deadline, &ignore))
		return bt_failf(e, BT_R_INPUT, NULL, "a deadline change without a deadline");
	return BT_OK;
}

static int parse_decision(const bt_jv *body, event_payload *p, bt_err *e)
{
	memset(p, 0, sizeof *p);
	p->draft = bt_jv_str(body, "draft");
	p->decision = bt_jv_str(body, "decision");
	if (!p->draft || !p->decision || strlen(p->decision) >= sizeof ((bt_draft_tally *)0)->decision)
		return bt_failf(e, BT_R_INPUT, NULL, "a decision without a known draft or decision");
	return BT_OK;
}

/* A reply or, when withdrawal, a withdrawal: the same keys; the choice
 * tells them apart. */
static int parse_reply_kind(const bt_jv *body, int withdrawal, event_payload *p, bt_err *e)
{
	bt_err ignore;
	memset(p, 0, sizeof *p);
	const char *received = bt_jv_str(body, "received");
	p->member = bt_jv_str(body, "member");
	p->draft = bt_jv_str(body, "draft");
	p->choice = bt_choice_parse(bt_jv_str(body, "choice"));
	p->attachments = bt_jv_get(body, "attachments");
	if (!p->member || !p->draft || p->choice == BT_CHOICE_NONE || (p->choice == BT_WITHDRAW) != withdrawal ||
	    !received || bt_time_parse(received, "received", &p->received, &ignore) ||
	    !bt_jv_int(body, "reply", &p->reply) || !p->attachments || p->attachments->type != BT_JARR)
		return bt_failf(e, BT_R_INPUT, NULL,
				"a %s without member, known draft, choice, received, reply number or attachments",
				withdrawal ? EVK_WITHDRAWAL : EVK_REPLY);
	for (size_t i = 0; i < p->attachments->n; i++) {
		const bt_jv *a = &p->attachments->items[i];
		const char *role = bt_jv_str(a, "role"), *sha = bt_jv_str(a, "sha256");
		if (!role || !sha || strlen(sha) != 64)
			return bt_failf(e, BT_R_INPUT, NULL, "attachment %zu has no role or SHA-256", i + 1);
		p->has_reasons |= strcmp(role, "form") != 0;
	}
	return BT_OK;
}

/* A reply from a signed form names its signer: subject, certificate
 * SHA-256, verified or not (replies of unsigned forms have no "signer"). */
static int parse_reply(const bt_jv *body, event_payload *p, bt_err *e)
{
	int rc = parse_reply_kind(body, 0, p, e);
	const bt_jv *s = bt_jv_get(body, "signer"), *v = s ? bt_jv_get(s, "verified") : NULL;
	if (rc || !s)
		return rc;
	p->signer = bt_jv_str(s, "subject");
	p->signer_sha256 = bt_jv_str(s, "cert_sha256");
	if (s->type != BT_JOBJ || !p->signer || !p->signer_sha256 || strlen(p->signer_sha256) != 64 ||
	    !v || v->type != BT_JBOOL)
		return bt_failf(e, BT_R_INPUT, NULL, "a reply whose signer has no subject, SHA-256 or verdict");
	p->signer_verified = v->boolean;
	return BT_OK;
}

static int parse_withdrawal(const bt_jv *body, event_payload *p, bt_err *e)
{
	return parse_reply_kind(body, 1, p, e);
}

static const event_kind kinds[] = {
	{ EVK_INIT, EK_ROWS_MEMBER, NULL, 0, NULL },
	{ EVK_MEMBERS_IMPORT, EK_ROWS_MEMBER, NULL, 0, NULL },
	{ EVK_MEMBERS_BASELINE, EK_ROWS_MEMBER, NULL, 0, NULL },
	{ EVK_SETTING, EK_ROWS_NONE, NULL, 0, NULL },
	{ EVK_CALENDAR_ADD, EK_ROWS_CALENDAR, "closed_days", 0, NULL },
	{ EVK_CALENDAR_IMPORT, EK_ROWS_CALENDAR, "closed_days", 0, NULL },
	{ EVK_CALENDAR_REMOVE, EK_ROWS_CALENDAR, "closed_days", 0, NULL },
	{ EVK_CONSULTATION, EK_ROWS_ROW, "consultations", EK_CIRCULAR | EK_DECIDES, parse_consultation },
	{ EVK_DRAFT, EK_ROWS_ROW, "drafts", EK_CIRCULAR | EK_DECIDES, parse_draft },
	{ EVK_DRAFT_TITLES, EK_ROWS_TITLES, "draft_titles", EK_CIRCULAR, parse_draft_titles },
	{ EVK_DEADLINE, EK_ROWS_DEADLINE, "deadline_changes", EK_CIRCULAR | EK_DECIDES, parse_deadline },
	{ EVK_REPLY, EK_ROWS_ROW, "replies", EK_CIRCULAR | EK_RECEIPT | EK_REPLY, parse_reply },
	{ EVK_WITHDRAWAL, EK_ROWS_ROW, "replies", EK_CIRCULAR | EK_RECEIPT | EK_REPLY, parse_withdrawal },
	{ EVK_LATE_ENTRY, EK_ROWS_NONE, NULL, EK_CIRCULAR, NULL },
	{ EVK_DECISION, EK_ROWS_ROW, "decisions", EK_CIRCULAR | EK_RECEIPT | EK_DECIDES, parse_decision },
	{ EVK_CLOSE, EK_ROWS_NONE, NULL, EK_CIRCULAR, NULL },
	{ EVK_CODES_ISSUE, EK_ROWS_AUTH, "reply_codes", EK_CIRCULAR, NULL },
	{ EVK_CODES_REVOKE, EK_ROWS_AUTH, "reply_codes", EK_CIRCULAR, NULL },
	{ EVK_USER_ADD, EK_ROWS_AUTH, "users", 0, NULL },
	{ EVK_USER_DISABLE, EK_ROWS_AUTH, "users", 0, NULL },
	{ EVK_USER_ENABLE, EK_ROWS_AUTH, "users", 0, NULL },
	{ EVK_USER_PASSWORD, EK_ROWS_AUTH, "users", 0, NULL },
	{ EVK_CERT_REGISTER, EK_ROWS_AUTH, "certificates", 0, NULL },
	{ EVK_CERT_REVOKE, EK_ROWS_AUTH, "certificates", 0, NULL },
	{ EVK_SIGNING_ADD, EK_ROWS_AUTH, "signing_certs", 0, NULL },
	{ EVK_SIGNING_REVOKE, EK_ROWS_AUTH, "signing_certs", 0, NULL },
	{ EVK_HASH_BASELINE, EK_ROWS_NONE, NULL, 0, NULL },
	{ EVK_TOKEN_CREATE, EK_ROWS_AUTH, "api_tokens", 0, NULL },
	{ EVK_TOKEN_REVOKE, EK_ROWS_AUTH, "api_tokens", 0, NULL },
	{ EVK_CONTACTS_IMPORT, EK_ROWS_CONTACT, "contacts", 0, NULL },
	{ EVK_CONTACT_SET, EK_ROWS_CONTACT, "contacts", 0, NULL },
	{ EVK_CONTACT_REMOVE, EK_ROWS_CONTACT, "contacts", 0, NULL },
	{ EVK_INBOX_ACCEPT, EK_ROWS_NONE, NULL, 0, NULL },
	{ EVK_INBOX_REJECT, EK_ROWS_NONE, NULL, 0, NULL },
};

const event_kind *event_kind_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int event_kind_is(const char *name, unsigned flag)
{
	const event_kind *k = event_kind_find(name);
	return k && (k->flags & flag);
}
