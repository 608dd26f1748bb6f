#!/bin/sh
# make serve: the reply portal on a demo database, in one step.
# Makes output/tls (a development CA, the server's certificate for localhost,
# client certificates for China's administration and the secretariat),
# output/serve.db with an OPEN consultation (deadline in the future, so the
# portal takes replies) and the closed Circular 205 of the demo, staff
# accounts, and reply codes; then starts `ballot serve` on 127.0.0.1:8443.
# Usage: serve.sh BALLOT_BINARY [LISTEN]
set -eu
BIN=$1
# the demo runs on its own files, whatever /etc/ballot/ballot.conf says
export BALLOT_CONFIG=/dev/null
LISTEN=${2:-127.0.0.1:8443}
OUT=output
DB=$OUT/serve.db
TLS=$OUT/tls
b() { "$BIN" --db "$DB" "$@"; }

mkdir -p "$OUT"
umask 077
if [ ! -f "$DB" ]; then
	sh src/demo.sh "$BIN" "$DB" >"$OUT/serve-setup.log" 2>&1
	TODAY=$(date -u +%F)
	MEET=$(date -u -d '+100 days' +%F)
	MEET_END=$(date -u -d '+109 days' +%F)
	export BALLOT_ACTOR="demo:secretariat"
	b consultation create --circular DEMO-1 --group 11 --date "$TODAY" \
		--meeting-start "$MEET" --meeting-end "$MEET_END" >/dev/null
	b draft add --summary "A framework against the theft of mobile devices." --circular DEMO-1 --rec Q.5051 --former Q.FW_CSM \
		--title "Framework for combating the use of stolen mobile devices" \
		--text forms/demo/Q.5051-summary.txt >/dev/null
	b draft add --summary "SAMPLE: a summary." --circular DEMO-1 --rec Q.5052 --revised \
		--title "SAMPLE: a second draft, to show one row per draft" >/dev/null
	rm -rf "$TLS"
	"$BIN" tls dev-certs --out "$TLS" --client secretariat >/dev/null
	b certs issue --member CHN --ca "$TLS" >/dev/null
	# passwords: random, written once to files only the owner can read
	head -c 18 /dev/urandom | base64 > "$TLS/password-secretariat"
	head -c 18 /dev/urandom | base64 > "$TLS/password-chair11"
	b users add --name secretariat --role secretariat --password-file "$TLS/password-secretariat" >/dev/null
	b users add --name secretariat-cert --role secretariat --cert "$TLS/client-secretariat.pem" >/dev/null
	b users add --name chair11 --role chair --group 11 --password-file "$TLS/password-chair11" >/dev/null
	b codes issue --circular DEMO-1 > "$TLS/codes-DEMO-1.tsv" 2>/dev/null
fi
# a database made before signed receipts has no signing key yet
[ -f "${BALLOT_KEY:-$DB.key}" ] || b keys create >/dev/null
cat <<MSG

The reply portal: https://$LISTEN/   (the database is $DB; certificates in $TLS)
  Your browser will not know the development CA: import $TLS/ca.pem as an authority, or accept the warning.
  An administration: Member State CHN, reply code $(awk -F'\t' '$1 == "CHN" { print $2 }' "$TLS/codes-DEMO-1.tsv")
    (every member's code: $TLS/codes-DEMO-1.tsv; or present $TLS/client-CHN.pem + client-CHN-key.pem)
  The secretariat: user secretariat, password in $TLS/password-secretariat
  The chair of SG11: user chair11, password in $TLS/password-chair11
  Start again from scratch: rm $DB

MSG
exec "$BIN" --db "$DB" serve --listen "$LISTEN" --cert "$TLS/server.pem" --key "$TLS/server-key.pem" \
	--client-ca "$TLS/ca.pem"
