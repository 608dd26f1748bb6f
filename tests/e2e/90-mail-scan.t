#!/bin/bash
# 90-mail-scan.t - `mail fetch` tries scans (issue 18): an attached
# image or a PDF without form fields is read with `ballot scan`'s reader
# (its QR code and tick boxes) and classified as a filled form is: matched
# (every draft read), matched but uncertain (a draft the scan could not
# read, named in the reason: accepted only with --choice, as reply
# --from-scan), refused (two boxes ticked, a sender who is not the member's
# contact), unmatched (no QR code; a PDF of more than 8 pages is not tried). The scans are made here: the member's
# form rendered by pdftoppm, boxes ticked with ImageMagick (scan-tick.sh).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/scan-tick.sh"
. "$HERE/portal-lib.sh"
trap 'serve_stop; _cleanup' EXIT
PY=/usr/bin/python3
for tool in pdftoppm pdfinfo convert mutool sqlite3; do
	command -v "$tool" >/dev/null || { echo "Bail out! $tool is not installed (tests/deps.sh)"; exit 1; }
done
export MAGICK_THREAD_LIMIT=1
q() { sqlite3 "$BALLOT_DB" "$1"; }

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
printf 'FRA\tto\tconsultations@arcep.fr\tfr\nDEU\tto\tbnetza@bnetza.de\ten\n' >c.tsv
expect_exit 0 ballot contacts import c.tsv
expect_exit 0 ballot forms --circular 205 --member FRA,DEU --lang en --out "$T/f" --jobs 1
ok "FRA's form ticked (150 dpi PNG)" tick "$T/f/205/en/FRA.pdf" 1 150 fra.png 0 0 Q.5051=not-authorize:cross
ok "DEU's form, nothing ticked (JPEG)" tick "$T/f/205/en/DEU.pdf" 1 150 deu.jpg 0 0
ok "DEU's form, two boxes ticked" tick "$T/f/205/en/DEU.pdf" 1 150 deu2.png 0 0 Q.5051=authorize:cross Q.5051=not-authorize:cross
convert -size 850x1100 xc:white -fill black -draw "rectangle 100,100 300,300" noqr.png
# a scan sent as a PDF (an image in a PDF: no form fields), and a filled PDF form
mutool convert -o fra-scan.pdf fra.png
# nine pages: a document, not a returned form: not rendered page by page
convert fra.png -resize 10% small.png
mutool convert -o nine.pdf small.png small.png small.png small.png small.png small.png small.png small.png small.png
$PY "$HERE/fill-form.py" "$T/f/205/en/DEU.pdf" deu-filled.pdf draft.Q.5051.choice=authorize

maildir_put md s <<'M'
consultations@arcep.fr fra.png image/png
bnetza@bnetza.de deu.jpg image/jpeg
bnetza@bnetza.de deu2.png image/png
someone@example.org fra.png image/png
consultations@arcep.fr noqr.png image/png
consultations@arcep.fr fra-scan.pdf application/pdf
bnetza@bnetza.de deu-filled.pdf application/pdf
consultations@arcep.fr nine.pdf application/pdf
M
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/md"
like "$OUT" '^entry 1: matched 205: read from a scan$' "a scanned form, every draft read: matched"
is "$(q "SELECT member || ' ' || choices || ' ' || form FROM inbox WHERE id = 1")" "FRA Q.5051=not-authorize fra.png" \
	"  ... its member, the choice read, the image as the form"
like "$OUT" '^entry 2: uncertain 205: field draft\.Q\.5051\.choice: uncertain: no box ticked' \
	"nothing ticked: uncertain, naming the field"
is "$(q "SELECT state FROM inbox WHERE id = 2")" uncertain "  ... its state in the inbox: uncertain"
like "$OUT" '^entry 3: refused: field draft\.Q\.5051\.choice: two choices ticked$' "two boxes ticked: refused, naming the field"
like "$OUT" "^entry 4: refused: field From 'someone@example.org': not a contact of FRA$" "a scan from a stranger: refused"
like "$OUT" '^entry 5: unmatched: no returned form .*1 tried as scans' "an image without a QR code: unmatched"
like "$OUT" '^entry 6: matched 205: read from a scan$' "a scan sent as a PDF (no form fields): read as a scan"

like "$OUT" '^entry 8: unmatched: no returned form .*\(1 PDF, 0 tried as scans\)' \
	"a PDF of nine pages: not tried as a scan (8 pages at most)"
like "$OUT" '^entry 7: matched 205$' "a filled PDF form: read from its fields, as before"
expect_exit 0 ballot inbox list
like "$OUT" '^2	uncertain	' "inbox list: entry 2 uncertain"
like "$OUT" '^1	matched	' "  ... entry 1 matched"
expect_exit 0 ballot inbox list --json
is "$(jwhere . entry 2 state)" uncertain "inbox list --json: uncertain"
expect_exit 0 ballot inbox show 2
like "$OUT" '^entry 2: uncertain: field draft\.Q\.5051\.choice' "inbox show: uncertain, naming the field"

# the portal's inbox page: the same state, in the page's language
secretariat_in "a secretariat pass phrase"
get tsb /secretariat/inbox
like "$BODY" '<span class="inbox-state uncertain">uncertain</span>' "the portal's inbox: entry 2 uncertain"
get tsb "/secretariat/inbox?lang=fr"
like "$BODY" '<span class="inbox-state uncertain">incertain</span>' "  ... in French: incertain"
get tsb /secretariat/inbox/2
like "$BODY" 'id="accept"' "  ... its page offers to accept it"
serve_stop

# an inbox of the schema before the state 'uncertain' (the reason carried
# it): the upgrade gives its entry the state, the reason without the prefix
V=$(q 'PRAGMA user_version')
OLD_SCHEMA=$(dirname "$BALLOT_BIN")/tests/old_schema
[ -x "$OLD_SCHEMA" ] || fail "the test tool $OLD_SCHEMA is built (make all / make asan)"
sqlite3 "$BALLOT_DB" "VACUUM INTO '$T/was.db'"
sqlite3 "$T/was.db" "UPDATE inbox SET state = 'matched', reason = 'uncertain: ' || reason WHERE state = 'uncertain'"
n=$((V - 1))
while [ "$n" -gt 0 ]; do # the newest schema without the state
	rm -f "$T/old.db"
	"$OLD_SCHEMA" "$n" "$T/old.db" "$T/was.db" 2>/dev/null &&
		! sqlite3 "$T/old.db" "SELECT sql FROM sqlite_master WHERE name = 'inbox'" | grep -q uncertain && break
	n=$((n - 1))
done
for x in .key .witness; do cp "$BALLOT_DB$x" "$T/old.db$x"; done
is "$(sqlite3 "$T/old.db" "SELECT state || ' ' || substr(reason, 1, 11) FROM inbox WHERE id = 2")" "matched uncertain: " \
	"schema $n: entry 2 matched, 'uncertain:' in its reason"
BALLOT_DB=$T/old.db expect_exit 0 ballot config set quota_bytes 1000000 # a write: the upgrade
is "$(sqlite3 "$T/old.db" "SELECT state || ' ' || reason FROM inbox WHERE id = 2")" "$(q "SELECT state || ' ' || reason FROM inbox WHERE id = 2")" \
	"  ... upgraded: uncertain, the reason as fetch gives it now"
is "$(sqlite3 "$T/old.db" "SELECT count(*) || ' ' || sum(length(content)) FROM inbox_parts")" "$(q "SELECT count(*) || ' ' || sum(length(content)) FROM inbox_parts")" \
	"  ... every attachment kept"
BALLOT_DB=$T/old.db expect_exit 0 ballot check
refused_like 'field draft\.Q\.5051\.choice: no choice ticked' ballot inbox accept 2
refused_like "^ballot: --choice: only for a form read from a scan; deu-filled\.pdf is a filled PDF form" \
	ballot inbox accept 7 --choice Q.5051=not-authorize
expect_exit 0 ballot inbox accept 1
is "$(q "SELECT member || ' ' || choice || ' ' || channel FROM replies ORDER BY id DESC LIMIT 1")" "FRA not-authorize email" \
	"the scanned form accepted: the choice read"
expect_exit 0 ballot inbox accept 2 --choice Q.5051=authorize
is "$(q "SELECT member || ' ' || choice FROM replies ORDER BY id DESC LIMIT 1")" "DEU authorize" \
	"the uncertain one accepted with --choice"
is "$(q "SELECT a.sha256 FROM attachments a JOIN replies r ON r.id = a.reply_id WHERE r.member = 'DEU' AND a.role = 'form'")" \
	"$(sha256sum <deu.jpg | cut -d' ' -f1)" "  ... the scan attached as the form"
expect_exit 0 ballot check
done_testing
