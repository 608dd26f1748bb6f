/* sign.c - the secretariat's Ed25519 key (include/ballot/sign.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "services/services.h"

#define KEY_FILE_MAX 4096

struct bt_key {
	gnutls_privkey_t priv;
	bt_pubkey pub;
	pthread_mutex_t lock; /* one signature at a time: the portal's threads share a key */
};

static void pub_fill(bt_pubkey *pub, const unsigned char raw[32])
{
	memcpy(pub->raw, raw, 32);
	memcpy(pub->text, "ed25519:", 8);
	hex_encode(raw, 32, pub->text + 8);
	sha256_hex(raw, 32, pub->fingerprint);
}

/* The public half of priv into pub. */
static int pub_of(gnutls_privkey_t priv, bt_pubkey *pub, bt_err *e)
{
	gnutls_ecc_curve_t curve;
	gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 };
	int rc = gnutls_privkey_export_ecc_raw2(priv, &curve, &x, &y, NULL, GNUTLS_EXPORT_FLAG_NO_LZ);
	int ok = rc == 0 && curve == GNUTLS_ECC_CURVE_ED25519 && x.size == 32;
	if (ok)
		pub_fill(pub, x.data);
	gnutls_free(x.data);
	gnutls_free(y.data);
	return ok ? BT_OK : bt_failf(e, BT_R_IO, NULL, "reading the public key: %s",
				     rc ? gnutls_strerror(rc) : "not an Ed25519 key");
}

/* A fresh Ed25519 key: its PKCS#8 PEM in *pem (gnutls_free it) and its
 * public half in pub. */
static int key_generate(gnutls_datum_t *pem, bt_pubkey *pub, bt_err *e)
{
	gnutls_privkey_t priv = NULL;
	gnutls_x509_privkey_t x509 = NULL;
	int rc;
	if ((rc = gnutls_privkey_init(&priv)) ||
	    (rc = gnutls_privkey_generate2(priv, GNUTLS_PK_EDDSA_ED25519,
					   GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519), 0, NULL, 0)) ||
	    (rc = gnutls_privkey_export_x509(priv, &x509)) ||
	    (rc = gnutls_x509_privkey_export2_pkcs8(x509, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, pem)))
		rc = bt_failf(e, BT_R_IO, NULL, "creating the key: %s", gnutls_strerror(rc));
	else
		rc = pub_of(priv, pub, e);
	gnutls_x509_privkey_deinit(x509);
	gnutls_privkey_deinit(priv);
	return rc;
}

/* Writes pem whole into the new file tmp (a mkstemp template), mode 0600,
 * synced; removes the file when that fails. */
static int key_write_tmp(char *tmp, const char *path, const char *field, const gnutls_datum_t *pem,
			 bt_err *e)
{
	int fd = mkstemp(tmp);
	if (fd < 0)
		return bt_failf(e, errno == ENOSPC || errno == EIO ? BT_R_IO : BT_R_INPUT, field,
				"cannot create '%s': %s", path, strerror(errno));
	size_t done = 0;
	while (done < pem->size) {
		ssize_t w = write(fd, pem->data + done, pem->size - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	int err = done < pem->size ? (errno ? errno : EIO) : 0;
	if (!err && (fchmod(fd, 0600) || fsync(fd)))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err)
		return BT_OK;
	unlink(tmp);
	return bt_failf(e, BT_R_IO, field, "writing '%s': %s", path, strerror(err));
}

/* Links tmp in as path: link() refuses an existing name atomically. */
static int key_link(const char *tmp, const char *path, const char *field, bt_err *e)
{
	if (link(tmp, path) == 0)
		return BT_OK;
	return errno == EEXIST
		? bt_failf(e, BT_R_CONFLICT, field,
			   "'%s' already exists; a key is never replaced (move it away first)", path)
		: bt_failf(e, BT_R_INPUT, field, "cannot create '%s': %s", path, strerror(errno));
}

/* Syncs the directory of path, so that its new name is durable. */
static int key_sync_dir(const char *path, const char *field, bt_err *e)
{
	char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
	int dfd = -1, rc = BT_OK;
	if (dir) {
		if (slash)
			slash[slash == dir] = '\0';
		dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (dfd < 0 || fsync(dfd) != 0)
		rc = bt_failf(e, BT_R_IO, field, "syncing the directory of '%s': %s", path,
			      strerror(dfd < 0 && !dir ? ENOMEM : errno));
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return rc;
}

int bt_key_create(const char *path, const char *field, bt_pubkey *pub, bt_err *e)
{
	gnutls_datum_t pem = { NULL, 0 };
	bt_pubkey scratch;
	if (!path || !*path)
		return bt_failf(e, BT_R_INPUT, field, "no key file named");
	int rc = key_generate(&pem, pub ? pub : &scratch, e);
	/* written whole beside it, then linked in: the key appears complete or
	 * not at all */
	size_t plen = strlen(path);
	char *tmp = rc ? NULL : malloc(plen + 8);
	if (!rc && !tmp)
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if (!rc) {
		memcpy(tmp, path, plen);
		memcpy(tmp + plen, ".XXXXXX", 8);
		if (!(rc = key_write_tmp(tmp, path, field, &pem, e))) {
			rc = key_link(tmp, path, field, e);
			unlink(tmp);
		}
	}
	/* the new name is durable before any receipt is signed with it; a key
	 * that cannot be made durable is withdrawn (no half-made key is left) */
	if (!rc && (rc = key_sync_dir(path, field, e)))
		unlink(path);
	free(tmp);
	if (pem.data) {
		gnutls_memset(pem.data, 0, pem.size);
		gnutls_free(pem.data);
	}
	return rc;
}

int bt_key_load(const char *path, const char *field, bt_key **out, bt_err *e)
{
	*out = NULL;
	if (!path || !*path)
		return bt_failf(e, BT_R_INPUT, field, "no key file named");
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		if (err == ENOENT)
			return bt_failf(e, BT_R_NOT_FOUND, field,
					"no signing key at '%s' (create one with: {cmd:keys create})", path);
		if (err == ELOOP)
			return bt_failf(e, BT_R_INPUT, field,
					"'%s' is a symbolic link; name the key file itself", path);
		return bt_failf(e, BT_R_INPUT, field, "cannot open '%s': %s", path, strerror(err));
	}
	struct stat st;
	char data[KEY_FILE_MAX];
	ssize_t n = -1;
	int rc = BT_OK;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		rc = bt_failf(e, BT_R_INPUT, field, "'%s' is not a regular file", path);
	else if (st.st_mode & 077)
		rc = bt_failf(e, BT_R_INPUT, field,
			      "'%s' can be read by others (mode %04o); chmod 600 it",
			      path, (unsigned)(st.st_mode & 07777));
	else if ((n = read(fd, data, sizeof data)) < 0)
		rc = bt_failf(e, BT_R_IO, field, "reading '%s': %s", path, strerror(errno));
	else if ((size_t)n == sizeof data)
		rc = bt_failf(e, BT_R_INPUT, field, "'%s' is not an Ed25519 key (too large)", path);
	close(fd);
	bt_key *k = NULL;
	if (!rc && !(k = calloc(1, sizeof *k)))
		rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if (!rc)
		pthread_mutex_init(&k->lock, NULL);
	if (!rc) {
		gnutls_datum_t d = { (unsigned char *)data, (unsigned)n };
		int g;
		if ((g = gnutls_privkey_init(&k->priv)) ||
		    (g = gnutls_privkey_import_x509_raw(k->priv, &d, GNUTLS_X509_FMT_PEM, NULL, 0)) ||
		    gnutls_privkey_get_pk_algorithm(k->priv, NULL) != GNUTLS_PK_EDDSA_ED25519)
			rc = bt_failf(e, BT_R_INPUT, field, "'%s' is not an Ed25519 key%s%s", path,
				      g ? ": " : "", g ? gnutls_strerror(g) : "");
		else
			rc = pub_of(k->priv, &k->pub, e);
	}
	gnutls_memset(data, 0, sizeof data);
	if (rc)
		bt_key_free(k);
	else
		*out = k;
	return rc;
}

void bt_key_free(bt_key *k)
{
	if (!k)
		return;
	gnutls_privkey_deinit(k->priv);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

const bt_pubkey *bt_key_public(const bt_key *k)
{
	return &k->pub;
}

int bt_key_sign(const bt_key *k, const void *data, size_t len, char sig[BT_SIG_LEN], bt_err *e)
{
	gnutls_datum_t d = { (unsigned char *)data, (unsigned)len }, s = { NULL, 0 };
	if (len > 0x7fffffff)
		return bt_failf(e, BT_R_IO, NULL, "signing: the document is too large");
	pthread_mutex_lock((pthread_mutex_t *)&k->lock);
	int rc = gnutls_privkey_sign_data2(k->priv, GNUTLS_SIGN_EDDSA_ED25519, 0, &d, &s);
	pthread_mutex_unlock((pthread_mutex_t *)&k->lock);
	if (rc || s.size != 64) {
		gnutls_free(s.data);
		return bt_failf(e, BT_R_IO, NULL,
				"signing: %s", rc ? gnutls_strerror(rc) : "unexpected signature size");
	}
	hex_encode(s.data, 64, sig);
	gnutls_free(s.data);
	return BT_OK;
}

int bt_pubkey_parse(const char *text, size_t len, const char *field, bt_pubkey *out, bt_err *e)
{
	static const char tag[] = "ed25519:";
	const size_t tl = sizeof tag - 1;
	for (size_t i = 0; text && i + tl <= len;) {
		size_t eol = i;
		while (eol < len && text[eol] != '\n')
			eol++;
		if (memcmp(text + i, tag, tl) == 0) {
			size_t end = eol;
			while (end > i && (text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t'))
				end--;
			unsigned char raw[32];
			char digits[65] = "";
			if (end - i == tl + 64)
				memcpy(digits, text + i + tl, 64);
			if (!hex_lower(digits, 64) || hex_decode(digits, 64, raw, 32))
				return bt_failf(e, BT_R_INPUT, field,
						"'%.*s' is not a key (ed25519: and 64 lowercase hex digits)", (int)(end - i > 100 ? 100 : end - i), text + i);
			pub_fill(out, raw);
			return BT_OK;
		}
		i = eol + 1;
	}
	return bt_failf(e, BT_R_INPUT, field,
			"no line starting 'ed25519:' (give the key as {cmd:keys show} prints it, or a file holding it)");
}

int bt_pubkey_verify(const bt_pubkey *pub, const void *data, size_t len, const char *sig,
		     const char *field, bt_err *e)
{
	unsigned char raw[64];
	if (!hex_lower(sig, 128) || hex_decode(sig, 128, raw, 64))
		return bt_failf(e, BT_R_INPUT, field,
				"the signature is not 128 lowercase hex digits");
	gnutls_pubkey_t k = NULL;
	gnutls_datum_t x = { (unsigned char *)pub->raw, 32 }, d = { (unsigned char *)data, (unsigned)len },
		       s = { raw, 64 };
	int rc = gnutls_pubkey_init(&k);
	if (!rc)
		rc = gnutls_pubkey_import_ecc_raw(k, GNUTLS_ECC_CURVE_ED25519, &x, NULL);
	if (rc) {
		gnutls_pubkey_deinit(k);
		return bt_failf(e, BT_R_INPUT, field,
				"the key cannot be used: %s", gnutls_strerror(rc));
	}
	rc = len > 0x7fffffff ? GNUTLS_E_PK_SIG_VERIFY_FAILED
			      : gnutls_pubkey_verify_data2(k, GNUTLS_SIGN_EDDSA_ED25519, 0, &d, &s);
	gnutls_pubkey_deinit(k);
	if (rc < 0)
		return bt_failf(e, BT_R_INPUT, field,
				"the signature does not match the key %.20s...: the document was changed or signed by another key", pub->text);
	return BT_OK;
}

void bt_pubkey_fingerprint_spaced(const bt_pubkey *pub, char out[80])
{
	size_t o = 0;
	for (size_t i = 0; i < 64; i += 4) {
		if (i)
			out[o++] = ' ';
		memcpy(out + o, pub->fingerprint + i, 4);
		o += 4;
	}
	out[o] = '\0';
}

int json_sign_close(const bt_key *key, bt_buf *doc, bt_err *e)
{
	char sig[BT_SIG_LEN];
	if (doc->failed || doc->len < 2 || doc->data[doc->len - 1] != '}')
		return bt_failf(e, BT_R_IO, NULL, "signing: not a whole JSON object");
	int rc = bt_key_sign(key, doc->data, doc->len, sig, e);
	if (rc)
		return rc;
	doc->len--; /* reopen the object for the signature */
	bt_json_kv_str(doc, "signature", sig, 0);
	return bt_buf_adds(doc, "}\n") ? bt_failf(e, BT_R_NOMEM, NULL, "out of memory") : BT_OK;
}
