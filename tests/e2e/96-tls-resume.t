#!/usr/bin/env bash
# 96-tls-resume.t - a returning client resumes its TLS session (issue 15:
# replies with a new TLS session each, "TLS session resumption for returning
# browsers is fair"): the server gives session tickets under a key only the
# process holds, so a second connection that offers the first one's session
# is resumed (TLS 1.3 and 1.2; with an ephemeral ECDHE key exchange still),
# and none is resumed after a restart, a certificate reload or the key's
# daily replacement (a new key; the day shortened by a test hook).
# What a resumed session may do is what the full one could: a client
# certificate restored from the ticket is checked on every request (revoked:
# 403), renegotiation stays refused. The client is tests/tools/tls_resume
# (it keeps the session in a file between runs), and gnutls-cli --resume.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools gnutls-cli
RESUME=$REPO/build/tests/tls_resume
[ -x "$RESUME" ] || { echo "Bail out! no $RESUME (make e2e or make check builds it)"; exit 1; }

trap 'serve_stop; _cleanup' EXIT

expect_exit 0 ballot init
dev_certs
expect_exit 0 ballot certs issue --member FRA --ca "$T/ca"
FRA=(--cert "$T/ca/client-FRA.pem" --key "$T/ca/client-FRA-key.pem")
serve_start "$T/serve.log" --client-ca "$CA_PEM" || { echo "Bail out! the server did not start"; exit 1; }

# conn1 SESSION-FILE ARGS...: one request over a new connection offering the
# session in the file (and saving the new one); prints the tool's line
conn1() {
	local s=$1
	shift
	"$RESUME" --port "$PORT" --ca "$CA_PEM" --session "$T/$s" "$@" 2>&1
}

# --- TLS 1.3 ---------------------------------------------------------------------
like "$(conn1 s13)" '^full TLS1\.3 [A-Z0-9]+ 303$' "TLS 1.3, no session offered: a full handshake (GET / answers 303)"
r=$(conn1 s13)
like "$r" '^resumed TLS1\.3 ' "TLS 1.3, the first connection's session offered: resumed ($r)"
like "$r" '^resumed TLS1\.3 (SECP256R1|X25519|SECP384R1|SECP521R1) 303$' \
	"  ... with an ephemeral ECDHE key exchange still (psk_dhe_ke: forward secrecy)"
like "$(conn1 s13)" '^resumed TLS1\.3 ' "  ... and again from the ticket the resumed connection got"

# --- TLS 1.2 (RFC 5077 tickets) ---------------------------------------------------
like "$(conn1 s12 --tls12)" '^full TLS1\.2 ' "TLS 1.2: a full handshake first"
like "$(conn1 s12 --tls12)" '^resumed TLS1\.2 .* 303$' "TLS 1.2: the second connection resumed"

# --- an independent client ---------------------------------------------------------
# (--waitresumption: the first connection waits for the server's ticket, which
# a loaded machine may send after gnutls-cli would otherwise have moved on)
out=$(echo | timeout 60 gnutls-cli --resume --waitresumption --x509cafile "$CA_PEM" -p "$PORT" localhost 2>&1)
like "$out" '^\*\*\* This is a resumed session' "gnutls-cli --resume: its second connection is resumed" ||
	diag "$(printf '%s\n' "$out" | tail -n 8)"

# --- what a resumed session may do --------------------------------------------------
like "$(conn1 cert "${FRA[@]}" --path /member)" '^full TLS1\.3 .* 200$' \
	"FRA's client certificate: its pages without a cookie (full handshake)"
like "$(conn1 cert "${FRA[@]}" --path /member)" '^resumed TLS1\.3 .* 200$' \
	"  ... resumed: the certificate restored from the ticket still opens them"
like "$(conn1 cert12 --tls12 "${FRA[@]}" --path /member)" '^full TLS1\.2 .* 200$' "  ... TLS 1.2, full handshake"
like "$(conn1 cert12 --tls12 "${FRA[@]}" --path /member)" '^resumed TLS1\.2 .* 200$' "  ... TLS 1.2, resumed"
like "$(conn1 anon --path /member)" '^full TLS1\.3 .* 303$' "without a certificate: to the sign-in page (303)"
like "$(conn1 anon --path /member)" '^resumed TLS1\.3 .* 303$' \
	"  ... a resumed session without one gains none (303)"
fp=$(ballot certs list --json | perl -MJSON::PP -0777 -ne 'for (@{decode_json($_)}) { print $_->{fingerprint}, "\n" if ($_->{member} // "") eq "FRA" }' | head -n 1)
like "$fp" '^[0-9a-f]{64}$' "FRA's certificate's fingerprint"
expect_exit 0 ballot certs revoke --fingerprint "$fp"
like "$(conn1 cert "${FRA[@]}" --path /member)" '^resumed TLS1\.3 .* 403$' \
	"revoked: the resumed session's certificate is refused (403), looked up on each request as before"
like "$(conn1 cert12 --tls12 "${FRA[@]}" --path /member)" '^resumed TLS1\.2 .* 403$' "  ... TLS 1.2 too"
like "$(conn1 reneg --tls12 --renegotiate)" '^full TLS1\.2: renegotiation refused' "TLS 1.2 renegotiation: refused"
cp "$T/s12" "$T/s12r"
like "$(conn1 s12r --tls12 --renegotiate)" '^resumed TLS1\.2: renegotiation refused' "  ... on a resumed session too"

# --- a certificate reload: a new key, no session resumes ----------------------------------
n=$(grep -c 'tls: certificate reloaded' "$T/serve.log")
kill -HUP "$SRV_PID"
for _ in $(seq 1 100); do
	[ "$(grep -c 'tls: certificate reloaded' "$T/serve.log")" -gt "$n" ] && break
	sleep 0.1
done
like "$(cat "$T/serve.log")" 'tls: certificate reloaded from .*sessions resume no more: a new ticket key' \
	"SIGHUP: the log says the tickets' key is new"
like "$(conn1 s13)" '^full TLS1\.3 ' "after the reload: the session from before is not resumed (TLS 1.3)"
like "$(conn1 s12 --tls12)" '^full TLS1\.2 ' "  ... nor in TLS 1.2"
like "$(conn1 s13)" '^resumed TLS1\.3 ' "  ... the new ticket resumes"
cp "$T/s13" "$T/s13-before-restart"

# --- a restart: a new key ---------------------------------------------------------------
serve_stop
is "$SRV_RC" 0 "the server stops cleanly (the key wiped and freed: no leak under ASan)"
serve_start "$T/serve2.log" --client-ca "$CA_PEM" || { echo "Bail out! the server did not restart"; exit 1; }
like "$(conn1 s13)" '^full TLS1\.3 ' "after a restart: the ticket of the process before is not taken (a full handshake)"
like "$(conn1 s12 --tls12)" '^full TLS1\.2 ' "  ... nor in TLS 1.2"
like "$(conn1 s13)" '^resumed TLS1\.3 ' "  ... the new process's own ticket resumes"

# --- the key's age: replaced every day --------------------------------------------------
# BALLOT_TEST_TICKET_KEY_S=N is a test hook (not for users, 1 .. 86400): the
# server replaces the tickets' key every N s instead of every day, the same
# code path. Its main loop writes "the session tickets' key replaced" to the
# log before any connection can take the new key (tls.c), so this waits for
# that line, never for a time: a loaded machine makes it slower, not wrong.
serve_stop
export BALLOT_TEST_TICKET_KEY_S=x
r=$("$BALLOT_BIN" serve --listen 127.0.0.1:1 --cert "$SRV_CERT" --key "$SRV_KEY" 2>&1)
is "$?" 2 "a malformed BALLOT_TEST_TICKET_KEY_S is refused (exit 2) before the port opens"
like "$r" 'BALLOT_TEST_TICKET_KEY_S' "  ... naming it ($r)"
export BALLOT_TEST_TICKET_KEY_S=2
serve_start "$T/serve3.log" || { echo "Bail out! the server did not start with a 2-second key"; exit 1; }
unset BALLOT_TEST_TICKET_KEY_S
keyn() { grep -c "tls: the session tickets' key replaced after 2 s" "$T/serve3.log"; }
# resumes FILE ARGS...: a fresh session into FILE, then a connection offering it;
# prints that connection's line. When the key was replaced between the two
# (the log says so), the pair is tried again (at most 10 times).
resumes() {
	local i n r
	for i in $(seq 1 10); do
		n=$(keyn)
		conn1 "$@" >/dev/null
		r=$(conn1 "$@")
		[ "$(keyn)" != "$n" ] || break
	done
	printf '%s\n' "$r"
}
# waitkey N: until the log has more than N replacements (60 s at most)
waitkey() {
	local i
	for i in $(seq 1 600); do
		[ "$(keyn)" -gt "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
like "$(resumes age13)" '^resumed TLS1\.3 ' "a key replaced every 2 s: a session resumes within its key's time"
like "$(resumes age12 --tls12)" '^resumed TLS1\.2 ' "  ... in TLS 1.2 too"
n=$(keyn)
ok "the key is replaced when it is 2 s old, and the log says so" waitkey "$n"
like "$(conn1 age13)" '^full TLS1\.3 ' "  ... then the ticket from before the replacement resumes no more (a full handshake)"
like "$(conn1 age12 --tls12)" '^full TLS1\.2 ' "  ... nor in TLS 1.2"
like "$(resumes age13)" '^resumed TLS1\.3 ' "  ... while a ticket under the new key does"
n=$(keyn)
waitkey "$n"
ok "  ... and it goes on being replaced ($(keyn) times)" test "$(keyn)" -ge 2
unlike "$(cat "$T/serve.log" "$T/serve2.log" "$T/serve3.log")" 'libmicrohttpd: ' "no TLS errors in the log"
unlike "$(ls -A "$T")" 'ticket|stek' "no key file beside the database (the key lives in memory only)"

done_testing
