#!/bin/bash
# User story (issue 17 §3): a scanner or fax program stores a page as it was
# fed and says in the TIFF's Orientation tag how to show it (TIFF 6.0: 1-4
# upright or flipped, 5-8 with rows and columns exchanged: LeftTop,
# RightTop, RightBot, LeftBot). `ballot scan` reads the page as the tag
# says: every row of the form, upright (turn 0), whatever the tag.
# The files are made with ImageMagick from one upright fax (204x98 dpi, one
# bit): the pixels stored turned or flipped, the tag saying so, and the
# resolutions exchanged with the axes for 5-8; ImageMagick's own
# -auto-orient gives back the upright fax from each (the file is right).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/scan-tick.sh"
need_tools pdftoppm pdfinfo convert identify compare /usr/bin/python3

scan_circular
expect_exit 0 ballot forms --circular 205 --member FRA --lang en --out "$T/a4" --jobs 1
EN=$T/a4/205/en/FRA.pdf

ok "an upright fax (204x98 dpi, one bit)" tick "$EN" 1 200 "$T/up.tif" 0 1 \
	Q.5051=authorize:cross Q.5052=not-authorize:filled
is "$(identify -format '%x %y %[type]' "$T/up.tif")" "204 98 Bilevel" "the fax: 204x98 dpi, one bit"
convert "$T/up.tif" "$T/up.png"

# tag, ImageMagick's name for it, what is stored (the upright page so
# changed: ImageMagick's options, ':' for a space), the stored resolution
while read -r tag name op res; do
	f=$T/o$tag.tif
	op=${op#-none}
	convert "$T/up.tif" ${op//:/ } +repage -orient "$name" -units PixelsPerInch -density "$res" \
		-compress Group4 "$f"
	is "$(identify -format '%[orientation] %x %y' "$f")" "$name ${res%x*} ${res#*x}" \
		"orientation $tag ($name): the TIFF says so, stored at $res dpi"
	convert "$f" -auto-orient "$T/back.png"
	is "$(compare -metric AE "$T/up.png" "$T/back.png" null: 2>&1)" 0 \
		"... ImageMagick's -auto-orient gives back the upright fax"
	expect_exit 0 ballot scan --json "$f"
	is "$(jget '.forms[0].drafts[0].choice'):$(jget '.forms[0].drafts[1].choice')" \
		"authorize:not-authorize" "orientation $tag: both rows read"
	turn=$(jget '.forms[0].pages[0].turn')
	ok "orientation $tag: read upright (turn $turn)" awk -v t="$turn" 'BEGIN { exit !(t <= 0.6 && t >= -0.6) }'
done <<'LIST'
1 TopLeft -none 204x98
2 TopRight -flop 204x98
3 BottomRight -rotate:180 204x98
4 BottomLeft -flip 204x98
5 LeftTop -transpose 98x204
6 RightTop -rotate:-90 98x204
7 RightBottom -transverse 98x204
8 LeftBottom -rotate:90 98x204
LIST

done_testing
