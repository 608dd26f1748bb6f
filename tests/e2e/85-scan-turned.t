#!/bin/bash
# User story (issue 17 §3): a returned form comes back scanned upside down,
# on its side or badly skewed, or one page of a two-page form alone;
# `ballot scan` turns it upright from its QR code (the code's corners say
# how it lies) and takes the page from the QR code (":p2"), never a guess;
# what it cannot read (skewed beyond 10 degrees) it says in one line.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/portal-lib.sh"
. "$HERE/scan-tick.sh"
need_tools pdftoppm pdfinfo convert zbarimg /usr/bin/python3

scan_circular
expect_exit 0 ballot forms --circular 205 --member FRA --lang en --out "$T/a4" --jobs 1
EN=$T/a4/205/en/FRA.pdf
REF=$(pdftotext "$EN" - | grep -o 'ballot:205:FRA:en:[0-9a-f]*' | head -n 1)
proposal() { printf '%s\n' "$OUT" | grep -E "^  $1: "; }

# each page's QR code carries its page number
for p in 1 2; do
	pdftoppm -r 150 -gray -png -f $p -l $p -singlefile "$EN" "$T/plain$p"
	is "$(zbarimg -q --raw "$T/plain$p.png" 2>/dev/null)" "$REF:p$p" "page $p's QR code: the reference and :p$p"
done

ok "page 1 ticked" tick "$EN" 1 150 "$T/p1.png" 0 0 Q.5051=authorize:cross Q.5052=not-authorize:check
for a in 180 90 -90; do
	convert "$T/p1.png" -background white -rotate $a +repage "$T/turned$a.png"
	expect_exit 0 ballot scan "$T/turned$a.png"
	like "$(proposal Q.5051)" ': authorize \(confidence' "turned $a degrees: Q.5051 read"
	like "$(proposal Q.5052)" ': not-authorize \(confidence' "turned $a degrees: Q.5052 read"
done
ok "an upside-down fax (204x98 dpi, one bit)" tick "$EN" 1 200 "$T/fax180.tif" 178 1 \
	Q.5051=not-authorize:filled Q.5052=authorize-with-comments:cross
expect_exit 0 ballot scan "$T/fax180.tif"
like "$(proposal Q.5051)" ': not-authorize \(' "the upside-down fax: Q.5051"
like "$(proposal Q.5052)" ': authorize-with-comments \(' "the upside-down fax: Q.5052"

# skew: 10 degrees read, 14 named in one line with the angle measured
convert "$T/p1.png" -background white -rotate -10 +repage "$T/skew10.png"
expect_exit 0 ballot scan "$T/skew10.png"
like "$(proposal Q.5051)" ': authorize \(' "skewed 10 degrees: read"
convert "$T/p1.png" -background white -rotate 14 +repage "$T/skew14.png"
expect_exit 0 ballot scan "$T/skew14.png"
like "$OUT" 'skew14.png page 1: not read: no tick boxes found: the page is skewed by 1[345]\.[0-9] degrees \(up to 10 are read\)$' \
	"skewed 14 degrees: said so, with the angle"
unlike "$OUT" ': (not-)?authorize' "... and nothing proposed"

# page 2 alone is read as page 2; page 2 with page 1's QR code pasted on is
# not read (the page is the code's, never the best fit)
ok "page 2 ticked" tick "$EN" 2 150 "$T/p2.png" 2 0 Q.5053=authorize-with-comments:check
expect_exit 0 ballot scan "$T/p2.png"
like "$(proposal Q.5053)" ': authorize-with-comments \(' "page 2 alone: Q.5053 read"
# (the QR code with its quiet zone: 50..158 pt across, 724..832 pt down, at 150 dpi)
convert "$T/plain1.png" -crop 226x226+104+1508 +repage "$T/qr1.png"
ok "page 2 ticked, straight" tick "$EN" 2 150 "$T/p2s.png" 0 0 Q.5053=authorize-with-comments:check
convert "$T/p2s.png" "$T/qr1.png" -geometry +104+1508 -composite "$T/p2-qr1.png"
is "$(zbarimg -q --raw "$T/p2-qr1.png" 2>/dev/null)" "$REF:p1" "page 2 now carries page 1's code"
expect_exit 0 ballot scan "$T/p2-qr1.png"
like "$OUT" 'p2-qr1.png page 1: not read: no tick boxes found' "page 2 under page 1's code: its boxes are not looked for elsewhere"
unlike "$OUT" 'Q.5053: authorize' "... and Q.5053 is not proposed"

# a form issued before a draft was added is read against the drafts it was
# issued for (its reference's digest names them); reply --from-scan records
# those, warned as --ref warns, and never asks about the draft added since
at 2020-01-11T09:00:00Z
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5054 --title "Added later"
expect_exit 0 ballot scan "$T/p1.png" "$T/p2.png"
like "$OUT" '^  issued before Q\.5054 was added: read as issued$' "the stale form: what changed, read as issued"
like "$(proposal Q.5051)" ': authorize \(' "... Q.5051 read"
like "$(proposal Q.5053)" ': authorize-with-comments \(' "... Q.5053 (page 2) read"
unlike "$OUT" 'Q\.5054:' "... and the draft added since is not on it"
expect_exit 0 ballot scan --json "$T/p1.png"
is "$(jget ".forms[0].stale"):$(jget ".forms[0].added_since")" "true:Q.5054" "--json: stale, the draft added since"
echo "the comments" >"$T/c.txt"
expect_exit 0 ballot reply --from-scan "$T/p1.png" --circular 205 --choice Q.5053=authorize --dry-run \
	--signatory "A. Martin" --title "Director"
like "$ERR" 'the drafts of circular 205 changed after this form was issued' "reply --from-scan: warned as --ref"
like "$OUT" '^  Q\.5051: authorize$' "... Q.5051 as read"
unlike "$OUT" 'Q\.5054' "... Q.5054 not listed"
like "$OUT" 'signatory: A\. Martin' "--signatory gives the scan's signatory"
like "$OUT" 'Director' "... and --title its title"
for o in "--draft Q.5051" "--authorize" "--not-authorize" "--ref x" "--receipt $T/r.json"; do
	# shellcheck disable=SC2086
	refused_like "^ballot: ${o%% *}: not with --from-scan \(" ballot reply --from-scan "$T/p1.png" --circular 205 $o
done
refused_like "^ballot: --draft: not with --from-pdf \(" ballot reply --from-pdf "$EN" --circular 205 --draft Q.5051

# a form of another database (circular 205 with other drafts): its digest
# matches no set of this circular's drafts: named, not read, refused
MAIN_DB=$BALLOT_DB
export BALLOT_DB=$T/other.sqlite
expect_exit 0 ballot init
setup_205
at 2019-12-03T12:00:00Z
expect_exit 0 ballot draft add --summary "S." --circular 205 --rec Q.5099 --title "Elsewhere"
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member FRA --lang en --out "$T/other" --jobs 1
export BALLOT_DB=$MAIN_DB
ok "the other database's form ticked" tick "$T/other/205/en/FRA.pdf" 1 150 "$T/other.png" 0 0 Q.5051=authorize:cross
expect_exit 0 ballot scan "$T/other.png"
like "$OUT" '^  issued for drafts this circular never had together: its boxes are not read$' "another database's form: named, not read"
like "$(proposal Q.5051)" ': uncertain \(the form was issued for another draft list\)$' "... no row proposed"
refused_like "^ballot: --from-scan other\.png: form ballot:205:FRA:en:[0-9a-f]{16} was issued for drafts circular 205 never had together" \
	ballot reply --from-scan "$T/other.png" --circular 205 --choice Q.5051=authorize

done_testing
