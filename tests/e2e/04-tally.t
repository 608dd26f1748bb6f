#!/bin/bash
# User story (the core): replies are recorded as they arrive and the tally
# says, before and after the deadline, whether approval may proceed.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
printf 'Comments and proposed changes on Q.5051.\n' >"$T/comments.txt"
printf 'Reasons and an outline of possible changes.\n' >"$T/reasons.txt"

# The replies below are each recorded when received (rep), as they would be
# at the secretariat; tallies and the rest run after the deadline.
at 2020-02-25T00:00:00Z

newc() { # newc CIRCULAR [options]: consultation (deadline 2020-02-21T23:59:00Z) + draft Q.5051
	CIRC=$1 setup_205 "${@:2}" || diag "setup of $1 failed: $ERR"
}
rep() { # rep CIRCULAR MEMBER a|c|n|N TIME [options]: a reply
	local c=$1 m=$2 ch=$3 t=$4
	shift 4
	case $ch in
	a) set -- --authorize "$@" ;;
	c) set -- --authorize --comments "$T/comments.txt" "$@" ;;
	n) set -- --not-authorize --reasons "$T/reasons.txt" "$@" ;;
	N) set -- --not-authorize "$@" ;;
	esac
	BALLOT_NOW=$t ballot reply --circular "$c" --member "$m" --received "$t" "$@"
}
many() { # many CIRCULAR a|c|n|N COUNT SKIP [MINUTE]: COUNT members from codes(SKIP),
	# received on 2020-02-10 from 10:MINUTE on, a minute apart
	local c=$1 ch=$2 n=$3 skip=$4 m i=${5:-0} bad=0
	for m in $(codes "$n" "$skip"); do
		rep "$c" "$m" "$ch" "$(printf '2020-02-1%dT10:%02d:00Z' $((i / 60 % 10)) $((i % 60)))" >/dev/null 2>"$T/.many-err" ||
			{ bad=$((bad + 1)); diag "reply $m $ch failed: $(cat "$T/.many-err")"; }
		i=$((i + 1))
	done
	return $bad
}
tally() { # tally CIRCULAR [options]: tally --json
	run ballot tally --circular "$1" --json "${@:2}"
}
d0() { jget ".drafts[0].$1"; }

# === the issue's example: 12 counted replies, 1 late ===
newc 205
# the acknowledgement line
run rep 205 ch a 2020-02-10T10:00:00Z --channel email --signatory "A. Keller" --title "Director"
is "$RC" 0 "reply recorded (member given as alpha-2, lowercase)"
like "$OUT" '^recorded reply [0-9]+: CHE Q\.5051 authorize received 2020-02-10T10:00:00Z \(event [0-9]+ [0-9a-f]{64}\)$' \
	"acknowledgement: recorded reply <id>: CHE Q.5051 authorize received <time> (event <seq> <hash>)"
# (CHE is not among the first 12 codes, AFG..BDI)
ok "6 more authorize (10:01-10:06)" many 205 a 6 0 1
ok "3 authorize-with-comments (10:07-10:09)" many 205 c 3 6 7
ok "1 not-authorize with reasons (10:10)" many 205 n 1 9 10
run rep 205 "$(codes 1 10)" N 2020-02-12T09:00:00Z
is "$RC" 0 "not-authorize without reasons is accepted"
like "$ERR" '[Ww]arning' "... with a warning on stderr"
like "$OUT" 'not-authorize' "... and acknowledged"
run rep 205 "$(codes 1 11)" a 2020-02-22T08:00:00Z
is "$RC" 0 "a late reply is accepted"
like "$ERR" '[Ww]arning.*late|late.*[Ww]arning' "... with a warning saying it is late"

tally 205 --as-of 2020-02-25T00:00:00Z
is "$RC" 0 "tally --json"
ok "tally: top-level keys in the documented order" jorder . circular rule deadline as_of final electorate drafts
is "$(jpick . circular rule deadline as_of final electorate)" \
	'{"circular":"205","rule":"tap","deadline":"2020-02-21T23:59:00Z","as_of":"2020-02-25T00:00:00Z","final":true,"electorate":193}' \
	"tally: top-level values as in the issue"
is "$(jlen .drafts)" 1 "tally: one draft"
K="rec replies support authorize authorize_with_comments not_authorize not_authorize_without_reasons late withdrawn outstanding support_pct threshold_pct outcome if_closed_now support_needed opposition_to_block"
ok "tally: draft keys in the documented order" jorder '.drafts[0]' $K
is "$(jpick '.drafts[0]' $K)" \
	'{"rec":"Q.5051","replies":12,"support":10,"authorize":7,"authorize_with_comments":3,"not_authorize":2,"not_authorize_without_reasons":1,"late":1,"withdrawn":0,"outstanding":181,"support_pct":83.3,"threshold_pct":70,"outcome":"proceed","if_closed_now":"proceed","support_needed":null,"opposition_to_block":null}' \
	"tally: the issue's example reproduced exactly (after the deadline nothing more counts: null)"

# as_of defaults to the clock
tally 205
is "$(jget .as_of)" 2020-02-25T00:00:00Z "as_of defaults to now (BALLOT_NOW)"
is "$(jget .final)" true "after the deadline the tally is final"

# before the deadline: pending
tally 205 --as-of 2020-02-20T00:00:00Z
is "$(jpick . as_of final)" '{"as_of":"2020-02-20T00:00:00Z","final":false}' "as of 2020-02-20: not final"
is "$(jpick '.drafts[0]' replies support late outcome if_closed_now)" \
	'{"replies":12,"support":10,"late":0,"outcome":"pending","if_closed_now":"proceed"}' \
	"before the deadline: outcome pending, if_closed_now proceed, the late reply not yet received"

# --as-of in the past ignores what was received after it
tally 205 --as-of 2020-02-10T10:02:00Z
is "$(jpick '.drafts[0]' replies authorize outstanding)" '{"replies":3,"authorize":3,"outstanding":190}' \
	"--as-of 2020-02-10T10:02:00Z counts only the 3 replies received by then"
tally 205 --as-of 2020-02-10T09:59:59Z
is "$(jpick '.drafts[0]' replies support_pct outcome if_closed_now)" \
	'{"replies":0,"support_pct":null,"outcome":"pending","if_closed_now":"proceed"}' "--as-of before any reply: nothing counted"
tally 205 --as-of 2020-02-22T00:00:00+01:00
is "$(jget .as_of)" 2020-02-21T23:00:00Z "--as-of with an offset is converted to UTC"
refused 2020-02-22T00:00:00 ballot tally --circular 205 --as-of 2020-02-22T00:00:00

run ballot tally --circular 205
is "$RC" 0 "tally (text)"
like "$OUT" 'proceed' "the text tally says proceed"
like "$OUT" 'Q\.5051' "the text tally names the draft"

# === exactly 70 % passes, 69.6 % fails ===
newc 220
ok "7 authorize" many 220 a 7 0
ok "3 not-authorize" many 220 n 3 7
tally 220 --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies support outcome if_closed_now support_needed opposition_to_block)" \
	'{"replies":10,"support":7,"outcome":"proceed","if_closed_now":"proceed","support_needed":null,"opposition_to_block":null}' \
	"7 of 10 (exactly 70 %) proceeds"
tally 220 --as-of 2020-02-20T00:00:00Z
is "$(jpick '.drafts[0]' support_needed opposition_to_block)" '{"support_needed":0,"opposition_to_block":1}' \
	"  ... before the deadline: one more opposition would block it"
is_num "$(d0 support_pct)" 70 "support_pct 70"

newc 221
ok "16 authorize" many 221 a 16 0
ok "7 not-authorize" many 221 n 7 16
tally 221 --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies support support_pct outcome if_closed_now support_needed opposition_to_block)" \
	'{"replies":23,"support":16,"support_pct":69.6,"outcome":"not-proceed","if_closed_now":"not-proceed","support_needed":null,"opposition_to_block":null}' \
	"16 of 23 (69.6 %) does not proceed"
tally 221 --as-of 2020-02-20T00:00:00Z
is "$(jpick '.drafts[0]' outcome if_closed_now support_needed opposition_to_block)" \
	'{"outcome":"pending","if_closed_now":"not-proceed","support_needed":1,"opposition_to_block":0}' \
	"before the deadline: pending, if_closed_now says not-proceed, one more support would do"

# === no replies at all: proceed ===
newc 222
tally 222 --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies support support_pct outstanding outcome if_closed_now support_needed opposition_to_block)" \
	'{"replies":0,"support":0,"support_pct":null,"outstanding":193,"outcome":"proceed","if_closed_now":"proceed","support_needed":null,"opposition_to_block":null}' \
	"no replies: proceed (§9.4.5)"
tally 222 --as-of 2020-02-20T00:00:00Z
is "$(jpick '.drafts[0]' support_needed opposition_to_block)" '{"support_needed":0,"opposition_to_block":1}' \
	"  ... before the deadline: one opposition would block it"

# === supersession ===
newc 223
ok "CHE authorizes" rep 223 CHE a 2020-02-10T09:00:00Z
run rep 223 CHE n 2020-02-12T09:00:00Z
is "$RC" 0 "CHE replies again (not-authorize)"
# received order differs from recording order: the later received counts
ok "DEU authorizes (received 02-14)" rep 223 DEU a 2020-02-14T09:00:00Z
run rep 223 DEU n 2020-02-13T09:00:00Z
is "$RC" 0 "DEU's earlier form arrives (received 02-13, recorded later)"
like "$ERR" '^warning: DEU already has a later-dated reply' "... with a warning that the later reply stands"
# same received time: the one recorded later counts
ok "FRA authorizes at 10:00" rep 223 FRA a 2020-02-11T10:00:00Z
ok "FRA does not authorize, also at 10:00" rep 223 FRA n 2020-02-11T10:00:00Z
tally 223 --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies support authorize not_authorize)" \
	'{"replies":3,"support":1,"authorize":1,"not_authorize":2}' \
	"latest on-time reply per member counts (CHE not, DEU authorizes, FRA not)"
expect_exit 0 ballot history --circular 223 --member CHE --json
is "$(jcol . status | tr '\n' ' ')" "superseded counted " "history keeps both CHE replies: the first superseded"
expect_exit 0 ballot history --circular 223 --member DEU --json
is "$(jcol . status | tr '\n' ' ')" "counted superseded " "DEU: the form received earlier (recorded later) is superseded"
expect_exit 0 ballot history --circular 223 --member FRA --json
is "$(jcol . status | tr '\n' ' ')" "superseded counted " "FRA: with equal times the later recorded counts"

# === withdrawals, late replies ===
newc 224
# in the order recorded: a reply is never recorded at a time before the last
# event (issue 11 part 6), so the replies of 2020-02-10 come first
ok "ESP authorizes" rep 224 ESP a 2020-02-10T09:00:00Z
ok "ITA authorizes" rep 224 ITA a 2020-02-10T09:00:00Z
ok "GBR authorizes" rep 224 GBR a 2020-02-10T09:00:00Z
ok "FRA authorizes on time" rep 224 FRA a 2020-02-10T09:00:00Z
expect_exit 0 ballot withdraw --circular 224 --member ESP --received 2020-02-12T09:00:00Z
expect_exit 0 ballot withdraw --circular 224 --member ITA --received 2020-02-12T09:00:00Z
ok "ITA authorizes again after withdrawing" rep 224 ITA c 2020-02-13T09:00:00Z
expect_exit 0 ballot withdraw --circular 224 --member GBR --received 2020-02-22T10:00:00Z
like "$ERR" '[Ww]arning' "a late withdrawal is recorded with a warning"
run rep 224 FRA n 2020-02-23T09:00:00Z
is "$RC" 0 "FRA's late not-authorize is recorded"
tally 224 --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies support authorize authorize_with_comments not_authorize late withdrawn outstanding)" \
	'{"replies":3,"support":3,"authorize":2,"authorize_with_comments":1,"not_authorize":0,"late":1,"withdrawn":1,"outstanding":190}' \
	"withdrawal removes ESP; late withdrawal (GBR) and late reply (FRA) change nothing but late"
tally 224 --as-of 2020-02-11T00:00:00Z
is "$(jpick '.drafts[0]' replies withdrawn)" '{"replies":4,"withdrawn":0}' "as of 2020-02-11 nothing was withdrawn yet"
expect_exit 0 ballot history --circular 224 --member ESP --json
is "$(jcol . status | tr '\n' ' ')" "withdrawn withdrawal " "ESP's history: the reply (withdrawn) and the withdrawal"
expect_exit 0 ballot history --circular 224 --member FRA --json
is "$(jcol . status | tr '\n' ' ')" "counted late " "FRA's history: the on-time reply counted, the late one late"
expect_exit 0 ballot history --circular 224 --member GBR --json
is "$(jcol . status | head -n 1)" counted "GBR's reply stays counted despite the late withdrawal"

# === the deadline second ===
newc 225
run rep 225 NOR a 2020-02-21T23:59:00Z
is "$RC" 0 "reply received at exactly 23:59:00Z"
unlike "$ERR" 'late' "... is not late"
run rep 225 SWE a 2020-02-21T23:59:01Z
is "$RC" 0 "reply received at 23:59:01Z"
like "$ERR" 'late' "... is late"
run rep 225 POL a 2020-02-22T00:59:00+01:00
like "$OUT" 'POL Q\.5051 authorize received 2020-02-21T23:59:00Z' "a received time with an offset is converted (00:59+01:00 = 23:59Z)"
tally 225 --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies late)" '{"replies":2,"late":1}' "23:59:00Z counts, 23:59:01Z is late"
tally 225 --as-of 2020-02-21T23:59:00Z
is "$(jget .final)" false "as of the deadline itself the tally is not final"
is "$(d0 outcome)" pending "... and the outcome is pending"

# === support_needed / opposition_to_block ===
newc 226
ok "2 authorize" many 226 a 2 0
ok "2 not-authorize" many 226 n 2 2
tally 226 --as-of 2020-02-20T00:00:00Z
is "$(jpick '.drafts[0]' if_closed_now support_needed opposition_to_block)" \
	'{"if_closed_now":"not-proceed","support_needed":3,"opposition_to_block":0}' \
	"2 for, 2 against: 3 more supporting replies needed (100*(2+k) >= 70*(4+k))"
is_num "$(d0 support_pct)" 50 "support_pct 50"

codes 5 0 >"$T/five.txt"
newc 227 --electorate "$T/five.txt"
ok "1 authorize" many 227 a 1 0
ok "3 not-authorize" many 227 n 3 1
tally 227 --as-of 2020-02-20T00:00:00Z
is "$(jpick . electorate)" '{"electorate":5}' "a five-member electorate"
is "$(jpick '.drafts[0]' outstanding support_needed opposition_to_block)" \
	'{"outstanding":1,"support_needed":null,"opposition_to_block":0}' \
	"support_needed is null when the outstanding member cannot make it pass"

newc 228 --electorate "$T/five.txt"
ok "4 authorize" many 228 a 4 0
tally 228 --as-of 2020-02-20T00:00:00Z
is "$(jpick '.drafts[0]' outstanding support_needed opposition_to_block)" \
	'{"outstanding":1,"support_needed":0,"opposition_to_block":null}' \
	"opposition_to_block is null when the outstanding member cannot block"
is_num "$(d0 support_pct)" 100 "4 of 4: support_pct 100"

newc 229
ok "10 authorize" many 229 a 10 0
tally 229 --as-of 2020-02-20T00:00:00Z
is "$(jpick '.drafts[0]' support_needed opposition_to_block)" '{"support_needed":0,"opposition_to_block":5}' \
	"10 for: 5 opposing replies would block (1000 < 70*15)"

# support_pct rounds half up to one decimal: 2 of 3 = 66.666.. -> 66.7; 1 of 8 = 12.5; 1 of 6 = 16.666 -> 16.7
newc 230
ok "2 authorize" many 230 a 2 0
ok "1 not-authorize" many 230 n 1 2
tally 230 --as-of 2020-02-20T00:00:00Z
is "$(d0 support_pct)" 66.7 "2 of 3: support_pct 66.7"
newc 231
ok "1 authorize" many 231 a 1 0
ok "7 not-authorize" many 231 n 7 1
tally 231 --as-of 2020-02-20T00:00:00Z
is "$(d0 support_pct)" 12.5 "1 of 8: support_pct 12.5"
newc 232
ok "1 authorize" many 232 a 1 0
ok "5 not-authorize" many 232 n 5 1
tally 232 --as-of 2020-02-20T00:00:00Z
is "$(d0 support_pct)" 16.7 "1 of 6: support_pct 16.7"
# 1 of 16 = 6.25 % exactly: half up gives 6.3 (a binary-float printf gives 6.2)
newc 233
ok "1 authorize" many 233 a 1 0
ok "15 not-authorize" many 233 n 15 1
tally 233 --as-of 2020-02-20T00:00:00Z
is "$(d0 support_pct)" 6.3 "1 of 16 (6.25 %): support_pct 6.3 (half up)"

# === two drafts: one tally entry each, replies per draft ===
newc 240
BALLOT_NOW=2019-12-02T12:00:00Z expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 240 --rec Q.5052 --title "Second draft"
ok "CHE authorizes Q.5051" rep 240 CHE a 2020-02-10T09:00:00Z --draft Q.5051
ok "CHE does not authorize Q.5052" rep 240 CHE n 2020-02-10T09:00:00Z --draft Q.5052
ok "DEU authorizes Q.5052" rep 240 DEU a 2020-02-10T09:00:00Z --draft Q.5052
tally 240 --as-of 2020-02-25T00:00:00Z
is "$(jcol .drafts rec | tr '\n' ' ')" "Q.5051 Q.5052 " "the tally has both drafts in order"
is "$(jpick '.drafts[0]' replies support)" '{"replies":1,"support":1}' "Q.5051: 1 reply, 1 support"
is "$(jpick '.drafts[1]' replies support not_authorize)" '{"replies":2,"support":1,"not_authorize":1}' "Q.5052: 2 replies, 1 support"

# === as of a time before the deadline moved: the deadline then (issue 11) ===
newc 241
ok "ESP authorizes (02-20)" rep 241 ESP a 2020-02-20T09:00:00Z
at 2020-02-20T12:00:00Z
expect_exit 0 ballot consultation set-deadline --circular 241 2020-02-25T23:59:00Z --reason "Extended at the chair's request"
unset BALLOT_NOW
ok "FRA authorizes (02-24, on time under the moved deadline)" rep 241 FRA a 2020-02-24T09:00:00Z
tally 241 --as-of 2020-02-20T10:00:00Z
is "$(jget .deadline)" "2020-02-21T23:59:00Z" "as of before the move: the deadline then"
is "$(d0 replies)" "1" "... with the replies then"
tally 241 --as-of 2020-02-22T10:00:00Z
is "$(jget .deadline)" "2020-02-25T23:59:00Z" "as of after the move: the moved deadline"
is "$(jget .final)" "false" "... not final on 02-22 (the moved deadline is later)"
tally 241 --as-of 2020-02-26T10:00:00Z
is "$(d0 replies)" "2" "after the moved deadline both replies count"

refused 999 ballot tally --circular 999 --json

# The result says which rule set and edition it was computed under (tap-rules.md).
tally 223
is "$(jget .rule_edition)" "WTSA Res. 1 (Rev. Hammamet, 2016)" "tally --json records the rule's edition"
is "$(jget .clause)" "WTSA Res. 1 §9.4.5" "... and its clause"

done_testing
