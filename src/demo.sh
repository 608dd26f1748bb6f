#!/bin/sh
# make demo: runs TSB Circular 205 (the consultation on draft Recommendation
# ITU-T Q.5051, seed 004) on a fresh database, with SAMPLE replies.
# Usage: demo.sh BALLOT_BINARY DATABASE
# (from the checkout, or installed beside its data: examples/demo.sh, examples/demo/)
set -eu
BIN=$1
DB=$2
DEMO=forms/demo
[ -d "$DEMO" ] || DEMO=$(dirname "$0")/demo
# the demo runs on its own files, whatever /etc/ballot/ballot.conf says
export BALLOT_CONFIG=/dev/null
b() { "$BIN" --db "$DB" "$@"; }
say() { printf '\n== %s\n' "$*"; }

OUT=$(dirname "$DB")
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"
rm -rf "$OUT/receipts" "$OUT/results-205"
mkdir -p "$OUT/receipts"
export BALLOT_ACTOR="demo:secretariat"

say "A fresh database with the 194 ITU Member States, and the secretariat's signing key beside it"
BALLOT_NOW=2019-12-04T09:00:00Z b init

say "TSB Circular 205: SG11 meets in Geneva, 4-13 March 2020; the deadline follows from Res. 1 §9.4.1"
BALLOT_NOW=2019-12-04T09:00:00Z b consultation create --circular 205 --group 11 \
	--date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13
BALLOT_NOW=2019-12-04T09:05:00Z b draft add --circular 205 --rec Q.5051 --former Q.FW_CSM \
	--title "Framework for combating the use of stolen mobile devices" \
	--title-zh "打击使用失窃移动设备的框架" \
	--source SG11-R25 --text "$DEMO/Q.5051-summary.txt" \
	--summary "A framework of requirements and recommended measures to combat the theft of mobile devices and the reuse of stolen devices (our translation of the seed's summary)."

say "SAMPLE replies (invented, not real positions) arrive by e-mail, fax and post"
BALLOT_NOW=2020-02-14T09:00:00Z b reply import --circular 205 "$DEMO/replies.tsv" --receipts "$OUT/receipts"
# Kenya's "does not authorize" came without reasons: flagged, still counted.
# Germany changes its mind before the deadline: the later reply supersedes.
BALLOT_NOW=2020-02-18T10:00:00Z b reply --circular 205 --member DEU --authorize \
	--comments "$DEMO/attachments/DEU-revised.txt" --received 2020-02-18T09:55:00Z \
	--channel email --signatory "A. Beispiel" --title "Head of Unit" --receipt "$OUT/receipts/DEU.json"
# Egypt withdraws its reply before the deadline.
BALLOT_NOW=2020-02-19T12:00:00Z b withdraw --circular 205 --member EGY --received 2020-02-19T11:30:00Z \
	--receipt "$OUT/receipts/EGY.json"
# Spain replies one minute after the deadline: recorded, shown, never counted.
BALLOT_NOW=2020-02-22T08:00:00Z b reply --circular 205 --member ESP --not-authorize \
	--received 2020-02-22T00:00:00Z --channel fax --receipt "$OUT/receipts/ESP.json" 2>&1 || true

say "Germany checks the signed receipt it was sent, with the key the secretariat publishes"
b keys show > "$OUT/receipts/secretariat-key.txt"
cat "$OUT/receipts/secretariat-key.txt"
"$BIN" receipt verify "$OUT/receipts/DEU.json" --key "$OUT/receipts/secretariat-key.txt"

say "The tally one week before the deadline (what the secretariat watches)"
BALLOT_NOW=2020-02-14T12:00:00Z b tally --circular 205

say "Who has not replied yet (first ten of the reminder list)"
BALLOT_NOW=2020-02-14T12:00:00Z b pending --circular 205 | head -n 10

say "After the deadline: the final tally, and closing the consultation"
BALLOT_NOW=2020-02-24T09:00:00Z b tally --circular 205
BALLOT_NOW=2020-02-24T09:00:00Z b close --circular 205

say "What a study group chairman sees"
BALLOT_NOW=2020-02-24T09:00:00Z b status

say "The history of Germany's replies, and the event log check"
b history --circular 205 --member DEU
b audit verify

say "The signed results bundle, and any Member State checking it without the database"
BALLOT_NOW=2020-02-24T09:30:00Z b publish --circular 205 --out "$OUT/results-205" --attachments
"$BIN" verify-bundle "$OUT/results-205" --key "$OUT/receipts/secretariat-key.txt" \
	--receipt "$OUT/receipts/DEU.json" --receipt "$OUT/receipts/EGY.json"

say "The Annex 2 reply forms as PDF: blank, and personalized for the members that replied, in the six languages"
MEMBERS=$(awk -F'\t' '!/^#/ && $1 != "member" { print $1 }' "$DEMO/replies.tsv" | sort -u | paste -sd, -)
b forms --circular 205 --blank --member "$MEMBERS,ESP" --lang all --out "$OUT/forms"

say "The tally report as PDF, in the six languages"
BALLOT_NOW=2020-02-24T09:00:00Z b report --circular 205 --lang all --dir "$OUT/reports"

printf '\nThe demo database is %s; try: build/ballot --db %s tally --circular 205 --json\n' "$DB" "$DB"
printf 'Forms: %s/forms/205/<lang>/ (blank.pdf, <CODE>.pdf); reports: %s/reports/205-<lang>.pdf\n' "$OUT" "$OUT"
printf 'Receipts: %s/receipts/; the results bundle: %s/results-205/ (check it: build/ballot verify-bundle %s/results-205 --key %s/receipts/secretariat-key.txt)\n' "$OUT" "$OUT" "$OUT" "$OUT"
