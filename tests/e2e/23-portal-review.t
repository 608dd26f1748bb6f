#!/usr/bin/env bash
# 23-portal-review.t - findings of the portal's security review, each checked
# against the real `ballot serve` (one section per finding).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl gnutls-cli perl timeout

trap 'serve_stop; _cleanup' EXIT

unset BALLOT_NOW
ballot init >/dev/null
expect_exit 0 ballot consultation create --circular 205 --group 11 --date "$(date -u +%F)" \
	--meeting-start "$(date -u -d '+90 days' +%F)" --meeting-end "$(date -u -d '+99 days' +%F)"
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title "First draft"
C205=$(ballot codes issue --circular 205 --member CHN 2>/dev/null | awk -F'\t' 'NR == 2 { print $2 }')
like "$C205" '^[0-9A-Z-]{29}$' "a reply code for CHN"
D205=$(ballot codes issue --circular 205 --member DEU 2>/dev/null | awk -F'\t' 'NR == 2 { print $2 }')
like "$D205" '^[0-9A-Z-]{29}$' "a reply code for DEU"
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem

serve_start "$T/serve.log" || {
	echo "Bail out! ballot serve did not start"
	exit 1
}
pass "listening on 127.0.0.1:$PORT"

# raw REQUEST-HEAD: sends the head over TLS, then nothing (the body is never
# sent) until an answer's status line came back (at most 60 s), and prints
# what came back. (It waited a fixed 4 s: a loaded machine may take longer.)
raw() {
	local out=$T/raw.out end=$((SECONDS + 60))
	: >"$out"
	{
		printf '%s' "$1"
		until grep -q '^HTTP/' "$out" || [ "$SECONDS" -ge "$end" ]; do sleep 0.05; done
	} | timeout 70 gnutls-cli --x509cafile "$CA_PEM" -p "$PORT" localhost >"$out" 2>/dev/null
	tr -d '\r' <"$out"
}

# --- a POST before sign-in is answered before its body is read ----------------
# (before, every body was buffered whole, up to 2 x attachment_max + 64 KiB =
# 40 MiB by default, before anyone was asked who is sending it)
head="POST /member/c/205/reply HTTP/1.1
Host: localhost
Content-Type: multipart/form-data; boundary=xx
Content-Length: 30000000

"
got=$(raw "${head//$'\n'/$'\r\n'}")
like "$got" '^HTTP/1\.1 403 ' "POST to a member page without a session: 403 before the body"
head="POST /nowhere HTTP/1.1
Host: localhost
Content-Type: application/x-www-form-urlencoded
Content-Length: 30000000

"
got=$(raw "${head//$'\n'/$'\r\n'}")
like "$got" '^HTTP/1\.1 403 ' "POST to an unknown page without a session: 403 before the body"

# the sign-in form is small: a large one is refused up front (413), and a
# chunked one once it passes the cap
get pre /signin
tok=$(csrf_of)
perl -e 'print "kind=member&member=CHN&code=x&csrf='"$tok"'&pad=", "a" x 20000' >"$T/big-signin"
post pre /signin --data-binary @"$T/big-signin"
is "$ST" 413 "a 20 KB sign-in form: 413"
post pre /signin -H 'Transfer-Encoding: chunked' --data-binary @"$T/big-signin"
is "$ST" 413 "a 20 KB chunked sign-in form: 413"
signin chn CHN "$C205"
is "$ST" 303 "a sign-in of ordinary size still works"

# --- 405 names the methods the page takes (RFC 9110: Allow is required) -----
get - /signin -X PUT
is "$ST" 405 "PUT /signin: 405"
is "$(hdr Allow)" "GET, HEAD, POST" "PUT /signin: Allow: GET, HEAD, POST"
get - /signout
is "$ST" 405 "GET /signout: 405"
is "$(hdr Allow)" "POST" "GET /signout: Allow: POST"
get chn /member -X DELETE
is "$ST" 405 "DELETE /member: 405"
is "$(hdr Allow)" "GET, HEAD" "DELETE /member: Allow: GET, HEAD"
get chn /member/c/205/reply
is "$(hdr Allow)" "POST" "GET of the reply action: Allow: POST"

# --- HEAD answers like GET without the body: the same Content-Length ---------
get - /static/style.css
css_len=$(wc -c <"$T/.body")
get - /static/style.css -I
is "$ST" 200 "HEAD /static/style.css: 200"
is "$(hdr Content-Length)" "$css_len" "HEAD /static/style.css: the Content-Length of the GET ($css_len)"
get chn /member
member_len=$(wc -c <"$T/.body")
get chn /member -I
is "$(hdr Content-Length)" "$member_len" "HEAD /member: the Content-Length of the GET"

# --- revoking or replacing a reply code ends the sessions made with it --------
get chn /member/c/205
is "$ST" 200 "CHN signed in with its code reads its form"
tok=$(csrf_of)
expect_exit 0 ballot codes revoke --circular 205 --member CHN
get chn /member/c/205
is "$ST" 303 "the code revoked: the form redirects to sign-in"
is "$(hdr Location)" /signin "... to /signin"
reply_post chn /member/c/205/reply -F "csrf=$tok" -F choice-1=authorize
is "$ST" 403 "the code revoked: a reply is refused (403)"
signin chn CHN "$C205"
is "$ST" 401 "the revoked code does not sign in again"
signin deu DEU "$D205"
is "$ST" 303 "DEU signs in with its code"
D205b=$(ballot codes issue --circular 205 --member DEU 2>/dev/null | awk -F'\t' 'NR == 2 { print $2 }')
get deu /member
is "$ST" 303 "DEU's code replaced: the old session has ended"
signin deu DEU "$D205b"
is "$ST" 303 "DEU signs in with the new code"
get deu /member/c/205
is "$ST" 200 "... and reads its form"
ballot tally --circular 205 --json >"$T/tally.json" 2>/dev/null
is "$(jget ".drafts[0].replies" "$(cat "$T/tally.json")")" 0 "no reply was recorded with the revoked code"

done_testing
