#!/bin/bash
# User story: someone with the database file swaps a staff account's password
# hash, or a reply code's hash, for one whose secret they know (sqlite3 on the
# file, the trigger that forbids it dropped and put back). The log never holds
# a secret or its hash, but each event that stored one records the SHA-256
# digest of the stored hash string; `ballot check` and `ballot audit verify`
# compare them and name the table and row, and backup refuses the file. A
# database made before (schema 5) gets one hash-baseline event pinning every
# hash in force when it is migrated.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"

need_tools sqlite3 sha256sum

# damage DB TABLE SQL : SQL run on DB with TABLE's triggers dropped for the
# time and put back
damage() {
	local put drop
	put=$(sqlite3 "$1" "SELECT group_concat(sql, ';') FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = '$2'")
	drop=$(sqlite3 "$1" "SELECT group_concat('DROP TRIGGER ' || name, ';') FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = '$2'")
	sqlite3 "$1" "${drop:+$drop;} $3; ${put:+$put;}" || fail "damaging $1: $3"
}
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# cases SRC LABEL : each hash swapped by SQL on a copy of SRC is found
cases() {
	local src=$1 label=$2 c name table sql want
	local list=(
		"pw|users|UPDATE users SET password = (SELECT password FROM users WHERE name = 'tsb.bob') WHERE name = 'tsb.anna'|account tsb.anna's stored password hash differs from the digest its event recorded \(users table\)"
		"code|reply_codes|UPDATE reply_codes SET hash = (SELECT hash FROM reply_codes WHERE member = 'DEU') WHERE member = 'FRA' AND revoked_at IS NULL|reply code $(sqlite3 "$src" "SELECT id FROM reply_codes WHERE member = 'FRA' AND revoked_at IS NULL")'s stored hash differs from the digest its event recorded \(reply_codes table\)"
	)
	for c in "${list[@]}"; do
		IFS='|' read -r name table sql want <<<"$c"
		rm -f "$label-$name.db" "$label-$name.db-damaged"
		cp "$src" "$label-$name.db"
		[ -e "$src.key" ] && cp "$src.key" "$label-$name.db.key"
		damage "$label-$name.db" "$table" "$sql"
		run ballot --db "$label-$name.db" check
		is "$RC" 1 "$label, $name hash swapped: check exits 1"
		like "$OUT" "^event chain: event [0-9]+: $want" "  ... naming the table and row"
		like "$OUT" '^result: damaged$' "  ... result: damaged"
		rm -f "$label-$name.db-damaged"
		run ballot --db "$label-$name.db" audit verify
		is "$RC" 1 "$label, $name hash swapped: audit verify exits 1"
		like "$OUT" "^event log broken at event [0-9]+: $want" "  ... naming the table and row"
		rm -f "$label-$name.db-damaged"
		run ballot --db "$label-$name.db" backup "$label-$name-bk.db"
		isnt "$RC" 0 "$label, $name hash swapped: backup refuses it"
		ok "  ... and leaves no backup" test ! -e "$label-$name-bk.db"
	done
}

# --- a new database: every event that stores a hash pins it -----------------
expect_exit 0 ballot init
setup_205
at 2020-02-10T12:00:00Z
expect_exit 0 ballot codes issue --circular 205 --member FRA
expect_exit 0 ballot codes issue --circular 205 --member FRA
expect_exit 0 ballot codes issue --circular 205 --member DEU
printf 'correct horse battery staple\n' >pw.txt
printf 'another pass phrase here\n' >pw2.txt
expect_exit 0 ballot users add --name tsb.anna --role secretariat --password-file pw.txt
expect_exit 0 ballot users password --name tsb.anna --password-file pw2.txt
expect_exit 0 ballot users add --name tsb.bob --role secretariat --password-file pw.txt
expect_exit 0 ballot check
expect_exit 0 ballot audit verify
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE kind = 'hash-baseline'")" 0 "a new database has no hash-baseline"
anna=$(sqlite3 "$BALLOT_DB" "SELECT password FROM users WHERE name = 'tsb.anna'")
fra=$(sqlite3 "$BALLOT_DB" "SELECT hash FROM reply_codes WHERE member = 'FRA' AND revoked_at IS NULL")
is "$(sqlite3 "$BALLOT_DB" "SELECT json_extract(body, '\$.password_digest') FROM events WHERE kind = 'user-password'")" "$(sha "$anna")" \
	"user-password records the SHA-256 of the stored hash"
is "$(sqlite3 "$BALLOT_DB" "SELECT json_extract(body, '\$.hash_digests.FRA') FROM events WHERE kind = 'codes-issue' ORDER BY seq DESC LIMIT 1 OFFSET 1")" "$(sha "$fra")" \
	"the reissue records the SHA-256 of the new code's stored hash"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events e, users u WHERE instr(e.body, substr(u.password, 16))")" 0 "no event holds a password hash (nor its salt)"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events e, reply_codes r WHERE instr(e.body, substr(r.hash, 16))")" 0 "no event holds a code hash (nor its salt)"
cp "$BALLOT_DB" new.db
cp "$BALLOT_DB.key" new.db.key
cases new.db new

# a password hash swapped for the one it had before (the user-add's) is found too
cp new.db old-pw.db
cp new.db.key old-pw.db.key
damage old-pw.db users "UPDATE users SET password = 'pbkdf2-sha256\$1\$AA\$AA' WHERE name = 'tsb.bob'"
run ballot --db old-pw.db audit verify
like "$OUT" "account tsb.bob's stored password hash differs" "a made-up hash on the account's own user-add is found"

# --- a schema-5 database: the migration pins every hash in force ------------
export BALLOT_DB=$T/m.db
sqlite3 "$BALLOT_DB" <"$E2E/data/schema5-hashes-105cc08.sql"
is "$(sqlite3 "$BALLOT_DB" 'PRAGMA user_version')" 5 "a schema-5 database, its hashes recorded by no event"
expect_exit 0 ballot config set attachment_max 1000
is "$(sqlite3 "$BALLOT_DB" "SELECT actor FROM events WHERE kind = 'hash-baseline'")" "ballot:migration" \
	"  ... migrated: one hash-baseline event, by ballot:migration"
is "$(sqlite3 "$BALLOT_DB" "SELECT json_extract(body, '\$.users.\"tsb.anna\"') FROM events WHERE kind = 'hash-baseline'")" \
	"$(sha "$(sqlite3 "$BALLOT_DB" "SELECT password FROM users WHERE name = 'tsb.anna'")")" "  ... pinning the password in force"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM json_each((SELECT body FROM events WHERE kind = 'hash-baseline'), '\$.codes')")" \
	"$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM reply_codes")" "  ... and every code"
expect_exit 0 ballot config set attachment_max 2000
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE kind = 'hash-baseline'")" 1 "  ... once"
expect_exit 0 ballot check
expect_exit 0 ballot audit verify
cases "$BALLOT_DB" migrated

# after the baseline, a new password and a reissued code are pinned by their own events
expect_exit 0 ballot users password --name tsb.anna --password-file pw.txt
expect_exit 0 ballot codes issue --circular 205 --member FRA
expect_exit 0 ballot audit verify
cases "$BALLOT_DB" later
done_testing
