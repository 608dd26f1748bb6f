#!/usr/bin/env bash
# 27-sec-requests.t - the portal's request parsing under hostile input (issue
# 14): bodies, headers and paths that libmicrohttpd passes on in ways a polite
# browser never does. Each case once crashed or misled the server; after each
# the same server must still answer.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl sqlite3 perl

trap 'serve_stop; _cleanup' EXIT
unset BALLOT_NOW
ballot init >/dev/null
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
serve_start "$T/serve.log" || {
	echo "Bail out! ballot serve did not start"
	exit 1
}
pass "listening on 127.0.0.1:$PORT"

alive() { # alive DESC: the same server process still answers a GET
	get - /signin
	if kill -0 "$SRV_PID" 2>/dev/null && [ "$ST" = 200 ]; then pass "$1"; else
		fail "$1"
		diag "server gone or not answering (GET /signin: $ST)" "$(tail -n 5 "$T/serve.log")"
	fi
}

# --- finding 1: a multipart part without a name --------------------------------
# libmicrohttpd calls the body iterator with key NULL; the server used to die
# (SIGSEGV in strlen) on the first such request, six runs out of six.
crlf() { perl -pe 's/\n/\r\n/'; }
printf -- '--XX\nContent-Disposition: form-data\n\nvalue\n--XX--\n' | crlf >"$T/noname.body"
printf -- '--XX\nContent-Type: text/plain\n\nvalue\n--XX--\n' | crlf >"$T/nocd.body"
printf -- '--XX\nContent-Disposition: form-data; filename="a.pdf"\nContent-Type: application/pdf\n\n%%PDF-1.4\n--XX--\n' |
	crlf >"$T/nonamefile.body"
printf -- '--XX\nContent-Disposition: form-data; name="kind"\n\nmember\n--XX\nContent-Disposition: form-data\n\nx\n--XX--\n' |
	crlf >"$T/second.body"
for b in noname nocd nonamefile second; do
	for i in 1 2 3; do
		get - /signin >/dev/null
		post pre /signin -H 'Content-Type: multipart/form-data; boundary=XX' --data-binary "@$T/$b.body"
		[ "$i" = 1 ] && is "$ST" 400 "POST /signin, multipart part without a name ($b): 400"
	done
	[ "$b" = noname ] && like "$BODY" "a form part has no name" "  ... the page says the part has no name"
	alive "  ... after three of them ($b) the server still answers"
done
# the same signed in would reach the same iterator: the crash was before any
# session check, so the sign-in form is where it mattered

serve_stop
is "$SRV_RC" 0 "the server stops cleanly on SIGTERM (exit 0)"
unlike "$(cat "$T/serve.log")" "runtime error|AddressSanitizer|Segmentation" "no sanitizer report in the server's log"
done_testing
