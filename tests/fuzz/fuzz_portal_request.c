/* fuzz_portal_request.c - the portal's whole request path, in process
 * (issue 14): libmicrohttpd's own parser (request line, headers, cookies,
 * chunked bodies, urlencoded and multipart forms, its post processor) feeding
 * the portal's handler (src/portal/server.c: sessions, CSRF, sign-in,
 * routing, every page, the body caps and checks), answering over a socket
 * pair. No TLS (so no client certificates): everything above it is what a
 * client on the network reaches.
 *
 * The input is the byte stream a client sends on one connection (one request
 * or several, pipelined); the harness writes it, closes its sending side and
 * reads the answer until the server hangs up. Every input meets the same
 * state: the database of fuzz_setup_205 plus a secretariat account, a chair
 * account and a reply code for China, and three live sessions made afresh.
 * Placeholders of fixed width (so a Content-Length stays right) stand for
 * the secrets of those sessions, which are random per process:
 *   "@m" + 62 '#'   the member (CHN) session's cookie token; "@M" its CSRF
 *   "@s" ...        the secretariat's (user tsb)              "@S"
 *   "@c" ...        the chair's (user chair11, group 11)       "@C"
 *   "@k" + 27 '#'   CHN's reply code for 205 (29 bytes)
 * The seeds (tests/fuzz/corpus/portal_request/) are real requests as curl
 * and a browser send them, with the secrets replaced by placeholders.
 *
 * make fuzz builds the engine with BALLOT_FUZZING, which makes PBKDF2 a
 * thousand times cheaper (the same code paths; see src/domain/domain.h). */
#include <poll.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "fuzz_key.h"
#include "../../src/portal/server.c"

static fuzz_db fdb;
static struct portal P;
static struct MHD_Daemon *D;
static char chn_code[BT_CODE_LEN + 1];
#define PASSWORD "correct horse battery staple"

static void setup(bt_db *db)
{
	bt_err e;
	fuzz_setup_205(db);
	bt_code_list codes = { 0 };
	if (bt_codes_issue(db, "205", "CHN", "fuzz", FUZZ_NOW, &codes, &e) || codes.n != 1)
		fuzz_die("codes", e.msg);
	snprintf(chn_code, sizeof chn_code, "%s", codes.v[0].code);
	bt_code_list_free(&codes);
	if (bt_user_add(db, "tsb", BT_ROLE_SECRETARIAT, 0, PASSWORD, "fuzz", FUZZ_NOW, &e) ||
	    bt_user_add(db, "chair11", BT_ROLE_CHAIR, 11, PASSWORD, "fuzz", FUZZ_NOW, &e))
		fuzz_die("users", e.msg);
	if (bt_setting_set(db, "attachment_max", "4096", "fuzz", FUZZ_NOW, &e))
		fuzz_die("attachment_max", e.msg);
}

/* The secrets of one input's sessions. */
static bt_identity ids[3];
static char tokens[3][65], csrfs[3][65];

static void log_line(const char *line)
{
	/* one line, nothing a terminal would act on */
	for (const unsigned char *c = (const unsigned char *)line; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			abort();
	/* an access-log line (the address of a socketpair is "?"): five
	 * printable ASCII fields, whatever the method and path were */
	if (!strncmp(line, "? ", 2)) {
		int fields = 1;
		for (const unsigned char *c = (const unsigned char *)line; *c; c++) {
			if (*c > 0x7e || (*c == ' ' && (c[1] == ' ' || !c[1])))
				abort();
			fields += *c == ' ';
		}
		if (fields != 5)
			abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	bt_err e;
	fuzz_db_make(&fdb, setup);
	if (bt_code_check(fdb.db, "CHN", chn_code, &ids[0], &e) ||
	    bt_user_check(fdb.db, "tsb", PASSWORD, &ids[1], &e) ||
	    bt_user_check(fdb.db, "chair11", PASSWORD, &ids[2], &e))
		fuzz_die("identities", e.msg);
	P.db_path = fdb.path;
	P.fixed_now = 1;
	P.now = FUZZ_NOW + 3600; /* before 205's deadline: replies are taken */
	P.client_ca = 0;
	P.sign_key = fuzz_key_load(NULL);
	P.attachment_max = 4096;
	P.body_max = 2 * (uint64_t)P.attachment_max + 64 * 1024;
	P.log = log_line;
	pthread_mutex_init(&P.lock, NULL);
	if (portal_words_load(&P, &e))
		fuzz_die("words", e.msg);
	/* no listening socket, no thread: the harness adds the connection and
	 * turns the crank (MHD_run) itself */
	D = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, handler, &P,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
			     MHD_OPTION_NOTIFY_COMPLETED, finish, &P, MHD_OPTION_END);
	if (!D)
		fuzz_die("MHD_start_daemon", "no daemon");
	return 0;
}

/* Replaces each placeholder of in (size n, changed in place) by its secret
 * of the same width. */
static void fill(char *in, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (in[i] != '@')
			continue;
		const char *with = NULL;
		size_t w = 64;
		switch (in[i + 1]) {
		case 'm': with = tokens[0]; break;
		case 's': with = tokens[1]; break;
		case 'c': with = tokens[2]; break;
		case 'M': with = csrfs[0]; break;
		case 'S': with = csrfs[1]; break;
		case 'C': with = csrfs[2]; break;
		case 'k': with = chn_code; w = BT_CODE_LEN; break;
		default: continue;
		}
		if (i + w > n)
			continue;
		size_t j = 2;
		while (j < w && in[i + j] == '#')
			j++;
		if (j < w)
			continue;
		memcpy(in + i, with, w);
		i += w - 1;
	}
}

static void fresh_state(int db_changed)
{
	/* sessions and sign-in throttling as at start (the throttle would
	 * otherwise carry one input's failures into the next) */
	sessions_free(P.sessions);
	P.sessions = NULL;
	throttle_free(P.throttle);
	P.throttle = NULL;
	bt_err e;
	if (sessions_new(&P.sessions, &e))
		fuzz_die("sessions", e.msg);
	if (throttle_new(&P.throttle, NULL, &e))
		fuzz_die("throttle", e.msg);
	for (int i = 0; i < 3; i++) {
		psession s;
		if (session_create(P.sessions, &ids[i], NULL, portal_mono_ms(), tokens[i], &s))
			fuzz_die("session", "cannot create one");
		memcpy(csrfs[i], s.csrf, sizeof csrfs[i]);
	}
	if (db_changed) {
		for (size_t i = 0; i < P.ndbs; i++)
			bt_db_close(P.dbs[i]);
		P.ndbs = 0;
		thread_db = NULL;
		fuzz_db_reset(&fdb);
	}
}

static int starts(const char *s, size_t n, const char *with)
{
	size_t w = strlen(with);
	return n >= w && !memcmp(s, with, w);
}

static unsigned connections(void)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(D, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return di ? di->num_connections : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int db_changed = 1;
	fresh_state(db_changed);
	char *in = fuzz_str(data, size);
	fill(in, size);
	/* anything but GET and HEAD may have changed the database */
	db_changed = !(starts(in, size, "GET ") || starts(in, size, "HEAD "));
	for (size_t i = 0; i < size && !db_changed; i++)
		if (in[i] == '\n' && !(starts(in + i + 1, size - i - 1, "GET ") ||
					 starts(in + i + 1, size - i - 1, "HEAD ")) &&
		    i + 1 < size && in[i + 1] >= 'A' && in[i + 1] <= 'Z')
			db_changed = 1;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		fuzz_die("socketpair", strerror(errno));
	struct sockaddr_in peer = { 0 };
	peer.sin_family = AF_INET;
	peer.sin_port = htons(40000);
	peer.sin_addr.s_addr = htonl(0x7f000001);
	if (MHD_add_connection(D, sv[0], (const struct sockaddr *)&peer, sizeof peer) != MHD_YES)
		fuzz_die("MHD_add_connection", "refused");
	/* send everything (the socket buffer holds far more than max_len),
	 * then say it is all */
	size_t sent = 0;
	while (sent < size) {
		ssize_t w = send(sv[1], in + sent, size - sent, MSG_NOSIGNAL);
		if (w <= 0)
			break; /* the server hung up early: allowed */
		sent += (size_t)w;
	}
	shutdown(sv[1], SHUT_WR);
	char buf[65536];
	size_t got = 0;
	int verbose = getenv("FUZZ_VERBOSE") != NULL;
	bt_buf answer = BT_BUF_INIT;
	int first = 1;
	for (int spins = 0; spins < 100000; spins++) {
		if (MHD_run(D) != MHD_YES)
			fuzz_die("MHD_run", "failed");
		struct pollfd pf = { sv[1], POLLIN, 0 };
		if (poll(&pf, 1, 0) > 0) {
			ssize_t r = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
			if (r == 0)
				break; /* the server hung up: done */
			if (r > 0) {
				/* whatever the server says starts as HTTP does */
				if (first && r >= 5 && memcmp(buf, "HTTP/", 5))
					abort();
				first = 0;
				got += (size_t)r;
				if (verbose)
					bt_buf_add(&answer, buf, (size_t)r);
			}
		}
		if (connections() == 0 && poll(&pf, 1, 0) == 0)
			break;
	}
	close(sv[1]);
	/* every connection gone (its request's memory freed by finish) */
	for (int spins = 0; connections() && spins < 1000; spins++)
		MHD_run(D);
	if (connections())
		fuzz_die("connection", "still open after the client left");
	if (verbose) {
		/* what each answer was: shows that the seeds reach the pages */
		fprintf(stderr, "  %zu bytes in, %zu bytes out:", size, got);
		const char *a = bt_buf_str(&answer);
		for (const char *h = a; (h = strstr(h, "HTTP/1.")); h += 8)
			if (h == a || h[-1] == '\n')
				fprintf(stderr, " %.3s", h + 9);
		fprintf(stderr, "\n");
	}
	bt_buf_release(&answer);
	free(in);
	return 0;
}
