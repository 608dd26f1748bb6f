#!/usr/bin/env bash
# 91-valgrind-mail-forms.t - the commands of sessions 12 and 13 are memory-clean and
# say what they should, as 13-valgrind.t checks the older ones (the same
# checker, tests/e2e/vg-lib.sh: valgrind's memcheck with leak check over the
# plain build, ASan + UBSan over build-asan/): draft set and text, reply
# --from-pdf (--dry-run, --json) and --from-scan, scan, receipt show --pdf,
# certs add --signing, tokens, contacts, mail send / outbox / schedule / run
# (a real SMTP relay on loopback, tests/e2e/smtp-relay.py), mail fetch from a
# Maildir and over IMAPS (a Dovecot of our own, as 76-mail-imap.t), inbox,
# members, status, tally, export, history, audit verify, check, keys show,
# receipt verify and config show: each with its expected exit, no checker
# report, and a refusal (exit 2, one "ballot: " line) of each. One database
# for the whole script; small inputs (valgrind is slow).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/vg-lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/scan-tick.sh"
. "$HERE/sign-lib.sh"

PY=/usr/bin/python3
need_tools certtool dovecot pdftoppm pdfinfo convert sqlite3 "$PY"
$PY -c 'import aiosmtpd, pypdf' 2>/dev/null || { echo "Bail out! python3-aiosmtpd and python3-pypdf are needed (make deps)"; exit 1; }
FILL="$PY $HERE/fill-form.py"

# --- the consultation (not checked: 13-valgrind.t runs these) -------------------
expect_exit 0 ballot init
setup_205
printf 'The text of the draft.\n' >text.txt
at 2019-12-03T12:00:00Z
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5052 --title "Second" --text text.txt
at 2020-01-10T09:00:00Z

# --- drafts ---------------------------------------------------------------------
vg 0 draft set --circular 205 --draft Q.5051 --title-fr "Cadre" --summary-fr "Un résumé."
vr 2 draft set --circular 205 --draft Q.9999 --title-fr "Titre"
vr 0 draft text --circular 205 --draft Q.5052
vr 2 draft text --circular 205 --draft Q.5051

# --- contacts -------------------------------------------------------------------
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\nFRA\tto\tconsult@anfr.example.fr\ten\nGBR\tto\tconsult@ofcom.example.org.uk\ten\n' >c.tsv
printf 'ZZZ\tto\tx@example.org\ten\n' >bad-c.tsv
vg 0 contacts import c.tsv
vr 2 contacts import bad-c.tsv
vr 0 contacts list --json
vg 0 contacts set --member DEU --address tsb-contact@bnetza.de --lang en --name BNetzA
vr 2 contacts set --member DEU --address other@bnetza.de --lang xx
vg 0 contacts remove --member DEU --address tsb-contact@bnetza.de
vr 2 contacts remove --member DEU --address nobody@bnetza.de

# --- API tokens -----------------------------------------------------------------
printf 'correct horse battery staple\n' >pw.txt
expect_exit 0 ballot users add --name tsb --role secretariat --password-file pw.txt
vg 0 tokens create --user tsb --scope write
vr 2 tokens create --user nobody
vr 0 tokens list --json
vg 0 tokens revoke 1
vr 2 tokens revoke 1

# --- signing certificates -------------------------------------------------------
# Jane's self-signed certificate in an NSS database (pdfsig signs with it)
nss_init
nss_cert jane "CN=Jane Doe,O=OFCOM,C=CH" "u,u,u" -x && nss_export jane || { echo "Bail out! certutil failed"; exit 1; }
printf 'not a certificate\n' >junk.pem
vg 0 certs add --member CHE --signing jane.pem
vr 2 certs add --member CHE --signing junk.pem

# --- reply --from-pdf -----------------------------------------------------------
expect_exit 0 ballot forms --circular 205 --member CHE,FRA --lang en --out f --jobs 1
$FILL f/205/en/CHE.pdf filled.pdf draft.Q.5051.choice=authorize draft.Q.5052.choice=not-authorize \
	signatory.name="Jane Doe" signatory.title=Director || fail "the CHE form is filled"
pdf_sign jane filled.pdf signed.pdf >/dev/null 2>&1 || fail "pdfsig signs the form"
printf 'not a pdf\n' >junk.pdf
vr 0 reply --from-pdf filled.pdf --circular 205 --dry-run
vr 0 reply --from-pdf signed.pdf --circular 205 --dry-run --json
vr 2 reply --from-pdf junk.pdf --circular 205
vg 0 reply --from-pdf signed.pdf --circular 205 --received 2020-01-09T15:00:00Z
like "$(cat "$T/.vg.out")" 'signed by CN=Jane Doe,O=OFCOM,C=CH \(verified' "  ... the signer verified"
SEQ=$(sqlite3 "$BALLOT_DB" "SELECT max(event_seq) FROM replies")

# --- scan and reply --from-scan -------------------------------------------------
FRA=f/205/en/FRA.pdf
ok "the FRA form ticked at 100 dpi" tick "$FRA" 1 100 "$T/fra.png" 1 0 Q.5051=not-authorize:cross Q.5052=authorize:check
printf 'not an image\n' >text.png
vr 0 scan fra.png
vr 0 scan --json fra.png
vr 2 scan text.png
vg 0 reply --from-scan fra.png --circular 205 --channel fax
vr 2 reply --from-scan text.png --circular 205

# --- receipts -------------------------------------------------------------------
vg 0 receipt show --event "$SEQ" --pdf r.pdf --lang en
vr 2 receipt show --event 1 --pdf x.pdf
"$BALLOT_BIN" receipt show --event "$SEQ" >r.json 2>/dev/null
"$BALLOT_BIN" keys show >pub.txt 2>/dev/null
sed 's/"CHE"/"PRT"/' r.json >bad.json
vr 0 receipt verify r.json --key pub.txt
vr 2 receipt verify bad.json --key pub.txt
vr 2 keys show --key nosuch.key

# --- mail send, outbox, schedule, run (a real relay on loopback) ------------------
. "$HERE/relay-lib.sh"
relay_start "$T" - || { echo "Bail out! the relay did not start"; cat relay.log; exit 1; }
SMTP_PORT=$RELAY_PORT
relay_conf "$T" "$SMTP_PORT" mail.conf
vg 0 --config mail.conf mail send --circular 205 --what circular --member CHE
vr 2 --config mail.conf mail send --circular 205 --what letter
is "$(ls "$T/mbox" | grep -c '\.eml$')" 1 "  ... the circular reached the relay"
vr 0 mail outbox
vr 2 mail outbox --bad
vg 0 mail schedule --circular 205 --reminders 2,14,7
vr 2 mail schedule --circular 205 --reminders 14,400
at 2020-02-10T12:00:00Z
vg 0 --config mail.conf mail run
like "$(cat "$T/.vg.out")" '^205 reminder: 1 message queued, 1 sent' "  ... mail run sent the T-14 reminder"
vr 2 --config mail.conf mail run --mail-relay "http://127.0.0.1:$SMTP_PORT"
relay_stop
at 2020-01-20T09:00:00Z

# --- mail fetch from a Maildir, and the inbox ---------------------------------------
MD="$T/Maildir"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
$PY - "$MD" filled.pdf <<'PY' || fail "the messages are written"
import sys, email.message, os
md, pdf = sys.argv[1:3]
def msg(name, frm, mid, att=True):
    m = email.message.EmailMessage()
    m["Received"] = "from mail.ofcom.admin.ch by mx.itu.int; Tue, 14 Jan 2020 10:00:00 +0000"
    m["From"], m["To"], m["Subject"], m["Message-ID"] = frm, "tsbsg@itu.int", "Reply", mid
    m.set_content("Please find our reply attached.\n")
    if att:
        m.add_attachment(open(pdf, "rb").read(), maintype="application", subtype="pdf", filename="form.pdf")
    open(os.path.join(md, "new", name), "wb").write(bytes(m))
msg("01-filled", "OFCOM <secretariat@ofcom.admin.ch>", "<m1@ofcom.admin.ch>")
msg("02-none", "Someone <someone@example.org>", "<m2@example.org>", False)
PY
vg 0 mail fetch --mailbox "maildir:$MD"
vr 2 mail fetch --mailbox "maildir:$T/nowhere"
vr 0 inbox list --json
vr 0 inbox show 1
vg 0 inbox accept 1
vr 2 inbox accept 2
vr 2 inbox reject 2
vg 0 inbox reject 2 --reason "not a reply"

# --- mail fetch over IMAPS from a Dovecot of our own ----------------------------------
D="$T/dv"
chmod o+x "$T" # the dovecot user reaches its mailbox under $T
. "$HERE/dovecot-lib.sh"
trap 'dovecot_stop; _cleanup' EXIT
dovecot_start "$D" - || fail "dovecot started on 127.0.0.1:$DOVECOT_PORT"
IMAP_PORT=$DOVECOT_PORT
ok "a message appended over IMAPS" $PY - "$IMAP_PORT" "$D/ca.pem" <<'PY'
import sys, imaplib, ssl, email.message
M = imaplib.IMAP4_SSL("localhost", int(sys.argv[1]), ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
M.login("sec", "s3cret")
m = email.message.EmailMessage()
m["From"], m["To"], m["Subject"], m["Message-ID"] = "secretariat@ofcom.admin.ch", "tsbsg@itu.int", "Hello", "<i1@ofcom.admin.ch>"
m.set_content("No form here.\n")
assert M.append("INBOX", None, imaplib.Time2Internaldate(1579341600), bytes(m))[0] == "OK"
M.logout()
PY
echo s3cret >imap-pw
echo wrong >imap-badpw
chmod 600 imap-pw imap-badpw
imap_conf() { # imap_conf FILE PASSWORD-FILE
	printf 'mail_mailbox = imaps://localhost:%s/INBOX\nmail_user = sec\nmail_password_file = %s\nmail_ca = %s\n' \
		"$IMAP_PORT" "$T/$2" "$D/ca.pem" >"$1"
	chmod 600 "$1"
}
imap_conf imap.conf imap-pw
imap_conf imap-bad.conf imap-badpw
vg 2 --config imap-bad.conf mail fetch
like "$(cat "$T/.vg.err")" 'Login denied' "  ... a wrong password: the server's refusal"
vg 0 --config imap.conf mail fetch
like "$(cat "$T/.vg.out")" '^entry 3: unmatched' "  ... the message taken"
dovecot_stop

# --- the reading commands -----------------------------------------------------------
vr 0 members
vr 2 members --bad
vr 0 status --json
vr 2 status --circular 999
vr 0 tally --circular 205 --json
vr 2 tally --circular 999 --json
vr 0 export --circular 205 --format json
vr 2 export --circular 205 --format xml
vr 0 history --circular 205
vr 2 history --circular 999
vr 0 audit verify
vr 2 audit verify --bad
vr 0 check
vr 2 check --bad
vr 0 --config mail.conf config show
vr 2 --config mail.conf config show --bad
done_testing
