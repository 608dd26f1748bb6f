/* test_sign.c - the secretariat's Ed25519 key: create, load, sign, verify,
 * the published key text and the files a key is refused from. */
#include <sys/stat.h>
#include "fixture.h"

typedef struct kdir {
	char dir[64];
	char key[128];
	bt_err e;
} kdir;

static int kd_setup(void **state)
{
	kdir *k = calloc(1, sizeof *k);
	snprintf(k->dir, sizeof k->dir, "/tmp/ballot-unit-XXXXXX");
	if (!mkdtemp(k->dir))
		return -1;
	snprintf(k->key, sizeof k->key, "%s/k.key", k->dir);
	*state = k;
	return 0;
}

static int kd_teardown(void **state)
{
	kdir *k = *state;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", k->dir);
	int rc = system(cmd);
	free(k);
	return rc ? -1 : 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* RFC 8032, 7.1, test 1: the empty message. */
static const char rfc_pub[] = "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
static const char rfc_sig[] = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

static void create_load_sign_verify_tamper(void **state)
{
	kdir *k = *state;
	bt_pubkey pub;
	assert_int_equal(bt_key_create(k->key, "key", &pub, &k->e), BT_OK);
	struct stat st;
	assert_int_equal(stat(k->key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(strncmp(pub.text, "ed25519:", 8), 0);
	assert_int_equal(strlen(pub.text), 72);

	bt_key *key = NULL;
	assert_int_equal(bt_key_load(k->key, "key", &key, &k->e), BT_OK);
	/* the loaded key is the one created */
	assert_string_equal(bt_key_public(key)->text, pub.text);
	assert_memory_equal(bt_key_public(key)->raw, pub.raw, 32);
	assert_string_equal(bt_key_public(key)->fingerprint, pub.fingerprint);

	const char doc[] = "{\"circular\":\"205\",\"member\":\"CHE\"}";
	char sig[BT_SIG_LEN], again[BT_SIG_LEN];
	assert_int_equal(bt_key_sign(key, doc, strlen(doc), sig, &k->e), BT_OK);
	assert_int_equal(strlen(sig), 128);
	assert_int_equal(strspn(sig, "0123456789abcdef"), 128);
	/* Ed25519 is deterministic */
	assert_int_equal(bt_key_sign(key, doc, strlen(doc), again, &k->e), BT_OK);
	assert_string_equal(sig, again);
	assert_int_equal(bt_pubkey_verify(&pub, doc, strlen(doc), sig, "signature", &k->e), BT_OK);

	/* one byte of the document changed */
	char bad[sizeof doc];
	memcpy(bad, doc, sizeof doc);
	bad[22] = 'F';
	assert_int_equal(bt_pubkey_verify(&pub, bad, strlen(bad), sig, "signature", &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "signature: the signature does not match the key"));
	/* a shorter document */
	assert_int_equal(bt_pubkey_verify(&pub, doc, strlen(doc) - 1, sig, "signature", &k->e), BT_EINPUT);
	/* one digit of the signature changed */
	char badsig[BT_SIG_LEN];
	memcpy(badsig, sig, sizeof badsig);
	badsig[10] = badsig[10] == '0' ? '1' : '0';
	assert_int_equal(bt_pubkey_verify(&pub, doc, strlen(doc), badsig, "signature", &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "does not match"));

	/* another key does not verify it */
	char other[160];
	snprintf(other, sizeof other, "%s/other.key", k->dir);
	bt_pubkey pub2;
	assert_int_equal(bt_key_create(other, "key", &pub2, &k->e), BT_OK);
	assert_string_not_equal(pub2.text, pub.text);
	assert_int_equal(bt_pubkey_verify(&pub2, doc, strlen(doc), sig, "manifest.json: signature", &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "manifest.json: signature: "));
	bt_key_free(key);
}

static void signature_syntax_is_refused(void **state)
{
	kdir *k = *state;
	bt_pubkey pub;
	assert_int_equal(bt_pubkey_parse(rfc_pub, strlen(rfc_pub), "key", &pub, &k->e), BT_OK);
	assert_int_equal(bt_pubkey_verify(&pub, "", 0, rfc_sig, "signature", &k->e), BT_OK);
	char up[BT_SIG_LEN];
	memcpy(up, rfc_sig, sizeof up);
	up[0] = 'E'; /* upper case is not the format */
	assert_int_equal(bt_pubkey_verify(&pub, "", 0, up, "signature", &k->e), BT_EINPUT);
	assert_string_equal(k->e.msg, "signature: the signature is not 128 lowercase hex digits");
	char shortsig[BT_SIG_LEN];
	memcpy(shortsig, rfc_sig, sizeof shortsig);
	shortsig[126] = '\0';
	assert_int_equal(bt_pubkey_verify(&pub, "", 0, shortsig, "signature", &k->e), BT_EINPUT);
	assert_string_equal(k->e.msg, "signature: the signature is not 128 lowercase hex digits");
	assert_int_equal(bt_pubkey_verify(&pub, "", 0, "", "signature", &k->e), BT_EINPUT);
	/* the signature of the empty message is not that of one byte */
	assert_int_equal(bt_pubkey_verify(&pub, "x", 1, rfc_sig, "signature", &k->e), BT_EINPUT);
}

static void rfc8032_vector_and_fingerprint(void **state)
{
	kdir *k = *state;
	bt_pubkey pub;
	assert_int_equal(bt_pubkey_parse(rfc_pub, strlen(rfc_pub), "key", &pub, &k->e), BT_OK);
	assert_string_equal(pub.text, rfc_pub);
	assert_int_equal(pub.raw[0], 0xd7);
	assert_int_equal(pub.raw[31], 0x1a);
	/* SHA-256 of the 32 raw bytes */
	assert_string_equal(pub.fingerprint, "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
	char spaced[80];
	bt_pubkey_fingerprint_spaced(&pub, spaced);
	assert_string_equal(spaced, "21fe 31df a154 a261 626b f854 046f d227 1b7b ed4b 6abe 45aa 5887 7ef4 7f97 21b9");
	assert_int_equal(bt_pubkey_verify(&pub, "", 0, rfc_sig, "signature", &k->e), BT_OK);
}

static void pubkey_parse_reads_keys_show_output(void **state)
{
	kdir *k = *state;
	bt_pubkey pub;
	char text[300];
	/* as `ballot keys show` prints it, with a CRLF and trailing blanks */
	snprintf(text, sizeof text, "%s \r\nfingerprint: 21fe 31df\n", rfc_pub);
	assert_int_equal(bt_pubkey_parse(text, strlen(text), "key", &pub, &k->e), BT_OK);
	assert_string_equal(pub.text, rfc_pub);
	/* not the first line */
	snprintf(text, sizeof text, "# the TSB key\n%s\n", rfc_pub);
	memset(&pub, 0, sizeof pub);
	assert_int_equal(bt_pubkey_parse(text, strlen(text), "key", &pub, &k->e), BT_OK);
	assert_string_equal(pub.text, rfc_pub);
	/* len is honoured: the text cut before the key is no key */
	assert_int_equal(bt_pubkey_parse(text, 14, "key", &pub, &k->e), BT_EINPUT);
}

static void pubkey_parse_refuses_bad_keys(void **state)
{
	kdir *k = *state;
	bt_pubkey pub;
	static const char *bad[] = {
		"ed25519:D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A", /* upper case */
		"ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511", /* 63 digits */
		"ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0", /* 65 */
		"ed25519:g75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", /* not hex */
		"ed25519:",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&pub, 0x5a, sizeof pub);
		bt_pubkey before = pub;
		assert_int_equal(bt_pubkey_parse(bad[i], strlen(bad[i]), "key", &pub, &k->e), BT_EINPUT);
		assert_non_null(strstr(k->e.msg, "key: 'ed25519:"));
		assert_non_null(strstr(k->e.msg, "is not a key"));
		assert_memory_equal(&pub, &before, sizeof pub); /* nothing filled */
	}
	assert_int_equal(bt_pubkey_parse("ssh-ed25519 AAAA", 16, "key", &pub, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "key: no line starting 'ed25519:'"));
	assert_int_equal(bt_pubkey_parse("", 0, "key", &pub, &k->e), BT_EINPUT);
	assert_int_equal(bt_pubkey_parse(NULL, 0, "key", &pub, &k->e), BT_EINPUT);
}

static void create_never_replaces_a_key(void **state)
{
	kdir *k = *state;
	bt_pubkey pub, again;
	assert_int_equal(bt_key_create(k->key, "key", &pub, &k->e), BT_OK);
	assert_int_equal(bt_key_create(k->key, "key", &again, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "key: '"));
	assert_non_null(strstr(k->e.msg, "already exists; a key is never replaced"));
	bt_key *key;
	assert_int_equal(bt_key_load(k->key, "key", &key, &k->e), BT_OK);
	assert_string_equal(bt_key_public(key)->text, pub.text);
	bt_key_free(key);
	/* no temporary file left beside it */
	char cmd[200];
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", k->dir);
	assert_int_equal(system(cmd), 0);

	assert_int_equal(bt_key_create("", "key", NULL, &k->e), BT_EINPUT);
	assert_string_equal(k->e.msg, "key: no key file named");
	char missing[160];
	snprintf(missing, sizeof missing, "%s/no/such/dir/k.key", k->dir);
	assert_int_equal(bt_key_create(missing, "key", NULL, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "key: cannot create"));
	/* pub may be NULL */
	char second[160];
	snprintf(second, sizeof second, "%s/second.key", k->dir);
	assert_int_equal(bt_key_create(second, "key", NULL, &k->e), BT_OK);
}

static void load_refuses_bad_files(void **state)
{
	kdir *k = *state;
	bt_key *key = (bt_key *)0x1;
	char p[160];
	assert_int_equal(bt_key_load(k->key, "key", &key, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "key: no signing key at"));
	assert_non_null(strstr(k->e.msg, "{cmd:keys create}"));
	assert_null(key); /* cleared on failure */
	assert_int_equal(bt_key_load("", "key", &key, &k->e), BT_EINPUT);
	assert_string_equal(k->e.msg, "key: no key file named");

	assert_int_equal(bt_key_create(k->key, "key", NULL, &k->e), BT_OK);
	/* readable by the group */
	assert_int_equal(chmod(k->key, 0640), 0);
	assert_int_equal(bt_key_load(k->key, "key", &key, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "can be read by others (mode 0640)"));
	assert_int_equal(chmod(k->key, 0600), 0);

	/* a symbolic link to it */
	snprintf(p, sizeof p, "%s/link.key", k->dir);
	assert_int_equal(symlink(k->key, p), 0);
	assert_int_equal(bt_key_load(p, "sign_key", &key, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "sign_key: "));
	assert_non_null(strstr(k->e.msg, "is a symbolic link"));

	/* a directory */
	assert_int_equal(bt_key_load(k->dir, "key", &key, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "is not a regular file"));

	/* not a key, and a key of another kind */
	snprintf(p, sizeof p, "%s/text.key", k->dir);
	write_file(p, "hello\n", 0600);
	assert_int_equal(bt_key_load(p, "key", &key, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "is not an Ed25519 key"));
	snprintf(p, sizeof p, "%s/ec.key", k->dir);
	write_file(p,
		   "-----BEGIN PRIVATE KEY-----\n"
		   "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1LD4f0OO6Wdkg1WO\n"
		   "livMsnt6aXFp0D+TMj2/0HvqM8qhRANCAARVCMCEPXODNJXMsTYBN+HSswsv2j/E\n"
		   "Vi3xVcz8mKN8JC9m6ooiOmnC/Yznvs78oOLTNY3ccxoV3qF/1dPBjyK/\n"
		   "-----END PRIVATE KEY-----\n",
		   0600);
	assert_int_equal(bt_key_load(p, "key", &key, &k->e), BT_EINPUT);
	assert_non_null(strstr(k->e.msg, "is not an Ed25519 key"));
	assert_null(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_load_sign_verify_tamper, kd_setup, kd_teardown),
		cmocka_unit_test_setup_teardown(signature_syntax_is_refused, kd_setup, kd_teardown),
		cmocka_unit_test_setup_teardown(rfc8032_vector_and_fingerprint, kd_setup, kd_teardown),
		cmocka_unit_test_setup_teardown(pubkey_parse_reads_keys_show_output, kd_setup, kd_teardown),
		cmocka_unit_test_setup_teardown(pubkey_parse_refuses_bad_keys, kd_setup, kd_teardown),
		cmocka_unit_test_setup_teardown(create_never_replaces_a_key, kd_setup, kd_teardown),
		cmocka_unit_test_setup_teardown(load_refuses_bad_files, kd_setup, kd_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
