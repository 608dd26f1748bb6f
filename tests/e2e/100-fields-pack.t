#!/bin/bash
# Issue 16 (CPU per form): the Annex 2 form's fields are made of libharu's
# objects while the document is made, and every PDF (forms, reports) is
# packed into object streams by src/pdf/pack.c, with no libqpdf round trip.
# What must hold: the files are sound to independent readers (qpdf --check,
# pdftoppm, mutool), packed (an object stream and a cross-reference
# stream, no stream /Length left indirect), byte-reproducible (same inputs,
# same bytes; the /ID is of the content), and within the size goals on the
# demo's Circular 205 (largest English form <= 16 384 bytes, Chinese <= 60 KB).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

for tool in qpdf pdftoppm mutool; do
	command -v "$tool" >/dev/null || { fail "$tool is installed (tests/deps.sh)"; done_testing; exit; }
done

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:30:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "A second draft"
at 2020-01-10T09:00:00Z

for run in 1 2; do
	expect_exit 0 ballot forms --circular 205 --member CHE --lang all --out "$T/f$run" --jobs 1
	expect_exit 0 ballot forms --circular 205 --blank --lang all --out "$T/f$run" --jobs 2
	expect_exit 0 ballot report --circular 205 --lang all --dir "$T/r$run"
done
expect_exit 0 ballot forms --circular 205 --member FRA --lang en --out "$T/fra" --jobs 1

# sound packed PDF: qpdf finds nothing, poppler and MuPDF draw it silently
sound() { # sound FILE NAME
	local f=$1 out
	out=$(qpdf --check "$f" 2>&1)
	ok "$2: qpdf --check finds no error or warning" \
		sh -c '[ "$1" = 0 ] && ! printf "%s\n" "$2" | grep -qi "warning\|error:"' _ $? "$out"
	out=$(qpdf --show-xref "$f" 2>&1)
	like "$out" 'compressed; stream = ' "$2: objects in an object stream"
	ok "$2: a cross-reference stream, no table" \
		sh -c '! grep -aq "^xref" "$1" && grep -aq "/Type/XRef" "$1"' _ "$f"
	ok "$2: every stream's /Length direct" \
		sh -c '! grep -aEq "/Length [0-9]+ 0 R" "$1"' _ "$f"
	out=$(pdftoppm -r 30 -png "$f" "$T/page" 2>&1)
	is "$out" "" "$2: pdftoppm draws it without a word"
	# (every file: "warning: ICC support is not available", a build option of Debian's mutool)
	out=$(mutool draw -q -o "$T/mu%d.png" -r 30 "$f" 2>&1 | grep -v "ICC support is not available")
	is "$out" "" "$2: mutool draws it without a word"
}
for l in en fr es ru zh ar; do
	sound "$T/f1/205/$l/CHE.pdf" "form $l CHE"
	sound "$T/r1/205-$l.pdf" "report $l"
	ok "form $l CHE: same bytes the second time" cmp "$T/f1/205/$l/CHE.pdf" "$T/f2/205/$l/CHE.pdf"
	ok "blank form $l: same bytes the second time (--jobs 2)" \
		cmp "$T/f1/205/$l/blank.pdf" "$T/f2/205/$l/blank.pdf"
	ok "report $l: same bytes the second time" cmp "$T/r1/205-$l.pdf" "$T/r2/205-$l.pdf"
done
sound "$T/f1/205/en/blank.pdf" "blank form en"

# the /ID is of the content: another member's form, another /ID
id() { grep -aoE '/ID ?\[ ?<[0-9a-f]{32}>' "$1" | head -1; }
che=$(id "$T/f1/205/en/CHE.pdf")
fra=$(id "$T/fra/205/en/FRA.pdf")
like "$che" '<[0-9a-f]{32}>' "the form has a 16-byte /ID"
isnt "$fra" "$che" "FRA's form has another /ID than CHE's"

# the fields, as a form tool sees them: the choice
# field a radio group with a button per choice
out=$(qpdf --json --json-key=acroform "$T/f1/205/en/CHE.pdf")
is "$(printf '%s' "$out" | grep -c '"fullname": "draft.Q.5051.choice"')" 3 \
	"draft.Q.5051.choice: three radio buttons (authorize, with comments, not)"
like "$out" '"fullname": "form.reference"' "the hidden reference field is there"
like "$out" '"fullname": "signature"' "the signature field is there"

# sizes on the demo's Circular 205 (193 Member States)
( cd "$HERE/../.." && sh src/demo.sh "$BALLOT_BIN" "$T/demo.db" ) >"$T/demo.log" 2>&1
is "$?" 0 "src/demo.sh makes the demo database"
for l in en zh; do
	BALLOT_DB="$T/demo.db" "$BALLOT_BIN" forms --circular 205 --all --lang $l --out "$T/demo" >/dev/null 2>&1
done
max_en=$(find "$T/demo/205/en" -name '*.pdf' -printf '%s\n' | sort -n | tail -1)
max_zh=$(find "$T/demo/205/zh" -name '*.pdf' -printf '%s\n' | sort -n | tail -1)
n_en=$(find "$T/demo/205/en" -name '*.pdf' | wc -l)
is "$n_en" 193 "193 English forms on the demo"
diag "largest English form $max_en bytes, largest Chinese form $max_zh bytes"
ok "largest English form <= 16 384 bytes ($max_en)" test "${max_en:-99999}" -le 16384
ok "largest Chinese form <= 61 440 bytes ($max_zh)" test "${max_zh:-999999}" -le 61440

done_testing
