#!/usr/bin/env bash
# 44-install.t - `make install` / `make uninstall` (README, "Install"): the
# binary built for a PREFIX under $T, installed into a DESTDIR, then the staged
# tree moved to that PREFIX (as a package manager would unpack it) and run from
# there with no BALLOT_FORMS / BALLOT_FONTS: init, a consultation, a draft, a
# reply, forms and a report, in six languages. That it reads the installed data
# and not the checkout's: the checkout's path appears nowhere in the binary,
# and with the installed forms moved away it fails naming the installed path,
# until BALLOT_FORMS points at them. No font is installed: the Debian fonts
# are read where fonts.tsv names them ({fonts}/: BALLOT_FONTS, else
# /usr/share/fonts) and subset per document. Then
# `make uninstall` leaves no file behind, and only what it installed is gone.
# The installed binary is always the plain build (BALLOT_BIN is not used).
. "$(dirname "$0")/lib.sh"

for tool in make pdftotext objcopy; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
unset BALLOT_FORMS BALLOT_FONTS BALLOT_DB
P=$T/prefix        # PREFIX: where the installed binary looks for its data
STAGE=$T/stage     # DESTDIR
M=(make -s --no-print-directory -C "$REPO" PREFIX="$P" DESTDIR="$STAGE" DIST="$T/dist")

ok "make install PREFIX=$P DESTDIR=$STAGE" "${M[@]}" install
(cd "$STAGE$P" && find . \( -type f -o -type l \) | sort) >"$T/installed"
diag "$(wc -l <"$T/installed") files installed"
for f in bin/ballot share/ballot/forms/fonts.tsv share/ballot/forms/member-states.tsv \
	share/ballot/forms/annex2/zh.txt share/ballot/forms/report/ar.txt share/ballot/forms/portal/en.txt \
	share/ballot/forms/names/ru.tsv share/ballot/forms/calendar/itu-closed-days.tsv \
	share/doc/ballot/examples/demo.sh share/doc/ballot/examples/demo/replies.tsv \
	share/man/man1/ballot.1 share/bash-completion/completions/ballot; do
	ok "installed: $f" grep -qxF "./$f" "$T/installed"
done
is "$(stat -c %a "$STAGE$P/bin/ballot")" 755 "the binary is mode 755"
is "$(grep -c '^./share/ballot/forms/demo' "$T/installed")" 0 "the demo's samples are examples, not data"
is "$(grep -c '\.tt[fc]$' "$T/installed")" 0 "no font file installed (Debian's are used)"
# every installed data file has the bytes of its source
bad=0
while read -r f; do
	case $f in
	./share/ballot/forms/*) cmp -s "$STAGE$P/$f" "$REPO/forms/${f#./share/ballot/forms/}" || bad=$((bad + 1)) ;;
	esac
done <"$T/installed"
is_num "$bad" 0 "the installed forms are the checkout's, byte for byte"
# (its debug information names the build directory, as any -g build does)
objcopy --strip-debug "$STAGE$P/bin/ballot" "$T/stripped"
ok "the man page is the one make renders" cmp -s "$STAGE$P/share/man/man1/ballot.1" "$REPO/build/ballot.1"
ok "the completion is doc/ballot.bash" cmp -s "$STAGE$P/share/bash-completion/completions/ballot" "$REPO/doc/ballot.bash"
nok "the binary holds no path of the checkout ($REPO)" grep -qF "$REPO" "$T/stripped"
ok "it holds the installed forms directory" grep -qF "$P/share/ballot/forms" "$STAGE$P/bin/ballot"

# As unpacked by a package manager: the staged tree at PREFIX itself.
mv "$STAGE$P" "$P"
B=$P/bin/ballot
export BALLOT_DB=$T/inst.db
at 2019-12-04T09:00:00Z
ok "installed: ballot init" "$B" init
ok "installed: consultation create" "$B" consultation create --circular 205 --group 11 --date 2019-12-04 \
	--meeting-start 2020-03-04 --meeting-end 2020-03-13
ok "installed: draft add" "$B" draft add --circular 205 --rec Q.5051 --title "Stolen mobile devices" \
	--text "$P/share/doc/ballot/examples/demo/Q.5051-summary.txt" --summary "A framework against theft"
at 2020-02-14T09:00:00Z
ok "installed: reply" "$B" reply --circular 205 --member CHE --authorize --channel email
ok "installed: forms, six languages" "$B" forms --circular 205 --member CHE --lang all --out "$T/forms" --jobs 1
n=$(find "$T/forms/205" -name CHE.pdf | wc -l)
is_num "$n" 6 "six forms written"
like "$(pdftotext "$T/forms/205/fr/CHE.pdf" - 2>/dev/null)" "Suisse" "the French form names Switzerland (installed names)"
ok "installed: report" "$B" report --circular 205 --lang en,zh --dir "$T/reports"
like "$(pdftotext "$T/reports/205-en.pdf" - 2>/dev/null)" "Q\.5051" "the report names the draft"

# Not the checkout's data: without the installed forms it fails, naming the
# installed path; BALLOT_FORMS brings them back. BALLOT_FONTS moves the
# fonts directory: an empty one fails naming the font and its package, a
# copy of Debian's fonts works.
mv "$P/share/ballot/forms" "$T/forms-moved"
run "$B" forms --circular 205 --member CHE --lang en --out "$T/f2" --jobs 1
isnt "$RC" 0 "forms moved away: forms fails (no fallback to the checkout)"
like "$ERR" "$P/share/ballot/forms" "the error names the installed forms directory"
ok "BALLOT_FORMS=the moved forms: forms works" env BALLOT_FORMS="$T/forms-moved" \
	"$B" forms --circular 205 --member CHE --lang en --out "$T/f2" --jobs 1
mv "$T/forms-moved" "$P/share/ballot/forms"
mkdir -p "$T/nofonts" "$T/fonts-copy/truetype" "$T/fonts-copy/opentype"
BALLOT_FONTS=$T/nofonts run "$B" forms --circular 205 --member CHE --lang en --out "$T/f3" --jobs 1
isnt "$RC" 0 "BALLOT_FONTS=an empty directory: forms fails"
like "$ERR" "font $T/nofonts/truetype/liberation2/LiberationSans-Regular\\.ttf is not installed \\(Debian package fonts-liberation2" \
	"the error names the font and its package"
cp -R /usr/share/fonts/truetype/liberation2 /usr/share/fonts/truetype/arphic /usr/share/fonts/truetype/droid \
	"$T/fonts-copy/truetype/"
cp -R /usr/share/fonts/opentype/fonts-hosny-amiri "$T/fonts-copy/opentype/"
ok "BALLOT_FONTS=a copy of the fonts: forms works" env BALLOT_FONTS="$T/fonts-copy" \
	"$B" forms --circular 205 --member CHE --lang en,zh,ar --out "$T/f3" --jobs 1

# make uninstall: nothing of ballot left; a file of someone else's stays.
mkdir -p "$STAGE$(dirname "$P")" && mv "$P" "$STAGE$P"
mkdir -p "$STAGE$P/share/doc/other" && echo keep >"$STAGE$P/share/doc/other/README"
cp "$STAGE$P/bin/ballot" "$STAGE$P/bin/ballot-other"
ok "make uninstall" "${M[@]}" uninstall
left=$(cd "$STAGE$P" && find . \( -type f -o -type l \) | sort | tr '\n' ' ')
is "$left" "./bin/ballot-other ./share/doc/other/README " "make uninstall removes exactly what make install put"
nok "no share/ballot directory left" test -e "$STAGE$P/share/ballot"
nok "no share/doc/ballot directory left" test -e "$STAGE$P/share/doc/ballot"
done_testing
