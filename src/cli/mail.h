/* mail.h - the mailroom's front-end side (issue 18): messages built with
 * GMime (mail_msg.c), submitted over SMTP with libcurl (mail_smtp.c), the
 * templates and attachments of each kind of message (mail_content.c), and
 * the commands (cmd_mail.c). The engine's outbox (ballot/outbox.h) records
 * every message before it is sent. No GMime or libcurl type appears here. */
#ifndef BALLOT_CLI_MAIL_H
#define BALLOT_CLI_MAIL_H

#include <stddef.h>
#include "ballot/ballot.h"
#include "pdf/annex2.h"
#include "pdf/lang.h"
#include "cli/ctx.h"

/* One attachment: a file name, a MIME type ("application/pdf") and bytes. */
typedef struct mail_part {
	char name[96];
	char type[48];
	bt_buf data;
} mail_part;

/* A message to build: From (an ASCII address and a display name), the
 * contacts of one member (To and Cc by role, ASCII addresses with display
 * names), a UTF-8 subject and text body, the attachments, a Message-ID
 * ("<...>") and a Date. */
typedef struct mail_msg {
	const char *from, *from_name;
	const bt_contact *to;  /* addresses already in ASCII form */
	size_t nto;
	const char *subject, *body;
	const mail_part *parts;
	size_t nparts;
	const char *message_id;
	bt_time date;
} mail_msg;

/* The message as MIME (multipart/mixed: the text, then each attachment in
 * base64; headers UTF-8 encoded per RFC 2047; CRLF line ends) into out. */
int mail_build(const mail_msg *m, bt_buf *out, bt_err *e);

/* A fresh Message-ID "<ballot.CIRCULAR.WHAT.MEMBER.RANDOM@DOMAIN>", domain
 * from the sender's address. */
int mail_message_id(const char *circular, const char *what, const char *member, const char *from, char *out,
		    size_t n, bt_err *e);

/* The relay, as configured (cmd_mail.c reads it: flags, environment, file). */
typedef struct mail_relay {
	const char *url;      /* smtp://host:port (STARTTLS required) or smtps:// */
	const char *user;     /* NULL: no AUTH */
	char *password;       /* from mail_password_file (heap; wiped on release) */
	const char *ca;       /* NULL: the system's CAs */
	long rate;            /* messages per minute, 0: no limit */
} mail_relay;

/* mail_password_file (sending and fetching): a regular file of the user's,
 * mode 0600 or 0400, not a link; its first line, not empty, is the
 * password, into *out (heap: wipe and free it). where: the setting's name as
 * given (--mail-password-file, the configuration file's line). */
int mail_password_read(const char *where, const char *path, char **out, bt_err *e);

/* What an SMTP submission came to. */
typedef enum {
	MAIL_SENT,      /* the relay accepted the message */
	MAIL_TRANSIENT, /* refused for now (4xx): try again later */
	MAIL_PERMANENT, /* refused for good (5xx) for this message */
	MAIL_NO_RELAY,  /* no relay to talk to (connection, TLS): stop the run */
	MAIL_AUTH       /* the relay refused the credentials: stop the run */
} mail_result;

typedef struct mail_smtp mail_smtp;

/* A session with the relay (libcurl's SMTP client, one connection reused). */
int mail_smtp_open(const mail_relay *r, mail_smtp **out, bt_err *e);
void mail_smtp_close(mail_smtp *s);

/* Connects, authenticates and says NOOP: whether the relay takes us, before
 * anything is recorded. */
mail_result mail_smtp_probe(mail_smtp *s, char *answer, size_t n);

/* Submits msg[0..len) from sender to the comma-separated recipients;
 * answer: the relay's last reply line (or libcurl's error). */
mail_result mail_smtp_send(mail_smtp *s, const char *sender, const char *recipients, const void *msg,
			   size_t len, char *answer, size_t n);

/* What every message of one `mail send` shares (mail_content.c). */
typedef struct mail_run {
	bt_db *db;
	const char *what;          /* circular, codes, reminder, receipt */
	const char *round;         /* a scheduled reminder's round ("T-7"); NULL: the day */
	bt_consultation c;
	bt_draft_list drafts;
	char digest[65];
	bt_member_list electorate;
	bt_pending_list pending;   /* reminder: who lacks a counted reply */
	const char *portal_url;    /* codes */
	const bt_key *key;         /* receipt: the signing key */
	bt_time now;
	pdf_fonts *fonts;          /* circular: loaded once */
	annex2_lang *lang[PDF_NLANGS];
	bt_buf blank[PDF_NLANGS];  /* circular: the blank form per language */
	char *tmpl[PDF_NLANGS];    /* the template of what, per language */
	bt_outbox_list queued;     /* receipt: the outbox's rows of the circular
				      (without bytes), read once (cmd_mail.c) */
	int queued_read;
} mail_run;

/* One member's message: subject and body from the template of its
 * language, and its attachments (heap: two for a circular, two per reply
 * for a receipt). */
typedef struct mail_content {
	bt_buf subject, body;
	mail_part *parts;
	size_t nparts;
} mail_content;

/* The replies (or withdrawals) a receipt is about: the events of one
 * submission, in order, each with its draft. */
typedef struct mail_replies {
	const int64_t *seq;
	const char *const *rec;
	size_t n;
} mail_replies;

/* Fills out for member m (its contacts' first "to" names the language and
 * the salutation); code: the reply code to print (codes; NULL or "" for a
 * message built only to be recorded); r: receipt (NULL otherwise): one
 * message listing every draft of the submission, with each reply's signed
 * receipt (JSON and PDF). BT_EINPUT naming the template file and line for
 * a template that is wrong. */
int mail_content_make(mail_run *x, const bt_member *m, const bt_contact *first, const char *code,
		      const mail_replies *r, mail_content *out, bt_err *e);
void mail_content_release(mail_content *c);
void mail_run_release(mail_run *x);

/* 1 when member code has no counted reply on some draft (reminder). */
const bt_pending_item *mail_pending_of(const mail_run *x, const char *code);

/* The mailbox over IMAP with TLS (mail_imap.c): url imaps://host[:port]/BOX
 * (or imap:// with STARTTLS required), the server checked against ca (NULL:
 * the system's CAs). Failures name the field mail_mailbox. */
typedef struct mail_imap mail_imap;
int mail_imap_open(const char *url, const char *user, const char *password, const char *ca, mail_imap **out,
		   bt_err *e);
void mail_imap_close(mail_imap *m);

/* The UIDs of the messages not yet marked taken, ascending (heap). */
int mail_imap_new(mail_imap *m, unsigned long **uids, size_t *n, bt_err *e);

/* The server's receipt time of message uid (its INTERNALDATE). */
int mail_imap_received(mail_imap *m, unsigned long uid, bt_time *t, bt_err *e);

/* Message uid: its SHA-256 and size, its bytes into out up to cap (over:
 * *over set and only the first keep_over bytes left). */
int mail_imap_fetch(mail_imap *m, unsigned long uid, int64_t cap, size_t keep_over, bt_buf *out, char sha[65],
		    int64_t *size, int *over, bt_err *e);

/* Marks message uid taken (after the inbox stored it). */
int mail_imap_mark(mail_imap *m, unsigned long uid, bt_err *e);

/* `ballot mail fetch` (mail_fetch.c): the new messages of the mailbox
 * (mail_mailbox) into the inbox (ballot/inbox.h). */
int mail_fetch_cmd(cli_ctx *ctx, int argc, char **argv, bt_err *e);

/* The receipts' sender of `ballot serve` (mail_sender.c): when a relay is
 * configured (mail_relay), a thread that runs `ballot mail run --what
 * receipt` (the database, --config and key_path of the server) within a
 * second of a receipt being queued; *out NULL when no relay is set. */
typedef struct mail_sender mail_sender;
int mail_sender_start(cli_ctx *ctx, const char *key_path, mail_sender **out, bt_err *e);

/* Stops the sender: waits for a run in progress to end. NULL: nothing. */
void mail_sender_stop(mail_sender *s);

#endif
