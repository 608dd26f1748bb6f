#!/usr/bin/env bash
# 55-reply-import-late-entry.t - `reply import` takes a late entry's
# reason per line (issue 11: the optional column late_entry_reason): a paper
# form received on time, imported after the deadline, that changes a result
# already shown is refused without the reason and accepted with it; history
# shows the reason. The import's errors name the field first: "import line N:"
# then the column and its value (issue 12).
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205
at 2020-02-10T10:00:00Z
expect_exit 0 ballot reply --circular 205 --member AUS --authorize
expect_exit 0 ballot reply --circular 205 --member BRA --authorize
# after the deadline (2020-02-21T23:59:00Z): Q.5051 has been shown to proceed
at 2020-02-24T10:00:00Z
run ballot tally --circular 205 --json
is "$(jget '.drafts[0].outcome')" proceed "after the deadline Q.5051 is shown to proceed"

H6=$(printf 'member\tdraft\tchoice\treceived\tchannel\tattachment')
H7=$(printf '%s\tlate_entry_reason' "$H6")
HUN=$(printf 'HUN\tQ.5051\tnot-authorize\t2020-02-20T16:00:00Z\tpost\t')
IND=$(printf 'IND\tQ.5051\tauthorize\t2020-02-23T09:00:00Z\tpost\t') # late: recorded, not counted
REASON="paper form received by post on 2020-02-20, opened on 2020-02-24"
printf '%s\n' "$H6" "$IND" "$HUN" >"$T/none.tsv"
printf '%s\n' "$H7" "$IND	" "$HUN	" >"$T/empty.tsv"
printf '%s\n' "$H7" "$IND	" "$HUN	$REASON" >"$T/with.tsv"
printf '%s\n' "$H7" "$(printf 'ESP\tQ.5051\tauthorize\t2020-02-23T09:00:00Z\tpost\t\tlate, not a late entry')" >"$T/late.tsv"
printf '%s\n' "$H7" "$IND" >"$T/short.tsv"
printf '%s\treason\n' "$H6" >"$T/badhead.tsv"
printf '%s\n' "$H7" "$(printf 'HUN\tQ.5051\tnot-authorize\t2020-02-20T16:00:00Z\tpost\t\t\001')" >"$T/unclean.tsv"

# without a reason: refused, naming the line of the late entry (not line 2, a
# late reply that needs no reason), the member,
# the draft and the change; nothing imported
refused_like '^ballot: import line 3: late_entry_reason: HUN.s reply on Q\.5051, received 2020-02-20T16:00:00Z \(on time\), is entered after the deadline 2020-02-21T23:59:00Z and changes the outcome shown since then from proceed to not-proceed; say why$' \
	ballot reply import --circular 205 "$T/none.tsv"
refused_like '^ballot: import line 3: late_entry_reason: HUN.*from proceed to not-proceed; say why$' \
	ballot reply import --circular 205 "$T/empty.tsv"
refused_like "^ballot: import line 2: late_entry_reason: only for an on-time reply recorded after the deadline \(2020-02-21T23:59:00Z\)$" \
	ballot reply import --circular 205 "$T/late.tsv"
refused_like '^ballot: import line 2: 6 columns, want 7 \(member, draft, choice, received, channel, attachment, late_entry_reason\)$' \
	ballot reply import --circular 205 "$T/short.tsv"
refused_like '^ballot: import line 1: header must be member, draft, choice, received, channel, attachment and, optionally, late_entry_reason' \
	ballot reply import --circular 205 "$T/badhead.tsv"
refused_like '^ballot: import line 2: late_entry_reason: empty, unclean' \
	ballot reply import --circular 205 "$T/unclean.tsv"

# with the reason on HUN's line: recorded, a receipt for each reply (none for
# the late-entry event that follows HUN's)
run ballot reply import --circular 205 "$T/with.tsv" --receipts "$T/rc"
is "$RC" 0 "with a late_entry_reason the import is recorded"
like "$OUT" 'imported 2 replies' "  ... both lines"
is "$(find "$T/rc" -name 'receipt-*.json' | wc -l | tr -d ' ')" 2 "  ... a receipt for each of the two replies"
is "$(cat "$T"/rc/receipt-*.json | grep -o '"member":"[A-Z]*"' | tr '\n' ' ')" '"member":"IND" "member":"HUN" ' \
	"  ... IND's and HUN's, in file order"
run ballot tally --circular 205 --json
is "$(jget '.drafts[0].outcome')" not-proceed "  ... and counted: Q.5051 no longer proceeds"
run ballot history --circular 205 --json
is "$(jwhere . kind late-entry member)" HUN "history has the late-entry event, for HUN's reply"
like "$(cat "$T/.out")" "\"late_entry_reason\":\"$REASON\"" "  ... and HUN's reply carries its reason"
run ballot history --circular 205
like "$OUT" "entered after the deadline: $REASON" "history (text) shows the reason"
ok "audit verify: the chain holds the late entry" ballot audit verify

# the import's other errors name the field first too: import line N, then the
# column and its value
printf '%s\n' "$H6" "$(printf 'ESP\tQ.5051\tmaybe\t2020-02-10T10:05:00Z\temail\t')" >"$T/choice.tsv"
refused_like "^ballot: import line 2: choice: 'maybe' is not authorize" ballot reply import --circular 205 "$T/choice.tsv"
printf '%s\n' "$H6" "$IND" "$(printf 'XYZ\tQ.5051\tauthorize\t2020-02-10T10:05:00Z\temail\t')" >"$T/member.tsv"
refused_like "^ballot: import line 3: member: 'XYZ' is not an ITU Member State code$" \
	ballot reply import --circular 205 "$T/member.tsv"
printf '%s\n' "$H6" "$(printf 'ESP\tQ.5051\tauthorize\t2020-02-30T10:05:00Z\temail\t')" >"$T/received.tsv"
refused_like "^ballot: import line 2: received: '2020-02-30T10:05:00Z'" ballot reply import --circular 205 "$T/received.tsv"
# ... and a reference to another field in the message still shows the option
printf '%s\n' "$H6" "$(printf 'ESP\tQ.5051\tnot-authorize\t2020-02-10T10:05:00Z\temail\t../x.txt')" >"$T/up.tsv"
mkdir -p "$T/other"
refused_like "^ballot: import line 2: attachment: '../x.txt' leaves --attachments-from \('..'\)$" \
	ballot reply import --circular 205 "$T/up.tsv" --attachments-from "$T/other"

done_testing
