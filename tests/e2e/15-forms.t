#!/usr/bin/env bash
# 15-forms.t - `ballot forms`: the Annex 2 reply forms as PDF. For Circular 205
# (as in the demo, plus a second, revised draft) in each of the six languages:
# the member's name in that language (expected names read independently from
# forms/names/<lang>.tsv and the iso-codes .mo catalogs), the circular, the
# drafts, the deadline in the template's words; qpdf --check on every file;
# A4 and Letter; a 12-draft form that continues on page 2; the QR code equal to
# the printed reference; byte-identical reruns (any --jobs); refused input that
# writes nothing; --all for the whole electorate.
# Text is read with pdftotext (poppler), QR codes with zbarimg.
. "$(dirname "$0")/lib.sh"

for tool in pdftotext pdfinfo pdftoppm qpdf zbarimg; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
LANGS="en fr es ru zh ar"

# names.pl REPO LANG CODE : the Member State's name as a form should print it:
# the override of forms/names/LANG.tsv, else the iso-codes translation of its
# English ISO short name (read here with a small .mo reader, not by ballot's
# code), else (English) that short name.
cat >"$T/names.pl" <<'EOF'
use strict; use warnings;
my ($repo, $lang, $code) = @ARGV;
my %locale = (fr => 'fr', es => 'es', ru => 'ru', zh => 'zh_CN', ar => 'ar');
my (%over, %en, %mo);
open my $o, '<', "$repo/forms/names/$lang.tsv" or die "names/$lang.tsv: $!\n";
while (<$o>) { chomp; next if /^#/ || !/\t/; my ($c, $n) = split /\t/; $over{$c} = $n; }
open my $m, '<', "$repo/forms/member-states.tsv" or die "member-states.tsv: $!\n";
while (<$m>) { chomp; next if /^#/; my @f = split /\t/; $en{$f[0]} = $f[2]; }
if ($lang ne 'en' && !exists $over{$code}) {
	my $file = "/usr/share/locale/$locale{$lang}/LC_MESSAGES/iso_3166-1.mo";
	open my $fh, '<:raw', $file or die "$file: $!\n";
	local $/;
	my $d = <$fh>;
	my $e = unpack('V', $d) == 0x950412de ? 'V' : 'N';
	my ($n, $oo, $to) = (unpack "$e$e$e$e$e", $d)[2, 3, 4];
	for my $i (0 .. $n - 1) {
		my ($ol, $op) = unpack "$e$e", substr($d, $oo + 8 * $i, 8);
		my ($tl, $tp) = unpack "$e$e", substr($d, $to + 8 * $i, 8);
		$mo{substr($d, $op, $ol)} = substr($d, $tp, $tl);
	}
}
my $name = $over{$code} // ($lang eq 'en' ? $en{$code} : $mo{$en{$code} // ''});
die "no $lang name for $code\n" unless defined $name && length $name;
print "$name\n";
EOF

# tmpl.pl FILE KEY [-upto P | -before P] [VAR VALUE]... : the template's value
# of KEY, cut after (-upto) or before (-before) placeholder {P}, with the
# placeholders replaced. KEY "date" with VAR month: VALUE is the month number,
# printed as the template's `months` name.
cat >"$T/tmpl.pl" <<'EOF'
use strict; use warnings;
my ($file, $key, @args) = @ARGV;
open my $fh, '<', $file or die "$file: $!\n";
my %k;
while (<$fh>) {
	chomp;
	next if /^\s*(#|$)/;
	my ($name, $v) = /^\s*(\w+)\s*=\s*(.*?)\s*$/ or next;
	$v = $1 if $v =~ /^"(.*)"$/;
	$k{$name} = $v;
}
my $v = $k{$key} // die "$file: no key $key\n";
if (@args && $args[0] =~ /^-(upto|before)$/) {
	my ($how, $p) = splice @args, 0, 2;
	my $i = index($v, "{$p}");
	die "$file: $key has no {$p}\n" if $i < 0;
	$v = substr($v, 0, $how eq '-upto' ? $i + length("{$p}") : $i);
}
my %var = @args;
if ($key eq 'date' && exists $var{month}) {
	my @months = split /\|/, $k{months};
	die "$file: months has " . @months . " names\n" unless @months == 12;
	$var{month} = $months[$var{month} - 1];
}
$v =~ s/\{(\w+)\}/exists $var{$1} ? $var{$1} : "{$1}"/ge;
$v =~ s/\s+$//;
print "$v\n";
EOF

# has.pl LANG TEXTFILE WANT... : prints each WANT that TEXTFILE (pdftotext
# output) lacks; exit 1 if any. Both sides are compared after NFKC (pdftotext
# returns Arabic presentation forms and fullwidth CJK punctuation as in the
# font), without bidi controls, white space runs as one space. Chinese lines
# break anywhere and pdftotext moves the spaces next to the numbers it embeds
# in Arabic lines, so those two compare without white space. Arabic only:
# pdftotext mirrors no brackets back ("(تابع)" comes out as ")تابع(") and it
# returns a mark (shadda) before its letter (the glyphs are drawn letter then
# mark, and it reverses the line): the text is unmirrored, and a WANT matches
# as written or with each letter's marks before the letter.
cat >"$T/has.pl" <<'EOF'
use strict; use warnings;
use Unicode::Normalize qw(NFKC);
use Encode qw(decode);
binmode STDOUT, ':encoding(UTF-8)';
my ($lang, $file, @want) = @ARGV;
open my $fh, '<:encoding(UTF-8)', $file or die "$file: $!\n";
local $/;
my $text = <$fh>;
my $nospace = $lang eq 'zh' || $lang eq 'ar';
sub norm {
	my ($s) = @_;
	$s = NFKC($s);
	$s =~ s/[\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]//g;
	$s =~ s/\s+/ /g;
	$s =~ s/ //g if $nospace;
	return $s;
}
my $t = norm($text);
$t =~ tr/()[]/)(][/ if $lang eq 'ar';
my $missing = 0;
for my $w (map { decode('UTF-8', $_) } @want) {
	my @forms = (norm($w));
	if ($lang eq 'ar') { (my $m = $forms[0]) =~ s/(\p{L})(\p{Mn}+)/$2$1/g; push @forms, $m; }
	next if grep { index($t, $_) >= 0 } @forms;
	print "lacks: $w\n";
	$missing++;
}
exit($missing ? 1 : 0);
EOF

names() { perl "$T/names.pl" "$REPO" "$@"; }               # names LANG CODE
tmpl() { perl "$T/tmpl.pl" "$REPO/forms/annex2/$1.txt" "${@:2}"; } # tmpl LANG KEY ...

text_of() { # text_of PDF [PAGE] : its text (of one page) in $T/.txt
	rm -f "$T/.txt"
	# (poppler warns about libharu's ToUnicode CMaps; the text is still found)
	pdftotext -enc UTF-8 ${2:+-f "$2" -l "$2"} "$1" "$T/.txt" 2>/dev/null
}

contains() { # contains LANG DESC WANT... : $T/.txt holds every WANT
	local lang=$1 desc=$2 out
	shift 2
	out=$(perl "$T/has.pl" "$lang" "$T/.txt" "$@" 2>&1)
	_tap $? "$desc" || diag "$out" "pdftotext gave:" "$(head -c 3000 "$T/.txt")"
}

ref_of() { # ref_of PDF [PAGE] : the reference printed in the footer
	text_of "$1" "${2:-}"
	grep -Eo 'ballot:[^[:space:]]*' "$T/.txt" | head -n 1 | sed 's/[^0-9A-Za-z]*$//'
}

qr_of() { # qr_of PDF [PAGE] : the text of the page's QR code (zbarimg)
	rm -f "$T"/qr-*.png
	pdftoppm -r 150 -png -f "${2:-1}" -l "${2:-1}" "$1" "$T/qr" 2>/dev/null &&
		zbarimg --raw -q "$T"/qr-*.png 2>/dev/null
}

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

paper_is() { # paper_is W H DESC PDF... : every page of every PDF is W x H pt (±0.5)
	local w=$1 h=$2 desc=$3 f bad=""
	shift 3
	for f in "$@"; do
		pdfinfo -f 1 -l "$(pages_of "$f")" "$f" 2>/dev/null |
			awk -v w="$w" -v h="$h" '/^Page +[0-9]+ size:/ { n++
				if (($4 - w) ^ 2 > 0.25 || ($6 - h) ^ 2 > 0.25) bad = 1 }
				END { exit !(n > 0 && !bad) }' || bad="$bad $f"
	done
	_tap $((${#bad} > 0)) "$desc" || diag "not $w x $h:$bad"
}

qpdf_ok() { # qpdf_ok DESC PDF... : qpdf --check exits 0 on each
	local desc=$1 f bad="" n=0
	shift
	for f in "$@"; do
		n=$((n + 1))
		qpdf --check "$f" >/dev/null 2>&1 || bad="$bad $f"
	done
	_tap $((${#bad} > 0 || n == 0)) "$desc ($n files)" || diag "qpdf --check fails on:$bad"
}

same_files() { # same_files DIR1 DIR2 DESC : the same file names, byte-identical
	local a=$1 b=$2 desc=$3 f bad=""
	if [ "$(cd "$a" && find . | LC_ALL=C sort)" != "$(cd "$b" && find . | LC_ALL=C sort)" ]; then
		fail "$desc"
		diag "the file lists differ"
		return 1
	fi
	while IFS= read -r f; do
		cmp -s "$a/$f" "$b/$f" || bad="$bad $f"
	done < <(cd "$a" && find . -type f)
	_tap $((${#bad} > 0)) "$desc" || diag "differ:$bad"
}

snapshot() { # snapshot PATH : names, types, sizes and mtimes of everything under PATH
	find "$1" -printf '%P %y %s %T@\n' 2>&1 | LC_ALL=C sort
}

# bad_input VALUE DIR CMD... : refused (exit 2, one stderr line naming VALUE,
# database unchanged), and nothing new or changed under DIR (no form, no
# temporary file).
bad_input() {
	local value=$1 dir=$2 before
	shift 2
	before=$(snapshot "$dir")
	refused "$value" "$@"
	is "$(snapshot "$dir")" "$before" "  ... nothing written under ${dir#"$T"/}"
}

# --- Circular 205 as in the demo --------------------------------------------
expect_exit 0 ballot init
setup_205

# One draft: the reference's digest, stable over runs.
expect_exit 0 ballot forms --circular 205 --member CHN --lang en --out "$T/one"
is "$OUT" "wrote 1 form for circular 205 in $T/one/205/ (en)" "forms says what it wrote"
ref1=$(ref_of "$T/one/205/en/CHN.pdf")
like "$ref1" '^ballot:205:CHN:en:[0-9a-f]{16}$' "the footer prints the reference ballot:205:CHN:en:<16 hex> ($ref1)"
sleep 1 # a clock in the bytes would show
expect_exit 0 ballot forms --circular 205 --member CHN --lang en --out "$T/one-again"
is "$(ref_of "$T/one-again/205/en/CHN.pdf")" "$ref1" "a second run prints the same reference"
ok "a second run writes the same bytes" cmp "$T/one/205/en/CHN.pdf" "$T/one-again/205/en/CHN.pdf"
is "$(qr_of "$T/one/205/en/CHN.pdf")" "$ref1:p1" "the QR code holds the reference and the page number"

# A second, revised draft changes the digest.
at 2019-12-03T10:00:00Z
expect_exit 0 ballot draft add --summary "A summary of the draft." --circular 205 --rec Q.3057 --revised \
	--title "Signalling requirements for the test of stolen device checks"
at 2020-02-10T12:00:00Z

expect_exit 0 ballot forms --circular 205 --member CHN,FRA --member KOR --blank --out "$T/f1"
is "$OUT" "wrote 24 forms for circular 205 in $T/f1/205/ (en fr es ru zh ar)" "24 forms: 6 languages x (blank + 3 members)"
want_list=$(for l in $LANGS; do for c in blank CHN FRA KOR; do echo "./205/$l/$c.pdf"; done; done | LC_ALL=C sort)
is "$(cd "$T/f1" && find . -type f | LC_ALL=C sort)" "$want_list" "exactly DIR/205/<lang>/{blank,CHN,FRA,KOR}.pdf"

ref_en=$(ref_of "$T/f1/205/en/CHN.pdf")
hex=${ref_en##*:}
isnt "$hex" "${ref1##*:}" "adding a draft changes the reference's digest"

for l in $LANGS; do
	deadline=$(tmpl "$l" deadline -upto time date "$(tmpl "$l" date day 21 month 2 year 2020)" time 23:59)
	subject=$(tmpl "$l" subject -before drafts circular 205)
	opening=$(tmpl "$l" opening -upto circular circular 205)
	row_new=$(tmpl "$l" row_new rec Q.5051)
	row_rev=$(tmpl "$l" row_revised rec Q.3057)
	for c in CHN FRA KOR; do
		f=$T/f1/205/$l/$c.pdf
		name=$(names "$l" "$c")
		text_of "$f"
		contains "$l" "$l/$c.pdf: the member's name '$name'" "$name"
		contains "$l" "$l/$c.pdf: circular 205 in the subject and the opening" "$subject" "$opening"
		contains "$l" "$l/$c.pdf: both drafts (Q.5051 new, Q.3057 revised)" Q.5051 Q.3057 "$row_new" "$row_rev"
		contains "$l" "$l/$c.pdf: the deadline '$deadline'" "$deadline" 23:59
		ref=$(ref_of "$f")
		is "$ref" "ballot:205:$c:$l:$hex" "$l/$c.pdf: the footer's reference names circular, member, language, digest"
		if [ "$l" = ar ]; then # the colon of the label moves in pdftotext's line
			contains "$l" "$l/$c.pdf: the reference's label in Arabic" \
				"$(tmpl ar reference -before ref | sed 's/[:[:space:]]*$//')" "$ref"
		else
			contains "$l" "$l/$c.pdf: the footer reads '$(tmpl "$l" reference ref "$ref")'" \
				"$(tmpl "$l" reference ref "$ref")"
		fi
	done
	is "$(qr_of "$T/f1/205/$l/CHN.pdf")" "ballot:205:CHN:$l:$hex:p1" "$l/CHN.pdf: the QR code is the footer's reference and :p1"
	is "$(ref_of "$T/f1/205/$l/blank.pdf")" "ballot:205:-:$l:$hex" "$l/blank.pdf: reference with member '-'"
	text_of "$T/f1/205/$l/blank.pdf"
	contains "$l" "$l/blank.pdf: circular, drafts and deadline" "$subject" "$row_new" "$row_rev" "$deadline"
done
is "$(qr_of "$T/f1/205/en/FRA.pdf")" "ballot:205:FRA:en:$hex:p1" "en/FRA.pdf: its own QR code"
mapfile -t f1_files < <(find "$T/f1" "$T/one" -name '*.pdf' | LC_ALL=C sort)
qpdf_ok "qpdf --check passes on every form" "${f1_files[@]}"
paper_is 595.276 841.89 "every page is A4 by default" "${f1_files[@]}"

# Reproducible, whatever the number of processes (and the time).
expect_exit 0 ballot forms --circular 205 --member CHN,FRA --member KOR --blank --jobs 1 --out "$T/f2"
at 2020-02-20T08:00:00Z
expect_exit 0 ballot forms --circular 205 --member CHN,FRA --member KOR --blank --jobs 2 --out "$T/f3"
at 2020-02-10T12:00:00Z
same_files "$T/f1" "$T/f2" "--jobs 1 writes the same bytes as the default"
same_files "$T/f1" "$T/f3" "--jobs 2 (later) writes the same bytes"
# Started by a program that ignores SIGCHLD (the setting passes through exec).
(trap '' CHLD; expect_exit 0 ballot forms --circular 205 --member CHN,FRA --member KOR --blank --jobs 2 --out "$T/f-chld"; echo "$_tap_n $_tap_failed" >"$T/.sub")
read -r _tap_n _tap_failed <"$T/.sub"
same_files "$T/f1" "$T/f-chld" "  ... all written all the same, with --jobs 2"

# --- 12 drafts: the table continues on the next page, on Letter paper ---------
CIRC=206 setup_205
at 2019-12-03T10:00:00Z
for i in 02 03 04 05 06 07 08 09 10 11 12; do
	run ballot draft add --summary "A summary of the draft." --circular 206 --rec "Q.60$i" --former "Q.OLD$i" \
		--title "Test draft $i: requirements for the signalling of a fairly long title"
	[ "$RC" = 0 ] || fail "draft add Q.60$i: $ERR"
done
at 2020-02-10T12:00:00Z
recs=(Q.5051 Q.6002 Q.6003 Q.6004 Q.6005 Q.6006 Q.6007 Q.6008 Q.6009 Q.6010 Q.6011 Q.6012)
expect_exit 0 ballot forms --circular 206 --member FRA --paper letter --out "$T/f4"
mapfile -t f4_files < <(find "$T/f4" -name '*.pdf' | LC_ALL=C sort)
is "${#f4_files[@]}" 6 "six forms of 12 drafts"
paper_is 612 792 "--paper letter: every page is 612 x 792 pt" "${f4_files[@]}"
qpdf_ok "qpdf --check passes on the 12-draft forms" "${f4_files[@]}"
for l in $LANGS; do
	f=$T/f4/206/$l/FRA.pdf
	pages=$(pages_of "$f")
	ok "$l: 12 drafts take more than one page ($pages)" test "${pages:-0}" -ge 2
	text_of "$f"
	contains "$l" "$l: every one of the 12 draft numbers" "${recs[@]}"
	text_of "$f" 2
	contains "$l" "$l: page 2 repeats the table header and says it continues" \
		"$(tmpl "$l" col_draft)" "$(tmpl "$l" col_choice)" "$(tmpl "$l" continued)"
done
is "$(qr_of "$T/f4/206/en/FRA.pdf" 2)" "$(ref_of "$T/f4/206/en/FRA.pdf" 2):p2" "page 2 has the QR code (with :p2) and the reference too"
like "$(ref_of "$T/f4/206/en/FRA.pdf" 2)" '^ballot:206:FRA:en:[0-9a-f]{16}$' "  ... of circular 206"

# --- the whole electorate -----------------------------------------------------
expect_exit 0 ballot forms --circular 205 --all --lang en --jobs 2 --out "$T/all"
is "$OUT" "wrote 193 forms for circular 205 in $T/all/205/ (en)" "--all: 193 forms (the electorate of 2019)"
run ballot pending --circular 205 --json
electorate=$(jcol . code | sed 's/$/.pdf/' | LC_ALL=C sort)
is "$(printf '%s\n' "$electorate" | grep -c .)" 193 "  ... the electorate has 193 members"
is "$(cd "$T/all" && find . -type f -printf '%P\n' | LC_ALL=C sort)" \
	"$(printf '%s\n' "$electorate" | sed 's|^|205/en/|')" "  ... one file per member, no other file"
mapfile -t all_files < <(find "$T/all" -name '*.pdf' | LC_ALL=C sort)
qpdf_ok "qpdf --check passes on the --all forms" "${all_files[@]}"

# --- bad input: exit 2, one line naming the problem, no file written ---------
expect_exit 0 ballot forms --circular 205 --member CHN --lang en --out "$T/bad"
B=$T/bad
bad_input xx "$B" ballot forms --circular 205 --member CHN --lang xx --out "$B"
like "$ERR" '--lang' "  ... names --lang"
bad_input --lang "$B" ballot forms --circular 205 --member CHN --lang ru,zh,ru --out "$B"
like "$ERR" '\bru\b' "  ... names the repeated language"
bad_input PLW "$B" ballot forms --circular 205 --member CHN,PLW --out "$B"
like "$ERR" 'electorate' "  ... Palau (member since 2024) is not in the 2019 electorate"
bad_input ZZZ "$B" ballot forms --circular 205 --member CHN --member ZZZ --out "$B"
like "$ERR" '--member' "  ... names --member"
bad_input --all "$B" ballot forms --circular 205 --all --member FRA --out "$B"
like "$ERR" '--member' "  ... names --member"
bad_input 999 "$B" ballot forms --circular 999 --member CHN --out "$B"
like "$ERR" '--circular' "  ... names --circular"
bad_input a3 "$B" ballot forms --circular 205 --member CHN --paper a3 --out "$B"
like "$ERR" '--paper' "  ... names --paper"

# An output directory that cannot be written.
mkdir "$T/ro" && chmod 555 "$T/ro"
if (: >"$T/ro/probe") 2>/dev/null; then
	rm -f "$T/ro/probe"
	diag "permissions do not stop $(id -un) (root?): no chmod 555 test; a regular file as a path component instead"
else
	bad_input "$T/ro" "$T/ro" ballot forms --circular 205 --member CHN --out "$T/ro"
fi
chmod 755 "$T/ro"
printf 'not a directory\n' >"$T/plain"
bad_input "$T/plain" "$T/plain" ballot forms --circular 205 --member CHN --out "$T/plain/forms"
is "$(cat "$T/plain")" "not a directory" "  ... the file is untouched"
bad_input /etc/passwd "$B" ballot forms --circular 205 --member CHN --out /etc/passwd/forms
bad_input "no member code" "$B" ballot forms --circular 205 --member , --out "$B"
# A directory where a form should go: found before any form is written.
mkdir -p "$T/dirclash/205/en/FRA.pdf"
bad_input "FRA.pdf" "$T/dirclash" ballot forms --circular 205 --member CHN,FRA,KOR --lang en --out "$T/dirclash" --jobs 2

# Templates with an error (a copy of forms/ in $BALLOT_FORMS). The faulty
# language comes after a good one, so a lazy check would have written files.
newforms() { rm -rf "$T/forms-x" && cp -R "$REPO/forms" "$T/forms-x"; }
newforms
line=$(grep -n '^subject *=' "$T/forms-x/annex2/fr.txt" | cut -d: -f1)
perl -i -pe 's/\{circular\}// if /^subject\s*=/' "$T/forms-x/annex2/fr.txt"
unlike "$(grep '^subject *=' "$T/forms-x/annex2/fr.txt")" '\{circular\}' "(the copy's fr subject lacks {circular})"
bad_input "$T/forms-x/annex2/fr.txt" "$B" env BALLOT_FORMS="$T/forms-x" \
	"$BALLOT_BIN" forms --circular 205 --member CHN --lang en,fr --jobs 1 --out "$B"
like "$ERR" "fr\.txt(:| line )$line\b" "  ... names the line ($line)"
like "$ERR" "\bsubject\b" "  ... names the key"
like "$ERR" "circular" "  ... names the placeholder"

newforms
printf 'bogus_key = a key no form has\n' >>"$T/forms-x/annex2/es.txt"
line=$(grep -c '' "$T/forms-x/annex2/es.txt")
bad_input "$T/forms-x/annex2/es.txt" "$B" env BALLOT_FORMS="$T/forms-x" \
	"$BALLOT_BIN" forms --circular 205 --member CHN --lang en,es --jobs 1 --out "$B"
like "$ERR" "es\.txt(:| line )$line\b" "  ... names the line ($line)"
like "$ERR" "bogus_key" "  ... names the key"

# A name no installed font covers (forms/fonts.tsv has no Ethiopic, no Devanagari).
newforms
printf 'FRA\tኢትዮጵያ\n' >>"$T/forms-x/names/en.tsv"
bad_input U+12A2 "$B" env BALLOT_FORMS="$T/forms-x" \
	"$BALLOT_BIN" forms --circular 205 --member CHN,FRA --lang fr,en --jobs 1 --out "$B"
like "$ERR" "\bFRA\b" "  ... names the member"
newforms
printf 'DEU\tजर्मनी\n' >>"$T/forms-x/names/ar.tsv"
bad_input U+091C "$B" env BALLOT_FORMS="$T/forms-x" \
	"$BALLOT_BIN" forms --circular 205 --member CHN,DEU --lang en,ar --out "$B"
like "$ERR" "\bDEU\b" "  ... names the member"
is "$(find "$B" -name '.*' | grep -c .)" 0 "no temporary file left in the output directory"

done_testing
