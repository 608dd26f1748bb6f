#!/bin/bash
# Session 17's adversarial test of returned forms (issue 17), the reading
# side: a malformed reference named as form.reference (not --member ''), a
# reference language outside the six, a form field given twice, text that
# is not text (undefined PDFDocEncoding bytes, an unpaired UTF-16
# surrogate), a blank form's administration matched whole against the
# member's names in the six languages, a returned form counted once in
# quota_bytes however many drafts it answers, and the small messages (scan's
# FILE, an image over the pixel cap, --draft with --from-pdf).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

PY=/usr/bin/python3   # Debian's, with python3-pypdf (stack notes)
FILL="$PY $HERE/fill-form.py"
EDIT="$PY $HERE/form-edit.py"
$PY -c 'import pypdf' 2>/dev/null || { fail "python3-pypdf is installed (tests/deps.sh)"; done_testing; exit; }

expect_exit 0 ballot init
setup_205
at 2019-12-02T12:30:00Z
expect_exit 0 ballot draft add --summary "A summary." --circular 205 --rec Q.5052 --title "A second draft"
at 2020-01-10T09:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHE --lang en --out "$T/f" --jobs 1
expect_exit 0 ballot forms --circular 205 --blank --lang all --out "$T/f" --jobs 1
CHE="$T/f/205/en/CHE.pdf"
fill() { # fill NAME [FORM] FIELD=VALUE...: both drafts answered
	local out=$T/$1.pdf form=$CHE
	shift
	case ${1-} in *.pdf) form=$1; shift;; esac
	$FILL "$form" "$out" draft.Q.5051.choice=authorize draft.Q.5052.choice=not-authorize "$@"
}
fill ok
ref=$(ballot reply --from-pdf "$T/ok.pdf" --circular 205 --dry-run | sed -n 's/^form .*: reference \([^,]*\),.*/\1/p')
like "$ref" '^ballot:205:CHE:en:[0-9a-f]{16}$' "the form's own reference is read ($ref)"
hex=${ref##*:}

# --- a malformed reference: named as the form's field, with its value
for bad in garbage ballot:205 ballot:205:CHE "ballot:205:CHE:en"; do
	fill badref form.reference="$bad"
	refused_like "^ballot: --from-pdf badref\.pdf: field form\.reference '$bad' is not a form reference \(ballot:CIRCULAR:CODE:LANG:16 hex digits\)$" \
		ballot reply --from-pdf "$T/badref.pdf" --circular 205
	unlike "$ERR" "--member" "a malformed reference '$bad' names no option"
done
# a language outside the six
for lang in de xx; do
	fill badlang form.reference="ballot:205:CHE:$lang:$hex"
	refused_like "field form\.reference 'ballot:205:CHE:$lang:$hex' is not a form reference: language '$lang' is not one of en, fr, es, ru, zh, ar$" \
		ballot reply --from-pdf "$T/badlang.pdf" --circular 205 --dry-run
done

# --- a form field given twice: refused naming the field, whichever comes first
for mode in dup-choice:draft.Q.5051.choice dup-ref:form.reference dup-signatory:signatory.name; do
	$EDIT "$T/ok.pdf" "$T/dup.pdf" "${mode%%:*}"
	f=${mode#*:}
	refused_like "^ballot: --from-pdf dup\.pdf: field ${f//./\\.}: given twice$" \
		ballot reply --from-pdf "$T/dup.pdf" --circular 205
done

# --- text that is not text: refused naming the field, nothing replaced or dropped
for mode in pdfdoc surrogate; do
	fill sig signatory.name="A Person"
	$EDIT "$T/sig.pdf" "$T/bad-$mode.pdf" "$mode"
	refused_like "^ballot: --from-pdf bad-$mode\.pdf: field signatory\.name: '.*' is not valid text \(an undefined PDFDocEncoding byte, or an unpaired UTF-16 surrogate\)$" \
		ballot reply --from-pdf "$T/bad-$mode.pdf" --circular 205
done

# --- --draft and --authorize with --from-pdf: the hint is one that works
for opt in "--draft Q.5051" --authorize --not-authorize; do
	refused_like "^ballot: ${opt%% *}: not with --from-pdf \(the filled form's fields give the drafts and choices: tick the choice on the form, or record it without the form: ballot reply --circular ID --member CODE --draft REC --authorize\|--not-authorize\)$" \
		ballot reply --from-pdf "$T/ok.pdf" --circular 205 $opt
	unlike "$ERR" "--choice" "$opt with --from-pdf suggests no --choice (which --from-pdf refuses)"
done

# --- scan: the file is FILE (there is no --file), an image over the cap is named so
echo "not an image" >"$T/x.png"
refused_like "^ballot: FILE: '[^']*/x\.png' is not a PNG, TIFF, JPEG or PDF file$" ballot scan "$T/x.png"
refused_like "^ballot: FILE: '[^']*/x\.png' is not a PNG, TIFF, JPEG or PDF file$" ballot reply --from-scan "$T/x.png" --circular 205
$PY - "$T/big.png" <<'P'
import struct, sys, zlib
w, h = 13000, 12000  # 156 million pixels, over the 144 million of the cap
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
z = zlib.compressobj(9); row = b"\0" + b"\xff" * ((w + 7) // 8)
data = b"".join(z.compress(row) for _ in range(h)) + z.flush()
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
                              + chunk(b"IDAT", data) + chunk(b"IEND", b""))
P
refused_like "^ballot: FILE: '[^']*/big\.png': page 1 is 13000 x 12000 pixels: pages of at most 144 million pixels are read" \
	ballot scan "$T/big.png"

# --- a blank form's administration: the whole value, against the member's
# code and its names in the six languages (forms/names, iso-codes)
admin() { # admin LANG MEMBER VALUE: a blank form in LANG naming VALUE
	$FILL "$T/f/205/$1/blank.pdf" "$T/bl.pdf" draft.Q.5051.choice=authorize draft.Q.5052.choice=authorize \
		sender.administration="$3"
}
for c in "en CHE Switzerland and France" "en FRA Switzerland and France" "en CHE Switzerlandia" "en CHE Swiss" \
	 "en KOR Korea" "fr CHE Suisse romande"; do
	set -- $c
	l=$1 m=$2
	shift 2
	admin "$l" "$m" "$*"
	refused_like "field sender\.administration '$*' does not name --member $m \(its code, or its whole name in one of the six languages\)$" \
		ballot reply --from-pdf "$T/bl.pdf" --circular 205 --member "$m" --force
done
while IFS='|' read -r l m v; do
	admin "$l" "$m" "$v"
	ok "a blank $l form naming '$v' confirms $m" ballot reply --from-pdf "$T/bl.pdf" --circular 205 --member "$m" --dry-run
done <<'L'
en|KOR|Korea (Rep. of)
en|KOR|  korea   (REP. OF) 
en|IRN|Iran (Islamic Republic of)
en|CHE|Switzerland
en|CHE|che
en|CHE|CH
en|CHE| CHE 
en|CHE|ch 
fr|CHE|Suisse
ru|CHE|Швейцария
ar|CHE|سويسرا
fr|KOR|République de Corée
L

# --- quota_bytes: the form kept with each draft's reply of one sending counts once
size=$(stat -c %s "$T/ok.pdf")
expect_exit 0 ballot config set quota_bytes $((size + size / 2))
run ballot reply --from-pdf "$T/ok.pdf" --circular 205
is "$RC" 0 "a form of $size bytes for two drafts passes quota_bytes $((size + size / 2)) (counted once): $ERR"
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*), count(DISTINCT sha256) FROM attachments WHERE role = 'form'")" "2|1" \
	"kept with each draft's reply (storage is not deduplicated)"
# the same form again (superseding) is stored again, so it counts again: a
# member cannot store one file without bound by sending it again and again
refused_like "quota_bytes: CHE's replies in consultation 205 hold $size bytes of attachments; $size more would pass the cap of $((size + size / 2)) bytes" \
	ballot reply --from-pdf "$T/ok.pdf" --circular 205
is "$(sqlite3 "$BALLOT_DB" "SELECT count(*) FROM attachments WHERE role = 'form'")" 2 "  ... nothing stored"

done_testing
