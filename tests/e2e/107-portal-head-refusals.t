#!/usr/bin/env bash
# 107-portal-head-refusals.t - a refusal the portal makes from a request's head
# (403 signed out, 403 a refused client certificate, 401 no token, 415 a body
# that is no form or no JSON) reaches a client still sending its body. The
# portal used to answer these as soon as the head was in and hang up: a body
# over one TLS record (curl sends a multipart body after the head) was still
# arriving, the hang-up was a reset, and about one request in four of 60 KB
# got no answer at all (status 000, "Send failure: Connection reset by
# peer"). Now the body is read and dropped, then the refusal sent (as the 413
# of 102-portal-refusal-reaches.t); a client waiting for "100 Continue" is
# refused before it sends anything. Forty requests in a row per kind, each
# answered with its status and the whole body sent; nothing recorded.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl
trap 'serve_stop; _cleanup' EXIT

at 2020-02-10T12:00:00Z
expect_exit 0 ballot init
setup_205
echo 'correct horse battery' >"$T/pw"
ballot users add --name tsb --role secretariat --password-file "$T/pw" >/dev/null
WRITE=$(ballot tokens create --user tsb --scope write 2>/dev/null)
C205=$(new_code 205 CHN)
dev_certs
# a certificate of another CA: refused (403) on every request, from its head
expect_exit 0 ballot tls dev-certs --out "$T/rogue" --client CHN
ROGUE=(--cert "$T/rogue/client-CHN.pem" --key "$T/rogue/client-CHN-key.pem")
serve_start "$T/serve.log" --client-ca "$CA_PEM" || { fail "the portal starts"; done_testing; exit; }
signin chn CHN "$C205"
is "$ST" 303 "CHN signs in"
sum=$(db_sum)

R=/api/v1/consultations/205/replies
head -c 60000 /dev/zero | tr '\0' 'a' >"$T/pad.txt"
printf '{"member":"AUS","draft":"Q.5051","choice":"authorize","title":"%s"}' "$(cat "$T/pad.txt")" >"$T/big.json"
head -c 100000 /dev/zero | tr '\0' 'b' >"$T/raw.bin"

# forty WANT WHAT CMD...: CMD (a request setting ST) forty times; one test:
# every answer WANT (the others listed as request:status, and curl's last error)
forty() {
	local want=$1 what=$2 i other="" err=""
	shift 2
	for i in $(seq 1 40); do
		"$@"
		[ "$ST" = "$want" ] || { other="$other $i:$ST"; err=$(head -c 200 "$T/.curl-err"); }
	done
	is "${other:- none}" " none" "$what: forty times $want (the others, request:status)" || diag "$err"
}
forty 403 "signed out, a reply form with a 60 KB file" \
	post - /member/c/205/reply -F choice-1=authorize-with-comments -F "file-1=@$T/pad.txt"
like "$BODY" "You are not signed in" "... the page says why"
forty 403 "a refused client certificate and CHN's session, a reply form with a 60 KB file" \
	post chn /member/c/205/reply "${ROGUE[@]}" -F choice-1=authorize-with-comments -F "file-1=@$T/pad.txt"
forty 401 "the API without a token, a multipart reply of 60 KB" post - $R -F "reply=<$T/big.json"
is "$(jget .error.reason "$BODY")" unauthorized "... reason unauthorized"
forty 415 "the API, a text/plain body of 100 KB" \
	post - $R -H "Authorization: Bearer $WRITE" -H 'Content-Type: text/plain' --data-binary @"$T/raw.bin"
is "$(jget .error.reason "$BODY")" media-type "... reason media-type"
forty 415 "signed in, a reply of 100 KB that is no form (application/octet-stream)" \
	post chn /member/c/205/reply -H 'Content-Type: application/octet-stream' --data-binary @"$T/raw.bin"

# a client waiting for 100 Continue is refused before it sends a byte
sent() { # sent CURL-ARGS...: "STATUS BYTES-SENT"
	curl -sS --max-time 30 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -o /dev/null \
		-w '%{http_code} %{size_upload}' "$@"
}
is "$(sent --expect100-timeout 60 -H 'Expect: 100-continue' -H 'Content-Type: text/plain' --data-binary @"$T/raw.bin" "$URL$R")" "401 0" \
	"Expect: 100-continue: 401 before the body (nothing sent)"
is "$(sent --expect100-timeout 60 -H 'Expect: 100-continue' -H 'Content-Type: application/x-www-form-urlencoded' \
	--data-binary @"$T/raw.bin" "$URL/member/c/205/reply")" "403 0" "... a signed-out reply form: 403, nothing sent"

is "$(db_sum)" "$sum" "nothing recorded"
unlike "$(cat "$T/serve.log")" "AddressSanitizer|LeakSanitizer|runtime error" "no sanitizer report"
serve_stop
is "$SRV_RC" 0 "the portal stops cleanly"
done_testing
