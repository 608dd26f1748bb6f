# sign-lib.sh - the signers of returned forms, for the signature tests
# (69-form-signature.t, 79-signing-certs.t, 81-portal-pdf.t, 86-signing-chain.t,
# 89-inbox-checks.t, 91-valgrind-mail-forms.t),
# sourced after lib.sh: an NSS
# database made by certutil (libnss3-tools) whose keys poppler's pdfsig
# signs and checks forms with, independent of our code.
#   signers_need            the tools, or a failure and the end of the script
#   nss_init                an empty NSS database: NSS (sql:$T/nss)
#   nss_cert NICK SUBJECT TRUST [CERTUTIL-ARGS...]
#                           a 2048-bit RSA key and its certificate (SHA-256),
#                           valid from June 2019 for ten years (the tests'
#                           replies of 2020, BALLOT_NOW, fall inside); -x
#                           self-signed, -c CA issued by CA, -2 (a CA, its
#                           answers on stdin), -m SERIAL; with NSS_VALID="W V"
#                           valid from W months from now (negative: ago)
#                           for V months instead
#   nss_export NICK         its certificate as $T/NICK.pem and $T/NICK.der
#   cert_sha NICK           the SHA-256 of its certificate (DER)
#   pdf_sign NICK IN OUT    pdfsig signs IN's signature field as NICK
#   pdfsig_of FILE          pdfsig's verdict on FILE (stdout)

signers_need() {
	local tool
	for tool in pdfsig certutil; do
		command -v "$tool" >/dev/null || { fail "$tool is installed (tests/deps.sh)"; done_testing; exit; }
	done
}

nss_init() {
	NSS="sql:$T/nss"
	mkdir "$T/nss"
	certutil -N -d "$NSS" --empty-password
	head -c 64 /dev/urandom >"$T/noise"
}

nss_cert() {
	local nick=$1 subject=$2 trust=$3
	shift 3
	# -w: months from the real clock to June 2019
	local w=$(( ($(date -u +%Y) - 2019) * 12 + $(date -u +%-m) - 6 ))
	local valid=(-w "-$w" -v $((w + 120)))
	[ -n "${NSS_VALID:-}" ] && valid=(-w "${NSS_VALID% *}" -v "${NSS_VALID#* }")
	certutil -S -n "$nick" -s "$subject" -t "$trust" "$@" -k rsa -g 2048 -Z SHA256 "${valid[@]}" \
		-d "$NSS" -z "$T/noise" >/dev/null 2>&1
}

nss_export() {
	certutil -L -d "$NSS" -n "$1" -a >"$T/$1.pem"
	certutil -L -d "$NSS" -n "$1" -r >"$T/$1.der"
}

cert_sha() { certutil -L -d "$NSS" -n "$1" -r | sha256sum | cut -d' ' -f1; }

pdf_sign() { pdfsig -nssdir "$NSS" -nick "$1" -sign signature "$2" "$3"; }

pdfsig_of() { pdfsig -nssdir "$NSS" "$1" 2>/dev/null; }
