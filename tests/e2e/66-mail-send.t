#!/usr/bin/env bash
# 66-mail-send.t - `ballot mail send` and `mail outbox` (issue 18) against
# a real SMTP relay on loopback (tests/e2e/smtp-relay.py: Debian's aiosmtpd,
# STARTTLS required, AUTH required, a test CA made here with certtool), every
# message that arrives read with Python's email parser:
# - refusals before anything is recorded (no relay configured, a bad relay
#   address, a password file others can read, credentials the relay refuses,
#   a bad --what, a member outside the electorate, codes without a portal):
#   one line naming the field and value, exit 2, the database unchanged;
# - the circular to 12 members in the six languages: one message each, to
#   its contacts (To/Cc by role, the IDN domain as punycode), the subject of
#   its language's template (RFC 2047 decoded), a unique Message-ID, the
#   member's Annex 2 form and the blank one byte for byte as `ballot forms`
#   writes them, the bytes that arrived hashing to the outbox's SHA-256;
#   a second run sends nothing again;
# - exactly once under kill -9: `mail send` killed at random points
#   ($BALLOT_MAIL_KILLS times, 50 by default, 200 by make check-faults) then
#   resumed: every member has exactly one Message-ID, a message that arrived
#   twice (killed between the relay's 250 and the record) arrived with the
#   same bytes, and the outbox says sent with the arrived bytes' hash;
# - a relay stopped in the middle of a run: exit 1, the rest queued with the
#   answer; resumed once the relay is back: each sent once;
# - a recipient the relay refuses for good: failed, with its answer;
# - codes: a fresh code per member in the message, never kept in the outbox;
# - reminder: only members with no counted reply, with the time left;
# - receipt: the signed receipt of the member's last reply, byte for byte;
# - mail schedule and mail run: the reminder of the schedule's point reached,
#   once however often run; nothing after the deadline; the package's
#   ballot-mail.service and .timer pass systemd-analyze verify.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
for tool in certtool sqlite3 systemd-analyze scdoc; do
	command -v "$tool" >/dev/null 2>&1 || { echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "Bail out! python3-aiosmtpd is not installed (make deps)"; exit 1; }
. "$E2E/portal-lib.sh"
READ="$PY $E2E/mail-read.py"

# --- the relay: its test CA, certificate and password file in $T ---------------
. "$E2E/relay-lib.sh"
SMTP_PORT=
# relay_up [ARG...]: the relay (on a free port the first time, then on
# $SMTP_PORT again) writing to $T/mbox (RELAY_MBOX=DIR:
# to DIR), ARGs to smtp-relay.py (--refuse-rcpt SUBSTR); bails out when it
# does not start
relay_up() {
	relay_start "$T" "${SMTP_PORT:--}" "$@" || { echo "Bail out! the relay did not start"; cat relay.log; exit 1; }
	SMTP_PORT=$RELAY_PORT
}
relay_up
relay_conf "$T" "$SMTP_PORT" mail.conf
send() { ballot --config mail.conf mail send "$@"; }
arrived() { ls "$T/mbox" | grep -c '\.eml$'; }

# --- the consultation and 12 members' contacts, two per language -------------
expect_exit 0 ballot init
setup_205
LANGS=(en en fr fr es es ru ru zh zh ar ar)
MEMBERS=(GBR USA CHE FRA ESP MEX RUS BLR CHN SGP EGY SAU)
: >c.tsv
for i in "${!MEMBERS[@]}"; do
	m=${MEMBERS[$i]}
	printf '%s\tto\tconsult-%s@admin-%s.example.org\t%s\tAdministration %s\n' "$m" "${m,,}" "${m,,}" "${LANGS[$i]}" "$m" >>c.tsv
done
printf 'CHE\tcc\tcopy@bücher.ch\tfr\n' >>c.tsv
expect_exit 0 ballot contacts import c.tsv

# --- refusals: nothing recorded, nothing sent -----------------------------------
refused "--mail-relay" ballot mail send --circular 205 --what circular --mail-from tsb@itu.int
refused "http://127.0.0.1" ballot --config mail.conf mail send --circular 205 --what circular --mail-relay "http://127.0.0.1:$SMTP_PORT"
chmod 644 pw
refused "0644" send --circular 205 --what circular
err_names "$T/pw" "  ... the password file is named"
chmod 600 pw
printf 'wrong\n' >badpw
chmod 600 badpw
refused "'tsb'" send --circular 205 --what circular --mail-password-file "$T/badpw"
like "$ERR" 'refused the credentials' "  ... the relay refused the credentials"
refused "'letter'" send --circular 205 --what letter
refused "PLW" send --circular 205 --what circular --member PLW --member XYZ
refused "--portal" send --circular 205 --what codes
refused "not-an-address" send --circular 205 --what circular --mail-from not-an-address
is "$(arrived)" 0 "no message reached the relay"

# --- dry run --------------------------------------------------------------------
before=$(db_sum)
expect_exit 0 send --circular 205 --what circular --dry-run
is "$(printf '%s\n' "$OUT" | grep -c '^would send circular to ')" 12 "--dry-run lists the 12 messages"
like "$ERR" 'members have no contact address' "  ... and says members without a contact get none"
is "$(db_sum)" "$before" "  ... and changes nothing"
is "$(arrived)" 0 "  ... and sends nothing"

# --- the circular ----------------------------------------------------------------
expect_exit 0 send --circular 205 --what circular
is "$OUT" "205 circular: 12 messages queued, 12 sent, 0 refused, 0 waiting to be retried" "mail send says what it did"
is "$(arrived)" 12 "12 messages arrived"
$READ list "$T/mbox" >list.tsv
is "$(cut -f2 list.tsv | sort -u | wc -l)" 12 "each with its own Message-ID"
for i in 0 2 4 6 8 10; do
	expect_exit 0 ballot forms --circular 205 --member "${MEMBERS[$i]},${MEMBERS[$((i + 1))]}" --lang "${LANGS[$i]}" \
		--blank --out "$T/forms" --jobs 2
done
for i in "${!MEMBERS[@]}"; do
	m=${MEMBERS[$i]} l=${LANGS[$i]}
	line=$(grep -P "\t<ballot\.205\.circular\.$m\." list.tsv)
	subject=$(sed -n 's/^Subject: //p' "$REPO/forms/mail/$l/circular.txt" | sed 's/{circular}/205/g; s/{group}/11/g')
	is "$(printf '%s' "$line" | cut -f4)" "$subject" "$m ($l): the subject of forms/mail/$l/circular.txt"
	to="Administration $m <consult-${m,,}@admin-${m,,}.example.org>"
	is "$(printf '%s' "$line" | cut -f5)" "$to" "  ... To: its contact"
	want="205-$m-$l.pdf:$(sha256sum <"$T/forms/205/$l/$m.pdf" | cut -c1-64),205-blank-$l.pdf:$(sha256sum <"$T/forms/205/$l/blank.pdf" | cut -c1-64)"
	is "$(printf '%s' "$line" | cut -f7)" "$want" "  ... its Annex 2 form and the blank one, byte for byte as ballot forms writes them"
	sha=$(sqlite3 "$BALLOT_DB" "SELECT sha256 || ' ' || state FROM outbox WHERE member = '$m' AND what = 'circular'")
	is "$sha" "$(printf '%s' "$line" | cut -f3) sent" "  ... the bytes that arrived are the outbox's (SHA-256), marked sent"
done
che=$(grep -P "\t<ballot\.205\.circular\.CHE\." list.tsv)
is "$(printf '%s' "$che" | cut -f6)" "copy@xn--bcher-kva.ch" "CHE: the cc contact in Cc, its IDN domain as punycode"
is "$(printf '%s' "$che" | cut -f8)" "consult-che@admin-che.example.org,copy@xn--bcher-kva.ch" "  ... both in the envelope"
body=$($READ body "$T/mbox/$(printf '%s' "$che" | cut -f1)")
like "$body" "^Madame, Monsieur \(Administration CHE\),$" "the French text greets the contact"
like "$body" "avant le 21 février 2020, 23:59 UTC" "  ... with the deadline in French"
like "$body" "Q.5051  Framework for combating" "  ... and lists the draft"
expect_exit 0 send --circular 205 --what circular
like "$OUT" "0 messages queued, 0 sent.*\(12 already in the outbox\)" "a second run sends nothing again"
is "$(arrived)" 12 "  ... nothing more arrived"
expect_exit 0 ballot mail outbox --json
is "$(jlen .)" 12 "mail outbox --json: 12 messages"
is "$(jcol . state | sort -u)" "sent" "  ... all sent"
like "$(jget '.[0].answer')" '^250 ' "  ... with the relay's answer"

# --- exactly once under kill -9 ----------------------------------------------------
# Reminders of circular 206 (one a day per member): `mail send` killed at a
# random point, again and again; when a day's reminders are all sent, the
# next day's. Then the last day resumed to its end. Each run is killed once
# it has written to the database (a row recorded or marked sent: it is in
# the middle of its work, whatever the machine's speed), after a further 0-60 ms
# drawn from a seeded generator (BALLOT_MAIL_SEED), so a kill costs about a
# process start and never waits a fixed time.
KILLS=${BALLOT_MAIL_KILLS:-50}
RANDOM=${BALLOT_MAIL_SEED:-66}
CIRC=206 setup_205
codes 12 30 | awk '{ printf "%s\tto\tk-%s@kill.example.org\ten\n", $1, tolower($1) }' >k.tsv
expect_exit 0 ballot contacts import k.tsv
expect_exit 0 ballot contacts list --json
NK=$(jcol . member | sort -u | wc -l) # the 12 above and these
sent206() { sqlite3 "$BALLOT_DB" "SELECT count(*) FROM outbox WHERE circular = '206' AND state = 'sent'"; }
kills=0 runs=0 day=11 t_kill=$SECONDS
at "2020-02-${day}T12:00:00Z"
while [ "$kills" -lt "$KILLS" ] && [ "$runs" -lt $((KILLS * 4)) ]; do
	runs=$((runs + 1))
	: >kill.ref
	"$BALLOT_BIN" --config mail.conf --quiet mail send --circular 206 --what reminder >>kill.log 2>&1 &
	pid=$!
	# until the run has written to the database (its write-ahead log)
	while kill -0 "$pid" 2>/dev/null && ! [ "$BALLOT_DB-wal" -nt kill.ref ]; do sleep 0.01; done
	sleep "$(printf '0.%03d' $((RANDOM % 61)))"
	killed=0
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1)) killed=1
	wait "$pid" 2>/dev/null
	# a run that ended by itself may have finished the day (a killed one
	# rarely did: the next run, with nothing left to send, ends by itself)
	if [ "$killed" = 0 ] && [ "$(sent206)" = $((NK * (day - 10))) ] && [ "$day" -lt 20 ]; then
		day=$((day + 1))
		at "2020-02-${day}T12:00:00Z"
	fi
done
days=$((day - 10))
diag "kill -9 of mail send: $kills kills in $runs runs over $days days of reminders ($((SECONDS - t_kill)) s)"
expect_exit 0 send --circular 206 --what reminder
$READ list "$T/mbox" | grep -P '\t<ballot\.206\.reminder\.' >k.list
is "$(cut -f2 k.list | sort -u | wc -l)" "$((NK * days))" \
	"after $kills kills and a resumed run: $NK members x $days days distinct messages arrived"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(DISTINCT member || round) FROM outbox WHERE circular = '206'")" "$((NK * days))" \
	"  ... one outbox row per member and day"
diag "messages that arrived twice (killed between the end of their data and its record): $(($(wc -l <k.list) - NK * days))"
is "$(cut -f2,3 k.list | sort -u | cut -f1 | uniq -d | wc -l)" 0 "  ... a message that arrived twice arrived with the same bytes"
is "$(sent206)" "$((NK * days))" "  ... the outbox says all sent"
cut -f2,3 k.list | sort -u | sed 's/^<\(.*\)>\t/\1 /' >arrived.txt
sqlite3 -separator ' ' "$BALLOT_DB" "SELECT substr(message_id, 2, length(message_id) - 2), sha256 FROM outbox WHERE circular = '206'" | sort >recorded.txt
ok "  ... each with the SHA-256 of the bytes that arrived" cmp arrived.txt recorded.txt
expect_exit 0 ballot check

# --- the relay stopped in the middle of a run ---------------------------------------
at 2020-02-11T12:00:00Z
"$BALLOT_BIN" --config mail.conf mail send --circular 205 --what reminder --mail-rate 600 >out.log 2>err.log &
pid=$!
# the relay stops once the first reminder has been sent (not after a fixed
# second: under a slow build the run had not connected yet, or had ended)
for i in $(seq 300); do
	[ "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM outbox WHERE circular = '205' AND what = 'reminder' AND state = 'sent'")" -ge 1 ] && break
	sleep 0.05
done
relay_stop
wait "$pid"
rc=$?
is "$rc" 1 "the relay stopped mid-run: exit 1"
like "$(cat err.log)" "^ballot: --mail-relay: smtp://127.0.0.1:$SMTP_PORT: .*the messages stay queued" "  ... one line naming the relay"
sent_before=$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM outbox WHERE circular = '205' AND what = 'reminder' AND state = 'sent'")
queued=$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM outbox WHERE circular = '205' AND what = 'reminder' AND state = 'queued'")
is "$((sent_before + queued))" "$NK" "  ... every reminder recorded ($sent_before sent, $queued queued)"
ok "  ... some still queued" test "$queued" -gt 0
expect_exit 0 ballot mail outbox
like "$OUT" 'reminder +queued' "  ... mail outbox shows them queued"
relay_up
expect_exit 0 send --circular 205 --what reminder
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM outbox WHERE circular = '205' AND what = 'reminder' AND state = 'sent'")" "$NK" "resumed once the relay is back: all $NK sent"
$READ list "$T/mbox" | grep -P '\t<ballot\.205\.reminder\.' >r.list
is "$(cut -f2 r.list | sed 's/^<ballot\.205\.reminder\.\([A-Z]*\)\..*/\1/' | sort | uniq -c | awk '$1 != 1' | wc -l)" 0 \
	"  ... each member's reminder arrived once"
gbr=$($READ body "$T/mbox/$(grep -P '\t<ballot\.205\.reminder\.GBR\.' r.list | cut -f1)")
like "$gbr" '^  Q.5051  Framework' "the reminder lists the draft not answered"
like "$gbr" '\(10 days and 11 hours from now\)' "  ... and the time left"

# --- a recipient refused for good -----------------------------------------------------
relay_stop
RELAY_MBOX=$T/mbox2 relay_up --refuse-rcpt admin-egy
at 2020-02-12T12:00:00Z
expect_exit 1 send --circular 205 --what reminder
like "$ERR" '1 message refused by the relay' "a recipient refused for good: exit 1, said"
is "$(sqlite3 "$BALLOT_DB" "SELECT state FROM outbox WHERE circular = '205' AND what = 'reminder' AND member = 'EGY' AND round = '2020-02-12'")" failed \
	"  ... its message is failed"
like "$(sqlite3 "$BALLOT_DB" "SELECT answer FROM outbox WHERE circular = '205' AND what = 'reminder' AND member = 'EGY' AND round = '2020-02-12'")" '^550 ' \
	"  ... with the relay's answer"
expect_exit 0 send --circular 205 --what reminder
is "$(ls "$T/mbox2" | grep -c '\.eml$')" "$((NK - 1))" "  ... never sent again; the $((NK - 1)) others sent once"
relay_stop
relay_up

# --- codes: issued when sent, never kept ------------------------------------------------
expect_exit 0 send --circular 205 --what codes --member CHE --member CN --portal https://replies.itu.int
$READ list "$T/mbox" | grep -P '\t<ballot\.205\.codes\.' >c.list
is "$(wc -l <c.list)" 2 "codes: one message per member named"
code=$($READ body "$T/mbox/$(grep -P '\t<ballot\.205\.codes\.CHE\.' c.list | cut -f1)" | sed -n 's/^    \([^ ]*\)$/\1/p')
ok "  ... the message holds a reply code ($code)" test -n "$code"
like "$($READ body "$T/mbox/$(grep -P '\t<ballot\.205\.codes\.CHE\.' c.list | cut -f1)")" 'https://replies.itu.int' "  ... and the portal's address"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM outbox WHERE what = 'codes' AND message IS NOT NULL")" 0 "  ... no codes message is kept"
row=$(sqlite3 "$BALLOT_DB" "SELECT coalesce(CAST(message AS TEXT), 'NULL') || '|' || message_id || '|' || sha256 || '|' || size || '|' || recipients || '|' || coalesce(answer, '') FROM outbox WHERE what = 'codes' AND member = 'CHE'")
unlike "$row" "$code" "  ... CHE's outbox row holds no code in any column (its bytes: $(printf '%s' "$row" | cut -d'|' -f1 | cut -c1-20))"
is "$(printf '%s' "$row" | cut -d'|' -f2,3)" "$(grep -P '\t<ballot\.205\.codes\.CHE\.' c.list | cut -f2,3 | tr '\t' '|')" \
	"  ... only the Message-ID and SHA-256 of the message that left, with its code"
nok "  ... the clear code is nowhere in the database file" grep -qF "$code" "$BALLOT_DB" "$BALLOT_DB-wal"
expect_exit 0 ballot codes list --circular 205
like "$OUT" 'CHE' "  ... the code was issued (codes list)"

# --- receipt: the signed receipt of the member's last reply ---------------------------------
[ -e "$BALLOT_DB.key" ] || expect_exit 0 ballot keys create
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --received 2020-02-12T09:00:00Z
seq=$(sqlite3 "$BALLOT_DB" "SELECT max(seq) FROM events WHERE kind = 'reply'")
expect_exit 0 send --circular 205 --what receipt
like "$OUT" '1 message queued, 1 sent' "receipt: only the member that replied"
f=$($READ list "$T/mbox" | grep -P '\t<ballot\.205\.receipt\.CHE\.' | cut -f1)
$READ part "$T/mbox/$f" "receipt-205-CHE-$seq.json" got.json
expect_exit 0 ballot receipt show --event "$seq"
printf '%s\n' "$OUT" >want.json
ok "  ... its attachment is the receipt, byte for byte as receipt show issues it" cmp got.json want.json
at 2020-02-13T12:00:00Z
expect_exit 0 send --circular 205 --what reminder
like "$OUT" "$((NK - 1)) messages queued" "the next reminder goes to the $((NK - 1)) members that did not reply"

# --- the schedule: mail run sends what is due, once -----------------------------------------
at 2020-02-13T12:00:00Z
refused "'400'" ballot mail schedule --circular 206 --reminders 14,400
expect_exit 0 ballot mail schedule --circular 206 --reminders 2,14,7
is "$OUT" "reminders of 206: 14 7 2 days before the deadline (ballot mail run sends them)" "mail schedule sets and shows the days"
expect_exit 0 ballot --config mail.conf mail run --dry-run
like "$OUT" "^206 reminder: $NK messages would be queued" "mail run --dry-run: 206's reminder is due (14 days before)"
n0=$(arrived)
expect_exit 0 ballot --config mail.conf mail run
like "$OUT" "^206 reminder: $NK messages queued, $NK sent" "mail run sends the reminder of the point reached (T-14)"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM outbox WHERE circular = '206' AND round = 'T-14' AND state = 'sent'")" "$NK" \
	"  ... recorded as round T-14"
expect_exit 0 ballot --config mail.conf mail run
like "$OUT" "0 messages queued, 0 sent.*\($NK already in the outbox\)" "  ... a second run sends nothing again"
is "$(arrived)" "$((n0 + NK))" "  ... $NK messages arrived in all"
at 2020-02-15T00:00:00Z
expect_exit 0 ballot --config mail.conf mail run
like "$OUT" "^206 reminder: $NK messages queued, $NK sent" "seven days before the deadline: the T-7 reminder"
at 2020-02-22T01:00:00Z
expect_exit 0 ballot --config mail.conf mail run
is "$OUT" "nothing due" "after the deadline: nothing due"
expect_exit 0 ballot mail schedule --circular 206 --reminders none
is "$OUT" "reminders of 206: none" "--reminders none clears the schedule"

# --- the package's timer -----------------------------------------------------------------------
mkdir -p "$T/man/man1" "$T/unit"
scdoc <"$REPO/doc/ballot.1.scd" >"$T/man/man1/ballot.1"
for u in ballot-mail.service ballot-mail.timer; do
	sed "s|/usr/bin/ballot|$BALLOT_BIN|g" "$REPO/debian/ballot.$u" >"$T/unit/$u"
done
run env MANPATH="$T/man" systemd-analyze verify "$T/unit/ballot-mail.service" "$T/unit/ballot-mail.timer"
is "$RC $OUT$ERR" "0 " "systemd-analyze verify ballot-mail.service and .timer: nothing to say"
like "$(grep '^ExecStart=' "$REPO/debian/ballot.ballot-mail.service")" ' mail run$' "the service runs mail run"

expect_exit 0 ballot check
relay_stop
done_testing
