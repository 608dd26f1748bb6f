# shellcheck shell=bash
# vg-lib.sh - the memory checker of the valgrind scripts (13-valgrind.t,
# 91-valgrind-mail-forms.t), sourced after lib.sh:
# - plain build: each command under valgrind (memcheck): no invalid read or
#   write, no use of uninitialised memory, no definite or indirect leak
#   (valgrind's own exit 99); libraries' still-reachable memory is not a report;
# - ASan + UBSan build (build-asan/): no AddressSanitizer, LeakSanitizer
#   (detect_leaks=1) or UBSan report (their exit 86) - valgrind and ASan do not
#   mix, so there the sanitizers are the checker.
# vg EXIT CMD...  one test: exits EXIT with no checker report on stderr, and a
#                 refusal (exit 2) prints exactly one "ballot: " line
# vr EXIT CMD...  vg, then one more: a command that changes nothing prints
#                 the same bytes as the reference binary (the same binary
#                 without valgrind; for the ASan build, the plain build/ballot)
# Sets VG (the checker's command prefix, empty under ASan), REF_BIN, CHECKER,
# REPORT (the ERE of a checker report line).

if [[ $BALLOT_BIN == */build-asan/* ]]; then
	VG=()
	REF_BIN=$(dirname "$(dirname "$BALLOT_BIN")")/build/ballot
	[ -x "$REF_BIN" ] || { echo "Bail out! no plain build at $REF_BIN to compare with (make all)"; exit 1; }
	export ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0
	export UBSAN_OPTIONS=exitcode=86:print_stacktrace=1:halt_on_error=1
	CHECKER="ASan+UBSan"
else
	command -v valgrind >/dev/null || { echo "Bail out! valgrind is not installed (make deps)"; exit 1; }
	VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
	REF_BIN=$BALLOT_BIN
	CHECKER="valgrind"
fi
REPORT='^==[0-9]+==|runtime error|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer'

vg() { # vg EXIT CMD... : exits EXIT, with no checker report (and a refusal in one line)
	local want=$1
	shift
	"${VG[@]}" "$BALLOT_BIN" "$@" >"$T/.vg.out" 2>"$T/.vg.err"
	local rc=$? why=""
	if [[ $rc != "$want" ]]; then
		why="got exit $rc"
	elif grep -Eq "$REPORT" "$T/.vg.err"; then
		why="$CHECKER report"
	elif [[ $want == 2 ]] && { [[ $(grep -c '' "$T/.vg.err") != 1 ]] || ! grep -q '^ballot: ' "$T/.vg.err"; }; then
		why="refused, but stderr is not one 'ballot: ' line"
	fi
	if [[ -z $why ]]; then
		pass "$CHECKER-clean, exit $want: ballot $*"
	else
		fail "$CHECKER-clean, exit $want: ballot $* ($why)"
		diag "$(head -c 3000 "$T/.vg.err")"
	fi
}

vr() { # vr EXIT CMD... : as vg, for a command that changes nothing; then the
	# reference binary prints the same bytes on stdout and stderr, same exit
	local want=$1
	vg "$@"
	shift
	cp "$T/.vg.out" "$T/.vr.out"
	grep -Ev "$REPORT" "$T/.vg.err" >"$T/.vr.err"
	"$REF_BIN" "$@" >"$T/.ref.out" 2>"$T/.ref.err"
	local rc=$?
	if [[ $rc == "$want" ]] && cmp -s "$T/.vr.out" "$T/.ref.out" && cmp -s "$T/.vr.err" "$T/.ref.err"; then
		pass "  ... the same output as without $CHECKER"
	else
		fail "  ... the same output as without $CHECKER (exit $rc)"
		diag "$(diff "$T/.vr.out" "$T/.ref.out" | head -20)" "$(diff "$T/.vr.err" "$T/.ref.err" | head -5)"
	fi
}
