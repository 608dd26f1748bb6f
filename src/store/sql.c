/* sql.c - every SQL statement of the engine, and the schema migrations.
 * This is the one place where SQL lives; modules refer to these constants. */
#include "sql.h"

/* Migrations: SQL_MIGRATIONS[i] takes the schema from version i to i + 1. */
const char *const SQL_MIGRATIONS[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
	"CREATE TABLE members(code TEXT PRIMARY KEY CHECK(length(code) = 3),"
	" alpha2 TEXT NOT NULL UNIQUE CHECK(length(alpha2) = 2),"
	" name TEXT NOT NULL CHECK(name <> ''), since INTEGER) STRICT;"
	"CREATE TABLE member_names(id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL REFERENCES members(code), name TEXT NOT NULL,"
	" replaced_at INTEGER NOT NULL, source TEXT NOT NULL) STRICT;"
	"CREATE TABLE consultations(id INTEGER PRIMARY KEY,"
	" circular TEXT NOT NULL UNIQUE COLLATE NOCASE, grp INTEGER NOT NULL, rule TEXT NOT NULL,"
	" rule_edition TEXT NOT NULL, date INTEGER NOT NULL,"
	" meeting_start INTEGER NOT NULL, meeting_end INTEGER NOT NULL,"
	" deadline INTEGER NOT NULL, custom_electorate INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL, closed_at INTEGER,"
	" event_seq INTEGER NOT NULL UNIQUE) STRICT;"
	"CREATE TABLE electorate(consultation_id INTEGER NOT NULL"
	" REFERENCES consultations(id), member TEXT NOT NULL REFERENCES members(code),"
	" PRIMARY KEY(consultation_id, member)) STRICT, WITHOUT ROWID;"
	"CREATE TABLE drafts(id INTEGER PRIMARY KEY,"
	" consultation_id INTEGER NOT NULL REFERENCES consultations(id),"
	" rec TEXT NOT NULL COLLATE NOCASE, title TEXT NOT NULL, former TEXT, summary TEXT,"
	" source TEXT, revised INTEGER NOT NULL, text_sha256 TEXT,"
	" state TEXT NOT NULL, outcome TEXT, event_seq INTEGER NOT NULL UNIQUE,"
	" UNIQUE(consultation_id, rec)) STRICT;"
	"CREATE TABLE replies(id INTEGER PRIMARY KEY,"
	" draft_id INTEGER NOT NULL REFERENCES drafts(id),"
	" member TEXT NOT NULL REFERENCES members(code),"
	" choice TEXT NOT NULL CHECK(choice IN ('authorize',"
	" 'authorize-with-comments','not-authorize','withdraw')),"
	" received INTEGER NOT NULL, channel TEXT NOT NULL, signatory TEXT,"
	" title TEXT, recorded_at INTEGER NOT NULL, recorded_by TEXT NOT NULL,"
	" event_seq INTEGER NOT NULL UNIQUE) STRICT;"
	"CREATE INDEX replies_by_member ON replies(draft_id, member, received, id);"
	"CREATE TABLE attachments(id INTEGER PRIMARY KEY,"
	" reply_id INTEGER NOT NULL REFERENCES replies(id),"
	" role TEXT NOT NULL CHECK(role IN ('comments','reasons')),"
	" name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
	" content BLOB NOT NULL) STRICT;"
	"CREATE INDEX attachments_by_reply ON attachments(reply_id);"
	"CREATE TABLE decisions(id INTEGER PRIMARY KEY,"
	" draft_id INTEGER NOT NULL REFERENCES drafts(id), kind TEXT NOT NULL,"
	" detail TEXT NOT NULL, decided_at INTEGER NOT NULL,"
	" recorded_by TEXT NOT NULL, event_seq INTEGER NOT NULL UNIQUE) STRICT;"
	"CREATE TABLE events(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" actor TEXT NOT NULL, kind TEXT NOT NULL, circular TEXT,"
	" body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;"
	"CREATE INDEX events_by_circular ON events(circular, seq);"
	/* Append-only: the record of what was received is never rewritten. */
	"CREATE TRIGGER replies_append_only_u BEFORE UPDATE ON replies"
	" BEGIN SELECT RAISE(ABORT, 'replies are append-only'); END;"
	"CREATE TRIGGER replies_append_only_d BEFORE DELETE ON replies"
	" BEGIN SELECT RAISE(ABORT, 'replies are append-only'); END;"
	"CREATE TRIGGER attachments_append_only_u BEFORE UPDATE ON attachments"
	" BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;"
	"CREATE TRIGGER attachments_append_only_d BEFORE DELETE ON attachments"
	" BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;"
	"CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_append_only_d BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER decisions_append_only_u BEFORE UPDATE ON decisions"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decisions_append_only_d BEFORE DELETE ON decisions"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	/* Consultations change only by closing once; drafts only in state and
	 * outcome; electorates never. */
	"CREATE TRIGGER consultations_close_only BEFORE UPDATE ON consultations"
	" WHEN OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL"
	" OR NEW.circular IS NOT OLD.circular OR NEW.grp IS NOT OLD.grp OR NEW.rule IS NOT OLD.rule"
	" OR NEW.date IS NOT OLD.date OR NEW.meeting_start IS NOT OLD.meeting_start"
	" OR NEW.meeting_end IS NOT OLD.meeting_end OR NEW.deadline IS NOT OLD.deadline"
	" OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'a consultation changes only by closing'); END;"
	"CREATE TRIGGER consultations_append_only_d BEFORE DELETE ON consultations"
	" BEGIN SELECT RAISE(ABORT, 'consultations are append-only'); END;"
	"CREATE TRIGGER drafts_state_only BEFORE UPDATE ON drafts"
	" WHEN NEW.rec IS NOT OLD.rec OR NEW.title IS NOT OLD.title OR NEW.former IS NOT OLD.former"
	" OR NEW.summary IS NOT OLD.summary OR NEW.source IS NOT OLD.source"
	" OR NEW.revised IS NOT OLD.revised OR NEW.text_sha256 IS NOT OLD.text_sha256"
	" OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'a draft changes only in state'); END;"
	"CREATE TRIGGER drafts_append_only_d BEFORE DELETE ON drafts"
	" BEGIN SELECT RAISE(ABORT, 'drafts are append-only'); END;"
	"CREATE TRIGGER electorate_append_only_u BEFORE UPDATE ON electorate"
	" BEGIN SELECT RAISE(ABORT, 'electorates are append-only'); END;"
	"CREATE TRIGGER electorate_append_only_d BEFORE DELETE ON electorate"
	" BEGIN SELECT RAISE(ABORT, 'electorates are append-only'); END;",
	/* 1 -> 2: the portal. First the attachments accept the scanned reply
	 * form (role 'form'): SQLite cannot change a CHECK, so the table is
	 * rebuilt with the same columns and rows. */
	"DROP TRIGGER attachments_append_only_u;"
	"DROP TRIGGER attachments_append_only_d;"
	"CREATE TABLE attachments_new(id INTEGER PRIMARY KEY,"
	" reply_id INTEGER NOT NULL REFERENCES replies(id),"
	" role TEXT NOT NULL CHECK(role IN ('comments','reasons','form')),"
	" name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
	" content BLOB NOT NULL) STRICT;"
	"INSERT INTO attachments_new SELECT * FROM attachments;"
	"DROP TABLE attachments;"
	"ALTER TABLE attachments_new RENAME TO attachments;"
	"CREATE INDEX attachments_by_reply ON attachments(reply_id);"
	"CREATE TRIGGER attachments_append_only_u BEFORE UPDATE ON attachments"
	" BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;"
	"CREATE TRIGGER attachments_append_only_d BEFORE DELETE ON attachments"
	" BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;"
	/* Who may sign in (include/ballot/auth.h). Secrets are kept only as
	 * "pbkdf2-sha256$ITER$SALT$HASH"; a code or certificate changes only
	 * by being revoked once (revoked_seq: the event that did it). */
	"CREATE TABLE reply_codes(id INTEGER PRIMARY KEY,"
	" consultation_id INTEGER NOT NULL REFERENCES consultations(id),"
	" member TEXT NOT NULL REFERENCES members(code),"
	" hash TEXT NOT NULL CHECK(hash LIKE 'pbkdf2-sha256$%'),"
	" issued_at INTEGER NOT NULL, revoked_at INTEGER,"
	" event_seq INTEGER NOT NULL, revoked_seq INTEGER,"
	" CHECK((revoked_at IS NULL) = (revoked_seq IS NULL))) STRICT;"
	"CREATE UNIQUE INDEX reply_codes_in_force ON reply_codes(consultation_id, member)"
	" WHERE revoked_at IS NULL;"
	"CREATE INDEX reply_codes_by_member ON reply_codes(member, consultation_id);"
	"CREATE INDEX reply_codes_by_event ON reply_codes(event_seq);"
	"CREATE INDEX reply_codes_by_revocation ON reply_codes(revoked_seq);"
	"CREATE TABLE users(id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE CHECK(length(name) BETWEEN 1 AND 64),"
	" role TEXT NOT NULL CHECK(role IN ('secretariat','chair')),"
	" grp INTEGER CHECK((role = 'chair') = (grp IS NOT NULL)),"
	" password TEXT CHECK(password IS NULL OR password LIKE 'pbkdf2-sha256$%'),"
	" created_at INTEGER NOT NULL, disabled_at INTEGER,"
	" event_seq INTEGER NOT NULL UNIQUE) STRICT;"
	"CREATE TABLE client_certs(id INTEGER PRIMARY KEY,"
	" fingerprint TEXT NOT NULL UNIQUE CHECK(length(fingerprint) = 64),"
	" member TEXT REFERENCES members(code), user_name TEXT REFERENCES users(name),"
	" not_after INTEGER NOT NULL, registered_at INTEGER NOT NULL, revoked_at INTEGER,"
	" event_seq INTEGER NOT NULL UNIQUE, revoked_seq INTEGER UNIQUE,"
	" CHECK((member IS NULL) <> (user_name IS NULL)),"
	" CHECK((revoked_at IS NULL) = (revoked_seq IS NULL))) STRICT;"
	"CREATE TRIGGER reply_codes_revoke_only BEFORE UPDATE ON reply_codes"
	" WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL"
	" OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.member IS NOT OLD.member"
	" OR NEW.hash IS NOT OLD.hash OR NEW.issued_at IS NOT OLD.issued_at"
	" OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'a reply code changes only by being revoked'); END;"
	"CREATE TRIGGER reply_codes_append_only_d BEFORE DELETE ON reply_codes"
	" BEGIN SELECT RAISE(ABORT, 'reply codes are append-only'); END;"
	"CREATE TRIGGER client_certs_revoke_only BEFORE UPDATE ON client_certs"
	" WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL"
	" OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.member IS NOT OLD.member"
	" OR NEW.user_name IS NOT OLD.user_name OR NEW.not_after IS NOT OLD.not_after"
	" OR NEW.registered_at IS NOT OLD.registered_at OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'a client certificate changes only by being revoked'); END;"
	"CREATE TRIGGER client_certs_append_only_d BEFORE DELETE ON client_certs"
	" BEGIN SELECT RAISE(ABORT, 'client certificates are append-only'); END;"
	"CREATE TRIGGER users_disable_only BEFORE UPDATE ON users"
	" WHEN OLD.disabled_at IS NOT NULL OR NEW.disabled_at IS NULL"
	" OR NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role OR NEW.grp IS NOT OLD.grp"
	" OR NEW.password IS NOT OLD.password OR NEW.created_at IS NOT OLD.created_at"
	" OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'an account changes only by being disabled'); END;"
	"CREATE TRIGGER users_append_only_d BEFORE DELETE ON users"
	" BEGIN SELECT RAISE(ABORT, 'accounts are append-only'); END;",
	/* 2 -> 3: accounts are disabled, enabled and given a new password by
	 * recorded changes (account_changes, each with its event; never the
	 * password or its hash). users keeps the state in force: disabled_at
	 * may still be set by hand (an emergency stop, which only takes rights
	 * away), but it is cleared, and a password replaced, only while this
	 * very change is being recorded: the newest account_changes row is it
	 * and its event is not written yet. A certificate-only account never
	 * gets a password, nor loses one. */
	"CREATE TABLE account_changes(id INTEGER PRIMARY KEY,"
	" user_name TEXT NOT NULL REFERENCES users(name),"
	" change TEXT NOT NULL CHECK(change IN ('disable','enable','password')),"
	" at INTEGER NOT NULL, event_seq INTEGER NOT NULL UNIQUE) STRICT;"
	"CREATE INDEX account_changes_by_user ON account_changes(user_name, change, event_seq);"
	"CREATE TRIGGER account_changes_append_only_u BEFORE UPDATE ON account_changes"
	" BEGIN SELECT RAISE(ABORT, 'account changes are append-only'); END;"
	"CREATE TRIGGER account_changes_append_only_d BEFORE DELETE ON account_changes"
	" BEGIN SELECT RAISE(ABORT, 'account changes are append-only'); END;"
	"DROP TRIGGER users_disable_only;"
	"CREATE TRIGGER users_change_recorded BEFORE UPDATE ON users"
	" WHEN NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role OR NEW.grp IS NOT OLD.grp"
	" OR NEW.created_at IS NOT OLD.created_at OR NEW.event_seq IS NOT OLD.event_seq"
	" OR (NEW.password IS NOT OLD.password AND (OLD.password IS NULL OR NEW.password IS NULL"
	"  OR NOT EXISTS(SELECT 1 FROM account_changes a"
	"   WHERE a.id = (SELECT max(id) FROM account_changes) AND a.user_name = OLD.name"
	"   AND a.change = 'password' AND NOT EXISTS(SELECT 1 FROM events v WHERE v.seq = a.event_seq))))"
	" OR (NEW.disabled_at IS NOT OLD.disabled_at AND OLD.disabled_at IS NOT NULL"
	"  AND (NEW.disabled_at IS NOT NULL OR NOT EXISTS(SELECT 1 FROM account_changes a"
	"   WHERE a.id = (SELECT max(id) FROM account_changes) AND a.user_name = OLD.name"
	"   AND a.change = 'enable' AND NOT EXISTS(SELECT 1 FROM events v WHERE v.seq = a.event_seq))))"
	" BEGIN SELECT RAISE(ABORT, 'an account changes only by being disabled, or by an enable or"
	" a new password recorded in the log'); END;",
	/* 3 -> 4: ITU's closed days (§9.4.1) and deadlines moved only by an
	 * event. Self-contained (renumber freely): the default calendar is
	 * installed by db.c after the migrations, once, for a database that
	 * never had a calendar event. A closed day changes only by being
	 * removed once. */
	"CREATE TABLE closed_days(id INTEGER PRIMARY KEY, day INTEGER NOT NULL,"
	" name TEXT NOT NULL CHECK(name <> ''), source TEXT NOT NULL,"
	" added_at INTEGER NOT NULL, event_seq INTEGER NOT NULL,"
	" removed_at INTEGER, removed_seq INTEGER,"
	" CHECK((removed_at IS NULL) = (removed_seq IS NULL))) STRICT;"
	"CREATE UNIQUE INDEX closed_days_in_force ON closed_days(day) WHERE removed_seq IS NULL;"
	"CREATE INDEX closed_days_by_event ON closed_days(event_seq);"
	"CREATE INDEX closed_days_by_removal ON closed_days(removed_seq);"
	"CREATE TRIGGER closed_days_remove_only BEFORE UPDATE ON closed_days"
	" WHEN OLD.removed_at IS NOT NULL OR NEW.removed_at IS NULL"
	" OR NEW.day IS NOT OLD.day OR NEW.name IS NOT OLD.name OR NEW.source IS NOT OLD.source"
	" OR NEW.added_at IS NOT OLD.added_at OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'a closed day changes only by being removed'); END;"
	"CREATE TRIGGER closed_days_append_only_d BEFORE DELETE ON closed_days"
	" BEGIN SELECT RAISE(ABORT, 'closed days are append-only'); END;"
	/* What create computed the deadline with: the closed days it skipped
	 * ("date\tname\n" lines; NULL before the calendar) and the reason an
	 * explicit deadline was forced (NULL when not). */
	"ALTER TABLE consultations ADD COLUMN skipped TEXT;"
	"ALTER TABLE consultations ADD COLUMN forced_reason TEXT;"
	"ALTER TABLE consultations ADD COLUMN default_deadline INTEGER;"
	"ALTER TABLE drafts ADD COLUMN texts_available INTEGER;"
	/* consultation set-deadline: each move is a row and an event; the
	 * consultation's deadline may change only to the last move's. */
	"CREATE TABLE deadline_changes(id INTEGER PRIMARY KEY,"
	" consultation_id INTEGER NOT NULL REFERENCES consultations(id),"
	" old_deadline INTEGER NOT NULL, deadline INTEGER NOT NULL,"
	" reason TEXT NOT NULL CHECK(reason <> ''), changed_at INTEGER NOT NULL,"
	" recorded_by TEXT NOT NULL, event_seq INTEGER NOT NULL UNIQUE) STRICT;"
	"CREATE INDEX deadline_changes_by_consultation ON deadline_changes(consultation_id, id);"
	"CREATE TRIGGER deadline_changes_append_only_u BEFORE UPDATE ON deadline_changes"
	" BEGIN SELECT RAISE(ABORT, 'deadline changes are append-only'); END;"
	"CREATE TRIGGER deadline_changes_append_only_d BEFORE DELETE ON deadline_changes"
	" BEGIN SELECT RAISE(ABORT, 'deadline changes are append-only'); END;"
	"DROP TRIGGER consultations_close_only;"
	"CREATE TRIGGER consultations_close_only BEFORE UPDATE ON consultations"
	" WHEN OLD.closed_at IS NOT NULL"
	" OR NEW.circular IS NOT OLD.circular OR NEW.grp IS NOT OLD.grp OR NEW.rule IS NOT OLD.rule"
	" OR NEW.date IS NOT OLD.date OR NEW.meeting_start IS NOT OLD.meeting_start"
	" OR NEW.meeting_end IS NOT OLD.meeting_end OR NEW.event_seq IS NOT OLD.event_seq"
	" OR NEW.skipped IS NOT OLD.skipped OR NEW.forced_reason IS NOT OLD.forced_reason"
	" OR NEW.default_deadline IS NOT OLD.default_deadline"
	" OR (NEW.closed_at IS NOT NULL AND NEW.deadline IS NOT OLD.deadline)"
	" OR (NEW.closed_at IS NULL AND NEW.deadline IS NOT (SELECT x.deadline FROM deadline_changes x"
	" WHERE x.consultation_id = OLD.id ORDER BY x.id DESC LIMIT 1))"
	" BEGIN SELECT RAISE(ABORT, 'a consultation changes only by closing or by a recorded deadline change'); END;",
	/* 4 -> 5: members are part of the record. Each addition, rename and
	 * recode (and, once, the list a database had before this step: a
	 * 'baseline' installed by db.c after the migrations, as an event of
	 * its own) is a member_changes row written with its event; the
	 * former names of member_names are tied to the event that replaced
	 * them (event_seq, set once for the rows older than this step).
	 * Self-contained (renumber freely). */
	"CREATE TABLE member_changes(id INTEGER PRIMARY KEY,"
	" change TEXT NOT NULL CHECK(change IN ('baseline','add','rename','recode')),"
	" code TEXT NOT NULL CHECK(length(code) = 3), alpha2 TEXT NOT NULL CHECK(length(alpha2) = 2),"
	" name TEXT NOT NULL CHECK(name <> ''), since INTEGER,"
	" was_code TEXT, was_alpha2 TEXT, was_name TEXT,"
	" at INTEGER NOT NULL, source TEXT NOT NULL, event_seq INTEGER NOT NULL) STRICT;"
	"CREATE INDEX member_changes_by_event ON member_changes(event_seq, id);"
	"CREATE INDEX member_changes_by_code ON member_changes(code, id);"
	"CREATE TRIGGER member_changes_append_only_u BEFORE UPDATE ON member_changes"
	" BEGIN SELECT RAISE(ABORT, 'member changes are append-only'); END;"
	"CREATE TRIGGER member_changes_append_only_d BEFORE DELETE ON member_changes"
	" BEGIN SELECT RAISE(ABORT, 'member changes are append-only'); END;"
	"ALTER TABLE member_names ADD COLUMN event_seq INTEGER;"
	"CREATE INDEX member_names_by_event ON member_names(event_seq, id);"
	"CREATE TRIGGER member_names_recorded_u BEFORE UPDATE ON member_names"
	" WHEN OLD.event_seq IS NOT NULL OR NEW.code IS NOT OLD.code OR NEW.name IS NOT OLD.name"
	" OR NEW.replaced_at IS NOT OLD.replaced_at OR NEW.source IS NOT OLD.source"
	" BEGIN SELECT RAISE(ABORT, 'former member names are append-only'); END;"
	"CREATE TRIGGER member_names_append_only_d BEFORE DELETE ON member_names"
	" BEGIN SELECT RAISE(ABORT, 'former member names are append-only'); END;"
	"CREATE TRIGGER members_never_removed BEFORE DELETE ON members"
	" BEGIN SELECT RAISE(ABORT, 'a member is never removed'); END;",
	/* 5 -> 6: every stored secret hash (users.password, reply_codes.hash)
	 * is pinned by the SHA-256 digest of the hash string in the event that
	 * stored it; for the hashes stored before, db.c records one
	 * hash-baseline event (once, when there is any). The index finds it. */
	"CREATE INDEX events_by_kind ON events(kind, seq);",
	/* 6 -> 7: API tokens of staff accounts (token.c): only the SHA-256
	 * of the token is kept; a token changes only by being revoked once.
	 * Self-contained (renumber freely). */
	"CREATE TABLE api_tokens(id INTEGER PRIMARY KEY,"
	" user_name TEXT NOT NULL REFERENCES users(name),"
	" scope TEXT NOT NULL CHECK(scope IN ('read', 'write')),"
	" hash TEXT NOT NULL UNIQUE CHECK(length(hash) = 64),"
	" created_at INTEGER NOT NULL, expires_at INTEGER, event_seq INTEGER NOT NULL UNIQUE,"
	" revoked_at INTEGER, revoked_seq INTEGER,"
	" CHECK((revoked_at IS NULL) = (revoked_seq IS NULL))) STRICT;"
	"CREATE INDEX api_tokens_by_revocation ON api_tokens(revoked_seq);"
	"CREATE TRIGGER api_tokens_revoke_only BEFORE UPDATE ON api_tokens"
	" WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL"
	" OR NEW.user_name IS NOT OLD.user_name OR NEW.scope IS NOT OLD.scope OR NEW.hash IS NOT OLD.hash"
	" OR NEW.created_at IS NOT OLD.created_at OR NEW.expires_at IS NOT OLD.expires_at"
	" OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'an API token changes only by being revoked'); END;"
	"CREATE TRIGGER api_tokens_append_only_d BEFORE DELETE ON api_tokens"
	" BEGIN SELECT RAISE(ABORT, 'API tokens are append-only'); END;",
	/* the draft's text itself (draft add --text), beside the
	 * SHA-256 the draft row keeps: one row per draft, never changed; read
	 * back only after its hash matches. Self-contained (renumber freely). */
	"CREATE TABLE draft_texts(draft_id INTEGER PRIMARY KEY REFERENCES drafts(id),"
	" content BLOB NOT NULL) STRICT;"
	"CREATE TRIGGER draft_texts_append_only_u BEFORE UPDATE ON draft_texts"
	" BEGIN SELECT RAISE(ABORT, 'draft texts are append-only'); END;"
	"CREATE TRIGGER draft_texts_append_only_d BEFORE DELETE ON draft_texts"
	" BEGIN SELECT RAISE(ABORT, 'draft texts are append-only'); END;",
	/* the Idempotency-Key of an API request that recorded a
	 * reply (reply_once.c), written in the reply's own transaction: the
	 * SHA-256 of the key, the token that sent it, the SHA-256 of the
	 * request's body and the reply's event. Self-contained (renumber
	 * freely). */
	"CREATE TABLE api_idempotency(id INTEGER PRIMARY KEY,"
	" token_id INTEGER NOT NULL REFERENCES api_tokens(id),"
	" key_hash TEXT NOT NULL CHECK(length(key_hash) = 64),"
	" body_sha256 TEXT NOT NULL CHECK(length(body_sha256) = 64),"
	" event_seq INTEGER NOT NULL UNIQUE, created_at INTEGER NOT NULL,"
	" UNIQUE(token_id, key_hash)) STRICT;"
	"CREATE TRIGGER api_idempotency_append_only_u BEFORE UPDATE ON api_idempotency"
	" BEGIN SELECT RAISE(ABORT, 'idempotency keys are append-only'); END;"
	"CREATE TRIGGER api_idempotency_append_only_d BEFORE DELETE ON api_idempotency"
	" BEGIN SELECT RAISE(ABORT, 'idempotency keys are append-only'); END;",
	/* N -> N+1: the mailroom (issue 18). contacts: each Member State's
	 * addresses for ITU-T consultations, added and removed by events
	 * (contact.c); a contact changes only by being removed once (a change
	 * of role, language or name removes the row and adds a new one in
	 * the same event). outbox: every message recorded before it is sent
	 * (outbox.c); operational state, not part of the record (no event).
	 * Self-contained (renumber freely). */
	"CREATE TABLE contacts(id INTEGER PRIMARY KEY,"
	" member TEXT NOT NULL REFERENCES members(code),"
	" role TEXT NOT NULL CHECK(role IN ('to', 'cc')),"
	" address TEXT NOT NULL CHECK(address <> ''),"
	" lang TEXT NOT NULL CHECK(lang IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),"
	" name TEXT NOT NULL, added_at INTEGER NOT NULL, event_seq INTEGER NOT NULL,"
	" removed_at INTEGER, removed_seq INTEGER,"
	" CHECK((removed_at IS NULL) = (removed_seq IS NULL))) STRICT;"
	"CREATE UNIQUE INDEX contacts_in_force ON contacts(member, address COLLATE NOCASE)"
	" WHERE removed_seq IS NULL;"
	"CREATE INDEX contacts_by_event ON contacts(event_seq);"
	"CREATE INDEX contacts_by_removal ON contacts(removed_seq);"
	"CREATE TRIGGER contacts_remove_only BEFORE UPDATE ON contacts"
	" WHEN OLD.removed_at IS NOT NULL OR NEW.removed_at IS NULL"
	" OR NEW.member IS NOT OLD.member OR NEW.role IS NOT OLD.role OR NEW.address IS NOT OLD.address"
	" OR NEW.lang IS NOT OLD.lang OR NEW.name IS NOT OLD.name"
	" OR NEW.added_at IS NOT OLD.added_at OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'a contact changes only by being removed'); END;"
	"CREATE TRIGGER contacts_append_only_d BEFORE DELETE ON contacts"
	" BEGIN SELECT RAISE(ABORT, 'contacts are append-only'); END;"
	"CREATE TABLE outbox(id INTEGER PRIMARY KEY, circular TEXT NOT NULL,"
	" member TEXT NOT NULL REFERENCES members(code),"
	" what TEXT NOT NULL CHECK(what IN ('circular', 'codes', 'reminder', 'receipt')),"
	" round TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE,"
	" sha256 TEXT NOT NULL CHECK(length(sha256) = 64), size INTEGER NOT NULL,"
	" message BLOB, sender TEXT NOT NULL, recipients TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN ('queued', 'sent', 'failed')),"
	" attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, answer TEXT,"
	" queued_at INTEGER NOT NULL, sent_at INTEGER,"
	" UNIQUE(circular, what, member, round)) STRICT;"
	"CREATE INDEX outbox_due ON outbox(state, next_at, id);"
	/* mail schedule: the days before a consultation's deadline on which
	 * `mail run` sends its reminders */
	"CREATE TABLE mail_schedule(circular TEXT NOT NULL, days_before INTEGER NOT NULL"
	" CHECK(days_before BETWEEN 0 AND 365), set_at INTEGER NOT NULL,"
	" PRIMARY KEY(circular, days_before)) STRICT;",
	/* a draft's title and summary in the other official languages
	 * (draft_titles.c): a row per language an event gave, at `draft add`
	 * (the draft's own event) or later (a draft-titles event); a NULL
	 * field is one the event left as it was. The latest value stands.
	 * Self-contained (renumber freely). */
	"CREATE TABLE draft_titles(id INTEGER PRIMARY KEY,"
	" draft_id INTEGER NOT NULL REFERENCES drafts(id),"
	" lang TEXT NOT NULL CHECK(lang IN ('fr','es','ru','zh','ar')),"
	" title TEXT, summary TEXT, event_seq INTEGER NOT NULL,"
	" CHECK(title IS NOT NULL OR summary IS NOT NULL),"
	" UNIQUE(draft_id, lang, event_seq)) STRICT;"
	"CREATE INDEX draft_titles_by_event ON draft_titles(event_seq, lang);"
	"CREATE TRIGGER draft_titles_append_only_u BEFORE UPDATE ON draft_titles"
	" BEGIN SELECT RAISE(ABORT, 'draft titles are append-only'); END;"
	"CREATE TRIGGER draft_titles_append_only_d BEFORE DELETE ON draft_titles"
	" BEGIN SELECT RAISE(ABORT, 'draft titles are append-only'); END;",
	/* the mailroom's inbox (issue 18, receiving): each message fetched
	 * (`mail fetch`), with its bytes (up to the size cap) and its
	 * attachments, and what became of it. Self-contained (renumber
	 * freely). */
	"CREATE TABLE inbox(id INTEGER PRIMARY KEY, message_id TEXT NOT NULL,"
	" sha256 TEXT NOT NULL UNIQUE CHECK(length(sha256) = 64), size INTEGER NOT NULL,"
	" source TEXT NOT NULL, received_at INTEGER NOT NULL, received_by TEXT NOT NULL,"
	" sender TEXT NOT NULL, subject TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN ('matched', 'unmatched', 'refused', 'accepted', 'rejected')),"
	" reason TEXT NOT NULL, circular TEXT NOT NULL, member TEXT NOT NULL, reference TEXT NOT NULL,"
	" choices TEXT NOT NULL, form TEXT NOT NULL, message BLOB NOT NULL, kept INTEGER NOT NULL,"
	" fetched_at INTEGER NOT NULL, done_seq INTEGER, done_at INTEGER, done_reason TEXT) STRICT;"
	"CREATE INDEX inbox_by_message_id ON inbox(message_id);"
	"CREATE TABLE inbox_parts(id INTEGER PRIMARY KEY, inbox_id INTEGER NOT NULL REFERENCES inbox(id),"
	" name TEXT NOT NULL, type TEXT NOT NULL, sha256 TEXT NOT NULL CHECK(length(sha256) = 64),"
	" size INTEGER NOT NULL, content BLOB NOT NULL) STRICT;"
	"CREATE INDEX inbox_parts_by_entry ON inbox_parts(inbox_id);"
	"CREATE TRIGGER inbox_parts_append_only_u BEFORE UPDATE ON inbox_parts"
	" BEGIN SELECT RAISE(ABORT, 'inbox attachments are append-only'); END;"
	"CREATE TRIGGER inbox_parts_append_only_d BEFORE DELETE ON inbox_parts"
	" BEGIN SELECT RAISE(ABORT, 'inbox attachments are append-only'); END;"
	"CREATE TRIGGER inbox_keep BEFORE DELETE ON inbox"
	" BEGIN SELECT RAISE(ABORT, 'inbox entries are never deleted'); END;",
	/* the certificates an administration signs its returned
	 * forms with (certs add --signing; signcert.c), CA or end-entity, kept
	 * whole (DER) as trust anchors; they change only by being revoked.
	 * Each reply read from a signed PDF keeps its signer: the subject, the
	 * SHA-256 of the certificate and whether it chained to one of these.
	 * Self-contained (renumber freely). */
	"CREATE TABLE signing_certs(id INTEGER PRIMARY KEY,"
	" sha256 TEXT NOT NULL UNIQUE CHECK(length(sha256) = 64),"
	" member TEXT NOT NULL REFERENCES members(code), subject TEXT NOT NULL,"
	" is_ca INTEGER NOT NULL CHECK(is_ca IN (0, 1)), not_before INTEGER NOT NULL,"
	" not_after INTEGER NOT NULL, der BLOB NOT NULL, registered_at INTEGER NOT NULL,"
	" event_seq INTEGER NOT NULL, revoked_at INTEGER, revoked_seq INTEGER,"
	" CHECK((revoked_at IS NULL) = (revoked_seq IS NULL))) STRICT;"
	"CREATE TRIGGER signing_certs_revoke_only BEFORE UPDATE ON signing_certs"
	" WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL"
	" OR NEW.sha256 IS NOT OLD.sha256 OR NEW.member IS NOT OLD.member"
	" OR NEW.subject IS NOT OLD.subject OR NEW.is_ca IS NOT OLD.is_ca"
	" OR NEW.not_before IS NOT OLD.not_before OR NEW.not_after IS NOT OLD.not_after"
	" OR NEW.der IS NOT OLD.der OR NEW.registered_at IS NOT OLD.registered_at"
	" OR NEW.event_seq IS NOT OLD.event_seq"
	" BEGIN SELECT RAISE(ABORT, 'a signing certificate changes only by being revoked'); END;"
	"CREATE TRIGGER signing_certs_append_only_d BEFORE DELETE ON signing_certs"
	" BEGIN SELECT RAISE(ABORT, 'signing certificates are append-only'); END;"
	"ALTER TABLE replies ADD COLUMN signer_subject TEXT;"
	"ALTER TABLE replies ADD COLUMN signer_sha256 TEXT;"
	"ALTER TABLE replies ADD COLUMN signer_verified INTEGER;",
	/* a draft's replies as counted (SQL_REPLIES_OF_DRAFT: tally, status)
	 * read from the index alone: the choice and recorded time join its
	 * columns, so no reply row is looked up (100 000 replies: a tally
	 * 120 -> 29 ms). The same name and leading columns as before.
	 * Self-contained (renumber freely). */
	"DROP INDEX replies_by_member;"
	"CREATE INDEX replies_by_member ON replies(draft_id, member, received, id, choice, recorded_at);",
	/* the inbox's state 'uncertain' (issue 18): a matched entry read from a
	 * scan with a draft it could not read (accepted with --choice for it);
	 * the reason no longer carries it. SQLite changes a CHECK only by
	 * rebuilding the table: inbox renamed (inbox_parts' reference follows
	 * it), the new one filled, inbox_parts rebuilt to refer to it, the old
	 * ones dropped (their triggers first, so none fires), indexes and
	 * triggers made again; every id kept. Self-contained (renumber
	 * freely). */
	"ALTER TABLE inbox RENAME TO inbox_old;"
	"CREATE TABLE inbox(id INTEGER PRIMARY KEY, message_id TEXT NOT NULL,"
	" sha256 TEXT NOT NULL UNIQUE CHECK(length(sha256) = 64), size INTEGER NOT NULL,"
	" source TEXT NOT NULL, received_at INTEGER NOT NULL, received_by TEXT NOT NULL,"
	" sender TEXT NOT NULL, subject TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN ('matched', 'uncertain', 'unmatched', 'refused', 'accepted',"
	" 'rejected')),"
	" reason TEXT NOT NULL, circular TEXT NOT NULL, member TEXT NOT NULL, reference TEXT NOT NULL,"
	" choices TEXT NOT NULL, form TEXT NOT NULL, message BLOB NOT NULL, kept INTEGER NOT NULL,"
	" fetched_at INTEGER NOT NULL, done_seq INTEGER, done_at INTEGER, done_reason TEXT) STRICT;"
	"INSERT INTO inbox SELECT id, message_id, sha256, size, source, received_at, received_by, sender, subject,"
	" CASE WHEN state = 'matched' AND reason LIKE 'uncertain: %' THEN 'uncertain' ELSE state END,"
	" CASE WHEN state = 'matched' AND reason LIKE 'uncertain: %' THEN substr(reason, 12) ELSE reason END,"
	" circular, member, reference, choices, form, message, kept, fetched_at, done_seq, done_at, done_reason"
	" FROM inbox_old;"
	"ALTER TABLE inbox_parts RENAME TO inbox_parts_old;"
	"CREATE TABLE inbox_parts(id INTEGER PRIMARY KEY, inbox_id INTEGER NOT NULL REFERENCES inbox(id),"
	" name TEXT NOT NULL, type TEXT NOT NULL, sha256 TEXT NOT NULL CHECK(length(sha256) = 64),"
	" size INTEGER NOT NULL, content BLOB NOT NULL) STRICT;"
	"INSERT INTO inbox_parts SELECT id, inbox_id, name, type, sha256, size, content FROM inbox_parts_old;"
	"DROP TABLE inbox_parts_old;"
	"DROP TABLE inbox_old;"
	"CREATE INDEX inbox_by_message_id ON inbox(message_id);"
	"CREATE INDEX inbox_parts_by_entry ON inbox_parts(inbox_id);"
	"CREATE TRIGGER inbox_parts_append_only_u BEFORE UPDATE ON inbox_parts"
	" BEGIN SELECT RAISE(ABORT, 'inbox attachments are append-only'); END;"
	"CREATE TRIGGER inbox_parts_append_only_d BEFORE DELETE ON inbox_parts"
	" BEGIN SELECT RAISE(ABORT, 'inbox attachments are append-only'); END;"
	"CREATE TRIGGER inbox_keep BEFORE DELETE ON inbox"
	" BEGIN SELECT RAISE(ABORT, 'inbox entries are never deleted'); END;",
};
const int SQL_SCHEMA_VERSION = sizeof SQL_MIGRATIONS / sizeof SQL_MIGRATIONS[0];

/* settings */
const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
const char SQL_SETTING_PUT[] =
	"INSERT INTO settings(key, value) VALUES(?1, ?2)"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value";
const char SQL_SETTINGS_ALL[] = "SELECT key, value FROM settings ORDER BY key";

/* members */
const char SQL_MEMBER_GET[] =
	"SELECT code, alpha2, name, since FROM members WHERE code = ?1 OR alpha2 = ?1";
const char SQL_MEMBER_INSERT[] =
	"INSERT INTO members(code, alpha2, name, since) VALUES(?1, ?2, ?3, ?4)";
const char SQL_MEMBER_UPDATE[] =
	"UPDATE members SET alpha2 = ?2, name = ?3, since = ?4 WHERE code = ?1";
const char SQL_MEMBER_NAME_KEEP[] =
	"INSERT INTO member_names(code, name, replaced_at, source, event_seq) VALUES(?1, ?2, ?3, ?4, ?5)";
const char SQL_MEMBER_BY_NAME[] = "SELECT code, alpha2 FROM members WHERE name = ?1";
const char SQL_MEMBER_RECODE[] =
	"UPDATE members SET code = ?2, alpha2 = ?3, name = ?4, since = ?5 WHERE code = ?1";
/* rows that name a member by its alpha-3 code: a recode of one is refused */
const char SQL_MEMBER_REFERENCED[] =
	"SELECT (SELECT count(*) FROM electorate WHERE member = ?1)"
	" + (SELECT count(*) FROM replies WHERE member = ?1)"
	" + (SELECT count(*) FROM reply_codes WHERE member = ?1)"
	" + (SELECT count(*) FROM client_certs WHERE member = ?1)"
	" + (SELECT count(*) FROM member_names WHERE code = ?1)"
	" + (SELECT count(*) FROM signing_certs WHERE member = ?1)"
	" + (SELECT count(*) FROM contacts WHERE member = ?1)"
	" + (SELECT count(*) FROM outbox WHERE member = ?1)"
	" + (SELECT count(*) FROM inbox WHERE member = ?1)";
const char SQL_MEMBER_CHANGE_INSERT[] =
	"INSERT INTO member_changes(change, code, alpha2, name, since, was_code, was_alpha2, was_name,"
	" at, source, event_seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const char SQL_MEMBER_BASELINE[] =
	"INSERT INTO member_changes(change, code, alpha2, name, since, at, source, event_seq)"
	" SELECT 'baseline', code, alpha2, name, since, ?1, ?2, ?3 FROM members ORDER BY code";
const char SQL_MEMBER_NAMES_ADOPT[] =
	"UPDATE member_names SET event_seq = ?1 WHERE event_seq IS NULL";
const char SQL_MEMBER_CHANGES_COUNT[] = "SELECT count(*) FROM member_changes";
const char SQL_MEMBER_CHANGES_BY_EVENT[] =
	"SELECT change, code, alpha2, name, since, was_code, was_alpha2, was_name, at, source"
	" FROM member_changes WHERE event_seq = ?1 ORDER BY id";
const char SQL_MEMBER_NAMES_BY_EVENT[] =
	"SELECT code, name, replaced_at, source FROM member_names WHERE event_seq = ?1 ORDER BY id";
/* the names in force at a time (?1): a name replaced after it is the one */
const char SQL_MEMBERS_NAMED_AT[] =
	"SELECT m.code, m.alpha2, coalesce((SELECT n.name FROM member_names n WHERE n.code = m.code"
	" AND n.replaced_at > ?1 ORDER BY n.replaced_at, n.id LIMIT 1), m.name), m.since"
	" FROM members m ORDER BY m.code";
/* members that differ from their last recorded change (or have none), and
 * recorded members that are gone (not recoded away) */
const char SQL_MEMBERS_ASTRAY[] =
	"SELECT m.code, x.event_seq FROM members m LEFT JOIN member_changes x"
	" ON x.id = (SELECT max(y.id) FROM member_changes y WHERE y.code = m.code)"
	" WHERE x.id IS NULL OR x.alpha2 IS NOT m.alpha2 OR x.name IS NOT m.name OR x.since IS NOT m.since"
	" UNION ALL SELECT x.code, x.event_seq FROM member_changes x"
	" WHERE x.id = (SELECT max(y.id) FROM member_changes y WHERE y.code = x.code)"
	" AND NOT EXISTS(SELECT 1 FROM members m WHERE m.code = x.code)"
	" AND NOT EXISTS(SELECT 1 FROM member_changes r WHERE r.was_code = x.code"
	" AND r.code <> x.code AND r.id > x.id)"
	" UNION ALL SELECT n.code, NULL FROM member_names n WHERE n.event_seq IS NULL";
const char SQL_MEMBER_ROWS_WITH_EVENTS[] =
	"SELECT 'init members-import members-baseline', event_seq FROM member_changes"
	" UNION ALL SELECT 'init members-import members-baseline', event_seq FROM member_names"
	" WHERE event_seq IS NOT NULL";
const char SQL_MEMBERS_AS_OF[] =
	"SELECT code, alpha2, name, since FROM members"
	" WHERE ?1 IS NULL OR since IS NULL OR since <= ?1 ORDER BY code";
const char SQL_MEMBERS_COUNT[] = "SELECT count(*) FROM members";

/* consultations */
const char SQL_CONSULTATION_GET[] =
	"SELECT c.id, c.circular, c.grp, c.rule, c.date, c.meeting_start,"
	" c.meeting_end, c.deadline, c.closed_at, c.custom_electorate,"
	" (SELECT count(*) FROM electorate e WHERE e.consultation_id = c.id),"
	" (SELECT count(*) FROM drafts d WHERE d.consultation_id = c.id)"
	" FROM consultations c WHERE c.circular = ?1";
const char SQL_CONSULTATION_INSERT[] =
	"INSERT INTO consultations(circular, grp, rule, rule_edition, date,"
	" meeting_start, meeting_end, deadline, custom_electorate, created_at, event_seq,"
	" skipped, forced_reason, default_deadline)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
const char SQL_CONSULTATION_CLOSE[] =
	"UPDATE consultations SET closed_at = ?2 WHERE id = ?1";
const char SQL_CONSULTATIONS_LIST[] =
	"SELECT c.id, c.circular, c.grp, c.rule, c.date, c.meeting_start,"
	" c.meeting_end, c.deadline, c.closed_at, c.custom_electorate,"
	" (SELECT count(*) FROM electorate e WHERE e.consultation_id = c.id),"
	" (SELECT count(*) FROM drafts d WHERE d.consultation_id = c.id)"
	" FROM consultations c WHERE ?1 = 0 OR c.grp = ?1 ORDER BY c.deadline, c.circular";
/* a member's consultations: one pass over consultations, each checked by
 * the electorate's primary key (consultation_id, member) */
const char SQL_CONSULTATIONS_OF_MEMBER[] =
	"SELECT c.id, c.circular, c.grp, c.rule, c.date, c.meeting_start,"
	" c.meeting_end, c.deadline, c.closed_at, c.custom_electorate,"
	" (SELECT count(*) FROM electorate e WHERE e.consultation_id = c.id),"
	" (SELECT count(*) FROM drafts d WHERE d.consultation_id = c.id)"
	" FROM consultations c WHERE EXISTS (SELECT 1 FROM electorate m"
	" WHERE m.consultation_id = c.id AND m.member = ?1) ORDER BY c.deadline, c.circular";
const char SQL_ELECTORATE_ADD[] =
	"INSERT OR IGNORE INTO electorate(consultation_id, member) VALUES(?1, ?2)";
const char SQL_ELECTORATE_DEFAULT[] =
	"INSERT INTO electorate(consultation_id, member)"
	" SELECT ?1, code FROM members WHERE since IS NULL OR since <= ?2";
const char SQL_ELECTORATE_LIST[] =
	"SELECT m.code, m.alpha2, m.name, m.since FROM electorate e"
	" JOIN members m ON m.code = e.member WHERE e.consultation_id = ?1"
	" ORDER BY m.code";
const char SQL_ELECTORATE_HAS[] =
	"SELECT 1 FROM electorate WHERE consultation_id = ?1 AND member = ?2";

/* drafts */
const char SQL_DRAFT_INSERT[] =
	"INSERT INTO drafts(consultation_id, rec, title, former, summary, source,"
	" revised, text_sha256, state, event_seq, texts_available)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
#define DRAFT_COLS "id, rec, title, former, summary, source, revised, text_sha256, state, outcome, texts_available"
const char SQL_DRAFTS_OF[] =
	"SELECT " DRAFT_COLS " FROM drafts WHERE consultation_id = ?1 ORDER BY id";
const char SQL_DRAFT_BY_REC[] =
	"SELECT " DRAFT_COLS " FROM drafts WHERE consultation_id = ?1 AND rec = ?2";
/* draft titles (draft_titles.c): a draft's rows in the order recorded;
 * an event's rows with their draft's rec and circular */
const char SQL_DRAFT_TITLES_OF[] =
	"SELECT lang, title, summary FROM draft_titles WHERE draft_id = ?1 ORDER BY event_seq, id";
const char SQL_DRAFT_TITLES_OF_CONSULTATION[] =
	"SELECT t.draft_id, t.lang, t.title, t.summary FROM drafts d JOIN draft_titles t ON t.draft_id = d.id"
	" WHERE d.consultation_id = ?1 ORDER BY t.event_seq, t.id";
const char SQL_DRAFT_TITLES_BY_EVENT[] =
	"SELECT t.lang, t.title, t.summary, d.rec, c.circular, t.draft_id FROM draft_titles t"
	" JOIN drafts d ON d.id = t.draft_id JOIN consultations c ON c.id = d.consultation_id"
	" WHERE t.event_seq = ?1 ORDER BY t.id";
const char SQL_DRAFT_TITLE_INSERT[] =
	"INSERT INTO draft_titles(draft_id, lang, title, summary, event_seq) VALUES (?1, ?2, ?3, ?4, ?5)";
const char SQL_DRAFT_SET_STATE[] =
	"UPDATE drafts SET state = ?2, outcome = coalesce(?3, outcome) WHERE id = ?1";

/* replies */
const char SQL_REPLY_INSERT[] =
	"INSERT INTO replies(draft_id, member, choice, received, channel,"
	" signatory, title, recorded_at, recorded_by, event_seq,"
	" signer_subject, signer_sha256, signer_verified)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
const char SQL_ATTACHMENT_INSERT[] =
	"INSERT INTO attachments(reply_id, role, name, sha256, size, content)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
const char SQL_REPLIES_OF_MEMBER[] =
	"SELECT id, member, choice, received,"
	" EXISTS(SELECT 1 FROM attachments a WHERE a.reply_id = r.id AND a.role <> 'form'),"
	" recorded_at FROM replies r WHERE draft_id = ?1 AND member = ?2 ORDER BY received, id";
const char SQL_REPLIES_OF_DRAFT[] =
	"SELECT id, member, choice, received,"
	" EXISTS(SELECT 1 FROM attachments a WHERE a.reply_id = r.id AND a.role <> 'form'),"
	" recorded_at FROM replies r WHERE draft_id = ?1 ORDER BY member, received, id";
const char SQL_REPLY_ROW[] =
	"SELECT r.id, r.member, d.rec, r.choice, r.received, r.channel,"
	" r.signatory, r.title, r.event_seq, r.recorded_at, r.recorded_by, c.circular,"
	" r.signer_subject, r.signer_sha256, r.signer_verified"
	" FROM replies r JOIN drafts d ON d.id = r.draft_id"
	" JOIN consultations c ON c.id = d.consultation_id WHERE r.id = ?1";
const char SQL_ATTACHMENTS_OF[] =
	"SELECT id, role, name, sha256, size FROM attachments WHERE reply_id = ?1 ORDER BY id";
const char SQL_ATTACHMENT_CONTENT[] =
	"SELECT content, sha256, size FROM attachments WHERE id = ?1";
/* quotas (reply.c): what a member's replies in a consultation (?1, ?2)
 * hold in attachments, superseded ones included; how many it recorded
 * after a time (?3); the ?4-th oldest of those (from 0) */
/* each distinct content (sha256) once per sending (the replies one
 * transaction recorded, at one recorded_at): a form kept with each of its
 * drafts' replies counts once; the same file sent again counts again (it
 * is stored again) */
const char SQL_QUOTA_BYTES[] =
	"SELECT coalesce(sum(size), 0) FROM (SELECT max(a.size) AS size FROM drafts d JOIN replies r"
	" ON r.draft_id = d.id AND r.member = ?2 JOIN attachments a ON a.reply_id = r.id"
	" WHERE d.consultation_id = ?1 GROUP BY r.recorded_at, a.sha256)";
const char SQL_QUOTA_REPLIES[] =
	"SELECT count(*) FROM drafts d JOIN replies r ON r.draft_id = d.id AND r.member = ?2"
	" WHERE d.consultation_id = ?1 AND r.recorded_at > ?3";
const char SQL_QUOTA_NTH[] =
	"SELECT r.recorded_at FROM drafts d JOIN replies r ON r.draft_id = d.id AND r.member = ?2"
	" WHERE d.consultation_id = ?1 AND r.recorded_at > ?3 ORDER BY r.recorded_at LIMIT 1 OFFSET ?4";

/* decisions */
const char SQL_DECISION_INSERT[] =
	"INSERT INTO decisions(draft_id, kind, detail, decided_at, recorded_by, event_seq)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";

/* the draft's last decision: its detail and when it was recorded */
const char SQL_DECISION_LAST[] =
	"SELECT detail, decided_at FROM decisions WHERE draft_id = ?1"
	" ORDER BY event_seq DESC LIMIT 1";
/* the latest decision on a draft (?1) recorded by ?2 (its event's time) */
const char SQL_DECISION_AS_OF[] =
	"SELECT x.kind, x.detail, v.at, x.event_seq FROM decisions x JOIN events v ON v.seq = x.event_seq"
	" WHERE x.draft_id = ?1 AND v.at <= ?2 ORDER BY x.event_seq DESC LIMIT 1";
/* the members a decision (event ?1) names under key ?2 ("$.reservations"...) */
const char SQL_DECISION_MEMBERS[] =
	"SELECT json_extract(j.value, '$.member'), json_extract(j.value, '$.note')"
	" FROM decisions x, json_each('{' || x.detail || '}', ?2) j WHERE x.event_seq = ?1"
	" ORDER BY j.key";
const char SQL_MORE_TIME_ASKED[] =
	"SELECT 1 FROM decisions WHERE draft_id = ?1 AND kind = 'more-time'"
	" AND detail LIKE ?2";

/* status */
const char SQL_STATUS[] =
	"SELECT c.circular, c.grp, d.rec, d.title, d.state, c.deadline, d.outcome,"
	" c.rule, c.meeting_start, c.meeting_end,"
	" c.rule = 'tap' AND coalesce(d.summary, '') = '' FROM drafts d"
	" JOIN consultations c ON c.id = d.consultation_id"
	" WHERE ?1 = 0 OR c.grp = ?1 ORDER BY c.deadline, c.circular, d.id";

/* history */
const char SQL_HISTORY_REPLIES[] =
	"SELECT r.id, r.event_seq, r.member, d.rec, r.choice, r.received,"
	" r.channel, r.signatory, r.title, r.recorded_by, r.recorded_at, d.id,"
	" r.signer_subject, r.signer_sha256, r.signer_verified"
	" FROM replies r JOIN drafts d ON d.id = r.draft_id"
	" WHERE d.consultation_id = ?1 AND (?2 IS NULL OR r.member = ?2)"
	" ORDER BY r.event_seq";
/* One member's: the same rows, by the replies_by_member index. */
const char SQL_HISTORY_REPLIES_OF_MEMBER[] =
	"SELECT r.id, r.event_seq, r.member, d.rec, r.choice, r.received,"
	" r.channel, r.signatory, r.title, r.recorded_by, r.recorded_at, d.id,"
	" r.signer_subject, r.signer_sha256, r.signer_verified"
	" FROM drafts d JOIN replies r ON r.draft_id = d.id AND r.member = ?2"
	" WHERE d.consultation_id = ?1 ORDER BY r.event_seq";
/* A reply's consultation and event, when ?2 recorded it. */
const char SQL_HISTORY_LOCATE[] =
	"SELECT c.circular, r.event_seq FROM replies r JOIN drafts d ON d.id = r.draft_id"
	" JOIN consultations c ON c.id = d.consultation_id WHERE r.id = ?1 AND r.member = ?2";
const char SQL_HISTORY_DECISIONS[] =
	"SELECT x.event_seq, d.rec, x.kind, x.detail, x.decided_at, x.recorded_by,"
	" (SELECT v.at FROM events v WHERE v.seq = x.event_seq)"
	" FROM decisions x JOIN drafts d ON d.id = x.draft_id"
	" WHERE d.consultation_id = ?1 ORDER BY x.event_seq";
const char SQL_HISTORY_CLOSES[] =
	"SELECT seq, at, actor, body, kind,"
	" CASE kind WHEN 'late-entry' THEN json_extract(body, '$.member') END,"
	" CASE kind WHEN 'late-entry' THEN json_extract(body, '$.draft')"
	" WHEN 'draft-titles' THEN json_extract(body, '$.draft') END"
	" FROM events WHERE circular = ?1"
	" AND kind IN ('close', 'deadline', 'late-entry', 'draft-titles') ORDER BY seq";
/* the reasons of on-time replies entered after the deadline (reply.c),
 * recorded by ?2 */
const char SQL_LATE_ENTRIES[] =
	"SELECT json_extract(body, '$.reply'), json_extract(body, '$.reason') FROM events"
	" WHERE circular = ?1 AND kind = 'late-entry' AND at <= ?2 ORDER BY seq";

/* canonical payloads and the audit's cross-checks */
const char SQL_CONSULTATION_ROW[] =
	"SELECT circular, grp, rule, rule_edition, date, meeting_start, meeting_end,"
	" coalesce((SELECT x.old_deadline FROM deadline_changes x WHERE x.consultation_id = c.id"
	" ORDER BY x.id LIMIT 1), deadline), custom_electorate, created_at, event_seq,"
	" skipped, forced_reason, default_deadline FROM consultations c WHERE id = ?1";
const char SQL_ELECTORATE_CODES[] =
	"SELECT member FROM electorate WHERE consultation_id = ?1 ORDER BY member";
const char SQL_DRAFT_ROW[] =
	"SELECT d.rec, d.title, d.former, d.summary, d.source, d.revised, d.text_sha256,"
	" c.circular, d.event_seq, d.texts_available FROM drafts d"
	" JOIN consultations c ON c.id = d.consultation_id WHERE d.id = ?1";
const char SQL_ROW_BY_EVENT[] =
	"SELECT 'consultation', id FROM consultations WHERE event_seq = ?1"
	" UNION ALL SELECT 'draft', id FROM drafts WHERE event_seq = ?1"
	" UNION ALL SELECT 'decision', id FROM decisions WHERE event_seq = ?1"
	" UNION ALL SELECT 'reply', id FROM replies WHERE event_seq = ?1";
const char SQL_ROWS_WITH_EVENTS[] =
	"SELECT 'consultation', event_seq FROM consultations"
	" UNION ALL SELECT 'draft', event_seq FROM drafts"
	" UNION ALL SELECT 'decision', event_seq FROM decisions"
	" UNION ALL SELECT 'reply', event_seq FROM replies"
	" UNION ALL SELECT 'draft draft-titles', event_seq FROM draft_titles";
const char SQL_DECISION_ROW[] =
	"SELECT x.detail, x.decided_at, x.recorded_by, c.circular,"
	" x.kind IS json_extract('{' || x.detail || '}', '$.decision') FROM decisions x"
	" JOIN drafts d ON d.id = x.draft_id JOIN consultations c ON c.id = d.consultation_id"
	" WHERE x.id = ?1";
const char SQL_DRAFT_STATES[] =
	"SELECT d.id, d.rec, d.state, d.outcome, c.circular, c.closed_at, d.event_seq,"
	" (SELECT x.kind FROM decisions x WHERE x.draft_id = d.id ORDER BY x.event_seq DESC LIMIT 1),"
	" (SELECT seq FROM events v WHERE v.kind = 'close' AND v.circular = c.circular),"
	" (SELECT at FROM events v WHERE v.kind = 'close' AND v.circular = c.circular)"
	" FROM drafts d JOIN consultations c ON c.id = d.consultation_id ORDER BY d.id";

/* events */
const char SQL_EVENT_LAST[] = "SELECT seq, hash, at FROM events ORDER BY seq DESC LIMIT 1";
const char SQL_EVENT_HASH_AT[] = "SELECT hash FROM events WHERE seq = ?1";
const char SQL_EVENT_INSERT[] =
	"INSERT INTO events(seq, at, actor, kind, circular, body, prev_hash, hash)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const char SQL_EVENTS_ALL[] =
	"SELECT seq, at, actor, kind, circular, body, prev_hash, hash FROM events ORDER BY seq";
const char SQL_REPLY_BY_EVENT[] = "SELECT id FROM replies WHERE event_seq = ?1";
const char SQL_REPLIES_ALL[] = "SELECT id, event_seq FROM replies ORDER BY id";
const char SQL_EVENT_KIND[] = "SELECT kind FROM events WHERE seq = ?1";
const char SQL_EVENT_GET[] = "SELECT at, body, hash FROM events WHERE seq = ?1";
const char SQL_BUNDLE_EVENTS[] =
	"SELECT seq, body, prev_hash, hash, kind FROM events WHERE circular = ?1"
	" ORDER BY seq";
const char SQL_BUNDLE_ATTACHMENTS[] =
	"SELECT a.sha256, a.content FROM attachments a WHERE a.id IN"
	" (SELECT min(a2.id) FROM attachments a2 JOIN replies r ON r.id = a2.reply_id"
	" JOIN drafts d ON d.id = r.draft_id WHERE d.consultation_id = ?1 GROUP BY a2.sha256)"
	" ORDER BY a.sha256";
const char SQL_EVENT_CIRCULAR_PREV[] =
	"SELECT hash FROM events WHERE circular = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT 1";
const char SQL_EVENT_FOR_RECEIPT[] = "SELECT body, prev_hash, hash, kind FROM events WHERE seq = ?1";
/* draft texts */
const char SQL_DRAFT_TEXT_INSERT[] = "INSERT INTO draft_texts(draft_id, content) VALUES(?1, ?2)";
const char SQL_DRAFT_TEXT_GET[] = "SELECT content FROM draft_texts WHERE draft_id = ?1";
const char SQL_DRAFT_TEXT_SIZE[] = "SELECT length(content) FROM draft_texts WHERE draft_id = ?1";
const char SQL_DRAFT_TEXTS_ALL[] =
	"SELECT d.event_seq, d.text_sha256, t.content FROM draft_texts t"
	" JOIN drafts d ON d.id = t.draft_id ORDER BY t.draft_id";
const char SQL_ATTACHMENTS_ALL[] =
	"SELECT a.id, a.reply_id, r.event_seq, a.sha256, a.size, a.content"
	" FROM attachments a JOIN replies r ON r.id = a.reply_id ORDER BY a.id";

/* reply codes, accounts, client certificates (auth.c) */
const char SQL_CODE_INSERT[] =
	"INSERT INTO reply_codes(consultation_id, member, hash, issued_at, event_seq)"
	" VALUES(?1, ?2, ?3, ?4, ?5)";
const char SQL_CODE_REVOKE[] =
	"UPDATE reply_codes SET revoked_at = ?3, revoked_seq = ?4"
	" WHERE consultation_id = ?1 AND member = ?2 AND revoked_at IS NULL";
const char SQL_CODES_IN_FORCE_OF[] =
	"SELECT member FROM reply_codes WHERE consultation_id = ?1 AND revoked_at IS NULL"
	" AND (?2 IS NULL OR member = ?2) ORDER BY member";
const char SQL_CODES_OF_MEMBER[] =
	"SELECT r.hash, c.circular, r.id FROM reply_codes r JOIN consultations c"
	" ON c.id = r.consultation_id WHERE r.member = ?1 AND r.revoked_at IS NULL"
	" ORDER BY r.id";
const char SQL_CODE_IN_FORCE[] = "SELECT revoked_at IS NULL FROM reply_codes WHERE id = ?1";
const char SQL_CODES_LIST[] =
	"SELECT member, issued_at, revoked_at FROM reply_codes"
	" WHERE consultation_id = ?1 ORDER BY member, id";
const char SQL_USER_INSERT[] =
	"INSERT INTO users(name, role, grp, password, created_at, event_seq)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
/* the account, and what a password sign-in stands on: the event that last
 * set its password or enabled it (the account's own, or its latest
 * user-password or user-enable event), so that a session signed in before a
 * new password, or before a disable that an enable has since undone, ends */
#define USER_PASSWORD_SEQ \
	"coalesce((SELECT max(a.event_seq) FROM account_changes a WHERE a.user_name = u.name" \
	" AND a.change IN ('password', 'enable')), u.event_seq)"
const char SQL_USER_GET[] =
	"SELECT role, grp, password, disabled_at, " USER_PASSWORD_SEQ " FROM users u WHERE name = ?1";
const char SQL_USER_IN_FORCE[] =
	"SELECT disabled_at IS NULL, " USER_PASSWORD_SEQ " FROM users u WHERE name = ?1";
const char SQL_ACCOUNT_CHANGE_INSERT[] =
	"INSERT INTO account_changes(user_name, change, at, event_seq) VALUES(?1, ?2, ?3, ?4)";
/* the events of accounts (?1: one account's, or NULL: all), oldest first;
 * the audit checks each body against its row */
const char SQL_ACCOUNT_EVENTS[] =
	"SELECT seq, at, actor, kind, json_extract(body, '$.name') FROM events"
	" WHERE kind IN ('user-add', 'user-disable', 'user-enable', 'user-password')"
	" AND (?1 IS NULL OR json_extract(body, '$.name') = ?1) ORDER BY seq";
const char SQL_USER_SET_DISABLED[] = "UPDATE users SET disabled_at = ?2 WHERE name = ?1";
const char SQL_USER_SET_PASSWORD[] = "UPDATE users SET password = ?2 WHERE name = ?1";
/* the row behind a user-disable, user-enable or user-password event (?2) */
const char SQL_ACCOUNT_CHANGE_BY_EVENT[] =
	"SELECT user_name, at FROM account_changes WHERE event_seq = ?1 AND 'user-' || change = ?2";
/* each account whose enabling or disabling was recorded, with the last such
 * change: the state in users must follow from it */
const char SQL_ACCOUNT_STATES[] =
	"SELECT u.name, u.disabled_at, a.change, a.at, a.event_seq FROM users u"
	" JOIN account_changes a ON a.id = (SELECT max(x.id) FROM account_changes x"
	" WHERE x.user_name = u.name AND x.change IN ('disable', 'enable')) ORDER BY u.name";
const char SQL_USERS_LIST[] =
	"SELECT name, role, grp, password IS NOT NULL, created_at, disabled_at"
	" FROM users ORDER BY name";
const char SQL_CERT_INSERT[] =
	"INSERT INTO client_certs(fingerprint, member, user_name, not_after, registered_at, event_seq)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
const char SQL_CERT_REVOKE[] =
	"UPDATE client_certs SET revoked_at = ?2, revoked_seq = ?3"
	" WHERE fingerprint = ?1 AND revoked_at IS NULL";
const char SQL_CERT_GET[] =
	"SELECT c.member, c.user_name, c.not_after, c.revoked_at, u.role, u.grp, u.disabled_at"
	" FROM client_certs c LEFT JOIN users u ON u.name = c.user_name WHERE c.fingerprint = ?1";
const char SQL_CERTS_LIST[] =
	"SELECT fingerprint, member, user_name, not_after, registered_at, revoked_at"
	" FROM client_certs ORDER BY id";
/* signing certificates (signcert.c) */
const char SQL_SIGNING_INSERT[] =
	"INSERT INTO signing_certs(sha256, member, subject, is_ca, not_before, not_after, der,"
	" registered_at, event_seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const char SQL_SIGNING_GET[] =
	"SELECT member, revoked_at FROM signing_certs WHERE sha256 = ?1";
const char SQL_SIGNING_REVOKE[] =
	"UPDATE signing_certs SET revoked_at = ?2, revoked_seq = ?3"
	" WHERE sha256 = ?1 AND revoked_at IS NULL";
const char SQL_SIGNING_LIST[] =
	"SELECT sha256, member, subject, is_ca, not_after, registered_at, revoked_at"
	" FROM signing_certs ORDER BY id";
const char SQL_SIGNING_ANCHORS[] =
	"SELECT sha256, der FROM signing_certs WHERE member = ?1 AND revoked_at IS NULL ORDER BY id";
const char SQL_SIGNING_BY_EVENT[] =
	"SELECT sha256, member, subject, is_ca, not_before, not_after, registered_at"
	" FROM signing_certs WHERE event_seq = ?1";
const char SQL_SIGNING_BY_REVOCATION[] =
	"SELECT sha256, revoked_at FROM signing_certs WHERE revoked_seq = ?1";
/* the rows behind the auth events, for their payloads and the audit */
const char SQL_CODES_BY_EVENT[] =
	"SELECT r.member, r.issued_at, c.circular FROM reply_codes r JOIN consultations c"
	" ON c.id = r.consultation_id WHERE r.event_seq = ?1 ORDER BY r.member";
const char SQL_CODES_BY_REVOCATION[] =
	"SELECT r.member, r.revoked_at, c.circular FROM reply_codes r JOIN consultations c"
	" ON c.id = r.consultation_id WHERE r.revoked_seq = ?1 ORDER BY r.member";
const char SQL_USER_BY_EVENT[] =
	"SELECT name, role, grp, password IS NOT NULL, created_at FROM users WHERE event_seq = ?1";
const char SQL_CERT_BY_EVENT[] =
	"SELECT fingerprint, member, user_name, not_after, registered_at FROM client_certs"
	" WHERE event_seq = ?1";
const char SQL_CERT_BY_REVOCATION[] =
	"SELECT fingerprint, revoked_at FROM client_certs WHERE revoked_seq = ?1";
/* the stored hashes, for their digests: those of the codes an event issued
 * (?1), every code and every account password (the hash-baseline) */
const char SQL_CODE_HASHES_BY_EVENT[] =
	"SELECT member, hash FROM reply_codes WHERE event_seq = ?1 ORDER BY member";
const char SQL_USER_HASH_BY_EVENT[] =
	"SELECT password FROM users WHERE event_seq = ?1 OR name = (SELECT a.user_name FROM account_changes a"
	" WHERE a.event_seq = ?1 AND a.change = 'password')";
const char SQL_HASH_BASELINE_COUNT[] = "SELECT count(*) FROM events WHERE kind = 'hash-baseline'";
const char SQL_CODE_HASHES_ALL[] = "SELECT id, hash FROM reply_codes ORDER BY id";
const char SQL_USER_HASHES_ALL[] =
	"SELECT name, password FROM users WHERE password IS NOT NULL ORDER BY name";
/* each code's hash with the digest that pins it: its issuing event's, or
 * the hash-baseline's (NULL when neither recorded one); each event's digests
 * read once (json_each), not once per code */
const char SQL_CODE_HASHES_PINNED[] =
	"SELECT r.id, r.hash, coalesce(d.value, bl.value), r.event_seq FROM reply_codes r"
	" LEFT JOIN (SELECT v.seq AS s, j.key AS k, j.value AS value FROM events v,"
	"  json_each(v.body, '$.hash_digests') j WHERE v.kind = 'codes-issue') d"
	"  ON d.s = r.event_seq AND d.k = r.member"
	" LEFT JOIN (SELECT j.key AS k, j.value AS value FROM events b, json_each(b.body, '$.codes') j"
	"  WHERE b.kind = 'hash-baseline') bl ON bl.k = CAST(r.id AS TEXT)"
	" ORDER BY r.id";
/* each account's password hash with the digest of the latest event that
 * pinned it (user-add, user-password or hash-baseline) and that event */
const char SQL_USER_HASHES_PINNED[] =
	"SELECT u.id, u.name, u.password, p.d, coalesce(p.s, u.event_seq) FROM users u LEFT JOIN ("
	" SELECT v.seq AS s, json_extract(v.body, '$.name') AS n, json_extract(v.body, '$.password_digest') AS d"
	"  FROM events v WHERE v.kind IN ('user-add', 'user-password')"
	" UNION ALL SELECT b.seq, j.key, j.value FROM events b, json_each(b.body, '$.users') j"
	"  WHERE b.kind = 'hash-baseline') p"
	" ON p.n = u.name AND p.d IS NOT NULL"
	" AND p.s = (SELECT max(q.s) FROM ("
	"  SELECT v.seq AS s FROM events v WHERE v.kind IN ('user-add', 'user-password')"
	"   AND json_extract(v.body, '$.name') = u.name AND json_extract(v.body, '$.password_digest') IS NOT NULL"
	"  UNION ALL SELECT b.seq FROM events b WHERE b.kind = 'hash-baseline'"
	"   AND json_extract(b.body, '$.users.\"' || u.name || '\"') IS NOT NULL) q)"
	" ORDER BY u.name";
/* each row must point at an event of one of the kinds listed */
const char SQL_AUTH_ROWS_WITH_EVENTS[] =
	"SELECT 'codes-issue', event_seq FROM reply_codes"
	" UNION ALL SELECT 'codes-issue codes-revoke', revoked_seq FROM reply_codes"
	" WHERE revoked_seq IS NOT NULL"
	" UNION ALL SELECT 'user-add', event_seq FROM users"
	" UNION ALL SELECT 'user-' || change, event_seq FROM account_changes"
	" UNION ALL SELECT 'cert-register', event_seq FROM client_certs"
	" UNION ALL SELECT 'cert-revoke', revoked_seq FROM client_certs"
	" WHERE revoked_seq IS NOT NULL"
	" UNION ALL SELECT 'token-create', event_seq FROM api_tokens"
	" UNION ALL SELECT 'token-revoke', revoked_seq FROM api_tokens"
	" WHERE revoked_seq IS NOT NULL";
/* backup.c: the checks of bt_db_check, and what a file to restore is */
const char SQL_INTEGRITY_CHECK[] = "PRAGMA integrity_check";
const char SQL_FOREIGN_KEY_CHECK[] = "PRAGMA foreign_key_check";
const char SQL_FILE_IDENTITY[] =
	"SELECT (SELECT application_id FROM pragma_application_id()),"
	" (SELECT user_version FROM pragma_user_version())";
/* a backup file is one self-contained file (no -wal beside it) */
const char SQL_JOURNAL_DELETE[] = "PRAGMA journal_mode=DELETE";
const char SQL_SYNCHRONOUS_FULL[] = "PRAGMA synchronous=FULL";

/* the calendar of closed days (calendar.c) */
const char SQL_CLOSED_DAYS_IN_FORCE[] =
	"SELECT day, name, source, event_seq FROM closed_days WHERE removed_seq IS NULL"
	" AND (?1 IS NULL OR day BETWEEN ?1 AND ?2) ORDER BY day";
const char SQL_CLOSED_DAY_GET[] =
	"SELECT id, name FROM closed_days WHERE day = ?1 AND removed_seq IS NULL";
const char SQL_CLOSED_DAY_INSERT[] =
	"INSERT INTO closed_days(day, name, source, added_at, event_seq) VALUES(?1, ?2, ?3, ?4, ?5)";
const char SQL_CLOSED_DAY_REMOVE[] =
	"UPDATE closed_days SET removed_at = ?2, removed_seq = ?3 WHERE id = ?1";
const char SQL_CLOSED_DAYS_BY_EVENT[] =
	"SELECT day, name, source, added_at FROM closed_days WHERE event_seq = ?1 ORDER BY day, id";
const char SQL_CLOSED_DAYS_BY_REMOVAL[] =
	"SELECT day, name, '', removed_at FROM closed_days WHERE removed_seq = ?1 ORDER BY day, id";
const char SQL_CALENDAR_EVENTS_COUNT[] =
	"SELECT count(*) FROM events WHERE kind IN ('calendar-add', 'calendar-import', 'calendar-remove')";
const char SQL_CALENDAR_ROWS_WITH_EVENTS[] =
	"SELECT 'calendar-add calendar-import', event_seq FROM closed_days"
	" UNION ALL SELECT 'calendar-remove', removed_seq FROM closed_days WHERE removed_seq IS NOT NULL"
	" UNION ALL SELECT 'deadline', event_seq FROM deadline_changes";

/* deadlines (consultation.c) */
const char SQL_DEADLINE_CHANGE_INSERT[] =
	"INSERT INTO deadline_changes(consultation_id, old_deadline, deadline, reason, changed_at,"
	" recorded_by, event_seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const char SQL_DEADLINE_SET[] = "UPDATE consultations SET deadline = ?2 WHERE id = ?1";
const char SQL_DEADLINE_CHANGE_BY_EVENT[] =
	"SELECT x.old_deadline, x.deadline, x.reason, x.changed_at, x.recorded_by, c.circular"
	" FROM deadline_changes x JOIN consultations c ON c.id = x.consultation_id"
	" WHERE x.event_seq = ?1";
/* the deadline in force at a time: the old deadline of the first change
 * made after it (none: the consultation's deadline) */
const char SQL_DEADLINE_AS_OF[] =
	"SELECT old_deadline FROM deadline_changes WHERE consultation_id = ?1 AND changed_at > ?2"
	" ORDER BY id LIMIT 1";
const char SQL_DEADLINE_CHANGES_OF[] =
	"SELECT old_deadline, deadline, reason, changed_at, recorded_by, event_seq"
	" FROM deadline_changes WHERE consultation_id = ?1 ORDER BY id";
/* a consultation whose deadline is not its last recorded change's (or its
 * first deadline when never changed) */
const char SQL_DEADLINES_ASTRAY[] =
	"SELECT c.circular, c.event_seq FROM consultations c WHERE c.deadline IS NOT"
	" coalesce((SELECT x.deadline FROM deadline_changes x WHERE x.consultation_id = c.id"
	" ORDER BY x.id DESC LIMIT 1), c.deadline)";
const char SQL_CONSULTATION_EXTRA[] =
	"SELECT skipped, forced_reason FROM consultations WHERE id = ?1";
const char SQL_REPLIES_RECEIVED_BETWEEN[] =
	"SELECT count(*) FROM replies r JOIN drafts d ON d.id = r.draft_id"
	" WHERE d.consultation_id = ?1 AND r.received > ?2 AND r.received <= ?3";

/* audit.c: the schema as it stands (compared with the one the migrations
 * create), the settings against their events, and one circular's events */
const char SQL_SCHEMA_ALL[] =
	"SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema"
	" WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name";
const char SQL_SETTINGS_ASTRAY[] =
	"SELECT x.key, x.seq FROM (SELECT s.key, s.value, (SELECT max(v.seq) FROM events v"
	"  WHERE v.kind = 'setting' AND json_extract(v.body, '$.key') = s.key) AS seq FROM settings s) x"
	" WHERE x.seq IS NULL OR x.value IS NOT (SELECT CAST(json_extract(w.body, '$.value') AS TEXT)"
	"  FROM events w WHERE w.seq = x.seq)"
	" UNION ALL SELECT k, max(seq) FROM (SELECT json_extract(body, '$.key') AS k, seq FROM events"
	"  WHERE kind = 'setting') WHERE k NOT IN (SELECT key FROM settings) GROUP BY k";
const char SQL_CIRCULAR_EVENTS[] =
	"SELECT seq, at, actor, kind, body, circular FROM events"
	" WHERE circular = (SELECT circular FROM consultations WHERE circular = ?1)"
	" AND kind NOT IN ('reply', 'withdrawal') AND seq > ?2 ORDER BY seq";
/* the first reply of a circular whose member, draft, choice or time differs
 * from its event's, or which has no event; or a reply event with no row in
 * the circular's consultation */
const char SQL_CIRCULAR_REPLIES_ASTRAY[] =
	"SELECT * FROM (SELECT r.id, r.event_seq FROM replies r JOIN drafts d ON d.id = r.draft_id"
	" JOIN consultations c ON c.id = d.consultation_id LEFT JOIN events v ON v.seq = r.event_seq"
	" WHERE c.circular = ?1 AND (v.seq IS NULL OR v.kind NOT IN ('reply', 'withdrawal')"
	" OR v.circular IS NOT c.circular OR json_extract(v.body, '$.reply') IS NOT r.id"
	" OR json_extract(v.body, '$.member') IS NOT r.member OR json_extract(v.body, '$.draft') IS NOT d.rec"
	" OR json_extract(v.body, '$.choice') IS NOT r.choice"
	" OR json_extract(v.body, '$.received') IS NOT strftime('%Y-%m-%dT%H:%M:%SZ', r.received, 'unixepoch'))"
	" UNION ALL SELECT NULL, v.seq FROM events v"
	" WHERE v.circular = (SELECT circular FROM consultations WHERE circular = ?1)"
	" AND v.kind IN ('reply', 'withdrawal') AND NOT EXISTS(SELECT 1 FROM replies r JOIN drafts d ON d.id = r.draft_id"
	" JOIN consultations c ON c.id = d.consultation_id WHERE r.event_seq = v.seq AND c.circular = ?1))"
	" ORDER BY 2 LIMIT 1";
const char SQL_DATA_VERSION[] = "PRAGMA data_version";
/* rowcheck.c's quick pass: each reply event of a circular (in the order of
 * the log) beside the reply row that claims it, with whether the row is of
 * the expected types and of the circular's consultation (rowcheck.c compares
 * them in C; the exact query above decides whenever one does not agree);
 * and how many replies the consultation has */
const char SQL_CIRCULAR_REPLY_EVENTS[] =
	"SELECT typeof(r.member) = 'text' AND typeof(d.rec) = 'text' AND typeof(r.choice) = 'text'"
	" AND typeof(r.received) = 'integer' AND typeof(v.body) = 'text' AND d.consultation_id IS c.id,"
	" r.id, r.member, d.rec, r.choice, r.received, v.body FROM consultations c"
	" JOIN events v ON v.circular = c.circular AND v.kind IN ('reply', 'withdrawal')"
	" LEFT JOIN replies r ON r.event_seq = v.seq LEFT JOIN drafts d ON d.id = r.draft_id"
	" WHERE c.circular = ?1 AND v.seq > ?2";
/* the same for every reply of every consultation at once (in the order of
 * the replies table), and whether the log has as many reply events */
const char SQL_ALL_REPLY_EVENTS[] =
	"SELECT typeof(r.member) = 'text' AND typeof(d.rec) = 'text' AND typeof(r.choice) = 'text'"
	" AND typeof(r.received) = 'integer' AND typeof(v.body) = 'text'"
	" AND v.kind IN ('reply', 'withdrawal') AND v.circular IS c.circular,"
	" r.id, r.member, d.rec, r.choice, r.received, v.body FROM replies r"
	" JOIN drafts d ON d.id = r.draft_id JOIN consultations c ON c.id = d.consultation_id"
	" LEFT JOIN events v ON v.seq = r.event_seq WHERE r.id > ?1";
const char SQL_ALL_REPLY_COUNTS[] =
	"SELECT (SELECT count(*) FROM replies WHERE id > ?1),"
	" (SELECT count(*) FROM events WHERE seq > ?2 AND kind IN ('reply', 'withdrawal'))";
const char SQL_CIRCULAR_REPLY_COUNT[] =
	"SELECT count(*) FROM consultations c JOIN drafts d ON d.consultation_id = c.id"
	" JOIN replies r ON r.draft_id = d.id WHERE c.circular = ?1";
/* the same among the replies above id ?2 (by the table's own order: few) */
const char SQL_CIRCULAR_REPLY_COUNT_SINCE[] =
	"SELECT count(*) FROM replies r CROSS JOIN drafts d ON d.id = r.draft_id"
	" CROSS JOIN consultations c ON c.id = d.consultation_id WHERE r.id > ?2 AND c.circular = ?1";
/* damage.c: the last two events, to check the chain's tail */
const char SQL_EVENTS_TAIL[] =
	"SELECT seq, prev_hash, hash, body FROM events ORDER BY seq DESC LIMIT 2";

/* API tokens (token.c): a token is found by the SHA-256 of what was given */
const char SQL_TOKEN_INSERT[] =
	"INSERT INTO api_tokens(user_name, scope, hash, created_at, expires_at, event_seq)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
const char SQL_TOKEN_USER[] = "SELECT disabled_at FROM users WHERE name = ?1";
const char SQL_TOKEN_GET[] = "SELECT id, revoked_at FROM api_tokens WHERE id = ?1";
const char SQL_TOKEN_REVOKE[] =
	"UPDATE api_tokens SET revoked_at = ?2, revoked_seq = ?3 WHERE id = ?1 AND revoked_at IS NULL";
/* the token of hash ?1 with its account, usable when neither is revoked,
 * disabled nor (?2: now) expired */
const char SQL_TOKEN_CHECK[] =
	"SELECT t.id, t.scope, t.user_name, u.role, u.grp, t.revoked_at IS NULL AND u.disabled_at IS NULL"
	" AND (t.expires_at IS NULL OR t.expires_at > ?2) FROM api_tokens t JOIN users u ON u.name = t.user_name"
	" WHERE t.hash = ?1";
const char SQL_TOKENS_LIST[] =
	"SELECT id, user_name, scope, created_at, expires_at, revoked_at FROM api_tokens ORDER BY id";
/* the rows behind token-create and token-revoke events */
const char SQL_TOKEN_BY_EVENT[] =
	"SELECT id, user_name, scope, hash, expires_at, created_at FROM api_tokens WHERE event_seq = ?1";
const char SQL_TOKEN_BY_REVOCATION[] =
	"SELECT id, user_name, revoked_at FROM api_tokens WHERE revoked_seq = ?1";

/* idempotency keys of API requests (reply_once.c) */
const char SQL_IDEM_TOKEN[] = "SELECT id FROM api_tokens WHERE hash = ?1";
const char SQL_IDEM_FIND[] =
	"SELECT i.body_sha256, i.event_seq, (SELECT r.id FROM replies r WHERE r.event_seq = i.event_seq)"
	" FROM api_idempotency i WHERE i.token_id = ?1 AND i.key_hash = ?2";
const char SQL_IDEM_INSERT[] =
	"INSERT INTO api_idempotency(token_id, key_hash, body_sha256, event_seq, created_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5)";
/* contacts (contact.c) */
const char SQL_CONTACTS_IN_FORCE[] =
	"SELECT member, role, address, lang, name, event_seq FROM contacts WHERE removed_seq IS NULL"
	" AND (?1 IS NULL OR member = ?1) ORDER BY member, role DESC, id";
const char SQL_CONTACT_GET[] =
	"SELECT id, role, lang, name, address FROM contacts WHERE member = ?1 AND address = ?2 COLLATE NOCASE"
	" AND removed_seq IS NULL";
const char SQL_CONTACT_INSERT[] =
	"INSERT INTO contacts(member, role, address, lang, name, added_at, event_seq)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const char SQL_CONTACT_REMOVE[] =
	"UPDATE contacts SET removed_at = ?2, removed_seq = ?3 WHERE id = ?1";
const char SQL_CONTACTS_BY_EVENT[] =
	"SELECT member, role, address, lang, name, added_at FROM contacts WHERE event_seq = ?1 ORDER BY id";
const char SQL_CONTACTS_BY_REMOVAL[] =
	"SELECT member, address, removed_at FROM contacts WHERE removed_seq = ?1 ORDER BY id";
const char SQL_CONTACT_ROWS_WITH_EVENTS[] =
	"SELECT 'contact contacts-import contact-set', event_seq FROM contacts"
	" UNION ALL SELECT 'contact contacts-import contact-set contact-remove', removed_seq FROM contacts"
	" WHERE removed_seq IS NOT NULL";
/* the members of a consultation's electorate with no contact in force */
const char SQL_ELECTORATE_WITHOUT_CONTACT[] =
	"SELECT e.member FROM electorate e JOIN consultations c ON c.id = e.consultation_id"
	" WHERE c.circular = ?1 AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.member = e.member"
	" AND x.removed_seq IS NULL) ORDER BY e.member";

/* the outbox (outbox.c) */
const char SQL_OUTBOX_INSERT[] =
	"INSERT INTO outbox(circular, member, what, round, message_id, sha256, size, message, sender,"
	" recipients, state, attempts, next_at, queued_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	" ?10, 'queued', 0, ?11, ?11)";
const char SQL_OUTBOX_HAS[] =
	"SELECT id FROM outbox WHERE circular = ?1 AND what = ?2 AND member = ?3 AND round = ?4";
/* SQL_OUTBOX_DUE and SQL_OUTBOX_ALL: the same columns (outbox.c reads
 * both with one filler); ALL without the bytes */
const char SQL_OUTBOX_DUE[] =
	"SELECT id, circular, member, what, round, message_id, sha256, size, state, attempts, next_at,"
	" coalesce(answer, ''), queued_at, coalesce(sent_at, 0), sender, recipients, message FROM outbox"
	" WHERE state = 'queued' AND (?1 IS NULL OR circular = ?1) AND next_at <= ?2 ORDER BY next_at, id";
const char SQL_OUTBOX_ALL[] =
	"SELECT id, circular, member, what, round, message_id, sha256, size, state, attempts, next_at,"
	" coalesce(answer, ''), queued_at, coalesce(sent_at, 0), sender, recipients, NULL FROM outbox"
	" WHERE (?1 IS NULL OR circular = ?1) ORDER BY id";
const char SQL_OUTBOX_REBUILT[] =
	"UPDATE outbox SET message_id = ?2, sha256 = ?3, size = ?4 WHERE id = ?1 AND state = 'queued'";
const char SQL_OUTBOX_SENT[] =
	"UPDATE outbox SET state = 'sent', sent_at = ?2, answer = ?3, attempts = attempts + 1"
	" WHERE id = ?1 AND state = 'queued'";
const char SQL_OUTBOX_RETRY[] =
	"UPDATE outbox SET attempts = attempts + 1, next_at = ?2, answer = ?3 WHERE id = ?1 AND state = 'queued'";
/* a reply's receipt queued in the reply's transaction (mail_receipts): not
 * built yet (no bytes, a placeholder Message-ID and hash), for a member
 * with a contact; ?1 circular, ?2 member, ?3 round (the event), ?4 now */
const char SQL_OUTBOX_RECEIPT_QUEUE[] =
	"INSERT INTO outbox(circular, member, what, round, message_id, sha256, size, message, sender,"
	" recipients, state, attempts, next_at, queued_at) SELECT ?1, ?2, 'receipt', ?3,"
	" '<unbuilt.receipt.' || ?1 || '.' || ?2 || '.' || ?3 || '>', substr(hex(zeroblob(32)), 1, 64), 0, NULL,"
	" '', '', 'queued', 0, ?4, ?4 WHERE EXISTS (SELECT 1 FROM contacts x WHERE x.member = ?2"
	" AND x.removed_seq IS NULL) ON CONFLICT DO NOTHING";
/* a later reply of the same submission (receipt_queue.c): the unbuilt
 * receipt's round widened to ?2 ("FIRST-LAST") */
const char SQL_OUTBOX_RECEIPT_WIDEN[] =
	"UPDATE outbox SET round = ?2 WHERE id = ?1 AND what = 'receipt' AND state = 'queued' AND message IS NULL";
/* a queued message without bytes built at last: kept from now on */
const char SQL_OUTBOX_BUILT[] =
	"UPDATE outbox SET message_id = ?2, sha256 = ?3, size = ?4, message = ?5, sender = ?6, recipients = ?7"
	" WHERE id = ?1 AND state = 'queued' AND message IS NULL";
const char SQL_OUTBOX_FAILED[] =
	"UPDATE outbox SET state = 'failed', attempts = attempts + 1, answer = ?2 WHERE id = ?1 AND state = 'queued'";
/* the reminders' schedule (outbox.c) */
const char SQL_SCHEDULE_CLEAR[] = "DELETE FROM mail_schedule WHERE circular = ?1";
const char SQL_SCHEDULE_ADD[] = "INSERT INTO mail_schedule(circular, days_before, set_at) VALUES(?1, ?2, ?3)";
const char SQL_SCHEDULE_OF[] =
	"SELECT days_before FROM mail_schedule WHERE circular = ?1 ORDER BY days_before DESC";
/* per open consultation before its deadline (?1: now), the latest point of
 * its schedule reached */
const char SQL_SCHEDULE_DUE[] =
	"SELECT c.circular, min(s.days_before) FROM mail_schedule s JOIN consultations c ON c.circular = s.circular"
	" WHERE c.closed_at IS NULL AND ?1 < c.deadline AND ?1 >= c.deadline - s.days_before * 86400"
	" GROUP BY c.circular ORDER BY c.circular";
const char SQL_OUTBOX_QUEUED_KINDS[] =
	"SELECT DISTINCT circular, what FROM outbox WHERE state = 'queued' AND next_at <= ?1 ORDER BY circular, what";

/* the inbox (services/inbox.c, domain/inbox_accept.c) */
const char SQL_INBOX_BY_SHA[] = "SELECT id FROM inbox WHERE sha256 = ?1";
const char SQL_INBOX_BY_MSGID[] = "SELECT min(id) FROM inbox WHERE message_id = ?1 AND message_id <> ''";
const char SQL_INBOX_INSERT[] =
	"INSERT INTO inbox(message_id, sha256, size, source, received_at, received_by, sender, subject, state,"
	" reason, circular, member, reference, choices, form, message, kept, fetched_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
const char SQL_INBOX_PART_INSERT[] =
	"INSERT INTO inbox_parts(inbox_id, name, type, sha256, size, content) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
#define INBOX_COLS "id, message_id, sha256, size, source, received_at, received_by, sender, subject, state," \
	" reason, circular, member, reference, choices, form, kept, fetched_at, done_seq, done_at, done_reason"
const char SQL_INBOX_ALL[] = "SELECT " INBOX_COLS " FROM inbox ORDER BY id";
const char SQL_INBOX_GET[] = "SELECT " INBOX_COLS ", message FROM inbox WHERE id = ?1";
const char SQL_INBOX_PARTS[] =
	"SELECT name, type, sha256, size, content FROM inbox_parts WHERE inbox_id = ?1 ORDER BY id";
const char SQL_INBOX_DONE[] =
	"UPDATE inbox SET state = ?2, done_seq = ?3, done_at = ?4, done_reason = ?5"
	" WHERE id = ?1 AND state IN ('matched', 'uncertain', 'unmatched', 'refused')";
const char SQL_INBOX_STATE[] = "SELECT state, sha256, circular, member, sender FROM inbox WHERE id = ?1";
/* whether an entry's sender is (still) one of the member's contacts */
const char SQL_INBOX_SENDER_CONTACT[] =
	"SELECT count(*) FROM contacts WHERE member = ?1 AND address = ?2 COLLATE NOCASE AND removed_seq IS NULL";
/* One member's reply in force per draft of a consultation (history.c
 * bt_history_in_force): per draft, its latest row by received, then id (as
 * the domain's count orders them), by the replies_by_member index; the columns
 * of SQL_HISTORY_REPLIES, then whether it has a file other than the form. */
const char SQL_HISTORY_IN_FORCE[] =
	"SELECT r.id, r.event_seq, r.member, d.rec, r.choice, r.received,"
	" r.channel, r.signatory, r.title, r.recorded_by, r.recorded_at, d.id,"
	" EXISTS(SELECT 1 FROM attachments a WHERE a.reply_id = r.id AND a.role <> 'form')"
	" FROM drafts d JOIN replies r ON r.id = (SELECT x.id FROM replies x"
	" WHERE x.draft_id = d.id AND x.member = ?2 ORDER BY x.received DESC, x.id DESC LIMIT 1)"
	" WHERE d.consultation_id = ?1 ORDER BY d.id";
/* rowcheck.c's mark: what says that the rows a check found sound are still
 * those, and which rows came since. The schema cookie; the lowest and
 * highest reply id and the number above ?1; the same for events (above
 * ?2); how many of the four append-only triggers of replies and events are
 * exactly as created; and the text of every trigger of the tables the
 * check reads. */
const char SQL_ROWCHECK_MARK[] =
	"SELECT (SELECT schema_version FROM pragma_schema_version),"
	" coalesce((SELECT min(id) FROM replies), 1), coalesce((SELECT max(id) FROM replies), 0),"
	" (SELECT count(*) FROM replies WHERE id > ?1),"
	" coalesce((SELECT min(seq) FROM events), 1), coalesce((SELECT max(seq) FROM events), 0),"
	" (SELECT count(*) FROM events WHERE seq > ?2),"
	" (SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND sql IN ("
	"'CREATE TRIGGER replies_append_only_u BEFORE UPDATE ON replies"
	" BEGIN SELECT RAISE(ABORT, ''replies are append-only''); END',"
	" 'CREATE TRIGGER replies_append_only_d BEFORE DELETE ON replies"
	" BEGIN SELECT RAISE(ABORT, ''replies are append-only''); END',"
	" 'CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE(ABORT, ''events are append-only''); END',"
	" 'CREATE TRIGGER events_append_only_d BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, ''events are append-only''); END')),"
	" (SELECT group_concat(name || ':' || sql, ';') FROM (SELECT name, sql FROM sqlite_schema"
	" WHERE type = 'trigger' AND tbl_name IN ('replies', 'events', 'drafts', 'consultations',"
	" 'deadline_changes', 'decisions') ORDER BY name))";
