#!/usr/bin/env bash
# 32-sec-staff.t - issue 14, finding 8: staff accounts could be neither
# disabled nor given a new password, and an account disabled by SQL kept its
# live sessions for hours (only reply-code sessions were checked on each
# request). `ballot users disable|enable|password` change an account, each
# an event in the hash-chained log that `audit verify` renders again from the
# rows; every staff request of the portal checks that its account is still
# enabled and, when it signed in with a password, that the password has not
# changed; a disabled account's client certificate stops working too. An
# older database (schema 2) migrates forward and still checks. The server
# runs on a fixed clock (BALLOT_NOW).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl sqlite3

trap 'serve_stop; _cleanup' EXIT

# --- set-up -----------------------------------------------------------------
expect_exit 0 ballot init
setup_205
PW="a secretariat pass phrase"
PW2="another pass phrase, newer"
printf '%s\n' "$PW" >"$T/pw"
printf '%s\r\nsecond line ignored\n' "$PW2" >"$T/pw2"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot users add --name ops --role secretariat --password-file "$T/pw"
expect_exit 0 ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw"
expect_exit 0 ballot tls dev-certs --out "$T/ca" --client certsec
expect_exit 0 ballot users add --name certsec --role secretariat --cert "$T/ca/client-certsec.pem"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
CERTSEC=(--cert "$T/ca/client-certsec.pem" --key "$T/ca/client-certsec-key.pem")
events() { sqlite3 "$BALLOT_DB" '.timeout 10000' "SELECT count(*) FROM events"; }
sql_fails() { # sql_fails SQL : the users trigger refuses it
	local err
	err=$(sqlite3 "$BALLOT_DB" '.timeout 10000' "$1" 2>&1 >/dev/null)
	[[ $err == *"an account changes only by being disabled, or by an enable or a new password recorded"* ]]
}

# --- refusals: exit 2, one line naming the value, nothing changed ------------
refused "'nobody'" ballot users disable --name nobody
refused "'nobody'" ballot users enable --name nobody
refused "'nobody'" ballot users password --name nobody --password-file "$T/pw"
refused "'Bad Name'" ballot users disable --name "Bad Name"
refused "--name" ballot users disable
refused "'tsb' is not disabled" ballot users enable --name tsb
refused "$T/missing" ballot users password --name tsb --password-file "$T/missing"
printf 'short\n' >"$T/short"
refused "password: 5 bytes" ballot users password --name tsb --password-file "$T/short"
printf '\nthe password on the second line\n' >"$T/empty-first"
refused "--password-file: the first line is empty" ballot users password --name tsb --password-file "$T/empty-first"
perl -e 'print "x" x 300, "\n"' >"$T/long"
refused "password: longer than 256 bytes" ballot users password --name tsb --password-file "$T/long"
refused "'certsec' signs in with a client certificate only" \
	ballot users password --name certsec --password-file "$T/pw"
refused "standard input: the first line is empty" sh -c '"$BALLOT_BIN" users password --name tsb </dev/null'

# --- the portal ---------------------------------------------------------------
serve_start "$T/serve.log" --client-ca "$T/ca/ca.pem" || { echo "Bail out! the server did not start"; exit 1; }
signin_user tsb tsb "$PW"
is "$ST" 303 "tsb signs in"
get tsb /secretariat
is "$ST" 200 "  ... GET /secretariat: 200"
TSB_CSRF=$(csrf_of)
signin_user ops ops "$PW"
get ops /secretariat
is "$ST" 200 "ops signs in: GET /secretariat 200"
signin_user chair chair11 "$PW"
get chair /chair
is "$ST" 200 "chair11 signs in: GET /chair 200"
get certsec /secretariat "${CERTSEC[@]}"
is "$ST" 200 "certsec, with its client certificate: GET /secretariat 200"

# disabled from the command line
n0=$(events)
expect_exit 0 ballot users disable --name tsb
like "$OUT" '^disabled account tsb$' "ballot users disable --name tsb"
is "$(sqlite3 "$BALLOT_DB" "SELECT kind || ' ' || json_extract(body, '\$.name') FROM events WHERE seq > $n0")" \
	"user-disable tsb" "  ... one event: user-disable, naming tsb"
expect_exit 0 ballot users list
like "$OUT" '^tsb +secretariat +- +disabled ' "  ... users list: disabled"
refused "'tsb' is disabled already (since 2020-02-10T12:00:00Z)" ballot users disable --name tsb
get tsb /secretariat
is "$ST" 303 "tsb's live session ends on its next request: 303"
is "$(hdr Location)" /signin "  ... to /signin"
get tsb /secretariat
is "$ST" 303 "  ... and stays ended"
before=$(db_sum)
post tsb /secretariat/c/205/close -F "csrf=$TSB_CSRF"
is "$ST" 403 "  ... a POST with its old session and token: 403"
is "$(db_sum)" "$before" "  ... nothing changed"
signin_user tsb tsb "$PW"
is "$ST" 401 "  ... signing in again: 401"
get ops /secretariat
is "$ST" 200 "another secretariat account's session goes on: 200"

# disabled by plain SQL, as the finding did
sqlite3 "$BALLOT_DB" '.timeout 10000' "UPDATE users SET disabled_at = 1581336000 WHERE name = 'chair11'"
get chair /chair
is "$ST" 303 "chair11 disabled by SQL UPDATE: its session ends on the next request (303)"
signin_user chair chair11 "$PW"
is "$ST" 401 "  ... and it cannot sign in"
refused "'chair11' is disabled already" ballot users disable --name chair11
ok "an account cannot be enabled by SQL (the trigger)" \
	sql_fails "UPDATE users SET disabled_at = NULL WHERE name = 'chair11'"
ok "  ... nor given a password by SQL" \
	sql_fails "UPDATE users SET password = 'pbkdf2-sha256\$1\$aa\$bb' WHERE name = 'ops'"

# a certificate-only account
expect_exit 0 ballot users disable --name certsec
get certsec /secretariat "${CERTSEC[@]}"
is "$ST" 403 "certsec disabled: its client certificate (and the session made for it) gets 403"
get - /secretariat "${CERTSEC[@]}"
is "$ST" 403 "  ... without a cookie too"
expect_exit 0 ballot users enable --name certsec
get - /secretariat "${CERTSEC[@]}"
is "$ST" 200 "  ... enabled again: 200"

# enabled again
n0=$(events)
expect_exit 0 ballot users enable --name tsb
like "$OUT" '^enabled account tsb$' "ballot users enable --name tsb"
is "$(sqlite3 "$BALLOT_DB" "SELECT kind || ' ' || json_extract(body, '\$.name') FROM events WHERE seq > $n0")" \
	"user-enable tsb" "  ... one event: user-enable, naming tsb"
signin_user tsb tsb "$PW"
is "$ST" 303 "  ... tsb signs in again"
get tsb /secretariat
is "$ST" 200 "  ... GET /secretariat: 200"
expect_exit 0 ballot users enable --name chair11
signin_user chair chair11 "$PW"
is "$ST" 303 "chair11 (disabled by SQL) enabled from the command line: signs in"

# a new password
n0=$(events)
before=$(sqlite3 "$BALLOT_DB" "SELECT password FROM users WHERE name = 'tsb'")
expect_exit 0 ballot users password --name tsb --password-file "$T/pw2"
is "$(sqlite3 "$BALLOT_DB" "SELECT kind || ' ' || json_extract(body, '\$.name') FROM events WHERE seq > $n0")" \
	"user-password tsb" "ballot users password: one event, user-password, naming tsb"
unlike "$(sqlite3 "$BALLOT_DB" "SELECT body FROM events WHERE seq > $n0")" 'pbkdf2|pass phrase' \
	"  ... without the password or its hash"
isnt "$(sqlite3 "$BALLOT_DB" "SELECT password FROM users WHERE name = 'tsb'")" "$before" "  ... a new hash"
get tsb /secretariat
is "$ST" 303 "  ... tsb's session (old password) ends on its next request"
signin_user tsb tsb "$PW"
is "$ST" 401 "  ... the old password no longer signs in"
signin_user tsb tsb "$PW2"
is "$ST" 303 "  ... the new one (first line of the file, CR dropped) does"
get tsb /secretariat
is "$ST" 200 "  ... GET /secretariat: 200"
get ops /secretariat
is "$ST" 200 "ops's session is untouched by tsb's changes"

# disabled and enabled again between two requests: the session still ends
expect_exit 0 ballot users disable --name ops
expect_exit 0 ballot users enable --name ops
get ops /secretariat
is "$ST" 303 "ops disabled and enabled again before its next request: its session has ended (303)"
signin_user ops ops "$PW"
is "$ST" 303 "  ... ops signs in again"
get ops /secretariat
is "$ST" 200 "  ... and its new session works: 200"
printf '%s\n' "$PW" | "$BALLOT_BIN" users password --name chair11 >/dev/null 2>&1
is "$?" 0 "ballot users password reads standard input without --password-file"
get chair /chair
is "$ST" 303 "  ... chair11's session ends even with the same password given again"

expect_exit 0 ballot users history --name tsb
is "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $3, $4 }' | tr '\n' ' ')" "add tsb disable tsb enable tsb password tsb " \
	"ballot users history --name tsb: added, disabled, enabled, a new password"
like "$OUT" ' disable +tsb +cli:' "  ... each with who did it"
expect_exit 0 ballot users history
is "$(printf '%s\n' "$OUT" | grep -c ' chair11 ')" 3 "ballot users history: chair11 added, enabled, a new password (the SQL disable is no event)"
refused "'nobody'" ballot users history --name nobody

serve_stop
expect_exit 0 ballot check
like "$OUT" 'result: ok' "ballot check: ok"
expect_exit 0 ballot audit verify
like "$OUT" '^event log intact' "audit verify: intact"

# --- the audit renders the account events again from their rows -------------
cp "$BALLOT_DB" "$T/forged.db"
seq=$(sqlite3 "$T/forged.db" "SELECT max(seq) + 1 FROM events")
sqlite3 "$T/forged.db" "INSERT INTO account_changes(user_name, change, at, event_seq) VALUES('ops', 'disable', 1, $seq)"
BALLOT_DB=$T/forged.db run ballot audit verify
is "$RC" 1 "an account change with no event of its own: audit verify exit 1"
like "$OUT" "event log broken at event $seq: a user-disable row claims this event" "  ... names it"
cp "$BALLOT_DB" "$T/forged2.db"
e=$(sqlite3 "$T/forged2.db" "SELECT event_seq FROM account_changes WHERE change = 'password' AND user_name = 'tsb'")
sqlite3 "$T/forged2.db" "DROP TRIGGER account_changes_append_only_u; UPDATE account_changes SET user_name = 'ops' WHERE event_seq = $e"
BALLOT_DB=$T/forged2.db run ballot audit verify
is "$RC" 1 "an account change moved to another account: audit verify exit 1"
like "$OUT" "event log broken at event $e: the stored reply codes, account or certificate differ" "  ... names its event"
cp "$BALLOT_DB" "$T/forged3.db"
BALLOT_DB=$T/forged3.db run ballot users disable --name ops
sqlite3 "$T/forged3.db" "UPDATE users SET disabled_at = 7 WHERE name = 'tsb'"
BALLOT_DB=$T/forged3.db run ballot audit verify
is "$RC" 0 "an account disabled by hand after its last enable: audit verify passes (that only takes rights away)"
sqlite3 "$T/forged3.db" "DROP TRIGGER users_change_recorded; UPDATE users SET disabled_at = NULL WHERE name = 'ops'"
BALLOT_DB=$T/forged3.db run ballot audit verify
is "$RC" 1 "an account re-enabled behind the log's back: audit verify exit 1"
like "$OUT" "account ops is enabled, not as its last disable recorded" "  ... names the account"

# --- an older database (schema 2) migrates forward ----------------------------
CUR=$(sqlite3 "$BALLOT_DB" 'PRAGMA user_version')
export BALLOT_DB=$T/old.db
# made by ballot at 75e41aa (schema 2): account old added, then disabled by SQL
sqlite3 "$BALLOT_DB" <"$E2E/data/schema2-users-75e41aa.sql"
is "$(sqlite3 "$BALLOT_DB" 'PRAGMA user_version')" 2 "a schema-2 database, its account disabled by SQL"
expect_exit 0 ballot users enable --name old
is "$(sqlite3 "$BALLOT_DB" 'PRAGMA user_version')" "$CUR" "  ... migrated to the current schema ($CUR) when opened for a change"
expect_exit 0 ballot users password --name old --password-file "$T/pw2"
expect_exit 0 ballot audit verify
expect_exit 0 ballot check
done_testing
