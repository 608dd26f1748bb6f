#!/bin/bash
# User story: the study group plenary decides on a ready-for-approval draft
# in the order WTSA Res. 1 §9.5 sets: approved (§9.5.3, reservations §9.5.4),
# not approved when opposed (§9.5.3), or more time (§9.5.5) - then, within
# the four weeks after the meeting, only a Member State that asked for time
# may formally oppose, and after them the approval goes ahead. Each decision
# carries its own effective date (--date), which must fall where the clause
# puts it; with a regional electorate (SG3, §9.2.1) only its members take
# part; an opposition by a member that did not reply is recorded and said.
#
# Every consultation here: meeting 2020-03-04 to 2020-03-13, so the four
# weeks of §9.5.5 end on 2020-04-10 (meeting end + 28 days).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh" # need_tools
need_tools sqlite3 perl pdftotext

expect_exit 0 ballot init
printf 'Reasons.\n' >"$T/reasons.txt"

# An SG11 consultation on Q.5051 where CHE, DEU and GBR authorize (3 of 3:
# ready for approval once closed). Extra options go to consultation create.
ready() { # ready CIRCULAR [options...]
	local c=$1
	shift
	CIRC=$c setup_205 "$@"
	at 2020-02-10T12:00:00Z
	for m in CHE DEU GBR; do
		ballot reply --circular "$c" --member "$m" --authorize >/dev/null || fail "reply $m to $c"
	done
}
for c in 401 402 403 404 405 406 407; do ready $c; done
# 407: USA replies only after the deadline (recorded, not counted); FRA
# replied and withdrew its reply.
at 2020-02-10T13:00:00Z
expect_exit 0 ballot reply --circular 407 --member FRA --not-authorize --reasons "$T/reasons.txt"
expect_exit 0 ballot withdraw --circular 407 --member FRA
at 2020-02-22T08:00:00Z
expect_exit 0 ballot reply --circular 407 --member USA --not-authorize --reasons "$T/reasons.txt"

# A regional consultation of SG3 (§9.2.1): the electorate is CHE DEU FRA GBR.
printf '# SG3 regional group\nCHE\nDEU\nFRA\nGBR\n' >"$T/region.txt"
at 2019-12-02T12:00:00Z
expect_exit 0 ballot consultation create --circular 3-1 --group 3 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --electorate "$T/region.txt"
for r in D.50 D.51 D.52; do
	expect_exit 0 ballot draft add --circular 3-1 --rec $r --title "Tariff principles $r" --summary "Tariffs."
done
at 2020-02-10T12:00:00Z
for m in CHE DEU; do
	for r in D.50 D.51 D.52; do
		ballot reply --circular 3-1 --member $m --draft $r --authorize >/dev/null || fail "reply $m to 3-1 $r"
	done
done
at 2020-02-24T00:00:00Z
for c in 401 402 403 404 405 406 407 3-1; do
	ballot close --circular "$c" >/dev/null || fail "close $c"
done
expect_exit 0 ballot status --json
is "$(jcol . state | sort -u | tr '\n' ' ')" "ready-for-approval " "every draft is ready for approval"

# --- the effective date (--date): never in the future, at the meeting ------
at 2020-03-05T10:00:00Z
refused_like '^ballot: --date: 2020-03-06 is in the future \(today is 2020-03-05\)$' \
	ballot decide --circular 401 --approved --date 2020-03-06
refused '2020-3-5' ballot decide --circular 401 --approved --date 2020-3-5
refused_like '^ballot: --date: 2020-03-03 is before the study group meeting \(2020-03-04 to 2020-03-13\)' \
	ballot decide --circular 401 --approved --date 2020-03-03
refused_like '^ballot: --date: 2020-03-03 is before the study group meeting' \
	ballot decide --circular 401 --more-time CHE --date 2020-03-03
refused_like '^ballot: --date: 2020-03-03 is before the study group meeting' \
	ballot decide --circular 401 --not-approved --opposed-by CHE --date 2020-03-03
at 2020-03-03T23:59:59Z
refused_like '^ballot: --date: 2020-03-03 \(today\) is before the study group meeting \(2020-03-04 to 2020-03-13\)' \
	ballot decide --circular 401 --approved
# the meeting's first day: 402 not approved at once
at 2020-03-04T00:00:00Z
expect_exit 0 ballot decide --circular 402 --not-approved --opposed-by DEU
like "$OUT" '^decided circular 402 Q\.5051 on 2020-03-04: not approved, opposed by DEU; state now not-approved$' \
	"decided on the meeting's first day (the date defaults to today)"
# after the meeting, approval at the meeting is recorded with the meeting's date
at 2020-03-20T09:00:00Z
refused_like '^ballot: --date: 2020-03-14 is after the study group meeting \(2020-03-04 to 2020-03-13\); the plenary decides at the meeting \(WTSA Res\. 1 §9\.5\.3\)$' \
	ballot decide --circular 401 --approved --date 2020-03-14
refused_like '^ballot: --date: 2020-03-20 \(today\) is after the study group meeting \(2020-03-04 to 2020-03-13\)' \
	ballot decide --circular 401 --approved
refused_like '^ballot: --date: 2020-03-14 is after the study group meeting.*more time is asked during the meeting only \(WTSA Res\. 1 §9\.5\.5\)$' \
	ballot decide --circular 401 --more-time CHE --date 2020-03-14
refused_like '^ballot: --date: 2020-03-14 is after the study group meeting' \
	ballot decide --circular 401 --not-approved --opposed-by CHE --date 2020-03-14
expect_exit 0 ballot decide --circular 401 --approved --date 2020-03-13
like "$OUT" '^decided circular 401 Q\.5051 on 2020-03-13: approved; state now approved$' "approved, dated the meeting's last day"
expect_exit 0 ballot history --circular 401 --json
is "$(jget .date "$(jwhere . kind decision detail)")" 2020-03-13 "history --json: the decision's effective date"
is "$(jwhere . kind decision recorded_at)" 2020-03-20T09:00:00Z "  ... and when it was recorded"
expect_exit 0 ballot timeline --circular 401 --json
is "$(jwhere .dates what decision date)" 2020-03-13 "timeline: the decision on its effective date"
is "$(jcol .dates what | tr '\n' ' ')" "circular deadline meeting-start decision meeting-end " "  ... in order, before the meeting's end"

# --- more time (§9.5.5): asked at the meeting, recorded within the four weeks
at 2020-03-10T10:00:00Z
expect_exit 0 ballot decide --circular 403 --more-time CHE
like "$OUT" '^decided circular 403 Q\.5051 on 2020-03-10: more time asked by CHE; state now more-time \(formal opposition possible until 2020-04-10, §9\.5\.5\)$' \
	"more time: the end of the four weeks"
# within the four weeks: no approval, and only CHE may oppose
refused_like '^ballot: --date: 2020-03-10 \(today\) is not after the four weeks after the meeting, which end on 2020-04-10 \(WTSA Res\. 1 §9\.5\.5\): Q\.5051 can be approved from 2020-04-11' \
	ballot decide --circular 403 --approved
refused_like '2020-04-10' ballot decide --circular 403 --approved --reservation "CHE:text"
refused_like '^ballot: --opposed-by: DEU did not ask for more time on Q\.5051; only those that did may oppose, until 2020-04-10 \(WTSA Res\. 1 §9\.5\.5\)$' \
	ballot decide --circular 403 --not-approved --opposed-by DEU
refused_like 'more-time' ballot decide --circular 403 --more-time DEU
at 2020-04-10T23:59:59Z
refused_like '^ballot: --date: 2020-04-10 \(today\) is not after the four weeks .* end on 2020-04-10' \
	ballot decide --circular 403 --approved
at 2020-04-11T00:00:00Z
refused_like '^ballot: --date: 2020-04-10 is not after the four weeks' \
	ballot decide --circular 403 --approved --date 2020-04-10
refused_like '^ballot: --date: 2020-04-11 \(today\) is after the four weeks for formal opposition, which ended on 2020-04-10 \(WTSA Res\. 1 §9\.5\.5\); the approval goes ahead$' \
	ballot decide --circular 403 --not-approved --opposed-by CHE
expect_exit 0 ballot status --json
is "$(jwhere . circular 403 state)" more-time "403: still more-time after the refusals"
expect_exit 0 ballot decide --circular 403 --approved
like "$OUT" 'on 2020-04-11: approved; state now approved$' "403: approved the day after the four weeks"
expect_exit 0 ballot timeline --circular 403 --json
is "$(jcol .dates what | tr '\n' ' ')" "circular deadline meeting-start decision meeting-end more-time-ends decision " \
	"timeline 403: more time at the meeting, the four weeks, then the approval"
is "$(jcol .dates date | tr '\n' ' ')" "2019-12-02 2020-02-21T23:59:00Z 2020-03-04 2020-03-10 2020-03-13 2020-04-10 2020-04-11 " \
	"  ... with the decisions' effective dates"
is "$(jget '.dates[6].clause')" "WTSA Res. 1 §9.5.5" "  ... the approval after more time under §9.5.5"

# 404: more time asked on the meeting's last day, recorded a week later;
# CHE's formal opposition, dated within the four weeks, recorded after them.
at 2020-03-20T10:00:00Z
expect_exit 0 ballot decide --circular 404 --more-time CHE DEU --date 2020-03-13
at 2020-04-10T12:00:00Z
refused_like '^ballot: --date: 2020-03-12 is before the more-time decision of 2020-03-13 on Q\.5051$' \
	ballot decide --circular 404 --not-approved --opposed-by CHE --date 2020-03-12
at 2020-04-12T10:00:00Z
refused_like '^ballot: --date: 2020-04-11 is after the four weeks for formal opposition, which ended on 2020-04-10' \
	ballot decide --circular 404 --not-approved --opposed-by CHE --date 2020-04-11
expect_exit 0 ballot decide --circular 404 --not-approved --opposed-by CHE --date 2020-04-10
like "$OUT" '^decided circular 404 Q\.5051 on 2020-04-10: not approved, opposed by CHE; state now not-approved$' \
	"an opposition dated within the four weeks, recorded after them"
expect_exit 0 ballot status --json
is "$(jwhere . circular 404 state)" not-approved "404: not approved"

# 405: more time is recorded no later than the end of the four weeks it opens.
at 2020-04-11T00:00:00Z
refused_like '^ballot: --more-time: the four weeks after the meeting ended on 2020-04-10 \(WTSA Res\. 1 §9\.5\.5\)' \
	ballot decide --circular 405 --more-time CHE --date 2020-03-13
at 2020-04-10T23:59:00Z
expect_exit 0 ballot decide --circular 405 --more-time CHE --date 2020-03-13
# 406: the member that asked may oppose at once, at the meeting.
at 2020-03-12T10:00:00Z
expect_exit 0 ballot decide --circular 406 --more-time GBR --date 2020-03-11
expect_exit 0 ballot decide --circular 406 --not-approved --opposed-by GBR
# status now: after both were recorded (405's on 2020-04-10; a state is what
# was recorded by the time asked)
at 2020-04-11T00:00:00Z
expect_exit 0 ballot status --json
is "$(jwhere . circular 405 state)" more-time "405: more-time"
is "$(jwhere . circular 406 state)" not-approved "406: not approved (GBR opposed at the meeting)"

# --- a regional electorate (SG3, §9.2.1): its members only ------------------
at 2020-03-10T10:00:00Z
refused_like '^ballot: --more-time: USA is not in the electorate of circular 3-1 \(a regional group, WTSA Res\. 1 §9\.2\.1\); only its members may ask for more time, oppose or enter a reservation$' \
	ballot decide --circular 3-1 --draft D.50 --more-time CHE USA
refused_like '^ballot: --opposed-by: ITA is not in the electorate of circular 3-1 \(a regional group' \
	ballot decide --circular 3-1 --draft D.50 --not-approved --opposed-by ITA
refused_like '^ballot: --reservation: JPN is not in the electorate of circular 3-1 \(a regional group' \
	ballot decide --circular 3-1 --draft D.50 --approved --reservation "JPN:a reservation"
expect_exit 0 ballot decide --circular 3-1 --draft D.50 --approved --reservation "GBR:regional tariffs only"
expect_exit 0 ballot decide --circular 3-1 --draft D.51 --more-time FRA
expect_exit 0 ballot decide --circular 3-1 --draft D.52 --not-approved --opposed-by FRA
like "$OUT" 'FRA did not reply to the consultation' "a regional member that did not reply may oppose; decide says it did not reply"
at 2020-03-20T10:00:00Z
refused_like '^ballot: --opposed-by: USA is not in the electorate of circular 3-1' \
	ballot decide --circular 3-1 --draft D.51 --not-approved --opposed-by USA
at 2020-04-11T10:00:00Z
refused_like '^ballot: --reservation: USA is not in the electorate of circular 3-1' \
	ballot decide --circular 3-1 --draft D.51 --approved --reservation "USA:text"
expect_exit 0 ballot decide --circular 3-1 --draft D.51 --approved
expect_exit 0 ballot status --group 3 --json
is "$(jcol . state | tr '\n' ' ')" "approved approved not-approved " "3-1: D.50 approved, D.51 approved after more time, D.52 not approved"
# outside SG3's electorates, any Member State present may oppose (407 below: ITA)

# --- opposition by members that did not reply: allowed, and said ----------
at 2020-03-06T10:00:00Z
expect_exit 0 ballot decide --circular 407 --not-approved --opposed-by DEU ITA USA FRA
like "$OUT" '^decided circular 407 Q\.5051 on 2020-03-06: not approved, opposed by DEU, ITA, USA, FRA; state now not-approved$' \
	"opposed by one member that replied and three that did not"
like "$OUT" '^  ITA did not reply to the consultation \(no reply counted by the deadline\)$' "  ... decide says ITA did not reply"
like "$OUT" '^  USA did not reply' "  ... nor USA (its reply came late)"
like "$OUT" '^  FRA did not reply' "  ... nor FRA (it withdrew its reply)"
unlike "$OUT" 'DEU did not' "  ... DEU replied"
expect_exit 0 ballot history --circular 407 --json
dec=$(jwhere . kind decision detail)
is "$(jjson .opposed_by "$dec")" '[{"member":"DEU"},{"member":"ITA","no_reply":true},{"member":"USA","no_reply":true},{"member":"FRA","no_reply":true}]' \
	"history --json: the opposition, each member that did not reply marked no_reply"
is "$(jget .date "$dec")" 2020-03-06 "  ... and the decision's date"
expect_exit 0 ballot history --circular 407
like "$OUT" 'decision .*ITA, USA, FRA did not reply to the consultation' "history (text) says which opposing members did not reply"
expect_exit 0 ballot audit verify
like "$OUT" '^event log intact: ' "audit verify passes with the new decisions"

# --- the report shows the decisions recorded by its time, and the notes ----
at 2020-05-04T09:00:00Z
expect_exit 0 ballot report --circular 407 --out "$T/407.pdf"
txt=$(pdftotext "$T/407.pdf" - 2>/dev/null | tr -s ' \n' '  ')
like "$txt" 'Decisions of the study group \(WTSA Res\. 1 §9\.5\)' "report: the decisions' heading"
like "$txt" '6 March 2020: not approved, opposed by DEU Germany, ITA Italy, USA United States, FRA France' "report: not approved, naming the opposition"
like "$txt" 'ITA Italy did not reply to the consultation \(no reply counted by the deadline\); its opposition is recorded all the same\.' \
	"report: ITA did not reply"
like "$txt" 'USA United States did not reply' "report: nor USA (late)"
like "$txt" 'FRA France did not reply' "report: nor FRA (withdrawn)"
unlike "$txt" 'DEU Germany did not reply' "report: DEU replied"
expect_exit 0 ballot report --circular 403 --out "$T/403.pdf"
txt=$(pdftotext "$T/403.pdf" - 2>/dev/null | tr -s ' \n' '  ')
like "$txt" '10 March 2020: more time asked by CHE Switzerland; a Member State that asked may formally oppose until 10 April 2020 \(§9\.5\.5\)' \
	"report: more time, until the end of the four weeks"
like "$txt" '11 April 2020: approved \(§9\.5\.3\)' "report: then approved"
unlike "$txt" 'did not reply to the consultation' "report 403: no note (nobody opposed)"
expect_exit 0 ballot report --circular 3-1 --out "$T/3-1.pdf"
txt=$(pdftotext "$T/3-1.pdf" - 2>/dev/null | tr -s ' \n' '  ')
like "$txt" '10 March 2020: approved with reservations by GBR United Kingdom' "report: approved with a reservation"
like "$txt" 'Reservation of GBR [^:]*: regional tariffs only' "  ... and its text"
like "$txt" 'FRA France did not reply to the consultation' "report 3-1: FRA did not reply"
# a report as of a time before a decision was recorded does not show it
expect_exit 0 ballot report --circular 403 --out "$T/403-early.pdf" --as-of 2020-03-10T09:00:00Z
txt=$(pdftotext "$T/403-early.pdf" - 2>/dev/null | tr -s ' \n' '  ')
unlike "$txt" 'more time asked' "report --as-of before the decision was recorded: no decision"
# every language says it
expect_exit 0 ballot report --circular 407 --lang all --dir "$T/all"
declare -A said=([en]='did not reply to the consultation' [fr]="n'a pas répondu à la consultation"
	[es]='no respondió a la consulta' [ru]='не ответило на консультацию' [zh]='未答复本次磋商' [ar]='على التشاور')
for l in en fr es ru zh ar; do
	t=$(pdftotext "$T/all/407-$l.pdf" - 2>/dev/null | tr -s ' \n' '  ')
	like "$t" 'ITA' "$l: the report names ITA"
	if [ "$l" = ar ]; then
		# presentation forms: compare after NFKC
		t=$(printf '%s' "$t" | perl -CS -MUnicode::Normalize -ne 'print NFKC($_)')
	fi
	like "$t" "${said[$l]}" "$l: ... and says it did not reply"
done

# --- the date is part of the record: audit verify checks it ----------------
cp "$BALLOT_DB" "$T/tamper.db"
sqlite3 "$T/tamper.db" "DROP TRIGGER decisions_append_only_u;
	UPDATE decisions SET detail = replace(detail, '\"date\":\"2020-03-13\"', '\"date\":\"2020-03-12\"')
	WHERE detail LIKE '%\"date\":\"2020-03-13\"%' AND draft_id = (SELECT d.id FROM drafts d
	JOIN consultations c ON c.id = d.consultation_id WHERE c.circular = '401')"
is "$(sqlite3 "$T/tamper.db" "SELECT count(*) FROM decisions x JOIN drafts d ON d.id = x.draft_id
	JOIN consultations c ON c.id = d.consultation_id WHERE c.circular = '401' AND x.detail LIKE '%\"date\":\"2020-03-12\"%'")" 1 \
	"tampered with a decision's date (401: 2020-03-13 -> 2020-03-12)"
run ballot --db "$T/tamper.db" audit verify
is "$RC" 1 "audit verify fails on a decision whose date differs from its event"
like "$OUT$ERR" 'decision differs' "  ... naming the decision"

expect_exit 0 ballot decide --help
like "$OUT" '--date DATE' "decide --help documents --date"

done_testing
