/* pdfsig.h - the signature of a returned Annex 2 form (a CMS/PKCS#7
 * detached signature over its /ByteRange, as Acrobat and poppler's pdfsig
 * make), checked with GnuTLS. Which certificates an administration signs
 * with is not registered yet: the verdict says whether the signature is
 * valid, what it covers and who signed, not whether the signer is trusted. */
#ifndef BALLOT_PDF_PDFSIG_H
#define BALLOT_PDF_PDFSIG_H
#include <stddef.h>
#include "ballot/err.h"
#include "pdf/pdfread.h"

typedef struct pdf_sig_verdict {
	int valid;            /* the signature verifies over its byte ranges */
	int whole;            /* they cover the whole file but the signature */
	int form_changed;     /* bytes added after signing change the form's
				 fields (choices, texts, reference) */
	char subject[256];    /* the signer certificate's DN ("" unknown) */
	char cert_sha256[65]; /* SHA-256 of its DER, hex ("" unknown) */
	char why[160];        /* when not valid: what failed */
} pdf_sig_verdict;

/* Checks the signature v holds (v->signature set; v read from pdf, len
 * bytes) into out: the byte ranges (the first from 0, the hole exactly the
 * /Contents string, within the file), the PKCS#7 (GnuTLS
 * gnutls_pkcs7_verify_direct against each certificate it carries), and the
 * updates after the signed revision: their fields compared with the signed
 * revision's (pdf_form_read of the first bytes). A signature that does not
 * verify is a verdict (out->valid 0, out->why), not a failure; BT_EFAIL only
 * when out of memory. */
int pdf_sig_check(const void *pdf, size_t len, const pdf_form_values *v,
		  pdf_sig_verdict *out, bt_err *e);

#endif
