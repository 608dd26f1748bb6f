#!/bin/sh
# forms.sh - `make bench`: figures for `ballot forms`, printed, never asserted.
#   1. the whole electorate of Circular 205 (193 forms) in each language;
#   2. the whole electorate in all six languages in one run (1 158 PDFs).
# Goals: all 1 158 in < 5 s; an English form < 40 KB; a Chinese one < 200 KB.
# A missed goal prints MISS; the exit status is non-zero only when the
# command itself fails.
# Usage: forms.sh [BALLOT_BINARY] (default build/ballot)
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$REPO/build/ballot}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ballot-bench-forms.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
max_en=0
max_zh=0
# files DIR : the number of PDFs under DIR, their total and largest size
sizes() {
	find "$1" -name '*.pdf' -printf '%s\n' |
		awk '{ n++; t += $1; if ($1 > m) m = $1 } END { printf "%d %d %d\n", n, t, m }'
}
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
goal() { # goal OK TEXT
	if [ "$1" = 1 ]; then echo "  PASS  $2"; else echo "  MISS  $2"; fi
}

# The demo database: Circular 205 (Q.5051, SG11, deadline 2020-02-21T23:59Z),
# the 193 Member States of 2019.
(cd "$REPO" && sh src/demo.sh "$BIN" "$TMP/demo.db" >"$TMP/demo.log" 2>&1) || {
	echo "forms bench: src/demo.sh failed:" >&2
	cat "$TMP/demo.log" >&2
	exit 1
}
export BALLOT_DB="$TMP/demo.db"

echo "forms: Circular 205, --all (193 Member States), $(nproc) CPUs, default --jobs"
printf '  %-4s %6s %9s %10s %14s %14s\n' lang forms seconds forms/s "mean/form" "largest"
for l in en fr es ru zh ar; do
	t0=$(now)
	"$BIN" forms --circular 205 --all --lang "$l" --out "$TMP/$l" >/dev/null
	t1=$(now)
	read -r n tot max <<-EOF
	$(sizes "$TMP/$l")
	EOF
	case $l in en) max_en=$max ;; zh) max_zh=$max ;; esac
	awk -v l="$l" -v n="$n" -v tot="$tot" -v max="$max" -v a="$t0" -v b="$t1" 'BEGIN {
		s = b - a
		printf "  %-4s %6d %9.3f %10.1f %11.1f KB %11.1f KB\n", l, n, s, (s > 0 ? n / s : 0),
			(n ? tot / n / 1024 : 0), max / 1024 }'
done

t0=$(now)
"$BIN" forms --circular 205 --all --out "$TMP/all" >/dev/null
t1=$(now)
read -r all_n tot max <<EOF
$(sizes "$TMP/all")
EOF
all_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
awk -v n="$all_n" -v tot="$tot" -v s="$all_s" 'BEGIN {
	printf "forms: all six languages in one run: %d PDFs in %.3f s (%.1f forms/s), %.1f MB in all\n",
		n, s, (s > 0 ? n / s : 0), tot / 1048576 }'
echo "forms: largest English form $(kb "$max_en"), largest Chinese form $(kb "$max_zh")"

echo "forms: goals"
goal "$(awk -v n="$all_n" -v s="$all_s" 'BEGIN { print (n == 1158 && s < 5) ? 1 : 0 }')" \
	"all 1 158 forms in < 5 s ($all_n in $all_s s)"
goal "$([ "$max_en" -lt 40960 ] && echo 1 || echo 0)" "an English form < 40 KB (largest $(kb "$max_en"))"
goal "$([ "$max_zh" -lt 204800 ] && echo 1 || echo 0)" "a Chinese form < 200 KB (largest $(kb "$max_zh"))"
