#!/bin/bash
# 99-mail-serve.t - receipts leave at once, one per submission (issue 18):
# with a relay configured, `ballot serve` sends each queued receipt within
# seconds through `ballot mail run --what receipt` (its background sender),
# with no `mail run` by hand; a portal reply of three drafts, and `reply`
# with several --choice, send ONE message listing the three drafts with the
# signed receipt of each (JSON and PDF, byte for byte as `receipt show`);
# `mail send --what receipt` after it finds it sent already; the relay down:
# the receipt stays queued, the sender backs off (a few tries, no busy loop)
# and sends it once the relay is back; two servers on one database: each
# receipt sent once (the mail lock); the server stops cleanly. A real SMTP
# relay on loopback (relay-lib.sh) and the portal (portal-lib.sh).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/relay-lib.sh"
PY=/usr/bin/python3
need_tools certtool sqlite3 curl
$PY -c 'import aiosmtpd, pypdf' 2>/dev/null || { echo "Bail out! python3-aiosmtpd and python3-pypdf are needed (tests/deps.sh)"; exit 1; }
READ="$PY $HERE/mail-read.py"
q() { sqlite3 "$BALLOT_DB" "$1"; }
SRV2_PID=
trap '[ -n "$SRV2_PID" ] && kill "$SRV2_PID" 2>/dev/null; serve_stop; relay_stop; _cleanup' EXIT
arrived() { ls "$T/relay/mbox" 2>/dev/null | grep -c '\.eml$'; }
# wait_for N: until N messages have arrived (at most 60 s: a loaded machine)
wait_for() {
	local i
	for i in $(seq 600); do [ "$(arrived)" -ge "$1" ] && return 0; sleep 0.1; done
	return 1
}

expect_exit 0 ballot init
setup_205
at 2019-12-03T12:00:00Z
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5052 --title "A second draft"
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5053 --title "Third"
at 2020-01-10T09:00:00Z
[ -e "$BALLOT_DB.key" ] || expect_exit 0 ballot keys create
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\nGBR\tto\tconsult@ofcom.org.uk\ten\nFRA\tto\tdgn@finances.gouv.fr\tfr\nDEU\tto\tbnetza@bnetza.de\ten\nBRA\tto\tanatel@anatel.gov.br\tes\nEGY\tto\tntra@ntra.gov.eg\tar\n' >c.tsv
expect_exit 0 ballot contacts import c.tsv
expect_exit 0 ballot config set mail_receipts 1

relay_start "$T/relay" - || { echo "Bail out! the relay did not start"; cat "$T/relay/relay.log"; exit 1; }
RPORT=$RELAY_PORT
relay_conf "$T/relay" "$RPORT" "$T/mail.conf"
export BALLOT_CONFIG=$T/mail.conf
dev_certs
serve_start "$T/serve.log" || { fail "the portal starts"; done_testing; exit; }

# --- a portal reply of three drafts: one receipt, sent without mail run -------------------------
CODE=$(new_code 205 GBR)
signin gbr GBR "$CODE"
is "$ST" 303 "GBR signs in with its reply code"
get gbr /member/c/205
reply_post gbr /member/c/205/reply -F "csrf=$(csrf_of)" -F choice-1=authorize -F choice-2=not-authorize \
	-F choice-3=authorize -F "signatory=J. Smith"
is "$POST_ST" 303 "GBR answers three drafts in one portal form"
is "$(q "SELECT count(*) FROM replies WHERE member = 'GBR'")" 3 "  ... three reply events"
is "$(q "SELECT count(*) FROM outbox WHERE member = 'GBR'")" 1 "  ... one receipt queued for the submission"
first=$(q "SELECT min(event_seq) FROM replies WHERE member = 'GBR'")
last=$(q "SELECT max(event_seq) FROM replies WHERE member = 'GBR'")
is "$(q "SELECT round FROM outbox WHERE member = 'GBR'")" "$first-$last" "  ... its round: the first and last event"
t0=$(date +%s%N)
ok "the receipt arrived without mail run (ballot serve's sender)" wait_for 1
diag "the receipt arrived $((($(date +%s%N) - t0) / 1000000)) ms after the reply's page was answered (the sender looks once a second)"
$READ list "$T/relay/mbox" >list.tsv
is "$(grep -c '<ballot\.205\.receipt\.GBR\.' list.tsv)" 1 "  ... one message for the three drafts"
f=$(grep '<ballot\.205\.receipt\.GBR\.' list.tsv | cut -f1)
body=$($READ body "$T/relay/mbox/$f")
for r in Q.5051 Q.5052 Q.5053; do like "$body" "^  $r  " "  ... it lists $r"; done
like "$body" "\\(event $first, $((first + 1)), $last\\)" "  ... and the three events"
att=$(grep '<ballot\.205\.receipt\.GBR\.' list.tsv | cut -f7)
is "$(printf '%s' "$att" | tr ',' '\n' | grep -c '^receipt-205-GBR-.*\.json:')" 3 "  ... three signed receipts (JSON)"
is "$(printf '%s' "$att" | tr ',' '\n' | grep -c '^receipt-205-GBR-.*-en\.pdf:')" 3 "  ... and three PDF receipts in English"
for s in $(q "SELECT event_seq FROM replies WHERE member = 'GBR' ORDER BY event_seq"); do
	expect_exit 0 ballot receipt show --event "$s"
	printf '%s\n' "$OUT" >want.json
	$READ part "$T/relay/mbox/$f" "receipt-205-GBR-$s.json" got.json
	ok "  ... event $s's receipt byte for byte as receipt show issues it" cmp got.json want.json
done
is "$(q "SELECT state FROM outbox WHERE member = 'GBR'")" sent "  ... the outbox says sent"
expect_exit 0 ballot mail send --circular 205 --what receipt --member GBR
like "$OUT" '1 already in the outbox' "mail send --what receipt afterwards: the same submission, already sent"
is "$(arrived)" 1 "  ... nothing sent again"

# --- reply --from-pdf of a form with three drafts: one receipt too --------------------------------
expect_exit 0 ballot forms --circular 205 --member CHE --lang fr --out "$T/f" --jobs 1
$PY "$HERE/fill-form.py" "$T/f/205/fr/CHE.pdf" che.pdf draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize \
	draft.Q.5053.choice=not-authorize signatory.name="A. Muster"
expect_exit 0 ballot reply --from-pdf che.pdf --circular 205
is "$(q "SELECT count(*) FROM replies WHERE member = 'CHE'")" 3 "reply --from-pdf of three drafts: three replies"
is "$(q "SELECT count(*) FROM outbox WHERE member = 'CHE'")" 1 "  ... one receipt queued"
ok "  ... sent by the server within seconds" wait_for 2
$READ list "$T/relay/mbox" >list.tsv
is "$(grep -c '<ballot\.205\.receipt\.CHE\.' list.tsv)" 1 "  ... one message"
is "$(grep '<ballot\.205\.receipt\.CHE\.' list.tsv | cut -f7 | tr ',' '\n' | grep -c '\-fr\.pdf:')" 3 \
	"  ... with three PDF receipts in French"

# --- the relay down: queued, backed off, sent once it is back --------------------------------------
relay_stop
expect_exit 0 ballot reply --circular 205 --member FRA --draft Q.5051 --authorize
for i in $(seq 600); do grep -q 'next try in' "$T/serve.log" && break; sleep 0.1; done
like "$(cat "$T/serve.log")" 'mail: the receipts stay queued; next try in 5 s' "the relay down: the server says the receipt stays queued"
is "$(q "SELECT state FROM outbox WHERE member = 'FRA'")" queued "  ... it is queued"
relay_start "$T/relay" "$RPORT" --hold "$T/hold" || { echo "Bail out! the relay did not restart"; exit 1; }
ok "  ... sent once the relay is back (after the back-off)" wait_for 3
tries=$(grep -c 'next try in' "$T/serve.log")
ok "  ... a few tries while it was down, not a busy loop ($tries)" test "$tries" -le 3
$READ list "$T/relay/mbox" >list.tsv
is "$(grep -c '<ballot\.205\.receipt\.FRA\.' list.tsv)" 1 "  ... once"

# --- two servers on one database: each receipt sent once --------------------------------------------
# 24 members' replies imported in one transaction (24 receipts queued at
# once), sent at 600 a minute: each server's sender runs mail run within a
# second. The two runs overlap for sure: the relay holds the first run's
# first message (--hold) until the other run waits on the mail lock (a
# blocked flock on DB.mail-lock in /proc/locks: the test releases it) or
# has sent a message itself (no lock: the relay releases it, and that
# message goes twice).
P2=$(free_port)
"$BALLOT_BIN" serve --listen "127.0.0.1:$P2" --cert "$SRV_CERT" --key "$SRV_KEY" 2>"$T/serve2.log" &
SRV2_PID=$!
for i in $(seq 300); do grep -q "serving https://127.0.0.1:$P2/" "$T/serve2.log" && break; sleep 0.1; done
like "$(cat "$T/serve2.log")" "serving https://127.0.0.1:$P2/" "a second server on the same database"
codes 24 60 | awk '{ printf "%s\tto\tm-%s@two.example.org\ten\n", $1, tolower($1) }' >two.tsv
expect_exit 0 ballot contacts import two.tsv
printf 'mail_rate = 600\n' >>"$T/mail.conf"
{
	printf 'member\tdraft\tchoice\treceived\tchannel\tattachment\n'
	cut -f1 two.tsv | while read -r m; do
		printf '%s\tQ.5051\tauthorize\t\temail\t\n%s\tQ.5052\tnot-authorize\t\temail\t\n' "$m" "$m"
	done
} >two-replies.tsv
mkdir -p "$T/hold" && touch "$T/hold/arm"
expect_exit 0 ballot reply import --circular 205 two-replies.tsv
is "$(q "SELECT count(*) FROM outbox WHERE state = 'queued'")" 24 "  ... an import of 48 replies of 24 members: 24 receipts queued"
# lock_waiter: a process waits for the mail lock (a "->" line of /proc/locks
# on its inode)
lock_waiter() { grep -q -- "-> FLOCK .*:$(stat -c %i "$BALLOT_DB.mail-lock" 2>/dev/null) " /proc/locks; }
for i in $(seq 600); do [ -e "$T/hold/holding" ] && break; sleep 0.1; done
ok "  ... the relay holds the first message of a sender's run" test -e "$T/hold/holding"
for i in $(seq 600); do { [ -e "$T/hold/released" ] || lock_waiter; } && break; sleep 0.1; done
lock_waiter && waited=yes || waited=no
touch "$T/hold/release"
is "$waited" yes "  ... meanwhile the other server's run waits on the mail lock (it has sent nothing)"
ok "  ... all arrived" wait_for 27
for i in $(seq 100); do [ "$(q "SELECT count(*) FROM outbox WHERE state = 'queued'")" = 0 ] && break; sleep 0.1; done
kill -TERM "$SRV2_PID"
wait "$SRV2_PID"
is "$?" 0 "  ... the second server stops cleanly"
SRV2_PID=
# how the 24 were shared between the two servers' runs: said, not asserted
# (the lock's checks: the other run waited, above, and none arrived twice)
diag "runs of the second server's sender that sent something: $(grep -c 'receipt: .* [1-9][0-9]* sent' "$T/serve2.log")"
$READ list "$T/relay/mbox" >list.tsv
is "$(cut -f2 list.tsv | sort | uniq -d | wc -l)" 0 "  ... none arrived twice"
is "$(wc -l <list.tsv)" 27 "  ... 27 messages in all"
is "$(q "SELECT count(*) FROM outbox WHERE state <> 'sent'")" 0 "the outbox: every receipt sent"

# --- two submissions in one second: two receipts, none more by hand -----------------------------
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5052 --authorize
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5053 --not-authorize
is "$(q "SELECT count(*) FROM outbox WHERE member = 'DEU'")" 2 "DEU's two replies (two transactions): two receipts"
ok "  ... sent by the server" wait_for 29
expect_exit 0 ballot mail send --circular 205 --what receipt --member DEU
like "$OUT" '1 already in the outbox' "mail send --what receipt: DEU's last submission already sent (not merged with the one before it, recorded the same second)"
is "$(arrived)" 29 "  ... nothing sent again"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly (SIGTERM)"
like "$(cat "$T/serve.log")" 'stopped' "  ... said"
expect_exit 0 ballot check
done_testing
