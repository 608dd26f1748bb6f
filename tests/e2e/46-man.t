#!/usr/bin/env bash
# 46-man.t - the manual page (doc/ballot.1.scd) and the bash completion
# (doc/ballot.bash) agree with the binary's own help, both ways:
# - every command `ballot --help` lists has a section "## ballot CMD" under
#   COMMANDS, and every such section names a listed command;
# - the options (--x) of `ballot CMD --help` are exactly those of its section
#   (a section may hold commands that share one help text, as keys create/show);
# - the global options of `ballot --help` are exactly those of GLOBAL OPTIONS;
#   every BALLOT_* variable a help names is under ENVIRONMENT;
# - the page renders with scdoc, and man(1) shows every section heading;
# - the completion offers exactly the listed commands, each group's
#   subcommands, and for each command exactly the options of its --help.
. "$(dirname "$0")/lib.sh"

for tool in scdoc man perl; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "Bail out! $tool is not installed (make deps)"; exit 1; }
done
SCD=$REPO/doc/ballot.1.scd
B=$BALLOT_BIN

opts() { grep -o -- '--[a-z][a-z0-9-]*' | sort -u | tr '\n' ' '; }
# the commands of `ballot --help`: a name is the words before two spaces (or
# the first two words when the summary follows after one)
"$B" --help >"$T/help" 2>&1
sed -n '/^Commands:/,/^$/p' "$T/help" | sed '1d;/^$/d' |
	perl -ne 's/^\s+//; if (/^(.+?)  /) { print "$1\n" } else { my @w = split; print "$w[0] $w[1]\n" }' \
		>"$T/commands"
n=$(grep -c '' "$T/commands")
ok "ballot --help lists commands ($n)" test "$n" -ge 40

# the page's sections: COMMANDS split at "## " headings, one file per heading
mkdir -p "$T/sec"
perl -e '
	my ($scd, $dir) = @ARGV; open my $f, "<", $scd or die "$scd: $!";
	my ($top, $sub, $out) = ("", "");
	while (<$f>) {
		if (/^# (.+)/) { $top = $1; $sub = ""; open $out, ">>", "$dir/top-" . ($top =~ s/ /_/gr) or die; next }
		if ($top eq "COMMANDS" && /^## (.+)/) {
			$sub = $1; (my $n = $sub) =~ s/[^a-z0-9-]+/_/g;
			open $out, ">", "$dir/cmd-$n" or die; print {$out} "$sub\n"; next }
		print {$out} $_ if $out;
	}' "$SCD" "$T/sec"
# heading -> the commands it names ("ballot keys create, ballot keys show")
for f in "$T"/sec/cmd-*; do
	head -1 "$f" | sed 's/, /\n/g; s/^ballot //; s/\nballot /\n/g' | sed 's/^ballot //' |
		while read -r c; do printf '%s\t%s\n' "$c" "$f"; done
done >"$T/sections"

missing="" ; extra=""
while read -r c; do
	grep -q "^$c	" "$T/sections" || missing="$missing [$c]"
done <"$T/commands"
is "$missing" "" "every command of ballot --help has its section in the man page"
while IFS=$'\t' read -r c _; do
	grep -qxF "$c" "$T/commands" || extra="$extra [$c]"
done <"$T/sections"
is "$extra" "" "every command section of the man page is a command of ballot --help"

# options, section by section (the union of the helps of its commands)
for f in "$T"/sec/cmd-*; do
	h=""
	while IFS=$'\t' read -r c file; do
		[ "$file" = "$f" ] || continue
		# shellcheck disable=SC2086
		h="$h$("$B" $c --help 2>&1)"$'\n'
	done <"$T/sections"
	want=$(printf '%s' "$h" | opts)
	got=$(tail -n +2 "$f" | sed 's/\\//g' | opts)
	is "$got" "$want" "options of '$(head -1 "$f")': man page = --help"
done

want=$(sed -n '/^Global options:/,/^$/p' "$T/help" | opts)
got=$(sed 's/\\//g' "$T/sec/top-GLOBAL_OPTIONS" | opts)
is "$got" "$want" "GLOBAL OPTIONS = the global options of ballot --help"

vars=$( { cat "$T/help"; while read -r c; do
	# shellcheck disable=SC2086
	"$B" $c --help 2>&1; done <"$T/commands"; } | grep -o 'BALLOT_[A-Z_]*' | sort -u)
miss=""
for v in $vars; do
	sed 's/\\//g' "$T/sec/top-ENVIRONMENT" | grep -q "\*$v\*" || miss="$miss $v"
done
is "$miss" "" "every BALLOT_* variable a help names is under ENVIRONMENT ($(echo $vars))"

# it renders, and man shows it
ok "scdoc renders the page" sh -c "scdoc <'$SCD' >'$T/ballot.1'"
MANWIDTH=200 man -l "$T/ballot.1" 2>/dev/null | col -b >"$T/man.txt"
miss=""
for f in "$T"/sec/cmd-*; do
	grep -qF "$(head -1 "$f")" "$T/man.txt" || miss="$miss [$(head -1 "$f")]"
done
is "$miss" "" "man -l shows every command's heading"
like "$(head -3 "$T/man.txt")" "ballot\(1\)" "the page is ballot(1)"

# --- the completion -------------------------------------------------------------
comp() { # comp WORD... : what completing the last word offers
	bash --noprofile --norc -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ballot
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"' _ "$REPO/doc/ballot.bash" ballot "$@" | sort -u | tr '\n' ' '
}
want=$(cut -d' ' -f1 "$T/commands" | sort -u | tr '\n' ' ')
is "$(comp "")" "$want" "completion: the commands of ballot --help"
for g in $(awk 'NF == 2 { print $1 }' "$T/commands" | sort -u); do
	want=$(awk -v g="$g" '$1 == g && NF == 2 { print $2 }' "$T/commands" | sort -u | tr '\n' ' ')
	got=$(comp "$g" "")
	is "$got" "$want" "completion: the subcommands of $g"
done
bad=""
while read -r c; do
	# shellcheck disable=SC2086
	want=$("$B" $c --help 2>&1 | opts)
	# shellcheck disable=SC2086
	got=$(comp $c --)
	[ "$got" = "$want" ] || bad="$bad [$c: completion '$got', help '$want']"
done <"$T/commands"
is "$bad" "" "completion: each command's options are those of its --help"
like "$(comp --db x.db consultation cr)" "^create $" "completion: after --db FILE, subcommands"
done_testing
