#!/usr/bin/env bash
# 73-form-errors-browser.t - a refused reply in a real browser (headless
# Chromium, tests/browser/refused.mjs): the portal answers the same form
# again (400), in the page's language, with every choice and text kept, a
# summary on top linking to the field, the sentence next to the file field
# it names (aria-invalid, aria-describedby, the focus), a plain sentence that
# files must be chosen again, a new single-use token, and nothing wider than
# the screen; an .exe as the comments (refused by the server's own check,
# 415) gets the same form again; attaching the comments and sending again
# records the reply.
# In en, ar and zh, JavaScript on (1280 px) and off (390 px); the
# screenshots are in $BALLOT_SHOTS (default: the test's temporary dir).
# Node and Chromium missing is a failure, never a skip (tests/deps.sh).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl sqlite3 perl
browser_ready

trap 'serve_stop; _cleanup' EXIT
unset BALLOT_NOW
ballot init >/dev/null
open_now 205
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5051 --title "First draft"
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "Second draft"
CODE=$(new_code 205 CHN)
like "$CODE" '^[0-9A-Z-]{29}$' "a reply code for CHN"
dev_certs
printf '%%PDF-1.4\n%% comments of China\n%%%%EOF\n' >"$T/comments.pdf"
printf 'MZ\220\000 not a document\n' >"$T/tool.exe"
serve_start "$T/serve.log" || { echo "Bail out! ballot serve did not start"; exit 1; }

RUNS="en:on:1280,en:off:390,ar:on:1280,ar:off:390,zh:on:1280,zh:off:390"
SHOTS=${BALLOT_SHOTS:-$T/shots}
mkdir -p "$SHOTS"
run timeout 300 node "$BROWSER_DIR/refused.mjs" --url "$URL" --member CHN --code "$CODE" --circular 205 \
	--file "$T/comments.pdf" --exe "$T/tool.exe" --runs "$RUNS" --server-cert "$SRV_CERT" --shots "$SHOTS" --chromium "$CHROMIUM"
is "$RC" 0 "Chromium ran every step" || diag "$ERR" "$(tail -n 5 "$T/serve.log")"
B=$OUT
jvalid "$B" || B='{}'
i=0
for r in ${RUNS//,/ }; do
	IFS=: read -r l js w <<<"$r"
	g() { jget ".runs[$i].$1" "$B"; }
	t="[$l, JavaScript $js, $w px]"
	is "$(g status)" 400 "$t the refused reply: 400"
	is "$(g path)" /member/c/205/reply "$t ... the same form again, not another page"
	is "$(g checked1) $(g checked2)" "authorize-with-comments not-authorize" "$t ... both choices kept"
	is "$(g signatory)" "$(jget .signatory "$B")" "$t ... the signatory kept"
	is "$(g title)" "$(jget .title "$B")" "$t ... the title kept"
	is "$(g summary_title)" "$(words "$l" fail_title_input)" "$t ... a summary on top, titled in $l"
	is "$(g summary | plain)" "$(sentence "$l" fail_input file_label)" "$t ... saying in $l to check the file field"
	is "$(g reason) $(g field)" "input attachment" "$t ... its reason and field"
	is "$(g to_field)" "#file-1" "$t ... linking to the field"
	is "$(g note | plain)" "$(sentence "$l" fail_input file_label)" "$t ... the sentence next to the first draft's file"
	is "$(g note_next)" true "$t ... just before the field, in its draft's fieldset"
	is "$(g file1_invalid) $(g file1_describedby)" "true err-file-1" "$t ... the field aria-invalid, described by it"
	is "$(g focus)" file-1 "$t ... and focused"
	is "$(g files_again)" "$(words "$l" err_files_again)" "$t ... files must be chosen again, said in $l"
	like "$(g once)" '^[0-9a-f]{64}$' "$t ... a single-use token on the form"
	isnt "$(g once)" "$(g once_before)" "$t ... a new one"
	is "$(g dir)" "$([ "$l" = ar ] && echo rtl || echo ltr)" "$t ... the page's direction"
	w_got=$(g width)
	ok "$t ... fits $w px ($w_got)" test "${w_got:-9999}" -le "$w"
	is "$(g exe_status)" 415 "$t then an .exe as the comments: 415"
	is "$(g exe.checked1) $(g exe.checked2) $(g exe.signatory)" "authorize-with-comments not-authorize $(jget .signatory "$B")" \
		"$t ... the same form again, choices and texts kept"
	is "$(g exe.note | plain)" "$(words "$l" err_file_type)" "$t ... saying in $l next to the file that its type is not accepted"
	is "$(g exe.focus)" file-1 "$t ... the file field focused"
	is "$(g again)" 303 "$t the comments attached and sent again: 303"
	like "$(g again_path)" '^/member/sent/[0-9]+,[0-9]+$' "$t ... to the receipts of both drafts"
	i=$((i + 1))
done
run ballot history --circular 205 --member CHN --json
is "$(jcol . kind | grep -c '^reply$')" 12 "ballot history: the two replies of each run, none of a refused sending"
is "$(jget .console_errors "$B") $(jget .csp_violations "$B")" '[] []' "no error in the console, no CSP violation"
diag "screenshots: $SHOTS"
serve_stop
unlike "$(cat "$T/serve.log")" 'Sanitizer|runtime error' "no sanitizer report"
done_testing
