#!/usr/bin/env bash
# 48-config.t - the configuration file (--config FILE, $BALLOT_CONFIG,
# /etc/ballot/ballot.conf): what it sets, the precedence flag > environment >
# file > default, `config show [--json]` saying where each value came from and
# listing the database's own settings apart, the refusals (file and line,
# exit 2, nothing changed), and the portal's address as configuration
# (`forms --with-codes` refuses to guess it, `serve` takes it and its TLS
# files, address and threads from the file).
# shellcheck disable=SC1091
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools pdftotext curl

ballot() { "$BALLOT_BIN" "$@"; }
fb() { env -u BALLOT_DB "$BALLOT_BIN" "$@"; } # the database the file names

# a file as an administrator writes it: mode 0600, ours
conf() { # conf FILE LINE...
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
	chmod 600 "$f"
}

# --- no file: nothing changes ---------------------------------------------------
expect_exit 0 ballot init
expect_exit 0 ballot config show
like "$OUT" '^configuration file: /dev/null$' "lib.sh's BALLOT_CONFIG=/dev/null: an empty file, nothing from /etc"
like "$OUT" "^database +$T/ballot.db +env BALLOT_DB\$" "the database from the environment, said so"
like "$OUT" "^sign_key +$T/ballot.db.key +default \\(the database \\+ \\.key\\)\$" "the signing key: the default"
like "$OUT" '^listen +127\.0\.0\.1:8443 +default$' "listen: the default"
like "$OUT" '^portal_url +- +not set$' "portal_url: not set"
like "$OUT" '^settings kept in the database .*\(ballot config set; they belong to the data\):$' \
	"the database's own settings are listed apart, and said to be its own"
like "$OUT" '^attachment_max +20971520 +default$' "  ... attachment_max: the default"
expect_exit 0 ballot config set replies_per_hour 12
expect_exit 0 ballot config show --json
is "$(jkeys . | tr '\n' ' ')" "file values database database_settings " "config show --json: its keys, in order"
is "$(jkeys '.values[0]' | tr '\n' ' ')" "key value source where " "  ... each value: key, value, source, where"
is "$(jcol .values key | tr '\n' ' ')" \
	"database sign_key forms_dir fonts_dir listen tls_cert tls_key tls_client_ca threads portal_url mail_relay mail_user mail_password_file mail_from mail_ca mail_rate mail_mailbox mail_max_message " \
	"  ... every key of the file, in a fixed order"
is "$(jget '.values[0].source')/$(jget '.values[0].where')" "env/BALLOT_DB" "  ... the database: env BALLOT_DB"
is "$(jget '.values[9].value')/$(jget '.values[9].source')" "null/unset" "  ... portal_url: null, unset"
is "$(jwhere .database_settings key replies_per_hour . )" '{"key":"replies_per_hour","value":12,"source":"database"}' \
	"  ... a setting changed by config set: its value, source database"
is "$(jwhere .database_settings key quota_bytes source)" default "  ... one never set: default"
expect_exit 0 ballot config
is "$OUT" "$(printf 'attachment_max 20971520\nquota_bytes 104857600\nreplies_per_hour 12\nmail_receipts 0')" \
	"config alone still prints the database's settings as before"

# --- what the file sets, and what beats it ----------------------------------------
mkdir -p site
conf site/ballot.conf "# the secretariat's settings" "" \
	"database = $T/site/sg11.db" \
	"  sign_key=$T/site/signing.key  " \
	"portal_url = https://ballot.example.int/" \
	"threads = 3" \
	"listen = 127.0.0.1:9"
expect_exit 0 fb --config site/ballot.conf init
ok "init made the file's database" test -s site/sg11.db
ok "  ... and the signing key where the file says" test -s site/signing.key
expect_exit 0 fb config show --config site/ballot.conf
like "$OUT" '^configuration file: site/ballot.conf$' "config show names the file (--config after the command too)"
like "$OUT" "^database +$T/site/sg11.db +site/ballot.conf:3\$" "  ... the database from the file, with its line"
like "$OUT" "^sign_key +$T/site/signing.key +site/ballot.conf:4\$" "  ... the key from line 4 (spaces dropped)"
like "$OUT" '^threads +3 +site/ballot.conf:6$' "  ... threads from line 6"
BALLOT_CONFIG=site/ballot.conf expect_exit 0 fb config show --json
is "$(jget .file)" site/ballot.conf "\$BALLOT_CONFIG names the file too"
is "$(jget '.values[0].where')" site/ballot.conf:3 "  ... where: FILE:LINE"
# the environment beats the file, a flag beats both
BALLOT_DB=$T/env.db expect_exit 0 ballot --config site/ballot.conf config show --json
is "$(jget '.values[0].value')/$(jget '.values[0].source')" "$T/env.db/env" "BALLOT_DB beats the file"
is "$(jget '.values[1].value')/$(jget '.values[1].source')" "$T/site/signing.key/file" \
	"  ... and sign_key still comes from the file"
BALLOT_DB=$T/env.db expect_exit 0 ballot --config site/ballot.conf --db "$T/flag.db" config show --json
is "$(jget '.values[0].value')/$(jget '.values[0].source')/$(jget '.values[0].where')" \
	"$T/flag.db/flag/--db" "--db beats BALLOT_DB and the file"
is "$(jget .database_settings)" null "  ... no database there yet: database_settings null"
BALLOT_KEY=$T/env.key expect_exit 0 ballot --config site/ballot.conf config show --json
is "$(jget '.values[1].source')" env "BALLOT_KEY beats the file's sign_key"
# --config beats $BALLOT_CONFIG
conf other.conf "database = $T/other.db"
BALLOT_CONFIG=site/ballot.conf expect_exit 0 fb --config other.conf config show --json
is "$(jget '.values[0].value')" "$T/other.db" "--config beats \$BALLOT_CONFIG"
# the file's database is the one every command uses
at 2019-12-04T09:00:00Z
expect_exit 0 fb --config site/ballot.conf consultation create --circular 205 --group 11 \
	--date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 fb --config site/ballot.conf draft add --circular 205 --rec Q.5051 \
	--title "A draft" --summary "A summary."
expect_exit 0 sqlite3 site/sg11.db "SELECT circular FROM consultations"
is "$OUT" 205 "the consultation went into the file's database"
at 2020-02-10T12:00:00Z
expect_exit 0 fb --config site/ballot.conf reply --circular 205 --member CHE --authorize --print-receipt
printf '%s\n' "$OUT" | sed -n 's/^receipt: //p' >che.json
expect_exit 0 ballot receipt verify che.json --key "$(fb --config site/ballot.conf keys show | head -n 1)"
like "$OUT" 'receipt verified' "  ... and the receipt was signed with the file's key"
# forms_dir: the file's, unless BALLOT_FORMS says otherwise
conf forms.conf "database = $T/site/sg11.db" "sign_key = $T/site/signing.key" "forms_dir = $T/nowhere"
refused_like "$T/nowhere" fb --config forms.conf forms --circular 205 --blank --lang en --out f1
ok "  ... nothing written" test ! -e f1/205/en/blank.pdf
BALLOT_FORMS=$REPO/forms expect_exit 0 fb --config forms.conf forms --circular 205 --blank --lang en --out f1
ok "BALLOT_FORMS beats the file's forms_dir" test -s f1/205/en/blank.pdf

# --- the portal's address is configuration -----------------------------------
conf bare.conf "database = $T/site/sg11.db" "sign_key = $T/site/signing.key"
before=$(db_sum site/sg11.db)
expect_exit 2 fb --config bare.conf forms --circular 205 --member CHE --lang en --with-codes --out f2
like "$ERR" "^ballot: --with-codes: the portal's address is not set: give --portal URL or portal_url in the configuration file" \
	"forms --with-codes without a portal address: refused, no guess"
is "$(printf '%s\n' "$ERR" | grep -c '')" 1 "  ... one line"
is "$(db_sum site/sg11.db)" "$before" "  ... no code issued"
ok "  ... no form written" test ! -e f2
expect_exit 0 fb --config site/ballot.conf forms --circular 205 --member CHE --lang en --with-codes --out f3 --jobs 1
like "$(pdftotext f3/205/en/CHE.pdf - 2>/dev/null)" 'https://ballot\.example\.int/' \
	"with portal_url in the file, the form prints it"
expect_exit 0 fb --config site/ballot.conf forms --circular 205 --member CHE --lang en --with-codes \
	--portal https://flag.example.org/ --out f4 --jobs 1
text=$(pdftotext f4/205/en/CHE.pdf - 2>/dev/null)
like "$text" 'https://flag\.example\.org/' "--portal beats the file"
unlike "$text" 'ballot\.example\.int' "  ... whose address is not printed"
unlike "$text" 'localhost:8443' "  ... nor the old guess"

# --- serve from the file: TLS files, address, threads, public address ----------
dev_certs
# the port in the file: another one when it was lost to another process
# before the server bound it ("cannot listen"), as serve_start does
for try in 1 2 3; do
	PORT=$(free_port)
	conf serve.conf "database = $T/site/sg11.db" "sign_key = $T/site/signing.key" \
		"tls_cert = $SRV_CERT" "tls_key = $SRV_KEY" "listen = 127.0.0.1:$PORT" "threads = 2" \
		"portal_url = https://ballot.example.int/"
	env -u BALLOT_DB "$BALLOT_BIN" --config serve.conf serve 2>serve.log &
	SRV_PID=$!
	end=$((SECONDS + 120)) # until it listens (0.1 s quiet; a loaded machine is slower)
	while [ "$SECONDS" -lt "$end" ]; do
		grep -q "serving https://127.0.0.1:$PORT/" serve.log && break 2
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
	grep -q "cannot listen" serve.log || break
done
like "$(cat serve.log)" "serving https://127.0.0.1:$PORT/" "serve listens where the file says, with its certificate and key"
like "$(cat serve.log)" '^ballot: public address https://ballot\.example\.int/$' "  ... and says the public address"
URL="https://localhost:$PORT"
get - /signin
is "$ST" 200 "  ... and answers"
serve_stop
is "$SRV_RC" 0 "  ... and stops cleanly"
conf nocert.conf "database = $T/site/sg11.db"
refused_like '^ballot: --cert is required \(or tls_cert in the configuration file\)$' \
	fb --config nocert.conf serve

# --- refusals: one line, the file and the line, exit 2, nothing changed -----------
bad() { # bad ERE LINE... : a file with these lines is refused
	local re=$1
	shift
	conf bad.conf "$@"
	refused_like "$re" ballot --config bad.conf status
}
bad '^ballot: bad\.conf:2: unknown key .treads. \(did you mean threads\?\)$' "# comment" "treads = 4"
bad '^ballot: bad\.conf:1: unknown key .colour.$' "colour = blue"
bad '^ballot: bad\.conf:1: threads: .0. is out of range \(1 to 64\)$' "threads = 0"
bad '^ballot: bad\.conf:1: threads: .many. is not a whole number$' "threads = many"
bad '^ballot: bad\.conf:3: threads: set twice \(first on line 1\)$' "threads = 2" "" "threads = 3"
bad '^ballot: bad\.conf:1: listen: .8443. is not ADDR:PORT' "listen = 8443"
bad '^ballot: bad\.conf:1: listen: .127\.0\.0\.1:99999. is not ADDR:PORT' "listen = 127.0.0.1:99999"
bad '^ballot: bad\.conf:1: portal_url: .http://x\.example/. is not an https:// address' "portal_url = http://x.example/"
bad '^ballot: bad\.conf:2: .database /tmp/x\.db. is not key = value$' "" "database /tmp/x.db"
bad '^ballot: bad\.conf:1: database: no value$' "database ="
# a file others could have written is never read
conf perm.conf "threads = 2"
chmod 620 perm.conf
refused_like "^ballot: configuration file 'perm\\.conf': others can write it \\(mode 0620\\); chmod go-w it\$" \
	ballot --config perm.conf status
chmod 602 perm.conf
refused_like "configuration file 'perm\\.conf': others can write it \\(mode 0602\\)" ballot --config perm.conf status
chmod 644 perm.conf
expect_exit 0 ballot --config perm.conf status
pass "  ... while one readable by all but written by its owner only is read"
if [ "$(id -u)" = 0 ]; then
	chown nobody perm.conf
	refused_like "^ballot: configuration file 'perm\\.conf': owned by uid [0-9]+, neither root nor you \\(uid 0\\)\$" \
		ballot --config perm.conf status
else
	fail "the owner check needs root to give a file away (CI runs as root)"
fi
refused_like "^ballot: configuration file 'missing\\.conf': no such file or directory\$" ballot --config missing.conf status
BALLOT_CONFIG=missing.conf refused_like "'missing\\.conf'" ballot status
refused_like "not a regular file" ballot --config "$T" status
# every command reads it, but --help and --version work whatever it says
BALLOT_CONFIG=bad.conf expect_exit 0 ballot --version
BALLOT_CONFIG=bad.conf expect_exit 0 ballot --help
done_testing
