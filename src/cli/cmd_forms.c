/* cmd_forms.c - `ballot forms`: the Annex 2 reply forms of a consultation as
 * PDF, blank and personalized, in the six ITU languages. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdf/annex2.h"
#include "pdf/lang.h"

static const char USAGE[] =
	"usage: ballot forms --circular ID [--member CODE... | --all] [--blank]\n"
	"                    [--lang LANGS] [--out DIR] [--paper a4|letter] [--jobs N]\n"
	"                    [--with-codes [--portal URL]]\n"
	"\n"
	"Writes the consultation's Annex 2 reply form as PDF: DIR/<circular>/<lang>/\n"
	"blank.pdf (--blank, the default when no member is named) and <CODE>.pdf for\n"
	"each --member (repeatable, or comma-separated) or, with --all, for every\n"
	"member of the electorate. LANGS: all (the default) or a comma-separated\n"
	"list of en, fr, es, ru, zh, ar. DIR defaults to output/forms. The words\n"
	"come from forms/annex2/<lang>.txt, the names from forms/names/<lang>.tsv\n"
	"and Debian's iso-codes ($BALLOT_FORMS sets another forms directory).\n"
	"Everything is checked before the first file is written; each file is\n"
	"written whole or not at all. The same database gives the same bytes.\n"
	"--jobs N: forms written by N processes at once (default: one per CPU).\n"
	"--with-codes: issues a fresh reply code for each member named (revoking\n"
	"the code it had) and prints it on that member's forms, with the portal's\n"
	"address: --portal URL, else portal_url of the configuration file (ballot\n"
	"config show); without either, --with-codes is refused.\n";

typedef struct job {
	bt_consultation c;
	bt_draft_list drafts;
	char digest[65];
	bt_member_list electorate;
	const bt_member **who; /* the members to write, in order */
	size_t nwho;
	int blank;
	const char *langs[PDF_NLANGS];
	int nlangs;
	annex2_lang *lang[PDF_NLANGS];
	bt_buf blank_pdf[PDF_NLANGS]; /* rendered by the preflight */
	pdf_fonts *fonts;
	pdf_paper paper;
	const char *out;
	bt_code_list codes;     /* --with-codes: by member code */
	const char *portal_url;
} job;

/* One warning per language of the forms and draft with no title in that
 * language: the form shows the English one. Only once the consultation
 * has a title in any other language: one with none is recorded in English
 * alone (made before titles per language, or by choice; draft list says
 * which languages are missing), and its forms are not to warn at every run. */
static void title_warnings(const job *j)
{
	static const char *const names[BT_DRAFT_LANGS] = { "French", "Spanish", "Russian", "Chinese", "Arabic" };
	int any = 0;
	for (size_t d = 0; d < j->drafts.n; d++)
		for (int k = 0; k < BT_DRAFT_LANGS; k++)
			any |= j->drafts.v[d].titles[k] != NULL;
	for (int i = 0; any && i < j->nlangs; i++) {
		int k = bt_draft_lang_index(j->langs[i]);
		for (size_t d = 0; k >= 0 && d < j->drafts.n; d++)
			if (!j->drafts.v[d].titles[k])
				cli_warn("no %s title for %s; the English one is used", names[k], j->drafts.v[d].rec);
	}
}

static const bt_member *electorate_find(const job *j, const char *code)
{
	for (size_t i = 0; i < j->electorate.n; i++)
		if (strcmp(j->electorate.v[i].code, code) == 0)
			return &j->electorate.v[i];
	return NULL;
}

/* The members named by --member (each may be a comma-separated list). */
static int pick_members(bt_db *db, job *j, const cli_opt *o, bt_err *e)
{
	size_t cap = 0; /* one per comma-separated code */
	for (size_t i = 0; i < o->n; i++) {
		cap++;
		for (const char *p = o->vals[i]; *p; p++)
			cap += *p == ',';
	}
	j->who = calloc(cap ? cap : 1, sizeof *j->who);
	if (!j->who)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t i = 0; i < o->n; i++) {
		char *list = strdup(o->vals[i]), *save = NULL;
		if (!list)
			return bt_fail(e, BT_EFAIL, "out of memory");
		int rc = BT_OK;
		for (char *t = strtok_r(list, ",", &save); t && rc == BT_OK;
		     t = strtok_r(NULL, ",", &save)) {
			char code[4];
			rc = cli_member_resolve(db, "member", t, code, e);
			const bt_member *m = rc ? NULL : electorate_find(j, code);
			if (rc == BT_OK && !m)
				rc = bt_fail(e, BT_EINPUT, "--member: '%s' is not "
					     "in the electorate of circular %s",
					     code, j->c.circular);
			for (size_t k = 0; rc == BT_OK && k < j->nwho; k++)
				if (j->who[k] == m)
					rc = bt_fail(e, BT_EINPUT, "--member: '%s' "
						     "given twice", code);
			if (rc == BT_OK)
				j->who[j->nwho++] = m;
		}
		free(list);
		if (rc)
			return rc;
	}
	if (o->n && j->nwho == 0)
		return bt_fail(e, BT_EINPUT, "--member: no member code given");
	return BT_OK;
}

/* Stored text never stops the forms: a character no font can print is
 * drawn as the mark, and said once on stderr (warned: one flag per text
 * warned of, keyed by its address). */
static void warn_unprintable(job *j, const char *field, const char *text,
			     const char **warned)
{
	for (size_t i = 0; warned[i]; i++)
		if (warned[i] == text)
			return;
	bt_err w;
	char mark[5] = "";
	if (pdf_text_check(j->fonts, text, field, &w) == BT_OK)
		return;
	for (size_t i = 0;; i++)
		if (!warned[i]) {
			warned[i] = text;
			break;
		}
	pdf_fonts_mark(j->fonts, mark, &w);
	char msg[sizeof w.msg + 256];
	cli_err_render(&w, msg, sizeof msg);
	if (!cli_quiet())
		fprintf(stderr, "ballot: warning: %s; the forms show it as %s\n", msg,
		*mark ? mark : "nothing");
}

/* Language i of the preflight: its words loaded, its blank form rendered
 * (every template text, title and the deadline set in the language's
 * fonts; kept for --blank), and each member's name measured in its fonts
 * (a name of forms/names/ must print; the database's is printed with the
 * mark, and warned of once). */
static int preflight_lang(job *j, int i, const char **warned, bt_err *e)
{
	const char *forms = pdf_forms_dir();
	int rc = annex2_lang_load(forms, j->langs[i], &j->lang[i], e);
	if (rc == BT_OK)
		rc = annex2_render(j->fonts, j->lang[i], &j->c, &j->drafts, j->digest, NULL, NULL, j->paper,
				   &j->blank_pdf[i], e);
	pdf_doc *d = NULL;
	if (rc == BT_OK)
		rc = pdf_doc_new(j->fonts, j->paper, 0, &d, e);
	for (size_t k = 0; k < j->nwho && rc == BT_OK; k++) {
		char field[96];
		float w;
		const pdf_style st = { 10, 0, PDF_START, 0 };
		const char *name = annex2_member_name(j->lang[i], j->who[k]);
		snprintf(field, sizeof field, "member name (%s, %s)", j->who[k]->code, j->langs[i]);
		/* the database's name is printed with the mark; a
		 * name of forms/names/ is corrected there */
		if (name == j->who[k]->name)
			warn_unprintable(j, field, name, warned);
		else
			rc = pdf_text_width(d, name, &st, field, &w, e);
	}
	pdf_doc_free(d);
	return rc;
}

/* Language i's output directory made; a file can only replace a file. */
static int preflight_out(const job *j, int i, bt_err *e)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s/%s", j->out, j->c.circular, j->langs[i]);
	int rc = bt_dir_make(dir, "out", e);
	for (size_t k = 0; rc == BT_OK && k < j->nwho + 1; k++) {
		char path[4200];
		struct stat st;
		if (k == j->nwho && !j->blank)
			break;
		snprintf(path, sizeof path, "%s/%s.pdf", dir, k < j->nwho ? j->who[k]->code : "blank");
		if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
			rc = bt_fail(e, BT_EINPUT, "--out: '%s' exists and is not a regular file", path);
	}
	return rc;
}

/* Everything that can be wrong with the input is found here, before any
 * file is written: templates, fonts, names, titles, the output directory. */
static int preflight(job *j, bt_err *e)
{
	/* each member and draft warned of once, whatever the languages */
	const char **warned = calloc(j->nwho + j->drafts.n + 1, sizeof *warned);
	if (!warned)
		return bt_fail(e, BT_EFAIL, "out of memory");
	/* the circular names a directory: it must stay inside --out */
	int rc = bt_file_name_check(j->c.circular, "circular", e);
	if (rc == BT_OK)
		rc = pdf_fonts_load(pdf_forms_dir(), &j->fonts, e);
	for (int i = 0; i < j->nlangs && rc == BT_OK; i++)
		rc = preflight_lang(j, i, warned, e);
	for (size_t k = 0; k < j->drafts.n && rc == BT_OK; k++) {
		char field[96];
		snprintf(field, sizeof field, "title of draft %s", j->drafts.v[k].rec);
		warn_unprintable(j, field, j->drafts.v[k].title, warned);
	}
	for (int i = 0; i < j->nlangs && rc == BT_OK; i++)
		rc = preflight_out(j, i, e);
	free(warned);
	return rc;
}

static int write_form(job *j, int li, const bt_member *m, bt_buf *pdf,
		      bt_err *e)
{
	char path[4200];
	int rc = bt_file_name_check(j->c.circular, "circular", e);
	if (rc)
		return rc;
	snprintf(path, sizeof path, "%s/%s/%s/%s.pdf", j->out, j->c.circular,
		 j->langs[li], m ? m->code : "blank");
	if (!m) /* rendered by the preflight */
		return bt_file_write(path, "out", j->blank_pdf[li].data,
				      j->blank_pdf[li].len, e);
	annex2_portal portal = { NULL, j->portal_url };
	for (size_t i = 0; i < j->codes.n; i++)
		if (strcmp(j->codes.v[i].member, m->code) == 0)
			portal.code = j->codes.v[i].code;
	rc = annex2_render(j->fonts, j->lang[li], &j->c, &j->drafts,
			       j->digest, m, portal.code ? &portal : NULL,
			       j->paper, pdf, e);
	if (rc)
		return bt_err_wrap(e, "%s: ", path);
	return bt_file_write(path, "out", pdf->data, pdf->len, e);
}

/* Task t of the run: language t / per, then the blank form (when asked)
 * and the members in order. */
static int task(job *j, size_t t, bt_buf *pdf, bt_err *e)
{
	size_t per = j->nwho + (size_t)j->blank;
	int li = (int)(t / per);
	size_t k = t % per;
	if (j->blank && k == 0)
		return write_form(j, li, NULL, pdf, e);
	return write_form(j, li, j->who[k - (size_t)j->blank], pdf, e);
}

static void progress(size_t done, size_t total)
{
	cli_progress("forms", done, total);
}

/* Runs tasks w, w + n, w + 2n, ... reporting on fd a '.' after each form
 * written (renamed into place), or "E<status> <message>" and stop. When the
 * parent closes its end (another worker failed), the next report fails and
 * the worker stops between two forms: nothing is left half-written. */
static void worker(job *j, size_t w, size_t n, size_t total, int fd)
{
	signal(SIGPIPE, SIG_IGN);
	bt_buf pdf = BT_BUF_INIT;
	bt_err e = { 0 };
	int rc = BT_OK;
	for (size_t t = w; t < total && rc == BT_OK; t += n) {
		rc = task(j, t, &pdf, &e);
		char msg[sizeof e.msg + 256], line[sizeof msg + 16];
		if (rc)
			cli_err_render(&e, msg, sizeof msg);
		int len = rc ? snprintf(line, sizeof line, "E%d %s", rc, msg)
			     : snprintf(line, sizeof line, ".");
		if (len > (int)sizeof line - 1)
			len = (int)sizeof line - 1;
		if (write(fd, line, (size_t)len) != len && rc == BT_OK)
			rc = BT_EFAIL;
	}
	bt_buf_release(&pdf);
	_exit(rc);
}

/* What one worker reported: dots, then perhaps "E<status> <message>". */
typedef struct report_pipe {
	int fd;        /* -1 once closed */
	pid_t pid;
	bt_buf err;    /* the error line, when one came */
} report_pipe;

/* Reads what fd has; counts dots into *done. 0 at EOF. */
static int pipe_read(report_pipe *w, size_t *done)
{
	char buf[4096];
	ssize_t r;
	while ((r = read(w->fd, buf, sizeof buf)) < 0 && errno == EINTR)
		;
	for (ssize_t i = 0; i < r; i++)
		if (buf[i] == '.' && !w->err.len)
			(*done)++;
		else
			bt_buf_addc(&w->err, buf[i]);
	return r > 0;
}

/* Forks up to jobs workers (w[0..*n)), each with its report pipe; stops
 * at the first pipe or fork that fails. */
static int workers_start(job *j, report_pipe *w, size_t *n, size_t jobs, size_t total, bt_err *e)
{
	for (; *n < jobs; (*n)++) {
		int p[2];
		if (pipe(p) != 0)
			return bt_fail(e, BT_EFAIL, "pipe: %s", strerror(errno));
		pid_t pid = fork();
		if (pid < 0) {
			close(p[0]);
			close(p[1]);
			return bt_fail(e, BT_EFAIL, "fork: %s", strerror(errno));
		}
		if (pid == 0) {
			close(p[0]);
			for (size_t k = 0; k < *n; k++)
				close(w[k].fd);
			worker(j, *n, jobs, total, p[1]);
		}
		close(p[1]);
		w[*n] = (report_pipe){ p[0], pid, BT_BUF_INIT };
	}
	return BT_OK;
}

/* Reads the n workers' reports until every pipe is closed or one reports
 * an error (which becomes e); the forms written counted into *done, and
 * shown when show. */
static int workers_watch(report_pipe *w, size_t n, size_t total, int show, size_t *done, bt_err *e)
{
	size_t open_fds = n;
	int rc = BT_OK;
	while (open_fds && rc == BT_OK) {
		struct pollfd pf[64];
		for (size_t k = 0; k < n; k++)
			pf[k] = (struct pollfd){ w[k].fd, POLLIN, 0 };
		if (poll(pf, n, -1) < 0) {
			if (errno != EINTR)
				rc = bt_fail(e, BT_EFAIL, "poll: %s", strerror(errno));
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			if (w[k].fd < 0 || !pf[k].revents)
				continue;
			if (!pipe_read(&w[k], done)) {
				close(w[k].fd);
				w[k].fd = -1;
				open_fds--;
			}
			if (w[k].err.len && w[k].fd < 0 && rc == BT_OK) {
				const char *m = bt_buf_str(&w[k].err);
				const char *sp = strchr(m, ' ');
				rc = bt_fail(e, atoi(m + 1) == BT_EINPUT ? BT_EINPUT : BT_EFAIL, "%s", sp ? sp + 1 : m);
			}
		}
		if (show && rc == BT_OK)
			progress(*done, total);
	}
	return rc;
}

/* Closes the n workers' pipes (the others stop between two forms) and waits
 * for each; rc, or the first worker that failed. */
static int workers_reap(report_pipe *w, size_t n, int rc, bt_err *e)
{
	for (size_t k = 0; k < n; k++) { /* stop the others, if any */
		if (w[k].fd >= 0)
			close(w[k].fd);
		bt_buf_release(&w[k].err);
	}
	for (size_t k = 0; k < n; k++) {
		int st = 0;
		pid_t got;
		while ((got = waitpid(w[k].pid, &st, 0)) < 0 && errno == EINTR)
			;
		if (rc == BT_OK && got < 0)
			rc = bt_fail(e, BT_EFAIL, "waiting for a form worker: %s", strerror(errno));
		else if (rc == BT_OK && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
			rc = bt_fail(e, BT_EFAIL, "a form worker failed (%s %d)", WIFEXITED(st) ? "status" : "signal",
				     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
	return rc;
}

/* Forks up to jobs workers after all the data is loaded (the database is
 * not touched after the fork; each form is an independent file, so the
 * bytes do not depend on jobs). The first error stops the others between
 * two forms. */
static int run_parallel(job *j, size_t total, size_t jobs, int show,
			size_t *done, bt_err *e)
{
	report_pipe w[64];
	size_t n = 0;
	/* an inherited SIG_IGN would make waitpid() fail with ECHILD */
	void (*old_chld)(int) = signal(SIGCHLD, SIG_DFL);
	fflush(NULL);
	int rc = workers_start(j, w, &n, jobs, total, e);
	if (rc == BT_OK)
		rc = workers_watch(w, n, total, show, done, e);
	rc = workers_reap(w, n, rc, e);
	signal(SIGCHLD, old_chld);
	return rc;
}

static int run(job *j, size_t jobs, bt_err *e)
{
	size_t per = j->nwho + (size_t)j->blank, total = per * (size_t)j->nlangs;
	size_t done = 0;
	int show = total > 1;
	int rc = BT_OK;
	if (jobs > total)
		jobs = total;
	if (jobs > 1) {
		rc = run_parallel(j, total, jobs, show, &done, e);
	} else {
		bt_buf pdf = BT_BUF_INIT;
		for (size_t t = 0; t < total && rc == BT_OK; t++) {
			rc = task(j, t, &pdf, e);
			done += rc == BT_OK;
			if (show)
				progress(done, total);
		}
		bt_buf_release(&pdf);
	}
	if (show)
		cli_progress_done();
	if (rc == BT_OK) {
		printf("wrote %zu form%s for circular %s in %s/%s/ (", done,
		       done == 1 ? "" : "s", j->c.circular, j->out,
		       j->c.circular);
		for (int i = 0; i < j->nlangs; i++)
			printf("%s%s", i ? " " : "", j->langs[i]);
		printf(")\n");
	}
	return rc;
}

/* --portal URL, else portal_url of the configuration file (only with
 * --with-codes): the https address printed on the forms mailed to
 * administrations. Never a guess: without one the forms are refused. */
static int portal_option(cli_ctx *ctx, job *j, int with_codes, const cli_opt *o, bt_err *e)
{
	cli_value v;
	if (o->count && !with_codes)
		return bt_fail(e, BT_EINPUT, "--portal: only with --with-codes");
	if (!with_codes)
		return BT_OK;
	cli_conf_value(ctx, CONF_PORTAL_URL, o, &v);
	if (!v.value)
		return bt_fail(e, BT_EINPUT, "--with-codes: the portal's address is not set: give --portal URL "
			       "or portal_url in the configuration file (ballot config show)");
	int rc = o->count ? cli_check_url("--portal", v.value, e) : BT_OK;
	if (rc == BT_OK)
		j->portal_url = v.value;
	return rc;
}

/* Fresh codes for exactly the members whose forms are written, in one
 * transaction, after everything else was checked. */
static int issue_codes(cli_ctx *ctx, bt_db *db, job *j, bt_err *e)
{
	bt_time now;
	const char **codes = calloc(j->nwho ? j->nwho : 1, sizeof *codes);
	if (!codes)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t k = 0; k < j->nwho; k++)
		codes[k] = j->who[k]->code;
	int rc = cli_now(ctx, &now, e);
	if (rc == BT_OK)
		rc = bt_codes_issue_for(db, j->c.circular, codes, j->nwho,
					cli_actor(ctx), now, &j->codes, e);
	free(codes);
	return rc;
}

static void codes_note(const job *j)
{
	printf("issued %zu reply code%s for circular %s, printed on the forms "
	       "only\n", j->codes.n, j->codes.n == 1 ? "" : "s", j->c.circular);
	fflush(stdout);
	if (!cli_quiet())
		fprintf(stderr, "forms: the reply codes of %zu member%s were reissued: "
		"earlier codes no longer work; each member needs its new form\n",
		j->codes.n, j->codes.n == 1 ? "" : "s");
}

enum { O_CIRCULAR, O_MEMBER, O_ALL, O_BLANK, O_LANG, O_OUT, O_PAPER, O_JOBS, O_CODES, O_PORTAL };

/* The options that need no database: languages, paper, --jobs (1 to 64,
 * default one per CPU), --out, --blank, --portal with --with-codes. */
static int forms_options(cli_ctx *ctx, const cli_opt *opts, job *j, long long *jobs, bt_err *e)
{
	if (opts[O_ALL].count && opts[O_MEMBER].count)
		return bt_fail(e, BT_EINPUT, "--all and --member exclude each other");
	int rc = pdf_langs_parse(opts[O_LANG].count ? opts[O_LANG].val : "all", j->langs, &j->nlangs, e);
	if (rc == BT_OK && opts[O_PAPER].count)
		rc = pdf_paper_parse(opts[O_PAPER].val, &j->paper, e);
	if (rc == BT_OK && opts[O_JOBS].count)
		rc = cli_parse_int("--jobs", opts[O_JOBS].val, 1, 64, jobs, e);
	if (*jobs < 1)
		*jobs = 1;
	if (*jobs > 64)
		*jobs = 64;
	if (rc)
		return rc;
	j->out = opts[O_OUT].count ? opts[O_OUT].val : "output/forms";
	if (!*j->out || strlen(j->out) > CLI_OUT_PATH_MAX)
		return bt_fail(e, BT_EINPUT, "--out: the directory name is empty or longer than %d bytes",
			       CLI_OUT_PATH_MAX);
	j->blank = opts[O_BLANK].count || (!opts[O_ALL].count && !opts[O_MEMBER].count);
	int with_codes = opts[O_CODES].count > 0;
	if ((rc = portal_option(ctx, j, with_codes, &opts[O_PORTAL], e)))
		return rc;
	if (with_codes && !opts[O_ALL].count && !opts[O_MEMBER].count)
		return bt_fail(e, BT_EINPUT, "--with-codes: name the members (--member or --all); a blank form has "
			       "no code");
	return BT_OK;
}

/* The consultation, its drafts (at least one) and electorate, and the
 * members whose forms are written (--all: the electorate in order). */
static int forms_load(bt_db *db, const cli_opt *opts, job *j, bt_err *e)
{
	int rc = bt_consultation_get(db, opts[O_CIRCULAR].val, &j->c, e);
	if (rc == BT_OK)
		rc = bt_drafts_list(db, j->c.circular, &j->drafts, e);
	if (rc == BT_OK && j->drafts.n == 0)
		rc = bt_fail(e, BT_EINPUT, "--circular: %s has no drafts yet", j->c.circular);
	if (rc == BT_OK)
		rc = bt_electorate_list(db, j->c.circular, &j->electorate, e);
	if (rc)
		return rc;
	bt_drafts_digest(&j->drafts, j->digest);
	if (!opts[O_ALL].count)
		return pick_members(db, j, &opts[O_MEMBER], e);
	j->who = calloc(j->electorate.n ? j->electorate.n : 1, sizeof *j->who);
	if (!j->who)
		return bt_fail(e, BT_EFAIL, "out of memory");
	for (size_t i = 0; i < j->electorate.n; i++)
		j->who[j->nwho++] = &j->electorate.v[i];
	return BT_OK;
}

static void job_free(job *j)
{
	for (int i = 0; i < PDF_NLANGS; i++) {
		annex2_lang_free(j->lang[i]);
		bt_buf_release(&j->blank_pdf[i]);
	}
	pdf_fonts_free(j->fonts);
	bt_code_list_free(&j->codes);
	free(j->who);
	bt_member_list_free(&j->electorate);
	bt_draft_list_free(&j->drafts);
}

/* `ballot forms --circular ID [--member CODE... | --all] [--blank] ...`. */
int cmd_forms(cli_ctx *ctx, int argc, char **argv, bt_err *e)
{
	cli_opt opts[] = { CLI_OPT("circular", CLI_ARG),
			   CLI_OPT("member", CLI_MULTI), CLI_OPT("all", CLI_FLAG),
			   CLI_OPT("blank", CLI_FLAG), CLI_OPT("lang", CLI_ARG),
			   CLI_OPT("out", CLI_ARG), CLI_OPT("paper", CLI_ARG),
			   CLI_OPT("jobs", CLI_ARG), CLI_OPT("with-codes", CLI_FLAG),
			   CLI_OPT("portal", CLI_ARG), CLI_OPT_END };
	long long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	job j;
	bt_db *db;
	memset(&j, 0, sizeof j);
	for (int i = 0; i < PDF_NLANGS; i++)
		bt_buf_init(&j.blank_pdf[i], 0);
	int rc = cli_parse(ctx, argc, argv, USAGE, opts, 0, e);
	if (rc != BT_OK || ctx->help)
		return rc;
	if ((rc = cli_require(&opts[O_CIRCULAR], e)) != BT_OK)
		return rc;
	if ((rc = forms_options(ctx, opts, &j, &jobs, e)))
		return rc;
	int with_codes = opts[O_CODES].count > 0;
	rc = cli_open_db(ctx, with_codes, &db, e);
	if (rc == BT_OK)
		rc = forms_load(db, opts, &j, e);
	if (rc == BT_OK)
		rc = preflight(&j, e);
	if (rc == BT_OK && with_codes)
		rc = issue_codes(ctx, db, &j, e);
	if (rc == BT_OK)
		title_warnings(&j);
	if (rc == BT_OK)
		rc = run(&j, (size_t)jobs, e);
	if (rc == BT_OK && with_codes)
		codes_note(&j);
	if (rc == BT_OK)
		rc = cli_flush_stdout(e);
	job_free(&j);
	return rc;
}
