#!/usr/bin/env bash
# 57-api.t - API tokens (`ballot tokens create|list|revoke`): a token is
# printed once and only its SHA-256 kept, creating and revoking are events
# the audit renders again from the rows; an older database migrates.
. "$(dirname "$0")/lib.sh"

at 2026-01-10T10:00:00Z
ballot init >/dev/null
echo 'correct horse battery' >"$T/pw"
ballot users add --name tsb --role secretariat --password-file "$T/pw" >/dev/null
ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw" >/dev/null

# --- create: printed once, kept as a hash --------------------------------------
run ballot tokens create --user tsb --scope write
is "$RC" 0 "tokens create exits 0"
TOKW=$OUT
like "$TOKW" '^bt_[0-9a-f]{64}$' "the token: bt_ and 64 hex digits (256 bits)"
like "$ERR" 'created API token 1 for account tsb \(write\)' "its id on stderr"
is "$(sqlite3 "$BALLOT_DB" 'SELECT hash FROM api_tokens WHERE id = 1')" \
	"$(printf '%s' "$TOKW" | sha256sum | cut -d' ' -f1)" "only its SHA-256 is stored"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM events WHERE body LIKE '%${TOKW#bt_}%'")" 0 \
	"the token is in no event"
run ballot tokens create --user tsb
TOKR=$OUT
isnt "$TOKR" "$TOKW" "a second token differs"
run ballot tokens create --user chair11 --expires 2026-02-01
is "$RC" 0 "a token that expires"
run ballot tokens list --json
is "$(jcol . scope | tr '\n' ' ')" "write read read " "list --json: the scopes (read the default)"
is "$(jget '.[2].expires')" "2026-02-01T00:00:00Z" "--expires DATE: 00:00 UTC that day"
is "$(jget '.[0].revoked')" "null" "in force"
unlike "$OUT" "${TOKW#bt_}" "list shows no token"
is "$(sqlite3 "$BALLOT_DB" "SELECT group_concat(kind) FROM events WHERE kind LIKE 'token-%'")" \
	"token-create,token-create,token-create" "each creation is an event"

# --- refusals: exit 2, one line naming the value, nothing changed ----------------
refused nobody ballot tokens create --user nobody
refused admin ballot tokens create --user tsb --scope admin
refused 2026-01-01 ballot tokens create --user tsb --expires 2026-01-01
refused 2026-13-01 ballot tokens create --user tsb --expires 2026-13-01
refused_like '^ballot: --user is required' ballot tokens create
refused 42 ballot tokens revoke 42
refused x ballot tokens revoke x
ballot users disable --name chair11 >/dev/null
refused chair11 ballot tokens create --user chair11
ballot users enable --name chair11 >/dev/null

# --- revoke -----------------------------------------------------------------------
run ballot tokens revoke 2
is "$RC:$OUT" "0:revoked API token 2" "tokens revoke ID"
refused_like '^ballot: ID: API token 2 is revoked already$' ballot tokens revoke 2
run ballot tokens list
like "$OUT" '^ *2 +tsb +read .* revoked$' "list: revoked"
like "$OUT" '^ *3 +chair11 +read .*2026-02-01T00:00:00Z +in force$' "list: expiry shown"
at 2026-02-01T00:00:00Z
run ballot tokens list
like "$OUT" '^ *3 +chair11 .* expired$' "list: expired once the time has come"
at 2026-01-10T10:00:00Z

# --- the audit covers the rows -------------------------------------------------------
run ballot audit verify
is "$RC" 0 "audit verify: intact"
cp "$BALLOT_DB" "$T/tampered.db"
trig=$(sqlite3 "$T/tampered.db" "SELECT sql FROM sqlite_schema WHERE name = 'api_tokens_revoke_only'")
sqlite3 "$T/tampered.db" "DROP TRIGGER api_tokens_revoke_only; UPDATE api_tokens SET scope = 'write' WHERE id = 2; $trig;"
run ballot --db "$T/tampered.db" audit verify
is "$RC" 1 "audit verify: a token's scope changed behind the log is found"
seq=$(sqlite3 "$BALLOT_DB" 'SELECT event_seq FROM api_tokens WHERE id = 2')
like "$OUT$ERR" "broken at event $seq:" "at the event that created it ($seq)"

# --- an older database migrates ------------------------------------------------------
export BALLOT_DB=$T/old.db
sqlite3 "$BALLOT_DB" <"$E2E/data/schema5-hashes-105cc08.sql"
is "$(sqlite3 "$BALLOT_DB" 'PRAGMA user_version')" 5 "a schema-5 database"
user=$(sqlite3 "$BALLOT_DB" 'SELECT name FROM users WHERE disabled_at IS NULL LIMIT 1')
run ballot tokens create --user "$user"
is "$RC" 0 "tokens create on it migrates it"
ok "it has the token table" sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM api_tokens'
run ballot audit verify
is "$RC" 0 "audit verify after the migration"

done_testing
