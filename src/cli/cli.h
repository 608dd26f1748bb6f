/* cli.h - shared machinery of the `ballot` command-line front end.
 *
 * The front end follows the engine's one error convention: every function
 * returns an int status (BT_OK, BT_EFAIL, BT_EINPUT) and fills a bt_err when
 * it fails. main() prints the message as "ballot: <message>" on stderr and
 * exits with the status, so a command only returns its status.
 *
 * A cli_ctx carries what every command shares (database path and handle, the
 * clock, the actor, the parsed options); main() releases it, so commands do
 * not close the database or free their option tables themselves.
 */
#ifndef BALLOT_CLI_H
#define BALLOT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "ballot/ballot.h"
#include "ballot/export.h"
#include "cli/conf.h"
#include "cli/ctx.h"
#include "cli/text.h"

/* The embedded default Member State list (src/cli/member_states.S). */
extern const char bt_member_states_tsv[];
extern const char bt_member_states_tsv_end[];



/* ---- quiet, progress ---- */

/* --quiet was given: warnings and progress are not printed (cli_parse and
 * main set it for the run). */
int cli_quiet(void);
void cli_set_quiet(int quiet);

/* Progress of a long run on stderr, when it is a terminal and not --quiet:
 * "\rWHAT: DONE/TOTAL" (or "WHAT: STAGE DONE/TOTAL"), at most ten times a
 * second; cli_progress_done ends the line. Also installs itself as the
 * engine's progress hook (bt_progress_set) with cli_progress_hook. */
void cli_progress(const char *what, uint64_t done, uint64_t total);
void cli_progress_done(void);

/* Routes the engine's progress reports (ballot/progress.h) of this run to
 * cli_progress under the name what (the command). */
void cli_progress_engine(const char *what);

/* Initializes ctx (nothing is opened). */
void cli_ctx_init(cli_ctx *ctx);

/* Closes the database and frees the option value arrays (so commands need
 * not free the cli_opt tables they keep on their stack). */
void cli_ctx_release(cli_ctx *ctx);

/* Parses the options of a command: argv[0] is the command name, the rest its
 * arguments. opts is the command's table (NULL-name terminated); --db FILE
 * and --help are always accepted. With --help anywhere, prints usage on
 * stdout, sets ctx->help and returns BT_OK: the command must then return
 * BT_OK at once. An unknown option, a missing value, a value given to a flag,
 * a CLI_ARG given twice, or more than max_pos positional arguments (-1: no
 * limit) is BT_EINPUT naming the option. Positional arguments are left in
 * ctx->pos / ctx->npos. A malformed $BALLOT_NOW is BT_EINPUT here, for every
 * command, whether or not it reads the clock. */
int cli_parse(cli_ctx *ctx, int argc, char **argv, const char *usage,
	      cli_opt *opts, int max_pos, bt_err *e);

/* BT_EINPUT "--NAME is required" unless the option was given. */
int cli_require(const cli_opt *o, bt_err *e);


/* bt_file_read (messages naming opt), refusing an empty file unless
 * allow_empty. */
int cli_read_file(const char *opt, const char *path, int64_t max,
		  int allow_empty, bt_buf *out, bt_err *e);

/* The base name of path (the part after the last '/'), pointing into path. */
const char *cli_basename(const char *path);


/* Loads the signing key (cli_key_path) once per run; ctx keeps it; messages
 * name the option o (--key, or serve's --sign-key). Commands
 * that sign load it before changing anything, so a missing key refuses the
 * change (BT_EINPUT naming --key) instead of leaving it without a receipt. */
int cli_load_key(cli_ctx *ctx, const cli_opt *o, const bt_key **k, bt_err *e);

/* Before a command that signs changes anything: loads the key (--key, o_key)
 * and, when --receipt (o_out) was given, checks that its file can be
 * written. */
int cli_receipt_prepare(cli_ctx *ctx, const cli_opt *o_key, const cli_opt *o_out,
			const bt_key **k, bt_err *e);

/* Reads the public key given as arg: the "ed25519:..." line that `ballot
 * keys show` prints, or a file holding it. BT_EINPUT naming opt. */
int cli_read_pubkey(const char *opt, const char *arg, bt_pubkey *out, bt_err *e);

/* Issues the signed receipt of event seq: saved to path when path is not
 * NULL (and "receipt saved to PATH" printed), printed on a line of its own
 * starting "receipt: " when print is set, and otherwise not issued at all:
 * "receipt: ballot receipt show --event N" says how to get it (the same
 * bytes). When it cannot be issued the message says the change was
 * recorded and how to issue the receipt again. */
int cli_receipt(cli_ctx *ctx, const bt_key *k, int64_t seq, const char *path,
		int print, bt_err *e);

/* Opens the database once per run (ctx keeps it). With write set, opens it
 * for writing and fails (BT_EINPUT) when it is read-only; else read-only. */
int cli_open_db(cli_ctx *ctx, int write, bt_db **db, bt_err *e);

/* The current time ($BALLOT_NOW or the clock), the same for the whole run. */
int cli_now(cli_ctx *ctx, bt_time *out, bt_err *e);

/* Sets each draft's state and outcome in dl to the tally's now (the one
 * truth status, tally and the report show; bt_tally_compute). */
int cli_drafts_now(cli_ctx *ctx, bt_db *db, const char *circular, bt_draft_list *dl, bt_err *e);

/* The actor recorded with changes: $BALLOT_ACTOR, else "cli:<user name>". */
const char *cli_actor(cli_ctx *ctx);

/* Prints "warning: <message>" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes the JSON document in b and a newline to stdout; BT_EFAIL when b
 * failed (out of memory or over its cap). */
int cli_print_json(const bt_buf *b, bt_err *e);

/* Appends a JSON string, or null when s is NULL or empty. */
int cli_json_str_or_null(bt_buf *b, const char *s);

/* Appends "key":"<time>" / "key":"<date>" (null for BT_DATE_NONE). */
int cli_json_kv_time(bt_buf *b, const char *key, bt_time t, int first);

/* Prints "ballot: MSG" on stderr as one line: control characters in the
 * message (from values the user gave) are shown as \n, \t or \xNN. */
void cli_print_error(const char *msg);

/* Writes e's message into out (n bytes) in the command line's words: the
 * engine's fields become options ("received" -> "--received"), {cmd:X}
 * "ballot X" (errmsg.c holds the exceptions). Returns its length. */
int cli_err_render(const bt_err *e, char *out, size_t n);

/* Prints e as cli_print_error does, rendered by cli_err_render; the one
 * place where the command line shows an error. */
void cli_report_error(const bt_err *e);


/* Prints the acknowledgement of a recorded reply or withdrawal
 * ("recorded reply N: CODE REC CHOICE received T (event SEQ HASH)") and its
 * warnings (late, without reasons, supersedes, outdated). */
void cli_print_recorded(const bt_reply_result *r);

/* After a reply refused by a member's quota (quota: bt_reply_result.quota),
 * says in e's message that --force overrides it. */
void cli_quota_hint(int rc, int quota, bt_err *e);

/* Parses the time option o (when given) into *t and sets *has; BT_EINPUT
 * naming the option otherwise. */
int cli_opt_time(const cli_opt *o, int *has, bt_time *t, bt_err *e);
int cli_json_kv_date(bt_buf *b, const char *key, bt_date d, int first);



/* Final check of stdout (fflush, ferror): BT_EFAIL when output was lost. */
int cli_flush_stdout(bt_err *e);

/* A text table printed with aligned columns. Cells are copied. */
typedef struct cli_table {
	size_t ncols;
	char **cells;   /* nrows * ncols */
	size_t nrows, cap;
	int failed;     /* out of memory while adding: printing fails */
} cli_table;

/* An empty table of ncols columns; release it with cli_table_release. */
void cli_table_init(cli_table *t, size_t ncols);

/* Adds a row of ncols cells (NULL is printed as "-"). */
int cli_table_add(cli_table *t, const char *const *cells);

/* Prints the table on f; align holds one 'l' or 'r' per column. Columns are
 * separated by two spaces; the last one is not padded. */
int cli_table_print(const cli_table *t, const char *align, FILE *f, bt_err *e);

/* Frees the table's cells; t can be initialized again. */
void cli_table_release(cli_table *t);

/* Display width of UTF-8 text (code points; good enough for names). */
size_t cli_text_width(const char *s);

/* A command of the dispatch table. */
typedef int (*cli_cmd_fn)(cli_ctx *ctx, int argc, char **argv, bt_err *e);

/* The commands (one file each). argv[0] is the command name. */
int cmd_init(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_members(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_consultation(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_calendar(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_timeline(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_draft(cli_ctx *ctx, int argc, char **argv, bt_err *e);
/* `ballot draft text` (cmd_draft_text.c), a subcommand of cmd_draft. */
int cmd_draft_text(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_reply(cli_ctx *ctx, int argc, char **argv, bt_err *e);
/* `ballot reply --from-pdf FILE ...` (cmd_reply_pdf.c): a returned form's
 * replies, read from its fields. */
int cmd_reply_from_pdf(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_withdraw(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_tally(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_close(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_decide(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_status(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_pending(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_history(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_export(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_comments(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_audit(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_config(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_forms(cli_ctx *ctx, int argc, char **argv, bt_err *e);
/* `ballot scan FILE...` (cmd_scan.c): returned forms read from scans. */
int cmd_scan(cli_ctx *ctx, int argc, char **argv, bt_err *e);
struct pdf_form_values;
/* The one form in the scan file (cmd_scan.c), as the fields of a filled
 * PDF form (pdf/pdfread.h: an uncertain draft has no choice, or two when
 * several boxes are ticked) and its reference: `reply --from-scan`.
 * BT_EINPUT naming what when the file holds no form or several, or the
 * form's boxes were not found. */
int cli_scan_form(cli_ctx *ctx, bt_db *db, const char *file,
		  const char *what, struct pdf_form_values *v,
		  char ref[96], bt_err *e);
int cmd_report(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_codes(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_users(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_tokens(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_certs(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_tls(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_serve(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_backup(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_restore(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_check(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_keys(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_receipt(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_publish(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_verify_bundle(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_contacts(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_mail(cli_ctx *ctx, int argc, char **argv, bt_err *e);
int cmd_inbox(cli_ctx *ctx, int argc, char **argv, bt_err *e);

/* Dispatches to a subcommand: subs is a NULL-name terminated table; argv[0]
 * is the parent command, argv[1] the subcommand, which gets argv + 1 (so its
 * argv[0] is its own name) and ctx->cmd "parent sub". When argv[1] names no
 * subcommand, dflt (when not NULL) runs with the whole argv; without dflt,
 * --help prints usage (BT_OK) and anything else is BT_EINPUT (one line
 * naming the subcommands). */
typedef struct cli_sub {
	const char *name;
	cli_cmd_fn fn;
} cli_sub;
int cli_dispatch_sub(cli_ctx *ctx, int argc, char **argv, const char *usage,
		     const cli_sub *subs, cli_cmd_fn dflt, bt_err *e);

#endif
