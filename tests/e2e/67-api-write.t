#!/usr/bin/env bash
# 67-api-write.t - the write API: POST /api/v1/consultations/{circular}/replies
# with a write token records a reply as the secretariat's entry form does
# (the token's account the actor), answers 201 with the signed receipt (the
# bytes of `ballot receipt show`) and its Location; the Idempotency-Key
# answers a resent request with the first receipt (also after a kill -9 of
# the server and a restart) and refuses the key with another body (422);
# a read token gets 403, a revoked or expired one 401; bad JSON, UTF-8,
# fields and media types are refused naming the field, nothing recorded.
# A multipart/form-data body (curl -F) carries the same JSON in a part
# "reply" and the files raw in parts "attachments": recorded byte for byte,
# replayed by its key, refused as JSON is.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp sqlite3 base64 pdftotext
trap 'serve_stop; _cleanup' EXIT

at 2020-02-10T12:00:00Z
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "Second draft"
at 2020-02-10T12:00:00Z
echo 'correct horse battery' >"$T/pw"
ballot users add --name tsb --role secretariat --password-file "$T/pw" >/dev/null
ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw" >/dev/null
WRITE=$(ballot tokens create --user tsb --scope write 2>/dev/null)
READ=$(ballot tokens create --user tsb --scope read 2>/dev/null)
CHAIRW=$(ballot tokens create --user chair11 --scope write 2>/dev/null)
REVOKED=$(ballot tokens create --user tsb --scope write 2>/dev/null)
expect_exit 0 ballot tokens revoke 4
at 2020-02-10T11:00:00Z
EXPIRED=$(ballot tokens create --user tsb --scope write --expires 2020-02-10T12:00:00Z 2>/dev/null)
at 2020-02-10T12:00:00Z
# small files, so that the caps are quick to reach
expect_exit 0 ballot config set attachment_max 4096
dev_certs
serve_start "$T/serve.log" || { fail "the portal starts"; done_testing; exit; }

apipost() { # apipost TOKEN PATH BODY [CURL-ARGS...]: a JSON POST ("-": no token)
	local tok=$1 path=$2 body=$3
	shift 3
	printf '%s' "$body" >"$T/req.json"
	local auth=()
	[ "$tok" = - ] || auth=(-H "Authorization: Bearer $tok")
	post - "$path" "${auth[@]}" -H "Content-Type: ${CT:-application/json}" --data-binary @"$T/req.json" "$@"
}
api_err() { # api_err STATUS REASON FIELD DESC: the last answer is that JSON error
	is "$ST" "$1" "$4: $1"
	is "$(hdr content-type)" application/json "$4: a JSON error"
	is "$(jget .error.reason "$BODY"):$(jget .error.field "$BODY")" "$2:$3" "$4: reason $2, field $3"
	like "$(jget .error.message "$BODY")" . "$4: a message"
}
replies() { sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM replies'; }
events() { sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM events'; }
R=/api/v1/consultations/205/replies

# --- a reply recorded through the API ------------------------------------------------
printf 'Comments of Brazil.\n' >"$T/brazil.txt"
B64=$(base64 -w0 "$T/brazil.txt")
BODY1='{"member":"BRA","draft":"Q.5051","choice":"authorize-with-comments","received":"2020-01-15T09:00:00Z",'\
'"channel":"email","signatory":"A. Silva","title":"Director",'\
'"attachments":[{"name":"brazil.txt","content_base64":"'$B64'"}]}'
apipost "$WRITE" $R "$BODY1" -H 'Idempotency-Key: bra-0001'
is "$ST" 201 "POST .../replies with a write token: 201"
is "$(hdr content-type)" application/json "the receipt is JSON"
SEQ=$(jget .event "$BODY")
like "$SEQ" '^[0-9]+$' "the receipt names its event ($SEQ)"
is "$(hdr location)" "/api/v1/receipts/$SEQ" "Location: the receipt's URL"
cp "$T/.body" "$T/first.json"
ballot receipt show --event "$SEQ" >"$T/cli-receipt.json"
ok "the receipt is the bytes of ballot receipt show --event $SEQ" cmp "$T/first.json" "$T/cli-receipt.json"
run ballot history --circular 205 --json
is "$(jlen .)" 1 "ballot history: one reply"
is "$(jget '.[0].member'):$(jget '.[0].what'):$(jget '.[0].channel'):$(jget '.[0].recorded_by')" "BRA:authorize-with-comments:email:api:tsb" \
	"history: its member, choice, channel and who recorded it"
is "$(jget '.[0].received')" 2020-01-15T09:00:00Z "history: its received time"
is "$(sqlite3 "$BALLOT_DB" "SELECT actor FROM events WHERE seq = $SEQ")" "api:tsb" \
	"the event's actor is the token's account"
is "$(sqlite3 "$BALLOT_DB" "SELECT signatory || '|' || title FROM replies")" "A. Silva|Director" \
	"signatory and title recorded"
is "$(sqlite3 "$BALLOT_DB" "SELECT name || ':' || length(content) FROM attachments")" "brazil.txt:20" \
	"the attachment, decoded from base64"
get - "/api/v1/receipts/$SEQ" -H "Authorization: Bearer $READ"
is "$ST" 200 "GET the Location with a read token: 200"
ok "GET the Location: the same receipt" cmp "$T/.body" "$T/first.json"

# --- Idempotency-Key ---------------------------------------------------------------------
apipost "$WRITE" $R "$BODY1" -H 'Idempotency-Key: bra-0001'
is "$ST" 200 "the same key and body again: 200 (the first outcome)"
ok "... the same receipt" cmp "$T/.body" "$T/first.json"
is "$(hdr location)" "/api/v1/receipts/$SEQ" "... the same Location"
is "$(replies)" 1 "... and nothing recorded twice"
n_ev=$(events)
apipost "$WRITE" $R "${BODY1/A. Silva/B. Silva}" -H 'Idempotency-Key: bra-0001'
api_err 422 idempotency-key-reused Idempotency-Key "the same key with another body"
is "$(replies):$(events)" "1:$n_ev" "... nothing recorded"
apipost "$WRITE" $R '{"member":"AUS","draft":"Q.5051","choice":"authorize"}' \
	-H "Idempotency-Key: $(printf 'k%.0s' $(seq 1 129))"
api_err 400 input Idempotency-Key "a key of 129 characters"
apipost "$WRITE" $R '{"member":"AUS","draft":"Q.5051","choice":"authorize"}' -H 'Idempotency-Key: a key'
api_err 400 input Idempotency-Key "a key with a space"
is "$(replies)" 1 "... nothing recorded"

# eight clients at once with one key and body: one reply, the same receipt
CHE='{"member":"CHE","draft":"Q.5051","choice":"authorize","channel":"post"}'
printf '%s' "$CHE" >"$T/che.json"
pids=()
for i in 1 2 3 4 5 6 7 8; do
	curl -sS --max-time 30 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -o "$T/che.$i" \
		-w '%{http_code}\n' -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' \
		-H 'Idempotency-Key: che-at-once' --data-binary @"$T/che.json" "$URL$R" >"$T/che.st.$i" &
	pids+=($!)
done
wait "${pids[@]}"
is "$(cat "$T"/che.st.* | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')" "7×200 1×201 " \
	"eight sendings at once: one 201, seven 200"
is "$(cat "$T"/che.[1-8] | sort -u | wc -l)" 1 "... all with the same receipt"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM replies WHERE member = 'CHE'")" 1 "... one reply recorded"

# --- tokens and scopes ------------------------------------------------------------------
AUS='{"member":"AUS","draft":"Q.5051","choice":"authorize"}'
apipost "$READ" $R "$AUS"
api_err 403 forbidden token "a read token"
apipost "$REVOKED" $R "$AUS"
api_err 401 unauthorized token "a revoked token"
apipost "$EXPIRED" $R "$AUS"
api_err 401 unauthorized token "an expired token"
apipost - $R "$AUS"
api_err 401 unauthorized token "no token"
apipost "$CHAIRW" $R "$AUS"
api_err 403 forbidden token "a chair's write token"
is "$(replies)" 2 "none of them recorded anything"

# --- bad input: named, nothing recorded ---------------------------------------------------
n_ev=$(events)
bad_input() { # bad_input STATUS REASON FIELD BODY DESC
	apipost "$WRITE" $R "$4"
	api_err "$1" "$2" "$3" "$5"
}
bad_input 400 input body '{"member":"AUS",' "truncated JSON"
like "$(jget .error.message "$BODY")" 'byte [0-9]+' "... the message says where"
bad_input 400 input body "$(printf '{"member":"A\xffS","choice":"authorize"}')" "invalid UTF-8"
bad_input 400 input body '["AUS"]' "an array, not an object"
bad_input 400 input member '{"draft":"Q.5051","choice":"authorize"}' "no member"
bad_input 400 input member '{"member":7,"draft":"Q.5051","choice":"authorize"}' "a member that is a number"
bad_input 400 input member '{"member":"XXX","draft":"Q.5051","choice":"authorize"}' "an unknown member"
bad_input 400 input choice '{"member":"AUS","draft":"Q.5051","choice":"maybe"}' "an unknown choice"
bad_input 400 input received '{"member":"AUS","draft":"Q.5051","choice":"authorize","received":"yesterday"}' \
	"a malformed received time"
bad_input 400 input channel '{"member":"AUS","draft":"Q.5051","choice":"authorize","channel":"pigeon"}' \
	"an unknown channel"
bad_input 400 input colour '{"member":"AUS","draft":"Q.5051","choice":"authorize","colour":"red"}' \
	"a field a reply does not have"
bad_input 400 input force '{"member":"AUS","draft":"Q.5051","choice":"authorize","force":"yes"}' \
	"force that is not a boolean"
bad_input 400 input signatory "$(printf '{"member":"AUS","draft":"Q.5051","choice":"authorize","signatory":"A\xe2\x80\xaeB"}')" \
	"a signatory with a bidi control"
bad_input 400 input 'attachments[0].content_base64' \
	'{"member":"AUS","draft":"Q.5051","choice":"authorize-with-comments","attachments":[{"name":"a.txt","content_base64":"!!"}]}' \
	"an attachment that is not base64"
bad_input 400 input 'attachments[0].name' \
	'{"member":"AUS","draft":"Q.5051","choice":"authorize-with-comments","attachments":[{"content_base64":"aGk="}]}' \
	"an attachment without a name"
bad_input 400 input draft '{"member":"AUS","draft":"Q.9","choice":"authorize"}' "an unknown draft"
CT=text/plain apipost "$WRITE" $R "$AUS"
api_err 415 media-type Content-Type "a text/plain body"
post - $R -H "Authorization: Bearer $WRITE" -F member=AUS -F choice=authorize
api_err 400 input member "a multipart form of the reply's fields (not a part named reply)"
post - $R -H "Authorization: Bearer $WRITE" --data-urlencode member=AUS
api_err 415 media-type Content-Type "an urlencoded form"
# the caps: a body over the request's limit, a file over attachment_max
head -c 200000 /dev/zero | tr '\0' ' ' >"$T/big.pad"
apipost "$WRITE" $R "{\"member\":\"AUS\",\"choice\":\"authorize\",\"title\":\"$(cat "$T/big.pad")\"}"
api_err 413 too-large body "a body over the limit"
like "$(jget .error.message "$BODY")" 'over the limit of 102400 bytes' \
	"... the limit said is the request's: (2 x attachment_max + 64 KiB) x 4/3 + 4 KiB"
BIG=$(head -c 5000 /dev/zero | tr '\0' 'a' | base64 -w0)
bad_input 413 too-large 'attachments[0].content_base64' \
	'{"member":"AUS","draft":"Q.5051","choice":"authorize-with-comments","attachments":[{"name":"a.txt","content_base64":"'"$BIG"'"}]}' \
	"a file over attachment_max"
bad_input 400 input 'attachments[0].name' \
	'{"member":"AUS","draft":"Q.5051","choice":"authorize-with-comments","attachments":[{"name":"a/b.txt","content_base64":"aGk="}]}' \
	"a file name with a /"
bad_input 400 input 'attachments[0].content_base64' \
	'{"member":"AUS","draft":"Q.5051","choice":"authorize-with-comments","attachments":[{"name":"a.txt","content_base64":""}]}' \
	"an empty file"
like "$(jget .error.message "$BODY")" 'the file is empty' "... said so"
bad_input 400 input attachments \
	'{"member":"AUS","draft":"Q.5051","choice":"authorize","attachments":[{"name":"a.txt","content_base64":"aGk="}]}' \
	"a file with authorize (the engine's refusal)"
bad_input 400 input attachments '{"member":"AUS","draft":"Q.5051","choice":"authorize-with-comments"}' \
	"authorize-with-comments without its file (the engine's refusal)"
bad_input 400 input signatory '{"member":"AUS","draft":"Q.5051","choice":"authorize","signatory":"   "}' \
	"a signatory of spaces only"
bad_input 400 input title "$(printf '{"member":"AUS","draft":"Q.5051","choice":"authorize","title":"\xe3\x80\x80"}')" \
	"a title of an ideographic space only"
apipost "$WRITE" /api/v1/consultations/999/replies "$AUS"
api_err 404 not-found circular "an unknown circular"
is "$(replies):$(events)" "2:$n_ev" "none of the refusals recorded anything"
# a conflict: an on-time reply once the consultation is closed
at 2019-10-01T12:00:00Z
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-10-01 \
	--meeting-start 2020-01-20 --meeting-end 2020-01-24
expect_exit 0 ballot draft add --summary "S." --circular 206 --rec Q.6 --title "T"
at 2020-02-10T12:00:00Z
expect_exit 0 ballot close --circular 206
n_ev=$(events)
apipost "$WRITE" /api/v1/consultations/206/replies '{"member":"AUS","choice":"authorize","received":"2019-12-02T00:00:00Z"}'
api_err 409 conflict received "an on-time reply in a closed consultation"
is "$(replies):$(events)" "2:$n_ev" "nothing recorded in a closed consultation"

# --- the command line's warnings, in the Ballot-Warnings header (a JSON array) ---------------
apipost "$WRITE" $R '{"member":"ARG","draft":"Q.5051","choice":"not-authorize","channel":"fax"}'
is "$ST" 201 "a not-authorize without reasons: 201"
is "$(jget '.[0]' "$(hdr ballot-warnings)")" "ARG does not authorize Q.5051 without reasons attached; recorded and flagged" \
	"... Ballot-Warnings says it is without reasons"
is "$(jlen . "$(hdr ballot-warnings)")" 1 "... and nothing else"
apipost "$WRITE" $R '{"member":"ARG","draft":"Q.5051","choice":"authorize"}'
is "$(jget '.[0]' "$(hdr ballot-warnings)")" "supersedes the earlier reply of ARG on Q.5051" "... a reply that supersedes"
apipost "$WRITE" $R '{"member":"AUT","draft":"Q.5051","choice":"authorize"}'
is "$ST:$(hdr ballot-warnings)" "201:" "a reply with nothing to say: no Ballot-Warnings"
# a form reference: checked as --ref checks it; a made-up digest is a form issued before the drafts changed
apipost "$WRITE" $R '{"member":"BEL","draft":"Q.5051","choice":"authorize","ref":"ballot:205:BEL:en:0123456789abcdef"}'
is "$ST" 201 "a reference whose digest is not the drafts': recorded (as --ref)"
like "$(jget '.[0]' "$(hdr ballot-warnings)")" '^ref: the drafts of circular 205 changed after this form was issued' \
	"... with the warning --ref gives"
BEL=$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM replies WHERE member = 'BEL'")
ballot forms --circular 205 --member BEL --lang en --out "$T/forms" --jobs 1 >/dev/null
REF=$(pdftotext "$T/forms/205/en/BEL.pdf" - 2>/dev/null | grep -o 'ballot:205:BEL:en:[0-9a-f]\{16\}' | head -1)
apipost "$WRITE" $R '{"member":"BEL","draft":"Q.5052","choice":"authorize","ref":"'"$REF"'"}'
is "$ST:$(hdr ballot-warnings)" "201:" "the form's own reference ($REF): no warning"
apipost "$WRITE" $R '{"member":"BEL","draft":"Q.5052","choice":"authorize","ref":"ballot:205:CHE:en:0123456789abcdef"}'
api_err 400 input ref "a reference issued for another member"
apipost "$WRITE" $R '{"member":"BEL","draft":"Q.5052","choice":"authorize","ref":"ballot:205:BEL:en:0123"}'
api_err 400 input ref "a malformed reference"

# --- multipart/form-data: the JSON in a part "reply", the files raw in parts "attachments" ---
mpost() { post - $R -H "Authorization: Bearer $WRITE" "$@"; }
printf 'Comments of France.\r\n--------------------------x\r\n' >"$T/fra.txt"
{ printf '\x89PNG\r\n\x1a\n'; head -c 1500 /dev/urandom; printf '\r\n--'; } >"$T/fra.png"
printf '%s' '{"member":"FRA","draft":"Q.5051","choice":"authorize-with-comments","channel":"email","signatory":"J. Dupont"}' \
	>"$T/fra.json"
mpost -F "reply=<$T/fra.json;type=application/json" -F "attachments=@$T/fra.txt" -F "attachments=@$T/fra.png"
is "$ST" 201 "a multipart POST (curl -F): 201"
SEQ=$(jget .event "$BODY")
is "$(hdr location)" "/api/v1/receipts/$SEQ" "... Location: its receipt"
ballot receipt show --event "$SEQ" >"$T/cli-receipt.json"
ok "... the receipt is the bytes of ballot receipt show" cmp "$T/.body" "$T/cli-receipt.json"
hex() { od -An -tx1 -v "$1" | tr -d ' \n' | tr a-f A-F; }
is "$(sqlite3 "$BALLOT_DB" "SELECT hex(content) FROM attachments WHERE name = 'fra.png'")" "$(hex "$T/fra.png")" \
	"... fra.png stored byte for byte"
is "$(sqlite3 "$BALLOT_DB" "SELECT hex(content) FROM attachments WHERE name = 'fra.txt'")" "$(hex "$T/fra.txt")" \
	"... fra.txt stored byte for byte"
run ballot history --circular 205 --member FRA --json
is "$(jlen .):$(jget '.[0].what'):$(jget '.[0].channel'):$(jget '.[0].recorded_by')" \
	"1:authorize-with-comments:email:api:tsb" "history: FRA's reply, recorded by the token's account"
is "$(jget '.[0].attachments[0].name'):$(jget '.[0].attachments[0].sha256')" "fra.txt:$(sha256_of "$T/fra.txt")" \
	"history: its first file, with its SHA-256"
is "$(jget '.[0].attachments[1].name'):$(jget '.[0].attachments[1].sha256')" "fra.png:$(sha256_of "$T/fra.png")" \
	"history: its second file, with its SHA-256"
# a body built once (curl -F draws a new boundary each time), sent twice with one key
mp_body() { # mp_body OUT JSON FILE...: a multipart body of boundary b0undary
	{
		printf -- '--b0undary\r\nContent-Disposition: form-data; name="reply"\r\n'
		printf 'Content-Type: application/json\r\n\r\n%s\r\n' "$2"
		local f
		for f in "${@:3}"; do
			printf -- '--b0undary\r\nContent-Disposition: form-data; name="attachments"; filename="%s"\r\n' "${f##*/}"
			printf 'Content-Type: application/octet-stream\r\n\r\n'
			cat "$f"
			printf '\r\n'
		done
		printf -- '--b0undary--\r\n'
	} >"$1"
}
GBR='{"member":"GBR","draft":"Q.5051","choice":"authorize-with-comments"}'
printf 'Comments of the United Kingdom.\n' >"$T/gbr.txt"
mp_body "$T/gbr.mp" "$GBR" "$T/gbr.txt"
mkey() { mpost -H "Content-Type: multipart/form-data; boundary=b0undary" -H 'Idempotency-Key: gbr-mp-1' \
	--data-binary @"$1"; }
mkey "$T/gbr.mp"
is "$ST" 201 "a multipart body with an Idempotency-Key: 201"
cp "$T/.body" "$T/gbr.json"
mkey "$T/gbr.mp"
is "$ST" 200 "... the same key and bytes again: 200"
ok "... the same receipt" cmp "$T/.body" "$T/gbr.json"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM replies WHERE member = 'GBR'")" 1 "... one reply recorded"
printf 'Other comments of the United Kingdom.\n' >"$T/gbr.txt"
mp_body "$T/gbr2.mp" "$GBR" "$T/gbr.txt"
n_ev=$(events)
mkey "$T/gbr2.mp"
api_err 422 idempotency-key-reused Idempotency-Key "the same key and reply part with another file"
is "$(events)" "$n_ev" "... nothing recorded"
# the refusals: named, as JSON's are; nothing recorded
ITA='{"member":"ITA","draft":"Q.5051","choice":"authorize-with-comments"}'
printf '%s' "$ITA" >"$T/ita.json"
printf 'Comments of Italy.\n' >"$T/ita.txt"
head -c 5000 /dev/zero | tr '\0' 'a' >"$T/big.txt"
printf '{"member":"ITA",' >"$T/bad.json"
mpost -F "attachments=@$T/ita.txt"
api_err 400 input reply "multipart: no part named reply"
mpost -F "reply=<$T/bad.json" -F "attachments=@$T/ita.txt"
api_err 400 input reply "multipart: bad JSON in reply"
like "$(jget .error.message "$BODY")" '^reply: byte [0-9]+' "... the message says where"
mpost -F "reply=<$T/ita.json" -F "attachments=@$T/ita.txt" -F "attachments=@$T/big.txt"
api_err 413 too-large 'attachments[1]' "multipart: a file over attachment_max"
like "$(jget .error.message "$BODY")" 'over the limit of 4096 bytes' "... the limit said is attachment_max"
head -c 80000 /dev/zero | tr '\0' 'a' >"$T/huge.txt"
mpost -F "reply=<$T/ita.json" -F "attachments=@$T/huge.txt"
api_err 413 too-large body "multipart: a body over the limit"
like "$(jget .error.message "$BODY")" 'over the limit of 73728 bytes' \
	"... the limit said is the portal forms': 2 x attachment_max + 64 KiB (no base64)"
mpost -F "reply=<$T/ita.json" -F "attachments=<$T/ita.txt"
api_err 400 input 'attachments[0].name' "multipart: a file part without a filename"
mpost -F "reply=<$T/ita.json" -F "reply=<$T/ita.json" -F "attachments=@$T/ita.txt"
api_err 400 input reply "multipart: two reply parts"
mpost -F "reply=<$T/ita.json" -F "attachments=@$T/ita.txt;filename=ita.png"
api_err 400 input 'attachments[0]' "multipart: a file whose bytes are not of its type"
printf '%s' '{"member":"ITA","draft":"Q.5051","choice":"authorize-with-comments","attachments":[]}' >"$T/ita2.json"
mpost -F "reply=<$T/ita2.json" -F "attachments=@$T/ita.txt"
api_err 400 input attachments "multipart: files inside the reply part"
mpost -F "reply=<$T/ita.json" -F "comments=@$T/ita.txt"
api_err 400 input comments "multipart: a part a reply does not have"
mpost -F "reply=<$T/ita.json"
api_err 400 input attachments "multipart: authorize-with-comments without its file (the engine's refusal)"
is "$(events)" "$n_ev" "none of the multipart refusals recorded anything"
mpost -F "reply=<$T/ita.json" -F "attachments=@$T/ita.txt"
is "$ST" 201 "... and the same reply with its file: 201"

# --- kill -9 right after the 201, then the same key after a restart ----------------------
DEU='{"member":"DEU","draft":"Q.5052","choice":"not-authorize","channel":"fax"}'
apipost "$WRITE" $R "$DEU" -H 'Idempotency-Key: 9f1c2d3e-0000-4000-8000-000000000001'
is "$ST" 201 "DEU's reply: 201"
cp "$T/.body" "$T/deu.json"
kill -9 "$SRV_PID"
wait "$SRV_PID" 2>/dev/null
SRV_PID=
# the default attachment_max (20 MiB): the request's limit is then the JSON reader's, 16 MiB
expect_exit 0 ballot config set attachment_max 20971520
serve_start "$T/serve2.log" || { fail "the portal starts again"; done_testing; exit; }
apipost "$WRITE" $R "$DEU" -H 'Idempotency-Key: 9f1c2d3e-0000-4000-8000-000000000001'
is "$ST" 200 "after kill -9 and a restart, the same key: 200"
ok "... the same receipt" cmp "$T/.body" "$T/deu.json"
# a body over 16 MiB: 413 naming the limit, with its length given or chunked
n_ev=$(events)
{ printf '{"member":"AUS","choice":"authorize","title":"'; head -c 17000000 /dev/zero | tr '\0' ' '; printf '"}'; } >"$T/huge.json"
post - $R -H "Authorization: Bearer $WRITE" -H "Content-Type: application/json" --data-binary @"$T/huge.json"
api_err 413 too-large body "a body of 17 MB (Content-Length)"
is "$(jget .error.message "$BODY")" "body: $(stat -c %s "$T/huge.json") bytes, over the limit of 16777216 bytes (16 MiB)" \
	"... the limit said is 16 MiB"
post - $R -H "Authorization: Bearer $WRITE" -H "Content-Type: application/json" -H "Transfer-Encoding: chunked" \
	--data-binary @"$T/huge.json"
api_err 413 too-large body "a body of 17 MB sent chunked"
is "$(jget .error.message "$BODY")" "body: over the limit of 16777216 bytes (16 MiB)" "... the same limit"
is "$(events)" "$n_ev" "... nothing recorded"
run ballot history --circular 205 --member DEU --json
is "$(jlen .)" 1 "ballot history: DEU's reply once"
is "$(sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM api_idempotency')" 4 "four keys kept"
run ballot audit verify
is "$RC" 0 "audit verify: intact"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log" "$T/serve2.log")" 'AddressSanitizer|runtime error|LeakSanitizer' "no sanitizer report"
done_testing
