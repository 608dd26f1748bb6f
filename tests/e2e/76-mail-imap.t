#!/bin/bash
# 76-mail-imap.t - `ballot mail fetch` over IMAP with TLS from a real
# Dovecot on loopback (started here as the dovecot users, with a
# configuration and a certificate the test writes): the messages APPENDed
# by the test with their INTERNALDATE, the received time the server's,
# a 30 MB message refused at the default cap, a scan (a PNG of a form
# ticked by hand) read by its QR code and boxes, each taken once.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/scan-tick.sh"
export MAGICK_THREAD_LIMIT=1

PY=/usr/bin/python3
for tool in dovecot certtool pdftoppm convert; do
	command -v "$tool" >/dev/null || { fail "$tool is installed (tests/deps.sh)"; done_testing; exit; }
done
$PY -c 'import pypdf' 2>/dev/null || { fail "python3-pypdf is installed (tests/deps.sh)"; done_testing; exit; }

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$PY "$HERE/fill-form.py" "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=not-authorize
ok "CHE's form printed, ticked by hand and scanned (150 dpi PNG)" \
	tick "$T/f/205/en/CHE.pdf" 1 150 "$T/scan.png" 0 0 Q.5051=authorize:cross

# --- a Dovecot of our own ----------------------------------------------------
D="$T/dv"
chmod o+x "$T"   # the dovecot user reaches its mailbox under $T
. "$HERE/dovecot-lib.sh"
trap 'dovecot_stop; _cleanup' EXIT
dovecot_start "$D" - || { fail "dovecot started on 127.0.0.1:$DOVECOT_PORT"; cat "$D/log" 2>/dev/null; done_testing; exit; }
PORT=$DOVECOT_PORT
certtool --generate-privkey --key-type ecdsa --outfile "$D/other.key" 2>/dev/null
certtool --generate-self-signed --load-privkey "$D/other.key" --template "$D/ca.tmpl" --outfile "$D/other.pem" 2>/dev/null

# --- the messages, APPENDed with the server's receipt time -------------------
cat >"$T/append.py" <<'PY'
import sys, imaplib, ssl, email.message, os
port, ca, filled = int(sys.argv[1]), sys.argv[2], sys.argv[3]
M = imaplib.IMAP4_SSL("localhost", port, ssl_context=ssl.create_default_context(cafile=ca))
M.login("sec", "s3cret")
def put(frm, mid, when, att=None, name=None, received=None):
    m = email.message.EmailMessage()
    if received:
        m["Received"] = "from elsewhere by mx.example.org; " + received
    m["From"], m["To"], m["Subject"], m["Message-ID"] = frm, "tsbsg@itu.int", "Reply", mid
    m["Date"] = "Wed, 01 Jan 2020 08:00:00 +0000"
    m.set_content("Our reply.\n")
    if att is not None:
        kind = ("image", "png") if name.endswith(".png") else \
            ("application", "pdf" if name.endswith(".pdf") else "octet-stream")
        m.add_attachment(att, maintype=kind[0], subtype=kind[1], filename=name)
    typ, _ = M.append("INBOX", None, imaplib.Time2Internaldate(when), bytes(m))
    assert typ == "OK"
which = sys.argv[4]
if which == "first":
    # a Received header claiming another time: INTERNALDATE stands
    put("OFCOM <secretariat@ofcom.admin.ch>", "<i1@ofcom.admin.ch>", 1579341600, open(filled, "rb").read(),
        "reply.pdf", received="Mon, 30 Dec 2019 10:00:00 +0000")
    put("secretariat@ofcom.admin.ch", "<i2@ofcom.admin.ch>", 1579345200, os.urandom(30 * 1024 * 1024), "scan.bin")
else:
    put("secretariat@ofcom.admin.ch", "<i3@ofcom.admin.ch>", 1579431600)
    put("secretariat@ofcom.admin.ch", "<i4@ofcom.admin.ch>", 1579435200, open(sys.argv[5], "rb").read(), "scan.png")
M.logout()
PY
ok "two messages appended over IMAPS" $PY "$T/append.py" "$PORT" "$D/ca.pem" "$T/filled.pdf" first

echo s3cret >"$T/pw"
chmod 600 "$T/pw"
conf() { # conf CA PASSWORD-FILE
	printf 'mail_mailbox = imaps://localhost:%s/INBOX\nmail_user = sec\nmail_password_file = %s\nmail_ca = %s\n' \
		"$PORT" "$2" "$1" >"$T/ballot.conf"
	chmod 600 "$T/ballot.conf"
}
export BALLOT_CONFIG="$T/ballot.conf"

# refusals first: a server we do not trust, a wrong password; nothing taken
conf "$D/other.pem" "$T/pw"
expect_exit 1 ballot mail fetch
like "$ERR" "^ballot: --mail-mailbox: 'imaps://localhost:$PORT/INBOX': .*(certificate|SSL|TLS|verif)" \
	"an untrusted server: refused, naming the mailbox"
echo wrong >"$T/badpw"
chmod 600 "$T/badpw"
conf "$D/ca.pem" "$T/badpw"
run ballot mail fetch
isnt "$RC" 0 "a wrong password: refused"
like "$ERR" "^ballot: --mail-mailbox: 'imaps://localhost:$PORT/INBOX': Login denied$" "  ... naming the mailbox"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM inbox")" 0 "nothing taken"

conf "$D/ca.pem" "$T/pw"
expect_exit 0 ballot mail fetch
like "$OUT" "^entry 1: matched 205$" "the returned form: matched"
like "$OUT" "^entry 2: refused: field size: [0-9]+ bytes, over mail_max_message 26214400" \
	"a 30 MB message: refused at the default cap"
is "$(sqlite3 "$BALLOT_DB" "SELECT received_by, received_at FROM inbox WHERE id = 1")" "internaldate|1579341600" \
	"received time: the server's INTERNALDATE, not the Received or Date header"
is "$(sqlite3 "$BALLOT_DB" "SELECT length(message) <= 65536, size > 30000000, (SELECT count(*) FROM inbox_parts WHERE inbox_id = 2) FROM inbox WHERE id = 2")" \
	"1|1|0" "the 30 MB message: its first 64 KiB kept, no attachment stored"

expect_exit 0 ballot mail fetch
like "$OUT" "^fetched 0 new messages" "fetched again: nothing taken twice"
ok "two more messages appended, one with a scan" $PY "$T/append.py" "$PORT" "$D/ca.pem" "$T/filled.pdf" second "$T/scan.png"
expect_exit 0 ballot mail fetch
like "$OUT" "^entry 3: unmatched" "only the new ones are taken: no attachment, unmatched"
like "$OUT" "^entry 4: matched 205: read from a scan$" "  ... the scan: matched by its QR code"
expect_exit 0 ballot inbox show 4
like "$OUT" "member CHE: Q\.5051=authorize$" "  ... the box ticked on paper read: CHE authorizes Q.5051"

at 2020-01-25T09:00:00Z
expect_exit 0 ballot inbox accept 1
is "$(sqlite3 "$BALLOT_DB" "SELECT choice, received FROM replies")" "not-authorize|1579341600" \
	"accepted: the reply received at the server's receipt time"

dovecot_stop
expect_exit 1 ballot mail fetch
like "$ERR" "^ballot: --mail-mailbox: 'imaps://localhost:$PORT/INBOX': .*connect" "the mailbox gone: one line naming it (exit 1, as mail send's relay)"
done_testing
