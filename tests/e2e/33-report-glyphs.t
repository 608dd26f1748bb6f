#!/usr/bin/env bash
# 33-report-glyphs.t - what an administration sends never stops a report or
# a form (issue 14, finding 7). Attachment names and signatories in Ethiopic
# (no installed font covers it), beyond U+FFFF (𝔘, an emoji: libharu 2.3.0
# would print spaces) and mixed with Latin, Chinese and Arabic, sent with
# `ballot reply` and through the portal: `report` exits 0 in every language,
# draws each such character as □ and says so in a note; the portal's
# report.pdf gives the same bytes; after the replies are superseded and
# withdrawn it still works; the forms do not change; comments, export and
# publish carry the names as UTF-8. A Member State name stored in the
# database that no font covers is drawn as □ too (forms warn, the report
# notes it).
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp pdftotext qpdf

trap 'serve_stop; _cleanup' EXIT

LANGS="en fr es ru zh ar"
MARK='□'

# The text of a PDF, NFKC-normalised (Arabic comes out in presentation
# forms), without spaces, line breaks, bidi controls, combining marks,
# parentheses and colons (their place in extracted right-to-left text
# varies).
flat() { perl -CS -MUnicode::Normalize -0777 -ne 'my $t = NFKC($_);
	$t =~ s/[\s():\p{Mn}\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]//g; print $t'; }
marks() { perl -CS -0777 -ne 'print scalar(() = /\x{25A1}/g)'; } # how many □
pdf_flat() { pdftotext "$1" - 2>/dev/null | flat; }
# The note line of KEY in language L with count N, flattened like the text.
note_of() { # note_of L KEY N
	sed -n "s/^$2 = //p" "$REPO/forms/report/$1.txt" |
		sed -e "s/{mark}/$MARK/" -e "s/{n}/$3/" | flat
}
has() { # has TEXT PART DESC
	case $1 in
	*"$2"*) pass "$3" ;;
	*) fail "$3"; diag "'$2' not in:" "${1:0:1500}" ;;
	esac
}
hasnt() { # hasnt TEXT PART DESC
	case $1 in
	*"$2"*) fail "$3"; diag "'$2' found in:" "${1:0:1500}" ;;
	*) pass "$3" ;;
	esac
}

# --- set-up: a consultation, forms before any reply --------------------------
expect_exit 0 ballot init
setup_205
expect_exit 0 ballot forms --circular 205 --member ETH,USA,SAU --lang all --out "$T/forms-before" --jobs 1

mkdir -p "$T/in"
ETH_NAME='ሀሁሂ.pdf'           # Ethiopic: no installed font
USA_NAME='𝔘nicode 😀.txt'     # beyond U+FFFF: a Fraktur letter and an emoji
CHN_NAME='理由 ሀ.txt'         # Chinese and Ethiopic
SAU_NAME='أسباب ሀ.txt'        # Arabic and Ethiopic
FRA_NAME='commentaires.txt'   # prints as it is
printf '%%PDF-1.4\n%% comments of Ethiopia\n%%%%EOF\n' >"$T/in/$ETH_NAME"
printf 'Comments of the United States.\n' >"$T/in/$USA_NAME"
printf 'Reasons of China.\n' >"$T/in/$CHN_NAME"
printf 'Reasons of Saudi Arabia.\n' >"$T/in/$SAU_NAME"
printf 'Commentaires de la France.\n' >"$T/in/$FRA_NAME"

at 2020-02-10T12:00:00Z
expect_exit 0 ballot reply --circular 205 --member ETH --authorize --comments "$T/in/$ETH_NAME" \
	--signatory 'ሀሁሂ ኢትዮጵያ' --title 'ሚኒስትር' --received 2020-01-15T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member USA --authorize --comments "$T/in/$USA_NAME" \
	--signatory 'J. 𝔘 Doe 😀' --received 2020-01-16T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member CHN --not-authorize --reasons "$T/in/$CHN_NAME" \
	--signatory '张三 ሀ' --received 2020-01-17T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member SAU --not-authorize --reasons "$T/in/$SAU_NAME" \
	--signatory 'محمد ሀ' --received 2020-01-18T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member FRA --authorize --comments "$T/in/$FRA_NAME" \
	--signatory 'M. Dupont' --received 2020-01-19T09:00:00Z

# --- the forms: unaffected by what the replies hold ---------------------------
expect_exit 0 ballot forms --circular 205 --member ETH,USA,SAU --lang all --out "$T/forms-after" --jobs 1
is "$ERR" "" "  ... and says nothing on stderr"
ok "the forms are byte-identical to those made before the replies" diff -r "$T/forms-before" "$T/forms-after"

# --- the report, in every language --------------------------------------------
expect_exit 0 ballot report --circular 205 --lang all --dir "$T/r1"
for l in $LANGS; do
	f=$T/r1/205-$l.pdf
	ok "$l: qpdf --check" qpdf --check "$f"
	txt=$(pdf_flat "$f")
	has "$txt" "$(note_of "$l" unprintable_attachments 4)" "$l: the note says 4 attachment names are shown with $MARK"
	hasnt "$txt" "$(note_of "$l" unprintable_members 1 | sed 's/1$//')" "$l: no note on Member State names"
	# 3 for ሀሁሂ, 2 for 𝔘 and 😀, 1 each for the ሀ of the Chinese and
	# Arabic names, 1 in the note
	is "$(printf '%s' "$txt" | marks)" 8 "$l: 8 marks: one per character that cannot be printed, one in the note"
	has "$txt" "${MARK}nicode$MARK.txt" "$l: 𝔘 and 😀 are one $MARK each (not spaces)"
	has "$txt" "理由$MARK.txt" "$l: the Chinese name keeps its Chinese, Ethiopic as $MARK"
	has "$txt" "$(printf 'أسباب' | flat)" "$l: the Arabic name keeps its Arabic"
	has "$txt" "$FRA_NAME" "$l: a Latin name prints as it is"
done
en=$(pdftotext -layout "$T/r1/205-en.pdf" - 2>/dev/null)
like "$en" "^ *Attachment names with characters that no installed font can print \\(shown as $MARK\\): 4\$" \
	"en: the note, word for word"
like "$en" "ETH Ethiopia +Authorizes, comments +15 January 2020 09:00 +$MARK$MARK$MARK\\.pdf" \
	"en: Ethiopia's attachment reads $MARK$MARK$MARK.pdf"
like "$en" "FRA France +Authorizes, comments +19 January 2020 09:00 +commentaires\\.txt" "en: France's row is intact"

# the same database gives the same bytes
expect_exit 0 ballot report --circular 205 --lang all --dir "$T/r2"
for l in $LANGS; do
	ok "$l: the same bytes twice" cmp "$T/r1/205-$l.pdf" "$T/r2/205-$l.pdf"
done

# --- text outputs carry the names as UTF-8 ---------------------------------------
expect_exit 0 ballot comments --circular 205 --out "$T/comments"
man=$(cat "$T/comments/manifest.tsv")
for n in "$ETH_NAME" "$USA_NAME" "$CHN_NAME" "$SAU_NAME"; do
	has "$man" "	$n	" "comments manifest: '$n' as sent"
done
expect_exit 0 ballot export --circular 205 --format csv
for n in "$ETH_NAME" "$USA_NAME" "$CHN_NAME" "$SAU_NAME"; do
	has "$OUT" "$n" "export csv: '$n'"
done
expect_exit 0 ballot export --circular 205 --format json
ok "export json is valid JSON" jvalid
has "$OUT" "$USA_NAME" "export json: '$USA_NAME'"
expect_exit 0 ballot history --circular 205 --member USA --json
is "$(jget '[0].signatory')" 'J. 𝔘 Doe 😀' "history: the signatory as sent"
expect_exit 0 ballot publish --circular 205 --out "$T/pub" --attachments
has "$(cat "$T/pub"/*.json)" "$ETH_NAME" "publish: the JSON carries '$ETH_NAME'"
has "$(cat "$T/pub"/events.jsonl)" 'J. 𝔘 Doe 😀' "publish: the events carry the signatory"
ballot keys show >"$T/pub.txt"
expect_exit 0 ballot verify-bundle "$T/pub" --key "$T/pub.txt"

# --- the portal: an Ethiopic file name uploaded, the report downloaded ---------
expect_exit 0 ballot codes issue --circular 205 --member ERI
ERI_CODE=$(printf '%s\n' "$OUT" | awk -F'\t' 'NR == 2 { print $2 }')
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
expect_exit 0 ballot tls dev-certs --out "$T/ca"
CA_PEM=$T/ca/ca.pem SRV_CERT=$T/ca/server.pem SRV_KEY=$T/ca/server-key.pem
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }

signin eri ERI "$ERI_CODE"
is "$ST" 303 "Eritrea signs in with its code"
get eri /member/c/205
tok=$(csrf_of)
reply_post eri /member/c/205/reply -F "csrf=$tok" -F choice-1=authorize-with-comments \
	-F "file-1=@$T/in/$ETH_NAME;filename=ሰነድ.pdf;type=application/pdf" -F "signatory=ሀሁሂ 😀"
is "$ST" 200 "a reply with an attachment named ሰነድ.pdf is accepted"

signin_user tsb tsb "$PW"
is "$ST" 303 "the secretariat signs in"
portal_reports() { # portal_reports TAG: every language, as the CLI's bytes
	local l
	for l in $LANGS; do
		get tsb "/secretariat/c/205/report.pdf?lang=$l" 2>/dev/null
		is "$ST" 200 "$1: GET report.pdf?lang=$l: 200"
		cp "$T/.body" "$T/portal-$l.pdf"
		ballot report --circular 205 --lang "$l" --out "$T/cli-$l.pdf" >/dev/null 2>"$T/.cli-err"
		ok "  ... byte-identical to report --lang $l" cmp "$T/portal-$l.pdf" "$T/cli-$l.pdf"
	done
}
portal_reports "with ሰነድ.pdf"
has "$(pdf_flat "$T/portal-en.pdf")" "$(note_of en unprintable_attachments 5)" "the note now counts 5 attachment names"
is "$(pdf_flat "$T/portal-en.pdf" | marks)" 11 "  ... ሰነድ.pdf among them (3 marks more)"

# --- superseded and withdrawn: the names stay in the report --------------------
expect_exit 0 ballot reply --circular 205 --member ETH --authorize --received 2020-02-01T09:00:00Z
expect_exit 0 ballot withdraw --circular 205 --member USA --received 2020-02-02T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member ERI --authorize --received 2020-02-03T09:00:00Z
expect_exit 0 ballot withdraw --circular 205 --member ERI --received 2020-02-04T09:00:00Z
portal_reports "superseded and withdrawn"
expect_exit 0 ballot report --circular 205 --lang all --dir "$T/r3"
for l in $LANGS; do
	has "$(pdf_flat "$T/r3/205-$l.pdf")" "$(note_of "$l" unprintable_attachments 5)" "$l: the note still counts 5"
done
en=$(pdftotext -layout "$T/r3/205-en.pdf" - 2>/dev/null)
like "$en" "ETH Ethiopia +Authorizes, comments +15 January 2020 09:00 +$MARK$MARK$MARK\\.pdf +superseded" \
	"en: Ethiopia's superseded reply, its attachment as $MARK$MARK$MARK.pdf"
like "$en" "USA United States.* +Withdrawn +2 February 2020 09:00" "en: the United States' withdrawal is listed"
serve_stop

# --- a Member State name stored in the database that no font covers ----------
printf 'alpha3\talpha2\tname\tmember_since\nETH\tET\tኢትዮጵያ\t\n' >"$T/in/members.tsv"
expect_exit 0 ballot members import "$T/in/members.tsv"
rm -rf "$T/forms-eth"
expect_exit 0 ballot forms --circular 205 --member ETH --lang en,fr --out "$T/forms-eth" --jobs 1
like "$ERR" '^ballot: warning: member name \(ETH, en\): character U\+12A2 .* the forms show it as □$' \
	"forms warn: the stored name of ETH holds U+12A2"
is "$(printf '%s\n' "$ERR" | grep -c .)" 1 "  ... once"
has "$(pdf_flat "$T/forms-eth/205/en/ETH.pdf")" "$MARK$MARK$MARK$MARK$MARK" "en form: the name as $MARK$MARK$MARK$MARK$MARK"
expect_exit 0 ballot report --circular 205 --lang en --out "$T/r-eth.pdf"
has "$(pdf_flat "$T/r-eth.pdf")" "$(note_of en unprintable_members 1)" "the report notes 1 Member State name"
has "$(pdf_flat "$T/r-eth.pdf")" "ETH$MARK$MARK$MARK$MARK$MARK" "  ... and shows it as $MARK$MARK$MARK$MARK$MARK"

done_testing
