/* sql.h - names of the SQL statements in sql.c (the one place SQL lives). */
#ifndef BALLOT_SQL_H
#define BALLOT_SQL_H

extern const char *const SQL_MIGRATIONS[];
extern const int SQL_SCHEMA_VERSION;
extern const char SQL_SETTING_GET[];
extern const char SQL_SETTING_PUT[];
extern const char SQL_SETTINGS_ALL[];
extern const char SQL_MEMBER_GET[];
extern const char SQL_MEMBER_INSERT[];
extern const char SQL_MEMBER_UPDATE[];
extern const char SQL_MEMBER_NAME_KEEP[];
extern const char SQL_MEMBERS_AS_OF[];
extern const char SQL_MEMBERS_COUNT[];
extern const char SQL_MEMBER_BY_NAME[];
extern const char SQL_MEMBER_RECODE[];
extern const char SQL_MEMBER_REFERENCED[];
extern const char SQL_MEMBER_CHANGE_INSERT[];
extern const char SQL_MEMBER_BASELINE[];
extern const char SQL_MEMBER_NAMES_ADOPT[];
extern const char SQL_MEMBER_CHANGES_COUNT[];
extern const char SQL_MEMBER_CHANGES_BY_EVENT[];
extern const char SQL_MEMBER_NAMES_BY_EVENT[];
extern const char SQL_MEMBERS_NAMED_AT[];
extern const char SQL_MEMBERS_ASTRAY[];
extern const char SQL_MEMBER_ROWS_WITH_EVENTS[];
extern const char SQL_CONSULTATION_GET[];
extern const char SQL_CONSULTATION_INSERT[];
extern const char SQL_CONSULTATION_CLOSE[];
extern const char SQL_CONSULTATIONS_LIST[];
extern const char SQL_CONSULTATIONS_OF_MEMBER[];
extern const char SQL_ELECTORATE_ADD[];
extern const char SQL_ELECTORATE_DEFAULT[];
extern const char SQL_ELECTORATE_LIST[];
extern const char SQL_ELECTORATE_HAS[];
extern const char SQL_DRAFT_INSERT[];
extern const char SQL_DRAFTS_OF[];
extern const char SQL_DRAFT_BY_REC[];
extern const char SQL_DRAFT_SET_STATE[];
extern const char SQL_DRAFT_TITLES_OF[];
extern const char SQL_DRAFT_TITLES_OF_CONSULTATION[];
extern const char SQL_DRAFT_TITLES_BY_EVENT[];
extern const char SQL_DRAFT_TITLE_INSERT[];
extern const char SQL_DRAFT_TEXT_INSERT[];
extern const char SQL_DRAFT_TEXT_GET[];
extern const char SQL_DRAFT_TEXT_SIZE[];
extern const char SQL_DRAFT_TEXTS_ALL[];
extern const char SQL_REPLY_INSERT[];
extern const char SQL_ATTACHMENT_INSERT[];
extern const char SQL_REPLIES_OF_MEMBER[];
extern const char SQL_REPLIES_OF_DRAFT[];
extern const char SQL_REPLY_ROW[];
extern const char SQL_ATTACHMENTS_OF[];
extern const char SQL_ATTACHMENT_CONTENT[];
extern const char SQL_QUOTA_BYTES[];
extern const char SQL_QUOTA_REPLIES[];
extern const char SQL_QUOTA_NTH[];
extern const char SQL_DECISION_INSERT[];
extern const char SQL_DECISION_LAST[];
extern const char SQL_MORE_TIME_ASKED[];
extern const char SQL_STATUS[];
extern const char SQL_DECISION_AS_OF[];
extern const char SQL_LATE_ENTRIES[];
extern const char SQL_DECISION_MEMBERS[];
extern const char SQL_HISTORY_REPLIES[];
extern const char SQL_HISTORY_REPLIES_OF_MEMBER[];
extern const char SQL_HISTORY_IN_FORCE[];
extern const char SQL_HISTORY_LOCATE[];
extern const char SQL_HISTORY_DECISIONS[];
extern const char SQL_HISTORY_CLOSES[];
extern const char SQL_CONSULTATION_ROW[];
extern const char SQL_ELECTORATE_CODES[];
extern const char SQL_DRAFT_ROW[];
extern const char SQL_ROW_BY_EVENT[];
extern const char SQL_ROWS_WITH_EVENTS[];
extern const char SQL_DECISION_ROW[];
extern const char SQL_DRAFT_STATES[];
extern const char SQL_EVENT_LAST[];
extern const char SQL_EVENT_HASH_AT[];
extern const char SQL_EVENT_INSERT[];
extern const char SQL_EVENTS_ALL[];
extern const char SQL_REPLY_BY_EVENT[];
extern const char SQL_REPLIES_ALL[];
extern const char SQL_EVENT_KIND[];
extern const char SQL_EVENT_GET[];
extern const char SQL_EVENT_FOR_RECEIPT[];
extern const char SQL_EVENT_CIRCULAR_PREV[];
extern const char SQL_BUNDLE_EVENTS[];
extern const char SQL_BUNDLE_ATTACHMENTS[];
extern const char SQL_ATTACHMENTS_ALL[];
extern const char SQL_CODE_INSERT[];
extern const char SQL_CODE_REVOKE[];
extern const char SQL_CODES_IN_FORCE_OF[];
extern const char SQL_CODES_OF_MEMBER[];
extern const char SQL_CODE_IN_FORCE[];
extern const char SQL_CODES_LIST[];
extern const char SQL_USER_INSERT[];
extern const char SQL_USER_GET[];
extern const char SQL_USER_IN_FORCE[];
extern const char SQL_ACCOUNT_EVENTS[];
extern const char SQL_ACCOUNT_CHANGE_INSERT[];
extern const char SQL_USER_SET_DISABLED[];
extern const char SQL_USER_SET_PASSWORD[];
extern const char SQL_ACCOUNT_CHANGE_BY_EVENT[];
extern const char SQL_ACCOUNT_STATES[];
extern const char SQL_USERS_LIST[];
extern const char SQL_CERT_INSERT[];
extern const char SQL_CERT_REVOKE[];
extern const char SQL_CERT_GET[];
extern const char SQL_CERTS_LIST[];
extern const char SQL_CODES_BY_EVENT[];
extern const char SQL_CODES_BY_REVOCATION[];
extern const char SQL_USER_BY_EVENT[];
extern const char SQL_CERT_BY_EVENT[];
extern const char SQL_CERT_BY_REVOCATION[];
extern const char SQL_SIGNING_INSERT[];
extern const char SQL_SIGNING_GET[];
extern const char SQL_SIGNING_REVOKE[];
extern const char SQL_SIGNING_LIST[];
extern const char SQL_SIGNING_ANCHORS[];
extern const char SQL_SIGNING_BY_EVENT[];
extern const char SQL_SIGNING_BY_REVOCATION[];
extern const char SQL_AUTH_ROWS_WITH_EVENTS[];
extern const char SQL_CODE_HASHES_BY_EVENT[];
extern const char SQL_USER_HASH_BY_EVENT[];
extern const char SQL_HASH_BASELINE_COUNT[];
extern const char SQL_CODE_HASHES_ALL[];
extern const char SQL_USER_HASHES_ALL[];
extern const char SQL_CODE_HASHES_PINNED[];
extern const char SQL_USER_HASHES_PINNED[];
extern const char SQL_INTEGRITY_CHECK[];
extern const char SQL_FOREIGN_KEY_CHECK[];
extern const char SQL_FILE_IDENTITY[];
extern const char SQL_JOURNAL_DELETE[];
extern const char SQL_SYNCHRONOUS_FULL[];

extern const char SQL_CLOSED_DAYS_IN_FORCE[], SQL_CLOSED_DAY_GET[], SQL_CLOSED_DAY_INSERT[],
	SQL_CLOSED_DAY_REMOVE[], SQL_CLOSED_DAYS_BY_EVENT[], SQL_CLOSED_DAYS_BY_REMOVAL[],
	SQL_CALENDAR_EVENTS_COUNT[], SQL_CALENDAR_ROWS_WITH_EVENTS[], SQL_DEADLINE_CHANGE_INSERT[],
	SQL_DEADLINE_SET[], SQL_DEADLINE_CHANGE_BY_EVENT[], SQL_DEADLINE_CHANGES_OF[], SQL_DEADLINE_AS_OF[],
	SQL_DEADLINES_ASTRAY[], SQL_CONSULTATION_EXTRA[], SQL_REPLIES_RECEIVED_BETWEEN[],
	SQL_SCHEMA_ALL[], SQL_SETTINGS_ASTRAY[], SQL_CIRCULAR_EVENTS[], SQL_EVENTS_TAIL[],
	SQL_CIRCULAR_REPLIES_ASTRAY[], SQL_DATA_VERSION[], SQL_CIRCULAR_REPLY_EVENTS[],
	SQL_CIRCULAR_REPLY_COUNT[], SQL_ALL_REPLY_EVENTS[], SQL_ALL_REPLY_COUNTS[];
extern const char SQL_CIRCULAR_REPLY_COUNT_SINCE[], SQL_ROWCHECK_MARK[];

extern const char SQL_TOKEN_INSERT[];
extern const char SQL_TOKEN_USER[];
extern const char SQL_TOKEN_GET[];
extern const char SQL_TOKEN_REVOKE[];
extern const char SQL_TOKEN_CHECK[];
extern const char SQL_TOKENS_LIST[];
extern const char SQL_TOKEN_BY_EVENT[];
extern const char SQL_TOKEN_BY_REVOCATION[];
extern const char SQL_IDEM_TOKEN[], SQL_IDEM_FIND[], SQL_IDEM_INSERT[];
extern const char SQL_CONTACTS_IN_FORCE[], SQL_CONTACT_GET[], SQL_CONTACT_INSERT[], SQL_CONTACT_REMOVE[],
	SQL_CONTACTS_BY_EVENT[], SQL_CONTACTS_BY_REMOVAL[], SQL_CONTACT_ROWS_WITH_EVENTS[],
	SQL_ELECTORATE_WITHOUT_CONTACT[];
extern const char SQL_OUTBOX_INSERT[], SQL_OUTBOX_HAS[], SQL_OUTBOX_DUE[], SQL_OUTBOX_ALL[],
	SQL_OUTBOX_REBUILT[], SQL_OUTBOX_SENT[], SQL_OUTBOX_RETRY[], SQL_OUTBOX_FAILED[],
	SQL_OUTBOX_RECEIPT_QUEUE[], SQL_OUTBOX_BUILT[],
	SQL_OUTBOX_RECEIPT_WIDEN[];

extern const char SQL_SCHEDULE_CLEAR[], SQL_SCHEDULE_ADD[], SQL_SCHEDULE_OF[], SQL_SCHEDULE_DUE[],
	SQL_OUTBOX_QUEUED_KINDS[];

extern const char SQL_INBOX_BY_SHA[], SQL_INBOX_BY_MSGID[], SQL_INBOX_INSERT[], SQL_INBOX_PART_INSERT[],
	SQL_INBOX_ALL[], SQL_INBOX_GET[], SQL_INBOX_PARTS[], SQL_INBOX_DONE[], SQL_INBOX_STATE[],
	SQL_INBOX_SENDER_CONTACT[];

#endif
