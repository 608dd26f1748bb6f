/* test_returned_check.c - the one check of a returned Annex 2 form
 * (services/returned.c, ballot/returned.h) that the command line and the
 * portal share: a clean form passes with its replies' specs; a form issued
 * before drafts were added is read as issued (stale, the drafts added since
 * named), one whose digest names no set of the circular's drafts is refused;
 * each refusal names the form's field (and a reason a front end can tell
 * apart); nothing is written. */
#include "fixture.h"
#include "dump.h"

/* The reference of circular 205's drafts now, for member (NULL: blank). */
static void ref_now(fx *f, const char *member, char out[BT_FORM_REF_MAX])
{
	bt_draft_list l;
	char digest[65];
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	bt_drafts_digest(&l, digest);
	bt_draft_list_free(&l);
	bt_form_ref_make("205", member, "en", digest, out);
}

static void add_draft(fx *f, const char *rec)
{
	bt_draft_spec d = { .circular = "205", .rec = rec, .title = "Another draft", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "test", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
}

/* A form of one draft, Q.5051, authorized, signed by "A. Person". */
typedef struct form {
	char ref[BT_FORM_REF_MAX];
	bt_returned_draft d[2];
	bt_returned_form f;
} form;

static void form_init(form *x, fx *f, const char *member)
{
	memset(x, 0, sizeof *x);
	ref_now(f, member, x->ref);
	snprintf(x->d[0].rec, sizeof x->d[0].rec, "Q.5051");
	x->d[0].choice = BT_AUTHORIZE;
	x->d[0].ticked = 1;
	snprintf(x->d[0].states, sizeof x->d[0].states, "authorize");
	x->f.reference = x->ref;
	x->f.drafts = x->d;
	x->f.n_drafts = 1;
	x->f.signatory = "A. Person";
	x->f.signatory_field = "signatory.name";
	x->f.title = "Director";
	x->f.title_field = "signatory.title";
}


static void refused(fx *f, form *x, const char *member, bt_reason reason, const char *field, const char *msg)
{
	bt_returned_verdict v;
	char *before = dump_db(f->path);
	assert_int_equal(bt_returned_check(f->db, &x->f, "205", member, T("2020-01-10T00:00:00Z"), &v, &f->e),
			 BT_EINPUT);
	assert_int_equal(f->e.reason, reason);
	assert_string_equal(f->e.field, field);
	if (msg && !strstr(f->e.msg, msg))
		fail_msg("'%s' does not hold '%s'", f->e.msg, msg);
	char *after = dump_db(f->path); /* nothing written */
	assert_string_equal(after, before);
	free(before);
	free(after);
}

static void clean_form_passes(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	form x;
	form_init(&x, f, "CHE");
	bt_returned_verdict v;
	char *before = dump_db(f->path);
	assert_int_equal(bt_returned_check(f->db, &x.f, "205", "ch", T("2020-01-10T00:00:00Z"), &v, &f->e), BT_OK);
	char *after = dump_db(f->path);
	assert_string_equal(after, before);
	free(before);
	free(after);
	assert_string_equal(v.member, "CHE");
	assert_int_equal(v.stale, 0);
	assert_string_equal(v.added_since, "");
	bt_reply_spec s[1];
	bt_returned_specs(&x.f, &v, "205", s);
	assert_string_equal(s[0].circular, "205");
	assert_string_equal(s[0].member, "CHE");
	assert_string_equal(s[0].rec, "Q.5051");
	assert_int_equal(s[0].choice, BT_AUTHORIZE);
	assert_string_equal(s[0].signatory, "A. Person");
	assert_string_equal(s[0].title, "Director");
	assert_null(s[0].signer_subject);
	assert_null(s[0].scan);
}

static void read_as_issued(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	form x;
	form_init(&x, f, "CHE"); /* issued for Q.5051 alone */
	add_draft(f, "Q.5052");
	add_draft(f, "Q.5053");
	bt_returned_verdict v;
	assert_int_equal(bt_returned_check(f->db, &x.f, "205", "CHE", T("2020-01-10T00:00:00Z"), &v, &f->e), BT_OK);
	assert_int_equal(v.stale, 1);
	assert_string_equal(v.added_since, "Q.5052, Q.5053");

	bt_draft_list l;
	unsigned long long mask = 0;
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	assert_int_equal(bt_returned_issued(&l, x.ref + strlen(x.ref) - 16, &mask), 1);
	assert_int_equal(mask, 1);
	assert_int_equal(bt_returned_issued_has(mask, 0), 1);
	assert_int_equal(bt_returned_issued_has(mask, 1), 0);
	assert_int_equal(bt_returned_issued_has(mask, 2), 0);
	assert_int_equal(bt_returned_issued_has(mask, 64), 1); /* past 63: the whole list only */
	char digest[65];
	bt_drafts_digest(&l, digest);
	assert_int_equal(bt_returned_issued(&l, digest, &mask), 1);
	assert_int_equal(mask, 7);
	assert_int_equal(bt_returned_issued(&l, "0123456789abcdef", &mask), 0);
	bt_draft_list_free(&l);

	/* a digest of no set of 205's drafts: refused, a conflict with the drafts */
	snprintf(x.ref, sizeof x.ref, "ballot:205:CHE:en:0123456789abcdef");
	refused(f, &x, "CHE", BT_R_CONFLICT, "form.reference", "issued for drafts that circular 205 does not have");
}

static void refusals_name_the_field(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	form x;
	form_init(&x, f, "CHE");
	x.f.reference = NULL;
	refused(f, &x, "CHE", BT_R_INPUT, "form.reference", "is missing");
	form_init(&x, f, "CHE");
	refused(f, &x, "FRA", BT_R_INPUT, "form.reference", "the form was issued for member CHE, not FRA");
	form_init(&x, f, NULL);
	x.f.administration = "Switzerland";
	refused(f, &x, "FRA", BT_R_INPUT, "sender.administration", "does not name {member} FRA");
	form_init(&x, f, "CHE");
	x.d[0].ticked = 2;
	snprintf(x.d[0].states, sizeof x.d[0].states, "authorize, not-authorize");
	refused(f, &x, "CHE", BT_R_INPUT, "draft.Q.5051.choice", "2 choices ticked (authorize, not-authorize)");
	x.d[0].ticked = 0;
	refused(f, &x, "CHE", BT_R_INPUT, "draft.Q.5051.choice", "no choice ticked");
	form_init(&x, f, "CHE");
	snprintf(x.d[1].rec, sizeof x.d[1].rec, "Q.9999");
	x.d[1].ticked = 1;
	x.f.n_drafts = 2;
	refused(f, &x, "CHE", BT_R_NOT_FOUND, "draft.Q.9999.choice", NULL);
	x.f.n_drafts = 0;
	refused(f, &x, "CHE", BT_R_INPUT, "draft.<REC>.choice", "no such field");
	form_init(&x, f, "CHE");
	x.f.signatory = "A\xe2\x80\x8bPerson";
	x.f.signatory_field = "sender.name";
	refused(f, &x, "CHE", BT_R_INPUT, "sender.name", "U+200B");
	form_init(&x, f, "CHE");
	x.f.is_signed = 1;
	x.f.sig_why = "the signature does not verify over the signed bytes";
	refused(f, &x, "CHE", BT_R_INPUT, "signature", "does not verify over the signed bytes");
	x.f.sig_valid = 1;
	x.f.sig_form_changed = 1;
	refused(f, &x, "CHE", BT_R_INPUT, "signature", "an update added after signing changes");
	/* a signer's certificate that is none: named as the signature's */
	static const unsigned char junk[] = "not a certificate";
	const unsigned char *certs[] = { junk };
	const size_t lens[] = { sizeof junk };
	x.f.sig_form_changed = 0;
	x.f.certs = certs;
	x.f.cert_lens = lens;
	x.f.n_certs = 1;
	refused(f, &x, "CHE", BT_R_INPUT, "signature", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(clean_form_passes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(read_as_issued, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refusals_name_the_field, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
