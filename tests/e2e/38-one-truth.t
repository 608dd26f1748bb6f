#!/usr/bin/env bash
# 38-one-truth.t - one truth for every figure (issue 11 part 4): `status`,
# `tally`, `report`, the portal's pages and `publish` give each draft the same
# state at a time T: before the deadline, between the deadline and close
# (awaiting-close), after close, after a decision. `report --as-of T` shows only
# what was recorded by T and says "closed" only when it was; after a decision it
# names it. The figures partition the electorate (counted + late + withdrawn +
# did not reply), and an on-time reply entered after the deadline that changes
# an outcome needs --late-entry-reason.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl pdftotext sqlite3

trap 'serve_stop; _cleanup' EXIT

# --- set-up: three drafts, replies recorded when received --------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "Second draft"
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5053 --title "Third draft"
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
KEY=$(ballot keys show | grep -o 'ed25519:[0-9a-f]*')

r() { # r TIME MEMBER DRAFT CHOICE...: a reply (or withdrawal) recorded at TIME, received then
	local t=$1 m=$2 d=$3
	shift 3
	if [ "$1" = withdraw ]; then
		BALLOT_NOW=$t ballot withdraw --circular 205 --member "$m" --draft "$d" --received "$t" >/dev/null
	else
		BALLOT_NOW=$t ballot reply --circular 205 --member "$m" --draft "$d" "$@" --received "$t" >/dev/null
	fi
}
printf 'Comments.\n' >"$T/c.txt"
ok "AUS authorizes (01-15)" r 2020-01-15T09:00:00Z AUS Q.5051 --authorize
ok "BRA authorizes with comments (01-20)" r 2020-01-20T09:00:00Z BRA Q.5051 --authorize --comments "$T/c.txt"
ok "CAN authorizes (01-22)" r 2020-01-22T09:00:00Z CAN Q.5051 --authorize
ok "DEU does not authorize (02-03)" r 2020-02-03T09:00:00Z DEU Q.5051 --not-authorize
ok "EGY authorizes (02-04)" r 2020-02-04T09:00:00Z EGY Q.5051 --authorize
ok "  ... and withdraws (02-07)" r 2020-02-07T09:00:00Z EGY Q.5051 withdraw
ok "FRA authorizes (02-05)" r 2020-02-05T09:00:00Z FRA Q.5051 --authorize
ok "GBR authorizes (02-01)" r 2020-02-01T09:00:00Z GBR Q.5051 --authorize
ok "  ... withdraws (02-06)" r 2020-02-06T09:00:00Z GBR Q.5051 withdraw
ok "AUS authorizes Q.5052 (01-15)" r 2020-01-15T09:10:00Z AUS Q.5052 --authorize
ok "BRA authorizes Q.5052 (01-20)" r 2020-01-20T09:10:00Z BRA Q.5052 --authorize
ok "ESP replies late (02-22)" r 2020-02-22T08:00:00Z ESP Q.5051 --not-authorize
ok "FRA changes its mind late (02-23): not counted" r 2020-02-23T08:00:00Z FRA Q.5051 --not-authorize
ok "GBR replies late after its withdrawal (02-23)" r 2020-02-23T09:00:00Z GBR Q.5051 --authorize

# --- the same state everywhere at T --------------------------------------------
word() { # word STATE: the report's English words for a state
	case $1 in
	in-consultation) echo 'in consultation' ;;
	awaiting-close) echo 'deadline passed, awaiting closing' ;;
	ready-for-approval) echo 'ready for approval' ;;
	not-ready) echo 'not ready for approval' ;;
	more-time) echo 'more time asked for' ;;
	approved) echo 'approved' ;;
	not-approved) echo 'not approved' ;;
	esac
}
chair_state() { # chair_state REC [FILE]: data-state of the draft's row on /chair
	REC=$1 perl -0777 -ne 'print "$1\n" if /<tr class="draft" data-rec="\Q$ENV{REC}\E" data-state="([^"]*)"/' "${2:-$T/.body}"
}
agree() { # agree TIME REC STATE: status, tally, report, portal and publish at TIME
	local t=$1 rec=$2 want=$3 i
	at "$t"
	run ballot status --json
	is "$(jwhere . rec "$rec" state)" "$want" "$t $rec: status says $want"
	run ballot tally --circular 205 --json
	cp "$T/.out" "$T/tally-now.json"
	i=$(case $rec in Q.5051) echo 0 ;; Q.5052) echo 1 ;; *) echo 2 ;; esac)
	is "$(jget ".drafts[$i].state")" "$want" "$t $rec: tally --json says $want"
	run ballot draft list --circular 205
	like "$OUT" "${rec//./\\.} +[^ ]+ +$want( |\$)" "$t $rec: draft list says $want"
	run ballot consultation show --circular 205
	like "$OUT" "${rec//./\\.} +$want( |\$)" "$t $rec: consultation show says $want"
	expect_exit 0 ballot report --circular 205 --out "$T/now.pdf"
	like "$(pdftotext -layout "$T/now.pdf" - 2>/dev/null | tr -s ' \n' '  ')" \
		"ITU-T $rec — .*State: $(word "$want")" "$t $rec: the report says $(word "$want")"
	rm -rf "$T/pub"
	expect_exit 0 ballot publish --circular 205 --out "$T/pub"
	is "$(jget ".drafts[$i].state" "$(cat "$T/pub/tally.json")")" "$want" "$t $rec: publish's tally.json says $want"
	ok "$t: the bundle verifies (its states recomputed from its events)" ballot verify-bundle "$T/pub" --key "$KEY"
	serve_start "$T/serve.log" || { fail "$t: the portal starts"; return; }
	signin_user chair chair11 "$PW"
	get chair /chair
	is "$(chair_state "$rec")" "$want" "$t $rec: the chair's page says $want"
	signin_user tsb tsb "$PW"
	get tsb /secretariat/c/205/tally.json
	ok "$t: the portal's tally.json is the bytes of tally --json" cmp "$T/.body" "$T/tally-now.json"
	if [ "$want" = awaiting-close ]; then
		get tsb /secretariat/c/205
		like "$BODY" 'ESP</span> Spain</td><td>Q\.5051 <span class="list" data-list="late">' \
			"$t: the secretariat's page lists ESP as late, as the report does"
		like "$BODY" 'EGY</span> Egypt</td><td>Q\.5051 <span class="list" data-list="withdrawn">' \
			"$t: ... and EGY as withdrawn"
	fi
	serve_stop
}

# before the deadline
agree 2020-02-10T12:00:00Z Q.5051 in-consultation
run ballot tally --circular 205 --json
is "$(jpick . final)" '{"final":false}' "before the deadline the tally is not final"
is "$(jget '.drafts[0].outcome')" pending "  ... the outcome is pending"
isnt "$(jget '.drafts[0].opposition_to_block')" null "  ... and what would block it is said"

# between the deadline and close
agree 2020-02-24T09:00:00Z Q.5051 awaiting-close
run ballot status --json
is "$(jwhere . rec Q.5051 outcome)" proceed "status shows the final outcome while awaiting close"
run ballot status
like "$OUT" 'Q\.5051 +awaiting-close +proceed' "status (text) says awaiting-close, proceed"
run ballot tally --circular 205 --json
is "$(jpick '.drafts[0]' outcome support_needed opposition_to_block)" \
	'{"outcome":"proceed","support_needed":null,"opposition_to_block":null}' \
	"after the deadline tally --json has support_needed and opposition_to_block null"
is "$(jget .closed)" false "  ... and is not closed"
txt=$(pdftotext -layout "$T/now.pdf" - 2>/dev/null)
unlike "$txt" 'Closed on|frozen' "the report before close never says closed or frozen"

# --- the partition --------------------------------------------------------------
# Q.5051 after the deadline: counted AUS BRA CAN DEU FRA; late only ESP, GBR
# (GBR withdrew, then replied late: late wins); withdrawn EGY.
is "$(jpick '.drafts[0]' replies outstanding outstanding_late outstanding_withdrawn did_not_reply)" \
	'{"replies":5,"outstanding":188,"outstanding_late":2,"outstanding_withdrawn":1,"did_not_reply":185}' \
	"the tally partitions the electorate: 5 counted, 2 late, 1 withdrawn, 185 did not reply"
flat=$(printf '%s' "$txt" | tr -s ' \n' '  ')
like "$flat" 'Electorate 193 = 5 counted \+ 2 late \+ 1 withdrawn \+ 185 did not reply' "the report adds them up on the page"
like "$flat" 'Replies of the Member States counted \(5\)' "  ... the counted list has 5"
like "$flat" 'Late replies, recorded and not counted: Member States with no counted reply \(2\)' "  ... the late list 2"
like "$flat" 'Withdrawn replies: Member States with no counted reply \(1\)' "  ... the withdrawn list 1"
like "$flat" 'Member States that did not reply \(185\)' "  ... did not reply 185"
# with several drafts the list is given once, at the end: a member that did
# not answer some drafts only is followed by them ("CODE name: Q.5051")
dnr=$(printf '%s' "$flat" | sed -n 's/.*Member States that did not reply ([0-9]*) After a colon[^.]*\.\(.*\)Generated by.*/\1/p' |
	tr ';' '\n' | grep -v ': ' ; printf '%s' "$flat" |
	sed -n 's/.*Member States that did not reply ([0-9]*) After a colon[^.]*\.\(.*\)Generated by.*/\1/p' |
	tr ';' '\n' | grep ': .*Q\.5051')
like "$dnr" 'AFG Afghanistan' "the did-not-reply list has members that sent nothing"
unlike "$dnr" 'ESP Spain|GBR United|EGY Egypt|AUS Australia' "  ... not the late, withdrawn or counted ones"
is "$(printf '%s\n' "$dnr" | grep -c '[A-Z][A-Z][A-Z] [A-Z]')" 185 "  ... and exactly 185 of them on Q.5051"

# --- late entries ---------------------------------------------------------------
# Q.5052: AUS and BRA authorize; a paper form from HUN, received on time and
# entered now, would turn it from proceed to not-proceed.
at 2020-02-24T10:00:00Z
refused_like 'late-entry-reason.*HUN.*Q\.5052.*2020-02-20T16:00:00Z.*proceed to not-proceed' \
	ballot reply --circular 205 --member HUN --draft Q.5052 --not-authorize --received 2020-02-20T16:00:00Z
refused_like '--late-entry-reason: only for an on-time reply recorded after the deadline' \
	ballot reply --circular 205 --member HUN --draft Q.5052 --not-authorize --received 2020-02-22T16:00:00Z \
	--late-entry-reason "not a late entry"
run ballot reply --circular 205 --member HUN --draft Q.5052 --not-authorize --received 2020-02-20T16:00:00Z \
	--late-entry-reason "paper form received by post on 2020-02-20, opened on 2020-02-24"
is "$RC" 0 "with --late-entry-reason it is recorded"
like "$OUT" 'late entry: received on time, entered after the deadline' "  ... and the acknowledgement says so"
run ballot tally --circular 205 --json
is "$(jget '.drafts[1].outcome')" not-proceed "  ... and counted: Q.5052 no longer proceeds"
# an on-time paper form that changes no outcome needs no reason
at 2020-02-24T11:00:00Z
ok "IND's on-time form for Q.5051 entered now, changing no outcome, needs no reason" \
	ballot reply --circular 205 --member IND --draft Q.5051 --authorize --received 2020-02-19T10:00:00Z
run ballot history --circular 205 --json
is "$(jwhere . kind late-entry rec)" Q.5052 "history has the late-entry event"
like "$(cat "$T/.out")" '"late_entry_reason":"paper form received by post on 2020-02-20, opened on 2020-02-24"' \
	"  ... and HUN's reply carries its reason"
run ballot history --circular 205
like "$OUT" 'entered after the deadline: paper form received by post' "history (text) says so"
expect_exit 0 ballot report --circular 205 --out "$T/le.pdf"
like "$(pdftotext -layout "$T/le.pdf" - 2>/dev/null | tr -s ' \n' '  ')" \
	'HUN Hungary .*received on time, entered after the deadline: paper form received by post' "the report says so"
ok "audit verify: the chain holds the late entry" ballot audit verify

# --- close, then decisions ------------------------------------------------------
at 2020-02-25T10:00:00Z
expect_exit 0 ballot close --circular 205
agree 2020-02-26T09:00:00Z Q.5051 ready-for-approval
agree 2020-02-26T09:00:00Z Q.5052 not-ready
like "$(pdftotext -layout "$T/now.pdf" - 2>/dev/null)" 'Closed on 25 February 2020, 10:00 UTC' "after close the report says when it closed"

at 2020-03-05T10:00:00Z
expect_exit 0 ballot decide --circular 205 --draft Q.5051 --approved --reservation 'GBR:editorial concerns on clause 7'
expect_exit 0 ballot decide --circular 205 --draft Q.5053 --more-time DEU
agree 2020-03-06T09:00:00Z Q.5051 approved
agree 2020-03-06T09:00:00Z Q.5053 more-time
flat=$(pdftotext -layout "$T/now.pdf" - 2>/dev/null | tr -s ' \n' '  ')
like "$flat" 'approved with reservations by GBR United Kingdom[^:]*: editorial concerns on clause 7' \
	"the report names the reservation"
like "$flat" 'more time asked by DEU Germany; a Member State that asked may formally oppose until 10 April 2020' "the report names who asked for more time, and until when"
at 2020-03-20T10:00:00Z
expect_exit 0 ballot decide --circular 205 --draft Q.5053 --not-approved --opposed-by DEU
agree 2020-03-21T09:00:00Z Q.5053 not-approved
like "$(pdftotext -layout "$T/now.pdf" - 2>/dev/null | tr -s ' \n' '  ')" 'not approved, opposed by DEU Germany' \
	"the report names the opposition"

# --- report --as-of: only what was recorded by then ---------------------------
at 2020-03-21T09:00:00Z
expect_exit 0 ballot report --circular 205 --out "$T/a1.pdf" --as-of 2020-02-24T09:00:00Z
a1=$(pdftotext -layout "$T/a1.pdf" - 2>/dev/null)
f1=$(printf '%s' "$a1" | tr -s ' \n' '  ')
like "$a1" 'Figures as of 24 February 2020, 09:00 UTC' "--as-of after the deadline: the banner gives the cut-off"
unlike "$a1" 'Closed on|frozen' "  ... closed later, so it says neither closed nor frozen"
like "$f1" 'ITU-T Q\.5051 — .*State: deadline passed, awaiting closing' "  ... the state then: awaiting closing"
unlike "$f1" 'IND India Authorizes|HUN Hungary Does not|Decisions of the study group' "  ... without the replies entered and decisions recorded later"
like "$f1" 'Electorate 193 = 5 counted \+ 2 late \+ 1 withdrawn \+ 185 did not reply' "  ... with the partition of then"
run ballot tally --circular 205 --json --as-of 2020-02-24T09:00:00Z
is "$(jpick '.drafts[0]' state replies)" '{"state":"awaiting-close","replies":5}' "tally --as-of agrees with it"

expect_exit 0 ballot report --circular 205 --out "$T/a0.pdf" --as-of 2020-02-10T12:00:00Z
f0=$(pdftotext -layout "$T/a0.pdf" - 2>/dev/null | tr -s ' \n' '  ')
like "$f0" 'Figures as of 10 February 2020, 12:00 UTC' "--as-of before the deadline: the cut-off"
like "$f0" 'Provisional' "  ... provisional"
unlike "$f0" 'Closed on|frozen|ESP Spain Does not|Decisions of the study group' "  ... nothing late, closed or decided yet"
like "$f0" 'Electorate 193 = 5 counted \+ 0 late \+ 2 withdrawn \+ 186 did not reply' \
	"  ... GBR then counted as withdrawn (its late reply came later)"

expect_exit 0 ballot report --circular 205 --out "$T/a2.pdf" --as-of 2020-03-05T09:59:00Z
f2=$(pdftotext -layout "$T/a2.pdf" - 2>/dev/null | tr -s ' \n' '  ')
like "$f2" 'Closed on 25 February 2020, 10:00 UTC' "--as-of after close: closed"
unlike "$f2" 'Decisions of the study group' "  ... a minute before the decisions: none shown"
expect_exit 0 ballot report --circular 205 --out "$T/a3.pdf" --as-of 2020-03-06T00:00:00Z
f3=$(pdftotext -layout "$T/a3.pdf" - 2>/dev/null | tr -s ' \n' '  ')
like "$f3" 'more time asked by DEU Germany' "--as-of between the decisions: more time on Q.5053"
unlike "$f3" 'not approved, opposed by' "  ... and not yet the later opposition"

# tally --as-of before the circular's date
refused_like '--as-of: 2019-12-01T00:00:00Z is before the date of circular 205' \
	ballot tally --circular 205 --as-of 2019-12-01T00:00:00Z
refused_like '--as-of: 2019-12-01T00:00:00Z' ballot report --circular 205 --out "$T/x.pdf" --as-of 2019-12-01T00:00:00Z

done_testing
