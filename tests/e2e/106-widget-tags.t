#!/usr/bin/env bash
# 106-widget-tags.t - a form's fields in its tagged structure (issue 16,
# PDF/UA): every widget a reader sees is reachable from the structure tree
# (its /StructParent a key of the parent tree whose element is a /Form
# element of the Document on the widget's page, holding an /OBJR to the
# widget), the hidden reference field is not, the pages' tab order follows
# the structure; the rest of the structure still holds (pdf-tags.py), and
# the fields are still the AcroForm's. Then the embedded fonts' ToUnicode
# CMaps (code space and mappings only): poppler and MuPDF read the text back,
# a rare Chinese character in an English form included, pdffonts warns of
# nothing; the subsets' glyphs numbered as their CIDs (/Identity maps).
. "$(dirname "$0")/lib.sh"
need_tools pdftotext pdfinfo pdffonts qpdf mutool perl /usr/bin/python3

wtags() { qpdf --json --json-key=qpdf "$1" | /usr/bin/python3 "$E2E/widget-tags.py" 2>&1; }
tags() { /usr/bin/python3 "$E2E/pdf-tags.py" "$1" 2>&1; }
count() { perl -ne 'print $1 if /(?:^| )'"$1"'=(\d+)/' <<<"$2"; }

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:00:00Z
# a second draft whose title has a rare character (a CJK subset of its own in
# the Latin forms)
expect_exit 0 ballot draft add --summary "Draft 2." --circular 205 --rec Q.5052 \
	--title "Framework for the dragon 龘 in a title"
expect_exit 0 ballot forms --circular 205 --member CHE --lang en,fr,ru,ar,zh --out "$T/f" --jobs 1
for l in en fr ru ar zh; do
	pdf=$T/f/205/$l/CHE.pdf
	w=$(wtags "$pdf")
	read -r nw nt nh <<<"$(head -n 1 <<<"$w")"
	is "$(tail -n +2 <<<"$w")" ok "$l form: each widget reachable from the structure tree"
	# one widget per choice of each draft (2 x 3), the signatory's fields,
	# the signature, and the hidden reference
	ok "$l form: $nw widgets, $nt in the structure, $nh hidden" \
		test "$nw" -ge 10 -a "$nt" -eq $((nw - 1)) -a "$nh" -eq 1
	t=$(tags "$pdf")
	is "$(tail -n 1 <<<"$t")" ok "$l form: the rest of the structure holds"
	is "$(count Form "$t")" "$nt" "$l form: one Form element a visible widget ($(head -n 1 <<<"$t"))"
	like "$(pdfinfo "$pdf" 2>/dev/null)" '^Tagged: +yes$' "$l form: pdfinfo says Tagged: yes"
	is "$(qpdf --json --json-key=acroform "$pdf" | grep -c '"fullname"')" "$nw" \
		"$l form: the AcroForm lists the same $nw widgets"
	is "$(pdffonts "$pdf" 2>&1 >/dev/null)" "" "$l form: pdffonts warns of nothing"
	like "$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null)" '龘' "$l form: poppler reads the rare character back"
	like "$(mutool draw -q -F txt -o - "$pdf" 2>/dev/null)" '龘' "$l form: MuPDF reads the rare character back"
done
# widget-tags.py sees what it checks broken on purpose (the en form changed
# through qpdf --update-from-json): /Nums keys out of order (ISO 32000-1
# 7.9.7: ascending), a widget's key the page's (14.7.4.4: one entry a key),
# /Tabs gone from the page with the widgets (PDF/UA-1 7.18.3); a page
# without annotations needs no /Tabs
cat >"$T/break.py" <<'PY'
# break.py MODE: qpdf's JSON of a form on stdin, a patch for
# qpdf --update-from-json on stdout
import json, sys
mode = sys.argv[1]
j = json.load(sys.stdin)
head, objs = j['qpdf'][0], j['qpdf'][1]
val = {k: v.get('value') for k, v in objs.items()}
def get(v): return val.get('obj:' + v) if isinstance(v, str) and v.endswith(' R') else v
root = next(k for k, v in val.items() if isinstance(v, dict) and v.get('/Type') == '/Catalog')
st = get(val[root]['/StructTreeRoot'])
pt_ref = st['/ParentTree']
pt = get(pt_ref)
page_ref = get(get(val[root]['/Pages'])['/Kids'])[0]
page = get(page_ref)
out = {}
if mode == 'nums-order':
    nums_ref = pt['/Nums'] if isinstance(pt['/Nums'], str) else None
    nums = get(pt['/Nums'])
    pairs = [nums[i:i + 2] for i in range(0, len(nums), 2)]
    new = [x for p in reversed(pairs) for x in p]
    if nums_ref:
        out['obj:' + nums_ref] = {'value': new}
    else:
        pt['/Nums'] = new
        if isinstance(pt_ref, str):
            out['obj:' + pt_ref] = {'value': pt}
        else:
            out['obj:' + val[root]['/StructTreeRoot']] = {'value': st}
elif mode == 'key-clash':
    for a in get(page['/Annots']):
        w = get(a)
        if '/StructParent' in w:
            w['/StructParent'] = page['/StructParents']; out['obj:' + a] = {'value': w}; break
elif mode == 'no-tabs':
    del page['/Tabs']; out['obj:' + page_ref] = {'value': page}
json.dump({'qpdf': [head, out]}, sys.stdout)
PY
pdf=$T/f/205/en/CHE.pdf
broken() { # broken MODE: the en form broken by MODE, through widget-tags.py
	qpdf --json --json-key=qpdf "$pdf" | /usr/bin/python3 "$T/break.py" "$1" >"$T/$1.json" &&
		qpdf "$pdf" --update-from-json="$T/$1.json" "$T/$1.pdf" && wtags "$T/$1.pdf"
}
like "$(broken nums-order)" '^/Nums: key [0-9]+ after key [0-9]+ \(not ascending\)$' \
	"widget-tags.py: /Nums keys in descending order found"
like "$(broken key-clash)" "^page 1: widget [0-9]+ 0 R: /StructParent 0 also page 1's key$" \
	"widget-tags.py: a widget's /StructParent the page's /StructParents found"
like "$(broken no-tabs)" "^page 1: annotations, and the tab order not the structure's \(/Tabs /S\)$" \
	"widget-tags.py: the widgets' page without /Tabs /S found"
printf '%%%%MediaBox 0 0 100 100\n' >"$T/blank.txt"
mutool create -o "$T/blank.pdf" "$T/blank.txt"
qpdf "$pdf" --pages . 1 "$T/blank.pdf" 1 -- "$T/two.pdf"
is "$(wtags "$T/two.pdf" | tail -n +2)" ok "widget-tags.py: a second page without annotations needs no /Tabs"

# the English form's own letters, through the CMaps of both Latin subsets and
# of the one-character CJK subset
like "$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null)" 'Framework for the dragon 龘 in' "en: poppler reads the title back"
like "$(mutool draw -q -F txt -o - "$pdf" 2>/dev/null | tr -s ' \n' '  ')" 'Framework for the dragon 龘 in' \
	"en: MuPDF reads the title back"
is "$(pdffonts "$pdf" 2>/dev/null | awk 'NR > 2 { print $NF - $NF, $(NF-2), $(NF-3), $(NF-4) }' | sort -u)" \
	"0 yes yes yes" "en: every font embedded, subset, with a ToUnicode map"
like "$(pdffonts "$pdf" 2>/dev/null)" 'DroidSansFallback' "en: the rare character has its CJK subset (Droid Sans Fallback)"
# the subsets' glyphs in the order of their CIDs (src/pdf/sfnt.c): no map
# stream in the Latin forms; the zh form's large Chinese subset keeps its
# glyph order (and its map), deflate does better on it; an Arabic subset
# where one glyph has two CIDs (two widths or texts) keeps its map too
# (the ru form's typed-value font in /DR included)
for l in en fr ru; do
	j=$(qpdf --json --json-key=qpdf "$T/f/205/$l/CHE.pdf")
	n=$(grep -c '"/Subtype": "/CIDFontType2"' <<<"$j")
	ok "$l form: $n CIDFonts, at least the page's $(pdffonts "$T/f/205/$l/CHE.pdf" 2>/dev/null | tail -n +3 | wc -l)" \
		test "$n" -ge "$(pdffonts "$T/f/205/$l/CHE.pdf" 2>/dev/null | tail -n +3 | wc -l)" -a "$n" -ge 3
	is "$(grep '"/CIDToGIDMap"' <<<"$j" | sort | uniq -c | sed 's/^ *//; s/  */ /g')" \
		"$n \"/CIDToGIDMap\": \"/Identity\"," "$l form: every font's CIDs are its glyphs (/CIDToGIDMap /Identity)"
done
like "$(qpdf --json --json-key=qpdf "$T/f/205/zh/CHE.pdf" | grep '"/CIDToGIDMap"')" '"[0-9]+ 0 R"' \
	"zh form: the large Chinese subset keeps a map stream"
diag "en form with 龘: $(stat -c %s "$pdf") bytes"
done_testing
