#!/usr/bin/env bash
# 29-sec-sessions.t - no one can sign anyone else out by opening sessions
# (issue 14, finding 5), with the real `ballot serve`:
#   - 30 000 requests without a cookie that present a registered client
#     certificate (more than the 16 384 sessions the portal keeps) leave the
#     secretariat's and a member's sessions alive; they all share the
#     certificate's one session (one CSRF token);
#   - one identity's sign-ins beyond its cap (10) end its own oldest session,
#     never another identity's;
#   - signing out still ends the session.
# (A table full of live sessions refuses a new one with 503 instead of
# evicting one: tests/unit/test_portal_tables.c.)
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl /usr/bin/python3 perl
trap 'serve_stop; _cleanup' EXIT

unset BALLOT_NOW
ballot init >/dev/null
open_now 205
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 --title "A draft" --summary "A summary."
CHN=$(new_code 205 CHN)
DEU=$(new_code 205 DEU)
PW="correct horse battery staple"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs
expect_exit 0 ballot certs issue --member FRA --ca "$T/ca"
export CA_PEM
FRA=(--cert "$T/ca/client-FRA.pem" --key "$T/ca/client-FRA-key.pem")
serve_start "$T/serve.log" --client-ca "$CA_PEM" || {
	echo "Bail out! ballot serve did not start"
	exit 1
}
export PORT
sc() { /usr/bin/python3 "$E2E/signin-client.py" "$@"; }

signin_user staff tsb "$PW"
is "$ST" 303 "the secretariat signs in"
signin chn CHN "$CHN"
is "$ST" 303 "CHN signs in with its code"
get staff /secretariat
is "$ST" 200 "  ... the secretariat's page"
get chn /member
is "$ST" 200 "  ... CHN's page"

# --- 30 000 cookie-less certificate requests ------------------------------------------
N=${SESSION_FLOOD:-30000}
t0=$(date +%s.%N)
r=$(sc certget "$N" "$T/ca/client-FRA.pem" "$T/ca/client-FRA-key.pem" /static/style.css)
diag "$N requests of /static/style.css with FRA's certificate and no cookie: $(printf '%s' "$r" | tr '\n' ' ')($(perl -e "printf '%.1f', $(date +%s.%N) - $t0") s)"
like "$r" "^200=$N\$" "$N cookie-less requests with a registered certificate: all 200"
get staff /secretariat
is "$ST" 200 "  ... the secretariat is still signed in"
get chn /member
is "$ST" 200 "  ... CHN is still signed in"
r=$(sc certget 20 "$T/ca/client-FRA.pem" "$T/ca/client-FRA-key.pem" /member)
like "$r" '^200=20$' "FRA's certificate still opens its pages"
like "$r" 'csrf 1$' "  ... all in one session: one CSRF token over 20 cookie-less requests ($(printf '%s' "$r" | tail -n 1))"
get fra /member "${FRA[@]}"
tok=$(jar_value fra __Host-session)
csrf=$(csrf_of)
get fra /member "${FRA[@]}"
is "$ST" 200 "  ... the certificate's cookie works"
is "$(csrf_of)" "$csrf" "  ... in the same session"

# --- the cap per identity ------------------------------------------------------------------
signin deu DEU "$DEU"
is "$ST" 303 "DEU signs in"
for i in $(seq 1 11); do
	signin "c$i" CHN "$CHN"
	[ "$ST" = 303 ] || diag "CHN sign-in $i: $ST"
done
get chn /member
is "$ST" 303 "11 more sign-ins of CHN (its cap is 10 sessions): its oldest session has ended"
is "$(hdr Location)" /signin "  ... (to /signin)"
get c1 /member
is "$ST" 303 "  ... and so has the next oldest"
live=0
for i in $(seq 2 11); do
	get "c$i" /member
	[ "$ST" = 200 ] && live=$((live + 1))
done
is "$live" 10 "  ... its 10 newest are live"
get deu /member
is "$ST" 200 "  ... DEU's session is untouched"
get staff /secretariat
is "$ST" 200 "  ... and so is the secretariat's"

# --- signing out ------------------------------------------------------------------------------
get c5 /member
post c5 /signout --data-urlencode "csrf=$(csrf_of)"
is "$ST" 303 "signing out: 303"
get c5 /member
is "$ST" 303 "  ... the session has ended"
get c6 /member
is "$ST" 200 "  ... CHN's other sessions go on"
get fra /member "${FRA[@]}"
post fra /signout "${FRA[@]}" --data-urlencode "csrf=$(csrf_of)"
is "$ST" 303 "a certificate's session signs out too"
get fra /member "${FRA[@]}"
is "$ST" 200 "  ... and the certificate opens a new one"
isnt "$(csrf_of)" "$csrf" "  ... (a new CSRF token)"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
unlike "$(cat "$T/serve.log")" "AddressSanitizer|LeakSanitizer|runtime error" "no sanitizer report"
done_testing
