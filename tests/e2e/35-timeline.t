#!/bin/bash
# User story: the secretariat follows the timeline of WTSA Res. 1 §9.3 - the
# circular three months before the meeting (§9.3.3), a summary with each
# draft (§9.3.4), the texts in the official languages one month before
# (§9.3.5) - and every date of a consultation in order, each with its clause.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh" # need_tools
need_tools sqlite3 perl

expect_exit 0 ballot init
create() { # create CIRCULAR DATE [options...]: SG11, meeting 4-13 March 2020
	local c=$1 d=$2
	shift 2
	ballot consultation create --circular "$c" --group 11 --date "$d" \
		--meeting-start 2020-03-04 --meeting-end 2020-03-13 "$@"
}

# --- §9.3.3: three months before the meeting ---
at 2019-12-01T00:00:00Z
expect_exit 0 create 205 2019-12-04
unlike "$ERR" 'warning' "a circular of 2019-12-04, three months before 2020-03-04: no warning"
like "$OUT" 'announcement \(WTSA Res. 1 §9.3.3\): 2019-12-04, due by 2019-12-04: holds' "consultation create shows the §9.3.3 check"
at 2019-12-05T00:00:00Z
expect_exit 0 create 206 2019-12-05
like "$ERR" '^warning: circular date 2019-12-05 is less than three months before the meeting \(2020-03-04\); WTSA Res. 1 §9.3.3 asks for three$' "a circular of 2019-12-05: created, with a warning naming §9.3.3"
like "$OUT" 'announcement \(WTSA Res. 1 §9.3.3\): 2019-12-05, due by 2019-12-04: FAILS' "... and the check fails"

# --- §9.3.4: a summary with each draft under tap ---
refused_like '^ballot: --summary: required under the tap rule \(WTSA Res. 1 §9.3.4' ballot draft add --circular 205 --rec Q.5051 --title "No summary"
refused_like '^ballot: --summary: required' ballot draft add --circular 205 --rec Q.5051 --title "Empty summary" --summary ""
expect_exit 0 ballot consultation create --circular Q-1 --group 11 --date 2019-12-05 --rule question --meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --circular Q-1 --rec Q.NEW --title "A new Question"
expect_exit 0 ballot draft list --circular Q-1
like "$OUT" 'Q\.NEW' "under the question rule a draft needs no summary (§9.3.4 is TAP's)"

# --- §9.3.5: texts one month before ---
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 --title "Framework" --summary "A framework." --texts-available 2020-02-04
unlike "$ERR" 'warning' "texts available 2020-02-04, one month before 2020-03-04: no warning"
expect_exit 0 ballot draft add --circular 205 --rec Q.5052 --title "Second" --summary "Another." --texts-available 2020-02-05
like "$ERR" '^warning: texts available on 2020-02-05, after 2020-02-04: WTSA Res. 1 §9.3.5 asks for one month before the meeting$' "texts of 2020-02-05: recorded, with a warning naming §9.3.5"
expect_exit 0 ballot draft add --circular 205 --rec Q.5053 --title "Third" --summary "No date."
refused 2020-03-04 ballot draft add --circular 205 --rec Q.5054 --title "T" --summary "S" --texts-available 2020-03-04
refused 2020-02-30 ballot draft add --circular 205 --rec Q.5054 --title "T" --summary "S" --texts-available 2020-02-30
like "$(sqlite3 "$BALLOT_DB" "SELECT body FROM events WHERE kind = 'draft' AND body LIKE '%Q.5051%'")" '"texts_available":"2020-02-04"' "the draft event records the date"

# --- the checks, in consultation show and status --json ---
expect_exit 0 ballot consultation show --circular 205
like "$OUT" 'texts_available Q.5052 \(WTSA Res. 1 §9.3.5\): 2020-02-05, due by 2020-02-04: FAILS' "consultation show: a late text"
like "$OUT" 'texts_available Q.5053 \(WTSA Res. 1 §9.3.5\): not recorded, due by 2020-02-04: unknown' "consultation show: no date recorded"
like "$OUT" 'summary Q.5051 \(WTSA Res. 1 §9.3.4\): given' "consultation show: the summary"
like "$OUT" 'deadline \(WTSA Res. 1 §9.4.1\): 2020-02-21T23:59:00Z, 7 working days before the meeting: holds' "consultation show: the deadline check"
expect_exit 0 ballot status --json
is "$(jget '.[0].rec')" Q.NEW "status --json: by deadline, the question's draft first"
is "$(jtype '.[0].timeline')" null "a question consultation has no §9.3 timeline (null)"
is "$(jget '.[1].timeline.announcement.holds')" true "status --json: announcement holds for 205"
is "$(jget '.[1].timeline.announcement.clause')" "WTSA Res. 1 §9.3.3" "... with its clause"
is "$(jget '.[1].timeline.announcement.due')" 2019-12-04 "... and the latest date that holds"
is "$(jget '.[1].timeline.texts_available.drafts[0].rec')" Q.5051 "status --json: each row has its own draft's texts check"
is "$(jget '.[1].timeline.texts_available.drafts[0].date')" 2020-02-04 "... its date"
is "$(jget '.[2].timeline.texts_available.drafts[0].holds')" false "... Q.5052's fails"
is "$(jtype '.[3].timeline.texts_available.drafts[0].holds')" null "... Q.5053's cannot be told (null)"
is "$(jget '.[1].timeline.deadline.working_days_before_meeting')" 7 "status --json: the deadline leaves seven working days"
is "$(jget '.[1].summary_missing')" false "status --json: summary_missing false"

# --- ballot timeline ---
at 2020-02-25T00:00:00Z
expect_exit 0 ballot close --circular 205
at 2020-03-10T10:00:00Z
expect_exit 0 ballot decide --circular 205 --draft Q.5051 --more-time CHE
expect_exit 0 ballot decide --circular 205 --draft Q.5052 --approved
expect_exit 0 ballot timeline --circular 205 --json
is "$(jcol .dates what | tr '\n' ' ')" "circular texts-available texts-available deadline meeting-start decision decision meeting-end more-time-ends " "timeline: every date in order"
is "$(jcol .dates date | tr '\n' ' ')" "2019-12-04 2020-02-04 2020-02-05 2020-02-21T23:59:00Z 2020-03-04 2020-03-10 2020-03-10 2020-03-13 2020-04-10 " "... with their dates (decisions on their effective dates; four weeks after the meeting: 2020-04-10)"
is "$(jcol .dates clause | tr '\n' '|')" "WTSA Res. 1 §9.3.3|WTSA Res. 1 §9.3.5|WTSA Res. 1 §9.3.5|WTSA Res. 1 §9.4.1|WTSA Res. 1 §9.5|WTSA Res. 1 §9.5.5|WTSA Res. 1 §9.5.3, §9.5.4|WTSA Res. 1 §9.5|WTSA Res. 1 §9.5.5|" "... each with its clause"
is "$(jget '.dates[8].rec')" Q.5051 "the end of the four weeks is the draft's that asked for more time"
is "$(jget '.dates[5].decision')" more-time "decisions name their kind"
is "$(jget .timeline.deadline.holds)" true "timeline --json carries the checks"
is "$(jlen .timeline.texts_available.drafts)" 3 "... one texts check per draft"
expect_exit 0 ballot timeline --circular 205
like "$OUT" '2020-04-10 +more-time-ends +Q\.5051 +WTSA Res\. 1 §9\.5\.5' "the text timeline"
like "$OUT" 'announcement \(§9\.3\.3\) +- +2019-12-04 +by 2019-12-04 +holds' "the text checks"
expect_exit 0 ballot timeline --circular 206 --json
is "$(jget .timeline.announcement.holds)" false "206: the announcement check fails"
refused_like '^ballot: --circular is required' ballot timeline
refused NOPE ballot timeline --circular NOPE

# a forced deadline leaving four working days fails the §9.4.1 check
at 2020-01-10T00:00:00Z
expect_exit 0 create 210 2019-12-02 --deadline 2020-02-26T23:59:00Z --force-deadline --reason "test"
expect_exit 0 ballot timeline --circular 210 --json
is "$(jget .timeline.deadline.holds)" false "a forced deadline leaving 4 working days: the check fails"
is "$(jget .timeline.deadline.working_days_before_meeting)" 4 "... naming the 4 days"

# --- existing databases keep their drafts; status flags those without a summary ---
sqlite3 old.db <"$E2E/data/schema2-75e41aa.sql"
expect_exit 0 ballot --db old.db init
expect_exit 0 ballot --db old.db status
like "$OUT" 'Q\.5051 .*Framework for combating the use of stolen mobile devices \[no summary: WTSA Res. 1 §9.3.4\]' "status flags a draft added before the summary was required"
expect_exit 0 ballot --db old.db status --json
is "$(jwhere . rec Q.5051 summary_missing)" true "status --json: summary_missing true"
is "$(jget '.[0].timeline.summary.drafts[0].holds')" false "... and its summary check fails"
expect_exit 0 ballot --db old.db audit verify

done_testing
