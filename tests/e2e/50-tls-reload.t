#!/usr/bin/env bash
# 50-tls-reload.t - `ballot serve` reads its certificate and key again on
# SIGHUP (issue 13: renewing a certificate without restarting the service):
# handshakes after the signal get the new certificate, the process and its
# database stay; a file that cannot be read or a certificate and key that do
# not belong together are refused in the log and the certificate in use
# stays.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl

trap 'serve_stop; _cleanup' EXIT

expect_exit 0 ballot init
expect_exit 0 ballot tls dev-certs --out "$T/a"
expect_exit 0 ballot tls dev-certs --out "$T/b"
mkdir -p "$T/live"
cp "$T/a/server.pem" "$T/live/cert.pem"
cp "$T/a/server-key.pem" "$T/live/key.pem"
SRV_CERT=$T/live/cert.pem SRV_KEY=$T/live/key.pem CA_PEM=$T/a/ca.pem

reach() { # reach CA: 0 when a TLS handshake verified by CA gets an answer
	curl -sS --max-time 20 --cacert "$1" --resolve "localhost:$PORT:127.0.0.1" -o /dev/null \
		"https://localhost:$PORT/" 2>/dev/null
}
hup_and_wait() { # hup_and_wait TEXT: SIGHUP, then wait for TEXT in the log
	local n end=$((SECONDS + 60)) # it reloads at once; a loaded machine is slower
	n=$(grep -c "$1" "$T/serve.log")
	kill -HUP "$SRV_PID"
	while [ "$SECONDS" -lt "$end" ]; do
		[ "$(grep -c "$1" "$T/serve.log")" -gt "$n" ] && return 0
		sleep 0.1
	done
	diag "no '$1' in the log:" "$(tail -5 "$T/serve.log")"
	return 1
}

serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
PID0=$SRV_PID
ok "before: the certificate of CA a is served" reach "$T/a/ca.pem"
nok "before: not one of CA b" reach "$T/b/ca.pem"

cp "$T/b/server.pem" "$T/live/cert.pem"
cp "$T/b/server-key.pem" "$T/live/key.pem"
ok "SIGHUP: the log says the certificate was reloaded" hup_and_wait "tls: certificate reloaded from $T/live/cert.pem"
ok "after: the certificate of CA b is served" reach "$T/b/ca.pem"
nok "after: no longer the one of CA a" reach "$T/a/ca.pem"
ok "the same process serves (nothing restarted)" kill -0 "$PID0"

printf 'not a certificate\n' >"$T/live/cert.pem"
ok "SIGHUP with a broken certificate: refused in the log" hup_and_wait "tls: reload refused, the certificate in use stays"
like "$(grep 'reload refused' "$T/serve.log" | tail -1)" "$T/live/cert.pem" "  ... naming the file"
ok "  ... and the certificate of CA b is still served" reach "$T/b/ca.pem"

cp "$T/a/server.pem" "$T/live/cert.pem" # a's certificate, b's key
ok "SIGHUP with a certificate and a key that do not match: refused" hup_and_wait "tls: reload refused"
ok "  ... and the certificate of CA b is still served" reach "$T/b/ca.pem"

rm -f "$T/live/key.pem"
ok "SIGHUP with the key gone: refused" hup_and_wait "tls: reload refused"
ok "  ... still served" reach "$T/b/ca.pem"
expect_exit 0 ballot check

serve_stop
is "$SRV_RC" 0 "the server stops cleanly after reloads (no leak under ASan)"

done_testing
