#!/bin/bash
# User story (issue 17 §1, "every viewer shows the same thing"; what is left):
# a secretariat must know what each viewer draws when an administration types
# its signatory's name into a form in a script the form was not made for. The
# README's fillable-form section has the table; this script prints it (diag)
# and fails when a cell the README marks "drawn" stops being drawn.
# Each of the six forms (one member) is filled with pypdf, the text fields'
# looks removed and /NeedAppearances set (each viewer builds the look from
# /DA), four fields, one per script: Latin, Cyrillic, Arabic, Chinese. Each
# is drawn by Chromium's own viewer (PDFium), poppler (pdftoppm) and MuPDF
# (mutool draw) at the same scale, and each field's ink (bounding box, dark
# pixels) is compared with the same string drawn by ImageMagick in fonts.tsv's
# font for the script at the same size:
#   drawn  ink 60-160 % of the reference's width, at least 5 px high
#   blank  no ink
#   dots   ink under 4 px high (MuPDF's Arabic: its own fonts have none)
#   other  anything else (boxes, wrong glyphs)
# Typed Arabic is drawn unjoined (isolated letter forms) wherever it is drawn:
# no viewer shapes a typed value (not measured here: see 103 for its glyphs).
# poppler draws a character the field's font lacks with the /DR font named
# for fontconfig's pick (acroform.c's fallbacks: Debian 12's names, the fonts
# of tests/deps.sh); without them it drew none of the cross-script cells.
# TYPED_PNG_DIR=DIR keeps each cell's crop (LANG-SCRIPT-VIEWER.png) to look at.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
need_tools convert pdftoppm mutool /usr/bin/python3
browser_ready

FILL="/usr/bin/python3 $HERE/fill-form.py"
expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang all --out "$T/f" --jobs 1
F=$T/f/205
LANGS="en fr es ru ar zh"
# script:field:value:a code point of the script (its reference font)
CASES="Latin:sender.address:Geneva:0041 Cyrillic:sender.name:Иван Петров:0410
Arabic:sender.title:محمد علي:0627 Chinese:signatory.name:中华人民共和国:4E2D"

# The README's table (fillable-form section): the cells marked drawn there.
# lang script chromium poppler mupdf
EXPECT="en Latin drawn drawn drawn
en Cyrillic drawn drawn drawn
en Arabic drawn drawn dots
en Chinese drawn drawn drawn
fr Latin drawn drawn drawn
fr Cyrillic drawn drawn drawn
fr Arabic drawn drawn dots
fr Chinese drawn drawn drawn
es Latin drawn drawn drawn
es Cyrillic drawn drawn drawn
es Arabic drawn drawn dots
es Chinese drawn drawn drawn
ru Latin drawn drawn drawn
ru Cyrillic drawn drawn drawn
ru Arabic blank drawn dots
ru Chinese blank drawn drawn
ar Latin drawn drawn drawn
ar Cyrillic other drawn drawn
ar Arabic drawn drawn dots
ar Chinese blank drawn drawn
zh Latin drawn drawn drawn
zh Cyrillic drawn other drawn
zh Arabic drawn drawn dots
zh Chinese drawn drawn drawn"

: >"$T/list"
args=()
while IFS=: read -r _ field value _; do args+=("$field=$value"); done < <(sed 's/ \([A-Z]\)/\n\1/g' <<<"$CASES")
for l in $LANGS; do
	ok "$l form filled (pypdf, no looks: ${#args[@]} fields)" $FILL --no-look "$F/$l/CHE.pdf" "$T/$l.pdf" "${args[@]}"
	echo "$T/$l.pdf" >>"$T/list"
done
mkdir "$T/shots"
run timeout 300 node "$BROWSER_DIR/pdfview.mjs" --list "$T/list" --out "$T/shots"
is "$RC" 0 "Chromium's PDF viewer showed the six forms"
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
inkbox() { # inkbox IMG GEOM [KEEP] : "w h ink" of the dark pixels in GEOM ("0 0 0": none)
	convert "$1" -crop "$2" +repage -colorspace gray -threshold 80% "$T/crop.png"
	[ -n "${3:-}" ] && [ -n "${TYPED_PNG_DIR:-}" ] && cp "$T/crop.png" "$TYPED_PNG_DIR/$3.png"
	if [ "$(convert "$T/crop.png" -format '%[fx:minima.intensity < 0.5 ? 1 : 0]' info:)" = 0 ]; then
		echo "0 0 0"
		return
	fi
	convert "$T/crop.png" -trim +repage -negate -format '%w %h %[fx:int(mean*w*h+0.5)]' info:
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
verdict() { # verdict "W H INK" REFW : drawn, blank, dots or other
	local w h ink
	read -r w h ink <<<"$1"
	awk -v w="$w" -v h="$h" -v i="$ink" -v r="$2" 'BEGIN {
		if (i == 0) print "blank"; else if (h < 4) print "dots"
		else if (w >= 0.6 * r && w <= 1.6 * r && h >= 5) print "drawn"; else print "other" }'
}

table="form script   Chromium poppler  MuPDF"
n=0
for l in $LANGS; do
	n=$((n + 1))
	shot=$T/shots/$n.png
	box=$(page_box "$shot")
	like "$box" '^(8[0-9][0-9]|9[0-9][0-9]) 1[0-9][0-9][0-9] ' "$l: Chromium shows the whole page ($box)"
	read -r W _ X Y <<<"$box"
	s=$(awk -v w="$W" 'BEGIN { print w / 595.276 }')
	dpi=$(awk -v s="$s" 'BEGIN { print s * 72 }')
	pdftoppm -singlefile -r "$dpi" -gray "$T/$l.pdf" "$T/p-$l" 2>/dev/null
	mutool draw -q -r "$dpi" -c gray -o "$T/m-$l.pgm" "$T/$l.pdf" 1 2>/dev/null
	$FILL --widgets "$F/$l/CHE.pdf" >"$T/widgets"
	while IFS=: read -r script field value cp; do
		r=$(awk -F'\t' -v n="$field" '$2 == n { print $5; exit }' "$T/widgets")
		convert -density "$dpi" -font "$(font_file "$cp")" -pointsize 9 label:"$value" "$T/ref.png"
		read -r rw _ <<<"$(inkbox "$T/ref.png" "$(identify -format '%wx%h+0+0' "$T/ref.png")")"
		c=$(verdict "$(inkbox "$shot" "$(geom "$r" "$s" "$X" "$Y")" "$l-$script-chromium")" "$rw")
		p=$(verdict "$(inkbox "$T/p-$l.pgm" "$(geom "$r" "$s" 0 0)" "$l-$script-poppler")" "$rw")
		m=$(verdict "$(inkbox "$T/m-$l.pgm" "$(geom "$r" "$s" 0 0)" "$l-$script-mupdf")" "$rw")
		table+=$(printf '\n%-4s %-8s %-8s %-8s %s' "$l" "$script" "$c" "$p" "$m")
		want=$(awk -v l="$l" -v s="$script" '$1 == l && $2 == s { print $3, $4, $5 }' <<<"$EXPECT")
		read -r wc wp wm <<<"$want"
		for v in "Chromium:$wc:$c" "poppler:$wp:$p" "MuPDF:$wm:$m"; do
			IFS=: read -r viewer w got <<<"$v"
			[ "$w" = drawn ] && is "$got" drawn "$l form, $script typed: $viewer draws it"
		done
	done < <(sed 's/ \([A-Z]\)/\n\1/g' <<<"$CASES")
done
diag "what each viewer draws of a value typed (rows: form, script typed):"
while IFS= read -r line; do diag "  $line"; done <<<"$table"
done_testing
