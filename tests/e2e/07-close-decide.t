#!/bin/bash
# User story: after the deadline the secretariat closes the consultation; the
# study group plenary's decision is recorded; chairs follow each draft's state.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
printf 'Reasons.\n' >"$T/reasons.txt"

replies() { # replies CIRCULAR NAUTH NNOT
	local c=$1 m i=0 bad=0
	for m in $(codes "$2" 0); do
		ballot reply --circular "$c" --member "$m" --authorize --received "2020-02-10T09:0$i:00Z" >/dev/null 2>&1 || bad=1
	done
	for m in $(codes "$3" "$2"); do
		ballot reply --circular "$c" --member "$m" --not-authorize --reasons "$T/reasons.txt" \
			--received 2020-02-10T10:00:00Z >/dev/null 2>&1 || bad=1
	done
	return $bad
}

for c in 205 206 207 208 209; do CIRC=$c setup_205; done
expect_exit 0 ballot consultation create --circular 3-1 --group 3 \
	--meeting-start 2020-04-20 --meeting-end 2020-04-29 --date 2020-01-15
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 3-1 --rec D.50 --title "International telephone service"
ok "205: 8 authorize, 1 not" replies 205 8 1
ok "206: 1 authorize, 3 not" replies 206 1 3
ok "207: 5 authorize" replies 207 5 0
ok "208: 5 authorize" replies 208 5 0
ok "209: 5 authorize" replies 209 5 0

# --- status while in consultation ---
at 2020-02-20T00:00:00Z
expect_exit 0 ballot status --json
is "$(jlen .)" 6 "status lists the six drafts"
is "$(jpick '.[0]' circular group rec title state deadline outcome)" \
	'{"circular":"205","group":11,"rec":"Q.5051","title":"Framework for combating the use of stolen mobile devices","state":"in-consultation","deadline":"2020-02-21T23:59:00Z","outcome":"pending"}' \
	"status --json: circular, group, rec, title, state, deadline, outcome"
is "$(jcol . circular | tr '\n' ' ')" "205 206 207 208 209 3-1 " "status is ordered by circular"

# --- close ---
refused 2020-02-21T23:59:00Z ballot close --circular 205
at 2020-02-21T23:59:00Z
refused 2020-02-21T23:59:00Z ballot close --circular 205
at 2020-02-22T00:00:00Z
expect_exit 0 ballot close --circular 205
like "$OUT" 'ready-for-approval' "close says the draft is ready for approval"
like "$OUT" '^Q\.5051 +8/9 \(88\.9%\) +proceed +ready-for-approval$' "close shows the frozen figures: 8 of 9, 88.9 %"
refused_like 'already|closed' ballot close --circular 205
expect_exit 0 ballot close --circular 206
like "$OUT" 'not-ready' "close says the draft is not ready"
for c in 207 208 209; do expect_exit 0 ballot close --circular $c; done
refused 999 ballot close --circular 999
refused_like '2020-04' ballot close --circular 3-1

expect_exit 0 ballot status --json
is "$(jwhere . circular 205 state)" ready-for-approval "205: ready-for-approval"
is "$(jwhere . circular 205 outcome)" proceed "205: outcome proceed (frozen)"
is "$(jwhere . circular 206 state)" not-ready "206: not-ready"
is "$(jwhere . circular 206 outcome)" not-proceed "206: outcome not-proceed"
is "$(jwhere . circular 3-1 state)" in-consultation "3-1: still in consultation"
is "$(jwhere . circular 3-1 outcome)" pending "3-1: outcome pending"

# the frozen outcome does not move with later (late) replies
expect_exit 0 ballot reply --circular 205 --member "$(codes 1 20)" --not-authorize --reasons "$T/reasons.txt" --received 2020-02-21T23:59:30Z
expect_exit 0 ballot status --json
is "$(jwhere . circular 205 outcome)" proceed "a late reply after close does not change the frozen outcome"

# --- decide ---
at 2020-03-10T12:00:00Z
refused_like 'not.ready|Q\.5051' ballot decide --circular 206 --draft Q.5051 --approved
refused_like 'in.consultation|D\.50' ballot decide --circular 3-1 --draft D.50 --approved
refused Q.9 ballot decide --circular 205 --draft Q.9 --approved
refused XYZ ballot decide --circular 205 --draft Q.5051 --more-time XYZ
expect_exit 2 ballot decide --circular 205 --draft Q.5051 --more-time
expect_exit 2 ballot decide --circular 205 --draft Q.5051
refused_like 'approved|more-time' ballot decide --circular 205 --draft Q.5051 --approved --more-time CHE

expect_exit 0 ballot decide --circular 205 --draft Q.5051 --more-time CHE
expect_exit 0 ballot status --json
is "$(jwhere . circular 205 state)" more-time "205: more-time"
# §9.5.5: not approved before the four weeks after the meeting (to 2020-04-10)
# have passed (below); until then only CHE may oppose (36-decisions.t)
refused_like 'four weeks.*2020-04-10' ballot decide --circular 205 --draft Q.5051 --approved

refused opposed-by ballot decide --circular 207 --draft Q.5051 --not-approved
expect_exit 0 ballot decide --circular 207 --draft Q.5051 --not-approved --opposed-by DEU
expect_exit 0 ballot status --json
is "$(jwhere . circular 207 state)" not-approved "207: not-approved"

refused XYZ ballot decide --circular 208 --draft Q.5051 --approved --reservation "XYZ:text"
refused_like 'reservation|CHE' ballot decide --circular 208 --draft Q.5051 --approved --reservation CHE
expect_exit 0 ballot decide --circular 208 --draft Q.5051 --approved --reservation "CHE:Switzerland reserves its position on clause 7"
expect_exit 0 ballot status --json
is "$(jwhere . circular 208 state)" approved "208: approved with a reservation"
expect_exit 0 ballot history --circular 208 --json
like "$OUT" 'Switzerland reserves its position on clause 7' "history shows the reservation text"
like "$(jcol . kind)" '^decision$' "history has the decision"
like "$(jcol . kind)" '^close$' "history has the closure"

expect_exit 0 ballot decide --circular 209 --draft Q.5051 --more-time FRA
expect_exit 0 ballot decide --circular 209 --draft Q.5051 --not-approved --opposed-by fr
expect_exit 0 ballot status --json
is "$(jwhere . circular 209 state)" not-approved "209: more-time, then not-approved (FRA opposed)"

expect_exit 0 ballot consultation create --circular 210 --group 13 \
	--meeting-start 2020-07-06 --meeting-end 2020-07-17 --date 2020-03-01
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 210 --rec Y.1 --title "Group 13 draft"

at 2020-04-11T12:00:00Z
expect_exit 0 ballot decide --circular 205 --draft Q.5051 --approved
expect_exit 0 ballot status --json
is "$(jwhere . circular 205 state)" approved "205: approved after more time, once the four weeks have passed"
refused_like 'approved|Q\.5051' ballot decide --circular 205 --draft Q.5051 --approved

# --- status: filters and text ---
expect_exit 0 ballot status --group 3 --json
is "$(jcol . circular | tr '\n' ' ')" "3-1 " "status --group 3 lists only SG3's drafts"
expect_exit 0 ballot status --group 11 --json
is "$(jcol . circular | tr '\n' ' ')" "205 206 207 208 209 " "status --group 11 lists only SG11's drafts"
is "$(jcol . state | tr '\n' ' ')" "approved not-ready not-approved approved not-approved " "SG11 states"
expect_exit 0 ballot status --group 13 --json
is "$(jpick '.[0]' circular group state outcome)" '{"circular":"210","group":13,"state":"in-consultation","outcome":"pending"}' "SG13 draft in consultation"
expect_exit 0 ballot status --group 12 --json
is "$(jlen .)" 0 "status --group 12: an empty list"
expect_exit 0 ballot status
like "$OUT" 'not-ready' "text status shows states"
like "$OUT" '3-1.*D\.50|D\.50.*3-1' "text status shows circular and draft"

# --opposed-by takes several codes as the contract writes it; codes are checked.
CIRC=290 setup_205
at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 290 --member CHE --authorize
at 2020-02-24T00:00:00Z
expect_exit 0 ballot close --circular 290
at 2020-03-05T10:00:00Z
refused PLW ballot decide --circular 290 --not-approved --opposed-by DEU PLW
refused GBR ballot decide --circular 290 --not-approved --opposed-by GBR gbr
expect_exit 0 ballot decide --circular 290 --not-approved --opposed-by DEU GBR
run ballot status --json
is "$(jwhere . circular 290 state)" not-approved "opposed by DEU and GBR: not approved"

done_testing
