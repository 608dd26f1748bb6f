#!/usr/bin/env bash
# 42-readme.t - the README's commands, executed literally (README.md, "README
# commands" under "Layout"). Every ```sh block of the README, in order, in one
# bash, in a directory laid out like a fresh checkout after `make` (forms/
# copied, build/ballot a link to $BALLOT_BIN), with no BALLOT_* variable set:
# each command must exit as the README says (0 unless a trailing comment says
# `(exit N)`), each `# either:` / `# or:` alternative runs on its own copy of
# the working directory, each ```LANG output of: CMD block must match what CMD
# printed, and the files the README's comments promise must be there. A
# command that cannot run here is in NOTRUN below with the reason; every other
# command runs, so a new README command cannot escape; a block that is not
# marked sh but holds commands, or a bare ``` block, fails.
. "$(dirname "$0")/lib.sh"

for tool in perl pdfinfo; do
	command -v "$tool" >/dev/null || {
		fail "$tool is installed (needed by this test)"
		done_testing
	}
done

# The commands not run, exactly as the README writes them (continuations
# joined, the trailing comment left out), and why.
cat >"$T/notrun.tsv" <<'EOF'
ballot reply --from-pdf CHE-returned.pdf --circular 205 --comments Q.5051=CHE-comments.pdf --dry-run	needs a form filled in on screen; 68-form-fields.t fills forms with pypdf and runs reply --from-pdf on them
ballot reply --from-pdf CHE-returned.pdf --circular 205 --comments Q.5051=CHE-comments.pdf	needs a form filled in on screen; 68-form-fields.t records such forms
ballot reply --from-pdf blank-returned.pdf --circular 205 --member CHE	needs a blank form filled in on screen; 68-form-fields.t records one
ballot scan CHE-fax.tif	needs a returned form scanned or faxed; 78-scan.t draws, ticks and scans forms and runs ballot scan on them
ballot reply --from-scan CHE-fax.tif --circular 205 --channel fax --choice Q.5052=not-authorize --comments Q.5051=CHE-comments.pdf	needs a scanned form; 78-scan.t records one with reply --from-scan
make demo	builds in the checkout and rewrites output/demo.db there; 14-demo.t runs the demo script
make check	runs every test, this one included, for minutes
make	builds in the checkout (the test runs the ballot it is given)
make install PREFIX=/usr/local	writes under /usr/local as root; 44-install.t installs into a DESTDIR and runs the result
make uninstall PREFIX=/usr/local	removes from /usr/local as root; 44-install.t runs it on its DESTDIR
make deb	builds the Debian package from a copy of the sources for minutes (make check-deb tests the package)
apt-get install ./build/deb/ballot_0.1.0_amd64.deb	installs a package system-wide as root; tests/deb/check-deb.t does it in a clean root
make check-deb	installs the package in a chroot as root, with the network (tests/deb/check-deb.t)
setpriv --reuid=ballot --regid=ballot --init-groups ballot --db /var/lib/ballot/ballot.db init	needs the package's user and /var/lib/ballot (root); check-deb.t runs it
install -m 640 -g ballot server.pem server-key.pem /etc/ballot/tls/	writes to /etc as root, with certificates from a CA; check-deb.t installs dev certificates there
systemctl enable --now ballot	needs systemd running as init and root; 47-service.t verifies the unit, check-deb.t runs its command line
ballot mail send --circular 205 --what circular	needs an SMTP relay: the mail-send test runs it against one (aiosmtpd on loopback)
ballot mail send --circular 205 --what codes --portal https://ballot.example.int/	needs an SMTP relay: the mail-send test runs it against one
ballot mail send --circular 205 --what reminder	needs an SMTP relay: the mail-send test runs it against one
ballot mail send --circular 205 --what receipt	needs an SMTP relay: the mail-send test runs it against one
ballot mail schedule --circular 205 --reminders 14,7,2	205 is closed at this point of the tour (a schedule is refused): the mail-send test sets one on an open consultation
setpriv --reuid=ballot --regid=ballot --init-groups ballot --db /var/lib/ballot/ballot.db backup /var/lib/ballot/before-upgrade.db	needs the package's user and /var/lib/ballot (root); 24-backup.t tests backup
apt-get remove ballot	removes a package system-wide as root
apt-get purge ballot	purges a package system-wide as root; check-deb.t purges it in a clean root
make serve	starts the portal, which serves until Ctrl-C (a running server; the portal tests 19-32 drive it)
ballot serve --cert tls/server.pem --key tls/server-key.pem --listen 127.0.0.1:8443	starts the portal on a fixed port and serves until stopped (a running server)
EOF

R=$T/readme
CO=$T/checkout
mkdir -p "$R/res" "$CO/build"
cp -R "$REPO/forms" "$CO/forms"
ln -s "$BALLOT_BIN" "$CO/build/ballot"

ok "the README's blocks are extracted" perl "$E2E/readme-blocks.pl" extract "$REPO/README.md" "$T/notrun.tsv" "$R"

# --- the convention ------------------------------------------------------------
errors=$(cat "$R/errors.txt")
is "$errors" "" "every code block of the README is marked: sh (run), LANG output of: CMD, or an illustration"

nrun=$(awk -F'\t' '$6 == 0' "$R/commands.tsv" | grep -c '')
nnot=$(awk -F'\t' '$6 == 1' "$R/commands.tsv" | grep -c '')
# a floor that catches an extractor that finds nothing (the tour alone has 40)
ok "the README has commands to run ($nrun run, $nnot not run)" test "$nrun" -ge 20
while IFS=$'\t' read -r key why; do
	line=$(awk -F'\t' -v k="$key" '$7 == k { print $2; exit }' "$R/commands.tsv")
	if [ -n "$line" ]; then
		diag "not run: README.md:$line: $key ($why)"
	else
		fail "NOTRUN lists a command the README no longer has: $key"
	fi
done < <(grep -v '^#' "$T/notrun.tsv")

# --- run them -----------------------------------------------------------------
if [ -n "$errors" ]; then
	fail "the README's commands are run (not while the README breaks the convention above)"
	done_testing
fi
start=$(date +%s.%N)
(cd "$CO" && env -u BALLOT_DB -u BALLOT_NOW -u BALLOT_KEY -u BALLOT_ACTOR -u BALLOT_FORMS \
	__rt_R="$R/res" bash --noprofile --norc "$R/run.sh" >"$R/run.out" 2>"$R/run.err" </dev/null)
ok "the README's commands run to the end" test -s "$R/res/pwd"
[ -s "$R/run.out" ] || [ -s "$R/run.err" ] && diag "$(cat "$R/run.out" "$R/run.err")"
diag "$(perl -e 'printf "the README ran in %.1f s", $ARGV[1] - $ARGV[0]' "$start" "$(date +%s.%N)")"
is "$(cat "$R/res/which" 2>/dev/null)" "$CO/build/ballot" "the README puts the ballot that make built first on PATH"

while IFS=$'\t' read -r id line _set alt expect notrun key; do
	[ "$notrun" = 1 ] && continue
	what="README.md:$line: $(_cmdline "$key")"
	[ "$alt" != 0 ] && what="$what (alternative $alt)"
	rc=$(awk -v id="$id" '$1 == id { print $2 }' "$R/res/rc")
	if [ "$rc" = "$expect" ]; then
		pass "exit $expect: $what"
	else
		fail "exit $expect: $what"
		diag "exit status: ${rc:-none (not run)}" "stdout: $(head -c 2000 "$R/res/$id.out" 2>/dev/null)" \
			"stderr: $(cat "$R/res/$id.err" 2>/dev/null)"
	fi
	if [ "$expect" != 0 ]; then
		err=$(cat "$R/res/$id.err" 2>/dev/null)
		if [ "$(printf '%s' "$err" | grep -c '')" = 1 ] && [ "${err#ballot: }" != "$err" ]; then
			pass "  ... one 'ballot: ' line on stderr"
		else
			fail "  ... one 'ballot: ' line on stderr"
			diag "stderr: $err"
		fi
	fi
done <"$R/commands.tsv"

# The id of the latest main-line run of a command before README line $2.
run_of() {
	awk -F'\t' -v k="$1" -v before="${2:-999999}" '$7 == k && $6 == 0 && $4 <= 1 && $2 < before { id = $1 } END { print id }' \
		"$R/commands.tsv"
}

# --- the outputs the README shows ---------------------------------------------
nout=0
while IFS=$'\t' read -r line lang key file; do
	nout=$((nout + 1))
	id=$(run_of "$key" "$line")
	if [ -z "$id" ]; then
		fail "README.md:$line shows the output of '$key', which no sh block before it runs"
		continue
	fi
	if diff=$(perl "$E2E/readme-blocks.pl" match "$lang" "$file" "$R/res/$id.out"); then
		pass "README.md:$line shows what '$key' printed"
	else
		fail "README.md:$line shows what '$key' printed"
		diag "$diff"
	fi
done <"$R/outputs.tsv"
ok "the README shows outputs to compare ($nout)" test "$nout" -ge 2

# --- what the comments in the blocks promise ------------------------------------
out_of() { cat "$R/res/$(run_of "$1").out" 2>/dev/null; }
err_of() { cat "$R/res/$(run_of "$1").err" 2>/dev/null; }
cd "$CO/tour" 2>/dev/null || fail "the tour works in tour/"
like "$(out_of 'ballot consultation create --circular 205 --group 11 --date 2019-12-04 --meeting-start 2020-03-04 --meeting-end 2020-03-13')" \
	'^ +deadline +2020-02-21T23:59:00Z ' "consultation create gives the deadline the README names"
like "$(out_of 'ballot reply --circular 205 --member CHE --authorize --channel email --signatory "A. Person" --title "Director" --print-receipt')" \
	'^receipt: \{' "reply --print-receipt prints the signed receipt on a line starting 'receipt: '"
like "$(out_of 'ballot reply --circular 205 --member DEU --not-authorize --reasons ../forms/demo/attachments/DEU-reasons.txt')" \
	'^receipt: ballot receipt show --event [0-9]+$' "without it, reply names the command that issues the receipt"
like "$(err_of 'ballot reply --circular 205 --member ESP --not-authorize --channel fax')" \
	'late: .*after the deadline 2020-02-21T23:59:00Z; recorded, not counted' "the late reply is recorded and said not counted"
langs="en fr es ru zh ar"
n=0
for l in $langs; do [ -s "output/forms/205/$l/blank.pdf" ] && n=$((n + 1)); done
is "$n" 6 "forms --blank --lang all: output/forms/205/<lang>/blank.pdf in the six languages"
is "$(find output/forms/205 -name '[A-Z][A-Z][A-Z].pdf' | grep -c '')" 1158 "forms --all --lang all: 1 158 PDFs"
is "$(find letter/205 -name '*.pdf' | sort | tr '\n' ' ')" \
	"letter/205/fr/CHN.pdf letter/205/fr/FRA.pdf letter/205/zh/CHN.pdf letter/205/zh/FRA.pdf " \
	"forms --member CHN,FRA --lang zh,fr --out letter/: letter/205/<lang>/<CODE>.pdf"
like "$(pdfinfo letter/205/zh/CHN.pdf 2>/dev/null)" '^Page size: +612 x 792 pts' "  ... on letter paper"
n=0
for l in $langs; do [ -s "output/reports/205-$l.pdf" ] && n=$((n + 1)); done
is "$n" 6 "report --lang all: output/reports/205-<lang>.pdf in the six languages"
like "$(pdfinfo rapport.pdf 2>/dev/null)" '^Pages: +[1-9]' "report --out rapport.pdf"
ok "comments --out td-205/ writes the manifest" test -s td-205/manifest.tsv
ok "publish --out results-205/ writes the signed manifest" test -s results-205/manifest.json
is "$(stat -c %a tls/ca-key.pem tls/server-key.pem 2>/dev/null | tr '\n' ' ')" "600 600 " \
	"tls dev-certs --out tls: the keys are mode 0600"
ok "  ... and the certificates are there" test -s tls/ca.pem -a -s tls/server.pem
like "$(out_of 'ballot init')" '194 Member States' "init loads the 194 Member States"
# The story goes on from the first alternative: status shows it approved.
like "$(out_of 'ballot status --group 11')" '^205 +11 +Q\.5051 +approved ' "status --group 11 after the first decision: approved"
# Each other alternative ended where its comment says, on its own copy.
alt_state() { jget '.[0].state' "$(cd "$CO/tour.or-$1" && BALLOT_DB=sg11.db BALLOT_NOW=2020-05-01T09:00:00Z "$BALLOT_BIN" status --json)"; }
is "$(alt_state 2)" not-approved "alternative 2 (not approved, opposed at the meeting) on its copy: not-approved"
is "$(alt_state 3)" not-approved "alternative 3 (more time, then a formal opposition) on its copy: not-approved"
is "$(alt_state 4)" approved "alternative 4 (more time, nobody opposed) on its copy: approved"

done_testing
