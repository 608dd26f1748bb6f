#!/bin/bash
# User story: a returned Annex 2 form carries its reference (footer and QR
# code); the secretariat gives it when recording the reply, and a form issued
# for another member or circular, or before the drafts changed, is caught.
. "$(dirname "$0")/lib.sh"

expect_exit 0 ballot init
setup_205
CIRC=206 setup_205
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member FRA --lang fr --out "$T/f" --jobs 1
pdftotext "$T/f/205/fr/FRA.pdf" "$T/fra.txt" 2>/dev/null
REF=$(grep -o 'ballot:205:FRA:fr:[0-9a-f]\{16\}' "$T/fra.txt" | head -n 1)
like "$REF" '^ballot:205:FRA:fr:[0-9a-f]{16}$' "the footer prints the reference"
DIGEST=${REF##*:}

expect_exit 0 ballot reply --circular 205 --member FRA --authorize --ref "$REF"
unlike "$ERR" 'changed' "a current form gives no warning"
expect_exit 0 ballot reply --circular 205 --member fr --authorize --ref "$REF"

refused_like "issued for member FRA, not DEU" ballot reply --circular 205 --member DEU --authorize --ref "$REF"
refused_like "issued for circular 205, not 206" ballot reply --circular 206 --member FRA --authorize --ref "$REF"
refused_like "not a form reference" ballot reply --circular 205 --member FRA --authorize --ref "ballot:205:FRA:fr:xyz"
refused_like "not a form reference" ballot reply --circular 205 --member FRA --authorize --ref "205/FRA"
refused_like "unknown|no consultation|not found" ballot reply --circular 999 --member FRA --authorize --ref "$REF"

# A blank form's reference names no member.
expect_exit 0 ballot forms --circular 205 --blank --lang en --out "$T/f" --jobs 1
pdftotext "$T/f/205/en/blank.pdf" "$T/blank.txt" 2>/dev/null
BREF=$(grep -o 'ballot:205:-:en:[0-9a-f]\{16\}' "$T/blank.txt" | head -n 1)
is "${BREF##*:}" "$DIGEST" "the blank form carries the same draft-list digest"
expect_exit 0 ballot reply --circular 205 --member CHE --authorize --ref "$BREF"

# Another draft: the old form is stale, a new one carries a new digest.
at 2019-12-03T12:00:00Z
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.5052 --title "A second draft"
at 2020-01-11T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member FRA --draft Q.5051 --authorize --ref "$REF"
like "$ERR" 'warning: --ref: the drafts of circular 205 changed' "a stale form is warned about, the reply kept"
expect_exit 0 ballot forms --circular 205 --member FRA --lang fr --out "$T/g" --jobs 1
pdftotext "$T/g/205/fr/FRA.pdf" "$T/fra2.txt" 2>/dev/null
REF2=$(grep -o 'ballot:205:FRA:fr:[0-9a-f]\{16\}' "$T/fra2.txt" | head -n 1)
isnt "${REF2##*:}" "$DIGEST" "the digest changes with the draft list"
expect_exit 0 ballot reply --circular 205 --member FRA --draft Q.5052 --authorize --ref "$REF2"
unlike "$ERR" 'changed' "the new form gives no warning"

done_testing
