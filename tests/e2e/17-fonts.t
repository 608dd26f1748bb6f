#!/bin/bash
# User story: a draft title in any script the installed fonts cover prints,
# through the full font when the fast subset lacks a character; one that no
# font can print is refused when it is entered; one stored all the same
# (under another font table) is printed with □.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
at 2019-12-04T09:00:00Z
expect_exit 0 ballot consultation create --circular 300 --group 17 --date 2019-12-04 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
TITLE='Sécurité: αβγ Ελλάδα, Tiếng Việt, 龘齉 ™ ←'
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 300 --rec X.1 --title "$TITLE"
for l in en zh; do
	expect_exit 0 ballot forms --circular 300 --member CHN --lang "$l" --out "$T/f" --jobs 1
	txt=$(pdftotext "$T/f/300/$l/CHN.pdf" - 2>/dev/null | tr -d '\n ')
	want=$(printf '%s' "$TITLE" | tr -d ' ')
	case $txt in
	*"$want"*) pass "$l: the title prints, Greek, Vietnamese, rare Chinese and symbols included" ;;
	*) fail "$l: the title prints"; diag "$txt" ;;
	esac
	ok "$l: qpdf --check" qpdf --check "$T/f/300/$l/CHN.pdf"
done

# fonts.tsv without its line of column names: no font line is lost.
cp -R "$REPO/forms" "$T/forms-nohead"
grep -v '^first	' "$REPO/forms/fonts.tsv" >"$T/forms-nohead/fonts.tsv"
expect_exit 0 ballot forms --circular 300 --member CHN --lang en --out "$T/h1" --jobs 1
BALLOT_FORMS=$T/forms-nohead expect_exit 0 ballot forms --circular 300 --member CHN --lang en --out "$T/h2" --jobs 1
ok "the same form without the header line" cmp "$T/h1/300/en/CHN.pdf" "$T/h2/300/en/CHN.pdf"

# A title no font can print is refused when it is entered, before anything
# is stored: beyond the Basic Multilingual Plane (fonts.tsv names no range
# there) or in a script no installed font covers.
refused_like '^ballot: --title: character U\+1D518 .*outside the Basic Multilingual Plane' \
	ballot draft add --summary "A summary of the draft." --circular 300 --rec X.2 --title 'Fraktur 𝔘'
refused_like "^ballot: --title: character U\\+1200 in 'Amharic ሀሁሂ' is not covered by any installed font" \
	ballot draft add --summary "A summary of the draft." --circular 300 --rec X.2 --title 'Amharic ሀሁሂ'

# A title stored under a font table that covered it (here one that adds
# Liberation Sans' music signs), printed with the table as shipped: never
# refused, the character drawn as □; forms warn once, the report notes it.
cp -R "$REPO/forms" "$T/forms-music"
printf '2600\t26FF\tregular\t0\t/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf\tfonts-liberation2\n' \
	>>"$T/forms-music/fonts.tsv"
BALLOT_FORMS=$T/forms-music expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 300 --rec X.2 --title 'Hymn ♪'
expect_exit 0 ballot forms --circular 300 --blank --lang en,zh --out "$T/g" --jobs 1
like "$ERR" "^ballot: warning: title of draft X\\.2: character U\\+266A in 'Hymn ♪' .*; the forms show it as □\$" \
	"forms warn of the stored title"
is "$(printf '%s\n' "$ERR" | grep -c .)" 1 "  ... once for both languages"
for l in en zh; do
	like "$(pdftotext "$T/g/300/$l/blank.pdf" - 2>/dev/null)" 'Hymn □' "$l: the form prints the title with □"
done
expect_exit 0 ballot report --circular 300 --out "$T/r.pdf"
txt=$(pdftotext "$T/r.pdf" - 2>/dev/null | tr '\n' ' ')
like "$txt" 'Draft titles with characters that no installed font can print \(shown as □\): 1' \
	"the report notes the title"
like "$txt" 'ITU-T X\.2 — Hymn □' "  ... and prints it with □"

done_testing
