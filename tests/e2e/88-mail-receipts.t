#!/bin/bash
# 88-mail-receipts.t - receipts sent automatically by e-mail (issue 18):
# with the setting mail_receipts 1 (`ballot config set`, an event), each
# reply or withdrawal of a member with a contact queues its receipt in the
# outbox in the reply's own transaction - from `ballot reply`, `reply
# --from-pdf`, `inbox accept` and the portal (its JSON API) alike; a reply
# refused leaves no receipt queued; `ballot mail run` builds each queued
# receipt (to the member's contacts, in its language, the signed receipt as
# JSON and as PDF byte for byte as `receipt show` writes them), keeps its
# bytes and sends it once; a member without a contact gets none; a contact
# removed before the run: failed, not sent. A real SMTP relay on loopback
# (relay-lib.sh) and the portal (portal-lib.sh).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/relay-lib.sh"
PY=/usr/bin/python3
need_tools certtool sqlite3 curl
$PY -c 'import aiosmtpd, pypdf' 2>/dev/null || { echo "Bail out! python3-aiosmtpd and python3-pypdf are needed (tests/deps.sh)"; exit 1; }
READ="$PY $HERE/mail-read.py"
q() { sqlite3 "$BALLOT_DB" "$1"; }
trap 'serve_stop; relay_stop; _cleanup' EXIT

expect_exit 0 ballot init
setup_205
[ -e "$BALLOT_DB.key" ] || expect_exit 0 ballot keys create
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\nGBR\tto\tconsult@ofcom.org.uk\ten\nBRA\tto\tanatel@anatel.gov.br\tes\nEGY\tto\tntra@ntra.gov.eg\tar\n' >c.tsv
expect_exit 0 ballot contacts import c.tsv

# --- off by default: a reply queues nothing -----------------------------------------------
expect_exit 0 ballot reply --circular 205 --member EGY --authorize
is "$(q "SELECT count(*) FROM outbox")" 0 "mail_receipts off (the default): no receipt queued"
refused "'2'" ballot config set mail_receipts 2
expect_exit 0 ballot config set mail_receipts 1
is "$(q "SELECT kind FROM events ORDER BY seq DESC LIMIT 1")" setting "mail_receipts 1: a setting event"

# --- ballot reply: queued in the reply's transaction ----------------------------------------
expect_exit 0 ballot reply --circular 205 --member CHE --authorize
che=$(q "SELECT max(seq) FROM events WHERE kind = 'reply'")
is "$(q "SELECT member || ' ' || what || ' ' || round || ' ' || state || ' ' || (message IS NULL) FROM outbox WHERE round = '$che'")" \
	"CHE receipt $che queued 1" "ballot reply: its receipt queued (round: the reply's event), not built yet"
expect_exit 0 ballot reply --circular 205 --member USA --authorize
is "$(q "SELECT count(*) FROM outbox WHERE member = 'USA'")" 0 "a member without a contact: no receipt queued"
n0=$(q "SELECT count(*) FROM outbox")
expect_exit 2 ballot reply --circular 205 --member GBR --authorize --received 2021-01-01T00:00:00Z
is "$(q "SELECT count(*) FROM outbox")" "$n0" "a reply refused: no receipt queued (one transaction)"

# --- reply --from-pdf ------------------------------------------------------------------------
expect_exit 0 ballot forms --circular 205 --member GBR,CHE --lang en --out "$T/f" --jobs 1
$PY "$HERE/fill-form.py" "$T/f/205/en/GBR.pdf" gbr.pdf draft.Q.5051.choice=authorize signatory.name="J. Smith"
expect_exit 0 ballot reply --from-pdf gbr.pdf --circular 205
gbr=$(q "SELECT max(seq) FROM events WHERE kind = 'reply'")
is "$(q "SELECT member || ' ' || state FROM outbox WHERE round = '$gbr'")" "GBR queued" "reply --from-pdf: its receipt queued"

# --- inbox accept ---------------------------------------------------------------------------
$PY "$HERE/fill-form.py" "$T/f/205/en/CHE.pdf" che.pdf draft.Q.5051.choice=not-authorize signatory.name="A. Muster"
mkdir -p md/new md/cur md/tmp
$PY - md che.pdf <<'PY'
import sys, email.message
m = email.message.EmailMessage()
m["From"], m["To"], m["Subject"], m["Message-ID"] = "secretariat@ofcom.admin.ch", "tsbsg@itu.int", "Reply", "<r1@ofcom.admin.ch>"
m["Received"] = "from mail.ofcom.admin.ch by mx.itu.int; Thu, 09 Jan 2020 10:00:00 +0000"
m.set_content("Our reply.\n")
m.add_attachment(open(sys.argv[2], "rb").read(), maintype="application", subtype="pdf", filename="che.pdf")
open(sys.argv[1] + "/new/1", "wb").write(bytes(m))
PY
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/md"
expect_exit 0 ballot inbox accept 1
acc=$(q "SELECT max(seq) FROM events WHERE kind = 'reply'")
is "$(q "SELECT member || ' ' || state FROM outbox WHERE round = '$acc'")" "CHE queued" "inbox accept: its receipt queued"

# --- the portal (its JSON API, a secretariat's write token) -----------------------------------
echo 'correct horse battery' >"$T/pw"
ballot users add --name tsb --role secretariat --password-file "$T/pw" >/dev/null
WRITE=$(ballot tokens create --user tsb --scope write 2>/dev/null)
dev_certs
serve_start "$T/serve.log" || { fail "the portal starts"; done_testing; exit; }
printf '%s' '{"member":"BRA","draft":"Q.5051","choice":"authorize","received":"2020-01-09T09:00:00Z","channel":"email","signatory":"A. Silva"}' >req.json
post - /api/v1/consultations/205/replies -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' \
	--data-binary @req.json
is "$ST" 201 "a reply through the portal's API: 201" || diag "$BODY"
bra=$(q "SELECT max(seq) FROM events WHERE kind = 'reply'")
is "$(q "SELECT member || ' ' || state FROM outbox WHERE round = '$bra'")" "BRA queued" "the portal's reply: its receipt queued"
serve_stop

# --- mail run: each queued receipt built, kept, sent once ----------------------------------------
relay_start "$T/relay" - || { echo "Bail out! the relay did not start"; cat "$T/relay/relay.log"; exit 1; }
PORT=$RELAY_PORT
relay_conf "$T/relay" "$PORT" mail.conf
expect_exit 0 ballot contacts remove --member BRA --address anatel@anatel.gov.br
at 2020-01-20T09:00:00Z
expect_exit 0 ballot --config mail.conf mail run
like "$ERR" "^warning: 1 member has no contact address, no message: BRA$" "a contact removed before the run: said"
$READ list "$T/relay/mbox" >list.tsv
is "$(wc -l <list.tsv)" 3 "three receipts arrived (CHE twice, GBR)"
is "$(q "SELECT state FROM outbox WHERE round = '$bra'")" failed "  ... BRA's: failed, not sent"
for r in "CHE $che fr" "GBR $gbr en" "CHE $acc fr"; do
	set -- $r
	line=$(grep -P "\t<ballot\.205\.receipt\.$1\." list.tsv | while IFS= read -r l; do
		f=$(printf '%s' "$l" | cut -f1)
		$READ body "$T/relay/mbox/$f" | grep -q "(event $2)\|(événement $2)\|$2" && printf '%s\n' "$l"
	done | head -n 1)
	ok "$1's receipt of event $2 arrived" test -n "$line"
	f=$(printf '%s' "$line" | cut -f1)
	expect_exit 0 ballot receipt show --event "$2"
	printf '%s\n' "$OUT" >want.json
	$READ part "$T/relay/mbox/$f" "receipt-205-$1-$2.json" got.json
	ok "  ... the signed receipt attached, byte for byte as receipt show issues it" cmp got.json want.json
	rm -f want.pdf "receipt-205-$1-$2.json"
	expect_exit 0 ballot receipt show --event "$2" --receipt "receipt-205-$1-$2.json" --pdf want.pdf --lang "$3"
	$READ part "$T/relay/mbox/$f" "receipt-205-$1-$2-$3.pdf" got.pdf
	ok "  ... and its PDF in the member's language ($3), as receipt show --pdf writes it" cmp got.pdf want.pdf
	is "$(q "SELECT state || ' ' || sha256 || ' ' || (message IS NOT NULL) FROM outbox WHERE round = '$2'")" \
		"sent $(printf '%s' "$line" | cut -f3) 1" "  ... sent, its bytes kept, hashed as they arrived"
done
like "$(grep -P '\t<ballot\.205\.receipt\.CHE\.' list.tsv | head -n 1 | cut -f5)" 'secretariat@ofcom.admin.ch' \
	"to the member's contact"
expect_exit 0 ballot --config mail.conf mail run
is "$(ls "$T/relay/mbox" | grep -c '\.eml$')" 3 "a second mail run sends nothing again"
is "$(q "SELECT count(*) FROM outbox WHERE state = 'queued'")" 0 "nothing left queued"
expect_exit 0 ballot check
done_testing
