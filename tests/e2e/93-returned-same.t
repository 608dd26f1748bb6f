#!/usr/bin/env bash
# 93-returned-same.t - one check of a returned Annex 2 form for the command
# line and the portal (session 15, src/services/returned.c): the same form
# is refused by `ballot reply --from-pdf` and by the portal's upload with the
# same field and the same engine line (the CLI's message after "--from-pdf
# FILE: field ", the portal's English line in its <details>); and the same
# stale rule: a form issued before a draft was added is read as issued by
# both (the CLI warns naming the draft added since, the portal names it on
# the pre-filled form), while one whose digest names drafts the circular
# does not have is refused by both.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
. "$E2E/sign-lib.sh"
need_tools curl perl
signers_need
PW="a secretariat pass phrase"
has() { ok "$2" grep -qF -- "$1" "$T/.body"; }
PY=/usr/bin/python3
FILL="$PY $E2E/fill-form.py"
$PY -c 'import pypdf' 2>/dev/null || { echo "Bail out! python3-pypdf is missing (tests/deps.sh)"; exit 1; }
trap 'serve_stop; _cleanup' EXIT

# the portal's English line of the refusal (its <details>), entities decoded
engine_line() {
	perl -CSD -0777 -ne 'if (/<code class="engine-line">(.*?)<\/code>/s) { my $t = $1;
		$t =~ s/&#39;/\x27/g; $t =~ s/&quot;/"/g; $t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&amp;/&/g;
		print "$t\n" }' "$T/.body"
}

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
for who in CHE FRA; do
	expect_exit 0 ballot forms --circular 205 --member "$who" --lang en --out "$T/f" --jobs 1
done
expect_exit 0 ballot forms --circular 205 --lang en --out "$T/b" --jobs 1
F=$T/f/205/en/CHE.pdf
BLANK=$(ls "$T"/b/205/en/*.pdf | head -n 1)
$FILL "$F" "$T/two.pdf" draft.Q.5051.choice=authorize+not-authorize
$FILL "$F" "$T/none.pdf" signatory.name="Jane Doe"
$FILL "$F" "$T/forged.pdf" draft.Q.5051.choice=authorize form.reference=ballot:205:CHE:en:0123456789abcdef
$FILL "$T/f/205/en/FRA.pdf" "$T/fra.pdf" draft.Q.5051.choice=authorize
$FILL "$BLANK" "$T/blank-fra.pdf" draft.Q.5051.choice=authorize sender.administration="France"
$FILL "$F" "$T/zw.pdf" draft.Q.5051.choice=authorize signatory.name="$(printf 'A\u200bPerson')"
$FILL "$F" "$T/filled.pdf" draft.Q.5051.choice=authorize signatory.name="Jane Doe"
nss_init
nss_cert signer "CN=Jane Doe,O=OFCOM,C=CH" "CT,C,C" -x
ok "pdfsig signs the filled form" pdf_sign signer "$T/filled.pdf" "$T/signed.pdf"
sed 's/(Jane Doe)/(Jane Dog)/' "$T/signed.pdf" >"$T/tampered.pdf"

CODE=$(new_code 205 CHE)
dev_certs
at 2020-01-15T09:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin che CHE "$CODE"
is "$ST" 303 "CHE signs in with its code"
get che /member/c/205
CSRF=$(csrf_of)

# same FILE FIELD DESC: both refuse FILE, naming FIELD, with one engine line
same() {
	local file=$1 field=$2 name cli
	name=$(basename "$file")
	refused_like "^ballot: --from-pdf $name: field " ballot reply --from-pdf "$file" --circular 205 --member CHE
	# the engine's line; its {member} is each front end's name: --member, member
	cli=$(printf '%s\n' "$ERR" | sed -n "s/^ballot: --from-pdf $name: field //p")
	cli=${cli//--member /member }
	post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$file"
	is "$ST" 400 "$3: the portal refuses it too (400)"
	is "$(sed -n 's/.*data-field="\([^"]*\)".*/\1/p' "$T/.body" | head -n 1)" pdf "  ... next to its upload field"
	is "$(engine_line)" "pdf: $cli" "  ... with the command line's engine line"
	like "$cli" "^$(printf '%s' "$field" | sed 's/[.]/\\./g')" "  ... naming the form's field $field"
}
same "$T/two.pdf" draft.Q.5051.choice "two choices ticked"
same "$T/none.pdf" draft.Q.5051.choice "no choice ticked"
same "$T/forged.pdf" form.reference "a digest of drafts 205 does not have"
same "$T/fra.pdf" form.reference "a form issued for FRA"
same "$T/blank-fra.pdf" sender.administration "a blank form naming another administration"
same "$T/zw.pdf" signatory.name "a signatory with a hidden character"
same "$T/tampered.pdf" signature "a signed form changed after signing"
replies() { run ballot history --circular 205 --json; [ "$RC" = 0 ] && jcol . kind | grep -c '^reply$'; }
is "$(replies)" 0 "nothing recorded by either"

# the inbox: a mailed signed form changed after signing is refused at fetch
# with the engine line `reply --from-pdf` gives (the check accept runs), and
# neither `ballot inbox accept` nor the portal's accept takes the entry; the
# entry's page says how its received time was found in the page's language
printf 'CHE\tto\tsecretariat@ofcom.admin.ch\ten\tOFCOM\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
mkdir -p "$T/Maildir/new" "$T/Maildir/cur" "$T/Maildir/tmp"
$PY - "$T/Maildir" "$T/tampered.pdf" <<'PY' || fail "the message is built"
import sys, email.message, os
m = email.message.EmailMessage()
m["Received"] = "from mail.ofcom.admin.ch by mx.itu.int with ESMTPS; Tue, 14 Jan 2020 10:00:00 +0000"
m["From"] = "OFCOM <secretariat@ofcom.admin.ch>"
m["To"] = "tsbsg@itu.int"
m["Subject"] = "Reply to circular 205"
m["Message-ID"] = "<t1@ofcom.admin.ch>"
m.set_content("Our signed reply.\n")
m.add_attachment(open(sys.argv[2], "rb").read(), maintype="application", subtype="pdf", filename="tampered.pdf")
open(os.path.join(sys.argv[1], "new", "01"), "wb").write(bytes(m))
PY
cli=$(ballot reply --from-pdf "$T/tampered.pdf" --circular 205 --dry-run 2>&1 | sed -n 's/^ballot: --from-pdf tampered\.pdf: field //p')
like "$cli" '^signature: ' "reply --from-pdf refuses the tampered form naming its signature"
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/Maildir"
is "$(printf '%s\n' "$OUT" | sed -n 's/^entry 1: refused: field //p')" "$cli" \
	"mail fetch refuses it with the same engine line"
refused_like '^ballot: inbox: entry 1 is refused: only a matched entry is accepted$' ballot inbox accept 1
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
signin_user tsb tsb "$PW"
get tsb /secretariat
SCSRF=$(csrf_of)
act_post tsb /secretariat/inbox/1/accept /secretariat/inbox/1/accept -F "csrf=$SCSRF"
is "$ST" 409 "the portal's inbox accept does not take the refused entry (409)"
is "$(replies)" 0 "  ... nothing recorded"
for l in en zh ar; do
	get tsb "/secretariat/inbox/1?lang=$l"
	has "<dd>$(words $l inbox_by_received)</dd>" "the entry's received time: found by its Received header, in $l"
done

# the stale rule: issued before a draft was added, read as issued by both
at 2020-01-15T10:00:00Z
expect_exit 0 ballot draft add --summary "Added." --circular 205 --rec Q.5052 --title "Added later"
expect_exit 0 ballot reply --from-pdf "$T/filled.pdf" --circular 205 --dry-run
like "$ERR" 'filled\.pdf: the drafts of circular 205 changed after this form was issued \(Q\.5052 added since\)' \
	"the CLI: read as issued, warned, naming the draft added since"
like "$OUT" '^  Q\.5051: authorize$' "  ... its draft"
unlike "$OUT" 'Q\.5052:' "  ... not the one added since"
post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$T/filled.pdf"
is "$ST" 303 "the portal: read as issued (303 to the pre-filled form)"
get che /member/c/205/from-pdf
like "$BODY" '<span class="kept-added-drafts">Q\.5052</span>' "  ... naming the draft added since"
same "$T/forged.pdf" form.reference "still: a digest of no set of 205's drafts"
expect_exit 0 ballot reply --from-pdf "$T/filled.pdf" --circular 205
is "$(replies)" 1 "the form read as issued is recorded: one reply, its one draft"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
done_testing
