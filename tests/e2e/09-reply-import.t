#!/bin/bash
# User story: the secretariat imports a batch of replies from a TSV file, all
# or nothing.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205
CIRC=206 setup_205
mkdir -p "$T/batch/att" "$T/elsewhere"
printf 'Comments of Germany.\n' >"$T/batch/att/deu.txt"
printf 'Reasons of France.\n' >"$T/batch/att/fra.txt"

H=$(printf 'member\tdraft\tchoice\treceived\tchannel\tattachment')
L1=$(printf 'CHE\tQ.5051\tauthorize\t2020-02-10T10:00:00Z\temail\t')
L2=$(printf 'DEU\tQ.5051\tauthorize-with-comments\t2020-02-10T10:01:00Z\temail\tatt/deu.txt')
L3=$(printf 'FRA\tQ.5051\tnot-authorize\t2020-02-10T10:02:00+01:00\tpost\tatt/fra.txt')
L4=$(printf 'it\tQ.5051\tnot-authorize\t2020-02-10T10:03:00Z\tfax\t')
printf '%s\n' "$H" "$L1" "$L2" "$L3" "$L4" >"$T/batch/replies.tsv"

# attachment paths are relative to the TSV file, not to the working directory
cd "$T/elsewhere" || exit 1
expect_exit 0 ballot reply import --circular 205 ../batch/replies.tsv
like "$OUT" '\b4\b' "import says it recorded 4 replies"
cd "$T" || exit 1
expect_exit 0 ballot tally --circular 205 --json --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies support authorize authorize_with_comments not_authorize not_authorize_without_reasons)" \
	'{"replies":4,"support":2,"authorize":1,"authorize_with_comments":1,"not_authorize":2,"not_authorize_without_reasons":1}' \
	"the 4 imported replies are counted"
expect_exit 0 ballot history --circular 205 --member FRA --json
is "$(jget '.[0].received')" 2020-02-10T09:02:00Z "an imported time with an offset is converted to UTC"
is "$(jget '.[0].channel')" post "the channel is imported"
expect_exit 0 ballot comments --circular 205 --out "$T/td"
found() { found_in "$T/td" "$1"; }
ok "the imported attachment (DEU) is stored byte for byte" found "$T/batch/att/deu.txt"
ok "the imported attachment (FRA) is stored byte for byte" found "$T/batch/att/fra.txt"

# a second file: later replies supersede
printf '%s\n' "$H" "$(printf 'CHE\tQ.5051\tnot-authorize\t2020-02-10T11:00:00Z\temail\tatt/fra.txt')" >"$T/batch/second.tsv"
expect_exit 0 ballot reply import --circular 205 "$T/batch/second.tsv"
expect_exit 0 ballot tally --circular 205 --json --as-of 2020-02-25T00:00:00Z
is "$(jpick '.drafts[0]' replies support)" '{"replies":4,"support":1}' "an imported later reply supersedes"

# --- all or nothing: a bad line in the middle imports nothing ---
bad() { # bad NAME LINE: a file with the bad line between good ones
	printf '%s\n' "$H" "$L1" "$2" "$L2" >"$T/batch/$1.tsv"
}
bad unknown-member "$(printf 'XYZ\tQ.5051\tauthorize\t2020-02-10T10:05:00Z\temail\t')"
bad bad-choice "$(printf 'ESP\tQ.5051\tmaybe\t2020-02-10T10:05:00Z\temail\t')"
bad missing-column "$(printf 'ESP\tQ.5051\tauthorize\t2020-02-10T10:05:00Z\temail')"
bad bad-time "$(printf 'ESP\tQ.5051\tauthorize\t2020-02-10T10:05:00\temail\t')"
bad bad-date "$(printf 'ESP\tQ.5051\tauthorize\t2020-02-30T10:05:00Z\temail\t')"
bad future "$(printf 'ESP\tQ.5051\tauthorize\t2020-02-11T10:05:00Z\temail\t')"
bad outside "$(printf 'PLW\tQ.5051\tauthorize\t2020-02-10T10:05:00Z\temail\t')"
bad unknown-draft "$(printf 'ESP\tQ.9999\tauthorize\t2020-02-10T10:05:00Z\temail\t')"
bad bad-channel "$(printf 'ESP\tQ.5051\tauthorize\t2020-02-10T10:05:00Z\tpigeon\t')"
bad missing-attachment "$(printf 'ESP\tQ.5051\tauthorize-with-comments\t2020-02-10T10:05:00Z\temail\tatt/none.txt')"
printf '%s\n' "$(printf 'member\tdraft\tchoice\treceived\tattachment')" \
	"$(printf 'CHE\tQ.5051\tauthorize\t2020-02-10T10:00:00Z\t')" >"$T/batch/no-channel.tsv"

sum=$(db_sum)
refused XYZ ballot reply import --circular 206 "$T/batch/unknown-member.tsv"
refused maybe ballot reply import --circular 206 "$T/batch/bad-choice.tsv"
refused_like '\b3\b' ballot reply import --circular 206 "$T/batch/missing-column.tsv"
refused 2020-02-10T10:05:00 ballot reply import --circular 206 "$T/batch/bad-time.tsv"
refused 2020-02-30T10:05:00Z ballot reply import --circular 206 "$T/batch/bad-date.tsv"
refused 2020-02-11T10:05:00Z ballot reply import --circular 206 "$T/batch/future.tsv"
refused PLW ballot reply import --circular 206 "$T/batch/outside.tsv"
refused Q.9999 ballot reply import --circular 206 "$T/batch/unknown-draft.tsv"
refused pigeon ballot reply import --circular 206 "$T/batch/bad-channel.tsv"
refused none.txt ballot reply import --circular 206 "$T/batch/missing-attachment.tsv"
refused channel ballot reply import --circular 206 "$T/batch/no-channel.tsv"
refused "$T/batch/nothing.tsv" ballot reply import --circular 206 "$T/batch/nothing.tsv"
refused 999 ballot reply import --circular 999 "$T/batch/replies.tsv"
like "$(ballot reply import --circular 206 "$T/batch/unknown-member.tsv" 2>&1)" 'line 3|:3:|3:' "the message names the line (3)"
is "$(db_sum)" "$sum" "after all the refused files, the database is as before"
expect_exit 0 ballot tally --circular 206 --json
is "$(jget '.drafts[0].replies')" 0 "nothing was imported into 206"

# An import reports what the single `reply` warns about: late, without reasons, superseding.
CIRC=207 setup_205
printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\n' >"$T/warn.tsv"
printf 'CHE\t\tnot-authorize\t2020-02-01T00:00Z\tfax\t\n' >>"$T/warn.tsv"
printf 'CHE\t\tauthorize\t2020-02-02T00:00Z\tfax\t\n' >>"$T/warn.tsv"
printf 'FRA\t\tauthorize\t2020-02-22T00:00Z\temail\t\n' >>"$T/warn.tsv"
at 2020-02-25T00:00:00Z
run ballot reply import --circular 207 "$T/warn.tsv"
is "$RC" 0 "an import with late, unreasoned and superseding rows succeeds"
like "$OUT" '^imported 3 replies' "it says how many it imported"
like "$ERR" '^warning: 1 of them received after the deadline' "it warns of the late row"
like "$ERR" '^warning: 1 of them do not authorize without reasons' "it flags the row without reasons"
like "$ERR" '^warning: 1 of them supersede' "it notes the superseding row"

done_testing
