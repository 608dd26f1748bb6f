#!/bin/bash
# 89-inbox-checks.t - `mail fetch` and `inbox accept` checks (issue 18):
# a mailed form with two choices ticked is refused at fetch naming the
# field (not listed matched); a signed form is checked at fetch and at
# accept as `reply --from-pdf` checks it (pdfsig signs it with an NSS
# database made by certutil; a byte changed after signing refused at fetch,
# naming the field, so accept refuses the entry; the valid one recorded
# with its signer); accept re-checks that the
# sender is still one of the member's contacts (removed after the fetch:
# refused, one line naming the sender, nothing recorded); a member named by
# its contacts cannot be recoded (refused in one line, not a foreign-key
# failure of the database).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/sign-lib.sh"
PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
for tool in pdfsig certutil sqlite3; do
	command -v "$tool" >/dev/null || { echo "Bail out! $tool is not installed (tests/deps.sh)"; exit 1; }
done
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is not installed (tests/deps.sh)"; exit 1; }
q() { sqlite3 "$BALLOT_DB" "$1"; }

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\tfr\tOFCOM\nGBR\tto\tconsult@ofcom.org.uk\ten\n' >c.tsv
expect_exit 0 ballot contacts import c.tsv
expect_exit 0 ballot forms --circular 205 --member CHE,GBR --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" filled.pdf draft.Q.5051.choice=authorize signatory.name="Jane Doe"
$FILL "$T/f/205/en/CHE.pdf" two.pdf draft.Q.5051.choice=authorize+not-authorize
$FILL "$T/f/205/en/GBR.pdf" gbr.pdf draft.Q.5051.choice=not-authorize
nss_init
nss_cert signer "CN=Jane Doe,O=OFCOM,C=CH" "CT,C,C" -x
ok "pdfsig signs the form" pdf_sign signer filled.pdf signed.pdf
sed 's/(Jane Doe)/(Jane Dog)/' signed.pdf >tampered.pdf
nok "the tampered copy differs" cmp -s signed.pdf tampered.pdf

mkdir -p md/new md/cur md/tmp
# put N FROM PDF DATE: a message from FROM with PDF attached into md/new/N,
# received by the secretariat's MX at DATE
put() {
	$PY - "$@" <<'PY'
import sys, email.message
n, frm, pdf, date = sys.argv[1:5]
m = email.message.EmailMessage()
m["From"], m["To"], m["Subject"], m["Message-ID"] = frm, "tsbsg@itu.int", "Reply", "<%s@example.org>" % n
m["Received"] = "from mx by mx.itu.int; " + date
m.set_content("Our reply.\n")
m.add_attachment(open(pdf, "rb").read(), maintype="application", subtype="pdf", filename=pdf)
open("md/new/%s" % n, "wb").write(bytes(m))
PY
}
JAN9="Thu, 09 Jan 2020 10:00:00 +0000"
put 1 secretariat@ofcom.admin.ch two.pdf "$JAN9"
put 2 secretariat@ofcom.admin.ch tampered.pdf "$JAN9"
put 3 secretariat@ofcom.admin.ch signed.pdf "$JAN9"
put 4 consult@ofcom.org.uk gbr.pdf "$JAN9"
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/md"
like "$OUT" '^entry 1: refused: field draft\.Q\.5051\.choice: two choices ticked$' \
	"two choices ticked: refused at fetch, naming the field"
like "$OUT" '^entry 2: refused: field signature: the signature does not verify' \
	"the tampered signed form: refused at fetch, with the check accept runs"
like "$OUT" '^entry 4: matched 205$' "GBR's form from its contact: matched"

# --- the signature, checked as reply --from-pdf checks it ---------------------------------------
refused_like '^ballot: inbox: entry 2 is refused: only a matched entry is accepted$' ballot inbox accept 2
expect_exit 0 ballot inbox accept 3
like "$ERR" 'inbox: entry 3, form signed\.pdf: signature not verified' \
	"a valid signature by a signer not registered: recorded, with the warning reply --from-pdf gives"
is "$(q "SELECT json_extract(body, '\$.signer.subject') FROM events WHERE kind = 'reply' ORDER BY seq DESC LIMIT 1")" \
	"CN=Jane Doe,O=OFCOM,C=CH" "  ... the reply keeps its signer"

# --- the sender must still be a contact ------------------------------------------------------
expect_exit 0 ballot contacts remove --member GBR --address consult@ofcom.org.uk
refused "'consult@ofcom.org.uk'" ballot inbox accept 4
like "$ERR" "^ballot: inbox: entry 4: its sender 'consult@ofcom.org.uk' is not a contact of GBR any more$" \
	"  ... one line naming the sender and the member"
expect_exit 0 ballot contacts set --member GBR --address consult@ofcom.org.uk --lang en
expect_exit 0 ballot inbox accept 4
like "$OUT" "entry 4 accepted" "a contact again: accepted"
expect_exit 0 ballot check

# --- the stale rule at fetch, as at accept: a form read as issued --------------------------------
# GBR's form was issued for Q.5051 alone; Q.5052 is added since: matched,
# saying so; a reference whose digest names no set of the drafts: refused
at 2019-12-03T12:00:00Z
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5052 --title "Second"
at 2020-01-10T09:00:00Z
$FILL "$T/f/205/en/GBR.pdf" forged.pdf draft.Q.5051.choice=authorize \
	form.reference=ballot:205:GBR:en:0123456789abcdef
rm -f md/new/* md/cur/*
put s1 consult@ofcom.org.uk gbr.pdf "Fri, 10 Jan 2020 08:00:00 +0000"
put s2 consult@ofcom.org.uk forged.pdf "Fri, 10 Jan 2020 08:00:00 +0000"
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/md"
like "$OUT" '^entry 5: matched 205: issued before drafts were added \(Q\.5052\): it answers the drafts it was issued for$' \
	"a form issued before Q.5052 was added: matched (it answers Q.5051), saying so"
like "$OUT" "^entry 6: refused: field form\.reference 'ballot:205:GBR:en:0123456789abcdef': the form was issued for drafts that circular 205 does not have" \
	"a reference naming no set of the drafts: refused at fetch, the line reply --from-pdf gives"
expect_exit 0 ballot inbox list --json
like "$OUT" '"reason": *"issued before drafts were added \(Q\.5052\)' \
	"  ... inbox list --json keeps the reason"
expect_exit 0 ballot inbox accept 5
is "$(q "SELECT group_concat(d.rec) FROM replies r JOIN drafts d ON d.id = r.draft_id WHERE r.member = 'GBR'")" \
	"Q.5051,Q.5051" "  ... accepted: a reply on Q.5051 only (the draft it was issued for)"

# --- a member's code named by its contacts cannot change (no foreign-key failure) ----------------
export BALLOT_DB=$T/recode.db
expect_exit 0 ballot init
expect_exit 0 ballot contacts set --member CHE --address secretariat@ofcom.admin.ch --lang fr
printf 'alpha3\talpha2\tname\tmember_since\nCHX\tCH\tSwitzerland\t\n' >m.tsv
refused_like '^ballot: m\.tsv line 2: --recode CHE=CHX: CHE is named by 1 recorded rows .*contacts' \
	ballot members import m.tsv --recode CHE=CHX
done_testing
