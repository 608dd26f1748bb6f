# lib.sh - what the portal benches (portal.sh, signin.sh, portal-flood.sh)
# share; sourced (POSIX sh, set -eu) once REPO and BIN are set:
#   bench_begin NAME        a folder $TMP under output/bench (on the disk: a
#                           reply's fsync is part of the figures), removed at
#                           exit after the processes $HOLD and $PID are
#                           stopped; BALLOT_DB=$TMP/NAME.db, BALLOT_ACTOR set,
#                           BALLOT_NOW unset; `fail MSG` says "NAME bench: MSG"
#                           and exits 1; `b ARGS` runs ballot
#   bench_open CIRC REC TITLE   a new database with consultation CIRC dated
#                           today (its meeting in 90 days) and draft REC
#   bench_serve SEED ARGS...    `ballot serve` on a free port of 127.0.0.1 (the
#                           first tried 20000 + SEED % 20000), with ARGS; its
#                           stderr in $TMP/serve.err; sets PID and port

bench_begin() {
	BENCH_NAME=$1
	mkdir -p "$REPO/output/bench"
	TMP=$(mktemp -d "$REPO/output/bench/$1.XXXXXX")
	PID=
	HOLD=
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
	export BALLOT_DB="$TMP/$1.db"
	export BALLOT_ACTOR=bench:secretariat
	unset BALLOT_NOW
}

bench_cleanup() {
	for p in $HOLD $PID; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}

fail() {
	echo "$BENCH_NAME bench: $*" >&2
	exit 1
}

b() { "$BIN" "$@"; }

bench_open() { # bench_open CIRC REC TITLE
	b init >/dev/null
	b consultation create --circular "$1" --group 11 --date "$(date -u +%F)" \
		--meeting-start "$(date -u -d '+90 days' +%F)" --meeting-end "$(date -u -d '+99 days' +%F)" >/dev/null
	b draft add --circular "$1" --rec "$2" --title "$3" --summary "A summary." >/dev/null
}

bench_serve() { # bench_serve SEED ARGS...
	port=$((20000 + $1 % 20000))
	shift
	tries=0
	while :; do
		: >"$TMP/serve.err" # before the server opens it, for the grep below
		"$BIN" serve --listen "127.0.0.1:$port" --cert "$TMP/tls/server.pem" --key "$TMP/tls/server-key.pem" \
			"$@" 2>"$TMP/serve.err" &
		PID=$!
		i=0
		while [ $i -lt 100 ] && kill -0 "$PID" 2>/dev/null && ! grep -q 'serving' "$TMP/serve.err"; do
			sleep 0.1
			i=$((i + 1))
		done
		grep -q 'serving' "$TMP/serve.err" && return 0
		kill -TERM "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
		PID=
		tries=$((tries + 1))
		grep -q 'cannot listen' "$TMP/serve.err" && [ $tries -lt 20 ] ||
			fail "ballot serve did not start: $(cat "$TMP/serve.err")"
		port=$((port + 1 + $$ % 97))
		[ $port -lt 65000 ] || port=20000
	done
}
