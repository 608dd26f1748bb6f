#!/bin/sh
# portal.sh - `make bench`: a bounded load test of the HTTPS portal on
# loopback (about a minute), figures printed by build/portal_load:
#   1. 64 administrations load their status page (/member) over keep-alive
#      connections, in a consultation where all 194 members have replied;
#   2. the same 64 submit replies, a new TLS connection (full handshake)
#      per submission; then again, each new connection resuming the client's
#      last TLS session (the server's session ticket), as a returning
#      browser does (PORTAL_BENCH_RESUME=0: not; =only: only resuming);
#   3. the API with a write token, keep-alive: GET /api/v1/status, GET
#      .../tally, POST .../replies (each with a new Idempotency-Key).
# Each phase runs as fast as it goes, then paced at the goal's rate.
# Goals (issue 15): 5 000 status pages/s, 1 000 submissions/s; p99 < 100 ms
# paced at 2 000 status pages/s and 300 submissions/s. PORTAL_BENCH_REPLIES=N
# (make bench: 100 000, status pages and the API only) seeds N replies first. A missed goal prints "goal missed"; the exit status is non-zero only
# when the test cannot run or when a reply the portal acknowledged (a 200
# receipt) is not in the database afterwards.
# Usage: portal.sh [BALLOT_BINARY [LOAD_BINARY]]
# Environment: PORTAL_BENCH_THREADS (the server's --threads; default its
# own), PORTAL_BENCH_CLIENTS (64), PORTAL_BENCH_ARGS (more portal_load
# options, e.g. "--submit-seconds 30 --status-seconds 0"), PORTAL_BENCH_PIDFILE
# (where to write the server's process id, for perf record -p and the like).
# BENCH_BEFORE=BINARY (say, main's build/ballot): that binary's server runs
# the same bench too, alternating with BALLOT_BINARY's, PORTAL_BENCH_RUNS
# times each (default 2; without BENCH_BEFORE 1), each on a fresh database
# made by its own binary, with the same load generator; then each phase's
# figures side by side (medians of the runs) and their ratio.
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$REPO/build/ballot}
LOAD=${2:-$REPO/build/portal_load}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
case $LOAD in /*) ;; *) LOAD=$(pwd)/$LOAD ;; esac
THREADS=${PORTAL_BENCH_THREADS:-}
BEFORE=${BENCH_BEFORE:-}
case $BEFORE in /* | '') ;; *) BEFORE=$(pwd)/$BEFORE ;; esac
RUNS=${PORTAL_BENCH_RUNS:-$([ -n "$BEFORE" ] && echo 2 || echo 1)}
case ${PORTAL_BENCH_RESUME:-1} in
0) RESUME= ;;
only) RESUME=--resume-only ;;
*) RESUME=--resume ;;
esac
CLIENTS=${PORTAL_BENCH_CLIENTS:-64}
CIRC=990

. "$REPO/tests/bench/lib.sh"
bench_begin portal

# bench_run BIN N: the whole bench once with BIN's server, on a fresh
# database made by BIN ($TMP/run-N.db); the load generator's output in
# $TMP/load-N.out; fails the bench when an acknowledged reply is missing.
bench_run() {
	BIN=$1
	n=$2
	export BALLOT_DB="$TMP/run-$n.db"
	# A consultation open now: dated today, its meeting in three months.
	bench_open "$CIRC" Q.9901 "Load test draft"
	b codes issue --circular "$CIRC" >"$TMP/codes.tsv" 2>/dev/null
	bench_seed
	rm -rf "$TMP/tls"
	b tls dev-certs --out "$TMP/tls" >/dev/null
	# each client replies as fast as it can: far above the members' default
	# replies_per_hour (30), which would answer 429 after the first seconds
	b config set replies_per_hour 1000000 >/dev/null
	# the API's client: a write token of a secretariat account
	echo 'correct horse battery staple' >"$TMP/pw"
	b users add --name bench-api --role secretariat --password-file "$TMP/pw" >/dev/null 2>&1
	TOKEN=$(b tokens create --user bench-api --scope write 2>/dev/null) || fail "tokens create failed"

	# The server on a free port (another one may be taken by anyone).
	bench_serve $$ --quiet ${THREADS:+--threads "$THREADS"}

	[ -z "${PORTAL_BENCH_PIDFILE:-}" ] || echo "$PID" >"$PORTAL_BENCH_PIDFILE"
	echo "portal: $BIN serve on 127.0.0.1:$port, --threads ${THREADS:-default}," \
		"$(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg) before; one draft, $(wc -l <"$TMP/seed.tsv" |
		awk '{ print $1 - 1 }') replies before; database on $(df -T "$TMP" | awk 'NR == 2 { print $2 }')"
	# shellcheck disable=SC2086 # PORTAL_BENCH_ARGS: several words
	{
		rc=0
		"$LOAD" --port "$port" --ca "$TMP/tls/ca.pem" --codes "$TMP/codes.tsv" --circular "$CIRC" \
			--clients "$CLIENTS" --ids "$TMP/acked" --server-pid "$PID" --status-goal 5000 --submit-goal 1000 \
			--token "$TOKEN" --api-ids "$TMP/api-acked" $RESUME ${PORTAL_BENCH_ARGS:-} || rc=$?
		echo $rc >"$TMP/load.rc"
	} | tee "$TMP/load-$n.out"
	[ "$(cat "$TMP/load.rc")" = 0 ] || fail "the load generator failed (exit status $(cat "$TMP/load.rc"))"
	kill -TERM "$PID"
	wait "$PID" || fail "ballot serve did not stop cleanly: $(cat "$TMP/serve.err")"
	PID=
	bench_check "$TMP/load-$n.out"
	rm -f "$BALLOT_DB" "$BALLOT_DB-wal" "$BALLOT_DB-shm"
}

# Every member of the electorate has replied once (by e-mail, entered by the
# secretariat). With PORTAL_BENCH_REPLIES=N the consultation holds N replies:
# the members that are not among the load's clients have replied many times
# before (each later reply superseding the earlier, a second apart), so that
# a client's pages face what others have done.
bench_seed() {
	REPLIES=${PORTAL_BENCH_REPLIES:-0}
	nowsec=$(date -u +%s)
	[ $((nowsec % 86400)) -gt $((REPLIES / 100 + 60)) ] ||
		fail "too close to midnight UTC for $REPLIES replies dated today: try again in a few minutes"
	awk -F'\t' -v now="$nowsec" -v want="$REPLIES" -v clients="$CLIENTS" '
		function line(member, i, t) {
			printf "%s\tQ.9901\t%s\t%s\temail\t\n", member, (i % 2 ? "authorize" : "not-authorize"),
				strftime("%Y-%m-%dT%H:%M:%SZ", t, 1)
		}
		NR == 1 { next }
		{ m[n++] = $1 }
		END {
			print "member\tdraft\tchoice\treceived\tchannel\tattachment"
			others = n - clients
			extra = want - n
			for (i = 0; i < extra && others > 0; i++)
				line(m[clients + i % others], i, now - 1 - int((extra - 1 - i) / others))
			for (i = 0; i < n; i++)
				line(m[i], i + 1, now)
		}' "$TMP/codes.tsv" >"$TMP/seed.tsv"
	t0=$(date +%s)
	b reply import --force --circular "$CIRC" "$TMP/seed.tsv" >"$TMP/import.out" 2>&1 ||
		fail "reply import: $(tail -n 3 "$TMP/import.out")"
	[ "$REPLIES" -eq 0 ] || echo "portal: $REPLIES replies imported in $(($(date +%s) - t0)) s"
}

# bench_check LOAD_OUTPUT: every acknowledged reply must be in the database.
bench_check() {
	acked=$(wc -l <"$TMP/acked")
	errors=$(sed -n 's/^portal: .* receipts, \([0-9]*\) failed submissions$/\1/p' "$1")
	[ -n "$errors" ] || fail "no summary line from the load generator"
	sqlite3 -readonly "$BALLOT_DB" \
		"SELECT id FROM replies WHERE recorded_by LIKE 'portal:%' ORDER BY id" >"$TMP/stored" ||
		fail "cannot read the database"
	stored=$(wc -l <"$TMP/stored")
	sort "$TMP/acked" >"$TMP/acked.s"
	sort "$TMP/stored" >"$TMP/stored.s"
	lost=$(comm -23 "$TMP/acked.s" "$TMP/stored.s" | wc -l)
	extra=$(comm -13 "$TMP/acked.s" "$TMP/stored.s" | wc -l)
	history=$(b history --circular "$CIRC" --json | grep -o '"recorded_by":"portal:' | wc -l)
	b audit verify >/dev/null || fail "ballot audit verify failed after the load"
	echo "portal: database: $stored portal replies ($history in ballot history), $acked acknowledged;" \
		"event log verified"
	if [ "$lost" -ne 0 ]; then
		echo "portal: FAIL $lost acknowledged replies are not in the database:" \
			"$(comm -23 "$TMP/acked.s" "$TMP/stored.s" | head -n 5 | paste -sd, -)..."
		exit 1
	fi
	if [ "$stored" -ne "$history" ]; then
		echo "portal: FAIL the database holds $stored portal replies, ballot history shows $history"
		exit 1
	fi
	# A reply stored but not acknowledged is possible only for a submission
	# that failed on the client's side (say, a time-out after the commit).
	if [ "$extra" -gt "$errors" ]; then
		echo "portal: FAIL $extra replies stored but not acknowledged, with only $errors failed submissions"
		exit 1
	fi
	# Every reply the API acknowledged (a 201 receipt) is in the database, once.
	touch "$TMP/api-acked"
	sqlite3 -readonly "$BALLOT_DB" "SELECT event_seq FROM replies WHERE recorded_by = 'api:bench-api' ORDER BY 1" \
		>"$TMP/api-stored" || fail "cannot read the database"
	sort -n "$TMP/api-acked" >"$TMP/api-acked.s"
	if ! cmp -s "$TMP/api-acked.s" "$TMP/api-stored"; then
		echo "portal: FAIL the API acknowledged $(wc -l <"$TMP/api-acked.s") replies," \
			"the database holds $(wc -l <"$TMP/api-stored") of api:bench-api"
		exit 1
	fi
	echo "portal: the API's $(wc -l <"$TMP/api-stored") acknowledged replies are in the database, once each"
	if [ "$extra" -ne 0 ]; then
		echo "portal: note: $extra replies stored without a receipt ($errors failed submissions)"
	fi
	echo "portal: PASS every acknowledged reply is in the database"
}

# The phases' figures of the runs listed in $TMP/runs (N LABEL a line):
# per phase and label the median of requests/s, p50, p99 and the server's
# CPU per request, and (with two labels) the ratio of the medians.
bench_compare() {
	while read -r n label; do
		awk -v label="$label" '
			# a phase line: its name, then requests, req/s, p50, p99, max,
			# errors; a paced one ("    the same, paced at R/s") is named
			# after the phase above it
			/^  +[^ ]/ && NF >= 7 && $(NF - 5) ~ /^[0-9]+$/ && $NF ~ /^[0-9]+$/ {
				name = $1; for (i = 2; i <= NF - 6; i++) name = name " " $i
				if (/^    /) name = top ", " substr(name, 11); else top = name
				rate = $(NF - 4); p50 = $(NF - 3); p99 = $(NF - 2); next_cpu = 1; next
			}
			next_cpu && /ms a request/ {
				cpu = $0; sub(/ ms a request.*/, "", cpu); sub(/.*; /, "", cpu)
				printf "%s\t%s\t%s\t%s\t%s\t%s\n", name, label, rate, p50, p99, cpu
				next_cpu = 0
			}' "$TMP/load-$n.out"
	done <"$TMP/runs" >"$TMP/phases.tsv"
	echo "portal: before/after, $RUNS runs each, alternating (medians; server CPU per request from /proc):"
	awk -F'\t' '
		function med(k, m, v, i, j, t) {
			m = cnt[k]; for (i = 1; i <= m; i++) v[i] = val[k, i]
			for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
		}
		{
			if (!(($1) in seen)) { seen[$1] = 1; order[++np] = $1 }
			for (f = 3; f <= 6; f++) { k = $1 SUBSEP $2 SUBSEP f; val[k, ++cnt[k]] = $f }
		}
		END {
			printf "  %-52s %-6s %9s %8s %8s %8s\n", "phase", "", "req/s", "p50 ms", "p99 ms", "CPU ms"
			for (i = 1; i <= np; i++) {
				p = order[i]
				for (l = 0; l < 2; l++) {
					lab = l ? "before" : "after"
					if (!((p SUBSEP lab SUBSEP 3) in cnt)) continue
					printf "  %-52s %-6s %9.1f %8.2f %8.2f %8.2f\n", l ? "" : p, lab,
						med(p SUBSEP lab SUBSEP 3), med(p SUBSEP lab SUBSEP 4),
						med(p SUBSEP lab SUBSEP 5), med(p SUBSEP lab SUBSEP 6)
				}
				a = p SUBSEP "after" SUBSEP 3; bf = p SUBSEP "before" SUBSEP 3
				if ((a in cnt) && (bf in cnt) && med(bf) > 0)
					printf "  %-52s %-6s %9.2f\n", "", "ratio", med(a) / med(bf)
			}
		}' "$TMP/phases.tsv"
}

AFTER=$BIN
: >"$TMP/runs"
run=1 # (not i: bench_serve counts with it)
while [ "$run" -le "$RUNS" ]; do
	echo "a$run after" >>"$TMP/runs"
	bench_run "$AFTER" "a$run"
	if [ -n "$BEFORE" ]; then
		echo "b$run before" >>"$TMP/runs"
		bench_run "$BEFORE" "b$run"
	fi
	run=$((run + 1))
done
BIN=$AFTER
[ -z "$BEFORE" ] && [ "$RUNS" -eq 1 ] || bench_compare
