#!/bin/bash
# User story: an ITU circular gives each draft's title and summary in the six
# languages; the secretariat records them (draft add --title-fr ..., later
# draft set), and the forms, reports and the portal's member pages show the
# reader's language, falling back to English with a warning.
. "$(dirname "$0")/lib.sh"

TITLE_EN="Framework for combating the use of stolen mobile devices"
TITLE_FR="Cadre de lutte contre l'utilisation de dispositifs mobiles volés"
TITLE_ES="Marco para combatir el uso de dispositivos móviles robados"
TITLE_ZH="打击使用被盗移动设备的框架"
TITLE_AR="إطار لمكافحة استعمال الأجهزة المتنقلة المسروقة"
TITLE_RU="Основы борьбы с использованием украденных мобильных устройств"

# pdftotext of FILE, NFKC-normalised, bidi marks and line breaks dropped
# (Arabic may extract as presentation forms, with embedding marks)
pdf_words() {
	pdftotext -enc UTF-8 "$1" - | /usr/bin/perl -CSD -MUnicode::Normalize -0777 -ne \
		's/[\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]//g; s/\s+/ /g; print NFKC($_)'
}
# the text NFKC-normalised, as pdf_words gives it
nfkc() { printf '%s' "$1" | /usr/bin/perl -CSD -MUnicode::Normalize -0777 -ne 'print NFKC($_)'; }
has_text() { # has_text FILE TEXT DESC
	if pdf_words "$1" | grep -qF -- "$(nfkc "$2")"; then pass "$3"; else
		fail "$3"
		diag "$(pdf_words "$1" | head -c 600)"
	fi
}

at 2019-12-02T10:00:00Z
expect_exit 0 ballot init
expect_exit 0 ballot consultation create --circular 205 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
at 2020-01-10T10:00:00Z
expect_exit 0 ballot draft add --circular 205 --rec Q.5051 --former Q.FW_CSM \
	--title "$TITLE_EN" --summary "Mobile devices have become ever more important." \
	--title-fr "$TITLE_FR" --summary-fr "Les appareils mobiles sont devenus plus importants." \
	--title-zh "$TITLE_ZH" --title-ar "$TITLE_AR" --summary-ar "ملخص المشروع"
expect_exit 0 ballot draft add --circular 205 --rec Q.3960 --revised --title "Revised draft" \
	--summary "A summary of the draft."

# draft list says which languages have no title
expect_exit 0 ballot draft list --circular 205
like "$ERR" '^warning: draft Q\.5051 has no title in es, ru:' "draft list: Q.5051 lacks es and ru"
like "$ERR" '^warning: draft Q\.3960 has no title in fr, es, ru, zh, ar:' "draft list: Q.3960 has English only"

# --- refusals: one line naming the option, exit 2, nothing changed ----------
refused --title-fr ballot draft set --circular 205 --draft Q.5051 --title-fr ""
refused --summary-es ballot draft set --circular 205 --draft Q.5051 --summary-es ""
refused --title-ru ballot draft set --circular 205 --draft Q.5051 --title-ru $'bad \xff byte'
refused --summary-zh ballot draft set --circular 205 --draft Q.5051 --summary-zh $'bad \xc3 byte'
refused --title-es ballot draft set --circular 205 --draft Q.5051 --title-es "$(printf 'x%.0s' $(seq 1001))"
refused --summary-ar ballot draft set --circular 205 --draft Q.5051 --summary-ar "$(printf 'y%.0s' $(seq 20001))"
refused --title-fr ballot draft set --circular 205 --draft Q.5051 --title-fr $'A\u202eB'
refused --title-zh ballot draft add --circular 205 --rec Q.9 --title T --summary S --title-zh ""
refused Q.9999 ballot draft set --circular 205 --draft Q.9999 --title-fr "Titre"
refused --title-de ballot draft set --circular 205 --draft Q.5051 --title-de "Titel"
refused nothing ballot draft set --circular 205 --draft Q.5051
refused U+1200 ballot draft set --circular 205 --draft Q.5051 --title-es $'Etiope \u1200'
expect_exit 0 ballot draft list --circular 205
unlike "$OUT" 'Q\.9 ' "the refused draft add left no draft"

# --- draft set: an event, in history, audited ---------------------------------
expect_exit 0 ballot draft set --circular 205 --draft Q.5051 --title-es "$TITLE_ES" --summary-es "Resumen"
like "$OUT" 'Q\.5051.*2 titles or summaries recorded' "draft set says what it recorded"
before=$(db_sum)
expect_exit 0 ballot draft set --circular 205 --draft Q.5051 --title-es "$TITLE_ES" --title-fr "$TITLE_FR"
like "$OUT" 'unchanged' "the same texts again: unchanged"
is "$(db_sum)" "$before" "  ... and nothing recorded"
expect_exit 0 ballot history --circular 205 --json
is "$(jget '.[0].kind')" draft-titles "history lists the draft-titles event"
is "$(jget '.[0].rec')" Q.5051 "  ... for Q.5051"
expect_exit 0 ballot audit verify
like "$OUT" 'intact' "audit verify: the titles agree with their events"
expect_exit 0 ballot check

# --- status --json: the titles per language, added last (no key renamed) ---------
expect_exit 0 ballot status --json
is "$(jkeys '.[0]' | tr '\n' ' ')" \
	"circular group rec title state deadline outcome rule meeting_start meeting_end summary_missing timeline titles " \
	"status --json: titles added after the keys it had"
is "$(jget '.[0].titles.fr')" "$TITLE_FR" "status --json: the French title"
is "$(jget '.[0].titles.en')" "$TITLE_EN" "  ... the English one"
is "$(jtype '.[0].titles.ru')" null "  ... null where none was recorded"
is "$(jget '.[1].titles.en')" "Revised draft" "  ... Q.3960 in English"
expect_exit 0 ballot tally --circular 205 --json
is "$(jkeys '.drafts[0]' | tail -n 2 | tr '\n' ' ')" "title titles " \
	"tally --json: each draft's titles per language after its title"
is "$(jget '.drafts[0].titles.fr')" "$TITLE_FR" "tally --json: the French title"
is "$(jget '.drafts[0].titles.zh')" "$TITLE_ZH" "  ... the Chinese one"
is "$(jtype '.drafts[0].titles.ru')" null "  ... null where none was recorded"
is "$(jget '.drafts[1].titles.en')" "Revised draft" "  ... Q.3960 in English"

# --- forms: each language's title; the fallback warned once per language ----
expect_exit 0 ballot forms --circular 205 --blank --lang all --out f --jobs 1
like "$ERR" '^warning: no Russian title for Q\.5051; the English one is used$' "forms: the Russian fallback warned"
like "$ERR" '^warning: no French title for Q\.3960; the English one is used$' "forms: Q.3960's French fallback warned"
unlike "$ERR" 'French title for Q\.5051' "forms: no warning for a language that has the title"
is "$(printf '%s\n' "$ERR" | grep -c 'Q\.5051')" 1 "forms: one warning for Q.5051 (ru)"
is "$(printf '%s\n' "$ERR" | grep -c 'Q\.3960')" 5 "forms: one per language for Q.3960"
has_text f/205/fr/blank.pdf "$TITLE_FR" "fr form: the French title"
has_text f/205/es/blank.pdf "$TITLE_ES" "es form: the Spanish title"
has_text f/205/zh/blank.pdf "$TITLE_ZH" "zh form: the Chinese title"
has_text f/205/ar/blank.pdf "$TITLE_AR" "ar form: the Arabic title"
has_text f/205/ru/blank.pdf "$TITLE_EN" "ru form: the English title (no Russian one)"
has_text f/205/en/blank.pdf "$TITLE_EN" "en form: the English title"
if pdf_words f/205/zh/blank.pdf | grep -qF "$TITLE_EN"; then fail "zh form: not the English title"; else pass "zh form: not the English title"; fi
# no line ends inside a unit (src/pdf/glue.c): "ITU-T Q.5051", "23:59 UTC"
for l in en es fr; do
	unlike "$(pdftotext -layout f/205/$l/blank.pdf -)" '(ITU-T|UIT-T|23:59)( {2,}|$)' \
		"$l form: no line break after ITU-T or 23:59"
done
# a consultation with no title in any other language: no warning at all
expect_exit 0 ballot consultation create --circular 206 --group 11 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02
expect_exit 0 ballot draft add --circular 206 --rec Q.1 --title "Only English" --summary "S"
expect_exit 0 ballot forms --circular 206 --blank --lang zh --out f --jobs 1
is "$ERR" "" "forms of an English-only consultation: no warning"

# --- reports -----------------------------------------------------------------
at 2020-02-25T10:00:00Z
expect_exit 0 ballot report --circular 205 --lang fr,ar,zh,ru --dir r
has_text r/205-fr.pdf "$TITLE_FR" "fr report: the French title"
has_text r/205-zh.pdf "$TITLE_ZH" "zh report: the Chinese title"
has_text r/205-ar.pdf "$TITLE_AR" "ar report: the Arabic title"
has_text r/205-ru.pdf "$TITLE_EN" "ru report: the English title"
# the report: a summary first, the no-reply list once (two drafts), no code
# split from its name
rep=$(pdftotext -layout r/205-fr.pdf -)
like "$(printf '%s\n' "$rep" | head -20)" '^Récapitulatif' "fr report: the summary on page 1"
is "$(printf '%s\n' "$rep" | grep -c "Etats Membres n'ayant pas répondu")" 3 \
	"fr report: each draft gives its count, the list comes once"
like "$rep" "La liste est donnée une seule fois" "  ... and each draft says where it is"
like "$rep" "Rés\. 1 de l'AMNT, §9\.4\.5" "fr report: the clause in French"
unlike "$rep" '(^|; )[A-Z]{3}$' "fr report: no Member State code at the end of a line"
unlike "$(pdftotext -layout r/205-ar.pdf -)" 'WTSA Res\. 1' "ar report: no English clause"

# --- after the deadline: add where none was, never change ---------------------
refused_like '--title-fr: .*past its deadline.*no longer changed' \
	ballot draft set --circular 205 --draft Q.5051 --title-fr "Autre titre"
expect_exit 0 ballot draft set --circular 205 --draft Q.5051 --title-ru "$TITLE_RU"
expect_exit 0 ballot close --circular 205
expect_exit 0 ballot draft set --circular 205 --draft Q.3960 --title-fr "Projet révisé"
expect_exit 0 ballot report --circular 205 --lang ru --dir r
has_text r/205-ru.pdf "$TITLE_RU" "ru report: the Russian title added after the deadline"
expect_exit 0 ballot draft list --circular 205
unlike "$ERR" 'Q\.5051 has no title' "draft list: Q.5051 has every language now"
expect_exit 0 ballot audit verify
expect_exit 0 ballot check
# a results bundle carries the draft-titles events and verifies
expect_exit 0 ballot publish --circular 205 --out pub
is "$(grep -c 'draft-titles' pub/events.jsonl)" 3 "the bundle holds the three draft-titles events"
PUB=$(ballot keys show | head -n 1)
# (verify-bundle rebuilds tally.json from the events: the titles of the
# draft events and of the draft-titles events after them)
expect_exit 0 ballot verify-bundle pub --key "$PUB"
grep -q '"titles":{"en":"Framework[^}]*"ru":"Основы' pub/tally.json &&
	pass "tally.json carries the titles in force at publication (the Russian one from draft set)" ||
	fail "tally.json carries the titles in force at publication (the Russian one from draft set)"
like "$(cat pub/manifest.json)" '"format":"ballot-bundle/2"' "the bundle's format is ballot-bundle/2"

# --- a title changed behind the engine's back is found ------------------------
cp "$BALLOT_DB" t.db
sqlite3 t.db "DROP TRIGGER draft_titles_append_only_u; UPDATE draft_titles SET title = 'Faux' WHERE lang = 'es';"
expect_exit 1 ballot --db t.db audit verify
like "$OUT" 'draft titles differ' "audit verify: a changed draft-titles row is named"
cp "$BALLOT_DB" t2.db
sqlite3 t2.db "DROP TRIGGER draft_titles_append_only_u; UPDATE draft_titles SET title = 'Faux' WHERE lang = 'fr' AND event_seq = (SELECT event_seq FROM drafts WHERE rec = 'Q.5051');"
expect_exit 1 ballot --db t2.db audit verify
like "$OUT" 'stored draft differs' "audit verify: a title given with the draft is part of its event"
cp "$BALLOT_DB" t3.db
sqlite3 t3.db "INSERT INTO draft_titles(draft_id, lang, title, event_seq) VALUES (1, 'ru', 'X', 1);"
expect_exit 1 ballot --db t3.db audit verify
like "$OUT" 'draft row claims this event' "audit verify: a titles row without its event"

done_testing
