#!/bin/bash
# User story: the tool never damages or silently creates a database it was not
# asked to create, refuses files that are not its own, and is scriptable
# (--help everywhere, exit codes, the clock).
. "$(dirname "$0")/lib.sh"

# --- a missing database ---
for cmd in "status" "members" "tally --circular 205" "pending --circular 205" "audit verify" \
	"reply --circular 205 --member CHE --authorize" "config"; do
	# shellcheck disable=SC2086
	expect_exit 2 ballot --db "$T/none.db" $cmd
	err_names "$T/none.db" "  ... names the file"
	like "$ERR" 'no database at' "  ... says: no database at PATH"
	ok "  ... and creates no file" test ! -e "$T/none.db" -a ! -e "$T/none.db-wal" -a ! -e "$T/none.db-journal"
done
expect_exit 2 env BALLOT_DB="$T/none2.db" "$BALLOT_BIN" status
ok "BALLOT_DB pointing nowhere: no file created" test ! -e "$T/none2.db"
mkdir -p "$T/cwd"
(cd "$T/cwd" && env -u BALLOT_DB "$BALLOT_BIN" status >/dev/null 2>&1)
is "$?" 2 "no --db, no BALLOT_DB, no ./ballot.db: exit 2"
ok "  ... and no ./ballot.db created" test ! -e "$T/cwd/ballot.db"
(cd "$T/cwd" && env -u BALLOT_DB "$BALLOT_BIN" init >/dev/null 2>&1)
is "$?" 0 "init with no --db and no BALLOT_DB"
ok "  ... creates ./ballot.db" test -s "$T/cwd/ballot.db"

# --- files that are not ours ---
printf 'this is not a database\n' >"$T/text.db"
cp "$T/text.db" "$T/text.orig"
expect_exit 2 ballot --db "$T/text.db" status
ok "  ... the text file is untouched" cmp -s "$T/text.db" "$T/text.orig"
expect_exit 2 ballot --db "$T/text.db" init
ok "init on a text file: refused, file untouched" cmp -s "$T/text.db" "$T/text.orig"
expect_exit 2 ballot --db "$T/text.db" consultation create --circular 205 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
ok "  ... untouched" cmp -s "$T/text.db" "$T/text.orig"

sqlite3 "$T/other.db" "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ('hello');"
osum=$(db_sum "$T/other.db")
expect_exit 2 ballot --db "$T/other.db" status
expect_exit 2 ballot --db "$T/other.db" members
expect_exit 2 ballot --db "$T/other.db" init
expect_exit 2 ballot --db "$T/other.db" consultation create --circular 205 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
is "$(db_sum "$T/other.db")" "$osum" "another application's SQLite database is left as it was"
is "$(sqlite3 "$T/other.db" "SELECT group_concat(name) FROM sqlite_master")" notes "  ... no table added to it"

mkdir -p "$T/adir.db"
expect_exit 2 ballot --db "$T/adir.db" status

# --- the files are the owner's only (issue 14) ---
# The database holds the hashes of passwords and reply codes and every
# attachment: under the usual umask 022 it used to be created 0644, readable
# by anyone on the machine. SQLite gives -wal, -shm and -journal the
# database's mode (27-sec-requests.t checks them while the portal runs).
mkdir -p "$T/modes"
(
	umask 022
	"$BALLOT_BIN" --db "$T/modes/ballot.db" init >/dev/null 2>&1 &&
		"$BALLOT_BIN" --db "$T/modes/ballot.db" backup "$T/modes/backup.db" >/dev/null 2>&1 &&
		"$BALLOT_BIN" --db "$T/modes/restored.db" restore "$T/modes/backup.db" >/dev/null 2>&1
)
is "$?" 0 "init, backup and restore (into a new file) under umask 022"
for f in ballot.db backup.db restored.db; do
	is "$(stat -c %a "$T/modes/$f" 2>&1)" 600 "  ... $f is mode 0600"
done
(umask 022 && "$BALLOT_BIN" --db "$T/modes/ballot.db" init >/dev/null 2>&1)
chmod 640 "$T/modes/ballot.db"
(umask 022 && "$BALLOT_BIN" --db "$T/modes/ballot.db" init >/dev/null 2>&1)
is "$(stat -c %a "$T/modes/ballot.db")" 640 "init on an existing database leaves its mode as the owner set it"

# --- a read-only database ---
# Tests may run as root, which ignores file modes: run as nobody then.
RO=$T/ro
mkdir -p "$RO"
chmod 755 "$T" "$RO"
expect_exit 0 ballot --db "$RO/ballot.db" init
expect_exit 0 ballot --db "$RO/ballot.db" consultation create --circular 205 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
expect_exit 0 ballot --db "$RO/ballot.db" draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title "Framework"
expect_exit 0 ballot --db "$RO/ballot.db" reply --circular 205 --member CHE --authorize --received 2020-02-10T10:00:00Z
rm -f "$RO/ballot.db-wal" "$RO/ballot.db-shm"
chmod 444 "$RO/ballot.db"
rosum=$(db_sum "$RO/ballot.db")
if [ "$(id -u)" = 0 ]; then
	as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
else
	as_user() { "$@"; }
fi
# the directory not writable either (as nobody): a write is refused with exit 2
expect_exit 2 as_user "$BALLOT_BIN" --db "$RO/ballot.db" reply --circular 205 --member DEU --authorize --received 2020-02-10T10:00:00Z
like "$ERR" 'read-only|readonly|read only' "  ... saying the database is read-only"
expect_exit 2 as_user "$BALLOT_BIN" --db "$RO/ballot.db" consultation create --circular 206 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
is "$(db_sum "$RO/ballot.db")" "$rosum" "the read-only database is unchanged"
run as_user "$BALLOT_BIN" --db "$RO/ballot.db" tally --circular 205 --json
# A known limit (README): WAL needs a -shm file beside the database, so with
# neither file nor directory writable even a read is refused, in one line.
is "$RC" 2 "a read command with neither file nor directory writable is refused (exit 2)"
like "$ERR" '^ballot: .*read-only' "  ... saying the database is read-only"
# the file read-only, its directory writable (sticky /tmp style)
chmod 1777 "$RO"
expect_exit 2 as_user "$BALLOT_BIN" --db "$RO/ballot.db" reply --circular 205 --member DEU --authorize --received 2020-02-10T10:00:00Z
like "$ERR" 'read-only|readonly|read only' "  ... saying the database is read-only"
expect_exit 2 as_user "$BALLOT_BIN" --db "$RO/ballot.db" close --circular 205
expect_exit 0 as_user "$BALLOT_BIN" --db "$RO/ballot.db" tally --circular 205 --json
is "$(jget '.drafts[0].replies')" 1 "  ... and read commands work on it"
expect_exit 0 as_user "$BALLOT_BIN" --db "$RO/ballot.db" status --json
is "$(db_sum "$RO/ballot.db")" "$rosum" "the read-only database is still unchanged"
chmod 755 "$RO"

# --- --help, unknown commands, the clock ---
expect_exit 0 ballot init
sum=$(db_sum)
expect_exit 0 ballot --help
for c in init members consultation draft reply withdraw tally close decide status pending history export comments audit config; do
	like "$OUT" "\\b$c\\b" "ballot --help lists $c"
done
help_cmds=("init" "members" "members import" "consultation create" "draft add" "reply" "reply import"
	"withdraw" "tally" "close" "decide" "status" "pending" "history" "export" "comments" "audit verify"
	"config" "config set")
for c in "${help_cmds[@]}"; do
	# shellcheck disable=SC2086
	run ballot --db "$T/nohelp.db" $c --help
	is "$RC" 0 "ballot $c --help exits 0"
	ok "  ... and prints usage on stdout" test -n "$OUT"
done
ok "--help opens no database" test ! -e "$T/nohelp.db"
is "$(db_sum)" "$sum" "--help changes nothing"

refused frobnicate ballot frobnicate
refused_like 'bogus|consultation' ballot consultation bogus
refused_like 'option|--nope' ballot status --nope
expect_exit 2 ballot
expect_exit 0 ballot consultation create --circular 205 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5051 --title "Framework"
at yesterday
refused yesterday ballot tally --circular 205
at 2020-02-21T23:59:00
refused 2020-02-21T23:59:00 ballot tally --circular 205 --json
at 2020-02-30T10:00:00Z
refused 2020-02-30T10:00:00Z ballot reply --circular 205 --member CHE --authorize
refused 2020-02-30T10:00:00Z ballot consultation create --circular 206 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
at 2020-02-10T12:00:00Z
expect_exit 0 ballot tally --circular 205 --json
is "$(jget .as_of)" 2020-02-10T12:00:00Z "BALLOT_NOW is the clock"

# Two inits racing on a new path: the database survives, and exactly one
# of them says it created it (the other waits for its lock and says it exists).
lost=0 twice=0
for i in $(seq 1 30); do
	rm -f race.db race.db-wal race.db-shm
	"$BALLOT_BIN" --db race.db init >race.1 2>&1 &
	"$BALLOT_BIN" --db race.db init >race.2 2>&1 &
	wait
	n=$(grep -c '^created' race.1 race.2 | awk -F: '{s += $2} END {print s}')
	[[ -f race.db ]] && "$BALLOT_BIN" --db race.db members --as-of 2030-01-01 --json >race.json 2>/dev/null &&
		[[ $(jlen . "$(cat race.json)") == 194 ]] || lost=$((lost + 1))
	[[ $n == 1 ]] || twice=$((twice + 1))
done
is "$lost" 0 "30 racing init pairs: the database is always there with 194 members"
is "$twice" 0 "... and exactly one of each pair created it"

run "$BALLOT_BIN" --version
is "$RC" 0 "--version exits 0"
like "$OUT" "^ballot $(sed -n 's/^#define BALLOT_VERSION "\(.*\)"/\1/p' "$REPO/include/ballot/ballot.h")\$" "--version prints the version of ballot.h"

done_testing
