#!/bin/bash
# User story (issue 17 §3): a form comes back by fax (204x98 dpi, one bit)
# fed on its side (turned 90 or -90 degrees) or skewed by 5 to 8 degrees;
# `ballot scan` turns it upright and straightens it by the angle measured in
# points (a fax's pixels are twice as tall as wide: an angle measured in
# pixels is about half the page's), and reads every row.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/scan-tick.sh"
need_tools pdftoppm pdfinfo convert identify /usr/bin/python3

scan_circular
expect_exit 0 ballot forms --circular 205 --member FRA --lang en --out "$T/a4" --jobs 1
EN=$T/a4/205/en/FRA.pdf
proposal() { printf '%s\n' "$OUT" | grep -E "^  $1: "; }

# the fax the tests make is a real 204x98-dpi one: its TIFF says so
ok "a fax turned 90 degrees" tick "$EN" 1 200 "$T/fax90.tif" 90 1 \
	Q.5051=authorize:cross Q.5052=not-authorize:filled
is "$(identify -format '%x %y %[type]' "$T/fax90.tif")" "204 98 Bilevel" "the test fax: 204x98 dpi, one bit"

# (angle, Q.5051's mark, Q.5052's mark): turned both ways, skewed 5 to 8
# degrees both ways, upright and turned
while read -r a m1 m2; do
	TICK_SEED=${a#-} ok "a fax at $a degrees" tick "$EN" 1 200 "$T/fax$a.tif" "$a" 1 "Q.5051=$m1" "Q.5052=$m2"
	expect_exit 0 ballot scan --json "$T/fax$a.tif"
	is "$(jget '.forms[0].drafts[0].choice'):$(jget '.forms[0].drafts[1].choice')" \
		"${m1%%:*}:${m2%%:*}" "the fax at $a degrees: both rows read"
	turn=$(jget '.forms[0].pages[0].turn')
	is "$(awk -v t="$turn" -v a="$a" 'BEGIN { d = t - a; print (d < 0 ? -d : d) <= 0.6 ? "near" : "off by " d }')" \
		near "the fax at $a degrees: turn measured $turn (in points)"
done <<'LIST'
90 authorize:cross not-authorize:filled
-90 not-authorize:check authorize-with-comments:cross
5 authorize-with-comments:filled authorize:check
-6.5 not-authorize:cross authorize:filled
8 authorize:check not-authorize:cross
-7 authorize:filled authorize-with-comments:check
96 not-authorize:filled authorize:cross
-84.5 authorize-with-comments:cross not-authorize:check
LIST

done_testing
