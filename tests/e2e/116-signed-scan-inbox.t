#!/bin/bash
# Issue 17, signed forms by mail (s17-adv REPORT 1 and 2, `inbox accept`): a
# mailed scan to PDF (page images) that the administration signed in a new
# signature field (poppler's pdfsig, a certutil key registered for CHE) is
# read as a scan, and its PDF signature checked as `reply --from-pdf` checks
# one: `inbox accept` records its verified signer; `inbox accept --choice`
# changing a row records that row without the signer (the signed PDF still
# kept as its form); the same scan changed after signing is refused naming
# field signature. The portal's inbox (the secretariat accepting the same
# entries) does the same.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/sign-lib.sh"
. "$HERE/portal-lib.sh"
trap 'serve_stop; _cleanup' EXIT
PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
signers_need
for tool in sqlite3 pdftoppm; do
	command -v "$tool" >/dev/null || { echo "Bail out! $tool is not installed (tests/deps.sh)"; exit 1; }
done
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is not installed (tests/deps.sh)"; exit 1; }
q() { sqlite3 "$BALLOT_DB" "$1"; }
# the signer of the last N replies, "REC:subject/verified" a line
last_signers() {
	q "SELECT json_extract(body, '\$.draft') || ':' || coalesce(json_extract(body, '\$.signer.subject'), '-') || '/' ||
	   coalesce(json_extract(body, '\$.signer.verified'), '-') FROM (SELECT * FROM events WHERE kind = 'reply'
	   ORDER BY seq DESC LIMIT $1) ORDER BY seq"
}

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "Another." --circular 205 --rec Q.5052 --title "Second draft"
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize
pdftoppm -r 150 -jpeg -gray -singlefile "$T/filled.pdf" "$T/page"
$PY "$HERE/img2pdf.py" "$T/scan.pdf" "$T/page.jpg"
nss_init
nss_cert signer "CN=Jane Doe,O=OFCOM,C=CH" "CT,C,C" -x
nss_export signer
ok "pdfsig signs the scan to PDF in a new field" \
	pdfsig -nssdir "$NSS" -nick signer -add-signature -new-signature-field-name sig "$T/scan.pdf" "$T/signed.pdf"
# a byte inside the signed range changed: the header's version (1.4 to 1.3)
sed '1s/^%PDF-1\.4/%PDF-1.3/' "$T/signed.pdf" >"$T/tampered.pdf"
nok "the tampered copy differs" cmp -s "$T/signed.pdf" "$T/tampered.pdf"
expect_exit 0 ballot certs add --member CHE --signing "$T/signer.pem"

mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp"
put() {
	$PY - "$T" "$@" <<'PY'
import sys, email.message
t, n, pdf = sys.argv[1:4]
m = email.message.EmailMessage()
m["From"], m["To"], m["Subject"], m["Message-ID"] = "secretariat@ofcom.admin.ch", "tsbsg@itu.int", "Reply", "<%s@example.org>" % n
m["Received"] = "from mx by mx.itu.int; Thu, 09 Jan 2020 10:00:00 +0000"
m.set_content("Our reply.\n")
m.add_attachment(open(pdf, "rb").read(), maintype="application", subtype="pdf", filename=pdf.split("/")[-1])
open("%s/md/new/%s" % (t, n), "wb").write(bytes(m))
PY
}
put 1 "$T/signed.pdf"
put 2 "$T/signed.pdf"
put 3 "$T/tampered.pdf"
put 4 "$T/signed.pdf"
put 5 "$T/signed.pdf"
put 6 "$T/tampered.pdf"
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/md"
like "$OUT" '^entry 1: matched 205' "the signed scan: matched"

expect_exit 0 ballot inbox accept 1
unlike "$ERR" 'not verified' "inbox accept: no 'signature not verified' warning"
is "$(last_signers 2 | tr '\n' ' ')" "Q.5051:CN=Jane Doe,O=OFCOM,C=CH/1 Q.5052:CN=Jane Doe,O=OFCOM,C=CH/1 " \
	"  ... both replies keep the verified signer (was: unsigned)"
expect_exit 0 ballot inbox accept 2 --choice Q.5051=not-authorize
is "$(last_signers 2 | tr '\n' ' ')" "Q.5051:-/- Q.5052:CN=Jane Doe,O=OFCOM,C=CH/1 " \
	"inbox accept --choice changing Q.5051: Q.5051 without the signer, Q.5052 with it"
is "$(q "SELECT count(DISTINCT a.sha256) FROM attachments a WHERE a.role = 'form'")" 1 "  ... the signed PDF kept as the form"
refused_like 'entry 3, form tampered\.pdf: field signature: the signature does not verify' ballot inbox accept 3

# ---- the portal's inbox: the secretariat accepts entries 4 to 6 ------------
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs
mkdir "$T/stmp"
export TMPDIR=$T/stmp # the server reads scans through a temporary file there
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin_user tsb tsb "$PW"
get tsb /secretariat/inbox/4
CSRF=$(csrf_of)
# the scan cannot be read again when the accept is posted, for a passing cause
# (no temporary file; other scans being read are the same path): refused,
# nothing recorded, never taken for an unreadable scan whose rows all "change"
get tsb /secretariat/inbox/4/accept
ACT_ONCE=$(once_in /secretariat/inbox/4/accept)
before=$(db_sum)
rmdir "$T/stmp"
post tsb /secretariat/inbox/4/accept -F "csrf=$CSRF" -F "draft.Q.5051.choice=authorize" \
	-F "draft.Q.5052.choice=authorize" -F "once=$ACT_ONCE"
isnt "$ST" 303 "portal: the scan not read again at the accept (no temporary file): not accepted ($ST)"
is "$(db_sum)" "$before" "  ... nothing recorded (was: both replies recorded without the signer)"
mkdir "$T/stmp"
act_post tsb "/secretariat/inbox/4/accept" /secretariat/inbox/4/accept \
	-F "csrf=$CSRF" -F "draft.Q.5051.choice=authorize" -F "draft.Q.5052.choice=authorize"
is "$ST" 303 "portal: the signed scan accepted as read"
is "$(last_signers 2 | tr '\n' ' ')" "Q.5051:CN=Jane Doe,O=OFCOM,C=CH/1 Q.5052:CN=Jane Doe,O=OFCOM,C=CH/1 " \
	"  ... both replies keep the verified signer (was: unsigned)"
act_post tsb "/secretariat/inbox/5/accept?draft.Q.5051.choice=not-authorize" /secretariat/inbox/5/accept \
	-F "csrf=$CSRF" -F "draft.Q.5051.choice=not-authorize" -F "draft.Q.5052.choice=authorize"
is "$ST" 303 "portal: the signed scan accepted with Q.5051 changed"
is "$(last_signers 2 | tr '\n' ' ')" "Q.5051:-/- Q.5052:CN=Jane Doe,O=OFCOM,C=CH/1 " \
	"  ... Q.5051 without the signer, Q.5052 with it"
before=$(db_sum)
act_post tsb "/secretariat/inbox/6/accept" /secretariat/inbox/6/accept \
	-F "csrf=$CSRF" -F "draft.Q.5051.choice=authorize" -F "draft.Q.5052.choice=authorize"
is "$ST" 400 "portal: the signed scan changed after signing: refused (was: recorded unsigned)"
like "$BODY" "signature: the signature does not verify" "  ... naming the signature"
is "$(db_sum)" "$before" "  ... nothing recorded"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly"

done_testing
