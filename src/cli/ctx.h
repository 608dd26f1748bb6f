/* ctx.h - the command line's run: its options and its context, the keys of
 * the configuration file and an effective value (types only; cli.h, conf.h
 * and text.h build on them). */
#ifndef BALLOT_CLI_CTX_H
#define BALLOT_CLI_CTX_H

#include <stddef.h>
#include "ballot/ballot.h"

/* Option kinds. */
enum {
	CLI_FLAG = 0,  /* --json: no value */
	CLI_ARG = 1,   /* --circular ID: one value, at most once */
	CLI_MULTI = 2  /* --comments FILE: a value, repeatable, all collected */
};

/* One option of a command; the parser fills the second half. A table of
 * options ends with an entry whose name is NULL. */
typedef struct cli_opt {
	const char *name;   /* long name without the leading "--" */
	int kind;           /* CLI_FLAG, CLI_ARG or CLI_MULTI */
	/* filled by cli_parse: */
	int count;          /* times given */
	const char *val;    /* the (last) value, NULL for flags */
	const char **vals;  /* CLI_MULTI: every value, in order (n of them) */
	size_t n;
} cli_opt;

/* Table entries: CLI_OPT("circular", CLI_ARG), ..., CLI_OPT_END. */
#define CLI_OPT(n, k) { .name = (n), .kind = (k) }
#define CLI_OPT_END { .name = NULL }

typedef struct cli_ctx {
	const char *db_path;   /* --db, or NULL (then $BALLOT_DB, ./ballot.db) */
	bt_db *db;             /* opened by cli_open_db, closed by cli_ctx_release */
	int have_now;
	bt_time now;
	char actor[256];
	char cmd[64];          /* the command being run, for messages */
	void **allocs;         /* option value arrays, freed by cli_ctx_release */
	size_t nallocs;
	char **pos;            /* positional arguments after parsing */
	int npos;
	int help;              /* 1 when --help was given (usage already printed) */
	int posix_order;       /* set before cli_parse: options stop at the first
				  positional argument (config set KEY -5) */
	bt_key *key;           /* loaded by cli_load_key, freed by cli_ctx_release */
	char key_path[4096];
	int quiet;             /* --quiet: errors only on stderr */
	const char *config_flag; /* --config FILE, or NULL */
	struct cli_conf *conf; /* the configuration file, once loaded (cli_conf_load) */
} cli_ctx;

/* The keys of the configuration file (conf.c): each value is taken from, in
 * this order, the command's flag, the environment variable (where there is
 * one), the file, the default. */
enum cli_key {
	CONF_DATABASE, CONF_SIGN_KEY, CONF_FORMS_DIR, CONF_FONTS_DIR,
	CONF_LISTEN, CONF_TLS_CERT, CONF_TLS_KEY, CONF_TLS_CLIENT_CA,
	CONF_THREADS, CONF_PORTAL_URL,
	CONF_MAIL_RELAY, CONF_MAIL_USER, CONF_MAIL_PASSWORD_FILE, CONF_MAIL_FROM, CONF_MAIL_CA, CONF_MAIL_RATE,
	CONF_MAIL_MAILBOX, CONF_MAIL_MAX_MESSAGE,
	CONF_NKEYS
};

/* An effective value and where it came from. */
typedef struct cli_value {
	const char *value;     /* NULL: not set (no default) */
	char source[4200];     /* "flag --db", "env BALLOT_DB", "FILE:LINE", "default" */
	const char *kind;      /* "flag", "env", "file", "default", "unset" */
	char where[4200];      /* "--db", "BALLOT_DB", "FILE:LINE"; "" for a default */
} cli_value;

/* The longest output path a command takes (--out, --dir): the files it
 * names beneath stay under PATH_MAX. */
#define CLI_OUT_PATH_MAX 3800

#endif
