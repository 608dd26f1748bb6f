#!/usr/bin/env bash
# 102-portal-refusal-reaches.t - a body over the cap is refused (413) and the
# refusal reaches the client. The portal used to answer a Content-Length over
# the cap as soon as the head was in and hang up while the client was still
# sending: the client's unread bytes made the hang-up a reset, and about one
# request in seven (curl, loopback) got no answer at all (status 000). Now a
# body up to 16 MiB past the cap is read to its end and dropped, then
# refused; a client that waits for "100 Continue" is refused before it sends
# anything. Forty requests in a row per kind, every one answered 413 with its
# message; nothing recorded.
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
serve_start "$T/serve.log" || { fail "the portal starts"; done_testing; exit; }
signin chn CHN "$C205"
is "$ST" 303 "CHN signs in"
sum=$(db_sum)

R=/api/v1/consultations/205/replies
printf '{"member":"ITA","draft":"Q.5051","choice":"authorize-with-comments"}' >"$T/ita.json"
head -c 80000 /dev/zero | tr '\0' 'a' >"$T/huge.txt"
printf '{"member":"AUS","draft":"Q.5051","choice":"authorize","title":"%s"}' \
	"$(head -c 200000 /dev/zero | tr '\0' ' ')" >"$T/big.json"
perl -e 'print "kind=member&member=CHN&code=x&pad=", "a" x 20000' >"$T/big-signin"

# forty_413 WHAT CMD...: CMD (a request setting ST and BODY) forty times;
# one test: every answer a 413 (the statuses seen otherwise listed)
forty_413() {
	local what=$1 i other=""
	shift
	for i in $(seq 1 40); do
		"$@"
		[ "$ST" = 413 ] || other="$other $i:$ST"
	done
	is "${other:- none}" " none" "$what: forty times 413 (the others, request:status)"
}
api_json() { post - $R -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' --data-binary @"$T/big.json"; }
api_multipart() { post - $R -H "Authorization: Bearer $WRITE" -F "reply=<$T/ita.json" -F "attachments=@$T/huge.txt"; }
jar_csrf() { get chn /member/c/205 && csrf_of; }
signin_big() { post pre /signin --data-binary @"$T/big-signin"; }

forty_413 "the API, a JSON body of 200 KB (cap 102 400)" api_json
is "$(jget .error.reason "$BODY") $(jget .error.field "$BODY")" "too-large body" "... reason too-large, field body"
like "$(jget .error.message "$BODY")" '^body: [0-9]+ bytes, over the limit of 102400 bytes$' \
	"... the message names the length declared and the limit"
forty_413 "the API, a multipart body of 80 KB (cap 73 728)" api_multipart
like "$(jget .error.message "$BODY")" '^body: [0-9]+ bytes, over the limit of 73728 bytes$' "... the limit said"
CSRF=$(jar_csrf)
forty_413 "the member's reply form with an 80 KB file" \
	reply_post chn /member/c/205/reply -F "csrf=$CSRF" -F choice-1=authorize-with-comments -F "file-1=@$T/huge.txt"
like "$BODY" 'over the limit of 73728' "... the page says the limit"
get pre /signin
forty_413 "a sign-in form of 20 KB, signed out" signin_big

# the body is read to its end before the answer (curl counts what it sent);
# a client waiting for 100 Continue is refused before it sends a byte
n=$(stat -c %s "$T/big.json")
sent=$(curl -sS --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -o /dev/null -w '%{http_code} %{size_upload}' \
	-H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' --data-binary @"$T/big.json" "$URL$R")
is "$sent" "413 $n" "the API's 413 with the whole body sent ($n bytes)"
sent=$(curl -sS --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -o /dev/null -w '%{http_code} %{size_upload}' \
	--expect100-timeout 60 -H 'Expect: 100-continue' -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' \
	--data-binary @"$T/big.json" "$URL$R")
is "$sent" "413 0" "Expect: 100-continue: 413 before the body (nothing sent)"
sent=$(curl -sS --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -o /dev/null -w '%{http_code} %{size_upload}' \
	--expect100-timeout 60 -H 'Expect: 100-continue' --data-binary @"$T/big-signin" "$URL/signin")
is "$sent" "413 0" "... the sign-in form too"

is "$(db_sum)" "$sum" "nothing recorded"
serve_stop
is "$SRV_RC" 0 "the portal stops cleanly"
done_testing
