#!/bin/bash
# User story: the secretariat backs the database up while replies keep
# arriving, restores it after a loss, and checks that a database or a backup
# is sound: `ballot backup FILE`, `ballot restore FILE`, `ballot check`.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205
at 2020-02-20T12:00:00Z
printf 'Comments of Switzerland.\n' >c.txt
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --comments c.txt --received 2020-02-10T10:00:00Z
expect_exit 0 ballot reply --circular 205 --member DEU --not-authorize --received 2020-02-10T10:01:00Z
S_DEU=$(printf '%s' "$OUT" | sed -n 's/.*(event \([0-9][0-9]*\) .*/\1/p')

# --- check on a sound database ---
sum=$(db_sum)
head=$(sqlite3 "$BALLOT_DB" 'SELECT hash FROM events ORDER BY seq DESC LIMIT 1')
events=$(sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM events')
expect_exit 0 ballot check
like "$OUT" '^integrity_check: ok$' "check: integrity_check ok"
like "$OUT" '^foreign_key_check: ok$' "check: foreign_key_check ok"
like "$OUT" "^event chain: ok \\($events events\\)\$" "check: the event chain ok, with the number of events"
like "$OUT" "^head: $head\$" "check prints the head hash"
like "$OUT" '^result: ok$' "check: result ok"
is "$(db_sum)" "$sum" "check changes nothing"

# --- backup of a quiet database ---
expect_exit 0 ballot backup bk.db
like "$OUT" "^backed up to bk.db: $events events, head $head " "backup reports the events and the head hash"
is "$(db_sum bk.db)" "$sum" "the backup holds exactly the database's content"
is "$(stat -c %a bk.db)" 600 "the backup is readable by its owner only"
is "$(sqlite3 bk.db 'PRAGMA journal_mode')" delete "the backup is one self-contained file (no WAL)"
ok "no -wal beside it" test ! -e bk.db-wal
is "$(find . -maxdepth 1 -name '.bk.db.*' | wc -l)" 0 "no temporary file left"
is "$(db_sum)" "$sum" "backup changes nothing in the database"

before=$(sha256_of bk.db)
refused "bk.db" ballot backup bk.db
like "$ERR" -- '--force' "  ... and says --force replaces it"
is "$(sha256_of bk.db)" "$before" "  ... the existing file is untouched"
expect_exit 0 ballot backup bk.db --force
mkdir adir
refused "adir" ballot backup adir --force
refused "$BALLOT_DB" ballot backup "$BALLOT_DB" --force
refused "nodir" ballot backup nodir/x.db
refused "FILE" ballot backup
refused "--forse" ballot backup x.db --forse
refused "y.db" ballot backup x.db y.db
ok "a refused backup writes no file" test ! -e x.db -a ! -e nodir

# --- restore brings back exactly the backed-up content ---
expect_exit 0 ballot reply --circular 205 --member FRA --authorize --received 2020-02-10T10:02:00Z
expect_exit 0 ballot withdraw --circular 205 --member CHE --received 2020-02-10T10:03:00Z
isnt "$(db_sum)" "$sum" "the database moved on after the backup"
expect_exit 0 ballot restore bk.db
like "$OUT" "^restored bk.db into .*: $events events, head $head\$" "restore reports what it restored"
like "$OUT" "^replaced $((events + 2)) events, head [0-9a-f]{64}\$" "  ... and what it replaced"
is "$(db_sum)" "$sum" "restore brings back exactly the backed-up content"
expect_exit 0 ballot audit verify
expect_exit 0 ballot reply --circular 205 --member ITA --authorize --received 2020-02-10T10:04:00Z
like "$OUT" "\\(event $((events + 1)) " "the restored database records on, continuing the chain"
expect_exit 0 ballot check
is "$(sqlite3 "$BALLOT_DB" 'PRAGMA journal_mode')" wal "the restored database is still in WAL mode"
is "$(find . -maxdepth 1 -name '.ballot.db.*' | wc -l)" 0 "no temporary file left beside the database"

expect_exit 0 ballot --db fresh.db restore bk.db
like "$OUT" '^created fresh.db ' "restore into a missing database creates it"
is "$(db_sum fresh.db)" "$sum" "  ... with exactly the backed-up content"
is "$(sqlite3 fresh.db 'PRAGMA journal_mode')" wal "  ... in WAL mode"
expect_exit 0 ballot --db fresh.db audit verify

# a copy SQLite made itself (WAL mode, as the live file) is restored too
sqlite3 "$BALLOT_DB" ".backup walcopy.db"
wsum=$(db_sum)
expect_exit 0 ballot --db fresh.db restore walcopy.db
is "$(db_sum fresh.db)" "$wsum" "a WAL-mode copy is restored exactly"
ok "  ... leaving no -wal or -shm beside it" test ! -e walcopy.db-wal -a ! -e walcopy.db-shm

# --- damaged and foreign files: refused by restore, reported by check ---
size=$(stat -c %s bk.db)
head -c $((size / 2)) bk.db >truncated.db
head -c 8000 bk.db >truncated-early.db
mkbytes notsql.db 8192
sqlite3 foreign.db 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'
cp bk.db newer.db && sqlite3 newer.db 'PRAGMA user_version = 99'
# one byte of event S_DEU's stored body: its number, as the hashed text says it
cp bk.db tampered.db
perl -0777 -pi -e '
	my $n = () = /"seq":'"$S_DEU"',"at"/g;
	die "found $n\n" unless $n == 1;
	s/"seq":'"$S_DEU"',"at"/"seq":'"$((S_DEU + 1))"',"at"/' tampered.db
is "$(cmp -l bk.db tampered.db | wc -l)" 1 "tampered.db differs from the backup in one byte"
# a draft deleted behind the triggers' back: its replies dangle
cp bk.db dangling.db
drops=$(sqlite3 dangling.db "SELECT group_concat('DROP TRIGGER ' || quote(name) || ';', ' ') FROM sqlite_master WHERE type = 'trigger'")
sqlite3 dangling.db "PRAGMA foreign_keys = OFF; $drops DELETE FROM drafts"

sum=$(db_sum)
for f in truncated.db truncated-early.db notsql.db foreign.db newer.db tampered.db dangling.db nosuch.db; do
	refused "$f" ballot restore "$f"
done
refused_like "is not an SQLite database" ballot restore notsql.db
refused_like "is not a ballot database" ballot restore foreign.db
refused_like "schema version 99, newer" ballot restore newer.db
refused_like "fails event chain: event $S_DEU: " ballot restore tampered.db
refused_like "fails integrity_check" ballot restore truncated-early.db
refused_like "fails foreign_key_check: replies row [0-9]+ refers to a missing drafts row" ballot restore dangling.db
refused "adir" ballot restore adir
refused "FILE" ballot restore
refused "$BALLOT_DB" ballot restore "$BALLOT_DB"
is "$(find . -maxdepth 1 -name '.ballot.db.*' | wc -l)" 0 "refused restores leave no temporary file"

expect_exit 1 ballot --db tampered.db check
like "$OUT" '^integrity_check: ok$' "check of a tampered event: the pages are sound"
like "$OUT" "^event chain: event $S_DEU: " "  ... the chain names event $S_DEU"
like "$OUT" '^result: damaged$' "  ... result damaged"
unlike "$OUT" "^head: [0-9a-f]{64}" "  ... and no head hash is offered"
expect_exit 1 ballot --db dangling.db check
like "$OUT" '^foreign_key_check: replies row [0-9]+ refers to a missing drafts row' \
	"check of dangling rows: foreign_key_check names the table, row and parent"
like "$OUT" '^event chain: .*(missing|differs)' "  ... and the chain misses the draft"
for f in truncated.db truncated-early.db; do
	expect_exit 1 ballot --db "$f" check
	like "$OUT" '^integrity_check: .*(malformed|missing|corrupt|[Pp]age)' "check of $f: integrity_check names the damage"
	like "$OUT" '^result: damaged$' "  ... result damaged"
done
expect_exit 2 ballot --db notsql.db check
err_names "notsql.db" "check of a file that is not SQLite: exit 2, named"
expect_exit 2 ballot --db foreign.db check
err_names "foreign.db" "check of a foreign SQLite file: exit 2, named"
expect_exit 2 ballot --db nosuch.db check
is "$(db_sum)" "$sum" "the database is unchanged by all of that"

# --- a backup while another process records replies in a loop ---
mapfile -t members < <(codes 150 20)
writer() {
	local i=0 m
	while [ ! -e stop ]; do
		m=${members[$((i % ${#members[@]}))]}
		"$BALLOT_BIN" reply --circular 205 --member "$m" --authorize >/dev/null 2>>writer.err ||
			{ echo "reply $m failed" >>writer.err; return 1; }
		i=$((i + 1))
	done
}
replies() { sqlite3 "${1:-$BALLOT_DB}" '.timeout 10000' 'SELECT count(*) FROM replies'; }
start=$(replies)
writer &
W=$!
wait_for_more() { # until the writer has recorded more than $1 replies (at most 60 s)
	local n
	for n in $(seq 1 600); do
		[ "$(replies)" -gt "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
counts=()
for i in 1 2 3; do
	wait_for_more "$((start + 3 * i))"
	expect_exit 0 ballot backup "live$i.db"
	counts+=("$(replies "live$i.db")")
done
wait_for_more "${counts[2]}" # still writing after the last backup
touch stop
wait "$W"
is "$?" 0 "the writer was never refused while backups ran" || diag "$(grep -v '^warning: ' writer.err)"
final=$(replies)
diag "replies: $start before, ${counts[*]} in the three backups, $final after"
for i in 1 2 3; do
	n=${counts[$((i - 1))]}
	ok "backup $i was taken while replies were written ($start < $n < $final)" \
		test "$n" -gt "$start" -a "$n" -lt "$final"
	expect_exit 0 ballot --db "live$i.db" audit verify
	expect_exit 0 ballot --db "live$i.db" check
	is "$(sqlite3 "live$i.db" 'SELECT count(*) FROM events')" \
		"$(sqlite3 "live$i.db" 'SELECT max(seq) FROM events')" "  ... its events are numbered without gaps"
done
expect_exit 0 ballot check

# --- a restore while another process records replies: safe for the writer ---
rm -f stop writer.err
writer &
W=$!
wait_for_more "$(replies)"
expect_exit 0 ballot restore live1.db
wait_for_more "$(replies)" # the writer carries on, on the restored database
touch stop
wait "$W"
is "$?" 0 "the writer was never refused while the database was restored" || diag "$(grep -v '^warning: ' writer.err)"
expect_exit 0 ballot audit verify
expect_exit 0 ballot check
n=$(sqlite3 live1.db 'SELECT count(*) FROM events')
is "$(sqlite3 "$BALLOT_DB" "SELECT group_concat(hash) FROM (SELECT hash FROM events WHERE seq <= $n ORDER BY seq)")" \
	"$(sqlite3 live1.db 'SELECT group_concat(hash) FROM (SELECT hash FROM events ORDER BY seq)')" \
	"the chain starts with the backup's events, then the writer's"

done_testing
