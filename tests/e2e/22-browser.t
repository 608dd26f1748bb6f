#!/usr/bin/env bash
# 22-browser.t - a real browser replies on the portal: headless Chromium
# (Debian's /usr/bin/chromium, driven by tests/browser/reply.mjs through
# playwright-core) signs in with a reply code, ticks "authorize with comments"
# for the first draft, attaches a comments file, signs and sends; the receipt
# it read must match what `ballot tally` and `ballot history` then show.
# Node and Chromium missing is a failure, never a skip (tests/deps.sh installs
# them as root). playwright-core is installed with `npm ci` into
# tests/browser/node_modules when missing; it never downloads a browser.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl sqlite3 perl

browser_ready

trap 'serve_stop; _cleanup' EXIT

# --- set-up: circular 205 open by the real clock, a code for CHN, the dev CA ------
unset BALLOT_NOW
ballot init >/dev/null
open_now 205
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title "Framework for combating the use of stolen mobile devices"
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5052 --title "Second draft"
CODE=$(new_code 205 CHN)
like "$CODE" '^[0-9A-Z-]{29}$' "a reply code for CHN"
dev_certs
printf '%%PDF-1.4\n%% comments of China on Q.5051\n%%%%EOF\n' >"$T/chn-comments.pdf"
run ballot tally --circular 205 --json
support0=$(jget '.drafts[0].support')

serve_start "$T/serve.log" || {
	echo "Bail out! ballot serve did not start"
	exit 1
}
pass "server on 127.0.0.1:$PORT"

# --- the browser ------------------------------------------------------------------
SHOT=${BALLOT_SCREENSHOT:-$T/receipt.png}
t0=$(date +%s)
run timeout 120 node "$BROWSER_DIR/reply.mjs" --url "$URL" --member CN --code "$CODE" --circular 205 \
	--file "$T/chn-comments.pdf" --signatory "Li Wei" --title "Director-General" \
	--server-cert "$SRV_CERT" --screenshot "$SHOT" --chromium "$CHROMIUM"
is "$RC" 0 "Chromium signed in, replied and read the receipt ($(($(date +%s) - t0)) s)" || diag "$ERR" "$(tail -n 5 "$T/serve.log")"
B=$OUT
jvalid "$B" || B='{}'
R=$(jget .reply_id "$B")
like "$R" '^[0-9]+$' "receipt: reply number $R"
like "$(jget .sha256 "$B")" '^[0-9a-f]{64}$' "receipt: SHA-256"
is "$(jget .choice "$B")" authorize-with-comments "receipt: authorize-with-comments"
is "$(jget .draft "$B")" Q.5051 "receipt: the first draft, Q.5051"
like "$(jget .files "$B")" "chn-comments\.pdf.*$(sha256_of "$T/chn-comments.pdf")" "receipt: the file and its SHA-256"
like "$(jget .pages "$B")" '^\["GET /signin 200","POST /signin 303","GET /member 200","GET /member/c/205 200","POST /member/c/205/reply 303","GET /member/sent/[0-9]+ 200"\]$' \
	"the pages the browser went through (the reply POST: 303 to its receipt page)"
is "$(jget .stylesheet "$B")" 200 "the stylesheet loaded"
is "$(jget .csp_violations "$B")" '[]' "no Content-Security-Policy violation"
is "$(jget .console_errors "$B")" '[]' "no error in the console"
ok "a screenshot of the receipt (PNG)" sh -c 'head -c 8 "$1" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a"' - "$SHOT"

# --- what was recorded ----------------------------------------------------------------
run ballot tally --circular 205 --json
is "$(jget '.drafts[0].support')" "$((support0 + 1))" "tally: Q.5051 support went up by one"
is "$(jget '.drafts[0].authorize_with_comments')" 1 "tally: authorize_with_comments 1"
is "$(jget '.drafts[1].replies')" 0 "tally: Q.5052 untouched"
run ballot history --circular 205 --json
is "$(jlen .)" 1 "history: one reply"
SEQ=$(jget '.[0].seq')
is "$(sqlite3 "$BALLOT_DB" "SELECT json_extract(body, '\$.reply') FROM events WHERE seq = $SEQ")" "$R" \
	"history: the event carries the receipt's reply number"
is "$(sqlite3 "$BALLOT_DB" "SELECT body FROM events WHERE seq = $SEQ" | head -c -1 | sha256sum | cut -c1-64)" \
	"$(jget .sha256 "$B")" "history: the receipt's SHA-256 is the event's"
is "$(jget '.[0].member')" CHN "history: CHN (signed in as CN)"
is "$(jget '.[0].recorded_by')" portal:CHN "history: recorded by portal:CHN"
is "$(jget '.[0].channel')" portal "history: channel portal"
is "$(jget '.[0].attachments[0].name')" chn-comments.pdf "history: the attachment's name"
is "$(jget '.[0].attachments[0].sha256')" "$(sha256_of "$T/chn-comments.pdf")" "history: the attachment's SHA-256"
is "$(jget '.[0].signatory')" "Li Wei" "history: the signatory"
is "$(jget '.[0].received')" "$(jget .received "$B")" "history: received as on the receipt"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log")" "AddressSanitizer|LeakSanitizer|runtime error|$CODE" "server log: no sanitizer report, no code"
done_testing
