/* cmd_pending.c - `ballot pending`: the electorate members with no counted
 * reply, as of now: whom to remind. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"usage: ballot pending --circular ID [--draft REC] [--json]\n"
	"\n"
	"Lists the members of the electorate that have no counted reply as of now\n"
	"(no reply received by min(now, deadline), or one they withdrew): whom to\n"
	"remind. Without --draft, a member is listed when it lacks a counted reply\n"
	"on any draft, with the drafts it lacks. --json prints a list of\n"
	"{code, name, drafts, contacts} (contacts: its contact addresses, 0 when\n"
	"no e-mail reaches it). Members of the electorate with no contact address\n"
	"(ballot contacts) are named after the list, once any contact is\n"
	"recorded.\n";

/* The electorate members no message can reach: named after the list
 * (--json gives each pending member's "contacts" instead). */
static int no_contact_note(bt_db *db, const char *circular, bt_err *e)
{
	bt_member_codes m = { NULL, 0 };
	bt_contact_list all = { NULL, 0 };
	int rc = bt_contacts_list(db, NULL, &all, e);
	size_t any = all.n;
	bt_contact_list_free(&all);
	if (rc || any == 0) /* contacts not in use: nothing to say */
		return rc;
	if ((rc = bt_contacts_missing(db, circular, &m, e)) || m.n == 0)
		return rc;
	bt_buf b = BT_BUF_INIT;
	for (size_t i = 0; i < m.n; i++)
		bt_buf_addf(&b, "%s%s", i ? ", " : "", m.v[i]);
	printf("no contact address (ballot contacts): %s\n", bt_buf_str(&b));
	bt_buf_release(&b);
	bt_member_codes_free(&m);
	return BT_OK;
}

static int pending_json(const bt_pending_list *p, bt_err *e)
{
	bt_buf b = BT_BUF_INIT;
	int rc = bt_pending_json(p, &b, e);
	if (!rc)
		fwrite(b.data, 1, b.len, stdout);
	bt_buf_release(&b);
	return rc;
}

/* rec: the draft asked for, or NULL; ndrafts: drafts of the consultation. */
static int pending_text(const bt_consultation *c, bt_time now,
			const bt_pending_list *p, const char *rec,
			size_t ndrafts, bt_err *e)
{
	cli_table t;
	char nows[BT_TIME_LEN], dls[BT_TIME_LEN];
	int show_drafts = !rec && ndrafts > 1;
	int rc = BT_OK;

	bt_time_format(now, nows);
	bt_time_format(c->deadline, dls);
	printf("circular %s as of %s (%s the deadline %s): %zu of %d members have no counted reply",
	       c->circular, nows, now > c->deadline ? "after" : "before", dls,
	       p->n, c->electorate);
	if (rec)
		printf(" on %s\n", rec);
	else if (ndrafts > 1)
		printf(" on at least one of %zu drafts\n", ndrafts);
	else if (ndrafts == 1)
		printf("\n");
	else
		printf(" (the consultation has no drafts)\n");
	if (p->n == 0)
		return BT_OK;

	cli_table_init(&t, show_drafts ? 3 : 2);
	cli_table_add(&t, (const char *const[]){ "CODE", "NAME", "DRAFTS" });
	for (size_t i = 0; i < p->n; i++) {
		const bt_pending_item *it = &p->v[i];
		bt_buf recs = BT_BUF_INIT;
		for (size_t d = 0; d < it->n_recs; d++) {
			if (d)
				bt_buf_adds(&recs, ", ");
			bt_buf_adds(&recs, it->recs[d]);
		}
		cli_table_add(&t, (const char *const[]){ it->code, it->name,
							 bt_buf_str(&recs) });
		bt_buf_release(&recs);
	}
	rc = cli_table_print(&t, show_drafts ? "lll" : "ll", stdout, e);
	cli_table_release(&t);
	return rc;
}

/* `ballot pending --circular ID [--draft REC] [--json]`. */
int cmd_pending(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	enum { O_CIRCULAR, O_DRAFT, O_JSON };
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG),
			   CLI_OPT("draft", CLI_ARG), CLI_OPT("json", CLI_FLAG),
			   CLI_OPT_END };
	bt_pending_list p = { NULL, 0 };
	bt_consultation c;
	bt_draft d;
	const char *rec = NULL;
	bt_time now;
	bt_db *db;
	int rc;

	memset(&d, 0, sizeof d);
	rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK)
		return rc;
	rc = cli_open_db(ctx, 0, &db, e);
	if (rc == BT_OK)
		rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = bt_consultation_get(db, opts[O_CIRCULAR].val, &c, e);
	if (rc == BT_OK && opts[O_DRAFT].count) {
		/* validated, and spelt as stored */
		rc = bt_draft_find(db, c.circular, opts[O_DRAFT].val, &d, e);
		rec = d.rec;
	}
	if (rc == BT_OK)
		rc = bt_pending_get(db, c.circular, rec, now, &p, e);
	if (rc == BT_OK)
		rc = opts[O_JSON].count ? pending_json(&p, e)
					: pending_text(&c, now, &p, rec, (size_t)c.drafts, e);
	if (rc == BT_OK && !opts[O_JSON].count)
		rc = no_contact_note(db, c.circular, e);
	bt_pending_list_free(&p);
	bt_draft_clear(&d);
	return rc;
}
