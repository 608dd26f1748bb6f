# tick PDF PAGE DPI OUT ANGLE FAX MARK... : renders page PAGE of PDF at DPI,
# ticks boxes (MARK: REC=CHOICE:STYLE, style cross|check|filled|circled),
# rotates by ANGLE degrees, and when FAX is 1 makes it a 204x98-dpi one-bit
# fax with speckle (the same each time: its seed TICK_SEED, default 1): OUT
# (PNG, or TIFF by its name).
# tick_cmd does the same from a page already rendered: it prints the one
# ImageMagick command (one argument a line) for it, so a corpus renders each
# form once per resolution and runs its commands in parallel (tests/bench).
tick() {
	local pdf=$1 page=$2 dpi=$3 out=$4 angle=$5 fax=$6; shift 6
	pdftoppm -r "$dpi" -gray -png -f "$page" -l "$page" -singlefile "$pdf" "$out.base" || return 1
	tick_widgets "$pdf" >"$out.widgets" || return 1
	local cmd=()
	mapfile -t cmd < <(tick_cmd "$out.widgets" "$out.base.png" "$page" "$dpi" "$out" "$angle" "$fax" "$@")
	[ ${#cmd[@]} -gt 1 ] || return 1
	"${cmd[@]}"
}

# tick_widgets PDF : the widgets of PDF (fill-form.py --widgets, an
# independent reader) with the page height in points as a last line.
tick_widgets() {
	/usr/bin/python3 "$HERE/fill-form.py" --widgets "$1" || return 1
	printf 'height\t%s\n' "$(pdfinfo "$1" | awk '/^Page size/ { print $5 }')"
}

# tick_cmd WIDGETS PNG PAGE DPI OUT ANGLE FAX MARK... : the command, one
# argument a line; nothing (and a message) when a box is not on the page.
tick_cmd() {
	local widgets=$1 png=$2 page=$3 dpi=$4 out=$5 angle=$6 fax=$7; shift 7
	local ph m rec ch st r
	ph=$(awk -F'\t' '$1 == "height" { print $2 }' "$widgets")
	local draw=()
	for m in "$@"; do
		rec=${m%%=*}; ch=${m#*=}; st=${ch#*:}; ch=${ch%%:*}
		r=$(awk -F'\t' -v p="$page" -v n="draft.$rec.choice" -v c="Off,$ch" \
			'$1 == p && $2 == n && $3 == c { print $5 }' "$widgets")
		[ -n "$r" ] || { echo "no box $rec=$ch on page $page" >&2; return 1; }
		mapfile -t -O ${#draw[@]} draw < <(awk -v r="$r" -v s="$dpi" -v h="$ph" -v st="$st" 'BEGIN {
			split(r, a, " "); k = s / 72
			x1 = a[1] * k; x2 = a[3] * k; y1 = (h - a[4]) * k; y2 = (h - a[2]) * k
			w = 2.2 * k; cx = (x1 + x2) / 2; cy = (y1 + y2) / 2; d = x2 - x1
			if (st == "cross") printf "-strokewidth\n%f\n-draw\nline %f,%f %f,%f\n-draw\nline %f,%f %f,%f\n", w, x1+1, y1+1, x2-1, y2-1, x1+1, y2-1, x2-1, y1+1
			else if (st == "check") printf "-strokewidth\n%f\n-draw\npolyline %f,%f %f,%f %f,%f\n", w, x1+0.15*d, cy, cx-0.1*d, y2-0.15*d, x2+0.3*d, y1-0.4*d
			else if (st == "filled") printf "-strokewidth\n1\n-draw\nrectangle %f,%f %f,%f\n", x1+1.5*k, y1+1.5*k, x2-1.5*k, y2-1.5*k
			else printf "-strokewidth\n%f\n-fill\nnone\n-draw\ncircle %f,%f %f,%f\n-fill\nblack\n", w, cx, cy, cx + 0.85 * d, cy }')
	done
	printf '%s\n' convert -density "$dpi" "$png" -stroke black -fill black "${draw[@]}" \
		-background white -rotate "$angle" +repage
	if [ "$fax" = 1 ]; then
		printf '%s\n' -resample 204x98 -units PixelsPerInch -density 204x98 -seed "${TICK_SEED:-1}" -attenuate 0.3 +noise Impulse -threshold 50% -type bilevel
	fi
	printf '%s\n' "$out"
}

# scan_circular: circular 205 with three drafts (the second's title wraps onto
# two lines of the form's table), open on 2020-01-10 (BALLOT_NOW): the forms
# the scan tests print, tick and read back.
scan_circular() {
	expect_exit 0 ballot init
	setup_205
	at 2019-12-03T12:00:00Z
	expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5052 \
		--title "A second draft with a rather longer title that wraps onto a second line of the table"
	expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5053 --title "Third"
	at 2020-01-10T09:00:00Z
}

mkpdf() { # mkpdf OUT SIZE [IMAGE_SIDE PAGES]: pages of SIZE points square, each drawing
	# one shared image of IMAGE_SIDE pixels square (its data a few bytes: never decoded)
	/usr/bin/python3 - "$@" <<'PY'
import sys, zlib
out, size = sys.argv[1], sys.argv[2]
side = int(sys.argv[3]) if len(sys.argv) > 3 else 0
pages = int(sys.argv[4]) if len(sys.argv) > 4 else 1
objs = ["<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[%s]/Count %d>>" % (" ".join("%d 0 R" % (4 + i) for i in range(pages)), pages)]
data = zlib.compress(b"\xff" * 64)
objs.append("<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray/BitsPerComponent 8"
            "/Filter/FlateDecode/Length %d>>stream\n" % (side, side, len(data)))
for i in range(pages):
    res = "/Resources<</XObject<</Im0 3 0 R>>>>/Contents %d 0 R" % (4 + pages + i) if side else ""
    objs.append("<</Type/Page/Parent 2 0 R/MediaBox[0 0 %s %s]%s>>" % (size, size, res))
for i in range(pages):
    c = b"q 500 0 0 500 0 0 cm /Im0 Do Q"
    objs.append("<</Length %d>>stream\n" % len(c))
body, offs = b"%PDF-1.4\n", []
for n, o in enumerate(objs, 1):
    offs.append(len(body))
    b = ("%d 0 obj\n" % n + o).encode()
    if o.endswith("stream\n"):
        b += (data if n == 3 else b"q 500 0 0 500 0 0 cm /Im0 Do Q") + b"\nendstream"
    body += b + b"\nendobj\n"
x = len(body)
body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
body += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(out, "wb").write(body)
PY
}
