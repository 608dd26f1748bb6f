# shellcheck shell=bash
# lib.sh - shared helpers of the end-to-end TAP scripts (sourced by bash).
#
# Each script gets:
#   $T            its own temporary directory (removed on exit); the script runs in it
#   $BALLOT_BIN   the binary (default: build/ballot of this repository)
#   $BALLOT_DB    $T/ballot.db (exported), $BALLOT_NOW (exported; see `at`)
#   $BALLOT_CONFIG  /dev/null (exported): no configuration file
#   $REPO, $E2E   the repository and this directory
# TAP:    ok DESC CMD...   nok DESC CMD...   is GOT EXPECTED DESC   isnt ...
#         is_num GOT EXPECTED DESC   like TEXT ERE DESC   unlike TEXT ERE DESC
#         pass DESC   fail DESC   diag TEXT   done_testing
# Running: run CMD...        sets RC, OUT, ERR (stdout bytes also in $T/.out)
#          expect_exit N CMD...            one test: CMD exits N
#          refused VALUE CMD...            three tests: exit 2, one "ballot: ..."
#                                          stderr line naming VALUE, db unchanged
#          refused_like ERE CMD...         the same with a pattern
# Data:   db_sum [DB]     checksum of every row of every table (and the header
#                          fields user_version and application_id)
#         jget PATH [JSON] (jjson, jtype, jkeys, jlen, jcol PATH KEY,
#         jwhere PATH KEY VAL OUT, jorder PATH KEY..., jpick PATH KEY...) - JSON via jp.pl
#         (core Perl JSON::PP); JSON defaults to $OUT.
#         codes N [SKIP]   N member codes (alpha-3) from forms/, Palau excluded
#         at TIME          sets BALLOT_NOW
#         found_in DIR FILE  a file under DIR has the bytes of FILE
set -u

E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E/../.." && pwd)
: "${BALLOT_BIN:=$REPO/build/ballot}"
case $BALLOT_BIN in /*) ;; *) BALLOT_BIN=$(pwd)/$BALLOT_BIN ;; esac
export BALLOT_BIN

_tap_n=0
_tap_failed=0

if [ ! -x "$BALLOT_BIN" ]; then
	echo "Bail out! no ballot binary at $BALLOT_BIN (run make, or set BALLOT_BIN)"
	exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/ballot-e2e.XXXXXX") || {
	echo "Bail out! mktemp failed"
	exit 1
}
_cleanup() {
	# background jobs a script left behind (only ours: jobs of this shell)
	local p
	for p in $(jobs -p); do kill -9 "$p" 2>/dev/null; done
	cd / && rm -rf "$T"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

unset BALLOT_ACTOR
# no configuration file: /etc/ballot/ballot.conf of this machine, if any,
# must not reach a test (/dev/null stands for an empty one)
export BALLOT_CONFIG=/dev/null
export BALLOT_DB="$T/ballot.db"
export BALLOT_NOW="2020-02-10T12:00:00Z"
export LC_ALL=C.UTF-8

# --- TAP ---------------------------------------------------------------------

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

_tap() { # _tap STATUS DESC
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		printf 'ok %d - %s\n' "$_tap_n" "$2"
	else
		_tap_failed=$((_tap_failed + 1))
		printf 'not ok %d - %s\n' "$_tap_n" "$2"
	fi
	return "$1"
}

pass() { _tap 0 "$1"; }
fail() { _tap 1 "$1"; }

ok() { # ok DESC CMD... : passes when CMD exits 0 (its output shown only on failure)
	local desc=$1 st
	shift
	"$@" >"$T/.ok-out" 2>"$T/.ok-err"
	st=$?
	_tap $((st != 0)) "$desc" || diag "$(cat "$T/.ok-out" "$T/.ok-err")"
	return $st
}

nok() { # nok DESC CMD... : passes when CMD exits non-zero
	local desc=$1 st
	shift
	"$@" >"$T/.ok-out" 2>"$T/.ok-err"
	st=$?
	_tap $((st == 0)) "$desc" || diag "$(cat "$T/.ok-out" "$T/.ok-err")"
	[ $st -ne 0 ]
}

is() { # is GOT EXPECTED DESC
	if [ "$1" = "$2" ]; then
		_tap 0 "$3"
	else
		_tap 1 "$3"
		diag "     got: '$1'" "expected: '$2'"
		return 1
	fi
}

isnt() { # isnt GOT UNEXPECTED DESC
	if [ "$1" != "$2" ]; then
		_tap 0 "$3"
	else
		_tap 1 "$3"
		diag "got '$1', which it should not be"
		return 1
	fi
}

is_num() { # is_num GOT EXPECTED DESC : numeric equality (70 == 70.0)
	if perl -e 'exit !($ARGV[0] =~ /^-?\d+(\.\d+)?$/ && $ARGV[0] == $ARGV[1])' "$1" "$2"; then
		_tap 0 "$3"
	else
		_tap 1 "$3"
		diag "     got: '$1'" "expected: the number $2"
		return 1
	fi
}

like() { # like TEXT ERE DESC : some line of TEXT matches ERE
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_tap 0 "$3"
	else
		_tap 1 "$3"
		diag "text:" "$1" "does not match /$2/"
		return 1
	fi
}

unlike() { # unlike TEXT ERE DESC : no line of TEXT matches ERE
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_tap 1 "$3"
		diag "text:" "$1" "matches /$2/"
		return 1
	else
		_tap 0 "$3"
	fi
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -gt 254 ] && _tap_failed=254
	exit "$_tap_failed"
}

# --- running commands ---------------------------------------------------------

ballot() { "$BALLOT_BIN" "$@"; }

run() { # run CMD... : sets RC, OUT, ERR
	"$@" >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
	return 0
}

_cmdline() { # a short printable form of a command line for test names
	local s=$*
	s=${s//$BALLOT_BIN/ballot}
	s=${s//$T\//}
	s=$(printf '%s' "$s" | tr '\n\000-\037\177' '??')
	[ ${#s} -gt 140 ] && s="${s:0:137}..."
	printf '%s' "$s"
}

expect_exit() { # expect_exit N CMD...
	local want=$1
	shift
	run "$@"
	if [ "$RC" = "$want" ]; then
		_tap 0 "exit $want: $(_cmdline "$@")"
	else
		_tap 1 "exit $want: $(_cmdline "$@")"
		diag "exit status $RC" "stdout: $OUT" "stderr: $ERR"
		return 1
	fi
}

err_names() { # err_names VALUE DESC : stderr is one "ballot: " line containing VALUE
	local lines
	lines=$(printf '%s' "$ERR" | grep -c '')
	if [ "$lines" = 1 ] && [ "${ERR#ballot: }" != "$ERR" ] &&
		printf '%s' "$ERR" | grep -Fq -- "$1"; then
		_tap 0 "$2"
	else
		_tap 1 "$2"
		diag "stderr ($lines lines) should be one 'ballot: ' line naming '$1':" "$ERR"
		return 1
	fi
}

refused() { # refused VALUE CMD... : exit 2, one stderr line naming VALUE, db unchanged
	local value=$1 before after
	shift
	before=$(db_sum)
	expect_exit 2 "$@"
	err_names "$value" "  ... stderr names '$value'"
	after=$(db_sum)
	is "$after" "$before" "  ... database unchanged"
}

refused_like() { # refused_like ERE CMD... : as refused, stderr line matching ERE
	local re=$1 before after
	shift
	before=$(db_sum)
	expect_exit 2 "$@"
	if [ "$(printf '%s' "$ERR" | grep -c '')" = 1 ] && [ "${ERR#ballot: }" != "$ERR" ]; then
		like "$ERR" "$re" "  ... one stderr line matching /$re/"
	else
		fail "  ... one stderr line matching /$re/"
		diag "stderr: $ERR"
	fi
	after=$(db_sum)
	is "$after" "$before" "  ... database unchanged"
}

at() { BALLOT_NOW=$1; export BALLOT_NOW; }

# --- data ---------------------------------------------------------------------

db_sum() { # db_sum [DB] : checksum of the contents (every table's rows)
	local db=${1:-$BALLOT_DB}
	if [ ! -e "$db" ]; then
		echo "no-file"
		return
	fi
	{
		sqlite3 "$db" 'PRAGMA application_id; PRAGMA user_version;' 2>&1
		sqlite3 "$db" .dump 2>&1
	} | sha256sum | cut -c1-64
}

_jp() {
	local cmd=$1 path=$2
	shift 2
	printf '%s' "$JSON_IN" | perl "$E2E/jp.pl" "$cmd" "$path" "$@"
}
jget() { JSON_IN=${2-$OUT} _jp get "$1"; }
jjson() { JSON_IN=${2-$OUT} _jp json "$1"; }
jtype() { JSON_IN=${2-$OUT} _jp type "$1"; }
jkeys() { JSON_IN=${2-$OUT} _jp keys "$1"; }
jlen() { JSON_IN=${2-$OUT} _jp len "$1"; }
jcol() { JSON_IN=${3-$OUT} _jp col "$1" "$2"; }
jwhere() { JSON_IN=${5-$OUT} _jp where "$1" "$2" "$3" "$4"; }
jorder() { # jorder PATH KEY... (on $OUT)
	local path=$1
	shift
	JSON_IN=$OUT _jp order "$path" "$@"
}
jpick() { # jpick PATH KEY... (on $OUT)
	local path=$1
	shift
	JSON_IN=$OUT _jp pick "$path" "$@"
}
jvalid() { printf '%s' "${1-$OUT}" | perl -MJSON::PP -e 'local $/; JSON::PP->new->utf8->allow_nonref->decode(<STDIN>)' 2>/dev/null; }

codes() { # codes N [SKIP] : N member codes from forms/, without Palau
	grep -v '^#' "$REPO/forms/member-states.tsv" | awk -F'\t' 'NR > 1 && $1 != "PLW" { print $1 }' |
		tail -n +"$((${2:-0} + 1))" | head -n "$1"
}

mkbytes() { # mkbytes FILE N : a file of N bytes
	perl -e 'binmode STDOUT; print substr(("0123456789abcdef" x (int($ARGV[0] / 16) + 1)), 0, $ARGV[0])' "$2" >"$1"
}

found_in() { # found_in DIR FILE : some file under DIR has the same bytes as FILE
	[ -n "$(find "$1" -type f -exec cmp -s "$2" {} \; -print -quit 2>/dev/null)" ]
}

sha256_of() { sha256sum "$1" | cut -c1-64; }

# The Q.5051 consultation of TSB Circular 205 as in seed 004 (SG11, meeting
# 4-13 March 2020, deadline 2020-02-21T23:59:00Z). Extra options are passed on.
# Two tests: the consultation and the draft.
setup_205() {
	# Registered on the circular's date: drafts cannot join after the deadline.
	local circ=${CIRC:-205} now=$BALLOT_NOW
	at 2019-12-02T12:00:00Z
	expect_exit 0 ballot consultation create --circular "$circ" --group 11 \
		--meeting-start 2020-03-04 --meeting-end 2020-03-13 --date 2019-12-02 "$@"
	expect_exit 0 ballot draft add --summary "A summary of the draft." --circular "$circ" --rec Q.5051 --former Q.FW_CSM \
		--title "Framework for combating the use of stolen mobile devices"
	at "$now"
}

# need_tools TOOL...: each on the PATH, else the script bails out naming the
# missing ones (tests/deps.sh installs them)
need_tools() {
	local t miss=""
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || miss="$miss $t"
	done
	if [ -n "$miss" ]; then
		echo "Bail out! missing:$miss (tests/deps.sh installs them as root)"
		exit 1
	fi
}
