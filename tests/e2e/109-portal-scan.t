#!/bin/bash
# User story (issue 17): an administration that printed its Annex 2 form,
# ticked and signed it by hand, uploads the scan in the portal - a PNG, or a
# PDF of page images as a copier's "scan to PDF" makes it - and the portal
# reads it with `ballot scan`'s reader (src/pdf/scan_read.c): the reply form
# comes back pre-filled with the rows the scan reads, a row it cannot read
# left unchosen and named; a stranger's form, a form of another circular, an
# image with no QR code are refused next to the upload field in the page's
# language; nothing is recorded before the administration confirms, and then
# each reply keeps the scan as its form. The secretariat's inbox reads a
# scanned entry again from its attached file (not the proposal mail fetch
# stored in a bounded column), so a form of 14 drafts is accepted whole.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/scan-tick.sh"
. "$HERE/portal-lib.sh"
trap 'serve_stop; _cleanup' EXIT
need_tools pdftoppm pdfinfo convert sqlite3 curl perl /usr/bin/python3
PY=/usr/bin/python3
export MAGICK_THREAD_LIMIT=1
q() { sqlite3 "$BALLOT_DB" "$1"; }
has() { ok "$2" grep -qF -- "$1" "$T/.body"; }
hasnt() { ok "$2" bash -c '! grep -qF -- "$1" "$2"' _ "$1" "$T/.body"; }
field_err() { # the page's sentence next to the upload field, entities decoded
	perl -CSD -0777 -ne 'if (/<p class="field-error" id="err-pdf">(.*?)<\/p>/s) { my $t = $1;
		$t =~ s/&#39;/\x27/g; $t =~ s/&quot;/"/g; $t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&amp;/&/g;
		print "$t\n" }' "$T/.body"
}
checked() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\" checked.*/\1/p" "$T/.body"; }
value_of() { sed -n "s/.*name=\"$1\"[^>]* value=\"\([^\"]*\)\".*/\1/p" "$T/.body" | head -n 1; }
# pages PDF: each page's tick boxes' drafts, "PAGE REC" a line
pages_of() {
	$PY "$HERE/fill-form.py" --widgets "$1" >"$T/w.tsv"
	awk -F'\t' '$2 ~ /^draft\..*\.choice$/ { r = $2; sub(/^draft\./, "", r); sub(/\.choice$/, "", r); print $1, r }' \
		"$T/w.tsv" | sort -u
}
# scan_pdf FORM OUT CHOICE: every row of FORM ticked CHOICE (a cross), each
# page rendered at 150 dpi, made a grey JPEG, the pages a PDF of images
scan_pdf() {
	local form=$1 out=$2 choice=$3 p marks jpgs=()
	pages_of "$form" >"$T/pages"
	for p in $(seq 1 "$(pdfinfo "$form" | awk '/^Pages:/ { print $2 }')"); do
		mapfile -t marks < <(awk -v p="$p" -v c="$choice" '$1 == p { print $2 "=" c ":cross" }' "$T/pages")
		tick "$form" "$p" 150 "$out.$p.png" 0 0 "${marks[@]}" || return 1
		convert "$out.$p.png" -colorspace Gray -quality 90 "$out.$p.jpg" || return 1
		jpgs+=("$out.$p.jpg")
	done
	$PY "$HERE/img2pdf.py" "$out" "${jpgs[@]}"
}

# --- the forms, printed, ticked, scanned ------------------------------------------
scan_circular # 205: Q.5051, Q.5052 (a title on two lines), Q.5053 on page 2
at 2019-12-02T12:00:00Z
expect_exit 0 ballot consultation create --circular 206 --group 11 --date 2019-12-02 \
	--meeting-start 2020-06-02 --meeting-end 2020-06-11
expect_exit 0 ballot draft add --summary "A summary." --circular 206 --rec Q.6000 --title "Draft of 206"
expect_exit 0 ballot consultation create --circular 207 --group 11 --date 2019-12-02 \
	--meeting-start 2020-06-02 --meeting-end 2020-06-11
for i in $(seq -w 1 14); do
	expect_exit 0 ballot draft add --summary "S." --circular 207 --rec "Q.70$i" --title "Draft $i of 207"
done
at 2020-01-10T09:00:00Z
for who in CHE DEU; do
	expect_exit 0 ballot forms --circular 205 --member "$who" --lang en --out "$T/f" --jobs 1
done
expect_exit 0 ballot forms --circular 206 --member CHE --lang en --out "$T/f" --jobs 1
expect_exit 0 ballot forms --circular 207 --member FRA --lang en --out "$T/f" --jobs 1
F=$T/f/205/en
ok "CHE's page 1 ticked (PNG, 150 dpi): Q.5051 crossed, Q.5052 left blank" \
	tick "$F/CHE.pdf" 1 150 "$T/che.png" 0 0 Q.5051=authorize:cross
ok "CHE's form, every page, as a PDF of page images" scan_pdf "$F/CHE.pdf" "$T/che-scan.pdf" not-authorize
is "$(pdffonts "$T/che-scan.pdf" 2>/dev/null | tail -n +3 | wc -l) $(pdfinfo "$T/che-scan.pdf" | awk '/^Pages:/ { print $2 }')" \
	"0 2" "  ... two pages of images, no text"
ok "DEU's form ticked (a stranger's, for CHE)" tick "$F/DEU.pdf" 1 150 "$T/deu.png" 0 0 Q.5051=authorize:cross
ok "CHE's form of circular 206 ticked" tick "$T/f/206/en/CHE.pdf" 1 150 "$T/206.png" 0 0 Q.6000=authorize:cross
convert -size 1240x1754 xc:white -fill black -draw "rectangle 100,100 400,140" "$T/blank.png"
ok "a TIFF of 9 pages" convert "$T/blank.png" -duplicate 8 -compress Group4 "$T/nine.tif"
ok "FRA's form of 207 (14 drafts on 4 pages), every row not-authorize, as a PDF of images" \
	scan_pdf "$T/f/207/en/FRA.pdf" "$T/fra207.pdf" not-authorize

CODE=$(new_code 205 CHE)
dev_certs
at 2020-01-15T09:00:00Z
serve_start "$T/serve.log" || { echo "Bail out! the server did not start"; exit 1; }
signin che CHE "$CODE"
is "$ST" 303 "CHE signs in with its code"
get che /member/c/205
CSRF=$(csrf_of)
upload() { post che /member/c/205/from-pdf -F "csrf=$CSRF" -F "pdf=@$1"; }
replies_of() { q "SELECT count(*) FROM replies WHERE member = '$1'"; }

# --- refusals: next to the upload field, nothing kept ---------------------------------
refused() { # refused FILE KEY DESC
	upload "$1"
	is "$ST" 400 "$3: 400"
	is "$(field_err)" "$(words en "$2")" "  ... the sentence next to the upload field ($2)"
	get che /member/c/205/from-pdf
	is "$ST" 404 "  ... nothing kept"
}
refused "$T/blank.png" pdf_err_scan_noqr "an image with no QR code"
refused "$T/deu.png" pdf_err_scan_member "a scan of DEU's form uploaded by CHE"
refused "$T/206.png" pdf_err_scan_circular "a scan of CHE's form of circular 206 uploaded for 205"
refused "$T/nine.tif" pdf_err_scan_pages "a TIFF of 9 pages (8 are read at most, counted before any is rendered)"
# a PNG whose header says 9000 x 9000 (81 million pixels, over the 72 million
# a scan may hold in the portal): refused before it is decoded
/usr/bin/python3 - "$T/big.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 9000, 9000, 8, 0, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
PY
refused "$T/big.png" pdf_err_scan_size "a PNG of 9000 x 9000 pixels (72 million read at most)"
# a PDF of one A4 page drawing a 9000 x 9000 image (81 million pixels to decode,
# the file a few hundred bytes): refused from the image's size, not rendered
mkpdf "$T/bomb.pdf" 595 9000 1
refused "$T/bomb.pdf" pdf_err_scan_size "a PDF page drawing an image of 81 million pixels"
# a filled form whose fields the reader refuses (a field given twice, ahead of
# every Annex 2 field) is that refusal, as on the command line: not read as a
# scan because no Annex 2 field was reached
/usr/bin/python3 "$HERE/fill-form.py" "$T/f/205/en/CHE.pdf" "$T/filled.pdf" draft.Q.5051.choice=authorize
/usr/bin/python3 "$HERE/form-edit.py" "$T/filled.pdf" "$T/dupfront.pdf" dup-front
refused_like "field note: given twice" ballot reply --from-pdf "$T/dupfront.pdf" --circular 205 --dry-run
refused "$T/dupfront.pdf" pdf_err_read "a filled form with a field given twice (was read as a scan and kept)"
upload "$T/big.png"
like "$BODY" "big.png&#39;: page 1 is 9000 x 9000 pixels|big.png': page 1 is 9000 x 9000 pixels" \
	"  ... the engine's line names the file as uploaded (not a temporary file) and the size"
get che "/member/c/205?lang=zh"
upload "$T/deu.png"
is "$(field_err)" "$(words zh pdf_err_scan_member)" "in Chinese: the sentence in Chinese"
get che "/member/c/205?lang=fr"
upload "$T/206.png"
is "$(field_err)" "$(words fr pdf_err_scan_circular)" "in French: the sentence in French"
get che "/member/c/205?lang=en"
is "$(replies_of CHE)" 0 "nothing recorded by any of them"

# --- a PNG of page 1: the rows read pre-filled, the others left unchosen ---------------
upload "$T/che.png"
is "$ST $(hdr Location)" "303 /member/c/205/from-pdf" "the PNG uploaded: 303 to the reply form"
get che /member/c/205/from-pdf
is "$ST" 200 "  ... GET .../from-pdf: 200"
is "$(checked choice-1)" authorize "  ... Q.5051: authorize, as crossed"
is "$(checked choice-2)" "" "  ... Q.5052 (no box ticked): nothing chosen, never a guess"
is "$(checked choice-3)" "" "  ... Q.5053 (on page 2, not scanned): nothing chosen"
is "$(classes kept-uncertain-drafts)" "Q.5052, Q.5053" "  ... the rows the scan could not read named"
has "$(words en prefill_uncertain | sed 's/{drafts}.*//')" "  ... in the page's language"
is "$(classes kept-name)" che.png "  ... the scan named as the file each reply keeps"
is "$(replies_of CHE)" 0 "  ... nothing recorded yet"

# --- a PDF of page images: every row read; confirmed, the scan kept ---------------------
CPU0=$(awk '{ print $14 + $15 }' "/proc/$SRV_PID/stat")
upload "$T/che-scan.pdf"
CPU1=$(awk '{ print $14 + $15 }' "/proc/$SRV_PID/stat")
is "$ST" 303 "the PDF of page images uploaded: 303"
diag "server CPU for one upload of a 2-page scanned PDF: $(( (CPU1 - CPU0) * 1000 / $(getconf CLK_TCK) )) ms"
get che /member/c/205/from-pdf
is "$(checked choice-1) $(checked choice-2) $(checked choice-3)" "not-authorize not-authorize not-authorize" \
	"  ... every row read from both pages"
hasnt 'id="kept-uncertain"' "  ... none left unchosen"
KEPT=$(value_of kept)
like "$KEPT" '^[0-9a-f]{32}$' "  ... the kept scan's id"
ONCE=$(once_in /member/c/205/reply)
post che /member/c/205/reply -F "csrf=$CSRF" -F "once=$ONCE" -F choice-1=not-authorize -F choice-2=authorize \
	-F choice-3=not-authorize -F "kept=$KEPT"
is "$ST" 303 "confirmed (one choice changed): 303"
is "$(replies_of CHE)" 3 "  ... three replies recorded"
is "$(q "SELECT group_concat(a.name || ':' || a.role || ':' || a.sha256, ' ') FROM attachments a
	JOIN replies r ON r.id = a.reply_id WHERE r.member = 'CHE'")" \
	"$(s=$(sha256sum <"$T/che-scan.pdf" | cut -d' ' -f1); echo "che-scan.pdf:form:$s che-scan.pdf:form:$s che-scan.pdf:form:$s")" \
	"  ... each keeps the scan, byte for byte, as its form"
is "$(q "SELECT group_concat(r.choice, ',') FROM replies r JOIN drafts d ON d.id = r.draft_id WHERE r.member = 'CHE'")" \
	"not-authorize,authorize,not-authorize" "  ... with the choices confirmed"

# --- the inbox: a scanned form of 14 drafts, its proposal cut in the stored column ------
printf 'FRA\tto\tconsultations@arcep.fr\tfr\n' >"$T/c.tsv"
expect_exit 0 ballot contacts import "$T/c.tsv"
mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp"
mail() { # mail N: message N from FRA, its scan attached
	$PY - "$T/md" "$T/fra207.pdf" "$1" <<'PY'
import sys, email.message
m = email.message.EmailMessage()
m["From"], m["To"], m["Subject"] = "consultations@arcep.fr", "tsbsg@itu.int", "Reply"
m["Message-ID"] = "<s%s@example.org>" % sys.argv[3]
m["Received"] = "from mx by mx.itu.int; Thu, 09 Jan 2020 10:00:00 +0000"
m.set_content("Our reply.\n")
m.add_attachment(open(sys.argv[2], "rb").read(), maintype="application", subtype="pdf", filename="fra207.pdf")
open(sys.argv[1] + "/new/" + sys.argv[3], "wb").write(bytes(m))
PY
}
mail 1
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/md"
N=$(q "SELECT id FROM inbox WHERE circular = '207'")
is "$(q "SELECT state FROM inbox WHERE id = $N")" matched "the scan fetched and matched"
ok "  ... its stored proposal cut short (fewer than 14 drafts)" \
	test "$(q "SELECT choices FROM inbox WHERE id = $N" | grep -o 'Q\.70' | wc -l)" -lt 14
PW="a secretariat pass phrase"
printf '%s\n' "$PW" >"$T/pw"
expect_exit 0 ballot users add --name tsb --role secretariat --password-file "$T/pw"
signin_user tsb tsb "$PW"
CPU0=$(awk '{ print $14 + $15 }' "/proc/$SRV_PID/stat")
get tsb "/secretariat/inbox/$N"
CPU1=$(awk '{ print $14 + $15 }' "/proc/$SRV_PID/stat")
is "$ST" 200 "the entry's page"
diag "server CPU for the entry's page (its 4-page scan read again): $(( (CPU1 - CPU0) * 1000 / $(getconf CLK_TCK) )) ms"
is "$(grep -c 'name="draft.Q.70[0-9]*.choice" value="not-authorize" checked' "$T/.body")" 14 \
	"  ... all 14 rows read again from the scan, each not-authorize checked"
hasnt 'id="scan-unread"' "  ... the scan read"
TCSRF=$(csrf_of)
act_post tsb "/secretariat/inbox/$N/accept" "/secretariat/inbox/$N/accept" -F "csrf=$TCSRF"
is "$ST $(hdr Location)" "303 /secretariat/inbox/$N" "accepted with the scan's proposal: 303"
is "$(q "SELECT count(*) || ' ' || group_concat(DISTINCT choice) FROM replies WHERE member = 'FRA'")" "14 not-authorize" \
	"  ... 14 replies recorded, not a form cut short"

# an entry whose scan cannot be read again (its stored file replaced here by a page without a QR code, past
# the append-only trigger): said on its page, the choice offered for every draft its form was issued for
mail 2
expect_exit 0 ballot mail fetch --mailbox "maildir:$T/md"
N2=$(q "SELECT max(id) FROM inbox")
q "DROP TRIGGER inbox_parts_append_only_u; UPDATE inbox_parts SET content = readfile('$T/blank.png')
	WHERE inbox_id = $N2 AND name = 'fra207.pdf'"
get tsb "/secretariat/inbox/$N2"
is "$ST" 200 "an entry whose scan cannot be read again: its page"
has "<p class=\"inbox-state uncertain\" id=\"scan-unread\">$(words en inbox_scan_unread)</p>" "  ... says so"
is "$(grep -c '<input type="radio" id="choice-Q.70[0-9]*-authorize" name="draft.Q.70[0-9]*.choice" value="authorize">' \
	"$T/.body")" 14 "  ... and offers the choice for each of the 14 drafts, none checked"
hasnt ' checked>' "  ... (nothing guessed)"

serve_stop
is "$SRV_RC" 0 "the server stops cleanly"
done_testing
