/* form_sig.h - what `reply --from-pdf/--from-scan` (cmd_reply_pdf.c) and
 * `inbox accept` (cmd_inbox.c) share around a returned form: the engine's
 * checks (ballot/returned.h) told in the command line's words, a scan's
 * bytes read, --choice (form_sig.c). */
#ifndef BALLOT_CLI_FORM_SIG_H
#define BALLOT_CLI_FORM_SIG_H
#include "ballot/ballot.h"
#include "pdf/pdfsig.h"
#include "cli/cli.h"

/* A refusal e of bt_returned_check in the command line's words: one that
 * names a field of the form (form.reference, draft.<REC>.choice,
 * signature, ...) becomes "WHAT: field " + the engine's line; another
 * (the circular, the member) is left as it is. Returns e's code. */
int cli_returned_fail(const char *what, bt_err *e);

/* The same for a form read from an inbox entry (`inbox accept`), whose
 * member is the sender's: the form's fields' lines name other fields as the
 * engine does ("member CHE", never an option of ballot reply). */
int cli_returned_fail_entry(const char *what, bt_err *e);

/* e's line as cli_returned_fail_entry tells it ("sender.administration
 * 'France' does not name member CHE ..."), into out[0..n). */
void cli_returned_line(const bt_err *e, char *out, size_t n);

/* What bt_returned_check found that is told, on standard error: a form
 * issued before drafts were added (answering the drafts it was issued for,
 * not those), a signed form's signer not verified (the reply keeps the
 * verdict). */
void cli_returned_warn(const char *what, const char *circular, const bt_returned_form *f,
		       const bt_returned_verdict *v);

/* The bytes of a returned form read as a scan (`ballot scan`'s reader,
 * through a private temporary file, removed after): as cli_scan_form, name
 * standing for the file in messages; bounded (mail fetch: what anyone may
 * send, read unattended) to SCAN_BOUNDED_PAGES and SCAN_BOUNDED_PIXELS as
 * the portal reads uploads. */
int cli_scan_bytes(cli_ctx *ctx, bt_db *db, int bounded, const char *name, const void *data, size_t len,
		   pdf_form_values *v,
		   char ref[96], bt_err *e);

/* --choice REC=CHOICE...: the secretariat's reading of a scanned form's
 * drafts over the proposal in v (an uncertain row's choice); BT_EINPUT
 * naming --choice for a bad value or a draft the form does not have. */
int cli_form_choices(pdf_form_values *v, const cli_opt *o, bt_err *e);

#endif
