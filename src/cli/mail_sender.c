/* mail_sender.c - the receipts' sender of `ballot serve` (mail.h): one
 * background thread of the serve process that looks at the outbox once a
 * second and, when a receipt is queued and due (a reply's transaction
 * queued it: setting mail_receipts), runs `ballot mail run --what receipt`
 * as a child process - the very command the timer runs, so a receipt is
 * built, kept and sent by the same code and marked in the outbox exactly
 * as there (recorded before it is sent, marked sent once the relay took
 * it). No request thread ever talks to the relay.
 * - Exactly once: `mail send` and `mail run` hold an exclusive lock
 *   (DB.mail-lock) while they send, so two serve processes, a timer run and
 *   a hand-run `mail send` never send one message twice; a child killed
 *   (-9) mid-send leaves its message queued, or sent and not yet marked:
 *   sent again with the same bytes and Message-ID, as after any crash.
 * - The relay down: the child exits 1 with the messages queued; the next
 *   try waits 5 s, then 10, 20 ... up to 5 min (no busy loop); the outbox's
 *   own back-off (next_at) spaces a message the relay refused for now.
 * - Shutdown: the child runs in its own process group, so Ctrl-C on the
 *   terminal reaches only the server, which waits for the run in progress
 *   to end (each submission bounded by the relay's time-outs); what it did
 *   not reach stays queued for the timer or the next serve. */
#include "cli/mail.h"
#include "cli/cli.h"
#include "cli/conf.h"

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct mail_sender {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	cli_ctx *ctx;
	char exe[4096], db[4096], key[4096];
	char *argv[16];
	int runs;
};

/* 1 when a receipt is queued and due now. */
static int receipt_due(cli_ctx *ctx)
{
	bt_db *db;
	bt_time now;
	bt_err e;
	bt_mail_due_list due = { NULL, 0 };
	int found = 0;
	if (cli_open_db(ctx, 0, &db, &e) || cli_now(ctx, &now, &e) || bt_mail_due_at(db, now, &due, &e))
		return 0;
	for (size_t i = 0; i < due.n; i++)
		found |= strcmp(due.v[i].what, "receipt") == 0;
	bt_mail_due_list_free(&due);
	return found;
}

/* `ballot mail run --what receipt` (--quiet with a quiet server), its own
 * process group, its output on the server's stderr; its exit
 * status (-1: not started or killed). */
static int run_child(struct mail_sender *s)
{
	posix_spawnattr_t a;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = -1;
	posix_spawnattr_init(&a);
	posix_spawnattr_setflags(&a, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&a, 0);
	/* its summary goes to the server's log (stderr), not its stdout */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	int rc = posix_spawn(&pid, s->exe, &fa, &a, s->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&a);
	if (rc != 0) {
		fprintf(stderr, "ballot: mail: cannot run %s: %s\n", s->exe, strerror(rc));
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	s->runs++;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Waits up to ms milliseconds or until stopped; 1 when stopped. */
static int nap(struct mail_sender *s, long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->mu);
	while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &t) != ETIMEDOUT)
		;
	int stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

static void *sender_main(void *arg)
{
	struct mail_sender *s = arg;
	long backoff = 0; /* seconds to wait after a run that failed */
	while (!nap(s, backoff ? backoff * 1000 : 1000)) {
		if (!receipt_due(s->ctx))
			continue;
		int st = run_child(s);
		backoff = st == 0 ? 0 : backoff ? (backoff * 2 > 300 ? 300 : backoff * 2) : 5;
		if (st != 0)
			fprintf(stderr, "ballot: mail: the receipts stay queued; next try in %ld s\n", backoff);
	}
	return NULL;
}

int mail_sender_start(cli_ctx *ctx, const char *key_path, mail_sender **out, bt_err *e)
{
	cli_value relay;
	*out = NULL;
	cli_conf_value(ctx, CONF_MAIL_RELAY, NULL, &relay);
	if (!relay.value)
		return BT_OK;
	struct mail_sender *s = calloc(1, sizeof *s);
	if (!s)
		return bt_fail(e, BT_EFAIL, "out of memory");
	ssize_t n = readlink("/proc/self/exe", s->exe, sizeof s->exe - 1);
	if (n <= 0) {
		free(s);
		return bt_fail(e, BT_EFAIL, "mail: cannot find the ballot program: %s", strerror(errno));
	}
	s->exe[n] = '\0';
	s->ctx = ctx;
	size_t k = 0;
	s->argv[k++] = "ballot";
	s->argv[k++] = "--db";
	snprintf(s->db, sizeof s->db, "%s", cli_db_path(ctx));
	snprintf(s->key, sizeof s->key, "%s", key_path);
	s->argv[k++] = s->db;
	if (ctx->config_flag) {
		s->argv[k++] = "--config";
		s->argv[k++] = (char *)ctx->config_flag;
	}
	if (ctx->quiet)
		s->argv[k++] = "--quiet";
	s->argv[k++] = "mail";
	s->argv[k++] = "run";
	s->argv[k++] = "--what";
	s->argv[k++] = "receipt";
	s->argv[k++] = "--key";
	s->argv[k++] = s->key;
	s->argv[k] = NULL;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->th, NULL, sender_main, s) != 0) {
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		free(s);
		return bt_fail(e, BT_EFAIL, "mail: cannot start the receipts' sender");
	}
	*out = s;
	return BT_OK;
}

void mail_sender_stop(mail_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
