/* cmd_mail.c - `ballot mail send|outbox`: the circular, reply codes,
 * reminders and receipts sent by e-mail to the members' contacts (issue 18).
 * Each message is built (mail_content.c, mail_msg.c), recorded in the
 * outbox BEFORE it is sent, then submitted to the relay (mail_smtp.c) and
 * marked sent only once the relay accepted it: a crash or a relay outage
 * never forgets a message, and `mail send` resumes what is queued. */
#include "cli.h"
#include "cli/conf.h"
#include "cli/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char USAGE[] =
	"usage: ballot mail send --circular ID --what circular|codes|reminder|receipt\n"
	"                        [--member CODE...] [--dry-run] [relay options]\n"
	"       ballot mail outbox [--circular ID] [--json]\n"
	"       ballot mail schedule --circular ID [--reminders DAYS|none]\n"
	"       ballot mail run [relay options]\n"
	"\n"
	"The mailroom: messages to the members' contacts (ballot contacts), built\n"
	"from forms/mail/<lang>/<what>.txt, recorded in the outbox, then sent.\n";

static const char USAGE_SEND[] =
	"usage: ballot mail send --circular ID --what circular|codes|reminder|receipt\n"
	"                        [--member CODE...] [--dry-run] [--portal URL] [--key FILE]\n"
	"                        [--mail-relay URL] [--mail-user U] [--mail-password-file F]\n"
	"                        [--mail-from A] [--mail-ca F] [--mail-rate N]\n"
	"\n"
	"One message per member of the electorate (or each --member) that has a\n"
	"contact, in the language of its first 'to' contact, to all its contacts:\n"
	"  circular  the notice, with the member's Annex 2 form and the blank one\n"
	"  codes     a fresh reply code (issued when the message is sent) and the\n"
	"            portal's address (--portal, else portal_url)\n"
	"  reminder  only to members with no counted reply on some draft: those\n"
	"            drafts and the time left\n"
	"  receipt   the signed receipt of the member's last reply (--key)\n"
	"A member already sent this message (the same day, for a reminder; the\n"
	"same reply, for a receipt) is not sent it again. Every message is recorded\n"
	"in the outbox before it is sent; the messages queued by an earlier run\n"
	"that stopped (a crash, a relay outage) are sent first. --dry-run builds\n"
	"and lists the messages, and records and sends nothing.\n"
	"The relay: --mail-relay smtp://host:port (STARTTLS required) or\n"
	"smtps://host:port, else $BALLOT_MAIL_RELAY, else mail_relay of the\n"
	"configuration file; likewise mail_user, mail_password_file (mode 0600 or\n"
	"0400, yours), mail_from, mail_ca and mail_rate (messages per minute).\n"
	"Exit 1 when the relay cannot be reached: the messages stay queued.\n";

static const char USAGE_SCHEDULE[] =
	"usage: ballot mail schedule --circular ID [--reminders DAYS|none]\n"
	"\n"
	"Sets (or shows) the days before the consultation's deadline on which\n"
	"`ballot mail run` sends the reminders: DAYS a comma-separated list of\n"
	"0-365 (14,7,2); none clears it.\n";

static const char USAGE_RUN[] =
	"usage: ballot mail run [--circular ID] [--what KIND] [--dry-run] [--portal URL] [--key FILE]\n"
	"                       [--mail-relay URL] [--mail-user U] [--mail-password-file F]\n"
	"                       [--mail-from A] [--mail-ca F] [--mail-rate N]\n"
	"\n"
	"Sends what is due, idempotently (for a timer or cron): each open\n"
	"consultation's reminder once the latest day of its schedule is reached\n"
	"(once per scheduled day: a run repeated sends nothing again), then every\n"
	"message queued and due (an earlier run's, after a crash or an outage).\n"
	"The relay options are mail send's. --circular: only that consultation's;\n"
	"--what: only that kind (receipt: what `ballot serve` runs when a reply's\n"
	"receipt is queued, within a second).\n";

static const char USAGE_OUTBOX[] =
	"usage: ballot mail outbox [--circular ID] [--json]\n"
	"\n"
	"Lists the outbox: each message's member, kind, state (queued, sent,\n"
	"failed), attempts, Message-ID, SHA-256 and the relay's last answer.\n";

enum { O_CIRCULAR, O_WHAT, O_MEMBER, O_DRY, O_PORTAL, O_KEY, O_RELAY, O_USER, O_PWFILE, O_FROM, O_CA, O_RATE };

/* The relay settings in force, and the sender. */
typedef struct send_conf {
	mail_relay r;
	char from[BT_CONTACT_ADDRESS_MAX + 1]; /* ASCII */
	const char *from_name;
} send_conf;

static int conf_get(cli_ctx *ctx, int k, const cli_opt *o, cli_value *v)
{
	cli_conf_value(ctx, k, o, v);
	return v->value != NULL;
}

int mail_password_read(const char *where, const char *path, char **out, bt_err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return bt_fail(e, BT_EINPUT, "%s: '%s': %s", where, path, strerror(errno));
	int rc = BT_OK;
	unsigned mode = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = bt_fail(e, BT_EINPUT, "%s: '%s' is not a regular file", where, path);
	else if ((mode = (unsigned)(st.st_mode & 07777)) != 0600 && mode != 0400)
		rc = bt_fail(e, BT_EINPUT, "%s: '%s' has mode %04o: others could read it (chmod 600 it)", where, path,
			     mode);
	else if (st.st_uid != geteuid())
		rc = bt_fail(e, BT_EINPUT, "%s: '%s' is owned by uid %lu, not by you (uid %lu)", where, path,
			     (unsigned long)st.st_uid, (unsigned long)geteuid());
	char buf[1024];
	ssize_t n = rc ? 0 : read(fd, buf, sizeof buf - 1);
	close(fd);
	if (!rc && n < 0)
		rc = bt_fail(e, BT_EFAIL, "%s: '%s': %s", where, path, strerror(errno));
	if (rc)
		return rc;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0])
		return bt_fail(e, BT_EINPUT, "%s: '%s' holds no password", where, path);
	*out = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	return *out ? BT_OK : bt_fail(e, BT_EFAIL, "out of memory");
}

static int relay_load(cli_ctx *ctx, const cli_opt *o, int dry, send_conf *sc, bt_err *e)
{
	cli_value v;
	long long rate = 0;
	int rc = BT_OK;
	if (!conf_get(ctx, CONF_MAIL_FROM, &o[O_FROM], &v))
		return bt_fail(e, BT_EINPUT, "--mail-from: not set: give --mail-from ADDRESS or mail_from in the "
			       "configuration file");
	if ((rc = bt_contact_address_check(v.where, v.value, e)) ||
	    (rc = bt_contact_address_ascii(v.where, v.value, sc->from, e)))
		return rc;
	sc->from_name = "ITU-T TSB";
	if (conf_get(ctx, CONF_MAIL_RATE, &o[O_RATE], &v) &&
	    (rc = cli_parse_int(v.where, v.value, 1, 100000, &rate, e)))
		return rc;
	sc->r.rate = (long)rate;
	sc->r.ca = conf_get(ctx, CONF_MAIL_CA, &o[O_CA], &v) ? v.value : NULL;
	if (dry)
		return BT_OK;
	if (!conf_get(ctx, CONF_MAIL_RELAY, &o[O_RELAY], &v))
		return bt_fail(e, BT_EINPUT, "--mail-relay: not set: give --mail-relay smtp://host:port, "
			       "BALLOT_MAIL_RELAY or mail_relay in the configuration file");
	if ((rc = cli_check_smtp_url(v.where, v.value, e)))
		return rc;
	sc->r.url = v.value;
	sc->r.user = conf_get(ctx, CONF_MAIL_USER, &o[O_USER], &v) ? v.value : NULL;
	if (!conf_get(ctx, CONF_MAIL_PASSWORD_FILE, &o[O_PWFILE], &v))
		return sc->r.user ? bt_fail(e, BT_EINPUT, "--mail-password-file: not set, and mail_user '%s' needs "
					    "a password", sc->r.user)
				  : BT_OK;
	if (!sc->r.user)
		return bt_fail(e, BT_EINPUT, "%s: a password file without mail_user", v.where);
	return mail_password_read(v.where, v.value, &sc->r.password, e);
}

static void relay_release(send_conf *sc)
{
	if (sc->r.password) {
		explicit_bzero(sc->r.password, strlen(sc->r.password));
		free(sc->r.password);
		sc->r.password = NULL;
	}
}

/* The members to write to: each --member (in the electorate), else the
 * electorate; *who points into x->electorate. */
static int pick(mail_run *x, const cli_opt *o, const bt_member ***who, size_t *n, bt_err *e)
{
	*n = 0;
	*who = calloc(x->electorate.n + 1, sizeof **who);
	if (!*who)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t i = 0; !o->n && i < x->electorate.n; i++)
		(*who)[(*n)++] = &x->electorate.v[i];
	for (size_t k = 0; k < o->n; k++) {
		char code[4];
		int rc = cli_member_resolve(x->db, "member", o->vals[k], code, e);
		size_t i = 0;
		while (!rc && i < x->electorate.n && strcmp(x->electorate.v[i].code, code) != 0)
			i++;
		if (!rc && i == x->electorate.n)
			rc = bt_fail(e, BT_EINPUT, "--member: %s is not in the electorate of %s", code, x->c.circular);
		for (size_t j = 0; !rc && j < *n; j++)
			if ((*who)[j] == &x->electorate.v[i])
				rc = bt_fail(e, BT_EINPUT, "--member: %s is named twice", code);
		if (rc)
			return rc;
		(*who)[(*n)++] = &x->electorate.v[i];
	}
	return BT_OK;
}

/* The replies (or withdrawals) one receipt is about: member's events of
 * kind reply or withdrawal numbered first..last (one submission), with
 * their drafts; rec points into h. */
typedef struct receipt_of {
	bt_history h;
	int64_t *seq;
	const char **rec;
	mail_replies r;
} receipt_of;

static void receipt_of_free(receipt_of *s)
{
	bt_history_free(&s->h);
	free(s->seq);
	free(s->rec);
	memset(s, 0, sizeof *s);
}

static int is_reply(const bt_history_item *it)
{
	return !strcmp(it->kind, "reply") || !strcmp(it->kind, "withdrawal");
}

/* The events of a receipt's round: "SEQ" or "FIRST-LAST". */
static int round_parse(const char *round, int64_t *first, int64_t *last)
{
	char *end;
	*first = *last = strtoll(round, &end, 10);
	if (*end == '-')
		*last = strtoll(end + 1, &end, 10);
	return *end == '\0' && *first > 0 && *last >= *first;
}

/* Loads member's history and picks its replies numbered first..last
 * (last 0: its last submission: its last reply and those before it
 * recorded in the same transaction, at the same time). */
static int receipt_load(mail_run *x, const char *member, int64_t first, int64_t last, receipt_of *s,
			bt_err *e)
{
	memset(s, 0, sizeof *s);
	int rc = bt_history_get(x->db, x->c.circular, member, &s->h, e);
	if (rc)
		return rc;
	if (!last) {
		size_t i = s->h.n;
		while (i > 0 && !is_reply(&s->h.v[i - 1]))
			i--;
		if (i == 0)
			return BT_OK;
		const bt_history_item *l = &s->h.v[--i];
		first = last = l->seq;
		while (i > 0 && s->h.v[i - 1].recorded_at == l->recorded_at &&
		       (is_reply(&s->h.v[i - 1]) || !strcmp(s->h.v[i - 1].kind, "late-entry")))
			first = s->h.v[--i].seq;
	}
	s->seq = calloc(s->h.n + 1, sizeof *s->seq);
	s->rec = calloc(s->h.n + 1, sizeof *s->rec);
	if (!s->seq || !s->rec)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t i = 0; i < s->h.n; i++)
		if (is_reply(&s->h.v[i]) && s->h.v[i].seq >= first && s->h.v[i].seq <= last) {
			s->seq[s->r.n] = s->h.v[i].seq;
			s->rec[s->r.n++] = s->h.v[i].rec;
		}
	s->r.seq = s->seq;
	s->r.rec = s->rec;
	return BT_OK;
}

/* Whether a receipt of member's in the outbox covers event seq (its round
 * "SEQ" or "FIRST-LAST" holds it): the submission's receipt was queued
 * with it (the reply's transaction, whose round may differ from what
 * receipt_load guesses for replies recorded in one second). */
static int receipt_covered(mail_run *x, const char *member, int64_t seq, int *covered, bt_err *e)
{
	*covered = 0;
	if (!x->queued_read) {
		int rc = bt_outbox_all(x->db, x->c.circular, &x->queued, e);
		if (rc)
			return rc;
		x->queued_read = 1;
	}
	for (size_t i = 0; i < x->queued.n && !*covered; i++) {
		const bt_outbox_msg *om = &x->queued.v[i];
		int64_t first, last;
		*covered = !strcmp(om->what, "receipt") && !strcmp(om->member, member) &&
			   round_parse(om->round, &first, &last) && first <= seq && seq <= last;
	}
	return BT_OK;
}

/* The round of a message: one circular and one codes message per member;
 * a reminder a day; a receipt per submission (its events, loaded into
 * *sub). 0 with *skip set when the member is not to be sent one. */
static int round_of(mail_run *x, const bt_member *m, char round[32], receipt_of *sub, int *skip, int *already,
		    bt_err *e)
{
	*skip = *already = 0;
	round[0] = '\0';
	if (strcmp(x->what, "reminder") == 0) {
		char ts[BT_TIME_LEN];
		bt_time_format(x->now, ts);
		snprintf(round, 32, "%.10s", x->round ? x->round : ts);
		*skip = !mail_pending_of(x, m->code);
	} else if (strcmp(x->what, "receipt") == 0) {
		int covered = 0;
		int rc = receipt_load(x, m->code, 0, 0, sub, e);
		if (!rc && sub->r.n)
			rc = receipt_covered(x, m->code, sub->r.seq[sub->r.n - 1], &covered, e);
		if (rc)
			return rc;
		*skip = sub->r.n == 0;
		*already = covered;
		if (sub->r.n == 1)
			snprintf(round, 32, "%lld", (long long)sub->r.seq[0]);
		else if (sub->r.n)
			snprintf(round, 32, "%lld-%lld", (long long)sub->r.seq[0], (long long)sub->r.seq[sub->r.n - 1]);
	}
	return BT_OK;
}

/* The contacts of m with their addresses in ASCII form, and the
 * recipients line of the envelope. */
static int contacts_ascii(bt_db *db, const char *code, bt_contact_list *l, bt_buf *rcpt, bt_err *e)
{
	int rc = bt_contacts_list(db, code, l, e);
	for (size_t i = 0; !rc && i < l->n; i++) {
		char a[BT_CONTACT_ADDRESS_MAX + 1];
		if (!(rc = bt_contact_address_ascii("address", l->v[i].address, a, e))) {
			memcpy(l->v[i].address, a, sizeof a);
			bt_buf_addf(rcpt, "%s%s", i ? "," : "", a);
		}
	}
	return rc ? rc : rcpt->failed ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}

/* Builds member m's message (code: the reply code to print, "" when
 * it is issued only at sending) into out, its Message-ID into msgid. */
static int build_one(mail_run *x, const send_conf *sc, const bt_member *m, const bt_contact_list *cl,
		     const char *code, const mail_replies *r, char *msgid, bt_buf *out, bt_err *e)
{
	mail_content ct;
	int rc = mail_message_id(x->c.circular, x->what, m->code, sc->from, msgid, BT_OUTBOX_MSGID_MAX + 1, e);
	if (rc)
		return rc;
	rc = mail_content_make(x, m, &cl->v[0], code, r, &ct, e);
	mail_msg mm = { .from = sc->from, .from_name = sc->from_name, .to = cl->v, .nto = cl->n,
			.subject = bt_buf_str(&ct.subject), .body = bt_buf_str(&ct.body), .parts = ct.parts,
			.nparts = ct.nparts, .message_id = msgid, .date = x->now };
	if (!rc)
		rc = mail_build(&mm, out, e);
	mail_content_release(&ct);
	return rc;
}

typedef struct tally {
	int queued, already, skipped, no_contact, sent, failed, waiting;
	bt_buf missing;
} tally;

/* Records (or, dry, lists) the message of member m unless the outbox has
 * it already. */
static int queue_one(mail_run *x, const send_conf *sc, const bt_member *m, int dry, tally *t, bt_err *e)
{
	char round[32], msgid[BT_OUTBOX_MSGID_MAX + 1];
	int64_t id = 0;
	int skip, already;
	receipt_of sub;
	bt_contact_list cl = { NULL, 0 };
	bt_buf rcpt = BT_BUF_INIT, msg = BT_BUF_INIT;
	memset(&sub, 0, sizeof sub);
	int rc = round_of(x, m, round, &sub, &skip, &already, e);
	if (!rc && !skip && already)
		id = -1; /* a receipt of the submission is in the outbox */
	else if (!rc && !skip)
		rc = bt_outbox_find(x->db, x->c.circular, x->what, m->code, round, &id, e);
	if (!rc && !skip && !id)
		rc = contacts_ascii(x->db, m->code, &cl, &rcpt, e);
	if (rc || skip || id || cl.n == 0) {
		t->skipped += skip;
		t->already += id != 0;
		if (!rc && !skip && !id)
			bt_buf_addf(&t->missing, "%s%s", t->no_contact++ ? ", " : "", m->code);
		goto done;
	}
	if ((rc = build_one(x, sc, m, &cl, "", &sub.r, msgid, &msg, e)))
		goto done;
	int keep = strcmp(x->what, "codes") != 0;
	bt_outbox_msg om = { .member = "", .recipients = (char *)bt_buf_str(&rcpt) };
	snprintf(om.circular, sizeof om.circular, "%s", x->c.circular);
	snprintf(om.member, sizeof om.member, "%s", m->code);
	snprintf(om.what, sizeof om.what, "%s", x->what);
	snprintf(om.round, sizeof om.round, "%s", round);
	snprintf(om.message_id, sizeof om.message_id, "%s", msgid);
	snprintf(om.sender, sizeof om.sender, "%s", sc->from);
	if (dry)
		printf("would send %s to %s (%s): %zu bytes, %s\n", x->what, m->code, bt_buf_str(&rcpt), msg.len, msgid);
	else
		rc = bt_outbox_queue(x->db, &om, msg.data, msg.len, keep, x->now, &id, e);
	t->queued += !rc;
done:
	receipt_of_free(&sub);
	bt_contact_list_free(&cl);
	bt_buf_release(&rcpt);
	bt_buf_release(&msg);
	return rc;
}

/* The member of the electorate of code, NULL when it is not in it. */
static const bt_member *member_of(const mail_run *x, const char *code)
{
	for (size_t i = 0; i < x->electorate.n; i++)
		if (strcmp(x->electorate.v[i].code, code) == 0)
			return &x->electorate.v[i];
	return NULL;
}

/* A receipt queued by the reply's own transaction (setting mail_receipts)
 * has no bytes yet: built now, to the member's contacts of now, and kept
 * (a later attempt sends the same bytes). *gone: the member has no contact
 * any more (the row is then marked failed by the caller). */
static int build_receipt(mail_run *x, const send_conf *sc, bt_outbox_msg *om, bt_buf *msg, int *gone, bt_err *e)
{
	bt_contact_list cl = { NULL, 0 };
	bt_buf rcpt = BT_BUF_INIT;
	receipt_of sub;
	const bt_member *m = member_of(x, om->member);
	int64_t first, last;
	memset(&sub, 0, sizeof sub);
	*gone = 0;
	int rc = m && round_parse(om->round, &first, &last)
			 ? receipt_load(x, om->member, first, last, &sub, e)
			 : bt_fail(e, BT_EFAIL, "outbox: message %lld is not a receipt of %s's", (long long)om->id,
				   x->c.circular);
	if (!rc && sub.r.n == 0)
		rc = bt_fail(e, BT_EFAIL, "outbox: message %lld: %s has no reply numbered %s", (long long)om->id,
			     om->member, om->round);
	if (!rc)
		rc = contacts_ascii(x->db, om->member, &cl, &rcpt, e);
	if (!rc && cl.n == 0)
		*gone = 1;
	if (!rc && cl.n)
		rc = build_one(x, sc, m, &cl, "", &sub.r, om->message_id, msg, e);
	if (!rc && cl.n) {
		char *r = strdup(bt_buf_str(&rcpt));
		free(om->recipients);
		om->recipients = r;
		snprintf(om->sender, sizeof om->sender, "%s", sc->from);
		rc = r ? bt_outbox_built(x->db, om, msg->data, msg->len, e) : bt_fail(e, BT_EFAIL, "out of memory");
	}
	receipt_of_free(&sub);
	bt_contact_list_free(&cl);
	bt_buf_release(&rcpt);
	return rc;
}

/* A `codes` message is never kept: built again with a fresh code (the one
 * it had revoked) and recorded just before each attempt. */
static int rebuild_codes(cli_ctx *ctx, mail_run *x, const send_conf *sc, bt_outbox_msg *om, bt_buf *msg,
			 bt_err *e)
{
	bt_code_list codes = { NULL, 0 };
	bt_contact_list cl = { NULL, 0 };
	bt_buf rcpt = BT_BUF_INIT;
	const bt_member *m = member_of(x, om->member);
	int rc = m ? contacts_ascii(x->db, om->member, &cl, &rcpt, e)
		   : bt_fail(e, BT_EINPUT, "outbox: %s is not in the electorate any more", om->member);
	if (!rc && cl.n == 0)
		rc = bt_fail(e, BT_EINPUT, "outbox: %s has no contact any more", om->member);
	if (!rc)
		rc = bt_codes_issue(x->db, x->c.circular, om->member, cli_actor(ctx), x->now, &codes, e);
	if (!rc && codes.n != 1)
		rc = bt_fail(e, BT_EFAIL, "no reply code was issued for %s", om->member);
	if (!rc)
		rc = build_one(x, sc, m, &cl, codes.v[0].code, NULL, om->message_id, msg, e);
	if (!rc)
		rc = bt_outbox_rebuilt(x->db, om->id, om->message_id, msg->data, msg->len, e);
	if (codes.n)
		explicit_bzero(codes.v, codes.n * sizeof *codes.v);
	bt_code_list_free(&codes);
	bt_contact_list_free(&cl);
	bt_buf_release(&rcpt);
	return rc;
}

/* Waits so that no more than rate messages leave per minute. */
static void rate_wait(long rate, struct timespec *last)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (rate > 0 && last->tv_sec) {
		double gap = 60.0 / (double)rate;
		double since = (double)(now.tv_sec - last->tv_sec) + (double)(now.tv_nsec - last->tv_nsec) / 1e9;
		if (since < gap) {
			double d = gap - since;
			struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };
			while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
				;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, last);
}

/* What the relay said about one message, recorded. BT_OK to go on with the
 * next; otherwise the run stops (relay gone, credentials refused). */
static int record_result(mail_run *x, const send_conf *sc, const bt_outbox_msg *om, mail_result r,
			 const char *answer, tally *t, bt_err *e)
{
	int rc = BT_OK;
	switch (r) {
	case MAIL_SENT:
		t->sent += !(rc = bt_outbox_sent(x->db, om->id, x->now, answer, e));
		break;
	case MAIL_PERMANENT:
		cli_warn("the relay refused the %s message to %s for good: %s", om->what, om->member, answer);
		t->failed += !(rc = bt_outbox_failed(x->db, om->id, answer, e));
		break;
	case MAIL_TRANSIENT:
		t->waiting += !(rc = bt_outbox_retry(x->db, om->id, x->now + bt_outbox_backoff(om->attempts + 1),
						     answer, e));
		break;
	case MAIL_NO_RELAY:
		rc = bt_outbox_retry(x->db, om->id, x->now, answer, e);
		return rc ? rc : bt_fail(e, BT_EFAIL, "--mail-relay: %s: %s; the messages stay queued: run mail send "
					 "again", sc->r.url, answer);
	case MAIL_AUTH:
		rc = bt_outbox_retry(x->db, om->id, x->now, answer, e);
		return rc ? rc : bt_fail(e, BT_EINPUT, "--mail-user: '%s': the relay refused the credentials (%s)",
					 sc->r.user ? sc->r.user : "", answer);
	}
	return rc;
}

/* Sends every queued message of the circular that is due, in order. */
static int deliver(cli_ctx *ctx, mail_run *x, const send_conf *sc, mail_smtp *s, tally *t, bt_err *e)
{
	bt_outbox_list due = { NULL, 0 };
	struct timespec last = { 0, 0 };
	int rc = bt_outbox_due(x->db, x->c.circular, x->now, &due, e);
	for (size_t i = 0; !rc && i < due.n; i++) {
		bt_outbox_msg *om = &due.v[i];
		if (strcmp(om->what, x->what) != 0) /* for a run of its own kind */
			continue;
		bt_buf built = BT_BUF_INIT;
		char answer[BT_OUTBOX_ANSWER_MAX + 1];
		const void *msg = om->message;
		size_t len = om->message_len;
		int gone = 0;
		if (!msg && strcmp(om->what, "receipt") == 0)
			rc = build_receipt(x, sc, om, &built, &gone, e);
		else if (!msg)
			rc = rebuild_codes(ctx, x, sc, om, &built, e);
		if (!msg && !rc) {
			msg = built.data;
			len = built.len;
		}
		if (!rc && gone) { /* said by summary(), not a refusal of the relay */
			bt_buf_addf(&t->missing, "%s%s", t->no_contact++ ? ", " : "", om->member);
			rc = bt_outbox_failed(x->db, om->id, "no contact address any more", e);
		} else if (!rc) {
			rate_wait(sc->r.rate, &last);
			mail_result r = mail_smtp_send(s, om->sender, om->recipients, msg, len, answer, sizeof answer);
			rc = record_result(x, sc, om, r, answer, t, e);
		}
		bt_buf_release(&built);
	}
	bt_outbox_list_free(&due);
	return rc;
}

/* Loads what every message of the run shares. */
static int run_load(cli_ctx *ctx, const cli_opt *o, const char *circular, mail_run *x, bt_err *e)
{
	cli_value v;
	int rc = cli_open_db(ctx, 1, &x->db, e);
	if (!rc)
		rc = cli_now(ctx, &x->now, e);
	if (!rc)
		rc = bt_consultation_get(x->db, circular, &x->c, e);
	if (!rc)
		rc = bt_drafts_list(x->db, x->c.circular, &x->drafts, e);
	if (!rc && x->drafts.n == 0)
		rc = bt_fail(e, BT_EINPUT, "--circular: %s has no drafts yet", x->c.circular);
	if (!rc)
		rc = bt_electorate_list(x->db, x->c.circular, &x->electorate, e);
	if (!rc)
		bt_drafts_digest(&x->drafts, x->digest);
	if (!rc && strcmp(x->what, "reminder") == 0)
		rc = bt_pending_get(x->db, x->c.circular, NULL, x->now, &x->pending, e);
	if (!rc && strcmp(x->what, "receipt") == 0)
		rc = cli_load_key(ctx, &o[O_KEY], &x->key, e);
	if (!rc && strcmp(x->what, "codes") == 0) {
		cli_conf_value(ctx, CONF_PORTAL_URL, &o[O_PORTAL], &v);
		if (!v.value)
			rc = bt_fail(e, BT_EINPUT, "--portal: the portal's address is not set: give --portal URL or "
				     "portal_url in the configuration file");
		else if (!(rc = cli_check_url(v.where, v.value, e)))
			x->portal_url = v.value;
	}
	if (!rc && o[O_PORTAL].count && strcmp(x->what, "codes") != 0)
		rc = bt_fail(e, BT_EINPUT, "--portal: only with --what codes");
	return rc;
}

static int what_check(const char *what, bt_err *e)
{
	static const char *const whats[] = { "circular", "codes", "reminder", "receipt" };
	for (size_t i = 0; i < 4; i++)
		if (strcmp(what, whats[i]) == 0)
			return BT_OK;
	return bt_fail(e, BT_EINPUT, "--what: '%s' is not circular, codes, reminder or receipt", what);
}

static void summary(const mail_run *x, const tally *t, int dry)
{
	printf("%s %s: %d message%s %s", x->c.circular, x->what, t->queued, t->queued == 1 ? "" : "s",
	       dry ? "would be queued" : "queued");
	if (!dry)
		printf(", %d sent, %d refused, %d waiting to be retried", t->sent, t->failed, t->waiting);
	if (t->already)
		printf(" (%d already in the outbox)", t->already);
	if (t->skipped)
		printf(" (%d not concerned)", t->skipped);
	printf("\n");
	if (t->no_contact)
		cli_warn("%d member%s no contact address, no message: %s", t->no_contact,
			 t->no_contact == 1 ? " has" : "s have", bt_buf_str(&t->missing));
}

/* The relay, probed before anything is recorded: refused credentials stop
 * the run with nothing changed; an unreachable relay does not (the messages
 * are queued, and the run then fails). */
static int relay_open(const send_conf *sc, mail_smtp **s, int *reachable, bt_err *e)
{
	char answer[BT_OUTBOX_ANSWER_MAX + 1];
	int rc = mail_smtp_open(&sc->r, s, e);
	if (rc)
		return rc;
	mail_result r = mail_smtp_probe(*s, answer, sizeof answer);
	*reachable = r == MAIL_SENT;
	if (r == MAIL_AUTH)
		return bt_fail(e, BT_EINPUT, "--mail-user: '%s': the relay refused the credentials (%s)",
			       sc->r.user ? sc->r.user : "", answer);
	if (!*reachable)
		cli_warn("the relay %s cannot be reached: %s", sc->r.url, answer);
	return BT_OK;
}

/* One kind of message of one circular: the members' messages recorded
 * (queue_new: each member of --member, else of the electorate, not sent it
 * yet), then what is queued sent (unless dry or the relay is gone). *failed
 * counts the messages refused for good. */
static int send_kind(cli_ctx *ctx, const cli_opt *o, const send_conf *sc, mail_smtp *s, int reachable,
		     const char *circular, const char *what, const char *round, int queue_new, int *failed,
		     bt_err *e)
{
	mail_run x;
	tally t = { .missing = BT_BUF_INIT };
	const bt_member **who = NULL;
	size_t n = 0;
	int dry = o[O_DRY].count > 0;
	memset(&x, 0, sizeof x);
	for (int i = 0; i < PDF_NLANGS; i++)
		bt_buf_init(&x.blank[i], 0);
	x.what = what;
	x.round = round;
	int rc = run_load(ctx, o, circular, &x, e);
	if (!rc && queue_new)
		rc = pick(&x, &o[O_MEMBER], &who, &n, e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = queue_one(&x, sc, who[i], dry, &t, e);
	if (!rc && !dry && reachable)
		rc = deliver(ctx, &x, sc, s, &t, e);
	if (!rc || t.sent || t.queued)
		summary(&x, &t, dry);
	*failed += t.failed;
	free(who);
	bt_buf_release(&t.missing);
	mail_run_release(&x);
	return rc;
}

/* The run's end: the relay gone, or messages refused for good. */
static int run_end(int rc, const send_conf *sc, int reachable, int failed, bt_err *e)
{
	if (!rc && !reachable)
		rc = bt_fail(e, BT_EFAIL, "--mail-relay: %s cannot be reached; the messages stay queued: run mail send "
			     "again", sc->r.url);
	if (!rc && failed)
		rc = bt_fail(e, BT_EFAIL, "%d message%s refused by the relay (ballot mail outbox)", failed,
			     failed == 1 ? "" : "s");
	return rc;
}

/* One sender at a time per database: an exclusive lock on DB.mail-lock
 * held while messages are recorded and sent (two `mail send`, a timer's
 * `mail run` and the sender of each `ballot serve` take turns, so none
 * sends a message another is sending; the kernel drops it with a process
 * killed). Not for a dry run (it sends nothing). *fd: -1 when none. */
static int send_lock(cli_ctx *ctx, int dry, int *fd, bt_err *e)
{
	char path[4200];
	*fd = -1;
	if (dry)
		return BT_OK;
	snprintf(path, sizeof path, "%s.mail-lock", cli_db_path(ctx));
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0)
		return bt_fail(e, BT_EFAIL, "mail: '%s': %s", path, strerror(errno));
	while (flock(*fd, LOCK_EX) != 0)
		if (errno != EINTR)
			return bt_fail(e, BT_EFAIL, "mail: locking '%s': %s", path, strerror(errno));
	return BT_OK;
}

static void send_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

#define MAIL_OPTS                                                                                             \
	CLI_OPT("circular", CLI_ARG), CLI_OPT("what", CLI_ARG), CLI_OPT("member", CLI_MULTI),                 \
		CLI_OPT("dry-run", CLI_FLAG), CLI_OPT("portal", CLI_ARG), CLI_OPT("key", CLI_ARG),             \
		CLI_OPT("mail-relay", CLI_ARG), CLI_OPT("mail-user", CLI_ARG),                                  \
		CLI_OPT("mail-password-file", CLI_ARG), CLI_OPT("mail-from", CLI_ARG), CLI_OPT("mail-ca", CLI_ARG), \
		CLI_OPT("mail-rate", CLI_ARG), CLI_OPT_END

static int mail_send(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { MAIL_OPTS };
	send_conf sc;
	mail_smtp *s = NULL;
	int reachable = 1, failed = 0, dry, lock = -1;
	memset(&sc, 0, sizeof sc);
	int rc = cli_parse(ctx, argc, argv, USAGE_SEND, o, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	dry = o[O_DRY].count > 0;
	if (!(rc = cli_require(&o[O_CIRCULAR], e)) && !(rc = cli_require(&o[O_WHAT], e)) &&
	    !(rc = what_check(o[O_WHAT].val, e)) && !(rc = relay_load(ctx, o, dry, &sc, e)) &&
	    !(rc = send_lock(ctx, dry, &lock, e)) && !dry)
		rc = relay_open(&sc, &s, &reachable, e);
	if (!rc)
		rc = send_kind(ctx, o, &sc, s, reachable, o[O_CIRCULAR].val, o[O_WHAT].val, NULL, 1, &failed, e);
	rc = run_end(rc, &sc, reachable, failed, e);
	send_unlock(lock);
	mail_smtp_close(s);
	relay_release(&sc);
	return rc;
}

/* `mail run`: the scheduled reminders due, then whatever is queued. */
static int mail_run_cmd(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { MAIL_OPTS };
	send_conf sc;
	mail_smtp *s = NULL;
	bt_mail_due_list due = { NULL, 0 };
	bt_db *db;
	bt_time now;
	int reachable = 1, failed = 0, lock = -1;
	memset(&sc, 0, sizeof sc);
	int rc = cli_parse(ctx, argc, argv, USAGE_RUN, o, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if (o[O_MEMBER].count)
		return bt_fail(e, BT_EINPUT, "--member: not an option of mail run (mail send takes it)");
	if (o[O_WHAT].count && (rc = what_check(o[O_WHAT].val, e)))
		return rc;
	if (!(rc = relay_load(ctx, o, o[O_DRY].count > 0, &sc, e)) && !(rc = cli_open_db(ctx, 1, &db, e)) &&
	    !(rc = send_lock(ctx, o[O_DRY].count > 0, &lock, e)) &&
	    !(rc = cli_now(ctx, &now, e)) && !(rc = bt_mail_due_at(db, now, &due, e)) && !o[O_DRY].count && due.n)
		rc = relay_open(&sc, &s, &reachable, e);
	for (size_t i = 0; !rc && i < due.n; i++) {
		const bt_mail_due *d = &due.v[i];
		char round[32];
		snprintf(round, sizeof round, "T-%d", d->days_before);
		if ((o[O_CIRCULAR].count && strcasecmp(o[O_CIRCULAR].val, d->circular) != 0) ||
		    (o[O_WHAT].count && strcmp(o[O_WHAT].val, d->what) != 0))
			continue;
		rc = send_kind(ctx, o, &sc, s, reachable, d->circular, d->what, d->days_before < 0 ? NULL : round,
			       d->days_before >= 0, &failed, e);
	}
	if (!rc && due.n == 0)
		printf("nothing due\n");
	rc = run_end(rc, &sc, reachable, failed, e);
	send_unlock(lock);
	bt_mail_due_list_free(&due);
	mail_smtp_close(s);
	relay_release(&sc);
	return rc;
}

/* `mail schedule --circular ID [--reminders LIST|none]`. */
static int mail_schedule(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("reminders", CLI_ARG), CLI_OPT_END };
	int days[BT_SCHEDULE_MAX];
	size_t n = 0;
	bt_db *db;
	bt_time now;
	int rc = cli_parse(ctx, argc, argv, USAGE_SCHEDULE, o, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&o[0], e)) || (rc = cli_open_db(ctx, o[1].count > 0, &db, e)) || (rc = cli_now(ctx, &now, e)))
		return rc;
	if (o[1].count && strcmp(o[1].val, "none") != 0) {
		char *list = strdup(o[1].val), *save = NULL;
		if (!list)
			return bt_fail(e, BT_EFAIL, "out of memory");
		for (char *t = strtok_r(list, ",", &save); !rc && t; t = strtok_r(NULL, ",", &save)) {
			long long d;
			if (n == BT_SCHEDULE_MAX)
				rc = bt_fail(e, BT_EINPUT, "--reminders: more than %d days", BT_SCHEDULE_MAX);
			else if (!(rc = cli_parse_int("--reminders", t, 0, 365, &d, e)))
				days[n++] = (int)d;
		}
		free(list);
	}
	if (!rc && o[1].count)
		rc = bt_mail_schedule_set(db, o[0].val, days, n, now, e);
	if (!rc)
		rc = bt_mail_schedule_get(db, o[0].val, days, &n, e);
	if (rc)
		return rc;
	printf("reminders of %s:", o[0].val);
	for (size_t i = 0; i < n; i++)
		printf(" %d", days[i]);
	printf("%s\n", n ? " days before the deadline (ballot mail run sends them)" : " none");
	return BT_OK;
}

static void outbox_json(const bt_outbox_list *l, bt_buf *b)
{
	bt_buf_addc(b, '[');
	for (size_t i = 0; i < l->n; i++) {
		const bt_outbox_msg *m = &l->v[i];
		bt_buf_addf(b, "%s{", i ? "," : "");
		bt_json_kv_int(b, "id", m->id, 1);
		bt_json_kv_str(b, "circular", m->circular, 0);
		bt_json_kv_str(b, "member", m->member, 0);
		bt_json_kv_str(b, "what", m->what, 0);
		bt_json_kv_str(b, "round", m->round, 0);
		bt_json_kv_str(b, "state", m->state, 0);
		bt_json_kv_int(b, "attempts", m->attempts, 0);
		bt_json_kv_str(b, "message_id", m->message_id, 0);
		bt_json_kv_str(b, "sha256", m->sha256, 0);
		bt_json_kv_int(b, "size", m->size, 0);
		cli_json_kv_time(b, "queued", m->queued_at, 0);
		if (m->sent_at)
			cli_json_kv_time(b, "sent", m->sent_at, 0);
		else
			bt_buf_adds(b, ",\"sent\":null");
		bt_json_kv_str(b, "answer", m->answer, 0);
		bt_buf_addc(b, '}');
	}
	bt_buf_addc(b, ']');
}

static int outbox_table(const bt_outbox_list *l, bt_err *e)
{
	cli_table t;
	cli_table_init(&t, 7);
	cli_table_add(&t, (const char *const[]){ "ID", "CIRCULAR", "MEMBER", "WHAT", "STATE", "TRIES", "ANSWER" });
	for (size_t i = 0; i < l->n; i++) {
		char id[24], tries[16];
		snprintf(id, sizeof id, "%lld", (long long)l->v[i].id);
		snprintf(tries, sizeof tries, "%d", l->v[i].attempts);
		cli_table_add(&t, (const char *const[]){ id, l->v[i].circular, l->v[i].member, l->v[i].what,
							 l->v[i].state, tries, l->v[i].answer });
	}
	int rc = cli_table_print(&t, "rllllrl", stdout, e);
	cli_table_release(&t);
	return rc;
}

static int mail_outbox(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt o[] = { CLI_OPT("circular", CLI_ARG), CLI_OPT("json", CLI_FLAG), CLI_OPT_END };
	bt_outbox_list l = { NULL, 0 };
	bt_consultation c;
	bt_db *db;
	int rc = cli_parse(ctx, argc, argv, USAGE_OUTBOX, o, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_open_db(ctx, 0, &db, e)) ||
	    (o[0].count && (rc = bt_consultation_get(db, o[0].val, &c, e))) ||
	    (rc = bt_outbox_all(db, o[0].count ? c.circular : NULL, &l, e)))
		return rc;
	if (o[1].count) {
		bt_buf b = BT_BUF_INIT;
		outbox_json(&l, &b);
		rc = cli_print_json(&b, e);
		bt_buf_release(&b);
	} else if (l.n == 0) {
		printf("the outbox is empty\n");
	} else {
		rc = outbox_table(&l, e);
	}
	bt_outbox_list_free(&l);
	return rc;
}

/* `ballot mail send|outbox ...`. */
int cmd_mail(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	static const cli_sub subs[] = { { "send", mail_send },	       { "outbox", mail_outbox },
					{ "schedule", mail_schedule }, { "run", mail_run_cmd },
					{ "fetch", mail_fetch_cmd },
					{ NULL, NULL } };
	return cli_dispatch_sub(ctx, argc, argv, USAGE, subs, NULL, e);
}
