#!/bin/bash
# User story (issue 17 §2, signed forms): an administration signs the filled
# form (here with poppler's pdfsig and an NSS database made by certutil, an
# independent signer); `ballot reply --from-pdf` checks the signature with
# GnuTLS over its byte ranges, and its verdict agrees with pdfsig's: valid,
# digest mismatch after a byte changed, an update after signing that changes
# the form refused, one that changes no field accepted.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/sign-lib.sh"

PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
signers_need

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize signatory.name="Jane Doe" signatory.title=Director

# the signer's NSS database: a self-signed certificate
nss_init
nss_cert signer "CN=Jane Doe,O=OFCOM,C=CH" "CT,C,C" -x
CERT_SHA=$(cert_sha signer)

# signed in the form's own signature field
ok "pdfsig signs the form's signature field" pdf_sign signer "$T/filled.pdf" "$T/signed.pdf"
v=$(pdfsig_of "$T/signed.pdf")
like "$v" 'Signature Field Name: signature' "pdfsig: the signature is in field 'signature'"
like "$v" 'Signature Validation: Signature is Valid' "pdfsig: valid"
like "$v" 'Total document signed' "pdfsig: the whole document"
expect_exit 0 ballot reply --from-pdf "$T/signed.pdf" --circular 205 --dry-run --json
is "$(jget .signature.valid)" true "ballot: valid too"
is "$(jget .signature.whole_file)" true "ballot: the whole file, too"
is "$(jget .signature.subject)" "CN=Jane Doe,O=OFCOM,C=CH" "ballot: the signer's subject"
is "$(jget .signature.cert_sha256)" "$CERT_SHA" "ballot: the SHA-256 of the signer's certificate (certutil's DER)"
is "$(jget .signature.signer_verified)" false "the signer is not checked against registered certificates (none yet)"
expect_exit 0 ballot reply --from-pdf "$T/signed.pdf" --circular 205
like "$OUT" '^recorded reply [0-9]+: CHE Q\.5051 authorize' "a signed form is recorded"
like "$OUT" "signature: signed by CN=Jane Doe,O=OFCOM,C=CH \\(certificate SHA-256 $CERT_SHA\\): valid, covering the whole file; the signer is not verified" \
	"the acknowledgement says who signed, and that the signer is not verified"
expect_exit 0 ballot history --circular 205 --member CHE --json
is "$(printf '%s' "$OUT" | $PY -c 'import json,sys
print([a["sha256"] for it in json.load(sys.stdin) for a in it["attachments"] if a["role"] == "form"][0])')" \
	"$(sha256sum "$T/signed.pdf" | cut -d' ' -f1)" "the signed PDF attached, as received"

# a byte changed in the signed range: both say the signature fails
sed 's/(Jane Doe)/(Jane Dog)/' "$T/signed.pdf" >"$T/tampered.pdf"
nok "the tampered file differs" cmp -s "$T/signed.pdf" "$T/tampered.pdf"
like "$(pdfsig_of "$T/tampered.pdf")" 'Signature Validation: Digest Mismatch' "pdfsig: digest mismatch"
refused_like 'field signature: the signature does not verify over the signed bytes' \
	ballot reply --from-pdf "$T/tampered.pdf" --circular 205

# updates appended after signing
$FILL --update "$T/signed.pdf" "$T/upd-choice.pdf" draft.Q.5051.choice=not-authorize
$FILL --update "$T/signed.pdf" "$T/upd-name.pdf" signatory.name=Mallory
$FILL --update "$T/signed.pdf" "$T/upd-info.pdf" info=x
for f in upd-choice upd-name upd-info; do
	v=$(pdfsig_of "$T/$f.pdf")
	like "$v" 'Signature is Valid' "pdfsig: $f: the signature itself still verifies"
	like "$v" 'Not total document signed' "pdfsig: $f: not the whole document"
done
refused_like 'field signature: an update added after signing changes the form.s fields' \
	ballot reply --from-pdf "$T/upd-choice.pdf" --circular 205
refused_like 'field signature: an update added after signing changes the form.s fields' \
	ballot reply --from-pdf "$T/upd-name.pdf" --circular 205
expect_exit 0 ballot reply --from-pdf "$T/upd-info.pdf" --circular 205 --dry-run
like "$OUT" 'signature: signed by CN=Jane Doe.*: valid, later updates change no field' \
	"an update that changes no field: the signed form stands"

# an unsigned form is recorded, and said to be unsigned
expect_exit 0 ballot reply --from-pdf "$T/filled.pdf" --circular 205 --dry-run
like "$OUT" 'signature: none \(unsigned form\)' "an unsigned form is flagged as such"

done_testing
