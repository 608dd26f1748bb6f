#!/bin/bash
# User story: the secretariat keeps ITU's closed days (WTSA Res. 1 §9.4.1
# counts working days): the default calendar, its changes as events, the
# deadlines computed with it, forced and moved deadlines, and an older
# database migrated with its deadlines kept.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh" # need_tools
need_tools sqlite3 perl pdftotext

expect_exit 0 ballot init
sq() { sqlite3 "$BALLOT_DB" "$@"; }

# --- the default calendar ---
expect_exit 0 ballot calendar list --year 2025 --json
is "$(jlen .)" 9 "2025: seven rule-based closed days and the two Eid holidays of the data file"
is "$(jcol . date | tr '\n' ' ')" "2025-01-01 2025-03-31 2025-04-18 2025-04-21 2025-05-29 2025-06-06 2025-06-09 2025-09-11 2025-12-25 " "2025's closed days, by date"
is "$(jwhere . date 2025-09-11 name)" "Jeûne genevois" "Jeûne genevois 2025 is Thursday 11 September (the first Sunday is the 7th)"
is "$(jwhere . date 2025-04-18 name)" "Good Friday" "Good Friday 2025 (Easter 20 April)"
is "$(jwhere . date 2025-03-31 source)" "forms/calendar/itu-closed-days.tsv" "Eid al-Fitr comes from the data file"
is "$(jwhere . date 2025-05-29 source)" rules "Ascension comes from the rules"
expect_exit 0 ballot calendar list --year 2100 --json
is "$(jlen .)" 7 "the rules cover 2100"
is "$(jwhere . date 2100-03-26 name)" "Good Friday" "Good Friday 2100 (Easter 28 March)"
expect_exit 0 ballot calendar list --year 2101 --json
is "$(jlen .)" 0 "... and stop there"
expect_exit 0 ballot calendar list --year 2038
like "$OUT" '2038-04-26  Mon  Easter Monday' "the text list: date, weekday, name (Easter 2038 is 25 April)"
is "$(sq "SELECT kind || ' ' || actor FROM events WHERE seq IN (2, 3) ORDER BY seq" | tr '\n' ',')" "calendar-import cli:$(id -un),calendar-import cli:$(id -un)," "init records the default calendar as two events in the chain"
expect_exit 0 ballot audit verify

# --- changes, each an event ---
at 2020-02-10T12:00:00Z
expect_exit 0 ballot calendar add 2025-12-24 --name "Christmas Eve"
like "$OUT" '^added closed day 2025-12-24 \(Wed\): Christmas Eve$' "calendar add"
is "$(sq "SELECT kind FROM events ORDER BY seq DESC LIMIT 1")" calendar-add "... is a calendar-add event"
like "$(sq "SELECT body FROM events ORDER BY seq DESC LIMIT 1")" '"days":\[\{"date":"2025-12-24","name":"Christmas Eve"\}\]' "... naming the day"
refused "2025-12-24" ballot calendar add 2025-12-24 --name "again"
refused "2025-02-30" ballot calendar add 2025-02-30 --name "no such day"
refused "--name" ballot calendar add 2025-12-23
refused "--name" ballot calendar add 2025-12-23 --name ""
refused "--name" ballot calendar add 2025-12-23 --name "$(printf 'tab\there')"
refused "DATE" ballot calendar add --name "no date"
refused "--year" ballot calendar list --year 20x5
expect_exit 0 ballot calendar remove 2025-12-24
is "$(sq "SELECT kind FROM events ORDER BY seq DESC LIMIT 1")" calendar-remove "calendar remove is an event"
refused "2025-12-24" ballot calendar remove 2025-12-24
refused "2025-12-23" ballot calendar remove 2025-12-23
expect_exit 0 ballot calendar list --year 2025 --json
is "$(jwhere . date 2025-12-24 name)" "" "a removed day is no longer in force"

printf '# ITU notice\n2026-03-20\tEid al-Fitr\n\n2026-05-27\tEid al-Adha\n2026-01-01\tNew Year (already closed)\n' >eid.tsv
expect_exit 0 ballot calendar import eid.tsv
like "$OUT" '^imported 2 closed days from eid.tsv \(1 already closed, skipped\)$' "calendar import: new days added, days already closed skipped"
is "$(sq "SELECT kind FROM events ORDER BY seq DESC LIMIT 1")" calendar-import "... one calendar-import event"
expect_exit 0 ballot calendar list --year 2026 --json
is "$(jwhere . date 2026-05-27 source)" eid.tsv "... recording the file it came from"
printf '2027-01-05\tA day\n2027-01-06\n' >bad1.tsv
refused "FILE line 2" ballot calendar import bad1.tsv
printf '2027-01-05\tA day\n2027-02-30\tNo day\n' >bad2.tsv
refused "2027-02-30" ballot calendar import bad2.tsv
printf '2027-01-05\tA day\n# c\n2027-01-05\tThe same day\n' >bad3.tsv
refused "lines 1 and 3" ballot calendar import bad3.tsv
printf '# only comments\n' >bad4.tsv
refused "no closed day" ballot calendar import bad4.tsv
refused "nofile.tsv" ballot calendar import nofile.tsv
expect_exit 0 ballot audit verify

# the audit covers the calendar's rows
cp "$BALLOT_DB" t1.db
sqlite3 t1.db "DROP TRIGGER closed_days_remove_only; UPDATE closed_days SET name = 'Not closed' WHERE day = (SELECT day FROM closed_days WHERE name = 'Jeûne genevois' LIMIT 1)"
expect_exit 1 ballot --db t1.db audit verify
like "$OUT$ERR" 'closed days differ from what the event recorded' "a closed day's name changed: audit verify says so"
cp "$BALLOT_DB" t2.db
sqlite3 t2.db "DROP TRIGGER closed_days_append_only_d; DELETE FROM closed_days WHERE source = 'eid.tsv'"
expect_exit 1 ballot --db t2.db audit verify
like "$OUT$ERR" 'closed days this event recorded are missing' "closed days deleted: audit verify says so"
cp "$BALLOT_DB" t3.db
sqlite3 t3.db "INSERT INTO closed_days(day, name, source, added_at, event_seq) VALUES(20500, 'Extra', 'cli', 0, 1)"
expect_exit 1 ballot --db t3.db audit verify
like "$OUT$ERR" 'row claims this event' "a closed day slipped in under another event: audit verify says so"

# --- the issue's deadlines, with the default calendar ---
create() { # create CIRCULAR MEETING-START [options...]
	local c=$1 m=$2
	shift 2
	ballot consultation create --circular "$c" --group 11 --meeting-start "$m" --meeting-end "$m" "$@"
}
deadline_of() { ballot tally --circular "$1" --json | perl "$E2E/jp.pl" get .deadline; }
at 2020-09-01T00:00:00Z
expect_exit 0 create D2021 2021-01-11 --date 2020-09-01
is "$(deadline_of D2021)" 2020-12-29T23:59:00Z "meeting 2021-01-11 -> 2020-12-29 (1 January is closed)"
like "$OUT" 'closed days +skipped 2021-01-01 New Year.s Day' "create shows the closed day it skipped"
expect_exit 0 create D2024 2024-01-08 --date 2023-09-01
is "$(deadline_of D2024)" 2023-12-26T23:59:00Z "meeting 2024-01-08 -> 2023-12-26"
expect_exit 0 create D2025 2025-04-22 --date 2025-01-10
is "$(deadline_of D2025)" 2025-04-08T23:59:00Z "meeting 2025-04-22 -> 2025-04-08 (Good Friday, Easter Monday closed)"
expect_exit 0 ballot consultation show --circular D2025
like "$OUT" 'skipped 2025-04-18 Good Friday, 2025-04-21 Easter Monday' "consultation show names the closed days skipped"
like "$OUT" '2025-04-08T23:59:00Z \(7 working days before the meeting\)' "... and counts seven working days"
like "$(sq "SELECT body FROM events WHERE kind = 'consultation' AND circular = 'D2025'")" '"skipped_closed_days":\[\{"date":"2025-04-18","name":"Good Friday"\},\{"date":"2025-04-21","name":"Easter Monday"\}\]' "the consultation event records them"
expect_exit 0 create C205 2020-03-04 --date 2019-12-02
is "$(deadline_of C205)" 2020-02-21T23:59:00Z "Circular 205: 2020-02-21, as TSB Circular 205 says"

# --- the same with a calendar closing only 1 January, Good Friday, Easter Monday, 25 December ---
export BALLOT_DB="$T/four.db"
expect_exit 0 ballot init
for d in $(sq "SELECT date(day * 86400, 'unixepoch') FROM closed_days WHERE removed_seq IS NULL AND day BETWEEN 18262 AND 20453 AND name NOT IN ('New Year''s Day', 'Good Friday', 'Easter Monday', 'Christmas Day')"); do
	ballot calendar remove "$d" >/dev/null || fail "remove $d"
done
expect_exit 0 ballot calendar list --year 2024 --json
is "$(jcol . name | sort -u | tr '\n' ',')" "Christmas Day,Easter Monday,Good Friday,New Year's Day," "a four-day calendar for 2020-2025"
expect_exit 0 create D2021 2021-01-11 --date 2020-09-01
is "$(deadline_of D2021)" 2020-12-29T23:59:00Z "four days: 2021-01-11 -> 2020-12-29"
expect_exit 0 create D2024 2024-01-08 --date 2023-09-01
is "$(deadline_of D2024)" 2023-12-26T23:59:00Z "four days: 2024-01-08 -> 2023-12-26"
expect_exit 0 create D2025 2025-04-22 --date 2025-01-10
is "$(deadline_of D2025)" 2025-04-08T23:59:00Z "four days: 2025-04-22 -> 2025-04-08"
expect_exit 0 create D2025b 2025-06-02 --date 2025-01-10
is "$(deadline_of D2025b)" 2025-05-21T23:59:00Z "without Ascension, 2025-06-02 -> 2025-05-21 (the full calendar gives 05-20)"
expect_exit 0 ballot audit verify
export BALLOT_DB="$T/ballot.db"

# --- a later calendar change never moves a deadline ---
expect_exit 0 ballot calendar add 2020-12-30 --name "Office closure"
expect_exit 0 ballot consultation show --circular D2021
like "$OUT" 'deadline +2020-12-29T23:59:00Z' "the deadline stays 2020-12-29"
like "$ERR" "^warning: today's calendar gives the default deadline 2020-12-28T23:59:00Z, not 2020-12-29T23:59:00Z" "consultation show warns that today's calendar gives another date"
is "$(deadline_of D2021)" 2020-12-29T23:59:00Z "tally keeps it too"

# --- consultation set-deadline: the only way to move it ---
at 2020-12-01T00:00:00Z
expect_exit 0 ballot draft add --circular D2021 --rec Q.1 --title "A draft" --summary "A summary"
at 2020-12-30T11:00:00Z
expect_exit 0 ballot reply --circular D2021 --member CHE --authorize --received 2020-12-30T10:00:00Z
expect_exit 0 ballot tally --circular D2021 --json
is "$(jget '.drafts[0].late')" 1 "a reply of 2020-12-30 is late"
refused "--reason" ballot consultation set-deadline --circular D2021 2020-12-28T23:59:00Z
refused "TIME" ballot consultation set-deadline --circular D2021 --reason "x"
refused "2020-12-28T25:00" ballot consultation set-deadline --circular D2021 2020-12-28T25:00Z --reason "x"
at 2020-12-01T00:00:00Z
refused "2020-12-29T23:59:00Z is already the deadline" ballot consultation set-deadline --circular D2021 2020-12-29T23:59:00Z --reason "x"
at 2020-12-30T11:00:00Z
refused "already past" ballot consultation set-deadline --circular D2021 2020-12-29T23:00:00Z --reason "x"
refused "not before the meeting" ballot consultation set-deadline --circular D2021 2021-01-11T00:00:00Z --reason "x"
refused "NOPE" ballot consultation set-deadline --circular NOPE 2020-12-28T23:59:00Z --reason "x"
expect_exit 0 ballot consultation set-deadline --circular D2021 2020-12-31T23:59:00Z --reason "late replies after the office closure"
like "$OUT" '^deadline of D2021 moved to 2020-12-31T23:59:00Z$' "set-deadline moves it"
like "$ERR" '1 reply recorded between the old and the new deadline now counts differently' "... saying a recorded reply changes count"
is "$(deadline_of D2021)" 2020-12-31T23:59:00Z "tally follows the new deadline"
expect_exit 0 ballot tally --circular D2021 --json
is "$(jget '.drafts[0].late')" 0 "the reply of 2020-12-30 is no longer late"
is "$(jget '.drafts[0].replies')" 1 "... it counts"
expect_exit 0 ballot consultation show --circular D2021
like "$OUT" 'deadline moved +2020-12-29T23:59:00Z -> 2020-12-31T23:59:00Z at 2020-12-30T11:00:00Z by cli:[^ ]+ \(event [0-9]+\): late replies after the office closure' "consultation show tells the move and its reason"
like "$(sq "SELECT kind || ' ' || body FROM events ORDER BY seq DESC LIMIT 1")" '^deadline .*"circular":"D2021".*"old_deadline":"2020-12-29T23:59:00Z","deadline":"2020-12-31T23:59:00Z","reason":"late replies after the office closure"' "a deadline event in the consultation's chain"
expect_exit 0 ballot history --circular D2021 --json
is "$(jwhere . kind deadline what)" deadline "history lists the deadline move"
like "$OUT" '"kind":"deadline".*"reason":"late replies after the office closure"' "... with its reason"
expect_exit 0 ballot audit verify
# the row and its event must agree
cp "$BALLOT_DB" t4.db
sqlite3 t4.db "DROP TRIGGER consultations_close_only; UPDATE consultations SET deadline = deadline + 86400 WHERE circular = 'D2021'"
expect_exit 1 ballot --db t4.db audit verify
like "$OUT$ERR" "consultation D2021's deadline differs from its recorded deadline changes" "a deadline rewritten in place: audit verify says so"
run sqlite3 "$BALLOT_DB" "UPDATE consultations SET deadline = deadline + 60 WHERE circular = 'D2024'"
like "$RC $ERR" "^19 .*a consultation changes only by closing or by a recorded deadline change" \
	"the schema refuses a deadline changed without a recorded change"
# the published bundle follows the moved deadline
at 2021-01-05T00:00:00Z
expect_exit 0 ballot close --circular D2021
refused "was closed" ballot consultation set-deadline --circular D2021 2021-01-04T23:59:00Z --reason "too late"
expect_exit 0 ballot publish --circular D2021 --out pub
expect_exit 0 ballot verify-bundle pub --key "$(ballot keys show | grep -o 'ed25519:[0-9a-f]*' | head -n 1)"

# --- explicit deadlines: refused unless forced, with a reason ---
at 2020-02-10T12:00:00Z
refused_like 'falls on a Saturday' create F1 2020-03-04 --date 2019-12-02 --deadline 2020-02-22T23:59:00Z
refused_like 'falls on a day ITU is closed \(Good Friday\)' create F2 2020-04-28 --date 2020-01-10 --deadline 2020-04-10T23:59:00Z
refused_like 'leaves 4 working days before the meeting' create F3 2020-03-04 --date 2019-12-02 --deadline 2020-02-26T23:59:00Z
refused_like 'is already past' create F4 2020-03-04 --date 2019-12-02 --deadline 2020-02-07T23:59:00Z
refused_like '^ballot: --reason: required with --force-deadline' create F5 2020-03-04 --date 2019-12-02 --deadline 2020-02-22T23:59:00Z --force-deadline
refused_like '^ballot: --reason: only with --force-deadline' create F6 2020-03-04 --date 2019-12-02 --deadline 2020-02-22T23:59:00Z --reason "x"
refused_like '^ballot: --force-deadline: only with an explicit --deadline' create F7 2020-03-04 --date 2019-12-02 --force-deadline --reason "x"
refused_like '^ballot: --force-deadline: deadline 2020-02-21T23:59:00Z breaks no rule' create F8 2020-03-04 --date 2019-12-02 --deadline 2020-02-21T23:59:00Z --force-deadline --reason "x"
expect_exit 0 create F9 2020-03-04 --date 2019-12-02 --deadline 2020-02-22T23:59:00Z --force-deadline --reason "the chair asked for Saturday"
expect_exit 0 ballot consultation show --circular F9
like "$OUT" 'deadline +forced: the chair asked for Saturday' "consultation show gives the reason"
like "$(sq "SELECT body FROM events WHERE kind = 'consultation' AND circular = 'F9'")" '"deadline_forced":"the chair asked for Saturday"' "the consultation event records it"
expect_exit 0 ballot draft add --circular F9 --rec Q.9 --title "Forced" --summary "S"
expect_exit 0 ballot tally --circular F9
like "$OUT" 'deadline forced outside WTSA Res. 1 §9.4.1: the chair asked for Saturday' "tally says so"
expect_exit 0 ballot tally --circular F9 --json
is "$(jget .deadline_forced)" "the chair asked for Saturday" "tally --json carries deadline_forced"
expect_exit 0 ballot report --circular F9 --lang en --out f9.pdf
like "$(pdftotext f9.pdf - 2>/dev/null | tr '\n' ' ')" 'Deadline set outside WTSA Res. 1 §9.4.1: the chair asked for Saturday' "the report says so"
expect_exit 0 ballot tally --circular C205 --json
is "$(jget .deadline_forced)" "<missing>" "an ordinary deadline: no deadline_forced"
expect_exit 0 ballot audit verify

# --- an older database migrates: the calendar arrives, deadlines stay ---
sqlite3 old.db <"$E2E/data/schema2-75e41aa.sql"
is "$(sqlite3 old.db 'PRAGMA user_version')" 2 "a schema-2 database from before the calendar"
expect_exit 2 ballot --db old.db tally --circular 2021-1
like "$ERR" 'needs an upgrade' "read-only commands do not migrate"
expect_exit 0 ballot --db old.db init
expect_exit 0 ballot --db old.db tally --circular 2021-1 --json
is "$(jget .deadline)" 2020-12-30T23:59:00Z "after migration, consultation 2021-1 keeps its deadline (the calendar would give 2020-12-29)"
is "$(sqlite3 old.db "SELECT kind || ' ' || actor FROM events WHERE seq > 5 AND kind LIKE 'calendar-%' ORDER BY seq" | tr '\n' ',')" "calendar-import ballot:migration,calendar-import ballot:migration," "the migration adds the default calendar as two events in the chain"
expect_exit 0 ballot --db old.db calendar list --year 2021 --json
is "$(jlen .)" 7 "... and the calendar is there"
expect_exit 0 ballot --db old.db audit verify
expect_exit 0 ballot --db old.db consultation show --circular 2021-1
like "$OUT" 'closed days +created before the calendar of closed days' "consultation show says the old one predates the calendar"
like "$ERR" "today's calendar gives the default deadline 2020-12-29T23:59:00Z, not 2020-12-30T23:59:00Z" "... and warns that today's calendar gives another date"
expect_exit 0 ballot --db old.db tally --circular 205 --json
is "$(jget .deadline)" 2020-02-21T23:59:00Z "Circular 205 keeps 2020-02-21"
expect_exit 0 ballot --db old.db check

done_testing
