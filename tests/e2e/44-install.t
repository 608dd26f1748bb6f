#!/usr/bin/env bash
# 44-install.t - `make install` / `make uninstall` (README, "Install"): the
# binary built for a PREFIX under $T, installed into a DESTDIR, then the staged
# tree moved to that PREFIX (as a package manager would unpack it) and run from
# there with no BALLOT_FORMS / BALLOT_FONTS: init, a consultation, a draft, a
# reply, forms and a report, in six languages. That it reads the installed data
# and not the checkout's: the checkout's path appears nowhere in the binary,
# and with the installed forms (or fonts) moved away it fails naming the
# installed path, until BALLOT_FORMS (BALLOT_FONTS) points at them. Then
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
	share/ballot/fonts/latin-regular.ttf share/ballot/fonts/cjk.ttf share/ballot/fonts/arabic.ttf \
	share/doc/ballot/examples/demo.sh share/doc/ballot/examples/demo/replies.tsv \
	share/man/man1/ballot.1 share/bash-completion/completions/ballot; do
	ok "installed: $f" grep -qxF "./$f" "$T/installed"
done
is "$(stat -c %a "$STAGE$P/bin/ballot")" 755 "the binary is mode 755"
is "$(grep -c '^./share/ballot/forms/demo' "$T/installed")" 0 "the demo's samples are examples, not data"
# every installed data file has the bytes of its source
bad=0
while read -r f; do
	case $f in
	./share/ballot/forms/*) cmp -s "$STAGE$P/$f" "$REPO/forms/${f#./share/ballot/forms/}" || bad=$((bad + 1)) ;;
	./share/ballot/fonts/*) cmp -s "$STAGE$P/$f" "$REPO/build/fonts/${f#./share/ballot/fonts/}" || bad=$((bad + 1)) ;;
	esac
done <"$T/installed"
is_num "$bad" 0 "the installed forms and fonts are the checkout's, byte for byte"
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

# Not the checkout's data: without the installed forms or fonts it fails,
# naming the installed path; BALLOT_FORMS / BALLOT_FONTS bring them back.
mv "$P/share/ballot/forms" "$T/forms-moved"
run "$B" forms --circular 205 --member CHE --lang en --out "$T/f2" --jobs 1
isnt "$RC" 0 "forms moved away: forms fails (no fallback to the checkout)"
like "$ERR" "$P/share/ballot/forms" "the error names the installed forms directory"
ok "BALLOT_FORMS=the moved forms: forms works" env BALLOT_FORMS="$T/forms-moved" \
	"$B" forms --circular 205 --member CHE --lang en --out "$T/f2" --jobs 1
mv "$T/forms-moved" "$P/share/ballot/forms"
mv "$P/share/ballot/fonts" "$T/fonts-moved"
run "$B" forms --circular 205 --member CHE --lang en --out "$T/f3" --jobs 1
isnt "$RC" 0 "fonts moved away: forms fails"
like "$ERR" "$P/share/ballot/fonts" "the error names the installed fonts directory"
ok "BALLOT_FONTS=the moved fonts: forms works" env BALLOT_FONTS="$T/fonts-moved" \
	"$B" forms --circular 205 --member CHE --lang en --out "$T/f3" --jobs 1
mv "$T/fonts-moved" "$P/share/ballot/fonts"

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
