#!/usr/bin/env bash
# 43-portal-tsan.t - the threaded portal under ThreadSanitizer: `ballot serve`
# from build-tsan/ (make tsan; make check builds it) on a database with an
# open consultation, driven at once by the load generator (tests/bench/
# portal_load.c: members signing in, loading their status page, submitting
# replies over new TLS connections) and by curl clients in parallel (staff
# sign-ins and sign-outs, the secretariat's pages, downloads (the tally
# report's PDF among them) and signed receipts, the chair's page, sign-in
# failures that the throttle counts); then stopped. Any "WARNING:
# ThreadSanitizer" on its stderr fails, as does a server that did not run
# instrumented. No report is suppressed.
# The server runs on the real clock, as in tests/bench/portal.sh. The same
# TSan server runs in both passes of make check (BALLOT_BIN sets up the data).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl ldd sqlite3

TSAN_BIN=$REPO/build-tsan/ballot
LOAD=$REPO/build/portal_load
for f in "$TSAN_BIN" "$LOAD"; do
	[ -x "$f" ] || { echo "Bail out! no $f (make tsan builds it)"; exit 1; }
done
trap 'serve_stop; _cleanup' EXIT

# --- set-up (as tests/bench/portal.sh) ----------------------------------------
unset BALLOT_NOW
CIRC=990
CLIENTS=12
expect_exit 0 ballot init
open_now "$CIRC"
expect_exit 0 ballot draft add --circular "$CIRC" --rec Q.9901 --title "Load test draft" --summary "A summary."
ballot codes issue --circular "$CIRC" >"$T/all-codes.tsv" 2>/dev/null
head -n "$((CLIENTS + 1))" "$T/all-codes.tsv" >"$T/codes.tsv"
expect_exit 0 ballot config set replies_per_hour 1000000
# one reply by e-mail before, from a member the load generator does not play:
# the secretariat's receipt downloads below sign the newest reply's event
expect_exit 0 ballot reply --circular "$CIRC" --member "$(awk -F'\t' 'NR == 20 { print $1 }' "$T/all-codes.tsv")" \
	--draft Q.9901 --authorize --channel email
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
# (the API's documents are built on one connection the request threads share)
TOKEN=$(ballot tokens create --user tsb --scope write 2>/dev/null)
like "$TOKEN" '^bt_' "a write token for the load's API phase"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
dev_certs

# the server's binary is the ThreadSanitizer build (else this test proves
# nothing)
like "$(ldd "$TSAN_BIN")" 'libtsan' "build-tsan/ballot is linked with ThreadSanitizer's runtime"

export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 history_size=4"
BALLOT_BIN=$TSAN_BIN serve_start "$T/serve.log" --threads 4 ||
	{ echo "Bail out! the ThreadSanitizer server did not start: $(head -c 2000 "$T/serve.log")"; exit 1; }
SERVE_PID=$SRV_PID

# --- load ------------------------------------------------------------------
# The load generator: 12 members sign in, load /member over keep-alive
# connections, then submit replies (each over a new TLS connection).
"$LOAD" --port "$PORT" --ca "$CA_PEM" --codes "$T/codes.tsv" --circular "$CIRC" --clients "$CLIENTS" \
	--status-seconds 3 --status-paced-seconds 0 --submit-seconds 4 --submit-paced-seconds 0 \
	--status-after-seconds 1 --token "$TOKEN" --api-seconds 1 --ids "$T/acked" --server-pid "$SERVE_PID" >"$T/load.out" 2>&1 &
LOAD_PID=$!
# (the curl clients start at once: the load's twelve sign-ins in flight
# from this address beside the six failures below are not counted as
# failures of the address; the throttle counts attempts in flight per
# address and name only, throttle.c)

# Meanwhile, curl clients of their own (each its own cookie jar and files).
staff() { # staff N: a secretariat and a chair session, their pages, sign-out
	local T=$T/staff$1
	mkdir -p "$T"
	local n p csrf seq
	: >"$T/got"
	for n in 1 2 3; do
		rm -f "$T"/*.jar
		signin_user s tsb "$PW"
		echo "303 $ST POST /signin (tsb)" >>"$T/got"
		seq=$(sqlite3 -readonly "$BALLOT_DB" "SELECT max(event_seq) FROM replies")
		for p in /secretariat "/secretariat/c/$CIRC" "/secretariat/c/$CIRC/tally.json" \
			"/secretariat/c/$CIRC/replies.csv" "/secretariat/c/$CIRC/replies.json" \
			"/secretariat/c/$CIRC/report.pdf" "/secretariat/receipt/$seq.json"; do
			get s "$p" 2>/dev/null # (bash notes the PDF's NUL bytes in BODY)
			echo "200 $ST GET $p" >>"$T/got"
			[ "$p" != /secretariat ] || csrf=$(csrf_of)
		done
		signin_user c chair11 "$PW"
		echo "303 $ST POST /signin (chair11)" >>"$T/got"
		get c /chair
		echo "200 $ST GET /chair" >>"$T/got"
		post s /signout --data-urlencode "csrf=$csrf"
		echo "303 $ST POST /signout" >>"$T/got"
		get s /secretariat
		echo "303 $ST GET /secretariat (signed out)" >>"$T/got"
	done
}
# (three failures each, six from the address in all: under the 10 after
# which the throttle would make the staff's sign-ins from it wait too)
wrong() { # wrong N: failed sign-ins (counted by the throttle), 401 or 429
	local T=$T/wrong$1
	mkdir -p "$T"
	local n
	: >"$T/got"
	for n in 1 2 3; do
		signin_user w "intruder$1" "not the pass phrase $n"
		case $ST in 401 | 429) echo "4xx 4xx POST /signin (wrong)" ;; *) echo "4xx $ST POST /signin (wrong)" ;; esac >>"$T/got"
		get - /signin
		echo "200 $ST GET /signin" >>"$T/got"
		get - /static/style.css
		echo "200 $ST GET /static/style.css" >>"$T/got"
	done
}
pids=()
for i in 1 2; do staff "$i" & pids+=($!); done
for i in 1 2; do wrong "$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
# each line of got: the status expected, the one answered, the request
for c in staff1 staff2 wrong1 wrong2; do
	bad=$(awk '$1 != $2' "$T/$c/got")
	is "$bad" "" "curl client $c: $(wc -l <"$T/$c/got") requests, each answered as expected"
done

wait "$LOAD_PID"
is "$?" 0 "the load generator ran (exit 0)"
like "$(cat "$T/load.out")" '^portal: .* receipts, 0 failed submissions$' "  ... every submission got its receipt" ||
	printf '# load: %s\n' "$(tail -n 20 "$T/load.out")" >&2
grep -E '^portal: ' "$T/load.out" | while IFS= read -r line; do diag "$line"; done
acked=$(wc -l <"$T/acked")
ok "  ... some replies were acknowledged ($acked)" test "$acked" -gt 0

# --- stop, and what ThreadSanitizer said ----------------------------------------
serve_stop
is "$SRV_RC" 0 "the server stopped cleanly (exit 0)"
races=$(grep -c 'WARNING: ThreadSanitizer' "$T/serve.log")
is "$races" 0 "no ThreadSanitizer warning in the server's stderr"
[ "$races" = 0 ] || diag "$(grep -A 30 'WARNING: ThreadSanitizer' "$T/serve.log" | head -n 120)"
unlike "$(cat "$T/serve.log")" 'ThreadSanitizer: (reported|.*FATAL|CHECK failed)' "  ... nor any other report of it"
stored=$(sqlite3 -readonly "$BALLOT_DB" "SELECT count(*) FROM replies WHERE recorded_by LIKE 'portal:%'")
is "$stored" "$acked" "every acknowledged reply is in the database ($acked)"
expect_exit 0 ballot check

done_testing
