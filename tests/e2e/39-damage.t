#!/bin/bash
# User story: someone changes the database behind ballot's back (sqlite3 on the
# file). `ballot check` and `ballot audit verify` name every table so changed,
# and the schema (a trigger or an index dropped, edited or added); backup and
# restore refuse the damaged file; once a check has found the damage, every
# change is refused until a restore, and reads say the database is damaged;
# a row that no longer matches the event that wrote it stops tally, status,
# close, decide, report, publish and the portal's page of the consultation.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"

need_tools sqlite3 curl
trap 'serve_stop; _cleanup' EXIT

expect_exit 0 ballot init
setup_205
at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --received 2020-02-10T10:00:00Z
expect_exit 0 ballot reply --circular 205 --member DEU --authorize --received 2020-02-10T10:01:00Z
expect_exit 0 ballot codes issue --circular 205 --member FRA
printf 'correct horse battery staple\n' >pw.txt
expect_exit 0 ballot users add --name tsb.anna --role secretariat --password-file pw.txt
expect_exit 0 ballot tls dev-certs --out tls --client alice
expect_exit 0 ballot certs issue --member CHE --ca tls --out certs
expect_exit 0 ballot config set attachment_max 1000
expect_exit 0 ballot check
sqlite3 "$BALLOT_DB" ".backup '$T/good.db'"
cp "$BALLOT_DB.key" "$T/good.db.key"

# copy NAME : good.db copied to NAME.db (with its signing key)
copy() {
	rm -f "$1.db" "$1.db-damaged"
	cp good.db "$1.db" && cp good.db.key "$1.db.key"
}
# damage NAME TABLE SQL : a copy, SQL run on it with TABLE's triggers dropped
# for the time and put back (as a careful hand would)
damage() {
	copy "$1"
	local put drop
	put=$(sqlite3 "$1.db" "SELECT group_concat(sql, ';') FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = '$2'")
	drop=$(sqlite3 "$1.db" "SELECT group_concat('DROP TRIGGER ' || name, ';') FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = '$2'")
	sqlite3 "$1.db" "${drop:+$drop;} $3; ${put:+$put;}" || fail "damaging $1: $3"
}

# --- check, audit verify, backup and restore name every table --------------
cases=(
	"members|members|UPDATE members SET name = 'Helvetia' WHERE code = 'CHE'|member CHE differs"
	"since|members|UPDATE members SET since = 5 WHERE code = 'DEU'|member DEU differs"
	"users|users|UPDATE users SET role = 'chair', grp = 11|account or certificate differ"
	"codes|reply_codes|UPDATE reply_codes SET member = 'GBR'|reply codes, account or certificate differ"
	"certs|client_certs|UPDATE client_certs SET not_after = not_after + 1|account or certificate differ"
	"setting|settings|UPDATE settings SET value = '2000' WHERE key = 'attachment_max'|setting attachment_max differs"
	"nosetting|settings|INSERT INTO settings VALUES('replies_per_hour', '1')|setting replies_per_hour differs"
	"calendar|closed_days|UPDATE closed_days SET day = day + 1 WHERE id = (SELECT min(id) FROM closed_days)|closed days differ"
	"deadline|consultations|UPDATE consultations SET deadline = deadline + 86400|stored consultation differs"
	"reply|replies|UPDATE replies SET choice = 'not-authorize' WHERE member = 'DEU'|stored reply differs"
	"trigger|x|PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'replies are append-only', 'ok') WHERE name = 'replies_append_only_u'|schema: trigger replies_append_only_u differs"
	"notrigger|x|DROP TRIGGER users_append_only_d|schema: trigger users_append_only_d is missing"
	"noindex|x|DROP INDEX replies_by_member|schema: index replies_by_member is missing"
	"newindex|x|CREATE INDEX spy ON replies(member)|schema: index spy differs"
)
for c in "${cases[@]}"; do
	IFS='|' read -r name table sql want <<<"$c"
	damage "$name" "$table" "$sql"
	run ballot --db "$name.db" check
	is "$RC" 1 "$name: check exits 1"
	like "$OUT" "^event chain: event [0-9]+: .*$want" "  ... and names it ($want)"
	like "$OUT" '^result: damaged$' "  ... result: damaged"
	run ballot --db "$name.db" audit verify
	is "$RC" 1 "$name: audit verify exits 1"
	like "$OUT" "^event log broken at event [0-9]+: .*$want" "  ... and names it"
	rm -f "$name.db-damaged"
	run ballot --db "$name.db" backup "$name-bk.db"
	isnt "$RC" 0 "$name: backup refuses it"
	ok "  ... and leaves no backup" test ! -e "$name-bk.db"
	run env BALLOT_DB="$T/fresh-$name.db" "$BALLOT_BIN" restore "$name.db"
	is "$RC" 2 "$name: restore refuses it"
	like "$ERR" "$want" "  ... naming what is wrong"
	ok "  ... and restores nothing" test ! -e "fresh-$name.db"
done

# --- after check finds damage, every change refuses until a restore --------
damage w members "UPDATE members SET name = 'Helvetia' WHERE code = 'CHE'"
export BALLOT_DB="$T/w.db"
run ballot config set attachment_max 2000
is "$RC" 0 "before any check, a hand-made change goes unnoticed by a write (no full audit per write)"
damage w members "UPDATE members SET name = 'Helvetia' WHERE code = 'CHE'"
expect_exit 1 ballot check
ok "check leaves the damage mark" test -s w.db-damaged
sum=$(db_sum)
at 2020-02-10T13:00:00Z
for cmd in "config set attachment_max 2000" "codes issue --circular 205 --member GBR" \
	"reply --circular 205 --member ITA --authorize" "withdraw --circular 205 --member CHE" \
	"users disable --name tsb.anna" "close --circular 205"; do
	# shellcheck disable=SC2086
	run ballot $cmd
	is "$RC" 1 "damaged: '$cmd' exits 1"
	like "$ERR" "^ballot: the database is damaged \(.*member CHE differs.*\); every change is refused until it is restored from a backup" \
		"  ... saying the database is damaged"
	is "$(printf '%s' "$ERR" | wc -l)" 0 "  ... in one line"
done
is "$(db_sum)" "$sum" "no refused change changed anything"
for cmd in "history --circular 205 --member CHE" "status" "pending --circular 205"; do
	# shellcheck disable=SC2086
	run ballot $cmd
	like "$ERR" "^ballot: warning: the database is damaged" "damaged: the read '$cmd' says the database is damaged"
done
expect_exit 0 ballot restore good.db
ok "restore clears the damage mark" test ! -e w.db-damaged
expect_exit 0 ballot config set attachment_max 2000
run ballot status
is "$ERR" "" "after the restore, reads say nothing of damage"
expect_exit 0 ballot check

# a database removed and made anew at the same path starts without the mark
damage gone members "UPDATE members SET name = 'Helvetia' WHERE code = 'CHE'"
expect_exit 1 ballot --db gone.db check
rm gone.db gone.db.key
expect_exit 0 ballot --db gone.db init
ok "  ... init removes the mark a removed database left" test ! -e gone.db-damaged
expect_exit 0 ballot --db gone.db config set attachment_max 2000

# --- a broken last event refuses a change even before any check ------------
copy tail
export BALLOT_DB="$T/tail.db"
sqlite3 tail.db "DROP TRIGGER events_append_only_u; UPDATE events SET body = replace(body, '1000', '1001')
	WHERE seq = (SELECT max(seq) FROM events)" || fail "editing the last event"
last=$(sqlite3 tail.db 'SELECT max(seq) FROM events')
run ballot config set attachment_max 3000
is "$RC" 1 "an edited last event: a change exits 1 without any check run"
like "$ERR" "^ballot: the database is damaged \(event $last: its content does not match its hash\)" "  ... naming the event"
run ballot status
like "$ERR" "^ballot: warning: the database is damaged \(event $last: " "  ... and reads say so"

# --- a row that disagrees with its event stops every decision --------------
# decide needs a closed consultation, the report a decision
copy closed
export BALLOT_DB="$T/closed.db"
at 2020-02-24T00:00:00Z
expect_exit 0 ballot close --circular 205
at 2020-03-05T10:00:00Z
expect_exit 0 ballot decide --circular 205 --approved --date 2020-03-05
sqlite3 closed.db ".backup '$T/decided.db'"
cp closed.db.key decided.db.key

rowdmg() { # rowdmg NAME FROM TABLE SQL
	rm -f "$1.db"
	cp "$2.db" "$1.db" && cp "$2.db.key" "$1.db.key"
	local put drop
	put=$(sqlite3 "$1.db" "SELECT group_concat(sql, ';') FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = '$3'")
	drop=$(sqlite3 "$1.db" "SELECT group_concat('DROP TRIGGER ' || name, ';') FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = '$3'")
	sqlite3 "$1.db" "$drop; $4; $put;" || fail "damaging $1"
	export BALLOT_DB="$T/$1.db"
}
deu=$(sqlite3 good.db "SELECT id FROM replies WHERE member = 'DEU'")
deu_seq=$(sqlite3 good.db "SELECT event_seq FROM replies WHERE member = 'DEU'")
want="^ballot: circular 205: the replies row $deu differs from event $deu_seq that wrote it \(.*\); the database is damaged: run \`ballot check\`\$"
rowdmg choice good replies "UPDATE replies SET choice = 'not-authorize' WHERE member = 'DEU'"
for cmd in "tally --circular 205" "status" "close --circular 205" "report --circular 205 --out r.pdf" \
	"publish --circular 205 --out pub"; do
	# shellcheck disable=SC2086
	run ballot $cmd
	is "$RC" 1 "a reply's choice changed: '$cmd' exits 1"
	like "$ERR" "$want" "  ... naming the replies row, its event, and ballot check"
done
ok "  ... and no report or bundle was written" test ! -e r.pdf -a ! -e pub
rowdmg time good replies "UPDATE replies SET received = received - 3600 WHERE member = 'DEU'"
run ballot tally --circular 205
is "$RC" 1 "a reply's time changed: tally exits 1"
like "$ERR" "$want" "  ... naming the row"
rowdmg dl good consultations "UPDATE consultations SET deadline = deadline + 86400"
run ballot status
is "$RC" 1 "a consultation's deadline changed: status exits 1"
like "$ERR" "^ballot: circular 205: the consultations row [0-9]+ differs from event [0-9]+ that wrote it" "  ... naming the consultations row"
rowdmg dec closed replies "UPDATE replies SET choice = 'not-authorize' WHERE member = 'DEU'"
at 2020-03-05T10:00:00Z
run ballot decide --circular 205 --approved --date 2020-03-05
is "$RC" 1 "a reply changed after closing: decide exits 1"
like "$ERR" "$want" "  ... naming the row"
rowdmg decision decided decisions "UPDATE decisions SET kind = 'not-approved'"
dec=$(sqlite3 decision.db "SELECT id FROM decisions")
for cmd in "report --circular 205 --out r2.pdf" "tally --circular 205" "publish --circular 205 --out pub2"; do
	# shellcheck disable=SC2086
	run ballot $cmd
	is "$RC" 1 "a decision changed: '$cmd' exits 1"
	like "$ERR" "^ballot: circular 205: the decisions row $dec differs from event [0-9]+ that wrote it" "  ... naming the decisions row"
done

# --- the portal's consultation page refuses a reply row that disagrees ------
export BALLOT_DB="$T/portal.db"
unset BALLOT_NOW
expect_exit 0 ballot init
open_now 501
expect_exit 0 ballot draft add --summary "A summary." --circular 501 --rec Q.5051 --title "A draft"
code=$(new_code 501 CHN)
expect_exit 0 ballot reply --circular 501 --member CHN --authorize
dev_certs
serve_start "$T/serve.log" || fail "ballot serve did not start"
signin chn CHN "$code"
is "$ST" 303 "CHN signs in"
get chn /member/c/501
is "$ST" 200 "the consultation page, rows sound: 200"
chn=$(sqlite3 portal.db "SELECT id FROM replies WHERE member = 'CHN'")
chn_seq=$(sqlite3 portal.db "SELECT event_seq FROM replies WHERE member = 'CHN'")
sqlite3 portal.db "DROP TRIGGER replies_append_only_u; UPDATE replies SET choice = 'not-authorize' WHERE member = 'CHN';
	$(sqlite3 portal.db "SELECT sql FROM sqlite_schema WHERE name = 'replies_append_only_u'")" || fail "damaging the reply"
get chn /member/c/501
is "$ST" 503 "a reply row changed: the consultation page refuses (503: the store is damaged)"
like "$BODY" "the replies row $chn differs from event $chn_seq that wrote it" "  ... naming the row and its event"
unlike "$BODY" "not-authorize|Not authorize" "  ... and shows nothing of the changed row"
serve_stop

done_testing
