#!/bin/bash
# mail.sh - `make bench`: the mailroom's figures (issue 18), printed, never
# asserted, against the real servers the tests use on loopback:
#   1. `ballot mail send --what circular` to the 193 members of the
#      electorate, each with a contact: one message per member with its
#      Annex 2 form and the blank one attached, submitted to
#      tests/e2e/smtp-relay.py (aiosmtpd, STARTTLS + AUTH, each message
#      fsynced before its 250): messages/s;
#   2. `ballot mail fetch` of MAIL_BENCH_FETCH messages (default 1 000),
#      each a reply with the member's filled form attached (~30 KB), from a
#      Maildir, then the same messages over IMAPS from Dovecot (started by
#      tests/e2e/dovecot-lib.sh, APPENDed there first): messages/s. Each
#      fetch is checked to have taken every message matched.
# Wall clock and CPU (user + system of ballot) of each whole command.
# Usage: mail.sh [BALLOT_BINARY] (default build/ballot)
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$REPO/build/ballot}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
N=${MAIL_BENCH_FETCH:-1000}
PY=/usr/bin/python3
E2E=$REPO/tests/e2e
for tool in certtool dovecot; do
	command -v "$tool" >/dev/null || { echo "mail bench: $tool is not installed (make deps)" >&2; exit 1; }
done
$PY -c 'import aiosmtpd, pypdf' || { echo "mail bench: python3-aiosmtpd and python3-pypdf are needed (make deps)" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ballot-bench-mail.XXXXXX")
chmod o+x "$TMP"   # the dovecot user reaches its mailbox under $TMP
. "$E2E/dovecot-lib.sh"
. "$E2E/relay-lib.sh"
cleanup() {
	relay_stop || true
	dovecot_stop || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$TMP"
: >ballot.conf
export BALLOT_DB=$TMP/mail.db BALLOT_CONFIG=$TMP/ballot.conf BALLOT_ACTOR=bench:secretariat
b() { "$BIN" "$@"; }
free_port() {
	perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1",
		LocalPort => 0, Proto => "tcp", ReuseAddr => 1)->sockport, "\n"'
}
# timed LABEL COUNT CMD...: runs CMD, prints COUNT/s by wall clock and the
# CPU seconds of the command (its user + system, from /usr/bin/time)
timed() {
	local label=$1 count=$2
	shift 2
	local t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$TMP/cpu" "$@" >"$TMP/out" 2>"$TMP/err" || {
		echo "mail bench: $label: $* failed:" >&2; cat "$TMP/err" >&2; exit 1; }
	t1=$(date +%s.%N)
	awk -v l="$label" -v n="$count" -v a="$t0" -v z="$t1" '{ printf "%s: %d messages in %.2f s wall (%.0f/s), %.2f s CPU\n", l, n, z - a, n / (z - a), $1 + $2 }' "$TMP/cpu"
}

# --- a consultation, 193 members with a contact each -------------------------
export BALLOT_NOW=2019-12-02T12:00:00Z
b init >/dev/null
b consultation create --circular 205 --group 11 --meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02 >/dev/null
b draft add --summary S --circular 205 --rec Q.5051 --title "Framework for combating the use of stolen mobile devices" >/dev/null
export BALLOT_NOW=2020-01-10T09:00:00Z
langs=(en fr es ru zh ar)
b members --json | $PY -c '
import json, sys
langs = sys.argv[1:]
ms = json.load(sys.stdin)
ms = ms["members"] if isinstance(ms, dict) else ms
for i, m in enumerate(ms):
    c = m["code"] if isinstance(m, dict) else m
    print("%s\tto\tconsult-%s@admin-%s.example.org\t%s\tAdministration %s" % (c, c.lower(), c.lower(), langs[i % 6], c))
' "${langs[@]}" >contacts.tsv
members=$(wc -l <contacts.tsv)
b contacts import contacts.tsv >/dev/null

# --- 1. mail send: the circular to every member ------------------------------
SMTP_PORT=$(free_port)
relay_start "$TMP/relay" "$SMTP_PORT" || { echo "mail bench: the relay did not start" >&2; cat "$TMP/relay/relay.log" >&2; exit 1; }
relay_conf "$TMP/relay" "$SMTP_PORT" ballot.conf
echo "mail bench: load average $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
timed "mail send circular (2 PDFs each)" "$members" "$BIN" mail send --circular 205 --what circular
arrived=$(ls relay/mbox | grep -c '\.eml$' || true)
[ "$arrived" = "$members" ] || { echo "mail bench: $arrived of $members messages arrived" >&2; exit 1; }
size=$(du -sk relay/mbox | cut -f1)
echo "  $members messages arrived, $((size / members)) KB each on average"
timed "mail send reminder (no attachment)" "$members" "$BIN" mail send --circular 205 --what reminder
relay_stop

# --- 2. mail fetch: N replies from a Maildir, then over IMAPS ----------------
b forms --circular 205 --member CHE --lang fr --out "$TMP/f" --jobs 1 >/dev/null 2>&1
$PY "$E2E/fill-form.py" "$TMP/f/205/fr/CHE.pdf" filled.pdf draft.Q.5051.choice=not-authorize
cat >gen.py <<'PY'
import sys, os, email.message, email.utils, imaplib, ssl
how, n, filled = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
def msg(i):
    m = email.message.EmailMessage()
    m["From"] = "Administration CHE <consult-che@admin-che.example.org>"
    m["To"], m["Subject"] = "tsbsg@itu.int", "Reply %d" % i
    m["Message-ID"] = "<bench-%d-%s@admin-che.example.org>" % (i, how)
    m["Date"] = "Fri, 10 Jan 2020 08:00:00 +0000"
    m.set_content("Our reply.\n")
    m.add_attachment(filled, maintype="application", subtype="pdf", filename="reply-%d.pdf" % i)
    return bytes(m)
if how == "maildir":
    d = sys.argv[4]
    for i in range(n):
        with open(os.path.join(d, "new", "%d.bench:2," % i), "wb") as f:
            f.write(msg(i))
else:
    M = imaplib.IMAP4_SSL("localhost", int(sys.argv[4]), ssl_context=ssl.create_default_context(cafile=sys.argv[5]))
    M.login("sec", "s3cret")
    for i in range(n):
        assert M.append("INBOX", None, imaplib.Time2Internaldate(1578643200 + i), msg(i))[0] == "OK"
    M.logout()
PY
mkdir -p md/new md/cur md/tmp
$PY gen.py maildir "$N" filled.pdf md
timed "mail fetch from a Maildir (~$(($(du -sk md/new | cut -f1) / N)) KB each)" "$N" "$BIN" mail fetch --mailbox "maildir:$TMP/md"
matched=$(grep -c '^entry [0-9]*: matched 205$' out || true)
[ "$matched" = "$N" ] || { echo "mail bench: $matched of $N messages matched" >&2; tail -3 out >&2; exit 1; }

IMAP_PORT=$(free_port)
dovecot_start "$TMP/dv" "$IMAP_PORT" || { echo "mail bench: dovecot did not start" >&2; cat "$TMP/dv/log" >&2; exit 1; }
t0=$(date +%s.%N)
$PY gen.py imap "$N" filled.pdf "$IMAP_PORT" "$TMP/dv/ca.pem"
echo "  ($N messages APPENDed to Dovecot in $(echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }') s)"
echo s3cret >imap.pw
chmod 600 imap.pw
export BALLOT_DB=$TMP/imap.db
b init >/dev/null
b consultation create --circular 205 --group 11 --meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02 >/dev/null
b draft add --summary S --circular 205 --rec Q.5051 --title "Framework for combating the use of stolen mobile devices" >/dev/null
b contacts import contacts.tsv >/dev/null
printf 'mail_mailbox = imaps://localhost:%s/INBOX\nmail_user = sec\nmail_password_file = %s/imap.pw\nmail_ca = %s/dv/ca.pem\n' \
	"$IMAP_PORT" "$TMP" "$TMP" >ballot.conf
timed "mail fetch over IMAPS from Dovecot" "$N" "$BIN" mail fetch
matched=$(grep -c '^entry [0-9]*: matched 205$' out || true)
[ "$matched" = "$N" ] || { echo "mail bench: $matched of $N messages matched over IMAPS" >&2; tail -3 out >&2; exit 1; }
