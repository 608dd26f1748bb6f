#!/bin/bash
# User story: after the deadline the secretariat and the chairman read the
# tally report: per draft the figures, the bar against the threshold, the
# outcome and its rule; the replies counted, late and withdrawn ones, and the
# members that did not reply. It matches `tally`, in every language, and the
# same database gives the same bytes.
. "$(dirname "$0")/lib.sh"
for tool in pdftotext pdfinfo qpdf; do
	command -v "$tool" >/dev/null || { echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done

expect_exit 0 ballot init
setup_205
printf 'Reasons.\n' >"$T/reasons.txt"
printf 'Comments.\n' >"$T/brazil.txt"
at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member AUS --authorize --received 2020-01-15T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member BRA --authorize --comments "$T/brazil.txt" --received 2020-01-20T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member CAN --authorize --received 2020-01-22T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member DEU --not-authorize --reasons "$T/reasons.txt" --received 2020-02-03T11:00:00Z
expect_exit 0 ballot reply --circular 205 --member DEU --authorize --received 2020-02-05T11:00:00Z
expect_exit 0 ballot reply --circular 205 --member KEN --not-authorize --received 2020-02-06T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member EGY --authorize --received 2020-02-04T10:00:00Z
expect_exit 0 ballot withdraw --circular 205 --member EGY --received 2020-02-07T10:00:00Z

# Before the deadline: provisional, with the time the figures are as of.
expect_exit 0 ballot report --circular 205 --out "$T/pre.pdf"
is "$OUT" "wrote $T/pre.pdf" "report says what it wrote"
pre=$(pdftotext -layout "$T/pre.pdf" - 2>/dev/null)
like "$pre" 'Provisional: replies may still arrive until 21 February 2020, 23:59 UTC\.' "before the deadline it says provisional (the time in the reader's words)"
like "$pre" 'Figures as of 10 February 2020, 12:00 UTC' "  ... and the time its figures are as of"
like "$pre" 'Pending: the deadline has not passed' "  ... the outcome is pending"

at 2020-02-22T08:00:00Z
expect_exit 0 ballot reply --circular 205 --member ESP --not-authorize --received 2020-02-22T00:00:00Z
at 2020-02-24T09:00:00Z
expect_exit 0 ballot tally --circular 205 --json
replies=$(jget ".drafts[0].replies") support=$(jget ".drafts[0].support") pct=$(jget ".drafts[0].support_pct")
outstanding=$(jget ".drafts[0].outstanding") silent=$(jget ".drafts[0].did_not_reply")
late=$(jget ".drafts[0].outstanding_late") withdrawn=$(jget ".drafts[0].outstanding_withdrawn")
is "$((replies + late + withdrawn + silent))" 193 "counted + late + withdrawn + did not reply = the electorate"
expect_exit 0 ballot report --circular 205 --dir "$T/r"
is "$OUT" "wrote $T/r/205-en.pdf" "the default file is DIR/<circular>-en.pdf"
ok "qpdf --check" qpdf --check "$T/r/205-en.pdf"
txt=$(pdftotext -layout "$T/r/205-en.pdf" - 2>/dev/null)
like "$txt" 'Tally report — TSB Circular 205' "the title names the circular"
like "$txt" 'WTSA Res\. 1 §9\.4\.5' "the rule's clause is given"
like "$txt" 'The deadline has passed: these are the final figures\.' "after the deadline the figures are final"
unlike "$txt" 'Figures as of' "  ... and carry no clock"
like "$txt" "Counted replies: $replies( |\$)" "counted replies as tally says ($replies)"
like "$txt" "Support: $support \\($pct %\\)" "support as tally says ($support, $pct %)"
like "$txt" "No reply: $outstanding( |\$)" "no reply as tally says ($outstanding)"
like "$txt" 'Threshold: 70 %' "the threshold line is labelled"
like "$txt" 'May proceed to approval at the study group meeting' "the outcome: 4 of 5 support"
like "$txt" 'Received \(UTC\)' "the replies' time column says UTC, once"
like "$txt" 'BRA Brazil +Authorizes, comments +20 January 2020 09:00 +brazil\.txt' "a counted reply: member, choice, time, attachment"
like "$txt" 'DEU Germany +Does not authorize +3 February 2020 11:00 +reasons\.txt +superseded' "a superseded reply is marked"
like "$txt" 'KEN Kenya +Does not authorize .*no reasons' "a reply without reasons is marked"
like "$txt" "Late replies, recorded and not counted: Member States with no counted reply \\($late\\)" \
	"the late replies have their section, with the members that have only a late reply ($late)"
like "$txt" "Electorate 193 = $replies counted \\+ $late late \\+ $withdrawn withdrawn \\+ $silent did not reply" \
	"the partition adds up on the page"
like "$txt" 'ESP Spain +Does not authorize +22 February 2020 00:00' "  ... with Spain's late reply"
like "$txt" 'EGY Egypt +Withdrawn +7 February 2020 10:00' "the withdrawal is listed"
like "$txt" "Member States that did not reply \\($silent\\)" "the members with no reply are counted (late and withdrawn ones are in their own lists)"
like "$txt" 'ZWE Zimbabwe' "  ... and listed"
unlike "$txt" 'AUS Australia;' "  ... without those that replied"

# The same database gives the same bytes, whatever the clock after the deadline.
at 2021-06-01T00:00:00Z
expect_exit 0 ballot report --circular 205 --out "$T/later.pdf"
ok "a later run gives the same bytes" cmp "$T/r/205-en.pdf" "$T/later.pdf"
expect_exit 0 ballot report --circular 205 --out "$T/asof.pdf" --as-of 2020-02-14T00:00:00Z
like "$(pdftotext "$T/asof.pdf" - 2>/dev/null)" 'Figures as of 14 February 2020, 00:00 UTC' "--as-of sets the time of a provisional report"

# Every language, Letter paper.
expect_exit 0 ballot report --circular 205 --lang all --dir "$T/all" --paper letter
# times in each language's words (ISO 8601 stays in what machines read:
# --json, CSV, receipts); the late reply's time
declare -A late=([en]='22 February 2020 00:00' [fr]='22 février 2020 00:00' [es]='22 de febrero de 2020 00:00'
	[ru]='22 февраля 2020 г. 00:00' [zh]='2020年2月22日 00:00' [ar]='فبراير')
declare -A dl=([en]='Deadline: 21 February 2020, 23:59 UTC' [fr]='Date limite: 21 février 2020 à 23:59 UTC'
	[es]='Plazo: 21 de febrero de 2020, a las 23:59 UTC' [ru]='Срок: 21 февраля 2020 г., 23:59 UTC'
	[zh]='截止日期：2020年2月21日 23:59（协调世界时）' [ar]='بالتوقيت العالمي المنسق')
for l in en fr es ru zh ar; do
	ok "$l: qpdf --check" qpdf --check "$T/all/205-$l.pdf"
	like "$(pdfinfo "$T/all/205-$l.pdf" 2>/dev/null)" 'Page size: +612 x 792 pts' "$l: Letter"
	t=$(pdftotext "$T/all/205-$l.pdf" - 2>/dev/null)
	like "$t" 'Q\.5051' "$l: the draft is named"
	like "$(tr '\n' ' ' <<<"$t")" "${late[$l]}" "$l: the late reply's time in the language's words, in order (a cell may wrap)"
	like "$t" "${dl[$l]}" "$l: the deadline in the language's words, UTC said"
	unlike "$t" 'T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' "$l: no ISO 8601 time left on the page"
done

# A 100 % rule (deletion): the threshold's label stays on the page, in one piece.
at 2019-12-04T09:00:00Z
expect_exit 0 ballot consultation create --circular 400 --group 2 --date 2019-12-04 \
	--meeting-start 2020-06-04 --meeting-end 2020-06-13 --rule deletion
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 400 --rec E.1 --title "An old Recommendation"
expect_exit 0 ballot reply --circular 400 --member FRA --authorize
expect_exit 0 ballot report --circular 400 --out "$T/del.pdf"
like "$(pdftotext -layout "$T/del.pdf" - 2>/dev/null)" 'Threshold: 100 %' "deletion: the threshold reads 'Threshold: 100 %'"
at 2021-06-01T00:00:00Z

# Bad input: nothing written.
refused_like "--out names one file" ballot report --circular 205 --lang en,fr --out "$T/two.pdf"
nok "  ... no file" test -e "$T/two.pdf"
refused_like "unknown language 'xx'" ballot report --circular 205 --lang xx --dir "$T/bad"
refused_like "--out and --dir" ballot report --circular 205 --out "$T/x.pdf" --dir "$T/bad"
refused_like "a3" ballot report --circular 205 --paper a3 --dir "$T/bad"
nok "  ... no directory created" test -e "$T/bad"
refused_like "--dir: '' is empty" ballot report --circular 205 --dir ""
refused_like "--out: '.*' is empty or longer than 3800 bytes" ballot report --circular 205 --out "$(printf 'x%.0s' {1..3801})"
printf 'x\n' >"$T/plain"
refused_like "plain" ballot report --circular 205 --dir "$T/plain/sub"

done_testing
