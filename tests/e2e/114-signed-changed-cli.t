#!/bin/bash
# Issue 17, signed forms: what the adversarial tester of session 17 found
# (s17-adv tests/adv/REPORT.md), on the command line. Forms signed by poppler's
# pdfsig with a certutil key, an independent signer.
# - a scan of a signed PDF (`reply --from-scan`) runs the PDF's own signature
#   check, as --from-pdf does: changed after signing refused, the verified
#   signer recorded (REPORT 2);
# - a reply whose choice (--choice on a scan) is not what the signed form says
#   is recorded without the signer, the kept form still attached (REPORT 1); a
#   signatory the signed form leaves empty may be given (a scan has no text
#   fields), one it holds cannot be changed (refused);
# - a damaged signature (/ByteRange with a number past 64 bits) is refused
#   naming field signature and the value, not read as no signature (REPORT 7);
# - libqpdf's own "application did not handle error" line never reaches
#   stderr: a refusal is one line (REPORT 11, the fuzzed fixture);
# - ASan with detect_leaks=1: a scan of a filled PDF (poppler draws its values
#   with fontconfig) exits 0 with nothing on stderr (REPORT 12);
# - a revoked certificate registered again says it is revoked; a signature in
#   a field other than `signature` (pdfsig -add-signature) is the form's
#   signature, checked the same way (REPORT 13, README "Returned forms").
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/sign-lib.sh"

PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
signers_need
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is missing (tests/deps.sh)"; exit 1; }
# the ASan pass: leaks reported (its default, said here whatever the caller set)
[[ $BALLOT_BIN == */build-asan/* ]] && export ASAN_OPTIONS=detect_leaks=1

# signer of each reply of circular 205 for member CHE, "REC:subject/verified" in order
signers() {
	run ballot history --circular 205 --member CHE --json
	printf '%s' "$OUT" | $PY -c 'import json,sys
for h in json.load(sys.stdin):
    if h["kind"] == "reply":
        s = h.get("signer") or {}
        print("%s:%s/%s" % (h["rec"], s.get("subject", "-"), s.get("verified", "-")))'
}
forms_of() { # the form attachments' SHA-256 of the replies, one a line
	run ballot history --circular 205 --member CHE --json
	printf '%s' "$OUT" | $PY -c 'import json,sys
for h in json.load(sys.stdin):
    for a in h.get("attachments", []):
        if a["role"] == "form": print(a["sha256"])'
}

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "Another." --circular 205 --rec Q.5052 --title "Second draft"
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize

nss_init
nss_cert signer "CN=Jane Doe,O=OFCOM,C=CH" "CT,C,C" -x
nss_export signer
SHA=$(cert_sha signer)
ok "pdfsig signs the form's signature field" pdf_sign signer "$T/filled.pdf" "$T/signed.pdf"
expect_exit 0 ballot certs add --member CHE --signing "$T/signer.pem"

# ---- 2: a scan of a signed PDF: the PDF's signature checked ----------------
expect_exit 0 ballot reply --from-scan "$T/signed.pdf" --circular 205 --dry-run --json
is "$(jget .signed)/$(jget .signature.valid)/$(jget .signature.signer_verified)/$(jget .signature.cert_sha256)" \
	"true/true/true/$SHA" "--from-scan of a signed PDF: signed, valid, the signer verified (was: unsigned)"
is "$(jget '.replies[0].signed')/$(jget '.replies[1].signed')" true/true "  ... both replies carry the signer"
$FILL --update "$T/signed.pdf" "$T/changed.pdf" draft.Q.5051.choice=not-authorize
like "$(pdfsig_of "$T/changed.pdf")" 'not total document signed|Not total document signed|partial' \
	"pdfsig: an update after signing"
refused_like 'from-pdf changed\.pdf: field signature: an update added after signing changes the form' \
	ballot reply --from-pdf "$T/changed.pdf" --circular 205
refused_like 'from-scan changed\.pdf: field signature: an update added after signing changes the form' \
	ballot reply --from-scan "$T/changed.pdf" --circular 205
# a scan of page images (no fields): no signature, as before
pdftoppm -r 150 -png -singlefile "$T/filled.pdf" "$T/page"
expect_exit 0 ballot reply --from-scan "$T/page.png" --circular 205 --dry-run --json
is "$(jget .signed)" false "a PNG scan: unsigned"

# ---- 1: a reply changed from the signed form: recorded without the signer ----
expect_exit 0 ballot reply --from-scan "$T/signed.pdf" --circular 205 --choice Q.5051=not-authorize
like "$OUT" '^  Q\.5051: changed from the signed form: recorded without the signer$' \
	"--choice over a signed scan: said changed from the signed form"
unlike "$OUT" 'Q\.5052: changed' "  ... Q.5052, as signed, is not"
is "$(signers | tr '\n' ' ')" "Q.5051:-/- Q.5052:CN=Jane Doe,O=OFCOM,C=CH/True " \
	"  ... Q.5051 recorded without the signer, Q.5052 with the verified signer"
is "$(forms_of | sort -u)" "$(sha256sum "$T/signed.pdf" | cut -d' ' -f1)" "  ... both keep the signed PDF as their form"
expect_exit 0 ballot history --circular 205 --member CHE
unlike "$(printf '%s\n' "$OUT" | grep 'Q\.5051')" 'form signed by' "history: Q.5051 not 'signed by'"
expect_exit 0 ballot reply --from-pdf "$T/signed.pdf" --circular 205 --signatory "Someone Else" --dry-run --json
is "$(jget '.replies[0].signed')/$(jget '.replies[1].signed')" true/true \
	"--from-pdf --signatory filling the signed form's empty field: still signed (it changes nothing signed)"
expect_exit 0 ballot reply --from-pdf "$T/signed.pdf" --circular 205 --dry-run --json
is "$(jget '.replies[0].signed')/$(jget '.replies[1].signed')" true/true "  ... without it: signed"
expect_exit 0 ballot reply --from-scan "$T/signed.pdf" --circular 205
is "$(signers | tail -n 2 | tr '\n' ' ')" \
	"Q.5051:CN=Jane Doe,O=OFCOM,C=CH/True Q.5052:CN=Jane Doe,O=OFCOM,C=CH/True " \
	"the scan as signed: both replies with the verified signer"

# a scan to PDF (page images, no fields) signed by the administration in a new
# field: its pages are what was signed; --choice changes them
pdftoppm -r 150 -jpeg -gray -singlefile "$T/filled.pdf" "$T/pagej"
$PY "$HERE/img2pdf.py" "$T/pages.pdf" "$T/pagej.jpg"
ok "pdfsig signs the scan to PDF in a new field" \
	pdfsig -nssdir "$NSS" -nick signer -add-signature -new-signature-field-name sig "$T/pages.pdf" "$T/pages-signed.pdf"
expect_exit 0 ballot reply --from-scan "$T/pages-signed.pdf" --circular 205 --dry-run --json
is "$(jget .signed)/$(jget .signature.signer_verified)/$(jget '.replies[0].signed')/$(jget '.replies[1].signed')" \
	true/true/true/true "a signed scan to PDF: read, its signer verified, both replies signed"
expect_exit 0 ballot reply --from-scan "$T/pages-signed.pdf" --circular 205 --choice Q.5051=not-authorize --dry-run --json
is "$(jget '.replies[0].signed')/$(jget '.replies[1].signed')" false/true "  ... --choice Q.5051 changes it: Q.5051 not signed"
expect_exit 0 ballot reply --from-scan "$T/pages.pdf" --circular 205 --dry-run --json
is "$(jget .signed)" false "  ... unsigned, it is unsigned"

# ---- 7: a damaged /ByteRange is refused naming signature and the value ------
$PY - "$T/signed.pdf" "$T/byterange.pdf" <<'EOF'
import re, sys
d = open(sys.argv[1], 'rb').read()
m = re.search(rb'/ByteRange\s*\[\s*\d+\s+\d+\s+\d+\s+\d+\s*\]', d)
new = b'/ByteRange [0 99999999999999999999 0 0]'
assert len(new) <= len(m.group(0))
open(sys.argv[2], 'wb').write(d[:m.start()] + new.ljust(len(m.group(0))) + d[m.end():])
EOF
refused_like 'field signature: .*99999999999999999999' ballot reply --from-pdf "$T/byterange.pdf" --circular 205
refused_like 'field signature: .*99999999999999999999' ballot reply --from-scan "$T/byterange.pdf" --circular 205

# ---- 11: libqpdf's error taken: one line ------------------------------------
refused_like 'qpdf-warning\.pdf: no Annex 2 form fields' \
	ballot reply --from-pdf "$HERE/data/qpdf-warning.pdf" --circular 205 --dry-run
unlike "$ERR" 'application did not handle error' "  ... not libqpdf's 'application did not handle error'"

# ---- 12: a filled PDF scanned (ASan: no leak report) ------------------------
$FILL "$T/f/205/en/CHE.pdf" "$T/typed.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize \
	"signatory.name=A. Person"
expect_exit 0 ballot scan "$T/typed.pdf"
is "$ERR" "" "  ... nothing on stderr (ASan: no leak reported)"

# ---- 13: a signature in another field; a revoked certificate added again ----
ok "pdfsig adds a signature in a new field 'other'" \
	pdfsig -nssdir "$NSS" -nick signer -add-signature -new-signature-field-name other "$T/filled.pdf" "$T/other.pdf"
like "$(pdfsig_of "$T/other.pdf")" 'Signature Field Name: other' "pdfsig: the signature is in field 'other'"
expect_exit 0 ballot reply --from-pdf "$T/other.pdf" --circular 205 --dry-run --json
is "$(jget .signed)/$(jget .signature.valid)/$(jget .signature.signer_verified)" true/true/true \
	"a signature in another field: the form's signature, checked and verified"
sed 's/(Jane Doe)/(Jane Dog)/' "$T/other.pdf" >"$T/other-bad.pdf"
refused_like 'field signature: the signature does not verify' ballot reply --from-pdf "$T/other-bad.pdf" --circular 205
expect_exit 0 ballot certs revoke --fingerprint "$SHA"
refused_like "$SHA is registered already, for CHE, and was revoked 2020-01-10T09:00:00Z: a revoked certificate cannot be registered again" \
	ballot certs add --member CHE --signing "$T/signer.pem"

done_testing
