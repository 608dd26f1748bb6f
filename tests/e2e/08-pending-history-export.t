#!/bin/bash
# User story: whom to remind (pending), what happened (history, with who
# recorded it and when), reproducible exports, and the comments TD (§9.4.7).
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205
me=$(id -un)
perl -e 'binmode STDOUT; print map { chr } 0..255, 0..255' >"$T/deu-comments.bin"
printf 'Commentaires et modifications proposées.\n' >"$T/commentaires-é.txt"
printf 'Reasons of France, and possible changes.\n' >"$T/fra-reasons.txt"
printf 'Reasons of Italy.\n' >"$T/ita-reasons.txt"

at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --received 2020-02-10T10:00:00Z
export BALLOT_ACTOR="secretariat:alice"
expect_exit 0 ballot reply --circular 205 --member DEU --authorize --comments "$T/deu-comments.bin" --received 2020-02-10T10:01:00Z --channel email
expect_exit 0 ballot reply --circular 205 --member NLD --authorize --comments "$T/commentaires-é.txt" --received 2020-02-10T10:02:00Z --channel fax
expect_exit 0 ballot reply --circular 205 --member FRA --not-authorize --reasons "$T/fra-reasons.txt" --received 2020-02-10T10:03:00Z --channel post
expect_exit 0 ballot reply --circular 205 --member ITA --authorize --received 2020-02-10T10:04:00Z
at 2020-02-12T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member ITA --not-authorize --reasons "$T/ita-reasons.txt" --received 2020-02-12T10:00:00Z
expect_exit 0 ballot reply --circular 205 --member ESP --authorize --received 2020-02-12T10:01:00Z
export BALLOT_ACTOR="secretariat:bob"
expect_exit 0 ballot withdraw --circular 205 --member ESP --received 2020-02-12T11:00:00Z
unset BALLOT_ACTOR
at 2020-02-24T08:00:00Z
expect_exit 0 ballot reply --circular 205 --member GBR --authorize --received 2020-02-24T07:00:00Z

# --- pending ---
expect_exit 0 ballot pending --circular 205 --json
is "$(jlen .)" 188 "pending: 193 - 5 counted (CHE DEU NLD FRA ITA) = 188"
is "$(jwhere . code CHE code)" "" "CHE (counted) is not pending"
is "$(jwhere . code ESP code)" ESP "ESP (withdrew) is pending"
is "$(jwhere . code GBR code)" GBR "GBR (late) is pending"
is "$(jwhere . code AFG name)" Afghanistan "pending --json entries have code and name"
is "$(jcol . code | grep -vc '^[A-Z][A-Z][A-Z]$')" 0 "every pending entry has an alpha-3 code"
expect_exit 0 ballot pending --circular 205 --draft Q.5051 --json
is "$(jlen .)" 188 "pending --draft Q.5051: the same 188"
expect_exit 0 ballot pending --circular 205
like "$OUT" 'Afghanistan' "text pending shows names"
unlike "$OUT" 'Switzerland' "text pending does not show CHE"
refused Q.9 ballot pending --circular 205 --draft Q.9
refused 999 ballot pending --circular 999

# --- history ---
expect_exit 0 ballot history --circular 205 --json
is "$(jlen .)" 9 "history: 8 replies and 1 withdrawal"
is "$(jcol . status | tr '\n' ' ')" \
	"counted counted counted counted superseded counted withdrawn withdrawal late " \
	"history statuses: counted, superseded (ITA), withdrawn + withdrawal (ESP), late (GBR)"
is "$(jcol . member | tr '\n' ' ')" "CHE DEU NLD FRA ITA ITA ESP ESP GBR " "history in recording order, alpha-3 codes"
is "$(jcol . recorded_by | tr '\n' ' ')" \
	"cli:$me secretariat:alice secretariat:alice secretariat:alice secretariat:alice secretariat:alice secretariat:alice secretariat:bob cli:$me " \
	"recorded_by: \$BALLOT_ACTOR, else cli:<user>"
is "$(jwhere . status withdrawal recorded_at)" 2020-02-12T12:00:00Z "recorded_at is the clock at recording"
is "$(jwhere . status late received)" 2020-02-24T07:00:00Z "received time of the late reply"
is "$(jwhere . member DEU channel)" email "channel recorded"
like "$(jwhere . member DEU .)" "$(sha256_of "$T/deu-comments.bin")" "history shows the attachment's SHA-256"
expect_exit 0 ballot history --circular 205 --member ITA --json
is "$(jcol . status | tr '\n' ' ')" "superseded counted " "history --member ITA"
expect_exit 0 ballot history --circular 205 --member it --json
is "$(jlen .)" 2 "history --member accepts alpha-2, any case"
expect_exit 0 ballot history --circular 205
like "$OUT" 'superseded' "text history shows superseded"
like "$OUT" 'late' "text history shows late"
like "$OUT" 'secretariat:bob' "text history shows who recorded"
refused XYZ ballot history --circular 205 --member XYZ

# --- export ---
at 2020-02-25T00:00:00Z
expect_exit 0 ballot export --circular 205 --format csv
cp "$T/.out" "$T/export1.csv"
expect_exit 0 ballot export --circular 205 --format csv
cp "$T/.out" "$T/export2.csv"
ok "export csv is byte-identical across runs" cmp -s "$T/export1.csv" "$T/export2.csv"
like "$(cat "$T/export1.csv")" 'CHE' "csv has CHE"
like "$(cat "$T/export1.csv")" 'superseded' "csv has the superseded reply"
ok "csv has a header line and one line per recorded item" test "$(grep -c '' "$T/export1.csv")" -ge 10
expect_exit 0 ballot export --circular 205 --format json
cp "$T/.out" "$T/export1.json"
ok "export json is valid JSON" jvalid
expect_exit 0 ballot export --circular 205 --format json
cp "$T/.out" "$T/export2.json"
ok "export json is byte-identical across runs" cmp -s "$T/export1.json" "$T/export2.json"
like "$(cat "$T/export1.json")" 'GBR' "json has the late reply"
# statuses are judged against the deadline, not the clock: a later run gives the same bytes
at 2020-04-01T00:00:00Z
expect_exit 0 ballot export --circular 205 --format csv
ok "export csv is the same a month later" cmp -s "$T/.out" "$T/export1.csv"
expect_exit 0 ballot export --circular 205 --format json
ok "export json is the same a month later" cmp -s "$T/.out" "$T/export1.json"
at 2020-02-25T00:00:00Z
refused xml ballot export --circular 205 --format xml
refused 999 ballot export --circular 999 --format csv

# --- comments (the TD of §9.4.7) ---
expect_exit 0 ballot comments --circular 205 --out "$T/td"
found() { found_in "$T/td" "$1"; }
ok "DEU's comments written byte for byte" found "$T/deu-comments.bin"
ok "NLD's comments written byte for byte" found "$T/commentaires-é.txt"
ok "FRA's reasons written byte for byte" found "$T/fra-reasons.txt"
ok "ITA's reasons written byte for byte" found "$T/ita-reasons.txt"
manifest=$(find "$T/td" -type f -iname '*manifest*' | head -n 1)
ok "a manifest is written" test -n "$manifest"
m=$(cat "$manifest" 2>/dev/null)
like "$m" 'DEU' "the manifest names DEU"
like "$m" "$(sha256_of "$T/deu-comments.bin")" "the manifest has the SHA-256 of DEU's comments"
like "$m" "$(sha256_of "$T/fra-reasons.txt")" "the manifest has the SHA-256 of FRA's reasons"
refused 999 ballot comments --circular 999 --out "$T/td2"

# --- export: cells a spreadsheet would take for formulas (issue 14) ---
# Attachment names come from administrations (the portal takes any name) and
# were written raw: "=HYPERLINK(...)" ran as a formula where the secretariat
# opened the CSV. OWASP: a cell starting with = + - @ tab or CR is quoted and
# gets a leading single quote.
CIRC=207 setup_205
at 2020-02-10T12:00:00Z
mkdir -p "$T/f"
printf 'Comments.\n' >"$T/f/=HYPERLINK(\"http:x\",\"y\").txt"
printf 'Comments.\n' >"$T/f/+1+2.txt"
printf 'Comments.\n' >"$T/f/-3.txt"
printf 'Comments.\n' >"$T/f/@SUM(1).txt"
printf 'Comments.\n' >"$T/f/a;=1+1.txt"
m=(CHE DEU FRA ITA ESP)
i=0
for f in '=HYPERLINK("http:x","y").txt' +1+2.txt -3.txt '@SUM(1).txt' 'a;=1+1.txt'; do
	BALLOT_ACTOR="=cmd|' /C calc'!A0" expect_exit 0 ballot reply --circular 207 --member "${m[$i]}" \
		--authorize --comments "$T/f/$f" --received 2020-02-10T10:0$i:00Z
	i=$((i + 1))
done
expect_exit 0 ballot export --circular 207 --format csv
cp "$T/.out" "$T/formula.csv"
sha=$(sha256_of "$T/f/-3.txt")
cell() { # cell ROW COL: one field of formula.csv (quotes kept), by core Perl
	perl -ne 'BEGIN { ($r, $c) = @ARGV; @ARGV = () } next unless $. == $r + 1;
		chomp; my @f = /\G("(?:[^"]|"")*"|[^,]*)(?:,|$)/g; print $f[$c - 1]' "$1" "$2" <"$T/formula.csv"
}
is "$(cell 1 11)" "\"'=HYPERLINK(\"\"http:x\"\",\"\"y\"\").txt:$sha\"" "a cell starting with = gets a quote and a single quote"
is "$(cell 2 11)" "\"'+1+2.txt:$sha\"" "  ... one starting with +"
is "$(cell 3 11)" "\"'-3.txt:$sha\"" "  ... one starting with -"
is "$(cell 4 11)" "\"'@SUM(1).txt:$sha\"" "  ... one starting with @"
is "$(cell 5 11)" "\"a;=1+1.txt:$sha\"" "a cell holding ';' (a field separator in many locales) is quoted"
is "$(cell 1 12)" "\"'=cmd|' /C calc'!A0\"" "the recorder (\$BALLOT_ACTOR) too"
is "$(cell 1 2),$(cell 1 4)" 207,CHE "  ... other cells as they were (circular, member)"
is "$(cell 1 7)" 2020-02-10T10:00:00Z "  ... (received)"
expect_exit 0 ballot export --circular 207 --format csv
ok "  ... byte-identical on every run" cmp -s "$T/.out" "$T/formula.csv"
expect_exit 0 ballot export --circular 207 --format json
is "$(jget '.replies[0].attachments[0].name')" '=HYPERLINK("http:x","y").txt' "the JSON export keeps the names as they are"

# --- one rendering of a history item (issue 12): the export's replies are
# the items `history --json` prints, each with the member's name added ---
expect_exit 0 ballot export --circular 205 --format json
one=$OUT
expect_exit 0 ballot history --circular 205 --json
hist=$OUT
seq1=$(jget '.replies[0].seq' "$one")
like "$seq1" '^[0-9]+$' "the export's first reply has an event number"
is "$(jkeys '.replies[0]' "$one" | tr '\n' ' ')" \
   "seq kind member name rec what received channel status recorded_by recorded_at attachments without_reasons signatory title detail " \
   "an export reply has the history item's keys, and the member's name"
item=$(jwhere . seq "$seq1" . "$hist")
like "$item" '^\{"seq":' "history --json has that event"
is "$item" "$(jget '.replies[0]' "$one" | perl -pe 's/,"name":"[^"]*"//')" \
   "the same item, byte for byte, in history --json and in the export (less the name)"
expect_exit 0 ballot members --json
is "$(jget '.replies[0].name' "$one")" "$(jwhere . code "$(jget '.replies[0].member' "$one")" name)" \
   "the name is the member's name"

done_testing
