#!/bin/bash
# User story (issue 17 §3): a Member State prints its Annex 2 form, ticks
# boxes by hand and returns it by post (scanned) or by fax; `ballot scan`
# reads each page's QR code and tick boxes and proposes the replies, saying
# "uncertain" where it cannot tell (never a guess). The corpus is built here:
# forms rendered by poppler, ticked with ImageMagick (a cross, a check mark,
# a filled box), rotated, at several resolutions, one a one-bit fax.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/scan-tick.sh"
need_tools pdftoppm pdfinfo convert zbarimg /usr/bin/python3

scan_circular
for l in en ar zh; do
	expect_exit 0 ballot forms --circular 205 --member FRA --lang "$l" --out "$T/a4" --jobs 1
	expect_exit 0 ballot forms --circular 205 --member DEU --lang "$l" --paper letter --out "$T/lt" --jobs 1
done
EN=$T/a4/205/en/FRA.pdf

# the marks survive a fax: the QR code decodes at 100 dpi and from a
# 204x98-dpi one-bit image
pdftoppm -r 100 -gray -png -f 1 -l 1 -singlefile "$EN" "$T/q100"
is "$(zbarimg -q --raw "$T/q100.png" 2>/dev/null)" "$(pdftotext "$EN" - | grep -o 'ballot:205:FRA:en:[0-9a-f]*' | head -n 1):p1" \
	"the QR code decodes from a render at 100 dpi"
convert -density 100 "$T/q100.png" -resample 204x98 -threshold 50% -type bilevel "$T/qfax.png"
like "$(zbarimg -q --raw "$T/qfax.png" 2>/dev/null)" '^ballot:205:FRA:en:[0-9a-f]{16}:p1$' \
	"... and from a 204x98-dpi one-bit fax of it"

proposal() { # proposal REC TEXT : the line of REC in $OUT
	printf '%s\n' "$OUT" | grep -E "^  $1: "
}

# 150 dpi straight and 300 dpi rotated: the two pages of one form
ok "page 1 ticked at 150 dpi" tick "$EN" 1 150 "$T/en1.png" 0 0 Q.5051=authorize:cross Q.5052=not-authorize:check
ok "page 2 ticked at 300 dpi, rotated -3 degrees" tick "$EN" 2 300 "$T/en2.png" -3 0 Q.5053=authorize-with-comments:filled
expect_exit 0 ballot scan "$T/en1.png" "$T/en2.png"
like "$OUT" '^form ballot:205:FRA:en:[0-9a-f]{16}: circular 205, member FRA, language en, A4$' "the form is named: circular, member, language, paper"
like "$(proposal Q.5051)" 'authorize \(confidence [0-9]+\)$' "a cross: authorize"
like "$(proposal Q.5052)" 'not-authorize \(confidence [0-9]+\)$' "a check mark: not-authorize"
like "$(proposal Q.5053)" 'authorize-with-comments \(confidence [0-9]+\)$' "a filled box on page 2, rotated: authorize-with-comments"
is "$(printf '%s\n' "$OUT" | grep -c '^form ')" 1 "the two pages make one form"

# page 1 sent twice (a fax re-sent with a correction): a row read the same
# stays, a row read otherwise is uncertain, never the later page's guess
ok "page 1 again, Q.5052 ticked otherwise" tick "$EN" 1 150 "$T/en1b.png" 0 0 Q.5051=authorize:cross Q.5052=authorize:cross
expect_exit 0 ballot scan "$T/en1.png" "$T/en1b.png" "$T/en2.png"
like "$(proposal Q.5051)" ': authorize \(confidence [0-9]+\)$' "page 1 twice: a row read the same both times stands"
like "$(proposal Q.5052)" ': uncertain \(its page was read twice, ticked differently\)$' \
	"page 1 twice: a row ticked otherwise the second time is uncertain"
convert "$T/en1.png" "$T/en1b.png" "$T/en2.png" "$T/twice.tif"
refused_like "field draft.Q.5052.choice: .*its page was read twice, ticked differently" \
	ballot reply --from-scan "$T/twice.tif" --circular 205 --dry-run

# Arabic (mirrored) on letter paper at 100 dpi, rotated 3 degrees, as JPEG
L=$T/lt/205/ar/DEU.pdf
ok "ar, letter, 100 dpi, +3 degrees" tick "$L" 1 100 "$T/ar.jpg" 3 0 Q.5051=not-authorize:cross Q.5052=authorize-with-comments:check
expect_exit 0 ballot scan "$T/ar.jpg"
like "$OUT" 'member DEU, language ar, letter$' "the Arabic form on letter paper"
like "$(proposal Q.5051)" ': not-authorize \(' "ar: a cross"
like "$(proposal Q.5052)" ': authorize-with-comments \(' "ar: a check mark"

# Chinese at 96 dpi, and at 600 dpi as a TIFF
Z=$T/a4/205/zh/FRA.pdf
ok "zh, 96 dpi, -1.5 degrees" tick "$Z" 1 96 "$T/zh96.png" -1.5 0 Q.5052=authorize:filled
# (ImageMagick takes minutes over a 600-dpi page here: rendered, not ticked)
pdftoppm -r 600 -gray -tiff -f 1 -l 1 -singlefile "$Z" "$T/zh600"
expect_exit 0 ballot scan "$T/zh96.png"
like "$(proposal Q.5052)" ': authorize \(' "zh at 96 dpi: a filled box"
expect_exit 0 ballot scan "$T/zh600.tif"
like "$OUT" 'member FRA, language zh, A4$' "zh at 600 dpi (TIFF): located"
is "$(printf '%s\n' "$OUT" | grep -c 'uncertain (no box ticked)')" 3 "... its three rows read, none ticked"

# a box circled rather than ticked; two circled are uncertain
ok "Q.5051 circled, Q.5052 two circled" tick "$EN" 1 150 "$T/circled.png" -1 0 Q.5051=authorize:circled \
	Q.5052=authorize:circled Q.5052=not-authorize:circled
expect_exit 0 ballot scan "$T/circled.png"
like "$(proposal Q.5051)" ': authorize \(' "a circled box is read"
like "$(proposal Q.5052)" ': uncertain \(several boxes circled or ticked\)$' "two circled boxes are uncertain"

# a fax: 204x98 dpi, one bit, speckle, rotated
ok "a fax of page 1" tick "$EN" 1 200 "$T/fax.tif" -2 1 Q.5051=authorize-with-comments:filled Q.5052=authorize:check
expect_exit 0 ballot scan "$T/fax.tif"
like "$(proposal Q.5051)" ': authorize-with-comments \(' "fax: a filled box"
like "$(proposal Q.5052)" ': authorize \(' "fax: a check mark"

# an unticked row and a doubly ticked row are uncertain, never a guess
ok "two boxes ticked in Q.5051, none in Q.5052" tick "$EN" 1 150 "$T/unsure.png" 1 0 \
	Q.5051=authorize:cross Q.5051=not-authorize:cross
expect_exit 0 ballot scan --json "$T/unsure.png"
J=$OUT
expect_exit 0 ballot scan "$T/unsure.png"
like "$(proposal Q.5051)" ': uncertain \(several boxes ticked\)$' "a doubly ticked row is uncertain"
like "$(proposal Q.5052)" ': uncertain \(no box ticked\)$' "an unticked row is uncertain"
is "$(printf '%s' "$J" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)["forms"][0]
print(d["member"], d["lang"], d["paper"], *[(r["rec"], r["choice"], r["uncertain"]) for r in d["drafts"][:2]])')" \
	"FRA en A4 ('Q.5051', None, 'several boxes ticked') ('Q.5052', None, 'no box ticked')" "--json: the same proposal"

# a form with the portal's reply-code box: read with the portal's address
# configured (the box's height moves the table), not read (never misread)
# without it
printf 'portal_url = https://portal.example.org\n' >"$T/conf"
chmod 600 "$T/conf"
expect_exit 0 ballot --config "$T/conf" forms --circular 205 --member CHE --lang en --with-codes --out "$T/pc" --jobs 1
ok "a form with a reply code, ticked" tick "$T/pc/205/en/CHE.pdf" 1 150 "$T/pc.png" 1 0 Q.5051=not-authorize:cross Q.5052=authorize:check
expect_exit 0 ballot --config "$T/conf" scan "$T/pc.png"
like "$(proposal Q.5051)" ': not-authorize \(' "the reply-code form: a cross"
like "$(proposal Q.5052)" ': authorize \(' "the reply-code form: a check mark"
expect_exit 0 ballot scan "$T/pc.png"
like "$OUT" 'pc.png page 1: not read: no tick boxes found' "without the portal's address its boxes are not read"
unlike "$OUT" 'Q.505[12]: (not-)?authorize' "... and nothing is proposed"

# the PDF itself (poppler renders its pages): nothing ticked
expect_exit 0 ballot scan "$EN"
is "$(printf '%s\n' "$OUT" | grep -c 'uncertain (no box ticked)')" 3 "a PDF's pages are read: three unticked rows"

# a page without a QR code is named
convert -size 850x1100 xc:white -fill black -draw "rectangle 100,100 300,300" "$T/noqr.png"
expect_exit 0 ballot scan "$T/en1.png" "$T/noqr.png"
like "$OUT" "noqr.png page 1: not read: no QR code found" "a page without a QR code is named"

# reply --from-scan: the confirmed proposal, recorded with the scan attached,
# through --from-pdf's path; an uncertain row refused unless --choice reads it
refused_like "field draft.Q.5051.choice: 2 choices ticked \(uncertain: several boxes ticked\)" \
	ballot reply --from-scan "$T/unsure.png" --circular 205
refused_like "field draft.Q.5052.choice: no choice ticked" \
	ballot reply --from-scan "$T/unsure.png" --circular 205 --choice Q.5051=authorize
refused_like "--choice: 'Q.9999=authorize': the form has no draft Q.9999" \
	ballot reply --from-scan "$T/unsure.png" --circular 205 --choice Q.9999=authorize
refused_like "--choice: 'Q.5051=maybe' is not" \
	ballot reply --from-scan "$T/unsure.png" --circular 205 --choice Q.5051=maybe
refused_like "--choice: draft Q.5051 given twice \('Q.5051=authorize', then 'Q.5051=not-authorize'\)" \
	ballot reply --from-scan "$T/unsure.png" --circular 205 --choice Q.5051=authorize --choice Q.5051=not-authorize \
	--choice Q.5052=not-authorize --choice Q.5053=authorize --dry-run
refused_like "--choice: only with --from-scan" ballot reply --from-pdf "$EN" --circular 205 --choice Q.5051=authorize
refused_like "issued for member FRA, not DEU" ballot reply --from-scan "$T/en1.png" --circular 205 --member DEU \
	--choice Q.5053=authorize
refused_like "no QR code|0 forms found" ballot reply --from-scan "$T/noqr.png" --circular 205
expect_exit 0 ballot reply --from-scan "$T/unsure.png" --circular 205 --choice Q.5051=authorize \
	--choice Q.5052=not-authorize --choice Q.5053=authorize --dry-run
like "$OUT" '^  Q\.5051: authorize$' "dry run: --choice reads the doubly ticked row"
like "$OUT" 'nothing recorded' "... and records nothing"
echo "the comments" >"$T/comments.txt"
expect_exit 0 ballot reply --from-scan "$T/fax.tif" --circular 205 --channel fax --choice Q.5053=not-authorize \
	--comments Q.5051="$T/comments.txt"
like "$OUT" 'Q\.5051' "the faxed form is recorded"
expect_exit 0 ballot history --circular 205 --member FRA
like "$OUT" 'Q\.5051.*authorize-with-comments' "its proposal is the reply recorded (Q.5051)"
like "$OUT" 'Q\.5053.*not-authorize' "... and the --choice given (Q.5053)"
like "$(sqlite3 "$BALLOT_DB" "SELECT name FROM attachments" 2>/dev/null)" '^fax\.tif$' "the scan is attached"

# bad input: exit 2, one line naming the file, nothing changed
echo "not an image" >"$T/text.png"
refused_like "text.png' is not a PNG, TIFF, JPEG or PDF file" ballot scan "$T/text.png"
refused_like "cannot open '.*missing.png'" ballot scan "$T/missing.png"
refused_like "give one scan at least" ballot scan
head -c 100 "$T/en1.png" >"$T/cut.png"
refused_like "cut.png': a damaged or unreadable PNG file" ballot scan "$T/cut.png"

# pages too large are refused before they are decoded or rendered, naming
# their size: a PNG whose header says 20000 x 20000 (400 million pixels)
# and a PDF page of 10000 x 10000 points (27778 pixels square at 200 dpi)
/usr/bin/python3 - "$T/huge.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
PY
refused_like "huge.png': page 1 is 20000 x 20000 pixels: pages of at most 144 million pixels are read" \
	ballot scan "$T/huge.png"
mkpdf "$T/big.pdf" 10000
refused_like "big.pdf': page 1 is 27778 x 27778 pixels" ballot scan "$T/big.pdf"
# a decompression bomb: A4 pages each drawing a 40000 x 40000 image (1.6
# billion pixels decoded a page; the file is a few hundred bytes): refused
# from the images' sizes before any page is rendered
mkpdf "$T/bomb.pdf" 595 40000 8
refused_like "bomb.pdf': page 1 draws images of 1600 million pixels: at most 144 million a page are read" \
	ballot scan "$T/bomb.pdf"

done_testing
