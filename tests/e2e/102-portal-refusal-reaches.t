#!/usr/bin/env bash
# 102-portal-refusal-reaches.t - a refusal reaches a client still sending its
# body. The portal used to answer as soon as the head was in and hang up while
# the client was still sending: the client's unread bytes made the hang-up a
# reset, and some requests got no answer at all (status 000, "Send failure:
# Connection reset by peer"): about one in seven of the 413s (a body over the
# cap, curl, loopback) and one in four of 60 KB refused from the head (403
# signed out, 403 a refused client certificate, 401 no token, 415 a body that
# is no form or no JSON). Now a body up to 16 MiB past the cap is read to its
# end and dropped, then refused; a client that waits for "100 Continue" is
# refused before it sends anything. Forty requests in a row per kind, each
# answered with its status and message and the whole body sent; nothing
# recorded. (107-portal-head-refusals.t was folded in here: one server.)
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl cmp
trap 'serve_stop; _cleanup' EXIT

at 2020-02-10T12:00:00Z
expect_exit 0 ballot init
setup_205
echo 'correct horse battery' >"$T/pw"
ballot users add --name tsb --role secretariat --password-file "$T/pw" >/dev/null
WRITE=$(ballot tokens create --user tsb --scope write 2>/dev/null)
C205=$(new_code 205 CHN)
# small files, so that the caps are quick to pass: a body may hold
# 2 x 4096 + 64 KiB = 73 728 bytes (a form, multipart), JSON a third more
expect_exit 0 ballot config set attachment_max 4096
dev_certs
# a certificate of another CA: refused (403) on every request, from its head
expect_exit 0 ballot tls dev-certs --out "$T/rogue" --client CHN
ROGUE=(--cert "$T/rogue/client-CHN.pem" --key "$T/rogue/client-CHN-key.pem")
serve_start "$T/serve.log" --client-ca "$CA_PEM" || { fail "the portal starts"; done_testing; exit; }
signin chn CHN "$C205"
is "$ST" 303 "CHN signs in"
sum=$(db_sum)

R=/api/v1/consultations/205/replies
printf '{"member":"ITA","draft":"Q.5051","choice":"authorize-with-comments"}' >"$T/ita.json"
head -c 80000 /dev/zero | tr '\0' 'a' >"$T/huge.txt"
printf '{"member":"AUS","draft":"Q.5051","choice":"authorize","title":"%s"}' \
	"$(head -c 200000 /dev/zero | tr '\0' ' ')" >"$T/big.json"
perl -e 'print "kind=member&member=CHN&code=x&pad=", "a" x 20000' >"$T/big-signin"
head -c 60000 /dev/zero | tr '\0' 'a' >"$T/pad.txt"
printf '{"member":"AUS","draft":"Q.5051","choice":"authorize","title":"%s"}' "$(cat "$T/pad.txt")" >"$T/pad.json"
head -c 100000 /dev/zero | tr '\0' 'b' >"$T/raw.bin"

# forty WANT WHAT CMD...: CMD (a request setting ST and BODY) forty times; one
# test: every answer WANT (the others listed as request:status, and curl's
# last error)
forty() {
	local want=$1 what=$2 i other="" err=""
	shift 2
	for i in $(seq 1 40); do
		"$@"
		[ "$ST" = "$want" ] || { other="$other $i:$ST"; err=$(head -c 200 "$T/.curl-err"); }
	done
	is "${other:- none}" " none" "$what: forty times $want (the others, request:status)" || diag "$err"
}
# sent CURL-ARGS...: "STATUS BYTES-SENT" of one request
sent() {
	curl -sS --max-time 120 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -o /dev/null \
		-w '%{http_code} %{size_upload}' "$@"
}
api_json() { post - $R -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' --data-binary @"$T/big.json"; }
api_multipart() { post - $R -H "Authorization: Bearer $WRITE" -F "reply=<$T/ita.json" -F "attachments=@$T/huge.txt"; }
jar_csrf() { get chn /member/c/205 && csrf_of; }
signin_big() { post pre /signin --data-binary @"$T/big-signin"; }

# --- a body over the cap: 413 -------------------------------------------------------
forty 413 "the API, a JSON body of 200 KB (cap 102 400)" api_json
is "$(jget .error.reason "$BODY") $(jget .error.field "$BODY")" "too-large body" "... reason too-large, field body"
like "$(jget .error.message "$BODY")" '^body: [0-9]+ bytes, over the limit of 102400 bytes$' \
	"... the message names the length declared and the limit"
forty 413 "the API, a multipart body of 80 KB (cap 73 728)" api_multipart
like "$(jget .error.message "$BODY")" '^body: [0-9]+ bytes, over the limit of 73728 bytes$' "... the limit said"
CSRF=$(jar_csrf)
forty 413 "the member's reply form with an 80 KB file" \
	reply_post chn /member/c/205/reply -F "csrf=$CSRF" -F choice-1=authorize-with-comments -F "file-1=@$T/huge.txt"
like "$BODY" 'over the limit of 73728' "... the page says the limit"
get pre /signin
forty 413 "a sign-in form of 20 KB, signed out" signin_big

# --- refused from the head: 403, 401, 415 -----------------------------------------
forty 403 "signed out, a reply form with a 60 KB file" \
	post - /member/c/205/reply -F choice-1=authorize-with-comments -F "file-1=@$T/pad.txt"
like "$BODY" "You are not signed in" "... the page says why"
forty 403 "a refused client certificate and CHN's session, a reply form with a 60 KB file" \
	post chn /member/c/205/reply "${ROGUE[@]}" -F choice-1=authorize-with-comments -F "file-1=@$T/pad.txt"
forty 401 "the API without a token, a multipart reply of 60 KB" post - $R -F "reply=<$T/pad.json"
is "$(jget .error.reason "$BODY")" unauthorized "... reason unauthorized"
forty 415 "the API, a text/plain body of 100 KB" \
	post - $R -H "Authorization: Bearer $WRITE" -H 'Content-Type: text/plain' --data-binary @"$T/raw.bin"
is "$(jget .error.reason "$BODY")" media-type "... reason media-type"
# (60 KB: under the forms' cap of 73 728 here, over it a 413 comes first)
forty 415 "signed in, a reply of 60 KB that is no form (application/octet-stream)" \
	post chn /member/c/205/reply -H 'Content-Type: application/octet-stream' --data-binary @"$T/pad.txt"

# --- the body is read to its end before the answer (curl counts what it sent); a
# client waiting for 100 Continue is refused before it sends a byte
n=$(stat -c %s "$T/big.json")
is "$(sent -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' --data-binary @"$T/big.json" "$URL$R")" \
	"413 $n" "the API's 413 with the whole body sent ($n bytes)"
C100=(--expect100-timeout 60 -H 'Expect: 100-continue')
is "$(sent "${C100[@]}" -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' \
	--data-binary @"$T/big.json" "$URL$R")" "413 0" "Expect: 100-continue: 413 before the body (nothing sent)"
is "$(sent "${C100[@]}" --data-binary @"$T/big-signin" "$URL/signin")" "413 0" "... the sign-in form too"
is "$(sent "${C100[@]}" -H 'Content-Type: text/plain' --data-binary @"$T/raw.bin" "$URL$R")" "401 0" \
	"... the API without a token: 401 before the body"
is "$(sent "${C100[@]}" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$T/raw.bin" \
	"$URL/member/c/205/reply")" "403 0" "... a signed-out reply form: 403, nothing sent"

is "$(db_sum)" "$sum" "nothing recorded"
unlike "$(cat "$T/serve.log")" "AddressSanitizer|LeakSanitizer|runtime error" "no sanitizer report"
serve_stop
is "$SRV_RC" 0 "the portal stops cleanly"
done_testing
