#!/usr/bin/env bash
# 61-once-browser.t - exactly-once submission in a real browser:
# headless Chromium (tests/browser/once.mjs through playwright-core), with
# JavaScript on and off, double-clicks "Send" on the reply form, reloads the
# receipt page, goes Back and Forward: one reply in `ballot history` each
# time, the POST answered 303 and the browser on /member/sent/ID; the receipt
# page fits 390 px in en, ar and zh.
# Node and Chromium missing is a failure, never a skip (tests/deps.sh).
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
CODE=$(new_code 205 CHN)
like "$CODE" '^[0-9A-Z-]{29}$' "a reply code for CHN"
dev_certs
serve_start "$T/serve.log" || {
	echo "Bail out! ballot serve did not start"
	exit 1
}
replies() {
	run ballot history --circular 205 --member CHN --json
	jcol . kind | grep -c '^reply$'
}

SHOTS=${BALLOT_SHOTS:-$T/shots}
mkdir -p "$SHOTS"
run timeout 180 node "$BROWSER_DIR/once.mjs" --url "$URL" --member CHN --code "$CODE" --circular 205 \
	--server-cert "$SRV_CERT" --shots "$SHOTS" --chromium "$CHROMIUM"
is "$RC" 0 "Chromium ran every step" || diag "$ERR" "$(tail -n 5 "$T/serve.log")"
B=$OUT
jvalid "$B" || B='{}'
diag "$(jjson . "$B")"
printf '# the browser saw: %s\n' "$(jjson . "$B" | tr -d '\n')" >&2 # in make check's log too
for m in js nojs; do
	like "$(jget .$m.posts "$B")" '^\[303(,303)?\]$' "[$m] the double click: every POST answered 303"
	like "$(jget .$m.url "$B")" '^/member/sent/[0-9]+$' "[$m] the browser is on the receipt page"
	is "$(jget ".$m.reply_ids" "$B")" "[\"${OUT_ID:-$(jget .$m.url "$B" | sed 's,.*/,,')}\"]" "[$m] one receipt, of the reply in its path"
	is "$(jget .$m.reload "$B")" 200 "[$m] reload of the receipt page: 200"
	is "$(jget .$m.reload_method "$B")" GET "[$m] ... by GET (nothing sent again)"
	is "$(jget .$m.back "$B")" /member/c/205 "[$m] Back: the form"
	isnt "$(jget .$m.back_method "$B")" POST "[$m] ... never a POST again"
	is "$(jget .$m.forward "$B")" "$(jget .$m.url "$B")" "[$m] Forward: the receipt page again"
done
diag "POSTs of the reply form the server received: $(grep -c 'POST /member/c/205/reply' "$T/serve.log") (a double click may be one or two)"
is "$(replies)" 2 "ballot history: one reply per run (JavaScript on, off)"
for l in en ar zh; do
	w=$(jget .widths.$l "$B")
	ok "[$l] the receipt page fits 390 px ($w)" test "${w:-999}" -le 390
done
is "$(jget .console_errors "$B")" '[]' "no error in the console"
unlike "$(cat "$T/serve.log")" 'Sanitizer|runtime error' "no sanitizer report"

done_testing
