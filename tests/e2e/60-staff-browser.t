#!/usr/bin/env bash
# 60-staff-browser.t - the secretariat's irreversible acts driven in
# headless Chromium (tests/browser/staff-acts.mjs through playwright-core) on
# a 390 px wide screen, in en, ar and zh with JavaScript off and in en with it
# on: on its own consultation each time, revoke a reply code (confirmed),
# close (confirmation page with the tally, a button naming the act), record
# the plenary's decision (form, confirmation with the decision's text). Every
# page fits 390 px (document.documentElement.scrollWidth); each act lands back
# on the consultation's page (303), and the command line sees what was done.
# Screenshots go to $BALLOT_SCREENSHOTS (else the test's temp dir).
# Node and Chromium missing is a failure, never a skip.
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
fill() { # fill TEXT NAME VALUE...: placeholders expanded
	local t=$1
	shift
	while [ $# -ge 2 ]; do
		t=${t//\{$1\}/$2}
		shift 2
	done
	printf '%s\n' "$t"
}

# --- set-up: one consultation per run, each past its deadline ----------------
expect_exit 0 ballot init
RUNS="en:off:301 ar:off:302 zh:off:303 en:on:304"
for r in $RUNS; do
	c=${r##*:}
	at 2019-12-02T12:00:00Z
	expect_exit 0 ballot consultation create --circular "$c" --group 11 --date 2019-12-02 \
		--meeting-start 2020-03-04 --meeting-end 2020-03-13
	expect_exit 0 ballot draft add --summary "A summary." --circular "$c" --rec "Q.${c}1" --title "Draft of $c"
	expect_exit 0 ballot draft add --summary "A summary." --circular "$c" --rec "Q.${c}2" \
		--title "A second draft of $c, with a rather long title to see it wrap on a narrow screen"
	at 2020-02-10T12:00:00Z
	for m in AUS BRA CHN; do
		expect_exit 0 ballot reply --circular "$c" --member "$m" --draft "Q.${c}1" --authorize
	done
	expect_exit 0 ballot reply --circular "$c" --member DEU --draft "Q.${c}2" --not-authorize
	expect_exit 0 ballot codes issue --circular "$c" --member CHE
done
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs

at 2020-03-05T10:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
SHOTS=${BALLOT_SCREENSHOTS:-$T/shots}

for r in $RUNS; do
	l=${r%%:*} js=${r#*:} js=${js%%:*} c=${r##*:}
	mkdir -p "$SHOTS/$l-js-$js"
	t0=$(date +%s)
	run timeout 180 node "$BROWSER_DIR/staff-acts.mjs" --url "$URL" --user tsb --password "$PW" --lang "$l" \
		--circular "$c" --draft "Q.${c}1" --revoke CHE --reservation "CHE: reserves its position" --js "$js" \
		--shots "$SHOTS/$l-js-$js" --server-cert "$SRV_CERT" --chromium "$CHROMIUM"
	is "$RC" 0 "[$l, JavaScript $js] Chromium revoked, closed and decided on $c ($(($(date +%s) - t0)) s)" ||
		diag "$ERR" "$(tail -n 5 "$T/serve.log")"
	B=$OUT
	jvalid "$B" || B='{}'
	n=$(jlen .steps "$B")
	is "$n" 8 "  ... eight pages"
	for i in $(seq 0 $((n - 1))); do
		name=$(jget ".steps[$i].name" "$B")
		is "$(jget ".steps[$i].status" "$B")" 200 "  ... $name: 200"
		w=$(jget ".steps[$i].width" "$B")
		ok "  ... $name fits 390 px (scrollWidth $w)" test "$w" -le 390
	done
	is "$(jget '.steps[0].dir' "$B")" "$([ "$l" = ar ] && echo rtl || echo ltr)" "  ... direction of $l"
	is "$(jget .replies_rows "$B")" 4 "  ... who replied what: 4 rows"
	like "$(jget .stacked_label "$B")" "$(words "$l" col_member)" "  ... stacked rows show each cell's label"
	is "$(jget .close_button_class "$B")" danger "  ... the close button is styled as dangerous"
	is "$(jget .close_button "$B")" "$(words "$l" close_button)" "  ... in $l"
	for i in 2 4 7; do
		p=$(jget ".steps[$i].path" "$B")
		is "$p" "/secretariat/c/$c" "  ... after $(jget ".steps[$i].name" "$B"): back on the consultation's page"
	done
	is "$(jget .revoked "$B")" 1 "  ... CHE's code revoked"
	is "$(jget '.confirm_buttons[0]' "$B" | plain)" "$(fill "$(words "$l" codes_revoke_button)" member CHE)" \
		"  ... by a button naming the act"
	is "$(jget .frozen_drafts "$B")" 2 "  ... the close confirmation shows both drafts' tallies"
	is "$(jget '.confirm_buttons[1]' "$B" | plain)" "$(fill "$(words "$l" close_confirm_button)" circular "$c")" \
		"  ... and a button naming the act"
	is "$(jget .closed_section_after "$B")" false "  ... closed: no close section any more"
	is "$(jget .decision_text "$B" | plain)" \
		"$(fill "$(words "$l" decide_text_reservations)" rec "Q.${c}1" members 'CHE (reserves its position)')" \
		"  ... the decision's text, in $l"
	is "$(jget '.confirm_buttons[2]' "$B" | plain)" "$(fill "$(words "$l" decide_confirm_button)" rec "Q.${c}1")" \
		"  ... a button naming the act"
	is "$(jget .csp_violations "$B")" "[]" "  ... no Content-Security-Policy violation"
	run ballot history --circular "$c" --json
	is "$(jwhere . kind close recorded_by)" portal:tsb "  ... history: closed by portal:tsb"
	is "$(jwhere . kind decision what)" approved "  ... history: Q.${c}1 approved"
	run ballot codes list --circular "$c" --json
	like "$OUT" '"member":"CHE","state":"revoked"' "  ... codes list: CHE's code revoked"
done
serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
done_testing
