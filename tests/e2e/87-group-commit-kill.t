#!/usr/bin/env bash
# 87-group-commit-kill.t - group commit keeps every acknowledged reply: the
# portal's replies that arrive together share one transaction and one fsync
# (src/store/group.c), and none is acknowledged before the COMMIT that holds
# it. Members replying through the reply form (tests/bench/portal_load.c:
# a new TLS connection, the form, its POST answered 303 with the reply's
# number) and API clients (curl, POST .../replies answered 201 with the
# receipt's event) reply at once to one server, which is killed with
# SIGKILL while they do, twice (a restart between); then both reply to a
# server whose power is cut (commit-window.c: whatever was written to the
# log and never synced is lost), inside a COMMIT's window or, should a
# COMMIT return without syncing, at the next commit. Every reply
# acknowledged (303 or 201) must be in `ballot history`; `ballot check` and
# `ballot audit verify` pass. Replies stored without an acknowledgement
# (the kill cut their answer) are possible and counted, never required.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl sqlite3
LOAD=$REPO/build/portal_load
[ -x "$LOAD" ] || { echo "Bail out! no $LOAD (make tsan or make bench builds it)"; exit 1; }
API_PIDS=()
trap 'for p in "${API_PIDS[@]}"; do kill "$p" 2>/dev/null; done; serve_stop; _cleanup' EXIT

# --- set-up: a consultation open now (the server runs on the real clock) -------
unset BALLOT_NOW
CIRC=990
CLIENTS=8  # members replying through the form
APIS=6     # API clients
expect_exit 0 ballot init
open_now "$CIRC"
expect_exit 0 ballot draft add --circular "$CIRC" --rec Q.9901 --title "Load test draft" --summary "A summary."
ballot codes issue --circular "$CIRC" >"$T/all-codes.tsv" 2>/dev/null
head -n "$((CLIENTS + 1))" "$T/all-codes.tsv" >"$T/codes.tsv"
# the API replies for members the form's clients are not
API_MEMBERS=$(awk -F'\t' -v c="$CLIENTS" 'NR > c + 1 { print $1 }' "$T/all-codes.tsv" | head -n 40 | tr '\n' ' ')
expect_exit 0 ballot config set replies_per_hour 1000000
printf 'a secretariat pass phrase\n' >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
TOKEN=$(ballot tokens create --user tsb --scope write 2>/dev/null)
like "$TOKEN" '^bt_' "a write token for the API clients"
dev_certs

# One API client: replies one after another (a new Idempotency-Key each)
# until a request fails; each 201's event number goes to its file.
api_client() { # api_client ROUND N
	local out=$T/api.$1.$2 key=kill-$1-$2 n=0 m code seq
	: >"$out.acked"
	set -- $API_MEMBERS
	while :; do
		n=$((n + 1))
		m=$(eval "echo \${$(( (n % $#) + 1 ))}")
		code=$(curl -sS --max-time 20 --cacert "$CA_PEM" --resolve "localhost:$PORT:127.0.0.1" \
			-o "$out.body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
			-H "Idempotency-Key: $key-$n" -H 'Content-Type: application/json' \
			--data-binary '{"member":"'"$m"'","draft":"Q.9901","choice":"authorize","channel":"email"}' \
			"$URL/api/v1/consultations/$CIRC/replies" 2>/dev/null) || code=000
		[ "$code" = 201 ] || break
		seq=$(sed -n 's/.*"event":\([0-9][0-9]*\).*/\1/p' "$out.body")
		[ -n "$seq" ] && echo "$seq" >>"$out.acked"
	done
	echo "$code" >"$out.last"
}

stored() { sqlite3 -readonly "$BALLOT_DB" "SELECT count(*) FROM replies WHERE recorded_by LIKE '$1%'"; }

# --- two rounds: load, then kill -9 ------------------------------------------
for round in 1 2; do
	serve_start "$T/serve.$round.log" --threads 16 ||
		{ echo "Bail out! the server did not start: $(head -c 2000 "$T/serve.$round.log")"; exit 1; }
	portal0=$(stored portal:)
	api0=$(stored api:)
	"$LOAD" --port "$PORT" --ca "$CA_PEM" --codes "$T/codes.tsv" --circular "$CIRC" --clients "$CLIENTS" \
		--status-seconds 0 --status-paced-seconds 0 --submit-seconds 60 --submit-paced-seconds 0 \
		--status-after-seconds 0 --until-refused --ids "$T/acked.$round" >"$T/load.$round.out" 2>&1 &
	LOAD_PID=$!
	API_PIDS=()
	for i in $(seq 1 "$APIS"); do
		api_client "$round" "$i" &
		API_PIDS+=($!)
	done
	# both kinds of reply are coming in (at most 60 s), then the kill
	for i in $(seq 1 600); do
		[ "$(($(stored portal:) - portal0))" -ge 30 ] && [ "$(($(stored api:) - api0))" -ge 30 ] && break
		kill -0 "$LOAD_PID" 2>/dev/null || break
		sleep 0.1
	done
	load_running=no
	kill -0 "$LOAD_PID" 2>/dev/null && load_running=yes
	kill -9 "$SRV_PID"
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=""
	is "$load_running" yes "round $round: the server was killed while the members were replying"
	wait "$LOAD_PID"
	is "$?" 0 "round $round: the load generator ran to the end"
	for p in "${API_PIDS[@]}"; do wait "$p"; done
	API_PIDS=()
	# every acknowledged reply (303: its reply number; 201: its event) is in
	# the history, by its event
	ballot history --circular "$CIRC" --json | grep -o '"seq":[0-9]*' | cut -d: -f2 | sort -u >"$T/history.$round"
	acked=$(wc -l <"$T/acked.$round")
	ok "round $round: members' replies acknowledged with a 303 ($acked)" test "$acked" -gt 0
	ids=$(paste -sd, "$T/acked.$round")
	sqlite3 -readonly "$BALLOT_DB" "SELECT event_seq FROM replies WHERE id IN (${ids:-0})" | sort -u >"$T/acked-seq.$round"
	is "$(wc -l <"$T/acked-seq.$round")" "$acked" "round $round: each of them is in the replies table"
	is "$(comm -23 "$T/acked-seq.$round" "$T/history.$round" | wc -l)" 0 "round $round: ... and in ballot history"
	cat "$T"/api."$round".*.acked | sort -u >"$T/api-acked.$round"
	api_acked=$(wc -l <"$T/api-acked.$round")
	ok "round $round: API replies acknowledged with a 201 ($api_acked)" test "$api_acked" -gt 0
	is "$(comm -23 "$T/api-acked.$round" "$T/history.$round" | wc -l)" 0 \
		"round $round: every one of them is in ballot history"
	is "$(cat "$T"/api."$round".*.last | sort -u | grep -cvx 000)" 0 \
		"round $round: the API clients stopped at the kill (no answer), not at a refusal"
	diag "round $round: $(($(stored portal:) - portal0)) form replies stored, $acked acknowledged;" \
		"$(($(stored api:) - api0)) API replies stored, $api_acked acknowledged"
done

# --- round 3: the power lost inside a COMMIT's window ---------------------------
# A direct check of "nobody is answered before the COMMIT that holds the
# change is on the disk", whatever the answer reads: commit-window.c
# (LD_PRELOAD) widens every COMMIT's window (each sync of the log waits
# 100 ms after its frames are written) and, once both kinds of reply are
# coming in, cuts the power: every write to the log since its last sync is
# lost, the server dies. The cut comes at the fifth sync since, or sooner,
# from the fifth commit on, at a commit that finds an earlier one never
# synced (after 100 ms, for its answers to go out): so an answer given
# before its COMMIT returned, or by a COMMIT that does not sync
# (synchronous=NORMAL or OFF), names a reply the database does not hold.
# A server that syncs every COMMIT is only ever cut at a sync.
need_tools cc
cc -shared -fPIC -O2 -o "$T/commit-window.so" "$E2E/commit-window.c" -ldl ||
	{ echo "Bail out! cannot build commit-window.so"; exit 1; }
portal0=$(stored portal:)
api0=$(stored api:)
export LD_PRELOAD=$T/commit-window.so COMMIT_WINDOW_MS=100 COMMIT_WINDOW_LOSE_AT=5 \
	COMMIT_WINDOW_ARM=$T/arm COMMIT_WINDOW_MARK=$T/lost
ASAN_SAVED=${ASAN_OPTIONS-}
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 # the fault loads before ASan's runtime
serve_start "$T/serve.3.log" --threads 16
started=$?
unset LD_PRELOAD COMMIT_WINDOW_MS COMMIT_WINDOW_LOSE_AT COMMIT_WINDOW_ARM COMMIT_WINDOW_MARK
ASAN_OPTIONS=$ASAN_SAVED
[ -n "$ASAN_OPTIONS" ] || unset ASAN_OPTIONS
[ "$started" = 0 ] || { echo "Bail out! the server did not start: $(head -c 2000 "$T/serve.3.log")"; exit 1; }
"$LOAD" --port "$PORT" --ca "$CA_PEM" --codes "$T/codes.tsv" --circular "$CIRC" --clients "$CLIENTS" \
	--status-seconds 0 --status-paced-seconds 0 --submit-seconds 60 --submit-paced-seconds 0 \
	--status-after-seconds 0 --until-refused --ids "$T/acked.3" >"$T/load.3.out" 2>&1 &
LOAD_PID=$!
API_PIDS=()
for i in $(seq 1 "$APIS"); do
	api_client 3 "$i" &
	API_PIDS+=($!)
done
for i in $(seq 1 600); do
	[ "$(($(stored portal:) - portal0))" -ge 10 ] && [ "$(($(stored api:) - api0))" -ge 10 ] && break
	kill -0 "$LOAD_PID" 2>/dev/null || break
	sleep 0.1
done
touch "$T/arm"
# the cut comes at the fifth sync or commit since (about a second); a server
# that stopped writing would never get there: then it is cut by SIGUSR1
for i in $(seq 1 300); do
	kill -0 "$SRV_PID" 2>/dev/null || break
	sleep 0.1
done
kill -USR1 "$SRV_PID" 2>/dev/null
wait "$SRV_PID" 2>/dev/null
srv_status=$?
SRV_PID=""
wait "$LOAD_PID"
is "$?" 0 "round 3: the load generator ran to the end"
for p in "${API_PIDS[@]}"; do wait "$p"; done
API_PIDS=()
is "$srv_status" 137 "round 3: the server died by SIGKILL"
like "$(cat "$T/lost" 2>/dev/null)" '^[1-9][0-9]* writes lost at a sync of the log$' \
	"  ... the fault's: the power cut inside a COMMIT, its frames written and lost"
ballot history --circular "$CIRC" --json | grep -o '"seq":[0-9]*' | cut -d: -f2 | sort -u >"$T/history.3"
acked=$(wc -l <"$T/acked.3")
ok "round 3: members' replies acknowledged with a 303 before the cut ($acked)" test "$acked" -gt 0
ids=$(paste -sd, "$T/acked.3")
is "$(sqlite3 -readonly "$BALLOT_DB" "SELECT count(DISTINCT id) FROM replies WHERE id IN (${ids:-0})")" "$acked" \
	"round 3: each of them is in the replies table (none answered before its COMMIT)"
cat "$T"/api.3.*.acked | sort -u >"$T/api-acked.3"
api_acked=$(wc -l <"$T/api-acked.3")
ok "round 3: API replies acknowledged with a 201 before the cut ($api_acked)" test "$api_acked" -gt 0
is "$(comm -23 "$T/api-acked.3" "$T/history.3" | tr '\n' ' ')" "" \
	"round 3: every one of them is in ballot history (none answered before its COMMIT)"
is "$(cat "$T"/api.3.*.last | sort -u | grep -cvx 000)" 0 "round 3: the API clients stopped at the cut (no answer)"
diag "round 3: $(($(stored portal:) - portal0)) form replies stored, $acked acknowledged;" \
	"$(($(stored api:) - api0)) API replies stored, $api_acked acknowledged; $(cat "$T/lost" 2>/dev/null)"

# --- the database after the kills ----------------------------------------------
expect_exit 0 ballot check
expect_exit 0 ballot audit verify
run ballot history --circular "$CIRC" --json
is "$(printf '%s' "$OUT" | grep -o '"recorded_by":"portal:' | wc -l)" "$(stored portal:)" \
	"ballot history shows every form reply stored"
is "$(printf '%s' "$OUT" | grep -o '"recorded_by":"api:tsb"' | wc -l)" "$(stored api:)" \
	"ballot history shows every API reply stored"

done_testing
