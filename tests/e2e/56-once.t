#!/usr/bin/env bash
# 56-once.t - exactly-once submission of the portal's reply forms
# and Post/Redirect/Get, driven with curl:
#
# - the administration's reply form and the secretariat's paper-reply entry
#   form each carry a single-use token ("once") bound to the session and the
#   form; a reply POST answers 303 to a GET receipt page (/member/sent/IDS,
#   /secretariat/sent/CIRCULAR/ID);
# - the same POST sent again (a reload after the POST, Back and send, a
#   double click: here twice in a row and twice at once) answers the same 303,
#   and `ballot history` holds one reply each time; reloading the receipt page
#   records nothing;
# - a POST whose sending was refused (nothing chosen) leaves its token usable;
# - a token is refused, translated, with nothing recorded, when it is missing,
#   unknown, of another form, of another session, replaced (more than 32 forms
#   opened in one session), or sent after a server restart (the session has
#   ended: "not signed in").
# The server runs on a fixed clock (BALLOT_NOW in its environment).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl

trap 'serve_stop; _cleanup' EXIT
FORMS=$REPO/forms/portal
words() { sed -n "s/^$2 = //p" "$FORMS/$1.txt"; }
# the page's error sentence, entities decoded
err_text() {
	perl -CSD -0777 -ne 'if (/<p class="error"[^>]*>(.*?)<\/p>/s) { my $t = $1; $t =~ s/&#39;/\x27/g;
		$t =~ s/&quot;/"/g; $t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&amp;/&/g; print "$t\n" }' "$T/.body"
}
replies_of() { # replies_of CIRC MEMBER: its replies and withdrawals in `ballot history`
	run ballot history --circular "$1" --member "$2" --json
	jcol . kind | grep -cE '^(reply|withdrawal)$'
}

# --- set-up -------------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "Another." --circular 205 --rec Q.5052 --title "Second draft"
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-12-02 \
	--meeting-start 2020-06-02 --meeting-end 2020-06-11
expect_exit 0 ballot draft add --summary "A summary." --circular 206 --rec Q.6000 --title "Draft of 206"
CODE=$(new_code 205 CHN)
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs
at 2020-01-15T09:00:00Z # 205 and 206 open
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

# --- the administration's reply form --------------------------------------------
signin chn CHN "$CODE"
is "$ST" 303 "CHN signs in: 303 (Post/Redirect/Get)"
get chn /member/c/205
is "$ST" 200 "GET /member/c/205: 200"
CSRF=$(csrf_of)
ONCE=$(once_of)
like "$ONCE" '^[0-9a-f]{64}$' "  ... the form carries a once token"
get chn /member/c/205
ONCE2=$(once_of)
isnt "$ONCE2" "$ONCE" "  ... a new one each time the form is shown"

send() { # send JAR CIRC ONCE ARGS...: the reply POST
	local jar=$1 circ=$2 once=$3
	shift 3
	post "$jar" "/member/c/$circ/reply" -F "csrf=$CSRF" -F "once=$once" "$@"
}
send chn 205 "$ONCE" -F choice-1=authorize -F choice-2=not-authorize -F "signatory=A. Person"
is "$ST" 303 "POST reply: 303"
LOC=$(hdr Location)
like "$LOC" '^/member/sent/[0-9]+,[0-9]+$' "  ... to the receipt page of both replies ($LOC)"
is "$BODY" "" "  ... with an empty body"
is "$(replies_of 205 CHN)" 2 "  ... ballot history: two replies (one a draft)"
send chn 205 "$ONCE" -F choice-1=authorize -F choice-2=not-authorize -F "signatory=A. Person"
is "$ST" 303 "the same POST again (reload, Back and send): 303"
is "$(hdr Location)" "$LOC" "  ... to the same receipt page"
is "$(replies_of 205 CHN)" 2 "  ... ballot history: still two replies"
send chn 205 "$ONCE" -F choice-1=withdraw
is "$(hdr Location)" "$LOC" "  ... a changed body under the spent token: the first outcome too"
is "$(replies_of 205 CHN)" 2 "  ... nothing recorded"

get chn "$LOC"
is "$ST" 200 "GET $LOC: 200"
is "$(grep -c '<section class="receipt" id="receipt-' "$T/.body")" 2 "  ... two receipts"
IDS=$(classes reply-id | paste -sd, -)
is "/member/sent/$IDS" "$LOC" "  ... of the reply numbers in its path"
like "$BODY" "$(words en receipt_intro)" "  ... says the reply was recorded"
get chn "$LOC"
is "$ST" 200 "reload of the receipt page: 200"
is "$(replies_of 205 CHN)" 2 "  ... nothing recorded"
get chn "/member/sent/${IDS%%,*},999999"
is "$ST" 403 "/member/sent/ with a reply number not its own: 403"
get chn "/member/sent/1,x"
is "$ST" 404 "/member/sent/1,x: 404"

# --- twice at once (a double click) -----------------------------------------------
for i in 1 2 3; do
	get chn /member/c/205
	O=$(once_of)
	curl -s -o /dev/null -w '%{http_code} %{redirect_url}\n' --cacert "$CA_PEM" -b "$T/chn.jar" \
		-F "csrf=$CSRF" -F "once=$O" -F choice-1=not-authorize "$URL/member/c/205/reply" >"$T/a$i" &
	P1=$!
	curl -s -o /dev/null -w '%{http_code} %{redirect_url}\n' --cacert "$CA_PEM" -b "$T/chn.jar" \
		-F "csrf=$CSRF" -F "once=$O" -F choice-1=not-authorize "$URL/member/c/205/reply" >"$T/b$i" &
	P2=$!
	wait "$P1" "$P2"
	like "$(cat "$T/a$i")" '^303 https://localhost:[0-9]+/member/sent/[0-9]+$' "double click $i: the first 303"
	is "$(cat "$T/b$i")" "$(cat "$T/a$i")" "  ... the second the same 303"
	is "$(replies_of 205 CHN)" $((2 + i)) "  ... one more reply in ballot history"
done

# --- a refused sending leaves the token usable -----------------------------------
get chn /member/c/205
O=$(once_of)
send chn 205 "$O"
is "$ST" 400 "POST with nothing chosen: 400"
like "$(cat "$T/.body")" '<code class="engine-line">choice: none made for any draft</code>' "  ... the engine's line names the field once"
unlike "$(cat "$T/.body")" 'choice: choice:' "  ... not twice"
send chn 205 "$O" -F choice-2=authorize
is "$ST" 303 "  ... the same token then sent with a choice: 303"
is "$(replies_of 205 CHN)" 6 "  ... recorded once"

# --- tokens refused -----------------------------------------------------------------
UNKNOWN=$(words en err_once_unknown)
send chn 205 "" -F choice-1=authorize
is "$ST" 409 "POST without a token: 409"
is "$(err_text)" "$UNKNOWN" "  ... says the form can no longer be sent, to check the history"
like "$BODY" 'href="/"' "  ... with a link home"
send chn 205 "$(printf '%064d' 7)" -F choice-1=authorize
is "$ST" 409 "POST with an unknown token: 409"
for l in ar zh fr; do
	send chn 205 "$(printf '%064d' 7)" -F choice-1=authorize -H "Accept-Language: $l"
	is "$(err_text)" "$(words $l err_once_unknown)" "  ... in $l"
done
is "$(replies_of 205 CHN)" 6 "  ... nothing recorded"
# another session of the same administration
signin chn2 CHN "$CODE"
get chn2 /member/c/205
O2=$(once_of)
CSRF2=$(csrf_of)
post chn /member/c/205/reply -F "csrf=$CSRF" -F "once=$O2" -F choice-1=authorize
is "$ST" 409 "a token of another session: 409"
post chn2 /member/c/205/reply -F "csrf=$CSRF2" -F "once=$O2" -F choice-1=authorize
is "$ST" 303 "  ... in its own session: 303"
is "$(replies_of 205 CHN)" 7 "  ... recorded once"
# replaced: at most 32 tokens per session
get chn /member/c/205
FIRST=$(once_of)
for i in $(seq 1 32); do get chn /member/c/205; done
LAST=$(once_of)
send chn 205 "$FIRST" -F choice-1=authorize
is "$ST" 409 "the token of a form opened 33 forms ago: 409 (replaced)"
send chn 205 "$LAST" -F choice-1=authorize
is "$ST" 303 "  ... the last one's: 303"
is "$(replies_of 205 CHN)" 8 "  ... recorded once"

# --- the secretariat's entry form -------------------------------------------------
signin_user tsb tsb "$PW"
is "$ST" 303 "tsb signs in: 303"
get tsb /secretariat/c/205
SCSRF=$(csrf_of)
SONCE=$(once_of)
like "$SONCE" '^[0-9a-f]{64}$' "the entry form carries a once token"
enter() { # enter CIRC ONCE
	post tsb "/secretariat/c/$1/reply" -F "csrf=$SCSRF" -F "once=$2" -F member=DEU -F draft=Q.5051 \
		-F choice=not-authorize -F channel=email -F "received=2020-01-14T10:00:00Z"
}
enter 205 "$SONCE"
is "$ST" 303 "POST the entry form: 303"
SLOC=$(hdr Location)
like "$SLOC" '^/secretariat/sent/205/[0-9]+$' "  ... to its receipt page ($SLOC)"
is "$(replies_of 205 DEU)" 1 "  ... ballot history: one reply of DEU"
enter 205 "$SONCE"
is "$(hdr Location)" "$SLOC" "the same POST again: 303 to the same page"
is "$(replies_of 205 DEU)" 1 "  ... still one reply"
get tsb "$SLOC"
is "$ST" 200 "GET $SLOC: 200"
is "$(grep -c '<section class="receipt" id="receipt-' "$T/.body")" 1 "  ... one receipt"
is "$(classes reply-id)" "${SLOC##*/}" "  ... of that reply number"
get tsb "/secretariat/sent/205/999999"
is "$ST" 404 "/secretariat/sent/205/999999: 404"
get tsb /secretariat/c/205
enter 206 "$(once_of)"
is "$ST" 409 "a token of 205's entry form sent to 206's: 409"
is "$(replies_of 206 DEU)" 0 "  ... nothing recorded"

# --- sign-out answers 303 -----------------------------------------------------------
post tsb /signout --data-urlencode "csrf=$SCSRF"
is "$ST" 303 "sign-out: 303"

# --- after a restart ----------------------------------------------------------------
get chn /member/c/205
O=$(once_of)
serve_stop
serve_start "$T/serve2.log" || { echo "Bail out! the server did not restart"; exit 1; }
send chn 205 "$O" -F choice-1=authorize
is "$ST" 403 "a form sent after a restart: 403 (the session ended with the server)"
is "$(err_text)" "$(words en err_signed_out)" "  ... says to sign in again"
is "$(replies_of 205 CHN)" 8 "  ... nothing recorded"
unlike "$(cat "$T/serve.log" "$T/serve2.log")" 'Sanitizer|runtime error' "no sanitizer report"

done_testing
