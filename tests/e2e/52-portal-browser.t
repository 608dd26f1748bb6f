#!/usr/bin/env bash
# 52-portal-browser.t - the secretariat's late entry and the damage
# refusal in a real browser with JavaScript off on a 390 px wide screen:
# headless Chromium (Debian's /usr/bin/chromium, driven by
# tests/browser/staff-entry.mjs through playwright-core) signs in in French and
# in Arabic, enters an on-time paper reply after the deadline that turns the
# outcome: refused without the reason of its late entry (the page says so in
# its language, naming the field; the engine's English line in a <details>),
# recorded with it (the receipt gives the reason); then opens the pages of a
# consultation whose reply row was changed behind ballot's back: refused in
# the page's language, and so do an administration's (its home page shows the
# damaged sentence in place of that consultation). No page is wider than the
# screen.
# Node and Chromium missing is a failure, never a skip (tests/deps.sh installs
# them as root). playwright-core is installed with `npm ci` into
# tests/browser/node_modules when missing; it never downloads a browser.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl sqlite3 perl

browser_ready
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
	if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$BROWSER_DIR" --ignore-scripts --no-audit \
		--no-fund >"$T/npm.log" 2>&1; then
		fail "npm ci --prefix tests/browser failed (is the npm registry reachable?)"
		diag "$(tail -n 20 "$T/npm.log")"
		done_testing
	fi
fi
trap 'serve_stop; _cleanup' EXIT
FORMS=$REPO/forms/portal
# without the embeddings of a placeholder's value in right-to-left text

# --- set-up: 205 past its deadline (Q.5051 may not proceed: 2 of 3), 206 open --------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-12-02 \
	--meeting-start 2020-06-02 --meeting-end 2020-06-11
expect_exit 0 ballot draft add --summary "A summary." --circular 206 --rec Q.6000 --title "Draft of 206"
at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5051 --not-authorize
expect_exit 0 ballot reply --circular 206 --member DEU --draft Q.6000 --not-authorize
expect_exit 0 ballot reply --circular 206 --member CHN --draft Q.6000 --authorize
CODE=$(new_code 206 CHN)
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs
# DEU's reply on 206 changed behind ballot's back
deu=$(sqlite3 "$BALLOT_DB" "SELECT r.id FROM replies r JOIN drafts d ON d.id = r.draft_id WHERE d.rec = 'Q.6000' AND r.member = 'DEU'")
trig=$(sqlite3 "$BALLOT_DB" "SELECT sql FROM sqlite_schema WHERE name = 'replies_append_only_u'")
sqlite3 "$BALLOT_DB" "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'authorize' WHERE id = $deu; $trig" ||
	fail "damaging DEU's reply on 206"

at 2020-02-24T09:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
SHOTS=${BALLOT_SCREENSHOTS:-$T/shots}
mkdir -p "$SHOTS"

browse() { # browse LANG MEMBER CHOICE REASON: sets B (the script's JSON)
	t0=$(date +%s)
	run timeout 180 node "$BROWSER_DIR/staff-entry.mjs" --url "$URL" --user tsb --password "$PW" --lang "$1" \
		--circular 205 --member "$2" --draft Q.5051 --choice "$3" --received 2020-02-20T10:00:00Z \
		--reason "$4" --visit /secretariat/c/206,/secretariat/c/206/replies.csv \
		--member-code "CHN:$CODE" --member-visit /member,/member/c/206,/member/history \
		--shots "$SHOTS/$1" --server-cert "$SRV_CERT" --chromium "$CHROMIUM"
	is "$RC" 0 "[$1] Chromium (JavaScript off, 390 px) entered $2's late reply twice and visited 206 ($(($(date +%s) - t0)) s)" ||
		diag "$ERR" "$(tail -n 5 "$T/serve.log")"
	B=$OUT
	jvalid "$B" || B='{}'
}
check_lang() { # check_lang LANG REASON
	local l=$1
	is "$(jget .label "$B")" "$(words "$l" late_entry_label)" "[$l] the entry form asks for the late entry's reason"
	is "$(jget .no_reason.status "$B")" 400 "[$l] without a reason: 400"
	is "$(jget .no_reason.error "$B" | plain)" "$(sentence "$l" fail_input late_entry_label)" \
		"  ... the page says to check the late entry's reason, in $l"
	is "$(jget .no_reason.field "$B")" late_entry_reason "  ... data-field late_entry_reason"
	is "$(jget .no_reason.details "$B")" "$(words "$l" fail_details)" "  ... the engine's line in a <details>"
	is "$(jget .no_reason.details_open "$B")" false "  ... closed until asked for"
	like "$(jget .no_reason.engine "$B")" '^late_entry_reason: .* changes the outcome shown since then' \
		"  ... which says what the entry would change"
	is "$(jget .with_reason.status "$B")" 303 "[$l] with a reason: recorded (303 to its receipt page)"
	like "$(jget .with_reason.late_entry "$B")" "$2" "  ... the receipt gives the reason"
	for i in 0 1; do
		is "$(jget ".visits[$i].status" "$B")" 503 "[$l] $(jget ".visits[$i].path" "$B") (206 damaged): 503"
		is "$(jget ".visits[$i].error" "$B")" "$(words "$l" fail_damaged)" "  ... the damaged sentence in $l"
		like "$(jget ".visits[$i].engine" "$B")" "the replies row $deu differs" "  ... naming the row"
	done
	is "$(jget ".visits[2].status" "$B")" 200 "[$l] CHN's home page (206 damaged): 200"
	is "$(jget ".visits[2].error" "$B")" "$(words "$l" fail_damaged)" "  ... the damaged sentence in $l in place of 206"
	for i in 3 4; do
		is "$(jget ".visits[$i].status" "$B")" 503 "[$l] $(jget ".visits[$i].path" "$B") (206 damaged): 503"
		is "$(jget ".visits[$i].error" "$B")" "$(words "$l" fail_damaged)" "  ... the damaged sentence in $l"
	done
	local w x
	w=0
	for x in .width .no_reason.width .with_reason.width '.visits[0].width' '.visits[1].width' '.visits[2].width' \
		'.visits[3].width' '.visits[4].width'; do
		x=$(jget "$x" "$B")
		[[ "$x" =~ ^[0-9]+$ ]] || x=9999
		[ "$x" -gt "$w" ] && w=$x
	done
	ok "[$l] no page is wider than the 390 px screen (widest: $w px)" test "$w" -le 390 ||
		diag "$(jjson '[.width, .no_reason.width, .with_reason.width, .visits]' "$B")"
	is "$(jget .stylesheet "$B")" 200 "[$l] the stylesheet loaded"
	is "$(jget .csp_violations "$B")" '[]' "[$l] no Content-Security-Policy violation"
	is "$(jget .console_errors "$B")" '[]' "[$l] no error in the console"
}

# French: CHN's on-time form turns Q.5051 to proceed (3 of 4)
browse fr CHN authorize "Formulaire arrivé par la poste le 20 février"
check_lang fr "Formulaire arrivé par la poste le 20 février"
# Arabic: ESP's turns it back (3 of 5)
browse ar ESP not-authorize "وصلت الاستمارة بالبريد في 20 فبراير"
check_lang ar "وصلت الاستمارة بالبريد في 20 فبراير"
ok "screenshots of every page ($SHOTS)" sh -c 'ls "$1"/fr/*.png "$1"/ar/*.png | wc -l | grep -qx 16' - "$SHOTS"

run ballot history --circular 205
like "$OUT" 'entered after the deadline: Formulaire arrivé par la poste le 20 février' "ballot history gives the French reason"
like "$OUT" 'entered after the deadline: وصلت الاستمارة بالبريد في 20 فبراير' "  ... and the Arabic one"
run ballot tally --circular 205 --json
is "$(jget '.drafts[0].replies')" 5 "tally: the two late entries are counted (5 replies)"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log")" "AddressSanitizer|LeakSanitizer|runtime error" "server log: no sanitizer report"
done_testing
