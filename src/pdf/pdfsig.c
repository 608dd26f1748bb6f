/* pdfsig.c - a returned form's PDF signature, checked with GnuTLS
 * (pdfsig.h). */
#include "pdf/pdfsig.h"
#include "ballot/returned.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>

/* The length of the BER element at p (n bytes available): tag, length
 * (definite, or indefinite up to its end-of-contents, as NSS writes CMS) and
 * contents; 0 when malformed. The /Contents string is padded with zeros:
 * this is where the signature ends. */
static size_t ber_length(const unsigned char *p, size_t n, int depth)
{
	size_t i = 1;
	if (n < 2 || depth > 32)
		return 0;
	if ((p[0] & 0x1f) == 0x1f)
		while (i < n && (p[i++] & 0x80))
			;
	if (i >= n)
		return 0;
	unsigned char l = p[i++];
	if (l == 0x80) { /* indefinite: elements up to 00 00 */
		while (i + 2 <= n && (p[i] || p[i + 1])) {
			size_t k = ber_length(p + i, n - i, depth + 1);
			if (!k)
				return 0;
			i += k;
		}
		return i + 2 <= n ? i + 2 : 0;
	}
	size_t len = l;
	if (l & 0x80) {
		size_t k = l & 0x7f;
		if (k == 0 || k > 4 || i + k > n)
			return 0;
		for (len = 0; k--; )
			len = len << 8 | p[i++];
	}
	return len <= n - i ? i + len : 0;
}

/* The byte ranges: [0, b) and [c, c + d), the hole between them exactly
 * "<hex>" of /Contents. */
static int ranges_ok(const unsigned char *pdf, size_t len,
		     const long long r[4], pdf_sig_verdict *out)
{
	if (r[0] != 0 || r[1] <= 0 || r[2] <= r[1] || r[3] < 0 ||
	    (unsigned long long)(r[2] + r[3]) > len) {
		snprintf(out->why, sizeof out->why, "its /ByteRange [%lld %lld "
			 "%lld %lld] does not fit the file", r[0], r[1], r[2], r[3]);
		return 0;
	}
	if (pdf[r[1]] != '<' || pdf[r[2] - 1] != '>') {
		snprintf(out->why, sizeof out->why, "its /ByteRange leaves out "
			 "more than the signature");
		return 0;
	}
	for (long long i = r[1] + 1; i < r[2] - 1; i++)
		if (!strchr("0123456789abcdefABCDEF", pdf[i]) || !pdf[i]) {
			snprintf(out->why, sizeof out->why, "its /ByteRange "
				 "leaves out more than the signature");
			return 0;
		}
	out->whole = (unsigned long long)(r[2] + r[3]) == len;
	return 1;
}

/* Keeps a copy of certificate i of p7 in out's certificates. */
static void keep_cert(gnutls_pkcs7_t p7, int i, pdf_sig_verdict *out)
{
	gnutls_datum_t raw = { NULL, 0 };
	if (out->n_certs >= PDF_SIG_CERTS_MAX || gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &raw) < 0)
		return;
	unsigned char *c = malloc(raw.size ? raw.size : 1);
	if (c) {
		memcpy(c, raw.data, raw.size);
		out->certs[out->n_certs] = c;
		out->cert_len[out->n_certs++] = raw.size;
	}
	gnutls_free(raw.data);
}

void pdf_sig_verdict_free(pdf_sig_verdict *v)
{
	for (size_t i = 0; i < v->n_certs; i++)
		free(v->certs[i]);
	v->n_certs = 0;
}

/* The certificates of p7 into out, the signer's (index signer) first. */
static void keep_certs(gnutls_pkcs7_t p7, int signer, pdf_sig_verdict *out)
{
	int n = gnutls_pkcs7_get_crt_count(p7);
	keep_cert(p7, signer, out);
	for (int i = 0; i < n; i++)
		if (i != signer)
			keep_cert(p7, i, out);
}

/* Verifies p7 over data against each certificate it carries; fills the
 * signer's subject and SHA-256 and keeps the certificates on success. */
static void verify(gnutls_pkcs7_t p7, const gnutls_datum_t *data,
		   pdf_sig_verdict *out)
{
	int n = gnutls_pkcs7_get_crt_count(p7), last = GNUTLS_E_NO_CERTIFICATE_FOUND, signer = -1;
	for (int i = 0; i < n && !out->valid; i++) {
		gnutls_datum_t raw = { NULL, 0 };
		gnutls_x509_crt_t crt = NULL;
		if (gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &raw) < 0)
			continue;
		if (gnutls_x509_crt_init(&crt) == 0 &&
		    gnutls_x509_crt_import(crt, &raw, GNUTLS_X509_FMT_DER) == 0) {
			last = gnutls_pkcs7_verify_direct(p7, crt, 0, data, 0);
			if (last == 0) {
				gnutls_datum_t dn = { NULL, 0 };
				unsigned char h[32];
				out->valid = 1;
				if (gnutls_x509_crt_get_dn3(crt, &dn, 0) == 0) {
					snprintf(out->subject, sizeof out->subject,
						 "%.*s", (int)dn.size, dn.data);
					gnutls_free(dn.data);
				}
				gnutls_hash_fast(GNUTLS_DIG_SHA256, raw.data, raw.size, h);
				for (int k = 0; k < 32; k++)
					snprintf(out->cert_sha256 + 2 * k, 3, "%02x", h[k]);
				signer = i;
			}
		}
		gnutls_x509_crt_deinit(crt);
		gnutls_free(raw.data);
	}
	if (!out->valid)
		snprintf(out->why, sizeof out->why, "the signature does not verify "
			 "over the signed bytes (%s)", gnutls_strerror(last));
	else
		keep_certs(p7, signer, out);
}

/* 1 when a and b hold the same fields' values. */
static int same_form(const pdf_form_values *a, const pdf_form_values *b)
{
	if (a->n_drafts != b->n_drafts || a->n_texts != b->n_texts)
		return 0;
	for (size_t i = 0; i < a->n_drafts; i++)
		if (strcmp(a->drafts[i].rec, b->drafts[i].rec) ||
		    a->drafts[i].choice != b->drafts[i].choice ||
		    a->drafts[i].ticked != b->drafts[i].ticked)
			return 0;
	for (size_t i = 0; i < a->n_texts; i++) {
		const char *o = pdf_form_value(b, a->texts[i].name);
		if (strcmp(o ? o : "", a->texts[i].value))
			return 0;
	}
	return 1;
}

int pdf_sig_check(const void *pdf, size_t len, const pdf_form_values *v,
		  pdf_sig_verdict *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	const unsigned char *p = pdf;
	const long long *r = v->sig_range;
	if (v->sig_damaged[0]) {
		snprintf(out->why, sizeof out->why, "%s", v->sig_damaged);
		return BT_OK;
	}
	if (!v->signature || !v->sig_der) {
		snprintf(out->why, sizeof out->why, "no signature");
		return BT_OK;
	}
	if (!ranges_ok(p, len, r, out))
		return BT_OK;
	size_t n = ber_length(v->sig_der, v->sig_der_len, 0);
	gnutls_pkcs7_t p7 = NULL;
	gnutls_datum_t der = { v->sig_der, (unsigned)n };
	unsigned char *data = n ? gnutls_malloc((size_t)(r[1] + r[3])) : NULL;
	if (n && !data)
		return bt_fail(e, BT_EFAIL, "out of memory");
	if (!n || gnutls_pkcs7_init(&p7) < 0 ||
	    gnutls_pkcs7_import(p7, &der, GNUTLS_X509_FMT_DER) < 0) {
		snprintf(out->why, sizeof out->why, "its /Contents is not a "
			 "PKCS#7 signature");
	} else {
		memcpy(data, p, (size_t)r[1]);
		memcpy(data + r[1], p + r[2], (size_t)r[3]);
		gnutls_datum_t signed_bytes = { data, (unsigned)(r[1] + r[3]) };
		verify(p7, &signed_bytes, out);
	}
	gnutls_pkcs7_deinit(p7);
	gnutls_free(data);
	if (out->valid && !out->whole) { /* updates after signing */
		pdf_form_values before;
		bt_err ignored;
		int rc = pdf_form_read(p, (size_t)(r[2] + r[3]), "signed revision",
				       &before, &ignored);
		out->form_changed = rc != BT_OK || !same_form(&before, v);
		pdf_form_values_free(&before);
		if (rc == BT_EFAIL)
			return bt_fail(e, BT_EFAIL, "out of memory");
	}
	return BT_OK;
}

/* 1 when pdf (len bytes) says it is a PDF: "%PDF-" in its first 1024
 * bytes, as readers allow. */
static int is_pdf(const void *pdf, size_t len)
{
	const char *p = pdf;
	for (size_t i = 0; i + 5 <= len && i < 1024; i++)
		if (!memcmp(p + i, "%PDF-", 5))
			return 1;
	return 0;
}

/* Marks each draft whose reading is not the choice the signed PDF's field
 * holds (a PDF of page images, signed, has no such field: its pages are what
 * was signed, and only an override changes them). */
static void mark_changed(const pdf_form_values *fields, struct bt_returned_draft *drafts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < fields->n_drafts && strcmp(fields->drafts[k].rec, drafts[i].rec))
			k++;
		if (k < fields->n_drafts)
			drafts[i].changed |= fields->drafts[k].ticked != 1 || fields->drafts[k].choice != drafts[i].choice;
		else if (fields->n_drafts) /* a form's fields without this draft's */
			drafts[i].changed = 1;
	}
}

int pdf_sig_scanned(const void *pdf, size_t len, struct bt_returned_form *f, struct bt_returned_draft *drafts,
		    pdf_sig_verdict *out, bt_err *e)
{
	memset(out, 0, sizeof *out);
	if (!is_pdf(pdf, len))
		return BT_OK;
	pdf_form_values fields;
	bt_err why; /* a PDF of page images has no fields: read past that */
	int rc = pdf_form_read(pdf, len, "scan", &fields, &why);
	if (rc == BT_EINPUT && !fields.no_fields) { /* fields it cannot read */
		pdf_form_values_free(&fields);
		*e = why;
		return BT_EINPUT;
	}
	if (rc != BT_EFAIL && fields.signature) {
		rc = pdf_sig_check(pdf, len, &fields, out, e);
		f->is_signed = 1;
		f->sig_valid = out->valid;
		f->sig_form_changed = out->form_changed;
		f->sig_why = out->why;
		f->certs = (const unsigned char *const *)out->certs;
		f->cert_lens = out->cert_len;
		f->n_certs = out->n_certs;
		mark_changed(&fields, drafts, f->n_drafts);
	}
	pdf_form_values_free(&fields);
	return rc == BT_EFAIL ? bt_fail(e, BT_EFAIL, "out of memory") : BT_OK;
}
