#!/bin/bash
# User story (issue 17, "Left on 17"): an administration types its signatory's
# name in its own script ("Иван Петров", "محمد علي", "王伟") into the Annex 2
# form on screen; the viewer draws the typed value (the form's /DA font, or one
# the viewer puts in its place) and the secretariat reads it back with
# `ballot reply --from-pdf`. Before, the fields' /DA named Helvetica (WinAnsi):
# poppler drew such values as nothing.
# The viewer's path: a value typed and saved without its look (/V set, the
# widget's /AP removed, /NeedAppearances true, with pypdf), so poppler
# (pdftoppm) and MuPDF (mutool draw) each build the look themselves; dark
# pixels inside the field's rectangle must appear (compared with the same
# field typed with a space: the viewer's white background alone).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

PY=/usr/bin/python3   # Debian's, with python3-pypdf (stack notes)
FILL="$PY $HERE/fill-form.py"
for tool in qpdf pdftoppm mutool convert fc-match; do
	command -v "$tool" >/dev/null || { fail "$tool is installed (tests/deps.sh)"; done_testing; exit; }
done
$PY -c 'import pypdf' 2>/dev/null || { fail "python3-pypdf is installed (tests/deps.sh)"; done_testing; exit; }

expect_exit 0 ballot init
setup_205
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang all --out "$T/f" --jobs 1
F="$T/f/205"

CYR="Иван Петров" ARA="محمد علي" HAN="王伟" LAT="John Smith"

# --- the forms: which font a typed value is drawn in -----------------------
fonts() { # fonts LANG: the /DR font names; the text fields' /DA fonts
	qpdf --json --json-key=acroform --json-key=qpdf "$F/$1/CHE.pdf" | $PY -c 'import json, sys
d = json.load(sys.stdin)
objs = d["qpdf"][1]
def val(o):
    while isinstance(o, str) and o.endswith(" R"):
        o = objs["obj:" + o]["value"]
    return o
root = val(objs["trailer"]["value"]["/Root"])
af = val(root["/AcroForm"])
dr = val(val(af["/DR"])["/Font"])
print(" ".join(sorted(dr)))
print(" ".join(sorted({val(objs["obj:" + f["object"]]["value"])["/DA"][2:].split()[0]
                       for f in d["acroform"]["fields"]
                       if f["fieldtype"] == "/Tx" and f["fullname"] != "form.reference"})))
das = {val(objs["obj:" + f["object"]]["value"])["/DA"][2:].split()[0]
       for f in d["acroform"]["fields"]
       if f["fieldtype"] == "/Tx" and f["fullname"] != "form.reference"}
uni = val(dr.get(das.pop(), {})) if len(das) == 1 else {}
if uni.get("/Subtype") == "/Type0":
    cid = val(val(uni["/DescendantFonts"])[0])
    fd = val(cid["/FontDescriptor"])
    info = val(cid["/CIDSystemInfo"])
    print(uni["/Subtype"], uni["/Encoding"], "/" + uni["/BaseFont"].split("+")[-1].lstrip("/"), info["/Ordering"],
          "embedded" if any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")) else "not-embedded")'
}
for l in en fr es; do
	is "$(fonts $l | tr '\n' '|')" "/Helv /ZaDb /popplerfont /popplerfont0 /popplerfont1|/Helv|" \
		"$l form: Helvetica, and poppler's fallbacks for other scripts (not embedded: 110-typed-table-browser.t)"
done
is "$(fonts ru | tr '\n' '|')" "/Helv /Wingdings /ZaDb /popplerfont0 /popplerfont1|/Wingdings|/Type0 /Identity-H /LiberationSans u:Identity embedded|" \
	"ru form: its text fields name an embedded font: Liberation Sans (103-typed-fonts-browser.t: the name is for PDFium)"
is "$(fonts ar | tr '\n' '|')" "/Helv /Wingdings /ZaDb /popplerfont0 /popplerfont1|/Wingdings|/Type0 /Identity-H /Amiri-Regular u:Identity embedded|" \
	"ar form: Amiri, embedded"
is "$(fonts zh | tr '\n' '|')" "/Helv /Uni /ZaDb /popplerfont0|/Uni|/Type0 /Identity-H /STSong-Light u:GB1 not-embedded|" \
	"zh form: STSong-Light (Adobe-GB1), not embedded"
size=$(stat -c %s "$F/en/CHE.pdf")
ok "the English form stays within 16 384 bytes ($size)" test "$size" -le 16384
diag "form sizes: $(for l in en fr es ru ar zh; do printf '%s %s  ' $l "$(stat -c %s "$F/$l/CHE.pdf")"; done)"

# --- two viewers draw the typed values --------------------------------------
# the fonts the viewers here put in place of the forms' (poppler: fontconfig)
like "$(fc-match -f '%{family}' DejaVuSans)" 'DejaVu Sans' "fontconfig has DejaVu Sans (fonts-dejavu-core)"
like "$(fc-list :lang=zh-cn family)" '.' "fontconfig has a Chinese font (fonts-arphic-uming)"

cat >"$T/typein.py" <<'PY'
import sys
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject, BooleanObject
w = PdfWriter()
w.clone_document_from_reader(PdfReader(sys.argv[1]))
want = dict(a.split("=", 1) for a in sys.argv[3:])
for page in w.pages:
    for ref in page.get("/Annots", []):
        a = ref.get_object()
        parts, o = [], a
        while o is not None:
            if "/T" in o:
                parts.append(str(o["/T"]))
            o = o.get("/Parent")
            o = o.get_object() if o is not None else None
        name = ".".join(reversed(parts))
        if name in want:
            a[NameObject("/V")] = TextStringObject(want.pop(name))
            del a["/AP"]
if want:
    sys.exit("typein: no field " + " ".join(want))
w._root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
w.write(sys.argv[2])
PY
typein() { $PY "$T/typein.py" "$@"; }

ink() { # ink PGM "x1 y1 x2 y2" : dark pixels inside the rectangle (72 dpi page units, 100 dpi image)
	local x1 y1 x2 y2
	read -r x1 y1 x2 y2 <<<"$2"
	local H=$(identify -format %h "$1")
	convert "$1" -crop "$(awk -v a="$x1" -v b="$y2" -v c="$x2" -v d="$y1" -v h="$H" \
		'BEGIN { s = 100 / 72; printf "%dx%d+%d+%d", (c-a)*s - 2, (b-d)*s - 2, a*s + 1, h - b*s + 1 }')" \
		+repage -threshold 90% -negate -format '%[fx:int(mean*w*h+0.5)]' info:
}
render() { # render PDF PREFIX : every page, poppler PREFIX-p-N.pgm, MuPDF PREFIX-m-N.pgm
	pdftoppm -r 100 -gray "$1" "$2-p" 2>/dev/null
	mutool draw -q -r 100 -c gray -o "$2-m-%d.pgm" "$1" 2>/dev/null
	local f g
	for f in "$2"-p-*.pgm; do
		g=$(echo "$f" | sed 's/-0*\([0-9]*\)\.pgm$/-\1.pgm/')
		[ "$f" = "$g" ] || mv "$f" "$g"
	done
}
widget() { # widget PDF NAME : "PAGE x1 y1 x2 y2"
	$FILL --widgets "$1" | awk -F'\t' -v n="$2" '$2 == n { print $1, $5 }'
}
# one form per language, four fields typed: a script each
check() { # check LANG VIEWERS-THAT-MUST-DRAW-EACH ("field:script:p m" ...)
	local l=$1 f="$F/$1/CHE.pdf"
	shift
	local fields="signatory.name signatory.title sender.name sender.place" n blank=()
	for n in $fields; do blank+=("$n= "); done
	typein "$f" "$T/$l-e.pdf" "${blank[@]}"
	typein "$f" "$T/$l.pdf" signatory.name="$CYR" signatory.title="$ARA" sender.name="$HAN" sender.place="$LAT"
	render "$T/$l-e.pdf" "$T/$l-e"
	render "$T/$l.pdf" "$T/$l-t"
	local spec field script who pg rect e t v
	for spec in "$@"; do
		IFS=: read -r field script who <<<"$spec"
		read -r pg rect <<<"$(widget "$f" "$field")"
		for v in p m; do
			e=$(ink "$T/$l-e-$v-$pg.pgm" "$rect")
			t=$(ink "$T/$l-t-$v-$pg.pgm" "$rect")
			if [ "${who#*$v}" != "$who" ]; then
				ok "$l form, $script typed in $field: $( [ $v = p ] && echo poppler || echo MuPDF) draws it ($e -> $t dark pixels)" \
					test "$t" -ge $((e + 15))
			else
				diag "$l form, $script in $field: $( [ $v = p ] && echo poppler || echo MuPDF) $e -> $t dark pixels (not required)"
			fi
		done
	done
	[ -n "${FILL_PNG_DIR:-}" ] && cp "$T/$l-t-p-1.pgm" "$FILL_PNG_DIR/drfont-$l-poppler.pgm" &&
		cp "$T/$l-t-m-1.pgm" "$FILL_PNG_DIR/drfont-$l-mupdf.pgm"
	return 0
}
# MuPDF builds a field's look with its own fonts whatever the /DA names:
# Latin, Greek, Cyrillic and (by the document's /Lang) Chinese; any other
# script, Arabic included, as U+00B7 dots (its pdf-appearance.c), so Arabic
# is required of poppler only.
# The ru and ar forms' embedded fonts carry Latin and the form's language
# only (Liberation Sans: no Arabic; Amiri: no Cyrillic): poppler draws the
# other script as nothing.
check ru "signatory.name:Cyrillic:pm" "signatory.title:Arabic:" "sender.place:Latin:pm" "sender.name:Chinese:"
check ar "signatory.title:Arabic:p" "signatory.name:Cyrillic:m" "sender.place:Latin:pm" "sender.name:Chinese:"
check zh "sender.name:Chinese:pm" "sender.place:Latin:pm" "signatory.name:Cyrillic:m" "signatory.title:Arabic:"
check en "sender.place:Latin:pm" "signatory.name:Cyrillic:m" "sender.name:Chinese:" "signatory.title:Arabic:"

# --- the reading side: the typed values read back -----------------------------
for case in "ru:$CYR" "ar:$ARA" "zh:$HAN"; do
	l=${case%%:*} v=${case#*:}
	$FILL "$F/$l/CHE.pdf" "$T/sig-$l.pdf" draft.Q.5051.choice=authorize signatory.name="$v" signatory.title="$LAT"
	expect_exit 0 ballot reply --from-pdf "$T/sig-$l.pdf" --circular 205 --dry-run --json
	is "$(jget .signatory)" "$v" "$l: reply --from-pdf reads the signatory typed in its script"
done
expect_exit 0 ballot reply --from-pdf "$T/sig-ar.pdf" --circular 205 --received 2020-01-09T15:00:00Z
expect_exit 0 ballot history --circular 205 --member CHE --json
like "$(printf '%s' "$OUT" | $PY -c 'import json, sys
d = json.load(sys.stdin)
for it in (d["items"] if isinstance(d, dict) else d):
    print(it.get("signatory"))')" "^$ARA\$" "the Arabic signatory recorded"

# byte-reproducible still
expect_exit 0 ballot forms --circular 205 --member CHE --lang ru,ar,zh --out "$T/again" --jobs 1
for l in ru ar zh; do
	ok "$l form: a second run gives the same bytes" cmp "$F/$l/CHE.pdf" "$T/again/205/$l/CHE.pdf"
done

done_testing
