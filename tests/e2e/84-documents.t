#!/usr/bin/env bash
# 84-documents.t - documents a screen reader and an archive can use (issue 16):
# the Annex 2's drafts table and the report's tables tagged as Table > TR >
# TH|TD (a header repeated on a later page is a pagination artifact), the
# receipt's QR code a Figure with alternate text in the receipt's language;
# reports and receipts written with object streams (PDF 1.5, read by poppler,
# MuPDF and pypdf, the same bytes each time); the drafts a Member State did
# not answer joined in the report's language (Arabic ، , Chinese 、).
. "$(dirname "$0")/lib.sh"
need_tools pdftotext pdfinfo qpdf mutool cmp perl /usr/bin/python3

TAGS=$E2E/pdf-tags.py
tags() { /usr/bin/python3 "$TAGS" "$1" 2>&1; }
# count TYPE TAGS-OUTPUT : how many elements of TYPE pdf-tags.py counted
count() { perl -ne 'print $1 if /(?:^| )'"$1"'=(\d+)/' <<<"$2"; }
# the words of a PDF on one line, bidi marks dropped
flat() { pdftotext -enc UTF-8 "$1" - 2>/dev/null | perl -CSD -0777 -pe 's/[\x{200E}\x{200F}\x{202A}-\x{202E}]//g; s/\s+/ /g'; }

# --- nine drafts: the form's table runs onto a second page ---------------------
expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
for n in 2 3 4 5 6 7 8 9; do
	expect_exit 0 ballot draft add --summary "Draft $n." --circular 205 --rec "Q.505$n" \
		--title "A draft Recommendation on the subject number $n, whose title takes two lines of the table"
done
expect_exit 0 ballot forms --circular 205 --member CHE --lang en,ar,zh --out "$T/f" --jobs 1
for l in en ar zh; do
	pdf=$T/f/205/$l/CHE.pdf
	like "$(pdfinfo "$pdf" 2>/dev/null)" '^Pages: +[23]$' "$l form: the nine drafts run onto another page"
	t=$(tags "$pdf")
	is "$(tail -n 1 <<<"$t")" ok "$l form: the structure holds (tables nested right, MCIDs, marked content)"
	is "$(count Table "$t") $(count TR "$t") $(count TH "$t") $(count TD "$t")" "1 10 2 18" \
		"$l form: one Table, a header row of 2 TH and a row of 2 TD per draft ($(head -n 1 <<<"$t"))"
done
# the header and the 'continued' line on page 2 are artifacts: the text is
# there, outside the structure
like "$(pdftotext -f 2 -l 2 "$T/f/205/en/CHE.pdf" - 2>/dev/null)" '^Draft$' "page 2 repeats the table's header"

# --- replies: CHE answers Q.5051 only; the report lists what it did not answer --
at 2020-01-15T09:00:00Z
expect_exit 0 ballot reply --circular 205 --member CHE --draft Q.5051 --authorize
expect_exit 0 ballot reply --circular 205 --member DEU --draft Q.5052 --authorize
at 2020-02-24T09:00:00Z
expect_exit 0 ballot report --circular 205 --lang en,ar,zh --dir "$T/r"
nonreply() { perl -CSD -ne 'print "$1\n" if /(CHE [^:]*: [^;؛；]*)/' <<<"$1" | head -n 1; }
en=$(flat "$T/r/205-en.pdf")
like "$(nonreply "$en")" '^CHE Switzerland: Q\.5052, Q\.5053, ' "en: the drafts CHE did not answer, joined by ', '"
zh=$(flat "$T/r/205-zh.pdf")
like "$zh" 'Q\.5052、Q\.5053、Q\.5054' "zh: joined by 、"
unlike "$zh" 'Q\.5052, Q\.5053' "  ... never by ', '"
ar=$(flat "$T/r/205-ar.pdf")
like "$ar" 'Q\.5052،' "ar: joined by ، (U+060C)"
unlike "$ar" 'Q\.5052, Q\.5053' "  ... never by ', '"

# --- the report: tagged tables, object streams ----------------------------------
for l in en ar zh; do
	pdf=$T/r/205-$l.pdf
	t=$(tags "$pdf")
	is "$(tail -n 1 <<<"$t")" ok "$l report: the structure holds"
	ok "$l report: the summary and the replies' tables are tagged ($(head -n 1 <<<"$t"))" \
		test "$(count Table "$t")" -ge 3 -a "$(count TH "$t")" -ge 15 -a "$(count TD "$t")" -ge 15
	head -c 8 "$pdf" | grep -q '^%PDF-1.5' && pass "$l report: PDF 1.5" || fail "$l report: PDF 1.5"
	ok "$l report: its objects in object streams" \
		sh -c "qpdf --show-xref '$pdf' | grep -q 'compressed; stream = '"
	ok "$l report: qpdf --check" qpdf --check "$pdf"
	is "$(pdftotext "$pdf" /dev/null 2>&1)" "" "$l report: poppler reads it without a warning"
	ok "$l report: MuPDF draws it" mutool draw -q -o "$T/m-$l-%d.png" -r 30 "$pdf"
done
expect_exit 0 ballot report --circular 205 --lang ar --dir "$T/again"
ok "the report again: the same bytes (qpdf's deterministic /ID)" cmp "$T/r/205-ar.pdf" "$T/again/205-ar.pdf"

# --- the receipt: its QR code a Figure with alternate text ---------------------------
SEQ=$(ballot history --circular 205 --json | perl -MJSON::PP -0777 -ne '
	for (@{decode_json($_)}) { print $_->{seq} if $_->{member} eq "CHE" }')
declare -A ALT=([en]='The QR code holds the event number' [zh]='二维码包含事件编号')
for l in en zh; do
	expect_exit 0 ballot receipt show --event "$SEQ" --pdf "$T/rc-$l.pdf" --lang "$l"
	t=$(tags "$T/rc-$l.pdf")
	is "$(tail -n 1 <<<"$t")" ok "$l receipt: the structure holds, the Figure has /Alt"
	is "$(count Figure "$t")" 1 "$l receipt: the QR code is one Figure"
	alt=$(/usr/bin/python3 -c '
import sys, pypdf
r = pypdf.PdfReader(sys.argv[1])
def walk(e):
    e = e.get_object()
    if e["/S"] == "/Figure":
        print(e["/Alt"])
    for c in e.get("/K", []):
        c = c.get_object()
        if isinstance(c, pypdf.generic.DictionaryObject):
            walk(c)
walk(r.trailer["/Root"]["/StructTreeRoot"]["/K"])' "$T/rc-$l.pdf")
	like "$alt" "^${ALT[$l]}" "$l receipt: its alternate text says what the code holds, in the receipt's language"
	ok "$l receipt: in object streams" sh -c "qpdf --show-xref '$T/rc-$l.pdf' | grep -q 'compressed; stream = '"
	is "$(pdftotext "$T/rc-$l.pdf" /dev/null 2>&1)" "" "$l receipt: poppler reads it without a warning"
done

done_testing
