#!/usr/bin/env bash
# 64-staff-import-browser.t - the staff import and publish pages, and the member pages that changed, in headless Chromium at 390 px
# (issue 15): an administration's receipt (with its "Receipt (PDF)" link),
# history and consultation page (the draft's text link), and the
# secretariat's import and publish pages and a published bundle's page, in
# en, ar and zh, JavaScript off (and on in en): none wider than the screen.
# The secretariat imports a TSV through the browser in each language: the
# check's preview no wider than the screen, the confirmation double-clicked
# (one import: the single-use token), then the consultation's page.
# Screenshots in $BALLOT_SCREENSHOTS (default: the temp dir). Node and
# Chromium missing is a failure, never a skip (tests/deps.sh).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl

BROWSER_DIR=$REPO/tests/browser
CHROMIUM=${BALLOT_CHROMIUM:-/usr/bin/chromium}
missing=""
command -v node >/dev/null 2>&1 || missing="$missing node (package nodejs)"
[ -x "$CHROMIUM" ] || missing="$missing $CHROMIUM (package chromium)"
[ -d "$BROWSER_DIR/node_modules/playwright-core" ] ||
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$BROWSER_DIR" --ignore-scripts --no-audit --no-fund \
		>"$T/npm.log" 2>&1 || missing="$missing playwright-core (npm ci --prefix tests/browser)"
if [ -n "$missing" ]; then
	fail "browser test prerequisites:$missing are missing; as root run sh tests/deps.sh"
	done_testing
fi
SHOTS=${BALLOT_SCREENSHOTS:-$T/shots}
trap 'serve_stop; _cleanup' EXIT

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
printf 'The text of draft Q.5052.\n' >"$T/q5052.txt"
expect_exit 0 ballot draft add --summary "Second." --circular 205 --rec Q.5052 --title "Second draft" --text "$T/q5052.txt"
at 2020-02-10T12:00:00Z
printf 'Comments of Switzerland.\n' >"$T/che.txt"
expect_exit 0 ballot reply --circular 205 --member CHE --draft Q.5051 --authorize --comments "$T/che.txt" \
	--signatory "Jean Müller"
CODE=$(new_code 205 CHE)
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin_user tsb tsb "$PW"
get tsb /secretariat/c/205/publish
post tsb /secretariat/c/205/publish --data-urlencode "csrf=$(csrf_of)" --data-urlencode "once=$(once_of)"
BUNDLE=$(hdr Location)
like "$BUNDLE" '^/secretariat/bundle/' "a bundle published ($BUNDLE)"
replies() { ballot history --circular 205 --json | perl -MJSON::PP -0777 -ne 'print scalar @{decode_json($_)}'; }

browse() { # browse WHO LANG JS PATHS CREDENTIALS...
	local who=$1 l=$2 js=$3 paths=$4 i n w p
	shift 4
	run timeout 180 node "$BROWSER_DIR/pages.mjs" --url "$URL" --lang "$l" --js "$js" --visit "$paths" \
		--shots "$SHOTS/$who-$l-js-$js" --server-cert "$SRV_CERT" --chromium "$CHROMIUM" "$@"
	is "$RC" 0 "[$l js $js] Chromium at 390 px visits the $who's pages" || diag "$ERR"
	B=$OUT
	jvalid "$B" || B='{"visits":[]}'
	n=$(printf '%s\n' "$paths" | tr ',' '\n' | wc -l)
	for ((i = 0; i < n; i++)); do
		p=$(jget ".visits[$i].path" "$B")
		is "$(jget ".visits[$i].status" "$B")" 200 "[$l js $js] $p: 200"
		w=$(jget ".visits[$i].width" "$B")
		[[ "$w" =~ ^[0-9]+$ ]] || w=9999
		ok "[$l js $js] $p: scrollWidth $w <= 390" test "$w" -le 390
	done
	is "$(jget .csp_violations "$B")" '[]' "[$l js $js] no Content-Security-Policy violation"
}
MEMBER_PAGES=/member/receipt/1,/member/history,/member/c/205
STAFF_PAGES=/secretariat/c/205,/secretariat/c/205/import,/secretariat/c/205/publish,$BUNDLE
for l in en ar zh; do
	browse member "$l" off "$MEMBER_PAGES" --member "CHE:$CODE"
	browse secretariat "$l" off "$STAFF_PAGES" --user tsb --password "$PW"
done
browse member en on "$MEMBER_PAGES" --member "CHE:$CODE"

# --- the import through the browser, one per language ---------------------------------
printf 'Comments of Brazil.\n' >"$T/BRA-comments.txt"
declare -A WHO=([en]=AUS [ar]=BRA [zh]=CAN)
for l in en ar zh; do
	before=$(replies)
	m=${WHO[$l]}
	printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\n' >"$T/$l.tsv"
	if [ "$m" = BRA ]; then
		printf '%s\tQ.5051\tauthorize-with-comments\t2020-01-20T14:30:00Z\temail\tBRA-comments.txt\n' "$m" >>"$T/$l.tsv"
	else
		printf '%s\tQ.5051\tauthorize\t2020-01-20T14:30:00Z\tfax\t\n' "$m" >>"$T/$l.tsv"
	fi
	js=off
	[ "$l" = en ] && js=on
	run timeout 180 node "$BROWSER_DIR/staff-import.mjs" --url "$URL" --lang "$l" --js "$js" --user tsb \
		--password "$PW" --circular 205 --tsv "$T/$l.tsv" --files "$T/BRA-comments.txt" \
		--shots "$SHOTS/import-$l" --server-cert "$SRV_CERT" --chromium "$CHROMIUM"
	is "$RC" 0 "[$l js $js] Chromium imports a TSV: the form, the check, the confirmation" || diag "$ERR"
	B=$OUT
	jvalid "$B" || B='{"visits":[]}'
	for i in 0 1 2; do
		w=$(jget ".visits[$i].width" "$B")
		[[ "$w" =~ ^[0-9]+$ ]] || w=9999
		is "$(jget ".visits[$i].status" "$B")" 200 "[$l] $(jget ".visits[$i].name" "$B"): 200"
		ok "[$l] $(jget ".visits[$i].name" "$B"): scrollWidth $w <= 390" test "$w" -le 390
	done
	like "$(jget .after "$B")" '/secretariat/c/205(#replies)?$' "[$l] after the confirmation: the consultation's page"
	is "$(replies)" "$((before + 1))" "[$l] the confirmation double-clicked: one reply recorded ($m)"
done
serve_stop
is "$SRV_RC" 0 "the server stops cleanly (exit 0)"
diag "screenshots: $SHOTS"
done_testing
