/* cli.c - shared machinery of the command-line front end: option parsing,
 * file reading with a cap, the database, the clock, the actor, output. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ballot/export.h"

#define OPT_DB 3      /* getopt value of --db */
#define OPT_QUIET 4   /* getopt value of --quiet */
#define OPT_CONFIG 5  /* getopt value of --config */
#define OPT_BASE 256  /* getopt value of opts[i] is OPT_BASE + i */

void cli_ctx_init(cli_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
}

void cli_ctx_release(cli_ctx *ctx)
{
	bt_db_close(ctx->db);
	ctx->db = NULL;
	bt_key_free(ctx->key);
	ctx->key = NULL;
	cli_conf_free(ctx->conf);
	ctx->conf = NULL;
	for (size_t i = 0; i < ctx->nallocs; i++)
		free(ctx->allocs[i]);
	free(ctx->allocs);
	ctx->allocs = NULL;
	ctx->nallocs = 0;
}

/* Hands the value arrays of opts to ctx, which frees them at the end. */
static int opts_adopt(cli_ctx *ctx, cli_opt *opts, size_t n, bt_err *e)
{
	int rc = BT_OK;

	for (size_t i = 0; i < n; i++) {
		void **a;
		if (!opts[i].vals)
			continue;
		a = realloc(ctx->allocs, (ctx->nallocs + 1) * sizeof *a);
		if (!a) {
			free(opts[i].vals);
			opts[i].vals = NULL;
			opts[i].n = 0;
			rc = bt_fail(e, BT_EFAIL, "out of memory");
			continue;
		}
		ctx->allocs = a;
		ctx->allocs[ctx->nallocs++] = opts[i].vals;
	}
	return rc;
}

/* The name of the option getopt reported as val. */
static const char *opt_name(const cli_opt *opts, size_t n, int val)
{
	if (val == OPT_DB)
		return "db";
	if (val == OPT_CONFIG)
		return "config";
	if (val == OPT_QUIET)
		return "quiet";
	if (val == 'h')
		return "help";
	if (val >= OPT_BASE && (size_t)(val - OPT_BASE) < n)
		return opts[val - OPT_BASE].name;
	return NULL;
}

/* Stores one value of opts[i]. */
static int opt_store(cli_opt *o, const char *val, bt_err *e)
{
	o->count++;
	if (o->kind == CLI_FLAG)
		return BT_OK;
	/* "--circular --member CHE": the value is surely a forgotten one */
	if (val[0] == '-' && val[1] == '-' && val[2] != '\0')
		return bt_fail(e, BT_EINPUT, "--%s: missing value (before '%s')",
			       o->name, val);
	if (o->kind == CLI_ARG) {
		if (o->count > 1)
			return bt_fail(e, BT_EINPUT,
				       "--%s: given more than once ('%s' and '%s')",
				       o->name, o->val, val);
		o->val = val;
		return BT_OK;
	}
	const char **v = realloc(o->vals, (o->n + 1) * sizeof *v);
	if (!v)
		return bt_fail(e, BT_EFAIL, "out of memory");
	v[o->n++] = val;
	o->vals = v;
	o->val = val;
	return BT_OK;
}

/* The options every command takes besides its own (1: takes a value). */
static const struct { const char *name; int arg; } global_opts[] = {
	{ "db", 1 }, { "config", 1 }, { "quiet", 0 }, { "help", 0 }
};
#define NGLOBAL (sizeof global_opts / sizeof global_opts[0])

/* An option name that is none of names[]: refused with the one close name,
 * if any; an abbreviation is never taken for the option it starts. */
static int unknown_option(const char *cmd, const char *arg, const char *const *names,
			  size_t n, bt_err *e)
{
	size_t len = strcspn(arg + 2, "=");
	char given[128];
	const char *prefix_of = NULL;
	int prefixes = 0;

	snprintf(given, sizeof given, "%.*s", (int)(len < 100 ? len : 100), arg + 2);
	for (size_t i = 0; i < n && len; i++)
		if (!strncmp(names[i], given, len)) {
			prefix_of = names[i];
			prefixes++;
		}
	if (prefixes == 1)
		return bt_fail(e, BT_EINPUT, "%s: unknown option '--%s' (options are not "
			       "abbreviated: did you mean --%s?)", cmd, given, prefix_of);
	const char *near = cli_suggest(given, names, n, len <= 4 ? 1 : 2, 0);
	if (near)
		return bt_fail(e, BT_EINPUT, "%s: unknown option '--%s' (did you mean --%s?)",
			       cmd, given, near);
	return bt_fail(e, BT_EINPUT, "%s: unknown option '--%s'", cmd, given);
}

/* Before getopt, which would take "--circ" for "--circular": every long
 * option must be named in full. */
static int check_long_names(cli_ctx *ctx, int argc, char **argv, const cli_opt *opts,
			    size_t n, bt_err *e)
{
	const char **names = calloc(n + NGLOBAL + 1, sizeof *names);
	int rc = BT_OK;

	if (!names)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t i = 0; i < n; i++)
		names[i] = opts[i].name;
	for (size_t i = 0; i < NGLOBAL; i++)
		names[n + i] = global_opts[i].name;
	for (int i = 1; i < argc && rc == BT_OK; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || a[1] == '\0') {
			if (ctx->posix_order)
				break;
			continue;
		}
		if (a[1] != '-')
			continue; /* short options: getopt says which is unknown */
		size_t len = strcspn(a + 2, "=");
		int takes = -1;
		for (size_t k = 0; k < n + NGLOBAL && takes < 0; k++)
			if (strlen(names[k]) == len && !strncmp(names[k], a + 2, len))
				takes = k < n ? opts[k].kind != CLI_FLAG : global_opts[k - n].arg;
		if (takes < 0)
			rc = unknown_option(ctx->cmd, a, names, n + NGLOBAL, e);
		else if (takes && a[2 + len] != '=')
			i++; /* its value, whatever it looks like */
	}
	free(names);
	return rc;
}

/* getopt_long's table: the command's options, then the common ones (--db,
 * --help, --quiet, --config). NULL when out of memory. */
static struct option *long_options(const cli_opt *opts, size_t n)
{
	struct option *lo = calloc(n + 5, sizeof *lo);

	if (!lo)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].kind == CLI_FLAG ? no_argument
							 : required_argument;
		lo[i].val = OPT_BASE + (int)i;
	}
	lo[n] = (struct option){ "db", required_argument, NULL, OPT_DB };
	lo[n + 1] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 2] = (struct option){ "quiet", no_argument, NULL, OPT_QUIET };
	lo[n + 3] = (struct option){ "config", required_argument, NULL, OPT_CONFIG };
	return lo;
}

/* The one-line message for what getopt_long refused (c is ':' or '?'). */
static int getopt_refusal(const cli_ctx *ctx, char **argv, const cli_opt *opts,
			  size_t n, int c, bt_err *e)
{
	const char *name = opt_name(opts, n, optopt);
	const char *arg = argv[optind - 1];

	if (c == ':')
		return bt_fail(e, BT_EINPUT, "--%s: missing value",
			       name ? name : "?");
	if (name)
		return bt_fail(e, BT_EINPUT, "--%s takes no value", name);
	if (optopt > 0)
		return bt_fail(e, BT_EINPUT, "%s: unknown option '-%c'", ctx->cmd,
			       optopt);
	/* show the option without any "=value" */
	return bt_fail(e, BT_EINPUT, "%s: unknown option '%.*s'", ctx->cmd,
		       (int)strcspn(arg, "="), arg);
}

/* Runs getopt_long over argv, storing each option; stops at the first
 * refusal. */
static int getopt_all(cli_ctx *ctx, int argc, char **argv, cli_opt *opts,
		      size_t n, bt_err *e)
{
	struct option *lo = long_options(opts, n);
	int rc = BT_OK;

	if (!lo)
		return bt_fail(e, BT_EFAIL, "out of memory");
	optind = 0; /* glibc: full reinitialization */
	opterr = 0;
	while (rc == BT_OK) {
		int c = getopt_long(argc, argv, ctx->posix_order ? "+:h" : ":h",
				    lo, NULL);
		if (c == -1)
			break;
		if (c == OPT_DB)
			ctx->db_path = optarg;
		else if (c == OPT_QUIET)
			ctx->quiet = 1;
		else if (c == OPT_CONFIG)
			ctx->config_flag = optarg;
		else if (c >= OPT_BASE && (size_t)(c - OPT_BASE) < n)
			rc = opt_store(&opts[c - OPT_BASE], optarg, e);
		else
			rc = getopt_refusal(ctx, argv, opts, n, c, e);
	}
	free(lo);
	return rc;
}

int cli_parse(cli_ctx *ctx, int argc, char **argv, const char *usage,
	      cli_opt *opts, int max_pos, bt_err *e)
{
	size_t n = 0;
	int rc;

	for (n = 0; opts[n].name; n++) {
		opts[n].count = 0;
		opts[n].val = NULL;
		opts[n].vals = NULL;
		opts[n].n = 0;
	}
	ctx->pos = argv + argc;
	ctx->npos = 0;
	if (!ctx->cmd[0])
		snprintf(ctx->cmd, sizeof ctx->cmd, "%s", argv[0]);

	/* --help wins over everything else, wherever it is. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			ctx->help = 1;
			return BT_OK;
		}
	}

	if ((rc = check_long_names(ctx, argc, argv, opts, n, e)) != BT_OK)
		return rc;
	rc = getopt_all(ctx, argc, argv, opts, n, e);
	if (opts_adopt(ctx, opts, n, e) != BT_OK && rc == BT_OK)
		rc = BT_EFAIL;
	if (rc != BT_OK)
		return rc;
	ctx->pos = argv + optind;
	ctx->npos = argc - optind;
	if (max_pos >= 0 && ctx->npos > max_pos)
		return bt_fail(e, BT_EINPUT, "%s: unexpected argument '%s'",
			       ctx->cmd, ctx->pos[max_pos]);
	cli_set_quiet(ctx->quiet);
	if ((rc = cli_conf_load(ctx, e)) != BT_OK)
		return rc;
	if (getenv("BALLOT_NOW")) {
		bt_time now;
		return cli_now(ctx, &now, e);
	}
	return BT_OK;
}

int cli_require(const cli_opt *o, bt_err *e)
{
	if (o->count == 0)
		return bt_fail(e, BT_EINPUT, "--%s is required", o->name);
	return BT_OK;
}

int cli_read_file(const char *opt, const char *path, int64_t max,
		  int allow_empty, bt_buf *out, bt_err *e)
{
	int rc = bt_file_read(path, opt, max > 0 ? (size_t)max : 1, out, e);
	if (rc == BT_OK && out->len == 0 && !allow_empty) {
		bt_buf_release(out);
		rc = bt_fail(e, BT_EINPUT, "%s: '%s' is empty", opt, path);
	}
	return rc;
}

const char *cli_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int cli_load_key(cli_ctx *ctx, const cli_opt *o, const bt_key **k, bt_err *e)
{
	if (!ctx->key) {
		char field[64];
		snprintf(field, sizeof field, "--%s", o ? o->name : "key");
		int rc = bt_key_load(cli_key_path(ctx, o), field, &ctx->key, e);
		if (rc != BT_OK)
			return rc;
	}
	*k = ctx->key;
	return BT_OK;
}

int cli_receipt_prepare(cli_ctx *ctx, const cli_opt *o_key, const cli_opt *o_out,
			const bt_key **k, bt_err *e)
{
	int rc = cli_load_key(ctx, o_key, k, e);
	if (rc == BT_OK && o_out && o_out->count)
		rc = bt_file_writable(o_out->val, "receipt", e);
	return rc;
}

int cli_read_pubkey(const char *opt, const char *arg, bt_pubkey *out, bt_err *e)
{
	if (strncmp(arg, "ed25519:", 8) == 0)
		return bt_pubkey_parse(arg, strlen(arg), opt, out, e);
	bt_buf text = BT_BUF_INIT;
	int rc = cli_read_file(opt, arg, 64 * 1024, 0, &text, e);
	if (rc == BT_OK)
		rc = bt_pubkey_parse(text.data, text.len, opt, out, e);
	bt_buf_release(&text);
	return rc;
}

int cli_receipt(cli_ctx *ctx, const bt_key *k, int64_t seq, const char *path,
		int print, bt_err *e)
{
	bt_buf r = BT_BUF_INIT;
	if (!path && !print) {
		/* the same bytes whenever asked: nothing is lost by not
		 * printing a long line nobody asked for */
		printf("receipt: ballot receipt show --event %lld\n", (long long)seq);
		return BT_OK;
	}
	int rc = bt_receipt_issue(ctx->db, seq, k, &r, NULL, e);
	if (rc == BT_OK && path) {
		rc = bt_file_write(path, "receipt", r.data, r.len, e);
		if (rc == BT_OK)
			printf("receipt saved to %s\n", path);
	} else if (rc == BT_OK) {
		printf("receipt: %s", bt_buf_str(&r));
	}
	bt_buf_release(&r);
	if (rc != BT_OK) {
		char msg[sizeof e->msg];
		cli_err_render(e, msg, sizeof msg);
		bt_fail(e, BT_EFAIL, "recorded as event %lld, but its receipt was not issued (%s); issue it with: ballot receipt show --event %lld",
			(long long)seq, msg, (long long)seq);
		rc = BT_EFAIL;
	}
	return rc;
}

int cli_open_db(cli_ctx *ctx, int write, bt_db **db, bt_err *e)
{
	int rc;

	if (!ctx->db) {
		rc = bt_db_open(cli_db_path(ctx), write ? 0 : BT_DB_READONLY,
				&ctx->db, e);
		if (rc != BT_OK) {
			ctx->db = NULL;
			return rc;
		}
		bt_err w;
		if (!write && strcmp(ctx->cmd, "audit") != 0 && !cli_quiet() && bt_db_damaged(ctx->db, &w)) {
			char shown[sizeof w.msg + 256];
			cli_err_render(&w, shown, sizeof shown);
			fprintf(stderr, "ballot: warning: the database is damaged (%s): what it says cannot be "
				"trusted; restore it from a backup (`ballot restore`)\n", shown);
		}
	}
	if (write) {
		rc = bt_db_require_writable(ctx->db, e);
		if (rc != BT_OK)
			return rc;
	}
	*db = ctx->db;
	return BT_OK;
}

int cli_now(cli_ctx *ctx, bt_time *out, bt_err *e)
{
	if (!ctx->have_now) {
		int rc = bt_now(&ctx->now, e);
		if (rc != BT_OK)
			return rc;
		ctx->have_now = 1;
	}
	*out = ctx->now;
	return BT_OK;
}

const char *cli_actor(cli_ctx *ctx)
{
	if (!ctx->actor[0]) {
		const char *env = getenv("BALLOT_ACTOR");
		if (env && *env) {
			snprintf(ctx->actor, sizeof ctx->actor, "%s", env);
		} else {
			uid_t uid = getuid();
			struct passwd *pw = getpwuid(uid);
			if (pw && pw->pw_name && *pw->pw_name)
				snprintf(ctx->actor, sizeof ctx->actor,
					 "cli:%s", pw->pw_name);
			else
				snprintf(ctx->actor, sizeof ctx->actor,
					 "cli:uid%lu", (unsigned long)uid);
		}
	}
	return ctx->actor;
}

static int quiet_flag;

void cli_set_quiet(int quiet)
{
	if (quiet)
		quiet_flag = 1;
}

int cli_quiet(void)
{
	return quiet_flag;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	if (quiet_flag)
		return;
	fflush(stdout); /* keep the order of stdout and stderr on a terminal */
	fputs("warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_print_json(const bt_buf *b, bt_err *e)
{
	if (b->failed || !b->data)
		return bt_fail(e, BT_EFAIL, "out of memory writing json");
	fwrite(b->data, 1, b->len, stdout);
	fputc('\n', stdout);
	return BT_OK;
}

int cli_json_str_or_null(bt_buf *b, const char *s)
{
	return bt_json_str_or_null(b, s);
}

void cli_print_recorded(const bt_reply_result *r)
{
	char rt[BT_TIME_LEN], dl[BT_TIME_LEN];
	int withdrawal = r->choice == BT_WITHDRAW;

	bt_time_format(r->received, rt);
	bt_time_format(r->deadline, dl);
	printf("recorded %s %" PRId64 ": %s %s %s received %s (event %" PRId64 " %s)\n",
	       withdrawal ? "withdrawal" : "reply", r->reply_id, r->member, r->rec,
	       bt_choice_name(r->choice), rt, r->event_seq, r->event_hash);
	if (r->late && withdrawal)
		cli_warn("late: withdrawal received %s, after the deadline %s; recorded, not counted (the on-time reply still counts)",
			 rt, dl);
	else if (r->late)
		cli_warn("late: received %s, after the deadline %s; recorded, not counted", rt, dl);
	if (r->without_reasons)
		cli_warn("%s does not authorize %s without reasons attached (--reasons); recorded and flagged",
			 r->member, r->rec);
	if (r->supersedes)
		cli_warn("supersedes the earlier reply of %s on %s", r->member, r->rec);
	if (r->outdated)
		cli_warn("%s already has a later-dated reply or withdrawal on %s; this one is recorded but the later one stands",
			 r->member, r->rec);
}

void cli_quota_hint(int rc, int quota, bt_err *e)
{
	static const char hint[] = " (the secretariat may record it all the same with --force)";
	size_t n = strlen(e->msg);
	if (rc == BT_EINPUT && quota != BT_QUOTA_NONE && n + sizeof hint <= sizeof e->msg)
		memcpy(e->msg + n, hint, sizeof hint);
}

int cli_opt_time(const cli_opt *o, int *has, bt_time *t, bt_err *e)
{
	*has = 0;
	if (!o->count)
		return BT_OK;
	char field[64];
	snprintf(field, sizeof field, "--%s", o->name);
	int rc = bt_time_parse(o->val, field, t, e);
	if (rc == BT_OK)
		*has = 1;
	return rc;
}

int cli_json_kv_time(bt_buf *b, const char *key, bt_time t, int first)
{
	return bt_json_kv_time(b, key, t, first);
}

int cli_json_kv_date(bt_buf *b, const char *key, bt_date d, int first)
{
	char ds[BT_DATE_LEN];

	if (d == BT_DATE_NONE)
		return bt_json_kv_null(b, key, first);
	bt_date_format(d, ds);
	return bt_json_kv_str(b, key, ds, first);
}

int cli_flush_stdout(bt_err *e)
{
	char eb[128];

	if (fflush(stdout) != 0 || ferror(stdout))
		return bt_fail(e, BT_EFAIL, "writing output: %s",
			       cli_strerror(errno ? errno : EIO, eb, sizeof eb));
	return BT_OK;
}

size_t cli_text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

void cli_table_init(cli_table *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

int cli_table_add(cli_table *t, const char *const *cells)
{
	if (t->failed)
		return -1;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * t->ncols * sizeof *c);
		if (!c) {
			t->failed = 1;
			return -1;
		}
		t->cells = c;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		const char *s = cells[i] ? cells[i] : "-";
		char *copy = strdup(s);
		if (!copy) {
			for (size_t j = 0; j < i; j++)
				free(t->cells[t->nrows * t->ncols + j]);
			t->failed = 1;
			return -1;
		}
		t->cells[t->nrows * t->ncols + i] = copy;
	}
	t->nrows++;
	return 0;
}

int cli_table_print(const cli_table *t, const char *align, FILE *f, bt_err *e)
{
	size_t *w;

	if (t->failed)
		return bt_fail(e, BT_EFAIL, "out of memory building a table");
	w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
	if (!w)
		return bt_fail(e, BT_EFAIL, "out of memory building a table");
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t cw = cli_text_width(t->cells[r * t->ncols + c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		size_t end = t->ncols; /* cells after the last non-empty one */
		while (end > 1 && !t->cells[r * t->ncols + end - 1][0])
			end--;
		for (size_t c = 0; c < end; c++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t pad = w[c] - cli_text_width(s);
			int last = c + 1 == end;
			if (c > 0)
				fputs("  ", f);
			if (align && align[c] == 'r')
				for (size_t p = 0; p < pad; p++)
					fputc(' ', f);
			fputs(s, f);
			if (!last && !(align && align[c] == 'r'))
				for (size_t p = 0; p < pad; p++)
					fputc(' ', f);
		}
		fputc('\n', f);
	}
	free(w);
	return BT_OK;
}

void cli_table_release(cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

int cli_dispatch_sub(cli_ctx *ctx, int argc, char **argv, const char *usage,
		     const cli_sub *subs, cli_cmd_fn dflt, bt_err *e)
{
	char names[128] = "";

	if (argc > 1) {
		for (const cli_sub *s = subs; s->name; s++) {
			if (strcmp(argv[1], s->name) != 0)
				continue;
			snprintf(ctx->cmd, sizeof ctx->cmd, "%s %s", argv[0],
				 s->name);
			return s->fn(ctx, argc - 1, argv + 1, e);
		}
	}
	if (dflt)
		return dflt(ctx, argc, argv, e);
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		ctx->help = 1;
		return BT_OK;
	}
	for (const cli_sub *s = subs; s->name; s++) {
		size_t used = strlen(names);
		snprintf(names + used, sizeof names - used, "%s%s",
			 used ? ", " : "", s->name);
	}
	if (argc > 1) {
		const char *cands[32];
		size_t nc = 0;
		for (const cli_sub *s = subs; s->name && nc < 32; s++)
			cands[nc++] = s->name;
		const char *near = cli_suggest(argv[1], cands, nc, 2, 0);
		if (near)
			return bt_fail(e, BT_EINPUT, "%s: unknown subcommand '%s' (did you mean %s?)",
				       argv[0], argv[1], near);
		return bt_fail(e, BT_EINPUT,
			       "%s: unknown subcommand '%s' (one of %s)", argv[0],
			       argv[1], names);
	}
	return bt_fail(e, BT_EINPUT, "%s: a subcommand is required (one of %s)",
		       argv[0], names);
}

int cli_drafts_now(cli_ctx *ctx, bt_db *db, const char *circular, bt_draft_list *dl, bt_err *e)
{
	bt_time now;
	bt_tally t;
	int rc = cli_now(ctx, &now, e);
	if (rc != BT_OK)
		return rc;
	if ((rc = bt_tally_compute(db, circular, now, &t, e)) != BT_OK)
		return rc;
	for (size_t i = 0; i < dl->n; i++)
		for (size_t k = 0; k < t.n; k++)
			if (strcmp(t.drafts[k].rec, dl->v[i].rec) == 0) {
				snprintf(dl->v[i].state, sizeof dl->v[i].state, "%s", t.drafts[k].state);
				snprintf(dl->v[i].outcome, sizeof dl->v[i].outcome, "%s", t.drafts[k].outcome);
			}
	bt_tally_free(&t);
	return BT_OK;
}

/* ---- progress on a terminal ---- */

static int progress_shown;      /* a progress line is on the screen */
static struct timespec progress_last;

void cli_progress(const char *what, uint64_t done, uint64_t total)
{
	static int tty = -1;
	struct timespec now;

	if (quiet_flag)
		return;
	if (tty < 0)
		tty = isatty(2);
	if (!tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - progress_last.tv_sec) * 1000 +
		  (now.tv_nsec - progress_last.tv_nsec) / 1000000;
	if (progress_shown && ms < 100 && done < total)
		return;
	progress_last = now;
	if (total)
		fprintf(stderr, "\r%s: %" PRIu64 "/%" PRIu64 "\033[K", what, done, total);
	else if (done)
		fprintf(stderr, "\r%s: %" PRIu64 "\033[K", what, done);
	else /* a stage begins */
		fprintf(stderr, "\r%s\033[K", what);
	progress_shown = 1;
}

void cli_progress_done(void)
{
	if (progress_shown)
		fputc('\n', stderr);
	progress_shown = 0;
}

static char progress_what[96];

static void engine_progress(void *arg, const char *stage, uint64_t done, uint64_t total)
{
	char what[160];
	(void)arg;
	snprintf(what, sizeof what, "%s: %s", progress_what, stage);
	cli_progress(what, done, total);
}

void cli_progress_engine(const char *what)
{
	snprintf(progress_what, sizeof progress_what, "%s", what);
	bt_progress_set(engine_progress, NULL);
}
