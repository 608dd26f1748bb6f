/* tls_resume.c - a test tool (not installed): one HTTPS request to the
 * portal on 127.0.0.1 over a new TLS connection that offers the session
 * saved in a file, so that a test sees whether the server resumed it, also
 * across a server restart or a certificate reload (gnutls-cli --resume
 * keeps its session only within one run).
 *
 *   tls_resume --port N --ca FILE --session FILE [--path PATH]
 *              [--cert FILE --key FILE] [--tls12] [--renegotiate]
 *
 * Offers the session in --session when the file exists and is not empty,
 * sends `GET PATH` (default /) with Connection: close, reads the answer to
 * its end (in TLS 1.3 the server's tickets come after the handshake) and
 * saves the session's resumption data to --session. Prints one line:
 * "resumed" or "full", the protocol, the group of its ephemeral key
 * exchange ("-" when none) and the HTTP status (`resumed TLS1.3 SECP256R1
 * 200`). --cert/--key: a client certificate;
 * --tls12: TLS 1.2 only. --renegotiate: after the handshake, asks for a
 * new one on the same connection (TLS 1.2 renegotiation) and prints
 * "resumed|full PROTOCOL: renegotiation refused (why)" (the request is then
 * not sent) or "renegotiated" first. Exit status 0 when an answer came (or renegotiation was refused),
 * 1 otherwise (with a message on stderr). */
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define IO_TIMEOUT_S 20

static void die(const char *what, const char *why)
{
	fprintf(stderr, "tls_resume: %s: %s\n", what, why);
	exit(1);
}

static void usage(void)
{
	fputs("usage: tls_resume --port N --ca FILE --session FILE [--path PATH] [--cert FILE --key FILE]"
	      " [--tls12] [--renegotiate]\n", stderr);
	exit(1);
}

/* The session data saved in path, if any: 0 and d->size 0 when none. */
static void session_read(const char *path, gnutls_datum_t *d)
{
	d->data = NULL;
	d->size = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno != ENOENT)
			die(path, strerror(errno));
		return;
	}
	static unsigned char data[64 * 1024];
	size_t n = fread(data, 1, sizeof data, f);
	if (ferror(f) || !feof(f))
		die(path, "cannot read it (or over 64 KiB)");
	fclose(f);
	d->data = data;
	d->size = (unsigned)n;
}

static void session_write(const char *path, gnutls_session_t s)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc = gnutls_session_get_data2(s, &d);
	if (rc < 0)
		die("gnutls_session_get_data2", gnutls_strerror(rc));
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(d.data, 1, d.size, f) != d.size || fclose(f))
		die(path, "cannot write it");
	gnutls_free(d.data);
}

/* Sends req and reads the answer up to the server's close into a buffer;
 * returns the HTTP status. */
static int http_get(gnutls_session_t s, const char *req)
{
	size_t len = strlen(req);
	for (size_t off = 0; off < len;) {
		ssize_t n = gnutls_record_send(s, req + off, len - off);
		if (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN)
			continue;
		if (n < 0)
			die("send", gnutls_strerror((int)n));
		off += (size_t)n;
	}
	static char resp[1024 * 1024];
	size_t got = 0;
	time_t t0 = time(NULL);
	for (;;) {
		if (got == sizeof resp - 1)
			die("receive", "an answer over 1 MiB");
		ssize_t n = gnutls_record_recv(s, resp + got, sizeof resp - 1 - got);
		/* GnuTLS answers E_AGAIN after a TLS 1.3 session ticket too;
		 * the socket's time-out is IO_TIMEOUT_S */
		if (n == GNUTLS_E_INTERRUPTED || (n == GNUTLS_E_AGAIN && time(NULL) - t0 < IO_TIMEOUT_S))
			continue;
		if (n == 0 || n == GNUTLS_E_PREMATURE_TERMINATION)
			break;
		if (n < 0)
			die("receive", n == GNUTLS_E_AGAIN ? "timed out" : gnutls_strerror((int)n));
		got += (size_t)n;
	}
	resp[got] = '\0';
	int status = 0;
	if (strncmp(resp, "HTTP/1.1 ", 9) || sscanf(resp + 9, "%3d", &status) != 1)
		die("receive", "no HTTP/1.1 status line");
	return status;
}

/* A TCP connection to 127.0.0.1:port, with IO_TIMEOUT_S time-outs. */
static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket", strerror(errno));
	struct timeval tv = { IO_TIMEOUT_S, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa))
		die("connect", strerror(errno));
	return fd;
}

/* A TLS client session over fd (TLS 1.2 only with tls12) offering the
 * session saved in sess, its handshake done. */
static gnutls_session_t handshake(int fd, gnutls_certificate_credentials_t cred, int tls12, const char *sess)
{
	gnutls_session_t s;
	int rc;
	if ((rc = gnutls_init(&s, GNUTLS_CLIENT)) < 0)
		die("gnutls_init", gnutls_strerror(rc));
	const char *prio = tls12 ? "NORMAL:-VERS-ALL:+VERS-TLS1.2" : "NORMAL";
	if ((rc = gnutls_priority_set_direct(s, prio, NULL)) < 0 ||
	    (rc = gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred)) < 0 ||
	    (rc = gnutls_server_name_set(s, GNUTLS_NAME_DNS, "localhost", 9)) < 0)
		die("TLS set-up", gnutls_strerror(rc));
	gnutls_session_set_verify_cert(s, "localhost", 0);
	gnutls_datum_t saved;
	session_read(sess, &saved);
	if (saved.size && (rc = gnutls_session_set_data(s, saved.data, saved.size)) < 0)
		die(sess, gnutls_strerror(rc));
	gnutls_transport_set_int(s, fd);
	do
		rc = gnutls_handshake(s);
	while (rc < 0 && !gnutls_error_is_fatal(rc) && rc != GNUTLS_E_AGAIN);
	if (rc < 0)
		die("handshake", rc == GNUTLS_E_AGAIN ? "timed out" : gnutls_strerror(rc));
	return s;
}

static struct {
	const char *ca, *sess, *path, *cert, *key;
	int port, tls12, reneg;
} o = { .path = "/" };

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tls12") || !strcmp(argv[i], "--renegotiate")) {
			*(argv[i][2] == 't' ? &o.tls12 : &o.reneg) = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		const char *a = argv[i], *v = argv[++i];
		if (!strcmp(a, "--port"))
			o.port = atoi(v);
		else if (!strcmp(a, "--ca"))
			o.ca = v;
		else if (!strcmp(a, "--session"))
			o.sess = v;
		else if (!strcmp(a, "--path"))
			o.path = v;
		else if (!strcmp(a, "--cert"))
			o.cert = v;
		else if (!strcmp(a, "--key"))
			o.key = v;
		else
			usage();
	}
	if (o.port < 1 || o.port > 65535 || !o.ca || !o.sess || !o.cert != !o.key || o.path[0] != '/' ||
	    strpbrk(o.path, " \r\n"))
		usage();
}

/* The CA to verify the server by, and the client certificate if any. */
static gnutls_certificate_credentials_t credentials(void)
{
	gnutls_certificate_credentials_t cred;
	int rc;
	if ((rc = gnutls_certificate_allocate_credentials(&cred)) < 0)
		die("credentials", gnutls_strerror(rc));
	if ((rc = gnutls_certificate_set_x509_trust_file(cred, o.ca, GNUTLS_X509_FMT_PEM)) <= 0)
		die(o.ca, rc < 0 ? gnutls_strerror(rc) : "no certificate");
	if (o.cert && (rc = gnutls_certificate_set_x509_key_file(cred, o.cert, o.key, GNUTLS_X509_FMT_PEM)) < 0)
		die(o.cert, gnutls_strerror(rc));
	return cred;
}

/* Asks for a new handshake on s: 0 when done, -1 (said on stdout) when
 * refused. */
static int renegotiate(gnutls_session_t s)
{
	int rc;
	do
		rc = gnutls_handshake(s);
	while (rc < 0 && !gnutls_error_is_fatal(rc) && rc != GNUTLS_E_AGAIN);
	if (rc < 0) {
		printf("%s %s: renegotiation refused (%s)\n", gnutls_session_is_resumed(s) ? "resumed" : "full",
		       gnutls_protocol_get_name(gnutls_protocol_get_version(s)), gnutls_strerror(rc));
		return -1;
	}
	printf("renegotiated\n");
	return 0;
}

int main(int argc, char **argv)
{
	parse_args(argc, argv);
	gnutls_certificate_credentials_t cred = credentials();
	int fd = connect_to(o.port);
	gnutls_session_t s = handshake(fd, cred, o.tls12, o.sess);
	if (o.reneg && renegotiate(s))
		return 0;
	char req[1200];
	snprintf(req, sizeof req, "GET %.1000s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", o.path);
	int status = http_get(s, req);
	/* the group of the ephemeral key exchange ("-": none, a resumption
	 * without forward secrecy) */
	const char *group = gnutls_group_get_name(gnutls_group_get(s));
	printf("%s %s %s %d\n", gnutls_session_is_resumed(s) ? "resumed" : "full",
	       gnutls_protocol_get_name(gnutls_protocol_get_version(s)), group && *group ? group : "-", status);
	session_write(o.sess, s);
	gnutls_bye(s, GNUTLS_SHUT_WR);
	gnutls_deinit(s);
	close(fd);
	gnutls_certificate_free_credentials(cred);
	return 0;
}
