#!/bin/sh
# status.sh - `make bench`: figures for the reads that check a consultation's
# rows against their events first (README "Store and integrity"), printed,
# never asserted:
#   1. `ballot status` over the 1 000 consultations of output/bench/tally.db
#      (3 000 drafts, 579 000 replies; build/bench makes it, and make bench
#      runs that first), every consultation checked;
#   2. `ballot tally` of one of them.
# Each command runs RUNS times (default 5) after one warm-up run; the median,
# least and most seconds of a whole process, wall clock and CPU (user +
# system, as the shell's `times` counts its children), are printed. With
# BENCH_BEFORE=BINARY (say, main's build/ballot) that binary's runs alternate
# with these, run by run, and the ratio of the medians is printed too.
# Usage: status.sh [BALLOT_BINARY] (default build/ballot)
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$REPO/build/ballot}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
BEFORE=${BENCH_BEFORE:-}
RUNS=${RUNS:-5}
DB=$REPO/output/bench/tally.db
if [ ! -f "$DB" ]; then
	echo "status bench: $DB is missing: run build/bench first (make bench does)" >&2
	exit 1
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ballot-bench-status.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
export BALLOT_DB="$DB" BALLOT_CONFIG=/dev/null
unset BALLOT_NOW

now() { date +%s.%N; }
# cpu VAR: the CPU seconds (user + system) of this shell's finished children
# so far into VAR (the shell's own `times`, run in this shell, not in a
# subshell: its second line, "0m1.234s 0m0.100s")
cpu() {
	times >"$TMP/times"
	eval "$1=\$(awk 'NR == 2 { split(\$0, f, /[ms ]+/); print f[1] * 60 + f[2] + f[3] * 60 + f[4] }' \"\$TMP/times\")"
}

# once BIN NAME ARGS...: runs BIN ARGS once, its seconds appended to
# $TMP/NAME; stops the bench when the command fails.
once() {
	bin=$1 name=$2
	shift 2
	cpu c0
	t0=$(now)
	if ! "$bin" "$@" >"$TMP/out" 2>"$TMP/err"; then
		echo "status bench: $bin $*: failed:" >&2
		cat "$TMP/err" >&2
		exit 1
	fi
	echo "$(now) $t0" | awk '{ printf "%.4f\n", $1 - $2 }' >>"$TMP/$name"
	cpu c1
	echo "$c1 $c0" | awk '{ printf "%.4f\n", $1 - $2 }' >>"$TMP/$name.cpu"
}

# figure LABEL NAME: median, least and most of the runs in $TMP/NAME (wall
# clock) and $TMP/NAME.cpu (CPU).
figure() {
	for f in "$2" "$2.cpu"; do
		sort -n "$TMP/$f" | awk -v label="$1" -v what="$([ "$f" = "$2" ] && echo wall || echo CPU)" '
			{ v[NR] = $1 } END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "  %-28s %-4s median %7.3f s  (least %.3f, most %.3f; %d runs)\n", label, what, m, v[1], v[NR], NR }'
	done
}

median() { sort -n "$TMP/$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bench TITLE ARGS...: the command by BIN (and by BEFORE, alternating).
bench() {
	title=$1
	shift
	rm -f "$TMP/after" "$TMP/before" "$TMP/after.cpu" "$TMP/before.cpu"
	"$BIN" "$@" >/dev/null 2>&1 || true
	[ -z "$BEFORE" ] || "$BEFORE" "$@" >/dev/null 2>&1 || true
	i=0
	while [ $i -lt "$RUNS" ]; do
		[ -z "$BEFORE" ] || once "$BEFORE" before "$@"
		once "$BIN" after "$@"
		i=$((i + 1))
	done
	echo "$title"
	figure "$BIN" after
	if [ -n "$BEFORE" ]; then
		figure "$BEFORE" before
		awk -v a="$(median after)" -v b="$(median before)" -v ac="$(median after.cpu)" -v bc="$(median before.cpu)" \
			'BEGIN { printf "  medians: %.2f times as fast as before (wall), %.2f (CPU)\n", b / a, bc / ac }'
	fi
}

rows=$("$BIN" status | wc -l)
echo "status: output/bench/tally.db, $((rows - 1)) drafts of 1 000 consultations, 579 000 replies; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
bench "status: every consultation's rows checked against their events, then tallied" status
bench "tally --circular C0500: one consultation (579 replies) checked, then tallied" tally --circular C0500
