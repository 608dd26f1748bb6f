#!/usr/bin/env bash
# 21-portal-staff.t - the secretariat's and the chairs' pages of the portal:
# the live tally with the figures `ballot tally --json` gives; downloads that
# are byte-identical to the command line's tally, export and report; a reply
# received by fax entered with its scanned form (recorded with the actor
# portal:<user>); the signed receipts of replies by event, which `ballot
# receipt verify` checks; closing refused before the deadline and done after
# it; a chair sees its own study group only and can change nothing.
# The server runs on a fixed clock (BALLOT_NOW in its environment).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp sqlite3

trap 'serve_stop; _cleanup' EXIT

# --- set-up -----------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5052 --title "Second draft"
expect_exit 0 ballot consultation create --circular 300 --group 12 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 300 --rec G.1000 --title 'Other group <b>draft</b>'
at 2020-02-10T12:00:00Z
printf 'Comments of Brazil.\n' >"$T/brazil.txt"
printf 'Reasons of France.\n' >"$T/reasons.txt"
printf '%%PDF-1.4\n%% the signed form as faxed\n%%%%EOF\n' >"$T/scan.pdf"
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5051 --authorize --received 2020-01-15T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --authorize --comments "$T/brazil.txt"
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5051 --not-authorize
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5052 --authorize

PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem

attr() { # attr REC NAME [FILE]: data-NAME of the tally block of draft REC
	REC=$1 NAME=$2 perl -0777 -ne 'while (/<div class="tally" ([^>]*)>/g) { my $a = $1;
		next unless $a =~ /\bdata-rec="\Q$ENV{REC}\E"/;
		print "$1\n" if $a =~ /\bdata-\Q$ENV{NAME}\E="([^"]*)"/; last }' "${3:-$T/.body}"
}

# --- before the deadline ----------------------------------------------------
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

signin_user tsb tsb "$PW"
is "$ST" 303 "the secretariat signs in"
is "$(hdr Location)" /secretariat "  ... and lands on /secretariat"

get tsb /secretariat
is "$ST" 200 "GET /secretariat"
run ballot tally --circular 205 --json
for k in replies support late outcome if_closed_now; do
	is "$(attr Q.5051 "${k//_/-}")" "$(jget ".drafts[0].$k")" "Q.5051 $k as tally --json says"
done
is "$(attr Q.5051 pct)" "$(jget '.drafts[0].support_pct')" "Q.5051 support share as tally --json says"
is "$(attr Q.5051 electorate)" "$(jget '.electorate')" "the electorate as tally --json says"
pct=$(jget '.drafts[0].support_pct')
w=$(perl -e 'printf "%d", $ARGV[0] + 0.5' "$pct")
like "$BODY" "<div class=\"fill w$w low\"></div><div class=\"line t70\"></div>" \
	"the bar: filled to $w %, red under the 70 % line"
like "$BODY" 'Support: 2 \(66\.7 %\)' "  ... and says the support in words"
like "$BODY" '<p class="outcome"><strong>pending</strong> — If the consultation closed now: may not proceed at this meeting</p>' \
	"  ... the outcome, and what it would be if closed now (66.7 % under 70 %)"
like "$BODY" '<span class="draft">G\.1000</span> — Other group &lt;b&gt;draft&lt;/b&gt;' "every consultation is listed, titles escaped"
unlike "$BODY" '<b>draft' "  ... no markup from the data"
like "$BODY" 'href="/secretariat/c/205"' "  ... with a link to each consultation"

get tsb /secretariat/c/205
is "$ST" 200 "GET /secretariat/c/205"
page=$BODY
run ballot pending --circular 205 --json
npend=$(jlen .)
like "$page" "<span class=\"count\">$npend</span>" "who has not replied: $npend, as pending says"
like "$page" '<span class="member">ZWE</span> Zimbabwe</td><td>Q.5051, Q.5052</td>' \
	"  ... with names and the drafts they have not replied on"
like "$page" 'action="/secretariat/c/205/reply"' "the entry form is offered"
like "$page" '<input type="file" id="scan" name="scan"' "  ... with the scanned form"
unlike "$page" 'action="/secretariat/c/205/close"' "no close button before the deadline"
unlike "$page" 'style=|<script' "no inline style, no script"

# the downloads: the command line's bytes
get tsb /secretariat/c/205/tally.json
is "$ST" 200 "GET tally.json"
ballot tally --circular 205 --json >"$T/cli-tally.json"
ok "tally.json is byte-identical to tally --json" cmp "$T/.body" "$T/cli-tally.json"
is "$(hdr Content-Type)" application/json "  ... served as JSON"
is "$(hdr Content-Disposition)" 'attachment; filename="205-tally.json"' "  ... as an attachment"
get tsb /secretariat/c/205/replies.csv
ballot export --circular 205 --format csv >"$T/cli.csv"
ok "replies.csv is byte-identical to export --format csv" cmp "$T/.body" "$T/cli.csv"
is "$(hdr Content-Type)" "text/csv; charset=utf-8" "  ... served as CSV"
get tsb /secretariat/c/205/replies.json
ballot export --circular 205 --format json >"$T/cli.json"
ok "replies.json is byte-identical to export --format json" cmp "$T/.body" "$T/cli.json"
get tsb "/secretariat/c/205/report.pdf?lang=fr" 2>/dev/null # (bash warns of the NUL bytes)
is "$ST" 200 "GET report.pdf?lang=fr"
cp "$T/.body" "$T/portal-fr.pdf"
expect_exit 0 ballot report --circular 205 --lang fr --out "$T/cli-fr.pdf"
ok "report.pdf is byte-identical to report --lang fr" cmp "$T/portal-fr.pdf" "$T/cli-fr.pdf"
is "$(hdr Content-Disposition)" 'attachment; filename="205-fr.pdf"' "  ... named as report names it"
is "$(cookies_set lang)" "" "  ... and the report's language does not change the pages' language"
# twelve reports at once: the request threads share the PDF renderer (a
# race there garbles about half of them)
pids=()
for n in 1 2; do
	for l in en fr es ru zh ar; do
		curl -sS --max-time 120 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" -b "$T/tsb.jar" \
			-o "$T/par-$n-$l.pdf" "$URL/secretariat/c/205/report.pdf?lang=$l" &
		pids+=($!)
	done
done
wait "${pids[@]}"
for l in en fr es ru zh ar; do
	ballot report --circular 205 --lang "$l" --out "$T/cli-$l.pdf" >/dev/null
	ok "report.pdf?lang=$l fetched twice alongside ten others is byte-identical" \
		sh -c 'cmp "$1" "$3" && cmp "$2" "$3"' - "$T/par-1-$l.pdf" "$T/par-2-$l.pdf" "$T/cli-$l.pdf"
done
get tsb "/secretariat/c/205/report.pdf?lang=xx"
is "$ST" 400 "a report in an unknown language: 400"
like "$BODY" "lang: &#39;xx&#39;" "  ... naming the value"
get tsb /secretariat/c/999
is "$ST" 404 "an unknown consultation: 404"

# a reply received by fax, with the scanned form
get tsb /secretariat/c/205
tok=$(csrf_of)
reply_post tsb /secretariat/c/205/reply -F "csrf=$tok" -F member=FR -F draft=Q.5051 -F choice=not-authorize \
	-F received=2020-02-05T10:00:00+01:00 -F channel=fax -F "signatory=J. Dupont" -F "title=Directeur" \
	-F "attachment=@$T/reasons.txt" -F "scan=@$T/scan.pdf"
is "$ST" 200 "a faxed reply is entered with its scan"
rid=$(classes reply-id)
like "$rid" '^[0-9]+$' "  ... the receipt gives its number ($rid)"
like "$BODY" '<time class="received" datetime="2020-02-05T09:00:00Z"' "  ... received as stated, in UTC"
like "$BODY" '<time class="recorded" datetime="2020-02-10T12:00:00Z"' "  ... and recorded at the server's time"
like "$BODY" "scan\\.pdf \\([0-9]+ bytes\\) <code class=\"file-sha256\">$(sha256_of "$T/scan.pdf")" \
	"  ... with the scan's SHA-256"
run ballot history --circular 205 --member FRA --json
is "$(jget '[0].channel')" fax "history: channel fax"
is "$(jget '[0].recorded_by')" portal:tsb "history: recorded by portal:tsb"
is "$(jget '[0].signatory')" "J. Dupont" "history: the signatory"
is "$(jcol '[0].attachments' role | tr '\n' ' ')" "reasons form " "history: the reasons and the scanned form (role form)"
expect_exit 0 ballot audit verify

# its signed receipt, by event
ev=$(classes event)
like "$ev" '^[0-9]+$' "  ... and its event ($ev)"
like "$BODY" "<a class=\"receipt-json\" [^>]*href=\"/secretariat/receipt/$ev\.json\">Download the signed receipt \(JSON\)</a>" \
	"  ... with a link to its signed receipt"
ballot keys show >"$T/pub.txt"
is "$(classes verify)" "ballot receipt verify receipt-205-event-$ev.json --key $(head -n 1 "$T/pub.txt")" \
	"  ... and the command that checks it"
get tsb "/secretariat/receipt/$ev.json"
is "$ST" 200 "GET /secretariat/receipt/$ev.json"
is "$(hdr Content-Type)" "application/json; charset=utf-8" "  ... served as JSON"
is "$(hdr Content-Disposition)" "attachment; filename=\"receipt-205-event-$ev.json\"" "  ... as an attachment"
receipt_ok "$T/fax-receipt.json" "$ev" "$T/pub.txt"
like "$OUT" "reply not-authorize of FRA on Q\.5051 in circular 205, received 2020-02-05T09:00:00Z" \
	"  ... a reply not-authorize of FRA on Q.5051, received as entered"
like "$OUT" "with 2 attachments" "  ... with its two files"
get tsb "/secretariat/receipt/$ev.json" -I
is "$ST" 200 "HEAD /secretariat/receipt/$ev.json: 200"
is "$(hdr Content-Length)" "$(wc -c <"$T/fax-receipt.json" | tr -d ' ')" "  ... Content-Length that of the GET"
run ballot history --circular 205 --member AUS --json
aus=$(jget '[0].seq')
get tsb "/secretariat/receipt/$aus.json"
is "$ST" 200 "the receipt of a reply recorded by the command line (event $aus) too"
receipt_ok "$T/aus.json" "$aus" "$T/pub.txt"
get tsb /secretariat/receipt/1.json
is "$ST" 404 "event 1 (not a reply, withdrawal or decision): 404"
like "$BODY" 'class="error" role="alert" data-reason="not-found" data-field="event">Not found: what “Event in the log” names' "  ... saying so, naming the field by its label"
like "$BODY" 'class="engine-line">event: event 1 is not a reply, withdrawal or decision' "  ... the engine's line kept for the secretariat"
get tsb /secretariat/receipt/99999.json
is "$ST" 404 "an event that does not exist: 404"
get tsb /secretariat/receipt/x1.json
is "$ST" 404 "not an event number: 404"

# a circular ID with a slash is refused (it names files: issue 11 part 5);
# one with a dot is a page of its own
at 2019-12-02T12:00:00Z
expect_exit 2 ballot consultation create --circular A/1 --group 11 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot consultation create --circular A.1 --group 11 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular A.1 --rec Q.7000 --title "Dot test"
at 2020-02-10T12:00:00Z
get tsb /secretariat/c/A.1
is "$ST" 200 "GET /secretariat/c/A.1 (a circular ID with a dot)"
like "$BODY" 'Q\.7000' "  ... shows its draft"
get tsb /secretariat/c/A.1/tally.json
is "$ST" 200 "  ... and its downloads"
like "$BODY" '"circular":"A.1"' "  ... of that consultation"
get tsb /secretariat/c/A.1
reply_post tsb /secretariat/c/A.1/reply -F "csrf=$(csrf_of)" -F member=CHN -F draft=Q.7000 -F choice=authorize -F channel=email
is "$ST" 200 "a reply on A.1 is entered"
ev_a1=$(classes event)
get tsb "/secretariat/receipt/$ev_a1.json"
is "$(hdr Content-Disposition)" "attachment; filename=\"receipt-A.1-event-$ev_a1.json\"" "  ... its receipt is named receipt-A.1-event-$ev_a1.json"

# refused input changes nothing
before=$(db_sum)
reply_post tsb /secretariat/c/205/reply -F "csrf=$tok" -F member=XXX -F draft=Q.5051 -F choice=authorize -F channel=fax
is "$ST" 404 "an unknown member: 404 (names nothing that exists)"
like "$BODY" 'data-reason="not-found" data-field="member">Not found: what “Member State” names' "  ... saying so, naming the field by its label"
like "$BODY" "class=\"engine-line\">.*XXX" "  ... the engine's message names the value"
reply_post tsb /secretariat/c/205/reply -F "csrf=$tok" -F member=CHN -F draft=Q.5051 -F choice=maybe -F channel=fax
is "$ST" 400 "a bad choice: 400"
reply_post tsb /secretariat/c/205/reply -F "csrf=$tok" -F member=CHN -F draft=Q.5051 -F choice=authorize \
	-F channel=fax -F received=2020-02-30T10:00Z
is "$ST" 400 "an impossible received time: 400"
reply_post tsb /secretariat/c/205/reply -F "csrf=$tok" -F member=CHN -F draft=Q.5051 -F choice=authorize -F channel=portal
is "$ST" 400 "channel portal is not for the secretariat's entries: 400"
act_post tsb /secretariat/c/205/close /secretariat/c/205/close -F "csrf=$tok"
is "$ST" 409 "closing before the deadline: 409 (clashes with the state)"
like "$BODY" 'data-reason="conflict"[^>]*>Not possible now' "  ... saying why in the page's language"
like "$BODY" 'class="engine-line">.*2020-02-21T23:59:00Z' "  ... the engine's message gives the deadline"
post tsb /secretariat/c/205/close -F "csrf=wrong"
is "$ST" 403 "closing with a wrong CSRF token: 403"
is "$(db_sum)" "$before" "  ... nothing of that changed the database"

# the chair of SG11
signin_user chair chair11 "$PW"
is "$ST" 303 "the chair signs in"
is "$(hdr Location)" /chair "  ... and lands on /chair"
get chair /chair
is "$ST" 200 "GET /chair"
like "$BODY" 'Study Group 11' "the chair's page names its study group"
like "$BODY" '<tr class="draft" data-rec="Q.5051" data-state="in-consultation">' "its drafts are listed"
unlike "$BODY" 'G\.1000' "another group's draft is not"
run ballot tally --circular 205 --json
is "$(attr Q.5051 replies "$T/.body")" "$(jget '.drafts[0].replies')" "the live figures of a draft in consultation"
is "$(grep -c '<form' "$T/.body")" 1 "no form but sign-out"
ctok=$(csrf_of)
post chair /secretariat/c/205/close -F "csrf=$ctok"
is "$ST" 403 "a chair closing: 403"
reply_post chair /secretariat/c/205/reply -F "csrf=$ctok" -F member=CHN -F draft=Q.5051 -F choice=authorize -F channel=fax
is "$ST" 403 "a chair entering a reply: 403"
get chair /secretariat/c/205/tally.json
is "$ST" 403 "a chair downloading the secretariat's files: 403"
get chair "/secretariat/receipt/$ev.json"
is "$ST" 403 "a chair downloading a signed receipt: 403"
unlike "$BODY" 'ballot-receipt' "  ... no receipt in the answer"
get tsb /chair
is "$ST" 403 "the secretariat on /chair: 403"
is "$(db_sum)" "$before" "  ... still nothing changed"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log")" 'Sanitizer|runtime error' "  ... with no sanitizer report"

# --- after the deadline -----------------------------------------------------
at 2020-02-24T09:00:00Z
serve_start "$T/serve2.log" || { echo "Bail out! the server did not start again"; exit 1; }
signin_user tsb tsb "$PW"
get tsb /secretariat/c/205
like "$BODY" 'action="/secretariat/c/205/close"' "after the deadline the close button is offered"
tok=$(csrf_of)
reply_post tsb /secretariat/c/205/reply -F "csrf=$tok" -F member=ESP -F draft=Q.5051 -F choice=authorize \
	-F channel=post -F received=2020-02-22T08:00:00Z
is "$ST" 200 "a late reply by post is entered"
like "$BODY" 'class="note">Received after the deadline' "  ... the receipt says it is late"
act_post tsb /secretariat/c/205/close /secretariat/c/205/close -F "csrf=$tok"
close_once=$ACT_ONCE
is "$ST" 303 "closing after the deadline: 303"
is "$(hdr Location)" /secretariat/c/205 "  ... back to the consultation"
run ballot tally --circular 205 --json
is "$(jget .closed)" true "the consultation is closed"
run ballot history --circular 205 --json
is "$(jwhere . kind close recorded_by)" portal:tsb "  ... by portal:tsb"
get tsb /secretariat/c/205
like "$BODY" '<strong class="state">closed' "the page says closed"
unlike "$BODY" 'action="/secretariat/c/205/close"' "  ... and offers no close button"
like "$BODY" '<span class="member">ESP</span> Spain</td><td class="draft">Q.5051</td>' "the late reply is listed"
run ballot history --circular 205 --member ESP --json
esp=$(jget '[0].seq')
like "$(cat "$T/.body")" "<td><a class=\"receipt-json\" [^>]*href=\"/secretariat/receipt/$esp\.json\">JSON</a></td></tr>" \
	"  ... with a link to its signed receipt (event $esp)"
get tsb "/secretariat/receipt/$esp.json"
receipt_ok "$T/esp.json" "$esp" "$T/pub.txt"
like "$OUT" "reply authorize of ESP on Q\.5051 in circular 205, received 2020-02-22T08:00:00Z" "  ... ESP's late reply"
get tsb /secretariat/c/205
is "$(attr Q.5051 late)" 1 "  ... and counted as late in the tally block"
post tsb /secretariat/c/205/close -F "csrf=$tok" -F "once=$close_once"
is "$ST $(hdr Location)" "303 /secretariat/c/205" "the close form sent twice: the first outcome again (303)"
run ballot history --circular 205 --json
is "$(printf '%s' "$OUT" | grep -c '"kind": *"close"')" 1 "  ... closed once"
act_post tsb /secretariat/c/205 /secretariat/c/205/close -F "csrf=$tok"
is "$ST" 409 "closing twice (no close form on the page any more): 409"
get tsb /secretariat/c/205/tally.json
ballot tally --circular 205 --json >"$T/cli-tally2.json"
ok "after closing, tally.json is still byte-identical" cmp "$T/.body" "$T/cli-tally2.json"
get tsb "/secretariat/c/205/report.pdf?lang=ar" 2>/dev/null
cp "$T/.body" "$T/portal-ar.pdf"
expect_exit 0 ballot report --circular 205 --lang ar --out "$T/cli-ar.pdf"
ok "the final Arabic report is byte-identical" cmp "$T/portal-ar.pdf" "$T/cli-ar.pdf"
# the plenary's decision (at its meeting): its receipt too
BALLOT_NOW=2020-03-05T10:00:00Z expect_exit 0 ballot decide --circular 205 --draft Q.5052 --approved --print-receipt
dec=$(printf '%s\n' "$OUT" | sed -n 's/^receipt: //p' | perl -ne 'print $1 if /"event":(\d+)/')
like "$dec" '^[0-9]+$' "  ... recorded as event $dec"
get tsb "/secretariat/receipt/$dec.json"
is "$ST" 200 "GET /secretariat/receipt/$dec.json (the decision)"
receipt_ok "$T/decision.json" "$dec" "$T/pub.txt"
like "$OUT" "decision approved on Q\.5052 in circular 205" "  ... a decision approved on Q.5052"
signin_user chair chair11 "$PW"
get chair /chair
state=$(ballot status --group 11 --json | perl -MJSON::PP -0777 -ne 'print decode_json($_)->[0]{state}')
like "$BODY" "data-rec=\"Q.5051\" data-state=\"$state\"" "the chair sees the frozen state ($state)"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly again"
unlike "$(cat "$T/serve2.log")" 'Sanitizer|runtime error' "  ... with no sanitizer report"

done_testing
