/* test_contact.c - contact addresses (include/ballot/contact.h) and the
 * mailroom's outbox and schedule (include/ballot/outbox.h). */
#include "fixture.h"

static void addresses(void **state)
{
	(void)state;
	bt_err e;
	static const char *const good[] = {
		"a@b.ch", "first.last+tag@sub.example.org", "x!#$%&'*+-/=?^_`{|}~@ex-ample.com",
		"copy@bücher.ch", "info@مثال.إختبار", "tsb@例え.テスト", NULL
	};
	static const char *const bad[] = {
		"", "a", "a@", "@b.ch", "a@b", "a@@b.ch", "a@b@c.ch", ".a@b.ch", "a.@b.ch", "a..b@c.ch",
		"a b@c.ch", "\"q\"@b.ch", "müller@b.ch", "a@-b.ch", "a@b-.ch", "a@b..ch", "a@[1.2.3.4]",
		"a@b.ch.", NULL
	};
	for (int i = 0; good[i]; i++)
		if (bt_contact_address_check("address", good[i], &e) != BT_OK)
			fail_msg("refused %s: %s", good[i], e.msg);
	for (int i = 0; bad[i]; i++) {
		if (bt_contact_address_check("address", bad[i], &e) != BT_EINPUT)
			fail_msg("accepted '%s'", bad[i]);
		assert_string_equal(e.field, "address");
	}
	char a[BT_CONTACT_ADDRESS_MAX + 1];
	assert_int_equal(bt_contact_address_ascii("address", "copy@bücher.ch", a, &e), BT_OK);
	assert_string_equal(a, "copy@xn--bcher-kva.ch");
	assert_int_equal(bt_contact_address_ascii("address", "a@b.ch", a, &e), BT_OK);
	assert_string_equal(a, "a@b.ch");
	char longest[300];
	memset(longest, 'a', 65);
	snprintf(longest + 65, sizeof longest - 65, "@b.ch");
	assert_int_equal(bt_contact_address_check("address", longest, &e), BT_EINPUT); /* local part > 64 */
	assert_int_equal(bt_contact_lang_check("lang", "ar", &e), BT_OK);
	assert_int_equal(bt_contact_lang_check("lang", "de", &e), BT_EINPUT);
}

static int64_t events_now(fx *f)
{
	int64_t seq;
	char hash[65];
	(void)hash;
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	seq = r.events;
	assert_int_equal(r.first_bad, 0);
	return seq;
}

static void set_change_remove(void **state)
{
	fx *f = *state;
	int changed;
	int64_t n = events_now(f);
	assert_int_equal(bt_contact_set(f->db, "ch", "a@b.ch", NULL, "fr", "OFCOM", "test", T("2020-01-02T00:00:00Z"),
					&changed, &f->e), BT_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(bt_contact_set(f->db, "CHE", "A@B.CH", "cc", NULL, NULL, "test", T("2020-01-02T00:00:00Z"),
					&changed, &f->e), BT_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(bt_contact_set(f->db, "CHE", "a@b.ch", "cc", "fr", "OFCOM", "test", T("2020-01-02T00:00:00Z"),
					&changed, &f->e), BT_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(events_now(f), n + 2); /* an unchanged contact is no event; the audit agrees */
	bt_contact_list l;
	assert_int_equal(bt_contacts_list(f->db, "CH", &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].role, "cc");
	assert_string_equal(l.v[0].lang, "fr");
	assert_string_equal(l.v[0].name, "OFCOM");
	assert_string_equal(l.v[0].address, "a@b.ch"); /* as first given */
	bt_contact_list_free(&l);
	assert_int_equal(bt_contact_set(f->db, "CHE", "new@b.ch", NULL, NULL, NULL, "test", T("2020-01-02T00:00:00Z"),
					&changed, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "lang");
	assert_int_equal(bt_contact_set(f->db, "XXX", "new@b.ch", NULL, "en", NULL, "test", T("2020-01-02T00:00:00Z"),
					&changed, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "member");
	assert_int_equal(bt_contact_remove(f->db, "CHE", "none@b.ch", "test", T("2020-01-02T00:00:00Z"), &f->e),
			 BT_EINPUT);
	assert_int_equal(bt_contact_remove(f->db, "CHE", "a@b.ch", "test", T("2020-01-02T00:00:00Z"), &f->e), BT_OK);
	assert_int_equal(bt_contacts_list(f->db, NULL, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 0);
	bt_contact_list_free(&l);
	assert_int_equal(events_now(f), n + 3);
}

static void import_all_or_nothing(void **state)
{
	fx *f = *state;
	int changed, unchanged;
	const char *bad = "CHE\tto\ta@b.ch\tfr\n# comment\n\nFRA\tto\tx@y.fr\tfr\tANFR\nDEU\tbcc\tz@y.de\ten\n";
	assert_int_equal(bt_contacts_import(f->db, bad, strlen(bad), "test", T("2020-01-02T00:00:00Z"), &changed,
					    &unchanged, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "contacts_file");
	assert_non_null(strstr(f->e.msg, "line 5 role"));
	bt_contact_list l;
	assert_int_equal(bt_contacts_list(f->db, NULL, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 0);
	bt_contact_list_free(&l);
	const char *good = "CHE\tto\ta@b.ch\tfr\nFRA\tto\tx@y.fr\tfr\tANFR\n";
	assert_int_equal(bt_contacts_import(f->db, good, strlen(good), "test", T("2020-01-02T00:00:00Z"), &changed,
					    &unchanged, &f->e), BT_OK);
	assert_int_equal(changed, 2);
	assert_int_equal(bt_contacts_import(f->db, good, strlen(good), "test", T("2020-01-02T00:00:00Z"), &changed,
					    &unchanged, &f->e), BT_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(unchanged, 2);
	events_now(f);
}

static void consultation(fx *f, const char *circular)
{
	bt_consultation_spec sp = { .circular = circular, .group = 11, .date = D("2019-12-02"),
				    .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13") };
	bt_consultation c;
	char warn[256];
	assert_int_equal(bt_consultation_create(f->db, &sp, "test", T("2019-12-02T12:00:00Z"), &c, warn, sizeof warn,
						&f->e), BT_OK);
}

static void outbox_states(void **state)
{
	fx *f = *state;
	consultation(f, "205");
	bt_outbox_msg m = { .circular = "205", .member = "CHE", .what = "circular", .round = "",
			    .message_id = "<a@itu.int>", .sender = "tsb@itu.int", .recipients = "a@b.ch,c@d.ch" };
	int64_t id, id2, found;
	assert_int_equal(bt_outbox_queue(f->db, &m, "hello", 5, 1, T("2020-02-10T12:00:00Z"), &id, &f->e), BT_OK);
	assert_int_equal(bt_outbox_queue(f->db, &m, "hello", 5, 1, T("2020-02-10T12:00:00Z"), &id2, &f->e), BT_EINPUT);
	assert_int_equal(bt_outbox_find(f->db, "205", "circular", "CHE", "", &found, &f->e), BT_OK);
	assert_int_equal(found, id);
	bt_outbox_msg c = m;
	snprintf(c.what, sizeof c.what, "codes");
	snprintf(c.message_id, sizeof c.message_id, "<b@itu.int>");
	assert_int_equal(bt_outbox_queue(f->db, &c, "code 123", 8, 0, T("2020-02-10T12:00:00Z"), &id2, &f->e), BT_OK);
	bt_outbox_list l;
	assert_int_equal(bt_outbox_due(f->db, "205", T("2020-02-10T12:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].message_len, 5);
	assert_memory_equal(l.v[0].message, "hello", 5);
	assert_null(l.v[1].message); /* a codes message is never kept */
	assert_string_equal(l.v[0].recipients, "a@b.ch,c@d.ch");
	bt_outbox_list_free(&l);
	/* a transient refusal: due again after the back-off */
	assert_int_equal(bt_outbox_retry(f->db, id, T("2020-02-10T12:01:00Z"), "451 later", &f->e), BT_OK);
	assert_int_equal(bt_outbox_due(f->db, NULL, T("2020-02-10T12:00:30Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	bt_outbox_list_free(&l);
	assert_int_equal(bt_outbox_sent(f->db, id, T("2020-02-10T12:02:00Z"), "250 ok", &f->e), BT_OK);
	assert_int_equal(bt_outbox_sent(f->db, id, T("2020-02-10T12:02:00Z"), "250 ok", &f->e), BT_EINPUT);
	assert_int_equal(bt_outbox_failed(f->db, id2, "550 no", &f->e), BT_OK);
	assert_int_equal(bt_outbox_all(f->db, NULL, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].state, "sent");
	assert_int_equal(l.v[0].attempts, 2);
	assert_string_equal(l.v[0].answer, "250 ok");
	assert_string_equal(l.v[1].state, "failed");
	assert_string_equal(l.v[0].sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	bt_outbox_list_free(&l);
	assert_int_equal(bt_outbox_backoff(1), 60);
	assert_int_equal(bt_outbox_backoff(3), 240);
	assert_int_equal(bt_outbox_backoff(30), 3600);
}

static void schedule_due(void **state)
{
	fx *f = *state;
	consultation(f, "205"); /* deadline 2020-02-21T23:59:00Z */
	int days[] = { 2, 14, 7 }, got[BT_SCHEDULE_MAX];
	size_t n;
	assert_int_equal(bt_mail_schedule_set(f->db, "205", days, 3, T("2020-01-01T00:00:00Z"), &f->e), BT_OK);
	assert_int_equal(bt_mail_schedule_get(f->db, "205", got, &n, &f->e), BT_OK);
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 14);
	assert_int_equal(got[2], 2);
	int twice[] = { 7, 7 };
	assert_int_equal(bt_mail_schedule_set(f->db, "205", twice, 2, T("2020-01-01T00:00:00Z"), &f->e), BT_EINPUT);
	bt_mail_due_list d;
	assert_int_equal(bt_mail_due_at(f->db, T("2020-02-07T23:58:00Z"), &d, &f->e), BT_OK);
	assert_int_equal(d.n, 0); /* a minute before 14 days before */
	bt_mail_due_list_free(&d);
	assert_int_equal(bt_mail_due_at(f->db, T("2020-02-15T00:00:00Z"), &d, &f->e), BT_OK);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].circular, "205");
	assert_int_equal(d.v[0].days_before, 7);
	bt_mail_due_list_free(&d);
	assert_int_equal(bt_mail_due_at(f->db, T("2020-02-22T00:00:00Z"), &d, &f->e), BT_OK);
	assert_int_equal(d.n, 0); /* after the deadline */
	bt_mail_due_list_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addresses),
		cmocka_unit_test_setup_teardown(set_change_remove, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(import_all_or_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(outbox_states, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(schedule_due, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
