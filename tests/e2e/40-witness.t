#!/usr/bin/env bash
# 40-witness.t - issue 11, part 6: what was acknowledged stays true.
# (1) One damaged byte in the -wal makes SQLite stop reading the log there:
# acknowledged replies vanished, check and audit verify said ok, and the next
# writer reused the lost event numbers. The witness <db>.witness (the last
# acknowledged event, number and hash, written and synced after each commit
# and before the acknowledgement) makes check and audit verify report
# "events N..M acknowledged but missing" (exit 1) and writers refuse.
# (2) The server clock going back never reorders replies: times the server
# assigns are never earlier than the last event's, and the acknowledgement
# (command line and portal) tells the truth about what counts.
# (3) A full disk (a 1 MiB tmpfs; needs root, as CI runs): restore says the
# disk is full (exit 1); status, history and tally still work; writers leave
# no empty directory behind.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools sqlite3 python3 curl perl mount umount dd

MNT=""
trap 'serve_stop; [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; _cleanup' EXIT
seq_of() { printf '%s\n' "$OUT" | sed -n 's/^recorded .*(event \([0-9][0-9]*\) .*/\1/p' | tail -n 1; }
nevents() { sqlite3 "${1:-$BALLOT_DB}" '.timeout 10000' 'SELECT count(*) FROM events'; }

expect_exit 0 ballot init
setup_205
at 2020-01-10T12:00:00Z
W=$BALLOT_DB.witness
ok "init writes the witness $W" test -f "$W"
is "$(stat -c %a "$W")" 600 "  ... mode 0600"

# --- (1) a damaged -wal -------------------------------------------------------
# Another connection holds the database open, so the replies stay in the -wal
# (the last connection to close would checkpoint it into the database).
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM events").fetchall()
print("held", flush=True); time.sleep(120)' "$BALLOT_DB" >"$T/held" &
HOLD=$!
for i in $(seq 1 600); do grep -qs held "$T/held" && break; sleep 0.1; done # up to 60 s (a loaded machine)
acked=()
for m in FRA DEU ITA; do
	expect_exit 0 ballot reply --circular 205 --member $m --authorize
	acked+=("$(seq_of)")
done
last=${acked[2]}
like "$(head -c 40 "$W")" "^ballot-witness 1 0*$last " "the witness names the last acknowledged event ($last)"
mkdir "$T/copy"
cp "$BALLOT_DB" "$BALLOT_DB-wal" "$W" "$BALLOT_DB.key" "$T/copy/"
kill "$HOLD"
wait "$HOLD" 2>/dev/null
C=$T/copy/$(basename "$BALLOT_DB")
ok "  ... the replies are in the -wal (copied while held open)" test -s "$C-wal"
size=$(stat -c %s "$C-wal")
printf '\377' | dd of="$C-wal" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null
is "$(nevents "$C")" "$((last - 1))" "one damaged byte near the end of the -wal: SQLite reads events up to $((last - 1)) only"
BALLOT_DB=$C expect_exit 1 ballot check
like "$OUT" "^witness: events $last\\.\\.$last acknowledged but missing" "check: events $last..$last acknowledged but missing"
like "$OUT" '^result: damaged$' "  ... result damaged (exit 1)"
BALLOT_DB=$C expect_exit 1 ballot audit verify
like "$OUT" "acknowledged but missing" "audit verify: the acknowledged events are missing (exit 1)"
BALLOT_DB=$C expect_exit 1 ballot reply --circular 205 --member ESP --authorize
like "$ERR" "the database is damaged .*events $last\\.\\.$last acknowledged but missing" \
	"the checks marked it damaged: the next writer refuses, saying why"
# without the mark (no check run since the -wal was damaged), the writer's
# own look at the witness refuses to reuse the number
rm "$C-damaged"
BALLOT_DB=$C expect_exit 1 ballot reply --circular 205 --member ESP --authorize
like "$ERR" "events $last\\.\\.$last were acknowledged but are missing" "the next writer refuses to reuse event $last"
is "$(nevents "$C")" "$((last - 1))" "  ... and writes nothing"
BALLOT_DB=$C expect_exit 1 ballot consultation create --circular 207 --group 11 --date 2020-01-10 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
is "$(nevents "$C")" "$((last - 1))" "  ... nor does any other writer"
expect_exit 0 ballot check
like "$OUT" "^witness: ok \\(event $last acknowledged, $last in the database\\)" "the undamaged database: witness ok"
expect_exit 0 ballot backup "$T/good.db"
BALLOT_DB=$C expect_exit 0 ballot restore "$T/good.db"
BALLOT_DB=$C expect_exit 0 ballot check
like "$OUT" '^result: ok$' "restoring a backup that holds them makes the copy sound again"
BALLOT_DB=$C expect_exit 0 ballot reply --circular 205 --member ESP --authorize
is "$(seq_of)" "$((last + 1))" "  ... and the next writer takes event $((last + 1))"

# --- (2) the clock goes back --------------------------------------------------
at 2020-01-11T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member CHE --authorize
at 2020-01-11T11:00:00Z
printf 'Reasons of Switzerland.\n' >"$T/reasons.txt"
expect_exit 0 ballot reply --circular 205 --member CHE --not-authorize --reasons "$T/reasons.txt"
like "$OUT" 'received 2020-01-11T12:00:00Z' "clock back an hour: the reply is dated at the last event's time, not earlier"
unlike "$ERR" 'later one stands' "  ... and it is not outdated by the earlier reply"
like "$ERR" 'supersedes the earlier reply of CHE' "  ... it supersedes it, as acknowledged"
expect_exit 0 ballot history --circular 205 --member CHE
like "$OUT" ' not-authorize +2020-01-11T12:00:00Z .* counted ' "history: the newer reply is the one counted"
like "$OUT" ' authorize +2020-01-11T12:00:00Z .* superseded ' "  ... the older one superseded"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events a JOIN events b ON b.seq = a.seq + 1 WHERE b.at < a.at AND b.kind = 'reply'")" 0 \
	"no reply event is dated before the event it follows"

# the portal: CHN replied at 12:00 (command line); the server's clock says 10:00
at 2020-01-10T12:00:00Z
C_CHN=$(new_code 205 CHN)
at 2020-01-12T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member CHN --authorize
dev_certs
BALLOT_NOW=2020-01-12T10:00:00Z serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin chn CHN "$C_CHN"
is "$ST" 303 "portal, clock two hours back: CHN signs in"
get chn /member/c/205
reply_post chn /member/c/205/reply -F "csrf=$(csrf_of)" -F choice-1=not-authorize
is "$ST" 200 "  ... and replies not-authorize (200)"
like "$BODY" 'replaces your earlier one' "  ... the receipt says it replaces the earlier reply"
serve_stop
expect_exit 0 ballot history --circular 205 --member CHN
like "$OUT" ' not-authorize +2020-01-12T12:00:00Z .* counted ' "  ... and it is the one counted, dated 12:00, not 10:00 (history)"
like "$OUT" ' authorize +2020-01-12T12:00:00Z .* superseded ' "  ... the reply of 12:00 superseded"

# --- (3) a full disk ------------------------------------------------------------
MNT=$T/full
mkdir "$MNT"
mount -t tmpfs -o size=1m,mode=0700 tmpfs "$MNT" || {
	echo "Bail out! cannot mount a 1 MiB tmpfs (root needed)"
	exit 1
}
fill() { dd if=/dev/zero of="$MNT/filler.$1" bs=4k 2>/dev/null; sync; }
D=$MNT/b.db
cp "$BALLOT_DB" "$D"
chmod 600 "$D"
ballot backup "$T/bk2.db" >/dev/null
fill 1
BALLOT_DB=$D expect_exit 0 ballot status
like "$OUT" '205' "full disk: status works"
BALLOT_DB=$D expect_exit 0 ballot history --circular 205
like "$OUT" 'CHE' "full disk: history works"
BALLOT_DB=$D expect_exit 0 ballot tally --circular 205
like "$OUT" 'Q\.5051' "full disk: tally works"
BALLOT_DB=$D expect_exit 1 ballot restore "$T/bk2.db"
like "$ERR" 'disk is full' "full disk: restore says the disk is full (exit 1)"
unlike "$ERR" 'cannot be read' "  ... not that the backup cannot be read"
for w in "comments --circular 205 --out $MNT/cm" "forms --circular 205 --out $MNT/fm" \
	"publish --circular 205 --out $MNT/pb"; do
	# shellcheck disable=SC2086
	BALLOT_DB=$D run ballot $w
	isnt "$RC" 0 "full disk: ballot ${w%% --*} fails"
	ok "  ... and leaves no directory behind" test ! -e "${w##* }"
done
rm -f "$MNT"/filler.*
BALLOT_DB=$D expect_exit 0 ballot check
like "$OUT" '^result: ok$' "after the disk is freed: the database is sound"

done_testing
