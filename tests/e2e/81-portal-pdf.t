#!/usr/bin/env bash
# 81-portal-pdf.t - an administration uploads its returned Annex 2 form
# (the PDF filled in on screen, here by pypdf; signed by pdfsig) in the portal
# (issues 15 and 17): the server reads it as `ballot reply --from-pdf` does,
# keeps it for the session, and answers 303 to the reply form filled in
# (choices, signatory, title, the PDF named as the file each reply keeps).
# Nothing is recorded until the administration sends that form (its
# single-use token: exactly once); each reply then keeps the PDF as received.
# Refused, next to the upload field, in the page's language, nothing kept: a
# form of another administration or circular, a form issued for drafts the
# circular does not have, two choices or none ticked, a file that is no
# returned form, no file, a signature that does not verify. A form issued
# before drafts were added is read as issued (as `reply --from-pdf` reads it):
# its drafts pre-filled, the drafts added since named.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
. "$E2E/sign-lib.sh"
need_tools curl perl
signers_need
PY=/usr/bin/python3
FILL="$PY $E2E/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is missing (tests/deps.sh)"; exit 1; }
trap 'serve_stop; _cleanup' EXIT

# the page's sentence next to the upload field, entities decoded
field_err() {
	perl -CSD -0777 -ne 'if (/<p class="field-error" id="err-pdf">(.*?)<\/p>/s) { my $t = $1;
		$t =~ s/&#39;/\x27/g; $t =~ s/&quot;/"/g; $t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&amp;/&/g;
		print "$t\n" }' "$T/.body"
}
replies_of() { # replies_of CIRC MEMBER
	run ballot history --circular "$1" --member "$2" --json
	jcol . kind | grep -cE '^(reply|withdrawal)$'
}
checked() { # checked NAME: the value of the checked radio NAME on the page
	sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\" checked.*/\1/p" "$T/.body"
}
has() { # has TEXT DESC: the page holds TEXT (a fixed string)
	ok "$2" grep -qF -- "$1" "$T/.body"
}
value_of() { # value_of NAME: the value of input NAME on the page
	sed -n "s/.*name=\"$1\"[^>]* value=\"\([^\"]*\)\".*/\1/p" "$T/.body" | head -n 1
}

# --- set-up -------------------------------------------------------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "Another." --circular 205 --rec Q.5052 --title "Second draft"
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-12-02 \
	--meeting-start 2020-06-02 --meeting-end 2020-06-11
expect_exit 0 ballot draft add --summary "A summary." --circular 206 --rec Q.6000 --title "Draft of 206"
at 2020-01-10T09:00:00Z
for who in CHE CHN; do
	expect_exit 0 ballot forms --circular 205 --member "$who" --lang en --out "$T/f" --jobs 1
done
expect_exit 0 ballot forms --circular 206 --member CHE --lang en --out "$T/f" --jobs 1
F=$T/f/205/en
$FILL "$F/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=not-authorize \
	signatory.name="Jane Doe" signatory.title="Director"
$FILL "$F/CHN.pdf" "$T/chn.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize
$FILL "$T/f/206/en/CHE.pdf" "$T/206.pdf" draft.Q.6000.choice=authorize
$FILL "$F/CHE.pdf" "$T/two.pdf" draft.Q.5051.choice=authorize+not-authorize draft.Q.5052.choice=authorize
$FILL "$F/CHE.pdf" "$T/none.pdf" draft.Q.5051.choice=authorize
# a signed form (an NSS database made by certutil, signed by poppler's pdfsig), and a byte changed in it
nss_init
nss_cert signer "CN=Jane Doe,O=OFCOM,C=CH" "CT,C,C" -x
ok "pdfsig signs the filled form" pdf_sign signer "$T/filled.pdf" "$T/signed.pdf"
sed 's/(Jane Doe)/(Jane Dog)/' "$T/signed.pdf" >"$T/tampered.pdf"
nok "the tampered copy differs" cmp -s "$T/signed.pdf" "$T/tampered.pdf"
printf 'not a form\n' >"$T/notes.txt"

CODE=$(new_code 205 CHE)
CODE6=$(new_code 206 CHE)
dev_certs
at 2020-01-15T09:00:00Z # 205 and 206 open
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin che CHE "$CODE"
is "$ST" 303 "CHE signs in with its code"

# the history before any reply says so (at 390 px an empty table was a blank page)
get che /member/history
like "$BODY" "<p class=\"none\" id=\"history-none\">$(words en none)</p>" "the history with no reply yet says so"
like "$BODY" '<a href="/member">' "  ... and links back to the consultations"

# --- the upload field on the consultation's page ------------------------------
get che /member/c/205
is "$ST" 200 "GET /member/c/205: 200"
like "$BODY" '<form method="post" enctype="multipart/form-data" action="/member/c/205/from-pdf">' \
	"  ... the upload form, beside the reply form"
like "$BODY" '<input type="file" id="pdf" name="pdf" accept=".pdf,application/pdf,.png,image/png,.jpg,.jpeg,image/jpeg,.tif,.tiff,image/tiff"' "  ... its file field"
has "<label for=\"pdf\">$(words en pdf_label)</label>" "  ... labelled"
CSRF=$(csrf_of)
upload() { # upload FILE [JAR]: the upload POST
	post "${2:-che}" /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$1"
}

# --- refusals: next to the upload field, nothing kept --------------------------
refused() { # refused FILE STATUS KEY DESC
	upload "$1"
	is "$ST" "$2" "$4: $2"
	is "$(field_err)" "$(words en "$3")" "  ... the sentence next to the upload field ($3)"
	like "$BODY" 'id="pdf" name="pdf"[^>]* aria-invalid="true" aria-describedby="err-pdf" autofocus' \
		"  ... the field marked and focused"
	like "$BODY" '<details' "  ... the English line for the secretariat in a <details>"
	get che /member/c/205/from-pdf
	is "$ST" 404 "  ... nothing kept: GET .../from-pdf is 404"
}
refused "$T/chn.pdf" 400 pdf_err_member "CHN's form uploaded by CHE"
has "$(words en pdf_gone)" "  ... and says that no form is kept"
refused "$T/206.pdf" 400 pdf_err_member "a form of circular 206 uploaded for 205"
refused "$T/two.pdf" 400 pdf_err_two "a draft with two choices ticked"
refused "$T/none.pdf" 400 pdf_err_choice "a draft with no choice ticked"
refused "$T/notes.txt" 400 pdf_err_read "a text file"
refused "$T/tampered.pdf" 400 pdf_err_signature "a signed form changed after signing"
post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "x=1"
is "$ST" 400 "no file: 400"
is "$(field_err)" "$(words en pdf_err_none)" "  ... pdf_err_none next to the field"
post che /member/c/205/from-pdf -F "pdf=@$T/filled.pdf"
is "$ST" 403 "an upload without the CSRF field: 403"
is "$(replies_of 205 CHE)" 0 "nothing recorded by any of them"
# in Chinese: the same sentence in the page's language
get che "/member/c/205?lang=zh"
upload "$T/two.pdf"
is "$(field_err)" "$(words zh pdf_err_two)" "in Chinese: the sentence in Chinese"
get che "/member/c/205?lang=ar"
upload "$T/two.pdf"
is "$(field_err)" "$(words ar pdf_err_two)" "in Arabic: the sentence in Arabic"
get che "/member/c/205?lang=en"

# --- a form read: 303 to the reply form filled in -----------------------------
upload "$T/filled.pdf"
is "$ST" 303 "the filled form uploaded: 303 (Post/Redirect/Get)"
is "$(hdr Location)" /member/c/205/from-pdf "  ... to GET /member/c/205/from-pdf"
is "$(replies_of 205 CHE)" 0 "  ... nothing recorded yet"
get che /member/c/205/from-pdf
is "$ST" 200 "GET .../from-pdf: 200"
is "$(checked choice-1)" authorize "  ... Q.5051's choice: authorize, as ticked on the form"
is "$(checked choice-2)" not-authorize "  ... Q.5052's choice: not-authorize"
is "$(value_of signatory)" "Jane Doe" "  ... the signatory"
is "$(value_of title)" "Director" "  ... the title"
is "$(classes kept-name)" filled.pdf "  ... the PDF named as the file each reply keeps"
has "$(words en prefill_intro)" "  ... and says that nothing is recorded before sending"
KEPT=$(value_of kept)
like "$KEPT" '^[0-9a-f]{32}$' "  ... the kept form's id in a hidden field"
ONCE=$(once_in /member/c/205/reply)
like "$ONCE" '^[0-9a-f]{64}$' "  ... the reply form's single-use token"
get che /member/c/205/from-pdf
is "$(value_of kept)" "$KEPT" "a reload shows the same kept form"

# the administration changes one choice and sends: the kept PDF is attached to both replies
send() {
	post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=authorize \
		-F choice-2=authorize -F "signatory=Jane Doe" -F title=Director -F "kept=$KEPT"
}
send
is "$ST" 303 "the confirmed reply: 303"
LOC=$(hdr Location)
like "$LOC" '^/member/sent/[0-9]+,[0-9]+$' "  ... to the receipt page of both replies"
is "$(replies_of 205 CHE)" 2 "  ... two replies recorded"
run ballot history --circular 205 --member CHE --json
SHA=$(sha256sum "$T/filled.pdf" | cut -d' ' -f1)
is "$(printf '%s' "$OUT" | $PY -c 'import json,sys
print(" ".join(sorted(a["name"] + ":" + a["role"] + ":" + a["sha256"] for it in json.load(sys.stdin)
	for a in it["attachments"])))')" "filled.pdf:form:$SHA filled.pdf:form:$SHA" \
	"  ... each keeps the uploaded PDF, byte for byte, as the form received"
is "$(jcol . what | tr '\n' ' ')" "authorize authorize " "  ... with the choices confirmed (one changed)"
send
is "$ST $(hdr Location)" "303 $LOC" "the same POST again (reload, Back, double click): the first outcome"
is "$(replies_of 205 CHE)" 2 "  ... still two replies"
get che /member/c/205/from-pdf
is "$ST" 404 "once recorded, the form is no longer kept: 404"
get che /member/history
unlike "$BODY" 'id="history-none"' "the history with replies: no \"none\""

# a kept form that has gone by the time the reply is sent: refused, the upload asked again
upload "$T/filled.pdf"
get che /member/c/205/from-pdf
ONCE=$(once_in /member/c/205/reply)
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=authorize -F "kept=0123456789abcdef0123456789abcdef"
is "$ST" 409 "a reply naming a form no longer kept: 409"
is "$(field_err)" "$(words en pdf_gone)" "  ... pdf_gone next to the upload field"
is "$(replies_of 205 CHE)" 2 "  ... nothing recorded"

# a signed form: the signer is shown, and kept with each reply (not verified: no certificate registered)
upload "$T/signed.pdf"
is "$ST" 303 "a signed form uploaded: 303"
get che /member/c/205/from-pdf
like "$(classes signer)" 'CN=Jane Doe,O=OFCOM,C=CH' "  ... the signer shown"
like "$BODY" 'class="kept-signer" data-verified="0"' "  ... not verified"
ONCE=$(once_in /member/c/205/reply)
KEPT=$(value_of kept)
# sent as signed (a choice, signatory or title changed from the signed form is
# recorded without the signer: 115-signed-changed-portal.t)
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=authorize -F choice-2=not-authorize \
	-F "signatory=Jane Doe" -F title=Director -F "kept=$KEPT"
is "$ST" 303 "  ... confirmed: 303"
run ballot history --circular 205 --member CHE --json
is "$(printf '%s' "$OUT" | $PY -c 'import json,sys
h = json.load(sys.stdin)[-1]; print(h.get("signer_subject") or h.get("signer", {}).get("subject"))')" \
	"CN=Jane Doe,O=OFCOM,C=CH" "  ... the reply keeps the signer"

# a form issued before a draft was added (circular 206): read as issued, as
# `reply --from-pdf` reads it (session 15: refused before), the draft added
# since named; a form whose digest names drafts 206 does not have: refused
signin che6 CHE "$CODE6"
get che6 /member/c/206
CSRF6=$(csrf_of)
expect_exit 0 ballot draft add --summary "Added." --circular 206 --rec Q.6001 --title "Added draft"
post che6 /member/c/206/from-pdf -F "csrf=$CSRF6" -F "pdf=@$T/206.pdf"
is "$ST" 303 "a form issued before a draft was added: 303, read as issued"
get che6 /member/c/206/from-pdf
is "$(checked choice-1)" authorize "  ... its draft Q.6000 pre-filled"
is "$(checked choice-2)" "" "  ... Q.6001, added since, not"
like "$BODY" '<p class="kept-added" id="kept-added">[^<]*<span class="kept-added-drafts"[^>]*>Q\.6001</span>' \
	"  ... and named as not answered by the form"
$FILL "$T/f/206/en/CHE.pdf" "$T/206-forged.pdf" draft.Q.6000.choice=authorize \
	form.reference=ballot:206:CHE:en:0123456789abcdef
post che6 /member/c/206/from-pdf -F "csrf=$CSRF6" -F "pdf=@$T/206-forged.pdf"
is "$ST" 400 "a form issued for drafts 206 does not have: 400"
is "$(field_err)" "$(words en pdf_err_stale)" "  ... pdf_err_stale next to the upload field"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
done_testing
