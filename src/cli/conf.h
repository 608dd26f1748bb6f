/* conf.h - the configuration file and the values a run takes from flags,
 * the environment, the file and the defaults; suggestions for misspelt
 * names (conf.c). */
#ifndef BALLOT_CLI_CONF_H
#define BALLOT_CLI_CONF_H

#include <stddef.h>
#include "ballot/ballot.h"
#include "cli/ctx.h"

/* ---- the configuration file (conf.c) ----
 *
 * /etc/ballot/ballot.conf (BALLOT_CONFIG_FILE at build time), or the file
 * named by --config FILE or $BALLOT_CONFIG: "key = value" lines, '#'
 * comment lines. Each value is taken from, in this order: the command's
 * flag, the environment variable (where there is one), the file, the
 * default. */

/* Reads the configuration file once per run (cli_parse calls it after the
 * options): --config, else $BALLOT_CONFIG (when not empty; each must
 * exist), else the default file when it exists. "/dev/null" is an empty
 * file. A file that others can write (group or other write bit), or owned
 * by neither root nor the user, a line that is not "key = value", an
 * unknown key, a key given twice or a bad value is BT_EINPUT naming the file
 * and the line. forms_dir and fonts_dir from the file are handed to the PDF
 * and portal code through $BALLOT_FORMS / $BALLOT_FONTS when those are not
 * set. */
int cli_conf_load(cli_ctx *ctx, bt_err *e);

/* Frees what cli_conf_load read (cli_ctx_release calls it). */
void cli_conf_free(struct cli_conf *c);

/* The name of key k in the file ("database", "sign_key", ...). */
const char *cli_conf_key_name(int k);

/* The effective value of key k: flag (o given), else the environment, else
 * the file, else the default (NULL when there is none). */
void cli_conf_value(cli_ctx *ctx, int k, const cli_opt *o, cli_value *out);

/* The configuration file read ("" when none). */
const char *cli_conf_path(const cli_ctx *ctx);

/* Checks a portal address (an https:// URL of printable ASCII, at most
 * 200 bytes); field names it in the message. */
int cli_check_url(const char *field, const char *url, bt_err *e);

/* Checks a relay's address (smtp:// or smtps://, printable ASCII, at most
 * 200 bytes); field names it in the message. */
int cli_check_smtp_url(const char *field, const char *url, bt_err *e);

/* ---- suggestions ---- */

/* The optimal-string-alignment edit distance of a and b (case-folded
 * when fold is set). */
size_t cli_edit_distance(const char *a, const char *b, int fold);

/* The one candidate close to s (distance at most max), or NULL when none or
 * more than one is. */
const char *cli_suggest(const char *s, const char *const *cands, size_t n,
			size_t max, int fold);

/* bt_member_resolve, and when code is not a Member State, the message says
 * which one was meant where one code is close ("did you mean CHE?"). */
int cli_member_resolve(bt_db *db, const char *field, const char *code,
		       char out[4], bt_err *e);

/* After a command failed (rc) with a message naming code, a member code
 * that is none: adds "(did you mean CHE?)" where one member is close. */
void cli_member_hint(bt_db *db, const char *code, int rc, bt_err *e);

/* The database path: --db, else $BALLOT_DB (when not empty), else
 * ./ballot.db. */
const char *cli_db_path(const cli_ctx *ctx);

/* The signing key's file: --key (o, when given), else $BALLOT_KEY (when not
 * empty), else the database path with ".key" appended. */
const char *cli_key_path(cli_ctx *ctx, const cli_opt *o);

#endif
