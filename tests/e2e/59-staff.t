#!/usr/bin/env bash
# 59-staff.t - the secretariat's pages of issue 15 (s12-staff): per
# consultation who replied what (choice, received, channel, status with
# superseded / withdrawn / late marked, attachments to download, the signed
# receipt), as `ballot history --json` says; reply codes issued, reissued
# and revoked from the page (revoking confirmed first), a new code shown once
# and working at sign-in; closing only through a confirmation page (GET,
# changes nothing) that shows the tally to be frozen and whose button names
# the act, its POST answering 303; the plenary's decision (§9.5) from a form,
# a confirmation page with the decision's text, then bt_decide (recorded as
# `ballot decide` records it), refusals in the page's language.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp sqlite3

trap 'serve_stop; _cleanup' EXIT

# --- set-up -----------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5052 --title "Second draft"
at 2020-02-10T12:00:00Z
printf 'Comments of Brazil.\n' >"$T/brazil.txt"
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5051 --authorize --received 2020-01-15T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --authorize --comments "$T/brazil.txt"
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --authorize --channel fax
expect_exit 0 ballot reply --circular 205 --member CHN --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5051 --authorize
expect_exit 0 ballot withdraw --circular 205 --member DEU --draft Q.5051
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5052 --not-authorize
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5052 --authorize
expect_exit 0 ballot codes issue --circular 205 --member CHE

PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem

row() { # row SEQ: the <tr> of event SEQ in the replies table
	SEQ=$1 perl -0777 -ne 'print $1 if /(<tr class="reply [^"]*" data-seq="\Q$ENV{SEQ}\E".*?<\/tr>)/s' "$T/.body"
}
attr() { # attr REC NAME [FILE]: data-NAME of the tally block of draft REC
	REC=$1 NAME=$2 perl -0777 -ne 'while (/<div class="tally" ([^>]*)>/g) { my $a = $1;
		next unless $a =~ /\bdata-rec="\Q$ENV{REC}\E"/;
		print "$1\n" if $a =~ /\bdata-\Q$ENV{NAME}\E="([^"]*)"/; last }' "${3:-$T/.body}"
}
# without the isolates of the members named in a decision's text
plain() { perl -CSD -pe 's/[\x{2066}-\x{2069}]//g'; }
pos() { # pos STRING: byte offset of STRING in the page (-1: absent)
	S=$1 perl -0777 -ne 'print index($_, $ENV{S})' "$T/.body"
}

# --- before the deadline: who replied what, codes ---------------------------
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin_user tsb tsb "$PW"
is "$ST" 303 "the secretariat signs in"
get tsb /secretariat/c/205
is "$ST" 200 "GET /secretariat/c/205"
run ballot history --circular 205 --json
cp "$T/.body" "$T/page1.html"
nrep=$(printf '%s' "$OUT" | perl -MJSON::PP -0777 -ne 'my $h = decode_json($_);
	print scalar grep { $_->{kind} eq "reply" || $_->{kind} eq "withdrawal" } @$h')
like "$(cat "$T/.body")" "<section id=\"replies\">" "the page has the replies section"
like "$(cat "$T/.body")" "Replies received \\(<span class=\"count\">$nrep</span>\\)" "  ... counting $nrep replies and withdrawals, as history --json says"
is "$(grep -o '<tr class="reply ' "$T/.body" | wc -l)" "$nrep" "  ... one row each"
hist=$OUT
for member in AUS BRA CHN DEU; do
	for seq in $(JSON_IN=$hist perl -MJSON::PP -0777 -e 'my $h = decode_json($ENV{JSON_IN});
		print join " ", map { $_->{seq} } grep { $_->{member} eq $ARGV[0] &&
		($_->{kind} eq "reply" || $_->{kind} eq "withdrawal") } @$h' "$member"); do
		st=$(JSON_IN=$hist perl -MJSON::PP -0777 -e 'my $h = decode_json($ENV{JSON_IN});
			print map { $_->{status} } grep { $_->{seq} == $ARGV[0] } @$h' "$seq")
		like "$(row "$seq")" "data-member=\"$member\" data-status=\"$st\"" "event $seq of $member: status $st as history says"
		like "$(row "$seq")" "href=\"/secretariat/receipt/$seq\\.json\"" "  ... with its signed receipt"
	done
done
bra1=$(JSON_IN=$hist perl -MJSON::PP -0777 -e 'my $h = decode_json($ENV{JSON_IN});
	print((grep { $_->{member} eq "BRA" } @$h)[0]{seq})')
like "$(row "$bra1")" 'data-status="superseded"' "BRA's first reply is marked superseded"
like "$(row "$bra1")" 'class="status superseded">replaced by a later reply' "  ... in words"
like "$(row "$bra1")" 'Authorizes, comments attached' "  ... its choice in words"
like "$(row "$bra1")" '<time dir="ltr" datetime="2020-02-10T12:00:00Z">' "  ... received when recorded"
like "$(row "$bra1")" 'data-label="Received by">e-mail|data-label="Received by">[^<]*' "  ... its channel"
att=$(row "$bra1" | sed -n 's/.*href="\/secretariat\/attachment\/\([0-9]*\)".*/\1/p')
like "$att" '^[0-9]+$' "  ... its attachment is linked (id $att)"
like "$(row "$bra1")" 'download="brazil.txt"><bdi>brazil.txt</bdi></a>' "  ... by its name"
get tsb "/secretariat/attachment/$att"
is "$ST" 200 "GET /secretariat/attachment/$att"
ok "  ... the bytes the member sent" cmp "$T/.body" "$T/brazil.txt"
like "$(hdr Content-Disposition)" attachment "  ... as a download"
get tsb /secretariat/attachment/99999
is "$ST" 404 "an unknown attachment: 404"
get tsb /secretariat/c/205
like "$(cat "$T/.body")" 'data-member="DEU" data-status="withdrawn"' "DEU's withdrawn reply is marked"
like "$(cat "$T/.body")" 'data-member="DEU" data-status="withdrawal"' "  ... and its withdrawal listed"
like "$(cat "$T/.body")" '<table class="replies stack">' "the replies table stacks on a narrow screen"
like "$(cat "$T/.body")" '<table class="pending stack">' "  ... as the pending table does"
like "$(cat "$T/.body")" '<td data-label="Member State"><span class="member">AUS' "  ... its cells carry their labels"
like "$(curl -sS --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" "$URL/static/style.css")" \
	'table\.stack td\[data-label\]::before\{content:attr\(data-label\)' "the stylesheet shows the labels of stacked cells"

# codes
like "$(cat "$T/.body")" '<tr data-member="CHE" data-revoked="0">' "CHE's code is listed in force"
unlike "$(cat "$T/.body")" 'reply-code' "  ... no code shown"
tok=$(csrf_of)
before=$(db_sum)
act_post tsb /secretariat/c/205 /secretariat/c/205/codes/issue -F "csrf=$tok" -F member=FRA
is "$ST" 303 "a code issued for FRA: 303"
shown=$(hdr Location)
like "$shown" '^/secretariat/c/205/codes/new\?t=[0-9a-f]{32}$' "  ... to the page that shows it"
unlike "$(cat "$T/.body")" 'reply-code' "  ... the POST's answer has no code"
get tsb "$shown"
is "$ST" 200 "GET $shown"
code1=$(sed -n 's/.*<code class="reply-code" dir="ltr">\([^<]*\)<.*/\1/p' "$T/.body")
like "$code1" '^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$' "  ... shows the new code ($code1)"
like "$(hdr Cache-Control)" no-store "  ... never cached"
get tsb "$shown"
is "$ST" 404 "  ... once: a reload finds it gone"
like "$BODY" 'shown once already' "  ... saying so"
unlike "$BODY" "$code1" "  ... without the code"
is "$(sqlite3 "$BALLOT_DB" .dump | grep -c "$code1")" 0 "  ... which the database does not hold"
run ballot history --circular 205 --json
signin fra FRA "$code1"
is "$ST" 303 "FRA signs in with it"
is "$(hdr Location)" /member "  ... to its home page"
get tsb /secretariat/c/205
unlike "$(cat "$T/.body")" "$code1" "the code is not on the consultation page"
like "$(cat "$T/.body")" '<tr data-member="FRA" data-revoked="0">' "  ... FRA's code is listed in force"
act_post tsb /secretariat/c/205 /secretariat/c/205/codes/issue -F "csrf=$tok" -F member=FRA
shown2=$(hdr Location)
signin_user tsb2 tsb "$PW"
get tsb2 "$shown2"
is "$ST" 404 "another session of the same account cannot see the new code"
unlike "$BODY" 'reply-code' "  ... no code in the answer"
get tsb "$shown2"
is "$ST" 200 "  ... it is kept in the session that issued it (session.c), which sees it once"
like "$BODY" 'class="reply-code"' "  ... with the code"
get tsb "$shown2"
is "$ST" 404 "  ... and then no more"
act_post tsb /secretariat/c/205 /secretariat/c/205/codes/issue -F "csrf=$tok" -F member=FRA
get tsb "$(hdr Location)"
code2=$(sed -n 's/.*<code class="reply-code" dir="ltr">\([^<]*\)<.*/\1/p' "$T/.body")
isnt "$code2" "$code1" "reissued: a new code"
signin fra2 FRA "$code1"
isnt "$ST" 303 "  ... the old one no longer signs in"
act_post tsb /secretariat/c/205 /secretariat/c/205/codes/issue -F "csrf=$tok" -F member=XXX
is "$ST" 404 "issuing for an unknown member: 404"
like "$BODY" 'data-field="code-member">Not found' "  ... naming the field (the codes form's)"
like "$BODY" '<p class="field-error" id="err-code-member">Not found: what “Member State” names does not exist.</p>' \
	"  ... the consultation's page again, the sentence next to the codes form's field"
like "$BODY" '<select id="code-member" name="member" required aria-invalid="true" aria-describedby="err-code-member" autofocus>' \
	"  ... the field marked and focused"
unlike "$BODY" 'id="err-member"' "  ... not next to the entry form's member field"
like "$BODY" "name=\"once\" value=\"[0-9a-f]{64}\"" "  ... with new single-use tokens"
before=$(db_sum)
get tsb "/secretariat/c/205/codes/revoke?member=FRA"
is "$ST" 200 "revoking FRA's code asks first"
like "$BODY" '<button type="submit" class="danger" id="confirm">Revoke the code of FRA</button>' "  ... with a button naming the act"
like "$BODY" 'stops working at once' "  ... saying what will happen"
is "$(db_sum)" "$before" "  ... and changes nothing"
post tsb /secretariat/c/205/codes/revoke -F "csrf=wrong" -F member=FRA
is "$ST" 403 "revoking with a wrong CSRF token: 403"
act_post tsb "/secretariat/c/205/codes/revoke?member=FRA" /secretariat/c/205/codes/revoke -F "csrf=$tok" -F member=FRA
is "$ST" 303 "the confirmed revocation: 303"
is "$(hdr Location)" "/secretariat/c/205#codes" "  ... back to the consultation's codes"
signin fra3 FRA "$code2"
isnt "$ST" 303 "  ... FRA's code no longer signs in"
run ballot codes list --circular 205 --json
like "$OUT" '"FRA"' "  ... codes list knows FRA"
get tsb /secretariat/c/205
like "$(cat "$T/.body")" '<tr data-member="FRA" data-revoked="1">' "  ... the page lists it revoked"
act_post tsb "/secretariat/c/205/codes/revoke?member=FRA" /secretariat/c/205/codes/revoke -F "csrf=$tok" -F member=FRA
is "$ST" 404 "revoking again: refused (none in force: 404)"

# closing: not before the deadline
get tsb /secretariat/c/205
is "$(pos 'id="close"')" -1 "no close section before the deadline"
get tsb /secretariat/c/205/decide
is "$ST" 200 "GET .../decide before the close"
unlike "$BODY" '<form method="get" class="decide"' "  ... no draft can be decided yet"

# a chair does none of this
signin_user chair chair11 "$PW"
for p in /secretariat/c/205/close /secretariat/c/205/decide "/secretariat/c/205/codes/revoke?member=CHE" \
	"/secretariat/attachment/$att"; do
	get chair "$p"
	is "$ST" 403 "a chair on $p: 403"
done
serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log")" 'Sanitizer|runtime error' "  ... with no sanitizer report"

# --- after the deadline: closing, confirmed ---------------------------------
at 2020-02-24T09:00:00Z
serve_start "$T/serve2.log" || { echo "Bail out! the server did not start again"; exit 1; }
signin_user tsb tsb "$PW"
get tsb /secretariat/c/205
like "$BODY" '<section id="close" class="danger-zone">' "after the deadline the close section is offered"
like "$BODY" '<form method="get" action="/secretariat/c/205/close">' "  ... as a link to its confirmation (GET)"
like "$BODY" '<button type="submit" class="danger">Close now and freeze the outcomes' "  ... styled as dangerous"
enter=$(pos 'id="enter"') close=$(pos 'id="close"') dl=$(pos 'id="downloads"')
ok "  ... after the entry form and the downloads ($enter < $dl < $close)" test "$enter" -ge 0 -a "$enter" -lt "$dl" -a "$dl" -lt "$close"
before=$(db_sum)
get tsb /secretariat/c/205/close
is "$ST" 200 "GET .../close: the confirmation page"
is "$(db_sum)" "$before" "  ... changes nothing"
run ballot tally --circular 205 --json
for k in replies support outcome if_closed_now; do
	is "$(attr Q.5051 "${k//_/-}")" "$(jget ".drafts[0].$k")" "  ... shows Q.5051's $k to be frozen, as tally --json says"
	is "$(attr Q.5052 "${k//_/-}")" "$(jget ".drafts[1].$k")" "  ... and Q.5052's"
done
like "$BODY" '<form method="post" action="/secretariat/c/205/close">' "  ... its form POSTs"
like "$BODY" '<button type="submit" class="danger" id="confirm">Close consultation 205 and freeze this tally</button>' \
	"  ... with a button naming the act"
like "$BODY" 'Closing cannot be undone' "  ... saying what will happen"
get tsb "/secretariat/c/205/close?lang=zh"
like "$BODY" '关闭第205号征询并冻结此计票' "  ... in Chinese"
get tsb "/secretariat/c/205/close?lang=ar"
like "$BODY" 'إغلاق المشاورة 205 وتجميد هذه الحصيلة' "  ... in Arabic"
like "$BODY" '<html lang="ar" dir="rtl">' "  ... right to left"
get tsb "/secretariat/c/205/close?lang=en"
tok=$(csrf_of)
act_post tsb "/secretariat/c/205/close?lang=en" /secretariat/c/205/close -F "csrf=$tok"
is "$ST" 303 "the confirmed close: 303"
is "$(hdr Location)" /secretariat/c/205 "  ... to the consultation's page"
run ballot tally --circular 205 --json
is "$(jget .closed)" true "the consultation is closed"
get tsb /secretariat/c/205
is "$(pos 'id="close"')" -1 "  ... and the page offers no close any more"
like "$BODY" '<a class="decide" href="/secretariat/c/205/decide">' "  ... but the decision form"
get tsb /secretariat/c/205/close
is "$ST" 409 "the confirmation page of a closed consultation: 409"
unlike "$BODY" 'id="confirm"' "  ... with no button"
serve_stop

# --- at the meeting: the decision (§9.5), confirmed -------------------------
at 2020-03-05T10:00:00Z
serve_start "$T/serve3.log" || { echo "Bail out! the server did not start again"; exit 1; }
signin_user tsb tsb "$PW"
get tsb /secretariat/c/205/decide
is "$ST" 200 "GET .../decide: a form per draft"
like "$BODY" '<section class="draft" data-rec="Q.5051" data-state="ready-for-approval">' "  ... Q.5051 ready for approval"
like "$BODY" '<form method="get" class="decide" data-rec="Q.5051"' "  ... with its form"
unlike "$BODY" 'class="decide" data-rec="Q.5052"' "  ... Q.5052 (not ready) without one"
tok=$(csrf_of)
before=$(db_sum)
q='draft=Q.5051&kind=approved&date=2020-03-05'
get tsb "/secretariat/c/205/decide?$q" --get --data-urlencode "reservations=CHE: Switzerland reserves its position"
is "$ST" 200 "the decision's confirmation page"
like "$(printf '%s' "$BODY" | plain)" '<blockquote class="decision-text">ITU-T Q.5051: approved, with reservations by CHE \(Switzerland reserves its position\)\.' \
	"  ... shows the decision's text"
like "$BODY" '<button type="submit" class="danger" id="confirm">Record this decision on ITU-T Q.5051</button>' \
	"  ... with a button naming the act"
is "$(db_sum)" "$before" "  ... and changes nothing"
get tsb "/secretariat/c/205/decide?draft=Q.5051&kind=not-approved" --get --data-urlencode "members=CHE, ZZZ"
is "$ST" 404 "an unknown member in the opposition: 404"
like "$BODY" 'data-reason="not-found" data-field="opposed_by">Not found: what “Member States asking for more time, or opposing' \
	"  ... naming the field by its label"
like "$BODY" 'class="engine-line">.*ZZZ' "  ... the engine's line names the value"
get tsb "/secretariat/c/205/decide?draft=Q.5051&kind=maybe&lang=zh"
is "$ST" 400 "an unknown kind: 400"
like "$BODY" 'data-field="kind">请' "  ... in the page's language (zh)"
get tsb "/secretariat/c/205/decide?lang=en"
act_post tsb "/secretariat/c/205/decide?draft=Q.5051&kind=approved&date=2020-03-20" /secretariat/c/205/decide -F "csrf=$tok" -F draft=Q.5051 -F kind=approved -F date=2020-03-20
is "$ST" 409 "a decision dated after the meeting: refused by bt_decide (409)"
like "$BODY" 'data-field="date"' "  ... naming the date"
post tsb /secretariat/c/205/decide -F "csrf=wrong" -F draft=Q.5051 -F kind=approved
is "$ST" 403 "a decision with a wrong CSRF token: 403"
is "$(db_sum)" "$before" "  ... nothing of that changed the database"
act_post tsb "/secretariat/c/205/decide?draft=Q.5051&kind=approved&date=2020-03-05" /secretariat/c/205/decide \
	-F "csrf=$tok" -F draft=Q.5051 -F kind=approved -F date=2020-03-05 \
	-F "reservations=CHE: Switzerland reserves its position"
is "$ST" 303 "the confirmed decision: 303"
is "$(hdr Location)" "/secretariat/c/205#decision" "  ... back to the consultation"
run ballot history --circular 205 --json
is "$(jwhere . kind decision what)" approved "the decision is recorded: approved"
is "$(jwhere . kind decision recorded_by)" portal:tsb "  ... by portal:tsb"
like "$(jwhere . kind decision detail)" 'Switzerland reserves its position' "  ... with CHE's reservation"
get tsb /secretariat/c/205
dseq=$(jwhere . kind decision seq)
like "$(printf '%s' "$BODY" | plain)" "<li data-seq=\"$dseq\" data-rec=\"Q\\.5051\" data-kind=\"approved\">ITU-T Q\\.5051: approved, with reservations by CHE \\(Switzerland reserves its position\\)\\. — <time dir=\"ltr\" datetime=\"2020-03-05\">" \
	"the consultation's page lists the decision in words"
like "$BODY" "href=\"/secretariat/receipt/$dseq\.json\">JSON</a></li>" "  ... with its signed receipt"
run ballot status --group 11 --json
like "$OUT" '"rec": *"Q.5051"[^}]*"state": *"approved"' "status: Q.5051 approved"
act_post tsb "/secretariat/c/205/decide?draft=Q.5051&kind=approved&date=2020-03-05" /secretariat/c/205/decide \
	-F "csrf=$tok" -F draft=Q.5051 -F kind=approved -F date=2020-03-05
is "$ST" 409 "deciding twice: refused (409)"
like "$BODY" 'data-reason="conflict" data-field="draft">Not possible now' "  ... with the sentence of its reason"
like "$BODY" 'class="engine-line">draft: Q\.5051 is approved' "  ... and the engine's line"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve3.log")" 'Sanitizer|runtime error' "  ... with no sanitizer report"
done_testing
