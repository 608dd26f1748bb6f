#!/usr/bin/env bash
# 62-receipt-pdf.t - receipts as PDF and the draft's text (issue 15).
# `ballot receipt show --pdf FILE --lang L` writes the signed
# receipt as a PDF in L (circular, member, draft and choice, received and
# recorded in ISO 8601 UTC, channel, attachments with SHA-256, event, chain
# hash, key, signature, how to verify it, a QR code of its verification
# data), the same bytes each time; the portal serves it as an attachment to
# the member whose reply it is (and to the secretariat), linked from the
# receipt and history pages. `draft add --text` keeps the text itself:
# `ballot draft text` gives it back, the member's consultation page links to
# it beside its SHA-256, `check` finds a changed text, backup and restore
# carry it; an old database (the hash alone) still works.
. "$(dirname "$0")/lib.sh"
. "$E2E/portal-lib.sh"
need_tools curl perl cmp sqlite3 pdftotext pdftoppm pdfinfo zbarimg

trap 'serve_stop; _cleanup' EXIT

# --- set-up -----------------------------------------------------------------
expect_exit 0 ballot init
setup_205
printf 'Draft Recommendation ITU-T Q.5052\nThe exact text, with é and 中文.\n' >"$T/q5052.txt"
at 2019-12-02T12:00:00Z
expect_exit 0 ballot draft add --summary "Second." --circular 205 --rec Q.5052 --title "Second draft" --text "$T/q5052.txt"
SHA=$(sha256sum "$T/q5052.txt" | cut -d' ' -f1)
SIZE=$(wc -c <"$T/q5052.txt")

# --- the draft's text on the command line ------------------------------------------
expect_exit 0 ballot draft text --circular 205 --draft Q.5052
ballot draft text --circular 205 --draft Q.5052 >"$T/got.txt"
ok "  ... the bytes draft add --text was given (stdout)" cmp "$T/got.txt" "$T/q5052.txt"
run ballot draft text --circular 205 --draft Q.5052 --out "$T/out.txt"
ok "  ... with --out FILE: the same bytes" cmp "$T/out.txt" "$T/q5052.txt"
like "$OUT" "saved to .*out.txt \\($SIZE bytes, sha256 $SHA\\)" "  ... and says so with its size and SHA-256"
refused_like "--draft: draft 'Q.5051' of consultation '205' has no text" ballot draft text --circular 205 --draft Q.5051
refused_like "--draft: consultation '205' has no draft 'Q.9999'" ballot draft text --circular 205 --draft Q.9999
refused_like "--circular" ballot draft text --circular 999 --draft Q.5051
# over the cap: one line naming --text and the size, nothing stored
mkbytes "$T/big.bin" $((16 * 1024 * 1024 + 1))
refused_like "^ballot: --text: 16777217 bytes, more than the 16777216 a draft text may have\$" \
	ballot draft add --summary "S." --circular 205 --rec Q.5053 --title "Too big" --text "$T/big.bin"
mkbytes "$T/cap.bin" $((16 * 1024 * 1024))
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5054 --title "At the cap" --text "$T/cap.bin"
run ballot draft text --circular 205 --draft Q.5054 --out "$T/cap.out"
ok "  ... a text of exactly the cap is kept and given back" cmp "$T/cap.out" "$T/cap.bin"

# --- replies and their receipts ------------------------------------------------
at 2020-01-15T09:00:00Z
printf 'Comments of Switzerland.\n' >"$T/che.txt"
expect_exit 0 ballot reply --circular 205 --member CHE --draft Q.5051 --authorize --comments "$T/che.txt" \
	--channel email --signatory "Jean Müller" --title "Ambassadeur"
SEQ=$(ballot history --circular 205 --json | perl -MJSON::PP -0777 -ne '
	for (@{decode_json($_)}) { print $_->{seq} if $_->{member} eq "CHE" }')
like "$SEQ" '^[0-9]+$' "CHE's reply is event $SEQ"
ATT=$(sha256sum "$T/che.txt" | cut -d' ' -f1)
KEY=$(ballot keys show | grep -o 'ed25519:[0-9a-f]*' | head -n 1)

# --- the receipt PDF on the command line: three languages ------------------------
declare -A WANT=([en]="Receipt — TSB Circular 205|Authorizes, comments attached|Switzerland|E-mail"
	[ar]="إيصال|مع تعليقات مرفقة|سويسرا|البريد الإلكتروني"
	[zh]="回执|授权，意见后附|瑞士|电子邮件")
for l in en ar zh; do
	run ballot receipt show --event "$SEQ" --pdf "$T/r-$l.pdf" --lang "$l" --receipt "$T/receipt-205-1.json"
	is "$RC" 0 "$l: receipt show --pdf --lang $l: exit 0"
	like "$OUT" "receipt PDF \\($l\\) saved to" "  ... says where"
	ok "  ... the JSON too with --receipt" ballot receipt verify "$T/receipt-205-1.json" --key "$KEY"
	# logical order: NFKC (Arabic presentation forms back to letters), bidi marks out
	txt=$(pdftotext "$T/r-$l.pdf" - 2>/dev/null | perl -CSD -MUnicode::Normalize -pe '$_ = NFKC($_); s/[\x{200e}\x{200f}\x{202a}-\x{202e}]//g')
	IFS='|' read -r -a want <<<"${WANT[$l]}"
	for w in "${want[@]}" 2020-01-15T09:00:00Z "$ATT" "$KEY" "ballot receipt verify receipt-205-1.json --key" \
		"Q.5051" "che.txt" "Jean Müller"; do
		w=$(printf '%s' "$w" | perl -CSD -MUnicode::Normalize -pe '$_ = NFKC($_)')
		case $txt in
		*"$w"*) pass "  ... pdftotext finds '$w'" ;;
		*) fail "  ... pdftotext finds '$w'"; diag "$txt" ;;
		esac
	done
	ok "  ... pdfinfo reads it" pdfinfo "$T/r-$l.pdf"
	pdftoppm -r 110 -png "$T/r-$l.pdf" "$T/page-$l"
	ok "  ... pdftoppm renders it" test -s "$T/page-$l-1.png"
	qr=$(zbarimg -q --raw "$T/page-$l-1.png" 2>/dev/null)
	is "$qr" "ballot-receipt/1 event=$SEQ hash=$(jget .hash "$(cat "$T/receipt-205-1.json")") key=$KEY signature=$(jget .signature "$(cat "$T/receipt-205-1.json")")" \
		"  ... its QR code reads back as the receipt's verification data"
	[ -n "${S13_DOCS_KEEP:-}" ] && cp "$T/page-$l-1.png" "$S13_DOCS_KEEP/receipt-$l.png"
done
like "$(pdfinfo "$T/r-ar.pdf" 2>/dev/null)" "" "ar: pdfinfo"
ballot receipt show --event "$SEQ" --pdf "$T/again.pdf" --lang ar --receipt "$T/receipt-205-1.json" >/dev/null
ok "byte-reproducible: the same receipt and language give the same bytes" cmp "$T/again.pdf" "$T/r-ar.pdf"
# --pdf -: the PDF alone on stdout (no file named "-")
(cd "$T" && ballot receipt show --event "$SEQ" --pdf - --lang ar --receipt "$T/receipt-205-1.json" >"$T/stdout.pdf")
is "$?" 0 "--pdf -: exit 0"
ok "--pdf -: stdout holds the PDF, the same bytes as --pdf FILE" cmp "$T/stdout.pdf" "$T/r-ar.pdf"
ok "  ... and no file named '-' was written" test ! -e "$T/-"
refused_like "--lang: unknown language 'xx'" ballot receipt show --event "$SEQ" --pdf "$T/x.pdf" --lang xx
ok "  ... and no file was written" test ! -e "$T/x.pdf"
refused_like "--lang: only with --pdf" ballot receipt show --event "$SEQ" --lang en
refused_like "--event: event 1 is not a reply, withdrawal or decision" ballot receipt show --event 1 --pdf "$T/x.pdf"

# --- the portal --------------------------------------------------------------------
CODE=$(new_code 205 CHE)
CODE2=$(new_code 205 DEU)
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
dev_certs
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin che CHE "$CODE"
is "$ST" 303 "CHE signs in"
get che /member/receipt/1
is "$ST" 200 "the receipt page: 200"
like "$BODY" '<a class="receipt-pdf" type="application/pdf" href="/member/receipt/1.pdf">Receipt \(PDF\)</a>' \
	"  ... links to its PDF"
get che /member/history
like "$BODY" 'href="/member/receipt/1.pdf"' "the history page links to it too"
get che /member/receipt/1.pdf
is "$ST" 200 "GET /member/receipt/1.pdf: 200"
is "$(hdr Content-Type)" "application/pdf" "  ... application/pdf"
is "$(hdr Content-Disposition)" 'attachment; filename="receipt-205-1-en.pdf"' "  ... as an attachment"
ok "  ... the bytes of ballot receipt show --pdf (en) for its JSON's name" cmp "$T/.body" "$T/r-en.pdf"
get che "/member/receipt/1.pdf?lang=ar"
ok "  ... in the page's language (ar): the same bytes as the command line's" cmp "$T/.body" "$T/r-ar.pdf"
is "$(hdr Content-Disposition)" 'attachment; filename="receipt-205-1-ar.pdf"' "  ... named with its language"
signin deu DEU "$CODE2"
get deu /member/receipt/1.pdf
is "$ST" 403 "another administration asking for CHE's receipt PDF: 403"
unlike "$BODY" '%PDF' "  ... and no PDF"
get deu /member/receipt/99.pdf
is "$ST" 403 "  ... a reply number that does not exist: the same 403"
get deu /member/receipt/x.pdf
is "$ST" 404 "  ... not a number: 404"
get - /member/receipt/1.pdf
isnt "$ST" 200 "not signed in: no PDF ($ST)"
signin_user tsb tsb "$PW"
get tsb "/secretariat/receipt/$SEQ.pdf?lang=zh"
is "$ST" 200 "the secretariat: /secretariat/receipt/$SEQ.pdf 200"
ok "  ... the bytes of the command line's for its JSON name" sh -c \
	"ballot() { \"\$BALLOT_BIN\" \"\$@\"; }; \"\$BALLOT_BIN\" receipt show --event $SEQ --pdf '$T/s-zh.pdf' --lang zh --receipt '$T/receipt-205-event-$SEQ.json' >/dev/null && cmp '$T/.body' '$T/s-zh.pdf'"
get tsb /secretariat/receipt/1.pdf
is "$ST" 404 "  ... an event with no receipt: 404"

# --- the draft's text in the portal ------------------------------------------------
get che "/member/c/205?lang=en"
like "$BODY" "<code class=\"text-sha256\" dir=\"ltr\">$SHA</code>" "the consultation page shows the text's SHA-256"
like "$BODY" "<a class=\"draft-text\" href=\"/member/c/205/draft/Q.5052/text\" download>Download the text \\($SIZE bytes\\)</a>" \
	"  ... and a link to the text beside it"
unlike "$BODY" 'href="/member/c/205/draft/Q.5051/text"' "  ... none for the draft without a text"
get che /member/c/205/draft/Q.5052/text
is "$ST" 200 "GET the text: 200"
ok "  ... the bytes draft add --text was given" cmp "$T/.body" "$T/q5052.txt"
is "$(hdr Content-Disposition)" 'attachment; filename="205-Q.5052-text.txt"' "  ... as an attachment"
is "$(hdr Content-Type)" 'text/plain; charset=utf-8' "  ... plain text"
get che /member/c/205/draft/Q.5051/text
is "$ST" 404 "a draft without a text: 404"
get che /member/c/205/draft/Q.9999/text
is "$ST" 404 "an unknown draft: 404"
get deu /member/c/205/draft/Q.5052/text
is "$ST" 200 "another member of the electorate may read the draft's text too"
expect_exit 0 ballot consultation create --circular 301 --group 12 --date 2019-12-02 \
	--meeting-start 2020-06-02 --meeting-end 2020-06-11
get che /member/c/301/draft/Q.5052/text
is "$ST" 403 "a circular outside the code's scope: 403"
get tsb /secretariat/c/205/draft/Q.5052/text
is "$ST" 200 "the secretariat gets it as well"
ok "  ... the same bytes" cmp "$T/.body" "$T/q5052.txt"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly (exit 0)"

# --- check, backup, restore ------------------------------------------------------
expect_exit 0 ballot backup "$T/copy.db"
expect_exit 0 env BALLOT_DB="$T/restored.db" "$BALLOT_BIN" restore "$T/copy.db"
env BALLOT_DB="$T/restored.db" "$BALLOT_BIN" draft text --circular 205 --draft Q.5052 >"$T/restored.txt"
ok "backup then restore carries the text" cmp "$T/restored.txt" "$T/q5052.txt"
expect_exit 0 ballot check
cp "$BALLOT_DB" "$T/tampered.db"
sqlite3 "$T/tampered.db" "DROP TRIGGER draft_texts_append_only_u; UPDATE draft_texts SET content = CAST('changed' AS BLOB)
	WHERE draft_id = (SELECT id FROM drafts WHERE rec = 'Q.5052')"
run env BALLOT_DB="$T/tampered.db" "$BALLOT_BIN" check
isnt "$RC" 0 "check: a changed draft text fails the check ($RC)"
like "$OUT$ERR" "a draft's text differs from its recorded SHA-256" "  ... naming it"
run env BALLOT_DB="$T/tampered.db" "$BALLOT_BIN" draft text --circular 205 --draft Q.5052
is "$RC" 1 "  ... and draft text refuses to give it out (exit 1)"
like "$ERR" "does not hash to its SHA-256" "  ... saying why"

# --- an old database: the hash alone ------------------------------------------------
V=$(sqlite3 "$BALLOT_DB" 'PRAGMA user_version')
# a schema-7 database (before the draft texts) holding this one's records:
# made from SQL_MIGRATIONS[0..7) by the test tool old_schema
OLD_SCHEMA=$(dirname "$BALLOT_BIN")/tests/old_schema
[ -x "$OLD_SCHEMA" ] || fail "the test tool $OLD_SCHEMA is built (make all / make asan)"
"$OLD_SCHEMA" 7 "$T/old.db" "$BALLOT_DB"
is "$?" 0 "old_schema 7: a schema-7 copy of the database"
for x in .key .witness; do cp "$BALLOT_DB$x" "$T/old.db$x"; done
is "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" 7 "  ... its version is 7"
is "$(sqlite3 "$T/old.db" "SELECT count(*) FROM sqlite_master WHERE name = 'draft_texts'")" 0 "  ... without draft texts"
is "$(sqlite3 "$T/old.db" "SELECT count(*) FROM pragma_table_info('replies') WHERE name LIKE 'signer%'")" 0 \
	"  ... nor the columns later migrations added (the signer's)"
is "$(sqlite3 "$T/old.db" 'SELECT count(*) FROM events')" "$(sqlite3 "$BALLOT_DB" 'SELECT count(*) FROM events')" \
	"  ... with every event"
export BALLOT_DB=$T/old.db
expect_exit 0 ballot config set quota_bytes 1000000 # a write: the upgrade
is "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" "$V" "the old database is upgraded"
refused_like "has only the SHA-256 of its text \\($SHA\\)" ballot draft text --circular 205 --draft Q.5052
expect_exit 0 ballot check
serve_start "$T/serve2.log" || { echo "Bail out! the server did not start"; exit 1; }
signin che2 CHE "$CODE"
get che2 "/member/c/205?lang=en"
is "$ST" 200 "the consultation page of an old database: 200"
like "$BODY" "<code class=\"text-sha256\" dir=\"ltr\">$SHA</code>" "  ... the hash alone"
unlike "$BODY" 'class="draft-text"' "  ... no link"
get che2 /member/c/205/draft/Q.5052/text
is "$ST" 404 "  ... and the text: 404"
serve_stop
is "$SRV_RC" 0 "the server stops cleanly (exit 0)"

done_testing
