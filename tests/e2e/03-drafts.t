#!/bin/bash
# User story: the secretariat registers the draft texts of a consultation,
# with the SHA-256 of the exact text.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
expect_exit 0 ballot consultation create --circular 205 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02

printf 'Draft new Recommendation ITU-T Q.5051 (ex Q.FW_CSM)\nFramework for combating the use of stolen mobile devices\n\xe4\xb8\xad\n' >"$T/q5051.txt"
sum=$(sha256_of "$T/q5051.txt")
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 --former Q.FW_CSM \
	--title "Framework for combating the use of stolen mobile devices" \
	--summary "Mobile devices have become ever more important in daily life." \
	--source SG11-R25 --text "$T/q5051.txt"
like "$OUT" "$sum" "draft add --text shows the SHA-256 of the text ($sum)"
like "$OUT" 'Q\.5051' "... and names the draft"

expect_exit 0 ballot status --json
is "$(jlen .)" 1 "status lists the one draft"
is "$(jget '.[0].rec')" Q.5051 "status: rec Q.5051"
is "$(jget '.[0].circular')" 205 "status: circular 205"
is "$(jget '.[0].title')" "Framework for combating the use of stolen mobile devices" "status: the title"
is "$(jget '.[0].state')" in-consultation "a new draft is in consultation"

# a second draft, revised, without text
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.3960 --revised --title "Revised draft"
unlike "$OUT" "$sum" "a draft without --text shows no hash of another text"
expect_exit 0 ballot status --json
is "$(jcol . rec | tr '\n' ' ')" "Q.5051 Q.3960 " "drafts are listed in the order they were added"

# draft list and consultation show: the drafts, in order, with their hash prefix
expect_exit 0 ballot draft list --circular 205
like "$OUT" "^Q\.5051 +Q\.FW_CSM +in-consultation +pending +${sum:0:12} +Framework" "draft list: Q.5051 with its former name and text hash"
like "$OUT" '^Q\.3960 +- +in-consultation +pending +- +Revised draft' "draft list: Q.3960 with no text"
is "$(printf '%s\n' "$OUT" | awk 'NR > 1 {print $1}' | tr '\n' ' ')" "Q.5051 Q.3960 " "draft list keeps the order added"
refused 999 ballot draft list --circular 999
expect_exit 0 ballot consultation show --circular 205
like "$OUT" '^consultation 205$' "consultation show names the circular"
like "$OUT" 'deadline +2020-02-21T23:59:00Z \(7 working days before the meeting\)' "... its deadline"
like "$OUT" 'electorate +193 Member States' "... its electorate"
like "$OUT" '^Q\.3960 +in-consultation +pending +Revised draft' "... and its drafts"
refused 999 ballot consultation show --circular 999

# refused
refused Q.5051 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title "Again"
refused 999 ballot draft add --summary "A summary of the draft." --circular 999 --rec Q.1 --title "No such circular"
refused "$T/missing.txt" ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.2 --title "T" --text "$T/missing.txt"
refused title ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.3 --title ""
refused title ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.4 --title "$(printf 'bad\001title')"
refused 'Q 5' ballot draft add --summary "A summary of the draft." --circular 205 --rec 'Q 5' --title "Space in rec"
expect_exit 2 ballot draft add --summary "A summary of the draft." --circular 205 --title "No rec"
like "$ERR" 'rec' "a missing --rec is named"

# after the deadline and close, no more drafts
at 2020-02-25T00:00:00Z
expect_exit 0 ballot close --circular 205
refused 205 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.6 --title "Too late"

done_testing
