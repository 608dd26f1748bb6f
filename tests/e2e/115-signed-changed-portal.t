#!/bin/bash
# Issue 17, signed forms in the portal: what the adversarial tester of session
# 17 found first (s17-adv tests/adv/REPORT.md 1, 08-portal-upload.sh). An
# administration uploads a form signed by its registered signer (poppler's
# pdfsig, a certutil key); the reply form is filled in from it. A reply whose
# choice, signatory or title differs from the signed form's (a signatory or
# title the signed form leaves empty, a scan's, may be given) is recorded
# without the signer (the signed PDF still kept as its form): the pre-filled
# page says so next to each row ("changed from the signed form: this reply
# will not be marked signed"), and so does the receipt page. Replies as
# signed keep the verified signer. The words in the six languages.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
. "$E2E/sign-lib.sh"
need_tools curl perl
signers_need
PY=/usr/bin/python3
FILL="$PY $E2E/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is missing (tests/deps.sh)"; exit 1; }
trap 'serve_stop; _cleanup' EXIT

value_of() { sed -n "s/.*name=\"$1\"[^>]* value=\"\([^\"]*\)\".*/\1/p" "$T/.body" | head -n 1; }
# the row note's data-changed and text: "CHANGED TEXT" of <p class="kept-row" id="ID" ...>
row_note() {
	ID=$1 perl -0777 -ne 'my $i = $ENV{ID};
		print "$1 $2\n" if /<p class="kept-row" id="\Q$i\E" data-changed="(\d)">(.*?)<\/p>/s' "$T/.body"
}
# signer of each reply, "REC:subject/verified" in order
signers() {
	run ballot history --circular 205 --member CHE --json
	printf '%s' "$OUT" | $PY -c 'import json,sys
for h in json.load(sys.stdin):
    if h["kind"] == "reply":
        s = h.get("signer") or {}
        print("%s:%s/%s" % (h["rec"], s.get("subject", "-"), s.get("verified", "-")))'
}
last_forms() { # the form attachments of the last N replies, "sha" a line
	run ballot history --circular 205 --member CHE --json
	printf '%s' "$OUT" | $PY -c 'import json,sys
items = [h for h in json.load(sys.stdin) if h["kind"] == "reply"][-int(sys.argv[1]):]
for h in items: print(" ".join(a["sha256"] for a in h["attachments"] if a["role"] == "form") or "-")' "$1"
}

# --- set-up -------------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "Another." --circular 205 --rec Q.5052 --title "Second draft"
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=not-authorize \
	signatory.name="Jane Doe" signatory.title="Director"
nss_init
nss_cert signer "CN=Jane Doe,O=OFCOM,C=CH" "CT,C,C" -x
nss_export signer
ok "pdfsig signs the filled form" pdf_sign signer "$T/filled.pdf" "$T/signed.pdf"
SIGNED_SHA=$(sha256sum "$T/signed.pdf" | cut -d' ' -f1)
expect_exit 0 ballot certs add --member CHE --signing "$T/signer.pem"
# a scan to PDF (page images, no fields) signed in a new field, and a byte of it changed
pdftoppm -r 150 -jpeg -gray -singlefile "$T/filled.pdf" "$T/page"
$PY "$E2E/img2pdf.py" "$T/scan.pdf" "$T/page.jpg"
ok "pdfsig signs the scan to PDF in a new field" \
	pdfsig -nssdir "$NSS" -nick signer -add-signature -new-signature-field-name sig "$T/scan.pdf" "$T/scan-signed.pdf"
sed '1s/^%PDF-1\.4/%PDF-1.3/' "$T/scan-signed.pdf" >"$T/scan-tampered.pdf"
nok "the tampered copy differs" cmp -s "$T/scan-signed.pdf" "$T/scan-tampered.pdf"
# ... and the same of the form with no box ticked: no row read
pdftoppm -r 150 -jpeg -gray -singlefile "$T/f/205/en/CHE.pdf" "$T/none"
$PY "$E2E/img2pdf.py" "$T/none.pdf" "$T/none.jpg"
ok "pdfsig signs the unticked scan" \
	pdfsig -nssdir "$NSS" -nick signer -add-signature -new-signature-field-name sig "$T/none.pdf" "$T/none-signed.pdf"
sed '1s/^%PDF-1\.4/%PDF-1.3/' "$T/none-signed.pdf" >"$T/none-tampered.pdf"
CODE=$(new_code 205 CHE)
dev_certs
at 2020-01-15T09:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin che CHE "$CODE"
is "$ST" 303 "CHE signs in with its code"
get che /member/c/205
CSRF=$(csrf_of)
upload() {
	post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$T/signed.pdf"
	is "$ST" 303 "the signed form uploaded: 303"
	get che /member/c/205/from-pdf
	KEPT=$(value_of kept)
	ONCE=$(once_in /member/c/205/reply)
}
SIGNED_TXT=$(words en prefill_row_signed)
CHANGED_TXT=$(words en prefill_row_changed)

# --- the pre-filled page: each row as signed, and what a change does ----------
upload
like "$BODY" 'class="kept-signer" data-verified="1"' "the signer shown, verified"
is "$(row_note kept-row-1)" "0 $SIGNED_TXT" "row 1: as on the signed form; a change will not be marked signed"
is "$(row_note kept-row-2)" "0 $SIGNED_TXT" "row 2: likewise"
is "$(row_note kept-row-signatory)" "0 $SIGNED_TXT" "the signatory's row: likewise"
# the page shown again (a refused sending) with Q.5051 changed: that row says it
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=not-authorize -F choice-2=bogus \
	-F "signatory=Jane Doe" -F title=Director -F "kept=$KEPT"
is "$ST" 400 "a sending refused (a bad choice): 400, the form shown again"
is "$(row_note kept-row-1)" "1 $CHANGED_TXT" "  ... row 1, changed: this reply will not be marked signed"
is "$(row_note kept-row-signatory)" "0 $SIGNED_TXT" "  ... the signatory's row as signed"
is "$(signers | wc -l)" 0 "  ... nothing recorded"

# --- Q.5051 changed, sent: recorded without the signer, the receipt says so ---
get che /member/c/205/from-pdf
ONCE=$(once_in /member/c/205/reply)
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=not-authorize -F choice-2=not-authorize \
	-F "signatory=Jane Doe" -F title=Director -F "kept=$KEPT"
is "$ST" 303 "Q.5051 changed, Q.5052 as signed: 303"
LOC=$(hdr Location)
like "$LOC" '^/member/sent/[0-9]+u,[0-9]+$' "  ... the receipt page marks the changed reply"
is "$(signers | tr '\n' ' ')" "Q.5051:-/- Q.5052:CN=Jane Doe,O=OFCOM,C=CH/True " \
	"  ... Q.5051 recorded without the signer (was: signed by ... verified), Q.5052 with it"
is "$(last_forms 2 | tr '\n' ' ')" "$SIGNED_SHA $SIGNED_SHA " "  ... both keep the signed PDF as their form"
expect_exit 0 ballot history --circular 205 --member CHE
unlike "$(printf '%s\n' "$OUT" | grep 'Q\.5051')" 'form signed by' "  ... history: Q.5051 not 'form signed by'"
get che "$LOC"
is "$ST" 200 "the receipt page: 200"
is "$(grep -c 'class="note not-signed"' "$T/.body")" 1 "  ... one reply said not signed"
ok "  ... in the page's words" grep -qF "$(words en receipt_not_signed)" "$T/.body"
# the marker is only a note's switch: on a reply with its signer it says nothing
SIGNED_ID=${LOC##*,}
get che "/member/sent/${SIGNED_ID}u"
is "$(grep -c 'class="note not-signed"' "$T/.body")" 0 "  ... a signed reply marked by hand: no note"

# --- sent as signed: both keep the verified signer ----------------------------
upload
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=authorize -F choice-2=not-authorize \
	-F "signatory=Jane Doe" -F title=Director -F "kept=$KEPT"
is "$ST" 303 "sent as signed: 303"
like "$(hdr Location)" '^/member/sent/[0-9]+,[0-9]+$' "  ... no reply marked"
is "$(signers | tail -n 2 | tr '\n' ' ')" \
	"Q.5051:CN=Jane Doe,O=OFCOM,C=CH/True Q.5052:CN=Jane Doe,O=OFCOM,C=CH/True " "  ... both with the verified signer"

# --- the signatory changed: neither reply is the signer's ---------------------
upload
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=authorize -F choice-2=not-authorize \
	-F "signatory=Someone Else" -F title=Director -F "kept=$KEPT"
is "$ST" 303 "the signatory changed: 303"
like "$(hdr Location)" '^/member/sent/[0-9]+u,[0-9]+u$' "  ... both replies marked"
is "$(signers | tail -n 2 | tr '\n' ' ')" "Q.5051:-/- Q.5052:-/- " "  ... both recorded without the signer"

# --- a signed scan to PDF uploaded: read as a scan, its signature checked ----
post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$T/scan-signed.pdf"
is "$ST" 303 "a signed scan to PDF uploaded: 303"
get che /member/c/205/from-pdf
like "$BODY" 'class="kept-signer" data-verified="1"' "  ... its signer shown, verified (was: unsigned)"
# a scan has no text fields: the signatory typed on the page changes nothing signed
KEPT=$(value_of kept)
ONCE=$(once_in /member/c/205/reply)
is "$(row_note kept-row-signatory)" "0 $SIGNED_TXT" "  ... the signatory's row, empty on the scan: as signed"
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=authorize -F choice-2=not-authorize \
	-F "signatory=Jane Doe" -F title=Director -F "kept=$KEPT"
is "$ST" 303 "the scan's replies sent with the signatory typed: 303"
like "$(hdr Location)" '^/member/sent/[0-9]+,[0-9]+$' "  ... no reply marked changed"
is "$(signers | tail -n 2 | tr '\n' ' ')" \
	"Q.5051:CN=Jane Doe,O=OFCOM,C=CH/True Q.5052:CN=Jane Doe,O=OFCOM,C=CH/True " \
	"  ... both with the verified signer (a name the signed scan does not hold may be given)"
post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$T/scan-tampered.pdf"
is "$ST" 400 "the signed scan changed after signing: 400"
like "$BODY" "$(words en pdf_err_signature | cut -c1-30)" "  ... the signature refusal next to the upload field"
post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$T/none-tampered.pdf"
is "$ST" 400 "a signed scan with no row read, changed after signing: 400 (was taken: no row, no check)"
like "$BODY" "$(words en pdf_err_signature | cut -c1-30)" "  ... the signature refusal next to the upload field"

# --- the words, in the six languages -----------------------------------------
for l in en fr es ru zh ar; do
	for k in prefill_row_signed prefill_row_changed receipt_not_signed; do
		[ -n "$(words $l $k)" ] || fail "$l: $k"
	done
	[ "$l" = en ] || isnt "$(words $l prefill_row_changed)" "$CHANGED_TXT" "$l: prefill_row_changed translated"
done
get che "/member/c/205/from-pdf?lang=fr"
get che "/member/c/205?lang=fr"
upload
ok "the French page: the row note in French" grep -qF "$(words fr prefill_row_signed)" "$T/.body"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
done_testing
