#!/bin/bash
# User story: the secretariat registers a consultation (a circular): its study
# group, meeting, date, deadline, rule and electorate.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init

create() { # create CIRCULAR [options...]: SG11, meeting 4-13 March 2020
	local c=$1
	shift
	ballot consultation create --circular "$c" --group 11 \
		--meeting-start 2020-03-04 --meeting-end 2020-03-13 "$@"
}
tally_of() { # tally_of CIRCULAR: runs tally --json (as of BALLOT_NOW)
	run ballot tally --circular "$1" --json
}

# --- Circular 205: default deadline and electorate ---
expect_exit 0 create 205 --date 2019-12-02
unlike "$ERR" 'warning' "the default deadline gives no warning"
tally_of 205
is "$RC" 0 "tally --json of a consultation with no draft yet"
is "$(jget .circular)" 205 "circular 205"
is "$(jget .deadline)" 2020-02-21T23:59:00Z "meeting 2020-03-04 -> deadline 2020-02-21T23:59:00Z"
is "$(jget .electorate)" 193 "the electorate of a 2019 circular is 193 Member States"
is "$(jget .rule)" tap "the default rule is tap"

expect_exit 0 create 206 --date 2020-02-03
tally_of 206
is "$(jget .deadline)" 2020-02-21T23:59:00Z "a 2020 circular date gives the same deadline"
is "$(jget .electorate)" 193 "the electorate of a 2020 circular is 193"

# the default --date is today (BALLOT_NOW)
expect_exit 0 create 207
tally_of 207
is "$(jget .electorate)" 193 "without --date, today (2020-02-10) is the circular's date: 193"

# other meetings: weekends skipped (Monday start), across a year end
expect_exit 0 ballot consultation create --circular 2025-1 --group 11 \
	--meeting-start 2025-06-02 --meeting-end 2025-06-11 --date 2025-01-10
tally_of 2025-1
is "$(jget .deadline)" 2025-05-20T23:59:00Z "meeting Monday 2025-06-02 -> deadline Tuesday 2025-05-20 (Ascension, Thursday 2025-05-29, is not a working day)"
is "$(jget .electorate)" 194 "a 2025 electorate has 194 Member States"
expect_exit 0 ballot consultation create --circular 2020-jan --group 11 \
	--meeting-start 2020-01-13 --meeting-end 2020-01-17 --date 2019-10-01
tally_of 2020-jan
is "$(jget .deadline)" 2019-12-31T23:59:00Z "meeting Monday 2020-01-13 -> deadline 2019-12-31 (1 January is not a working day)"

# Palau: in the 2025 electorate, not in the 2020 one
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title "Framework for combating the use of stolen mobile devices"
expect_exit 0 ballot pending --circular 205 --json
is "$(jlen .)" 193 "pending of 205 lists 193 members"
is "$(jwhere . code PLW code)" "" "Palau is not in the 2019 electorate"
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 2025-1 --rec Q.1 --title "A 2025 draft"
at 2025-02-01T00:00:00Z
expect_exit 0 ballot pending --circular 2025-1 --json
is "$(jlen .)" 194 "pending of the 2025 consultation lists 194 members"
is "$(jwhere . code PLW code)" PLW "Palau is in the 2025 electorate"
expect_exit 0 ballot reply --circular 2025-1 --member PLW --authorize --received 2025-01-20T10:00:00Z
at 2020-02-10T12:00:00Z

# --- explicit deadlines ---
# a deadline leaving fewer than seven working days is refused (§9.4.1) unless
# forced with a reason (tests/e2e/34-calendar.t tests forcing)
expect_exit 2 create 210 --date 2019-12-02 --deadline 2020-02-26T23:59:00Z
like "$ERR" '^ballot: --deadline: 2020-02-26T23:59:00Z leaves 4 working days before the meeting' "a deadline leaving 4 working days is refused"
expect_exit 0 create 210 --date 2019-12-02 --deadline 2020-02-26T23:59:00Z --force-deadline --reason "meeting moved"
tally_of 210
is "$(jget .deadline)" 2020-02-26T23:59:00Z "... and with --force-deadline --reason, stored as given"

expect_exit 0 create 211 --date 2019-12-02 --deadline 2020-02-21T23:59:00Z
unlike "$ERR" '[Ww]arning' "an explicit deadline leaving exactly seven working days: no warning"
expect_exit 0 create 212 --date 2019-12-02 --deadline 2020-02-14T12:00:00Z
unlike "$ERR" '[Ww]arning' "an earlier deadline: no warning"
tally_of 212
is "$(jget .deadline)" 2020-02-14T12:00:00Z "explicit deadline 2020-02-14T12:00:00Z stored"
expect_exit 2 create 213 --date 2019-12-02 --deadline 2020-02-24T00:00:00Z
like "$ERR" 'leaves 6 working days' "a deadline on 2020-02-24 (six working days left) is refused"

# offsets are converted to UTC; seconds may be omitted
expect_exit 0 create 214 --date 2019-12-02 --deadline 2020-02-22T00:59+01:00
tally_of 214
is "$(jget .deadline)" 2020-02-21T23:59:00Z "--deadline 2020-02-22T00:59+01:00 is stored as 2020-02-21T23:59:00Z"
expect_exit 0 create 215 --date 2019-12-02 --deadline 2020-02-21T18:59:00-05:00
tally_of 215
is "$(jget .deadline)" 2020-02-21T23:59:00Z "--deadline 2020-02-21T18:59:00-05:00 is stored as 2020-02-21T23:59:00Z"
expect_exit 0 create 216 --date 2019-12-02 --deadline 2020-02-21T23:59Z
tally_of 216
is "$(jget .deadline)" 2020-02-21T23:59:00Z "--deadline 2020-02-21T23:59Z (no seconds)"

# --- electorate files (SG3 regional groups) ---
cat >"$T/taf.txt" <<'END'
# SG3 regional group for Africa (excerpt)

DZA
EGY
KEN
NGA
SEN
ZAF
END
expect_exit 0 ballot consultation create --circular 3-TAF --group 3 \
	--meeting-start 2020-04-20 --meeting-end 2020-04-29 --date 2020-01-15 --electorate "$T/taf.txt"
tally_of 3-TAF
is "$(jget .electorate)" 6 "--electorate FILE: the electorate is the 6 codes in the file (comments, blank lines ignored)"
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 3-TAF --rec D.TAF --title "Regional tariff draft"
expect_exit 0 ballot pending --circular 3-TAF --json
is "$(jcol . code | sort | tr '\n' ' ')" "DZA EGY KEN NGA SEN ZAF " "pending lists exactly the file's members"
expect_exit 2 ballot reply --circular 3-TAF --member CHE --authorize --received 2020-02-01T00:00:00Z
like "$ERR" 'CHE' "a member outside the regional group is refused"

printf 'che\nFR\nde\n' >"$T/mixed.txt"
expect_exit 0 ballot consultation create --circular 3-MIX --group 3 \
	--meeting-start 2020-04-20 --meeting-end 2020-04-29 --date 2020-01-15 --electorate "$T/mixed.txt"
tally_of 3-MIX
is "$(jget .electorate)" 3 "an electorate file may use alpha-2 codes and any case"

# rules
expect_exit 0 create q-1 --date 2019-12-02 --rule question --deadline 2020-02-21T23:59:00Z
tally_of q-1
is "$(jget .rule)" question "--rule question"
expect_exit 0 create d-1 --date 2019-12-02 --rule deletion --deadline 2020-02-21T23:59:00Z
tally_of d-1
is "$(jget .rule)" deletion "--rule deletion"

# --- refused: exit 2, one stderr line naming the value, database unchanged ---
refused 205 create 205 --date 2019-12-02
refused 2020-02-30 create 300 --date 2020-02-30
refused 2020-02-30 ballot consultation create --circular 301 --group 11 \
	--meeting-start 2020-02-30 --meeting-end 2020-03-13 --date 2019-12-02
refused 2020-02-21T23:59:00 create 302 --date 2019-12-02 --deadline 2020-02-21T23:59:00
refused 2020-03-03 ballot consultation create --circular 303 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-03 --date 2019-12-02
refused majority create 304 --date 2019-12-02 --rule majority
printf 'CHE\nXYZ\nFRA\n' >"$T/bad-electorate.txt"
refused XYZ ballot consultation create --circular 305 --group 3 \
	--meeting-start 2020-04-20 --meeting-end 2020-04-29 --date 2020-01-15 --electorate "$T/bad-electorate.txt"
like "$ERR" '\b2\b' "... and the line number (2)"
refused "$T/missing.txt" ballot consultation create --circular 306 --group 3 \
	--meeting-start 2020-04-20 --meeting-end 2020-04-29 --date 2020-01-15 --electorate "$T/missing.txt"
refused 2019-11-30T23:59:00Z create 307 --date 2019-12-02 --deadline 2019-11-30T23:59:00Z
refused 2020-03-04T00:00:00Z create 308 --date 2019-12-02 --deadline 2020-03-04T00:00:00Z
refused eleven ballot consultation create --circular 309 --group eleven \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
refused 2020-13-01 create 310 --date 2020-13-01
refused 'bad id!' create 'bad id!' --date 2019-12-02
expect_exit 2 ballot consultation create --circular 311 --meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
like "$ERR" 'group' "a missing --group is named"

# consultation list: every consultation by deadline, with its state, electorate and draft count
expect_exit 0 ballot consultation list
like "$OUT" '^205 +11 +tap +2019-12-02 +2020-02-21T23:59:00Z +2020-03-04\.\.2020-03-13 +open +193 +1$' "consultation list: 205 with one draft"
n=$(printf '%s\n' "$OUT" | awk 'NR > 1' | wc -l | tr -d ' ')
is "$n" "$(sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM consultations')" "... one line per consultation"
expect_exit 0 ballot consultation list --group 3
unlike "$OUT" '^205 ' "consultation list --group 3 leaves out SG11"

# A default deadline already past (a consultation entered after its time on
# today's clock) is recorded, with a warning that every reply will be late.
saved_now=${BALLOT_NOW-}
unset BALLOT_NOW
run ballot consultation create --circular 901 --group 11 --meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
is "$RC" 0 "a consultation whose default deadline is past is recorded"
like "$ERR" 'warning: deadline 2020-02-21T23:59:00Z is already past: every reply recorded from now on is late' \
	"  ... with a warning that every reply will be late"
[ -n "$saved_now" ] && export BALLOT_NOW=$saved_now
BALLOT_NOW=2019-12-02T12:00:00Z run ballot consultation create --circular 902 --group 11 --meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
is "$RC" 0 "on the circular's own clock it is recorded"
unlike "$ERR" 'already past' "on the circular's own clock, no such warning"

done_testing
