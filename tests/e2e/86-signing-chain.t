#!/bin/bash
# User story (issue 17 §2): a signed form verifies only when every
# certificate between the signer's and the one TSB registered for the
# administration was valid when the form was received: an intermediate that
# had expired by then leaves the signer "not verified", named. The chain is
# made with NSS's certutil and the form signed by poppler's pdfsig.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/sign-lib.sh"
PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
need_tools $PY
signers_need

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
$FILL "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize signatory.name="Jane Doe"

nss_init
mk() { # mk NICK SUBJECT ISSUER|-x CA(y|n) WARP-MONTHS VALID-MONTHS SERIAL
	local issuer=(-c "$3"); [ "$3" = -x ] && issuer=(-x)
	printf '%s\n\nn\n' "$4" | NSS_VALID="$5 $6" nss_cert "$1" "$2" "CT,C,C" "${issuer[@]}" -2 -m "$7"
}
mk root "CN=Root,O=OFCOM,C=CH" -x y -1 240 1
mk old "CN=Old intermediate,O=OFCOM,C=CH" root y -36 12 2 # expired two years ago
mk new "CN=New intermediate,O=OFCOM,C=CH" root y -1 120 3
mk jane "CN=Jane Doe,O=OFCOM,C=CH" old n 0 60 4
mk john "CN=John Roe,O=OFCOM,C=CH" new n 0 60 5
ok "certutil made the chain" certutil -L -d "$NSS" -n john
nss_export root
expect_exit 0 ballot certs add --member CHE --signing "$T/root.der"

ok "pdfsig signs as John (a current intermediate)" pdf_sign john "$T/filled.pdf" "$T/john.pdf"
ok "pdfsig signs as Jane (an intermediate expired)" pdf_sign jane "$T/filled.pdf" "$T/jane.pdf"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
at "$now" # the certificates were made today
expect_exit 0 ballot reply --from-pdf "$T/john.pdf" --circular 205 --received "$now" --dry-run --json
is "$(jget .signature.signer_verified)" true "John's chain through a current intermediate: verified"
expect_exit 0 ballot reply --from-pdf "$T/jane.pdf" --circular 205 --received "$now" --dry-run --json
is "$(jget .signature.valid)" true "Jane's signature itself is valid"
is "$(jget .signature.signer_verified)" false "... but her intermediate had expired when the form was received: not verified"
like "$ERR" "signature not verified: a certificate between the signer's and the one registered for CHE was not valid at $now" \
	"... and the warning says why"

done_testing
