#!/bin/bash
# User story: the portal serves a consultation for days on one connection per
# thread; after each reply recorded (by anyone: the portal, the command line)
# its row check reads only the replies added since the last sound check, and
# still refuses one that its event does not vouch for: a row added behind
# ballot's back with no trigger touched, or an old row changed (its trigger
# dropped and put back). `ballot check` names the same row.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"

need_tools sqlite3 curl
trap 'serve_stop; _cleanup' EXIT

unset BALLOT_NOW
expect_exit 0 ballot init
open_now 501
expect_exit 0 ballot draft add --summary "A summary." --circular 501 --rec Q.5051 --title "A draft"
code=$(new_code 501 CHN)
expect_exit 0 ballot reply --circular 501 --member CHN --authorize
sqlite3 "$BALLOT_DB" ".backup '$T/good.db'"
cp "$BALLOT_DB.key" "$T/good.db.key"
cp "$BALLOT_DB.witness" "$T/good.db.witness"
dev_certs
serve_start "$T/serve.log" || fail "ballot serve did not start"
signin chn CHN "$code"
is "$ST" 303 "CHN signs in"
get chn /member/c/501
is "$ST" 200 "the consultation page, rows sound: 200"
for m in DEU FRA GBR; do
	expect_exit 0 ballot reply --circular 501 --member "$m" --not-authorize
	get chn /member/c/501
	is "$ST" 200 "a reply of $m recorded by the command line: checked, sound: 200"
done
get chn /member
is "$ST" 200 "the home page: 200"
unlike "$BODY" "damaged" "  ... with no banner"

# a row added behind ballot's back, no trigger touched (the schema unchanged)
draft=$(sqlite3 "$BALLOT_DB" "SELECT id FROM drafts")
sqlite3 "$BALLOT_DB" "INSERT INTO replies(draft_id, member, choice, received, channel, recorded_at, recorded_by,
	event_seq) VALUES ($draft, 'ITA', 'not-authorize', 1767600000, 'fax', 1767600000, 'x', 999999)" ||
	fail "adding a row"
ita=$(sqlite3 "$BALLOT_DB" "SELECT id FROM replies WHERE member = 'ITA'")
get chn /member/c/501
is "$ST" 503 "a reply row added that no event vouches for: the page refuses (503)"
like "$BODY" "the replies row $ita differs from event 999999 that wrote it" "  ... naming the row and the event it claims"
get chn /member
like "$BODY" "the replies row $ita differs from event 999999" "the home page shows the banner in the consultation's place"
run ballot check
is "$RC" 1 "ballot check finds it too"
like "$OUT$ERR" "event 999999: a reply row claims this event, which did not record it" "  ... naming the event the row claims"
serve_stop

# an old row changed with its trigger dropped and put back, after a sound check
export BALLOT_DB="$T/two.db"
for x in "" .key .witness; do cp "$T/good.db$x" "$BALLOT_DB$x"; done
chmod 600 "$BALLOT_DB"
serve_start "$T/serve2.log" || fail "ballot serve did not start again"
signin chn CHN "$code"
get chn /member/c/501
is "$ST" 200 "again: the consultation page, rows sound: 200"
expect_exit 0 ballot reply --circular 501 --member DEU --not-authorize
get chn /member/c/501
is "$ST" 200 "a reply recorded: sound"
chn=$(sqlite3 "$BALLOT_DB" "SELECT id FROM replies WHERE member = 'CHN'")
sqlite3 "$BALLOT_DB" "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'not-authorize' WHERE member = 'CHN';
	$(sqlite3 "$BALLOT_DB" "SELECT sql FROM sqlite_schema WHERE name = 'replies_append_only_u'")" || fail "damaging the reply"
get chn /member/c/501
is "$ST" 503 "an old reply row changed: the page refuses (503)"
like "$BODY" "the replies row $chn differs from event [0-9]+ that wrote it" "  ... naming the row"
serve_stop

done_testing
