#!/usr/bin/env bash
# 113-test-libs.t - the test libraries themselves. 1. A binary answer
# (a PDF) read by get/post (portal-lib.sh) is whole in $T/.body, and bash
# says nothing of it (it warned "ignored null byte in input", once per
# request, noise in the CI log). 2. The test servers survive losing their
# port. free_port
# (portal-lib.sh) finds a port free at that moment; another process on the
# machine can take it before the test's server binds it (make check runs two
# scripts at once, other sessions run theirs). The portal (serve_start), the
# SMTP relay (relay_start DIR -) and Dovecot (dovecot_start DIR -) then try
# again on another port, waiting on conditions (the server's own "listening"
# sign, or its exit), never on a fixed time. Here free_port is made to hand
# out a port a listener of this script holds, once: each server must end up
# on another port, and must have met the taken one first (its log says so).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/relay-lib.sh"
. "$HERE/dovecot-lib.sh"
need_tools curl certtool dovecot /usr/bin/python3
trap 'kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; serve_stop; relay_stop; dovecot_stop; _cleanup' EXIT

# a listener holding a port of 127.0.0.1 (it prints the port once it listens)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(600)' >"$T/held" &
HOLDER=$!
end=$((SECONDS + 60))
until [ -s "$T/held" ] || [ "$SECONDS" -ge "$end" ]; do sleep 0.05; done
HELD=$(cat "$T/held")
like "$HELD" '^[0-9]+$' "a listener holds port $HELD"

# free_port hands out the held port once after each `lose_next`
eval "real_$(declare -f free_port)"
free_port() {
	if [ -e "$T/lose" ]; then
		rm -f "$T/lose"
		echo "$HELD"
	else
		real_free_port
	fi
}
lose_next() { touch "$T/lose"; }

# --- a binary answer: no warning -----------------------------------------------------
printf '%%PDF-1.7\n\0\1\2 binary \0 stream\n%%%%EOF\n' >"$T/bin.pdf"
URL=file://$T CA_PEM=/dev/null PORT=1 get - /bin.pdf 2>"$T/get.err"
ok "get of a binary answer: its bytes in \$T/.body" cmp "$T/bin.pdf" "$T/.body"
is "$(cat "$T/get.err")" "" "  ... nothing on stderr (no null-byte warning)"
is "$BODY" "$(printf '%%PDF-1.7\n\1\2 binary  stream\n%%%%EOF')" "  ... BODY the text without its NUL bytes"

# --- the portal ------------------------------------------------------------------
expect_exit 0 ballot init
dev_certs
lose_next
ok "serve_start: the portal starts" serve_start "$T/serve.log"
ok "  ... free_port handed out the held port first" test ! -e "$T/lose"
isnt "$PORT" "$HELD" "  ... on another port than the lost one ($PORT)"
get - /signin
is "$ST" 200 "  ... and answers there"
serve_stop

# --- the SMTP relay ---------------------------------------------------------------
mkdir -p "$T/relay"
lose_next
ok "relay_start -: the relay starts" relay_start "$T/relay" -
isnt "$RELAY_PORT" "$HELD" "  ... on another port than the lost one ($RELAY_PORT)"
like "$(cat "$T/relay/relay.log")" 'Errno 98|Address already in use' "  ... after its bind of $HELD failed"
greet=$(/usr/bin/python3 -c 'import smtplib, sys; print(smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30).ehlo()[0])' "$RELAY_PORT" 2>&1)
is "$greet" 250 "  ... and speaks SMTP there"
relay_stop
# a port given is kept (99 restarts the relay where mail.conf points): no retry
nok "relay_start $HELD (taken): fails, no other port tried" relay_start "$T/relay" "$HELD"
is "$RELAY_PORT" "$HELD" "  ... RELAY_PORT the port given"
relay_stop

# --- Dovecot ------------------------------------------------------------------------
chmod o+x "$T" # the dovecot user reaches its mailbox under $T
lose_next
ok "dovecot_start -: Dovecot starts" dovecot_start "$T/dv" -
isnt "$DOVECOT_PORT" "$HELD" "  ... on another port than the lost one ($DOVECOT_PORT)"
like "$(cat "$T/dv/log" "$T/dv/stderr" 2>/dev/null)" 'Address already in use' "  ... after its bind of $HELD failed"
greet=$(/usr/bin/python3 -c 'import imaplib, ssl, sys
c = imaplib.IMAP4_SSL("localhost", int(sys.argv[1]), ssl_context=ssl.create_default_context(cafile=sys.argv[2]), timeout=30)
print(c.welcome.decode()[:4])' "$DOVECOT_PORT" "$T/dv/ca.pem" 2>&1)
is "$greet" "* OK" "  ... and greets over IMAPS there"
dovecot_stop
done_testing
