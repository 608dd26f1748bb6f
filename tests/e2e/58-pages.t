#!/usr/bin/env bash
# 58-pages.t - what each audience reads in the portal (issue 15, s12-pages):
# an administration sees, on its home page and on the reply form, each
# draft's title, summary and the SHA-256 of its text as `draft add --text`
# stored it, the circular's date and the time left to the deadline
# (computed by the server, in the page's language), and links to its
# history; its home page lists exactly the consultations whose electorate
# holds it (one engine query, bt_consultations_of_member), whatever the
# others; the history is a table of stacked rows. A chair sees every
# consultation of its study group with a link to its page: each draft's
# state and figures, the decisions (§9.5), the timeline and the report PDF
# (byte-identical to `ballot report`); another group's consultation is 403.
# Headless Chromium (tests/browser/pages.mjs through playwright-core) opens
# every page of both at 390 px in en, ar and zh, JavaScript off and (en) on:
# document.documentElement.scrollWidth is never over 390, the tables are
# stacked rows; screenshots in $BALLOT_SCREENSHOTS (default: the temp dir).
# Node and Chromium missing is a failure, never a skip (tests/deps.sh).
# The server runs on a fixed clock (BALLOT_NOW in its environment).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp sha256sum

browser_ready
SHOTS=${BALLOT_SCREENSHOTS:-$T/shots}
trap 'serve_stop; _cleanup' EXIT

# browse WHO LANG JS PATHS CREDENTIALS...: Chromium at 390 px visits PATHS;
# every page answers 200, is no wider than the screen, shows its stacked
# tables' rows as blocks and their headers hidden
browse() {
	local who=$1 l=$2 js=$3 paths=$4 t0 i n w
	shift 4
	t0=$(date +%s)
	run timeout 180 node "$BROWSER_DIR/pages.mjs" --url "$URL" --lang "$l" --js "$js" --visit "$paths" \
		--shots "$SHOTS/$who-$l-js-$js" --server-cert "$SRV_CERT" --chromium "$CHROMIUM" "$@"
	is "$RC" 0 "[$l] Chromium (390 px, JavaScript $js) visits the $who's pages ($(($(date +%s) - t0)) s)" ||
		diag "$ERR" "$(tail -n 5 "$T/serve.log")"
	B=$OUT
	jvalid "$B" || B='{"visits":[]}'
	n=$(printf '%s\n' "$paths" | tr ',' '\n' | wc -l)
	for ((i = 0; i < n; i++)); do
		local p
		p=$(jget ".visits[$i].path" "$B")
		is "$(jget ".visits[$i].status" "$B")" 200 "[$l js $js] $p: 200"
		w=$(jget ".visits[$i].width" "$B")
		[[ "$w" =~ ^[0-9]+$ ]] || w=9999
		ok "[$l js $js] $p: scrollWidth $w <= 390" test "$w" -le 390
		is "$(jget ".visits[$i].stacked" "$B")" "$(jget ".visits[$i].rows" "$B")" \
			"[$l js $js] $p: each of the stacked tables' $(jget ".visits[$i].rows" "$B") rows shown as a block"
		is "$(jget ".visits[$i].th_shown" "$B")" 0 "[$l js $js] $p: the stacked tables' headers hidden"
	done
	is "$(jget .stylesheet "$B")" 200 "[$l js $js] the stylesheet loaded"
	is "$(jget .csp_violations "$B")" '[]' "[$l js $js] no Content-Security-Policy violation"
	is "$(jget .console_errors "$B")" '[]' "[$l js $js] no error in the console"
}
FORMS=$REPO/forms/portal
words() { sed -n "s/^$2 = //p" "$FORMS/$1.txt"; }
re() { printf '%s' "$1" | sed 's/[][().*+?^$|\\{}]/\\&/g'; } # a literal in a regular expression
fill() { # fill TEXT NAME VALUE ...: TEXT with {NAME} replaced
	local s=$1
	shift
	while [ $# -gt 1 ]; do
		s=${s//\{$1\}/$2}
		shift 2
	done
	printf '%s\n' "$s"
}
# the text of the first element of class CLASS in the body
text_of() { CLS=$1 perl -0777 -CSD -ne 'if (/class="\Q$ENV{CLS}\E"[^>]*>(.*?)<\/(?:strong|span|code|p)>/s) {
	my $t = $1; $t =~ s/<[^>]*>//g; $t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&amp;/&/g; print "$t\n" }' "${2:-$T/.body}"; }

# --- set-up -----------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
printf 'The text of draft Q.5052, as sent with the circular.\n' >"$T/q5052.txt"
SHA=$(sha256sum "$T/q5052.txt" | cut -d' ' -f1)
expect_exit 0 ballot draft add --summary "Second summary: <b>bold</b> & more." --circular 205 --rec Q.5052 \
	--title "Second draft" --text "$T/q5052.txt"
printf 'DEU\nFRA\n' >"$T/el300"
expect_exit 0 ballot consultation create --circular 300 --group 12 --date 2019-12-03 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --electorate "$T/el300"
expect_exit 0 ballot draft add --summary "Other group." --circular 300 --rec G.1000 --title "Other group's draft"
expect_exit 0 ballot consultation create --circular 301 --group 11 --date 2019-12-04 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --electorate "$T/el300"
expect_exit 0 ballot draft add --summary "Not for China." --circular 301 --rec Q.3010 --title "FRA and DEU only"
printf 'DEU\n' >"$T/el302"
expect_exit 0 ballot consultation create --circular 302 --group 11 --date 2019-12-04 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --electorate "$T/el302"
expect_exit 0 ballot draft add --summary "Germany only." --circular 302 --rec Q.3020 --title "DEU only"
NOW=2020-02-10T12:00:00Z
at $NOW
expect_exit 0 ballot reply --circular 205 --member CHN --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member FRA --draft Q.5051 --not-authorize
run ballot tally --circular 205 --json
DEADLINE=$(jget .deadline)
LEFT=$(($(date -u -d "$DEADLINE" +%s) - $(date -u -d "$NOW" +%s)))
CODE=$(new_code 205 CHN)
PW="a chair's pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
expect_exit 0 ballot tls dev-certs --out "$T/ca" --client FRA
expect_exit 0 ballot certs issue --member FRA --ca "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
FRA=(--cert "$T/ca/client-FRA.pem" --key "$T/ca/client-FRA-key.pem")

serve_start "$T/serve.log" --client-ca "$T/ca/ca.pem" || { echo "Bail out! the server did not start"; exit 1; }

# --- an administration, in three languages ------------------------------------
signin chn CHN "$CODE"
is "$ST" 303 "CHN signs in with its reply code"
for l in en ar zh; do
	get chn "/member?lang=$l"
	is "$ST" 200 "[$l] GET /member"
	cp "$T/.body" "$T/home-$l.html"
	like "$BODY" 'id="c-205"' "[$l] the home page shows 205"
	unlike "$BODY" 'id="c-30[012]"' "[$l] ... and no other consultation (a code's scope)"
	like "$BODY" "class=\"time-left\" data-seconds=\"$LEFT\"" "[$l] time left: $LEFT s, computed by the server"
	is "$(text_of time-left)" "$(fill "$(words $l time_left)" days $((LEFT / 86400)) hours $((LEFT % 86400 / 3600)))" \
		"[$l] ... said in $l: $(text_of time-left)"
	is "$(text_of date)" 2019-12-02 "[$l] the circular's date"
	like "$BODY" "<code class=\"text-sha256\" dir=\"ltr\">$SHA</code>" "[$l] Q.5052's text SHA-256 as draft add --text stored it"
	like "$BODY" 'Second summary: &lt;b&gt;bold&lt;/b&gt; &amp; more\.' "[$l] Q.5052's summary, escaped"
	like "$BODY" "$(re "$(words $l summary_label)")" "[$l] ... under its label in $l"
	like "$BODY" 'A summary of the draft\.' "[$l] Q.5051's summary"
	like "$BODY" 'href="/member/history"' "[$l] a link to the history"
	like "$BODY" '<table class="stack">' "[$l] the drafts' table stacks on a narrow screen"
	get chn "/member/c/205?lang=$l"
	is "$ST" 200 "[$l] GET /member/c/205 (the reply form)"
	like "$BODY" "class=\"time-left\" data-seconds=\"$LEFT\"" "[$l] the form says the time left"
	like "$BODY" "$SHA" "[$l] ... Q.5052's text SHA-256"
	like "$BODY" 'Second summary' "[$l] ... Q.5052's summary"
	like "$BODY" 'href="/member/history"' "[$l] ... a link to the history"
	get chn "/member/history?lang=$l"
	is "$ST" 200 "[$l] GET /member/history"
	like "$BODY" '<table class="history stack">' "[$l] the history stacks on a narrow screen"
	like "$BODY" "<td data-label=\"$(words $l col_draft)\">Q.5051</td>" "[$l] ... each cell labelled in $l"
done

for l in en ar zh; do
	browse member $l off /member,/member/c/205,/member/history --member "CHN:$CODE"
	is "$(jget '.visits[0].dir' "$B")" "$([ $l = ar ] && echo rtl || echo ltr)" "[$l] the page's direction"
	is "$(jget '.visits[0].time_left' "$B")" \
		"$(fill "$(words $l time_left)" days $((LEFT / 86400)) hours $((LEFT % 86400 / 3600)))" \
		"[$l] Chromium reads the time left in $l"
done
browse member en on /member,/member/c/205,/member/history --member "CHN:$CODE"

# a member's consultations: those whose electorate holds it, one query
get fra /member "${FRA[@]}"
is "$ST" 200 "FRA's certificate: GET /member"
like "$BODY" 'id="c-205"' "FRA's home shows 205 (its electorate: every member)"
like "$BODY" 'id="c-300"' "  ... 300 (FRA is in its electorate)"
like "$BODY" 'id="c-301"' "  ... and 301"
unlike "$BODY" 'id="c-302"' "  ... not 302 (FRA is not in its electorate)"
is "$(grep -c '<section class="consultation"' "$T/.body")" 3 "  ... three consultations"
get fra /member/c/301 "${FRA[@]}"
is "$ST" 200 "FRA opens 301's form"
get fra /member/c/205 "${FRA[@]}"
like "$BODY" "<strong class=\"time-left\"" "  ... and 205's, with the time left"

# under a day left, hours and minutes
serve_stop
at "$(date -u -d "$DEADLINE - 5 hours - 7 minutes" +%FT%TZ)"
serve_start "$T/serve.log" --client-ca "$T/ca/ca.pem" || { echo "Bail out! the server did not start"; exit 1; }
signin chn2 CHN "$CODE"
get chn2 /member
is "$(text_of time-left)" "$(fill "$(words en time_left_short)" hours 5 minutes 7)" "5 h 7 min before the deadline: $(text_of time-left)"

# after the deadline: no time left, the form is read-only
serve_stop
at 2020-03-05T10:00:00Z
expect_exit 0 ballot close --circular 205
expect_exit 0 ballot decide --circular 205 --draft Q.5052 --approved --date 2020-03-05
serve_start "$T/serve.log" --client-ca "$T/ca/ca.pem" || { echo "Bail out! the server did not start"; exit 1; }
signin chn3 CHN "$CODE"
get chn3 /member
is "$ST" 200 "after the deadline: GET /member"
unlike "$BODY" 'class="time-left"' "  ... no time left shown"
like "$BODY" "$SHA" "  ... the text SHA-256 still shown"

# --- the chair of SG11 ----------------------------------------------------------
signin_user chair chair11 "$PW"
is "$ST" 303 "the chair signs in"
for l in en ar zh; do
	get chair "/chair?lang=$l"
	is "$ST" 200 "[$l] GET /chair"
	like "$BODY" '<table class="status stack">' "[$l] the status table stacks on a narrow screen"
	like "$BODY" '<a href="/chair/c/205">205</a>' "[$l] a link to 205's page"
	like "$BODY" '<a href="/chair/c/301">301</a>' "[$l] ... and to 301's"
	unlike "$BODY" '/chair/c/300' "[$l] ... not to SG12's 300"
	get chair "/chair/c/205?lang=$l"
	is "$ST" 200 "[$l] GET /chair/c/205"
	cp "$T/.body" "$T/chair-$l.html"
	like "$BODY" '<section class="draft" data-rec="Q.5051" data-state="not-ready">' "[$l] Q.5051: not ready (1 of 2)"
	like "$BODY" '<section class="draft" data-rec="Q.5052" data-state="approved">' "[$l] Q.5052: approved"
	like "$BODY" 'data-rec="Q.5051" data-replies="2" data-support="1" data-pct="50.0"' "[$l] Q.5051's figures"
	like "$BODY" '<tr class="decision" data-kind="approved">' "[$l] the decision on Q.5052"
	like "$BODY" "<td data-label=\"$(words $l col_date)\"><time dir=\"ltr\" datetime=\"2020-03-05\">" "[$l] ... its date"
	like "$(printf '%s' "$BODY" | sed 's#</\{0,1\}bdi[^>]*>##g')" "<h2>$(re "$(words $l decisions_title)")</h2>" \
		"[$l] the decisions under their heading in $l"
	[ "$l" = zh ] || # zh writes （§9.5） in full-width brackets
		like "$BODY" '<h2>[^<]*<bdi dir="ltr">\(§9\.5\)</bdi></h2>' "[$l] ... its (§9.5) isolated left to right"
	like "$BODY" "<h2>$(re "$(words $l timeline_title)")</h2>" "[$l] the timeline under its heading in $l"
	for s in circular deadline meeting-start meeting-end decision; do
		like "$BODY" "<tr data-step=\"$s\">" "[$l] ... its step $s"
	done
	like "$BODY" "$(re "$(words $l tl_meeting_start)")" "[$l] ... named in $l"
	like "$BODY" 'href="/chair/c/205/report.pdf\?lang=ar" hreflang="ar"' "[$l] the report PDF in Arabic"
done
for l in en ar zh; do
	browse chair $l off /chair,/chair/c/205 --user chair11 --password "$PW"
done
browse chair en on /chair,/chair/c/205 --user chair11 --password "$PW"

run ballot timeline --circular 205 --json
ndates=$(printf '%s\n' "$OUT" | grep -o '"what": *"' | wc -l)
is "$(grep -c '<tr data-step=' "$T/chair-en.html")" "$ndates" "the timeline has as many steps as ballot timeline ($ndates)"
run ballot tally --circular 205 --json
for l in fr ar; do
	get chair "/chair/c/205/report.pdf?lang=$l" 2>/dev/null
	is "$ST" 200 "[$l] the chair downloads the report PDF"
	cp "$T/.body" "$T/chair-$l.pdf"
	expect_exit 0 ballot report --circular 205 --lang $l --out "$T/cli-$l.pdf"
	ok "[$l] ... byte-identical to ballot report --lang $l" cmp "$T/chair-$l.pdf" "$T/cli-$l.pdf"
done
get chair /chair/c/300
is "$ST" 403 "another group's consultation: 403"
get chair /chair/c/300/report.pdf
is "$ST" 403 "  ... its report: 403"
get chair /chair/c/999
is "$ST" 404 "an unknown circular: 404"
get chair /chair/c/205/nothing
is "$ST" 404 "a page the chair area does not have: 404"
get chn3 /chair/c/205
is "$ST" 403 "an administration on a chair's page: 403"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log")" "AddressSanitizer|LeakSanitizer|runtime error" "server log: no sanitizer report"
done_testing
