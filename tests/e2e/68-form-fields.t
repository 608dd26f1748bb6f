#!/bin/bash
# User story (issue 17 §1-§2): an administration fills in the Annex 2 form on
# screen (its fields, filled here by pypdf, an independent tool) and returns
# the PDF; the secretariat records it with `ballot reply --from-pdf`, which
# reads the reference, the choice per draft and the signatory, and refuses
# what `--ref` refuses.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

PY=/usr/bin/python3   # Debian's, with python3-pypdf (stack notes)
FILL="$PY $HERE/fill-form.py"
FIELDS="$HERE/../../forms/fields"
for tool in qpdf pdftoppm mutool convert; do
	command -v "$tool" >/dev/null || { fail "$tool is installed (tests/deps.sh)"; done_testing; exit; }
done
$PY -c 'import pypdf' 2>/dev/null || { fail "python3-pypdf is installed (tests/deps.sh)"; done_testing; exit; }

expect_exit 0 ballot init
setup_205
CIRC=206 setup_205
at 2019-12-02T12:30:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "A second draft"
at 2020-01-10T09:00:00Z

# --- §1: every form carries its fields --------------------------------------
expect_exit 0 ballot forms --circular 205 --member CHE --lang all --out "$T/a4" --jobs 1
expect_exit 0 ballot forms --circular 205 --member CHE --lang all --paper letter --out "$T/lt" --jobs 1
expect_exit 0 ballot forms --circular 205 --blank --lang all --out "$T/a4" --jobs 1
expect_exit 0 ballot forms --circular 205 --blank --lang all --paper letter --out "$T/lt" --jobs 1

member_fields="form.reference sender.address sender.name sender.title sender.fax sender.email sender.date sender.place draft.Q.5051.choice draft.Q.5052.choice signature signatory.title signatory.name"
blank_fields="$member_fields sender.administration"
sorted() { printf '%s\n' $1 | sort | tr '\n' ' '; }
tip() { sed -n "s/^$2 = //p" "$FIELDS/$1.txt"; }   # tip LANG KEY

for paper in a4 lt; do
	for l in en fr es ru zh ar; do
		for who in CHE blank; do
			f="$T/$paper/205/$l/$who.pdf"
			list=$($FILL --list "$f")
			want=$member_fields
			[ "$who" = blank ] && want=$blank_fields
			is "$(printf '%s\n' "$list" | cut -f1 | sort | tr '\n' ' ')" "$(sorted "$want")" \
				"$paper $l $who: the documented fields (pypdf)"
			if [ "$paper" = a4 ] && [ "$who" = blank ]; then
				is "$(printf '%s\n' "$list" | awk -F'\t' '$1 == "signatory.name" { print $3 }')" \
					"$(tip "$l" tip_signatory_name)" "$l: signatory.name's tooltip in the form's language"
				is "$(printf '%s\n' "$list" | awk -F'\t' '$1 == "sender.administration" { print $3 }')" \
					"$(tip "$l" tip_administration)" "$l: sender.administration's tooltip"
				like "$(printf '%s\n' "$list" | awk -F'\t' '$1 == "draft.Q.5052.choice" { print $3 }')" \
					'Q\.5052' "$l: the choice's tooltip names its draft"
				is "$(printf '%s\n' "$list" | awk -F'\t' '$3 == ""' | wc -l)" 0 "$l: every field has a tooltip"
			fi
		done
	done
done

# qpdf's own view of the form (a second reader): names, types, tooltips
run qpdf --json --json-key=acroform "$T/a4/205/fr/CHE.pdf"
qj=$OUT
is "$(printf '%s' "$qj" | $PY -c 'import json,sys; d=json.load(sys.stdin)["acroform"]
print(sorted({f["fullname"] for f in d["fields"]}) == sorted("'"$member_fields"'".split()))')" True \
	"qpdf --json lists the same fields"
is "$(printf '%s' "$qj" | $PY -c 'import json,sys; d=json.load(sys.stdin)["acroform"]
print(sorted(f["fieldtype"] for f in d["fields"] if f["fullname"] == "draft.Q.5051.choice"))')" \
	"['/Btn', '/Btn', '/Btn']" "each draft has three radio buttons"
like "$(printf '%s' "$qj" | $PY -c 'import json,sys; d=json.load(sys.stdin)["acroform"]
print([f["alternativename"] for f in d["fields"] if f["fullname"] == "sender.email"][0])')" \
	"^$(tip fr tip_email)\$" "qpdf reads the French tooltip"

# typed text runs from the right in Arabic (/Q 2), from the left elsewhere
q_of() { qpdf --json --json-key=acroform "$1" | $PY -c 'import json,sys
print(sorted({f["quadding"] for f in json.load(sys.stdin)["acroform"]["fields"] if f["fieldtype"] == "/Tx" and f["fullname"] != "form.reference"}))'; }
is "$(q_of "$T/a4/205/ar/CHE.pdf")" "[2]" "Arabic: the text fields are right-aligned"
is "$(q_of "$T/a4/205/ru/CHE.pdf")" "[0]" "Russian: left-aligned"

# appearance streams on every widget: each state of a radio button, each text field
w=$($FILL --widgets "$T/a4/205/ar/blank.pdf")
is "$(printf '%s\n' "$w" | awk -F'\t' '$4 != "ap"' | wc -l)" 0 "every widget has its appearance streams"
is "$(printf '%s\n' "$w" | awk -F'\t' '$2 == "draft.Q.5051.choice" { print $3 }' | tr '\n' ' ')" \
	"Off,authorize Off,authorize-with-comments Off,not-authorize " "a button per choice, with an Off state"

# the printed look is libharu's: the widgets draw nothing on an empty form
for f in "$T/a4/205/en/CHE.pdf" "$T/a4/205/ar/blank.pdf" "$T/lt/205/zh/CHE.pdf"; do
	pdftoppm -r 60 -gray "$f" "$T/with"
	pdftoppm -r 60 -gray -hide-annotations "$f" "$T/without"
	ok "$(basename "$(dirname "$f")")/$(basename "$f"): the empty fields change no pixel (poppler)" \
		cmp "$T/with-1.pgm" "$T/without-1.pgm"
	$FILL --strip "$f" "$T/stripped.pdf"
	mutool draw -q -r 60 -c gray -o "$T/mu-with.pgm" "$f" 2>/dev/null
	mutool draw -q -r 60 -c gray -o "$T/mu-without.pgm" "$T/stripped.pdf" 2>/dev/null
	# MuPDF marks an unsigned signature field with its own small flag: count
	# the pixels that differ outside the signature field only
	px=$(compare -metric AE "$T/mu-with.pgm" "$T/mu-without.pgm" null: 2>&1)
	sig=$($FILL --widgets "$f" | awk -F'\t' '$2 == "signature" { split($5, r, " "); print (r[3]-r[1]) * (r[4]-r[2]) * 60 * 60 / 72 / 72 }')
	ok "$(basename "$(dirname "$f")")/$(basename "$f"): MuPDF draws the same page, bar its signature-field flag ($px px)" \
		awk -v p="$px" -v s="$sig" 'BEGIN { exit !(p <= s) }'
done

# byte-reproducible
expect_exit 0 ballot forms --circular 205 --member CHE --lang all --out "$T/again" --jobs 1
expect_exit 0 ballot forms --circular 205 --blank --lang all --out "$T/again" --jobs 1
ok "a second run gives the same bytes, fields and /ID included" diff -r "$T/a4/205" "$T/again/205"
like "$(qpdf --show-object=trailer "$T/a4/205/en/CHE.pdf")" '/ID \[' "the file has an /ID (qpdf's deterministic one)"

# --- §2: a filled form read back --------------------------------------------
CHE="$T/a4/205/en/CHE.pdf"
$FILL "$CHE" "$T/filled.pdf" draft.Q.5051.choice=authorize-with-comments draft.Q.5052.choice=not-authorize \
	signatory.name="Jane Doe" signatory.title="Director" sender.email=jane@example.ch sender.place=Bern

# two viewers show the ticked buttons (the text fields' looks by qpdf)
qpdf --generate-appearances "$T/filled.pdf" "$T/filled-ap.pdf" 2>/dev/null
is "$?" 3 "qpdf generates the text fields' appearances (warnings only)"
mark() { # mark PNG RECT-OF-72DPI: the mean grey inside the rectangle (0 black, 1 white)
	local x1 y1 x2 y2
	read -r x1 y1 x2 y2 <<<"$2"
	local H=$(identify -format %h "$1") s=$(awk 'BEGIN { print 100 / 72 }')
	convert "$1" -crop "$(awk -v a="$x1" -v b="$y2" -v c="$x2" -v d="$y1" -v s="$s" -v h="$H" \
		'BEGIN { printf "%dx%d+%d+%d", (c-a)*s, (b-d)*s, a*s, h - b*s }')" -format '%[fx:mean]' info:
}
rect=$($FILL --widgets "$CHE" | awk -F'\t' '$2 == "draft.Q.5051.choice" && $3 ~ /with-comments/ { print $5 }')
pdftoppm -r 100 -gray "$CHE" "$T/pe" && pdftoppm -r 100 -gray "$T/filled-ap.pdf" "$T/pf"
mutool draw -q -r 100 -c gray -o "$T/me.pgm" "$CHE" 2>/dev/null
mutool draw -q -r 100 -c gray -o "$T/mf.pgm" "$T/filled-ap.pdf" 2>/dev/null
for v in "poppler pe-1 pf-1" "MuPDF me mf"; do
	set -- $v
	e=$(mark "$T/$2.pgm" "$rect")
	f=$(mark "$T/$3.pgm" "$rect")
	ok "$1 shows the ticked button (mean grey $e -> $f)" awk -v e="$e" -v f="$f" 'BEGIN { exit !(f < e - 0.1) }'
done
convert "$T/pf-1.pgm" "$T/mf.pgm" +append "$T/filled-two-viewers.png"
# to look at it: FILL_PNG_DIR=DIR keeps it
[ -n "${FILL_PNG_DIR:-}" ] && cp "$T/filled-two-viewers.png" "$FILL_PNG_DIR/"

echo "the comments" >"$T/comments.txt"
echo "the reasons" >"$T/reasons.txt"
before=$(db_sum)
expect_exit 0 ballot reply --from-pdf "$T/filled.pdf" --circular 205 --comments Q.5051="$T/comments.txt" \
	--reasons Q.5052="$T/reasons.txt" --dry-run
like "$OUT" '^  Q\.5051: authorize-with-comments, attached: comments\.txt$' "dry run: the first draft's reply"
like "$OUT" '^  Q\.5052: not-authorize, attached: reasons\.txt$' "dry run: the second draft's reply"
like "$OUT" '^  signatory: Jane Doe \(Director\)$' "dry run: the signatory and title"
like "$OUT" 'nothing recorded' "dry run says nothing is recorded"
expect_exit 0 ballot reply --from-pdf "$T/filled.pdf" --circular 205 --comments Q.5051="$T/comments.txt" \
	--reasons Q.5052="$T/reasons.txt" --dry-run --json
is "$(jget .member)" CHE "dry run --json: the member, from the form's reference"
is "$(jget .dry_run)" true "dry run --json says so"
is "$(jget '.replies[1].choice')" not-authorize "dry run --json: the choices"
is "$(jget .reference)" "$(qpdf --json --json-key=acroform "$CHE" | $PY -c 'import json,sys
print([f["value"] for f in json.load(sys.stdin)["acroform"]["fields"] if f["fullname"] == "form.reference"][0][2:])')" \
	"the reference read is the form's own"
like "$(pdftotext "$CHE" - 2>/dev/null)" "$(jget .reference)" "... the one its footer prints"
is "$(db_sum)" "$before" "a dry run records nothing"

expect_exit 0 ballot reply --from-pdf "$T/filled.pdf" --circular 205 --comments Q.5051="$T/comments.txt" \
	--reasons Q.5052="$T/reasons.txt" --received 2020-01-09T15:00:00Z --print-receipt
like "$OUT" '^recorded reply [0-9]+: CHE Q\.5051 authorize-with-comments received 2020-01-09T15:00:00Z' "the first reply recorded"
like "$OUT" '^recorded reply [0-9]+: CHE Q\.5052 not-authorize' "the second reply recorded"
is "$(printf '%s\n' "$OUT" | grep -c '^receipt: {')" 2 "a signed receipt for each"
expect_exit 0 ballot history --circular 205 --member CHE --json
sum=$(sha256sum "$T/filled.pdf" | cut -d' ' -f1)
hist=$OUT
is "$(printf '%s' "$hist" | $PY -c 'import json,sys
d = json.load(sys.stdin)
items = d["items"] if isinstance(d, dict) and "items" in d else d
for it in items:
    forms = [a for a in it.get("attachments", []) if a["role"] == "form"]
    print(it["rec"], it["what"], it["channel"], it.get("signatory"), forms[0]["name"], forms[0]["sha256"])' | sort | tr '\n' '|')" \
	"Q.5051 authorize-with-comments email Jane Doe filled.pdf $sum|Q.5052 not-authorize email Jane Doe filled.pdf $sum|" \
	"history: both replies, by e-mail, signed by Jane Doe, the PDF attached with its SHA-256"

# --- refusals, each naming the field, changing nothing ------------------------
$FILL "$CHE" "$T/none.pdf" draft.Q.5051.choice=authorize
refused_like 'field draft\.Q\.5052\.choice: no choice ticked' ballot reply --from-pdf "$T/none.pdf" --circular 205
$FILL "$CHE" "$T/two.pdf" draft.Q.5051.choice=authorize+not-authorize draft.Q.5052.choice=authorize
refused_like 'field draft\.Q\.5051\.choice: 2 choices ticked \(authorize, not-authorize\)' \
	ballot reply --from-pdf "$T/two.pdf" --circular 205
$FILL "$CHE" "$T/wc.pdf" draft.Q.5051.choice=authorize-with-comments draft.Q.5052.choice=authorize
refused_like 'field draft\.Q\.5051\.choice is authorize-with-comments but no comments are attached' \
	ballot reply --from-pdf "$T/wc.pdf" --circular 205
refused_like "field draft\.Q\.5052\.choice is authorize; comments go with authorize-with-comments" \
	ballot reply --from-pdf "$T/wc.pdf" --circular 205 --comments Q.5051="$T/comments.txt" --comments Q.5052="$T/comments.txt"
refused_like "names no draft of the form" \
	ballot reply --from-pdf "$T/wc.pdf" --circular 205 --comments "$T/comments.txt"
refused_like "field form\.reference 'ballot:205:CHE:en:[0-9a-f]{16}': the form was issued for member CHE, not FRA" \
	ballot reply --from-pdf "$T/filled.pdf" --circular 205 --member FRA --comments Q.5051="$T/comments.txt"
refused_like "field form\.reference .*issued for circular 205, not 206" \
	ballot reply --from-pdf "$T/filled.pdf" --circular 206 --comments Q.5051="$T/comments.txt"
$FILL --strip "$CHE" "$T/nofields.pdf"
refused_like 'no Annex 2 form fields' ballot reply --from-pdf "$T/nofields.pdf" --circular 205
echo "not a pdf" >"$T/junk.pdf"
refused_like 'junk\.pdf: not a PDF that can be read' ballot reply --from-pdf "$T/junk.pdf" --circular 205
refused_like 'from-pdf.*(no such file|cannot|not found)' ballot reply --from-pdf "$T/absent.pdf" --circular 205
$FILL "$CHE" "$T/bad-sig.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize signatory.name="$(printf 'A\tB')"
refused_like 'field signatory\.name' ballot reply --from-pdf "$T/bad-sig.pdf" --circular 205

# a blank form: the administration it names (the whole value: a code, or
# the member's name in one of the six languages), confirmed by --member
BLANK="$T/a4/205/fr/blank.pdf"
$FILL "$BLANK" "$T/blank-filled.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize \
	sender.administration="Suisse" signatory.name="Jean Dupont"
refused_like 'a blank form: give its administration as --member CODE \(field sender\.administration says' \
	ballot reply --from-pdf "$T/blank-filled.pdf" --circular 205
refused_like "field sender\.administration '.*' does not name --member FRA" \
	ballot reply --from-pdf "$T/blank-filled.pdf" --circular 205 --member FRA
$FILL "$BLANK" "$T/blank-noadmin.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize
refused_like 'field sender\.administration is empty' \
	ballot reply --from-pdf "$T/blank-noadmin.pdf" --circular 205 --member CHE
expect_exit 0 ballot reply --from-pdf "$T/blank-filled.pdf" --circular 205 --member CH --channel fax \
	--received 2020-01-09T16:00:00Z --json
is "$(jget .dry_run)" false "--json when recording: not a dry run"
is "$(jget .member)" CHE "a blank form recorded for the member it names"
seq=$(jget '.replies[1].event')
like "$seq" '^[0-9]+$' "--json gives each reply's event"
expect_exit 0 ballot history --circular 205 --member CHE --json
is "$(printf '%s' "$OUT" | $PY -c 'import json,sys
print([(i["channel"], i["received"], i["signatory"]) for i in json.load(sys.stdin) if i["seq"] == '"$seq"'][0])')" \
	"('fax', '2020-01-09T16:00:00Z', 'Jean Dupont')" "its event: --channel, --received and the form's signatory"

# drafts changed since the form was issued: warned, as --ref warns
at 2019-12-03T12:00:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5053 --title "A third draft"
at 2020-01-11T09:00:00Z
$FILL "$CHE" "$T/stale.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize
expect_exit 0 ballot reply --from-pdf "$T/stale.pdf" --circular 205
like "$ERR" 'warning: --from-pdf stale\.pdf: the drafts of circular 205 changed after this form was issued' \
	"a stale form is warned about, as --ref"

done_testing
