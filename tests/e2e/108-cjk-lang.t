#!/usr/bin/env bash
# 108-cjk-lang.t - fonts chosen by the document's language (issue 16;
# forms/fonts.tsv's lang column). A draft title with Chinese in it (a rare
# character, 龘, among common ones) prints in Droid Sans Fallback, a sans
# face with small glyphs, in the en, fr, es, ru and ar forms, and in AR PL
# UMing, the Ming face, in the zh form; each reads back (pdftotext) and
# poppler warns of nothing. The column takes a list of languages (en,fr: es
# falls to the next line); a bad value is refused naming the line and the
# value; a title that some language's documents could not print (Chinese on
# a zh line only) is refused when entered, nothing stored.
. "$(dirname "$0")/lib.sh"

for tool in pdftotext pdffonts perl; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
OBJ=(perl "$E2E/pdf-objects.pl")
CJK='打击使用被盗移动设备的框架（草案）龘'
TITLE="Framework for combating the use of stolen mobile devices $CJK"
fonts() { "${OBJ[@]}" fonts "$1" | awk '{ print $1 }' | sort | tr '\n' ' '; }

at 2019-12-04T09:00:00Z
expect_exit 0 ballot init
expect_exit 0 ballot consultation create --circular 401 --group 11 --date 2019-12-04 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
expect_exit 0 ballot draft add --circular 401 --rec Q.5051 --title "$TITLE" --summary "A framework"
expect_exit 0 ballot forms --circular 401 --member CHE --lang all --out "$T/f" --jobs 1

# --- the shipped table: Droid Sans Fallback but in Chinese -------------------
for l in en fr es ru ar; do
	pdf=$T/f/401/$l/CHE.pdf
	is "$(fonts "$pdf" | grep -oE 'DroidSansFallback|UMingCN' | tr '\n' ' ')" "DroidSansFallback " \
		"$l: the Chinese of the title in Droid Sans Fallback, no AR PL UMing"
done
is "$(fonts "$T/f/401/zh/CHE.pdf" | grep -oE 'DroidSansFallback|UMingCN' | tr '\n' ' ')" "UMingCN " \
	"zh: the Chinese in AR PL UMing, no Droid Sans Fallback"
for l in en zh; do
	pdf=$T/f/401/$l/CHE.pdf
	txt=$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null | tr -d '\n ')
	case $txt in
	*"$(printf '%s' "$TITLE" | tr -d ' ')"*) pass "$l: pdftotext reads the title back, Chinese included" ;;
	*) fail "$l: pdftotext reads the title back"; diag "$txt" ;;
	esac
	is "$( { pdffonts "$pdf" && pdftotext "$pdf" /dev/null; } 2>&1 >/dev/null)" "" \
		"$l: pdffonts and pdftotext warn of nothing"
done

# --- a list of languages: en,fr in Droid Sans Fallback, es falls through ------
cp -R "$REPO/forms" "$T/forms-list"
sed -i '/DroidSansFallback/s/\t\*$/\ten,fr/' "$T/forms-list/fonts.tsv"
is "$(grep -c 'DroidSansFallback.*	en,fr$' "$T/forms-list/fonts.tsv")" 5 "a table whose Droid lines serve en,fr"
BALLOT_FORMS=$T/forms-list expect_exit 0 ballot forms --circular 401 --member CHE --lang en,fr,es \
	--out "$T/l" --jobs 1
for l in en fr es; do
	want=DroidSansFallback
	[ "$l" = es ] && want=UMingCN
	is "$(fonts "$T/l/401/$l/CHE.pdf" | grep -oE 'DroidSansFallback|UMingCN' | tr '\n' ' ')" "$want " \
		"$l: the Chinese in $want (lang en,fr)"
done

# --- a bad lang: refused, naming the line and the value --------------------
cp -R "$REPO/forms" "$T/forms-bad"
sed -i '0,/DroidSansFallback/s/\(DroidSansFallback.*\)\t\*$/\1\tZH/' "$T/forms-bad/fonts.tsv"
line=$(grep -n '	ZH$' "$T/forms-bad/fonts.tsv" | cut -d: -f1)
BALLOT_FORMS=$T/forms-bad run ballot forms --circular 401 --member CHE --lang en --out "$T/bad" --jobs 1
is_num "$RC" 2 "fonts.tsv with lang 'ZH': exit 2"
is "$ERR" "ballot: $T/forms-bad/fonts.tsv:$line: bad lang 'ZH' (*, or document languages en, fr, es, ru, zh, ar separated by commas)" \
	"  ... one line naming the line and the value"
nok "  ... writing nothing" test -e "$T/bad"
# a code that is no document language, an empty item: refused the same way
for bad in cn 'en,' 'en,,fr' de; do
	sed -i "${line}s/\t[^\t]*\$/\t$bad/" "$T/forms-bad/fonts.tsv"
	BALLOT_FORMS=$T/forms-bad run ballot forms --circular 401 --member CHE --lang en --out "$T/bad" --jobs 1
	is "$RC $ERR" "2 ballot: $T/forms-bad/fonts.tsv:$line: bad lang '$bad' (*, or document languages en, fr, es, ru, zh, ar separated by commas)" \
		"fonts.tsv with lang '$bad': exit 2, the line and the value named"
done
nok "  ... writing nothing" test -e "$T/bad"

# --- Chinese on zh lines only: a Chinese title is refused when entered ------
cp -R "$REPO/forms" "$T/forms-zh"
grep -vE '(uming|Droid).*	\*$' "$REPO/forms/fonts.tsv" >"$T/forms-zh/fonts.tsv"
BALLOT_FORMS=$T/forms-zh refused_like "^ballot: --title: character U\\+9F98 in '.*' is not covered by any installed font" \
	ballot draft add --circular 401 --rec Q.5052 --title "Dragon 龘" --summary "A framework"
BALLOT_FORMS=$T/forms-zh expect_exit 0 ballot draft add --circular 401 --rec Q.5052 --title "Dragon" \
	--summary "A framework"

done_testing
