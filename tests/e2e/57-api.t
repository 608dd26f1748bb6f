#!/usr/bin/env bash
# 57-api.t - API tokens (`ballot tokens create|list|revoke`): a token is
# printed once and only its SHA-256 kept, creating and revoking are events
# the audit renders again from the rows; an older database migrates. Then
# the portal's /api/v1 with curl: the bearer token (401 without one, with a
# wrong, revoked or expired one, or one of a disabled account), the same
# bytes as `ballot status|tally|history|pending --json`, a chair's token
# reads its study group only, errors as JSON with the right status.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp sqlite3 sha256sum
trap 'serve_stop; _cleanup' EXIT

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
like "$OUT$ERR" "broken at event $seq: the stored API token differs from what the event recorded" \
	"at the event that created it ($seq), naming the API token"

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

# --- the API -----------------------------------------------------------------------
export BALLOT_DB=$T/api.db
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "Second draft"
expect_exit 0 ballot consultation create --circular 300 --group 12 --date 2019-12-02 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --summary "A summary." --circular 300 --rec G.1000 --title "Other group"
at 2020-02-10T12:00:00Z
printf 'Comments of Brazil.\n' >"$T/brazil.txt"
expect_exit 0 ballot reply --circular 205 --member AUS --draft Q.5051 --authorize --received 2020-01-15T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member BRA --draft Q.5051 --authorize --comments "$T/brazil.txt"
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5051 --not-authorize
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5052 --authorize
# contacts: pending's "contacts" count of each member (0: no e-mail reaches it)
printf 'AUS\tto\tacma@acma.gov.au\ten\nAUS\tcc\tcopy@acma.gov.au\ten\nBRA\tto\tanatel@anatel.gov.br\tes\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
ballot users add --name tsb --role secretariat --password-file "$T/pw" >/dev/null
ballot users add --name chair11 --role chair --group 11 --password-file "$T/pw" >/dev/null
ballot users add --name gone --role secretariat --password-file "$T/pw" >/dev/null
READ=$(ballot tokens create --user tsb 2>/dev/null)
CHAIR=$(ballot tokens create --user chair11 2>/dev/null)
GONE=$(ballot tokens create --user gone 2>/dev/null)
REVOKED=$(ballot tokens create --user tsb 2>/dev/null)
at 2020-02-10T11:00:00Z
EXPIRING=$(ballot tokens create --user tsb --expires 2020-02-10T12:00:00Z 2>/dev/null)
at 2020-02-10T12:00:00Z
expect_exit 0 ballot tokens revoke 4
dev_certs
serve_start "$T/serve.log" || { fail "the portal starts"; done_testing; exit; }
api() { # api TOKEN PATH [CURL-ARGS...]: a request with the bearer token ("-": none)
	local tok=$1 path=$2
	shift 2
	if [ "$tok" = - ]; then get - "$path" "$@"; else get - "$path" -H "Authorization: Bearer $tok" "$@"; fi
}
api_err() { # api_err STATUS REASON FIELD DESC: the last answer is that JSON error
	is "$ST" "$1" "$4: $1"
	is "$(hdr content-type)" application/json "$4: a JSON error"
	is "$(jget .error.reason "$BODY"):$(jget .error.field "$BODY")" "$2:$3" "$4: reason $2, field $3"
	like "$(jget .error.message "$BODY")" . "$4: a message"
}

# the same bytes as the command line
for q in "status|status --json" "consultations/205/tally|tally --circular 205 --json" \
	"consultations/205/history|history --circular 205 --json" \
	"consultations/205/pending|pending --circular 205 --json" \
	"consultations/205/tally?as_of=2020-01-20T00:00:00Z|tally --circular 205 --as-of 2020-01-20T00:00:00Z --json" \
	"consultations/205/history?member=DEU|history --circular 205 --member DEU --json" \
	"consultations/205/pending?draft=Q.5052|pending --circular 205 --draft Q.5052 --json"; do
	path=${q%%|*} cli=${q#*|}
	# shellcheck disable=SC2086
	ballot $cli >"$T/cli.json"
	api "$READ" "/api/v1/$path"
	is "$ST" 200 "GET /api/v1/$path: 200"
	is "$(hdr content-type)" application/json "GET /api/v1/$path: application/json"
	ok "GET /api/v1/$path: the bytes of ballot $cli" cmp "$T/.body" "$T/cli.json"
done
api "$READ" /api/v1/consultations/205/pending
is "$(jwhere . code AUS contacts "$BODY") $(jwhere . code BRA contacts "$BODY") $(jwhere . code AFG contacts "$BODY")" \
	"2 1 0" "pending: each member's contacts in force (AUS 2, BRA 1, AFG none)"
is "$(jcol . contacts "$BODY" | grep -c '^0$')" "$(($(jlen . "$BODY") - 2))" \
	"  ... 0 for every other pending member: the list of members no e-mail reaches"
api "$READ" /api/v1/consultations/205/history
is "$(jlen . "$BODY")" 4 "history: the four replies"
api "$READ" /api/v1/status --head
is "$ST" 200 "HEAD /api/v1/status: 200"

# the token
api - /api/v1/status
api_err 401 unauthorized token "no token"
is "$(hdr www-authenticate)" 'Bearer realm="ballot"' "401 says WWW-Authenticate: Bearer"
api - /api/v1/status -H "Authorization: Basic dHNiOnB3"
api_err 401 unauthorized token "Basic instead of Bearer"
# the read token with its last digit changed (never the same token: a 0 becomes 1)
wrong=${READ%?}$([ "${READ: -1}" = 0 ] && echo 1 || echo 0)
api "$wrong" /api/v1/status
api_err 401 unauthorized token "a wrong token"
api "$REVOKED" /api/v1/consultations/205/tally
api_err 401 unauthorized token "a revoked token"
api "$EXPIRING" /api/v1/status
api_err 401 unauthorized token "an expired token (the clock is at its expiry)"
ballot users disable --name gone >/dev/null
api "$GONE" /api/v1/status
api_err 401 unauthorized token "the token of a disabled account"
ballot users enable --name gone >/dev/null
api "$GONE" /api/v1/status
is "$ST" 200 "it works again once the account is enabled"
api - /api/v1/nothing
is "$ST" 401 "an unknown path without a token: 401 (nothing is told)"

# a chair reads its study group only
ballot status --group 11 --json >"$T/cli.json"
api "$CHAIR" /api/v1/status
ok "a chair's status: its study group's (ballot status --group 11 --json)" cmp "$T/.body" "$T/cli.json"
api "$READ" /api/v1/status
like "$BODY" '"circular":"300"' "the secretariat's status has group 12's consultation"
api "$CHAIR" /api/v1/consultations/300/tally
api_err 403 forbidden circular "a chair on another group's consultation"
api "$CHAIR" /api/v1/consultations/205/pending
is "$ST" 200 "a chair on its own group's consultation"

# errors
api "$READ" /api/v1/consultations/999/tally
api_err 404 not-found circular "an unknown circular"
like "$(jget .error.message "$BODY")" "999" "the message names it"
api "$READ" "/api/v1/consultations/205/tally?as_of=yesterday"
api_err 400 input as_of "a malformed as_of"
api "$READ" "/api/v1/consultations/205/history?member=XXX"
is "$(jget .error.field "$BODY")" member "an unknown member: the field member ($ST)"
api "$READ" "/api/v1/consultations/205/pending?draft=Q.9"
api_err 404 not-found draft "an unknown draft"
api "$READ" /api/v1/nothing
api_err 404 not-found path "an unknown path"
api "$READ" /api/v1/status -X POST --data x=1
api_err 405 method method "POST where only GET is taken"
is "$(hdr allow)" "GET, HEAD" "405 says Allow"
api "$READ" /api/v1/status -X DELETE
is "$ST" 405 "DELETE: 405"

# --- doc/openapi.json: the routes the server really has --------------------------
# the operations the description lists, and those of routes.c's table under
# /api/ (a segment is the {circular}; the area's catch-all answers 404)
perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; my $d = decode_json(<$f>);
	die "not OpenAPI 3\n" unless ($d->{openapi} // "") =~ /^3\./;
	for my $p (sort keys %{$d->{paths}}) { print uc($_), " $p\n" for sort keys %{$d->{paths}{$p}} }' \
	"$REPO/doc/openapi.json" | LC_ALL=C sort >"$T/doc.ops"
perl -ne 'next unless /^\s*(EXACT|SEGMENT)\((PR_GET|PR_POST|PR_GET \| PR_POST), "(\/api\/[^"]*)"(?:, "([^"]*)")?/;
	my ($kind, $m, $path, $rest) = ($1, $2, $3, $4 // "");
	my $seg = $path =~ m{/receipts/$} ? "{event}" : "{circular}";
	my $p = $kind eq "SEGMENT" ? "$path$seg$rest" : $path;
	print "GET $p\n" if $m =~ /GET/; print "POST $p\n" if $m =~ /POST/' \
	"$REPO/src/portal/routes.c" | LC_ALL=C sort >"$T/route.ops"
is "$(grep -c '' "$T/route.ops")" 6 "routes.c has the six API routes"
ok "doc/openapi.json lists exactly the API routes of routes.c" diff "$T/doc.ops" "$T/route.ops"
# and the server answers each as described: 200 with the required keys
EVENT=$(sqlite3 "$BALLOT_DB" "SELECT min(seq) FROM events WHERE kind = 'reply'")
# the keys a documented response's schema requires that the last answer lacks
missing_keys() { # missing_keys METHOD PATH STATUS
	DOC=$REPO/doc/openapi.json M=$1 P=$2 S=$3 perl -MJSON::PP -e 'local $/;
		open my $f, "<", $ENV{DOC} or die; my $d = decode_json(<$f>);
		my $s = $d->{paths}{$ENV{P}}{$ENV{M}}{responses}{$ENV{S}}{content}{"application/json"}{schema};
		($s) = $s->{"\$ref"} =~ m{([^/]+)$}; $s = $d->{components}{schemas}{$s};
		my $b = decode_json(<STDIN>);
		if ($s->{type} eq "array") { $b = $b->[0]; $s = $s->{items} }
		print join(" ", grep { !exists $b->{$_} } @{$s->{required}}), "\n"' <"$T/.body"
}
while read -r method path; do
	[ "$method" = GET ] || continue
	real=${path//\{circular\}/205}
	real=${real//\{event\}/$EVENT}
	api "$READ" "$real" -X "$method"
	is "$ST" 200 "$method $path (documented): 200"
	missing=$(DOC=$REPO/doc/openapi.json P=$path perl -MJSON::PP -e 'local $/;
		open my $f, "<", $ENV{DOC} or die; my $d = decode_json(<$f>);
		my $s = $d->{paths}{$ENV{P}}{get}{responses}{200}{content}{"application/json"}{schema};
		($s) = $s->{"\$ref"} =~ m{([^/]+)$}; $s = $d->{components}{schemas}{$s};
		my $b = decode_json(<STDIN>);
		if ($s->{type} eq "array") { $b = $b->[0]; $s = $s->{items} }
		print join(" ", grep { !exists $b->{$_} } @{$s->{required}}), "\n"' <"$T/.body")
	is "$missing" "" "$method $path: the keys the description requires"
	api - "$real" -X "$method"
	is "$ST:$(jget .error.reason "$BODY")" 401:unauthorized "$method $path: documented 401 without a token"
done <"$T/doc.ops"

# the POST: each response the description documents (but 500 and 503), as
# the server gives it, and the reasons the Error schema allows
P='/api/v1/consultations/{circular}/replies'
documented=$(DOC=$REPO/doc/openapi.json P=$P perl -MJSON::PP -e 'local $/; open my $f, "<", $ENV{DOC} or die;
	my $d = decode_json(<$f>); print join(" ", sort keys %{$d->{paths}{$ENV{P}}{post}{responses}})')
is "$documented" "200 201 400 401 403 404 409 413 415 422 429 500 503" "POST $P: the responses documented"
reasons=$(perl -MJSON::PP -e 'local $/; my $d = decode_json(<STDIN>);
	print join("|", @{$d->{components}{schemas}{Error}{properties}{error}{properties}{reason}{enum}})' \
	<"$REPO/doc/openapi.json")
WRITE=$(ballot tokens create --user tsb --scope write 2>/dev/null)
CHAIRW=$(ballot tokens create --user chair11 --scope write 2>/dev/null)
jpost() { # jpost TOKEN CIRCULAR BODY [CURL-ARGS...]
	local tok=$1 circ=$2 body=$3
	shift 3
	printf '%s' "$body" >"$T/req.json"
	api "$tok" "/api/v1/consultations/$circ/replies" -H "Content-Type: ${CT:-application/json}" \
		--data-binary @"$T/req.json" "$@"
}
documented_error() { # documented_error STATUS DESC: the last answer is a documented error
	is "$ST" "$1" "POST $P, $2: $1 (documented)"
	like "$(jget .error.reason "$BODY")" "^($reasons)\$" "POST $P, $2: a documented reason"
}
jpost "$WRITE" 205 '{"member":"CHE","draft":"Q.5051","choice":"authorize"}' -H 'Idempotency-Key: doc-1'
is "$ST" 201 "POST $P (documented): 201"
is "$(missing_keys post "$P" 201)" "" "POST $P: 201 has the keys the description requires"
like "$(hdr location)" '^/api/v1/receipts/[0-9]+$' "POST $P: 201 has the documented Location"
jpost "$WRITE" 205 '{"member":"CHE","draft":"Q.5051","choice":"authorize"}' -H 'Idempotency-Key: doc-1'
is "$ST" 200 "POST $P (documented): 200 for the same Idempotency-Key and body"
is "$(missing_keys post "$P" 200)" "" "POST $P: 200 has the keys the description requires"
jpost "$WRITE" 205 '{"member":"CHE","draft":"Q.5051","choice":"maybe"}'
documented_error 400 "a bad choice"
jpost - 205 '{"member":"CHE","draft":"Q.5051","choice":"authorize"}'
documented_error 401 "no token"
jpost "$READ" 205 '{"member":"CHE","draft":"Q.5051","choice":"authorize"}'
documented_error 403 "a read token"
jpost "$CHAIRW" 205 '{"member":"CHE","draft":"Q.5051","choice":"authorize"}'
documented_error 403 "a chair's write token"
jpost "$WRITE" 999 '{"member":"CHE","choice":"authorize"}'
documented_error 404 "an unknown circular"
jpost "$WRITE" 205 '{"member":"CHE","draft":"Q.5051","choice":"authorize","received":"2021-01-01T00:00:00Z"}'
documented_error 409 "received in the future"
expect_exit 0 ballot config set quota_bytes 10
jpost "$WRITE" 205 '{"member":"FRA","draft":"Q.5051","choice":"authorize-with-comments","attachments":[{"name":"c.txt","content_base64":"Q29tbWVudHMgb2YgRnJhbmNlLgo="}]}'
documented_error 413 "over quota_bytes"
CT=text/plain jpost "$WRITE" 205 '{"member":"CHE","draft":"Q.5051","choice":"authorize"}'
documented_error 415 "text/plain"
jpost "$WRITE" 205 '{"member":"CHE","draft":"Q.5051","choice":"not-authorize"}' -H 'Idempotency-Key: doc-1'
documented_error 422 "the key again with another body"
expect_exit 0 ballot config set replies_per_hour 2
jpost "$WRITE" 205 '{"member":"DEU","draft":"Q.5051","choice":"authorize"}'
documented_error 429 "over replies_per_hour"
like "$(hdr retry-after)" '^[0-9]+$' "POST $P: 429 says Retry-After"

serve_stop
done_testing
