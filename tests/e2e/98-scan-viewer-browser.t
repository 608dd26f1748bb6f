#!/bin/bash
# User story (issue 17 §1, "Left on 17"): an administration opens the Annex 2
# form in Chrome, types its sender and signatory and ticks a choice:
# Chromium's own PDF viewer (PDFium, its built-in viewer extension, driven
# headless by playwright-core: tests/browser/pdfview.mjs) shows the box
# ticked and the values typed, as poppler and MuPDF do (92-typed-values.t),
# in the scripts it draws right (below). The form is filled with pypdf
# (fill-form.py: /V set, /NeedAppearances: the viewer draws the text
# fields' looks itself), shown fitted in the window, and the dark pixels
# inside each field's rectangle are counted against the same form with the
# fields typed blank.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
need_tools convert identify /usr/bin/python3
browser_ready

PY=/usr/bin/python3
FILL="$PY $HERE/fill-form.py"
expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang en,ru,ar,zh --out "$T/f" --jobs 1
F=$T/f/205

CYR="Иван Петров" ARA="محمد علي" HAN="王伟" LAT="Geneva"
FIELDS="sender.place signatory.name signatory.title sender.name"
LANGS="en ru ar zh"
: >"$T/list"
for l in $LANGS; do
	ok "$l form filled blank (pypdf)" $FILL "$F/$l/CHE.pdf" "$T/$l-e.pdf" \
		sender.place=" " signatory.name=" " signatory.title=" " sender.name=" "
	ok "$l form filled (pypdf): four scripts, a choice ticked" $FILL "$F/$l/CHE.pdf" "$T/$l-t.pdf" \
		sender.place="$LAT" signatory.name="$CYR" signatory.title="$ARA" sender.name="$HAN" \
		draft.Q.5051.choice=not-authorize
	printf '%s\n%s\n' "$T/$l-e.pdf" "$T/$l-t.pdf" >>"$T/list"
done
mkdir "$T/shots"
run timeout 300 node "$BROWSER_DIR/pdfview.mjs" --list "$T/list" --out "$T/shots"
is "$RC" 0 "Chromium's PDF viewer showed the eight forms"
[ "$RC" = 0 ] || diag "$ERR"
like "$(jget .viewer)" '^chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/' "... in its built-in PDF viewer (PDFium)"

# the page in a screenshot: the white box on the viewer's grey
page_box() { # page_box PNG : "W H X Y" of the page in pixels
	convert "$1" -bordercolor "$(convert "$1" -format '%[pixel:p{0,0}]' info:)" -border 1 \
		-fuzz 8% -trim -format '%w %h %[fx:page.x-1] %[fx:page.y-1]' info:
}
ink() { # ink PNG "W H X Y" "x1 y1 x2 y2" : dark pixels inside the rectangle (page points)
	local pw=595.276 ph=841.89 W H X Y x1 y1 x2 y2
	read -r W H X Y <<<"$2"
	read -r x1 y1 x2 y2 <<<"$3"
	convert "$1" -crop "$(awk -v W="$W" -v H="$H" -v X="$X" -v Y="$Y" -v a="$x1" -v b="$y1" -v c="$x2" -v d="$y2" \
		-v pw="$pw" -v ph="$ph" 'BEGIN { sx = W / pw; sy = H / ph
		printf "%dx%d+%d+%d", (c - a) * sx - 4, (d - b) * sy - 4, X + a * sx + 2, Y + (ph - d) * sy + 2 }')" \
		+repage -colorspace gray -threshold 80% -negate -format '%[fx:int(mean*w*h+0.5)]' info:
}
widget() { # widget PDF NAME [STATE] : "x1 y1 x2 y2" of its (first) widget on page 1
	$FILL --widgets "$1" | awk -F'\t' -v n="$2" -v s="${3:-}" '$1 == 1 && $2 == n && (s == "" || index($3, s)) { print $5; exit }'
}

# what the viewer must draw, per form: field:script:must (1) or not (0).
# PDFium builds a typed value's look in the /DA font: Helvetica in en (its
# own Latin font; other scripts small and partly wrong), STSong-Light in zh
# (Latin, Cyrillic, Chinese right; Arabic unjoined, left to right); the ru
# and ar forms' embedded font (Liberation Sans, Amiri) for Latin and the
# form's script (103-typed-fonts-browser.t compares its glyphs with poppler's);
# the other scripts with its own fonts, if at all: counted, not required.
declare -A MUST=(
	[en]="sender.place:Latin:1 signatory.name:Cyrillic:0 signatory.title:Arabic:0 sender.name:Chinese:0"
	[ru]="sender.place:Latin:1 signatory.name:Cyrillic:1 signatory.title:Arabic:0 sender.name:Chinese:0"
	[ar]="sender.place:Latin:1 signatory.name:Cyrillic:0 signatory.title:Arabic:1 sender.name:Chinese:0"
	[zh]="sender.place:Latin:1 signatory.name:Cyrillic:1 signatory.title:Arabic:0 sender.name:Chinese:1"
)
n=0
for l in $LANGS; do
	e=$T/shots/$((n + 1)).png t=$T/shots/$((n + 2)).png
	n=$((n + 2))
	be=$(page_box "$e") bt=$(page_box "$t")
	is "$bt" "$be" "$l: the page at the same place in both screenshots ($bt)"
	like "$be" '^(8[0-9][0-9]|9[0-9][0-9]) 1[0-9][0-9][0-9] ' "... and the whole page shown ($be)"
	for spec in ${MUST[$l]}; do
		IFS=: read -r field script must <<<"$spec"
		r=$(widget "$F/$l/CHE.pdf" "$field")
		a=$(ink "$e" "$be" "$r") b=$(ink "$t" "$bt" "$r")
		if [ "$must" = 1 ]; then
			ok "$l form, $script typed in $field: Chromium draws it ($a -> $b dark pixels)" test "$b" -ge $((a + 15))
		else
			diag "$l form, $script typed in $field: Chromium $a -> $b dark pixels (not required)"
		fi
	done
	r=$(widget "$F/$l/CHE.pdf" draft.Q.5051.choice not-authorize)
	a=$(ink "$e" "$be" "$r") b=$(ink "$t" "$bt" "$r")
	ok "$l form, not-authorize ticked: Chromium draws its cross ($a -> $b dark pixels)" test "$b" -ge $((a + 15))
	[ -n "${FILL_PNG_DIR:-}" ] && cp "$t" "$FILL_PNG_DIR/chromium-$l.png"
done

done_testing
