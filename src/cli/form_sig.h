/* form_sig.h - the checks of a signed returned form that `reply --from-pdf`
 * (cmd_reply_pdf.c) and `inbox accept` (cmd_inbox.c) share (form_sig.c). */
#ifndef BALLOT_CLI_FORM_SIG_H
#define BALLOT_CLI_FORM_SIG_H
#include "ballot/ballot.h"
#include "pdf/pdfsig.h"
#include "cli/cli.h"

/* The form's signature (v->signature set; v read from pdf[0..len)) into
 * sig: it must verify, and no update added after signing may change the
 * form's fields; BT_EINPUT "WHAT: field signature: ..." otherwise. Free sig
 * with pdf_sig_verdict_free. */
int cli_form_sig_check(const char *what, const void *pdf, size_t len, const pdf_form_values *v,
		       pdf_sig_verdict *sig, bt_err *e);

/* The signer of sig checked against member's signing certificates at time
 * at into signer: verified, or not verified with a warning on standard
 * error (the reply keeps the verdict); an error names WHAT's signature. */
int cli_form_signer(bt_db *db, const char *what, const char *member, bt_time at, const pdf_sig_verdict *sig,
		    bt_signer *signer, bt_err *e);

/* The bytes of a returned form read as a scan (`ballot scan`'s reader,
 * through a private temporary file, removed after): as cli_scan_form, name
 * standing for the file in messages. */
int cli_scan_bytes(cli_ctx *ctx, bt_db *db, const char *name, const void *data, size_t len, pdf_form_values *v,
		   char ref[96], bt_err *e);

/* --choice REC=CHOICE...: the secretariat's reading of a scanned form's
 * drafts over the proposal in v (an uncertain row's choice); BT_EINPUT
 * naming --choice for a bad value or a draft the form does not have. */
int cli_form_choices(pdf_form_values *v, const cli_opt *o, bt_err *e);

#endif
