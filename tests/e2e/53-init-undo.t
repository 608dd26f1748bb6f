#!/bin/bash
# User story: the secretariat runs `ballot init` and it fails half way (the
# Member State list is refused inside the database's first transaction, or
# the database cannot be created at all): nothing that init created is left
# behind, neither the database (nor its journal, WAL or witness files) nor the
# signing key it had made first; what was there before init ran stays as it
# was; the next init, corrected, starts clean.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

# left LIST... : the files of $T/w other than the inputs, one line
left() { (cd "$T/w" && ls -A | grep -v -x -e members.tsv -e bad.tsv | tr '\n' ' '); }

mkdir w
cd w || exit 1
export BALLOT_DB=$T/w/ballot.db
printf 'alpha3\talpha2\tname\tmember_since\nCHE\tCH\tSwitzerland\t\nFRA\tFR\tFrance\t\n' >members.tsv
# line 3 is refused after the database file, its schema and line 2 are written
printf 'alpha3\talpha2\tname\tmember_since\nCHE\tCH\tSwitzerland\t\nFRA\tF\tFrance\t\n' >bad.tsv

# --- the members refused inside the first transaction --------------------
expect_exit 2 ballot init --members bad.tsv
err_names "alpha2 'F'" "  ... one stderr line naming the refused value"
is "$OUT" "" "  ... nothing on stdout (no 'signing key ... created' for a key that is gone)"
is "$(left)" "" "  ... neither the database nor the key it created is left, nor a journal, WAL or witness"

# --- the database cannot be created: its directory does not exist -------
expect_exit 2 ballot --db "$T/w/nodir/ballot.db" init --key "$T/w/k.key"
err_names "nodir" "  ... one stderr line naming the database"
is "$(left)" "" "  ... the key init made first (--key k.key) is removed"

# --- the database path is a directory -----------------------------------
mkdir adir
expect_exit 2 ballot --db "$T/w/adir" init
ok "  ... the directory is still there" test -d adir
rmdir adir
is "$(left)" "" "  ... and no key (adir.key) is left"

# --- the path holds a file that is not a ballot database: kept as it was --
printf 'not a database, and not ours to remove\n' >ballot.db
sum=$(sha256sum ballot.db)
expect_exit 2 ballot init --members members.tsv
is "$(sha256sum ballot.db)" "$sum" "  ... the file that was there is unchanged"
is "$(left)" "ballot.db " "  ... and the key init made is removed"
rm ballot.db

# --- a key that was there before is kept when init fails ------------------
expect_exit 0 ballot keys create --key "$T/w/ballot.db.key"
keysum=$(sha256sum ballot.db.key)
expect_exit 2 ballot init --members bad.tsv
is "$(sha256sum ballot.db.key)" "$keysum" "  ... a failed init keeps the key it found"
is "$(left)" "ballot.db.key " "  ... and removes only the database it made"
rm ballot.db.key

# --- corrected, init starts clean ---------------------------------------
expect_exit 0 ballot init --members members.tsv
like "$OUT" "^signing key $BALLOT_DB.key created \\(ed25519:[0-9a-f]{64};" "  ... the key is created (and said so)"
like "$OUT" "^created $BALLOT_DB with 2 Member States\$" "  ... then the database"
ok "  ... the key file is there" test -s ballot.db.key
expect_exit 0 ballot check
expect_exit 0 ballot audit verify
like "$OUT" "^event log intact: 3 events" "  ... one init event and the two calendar imports"
expect_exit 0 ballot keys show
pub=$(ballot keys show | head -1)

# --- a failing init on a database that exists changes neither ------------
sum=$(db_sum)
keysum=$(sha256sum ballot.db.key)
expect_exit 0 ballot init --members bad.tsv
like "$OUT" "already a ballot database; nothing changed" "init again (its members file is not read into a database that exists)"
is "$(db_sum)" "$sum" "  ... the database unchanged"
is "$(sha256sum ballot.db.key)" "$keysum" "  ... the key unchanged"
is "$(ballot keys show | head -1)" "$pub" "  ... and still the database's key"

done_testing
