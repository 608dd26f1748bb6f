#!/bin/bash
# User story (issue 17 §1, "every viewer shows the same thing"): an
# administration types its signatory's name into the Russian or Arabic Annex 2
# form, in its own script and in Latin letters, in Chrome (PDFium), in a
# poppler viewer or in a MuPDF one: each draws the same letters. The ru and ar
# forms' text fields name an embedded font (/DA, /DR: the form's own font,
# Liberation Sans or Amiri, cut down to Latin and the language's letters, with
# a ToUnicode CMap); before, a font not embedded (DejaVu Sans) that PDFium
# drew with wrong glyphs ("Geneva" as "d£¬£´~").
# One filled file per form (pypdf: values set, the text fields' looks
# removed, /NeedAppearances: each viewer builds them from /DA), drawn by
# Chromium's own PDF viewer (tests/browser/pdfview.mjs), poppler (pdftoppm)
# and MuPDF (mutool draw) at the same scale; each field's ink (its bounding
# box and dark pixels) is compared with a reference: the same string drawn
# by ImageMagick (FreeType) in the font fonts.tsv gives the script, at the
# same size, and Chromium's drawing with poppler's (same width and ink; the
# same image, by normalised cross-correlation, where both draw left to
# right: PDFium orders typed Arabic right to left, poppler does not).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
need_tools convert compare pdftoppm mutool /usr/bin/python3
browser_ready

PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang ru,ar --out "$T/f" --jobs 1
F=$T/f/205
CYR="Иван Петров" ARA="محمد علي" LAT="Geneva"

# --- the font the typed values are drawn in ------------------------------------
# per form: the text fields' /DA fonts; the /DR font of that name: type,
# embedded or not, and how many of the characters given its ToUnicode CMap
# maps a code to (the code a viewer writes for each character typed)
covers() { # covers PDF FIRST-LAST...
	$PY - "$@" <<'PY'
import re, sys
from pypdf import PdfReader
r = PdfReader(sys.argv[1])
af = r.trailer["/Root"]["/AcroForm"]
das = set()
for page in r.pages:
    for ref in page.get("/Annots", []):
        a = ref.get_object()
        field = a if "/T" in a else a["/Parent"].get_object()
        if field.get("/FT") == "/Tx" and field.get("/T") != "reference":
            das.add(str(a.get("/DA", field.get("/DA"))).split()[0])
name = das.pop() if len(das) == 1 else "several: %s" % sorted(das)
font = af["/DR"]["/Font"][name].get_object()
cid = font["/DescendantFonts"][0].get_object()
fd = cid["/FontDescriptor"].get_object()
emb = "embedded" if "/FontFile2" in fd else "not-embedded"
cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
uni = set()
for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
    for _src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
        if len(dst) == 4:
            uni.add(int(dst, 16))
for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
    for a, b, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>", block):
        uni.update(range(int(dst, 16), int(dst, 16) + int(b, 16) - int(a, 16) + 1))
out = [name, str(font["/Subtype"]), str(font["/BaseFont"]).split("+")[-1], emb]
for rng in sys.argv[2:]:
    lo, hi = (int(x, 16) for x in rng.split("-"))
    want = set(range(lo, hi + 1))
    out.append("%s:%d/%d" % (rng, len(want & uni), len(want)))
print(" ".join(out))
PY
}
is "$(covers "$F/ru/CHE.pdf" 0020-007E 0410-044F 0401-0401 0451-0451)" \
	"/Wingdings /Type0 LiberationSans embedded 0020-007E:95/95 0410-044F:64/64 0401-0401:1/1 0451-0451:1/1" \
	"ru form: its text fields' font is Liberation Sans, embedded, with all of Latin and Russian"
is "$(covers "$F/ar/CHE.pdf" 0020-007E 0621-063A 0641-064A 064B-0652 0660-0669)" \
	"/Wingdings /Type0 Amiri-Regular embedded 0020-007E:95/95 0621-063A:26/26 0641-064A:10/10 064B-0652:8/8 0660-0669:10/10" \
	"ar form: Amiri, embedded, with all of Latin and Arabic's letters, vowel marks and digits"
diag "form sizes (the embedded font's cost: ru ~16 KB, ar ~24 KB): ru $(stat -c %s "$F/ru/CHE.pdf") B, ar $(stat -c %s "$F/ar/CHE.pdf") B"

# --- three viewers draw the typed values ---------------------------------------
ok "ru form filled (pypdf, no looks)" $FILL --no-look "$F/ru/CHE.pdf" "$T/ru.pdf" \
	draft.Q.5051.choice=authorize signatory.name="$CYR" sender.place="$LAT"
ok "ar form filled (pypdf, no looks)" $FILL --no-look "$F/ar/CHE.pdf" "$T/ar.pdf" \
	draft.Q.5051.choice=authorize signatory.title="$ARA" sender.place="$LAT"
printf '%s\n%s\n' "$T/ru.pdf" "$T/ar.pdf" >"$T/list"
mkdir "$T/shots"
run timeout 300 node "$BROWSER_DIR/pdfview.mjs" --list "$T/list" --out "$T/shots"
is "$RC" 0 "Chromium's PDF viewer showed both forms"
[ "$RC" = 0 ] || diag "$ERR"
like "$(jget .viewer)" '^chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/' "... in its built-in PDF viewer (PDFium)"

page_box() { # page_box PNG : "W H X Y" of the page in the screenshot
	convert "$1" -bordercolor "$(convert "$1" -format '%[pixel:p{0,0}]' info:)" -border 1 \
		-fuzz 8% -trim -format '%w %h %[fx:page.x-1] %[fx:page.y-1]' info:
}
geom() { # geom "x1 y1 x2 y2" S X Y : the rectangle (page points) in pixels, 2 px inside
	local x1 y1 x2 y2
	read -r x1 y1 x2 y2 <<<"$1"
	awk -v a="$x1" -v b="$y1" -v c="$x2" -v d="$y2" -v s="$2" -v X="$3" -v Y="$4" \
		'BEGIN { printf "%dx%d+%d+%d", (c - a) * s - 4, (d - b) * s - 4, X + a * s + 2, Y + (841.89 - d) * s + 2 }'
}
inkbox() { # inkbox IMG GEOM OUT : the dark pixels' bounding box kept in OUT; "w h ink"
	convert "$1" -crop "$2" +repage -colorspace gray -threshold 80% -trim +repage "$3"
	convert "$3" -negate -format '%w %h %[fx:int(mean*w*h+0.5)]' info:
}
near() { # near A B PCT MIN : |A - B| <= max(PCT % of B, MIN)
	awk -v a="$1" -v b="$2" -v p="$3" -v m="$4" 'BEGIN { d = a - b; if (d < 0) d = -d
		t = b * p / 100; if (t < m) t = m; exit !(d <= t) }'
}
font_file() { # font_file CODEPOINT : fonts.tsv's regular font for it
	local first last style _ file
	while IFS=$'\t' read -r first last style _ file _; do
		case $first in '#'*|first) continue ;; esac
		if [ "$style" = regular ] && [ $((16#$1)) -ge $((16#$first)) ] && [ $((16#$1)) -le $((16#$last)) ]; then
			echo "${file/#\{fonts\}/${BALLOT_FONTS:-/usr/share/fonts}}"
			return
		fi
	done <"$REPO/forms/fonts.tsv"
}

n=0
for l in ru ar; do
	n=$((n + 1))
	shot=$T/shots/$n.png
	box=$(page_box "$shot")
	like "$box" '^(8[0-9][0-9]|9[0-9][0-9]) 1[0-9][0-9][0-9] ' "$l: Chromium shows the whole page ($box)"
	read -r W _ X Y <<<"$box"
	s=$(awk -v w="$W" 'BEGIN { print w / 595.276 }')
	dpi=$(awk -v s="$s" 'BEGIN { print s * 72 }')
	pdftoppm -singlefile -r "$dpi" -gray "$T/$l.pdf" "$T/p-$l" 2>/dev/null
	mutool draw -q -r "$dpi" -c gray -o "$T/m-$l.pgm" "$T/$l.pdf" 1 2>/dev/null
	if [ $l = ru ]; then cases="signatory.name:Cyrillic:0410 sender.place:Latin:0410"
	else cases="signatory.title:Arabic:0627 sender.place:Latin:0627"; fi
	for c in $cases; do
		IFS=: read -r field script cp <<<"$c"
		case $script in Cyrillic) v=$CYR ;; Arabic) v=$ARA ;; *) v=$LAT ;; esac
		r=$($FILL --widgets "$F/$l/CHE.pdf" | awk -F'\t' -v n="$field" '$2 == n { print $5; exit }')
		read -r cw ch ci <<<"$(inkbox "$shot" "$(geom "$r" "$s" "$X" "$Y")" "$T/c.png")"
		read -r pw ph pi <<<"$(inkbox "$T/p-$l.pgm" "$(geom "$r" "$s" 0 0)" "$T/p.png")"
		read -r mw mh mi <<<"$(inkbox "$T/m-$l.pgm" "$(geom "$r" "$s" 0 0)" "$T/m.png")"
		convert -density "$dpi" -font "$(font_file "$cp")" -pointsize 9 label:"$v" "$T/ref.png"
		read -r rw rh ri <<<"$(inkbox "$T/ref.png" "$(identify -format '%wx%h+0+0' "$T/ref.png")" "$T/r.png")"
		what="$l form, $script typed in $field"
		ok "$what: poppler draws it in the form's font (width $pw px, reference $rw)" near "$pw" "$rw" 8 3
		ok "$what: Chromium draws the same glyphs as poppler (width $cw vs $pw px, ink $ci vs $pi)" \
			eval "near $cw $pw 8 3 && near $ci $pi 20 10"
		if [ "$script" != Arabic ]; then
			convert "$T/p.png" -resize "${cw}x${ch}!" "$T/pr.png"
			ncc=$(compare -metric NCC "$T/c.png" "$T/pr.png" null: 2>&1)
			ok "$what: ... the same image (correlation $ncc)" awk -v x="$ncc" 'BEGIN { exit !(x >= 0.6) }'
		fi
		# MuPDF builds a text field's look with its own fonts whatever /DA
		# names (Helvetica's widths: Liberation Sans has the same) and draws
		# Arabic as dots (its pdf-appearance.c)
		if [ $l = ru ]; then
			ok "$what: MuPDF draws it (width $mw px, reference $rw)" eval "near $mw $rw 8 3 && near $mi $ri 20 10"
		else
			diag "$what: MuPDF width $mw px, ink $mi (reference $rw, $ri; its own fonts: not required)"
		fi
		[ -n "${FILL_PNG_DIR:-}" ] && convert "$T/c.png" "$T/p.png" "$T/m.png" "$T/r.png" -append \
			"$FILL_PNG_DIR/viewers-$l-$field.png"
	done
done

# --- the values read back --------------------------------------------------------
expect_exit 0 ballot reply --from-pdf "$T/ru.pdf" --circular 205 --dry-run --json
is "$(jget .signatory)" "$CYR" "ru: reply --from-pdf reads the Cyrillic signatory typed"
$FILL "$F/ar/CHE.pdf" "$T/ar2.pdf" draft.Q.5051.choice=authorize signatory.name="$ARA" >/dev/null
expect_exit 0 ballot reply --from-pdf "$T/ar2.pdf" --circular 205 --dry-run --json
is "$(jget .signatory)" "$ARA" "ar: reply --from-pdf reads the Arabic signatory typed"

done_testing
