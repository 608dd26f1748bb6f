#!/bin/bash
# User story: a draft title in any script the installed fonts cover prints,
# through the full font when the fast subset lacks a character; one that no
# font can print is refused before any file is written.
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

# Outside the Basic Multilingual Plane (libharu 2.3.0 prints spaces there).
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 300 --rec X.2 --title 'Fraktur 𝔘'
rm -rf "$T/g"
refused_like 'U\+1D518 .*outside the Basic Multilingual Plane' ballot forms --circular 300 --blank --lang en --out "$T/g"
nok "no file written" test -e "$T/g/300/en/blank.pdf"
refused_like 'U\+1D518' ballot report --circular 300 --out "$T/r.pdf"
nok "no report written" test -e "$T/r.pdf"

done_testing
