#!/bin/bash
# 75-mail-fetch.t - `ballot mail fetch` from a Maildir filled by
# the test (messages built with Python's email module), and `ballot inbox`:
# matched, unmatched and refused entries, never lost, never taken twice;
# accept records the form's replies at the secretariat's receipt time (the
# top Received header, never the sender's Date: §9.4.5).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { fail "python3-pypdf is installed (tests/deps.sh)"; done_testing; exit; }

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\nEGY\tto\tntra@ntra.gov.eg\tar\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize signatory.name="Jane Doe" \
	signatory.title=Director
$FILL "$T/f/205/en/CHE.pdf" "$T/other.pdf" draft.Q.5051.choice=authorize \
	form.reference=ballot:999:CHE:en:0123456789abcdef

MD="$T/Maildir"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
cat >"$T/mk.py" <<'PY'
import sys, email.message, email.utils, os
md, filled, other = sys.argv[1:4]
def msg(name, frm, mid, pdf=None, pdfname="form.pdf", received="Tue, 14 Jan 2020 10:00:00 +0000"):
    m = email.message.EmailMessage()
    if received:
        m["Received"] = "from mail.ofcom.admin.ch by mx.itu.int with ESMTPS; " + received
    m["From"] = frm
    m["To"] = "tsbsg@itu.int"
    m["Subject"] = "Reply to circular 205"
    m["Date"] = "Wed, 01 Jan 2020 08:00:00 +0000"   # the sender's clock: never used
    m["Message-ID"] = mid
    m.set_content("Please find our reply attached.\n")
    if pdf:
        m.add_attachment(open(pdf, "rb").read(), maintype="application", subtype="pdf", filename=pdfname)
    open(os.path.join(md, "new", name), "wb").write(bytes(m))
msg("01-filled", "OFCOM <secretariat@ofcom.admin.ch>", "<m1@ofcom.admin.ch>", filled)
msg("02-other", "OFCOM <secretariat@ofcom.admin.ch>", "<m2@ofcom.admin.ch>", other)
msg("03-none", "OFCOM <secretariat@ofcom.admin.ch>", "<m3@ofcom.admin.ch>", received=None)
msg("04-stranger", "Someone <someone@example.org>", "<m4@example.org>", filled)
msg("05-same-id", "OFCOM <secretariat@ofcom.admin.ch>", "<m1@ofcom.admin.ch>", filled, "again.pdf")
open(os.path.join(md, "new", "06-malformed"), "wb").write(
    b"From: x@y\r\nContent-Type: multipart/mixed; boundary=\"b\r\nMessage-ID: <m6@y>\r\n\r\n--b\r\n"
    b"Content-Type: application/pdf; name=\"f.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"%%%%not base64\x00\xff\xfe\r\n--b--garbage\r\n")
bomb = "From: x@y\nMessage-ID: <m7@y>\n"
for i in range(100):
    bomb += 'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i)
bomb += "Content-Type: text/plain\n\nhi\n"
open(os.path.join(md, "new", "07-bomb"), "w").write(bomb)
m = email.message.EmailMessage()
m["From"] = "secretariat@ofcom.admin.ch"; m["Message-ID"] = "<m8@ofcom.admin.ch>"; m["Subject"] = "big"
m.set_content("big\n")
m.add_attachment(os.urandom(300000), maintype="application", subtype="octet-stream", filename="big.bin")
open(os.path.join(md, "new", "08-big"), "wb").write(bytes(m))
PY
$PY "$T/mk.py" "$MD" "$T/filled.pdf" "$T/other.pdf" || fail "the messages are built"
touch -d 2020-01-15T08:00:00Z "$MD/new/03-none"

printf 'mail_max_message = 200000\n' >"$T/ballot.conf"
chmod 600 "$T/ballot.conf"
export BALLOT_CONFIG="$T/ballot.conf"

expect_exit 2 ballot mail fetch --mailbox "maildir:$T/nowhere"
like "$ERR" "mail_mailbox: 'maildir:$T/nowhere': no new/ directory" "a missing mailbox: one line naming it"
expect_exit 2 ballot mail fetch --mailbox "imap:/x"
like "$ERR" "mail_mailbox: 'imap:/x' is not maildir:/path" "a mailbox of no known kind"

export BALLOT_MAIL_MAILBOX="maildir:$MD"
expect_exit 0 ballot mail fetch
like "$OUT" "^fetched 8 new messages \\(0 taken already\\)" "eight messages taken"
like "$OUT" "^entry 1: matched 205$" "the filled form from the member's contact: matched"
like "$OUT" "^entry 2: refused: field form.reference 'ballot:999:CHE:en:0123456789abcdef': a form for circular 999" \
	"a form for another circular: refused naming the field and value"
like "$OUT" "^entry 3: unmatched: no returned form" "no attachment: unmatched"
like "$OUT" "^entry 4: refused: field From 'someone@example.org': not a contact of CHE" "a stranger: refused"
like "$OUT" "^entry 5: refused: field Message-ID '<m1@ofcom.admin.ch>': taken already as entry 1" \
	"the same Message-ID again: refused, kept"
like "$OUT" "^entry 6: (unmatched|refused)" "malformed MIME: kept, no crash"
like "$OUT" "^entry 7: refused: field Content-Type: more than 32 multipart parts \\(a MIME bomb\\)" "a MIME bomb: refused"
like "$OUT" "^entry 8: refused: field size: [0-9]+ bytes, over mail_max_message 200000" "oversized: refused"
is "$(ls "$MD/new" | wc -l) $(ls "$MD/cur" | wc -l)" "0 8" "the messages moved to cur/"

q() { sqlite3 "$BALLOT_DB" "$1"; }
is "$(q "SELECT length(message) <= 65536, kept, size > 200000 FROM inbox WHERE id = 8")" "1|0|1" \
	"the oversized message: not stored beyond its first 64 KiB"
is "$(q "SELECT count(*) FROM inbox_parts WHERE inbox_id = 8")" 0 "nor its attachment"
is "$(q "SELECT sender || '|' || subject || '|' || message_id FROM inbox WHERE id = 8")" \
	"secretariat@ofcom.admin.ch|big|<m8@ofcom.admin.ch>" \
	"  ... its From, Subject and Message-ID, read from the headers within the 64 KiB kept"
is "$(q "SELECT sha256 FROM inbox_parts WHERE inbox_id = 1")" "$(sha256sum <"$T/filled.pdf" | cut -d' ' -f1)" \
	"the form kept byte for byte, hashed"
is "$(q "SELECT count(*) FROM inbox WHERE sha256 = '$(sha256sum <"$MD/cur/01-filled:2,S" | cut -d' ' -f1)'")" 1 \
	"the raw message kept, by its SHA-256"

# never taken twice: put the same files back in new/
for f in "$MD"/cur/*; do b=$(basename "$f"); cp "$f" "$MD/new/${b%:2,S}"; done
expect_exit 0 ballot mail fetch
like "$OUT" "^fetched 0 new messages \\(8 taken already\\)" "a second fetch takes nothing again"
is "$(q "SELECT count(*) FROM inbox")" 8 "still eight entries"

expect_exit 0 ballot inbox list --json
like "$OUT" '"entry":1,"state":"matched"' "list --json"
like "$OUT" '"received":"2020-01-14T10:00:00Z","received_by":"received"' \
	"received time: the top Received header, not the sender's Date"
like "$OUT" '"entry":3,.*"received":"2020-01-15T08:00:00Z","received_by":"file"' \
	"no Received header: the file's delivery time"
expect_exit 0 ballot inbox show 1
like "$OUT" "circular 205, member CHE: Q.5051=authorize" "show: the proposed choices"

# bad input: one line, exit 2, nothing changed
events0=$(q "SELECT max(seq) FROM events")
expect_exit 2 ballot inbox accept 3
like "$ERR" "inbox: entry 3 is unmatched: only a matched entry is accepted" "unmatched: not accepted"
expect_exit 2 ballot inbox accept 99
like "$ERR" "no entry 99 in the inbox" "no such entry"
expect_exit 2 ballot inbox accept x1
like "$ERR" "inbox: 'x1' is not an entry number" "not a number"
expect_exit 2 ballot inbox reject 2
like "$ERR" "reason" "reject needs a reason"
is "$(q "SELECT max(seq) FROM events")" "$events0" "nothing recorded"

at 2020-01-20T09:00:00Z
expect_exit 0 ballot inbox accept 1
like "$OUT" "entry 1 accepted: form form.pdf attached" "accepted"
is "$(q "SELECT r.received, r.channel, r.signatory FROM replies r")" "$(date -ud 2020-01-14T10:00:00Z +%s)|email|Jane Doe" \
	"the reply: received at the server's receipt time, by e-mail, signed by the form's signatory"
is "$(q "SELECT a.sha256 FROM attachments a WHERE a.role = 'form'")" "$(sha256sum <"$T/filled.pdf" | cut -d' ' -f1)" \
	"the form attached to the reply"
is "$(q "SELECT kind FROM events ORDER BY seq DESC LIMIT 2" | tr '\n' ' ')" "inbox-accept reply " \
	"one reply event and the inbox-accept event"
expect_exit 2 ballot inbox accept 1
like "$ERR" "entry 1 is accepted" "accepted once"
# a form authorized with comments: the message's other document goes with it
expect_exit 0 ballot forms --circular 205 --member EGY --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/EGY.pdf" "$T/egy.pdf" draft.Q.5051.choice=authorize-with-comments signatory.name="A. Said"
printf 'Our comments on Q.5051.\n' >"$T/comments.txt"
$PY - "$MD" "$T/egy.pdf" "$T/comments.txt" <<'PY'
import sys, email.message, os
m = email.message.EmailMessage()
m["Received"] = "from mail.ntra.gov.eg by mx.itu.int; Thu, 16 Jan 2020 11:00:00 +0000"
m["From"], m["Message-ID"], m["Subject"] = "ntra@ntra.gov.eg", "<e1@ntra.gov.eg>", "Reply"
m.set_content("Reply and comments attached.\n")
m.add_attachment(open(sys.argv[2], "rb").read(), maintype="application", subtype="pdf", filename="EGY.pdf")
m.add_attachment(open(sys.argv[3], "rb").read(), maintype="text", subtype="plain", filename="comments.txt")
open(os.path.join(sys.argv[1], "new", "09-egy"), "wb").write(bytes(m))
PY
expect_exit 0 ballot mail fetch
like "$OUT" "^entry 9: matched 205$" "EGY's form with comments: matched"
expect_exit 0 ballot inbox accept 9
is "$(q "SELECT a.role || ' ' || a.name FROM attachments a JOIN replies r ON r.id = a.reply_id WHERE r.member = 'EGY' ORDER BY a.role" | tr '\n' ',')" \
	"comments comments.txt,form EGY.pdf," "the comments attached with the form"

# a reason is read back by people: no control, bidirectional or invisible character
refused_like "reason: not valid UTF-8 or has control characters" ballot inbox reject 2 --reason "$(printf 'a\001')"
refused_like "reason: .*U\+202E" ballot inbox reject 2 --reason "$(printf 'x\342\200\256evil')"
expect_exit 0 ballot inbox reject 2 --reason "form for a circular we do not run"
is "$(q "SELECT state, done_reason FROM inbox WHERE id = 2")" "rejected|form for a circular we do not run" "rejected"
is "$(q "SELECT kind FROM events ORDER BY seq DESC LIMIT 1")" "inbox-reject" "an inbox-reject event"
# malformed MIME never crashes: 80 messages cut and corrupted from a real one
# (a seeded generator), each kept as an entry
mkdir -p "$T/M2/new" "$T/M2/cur" "$T/M2/tmp"
$PY - "$MD/cur/01-filled:2,S" "$T/M2/new" <<'PY'
import sys, random, os
src = open(sys.argv[1], "rb").read()
rnd = random.Random(18)
for i in range(80):
    b = bytearray(src[:rnd.randrange(1, len(src))])
    for _ in range(rnd.randrange(0, 40)):
        k = rnd.randrange(len(b))
        b[k] = rnd.choice(b'-=:;"\r\n\x00\xff{}<>') if rnd.random() < 0.7 else rnd.randrange(256)
    if i % 5 == 0:
        b = b.replace(b"boundary=", b"boundary=" + b"x" * rnd.randrange(1, 2000), 1)
    if i % 7 == 0:
        b += b"\r\n--" * rnd.randrange(1, 3000)
    open(os.path.join(sys.argv[2], "m%03d" % i), "wb").write(bytes(b))
PY
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/M2"
like "$OUT" "^fetched 80 new messages" "80 damaged messages: each taken, none crashes"
is "$(q "SELECT count(*) FROM inbox WHERE state NOT IN ('matched', 'unmatched', 'refused', 'accepted', 'rejected')")" 0 \
	"  ... each in a state of the queue"

# killed in the middle (kill -9 at random points), a fetch loses nothing and
# takes nothing twice: each of 60 messages ends in the inbox exactly once
mkdir -p "$T/M3/new" "$T/M3/cur" "$T/M3/tmp"
$PY - "$T/M3/new" <<'PY'
import sys, email.message, os, random
rnd = random.Random(7)
for i in range(60):
    m = email.message.EmailMessage()
    m["From"], m["Message-ID"], m["Subject"] = "ntra@ntra.gov.eg", "<k%d@ntra.gov.eg>" % i, "k %d" % i
    m.set_content("message %d\n" % i)
    m.add_attachment(rnd.randbytes(40000), maintype="application", subtype="octet-stream", filename="k.bin")
    open(os.path.join(sys.argv[1], "k%03d" % i), "wb").write(bytes(m))
PY
before=$(q "SELECT count(*) FROM inbox")
kills=0
RANDOM=75 # the kill times drawn the same each run (seeded)
for i in $(seq 12); do
	"$BALLOT_BIN" mail fetch --mailbox "maildir:$T/M3" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
done
diag "mail fetch killed $kills times of 12 before it ended; $(($(q "SELECT count(*) FROM inbox") - before)) of 60 taken by then"
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/M3"
is "$(q "SELECT count(*), count(DISTINCT message_id), count(DISTINCT sha256) FROM inbox WHERE message_id LIKE '<k%'")" "60|60|60" \
	"after the kills: 60 entries, one per message"
is "$(q "SELECT count(*) FROM inbox WHERE message_id LIKE '<k%' AND state <> 'unmatched'")" 0 "  ... each unmatched, none refused"
is "$(ls "$T/M3/new" | wc -l)" 0 "  ... and none left in new/"

# what is no delivered message is left in new/ with a warning, and the rest is
# fetched: a link, a directory; an empty file is an entry, refused
mkdir -p "$T/M4/new" "$T/M4/cur" "$T/M4/tmp" "$T/M4/new/adir"
ln -s /etc/passwd "$T/M4/new/link"
: > "$T/M4/new/empty"
cp "$MD/cur/01-filled:2,S" "$T/M4/new/zz-copy"
sed -i 's/^Message-ID: <[^>]*>/Message-ID: <m4-copy@test>/I' "$T/M4/new/zz-copy"
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/M4"
like "$ERR" "'$T/M4/new/link' left in new/: not a readable regular file" "a link in new/: left there, with a warning"
like "$ERR" "'$T/M4/new/adir' left in new/" "  ... a directory too"
unlike "$ERR" "CRITICAL" "  ... and an empty file raises no GMime assertion"
is "$(q "SELECT state || ' ' || reason FROM inbox WHERE size = 0")" "refused field message: empty (0 bytes)" \
	"an empty file: an entry, refused, naming why"
is "$(ls "$T/M4/new" | sort | tr '\n' ' ')" "adir link " "  ... the link and the directory left in new/, the rest taken"

expect_exit 0 ballot check
expect_exit 0 ballot audit verify
done_testing
