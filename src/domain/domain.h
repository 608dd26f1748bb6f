/* domain.h - the domain floor, private to the engine: Member States, the
 * calendar, consultations, drafts, replies and how they count, decisions,
 * reply codes, accounts and certificates; one file per concept. Front ends
 * never include this file. */
#ifndef BALLOT_DOMAIN_H
#define BALLOT_DOMAIN_H

#include "store/store.h"

/* Validation helpers: 1 when s is a valid identifier (circular, rec). */
int valid_id(const char *s, const char *extra);
/* valid_id, and also safe as a file name: no '/', '\\', "..", leading '.' */
int valid_file_id(const char *s, const char *extra);

/* Members import within an open transaction (member_import.c; see
 * bt_members_import): the rows it writes record event seq. */
int members_import_txn(bt_db *db, const char *text, size_t len,
		       const char *source, const char *const *recodes, size_t nrecodes,
		       int64_t seq, bt_time now, bt_member_import_stats *stats, bt_err *e);

/* The "former":[...],"changes":[...] part of the member event seq, from
 * the member_names and member_changes rows it wrote; *found counts them. */
int member_payload(bt_db *db, int64_t seq, bt_buf *out, int *found, bt_err *e);


/* Records the member list (and its former names) as it stands, once, in a
 * members-baseline event, for a database whose members were never recorded
 * (one made before schema 5). Inside the caller's transaction. */
int members_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e);
/* Records, once and only when any is stored, a hash-baseline event pinning
 * every stored password and reply-code hash by the SHA-256 digest of its
 * string (the schema 6 migration, for hashes stored by events without one). */
int hashes_install_baseline(bt_db *db, const char *actor, bt_time now, bt_err *e);

/* bt_member_resolve that also gives the admission date (BT_DATE_NONE). */
int member_lookup(bt_db *db, const char *field, const char *code, char out[4],
		  bt_date *since, bt_err *e);

/* Reads member rows from st (code, alpha2, name, since) into out. */
int members_collect(bt_db *db, sqlite3_stmt *st, bt_member_list *out, bt_err *e);


/* Consultation row by circular, inside or outside a transaction. */
int consultation_load(bt_db *db, const char *circular, bt_consultation *out,
		      bt_err *e);

/* 1 when member (alpha-3) is in the electorate of consultation id, 0 when
 * not, -1 (e set) when it cannot be read. */
int electorate_has(bt_db *db, int64_t id, const char *member, bt_err *e);

/* The drafts of consultation c, in the order added (bt_drafts_list without
 * looking the consultation up again; draft_find.c, as draft_find_in). */
int drafts_of(bt_db *db, const bt_consultation *c, bt_draft_list *out, bt_err *e);

/* Finds a draft of consultation c (rec NULL: the only one). */
int draft_find_in(bt_db *db, const bt_consultation *c, const char *rec,
		  bt_draft *out, bt_err *e);

/* Titles and summaries in the other languages (draft_titles.c; reading them,
 * draft_titles_clear and draft_titles_load, in draft_find.c). */
/* Frees d's titles and summaries in the other languages. */
void draft_titles_clear(bt_draft *d);
/* Loads into d (its id set) the latest title and summary recorded in each
 * other language. */
int draft_titles_load(bt_db *db, bt_draft *d, bt_err *e);
/* The same for every draft of l (the drafts of consultation c, their ids
 * set), in one query. */
int draft_titles_load_all(bt_db *db, const bt_consultation *c, bt_draft_list *l, bt_err *e);
/* BT_EINPUT naming the field ("title_fr") of an empty, unclean or
 * over-long title (1000 bytes, a name's rules) or summary (20000 bytes,
 * newlines allowed); NULL entries are not given. */
int draft_titles_check(const char *const titles[BT_DRAFT_LANGS], const char *const summaries[BT_DRAFT_LANGS],
		       bt_err *e);
/* Inserts a row per language given (in bt_draft_langs' order) for event
 * seq. */
int draft_titles_insert(bt_db *db, int64_t draft_id, const char *const titles[BT_DRAFT_LANGS],
			const char *const summaries[BT_DRAFT_LANGS], int64_t seq, bt_err *e);
/* Appends "titles":{"fr":{"title":..,"summary":..},...} rendered from the
 * rows event seq wrote, with their draft's rec and circular; *found counts
 * the rows (0: nothing appended). */
int draft_titles_payload(bt_db *db, int64_t seq, bt_buf *out, char rec[BT_ID_MAX + 1],
			 char circular[BT_ID_MAX + 1], int *found, bt_err *e);
/* The payload of a draft-titles event: "draft":REC, then the titles as
 * draft_titles_payload renders them (nothing when *found is 0). */
int draft_titles_event_payload(bt_db *db, int64_t seq, bt_buf *out, char circular[BT_ID_MAX + 1], int *found,
			       bt_err *e);
/* Stores text[0..len) as the text of draft draft_id, in the caller's write
 * transaction (draft_text.c). */
int draft_text_insert(bt_db *db, int64_t draft_id, const void *text, size_t len, bt_err *e);

/* A reply row as the counting code sees it. */
typedef struct count_row {
	int64_t id;
	int64_t seq;        /* the event that recorded it (bundles; 0 otherwise) */
	char member[4];
	bt_choice choice;
	bt_time received;
	bt_time recorded;   /* when it was recorded (0: known at any time) */
	int has_attachment;
	const char *status; /* set by count_resolve */
} count_row;

/* Judges the rows of one member on one draft (sorted by received, then id)
 * as of as_of against deadline: sets each row's status to "counted",
 * "superseded", "withdrawn", "withdrawal", "late" or NULL (received or
 * recorded after as_of: not yet on record at as_of).
 * Returns the index of the counted row, or -1; *withdrawn is 1 when the
 * member's latest on-time row is a withdrawal. */
int count_resolve(count_row *rows, size_t n, bt_time deadline, bt_time as_of,
		  int *withdrawn);

/* Where a new row of a member, received at received (late when after the
 * deadline), stands among that member's rows on a draft (sorted by received,
 * then id), before it is recorded: in_force, the index of the reply in force
 * at received (-1: none, or withdrawn); ontime_in_force, the same among the
 * rows on time; outdated, 1 when a row received later already stands over it
 * (a later on-time row, or for a late row any later row). The one judgement
 * of "which reply stands" besides count_resolve, whose rules it follows. */
typedef struct count_place {
	int in_force, ontime_in_force, outdated;
} count_place;
void count_place_new(const count_row *rows, size_t n, bt_time received, bt_time deadline, int late,
		     count_place *out);

/* Tallies one draft's rows (sorted by member, received, id) under rule into
 * d, using t's deadline, as_of, final and electorate: the one counting the
 * tally and the bundle verifier share. */
void tally_rows(const bt_rule *rule, count_row *rows, size_t n, const bt_tally *t,
		bt_draft_tally *d);

/* Loads a draft's reply rows ordered by member, received, id. */
int count_load(bt_db *db, int64_t draft_id, count_row **rows, size_t *n,
	       bt_err *e);

/* Loads one member's rows on one draft, ordered by received, id. */
int count_load_member(bt_db *db, int64_t draft_id, const char *member,
		      count_row **rows, size_t *n, bt_err *e);

/* The canonical payloads of consultation and draft events, rendered from
 * the stored rows (so the audit can render them again and compare). */
int consultation_payload(bt_db *db, int64_t id, bt_buf *out, bt_err *e);
int draft_payload(bt_db *db, int64_t draft_id, bt_buf *out, bt_err *e);

/* The canonical payload of a reply event, rendered from the stored row. */
int reply_payload(bt_db *db, int64_t reply_id, bt_buf *out, bt_err *e);



/* The canonical payload of auth event seq, rendered from the rows it
 * recorded, with its circular ("" for none) and time; *found 0 when no row
 * refers to the event. */
int auth_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out,
		 char circular[BT_ID_MAX + 1], bt_time *when, int *found,
		 bt_err *e);

/* The payload of a token-create or token-revoke event seq (token.c),
 * rendered from its row (the way auth_payload renders the others). */
int token_payload(bt_db *db, int64_t seq, int revoke, bt_buf *out, bt_time *when, int *found,
		  bt_err *e);

/* The payload of the signing-cert-add (revoke 0) or signing-cert-revoke
 * event seq, rendered from its row (signcert.c). */
int signing_cert_payload(bt_db *db, int64_t seq, int revoke, bt_buf *out, bt_time *when,
			 int *found, bt_err *e);

/* The calendar (calendar.c). calendar_install_default loads the rule-based
 * days 2000-2100 and forms/calendar/itu-closed-days.tsv as two
 * calendar-import events, inside the caller's transaction, unless the
 * database ever had a calendar event. */
int calendar_install_default(bt_db *db, const char *actor, bt_time now, bt_err *e);
/* The canonical payload of calendar event seq from its rows; *when their
 * time (-1 when they disagree), *found how many. */
int calendar_payload(bt_db *db, int64_t seq, const char *kind, bt_buf *out, bt_time *when,
		     int *found, bt_err *e);
/* The closed weekdays strictly between deadline's date and meeting_start as
 * "date\tname\n" lines; -1 when out of memory. */
int calendar_skipped(const bt_calendar *cal, bt_time deadline, bt_date meeting_start,
		     bt_buf *out);
/* The canonical payload of a deadline event from its row (consultation.c). */
int deadline_payload(bt_db *db, int64_t seq, bt_buf *out, char circular[BT_ID_MAX + 1],
		     bt_time *when, char *by, size_t bylen, int *found, bt_err *e);
/* The canonical payload of a contact event (contacts-import, contact-set,
 * contact-remove) from the rows it added and removed (contact.c); *when
 * their time (-1 when they disagree), *found how many. */
int contact_payload(bt_db *db, int64_t seq, bt_buf *out, bt_time *when, int *found, bt_err *e);


/* The work of the salted hashes (code.c, user.c, auth.c). Reply codes carry
 * 125 random bits: no stretching is needed against guessing; the rounds only
 * slow down an attacker holding a copy of the database, and 194 of them must
 * be issued in about two seconds. Passwords are chosen by people: OWASP's
 * figure for PBKDF2-HMAC-SHA256. */
#ifndef BALLOT_FUZZING
#define CODE_ITER 100000u
#define PASSWORD_ITER 600000u
#else
/* make fuzz only (build-fuzz/, never installed): the same code paths with a
 * thousandth of the work, so the portal's request harness reaches sign-in
 * at fuzzing speed */
#define CODE_ITER 100u
#define PASSWORD_ITER 600u
#endif

/* The payload of the auth events, for a db_write's insert step (auth.c):
 * the payload of w->kind rendered from the rows written for w->ev.seq, and
 * the digests of the hashes they store, into w->payload; w->circular points
 * into circular (NULL when the event belongs to no consultation). */
int auth_write_payload(bt_db *db, db_write *w, char circular[BT_ID_MAX + 1], bt_err *e);

/* A certificate table's revocation (cert.c), for cert_revoke_run: the
 * statement that reads a row by its SHA-256 (?1) and the column of its
 * revocation time there, the statement that revokes it (?1 the SHA-256,
 * ?2 the time, ?3 the event), the event kind and the words of messages
 * ("a certificate"). */
typedef struct cert_revoke_kind {
	const char *get_sql, *revoke_sql, *event_kind, *what;
	int revoked_col;
} cert_revoke_kind;

/* Revokes the certificate fp (64 hex digits, any case) of table k through
 * the write skeleton: refused (BT_EINPUT naming "fingerprint") when fp is
 * malformed, not registered or revoked already. */
int cert_revoke_run(bt_db *db, const cert_revoke_kind *k, const char *fp, const char *actor,
		    bt_time now, bt_err *e);

/* 64 hex digits, any case, into out in lowercase: 1, else 0 (cert.c). */
int cert_fp_canon(const char *fp, char out[65]);

/* Decisions (decision.c). decision_spec_check: the spec names a kind, and
 * the Member States the kind needs. decision_record: the decision's rows
 * and event, without the check of the consultation's rows (the services
 * floor runs it first). decisions_read: the consultation's decisions inside
 * the caller's read snapshot, likewise unchecked. */
int decision_spec_check(const bt_decision_spec *s, bt_err *e);
int decision_record(bt_db *db, const bt_decision_spec *s, const char *actor, bt_time now,
		    int64_t *event_seq, bt_err *e);
int decisions_read(bt_db *db, const char *circular, bt_time as_of, bt_decision_list *out,
		   bt_err *e);

/* The event kinds (kinds.c): the one table of every kind the engine writes.
 * rows: how the rows an event wrote are found again and compared with it
 * (services/rowcheck.c); table: their table; flags: EK_CIRCULAR, the event
 * belongs to a consultation's own chain (bundles); EK_RECEIPT, a receipt can
 * be issued for it; EK_REPLY, a reply or withdrawal (counted as such by
 * bundles and exports); EK_DECIDES, a row what a tally or decision reads
 * (checked before each); parse: the parser of its payload, for the kinds
 * whose payload a reader of events from outside (a bundle's verifier) takes
 * in, NULL for the others. */
#define EVK_INIT "init"
#define EVK_MEMBERS_IMPORT "members-import"
#define EVK_MEMBERS_BASELINE "members-baseline"
#define EVK_CALENDAR_ADD "calendar-add"
#define EVK_CALENDAR_IMPORT "calendar-import"
#define EVK_CALENDAR_REMOVE "calendar-remove"
#define EVK_CONSULTATION "consultation"
#define EVK_DRAFT "draft"
#define EVK_DRAFT_TITLES "draft-titles"
#define EVK_DEADLINE "deadline"
#define EVK_REPLY "reply"
#define EVK_WITHDRAWAL "withdrawal"
#define EVK_LATE_ENTRY "late-entry"
#define EVK_DECISION "decision"
#define EVK_CLOSE "close"
#define EVK_CODES_ISSUE "codes-issue"
#define EVK_CODES_REVOKE "codes-revoke"
#define EVK_USER_ADD "user-add"
#define EVK_USER_DISABLE "user-disable"
#define EVK_USER_ENABLE "user-enable"
#define EVK_USER_PASSWORD "user-password"
#define EVK_CERT_REGISTER "cert-register"
#define EVK_CERT_REVOKE "cert-revoke"
#define EVK_SIGNING_ADD "signing-cert-add"
#define EVK_SIGNING_REVOKE "signing-cert-revoke"
#define EVK_TOKEN_CREATE "token-create"
#define EVK_TOKEN_REVOKE "token-revoke"
#define EVK_HASH_BASELINE "hash-baseline"
#define EVK_CONTACTS_IMPORT "contacts-import"
#define EVK_CONTACT_SET "contact-set"
#define EVK_CONTACT_REMOVE "contact-remove"
#define EVK_INBOX_ACCEPT "inbox-accept"
#define EVK_INBOX_REJECT "inbox-reject"
typedef enum {
	EK_ROWS_NONE,     /* writes no row of its own */
	EK_ROWS_ROW,      /* one row (consultation, draft, reply, decision) */
	EK_ROWS_AUTH,     /* reply codes, an account or a certificate */
	EK_ROWS_MEMBER,   /* members, former names, member changes */
	EK_ROWS_CALENDAR, /* closed days */
	EK_ROWS_DEADLINE, /* a deadline change */
	EK_ROWS_TITLES,   /* a draft's titles in other languages */
	EK_ROWS_CONTACT   /* contacts added and removed */
} event_rows;
enum { EK_CIRCULAR = 1, EK_RECEIPT = 2, EK_REPLY = 4, EK_DECIDES = 8 };
/* What an event's payload says, as its kind's parser read it from the
 * event's body (a JSON object); strings and arrays point into the body. */
typedef struct event_payload {
	const char *rule;            /* consultation: the rule's name */
	bt_time deadline;            /* consultation; deadline: the one in force from it */
	const char *deadline_forced; /* consultation: the reason, or NULL */
	const bt_jv *electorate;     /* consultation: an array of three-letter codes */
	const char *rec;             /* draft */
	const char *title;           /* draft */
	const bt_jv *titles;         /* draft-titles: an object by language */
	const char *draft;           /* decision, reply, withdrawal: the draft's rec */
	const char *decision;        /* decision: what was decided (fits bt_draft_tally's) */
	const char *member;          /* reply, withdrawal */
	bt_choice choice;            /* reply (never BT_WITHDRAW), withdrawal (BT_WITHDRAW) */
	bt_time received;            /* reply, withdrawal */
	int64_t reply;               /* reply, withdrawal: the reply's number */
	const bt_jv *attachments;    /* reply, withdrawal: objects with a role and a sha256 */
	int has_reasons;             /* reply, withdrawal: an attachment that is not the form */
	const char *signer;          /* reply from a signed form: the signer's subject, or NULL */
	const char *signer_sha256;   /* ... and its certificate's SHA-256 */
	int signer_verified;         /* ... 1 when it chained to a registered certificate */
} event_payload;
/* Fills p (zeroed first) from body; BT_EINPUT with no field and a message
 * that names what is missing or malformed ("a draft without rec or title")
 * when body is not such an event. */
typedef int event_parse(const bt_jv *body, event_payload *p, bt_err *e);
typedef struct event_kind {
	const char *name;
	event_rows rows;
	const char *table;
	unsigned flags;
	event_parse *parse;
} event_kind;
/* The kind called name, or NULL for a kind this ballot never writes. */
const event_kind *event_kind_find(const char *name);
/* 1 when name is a kind with flag (EK_*), else 0. */
int event_kind_is(const char *name, unsigned flag);

#endif
