#!/usr/bin/env bash
# 74-status-pages.t - the portal's status pages and the secretariat's
# single-use tokens, with curl:
# - every HTTP-level answer (400, 403, 404, 405, 413, 415, 429) is a page in
#   the reader's language (?lang=, the lang cookie or Accept-Language, as
#   the other pages), titled in it, with its sentence and a link home; the
#   server's English line only inside the <details> for the secretariat;
#   no English status text ("Bad Request", "Not Found") on another
#   language's page; a sign-in refused (401, 403, 429) is the sign-in page
#   again with the name kept (never the secret) and the sentence next to
#   the field;
# - the secretariat's acts (codes issue and revoke, close, decide) carry a
#   single-use token: the same POST sent twice acts once and answers the
#   first outcome (303 to its page); a POST without a token is refused (409)
#   and changes nothing.
# The server runs on a fixed clock (BALLOT_NOW in its environment).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl sqlite3
trap 'serve_stop; _cleanup' EXIT
LANGS="en fr es ru zh ar"

expect_exit 0 ballot init
setup_205
at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --authorize
CODE=$(new_code 205 CHN)
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs
at 2020-02-24T09:00:00Z # after 205's deadline, before its meeting
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

# the page just read, without the <details> for the secretariat
outside_details() { perl -0777 -pe 's{<details class="engine">.*?</details>}{}gs' "$T/.body"; }
has() { perl -pe 's/&#39;/\x27/g; s/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g' "$T/.body" | grep -qF -- "$1"; }
# status_page STATUS KEY LANG DESC: the page just read is status STATUS, in LANG, saying KEY
status_page() {
	local st=$1 key=$2 l=$3 desc=$4
	is "$ST" "$st" "[$l] $desc: $st"
	like "$BODY" "<html lang=\"$l\" dir=\"$([ "$l" = ar ] && echo rtl || echo ltr)\">" "  ... a page in $l"
	ok "  ... titled in $l" has "<h1>$(words "$l" "status_$st")</h1>"
	ok "  ... saying why in $l" has "role=\"alert\" data-status=\"$st\">$(words "$l" "$key")</p>"
	ok "  ... with a link home" has "<p class=\"home\"><a href=\"/\">$(words "$l" home_link)</a></p>"
	if [ "$l" != en ]; then
		unlike "$(outside_details)" 'Bad Request|Not Found|Forbidden|Method Not Allowed|Content Too Large|Unsupported Media|Too Many Requests|request: |method: ' \
			"  ... no English and no internal words outside the secretariat's details"
	fi
}

signin_user tsb tsb "$PW"
is "$ST" 303 "the secretariat signs in"
signin chn CHN "$CODE"
is "$ST" 303 "CHN signs in"
get tsb /secretariat/c/205
TOK=$(csrf_of)
for l in $LANGS; do
	get - "/no/such/page?lang=$l"
	status_page 404 err_not_found "$l" "a page that does not exist"
	curl_l=(-H "Accept-Language: $l")
	get - /member -X DELETE "${curl_l[@]}"
	status_page 405 err_method "$l" "DELETE /member (Accept-Language: $l)"
	like "$(hdr Allow)" 'GET, HEAD' "  ... with the Allow header"
	get chn "/secretariat?lang=$l"
	status_page 403 err_role "$l" "an administration on the secretariat's page"
	post - "/signin?lang=$l" -H 'Content-Type: text/plain' --data-binary 'kind=member'
	status_page 415 err_bad_form "$l" "a sign-in body that is not a form"
	head -c 20000 /dev/zero | tr '\0' 'a' >"$T/big"
	post - "/signin?lang=$l" --data-binary "@$T/big"
	status_page 413 err_too_large "$l" "a sign-in form of 20 KB"
	post tsb "/signout?lang=$l" -F "csrf=$TOK" -F "signatory=$(printf 'A\001B')"
	status_page 400 err_bad_text "$l" "a control character in a field"
	like "$(classes engine-line)" '^signatory: not valid UTF-8 or has control characters$' "  ... the field named in the English line"
	post tsb "/signout?lang=$l" -F "csrf=$TOK" -F "attachment=@$T/big;filename=virus.exe"
	status_page 415 err_file_type "$l" "a file of a type not accepted"
done

# --- a form the server's own checks refuse is shown again, as the engine's refusals
for l in en ar zh; do
	act_post tsb "/secretariat/c/205?lang=$l" /secretariat/c/205/reply -F "csrf=$TOK" -F member=CHN -F choice=not-authorize \
		-F "signatory=$(printf 'A\001B')" -F "title=Head of delegation"
	is "$ST" 400 "[$l] the entry form with a control character in the signatory: 400"
	like "$BODY" '<div class="error-summary" id="error-summary"' "  ... the consultation's page again, a summary on top"
	ok "  ... saying why in $l" has "data-field=\"signatory\">$(words "$l" err_bad_text)</p>"
	like "$BODY" '<input type="text" id="signatory" name="signatory" maxlength="200" aria-invalid="true" aria-describedby="err-signatory" autofocus value="' \
		"  ... the field marked, with the focus"
	ok "  ... the sentence next to it" has "<p class=\"field-error\" id=\"err-signatory\">$(words "$l" err_bad_text)</p>"
	like "$BODY" '<option value="CHN" selected>' "  ... the member kept"
	like "$BODY" '<option value="not-authorize" selected>' "  ... the choice kept"
	like "$BODY" 'name="title" maxlength="200" value="Head of delegation">' "  ... the title kept"
	like "$(classes engine-line)" '^signatory: not valid UTF-8 or has control characters$' "  ... the English line for the secretariat"
	act_post tsb "/secretariat/c/205?lang=$l" /secretariat/c/205/reply -F "csrf=$TOK" -F member=CHN \
		-F "attachment=@$T/big;filename=virus.exe"
	is "$ST" 415 "[$l] the entry form with an .exe: 415"
	ok "  ... the form again, saying why in $l next to the file" \
		has "<p class=\"field-error\" id=\"err-attachment\">$(words "$l" err_file_type)</p>"
	ok "  ... and that files must be chosen again" has "<p class=\"files-again\">$(words "$l" err_files_again)</p>"
	like "$(once_in /secretariat/c/205/reply)" '^[0-9a-f]{64}$' "  ... with a new single-use token"
	isnt "$(once_in /secretariat/c/205/reply)" "$ACT_ONCE" "  ... not the one sent"
done
# the language of the cookie
get - "/signin?lang=ru" -c "$T/ru.jar"
get - /nope -b "$T/ru.jar"
status_page 404 err_not_found ru "the lang cookie's language"

# --- the sign-in form refused: the same page, the name kept, never the secret
signin wrong CHN "ABCDE-FGHJK-MNPQR-STVWX-YZ012"
is "$ST" 401 "a wrong code: 401"
like "$BODY" '<input id="member" name="member" type="text" autocomplete="username" required value="CHN">' \
	"  ... the sign-in page again, the member kept"
unlike "$BODY" 'ABCDE-FGHJK' "  ... never the code"
like "$BODY" '<input id="code" name="code" type="password" autocomplete="current-password" required aria-invalid="true" aria-describedby="err-code" autofocus>' \
	"  ... the code field marked, with the focus"
like "$BODY" "<p class=\"field-error\" id=\"err-code\">$(words en err_signin)</p>" "  ... the sentence next to it"
for i in 1 2 3 4 5; do signin wrong USA "ABCDE-FGHJK-MNPQR-STVWX-YZ01$i"; done
get wrong "/signin?lang=ar"
tok=$(csrf_of)
post wrong "/signin" --data-urlencode kind=member --data-urlencode "csrf=$tok" --data-urlencode member=USA \
	--data-urlencode "code=ABCDE-FGHJK-MNPQR-STVWX-YZ019"
is "$ST" 429 "[ar] the sixth wrong code in a row: 429"
like "$(hdr Retry-After)" '^[1-9][0-9]*$' "  ... with Retry-After"
like "$BODY" '<html lang="ar" dir="rtl">' "  ... the sign-in page in Arabic"
like "$BODY" 'value="USA"' "  ... the member kept"
like "$BODY" "<p class=\"field-error\" id=\"err-code\">$(words ar err_signin_wait)</p>" "  ... the wait said next to the code"
post wrong "/signin?lang=zh" --data-urlencode kind=member --data-urlencode "csrf=$(printf '%064d' 7)" \
	--data-urlencode member=CHN --data-urlencode "code=$CODE"
is "$ST" 403 "[zh] a sign-in form older than its cookie: 403"
ok "  ... the sign-in page again, in Chinese, saying why" has "<p class=\"error\" role=\"alert\">$(words zh err_csrf)</p>"
is "$(cookies_set __Host-session)" "" "  ... no session"

# --- the secretariat's acts: the same POST twice acts once --------------------
events() { sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE kind = '$1'"; }
n_issue=$(events codes-issue)
act_post tsb /secretariat/c/205 /secretariat/c/205/codes/issue -F "csrf=$TOK" -F member=FRA
first="$ST $(hdr Location)"
like "$first" '^303 /secretariat/c/205/codes/new\?t=[0-9a-f]{32}$' "a code issued for FRA: 303 to the page that shows it"
post tsb /secretariat/c/205/codes/issue -F "csrf=$TOK" -F member=FRA -F "once=$ACT_ONCE"
is "$ST $(hdr Location)" "$first" "  ... the same POST again: the same 303"
is "$(events codes-issue)" "$((n_issue + 1))" "  ... one code issued (one event)"
before=$(db_sum)
post tsb "/secretariat/c/205/codes/issue?lang=fr" -F "csrf=$TOK" -F member=FRA
is "$ST" 409 "  ... a POST without its token: 409"
ok "  ... saying so in the page's language" has "$(words fr err_once_unknown)"
is "$(db_sum)" "$before" "  ... and changes nothing"

n=$(events codes-revoke)
act_post tsb "/secretariat/c/205/codes/revoke?member=FRA" /secretariat/c/205/codes/revoke -F "csrf=$TOK" -F member=FRA
is "$ST $(hdr Location)" "303 /secretariat/c/205#codes" "FRA's code revoked: 303"
post tsb /secretariat/c/205/codes/revoke -F "csrf=$TOK" -F member=FRA -F "once=$ACT_ONCE"
is "$ST $(hdr Location)" "303 /secretariat/c/205#codes" "  ... the same POST again: the first outcome, not 'none in force'"
is "$(events codes-revoke)" "$((n + 1))" "  ... revoked once"

act_post tsb /secretariat/c/205/close /secretariat/c/205/close -F "csrf=$TOK"
is "$ST $(hdr Location)" "303 /secretariat/c/205" "205 closed: 303"
post tsb /secretariat/c/205/close -F "csrf=$TOK" -F "once=$ACT_ONCE"
is "$ST $(hdr Location)" "303 /secretariat/c/205" "  ... the same POST again: the first outcome, not 'closed already'"
is "$(events close)" 1 "  ... closed once"
serve_stop

at 2020-03-05T10:00:00Z
serve_start "$T/serve2.log" || { echo "Bail out! the server did not start again"; exit 1; }
signin_user tsb tsb "$PW"
get tsb /secretariat/c/205
TOK=$(csrf_of)
act_post tsb "/secretariat/c/205/decide?draft=Q.5051&kind=approved" /secretariat/c/205/decide \
	-F "csrf=$TOK" -F draft=Q.5051 -F kind=approved
is "$ST $(hdr Location)" "303 /secretariat/c/205#decision" "the decision on Q.5051: 303"
post tsb /secretariat/c/205/decide -F "csrf=$TOK" -F draft=Q.5051 -F kind=approved -F "once=$ACT_ONCE"
is "$ST $(hdr Location)" "303 /secretariat/c/205#decision" "  ... the same POST again: the first outcome, not 'decided already'"
is "$(events decision)" 1 "  ... decided once"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log" "$T/serve2.log")" 'Sanitizer|runtime error' "no sanitizer report"
done_testing
