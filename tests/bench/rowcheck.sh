#!/bin/sh
# rowcheck.sh - figures for a member's pages and the per-request row check
# on a large consultation (issue 15), printed, never asserted: seeds
# consultation 990 with N replies (ROWCHECK_BENCH_REPLIES, default 100 000),
# of which ROWCHECK_BENCH_OWN (default 515) by the first member of the
# electorate, then runs build/bench_rowcheck on it (see tests/bench/rowcheck.c
# for the figures). The database is kept in output/bench/rowcheck-N.db and
# reused when present.
# Usage: rowcheck.sh [BALLOT_BINARY [BENCH_BINARY]]
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$REPO/build/ballot}
RUN=${2:-$REPO/build/bench_rowcheck}
N=${ROWCHECK_BENCH_REPLIES:-100000}
OWN=${ROWCHECK_BENCH_OWN:-515}
CIRC=990
DB=$REPO/output/bench/rowcheck-$N.db
b() { "$BIN" "$@"; }
if [ ! -f "$DB.done" ]; then
	mkdir -p "$REPO/output/bench"
	export BALLOT_DB="$DB" BALLOT_ACTOR=bench:secretariat BALLOT_NOW=2026-01-05T00:00:00Z
	rm -f "$DB.done" "$DB-wal" "$DB-shm" "$DB.key" "$DB.witness"
	b init >/dev/null
	b consultation create --circular "$CIRC" --group 11 --date 2026-01-05 \
		--meeting-start 2026-04-06 --meeting-end 2026-04-15 >/dev/null
	b draft add --circular "$CIRC" --rec Q.9901 --title "Load test draft" --summary "A summary." >/dev/null
	b codes issue --circular "$CIRC" >"$DB.codes" 2>/dev/null
	# the first member replies OWN times, the others share the rest, a
	# second apart, all before the bench's own replies
	awk -F'\t' -v want="$N" -v own="$OWN" '
		NR == 1 { next }
		{ m[n++] = $1 }
		END {
			print "member\tdraft\tchoice\treceived\tchannel\tattachment"
			for (i = 0; i < want; i++) {
				who = i < own ? m[0] : m[1 + i % (n - 1)]
				printf "%s\tQ.9901\t%s\temail\t\n", who, (i % 2 ? "authorize" : "not-authorize")
			}
		}' "$DB.codes" | awk -F'\t' 'NR == 1 { print; next }
		{ t = 1767571200 + NR; printf "%s\t%s\t%s\t%s\t%s\t\n", $1, $2, $3, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), $4 }' \
		>"$DB.tsv"
	BALLOT_NOW=2026-01-07T00:00:00Z b reply import --force --circular "$CIRC" "$DB.tsv" >/dev/null
	rm -f "$DB.tsv"
	: >"$DB.done"
fi
member=$(awk -F'\t' 'NR == 2 { print $1 }' "$DB.codes")
echo "rowcheck: $(sqlite3 "$DB" 'SELECT count(*) FROM replies') replies, $(sqlite3 "$DB" \
	"SELECT count(*) FROM replies WHERE member = '$member'") of them by $member"
# a copy to write on (with its key and witness, named after it)
sqlite3 "$DB" ".backup '$DB.run'"
cp "$DB.key" "$DB.run.key"
cp "$DB.witness" "$DB.run.witness"
trap 'rm -f "$DB.run" "$DB.run-wal" "$DB.run-shm" "$DB.run.key" "$DB.run.witness"' EXIT
"$RUN" "$DB.run" "$CIRC" "$member"
