#!/bin/bash
# User story (issue 17 §2, signed forms, who signed): TSB registers the
# certificates an administration signs its forms with (`certs add --member
# CODE --signing FILE`, a CA's or the signer's own, exported by certutil);
# `reply --from-pdf` verifies the signer's chain against them at the time
# the reply was received and records the verified signer with the reply
# (history, the receipt). A signer whose certificate is not registered, or
# whose registration was revoked, is recorded flagged "not verified"; our
# verdict agrees with pdfsig's on each file (signature valid) and with
# pdfsig's trust verdict where it knows the anchor.
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

# The signers' NSS database: Jane's self-signed certificate, OFCOM's CA and
# a clerk's certificate it issued, and a stranger's self-signed one.
nss_init
nss_cert jane "CN=Jane Doe,O=OFCOM,C=CH" "u,u,u" -x
printf 'y\n\ny\n' | nss_cert ofcomca "CN=OFCOM Signing CA,O=OFCOM,C=CH" "CT,C,C" -x -2
nss_cert clerk "CN=Max Muster,O=OFCOM,C=CH" "u,u,u" -c ofcomca -m 2
nss_cert stranger "CN=Stranger,O=Elsewhere,C=XX" "u,u,u" -x
for n in jane ofcomca clerk stranger; do
	nss_export "$n"
done
sha() { cert_sha "$1"; }
like "$(cat "$T/ofcomca.pem")" '^-----BEGIN CERTIFICATE-----' "the CA certificate exported (PEM)"
for n in jane clerk stranger; do
	ok "pdfsig signs as $n" pdf_sign "$n" "$T/filled.pdf" "$T/by-$n.pdf"
	like "$(pdfsig_of "$T/by-$n.pdf")" 'Signature Validation: Signature is Valid' \
		"pdfsig: $n's signature is valid"
done

# ---- certs add: refusals change nothing ----
expect_exit 0 ballot certs list --json
is "$OUT" "[]" "no certificates yet"
s0=$(db_sum)
printf 'not a certificate\n' >"$T/junk.pem"
refused_like '^ballot: --signing .*junk\.pem: not an X\.509 certificate \(PEM or DER\)$' \
	ballot certs add --member CHE --signing "$T/junk.pem"
refused_like 'member.*ZZZ' ballot certs add --member ZZZ --signing "$T/jane.pem"
refused_like 'signing' ballot certs add --member CHE --signing "$T/absent.pem"
refused_like 'signing' ballot certs add --member CHE
cat "$T/jane.pem" "$T/ofcomca.pem" >"$T/two.pem"
refused_like '^ballot: --signing .*two\.pem: the file holds 2 certificates \(PEM\); register each from a file of its own$' \
	ballot certs add --member CHE --signing "$T/two.pem"
is "$(db_sum)" "$s0" "the refusals changed nothing"

# ---- an unregistered signer: recorded, flagged ----
expect_exit 0 ballot reply --from-pdf "$T/by-jane.pdf" --circular 205 --dry-run --json
is "$(jget .signature.signer_verified)" false "nothing registered: not verified"
is "$(jget .signature.signer_not_verified)" "the signer's certificate is not registered for CHE" "  ... and why"

# ---- Jane's own certificate registered (PEM): verified ----
expect_exit 0 ballot certs add --member che --signing "$T/jane.pem"
like "$OUT" "^registered signing certificate $(sha jane) for CHE$" "certs add --signing: registered, its SHA-256"
refused_like "^ballot: --signing .*jane\.der: $(sha jane) is registered already, for CHE$" \
	ballot certs add --member CHE --signing "$T/jane.der"
refused_like "registered already, for CHE$" ballot certs add --member DEU --signing "$T/jane.pem"
expect_exit 0 ballot certs list
like "$OUT" "^$(sha jane) +member:CHE +[0-9T:-]+Z +[0-9T:-]+Z +signing +CN=Jane Doe,O=OFCOM,C=CH +-$" \
	"certs list: the signing certificate, its purpose and subject"
expect_exit 0 ballot reply --from-pdf "$T/by-jane.pdf" --circular 205
like "$OUT" "signature: signed by CN=Jane Doe,O=OFCOM,C=CH \\(verified; certificate SHA-256 $(sha jane)\\)" \
	"the acknowledgement: verified"
unlike "$ERR" 'not verified' "no warning"
ev=$(printf '%s\n' "$OUT" | sed -n 's/^recorded reply [0-9]*: .*event \([0-9]*\).*/\1/p' | head -1)
[ -n "$ev" ] || ev=$(sqlite3 "$BALLOT_DB" "SELECT max(event_seq) FROM replies")
expect_exit 0 ballot receipt show --event "$ev"
receipt=$OUT
is "$(printf '%s' "$receipt" | $PY -c 'import json,sys; b=json.loads(json.load(sys.stdin)["body"]); print(b["signer"])')" \
	"{'subject': 'CN=Jane Doe,O=OFCOM,C=CH', 'cert_sha256': '$(sha jane)', 'verified': True}" \
	"the receipt's signed event names the verified signer"
printf '%s' "$receipt" >"$T/r.json"
expect_exit 0 ballot keys show
pub=$OUT
expect_exit 0 ballot receipt verify "$T/r.json" --key "$pub"
like "$OUT" '^form signed by CN=Jane Doe,O=OFCOM,C=CH \(verified\)$' "receipt verify: signed by ... (verified)"
expect_exit 0 ballot receipt show --event "$ev" --pdf "$T/r.pdf"
like "$(pdftotext -layout "$T/r.pdf" - | tr -s ' ')" 'Form signed by CN=Jane Doe,O=OFCOM,C=CH \(verified\)' \
	"the receipt PDF: form signed by ... (verified)"
expect_exit 0 ballot receipt show --event "$ev" --pdf "$T/r-fr.pdf" --lang fr
like "$(pdftotext -layout "$T/r-fr.pdf" - | tr -s ' ')" 'Formulaire signé par CN=Jane Doe,O=OFCOM,C=CH \(vérifié\)' \
	"  ... in French too"
expect_exit 0 ballot history --circular 205 --member CHE --json
is "$(jget '.[0].signer.subject')/$(jget '.[0].signer.verified')/$(jget '.[0].signer.cert_sha256')" \
	"CN=Jane Doe,O=OFCOM,C=CH/true/$(sha jane)" "history --json: the verified signer"
expect_exit 0 ballot history --circular 205 --member CHE
like "$OUT" 'form signed by CN=Jane Doe,O=OFCOM,C=CH \(verified\)' "history: form signed by ... (verified)"

# ---- the CA registered (DER): the clerk it issued is verified ----
expect_exit 0 ballot reply --from-pdf "$T/by-clerk.pdf" --circular 205 --dry-run --json
is "$(jget .signature.signer_verified)" false "the clerk before the CA is registered: not verified"
expect_exit 0 ballot certs add --member CHE --signing "$T/ofcomca.der"
expect_exit 0 ballot certs list --json
is "$(jget '.[1].purpose')/$(jget '.[1].ca')/$(jget '.[1].subject')" "signing/true/CN=OFCOM Signing CA,O=OFCOM,C=CH" \
	"certs list --json: the CA, its purpose"
expect_exit 0 ballot reply --from-pdf "$T/by-clerk.pdf" --circular 205 --dry-run --json
is "$(jget .signature.signer_verified)" true "the clerk chains to the registered CA: verified"
is "$(jget .signature.subject)" "CN=Max Muster,O=OFCOM,C=CH" "  ... the clerk's subject"
# received before the clerk's certificate existed: not verified at that time
# (a time before the circular's date: the dry run refuses it as the real run does, after the verdict)
expect_exit 2 ballot reply --from-pdf "$T/by-clerk.pdf" --circular 205 --dry-run --json --received 2019-03-01T10:00:00Z
like "$ERR" "signature not verified: the signer's certificate was not valid at 2019-03-01T10:00:00Z" \
	"verified at the time received: the certificate was not valid yet, and why"
like "$ERR" "received: 2019-03-01T10:00:00Z is before the circular's date" "  ... and the dry run refuses that time"

# ---- a stranger: recorded, flagged on stderr and in the record ----
expect_exit 0 ballot reply --from-pdf "$T/by-stranger.pdf" --circular 205
like "$ERR" "signature not verified: the signer's certificate is not registered for CHE" "a warning on stderr"
like "$OUT" "signed by CN=Stranger,O=Elsewhere,C=XX .*the signer is not verified" "the acknowledgement flags it"
expect_exit 0 ballot receipt show --event "$(sqlite3 "$BALLOT_DB" "SELECT max(event_seq) FROM replies")"
printf '%s' "$OUT" >"$T/r2.json"
expect_exit 0 ballot receipt verify "$T/r2.json" --key "$pub"
like "$OUT" '^form signed by CN=Stranger,O=Elsewhere,C=XX \(not verified\)$' "receipt verify: not verified"
expect_exit 0 ballot receipt show --event "$(sqlite3 "$BALLOT_DB" "SELECT max(event_seq) FROM replies")" --pdf "$T/r2.pdf"
like "$(pdftotext -layout "$T/r2.pdf" - | tr -s ' ')" 'Form signed by CN=Stranger,O=Elsewhere,C=XX \(not verified\)' \
	"the receipt PDF: not verified"

# ---- Jane's registration revoked: her form is flagged from then on ----
expect_exit 0 ballot certs revoke --fingerprint "$(sha jane)"
like "$OUT" "^revoked signing certificate $(sha jane)$" "certs revoke: a signing certificate"
refused 'revoked already' ballot certs revoke --fingerprint "$(sha jane)"
expect_exit 0 ballot reply --from-pdf "$T/by-jane.pdf" --circular 205
like "$ERR" "signature not verified: the signer's certificate is not registered for CHE" "revoked: flagged"
expect_exit 0 ballot certs list
like "$OUT" "^$(sha jane) +member:CHE .* signing .*[0-9T:-]+Z$" "certs list: revoked, with the time"

# the recorded verdicts, as stored
is "$(sqlite3 "$BALLOT_DB" "SELECT group_concat(coalesce(signer_verified, '-'), '') FROM (SELECT signer_verified FROM replies ORDER BY id)")" \
	"100" "the replies keep: verified (Jane), not (the stranger), not (Jane revoked)"

# ---- our validity verdict vs pdfsig's on each file; a changed file refused ----
for n in jane clerk stranger; do
	expect_exit 0 ballot reply --from-pdf "$T/by-$n.pdf" --circular 205 --dry-run --json
	is "$(jget .signature.valid)/$(jget .signature.cert_sha256)" "true/$(sha $n)" \
		"$n: valid, as pdfsig says, signed with $n's certificate"
done
expect_exit 0 ballot history --circular 205 --member CHE
like "$OUT" 'form signed by CN=Stranger,O=Elsewhere,C=XX \(not verified\)' "history: the stranger, not verified"
sed 's/(Max Muster)/(Max Mustex)/' "$T/by-clerk.pdf" >"$T/tampered.pdf"
nok "the tampered file differs" cmp -s "$T/by-clerk.pdf" "$T/tampered.pdf"
like "$(pdfsig_of "$T/tampered.pdf")" 'Digest Mismatch' "pdfsig: tampered"
refused_like 'field signature: the signature does not verify' ballot reply --from-pdf "$T/tampered.pdf" --circular 205
$FILL --update "$T/by-clerk.pdf" "$T/upd.pdf" draft.Q.5051.choice=not-authorize
refused_like 'an update added after signing changes the form' ballot reply --from-pdf "$T/upd.pdf" --circular 205

# the record stays whole
expect_exit 0 ballot audit verify
expect_exit 0 ballot check

done_testing
