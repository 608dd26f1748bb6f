/* pdfsig.h - the signature of a returned Annex 2 form (a CMS/PKCS#7
 * detached signature over its /ByteRange, as Acrobat and poppler's pdfsig
 * make), checked with GnuTLS. The verdict says whether the signature is
 * valid, what it covers and who signed, with the certificates to check the
 * signer against those registered (bt_signer_check), not whether the signer
 * is trusted. */
#ifndef BALLOT_PDF_PDFSIG_H
#define BALLOT_PDF_PDFSIG_H
#include <stddef.h>
#include "ballot/err.h"
#include "pdf/pdfread.h"

#define PDF_SIG_CERTS_MAX 8

typedef struct pdf_sig_verdict {
	int valid;            /* the signature verifies over its byte ranges */
	int whole;            /* they cover the whole file but the signature */
	int form_changed;     /* bytes added after signing change the form's
				 fields (choices, texts, reference) */
	char subject[256];    /* the signer certificate's DN ("" unknown) */
	char cert_sha256[65]; /* SHA-256 of its DER, hex ("" unknown) */
	char why[160];        /* when not valid: what failed */
	size_t n_certs;       /* when valid: the signer's certificate first, */
	unsigned char *certs[PDF_SIG_CERTS_MAX]; /* then the others the */
	size_t cert_len[PDF_SIG_CERTS_MAX];      /* signature carries (DER) */
} pdf_sig_verdict;

/* Frees the certificates a verdict holds. */
void pdf_sig_verdict_free(pdf_sig_verdict *v);

/* Checks the signature v holds (v->signature set; v read from pdf, len
 * bytes) into out: the byte ranges (the first from 0, the hole exactly the
 * /Contents string, within the file), the PKCS#7 (GnuTLS
 * gnutls_pkcs7_verify_direct against each certificate it carries), and the
 * updates after the signed revision: their fields compared with the signed
 * revision's (pdf_form_read of the first bytes). A signature that does not
 * verify is a verdict (out->valid 0, out->why), not a failure; BT_EFAIL only
 * when out of memory. Free out with pdf_sig_verdict_free. */
int pdf_sig_check(const void *pdf, size_t len, const pdf_form_values *v,
		  pdf_sig_verdict *out, bt_err *e);

/* A form read from a scan (f, its drafts[0..f->n_drafts) the scan's
 * reading, with --choice overrides) whose file pdf[0..len) is a PDF: the
 * signature in its own fields checked as a filled PDF's is (pdf_form_read,
 * pdf_sig_check) into out and f (is_signed, sig_valid, sig_form_changed,
 * sig_why, the certificates), every front end's one check; each draft
 * whose reading is not the choice the PDF's field holds marked changed
 * (the signer did not sign it). Nothing when the file is an image or a PDF
 * without a signature. BT_EINPUT (the reader's refusal) when the PDF has
 * fields the reader refuses (given twice, invalid text: as --from-pdf
 * refuses them); BT_EFAIL when out of memory; free out with
 * pdf_sig_verdict_free. */
struct bt_returned_form;
struct bt_returned_draft;
int pdf_sig_scanned(const void *pdf, size_t len, struct bt_returned_form *f, struct bt_returned_draft *drafts,
		    pdf_sig_verdict *out, bt_err *e);

#endif
