#!/usr/bin/env bash
# 37-names.t - members and names are part of the record (issue 11, part 5):
# member code changes only by --recode, and additions, renames and recodes as
# events that `audit verify` checks against the members table; an existing
# database migrated with its member list in the chain, and an old
# consultation's export naming members as on its circular's date; one line per
# member in member and electorate files; no bidirectional or invisible format
# character in names (CLI and portal), Arabic and Hebrew still allowed;
# reply import attachments kept inside their root; circular IDs and
# Recommendation numbers that could lead a writer out of its directory.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools sqlite3 curl perl

trap 'serve_stop; _cleanup' EXIT

H=$(printf 'alpha3\talpha2\tname\tmember_since')
members_tsv() { # members_tsv FILE LINE... (each LINE: a3 a2 name since, '|'-separated)
	local f=$1 l
	shift
	printf '%s\n' "$H" >"$f"
	for l in "$@"; do
		printf '%s\n' "$l" | tr '|' '\t' >>"$f"
	done
}
events_of() { sqlite3 "$BALLOT_DB" "SELECT body FROM events WHERE kind = '$1' ORDER BY seq"; }
audit_broken() { # audit_broken DESC SQL... : on a copy, the SQL makes audit verify exit 1
	local desc=$1 copy="$T/audit-copy.db"
	shift
	rm -f "$copy" "$copy-wal" "$copy-shm"
	sqlite3 "$BALLOT_DB" "VACUUM INTO '$copy'"
	sqlite3 "$copy" "$@"
	BALLOT_DB=$copy run ballot audit verify
	is "$RC" 1 "$desc: audit verify exits 1"
	like "$OUT$ERR" 'member|former names' "  ... naming the members or former names"
}

at 2019-11-20T09:00:00Z
expect_exit 0 ballot init

# --- code changes only by --recode, each an event ------------------------------------
members_tsv "$T/ch-cx.tsv" 'CHE|CX|Switzerland|'
refused_like 'alpha2 of CHE would change from CH to CX.*--recode CH=CX' ballot members import "$T/ch-cx.tsv"
refused_like "--recode XX=YY: no line of .* makes that change" ballot members import "$T/ch-cx.tsv" \
	--recode CH=CX --recode XX=YY
refused_like "--recode: 'CH=CXX' is not OLD=NEW" ballot members import "$T/ch-cx.tsv" --recode CH=CXX
expect_exit 0 ballot members import "$T/ch-cx.tsv" --recode CH=CX
like "$OUT" '1 recoded' "  ... a named alpha-2 change is done, and said"
run ballot members --json
is "$(jwhere . code CHE alpha2)" CX "  ... CHE's alpha-2 is now CX"
like "$(events_of members-import)" '"change":"recode","code":"CHE","alpha2":"CX","name":"Switzerland".*"was_code":"CHE","was_alpha2":"CH"' \
	"  ... a members-import event records the recode (old and new codes)"
expect_exit 0 ballot audit verify

# a new alpha-3 with a recorded member's alpha-2, or name: a silent recode
members_tsv "$T/new3.tsv" 'CHX|CX|Switzerland|'
refused_like 'alpha3 CHX is new but alpha2 .CX. is member CHE.s.*--recode CHE=CHX' ballot members import "$T/new3.tsv"
members_tsv "$T/samename.tsv" 'FRX|FX|France|'
refused_like "alpha3 FRX is new but the name 'France' is member FRA's.*--recode FRA=FRX" \
	ballot members import "$T/samename.tsv"
expect_exit 0 ballot members import "$T/new3.tsv" --recode CHE=CHX
run ballot members --json
is "$(jwhere . code CHX name)" Switzerland "an unused alpha-3 code recoded with --recode CHE=CHX"
is "$(jwhere . code CHE name)" "" "  ... CHE is gone (not a second Switzerland)"

# additions and renames are events too
members_tsv "$T/add.tsv" 'XKX|XK|Kosovo test|2019-11-01' 'DEU|DE|Federal Republic of Germany|'
expect_exit 0 ballot members import "$T/add.tsv"
like "$OUT" '1 added, 1 renamed' "an addition and a rename"
B=$(events_of members-import | tail -n 1)
like "$B" '"change":"add","code":"XKX","alpha2":"XK","name":"Kosovo test","member_since":"2019-11-01"' "  ... the addition is in the event"
like "$B" '"former":\[\{"code":"DEU","name":"Germany"' "  ... the former name too"
like "$B" '"change":"rename","code":"DEU".*"was_name":"Germany"' "  ... and the rename"
members_tsv "$T/aut.tsv" 'AUT|AX|Republic of Austria|'
expect_exit 0 ballot members import "$T/aut.tsv" --recode AT=AX
is "$(sqlite3 "$BALLOT_DB" "SELECT name FROM member_names WHERE code = 'AUT'")" Austria \
	"an alpha-2 recode with a new name keeps the former name too"
expect_exit 0 ballot audit verify

# --- audit verify covers the members table -------------------------------------------
audit_broken "a member renamed by SQL" "UPDATE members SET name = 'Prussia' WHERE code = 'DEU'"
audit_broken "an alpha-2 changed by SQL" "UPDATE members SET alpha2 = 'QQ' WHERE code = 'FRA'"
audit_broken "a member added by SQL" "INSERT INTO members VALUES('QQQ', 'QQ', 'Nowhere', NULL)"
audit_broken "a member removed by SQL" "DROP TRIGGER members_never_removed; DELETE FROM members WHERE code = 'XKX'"
audit_broken "a former name changed by SQL" \
	"DROP TRIGGER member_names_recorded_u; UPDATE member_names SET name = 'Prussia'"
audit_broken "an admission date changed by SQL" "UPDATE members SET since = 18000 WHERE code = 'XKX'"

# --- one line per member ----------------------------------------------------------------
members_tsv "$T/dup.tsv" 'AUT|AX|Republic of Austria|' 'CHX|CX|Switzerland|' 'CHX|CX|Suisse|'
refused_like 'line 4: CHX \(CX\) is the member of line 3' ballot members import "$T/dup.tsv"
members_tsv "$T/dup2.tsv" 'ZAF|ZA|South Africa|' 'ZAX|ZA|South Africa again|'
refused_like 'line 3: ZAX \(ZA\) is the member of line 2' ballot members import "$T/dup2.tsv"
printf 'DEU\nZAF\nFRA\nZA\n' >"$T/electorate.txt"
at 2019-12-02T12:00:00Z
refused_like "--electorate line 4: 'ZA' is ZAF, already on line 2" ballot consultation create --circular 3-1 \
	--group 3 --date 2019-12-02 --meeting-start 2020-03-04 --meeting-end 2020-03-13 \
	--electorate "$T/electorate.txt"
printf 'DEU\nzaf\nFRA\nZAF\n' >"$T/electorate2.txt"
refused_like "--electorate line 4: 'ZAF' is ZAF, already on line 2" ballot consultation create --circular 3-1 \
	--group 3 --date 2019-12-02 --meeting-start 2020-03-04 --meeting-end 2020-03-13 \
	--electorate "$T/electorate2.txt"

# an alpha-3 code named by recorded rows cannot change
expect_exit 0 ballot consultation create --circular 205 --group 11 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 --title "A draft" --summary "A summary."
members_tsv "$T/fra.tsv" 'FRX|FR|France|'
refused_like 'FRA is named by [0-9]+ recorded rows' ballot members import "$T/fra.tsv" --recode FRA=FRX

# --- circular IDs and Recommendation numbers that name files ----------------------------
for id in 'A/1' 'A\1' '..' '.hidden' 'A..B' '../x'; do
	refused "'$id'" ballot consultation create --circular "$id" --group 11 --date 2019-12-02 \
		--meeting-start 2020-03-04 --meeting-end 2020-03-13
done
for rec in 'Q/1' '.Q1' 'Q..1' '../Q1' 'Q\1'; do
	refused "'$rec'" ballot draft add --circular 205 --rec "$rec" --title "A draft" --summary "A summary."
done
# an old database holds a hostile ID (edited with sqlite3): every writer refuses
expect_exit 0 ballot consultation create --circular EVIL1 --group 11 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --circular EVIL1 --rec Q.6001 --title "A draft" --summary "A summary."
sqlite3 "$BALLOT_DB" "DROP TRIGGER consultations_close_only;
	UPDATE consultations SET circular = '../../escape' WHERE circular = 'EVIL1';
	INSERT INTO consultations(circular, grp, rule, rule_edition, date, meeting_start, meeting_end, deadline,
	 custom_electorate, created_at, event_seq) SELECT '.hidden', grp, rule, rule_edition, date, meeting_start,
	 meeting_end, deadline, custom_electorate, created_at, 999999 FROM consultations WHERE circular = '../../escape';
	INSERT INTO drafts(consultation_id, rec, title, summary, revised, state, event_seq)
	 SELECT id, 'Q.6002', 'A draft', 'A summary.', 0, 'in-consultation', 999998 FROM consultations
	 WHERE circular = '.hidden';"
mkdir -p "$T/out/a/b"
refused "'../../escape'" ballot forms --circular ../../escape --blank --lang en --out "$T/out/a/b/forms"
refused "'../../escape'" ballot report --circular ../../escape --lang en --dir "$T/out/a/b/reports"
refused "'.hidden'" ballot forms --circular .hidden --blank --lang en --out "$T/out/a/b/forms"
refused "'.hidden'" ballot report --circular .hidden --lang en --dir "$T/out/a/b/reports"
is "$(find "$T" -name '*escape*' -o -name '.hidden*' | wc -l | tr -d ' ')" 0 \
	"  ... no file or directory written for them, inside or outside the output directory"

# --- invisible and bidirectional characters in names ------------------------------------
at 2020-01-10T10:00:00Z
R=(--circular 205 --draft Q.5051)
printf 'Comments.\n' >"$T/ok.txt"
refused_like "--signatory: has U\+202E" ballot reply "${R[@]}" --member BEL --authorize --signatory $'A. Person\u202e'
refused_like "--signatory: has U\+2066" ballot reply "${R[@]}" --member BEL --authorize --signatory $'\u2066A. Person\u2069'
refused_like "--title: has U\+200B" ballot reply "${R[@]}" --member BEL --authorize --title $'Min\u200bister'
refused_like "--title: has U\+061C" ballot reply "${R[@]}" --member BEL --authorize --title $'\u061cوزير'
cp "$T/ok.txt" "$T/"$'comments\u202etxt.pdf'
refused_like "attachment: file name: has U\+202E" ballot reply "${R[@]}" --member BEL --authorize \
	--comments "$T/"$'comments\u202etxt.pdf'
cp "$T/ok.txt" "$T/"$'com\u200dments.txt'
refused_like "attachment: file name: has U\+200D" ballot reply "${R[@]}" --member BEL --authorize \
	--comments "$T/"$'com\u200dments.txt'
BALLOT_ACTOR=$'tsb\u202eadmin' refused_like "BALLOT_ACTOR: has U\+202E" ballot reply "${R[@]}" --member BEL --authorize
refused_like "--title: has U\+202D" ballot draft add --circular 205 --rec Q.5052 --title $'A \u202ddraft' --summary "A summary."
refused_like "--summary: not valid UTF-8 or has control characters" ballot draft add --circular 205 --rec Q.5052 \
	--title "A draft" --summary $'A summary \u202e with an override.'
members_tsv "$T/rlm.tsv" $'BEL|BE|Bel\u200fgium|'
refused_like "name of BEL: has U\+200F" ballot members import "$T/rlm.tsv"
# Arabic and Hebrew text stays allowed
expect_exit 0 ballot reply "${R[@]}" --member SAU --authorize --signatory 'محمد عبد الله' --title 'وزير الاتصالات'
expect_exit 0 ballot reply "${R[@]}" --member ISR --authorize --signatory 'דוד כהן' --title 'מנכ"ל'
run ballot history --circular 205 --json
like "$OUT" 'محمد عبد الله' "  ... the Arabic signatory is recorded as given"
expect_exit 0 ballot forms --circular 205 --blank --out "$T/forms6"
is "$(find "$T/forms6/205" -name blank.pdf | wc -l | tr -d ' ')" 6 "  ... and the forms of the six languages still load and render"

# --- reply import: attachments stay inside their root ----------------------------------
mkdir -p "$T/imp/att" "$T/other/att"
printf 'Secret.\n' >"$T/secret.txt"
printf 'Comments of Belgium.\n' >"$T/imp/att/bel.txt"
printf 'Comments from elsewhere.\n' >"$T/other/att/bel.txt"
ln -s "$T/secret.txt" "$T/imp/att/link.txt"
ln -s "$T" "$T/imp/up"
IH=$(printf 'member\tdraft\tchoice\treceived\tchannel\tattachment')
imp() { printf '%s\n' "$IH" "$(printf 'BEL\tQ.5051\tauthorize-with-comments\t\temail\t%s' "$2")" >"$T/imp/$1.tsv"; }
imp dotdot ../secret.txt
imp dotdot2 att/../../secret.txt
imp abs "$T/secret.txt"
imp link att/link.txt
imp updir up/secret.txt
imp ok att/bel.txt
refused_like "line 2: attachment: '../secret.txt' leaves the TSV's directory" ballot reply import --circular 205 "$T/imp/dotdot.tsv"
refused_like "line 2: attachment: 'att/../../secret.txt' leaves" ballot reply import --circular 205 "$T/imp/dotdot2.tsv"
refused_like "line 2: attachment: '.*/secret.txt' is an absolute path" ballot reply import --circular 205 "$T/imp/abs.tsv"
refused_like "line 2: attachment: 'att/link.txt' leads out of the TSV's directory through a symbolic link" \
	ballot reply import --circular 205 "$T/imp/link.tsv"
refused_like "line 2: attachment: 'up/secret.txt' leads out" ballot reply import --circular 205 "$T/imp/updir.tsv"
refused_like "--attachments-from: .* is not a directory" ballot reply import --circular 205 "$T/imp/ok.tsv" \
	--attachments-from "$T/nowhere"
refused_like "leaves --attachments-from" ballot reply import --circular 205 "$T/imp/dotdot2.tsv" --attachments-from "$T/other"
expect_exit 0 ballot reply import --circular 205 "$T/imp/ok.tsv" --attachments-from "$T/other"
expect_exit 0 ballot comments --circular 205 --out "$T/cm"
is "$(cat "$T"/cm/*BEL*bel.txt)" "Comments from elsewhere." "  ... --attachments-from DIR: the file is read under DIR"

# --- the portal: 400 naming the field ---------------------------------------------------
need_tools gnutls-cli
unset BALLOT_NOW
expect_exit 0 ballot consultation create --circular 400 --group 11 --date "$(date -u +%F)" \
	--meeting-start "$(date -u -d '+90 days' +%F)" --meeting-end "$(date -u -d '+99 days' +%F)"
expect_exit 0 ballot draft add --summary "A summary." --circular 400 --rec Q.7001 --title "A draft"
CODE=$(ballot codes issue --circular 400 --member CHN 2>/dev/null | awk -F'\t' 'NR == 2 { print $2 }')
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
printf '%%PDF-1.4\n%% comments\n%%%%EOF\n' >"$T/c.pdf"
serve_start "$T/serve.log" || {
	echo "Bail out! ballot serve did not start"
	exit 1
}
signin chn CHN "$CODE"
is "$ST" 303 "CHN signs in"
get chn /member/c/400
TOK=$(csrf_of)
sum=$(db_sum)
reply_post chn /member/c/400/reply -F "csrf=$TOK" -F choice-1=authorize -F $'signatory=A. Person\u202e'
is "$ST" 400 "portal: a signatory with U+202E: 400"
like "$BODY" 'signatory: has U\+202E' "  ... naming the field"
reply_post chn /member/c/400/reply -F "csrf=$TOK" -F choice-1=authorize -F $'title=Min\u200bister'
is "$ST" 400 "portal: a title with U+200B: 400"
like "$BODY" 'title: has U\+200B' "  ... naming the field"
cp "$T/c.pdf" "$T/"$'c\u202efdp.pdf'
reply_post chn /member/c/400/reply -F "csrf=$TOK" -F choice-1=authorize-with-comments \
	-F "file-1=@$T/"$'c\u202efdp.pdf'";type=application/pdf"
is "$ST" 400 "portal: a file name with U+202E: 400"
like "$BODY" 'file-1: has U\+202E' "  ... naming the field"
is "$(db_sum)" "$sum" "  ... nothing recorded"
reply_post chn /member/c/400/reply -F "csrf=$TOK" -F choice-1=authorize -F 'signatory=محمد عبد الله' -F 'title=وزير'
is "$ST" 200 "portal: an Arabic signatory and title are accepted"
get chn '/member/c/400?lang=ar'
is "$ST" 200 "  ... and the portal's Arabic page loads"
like "$BODY" 'dir="rtl"' "  ... right to left"
serve_stop

# --- an existing database migrates with its members in the chain -------------------------
export BALLOT_DB="$T/old.db"
at 2020-02-02T12:00:00Z
sqlite3 "$BALLOT_DB" <"$E2E/data/schema4-renamed-a12d8dd.sql"
is "$(sqlite3 "$BALLOT_DB" 'PRAGMA user_version')" 4 "a schema-4 database (made by ballot at a12d8dd), FRA and CIV renamed after circular 205"
expect_exit 0 ballot init
expect_exit 0 ballot audit verify
B=$(events_of members-baseline)
like "$B" '"actor":"ballot:migration","kind":"members-baseline"' "the migration records the member list as an event"
like "$B" '"former":\[\{"code":"FRA","name":"France","replaced_at":"2020-01-20T10:00:00Z"' "  ... with the former names"
like "$B" '"change":"baseline","code":"FRA","alpha2":"FR","name":"French Republic"' "  ... and the names in force"
run ballot export --circular 205 --format csv
is "$OUT" "$(cat "$E2E/data/schema4-renamed-a12d8dd.csv")" \
	"export names the members as on the circular's date: byte-identical to the export made before the renames"
run ballot export --circular 205 --format json
# (the JSON export's reply items took the history item's keys since that
# export was made: its names, members and events are compared)
OLDJ=$(cat "$E2E/data/schema4-renamed-a12d8dd.json")
is "$(jcol .replies name)" "$(jcol .replies name "$OLDJ")" "  ... the JSON export too: the names as on the circular's date"
is "$(jcol .replies member) $(jcol .replies seq)" "$(jcol .replies member "$OLDJ") $(jcol .replies seq "$OLDJ")" \
	"  ... for the same members and events"
like "$(jcol .replies name)" "France" "  ... (FRA still France there)"
is "$(jget .electorate)" "$(jget .electorate "$OLDJ")" "  ... and the same electorate"
run ballot members --json
is "$(jwhere . code FRA name)" "French Republic" "  ... while members shows today's name"
audit_broken "after the migration, a former name changed by SQL" \
	"DROP TRIGGER member_names_recorded_u; UPDATE member_names SET name = 'Gaul' WHERE code = 'FRA'"
done_testing
