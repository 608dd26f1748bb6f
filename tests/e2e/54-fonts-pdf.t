#!/usr/bin/env bash
# 54-fonts-pdf.t - the fonts, text layer and properties of the PDF
# documents (issue 16). Every font is subset per document (hb-subset) and
# carries a valid ToUnicode CMap: pdffonts and pdftotext say nothing about
# any form or report, in any language (poppler's "Syntax Warning: Invalid
# 'begincidrange' operator in ToUnicode CMap" came with every file of
# libharu 2.3.0's own fonts). pdftotext finds the member's name, the subject
# line and a box label of the form in each of the six languages (Arabic as
# the letters typed, not presentation forms). Each document has /Lang, a
# title, subject and author in its language, DisplayDocTitle, and Direction
# R2L in Arabic. A rare Chinese character in a draft title adds its glyph,
# not a font: the English form embeds exactly that glyph of Droid Sans
# Fallback (with its two components), the Chinese one a glyph more of AR PL
# UMing; each form stays within 10 % of the same form without it.
# Same inputs, same bytes.
. "$(dirname "$0")/lib.sh"

for tool in pdftotext pdffonts pdfinfo qpdf perl; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
OBJ=(perl "$E2E/pdf-objects.pl")
LANGS="en fr es ru zh ar"
TITLE="Framework for combating the use of stolen mobile devices"

# the text of a PDF without white space, line ends and bidi controls (which
# pdftotext puts around right-to-left and numeric runs)
flat() {
	pdftotext "$1" - 2>/dev/null |
		perl -CS -0777 -pe 's/[\s\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]//g'
}
squeeze() { printf '%s' "$1" | perl -CS -0777 -pe 's/[\s\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]//g'; }
tmpl() { # tmpl KIND LANG KEY : a template's value
	sed -n "s/^$3 = //p" "$REPO/forms/$1/$2.txt"
}
info() { # info FILE FIELD : what pdfinfo says of FIELD
	pdfinfo "$1" 2>/dev/null | sed -n "s/^$2: *//p"
}

at 2019-12-04T09:00:00Z
expect_exit 0 ballot init
for c in 301 302; do
	expect_exit 0 ballot consultation create --circular $c --group 11 --date 2019-12-04 \
		--meeting-start 2020-03-04 --meeting-end 2020-03-13
done
expect_exit 0 ballot draft add --circular 301 --rec Q.5051 --title "$TITLE" --summary "A framework"
expect_exit 0 ballot draft add --circular 302 --rec Q.5051 --title "$TITLE 龘" --summary "A framework"
at 2019-12-05T09:00:00Z
expect_exit 0 ballot reply --circular 301 --member CHE --authorize --channel email
expect_exit 0 ballot forms --circular 301 --member CHE,SAU --blank --lang all --out "$T/f" --jobs 1
expect_exit 0 ballot forms --circular 302 --member CHE --lang all --out "$T/f" --jobs 1
expect_exit 0 ballot report --circular 301 --lang all --dir "$T/r"

# --- poppler finds nothing wrong in any file -------------------------------
n=0 warned=0 bad_fonts=0
for pdf in "$T"/f/*/*/*.pdf "$T"/r/*.pdf; do
	n=$((n + 1))
	said=$( { pdffonts "$pdf" && pdftotext "$pdf" /dev/null; } 2>&1 >/dev/null)
	if [ -n "$said" ]; then
		warned=$((warned + 1))
		diag "$pdf: $said"
	fi
	# every font: embedded, a subset, with a ToUnicode CMap
	fonts=$(pdffonts "$pdf" 2>/dev/null | tail -n +3)
	if [ -z "$fonts" ] || printf '%s\n' "$fonts" | grep -vqE ' CID TrueType +Identity-H +yes +yes +yes '; then
		bad_fonts=$((bad_fonts + 1))
		diag "$pdf: $fonts"
	fi
done
is_num "$n" 30 "30 files: 18 forms, 6 with the rare character, 6 reports"
is_num "$warned" 0 "pdffonts and pdftotext print nothing on stderr (no Syntax Warning) for any of them"
is_num "$bad_fonts" 0 "every font is a CID TrueType subset, embedded, with a ToUnicode CMap"

# --- the text layer, in each language ---------------------------------------
declare -A CHE=([en]=Switzerland [fr]=Suisse [es]=Suiza [ru]=Швейцария [zh]=瑞士 [ar]=سويسرا)
for l in $LANGS; do
	txt=$(flat "$T/f/301/$l/CHE.pdf")
	subject=$(tmpl annex2 "$l" subject)
	subject=$(squeeze "$(tmpl annex2 "$l" subject_label)${subject%%\{drafts\}*}")
	subject=${subject//\{circular\}/301}
	for want in "${CHE[$l]}" "$subject" "$(squeeze "$(tmpl annex2 "$l" col_choice)")" \
		"$(squeeze "$(tmpl annex2 "$l" no_comments)")"; do
		case $txt in
		*"$want"*) pass "$l: pdftotext finds '$want'" ;;
		*) fail "$l: pdftotext finds '$want'"; diag "$txt" ;;
		esac
	done
done
ar=$(pdftotext "$T/f/301/ar/SAU.pdf" - 2>/dev/null)
forms=$(printf '%s' "$ar" | perl -CS -0777 -ne 'print scalar(() = /[\x{fb50}-\x{fdff}\x{fe70}-\x{feff}]/g)')
is_num "$forms" 0 "ar: the text layer has no Arabic presentation forms"
like "$ar" 'الاتصالات' "ar: a lam-alef ligature reads back as lam, alef (الاتصالات)"

# --- the document's properties --------------------------------------------
declare -A TAG=([en]=en [fr]=fr [es]=es [ru]=ru [zh]=zh-CN [ar]=ar)
for l in $LANGS; do
	for pdf in "$T/f/301/$l/CHE.pdf" "$T/f/301/$l/blank.pdf" "$T/r/301-$l.pdf"; do
		case $pdf in
		*/CHE.pdf) kind=annex2; t=$(tmpl annex2 "$l" doc_title_member); t=${t//\{member\}/${CHE[$l]}} ;;
		*/blank.pdf) kind=annex2; t=$(tmpl annex2 "$l" doc_title) ;;
		*) kind=report; t=$(tmpl report "$l" title) ;;
		esac
		t=${t//\{circular\}/301}
		what="$l: $(basename "$pdf")"
		is "$(squeeze "$(info "$pdf" Title)")" "$(squeeze "$t")" "$what: the title in the document's language"
		is "$(info "$pdf" Subject)" "$(tmpl $kind "$l" doc_subject)" "$what: the subject"
		is "$(info "$pdf" Author)" "$(tmpl $kind "$l" doc_author)" "$what: the author"
		cat=$("${OBJ[@]}" catalog "$pdf")
		like "$cat" "^Lang=${TAG[$l]}\$" "$what: /Lang ${TAG[$l]}"
		like "$cat" '^DisplayDocTitle=true$' "$what: DisplayDocTitle"
		if [ "$l" = ar ]; then dir=/R2L; else dir=-; fi
		like "$cat" "^Direction=$dir\$" "$what: Direction $dir"
	done
done

# --- a rare Chinese character in the title: one glyph more ----------------
fonts=$("${OBJ[@]}" fonts "$T/f/302/en/CHE.pdf")
like "$fonts" '^DroidSansFallback 4 1 yes$' \
	"en: the rare character's font (Droid Sans Fallback) holds .notdef, that glyph and its two components"
unlike "$fonts" 'UMing' "en: and no AR PL UMing"
nok "en: without it no Chinese font at all" grep -qE 'UMingCN|Droid' <<<"$("${OBJ[@]}" fonts "$T/f/301/en/CHE.pdf")"
unlike "$("${OBJ[@]}" fonts "$T/f/302/zh/CHE.pdf")" 'Droid' "zh: no Droid Sans Fallback (the Chinese forms keep AR PL UMing)"
g1=$("${OBJ[@]}" fonts "$T/f/301/zh/CHE.pdf" | awk '$1 == "UMingCN" { print $2 }')
g2=$("${OBJ[@]}" fonts "$T/f/302/zh/CHE.pdf" | awk '$1 == "UMingCN" { print $2 }')
is_num "$g2" "$((g1 + 1))" "zh: the rare character adds one glyph to the Chinese font ($g1 -> $g2)"
for l in $LANGS; do
	a=$(stat -c %s "$T/f/301/$l/CHE.pdf")
	b=$(stat -c %s "$T/f/302/$l/CHE.pdf")
	diag "$l: form $a bytes, with 龘 in the title $b bytes (+$(( (b - a) * 100 / a )) %)"
	ok "$l: the form with 龘 within 10 % of the form without it ($a -> $b bytes)" test $(( (b - a) * 10 )) -le "$a"
done

# --- a font file that is not a TrueType font: refused, nothing written -----
cp -R "$REPO/forms" "$T/badforms"
printf 'not a font\n' >"$T/x.ttf"
sed -i "s#{fonts}/truetype/liberation2/LiberationSans-Regular.ttf#$T/x.ttf#" "$T/badforms/fonts.tsv"
BALLOT_FORMS=$T/badforms run ballot forms --circular 301 --member CHE --lang en --out "$T/bad" --jobs 1
is_num "$RC" 2 "fonts.tsv naming a file that is no TrueType font: exit 2"
like "$ERR" "^ballot: font $T/x\\.ttf \\(face 0\\) has no TrueType outlines \\(glyf table\\) \\(Debian package fonts-liberation2\\)\$" \
	"  ... naming the file and its package"
nok "  ... and writing nothing" test -e "$T/bad"

# --- same inputs, same bytes -----------------------------------------------
expect_exit 0 ballot forms --circular 302 --member CHE --lang all --out "$T/again" --jobs 2
expect_exit 0 ballot report --circular 301 --lang zh,ar --dir "$T/again"
same=0
for l in $LANGS; do
	cmp -s "$T/f/302/$l/CHE.pdf" "$T/again/302/$l/CHE.pdf" && same=$((same + 1))
done
is_num "$same" 6 "the forms again: byte-identical in the six languages"
ok "the Chinese report again: byte-identical" cmp "$T/r/301-zh.pdf" "$T/again/301-zh.pdf"
ok "the Arabic report again: byte-identical" cmp "$T/r/301-ar.pdf" "$T/again/301-ar.pdf"

done_testing
