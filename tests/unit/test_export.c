/* test_export.c - a consultation's documents (export.c): the replies as
 * CSV (RFC 4180, formula cells defused) and JSON, the tally as JSON; names
 * as on the circular's date; the same bytes whatever the clock. */
#include "dump.h"
#include "ballot/export.h"

static bt_reply_result reply(fx *f, const char *member, bt_choice c, const char *received,
			     const bt_attachment_in *a, const char *actor)
{
	bt_reply_spec s = { 0 };
	s.circular = "205";
	s.member = member;
	s.choice = c;
	s.has_received = 1;
	s.received = T(received);
	s.channel = "fax";
	if (a) {
		s.attachments = a;
		s.n_attachments = 1;
	}
	bt_reply_result r;
	assert_int_equal(bt_reply_record(f->db, &s, actor, T(received), &r, &f->e), BT_OK);
	return r;
}

static char *export_csv(fx *f)
{
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_export_csv(f->db, "205", &b, &f->e), BT_OK);
	return bt_buf_detach(&b, NULL);
}

static void csv_rows_quoted_and_defused(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_attachment_in a = { "=cmd.txt", "our reasons", 11 };
	reply(f, "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", &a, "clerk");
	reply(f, "IRN", BT_AUTHORIZE, "2020-02-02T10:00:00Z", NULL, "-x, \"y\"");
	reply(f, "CHE", BT_WITHDRAW, "2020-02-03T10:00:00Z", NULL, "clerk");
	char sha[65], want[2048];
	bt_sha256_hex("our reasons", 11, sha);
	snprintf(want, sizeof want,
		 "seq,circular,rec,member,name,choice,received,channel,status,without_reasons,attachments,recorded_by,recorded_at\n"
		 "6,205,Q.5051,CHE,Switzerland,not-authorize,2020-02-01T10:00:00Z,fax,withdrawn,0,\"'=cmd.txt:%s\",clerk,2020-02-01T10:00:00Z\n"
		 "7,205,Q.5051,IRN,\"Iran, Islamic Republic of\",authorize,2020-02-02T10:00:00Z,fax,counted,0,,\"'-x, \"\"y\"\"\",2020-02-02T10:00:00Z\n"
		 "8,205,Q.5051,CHE,Switzerland,withdraw,2020-02-03T10:00:00Z,fax,withdrawal,0,,clerk,2020-02-03T10:00:00Z\n",
		 sha);
	char *csv = export_csv(f);
	assert_string_equal(csv, want);
	/* appended to what the buffer held */
	bt_buf b = BT_BUF_INIT;
	bt_buf_adds(&b, "before\n");
	assert_int_equal(bt_export_csv(f->db, "205", &b, &f->e), BT_OK);
	assert_int_equal(strncmp(b.data, "before\nseq,", 11), 0);
	assert_string_equal(b.data + 7, csv);
	bt_buf_release(&b);
	free(csv);
}

static void names_as_on_the_circulars_date(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	reply(f, "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", NULL, "clerk");
	char *before = export_csv(f);
	const char *tsv = "alpha3\talpha2\tname\tmember_since\nCHE\tCH\tSwiss Confederation\t\n";
	bt_member_import_stats st;
	assert_int_equal(bt_members_import(f->db, tsv, strlen(tsv), "m.tsv", "t", T("2020-02-05T00:00:00Z"), &st, &f->e),
			 BT_OK);
	assert_int_equal(st.renamed, 1);
	char *after = export_csv(f);
	assert_string_equal(after, before);
	assert_non_null(strstr(after, ",Switzerland,"));
	free(before);
	free(after);
}

static void json_document(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, "CHE\nFRA\n");
	bt_attachment_in a = { "reasons.txt", "our reasons", 11 };
	reply(f, "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", &a, "clerk");
	reply(f, "FRA", BT_AUTHORIZE, "2020-02-02T10:00:00Z", NULL, "clerk");
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_export_json(f->db, "205", &b, &f->e), BT_OK);
	assert_int_equal(b.data[b.len - 1], '\n');
	bt_jv *doc;
	assert_int_equal(bt_json_parse(b.data, b.len - 1, "export", &doc, &f->e), BT_OK);
	assert_string_equal(bt_jv_str(doc, "circular"), "205");
	int64_t n;
	assert_true(bt_jv_int(doc, "group", &n));
	assert_int_equal(n, 11);
	assert_string_equal(bt_jv_str(doc, "rule"), "tap");
	assert_string_equal(bt_jv_str(doc, "deadline"), "2020-02-21T23:59:00Z");
	const bt_jv *drafts = bt_jv_get(doc, "drafts"), *el = bt_jv_get(doc, "electorate"),
		    *rs = bt_jv_get(doc, "replies");
	assert_int_equal(drafts->n, 1);
	assert_string_equal(bt_jv_str(&drafts->items[0], "rec"), "Q.5051");
	assert_string_equal(bt_jv_str(&drafts->items[0], "former"), "Q.FW_CSM");
	assert_string_equal(bt_jv_str(&drafts->items[0], "state"), "in-consultation");
	assert_int_equal(bt_jv_get(&drafts->items[0], "source")->type, BT_JNULL);
	assert_int_equal(el->n, 2);
	assert_string_equal(el->items[0].str, "CHE");
	assert_string_equal(el->items[1].str, "FRA");
	assert_int_equal(rs->n, 2);
	const bt_jv *r0 = &rs->items[0];
	assert_true(bt_jv_int(r0, "seq", &n));
	assert_int_equal(n, 6);
	assert_string_equal(bt_jv_str(r0, "member"), "CHE");
	assert_string_equal(bt_jv_str(r0, "name"), "Switzerland");
	assert_string_equal(bt_jv_str(r0, "kind"), "reply");
	assert_string_equal(bt_jv_str(r0, "what"), "not-authorize");
	assert_string_equal(bt_jv_str(r0, "rec"), "Q.5051");
	assert_int_equal(bt_jv_get(r0, "signatory")->type, BT_JNULL);
	assert_int_equal(bt_jv_get(r0, "detail")->type, BT_JNULL);
	assert_null(bt_jv_get(r0, "late_entry_reason"));
	assert_string_equal(bt_jv_str(r0, "received"), "2020-02-01T10:00:00Z");
	assert_string_equal(bt_jv_str(r0, "channel"), "fax");
	assert_string_equal(bt_jv_str(r0, "status"), "counted");
	assert_int_equal(bt_jv_get(r0, "without_reasons")->boolean, 0);
	const bt_jv *att = bt_jv_get(r0, "attachments");
	assert_int_equal(att->n, 1);
	char sha[65];
	bt_sha256_hex("our reasons", 11, sha);
	assert_string_equal(bt_jv_str(&att->items[0], "sha256"), sha);
	assert_string_equal(bt_jv_str(&att->items[0], "role"), "reasons");
	assert_true(bt_jv_int(&att->items[0], "size", &n));
	assert_int_equal(n, 11);
	assert_string_equal(bt_jv_str(&rs->items[1], "member"), "FRA");
	assert_int_equal(bt_jv_get(&rs->items[1], "attachments")->n, 0);
	bt_jv_free(doc);
	bt_buf_release(&b);
}

/* One history item as JSON, byte for byte: the rendering history {json},
 * the export and the portal share. */
static void one_history_item(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_attachment_in a = { "reasons.txt", "our reasons", 11 };
	reply(f, "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", &a, "clerk");
	assert_int_equal(bt_consultation_close(f->db, "205", "sec", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", NULL, &h, &f->e), BT_OK);
	assert_int_equal(h.n, 2);
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_history_item_json(&b, &h.v[0], "Switzerland"), 0);
	char sha[65], want[1024];
	bt_sha256_hex("our reasons", 11, sha);
	snprintf(want, sizeof want,
		 "{\"seq\":6,\"kind\":\"reply\",\"member\":\"CHE\",\"name\":\"Switzerland\",\"rec\":\"Q.5051\","
		 "\"what\":\"not-authorize\",\"received\":\"2020-02-01T10:00:00Z\",\"channel\":\"fax\","
		 "\"status\":\"counted\",\"recorded_by\":\"clerk\",\"recorded_at\":\"2020-02-01T10:00:00Z\","
		 "\"attachments\":[{\"name\":\"reasons.txt\",\"sha256\":\"%s\",\"size\":11,\"role\":\"reasons\"}],"
		 "\"without_reasons\":false,\"signatory\":null,\"title\":null,\"detail\":null}",
		 sha);
	assert_string_equal(b.data, want);
	/* the close: no member, no name, its detail an object */
	bt_buf_reset(&b);
	assert_int_equal(bt_history_item_json(&b, &h.v[1], NULL), 0);
	bt_jv *v;
	assert_int_equal(bt_json_parse(b.data, b.len, "item", &v, &f->e), BT_OK);
	assert_string_equal(bt_jv_str(v, "kind"), "close");
	assert_int_equal(bt_jv_get(v, "member")->type, BT_JNULL);
	assert_null(bt_jv_get(v, "name"));
	assert_int_equal(bt_jv_get(v, "detail")->type, BT_JOBJ);
	bt_jv_free(v);
	bt_buf_release(&b);
	bt_history_free(&h);
}

static void tally_json(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	reply(f, "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", NULL, "clerk");
	reply(f, "FRA", BT_AUTHORIZE, "2020-02-02T10:00:00Z", NULL, "clerk");
	reply(f, "DEU", BT_AUTHORIZE, "2020-02-03T10:00:00Z", NULL, "clerk");
	bt_tally t;
	assert_int_equal(bt_tally_compute(f->db, "205", T("2020-02-10T00:00:00Z"), &t, &f->e), BT_OK);
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_tally_json(&t, &b, &f->e), BT_OK);
	const char *s = bt_buf_str(&b);
	assert_int_equal(strncmp(s, "{\"circular\":\"205\",\"rule\":\"tap\",\"deadline\":\"2020-02-21T23:59:00Z\","
				    "\"as_of\":\"2020-02-10T00:00:00Z\",\"final\":false,\"electorate\":193,"
				    "\"drafts\":[{\"rec\":\"Q.5051\",\"replies\":3,\"support\":2,\"authorize\":2,"
				    "\"authorize_with_comments\":0,\"not_authorize\":1,\"not_authorize_without_reasons\":1,",
			 254), 0);
	assert_non_null(strstr(s, "\"outstanding\":190,"));
	assert_non_null(strstr(s, "\"support_pct\":66.7,\"threshold_pct\":70,\"outcome\":\"pending\","
				  "\"if_closed_now\":\"not-proceed\","));
	assert_non_null(strstr(s, "\"state\":\"in-consultation\""));
	assert_non_null(strstr(s, "\"clause\":\"WTSA Res. 1 §9.4.5\""));
	assert_string_equal(s + b.len - strlen("\"closed\":false}\n"), "\"closed\":false}\n");
	assert_null(strstr(s, "deadline_forced"));
	bt_tally_free(&t);
	/* no replies: no share */
	bt_buf_reset(&b);
	bt_consultation_spec q = { .circular = "206", .group = 11, .date = D("2019-12-02"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13") };
	char warn[200];
	assert_int_equal(bt_consultation_create(f->db, &q, "t", T("2019-12-02T00:00:00Z"), NULL, warn, sizeof warn,
						&f->e), BT_OK);
	bt_draft_spec d = { .circular = "206", .rec = "Q.1", .title = "t", .summary = "s" };
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-02T00:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_tally_compute(f->db, "206", T("2020-02-10T00:00:00Z"), &t, &f->e), BT_OK);
	assert_int_equal(bt_tally_json(&t, &b, &f->e), BT_OK);
	assert_non_null(strstr(b.data, "\"support_pct\":null,"));
	bt_tally_free(&t);
	bt_buf_release(&b);
}

static void refusals_and_caps(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	reply(f, "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", NULL, "clerk");
	bt_buf b = BT_BUF_INIT;
	bt_buf_adds(&b, "kept");
	assert_int_equal(bt_export_csv(f->db, "999", &b, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '999'");
	assert_int_equal(bt_export_json(f->db, "999", &b, &f->e), BT_EINPUT);
	assert_string_equal(bt_buf_str(&b), "kept");
	bt_buf_release(&b);
	/* over the caller's cap: a failure, and no partial document */
	bt_buf small;
	bt_buf_init(&small, 100);
	assert_int_equal(bt_export_csv(f->db, "205", &small, &f->e), BT_EFAIL);
	assert_string_equal(f->e.msg, "out of memory writing csv");
	assert_int_equal(small.len, 0);
	bt_buf_release(&small);
	bt_buf_init(&small, 100);
	assert_int_equal(bt_export_json(f->db, "205", &small, &f->e), BT_EFAIL);
	assert_string_equal(f->e.msg, "out of memory writing json");
	bt_buf_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(csv_rows_quoted_and_defused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(names_as_on_the_circulars_date, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(json_document, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(one_history_item, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(tally_json, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refusals_and_caps, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
