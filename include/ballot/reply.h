/* reply.h - Member State replies and withdrawals.
 *
 * Replies are never updated or deleted: each reply or withdrawal is a new row
 * and a new event. Which row counts is decided by the tally (tally.h).
 */
#ifndef BALLOT_REPLY_H
#define BALLOT_REPLY_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/consultation.h"

typedef enum bt_choice {
	BT_CHOICE_NONE = 0,
	BT_AUTHORIZE = 1,               /* no comments or proposed changes */
	BT_AUTHORIZE_WITH_COMMENTS = 2, /* comments and proposed changes attached */
	BT_NOT_AUTHORIZE = 3,           /* reasons and possible changes attached */
	BT_WITHDRAW = 4                 /* withdraws the member's earlier reply */
} bt_choice;

/* "authorize", "authorize-with-comments", "not-authorize", "withdraw". */
const char *bt_choice_name(bt_choice c);

/* Parses one of the names above; BT_CHOICE_NONE when unknown. */
bt_choice bt_choice_parse(const char *s);

/* 1 when c supports consideration for approval. */
int bt_choice_supports(bt_choice c);

/* Channels: "email", "fax", "post", "portal", "other". 1 when valid. */
int bt_channel_valid(const char *s);

typedef struct bt_attachment_in {
	const char *name; /* original file name (base name), clean UTF-8 */
	const void *data;
	size_t len;       /* 1 .. attachment_max */
} bt_attachment_in;

/* What an attachment's name and first bytes say it is. */
typedef enum bt_file_kind {
	BT_FILE_OK = 0,   /* a type below, and its bytes begin as that type's do */
	BT_FILE_UNKNOWN,  /* no extension, or one not below */
	BT_FILE_MISMATCH  /* an extension below, but the bytes are of another kind */
} bt_file_kind;

/* The document types a reply may attach, for messages. */
#define BT_FILE_TYPES "PDF, Word, ODF, RTF, text, PNG, JPEG, TIFF"

/* Classifies an attachment by the extension of name (any case) and its first
 * bytes: .pdf "%PDF-"; .doc the OLE2 header D0 CF 11 E0 A1 B1 1A E1; .docx
 * and .odt a zip ("PK\3\4"); .rtf "{\rtf"; .txt valid UTF-8 without NUL;
 * .png and .jpg/.jpeg their signatures; .tif/.tiff "II*\0" or "MM\0*"
 * (BigTIFF's "II+\0", "MM\0+" too). Every reply refuses BT_FILE_MISMATCH (a
 * file whose name claims a type it does not have); the portal takes only
 * BT_FILE_OK. */
bt_file_kind bt_attachment_kind(const char *name, const void *data, size_t len);

typedef struct bt_reply_spec {
	const char *circular;
	const char *member;       /* alpha-3 or alpha-2 */
	const char *rec;          /* NULL: the consultation's only draft */
	bt_choice choice;
	int has_received;         /* 0: received now */
	bt_time received;
	const char *channel;      /* NULL: "other" */
	const char *signatory;    /* or NULL */
	const char *title;        /* signatory's official title, or NULL */
	const bt_attachment_in *attachments; /* comments or reasons */
	size_t n_attachments;
	const bt_attachment_in *scan; /* the signed form as received (a scan),
					 kept with role "form"; any choice but
					 a withdrawal; or NULL */
	int force;                /* 1: the member's quotas do not apply (the
				     secretariat's `--force`) */
	const char *late_entry_reason; /* why an on-time reply is entered only
				     after the deadline, or NULL (see
				     bt_reply_record) */
	const char *signer_subject; /* a signed form's signer (DN), or NULL */
	const char *signer_sha256;  /* its certificate's SHA-256, hex; NULL
				       when not signed */
	int signer_verified;        /* 1: it chained to a certificate the
				       member registered for signing */
} bt_reply_spec;

/* Checks a reply's signatory or title s as bt_reply_record does: clean
 * UTF-8 without control or hidden characters (bt_name_check), at most 200
 * bytes, and not only spaces ("" is none, and passes). A refusal names
 * field as given (a front end may pass its own name for the input, such as
 * a form's field "signatory.name"). */
int bt_reply_name_check(const char *field, const char *s, bt_err *e);

/* Which of a member's quotas refused a reply (bt_reply_result.quota). */
enum { BT_QUOTA_NONE = 0, BT_QUOTA_BYTES = 1, BT_QUOTA_RATE = 2 };

/* What was recorded: enough for an acknowledgement or receipt. */
typedef struct bt_reply_result {
	int64_t reply_id;
	int64_t event_seq;
	char event_hash[65];
	char member[4];
	char rec[BT_ID_MAX + 1];
	bt_choice choice;
	bt_time received;
	bt_time deadline;   /* the consultation's deadline */
	int late;           /* received after the deadline: recorded, not counted */
	int supersedes;     /* replaces an earlier on-time reply of this member */
	int outdated;       /* dated before a reply or withdrawal already on
			       record: recorded, but the later one stands */
	int without_reasons;/* not-authorize with no reasons attached: flagged */
	int late_entry;     /* on time, but recorded after the deadline */
	int64_t late_entry_seq; /* the late-entry event that gives its reason, or 0 */
	char sha256[65];    /* SHA-256 of the event's canonical content */
	int quota;          /* on a refusal: BT_QUOTA_BYTES or BT_QUOTA_RATE when
			       a quota refused it, else BT_QUOTA_NONE */
	int retry_after;    /* BT_QUOTA_RATE: seconds until it would fit */
} bt_reply_result;

/* Records a reply (choice 1-3) or a withdrawal (BT_WITHDRAW). Refuses with
 * BT_EINPUT and writes nothing when: the circular, member or draft is unknown;
 * the member is not in the electorate; no choice; received is in the future
 * or before the circular's date; a bad channel; unclean signatory/title;
 * an empty, unnamed or oversized attachment, or one whose name claims a type
 * its bytes are not (bt_attachment_kind); attachments with "authorize" or
 * on a withdrawal; an on-time reply after the consultation was closed; a
 * withdrawal with no reply in force to withdraw.
 *
 * A late entry (received by the deadline, recorded after it: a paper form
 * that arrived on time) that changes the draft's outcome as it stood since
 * the deadline (proceed / not-proceed) is refused (BT_EINPUT, naming
 * the field late_entry_reason) unless spec->late_entry_reason says why; the reason
 * (clean text, at most 2000 bytes) is then recorded in a "late-entry" event
 * right after the reply's (history and the report show it). A reason is
 * refused for a reply that is not a late entry.
 *
 * Quotas, per member and consultation, checked inside the write transaction
 * (so concurrent callers cannot both slip under them) unless spec->force:
 * the attachments of the member's replies there (superseded ones included)
 * may hold at most the setting quota_bytes, and a reply that brings more
 * would pass it; and the member may record at most replies_per_hour
 * replies and withdrawals there in any hour (by the time recorded, now),
 * never fewer than the consultation has drafts, so that one reply to every
 * draft always fits. Over either: BT_EINPUT naming the member, the
 * consultation, the figure and the cap, and out->quota says which
 * (out->retry_after: when the rate would allow it). */
int bt_reply_record(bt_db *db, const bt_reply_spec *spec, const char *actor,
		    bt_time now, bt_reply_result *out, bt_err *e);

/* Records n replies or withdrawals (as bt_reply_record) in one transaction:
 * all of them or, when any is refused, none (the message then starts with
 * the refused spec's draft, "Q.5051: ..."). out receives n results. Two
 * specs for the same member and draft are refused. On a refusal by a quota
 * out[0].quota and out[0].retry_after say which, and when; else
 * out[0].quota is BT_QUOTA_NONE. */
int bt_reply_record_many(bt_db *db, const bt_reply_spec *specs, size_t n,
			 const char *actor, bt_time now, bt_reply_result *out,
			 bt_err *e);

/* The dry run of bt_reply_record_many: the n specs are checked and recorded
 * inside the transaction exactly as bt_reply_record_many would (the spec
 * checks, the electorate, dates, quotas, late entries), then the
 * transaction is rolled back: nothing is stored. out receives what would
 * be recorded now (event numbers those it would take); refusals as
 * bt_reply_record_many's. Needs a database open for writing. */
int bt_reply_record_many_check(bt_db *db, const bt_reply_spec *specs, size_t n,
			       const char *actor, bt_time now, bt_reply_result *out,
			       bt_err *e);

/* What an import recorded. */
typedef struct bt_import_stats {
	size_t recorded;        /* replies recorded */
	size_t late;            /* of which received after the deadline */
	size_t without_reasons; /* not-authorize with no reasons attached */
	size_t supersedes;      /* replacing an earlier on-time reply */
	int64_t first_event;    /* the events recorded: first_event .. last_event, */
	int64_t last_event;     /* one per reply, in file order, each followed by
				   its late-entry event when the line gave a
				   reason (0 when none) */
	int quota;              /* on a refusal by a quota: which (BT_QUOTA_BYTES
				   or BT_QUOTA_RATE), else BT_QUOTA_NONE */
	size_t late_entries;    /* late-entry events among the events recorded */
} bt_import_stats;

/* Imports replies from a TSV file at path (header: member, draft, choice,
 * received, channel, attachment and, optionally, late_entry_reason: a
 * line's reason for a late entry, as spec->late_entry_reason of
 * bt_reply_record, empty for none; attachment paths relative to the file).
 * All or nothing in one transaction; a refusal of a line has the field
 * "import" and the message "import line N: " + the column and the value
 * ("import line 3: received: ..."); a late entry without its reason names
 * the line of the draft's first late entry.
 * stats receives what was recorded (all zero on failure, but for quota).
 * The quotas of
 * bt_reply_record apply to each line (with the lines before it), unless
 * force. */
int bt_reply_import(bt_db *db, const char *circular, const char *path,
		    const char *actor, bt_time now, int force, bt_import_stats *stats,
		    bt_err *e);

/* bt_reply_import with the attachments read under the directory from (NULL:
 * the TSV's directory). An attachment path must stay inside that root: an
 * absolute path, a ".." component or a symbolic link that leads out of it
 * is BT_EINPUT naming the line and the path. */
int bt_reply_import_from(bt_db *db, const char *circular, const char *path,
			 const char *from, const char *actor, bt_time now, int force,
			 bt_import_stats *stats, bt_err *e);

/* The dry run of bt_reply_import_from: every line is read,
 * checked and recorded inside the transaction exactly as the import would,
 * then the transaction is rolled back, so stats say what the import would
 * record now (its event numbers are those it would take) and nothing is
 * stored; refusals as bt_reply_import_from's. */
int bt_reply_import_check(bt_db *db, const char *circular, const char *path, const char *from,
			  const char *actor, bt_time now, int force, bt_import_stats *stats, bt_err *e);

#endif
