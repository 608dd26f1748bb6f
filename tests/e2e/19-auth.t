#!/usr/bin/env bash
# 19-auth.t - who may use the portal: `codes issue|revoke|list`, `users add|list`,
# `certs issue|revoke|list`, `tls dev-certs`, `forms --with-codes`. Codes are
# shown once and only their hashes are stored (the database files do not hold
# them); a reissue revokes the old code; every bad input is one line, exit 2,
# nothing changed; key files are mode 0600; certificates verify with GnuTLS's
# certtool against the CA and carry the right names, purposes and fingerprints;
# audit verify passes after all of it.
. "$(dirname "$0")/lib.sh"

for tool in certtool pdftotext; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
CODE_RE='^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$'

# in_db TEXT : TEXT occurs in the database files (main file and WAL)
in_db() { cat "$BALLOT_DB"* 2>/dev/null | grep -aqF -- "$1"; }
# code_of MEMBER : the member's code in the last `codes issue` output
code_of() { printf '%s\n' "$OUT" | awk -F'\t' -v m="$1" '$1 == m { print $2 }'; }
# der_sha FILE : SHA-256 of the DER certificate in the PEM file, by certtool
der_sha() { certtool -i --infile "$1" --outder 2>/dev/null | sha256sum | cut -c1-64; }

expect_exit 0 ballot init
printf 'CHE\nFRA\nCHN\nDEU\n' >electorate.txt
setup_205 --electorate electorate.txt

# --- reply codes -----------------------------------------------------------------
expect_exit 0 ballot codes issue --circular 205
is "$(printf '%s\n' "$OUT" | head -1)" "$(printf 'member\tcode')" "codes issue: TSV header"
is "$(printf '%s\n' "$OUT" | tail -n +2 | cut -f1 | tr '\n' ' ')" "CHE CHN DEU FRA " "one code per electorate member, by member"
bad=$(printf '%s\n' "$OUT" | tail -n +2 | cut -f2 | grep -Evc "$CODE_RE")
is "$bad" 0 "codes are 5 groups of 5 Crockford base32 characters"
like "$ERR" "shown this once" "stderr says the codes are shown once"
che1=$(code_of CHE)
fra1=$(code_of FRA)
isnt "$che1" "$fra1" "two members, two codes"
nok "the code is not in the database files" in_db "$che1"
nok "  ... nor without its dashes" in_db "${che1//-/}"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM reply_codes WHERE hash LIKE 'pbkdf2-sha256\$100000\$%'")" 4 \
	"stored as PBKDF2-SHA256 hashes (100000 rounds)"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE body LIKE '%pbkdf2%'")" 0 "no hash in any event"

expect_exit 0 ballot codes issue --circular 205 --member ch
is "$(printf '%s\n' "$OUT" | wc -l)" 2 "reissue for one member (alpha-2): one code"
che2=$(code_of CHE)
isnt "$che2" "$che1" "a reissued code is new"
expect_exit 0 ballot codes list --circular 205
like "$OUT" '^CHE +revoked +2020-02-10T12:00:00Z +2020-02-10T12:00:00Z$' "codes list: the old code is revoked"
like "$OUT" '^CHE +in-force +2020-02-10T12:00:00Z +-$' "codes list: the new one in force"
unlike "$OUT" "$che2|$fra1" "codes list shows no code"

expect_exit 0 ballot codes revoke --circular 205 --member FRA
expect_exit 0 ballot codes list --circular 205
like "$OUT" '^FRA +revoked' "codes revoke: FRA's code revoked"
refused FRA ballot codes revoke --circular 205 --member FRA
refused 999 ballot codes issue --circular 999
refused XXX ballot codes issue --circular 205 --member XXX
refused GBR ballot codes issue --circular 205 --member GBR
refused --circular ballot codes issue
refused --circular ballot codes list
refused bogus ballot codes bogus --circular 205
refused --member ballot codes issue --circular 205 --member CHE --member FRA
refused 999 ballot codes revoke --circular 999

# the whole default electorate at once: fast enough for 193 members
CIRC=206 setup_205
start=$(date +%s%N)
expect_exit 0 ballot codes issue --circular 206
ms=$((($(date +%s%N) - start) / 1000000))
is "$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)" 193 "circular 206: a code for each of the 193 members"
diag "codes issue for 193 members: $ms ms"

# --- forms --with-codes ------------------------------------------------------------
before=$(db_sum)
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out plain --jobs 1
is "$(db_sum)" "$before" "forms without --with-codes changes nothing"
unlike "$(pdftotext plain/205/en/CHE.pdf - 2>/dev/null)" "Reply code" "  ... and prints no code"
expect_exit 0 ballot forms --circular 205 --member CHE,DEU --lang en,zh --with-codes \
	--portal https://portal.example.org/signin --out coded --jobs 1
like "$OUT" "issued 2 reply codes for circular 205" "forms --with-codes: stdout says codes were issued"
like "$ERR" "reissued" "  ... stderr says they were reissued"
text=$(pdftotext coded/205/en/CHE.pdf - 2>/dev/null)
formcode=$(printf '%s\n' "$text" | sed -n 's/^Reply code for the online portal: //p')
like "$formcode" "$CODE_RE" "the CHE form prints a reply code"
like "$text" "https://portal.example.org/signin" "  ... and the portal's address"
nok "  ... which is not in the database files" in_db "$formcode"
isnt "$formcode" "$che2" "  ... a fresh one"
like "$(pdftotext coded/205/zh/CHE.pdf - 2>/dev/null)" "$formcode" "the Chinese form prints the same code"
dcode=$(pdftotext coded/205/en/DEU.pdf - 2>/dev/null | sed -n 's/^Reply code for the online portal: //p')
isnt "$dcode" "$formcode" "DEU's form has its own code"
expect_exit 0 ballot codes list --circular 205
is "$(printf '%s\n' "$OUT" | grep -c '^CHE .*revoked')" 2 "the code CHE had is revoked"
is "$(printf '%s\n' "$OUT" | grep -c 'in-force')" 3 "in force: CHE, DEU (new) and CHN"
refused --with-codes ballot forms --circular 205 --with-codes --out coded2
refused --with-codes ballot forms --circular 205 --blank --with-codes --out coded2
refused --portal ballot forms --circular 205 --member CHE --portal https://x.example/ --out coded2
refused http://x.example/ ballot forms --circular 205 --member CHE --with-codes --portal http://x.example/ --out coded2
refused GBR ballot forms --circular 205 --member GBR --with-codes --portal https://x.example/ --out coded2
ok "no form written by a refused run" test ! -e coded2

# --- staff accounts --------------------------------------------------------------
printf 'correct horse battery staple\n' >pw.txt
expect_exit 0 ballot users add --name tsb.anna --role secretariat --password-file pw.txt
like "$OUT" "added account tsb.anna \\(secretariat; signs in with a password\\)" "users add: password from a file"
printf 'another long passphrase\nsecond line\n' | run ballot users add --name chair11 --role chair --group 11
is "$RC" 0 "users add: password from standard input"
nok "the password is not in the database files" in_db "correct horse battery staple"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM users WHERE password LIKE 'pbkdf2-sha256\$600000\$%'")" 2 \
	"passwords stored as PBKDF2-SHA256 (600000 rounds)"
printf 'short\n' >short.txt
printf '\n' >empty-line.txt
refused admin ballot users add --name bob --role admin --password-file pw.txt
refused "Bob Smith" ballot users add --name "Bob Smith" --role secretariat --password-file pw.txt
refused --group ballot users add --name bob --role chair --password-file pw.txt
refused --group ballot users add --name bob --role secretariat --group 3 --password-file pw.txt
refused 100 ballot users add --name bob --role chair --group 100 --password-file pw.txt
refused tsb.anna ballot users add --name tsb.anna --role secretariat --password-file pw.txt
refused "5 bytes" ballot users add --name bob --role secretariat --password-file short.txt
refused "first line is empty" ballot users add --name bob --role secretariat --password-file empty-line.txt
refused nosuch.txt ballot users add --name bob --role secretariat --password-file nosuch.txt
refused "--cert" ballot users add --name bob --role secretariat --password-file pw.txt --cert x.pem
before=$(db_sum)
run ballot users add --name bob --role secretariat </dev/null
is "$RC" 2 "users add: no password on standard input: exit 2"
is "$(db_sum)" "$before" "  ... database unchanged"
refused --password ballot users add --name bob --role secretariat --password "x"
expect_exit 0 ballot users list
like "$OUT" '^chair11 +chair +11 +password' "users list: the chair with its group"
like "$OUT" '^tsb.anna +secretariat +- +password' "users list: the secretariat"
unlike "$OUT" "pbkdf2|correct horse" "users list shows no secret"

# --- certificates ------------------------------------------------------------------
before=$(db_sum)
expect_exit 0 ballot tls dev-certs --out tls --client alice --client bob
is "$(db_sum)" "$before" "tls dev-certs does not touch the database"
for f in ca server client-alice client-bob; do
	is "$(stat -c %a "tls/$f-key.pem")" 600 "tls/$f-key.pem is mode 0600"
	ok "tls/$f.pem is a certificate" grep -q "BEGIN CERTIFICATE" "tls/$f.pem"
done
for f in server client-alice; do
	ok "$f.pem verifies against ca.pem" certtool --verify --load-ca-certificate tls/ca.pem --infile "tls/$f.pem"
done
info=$(certtool -i --infile tls/ca.pem 2>/dev/null)
like "$info" "Certificate Authority \\(CA\\): TRUE" "the CA is a CA"
like "$info" "Certificate signing" "  ... that signs certificates"
like "$info" "EC/ECDSA|ECDSA" "  ... with an ECDSA key"
info=$(certtool -i --infile tls/server.pem 2>/dev/null)
like "$info" "DNSname: localhost" "server: SAN localhost"
like "$info" "IPAddress: 127.0.0.1" "server: SAN 127.0.0.1"
like "$info" "IPAddress: ::1" "server: SAN ::1"
like "$info" "TLS WWW Server" "server: TLS WWW server purpose"
like "$info" "Curve:[[:space:]]+SECP256R1" "server: P-256"
info=$(certtool -i --infile tls/client-alice.pem 2>/dev/null)
like "$info" "Subject: CN=alice" "client certificate: CN alice"
like "$info" "TLS WWW Client" "client certificate: TLS WWW client purpose"
ca_before=$(sha256_of tls/ca-key.pem)
expect_exit 2 ballot tls dev-certs --out tls
err_names "ca-key.pem" "  ... a second dev CA is not written over the first: one line naming ca-key.pem"
is "$(sha256_of tls/ca-key.pem)" "$ca_before" "  ... the CA key is unchanged"
expect_exit 2 ballot tls dev-certs --out tls2 --client "a b"
err_names "a b" "  ... an unusable --client name is refused, naming it"
ok "  ... and nothing is written" test ! -e tls2/ca.pem
refused --out ballot tls dev-certs
refused bogus ballot tls bogus

expect_exit 0 ballot certs issue --member ch --ca tls --out issued
che_fp=$(der_sha issued/client-CHE.pem)
like "$OUT" "issued client certificate $che_fp for CHE" "certs issue: reports the DER SHA-256"
is "$(stat -c %a issued/client-CHE-key.pem)" 600 "certs issue: the key is mode 0600"
ok "certs issue: verifies against the CA" certtool --verify --load-ca-certificate tls/ca.pem --infile issued/client-CHE.pem
like "$(certtool -i --infile issued/client-CHE.pem 2>/dev/null)" "Subject: CN=CHE" "certs issue: CN is the member code"
expect_exit 0 ballot users add --name alice --role secretariat --cert tls/client-alice.pem
like "$OUT" "certificate $(der_sha tls/client-alice.pem)" "users add --cert registers that certificate"
expect_exit 0 ballot certs issue --user chair11 --ca tls
ok "certs issue --user writes in the CA's directory by default" test -s tls/client-chair11.pem
like "$(certtool -i --infile tls/client-chair11.pem 2>/dev/null)" "Subject: CN=chair11" "  ... with CN the user name"
expect_exit 0 ballot certs list
like "$OUT" "^$che_fp +member:CHE " "certs list: the member's certificate"
like "$OUT" "^$(der_sha tls/client-alice.pem) +user:alice " "certs list: alice's"
like "$OUT" " +user:chair11 " "certs list: the chair's"
expect_exit 0 ballot users list
like "$OUT" '^alice +secretariat +- +certificate' "users list: alice signs in with a certificate"

refused "registered already" ballot users add --name carol --role secretariat --cert tls/client-alice.pem
refused "not an X.509" ballot users add --name carol --role secretariat --cert pw.txt
refused nobody ballot certs issue --user nobody --ca tls --out x
refused XXX ballot certs issue --member XXX --ca tls --out x
refused "--member" ballot certs issue --member CHE --user alice --ca tls --out x
refused "--member" ballot certs issue --ca tls --out x
refused "nodir/ca.pem" ballot certs issue --member FRA --ca nodir --out x
mkdir notca && cp tls/client-bob.pem notca/ca.pem && cp tls/client-bob-key.pem notca/ca-key.pem
refused "not a CA" ballot certs issue --member FRA --ca notca --out x
mkdir wrongkey && cp tls/ca.pem wrongkey/ca.pem && cp tls/client-bob-key.pem wrongkey/ca-key.pem
refused "not the key" ballot certs issue --member FRA --ca wrongkey --out x
ok "no files from refused certs issue" test ! -e x

expect_exit 0 ballot certs revoke --fingerprint "${che_fp^^}"
expect_exit 0 ballot certs list
like "$OUT" "^$che_fp +member:CHE .* [0-9T:-]+Z$" "certs list: revoked, with the time"
refused "revoked already" ballot certs revoke --fingerprint "$che_fp"
refused "00ff" ballot certs revoke --fingerprint 00ff
refused "not registered" ballot certs revoke --fingerprint "$(printf '%064d' 0)"

# --- closed consultations, the log ----------------------------------------------
at 2020-02-25T00:00:00Z
expect_exit 0 ballot close --circular 205
refused closed ballot codes issue --circular 205
refused closed ballot forms --circular 205 --member CHE --with-codes --portal https://x.example/ --out closed
expect_exit 0 ballot codes revoke --circular 205
expect_exit 0 ballot audit verify
like "$OUT" "event log intact" "audit verify passes after every auth event"
is "$(sqlite3 "$BALLOT_DB" "SELECT group_concat(DISTINCT kind) FROM (SELECT kind FROM events WHERE kind LIKE 'code%' OR kind LIKE 'user%' OR kind LIKE 'cert%' ORDER BY kind)")" \
	"cert-register,cert-revoke,codes-issue,codes-revoke,user-add" "each auth change is an event"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE body LIKE '%pbkdf2%' OR body LIKE '%$che2%'")" 0 \
	"no event holds a secret"
run sqlite3 "$BALLOT_DB" "UPDATE reply_codes SET hash = 'x'"
like "$RC $ERR" "^19 .*a reply code changes only by being revoked" "updating a code row is refused by the schema's trigger"
run sqlite3 "$BALLOT_DB" "DELETE FROM users"
like "$RC $ERR" "^19 .*accounts are append-only" "deleting an account is refused by the schema's trigger"
done_testing
