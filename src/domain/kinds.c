/* kinds.c - the one table of event kinds: every kind the engine writes, how
 * the rows it wrote are found again, and what the services do with it
 * (domain floor; the audit, bundles, receipts, history and export consult it
 * instead of spelling kinds themselves). */
#include <string.h>
#include "domain/domain.h"

static const event_kind kinds[] = {
	{ EVK_INIT, EK_ROWS_MEMBER, NULL, 0 },
	{ EVK_MEMBERS_IMPORT, EK_ROWS_MEMBER, NULL, 0 },
	{ EVK_MEMBERS_BASELINE, EK_ROWS_MEMBER, NULL, 0 },
	{ EVK_SETTING, EK_ROWS_NONE, NULL, 0 },
	{ EVK_CALENDAR_ADD, EK_ROWS_CALENDAR, "closed_days", 0 },
	{ EVK_CALENDAR_IMPORT, EK_ROWS_CALENDAR, "closed_days", 0 },
	{ EVK_CALENDAR_REMOVE, EK_ROWS_CALENDAR, "closed_days", 0 },
	{ EVK_CONSULTATION, EK_ROWS_ROW, "consultations", EK_CIRCULAR | EK_DECIDES },
	{ EVK_DRAFT, EK_ROWS_ROW, "drafts", EK_CIRCULAR | EK_DECIDES },
	{ EVK_DEADLINE, EK_ROWS_DEADLINE, "deadline_changes", EK_CIRCULAR | EK_DECIDES },
	{ EVK_REPLY, EK_ROWS_ROW, "replies", EK_CIRCULAR | EK_RECEIPT | EK_REPLY },
	{ EVK_WITHDRAWAL, EK_ROWS_ROW, "replies", EK_CIRCULAR | EK_RECEIPT | EK_REPLY },
	{ EVK_DECISION, EK_ROWS_ROW, "decisions", EK_CIRCULAR | EK_RECEIPT | EK_DECIDES },
	{ EVK_CLOSE, EK_ROWS_NONE, NULL, EK_CIRCULAR },
	{ EVK_CODES_ISSUE, EK_ROWS_AUTH, "reply_codes", EK_CIRCULAR },
	{ EVK_CODES_REVOKE, EK_ROWS_AUTH, "reply_codes", EK_CIRCULAR },
	{ EVK_USER_ADD, EK_ROWS_AUTH, "users", 0 },
	{ EVK_USER_DISABLE, EK_ROWS_AUTH, "users", 0 },
	{ EVK_USER_ENABLE, EK_ROWS_AUTH, "users", 0 },
	{ EVK_USER_PASSWORD, EK_ROWS_AUTH, "users", 0 },
	{ EVK_CERT_REGISTER, EK_ROWS_AUTH, "certificates", 0 },
	{ EVK_CERT_REVOKE, EK_ROWS_AUTH, "certificates", 0 },
	{ EVK_HASH_BASELINE, EK_ROWS_NONE, NULL, 0 },
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
