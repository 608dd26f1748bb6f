# tick PDF PAGE DPI OUT ANGLE FAX MARK... : renders page PAGE of PDF at DPI,
# ticks boxes (MARK: REC=CHOICE:STYLE, style cross|check|filled|circled),
# rotates by ANGLE degrees, and when FAX is 1 makes it a 204x98-dpi one-bit
# fax with speckle: OUT (PNG, or TIFF by its name).
tick() {
	local pdf=$1 page=$2 dpi=$3 out=$4 angle=$5 fax=$6; shift 6
	local base=$out.base
	pdftoppm -r "$dpi" -gray -png -f "$page" -l "$page" -singlefile "$pdf" "$base" || return 1
	ph=$(pdfinfo "$pdf" | awk '/^Page size/ { print $5 }')
	local draw=()
	local m rec ch st
	for m in "$@"; do
		rec=${m%%=*}; ch=${m#*=}; st=${ch#*:}; ch=${ch%%:*}
		local r
		r=$(/usr/bin/python3 "$HERE/fill-form.py" --widgets "$pdf" |
			awk -F'\t' -v p="$page" -v n="draft.$rec.choice" -v c="Off,$ch" '$1 == p && $2 == n && $3 == c { print $5 }')
		[ -n "$r" ] || { echo "no box $rec=$ch on page $page" >&2; return 1; }
		draw+=($(awk -v r="$r" -v s="$dpi" -v h="$ph" -v st="$st" 'BEGIN {
			split(r, a, " "); k = s / 72
			x1 = a[1] * k; x2 = a[3] * k; y1 = (h - a[4]) * k; y2 = (h - a[2]) * k
			w = 2.2 * k; cx = (x1 + x2) / 2; cy = (y1 + y2) / 2; d = x2 - x1
			if (st == "cross") printf "-strokewidth %f -draw line_%f,%f_%f,%f -draw line_%f,%f_%f,%f\n", w, x1+1, y1+1, x2-1, y2-1, x1+1, y2-1, x2-1, y1+1
			else if (st == "check") printf "-strokewidth %f -draw polyline_%f,%f_%f,%f_%f,%f\n", w, x1+0.15*d, cy, cx-0.1*d, y2-0.15*d, x2+0.3*d, y1-0.4*d
			else if (st == "filled") printf "-strokewidth 1 -draw rectangle_%f,%f_%f,%f\n", x1+1.5*k, y1+1.5*k, x2-1.5*k, y2-1.5*k
			else printf "-strokewidth %f -fill_none -draw circle_%f,%f_%f,%f\n", w, cx, cy, cx + 0.85 * d, cy }' | tr '_' ' '))
	done
	# the words of each -draw are joined again: awk gave them with _
	local args=() a
	set -- "${draw[@]}"
	while [ $# -gt 0 ]; do
		case $1 in
		-draw) args+=(-draw "$2 $3 $4"); shift 4;
			case ${args[-1]} in polyline*) args[-1]="${args[-1]} $1"; shift;; esac ;;
		*) args+=("$1"); shift ;;
		esac
	done

	convert "$base.png" -stroke black -fill black "${args[@]}" "$base-t.png" || return 1
	if [ "$fax" = 1 ]; then
		convert -density "$dpi" "$base-t.png" -background white -rotate "$angle" +repage -resample 204x98 \
			-attenuate 0.3 +noise Impulse -threshold 50% -type bilevel "$out"
	else
		convert "$base-t.png" -background white -rotate "$angle" +repage "$out"
	fi
}
