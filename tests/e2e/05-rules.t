#!/bin/bash
# User story: consultations under the other rule sets - approval of a new
# Question (§7.2.3: simple majority and at least ten replies) and deletion of a
# Recommendation (§9.8.2.1: no objection).
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
printf 'Reasons.\n' >"$T/reasons.txt"
at 2020-02-25T00:00:00Z

newc() { # newc CIRCULAR RULE
	CIRC=$1 setup_205 --rule "$2" --deadline 2020-02-21T23:59:00Z || diag "setup of $1 failed: $ERR"
}
many() { # many CIRCULAR a|n COUNT SKIP
	local c=$1 ch=$2 n=$3 skip=$4 m i=0 bad=0 opt
	for m in $(codes "$n" "$skip"); do
		case $ch in a) opt=(--authorize) ;; n) opt=(--not-authorize --reasons "$T/reasons.txt") ;; esac
		# recorded when received, as at the secretariat
		BALLOT_NOW=$(printf '2020-02-10T10:%02d:00Z' $i) ballot reply --circular "$c" --member "$m" "${opt[@]}" \
			--received "$(printf '2020-02-10T10:%02d:00Z' $i)" >/dev/null 2>"$T/.many-err" ||
			{ bad=$((bad + 1)); diag "reply $m failed: $(cat "$T/.many-err")"; }
		i=$((i + 1))
	done
	return $bad
}
final() { # final CIRCULAR: the draft's tally after the deadline
	run ballot tally --circular "$1" --json --as-of 2020-02-25T00:00:00Z
}
open_() { # open_ CIRCULAR: the draft's tally before the deadline, every reply in
	# (what it would take is said only while replies can still count)
	run ballot tally --circular "$1" --json --as-of 2020-02-20T00:00:00Z
}
K="replies support outcome if_closed_now"

# === question ===
newc q9 question
ok "9 authorize" many q9 a 9 0
final q9
is "$(jget .rule)" question "rule question"
is "$(jget '.drafts[0].threshold_pct')" 50 "question: threshold_pct 50"
is "$(jpick '.drafts[0]' $K support_needed)" \
	'{"replies":9,"support":9,"outcome":"not-proceed","if_closed_now":"not-proceed","support_needed":null}' \
	"question: 9 of 9 supporting is not enough (fewer than ten replies)"
open_ q9
is "$(jget '.drafts[0].support_needed')" 1 "  ... before the deadline: one more supporting reply needed"

newc q610 question
ok "6 authorize" many q610 a 6 0
ok "4 not-authorize" many q610 n 4 6
final q610
is "$(jpick '.drafts[0]' $K opposition_to_block)" \
	'{"replies":10,"support":6,"outcome":"proceed","if_closed_now":"proceed","opposition_to_block":null}' \
	"question: 6 of 10 proceeds"
open_ q610
is "$(jget '.drafts[0].opposition_to_block')" 2 "  ... before the deadline: two more oppositions would block it"

newc q510 question
ok "5 authorize" many q510 a 5 0
ok "5 not-authorize" many q510 n 5 5
final q510
is "$(jpick '.drafts[0]' $K support_needed)" \
	'{"replies":10,"support":5,"outcome":"not-proceed","if_closed_now":"not-proceed","support_needed":null}' \
	"question: 5 of 10 (no majority) does not proceed"
open_ q510
is "$(jget '.drafts[0].support_needed')" 1 "  ... before the deadline: one more supporting reply needed"

newc q0 question
final q0
is "$(jpick '.drafts[0]' $K)" \
	'{"replies":0,"support":0,"outcome":"not-proceed","if_closed_now":"not-proceed"}' \
	"question: no replies does not proceed"

newc q1110 question
ok "11 authorize" many q1110 a 11 0
ok "10 not-authorize" many q1110 n 10 11
final q1110
is "$(jpick '.drafts[0]' $K)" \
	'{"replies":21,"support":11,"outcome":"proceed","if_closed_now":"proceed"}' \
	"question: 11 of 21 proceeds"

# === deletion ===
newc del1 deletion
ok "9 authorize" many del1 a 9 0
ok "1 not-authorize" many del1 n 1 9
final del1
is "$(jget .rule)" deletion "rule deletion"
is "$(jget '.drafts[0].threshold_pct')" 100 "deletion: threshold_pct 100"
is "$(jpick '.drafts[0]' $K support_needed)" \
	'{"replies":10,"support":9,"outcome":"not-proceed","if_closed_now":"not-proceed","support_needed":null}' \
	"deletion: one objection among 10 stops it"

newc del5 deletion
ok "5 authorize" many del5 a 5 0
final del5
is "$(jpick '.drafts[0]' $K opposition_to_block)" \
	'{"replies":5,"support":5,"outcome":"proceed","if_closed_now":"proceed","opposition_to_block":null}' \
	"deletion: no objection proceeds"
open_ del5
is "$(jget '.drafts[0].opposition_to_block')" 1 "  ... before the deadline: one objection would stop it"

newc del0 deletion
final del0
is "$(jpick '.drafts[0]' $K)" \
	'{"replies":0,"support":0,"outcome":"proceed","if_closed_now":"proceed"}' \
	"deletion: no replies proceeds"

# the frozen outcome follows the rule
expect_exit 0 ballot close --circular q610
expect_exit 0 ballot close --circular q9
expect_exit 0 ballot close --circular del1
expect_exit 0 ballot status --json
is "$(jwhere . circular q610 state)" ready-for-approval "question 6 of 10 closes ready-for-approval"
is "$(jwhere . circular q9 state)" not-ready "question 9 of 9 closes not-ready"
is "$(jwhere . circular del1 state)" not-ready "deletion with an objection closes not-ready"

done_testing
