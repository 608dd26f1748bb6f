#!/usr/bin/env bash
# 65-contacts.t - `ballot contacts`: Member States' contact addresses
# (issue 18). Import (TSV member role address lang [name]) as one transaction
# and one event; list (text, --json, --member); set (add, change, unchanged);
# remove; every refusal one line naming the field and value, exit 2, the
# database unchanged (bad address, IDN domain, bad language, bad role, unknown
# member, a bad line of an import named by line and field, a contact named
# twice); the rows verified by `ballot check` and `audit verify` against their
# events (a row changed behind the engine's back is found); `pending` names
# the members with no contact.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205

# --- import ------------------------------------------------------------------
printf '# contacts of three administrations\nCHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\nche\tcc\tcopy@bücher.ch\tfr\nCN\tto\tmiit@miit.gov.cn\tzh\tMIIT\nEGY\tto\tntra@ntra.gov.eg\tar\n' >c.tsv
events0=$(sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM events')
expect_exit 0 ballot contacts import c.tsv
is "$OUT" "imported 4 contacts from c.tsv" "import says how many"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) || ' ' || min(kind) FROM events WHERE seq > $events0")" "1 contacts-import" \
	"one contacts-import event"
expect_exit 0 ballot contacts list --json
is "$(jcol . member | tr '\n' ' ')" "CHE CHE CHN EGY " "list --json: by member, alpha-2 stored as alpha-3"
is "$(jwhere . role cc address)" "copy@bücher.ch" "the IDN address is stored as given, with its role"
is "$(jwhere . address 'miit@miit.gov.cn' lang)" "zh" "the language is stored"
is "$(jwhere . address 'ntra@ntra.gov.eg' name)" "" "a line without a name: the name is empty"
expect_exit 0 ballot contacts list --member CH
like "$OUT" '^CHE +to +secretariat@ofcom.admin.ch +fr +OFCOM' "list --member CH: the 'to' contact first"
is "$(printf '%s\n' "$OUT" | grep -c '@')" 2 "list --member: only that member's contacts"

expect_exit 0 ballot contacts import c.tsv
is "$OUT" "imported 0 contacts from c.tsv (4 already as given)" "the same file again changes nothing"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE seq > $events0")" 1 "  ... and records no event"

# --- refusals of import: named by line and field, nothing changed -------------
bad() { # bad LINE VALUE DESC: a file whose 2nd contact line is LINE
	printf 'FRA\tto\tanfr@anfr.fr\tfr\tANFR\n%b\n' "$1" >bad.tsv
	refused "$2" ballot contacts import bad.tsv
	err_names "bad.tsv line 2" "  ... $3: names the file and the line"
}
bad 'DEU\tto\tbad..dots@bnetza.de\ten' "bad..dots@bnetza.de" "a local part with two dots"
bad 'DEU\tto\tno-at-sign.de\ten' "no-at-sign.de" "no @"
bad 'DEU\tto\ta@b@bnetza.de\ten' "a@b@bnetza.de" "two @"
bad 'DEU\tto\tx@localhost\ten' "x@localhost" "a one-label domain"
bad 'DEU\tto\tx@-bad-.de\ten' "x@-bad-.de" "a label starting with a hyphen"
bad "DEU\\tto\\t$(printf 'a%.0s' $(seq 65))@bnetza.de\\ten" "the local part is 65 bytes, over the 64 of RFC 5321" \
	"a local part over 64 bytes"
bad 'DEU\tto\t"quoted"@bnetza.de\ten' '"quoted"@bnetza.de' "a quoted local part"
bad 'DEU\tto\tmüller@bnetza.de\ten' "müller@bnetza.de" "a non-ASCII local part"
bad 'DEU\tto\tx@bnetza.de\tde' "'de'" "a language not among the six"
bad 'DEU\tbcc\tx@bnetza.de\ten' "'bcc'" "a role neither to nor cc"
bad 'XYZ\tto\tx@bnetza.de\ten' "XYZ" "an unknown member"
bad 'DEU\tto\tx@bnetza.de' "3 fields" "a line with too few fields"
bad 'FRA\tcc\tANFR@anfr.fr\ten' "given twice" "the same contact twice (any case)"
expect_exit 0 ballot contacts list --member FRA
is "$OUT" "no contacts" "a refused import added none of its good lines"

# --- set and remove -----------------------------------------------------------
expect_exit 0 ballot contacts set --member DEU --address tsb-contact@bnetza.de --lang en --name "BNetzA"
is "$OUT" "set contact tsb-contact@bnetza.de of DEU" "set adds a contact"
expect_exit 0 ballot contacts set --member DEU --address TSB-CONTACT@bnetza.de --role cc
expect_exit 0 ballot contacts list --member DEU --json
is "$(jget '.[0].role') $(jget '.[0].lang') $(jget '.[0].name')" "cc en BNetzA" \
	"set changes the role, keeping language and name (the address in any case)"
is "$(jlen .)" 1 "  ... one contact in force"
n=$(sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM events')
expect_exit 0 ballot contacts set --member DEU --address tsb-contact@bnetza.de --role cc
like "$OUT" "^unchanged" "set as it is already: unchanged"
is "$(sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM events')" "$n" "  ... no event"
refused "lang" ballot contacts set --member DEU --address other@bnetza.de
refused "'xx'" ballot contacts set --member DEU --address other@bnetza.de --lang xx
refused "ZZZ" ballot contacts set --member ZZZ --address other@bnetza.de --lang en
refused "a b@bnetza.de" ballot contacts set --member DEU --address "a b@bnetza.de" --lang en
refused "nobody@bnetza.de" ballot contacts remove --member DEU --address nobody@bnetza.de
expect_exit 0 ballot contacts remove --member DEU --address tsb-contact@bnetza.de
expect_exit 0 ballot contacts list --member DEU
is "$OUT" "no contacts" "remove: the contact is gone"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM contacts WHERE member = 'DEU'")" 2 \
	"  ... its rows are kept (the set replaced one, the remove marked the other)"

# --- the record: events and rows checked -------------------------------------
expect_exit 0 ballot check
like "$OUT" '^result: ok' "check: the contact rows agree with their events"
expect_exit 0 ballot audit verify
cp "$BALLOT_DB" pristine.db
sqlite3 "$BALLOT_DB" "DROP TRIGGER contacts_remove_only; UPDATE contacts SET lang = 'en' WHERE address = 'miit@miit.gov.cn'"
expect_exit 1 ballot audit verify
like "$OUT$ERR" "stored contacts differ" "audit: a contact changed behind the engine's back is found"
cp pristine.db "$BALLOT_DB"
rm -f "$BALLOT_DB-damaged"
sqlite3 "$BALLOT_DB" "PRAGMA foreign_keys=OFF; INSERT INTO contacts(member, role, address, lang, name, added_at, event_seq) VALUES('FRA', 'to', 'x@anfr.fr', 'fr', '', 0, 1)"
expect_exit 1 ballot audit verify
like "$OUT$ERR" "a contact row claims this event" "audit: a contact row no event wrote is found"
cp pristine.db "$BALLOT_DB"
rm -f "$BALLOT_DB-damaged"

# --- pending names the members no message can reach --------------------------
expect_exit 0 ballot pending --circular 205
like "$OUT" '^no contact address \(ballot contacts\): AFG, AGO' "pending: members with no contact are named"
unlike "$(printf '%s\n' "$OUT" | grep '^no contact')" 'CHE|CHN|EGY' "  ... not those with one"
expect_exit 0 ballot pending --circular 205 --json
is "$(jtype .)" array "pending --json: its output stays a list"
like "$ERR" 'no contact address: AFG' "  ... the members with no contact named on stderr"

done_testing
