#!/usr/bin/env bash
# 70-shaping.t - Arabic shaped with HarfBuzz in Amiri (issue 16): the
# Arabic form and report read back, through pdftotext, as the words of their
# templates and the Member State names of Debian's iso-codes catalogue, in
# logical order, with each shadda after its own letter (السّعوديّة, which
# fribidi's presentation forms gave back as الّسعودّية) and no
# presentation forms; Amiri's regular and bold faces are embedded as
# subsets; bold Chinese is stroked (faux bold: AR PL UMing has no bold
# face); poppler says nothing; same inputs, same bytes. fonts.tsv may name
# a range beyond U+FFFF (a title with 𝐀 prints through DejaVu Math), and a
# font with CFF outlines is refused in one line naming it. Every document is
# tagged: pdfinfo says "Tagged: yes"; its structure tree (pdf-tags.py, with
# pypdf) is a Document of headings and paragraphs whose MCIDs match each
# page's marked content and parent tree, with no text outside marked
# content.
. "$(dirname "$0")/lib.sh"

for tool in pdftotext pdffonts pdfinfo qpdf perl python3 /usr/bin/python3; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
OBJ=(perl "$E2E/pdf-objects.pl")

# pdftotext's text with bidi controls dropped and white space as one space
words() {
	pdftotext "$1" - 2>/dev/null |
		perl -CS -0777 -pe 's/[\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]//g; s/\s+/ /g'
}
tmpl() { # tmpl KIND LANG KEY : a template's value, line breaks as spaces
	sed -n "s/^$3 = //p" "$REPO/forms/$1/$2.txt" | sed 's/\\n/ /g'
}
catalogue() { # catalogue LANG NAME : iso-codes' translation of a country name
	python3 -c 'import gettext, sys
t = gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=[sys.argv[1]])
print(t.gettext(sys.argv[2]))' "$1" "$2"
}
finds() { # finds TEXT WANT DESC
	case $1 in
	*"$2"*) pass "$3" ;;
	*) fail "$3"; diag "wanted: $2"; diag "got: $1" ;;
	esac
}

at 2019-12-04T09:00:00Z
expect_exit 0 ballot init
expect_exit 0 ballot consultation create --circular 301 --group 11 --date 2019-12-04 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --circular 301 --rec Q.5051 --title "Framework for combating the use of stolen mobile devices" \
	--summary "A framework"
at 2019-12-05T09:00:00Z
expect_exit 0 ballot reply --circular 301 --member SAU --authorize --channel email
expect_exit 0 ballot reply --circular 301 --member EGY --not-authorize --channel email
expect_exit 0 ballot forms --circular 301 --member SAU,EGY,CHN --lang ar,zh,en --out "$T/f" --jobs 1
expect_exit 0 ballot report --circular 301 --lang ar,zh --dir "$T/r"

# --- poppler says nothing; the fonts -----------------------------------------
said=""
for pdf in "$T"/f/301/*/*.pdf "$T"/r/*.pdf; do
	said+=$( { pdffonts "$pdf" && pdftotext "$pdf" /dev/null; } 2>&1 >/dev/null)
done
is "$said" "" "pdffonts and pdftotext print nothing on stderr for the 11 files"
fonts=$(pdffonts "$T/f/301/ar/SAU.pdf" 2>/dev/null)
like "$fonts" '^[A-Z]{6}\+Amiri-Regular +CID TrueType +Identity-H +yes +yes +yes ' "ar form: Amiri embedded, a subset, with ToUnicode"
like "$fonts" '^[A-Z]{6}\+Amiri-Bold +CID TrueType +Identity-H +yes +yes +yes ' "ar form: Amiri Bold for the bold text"
unlike "$fonts" 'Kacst' "ar form: no KacstBook"
like "$(pdffonts "$T/r/301-ar.pdf" 2>/dev/null)" '^[A-Z]{6}\+Amiri-Bold ' "ar report: Amiri Bold for its headings"

# --- the Arabic text layer: the templates' words, in reading order -----------
sau=$(catalogue ar "Saudi Arabia")
egy=$(catalogue ar "Egypt")
is "$sau" "السّعوديّة" "the catalogue's name of SAU has a shadda on the seen and on the yeh"
form=$(words "$T/f/301/ar/SAU.pdf")
finds "$form" "$sau" "ar form: the member's name as the catalogue has it, each shadda after its letter"
for key in email_label col_choice no_comments comments closing salutation; do
	want=$(tmpl annex2 ar "$key")
	finds "$form" "$want" "ar form: $key '$want'"
done
# (the words after a number: poppler puts the space between a number and
# the Arabic word after it on the number's other side, as it did before)
for key in authorizes not_authorize; do
	want=$(tmpl annex2 ar "$key")
	want=${want#*\{sg\} }
	want=${want%% (*}
	finds "$form" "$want" "ar form: $key, its words after the number '$want'"
done
finds "$(words "$T/f/301/ar/EGY.pdf")" "$egy" "ar form of EGY: '$egy'"
n=$(printf '%s' "$form" | perl -CS -0777 -ne 'print scalar(() = /[\x{fb50}-\x{fdff}\x{fe70}-\x{feff}]/g)')
is_num "$n" 0 "ar form: no presentation forms in the text layer"
rep=$(words "$T/r/301-ar.pdf")
for key in col_member generated; do
	want=$(tmpl report ar "$key")
	want=${want%%\{*}
	finds "$rep" "${want% }" "ar report: $key '${want% }'"
done
finds "$rep" "$sau" "ar report: '$sau'"
finds "$rep" "$egy" "ar report: '$egy'"

# --- bold Chinese: stroked as well as filled ---------------------------------
qpdf --qdf --object-streams=disable "$T/f/301/zh/CHN.pdf" "$T/zh.qdf"
qpdf --qdf --object-streams=disable "$T/f/301/en/CHN.pdf" "$T/en.qdf"
zh_tr=$(grep -ac '^2 Tr$' "$T/zh.qdf")
ok "zh form: bold Chinese text is drawn with render mode 2 (fill and stroke) ($zh_tr times)" test "$zh_tr" -gt 0
is "$(grep -ac '^2 Tr$' "$T/en.qdf")" 0 "en form: Liberation Sans Bold, no faux bold"

# --- tagged PDF ---------------------------------------------------------------
for pdf in "$T/f/301/ar/SAU.pdf" "$T/f/301/zh/CHN.pdf" "$T/f/301/en/CHN.pdf" "$T/r/301-ar.pdf" "$T/r/301-zh.pdf"; do
	what=${pdf#"$T/"}
	like "$(pdfinfo "$pdf" 2>/dev/null)" '^Tagged: +yes$' "$what: pdfinfo says Tagged: yes"
	tags=$(/usr/bin/python3 "$E2E/pdf-tags.py" "$pdf" 2>&1)
	like "$tags" '^Document=1 .*H[12]=1 .*P=[0-9]+' "$what: a Document of headings and paragraphs ($(head -1 <<<"$tags"))"
	is "$(tail -1 <<<"$tags")" ok "$what: MCIDs match the parent tree; all text in marked content"
done

# --- same inputs, same bytes -------------------------------------------------
expect_exit 0 ballot forms --circular 301 --member SAU,EGY,CHN --lang ar,zh,en --out "$T/again" --jobs 2
expect_exit 0 ballot report --circular 301 --lang ar,zh --dir "$T/again"
same=0
for f in ar/SAU ar/EGY ar/CHN zh/CHN en/CHN; do
	cmp -s "$T/f/301/$f.pdf" "$T/again/301/$f.pdf" && same=$((same + 1))
done
is_num "$same" 5 "the forms again: byte-identical"
ok "the Arabic report again: byte-identical" cmp "$T/r/301-ar.pdf" "$T/again/301-ar.pdf"

# --- beyond U+FFFF: a font line may name such a range -----------------------
cp -R "$REPO/forms" "$T/math"
printf '1D400\t1D7FF\tregular\t0\t{fonts}/truetype/dejavu/DejaVuMathTeXGyre.ttf\tfonts-dejavu-extra\n' >>"$T/math/fonts.tsv"
BALLOT_FORMS=$T/math expect_exit 0 ballot draft add --circular 301 --rec Q.5052 --title "The 𝐀 framework" --summary "A"
BALLOT_FORMS=$T/math expect_exit 0 ballot forms --circular 301 --member CHE --lang en --out "$T/m" --jobs 1
finds "$(words "$T/m/301/en/CHE.pdf")" "The 𝐀 framework" "en form: the title with U+1D400 reads back whole"
like "$("${OBJ[@]}" fonts "$T/m/301/en/CHE.pdf")" '^DejaVuMathTeXGyre-Regular 2 1 yes$' \
	"en form: DejaVu Math embedded with that one glyph"

# --- a font with CFF outlines: refused in one line, nothing written ---------
cp -R "$REPO/forms" "$T/cff"
perl -i -pe 'print "0041\t005A\tregular\t0\t{fonts}/opentype/urw-base35/C059-Roman.otf\tfonts-urw-base35\n" if /^0000\t052F\tregular/' \
	"$T/cff/fonts.tsv"
BALLOT_FORMS=$T/cff run ballot forms --circular 301 --member CHE --lang en --out "$T/c" --jobs 1
is_num "$RC" 2 "fonts.tsv naming an OpenType/CFF font: exit 2"
like "$ERR" "^ballot: font .*/C059-Roman\\.otf \\(face 0\\) has CFF outlines \\(OpenType/CFF\\), which ballot does not embed: name a TrueType font \\(glyf table\\) in fonts\\.tsv \\(Debian package fonts-urw-base35\\)\$" \
	"  ... one line naming the file, why, and its package"
is "$(printf '%s\n' "$ERR" | grep -c .)" 1 "  ... one line"
nok "  ... and nothing written" test -e "$T/c"

done_testing
