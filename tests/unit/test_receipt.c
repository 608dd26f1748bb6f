/* test_receipt.c - signed receipts (receipt.c): issue then verify, the same
 * bytes again, and every changed field, byte or key refused by name. */
#include <sys/stat.h>
#include "dump.h"

typedef struct rx {
	fx f;              /* first: fx_teardown frees it */
	bt_key *key;
	bt_reply_result r; /* CHE's reply, with an attachment */
} rx;

static int rx_setup(void **state)
{
	if (fx_setup(state))
		return -1;
	fx *base = *state;
	rx *x = calloc(1, sizeof *x);
	x->f = *base;
	free(base);
	*state = x;
	char key[160];
	snprintf(key, sizeof key, "%s/t.key", x->f.dir);
	if (bt_key_create(key, "--key", NULL, &x->f.e) || bt_key_load(key, "--key", &x->key, &x->f.e))
		return -1;
	return 0;
}

static int rx_teardown(void **state)
{
	rx *x = *state;
	bt_key_free(x->key);
	return fx_teardown(state);
}

/* Circular 205 and CHE's reply (not authorize, with its reasons). */
static void reply_che(rx *x)
{
	fx *f = &x->f;
	fx_circular(f, "205", NULL, NULL);
	bt_reply_spec s = { 0 };
	bt_attachment_in a = { "reasons.txt", "some text", 9 };
	s.circular = "205";
	s.member = "CHE";
	s.choice = BT_NOT_AUTHORIZE;
	s.has_received = 1;
	s.received = T("2020-02-01T10:00:00Z");
	s.channel = "email";
	s.attachments = &a;
	s.n_attachments = 1;
	assert_int_equal(bt_reply_record(f->db, &s, "test", T("2020-02-01T10:05:00Z"), &x->r, &f->e), BT_OK);
}

static char *issue(rx *x, int64_t seq, bt_receipt *info)
{
	bt_buf b = BT_BUF_INIT;
	assert_int_equal(bt_receipt_issue(x->f.db, seq, x->key, &b, info, &x->f.e), BT_OK);
	return bt_buf_detach(&b, NULL);
}

/* text with the first occurrence of from replaced by to (a new string). */
static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at)
		fail_msg("'%s' is not in the receipt %s", from, text);
	bt_buf b = BT_BUF_INIT;
	bt_buf_add(&b, text, (size_t)(at - text));
	bt_buf_adds(&b, to);
	bt_buf_adds(&b, at + strlen(from));
	return bt_buf_detach(&b, NULL);
}

/* Verifying text fails with BT_EINPUT and a message starting with prefix. */
static void refused(rx *x, const char *text, const char *prefix)
{
	bt_receipt out;
	memset(&out, 0x5a, sizeof out);
	int rc = bt_receipt_verify(text, strlen(text), bt_key_public(x->key), &out, &x->f.e);
	if (rc != BT_EINPUT || strncmp(x->f.e.msg, prefix, strlen(prefix)))
		fail_msg("verify gave %d '%s', not '%s...'", rc, x->f.e.msg, prefix);
	assert_int_equal((unsigned char)out.kind[0], 0x5a); /* nothing filled */
}

static void issue_then_verify(void **state)
{
	rx *x = *state;
	reply_che(x);
	bt_receipt info;
	char *text = issue(x, x->r.event_seq, &info);
	assert_int_equal(strncmp(text, "{\"format\":\"ballot-receipt/1\",\"kind\":\"reply\",", 44), 0);
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1); /* one line */
	assert_string_equal(info.kind, "reply");
	assert_string_equal(info.circular, "205");
	assert_string_equal(info.member, "CHE");
	assert_string_equal(info.draft, "Q.5051");
	assert_string_equal(info.choice, "not-authorize");
	assert_string_equal(info.received, "2020-02-01T10:00:00Z");
	assert_string_equal(info.recorded, "2020-02-01T10:05:00Z");
	assert_int_equal(info.event, x->r.event_seq);
	assert_string_equal(info.hash, x->r.event_hash);
	assert_int_equal(info.attachments, 1);
	/* the attachment's SHA-256 is in it */
	char sha[65];
	bt_sha256_hex("some text", 9, sha);
	assert_non_null(strstr(text, sha));

	bt_receipt out;
	assert_int_equal(bt_receipt_verify(text, strlen(text), bt_key_public(x->key), &out, &x->f.e), BT_OK);
	assert_memory_equal(&out, &info, sizeof out);

	/* the same bytes again */
	char *again = issue(x, x->r.event_seq, NULL);
	assert_string_equal(again, text);
	/* as `ballot reply` prints it */
	char printed[8192];
	snprintf(printed, sizeof printed, "receipt: %s", text);
	assert_int_equal(bt_receipt_verify(printed, strlen(printed), bt_key_public(x->key), NULL, &x->f.e), BT_OK);
	/* out may be NULL, and the line end may go */
	assert_int_equal(bt_receipt_verify(text, strlen(text) - 1, bt_key_public(x->key), NULL, &x->f.e), BT_OK);
	free(text);
	free(again);
}

static void changed_fields_are_named(void **state)
{
	rx *x = *state;
	reply_che(x);
	char *text = issue(x, x->r.event_seq, NULL);
	char *t;

	t = replaced(text, "\"member\":\"CHE\"", "\"member\":\"CHF\"");
	refused(x, t, "member: the receipt says \"CHF\" but its event says \"CHE\"");
	free(t);
	t = replaced(text, "\"choice\":\"not-authorize\"", "\"choice\":\"authorize\"");
	refused(x, t, "choice: the receipt says \"authorize\"");
	free(t);
	t = replaced(text, "\"received\":\"2020-02-01T10:00:00Z\"", "\"received\":\"2020-02-01T09:00:00Z\"");
	refused(x, t, "received: ");
	free(t);
	t = replaced(text, "\"draft\":\"Q.5051\"", "\"draft\":\"Q.5052\"");
	refused(x, t, "draft: ");
	free(t);
	t = replaced(text, "\"circular\":\"205\"", "\"circular\":\"206\"");
	refused(x, t, "circular: ");
	free(t);
	char ev[40], ev2[40];
	snprintf(ev, sizeof ev, "\"event\":%lld,", (long long)x->r.event_seq);
	snprintf(ev2, sizeof ev2, "\"event\":%lld,", (long long)x->r.event_seq + 1);
	t = replaced(text, ev, ev2);
	refused(x, t, "event: ");
	free(t);
	/* the event's body itself */
	t = replaced(text, "\\\"member\\\":\\\"CHE\\\"", "\\\"member\\\":\\\"CHF\\\"");
	refused(x, t, "hash: the event's body does not hash to");
	free(t);
	/* the format */
	t = replaced(text, "ballot-receipt/1", "ballot-receipt/2");
	refused(x, t, "format: \"ballot-receipt/2\" is not ballot-receipt/1");
	free(t);
	/* a field added */
	t = replaced(text, "{\"format\"", "{\"extra\":1,\"format\"");
	refused(x, t, "receipt: unknown field 'extra'");
	free(t);
	/* a signature digit */
	char *sig = strstr(text, "\"signature\":\"");
	assert_non_null(sig);
	t = strdup(text);
	char *d = t + (sig - text) + 13 + 5;
	*d = *d == '0' ? '1' : '0';
	refused(x, t, "signature: the signature does not match the key");
	free(t);
	/* no signature */
	t = strdup(text);
	char *s = t + (sig - text) - 1;
	strcpy(s, "}");
	refused(x, t, "signature: missing");
	free(t);
	/* cut short */
	t = strdup(text);
	t[100] = '\0';
	refused(x, t, "receipt: ");
	free(t);
	refused(x, "", "receipt: ");
	refused(x, "[1,2]", "receipt: not a JSON object");
	free(text);
}

static void another_key_is_refused(void **state)
{
	rx *x = *state;
	reply_che(x);
	char *text = issue(x, x->r.event_seq, NULL);
	char other[160];
	bt_pubkey pub2;
	snprintf(other, sizeof other, "%s/other.key", x->f.dir);
	assert_int_equal(bt_key_create(other, "key", &pub2, &x->f.e), BT_OK);
	assert_int_equal(bt_receipt_verify(text, strlen(text), &pub2, NULL, &x->f.e), BT_EINPUT);
	assert_non_null(strstr(x->f.e.msg, "key: the receipt names \"ed25519:"));
	assert_non_null(strstr(x->f.e.msg, pub2.text));
	/* naming the other key in the receipt does not help: the signature is ours */
	char *t = replaced(text, bt_key_public(x->key)->text, pub2.text);
	assert_int_equal(bt_receipt_verify(t, strlen(t), &pub2, NULL, &x->f.e), BT_EINPUT);
	assert_int_equal(strncmp(x->f.e.msg, "signature: ", 11), 0);
	free(t);
	free(text);
}

/* A forger who rewrites the event and recomputes its chain hash (and the
 * summary) still cannot sign it. */
static void rewritten_event_with_recomputed_hash_fails_the_signature(void **state)
{
	rx *x = *state;
	reply_che(x);
	char *text = issue(x, x->r.event_seq, NULL);
	/* the body as chained, and the prev it hangs on */
	bt_jv *doc;
	assert_int_equal(bt_json_parse(text, strlen(text) - 1, "r", &doc, &x->f.e), BT_OK);
	const char *body = bt_jv_str(doc, "body"), *prev = bt_jv_str(doc, "prev");
	assert_non_null(body);
	const char *c = strstr(body, "\"choice\":\"not-authorize\"");
	assert_non_null(c);
	bt_buf nb = BT_BUF_INIT, chained = BT_BUF_INIT, forged = BT_BUF_INIT;
	bt_buf_add(&nb, body, (size_t)(c - body));
	bt_buf_adds(&nb, "\"choice\":\"authorize\"");
	bt_buf_adds(&nb, c + strlen("\"choice\":\"not-authorize\""));
	bt_buf_addf(&chained, "%s\n%s", prev, bt_buf_str(&nb));
	char h[65];
	bt_sha256_hex(chained.data, chained.len, h);
	const char *oldhash = bt_jv_str(doc, "hash");
	/* the receipt again, with the new body, hash and choice */
	bt_buf_adds(&forged, "{");
	bt_buf_adds(&forged, text + 1);
	char *t1 = replaced(bt_buf_str(&forged), oldhash, h);
	char *t2 = replaced(t1, "\"choice\":\"not-authorize\"", "\"choice\":\"authorize\"");
	bt_buf esc = BT_BUF_INIT;
	bt_json_str(&esc, bt_buf_str(&nb));
	bt_buf oldesc = BT_BUF_INIT;
	bt_json_str(&oldesc, body);
	char *t3 = replaced(t2, bt_buf_str(&oldesc), bt_buf_str(&esc));
	refused(x, t3, "signature: the signature does not match the key");
	/* and with the summary left as it was, the summary is named */
	char *t4 = replaced(t1, bt_buf_str(&oldesc), bt_buf_str(&esc));
	refused(x, t4, "choice: the receipt says \"not-authorize\" but its event says \"authorize\"");
	free(t1);
	free(t2);
	free(t3);
	free(t4);
	bt_buf_release(&nb);
	bt_buf_release(&chained);
	bt_buf_release(&forged);
	bt_buf_release(&esc);
	bt_buf_release(&oldesc);
	bt_jv_free(doc);
	free(text);
}

static void issue_refuses_events_without_receipts(void **state)
{
	rx *x = *state;
	reply_che(x);
	bt_buf b = BT_BUF_INIT;
	bt_buf_adds(&b, "kept");
	assert_int_equal(bt_receipt_issue(x->f.db, 999, x->key, &b, NULL, &x->f.e), BT_EINPUT);
	assert_string_equal(x->f.e.msg, "event: there is no event 999");
	assert_int_equal(bt_receipt_issue(x->f.db, 0, x->key, &b, NULL, &x->f.e), BT_EINPUT);
	assert_string_equal(x->f.e.msg, "event: there is no event 0");
	/* 1 is init, 4 the consultation */
	assert_int_equal(bt_receipt_issue(x->f.db, 1, x->key, &b, NULL, &x->f.e), BT_EINPUT);
	assert_string_equal(x->f.e.msg, "event: event 1 is not a reply, withdrawal or decision");
	assert_int_equal(bt_receipt_issue(x->f.db, 4, x->key, &b, NULL, &x->f.e), BT_EINPUT);
	assert_string_equal(x->f.e.msg, "event: event 4 is not a reply, withdrawal or decision");
	assert_string_equal(bt_buf_str(&b), "kept"); /* nothing appended */
	bt_buf_release(&b);
}

static void withdrawal_and_decision_receipts(void **state)
{
	rx *x = *state;
	fx *f = &x->f;
	reply_che(x);
	bt_reply_spec w = { .circular = "205", .member = "CHE", .choice = BT_WITHDRAW, .has_received = 1,
			    .received = T("2020-02-03T10:00:00Z") };
	bt_reply_result wr;
	assert_int_equal(bt_reply_record(f->db, &w, "test", T("2020-02-03T10:00:00Z"), &wr, &f->e), BT_OK);
	bt_receipt info, out;
	char *text = issue(x, wr.event_seq, &info);
	assert_string_equal(info.kind, "withdrawal");
	assert_string_equal(info.member, "CHE");
	assert_string_equal(info.choice, "withdraw");
	assert_int_equal(info.attachments, 0);
	assert_int_equal(bt_receipt_verify(text, strlen(text), bt_key_public(x->key), &out, &f->e), BT_OK);
	assert_memory_equal(&out, &info, sizeof out);
	free(text);

	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-04T10:00:00Z", 0), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	bt_decision_spec dec = { .circular = "205", .kind = BT_DECISION_APPROVED };
	int64_t seq = 0;
	assert_int_equal(bt_decide(f->db, &dec, "t", T("2020-03-05T10:00:00Z"), &seq, &f->e), BT_OK);
	text = issue(x, seq, &info);
	assert_string_equal(info.kind, "decision");
	assert_string_equal(info.member, "");
	assert_string_equal(info.received, "");
	assert_string_equal(info.choice, "approved");
	assert_string_equal(info.draft, "Q.5051");
	assert_int_equal(info.event, seq);
	assert_non_null(strstr(text, "\"member\":null"));
	assert_int_equal(bt_receipt_verify(text, strlen(text), bt_key_public(x->key), &out, &f->e), BT_OK);
	assert_memory_equal(&out, &info, sizeof out);
	char *t = replaced(text, "\"choice\":\"approved\"", "\"choice\":\"not-approved\"");
	refused(x, t, "choice: ");
	free(t);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(issue_then_verify, rx_setup, rx_teardown),
		cmocka_unit_test_setup_teardown(changed_fields_are_named, rx_setup, rx_teardown),
		cmocka_unit_test_setup_teardown(another_key_is_refused, rx_setup, rx_teardown),
		cmocka_unit_test_setup_teardown(rewritten_event_with_recomputed_hash_fails_the_signature, rx_setup,
						rx_teardown),
		cmocka_unit_test_setup_teardown(issue_refuses_events_without_receipts, rx_setup, rx_teardown),
		cmocka_unit_test_setup_teardown(withdrawal_and_decision_receipts, rx_setup, rx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
